//! Reading and writing users. Every function takes a [`Conn`] and runs the
//! same SQL on both backends unless it says otherwise.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Bool, Text};

use users_domain::list::{prefix_upper_bound, StatusFilter, TypeFilter};
use users_domain::{NewUser, UserChanges, UserState};

use super::limit::limit_text;
use super::schema::{user_counts, users};
use super::Conn;
use crate::db_run;
use crate::time::{from_db, Timestamp};

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

diesel::define_sql_function! {
    /// SQL's `lower`. Addresses are stored in lower case (a `CHECK` says so),
    /// and the one index of addresses, the unique one, is on `lower(email)`:
    /// lookups and the search's address range name it so that they use it.
    fn lower(text: Text) -> Text;
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
        cells
    }};
}

/// A stored user, as the API needs it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub api_user: bool,
    pub active: bool,
    pub first_name_key: String,
    pub last_name_key: String,
    /// The identity provider's `sub` for this person, once they have signed in with it.
    pub dfe_sign_in_subject: Option<String>,
    pub last_signed_in_at: Option<NaiveDateTime>,
    pub tokens_revoked_before: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UserRow {
    /// What the domain rules need to know of this user.
    pub fn state(&self) -> UserState {
        UserState {
            id: self.id.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            api_user: self.api_user,
            active: self.active,
            last_signed_in_at: self.last_signed_in_at.map(from_db),
        }
    }

    /// The list position just after this user.
    pub fn position(&self) -> Position {
        Position {
            first_name_key: self.first_name_key.clone(),
            last_name_key: self.last_name_key.clone(),
            id: self.id.clone(),
        }
    }
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
}

/// Where a page starts.
#[derive(Debug, Clone)]
pub enum Start {
    Offset(u64),
    After(Position),
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct InsertUser<'a> {
    id: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    api_user: bool,
    active: bool,
    first_name_key: String,
    last_name_key: String,
    full_name_key: String,
    last_signed_in_at: Option<NaiveDateTime>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = users)]
struct UpdateUser {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    api_user: Option<bool>,
    active: Option<bool>,
    first_name_key: Option<String>,
    last_name_key: Option<String>,
    full_name_key: Option<String>,
    dfe_sign_in_subject: Option<String>,
    last_signed_in_at: Option<NaiveDateTime>,
    tokens_revoked_before: Option<String>,
    deleted_at: Option<NaiveDateTime>,
    deleted_by: Option<String>,
    version: Option<i64>,
    updated_at: Option<NaiveDateTime>,
}

/// True when `error` is the live-email unique index refusing a duplicate.
pub fn is_duplicate_email(error: &DieselError) -> bool {
    const INDEX: &str = "users_email_live_key";
    match error {
        // PostgreSQL names the constraint; SQLite names the index in its message.
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            info.constraint_name() == Some(INDEX) || info.message().contains(INDEX)
        }
        _ => false,
    }
}

/// The live (not deleted) user with this id.
pub fn find(conn: &mut Conn<'_>, id: &str) -> QueryResult<Option<UserRow>> {
    db_run!(conn, |c| users::table
        .filter(users::id.eq(id))
        .filter(users::deleted_at.is_null())
        .select(UserRow::as_select())
        .first(c)
        .optional())
}

/// As [`find`], and on PostgreSQL locks the row until the transaction ends,
/// so the `If-Match` check and the write are one compare-and-set. (SQLite
/// write transactions already hold the database's write lock.)
pub fn find_for_update(conn: &mut Conn<'_>, id: &str) -> QueryResult<Option<UserRow>> {
    let live = users::table.filter(users::id.eq(id)).filter(users::deleted_at.is_null());
    match conn {
        Conn::Pg(c) => live.select(UserRow::as_select()).for_update().first(*c).optional(),
        Conn::Sqlite(c) => live.select(UserRow::as_select()).first(*c).optional(),
    }
}

