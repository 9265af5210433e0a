use actix_web::http::header;
use actix_web::post;
use actix_web::{web, HttpRequest, HttpResponse};

use users_domain::list::parse_dry_run;
use users_domain::{messages, FieldError, NewUser, SupportRole};

use super::representation::{
    created_changes, user_input, CreateUserBody, DryRunParam, UserDraft, UserResponse, USER_FIELDS,
};
use crate::db::activity::{self, Entry};
use crate::db::users;
use crate::email::outbox;
use crate::email::render::EmailKind;
use crate::http::caller::SupportUser;
use crate::http::if_match::etag;
use crate::http::json::JsonObject;
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::problem::{Problem, ProblemBody};
use crate::request_id;
use crate::state::AppState;
use crate::time::Timestamp;
use users_domain::activity::Action;

/// Add a user
///
/// Add a user. New users are active unless `active` says otherwise. With
/// `dry_run=true`, checks everything (uniqueness too) and saves nothing, for a
/// "check your answers" step.
///
/// Roles: editor, administrator (only an administrator adds an administrator).
#[utoipa::path(
    operation_id = "create_user",
    tag = "users",
    params(DryRunParam),
    request_body(content = CreateUserBody, content_type = "application/json"),
    security(("bearer" = ["editor", "administrator"])),
    responses(
        (status = 201, description = "The user was added", body = UserResponse,
            headers(("Location" = String, description = "The new user's address"), ("ETag" = String, description = "The user's version"))),
        (status = 200, description = "Dry run: the user that would be added", body = UserDraft),
        (status = 400, description = "The body is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "A viewer, or an editor adding an administrator", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid, or the address is in use", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    caller: SupportUser,
    req: HttpRequest,
    body: Result<JsonObject, Problem>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let request = body.and_then(|body| Ok((body, query_pairs(&req)?)));
    let now = Timestamp::now();
    let mail = state.mail.clone();
    let request_id = request_id::current();
    let outcome = caller
        .run(&state.db, request, move |conn, actor, (body, pairs)| {
            actor.actor().may_write()?;
            let mut errors = body.unknown_fields(&USER_FIELDS);
            let dry_run = errors.take(parse_dry_run(query_value(&pairs, "dry_run"))).unwrap_or(false);
            let input = user_input(&body);
            if let Some(role) = input.support_role.value().and_then(SupportRole::parse) {
                actor.actor().may_give(Some(role))?;
            }
            let parsed = NewUser::parse(&input);
            // A request that will be stored needs no lookup: the unique index
            // refuses a used address with the same answer, and the request
            // makes one round trip fewer. A dry run, or a request already
            // refused, looks the address up so that it reports every error.
            let stored = !dry_run && errors.is_empty() && parsed.is_ok();
            if let Some(email) = input.proposed_email(None, now.utc()).filter(|_| !stored) {
                if users::email_in_use(conn, email.as_str(), None)? {
                    errors.push(FieldError::new("email", messages::EMAIL_IN_USE));
                }
            }
            let user = match parsed {
                Ok(user) if errors.is_empty() => user,
                Ok(_) => return Err(Problem::validation(errors)),
                Err(rule_errors) => {
                    errors.extend(rule_errors);
                    return Err(Problem::validation(errors));
                }
            };
            if dry_run {
                return Ok((Err(UserDraft::from(&user)), actor));
            }
            let id = uuid::Uuid::now_v7().to_string();
            conn.write(|tx| {
                let row = match users::insert(tx, &id, &user, now) {
                    Ok(row) => row,
                    Err(error) if users::is_duplicate_email(&error) => return Err(email_in_use()),
                    Err(error) => return Err(error.into()),
                };
                outbox::enqueue(tx, EmailKind::Invitation, &row.id, &outbox::recipient(&row), &mail, now)?;
                activity::record(
                    tx,
                    Entry {
                        action: Action::UserCreated,
                        user_id: Some(&row.id),
                        actor: Some(&actor),
                        changes: Some(created_changes(&row)),
                        details: None,
                        request_id: request_id.as_deref(),
                        at: now,
                    },
                )?;
                Ok((Ok(row), actor))
            })
        })
        .await?;
    let (outcome, actor) = outcome;
    if outcome.is_ok() {
        state.wake.notify();
    }
    Ok(match outcome {
        Ok(row) => HttpResponse::Created()
            .insert_header(etag(row.version))
            .insert_header((header::LOCATION, format!("/api/v1/users/{}", row.id)))
            .json(UserResponse::new(row, actor.actor(), now)),
        Err(draft) => HttpResponse::Ok().json(draft),
    })
}

/// The 422 for an address another live user has (also when a concurrent
/// request took it first).
pub(super) fn email_in_use() -> Problem {
    Problem::validation(FieldError::new("email", messages::EMAIL_IN_USE).into())
}
