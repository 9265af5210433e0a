//! API clients (contract §5 and §8): the name and expiry rules, the status a
//! client has at a given moment, and whether a presented token lets a caller
//! in. The token's format and hashing are in [`crate::client_token`].

use chrono::{DateTime, Months, NaiveDate, Utc};

use crate::client_access::{AllowedIps, Scopes};
use crate::error::{FieldError, ValidationErrors};
use crate::messages;
use crate::name::sort_key;
use crate::user::Supplied;

/// The fields of an API client as a request names them, in the order their
/// errors are reported.
pub const FIELD_ORDER: [&str; 5] = ["owner_id", "name", "expires_on", "scopes", "allowed_ips"];

/// The longest client name accepted, in Unicode characters after trimming.
pub const CLIENT_NAME_MAX_CHARS: usize = 100;
/// A new client expires this many calendar months ahead unless told otherwise
/// (`API_CLIENT_DEFAULT_LIFETIME_MONTHS`).
pub const DEFAULT_EXPIRY_MONTHS: u32 = 6;
/// The furthest ahead an expiry date may be, in calendar months, unless
/// configured otherwise (`API_CLIENT_MAX_LIFETIME_MONTHS`).
pub const MAX_EXPIRY_MONTHS: u32 = 12;
/// The longest lifetime a configuration may allow.
pub const LONGEST_LIFETIME_MONTHS: u32 = 24;

/// How long clients live, in calendar months: by default, and at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    default_months: u32,
    max_months: u32,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self { default_months: DEFAULT_EXPIRY_MONTHS, max_months: MAX_EXPIRY_MONTHS }
    }
}

impl Lifetimes {
    /// Both from 1 to [`LONGEST_LIFETIME_MONTHS`], the default no longer than
    /// the longest; `None` otherwise.
    pub fn new(default_months: u32, max_months: u32) -> Option<Self> {
        let valid = (1..=LONGEST_LIFETIME_MONTHS).contains(&max_months) && (1..=max_months).contains(&default_months);
        valid.then_some(Self { default_months, max_months })
    }

    /// The date a new client expires on when the request does not say.
    pub fn default_expiry(self, today: NaiveDate) -> NaiveDate {
        today.checked_add_months(Months::new(self.default_months)).unwrap_or(NaiveDate::MAX)
    }

    /// The latest expiry date allowed on `today`.
    pub fn latest_expiry(self, today: NaiveDate) -> NaiveDate {
        today.checked_add_months(Months::new(self.max_months)).unwrap_or(NaiveDate::MAX)
    }

    /// Parses an `expires_on` value sent on `today` (UTC): a `YYYY-MM-DD`
    /// date after today and no later than [`Lifetimes::latest_expiry`].
    pub fn parse_expiry(self, raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
        let date = parse_future_date(raw, today)?;
        if date > self.latest_expiry(today) {
            return Err(FieldError::new("expires_on", messages::expiry_within(self.max_months)));
        }
        Ok(date)
    }
}

/// A trimmed, non-blank client name of at most 100 characters with no line
/// breaks or other control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientName(String);

impl ClientName {
    /// Parses what a person typed. Errors name the `name` field.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        let error = |message| Err(FieldError::new("name", message));
        if name.is_empty() {
            return error(messages::ENTER_CLIENT_NAME);
        }
        if name.chars().any(crate::name::is_forbidden) {
            return error(messages::CLIENT_NAME_CONTROL_CHARACTERS);
        }
        if name.chars().count() > CLIENT_NAME_MAX_CHARS {
            return error(messages::CLIENT_NAME_TOO_LONG);
        }
        Ok(Self(name.to_owned()))
    }

    /// The name as stored and shown.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key names are unique by (per owner) and sorted by: the Unicode
    /// lower case, so `Payroll` and `PAYROLL` are the same name.
    pub fn key(&self) -> String {
        sort_key(&self.0)
    }
}

/// The date a new client expires on when the request does not say, with the
/// default lifetimes: the same day six calendar months after `today` (the
/// month's last day when that day does not exist).
pub fn default_expiry(today: NaiveDate) -> NaiveDate {
    Lifetimes::default().default_expiry(today)
}

