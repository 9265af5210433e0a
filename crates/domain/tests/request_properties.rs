//! Properties of the request parsers over arbitrary input: whatever a JSON
//! body or query string holds, they never panic, and they either give a
//! normalised value or the contract's sentences for the right fields, one
//! error a field, in field order.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use users_domain::api_client::FIELD_ORDER as API_CLIENT_FIELD_ORDER;
use users_domain::api_client::{latest_expiry, ApiClientChanges, ClientInput, CurrentClient, Lifetimes, NewApiClient};
use users_domain::client_access::{AllowedIps, Scopes};
use users_domain::list::{ListParams, RawListParams};
use users_domain::messages as m;
use users_domain::user::FIELD_ORDER as USER_FIELD_ORDER;
use users_domain::{NewUser, Supplied, SupportRole, UserChanges, UserInput, UserState, ValidationErrors};

/// Text a person, a script or an attacker might send: empty, blank, control
/// characters, long, almost valid, or anything at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ \t\r\n\u{a0}\u{2028}]{1,4}",
        "[A-Za-z' -]{1,20}",
        "[a-z.]{1,12}@([a-z]{1,6}\\.)?education\\.gov\\.uk",
        "[ -~]{0,40}",
        ".{0,40}",
        "[\u{0}-\u{1f}\u{7f}-\u{9f}a]{1,6}",
        (1usize..400).prop_map(|n| "é".repeat(n)),
        "[0-9+-]{4,6}-[0-9]{2}-[0-9]{2}",
    ]
}

fn supplied_text() -> impl Strategy<Value = Supplied<String>> {
    prop_oneof![
        1 => Just(Supplied::Absent),
        1 => Just(Supplied::Null),
        1 => Just(Supplied::WrongType),
        6 => text().prop_map(Supplied::Value),
    ]
}

fn supplied_bool() -> impl Strategy<Value = Supplied<bool>> {
    prop_oneof![
        Just(Supplied::Absent),
        Just(Supplied::Null),
        Just(Supplied::WrongType),
        any::<bool>().prop_map(Supplied::Value)
    ]
}

fn borrow(value: &Supplied<String>) -> Supplied<&str> {
    match value {
        Supplied::Absent => Supplied::Absent,
        Supplied::Null => Supplied::Null,
        Supplied::WrongType => Supplied::WrongType,
        Supplied::Value(text) => Supplied::Value(text.as_str()),
    }
}

type Fields = (Supplied<String>, Supplied<String>, Supplied<String>, Supplied<bool>, Supplied<bool>, Supplied<String>);

/// A `support_role` as a client might send it: one of the roles, a near miss, or anything.
fn supplied_role() -> impl Strategy<Value = Supplied<String>> {
    prop_oneof![
        3 => prop_oneof![Just("viewer"), Just("editor"), Just("administrator"), Just("Editor"), Just("owner")]
            .prop_map(|role| Supplied::Value(role.to_owned())),
        2 => supplied_text(),
    ]
}

fn user_fields() -> impl Strategy<Value = Fields> {
    (supplied_text(), supplied_text(), supplied_text(), supplied_bool(), supplied_bool(), supplied_role())
}

fn input(fields: &Fields) -> UserInput<'_> {
    UserInput {
        first_name: borrow(&fields.0),
        last_name: borrow(&fields.1),
        email: borrow(&fields.2),
        api_user: fields.3,
        active: fields.4,
        support_role: borrow(&fields.5),
    }
}

