//! The activity log's vocabulary and the parameters of its queries
//! (contract §6 and §8).

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{FieldError, ValidationErrors};
use crate::ids::is_uuid;
use crate::messages;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A user was added.
    UserCreated,
    /// A user's details changed.
    UserUpdated,
    /// A user was deleted.
    UserDeleted,
    /// A user signed in.
    UserSignedIn,
    /// An API client was added.
    ApiClientCreated,
    /// An API client's name or expiry changed.
    ApiClientUpdated,
    /// An API client was revoked.
    ApiClientRevoked,
    /// An API client's token was rotated.
    ApiClientRotated,
    /// An API client was deleted.
    ApiClientDeleted,
    /// An email was accepted by the SMTP server.
    EmailSent,
    /// An email could not be delivered and was given up.
    EmailFailed,
}

impl Action {
    /// Every action, in the order they are documented.
    pub const ALL: [Action; 11] = [
        Action::UserCreated,
        Action::UserUpdated,
        Action::UserDeleted,
        Action::UserSignedIn,
        Action::ApiClientCreated,
        Action::ApiClientUpdated,
        Action::ApiClientRevoked,
        Action::ApiClientRotated,
        Action::ApiClientDeleted,
        Action::EmailSent,
        Action::EmailFailed,
    ];

    /// The stored and sent name, like `user.updated`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserCreated => "user.created",
            Self::UserUpdated => "user.updated",
            Self::UserDeleted => "user.deleted",
            Self::UserSignedIn => "user.signed_in",
            Self::ApiClientCreated => "api_client.created",
            Self::ApiClientUpdated => "api_client.updated",
            Self::ApiClientRevoked => "api_client.revoked",
            Self::ApiClientRotated => "api_client.rotated",
            Self::ApiClientDeleted => "api_client.deleted",
            Self::EmailSent => "email.sent",
            Self::EmailFailed => "email.failed",
        }
    }

    /// The action with this name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// The most entries a page may hold, and the default.
pub const MAX_PER_PAGE: u64 = 100;
/// Entries per page unless asked otherwise.
pub const DEFAULT_PER_PAGE: u64 = 25;

/// The query string of an activity list, as it arrived.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawActivityParams<'a> {
    /// `actor`: a user id.
    pub actor: Option<&'a str>,
    /// `action`: an action name.
    pub action: Option<&'a str>,
    /// `since`: inclusive.
    pub since: Option<&'a str>,
    /// `until`: exclusive.
    pub until: Option<&'a str>,
    /// `per_page`.
    pub per_page: Option<&'a str>,
    /// `cursor`.
    pub cursor: Option<&'a str>,
}

/// Valid activity-list parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActivityParams {
    /// Only entries by this actor.
    pub actor: Option<String>,
    /// Only this action.
    pub action: Option<Action>,
    /// Only entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Entries per page.
    pub per_page: u64,
    /// Where to continue (decoded by the caller).
    pub cursor: Option<String>,
}

/// An RFC 3339 instant, or a date (its midnight, UTC).
fn instant(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
        NaiveDate::parse_from_str(value, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
    })
}

impl ActivityParams {
    /// Parses the query string, naming every invalid parameter.
    pub fn parse(raw: &RawActivityParams<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        // A parameter that is given must be valid (an empty one too); only
        // `cursor` may be empty, meaning the first page.
        let actor = raw.actor.map(|a| a.trim().to_owned());
        if actor.as_deref().is_some_and(|a| !is_uuid(a)) {
            errors.push(FieldError::new("actor", messages::ACTOR_INVALID));
        }
        let action = raw.action.map(str::trim).and_then(|name| {
            let parsed = Action::parse(name);
            if parsed.is_none() {
                errors.push(FieldError::new("action", messages::ACTION_INVALID));
            }
            parsed
        });
        let mut time = |field: &'static str, value: Option<&str>, message: &'static str| {
            value.map(str::trim).and_then(|v| {
                let parsed = instant(v);
                if parsed.is_none() {
                    errors.push(FieldError::new(field, message));
                }
                parsed
            })
        };
        let since = time("since", raw.since, messages::SINCE_INVALID);
        let until = time("until", raw.until, messages::UNTIL_INVALID);
        let per_page = match raw.per_page.map(str::trim) {
            None => Some(DEFAULT_PER_PAGE),
            Some(v) => v.parse::<u64>().ok().filter(|n| (1..=MAX_PER_PAGE).contains(n)),
        };
        if per_page.is_none() {
            errors.push(FieldError::new("per_page", messages::PER_PAGE_INVALID));
        }
        let cursor = raw.cursor.filter(|c| !c.is_empty()).map(str::to_owned);
        errors.into_result(|| Self {
            actor,
            action,
            since,
            until,
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE),
            cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_name_round_trips() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::parse("user.exploded"), None);
    }

    #[test]
    fn since_and_until_take_instants_or_dates() {
        let params = ActivityParams::parse(&RawActivityParams {
            since: Some("2025-12-11"),
            until: Some("2025-12-11T14:13:00Z"),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(params.since.unwrap().to_rfc3339(), "2025-12-11T00:00:00+00:00");
        assert_eq!(params.until.unwrap().to_rfc3339(), "2025-12-11T14:13:00+00:00");
        assert_eq!(params.per_page, 25);
    }

    #[test]
    fn bad_parameters_are_named() {
        let errors = ActivityParams::parse(&RawActivityParams {
            actor: Some("ada"),
            action: Some("user.exploded"),
            since: Some("yesterday"),
            until: Some("2025-13-01"),
            per_page: Some("101"),
            cursor: None,
        })
        .unwrap_err();
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, ["actor", "action", "since", "until", "per_page"]);
    }
}