/// The latest expiry date allowed on `today` with the default lifetimes: the
/// same day 12 calendar months ahead (the month's last day when that day does
/// not exist).
pub fn latest_expiry(today: NaiveDate) -> NaiveDate {
    Lifetimes::default().latest_expiry(today)
}

/// Parses an `expires_on` value sent on `today` (UTC) with the default
/// lifetimes.
pub fn parse_expiry(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    Lifetimes::default().parse_expiry(raw, today)
}

/// A `YYYY-MM-DD` date after `today`.
fn parse_future_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let error = |message| Err(FieldError::new("expires_on", message));
    let text = raw.trim();
    let is_iso_shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    let Some(date) = is_iso_shape.then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten() else {
        return error(messages::ENTER_EXPIRY_DATE);
    };
    if date <= today {
        return error(messages::EXPIRY_DATE_NOT_IN_FUTURE);
    }
    Ok(date)
}

/// The fields of a create or change request, as they arrived (`owner_id`
/// names stored state, so the handler checks it).
#[derive(Debug, Clone)]
pub struct ClientInput<'a> {
    /// `name`
    pub name: Supplied<&'a str>,
    /// `expires_on`
    pub expires_on: Supplied<&'a str>,
    /// `scopes`
    pub scopes: Supplied<Vec<&'a str>>,
    /// `allowed_ips`
    pub allowed_ips: Supplied<Vec<&'a str>>,
}

impl<'a> ClientInput<'a> {
    /// A request with only a name and an expiry date.
    pub fn named(name: Supplied<&'a str>, expires_on: Supplied<&'a str>) -> Self {
        Self { name, expires_on, scopes: Supplied::Absent, allowed_ips: Supplied::Absent }
    }
}

/// An API client to be added, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiClient {
    /// Trimmed name.
    pub name: ClientName,
    /// The first day on which the client no longer works.
    pub expires_on: NaiveDate,
    /// What its token may do (`providers:read` unless told).
    pub scopes: Scopes,
    /// Where its token may be used from (anywhere unless told).
    pub allowed_ips: AllowedIps,
}

impl NewApiClient {
    /// Applies the rules to a create request sent on `today` (UTC), reporting
    /// every error in field order. `expires_on` absent or `null` means the
    /// default lifetime ahead. Uniqueness of the name is a matter of stored
    /// state, checked by the caller.
    pub fn parse(input: &ClientInput<'_>, today: NaiveDate, lifetimes: Lifetimes) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::in_order(&FIELD_ORDER);
        let name = errors.take(required_name(input.name));
        let expires_on = errors.take(match input.expires_on {
            Supplied::Absent | Supplied::Null => Ok(lifetimes.default_expiry(today)),
            Supplied::WrongType => Err(FieldError::new("expires_on", messages::ENTER_EXPIRY_DATE)),
            Supplied::Value(raw) => lifetimes.parse_expiry(raw, today),
        });
        let scopes = errors.take(Scopes::parse(&input.scopes));
        let allowed_ips = errors.take(AllowedIps::parse(&input.allowed_ips));
        match (name, expires_on, scopes, allowed_ips) {
            (Some(name), Some(expires_on), Some(scopes), Some(allowed_ips)) => Ok(Self {
                name,
                expires_on,
                scopes: scopes.unwrap_or_default(),
                allowed_ips: allowed_ips.unwrap_or_default(),
            }),
            _ => Err(errors),
        }
    }
}

/// The changes a request makes to a client: only fields whose value differs
/// from what is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiClientChanges {
    /// New name.
    pub name: Option<ClientName>,
    /// New expiry date.
    pub expires_on: Option<NaiveDate>,
    /// New scopes.
    pub scopes: Option<Scopes>,
    /// New allowlist.
    pub allowed_ips: Option<AllowedIps>,
}

/// A client as stored, as far as a change is compared with it.
#[derive(Debug, Clone, Copy)]
pub struct CurrentClient<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its expiry date.
    pub expires_on: NaiveDate,
    /// Its scopes.
    pub scopes: &'a Scopes,
    /// Its allowlist.
    pub allowed_ips: &'a AllowedIps,
}

