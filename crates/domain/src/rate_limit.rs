//! The arithmetic of the rate limits (contract §8, "Rate limits"): a rolling
//! minute, estimated from two fixed one-minute buckets.
//!
//! Requests are counted per key in buckets of one clock minute. At a moment
//! `elapsed` into the current minute, the requests of the last rolling minute
//! are estimated as the current bucket's count plus the previous bucket's
//! count weighted by the part of it still inside the rolling minute:
//!
//! ```text
//! estimate = previous × (60 s − elapsed) / 60 s + current
//! ```
//!
//! A request is served when the estimate, counting it, is at most the limit.
//! This needs two small counters per key and one atomic increment per request,
//! so it can live in the database that every API process shares. It assumes
//! the previous minute's requests were spread evenly; a burst at the very end
//! of one minute followed by one at the start of the next can let through
//! more than the limit within some 60 s span, but never more than the limit
//! within one clock minute. Times are whole milliseconds, so no rounding
//! depends on floating point.

/// The length of a bucket and of the rolling window, in milliseconds.
pub const WINDOW_MS: u64 = 60_000;

/// Where a moment falls: its bucket (whole minutes since the Unix epoch) and
/// how far into that minute it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// Minutes since 1970-01-01T00:00:00Z.
    pub bucket: i64,
    /// Milliseconds into that minute, `0..60_000`.
    pub elapsed_ms: u64,
}

impl Moment {
    /// The moment `unix_ms` milliseconds after the epoch.
    pub fn from_unix_ms(unix_ms: i64) -> Self {
        let window = WINDOW_MS as i64;
        Self { bucket: unix_ms.div_euclid(window), elapsed_ms: unix_ms.rem_euclid(window).unsigned_abs() }
    }
}

/// A limit of `limit` requests per rolling minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlidingWindow {
    /// Requests allowed per rolling minute (at least 1).
    pub limit: u64,
}

impl SlidingWindow {
    /// The most requests the current bucket may hold at `elapsed_ms` into it,
    /// given the previous bucket's count: the largest `current` with
    /// `previous × (W − elapsed) / W + current ≤ limit`.
    pub fn capacity(&self, previous: u64, elapsed_ms: u64) -> u64 {
        let elapsed = u128::from(elapsed_ms.min(WINDOW_MS));
        let window = u128::from(WINDOW_MS);
        let budget = u128::from(self.limit) * window;
        let carried = u128::from(previous) * (window - elapsed);
        u64::try_from(budget.saturating_sub(carried) / window).unwrap_or(u64::MAX)
    }

    /// Requests still allowed now, after `current` have been counted.
    pub fn remaining(&self, previous: u64, current: u64, elapsed_ms: u64) -> u64 {
        self.capacity(previous, elapsed_ms).saturating_sub(current)
    }

    /// How long after `elapsed_ms` one more request would be served, when
    /// the current bucket holds `current` and the previous one `previous`
    /// (and nothing else is served meanwhile). Zero when it would be now.
    pub fn wait_ms(&self, previous: u64, current: u64, elapsed_ms: u64) -> u64 {
        let window = WINDOW_MS;
        let elapsed = elapsed_ms.min(window);
        if current < self.capacity(previous, elapsed) {
            return 0;
        }
        // Later in this minute, once the previous bucket's weight has fallen
        // to `previous × (W − e) ≤ (limit − current − 1) × W`.
        if current < self.limit && previous > 0 {
            let room = u128::from(self.limit - current - 1) * u128::from(window);
            let at = window.saturating_sub(u64::try_from(room / u128::from(previous)).unwrap_or(u64::MAX));
            if at < window {
                return at - elapsed;
            }
        }
        // Next minute, where this bucket is the previous one: the first
        // request fits once `current × (W − g) ≤ (limit − 1) × W`.
        let room = u128::from(self.limit.saturating_sub(1)) * u128::from(window);
        let into_next = match current {
            0 => 0,
            _ => window.saturating_sub(u64::try_from(room / u128::from(current)).unwrap_or(u64::MAX)),
        };
        window - elapsed + into_next
    }

    /// [`SlidingWindow::wait_ms`] in whole seconds, rounded up, at least 1:
    /// the `Retry-After` of a refused request.
    pub fn retry_after_secs(&self, previous: u64, current: u64, elapsed_ms: u64) -> u64 {
        self.wait_ms(previous, current, elapsed_ms).div_ceil(1000).max(1)
    }
}

