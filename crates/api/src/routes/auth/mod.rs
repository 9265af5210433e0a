//! `/api/v1/auth`: how people sign in.

mod config;
mod dev_sign_in;
mod refresh;
mod sign_out;

pub use config::*;
pub use dev_sign_in::*;
pub use refresh::*;
pub use sign_out::*;
