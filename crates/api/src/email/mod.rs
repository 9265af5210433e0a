//! Email: what each message says ([`render`]), the outbox it waits in
//! ([`outbox`]), and the worker that delivers it ([`worker`]) through a
//! transport ([`mailer`]).
//!
//! A change and its email are written in one transaction (the outbox), so a
//! change that rolls back sends nothing and a committed change always sends,
//! however long SMTP is down.

pub mod mailer;
pub mod outbox;
pub mod render;
pub mod worker;
