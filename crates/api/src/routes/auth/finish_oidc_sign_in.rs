use actix_web::cookie::Cookie;
use actix_web::get;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use users_domain::activity::Action;
use users_domain::{DfeEmail, ProviderProfile, UserChanges};

use crate::auth::oidc::Identity;
use crate::auth::session::{self, hash, SessionPolicy, Started};
use crate::db::activity::{self, Entry};
use crate::db::oidc_sign_ins;
use crate::db::users::{self, UserRow};
use crate::db::Conn;
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::http::rate_limit::throttle_sign_in;
use crate::problem::{Problem, ProblemBody};
use crate::request_id;
use crate::routes::users::representation::updated_changes;
use crate::state::AppState;
use crate::time::{from_db, Timestamp};

/// Where a refused account is sent: the SPA's "Your account is not authorised".
pub const NOT_AUTHORISED: &str = "/not-authorised";

/// Where a failed sign-in is sent: the SPA's sign-in page.
pub const SIGN_IN_FAILED: &str = "/sign-in?error=oidc";

/// Finish signing in with DfE Sign-in
///
/// Finish signing in with DfE Sign-in: the provider sends the browser here.
/// Checks the `state` (known, unexpired, used once, started by this browser),
/// swaps the code for tokens with the PKCE verifier, and verifies the ID
/// token (signature, issuer, audience, expiry, `nonce`). Then finds the
/// account by the provider's subject, else by email when that account has no
/// subject linked yet (and links it); records the sign-in, copies name and
/// email from the provider, starts a session and sends the browser on to
/// `return_to`. Unknown, inactive and deleted accounts go to the SPA's
/// `/not-authorised` page, and any protocol failure to `/sign-in?error=oidc`,
/// with no session. Exists only when OpenID Connect is configured.
///
/// Role: none (public).
#[utoipa::path(
    operation_id = "finish_oidc_sign_in",
    tag = "auth",
    params(
        ("code" = Option<String>, Query, description = "The authorization code"),
        ("state" = Option<String>, Query, description = "The `state` sent to the provider"),
        ("error" = Option<String>, Query, description = "The provider's error code, when it did not authenticate the user"),
    ),
    security(()),
    responses(
        (status = 302, description = "Signed in: to `return_to`, with the refresh cookie. Refused (unknown, inactive or \
deleted account): to `/not-authorised`. Failed (missing, unknown, expired or another browser's `state`, a bad code, \
an ID token that does not verify): to `/sign-in?error=oidc`. Only a successful sign-in sets the refresh cookie; \
each of these redirects clears the browser-binding cookie.",
            headers(
                ("Location" = String, description = "`return_to`, `/not-authorised` or `/sign-in?error=oidc`"),
                ("Set-Cookie" = String, description = "The session's refresh token on success (HttpOnly, SameSite=Strict, Path=/api/v1/auth); the binding cookie's removal"),
            )),
        (status = 404, description = "Sign-in with OpenID Connect is not configured", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-in attempts from this address", body = ProblemBody, content_type = "application/problem+json",
            headers(("Retry-After" = String, description = "Seconds to wait"))),
        (status = 503, description = "The identity provider or the database is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/auth/oidc/callback")]
pub async fn finish_oidc_sign_in(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    let oidc = state.oidc.as_ref().ok_or_else(Problem::not_found)?;
    throttle_sign_in(&req, &state).await?;
    let client = oidc.client().await?;
    let forget_browser = oidc.browser_cookie_removal();
    let failed = |reason: &str| {
        tracing::warn!(reason, "OpenID Connect sign-in failed");
        redirect(SIGN_IN_FAILED, [forget_browser.clone()])
    };
    let pairs = query_pairs(&req).unwrap_or_default();
    let Some(given_state) = query_value(&pairs, "state").filter(|s| !s.is_empty() && s.len() <= 512) else {
        return Ok(failed("no state"));
    };
    let given_state = given_state.to_owned();
    let now = Timestamp::now();
    let Some(pending) = state.db.query(move |conn| conn.write(|tx| oidc_sign_ins::take(tx, &given_state))).await?
    else {
        return Ok(failed("unknown or used state"));
    };
    if now.utc() > from_db(pending.expires_at) {
        return Ok(failed("expired state"));
    }
    if oidc.browser_of(&req).map(|value| hash(&value)) != Some(pending.browser_hash.clone()) {
        return Ok(failed("the state belongs to another browser"));
    }
    if let Some(error) = query_value(&pairs, "error") {
        return Ok(failed(&format!("the provider answered {error:?}")));
    }
    let Some(code) = query_value(&pairs, "code").filter(|c| !c.is_empty()) else {
        return Ok(failed("no code"));
    };
    let identity = match oidc.finish(&client, code, &pending).await {
        Ok(identity) => identity,
        Err(reason) => return Ok(failed(&reason)),
    };
    let policy = state.sessions;
    let request_id = request_id::current();
    let attempt = |copy_email: bool| {
        let (identity, request_id) = (identity.clone(), request_id.clone());
        state
            .db
            .run(move |conn| conn.write(|tx| sign_in(tx, &identity, now, &policy, request_id.as_deref(), copy_email)))
    };
    // Another account can take the provider's new address between the check
    // and the write; then the sign-in goes ahead without copying it.
    let outcome = match attempt(true).await {
        Err(Failure::EmailTaken) => attempt(false).await,
        other => other,
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(Failure::EmailTaken) => return Err(Problem::conflict(users_domain::messages::problems::CONCURRENT_CHANGE)),
        Err(Failure::Problem(problem)) => return Err(problem),
    };
    Ok(match outcome {
        Outcome::SignedIn(started) => {
            let session = policy.cookie(&started.token, started.max_age);
            redirect(&pending.return_to, [session, forget_browser])
        }
        Outcome::Refused(reason) => {
            tracing::warn!(reason, "OpenID Connect sign-in refused");
            redirect(NOT_AUTHORISED, [forget_browser])
        }
    })
}

