//! Adding and changing users: the rules of contract §3, the edit lock and the
//! guards, as pure functions of what was sent and what is stored.

use chrono::{DateTime, Utc};

use crate::email::DfeEmail;
use crate::error::{FieldError, ValidationErrors};
use crate::messages;
use crate::name::{NameField, PersonName};
use crate::role::SupportRole;

pub use crate::name::NAME_MAX_CHARS;

/// One field of a request body, as it arrived: the JSON layer maps each field
/// to one of these before the rules look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supplied<T> {
    /// The field was not in the body.
    Absent,
    /// The field was `null`.
    Null,
    /// The field had a value of the wrong JSON type.
    WrongType,
    /// The field had a value of the right type.
    Value(T),
}

impl<T> Supplied<T> {
    /// The value, when one of the right type was given.
    pub fn value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The same field with its value, if any, mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Supplied<U> {
        match self {
            Self::Absent => Supplied::Absent,
            Self::Null => Supplied::Null,
            Self::WrongType => Supplied::WrongType,
            Self::Value(value) => Supplied::Value(f(value)),
        }
    }
}

/// The user fields of a create or change request, as they arrived.
#[derive(Debug, Clone, Copy)]
pub struct UserInput<'a> {
    /// `first_name`
    pub first_name: Supplied<&'a str>,
    /// `last_name`
    pub last_name: Supplied<&'a str>,
    /// `email`
    pub email: Supplied<&'a str>,
    /// `api_user`
    pub api_user: Supplied<bool>,
    /// `active`
    pub active: Supplied<bool>,
    /// `support_role`
    pub support_role: Supplied<&'a str>,
}

impl Default for UserInput<'_> {
    fn default() -> Self {
        Self {
            first_name: Supplied::Absent,
            last_name: Supplied::Absent,
            email: Supplied::Absent,
            api_user: Supplied::Absent,
            active: Supplied::Absent,
            support_role: Supplied::Absent,
        }
    }
}

impl UserInput<'_> {
    /// The valid address this request would give the user: for a new user
    /// (`current` is `None`) any valid address; for a change, a valid address
    /// that differs from the stored one and that the edit lock allows. The
    /// caller checks it is not in use, so that error is reported together
    /// with the others even when other fields are wrong.
    pub fn proposed_email(&self, current: Option<&UserState>, now: DateTime<Utc>) -> Option<DfeEmail> {
        let email = DfeEmail::parse(self.email.value()?).ok()?;
        match current {
            None => Some(email),
            Some(user) if user.is_locked(now) || email.as_str() == user.email => None,
            Some(_) => Some(email),
        }
    }
}

/// The fields of a user that a request may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `first_name`
    FirstName,
    /// `last_name`
    LastName,
    /// `email`
    Email,
    /// `api_user`
    ApiUser,
    /// `active`
    Active,
    /// `support_role` (never edit-locked; who may change it is a matter of
    /// roles, [`crate::permissions::Actor::editable_fields`]).
    SupportRole,
}

/// The fields of a user as a request names them, in the order their errors
/// are reported.
pub const FIELD_ORDER: [&str; 6] = ["first_name", "last_name", "email", "api_user", "support_role", "active"];

impl Field {
    /// The fields the edit lock governs, in field order.
    pub const ALL: [Field; 5] = [Field::FirstName, Field::LastName, Field::Email, Field::ApiUser, Field::Active];
    /// The fields that stay editable after the user has signed in.
    pub const UNLOCKED: [Field; 2] = [Field::ApiUser, Field::Active];

    /// The fields that may be changed at `now` of a user who last signed in
    /// at `last_signed_in_at`, in field order: the edit lock of
    /// [`UserState::is_locked`], for callers that have only that timestamp.
    pub fn editable(last_signed_in_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> &'static [Field] {
        if locked(last_signed_in_at, now) {
            &Field::UNLOCKED
        } else {
            &Field::ALL
        }
    }

    /// The JSON field name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Email => "email",
            Self::ApiUser => "api_user",
            Self::Active => "active",
            Self::SupportRole => "support_role",
        }
    }
}

