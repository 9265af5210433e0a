//! What the api clients operations share: the client's representation, its bodies, and the checks of ownership.

use chrono::{DateTime, Utc};
use rand::rngs::OsRng;
use rand::TryRngCore;
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::api_client::{ClientInput, ClientStatus};
use users_domain::client_token::{ClientToken, SECRET_BYTES};

use crate::auth::jwt::Role;
use crate::db::activity::{self, Entry};
use crate::db::api_clients::{self, ApiClientRow, ClientWithOwner, Scope};
use crate::db::users::UserRow;
use crate::db::Conn;
use crate::http::clients_caller::ClientsCaller;
use crate::http::json::JsonObject;
use crate::problem::Problem;
use crate::state::AppState;
use crate::time::{self, from_db, Timestamp};
use users_domain::activity::Action;

/// The fields a create or change body may carry.
pub const CLIENT_FIELDS: [&str; 5] = users_domain::api_client::FIELD_ORDER;
/// The fields a change body may carry (the owner is chosen once).
pub const CHANGE_FIELDS: [&str; 4] = ["name", "expires_on", "scopes", "allowed_ips"];

/// What a client's token may do.
#[allow(dead_code)] // Documents the values; requests are read field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[schema(as = ApiClientScope)]
pub enum ScopeBody {
    /// Manage its owner's API clients through `/api-clients`, itself included.
    #[serde(rename = "api_clients:manage")]
    ApiClientsManage,
    /// Read training-provider data (`GET /api/v1/providers`).
    #[serde(rename = "providers:read")]
    ProvidersRead,
    /// Provision users through SCIM; only on an administrator's client, given
    /// by an administrator.
    #[serde(rename = "scim")]
    Scim,
}

/// A client's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ApiClientStatus)]
pub enum StatusBody {
    /// Its token works while its owner is active.
    Active,
    /// Its expiry date has come; a new date makes it active again.
    Expired,
    /// Revoked: its tokens never work again.
    Revoked,
}

impl From<ClientStatus> for StatusBody {
    fn from(status: ClientStatus) -> Self {
        match status {
            ClientStatus::Active => Self::Active,
            ClientStatus::Expired => Self::Expired,
            ClientStatus::Revoked => Self::Revoked,
        }
    }
}

/// Who owns a client.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ApiClientOwner)]
pub struct OwnerBody {
    /// The owner's user id.
    #[schema(format = Uuid)]
    pub id: String,
    /// "First Last".
    pub name: String,
}

/// An API client. Its token is never part of it: only `create_api_client`
/// and `rotate_api_client` answer with a token, once.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ApiClient, example = json!({
    "id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
    "name": "Payroll sync",
    "status": "active",
    "expires_on": "2026-06-11",
    "owner": {"id": "0193b0c2-7a1e-7c4e-9f3a-000000000001", "name": "Katherine Johnson"},
    "scopes": ["providers:read"],
    "allowed_ips": [],
    "last_used_at": null,
    "rotated_at": null,
    "previous_token_expires_at": null,
    "revoked_at": null,
    "created_at": "2025-12-11T14:13:00Z",
    "updated_at": "2025-12-11T14:13:00Z"
}))]
pub struct ApiClientResponse {
    /// The client's id (a UUIDv7).
    #[schema(format = Uuid)]
    pub id: String,
    /// The name its owner gave it, unique among the owner's clients.
    pub name: String,
    /// `active`, `expired` or `revoked`, now.
    pub status: StatusBody,
    /// The first day (UTC) on which its token no longer works.
    #[schema(format = Date)]
    pub expires_on: String,
    /// Who owns it.
    pub owner: OwnerBody,
    /// What its token may do, sorted.
    #[schema(value_type = Vec<ScopeBody>)]
    pub scopes: Vec<&'static str>,
    /// The addresses and CIDR ranges its token may be used from; empty:
    /// anywhere.
    #[schema(example = json!(["192.0.2.10", "198.51.100.0/24"]))]
    pub allowed_ips: Vec<String>,
    /// When its token was last used, to the minute; `null` if never.
    #[serde(serialize_with = "time::serialize_option")]
    pub last_used_at: Option<DateTime<Utc>>,
    /// When its token was last rotated; `null` if never.
    #[serde(serialize_with = "time::serialize_option")]
    pub rotated_at: Option<DateTime<Utc>>,
    /// While the token it had before its last rotation still works, when that
    /// stops; otherwise `null`.
    #[serde(serialize_with = "time::serialize_option")]
    pub previous_token_expires_at: Option<DateTime<Utc>>,
    /// When it was revoked; `null` if it was not.
    #[serde(serialize_with = "time::serialize_option")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was added.
    #[serde(serialize_with = "time::serialize")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(serialize_with = "time::serialize")]
    pub updated_at: DateTime<Utc>,
}

