//! The parameters of the user list (contract §3 "List" and §8).

use garde::Validate;

use crate::error::{FieldError, ValidationErrors};
use crate::messages;
use crate::name::sort_key;
use crate::role::SupportRole;

/// Items per page unless the request says otherwise.
pub const DEFAULT_PER_PAGE: u64 = 25;
/// The most items a page may hold.
pub const MAX_PER_PAGE: u64 = 100;
/// The highest page number accepted (100 million users at 100 a page).
pub const MAX_PAGE: u64 = 1_000_000;
/// The longest search text accepted: longer than any name or address.
pub const MAX_QUERY_CHARS: usize = 600;

/// `status=` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Only users who may sign in.
    Active,
    /// Only deactivated users.
    Inactive,
}

/// `type=` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeFilter {
    /// Only API users.
    Api,
    /// Only support users.
    Support,
}

/// The query string as it arrived; every value optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawListParams<'a> {
    /// `page`
    pub page: Option<&'a str>,
    /// `per_page`
    pub per_page: Option<&'a str>,
    /// `q`
    pub q: Option<&'a str>,
    /// `status`
    pub status: Option<&'a str>,
    /// `type`
    pub kind: Option<&'a str>,
    /// `role`
    pub role: Option<&'a str>,
    /// `cursor`
    pub cursor: Option<&'a str>,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// A numbered page, from 1.
    Page(u64),
    /// After the item an opaque cursor names (decoded by the caller).
    After(String),
}

/// Valid list parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListParams {
    /// The page or cursor.
    pub position: Position,
    /// Items per page, 1–100.
    pub per_page: u64,
    /// The search prefix, trimmed and lower-cased; `None` when empty.
    pub q: Option<String>,
    /// The status filter.
    pub status: Option<StatusFilter>,
    /// The type filter.
    pub kind: Option<TypeFilter>,
    /// The support-role filter (only support users have one).
    pub role: Option<SupportRole>,
}

#[derive(Validate)]
struct Paging {
    #[garde(range(min = 1, max = MAX_PAGE))]
    page: u64,
    #[garde(range(min = 1, max = MAX_PER_PAGE))]
    per_page: u64,
}

impl ListParams {
    /// Parses the query string; every invalid parameter is reported, naming it.
    pub fn parse(raw: &RawListParams<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let number = |value: Option<&str>, default: u64| match value {
            None => Some(default),
            Some(text) => text.trim().parse::<u64>().ok(),
        };
        let page = number(raw.page, 1);
        let per_page = number(raw.per_page, DEFAULT_PER_PAGE);
        let paging = Paging { page: page.unwrap_or(0), per_page: per_page.unwrap_or(0) };
        let report = paging.validate().err();
        let invalid =
            |field: &str| report.as_ref().is_some_and(|r| r.iter().any(|(path, _)| path.to_string() == field));
        if page.is_none() || invalid("page") {
            errors.push(FieldError::new("page", messages::PAGE_INVALID));
        }
        if per_page.is_none() || invalid("per_page") {
            errors.push(FieldError::new("per_page", messages::PER_PAGE_INVALID));
        }
        let q = raw.q.map(str::trim).filter(|q| !q.is_empty());
        if q.is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
            errors.push(FieldError::new("q", messages::QUERY_TOO_LONG));
        } else if q.is_some_and(|q| q.chars().any(char::is_control)) {
            errors.push(FieldError::new("q", messages::QUERY_CONTROL_CHARACTERS));
        }
        let status = match raw.status.map(str::trim) {
            None => None,
            Some("active") => Some(StatusFilter::Active),
            Some("inactive") => Some(StatusFilter::Inactive),
            Some(_) => {
                errors.push(FieldError::new("status", messages::STATUS_INVALID));
                None
            }
        };
        let kind = match raw.kind.map(str::trim) {
            None => None,
            Some("api") => Some(TypeFilter::Api),
            Some("support") => Some(TypeFilter::Support),
            Some(_) => {
                errors.push(FieldError::new("type", messages::TYPE_INVALID));
                None
            }
        };
        let role = match raw.role.map(str::trim) {
            None => None,
            Some(text) => {
                let role = SupportRole::parse(text);
                if role.is_none() {
                    errors.push(FieldError::new("role", messages::ROLE_INVALID));
                }
                role
            }
        };
        // An empty cursor is no cursor: a client may send `cursor=` for the first page.
        let position = match (raw.cursor.filter(|c| !c.is_empty()), raw.page) {
            (Some(_), Some(_)) => {
                errors.push(FieldError::new("cursor", messages::CURSOR_WITH_PAGE));
                Position::Page(1)
            }
            (Some(cursor), None) => Position::After(cursor.to_owned()),
            (None, _) => Position::Page(paging.page),
        };
        errors.into_result(|| Self { position, per_page: paging.per_page, q: q.map(sort_key), status, kind, role })
    }
}