/// Seconds until the current bucket ends, rounded up (1–60): when the oldest
/// requests counted now start to weigh less.
pub fn secs_to_bucket_end(elapsed_ms: u64) -> u64 {
    (WINDOW_MS - elapsed_ms.min(WINDOW_MS - 1)).div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn moments_split_into_minutes() {
        assert_eq!(Moment::from_unix_ms(0), Moment { bucket: 0, elapsed_ms: 0 });
        assert_eq!(Moment::from_unix_ms(119_999), Moment { bucket: 1, elapsed_ms: 59_999 });
        assert_eq!(Moment::from_unix_ms(-1), Moment { bucket: -1, elapsed_ms: 59_999 });
    }

    #[test]
    fn with_an_empty_previous_minute_the_whole_limit_is_available() {
        let window = SlidingWindow { limit: 300 };
        assert_eq!(window.capacity(0, 0), 300);
        assert_eq!(window.capacity(0, 59_999), 300);
        assert_eq!(window.remaining(0, 299, 10), 1);
        assert_eq!(window.remaining(0, 300, 10), 0);
    }

    #[test]
    fn the_previous_minute_weighs_by_the_part_still_in_the_window() {
        let window = SlidingWindow { limit: 100 };
        assert_eq!(window.capacity(100, 0), 0);
        assert_eq!(window.capacity(100, 30_000), 50);
        assert_eq!(window.capacity(100, 45_000), 75);
        assert_eq!(window.capacity(1000, 30_000), 0, "never negative");
    }

    #[test]
    fn a_full_minute_waits_for_the_next_one() {
        let window = SlidingWindow { limit: 300 };
        // 300 served in the first 10 s of a minute, no previous minute: the
        // next request fits once 1/300 of the next minute has passed.
        let wait = window.wait_ms(0, 300, 10_000);
        assert_eq!(wait, 50_000 + 200);
        assert_eq!(window.retry_after_secs(0, 300, 10_000), 51);
    }

    #[test]
    fn a_heavy_previous_minute_waits_for_its_weight_to_fall() {
        let window = SlidingWindow { limit: 100 };
        // previous 100, current 40, at 30 s: capacity 50 > 40, served now.
        assert_eq!(window.wait_ms(100, 40, 30_000), 0);
        // previous 100, current 50 at 30 s: needs 100 × (W − e) ≤ 49 × W → e ≥ 30.6 s.
        assert_eq!(window.wait_ms(100, 50, 30_000), 600);
        assert_eq!(window.retry_after_secs(100, 50, 30_000), 1);
    }

    #[test]
    fn the_bucket_end_is_counted_in_whole_seconds() {
        assert_eq!(secs_to_bucket_end(0), 60);
        assert_eq!(secs_to_bucket_end(59_001), 1);
        assert_eq!(secs_to_bucket_end(59_999), 1);
    }

    proptest! {
        #[test]
        fn after_the_wait_one_more_request_fits_and_not_before(
            limit in 1u64..500, previous in 0u64..1000, current_fill in 0u64..=100, elapsed in 0u64..60_000
        ) {
            let window = SlidingWindow { limit };
            let current = window.capacity(previous, elapsed).max(current_fill.min(limit));
            let wait = window.wait_ms(previous, current, elapsed);
            if wait == 0 {
                prop_assert!(current < window.capacity(previous, elapsed));
            } else {
                let at = elapsed + wait;
                let fits = |t: u64| if t < WINDOW_MS {
                    current < window.capacity(previous, t)
                } else {
                    window.capacity(current, t - WINDOW_MS) >= 1
                };
                prop_assert!(fits(at), "not served after waiting {}", wait);
                prop_assert!(!fits(at - 1), "could have been served 1 ms sooner than {}", wait);
            }
        }

        #[test]
        fn one_clock_minute_never_serves_more_than_the_limit(
            limit in 1u64..400, previous in 0u64..800, mut times in proptest::collection::vec(0u64..60_000, 0..1200)
        ) {
            times.sort_unstable();
            let window = SlidingWindow { limit };
            let mut current = 0;
            for t in times {
                if current < window.capacity(previous, t) {
                    current += 1;
                }
            }
            prop_assert!(current <= limit);
        }
    }
}
