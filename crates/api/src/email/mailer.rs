//! Transports: SMTP when `SMTP_URL` is set, else `.eml` files under
//! `data/mail/` so development needs no mail server.

use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use super::outbox::OutboxEmail;

/// How a send went wrong.
#[derive(Debug)]
pub struct SendError {
    /// A permanent refusal (SMTP 5xx, an address lettre cannot use): no retry.
    pub permanent: bool,
    /// What happened, without the message's content.
    pub reason: String,
}

/// Where email goes.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder of `.eml` files.
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Mailer {
    /// SMTP from a URL like `smtp://host:2525`, `smtps://user:pass@host`,
    /// `smtp://host:587?tls=required`.
    pub fn smtp(url: &str) -> Result<Self, String> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| e.to_string())?;
        Ok(Self::Smtp(builder.timeout(Some(std::time::Duration::from_secs(20))).build()))
    }

    /// Files under `dir` (created when needed).
    pub fn files(dir: PathBuf) -> Result<Self, String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Self::Files(AsyncFileTransport::<Tokio1Executor>::new(&dir), dir))
    }

    /// Delivers one queued email from `from`.
    pub async fn send(&self, from: &Mailbox, email: &OutboxEmail) -> Result<(), SendError> {
        let to: Mailbox = email
            .recipient
            .parse()
            .map_err(|_| SendError { permanent: true, reason: "the recipient address cannot be used".into() })?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(email.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.text_body.clone()))
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(email.html_body.clone())),
            )
            .map_err(|e| SendError { permanent: true, reason: format!("the message cannot be built: {e}") })?;
        match self {
            Self::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError { permanent: e.is_permanent(), reason: format!("SMTP: {e}") }),
            Self::Files(transport, _) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError { permanent: false, reason: format!("file transport: {e}") }),
        }
    }

    /// Whether the SMTP server answers (always true for files).
    pub async fn is_reachable(&self) -> bool {
        match self {
            Self::Smtp(transport) => transport.test_connection().await.unwrap_or(false),
            Self::Files(..) => true,
        }
    }
}
