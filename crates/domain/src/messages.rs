//! Every sentence the service shows a person, in one place.
//!
//! These strings are part of the service's design (contract §3 and §8): tests
//! assert them verbatim, and the SPA shows them as they are. Change one only
//! when the design changes.

/// `first_name` is missing, `null`, blank, or not a string.
pub const ENTER_FIRST_NAME: &str = "Enter first name";
/// `first_name` is longer than [`crate::user::NAME_MAX_CHARS`] characters.
pub const FIRST_NAME_TOO_LONG: &str = "First name must be 255 characters or less";
/// `first_name` contains a line break or another control character.
pub const FIRST_NAME_CONTROL_CHARACTERS: &str = "First name must not include line breaks or other control characters";
/// A signed-in user's first name cannot change.
pub const FIRST_NAME_LOCKED: &str = "First name cannot be changed once the user has signed in";

/// `last_name` is missing, `null`, blank, or not a string.
pub const ENTER_LAST_NAME: &str = "Enter last name";
/// `last_name` is longer than [`crate::user::NAME_MAX_CHARS`] characters.
pub const LAST_NAME_TOO_LONG: &str = "Last name must be 255 characters or less";
/// `last_name` contains a line break or another control character.
pub const LAST_NAME_CONTROL_CHARACTERS: &str = "Last name must not include line breaks or other control characters";
/// A signed-in user's last name cannot change.
pub const LAST_NAME_LOCKED: &str = "Last name cannot be changed once the user has signed in";

/// `email` is missing, `null`, blank, or not a string.
pub const ENTER_EMAIL: &str = "Enter email address";
/// `email` is not a valid address on a Department for Education domain.
pub const EMAIL_FORMAT: &str =
    "Enter a Department for Education email address in the correct format, like name@education.gov.uk";
/// Another user that is not deleted has this address (in any case).
pub const EMAIL_IN_USE: &str = "Email address already in use";
/// A signed-in user's email address cannot change.
pub const EMAIL_LOCKED: &str = "Email address cannot be changed once the user has signed in";

/// `api_user` is missing or `null` on create, `null` on change, or not a boolean.
pub const SELECT_API_USER: &str = "Select if the account is an API user";
/// `active` is `null` or not a boolean.
pub const SELECT_ACTIVE: &str = "Select if the account is active";

/// A request body names a field the endpoint does not take.
pub const UNKNOWN_FIELD: &str = "This field is not recognised";

/// Guard: a support user tried to delete their own account.
pub const CANNOT_DELETE_SELF: &str = "You cannot delete your own account";
/// Guard: a support user tried to deactivate their own account.
pub const CANNOT_DEACTIVATE_SELF: &str = "You cannot deactivate your own account";
/// Guard: a support user tried to make their own account an API user.
pub const CANNOT_MAKE_SELF_API_USER: &str = "You cannot make your own account an API user";
/// Guard: a support user tried to change their own role.
pub const CANNOT_CHANGE_OWN_ROLE: &str = "You cannot change your own role";
/// Guard: the change would leave no active administrator.
pub const LAST_ACTIVE_ADMINISTRATOR: &str = "There must be at least one active administrator";

/// `support_role` is not `viewer`, `editor` or `administrator`, or is `null` for a support user.
pub const SELECT_ROLE: &str = "Select the user's role";
/// `support_role` is given for an API user.
pub const API_USERS_HAVE_NO_ROLE: &str = "API users do not have a support role";
/// 403: a viewer tried to change something.
pub const NO_PERMISSION_TO_CHANGE: &str = "You do not have permission to make changes";
/// 403: an editor tried to add, change or delete an administrator, or to give the role.
pub const ADMINISTRATORS_ONLY: &str = "Only an administrator can add, change or delete an administrator";

/// List parameter `page` is not a whole number from 1 to 1,000,000.
pub const PAGE_INVALID: &str = "Page must be a whole number from 1 to 1000000";
/// List parameter `per_page` is not a whole number from 1 to 100.
pub const PER_PAGE_INVALID: &str = "Results per page must be a whole number from 1 to 100";
/// List parameter `status` is not `active` or `inactive`.
pub const STATUS_INVALID: &str = "Status must be active or inactive";
/// List parameter `type` is not `api` or `support`.
pub const TYPE_INVALID: &str = "Type must be api or support";
/// List parameter `role` is not `viewer`, `editor` or `administrator`.
pub const ROLE_INVALID: &str = "Role must be viewer, editor or administrator";
/// List parameter `cursor` cannot be decoded.
pub const CURSOR_INVALID: &str = "Cursor is not valid: start again from the first page";
/// Both `cursor` and `page` were given.
pub const CURSOR_WITH_PAGE: &str = "Give either a page or a cursor, not both";
/// `q` is longer than any name or email could be.
pub const QUERY_TOO_LONG: &str = "Search must be 600 characters or less";
/// `q` contains a control character, which no name or address has.
pub const QUERY_CONTROL_CHARACTERS: &str = "Search must not include line breaks or other control characters";
/// `dry_run` is not `true` or `false`.
pub const DRY_RUN_INVALID: &str = "Dry run must be true or false";

