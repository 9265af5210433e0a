//! Browser sessions: a refresh token in an `HttpOnly` cookie, swapped for a
//! short-lived access token. Tokens are random (256 bits), stored only as a
//! SHA-256 hash, and rotated on every use; presenting a used one again is
//! taken as theft and ends the whole session (every token of the family).

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::HttpRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::sessions;
use crate::db::users::{self, UserRow};
use crate::db::Conn;
use crate::problem::Problem;
use crate::time::{from_db, Timestamp};

/// Where the cookie is sent: only the sign-in endpoints see it.
pub const COOKIE_PATH: &str = "/api/v1/auth";

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session unused for this long ends (`SESSION_IDLE_MINUTES`, 2 hours).
    pub idle: chrono::Duration,
    /// A session ends this long after sign-in whatever happens (`SESSION_LIFETIME_HOURS`, 12 hours).
    pub lifetime: chrono::Duration,
    /// Whether the cookie is `Secure` (everywhere but plain HTTP on loopback).
    pub secure: bool,
}

impl SessionPolicy {
    /// The cookie's name: `__Secure-` prefixed whenever it is `Secure`. (The
    /// stronger `__Host-` prefix needs `Path=/`, and the contract scopes the
    /// cookie to `/api/v1/auth`.)
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            "__Secure-rtp_session"
        } else {
            "rtp_session"
        }
    }

    /// The cookie carrying `token`, for `max_age`.
    pub fn cookie(&self, token: &str, max_age: chrono::Duration) -> Cookie<'static> {
        Cookie::build(self.cookie_name(), token.to_owned())
            .path(COOKIE_PATH)
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Strict)
            .max_age(CookieDuration::seconds(max_age.num_seconds().max(0)))
            .finish()
    }

    /// A cookie that makes the browser forget the session.
    pub fn removal(&self) -> Cookie<'static> {
        let mut cookie = self.cookie("", chrono::Duration::zero());
        cookie.make_removal();
        cookie
    }

    /// The refresh token the request carries, if any.
    pub fn token_of(&self, req: &HttpRequest) -> Option<String> {
        req.cookie(self.cookie_name()).map(|c| c.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 128)
    }
}

/// A new refresh token (or other unguessable value): 32 random bytes from the OS, base64url.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a token: its SHA-256, in hex.
pub(crate) fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A session's first token and when the session ends.
pub struct Started {
    /// The refresh token for the cookie.
    pub token: String,
    /// How long the cookie should live.
    pub max_age: chrono::Duration,
    /// The session's id, carried in its access tokens (`sid`).
    pub session_id: String,
}

/// How long after a refresh token was swapped it may be presented again:
/// two tabs refreshing at the same moment both present the same token, and
/// the second must not end the session as if the token had been stolen.
pub const REUSE_GRACE: chrono::Duration = chrono::Duration::seconds(10);

/// Starts a session for `user`, inside the sign-in's transaction.
pub fn start(
    conn: &mut Conn<'_>,
    user: &UserRow,
    method: &str,
    now: Timestamp,
    policy: &SessionPolicy,
) -> Result<Started, Problem> {
    let expires_at = Timestamp::from(now.utc() + policy.lifetime);
    let session = sessions::create(conn, &user.id, method, now, expires_at)?;
    let token = new_token();
    sessions::add_token(conn, &session, &hash(&token), now)?;
    Ok(Started { token, max_age: policy.lifetime, session_id: session })
}

/// What a refresh came to.
pub enum Refreshed {
    /// A new token, for the user as stored now.
    Renewed { user: Box<UserRow>, token: String, max_age: chrono::Duration, session_id: String },
    /// No session: unknown, used, ended, or the account may not sign in.
    Refused,
}

/// Swaps `token` for a new one, inside one write transaction. A replayed
/// token ends its session (the caller must commit that and answer 401),
/// unless it is the one swapped last, within [`REUSE_GRACE`].
pub fn refresh(conn: &mut Conn<'_>, token: &str, now: Timestamp, policy: &SessionPolicy) -> Result<Refreshed, Problem> {
    let token_hash = hash(token);
    let Some((stored, session)) = sessions::find_by_token(conn, &token_hash)? else {
        return Ok(Refreshed::Refused);
    };
    if session.revoked_at.is_some() {
        return Ok(Refreshed::Refused);
    }
    let first_use = stored.used_at.is_none() && sessions::use_token(conn, &token_hash, now)?;
    if !first_use && !just_swapped(conn, &session.id, &token_hash, now)? {
        tracing::warn!(session_id = %session.id, "refresh token replayed: ending the session");
        sessions::revoke(conn, &session.id, "reuse", now)?;
        return Ok(Refreshed::Refused);
    }
    let idle = now.utc() - from_db(session.last_used_at) > policy.idle;
    let expired = now.utc() >= from_db(session.expires_at);
    let user = users::find(conn, &session.user_id)?.filter(|u| u.active);
    let Some(user) = user.filter(|_| !idle && !expired) else {
        sessions::revoke(conn, &session.id, if idle { "idle" } else { "ended" }, now)?;
        return Ok(Refreshed::Refused);
    };
    let next = new_token();
    sessions::add_token(conn, &session.id, &hash(&next), now)?;
    sessions::touch(conn, &session.id, now)?;
    let max_age = from_db(session.expires_at) - now.utc();
    Ok(Refreshed::Renewed { user: Box::new(user), token: next, max_age, session_id: session.id })
}

/// Whether `token_hash` is the token of `session_id` used last, and less than
/// [`REUSE_GRACE`] ago.
fn just_swapped(conn: &mut Conn<'_>, session_id: &str, token_hash: &str, now: Timestamp) -> Result<bool, Problem> {
    let Some((last, used_at)) = sessions::last_used_token(conn, session_id)? else { return Ok(false) };
    Ok(last == token_hash && now.utc() - from_db(used_at) <= REUSE_GRACE)
}

/// Ends the session `token` belongs to (sign-out). Unknown tokens are fine.
pub fn end(conn: &mut Conn<'_>, token: &str, now: Timestamp) -> Result<(), Problem> {
    if let Some((_, session)) = sessions::find_by_token(conn, &hash(token))? {
        sessions::revoke(conn, &session.id, "sign-out", now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_a_hash() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes of base64url");
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_scoped_to_the_auth_endpoints() {
        let policy =
            SessionPolicy { idle: chrono::Duration::hours(2), lifetime: chrono::Duration::hours(12), secure: true };
        let cookie = policy.cookie("t", chrono::Duration::hours(12)).to_string();
        assert!(cookie.starts_with("__Secure-rtp_session=t;"), "{cookie}");
        for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/api/v1/auth", "Max-Age=43200"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        let local = SessionPolicy { secure: false, ..policy };
        assert!(!local.cookie("t", chrono::Duration::hours(1)).to_string().contains("Secure"));
    }
}
