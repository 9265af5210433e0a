use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{Reply, TestApp};

/// The refresh cookie a reply sets, as `name=value`.
fn cookie_of(reply: &Reply) -> String {
    set_cookie(&reply.headers).split(';').next().unwrap().to_owned()
}

fn set_cookie(headers: &HeaderMap) -> String {
    headers.get(SET_COOKIE).expect("a Set-Cookie header").to_str().unwrap().to_owned()
}

async fn dev_sign_in(app: &TestApp, email: &str) -> Reply {
    app.request(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": email}))).await
}

async fn refresh(app: &TestApp, cookie: &str) -> Reply {
    app.raw(app.client.post(format!("{}/api/v1/auth/refresh", app.base)).header(COOKIE, cookie)).await
}

fn token(reply: &Reply) -> String {
    reply.body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn signing_in_sets_an_http_only_strict_cookie_scoped_to_the_auth_endpoints() {
    let app = TestApp::spawn().await;
    let reply = dev_sign_in(&app, "admin.support@education.gov.uk").await;
    let header = set_cookie(&reply.headers);
    assert!(
        header.starts_with("__Secure-rtp_session="),
        "PUBLIC_URL is not loopback, so the cookie is Secure: {header}"
    );
    for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/api/v1/auth", "Max-Age=43200"] {
        assert!(header.contains(part), "{header} lacks {part}");
    }
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn refreshing_rotates_the_cookie_and_a_replayed_one_ends_the_session() {
    let app = TestApp::spawn().await;
    let signed_in = dev_sign_in(&app, "admin.support@education.gov.uk").await;
    let first = cookie_of(&signed_in);

    let renewed = refresh(&app, &first).await;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    assert_eq!(renewed.body["token_type"], "Bearer");
    assert_eq!(renewed.body["expires_in"], 900);
    assert_eq!(renewed.body["user"]["email"], "admin.support@education.gov.uk");
    let second = cookie_of(&renewed);
    assert_ne!(first, second, "the cookie rotates");
    let me = app.request(Method::GET, "/api/v1/me", Some(&token(&renewed)), None).await;
    assert_eq!(me.status, 200);

    let third = cookie_of(&refresh(&app, &second).await);

    let replayed = refresh(&app, &first).await;
    assert_eq!(replayed.status, 401, "a token two swaps old is refused");
    assert!(set_cookie(&replayed.headers).contains("Max-Age=0"), "and the cookie is cleared");
    let after_theft = refresh(&app, &third).await;
    assert_eq!(after_theft.status, 401, "replaying ends the whole session, so the newest token fails too");
    assert_eq!(
        app.request(Method::GET, "/api/v1/me", Some(&token(&renewed)), None).await.status,
        401,
        "and its access tokens"
    );
}

#[tokio::test]
async fn two_tabs_refreshing_with_the_same_cookie_at_once_both_stay_signed_in() {
    let app = TestApp::spawn().await;
    let cookie = cookie_of(&dev_sign_in(&app, "admin.support@education.gov.uk").await);
    let (one, two) = tokio::join!(refresh(&app, &cookie), refresh(&app, &cookie));
    assert_eq!((one.status, two.status), (200, 200), "{} {}", one.text, two.text);
    for tab in [&one, &two] {
        assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&token(tab)), None).await.status, 200);
        assert_eq!(refresh(&app, &cookie_of(tab)).await.status, 200, "each tab's new cookie works");
    }
}

#[tokio::test]
async fn signing_out_ends_the_sessions_access_tokens_at_once() {
    let app = TestApp::spawn().await;
    let signed_in = dev_sign_in(&app, "admin.support@education.gov.uk").await;
    let (access, cookie) = (token(&signed_in), cookie_of(&signed_in));
    let other_session = token(&dev_sign_in(&app, "admin.support@education.gov.uk").await);
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&access), None).await.status, 200);
    let out = app.raw(app.client.post(format!("{}/api/v1/auth/sign-out", app.base)).header(COOKIE, &cookie)).await;
    assert_eq!(out.status, 204);
    let after = app.request(Method::GET, "/api/v1/me", Some(&access), None).await;
    assert_eq!(after.status, 401, "the access token of the ended session, 15 minutes before it expires");
    assert_eq!(
        app.request(Method::GET, "/api/v1/me", Some(&other_session), None).await.status,
        200,
        "another session goes on"
    );
}

#[tokio::test]
async fn tokens_issued_before_a_deactivation_never_work_again_even_after_reactivation() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Grace", "Hopper", "grace@education.gov.uk", false).await;
    let id = user["id"].as_str().unwrap();
    let before = token(&dev_sign_in(&app, "grace@education.gov.uk").await);
    assert_eq!(app.patch(&format!("/api/v1/users/{id}"), json!({"active": false})).await.status, 200);
    assert_eq!(app.patch(&format!("/api/v1/users/{id}"), json!({"active": true})).await.status, 200);
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&before), None).await.status, 401);
    let after = token(&dev_sign_in(&app, "grace@education.gov.uk").await);
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&after), None).await.status, 200);
}

