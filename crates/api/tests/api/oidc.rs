//! Signing in with OpenID Connect against a real provider: npm's
//! oidc-provider (`tests/support/oidc/provider.mjs`, installed by
//! `scripts/ensure-oidc-provider.sh`) on a loopback port. Each test walks the
//! redirects as a browser would, carrying cookies itself; the app's public
//! origin (`http://users.test`) is mapped to the test server.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

use users_api::db::schema::{oidc_sign_ins, sessions};
use users_api::db::users::{self, UserRow};
use users_api::db_run;

use crate::harness::{Reply, TestApp, PUBLIC_URL};
use crate::smtp::free_port;

const CLIENT_ID: &str = "users-api";
const CLIENT_SECRET: &str = "users-api-test-secret";
const CALLBACK: &str = "http://users.test/api/v1/auth/oidc/callback";
const SESSION_COOKIE: &str = "__Secure-rtp_session";
const BINDING_COOKIE: &str = "__Secure-rtp_oidc";
const FAILED: &str = "/sign-in?error=oidc";
const NOT_AUTHORISED: &str = "/not-authorised";

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The provider process, stopped when dropped.
struct Provider {
    port: u16,
    child: Child,
}

impl Provider {
    fn start() -> Self {
        Self::start_on(free_port(), &[])
    }

