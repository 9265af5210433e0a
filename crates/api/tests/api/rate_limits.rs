use std::time::Duration;

use chrono::{Timelike, Utc};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::Value;

use crate::harness::{Reply, ServerProcess, TestApp};

const PROVIDERS: &str = "/api/v1/providers";

/// The limits count per clock minute (weighing the previous one): a test that
/// must fit in one minute waits for the next when fewer than `need` seconds
/// of this one are left.
async fn start_of_a_minute_if_fewer_than(need: u32) {
    let now = Utc::now();
    let left = 60 - now.second();
    if left < need {
        let wait = Duration::from_millis(u64::from(left) * 1000 - u64::from(now.timestamp_subsec_millis()) + 100);
        tokio::time::sleep(wait).await;
    }
}

fn header(reply: &Reply, name: &str) -> Option<u64> {
    reply.header(name).map(|v| v.parse().unwrap())
}

fn assert_rate_limited(reply: &Reply, limit: u64) {
    assert_eq!(reply.status, 429, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));
    assert_eq!(reply.body["type"], "urn:problem:rate-limited");
    assert_eq!(reply.body["title"], "Too many requests");
    assert_eq!(reply.detail(), "You have made too many requests. Wait before trying again");
    let retry_after = header(reply, "retry-after").expect("Retry-After");
    assert!((1..=120).contains(&retry_after), "{retry_after}");
    assert_eq!(header(reply, "ratelimit-limit"), Some(limit));
    assert_eq!(header(reply, "ratelimit-remaining"), Some(0));
    assert_eq!(header(reply, "ratelimit-reset"), Some(retry_after));
}

#[tokio::test]
async fn the_301st_request_of_a_minute_with_one_token_is_refused_across_two_server_processes() {
    let app = TestApp::spawn().await;
    let other = ServerProcess::start(&app).await;
    let (_, token) = app.create_client(&app.admin_token, "Payroll").await;
    start_of_a_minute_if_fewer_than(25).await;
    let get = |base: &str| app.raw(app.client.get(format!("{base}{PROVIDERS}")).bearer_auth(&token));
    let mut served = Vec::new();
    for round in 0..15 {
        // 20 at once, half to each process.
        let batch = (0..20).map(|i| get(if (round + i) % 2 == 0 { &app.base } else { &other.base }));
        served.extend(join_all(batch).await);
    }
    assert_eq!(served.len(), 300);
    for reply in &served {
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(header(reply, "ratelimit-limit"), Some(300));
    }
    let mut remaining: Vec<u64> = served.iter().map(|r| header(r, "ratelimit-remaining").unwrap()).collect();
    remaining.sort_unstable();
    assert_eq!(remaining, (0..300).collect::<Vec<_>>(), "each of the 300 took its own place");
    assert_rate_limited(&get(&other.base).await, 300);
    assert_rate_limited(&get(&app.base).await, 300);
    let signed_in = app.get(PROVIDERS).await;
    assert_eq!(signed_in.status, 200, "a signed-in user is not counted");
    assert_eq!(signed_in.header("ratelimit-limit"), None);
}

#[tokio::test]
async fn requests_without_valid_credentials_are_limited_per_ip() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_PER_IP", "5"), ("RATE_LIMIT_PER_TOKEN", "50")]).await;
    let (_, token) = app.create_client(&app.admin_token, "Payroll").await;
    start_of_a_minute_if_fewer_than(15).await;
    let anonymous = [
        (PROVIDERS, None),
        ("/api/v1/users", None),
        (PROVIDERS, Some("dfe_rtp_not-a-real-token")),
        ("/api/v1/me", Some("eyJhbGciOiJIUzI1NiJ9.e30.forged")),
        ("/api/v1/auth/config", None),
    ];
    for (expected_remaining, (path, token)) in (0..5).rev().zip(anonymous) {
        let reply = app.request(Method::GET, path, token, None).await;
        assert_ne!(reply.status, 429, "{path}");
        assert_eq!(header(&reply, "ratelimit-limit"), Some(5));
        assert_eq!(header(&reply, "ratelimit-remaining"), Some(expected_remaining), "{path}");
    }
    assert_rate_limited(&app.request(Method::GET, PROVIDERS, None, None).await, 5);
    assert_rate_limited(&app.request(Method::GET, "/api/v1/nothing-here", None, None).await, 5);
    // Valid credentials are not held up by the address's limit.
    let with_token = app.request(Method::GET, PROVIDERS, Some(&token), None).await;
    assert_eq!((with_token.status, header(&with_token, "ratelimit-limit")), (200, Some(50)));
    for _ in 0..10 {
        let signed_in = app.get("/api/v1/me").await;
        assert_eq!(signed_in.status, 200);
        assert_eq!(signed_in.header("ratelimit-remaining"), None);
    }
    // Outside /api/v1 nothing is counted.
    assert_eq!(app.request(Method::GET, "/health/live", None, None).await.status, 200);
}

