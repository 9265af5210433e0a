//! Integration tests: real HTTP against the real app and a real database.
//! Run once with `TEST_DATABASE=sqlite` and once with `TEST_DATABASE=postgres`.

mod access_matrix;
mod activity;
mod api_clients;
mod auth;
mod client_access;
mod client_notices;
mod email;
mod faults;
mod hardening;
mod harness;
mod hostile;
mod http;
mod load;
mod log_secrets;
mod oidc;
mod providers;
mod races;
mod rate_limits;
mod request_properties;
mod roles;
mod sessions;
mod smtp;
mod soak;
mod users_create;
mod users_delete;
mod users_list;
mod users_update;
