//! Emails about API clients (contract §10, issue 23): expiry reminders, sent
//! once per client and day-count whichever process finds them, and the
//! notice to an owner whose client someone else revoked. Time is moved by
//! calling the reminder run with a later `now`, never by waiting.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use users_api::auth::jwt::Role;
use users_api::email::render::MailSettings;
use users_api::reminders::{send_due, ReminderSettings};
use users_api::time::Timestamp;

use crate::harness::{ServerProcess, TestApp};

const CLIENTS: &str = "/api/v1/api-clients";
const SERVICE: &str = "Register of training providers";

fn settings(days: &[u32]) -> ReminderSettings {
    ReminderSettings {
        days: days.to_vec(),
        every: std::time::Duration::from_secs(3600),
        mail: MailSettings {
            service_name: SERVICE.into(),
            sign_in_url: "http://127.0.0.1/sign-in".into(),
            support_email: "support@education.gov.uk".into(),
        },
    }
}

/// Runs the reminders as a process would at `days_later` days from now.
fn remind(app: &TestApp, days: &[u32], days_later: i64) -> usize {
    let settings = settings(days);
    let now = Timestamp::from(Utc::now() + Duration::days(days_later));
    app.db.run_blocking(move |conn| send_due(conn, &settings, now)).unwrap()
}

/// How many emails of `kind` to `to` with `subject` are in the outbox.
fn emails(app: &TestApp, kind: &str, to: &str, subject: &str) -> usize {
    let subject = subject.replace('\'', "''");
    app.sql(&format!(
        "UPDATE outbox_emails SET kind = kind WHERE kind = '{kind}' AND recipient = '{to}' AND subject = '{subject}'"
    ))
}

fn date_in(days: i64) -> chrono::NaiveDate {
    Utc::now().date_naive() + Duration::days(days)
}

fn expiring_subject(on: chrono::NaiveDate) -> String {
    format!("An API client for {SERVICE} expires on {}", on.format("%-d %B %Y"))
}

