use actix_web::get;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::db::{activity, users};
use crate::http::caller::SupportUser;
use crate::http::params::resource_id;
use crate::problem::{Problem, ProblemBody};
use crate::routes::activity::representation::{page_of, parse_query, ActivityPage, PagingParams};
use crate::state::AppState;

/// List a user's activity
///
/// A user's activity, newest first: changes to them, their sign-ins and the
/// emails sent to them. Readable for deleted users too, by id.
///
/// Roles: viewer, editor, administrator.
#[utoipa::path(
    operation_id = "list_user_activity",
    tag = "activity",
    params(("id" = String, Path, format = Uuid, description = "The user's id"), PagingParams),
    security(("bearer" = ["viewer", "editor", "administrator"])),
    responses(
        (status = 200, description = "A page of the user's activity", body = ActivityPage),
        (status = 400, description = "The query string cannot be decoded", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No user ever had this id", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}/activity")]
pub async fn list_user_activity(
    caller: SupportUser,
    id: web::Path<String>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let input = resource_id(id).and_then(|id| {
        let (mut query, per_page) = parse_query(&req)?;
        query.user_id = Some(id.clone());
        Ok((id, query, per_page))
    });
    let (rows, more) = caller
        .run(&state.db, input, |conn, _, (id, query, per_page)| {
            if !users::ever_existed(conn, &id)? {
                return Err(Problem::not_found());
            }
            Ok(activity::page(conn, &query, per_page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page_of(rows, more)))
}
