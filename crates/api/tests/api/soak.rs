//! Soak (issue #11): steady mixed load against the real binary for ten
//! minutes, watching its memory and latency. Ignored by `cargo test`;
//! `make test-slow` runs it on PostgreSQL. `SOAK_SECONDS` (default 600) sets
//! the length; the run is judged in tenths (a minute each by default).

use std::time::{Duration, Instant};

use crate::harness::{backend, ServerProcess, TestApp};
use crate::load::{quantile, Load, Plan};

/// The process's resident memory, in KiB (`VmRSS` in `/proc/<pid>/status`).
fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("the process is running")
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/<pid>/status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow (SOAK_SECONDS, default ten minutes): make test-slow"]
async fn under_steady_mixed_load_for_ten_minutes_nothing_fails_and_memory_and_latency_stay_flat() {
    let seconds: u64 = std::env::var("SOAK_SECONDS").ok().map_or(600, |s| s.parse().expect("SOAK_SECONDS: seconds"));
    assert!((20..=840).contains(&seconds), "SOAK_SECONDS from 20 to 840 (the load's access token lasts 15 minutes)");
    let window = Duration::from_secs(seconds) / 10;
    let app = TestApp::spawn().await;
    let process = ServerProcess::start(&app).await;
    // 5 clients × 10 a second = 50 requests a second, one in ten a write.
    let plan = Plan {
        clients: 5,
        every: Duration::from_millis(100),
        write_every: 10,
        tag: "soak".into(),
        timeout: Duration::from_secs(10),
    };
    let started = Instant::now();
    let load = Load::start(&process.base, &app.admin_token, plan);
    let mut memory = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    while started.elapsed() < Duration::from_secs(seconds) {
        tick.tick().await;
        memory.push((started.elapsed(), resident_kib(process.pid())));
    }
    let outcomes = load.stop().await;

    let failed: Vec<_> = outcomes.iter().filter(|o| !o.is_success()).take(5).collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests failed, such as {failed:?}",
        outcomes.iter().filter(|o| !o.is_success()).count(),
        outcomes.len()
    );
    let windows: Vec<(usize, Duration, Duration, u64)> = (0..10)
        .map(|w| {
            let (from, to) = (window * w, window * (w + 1));
            let in_window = |at: Duration| at >= from && at < to;
            let mut took: Vec<Duration> =
                outcomes.iter().filter(|o| in_window(o.sent - started)).map(|o| o.took).collect();
            let requests = took.len();
            let p50 = quantile(&mut took, 0.50);
            let p99 = quantile(&mut took, 0.99);
            let rss = memory.iter().filter(|(at, _)| in_window(*at)).map(|(_, kib)| *kib).max().unwrap_or(0);
            eprintln!(
                "soak ({}) {:>4}s..{:>4}s: {requests:>5} requests ({:.1}/s), p50 {p50:?}, p99 {p99:?}, RSS {:.1} MiB",
                backend(),
                from.as_secs(),
                to.as_secs(),
                requests as f64 / window.as_secs_f64(),
                rss as f64 / 1024.0
            );
            (requests, p50, p99, rss)
        })
        .collect();
    let (second, last) = (&windows[1], &windows[9]);
    assert!(windows.iter().all(|w| w.0 > 0), "every window had requests");
    let rate = outcomes.len() as f64 / started.elapsed().as_secs_f64();
    assert!(rate >= 40.0, "a steady 50 requests a second, not {rate:.1}");
    let allowed_kib = second.3 + second.3 / 5 + 10 * 1024;
    assert!(last.3 <= allowed_kib, "memory grew: {} KiB at the end, {} KiB in the second tenth", last.3, second.3);
    // Latency is judged by halves (thousands of requests each), so one busy
    // moment of the machine cannot pass for a trend.
    let half = started + Duration::from_secs(seconds) / 2;
    let mut early: Vec<Duration> = outcomes.iter().filter(|o| o.sent < half).map(|o| o.took).collect();
    let mut late: Vec<Duration> = outcomes.iter().filter(|o| o.sent >= half).map(|o| o.took).collect();
    let (early_p99, late_p99) = (quantile(&mut early, 0.99), quantile(&mut late, 0.99));
    let allowed_p99 = early_p99 * 2 + Duration::from_millis(5);
    assert!(late_p99 <= allowed_p99, "p99 grew: {late_p99:?} in the second half, {early_p99:?} in the first");
    eprintln!(
        "soak ({}): {} requests in {:?} ({rate:.1}/s), none failed; RSS {:.1} → {:.1} MiB; p99 {early_p99:?} → {late_p99:?}",
        backend(),
        outcomes.len(),
        started.elapsed(),
        second.3 as f64 / 1024.0,
        last.3 as f64 / 1024.0,
    );
}
