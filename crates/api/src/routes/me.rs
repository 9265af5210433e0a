use actix_web::HttpResponse;

use crate::auth::Caller;
use crate::problem::{Problem, ProblemBody};
use crate::routes::etag;
use crate::routes::users::UserResponse;
use crate::time::Timestamp;

/// Get the signed-in user
///
/// The signed-in user, for either role.
///
/// Role: support, api.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "get_current_user",
    tag = "account",
    security(("bearer" = ["support", "api"])),
    responses(
        (status = 200, description = "The signed-in user", body = UserResponse, headers(("ETag" = String, description = "The user's version"))),
        (status = 401, description = "Not signed in, or the account may no longer sign in", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn get_current_user(caller: Caller) -> Result<HttpResponse, Problem> {
    let row = caller.user;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(UserResponse::new(row, Timestamp::now())))
}