impl ApiClientResponse {
    /// The representation of `found` at `now`.
    pub fn new(found: ClientWithOwner, now: Timestamp) -> Self {
        let client = found.client;
        let status = ClientStatus::at(client.revoked_at.is_some(), client.expires_on_date(), now.utc());
        let previous_token_expires_at =
            client.previous_token_valid_until.map(from_db).filter(|until| *until > now.utc());
        let (scopes, allowed_ips) = (client.scope_set().names().collect(), client.allowlist().entries());
        Self {
            id: client.id,
            name: client.name,
            status: status.into(),
            expires_on: client.expires_on,
            owner: OwnerBody {
                id: client.owner_id,
                name: format!("{} {}", found.owner_first_name, found.owner_last_name),
            },
            scopes,
            allowed_ips,
            last_used_at: client.last_used_at.map(from_db),
            rotated_at: client.rotated_at.map(from_db),
            previous_token_expires_at: previous_token_expires_at.filter(|_| status == ClientStatus::Active),
            revoked_at: client.revoked_at.map(from_db),
            created_at: from_db(client.created_at),
            updated_at: from_db(client.updated_at),
        }
    }
}

/// A client and its new token: the only time the token is shown.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ApiClientWithToken)]
pub struct ApiClientWithToken {
    /// The client.
    #[serde(flatten)]
    pub client: ApiClientResponse,
    /// The client's token, shown this once and never again: store it now.
    /// Send it as `Authorization: Bearer <token>`.
    #[schema(example = "dfe_rtp_0Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3Ab4Cd5Ef6G7h8")]
    pub token: String,
}

/// The body of `create_api_client`. Fields not listed are refused (422).
#[allow(dead_code)] // Documents the body; requests are read field by field.
#[derive(serde::Deserialize, ToSchema)]
#[schema(as = CreateApiClient, example = json!({"name": "Payroll sync"}))]
#[serde(deny_unknown_fields)]
pub struct CreateApiClientBody {
    /// Required; trimmed; at most 100 characters; no line breaks; unique
    /// (ignoring case) among the owner's clients.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB][^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$"
    )]
    name: String,
    /// The first day (UTC) on which the token stops working: after today, and
    /// no later than `API_CLIENT_MAX_LIFETIME_MONTHS` (12 unless configured)
    /// ahead. Absent or `null`: `API_CLIENT_DEFAULT_LIFETIME_MONTHS` (6)
    /// ahead.
    #[schema(format = Date)]
    expires_on: Option<String>,
    /// The user who will own it: any live user (editors and administrators
    /// only). Absent or `null`: the caller.
    #[schema(format = Uuid)]
    owner_id: Option<String>,
    /// What its token may do. Absent or `null`: no change (on create:
    /// `["providers:read"]`).
    #[schema(min_items = 1)]
    scopes: Option<Vec<ScopeBody>>,
    /// At most 20 IPv4 or IPv6 addresses or CIDR ranges (`192.0.2.10`,
    /// `192.0.2.0/24`, `2001:db8::/32`) the token may be used from; `[]`:
    /// anywhere. Absent or `null`: no change (on create: anywhere).
    #[schema(max_items = 20)]
    allowed_ips: Option<Vec<String>>,
}

