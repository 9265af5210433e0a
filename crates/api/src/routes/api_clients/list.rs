use actix_web::get;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::list::{ListParams, Position as Start, RawListParams};

use super::representation::{scope_of, ApiClientResponse};
use crate::db::api_clients::{self, Position};
use crate::http::clients_caller::ClientsCaller;
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::problem::{Problem, ProblemBody};
use crate::routes::cursor;
use crate::state::AppState;
use crate::time::Timestamp;

/// A page of API clients.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ApiClientPage)]
pub struct ApiClientPage {
    /// The clients on this page, by name (ignoring case), then id.
    pub items: Vec<ApiClientResponse>,
    /// The page number; `null` when the page was asked for by `cursor`.
    pub page: Option<u64>,
    /// Items per page.
    pub per_page: u64,
    /// How many clients the caller may see.
    pub total: u64,
    /// How many pages of `per_page` that makes (0 when `total` is 0).
    pub total_pages: u64,
    /// Send as `cursor` for the next page; `null` exactly when no client follows.
    pub next_cursor: Option<String>,
}

/// The list's query parameters.
#[allow(dead_code)] // Documents the parameters; they are read from the query string.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListApiClientsParams {
    /// Page number, from 1. Not with `cursor`.
    #[param(minimum = 1, maximum = 1_000_000, default = 1)]
    page: Option<u64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 25)]
    per_page: Option<u64>,
    /// `next_cursor` of the previous page, to continue after it (keyset
    /// pagination); send the same `per_page`, and no `page`.
    cursor: Option<String>,
}

/// List API clients
///
/// List API clients: a support user sees every client, with its owner; an
/// API user sees their own. By name, 25 a page; numbered pages with totals,
/// or a keyset cursor.
///
/// Roles: viewer, editor, administrator (all clients), api (their own).
#[utoipa::path(
    operation_id = "list_api_clients",
    tag = "api-clients",
    params(ListApiClientsParams),
    security(("bearer" = ["viewer", "editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 200, description = "A page of API clients", body = ApiClientPage),
        (status = 400, description = "The query string cannot be decoded", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/api-clients")]
pub async fn list_api_clients(
    caller: ClientsCaller,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let pairs = query_pairs(&req)?;
    let raw = RawListParams {
        page: query_value(&pairs, "page"),
        per_page: query_value(&pairs, "per_page"),
        cursor: query_value(&pairs, "cursor"),
        ..RawListParams::default()
    };
    let params = ListParams::parse(&raw)?;
    let (start, page) = match &params.position {
        Start::Page(page) => (api_clients::Start::Offset((page - 1).saturating_mul(params.per_page)), Some(*page)),
        Start::After(text) => {
            let (name_key, id): (String, String) = cursor::decode(text)?;
            (api_clients::Start::After(Position { name_key, id }), None)
        }
    };
    let scope = scope_of(&caller);
    let per_page = params.per_page;
    let (rows, more, total) = state
        .db
        .run(move |conn| {
            let (rows, more) = api_clients::page(conn, &scope, &start, per_page)?;
            let total = api_clients::count(conn, &scope)?;
            Ok::<_, Problem>((rows, more, total))
        })
        .await?;
    let next_cursor =
        if more { rows.last().map(|last| cursor::encode(&(&last.client.name_key, &last.client.id))) } else { None };
    let now = Timestamp::now();
    Ok(HttpResponse::Ok().json(ApiClientPage {
        items: rows.into_iter().map(|row| ApiClientResponse::new(row, now)).collect(),
        page,
        per_page,
        total,
        total_pages: total.div_ceil(per_page),
        next_cursor,
    }))
}
