//! Validation errors: which request field is wrong, and the sentence to show.

use std::borrow::Cow;

/// The fields of a user, in the order their errors are reported (contract §3:
/// "All errors of a request are reported together, in field order").
pub const USER_FIELD_ORDER: [&str; 5] = ["first_name", "last_name", "email", "api_user", "active"];
/// The fields of an API client, in the order their errors are reported.
pub const API_CLIENT_FIELD_ORDER: [&str; 2] = ["name", "expires_on"];

/// Why a field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The value breaks a rule (blank, too long, wrong format, in use, …).
    Invalid,
    /// The field cannot change because the user has signed in (edit lock).
    Locked,
}

/// One refused field: the request's field name and the exact sentence to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The JSON field (or query parameter) name as the request spelled it.
    pub field: Cow<'static, str>,
    /// The sentence a person sees, from [`crate::messages`].
    pub message: &'static str,
    /// Whether this is a rule or the edit lock.
    pub kind: ErrorKind,
}

impl FieldError {
    /// A field whose value breaks a rule.
    pub fn new(field: impl Into<Cow<'static, str>>, message: &'static str) -> Self {
        Self { field: field.into(), message, kind: ErrorKind::Invalid }
    }

    /// A field that the edit lock keeps from changing.
    pub fn locked(field: &'static str, message: &'static str) -> Self {
        Self { field: Cow::Borrowed(field), message, kind: ErrorKind::Locked }
    }
}

/// All the errors of one request, kept in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an error; the list stays in field order, with fields outside
    /// [`USER_FIELD_ORDER`] and [`API_CLIENT_FIELD_ORDER`] after the known
    /// ones, in the order they were added.
    pub fn push(&mut self, error: FieldError) {
        let rank = field_rank(&error.field);
        let at = self.0.iter().position(|e| field_rank(&e.field) > rank).unwrap_or(self.0.len());
        self.0.insert(at, error);
    }

    /// Adds every error of `other`.
    pub fn extend(&mut self, other: ValidationErrors) {
        for error in other.0 {
            self.push(error);
        }
    }

    /// Records the error of a parse, keeping its value when it succeeded.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// True when nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many errors there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when every error is an edit-lock error (contract §8: the problem
    /// type is then `urn:problem:edit-locked`).
    pub fn only_edit_lock(&self) -> bool {
        !self.0.is_empty() && self.0.iter().all(|e| e.kind == ErrorKind::Locked)
    }

    /// The errors, in field order.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// `Ok(value)` when there are no errors, else the errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}

impl IntoIterator for ValidationErrors {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

fn field_rank(field: &str) -> usize {
    let mut known = USER_FIELD_ORDER.iter().chain(API_CLIENT_FIELD_ORDER.iter());
    known.position(|f| *f == field).unwrap_or(USER_FIELD_ORDER.len() + API_CLIENT_FIELD_ORDER.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_kept_in_field_order_whatever_order_they_are_found_in() {
        let mut errors = ValidationErrors::new();
        errors.push(FieldError::new("email", "c"));
        errors.push(FieldError::new("surname", "x"));
        errors.push(FieldError::new("first_name", "a"));
        errors.push(FieldError::new("active", "e"));
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["first_name", "email", "active", "surname"]);
    }

    #[test]
    fn api_client_fields_come_in_their_order_before_unknown_fields() {
        let mut errors = ValidationErrors::new();
        errors.push(FieldError::new("colour", "x"));
        errors.push(FieldError::new("expires_on", "b"));
        errors.push(FieldError::new("name", "a"));
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["name", "expires_on", "colour"]);
    }

    #[test]
    fn only_edit_lock_is_false_when_any_error_is_a_rule() {
        let mut errors = ValidationErrors::new();
        errors.push(FieldError::locked("first_name", "locked"));
        assert!(errors.only_edit_lock());
        errors.push(FieldError::new("api_user", "select"));
        assert!(!errors.only_edit_lock());
        assert!(!ValidationErrors::new().only_edit_lock());
    }
}
