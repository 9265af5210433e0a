use actix_web::get;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::list::{ListParams, Position as Start, RawListParams};

use super::representation::UserResponse;
use crate::db::user_list::{self, Filters, Position};
use crate::http::caller::SupportUser;
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::problem::{Problem, ProblemBody};
use crate::routes::cursor;
use crate::state::AppState;
use crate::time::Timestamp;

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = UserPage)]
pub struct UserPage {
    /// The users on this page, by first name, then last name, then id.
    pub items: Vec<UserResponse>,
    /// The page number; `null` when the page was asked for by `cursor`.
    pub page: Option<u64>,
    /// Items per page.
    pub per_page: u64,
    /// How many users match the filters.
    pub total: u64,
    /// How many pages of `per_page` that makes (0 when `total` is 0).
    pub total_pages: u64,
    /// Send as `cursor` for the next page; `null` exactly when no user follows.
    pub next_cursor: Option<String>,
}

/// The list's query parameters.
#[allow(dead_code)] // Documents the parameters; they are read from the query string.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersParams {
    /// Page number, from 1. Not with `cursor`.
    #[param(minimum = 1, maximum = 1_000_000, default = 1)]
    page: Option<u64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 25)]
    per_page: Option<u64>,
    /// Matches the start of first name, last name, "first last" or email, ignoring case.
    #[param(max_length = 600, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")]
    q: Option<String>,
    /// Only active or only inactive users.
    #[param(inline)]
    status: Option<StatusParam>,
    /// Only API users or only support users.
    #[param(inline, rename = "type")]
    r#type: Option<TypeParam>,
    /// Only support users with this role (API users have none).
    #[param(inline)]
    role: Option<RoleParam>,
    /// `next_cursor` of the previous page, to continue after it (keyset
    /// pagination); send the same `q`, `status`, `type`, `role` and `per_page`, and no `page`.
    cursor: Option<String>,
}

#[allow(dead_code)]
#[derive(serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum StatusParam {
    Active,
    Inactive,
}

#[allow(dead_code)]
#[derive(serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum TypeParam {
    Api,
    Support,
}

#[allow(dead_code)]
#[derive(serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum RoleParam {
    Viewer,
    Editor,
    Administrator,
}

/// List users
///
/// List users: alphabetical by first then last name, 25 a page, with search
/// and filters; numbered pages with totals, or a keyset cursor.
///
/// Roles: viewer, editor, administrator.
#[utoipa::path(
    operation_id = "list_users",
    tag = "users",
    params(ListUsersParams),
    security(("bearer" = ["viewer", "editor", "administrator"])),
    responses(
        (status = 200, description = "A page of users", body = UserPage),
        (status = 400, description = "The query string cannot be decoded", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    caller: SupportUser,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let now = Timestamp::now();
    let (query, found) = caller
        .run(&state.db, parse_list_query(&req), |conn, actor, query| {
            let found = user_list::page(conn, &query.filters, &query.start, query.per_page)?;
            Ok(((query, actor), found))
        })
        .await?;
    let (query, actor) = query;
    let ListQuery { page, per_page, .. } = query;
    let user_list::Page { rows, more, total } = found;
    let next_cursor = if more { rows.last().map(|row| encode_cursor(&row.position())) } else { None };
    Ok(HttpResponse::Ok().json(UserPage {
        items: rows.into_iter().map(|row| UserResponse::new(row, actor.actor(), now)).collect(),
        page,
        per_page,
        total,
        total_pages: total.div_ceil(per_page),
        next_cursor,
    }))
}

/// A list request, parsed.
struct ListQuery {
    filters: Filters,
    start: user_list::Start,
    /// The page number, unless the request gave a cursor.
    page: Option<u64>,
    per_page: u64,
}

fn parse_list_query(req: &HttpRequest) -> Result<ListQuery, Problem> {
    let pairs = query_pairs(req)?;
    let raw = RawListParams {
        page: query_value(&pairs, "page"),
        per_page: query_value(&pairs, "per_page"),
        q: query_value(&pairs, "q"),
        status: query_value(&pairs, "status"),
        kind: query_value(&pairs, "type"),
        role: query_value(&pairs, "role"),
        cursor: query_value(&pairs, "cursor"),
    };
    let params = ListParams::parse(&raw)?;
    let (start, page) = match &params.position {
        Start::Page(page) => (user_list::Start::Offset((page - 1).saturating_mul(params.per_page)), Some(*page)),
        Start::After(cursor) => (user_list::Start::After(decode_cursor(cursor)?), None),
    };
    let filters = Filters { q: params.q, status: params.status, kind: params.kind, role: params.role };
    Ok(ListQuery { filters, start, page, per_page: params.per_page })
}

/// A cursor is the position of the last item shown: (first name key, last
/// name key, id), encoded as every cursor here is ([`crate::routes::cursor`]).
fn encode_cursor(position: &Position) -> String {
    cursor::encode(&(&position.first_name_key, &position.last_name_key, &position.id))
}

fn decode_cursor(text: &str) -> Result<Position, Problem> {
    let (first_name_key, last_name_key, id): (String, String, String) = cursor::decode(text)?;
    Ok(Position { first_name_key, last_name_key, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_the_position_it_was_made_from() {
        let position = Position { first_name_key: "ada".into(), last_name_key: "lovelace ✓".into(), id: "x".into() };
        assert_eq!(decode_cursor(&encode_cursor(&position)).unwrap(), position);
    }

    #[test]
    fn a_tampered_cursor_is_refused() {
        assert_eq!(decode_cursor("not base64!").unwrap_err().status().as_u16(), 422);
        assert_eq!(decode_cursor(&cursor::encode(&[1, 2])).unwrap_err().status().as_u16(), 422);
    }
}
