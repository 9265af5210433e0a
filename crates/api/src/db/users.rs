//! Reading and writing users: the stored row, lookups, and every write.
//! Every function takes a [`Conn`] and runs the same SQL on both backends
//! unless it says otherwise. The list and its search are
//! [`super::user_list`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::Text;

use users_domain::{NewUser, SupportRole, UserChanges, UserState};

use super::schema::users;
use super::Conn;
use crate::db_run;
use crate::time::{from_db, Timestamp};

diesel::define_sql_function! {
    /// SQL's `lower`. Addresses are stored in lower case (a `CHECK` says so),
    /// and the one index of addresses, the unique one, is on `lower(email)`:
    /// lookups and the search's address range name it so that they use it.
    fn lower(text: Text) -> Text;
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
    /// Carried in every access token as `gen`: a token works only while it
    /// is the user's current generation.
    pub token_generation: i64,
    /// `viewer`, `editor` or `administrator` for a support user; `None` for an API user.
    pub support_role: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UserRow {
    /// "First Last", as the activity and emails name someone.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The support role as stored (`None` for an API user).
    pub fn role(&self) -> Option<SupportRole> {
        self.support_role.as_deref().and_then(SupportRole::parse)
    }

    /// The actor this user is when they act.
    pub fn actor(&self) -> users_domain::Actor<'_> {
        match self.role() {
            Some(role) if !self.api_user => users_domain::Actor::Support { id: &self.id, role },
            _ => users_domain::Actor::Api,
        }
    }

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
            support_role: self.role(),
        }
    }
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
    support_role: Option<&'static str>,
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
    token_generation: Option<i64>,
    support_role: Option<Option<&'static str>>,
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

/// Takes the lock that serialises changes which could leave no active
/// administrator, then says whether an active administrator other than each
/// of `except` exists (the first one found answers). On PostgreSQL the lock
/// is a transaction-scoped advisory lock; SQLite's write transaction is
/// already exclusive.
pub fn other_active_administrator_exists(conn: &mut Conn<'_>, except: &[&str]) -> QueryResult<bool> {
    if let Conn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7301001)").execute(*c)?;
    }
    db_run!(conn, |c| diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::deleted_at.is_null())
            .filter(users::support_role.eq(SupportRole::Administrator.as_str()))
            .filter(users::active.eq(true))
            .filter(users::api_user.eq(false))
            .filter(users::id.ne_all(except))
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
        support_role: user.support_role.map(SupportRole::as_str),
    }
}

/// Stores many new users at once (seeding). Each item is (id, user).
pub fn insert_many(conn: &mut Conn<'_>, batch: &[(String, NewUser)], now: Timestamp) -> QueryResult<usize> {
    let rows: Vec<InsertUser<'_>> = batch.iter().map(|(id, user)| insert_row(id, user, now, None)).collect();
    db_run!(conn, |c| diesel::insert_into(users::table).values(&rows).execute(c))
}

/// Applies `changes` to `user`, if it is still at `user.version`. With
/// `end_tokens` (a new role, or losing access) every access token issued so
/// far stops working: the token generation moves on.
pub fn update(
    conn: &mut Conn<'_>,
    user: &UserRow,
    changes: &UserChanges,
    now: Timestamp,
    end_tokens: bool,
) -> QueryResult<Option<UserRow>> {
    let mut set = changed(user, changes, now);
    set.token_generation = end_tokens.then_some(user.token_generation + 1);
    compare_and_set(conn, user, &set)
}

/// Ends every access token of `user` issued so far ("sign out everywhere"),
/// whatever its version.
pub fn end_tokens(conn: &mut Conn<'_>, user_id: &str, now: Timestamp) -> QueryResult<bool> {
    let updated = db_run!(conn, |c| diesel::update(
        users::table.filter(users::id.eq(user_id)).filter(users::deleted_at.is_null())
    )
    .set((users::token_generation.eq(users::token_generation + 1_i64), users::updated_at.eq(now.db())))
    .execute(c))?;
    Ok(updated == 1)
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
    set.support_role = changes.support_role.map(|role| role.map(SupportRole::as_str));
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
) -> QueryResult<Option<UserRow>> {
    let set = UpdateUser {
        deleted_at: Some(now.db()),
        deleted_by: Some(deleted_by.to_owned()),
        token_generation: Some(user.token_generation + 1),
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