/// Activity parameter `actor` is not a user id.
pub const ACTOR_INVALID: &str = "Actor must be a user id";
/// Activity parameter `action` is not a known action.
pub const ACTION_INVALID: &str = "Action must be one of the documented actions, like user.updated";
/// Activity parameter `since` is not a date or time.
pub const SINCE_INVALID: &str = "Since must be a date, like 2025-12-11, or a date and time, like 2025-12-11T14:13:00Z";
/// Activity parameter `until` is not a date or time.
pub const UNTIL_INVALID: &str = "Until must be a date, like 2025-12-11, or a date and time, like 2025-12-11T14:13:00Z";

/// API client `name` is missing, `null`, blank, or not a string.
pub const ENTER_CLIENT_NAME: &str = "Enter client name";
/// API client `name` is longer than [`crate::api_client::CLIENT_NAME_MAX_CHARS`] characters.
pub const CLIENT_NAME_TOO_LONG: &str = "Client name must be 100 characters or less";
/// API client `name` contains a line break or another control character.
pub const CLIENT_NAME_CONTROL_CHARACTERS: &str = "Client name must not include line breaks or other control characters";
/// The owner has another API client (not deleted) with this name, in any case.
pub const CLIENT_NAME_NOT_UNIQUE: &str = "Client name must be unique";
/// `expires_on` is not a date (`YYYY-MM-DD`), or is blank.
pub const ENTER_EXPIRY_DATE: &str = "Enter expiry date";
/// `expires_on` is today or earlier (UTC).
pub const EXPIRY_DATE_NOT_IN_FUTURE: &str = "Expiry date must be in the future";
/// `expires_on` is later than the same day 12 calendar months ahead (UTC).
pub const EXPIRY_DATE_TOO_LATE: &str = "Expiry date must be within 12 months";
/// `expires_on` is later than the configured longest lifetime, for each
/// lifetime from 1 to 24 months ([`expiry_within`]).
const EXPIRY_WITHIN: [&str; 24] = [
    "Expiry date must be within 1 month",
    "Expiry date must be within 2 months",
    "Expiry date must be within 3 months",
    "Expiry date must be within 4 months",
    "Expiry date must be within 5 months",
    "Expiry date must be within 6 months",
    "Expiry date must be within 7 months",
    "Expiry date must be within 8 months",
    "Expiry date must be within 9 months",
    "Expiry date must be within 10 months",
    "Expiry date must be within 11 months",
    EXPIRY_DATE_TOO_LATE,
    "Expiry date must be within 13 months",
    "Expiry date must be within 14 months",
    "Expiry date must be within 15 months",
    "Expiry date must be within 16 months",
    "Expiry date must be within 17 months",
    "Expiry date must be within 18 months",
    "Expiry date must be within 19 months",
    "Expiry date must be within 20 months",
    "Expiry date must be within 21 months",
    "Expiry date must be within 22 months",
    "Expiry date must be within 23 months",
    "Expiry date must be within 24 months",
];

/// `Expiry date must be within N months` for a longest lifetime of `months`
/// (1 to 24; outside that, the nearest).
pub fn expiry_within(months: u32) -> &'static str {
    EXPIRY_WITHIN[(months.clamp(1, 24) - 1) as usize]
}

/// `owner_id` names no live user.
pub const SELECT_CLIENT_OWNER: &str = "Select a user who can own this API client";
/// `scopes` is an empty array.
pub const SELECT_AT_LEAST_ONE_SCOPE: &str = "Select at least one scope";
/// `scopes` names a scope that does not exist, or is not an array of names.
pub const SELECT_VALID_SCOPE: &str = "Select a valid scope";
/// `scim` given by someone other than an administrator, or to a client an administrator does not own.
pub const SCIM_SCOPE_ADMINISTRATORS_ONLY: &str = "Only an administrator's API client can have the scim scope";
/// A client token tried to give a scope it does not have itself.
pub const CANNOT_GIVE_SCOPE_IT_LACKS: &str = "An API client cannot give a scope it does not have";
/// `allowed_ips` has an entry that is not an address or CIDR range.
pub const ENTER_IP_ADDRESSES: &str = "Enter IP addresses or ranges like 192.0.2.10 or 192.0.2.0/24";
/// `allowed_ips` has more than [`crate::client_access::ALLOWED_IPS_MAX`] entries.
pub const TOO_MANY_IP_ADDRESSES: &str = "Enter 20 IP addresses or ranges or fewer";
/// 403 `urn:problem:ip-not-allowed`.
pub const IP_NOT_ALLOWED: &str = "This API client cannot be used from this IP address";
/// 403 `urn:problem:insufficient-scope`, before the scope's name.
pub const INSUFFICIENT_SCOPE: &str = "This API client does not have the scope this request needs";
/// Guard: a revoked API client cannot be given a new token.
pub const CANNOT_ROTATE_REVOKED_CLIENT: &str = "You cannot rotate the token of a revoked API client";
/// Guard: an expired API client cannot be given a new token until its expiry date changes.
pub const CANNOT_ROTATE_EXPIRED_CLIENT: &str =
    "You cannot rotate the token of an expired API client. Change its expiry date first";

