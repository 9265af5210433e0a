//! A per-address limit on the sign-in endpoints, so they cannot be used to
//! guess at accounts or flood the session tables.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;

use crate::problem::Problem;

/// At most `limit` attempts per address in any `window`.
pub struct Throttle {
    limit: usize,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl Throttle {
    /// A limit of `limit` a minute per address.
    pub fn per_minute(limit: u32) -> Self {
        Self { limit: limit as usize, window: Duration::from_secs(60), seen: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt from the request's peer; 429 with `Retry-After` when
    /// over the limit.
    pub fn check(&self, req: &HttpRequest) -> Result<(), Problem> {
        let Some(ip) = req.peer_addr().map(|a| a.ip()) else { return Ok(()) };
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let times = seen.entry(ip).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.limit {
            let wait = times.front().map_or(self.window, |t| self.window.saturating_sub(now.duration_since(*t)));
            let seconds = wait.as_secs().max(1);
            return Err(Problem::too_many_requests(seconds));
        }
        times.push_back(now);
        Ok(())
    }
}
