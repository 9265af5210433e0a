//! Support-user roles (contract §9, issue 22): the permission table cell by
//! cell, the role in bodies, dry runs, filters and activity, `editable_fields`
//! and `can_delete` for each caller, the self-role guard, roles read afresh on
//! every request, the migration on a database that already has users, and
//! `create-user --role`.

use reqwest::Method;
use serde_json::{json, Value};

use users_api::auth::jwt::Role;
use users_domain::{messages, SupportRole};

use crate::harness::{Reply, TestApp};

const USERS: &str = "/api/v1/users";
const CLIENTS: &str = "/api/v1/api-clients";
const NOT_THIS_ACCOUNT: &str = "Your account cannot use this part of the service";

/// Who acts: the harness's administrator, and one signed-in account of each
/// other kind.
struct Team {
    viewer: String,
    editor: String,
    api: String,
    editor_id: String,
}

impl Team {
    async fn new(app: &TestApp) -> Self {
        let viewer = app.insert_with_role("Vera", "Viewer", "vera@education.gov.uk", Some(SupportRole::Viewer), true);
        let editor_id =
            app.insert_with_role("Eddie", "Editor", "eddie@education.gov.uk", Some(SupportRole::Editor), true);
        let api = app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
        Team {
            viewer: app.token_for(&viewer, Role::Support),
            editor: app.token_for(&editor_id, Role::Support),
            api: app.token_for(&api, Role::Api),
            editor_id,
        }
    }

    /// (name, token) of each caller: viewer, editor, administrator, API user.
    fn callers<'a>(&'a self, app: &'a TestApp) -> [(&'static str, &'a str); 4] {
        [("viewer", &self.viewer), ("editor", &self.editor), ("administrator", &app.admin_token), ("api", &self.api)]
    }
}

/// A fresh user of this kind (`None`: an API user), never signed in.
fn target(app: &TestApp, n: usize, role: Option<SupportRole>) -> String {
    let name = role.map_or("api", SupportRole::as_str);
    app.insert_with_role("Target", "Person", &format!("target.{name}.{n}@education.gov.uk"), role, true)
}

fn assert_refused(reply: &Reply, status: u16, detail: &str, what: &str) {
    assert_eq!(reply.status, status, "{what}: {}", reply.text);
    assert_eq!(reply.body["type"], "urn:problem:forbidden", "{what}");
    assert_eq!(reply.detail(), detail, "{what}");
}

/// What a caller who may not write, or may not touch this target, hears;
/// `None` when the write goes ahead.
fn expected_refusal(caller: &str, target_is_administrator: bool) -> Option<&'static str> {
    match caller {
        "viewer" => Some(messages::NO_PERMISSION_TO_CHANGE),
        "api" => Some(NOT_THIS_ACCOUNT),
        "editor" if target_is_administrator => Some(messages::ADMINISTRATORS_ONLY),
        _ => None,
    }
}

const TARGETS: [Option<SupportRole>; 4] =
    [Some(SupportRole::Viewer), Some(SupportRole::Editor), Some(SupportRole::Administrator), None];

#[tokio::test]
async fn each_caller_reads_changes_deactivates_and_deletes_each_kind_of_user_as_the_table_says() {
    let app = TestApp::spawn().await;
    let team = Team::new(&app).await;
    let mut n = 0;
    for (caller, token) in team.callers(&app) {
        for role in TARGETS {
            let is_admin = role == Some(SupportRole::Administrator);
            let kind = role.map_or("API user", SupportRole::as_str);
            n += 1;
            let id = target(&app, n, role);
            let path = format!("{USERS}/{id}");
            for read in [path.clone(), format!("{path}/activity")] {
                let reply = app.request(Method::GET, &read, Some(token), None).await;
                match caller {
                    "api" => assert_refused(&reply, 403, NOT_THIS_ACCOUNT, &format!("{caller} GET {read}")),
                    _ => assert_eq!(reply.status, 200, "{caller} reads {kind}: {}", reply.text),
                }
            }
            let before = app.get(&path).await.body;
            let writes = [
                ("change", Method::PATCH, Some(json!({"first_name": "Changed"})), 200),
                ("deactivate", Method::PATCH, Some(json!({"active": false})), 200),
                ("delete", Method::DELETE, None, 204),
            ];
            for (what, method, body, success) in writes {
                let what = format!("{caller} may {what} {kind}");
                let reply = app.request(method, &path, Some(token), body).await;
                match expected_refusal(caller, is_admin) {
                    Some(detail) => {
                        assert_refused(&reply, 403, detail, &what);
                        assert_eq!(app.get(&path).await.body, before, "{what}: refused, so unchanged");
                    }
                    None => assert_eq!(reply.status, success, "{what}: {}", reply.text),
                }
            }
        }
    }
}

