//! `If-Match` (contract §8) and the `ETag` it is compared with.

use std::future::{ready, Ready};

use actix_web::http::header;
use actix_web::{dev::Payload, FromRequest, HttpRequest};

use crate::problem::Problem;

/// The `If-Match` header (contract §8): absent means no precondition.
#[derive(Debug, Clone)]
pub struct IfMatch(Option<String>);

impl IfMatch {
    /// Passes when there is no header, when it is `*`, or when any strong
    /// entity tag in its list is `"<version>"`; otherwise 412.
    pub fn check(&self, version: i64) -> Result<(), Problem> {
        let Some(value) = &self.0 else { return Ok(()) };
        let current = format!("\"{version}\"");
        let bare = version.to_string();
        let matches = value.split(',').map(str::trim).any(|tag| tag == "*" || tag == current || tag == bare);
        if matches {
            Ok(())
        } else {
            Err(Problem::precondition_failed())
        }
    }
}

impl FromRequest for IfMatch {
    type Error = Problem;
    type Future = Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values: Vec<&str> =
            req.headers().get_all(header::IF_MATCH).map(|v| v.to_str().unwrap_or("\u{0}")).collect();
        let joined = values.join(",");
        ready(if values.is_empty() {
            Ok(IfMatch(None))
        } else if is_if_match(&joined) {
            Ok(IfMatch(Some(joined)))
        } else {
            Err(Problem::bad_request(users_domain::messages::problems::IF_MATCH_INVALID))
        })
    }
}

/// `*`, or a comma-separated list of entity tags (`"3"`, `W/"3"`), as
/// RFC 9110 defines them; a bare version number (`3`) is read as `"3"`, as
/// clients sometimes drop the quotes.
fn is_if_match(value: &str) -> bool {
    let value = value.trim();
    value == "*"
        || value.split(',').map(str::trim).all(|tag| {
            let opaque = tag.strip_prefix("W/").unwrap_or(tag);
            if !opaque.is_empty() && opaque.bytes().all(|b| b.is_ascii_digit()) {
                return true;
            }
            opaque.len() >= 2
                && opaque.starts_with('"')
                && opaque.ends_with('"')
                && opaque[1..opaque.len() - 1].bytes().all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80)
        })
}

/// The strong entity tag of a version.
pub fn etag(version: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

#[cfg(test)]
mod tests {
    use super::is_if_match;

    #[test]
    fn if_match_takes_a_star_or_entity_tags() {
        for ok in ["*", "\"3\"", " \"3\" , W/\"4\"", "\"\"", "3", "3, \"4\""] {
            assert!(is_if_match(ok), "{ok}");
        }
        for bad in ["null", "\"3", "*, \"3\"", "\"3\" x", "3a"] {
            assert!(!is_if_match(bad), "{bad}");
        }
    }
}
