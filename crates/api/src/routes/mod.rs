//! HTTP handlers, one operation a file, each named as its `operationId`.

pub mod activity;
pub mod api_clients;
pub mod auth;
pub mod cursor;
pub mod health;
pub mod me;
pub mod providers;
pub mod users;
