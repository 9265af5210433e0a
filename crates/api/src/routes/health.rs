use actix_web::get;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use subtle::ConstantTimeEq;
use utoipa::ToSchema;

use crate::http::caller::bearer_token;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;

/// A health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `ready`.
    pub status: &'static str,
}

/// Check the process is up
///
/// Liveness: the process answers. Touches nothing else, so a slow database
/// never makes the service look dead.
///
/// Role: none (public).
#[utoipa::path(
    operation_id = "get_liveness",
    tag = "health",
    security(()),
    responses((status = 200, description = "The process is up", body = Health))
)]
#[get("/health/live")]
pub async fn get_liveness() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Check the service is ready
///
/// Readiness: the database answers.
///
/// Role: none (public).
#[utoipa::path(
    operation_id = "get_readiness",
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database is unreachable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/health/ready")]
pub async fn get_readiness(state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    state.db.ping().await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}

/// Get Prometheus metrics
///
/// Prometheus metrics: requests by route and status, latency histograms, the
/// database pool and the email outbox. Holds no personal data, and reads no
/// table: every figure is kept in memory as the service works.
///
/// Role: monitoring, with `Authorization: Bearer <METRICS_TOKEN>` (required
/// in production; a development server without one answers anyone).
#[utoipa::path(
    operation_id = "get_metrics",
    tag = "health",
    security(("metrics" = [])),
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 401, description = "No `Authorization: Bearer` header with the metrics token", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn get_metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    if let Some(expected) = &state.config.metrics_token {
        let given = bearer_token(&req).unwrap_or_default();
        // Compared in constant time, so the token cannot be guessed a byte at a time.
        if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            return Err(Problem::unauthorized());
        }
    }
    let (connections, idle) = state.db.pool_state();
    let gauges = [
        ("db_pool_connections", "Open database connections.", f64::from(connections)),
        ("db_pool_idle_connections", "Idle database connections.", f64::from(idle)),
    ];
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(state.metrics.render(&gauges)))
}
