use std::collections::HashSet;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use users_api::email::outbox;
use users_api::email::render::{EmailKind, MailSettings, Recipient};
use users_api::email::worker::Worker;
use users_api::time::Timestamp;

use crate::harness::{ServerProcess, TestApp, PUBLIC_URL};
use crate::smtp::{free_port, Behaviour, SmtpSink};

const INVITED: &str = "You have been invited to Register of training providers";
const REMOVED: &str = "You have been removed from Register of training providers";

async fn app_with_sink() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start(free_port());
    let app = TestApp::spawn_with(&[("SMTP_URL", &sink.url()), ("EMAIL_POLL_MS", "50")]).await;
    (app, sink)
}

fn only<'a>(messages: &'a [Value], to: &str) -> Vec<&'a Value> {
    messages.iter().filter(|m| m["rcpt_tos"] == json!([to])).collect()
}

#[tokio::test]
async fn adding_a_user_invites_them_once_with_both_parts_and_the_sign_in_link() {
    let (app, sink) = app_with_sink().await;
    app.create_user("Ada", "Lovelace", "Ada@education.gov.uk", true).await;
    let messages = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let invite = &messages[0];
    assert_eq!(invite["subject"], INVITED);
    assert_eq!(invite["rcpt_tos"], json!(["ada@education.gov.uk"]));
    assert_eq!(invite["to"], "ada@education.gov.uk");
    assert_eq!(invite["from"], "Register of training providers <no-reply@education.gov.uk>");
    assert_eq!(invite["content_type"], "multipart/alternative");
    let sign_in = format!("{PUBLIC_URL}/sign-in");
    for part in ["text", "html"] {
        let body = invite[part].as_str().unwrap();
        assert!(body.contains(&sign_in), "{part}: {body}");
        assert!(body.contains("DfE Sign-in account that uses this email address"), "{part}");
    }
}

#[tokio::test]
async fn the_metrics_count_emails_sent_without_reading_the_outbox() {
    let (app, sink) = app_with_sink().await;
    app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    app.create_user("Grace", "Hopper", "grace@education.gov.uk", false).await;
    sink.wait_for(2, Duration::from_secs(10)).await;
    let mut text = String::new();
    for _ in 0..50 {
        let request = app.client.get(format!("{}/metrics", app.base)).bearer_auth(crate::harness::METRICS_TOKEN);
        text = app.raw(request).await.text;
        if text.contains("\nemails_sent_total 2\n") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(text.contains("\nemails_sent_total 2\n"), "{text}");
    assert!(text.contains("\nemails_failed_total 0\n"), "{text}");
}

#[tokio::test]
async fn changing_an_email_invites_the_new_address_only() {
    let (app, sink) = app_with_sink().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    sink.wait_for(1, Duration::from_secs(10)).await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    assert_eq!(app.patch(&path, json!({"email": "countess@education.gov.uk"})).await.status, 200);
    let messages = sink.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 2);
    let to_new = only(&messages, "countess@education.gov.uk");
    assert_eq!(to_new.len(), 1);
    assert_eq!(to_new[0]["subject"], INVITED);
    assert_eq!(only(&messages, "ada@education.gov.uk").len(), 1, "only the first invitation went to the old address");
    // A change that does not touch the address sends nothing.
    assert_eq!(app.patch(&path, json!({"first_name": "Augusta"})).await.status, 200);
    assert_eq!(sink.wait_for(3, Duration::from_millis(700)).await.len(), 2);
}

#[tokio::test]
async fn deleting_a_user_tells_the_address_they_had() {
    let (app, sink) = app_with_sink().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    assert_eq!(app.delete(&format!("/api/v1/users/{}", user["id"].as_str().unwrap())).await.status, 204);
    let messages = sink.wait_for(2, Duration::from_secs(10)).await;
    let removal: Vec<_> = messages.iter().filter(|m| m["subject"] == REMOVED).collect();
    assert_eq!(removal.len(), 1, "{messages:?}");
    assert_eq!(removal[0]["rcpt_tos"], json!(["ada@education.gov.uk"]));
    assert!(removal[0]["text"].as_str().unwrap().contains("If you think this is a mistake, contact"));
    assert!(removal[0]["html"].as_str().unwrap().contains("If you think this is a mistake, contact"));
}