/// Whether a user (deleted or not) ever had this id.
pub fn ever_existed(conn: &mut Conn<'_>, id: &str) -> QueryResult<bool> {
    db_run!(conn, |c| diesel::select(diesel::dsl::exists(users::table.filter(users::id.eq(id)))).get_result(c))
}

/// The live user with this (normalised) address.
pub fn find_by_email(conn: &mut Conn<'_>, email: &str) -> QueryResult<Option<UserRow>> {
    db_run!(conn, |c| users::table
        .filter(lower(users::email).eq(email))
        .filter(users::deleted_at.is_null())
        .select(UserRow::as_select())
        .first(c)
        .optional())
}

/// Whether a live user other than `except` has this (normalised) address.
pub fn email_in_use(conn: &mut Conn<'_>, email: &str, except: Option<&str>) -> QueryResult<bool> {
    let except = except.unwrap_or("");
    db_run!(conn, |c| diesel::select(diesel::dsl::exists(
        users::table
            .filter(lower(users::email).eq(email))
            .filter(users::deleted_at.is_null())
            .filter(users::id.ne(except))
    ))
    .get_result(c))
}

/// Takes the lock that serialises changes which could leave no active support
/// user, then says whether an active support user other than `except` exists
/// (the first one found answers: at a million users there may be 850,000).
/// On PostgreSQL the lock is a transaction-scoped advisory lock; SQLite's
/// write transaction is already exclusive.
pub fn other_active_support_user_exists(conn: &mut Conn<'_>, except: &str) -> QueryResult<bool> {
    if let Conn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7301001)").execute(*c)?;
    }
    db_run!(conn, |c| diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::deleted_at.is_null())
            .filter(users::active.eq(true))
            .filter(users::api_user.eq(false))
            .filter(users::id.ne(except))
    ))
    .get_result(c))
}

/// Stores a new user; a duplicate live address fails with a unique violation.
pub fn insert(conn: &mut Conn<'_>, id: &str, user: &NewUser, now: Timestamp) -> QueryResult<UserRow> {
    insert_with(conn, id, user, now, None)
}

/// As [`insert`], with a last sign-in (development personas).
pub fn insert_with(
    conn: &mut Conn<'_>,
    id: &str,
    user: &NewUser,
    now: Timestamp,
    last_signed_in_at: Option<Timestamp>,
) -> QueryResult<UserRow> {
    let row = insert_row(id, user, now, last_signed_in_at);
    db_run!(conn, |c| diesel::insert_into(users::table).values(&row).returning(UserRow::as_returning()).get_result(c))
}

fn insert_row<'a>(
    id: &'a str,
    user: &'a NewUser,
    now: Timestamp,
    last_signed_in_at: Option<Timestamp>,
) -> InsertUser<'a> {
    let first_name_key = user.first_name.sort_key();
    let last_name_key = user.last_name.sort_key();
    InsertUser {
        id,
        first_name: user.first_name.as_str(),
        last_name: user.last_name.as_str(),
        email: user.email.as_str(),
        api_user: user.api_user,
        active: user.active,
        full_name_key: format!("{first_name_key} {last_name_key}"),
        first_name_key,
        last_name_key,
        last_signed_in_at: last_signed_in_at.map(|t| t.db()),
        version: 1,
        created_at: now.db(),
        updated_at: now.db(),
    }
}

/// Stores many new users at once (seeding). Each item is (id, user).
pub fn insert_many(conn: &mut Conn<'_>, batch: &[(String, NewUser)], now: Timestamp) -> QueryResult<usize> {
    let rows: Vec<InsertUser<'_>> = batch.iter().map(|(id, user)| insert_row(id, user, now, None)).collect();
    db_run!(conn, |c| diesel::insert_into(users::table).values(&rows).execute(c))
}