/// A user to be added, every field valid and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Trimmed first name.
    pub first_name: PersonName,
    /// Trimmed last name.
    pub last_name: PersonName,
    /// Normalised DfE address.
    pub email: DfeEmail,
    /// Whether the account is an API user.
    pub api_user: bool,
    /// Whether the account may sign in; `true` unless the request said otherwise.
    pub active: bool,
    /// A support user's role (`viewer` unless the request said otherwise);
    /// `None` for an API user.
    pub support_role: Option<SupportRole>,
}

impl NewUser {
    /// Applies every rule of contract §3 to a create request and reports all
    /// errors together, in field order. Uniqueness of the email address is a
    /// matter of stored state, checked by the caller.
    pub fn parse(input: &UserInput<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::in_order(&FIELD_ORDER);
        let first_name = errors.take(required_name(NameField::First, input.first_name));
        let last_name = errors.take(required_name(NameField::Last, input.last_name));
        let email = errors.take(required_email(input.email));
        let api_user = errors.take(required_bool(Field::ApiUser, input.api_user));
        let active = match input.active {
            Supplied::Absent => Some(true),
            other => errors.take(required_bool(Field::Active, other)),
        };
        let support_role = errors.take(role_of_new_user(api_user, input.support_role));
        match (first_name, last_name, email, api_user, active, support_role) {
            (Some(first_name), Some(last_name), Some(email), Some(api_user), Some(active), Some(support_role))
                if errors.is_empty() =>
            {
                Ok(Self { first_name, last_name, email, api_user, active, support_role })
            }
            _ => Err(errors),
        }
    }
}

/// The edit lock's rule: signed in at or before `now`.
fn locked(last_signed_in_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_signed_in_at.is_some_and(|at| at <= now)
}

/// What the rules need to know of a stored user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserState {
    /// The user's id, to tell a change to one's own account.
    pub id: String,
    /// As stored.
    pub first_name: String,
    /// As stored.
    pub last_name: String,
    /// As stored (normalised).
    pub email: String,
    /// As stored.
    pub api_user: bool,
    /// As stored.
    pub active: bool,
    /// When the user last signed in, if ever.
    pub last_signed_in_at: Option<DateTime<Utc>>,
    /// As stored: a support user's role, `None` for an API user.
    pub support_role: Option<SupportRole>,
}

impl UserState {
    /// The edit lock: once a user has signed in by `now`, their account is
    /// tied to their DfE Sign-in identity and only `api_user` and `active`
    /// can change.
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        locked(self.last_signed_in_at, now)
    }

    /// The fields that may be changed at `now`, in field order.
    pub fn editable_fields(&self, now: DateTime<Utc>) -> &'static [Field] {
        Field::editable(self.last_signed_in_at, now)
    }

    /// Whether this user counts towards "at least one active administrator".
    pub fn is_active_administrator(&self) -> bool {
        self.active && !self.api_user && self.support_role == Some(SupportRole::Administrator)
    }
}

/// The changes a request makes to a user: only fields whose normalised value
/// differs from what is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChanges {
    /// New first name.
    pub first_name: Option<PersonName>,
    /// New last name.
    pub last_name: Option<PersonName>,
    /// New email address.
    pub email: Option<DfeEmail>,
    /// New API-user flag.
    pub api_user: Option<bool>,
    /// New active flag.
    pub active: Option<bool>,
    /// New role: `Some(None)` takes the role away (the user becomes an API
    /// user), `Some(Some(role))` gives one.
    pub support_role: Option<Option<SupportRole>>,
}

