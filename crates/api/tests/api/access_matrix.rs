//! The access-control matrix, generated from the committed OpenAPI document:
//! every operation it lists is called by every kind of caller, and the
//! answer must be what the operation's `security` (contract §4, §5, §9)
//! says: viewers, editors and administrators are each a caller of their own.
//! An operation the matrix has no rule for fails the test, so a new endpoint
//! cannot be forgotten. Also: read-only fields can never be mass-assigned.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use users_api::auth::jwt::Role;
use users_api::time::Timestamp;
use users_domain::client_access::Scope;
use users_domain::SupportRole;

use crate::harness::{Reply, TestApp};

const OPENAPI: &str = include_str!("../../../../openapi/openapi.json");

/// Everyone who may knock on a door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    ExpiredToken,
    Viewer,
    Editor,
    Administrator,
    ApiUser,
    InactiveUser,
    DeletedUser,
    /// An API client token with the default scope, `providers:read`.
    ClientToken,
    /// An API client token of the API user's with `api_clients:manage` and
    /// `providers:read`: it manages its owner's clients.
    ManagerToken,
    /// An API user, on an API client that another API user owns.
    OtherApiUser,
}

const CALLERS: [Caller; 11] = [
    Caller::Anonymous,
    Caller::ExpiredToken,
    Caller::InactiveUser,
    Caller::DeletedUser,
    Caller::ClientToken,
    Caller::ManagerToken,
    Caller::OtherApiUser,
    Caller::ApiUser,
    Caller::Viewer,
    Caller::Editor,
    Caller::Administrator,
];

impl Caller {
    /// The role name an operation's `bearer` scopes use for this caller.
    fn scope(self) -> Option<&'static str> {
        match self {
            Caller::Viewer => Some("viewer"),
            Caller::Editor => Some("editor"),
            Caller::Administrator => Some("administrator"),
            Caller::ApiUser | Caller::OtherApiUser => Some("api"),
            _ => None,
        }
    }
}

const ROLES: [&str; 4] = ["viewer", "editor", "administrator", "api"];

/// Who an operation's `security` lets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// `{}` among the requirements: no credentials needed.
    Public,
    Restricted {
        /// The `bearer` scopes: which of [`ROLES`] may call it.
        roles: [bool; 4],
        client_token: bool,
        /// The scope a client token needs, when the operation names one.
        client_scope: Option<Scope>,
    },
    /// Only the monitoring system's `METRICS_TOKEN`, which no caller here has.
    MetricsToken,
}

/// Reads an operation's `security` requirements; anything the matrix does
/// not know is a failure that says so.
fn access_of(operation_id: &str, operation: &Value) -> Access {
    let requirements = operation["security"]
        .as_array()
        .unwrap_or_else(|| panic!("{operation_id} has no `security`: every operation must say who may call it"));
    let (mut roles, mut client_token, mut client_scope) = ([false; 4], false, None);
    for requirement in requirements {
        let schemes = requirement.as_object().unwrap();
        if schemes.is_empty() {
            return Access::Public;
        }
        for (scheme, scopes) in schemes {
            let scopes: Vec<&str> = scopes.as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
            match scheme.as_str() {
                "bearer" => {
                    for role in scopes {
                        let at = ROLES
                            .iter()
                            .position(|known| *known == role)
                            .unwrap_or_else(|| panic!("{operation_id}: the access matrix knows no role {role:?}"));
                        roles[at] = true;
                    }
                }
                "api_client" => {
                    client_token = true;
                    client_scope = scopes.first().map(|name| {
                        Scope::parse(name).unwrap_or_else(|| panic!("{operation_id}: no client scope {name:?}"))
                    });
                }
                "metrics" => return Access::MetricsToken,
                other => panic!("{operation_id}: the access matrix knows no security scheme {other:?}"),
            }
        }
    }
    Access::Restricted { roles, client_token, client_scope }
}

