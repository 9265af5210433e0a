use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::TestApp;

fn path(user: &Value) -> String {
    format!("/api/v1/users/{}", user["id"].as_str().unwrap())
}

#[tokio::test]
async fn a_deleted_user_is_404_and_cannot_be_deleted_again() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let reply = app.delete(&path(&user)).await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.text, "");
    for reply in [
        app.get(&path(&user)).await,
        app.delete(&path(&user)).await,
        app.patch(&path(&user), json!({"active": false})).await,
    ] {
        assert_eq!(reply.status, 404);
        assert_eq!(reply.body["type"], "urn:problem:not-found");
    }
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_404() {
    let app = TestApp::spawn().await;
    for id in ["0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b", "not-a-uuid", "%27%3B%20DROP%20TABLE%20users%3B--"] {
        assert_eq!(app.get(&format!("/api/v1/users/{id}")).await.status, 404, "{id}");
        assert_eq!(app.delete(&format!("/api/v1/users/{id}")).await.status, 404, "{id}");
    }
}

#[tokio::test]
async fn a_support_user_cannot_delete_their_own_account() {
    let app = TestApp::spawn().await;
    let reply = app.delete(&format!("/api/v1/users/{}", app.admin_id)).await;
    assert_eq!(reply.status, 409);
    assert_eq!(reply.detail(), "You cannot delete your own account");
    assert_eq!(app.get("/api/v1/me").await.status, 200);
}

#[tokio::test]
async fn delete_honours_if_match() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let stale =
        app.request_with(Method::DELETE, &path(&user), Some(&app.admin_token), None, &[("If-Match", "\"5\"")]).await;
    assert_eq!(stale.status, 412);
    let ok =
        app.request_with(Method::DELETE, &path(&user), Some(&app.admin_token), None, &[("If-Match", "\"1\"")]).await;
    assert_eq!(ok.status, 204);
}

#[tokio::test]
async fn two_administrators_deleting_each_other_at_once_never_leave_none() {
    let app = TestApp::spawn().await;
    let other = app.create_support_user("Bea", "Other", "bea@education.gov.uk", "administrator").await;
    let (other_token, _) = app.sign_in("bea@education.gov.uk").await;
    let admin_path = format!("/api/v1/users/{}", app.admin_id);
    let replies = join_all([
        app.request(Method::DELETE, &path(&other), Some(&app.admin_token), None),
        app.request(Method::DELETE, &admin_path, Some(&other_token), None),
    ])
    .await;
    let deleted = replies.iter().filter(|r| r.status == 204).count();
    assert_eq!(deleted, 1, "{:?}", replies.iter().map(|r| (r.status, r.text.clone())).collect::<Vec<_>>());
    for reply in replies.iter().filter(|r| r.status != 204) {
        match reply.status {
            409 => assert_eq!(reply.detail(), "There must be at least one active administrator"),
            status => assert_eq!(status, 401, "the loser was already deleted: {}", reply.text),
        }
    }
}
