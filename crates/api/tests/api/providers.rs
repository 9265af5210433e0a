use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use users_api::db::providers;
use users_api::time::Timestamp;

use crate::harness::{Reply, TestApp};

const PROVIDERS: &str = "/api/v1/providers";

/// Seeds `count` providers with the batched inserter of `users-api seed`.
async fn seed(app: &TestApp, count: u64) {
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || users_api::seed::bulk_providers(&db, count).expect("providers are seeded"))
        .await
        .unwrap();
}

fn items(reply: &Reply) -> &Vec<Value> {
    reply.body["items"].as_array().unwrap_or_else(|| panic!("no items: {}", reply.text))
}

fn stamp(item: &Value) -> (DateTime<Utc>, String) {
    let at = DateTime::parse_from_rfc3339(item["updated_at"].as_str().unwrap()).unwrap().with_timezone(&Utc);
    (at, item["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn providers_are_listed_oldest_change_first_with_a_cursor() {
    let app = TestApp::spawn().await;
    seed(&app, 250).await;
    let first = app.get(PROVIDERS).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(items(&first).len(), 100, "100 a page unless asked");
    let provider = &items(&first)[0];
    let keys: HashSet<&str> = provider.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, HashSet::from(["id", "ukprn", "code", "name", "provider_type", "address", "updated_at"]));
    let address: HashSet<&str> = provider["address"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(address, HashSet::from(["line_1", "line_2", "line_3", "town", "county", "postcode"]));
    assert!(provider["ukprn"].as_str().unwrap().len() == 8);
    assert!(["hei", "scitt", "school", "other"].contains(&provider["provider_type"].as_str().unwrap()));
    assert!(provider["updated_at"].as_str().unwrap().ends_with('Z'));

    let mut seen = Vec::new();
    let mut url = format!("{PROVIDERS}?per_page=70");
    loop {
        let page = app.get(&url).await;
        assert_eq!(page.status, 200, "{}", page.text);
        seen.extend(items(&page).iter().map(stamp));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => url = format!("{PROVIDERS}?per_page=70&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 250);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "strictly by (updated_at, id)");
}

#[tokio::test]
async fn changed_since_is_inclusive_and_shows_changes_again() {
    let app = TestApp::spawn().await;
    seed(&app, 30).await;
    let everything = app.get(PROVIDERS).await;
    let last = items(&everything).last().unwrap().clone();
    let since = |at: &str| format!("{PROVIDERS}?changed_since={}", at.replace('+', "%2B"));
    let from_last = app.get(&since(last["updated_at"].as_str().unwrap())).await;
    assert!(items(&from_last).iter().any(|p| p["id"] == last["id"]), "inclusive");
    let later = app.get(&since("2999-01-01T00:00:00+01:00")).await;
    assert_eq!(later.body, json!({"items": [], "next_cursor": null}));

    let id = items(&everything)[3]["id"].as_str().unwrap().to_owned();
    let db = app.db.clone();
    db.query_blocking(|conn| conn.write(|tx| providers::rename(tx, &id, "Renamed Academy", Timestamp::now()))).unwrap();
    let changes = app.get(&since(last["updated_at"].as_str().unwrap())).await;
    let renamed = items(&changes).last().unwrap();
    assert_eq!((renamed["id"].as_str(), renamed["name"].as_str()), (Some(id.as_str()), Some("Renamed Academy")));
    assert!(renamed["updated_at"].as_str() > last["updated_at"].as_str());
}

#[tokio::test]
async fn every_bad_parameter_is_named() {
    let app = TestApp::spawn().await;
    let reply = app.get(&format!("{PROVIDERS}?changed_since=yesterday&per_page=501&cursor=%25%25")).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        reply.errors(),
        [
            ("changed_since".to_owned(), "Changed since must be a date and time, like 2025-12-11T14:13:00Z".to_owned()),
            ("per_page".to_owned(), "Results per page must be a whole number from 1 to 500".to_owned()),
        ]
    );
    let cursor = app.get(&format!("{PROVIDERS}?cursor=bm90LWEtY3Vyc29y")).await;
    assert_eq!(
        cursor.errors(),
        [("cursor".to_owned(), "Cursor is not valid: start again from the first page".to_owned())]
    );
    for per_page in ["0", "x", "-1"] {
        assert_eq!(app.get(&format!("{PROVIDERS}?per_page={per_page}")).await.status, 422, "{per_page}");
    }
    assert_eq!(app.get(&format!("{PROVIDERS}?per_page=500")).await.status, 200);
}

#[tokio::test]
async fn client_tokens_and_both_roles_may_read_and_nobody_may_write() {
    let app = TestApp::spawn().await;
    let (api_user, _) = app.signed_in_user("Katherine", "Johnson", "katherine@education.gov.uk", true).await;
    let (_, client_token) = app.create_client(&api_user, "Payroll").await;
    assert_eq!(app.request(Method::GET, PROVIDERS, None, None).await.status, 401);
    for token in [&app.admin_token, &api_user, &client_token] {
        assert_eq!(app.request(Method::GET, PROVIDERS, Some(token), None).await.status, 200);
    }
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        let reply = app.request(method.clone(), PROVIDERS, Some(&client_token), Some(json!({"name": "x"}))).await;
        assert_eq!((reply.status, reply.header("allow")), (405, Some("GET")), "{method}");
    }
}

/// Seeds `count` providers, then walks the feed 500 a page while two other
/// tasks keep renaming providers (until the walk is three quarters done), and
/// checks that the walk saw every provider, never the same version twice,
/// strictly in order, and ended with the last version of every one changed.
async fn walk_while_rows_change(count: u64) {
    let app = TestApp::spawn().await;
    let started = Instant::now();
    seed(&app, count).await;
    let seeded = started.elapsed();
    let ids: Vec<String> =
        app.db.query_blocking(providers::all_stamps).unwrap().into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len() as u64, count);

    // Two writers at once, so that commits could interleave with their stamps.
    let stop = Arc::new(AtomicBool::new(false));
    let renamed = Arc::new(AtomicUsize::new(0));
    let updaters: Vec<_> = (0..2)
        .map(|writer| {
            let (db, ids, stop, renamed) = (app.db.clone(), ids.clone(), stop.clone(), renamed.clone());
            tokio::task::spawn_blocking(move || {
                let mut i: usize = writer;
                while !stop.load(Ordering::Relaxed) {
                    // Spread over the whole set, ahead of and behind the walk.
                    let id = &ids[(i * 7_919) % ids.len()];
                    db.query_blocking(|conn| {
                        conn.write(|tx| providers::rename(tx, id, &format!("Renamed {i}"), Timestamp::now()))
                    })
                    .unwrap();
                    renamed.fetch_add(1, Ordering::Relaxed);
                    i += 2;
                }
            })
        })
        .collect();

    let walk_started = Instant::now();
    let mut seen: Vec<(DateTime<Utc>, String)> = Vec::new();
    let mut url = format!("{PROVIDERS}?per_page=500");
    let mut pages = 0;
    loop {
        let page = app.get(&url).await;
        assert_eq!(page.status, 200, "{}", page.text);
        pages += 1;
        seen.extend(items(&page).iter().map(stamp));
        if seen.len() as u64 >= count * 3 / 4 {
            stop.store(true, Ordering::Relaxed);
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => url = format!("{PROVIDERS}?per_page=500&cursor={cursor}"),
            None => break,
        }
    }
    stop.store(true, Ordering::Relaxed);
    for updater in updaters {
        updater.await.unwrap();
    }
    let walked = walk_started.elapsed();
    let renamed = renamed.load(Ordering::Relaxed);

    assert!(seen.windows(2).all(|w| w[0] < w[1]), "strictly increasing (updated_at, id): no version twice");
    let distinct: HashSet<&str> = seen.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(distinct.len() as u64, count, "no gaps: every provider was seen");
    let last_seen: HashMap<&str, DateTime<Utc>> = seen.iter().map(|(at, id)| (id.as_str(), *at)).collect();
    let finals = app.db.query_blocking(providers::all_stamps).unwrap();
    for (id, at) in &finals {
        assert_eq!(last_seen[id.as_str()], at.and_utc(), "the walk ended with {id}'s last version");
    }
    assert!(renamed > 0, "rows were changed during the walk");
    eprintln!(
        "walked {count} providers in {pages} pages ({} items, {renamed} renames during the walk): seeded in {:.1} s, walked in {:.1} s",
        seen.len(),
        seeded.as_secs_f64(),
        walked.as_secs_f64()
    );
}

#[tokio::test]
async fn walking_100000_providers_while_they_change_sees_each_once_per_version_with_no_gaps() {
    walk_while_rows_change(100_000).await;
}

#[tokio::test]
async fn a_change_stamped_later_is_never_visible_before_one_stamped_earlier() {
    // Writer A stamps a change and holds its transaction open; writer B then
    // stamps a later one. If B could commit first, a reader could page past
    // B's stamp and never see A's change. The providers write lock makes B
    // wait for A.
    let app = TestApp::spawn().await;
    seed(&app, 2).await;
    let ids: Vec<String> =
        app.db.query_blocking(providers::all_stamps).unwrap().into_iter().map(|(id, _)| id).collect();
    let before = app.get(PROVIDERS).await;
    let since = items(&before).last().unwrap()["updated_at"].as_str().unwrap().to_owned();
    let (a_started, a_started_rx) = std::sync::mpsc::channel();
    let writer_a = {
        let (db, id) = (app.db.clone(), ids[0].clone());
        tokio::task::spawn_blocking(move || {
            db.query_blocking(|conn| {
                conn.write(|tx| {
                    providers::rename(tx, &id, "Stamped first", Timestamp::now())?;
                    a_started.send(()).unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(600));
                    Ok(())
                })
            })
            .unwrap()
        })
    };
    a_started_rx.recv().unwrap();
    let writer_b = {
        let (db, id) = (app.db.clone(), ids[1].clone());
        tokio::task::spawn_blocking(move || {
            db.query_blocking(|conn| conn.write(|tx| providers::rename(tx, &id, "Stamped second", Timestamp::now())))
                .unwrap()
        })
    };
    let url = format!("{PROVIDERS}?changed_since={}", since.replace('+', "%2B"));
    for _ in 0..6 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let page = app.get(&url).await;
        let names: Vec<&str> = items(&page).iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(!names.contains(&"Stamped second") || names.contains(&"Stamped first"), "{names:?}");
    }
    writer_a.await.unwrap();
    writer_b.await.unwrap().unwrap();
    let after = app.get(&url).await;
    let names: Vec<&str> = items(&after).iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names[names.len() - 2..], ["Stamped first", "Stamped second"]);
}
