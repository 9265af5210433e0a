//! A background job run every so often on the current runtime, stopped when
//! dropped or shut down: the sweep, the API client reminders and the usage
//! flush are each one.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// When a job runs besides every interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// Also at once, when started (the sweep, the reminders).
    AtStart,
    /// Also once more when stopped (the usage flush: nothing is left behind).
    AtStop,
}

/// A running job.
pub struct Periodic {
    stop: watch::Sender<bool>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

impl Periodic {
    /// Runs `job` every `every`, and also as `extra` says.
    pub fn spawn<F, Fut>(every: Duration, extra: Extra, job: F) -> Self
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let (stop, mut stopped) = watch::channel(false);
        let handle = tokio::spawn(async move {
            if extra == Extra::AtStart {
                job().await;
            }
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(every) => job().await,
                    _ = stopped.changed() => break,
                }
            }
            if extra == Extra::AtStop {
                job().await;
            }
        });
        Self { stop, handle: Some(handle) }
    }

    /// Stops after the run in hand (and the run at stop, if there is one).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(handle) = self.handle.take() {
            let _ = handle.await;
        }
    }
}

impl Drop for Periodic {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