/// What the path's `{id}` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Nothing,
    /// A fresh viewer that has never signed in (so an editor may act on them).
    User,
    /// A fresh API client owned by the API user.
    Client,
}

/// How the matrix calls one operation.
struct Rule {
    target: Target,
    /// The body, given a number unique to this call.
    body: fn(usize) -> Option<Value>,
    /// What an authorised caller gets (for a public operation: everyone).
    success: u16,
}

fn no_body(_: usize) -> Option<Value> {
    None
}

/// The rule for each operation, by `operationId`. A new operation in
/// openapi.json needs a line here.
fn rule(operation_id: &str) -> Option<Rule> {
    let rule = |target, body: fn(usize) -> Option<Value>, success| Some(Rule { target, body, success });
    match operation_id {
        "list_users" | "list_activity" | "list_api_clients" | "get_current_user" | "list_providers" => {
            rule(Target::Nothing, no_body, 200)
        }
        "create_user" => rule(
            Target::Nothing,
            |n| {
                Some(json!({"first_name": "New", "last_name": "Person", "email": format!("new.{n}@education.gov.uk"),
                            "api_user": false}))
            },
            201,
        ),
        "get_user" | "list_user_activity" => rule(Target::User, no_body, 200),
        "update_user" => rule(Target::User, |_| Some(json!({"first_name": "Changed"})), 200),
        "delete_user" => rule(Target::User, no_body, 204),
        "create_api_client" => rule(Target::Nothing, |n| Some(json!({"name": format!("Created {n}")})), 201),
        "get_api_client" | "get_api_client_usage" | "revoke_api_client" | "rotate_api_client" => {
            rule(Target::Client, no_body, 200)
        }
        "update_api_client" => rule(Target::Client, |n| Some(json!({"name": format!("Renamed {n}")})), 200),
        "delete_api_client" => rule(Target::Client, no_body, 204),
        "get_auth_config" | "get_liveness" | "get_readiness" | "get_metrics" => rule(Target::Nothing, no_body, 200),
        "dev_sign_in" => rule(Target::Nothing, |_| Some(json!({"email": "signs.in@education.gov.uk"})), 200),
        // A bearer token is never a substitute for the refresh cookie.
        "refresh_session" => rule(Target::Nothing, no_body, 401),
        "sign_out" => rule(Target::Nothing, no_body, 204),
        // OpenID Connect is not configured in this app: both answer 404 to anyone.
        "start_oidc_sign_in" | "finish_oidc_sign_in" => rule(Target::Nothing, no_body, 404),
        _ => None,
    }
}