impl UserChanges {
    /// Applies the rules and the edit lock to a change request against the
    /// stored user, at `now`. A field sent with the value it already has is
    /// not a change, even when locked. All errors are reported together.
    pub fn parse(input: &UserInput<'_>, current: &UserState, now: DateTime<Utc>) -> Result<Self, ValidationErrors> {
        let locked = current.is_locked(now);
        let mut errors = ValidationErrors::in_order(&FIELD_ORDER);
        let first_name = errors.take(changed_name(NameField::First, input.first_name, &current.first_name, locked));
        let last_name = errors.take(changed_name(NameField::Last, input.last_name, &current.last_name, locked));
        let email = errors.take(changed_email(input.email, &current.email, locked));
        let api_user = errors.take(changed_bool(Field::ApiUser, input.api_user, current.api_user));
        let active = errors.take(changed_bool(Field::Active, input.active, current.active));
        // The role follows the API-user flag the change leaves.
        let becomes_api_user = match input.api_user {
            Supplied::Value(api_user) => Some(api_user),
            Supplied::Absent => Some(current.api_user),
            _ => None,
        };
        let support_role = errors.take(changed_role(becomes_api_user, input.support_role, current));
        errors.into_result(|| Self {
            first_name: first_name.flatten(),
            last_name: last_name.flatten(),
            email: email.flatten(),
            api_user: api_user.flatten(),
            active: active.flatten(),
            support_role: support_role.flatten(),
        })
    }

    /// True when the request changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The fields that change, in field order.
    pub fn fields(&self) -> Vec<Field> {
        let mut fields = Vec::new();
        if self.first_name.is_some() {
            fields.push(Field::FirstName);
        }
        if self.last_name.is_some() {
            fields.push(Field::LastName);
        }
        if self.email.is_some() {
            fields.push(Field::Email);
        }
        if self.api_user.is_some() {
            fields.push(Field::ApiUser);
        }
        if self.support_role.is_some() {
            fields.push(Field::SupportRole);
        }
        if self.active.is_some() {
            fields.push(Field::Active);
        }
        fields
    }

    /// Whether the change takes `user` out of the active administrators:
    /// deactivating, demoting or making an API user of one.
    pub fn removes_active_administrator(&self, user: &UserState) -> bool {
        let demoted = matches!(self.support_role, Some(role) if role != Some(SupportRole::Administrator));
        user.is_active_administrator() && (self.active == Some(false) || self.api_user == Some(true) || demoted)
    }
}

/// What the identity provider says about the person signing in: its
/// `given_name`, `family_name` and `email` claims, as received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProviderProfile<'a> {
    /// `given_name`
    pub given_name: Option<&'a str>,
    /// `family_name`
    pub family_name: Option<&'a str>,
    /// `email`
    pub email: Option<&'a str>,
}

impl UserChanges {
    /// The details a sign-in copies from the identity provider: each claim
    /// that the rules of contract §3 accept and that differs from what is
    /// stored. A claim the rules refuse is left out, not reported: the
    /// person is signing in, not editing. The edit lock does not apply, as
    /// from the first sign-in on the provider is where these details are
    /// kept. Whether a new address is free is stored state, so the caller
    /// checks it.
    pub fn from_provider(profile: &ProviderProfile<'_>, current: &UserState) -> Self {
        let name = |which: NameField, claim: Option<&str>, stored: &str| {
            claim.and_then(|raw| PersonName::parse(which, raw).ok()).filter(|name| name.as_str() != stored)
        };
        Self {
            first_name: name(NameField::First, profile.given_name, &current.first_name),
            last_name: name(NameField::Last, profile.family_name, &current.last_name),
            email: profile
                .email
                .and_then(|raw| DfeEmail::parse(raw).ok())
                .filter(|email| email.as_str() != current.email),
            api_user: None,
            active: None,
            support_role: None,
        }
    }
}

/// A new user's role: `viewer` when a support user's is not given (least
/// privilege), none for an API user.
fn role_of_new_user(api_user: Option<bool>, supplied: Supplied<&str>) -> Result<Option<SupportRole>, FieldError> {
    let select = || FieldError::new("support_role", messages::SELECT_ROLE);
    match (api_user, supplied) {
        (Some(true), Supplied::Absent | Supplied::Null) => Ok(None),
        (Some(true), _) => Err(FieldError::new("support_role", messages::API_USERS_HAVE_NO_ROLE)),
        (_, Supplied::Absent) => Ok(Some(SupportRole::Viewer)),
        (_, Supplied::Value(text)) => SupportRole::parse(text).map(Some).ok_or_else(select),
        // null or a wrong type for a support user (or for an account whose
        // kind is itself in error: then only a role that is not one is reported)
        (Some(false), _) => Err(select()),
        (None, Supplied::Null) => Ok(None),
        (None, _) => Err(select()),
    }
}

