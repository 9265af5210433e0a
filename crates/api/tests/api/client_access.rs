//! API clients for machines (contract §10, issue 23): scopes, IP
//! allowlists, owners chosen by support, and lifetimes from configuration.

use chrono::{Months, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use users_api::auth::jwt::Role;
use users_domain::SupportRole;

use crate::harness::{Reply, TestApp};

const CLIENTS: &str = "/api/v1/api-clients";
const PROVIDERS: &str = "/api/v1/providers";

/// Adds a client as the holder of `token` with `body`, asserting 201;
/// returns (client, its token).
async fn add(app: &TestApp, token: &str, body: Value) -> (Value, String) {
    let reply = app.request(Method::POST, CLIENTS, Some(token), Some(body)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let secret = reply.body["token"].as_str().unwrap().to_owned();
    (reply.body, secret)
}

async fn read_providers(app: &TestApp, token: &str, forwarded_for: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = forwarded_for.map(|ip| ("X-Forwarded-For", ip)).into_iter().collect();
    app.request_with(Method::GET, PROVIDERS, Some(token), None, &headers).await
}

#[tokio::test]
async fn scopes_default_to_reading_providers_are_sorted_and_are_validated() {
    let app = TestApp::spawn().await;
    let (plain, _) = add(&app, &app.admin_token, json!({"name": "Plain"})).await;
    assert_eq!(plain["scopes"], json!(["providers:read"]));
    assert_eq!(plain["allowed_ips"], json!([]));
    let (all, _) = add(
        &app,
        &app.admin_token,
        json!({"name": "All", "scopes": ["scim", "providers:read", "api_clients:manage", "scim"]}),
    )
    .await;
    assert_eq!(all["scopes"], json!(["api_clients:manage", "providers:read", "scim"]), "sorted, repeats once");

    for (scopes, message) in [
        (json!([]), "Select at least one scope"),
        (json!(["providers:write"]), "Select a valid scope"),
        (json!(["providers:read", "PROVIDERS:READ"]), "Select a valid scope"),
        (json!("providers:read"), "Select a valid scope"),
        (json!([1]), "Select a valid scope"),
    ] {
        let reply = app.post(CLIENTS, json!({"name": "Bad", "scopes": scopes})).await;
        assert_eq!(reply.status, 422, "{scopes}");
        assert_eq!(reply.field_errors(), [("scopes", message)], "{scopes}");
    }
    let path = format!("{CLIENTS}/{}", plain["id"].as_str().unwrap());
    let changed = app.patch(&path, json!({"scopes": ["providers:read", "api_clients:manage"]})).await;
    assert_eq!(changed.body["scopes"], json!(["api_clients:manage", "providers:read"]), "{}", changed.text);
    let same = app.patch(&path, json!({"scopes": ["api_clients:manage", "providers:read"]})).await;
    assert_eq!(same.body["updated_at"], changed.body["updated_at"], "the same set is no change");
    let emptied = app.patch(&path, json!({"scopes": []})).await;
    assert_eq!(emptied.field_errors(), [("scopes", "Select at least one scope")]);
    assert_eq!(app.get(&path).await.body["scopes"], json!(["api_clients:manage", "providers:read"]));
}

#[tokio::test]
async fn only_an_administrator_gives_scim_and_only_to_an_administrators_client() {
    let app = TestApp::spawn().await;
    let editor = app.insert_with_role("Eddie", "Editor", "eddie@education.gov.uk", Some(SupportRole::Editor), true);
    let editor_token = app.token_for(&editor, Role::Support);
    let api = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let api_token = app.token_for(&api, Role::Api);
    let scim = "Only an administrator's API client can have the scim scope";
    let cases = [
        ("an editor, for themselves", &editor_token, None),
        ("an editor, for the administrator", &editor_token, Some(app.admin_id.clone())),
        ("an administrator, for an API user", &app.admin_token, Some(api.clone())),
        ("an API user, for themselves", &api_token, None),
    ];
    for (who, token, owner) in cases {
        let mut body = json!({"name": "Directory sync", "scopes": ["scim"]});
        if let Some(owner) = owner {
            body["owner_id"] = json!(owner);
        }
        let reply = app.request(Method::POST, CLIENTS, Some(token), Some(body)).await;
        assert_eq!((reply.status, reply.field_errors()), (422, vec![("scopes", scim)]), "{who}");
    }
    let (own, _) = add(&app, &app.admin_token, json!({"name": "Directory sync", "scopes": ["scim"]})).await;
    assert_eq!(own["scopes"], json!(["scim"]));
    // Changing scopes follows the same rule.
    let (robo, _) = add(&app, &api_token, json!({"name": "Feed"})).await;
    let robo_path = format!("{CLIENTS}/{}", robo["id"].as_str().unwrap());
    let reply = app.patch(&robo_path, json!({"scopes": ["scim"]})).await;
    assert_eq!(reply.field_errors(), [("scopes", scim)]);
    let own_path = format!("{CLIENTS}/{}", own["id"].as_str().unwrap());
    let reply = app
        .request(Method::PATCH, &own_path, Some(&editor_token), Some(json!({"scopes": ["scim", "providers:read"]})))
        .await;
    assert_eq!(reply.field_errors(), [("scopes", scim)], "an editor keeps no scim on an administrator's client either");
}

#[tokio::test]
async fn a_token_without_the_scope_is_refused_with_rfc_6750s_insufficient_scope() {
    let app = TestApp::spawn().await;
    let (client, token) =
        add(&app, &app.admin_token, json!({"name": "Manager", "scopes": ["api_clients:manage"]})).await;
    let reply = read_providers(&app, &token, None).await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(reply.body["type"], "urn:problem:insufficient-scope");
    assert_eq!(reply.detail(), "This API client does not have the scope this request needs: providers:read");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer error=\"insufficient_scope\", scope=\"providers:read\""));
    let path = format!("{CLIENTS}/{}", client["id"].as_str().unwrap());
    app.patch(&path, json!({"scopes": ["api_clients:manage", "providers:read"]})).await;
    assert_eq!(read_providers(&app, &token, None).await.status, 200, "the scope applies at once");
}

