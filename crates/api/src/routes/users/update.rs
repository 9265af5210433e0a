use actix_web::patch;
use actix_web::{web, HttpRequest, HttpResponse};

use users_domain::list::parse_dry_run;
use users_domain::{guards, messages, FieldError, SupportRole, UserChanges};

use super::create::email_in_use;
use super::representation::{updated_changes, user_input, DryRunParam, UpdateUserBody, UserResponse, USER_FIELDS};
use crate::db::activity::{self, Entry};
use crate::db::sessions;
use crate::db::users::{self, UserRow};
use crate::email::outbox;
use crate::email::render::EmailKind;
use crate::http::caller::SupportUser;
use crate::http::if_match::etag;
use crate::http::if_match::IfMatch;
use crate::http::json::JsonObject;
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::http::params::resource_id;
use crate::problem::{Problem, ProblemBody};
use crate::request_id;
use crate::state::AppState;
use crate::time::Timestamp;
use users_domain::activity::Action;

/// Change a user
///
/// Change a user. Once the user has signed in, only `api_user`,
/// `support_role` and `active` can change. Checks run in the contract's
/// order: a viewer's 403, then 404, then an editor's 403 for an
/// administrator, then `If-Match` (412), then every field (422), then the
/// guards (409).
///
/// Roles: editor, administrator (only an administrator changes an
/// administrator or gives the role).
#[utoipa::path(
    operation_id = "update_user",
    tag = "users",
    params(
        ("id" = String, Path, format = Uuid, description = "The user's id"),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?("[0-9]+"|[0-9]+)(, ?(W/)?("[0-9]+"|[0-9]+))*)$"#,
            description = "The `ETag` last seen, like `\"3\"` (a bare `3` is read the same), or `*`; a stale one answers 412, a malformed one 400"),
        DryRunParam,
    ),
    request_body(content = UpdateUserBody, content_type = "application/json"),
    security(("bearer" = ["editor", "administrator"])),
    responses(
        (status = 200, description = "The user as changed (or as it would be, on a dry run)", body = UserResponse,
            headers(("ETag" = String, description = "The user's version"))),
        (status = 400, description = "The body is not a JSON object, or If-Match is malformed", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "A viewer, or an editor changing an administrator or giving the role", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such user, or the user was deleted", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "A guard refuses the change", body = ProblemBody, content_type = "application/problem+json"),
        (status = 412, description = "The user changed since the `If-Match` version", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid or is locked", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    caller: SupportUser,
    id: web::Path<String>,
    if_match: Result<IfMatch, Problem>,
    req: HttpRequest,
    body: Result<JsonObject, Problem>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let request = if_match.and_then(|if_match| {
        let body = body?;
        let id = resource_id(id)?;
        let pairs = query_pairs(&req)?;
        Ok((id, if_match, body, parse_dry_run(query_value(&pairs, "dry_run"))))
    });
    let request_id = request_id::current();
    let now = Timestamp::now();
    let mail = state.mail.clone();
    let outcome = caller
        .run(&state.db, request, move |conn, actor, (id, if_match, body, dry_run)| {
            actor.actor().may_write()?;
            conn.write(|tx| {
                let user = users::find_for_update(tx, &id)?.ok_or_else(Problem::not_found)?;
                let current = user.state();
                actor.actor().may_act_on(&current)?;
                if let Some(role) = body.string("support_role").value().and_then(SupportRole::parse) {
                    actor.actor().may_give(Some(role))?;
                }
                if_match.check(user.version)?;
                let mut errors = body.unknown_fields(&USER_FIELDS);
                let dry_run = errors.take(dry_run.clone()).unwrap_or(false);
                let input = user_input(&body);
                if let Some(email) = input.proposed_email(Some(&current), now.utc()) {
                    if users::email_in_use(tx, email.as_str(), Some(&user.id))? {
                        errors.push(FieldError::new("email", messages::EMAIL_IN_USE));
                    }
                }
                let changes = match UserChanges::parse(&input, &current, now.utc()) {
                    Ok(changes) => changes,
                    Err(rule_errors) => {
                        errors.extend(rule_errors);
                        UserChanges::default()
                    }
                };
                if !errors.is_empty() {
                    return Err(Problem::validation(errors));
                }
                actor.actor().may_change(&current, &changes)?;
                guards::check_change_to_own_account(&actor.id, &current, &changes)?;
                if changes.removes_active_administrator(&current) {
                    guards::check_administrators_remain(users::other_active_administrator_exists(tx, &[&user.id])?)?;
                }
                if changes.is_empty() {
                    return Ok((user, dry_run, actor));
                }
                if dry_run {
                    return Ok((preview(user, &changes, now), true, actor));
                }
                // A new role, or losing access, ends every token issued so far.
                let end_tokens = changes.api_user.is_some() || changes.active == Some(false);
                let row = match users::update(tx, &user, &changes, now, end_tokens) {
                    Ok(Some(row)) => row,
                    Ok(None) => return Err(Problem::precondition_failed()),
                    Err(error) if users::is_duplicate_email(&error) => return Err(email_in_use()),
                    Err(error) => return Err(error.into()),
                };
                if end_tokens {
                    sessions::revoke_all_for_user(tx, &row.id, "account changed", now)?;
                }
                activity::record(
                    tx,
                    Entry {
                        action: Action::UserUpdated,
                        user_id: Some(&row.id),
                        actor: Some(&actor),
                        changes: Some(updated_changes(&user, &changes)),
                        details: None,
                        request_id: request_id.as_deref(),
                        at: now,
                    },
                )?;
                // A new address gets the invitation; the old one hears nothing.
                if changes.email.is_some() {
                    outbox::enqueue(tx, EmailKind::Invitation, &row.id, &outbox::recipient(&row), &mail, now)?;
                }
                Ok((row, false, actor))
            })
        })
        .await?;
    let (row, dry_run, actor) = outcome;
    state.wake.notify();
    let mut response = HttpResponse::Ok();
    if !dry_run {
        response.insert_header(etag(row.version));
    }
    Ok(response.json(UserResponse::new(row, actor.actor(), now)))
}

/// The user as a change would leave it, without saving it.
fn preview(mut user: UserRow, changes: &UserChanges, now: Timestamp) -> UserRow {
    if let Some(name) = &changes.first_name {
        user.first_name = name.to_string();
    }
    if let Some(name) = &changes.last_name {
        user.last_name = name.to_string();
    }
    if let Some(email) = &changes.email {
        user.email = email.to_string();
    }
    user.api_user = changes.api_user.unwrap_or(user.api_user);
    user.active = changes.active.unwrap_or(user.active);
    if let Some(role) = changes.support_role {
        user.support_role = role.map(|role| role.as_str().to_owned());
    }
    user.version += 1;
    user.updated_at = now.db();
    user
}
