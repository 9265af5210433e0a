//! What the activity operations share: the entry's representation and the page's parameters.

use actix_web::HttpRequest;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use users_domain::activity::{ActivityParams, RawActivityParams};

use crate::db::activity::{self, ActivityRow};
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::problem::Problem;
use crate::routes::cursor;
use crate::time::{self, from_db, Timestamp};

/// Who did it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Actor {
    /// The user's id.
    #[schema(format = Uuid)]
    pub id: String,
    /// "First Last", as the user was called at the time.
    pub name: String,
}

/// One entry of the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ActivityEntry, example = json!({
    "id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
    "occurred_at": "2025-12-11T14:13:00Z",
    "actor": {"id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6c", "name": "Ada Lovelace"},
    "action": "user.updated",
    "user_id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6d",
    "changes": {"email": ["grace@education.gov.uk", "grace.hopper@education.gov.uk"]},
    "details": null,
    "request_id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6e"
}))]
pub struct ActivityEntry {
    /// The entry's id.
    #[schema(format = Uuid)]
    pub id: String,
    /// When it happened.
    #[serde(serialize_with = "time::serialize")]
    pub occurred_at: DateTime<Utc>,
    /// Who did it; `null` for the service itself (email delivery).
    pub actor: Option<Actor>,
    /// What happened: `user.created`, `user.updated`, `user.deleted`, `user.signed_in`,
    /// `api_client.created|updated|revoked|rotated|deleted`, `email.sent`, `email.failed`.
    pub action: String,
    /// The user whose history this is.
    #[schema(format = Uuid)]
    pub user_id: Option<String>,
    /// For changes: `{"field": [old, new]}` for exactly the fields that changed
    /// (`[null, value]` for each field of a new user).
    #[schema(value_type = Option<Object>)]
    pub changes: Option<Value>,
    /// Anything else recorded, like the kind of an email (never its body).
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
    /// The request that caused it.
    pub request_id: Option<String>,
}

impl From<ActivityRow> for ActivityEntry {
    fn from(row: ActivityRow) -> Self {
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Self {
            id: row.id,
            occurred_at: from_db(row.occurred_at),
            actor: row.actor_id.map(|id| Actor { id, name: row.actor_name.unwrap_or_default() }),
            action: row.action,
            user_id: row.user_id,
            changes: parse(row.changes),
            details: parse(row.details),
            request_id: row.request_id,
        }
    }
}

/// A page of activity, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ActivityPage)]
pub struct ActivityPage {
    /// The entries, newest first.
    pub items: Vec<ActivityEntry>,
    /// Send as `cursor` for the next (older) page; `null` when none follows.
    pub next_cursor: Option<String>,
}

/// The parameters of an activity list.
#[allow(dead_code)] // Documents the parameters; they are read from the query string.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListParams {
    /// Only entries by this user (an id).
    #[param(format = Uuid, pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")]
    actor: Option<String>,
    /// Only this action.
    #[param(inline)]
    action: Option<ActionParam>,
    /// Only entries at or after this time (RFC 3339) or date (`YYYY-MM-DD`, midnight UTC).
    #[param(schema_with = date_or_time)]
    since: Option<String>,
    /// Only entries before this time or date.
    #[param(schema_with = date_or_time)]
    until: Option<String>,
    /// Entries per page.
    #[param(minimum = 1, maximum = 100, default = 25)]
    per_page: Option<u64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The actions, as a query parameter.
#[allow(dead_code)]
#[derive(serde::Deserialize, ToSchema)]
enum ActionParam {
    #[serde(rename = "user.created")]
    UserCreated,
    #[serde(rename = "user.updated")]
    UserUpdated,
    #[serde(rename = "user.deleted")]
    UserDeleted,
    #[serde(rename = "user.signed_in")]
    UserSignedIn,
    #[serde(rename = "api_client.created")]
    ApiClientCreated,
    #[serde(rename = "api_client.updated")]
    ApiClientUpdated,
    #[serde(rename = "api_client.revoked")]
    ApiClientRevoked,
    #[serde(rename = "api_client.rotated")]
    ApiClientRotated,
    #[serde(rename = "api_client.deleted")]
    ApiClientDeleted,
    #[serde(rename = "email.sent")]
    EmailSent,
    #[serde(rename = "email.failed")]
    EmailFailed,
}

/// A date (`YYYY-MM-DD`) or an RFC 3339 date and time.
fn date_or_time() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    AnyOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .build()
        .into()
}

/// The parameters of a user's activity list.
#[allow(dead_code)] // Documents the parameters; they are read from the query string.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PagingParams {
    /// Entries per page.
    #[param(minimum = 1, maximum = 100, default = 25)]
    per_page: Option<u64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Reads the query string into a database query and a page size.
pub fn parse_query(req: &HttpRequest) -> Result<(activity::Query, u64), Problem> {
    let pairs = query_pairs(req)?;
    let raw = RawActivityParams {
        actor: query_value(&pairs, "actor"),
        action: query_value(&pairs, "action"),
        since: query_value(&pairs, "since"),
        until: query_value(&pairs, "until"),
        per_page: query_value(&pairs, "per_page"),
        cursor: query_value(&pairs, "cursor"),
    };
    let params = ActivityParams::parse(&raw)?;
    let after = params.cursor.as_deref().map(decode_cursor).transpose()?;
    Ok((
        activity::Query {
            user_id: None,
            actor_id: params.actor,
            action: params.action,
            since: params.since.map(Timestamp::from),
            until: params.until.map(Timestamp::from),
            after,
        },
        params.per_page,
    ))
}

/// The page for `rows`, with a cursor after the last when more follow.
pub fn page_of(rows: Vec<ActivityRow>, more: bool) -> ActivityPage {
    let next_cursor = if more { rows.last().map(|r| encode_cursor(r.occurred_at, &r.id)) } else { None };
    ActivityPage { items: rows.into_iter().map(ActivityEntry::from).collect(), next_cursor }
}

fn encode_cursor(at: NaiveDateTime, id: &str) -> String {
    cursor::encode(&(at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(), id))
}

fn decode_cursor(text: &str) -> Result<(NaiveDateTime, String), Problem> {
    let (at, id): (String, String) = cursor::decode(text)?;
    let at = NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| cursor::invalid())?;
    if !users_domain::ids::is_uuid(&id) {
        return Err(cursor::invalid());
    }
    Ok((at, id))
}
