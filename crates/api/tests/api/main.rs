//! Integration tests: real HTTP against the real app and a real database.
//! Run once with `TEST_DATABASE=sqlite` and once with `TEST_DATABASE=postgres`.

mod access_matrix;
mod activity;
mod api_clients;
mod auth;
mod email;
mod harness;
mod hostile;
mod http;
mod log_secrets;
mod oidc;
mod providers;
mod rate_limits;
mod request_properties;
mod sessions;
mod smtp;
mod users_create;
mod users_delete;
mod users_list;
mod users_update;
