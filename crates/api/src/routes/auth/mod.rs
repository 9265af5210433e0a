//! `/api/v1/auth`: how people sign in.

pub mod config;
pub mod dev_sign_in;
pub mod finish_oidc_sign_in;
pub mod refresh;
pub mod sign_out;
pub mod start_oidc_sign_in;
