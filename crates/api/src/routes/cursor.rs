//! Keyset cursors: the position of a page's last item as URL-safe base64 of
//! JSON. Opaque to clients but not secret (contract §8): one that decodes is
//! simply a position; one that does not is a 422 naming `cursor`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;

use users_domain::{messages, FieldError};

use crate::problem::Problem;

/// The cursor for `position`.
pub fn encode<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).expect("a position serialises"))
}

/// The 422 for a cursor that names no position.
pub fn invalid() -> Problem {
    Problem::from(FieldError::new("cursor", messages::CURSOR_INVALID))
}

/// The position a cursor names. Positions hold names and ids, never control
/// characters (PostgreSQL text cannot even hold a NUL): a cursor whose
/// strings have one was not made here.
pub fn decode<T: DeserializeOwned>(cursor: &str) -> Result<T, Problem> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).map_err(|_| invalid())?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if has_control_characters(&value) {
        return Err(invalid());
    }
    serde_json::from_value(value).map_err(|_| invalid())
}

fn has_control_characters(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.chars().any(char::is_control),
        serde_json::Value::Array(items) => items.iter().any(has_control_characters),
        serde_json::Value::Object(map) => map.values().any(has_control_characters),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_what_it_was_made_from() {
        let position = ("payroll ✓".to_owned(), 42_i64);
        assert_eq!(decode::<(String, i64)>(&encode(&position)).unwrap(), position);
    }

    #[test]
    fn a_tampered_cursor_is_a_422_naming_cursor() {
        let problem = decode::<(String, i64)>("not base64!").unwrap_err();
        assert_eq!(problem.status().as_u16(), 422);
        assert_eq!(problem.body().errors.unwrap()[0].field, "cursor");
        assert_eq!(decode::<(String, i64)>(&encode(&[1, 2])).unwrap_err().status().as_u16(), 422);
        assert_eq!(decode::<(String, i64)>(&encode(&("a\u{0}", 1))).unwrap_err().status().as_u16(), 422);
    }
}
