//! The HTTP API of the Register of training providers' user administration.
//!
//! Handlers are thin: parse the request, ask `users_domain` what is allowed,
//! do the work in one transaction, map the result to the response. The
//! floors, from the bottom: `config`, `time`, `metrics`, `request_id`; `db`
//! (with its own error); `problem`; `auth`, `email`, `rate_limit`; `state`;
//! `http` (extractors and middleware); `routes`; `router`, `openapi`; `app`.

pub mod app;
pub mod auth;
pub mod config;
pub mod db;
pub mod email;
pub mod http;
pub mod metrics;
pub mod openapi;
pub mod periodic;
pub mod problem;
pub mod rate_limit;
pub mod reminders;
pub mod request_id;
pub mod router;
pub mod routes;
pub mod seed;
pub mod spa;
pub mod state;
pub mod sweep;
pub mod telemetry;
pub mod time;
pub mod usage;
