//! OpenID Connect sign-ins in progress: what the callback needs to finish the
//! sign-in that a browser started, keyed by the `state` sent to the provider.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::oidc_sign_ins;
use super::Conn;
use crate::db_run;
use crate::time::Timestamp;

/// A sign-in waiting for the provider's redirect back.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oidc_sign_ins)]
pub struct PendingSignIn {
    /// The `state` parameter: random, sent to the provider and back.
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier whose S256 challenge went to the provider.
    pub pkce_verifier: String,
    /// Where the browser goes after signing in (a checked same-origin path).
    pub return_to: String,
    /// SHA-256 of the cookie that binds the sign-in to the browser that started it.
    pub browser_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Stores `pending`, and forgets sign-ins that were abandoned before `now`.
pub fn insert(conn: &mut Conn<'_>, pending: &PendingSignIn, now: Timestamp) -> QueryResult<()> {
    db_run!(conn, |c| {
        diesel::delete(oidc_sign_ins::table.filter(oidc_sign_ins::expires_at.lt(now.db()))).execute(c)?;
        diesel::insert_into(oidc_sign_ins::table).values(pending).execute(c)
    })?;
    Ok(())
}

/// Removes and returns the sign-in with this `state`: each can be finished
/// once, by whichever API process the callback reaches.
pub fn take(conn: &mut Conn<'_>, state: &str) -> QueryResult<Option<PendingSignIn>> {
    db_run!(conn, |c| diesel::delete(oidc_sign_ins::table.filter(oidc_sign_ins::state.eq(state)))
        .returning(PendingSignIn::as_returning())
        .get_result(c)
        .optional())
}
