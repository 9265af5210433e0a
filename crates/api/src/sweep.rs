//! The sweep: every `PRUNE_INTERVAL` each process removes what has ended
//! ([`crate::db::prune`]), a batch at a time until a batch comes back short,
//! so the tables stay the size of what is live. Several processes sweeping
//! the same database only share the work.

use std::time::Duration;

use crate::config::Config;
use crate::db::{prune, Db};
use crate::periodic::{Extra, Periodic};
use crate::time::Timestamp;

/// What the sweep keeps and how often it runs.
#[derive(Debug, Clone, Copy)]
pub struct SweepSettings {
    /// `PRUNE_INTERVAL`.
    pub every: Duration,
    /// Ended sessions are kept this long (to read in an investigation).
    pub ended_sessions_kept: chrono::Duration,
    /// `OUTBOX_RETENTION_DAYS`.
    pub emails_kept: chrono::Duration,
    /// `ACTIVITY_RETENTION_DAYS`, if set.
    pub activity_kept: Option<chrono::Duration>,
}

impl SweepSettings {
    /// The settings `config` gives.
    pub fn of(config: &Config) -> Self {
        Self {
            every: config.prune_interval,
            ended_sessions_kept: chrono::Duration::days(1),
            emails_kept: chrono::Duration::days(config.outbox_retention_days.into()),
            activity_kept: config.activity_retention_days.map(|days| chrono::Duration::days(days.into())),
        }
    }
}

/// A running sweep, stopped when dropped or shut down.
pub struct Sweeper(Periodic);

impl Sweeper {
    /// Starts sweeping on the current runtime; the first sweep runs at once.
    pub fn spawn(db: Db, settings: SweepSettings) -> Self {
        Self(Periodic::spawn(settings.every, Extra::AtStart, move || {
            let db = db.clone();
            async move { sweep(&db, settings, Timestamp::now()).await }
        }))
    }

    /// Stops after the batch in hand.
    pub async fn shutdown(self) {
        self.0.shutdown().await;
    }
}

/// One sweep of every table at `now`.
pub async fn sweep(db: &Db, settings: SweepSettings, now: Timestamp) {
    let ago = |age: chrono::Duration| Timestamp::from(now.utc() - age);
    let minute = now.utc().timestamp().div_euclid(60);
    let ended_before = ago(settings.ended_sessions_kept);
    let emails_before = ago(settings.emails_kept);
    batches(db, "sessions", move |conn| prune::ended_sessions(conn, ended_before)).await;
    batches(db, "oidc_sign_ins", move |conn| prune::expired_sign_ins(conn, now)).await;
    batches(db, "outbox_emails", move |conn| prune::old_emails(conn, emails_before)).await;
    // The limits weigh the minute before this one; anything older is spent.
    batches(db, "rate_limit_buckets", move |conn| prune::old_counters(conn, minute - 1)).await;
    if let Some(kept) = settings.activity_kept {
        let before = ago(kept);
        batches(db, "activity", move |conn| prune::old_activity(conn, before)).await;
    }
}

/// Runs `batch` until it removes fewer than a whole batch, or fails.
async fn batches<F>(db: &Db, table: &'static str, batch: F)
where
    F: Fn(&mut crate::db::Conn<'_>) -> diesel::QueryResult<usize> + Clone + Send + 'static,
{
    let mut removed = 0;
    loop {
        match db.query(batch.clone()).await {
            Ok(n) => {
                removed += n;
                if (n as i64) < prune::BATCH {
                    break;
                }
            }
            Err(error) => {
                tracing::warn!(table, %error, "the sweep could not prune");
                break;
            }
        }
    }
    if removed > 0 {
        tracing::info!(table, removed, "pruned");
    }
}
