use actix_web::{web, HttpResponse};

use users_domain::guards;

use super::create::recipient;
use crate::auth::SupportUser;
use crate::db::{api_clients, users};
use crate::email::{outbox, EmailKind};
use crate::problem::{Problem, ProblemBody};
use crate::routes::IfMatch;
use crate::state::AppState;
use crate::time::Timestamp;

/// Delete a user. The account is kept, marked deleted, so its history stays;
/// it disappears from the list, answers 404, and its address can be used for
/// a new account. There is no undelete.
#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}",
    operation_id = "delete_user",
    tag = "users",
    params(
        ("id" = String, Path, format = Uuid, description = "The user's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` last seen; a stale one answers 412"),
    ),
    security(("bearer" = ["support"])),
    responses(
        (status = 204, description = "The user was deleted"),
        (status = 401, description = "Not signed in, or the account may no longer sign in", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "API users cannot manage users", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such user, or the user was already deleted", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A guard refuses the deletion", body = ProblemBody, content_type = "application/problem+json"),
        (status = 412, description = "The user changed since the `If-Match` version", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn delete_user(
    caller: SupportUser,
    id: web::Path<String>,
    if_match: IfMatch,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let id = id.into_inner();
    let actor = caller.id().to_owned();
    let now = Timestamp::now();
    let mail = state.mail.clone();
    state
        .db
        .run(move |conn| {
            conn.write(|tx| {
                let user = users::find_for_update(tx, &id)?.ok_or_else(Problem::not_found)?;
                if_match.check(user.version)?;
                let current = user.state();
                guards::check_delete_of_own_account(&actor, &current)?;
                if current.is_active_support_user() {
                    guards::check_support_users_remain(users::count_other_active_support_users(tx, &user.id)?)?;
                }
                users::soft_delete(tx, &user, &actor, now, uuid::Uuid::now_v7().to_string())?
                    .ok_or_else(Problem::precondition_failed)?;
                api_clients::delete_all_owned_by(tx, &user.id, now)?;
                outbox::enqueue(tx, EmailKind::Removal, &user.id, &recipient(&user), &mail, now)?;
                Ok(())
            })
        })
        .await?;
    state.wake.notify();
    Ok(HttpResponse::NoContent().finish())
}
