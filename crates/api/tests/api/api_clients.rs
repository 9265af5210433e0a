use chrono::{Months, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{Reply, ServerProcess, TestApp};

const CLIENTS: &str = "/api/v1/api-clients";
const PROVIDERS: &str = "/api/v1/providers";

fn path(client: &Value) -> String {
    format!("{CLIENTS}/{}", client["id"].as_str().unwrap())
}

fn date_in(months: u32, days: i64) -> String {
    let today = Utc::now().date_naive();
    (today.checked_add_months(Months::new(months)).unwrap() + chrono::Duration::days(days)).to_string()
}

async fn providers_status(app: &TestApp, token: &str) -> u16 {
    app.request(Method::GET, PROVIDERS, Some(token), None).await.status
}

#[tokio::test]
async fn an_api_user_adds_a_client_whose_token_reads_provider_data() {
    let app = TestApp::spawn().await;
    let (token, user_id) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let reply = app.request(Method::POST, CLIENTS, Some(&token), Some(json!({"name": "  Payroll sync "}))).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let client = &reply.body;
    assert_eq!(reply.header("location"), Some(path(client).as_str()));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(client["name"], "Payroll sync");
    assert_eq!(client["status"], "active");
    assert_eq!(client["expires_on"], date_in(6, 0), "six months ahead by default");
    assert_eq!(client["owner"], json!({"id": user_id, "name": "Katherine Johnson"}));
    assert_eq!(client["last_used_at"], Value::Null);
    assert_eq!(client["revoked_at"], Value::Null);
    let secret = client["token"].as_str().unwrap();
    assert!(secret.starts_with("dfe_rtp_") && secret.len() == 57, "{secret}");
    assert!(secret["dfe_rtp_".len()..].bytes().all(|b| b.is_ascii_alphanumeric()));

    let providers = app.request(Method::GET, PROVIDERS, Some(secret), None).await;
    assert_eq!(providers.status, 200, "{}", providers.text);
    assert_eq!(providers.body, json!({"items": [], "next_cursor": null}));
}

#[tokio::test]
async fn support_users_add_clients_too_and_own_them() {
    let app = TestApp::spawn().await;
    let reply = app.post(CLIENTS, json!({"name": "Reporting", "expires_on": date_in(12, 0)})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["owner"], json!({"id": app.admin_id, "name": "Admin Support"}));
    assert_eq!(reply.body["expires_on"], date_in(12, 0), "the same day 12 months ahead is allowed");
    assert_eq!(providers_status(&app, reply.body["token"].as_str().unwrap()).await, 200);
}

#[tokio::test]
async fn every_validation_message_is_shown_as_written() {
    let app = TestApp::spawn().await;
    let today = Utc::now().date_naive().to_string();
    let cases = [
        (json!({}), vec![("name", "Enter client name")]),
        (json!({"name": null}), vec![("name", "Enter client name")]),
        (json!({"name": "   "}), vec![("name", "Enter client name")]),
        (json!({"name": 42}), vec![("name", "Enter client name")]),
        (json!({"name": "A", "expires_on": ""}), vec![("expires_on", "Enter expiry date")]),
        (json!({"name": "A", "expires_on": "31/12/2026"}), vec![("expires_on", "Enter expiry date")]),
        (json!({"name": "A", "expires_on": "2026-02-30"}), vec![("expires_on", "Enter expiry date")]),
        (json!({"name": "A", "expires_on": 20261231}), vec![("expires_on", "Enter expiry date")]),
        (json!({"name": "A", "expires_on": today}), vec![("expires_on", "Expiry date must be in the future")]),
        (json!({"name": "A", "expires_on": "2020-01-01"}), vec![("expires_on", "Expiry date must be in the future")]),
        (
            json!({"name": "A", "expires_on": date_in(12, 1)}),
            vec![("expires_on", "Expiry date must be within 12 months")],
        ),
        (
            json!({"name": "A\nB"}),
            vec![("name", "Client name must not include line breaks or other control characters")],
        ),
        (json!({"name": "x".repeat(101)}), vec![("name", "Client name must be 100 characters or less")]),
        (
            json!({"token": "mine", "expires_on": "soon", "name": ""}),
            vec![
                ("name", "Enter client name"),
                ("expires_on", "Enter expiry date"),
                ("token", "This field is not recognised"),
            ],
        ),
    ];
    for (body, expected) in cases {
        let reply = app.post(CLIENTS, body.clone()).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.body["type"], "urn:problem:validation");
        assert_eq!(reply.field_errors(), expected, "{body}");
        let n = expected.len();
        let detail = if n == 1 { "The request has 1 error".to_owned() } else { format!("The request has {n} errors") };
        assert_eq!(reply.detail(), detail);
    }
    assert_eq!(app.get(CLIENTS).await.body["total"], 0, "a refused request saves nothing");
}

