use reqwest::Method;
use serde_json::json;

use crate::harness::{Reply, TestApp};

#[tokio::test]
async fn every_response_carries_a_request_id_echoed_when_sensible() {
    let app = TestApp::spawn().await;
    let echoed = app.request_with(Method::GET, "/health/live", None, None, &[("X-Request-Id", "abc-123")]).await;
    assert_eq!(echoed.header("x-request-id"), Some("abc-123"));
    let generated = app.request(Method::GET, "/api/v1/users", None, None).await;
    let id = generated.header("x-request-id").unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    assert_eq!(generated.body["request_id"], id.as_str());
    let hostile = app.request_with(Method::GET, "/health/live", None, None, &[("X-Request-Id", "a b<script>")]).await;
    assert_ne!(hostile.header("x-request-id"), Some("a b<script>"));
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_400() {
    let app = TestApp::spawn().await;
    for body in ["{not json", "[1, 2]", "\"text\"", "", "{\"a\": 1}}"] {
        let reply = app
            .raw(
                app.client
                    .post(format!("{}/api/v1/users", app.base))
                    .bearer_auth(&app.admin_token)
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await;
        assert_eq!(reply.status, 400, "{body:?}");
        assert_eq!(reply.header("content-type"), Some("application/problem+json"));
        assert_eq!(reply.body["type"], "urn:problem:bad-request");
    }
    let invalid_utf8 = app
        .raw(
            app.client
                .post(format!("{}/api/v1/users", app.base))
                .bearer_auth(&app.admin_token)
                .header("content-type", "application/json")
                .body(vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']),
        )
        .await;
    assert_eq!(invalid_utf8.status, 400);
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let nested = app
        .raw(
            app.client
                .post(format!("{}/api/v1/users", app.base))
                .bearer_auth(&app.admin_token)
                .header("content-type", "application/json")
                .body(deep),
        )
        .await;
    assert_eq!(nested.status, 400);
}

#[tokio::test]
async fn bodies_without_a_json_content_type_are_415() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/users", app.base);
    let body =
        json!({"first_name": "A", "last_name": "B", "email": "a@education.gov.uk", "api_user": false}).to_string();
    let none = app.raw(app.client.post(&url).bearer_auth(&app.admin_token).body(body.clone())).await;
    assert_eq!(none.status, 415);
    assert_eq!(none.header("content-type"), Some("application/problem+json"));
    let text = app
        .raw(
            app.client.post(&url).bearer_auth(&app.admin_token).header("content-type", "text/plain").body(body.clone()),
        )
        .await;
    assert_eq!(text.status, 415);
    let charset = app
        .raw(
            app.client
                .post(&url)
                .bearer_auth(&app.admin_token)
                .header("content-type", "application/json; charset=utf-8")
                .body(body),
        )
        .await;
    assert_eq!(charset.status, 201);
}

#[tokio::test]
async fn a_body_of_64_kib_is_read_and_one_byte_more_is_413() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/users?dry_run=true", app.base);
    let json =
        json!({"first_name": "A", "last_name": "B", "email": "a@education.gov.uk", "api_user": false}).to_string();
    let padded = |len: usize| format!("{json}{}", " ".repeat(len - json.len()));
    let at_limit = app
        .raw(
            app.client
                .post(&url)
                .bearer_auth(&app.admin_token)
                .header("content-type", "application/json")
                .body(padded(65_536)),
        )
        .await;
    assert_eq!(at_limit.status, 200, "{}", at_limit.text);
    let over = app
        .raw(
            app.client
                .post(&url)
                .bearer_auth(&app.admin_token)
                .header("content-type", "application/json")
                .body(padded(65_537)),
        )
        .await;
    assert_eq!(over.status, 413);
    assert_eq!(over.header("content-type"), Some("application/problem+json"));
}

#[tokio::test]
async fn undocumented_methods_are_405_with_allow_and_unknown_paths_404() {
    let app = TestApp::spawn().await;
    let put = app.request(Method::PUT, "/api/v1/users", Some(&app.admin_token), Some(json!({}))).await;
    assert_eq!(put.status, 405);
    assert_eq!(put.header("allow"), Some("GET, POST"));
    let post = app.request(Method::POST, "/api/v1/users/x", Some(&app.admin_token), Some(json!({}))).await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, PATCH, DELETE"));
    let missing = app.request(Method::GET, "/api/v1/nothing-here", None, None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("application/problem+json"));
}

#[tokio::test]
async fn health_probes_answer() {
    let app = TestApp::spawn().await;
    let live = app.request(Method::GET, "/health/live", None, None).await;
    assert_eq!((live.status, live.body["status"].as_str()), (200, Some("ok")));
    let ready = app.request(Method::GET, "/health/ready", None, None).await;
    assert_eq!((ready.status, ready.body["status"].as_str()), (200, Some("ready")));
}

#[tokio::test]
async fn an_unreachable_database_answers_503_quickly_and_never_hangs() {
    let app = TestApp::spawn_with(&[
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:1/nowhere?connect_timeout=1"),
        ("DB_POOL_TIMEOUT_MS", "500"),
    ])
    .await;
    let started = std::time::Instant::now();
    let ready = app.request(Method::GET, "/health/ready", None, None).await;
    assert_eq!(ready.status, 503);
    assert_eq!(ready.header("content-type"), Some("application/problem+json"));
    let subject = users_api::auth::jwt::Subject {
        user_id: "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
        role: users_api::auth::jwt::Role::Support,
        generation: 0,
        session_id: "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6c",
    };
    let token = app.jwt.issue(subject, users_api::time::Timestamp::now()).0;
    let users = app.request(Method::GET, "/api/v1/users", Some(&token), None).await;
    assert_eq!(users.status, 503);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(app.request(Method::GET, "/health/live", None, None).await.status, 200);
}

#[tokio::test]
async fn the_committed_openapi_document_is_what_the_binary_exports() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json"))
        .expect("openapi/openapi.json is committed");
    assert!(
        committed == users_api::router::document(),
        "openapi/openapi.json is stale: run `make openapi` (users-api openapi > openapi/openapi.json)"
    );
}

