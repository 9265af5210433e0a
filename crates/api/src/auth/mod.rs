//! Who is calling, without the HTTP around it: access tokens ([`jwt`]), the
//! account check every request makes ([`account`]), API client tokens
//! ([`client`]), browser sessions ([`session`]) and DfE Sign-in ([`oidc`]).
//! The extractors that read these off a
//! request are in [`crate::http::caller`].

pub mod account;
pub mod client;
pub mod jwt;
pub mod oidc;
pub mod session;
