use actix_web::get;
use actix_web::{web, HttpRequest, HttpResponse};

use super::representation::{page_of, parse_query, ActivityListParams, ActivityPage};
use crate::db::activity;
use crate::http::caller::SupportUser;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;

/// List the activity log
///
/// The activity log of the whole service, newest first, with filters.
///
/// Roles: viewer, editor, administrator.
#[utoipa::path(
    operation_id = "list_activity",
    tag = "activity",
    params(ActivityListParams),
    security(("bearer" = ["viewer", "editor", "administrator"])),
    responses(
        (status = 200, description = "A page of activity", body = ActivityPage),
        (status = 400, description = "The query string cannot be decoded", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/activity")]
pub async fn list_activity(
    caller: SupportUser,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let (rows, more) = caller
        .run(&state.db, parse_query(&req), |conn, _, (query, per_page)| Ok(activity::page(conn, &query, per_page)?))
        .await?;
    Ok(HttpResponse::Ok().json(page_of(rows, more)))
}
