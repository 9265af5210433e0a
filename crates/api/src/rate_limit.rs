//! Rate limits on `/api/v1` (contract §5 and §8): per API client token, and
//! per client IP for requests without valid credentials. Requests with a
//! valid access token (a signed-in user) are not counted.
//!
//! Counters live in the database ([`crate::db::rate_limits`]), so every API
//! process behind a load balancer enforces one limit. The arithmetic of the
//! rolling minute is [`users_domain::rate_limit`]. Each counted request costs
//! one read of the previous minute's bucket and one atomic upsert. The
//! middleware that applies them is [`crate::http::rate_limit`].

use std::sync::atomic::{AtomicI64, Ordering};

use users_domain::rate_limit::{secs_to_bucket_end, Moment, SlidingWindow};

use crate::config::Config;
use crate::db::{rate_limits, Conn};
use crate::time::Timestamp;

/// The limits, and when this process last swept out old counters.
pub struct RateLimiter {
    per_token: SlidingWindow,
    per_ip: SlidingWindow,
    trusted_proxy_hops: usize,
    swept_minute: AtomicI64,
}

impl RateLimiter {
    /// The limits `config` sets.
    pub fn new(config: &Config) -> Self {
        Self {
            per_token: SlidingWindow { limit: config.rate_limit_per_token.into() },
            per_ip: SlidingWindow { limit: config.rate_limit_per_ip.into() },
            trusted_proxy_hops: config.trusted_proxy_hops as usize,
            swept_minute: AtomicI64::new(i64::MIN),
        }
    }

    /// Counts one request against `key` at `now`. Old buckets are swept out
    /// at most once a minute per process, by the first request to start a
    /// new bucket.
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
            Some(current) => {
                if current == 1 && self.swept_minute.swap(moment.bucket, Ordering::Relaxed) < moment.bucket {
                    rate_limits::forget_before(conn, moment.bucket - 1)?;
                }
                Ok(Verdict::Served {
                    limit: window.limit,
                    remaining: window.remaining(previous, current, moment.elapsed_ms),
                    reset: secs_to_bucket_end(moment.elapsed_ms),
                })
            }
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

    /// `TRUSTED_PROXY_HOPS`.
    pub fn trusted_proxy_hops(&self) -> usize {
        self.trusted_proxy_hops
    }
}
