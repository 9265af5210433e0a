//! The id of the request being answered, kept in a task-local for the length
//! of the request so that a [`crate::problem::Problem`] can repeat it in its
//! body wherever it is made. The middleware that sets it is
//! [`crate::http::request_log`].

use actix_web::http::header::{HeaderName, HeaderValue};

/// The header's name.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_LEN: usize = 128;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being answered on this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `work` with `id` as the current request's id.
pub async fn scope<F: std::future::Future>(id: String, work: F) -> F::Output {
    REQUEST_ID.scope(id, work).await
}

/// An incoming id is used only when it is short and made of token characters,
/// so it cannot inject anything into headers or logs.
pub fn accept(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= MAX_LEN
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| text.to_owned())
}
