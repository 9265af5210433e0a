//! The DfE email address rule (contract §3 and §8).

use std::fmt;

use crate::error::FieldError;
use crate::messages;

/// The longest address accepted, in characters.
pub const EMAIL_MAX_CHARS: usize = 254;
/// The longest local part (before `@`) accepted, in characters.
pub const LOCAL_PART_MAX_CHARS: usize = 64;
/// The Department for Education's domain; its subdomains are accepted too.
pub const DFE_DOMAIN: &str = "education.gov.uk";

/// The rule as an ECMA-262 regular expression, for the OpenAPI document. It
/// accepts exactly the (already trimmed) addresses [`DfeEmail::parse`] accepts,
/// in any letter case; the length limit is stated separately as `maxLength`.
pub const EMAIL_PATTERN: &str = concat!(
    r"^(?=[^@]{1,64}@)",
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*",
    r"@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*",
    r"[Ee][Dd][Uu][Cc][Aa][Tt][Ii][Oo][Nn]\.[Gg][Oo][Vv]\.[Uu][Kk]$"
);

/// An email address the service accepts: trimmed, lower-cased, a dot-atom
/// address on `education.gov.uk` or one of its subdomains. Once you hold one,
/// it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DfeEmail(String);

impl DfeEmail {
    /// Parses what a person typed. Errors name the `email` field.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::parse_field("email", raw)
    }

    /// As [`DfeEmail::parse`], with errors naming `field`.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(field, messages::ENTER_EMAIL));
        }
        if trimmed.len() > EMAIL_MAX_CHARS || !trimmed.is_ascii() {
            return Err(FieldError::new(field, messages::EMAIL_FORMAT));
        }
        let email = trimmed.to_ascii_lowercase();
        match email.split_once('@') {
            Some((local, domain)) if is_dot_atom(local) && is_dfe_domain(domain) => Ok(Self(email)),
            _ => Err(FieldError::new(field, messages::EMAIL_FORMAT)),
        }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The normalised address, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for DfeEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_atom_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

/// 1–64 atom characters, with dots only between them.
fn is_dot_atom(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= LOCAL_PART_MAX_CHARS
        && local.split('.').all(|atom| !atom.is_empty() && atom.chars().all(is_atom_char))
}