/// `Ok(None)` when the role does not change. `becomes_api_user` is the flag
/// the change leaves (`None` when the request's own flag is in error).
fn changed_role(
    becomes_api_user: Option<bool>,
    supplied: Supplied<&str>,
    current: &UserState,
) -> Result<Option<Option<SupportRole>>, FieldError> {
    let select = || FieldError::new("support_role", messages::SELECT_ROLE);
    let wanted = match (becomes_api_user, supplied) {
        (Some(true), Supplied::Absent | Supplied::Null) => None,
        (Some(true), _) => return Err(FieldError::new("support_role", messages::API_USERS_HAVE_NO_ROLE)),
        // Becoming a support user without a role named: the least privilege.
        (Some(false), Supplied::Absent) => Some(current.support_role.unwrap_or(SupportRole::Viewer)),
        (_, Supplied::Value(text)) => Some(SupportRole::parse(text).ok_or_else(select)?),
        (Some(false), _) => return Err(select()),
        (None, Supplied::Absent | Supplied::Null) => return Ok(None),
        (None, _) => return Err(select()),
    };
    Ok((wanted != current.support_role).then_some(wanted))
}

fn required_name(which: NameField, supplied: Supplied<&str>) -> Result<PersonName, FieldError> {
    match supplied {
        Supplied::Value(raw) => PersonName::parse(which, raw),
        _ => Err(FieldError::new(which.field(), which.blank_message())),
    }
}

fn required_email(supplied: Supplied<&str>) -> Result<DfeEmail, FieldError> {
    match supplied {
        Supplied::Value(raw) => DfeEmail::parse(raw),
        _ => Err(FieldError::new("email", messages::ENTER_EMAIL)),
    }
}

fn required_bool(field: Field, supplied: Supplied<bool>) -> Result<bool, FieldError> {
    let message = match field {
        Field::Active => messages::SELECT_ACTIVE,
        _ => messages::SELECT_API_USER,
    };
    supplied.value().ok_or_else(|| FieldError::new(field.as_str(), message))
}

/// `Ok(None)` when the field is absent or unchanged.
fn changed_name(
    which: NameField,
    supplied: Supplied<&str>,
    current: &str,
    locked: bool,
) -> Result<Option<PersonName>, FieldError> {
    if supplied == Supplied::Absent {
        return Ok(None);
    }
    match (required_name(which, supplied), locked) {
        (Ok(name), _) if name.as_str() == current => Ok(None),
        (_, true) => Err(FieldError::locked(which.field(), which.locked_message())),
        (parsed, false) => parsed.map(Some),
    }
}

fn changed_email(supplied: Supplied<&str>, current: &str, locked: bool) -> Result<Option<DfeEmail>, FieldError> {
    if supplied == Supplied::Absent {
        return Ok(None);
    }
    match (required_email(supplied), locked) {
        (Ok(email), _) if email.as_str() == current => Ok(None),
        (_, true) => Err(FieldError::locked("email", messages::EMAIL_LOCKED)),
        (parsed, false) => parsed.map(Some),
    }
}