#[tokio::test]
async fn the_openapi_document_and_swagger_ui_are_served() {
    let app = TestApp::spawn().await;
    let doc = app.request(Method::GET, "/api-docs/openapi.json", None, None).await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.body["openapi"], "3.1.0");
    let ids: Vec<&str> = doc.body["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ops| ops.as_object().unwrap().values().filter_map(|op| op["operationId"].as_str()))
        .collect();
    for id in [
        "list_users",
        "create_user",
        "get_user",
        "update_user",
        "delete_user",
        "get_current_user",
        "dev_sign_in",
        "get_auth_config",
        "get_liveness",
        "get_readiness",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let ui = app.raw(app.client.get(format!("{}/swagger-ui/", app.base))).await;
    assert_eq!(ui.status, 200);
    assert!(ui.text.contains("swagger"), "{}", &ui.text[..ui.text.len().min(200)]);
}

#[tokio::test]
async fn the_documented_patterns_are_the_domain_rules() {
    let doc: serde_json::Value = serde_json::from_str(&users_api::router::document()).unwrap();
    let create = &doc["components"]["schemas"]["CreateUser"]["properties"];
    assert_eq!(create["email"]["pattern"], users_domain::email::EMAIL_PATTERN);
    assert_eq!(create["first_name"]["pattern"], users_domain::name::NAME_PATTERN);
    let update = &doc["components"]["schemas"]["UpdateUser"]["properties"];
    assert_eq!(update["email"]["pattern"], users_domain::email::EMAIL_PATTERN);
    let mut names = 0;
    for schema in ["CreateUser", "UpdateUser", "CreateApiClient", "UpdateApiClient"] {
        let properties = doc["components"]["schemas"][schema]["properties"].as_object().unwrap();
        for (field, property) in
            properties.iter().filter(|(f, _)| ["first_name", "last_name", "name"].contains(&f.as_str()))
        {
            assert_eq!(property["pattern"], users_domain::name::NAME_PATTERN, "{schema}.{field}");
            names += 1;
        }
    }
    assert_eq!(names, 6, "every name field of every body");
}

async fn metrics(app: &TestApp) -> Reply {
    app.raw(app.client.get(format!("{}/metrics", app.base)).bearer_auth(crate::harness::METRICS_TOKEN)).await
}

#[tokio::test]
async fn metrics_count_requests_by_route_without_personal_data() {
    let app = TestApp::spawn().await;
    app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    app.get("/api/v1/users?q=ada").await;
    let reply = metrics(&app).await;
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").unwrap().starts_with("text/plain"));
    assert!(
        reply.text.contains("http_requests_total{method=\"POST\",route=\"/api/v1/users\",status=\"201\"} 1"),
        "{}",
        reply.text
    );
    assert!(reply
        .text
        .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/users\",le=\"+Inf\"}"));
    assert!(reply.text.contains("db_pool_connections "));
    assert!(reply.text.contains("emails_sent_total "));
    assert!(!reply.text.contains("ada"), "no names, addresses or search text");
}

