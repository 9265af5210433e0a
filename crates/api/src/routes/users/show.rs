use actix_web::get;
use actix_web::{web, HttpResponse};

use super::representation::UserResponse;
use crate::db::users;
use crate::http::caller::SupportUser;
use crate::http::if_match::etag;
use crate::http::params::resource_id;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Get a user
///
/// A user's details, with `editable_fields` for the 'Change' links.
///
/// Roles: viewer, editor, administrator.
#[utoipa::path(
    operation_id = "get_user",
    tag = "users",
    params(("id" = String, Path, format = Uuid, description = "The user's id")),
    security(("bearer" = ["viewer", "editor", "administrator"])),
    responses(
        (status = 200, description = "The user", body = UserResponse, headers(("ETag" = String, description = "The user's version"))),
        (status = 404, description = "No such user, or the user was deleted", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    caller: SupportUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let (row, actor) = caller
        .run(&state.db, resource_id(id), |conn, actor, id| {
            Ok((users::find(conn, &id)?.ok_or_else(Problem::not_found)?, actor))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(UserResponse::new(
        row,
        actor.actor(),
        Timestamp::now(),
    )))
}
