//! Steady load for the fault and soak tests: a few clients, each adding users
//! with addresses of their own and reading, every answer recorded with when
//! it was sent, how long it took and what it said.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::task::JoinHandle;

/// What a load client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `POST /api/v1/users` with a new address.
    Create,
    /// `PATCH /api/v1/users/{id}` of a user this client added.
    Change,
    /// `GET /api/v1/users` or `GET /api/v1/users/{id}`.
    Read,
}

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub op: Op,
    pub sent: Instant,
    pub took: Duration,
    /// `None` when no answer came (connection refused or closed, timeout).
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub body: Value,
    /// The address a `Create` asked for.
    pub email: Option<String>,
    /// Why no answer came.
    pub error: Option<String>,
}

impl Outcome {
    pub fn answered(&self) -> Instant {
        self.sent + self.took
    }

    pub fn is_success(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// How the clients behave.
#[derive(Debug, Clone)]
pub struct Plan {
    pub clients: usize,
    /// Each client waits this long between requests (its pace).
    pub every: Duration,
    /// One request in `write_every` is a write (a create, or a change of a
    /// user the client added); the rest are reads.
    pub write_every: u32,
    /// Addresses are `<tag>-<client>-<n>@education.gov.uk`.
    pub tag: String,
    /// A request with no answer after this long counts as unanswered.
    pub timeout: Duration,
}

/// Clients running until [`Load::stop`].
pub struct Load {
    stop: Arc<AtomicBool>,
    clients: Vec<JoinHandle<Vec<Outcome>>>,
}

impl Load {
    /// Starts `plan.clients` clients against `base`, as the holder of `token`.
    pub fn start(base: &str, token: &str, plan: Plan) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let clients = (0..plan.clients)
            .map(|n| tokio::spawn(client(base.to_owned(), token.to_owned(), plan.clone(), n, stop.clone())))
            .collect();
        Self { stop, clients }
    }

    /// Stops every client after its request in hand; every outcome, in the
    /// order sent.
    pub async fn stop(self) -> Vec<Outcome> {
        self.stop.store(true, Ordering::SeqCst);
        let mut all = Vec::new();
        for client in self.clients {
            all.extend(client.await.expect("a load client finished"));
        }
        all.sort_by_key(|o| o.sent);
        all
    }
}

async fn client(base: String, token: String, plan: Plan, n: usize, stop: Arc<AtomicBool>) -> Vec<Outcome> {
    // A client of its own, so its connections (and their keep-alive) are its own.
    let http = reqwest::Client::builder().timeout(plan.timeout).build().unwrap();
    let mut ticks = tokio::time::interval(plan.every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut outcomes = Vec::new();
    let mut mine: Vec<String> = Vec::new();
    let mut i: u32 = 0;
    while !stop.load(Ordering::SeqCst) {
        ticks.tick().await;
        i += 1;
        let write = i % plan.write_every == 0;
        let (op, request, email) = if write && (mine.is_empty() || i % (2 * plan.write_every) == 0) {
            let email = format!("{}-{n}-{i}@education.gov.uk", plan.tag);
            let body =
                json!({"first_name": "Load", "last_name": format!("Client {n}"), "email": email, "api_user": false});
            (Op::Create, http.post(format!("{base}/api/v1/users")).json(&body), Some(email))
        } else if write {
            let id = &mine[i as usize % mine.len()];
            let body = json!({"last_name": format!("Client {n} change {i}")});
            (Op::Change, http.patch(format!("{base}/api/v1/users/{id}")).json(&body), None)
        } else if i % 3 == 0 && !mine.is_empty() {
            let id = &mine[i as usize % mine.len()];
            (Op::Read, http.get(format!("{base}/api/v1/users/{id}")), None)
        } else {
            (Op::Read, http.get(format!("{base}/api/v1/users?per_page=10")), None)
        };
        let sent = Instant::now();
        let outcome = match request.bearer_auth(&token).send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let content_type =
                    response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
                let text = response.text().await.unwrap_or_default();
                let body = serde_json::from_str(&text).unwrap_or(Value::Null);
                Outcome { op, sent, took: sent.elapsed(), status: Some(status), content_type, body, email, error: None }
            }
            Err(error) => Outcome {
                op,
                sent,
                took: sent.elapsed(),
                status: None,
                content_type: None,
                body: Value::Null,
                email,
                error: Some(reason(&error)),
            },
        };
        if op == Op::Create && outcome.status == Some(201) {
            if let Some(id) = outcome.body["id"].as_str() {
                mine.push(id.to_owned());
            }
        }
        outcomes.push(outcome);
    }
    outcomes
}

/// An error and its causes, so "connection refused" is not hidden behind
/// "error sending request".
fn reason(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// The `q`-th quantile of `durations` (0.99 for p99).
pub fn quantile(durations: &mut [Duration], q: f64) -> Duration {
    if durations.is_empty() {
        return Duration::ZERO;
    }
    durations.sort();
    let rank = ((durations.len() as f64) * q).ceil() as usize;
    durations[rank.clamp(1, durations.len()) - 1]
}

/// Asserts `outcome` is the contract's 503: problem+json, the unavailable
/// type, title and sentence, a request id.
pub fn assert_unavailable(outcome: &Outcome) {
    assert_eq!(outcome.status, Some(503), "{outcome:?}");
    assert_eq!(outcome.content_type.as_deref(), Some("application/problem+json"), "{outcome:?}");
    assert_unavailable_body(&outcome.body);
}

/// The body of the contract's 503.
pub fn assert_unavailable_body(body: &Value) {
    assert_eq!(body["type"], "urn:problem:unavailable", "{body}");
    assert_eq!(body["title"], "Service unavailable", "{body}");
    assert_eq!(body["status"], 503, "{body}");
    assert_eq!(body["detail"], "The service is unavailable. Try again in a few minutes", "{body}");
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()), "{body}");
    assert!(body.get("errors").is_none(), "{body}");
}