#[tokio::test]
async fn refused_and_dry_run_changes_send_nothing() {
    let (app, sink) = app_with_sink().await;
    let invalid = app
        .post(
            "/api/v1/users",
            json!({"first_name": "", "last_name": "B", "email": "b@education.gov.uk", "api_user": false}),
        )
        .await;
    assert_eq!(invalid.status, 422);
    let dry = app
        .post(
            "/api/v1/users?dry_run=true",
            json!({"first_name": "A", "last_name": "B", "email": "b@education.gov.uk", "api_user": false}),
        )
        .await;
    assert_eq!(dry.status, 200);
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    sink.wait_for(1, Duration::from_secs(10)).await;
    let dry_change = app.patch(&format!("{path}?dry_run=true"), json!({"email": "new@education.gov.uk"})).await;
    assert_eq!(dry_change.status, 200);
    let stale = app
        .request_with(
            Method::PATCH,
            &path,
            Some(&app.admin_token),
            Some(json!({"email": "new@education.gov.uk"})),
            &[("If-Match", "\"9\"")],
        )
        .await;
    assert_eq!(stale.status, 412);
    let guarded = app.delete(&format!("/api/v1/users/{}", app.admin_id)).await;
    assert_eq!(guarded.status, 409);
    let messages = sink.wait_for(2, Duration::from_millis(800)).await;
    assert_eq!(messages.len(), 1, "only the real create sent: {messages:?}");
}

#[tokio::test]
async fn with_smtp_down_changes_succeed_and_every_email_arrives_once_when_it_is_back() {
    let port = free_port();
    let app = TestApp::spawn_with(&[
        ("SMTP_URL", &format!("smtp://127.0.0.1:{port}")),
        ("EMAIL_POLL_MS", "50"),
        ("EMAIL_RETRY_BASE_MS", "100"),
    ])
    .await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            app.create_user("Queued", &format!("User {i}"), &format!("queued{i}@education.gov.uk"), false).await["id"]
                .clone(),
        );
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    let id = ids[0].as_str().unwrap().to_owned();
    let waiting = app.db.query_blocking(|conn| outbox::for_user(conn, &id)).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].status, "queued");
    assert!(waiting[0].attempts >= 1, "delivery was tried");
    assert!(waiting[0].last_error.as_deref().unwrap_or("").starts_with("SMTP"));

    let sink = SmtpSink::start(port);
    let messages = sink.wait_for(3, Duration::from_secs(15)).await;
    assert_eq!(messages.len(), 3, "{messages:?}");
    let recipients: HashSet<_> = messages.iter().map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned()).collect();
    assert_eq!(recipients.len(), 3);
    let sent = app.db.query_blocking(|conn| outbox::for_user(conn, &id)).unwrap();
    assert_eq!(sent[0].status, "sent");
    assert!(sent[0].sent_at.is_some());
}