    fn start_on(port: u16, flags: &[&str]) -> Self {
        let dir = workspace().join("tests/support/oidc");
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "the test OpenID provider is not installed: run scripts/ensure-oidc-provider.sh"
        );
        let node = std::env::var("TEST_NODE").unwrap_or_else(|_| "node".into());
        let mut child = Command::new(&node)
            .arg(dir.join("provider.mjs"))
            .args(["--port", &port.to_string(), "--redirect-uri", CALLBACK])
            .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_OIDC_VERBOSE").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the test OpenID provider with {node}: {e}"));
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut ready).unwrap();
        assert_eq!(ready.trim(), "ready", "the test OpenID provider started");
        Self { port, child }
    }

    fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The account the provider signs in as from now on.
    async fn will_sign_in(&self, sub: &str, email: &str, given_name: &str, family_name: &str) {
        self.control(
            "next-login",
            json!({"sub": sub, "email": email, "given_name": given_name, "family_name": family_name}),
        )
        .await;
    }

    /// The next ID token gets these claims, or a signature by a key the provider does not publish.
    async fn will_tamper_with_the_next_id_token(&self, tampering: Value) {
        self.control("next-id-token", tampering).await;
    }

    async fn control(&self, what: &str, body: Value) {
        let url = format!("{}/test/{what}", self.issuer());
        let response = reqwest::Client::new().post(url).json(&body).send().await.expect("the provider answers");
        assert_eq!(response.status(), 204);
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app, signing in with `provider`.
async fn app_with(provider: &Provider) -> TestApp {
    let issuer = provider.issuer();
    TestApp::spawn_with(&[
        ("OIDC_ISSUER_URL", issuer.as_str()),
        ("OIDC_CLIENT_ID", CLIENT_ID),
        ("OIDC_CLIENT_SECRET", CLIENT_SECRET),
    ])
    .await
}

/// A provider that signs in as Ada, and the app with her account, not yet linked.
async fn ada_can_sign_in() -> (Provider, TestApp, String) {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let ada = app.insert_user("Ada", "Lovelace", "ada.lovelace@education.gov.uk", false, true);
    provider.will_sign_in("dfe-sub-ada", "ada.lovelace@education.gov.uk", "Ada", "Lovelace").await;
    (provider, app, ada)
}

struct StoredCookie {
    site: String,
    name: String,
    value: String,
    path: String,
}

/// A browser as far as sign-in needs one: its own cookies, no redirects
/// followed by itself, the app's public origin mapped to the test server.
struct Browser {
    app_base: String,
    client: reqwest::Client,
    jar: Vec<StoredCookie>,
}

impl Browser {
    fn new(app: &TestApp) -> Self {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { app_base: app.base.clone(), client, jar: Vec::new() }
    }

    /// Opens `url` (absolute, or a path of the app) and keeps its cookies.
    async fn open(&mut self, url: &str) -> Reply {
        let url = if url.starts_with('/') { format!("{PUBLIC_URL}{url}") } else { url.to_owned() };
        let (site, path) = site_and_path(&url);
        let real = match url.strip_prefix(PUBLIC_URL) {
            Some(rest) => format!("{}{rest}", self.app_base),
            None => url.clone(),
        };
        let cookies: Vec<String> = self
            .jar
            .iter()
            .filter(|c| c.site == site && path.starts_with(&c.path))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        let mut request = self.client.get(&real);
        if !cookies.is_empty() {
            request = request.header(COOKIE, cookies.join("; "));
        }
        let response = request.send().await.expect("the request is answered");
        for header in response.headers().get_all(SET_COOKIE) {
            self.keep(&site, header.to_str().unwrap());
        }
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        Reply { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::Null), text }
    }

    fn keep(&mut self, site: &str, set_cookie: &str) {
        let mut parts = set_cookie.split(';').map(str::trim);
        let (name, value) = parts.next().unwrap().split_once('=').unwrap();
        let mut path = "/".to_owned();
        let mut removed = value.is_empty();
        for attribute in parts {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            match key.to_ascii_lowercase().as_str() {
                "path" => path = val.to_owned(),
                "max-age" => removed |= val == "0",
                "expires" => removed |= val.contains("1970"),
                _ => {}
            }
        }
        self.jar.retain(|c| !(c.site == site && c.name == name && c.path == path));
        if !removed {
            self.jar.push(StoredCookie { site: site.into(), name: name.into(), value: value.into(), path });
        }
    }

    fn cookie(&self, name: &str) -> Option<&str> {
        self.jar.iter().find(|c| c.name == name).map(|c| c.value.as_str())
    }

    /// Starts signing in at the app and follows the provider's redirects
    /// until the provider sends the browser back; returns that callback URL,
    /// not yet opened.
    async fn visit_the_provider(&mut self, return_to: &str) -> String {
        let mut url = format!("{PUBLIC_URL}/api/v1/auth/oidc/start?return_to={}", encode(return_to));
        for _ in 0..10 {
            let reply = self.open(&url).await;
            assert!(matches!(reply.status, 302 | 303), "a redirect from {url}: {} {}", reply.status, reply.text);
            let location = reply.header("location").unwrap();
            url = if location.starts_with('/') {
                let (site, _) = site_and_path(&url);
                format!("http://{site}{location}")
            } else {
                location.to_owned()
            };
            if url.starts_with(CALLBACK) {
                return url;
            }
        }
        panic!("the provider never sent the browser back");
    }

    /// The whole sign-in; returns the app's answer to the callback.
    async fn sign_in(&mut self, return_to: &str) -> Reply {
        let callback = self.visit_the_provider(return_to).await;
        self.open(&callback).await
    }
}

fn site_and_path(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (site, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    (site.to_owned(), if path.is_empty() { "/".to_owned() } else { path.to_owned() })
}

/// `url` with the query parameter `name` set to `value` instead.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap();
    let params: Vec<String> = query
        .split('&')
        .map(|pair| if pair.starts_with(&format!("{name}=")) { format!("{name}={value}") } else { pair.to_owned() })
        .collect();
    format!("{base}?{}", params.join("&"))
}

fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)]).unwrap().trim_start_matches('=').to_owned()
}

/// The `name=value` of the cookie named `name` that `reply` sets.
fn set_cookie<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap()).find(|v| v.starts_with(&format!("{name}=")))
}

/// Sessions started by signing in (the harness's admin token has one of its own).
fn sessions_started(app: &TestApp) -> i64 {
    let admin = app.admin_id.clone();
    app.db
        .query_blocking(move |conn| {
            db_run!(conn, |c| sessions::table.filter(sessions::user_id.ne(&admin)).count().get_result::<i64>(c))
        })
        .unwrap()
}