#[tokio::test]
async fn each_caller_adds_users_and_gives_roles_as_the_table_says() {
    let app = TestApp::spawn().await;
    let team = Team::new(&app).await;
    let mut n = 0;
    for (caller, token) in team.callers(&app) {
        for role in TARGETS {
            n += 1;
            let given_admin = role == Some(SupportRole::Administrator);
            let mut body = json!({"first_name": "New", "last_name": "Person", "email": format!("new.{n}@education.gov.uk"),
                                  "api_user": role.is_none()});
            if let Some(role) = role {
                body["support_role"] = json!(role.as_str());
            }
            let what = format!("{caller} adds {body}");
            let total = app.get(USERS).await.body["total"].clone();
            let reply = app.request(Method::POST, USERS, Some(token), Some(body.clone())).await;
            match expected_refusal(caller, given_admin) {
                Some(detail) => {
                    assert_refused(&reply, 403, detail, &what);
                    assert_eq!(app.get(USERS).await.body["total"], total, "{what}: refused, so nobody was added");
                }
                None => {
                    assert_eq!(reply.status, 201, "{what}: {}", reply.text);
                    assert_eq!(reply.body["support_role"], json!(role.map(SupportRole::as_str)), "{what}");
                }
            }
            // Giving the role to a viewer.
            let Some(role) = role else { continue };
            let path = format!("{USERS}/{}", target(&app, n, Some(SupportRole::Viewer)));
            let what = format!("{caller} makes a viewer {}", role.as_str());
            let reply =
                app.request(Method::PATCH, &path, Some(token), Some(json!({"support_role": role.as_str()}))).await;
            match expected_refusal(caller, given_admin) {
                Some(detail) => {
                    assert_refused(&reply, 403, detail, &what);
                    assert_eq!(app.get(&path).await.body["support_role"], "viewer", "{what}: unchanged");
                }
                None => assert_eq!(reply.body["support_role"], role.as_str(), "{what}: {}", reply.text),
            }
        }
    }
}

