//! `/api/v1/api-clients`: API clients (contract §5 and §8). Support users
//! manage every client; API users only their own, and anyone else's answers
//! 404 as if it did not exist.

pub mod create;
pub mod delete;
pub mod list;
pub mod representation;
pub mod revoke;
pub mod rotate;
pub mod show;
pub mod update;
pub mod usage;
