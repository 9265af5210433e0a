//! The list of users (contract §3): one page in the list's order, its exact
//! total, the keyset cursor and the prefix search, tuned for a million users
//! on both backends (BENCHMARKS.md).

use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use users_domain::list::{prefix_upper_bound, StatusFilter, TypeFilter};
use users_domain::SupportRole;

use super::limit::limit_text;
use super::schema::{user_counts, users};
use super::users::{lower, UserRow};
use super::Conn;
use crate::db_run;

/// The live users matching `filters`, as a boxed query whose backend is
/// inferred from where it runs (a macro, so one text serves both backends).
///
/// The search's three prefix ranges are joined by `OR` on PostgreSQL, which
/// answers that from one bitmap of the three prefix indexes. SQLite's planner
/// turns the same `OR` into a scan of the whole list index (8 s at a million
/// users), so there (`$union` true) they are `rowid IN (range UNION ALL
/// range UNION ALL range)`, one index search each ([`RowId`]). PostgreSQL
/// answers that shape too (by `id`), but visits every match twice more: a
/// third of the `OR`'s rate.
macro_rules! filtered {
    ($filters:expr, $union:expr) => {{
        let filters: &Filters = $filters;
        let mut query = users::table.into_boxed().filter(users::deleted_at.is_null());
        if let Some(status) = filters.status {
            query = query.filter(users::active.eq(status == StatusFilter::Active));
        }
        if let Some(kind) = filters.kind {
            query = query.filter(users::api_user.eq(kind == TypeFilter::Api));
        }
        if let Some(role) = filters.role {
            query = query.filter(users::support_role.eq(role.as_str()));
        }
        if let Some(q) = &filters.q {
            let upper = prefix_upper_bound(q).unwrap_or_else(|| format!("{q}\u{10FFFF}"));
            if $union {
                let m = MATCHING;
                let live = m
                    .filter(m.field(users::deleted_at).is_null())
                    .select(RowId::<diesel::query_source::Alias<Matching>>::new());
                let (full, last, email) =
                    (m.field(users::full_name_key), m.field(users::last_name_key), lower(m.field(users::email)));
                let matches = live
                    .filter(full.ge(q.clone()).and(full.lt(upper.clone())))
                    .union_all(live.filter(last.ge(q.clone()).and(last.lt(upper.clone()))))
                    .union_all(live.filter(email.ge(q.clone()).and(email.lt(upper))));
                query = query.filter(RowId::<users::table>::new().eq_any(matches));
            } else {
                query = query.filter(
                    users::full_name_key
                        .ge(q.clone())
                        .and(users::full_name_key.lt(upper.clone()))
                        .or(users::last_name_key.ge(q.clone()).and(users::last_name_key.lt(upper.clone())))
                        .or(lower(users::email).ge(q.clone()).and(lower(users::email).lt(upper))),
                );
            }
        }
        query
    }};
}

// The users a search's prefix ranges match (SQLite), apart from the users
// the page is read from.
diesel::alias! {
    const MATCHING: Alias<Matching> = users as matching;
}

/// SQLite's `rowid` of a user: of `users` itself or of [`MATCHING`]. Every
/// SQLite index holds it, so a search's ranges yield their matches from the
/// prefix indexes alone, and the page reads each match's row by it directly.
/// Matching on `id` instead read each match's row to find its id, then the
/// primary key's index to find the row again: 3.6 ms for `jack ah`, where
/// `rowid` takes 0.9 ms. The expression only ever runs on SQLite.
#[derive(Debug, Clone, Copy)]
struct RowId<S>(std::marker::PhantomData<S>);

impl<S> RowId<S> {
    fn new() -> Self {
        RowId(std::marker::PhantomData)
    }
}

impl<S> diesel::query_builder::QueryId for RowId<S> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<S> diesel::expression::Expression for RowId<S> {
    type SqlType = diesel::sql_types::BigInt;
}

impl<S> diesel::expression::AppearsOnTable<S> for RowId<S> {}

impl<S> diesel::expression::SelectableExpression<S> for RowId<S> {}

impl<S> diesel::expression::ValidGrouping<()> for RowId<S> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for RowId<users::table> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("\"users\".\"rowid\"");
        Ok(())
    }
}

impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB>
    for RowId<diesel::query_source::Alias<Matching>>
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("\"matching\".\"rowid\"");
        Ok(())
    }
}

/// The counter cells of the users `filters` keeps, searches aside.
macro_rules! counters {
    ($filters:expr) => {{
        let filters: &Filters = $filters;
        let mut cells = user_counts::table.into_boxed();
        if let Some(status) = filters.status {
            cells = cells.filter(user_counts::active.eq(status == StatusFilter::Active));
        }
        if let Some(kind) = filters.kind {
            cells = cells.filter(user_counts::api_user.eq(kind == TypeFilter::Api));
        }
        if let Some(role) = filters.role {
            cells = cells.filter(user_counts::support_role.eq(role.as_str()));
        }
        cells
    }};
}

/// A place in the list's order: (first name key, last name key, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub first_name_key: String,
    pub last_name_key: String,
    pub id: String,
}