#[tokio::test]
async fn each_token_has_its_own_limit_and_a_refused_token_counts_against_the_ip() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_PER_TOKEN", "3"), ("RATE_LIMIT_PER_IP", "2")]).await;
    let (revoked, first) = app.create_client(&app.admin_token, "First").await;
    let (_, second) = app.create_client(&app.admin_token, "Second").await;
    start_of_a_minute_if_fewer_than(15).await;
    for left in [2, 1, 0] {
        let reply = app.request(Method::GET, PROVIDERS, Some(&first), None).await;
        assert_eq!((reply.status, header(&reply, "ratelimit-remaining")), (200, Some(left)));
    }
    assert_rate_limited(&app.request(Method::GET, PROVIDERS, Some(&first), None).await, 3);
    assert_eq!(app.request(Method::GET, PROVIDERS, Some(&second), None).await.status, 200);
    let id = revoked["id"].as_str().unwrap();
    assert_eq!(app.post(&format!("/api/v1/api-clients/{id}/revoke"), Value::Null).await.status, 200);
    let refused = app.request(Method::GET, PROVIDERS, Some(&first), None).await;
    assert_eq!((refused.status, header(&refused, "ratelimit-limit")), (401, Some(2)), "{}", refused.text);
    assert_eq!(app.request(Method::GET, PROVIDERS, Some(&first), None).await.status, 401);
    assert_rate_limited(&app.request(Method::GET, PROVIDERS, Some(&first), None).await, 2);
}

#[tokio::test]
async fn a_proxy_s_forwarded_address_is_used_only_when_trusted() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_PER_IP", "1"), ("TRUSTED_PROXY_HOPS", "1")]).await;
    let app = &app;
    start_of_a_minute_if_fewer_than(10).await;
    let from = |address: &'static str| async move {
        app.request_with(Method::GET, PROVIDERS, None, None, &[("X-Forwarded-For", address)]).await
    };
    assert_eq!(from("203.0.113.9, 198.51.100.1").await.status, 401);
    assert_eq!(from("203.0.113.9, 198.51.100.1").await.status, 429, "the proxy saw 198.51.100.1 twice");
    assert_eq!(from("198.51.100.1, 198.51.100.2").await.status, 401, "a different client behind the proxy");
    assert_eq!(from("2001:db8:1:2::1").await.status, 401);
    assert_eq!(from("2001:db8:1:2::ffff").await.status, 429, "IPv6 counts by /64");

    let untrusting = TestApp::spawn_with(&[("RATE_LIMIT_PER_IP", "1")]).await;
    let untrusting = &untrusting;
    let spoof = |address: &'static str| async move {
        untrusting.request_with(Method::GET, PROVIDERS, None, None, &[("X-Forwarded-For", address)]).await
    };
    assert_eq!(spoof("203.0.113.1").await.status, 401);
    assert_eq!(spoof("203.0.113.2").await.status, 429, "without trusted proxies the header is ignored");
}

#[tokio::test]
async fn every_api_operation_documents_429() {
    let doc: Value = serde_json::from_str(&users_api::router::document()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths.iter().filter(|(path, _)| path.starts_with("/api/v1/")) {
        for (method, operation) in item.as_object().unwrap() {
            assert_eq!(operation["responses"]["429"]["$ref"], "#/components/responses/RateLimited", "{method} {path}");
            operations += 1;
        }
    }
    assert!(operations >= 16, "{operations}");
    let rate_limited = &doc["components"]["responses"]["RateLimited"];
    for header in ["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] {
        assert!(rate_limited["headers"][header].is_object(), "{header}");
    }
    assert!(paths["/health/live"]["get"]["responses"]["429"].is_null());
}

#[tokio::test]
async fn an_address_over_its_limit_is_refused_without_asking_the_database() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_PER_IP", "3")]).await;
    start_of_a_minute_if_fewer_than(15).await;
    for _ in 0..3 {
        assert_eq!(app.request(Method::GET, PROVIDERS, None, None).await.status, 401);
    }
    assert_rate_limited(&app.request(Method::GET, PROVIDERS, None, None).await, 3);
    // With the counters gone, a request that reached the database could not
    // be counted and would be let through (401); one refused from memory is 429.
    app.sql("ALTER TABLE rate_limit_buckets RENAME TO rate_limit_buckets_away");
    assert_rate_limited(&app.request(Method::GET, PROVIDERS, None, None).await, 3);
    app.sql("ALTER TABLE rate_limit_buckets_away RENAME TO rate_limit_buckets");
}

/// A refresh attempt from `address`, as the proxy in front reports it.
async fn refresh_from(base: &str, address: &str) -> Reply {
    let client = reqwest::Client::new();
    crate::harness::read(
        client
            .post(format!("{base}/api/v1/auth/refresh"))
            .header("X-Forwarded-For", address)
            .send()
            .await
            .expect("answered"),
    )
    .await
}

#[tokio::test]
async fn the_sign_in_throttle_counts_the_client_behind_the_proxy_across_processes() {
    let settings = [("SIGN_IN_RATE_LIMIT", "4"), ("TRUSTED_PROXY_HOPS", "1"), ("RATE_LIMIT_PER_IP", "1000")];
    let app = TestApp::spawn_with(&settings).await;
    let other = ServerProcess::start_with(&app, &settings).await;
    start_of_a_minute_if_fewer_than(15).await;
    for base in [&app.base, &other.base, &app.base, &other.base] {
        assert_eq!(refresh_from(base, "203.0.113.1").await.status, 401, "no session cookie, but not throttled");
    }
    let throttled = refresh_from(&other.base, "203.0.113.1").await;
    assert_eq!(throttled.status, 429, "the fifth attempt, whichever process it reaches");
    assert_eq!(throttled.body["type"], "urn:problem:rate-limited");
    assert!(throttled.header("retry-after").is_some());
    assert_eq!(refresh_from(&app.base, "203.0.113.1").await.status, 429);
    assert_eq!(refresh_from(&app.base, "203.0.113.2").await.status, 401, "another client behind the same proxy");
}