fn stored(app: &TestApp, id: &str) -> UserRow {
    let id = id.to_owned();
    app.db.query_blocking(move |conn| users::find(conn, &id)).unwrap().expect("the user is live")
}

async fn refresh(app: &TestApp, session_cookie: &str) -> Reply {
    app.raw(app.client.post(format!("{}/api/v1/auth/refresh", app.base)).header(COOKIE, session_cookie)).await
}

/// The sign-in was refused or failed: sent to `location`, no session, and
/// the binding cookie cleared.
fn assert_no_session(app: &TestApp, reply: &Reply, location: &str) {
    assert_eq!(reply.status, 302, "{}", reply.text);
    assert_eq!(reply.header("location"), Some(location));
    assert!(set_cookie(reply, SESSION_COOKIE).is_none(), "no refresh cookie");
    assert!(set_cookie(reply, BINDING_COOKIE).is_some_and(|c| c.contains("Max-Age=0")), "the binding is cleared");
    assert_eq!(sessions_started(app), 0, "no session was started");
}

#[tokio::test]
async fn signing_in_links_the_subject_records_the_sign_in_and_starts_a_session() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let ada = app.insert_user("Ada", "Lovelace", "ada.lovelace@education.gov.uk", false, true);
    provider.will_sign_in("dfe-sub-ada", "Ada.Lovelace@education.gov.uk", "Ada", "Lovelace").await;

    let mut browser = Browser::new(&app);
    let reply = browser.sign_in("/users").await;

    assert_eq!(reply.status, 302, "{}", reply.text);
    assert_eq!(reply.header("location"), Some("/users"));
    let session = set_cookie(&reply, SESSION_COOKIE).expect("the refresh cookie is set").to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/api/v1/auth"] {
        assert!(session.contains(part), "{session} lacks {part}");
    }
    assert!(set_cookie(&reply, BINDING_COOKIE).unwrap().contains("Max-Age=0"), "the binding is cleared");
    let user = stored(&app, &ada);
    assert_eq!(user.dfe_sign_in_subject.as_deref(), Some("dfe-sub-ada"));
    assert!(user.last_signed_in_at.is_some());

    let refreshed = refresh(&app, session.split(';').next().unwrap()).await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    assert_eq!(refreshed.body["user"]["id"], ada.as_str());
    assert_eq!(refreshed.body["user"]["editable_fields"], json!(["api_user", "active"]), "the edit lock starts");

    let activity = app.get(&format!("/api/v1/users/{ada}/activity")).await;
    let entry = &activity.body["items"][0];
    assert_eq!(entry["action"], "user.signed_in");
    assert_eq!(entry["details"], json!({"method": "oidc"}));
    assert_eq!(entry["changes"], Value::Null, "nothing to copy");
}

#[tokio::test]
async fn the_start_redirects_with_pkce_state_and_nonce_and_binds_the_browser() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let mut browser = Browser::new(&app);
    let reply = browser.open("/api/v1/auth/oidc/start?return_to=/users").await;

    assert_eq!(reply.status, 302);
    let location = reply.header("location").unwrap();
    assert!(location.starts_with(&format!("{}/auth?", provider.issuer())), "{location}");
    for part in ["response_type=code", "client_id=users-api", "code_challenge_method=S256", "code_challenge=", "state="]
    {
        assert!(location.contains(part), "{location} lacks {part}");
    }
    assert!(location.contains("nonce=") && location.contains("scope=openid+email+profile"), "{location}");
    let binding = set_cookie(&reply, BINDING_COOKIE).expect("the binding cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/api/v1/auth/oidc", "Max-Age=600"] {
        assert!(binding.contains(part), "{binding} lacks {part}");
    }
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn a_second_sign_in_with_the_same_subject_finds_the_user_and_copies_the_new_details() {
    let (provider, app, ada) = ada_can_sign_in().await;
    assert_eq!(Browser::new(&app).sign_in("/users").await.header("location"), Some("/users"));

    provider.will_sign_in("dfe-sub-ada", "augusta.king@education.gov.uk", "Augusta", "King").await;
    let again = Browser::new(&app).sign_in("/users").await;

    assert_eq!(again.header("location"), Some("/users"), "{}", again.text);
    assert!(set_cookie(&again, SESSION_COOKIE).is_some());
    let user = stored(&app, &ada);
    assert_eq!((user.first_name.as_str(), user.last_name.as_str()), ("Augusta", "King"));
    assert_eq!(user.email, "augusta.king@education.gov.uk");
    let activity = app.get(&format!("/api/v1/users/{ada}/activity")).await;
    let entry = &activity.body["items"][0];
    assert_eq!(entry["action"], "user.signed_in");
    assert_eq!(entry["details"], json!({"method": "oidc"}));
    assert_eq!(
        entry["changes"],
        json!({
            "first_name": ["Ada", "Augusta"],
            "last_name": ["Lovelace", "King"],
            "email": ["ada.lovelace@education.gov.uk", "augusta.king@education.gov.uk"],
        })
    );
}

