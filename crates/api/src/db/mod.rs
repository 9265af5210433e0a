//! The database: one code path over PostgreSQL and SQLite.
//!
//! Queries are written once, inside [`db_run!`], which compiles the same block
//! for each backend; the few statements that differ (row locks, advisory
//! locks, bulk inserts) match on [`Conn`] explicitly. Diesel is synchronous,
//! so all database work runs on Actix's blocking thread pool via [`Db::run`].

pub mod activity;
pub mod api_clients;
pub mod error;
pub mod limit;
pub mod oidc_sign_ins;
pub mod providers;
pub mod prune;
pub mod rate_limits;
pub mod schema;
pub mod sessions;
pub mod usage;
pub mod user_list;
pub mod users;

use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseUrl;

pub use error::Error;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// How long a statement waits for a lock another transaction holds before
/// giving up, so the request answers 503 instead of hanging: SQLite's busy
/// timeout, PostgreSQL's `lock_timeout`.
pub const LOCK_WAIT_MS: u32 = 5_000;

/// Runs the same block against whichever backend `conn` is, with `$c` bound
/// to the concrete connection.
#[macro_export]
macro_rules! db_run {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Pg(inner) => {
                let $c: &mut ::diesel::pg::PgConnection = inner;
                $body
            }
            $crate::db::Conn::Sqlite(inner) => {
                let $c: &mut ::diesel::sqlite::SqliteConnection = inner;
                $body
            }
        }
    };
}

/// A connection to either backend, borrowed for one unit of work.
pub enum Conn<'a> {
    /// PostgreSQL, for production and several API processes.
    Pg(&'a mut PgConnection),
    /// SQLite, the embedded default.
    Sqlite(&'a mut SqliteConnection),
}

impl Conn<'_> {
    /// Runs `work` in a write transaction: committed when it returns `Ok`,
    /// rolled back otherwise. On SQLite the transaction takes the write lock
    /// at `BEGIN` (`IMMEDIATE`), so two writers queue on the busy timeout
    /// instead of failing when one upgrades a read lock. On PostgreSQL it is
    /// `READ COMMITTED` whatever the server's default: the guards take a lock
    /// and then read, and they need that read to see what the lock's last
    /// holder committed (under `REPEATABLE READ` the snapshot would predate it).
    pub fn write<T, E>(&mut self, work: impl FnOnce(&mut Conn<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        match self {
            Conn::Pg(c) => c.build_transaction().read_committed().run(|c| work(&mut Conn::Pg(c))),
            Conn::Sqlite(c) => c.immediate_transaction(|c| work(&mut Conn::Sqlite(c))),
        }
    }

    /// True on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Conn::Pg(_))
    }
}

#[derive(Clone)]
enum Pools {
    Pg(Pool<ConnectionManager<PgConnection>>),
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
}

enum Pooled {
    Pg(PooledConnection<ConnectionManager<PgConnection>>),
    Sqlite(PooledConnection<ConnectionManager<SqliteConnection>>),
}

impl Pooled {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Pg(c) => Conn::Pg(c),
            Pooled::Sqlite(c) => Conn::Sqlite(c),
        }
    }
}

/// Sets the lock wait and the statement timeout on every new PostgreSQL
/// connection: without them a writer queued behind a held lock, or a
/// statement that runs away, holds its pool slot for ever.
#[derive(Debug)]
struct PgSession {
    statement_timeout: Duration,
}

impl PgSession {
    fn settings(&self) -> String {
        format!("SET lock_timeout = {LOCK_WAIT_MS}; SET statement_timeout = {}", self.statement_timeout.as_millis())
    }
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for PgSession {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&self.settings()).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// How much of the SQLite file connections read through a shared memory map
/// rather than each through its own page cache (BENCHMARKS.md).
const SQLITE_MMAP_BYTES: u64 = 1 << 30;

/// Sets WAL, the busy timeout, foreign keys and the memory map on every new
/// SQLite connection.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {LOCK_WAIT_MS}; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = {SQLITE_MMAP_BYTES};"
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Where a request's turn on the blocking pool is: still queued, running,
/// or abandoned because the pool timeout passed before it started.
const QUEUED: u8 = 0;
const RUNNING: u8 = 1;
const ABANDONED: u8 = 2;

/// Pool settings.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    /// Most connections open at once.
    pub max_size: u32,
    /// How long a request waits for a connection before answering 503.
    pub timeout: Duration,
    /// `DB_STATEMENT_TIMEOUT`: PostgreSQL cuts a statement off after this.
    pub statement_timeout: Duration,
}

