//! The security review of December 2026 (issue 21): what it found, each as
//! the behaviour that now holds. (Items with a natural home are tested
//! there: rate limits, sessions, OIDC, metrics, the outbox.)

use std::sync::mpsc;
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use reqwest::Method;
use serde_json::json;

use crate::harness::{backend, TestApp};

#[tokio::test]
async fn a_statement_cut_short_by_the_statement_timeout_answers_503_at_once() {
    if backend() != "postgres" {
        eprintln!("note: the statement timeout is PostgreSQL's; skipped on {}", backend());
        return;
    }
    let app = TestApp::spawn_with(&[("DB_STATEMENT_TIMEOUT", "300ms")]).await;
    let url = app.env["DATABASE_URL"].clone();
    let (locked, release) = (mpsc::channel(), mpsc::channel::<()>());
    let holder = std::thread::spawn(move || {
        let mut c = diesel::pg::PgConnection::establish(&url).unwrap();
        diesel::sql_query("BEGIN").execute(&mut c).unwrap();
        diesel::sql_query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE").execute(&mut c).unwrap();
        locked.0.send(()).unwrap();
        let _ = release.1.recv_timeout(Duration::from_secs(30));
        diesel::sql_query("ROLLBACK").execute(&mut c).unwrap();
    });
    locked.1.recv().unwrap();
    let started = Instant::now();
    let reply = app.get("/api/v1/users").await;
    let took = started.elapsed();
    release.0.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.body["type"], "urn:problem:unavailable");
    assert!(took < Duration::from_secs(3), "cut off by the 300 ms timeout, not the 5 s lock wait: {took:?}");
    assert_eq!(app.get("/api/v1/users").await.status, 200, "the connection is usable again");
}

#[tokio::test]
async fn names_with_invisible_format_characters_are_refused_with_the_control_character_message() {
    let app = TestApp::spawn().await;
    for (i, name) in ["Ada\u{202E}ecalevol", "Ada\u{200B}", "\u{2066}Ada", "Ada\u{FEFF}"].into_iter().enumerate() {
        let reply = app
            .post(
                "/api/v1/users",
                json!({"first_name": name, "last_name": name, "email": format!("f{i}@education.gov.uk"), "api_user": false}),
            )
            .await;
        assert_eq!(reply.status, 422, "{name:?}: {}", reply.text);
        assert_eq!(
            reply.errors(),
            [
                (
                    "first_name".to_owned(),
                    "First name must not include line breaks or other control characters".to_owned()
                ),
                (
                    "last_name".to_owned(),
                    "Last name must not include line breaks or other control characters".to_owned()
                ),
            ],
            "{name:?}"
        );
    }
    assert_eq!(app.get("/api/v1/users").await.body["total"], 1, "nothing was stored");
}

#[tokio::test]
async fn an_empty_changed_since_is_refused_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/v1/providers?changed_since=").await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        reply.errors(),
        [("changed_since".to_owned(), "Changed since must be a date and time, like 2025-12-11T14:13:00Z".to_owned())]
    );
}

/// Rows the sweep should remove and rows it should keep, in every table it
/// looks after, aged by SQL (the service's own clock is not moved).
fn plant_old_rows(app: &TestApp) {
    let pg = backend() == "postgres";
    let ago = |days: i64| {
        if pg {
            format!("(now() AT TIME ZONE 'UTC') - INTERVAL '{days} days'")
        } else {
            format!("datetime('now', '{:+} days')", -days)
        }
    };
    let user = &app.admin_id;
    for (id, days, revoked) in [("s-old", 40, false), ("s-ended", 3, true), ("s-live", 0, false)] {
        let expires = if days > 0 { ago(days - 1) } else { ago(-1) };
        let revoked = if revoked { ago(days) } else { "NULL".into() };
        app.sql(&format!(
            "INSERT INTO sessions (id, user_id, method, created_at, last_used_at, expires_at, revoked_at) \
             VALUES ('{id}', '{user}', 'dev', {c}, {c}, {expires}, {revoked})",
            c = ago(days)
        ));
        app.sql(&format!(
            "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ('t-{id}', '{id}', {})",
            ago(days)
        ));
    }
    for (id, days) in [("o-old", 40), ("o-new", 1)] {
        app.sql(&format!(
            "INSERT INTO outbox_emails (id, kind, user_id, recipient, subject, text_body, html_body, status, attempts, \
             next_attempt_at, created_at, updated_at, sent_at) VALUES ('{id}', 'invitation', '{user}', 'x@education.gov.uk', \
             's', 't', 'h', 'sent', 1, {c}, {c}, {c}, {c})",
            c = ago(days)
        ));
    }
    app.sql(&format!(
        "INSERT INTO oidc_sign_ins (state, nonce, pkce_verifier, browser_hash, return_to, created_at, expires_at) \
         VALUES ('old-state', 'n', 'v', 'b', '/', {}, {})",
        ago(2),
        ago(1)
    ));
    app.sql("INSERT INTO rate_limit_buckets (bucket_key, minute, hits) VALUES ('ip:192.0.2.1', 1, 5)");
}

