use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::TestApp;

const FORMAT: &str = "Enter a Department for Education email address in the correct format, like name@education.gov.uk";

fn body(first: Value, last: Value, email: Value, api_user: Value) -> Value {
    json!({"first_name": first, "last_name": last, "email": email, "api_user": api_user})
}

async fn errors_for(app: &TestApp, body: Value) -> Vec<(String, String)> {
    let reply = app.post("/api/v1/users", body).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.body["type"], "urn:problem:validation");
    assert_eq!(reply.body["title"], "There is a problem");
    reply.errors()
}

fn one(field: &str, message: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), message.to_owned())]
}

#[tokio::test]
async fn adding_a_user_returns_201_with_location_etag_and_the_normalised_user() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/users",
            body(json!("  Ada "), json!("Lovelace "), json!(" Ada.Lovelace@Education.gov.uk"), json!(false)),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let user = &reply.body;
    let id = user["id"].as_str().unwrap();
    assert_eq!(reply.header("location"), Some(format!("/api/v1/users/{id}").as_str()));
    assert_eq!(reply.header("etag"), Some("\"1\""));
    assert_eq!(user["first_name"], "Ada");
    assert_eq!(user["last_name"], "Lovelace");
    assert_eq!(user["email"], "ada.lovelace@education.gov.uk");
    assert_eq!(user["api_user"], false);
    assert_eq!(user["active"], true);
    assert_eq!(user["last_signed_in_at"], Value::Null);
    assert_eq!(user["support_role"], "viewer", "least privilege when no role is named");
    assert_eq!(
        user["editable_fields"],
        json!(["first_name", "last_name", "email", "api_user", "support_role", "active"])
    );
    assert_eq!(user["can_delete"], true);
    assert_eq!(user["version"], 1);
    let created = user["created_at"].as_str().unwrap();
    assert!(created.ends_with('Z'), "{created}");
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);

    let fetched = app.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body, reply.body, "a value once returned is returned identically");
}

#[tokio::test]
async fn every_missing_field_is_reported_together_in_field_order() {
    let app = TestApp::spawn().await;
    let reply = app.post("/api/v1/users", json!({})).await;
    assert_eq!(reply.detail(), "The request has 4 errors");
    assert_eq!(
        reply.errors(),
        [
            ("first_name".to_owned(), "Enter first name".to_owned()),
            ("last_name".to_owned(), "Enter last name".to_owned()),
            ("email".to_owned(), "Enter email address".to_owned()),
            ("api_user".to_owned(), "Select if the account is an API user".to_owned()),
        ]
    );
}

#[tokio::test]
async fn blank_null_and_wrongly_typed_fields_get_their_required_message() {
    let app = TestApp::spawn().await;
    let errors = errors_for(&app, body(json!("  "), json!(null), json!(42), json!("yes"))).await;
    assert_eq!(
        errors,
        [
            ("first_name".to_owned(), "Enter first name".to_owned()),
            ("last_name".to_owned(), "Enter last name".to_owned()),
            ("email".to_owned(), "Enter email address".to_owned()),
            ("api_user".to_owned(), "Select if the account is an API user".to_owned()),
        ]
    );
    let mut with_null_active = body(json!("A"), json!("B"), json!("a.b@education.gov.uk"), json!(null));
    with_null_active["active"] = json!(null);
    assert_eq!(
        errors_for(&app, with_null_active).await,
        [
            ("api_user".to_owned(), "Select if the account is an API user".to_owned()),
            ("active".to_owned(), "Select if the account is active".to_owned()),
        ]
    );
    assert_eq!(
        errors_for(&app, body(json!(" "), json!("B"), json!("   "), json!(true))).await[1],
        ("email".to_owned(), "Enter email address".to_owned())
    );
}

