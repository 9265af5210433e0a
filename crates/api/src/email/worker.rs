//! Delivers the outbox: claims due emails, sends them, records the outcome.
//! Several API processes may run a worker each against one PostgreSQL
//! database; a row is claimed by one worker at a time.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use rand::Rng;
use tokio::sync::{watch, Notify};

use super::mailer::Mailer;
use super::outbox;
use crate::db::Db;
use crate::metrics::EmailCounts;
use crate::time::Timestamp;

/// How the worker behaves.
#[derive(Clone)]
pub struct WorkerSettings {
    /// Where email goes.
    pub mailer: Mailer,
    /// `MAIL_FROM`.
    pub from: Mailbox,
    /// `EMAIL_MAX_ATTEMPTS`: after this many failed tries an email is `failed`.
    pub max_attempts: i32,
    /// How often to look for due email when nothing wakes the worker.
    pub poll: Duration,
    /// First retry delay; doubles each try.
    pub backoff_base: Duration,
    /// Longest retry delay.
    pub backoff_cap: Duration,
    /// How often to probe an SMTP server that has deferred email waiting.
    pub probe_every: Duration,
    /// `EMAIL_CLAIM_LEASE`: how long a claim lasts unless renewed.
    pub claim_lease: Duration,
    /// Where the worker counts what it did, for `/metrics`.
    pub counts: Arc<EmailCounts>,
}

/// The worker's settings from the configuration; a bad `SMTP_URL` or an
/// unusable `MAIL_DIR` is an error naming the variable.
pub fn settings(config: &crate::config::Config) -> Result<WorkerSettings, String> {
    let mailer = match &config.smtp_url {
        Some(url) => Mailer::smtp(url).map_err(|e| format!("SMTP_URL: {e}"))?,
        None => Mailer::files(config.mail_dir.clone()).map_err(|e| format!("MAIL_DIR: {e}"))?,
    };
    Ok(WorkerSettings {
        mailer,
        from: config.mail_from.clone(),
        max_attempts: i32::try_from(config.email_max_attempts).unwrap_or(i32::MAX),
        poll: config.email_poll,
        backoff_base: config.email_retry_base,
        backoff_cap: std::time::Duration::from_secs(300),
        probe_every: std::time::Duration::from_secs(20),
        claim_lease: config.email_claim_lease,
        counts: Arc::default(),
    })
}

/// Exponential backoff from `base` (1 s, 2 s, 4 s, …) plus up to a quarter
/// more at random, so retries from many rows spread out instead of arriving
/// together; never more than `cap`.
pub fn backoff(attempt: i32, base: Duration, cap: Duration) -> Duration {
    let exponent = attempt.clamp(1, 30) as u32 - 1;
    let delay = base.saturating_mul(2u32.saturating_pow(exponent));
    (delay + (delay / 4).mul_f64(rand::rng().random::<f64>())).min(cap)
}

/// A running worker.
pub struct Worker {
    stop: watch::Sender<bool>,
    wake: Arc<Notify>,
    handle: tokio::task::JoinHandle<()>,
}

/// Wakes the worker when a change has queued email (so it need not wait for
/// the next poll).
#[derive(Clone, Default)]
pub struct Wake(pub Arc<Notify>);

impl Wake {
    /// Something was queued.
    pub fn notify(&self) {
        self.0.notify_one();
    }
}

impl Worker {
    /// Starts delivering on the current runtime.
    pub fn spawn(db: Db, settings: WorkerSettings, wake: Wake) -> Self {
        let (stop, stopped) = watch::channel(false);
        let notify = wake.0.clone();
        let handle = tokio::spawn(run(db, settings, notify.clone(), stopped));
        Self { stop, wake: notify, handle }
    }

    /// Finishes the send in hand, gives back anything claimed but unsent, and
    /// stops.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.wake.notify_one();
        let _ = self.handle.await;
    }
}

