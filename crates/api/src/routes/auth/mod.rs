//! `/api/v1/auth`: how people sign in.

mod config;
mod dev_sign_in;
mod finish_oidc_sign_in;
mod refresh;
mod sign_out;
mod start_oidc_sign_in;

pub use config::*;
pub use dev_sign_in::*;
pub use finish_oidc_sign_in::*;
pub use refresh::*;
pub use sign_out::*;
pub use start_oidc_sign_in::*;
