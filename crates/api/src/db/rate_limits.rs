//! Rate-limit counters: one row per key per clock minute, in the database
//! every API process shares, so they all enforce one limit.

use diesel::prelude::*;

use super::schema::rate_limit_buckets as buckets;
use super::Conn;
use crate::db_run;

/// The count of `key`'s bucket for `minute` (0 when there is none).
pub fn hits(conn: &mut Conn<'_>, key: &str, minute: i64) -> QueryResult<u64> {
    let hits: Option<i64> = db_run!(conn, |c| buckets::table
        .filter(buckets::bucket_key.eq(key))
        .filter(buckets::minute.eq(minute))
        .select(buckets::hits)
        .first(c)
        .optional())?;
    Ok(hits.unwrap_or(0).unsigned_abs())
}

/// Counts one request in `key`'s bucket for `minute` if the bucket holds
/// fewer than `capacity`, atomically (one upsert, so concurrent requests in
/// any process never both take the last place). Returns the new count, or
/// `None` when the bucket was full and nothing was counted.
pub fn take(conn: &mut Conn<'_>, key: &str, minute: i64, capacity: u64) -> QueryResult<Option<u64>> {
    if capacity == 0 {
        return Ok(None);
    }
    let capacity = i64::try_from(capacity).unwrap_or(i64::MAX);
    let hits: Option<i64> = db_run!(conn, |c| diesel::query_dsl::methods::FilterDsl::filter(
        diesel::insert_into(buckets::table)
            .values((buckets::bucket_key.eq(key), buckets::minute.eq(minute), buckets::hits.eq(1_i64)))
            .on_conflict((buckets::bucket_key, buckets::minute))
            .do_update()
            .set(buckets::hits.eq(buckets::hits + 1_i64)),
        buckets::hits.lt(capacity),
    )
    .returning(buckets::hits)
    .get_result(c)
    .optional())?;
    Ok(hits.map(i64::unsigned_abs))
}
