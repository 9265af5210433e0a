//! Reading and writing API clients, and finding the client a token belongs
//! to. Every function takes a [`Conn`] and runs the same SQL on both backends
//! unless it says otherwise.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Bool, Text};

use super::schema::{api_clients, users};
use super::Conn;
use crate::db_run;
use crate::time::Timestamp;
use users_domain::client_access::{AllowedIps, Scopes};

/// A stored client (never its token: only hashes are stored, and those are
/// not read back except to find a presented token).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: String,
    pub owner_id: String,
    pub name: String,
    pub name_key: String,
    pub expires_on: String,
    pub revoked_at: Option<NaiveDateTime>,
    pub rotated_at: Option<NaiveDateTime>,
    pub previous_token_valid_until: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub scopes: String,
    pub allowed_ips: String,
}

impl ApiClientRow {
    /// The stored expiry date (the column's CHECK keeps it `YYYY-MM-DD`).
    pub fn expires_on_date(&self) -> NaiveDate {
        parse_date(&self.expires_on)
    }

    /// What its token may do.
    pub fn scope_set(&self) -> Scopes {
        Scopes::from_text(&self.scopes)
    }

    /// Where its token may be used from.
    pub fn allowlist(&self) -> AllowedIps {
        AllowedIps::from_text(&self.allowed_ips)
    }
}

/// A stored `YYYY-MM-DD` date; the earliest date for anything else, which
/// makes the client expired rather than letting it work.
pub fn parse_date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// A client with its owner's name, as the API shows it.
#[derive(Debug, Clone)]
pub struct ClientWithOwner {
    pub client: ApiClientRow,
    pub owner_first_name: String,
    pub owner_last_name: String,
}

/// Which clients a caller may see: support users all, API users their own.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    OwnedBy(String),
}

/// A place in the list's order: (name key, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub name_key: String,
    pub id: String,
}

/// Where a page starts.
#[derive(Debug, Clone)]
pub enum Start {
    Offset(u64),
    After(Position),
}

/// A client found by a presented token's hash, with what decides whether the
/// token is accepted.
#[derive(Debug, Clone)]
pub struct TokenHolder {
    pub client_id: String,
    pub owner_id: String,
    pub expires_on: String,
    pub revoked: bool,
    pub last_used_at: Option<NaiveDateTime>,
    /// The stored current hash (compared again, in constant time).
    pub token_hash: String,
    /// The stored previous hash and the end of its grace period.
    pub previous_token_hash: Option<String>,
    pub previous_token_valid_until: Option<NaiveDateTime>,
    pub owner_active: bool,
    /// Its scopes and allowlist, as stored.
    pub scopes: String,
    pub allowed_ips: String,
}

/// A new client's row.
#[derive(Debug, Insertable)]
#[diesel(table_name = api_clients)]
pub struct NewClientRow<'a> {
    pub id: &'a str,
    pub owner_id: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub token_hash: &'a str,
    pub expires_on: &'a str,
    pub scopes: &'a str,
    pub allowed_ips: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a change sets; `None` leaves a column as it is.