#[tokio::test]
async fn viewers_read_every_api_client_and_change_none_while_editors_and_administrators_manage_any() {
    let app = TestApp::spawn().await;
    let team = Team::new(&app).await;
    for (caller, token) in team.callers(&app) {
        let (client, _) = app.create_client(&team.api, &format!("Owned by the API user, for the {caller}")).await;
        let path = format!("{CLIENTS}/{}", client["id"].as_str().unwrap());
        let list = app.request(Method::GET, CLIENTS, Some(token), None).await;
        assert_eq!(list.status, 200, "{caller}");
        assert_eq!(app.request(Method::GET, &path, Some(token), None).await.status, 200, "{caller} reads it");
        let before = app.request(Method::GET, &path, Some(&team.api), None).await.body;
        let writes = [
            (Method::POST, CLIENTS.to_owned(), Some(json!({"name": format!("Made by the {caller}")})), 201),
            (Method::PATCH, path.clone(), Some(json!({"name": format!("Renamed by the {caller}")})), 200),
            (Method::POST, format!("{path}/rotate"), None, 200),
            (Method::POST, format!("{path}/revoke"), None, 200),
            (Method::DELETE, path.clone(), None, 204),
        ];
        for (method, url, body, success) in writes {
            let what = format!("{caller} {method} {url}");
            let reply = app.request(method, &url, Some(token), body).await;
            if caller == "viewer" {
                assert_refused(&reply, 403, messages::NO_PERMISSION_TO_CHANGE, &what);
                let after = app.request(Method::GET, &path, Some(&team.api), None).await.body;
                assert_eq!(after, before, "{what}: refused, so unchanged");
            } else {
                assert_eq!(reply.status, success, "{what}: {}", reply.text);
            }
        }
    }
    let clients = app.request(Method::GET, CLIENTS, Some(&team.viewer), None).await;
    let names: Vec<&str> =
        clients.body["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    let expected =
        ["Made by the administrator", "Made by the api", "Made by the editor", "Owned by the API user, for the viewer"];
    assert_eq!(names, expected, "each write but the viewer's was made");
}

#[tokio::test]
async fn the_role_is_checked_before_the_target_is_looked_up_and_the_target_before_if_match_and_the_body() {
    let app = TestApp::spawn().await;
    let team = Team::new(&app).await;
    let missing = format!("{USERS}/0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b");
    let viewer = app.request(Method::PATCH, &missing, Some(&team.viewer), Some(json!({"first_name": ""}))).await;
    assert_refused(&viewer, 403, messages::NO_PERMISSION_TO_CHANGE, "a viewer, before 404");
    let viewer = app.request(Method::DELETE, &missing, Some(&team.viewer), None).await;
    assert_refused(&viewer, 403, messages::NO_PERMISSION_TO_CHANGE, "a viewer deleting, before 404");
    let bad_body = json!({"first_name": "", "support_role": "owner"});
    let viewer = app.request(Method::POST, USERS, Some(&team.viewer), Some(bad_body)).await;
    assert_refused(&viewer, 403, messages::NO_PERMISSION_TO_CHANGE, "a viewer adding, before 422");
    let editor = app.request(Method::PATCH, &missing, Some(&team.editor), Some(json!({"first_name": "A"}))).await;
    assert_eq!(editor.status, 404, "an editor hears 404 for nobody");

    let admin = format!("{USERS}/{}", target(&app, 1, Some(SupportRole::Administrator)));
    let stale = app
        .request_with(
            Method::PATCH,
            &admin,
            Some(&team.editor),
            Some(json!({"first_name": ""})),
            &[("If-Match", "\"9\"")],
        )
        .await;
    assert_refused(&stale, 403, messages::ADMINISTRATORS_ONLY, "an editor on an administrator, before 412 and 422");
    let promote = format!("{USERS}/{}", target(&app, 2, Some(SupportRole::Viewer)));
    let stale = app
        .request_with(
            Method::PATCH,
            &promote,
            Some(&team.editor),
            Some(json!({"support_role": "administrator", "first_name": ""})),
            &[("If-Match", "\"9\"")],
        )
        .await;
    assert_refused(&stale, 403, messages::ADMINISTRATORS_ONLY, "an editor giving the role, before 412 and 422");
    let dry = app
        .request(
            Method::POST,
            &format!("{USERS}?dry_run=true"),
            Some(&team.editor),
            Some(json!({"first_name": "A", "last_name": "B", "email": "ab@education.gov.uk", "api_user": false,
                        "support_role": "administrator"})),
        )
        .await;
    assert_refused(&dry, 403, messages::ADMINISTRATORS_ONLY, "a dry run is refused as the real thing would be");
}

#[tokio::test]
async fn the_role_is_validated_with_the_contracts_sentences() {
    let app = TestApp::spawn().await;
    let body = |role: Value, api_user: bool| {
        json!({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@education.gov.uk", "api_user": api_user,
               "support_role": role})
    };
    let one = |message: &str| vec![("support_role".to_owned(), message.to_owned())];
    for role in [json!("owner"), json!("Viewer"), json!(null), json!(1), json!(["viewer"]), json!("")] {
        let reply = app.post(USERS, body(role.clone(), false)).await;
        assert_eq!(reply.status, 422, "{role}");
        assert_eq!(reply.errors(), one("Select the user's role"), "{role}");
    }
    let reply = app.post(USERS, body(json!("viewer"), true)).await;
    assert_eq!(reply.errors(), one("API users do not have a support role"));
    let reply = app.post(USERS, body(json!(null), true)).await;
    assert_eq!(reply.status, 201, "null is no role, for an API user: {}", reply.text);
    assert_eq!(reply.body["support_role"], Value::Null);
    assert_eq!(reply.body["editable_fields"], json!(["first_name", "last_name", "email", "api_user", "active"]));

    let list = app.get("/api/v1/users?role=boss").await;
    assert_eq!(list.status, 422);
    assert_eq!(list.errors(), [("role".to_owned(), "Role must be viewer, editor or administrator".to_owned())]);
}

#[tokio::test]
async fn the_role_follows_the_api_user_flag_and_is_in_dry_runs_activity_and_the_list() {
    let app = TestApp::spawn().await;
    let team = Team::new(&app).await;
    let id = target(&app, 1, Some(SupportRole::Editor));
    let path = format!("{USERS}/{id}");

    let dry = app.patch(&format!("{path}?dry_run=true"), json!({"support_role": "viewer"})).await;
    assert_eq!((dry.status, &dry.body["support_role"]), (200, &json!("viewer")), "{}", dry.text);
    assert_eq!(app.get(&path).await.body["support_role"], "editor", "a dry run saves nothing");

    let made_api = app.patch(&path, json!({"api_user": true})).await;
    assert_eq!(made_api.body["support_role"], Value::Null, "an API user has no role: {}", made_api.text);
    let back = app.patch(&path, json!({"api_user": false})).await;
    assert_eq!(back.body["support_role"], "viewer", "back to support: the least privilege");
    app.patch(&path, json!({"api_user": true})).await;
    let back = app.patch(&path, json!({"api_user": false, "support_role": "editor"})).await;
    assert_eq!(back.body["support_role"], "editor");
    let refused = app.patch(&path, json!({"api_user": true, "support_role": "editor"})).await;
    assert_eq!(refused.errors(), [("support_role".to_owned(), messages::API_USERS_HAVE_NO_ROLE.to_owned())]);
    let refused = app.patch(&path, json!({"support_role": null})).await;
    assert_eq!(refused.errors(), [("support_role".to_owned(), messages::SELECT_ROLE.to_owned())]);
    let same = app.patch(&path, json!({"support_role": "editor"})).await;
    assert_eq!(same.body["version"], back.body["version"], "the same role is no change");

    let promoted = app.patch(&path, json!({"support_role": "administrator"})).await;
    assert_eq!(promoted.status, 200);
    let activity = app.get(&format!("{path}/activity")).await;
    let changes: Vec<&Value> = activity.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["action"] == "user.updated")
        .map(|item| &item["changes"])
        .collect();
    assert_eq!(changes[0], &json!({"support_role": ["editor", "administrator"]}));
    assert_eq!(changes[1], &json!({"api_user": [true, false], "support_role": [null, "editor"]}));
    assert_eq!(changes[4], &json!({"api_user": [false, true], "support_role": ["editor", null]}));

    // The list filters by role (with `type`), totals exact.
    target(&app, 2, Some(SupportRole::Viewer));
    let names = |reply: &Reply| -> Vec<String> {
        reply.body["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap().to_owned()).collect()
    };
    let admins = app.get("/api/v1/users?role=administrator").await;
    assert_eq!(names(&admins), ["admin.support@education.gov.uk", "target.editor.1@education.gov.uk"]);
    assert_eq!(admins.body["total"], 2);
    let editors = app.get("/api/v1/users?role=editor&type=support&status=active").await;
    assert_eq!((names(&editors), &editors.body["total"]), (vec!["eddie@education.gov.uk".to_owned()], &json!(1)));
    let viewers = app.get("/api/v1/users?role=viewer&q=target").await;
    assert_eq!(names(&viewers), ["target.viewer.2@education.gov.uk"]);
    let none = app.get("/api/v1/users?role=viewer&type=api").await;
    assert_eq!(none.body["total"], 0, "API users have no role");
    let cursor = app.get("/api/v1/users?role=viewer&per_page=1").await;
    let next = cursor.body["next_cursor"].as_str().expect("two viewers: a next page");
    let page2 = app.get(&format!("/api/v1/users?role=viewer&per_page=1&cursor={next}")).await;
    assert_eq!(page2.status, 200, "{}", page2.text);
    assert_eq!(names(&page2), ["vera@education.gov.uk"]);
    drop(team);
}

/// What the contract says the caller may change now, worked out here from
/// its rules rather than read from the service.
fn expected_editable(caller: &str, target: Option<SupportRole>, signed_in: bool) -> (Vec<&'static str>, bool) {
    let may_act = match caller {
        "viewer" => false,
        "editor" => target != Some(SupportRole::Administrator),
        _ => true,
    };
    if !may_act {
        return (vec![], false);
    }
    let mut fields = if signed_in { vec![] } else { vec!["first_name", "last_name", "email"] };
    fields.push("api_user");
    if target.is_some() {
        fields.push("support_role");
    }
    fields.push("active");
    (fields, true)
}

#[tokio::test]
async fn editable_fields_and_can_delete_are_for_this_caller_this_target_and_its_sign_in() {
    let app = TestApp::spawn().await;
    let team = Team::new(&app).await;
    let mut n = 0;
    let mut checked = 0;
    for role in TARGETS {
        for signed_in in [false, true] {
            n += 1;
            let id = target(&app, n, role);
            if signed_in {
                app.sql(&format!("UPDATE users SET last_signed_in_at = created_at WHERE id = '{id}'"));
            }
            for (caller, token) in team.callers(&app).into_iter().filter(|(c, _)| *c != "api") {
                let reply = app.request(Method::GET, &format!("{USERS}/{id}"), Some(token), None).await;
                let (fields, can_delete) = expected_editable(caller, role, signed_in);
                let what = format!("{caller} looking at a {role:?}, signed in: {signed_in}");
                assert_eq!(reply.body["editable_fields"], json!(fields), "{what}");
                assert_eq!(reply.body["can_delete"], can_delete, "{what}");
                assert_eq!(reply.body["support_role"], json!(role.map(SupportRole::as_str)), "{what}");
                // The list says the same of each user.
                let list = app
                    .request(Method::GET, &format!("{USERS}?q=target.{}", id_email(&reply)), Some(token), None)
                    .await;
                let listed = &list.body["items"][0];
                assert_eq!((&listed["editable_fields"], &listed["can_delete"]), (&json!(fields), &json!(can_delete)));
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 24);
    // Oneself: never one's own role, never deleting oneself.
    let me = app.get("/api/v1/me").await;
    assert_eq!(me.body["editable_fields"], json!(["first_name", "last_name", "email", "api_user", "active"]));
    assert_eq!(me.body["can_delete"], false);
    let me = app.request(Method::GET, "/api/v1/me", Some(&team.editor), None).await;
    assert_eq!(me.body["id"], team.editor_id.as_str());
    assert_eq!(me.body["editable_fields"], json!(["first_name", "last_name", "email", "api_user", "active"]));
    let me = app.request(Method::GET, "/api/v1/me", Some(&team.viewer), None).await;
    assert_eq!((&me.body["editable_fields"], &me.body["can_delete"]), (&json!([]), &json!(false)));
}

fn id_email(reply: &Reply) -> String {
    reply.body["email"].as_str().unwrap().trim_start_matches("target.").trim_end_matches("@education.gov.uk").to_owned()
}

#[tokio::test]
async fn nobody_changes_their_own_role_and_a_new_role_applies_to_the_next_request() {
    let app = TestApp::spawn().await;
    let team = Team::new(&app).await;
    let own = format!("{USERS}/{}", app.admin_id);
    for role in ["viewer", "editor", "administrator"] {
        let reply = app.patch(&own, json!({"support_role": role})).await;
        if role == "administrator" {
            assert_eq!(reply.status, 200, "the same role is no change");
            continue;
        }
        assert_eq!(reply.status, 409, "{}", reply.text);
        assert_eq!(reply.body["type"], "urn:problem:conflict");
        assert_eq!(reply.detail(), "You cannot change your own role");
    }
    let editor_self = format!("{USERS}/{}", team.editor_id);
    let reply =
        app.request(Method::PATCH, &editor_self, Some(&team.editor), Some(json!({"support_role": "viewer"}))).await;
    assert_eq!((reply.status, reply.detail()), (409, "You cannot change your own role"));
    assert_eq!(app.get(&own).await.body["support_role"], "administrator");

    // The editor's token was issued before the change; the change applies at once.
    let other = format!("{USERS}/{}", target(&app, 1, Some(SupportRole::Viewer)));
    let as_editor = || app.request(Method::PATCH, &other, Some(&team.editor), Some(json!({"first_name": "Changed"})));
    assert_eq!(as_editor().await.status, 200);
    assert_eq!(app.patch(&editor_self, json!({"support_role": "viewer"})).await.status, 200);
    assert_refused(&as_editor().await, 403, messages::NO_PERMISSION_TO_CHANGE, "demoted");
    assert_eq!(app.request(Method::GET, &other, Some(&team.editor), None).await.status, 200, "still reads");
    assert_eq!(app.patch(&editor_self, json!({"support_role": "editor"})).await.status, 200);
    assert_eq!(as_editor().await.status, 200, "the same token, promoted again");
}

#[tokio::test]
async fn the_migration_makes_every_existing_support_user_an_administrator() {
    let app = TestApp::spawn().await;
    app.insert_with_role("Vera", "Viewer", "vera@education.gov.uk", Some(SupportRole::Viewer), true);
    app.insert_with_role("Eddie", "Editor", "eddie@education.gov.uk", Some(SupportRole::Editor), false);
    app.insert_with_role("Robo", "Reader", "robo@education.gov.uk", None, true);
    let gone = app.insert_with_role("Gone", "Away", "gone@education.gov.uk", Some(SupportRole::Viewer), true);
    assert_eq!(app.delete(&format!("{USERS}/{gone}")).await.status, 204);

    // Back to before the roles migration (and any after it), then forward again.
    loop {
        let reverted = app.db.revert_newest_migration().expect("the migrations revert");
        assert!(reverted.as_str() >= "20261207000001", "reverted past the roles migration: {reverted}");
        if reverted == "20261207000001" {
            break;
        }
    }
    assert_eq!(
        app.sql("UPDATE users SET active = active WHERE api_user = false"),
        4,
        "four support users in the old shape"
    );
    app.db.migrate().expect("migrates again");

    let roles = app.get("/api/v1/users?per_page=100").await;
    let seen: Vec<(String, Value)> = roles.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["email"].as_str().unwrap().to_owned(), u["support_role"].clone()))
        .collect();
    assert_eq!(
        seen,
        [
            ("admin.support@education.gov.uk".to_owned(), json!("administrator")),
            ("eddie@education.gov.uk".to_owned(), json!("administrator")),
            ("robo@education.gov.uk".to_owned(), Value::Null),
            ("vera@education.gov.uk".to_owned(), json!("administrator")),
        ]
    );
    let app = &app;
    let count = |query: &'static str| async move { app.get(&format!("{USERS}?{query}")).await.body["total"].clone() };
    assert_eq!(count("role=administrator").await, 3, "the counters were rebuilt with the role");
    assert_eq!(count("role=administrator&status=active").await, 2);
    assert_eq!(count("role=viewer").await, 0);
    assert_eq!(count("type=api").await, 1);
    assert_eq!(count("").await, 4);
}

#[tokio::test]
async fn create_user_takes_a_role_and_makes_an_administrator_unless_told() {
    let app = &TestApp::spawn().await;
    let create = |email: &str, extra: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_users-api"));
        command.env_clear().envs(&app.env).args(["create-user", "--first-name", "Cli", "--last-name", "User"]);
        command.args(["--email", email]).args(extra);
        command.output().expect("the binary runs")
    };
    let role_of = |output: std::process::Output| {
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let id = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        async move { app.get(&format!("{USERS}/{id}")).await.body["support_role"].clone() }
    };
    assert_eq!(role_of(create("first@education.gov.uk", &[])).await, "administrator");
    assert_eq!(role_of(create("second@education.gov.uk", &["--role", "editor"])).await, "editor");
    assert_eq!(role_of(create("third@education.gov.uk", &["--role", "viewer"])).await, "viewer");
    assert_eq!(role_of(create("fourth@education.gov.uk", &["--api-user"])).await, Value::Null);
    let refused = create("fifth@education.gov.uk", &["--role", "owner"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("owner"), "clap names the bad value");
    assert_eq!(app.get("/api/v1/users?q=fifth").await.body["total"], 0);
}