#[tokio::test]
async fn details_the_rules_refuse_or_another_user_has_are_not_copied() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let ada = app.insert_user("Ada", "Lovelace", "ada.lovelace@education.gov.uk", false, true);
    app.insert_user("Grace", "Hopper", "grace.hopper@education.gov.uk", false, true);
    provider.will_sign_in("dfe-sub-ada", "ada.lovelace@education.gov.uk", "Ada", "Lovelace").await;
    Browser::new(&app).sign_in("/users").await;

    provider.will_sign_in("dfe-sub-ada", "grace.hopper@education.gov.uk", "  ", "Byron").await;
    let again = Browser::new(&app).sign_in("/users").await;

    assert_eq!(again.header("location"), Some("/users"), "still signed in");
    let user = stored(&app, &ada);
    assert_eq!((user.first_name.as_str(), user.last_name.as_str()), ("Ada", "Byron"));
    assert_eq!(user.email, "ada.lovelace@education.gov.uk", "the address is another user's");
}

#[tokio::test]
async fn profile_claims_served_only_by_userinfo_are_used() {
    let provider = Provider::start_on(free_port(), &["--userinfo-claims"]);
    let app = app_with(&provider).await;
    let ada = app.insert_user("Ada", "Lovelace", "ada.lovelace@education.gov.uk", false, true);
    provider.will_sign_in("dfe-sub-ada", "ada.lovelace@education.gov.uk", "Augusta", "Lovelace").await;

    let reply = Browser::new(&app).sign_in("/users").await;

    assert_eq!(reply.header("location"), Some("/users"), "{}", reply.text);
    let user = stored(&app, &ada);
    assert_eq!(user.dfe_sign_in_subject.as_deref(), Some("dfe-sub-ada"));
    assert_eq!(user.first_name, "Augusta");
}

#[tokio::test]
async fn a_wrong_state_is_refused() {
    let (_provider, app, _) = ada_can_sign_in().await;
    let mut browser = Browser::new(&app);
    let callback = browser.visit_the_provider("/users").await;

    let tampered = browser.open(&with_param(&callback, "state", "not-the-state")).await;
    assert_no_session(&app, &tampered, FAILED);
    let without = browser.open(&callback.replace("state=", "ignored=")).await;
    assert_no_session(&app, &without, FAILED);
}

#[tokio::test]
async fn a_state_is_used_once() {
    let (_provider, app, _) = ada_can_sign_in().await;
    let mut browser = Browser::new(&app);
    let callback = browser.visit_the_provider("/users").await;
    let binding = browser.cookie(BINDING_COOKIE).unwrap().to_owned();
    assert_eq!(browser.open(&callback).await.header("location"), Some("/users"));

    let sessions_before = sessions_started(&app);

    // The browser kept its binding cookie (or it was copied with the URL).
    browser.keep("users.test", &format!("{BINDING_COOKIE}={binding}; Path=/api/v1/auth/oidc"));
    let replayed = browser.open(&callback).await;
    assert_eq!(replayed.header("location"), Some(FAILED));
    assert!(set_cookie(&replayed, SESSION_COOKIE).is_none());
    assert_eq!(sessions_started(&app), sessions_before);
}

