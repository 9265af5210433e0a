//! `GET /metrics`: Prometheus text exposition of request counts and
//! latencies by route, the database pool, and the email outbox. No personal
//! data: routes are path templates, never concrete paths. Every label is
//! bounded: a method the service does not know is `OTHER` and a path no
//! route matched is `unmatched`, so no request can add a series of its own.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 11] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

#[derive(Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Request metrics, shared by every worker.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
    /// What this process's email worker did.
    pub emails: Arc<EmailCounts>,
}

/// Emails this process's worker sent, gave up on, and put off for a retry,
/// counted as it goes (so `/metrics` reads no table).
#[derive(Debug, Default)]
pub struct EmailCounts {
    /// Accepted by the mail server.
    pub sent: AtomicU64,
    /// Given up on: refused for good, or out of attempts.
    pub failed: AtomicU64,
    /// Tried and put off for a retry.
    pub deferred: AtomicU64,
}

impl Metrics {
    /// Counts one answered request. `route` is the matched route's pattern
    /// (`None` when no route matched), never the concrete path.
    pub fn observe(&self, method: &str, route: Option<&str>, status: u16, seconds: f64) {
        let (method, route) = (method_label(method), route.unwrap_or(UNMATCHED));
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let series = requests.entry((method.to_owned(), route.to_owned(), status)).or_default();
        series.count += 1;
        series.sum += seconds;
        for (bucket, bound) in series.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    /// The exposition, with `gauges` (name, help, value) appended.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut out = String::new();
        out.push_str("# HELP http_requests_total Requests answered, by method, route and status.\n");
        out.push_str("# TYPE http_requests_total counter\n");
        for ((method, route, status), series) in &requests {
            let _ = writeln!(
                out,
                "http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                series.count
            );
        }
        out.push_str("# HELP http_request_duration_seconds Time to answer, by method and route.\n");
        out.push_str("# TYPE http_request_duration_seconds histogram\n");
        let mut by_route: BTreeMap<(String, String), Series> = BTreeMap::new();
        for ((method, route, _), series) in requests {
            let total = by_route.entry((method, route)).or_default();
            total.count += series.count;
            total.sum += series.sum;
            for (t, s) in total.buckets.iter_mut().zip(series.buckets) {
                *t += s;
            }
        }
        for ((method, route), series) in &by_route {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (bound, count) in BUCKETS.iter().zip(series.buckets) {
                let _ = writeln!(out, "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}");
            }
            let _ = writeln!(out, "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", series.count);
            let _ = writeln!(out, "http_request_duration_seconds_sum{{{labels}}} {}", series.sum);
            let _ = writeln!(out, "http_request_duration_seconds_count{{{labels}}} {}", series.count);
        }
        let emails = [
            ("emails_sent_total", "Emails the mail server accepted.", &self.emails.sent),
            ("emails_failed_total", "Emails given up on.", &self.emails.failed),
            ("email_attempts_deferred_total", "Tries that failed and will be retried.", &self.emails.deferred),
        ];
        for (name, help, count) in emails {
            let _ =
                writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}", count.load(Ordering::Relaxed));
        }
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
        out
    }
}

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// The method label: one of the methods HTTP defines, else `OTHER` (the
/// server accepts any token as a method).
pub fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"];
    KNOWN.into_iter().find(|known| *known == method).unwrap_or("OTHER")
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_and_timed_in_buckets() {
        let metrics = Metrics::default();
        metrics.observe("GET", Some("/api/v1/users/{id}"), 200, 0.003);
        metrics.observe("GET", Some("/api/v1/users/{id}"), 404, 0.2);
        let text = metrics.render(&[("outbox_emails_queued", "Emails waiting.", 2.0)]);
        assert!(text.contains("http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"200\"} 1"));
        assert!(text.contains(
            "http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/users/{id}\",le=\"0.005\"} 1"
        ));
        assert!(text.contains("http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/users/{id}\"} 2"));
        assert!(text.contains("outbox_emails_queued 2"));
    }
}

#[cfg(test)]
mod bounded {
    use super::*;

    #[test]
    fn made_up_methods_and_unmatched_paths_share_one_series_each() {
        let metrics = Metrics::default();
        for i in 0..2000 {
            let method = format!("X{}", "Y".repeat(i % 50));
            metrics.observe(&method, None, 405, 0.001);
        }
        let text = metrics.render(&[]);
        assert!(
            text.contains("http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"405\"} 2000"),
            "{text}"
        );
        assert!(text.len() < 4_000, "the exposition stays small: {} bytes", text.len());
    }
}