async fn run(db: Db, settings: WorkerSettings, wake: Arc<Notify>, mut stopped: watch::Receiver<bool>) {
    let name = format!("worker-{}", uuid::Uuid::now_v7());
    let mut last_probe = std::time::Instant::now();
    while !*stopped.borrow() {
        let delivered = deliver_due(&db, &settings, &name, &stopped).await;
        if *stopped.borrow() {
            break;
        }
        if delivered > 0 {
            continue;
        }
        if last_probe.elapsed() >= settings.probe_every {
            last_probe = std::time::Instant::now();
            probe(&db, &settings).await;
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(settings.poll) => {}
            changed = stopped.changed() => {
                if changed.is_err() {
                    break; // the owner is gone
                }
            }
        }
    }
    tracing::info!(worker = %name, "email worker stopped");
}

/// Sends every due email it can claim; returns how many it tried.
async fn deliver_due(db: &Db, settings: &WorkerSettings, name: &str, stopped: &watch::Receiver<bool>) -> usize {
    let now = Timestamp::now();
    let lease = lease_from(now, settings.claim_lease);
    let worker = name.to_owned();
    let claimed = match db.query(move |conn| outbox::claim(conn, &worker, now, lease, 20)).await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::warn!(%error, "email worker cannot read the outbox");
            return 0;
        }
    };
    let count = claimed.len();
    let mut pending: Vec<String> = claimed.iter().map(|e| e.id.clone()).collect();
    // A batch can take longer to send than one lease (20 emails, up to 20 s
    // each): without renewal its claims lapse and another worker sends the
    // same rows again.
    let _heartbeat = Heartbeat::start(db.clone(), name.to_owned(), pending.clone(), settings.claim_lease);
    for email in claimed {
        if *stopped.borrow() {
            break;
        }
        pending.retain(|id| *id != email.id);
        // The heartbeat can fall behind (a busy database, a paused process)
        // and the lease lapse: send only what this worker still holds, and
        // hold it for a whole lease from now. One statement checks and
        // renews, so no other worker can claim the row in between.
        let (id, worker, until) =
            (email.id.clone(), name.to_owned(), lease_from(Timestamp::now(), settings.claim_lease));
        match db.query(move |conn| outbox::renew(conn, &[id], &worker, until)).await {
            Ok(1) => {}
            Ok(_) => {
                tracing::info!(email_id = %email.id, kind = %email.kind, "email skipped: another worker claimed it");
                continue;
            }
            Err(error) => {
                // Unsent and still claimed: it is tried again once the lease lapses.
                tracing::warn!(email_id = %email.id, %error, "email skipped: its claim cannot be renewed");
                continue;
            }
        }
        let outcome = settings.mailer.send(&settings.from, &email).await;
        let now = Timestamp::now();
        let (id, worker, attempts) = (email.id.clone(), name.to_owned(), email.attempts + 1);
        let row = email.clone();
        let recorded = match outcome {
            Ok(()) => {
                tracing::info!(email_id = %id, kind = %email.kind, attempts, "email sent");
                settings.counts.sent.fetch_add(1, Ordering::Relaxed);
                db.query(move |conn| conn.write(|tx| outbox::mark_sent(tx, &row, &worker, now))).await
            }
            Err(error) => {
                let give_up = error.permanent || attempts >= settings.max_attempts;
                let counter = if give_up { &settings.counts.failed } else { &settings.counts.deferred };
                counter.fetch_add(1, Ordering::Relaxed);
                let retry_at = (!give_up).then(|| {
                    Timestamp::from(now.utc() + backoff(attempts, settings.backoff_base, settings.backoff_cap))
                });
                tracing::warn!(email_id = %id, kind = %email.kind, attempts, give_up, reason = %error.reason, "email not sent");
                let reason = error.reason;
                db.query(move |conn| {
                    conn.write(|tx| outbox::mark_attempt_failed(tx, &row, &worker, &reason, retry_at, now))
                })
                .await
            }
        };
        match recorded {
            Ok(true) => {}
            // Only the claim's holder records an outcome; another worker now
            // holds this one and may send the email again.
            Ok(false) => {
                tracing::warn!(email_id = %email.id, "email outcome not recorded: its claim was lost during the send")
            }
            Err(error) => tracing::error!(email_id = %email.id, %error, "email outcome not recorded"),
        }
    }
    if !pending.is_empty() {
        let worker = name.to_owned();
        let _ = db.query(move |conn| outbox::release(conn, &pending, &worker)).await;
    }
    count
}