#[tokio::test]
async fn allowlists_take_addresses_and_ranges_and_refuse_what_is_not_one() {
    let app = TestApp::spawn().await;
    let sent = json!(["192.0.2.10", " 198.51.100.7/24 ", "2001:DB8::/32", "::ffff:203.0.113.9", "192.0.2.10"]);
    let (client, _) = add(&app, &app.admin_token, json!({"name": "Fenced", "allowed_ips": sent})).await;
    assert_eq!(client["allowed_ips"], json!(["192.0.2.10", "198.51.100.0/24", "2001:db8::/32", "203.0.113.9"]));
    let like = "Enter IP addresses or ranges like 192.0.2.10 or 192.0.2.0/24";
    for bad in [
        json!(["192.0.2"]),
        json!(["10.0.0.0/33"]),
        json!(["example.org"]),
        json!([""]),
        json!("192.0.2.1"),
        json!([7]),
    ] {
        let reply = app.post(CLIENTS, json!({"name": "Bad", "allowed_ips": bad})).await;
        assert_eq!((reply.status, reply.field_errors()), (422, vec![("allowed_ips", like)]), "{bad}");
    }
    let many: Vec<String> = (0..21).map(|i| format!("192.0.2.{i}")).collect();
    let reply = app.post(CLIENTS, json!({"name": "Bad", "allowed_ips": many})).await;
    assert_eq!(reply.field_errors(), [("allowed_ips", "Enter 20 IP addresses or ranges or fewer")]);
    let (twenty, _) = add(&app, &app.admin_token, json!({"name": "Twenty", "allowed_ips": &many[..20]})).await;
    assert_eq!(twenty["allowed_ips"].as_array().unwrap().len(), 20);
    let path = format!("{CLIENTS}/{}", client["id"].as_str().unwrap());
    let opened = app.patch(&path, json!({"allowed_ips": []})).await;
    assert_eq!(opened.body["allowed_ips"], json!([]), "[] is anywhere again: {}", opened.text);
}