impl ApiClientChanges {
    /// Applies the rules to a change request sent on `today` (UTC). Absent or
    /// `null` means no change; a value equal to the stored one is no change
    /// either (so an expired client's own date may be sent back unchanged).
    pub fn parse(
        input: &ClientInput<'_>,
        current: CurrentClient<'_>,
        today: NaiveDate,
        lifetimes: Lifetimes,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::in_order(&FIELD_ORDER);
        let name = errors.take(match input.name {
            Supplied::Absent => Ok(None),
            other => required_name(other).map(|name| (name.as_str() != current.name).then_some(name)),
        });
        let expires_on = errors.take(match input.expires_on {
            Supplied::Absent | Supplied::Null => Ok(None),
            Supplied::WrongType => Err(FieldError::new("expires_on", messages::ENTER_EXPIRY_DATE)),
            Supplied::Value(raw) if raw.trim() == current.expires_on.format("%Y-%m-%d").to_string() => Ok(None),
            Supplied::Value(raw) => lifetimes.parse_expiry(raw, today).map(Some),
        });
        let scopes = errors.take(Scopes::parse(&input.scopes));
        let allowed_ips = errors.take(AllowedIps::parse(&input.allowed_ips));
        errors.into_result(|| Self {
            name: name.flatten(),
            expires_on: expires_on.flatten(),
            scopes: scopes.flatten().filter(|scopes| scopes != current.scopes),
            allowed_ips: allowed_ips.flatten().filter(|ips| ips != current.allowed_ips),
        })
    }

    /// True when the request changes nothing.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.expires_on.is_none() && self.scopes.is_none() && self.allowed_ips.is_none()
    }
}

fn required_name(supplied: Supplied<&str>) -> Result<ClientName, FieldError> {
    match supplied {
        Supplied::Value(raw) => ClientName::parse(raw),
        _ => Err(FieldError::new("name", messages::ENTER_CLIENT_NAME)),
    }
}

/// The reminder due for a client that expires on `expires_on`, on `today`,
/// with reminders `days` before expiry: the smallest day-count the client is
/// inside (so a client made or changed inside several gets one reminder, for
/// the nearest), or `None` when it is inside none or has expired.
pub fn reminder_due(expires_on: NaiveDate, today: NaiveDate, days: &[u32]) -> Option<u32> {
    let left = (expires_on - today).num_days();
    if left <= 0 {
        return None;
    }
    days.iter().copied().filter(|d| i64::from(*d) >= left).min()
}

/// What a client is at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientStatus {
    /// Its token works (while its owner is active).
    Active,
    /// Its expiry date has come.
    Expired,
    /// It was revoked; that is final.
    Revoked,
}

impl ClientStatus {
    /// The status at `now`: revoked outranks expired. A client expires at the
    /// start (00:00 UTC) of its `expires_on` day, which is why an expiry date
    /// must be after today.
    pub fn at(revoked: bool, expires_on: NaiveDate, now: DateTime<Utc>) -> Self {
        if revoked {
            Self::Revoked
        } else if now.date_naive() >= expires_on {
            Self::Expired
        } else {
            Self::Active
        }
    }

    /// The name the API shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

/// Which of a client's stored hashes a presented token matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenMatch {
    /// The current token.
    Current,
    /// The token it had before its last rotation, usable until the instant given.
    Previous {
        /// The end of the rotation grace period.
        valid_until: DateTime<Utc>,
    },
}

/// What decides whether a client's token opens the door now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAccess {
    /// Whether the client was revoked.
    pub revoked: bool,
    /// Its expiry date.
    pub expires_on: NaiveDate,
    /// Whether its owner is active (and not deleted).
    pub owner_active: bool,
    /// Which token was presented.
    pub matched: TokenMatch,
}

impl ClientAccess {
    /// A token works when its client is active at `now`, its owner may use
    /// the service, and it is the current token or a previous one inside its
    /// rotation grace period.
    pub fn allows(&self, now: DateTime<Utc>) -> bool {
        let in_time = match self.matched {
            TokenMatch::Current => true,
            TokenMatch::Previous { valid_until } => now < valid_until,
        };
        in_time && self.owner_active && ClientStatus::at(self.revoked, self.expires_on, now) == ClientStatus::Active
    }
}

