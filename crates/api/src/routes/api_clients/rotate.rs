use actix_web::http::header;
use actix_web::post;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::api_client::{check_rotation, ClientStatus};

use users_domain::activity::Action;

use super::representation::{change_client, new_token, ApiClientResponse};
use crate::db::api_clients;
use crate::http::clients_caller::ClientsCaller;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// A client with its new token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RotatedApiClient)]
pub struct RotatedApiClient {
    /// The client.
    pub client: ApiClientResponse,
    /// The new token, shown this once and never again.
    #[schema(example = "dfe_rtp_0Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3Ab4Cd5Ef6G7h8")]
    pub token: String,
}

/// Rotate an API client's token
///
/// Give an active API client a new token. The old one keeps working for the
/// grace period (`API_CLIENT_ROTATION_GRACE`, 24 hours unless configured;
/// `client.previous_token_expires_at` says until when), so callers can switch
/// without an outage. A token from before an earlier rotation stops at once.
///
/// Roles: editor, administrator (any client), api (their own); viewers only read.
#[utoipa::path(
    operation_id = "rotate_api_client",
    tag = "api-clients",
    params(("id" = String, Path, format = Uuid, description = "The client's id")),
    security(("bearer" = ["editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 200, description = "The client and its new token, shown only now", body = RotatedApiClient),
        (status = 404, description = "No such client, it was deleted, or another API user owns it", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The client is revoked or expired", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/api-clients/{id}/rotate")]
pub async fn rotate_api_client(
    caller: ClientsCaller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let now = Timestamp::now();
    let token = new_token()?;
    let hash = state.client_tokens.hash(&token);
    let grace = chrono::Duration::from_std(state.config.api_client_rotation_grace).unwrap_or(chrono::Duration::MAX);
    let grace_until = Timestamp::from(now.utc() + grace);
    let found = change_client(&state, &caller, id.into_inner(), Action::ApiClientRotated, move |tx, row| {
        check_rotation(ClientStatus::at(row.revoked_at.is_some(), row.expires_on_date(), now.utc()))
            .map_err(|refusal| Problem::conflict(refusal.message()))?;
        let row = api_clients::rotate(tx, &row.id, &hash, grace_until, now)?;
        Ok(api_clients::with_owner(tx, row)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(RotatedApiClient { client: ApiClientResponse::new(found, now), token: token.expose().to_owned() }))
}