#[tokio::test]
async fn an_expired_state_is_refused() {
    let (_provider, app, _) = ada_can_sign_in().await;
    let mut browser = Browser::new(&app);
    let callback = browser.visit_the_provider("/users").await;
    // The browser took longer than the ten minutes a sign-in may take.
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
    app.db
        .query_blocking(move |conn| {
            Ok(db_run!(conn, |c| diesel::update(oidc_sign_ins::table)
                .set(oidc_sign_ins::expires_at.eq(past))
                .execute(c))?)
        })
        .unwrap();

    let reply = browser.open(&callback).await;
    assert_no_session(&app, &reply, FAILED);
}

#[tokio::test]
async fn a_callback_opened_in_another_browser_is_refused() {
    let (_provider, app, _) = ada_can_sign_in().await;

    // No binding cookie at all.
    let callback = Browser::new(&app).visit_the_provider("/users").await;
    let elsewhere = Browser::new(&app).open(&callback).await;
    assert_no_session(&app, &elsewhere, FAILED);

    // A binding cookie of its own: the victim of a login CSRF has one.
    let callback = Browser::new(&app).visit_the_provider("/users").await;
    let mut victim = Browser::new(&app);
    victim.open("/api/v1/auth/oidc/start?return_to=/users").await;
    assert!(victim.cookie(BINDING_COOKIE).is_some());
    let crossed = victim.open(&callback).await;
    assert_no_session(&app, &crossed, FAILED);
}

/// Signs in with the next ID token tampered with; the answer.
async fn sign_in_with_a_tampered_id_token(tampering: Value) -> (TestApp, Reply, Provider) {
    let (provider, app, ada) = ada_can_sign_in().await;
    provider.will_tamper_with_the_next_id_token(tampering).await;
    let reply = Browser::new(&app).sign_in("/users").await;
    let user = stored(&app, &ada);
    assert_eq!(user.dfe_sign_in_subject, None, "nothing was linked");
    assert_eq!(user.last_signed_in_at, None, "no sign-in was recorded");
    (app, reply, provider)
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let (app, reply, _provider) = sign_in_with_a_tampered_id_token(json!({"claims": {"nonce": "another"}})).await;
    assert_no_session(&app, &reply, FAILED);
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    let (app, reply, _provider) =
        sign_in_with_a_tampered_id_token(json!({"claims": {"aud": "another-client", "azp": "another-client"}})).await;
    assert_no_session(&app, &reply, FAILED);
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let claims = json!({"iat": now - 3600, "exp": now - 60});
    let (app, reply, _provider) = sign_in_with_a_tampered_id_token(json!({ "claims": claims })).await;
    assert_no_session(&app, &reply, FAILED);
}

#[tokio::test]
async fn an_id_token_from_another_issuer_is_refused() {
    let (app, reply, _provider) =
        sign_in_with_a_tampered_id_token(json!({"claims": {"iss": "http://127.0.0.1:1"}})).await;
    assert_no_session(&app, &reply, FAILED);
}

#[tokio::test]
async fn an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused() {
    let (app, reply, _provider) = sign_in_with_a_tampered_id_token(json!({"foreign_key": true})).await;
    assert_no_session(&app, &reply, FAILED);
}

#[tokio::test]
async fn a_code_the_provider_did_not_issue_is_refused() {
    let (_provider, app, _) = ada_can_sign_in().await;
    let mut browser = Browser::new(&app);
    let callback = browser.visit_the_provider("/users").await;

    let reply = browser.open(&with_param(&callback, "code", "made-up")).await;
    assert_no_session(&app, &reply, FAILED);
}

#[tokio::test]
async fn unknown_inactive_and_deleted_accounts_are_not_authorised() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    app.insert_user("Charles", "Babbage", "charles.babbage@education.gov.uk", false, false);
    let deleted = app.create_user("Mary", "Jackson", "mary.jackson@education.gov.uk", false).await;
    let path = format!("/api/v1/users/{}", deleted["id"].as_str().unwrap());
    assert_eq!(app.delete(&path).await.status, 204);

    for (sub, email) in [
        ("dfe-sub-unknown", "nobody@education.gov.uk"),
        ("dfe-sub-charles", "charles.babbage@education.gov.uk"),
        ("dfe-sub-mary", "mary.jackson@education.gov.uk"),
    ] {
        provider.will_sign_in(sub, email, "Some", "One").await;
        let reply = Browser::new(&app).sign_in("/users").await;
        assert_no_session(&app, &reply, NOT_AUTHORISED);
    }
}