/// The sentences each field may be refused with.
fn allowed(field: &str) -> &'static [&'static str] {
    match field {
        "support_role" => &[m::SELECT_ROLE, m::API_USERS_HAVE_NO_ROLE],
        "role" => &[m::ROLE_INVALID],
        "first_name" => {
            &[m::ENTER_FIRST_NAME, m::FIRST_NAME_TOO_LONG, m::FIRST_NAME_CONTROL_CHARACTERS, m::FIRST_NAME_LOCKED]
        }
        "last_name" => {
            &[m::ENTER_LAST_NAME, m::LAST_NAME_TOO_LONG, m::LAST_NAME_CONTROL_CHARACTERS, m::LAST_NAME_LOCKED]
        }
        "email" => &[m::ENTER_EMAIL, m::EMAIL_FORMAT, m::EMAIL_LOCKED],
        "api_user" => &[m::SELECT_API_USER],
        "active" => &[m::SELECT_ACTIVE],
        "name" => &[m::ENTER_CLIENT_NAME, m::CLIENT_NAME_TOO_LONG, m::CLIENT_NAME_CONTROL_CHARACTERS],
        "expires_on" => &[m::ENTER_EXPIRY_DATE, m::EXPIRY_DATE_NOT_IN_FUTURE, m::EXPIRY_DATE_TOO_LATE],
        "page" => &[m::PAGE_INVALID],
        "per_page" => &[m::PER_PAGE_INVALID],
        "q" => &[m::QUERY_TOO_LONG, m::QUERY_CONTROL_CHARACTERS],
        "status" => &[m::STATUS_INVALID],
        "type" => &[m::TYPE_INVALID],
        "cursor" => &[m::CURSOR_WITH_PAGE],
        _ => &[],
    }
}

/// At least one error; each a known sentence of its field; one a field; in `order`.
fn check_errors(errors: &ValidationErrors, order: &[&str]) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "a refusal says why");
    let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
    for error in errors.errors() {
        prop_assert!(
            allowed(&error.field).contains(&error.message),
            "{} refused with {:?}",
            error.field,
            error.message
        );
    }
    let ranks: Vec<usize> = fields
        .iter()
        .map(|f| order.iter().position(|o| o == f).unwrap_or_else(|| panic!("unexpected field {f}")))
        .collect();
    prop_assert!(ranks.windows(2).all(|w| w[0] < w[1]), "one error a field, in field order: {:?}", fields);
    Ok(())
}

fn trimmed(value: &Supplied<String>) -> Option<&str> {
    match value {
        Supplied::Value(text) => Some(text.trim()),
        _ => None,
    }
}

