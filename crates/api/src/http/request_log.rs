//! `X-Request-Id` on every response, one log line and one metrics sample per
//! request.
//!
//! The id is echoed from the request when it is a sensible token, else a new
//! UUID ([`crate::request_id`]).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::middleware::Next;
use actix_web::{web, Error};

use crate::request_id::{self, HEADER};
use crate::state::AppState;

/// Middleware: sets the request id, answers with it, and logs the request
/// (method, path template, status, duration, id; never names, addresses or
/// tokens).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id =
        req.headers().get(&HEADER).and_then(request_id::accept).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let started = Instant::now();
    let method = crate::metrics::method_label(req.method().as_str());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let mut response = request_id::scope(id.clone(), next.call(req)).await?;
    let route = response.request().match_pattern();
    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    if let Some(state) = state {
        state.metrics.observe(method, route.as_deref(), status, duration_ms / 1000.0);
    }
    let path = route.as_deref().unwrap_or(crate::metrics::UNMATCHED);
    tracing::info!(target: "users_api::request", %method, %path, status, duration_ms, request_id = %id, "request");
    Ok(response)
}
