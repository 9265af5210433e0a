use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::TestApp;

fn pair(field: &str, message: &str) -> (String, String) {
    (field.to_owned(), message.to_owned())
}

async fn signed_in_user(app: &TestApp) -> Value {
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    app.sign_in("ada@education.gov.uk").await;
    app.get(&format!("/api/v1/users/{}", user["id"].as_str().unwrap())).await.body
}

fn path(user: &Value) -> String {
    format!("/api/v1/users/{}", user["id"].as_str().unwrap())
}

#[tokio::test]
async fn a_user_who_never_signed_in_can_have_every_field_changed() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let reply = app
        .patch(
            &path(&user),
            json!({"first_name": " Grace ", "last_name": "Hopper", "email": "Grace@education.gov.uk", "api_user": true, "active": false}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("etag"), Some("\"2\""));
    let changed = &reply.body;
    assert_eq!(
        (&changed["first_name"], &changed["last_name"], &changed["email"], &changed["api_user"], &changed["active"]),
        (&json!("Grace"), &json!("Hopper"), &json!("grace@education.gov.uk"), &json!(true), &json!(false))
    );
    assert_eq!(changed["version"], 2);
    assert_eq!(app.get(&path(&user)).await.body, reply.body);
    // The list's order and search follow the new name.
    assert_eq!(app.get("/api/v1/users?q=grace%20hop").await.body["total"], 1);
}

#[tokio::test]
async fn once_signed_in_each_locked_field_refuses_a_different_value() {
    let app = TestApp::spawn().await;
    let user = signed_in_user(&app).await;
    assert_eq!(user["editable_fields"], json!(["api_user", "support_role", "active"]), "the role is never locked");
    for (field, value, message) in [
        ("first_name", "Grace", "First name cannot be changed once the user has signed in"),
        ("last_name", "Hopper", "Last name cannot be changed once the user has signed in"),
        ("email", "grace@education.gov.uk", "Email address cannot be changed once the user has signed in"),
        ("first_name", "  ", "First name cannot be changed once the user has signed in"),
    ] {
        let reply = app.patch(&path(&user), json!({ field: value })).await;
        assert_eq!(reply.status, 422, "{field}");
        assert_eq!(reply.body["type"], "urn:problem:edit-locked");
        assert_eq!(reply.detail(), "The request has 1 error");
        assert_eq!(reply.errors(), [pair(field, message)]);
    }
    let unchanged = app.get(&path(&user)).await.body;
    assert_eq!(unchanged, user, "a refused change changes nothing");
}

#[tokio::test]
async fn once_signed_in_sending_the_same_values_is_accepted_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let user = signed_in_user(&app).await;
    let reply = app
        .patch(
            &path(&user),
            json!({"first_name": " Ada", "last_name": "Lovelace", "email": "ADA@education.gov.uk", "active": true}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["version"], user["version"], "no change keeps the version");
    assert_eq!(reply.body["updated_at"], user["updated_at"]);

    let deactivated = app.patch(&path(&user), json!({"active": false, "first_name": "Ada"})).await;
    assert_eq!(deactivated.status, 200);
    assert_eq!(deactivated.body["active"], false);
}

#[tokio::test]
async fn edit_lock_errors_mixed_with_other_errors_are_a_validation_problem_listing_all() {
    let app = TestApp::spawn().await;
    let user = signed_in_user(&app).await;
    let reply =
        app.patch(&path(&user), json!({"email": "new@education.gov.uk", "api_user": null, "nickname": "Ada"})).await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["type"], "urn:problem:validation");
    assert_eq!(reply.detail(), "The request has 3 errors");
    assert_eq!(
        reply.errors(),
        [
            pair("email", "Email address cannot be changed once the user has signed in"),
            pair("api_user", "Select if the account is an API user"),
            pair("nickname", "This field is not recognised"),
        ]
    );
}

#[tokio::test]
async fn changes_follow_the_same_rules_as_adding() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    app.create_user("Grace", "Hopper", "grace@education.gov.uk", false).await;
    let reply = app
        .patch(&path(&user), json!({"first_name": null, "last_name": "x".repeat(256), "email": "GRACE@education.gov.uk", "active": "no"}))
        .await;
    assert_eq!(
        reply.errors(),
        [
            pair("first_name", "Enter first name"),
            pair("last_name", "Last name must be 255 characters or less"),
            pair("email", "Email address already in use"),
            pair("active", "Select if the account is active"),
        ]
    );
    let bad = app.patch(&path(&user), json!({"email": "ada@badeducation.gov.uk"})).await;
    assert_eq!(
        bad.errors(),
        [pair(
            "email",
            "Enter a Department for Education email address in the correct format, like name@education.gov.uk"
        )]
    );
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_a_current_one_succeeds() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let stale = app
        .request_with(
            Method::PATCH,
            &path(&user),
            Some(&app.admin_token),
            Some(json!({"first_name": "Bea"})),
            &[("If-Match", "\"7\"")],
        )
        .await;
    assert_eq!(stale.status, 412);
    assert_eq!(stale.body["type"], "urn:problem:precondition-failed");
    assert_eq!(app.get(&path(&user)).await.body["first_name"], "Ada");

    for if_match in ["\"1\"", "*", "\"9\", \"1\""] {
        let version = app.get(&path(&user)).await.body["version"].as_i64().unwrap();
        let tag = if if_match == "\"1\"" {
            format!("\"{version}\"")
        } else if if_match == "*" {
            "*".into()
        } else {
            format!("\"9\", \"{version}\"")
        };
        let ok = app
            .request_with(
                Method::PATCH,
                &path(&user),
                Some(&app.admin_token),
                Some(json!({"first_name": format!("Bea{version}")})),
                &[("If-Match", &tag)],
            )
            .await;
        assert_eq!(ok.status, 200, "{tag}: {}", ok.text);
    }
    let weak = app
        .request_with(
            Method::PATCH,
            &path(&user),
            Some(&app.admin_token),
            Some(json!({"first_name": "Cy"})),
            &[("If-Match", "W/\"4\"")],
        )
        .await;
    assert_eq!(weak.status, 412, "weak tags never match");
}

