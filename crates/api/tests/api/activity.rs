use std::collections::HashSet;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::TestApp;
use crate::smtp::{free_port, SmtpSink};

fn actions(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

/// The entries about users, leaving out the email outcomes (the test servers
/// deliver email to files, asynchronously).
fn user_actions(page: &Value) -> Vec<String> {
    actions(page).into_iter().filter(|a| !a.starts_with("email.")).collect()
}

fn user_entries(page: &Value) -> Vec<Value> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["action"].as_str().unwrap().starts_with("email."))
        .cloned()
        .collect()
}

async fn user_activity(app: &TestApp, id: &str) -> Value {
    let reply = app.get(&format!("/api/v1/users/{id}/activity")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

#[tokio::test]
async fn each_change_writes_one_entry_with_the_actor_and_the_exact_diff() {
    let app = TestApp::spawn().await;
    let created = app
        .request_with(
            Method::POST,
            "/api/v1/users",
            Some(&app.admin_token),
            Some(json!({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@education.gov.uk", "api_user": false})),
            &[("X-Request-Id", "create-ada")],
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/users/{id}");
    assert_eq!(
        app.patch(&path, json!({"email": "countess@education.gov.uk", "last_name": "Lovelace"})).await.status,
        200
    );
    assert_eq!(app.patch(&path, json!({"first_name": "Ada"})).await.status, 200, "a change of nothing");
    app.sign_in("countess@education.gov.uk").await;
    assert_eq!(app.delete(&path).await.status, 204);

    let page = user_activity(&app, &id).await;
    assert_eq!(user_actions(&page), ["user.deleted", "user.signed_in", "user.updated", "user.created"]);
    let items = user_entries(&page);
    let (deleted, signed_in, updated, added) = (&items[0], &items[1], &items[2], &items[3]);
    assert_eq!(added["actor"], json!({"id": app.admin_id, "name": "Admin Support"}));
    assert_eq!(added["request_id"], "create-ada");
    assert_eq!(
        added["changes"],
        json!({"first_name": [null, "Ada"], "last_name": [null, "Lovelace"], "email": [null, "ada@education.gov.uk"],
               "api_user": [null, false], "support_role": [null, "viewer"], "active": [null, true]})
    );
    assert_eq!(updated["changes"], json!({"email": ["ada@education.gov.uk", "countess@education.gov.uk"]}));
    assert_eq!(signed_in["actor"]["name"], "Ada Lovelace");
    assert_eq!(deleted["actor"]["id"], app.admin_id.as_str());
    assert_eq!(deleted["user_id"], id.as_str());
    assert!(deleted["occurred_at"].as_str().unwrap().ends_with('Z'));
    assert!(page["next_cursor"].is_null());
}

#[tokio::test]
async fn a_refused_change_writes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let id = user["id"].as_str().unwrap();
    let path = format!("/api/v1/users/{id}");
    assert_eq!(app.patch(&path, json!({"first_name": ""})).await.status, 422);
    let stale = app
        .request_with(
            Method::PATCH,
            &path,
            Some(&app.admin_token),
            Some(json!({"first_name": "B"})),
            &[("If-Match", "\"9\"")],
        )
        .await;
    assert_eq!(stale.status, 412);
    assert_eq!(app.patch(&format!("{path}?dry_run=true"), json!({"first_name": "B"})).await.status, 200);
    assert_eq!(app.delete(&format!("/api/v1/users/{}", app.admin_id)).await.status, 409);
    assert_eq!(user_actions(&user_activity(&app, id).await), ["user.created"]);
    assert_eq!(actions(&user_activity(&app, &app.admin_id).await), Vec::<String>::new());
}

#[tokio::test]
async fn email_outcomes_appear_in_the_users_activity_once_each() {
    let sink = SmtpSink::start(free_port());
    let app = TestApp::spawn_with(&[("SMTP_URL", &sink.url()), ("EMAIL_POLL_MS", "50")]).await;
    let sent = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    sink.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let page = user_activity(&app, sent["id"].as_str().unwrap()).await;
    assert_eq!(actions(&page), ["email.sent", "user.created"]);
    let entry = &page["items"][0];
    assert_eq!(entry["actor"], Value::Null);
    assert_eq!(entry["details"]["email_kind"], "invitation");
    assert!(!entry.to_string().contains("Sign in at"), "never the body");

    let down = TestApp::spawn_with(&[
        ("SMTP_URL", &format!("smtp://127.0.0.1:{}", free_port())),
        ("EMAIL_POLL_MS", "50"),
        ("EMAIL_RETRY_BASE_MS", "50"),
        ("EMAIL_MAX_ATTEMPTS", "3"),
    ])
    .await;
    let failed = down.create_user("Grace", "Hopper", "grace@education.gov.uk", false).await;
    let id = failed["id"].as_str().unwrap();
    let started = std::time::Instant::now();
    loop {
        let page = user_activity(&down, id).await;
        if actions(&page).first().map(String::as_str) == Some("email.failed") {
            assert_eq!(
                actions(&page),
                ["email.failed", "user.created"],
                "one entry for the outcome, not one per attempt"
            );
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_log_filters_by_actor_action_and_time_and_walks_by_cursor() {
    let app = TestApp::spawn().await;
    let other = app.create_support_user("Bea", "Other", "bea@education.gov.uk", "editor").await;
    let (bea_token, _) = app.sign_in("bea@education.gov.uk").await;
    let before = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    for i in 0..5 {
        app.create_user("Made", &format!("By Admin {i}"), &format!("admin{i}@education.gov.uk"), false).await;
    }
    for i in 0..2 {
        let reply = app
            .request(
                Method::POST,
                "/api/v1/users",
                Some(&bea_token),
                Some(json!({"first_name": "Made", "last_name": format!("By Bea {i}"), "email": format!("bea{i}@education.gov.uk"), "api_user": false})),
            )
            .await;
        assert_eq!(reply.status, 201);
    }
    let by_bea = app.get(&format!("/api/v1/activity?actor={}", other["id"].as_str().unwrap())).await;
    assert_eq!(actions(&by_bea.body), ["user.created", "user.created", "user.signed_in"]);
    let created = app.get("/api/v1/activity?action=user.created").await;
    assert_eq!(created.body["items"].as_array().unwrap().len(), 8);
    let since = app.get(&format!("/api/v1/activity?action=user.created&since={}", before.replace('+', "%2B"))).await;
    assert_eq!(since.body["items"].as_array().unwrap().len(), 7);
    let until = app.get(&format!("/api/v1/activity?until={}", before.replace('+', "%2B"))).await;
    assert_eq!(user_actions(&until.body), ["user.signed_in", "user.created"]);

    let mut seen = Vec::new();
    let mut page = app.get("/api/v1/activity?action=user.created&per_page=3").await;
    loop {
        seen.extend(page.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => {
                page = app.get(&format!("/api/v1/activity?action=user.created&per_page=3&cursor={cursor}")).await
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 8);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 8);
    let all = app.get("/api/v1/activity?action=user.created&per_page=100").await;
    let newest_first: Vec<String> =
        all.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seen, newest_first);
}

#[tokio::test]
async fn bad_activity_parameters_are_422_naming_them() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("actor=ada", "actor"),
        ("action=user.exploded", "action"),
        ("since=yesterday", "since"),
        ("until=2025-13-45", "until"),
        ("per_page=0", "per_page"),
        ("cursor=%21%21", "cursor"),
    ] {
        let reply = app.get(&format!("/api/v1/activity?{query}")).await;
        assert_eq!(reply.status, 422, "{query}");
        assert_eq!(reply.errors()[0].0, field, "{query}");
    }
}

#[tokio::test]
async fn a_deleted_users_history_stays_readable_and_unknown_ids_are_404() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let id = user["id"].as_str().unwrap();
    app.delete(&format!("/api/v1/users/{id}")).await;
    assert_eq!(user_actions(&user_activity(&app, id).await), ["user.deleted", "user.created"]);
    assert_eq!(app.get("/api/v1/users/0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b/activity").await.status, 404);
}

#[tokio::test]
async fn api_users_cannot_read_activity() {
    let app = TestApp::spawn().await;
    app.create_user("Robot", "Reader", "robot@education.gov.uk", true).await;
    let (token, user) = app.sign_in("robot@education.gov.uk").await;
    for path in ["/api/v1/activity".to_owned(), format!("/api/v1/users/{}/activity", user["id"].as_str().unwrap())] {
        assert_eq!(app.request(Method::GET, &path, Some(&token), None).await.status, 403, "{path}");
    }
}

#[tokio::test]
async fn the_database_keeps_the_log_append_only() {
    let app = TestApp::spawn().await;
    app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let tampered = app.db.query_blocking(|conn| {
        Ok(users_api::db_run!(conn, |c| diesel::RunQueryDsl::execute(
            diesel::sql_query("UPDATE activity SET actor_name = 'Someone else'"),
            c
        )))
    });
    assert!(tampered.unwrap().is_err(), "an update is refused");
    let now = users_api::time::Timestamp::now();
    let future = users_api::time::Timestamp::from(now.utc() + chrono::Duration::days(1));
    let pruned = app.db.query_blocking(|conn| users_api::db::activity::prune(conn, future)).unwrap();
    assert!(pruned >= 1, "the retention command can remove old entries");
    let left = app.get("/api/v1/activity?action=user.created").await;
    assert_eq!(left.body["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn an_api_clients_whole_life_is_in_its_owners_activity() {
    let app = TestApp::spawn().await;
    let (token, owner) = app.signed_in_user("Robot", "Reader", "robot@education.gov.uk", true).await;
    let (client, _) = app.create_client(&token, "Payroll sync").await;
    let id = client["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/api-clients/{id}");
    for (method, suffix, body) in [
        (Method::PATCH, "", Some(json!({"name": "Payroll sync (nightly)"}))),
        (Method::POST, "/rotate", None),
        (Method::POST, "/revoke", None),
        (Method::DELETE, "", None),
    ] {
        let reply = app.request(method, &format!("{path}{suffix}"), Some(&token), body).await;
        assert!(reply.status < 300, "{suffix}: {} {}", reply.status, reply.text);
    }
    let page = user_activity(&app, &owner).await;
    let client_actions: Vec<String> = actions(&page).into_iter().filter(|a| a.starts_with("api_client.")).collect();
    assert_eq!(
        client_actions,
        ["api_client.deleted", "api_client.revoked", "api_client.rotated", "api_client.updated", "api_client.created"]
    );
    let created = page["items"].as_array().unwrap().iter().find(|e| e["action"] == "api_client.created").unwrap();
    assert_eq!(created["actor"]["name"], "Robot Reader");
    assert_eq!(created["details"]["api_client_id"], id.as_str());
    assert!(!page.to_string().contains("dfe_rtp_"), "never a token");
}
