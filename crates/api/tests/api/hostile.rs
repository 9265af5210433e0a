//! Hostile input: injection payloads, numbers and types that do not fit,
//! overlong query strings, path traversal on the static file server and
//! header injection into emails. Each is refused with the contract's
//! message or stored and returned verbatim, never executed, never a 500.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{Reply, TestApp};
use crate::smtp::{free_port, SmtpSink};

/// Strings that mean something to SQL, HTML, templates or terminals.
const PAYLOADS: [&str; 12] = [
    "'; DROP TABLE users; --",
    "Robert'); DELETE FROM users WHERE ('1'='1",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "<img src=x onerror=alert(1)>",
    "%00",
    "\\x00\\u0000",
    "שלום fdp.exe", // right-to-left text; an override character (U+202E) is refused (hardening.rs)
    "{{7*7}} ${7*7} #{7*7}",
    "../../etc/passwd",
    "Zoë 😀 O’Brien",
];

fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("q", value)]).unwrap()
}

/// Each payload as a first and last name is stored and returned exactly as
/// sent, found by a search for itself and nothing else, and the users table
/// is still there with the users it should have.
#[tokio::test]
async fn injection_payloads_in_names_and_search_are_stored_and_returned_verbatim() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let created = app.create_user(payload, payload, &format!("payload.{n}@education.gov.uk"), false).await;
        assert_eq!((created["first_name"].as_str(), created["last_name"].as_str()), (Some(*payload), Some(*payload)));
        let id = created["id"].as_str().unwrap().to_owned();
        let shown = app.get(&format!("/api/v1/users/{id}")).await;
        assert_eq!(shown.body["first_name"], *payload);
        assert_eq!(shown.header("content-type"), Some("application/json"));
        ids.push(id);
    }
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let found = app.get(&format!("/api/v1/users?{}", encode(payload))).await;
        assert_eq!(found.status, 200, "{payload}: {}", found.text);
        assert_eq!(found.body["total"], 1, "q={payload:?} finds itself only: {}", found.text);
        assert_eq!(found.body["items"][0]["id"], ids[n].as_str());
    }
    let changed = app.patch(&format!("/api/v1/users/{}", ids[0]), json!({"last_name": PAYLOADS[3]})).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["last_name"], PAYLOADS[3]);

    let everyone = app.get("/api/v1/users?per_page=100").await;
    assert_eq!(everyone.body["total"], PAYLOADS.len() + 1, "the table is there with every user");
    assert_eq!(app.sql("UPDATE users SET version = version"), PAYLOADS.len() + 1);
}

/// Addresses carrying payloads are refused with the format message unless
/// every character is allowed in an address, and then stored lower-cased.
#[tokio::test]
async fn injection_payloads_in_email_addresses_are_refused_or_stored_verbatim() {
    let app = TestApp::spawn().await;
    let format = "Enter a Department for Education email address in the correct format, like name@education.gov.uk";
    for email in [
        "'; DROP TABLE users; --@education.gov.uk",
        "<script>alert(1)</script>@education.gov.uk",
        "a@education.gov.uk<script>",
        "a@education.gov.uk' OR '1'='1",
        "\"a b\"@education.gov.uk",
        "a@education.gov.uk%0d%0aBcc:x@evil.example",
        "\u{202E}a@education.gov.uk",
    ] {
        let body = json!({"first_name": "A", "last_name": "B", "email": email, "api_user": false});
        let reply = app.post("/api/v1/users", body).await;
        assert_eq!(reply.status, 422, "{email}: {}", reply.text);
        assert_eq!(reply.errors(), [("email".to_owned(), format.to_owned())], "{email}");
    }
    // `'`, `=` and `%` are letters of an address's local part (contract §8).
    let quoted = app.create_user("A", "B", "X'OR'1'='1@Education.gov.uk", false).await;
    assert_eq!(quoted["email"], "x'or'1'='1@education.gov.uk");
    let percent = app.create_user("A", "B", "a%00@education.gov.uk", false).await;
    assert_eq!(percent["email"], "a%00@education.gov.uk");
    let found = app.get(&format!("/api/v1/users?{}", encode("x'or'1'="))).await;
    assert_eq!(found.body["total"], 1);
    assert_eq!(app.get("/api/v1/users").await.body["total"], 3, "the admin and two users");
}

