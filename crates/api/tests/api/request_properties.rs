//! Property tests over arbitrary JSON bodies: nested objects, arrays,
//! strings, numbers of every size, and the right keys with wrong types.
//! Through the body reader and the rules they never panic; over HTTP they
//! are a 201 or the contract's 422, never a 500.

use std::collections::HashSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

use users_api::http::json::JsonObject;
use users_api::routes::users::representation::USER_FIELDS;
use users_domain::{messages as m, NewUser, Supplied, UserInput};

use crate::harness::TestApp;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ \t\r\n]{1,3}",
        "[A-Za-z' -]{1,12}",
        "[ -~]{0,30}",
        ".{0,20}",
        "[\u{0}-\u{1f}a]{1,4}",
        (250usize..260).prop_map(|n| "x".repeat(n)),
    ]
}

/// Any JSON value, nested up to three levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// A field's value: usually of the right shape, often anything at all.
fn field(right: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![1 => Just(None), 12 => right.prop_map(Some), 2 => json_value().prop_map(Some)]
}

/// A role: usually absent or one of the three, sometimes anything.
fn role() -> impl Strategy<Value = Option<Value>> {
    let named = prop_oneof![Just("viewer"), Just("editor"), Just("administrator"), Just("owner")].prop_map(Value::from);
    prop_oneof![6 => Just(None), 6 => named.prop_map(Some), 1 => Just(Some(Value::Null)), 1 => json_value().prop_map(Some)]
}

/// A user body: the six fields, sometimes with keys the endpoint does not take.
fn user_body() -> impl Strategy<Value = Map<String, Value>> {
    let name = prop_oneof![3 => "[A-Z][a-z]{1,8}".prop_map(Value::from), 1 => text().prop_map(Value::from)];
    let email = prop_oneof![
        3 => "[a-z]{1,4}@education\\.gov\\.uk".prop_map(Value::from),
        1 => text().prop_map(Value::from),
    ];
    let extra_key = prop_oneof![
        Just("id".to_owned()),
        Just("version".to_owned()),
        Just("role".to_owned()),
        Just("last_signed_in_at".to_owned()),
        "[a-z_]{1,10}",
        ".{1,6}",
    ];
    let extras = prop_oneof![
        8 => Just(Vec::new()),
        1 => proptest::collection::vec((extra_key, json_value()), 1..3),
    ];
    (
        field(name.clone()),
        field(name),
        field(email),
        field(any::<bool>().prop_map(Value::from)),
        role(),
        field(any::<bool>().prop_map(Value::from)),
        extras,
    )
        .prop_map(|(first, last, email, api_user, support_role, active, extras)| {
            let mut body = Map::new();
            for (key, value) in USER_FIELDS.iter().zip([first, last, email, api_user, support_role, active]) {
                if let Some(value) = value {
                    body.insert((*key).to_owned(), value);
                }
            }
            for (key, value) in extras {
                body.insert(key, value);
            }
            body
        })
}

/// What the rules say of a body, as the create handler reads it: the
/// user, only when nothing is refused.
fn judge(body: &JsonObject) -> (Vec<(String, String)>, Option<NewUser>) {
    let mut errors = body.unknown_fields(&USER_FIELDS);
    let input = UserInput {
        first_name: body.string("first_name"),
        last_name: body.string("last_name"),
        email: body.string("email"),
        api_user: body.boolean("api_user"),
        active: body.boolean("active"),
        support_role: body.string("support_role"),
    };
    let parsed = match NewUser::parse(&input) {
        Ok(user) => Some(user),
        Err(rule_errors) => {
            errors.extend(rule_errors);
            None
        }
    };
    let parsed = parsed.filter(|_| errors.is_empty());
    let errors = errors.errors().iter().map(|e| (e.field.to_string(), e.message.to_owned())).collect();
    (errors, parsed)
}

