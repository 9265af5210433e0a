//! `/api/v1/activity` and a user's activity: who changed what, when, and
//! whether the email went out (contract §6).

pub mod list;
pub mod representation;