fn changed_bool(field: Field, supplied: Supplied<bool>, current: bool) -> Result<Option<bool>, FieldError> {
    if supplied == Supplied::Absent {
        return Ok(None);
    }
    required_bool(field, supplied).map(|value| (value != current).then_some(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 12, 11, 14, 13, 0).unwrap()
    }

    fn input<'a>() -> UserInput<'a> {
        UserInput {
            first_name: Supplied::Value(" Ada "),
            last_name: Supplied::Value("Lovelace"),
            email: Supplied::Value("Ada.Lovelace@education.gov.uk"),
            api_user: Supplied::Value(false),
            active: Supplied::Absent,
            support_role: Supplied::Absent,
        }
    }

    fn stored(signed_in: bool) -> UserState {
        UserState {
            id: "u1".into(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada.lovelace@education.gov.uk".into(),
            api_user: false,
            active: true,
            last_signed_in_at: signed_in.then(|| now() - chrono::Duration::days(1)),
            support_role: Some(SupportRole::Administrator),
        }
    }

    fn messages_of(errors: &ValidationErrors) -> Vec<(&str, &str)> {
        errors.errors().iter().map(|e| (e.field.as_ref(), e.message)).collect()
    }

    #[test]
    fn a_new_user_is_normalised_and_active_by_default() {
        let user = NewUser::parse(&input()).unwrap();
        assert_eq!(user.first_name.as_str(), "Ada");
        assert_eq!(user.email.as_str(), "ada.lovelace@education.gov.uk");
        assert!(user.active);
        assert!(!user.api_user);
    }

    #[test]
    fn every_missing_field_of_a_new_user_is_reported_in_field_order() {
        let errors = NewUser::parse(&UserInput { active: Supplied::Null, ..UserInput::default() }).unwrap_err();
        assert_eq!(
            messages_of(&errors),
            [
                ("first_name", "Enter first name"),
                ("last_name", "Enter last name"),
                ("email", "Enter email address"),
                ("api_user", "Select if the account is an API user"),
                ("active", "Select if the account is active"),
            ]
        );
    }

    #[test]
    fn wrong_types_get_the_fields_required_message() {
        let errors =
            NewUser::parse(&UserInput { first_name: Supplied::WrongType, api_user: Supplied::WrongType, ..input() })
                .unwrap_err();
        assert_eq!(
            messages_of(&errors),
            [("first_name", "Enter first name"), ("api_user", "Select if the account is an API user")]
        );
    }

    #[test]
    fn a_sign_in_copies_the_providers_valid_details_that_differ_even_when_locked() {
        let profile = ProviderProfile {
            given_name: Some(" Augusta "),
            family_name: Some("Lovelace"),
            email: Some("Augusta.King@Education.gov.uk"),
        };
        let changes = UserChanges::from_provider(&profile, &stored(true));
        assert_eq!(changes.first_name.as_ref().map(PersonName::as_str), Some("Augusta"));
        assert_eq!(changes.last_name, None, "the same name is no change");
        assert_eq!(changes.email.as_ref().map(DfeEmail::as_str), Some("augusta.king@education.gov.uk"));
        assert_eq!(changes.fields(), [Field::FirstName, Field::Email]);
    }

    #[test]
    fn a_sign_in_leaves_out_claims_the_rules_refuse_or_that_are_missing() {
        let profile = ProviderProfile {
            given_name: Some("   "),
            family_name: Some("Love\nlace"),
            email: Some("ada@example.com"),
        };
        assert!(UserChanges::from_provider(&profile, &stored(false)).is_empty());
        assert!(UserChanges::from_provider(&ProviderProfile::default(), &stored(false)).is_empty());
    }

    #[test]
    fn sending_the_same_values_is_no_change() {
        let changes = UserChanges::parse(
            &UserInput {
                first_name: Supplied::Value(" Ada "),
                email: Supplied::Value("ADA.lovelace@education.gov.uk"),
                api_user: Supplied::Value(false),
                ..UserInput::default()
            },
            &stored(true),
            now(),
        )
        .unwrap();
        assert!(changes.is_empty());
    }

    #[test]
    fn locked_fields_sent_different_or_blank_get_the_lock_message() {
        let errors = UserChanges::parse(
            &UserInput {
                first_name: Supplied::Value("Grace"),
                last_name: Supplied::Value("  "),
                email: Supplied::Null,
                ..UserInput::default()
            },
            &stored(true),
            now(),
        )
        .unwrap_err();
        assert!(errors.only_edit_lock());
        assert_eq!(
            messages_of(&errors),
            [
                ("first_name", "First name cannot be changed once the user has signed in"),
                ("last_name", "Last name cannot be changed once the user has signed in"),
                ("email", "Email address cannot be changed once the user has signed in"),
            ]
        );
    }

    #[test]
    fn lock_errors_mixed_with_rule_errors_are_all_reported() {
        let errors = UserChanges::parse(
            &UserInput {
                email: Supplied::Value("grace@education.gov.uk"),
                active: Supplied::Null,
                ..UserInput::default()
            },
            &stored(true),
            now(),
        )
        .unwrap_err();
        assert!(!errors.only_edit_lock());
        assert_eq!(
            messages_of(&errors),
            [
                ("email", "Email address cannot be changed once the user has signed in"),
                ("active", "Select if the account is active"),
            ]
        );
    }

    #[test]
    fn a_user_who_never_signed_in_can_change_everything() {
        let user = stored(false);
        assert_eq!(user.editable_fields(now()), Field::ALL);
        let changes = UserChanges::parse(
            &UserInput {
                first_name: Supplied::Value("Grace"),
                email: Supplied::Value("grace@education.gov.uk"),
                ..UserInput::default()
            },
            &user,
            now(),
        )
        .unwrap();
        assert_eq!(changes.fields(), [Field::FirstName, Field::Email]);
    }

    #[test]
    fn a_signed_in_user_can_only_change_api_user_and_active() {
        let user = stored(true);
        assert_eq!(user.editable_fields(now()), [Field::ApiUser, Field::Active]);
        let changes =
            UserChanges::parse(&UserInput { active: Supplied::Value(false), ..UserInput::default() }, &user, now())
                .unwrap();
        assert!(changes.removes_active_administrator(&user));
    }

    fn role_errors(result: Result<impl std::fmt::Debug, ValidationErrors>) -> Vec<(String, &'static str)> {
        result.unwrap_err().into_iter().map(|e| (e.field.into_owned(), e.message)).collect()
    }

    #[test]
    fn a_new_support_user_is_a_viewer_unless_a_role_is_named() {
        assert_eq!(NewUser::parse(&input()).unwrap().support_role, Some(SupportRole::Viewer));
        let editor = NewUser::parse(&UserInput { support_role: Supplied::Value("editor"), ..input() }).unwrap();
        assert_eq!(editor.support_role, Some(SupportRole::Editor));
        let api = NewUser::parse(&UserInput { api_user: Supplied::Value(true), ..input() }).unwrap();
        assert_eq!(api.support_role, None);
        for bad in [Supplied::Value("owner"), Supplied::Null, Supplied::WrongType] {
            assert_eq!(
                role_errors(NewUser::parse(&UserInput { support_role: bad, ..input() })),
                [("support_role".to_owned(), "Select the user's role")]
            );
        }
        assert_eq!(
            role_errors(NewUser::parse(&UserInput {
                api_user: Supplied::Value(true),
                support_role: Supplied::Value("viewer"),
                ..input()
            })),
            [("support_role".to_owned(), "API users do not have a support role")]
        );
    }

    #[test]
    fn the_role_follows_the_api_user_flag_and_is_never_locked() {
        let admin = stored(true);
        let to_api =
            UserChanges::parse(&UserInput { api_user: Supplied::Value(true), ..UserInput::default() }, &admin, now())
                .unwrap();
        assert_eq!(to_api.support_role, Some(None), "an API user has no role");
        assert!(to_api.removes_active_administrator(&admin));
        let mut api = stored(true);
        (api.api_user, api.support_role) = (true, None);
        let back =
            UserChanges::parse(&UserInput { api_user: Supplied::Value(false), ..UserInput::default() }, &api, now())
                .unwrap();
        assert_eq!(back.support_role, Some(Some(SupportRole::Viewer)));
        let demote = UserChanges::parse(
            &UserInput { support_role: Supplied::Value("editor"), ..UserInput::default() },
            &admin,
            now(),
        )
        .unwrap();
        assert_eq!((demote.support_role, demote.fields()), (Some(Some(SupportRole::Editor)), vec![Field::SupportRole]));
        assert!(demote.removes_active_administrator(&admin));
        let same = UserChanges::parse(
            &UserInput { support_role: Supplied::Value("administrator"), ..UserInput::default() },
            &admin,
            now(),
        )
        .unwrap();
        assert!(same.is_empty());
        assert_eq!(
            role_errors(UserChanges::parse(
                &UserInput { support_role: Supplied::Null, ..UserInput::default() },
                &admin,
                now()
            )),
            [("support_role".to_owned(), "Select the user's role")]
        );
    }
}
