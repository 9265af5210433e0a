//! How much each API client is used (contract §10): every request made with
//! a working client token is tallied in memory, and each process adds its
//! tally to the database every `API_CLIENT_USAGE_FLUSH` (5 s unless
//! configured) with one upsert per client and day, so the token path itself
//! writes nothing. A crash loses at most that interval's counts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::db::usage::{self as stored, DayCount};
use crate::db::Db;
use crate::periodic::{Extra, Periodic};
use crate::time::Timestamp;

/// What one process has counted and not yet stored.
#[derive(Debug, Default)]
pub struct UsageTally {
    pending: Mutex<HashMap<String, Pending>>,
}

/// One client's counts not yet stored: per day, and its last address.
#[derive(Debug, Default, Clone)]
struct Pending {
    days: HashMap<String, (u64, u64)>,
    last_ip: Option<String>,
}

impl UsageTally {
    /// Counts one request made with `client_id`'s token at `at` from `ip`;
    /// `refused` when it was answered 403 or 429.
    pub fn record(&self, client_id: &str, at: Timestamp, ip: Option<IpAddr>, refused: bool) {
        let day = at.utc().date_naive().format("%Y-%m-%d").to_string();
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let client = pending.entry(client_id.to_owned()).or_default();
        let (requests, refusals) = client.days.entry(day).or_default();
        *requests += 1;
        *refusals += u64::from(refused);
        if let Some(ip) = ip {
            client.last_ip = Some(ip.to_canonical().to_string());
        }
    }

    /// `client_id`'s counts not yet stored, by day, and its last address.
    pub fn pending_for(&self, client_id: &str) -> (Vec<DayCount>, Option<String>) {
        let pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(client) = pending.get(client_id) else { return (Vec::new(), None) };
        let days = client
            .days
            .iter()
            .map(|(day, (requests, refused))| DayCount { day: day.clone(), requests: *requests, refused: *refused })
            .collect();
        (days, client.last_ip.clone())
    }

    fn take(&self) -> HashMap<String, Pending> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    fn put_back(&self, unsaved: HashMap<String, Pending>) {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for (client_id, counts) in unsaved {
            let client = pending.entry(client_id).or_default();
            for (day, (requests, refused)) in counts.days {
                let (r, f) = client.days.entry(day).or_default();
                *r += requests;
                *f += refused;
            }
            client.last_ip = client.last_ip.take().or(counts.last_ip);
        }
    }
}

/// Adds what `tally` holds to the database, in one transaction; on failure
/// the counts go back to the tally for the next flush.
pub async fn flush(db: &Db, tally: &Arc<UsageTally>) {
    let taken = tally.take();
    if taken.is_empty() {
        return;
    }
    let batch = taken.clone();
    let stored = db
        .run(move |conn| {
            conn.write(|tx| {
                for (client_id, counts) in &batch {
                    for (day, (requests, refused)) in &counts.days {
                        let count = DayCount { day: day.clone(), requests: *requests, refused: *refused };
                        stored::add(tx, client_id, &count)?;
                    }
                    if let Some(ip) = &counts.last_ip {
                        stored::record_last_ip(tx, client_id, ip)?;
                    }
                }
                stored::prune(tx, &stored::first_kept_day(Timestamp::now()))?;
                Ok::<_, crate::db::Error>(())
            })
        })
        .await;
    if let Err(error) = stored {
        tracing::warn!(%error, "API client usage could not be stored; kept for the next flush");
        tally.put_back(taken);
    }
}

/// Flushes a tally every `every` until shut down, and once more then.
pub struct UsageFlusher(Periodic);

impl UsageFlusher {
    /// Starts flushing on the current runtime.
    pub fn spawn(db: Db, tally: Arc<UsageTally>, every: Duration) -> Self {
        Self(Periodic::spawn(every, Extra::AtStop, move || {
            let (db, tally) = (db.clone(), tally.clone());
            async move { flush(&db, &tally).await }
        }))
    }

    /// Stops, storing what is still tallied.
    pub async fn shutdown(self) {
        self.0.shutdown().await;
    }
}
