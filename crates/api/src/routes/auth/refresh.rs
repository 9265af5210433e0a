use actix_web::post;
use actix_web::{web, HttpRequest, HttpResponse};

use super::dev_sign_in::{signed_in, AccessTokenResponse};
use crate::auth::session::{self, Refreshed};
use crate::http::rate_limit::throttle_sign_in;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Refresh the session
///
/// Swap the session's refresh cookie for a new access token. The cookie is
/// rotated: the old refresh token never works again, and presenting it again
/// ends the whole session. Takes no body.
///
/// Role: none (the session cookie).
#[utoipa::path(
    operation_id = "refresh_session",
    tag = "auth",
    security(()),
    responses(
        (status = 200, description = "A new access token; the refresh cookie is rotated", body = AccessTokenResponse,
            headers(("Set-Cookie" = String, description = "The session's next refresh token"))),
        (status = 401, description = "No session: no cookie, an unknown, used or expired token, or the account may not sign in",
            body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = String, description = "Seconds to wait"))),
        (status = 503, description = "The database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_session(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    throttle_sign_in(&req, &state).await?;
    let policy = state.sessions;
    let Some(token) = policy.token_of(&req) else {
        return Err(Problem::unauthorized());
    };
    let now = Timestamp::now();
    let outcome = state.db.run(move |conn| conn.write(|tx| session::refresh(tx, &token, now, &policy))).await?;
    match outcome {
        Refreshed::Renewed { user, token, max_age, session_id } => {
            Ok(signed_in(&state, *user, &session_id, &token, max_age, now))
        }
        Refreshed::Refused => {
            let mut response = actix_web::ResponseError::error_response(&Problem::unauthorized());
            response.add_cookie(&policy.removal()).map_err(|_| Problem::internal())?;
            Ok(response)
        }
    }
}