#[tokio::test]
async fn an_address_the_provider_does_not_say_it_verified_is_never_used_to_link_or_copy() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let ada = app.insert_user("Ada", "Lovelace", "ada.lovelace@education.gov.uk", false, true);
    for verified in [json!("omit"), json!(false)] {
        provider
            .control(
                "next-login",
                json!({"sub": "dfe-sub-ada", "email": "ada.lovelace@education.gov.uk", "email_verified": verified,
                       "given_name": "Ada", "family_name": "Lovelace"}),
            )
            .await;
        let reply = Browser::new(&app).sign_in("/users").await;
        assert_no_session(&app, &reply, NOT_AUTHORISED);
        assert_eq!(stored(&app, &ada).dfe_sign_in_subject, None, "email_verified {verified}: not linked");
    }
    // Linked once by a verified address, a later unverified one is not copied.
    provider.will_sign_in("dfe-sub-ada", "ada.lovelace@education.gov.uk", "Ada", "Lovelace").await;
    assert_eq!(Browser::new(&app).sign_in("/users").await.header("location"), Some("/users"));
    provider
        .control(
            "next-login",
            json!({"sub": "dfe-sub-ada", "email": "augusta.king@education.gov.uk", "email_verified": "omit",
                   "given_name": "Ada", "family_name": "Lovelace"}),
        )
        .await;
    assert_eq!(Browser::new(&app).sign_in("/users").await.header("location"), Some("/users"));
    assert_eq!(stored(&app, &ada).email, "ada.lovelace@education.gov.uk");
}

#[tokio::test]
async fn a_unicode_look_alike_address_never_matches_an_account() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let kate = app.insert_user("Kate", "Sheppard", "kate.sheppard@education.gov.uk", false, true);
    // U+212A KELVIN SIGN lower-cases to an ASCII `k` under full Unicode rules.
    provider.will_sign_in("dfe-sub-kate", "\u{212A}ate.sheppard@education.gov.uk", "Kate", "Sheppard").await;
    let reply = Browser::new(&app).sign_in("/users").await;
    assert_no_session(&app, &reply, NOT_AUTHORISED);
    assert_eq!(stored(&app, &kate).dfe_sign_in_subject, None);
}

#[tokio::test]
async fn a_linked_subject_of_a_user_later_deactivated_or_deleted_is_not_authorised() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let ada = app.create_user("Ada", "Lovelace", "ada.lovelace@education.gov.uk", false).await;
    let path = format!("/api/v1/users/{}", ada["id"].as_str().unwrap());
    provider.will_sign_in("dfe-sub-ada", "ada.lovelace@education.gov.uk", "Ada", "Lovelace").await;
    let first = Browser::new(&app).sign_in("/users").await;
    assert_eq!(first.header("location"), Some("/users"));
    let cookie = set_cookie(&first, SESSION_COOKIE).unwrap().split(';').next().unwrap().to_owned();

    assert_eq!(app.patch(&path, json!({"active": false})).await.status, 200);
    let inactive = Browser::new(&app).sign_in("/users").await;
    assert_eq!(inactive.header("location"), Some(NOT_AUTHORISED));
    assert!(set_cookie(&inactive, SESSION_COOKIE).is_none());
    assert_eq!(refresh(&app, &cookie).await.status, 401, "deactivating ended the session");

    assert_eq!(app.delete(&path).await.status, 204);
    let deleted = Browser::new(&app).sign_in("/users").await;
    assert_eq!(deleted.header("location"), Some(NOT_AUTHORISED));
    assert!(set_cookie(&deleted, SESSION_COOKIE).is_none());
}

