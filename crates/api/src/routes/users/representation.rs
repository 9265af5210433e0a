//! What the users operations share: the user's representation, the bodies and the activity changes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::{Actor, Field, NewUser, SupportRole, UserInput};

use crate::db::users::UserRow;
use crate::http::json::JsonObject;
use crate::time::{self, from_db, Timestamp};

/// The fields a create or change body may carry.
pub const USER_FIELDS: [&str; 6] = users_domain::user::FIELD_ORDER;

/// A field that may be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EditableField {
    FirstName,
    LastName,
    Email,
    ApiUser,
    SupportRole,
    Active,
}

/// A support user's role; API users have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = SupportRole)]
pub enum SupportRoleBody {
    /// Can view users, API clients and activity.
    Viewer,
    /// Can also add, change and delete users and API clients.
    Editor,
    /// Can also add, change and delete administrators.
    Administrator,
}

impl From<SupportRole> for SupportRoleBody {
    fn from(role: SupportRole) -> Self {
        match role {
            SupportRole::Viewer => Self::Viewer,
            SupportRole::Editor => Self::Editor,
            SupportRole::Administrator => Self::Administrator,
        }
    }
}

impl From<Field> for EditableField {
    fn from(field: Field) -> Self {
        match field {
            Field::FirstName => Self::FirstName,
            Field::LastName => Self::LastName,
            Field::Email => Self::Email,
            Field::ApiUser => Self::ApiUser,
            Field::Active => Self::Active,
            Field::SupportRole => Self::SupportRole,
        }
    }
}

/// A user.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = User, example = json!({
    "id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada.lovelace@education.gov.uk",
    "api_user": false,
    "support_role": "editor",
    "active": true,
    "last_signed_in_at": null,
    "editable_fields": ["first_name", "last_name", "email", "api_user", "support_role", "active"],
    "can_delete": true,
    "created_at": "2025-12-11T14:13:00Z",
    "updated_at": "2025-12-11T14:13:00Z",
    "version": 1
}))]
pub struct UserResponse {
    /// The user's id (a UUIDv7).
    #[schema(format = Uuid)]
    pub id: String,
    /// First name, trimmed.
    pub first_name: String,
    /// Last name, trimmed.
    pub last_name: String,
    /// DfE email address, lower-cased.
    #[schema(format = Email)]
    pub email: String,
    /// Whether the account is an API user (role `api`) rather than a support user.
    pub api_user: bool,
    /// A support user's role; `null` for an API user.
    pub support_role: Option<SupportRoleBody>,
    /// Whether the account may sign in and use the API.
    pub active: bool,
    /// When the user last signed in; `null` if never. Once set, only
    /// `api_user`, `support_role` and `active` can change.
    #[serde(serialize_with = "time::serialize_option")]
    pub last_signed_in_at: Option<DateTime<Utc>>,
    /// The fields the caller may change now: what their role allows, less
    /// what the edit lock keeps (`[]` for a viewer).
    pub editable_fields: Vec<EditableField>,
    /// Whether the caller may delete this user.
    pub can_delete: bool,
    /// When the user was added.
    #[serde(serialize_with = "time::serialize")]
    pub created_at: DateTime<Utc>,
    /// When the user last changed.
    #[serde(serialize_with = "time::serialize")]
    pub updated_at: DateTime<Utc>,
    /// Increases on every change; sent as the `ETag`.
    pub version: i64,
}

impl UserResponse {
    /// The representation of `row` for `caller` at `now`.
    pub fn new(row: UserRow, caller: Actor<'_>, now: Timestamp) -> Self {
        let state = row.state();
        let editable_fields = caller.editable_fields(&state, now.utc()).into_iter().map(EditableField::from).collect();
        let can_delete = caller.can_delete(&state);
        Self {
            id: row.id,
            first_name: row.first_name,
            last_name: row.last_name,
            email: row.email,
            api_user: row.api_user,
            support_role: state.support_role.map(SupportRoleBody::from),
            active: row.active,
            last_signed_in_at: state.last_signed_in_at,
            editable_fields,
            can_delete,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
            version: row.version,
        }
    }
}

/// A user that a create dry run would add, normalised.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = UserDraft)]
pub struct UserDraft {
    /// First name, trimmed.
    pub first_name: String,
    /// Last name, trimmed.
    pub last_name: String,
    /// DfE email address, lower-cased.
    #[schema(format = Email)]
    pub email: String,
    /// Whether the account would be an API user.
    pub api_user: bool,
    /// The role the account would have; `null` for an API user.
    pub support_role: Option<SupportRoleBody>,
    /// Whether the account would be active.
    pub active: bool,
}

impl From<&NewUser> for UserDraft {
    fn from(user: &NewUser) -> Self {
        Self {
            first_name: user.first_name.to_string(),
            last_name: user.last_name.to_string(),
            email: user.email.to_string(),
            api_user: user.api_user,
            support_role: user.support_role.map(SupportRoleBody::from),
            active: user.active,
        }
    }
}