fn stored_user() -> impl Strategy<Value = UserState> {
    let role = prop_oneof![Just(SupportRole::Viewer), Just(SupportRole::Editor), Just(SupportRole::Administrator)];
    (
        "[A-Za-z]{1,10}",
        "[A-Za-z]{1,10}",
        "[a-z]{1,8}@education\\.gov\\.uk",
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        role,
    )
        .prop_map(|(first_name, last_name, email, api_user, active, signed_in, role)| UserState {
            id: "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b".into(),
            first_name,
            last_name,
            email,
            api_user,
            active,
            last_signed_in_at: signed_in.then(|| Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()),
            support_role: (!api_user).then_some(role),
        })
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, 11, 14, 13, 0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A create request becomes a normalised user or the contract's errors.
    #[test]
    fn any_create_request_gives_a_normalised_user_or_the_contracts_errors(fields in user_fields()) {
        match NewUser::parse(&input(&fields)) {
            Ok(user) => {
                prop_assert_eq!(Some(user.first_name.as_str()), trimmed(&fields.0));
                prop_assert_eq!(Some(user.last_name.as_str()), trimmed(&fields.1));
                prop_assert_eq!(Some(user.email.as_str().to_owned()), trimmed(&fields.2).map(str::to_ascii_lowercase));
                prop_assert!(user.first_name.as_str().chars().count() <= 255);
                prop_assert!(!user.first_name.as_str().chars().any(char::is_control));
                prop_assert_eq!(Supplied::Value(user.api_user), fields.3);
                prop_assert!(fields.4 == Supplied::Absent && user.active || fields.4 == Supplied::Value(user.active));
                prop_assert_eq!(user.support_role.is_none(), user.api_user, "a role exactly for support users");
            }
            Err(errors) => {
                check_errors(&errors, &USER_FIELD_ORDER)?;
                let refused = |field: &str| errors.errors().iter().any(|e| e.field == field);
                prop_assert_eq!(refused("api_user"), !matches!(fields.3, Supplied::Value(_)));
                prop_assert_eq!(refused("active"), matches!(fields.4, Supplied::Null | Supplied::WrongType));
                prop_assert!(errors.errors().iter().all(|e| !e.message.contains("cannot be changed")));
            }
        }
    }

    /// A change request, locked or not, gives only real changes or the
    /// contract's errors; absent fields are never refused.
    #[test]
    fn any_change_request_gives_real_changes_or_the_contracts_errors(fields in user_fields(), user in stored_user()) {
        let sent = input(&fields);
        match UserChanges::parse(&sent, &user, now()) {
            Ok(changes) => {
                prop_assert!(changes.first_name.as_ref().is_none_or(|n| n.as_str() != user.first_name));
                prop_assert!(changes.email.as_ref().is_none_or(|e| e.as_str() != user.email));
                prop_assert!(changes.api_user.is_none_or(|v| v != user.api_user));
                if user.is_locked(now()) {
                    prop_assert!(changes.first_name.is_none() && changes.last_name.is_none() && changes.email.is_none());
                }
            }
            Err(errors) => {
                check_errors(&errors, &USER_FIELD_ORDER)?;
                for error in errors.errors() {
                    let absent = match error.field.as_ref() {
                        "first_name" => sent.first_name == Supplied::Absent,
                        "last_name" => sent.last_name == Supplied::Absent,
                        "email" => sent.email == Supplied::Absent,
                        "api_user" => sent.api_user == Supplied::Absent,
                        "support_role" => sent.support_role == Supplied::Absent,
                        _ => sent.active == Supplied::Absent,
                    };
                    prop_assert!(!absent, "{} was not sent but was refused", error.field);
                }
            }
        }
    }

    /// API client requests, create and change, on any day.
    #[test]
    fn any_api_client_request_gives_a_valid_client_or_the_contracts_errors(
        name in supplied_text(),
        expires_on in supplied_text(),
        days in 0i64..4000,
    ) {
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(days);
        let sent = ClientInput::named(borrow(&name), borrow(&expires_on));
        match NewApiClient::parse(&sent, today, Lifetimes::default()) {
            Ok(client) => {
                prop_assert_eq!(Some(client.name.as_str()), trimmed(&name));
                prop_assert!(client.expires_on > today && client.expires_on <= latest_expiry(today));
            }
            Err(errors) => check_errors(&errors, &API_CLIENT_FIELD_ORDER)?,
        }
        let (scopes, ips) = (Scopes::default(), AllowedIps::default());
        let current = CurrentClient { name: "Payroll", expires_on: today, scopes: &scopes, allowed_ips: &ips };
        match ApiClientChanges::parse(&sent, current, today, Lifetimes::default()) {
            Ok(changes) => prop_assert!(changes.expires_on.is_none_or(|d| d > today && d <= latest_expiry(today))),
            Err(errors) => check_errors(&errors, &API_CLIENT_FIELD_ORDER)?,
        }
    }

    /// Any query string's list parameters are valid or named errors.
    #[test]
    fn any_list_query_gives_valid_parameters_or_named_errors(
        values in proptest::collection::vec(proptest::option::of(text()), 6),
        numbers in proptest::collection::vec(prop_oneof![any::<i128>().prop_map(|n| n.to_string()), "[0-9]{1,30}"], 2),
    ) {
        let page = values[0].as_deref().or(Some(numbers[0].as_str()));
        let per_page = values[1].as_deref().or(Some(numbers[1].as_str()));
        let raw = RawListParams {
            page,
            per_page,
            q: values[2].as_deref(),
            status: values[3].as_deref(),
            kind: values[4].as_deref(),
            role: values[2].as_deref(),
            cursor: values[5].as_deref(),
        };
        match ListParams::parse(&raw) {
            Ok(params) => {
                prop_assert!((1..=100).contains(&params.per_page));
                prop_assert!(params.q.as_ref().is_none_or(|q| !q.is_empty() && q.chars().count() <= 600));
            }
            Err(errors) => check_errors(&errors, &["page", "per_page", "q", "status", "type", "role", "cursor"])?,
        }
    }
}