/// Renews a batch's claims every third of the lease until dropped, so a
/// batch that takes longer to send than one lease stays its worker's.
struct Heartbeat(tokio::task::JoinHandle<()>);

impl Heartbeat {
    fn start(db: Db, worker: String, ids: Vec<String>, lease: Duration) -> Self {
        // `interval` panics on a zero period; no configuration gives one, but
        // a hand-built `WorkerSettings` could.
        let every = (lease / 3).max(Duration::from_millis(10));
        Self(tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            // After a stall, one renewal is enough: a burst would only repeat it.
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let (ids, worker, until) = (ids.clone(), worker.clone(), lease_from(Timestamp::now(), lease));
                if let Err(error) = db.query(move |conn| outbox::renew(conn, &ids, &worker, until)).await {
                    tracing::warn!(%error, "email worker cannot renew its claims");
                }
            }
        }))
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        // A renewal already running finishes, harmlessly: it touches only
        // rows this worker still holds (marked and released ones it does not).
        self.0.abort();
    }
}

/// When a claim taken or renewed at `now` ends. The lease counts for at most
/// a day (the configuration allows an hour), so no setting overflows the date.
fn lease_from(now: Timestamp, lease: Duration) -> Timestamp {
    let day = chrono::Duration::days(1);
    Timestamp::from(now.utc() + chrono::Duration::from_std(lease).map_or(day, |lease| lease.min(day)))
}

/// When email waits for a retry and the SMTP server answers again, brings it
/// all forward: a recovered server gets its backlog within one probe period
/// rather than after each row's backoff.
async fn probe(db: &Db, settings: &WorkerSettings) {
    let now = Timestamp::now();
    let deferred = db.query(move |conn| outbox::has_deferred(conn, now)).await.unwrap_or(false);
    if deferred && settings.mailer.is_reachable().await {
        let now = Timestamp::now();
        if let Ok(n) = db.query(move |conn| outbox::retry_deferred_now(conn, now)).await {
            tracing::info!(emails = n, "SMTP server answers again: retrying deferred email now");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{backoff, settings};
    use crate::config::{Config, ConfigError};
    use std::time::Duration;

    fn config(lease: Option<&str>) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| match name {
            "JWT_SECRET" => Some("0123456789abcdef0123456789abcdef".into()),
            "SMTP_URL" => Some("smtp://127.0.0.1:2525".into()),
            "EMAIL_CLAIM_LEASE" => lease.map(str::to_owned),
            _ => None,
        })
    }

    // A runtime, because lettre's connection pool starts a task of its own.
    #[tokio::test]
    async fn the_claim_lease_is_five_minutes_unless_set_to_between_a_second_and_an_hour() {
        let lease = |text| settings(&config(text).unwrap()).unwrap().claim_lease;
        assert_eq!(lease(None), Duration::from_secs(300));
        assert_eq!(lease(Some("1s")), Duration::from_secs(1));
        assert_eq!(lease(Some("30s")), Duration::from_secs(30));
        assert_eq!(lease(Some("1h")), Duration::from_secs(3600));
        for bad in ["0s", "61m", "2h", "1d", "30", "soon"] {
            let error = config(Some(bad)).unwrap_err();
            assert_eq!(
                error.to_string(),
                "EMAIL_CLAIM_LEASE: must be a duration from 1s to 1h, like 5m or 30s",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn backoff_doubles_from_one_second_with_jitter_and_stops_at_the_cap() {
        let (base, cap) = (Duration::from_secs(1), Duration::from_secs(300));
        for _ in 0..100 {
            let first = backoff(1, base, cap);
            assert!(first >= Duration::from_secs(1) && first <= Duration::from_millis(1250), "{first:?}");
            let fourth = backoff(4, base, cap);
            assert!(fourth >= Duration::from_secs(8) && fourth <= Duration::from_secs(10), "{fourth:?}");
            assert_eq!(backoff(20, base, cap), cap);
        }
    }
}
