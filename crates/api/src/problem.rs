//! The one error type: every failure leaves the service as RFC 9457 problem
//! details (contract §2).
//!
//! Policy: a `Problem` carries only what a caller may see — a stable `type`,
//! the status, a title, a sentence, and for 422 the field errors. Whatever
//! caused it (SQL, library errors, paths) is logged with the request id and
//! never sent.

use std::fmt;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::client_access::Scope;
use users_domain::messages::problems as text;
use users_domain::{messages, Guard, ValidationErrors};

use crate::db;
use crate::request_id;

/// A problem as sent: `application/problem+json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Problem, example = json!({
    "type": "urn:problem:validation",
    "title": "There is a problem",
    "status": 422,
    "detail": "The request has 1 error",
    "errors": [{"field": "first_name", "message": "Enter first name"}],
    "request_id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b"
}))]
pub struct ProblemBody {
    /// A stable URI for the kind of problem, such as `urn:problem:validation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// The sentence to show a person.
    pub detail: String,
    /// On 422 only: each refused field, in field order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldErrorBody>>,
    /// The request's `X-Request-Id`, to quote when asking for help.
    pub request_id: String,
}

/// One refused field.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorBody {
    /// The request's JSON field or query parameter name.
    pub field: String,
    /// The exact sentence to show a person.
    pub message: String,
}

/// A failure, on its way to becoming a problem response.
#[derive(Debug, Clone)]
pub struct Problem {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    errors: Option<Vec<FieldErrorBody>>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Problem {
    fn new(status: StatusCode, kind: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Self { status, kind, title, detail: detail.into(), errors: None, headers: Vec::new() }
    }

    /// 400: the body is not JSON, or not a JSON object.
    pub fn bad_request(detail: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "urn:problem:bad-request", text::BAD_REQUEST_TITLE, detail)
    }

