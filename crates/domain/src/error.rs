//! Validation errors: which request field is wrong, and the sentence to show.

use std::borrow::Cow;

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

/// All the errors of one request, kept in field order (contract §3: "All
/// errors of a request are reported together, in field order"). The order is
/// the entity's own ([`crate::user::FIELD_ORDER`],
/// [`crate::api_client::FIELD_ORDER`]); without one, errors keep the order
/// they were found in (query parameters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    order: &'static [&'static str],
    errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// No errors yet, kept in the order they are found.
    pub fn new() -> Self {
        Self::default()
    }

    /// No errors yet, kept in `order`; fields outside it come after, in the
    /// order they are found.
    pub fn in_order(order: &'static [&'static str]) -> Self {
        Self { order, errors: Vec::new() }
    }

    /// Adds an error, keeping the list in field order.
    pub fn push(&mut self, error: FieldError) {
        let rank = self.rank(&error.field);
        let at = self.errors.iter().position(|e| self.rank(&e.field) > rank).unwrap_or(self.errors.len());
        self.errors.insert(at, error);
    }

    /// Adds every error of `other` (taking its order when this list has none).
    pub fn extend(&mut self, other: ValidationErrors) {
        if self.order.is_empty() {
            self.order = other.order;
        }
        for error in other.errors {
            self.push(error);
        }
    }

    fn rank(&self, field: &str) -> usize {
        self.order.iter().position(|f| *f == field).unwrap_or(self.order.len())
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
        self.errors.is_empty()
    }

    /// How many errors there are.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// True when every error is an edit-lock error (contract §8: the problem
    /// type is then `urn:problem:edit-locked`).
    pub fn only_edit_lock(&self) -> bool {
        !self.errors.is_empty() && self.errors.iter().all(|e| e.kind == ErrorKind::Locked)
    }

    /// The errors, in field order.
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
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
        Self { order: &[], errors: vec![error] }
    }
}

impl IntoIterator for ValidationErrors {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: [&str; 5] = ["first_name", "last_name", "email", "api_user", "active"];

    #[test]
    fn errors_are_kept_in_field_order_whatever_order_they_are_found_in() {
        let mut errors = ValidationErrors::in_order(&ORDER);
        errors.push(FieldError::new("email", "c"));
        errors.push(FieldError::new("surname", "x"));
        errors.push(FieldError::new("first_name", "a"));
        errors.push(FieldError::new("active", "e"));
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["first_name", "email", "active", "surname"]);
    }

    #[test]
    fn fields_outside_the_order_come_after_it_as_they_were_found() {
        let mut errors = ValidationErrors::in_order(&["name", "expires_on"]);
        errors.push(FieldError::new("colour", "x"));
        errors.push(FieldError::new("expires_on", "b"));
        errors.push(FieldError::new("name", "a"));
        errors.push(FieldError::new("shade", "y"));
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["name", "expires_on", "colour", "shade"]);
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