#[tokio::test]
async fn a_stale_if_match_is_checked_before_validation() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let reply = app
        .request_with(
            Method::PATCH,
            &path(&user),
            Some(&app.admin_token),
            Some(json!({"first_name": ""})),
            &[("If-Match", "\"2\"")],
        )
        .await;
    assert_eq!(reply.status, 412);
    let missing = app.patch("/api/v1/users/0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b", json!({"first_name": ""})).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn of_ten_concurrent_patches_with_one_if_match_exactly_one_wins() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let user_path = path(&user);
    let replies = join_all((0..10).map(|i| {
        app.request_with(
            Method::PATCH,
            &user_path,
            Some(&app.admin_token),
            Some(json!({"last_name": format!("Writer {i}")})),
            &[("If-Match", "\"1\"")],
        )
    }))
    .await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 412).count(), 9, "{statuses:?}");
    assert_eq!(app.get(&user_path).await.body["version"], 2);
}

#[tokio::test]
async fn a_change_dry_run_shows_the_user_as_it_would_be_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let reply =
        app.patch(&format!("{}?dry_run=true", path(&user)), json!({"email": "Countess@education.gov.uk"})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["email"], "countess@education.gov.uk");
    assert_eq!(reply.header("etag"), None);
    assert_eq!(app.get(&path(&user)).await.body["email"], "ada@education.gov.uk");
    let invalid = app.patch(&format!("{}?dry_run=1", path(&user)), json!({})).await;
    assert_eq!(invalid.errors(), [pair("dry_run", "Dry run must be true or false")]);
}

#[tokio::test]
async fn support_users_cannot_deactivate_themselves_or_make_themselves_api_users() {
    let app = TestApp::spawn().await;
    let me = format!("/api/v1/users/{}", app.admin_id);
    let deactivate = app.patch(&me, json!({"active": false})).await;
    assert_eq!(deactivate.status, 409);
    assert_eq!(deactivate.body["type"], "urn:problem:conflict");
    assert_eq!(deactivate.detail(), "You cannot deactivate your own account");
    assert!(deactivate.body.get("errors").is_none());
    let demote = app.patch(&me, json!({"api_user": true})).await;
    assert_eq!(demote.status, 409);
    assert_eq!(demote.detail(), "You cannot make your own account an API user");
    let dry = app.patch(&format!("{me}?dry_run=true"), json!({"active": false})).await;
    assert_eq!(dry.status, 409, "guards apply to dry runs too");
    // Validation comes before guards.
    let both = app.patch(&me, json!({"active": false, "first_name": ""})).await;
    assert_eq!(both.status, 422);
    assert_eq!(app.get(&me).await.body["active"], true);
}

#[tokio::test]
async fn two_administrators_deactivating_each_other_at_once_never_leave_none() {
    for _ in 0..5 {
        let app = TestApp::spawn().await;
        let other = app.create_support_user("Bea", "Other", "bea@education.gov.uk", "administrator").await;
        let (other_token, _) = app.sign_in("bea@education.gov.uk").await;
        let admin_path = format!("/api/v1/users/{}", app.admin_id);
        let other_path = path(&other);
        let (a, b) = tokio::join!(
            app.request(Method::PATCH, &other_path, Some(&app.admin_token), Some(json!({"active": false}))),
            app.request(Method::PATCH, &admin_path, Some(&other_token), Some(json!({"active": false}))),
        );
        let statuses = [a.status, b.status];
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?} {} {}", a.text, b.text);
        let loser = if a.status == 200 { &b } else { &a };
        if loser.status == 409 {
            assert_eq!(loser.detail(), "There must be at least one active administrator");
        } else {
            assert_eq!(loser.status, 401, "the loser was already deactivated: {}", loser.text);
        }
        let active = app.get("/api/v1/users?status=active&role=administrator").await;
        if a.status == 200 {
            assert_eq!(active.body["total"], 1);
        }
    }
}