#[tokio::test]
async fn emails_queued_while_smtp_is_down_arrive_once_each_after_the_worker_restarts() {
    let port = free_port();
    // The test's own worker polls once a minute and is never woken (the
    // changes go to the processes), so the two processes' workers deliver.
    let app = TestApp::spawn_with(&[
        ("SMTP_URL", &format!("smtp://127.0.0.1:{port}")),
        ("EMAIL_POLL_MS", "60000"),
        ("EMAIL_RETRY_BASE_MS", "100"),
    ])
    .await;
    let fast = [("EMAIL_POLL_MS", "50"), ("SHUTDOWN_GRACE", "2s")];
    let mut first = ServerProcess::start_with(&app, &fast).await;
    let total = 30;
    let mut ids = Vec::new();
    for i in 0..total {
        let body = json!({"first_name": "Queued", "last_name": "User", "email": format!("restart{i}@education.gov.uk"), "api_user": false});
        let created = app
            .raw(app.client.post(format!("{}/api/v1/users", first.base)).bearer_auth(&app.admin_token).json(&body))
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        ids.push(created.body["id"].as_str().unwrap().to_owned());
    }
    let outbox_rows = |ids: &[String]| {
        let ids = ids.to_vec();
        app.db
            .query_blocking(move |conn| {
                let mut rows = Vec::new();
                for id in &ids {
                    rows.extend(outbox::for_user(conn, id)?);
                }
                Ok(rows)
            })
            .unwrap()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while outbox_rows(&ids).iter().any(|row| row.attempts == 0) {
        assert!(std::time::Instant::now() < deadline, "every email was tried while SMTP was down");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.terminate();
    let status = first.wait_for_exit(Duration::from_secs(5)).await.expect("the first process exits on SIGTERM");
    assert!(status.success(), "{status:?}");
    let waiting = outbox_rows(&ids);
    assert_eq!(waiting.len(), total);
    assert!(waiting.iter().all(|row| row.status == "queued"), "nothing sent or given up while SMTP was down");

    let sink = SmtpSink::start(port);
    let back = std::time::Instant::now();
    let _second = ServerProcess::start_with(&app, &fast).await;
    let messages = sink.wait_for(total, Duration::from_secs(30)).await;
    let recipients: HashSet<_> = messages.iter().map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned()).collect();
    assert_eq!(recipients.len(), total, "every email arrived");
    assert_eq!(messages.len(), total, "none arrived twice");
    let sent = outbox_rows(&ids);
    assert!(sent.iter().all(|row| row.status == "sent"), "{:?}", sent.iter().map(|r| &r.status).collect::<Vec<_>>());
    eprintln!(
        "smtp down, worker restarted: {total} emails, up to {} attempts each while down, all arrived once {:?} after SMTP came back",
        waiting.iter().map(|r| r.attempts).max().unwrap(),
        back.elapsed(),
    );
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_and_the_email_arrives_once() {
    let sink = SmtpSink::start_with(free_port(), Behaviour { reject_first: 2, ..Behaviour::default() });
    let app =
        TestApp::spawn_with(&[("SMTP_URL", &sink.url()), ("EMAIL_POLL_MS", "50"), ("EMAIL_RETRY_BASE_MS", "50")]).await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let messages = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 1);
    let id = user["id"].as_str().unwrap().to_owned();
    let row = app.db.query_blocking(|conn| outbox::for_user(conn, &id)).unwrap().remove(0);
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 3));
}

