//! The HTTP API of the Register of training providers' user administration.
//!
//! Handlers are thin: parse the request, ask `users_domain` what is allowed,
//! do the work in one transaction, map the result to the response.

pub mod app;
pub mod auth;
pub mod body;
pub mod config;
pub mod db;
pub mod email;
pub mod headers;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod rate_limit;
pub mod request_id;
pub mod routes;
pub mod seed;
pub mod spa;
pub mod state;
pub mod telemetry;
pub mod time;
