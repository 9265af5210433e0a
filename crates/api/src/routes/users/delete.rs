use actix_web::delete;
use actix_web::{web, HttpResponse};

use users_domain::guards;

use crate::db::activity::{self, Entry};
use crate::db::{api_clients, sessions, users};
use crate::email::outbox;
use crate::email::render::EmailKind;
use crate::http::caller::SupportUser;
use crate::http::if_match::IfMatch;
use crate::http::params::resource_id;
use crate::problem::{Problem, ProblemBody};
use crate::request_id;
use crate::state::AppState;
use crate::time::Timestamp;
use users_domain::activity::Action;

/// Delete a user
///
/// Delete a user. The account is kept, marked deleted, so its history stays;
/// it disappears from the list, answers 404, and its address can be used for
/// a new account. There is no undelete.
///
/// Roles: editor, administrator (only an administrator deletes an administrator).
#[utoipa::path(
    operation_id = "delete_user",
    tag = "users",
    params(
        ("id" = String, Path, format = Uuid, description = "The user's id"),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?("[0-9]+"|[0-9]+)(, ?(W/)?("[0-9]+"|[0-9]+))*)$"#,
            description = "The `ETag` last seen, like `\"3\"` (a bare `3` is read the same), or `*`; a stale one answers 412, a malformed one 400"),
    ),
    security(("bearer" = ["editor", "administrator"])),
    responses(
        (status = 204, description = "The user was deleted"),
        (status = 400, description = "The If-Match header is malformed", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "A viewer, or an editor deleting an administrator", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such user, or the user was already deleted", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A guard refuses the deletion", body = ProblemBody, content_type = "application/problem+json"),
        (status = 412, description = "The user changed since the `If-Match` version", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    caller: SupportUser,
    id: web::Path<String>,
    if_match: Result<IfMatch, Problem>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let request = if_match.and_then(|if_match| Ok((resource_id(id)?, if_match)));
    let request_id = request_id::current();
    let now = Timestamp::now();
    let mail = state.mail.clone();
    caller
        .run(&state.db, request, move |conn, actor, (id, if_match)| {
            actor.actor().may_write()?;
            conn.write(|tx| {
                let user = users::find_for_update(tx, &id)?.ok_or_else(Problem::not_found)?;
                let current = user.state();
                actor.actor().may_act_on(&current)?;
                if_match.check(user.version)?;
                guards::check_delete_of_own_account(&actor.id, &current)?;
                if current.is_active_administrator() {
                    guards::check_administrators_remain(users::other_active_administrator_exists(tx, &[&user.id])?)?;
                }
                users::soft_delete(tx, &user, &actor.id, now)?.ok_or_else(Problem::precondition_failed)?;
                sessions::revoke_all_for_user(tx, &user.id, "account deleted", now)?;
                api_clients::delete_all_owned_by(tx, &user.id, now)?;
                outbox::enqueue(tx, EmailKind::Removal, &user.id, &outbox::recipient(&user), &mail, now)?;
                activity::record(
                    tx,
                    Entry {
                        action: Action::UserDeleted,
                        user_id: Some(&user.id),
                        actor: Some(&actor),
                        changes: None,
                        details: None,
                        request_id: request_id.as_deref(),
                        at: now,
                    },
                )?;
                Ok(())
            })
        })
        .await?;
    state.wake.notify();
    Ok(HttpResponse::NoContent().finish())
}
