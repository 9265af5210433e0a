//! API client usage per UTC day: added to in batches by each process's
//! tally ([`crate::usage`]), read by `GET /api-clients/{id}/usage`.

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{api_client_usage as usage, api_clients};
use super::Conn;
use crate::db_run;
use crate::time::Timestamp;

/// One client's counts for one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub day: String,
    pub requests: u64,
    pub refused: u64,
}

/// Adds `requests` and `refused` to `client_id`'s counts for `day`; a client
/// deleted meanwhile takes nothing (its rows went with it).
pub fn add(conn: &mut Conn<'_>, client_id: &str, count: &DayCount) -> QueryResult<usize> {
    let row = (
        usage::client_id.eq(client_id),
        usage::day.eq(&count.day),
        usage::requests.eq(i64::try_from(count.requests).unwrap_or(i64::MAX)),
        usage::refused.eq(i64::try_from(count.refused).unwrap_or(i64::MAX)),
    );
    let known: bool = db_run!(conn, |c| diesel::select(diesel::dsl::exists(
        api_clients::table.filter(api_clients::id.eq(client_id))
    ))
    .get_result(c))?;
    if !known {
        return Ok(0);
    }
    db_run!(conn, |c| diesel::insert_into(usage::table)
        .values(row)
        .on_conflict((usage::client_id, usage::day))
        .do_update()
        .set((
            usage::requests.eq(usage::requests + excluded(usage::requests)),
            usage::refused.eq(usage::refused + excluded(usage::refused)),
        ))
        .execute(c))
}

/// Records the address a client's token was last used from.
pub fn record_last_ip(conn: &mut Conn<'_>, client_id: &str, ip: &str) -> QueryResult<usize> {
    db_run!(conn, |c| diesel::update(api_clients::table.filter(api_clients::id.eq(client_id)))
        .set(api_clients::last_used_ip.eq(ip))
        .execute(c))
}

/// `client_id`'s days from `first_day` on (`YYYY-MM-DD`), newest first.
pub fn days(conn: &mut Conn<'_>, client_id: &str, first_day: &str) -> QueryResult<Vec<DayCount>> {
    let rows: Vec<(String, i64, i64)> = db_run!(conn, |c| usage::table
        .filter(usage::client_id.eq(client_id))
        .filter(usage::day.ge(first_day))
        .order(usage::day.desc())
        .select((usage::day, usage::requests, usage::refused))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(day, requests, refused)| DayCount {
            day,
            requests: requests.unsigned_abs(),
            refused: refused.unsigned_abs(),
        })
        .collect())
}

/// The address `client_id`'s token was last used from, as last flushed.
pub fn last_ip(conn: &mut Conn<'_>, client_id: &str) -> QueryResult<Option<String>> {
    db_run!(conn, |c| api_clients::table
        .filter(api_clients::id.eq(client_id))
        .select(api_clients::last_used_ip)
        .first::<Option<String>>(c)
        .optional())
    .map(Option::flatten)
}

/// Removes days before `first_day` kept, a batch at a time.
pub fn prune(conn: &mut Conn<'_>, first_day: &str) -> QueryResult<usize> {
    db_run!(conn, |c| diesel::delete(usage::table.filter(usage::day.lt(first_day))).execute(c))
}

/// The first day of the 90 the usage keeps, on `now`'s UTC day.
pub fn first_kept_day(now: Timestamp) -> String {
    (now.utc().date_naive() - chrono::Duration::days(89)).format("%Y-%m-%d").to_string()
}
