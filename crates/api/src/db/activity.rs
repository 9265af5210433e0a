//! The activity log: appended inside the transaction of what it records.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text, Timestamp as SqlTimestamp};
use serde_json::Value;

use users_domain::activity::Action;

use super::schema::activity;
use super::users::UserRow;
use super::Conn;
use crate::db_run;
use crate::time::Timestamp;

/// A stored entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = activity)]
pub struct ActivityRow {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub action: String,
    pub user_id: Option<String>,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub changes: Option<String>,
    pub details: Option<String>,
    pub request_id: Option<String>,
}

/// An entry to append.
pub struct Entry<'a> {
    /// What happened.
    pub action: Action,
    /// The user it happened to (whose history it belongs to).
    pub user_id: Option<&'a str>,
    /// Who did it; `None` for the service itself (email delivery).
    pub actor: Option<&'a UserRow>,
    /// `{"field": [old, new]}` for the fields that changed.
    pub changes: Option<Value>,
    /// Anything else worth keeping (never an email's body).
    pub details: Option<Value>,
    /// The request that caused it.
    pub request_id: Option<&'a str>,
    /// When.
    pub at: Timestamp,
}

/// Appends `entry`.
pub fn record(conn: &mut Conn<'_>, entry: Entry<'_>) -> QueryResult<()> {
    let id = uuid::Uuid::now_v7().to_string();
    let actor_name = entry.actor.map(UserRow::full_name);
    let changes = entry.changes.map(|c| c.to_string());
    let details = entry.details.map(|d| d.to_string());
    db_run!(conn, |c| diesel::insert_into(activity::table)
        .values((
            activity::id.eq(&id),
            activity::occurred_at.eq(entry.at.db()),
            activity::action.eq(entry.action.as_str()),
            activity::user_id.eq(entry.user_id),
            activity::actor_id.eq(entry.actor.map(|a| a.id.as_str())),
            activity::actor_name.eq(actor_name.as_deref()),
            activity::changes.eq(changes.as_deref()),
            activity::details.eq(details.as_deref()),
            activity::request_id.eq(entry.request_id),
        ))
        .execute(c))?;
    Ok(())
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub user_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Option<Action>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Continue after this entry: (occurred_at, id).
    pub after: Option<(NaiveDateTime, String)>,
}

/// One page, newest first, and whether more follow.
pub fn page(conn: &mut Conn<'_>, query: &Query, per_page: u64) -> QueryResult<(Vec<ActivityRow>, bool)> {
    let limit = i64::try_from(per_page + 1).unwrap_or(i64::MAX);
    let mut rows: Vec<ActivityRow> = db_run!(conn, |c| {
        let mut q = activity::table.into_boxed().select(ActivityRow::as_select());
        if let Some(user_id) = &query.user_id {
            q = q.filter(activity::user_id.eq(user_id.clone()));
        }
        if let Some(actor_id) = &query.actor_id {
            q = q.filter(activity::actor_id.eq(actor_id.clone()));
        }
        if let Some(action) = query.action {
            q = q.filter(activity::action.eq(action.as_str()));
        }
        if let Some(since) = query.since {
            q = q.filter(activity::occurred_at.ge(since.db()));
        }
        if let Some(until) = query.until {
            q = q.filter(activity::occurred_at.lt(until.db()));
        }
        if let Some((at, id)) = &query.after {
            q = q.filter(
                sql::<Bool>("(occurred_at, id) < (")
                    .bind::<SqlTimestamp, _>(*at)
                    .sql(", ")
                    .bind::<Text, _>(id.clone())
                    .sql(")"),
            );
        }
        q.order((activity::occurred_at.desc(), activity::id.desc())).limit(limit).load(c)?
    });
    let more = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    Ok((rows, more))
}

/// Removes entries older than `before` (the retention command; the only
/// deletion there is).
pub fn prune(conn: &mut Conn<'_>, before: Timestamp) -> QueryResult<usize> {
    conn.write(|tx| {
        if let Conn::Pg(c) = tx {
            diesel::sql_query("SET LOCAL activity.prune = 'on'").execute(*c)?;
        }
        db_run!(tx, |c| diesel::delete(activity::table.filter(activity::occurred_at.lt(before.db()))).execute(c))
    })
}
