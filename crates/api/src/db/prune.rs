//! Removing what has ended: sessions and their refresh tokens, DfE Sign-in
//! attempts, delivered or failed email past its retention, old rate-limit
//! counters and (when a retention is set) old activity. Each call removes
//! at most one batch, in a statement of its own, so no lock is held for long
//! however much has piled up.

use diesel::sql_types::{BigInt, Timestamp as SqlTimestamp};
use diesel::RunQueryDsl;

use super::Conn;
use crate::db_run;
use crate::time::Timestamp;

/// Rows removed per statement.
pub const BATCH: i64 = 1000;

/// Sessions that ended (expired, or revoked) before `before`, and their
/// refresh tokens.
pub fn ended_sessions(conn: &mut Conn<'_>, before: Timestamp) -> diesel::QueryResult<usize> {
    const ENDED: &str = "SELECT id FROM sessions WHERE expires_at < $1 OR revoked_at < $1 LIMIT $2";
    conn.write(|tx| {
        let tokens = format!("DELETE FROM refresh_tokens WHERE session_id IN ({ENDED})");
        db_run!(tx, |c| diesel::sql_query(tokens.as_str())
            .bind::<SqlTimestamp, _>(before.db())
            .bind::<BigInt, _>(BATCH)
            .execute(c))?;
        let sessions = format!("DELETE FROM sessions WHERE id IN ({ENDED})");
        db_run!(tx, |c| diesel::sql_query(sessions.as_str())
            .bind::<SqlTimestamp, _>(before.db())
            .bind::<BigInt, _>(BATCH)
            .execute(c))
    })
}

/// DfE Sign-in attempts whose window closed before `now`.
pub fn expired_sign_ins(conn: &mut Conn<'_>, now: Timestamp) -> diesel::QueryResult<usize> {
    delete_batch(
        conn,
        "DELETE FROM oidc_sign_ins WHERE state IN (SELECT state FROM oidc_sign_ins WHERE expires_at < $1 LIMIT $2)",
        now,
    )
}

/// Emails sent or given up on that were queued before `before`.
pub fn old_emails(conn: &mut Conn<'_>, before: Timestamp) -> diesel::QueryResult<usize> {
    delete_batch(
        conn,
        "DELETE FROM outbox_emails WHERE id IN (SELECT id FROM outbox_emails \
         WHERE status IN ('sent', 'failed') AND created_at < $1 LIMIT $2)",
        before,
    )
}

/// Rate-limit counters of minutes before `minute`.
pub fn old_counters(conn: &mut Conn<'_>, minute: i64) -> diesel::QueryResult<usize> {
    db_run!(conn, |c| diesel::sql_query(
        "DELETE FROM rate_limit_buckets WHERE (bucket_key, minute) IN \
         (SELECT bucket_key, minute FROM rate_limit_buckets WHERE minute < $1 LIMIT $2)"
    )
    .bind::<BigInt, _>(minute)
    .bind::<BigInt, _>(BATCH)
    .execute(c))
}

/// Activity that occurred before `before` (`ACTIVITY_RETENTION_DAYS`). On
/// PostgreSQL the log refuses deletes unless the transaction says it prunes.
pub fn old_activity(conn: &mut Conn<'_>, before: Timestamp) -> diesel::QueryResult<usize> {
    conn.write(|tx| {
        if let Conn::Pg(c) = tx {
            diesel::sql_query("SET LOCAL activity.prune = 'on'").execute(*c)?;
        }
        db_run!(tx, |c| diesel::sql_query(
            "DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE occurred_at < $1 LIMIT $2)"
        )
        .bind::<SqlTimestamp, _>(before.db())
        .bind::<BigInt, _>(BATCH)
        .execute(c))
    })
}

fn delete_batch(conn: &mut Conn<'_>, sql: &'static str, before: Timestamp) -> diesel::QueryResult<usize> {
    db_run!(conn, |c| diesel::sql_query(sql).bind::<SqlTimestamp, _>(before.db()).bind::<BigInt, _>(BATCH).execute(c))
}
