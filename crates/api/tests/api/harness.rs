//! `TestApp`: the real server on a free port, over a fresh database of the
//! kind `TEST_DATABASE` names (`sqlite`, the default, or `postgres`), dropped
//! when the test ends.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;

use diesel::{Connection, RunQueryDsl};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};

use users_api::auth::jwt::{Jwt, Role, Subject};
use users_api::config::Config;
use users_api::db::{sessions, users, Db, PoolOptions};
use users_api::email::worker::Worker;
use users_api::reminders::{ReminderSettings, Reminders};
use users_api::state::AppState;
use users_api::sweep::{SweepSettings, Sweeper};
use users_api::time::Timestamp;
use users_api::usage::UsageFlusher;
use users_domain::SupportRole;

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";
pub const PUBLIC_URL: &str = "http://users.test";
/// What the monitoring system sends to `/metrics`, as production requires one.
pub const METRICS_TOKEN: &str = "metrics-token-metrics-token-0123456789";

/// Which database this run uses.
pub fn backend() -> String {
    std::env::var("TEST_DATABASE").unwrap_or_else(|_| "sqlite".into())
}

fn postgres_server() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

enum Scratch {
    Sqlite(PathBuf),
    Postgres(String, PathBuf),
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match self {
            Scratch::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Scratch::Postgres(name, dir) => {
                let _ = std::fs::remove_dir_all(dir);
                if let Ok(mut c) = diesel::pg::PgConnection::establish(&format!("{}/postgres", postgres_server())) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut c);
                }
            }
        }
    }
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// `(field, message)` of a problem's `errors`.
    /// The problem's field errors as (field, message), borrowed; a failure
    /// naming the body when it has none.
    pub fn field_errors(&self) -> Vec<(&str, &str)> {
        self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors in {}", self.text))
            .iter()
            .map(|e| (e["field"].as_str().unwrap(), e["message"].as_str().unwrap()))
            .collect()
    }

    pub fn errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| (e["field"].as_str().unwrap().to_owned(), e["message"].as_str().unwrap().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn detail(&self) -> &str {
        self.body["detail"].as_str().unwrap_or("")
    }
}