#[tokio::test]
async fn names_are_unique_per_owner_ignoring_case_among_clients_not_deleted() {
    let app = TestApp::spawn().await;
    let (other, _) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let (first, _) = app.create_client(&app.admin_token, "Payroll").await;
    for name in ["Payroll", " PAYROLL "] {
        let reply = app.post(CLIENTS, json!({"name": name, "expires_on": "2020-01-01"})).await;
        assert_eq!(reply.status, 422);
        assert_eq!(
            reply.field_errors(),
            [("name", "Client name must be unique"), ("expires_on", "Expiry date must be in the future")]
        );
    }
    app.create_client(&other, "Payroll").await;
    let (second, _) = app.create_client(&app.admin_token, "Reporting").await;
    let rename = app.patch(&path(&second), json!({"name": "payroll"})).await;
    assert_eq!(rename.status, 422);
    assert_eq!(rename.field_errors(), [("name", "Client name must be unique")]);
    assert_eq!(app.patch(&path(&first), json!({"name": "PAYROLL"})).await.body["name"], "PAYROLL", "its own name");
    assert_eq!(app.delete(&path(&first)).await.status, 204);
    app.create_client(&app.admin_token, "Payroll").await;
}

#[tokio::test]
async fn changes_take_a_name_and_an_expiry_date_with_the_same_messages() {
    let app = TestApp::spawn().await;
    let (client, secret) = app.create_client(&app.admin_token, "Payroll").await;
    let cases = [
        (json!({"name": ""}), vec![("name", "Enter client name")]),
        (json!({"name": null}), vec![("name", "Enter client name")]),
        (json!({"expires_on": "2020-01-01"}), vec![("expires_on", "Expiry date must be in the future")]),
        (json!({"expires_on": date_in(13, 0)}), vec![("expires_on", "Expiry date must be within 12 months")]),
        (json!({"expires_on": "next week"}), vec![("expires_on", "Enter expiry date")]),
        (json!({"status": "active"}), vec![("status", "This field is not recognised")]),
    ];
    for (body, expected) in cases {
        let reply = app.patch(&path(&client), body.clone()).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.field_errors(), expected, "{body}");
    }
    let changed = app.patch(&path(&client), json!({"name": "Payroll v2", "expires_on": date_in(1, 0)})).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(
        (changed.body["name"].as_str(), changed.body["expires_on"].as_str()),
        (Some("Payroll v2"), Some(date_in(1, 0).as_str()))
    );
    let unchanged = app.patch(&path(&client), json!({"expires_on": null})).await;
    assert_eq!(unchanged.body["expires_on"], date_in(1, 0), "null leaves the date as it is");
    assert_eq!(providers_status(&app, &secret).await, 200, "a change keeps the token");
}

