//! `X-Request-Id` on every response, and one log line per request.
//!
//! The id is echoed from the request when it is a sensible token, else a new
//! UUID. It is kept in a task-local for the length of the request, so that a
//! [`crate::problem::Problem`] can repeat it in its body wherever it is made.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

/// The header's name.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_LEN: usize = 128;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being answered on this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// An incoming id is used only when it is short and made of token characters,
/// so it cannot inject anything into headers or logs.
fn accept(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= MAX_LEN
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| text.to_owned())
}

/// Middleware: sets the request id, answers with it, and logs the request
/// (method, path template, status, duration, id; never names, addresses or
/// tokens).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req.headers().get(&HEADER).and_then(accept).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let started = Instant::now();
    let method = req.method().to_string();
    let state = req.app_data::<actix_web::web::Data<crate::state::AppState>>().cloned();
    let mut response = REQUEST_ID.scope(id.clone(), next.call(req)).await?;
    let path = response.request().match_pattern().unwrap_or_else(|| "(unmatched)".to_owned());
    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    if let Some(state) = state {
        state.metrics.observe(&method, &path, status, duration_ms / 1000.0);
    }
    tracing::info!(target: "users_api::request", %method, %path, status, duration_ms, request_id = %id, "request");
    Ok(response)
}
