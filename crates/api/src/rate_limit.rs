//! Rate limits on `/api/v1` (contract §5 and §8): per API client token, and
//! per client IP for requests without valid credentials. Requests with a
//! valid access token (a signed-in user) are not counted.
//!
//! Counters live in the database ([`crate::db::rate_limits`]), so every API
//! process behind a load balancer enforces one limit. The arithmetic of the
//! rolling minute is [`users_domain::rate_limit`]. Each counted request costs
//! one read of the previous minute's bucket and one atomic upsert. The
//! middleware that applies them is [`crate::http::rate_limit`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use users_domain::rate_limit::{secs_to_bucket_end, Moment, SlidingWindow};

use crate::config::Config;
use crate::db::{rate_limits, Conn};
use crate::time::Timestamp;

/// The limits, and which keys this process knows to be over their limit.
pub struct RateLimiter {
    per_token: SlidingWindow,
    per_ip: SlidingWindow,
    sign_in: SlidingWindow,
    trusted_proxy_hops: usize,
    refusals: Refusals,
}

impl RateLimiter {
    /// The limits `config` sets.
    pub fn new(config: &Config) -> Self {
        Self {
            per_token: SlidingWindow { limit: config.rate_limit_per_token.into() },
            per_ip: SlidingWindow { limit: config.rate_limit_per_ip.into() },
            sign_in: SlidingWindow { limit: config.sign_in_rate_limit.into() },
            trusted_proxy_hops: config.trusted_proxy_hops as usize,
            refusals: Refusals::default(),
        }
    }

    /// Counts one request against `key` at `now`. Old buckets are removed by
    /// the sweep ([`crate::sweep`]), never on a request's path.
    fn count(
        &self,
        conn: &mut Conn<'_>,
        key: &str,
        window: SlidingWindow,
        now: Timestamp,
    ) -> diesel::QueryResult<Verdict> {
        let moment = Moment::from_unix_ms(now.utc().timestamp_millis());
        let previous = rate_limits::hits(conn, key, moment.bucket - 1)?;
        let capacity = window.capacity(previous, moment.elapsed_ms);
        match rate_limits::take(conn, key, moment.bucket, capacity)? {
            Some(current) => Ok(Verdict::Served {
                limit: window.limit,
                remaining: window.remaining(previous, current, moment.elapsed_ms),
                reset: secs_to_bucket_end(moment.elapsed_ms),
            }),
            None => {
                let current = rate_limits::hits(conn, key, moment.bucket)?;
                Ok(Verdict::Refused {
                    limit: window.limit,
                    retry_after: window.retry_after_secs(previous, current, moment.elapsed_ms),
                })
            }
        }
    }
}

/// The outcome of counting a request.
#[derive(Debug, Clone, Copy)]
pub enum Verdict {
    /// Counted and served.
    Served {
        /// Requests allowed per rolling minute.
        limit: u64,
        /// Requests left now.
        remaining: u64,
        /// Seconds until the oldest counted requests weigh less.
        reset: u64,
    },
    /// Over the limit.
    Refused {
        /// Requests allowed per rolling minute.
        limit: u64,
        /// Seconds until a request will be served.
        retry_after: u64,
    },
}

impl RateLimiter {
    /// Counts one request made with API client `client_id`'s token.
    pub fn count_client(&self, conn: &mut Conn<'_>, client_id: &str, now: Timestamp) -> diesel::QueryResult<Verdict> {
        self.count(conn, &format!("client:{client_id}"), self.per_token, now)
    }

    /// Counts one request without valid credentials from `ip_key`.
    pub fn count_ip(&self, conn: &mut Conn<'_>, ip_key: &str, now: Timestamp) -> diesel::QueryResult<Verdict> {
        self.count(conn, ip_key, self.per_ip, now)
    }

    /// Counts one attempt at a sign-in endpoint (sign-in, refresh, DfE
    /// Sign-in) from `ip_key` (`SIGN_IN_RATE_LIMIT`), in the counters every
    /// process shares.
    pub fn count_sign_in(&self, conn: &mut Conn<'_>, ip_key: &str, now: Timestamp) -> diesel::QueryResult<Verdict> {
        self.count(conn, &format!("sign-in:{ip_key}"), self.sign_in, now)
    }

    /// The refusal `key` earned earlier, if it is still over its limit: such a
    /// request is answered without asking the database, so a flood cannot
    /// drain the pool or queue SQLite's writer.
    pub fn refused_earlier(&self, key: &str) -> Option<Verdict> {
        self.refusals.check(key, Instant::now())
    }

    /// Remembers a refusal of `key` until its `Retry-After` has passed.
    pub fn remember(&self, key: &str, verdict: Verdict) {
        if let Verdict::Refused { limit, retry_after } = verdict {
            self.refusals.remember(key, limit, Instant::now() + Duration::from_secs(retry_after));
        }
    }

    /// `TRUSTED_PROXY_HOPS`.
    pub fn trusted_proxy_hops(&self) -> usize {
        self.trusted_proxy_hops
    }
}

/// The most keys remembered as over their limit: beyond it expired ones are
/// dropped, and if none has expired the oldest half goes (a forgotten key
/// only costs its next request one trip to the database).
const MAX_REFUSALS: usize = 10_000;

/// Keys known to be over their limit, and until when (this process only; the
/// database's counters stay the shared truth).
#[derive(Default)]
struct Refusals {
    until: Mutex<HashMap<String, (Instant, u64)>>,
}

impl Refusals {
    fn check(&self, key: &str, now: Instant) -> Option<Verdict> {
        let until = self.until.lock().unwrap_or_else(|p| p.into_inner());
        let (until, limit) = *until.get(key)?;
        (until > now).then(|| Verdict::Refused { limit, retry_after: (until - now).as_secs().max(1) })
    }

    fn remember(&self, key: &str, limit: u64, until: Instant) {
        let mut map = self.until.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_REFUSALS && !map.contains_key(key) {
            let now = Instant::now();
            map.retain(|_, (until, _)| *until > now);
            if map.len() >= MAX_REFUSALS {
                let mut ends: Vec<Instant> = map.values().map(|(until, _)| *until).collect();
                ends.sort_unstable();
                let cut = ends[ends.len() / 2];
                map.retain(|_, (until, _)| *until > cut);
            }
        }
        map.insert(key.to_owned(), (until, limit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_refusal_lasts_until_its_retry_after_and_memory_stays_bounded() {
        let refusals = Refusals::default();
        let now = Instant::now();
        refusals.remember("ip:192.0.2.1", 100, now + Duration::from_secs(30));
        assert!(matches!(refusals.check("ip:192.0.2.1", now), Some(Verdict::Refused { limit: 100, retry_after: 30 })));
        assert!(refusals.check("ip:192.0.2.1", now + Duration::from_secs(31)).is_none());
        assert!(refusals.check("ip:192.0.2.2", now).is_none());
        for i in 0..(3 * MAX_REFUSALS) {
            refusals.remember(&format!("ip:{i}"), 100, now + Duration::from_secs(60 + i as u64));
        }
        assert!(refusals.until.lock().unwrap().len() <= MAX_REFUSALS);
    }
}