/// The app under test.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub jwt: Jwt,
    /// A signed-in support user's token (the "admin").
    pub admin_token: String,
    pub admin_id: String,
    /// The settings the server was started with (environment-style names).
    pub env: HashMap<String, String>,
    _worker: Worker,
    _sweeper: Sweeper,
    _usage: UsageFlusher,
    _reminders: Reminders,
    _scratch: Scratch,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// Spawns with extra settings (environment-style names).
    pub async fn spawn_with(settings: &[(&str, &str)]) -> Self {
        use_aws_lc_for_tls();
        let (database_url, scratch, data_dir) = scratch_database();
        let mut env: HashMap<String, String> = HashMap::from([
            ("DATABASE_URL".into(), database_url),
            ("JWT_SECRET".into(), JWT_SECRET.into()),
            ("PUBLIC_URL".into(), PUBLIC_URL.into()),
            ("BIND".into(), "127.0.0.1:0".into()),
            ("DATA_DIR".into(), data_dir.display().to_string()),
            ("STATIC_DIR".into(), data_dir.join("no-spa").display().to_string()),
            ("DB_POOL_TIMEOUT_MS".into(), "2000".into()),
            ("METRICS_TOKEN".into(), METRICS_TOKEN.into()),
        ]);
        for (k, v) in settings {
            env.insert((*k).into(), (*v).into());
        }
        let (base, db, worker, (sweeper, usage, reminders), migrated) = start_server(&env);
        let mut app = TestApp {
            base,
            client: reqwest::Client::new(),
            db,
            jwt: Jwt::new(JWT_SECRET.as_bytes(), PUBLIC_URL),
            admin_token: String::new(),
            admin_id: String::new(),
            env,
            _worker: worker,
            _sweeper: sweeper,
            _usage: usage,
            _reminders: reminders,
            _scratch: scratch,
        };
        if migrated {
            let admin = app.insert_user("Admin", "Support", "admin.support@education.gov.uk", false, true);
            app.admin_token = app.token_for(&admin, Role::Support);
            app.admin_id = admin;
        }
        app
    }

    /// Stores a user directly (a support user as an administrator, as the
    /// migration made every support user before roles); returns its id.
    pub fn insert_user(&self, first: &str, last: &str, email: &str, api_user: bool, active: bool) -> String {
        let role = (!api_user).then_some(SupportRole::Administrator);
        self.insert_with_role(first, last, email, role, active)
    }

    /// Stores a support user in `role` (an API user for `None`); returns its id.
    pub fn insert_with_role(
        &self,
        first: &str,
        last: &str,
        email: &str,
        role: Option<SupportRole>,
        active: bool,
    ) -> String {
        let user = users_api::seed::new_user(first, last, email, role, active).expect("valid test user");
        let id = uuid::Uuid::now_v7().to_string();
        self.db.query_blocking(|conn| users::insert(conn, &id, &user, Timestamp::now())).unwrap();
        id
    }

    /// A token for `user_id` in `role`, minted as the API would: in a new
    /// session of theirs, at their current token generation.
    pub fn token_for(&self, user_id: &str, role: Role) -> String {
        self.token_issued_at(user_id, role, Timestamp::now())
    }

    /// As [`TestApp::token_for`], issued at `at` (in the past, for an expired one).
    pub fn token_issued_at(&self, user_id: &str, role: Role, at: Timestamp) -> String {
        let ends = Timestamp::from(chrono::Utc::now() + chrono::Duration::hours(12));
        let (generation, session_id) = self
            .db
            .query_blocking(|conn| {
                let generation = users::find(conn, user_id)?.map_or(0, |u| u.token_generation);
                Ok((generation, sessions::create(conn, user_id, "dev", at, ends)?))
            })
            .unwrap();
        self.jwt.issue(Subject { user_id, role, generation, session_id: &session_id }, at).0
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.request_with(method, path, token, body, &[]).await
    }

    pub async fn request_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        read(request.send().await.expect("request is answered")).await
    }

    pub async fn raw(&self, request: reqwest::RequestBuilder) -> Reply {
        read(request.send().await.expect("request is answered")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, Some(&self.admin_token), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(&self.admin_token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.request(Method::PATCH, path, Some(&self.admin_token), Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.request(Method::DELETE, path, Some(&self.admin_token), None).await
    }

    /// Adds a user through the API, asserting 201; returns its representation.
    pub async fn create_user(&self, first: &str, last: &str, email: &str, api_user: bool) -> Value {
        let reply = self
            .post(
                "/api/v1/users",
                json!({"first_name": first, "last_name": last, "email": email, "api_user": api_user}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body
    }

    /// Adds a support user in `role` through the API (as the admin); returns
    /// the representation.
    pub async fn create_support_user(&self, first: &str, last: &str, email: &str, role: &str) -> Value {
        let body =
            json!({"first_name": first, "last_name": last, "email": email, "api_user": false, "support_role": role});
        let reply = self.post("/api/v1/users", body).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body
    }

    /// Runs one SQL statement on the test database (the same text on both
    /// backends), for states the API cannot reach quickly: an expired client,
    /// a use recorded long ago.
    pub fn sql(&self, statement: &str) -> usize {
        let statement = statement.to_owned();
        self.db
            .query_blocking(|conn| users_api::db_run!(conn, |c| diesel::sql_query(statement).execute(c)))
            .expect("the statement runs")
    }

    /// Adds an active user and signs them in; returns (access token, user id).
    pub async fn signed_in_user(&self, first: &str, last: &str, email: &str, api_user: bool) -> (String, String) {
        self.insert_user(first, last, email, api_user, true);
        let (token, user) = self.sign_in(email).await;
        (token, user["id"].as_str().unwrap().to_owned())
    }

    /// Adds an API client as the holder of `token`, asserting 201; returns
    /// (client, client token).
    pub async fn create_client(&self, token: &str, name: &str) -> (Value, String) {
        let reply = self.request(Method::POST, "/api/v1/api-clients", Some(token), Some(json!({"name": name}))).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        let secret = reply.body["token"].as_str().unwrap().to_owned();
        let mut client = reply.body;
        client.as_object_mut().unwrap().remove("token");
        (client, secret)
    }

    /// Signs in through the development sign-in; returns (token, user).
    pub async fn sign_in(&self, email: &str) -> (String, Value) {
        let reply = self.request(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": email}))).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        (reply.body["access_token"].as_str().unwrap().to_owned(), reply.body["user"].clone())
    }
}

/// Migrates and starts a server in this process with these settings;
/// returns its base URL, its pool, its email worker and whether the
/// migrations ran.
fn start_server(env: &HashMap<String, String>) -> (String, Db, Worker, (Sweeper, UsageFlusher, Reminders), bool) {
    let config = Config::from_lookup(|name| env.get(name).cloned()).expect("test configuration is valid");
    let db = Db::open(&config.database_url, PoolOptions::of(&config)).expect("pool opens");
    let migrated = db.migrate().is_ok();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut mail = users_api::email::worker::settings(&config).expect("mail settings are valid");
    let state = AppState::new(config, db.clone());
    mail.counts = state.metrics.emails.clone();
    let worker = Worker::spawn(db.clone(), mail, state.wake.clone());
    let sweeper = Sweeper::spawn(db.clone(), SweepSettings::of(&state.config));
    let usage = UsageFlusher::spawn(db.clone(), state.usage.clone(), state.config.api_client_usage_flush);
    let reminders = Reminders::spawn(db.clone(), ReminderSettings::of(&state.config, state.mail.clone()));
    let server = users_api::app::serve(state, listener, 2).unwrap();
    tokio::spawn(server);
    (base, db, worker, (sweeper, usage, reminders), migrated)
}

/// Another server on a `TestApp`'s database, as a second API process behind
/// a load balancer would be: the real `users-api` binary, in its own process,
/// its log (JSON lines, `RUST_LOG=debug`) captured to a file.
pub struct ServerProcess {
    pub base: String,
    child: std::process::Child,
    log: PathBuf,
    _dir: TempDir,
}

impl ServerProcess {
    /// Starts `users-api serve` with `app`'s settings (same database, same
    /// secrets) and waits until it answers.
    pub async fn start(app: &TestApp) -> Self {
        Self::start_with(app, &[]).await
    }

    /// Like [`ServerProcess::start`], with some settings replaced (`RUST_LOG`
    /// among them).
    pub async fn start_with(app: &TestApp, settings: &[(&str, &str)]) -> Self {
        let dir = TempDir::new("users-api-process");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = dir.0.join("server.log");
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_users-api"));
        command.args(["serve", "--no-migrate", "--workers", "2"]).env_clear();
        for (name, value) in &app.env {
            command.env(name, value);
        }
        command
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("DATA_DIR", &dir.0)
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", "debug")
            .envs(settings.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        let child = command.spawn().expect("the users-api binary starts");
        let process = Self { base: format!("http://127.0.0.1:{port}"), child, log, _dir: dir };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client.get(format!("{}/health/live", process.base)).send().await.is_ok() {
                return process;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("users-api serve did not answer: {}", process.log());
    }

    /// The process id, to signal it or read its `/proc` entry.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM, as an orchestrator does to stop a container.
    pub fn terminate(&self) {
        let sent = std::process::Command::new("kill").args(["-TERM", &self.pid().to_string()]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {}", self.pid());
    }

    /// Waits up to `timeout` for the process to exit; its status if it did.
    pub async fn wait_for_exit(&mut self, timeout: std::time::Duration) -> Option<std::process::ExitStatus> {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the process can be waited on") {
                return Some(status);
            }
            if started.elapsed() >= timeout {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Everything the process has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// reqwest's rustls is built without a crypto provider of its own (the API
/// hands its OpenID Connect client an aws-lc-rs configuration), so the tests'
/// clients use the process default, set here once.
pub fn use_aws_lc_for_tls() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// Reads an answer whole.
pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, headers, body, text }
}

fn scratch_database() -> (String, Scratch, PathBuf) {
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let dir = std::env::temp_dir().join(format!("users-api-test-{tag}"));
    std::fs::create_dir_all(&dir).unwrap();
    if backend() == "postgres" {
        let name = format!("users_test_{tag}");
        let mut admin = diesel::pg::PgConnection::establish(&format!("{}/postgres", postgres_server()))
            .expect("PostgreSQL is reachable at TEST_POSTGRES_URL");
        diesel::sql_query(format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).unwrap();
        // The folder still holds what the server writes (mail files).
        (format!("{}/{name}", postgres_server()), Scratch::Postgres(name, dir.clone()), dir)
    } else {
        (format!("sqlite://{}", dir.join("users.db").display()), Scratch::Sqlite(dir.clone()), dir)
    }
}
