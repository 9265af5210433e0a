use actix_web::get;
use actix_web::{web, HttpResponse};

use super::representation::{scope_of, ApiClientResponse};
use crate::db::api_clients;
use crate::http::clients_caller::ClientsCaller;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Get an API client
///
/// An API client's details (never its token).
///
/// Roles: viewer, editor, administrator (any client), api (their own).
#[utoipa::path(
    operation_id = "get_api_client",
    tag = "api-clients",
    params(("id" = String, Path, format = Uuid, description = "The client's id")),
    security(("bearer" = ["viewer", "editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 200, description = "The client", body = ApiClientResponse),
        (status = 404, description = "No such client, it was deleted, or another API user owns it", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/api-clients/{id}")]
pub async fn get_api_client(
    caller: ClientsCaller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let id = id.into_inner();
    let scope = scope_of(&caller);
    let found =
        state.db.query(move |conn| api_clients::find(conn, &id, &scope)).await?.ok_or_else(Problem::not_found)?;
    Ok(HttpResponse::Ok().json(ApiClientResponse::new(found, Timestamp::now())))
}
