//! The database layer's own error: what went wrong, in the terms a caller can
//! act on. The HTTP layer turns it into a problem in one place
//! (`impl From<db::Error> for Problem`); the email worker, the seed and the
//! command line read it as it is.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Why a unit of database work did not complete.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No connection in time, or the connection was lost: try again later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Another transaction held a lock for longer than the lock wait, or a
    /// statement ran past its time limit.
    #[error("the database is busy: {0}")]
    LockTimeout(String),
    /// A constraint refused the write, or a concurrent transaction did.
    #[error("the write conflicts with another: {0}")]
    Conflict(String),
    /// A row the work needed is not there.
    #[error("a row was not found")]
    NotFound,
    /// Anything else: a fault of ours.
    #[error("database error: {0}")]
    Other(String),
}

impl From<DieselError> for Error {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => Self::Unavailable(error.to_string()),
            DieselError::DatabaseError(_, info) if is_busy(info.message()) => Self::LockTimeout(error.to_string()),
            DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation
                | DatabaseErrorKind::ForeignKeyViolation
                | DatabaseErrorKind::SerializationFailure,
                _,
            ) => Self::Conflict(error.to_string()),
            _ => Self::Other(error.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for Error {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

/// SQLite's busy timeout, PostgreSQL's `lock_timeout` or `statement_timeout`:
/// the statement waited or ran longer than the service allows.
fn is_busy(message: &str) -> bool {
    message.contains("database is locked")
        || message.contains("database is busy")
        || message.contains("canceling statement due to lock timeout")
        || message.contains("canceling statement due to statement timeout")
}

/// The result of a unit of database work.
pub type Result<T, E = Error> = std::result::Result<T, E>;
