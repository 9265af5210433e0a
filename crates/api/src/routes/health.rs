use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;

/// A health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `ready`.
    pub status: &'static str,
}

/// Liveness: the process answers. Touches nothing else, so a slow database
/// never makes the service look dead.
#[utoipa::path(
    get,
    path = "/health/live",
    operation_id = "get_liveness",
    tag = "health",
    security(()),
    responses((status = 200, description = "The process is up", body = Health))
)]
pub async fn get_liveness() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Readiness: the database answers.
#[utoipa::path(
    get,
    path = "/health/ready",
    operation_id = "get_readiness",
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Ready to serve", body = Health),
        (status = 503, description = "The database is unreachable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn get_readiness(state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    state.db.ping().await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}