/// Applies `changes` to `user`, if it is still at `user.version`. Role and
/// activity changes also end every token issued before now (`revoke_tokens`).
pub fn update(
    conn: &mut Conn<'_>,
    user: &UserRow,
    changes: &UserChanges,
    now: Timestamp,
    revoke_tokens: Option<String>,
) -> QueryResult<Option<UserRow>> {
    let mut set = changed(user, changes, now);
    set.tokens_revoked_before = revoke_tokens;
    compare_and_set(conn, user, &set)
}

/// The columns `changes` sets, with the sort keys that follow from them.
fn changed(user: &UserRow, changes: &UserChanges, now: Timestamp) -> UpdateUser {
    let mut set = UpdateUser { version: Some(user.version + 1), updated_at: Some(now.db()), ..Default::default() };
    let first_key = changes.first_name.as_ref().map(|n| n.sort_key());
    let last_key = changes.last_name.as_ref().map(|n| n.sort_key());
    if first_key.is_some() || last_key.is_some() {
        let first = first_key.clone().unwrap_or_else(|| user.first_name_key.clone());
        let last = last_key.clone().unwrap_or_else(|| user.last_name_key.clone());
        set.full_name_key = Some(format!("{first} {last}"));
    }
    set.first_name = changes.first_name.as_ref().map(|n| n.as_str().to_owned());
    set.last_name = changes.last_name.as_ref().map(|n| n.as_str().to_owned());
    set.first_name_key = first_key;
    set.last_name_key = last_key;
    set.email = changes.email.as_ref().map(|e| e.as_str().to_owned());
    set.api_user = changes.api_user;
    set.active = changes.active;
    set
}

/// Records a sign-in: it changes the user, so the version increases.
pub fn record_sign_in(conn: &mut Conn<'_>, user: &UserRow, now: Timestamp) -> QueryResult<Option<UserRow>> {
    record_provider_sign_in(conn, user, None, &UserChanges::default(), now)
}

/// Records a sign-in through the identity provider: links `subject` when
/// given, and applies the details copied from the provider's claims, in one
/// compare-and-set. A copied address that a concurrent change took fails
/// with a unique violation.
pub fn record_provider_sign_in(
    conn: &mut Conn<'_>,
    user: &UserRow,
    subject: Option<&str>,
    copied: &UserChanges,
    now: Timestamp,
) -> QueryResult<Option<UserRow>> {
    let mut set = changed(user, copied, now);
    set.last_signed_in_at = Some(now.db());
    set.dfe_sign_in_subject = subject.map(str::to_owned);
    compare_and_set(conn, user, &set)
}

/// The live user linked to the identity provider's subject `sub`.
pub fn find_by_subject(conn: &mut Conn<'_>, subject: &str) -> QueryResult<Option<UserRow>> {
    db_run!(conn, |c| users::table
        .filter(users::dfe_sign_in_subject.eq(subject))
        .filter(users::deleted_at.is_null())
        .select(UserRow::as_select())
        .first(c)
        .optional())
}

/// Soft-deletes `user`; their address becomes free for a new account.
pub fn soft_delete(
    conn: &mut Conn<'_>,
    user: &UserRow,
    deleted_by: &str,
    now: Timestamp,
    revoke_tokens: String,
) -> QueryResult<Option<UserRow>> {
    let set = UpdateUser {
        deleted_at: Some(now.db()),
        deleted_by: Some(deleted_by.to_owned()),
        tokens_revoked_before: Some(revoke_tokens),
        version: Some(user.version + 1),
        updated_at: Some(now.db()),
        ..Default::default()
    };
    compare_and_set(conn, user, &set)
}

fn compare_and_set(conn: &mut Conn<'_>, user: &UserRow, set: &UpdateUser) -> QueryResult<Option<UserRow>> {
    db_run!(conn, |c| diesel::update(
        users::table
            .filter(users::id.eq(&user.id))
            .filter(users::version.eq(user.version))
            .filter(users::deleted_at.is_null())
    )
    .set(set)
    .returning(UserRow::as_returning())
    .get_result(c)
    .optional())
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