fn allowed(field: &str, message: &str) -> bool {
    let messages: &[&str] = match field {
        "first_name" => &[m::ENTER_FIRST_NAME, m::FIRST_NAME_TOO_LONG, m::FIRST_NAME_CONTROL_CHARACTERS],
        "last_name" => &[m::ENTER_LAST_NAME, m::LAST_NAME_TOO_LONG, m::LAST_NAME_CONTROL_CHARACTERS],
        "email" => &[m::ENTER_EMAIL, m::EMAIL_FORMAT, m::EMAIL_IN_USE],
        "api_user" => &[m::SELECT_API_USER],
        "active" => &[m::SELECT_ACTIVE],
        "support_role" => &[m::SELECT_ROLE, m::API_USERS_HAVE_NO_ROLE],
        _ => &[m::UNKNOWN_FIELD],
    };
    messages.contains(&message)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any JSON object read by the body reader and judged by the rules gives
    /// a user or field errors with the contract's sentences, never a panic.
    #[test]
    fn any_json_object_gives_a_user_or_the_contracts_field_errors(fields in user_body()) {
        let body = JsonObject(fields.clone());
        let (errors, parsed) = judge(&body);
        prop_assert_eq!(errors.is_empty(), parsed.is_some());
        for (field, message) in &errors {
            prop_assert!(allowed(field, message), "{field}: {message}");
        }
        for key in fields.keys().filter(|k| !USER_FIELDS.contains(&k.as_str())) {
            prop_assert!(errors.contains(&(key.clone(), m::UNKNOWN_FIELD.to_owned())), "{key} is refused by name");
        }
        if let Some(Value::Number(_) | Value::Array(_) | Value::Object(_)) = fields.get("api_user") {
            prop_assert_eq!(body.boolean("api_user"), Supplied::WrongType);
            prop_assert!(errors.contains(&("api_user".to_owned(), m::SELECT_API_USER.to_owned())));
        }
    }
}

/// 200 arbitrary JSON objects POSTed to `/api/v1/users`: each is a 201 with
/// the normalised user exactly when the rules accept it (and the address is
/// free), else a 422 listing the contract's sentences; never a 500.
#[tokio::test]
async fn arbitrary_json_bodies_posted_to_users_are_201_or_422_never_500() {
    let app = TestApp::spawn().await;
    let mut runner = TestRunner::new(Config { cases: 200, ..Config::default() });
    let strategy = user_body();
    let mut taken: HashSet<String> = HashSet::from(["admin.support@education.gov.uk".to_owned()]);
    let (mut created, mut refused) = (0, 0);
    let started = std::time::Instant::now();
    for _ in 0..200 {
        let fields = strategy.new_tree(&mut runner).expect("a body").current();
        let (expected_errors, parsed) = judge(&JsonObject(fields.clone()));
        let sent = Value::Object(fields);
        let reply = app.post("/api/v1/users", sent.clone()).await;
        match &parsed {
            Some(user) if !taken.contains(user.email.as_str()) => {
                assert_eq!(reply.status, 201, "{sent}: {}", reply.text);
                assert_eq!(reply.body["first_name"], user.first_name.as_str());
                assert_eq!(reply.body["email"], user.email.as_str());
                assert_eq!(reply.body["active"], user.active);
                assert_eq!(reply.body["support_role"], json!(user.support_role.map(|r| r.as_str())));
                taken.insert(user.email.as_str().to_owned());
                created += 1;
            }
            Some(_) => {
                assert_eq!(reply.status, 422, "{sent}: {}", reply.text);
                assert_eq!(reply.errors(), [("email".to_owned(), m::EMAIL_IN_USE.to_owned())], "{sent}");
                refused += 1;
            }
            None => {
                assert_eq!(reply.status, 422, "{sent}: {}", reply.text);
                let errors = reply.errors();
                let mut expected = expected_errors.clone();
                // The address may also be in use: the handler reports that with the rest.
                if errors.len() == expected.len() + 1 {
                    let position = errors.iter().position(|e| e.1 == m::EMAIL_IN_USE).expect("in use");
                    expected.insert(position, errors[position].clone());
                }
                assert_eq!(errors, expected, "{sent}");
                refused += 1;
            }
        }
    }
    println!("arbitrary bodies: {created} created, {refused} refused in {:?}", started.elapsed());
    assert!(created >= 10 && refused >= 50, "the bodies cover both outcomes: {created} created, {refused} refused");
    assert_eq!(app.get("/api/v1/users").await.body["total"], created + 1, "exactly the accepted users were added");
}
