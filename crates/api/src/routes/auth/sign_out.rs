use actix_web::post;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::auth::session;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Sign out
///
/// Sign out: ends the session the refresh cookie belongs to and clears the
/// cookie. Answers 204 whether or not there was a session.
///
/// Role: none (the session cookie).
#[utoipa::path(
    operation_id = "sign_out",
    tag = "auth",
    security(()),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 503, description = "The database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/auth/sign-out")]
pub async fn sign_out(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    let policy = state.sessions;
    if let Some(token) = policy.token_of(&req) {
        let now = Timestamp::now();
        state.db.run(move |conn| conn.write(|tx| session::end(tx, &token, now))).await?;
    }
    Ok(HttpResponse::NoContent().cookie(policy.removal()).finish())
}