impl PoolOptions {
    /// The pool `config` asks for.
    pub fn of(config: &crate::config::Config) -> Self {
        Self {
            max_size: config.db_pool_size,
            timeout: config.db_pool_timeout,
            statement_timeout: config.db_statement_timeout,
        }
    }
}

/// The connection pool, shared by every request.
#[derive(Clone)]
pub struct Db {
    pools: Pools,
    timeout: Duration,
    statement_timeout: Duration,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The pool could not be built (for example the server is unreachable).
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
    /// The SQLite file or its folder could not be created.
    #[error("cannot create the SQLite database file or its folder: {0}")]
    Folder(String),
}

impl Db {
    /// Opens a pool on `url`. Connections are made lazily, so a server that
    /// starts before its database is up answers 503 until the database is
    /// reachable, rather than failing to start.
    ///
    /// Connections are not tested with a `SELECT 1` at each checkout: that
    /// was a third of the round trips of a typical request (BENCHMARKS.md).
    /// A connection the server dropped fails its next query, which is
    /// [`Error::Unavailable`] (503), and r2d2 discards it
    /// because Diesel reports it broken; the next checkout opens a new one.
    pub fn open(url: &DatabaseUrl, options: PoolOptions) -> Result<Self, OpenError> {
        let pools = match url {
            DatabaseUrl::Postgres(url) => Pools::Pg(
                Pool::builder()
                    .max_size(options.max_size)
                    .min_idle(Some(0))
                    .test_on_check_out(false)
                    .connection_timeout(options.timeout)
                    .connection_customizer(Box::new(PgSession { statement_timeout: options.statement_timeout }))
                    .build_unchecked(ConnectionManager::new(url.clone())),
            ),
            DatabaseUrl::Sqlite(path) => {
                create_parent(path)?;
                create_private(path)?;
                Pools::Sqlite(
                    Pool::builder()
                        .max_size(options.max_size)
                        .min_idle(Some(0))
                        .test_on_check_out(false)
                        .connection_timeout(options.timeout)
                        .connection_customizer(Box::new(SqlitePragmas))
                        .build_unchecked(ConnectionManager::new(path.to_string_lossy())),
                )
            }
        };
        Ok(Self { pools, timeout: options.timeout, statement_timeout: options.statement_timeout })
    }

