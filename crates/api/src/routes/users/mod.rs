//! `/api/v1/users`: the user administration of contract §3.

pub mod activity;
pub mod create;
pub mod delete;
pub mod list;
pub mod representation;
pub mod show;
pub mod update;
