use std::collections::HashSet;

use serde_json::{json, Value};

use crate::harness::TestApp;

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| format!("{} {}", u["first_name"].as_str().unwrap(), u["last_name"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn users_are_listed_by_first_then_last_name_ignoring_case() {
    let app = TestApp::spawn().await;
    for (first, last, email) in [
        ("bob", "Zed", "bob.zed@education.gov.uk"),
        ("Bob", "adams", "bob.adams@education.gov.uk"),
        ("alice", "Smith", "alice@education.gov.uk"),
        ("Émile", "Zola", "emile@education.gov.uk"),
        ("Zoe", "Ball", "zoe@education.gov.uk"),
        ("ALICE", "jones", "alice.jones@education.gov.uk"),
    ] {
        app.create_user(first, last, email, false).await;
    }
    let page = app.get("/api/v1/users").await;
    assert_eq!(page.status, 200);
    // Code-point order of the lower-cased names: "é" sorts after "z".
    assert_eq!(
        names(&page.body),
        ["Admin Support", "ALICE jones", "alice Smith", "Bob adams", "bob Zed", "Zoe Ball", "Émile Zola"]
    );
}

#[tokio::test]
async fn twenty_six_users_make_two_pages_with_true_totals() {
    let app = TestApp::spawn().await;
    for i in 0..25 {
        app.insert_user(&format!("User{i:02}"), "Test", &format!("user{i}@education.gov.uk"), false, true);
    }
    let first = app.get("/api/v1/users").await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 25);
    assert_eq!((first.body["page"].as_u64(), first.body["per_page"].as_u64()), (Some(1), Some(25)));
    assert_eq!((first.body["total"].as_u64(), first.body["total_pages"].as_u64()), (Some(26), Some(2)));
    assert!(first.body["next_cursor"].is_string());

    let second = app.get("/api/v1/users?page=2").await;
    assert_eq!(names(&second.body), ["User24 Test"]);
    assert_eq!(second.body["next_cursor"], Value::Null);
    assert_eq!(second.body["total"], 26);

    let past = app.get("/api/v1/users?page=9").await;
    assert_eq!(past.status, 200);
    assert_eq!(past.body["items"].as_array().unwrap().len(), 0);
    assert_eq!((past.body["total"].as_u64(), past.body["total_pages"].as_u64()), (Some(26), Some(2)));
}

#[tokio::test]
async fn a_cursor_walk_returns_every_user_exactly_once() {
    let app = TestApp::spawn().await;
    for i in 0..40 {
        // Repeated names, so the walk must break ties by id.
        app.insert_user(
            ["Sam", "sam", "Ann"][i % 3],
            ["Lee", "lee"][i % 2],
            &format!("walker{i}@education.gov.uk"),
            false,
            true,
        );
    }
    let mut seen = Vec::new();
    let mut reply = app.get("/api/v1/users?per_page=7").await;
    loop {
        assert_eq!(reply.status, 200, "{}", reply.text);
        for user in reply.body["items"].as_array().unwrap() {
            seen.push(user["id"].as_str().unwrap().to_owned());
        }
        assert_eq!(reply.body["total"], 41);
        match reply.body["next_cursor"].as_str() {
            Some(cursor) => {
                reply = app.get(&format!("/api/v1/users?per_page=7&cursor={cursor}")).await;
                assert_eq!(reply.body["page"], Value::Null);
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 41);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 41);
    let all = app.get("/api/v1/users?per_page=100").await;
    let ordered: Vec<String> =
        all.body["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seen, ordered);
}

#[tokio::test]
async fn search_matches_the_start_of_names_full_name_and_email_ignoring_case() {
    let app = TestApp::spawn().await;
    app.create_user("Ada", "Lovelace", "countess@education.gov.uk", false).await;
    app.create_user("Grace", "Hopper", "grace.hopper@education.gov.uk", false).await;
    app.create_user("Adam", "Smith", "adam@education.gov.uk", true).await;
    let search = |q: &'static str| {
        let app = &app;
        async move { names(&app.get(&format!("/api/v1/users?q={q}")).await.body) }
    };
    assert_eq!(search("ada").await, ["Ada Lovelace", "Adam Smith"]);
    assert_eq!(search("LOVE").await, ["Ada Lovelace"]);
    assert_eq!(search("ada%20lo").await, ["Ada Lovelace"]);
    assert_eq!(search("countess@").await, ["Ada Lovelace"]);
    assert_eq!(search("%20%20hopper%20").await, ["Grace Hopper"]);
    assert_eq!(search("lace").await, Vec::<String>::new());
    // `%` and `_` are literal, not wildcards.
    assert_eq!(search("a%25").await, Vec::<String>::new());
    assert_eq!(search("_").await, Vec::<String>::new());
    let reply = app.get("/api/v1/users?q=ada").await;
    assert_eq!(reply.body["total"], 2);
    assert_eq!(names(&app.get("/api/v1/users?q=").await.body).len(), 4);
}

/// The page's statement brings its own total, from a subquery (issue 10),
/// and an empty page past the end counts apart. Every way of reaching a page
/// must still show the same total.
#[tokio::test]
async fn a_search_shows_the_same_total_on_every_page_by_number_or_cursor() {
    let app = TestApp::spawn().await;
    // With the signed-in "Admin Support", six users start with "ad".
    for (first, last) in [("Ada", "Byron"), ("Adele", "Stone"), ("Adaeze", "Obi"), ("Bob", "Adams"), ("Adam", "Smith")]
    {
        app.create_user(
            first,
            last,
            &format!("{}.{}@education.gov.uk", first.to_lowercase(), last.to_lowercase()),
            false,
        )
        .await;
    }
    app.create_user("Grace", "Hopper", "grace@education.gov.uk", false).await;
    for page in 1..=4 {
        let reply = app.get(&format!("/api/v1/users?q=ad&per_page=2&page={page}")).await;
        assert_eq!(reply.status, 200);
        let shown = names(&reply.body).len();
        assert_eq!(shown, [2, 2, 2, 0][page - 1], "page {page}");
        assert_eq!(
            (reply.body["total"].as_u64(), reply.body["total_pages"].as_u64()),
            (Some(6), Some(3)),
            "page {page}"
        );
    }
    let mut reply = app.get("/api/v1/users?q=ad&per_page=2").await;
    let mut seen = names(&reply.body);
    while let Some(cursor) = reply.body["next_cursor"].as_str().map(str::to_owned) {
        reply = app.get(&format!("/api/v1/users?q=ad&per_page=2&cursor={cursor}")).await;
        assert_eq!(reply.body["total"], 6, "after {seen:?}");
        seen.extend(names(&reply.body));
    }
    assert_eq!(seen, ["Ada Byron", "Adaeze Obi", "Adam Smith", "Adele Stone", "Admin Support", "Bob Adams"]);
    let none = app.get("/api/v1/users?q=zz&page=2").await;
    assert_eq!((none.body["total"].as_u64(), names(&none.body).len()), (Some(0), 0));
}

#[tokio::test]
async fn status_and_type_filters_narrow_the_list_and_its_total() {
    let app = TestApp::spawn().await;
    app.insert_user("Inactive", "Support", "inactive@education.gov.uk", false, false);
    app.insert_user("Active", "Api", "api@education.gov.uk", true, true);
    app.insert_user("Inactive", "Api", "inactive.api@education.gov.uk", true, false);
    let check = |query: &'static str, expected: &'static [&'static str]| {
        let app = &app;
        async move {
            let reply = app.get(&format!("/api/v1/users?{query}")).await;
            assert_eq!(names(&reply.body), expected, "{query}");
            assert_eq!(reply.body["total"].as_u64(), Some(expected.len() as u64), "{query}");
        }
    };
    check("status=active", &["Active Api", "Admin Support"]).await;
    check("status=inactive", &["Inactive Api", "Inactive Support"]).await;
    check("type=api", &["Active Api", "Inactive Api"]).await;
    check("type=support", &["Admin Support", "Inactive Support"]).await;
    check("type=api&status=inactive", &["Inactive Api"]).await;
    check("type=support&q=inact", &["Inactive Support"]).await;
}

#[tokio::test]
async fn invalid_list_parameters_are_422_naming_the_parameter() {
    let app = TestApp::spawn().await;
    for (query, field, message) in [
        ("page=0", "page", "Page must be a whole number from 1 to 1000000"),
        ("page=two", "page", "Page must be a whole number from 1 to 1000000"),
        ("per_page=101", "per_page", "Results per page must be a whole number from 1 to 100"),
        ("per_page=0", "per_page", "Results per page must be a whole number from 1 to 100"),
        ("status=deleted", "status", "Status must be active or inactive"),
        ("status=", "status", "Status must be active or inactive"),
        ("page=1000001", "page", "Page must be a whole number from 1 to 1000000"),
        ("type=robot", "type", "Type must be api or support"),
        ("cursor=%21%21not-a-cursor", "cursor", "Cursor is not valid: start again from the first page"),
        ("cursor=WzEsMl0", "cursor", "Cursor is not valid: start again from the first page"),
        ("cursor=abc&page=2", "cursor", "Give either a page or a cursor, not both"),
    ] {
        let reply = app.get(&format!("/api/v1/users?{query}")).await;
        assert_eq!(reply.status, 422, "{query}");
        assert_eq!(reply.header("content-type"), Some("application/problem+json"));
        assert_eq!(reply.errors(), [(field.to_owned(), message.to_owned())], "{query}");
    }
    let many = app.get("/api/v1/users?page=0&per_page=500&status=x").await;
    assert_eq!(many.detail(), "The request has 3 errors");
}

#[tokio::test]
async fn deleted_users_never_appear_in_the_list() {
    let app = TestApp::spawn().await;
    let user = app.create_user("Gone", "Soon", "gone@education.gov.uk", false).await;
    assert_eq!(app.delete(&format!("/api/v1/users/{}", user["id"].as_str().unwrap())).await.status, 204);
    let reply = app.get("/api/v1/users?q=gone").await;
    assert_eq!(reply.body["total"], 0);
    assert_eq!(names(&app.get("/api/v1/users").await.body), ["Admin Support"]);
}

/// The totals come from counters the database keeps (issue 10), not from a
/// count of every row: after each kind of change, every filter's total is
/// still the number of users that filter lists.
#[tokio::test]
async fn totals_stay_exact_through_creates_role_and_status_changes_and_deletes() {
    let app = TestApp::spawn().await;
    let filters = ["", "status=active", "status=inactive", "type=api", "type=support", "status=inactive&type=api"];
    let check = |step: &'static str| {
        let app = &app;
        async move {
            for filter in filters {
                let reply = app.get(&format!("/api/v1/users?per_page=100&{filter}")).await;
                let listed = reply.body["items"].as_array().unwrap().len() as u64;
                assert_eq!(reply.body["total"].as_u64(), Some(listed), "{step}: {filter}");
            }
        }
    };
    let mut ids = Vec::new();
    for n in 0..6 {
        let user = app
            .create_user(
                "Count",
                &format!("Person{}", "abcdef".as_bytes()[n] as char),
                &format!("count{n}@education.gov.uk"),
                n % 2 == 0,
            )
            .await;
        ids.push(user["id"].as_str().unwrap().to_owned());
    }
    app.insert_user("Seeded", "Inactive", "seeded@education.gov.uk", true, false);
    check("created").await;
    assert_eq!(app.get("/api/v1/users").await.body["total"], 8);
    assert_eq!(app.patch(&format!("/api/v1/users/{}", ids[0]), json!({"active": false})).await.status, 200);
    assert_eq!(
        app.patch(&format!("/api/v1/users/{}", ids[1]), json!({"api_user": true, "active": false})).await.status,
        200
    );
    check("deactivated and re-roled").await;
    assert_eq!(app.patch(&format!("/api/v1/users/{}", ids[0]), json!({"active": true})).await.status, 200);
    assert_eq!(app.patch(&format!("/api/v1/users/{}", ids[2]), json!({"first_name": "Renamed"})).await.status, 200);
    check("reactivated and renamed").await;
    for id in &ids[1..4] {
        assert_eq!(app.delete(&format!("/api/v1/users/{id}")).await.status, 204);
    }
    check("deleted").await;
    assert_eq!(app.get("/api/v1/users").await.body["total"], 5);
    assert_eq!(app.get("/api/v1/users?status=inactive&type=api").await.body["total"], 1);
}
