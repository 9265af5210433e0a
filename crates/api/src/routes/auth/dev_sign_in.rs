use actix_web::post;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::{messages, FieldError, Supplied};

use crate::auth::jwt::{Role, Subject};
use crate::auth::session;
use crate::db::activity::{self, Entry};
use crate::db::users::{self, UserRow};
use crate::http::json::JsonObject;
use crate::http::rate_limit::throttle_sign_in;
use crate::problem::{Problem, ProblemBody};
use crate::request_id;
use crate::routes::users::representation::UserResponse;
use crate::state::AppState;
use crate::time::Timestamp;
use users_domain::activity::Action;

/// The body of `dev_sign_in`.
#[allow(dead_code)] // Documents the body; it is read field by field.
#[derive(serde::Deserialize, ToSchema)]
#[schema(as = DevSignIn, example = json!({"email": "ada.lovelace@education.gov.uk"}))]
#[serde(deny_unknown_fields)]
pub struct DevSignInBody {
    /// The address of an existing, active user (any letter case).
    #[schema(min_length = 1, max_length = 254, pattern = r"\S")]
    email: String,
}

/// A new access token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AccessToken)]
pub struct AccessTokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires (900).
    pub expires_in: i64,
    /// The signed-in user, after recording this sign-in.
    pub user: UserResponse,
}

/// Whether development sign-in is on (`AUTH_DEV_SIGN_IN`). When it is off
/// the route does not match, and the path answers 404 as if it did not exist.
pub fn enabled(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.app_data::<web::Data<AppState>>().is_some_and(|state| state.config.auth_dev_sign_in)
}

/// Sign in for development
///
/// Development sign-in: a token for any active user by email, with no
/// password. Exists only when `AUTH_DEV_SIGN_IN=true` (never in production);
/// otherwise 404. Records the sign-in like a real one.
///
/// Role: none (public; development only).
#[utoipa::path(
    operation_id = "dev_sign_in",
    tag = "auth",
    request_body(content = DevSignInBody, content_type = "application/json"),
    security(()),
    responses(
        (status = 200, description = "Signed in; the refresh cookie is set", body = AccessTokenResponse,
            headers(("Set-Cookie" = String, description = "The session's refresh token (HttpOnly, SameSite=Strict, Path=/api/v1/auth)"))),
        (status = 400, description = "The body is not a JSON object", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "No active user has this address", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "Development sign-in is off", body = ProblemBody, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB", body = ProblemBody, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The body is not valid", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-in attempts from this address", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = String, description = "Seconds to wait"))),
        (status = 503, description = "The database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/auth/dev/sign-in", guard = "enabled")]
pub async fn dev_sign_in(
    req: HttpRequest,
    body: JsonObject,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    throttle_sign_in(&req, &state).await?;
    let mut errors = body.unknown_fields(&["email"]);
    let email = match body.string("email") {
        Supplied::Value(email) if !email.trim().is_empty() => Some(email.trim().to_lowercase()),
        _ => None,
    };
    if email.is_none() {
        errors.push(FieldError::new("email", messages::ENTER_EMAIL));
    }
    let email = match email {
        Some(email) if errors.is_empty() => email,
        _ => return Err(Problem::validation(errors)),
    };
    if email.chars().any(char::is_control) {
        return Err(Problem::unauthorized()); // no account has such an address
    }
    let now = Timestamp::now();
    let policy = state.sessions;
    let request_id = request_id::current();
    let (user, session) = state
        .db
        .run(move |conn| {
            conn.write(|tx| {
                let found = users::find_by_email(tx, &email)?.ok_or_else(Problem::unauthorized)?;
                let user =
                    users::find_for_update(tx, &found.id)?.filter(|u| u.active).ok_or_else(Problem::unauthorized)?;
                let user = users::record_sign_in(tx, &user, now)?.ok_or_else(Problem::unauthorized)?;
                let session = session::start(tx, &user, "dev", now, &policy)?;
                activity::record(
                    tx,
                    Entry {
                        action: Action::UserSignedIn,
                        user_id: Some(&user.id),
                        actor: Some(&user),
                        changes: None,
                        details: Some(serde_json::json!({"method": "dev"})),
                        request_id: request_id.as_deref(),
                        at: now,
                    },
                )?;
                Ok::<_, Problem>((user, session))
            })
        })
        .await?;
    Ok(signed_in(&state, user, &session.session_id, &session.token, session.max_age, now))
}

/// The answer to a sign-in or refresh: an access token for `user` in the
/// body, the session's refresh token in the cookie.
pub fn signed_in(
    state: &AppState,
    user: UserRow,
    session_id: &str,
    refresh_token: &str,
    max_age: chrono::Duration,
    now: Timestamp,
) -> HttpResponse {
    let subject =
        Subject { user_id: &user.id, role: Role::of(user.api_user), generation: user.token_generation, session_id };
    let (access_token, expires_in) = state.jwt.issue(subject, now);
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .cookie(state.sessions.cookie(refresh_token, max_age))
        .json(AccessTokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in,
            user: UserResponse::new(user.clone(), user.actor(), now),
        })
}
