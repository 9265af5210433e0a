//! Training-provider data (contract §5 and §8, "Providers"): what a provider
//! is, and the parameters of the change feed `GET /providers`.

use chrono::{DateTime, Utc};

use crate::error::{FieldError, ValidationErrors};
use crate::messages;

/// Items per page unless the request says otherwise.
pub const DEFAULT_PER_PAGE: u64 = 100;
/// The most items a page may hold.
pub const MAX_PER_PAGE: u64 = 500;

/// The kinds of training provider.
pub const PROVIDER_TYPES: [&str; 4] = ["hei", "scitt", "school", "other"];

/// The query string as it arrived.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawFeedParams<'a> {
    /// `changed_since`
    pub changed_since: Option<&'a str>,
    /// `cursor`
    pub cursor: Option<&'a str>,
    /// `per_page`
    pub per_page: Option<&'a str>,
}

/// Valid feed parameters. The cursor is opaque here; the caller decodes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedParams {
    /// Only providers changed at or after this instant.
    pub changed_since: Option<DateTime<Utc>>,
    /// Continue after the position this names.
    pub cursor: Option<String>,
    /// Items per page, 1–500.
    pub per_page: u64,
}

impl FeedParams {
    /// Parses the query string; every invalid parameter is reported, naming it.
    pub fn parse(raw: &RawFeedParams<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        // Present but empty is not "no filter": the document says date-time.
        let changed_since = match raw.changed_since.map(str::trim) {
            None => None,
            Some(text) => errors.take(
                DateTime::parse_from_rfc3339(text)
                    .map(|at| at.with_timezone(&Utc))
                    .map_err(|_| FieldError::new("changed_since", messages::CHANGED_SINCE_INVALID)),
            ),
        };
        // An empty cursor is no cursor: the first page.
        let cursor = raw.cursor.filter(|c| !c.is_empty()).map(str::to_owned);
        let per_page = match raw.per_page {
            None => Some(DEFAULT_PER_PAGE),
            Some(text) => errors.take(
                text.trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                    .ok_or_else(|| FieldError::new("per_page", messages::PROVIDERS_PER_PAGE_INVALID)),
            ),
        };
        errors.into_result(|| Self { changed_since, cursor, per_page: per_page.unwrap_or(DEFAULT_PER_PAGE) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn errors(raw: RawFeedParams<'_>) -> Vec<(String, &'static str)> {
        FeedParams::parse(&raw).unwrap_err().into_iter().map(|e| (e.field.into_owned(), e.message)).collect()
    }

    #[test]
    fn defaults_are_the_whole_feed_100_a_page() {
        let params = FeedParams::parse(&RawFeedParams::default()).unwrap();
        assert_eq!(params, FeedParams { changed_since: None, cursor: None, per_page: 100 });
    }

    #[test]
    fn changed_since_is_an_rfc3339_instant_in_any_offset() {
        let params = FeedParams::parse(&RawFeedParams {
            changed_since: Some("2025-12-11T15:13:00+01:00"),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(params.changed_since, Some(Utc.with_ymd_and_hms(2025, 12, 11, 14, 13, 0).unwrap()));
    }

    #[test]
    fn invalid_values_name_their_parameter() {
        assert_eq!(
            errors(RawFeedParams { changed_since: Some("yesterday"), per_page: Some("501"), cursor: Some("") }),
            [
                ("changed_since".to_owned(), messages::CHANGED_SINCE_INVALID),
                ("per_page".to_owned(), messages::PROVIDERS_PER_PAGE_INVALID),
            ]
        );
        assert_eq!(
            errors(RawFeedParams { per_page: Some("0"), ..Default::default() }),
            [("per_page".to_owned(), messages::PROVIDERS_PER_PAGE_INVALID)]
        );
        assert!(FeedParams::parse(&RawFeedParams { per_page: Some("500"), ..Default::default() }).is_ok());
    }
}
