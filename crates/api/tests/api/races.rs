//! Races the resource files leave out (issue #11): the last two administrators
//! acting on each other with different changes at once, and one API client
//! rotated and revoked at once. (Same-kind races — two deactivations, two
//! deletions, fifty creates of one address, ten `If-Match` PATCHes — live
//! with their resource.)

use reqwest::Method;
use serde_json::{json, Value};

use users_api::db::user_list;
use users_domain::list::{StatusFilter, TypeFilter};
use users_domain::{messages, SupportRole};

use crate::harness::TestApp;

const PROVIDERS: &str = "/api/v1/providers";

/// Active, undeleted administrators, as the list's
/// `status=active&type=support&role=administrator` total reads them (the
/// counters the triggers keep).
fn active_administrators(app: &TestApp) -> u64 {
    let filters = user_list::Filters {
        q: None,
        status: Some(StatusFilter::Active),
        kind: Some(TypeFilter::Support),
        role: Some(SupportRole::Administrator),
    };
    app.db.query_blocking(move |conn| user_list::count(conn, &filters)).unwrap()
}

fn act(method: Method, body: Option<Value>) -> (Method, Option<Value>) {
    (method, body)
}

#[tokio::test]
async fn the_last_two_administrators_deactivating_deleting_demoting_or_making_api_users_of_each_other_at_once_leave_one(
) {
    let deactivate = || act(Method::PATCH, Some(json!({"active": false})));
    let delete = || act(Method::DELETE, None);
    let make_api_user = || act(Method::PATCH, Some(json!({"api_user": true})));
    let demote = || act(Method::PATCH, Some(json!({"support_role": "editor"})));
    let pairs = [
        ("deactivate vs delete", deactivate(), delete()),
        ("delete vs deactivate", delete(), deactivate()),
        ("make API user vs deactivate", make_api_user(), deactivate()),
        ("delete vs make API user", delete(), make_api_user()),
        ("demote vs demote", demote(), demote()),
        ("demote vs delete", demote(), delete()),
        ("deactivate vs demote", deactivate(), demote()),
    ];
    for (name, (admin_method, admin_body), (bea_method, bea_body)) in pairs {
        for _ in 0..2 {
            let app = TestApp::spawn().await;
            let bea = app.create_support_user("Bea", "Other", "bea@education.gov.uk", "administrator").await;
            let (bea_token, _) = app.sign_in("bea@education.gov.uk").await;
            let bea_path = format!("/api/v1/users/{}", bea["id"].as_str().unwrap());
            let admin_path = format!("/api/v1/users/{}", app.admin_id);
            assert_eq!(active_administrators(&app), 2);
            let (by_admin, by_bea) = tokio::join!(
                app.request(admin_method.clone(), &bea_path, Some(&app.admin_token), admin_body.clone()),
                app.request(bea_method.clone(), &admin_path, Some(&bea_token), bea_body.clone()),
            );
            let replies = [&by_admin, &by_bea];
            let won = replies.iter().filter(|r| matches!(r.status, 200 | 204)).count();
            assert_eq!(won, 1, "{name}: {} {} / {} {}", by_admin.status, by_admin.text, by_bea.status, by_bea.text);
            for lost in replies.iter().filter(|r| !matches!(r.status, 200 | 204)) {
                match lost.status {
                    409 => assert_eq!(lost.detail(), messages::LAST_ACTIVE_ADMINISTRATOR, "{name}"),
                    401 => {} // its sender had already been deactivated, deleted or made an API user
                    // its sender had already been made an editor, who may not act on an administrator
                    403 => assert_eq!(lost.detail(), messages::ADMINISTRATORS_ONLY, "{name}"),
                    other => panic!("{name}: {other} {}", lost.text),
                }
            }
            assert_eq!(active_administrators(&app), 1, "{name}: exactly one active administrator remains");
        }
    }
}

async fn providers_status(app: &TestApp, token: &str) -> u16 {
    app.request(Method::GET, PROVIDERS, Some(token), None).await.status
}

#[tokio::test]
async fn rotating_and_revoking_one_client_at_once_ends_revoked_with_no_token_working() {
    let app = TestApp::spawn().await;
    let mut rotations_refused = 0;
    for round in 0..6 {
        let (client, original) = app.create_client(&app.admin_token, &format!("Payroll {round}")).await;
        let path = format!("/api/v1/api-clients/{}", client["id"].as_str().unwrap());
        let (rotate, revoke) = (format!("{path}/rotate"), format!("{path}/revoke"));
        let (rotated, revoked) = tokio::join!(app.post(&rotate, json!({})), app.post(&revoke, json!({})));
        assert_eq!(
            revoked.status, 200,
            "revoking an active client succeeds whatever the rotation did: {}",
            revoked.text
        );
        assert_eq!(revoked.body["status"], "revoked");
        let new_token = match rotated.status {
            200 => Some(rotated.body["token"].as_str().unwrap().to_owned()),
            409 => {
                assert_eq!(rotated.detail(), messages::CANNOT_ROTATE_REVOKED_CLIENT);
                rotations_refused += 1;
                None
            }
            other => panic!("rotate: {other} {}", rotated.text),
        };
        let shown = app.get(&path).await;
        assert_eq!(shown.body["status"], "revoked", "revoked wins: {}", shown.text);
        assert_eq!(providers_status(&app, &original).await, 401, "the original token ends");
        if let Some(token) = new_token {
            assert_eq!(providers_status(&app, &token).await, 401, "the token the rotation issued ends too");
        }
    }
    eprintln!("rotate vs revoke: 6 rounds, the rotation came second and was refused in {rotations_refused}");
}

#[tokio::test]
async fn two_rotations_of_one_client_at_once_both_count_the_original_ends_and_both_new_tokens_work() {
    let app = TestApp::spawn().await;
    for round in 0..6 {
        let (client, original) = app.create_client(&app.admin_token, &format!("Payroll {round}")).await;
        let rotate = format!("/api/v1/api-clients/{}/rotate", client["id"].as_str().unwrap());
        let (first, second) = tokio::join!(app.post(&rotate, json!({})), app.post(&rotate, json!({})));
        assert_eq!((first.status, second.status), (200, 200), "{} / {}", first.text, second.text);
        let (first, second) = (first.body["token"].as_str().unwrap(), second.body["token"].as_str().unwrap());
        assert_ne!(first, second);
        // One rotation followed the other: the later one's token is current,
        // the earlier one's is in its grace period, and the original (two
        // rotations ago) has ended. A lost update would leave the original working.
        assert_eq!(providers_status(&app, &original).await, 401, "round {round}: the original token ends");
        assert_eq!(providers_status(&app, first).await, 200, "round {round}");
        assert_eq!(providers_status(&app, second).await, 200, "round {round}");
    }
}