/// A refusal as the matrix expects it: status, problem type and `detail`.
type Expected = (u16, &'static str, String);

fn forbidden(detail: &str) -> Expected {
    (403, "urn:problem:forbidden", detail.to_owned())
}

/// What `caller` must get from an operation with `access`; `None` means
/// "let through": the rule's success.
fn refusal(access: Access, caller: Caller, target: Target) -> Option<Expected> {
    let not_signed_in = || (401, "urn:problem:unauthorized", "Sign in to continue".to_owned());
    let (roles, client_token, client_scope) = match access {
        Access::Public => return None,
        Access::MetricsToken => return Some(not_signed_in()),
        Access::Restricted { roles, client_token, client_scope } => (roles, client_token, client_scope),
    };
    let allowed = |scope: &str| roles[ROLES.iter().position(|r| *r == scope).unwrap()];
    match caller {
        Caller::Anonymous | Caller::ExpiredToken | Caller::InactiveUser | Caller::DeletedUser => Some(not_signed_in()),
        Caller::ClientToken | Caller::ManagerToken if !client_token => Some(not_signed_in()),
        Caller::ClientToken | Caller::ManagerToken => {
            let has: &[Scope] = match caller {
                Caller::ClientToken => &[Scope::ProvidersRead],
                _ => &[Scope::ApiClientsManage, Scope::ProvidersRead],
            };
            let needed = client_scope.filter(|needed| !has.contains(needed))?;
            let detail = format!("This API client does not have the scope this request needs: {}", needed.as_str());
            Some((403, "urn:problem:insufficient-scope", detail))
        }
        // A viewer is a support user who may read: refused a write, told so.
        Caller::Viewer if !allowed("viewer") && allowed("editor") => {
            Some(forbidden("You do not have permission to make changes"))
        }
        // Another API user's client is not there for them (contract §2: 404).
        Caller::OtherApiUser if allowed("api") => {
            (target == Target::Client).then(|| (404, "urn:problem:not-found", "Page not found".to_owned()))
        }
        _ => (!allowed(caller.scope().unwrap())).then(|| forbidden("Your account cannot use this part of the service")),
    }
}

/// The documented operations: (method, path, operationId, operation).
fn operations(doc: &Value) -> Vec<(Method, String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let method = match method.as_str() {
                "get" => Method::GET,
                "post" => Method::POST,
                "patch" => Method::PATCH,
                "put" => Method::PUT,
                "delete" => Method::DELETE,
                other => panic!("{path}: the access matrix knows no method {other:?}"),
            };
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            found.push((method, path.clone(), id.to_owned(), operation.clone()));
        }
    }
    found
}

/// The callers' credentials, and the API user whose clients are targets.
struct Cast {
    tokens: BTreeMap<&'static str, String>,
    api_token: String,
    other_api_token: String,
}

impl Cast {
    async fn new(app: &TestApp) -> Self {
        let (api_token, _) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
        let (other_api_token, _) = app.signed_in_user("Mary", "Jackson", "mary@education.gov.uk", true).await;
        let (_, client_token) = app.create_client(&api_token, "Caller's client").await;
        let manager = json!({"name": "Caller's manager", "scopes": ["api_clients:manage", "providers:read"]});
        let made = app.request(Method::POST, "/api/v1/api-clients", Some(&api_token), Some(manager)).await;
        assert_eq!(made.status, 201, "{}", made.text);
        let manager_token = made.body["token"].as_str().unwrap().to_owned();
        app.insert_user("Signs", "In", "signs.in@education.gov.uk", false, true);

        let an_hour_ago = Timestamp::from(chrono::Utc::now() - chrono::Duration::hours(1));
        let expired = app.token_issued_at(&app.admin_id, Role::Support, an_hour_ago);
        let inactive = app.insert_user("In", "Active", "inactive@education.gov.uk", false, false);
        let inactive = app.token_for(&inactive, Role::Support);
        let (deleted, deleted_id) = app.signed_in_user("Gone", "Away", "gone@education.gov.uk", false).await;
        assert_eq!(app.delete(&format!("/api/v1/users/{deleted_id}")).await.status, 204);

        let viewer = app.insert_with_role("Vera", "Viewer", "vera@education.gov.uk", Some(SupportRole::Viewer), true);
        let viewer = app.token_for(&viewer, Role::Support);
        let editor = app.insert_with_role("Eddie", "Editor", "eddie@education.gov.uk", Some(SupportRole::Editor), true);
        let editor = app.token_for(&editor, Role::Support);
        let tokens = BTreeMap::from([
            ("expired", expired),
            ("inactive", inactive),
            ("deleted", deleted),
            ("client", client_token),
            ("manager", manager_token),
            ("viewer", viewer),
            ("editor", editor),
            ("administrator", app.admin_token.clone()),
        ]);
        Self { tokens, api_token, other_api_token }
    }

