use actix_web::http::header;
use actix_web::post;
use actix_web::{web, HttpResponse};

use users_domain::api_client::{ClientName, NewApiClient};
use users_domain::{messages, FieldError, Supplied, SupportRole};

use users_domain::activity::Action;

use super::representation::{
    check_may_change_clients, client_input, log_client_activity, new_token, ApiClientResponse, ApiClientWithToken,
    CreateApiClientBody, CLIENT_FIELDS,
};
use crate::db::api_clients::{self, NewClientRow};
use crate::db::users::{self, UserRow};
use crate::db::Conn;
use crate::http::clients_caller::ClientsCaller;
use crate::http::json::JsonObject;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Add an API client
///
/// Add an API client, owned by the caller. The answer carries its token:
/// shown this once, never again (only a keyed hash is kept).
///
/// Roles: editor, administrator, api; viewers only read.
#[utoipa::path(
    operation_id = "create_api_client",
    tag = "api-clients",
    request_body(content = CreateApiClientBody, content_type = "application/json"),
    security(("bearer" = ["editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 201, description = "The client was added; `token` is shown only now", body = ApiClientWithToken,
            headers(("Location" = String, description = "The new client's address"))),
        (status = 400, description = "The body is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid, or the name is in use", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/api-clients")]
pub async fn create_api_client(
    caller: ClientsCaller,
    body: JsonObject,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    check_may_change_clients(&caller)?;
    let now = Timestamp::now();
    let input = client_input(&body);
    let parsed = NewApiClient::parse(&input, now.utc().date_naive(), state.config.api_client_lifetimes);
    let proposed_name = input.name.value().and_then(|raw| ClientName::parse(raw).ok());
    let mut errors = body.unknown_fields(&CLIENT_FIELDS);
    let owner_named = body.string("owner_id").map(str::to_owned);
    let token = new_token()?;
    let hash = state.client_tokens.hash(&token);
    let actor = caller.user.clone();
    let giver_is_administrator = actor.role() == Some(SupportRole::Administrator);
    // A client token acts for its owner, on the owner's clients, within its own scopes.
    let granter = caller.via.as_ref().map(|via| via.scopes.clone());
    let may_name_others = granter.is_none() && !actor.api_user;
    let request_id = crate::request_id::current();
    let found = state
        .db
        .run(move |conn| {
            let owner = owner_of_new_client(conn, &actor, may_name_others, owner_named)?;
            match &owner {
                None => errors.push(FieldError::new("owner_id", messages::SELECT_CLIENT_OWNER)),
                Some(owner) => {
                    if let Some(name) = &proposed_name {
                        if api_clients::name_in_use(conn, &owner.id, &name.key(), None)? {
                            errors.push(FieldError::new("name", messages::CLIENT_NAME_NOT_UNIQUE));
                        }
                    }
                    if let Ok(client) = &parsed {
                        let owner_is_administrator = owner.role() == Some(SupportRole::Administrator);
                        errors.take(client.scopes.check_scim(owner_is_administrator, giver_is_administrator));
                        if let Some(granter) = &granter {
                            errors.take(client.scopes.check_within(granter));
                        }
                    }
                }
            }
            let (client, owner_id) = match (parsed, owner) {
                (Ok(client), Some(owner)) if errors.is_empty() => (client, owner.id),
                (Ok(_), _) => return Err(Problem::validation(errors)),
                (Err(rule_errors), _) => {
                    errors.extend(rule_errors);
                    return Err(Problem::validation(errors));
                }
            };
            let id = uuid::Uuid::now_v7().to_string();
            let expires_on = client.expires_on.format("%Y-%m-%d").to_string();
            let row = NewClientRow {
                id: &id,
                owner_id: &owner_id,
                name: client.name.as_str(),
                name_key: &client.name.key(),
                token_hash: &hash,
                expires_on: &expires_on,
                scopes: &client.scopes.to_text(),
                allowed_ips: &client.allowed_ips.to_text(),
                created_at: now.db(),
                updated_at: now.db(),
            };
            conn.write(|tx| {
                let inserted = match api_clients::insert(tx, &row) {
                    Ok(row) => row,
                    Err(error) if api_clients::is_duplicate_name(&error) => return Err(name_not_unique()),
                    Err(error) => return Err(error.into()),
                };
                log_client_activity(
                    tx,
                    Action::ApiClientCreated,
                    &id,
                    &owner_id,
                    client.name.as_str(),
                    &actor,
                    request_id.as_deref(),
                )?;
                Ok(api_clients::with_owner(tx, inserted)?)
            })
        })
        .await?;
    let client = ApiClientResponse::new(found, now);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/api-clients/{}", client.id)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ApiClientWithToken { client, token: token.expose().to_owned() }))
}

/// Who will own a new client: the caller, unless `owner_id` names another
/// live user and the caller may name one (a signed-in support user: API
/// users and client tokens add clients for themselves); `None` when the
/// named owner cannot be one.
fn owner_of_new_client(
    conn: &mut Conn<'_>,
    caller: &UserRow,
    may_name_others: bool,
    named: Supplied<String>,
) -> diesel::QueryResult<Option<UserRow>> {
    match named {
        Supplied::Absent | Supplied::Null => Ok(Some(caller.clone())),
        Supplied::Value(id) if id == caller.id => Ok(Some(caller.clone())),
        Supplied::Value(id) if may_name_others && uuid::Uuid::try_parse(&id).is_ok() => users::find(conn, &id),
        _ => Ok(None),
    }
}

/// The 422 for a name the owner already uses (also when a concurrent request
/// took it first).
pub(super) fn name_not_unique() -> Problem {
    Problem::from(FieldError::new("name", messages::CLIENT_NAME_NOT_UNIQUE))
}