#[tokio::test]
async fn an_email_that_keeps_failing_is_marked_failed_with_the_reason() {
    let app = TestApp::spawn_with(&[
        ("SMTP_URL", &format!("smtp://127.0.0.1:{}", free_port())),
        ("EMAIL_POLL_MS", "50"),
        ("EMAIL_RETRY_BASE_MS", "50"),
        ("EMAIL_MAX_ATTEMPTS", "2"),
    ])
    .await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let id = user["id"].as_str().unwrap().to_owned();
    let started = std::time::Instant::now();
    loop {
        let row = app.db.query_blocking(|conn| outbox::for_user(conn, &id)).unwrap().remove(0);
        if row.status == "failed" {
            assert_eq!(row.attempts, 2);
            assert!(row.last_error.unwrap().starts_with("SMTP"));
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still {}", row.status);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_an_email_twice() {
    let (app, sink) = app_with_sink().await;
    let second = Worker::spawn(
        app.db.clone(),
        users_api::email::worker::settings(
            &users_api::config::Config::from_lookup(|name| match name {
                "SMTP_URL" => Some(sink.url()),
                "JWT_SECRET" => Some(crate::harness::JWT_SECRET.into()),
                "EMAIL_POLL_MS" => Some("20".into()),
                _ => None,
            })
            .unwrap(),
        )
        .unwrap(),
        Default::default(),
    );
    let settings = MailSettings {
        service_name: "Register of training providers".into(),
        sign_in_url: format!("{PUBLIC_URL}/sign-in"),
        support_email: "support@education.gov.uk".into(),
    };
    let admin = app.admin_id.clone();
    let total = 1000;
    app.db
        .query_blocking(|conn| {
            conn.write(|tx| {
                for i in 0..total {
                    let email = format!("bulk{i}@education.gov.uk");
                    let to = Recipient { first_name: "Bulk", last_name: "Recipient", email: &email };
                    outbox::enqueue(tx, EmailKind::Invitation, &admin, &to, &settings, Timestamp::now())?;
                }
                Ok(())
            })
        })
        .unwrap();
    let messages = sink.wait_for(total, Duration::from_secs(120)).await;
    second.shutdown().await;
    let recipients: HashSet<_> = messages.iter().map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned()).collect();
    assert_eq!(recipients.len(), total, "every email arrived");
    assert_eq!(messages.len(), total, "none arrived twice");
}

/// Each send takes longer than the claim lease. Unless the claim is renewed
/// while the batch is sent, it lapses during the first send, the other worker
/// claims the same rows and sends them again.
#[tokio::test]
async fn two_workers_with_a_slow_smtp_server_send_each_email_once() {
    let delay = Duration::from_secs(3);
    let sink = SmtpSink::start_with(free_port(), Behaviour { delay, ..Behaviour::default() });
    let url = sink.url();
    let fast_with_a_short_lease = [("SMTP_URL", url.as_str()), ("EMAIL_POLL_MS", "50"), ("EMAIL_CLAIM_LEASE", "2s")];
    let app = TestApp::spawn_with(&fast_with_a_short_lease).await;
    let mut env = app.env.clone();
    env.extend(fast_with_a_short_lease.map(|(name, value)| (name.to_owned(), value.to_owned())));
    let config = users_api::config::Config::from_lookup(|name| env.get(name).cloned()).unwrap();
    let second =
        Worker::spawn(app.db.clone(), users_api::email::worker::settings(&config).unwrap(), Default::default());
    let settings = MailSettings {
        service_name: "Register of training providers".into(),
        sign_in_url: format!("{PUBLIC_URL}/sign-in"),
        support_email: "support@education.gov.uk".into(),
    };
    let admin = app.admin_id.clone();
    let total = 4;
    let addresses: HashSet<String> = (0..total).map(|i| format!("slow{i}@education.gov.uk")).collect();
    let to_queue = addresses.clone();
    app.db
        .query_blocking(|conn| {
            conn.write(|tx| {
                for email in &to_queue {
                    let to = Recipient { first_name: "Slow", last_name: "Recipient", email };
                    outbox::enqueue(tx, EmailKind::Invitation, &admin, &to, &settings, Timestamp::now())?;
                }
                Ok(())
            })
        })
        .unwrap();
    let rows = || {
        let admin = app.admin_id.clone();
        app.db.query_blocking(move |conn| outbox::for_user(conn, &admin)).unwrap()
    };
    // One worker sends the four in about 12 s; a second copy of any ends the wait.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while rows().iter().any(|row| row.status != "sent")
        && sink.messages().len() <= total
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.shutdown().await;
    // A second copy already on its way would arrive within one more send.
    let messages = sink.wait_for(total + 1, delay + Duration::from_secs(1)).await;
    let mut recipients: Vec<String> = messages.iter().map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned()).collect();
    recipients.sort();
    let mut expected: Vec<String> = addresses.into_iter().collect();
    expected.sort();
    assert_eq!(recipients, expected, "every email arrived, and none twice");
    let outcomes: Vec<(String, i32)> = rows().into_iter().map(|row| (row.status, row.attempts)).collect();
    assert_eq!(outcomes, vec![("sent".to_owned(), 1); total], "each row was marked sent once");
    let activity = app.get(&format!("/api/v1/users/{}/activity", app.admin_id)).await;
    let actions: Vec<&str> =
        activity.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["email.sent"; total], "one outcome recorded for each email");
}
