//! The account check every signed-in request makes: a deactivated, deleted
//! or re-roled user is refused at once, whatever the token's expiry.

use super::jwt::{Claims, Role};
use crate::db::users::{self, UserRow};
use crate::db::Conn;
use crate::problem::Problem;

/// The account behind `claims`, if it may still act: it exists, is active,
/// has the role the token was issued for, and the token was not revoked.
pub fn account(conn: &mut Conn<'_>, claims: &Claims) -> Result<UserRow, Problem> {
    let user = users::find(conn, &claims.sub)?.ok_or_else(Problem::unauthorized)?;
    let revoked = user.tokens_revoked_before.as_deref().is_some_and(|before| claims.jti.as_str() <= before);
    if !user.active || Role::of(user.api_user) != claims.role || revoked {
        return Err(Problem::unauthorized());
    }
    Ok(user)
}
