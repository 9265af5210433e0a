//! A page's `LIMIT`, written into the statement's text.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

/// `<query> LIMIT <n>`, with `n` in the SQL text instead of a bound parameter.
///
/// PostgreSQL keeps one plan for a prepared statement (a generic plan) only
/// when it costs no more than planning for each call's values. To a generic
/// plan a bound `LIMIT` could be a tenth of the table, so a page query with
/// one was planned again on every call: pgbench ran page 1 at 5,900 a second
/// with `LIMIT $1 OFFSET $2` against 9,700 with `LIMIT 26` (BENCHMARKS.md).
/// With the limit in the text, the plan is made once per connection.
///
/// The limit is a page's size and one row, and the page sizes are bounded
/// (`users_domain::list::MAX_PER_PAGE`, `users_domain::providers::MAX_PER_PAGE`),
/// so a connection keeps one statement prepared per page size in use, never
/// one per request.
#[derive(Debug, Clone)]
pub struct LimitText<Q> {
    query: Q,
    limit: u64,
}

/// `query`, limited to `limit` rows by its text.
pub fn limit_text<Q>(query: Q, limit: u64) -> LimitText<Q> {
    LimitText { query, limit }
}

impl<Q: Query> Query for LimitText<Q> {
    type SqlType = Q::SqlType;
}

impl<Q> QueryId for LimitText<Q> {
    type QueryId = ();
    // Cached by its SQL text, which holds the limit.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, DB> QueryFragment<DB> for LimitText<Q>
where
    Q: QueryFragment<DB>,
    DB: Backend,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(" LIMIT ");
        out.push_sql(&self.limit.to_string());
        Ok(())
    }
}

impl<Q, C> RunQueryDsl<C> for LimitText<Q> {}
