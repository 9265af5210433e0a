use actix_web::post;
use actix_web::{web, HttpResponse};

use users_domain::activity::Action;

use super::representation::{change_client, ApiClientResponse};
use crate::db::{api_clients, users};
use crate::email::outbox;
use crate::email::render::{ClientFacts, EmailKind};
use crate::http::clients_caller::ClientsCaller;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Revoke an API client
///
/// Revoke an API client: its tokens (current and any previous one in its
/// grace period) stop working at once, for good. Revoking a revoked client
/// changes nothing.
///
/// Roles: editor, administrator (any client), api (their own); viewers only read.
#[utoipa::path(
    operation_id = "revoke_api_client",
    tag = "api-clients",
    params(("id" = String, Path, format = Uuid, description = "The client's id")),
    security(("bearer" = ["editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 200, description = "The client, revoked", body = ApiClientResponse),
        (status = 404, description = "No such client, it was deleted, or another API user owns it", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/api-clients/{id}/revoke")]
pub async fn revoke_api_client(
    caller: ClientsCaller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let now = Timestamp::now();
    let actor = caller.user.clone();
    let mail = state.mail.clone();
    let found = change_client(&state, &caller, id.into_inner(), Action::ApiClientRevoked, move |tx, row| {
        if row.revoked_at.is_some() {
            return Ok(api_clients::with_owner(tx, row)?);
        }
        let row = api_clients::revoke(tx, &row.id, now)?;
        // The owner hears of it when someone else did it (contract §10).
        if row.owner_id != actor.id {
            if let Some(owner) = users::find(tx, &row.owner_id)? {
                let revoked_by = actor.full_name();
                let facts =
                    ClientFacts { name: &row.name, expires_on: row.expires_on_date(), revoked_by: Some(&revoked_by) };
                outbox::enqueue_about(
                    tx,
                    EmailKind::ApiClientRevoked,
                    &owner.id,
                    &outbox::recipient(&owner),
                    Some(&facts),
                    &mail,
                    now,
                )?;
            }
        }
        Ok(api_clients::with_owner(tx, row)?)
    })
    .await?;
    state.wake.notify();
    Ok(HttpResponse::Ok().json(ApiClientResponse::new(found, now)))
}
