//! The outbox table: queue in the change's transaction, claim, mark.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp as SqlTimestamp};

use super::render::{render_about, ClientFacts, EmailKind, MailSettings, Recipient};
use crate::db::activity::{self, Entry};
use crate::db::schema::outbox_emails;
use crate::db::users::UserRow;
use crate::db::Conn;
use crate::db_run;
use crate::time::Timestamp;
use users_domain::activity::Action;

/// A queued email, as the worker sees it.
#[derive(Debug, Clone, QueryableByName, Queryable, Selectable)]
#[diesel(table_name = outbox_emails)]
pub struct OutboxEmail {
    pub id: String,
    pub kind: String,
    pub user_id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = outbox_emails)]
struct NewOutboxEmail<'a> {
    id: String,
    kind: &'a str,
    user_id: &'a str,
    recipient: &'a str,
    subject: String,
    text_body: String,
    html_body: String,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Queues `kind` for `recipient` (user `user_id`), inside the caller's
/// transaction: it is sent only if that transaction commits.
pub fn enqueue(
    conn: &mut Conn<'_>,
    kind: EmailKind,
    user_id: &str,
    recipient: &Recipient<'_>,
    settings: &MailSettings,
    now: Timestamp,
) -> QueryResult<()> {
    enqueue_about(conn, kind, user_id, recipient, None, settings, now)
}

/// As [`enqueue`], for an email about an API client.
pub fn enqueue_about(
    conn: &mut Conn<'_>,
    kind: EmailKind,
    user_id: &str,
    recipient: &Recipient<'_>,
    client: Option<&ClientFacts<'_>>,
    settings: &MailSettings,
    now: Timestamp,
) -> QueryResult<()> {
    let rendered = render_about(kind, recipient, client, settings);
    let row = NewOutboxEmail {
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.as_str(),
        user_id,
        recipient: recipient.email,
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        next_attempt_at: now.db(),
        created_at: now.db(),
        updated_at: now.db(),
    };
    db_run!(conn, |c| diesel::insert_into(outbox_emails::table).values(&row).execute(c))?;
    Ok(())
}

/// The user an email goes to.
pub fn recipient(user: &UserRow) -> Recipient<'_> {
    Recipient { first_name: &user.first_name, last_name: &user.last_name, email: &user.email }
}

/// Claims up to `limit` due emails for `worker` until `lease_until`. On
/// PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several workers claim at once
/// without ever taking the same row; SQLite's write transaction is exclusive.
pub fn claim(
    conn: &mut Conn<'_>,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> QueryResult<Vec<OutboxEmail>> {
    let lock = if conn.is_postgres() { "FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE outbox_emails SET claimed_by = $1, claimed_until = $2 \
         WHERE id IN (SELECT id FROM outbox_emails \
                      WHERE status = 'queued' AND next_attempt_at <= $3 \
                        AND (claimed_until IS NULL OR claimed_until < $3) \
                      ORDER BY next_attempt_at, id LIMIT $4 {lock}) \
         RETURNING id, kind, user_id, recipient, subject, text_body, html_body, status, attempts, \
                   next_attempt_at, last_error, created_at, sent_at"
    );
    conn.write(|tx| {
        db_run!(tx, |c| diesel::sql_query(sql.as_str())
            .bind::<Text, _>(worker)
            .bind::<SqlTimestamp, _>(lease_until.db())
            .bind::<SqlTimestamp, _>(now.db())
            .bind::<BigInt, _>(limit)
            .load::<OutboxEmail>(c))
    })
}

/// Extends `worker`'s claims among `ids` to `lease_until`; returns how many
/// it still held. A row whose lease lapsed and that another worker claimed
/// since is no longer this worker's, and a row already marked is no longer
/// anyone's: both keep what they have.
pub fn renew(conn: &mut Conn<'_>, ids: &[String], worker: &str, lease_until: Timestamp) -> QueryResult<usize> {
    use outbox_emails::dsl as o;
    db_run!(conn, |c| diesel::update(o::outbox_emails.filter(o::id.eq_any(ids)).filter(o::claimed_by.eq(worker)))
        .set(o::claimed_until.eq(Some(lease_until.db())))
        .execute(c))
}

/// Records that the SMTP server accepted `id`, if `worker` still holds its
/// claim; returns whether it did.
pub fn mark_sent(conn: &mut Conn<'_>, email: &OutboxEmail, worker: &str, now: Timestamp) -> QueryResult<bool> {
    use outbox_emails::dsl as o;
    let id = email.id.as_str();
    let updated =
        db_run!(conn, |c| diesel::update(o::outbox_emails.filter(o::id.eq(id)).filter(o::claimed_by.eq(worker)))
            .set((
                o::status.eq("sent"),
                o::attempts.eq(o::attempts + 1),
                o::sent_at.eq(Some(now.db())),
                o::claimed_by.eq(None::<String>),
                o::claimed_until.eq(None::<NaiveDateTime>),
                o::last_error.eq(None::<String>),
                o::updated_at.eq(now.db()),
            ))
            .execute(c))?;
    if updated == 1 {
        log_outcome(conn, email, Action::EmailSent, now)?;
    }
    Ok(updated == 1)
}