/// Refusals of a rotation (409), with the sentence to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotateRefusal {
    /// The client was revoked.
    Revoked,
    /// The client has expired.
    Expired,
}

impl RotateRefusal {
    /// The sentence to show.
    pub fn message(self) -> &'static str {
        match self {
            Self::Revoked => messages::CANNOT_ROTATE_REVOKED_CLIENT,
            Self::Expired => messages::CANNOT_ROTATE_EXPIRED_CLIENT,
        }
    }
}

/// A client can be given a new token only while it is active: a revoked one
/// stays revoked, and an expired one needs a new expiry date first.
pub fn check_rotation(status: ClientStatus) -> Result<(), RotateRefusal> {
    match status {
        ClientStatus::Active => Ok(()),
        ClientStatus::Revoked => Err(RotateRefusal::Revoked),
        ClientStatus::Expired => Err(RotateRefusal::Expired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2025, 12, 11)
    }

    fn messages_of(errors: &ValidationErrors) -> Vec<(&str, &str)> {
        errors.errors().iter().map(|e| (e.field.as_ref(), e.message)).collect()
    }

    fn input<'a>(name: Supplied<&'a str>, expires_on: Supplied<&'a str>) -> ClientInput<'a> {
        ClientInput::named(name, expires_on)
    }

    fn stored<'a>(name: &'a str, expires_on: NaiveDate, scopes: &'a Scopes, ips: &'a AllowedIps) -> CurrentClient<'a> {
        CurrentClient { name, expires_on, scopes, allowed_ips: ips }
    }

    #[test]
    fn names_are_trimmed_and_keyed_by_lower_case() {
        let name = ClientName::parse("  Payroll SYNC ").unwrap();
        assert_eq!(name.as_str(), "Payroll SYNC");
        assert_eq!(name.key(), "payroll sync");
    }

    #[test]
    fn bad_names_get_their_sentences() {
        assert_eq!(ClientName::parse(" ").unwrap_err().message, "Enter client name");
        assert_eq!(ClientName::parse("a\nb").unwrap_err().message, messages::CLIENT_NAME_CONTROL_CHARACTERS);
        assert!(ClientName::parse(&"é".repeat(100)).is_ok());
        assert_eq!(ClientName::parse(&"é".repeat(101)).unwrap_err().message, messages::CLIENT_NAME_TOO_LONG);
    }

    #[test]
    fn expiry_must_be_after_today_and_at_most_12_calendar_months_ahead() {
        assert_eq!(parse_expiry("2025-12-12", today()), Ok(day(2025, 12, 12)));
        assert_eq!(parse_expiry("2026-12-11", today()), Ok(day(2026, 12, 11)));
        assert_eq!(parse_expiry("2025-12-11", today()).unwrap_err().message, "Expiry date must be in the future");
        assert_eq!(parse_expiry("2020-01-01", today()).unwrap_err().message, "Expiry date must be in the future");
        assert_eq!(parse_expiry("2026-12-12", today()).unwrap_err().message, "Expiry date must be within 12 months");
    }

    #[test]
    fn anything_but_an_iso_date_is_not_an_expiry_date() {
        for raw in
            ["", "  ", "tomorrow", "2026-02-30", "2026-1-05", "05/01/2026", "2026-01-05T00:00:00Z", "+2026-01-05"]
        {
            assert_eq!(parse_expiry(raw, today()).unwrap_err().message, "Enter expiry date", "{raw:?}");
        }
    }

    #[test]
    fn month_ends_clamp_to_the_last_day() {
        assert_eq!(latest_expiry(day(2024, 2, 29)), day(2025, 2, 28));
        assert_eq!(default_expiry(day(2025, 8, 31)), day(2026, 2, 28));
        assert_eq!(default_expiry(today()), day(2026, 6, 11));
    }

    #[test]
    fn a_new_client_without_an_expiry_date_gets_the_default() {
        for expires_on in [Supplied::Absent, Supplied::Null] {
            let client =
                NewApiClient::parse(&input(Supplied::Value("Payroll"), expires_on), today(), Lifetimes::default())
                    .unwrap();
            assert_eq!(client.expires_on, day(2026, 6, 11));
        }
    }

    #[test]
    fn every_error_of_a_new_client_is_reported_in_field_order() {
        let errors = NewApiClient::parse(&input(Supplied::Null, Supplied::WrongType), today(), Lifetimes::default())
            .unwrap_err();
        assert_eq!(messages_of(&errors), [("name", "Enter client name"), ("expires_on", "Enter expiry date")]);
    }

    #[test]
    fn a_change_to_the_same_values_is_no_change_even_when_expired() {
        let changes = ApiClientChanges::parse(
            &input(Supplied::Value(" Payroll "), Supplied::Value("2025-01-01")),
            stored("Payroll", day(2025, 1, 1), &Scopes::default(), &AllowedIps::default()),
            today(),
            Lifetimes::default(),
        )
        .unwrap();
        assert!(changes.is_empty());
    }

    #[test]
    fn a_change_reports_every_error() {
        let errors = ApiClientChanges::parse(
            &input(Supplied::Value(""), Supplied::Value("2027-01-01")),
            stored("Payroll", day(2026, 1, 1), &Scopes::default(), &AllowedIps::default()),
            today(),
            Lifetimes::default(),
        )
        .unwrap_err();
        assert_eq!(
            messages_of(&errors),
            [("name", "Enter client name"), ("expires_on", "Expiry date must be within 12 months")]
        );
        let (scopes, ips) = (Scopes::default(), AllowedIps::default());
        let current = stored("Payroll", day(2026, 1, 1), &scopes, &ips);
        let null_expiry =
            ApiClientChanges::parse(&input(Supplied::Absent, Supplied::Null), current, today(), Lifetimes::default())
                .unwrap();
        assert!(null_expiry.is_empty());
        let same_scopes = ClientInput {
            scopes: Supplied::Value(vec!["providers:read"]),
            ..input(Supplied::Absent, Supplied::Absent)
        };
        assert!(ApiClientChanges::parse(&same_scopes, current, today(), Lifetimes::default()).unwrap().is_empty());
    }

    #[test]
    fn the_reminder_due_is_the_nearest_day_count_the_client_is_inside() {
        let on = |days_left: i64| today() + chrono::Duration::days(days_left);
        let counts = [30, 7];
        assert_eq!(reminder_due(on(31), today(), &counts), None);
        assert_eq!(reminder_due(on(30), today(), &counts), Some(30));
        assert_eq!(reminder_due(on(8), today(), &counts), Some(30));
        assert_eq!(reminder_due(on(7), today(), &counts), Some(7));
        assert_eq!(reminder_due(on(1), today(), &counts), Some(7));
        assert_eq!(reminder_due(on(0), today(), &counts), None, "expired today");
        assert_eq!(reminder_due(on(3), today(), &[]), None);
    }

    #[test]
    fn lifetimes_come_from_configuration_and_name_their_limit() {
        let lifetimes = Lifetimes::new(3, 24).unwrap();
        assert_eq!(lifetimes.default_expiry(today()), day(2026, 3, 11));
        assert_eq!(lifetimes.parse_expiry("2027-12-11", today()), Ok(day(2027, 12, 11)));
        assert_eq!(
            lifetimes.parse_expiry("2027-12-12", today()).unwrap_err().message,
            "Expiry date must be within 24 months"
        );
        let short = Lifetimes::new(1, 1).unwrap();
        assert_eq!(
            short.parse_expiry("2026-01-12", today()).unwrap_err().message,
            "Expiry date must be within 1 month"
        );
        assert_eq!(Lifetimes::new(13, 12), None, "the default is no longer than the longest");
        assert_eq!(Lifetimes::new(6, 25), None);
        assert_eq!(Lifetimes::new(0, 12), None);
    }

    #[test]
    fn a_new_client_reads_providers_from_anywhere_unless_told() {
        let client =
            NewApiClient::parse(&input(Supplied::Value("Payroll"), Supplied::Absent), today(), Lifetimes::default())
                .unwrap();
        assert_eq!(client.scopes.to_text(), "providers:read");
        assert_eq!(client.allowed_ips, AllowedIps::default());
        let bad = ClientInput {
            scopes: Supplied::Value(vec![]),
            allowed_ips: Supplied::Value(vec!["nowhere"]),
            ..input(Supplied::Value("Payroll"), Supplied::Absent)
        };
        let errors = NewApiClient::parse(&bad, today(), Lifetimes::default()).unwrap_err();
        assert_eq!(
            messages_of(&errors),
            [("scopes", "Select at least one scope"), ("allowed_ips", messages::ENTER_IP_ADDRESSES)]
        );
    }

    #[test]
    fn status_is_revoked_then_expired_then_active() {
        let now = Utc.with_ymd_and_hms(2025, 12, 11, 23, 59, 59).unwrap();
        assert_eq!(ClientStatus::at(true, day(2026, 1, 1), now), ClientStatus::Revoked);
        assert_eq!(ClientStatus::at(true, day(2025, 1, 1), now), ClientStatus::Revoked);
        assert_eq!(ClientStatus::at(false, day(2025, 12, 11), now), ClientStatus::Expired);
        assert_eq!(ClientStatus::at(false, day(2025, 12, 12), now), ClientStatus::Active);
        let midnight = Utc.with_ymd_and_hms(2025, 12, 12, 0, 0, 0).unwrap();
        assert_eq!(ClientStatus::at(false, day(2025, 12, 12), midnight), ClientStatus::Expired);
    }

    #[test]
    fn a_previous_token_works_only_inside_its_grace_period() {
        let now = Utc.with_ymd_and_hms(2025, 12, 11, 12, 0, 0).unwrap();
        let access =
            |matched| ClientAccess { revoked: false, expires_on: day(2026, 1, 1), owner_active: true, matched };
        assert!(access(TokenMatch::Current).allows(now));
        assert!(access(TokenMatch::Previous { valid_until: now + Duration::seconds(1) }).allows(now));
        assert!(!access(TokenMatch::Previous { valid_until: now }).allows(now));
    }

    #[test]
    fn an_inactive_owner_revocation_or_expiry_closes_the_door() {
        let now = Utc.with_ymd_and_hms(2025, 12, 11, 12, 0, 0).unwrap();
        let open = ClientAccess {
            revoked: false,
            expires_on: day(2026, 1, 1),
            owner_active: true,
            matched: TokenMatch::Current,
        };
        assert!(open.allows(now));
        assert!(!ClientAccess { owner_active: false, ..open }.allows(now));
        assert!(!ClientAccess { revoked: true, ..open }.allows(now));
        assert!(!ClientAccess { expires_on: day(2025, 12, 11), ..open }.allows(now));
    }

    #[test]
    fn only_active_clients_can_be_rotated() {
        assert_eq!(check_rotation(ClientStatus::Active), Ok(()));
        assert_eq!(
            check_rotation(ClientStatus::Revoked).unwrap_err().message(),
            messages::CANNOT_ROTATE_REVOKED_CLIENT
        );
        assert_eq!(
            check_rotation(ClientStatus::Expired).unwrap_err().message(),
            messages::CANNOT_ROTATE_EXPIRED_CLIENT
        );
    }

    proptest! {
        #[test]
        fn every_accepted_expiry_is_after_today_and_within_the_limit(days in 0i64..800, offset in -400i64..400) {
            let today = day(2024, 1, 1) + Duration::days(days);
            let date = today + Duration::days(offset);
            match parse_expiry(&date.format("%Y-%m-%d").to_string(), today) {
                Ok(parsed) => prop_assert!(parsed == date && date > today && date <= latest_expiry(today)),
                Err(e) => prop_assert!(date <= today || date > latest_expiry(today), "{:?}", e),
            }
        }

        #[test]
        fn the_default_expiry_is_always_accepted(days in 0i64..3000) {
            let today = day(2024, 1, 1) + Duration::days(days);
            prop_assert_eq!(parse_expiry(&default_expiry(today).to_string(), today), Ok(default_expiry(today)));
        }
    }
}
