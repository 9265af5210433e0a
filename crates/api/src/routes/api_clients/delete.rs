use actix_web::delete;
use actix_web::{web, HttpResponse};

use users_domain::activity::Action;

use super::representation::change_client;
use crate::db::api_clients;
use crate::http::clients_caller::ClientsCaller;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Delete an API client
///
/// Delete an API client: its tokens stop working at once, it disappears from
/// the list and answers 404, and its name can be used again.
///
/// Roles: editor, administrator (any client), api (their own); viewers only read.
#[utoipa::path(
    operation_id = "delete_api_client",
    tag = "api-clients",
    params(("id" = String, Path, format = Uuid, description = "The client's id")),
    security(("bearer" = ["editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 204, description = "The client was deleted"),
        (status = 404, description = "No such client, it was already deleted, or another API user owns it", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[delete("/api-clients/{id}")]
pub async fn delete_api_client(
    caller: ClientsCaller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let now = Timestamp::now();
    change_client(&state, &caller, id.into_inner(), Action::ApiClientDeleted, move |tx, row| {
        Ok(api_clients::soft_delete(tx, &row.id, now)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