/// One activity entry per email outcome (not per attempt): its kind, never
/// its body.
fn log_outcome(conn: &mut Conn<'_>, email: &OutboxEmail, action: Action, now: Timestamp) -> QueryResult<()> {
    activity::record(
        conn,
        Entry {
            action,
            user_id: Some(&email.user_id),
            actor: None,
            changes: None,
            details: Some(serde_json::json!({"email_kind": email.kind, "email_id": email.id})),
            request_id: None,
            at: now,
        },
    )
}

/// Records a failed attempt: retried at `retry_at`, or `failed` for good
/// (and logged) when `retry_at` is `None`; only by the worker that still
/// holds the claim (returns whether it did).
pub fn mark_attempt_failed(
    conn: &mut Conn<'_>,
    email: &OutboxEmail,
    worker: &str,
    reason: &str,
    retry_at: Option<Timestamp>,
    now: Timestamp,
) -> QueryResult<bool> {
    use outbox_emails::dsl as o;
    let id = email.id.as_str();
    let status = if retry_at.is_some() { "queued" } else { "failed" };
    let next = retry_at.unwrap_or(now).db();
    let updated =
        db_run!(conn, |c| diesel::update(o::outbox_emails.filter(o::id.eq(id)).filter(o::claimed_by.eq(worker)))
            .set((
                o::status.eq(status),
                o::attempts.eq(o::attempts + 1),
                o::next_attempt_at.eq(next),
                o::claimed_by.eq(None::<String>),
                o::claimed_until.eq(None::<NaiveDateTime>),
                o::last_error.eq(Some(reason)),
                o::updated_at.eq(now.db()),
            ))
            .execute(c))?;
    if updated == 1 && retry_at.is_none() {
        log_outcome(conn, email, Action::EmailFailed, now)?;
    }
    Ok(updated == 1)
}

/// Gives claimed rows back (a worker stopping before it sent them).
pub fn release(conn: &mut Conn<'_>, ids: &[String], worker: &str) -> QueryResult<usize> {
    use outbox_emails::dsl as o;
    db_run!(conn, |c| diesel::update(o::outbox_emails.filter(o::id.eq_any(ids)).filter(o::claimed_by.eq(worker)))
        .set((o::claimed_by.eq(None::<String>), o::claimed_until.eq(None::<NaiveDateTime>)))
        .execute(c))
}

/// Whether any email is waiting for a retry (so the SMTP server is worth
/// probing).
pub fn has_deferred(conn: &mut Conn<'_>, now: Timestamp) -> QueryResult<bool> {
    use outbox_emails::dsl as o;
    db_run!(conn, |c| diesel::select(diesel::dsl::exists(
        o::outbox_emails
            .filter(o::status.eq("queued"))
            .filter(o::attempts.gt(0))
            .filter(o::next_attempt_at.gt(now.db()))
    ))
    .get_result(c))
}

/// Brings every deferred email forward to now: the SMTP server answers again,
/// so nobody should wait out a long backoff.
pub fn retry_deferred_now(conn: &mut Conn<'_>, now: Timestamp) -> QueryResult<usize> {
    use outbox_emails::dsl as o;
    db_run!(conn, |c| diesel::update(
        o::outbox_emails
            .filter(o::status.eq("queued"))
            .filter(o::attempts.gt(0))
            .filter(o::next_attempt_at.gt(now.db()))
    )
    .set(o::next_attempt_at.eq(now.db()))
    .execute(c))
}

/// How many emails are queued and how many failed.
pub fn count_by_status(conn: &mut Conn<'_>) -> QueryResult<(i64, i64)> {
    use outbox_emails::dsl as o;
    let queued = db_run!(conn, |c| o::outbox_emails.filter(o::status.eq("queued")).count().get_result::<i64>(c))?;
    let failed = db_run!(conn, |c| o::outbox_emails.filter(o::status.eq("failed")).count().get_result::<i64>(c))?;
    Ok((queued, failed))
}

/// The emails of one user, oldest first (for tests and support).
pub fn for_user(conn: &mut Conn<'_>, user_id: &str) -> QueryResult<Vec<OutboxEmail>> {
    use outbox_emails::dsl as o;
    db_run!(conn, |c| o::outbox_emails
        .filter(o::user_id.eq(user_id))
        .order((o::created_at.asc(), o::id.asc()))
        .select(OutboxEmail::as_select())
        .load(c))
}