#[tokio::test]
async fn a_token_is_refused_from_an_address_its_allowlist_leaves_out() {
    let app = TestApp::spawn().await;
    let (client, token) = add(&app, &app.admin_token, json!({"name": "Fenced", "allowed_ips": ["192.0.2.0/24"]})).await;
    let reply = read_providers(&app, &token, None).await;
    assert_eq!(reply.status, 403, "the test connects from 127.0.0.1: {}", reply.text);
    assert_eq!(reply.body["type"], "urn:problem:ip-not-allowed");
    assert_eq!(reply.detail(), "This API client cannot be used from this IP address");
    let path = format!("{CLIENTS}/{}", client["id"].as_str().unwrap());
    app.patch(&path, json!({"allowed_ips": ["192.0.2.0/24", "127.0.0.1"]})).await;
    assert_eq!(read_providers(&app, &token, None).await.status, 200);
    // Without a trusted proxy, X-Forwarded-For is the caller's to write: not believed.
    app.patch(&path, json!({"allowed_ips": ["192.0.2.0/24"]})).await;
    assert_eq!(read_providers(&app, &token, Some("192.0.2.10")).await.status, 403);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_allowlist_reads_the_address_the_rate_limits_use() {
    let app = TestApp::spawn_with(&[("TRUSTED_PROXY_HOPS", "1")]).await;
    let fence = json!({"name": "Fenced", "allowed_ips": ["192.0.2.0/24", "2001:db8::/32"]});
    let (_, token) = add(&app, &app.admin_token, fence).await;
    for (forwarded, status) in [
        ("192.0.2.10", 200),
        ("198.51.100.1, 192.0.2.77", 200),
        ("192.0.2.10, 198.51.100.1", 403),
        ("[2001:db8::5]:443", 200),
        ("2001:db9::5", 403),
        ("::ffff:192.0.2.3", 200),
    ] {
        let reply = read_providers(&app, &token, Some(forwarded)).await;
        assert_eq!(reply.status, status, "X-Forwarded-For: {forwarded}: {}", reply.text);
    }
}

#[tokio::test]
async fn editors_and_administrators_add_clients_for_another_live_user() {
    let app = TestApp::spawn().await;
    let editor = app.insert_with_role("Eddie", "Editor", "eddie@education.gov.uk", Some(SupportRole::Editor), true);
    let editor_token = app.token_for(&editor, Role::Support);
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let robo_token = app.token_for(&robo, Role::Api);
    let (made, token) = add(&app, &editor_token, json!({"name": "Feed", "owner_id": robo})).await;
    assert_eq!(made["owner"], json!({"id": robo, "name": "Robo Reader"}));
    let own = app.request(Method::GET, CLIENTS, Some(&robo_token), None).await;
    assert_eq!(own.body["total"], 1, "the owner sees it as theirs");
    assert_eq!(read_providers(&app, &token, None).await.status, 200);
    let again =
        app.request(Method::POST, CLIENTS, Some(&editor_token), Some(json!({"name": "FEED", "owner_id": robo}))).await;
    assert_eq!(again.field_errors(), [("name", "Client name must be unique")], "unique among the owner's clients");
    let (mine, _) = add(&app, &editor_token, json!({"name": "Feed", "owner_id": null})).await;
    assert_eq!(mine["owner"]["id"], editor.as_str(), "null is the caller");

    let gone = app.insert_with_role("Gone", "Away", "gone@education.gov.uk", None, true);
    assert_eq!(app.delete(&format!("/api/v1/users/{gone}")).await.status, 204);
    let owner = "Select a user who can own this API client";
    for bad in [json!(gone), json!("0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b"), json!("robo"), json!(7)] {
        let reply = app.post(CLIENTS, json!({"name": "Orphan", "owner_id": bad, "expires_on": "2000-01-01"})).await;
        assert_eq!(
            (reply.status, reply.field_errors()),
            (422, vec![("owner_id", owner), ("expires_on", "Expiry date must be in the future")]),
            "{bad}: every error, in field order"
        );
    }
    let reply = app
        .request(Method::POST, CLIENTS, Some(&robo_token), Some(json!({"name": "Theirs", "owner_id": editor})))
        .await;
    assert_eq!(reply.field_errors(), [("owner_id", owner)], "an API user adds clients only for themselves");
    let reply =
        app.request(Method::POST, CLIENTS, Some(&robo_token), Some(json!({"name": "Mine", "owner_id": robo}))).await;
    assert_eq!(reply.status, 201, "naming oneself is allowed: {}", reply.text);
}

fn date_in(months: u32, days: i64) -> String {
    let today = Utc::now().date_naive();
    (today.checked_add_months(Months::new(months)).unwrap() + chrono::Duration::days(days)).to_string()
}

#[tokio::test]
async fn lifetimes_come_from_configuration() {
    let app =
        TestApp::spawn_with(&[("API_CLIENT_DEFAULT_LIFETIME_MONTHS", "1"), ("API_CLIENT_MAX_LIFETIME_MONTHS", "2")])
            .await;
    let (client, _) = add(&app, &app.admin_token, json!({"name": "Short"})).await;
    assert_eq!(client["expires_on"], date_in(1, 0), "the default lifetime");
    let (longest, _) = add(&app, &app.admin_token, json!({"name": "Longest", "expires_on": date_in(2, 0)})).await;
    assert_eq!(longest["expires_on"], date_in(2, 0));
    let reply = app.post(CLIENTS, json!({"name": "Too long", "expires_on": date_in(2, 1)})).await;
    assert_eq!(reply.field_errors(), [("expires_on", "Expiry date must be within 2 months")]);
    let path = format!("{CLIENTS}/{}", client["id"].as_str().unwrap());
    let reply = app.patch(&path, json!({"expires_on": date_in(3, 0)})).await;
    assert_eq!(reply.field_errors(), [("expires_on", "Expiry date must be within 2 months")]);

    let long = TestApp::spawn_with(&[("API_CLIENT_MAX_LIFETIME_MONTHS", "24")]).await;
    let (client, _) = add(&long, &long.admin_token, json!({"name": "Long", "expires_on": date_in(24, 0)})).await;
    assert_eq!(client["expires_on"], date_in(24, 0));
    let (default, _) = add(&long, &long.admin_token, json!({"name": "Default"})).await;
    assert_eq!(default["expires_on"], date_in(6, 0));
}

#[tokio::test]
async fn a_token_with_api_clients_manage_rotates_itself_and_the_old_token_lasts_the_grace_period() {
    let app = TestApp::spawn().await;
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let robo_token = app.token_for(&robo, Role::Api);
    let (me, old) =
        add(&app, &robo_token, json!({"name": "Self", "scopes": ["api_clients:manage", "providers:read"]})).await;
    let me_path = format!("{CLIENTS}/{}", me["id"].as_str().unwrap());
    let listed = app.request(Method::GET, CLIENTS, Some(&old), None).await;
    assert_eq!((listed.status, &listed.body["total"]), (200, &json!(1)), "{}", listed.text);

    let rotated = app.request(Method::POST, &format!("{me_path}/rotate"), Some(&old), None).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let new = rotated.body["token"].as_str().unwrap().to_owned();
    assert!(rotated.body["client"]["previous_token_expires_at"].is_string());
    assert_eq!(read_providers(&app, &old, None).await.status, 200, "the old token works through the grace period");
    assert_eq!(read_providers(&app, &new, None).await.status, 200);
    assert_eq!(app.request(Method::GET, &me_path, Some(&new), None).await.status, 200);
    // The grace period ends (moved, not waited for).
    app.sql(&format!(
        "UPDATE api_clients SET previous_token_valid_until = created_at WHERE id = '{}'",
        me["id"].as_str().unwrap()
    ));
    assert_eq!(read_providers(&app, &old, None).await.status, 401, "then it stops");
    assert_eq!(app.request(Method::GET, CLIENTS, Some(&old), None).await.status, 401);
    assert_eq!(read_providers(&app, &new, None).await.status, 200);

    let activity = app.get(&format!("/api/v1/users/{robo}/activity")).await;
    let rotation =
        activity.body["items"].as_array().unwrap().iter().find(|i| i["action"] == "api_client.rotated").cloned();
    assert_eq!(rotation.expect("the rotation is in the owner's activity")["actor"]["id"], robo.as_str());
}

#[tokio::test]
async fn a_managing_token_acts_for_its_owner_only_and_gives_no_scope_it_lacks() {
    let app = TestApp::spawn().await;
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let robo_token = app.token_for(&robo, Role::Api);
    let (_, manager) = add(&app, &robo_token, json!({"name": "Manager", "scopes": ["api_clients:manage"]})).await;
    let (others, _) = add(&app, &app.admin_token, json!({"name": "Someone else's"})).await;
    let others_path = format!("{CLIENTS}/{}", others["id"].as_str().unwrap());
    for (method, url) in [(Method::GET, others_path.clone()), (Method::DELETE, others_path.clone())] {
        let reply = app.request(method.clone(), &url, Some(&manager), None).await;
        assert_eq!(reply.status, 404, "{method} another owner's client: {}", reply.text);
    }
    let list = app.request(Method::GET, CLIENTS, Some(&manager), None).await;
    assert_eq!(list.body["total"], 1, "only its owner's clients");

    let lacks = "An API client cannot give a scope it does not have";
    let reply = app.request(Method::POST, CLIENTS, Some(&manager), Some(json!({"name": "Reader"}))).await;
    assert_eq!(reply.field_errors(), [("scopes", lacks)], "the default scope is one it lacks");
    let body = json!({"name": "Reader", "scopes": ["api_clients:manage"], "owner_id": app.admin_id});
    let reply = app.request(Method::POST, CLIENTS, Some(&manager), Some(body)).await;
    assert_eq!(reply.field_errors(), [("owner_id", "Select a user who can own this API client")]);
    let (made, _) = add(&app, &manager, json!({"name": "Another manager", "scopes": ["api_clients:manage"]})).await;
    assert_eq!(made["owner"]["id"], robo.as_str(), "made for its owner");
    let made_path = format!("{CLIENTS}/{}", made["id"].as_str().unwrap());
    let widen =
        app.request(Method::PATCH, &made_path, Some(&manager), Some(json!({"scopes": ["providers:read"]}))).await;
    assert_eq!(widen.field_errors(), [("scopes", lacks)]);
    assert_eq!(app.get(&made_path).await.body["scopes"], json!(["api_clients:manage"]), "unchanged");
    // Its owner, signed in, may give what the token could not.
    let owner =
        app.request(Method::PATCH, &made_path, Some(&robo_token), Some(json!({"scopes": ["providers:read"]}))).await;
    assert_eq!(owner.body["scopes"], json!(["providers:read"]), "{}", owner.text);
}

#[tokio::test]
async fn a_token_without_api_clients_manage_or_from_elsewhere_is_refused_on_api_clients() {
    let app = TestApp::spawn().await;
    let (_, reader) = add(&app, &app.admin_token, json!({"name": "Reader"})).await;
    let reply = app.request(Method::GET, CLIENTS, Some(&reader), None).await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(reply.body["type"], "urn:problem:insufficient-scope");
    assert_eq!(reply.detail(), "This API client does not have the scope this request needs: api_clients:manage");
    assert_eq!(
        reply.header("www-authenticate"),
        Some("Bearer error=\"insufficient_scope\", scope=\"api_clients:manage\"")
    );
    let fenced = json!({"name": "Fenced manager", "scopes": ["api_clients:manage"], "allowed_ips": ["192.0.2.1"]});
    let (_, fenced) = add(&app, &app.admin_token, fenced).await;
    let reply = app
        .request(Method::POST, CLIENTS, Some(&fenced), Some(json!({"name": "X", "scopes": ["api_clients:manage"]})))
        .await;
    assert_eq!((reply.status, reply.body["type"].as_str()), (403, Some("urn:problem:ip-not-allowed")));
    assert_eq!(app.get(CLIENTS).await.body["total"], 2, "nothing was added");
    // A managing token of a support user's acts on that user's clients only.
    let (_, admins) =
        add(&app, &app.admin_token, json!({"name": "Admin's manager", "scopes": ["api_clients:manage"]})).await;
    let list = app.request(Method::GET, CLIENTS, Some(&admins), None).await;
    assert_eq!(list.body["total"], 3, "the administrator's own three");
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let (robos, _) = add(&app, &app.token_for(&robo, Role::Api), json!({"name": "Robo's"})).await;
    let url = format!("{CLIENTS}/{}", robos["id"].as_str().unwrap());
    assert_eq!(
        app.request(Method::GET, &url, Some(&admins), None).await.status,
        404,
        "not every client, as its owner would"
    );
}

async fn usage(app: &TestApp, client: &Value) -> Value {
    let reply = app.get(&format!("{CLIENTS}/{}/usage", client["id"].as_str().unwrap())).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

#[tokio::test]
async fn usage_counts_each_request_and_the_refused_ones_per_day() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_PER_TOKEN", "6")]).await;
    let (client, token) = add(&app, &app.admin_token, json!({"name": "Counted", "allowed_ips": ["127.0.0.1"]})).await;
    let today = Utc::now().date_naive().to_string();
    assert_eq!(usage(&app, &client).await, json!({"days": [], "last_used_at": null, "last_used_ip": null}));
    for _ in 0..3 {
        assert_eq!(read_providers(&app, &token, None).await.status, 200);
    }
    let seen = usage(&app, &client).await;
    assert_eq!(seen["days"], json!([{"date": today, "requests": 3, "refused": 0}]));
    assert_eq!(seen["last_used_ip"], "127.0.0.1");
    assert!(seen["last_used_at"].is_string());

    let path = format!("{CLIENTS}/{}", client["id"].as_str().unwrap());
    app.patch(&path, json!({"allowed_ips": ["192.0.2.1"]})).await;
    assert_eq!(read_providers(&app, &token, None).await.status, 403);
    app.patch(&path, json!({"allowed_ips": []})).await;
    for _ in 0..2 {
        read_providers(&app, &token, None).await;
    }
    assert_eq!(read_providers(&app, &token, None).await.status, 429, "the seventh in a minute");
    let seen = usage(&app, &client).await;
    assert_eq!(seen["days"], json!([{"date": today, "requests": 7, "refused": 2}]), "a 403 and a 429");

    // A token refused for its scope is counted as refused too.
    let (reader, reader_token) = add(&app, &app.admin_token, json!({"name": "Reader only"})).await;
    let denied = app.request(Method::GET, CLIENTS, Some(&reader_token), None).await;
    assert_eq!(denied.status, 403, "no api_clients:manage");
    assert_eq!(usage(&app, &reader).await["days"], json!([{"date": today, "requests": 1, "refused": 1}]));

    // Stored days and this process's tally add up; days over 90 ago are not shown.
    let id = client["id"].as_str().unwrap();
    let old = (Utc::now().date_naive() - chrono::Duration::days(95)).to_string();
    let yesterday = (Utc::now().date_naive() - chrono::Duration::days(1)).to_string();
    for (day, requests, refused) in [(&old, 9, 0), (&yesterday, 40, 4)] {
        app.sql(&format!(
            "INSERT INTO api_client_usage (client_id, day, requests, refused) VALUES ('{id}', '{day}', {requests}, {refused})"
        ));
    }
    let seen = usage(&app, &client).await;
    assert_eq!(
        seen["days"],
        json!([{"date": today, "requests": 7, "refused": 2}, {"date": yesterday, "requests": 40, "refused": 4}]),
        "newest first"
    );
}

#[tokio::test]
async fn usage_is_stored_by_each_process_within_its_flush_interval_and_on_shutdown() {
    let app = TestApp::spawn().await;
    let (client, token) = add(&app, &app.admin_token, json!({"name": "Shared"})).await;
    let today = Utc::now().date_naive().to_string();
    // Another process, flushing often: its counts reach the database without it stopping.
    let mut quick = crate::harness::ServerProcess::start_with(&app, &[("API_CLIENT_USAGE_FLUSH", "200ms")]).await;
    let reqwest = reqwest::Client::new();
    for _ in 0..4 {
        let reply = reqwest.get(format!("{}{PROVIDERS}", quick.base)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(reply.status(), 200);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if usage(&app, &client).await["days"] == json!([{"date": today, "requests": 4, "refused": 0}]) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the other process stored its counts: {}", quick.log());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    quick.terminate();
    quick.wait_for_exit(std::time::Duration::from_secs(10)).await.expect("it exits");

    // A process that would flush only every 10 s stores what it holds when it stops.
    let mut slow = crate::harness::ServerProcess::start_with(&app, &[("API_CLIENT_USAGE_FLUSH", "10s")]).await;
    for _ in 0..3 {
        reqwest.get(format!("{}{PROVIDERS}", slow.base)).bearer_auth(&token).send().await.unwrap();
    }
    slow.terminate();
    let status = slow.wait_for_exit(std::time::Duration::from_secs(10)).await.expect("it exits on SIGTERM");
    assert!(status.success(), "{status:?}");
    assert_eq!(usage(&app, &client).await["days"], json!([{"date": today, "requests": 7, "refused": 0}]));
}