#[tokio::test]
async fn names_over_255_characters_are_refused_and_255_are_accepted() {
    let app = TestApp::spawn().await;
    let long = "é".repeat(256);
    assert_eq!(
        errors_for(&app, body(json!(long), json!(long), json!("x@education.gov.uk"), json!(false))).await,
        [
            ("first_name".to_owned(), "First name must be 255 characters or less".to_owned()),
            ("last_name".to_owned(), "Last name must be 255 characters or less".to_owned()),
        ]
    );
    let ok = format!("  {}  ", "é".repeat(255));
    let reply = app.post("/api/v1/users", body(json!(ok), json!("B"), json!("x@education.gov.uk"), json!(false))).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[tokio::test]
async fn names_with_line_breaks_or_control_characters_are_refused() {
    let app = TestApp::spawn().await;
    assert_eq!(
        errors_for(&app, body(json!("Ada\nLovelace"), json!("X\u{0007}"), json!("x@education.gov.uk"), json!(false)))
            .await,
        [
            ("first_name".to_owned(), "First name must not include line breaks or other control characters".to_owned()),
            ("last_name".to_owned(), "Last name must not include line breaks or other control characters".to_owned()),
        ]
    );
}

#[tokio::test]
async fn addresses_that_are_malformed_or_off_the_dfe_domain_are_refused() {
    let app = TestApp::spawn().await;
    for email in [
        "ada",
        "ada@",
        "ada@gmail.com",
        "ada@badeducation.gov.uk",
        "ada@education.gov.uk.example.com",
        "ada..l@education.gov.uk",
        "ada l@education.gov.uk",
        "adà@education.gov.uk",
    ] {
        assert_eq!(
            errors_for(&app, body(json!("A"), json!("B"), json!(email), json!(false))).await,
            one("email", FORMAT),
            "{email}"
        );
    }
    let too_long = format!("{}@{}.education.gov.uk", "a".repeat(64), "b".repeat(180));
    assert_eq!(
        errors_for(&app, body(json!("A"), json!("B"), json!(too_long), json!(false))).await,
        one("email", FORMAT)
    );
    for email in ["ada@education.gov.uk", "grace@digital.education.gov.uk", "o'brien+tag@education.gov.uk"] {
        let reply = app.post("/api/v1/users", body(json!("A"), json!("B"), json!(email), json!(false))).await;
        assert_eq!(reply.status, 201, "{email}: {}", reply.text);
    }
}

#[tokio::test]
async fn an_address_in_use_in_another_case_is_refused_but_a_deleted_users_is_free() {
    let app = TestApp::spawn().await;
    let first = app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    assert_eq!(
        errors_for(&app, body(json!("Ada"), json!("Again"), json!("  ADA@Education.Gov.UK "), json!(false))).await,
        one("email", "Email address already in use")
    );
    // A request that is otherwise valid is refused by the unique index as it is
    // stored: the same answer, and nothing of it is kept.
    assert_eq!(app.get("/api/v1/users?q=ada@").await.body["total"], 1);
    // Uniqueness is reported with the other errors, in field order.
    assert_eq!(
        errors_for(&app, body(json!(""), json!("Again"), json!("ada@education.gov.uk"), json!(false))).await,
        [
            ("first_name".to_owned(), "Enter first name".to_owned()),
            ("email".to_owned(), "Email address already in use".to_owned()),
        ]
    );
    assert_eq!(app.delete(&format!("/api/v1/users/{}", first["id"].as_str().unwrap())).await.status, 204);
    let again = app
        .post("/api/v1/users", body(json!("Ada"), json!("Again"), json!("Ada@education.gov.uk"), json!(false)))
        .await;
    assert_eq!(again.status, 201, "{}", again.text);
}

#[tokio::test]
async fn fields_the_request_does_not_take_are_refused_by_name() {
    let app = TestApp::spawn().await;
    let mut sent = body(json!("A"), json!("B"), json!("a@education.gov.uk"), json!(false));
    sent["id"] = json!("0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b");
    sent["last_signed_in_at"] = json!("2025-01-01T00:00:00Z");
    let errors = errors_for(&app, sent).await;
    assert_eq!(
        errors,
        [
            ("id".to_owned(), "This field is not recognised".to_owned()),
            ("last_signed_in_at".to_owned(), "This field is not recognised".to_owned()),
        ]
    );
    assert_eq!(app.get("/api/v1/users?q=a@").await.body["total"], 0, "nothing was saved");
}

#[tokio::test]
async fn a_new_user_may_be_added_inactive() {
    let app = TestApp::spawn().await;
    let mut sent = body(json!("A"), json!("B"), json!("a@education.gov.uk"), json!(true));
    sent["active"] = json!(false);
    let reply = app.post("/api/v1/users", sent).await;
    assert_eq!(reply.status, 201);
    assert_eq!((reply.body["active"].as_bool(), reply.body["api_user"].as_bool()), (Some(false), Some(true)));
}

#[tokio::test]
async fn a_dry_run_validates_everything_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/users?dry_run=true",
            body(json!(" Ada "), json!("Lovelace"), json!("ADA@education.gov.uk"), json!(false)),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body,
        json!({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@education.gov.uk", "api_user": false, "support_role": "viewer", "active": true})
    );
    assert_eq!(reply.header("location"), None);
    assert_eq!(reply.header("etag"), None);
    assert_eq!(app.get("/api/v1/users?q=ada").await.body["total"], 0);

    app.create_user("Ada", "Lovelace", "ada@education.gov.uk", false).await;
    let dup = app
        .post("/api/v1/users?dry_run=true", body(json!("A"), json!("B"), json!("ada@education.gov.uk"), json!(false)))
        .await;
    assert_eq!(dup.errors(), one("email", "Email address already in use"));

    let bad = app
        .post("/api/v1/users?dry_run=maybe", body(json!("A"), json!("B"), json!("b@education.gov.uk"), json!(false)))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.errors(), one("dry_run", "Dry run must be true or false"));
    let explicit = app
        .post("/api/v1/users?dry_run=false", body(json!("A"), json!("B"), json!("b@education.gov.uk"), json!(false)))
        .await;
    assert_eq!(explicit.status, 201);
}

#[tokio::test]
async fn fifty_concurrent_creates_of_one_address_give_exactly_one_201() {
    let app = TestApp::spawn().await;
    let attempts = (0..50).map(|i| {
        let email = if i % 2 == 0 { "race@education.gov.uk" } else { "RACE@Education.gov.uk" };
        app.request(
            Method::POST,
            "/api/v1/users",
            Some(&app.admin_token),
            Some(body(json!("Race"), json!(format!("Runner {i}")), json!(email), json!(false))),
        )
    });
    let replies = join_all(attempts).await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let refused: Vec<_> = replies.iter().filter(|r| r.status == 422).collect();
    assert_eq!(created, 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert_eq!(refused.len(), 49);
    for reply in refused {
        assert_eq!(reply.errors(), one("email", "Email address already in use"));
    }
    assert_eq!(app.get("/api/v1/users?q=race").await.body["total"], 1);
}
