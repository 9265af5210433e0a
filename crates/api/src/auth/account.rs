//! The account check every signed-in request makes: a deactivated, deleted
//! or re-roled user, a token of an earlier generation, or a token whose
//! session has ended is refused at once, whatever the token's expiry.

use super::jwt::{Claims, Role};
use crate::db::sessions;
use crate::db::users::UserRow;
use crate::db::Conn;
use crate::problem::Problem;
use crate::time::Timestamp;

/// The account behind `claims`, if it may still act at `now`: it exists, is
/// active, has the role the token was issued for, is still at the token's
/// generation, and the token's session is live.
pub fn account(conn: &mut Conn<'_>, claims: &Claims, now: Timestamp) -> Result<UserRow, Problem> {
    let (user, session) =
        sessions::account_with_session(conn, &claims.sub, &claims.sid)?.ok_or_else(Problem::unauthorized)?;
    let session_live = session.is_some_and(|s| s.revoked_at.is_none() && s.expires_at > now.db());
    if !user.active || Role::of(user.api_user) != claims.role || user.token_generation != claims.gen || !session_live {
        return Err(Problem::unauthorized());
    }
    Ok(user)
}