/// The body of `create_user`. Fields not listed are refused (422).
#[allow(dead_code)] // Documents the body; requests are read field by field.
#[derive(serde::Deserialize, ToSchema)]
#[schema(as = CreateUser, example = json!({
    "first_name": "Ada", "last_name": "Lovelace", "email": "ada.lovelace@education.gov.uk", "api_user": false
}))]
#[serde(deny_unknown_fields)]
pub struct CreateUserBody {
    /// Required; trimmed; at most 255 characters; no line breaks.
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB][^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$"
    )]
    first_name: String,
    /// Required; trimmed; at most 255 characters; no line breaks.
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB][^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$"
    )]
    last_name: String,
    /// Required; an address on `education.gov.uk` or a subdomain of it.
    #[schema(max_length = 254, pattern = r#"^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[Ee][Dd][Uu][Cc][Aa][Tt][Ii][Oo][Nn]\.[Gg][Oo][Vv]\.[Uu][Kk]$"#, format = Email)]
    email: String,
    /// Required: whether the account is an API user.
    api_user: bool,
    /// A support user's role, `viewer` when absent (least privilege); absent
    /// or `null` for an API user. Only an administrator may give
    /// `administrator`.
    support_role: Option<SupportRoleBody>,
    /// Optional, default `true`.
    #[schema(nullable = false)]
    active: Option<bool>,
}

/// The body of `update_user`: any of the fields; absent means no change.
/// Fields not listed are refused (422).
#[allow(dead_code)] // Documents the body; requests are read field by field.
#[derive(serde::Deserialize, ToSchema)]
#[schema(as = UpdateUser, example = json!({"active": false}))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserBody {
    /// Trimmed; at most 255 characters; no line breaks. Locked once the user has signed in.
    #[schema(
        nullable = false,
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB][^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$"
    )]
    first_name: Option<String>,
    /// Trimmed; at most 255 characters; no line breaks. Locked once the user has signed in.
    #[schema(
        nullable = false,
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB][^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$"
    )]
    last_name: Option<String>,
    /// An address on `education.gov.uk` or a subdomain. Locked once the user has signed in.
    #[schema(nullable = false, max_length = 254, pattern = r#"^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[Ee][Dd][Uu][Cc][Aa][Tt][Ii][Oo][Nn]\.[Gg][Oo][Vv]\.[Uu][Kk]$"#, format = Email)]
    email: Option<String>,
    /// Whether the account is an API user. Becoming one takes the role away;
    /// becoming a support user again without a `support_role` gives `viewer`.
    #[schema(nullable = false)]
    api_user: Option<bool>,
    /// A support user's role (`null` only for an API user). Never locked;
    /// nobody changes their own, and only an administrator may give
    /// `administrator` or change an administrator.
    support_role: Option<SupportRoleBody>,
    /// Whether the account may sign in.
    #[schema(nullable = false)]
    active: Option<bool>,
}

/// The activity `changes` of a new user: `[null, value]` for each field.
pub(crate) fn created_changes(row: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "first_name": [null, row.first_name],
        "last_name": [null, row.last_name],
        "email": [null, row.email],
        "api_user": [null, row.api_user],
        "support_role": [null, row.support_role],
        "active": [null, row.active],
    })
}

/// The activity `changes` of a change: `[old, new]` for exactly the fields
/// that changed.
pub(crate) fn updated_changes(before: &UserRow, changes: &users_domain::UserChanges) -> serde_json::Value {
    use serde_json::json;
    let mut diff = serde_json::Map::new();
    if let Some(name) = &changes.first_name {
        diff.insert("first_name".into(), json!([before.first_name, name.as_str()]));
    }
    if let Some(name) = &changes.last_name {
        diff.insert("last_name".into(), json!([before.last_name, name.as_str()]));
    }
    if let Some(email) = &changes.email {
        diff.insert("email".into(), json!([before.email, email.as_str()]));
    }
    if let Some(api_user) = changes.api_user {
        diff.insert("api_user".into(), json!([before.api_user, api_user]));
    }
    if let Some(role) = changes.support_role {
        diff.insert("support_role".into(), json!([before.support_role, role.map(SupportRole::as_str)]));
    }
    if let Some(active) = changes.active {
        diff.insert("active".into(), json!([before.active, active]));
    }
    serde_json::Value::Object(diff)
}

/// The user fields of a body, as they arrived.
pub(crate) fn user_input(body: &JsonObject) -> UserInput<'_> {
    UserInput {
        first_name: body.string("first_name"),
        last_name: body.string("last_name"),
        email: body.string("email"),
        api_user: body.boolean("api_user"),
        active: body.boolean("active"),
        support_role: body.string("support_role"),
    }
}

/// The `dry_run` query parameter, documented on create and change.
#[allow(dead_code)] // Documents the parameter; it is read with the query string.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DryRunParam {
    /// `true` validates everything (uniqueness and guards too) and saves nothing.
    dry_run: Option<bool>,
}