/// The smallest string greater than every string that starts with `prefix`,
/// in code-point order; `None` when there is none (the prefix is all
/// U+10FFFF). `[prefix, bound)` is then an index range for a prefix search.
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last {
            '\u{D7FF}' => Some('\u{E000}'),
            c => char::from_u32(c as u32 + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Whether `dry_run=` asks for a dry run: absent or `false` is no, `true` is
/// yes, anything else is an error naming `dry_run`.
pub fn parse_dry_run(raw: Option<&str>) -> Result<bool, FieldError> {
    match raw {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(FieldError::new("dry_run", messages::DRY_RUN_INVALID)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(raw: RawListParams<'_>) -> Vec<(String, &'static str)> {
        ListParams::parse(&raw).unwrap_err().into_iter().map(|e| (e.field.into_owned(), e.message)).collect()
    }

    #[test]
    fn defaults_are_page_one_of_25() {
        let params = ListParams::parse(&RawListParams::default()).unwrap();
        assert_eq!(params.position, Position::Page(1));
        assert_eq!(params.per_page, 25);
        assert_eq!(params.q, None);
    }

    #[test]
    fn invalid_values_name_their_parameter() {
        assert_eq!(
            fields(RawListParams { page: Some("0"), ..Default::default() }),
            [("page".into(), messages::PAGE_INVALID)]
        );
        assert_eq!(
            fields(RawListParams { page: Some("x"), ..Default::default() }),
            [("page".into(), messages::PAGE_INVALID)]
        );
        assert_eq!(
            fields(RawListParams { per_page: Some("101"), ..Default::default() }),
            [("per_page".into(), messages::PER_PAGE_INVALID)]
        );
        assert_eq!(
            fields(RawListParams { per_page: Some("0"), ..Default::default() }),
            [("per_page".into(), messages::PER_PAGE_INVALID)]
        );
        assert_eq!(
            fields(RawListParams { status: Some("x"), ..Default::default() }),
            [("status".into(), messages::STATUS_INVALID)]
        );
        assert_eq!(
            fields(RawListParams { kind: Some("x"), ..Default::default() }),
            [("type".into(), messages::TYPE_INVALID)]
        );
        assert_eq!(
            fields(RawListParams { page: Some("2"), cursor: Some("abc"), ..Default::default() }),
            [("cursor".into(), messages::CURSOR_WITH_PAGE)]
        );
    }

    #[test]
    fn search_text_is_trimmed_and_lower_cased_and_empty_means_no_filter() {
        let params = ListParams::parse(&RawListParams { q: Some("  ÉMI "), ..Default::default() }).unwrap();
        assert_eq!(params.q.as_deref(), Some("émi"));
        let params = ListParams::parse(&RawListParams { q: Some("   "), ..Default::default() }).unwrap();
        assert_eq!(params.q, None);
    }

    #[test]
    fn the_prefix_bound_is_just_past_every_string_with_the_prefix() {
        assert_eq!(prefix_upper_bound("ada").as_deref(), Some("adb"));
        assert_eq!(prefix_upper_bound("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound("\u{D7FF}").as_deref(), Some("\u{E000}"));
        assert_eq!(prefix_upper_bound("\u{10FFFF}"), None);
        for s in ["ada", "ada lovelace", "ada\u{10FFFF}x"] {
            assert!(s >= "ada" && s < prefix_upper_bound("ada").unwrap().as_str());
        }
    }

    #[test]
    fn dry_run_is_true_or_false_only() {
        assert_eq!(parse_dry_run(None), Ok(false));
        assert_eq!(parse_dry_run(Some("true")), Ok(true));
        assert_eq!(parse_dry_run(Some("false")), Ok(false));
        assert_eq!(parse_dry_run(Some("yes")).unwrap_err().message, messages::DRY_RUN_INVALID);
    }
}
