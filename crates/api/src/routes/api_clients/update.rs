use actix_web::patch;
use actix_web::{web, HttpResponse};

use users_domain::api_client::{ApiClientChanges, CurrentClient};
use users_domain::{messages, FieldError, SupportRole};

use super::create::name_not_unique;
use users_domain::activity::Action;

use super::representation::{change_client, client_input, ApiClientResponse, UpdateApiClientBody, CHANGE_FIELDS};
use crate::db::api_clients::{self, UpdateClient};
use crate::db::users;
use crate::http::clients_caller::ClientsCaller;
use crate::http::json::JsonObject;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Change an API client
///
/// Rename an API client, or change its expiry date, scopes or allowed IP
/// addresses. A revoked client stays revoked; an expired one given a date in
/// the future works again.
///
/// Roles: editor, administrator (any client), api (their own); viewers only read.
#[utoipa::path(
    operation_id = "update_api_client",
    tag = "api-clients",
    params(("id" = String, Path, format = Uuid, description = "The client's id")),
    request_body(content = UpdateApiClientBody, content_type = "application/json"),
    security(("bearer" = ["editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 200, description = "The client as changed", body = ApiClientResponse),
        (status = 400, description = "The body is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such client, it was deleted, or another API user owns it", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid, or the name is in use", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[patch("/api-clients/{id}")]
pub async fn update_api_client(
    caller: ClientsCaller,
    id: web::Path<String>,
    body: JsonObject,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let now = Timestamp::now();
    let lifetimes = state.config.api_client_lifetimes;
    let giver_is_administrator = caller.user.role() == Some(SupportRole::Administrator);
    let granter = caller.via.as_ref().map(|via| via.scopes.clone());
    let found = change_client(&state, &caller, id.into_inner(), Action::ApiClientUpdated, move |tx, row| {
        let mut errors = body.unknown_fields(&CHANGE_FIELDS);
        let input = client_input(&body);
        let (scopes, allowed_ips) = (row.scope_set(), row.allowlist());
        let current = CurrentClient {
            name: &row.name,
            expires_on: row.expires_on_date(),
            scopes: &scopes,
            allowed_ips: &allowed_ips,
        };
        let changes = match ApiClientChanges::parse(&input, current, now.utc().date_naive(), lifetimes) {
            Ok(changes) => changes,
            Err(rule_errors) => {
                errors.extend(rule_errors);
                ApiClientChanges::default()
            }
        };
        if let Some(name) = &changes.name {
            if api_clients::name_in_use(tx, &row.owner_id, &name.key(), Some(&row.id))? {
                errors.push(FieldError::new("name", messages::CLIENT_NAME_NOT_UNIQUE));
            }
        }
        if let Some(scopes) = &changes.scopes {
            let owner = users::find(tx, &row.owner_id)?;
            let owner_is_administrator = owner.is_some_and(|o| o.role() == Some(SupportRole::Administrator));
            errors.take(scopes.check_scim(owner_is_administrator, giver_is_administrator));
            if let Some(granter) = &granter {
                errors.take(scopes.check_within(granter));
            }
        }
        if !errors.is_empty() {
            return Err(Problem::validation(errors));
        }
        if changes.is_empty() {
            return Ok(api_clients::with_owner(tx, row)?);
        }
        let set = UpdateClient {
            name: changes.name.as_ref().map(|name| name.as_str().to_owned()),
            name_key: changes.name.as_ref().map(|name| name.key()),
            expires_on: changes.expires_on.map(|date| date.format("%Y-%m-%d").to_string()),
            scopes: changes.scopes.as_ref().map(|scopes| scopes.to_text()),
            allowed_ips: changes.allowed_ips.as_ref().map(|ips| ips.to_text()),
            updated_at: None,
        };
        match api_clients::update(tx, &row.id, set, now) {
            Ok(row) => Ok(api_clients::with_owner(tx, row)?),
            Err(error) if api_clients::is_duplicate_name(&error) => Err(name_not_unique()),
            Err(error) => Err(error.into()),
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApiClientResponse::new(found, now)))
}