    /// Applies every pending migration.
    pub fn migrate(&self) -> Result<(), OpenError> {
        let mut pooled = self.get().map_err(|e| OpenError::Connect(e.to_string()))?;
        let applied = match pooled.conn() {
            // A migration may rewrite or index every row: it is not held to
            // a request's statement timeout (set again for the pool after).
            Conn::Pg(c) => c
                .batch_execute("SET statement_timeout = 0")
                .map_err(Into::into)
                .and_then(|()| c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()))
                .and_then(|applied| {
                    let again = PgSession { statement_timeout: self.statement_timeout }.settings();
                    c.batch_execute(&again).map(|()| applied).map_err(Into::into)
                }),
            Conn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        }
        .map_err(|e| OpenError::Migrate(e.to_string()))?;
        tracing::info!(applied, "database migrated");
        Ok(())
    }

    /// Reverts the newest applied migration and answers its version: for
    /// tests that apply a migration to a database already holding data.
    pub fn revert_newest_migration(&self) -> Result<String, OpenError> {
        let mut pooled = self.get().map_err(|e| OpenError::Connect(e.to_string()))?;
        match pooled.conn() {
            Conn::Pg(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
            Conn::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
        }
        .map(|version| version.to_string())
        .map_err(|e| OpenError::Migrate(e.to_string()))
    }

    fn get(&self) -> Result<Pooled, PoolError> {
        self.get_within(self.timeout)
    }

    fn get_within(&self, wait: Duration) -> Result<Pooled, PoolError> {
        Ok(match &self.pools {
            Pools::Pg(pool) => Pooled::Pg(pool.get_timeout(wait)?),
            Pools::Sqlite(pool) => Pooled::Sqlite(pool.get_timeout(wait)?),
        })
    }

    /// Runs `work` with a connection, on the blocking pool. No connection in
    /// time is [`Error::Unavailable`] (503 to a caller of the API), never a
    /// hang. `work` may fail with any error a database error converts into
    /// (the API's handlers use `Problem`).
    ///
    /// The server gives each worker only as many blocking threads as it has
    /// connections ([`Db::threads_per_worker`]), so a request waits for a
    /// thread in a queue rather than as one more parked thread: at 32
    /// connections on 2 cores, switching between parked threads was half the
    /// server's CPU (BENCHMARKS.md). The time in that queue counts against
    /// the pool timeout: a request still queued when it runs out answers 503
    /// and is dropped from the queue unrun.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut Conn<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<Error> + Send + 'static,
    {
        let db = self.clone();
        let queued = Instant::now();
        let turn = Arc::new(AtomicU8::new(QUEUED));
        let task = actix_web::web::block({
            let turn = Arc::clone(&turn);
            move || {
                let left = db.timeout.saturating_sub(queued.elapsed());
                if left.is_zero() || turn.compare_exchange(QUEUED, RUNNING, SeqCst, SeqCst).is_err() {
                    return Err(Error::Unavailable("no database thread within the pool timeout".into()).into());
                }
                db.run_within(left, work)
            }
        });
        let mut task = std::pin::pin!(task);
        let finished = match actix_web::rt::time::timeout(self.timeout, &mut task).await {
            Ok(finished) => finished,
            Err(_) if turn.compare_exchange(QUEUED, ABANDONED, SeqCst, SeqCst).is_ok() => {
                tracing::warn!("no database thread within the pool timeout");
                return Err(Error::Unavailable("no database thread within the pool timeout".into()).into());
            }
            // It started in time: its own limits (the lock wait) bound it.
            Err(_) => task.await,
        };
        finished.map_err(|_| Error::Other("the database task panicked".into()))?
    }

    /// As [`Db::run`], for work made only of queries.
    pub async fn query<T, F>(&self, work: F) -> Result<T, Error>
    where
        F: FnOnce(&mut Conn<'_>) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| work(conn).map_err(Error::from)).await
    }

    /// As [`Db::run`], on the calling thread (command-line tasks).
    pub fn run_blocking<T, E>(&self, work: impl FnOnce(&mut Conn<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        self.run_within(self.timeout, work)
    }

    /// As [`Db::query`], on the calling thread.
    pub fn query_blocking<T>(&self, work: impl FnOnce(&mut Conn<'_>) -> diesel::QueryResult<T>) -> Result<T, Error> {
        self.run_blocking(|conn| work(conn).map_err(Error::from))
    }

    fn run_within<T, E>(&self, wait: Duration, work: impl FnOnce(&mut Conn<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        let mut pooled = self.get_within(wait).map_err(|error| {
            tracing::warn!(%error, "no database connection");
            Error::from(error)
        })?;
        work(&mut pooled.conn())
    }

    /// How many blocking threads each of `workers` server threads needs so
    /// that every pooled connection can be busy at once.
    pub fn threads_per_worker(&self, workers: usize) -> usize {
        let connections = match &self.pools {
            Pools::Pg(pool) => pool.max_size(),
            Pools::Sqlite(pool) => pool.max_size(),
        } as usize;
        connections.div_ceil(workers.max(1)).max(1)
    }

    /// Open and idle connections in the pool.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = match &self.pools {
            Pools::Pg(pool) => pool.state(),
            Pools::Sqlite(pool) => pool.state(),
        };
        (state.connections, state.idle_connections)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), Error> {
        self.query(|conn| db_run!(conn, |c| c.batch_execute("SELECT 1"))).await
    }
}

type PoolError = diesel::r2d2::PoolError;

/// Creates the SQLite file readable and writable by this user only, before
/// SQLite does (an empty file is an empty database). SQLite gives its `-wal`
/// and `-shm` files the database file's permissions. A file that exists is
/// left as it is, so a second process starting at once changes nothing.
fn create_private(path: &Path) -> Result<(), OpenError> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(OpenError::Folder(format!("{}: {e}", path.display()))),
    }
}

fn create_parent(path: &Path) -> Result<(), OpenError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|e| OpenError::Folder(format!("{}: {e}", parent.display())))
        }
        _ => Ok(()),
    }
}