/// What a page of the list is drawn from.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub q: Option<String>,
    pub status: Option<StatusFilter>,
    pub kind: Option<TypeFilter>,
    pub role: Option<SupportRole>,
}

/// Where a page starts.
#[derive(Debug, Clone)]
pub enum Start {
    Offset(u64),
    After(Position),
}

impl UserRow {
    /// The list position just after this user.
    pub fn position(&self) -> Position {
        Position {
            first_name_key: self.first_name_key.clone(),
            last_name_key: self.last_name_key.clone(),
            id: self.id.clone(),
        }
    }
}

/// One page of live users in list order.
#[derive(Debug)]
pub struct Page {
    pub rows: Vec<UserRow>,
    /// Whether another user follows the last of `rows`.
    pub more: bool,
    /// How many live users match the filters, on every page.
    pub total: u64,
}

/// One page of live users in list order, with the number that match.
///
/// The total comes back on every row of the page's own statement, from a
/// subquery the database runs once: a round trip fewer than asking for it
/// apart. Without a search it sums the counters; a search counts its matches.
/// (`COUNT(*) OVER ()` would count a search's matches in the pass that sorts
/// them, but a search as broad as `a` then sorts all of its 217,000 matches:
/// 4.5 s, against 0.19 s for the subquery.) Only an empty page past the first
/// carries no row to read the total from; that page asks again with [`count`].
///
/// The first page and cursor pages of the list write their limit into the
/// statement ([`limit_text`]), so PostgreSQL plans them once per connection.
/// A search keeps it bound: how many users a prefix matches varies by five
/// orders of magnitude, and PostgreSQL's plan for each call's prefix (an index
/// range for `jack ah`, the list's own order for `a`) is worth its planning.
/// So does a numbered page past the first, whose offset decides the plan.
pub fn page(conn: &mut Conn<'_>, filters: &Filters, start: &Start, per_page: u64) -> QueryResult<Page> {
    let limit = per_page + 1;
    let union = !conn.is_postgres();
    let loaded: Vec<(UserRow, Option<i64>)> = db_run!(conn, |c| {
        let rows = filtered!(filters, union);
        let mut query = if filters.q.is_some() {
            rows.select((UserRow::as_select(), filtered!(filters, union).select(count_star()).single_value()))
        } else {
            rows.select((UserRow::as_select(), counters!(filters).select(sum(user_counts::live)).single_value()))
        }
        .order((users::first_name_key.asc(), users::last_name_key.asc(), users::id.asc()));
        if let Start::After(p) = start {
            query = query.filter(After(p.clone()));
        }
        match start {
            Start::Offset(0) | Start::After(_) if filters.q.is_none() => limit_text(query, limit).load(c)?,
            Start::Offset(offset) => query.limit(to_i64(limit)).offset(to_i64(*offset)).load(c)?,
            Start::After(_) => query.limit(to_i64(limit)).load(c)?,
        }
    });
    let total = match (loaded.first(), start) {
        (Some((_, total)), _) => total.unwrap_or(0).unsigned_abs(),
        (None, Start::Offset(0)) => 0,
        (None, _) => count(conn, filters)?,
    };
    let more = loaded.len() as u64 > per_page;
    let rows = loaded.into_iter().take(per_page as usize).map(|(row, _)| row).collect();
    Ok(Page { rows, more, total })
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `(first_name_key, last_name_key, id) > (…)`: the keyset cursor's
/// condition as one row comparison, which both databases answer from the
/// list's index. It is a fragment of its own rather than `sql()` text so that
/// Diesel keeps the statement prepared (a `sql()` literal makes PostgreSQL
/// parse and plan the page query on every request).
#[derive(Debug, Clone)]
struct After(Position);

impl diesel::query_builder::QueryId for After {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::expression::Expression for After {
    type SqlType = Bool;
}

impl diesel::expression::AppearsOnTable<users::table> for After {}

impl diesel::expression::ValidGrouping<()> for After {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<DB> diesel::query_builder::QueryFragment<DB> for After
where
    DB: diesel::backend::Backend + diesel::sql_types::HasSqlType<Text>,
    String: diesel::serialize::ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(first_name_key, last_name_key, id) > (");
        out.push_bind_param::<Text, String>(&self.0.first_name_key)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&self.0.last_name_key)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, String>(&self.0.id)?;
        out.push_sql(")");
        Ok(())
    }
}

/// How many live users match `filters`. Without a search this sums the
/// trigger-kept counters (a few rows, whatever the number of users); a
/// search counts its matches through the prefix indexes.
pub fn count(conn: &mut Conn<'_>, filters: &Filters) -> QueryResult<u64> {
    let union = !conn.is_postgres();
    let total: Option<i64> = db_run!(conn, |c| if filters.q.is_some() {
        filtered!(filters, union).select(count_star()).get_result::<i64>(c).map(Some)
    } else {
        counters!(filters).select(sum(user_counts::live)).get_result(c)
    })?;
    Ok(total.unwrap_or(0).unsigned_abs())
}