/// Provider list parameter `changed_since` is not an RFC 3339 date and time.
pub const CHANGED_SINCE_INVALID: &str = "Changed since must be a date and time, like 2025-12-11T14:13:00Z";
/// Provider list parameter `per_page` is not a whole number from 1 to 500.
pub const PROVIDERS_PER_PAGE_INVALID: &str = "Results per page must be a whole number from 1 to 500";

/// Email subjects (contract §3, "Emails"); the service name is configuration.
pub mod emails {
    /// Sent to a new user, and to a user's new address.
    pub fn invitation_subject(service_name: &str) -> String {
        format!("You have been invited to {service_name}")
    }

    /// Sent to the address a deleted user had.
    pub fn removal_subject(service_name: &str) -> String {
        format!("You have been removed from {service_name}")
    }

    /// Sent to an API client's owner before it expires; `date` as
    /// [`long_date`] writes it.
    pub fn client_expiring_subject(service_name: &str, date: &str) -> String {
        format!("An API client for {service_name} expires on {date}")
    }

    /// Sent to an API client's owner when someone else revoked it.
    pub fn client_revoked_subject(service_name: &str) -> String {
        format!("Your API client for {service_name} has been revoked")
    }

    /// A date as emails write it: `8 January 2027`.
    pub fn long_date(date: chrono::NaiveDate) -> String {
        date.format("%-d %B %Y").to_string()
    }
}

/// Problem titles and details (contract §2).
pub mod problems {
    /// Title of every validation problem.
    pub const VALIDATION_TITLE: &str = "There is a problem";
    /// 400 title.
    pub const BAD_REQUEST_TITLE: &str = "Bad request";
    /// 400: the query string cannot be decoded.
    pub const QUERY_NOT_VALID: &str = "The query string is not valid";
    /// 400: `If-Match` is neither `*` nor entity tags.
    pub const IF_MATCH_INVALID: &str = "If-Match must be * or entity tags like \"3\", as sent in ETag";
    /// 400: the body does not parse as JSON.
    pub const BODY_NOT_JSON: &str = "The request body must be valid JSON";
    /// 400: the body is JSON but not an object.
    pub const BODY_NOT_OBJECT: &str = "The request body must be a JSON object";
    /// 401 title.
    pub const UNAUTHORIZED_TITLE: &str = "Not signed in";
    /// 401: no token, a bad token, or an account that may not sign in.
    pub const UNAUTHORIZED: &str = "Sign in to continue";
    /// 403 title.
    pub const FORBIDDEN_TITLE: &str = "Forbidden";
    /// 403: the role may not use this endpoint.
    pub const FORBIDDEN: &str = "Your account cannot use this part of the service";
    /// 404 title.
    pub const NOT_FOUND_TITLE: &str = "Not found";
    /// 404.
    pub const NOT_FOUND: &str = "Page not found";
    /// 405 title.
    pub const METHOD_NOT_ALLOWED_TITLE: &str = "Method not allowed";
    /// 405.
    pub const METHOD_NOT_ALLOWED: &str = "This address does not take that method";
    /// 409 title (the detail is the guard's sentence).
    pub const CONFLICT_TITLE: &str = "The action is not allowed";
    /// 409: a concurrent change to the same thing won.
    pub const CONCURRENT_CHANGE: &str =
        "Someone else made a change at the same moment. Check the details and try again";
    /// 412 title.
    pub const PRECONDITION_FAILED_TITLE: &str = "The user has changed";
    /// 412: `If-Match` is stale.
    pub const PRECONDITION_FAILED: &str =
        "Someone else has changed this user since you opened it. Check the details and try again";
    /// 413 title.
    pub const TOO_LARGE_TITLE: &str = "Request too large";
    /// 413.
    pub const TOO_LARGE: &str = "The request body must be 64 KiB or less";
    /// 415 title.
    pub const UNSUPPORTED_MEDIA_TYPE_TITLE: &str = "Unsupported media type";
    /// 415.
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "Send the request body as JSON, with Content-Type: application/json";
    /// 429 title.
    pub const TOO_MANY_REQUESTS_TITLE: &str = "Too many requests";
    /// 429: over the rate limit; `Retry-After` says when to try again.
    pub const TOO_MANY_REQUESTS: &str = "You have made too many requests. Wait before trying again";
    /// 503 title.
    pub const UNAVAILABLE_TITLE: &str = "Service unavailable";
    /// 503.
    pub const UNAVAILABLE: &str = "The service is unavailable. Try again in a few minutes";
    /// 500 title.
    pub const INTERNAL_TITLE: &str = "Internal server error";
    /// 500.
    pub const INTERNAL: &str = "Sorry, there is a problem with the service";
    /// `detail` of a validation problem with `n` errors.
    pub fn validation_detail(n: usize) -> String {
        if n == 1 {
            "The request has 1 error".to_owned()
        } else {
            format!("The request has {n} errors")
        }
    }
}