/// The body of `update_api_client`: either field; absent (or `null` for
/// `expires_on`) means no change. Fields not listed are refused (422).
#[allow(dead_code)] // Documents the body; requests are read field by field.
#[derive(serde::Deserialize, ToSchema)]
#[schema(as = UpdateApiClient, example = json!({"name": "Payroll sync (nightly)"}))]
#[serde(deny_unknown_fields)]
pub struct UpdateApiClientBody {
    /// Trimmed; at most 100 characters; no line breaks; unique (ignoring case)
    /// among the owner's clients.
    #[schema(
        nullable = false,
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB][^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$"
    )]
    name: Option<String>,
    /// After today, and no later than `API_CLIENT_MAX_LIFETIME_MONTHS` (12
    /// unless configured) ahead.
    #[schema(format = Date)]
    expires_on: Option<String>,
    /// What its token may do. Absent or `null`: no change (on create:
    /// `["providers:read"]`).
    #[schema(min_items = 1)]
    scopes: Option<Vec<ScopeBody>>,
    /// At most 20 IPv4 or IPv6 addresses or CIDR ranges (`192.0.2.10`,
    /// `192.0.2.0/24`, `2001:db8::/32`) the token may be used from; `[]`:
    /// anywhere. Absent or `null`: no change (on create: anywhere).
    #[schema(max_items = 20)]
    allowed_ips: Option<Vec<String>>,
}

/// The client fields of a body, as they arrived.
pub(crate) fn client_input(body: &JsonObject) -> ClientInput<'_> {
    ClientInput {
        name: body.string("name"),
        expires_on: body.string("expires_on"),
        scopes: body.strings("scopes"),
        allowed_ips: body.strings("allowed_ips"),
    }
}

/// The clients `caller` may see and manage: every client for a signed-in
/// support user; their own for an API user, and for any client token.
pub(crate) fn scope_of(caller: &ClientsCaller) -> Scope {
    match (caller.role, &caller.via) {
        (Role::Support, None) => Scope::All,
        _ => Scope::OwnedBy(caller.user.id.clone()),
    }
}

/// Viewers read API clients but may not change them (contract §9); API
/// users manage their own.
pub(crate) fn check_may_change_clients(caller: &ClientsCaller) -> Result<(), Problem> {
    match caller.role {
        Role::Api => Ok(()),
        Role::Support => Ok(caller.user.actor().may_write()?),
    }
}

/// Runs `change` in one write transaction on the client `id` that `caller`
/// may manage, with its row locked, and logs it in the activity as `action`
/// (in the owner's history); 404 when there is no such client.
pub(crate) async fn change_client<T: Send + 'static>(
    state: &AppState,
    caller: &ClientsCaller,
    id: String,
    action: Action,
    change: impl FnOnce(&mut Conn<'_>, ApiClientRow) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    check_may_change_clients(caller)?;
    let scope = scope_of(caller);
    let actor = caller.user.clone();
    let request_id = crate::request_id::current();
    state
        .db
        .run(move |conn| {
            conn.write(|tx| {
                let row = api_clients::find_for_update(tx, &id, &scope)?.ok_or_else(Problem::not_found)?;
                let (client_id, owner_id, name) = (row.id.clone(), row.owner_id.clone(), row.name.clone());
                let changed = change(tx, row)?;
                log_client_activity(tx, action, &client_id, &owner_id, &name, &actor, request_id.as_deref())?;
                Ok(changed)
            })
        })
        .await
}

/// One activity entry about an API client, in its owner's history.
pub(crate) fn log_client_activity(
    tx: &mut Conn<'_>,
    action: Action,
    client_id: &str,
    owner_id: &str,
    name: &str,
    actor: &UserRow,
    request_id: Option<&str>,
) -> Result<(), Problem> {
    activity::record(
        tx,
        Entry {
            action,
            user_id: Some(owner_id),
            actor: Some(actor),
            changes: None,
            details: Some(serde_json::json!({"api_client_id": client_id, "api_client_name": name})),
            request_id,
            at: crate::time::Timestamp::now(),
        },
    )?;
    Ok(())
}

/// A new token: 256 bits straight from the operating system's CSPRNG.
pub(crate) fn new_token() -> Result<ClientToken, Problem> {
    let mut secret = [0u8; SECRET_BYTES];
    OsRng.try_fill_bytes(&mut secret).map_err(|error| {
        tracing::error!(%error, "the operating system's random number generator failed");
        Problem::internal()
    })?;
    Ok(ClientToken::from_random(secret))
}
