//! The service's log never holds a secret: the real binary, at its most
//! verbose level, through a whole working session.

use std::time::Duration;

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{Reply, ServerProcess, TestApp, JWT_SECRET};
use crate::smtp::{free_port, Behaviour, SmtpSink};
use users_api::email::outbox;

const CLIENT_TOKEN_KEY: &str = "client-token-key-client-token-key-0123456789";

struct Session<'a> {
    app: &'a TestApp,
    base: String,
}

impl Session<'_> {
    async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = self.app.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.app.raw(request).await
    }

    async fn with_cookie(&self, path: &str, cookie: &str) -> Reply {
        self.app.raw(self.app.client.post(format!("{}{path}", self.base)).header(COOKIE, cookie)).await
    }
}

/// `name=value` of the refresh cookie a reply sets.
fn cookie_of(reply: &Reply) -> String {
    let header = reply.headers.get(SET_COOKIE).expect("a Set-Cookie header").to_str().unwrap();
    header.split(';').next().unwrap().to_owned()
}

fn access_token(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["access_token"].as_str().unwrap().to_owned()
}

/// Signs in, refreshes, adds a user (whose invitation goes out), adds an API
/// client and uses, rotates and uses it again, signs out; then no access
/// token, refresh cookie, client token, configured secret or email text is
/// anywhere in the log of `RUST_LOG=trace`.
#[tokio::test]
async fn a_whole_session_at_trace_level_logs_no_token_secret_or_email_text() {
    let sink = SmtpSink::start(free_port());
    // This process's own email worker must leave the outbox to the server
    // under test, so it looks only once a minute.
    let app = TestApp::spawn_with(&[("API_CLIENT_TOKEN_KEY", CLIENT_TOKEN_KEY), ("EMAIL_POLL_MS", "60000")]).await;
    let process =
        ServerProcess::start_with(&app, &[("RUST_LOG", "trace"), ("SMTP_URL", &sink.url()), ("EMAIL_POLL_MS", "50")])
            .await;
    let session = Session { app: &app, base: process.base.clone() };
    let mut secrets: Vec<(&str, String)> =
        vec![("JWT_SECRET", JWT_SECRET.to_owned()), ("API_CLIENT_TOKEN_KEY", CLIENT_TOKEN_KEY.to_owned())];

    let signed_in = session
        .send(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": "admin.support@education.gov.uk"})))
        .await;
    let first_token = access_token(&signed_in);
    let first_cookie = cookie_of(&signed_in);
    let refreshed = session.with_cookie("/api/v1/auth/refresh", &first_cookie).await;
    let token = access_token(&refreshed);
    let cookie = cookie_of(&refreshed);

    let created = session
        .send(
            Method::POST,
            "/api/v1/users",
            Some(&token),
            Some(json!({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@education.gov.uk", "api_user": false})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);

    let client = session.send(Method::POST, "/api/v1/api-clients", Some(&token), Some(json!({"name": "Feed"}))).await;
    assert_eq!(client.status, 201, "{}", client.text);
    let first_client_token = client.body["token"].as_str().unwrap().to_owned();
    let feed = session.send(Method::GET, "/api/v1/providers", Some(&first_client_token), None).await;
    assert_eq!(feed.status, 200, "{}", feed.text);
    let rotate = format!("/api/v1/api-clients/{}/rotate", client.body["id"].as_str().unwrap());
    let rotated = session.send(Method::POST, &rotate, Some(&token), None).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let client_token = rotated.body["token"].as_str().unwrap().to_owned();
    for credential in [&client_token, &first_client_token] {
        assert_eq!(session.send(Method::GET, "/api/v1/providers", Some(credential), None).await.status, 200);
    }
    // Refusals take other paths through the code: they must not log what was sent either.
    // (Its last character changed: to `y` when it was an `x` already.)
    let last = if client_token.ends_with('x') { 'y' } else { 'x' };
    let forged = format!("{}{last}", &client_token[..client_token.len() - 1]);
    assert_eq!(session.send(Method::GET, "/api/v1/providers", Some(&forged), None).await.status, 401);
    // Swapped once more, the first cookie is no longer the one just replaced.
    let newest = session.with_cookie("/api/v1/auth/refresh", &cookie).await;
    assert_eq!(newest.status, 200, "{}", newest.text);
    let replayed = session.with_cookie("/api/v1/auth/refresh", &first_cookie).await;
    assert_eq!(replayed.status, 401, "a replayed cookie ends the session");
    let again = session
        .send(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": "admin.support@education.gov.uk"})))
        .await;
    let last_token = access_token(&again);
    let last_cookie = cookie_of(&again);
    assert_eq!(session.send(Method::GET, "/api/v1/me", Some(&last_token), None).await.status, 200);

    // A positive control: what the log should hold, it does.
    let probe = session
        .app
        .raw(
            session
                .app
                .client
                .get(format!("{}/api/v1/me", session.base))
                .bearer_auth(&last_token)
                .header("X-Request-Id", "log-probe-0451"),
        )
        .await;
    assert_eq!(probe.status, 200, "{}", probe.text);
    assert_eq!(session.with_cookie("/api/v1/auth/sign-out", &last_cookie).await.status, 204);

    let mail = sink.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(mail.len(), 1, "the invitation went out through the server under test: {mail:?}");
    let email_text = mail[0]["text"].as_str().unwrap().to_owned();

    for (name, token) in
        [("first access token", &first_token), ("refreshed access token", &token), ("last access token", &last_token)]
    {
        secrets.push((name, token.clone()));
        secrets.push((name, token.rsplit('.').next().unwrap().to_owned()));
    }
    for (name, cookie) in
        [("first refresh cookie", &first_cookie), ("rotated cookie", &cookie), ("last cookie", &last_cookie)]
    {
        secrets.push((name, cookie.split_once('=').unwrap().1.to_owned()));
    }
    for (name, credential) in
        [("client token", &client_token), ("rotated-out client token", &first_client_token), ("forged", &forged)]
    {
        secrets.push((name, credential["dfe_rtp_".len()..].to_owned()));
    }
    secrets.push(("client token prefix", "dfe_rtp_".to_owned()));
    let sentences: Vec<&str> = email_text.lines().map(str::trim).filter(|l| l.len() >= 20).collect();
    assert!(sentences.len() >= 2, "the email has text to look for: {email_text}");
    for sentence in &sentences {
        secrets.push(("email text", (*sentence).to_owned()));
    }

    let log = process.log();
    let lines = log.lines().count();
    println!("log_secrets: scanned {lines} log lines ({} bytes) for {} secrets", log.len(), secrets.len());
    assert!(log.contains("\"level\":\"TRACE\""), "the log is at trace level");
    assert!(log.contains("email sent"), "the server under test sent the email");
    assert!(log.contains("log-probe-0451"), "the log has every request in it");
    assert!(lines >= 20, "the log has the session in it: {log}");
    for (name, secret) in &secrets {
        assert!(secret.len() >= 8, "{name} is long enough to search for");
        if let Some(line) = log.lines().find(|line| line.contains(secret.as_str())) {
            panic!("the log holds a secret ({name}): {line}");
        }
    }
}

/// SMTP servers often repeat the recipient's address when they refuse it
/// (`550 5.1.1 <ada@…>: Recipient address rejected`), and lettre's error text
/// carries the reply: the reason the worker logs and stores names no address
/// and quotes no part of the message.
#[tokio::test]
async fn an_smtp_refusal_that_names_the_recipient_leaves_no_address_in_the_log_or_the_outbox() {
    let sink = SmtpSink::start_with(free_port(), Behaviour { refuse_recipients: true, ..Behaviour::default() });
    // As above: this process's own worker leaves the outbox to the server under test.
    let app = TestApp::spawn_with(&[("EMAIL_POLL_MS", "60000")]).await;
    let process =
        ServerProcess::start_with(&app, &[("RUST_LOG", "trace"), ("SMTP_URL", &sink.url()), ("EMAIL_POLL_MS", "50")])
            .await;
    let session = Session { app: &app, base: process.base.clone() };
    let address = "refused.recipient@education.gov.uk";
    let created = session
        .send(
            Method::POST,
            "/api/v1/users",
            Some(&app.admin_token),
            Some(json!({"first_name": "Ada", "last_name": "Lovelace", "email": address, "api_user": false})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_str().unwrap().to_owned();

    let started = std::time::Instant::now();
    let row = loop {
        let id = id.clone();
        let row = app.db.query_blocking(move |conn| outbox::for_user(conn, &id)).unwrap().remove(0);
        if row.status == "failed" {
            break row;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "the refusal was recorded: still {}", row.status);
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(row.attempts, 1, "a 550 is not retried");
    assert!(sink.messages().is_empty(), "nothing was accepted");

    let log = process.log();
    let refusal: Vec<&str> = log.lines().filter(|line| line.contains("email not sent")).collect();
    assert_eq!(refusal.len(), 1, "the refusal is logged once: {log}");
    assert!(refusal[0].contains("Recipient address rejected"), "with the server's reason: {}", refusal[0]);
    let body: Vec<&str> = row.text_body.lines().map(str::trim).filter(|l| l.len() >= 20).collect();
    assert!(body.len() >= 2, "the email has text to look for: {}", row.text_body);
    let stored = row.last_error.clone().unwrap_or_default();
    for (name, text) in [("the address", address), ("its local part", "refused.recipient")]
        .into_iter()
        .chain(body.iter().map(|line| ("the email's text", *line)))
    {
        if let Some(line) = log.lines().find(|line| line.contains(text)) {
            panic!("the log holds {name}: {line}");
        }
        assert!(!stored.contains(text), "last_error holds {name}: {stored}");
    }
    assert_eq!(
        row.last_error.as_deref(),
        Some("SMTP: permanent error (550): 5.1.1 <address>: Recipient address rejected: User unknown")
    );
}