#[derive(AsChangeset, Default)]
#[diesel(table_name = api_clients)]
pub struct UpdateClient {
    pub name: Option<String>,
    pub name_key: Option<String>,
    pub expires_on: Option<String>,
    pub scopes: Option<String>,
    pub allowed_ips: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// The live clients in `scope`, as a boxed query whose backend is inferred
/// from where it runs.
macro_rules! scoped {
    ($scope:expr) => {{
        let mut query = api_clients::table.into_boxed().filter(api_clients::deleted_at.is_null());
        if let Scope::OwnedBy(owner) = $scope {
            query = query.filter(api_clients::owner_id.eq(owner.clone()));
        }
        query
    }};
}

/// True when `error` is the per-owner live-name unique index refusing a duplicate.
pub fn is_duplicate_name(error: &DieselError) -> bool {
    matches!(error, DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
        if info.constraint_name().is_none_or(|name| name.contains("name")) && !info.message().contains("token_hash"))
}

/// The live client `id` within `scope`, with its owner's name.
pub fn find(conn: &mut Conn<'_>, id: &str, scope: &Scope) -> QueryResult<Option<ClientWithOwner>> {
    let row: Option<ApiClientRow> = db_run!(conn, |c| scoped!(scope)
        .filter(api_clients::id.eq(id))
        .select(ApiClientRow::as_select())
        .first(c)
        .optional())?;
    row.map(|client| with_owner(conn, client)).transpose()
}

/// As [`find`] without the owner, and on PostgreSQL locking the row until the
/// transaction ends (SQLite's write transaction holds the database lock).
pub fn find_for_update(conn: &mut Conn<'_>, id: &str, scope: &Scope) -> QueryResult<Option<ApiClientRow>> {
    let live = api_clients::table.filter(api_clients::id.eq(id)).filter(api_clients::deleted_at.is_null());
    let row = match conn {
        Conn::Pg(c) => live.select(ApiClientRow::as_select()).for_update().first(*c).optional()?,
        Conn::Sqlite(c) => live.select(ApiClientRow::as_select()).first(*c).optional()?,
    };
    Ok(row.filter(|row| match scope {
        Scope::All => true,
        Scope::OwnedBy(owner) => row.owner_id == *owner,
    }))
}

/// Adds the owner's name to a client.
pub fn with_owner(conn: &mut Conn<'_>, client: ApiClientRow) -> QueryResult<ClientWithOwner> {
    let (owner_first_name, owner_last_name): (String, String) = db_run!(conn, |c| users::table
        .filter(users::id.eq(&client.owner_id))
        .select((users::first_name, users::last_name))
        .first(c))?;
    Ok(ClientWithOwner { client, owner_first_name, owner_last_name })
}

/// Whether `owner_id` has a live client other than `except` with this name key.
pub fn name_in_use(conn: &mut Conn<'_>, owner_id: &str, name_key: &str, except: Option<&str>) -> QueryResult<bool> {
    let except = except.unwrap_or("");
    db_run!(conn, |c| diesel::select(diesel::dsl::exists(
        api_clients::table
            .filter(api_clients::owner_id.eq(owner_id))
            .filter(api_clients::name_key.eq(name_key))
            .filter(api_clients::deleted_at.is_null())
            .filter(api_clients::id.ne(except))
    ))
    .get_result(c))
}

/// Stores a new client; a duplicate live name for the owner fails with a
/// unique violation.
pub fn insert(conn: &mut Conn<'_>, row: &NewClientRow<'_>) -> QueryResult<ApiClientRow> {
    db_run!(conn, |c| diesel::insert_into(api_clients::table)
        .values(row)
        .returning(ApiClientRow::as_returning())
        .get_result(c))
}

/// Changes a client's name, expiry date, scopes or allowlist.
pub fn update(conn: &mut Conn<'_>, id: &str, set: UpdateClient, now: Timestamp) -> QueryResult<ApiClientRow> {
    let set = UpdateClient { updated_at: Some(now.db()), ..set };
    db_run!(conn, |c| diesel::update(api_clients::table.filter(api_clients::id.eq(id)))
        .set(&set)
        .returning(ApiClientRow::as_returning())
        .get_result(c))
}

/// Revokes a client at `now`, ending its current and previous tokens.
pub fn revoke(conn: &mut Conn<'_>, id: &str, now: Timestamp) -> QueryResult<ApiClientRow> {
    db_run!(conn, |c| diesel::update(api_clients::table.filter(api_clients::id.eq(id)))
        .set((
            api_clients::revoked_at.eq(now.db()),
            api_clients::previous_token_hash.eq(None::<String>),
            api_clients::previous_token_valid_until.eq(None::<NaiveDateTime>),
            api_clients::updated_at.eq(now.db()),
        ))
        .returning(ApiClientRow::as_returning())
        .get_result(c))
}

/// Gives a client a new token: the current hash becomes the previous one,
/// valid until `grace_until`; any older previous token ends now.
pub fn rotate(
    conn: &mut Conn<'_>,
    id: &str,
    new_hash: &str,
    grace_until: Timestamp,
    now: Timestamp,
) -> QueryResult<ApiClientRow> {
    db_run!(conn, |c| diesel::update(api_clients::table.filter(api_clients::id.eq(id)))
        .set((
            api_clients::previous_token_hash.eq(api_clients::token_hash.nullable()),
            api_clients::previous_token_valid_until.eq(grace_until.db()),
            api_clients::token_hash.eq(new_hash),
            api_clients::rotated_at.eq(now.db()),
            api_clients::updated_at.eq(now.db()),
        ))
        .returning(ApiClientRow::as_returning())
        .get_result(c))
}

/// Deletes a client (kept, marked deleted; its name is free again and its
/// tokens stop at once).
pub fn soft_delete(conn: &mut Conn<'_>, id: &str, now: Timestamp) -> QueryResult<usize> {
    db_run!(conn, |c| diesel::update(
        api_clients::table.filter(api_clients::id.eq(id)).filter(api_clients::deleted_at.is_null())
    )
    .set((api_clients::deleted_at.eq(now.db()), api_clients::updated_at.eq(now.db())))
    .execute(c))
}

/// Deletes every live client of `owner_id` (their owner is being deleted).
pub fn delete_all_owned_by(conn: &mut Conn<'_>, owner_id: &str, now: Timestamp) -> QueryResult<usize> {
    db_run!(conn, |c| diesel::update(
        api_clients::table.filter(api_clients::owner_id.eq(owner_id)).filter(api_clients::deleted_at.is_null())
    )
    .set((api_clients::deleted_at.eq(now.db()), api_clients::updated_at.eq(now.db())))
    .execute(c))
}

/// One page of live clients in `scope`, by name key then id, and whether
/// another follows.
pub fn page(
    conn: &mut Conn<'_>,
    scope: &Scope,
    start: &Start,
    per_page: u64,
) -> QueryResult<(Vec<ClientWithOwner>, bool)> {
    let limit = i64::try_from(per_page + 1).unwrap_or(i64::MAX);
    let rows: Vec<(ApiClientRow, String, String)> = db_run!(conn, |c| {
        let mut query = scoped!(scope).inner_join(users::table).select((
            ApiClientRow::as_select(),
            users::first_name,
            users::last_name,
        ));
        match start {
            Start::Offset(offset) => query = query.offset(i64::try_from(*offset).unwrap_or(i64::MAX)),
            Start::After(p) => {
                query = query.filter(
                    sql::<Bool>("(api_clients.name_key, api_clients.id) > (")
                        .bind::<Text, _>(p.name_key.clone())
                        .sql(", ")
                        .bind::<Text, _>(p.id.clone())
                        .sql(")"),
                )
            }
        }
        query.order((api_clients::name_key.asc(), api_clients::id.asc())).limit(limit).load(c)?
    });
    let more = rows.len() as u64 > per_page;
    let items = rows
        .into_iter()
        .take(per_page as usize)
        .map(|(client, owner_first_name, owner_last_name)| ClientWithOwner {
            client,
            owner_first_name,
            owner_last_name,
        })
        .collect();
    Ok((items, more))
}

/// How many live clients are in `scope`.
pub fn count(conn: &mut Conn<'_>, scope: &Scope) -> QueryResult<u64> {
    let total: i64 = db_run!(conn, |c| scoped!(scope).select(count_star()).get_result(c))?;
    Ok(total.unsigned_abs())
}

/// The live client whose current or previous token has this hash, with its
/// owner's standing. One indexed look-up: the hash is keyed, so where it
/// lands in the index tells a guesser nothing about real tokens.
pub fn find_by_token_hash(conn: &mut Conn<'_>, hash: &str) -> QueryResult<Option<TokenHolder>> {
    type Found = (
        String,
        String,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        String,
        Option<String>,
        Option<NaiveDateTime>,
        bool,
        Option<NaiveDateTime>,
        (String, String, String),
    );
    let found: Option<Found> = db_run!(conn, |c| api_clients::table
        .inner_join(users::table)
        .filter(api_clients::token_hash.eq(hash).or(api_clients::previous_token_hash.eq(hash)))
        .filter(api_clients::deleted_at.is_null())
        .select((
            api_clients::id,
            api_clients::expires_on,
            api_clients::revoked_at,
            api_clients::last_used_at,
            api_clients::token_hash,
            api_clients::previous_token_hash,
            api_clients::previous_token_valid_until,
            users::active,
            users::deleted_at,
            (api_clients::scopes, api_clients::allowed_ips, api_clients::owner_id),
        ))
        .first(c)
        .optional())?;
    Ok(found.map(
        |(
            client_id,
            expires_on,
            revoked_at,
            last_used_at,
            token_hash,
            previous_token_hash,
            valid_until,
            active,
            deleted,
            (scopes, allowed_ips, owner_id),
        )| {
            TokenHolder {
                client_id,
                owner_id,
                expires_on,
                revoked: revoked_at.is_some(),
                last_used_at,
                token_hash,
                previous_token_hash,
                previous_token_valid_until: valid_until,
                owner_active: active && deleted.is_none(),
                scopes,
                allowed_ips,
            }
        },
    ))
}

/// Records a use of the client, unless one was recorded since `not_since`:
/// the condition makes concurrent processes write at most once a minute.
pub fn record_use(conn: &mut Conn<'_>, id: &str, now: Timestamp, not_since: Timestamp) -> QueryResult<usize> {
    db_run!(conn, |c| diesel::update(
        api_clients::table
            .filter(api_clients::id.eq(id))
            .filter(api_clients::last_used_at.is_null().or(api_clients::last_used_at.lt(not_since.db())))
    )
    .set(api_clients::last_used_at.eq(now.db()))
    .execute(c))
}
