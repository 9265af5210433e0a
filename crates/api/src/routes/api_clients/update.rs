use actix_web::patch;
use actix_web::{web, HttpResponse};

use users_domain::api_client::ApiClientChanges;
use users_domain::{messages, FieldError};

use super::create::name_not_unique;
use users_domain::activity::Action;

use super::representation::{change_client, client_input, ApiClientResponse, UpdateApiClientBody, CLIENT_FIELDS};
use crate::db::api_clients;
use crate::http::caller::Caller;
use crate::http::json::JsonObject;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Change an API client
///
/// Rename an API client or change its expiry date. A revoked client stays
/// revoked; an expired one given a date in the future works again.
///
/// Roles: editor, administrator (any client), api (their own); viewers only read.
#[utoipa::path(
    operation_id = "update_api_client",
    tag = "api-clients",
    params(("id" = String, Path, format = Uuid, description = "The client's id")),
    request_body(content = UpdateApiClientBody, content_type = "application/json"),
    security(("bearer" = ["editor", "administrator", "api"])),
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
    caller: Caller,
    id: web::Path<String>,
    body: JsonObject,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let now = Timestamp::now();
    let found = change_client(&state, &caller, id.into_inner(), Action::ApiClientUpdated, move |tx, row| {
        let mut errors = body.unknown_fields(&CLIENT_FIELDS);
        let input = client_input(&body);
        let changes = match ApiClientChanges::parse(&input, &row.name, row.expires_on_date(), now.utc().date_naive()) {
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
        if !errors.is_empty() {
            return Err(Problem::validation(errors));
        }
        if changes.is_empty() {
            return Ok(api_clients::with_owner(tx, row)?);
        }
        let name = changes.name.as_ref().map(|name| (name.as_str(), name.key()));
        let expires_on = changes.expires_on.map(|date| date.format("%Y-%m-%d").to_string());
        match api_clients::update(tx, &row.id, name, expires_on, now) {
            Ok(row) => Ok(api_clients::with_owner(tx, row)?),
            Err(error) if api_clients::is_duplicate_name(&error) => Err(name_not_unique()),
            Err(error) => Err(error.into()),
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApiClientResponse::new(found, now)))
}
