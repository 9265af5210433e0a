use actix_web::get;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::auth::oidc::{safe_return_to, SIGN_IN_WINDOW};
use crate::auth::session::{hash, new_token};
use crate::db::oidc_sign_ins::{self, PendingSignIn};
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::http::rate_limit::throttle_sign_in;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::Timestamp;

/// Start signing in with DfE Sign-in
///
/// Start signing in with DfE Sign-in (OpenID Connect): redirects the browser
/// to the provider with an authorization code request (PKCE S256, `state`,
/// `nonce`), and binds the sign-in to this browser with a short-lived
/// cookie. Exists only when OpenID Connect is configured; otherwise 404.
///
/// Role: none (public).
#[utoipa::path(
    operation_id = "start_oidc_sign_in",
    tag = "auth",
    params(
        ("return_to" = Option<String>, Query, example = "/users",
            description = "Where the SPA goes after signing in: a path on this origin (`/users`). \
Anything else (another host, `//host`, `/\\host`, a scheme) is ignored and `/` used instead"),
    ),
    security(()),
    responses(
        (status = 302, description = "To the provider's authorization endpoint",
            headers(
                ("Location" = String, description = "The provider's authorization URL"),
                ("Set-Cookie" = String, description = "Binds the sign-in to this browser (HttpOnly, SameSite=Lax, Path=/api/v1/auth/oidc, 10 minutes)"),
            )),
        (status = 400, description = "The query string cannot be decoded", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "Sign-in with OpenID Connect is not configured", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-in attempts from this address", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = String, description = "Seconds to wait"))),
        (status = 503, description = "The identity provider or the database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/auth/oidc/start")]
pub async fn start_oidc_sign_in(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    let oidc = state.oidc.as_ref().ok_or_else(Problem::not_found)?;
    throttle_sign_in(&req, &state).await?;
    let return_to = safe_return_to(query_value(&query_pairs(&req)?, "return_to"));
    let begun = oidc.begin(&oidc.client().await?);
    // One binding per browser: a second tab's sign-in keeps the first's working.
    let browser = oidc.browser_of(&req).unwrap_or_else(new_token);
    let now = Timestamp::now();
    let pending = PendingSignIn {
        state: begun.state,
        nonce: begun.nonce,
        pkce_verifier: begun.pkce_verifier,
        return_to,
        browser_hash: hash(&browser),
        created_at: now.db(),
        expires_at: (now.utc() + SIGN_IN_WINDOW).naive_utc(),
    };
    state.db.query(move |conn| conn.write(|tx| oidc_sign_ins::insert(tx, &pending, now))).await?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, begun.url))
        .cookie(oidc.browser_cookie(&browser))
        .finish())
}