fn redirect(location: &str, cookies: impl IntoIterator<Item = Cookie<'static>>) -> HttpResponse {
    let mut response = HttpResponse::Found();
    response.insert_header((header::LOCATION, location));
    for cookie in cookies {
        response.cookie(cookie);
    }
    response.finish()
}

/// Why a sign-in's transaction did not commit.
enum Failure {
    /// The provider's new address was taken by another account as it was
    /// being copied (the unique index refused it).
    EmailTaken,
    Problem(Problem),
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Self {
        Self::Problem(problem)
    }
}

impl From<diesel::result::Error> for Failure {
    fn from(error: diesel::result::Error) -> Self {
        Self::Problem(error.into())
    }
}

impl From<crate::db::Error> for Failure {
    fn from(error: crate::db::Error) -> Self {
        Self::Problem(error.into())
    }
}

/// What the sign-in came to, inside its transaction.
enum Outcome {
    SignedIn(Started),
    /// No account may sign in with this identity; the reason is for the log.
    Refused(&'static str),
}

/// Finds and links the account (contract §4), records the sign-in with the
/// details copied from the provider, logs it and starts the session.
fn sign_in(
    tx: &mut Conn<'_>,
    identity: &Identity,
    now: Timestamp,
    policy: &SessionPolicy,
    request_id: Option<&str>,
    copy_email: bool,
) -> Result<Outcome, Failure> {
    let (found, link) = match users::find_by_subject(tx, &identity.subject)? {
        Some(user) => (user, false),
        None => {
            let Some(email) = identity.verified_email().map(|e| e.to_string()) else {
                return Ok(Outcome::Refused("no account has this subject, and the provider gave no verified email"));
            };
            let Some(user) = users::find_by_email(tx, &email)? else {
                return Ok(Outcome::Refused("no account has this subject or email"));
            };
            if user.dfe_sign_in_subject.is_some() {
                return Ok(Outcome::Refused("the account with this email is linked to another subject"));
            }
            (user, true)
        }
    };
    let Some(user) = users::find_for_update(tx, &found.id)? else {
        return Ok(Outcome::Refused("the account was deleted"));
    };
    if !user.active {
        return Ok(Outcome::Refused("the account is inactive"));
    }
    let mut copied = copied_details(tx, identity, &user)?;
    if !copy_email {
        copied.email = None;
    }
    let recorded = users::record_provider_sign_in(tx, &user, link.then_some(identity.subject.as_str()), &copied, now);
    let Some(signed_in) = (match recorded {
        Err(error) if users::is_duplicate_email(&error) => return Err(Failure::EmailTaken),
        other => other?,
    }) else {
        return Ok(Outcome::Refused("the account changed during sign-in"));
    };
    if link {
        tracing::info!(user_id = %user.id, "linked the account to its DfE Sign-in subject");
    }
    let started = session::start(tx, &signed_in, "oidc", now, policy)?;
    activity::record(
        tx,
        Entry {
            action: Action::UserSignedIn,
            user_id: Some(&signed_in.id),
            actor: Some(&signed_in),
            changes: (!copied.is_empty()).then(|| updated_changes(&user, &copied)),
            details: Some(serde_json::json!({"method": "oidc"})),
            request_id,
            at: now,
        },
    )?;
    Ok(Outcome::SignedIn(started))
}

/// The names and address the provider gives that are valid, differ from what
/// is stored and (for the address) are not another live user's.
fn copied_details(tx: &mut Conn<'_>, identity: &Identity, user: &UserRow) -> Result<UserChanges, Problem> {
    let email = identity.verified_email();
    let profile = ProviderProfile {
        given_name: identity.given_name.as_deref(),
        family_name: identity.family_name.as_deref(),
        email: email.as_ref().map(DfeEmail::as_str),
    };
    let mut copied = UserChanges::from_provider(&profile, &user.state());
    if let Some(email) = &copied.email {
        if users::email_in_use(tx, email.as_str(), Some(&user.id))? {
            tracing::warn!(user_id = %user.id, "not copying the provider's email: another account uses it");
            copied.email = None;
        }
    }
    Ok(copied)
}
