//! Training providers: the read-only change feed (`GET /providers`) and the
//! writers that fill it (seeding, imports, tests).
//!
//! Every writer takes the providers write lock for its transaction before it
//! stamps `updated_at`, and stamps later than anything already stored. So
//! stamps are unique per transaction and commit in stamp order: a reader
//! walking `(updated_at, id)` by keyset can never have passed a stamp that is
//! still to commit, which is what makes the walk free of gaps while rows are
//! being changed.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{max, sql};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text, Timestamp as SqlTimestamp};

use super::limit::limit_text;
use super::schema::providers;
use super::Conn;
use crate::db_run;
use crate::time::Timestamp;

/// A stored provider.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = providers)]
pub struct ProviderRow {
    pub id: String,
    pub ukprn: String,
    pub code: String,
    pub name: String,
    pub provider_type: String,
    pub address_line_1: String,
    pub address_line_2: Option<String>,
    pub address_line_3: Option<String>,
    pub town: String,
    pub county: Option<String>,
    pub postcode: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A place in the feed's order: (updated_at, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub updated_at: NaiveDateTime,
    pub id: String,
}

/// Takes the providers write lock for the rest of the transaction, and
/// returns the stamp for this transaction's changes: now, or just after the
/// latest stamp stored when the clock has not moved past it. (SQLite's write
/// transaction is already exclusive; PostgreSQL takes an advisory lock.)
fn lock_and_stamp(conn: &mut Conn<'_>, now: Timestamp) -> QueryResult<NaiveDateTime> {
    if let Conn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7301002)").execute(*c)?;
    }
    let latest: Option<NaiveDateTime> =
        db_run!(conn, |c| providers::table.select(max(providers::updated_at)).get_result(c))?;
    Ok(match latest {
        Some(latest) if latest >= now.db() => latest + Duration::microseconds(1),
        _ => now.db(),
    })
}

/// Stores new providers in one statement, stamped together. Call inside a
/// write transaction ([`Conn::write`]). Returns how many were stored.
pub fn insert_many(conn: &mut Conn<'_>, rows: &mut [ProviderRow], now: Timestamp) -> QueryResult<usize> {
    let stamp = lock_and_stamp(conn, now)?;
    for row in rows.iter_mut() {
        row.created_at = stamp;
        row.updated_at = stamp;
    }
    let rows: &[ProviderRow] = rows;
    db_run!(conn, |c| diesel::insert_into(providers::table).values(rows).execute(c))
}

/// Renames a provider, stamping the change. Call inside a write transaction.
pub fn rename(conn: &mut Conn<'_>, id: &str, name: &str, now: Timestamp) -> QueryResult<Option<ProviderRow>> {
    let stamp = lock_and_stamp(conn, now)?;
    db_run!(conn, |c| diesel::update(providers::table.filter(providers::id.eq(id)))
        .set((providers::name.eq(name), providers::updated_at.eq(stamp)))
        .returning(ProviderRow::as_returning())
        .get_result(c)
        .optional())
}

/// One page of the feed: providers changed at or after `changed_since`,
/// after `after`, by (updated_at, id); and whether another follows.
pub fn page(
    conn: &mut Conn<'_>,
    changed_since: Option<NaiveDateTime>,
    after: Option<&Position>,
    per_page: u64,
) -> QueryResult<(Vec<ProviderRow>, bool)> {
    let mut rows: Vec<ProviderRow> = db_run!(conn, |c| {
        let mut query = providers::table.into_boxed().select(ProviderRow::as_select());
        if let Some(since) = changed_since {
            query = query.filter(providers::updated_at.ge(since));
        }
        if let Some(p) = after {
            query = query.filter(
                sql::<Bool>("(providers.updated_at, providers.id) > (")
                    .bind::<SqlTimestamp, _>(p.updated_at)
                    .sql(", ")
                    .bind::<Text, _>(p.id.clone())
                    .sql(")"),
            );
        }
        // The limit in the text lets PostgreSQL plan the first page once.
        limit_text(query.order((providers::updated_at.asc(), providers::id.asc())), per_page + 1).load(c)?
    });
    let more = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    Ok((rows, more))
}

/// How many providers are stored.
pub fn count(conn: &mut Conn<'_>) -> QueryResult<u64> {
    let total: i64 = db_run!(conn, |c| providers::table.count().get_result(c))?;
    Ok(total.unsigned_abs())
}

/// Every provider's id and stamp, in feed order (tests compare walks with it).
pub fn all_stamps(conn: &mut Conn<'_>) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    db_run!(conn, |c| providers::table
        .select((providers::id, providers::updated_at))
        .order((providers::updated_at.asc(), providers::id.asc()))
        .load(c))
}