/// Letters, digits and inner hyphens.
fn is_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// `education.gov.uk` itself or a subdomain of it, made of valid labels; so
/// `badeducation.gov.uk` is refused.
fn is_dfe_domain(domain: &str) -> bool {
    let on_dfe = domain == DFE_DOMAIN || domain.strip_suffix(DFE_DOMAIN).is_some_and(|prefix| prefix.ends_with('.'));
    on_dfe && domain.split('.').all(is_label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn message(raw: &str) -> &'static str {
        DfeEmail::parse(raw).unwrap_err().message
    }

    #[test]
    fn a_dfe_address_is_trimmed_and_lower_cased() {
        let email = DfeEmail::parse("  Ada.Lovelace@Education.GOV.uk \n").unwrap();
        assert_eq!(email.as_str(), "ada.lovelace@education.gov.uk");
    }

    #[test]
    fn subdomains_of_education_gov_uk_are_accepted() {
        assert!(DfeEmail::parse("grace@digital.education.gov.uk").is_ok());
        assert!(DfeEmail::parse("grace@a-b.c1.education.gov.uk").is_ok());
    }

    #[test]
    fn blank_addresses_ask_for_an_address() {
        assert_eq!(message(""), messages::ENTER_EMAIL);
        assert_eq!(message(" \t "), messages::ENTER_EMAIL);
    }

    #[test]
    fn addresses_off_the_dfe_domain_are_refused() {
        for raw in [
            "ada@badeducation.gov.uk",
            "ada@education.gov.uk.evil.com",
            "ada@gmail.com",
            "ada@gov.uk",
            "ada@.education.gov.uk",
            "ada@-x.education.gov.uk",
            "ada@x-.education.gov.uk",
            "ada@x..education.gov.uk",
            "ada@x_y.education.gov.uk",
        ] {
            assert_eq!(message(raw), messages::EMAIL_FORMAT, "{raw}");
        }
    }

    #[test]
    fn malformed_local_parts_are_refused() {
        for raw in [
            "@education.gov.uk",
            ".ada@education.gov.uk",
            "ada.@education.gov.uk",
            "ada..lovelace@education.gov.uk",
            "ada lovelace@education.gov.uk",
            "ada@lovelace@education.gov.uk",
            "\"ada\"@education.gov.uk",
            "adà@education.gov.uk",
            "ada",
        ] {
            assert_eq!(message(raw), messages::EMAIL_FORMAT, "{raw}");
        }
    }

    #[test]
    fn the_local_part_may_be_64_characters_but_not_65() {
        let ok = format!("{}@education.gov.uk", "a".repeat(64));
        let too_long = format!("{}@education.gov.uk", "a".repeat(65));
        assert!(DfeEmail::parse(&ok).is_ok());
        assert_eq!(message(&too_long), messages::EMAIL_FORMAT);
    }

    #[test]
    fn the_whole_address_may_be_254_characters_but_not_255() {
        let domain_of = |len: usize| {
            // Labels of 40 characters, then the DfE domain, to reach `len`.
            let mut domain = String::new();
            while domain.len() + DFE_DOMAIN.len() < len {
                let room = len - DFE_DOMAIN.len() - domain.len() - 1;
                domain.push_str(&"d".repeat(room.clamp(1, 40)));
                domain.push('.');
            }
            domain.push_str(DFE_DOMAIN);
            domain
        };
        let local = "a".repeat(64);
        let ok = format!("{local}@{}", domain_of(254 - 65));
        let too_long = format!("{local}@{}", domain_of(255 - 65));
        assert_eq!(ok.len(), 254);
        assert_eq!(too_long.len(), 255);
        assert!(DfeEmail::parse(&ok).is_ok());
        assert_eq!(message(&too_long), messages::EMAIL_FORMAT);
    }

    fn atom() -> impl Strategy<Value = String> {
        "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,10}"
    }

    fn label() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?"
    }

    proptest! {
        #[test]
        fn every_dot_atom_address_on_a_dfe_domain_is_accepted_and_normalised(
            atoms in proptest::collection::vec(atom(), 1..4),
            labels in proptest::collection::vec(label(), 0..3),
            pad in "[ \t]{0,3}",
        ) {
            let local = atoms.join(".");
            prop_assume!(local.len() <= 64);
            let mut domain = labels.join(".");
            if !domain.is_empty() { domain.push('.'); }
            domain.push_str("Education.Gov.UK");
            let raw = format!("{pad}{local}@{domain}{pad}");
            let email = DfeEmail::parse(&raw).unwrap();
            prop_assert_eq!(email.as_str(), format!("{local}@{domain}").to_ascii_lowercase());
        }

        #[test]
        fn parsing_is_idempotent(raw in "\\PC{0,80}") {
            if let Ok(email) = DfeEmail::parse(&raw) {
                prop_assert_eq!(DfeEmail::parse(email.as_str()).unwrap(), email);
            }
        }

        #[test]
        fn an_accepted_address_always_ends_on_the_dfe_domain(raw in "[a-z.@-]{0,20}(education\\.gov\\.uk)?") {
            if let Ok(email) = DfeEmail::parse(&raw) {
                let domain = email.as_str().rsplit_once('@').unwrap().1;
                prop_assert!(domain == DFE_DOMAIN || domain.ends_with(".education.gov.uk"));
            }
        }

        #[test]
        fn addresses_on_lookalike_domains_are_refused(local in atom(), prefix in "[a-z0-9]{1,8}") {
            let raw = format!("{local}@{prefix}education.gov.uk");
            prop_assert_eq!(DfeEmail::parse(&raw).unwrap_err().message, messages::EMAIL_FORMAT);
        }
    }
}