    fn token(&self, caller: Caller) -> Option<&str> {
        Some(match caller {
            Caller::Anonymous => return None,
            Caller::ExpiredToken => &self.tokens["expired"],
            Caller::InactiveUser => &self.tokens["inactive"],
            Caller::DeletedUser => &self.tokens["deleted"],
            Caller::ClientToken => &self.tokens["client"],
            Caller::ManagerToken => &self.tokens["manager"],
            Caller::Viewer => &self.tokens["viewer"],
            Caller::Editor => &self.tokens["editor"],
            Caller::Administrator => &self.tokens["administrator"],
            Caller::ApiUser => &self.api_token,
            Caller::OtherApiUser => &self.other_api_token,
        })
    }
}

/// How many of the newest activity entries (emails aside) a fingerprint
/// holds: whatever a refused request logged would be the newest.
const NEWEST_ACTIVITY: usize = 50;

/// Everything a refused request could have changed, as the admin sees it.
/// Email deliveries are left out: the outbox worker records them whenever it
/// gets to an earlier change's email, not because of the request under test.
/// Of the activity only the newest entries count (and no page fields): an
/// email recorded meanwhile pushes the oldest of a page off its end.
async fn fingerprint(app: &TestApp) -> Value {
    let mut seen = Vec::new();
    for path in ["/api/v1/users?per_page=100", "/api/v1/api-clients?per_page=100"] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        seen.push(reply.body);
    }
    let reply = app.get("/api/v1/activity?per_page=100").await;
    assert_eq!(reply.status, 200, "activity: {}", reply.text);
    let mut newest: Vec<Value> = reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| !item["action"].as_str().is_some_and(|action| action.starts_with("email.")))
        .cloned()
        .collect();
    newest.truncate(NEWEST_ACTIVITY);
    seen.push(Value::Array(newest));
    Value::Array(seen)
}

fn assert_problem(reply: &Reply, (status, kind, detail): &Expected, what: &str) {
    let (status, kind, detail) = (*status, *kind, detail.as_str());
    assert_eq!(reply.status, status, "{what}: {}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"), "{what}");
    let title = match status {
        401 => "Not signed in",
        403 => "Forbidden",
        404 => "Not found",
        other => panic!("{what}: no problem body known for {other}"),
    };
    assert_eq!(
        (reply.body["type"].as_str(), reply.body["title"].as_str(), reply.body["detail"].as_str()),
        (Some(kind), Some(title), Some(detail)),
        "{what}"
    );
    assert_eq!(reply.body["status"], status, "{what}");
    assert!(reply.body.get("errors").is_none(), "{what}: errors only on 422");
    if status == 401 {
        assert_eq!(reply.header("www-authenticate"), Some("Bearer realm=\"users-api\""), "{what}");
    }
    if kind == "urn:problem:insufficient-scope" {
        let scope = detail.rsplit(' ').next().unwrap();
        let challenge = format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\"");
        assert_eq!(reply.header("www-authenticate"), Some(challenge.as_str()), "{what}");
    }
}

