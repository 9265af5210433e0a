//! Time as the service stores and shows it: UTC, to the microsecond, so a
//! timestamp once returned is returned identically afterwards (contract §8).

use chrono::{DateTime, NaiveDateTime, SecondsFormat, SubsecRound, Utc};
use serde::Serializer;

/// A UTC instant truncated to microseconds, the precision both databases keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Now, truncated to microseconds.
    pub fn now() -> Self {
        Self(Utc::now().trunc_subsecs(6))
    }

    /// The value for a `TIMESTAMP` column (UTC, no zone).
    pub fn db(self) -> NaiveDateTime {
        self.0.naive_utc()
    }

    /// The instant.
    pub fn utc(self) -> DateTime<Utc> {
        self.0
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value.trunc_subsecs(6))
    }
}

/// Reads a `TIMESTAMP` column, stored as UTC.
pub fn from_db(value: NaiveDateTime) -> DateTime<Utc> {
    value.and_utc()
}

/// RFC 3339 in UTC with a `Z` and only as many fraction digits as needed.
pub fn rfc3339(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `serialize_with` for a timestamp field.
pub fn serialize<S: Serializer>(value: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&rfc3339(value))
}

/// `serialize_with` for an optional timestamp field.
pub fn serialize_option<S: Serializer>(value: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serialize(value, serializer),
        None => serializer.serialize_none(),
    }
}
