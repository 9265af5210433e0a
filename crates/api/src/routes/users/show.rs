use actix_web::{web, HttpResponse};

use super::UserResponse;
use crate::auth::SupportUser;
use crate::db::users;
use crate::problem::{Problem, ProblemBody};
use crate::routes::{etag, resource_id};
use crate::state::AppState;
use crate::time::Timestamp;

/// Get a user
///
/// A user's details, with `editable_fields` for the 'Change' links.
///
/// Role: support.
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    operation_id = "get_user",
    tag = "users",
    params(("id" = String, Path, format = Uuid, description = "The user's id")),
    security(("bearer" = ["support"])),
    responses(
        (status = 200, description = "The user", body = UserResponse, headers(("ETag" = String, description = "The user's version"))),
        (status = 401, description = "Not signed in, or the account may no longer sign in", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "API users cannot manage users", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such user, or the user was deleted", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn get_user(
    caller: SupportUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let row = caller
        .run(&state.db, resource_id(id), |conn, _, id| users::find(conn, &id)?.ok_or_else(Problem::not_found))
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(UserResponse::new(row, Timestamp::now())))
}
