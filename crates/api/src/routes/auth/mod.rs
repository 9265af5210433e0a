//! `/api/v1/auth`: how people sign in.

mod config;
mod dev_sign_in;

pub use config::*;
pub use dev_sign_in::*;