#[tokio::test]
async fn an_api_user_sees_and_manages_only_their_own_clients() {
    let app = TestApp::spawn().await;
    let (mine, _) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let (theirs, _) = app.signed_in_user("Mary", "Jackson", "mary@education.gov.uk", true).await;
    let (my_client, _) = app.create_client(&mine, "Mine").await;
    let (their_client, their_secret) = app.create_client(&theirs, "Theirs").await;
    let other = path(&their_client);
    for (method, url, body) in [
        (Method::GET, other.clone(), None),
        (Method::PATCH, other.clone(), Some(json!({"name": "Stolen"}))),
        (Method::DELETE, other.clone(), None),
        (Method::POST, format!("{other}/revoke"), None),
        (Method::POST, format!("{other}/rotate"), None),
    ] {
        let reply = app.request(method.clone(), &url, Some(&mine), body).await;
        assert_eq!(reply.status, 404, "{method} {url}: {}", reply.text);
        assert_eq!(reply.body["type"], "urn:problem:not-found");
    }
    let list = app.request(Method::GET, CLIENTS, Some(&mine), None).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["id"], my_client["id"]);
    assert_eq!(providers_status(&app, &their_secret).await, 200, "untouched");
    let seen = app.get(&other).await;
    assert_eq!((seen.body["name"].as_str(), seen.body["status"].as_str()), (Some("Theirs"), Some("active")));
}

#[tokio::test]
async fn support_users_see_every_client_with_its_owner() {
    let app = TestApp::spawn().await;
    let (katherine, katherine_id) =
        app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    app.create_client(&katherine, "Zeta").await;
    app.create_client(&app.admin_token, "alpha").await;
    let list = app.get(CLIENTS).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["total"], 2);
    assert_eq!(list.body["page"], 1);
    assert_eq!(list.body["next_cursor"], Value::Null);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items[0]["name"], "alpha", "by name, ignoring case");
    assert_eq!(items[1]["owner"], json!({"id": katherine_id, "name": "Katherine Johnson"}));
    assert!(!list.text.contains("dfe_rtp_"), "no token in a list: {}", list.text);
    assert!(items.iter().all(|item| item.get("token").is_none()));
}

