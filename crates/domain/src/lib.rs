//! The rules of user administration for the Register of training providers.
//!
//! Everything here is pure: no I/O, no clock, no framework. The API crate
//! parses requests into these types, asks these functions what is allowed,
//! and shows the sentences in [`messages`] exactly as they are.

pub mod activity;
pub mod api_client;
pub mod client_access;
pub mod client_token;
pub mod email;
pub mod error;
pub mod guards;
pub mod ids;
pub mod list;
pub mod messages;
pub mod name;
pub mod permissions;
pub mod providers;
pub mod rate_limit;
pub mod role;
pub mod user;

pub use email::DfeEmail;
pub use error::{ErrorKind, FieldError, ValidationErrors};
pub use guards::Guard;
pub use name::{NameField, PersonName};
pub use permissions::{Actor, Forbidden};
pub use role::SupportRole;
pub use user::{Field, NewUser, ProviderProfile, Supplied, UserChanges, UserInput, UserState};