/// API client names take the same payloads verbatim, owner by owner.
#[tokio::test]
async fn injection_payloads_in_api_client_names_are_stored_and_returned_verbatim() {
    let app = TestApp::spawn().await;
    for payload in PAYLOADS {
        let (client, _) = app.create_client(&app.admin_token, payload).await;
        assert_eq!(client["name"], payload);
        let shown = app.get(&format!("/api/v1/api-clients/{}", client["id"].as_str().unwrap())).await;
        assert_eq!(shown.body["name"], payload);
    }
    let list = app.get("/api/v1/api-clients?per_page=100").await;
    assert_eq!(list.body["total"], PAYLOADS.len());
}

async fn post_raw(app: &TestApp, path: &str, body: &str) -> Reply {
    app.raw(
        app.client
            .post(format!("{}{path}", app.base))
            .bearer_auth(&app.admin_token)
            .header("content-type", "application/json")
            .body(body.to_owned()),
    )
    .await
}

/// Values of the wrong JSON type, numbers of any size among them, get the
/// field's message (contract §8), never a 500.
#[tokio::test]
async fn wrong_types_and_huge_numbers_get_the_fields_message() {
    let app = TestApp::spawn().await;
    let api_user = "Select if the account is an API user";
    let cases: [(&str, &str, &str); 7] = [
        (r#""api_user": 123456789012345678901234567890"#, "api_user", api_user),
        (r#""api_user": 1.7976931348623157e308"#, "api_user", api_user),
        (r#""api_user": 1"#, "api_user", api_user),
        (r#""api_user": "true""#, "api_user", api_user),
        (r#""api_user": [true]"#, "api_user", api_user),
        (r#""api_user": {"value": true}"#, "api_user", api_user),
        (r#""api_user": false, "active": 0"#, "active", "Select if the account is active"),
    ];
    for (fields, field, message) in cases {
        let body = format!(r#"{{"first_name": "A", "last_name": "B", "email": "a@education.gov.uk", {fields}}}"#);
        let reply = post_raw(&app, "/api/v1/users", &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.errors(), [(field.to_owned(), message.to_owned())], "{body}");
    }
    let names = r#"{"first_name": -1e308, "last_name": 18446744073709551616, "email": -0.0, "api_user": false}"#;
    let reply = post_raw(&app, "/api/v1/users", names).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    let expected =
        [("first_name", "Enter first name"), ("last_name", "Enter last name"), ("email", "Enter email address")];
    assert_eq!(reply.errors(), expected.map(|(f, m)| (f.to_owned(), m.to_owned())));

    let client = post_raw(&app, "/api/v1/api-clients", r#"{"name": 1e300, "expires_on": 99999999999999999999}"#).await;
    assert_eq!(client.status, 422, "{}", client.text);
    let expected = [("name", "Enter client name"), ("expires_on", "Enter expiry date")];
    assert_eq!(client.errors(), expected.map(|(f, m)| (f.to_owned(), m.to_owned())));
    assert_eq!(app.get("/api/v1/users").await.body["total"], 1, "nothing was added");
}

/// A number beyond the range of a double (`1e400`) is refused by the JSON
/// reader: a 400 problem, never a 500, and nothing is saved. (RFC 8259 lets
/// a reader limit the range; contract §8 would also allow the field's 422.)
#[tokio::test]
async fn numbers_beyond_a_doubles_range_are_a_400_problem() {
    let app = TestApp::spawn().await;
    for number in ["1e400", "-1e400", "1e999999", &format!("1{}", "0".repeat(400))] {
        let body =
            format!(r#"{{"first_name": "A", "last_name": "B", "email": "a@education.gov.uk", "api_user": {number}}}"#);
        let reply = post_raw(&app, "/api/v1/users", &body).await;
        assert_eq!(reply.status, 400, "{number}: {}", reply.text);
        assert_eq!(reply.header("content-type"), Some("application/problem+json"));
        assert_eq!(reply.body["type"], "urn:problem:bad-request");
        assert_eq!(reply.detail(), "The request body must be valid JSON");
    }
    assert_eq!(app.get("/api/v1/users").await.body["total"], 1, "nothing was added");
}

/// Query parameters far out of range are 422 naming the parameter.
#[tokio::test]
async fn query_numbers_out_of_range_are_422_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let page = "Page must be a whole number from 1 to 1000000";
    let per_page = "Results per page must be a whole number from 1 to 100";
    for (query, field, message) in [
        ("per_page=99999999999999999999999", "per_page", per_page),
        ("per_page=-1", "per_page", per_page),
        ("per_page=1e2", "per_page", per_page),
        ("per_page=NaN", "per_page", per_page),
        ("page=-1", "page", page),
        ("page=18446744073709551616", "page", page),
        ("page=1.5", "page", page),
        ("page=%20", "page", page),
    ] {
        let reply = app.get(&format!("/api/v1/users?{query}")).await;
        assert_eq!(reply.status, 422, "{query}: {}", reply.text);
        assert_eq!(reply.errors(), [(field.to_owned(), message.to_owned())], "{query}");
    }
    let (_, client) = app.create_client(&app.admin_token, "Reader").await;
    for query in ["per_page=99999999999999999999999", "per_page=-1", "per_page=501"] {
        let reply = app.request(Method::GET, &format!("/api/v1/providers?{query}"), Some(&client), None).await;
        assert_eq!(reply.status, 422, "{query}: {}", reply.text);
        assert_eq!(
            reply.errors(),
            [("per_page".to_owned(), "Results per page must be a whole number from 1 to 500".to_owned())]
        );
    }
    let activity = app.get("/api/v1/activity?per_page=99999999999999999999999").await;
    assert_eq!(activity.status, 422, "{}", activity.text);
    assert_eq!(activity.errors()[0].0, "per_page");
}

/// Overlong search text is refused with its message, and a query string of
/// 100 KB is refused at once with a 4xx, never a 500 or a hang.
#[tokio::test]
async fn overlong_query_strings_are_refused_quickly() {
    let app = TestApp::spawn().await;
    let too_long = "Search must be 600 characters or less";
    let started = Instant::now();
    for q in ["a".repeat(601), "a".repeat(10_000), "é".repeat(601)] {
        let reply = app.get(&format!("/api/v1/users?{}", encode(&q))).await;
        assert_eq!(reply.status, 422, "{} chars", q.chars().count());
        assert_eq!(reply.errors(), [("q".to_owned(), too_long.to_owned())]);
    }
    assert_eq!(app.get(&format!("/api/v1/users?{}", encode(&"é".repeat(600)))).await.status, 200);

    // Longer than any client library sends: written straight to the socket.
    let huge = format!("/api/v1/users?q={}", "a".repeat(100 * 1024));
    let bearer = format!("Bearer {}", app.admin_token);
    let (status, _) = raw_request(&app.base, &huge, &[("Authorization", &bearer)]).await;
    assert_eq!(status, 400, "a 100 KB query string is refused by the HTTP layer with a 400");
    let many = format!("/api/v1/users?{}", "page=1&".repeat(5_000));
    let (many_status, _) = raw_request(&app.base, &many, &[("Authorization", &bearer)]).await;
    println!("100 KB query string: {status}; 5,000 parameters: {many_status}");
    assert!((200..500).contains(&many_status), "5,000 parameters: {many_status}");
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
    assert_eq!(app.get("/api/v1/users").await.status, 200, "the server still answers");
}

/// A GET sent exactly as written, without the client normalising `..` or
/// percent-escapes: (status, body). An answer is required within 10 s.
async fn raw_request(base: &str, target: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    // The server may answer and close before it has read everything.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buffer = [0u8; 8192];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
        }
    });
    read.await.expect("answered in time");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

async fn raw_get(base: &str, target: &str) -> (u16, String) {
    raw_request(base, target, &[]).await
}

/// The SPA is served from its dist folder and nothing outside it: `..` in
/// any spelling (encoded, double-encoded, backslashes, absolute paths) gets
/// the SPA's index page or a 4xx, never another file.
#[tokio::test]
async fn the_static_file_server_never_serves_a_file_outside_the_spa() {
    let root = std::env::temp_dir().join(format!("users-api-traversal-{}", uuid::Uuid::now_v7().simple()));
    let dist = root.join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>SPA index</title>").unwrap();
    std::fs::write(dist.join("assets/app.js"), "console.log('app')").unwrap();
    std::fs::write(root.join("secret.txt"), "TOP-SECRET-OUTSIDE-DIST").unwrap();
    let app = TestApp::spawn_with(&[("STATIC_DIR", dist.to_str().unwrap())]).await;

    let (status, body) = raw_get(&app.base, "/assets/app.js").await;
    assert_eq!((status, body.as_str()), (200, "console.log('app')"), "the SPA's own files are served");
    let dist_path = dist.display().to_string();
    let secret_path = root.join("secret.txt").display().to_string();
    let targets = [
        "/../secret.txt".to_owned(),
        "/../../../../../../etc/passwd".to_owned(),
        "/%2e%2e/secret.txt".to_owned(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_owned(),
        "/assets/..%2f..%2fsecret.txt".to_owned(),
        "/assets/%2e%2e%2f%2e%2e%2fsecret.txt".to_owned(),
        "/static/..%2f..%2fCargo.toml".to_owned(),
        "/assets/%252e%252e%252fsecret.txt".to_owned(),
        "/..%5csecret.txt".to_owned(),
        "/assets/..%5c..%5csecret.txt".to_owned(),
        "/assets\\..\\..\\secret.txt".to_owned(),
        "/%c0%ae%c0%ae/secret.txt".to_owned(),
        "/.%2e/secret.txt".to_owned(),
        format!("/{secret_path}"),
        format!("//{secret_path}"),
        format!("/{dist_path}/../secret.txt"),
        "/etc/passwd".to_owned(),
        "/%00/../secret.txt".to_owned(),
    ];
    for target in &targets {
        let (status, body) = raw_get(&app.base, target).await;
        assert!(
            (status == 200 && body.contains("SPA index")) || (400..500).contains(&status),
            "{target}: {status} {body}"
        );
        for leak in ["TOP-SECRET", "root:", "[package]", "[workspace]"] {
            assert!(!body.contains(leak), "{target} served a file outside the SPA: {body}");
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// Line breaks in names or addresses are refused with the contract's
/// messages, so nothing can reach an email's headers; header-like text
/// without line breaks stays text, and the invitation has no extra header
/// or recipient.
#[tokio::test]
async fn names_and_addresses_can_never_inject_a_header_into_an_email() {
    let sink = SmtpSink::start(free_port());
    let app = TestApp::spawn_with(&[("SMTP_URL", &sink.url()), ("EMAIL_POLL_MS", "50")]).await;
    let first_breaks = "First name must not include line breaks or other control characters";
    let last_breaks = "Last name must not include line breaks or other control characters";
    let format = "Enter a Department for Education email address in the correct format, like name@education.gov.uk";
    for breaker in ["\r\n", "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\u{0}"] {
        let injected = format!("Ada{breaker}Bcc: evil@example.org{breaker}");
        let body = json!({
            "first_name": injected,
            "last_name": format!("Lovelace{breaker}X-Injected: yes"),
            "email": format!("ada@education.gov.uk{breaker}Bcc: evil@example.org"),
            "api_user": false,
        });
        let reply = app.post("/api/v1/users", body).await;
        assert_eq!(reply.status, 422, "{breaker:?}: {}", reply.text);
        let expected = [("first_name", first_breaks), ("last_name", last_breaks), ("email", format)];
        assert_eq!(reply.errors(), expected.map(|(f, m)| (f.to_owned(), m.to_owned())), "{breaker:?}");
    }
    let user =
        app.create_user("Ada Bcc: evil@example.org", "To: <evil@example.org>", "ada@education.gov.uk", false).await;
    let changed = app
        .patch(&format!("/api/v1/users/{}", user["id"].as_str().unwrap()), json!({"email": "ada\r\n@education.gov.uk"}))
        .await;
    assert_eq!(changed.errors(), [("email".to_owned(), format.to_owned())]);

    let messages = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 1, "one invitation, to one address: {messages:?}");
    let mail = &messages[0];
    assert_eq!(mail["rcpt_tos"], json!(["ada@education.gov.uk"]));
    assert_eq!(mail["to"], "ada@education.gov.uk");
    assert_eq!(mail["subject"], "You have been invited to Register of training providers");
    let headers: Vec<String> = mail["headers"]
        .as_array()
        .expect("the sink records every header")
        .iter()
        .map(|h| h[0].as_str().unwrap().to_ascii_lowercase())
        .collect();
    for forbidden in ["bcc", "cc", "x-injected", "reply-to"] {
        assert!(!headers.contains(&forbidden.to_owned()), "{forbidden} in {headers:?}");
    }
    assert_eq!(headers.iter().filter(|h| *h == "to").count(), 1, "{headers:?}");
    assert_eq!(app.get("/api/v1/users").await.body["total"], 2);
}
