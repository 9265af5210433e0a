//! HTTP handlers, one operation a file, each named as its `operationId`.

pub mod api_clients;
pub mod auth;
pub mod cursor;
pub mod health;
pub mod me;
pub mod providers;
pub mod users;

use std::future::{ready, Ready};

use actix_web::http::header;
use actix_web::{dev::Payload, FromRequest, HttpRequest, HttpResponse};

use crate::problem::Problem;

/// The query string as name/value pairs (first value wins). A query string
/// that cannot be decoded at all is a 400.
pub fn query_pairs(req: &HttpRequest) -> Result<Vec<(String, String)>, Problem> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .map_err(|_| Problem::bad_request(users_domain::messages::problems::QUERY_NOT_VALID))
}

/// The first value of `name` in `pairs`.
pub fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The `If-Match` header (contract §8): absent means no precondition.
#[derive(Debug, Clone)]
pub struct IfMatch(Option<String>);

impl IfMatch {
    /// Passes when there is no header, when it is `*`, or when any strong
    /// entity tag in its list is `"<version>"`; otherwise 412.
    pub fn check(&self, version: i64) -> Result<(), Problem> {
        let Some(value) = &self.0 else { return Ok(()) };
        let current = format!("\"{version}\"");
        let matches = value.split(',').map(str::trim).any(|tag| tag == "*" || tag == current);
        if matches {
            Ok(())
        } else {
            Err(Problem::precondition_failed())
        }
    }
}

impl FromRequest for IfMatch {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values: Vec<&str> =
            req.headers().get_all(header::IF_MATCH).map(|v| v.to_str().unwrap_or("\u{0}")).collect();
        ready(Ok(IfMatch((!values.is_empty()).then(|| values.join(",")))))
    }
}

/// The strong entity tag of a version.
pub fn etag(version: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// 405 for a path that exists, with the methods it takes.
pub fn method_not_allowed(allow: &'static str) -> impl Fn() -> Ready<Result<HttpResponse, Problem>> + Clone {
    move || ready(Err(Problem::method_not_allowed(allow)))
}