#[tokio::test]
async fn metrics_need_the_metrics_token() {
    let app = TestApp::spawn().await;
    let anonymous = app.raw(app.client.get(format!("{}/metrics", app.base))).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.body["type"], "urn:problem:unauthorized");
    let wrong =
        app.raw(app.client.get(format!("{}/metrics", app.base)).bearer_auth("metrics-token-but-not-the-one")).await;
    assert_eq!(wrong.status, 401);
    let signed_in = app.raw(app.client.get(format!("{}/metrics", app.base)).bearer_auth(&app.admin_token)).await;
    assert_eq!(signed_in.status, 401, "a support user's token is not the monitoring token");
    assert_eq!(metrics(&app).await.status, 200);
}

#[tokio::test]
async fn made_up_methods_cannot_grow_the_metrics() {
    let app = TestApp::spawn().await;
    let before = metrics(&app).await.text.len();
    // Fewer than the per-IP limit of requests without credentials.
    for i in 0..90 {
        let method = Method::from_bytes(format!("M{i}{}", "X".repeat(2000)).as_bytes()).unwrap();
        let reply = app.raw(app.client.request(method, format!("{}/api/v1/users", app.base))).await;
        assert!(matches!(reply.status, 400 | 405), "{}", reply.status);
    }
    let after = metrics(&app).await;
    assert!(after.text.contains("method=\"OTHER\""), "{}", after.text);
    assert!(after.text.len() < before + 4_000, "{} bytes after, {before} before", after.text.len());
}

#[tokio::test]
async fn nul_bytes_and_control_characters_anywhere_are_refused_cleanly_never_a_500() {
    let app = TestApp::spawn().await;
    let q = app.get("/api/v1/users?q=a%00b").await;
    assert_eq!(q.status, 422);
    assert_eq!(
        q.errors(),
        [("q".to_owned(), "Search must not include line breaks or other control characters".to_owned())]
    );
    for path in ["/api/v1/users/%00", "/api/v1/users/a%00b/activity"] {
        assert_eq!(app.get(path).await.status, 404, "{path}");
    }
    let cursor =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, "[\"a\\u0000\",\"b\",\"c\"]");
    assert_eq!(app.get(&format!("/api/v1/users?cursor={cursor}")).await.status, 422);
    let sign_in = app
        .request(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": "a\u{0}@education.gov.uk"})))
        .await;
    assert_eq!(sign_in.status, 401);
    let create = app
        .post(
            "/api/v1/users",
            json!({"first_name": "A\u{0}", "last_name": "B", "email": "x\u{0}@education.gov.uk", "api_user": false}),
        )
        .await;
    assert_eq!(create.status, 422);
    let malformed = app
        .request_with(
            Method::PATCH,
            &format!("/api/v1/users/{}", app.admin_id),
            Some(&app.admin_token),
            Some(json!({})),
            &[("If-Match", "null")],
        )
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.detail(), "If-Match must be * or entity tags like \"3\", as sent in ETag");
}
