use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};

use users_api::auth::jwt::Role;

use crate::harness::{TestApp, JWT_SECRET, PUBLIC_URL};

/// The claims of a valid support token for `sub`, in the admin's session
/// and at generation 0, for a test to spoil one at a time.
fn claims(app: &TestApp, sub: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    let admin = payload_of(&app.admin_token);
    json!({"iss": PUBLIC_URL, "aud": "users-api", "sub": sub, "role": "support", "iat": now, "nbf": now, "exp": now + 900,
           "jti": uuid::Uuid::now_v7().to_string(), "gen": 0, "sid": admin["sid"]})
}

fn payload_of(token: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

fn sign(claims: &Value, secret: &str) -> String {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

#[tokio::test]
async fn dev_sign_in_matches_email_in_any_case_and_records_the_sign_in() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let reply = app
        .request(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": " ADA@Education.gov.uk "})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["token_type"], "Bearer");
    assert_eq!(reply.body["expires_in"], 900);
    let signed_in = &reply.body["user"];
    assert_eq!(signed_in["id"], user["id"]);
    assert_eq!(signed_in["version"], 2, "recording a sign-in changes the user");
    assert!(signed_in["last_signed_in_at"].as_str().unwrap().ends_with('Z'));
    // For the caller: a new support user is a viewer, who may change nothing.
    assert_eq!(signed_in["support_role"], "viewer");
    assert_eq!(signed_in["editable_fields"], json!([]));
    assert_eq!(signed_in["can_delete"], false);

    let token = reply.body["access_token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(header["alg"], "HS256");
    assert_eq!(payload["iss"], PUBLIC_URL);
    assert_eq!(payload["aud"], "users-api");
    assert_eq!(payload["sub"], user["id"]);
    assert_eq!(payload["role"], "support");
    assert_eq!(payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap(), 900);
    assert!(payload["nbf"].is_i64() && payload["jti"].is_string());

    let me = app.request(Method::GET, "/api/v1/me", Some(token), None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["email"], "ada@education.gov.uk");
}

#[tokio::test]
async fn dev_sign_in_refuses_unknown_inactive_and_deleted_accounts() {
    let app = TestApp::spawn().await;
    app.insert_user("In", "Active", "inactive@education.gov.uk", false, false);
    let gone = app.create_user("Gone", "User", "gone@education.gov.uk", false).await;
    app.delete(&format!("/api/v1/users/{}", gone["id"].as_str().unwrap())).await;
    for email in ["nobody@education.gov.uk", "inactive@education.gov.uk", "gone@education.gov.uk"] {
        let reply = app.request(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": email}))).await;
        assert_eq!(reply.status, 401, "{email}");
        assert_eq!(reply.body["type"], "urn:problem:unauthorized");
    }
    let blank = app.request(Method::POST, "/api/v1/auth/dev/sign-in", None, Some(json!({"email": ""}))).await;
    assert_eq!(blank.status, 422);
    assert_eq!(blank.errors(), [("email".to_owned(), "Enter email address".to_owned())]);
}

#[tokio::test]
async fn dev_sign_in_does_not_exist_unless_turned_on() {
    let app = TestApp::spawn_with(&[("AUTH_DEV_SIGN_IN", "false")]).await;
    let reply = app
        .request(
            Method::POST,
            "/api/v1/auth/dev/sign-in",
            None,
            Some(json!({"email": "admin.support@education.gov.uk"})),
        )
        .await;
    assert_eq!(reply.status, 404);
    let config = app.request(Method::GET, "/api/v1/auth/config", None, None).await;
    assert_eq!(config.body["dev_sign_in"], false);
}

#[tokio::test]
async fn requests_without_a_valid_token_are_401() {
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now().timestamp();
    let mut expired = claims(&app, &app.admin_id);
    expired["iat"] = json!(now - 2000);
    expired["nbf"] = json!(now - 2000);
    expired["exp"] = json!(now - 1000);
    let mut not_yet = claims(&app, &app.admin_id);
    not_yet["nbf"] = json!(now + 600);
    let mut wrong_iss = claims(&app, &app.admin_id);
    wrong_iss["iss"] = json!("https://evil.example");
    let mut wrong_aud = claims(&app, &app.admin_id);
    wrong_aud["aud"] = json!("another-api");
    let unknown_sub = claims(&app, "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b");
    let none_alg = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims(&app, &app.admin_id).to_string())
    );
    let hs512 = encode(
        &Header::new(Algorithm::HS512),
        &claims(&app, &app.admin_id),
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap();
    let mut tokens = vec![
        sign(&claims(&app, &app.admin_id), "another-secret-another-secret-0123456789"),
        sign(&expired, JWT_SECRET),
        sign(&not_yet, JWT_SECRET),
        sign(&wrong_iss, JWT_SECRET),
        sign(&wrong_aud, JWT_SECRET),
        sign(&unknown_sub, JWT_SECRET),
        none_alg,
        hs512,
        "not.a.token".to_owned(),
    ];
    let mut old_generation = claims(&app, &app.admin_id);
    old_generation["gen"] = json!(-1);
    tokens.push(sign(&old_generation, JWT_SECRET));
    let mut no_such_session = claims(&app, &app.admin_id);
    no_such_session["sid"] = json!(uuid::Uuid::now_v7().to_string());
    tokens.push(sign(&no_such_session, JWT_SECRET));
    for claim in ["iss", "aud", "sub", "role", "iat", "nbf", "exp", "jti", "gen", "sid"] {
        let mut missing = claims(&app, &app.admin_id);
        missing.as_object_mut().unwrap().remove(claim);
        tokens.push(sign(&missing, JWT_SECRET));
    }
    for token in &tokens {
        let reply = app.request(Method::GET, "/api/v1/me", Some(token), None).await;
        assert_eq!(reply.status, 401, "{token}");
        assert_eq!(reply.header("www-authenticate"), Some("Bearer realm=\"users-api\""));
    }
    let no_token = app.request(Method::GET, "/api/v1/users", None, None).await;
    assert_eq!(no_token.status, 401);
    assert_eq!(no_token.body["status"], 401);
    let basic = app.request_with(Method::GET, "/api/v1/me", None, None, &[("Authorization", "Basic YTpi")]).await;
    assert_eq!(basic.status, 401);
    assert_eq!(
        app.request(Method::GET, "/api/v1/me", Some(&sign(&claims(&app, &app.admin_id), JWT_SECRET)), None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn api_users_are_forbidden_from_user_administration_but_see_themselves() {
    let app = TestApp::spawn().await;
    let api_user = app.create_user("Robot", "Reader", "robot@education.gov.uk", true).await;
    let (token, _) = app.sign_in("robot@education.gov.uk").await;
    let id = api_user["id"].as_str().unwrap();
    for (method, path, body) in [
        (Method::GET, "/api/v1/users".to_owned(), None),
        (Method::POST, "/api/v1/users".to_owned(), Some(json!({}))),
        (Method::GET, format!("/api/v1/users/{id}"), None),
        (Method::PATCH, format!("/api/v1/users/{id}"), Some(json!({"api_user": false}))),
        (Method::DELETE, format!("/api/v1/users/{}", app.admin_id), None),
    ] {
        let reply = app.request(method.clone(), &path, Some(&token), body).await;
        assert_eq!(reply.status, 403, "{method} {path}");
        assert_eq!(reply.body["type"], "urn:problem:forbidden");
    }
    let me = app.request(Method::GET, "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["api_user"], true);
}

#[tokio::test]
async fn a_deactivated_users_existing_token_stops_working_at_once_even_after_reactivation() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Bea", "Other", "bea@education.gov.uk", false).await;
    let (token, _) = app.sign_in("bea@education.gov.uk").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    assert_eq!(app.request(Method::GET, "/api/v1/users", Some(&token), None).await.status, 200);

    assert_eq!(app.patch(&path, json!({"active": false})).await.status, 200);
    assert_eq!(app.request(Method::GET, "/api/v1/users", Some(&token), None).await.status, 401);
    assert_eq!(app.patch(&path, json!({"active": true})).await.status, 200);
    assert_eq!(
        app.request(Method::GET, "/api/v1/me", Some(&token), None).await.status,
        401,
        "old tokens never work again"
    );

    let (fresh, _) = app.sign_in("bea@education.gov.uk").await;
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&fresh), None).await.status, 200);
}

#[tokio::test]
async fn a_deactivated_support_users_token_gets_401_before_anything_wrong_with_the_request() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Bea", "Other", "bea@education.gov.uk", false).await;
    let (token, _) = app.sign_in("bea@education.gov.uk").await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    assert_eq!(app.patch(&path, json!({"active": false})).await.status, 200);
    let before = app.get("/api/v1/users").await.body;

    // Contract 8: 401 comes before 404, 400, 413, 415 and 422.
    let refused = [
        app.request(Method::GET, "/api/v1/users/not-a-uuid", Some(&token), None).await,
        app.request(Method::GET, "/api/v1/users?page=0", Some(&token), None).await,
        app.request(Method::GET, "/api/v1/users?cursor=tampered", Some(&token), None).await,
        app.request(Method::GET, "/api/v1/activity?per_page=1000", Some(&token), None).await,
        app.request(Method::POST, "/api/v1/users", Some(&token), Some(json!({"first_name": ""}))).await,
        app.request(Method::POST, "/api/v1/users", Some(&token), Some(json!([1]))).await,
        app.raw(app.client.post(format!("{}/api/v1/users", app.base)).bearer_auth(&token).body("x".repeat(70_000)))
            .await,
        app.request_with(Method::PATCH, &path, Some(&token), Some(json!({"email": "x"})), &[("If-Match", "nonsense")])
            .await,
        app.request_with(Method::DELETE, &path, Some(&token), None, &[("If-Match", "\"999\"")]).await,
    ];
    for reply in &refused {
        assert_eq!(reply.status, 401, "{}", reply.text);
        assert_eq!(reply.body["title"], "Not signed in", "{}", reply.text);
    }
    assert_eq!(app.get("/api/v1/users").await.body, before, "nothing changed");
}

#[tokio::test]
async fn a_role_change_or_deletion_ends_existing_tokens() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Bea", "Other", "bea@education.gov.uk", false).await;
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let (token, _) = app.sign_in("bea@education.gov.uk").await;
    assert_eq!(app.patch(&path, json!({"api_user": true})).await.status, 200);
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&token), None).await.status, 401);
    // A token claiming the old role is refused too.
    let forged = app.token_for(user["id"].as_str().unwrap(), Role::Support);
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&forged), None).await.status, 401);
    let (api_token, _) = app.sign_in("bea@education.gov.uk").await;
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&api_token), None).await.status, 200);
    assert_eq!(app.delete(&path).await.status, 204);
    assert_eq!(app.request(Method::GET, "/api/v1/me", Some(&api_token), None).await.status, 401);
}