#[tokio::test]
async fn refresh_without_a_cookie_or_with_an_unknown_one_is_401() {
    let app = TestApp::spawn().await;
    let none = app.raw(app.client.post(format!("{}/api/v1/auth/refresh", app.base))).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.header("content-type"), Some("application/problem+json"));
    assert_eq!(refresh(&app, "__Secure-rtp_session=made-up").await.status, 401);
}

#[tokio::test]
async fn signing_out_ends_the_session_and_clears_the_cookie() {
    let app = TestApp::spawn().await;
    let cookie = cookie_of(&dev_sign_in(&app, "admin.support@education.gov.uk").await);
    let out = app.raw(app.client.post(format!("{}/api/v1/auth/sign-out", app.base)).header(COOKIE, &cookie)).await;
    assert_eq!(out.status, 204);
    assert!(set_cookie(&out.headers).contains("Max-Age=0"));
    assert_eq!(refresh(&app, &cookie).await.status, 401);
    let again = app.raw(app.client.post(format!("{}/api/v1/auth/sign-out", app.base))).await;
    assert_eq!(again.status, 204, "signing out without a session is fine");
}

#[tokio::test]
async fn deactivating_deleting_or_changing_the_role_of_a_user_ends_their_sessions() {
    let app = TestApp::spawn().await;
    for (i, change) in [json!({"active": false}), json!({"api_user": true}), Value::Null].into_iter().enumerate() {
        let email = format!("session{i}@education.gov.uk");
        let user = app.create_user("Session", "Holder", &email, false).await;
        let cookie = cookie_of(&dev_sign_in(&app, &email).await);
        let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
        let status = if change.is_null() {
            app.delete(&path).await.status
        } else {
            app.patch(&path, change.clone()).await.status
        };
        assert!(status == 200 || status == 204);
        assert_eq!(refresh(&app, &cookie).await.status, 401, "{change}");
    }
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = TestApp::spawn_with(&[("SESSION_IDLE_MINUTES", "1")]).await;
    let cookie = cookie_of(&dev_sign_in(&app, "admin.support@education.gov.uk").await);
    // Two minutes pass without a refresh.
    app.db
        .query_blocking(|conn| {
            let sql = if conn.is_postgres() {
                "UPDATE sessions SET last_used_at = last_used_at - INTERVAL '2 minutes'"
            } else {
                "UPDATE sessions SET last_used_at = datetime(last_used_at, '-2 minutes')"
            };
            users_api::db_run!(conn, |c| diesel::RunQueryDsl::execute(diesel::sql_query(sql), c))?;
            Ok(())
        })
        .unwrap();
    assert_eq!(refresh(&app, &cookie).await.status, 401);
}

#[tokio::test]
async fn sign_in_endpoints_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(&[("SIGN_IN_RATE_LIMIT", "3")]).await;
    for _ in 0..3 {
        assert_eq!(dev_sign_in(&app, "nobody@education.gov.uk").await.status, 401);
    }
    let limited = dev_sign_in(&app, "admin.support@education.gov.uk").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.body["type"], "urn:problem:rate-limited");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=120).contains(&wait), "the rolling minute of the other limits: {wait}");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/health/live", "/api/v1/users", "/swagger-ui/"] {
        let reply = app.raw(app.client.get(format!("{}{path}", app.base))).await;
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
        assert!(reply.header("content-security-policy").unwrap().contains("frame-ancestors 'none'"), "{path}");
    }
    let api = app.get("/api/v1/users").await;
    assert_eq!(api.header("cache-control"), Some("no-store"));
    let https = TestApp::spawn_with(&[("PUBLIC_URL", "https://register.example")]).await;
    let reply = https.raw(https.client.get(format!("{}/health/live", https.base))).await;
    assert_eq!(reply.header("strict-transport-security"), Some("max-age=31536000; includeSubDomains"));
}

#[tokio::test]
async fn cors_allows_the_services_own_origin_and_the_configured_ones_only() {
    let app = TestApp::spawn_with(&[("CORS_ORIGINS", "https://partner.example")]).await;
    for origin in ["http://users.test", "https://partner.example"] {
        let reply = app
            .raw(
                app.client
                    .get(format!("{}/api/v1/users", app.base))
                    .bearer_auth(&app.admin_token)
                    .header("Origin", origin),
            )
            .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
        assert_eq!(reply.header("access-control-allow-credentials"), Some("true"));
        let exposed = reply.header("access-control-expose-headers").unwrap().to_ascii_lowercase();
        for name in ["etag", "location", "x-request-id", "retry-after"] {
            assert!(exposed.contains(name), "{exposed}");
        }
        assert!(reply.header("vary").unwrap().contains("Origin"));
    }
    let refused = app
        .raw(
            app.client
                .get(format!("{}/api/v1/users", app.base))
                .bearer_auth(&app.admin_token)
                .header("Origin", "https://evil.example"),
        )
        .await;
    assert_eq!(refused.header("access-control-allow-origin"), None);

    let preflight = app
        .raw(
            app.client
                .request(Method::OPTIONS, format!("{}/api/v1/users/x", app.base))
                .header("Origin", "https://partner.example")
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization, content-type, if-match"),
        )
        .await;
    assert!(preflight.status == 200 || preflight.status == 204, "{}", preflight.status);
    let allowed = preflight.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    for name in ["authorization", "content-type", "if-match"] {
        assert!(allowed.contains(name), "{allowed}");
    }
}
