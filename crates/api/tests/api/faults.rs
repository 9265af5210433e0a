//! Faults under load (issue #11): the database stopped and started again,
//! SIGTERM, an exhausted pool, SQLite under concurrent writers. Each test is
//! bounded in time and requests, and talks to loopback only.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use users_api::config::DatabaseUrl;

use crate::harness::{backend, Reply, ServerProcess, TestApp};
use crate::load::{assert_unavailable, assert_unavailable_body, Load, Op, Outcome, Plan};
use crate::smtp::free_port;

/// Slack on top of a configured wait, for a loaded two-core machine.
const MARGIN: Duration = Duration::from_millis(1500);

/// How long a writer waits for another's lock before the request answers
/// 503: SQLite's busy timeout, PostgreSQL's `lock_timeout` (`db/mod.rs`).
const LOCK_WAIT: Duration = Duration::from_secs(5);

#[derive(diesel::QueryableByName)]
struct Email {
    #[diesel(sql_type = diesel::sql_types::Text)]
    email: String,
}

/// The stored addresses that start with `prefix`.
fn stored_emails(app: &TestApp, prefix: &str) -> HashSet<String> {
    let query = format!("SELECT email FROM users WHERE email LIKE '{prefix}%'");
    let rows: Vec<Email> = app
        .db
        .query_blocking(|conn| users_api::db_run!(conn, |c| diesel::sql_query(query).load::<Email>(c)))
        .expect("the users can be read");
    rows.into_iter().map(|r| r.email).collect()
}

async fn get(url: String) -> Reply {
    let app_client = reqwest::Client::new();
    crate::harness::read(app_client.get(url).send().await.expect("request is answered")).await
}

fn count(outcomes: &[Outcome], status: u16) -> usize {
    outcomes.iter().filter(|o| o.status == Some(status)).count()
}

// ---------------------------------------------------------------------------
// 1. PostgreSQL stopped and started again under load

/// A PostgreSQL server of the test's own (initdb, then pg_ctl), so stopping
/// it disturbs no other test. Stopped and deleted when dropped.
struct PrivatePostgres {
    dir: PathBuf,
    port: u16,
}

impl PrivatePostgres {
    fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("users-api-pg-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let cluster = Self { dir, port: free_port() };
        if running_as_root() {
            // PostgreSQL refuses to run as root: the cluster belongs to `postgres`.
            let owned = Command::new("chown").arg("postgres:postgres").arg(&cluster.dir).status();
            assert!(owned.is_ok_and(|s| s.success()), "chown postgres {}", cluster.dir.display());
        }
        let data = cluster.data();
        let initdb = format!("{}/initdb", pg_bin());
        assert!(
            cluster.as_postgres(&initdb, &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"]),
            "initdb {data} ({initdb})"
        );
        cluster.start_server();
        cluster
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn start_server(&self) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.display());
        let log = self.dir.join("postgres.log").display().to_string();
        let started = self.pg_ctl(&["-o", &options, "-l", &log, "-w", "-t", "30", "start"]);
        assert!(started, "the private PostgreSQL started: {}", std::fs::read_to_string(&log).unwrap_or_default());
    }

    /// `pg_ctl stop -m <mode>`, waiting until it has stopped.
    fn stop_server(&self, mode: &str) -> bool {
        self.pg_ctl(&["-m", mode, "-w", "-t", "30", "stop"])
    }

    fn pg_ctl(&self, args: &[&str]) -> bool {
        let data = self.data();
        let mut all = vec!["-D", data.as_str()];
        all.extend_from_slice(args);
        self.as_postgres(&format!("{}/pg_ctl", pg_bin()), &all)
    }