    /// 401: no valid credentials, or the account may no longer sign in.
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "urn:problem:unauthorized", text::UNAUTHORIZED_TITLE, text::UNAUTHORIZED)
            .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"users-api\""))
    }

    /// 403: signed in, but the role may not use this endpoint.
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "urn:problem:forbidden", text::FORBIDDEN_TITLE, text::FORBIDDEN)
    }

    /// 403: the caller's role may not make this change (contract §9).
    pub fn not_permitted(why: users_domain::Forbidden) -> Self {
        Self::new(StatusCode::FORBIDDEN, "urn:problem:forbidden", text::FORBIDDEN_TITLE, why.message())
    }

    /// 404: no such resource (also deleted ones).
    /// 403: an API client token used from an address its allowlist leaves out.
    pub fn ip_not_allowed() -> Self {
        Self::new(StatusCode::FORBIDDEN, "urn:problem:ip-not-allowed", text::FORBIDDEN_TITLE, messages::IP_NOT_ALLOWED)
    }

    /// 403 (RFC 6750): an API client token without the scope the request needs.
    pub fn insufficient_scope(scope: Scope) -> Self {
        let detail = format!("{}: {}", messages::INSUFFICIENT_SCOPE, scope.as_str());
        let challenge = format!("Bearer error=\"insufficient_scope\", scope=\"{}\"", scope.as_str());
        Self::new(StatusCode::FORBIDDEN, "urn:problem:insufficient-scope", text::FORBIDDEN_TITLE, detail)
            .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_str(&challenge).expect("scope names are ASCII"))
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "urn:problem:not-found", text::NOT_FOUND_TITLE, text::NOT_FOUND)
    }

    /// 405 with the methods the path takes.
    pub fn method_not_allowed(allow: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "urn:problem:method-not-allowed",
            text::METHOD_NOT_ALLOWED_TITLE,
            text::METHOD_NOT_ALLOWED,
        )
        .with_header(header::ALLOW, HeaderValue::from_str(allow).unwrap_or(HeaderValue::from_static("")))
    }

    /// 409: a guard refuses the action.
    pub fn guard(guard: Guard) -> Self {
        Self::conflict(guard.message())
    }

    /// 409 with the sentence that says why the action is refused.
    pub fn conflict(detail: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, "urn:problem:conflict", text::CONFLICT_TITLE, detail)
    }

    /// 429: over a rate limit; try again after `retry_after` seconds.
    pub fn too_many_requests(retry_after: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "urn:problem:rate-limited",
            text::TOO_MANY_REQUESTS_TITLE,
            text::TOO_MANY_REQUESTS,
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after))
    }

    /// 412: `If-Match` names a version that is no longer current.
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "urn:problem:precondition-failed",
            text::PRECONDITION_FAILED_TITLE,
            text::PRECONDITION_FAILED,
        )
    }

    /// 413: the body is over 64 KiB.
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "urn:problem:payload-too-large",
            text::TOO_LARGE_TITLE,
            text::TOO_LARGE,
        )
    }

    /// 415: the body is not declared as JSON.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "urn:problem:unsupported-media-type",
            text::UNSUPPORTED_MEDIA_TYPE_TITLE,
            text::UNSUPPORTED_MEDIA_TYPE,
        )
    }

    /// 422 with every field error, in field order.
    pub fn validation(errors: ValidationErrors) -> Self {
        let kind = if errors.only_edit_lock() { "urn:problem:edit-locked" } else { "urn:problem:validation" };
        let detail = text::validation_detail(errors.len());
        let errors = errors
            .into_iter()
            .map(|e| FieldErrorBody { field: e.field.into_owned(), message: e.message.to_owned() })
            .collect();
        Self {
            errors: Some(errors),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, kind, text::VALIDATION_TITLE, detail)
        }
    }

    /// 503: the database (or another dependency) is unavailable.
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "urn:problem:unavailable",
            text::UNAVAILABLE_TITLE,
            text::UNAVAILABLE,
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from_static("5"))
    }

    /// 500: a fault of ours. The cause is logged by the caller, never sent.
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "about:blank", text::INTERNAL_TITLE, text::INTERNAL)
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body, for the request being answered.
    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            kind: self.kind.to_owned(),
            title: self.title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
            request_id: request_id::current().unwrap_or_default(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.kind)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/problem+json");
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        response.json(self.body())
    }
}

impl From<ValidationErrors> for Problem {
    fn from(errors: ValidationErrors) -> Self {
        Self::validation(errors)
    }
}

impl From<users_domain::FieldError> for Problem {
    fn from(error: users_domain::FieldError) -> Self {
        Self::validation(error.into())
    }
}

impl From<users_domain::Forbidden> for Problem {
    fn from(why: users_domain::Forbidden) -> Self {
        Self::not_permitted(why)
    }
}

impl From<Guard> for Problem {
    fn from(guard: Guard) -> Self {
        Self::guard(guard)
    }
}

/// The one place a database failure becomes a problem: unavailable or busy
/// is 503; a conflicting write is 409; a missing row is 404; anything else is
/// our fault, logged here and answered 500. The cause is never sent.
impl From<db::Error> for Problem {
    fn from(error: db::Error) -> Self {
        match &error {
            db::Error::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                Self::unavailable()
            }
            db::Error::LockTimeout(cause) => {
                tracing::warn!(%cause, "database busy");
                Self::unavailable()
            }
            db::Error::Conflict(cause) => {
                tracing::warn!(%cause, "conflicting write");
                Self::conflict(text::CONCURRENT_CHANGE)
            }
            db::Error::NotFound => Self::not_found(),
            db::Error::Other(cause) => {
                tracing::error!(%cause, "database error");
                Self::internal()
            }
        }
    }
}

/// Queries inside a handler's unit of work fail with Diesel's error; it is
/// read as [`db::Error`] first.
impl From<diesel::result::Error> for Problem {
    fn from(error: diesel::result::Error) -> Self {
        db::Error::from(error).into()
    }
}
