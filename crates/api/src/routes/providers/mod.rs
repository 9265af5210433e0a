//! `/api/v1/providers`: training-provider data, read-only (contract §5 and
//! §8), for API client tokens and signed-in users.

pub mod list;