/// Every documented operation × every caller: unauthorised callers get
/// exactly the contract's 401, 403 or 404 problem and change nothing;
/// authorised callers get the operation's success status.
#[tokio::test]
async fn every_documented_operation_answers_every_caller_as_its_security_says() {
    let doc: Value = serde_json::from_str(OPENAPI).expect("openapi/openapi.json is JSON");
    let operations = operations(&doc);
    let missing: Vec<String> = operations
        .iter()
        .filter(|(_, _, id, _)| rule(id).is_none())
        .map(|(method, path, id, _)| format!("{id} ({method} {path})"))
        .collect();
    assert!(
        missing.is_empty(),
        "openapi/openapi.json has operations the access matrix has no rule for: {}. Add them to `rule` in \
         tests/api/access_matrix.rs",
        missing.join(", ")
    );

    let app = TestApp::spawn_with(&[("RATE_LIMIT_PER_IP", "100000"), ("SIGN_IN_RATE_LIMIT", "100000")]).await;
    let cast = Cast::new(&app).await;
    let mut checked = 0;
    let mut n = 0;
    for (method, path, id, operation) in &operations {
        let rule = rule(id).unwrap();
        let access = access_of(id, operation);
        if let Access::Restricted { roles, client_token, .. } = access {
            let documented = operation["responses"].as_object().unwrap();
            assert!(documented.contains_key("401"), "{id} must document 401");
            // A client token may lack the scope, or come from the wrong address.
            let someone_is_refused = roles.contains(&false) || client_token;
            assert_eq!(
                documented.contains_key("403"),
                someone_is_refused,
                "{id} documents 403 exactly when a role, a client scope or an address may be refused"
            );
        }
        for caller in CALLERS {
            // Another API user is a caller of its own only where clients are owned.
            if matches!(caller, Caller::OtherApiUser) && rule.target != Target::Client {
                continue;
            }
            n += 1;
            let url = match rule.target {
                Target::Nothing => path.clone(),
                Target::User => {
                    let email = format!("target.{n}@education.gov.uk");
                    let user = app.insert_with_role("Target", "User", &email, Some(SupportRole::Viewer), true);
                    path.replace("{id}", &user)
                }
                Target::Client => {
                    let (client, _) = app.create_client(&cast.api_token, &format!("Target {n}")).await;
                    path.replace("{id}", client["id"].as_str().unwrap())
                }
            };
            assert!(!url.contains('{'), "{id}: the matrix cannot fill the parameters of {path}");
            let what = format!("{caller:?} {method} {url} ({id})");
            let refused = refusal(access, caller, rule.target);
            let before = match refused {
                Some(_) if *method != Method::GET => Some(fingerprint(&app).await),
                _ => None,
            };
            let reply = app.request(method.clone(), &url, cast.token(caller), (rule.body)(n)).await;
            match refused {
                Some(expected) => assert_problem(&reply, &expected, &what),
                None if rule.success == 401 => {
                    assert_problem(&reply, &(401, "urn:problem:unauthorized", "Sign in to continue".into()), &what)
                }
                None if rule.success == 404 => {
                    assert_problem(&reply, &(404, "urn:problem:not-found", "Page not found".into()), &what)
                }
                None => assert_eq!(reply.status, rule.success, "{what}: {}", reply.text),
            }
            if let Some(before) = before {
                assert_eq!(fingerprint(&app).await, before, "{what} was refused but changed something");
            }
            checked += 1;
        }
    }
    println!("access matrix: {} operations, {checked} operation × caller checks", operations.len());
    assert!(operations.len() >= 25, "the document lists every operation");
}

/// The fields of a user a body may not set, with values that would matter.
fn read_only_user_fields() -> Value {
    json!({
        "id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
        "last_signed_in_at": "2025-01-01T00:00:00Z",
        "version": 99,
        "deleted_at": "2025-01-01T00:00:00Z",
        "deleted_by": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
        "role": "support",
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2020-01-01T00:00:00Z",
        "dfe_sign_in_subject": "attacker-subject",
        "editable_fields": ["first_name", "last_name", "email", "api_user", "active"],
        "can_delete": true,
        "token_generation": 0,
    })
}

fn not_recognised(body: &Value) -> Vec<(String, String)> {
    body.as_object().unwrap().keys().map(|k| (k.clone(), "This field is not recognised".to_owned())).collect()
}

