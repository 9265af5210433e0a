//! What each email says: the templates under `templates/<email>/`, rendered
//! when the email is queued, so what is sent is what was true at the time of
//! the change.

use std::sync::OnceLock;

use minijinja::{context, Environment, Value};

use users_domain::messages::emails;

/// Which email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    /// A user was added, or their address changed: sent to the (new) address.
    Invitation,
    /// A user was deleted: sent to the address they had.
    Removal,
    /// An API client expires soon: sent to its owner.
    ApiClientExpiring,
    /// Someone other than its owner revoked an API client: sent to the owner.
    ApiClientRevoked,
}

impl EmailKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Removal => "removal",
            Self::ApiClientExpiring => "api_client_expiring",
            Self::ApiClientRevoked => "api_client_revoked",
        }
    }
}

/// What the templates may use.
#[derive(Debug, Clone)]
pub struct Recipient<'a> {
    /// The user's first name.
    pub first_name: &'a str,
    /// The user's last name.
    pub last_name: &'a str,
    /// The address the email goes to.
    pub email: &'a str,
}

/// What an email about an API client says of it.
#[derive(Debug, Clone)]
pub struct ClientFacts<'a> {
    /// The client's name.
    pub name: &'a str,
    /// Its expiry date.
    pub expires_on: chrono::NaiveDate,
    /// Who revoked it ("First Last"), for a revocation notice.
    pub revoked_by: Option<&'a str>,
}

/// The settings every message needs.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `SERVICE_NAME`.
    pub service_name: String,
    /// Where people sign in: `PUBLIC_URL` + `/sign-in`.
    pub sign_in_url: String,
    /// `SUPPORT_EMAIL`: who to contact about a removal.
    pub support_email: String,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line, exactly as the contract gives it.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (values escaped).
    pub html: String,
}

fn templates() -> &'static Environment<'static> {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        // `.html` templates escape every value; `.txt` ones do not.
        for (name, source) in [
            ("invitation/body.txt", include_str!("templates/invitation/body.txt")),
            ("invitation/body.html", include_str!("templates/invitation/body.html")),
            ("removal/body.txt", include_str!("templates/removal/body.txt")),
            ("removal/body.html", include_str!("templates/removal/body.html")),
            ("api_client_expiring/body.txt", include_str!("templates/api_client_expiring/body.txt")),
            ("api_client_expiring/body.html", include_str!("templates/api_client_expiring/body.html")),
            ("api_client_revoked/body.txt", include_str!("templates/api_client_revoked/body.txt")),
            ("api_client_revoked/body.html", include_str!("templates/api_client_revoked/body.html")),
        ] {
            env.add_template(name, source).expect("email templates parse");
        }
        env
    })
}

/// Renders `kind` for `recipient`.
pub fn render(kind: EmailKind, recipient: &Recipient<'_>, settings: &MailSettings) -> Rendered {
    render_about(kind, recipient, None, settings)
}

/// Renders `kind` for `recipient`, about an API client when it is one of
/// the client emails.
pub fn render_about(
    kind: EmailKind,
    recipient: &Recipient<'_>,
    client: Option<&ClientFacts<'_>>,
    settings: &MailSettings,
) -> Rendered {
    let expires_on = client.map(|c| emails::long_date(c.expires_on)).unwrap_or_default();
    // Configuration is trusted and shown as it is (a URL escaped as HTML
    // would read `http:&#x2f;&#x2f;…`); what users typed is escaped in HTML.
    let values = context! {
        first_name => recipient.first_name,
        last_name => recipient.last_name,
        email => recipient.email,
        service_name => &settings.service_name,
        sign_in_url => Value::from_safe_string(settings.sign_in_url.clone()),
        support_email => Value::from_safe_string(settings.support_email.clone()),
        client_name => client.map(|c| c.name),
        expires_on => &expires_on,
        revoked_by => client.and_then(|c| c.revoked_by),
    };
    let part = |suffix: &str| {
        templates()
            .get_template(&format!("{}/body.{suffix}", kind.as_str()))
            .and_then(|t| t.render(&values))
            .expect("email templates render with these values")
    };
    let subject = match kind {
        EmailKind::Invitation => emails::invitation_subject(&settings.service_name),
        EmailKind::Removal => emails::removal_subject(&settings.service_name),
        EmailKind::ApiClientExpiring => emails::client_expiring_subject(&settings.service_name, &expires_on),
        EmailKind::ApiClientRevoked => emails::client_revoked_subject(&settings.service_name),
    };
    Rendered { subject, text: part("txt"), html: part("html") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailSettings {
        MailSettings {
            service_name: "Register of training providers".into(),
            sign_in_url: "https://register.example/sign-in".into(),
            support_email: "support@education.gov.uk".into(),
        }
    }

    fn ada() -> Recipient<'static> {
        Recipient { first_name: "Ada", last_name: "<Lovelace>", email: "ada@education.gov.uk" }
    }

    #[test]
    fn the_invitation_says_how_to_sign_in_and_which_address_to_use() {
        let email = render(EmailKind::Invitation, &ada(), &settings());
        assert_eq!(email.subject, "You have been invited to Register of training providers");
        for part in [&email.text, &email.html] {
            assert!(part.contains("https://register.example/sign-in"));
            assert!(part.contains("DfE Sign-in account that uses this email address"));
            assert!(part.contains("ada@education.gov.uk"));
        }
        assert!(email.text.contains("Dear Ada <Lovelace>,"));
        assert!(email.html.contains("Dear Ada &lt;Lovelace&gt;,"), "HTML escapes names");
        assert!(!email.html.contains("<img"), "no images or tracking");
    }

    #[test]
    fn client_emails_name_the_client_the_date_and_what_to_do() {
        let facts = ClientFacts {
            name: "Payroll <sync>",
            expires_on: chrono::NaiveDate::from_ymd_opt(2027, 1, 8).unwrap(),
            revoked_by: Some("Grace Hopper"),
        };
        let expiring = render_about(EmailKind::ApiClientExpiring, &ada(), Some(&facts), &settings());
        assert_eq!(expiring.subject, "An API client for Register of training providers expires on 8 January 2027");
        assert!(expiring
            .text
            .contains("\"Payroll <sync>\" for Register of training providers expires on 8 January 2027"));
        assert!(expiring.html.contains("Payroll &lt;sync&gt;"), "HTML escapes the name");
        assert!(expiring.text.contains("rotate its token"));
        let revoked = render_about(EmailKind::ApiClientRevoked, &ada(), Some(&facts), &settings());
        assert_eq!(revoked.subject, "Your API client for Register of training providers has been revoked");
        assert!(revoked.text.contains("has been revoked by Grace Hopper"));
        assert!(revoked.text.contains("contact support@education.gov.uk"));
    }

    #[test]
    fn the_removal_says_who_to_contact() {
        let email = render(EmailKind::Removal, &ada(), &settings());
        assert_eq!(email.subject, "You have been removed from Register of training providers");
        assert!(email.text.contains("If you think this is a mistake, contact support@education.gov.uk."));
        assert!(email.html.contains("mailto:support@education.gov.uk"));
    }
}
