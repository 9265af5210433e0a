use actix_web::get;
use actix_web::HttpResponse;

use crate::http::caller::Caller;
use crate::http::if_match::etag;
use crate::problem::Problem;
use crate::routes::users::representation::UserResponse;
use crate::time::Timestamp;

/// Get the signed-in user
///
/// The signed-in user, for either role.
///
/// Roles: viewer, editor, administrator, api.
#[utoipa::path(
    operation_id = "get_current_user",
    tag = "account",
    security(("bearer" = ["viewer", "editor", "administrator", "api"])),
    responses(
        (status = 200, description = "The signed-in user", body = UserResponse, headers(("ETag" = String, description = "The user's version"))),
    )
)]
#[get("/me")]
pub async fn get_current_user(caller: Caller) -> Result<HttpResponse, Problem> {
    let row = caller.user;
    let me = row.clone();
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(UserResponse::new(row, me.actor(), Timestamp::now())))
}