/// Read-only fields sent to create or change a user are refused by name
/// (contract §1), with a valid change beside them applied neither, one at a
/// time or all together; the stored user stays as it was.
#[tokio::test]
async fn read_only_user_fields_are_refused_by_name_and_never_stored() {
    let app = TestApp::spawn().await;
    let (_, user_id) = app.signed_in_user("Ada", "Lovelace", "ada@education.gov.uk", true).await;
    let path = format!("/api/v1/users/{user_id}");
    let stored = app.get(&path).await.body;
    let all = read_only_user_fields();
    let mut bodies: Vec<Value> = all.as_object().unwrap().iter().map(|(k, v)| json!({ k: v })).collect();
    bodies.push(all.clone());
    for read_only in bodies {
        let mut change = read_only.clone();
        change["active"] = json!(false);
        let reply = app.patch(&path, change.clone()).await;
        assert_eq!(reply.status, 422, "{change}: {}", reply.text);
        assert_eq!(reply.body["type"], "urn:problem:validation");
        let expected = not_recognised(&read_only);
        assert_eq!(reply.errors(), expected, "{change}");

        let mut create = read_only.clone();
        create["first_name"] = json!("Grace");
        create["last_name"] = json!("Hopper");
        create["email"] = json!("grace@education.gov.uk");
        create["api_user"] = json!(false);
        let reply = app.post("/api/v1/users", create.clone()).await;
        assert_eq!(reply.status, 422, "{create}: {}", reply.text);
        assert_eq!(reply.errors(), expected, "{create}");
        let dry_run = app.post("/api/v1/users?dry_run=true", create.clone()).await;
        assert_eq!(dry_run.errors(), expected, "dry run {create}");
    }
    assert_eq!(app.get(&path).await.body, stored, "the user is unchanged");
    assert_eq!(app.get("/api/v1/users?q=grace").await.body["total"], 0, "no user was added");
    let deleted = app.sql(&format!("UPDATE users SET first_name = first_name WHERE id = '{user_id}' AND deleted_at IS NULL AND dfe_sign_in_subject IS NULL"));
    assert_eq!(deleted, 1, "not deleted, no subject linked");
}

/// Read-only fields of an API client (its token, owner, status, dates) are
/// refused by name on create and change; the client and its token stay as
/// they were.
#[tokio::test]
async fn read_only_api_client_fields_are_refused_by_name_and_never_stored() {
    let app = TestApp::spawn().await;
    let (token, _) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let (client, secret) = app.create_client(&token, "Payroll").await;
    let path = format!("/api/v1/api-clients/{}", client["id"].as_str().unwrap());
    let stored = app.request(Method::GET, &path, Some(&token), None).await.body;
    let read_only = json!({
        "id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
        "token": "dfe_rtp_chosen",
        "token_hash": "00",
        "owner": {"id": app.admin_id, "name": "Admin Support"},
        "status": "active",
        "revoked_at": null,
        "rotated_at": "2025-01-01T00:00:00Z",
        "previous_token_expires_at": "2099-01-01T00:00:00Z",
        "last_used_at": "2025-01-01T00:00:00Z",
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2020-01-01T00:00:00Z",
        "deleted_at": "2020-01-01T00:00:00Z",
    });
    for (field, value) in read_only.as_object().unwrap() {
        let body = json!({"name": "Renamed", field: value});
        for (method, url) in [(Method::PATCH, path.as_str()), (Method::POST, "/api/v1/api-clients")] {
            let reply = app.request(method.clone(), url, Some(&token), Some(body.clone())).await;
            assert_eq!(reply.status, 422, "{method} {body}: {}", reply.text);
            assert_eq!(reply.errors(), [(field.clone(), "This field is not recognised".to_owned())], "{body}");
        }
    }
    // The owner is chosen once, when the client is added.
    let moved = app.request(Method::PATCH, &path, Some(&token), Some(json!({"owner_id": app.admin_id}))).await;
    assert_eq!(moved.errors(), [("owner_id".to_owned(), "This field is not recognised".to_owned())]);
    assert_eq!(app.request(Method::GET, &path, Some(&token), None).await.body, stored, "the client is unchanged");
    let list = app.request(Method::GET, "/api/v1/api-clients", Some(&token), None).await;
    assert_eq!(list.body["total"], 1, "no client was added");
    assert_eq!(app.request(Method::GET, "/api/v1/providers", Some(&secret), None).await.status, 200);
    assert_eq!(app.request(Method::GET, "/api/v1/providers", Some("dfe_rtp_chosen"), None).await.status, 401);
}