    fn as_postgres(&self, program: &str, args: &[&str]) -> bool {
        let mut command = if running_as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", program]);
            c
        } else {
            Command::new(program)
        };
        command
            .args(args)
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop_server("immediate");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `PG_BIN`, else the newest `/usr/lib/postgresql/<version>/bin`.
fn pg_bin() -> String {
    if let Ok(bin) = std::env::var("PG_BIN") {
        return bin;
    }
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's programs are in /usr/lib/postgresql (or set PG_BIN)")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .max()
        .expect("a PostgreSQL version in /usr/lib/postgresql");
    format!("/usr/lib/postgresql/{newest}/bin")
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next().map(|uid| uid == "0"))
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_postgresql_stopped_under_load_every_request_is_a_quick_503_and_it_recovers_losing_nothing() {
    if backend() != "postgres" {
        eprintln!("note: stopping the database under load needs a PostgreSQL server; skipped on {}", backend());
        return;
    }
    let pool_timeout = Duration::from_millis(1000);
    let cluster = tokio::task::spawn_blocking(PrivatePostgres::start).await.unwrap();
    let app = TestApp::spawn_with(&[("DATABASE_URL", &cluster.url()), ("DB_POOL_TIMEOUT_MS", "1000")]).await;
    assert!(!app.admin_id.is_empty(), "migrated the private cluster");
    let process = ServerProcess::start(&app).await;
    let plan = Plan {
        clients: 4,
        every: Duration::from_millis(20),
        write_every: 2,
        tag: "outage".into(),
        timeout: Duration::from_secs(30),
    };
    let load = Load::start(&process.base, &app.admin_token, plan);
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let stopping = Instant::now();
    let cluster = tokio::task::spawn_blocking(move || {
        assert!(cluster.stop_server("fast"), "pg_ctl stop -m fast");
        cluster
    })
    .await
    .unwrap();
    let stopped = Instant::now();
    let ready = get(format!("{}/health/ready", process.base)).await;
    assert_eq!(ready.status, 503, "{}", ready.text);
    assert_eq!(ready.header("content-type"), Some("application/problem+json"));
    assert_unavailable_body(&ready.body);
    assert!(stopped.elapsed() < pool_timeout + MARGIN, "readiness answered in {:?}", stopped.elapsed());
    tokio::time::sleep_until((stopped + Duration::from_secs(3)).into()).await;

    let restarting = Instant::now();
    let cluster = tokio::task::spawn_blocking(move || {
        cluster.start_server();
        cluster
    })
    .await
    .unwrap();
    let restarted = Instant::now();
    let deadline = restarted + Duration::from_secs(5);
    loop {
        if get(format!("{}/health/ready", process.base)).await.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "not ready 5 s after PostgreSQL came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let outcomes = load.stop().await;

    for outcome in &outcomes {
        assert!(matches!(outcome.status, Some(200 | 201 | 503)), "{outcome:?}\n{}", process.log());
        if outcome.status == Some(503) {
            assert_unavailable(outcome);
        }
        assert!(outcome.took <= pool_timeout + MARGIN, "answered in {:?}: {outcome:?}", outcome.took);
    }
    let down: Vec<_> = outcomes.iter().filter(|o| o.sent >= stopped && o.answered() <= restarting).collect();
    assert!(down.len() >= 4, "the clients kept asking while the database was down: {}", down.len());
    assert!(down.iter().all(|o| o.status == Some(503)), "while down, only 503");
    let recovery = outcomes
        .iter()
        .filter(|o| o.is_success() && o.answered() >= restarted)
        .map(|o| o.answered() - restarted)
        .min()
        .expect("a request succeeded after the restart");
    assert!(recovery <= Duration::from_secs(5), "recovered in {recovery:?}");

    let created: HashSet<String> = outcomes
        .iter()
        .filter(|o| o.op == Op::Create && o.status == Some(201))
        .map(|o| o.email.clone().unwrap())
        .collect();
    let stored = stored_emails(&app, "outage-");
    let lost: Vec<_> = created.difference(&stored).collect();
    assert!(lost.is_empty(), "answered 201 but not stored: {lost:?}");
    let creates = outcomes.iter().filter(|o| o.op == Op::Create).count();
    eprintln!(
        "postgres outage: {} requests ({creates} creates), {} × 201, {} × 200, {} × 503 ({} while down); \
         stop took {:?}, down {:?}; first success {recovery:?} after the restart; \
         {} rows for {} × 201",
        outcomes.len(),
        count(&outcomes, 201),
        count(&outcomes, 200),
        count(&outcomes, 503),
        down.len(),
        stopped - stopping,
        restarted - stopped,
        stored.len(),
        created.len(),
    );
    drop(process);
    drop(app);
    tokio::task::spawn_blocking(move || drop(cluster)).await.unwrap();
}

// ---------------------------------------------------------------------------
// Holding the write lock from outside the service

/// Another database client holding the write lock on `users` until released:
/// on PostgreSQL `LOCK TABLE users IN EXCLUSIVE MODE` in an open transaction,
/// on SQLite `BEGIN IMMEDIATE`. Readers pass, writers wait, on both.
struct WriteLock {
    release: Option<mpsc::Sender<()>>,
    holder: Option<std::thread::JoinHandle<()>>,
}

impl WriteLock {
    fn take(app: &TestApp) -> Self {
        let url = DatabaseUrl::parse(&app.env["DATABASE_URL"]).unwrap();
        let (locked, is_locked) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let holder = std::thread::spawn(move || {
            let hold = |c: &mut dyn SimpleConnection, begin: &str| {
                c.batch_execute(begin).expect("the lock is taken");
                locked.send(()).unwrap();
                let _ = released.recv();
                c.batch_execute("ROLLBACK").expect("the lock is released");
            };
            match url {
                DatabaseUrl::Postgres(url) => {
                    let mut c = diesel::pg::PgConnection::establish(&url).unwrap();
                    hold(&mut c, "BEGIN; LOCK TABLE users IN EXCLUSIVE MODE");
                }
                DatabaseUrl::Sqlite(path) => {
                    let mut c = diesel::sqlite::SqliteConnection::establish(&path.display().to_string()).unwrap();
                    hold(&mut c, "PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE");
                }
            }
        });
        is_locked.recv_timeout(Duration::from_secs(10)).expect("the write lock is taken");
        Self { release: Some(release), holder: Some(holder) }
    }

    fn release(mut self) {
        self.let_go();
    }

    fn let_go(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
        if let Some(holder) = self.holder.take() {
            let _ = holder.join();
        }
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        self.let_go();
    }
}

/// Waits until `writers` requests of the service are waiting for the write
/// lock. PostgreSQL says so in `pg_stat_activity`; SQLite cannot, so there
/// it allows the requests time enough to reach the lock on loopback.
async fn until_writers_wait(app: &TestApp, writers: i64) {
    let DatabaseUrl::Postgres(url) = DatabaseUrl::parse(&app.env["DATABASE_URL"]).unwrap() else {
        tokio::time::sleep(Duration::from_millis(400)).await;
        return;
    };
    #[derive(diesel::QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut c = diesel::pg::PgConnection::establish(&url).unwrap();
    loop {
        let waiting: Waiting = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        )
        .get_result(&mut c)
        .unwrap();
        if waiting.n >= writers {
            return;
        }
        assert!(Instant::now() < deadline, "{} of {writers} requests reached the lock", waiting.n);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn new_user(email: &str) -> Value {
    json!({"first_name": "Grace", "last_name": "Hopper", "email": email, "api_user": false})
}

// ---------------------------------------------------------------------------
// 2. SIGTERM under load

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_requests_in_flight_finish_new_connections_are_refused_and_it_exits_within_the_grace() {
    let grace = Duration::from_secs(3);
    let app = TestApp::spawn().await;
    let mut process = ServerProcess::start_with(&app, &[("SHUTDOWN_GRACE", "3s")]).await;
    let plan = Plan {
        clients: 4,
        every: Duration::from_millis(20),
        write_every: 2,
        tag: "sigterm".into(),
        timeout: Duration::from_secs(10),
    };
    let load = Load::start(&process.base, &app.admin_token, plan);
    tokio::time::sleep(Duration::from_secs(1)).await;

    // A write certainly in flight when the signal comes: it waits for a lock
    // held elsewhere, released only after the signal.
    let lock = WriteLock::take(&app);
    let slow = tokio::spawn({
        let (url, token) = (format!("{}/api/v1/users", process.base), app.admin_token.clone());
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&new_user("in-flight@education.gov.uk"))
                .send();
            let reply = crate::harness::read(response.await.expect("the request in flight is answered")).await;
            (reply, Instant::now())
        }
    });
    // Each load client's next write waits too: all of them and this one.
    until_writers_wait(&app, 5).await;

    let signalled = Instant::now();
    process.terminate();
    let fresh =
        reqwest::Client::builder().timeout(Duration::from_millis(500)).pool_max_idle_per_host(0).build().unwrap();
    let refused_after = loop {
        match fresh.get(format!("{}/health/live", process.base)).send().await {
            Err(error) if error.is_connect() => break signalled.elapsed(),
            Ok(reply) if reply.status() == 503 => break signalled.elapsed(),
            other => {
                assert!(signalled.elapsed() < Duration::from_secs(1), "still taking connections: {other:?}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    lock.release();
    let (in_flight, finished) = slow.await.unwrap();
    assert_eq!(in_flight.status, 201, "the request in flight got its normal answer: {}", in_flight.text);
    assert_eq!(in_flight.body["email"], "in-flight@education.gov.uk");
    assert!(finished - signalled > refused_after, "new connections were refused while it was still being served");

    let status = process.wait_for_exit(grace + MARGIN).await;
    let exited = signalled.elapsed();
    let status = status.unwrap_or_else(|| panic!("still running {exited:?} after SIGTERM"));
    assert!(status.success(), "{status:?}: {}", process.log());
    let outcomes = load.stop().await;

    let before: Vec<_> = outcomes.iter().filter(|o| o.sent < signalled).collect();
    for outcome in &before {
        assert!(outcome.is_success(), "a request sent before SIGTERM: {outcome:?}");
    }
    let after: Vec<_> = outcomes.iter().filter(|o| o.sent >= signalled).collect();
    for outcome in &after {
        match outcome.status {
            None => {}
            Some(503) => assert_unavailable(outcome),
            Some(_) => assert!(outcome.is_success(), "{outcome:?}"),
        }
    }
    let stored = stored_emails(&app, "in-flight@");
    assert_eq!(stored.len(), 1, "the request in flight was committed");
    eprintln!(
        "sigterm: {} requests sent before the signal, all answered normally; {} after it ({} answered, {} refused); \
         new connections refused {refused_after:?} after the signal; the write in flight answered 201 {:?} after it; \
         exited {exited:?} after it (grace {grace:?}); a refusal reads {:?}",
        before.len(),
        after.len(),
        after.iter().filter(|o| o.status.is_some()).count(),
        after.iter().filter(|o| o.status.is_none()).count(),
        finished - signalled,
        after.iter().find_map(|o| o.error.as_deref()).unwrap_or("(none)"),
    );
}

// ---------------------------------------------------------------------------
// 3. An exhausted pool

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_connection_held_requests_answer_503_within_the_pool_timeout_and_it_recovers_when_released() {
    let pool_timeout = Duration::from_millis(1000);
    let app = TestApp::spawn_with(&[("DB_POOL_SIZE", "2"), ("DB_POOL_TIMEOUT_MS", "1000")]).await;
    let lock = WriteLock::take(&app);

    // Two writers take the pool's two connections and wait for the lock.
    let started = Instant::now();
    let holders = tokio::spawn({
        let app_base = app.base.clone();
        let token = app.admin_token.clone();
        async move {
            let client = reqwest::Client::new();
            join_all((0..2).map(|i| {
                let request = client
                    .post(format!("{app_base}/api/v1/users"))
                    .bearer_auth(&token)
                    .json(&new_user(&format!("holder{i}@education.gov.uk")));
                async move {
                    let reply = crate::harness::read(request.send().await.unwrap()).await;
                    (reply, started.elapsed())
                }
            }))
            .await
        }
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.db.pool_state() != (2, 0) {
        assert!(Instant::now() < deadline, "the writers did not take the pool: {:?}", app.db.pool_state());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Everyone else waits for a connection, then hears 503.
    let timed = |method: Method, path: &'static str, body: Option<Value>| {
        let app = &app;
        async move {
            let sent = Instant::now();
            let reply = app.request(method, path, Some(&app.admin_token), body).await;
            (path, reply, sent.elapsed())
        }
    };
    let mut waiting = Vec::new();
    for i in 0..4 {
        let body = new_user(&format!("waiter{i}@education.gov.uk"));
        waiting.push(timed(Method::POST, "/api/v1/users", Some(body)));
        waiting.push(timed(Method::GET, "/api/v1/users", None));
    }
    let live = async {
        let sent = Instant::now();
        let reply = app.request(Method::GET, "/health/live", None, None).await;
        (reply.status, sent.elapsed())
    };
    let ready = async {
        let sent = Instant::now();
        let reply = app.request(Method::GET, "/health/ready", None, None).await;
        (reply, sent.elapsed())
    };
    let (waiting, live, ready) = tokio::join!(join_all(waiting), live, ready);
    for (path, reply, took) in &waiting {
        assert_eq!(reply.status, 503, "{path}: {}", reply.text);
        assert_eq!(reply.header("content-type"), Some("application/problem+json"));
        assert_eq!(reply.header("retry-after"), Some("5"));
        assert_unavailable_body(&reply.body);
        assert!(*took >= pool_timeout - Duration::from_millis(100), "{path} waited for a connection: {took:?}");
        assert!(*took <= pool_timeout + MARGIN, "{path} answered in {took:?}");
    }
    assert_eq!(live.0, 200, "liveness needs no connection");
    assert!(live.1 < Duration::from_millis(500), "liveness answered in {:?}", live.1);
    assert_eq!(ready.0.status, 503, "{}", ready.0.text);
    assert_unavailable_body(&ready.0.body);
    assert!(ready.1 <= pool_timeout + MARGIN, "readiness answered in {:?}", ready.1);

    // The writers holding the connections give up waiting for the lock.
    let holders = tokio::time::timeout(LOCK_WAIT + MARGIN + Duration::from_secs(2), holders)
        .await
        .expect("the writers waiting for the lock gave up in time (never a hang)")
        .unwrap();
    for (reply, took) in &holders {
        assert_eq!(reply.status, 503, "{}", reply.text);
        assert_unavailable_body(&reply.body);
        assert!(*took <= LOCK_WAIT + MARGIN, "a writer waiting for the lock answered after {took:?}");
    }

    lock.release();
    let released = Instant::now();
    let created = app.post("/api/v1/users", new_user("after@education.gov.uk")).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(app.get("/api/v1/users").await.status, 200);
    assert_eq!(app.request(Method::GET, "/health/ready", None, None).await.status, 200);
    let recovered = released.elapsed();
    assert!(recovered < Duration::from_secs(1), "recovered in {recovered:?}");
    assert_eq!(
        stored_emails(&app, "holder").len() + stored_emails(&app, "waiter").len(),
        0,
        "refused writes left nothing"
    );
    eprintln!(
        "pool exhaustion ({}): {} requests waiting for a connection answered 503 in {:?}..{:?}; \
         2 writers waiting for the lock answered 503 after {:?} and {:?}; liveness {:?}; recovered {recovered:?} after release",
        backend(),
        waiting.len() + 1,
        waiting.iter().map(|w| w.2).min().unwrap(),
        waiting.iter().map(|w| w.2).max().unwrap(),
        holders[0].1,
        holders[1].1,
        live.1,
    );
}

// ---------------------------------------------------------------------------
// 4. SQLite under concurrent writers

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_under_eight_concurrent_writers_never_says_database_is_locked_and_stays_consistent() {
    if backend() != "sqlite" {
        eprintln!("note: concurrent SQLite writers are an SQLite test; skipped on {}", backend());
        return;
    }
    let app = TestApp::spawn().await;
    let started = Instant::now();
    let writers = (0..8).map(|n| writer(&app, n, 50));
    let results = join_all(writers).await;
    let took = started.elapsed();

    let mut alive = Vec::new();
    let mut deleted = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for (replies, writer_alive, writer_deleted) in results {
        for (what, reply) in &replies {
            *statuses.entry(reply.status).or_default() += 1;
            let text = reply.text.to_lowercase();
            assert!(!text.contains("locked") && !text.contains("busy"), "{what}: {}", reply.text);
            assert!(matches!(reply.status, 200 | 201 | 204), "{what}: {} {}", reply.status, reply.text);
        }
        alive.extend(writer_alive);
        deleted.extend(writer_deleted);
    }
    for (id, last_name, version) in &alive {
        let user = app.get(&format!("/api/v1/users/{id}")).await;
        assert_eq!(user.status, 200, "{id}");
        assert_eq!((&user.body["last_name"], &user.body["version"]), (&json!(last_name), &json!(version)), "{id}");
    }
    for id in &deleted {
        assert_eq!(app.get(&format!("/api/v1/users/{id}")).await.status, 404, "{id}");
    }
    let listed = app.get("/api/v1/users?per_page=1").await;
    assert_eq!(listed.body["total"], json!(alive.len() + 1), "the list counts the live users and the admin");
    eprintln!(
        "sqlite writers: 8 × 50 requests in {took:?}, statuses {statuses:?}; {} users checked, {} deleted checked",
        alive.len(),
        deleted.len()
    );
}

/// One writer: adds users, changes them with `If-Match`, deletes some;
/// returns every reply, the users it left (id, last name, version) and those
/// it deleted.
async fn writer(
    app: &TestApp,
    n: usize,
    requests: usize,
) -> (Vec<(String, Reply)>, Vec<(String, String, i64)>, Vec<String>) {
    let mut replies = Vec::new();
    let mut alive: Vec<(String, String, i64)> = Vec::new();
    let mut deleted = Vec::new();
    for i in 0..requests {
        match i % 5 {
            0 | 1 => {
                let email = format!("writer{n}.{i}@education.gov.uk");
                let reply = app.post("/api/v1/users", new_user(&email)).await;
                if reply.status == 201 {
                    alive.push((reply.body["id"].as_str().unwrap().to_owned(), "Hopper".into(), 1));
                }
                replies.push((format!("create {email}"), reply));
            }
            2 | 3 if !alive.is_empty() => {
                let at = i % alive.len();
                let (id, last_name, version) = &mut alive[at];
                let name = format!("Hopper {n}.{i}");
                let reply = app
                    .request_with(
                        Method::PATCH,
                        &format!("/api/v1/users/{id}"),
                        Some(&app.admin_token),
                        Some(json!({"last_name": name})),
                        &[("If-Match", &format!("\"{version}\""))],
                    )
                    .await;
                if reply.status == 200 {
                    *last_name = name;
                    *version = reply.body["version"].as_i64().unwrap();
                }
                replies.push((format!("change {id}"), reply));
            }
            _ if !alive.is_empty() => {
                let (id, last_name, version) = alive.remove(i % alive.len());
                let reply = app
                    .request_with(
                        Method::DELETE,
                        &format!("/api/v1/users/{id}"),
                        Some(&app.admin_token),
                        None,
                        &[("If-Match", &format!("\"{version}\""))],
                    )
                    .await;
                if reply.status == 204 {
                    deleted.push(id.clone());
                } else {
                    alive.push((id.clone(), last_name, version));
                }
                replies.push((format!("delete {id}"), reply));
            }
            _ => {}
        }
    }
    (replies, alive, deleted)
}