async fn add_for(app: &TestApp, token: &str, name: &str, expires_on: chrono::NaiveDate) -> Value {
    let body = json!({"name": name, "expires_on": expires_on.to_string()});
    let reply = app.request(Method::POST, CLIENTS, Some(token), Some(body)).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

#[tokio::test]
async fn an_owner_is_reminded_once_for_each_day_count_before_expiry() {
    let app = TestApp::spawn().await;
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let token = app.token_for(&robo, Role::Api);
    let expires = date_in(40);
    add_for(&app, &token, "Payroll", expires).await;
    let subject = expiring_subject(expires);
    let sent = |app: &TestApp| emails(app, "api_client_expiring", "robo@education.gov.uk", &subject);
    assert_eq!(remind(&app, &[30, 7], 0), 0, "40 days out: inside no day-count");
    assert_eq!(remind(&app, &[30, 7], 10), 1, "30 days out");
    assert_eq!(remind(&app, &[30, 7], 10), 0, "once");
    assert_eq!(remind(&app, &[30, 7], 20), 0, "20 days out: still the 30-day reminder, already sent");
    assert_eq!(remind(&app, &[30, 7], 33), 1, "7 days out");
    assert_eq!(remind(&app, &[30, 7], 39), 0);
    assert_eq!(remind(&app, &[30, 7], 40), 0, "expired");
    assert_eq!(sent(&app), 2);
}

#[tokio::test]
async fn a_client_made_inside_several_day_counts_gets_one_reminder_for_the_nearest() {
    let app = TestApp::spawn().await;
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let token = app.token_for(&robo, Role::Api);
    let soon = date_in(5);
    let client = add_for(&app, &token, "Soon", soon).await;
    assert_eq!(remind(&app, &[30, 7], 0), 1);
    assert_eq!(remind(&app, &[30, 7], 1), 0, "and not the 30-day one afterwards");
    // A new expiry date is reminded of again.
    let later = date_in(20);
    let path = format!("{CLIENTS}/{}", client["id"].as_str().unwrap());
    assert_eq!(app.patch(&path, json!({"expires_on": later.to_string()})).await.status, 200);
    assert_eq!(remind(&app, &[30, 7], 0), 1);
    assert_eq!(emails(&app, "api_client_expiring", "robo@education.gov.uk", &expiring_subject(soon)), 1);
    assert_eq!(emails(&app, "api_client_expiring", "robo@education.gov.uk", &expiring_subject(later)), 1);
}

#[tokio::test]
async fn revoked_clients_and_inactive_owners_are_not_reminded() {
    let app = TestApp::spawn().await;
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let token = app.token_for(&robo, Role::Api);
    let revoked = add_for(&app, &token, "Revoked", date_in(5)).await;
    let path = format!("{CLIENTS}/{}/revoke", revoked["id"].as_str().unwrap());
    assert_eq!(app.request(Method::POST, &path, Some(&token), None).await.status, 200);
    let idle = app.insert_with_role("Idle", "Owner", "idle@education.gov.uk", None, true);
    add_for(&app, &app.token_for(&idle, Role::Api), "Idle's", date_in(5)).await;
    assert_eq!(app.patch(&format!("/api/v1/users/{idle}"), json!({"active": false})).await.status, 200);
    assert_eq!(remind(&app, &[30, 7], 0), 0);
    assert_eq!(remind(&app, &[], 0), 0, "no day-counts, no reminders");
}

#[tokio::test]
async fn two_processes_send_a_reminder_once() {
    let app = TestApp::spawn().await;
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let expires = date_in(10);
    add_for(&app, &app.token_for(&robo, Role::Api), "Shared", expires).await;
    let quick = [("API_CLIENT_REMINDER_INTERVAL", "50ms")];
    let (first, second) =
        (ServerProcess::start_with(&app, &quick).await, ServerProcess::start_with(&app, &quick).await);
    let subject = expiring_subject(expires);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while emails(&app, "api_client_expiring", "robo@education.gov.uk", &subject) == 0 {
        assert!(std::time::Instant::now() < deadline, "a reminder was sent: {}", first.log());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Both keep looking, many times over; neither sends it again.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(emails(&app, "api_client_expiring", "robo@education.gov.uk", &subject), 1, "{}", second.log());
}

#[tokio::test]
async fn the_owner_hears_when_someone_else_revokes_their_client() {
    let app = TestApp::spawn().await;
    let robo = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let token = app.token_for(&robo, Role::Api);
    let subject = format!("Your API client for {SERVICE} has been revoked");
    let notices = |app: &TestApp| emails(app, "api_client_revoked", "robo@education.gov.uk", &subject);
    let theirs = add_for(&app, &token, "Theirs", date_in(60)).await;
    let revoke = |client: &Value| format!("{CLIENTS}/{}/revoke", client["id"].as_str().unwrap());
    assert_eq!(app.post(&revoke(&theirs), json!({})).await.status, 200);
    assert_eq!(notices(&app), 1, "revoked by an administrator");
    assert_eq!(app.post(&revoke(&theirs), json!({})).await.status, 200);
    assert_eq!(notices(&app), 1, "revoking a revoked client tells nobody again");
    let own = add_for(&app, &token, "Own", date_in(60)).await;
    assert_eq!(app.request(Method::POST, &revoke(&own), Some(&token), None).await.status, 200);
    assert_eq!(notices(&app), 1, "the owner revoking their own hears nothing");
    let body = app
        .db
        .query_blocking(|conn| {
            users_api::db_run!(conn, |c| {
                use diesel::prelude::*;
                use users_api::db::schema::outbox_emails::dsl::*;
                outbox_emails.filter(kind.eq("api_client_revoked")).select(text_body).first::<String>(c)
            })
        })
        .unwrap();
    assert!(body.contains("\"Theirs\""), "{body}");
    assert!(body.contains("revoked by Admin Support"), "{body}");
}