#[tokio::test]
async fn a_different_subject_for_an_already_linked_email_is_refused() {
    let (provider, app, ada) = ada_can_sign_in().await;
    assert_eq!(Browser::new(&app).sign_in("/users").await.header("location"), Some("/users"));
    let sessions_before = sessions_started(&app);

    provider.will_sign_in("dfe-sub-impostor", "ada.lovelace@education.gov.uk", "Ada", "Lovelace").await;
    let reply = Browser::new(&app).sign_in("/users").await;

    assert_eq!(reply.header("location"), Some(NOT_AUTHORISED));
    assert!(set_cookie(&reply, SESSION_COOKIE).is_none());
    assert_eq!(sessions_started(&app), sessions_before);
    assert_eq!(stored(&app, &ada).dfe_sign_in_subject.as_deref(), Some("dfe-sub-ada"));
}

#[tokio::test]
async fn return_to_outside_this_origin_is_ignored() {
    let (_provider, app, _) = ada_can_sign_in().await;
    for attempt in ["//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example", "evil.example"] {
        let reply = Browser::new(&app).sign_in(attempt).await;
        assert_eq!(reply.status, 302);
        assert_eq!(reply.header("location"), Some("/"), "{attempt:?}");
    }
    let kept = Browser::new(&app).sign_in("/users/0193b0c2?page=2").await;
    assert_eq!(kept.header("location"), Some("/users/0193b0c2?page=2"));
}

#[tokio::test]
async fn without_oidc_configuration_both_endpoints_are_404_and_the_config_says_so() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/auth/oidc/start", "/api/v1/auth/oidc/callback?state=x&code=y"] {
        let reply = app.request(Method::GET, path, None, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.header("content-type"), Some("application/problem+json"));
    }
    let config = app.request(Method::GET, "/api/v1/auth/config", None, None).await;
    assert_eq!(config.body["oidc"], false);
}

#[tokio::test]
async fn with_oidc_configuration_the_config_says_so_and_other_methods_are_405() {
    let provider = Provider::start();
    let app = app_with(&provider).await;
    let config = app.request(Method::GET, "/api/v1/auth/config", None, None).await;
    assert_eq!(config.body["oidc"], true);
    let post = app.request(Method::POST, "/api/v1/auth/oidc/start", None, None).await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET"));
}

#[tokio::test]
async fn the_service_starts_while_the_provider_is_down_and_answers_503_until_it_is_back() {
    let port = free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let app = TestApp::spawn_with(&[
        ("OIDC_ISSUER_URL", issuer.as_str()),
        ("OIDC_CLIENT_ID", CLIENT_ID),
        ("OIDC_CLIENT_SECRET", CLIENT_SECRET),
    ])
    .await;
    let mut browser = Browser::new(&app);
    let down = browser.open("/api/v1/auth/oidc/start?return_to=/users").await;
    assert_eq!(down.status, 503, "{}", down.text);
    assert_eq!(down.header("content-type"), Some("application/problem+json"));
    assert!(down.header(LOCATION.as_str()).is_none());
    assert_eq!(app.request(Method::GET, "/health/ready", None, None).await.status, 200);

    let _provider = Provider::start_on(port, &[]);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let up = browser.open("/api/v1/auth/oidc/start?return_to=/users").await;
    assert_eq!(up.status, 302, "{}", up.text);
}

#[tokio::test]
async fn the_start_is_rate_limited() {
    let provider = Provider::start();
    let issuer = provider.issuer();
    let app = TestApp::spawn_with(&[
        ("OIDC_ISSUER_URL", issuer.as_str()),
        ("OIDC_CLIENT_ID", CLIENT_ID),
        ("OIDC_CLIENT_SECRET", CLIENT_SECRET),
        ("SIGN_IN_RATE_LIMIT", "2"),
    ])
    .await;
    let mut browser = Browser::new(&app);
    for _ in 0..2 {
        assert_eq!(browser.open("/api/v1/auth/oidc/start").await.status, 302);
    }
    let limited = browser.open("/api/v1/auth/oidc/start").await;
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
}