fn count(app: &TestApp, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = sql.to_owned();
    app.db
        .query_blocking(move |conn| {
            users_api::db_run!(conn, |c| diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {sql}"))
                .get_result::<Count>(c))
        })
        .unwrap()
        .n
}

#[tokio::test]
async fn the_sweep_prunes_what_has_ended_and_keeps_what_has_not() {
    let app = TestApp::spawn_with(&[("PRUNE_INTERVAL", "1s")]).await;
    plant_old_rows(&app);
    let deadline = Instant::now() + Duration::from_secs(15);
    while count(&app, "sessions WHERE id IN ('s-old', 's-ended')") > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(count(&app, "sessions WHERE id IN ('s-old', 's-ended')"), 0, "expired and ended sessions go");
    assert_eq!(count(&app, "refresh_tokens WHERE session_id IN ('s-old', 's-ended')"), 0, "with their tokens");
    assert_eq!(count(&app, "sessions WHERE id = 's-live'"), 1, "a live session stays");
    assert_eq!(count(&app, "refresh_tokens WHERE session_id = 's-live'"), 1);
    assert_eq!(count(&app, "outbox_emails WHERE id = 'o-old'"), 0, "sent email past OUTBOX_RETENTION_DAYS goes");
    assert_eq!(count(&app, "outbox_emails WHERE id = 'o-new'"), 1, "recent email stays");
    assert_eq!(count(&app, "oidc_sign_ins WHERE state = 'old-state'"), 0, "an expired sign-in goes");
    assert_eq!(count(&app, "rate_limit_buckets WHERE minute = 1"), 0, "an old counter goes");
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&app.admin_token), None).await.status, 200);
}

#[tokio::test]
async fn the_last_support_user_guard_holds_when_the_server_defaults_to_repeatable_read() {
    if backend() != "postgres" {
        eprintln!("note: transaction isolation is PostgreSQL's; skipped on {}", backend());
        return;
    }
    let app = TestApp::spawn().await;
    let bea = app.insert_user("Bea", "Other", "bea@education.gov.uk", false, true);
    let url = app.env["DATABASE_URL"].clone();
    // Each side deactivates the other if the guard lets it, as PATCH does.
    let deactivate =
        move |actor: String, target: String, first: Option<mpsc::Sender<()>>, wait: Option<mpsc::Receiver<()>>| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut pg = diesel::pg::PgConnection::establish(&url).unwrap();
                diesel::sql_query("SET default_transaction_isolation = 'repeatable read'").execute(&mut pg).unwrap();
                if let Some(wait) = wait {
                    wait.recv().unwrap();
                }
                let mut conn = users_api::db::Conn::Pg(&mut pg);
                conn.write(|tx| {
                    let others = users_api::db::users::other_active_administrator_exists(tx, &[target.as_str()])?;
                    if let Some(first) = &first {
                        first.send(()).unwrap(); // the other side now waits for the lock this side holds
                        std::thread::sleep(Duration::from_millis(300));
                    }
                    if others {
                        let sql = format!("UPDATE users SET active = false WHERE id = '{target}'");
                        users_api::db_run!(tx, |c| diesel::sql_query(sql.as_str()).execute(c))?;
                    }
                    let _ = actor;
                    Ok::<_, diesel::result::Error>(others)
                })
                .unwrap()
            })
        };
    let (go, wait) = mpsc::channel();
    let first = deactivate(app.admin_id.clone(), bea.clone(), Some(go), None);
    let second = deactivate(bea.clone(), app.admin_id.clone(), None, Some(wait));
    let (first, second) = (first.join().unwrap(), second.join().unwrap());
    assert!(first && !second, "the first deactivation goes ahead and the guard refuses the second");
    assert_eq!(count(&app, "users WHERE active AND NOT api_user AND deleted_at IS NULL"), 1);
}

#[tokio::test]
async fn the_sqlite_database_and_its_journal_files_are_private_to_the_service() {
    use std::os::unix::fs::PermissionsExt;
    if backend() != "sqlite" {
        eprintln!("note: file permissions are SQLite's; skipped on {}", backend());
        return;
    }
    let app = TestApp::spawn().await;
    app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let path = app.env["DATABASE_URL"].strip_prefix("sqlite://").unwrap().to_owned();
    for file in [path.clone(), format!("{path}-wal"), format!("{path}-shm")] {
        let mode = std::fs::metadata(&file).unwrap_or_else(|e| panic!("{file}: {e}")).permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
}
