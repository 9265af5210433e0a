//! A real SMTP server for the tests: `tests/support/smtp_sink.py` (aiosmtpd)
//! in the repository's `.venv`, on a loopback port. Each message it accepts
//! becomes a JSON file the tests read.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

/// How the sink departs from accepting every message at once.
#[derive(Default)]
pub struct Behaviour {
    /// Answers the first this many messages with 451.
    pub reject_first: u32,
    /// Waits this long before accepting each message.
    pub delay: Duration,
    /// Answers every recipient with `550 5.1.1 <address>: Recipient address
    /// rejected: User unknown`.
    pub refuse_recipients: bool,
}

impl SmtpSink {
    pub fn start(port: u16) -> Self {
        Self::start_with(port, Behaviour::default())
    }

    pub fn start_with(port: u16, behaviour: Behaviour) -> Self {
        let python =
            std::env::var("TEST_PYTHON").map(PathBuf::from).unwrap_or_else(|_| workspace().join(".venv/bin/python"));
        let dir = std::env::temp_dir().join(format!("users-api-mail-{}", uuid::Uuid::now_v7().simple()));
        let mut child = Command::new(&python)
            .arg(workspace().join("tests/support/smtp_sink.py"))
            .args(["--port", &port.to_string(), "--dir", &dir.display().to_string()])
            .args(["--reject-first", &behaviour.reject_first.to_string()])
            .args(["--delay", &behaviour.delay.as_secs_f64().to_string()])
            .args(behaviour.refuse_recipients.then_some("--refuse-recipients"))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start the SMTP sink with {} (run scripts/ensure-python-tools.sh): {e}", python.display())
            });
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut ready).unwrap();
        assert_eq!(ready.trim(), "ready", "the SMTP sink started");
        Self { port, dir, child }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Value> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .map(|e| serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap())
            .collect()
    }

    /// Waits until at least `count` messages have arrived (or `timeout`), then
    /// a little longer to catch any duplicate, and returns them all.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Value> {
        let started = Instant::now();
        while self.messages().len() < count && started.elapsed() < timeout {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.messages()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
