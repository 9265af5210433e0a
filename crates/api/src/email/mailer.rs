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
    /// What happened, without the message's content and with every address
    /// replaced by `<address>`: it is logged and stored.
    pub reason: String,
}

impl SendError {
    fn new(permanent: bool, reason: impl std::fmt::Display) -> Self {
        Self { permanent, reason: without_addresses(&reason.to_string()) }
    }
}

/// `text` with each address-like token (whatever surrounds an `@`) replaced
/// by `<address>`. lettre's error text carries the SMTP server's reply, and
/// replies often repeat the recipient (`550 5.1.1 <ada@…>: Recipient address
/// rejected`); a reason is logged and kept in `last_error`, neither of which
/// may hold a person's address.
fn without_addresses(text: &str) -> String {
    // What ends a token on either side of its `@`. Anything else counts as
    // part of the address, so an odd one (Unicode, `%`, `!`) is hidden too.
    let ends = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '"');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let (before, after) = (&rest[..at], &rest[at + 1..]);
        // A quoted local part (`"ada lovelace"@…`) goes back to its opening quote.
        let quoted = before.strip_suffix('"').and_then(|inside| inside.rfind('"'));
        let start = quoted.unwrap_or_else(|| {
            before.char_indices().rev().take_while(|&(_, c)| !ends(c)).last().map_or(before.len(), |(i, _)| i)
        });
        // A domain literal (`…@[192.0.2.1]`) goes up to its closing bracket;
        // a name stops before a sentence's closing full stop.
        let literal = after.strip_prefix('[').and_then(|inside| inside.find(']')).map(|close| close + 2);
        let length = literal.unwrap_or_else(|| {
            let name = after.find(ends).map_or(after, |end| &after[..end]);
            name.trim_end_matches('.').len()
        });
        if start == before.len() && length == 0 {
            // An `@` with nothing around it names nobody.
            out.push_str(&rest[..=at]);
            rest = after;
            continue;
        }
        let (mut from, mut to) = (start, at + 1 + length);
        // `<ada@…>` becomes `<address>`, not `<<address>>`.
        if rest[..from].ends_with('<') && rest[to..].starts_with('>') {
            (from, to) = (from - 1, to + 1);
        }
        out.push_str(&rest[..from]);
        out.push_str("<address>");
        rest = &rest[to..];
    }
    out.push_str(rest);
    out
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
        let to: Mailbox =
            email.recipient.parse().map_err(|_| SendError::new(true, "the recipient address cannot be used"))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(email.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.text_body.clone()))
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(email.html_body.clone())),
            )
            .map_err(|e| SendError::new(true, format_args!("the message cannot be built: {e}")))?;
        match self {
            Self::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError::new(e.is_permanent(), format_args!("SMTP: {e}"))),
            Self::Files(transport, _) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError::new(false, format_args!("file transport: {e}"))),
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

#[cfg(test)]
mod tests {
    use super::without_addresses;
    use proptest::prelude::*;

    #[test]
    fn a_refusal_that_repeats_the_recipient_keeps_its_reason_but_not_the_address() {
        assert_eq!(
            without_addresses("SMTP: permanent error (550): 5.1.1 <ada@education.gov.uk>: Recipient address rejected"),
            "SMTP: permanent error (550): 5.1.1 <address>: Recipient address rejected"
        );
    }

    #[test]
    fn every_form_of_address_is_replaced_and_the_words_around_it_are_kept() {
        for (text, expected) in [
            ("Mailbox ada@education.gov.uk is full.", "Mailbox <address> is full."),
            ("Ada Lovelace <ada@education.gov.uk>, grace@example.org", "Ada Lovelace <address>, <address>"),
            ("\"ada lovelace\"@education.gov.uk refused", "<address> refused"),
            ("to ada@[192.0.2.1]: no route", "to <address>: no route"),
            ("RCPT TO:<ådå@exämple.de> refused", "RCPT TO:<address> refused"),
            ("ada+tag@education.gov.uk@relay unknown", "<address> unknown"),
            ("ada@ and @education.gov.uk", "<address> and <address>"),
            ("user@", "<address>"),
        ] {
            assert_eq!(without_addresses(text), expected, "{text:?}");
        }
    }

    #[test]
    fn text_without_an_address_is_kept_as_it_is() {
        for text in ["", "SMTP: connection refused", "a lone @ sign", "(@)", "\"@\"", "4.3.0 Try again later"] {
            assert_eq!(without_addresses(text), text);
        }
    }

    proptest! {
        #[test]
        fn no_at_sign_is_left_next_to_a_letter_or_digit(text in r#"(?:[a-z0-9é@.<>\[\]" ]|\PC){0,40}"#) {
            let out = without_addresses(&text);
            let chars: Vec<char> = out.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if *c == '@' {
                    let beside = [i.checked_sub(1).map(|j| chars[j]), chars.get(i + 1).copied()];
                    prop_assert!(!beside.iter().flatten().any(|c| c.is_alphanumeric()), "{text:?} -> {out:?}");
                }
            }
        }
    }
}
