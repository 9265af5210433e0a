//! Browser sessions and their refresh tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{refresh_tokens, sessions, users};
use super::users::UserRow;
use super::Conn;
use crate::db_run;
use crate::time::Timestamp;

/// A session (a family of refresh tokens).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub method: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// One refresh token of a session, by its hash.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub token_hash: String,
    pub session_id: String,
    pub used_at: Option<NaiveDateTime>,
}

/// Starts a session for `user_id` that ends at `expires_at` at the latest.
pub fn create(
    conn: &mut Conn<'_>,
    user_id: &str,
    method: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> QueryResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    db_run!(conn, |c| diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::method.eq(method),
            sessions::created_at.eq(now.db()),
            sessions::last_used_at.eq(now.db()),
            sessions::expires_at.eq(expires_at.db()),
        ))
        .execute(c))?;
    Ok(id)
}

/// Stores the hash of a new refresh token of `session_id`.
pub fn add_token(conn: &mut Conn<'_>, session_id: &str, token_hash: &str, now: Timestamp) -> QueryResult<()> {
    db_run!(conn, |c| diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::created_at.eq(now.db()),
        ))
        .execute(c))?;
    Ok(())
}

/// The token with this hash and its session.
pub fn find_by_token(conn: &mut Conn<'_>, token_hash: &str) -> QueryResult<Option<(RefreshTokenRow, SessionRow)>> {
    db_run!(conn, |c| refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((RefreshTokenRow::as_select(), SessionRow::as_select()))
        .first(c)
        .optional())
}

/// Marks a token used, if nobody used it first; false means it was replayed.
pub fn use_token(conn: &mut Conn<'_>, token_hash: &str, now: Timestamp) -> QueryResult<bool> {
    let updated = db_run!(conn, |c| diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::used_at.is_null())
    )
    .set(refresh_tokens::used_at.eq(Some(now.db())))
    .execute(c))?;
    Ok(updated == 1)
}

/// Records activity on a session (for the idle timeout).
pub fn touch(conn: &mut Conn<'_>, session_id: &str, now: Timestamp) -> QueryResult<()> {
    db_run!(conn, |c| diesel::update(sessions::table.filter(sessions::id.eq(session_id)))
        .set(sessions::last_used_at.eq(now.db()))
        .execute(c))?;
    Ok(())
}

/// Ends one session.
pub fn revoke(conn: &mut Conn<'_>, session_id: &str, why: &str, now: Timestamp) -> QueryResult<()> {
    db_run!(conn, |c| diesel::update(
        sessions::table.filter(sessions::id.eq(session_id)).filter(sessions::revoked_at.is_null())
    )
    .set((sessions::revoked_at.eq(Some(now.db())), sessions::revoked_why.eq(Some(why))))
    .execute(c))?;
    Ok(())
}

/// Ends every session of a user (deactivated, deleted, or a new role).
pub fn revoke_all_for_user(conn: &mut Conn<'_>, user_id: &str, why: &str, now: Timestamp) -> QueryResult<usize> {
    db_run!(conn, |c| diesel::update(
        sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::revoked_at.is_null())
    )
    .set((sessions::revoked_at.eq(Some(now.db())), sessions::revoked_why.eq(Some(why))))
    .execute(c))
}

/// What an access token's session is now: whether it was ended, and when it ends.
#[derive(Debug, Clone, Copy)]
pub struct SessionState {
    pub revoked_at: Option<NaiveDateTime>,
    pub expires_at: NaiveDateTime,
}

/// The live user `user_id` and, when it is theirs, session `session_id`:
/// the account check and the session check of a signed-in request in one
/// statement (the primary keys of both tables).
pub fn account_with_session(
    conn: &mut Conn<'_>,
    user_id: &str,
    session_id: &str,
) -> QueryResult<Option<(UserRow, Option<SessionState>)>> {
    let found: Option<(UserRow, Option<NaiveDateTime>, Option<NaiveDateTime>)> = db_run!(conn, |c| users::table
        .left_join(sessions::table.on(sessions::id.eq(session_id).and(sessions::user_id.eq(users::id))))
        .filter(users::id.eq(user_id))
        .filter(users::deleted_at.is_null())
        .select((UserRow::as_select(), sessions::revoked_at.nullable(), sessions::expires_at.nullable()))
        .first(c)
        .optional())?;
    Ok(found.map(|(user, revoked_at, expires_at)| {
        (user, expires_at.map(|expires_at| SessionState { revoked_at, expires_at }))
    }))
}

/// The token of `session_id` used last, and when.
pub fn last_used_token(conn: &mut Conn<'_>, session_id: &str) -> QueryResult<Option<(String, NaiveDateTime)>> {
    let found: Option<(String, Option<NaiveDateTime>)> = db_run!(conn, |c| refresh_tokens::table
        .filter(refresh_tokens::session_id.eq(session_id))
        .filter(refresh_tokens::used_at.is_not_null())
        .order(refresh_tokens::used_at.desc())
        .select((refresh_tokens::token_hash, refresh_tokens::used_at))
        .first(c)
        .optional())?;
    Ok(found.and_then(|(hash, used_at)| used_at.map(|at| (hash, at))))
}