#[tokio::test]
async fn the_list_pages_by_number_and_by_cursor() {
    let app = TestApp::spawn().await;
    for name in ["Echo", "alpha", "Delta", "charlie", "Bravo"] {
        app.create_client(&app.admin_token, name).await;
    }
    let second = app.get(&format!("{CLIENTS}?page=2&per_page=2")).await;
    assert_eq!(second.body["total_pages"], 3);
    let names = |reply: &Reply| -> Vec<String> {
        reply.body["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names(&second), ["charlie", "Delta"]);
    let mut walked = Vec::new();
    let mut url = format!("{CLIENTS}?per_page=2");
    loop {
        let page = app.get(&url).await;
        assert_eq!(page.status, 200, "{}", page.text);
        walked.extend(names(&page));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => url = format!("{CLIENTS}?per_page=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(walked, ["alpha", "Bravo", "charlie", "Delta", "Echo"]);
    let bad = app.get(&format!("{CLIENTS}?per_page=101")).await;
    assert_eq!(bad.field_errors(), [("per_page", "Results per page must be a whole number from 1 to 100")]);
    let tampered = app.get(&format!("{CLIENTS}?cursor=%21%21")).await;
    assert_eq!(tampered.field_errors(), [("cursor", "Cursor is not valid: start again from the first page")]);
    let both = app.get(&format!("{CLIENTS}?cursor=abc&page=2")).await;
    assert_eq!(both.field_errors(), [("cursor", "Give either a page or a cursor, not both")]);
}

#[tokio::test]
async fn a_revoked_client_is_refused_at_once_and_for_good() {
    let app = TestApp::spawn().await;
    let (client, secret) = app.create_client(&app.admin_token, "Payroll").await;
    assert_eq!(providers_status(&app, &secret).await, 200);
    let revoked = app.post(&format!("{}/revoke", path(&client)), json!({})).await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(revoked.body["status"], "revoked");
    assert!(revoked.body["revoked_at"].is_string());
    let refused = app.request(Method::GET, PROVIDERS, Some(&secret), None).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["type"], "urn:problem:unauthorized");
    let again = app.post(&format!("{}/revoke", path(&client)), json!({})).await;
    assert_eq!(
        (again.status, &again.body["revoked_at"]),
        (200, &revoked.body["revoked_at"]),
        "revoking twice changes nothing"
    );
    let rotate = app.post(&format!("{}/rotate", path(&client)), json!({})).await;
    assert_eq!(rotate.status, 409);
    assert_eq!(rotate.detail(), "You cannot rotate the token of a revoked API client");
    let renewed = app.patch(&path(&client), json!({"expires_on": date_in(2, 0)})).await;
    assert_eq!(renewed.body["status"], "revoked", "a new date does not undo a revocation");
    assert_eq!(providers_status(&app, &secret).await, 401);
}

#[tokio::test]
async fn an_expired_client_is_refused_until_given_a_new_date() {
    let app = TestApp::spawn().await;
    let (client, secret) = app.create_client(&app.admin_token, "Payroll").await;
    let today = Utc::now().date_naive().to_string();
    // The clock of the stored row: it expires at the start of today (UTC).
    app.sql(&format!("UPDATE api_clients SET expires_on = '{today}' WHERE id = '{}'", client["id"].as_str().unwrap()));
    assert_eq!(providers_status(&app, &secret).await, 401);
    let shown = app.get(&path(&client)).await;
    assert_eq!(shown.body["status"], "expired");
    let same = app.patch(&path(&client), json!({"expires_on": today})).await;
    assert_eq!(same.status, 200, "sending its own date back is no change: {}", same.text);
    let rotate = app.post(&format!("{}/rotate", path(&client)), json!({})).await;
    assert_eq!(rotate.status, 409);
    assert_eq!(rotate.detail(), "You cannot rotate the token of an expired API client. Change its expiry date first");
    let renewed = app.patch(&path(&client), json!({"expires_on": date_in(0, 1)})).await;
    assert_eq!(renewed.body["status"], "active");
    assert_eq!(providers_status(&app, &secret).await, 200);
}

#[tokio::test]
async fn a_deleted_client_is_refused_and_gone() {
    let app = TestApp::spawn().await;
    let (client, secret) = app.create_client(&app.admin_token, "Payroll").await;
    let deleted = app.delete(&path(&client)).await;
    assert_eq!((deleted.status, deleted.text.as_str()), (204, ""));
    assert_eq!(providers_status(&app, &secret).await, 401);
    assert_eq!(app.get(&path(&client)).await.status, 404);
    assert_eq!(app.delete(&path(&client)).await.status, 404);
    assert_eq!(app.get(CLIENTS).await.body["total"], 0);
}

#[tokio::test]
async fn deactivating_the_owner_stops_their_tokens_and_reactivating_restores_the_working_ones() {
    let app = TestApp::spawn().await;
    let (owner, owner_id) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let (_, working) = app.create_client(&owner, "Working").await;
    let (revoked, revoked_secret) = app.create_client(&owner, "Revoked").await;
    app.post(&format!("{}/revoke", path(&revoked)), json!({})).await;
    let user = format!("/api/v1/users/{owner_id}");
    assert_eq!(app.patch(&user, json!({"active": false})).await.status, 200);
    assert_eq!(providers_status(&app, &working).await, 401);
    assert_eq!(app.patch(&user, json!({"active": true})).await.status, 200);
    assert_eq!(providers_status(&app, &working).await, 200);
    assert_eq!(providers_status(&app, &revoked_secret).await, 401);
}

#[tokio::test]
async fn deleting_the_owner_deletes_their_clients() {
    let app = TestApp::spawn().await;
    let (owner, owner_id) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let (client, secret) = app.create_client(&owner, "Payroll").await;
    assert_eq!(app.delete(&format!("/api/v1/users/{owner_id}")).await.status, 204);
    assert_eq!(providers_status(&app, &secret).await, 401);
    assert_eq!(app.get(&path(&client)).await.status, 404);
    assert_eq!(app.get(CLIENTS).await.body["total"], 0);
}

#[tokio::test]
async fn rotation_keeps_the_old_token_for_the_grace_period_then_only_the_new_one() {
    let app = TestApp::spawn_with(&[("API_CLIENT_ROTATION_GRACE", "2s")]).await;
    let (client, old) = app.create_client(&app.admin_token, "Payroll").await;
    let rotated = app.post(&format!("{}/rotate", path(&client)), json!({})).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_eq!(rotated.header("cache-control"), Some("no-store"));
    let new = rotated.body["token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(new.starts_with("dfe_rtp_"));
    let shown = &rotated.body["client"];
    assert_eq!((shown["id"].clone(), shown["status"].as_str()), (client["id"].clone(), Some("active")));
    assert!(shown["rotated_at"].is_string() && shown["previous_token_expires_at"].is_string(), "{shown}");
    let rotated_at = chrono::DateTime::parse_from_rfc3339(shown["rotated_at"].as_str().unwrap()).unwrap();
    let until = chrono::DateTime::parse_from_rfc3339(shown["previous_token_expires_at"].as_str().unwrap()).unwrap();
    assert_eq!((until - rotated_at).num_seconds(), 2, "the configured grace period");
    assert_eq!(providers_status(&app, &old).await, 200, "the old token works inside the grace period");
    assert_eq!(providers_status(&app, &new).await, 200);
    // The grace period ends: moved into the past rather than waited for.
    let id = client["id"].as_str().unwrap();
    app.sql(&format!("UPDATE api_clients SET previous_token_valid_until = created_at WHERE id = '{id}'"));
    assert_eq!(providers_status(&app, &old).await, 401, "and stops after it");
    assert_eq!(providers_status(&app, &new).await, 200);
    assert_eq!(app.get(&path(&client)).await.body["previous_token_expires_at"], Value::Null);
}

#[tokio::test]
async fn a_second_rotation_ends_the_first_token_at_once_and_revocation_ends_both() {
    let app = TestApp::spawn().await;
    let (client, first) = app.create_client(&app.admin_token, "Payroll").await;
    let rotate = format!("{}/rotate", path(&client));
    let second = app.post(&rotate, json!({})).await.body["token"].as_str().unwrap().to_owned();
    let third = app.post(&rotate, json!({})).await.body["token"].as_str().unwrap().to_owned();
    assert_eq!(providers_status(&app, &first).await, 401);
    assert_eq!(providers_status(&app, &second).await, 200, "the 24-hour default grace");
    assert_eq!(providers_status(&app, &third).await, 200);
    app.post(&format!("{}/revoke", path(&client)), json!({})).await;
    assert_eq!(providers_status(&app, &second).await, 401);
    assert_eq!(providers_status(&app, &third).await, 401);
}

#[tokio::test]
async fn client_tokens_open_the_provider_data_and_api_clients_only_with_their_scope() {
    let app = TestApp::spawn().await;
    let (client, secret) = app.create_client(&app.admin_token, "Payroll").await;
    for url in ["/api/v1/me", "/api/v1/users", "/api/v1/activity"] {
        assert_eq!(app.request(Method::GET, url, Some(&secret), None).await.status, 401, "{url}");
    }
    // `/api-clients` takes client tokens, with the scope `api_clients:manage` (contract §10).
    for url in [CLIENTS, path(&client).as_str()] {
        let reply = app.request(Method::GET, url, Some(&secret), None).await;
        assert_eq!((reply.status, reply.body["type"].as_str()), (403, Some("urn:problem:insufficient-scope")), "{url}");
    }
    let create = app.request(Method::POST, CLIENTS, Some(&secret), Some(json!({"name": "Escalate"}))).await;
    assert_eq!(create.status, 403);
    assert_eq!(app.get(CLIENTS).await.body["total"], 1, "nothing was added");
}

#[tokio::test]
async fn look_alike_and_unknown_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let (_, secret) = app.create_client(&app.admin_token, "Payroll").await;
    let mut altered = secret.clone().into_bytes();
    altered[20] = if altered[20] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    let unknown = users_domain::client_token::ClientToken::from_random([42; 32]).expose().to_owned();
    for token in [altered.as_str(), &secret[..56], "dfe_rtp_", unknown.as_str(), "not-a-token"] {
        let reply = app.request(Method::GET, PROVIDERS, Some(token), None).await;
        assert_eq!(reply.status, 401, "{token}");
        assert_eq!(reply.header("www-authenticate"), Some("Bearer realm=\"users-api\""));
    }
}

#[tokio::test]
async fn last_use_is_recorded_at_most_once_a_minute() {
    let app = TestApp::spawn().await;
    let (client, secret) = app.create_client(&app.admin_token, "Payroll").await;
    providers_status(&app, &secret).await;
    let first = app.get(&path(&client)).await.body["last_used_at"].clone();
    assert!(first.is_string(), "{first}");
    providers_status(&app, &secret).await;
    assert_eq!(app.get(&path(&client)).await.body["last_used_at"], first, "no second write within the minute");
    let id = client["id"].as_str().unwrap();
    app.sql(&format!("UPDATE api_clients SET last_used_at = '2025-01-01 00:00:00' WHERE id = '{id}'"));
    providers_status(&app, &secret).await;
    let later = app.get(&path(&client)).await.body["last_used_at"].clone();
    assert!(later.as_str().unwrap() > "2025-01-02", "{later}");
}

#[tokio::test]
async fn a_client_token_appears_only_in_the_answer_that_issues_it_and_never_in_the_log() {
    let app = TestApp::spawn().await;
    let process = ServerProcess::start(&app).await;
    let (owner, owner_id) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let on = |base: &str, path: &str| format!("{base}{path}");
    let created = app
        .raw(app.client.post(on(&process.base, CLIENTS)).bearer_auth(&owner).json(&json!({"name": "Payroll"})))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let first = created.body["token"].as_str().unwrap().to_owned();
    let client = path(&created.body);
    let rotated = app.raw(app.client.post(on(&process.base, &format!("{client}/rotate"))).bearer_auth(&owner)).await;
    let second = rotated.body["token"].as_str().unwrap().to_owned();
    let mut later = Vec::new();
    for base in [app.base.as_str(), process.base.as_str()] {
        for token in [&first, &second] {
            later.push(app.raw(app.client.get(on(base, PROVIDERS)).bearer_auth(token)).await);
            later.push(app.raw(app.client.get(on(base, "/api/v1/me")).bearer_auth(token)).await);
            let bad = format!("{token}x");
            later.push(app.raw(app.client.get(on(base, PROVIDERS)).bearer_auth(&bad)).await);
        }
        later.push(app.raw(app.client.get(on(base, &client)).bearer_auth(&owner)).await);
        later.push(app.raw(app.client.get(on(base, CLIENTS)).bearer_auth(&owner)).await);
        later.push(app.raw(app.client.get(on(base, CLIENTS)).bearer_auth(&app.admin_token)).await);
        later.push(app.raw(app.client.patch(on(base, &client)).bearer_auth(&owner).json(&json!({"name": "P2"}))).await);
    }
    later.push(app.raw(app.client.post(on(&process.base, &format!("{client}/revoke"))).bearer_auth(&owner)).await);
    later.push(
        app.raw(app.client.get(on(&process.base, &format!("/api/v1/users/{owner_id}"))).bearer_auth(&app.admin_token))
            .await,
    );
    for reply in &later {
        for token in [&first, &second] {
            let secret_part = &token["dfe_rtp_".len()..];
            assert!(!reply.text.contains(secret_part), "a token in a later answer: {}", reply.text);
            assert!(!format!("{:?}", reply.headers).contains(secret_part));
        }
    }
    let log = process.log();
    assert!(log.lines().count() > 10, "the process logged its requests: {log}");
    for token in [&first, &second] {
        assert!(!log.contains(&token["dfe_rtp_".len()..]), "a token in the log");
    }
    assert!(!log.contains("dfe_rtp_"), "not even the prefix of a credential is logged");
}
