//! Request bodies: the contract's rules for JSON (§1, §8), before any field
//! is looked at.
//!
//! No `Content-Type` or a non-JSON one → 415; over 64 KiB → 413; not JSON or
//! not an object → 400. Fields are then read one by one, so that a wrong type
//! or an unknown field becomes a field error rather than a parser message.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde_json::{Map, Value};

use users_domain::messages::{self, problems as text};
use users_domain::{FieldError, Supplied, ValidationErrors};

use crate::problem::Problem;

/// The largest body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request body that is a JSON object.
#[derive(Debug)]
pub struct JsonObject(pub Map<String, Value>);

impl FromRequest for JsonObject {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = check_headers(req);
        let mut payload = payload.take();
        Box::pin(async move {
            checked?;
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| Problem::bad_request(text::BODY_NOT_JSON))?;
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(Problem::payload_too_large());
                }
                body.extend_from_slice(&chunk);
            }
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => Ok(JsonObject(map)),
                Ok(_) => Err(Problem::bad_request(text::BODY_NOT_OBJECT)),
                Err(_) => Err(Problem::bad_request(text::BODY_NOT_JSON)),
            }
        })
    }
}

fn check_headers(req: &HttpRequest) -> Result<(), Problem> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !is_json(content_type) {
        return Err(Problem::unsupported_media_type());
    }
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return Err(Problem::payload_too_large());
    }
    Ok(())
}

/// `application/json` or `application/<something>+json`, with parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl JsonObject {
    /// Refuses every field not in `known`, naming it (so typos and read-only
    /// fields are never silently ignored). The errors that follow are kept in
    /// `known`'s order, the entity's field order.
    pub fn unknown_fields(&self, known: &'static [&'static str]) -> ValidationErrors {
        let mut errors = ValidationErrors::in_order(known);
        for name in self.0.keys().filter(|name| !known.contains(&name.as_str())) {
            errors.push(FieldError::new(name.clone(), messages::UNKNOWN_FIELD));
        }
        errors
    }

    /// A string field as it arrived.
    pub fn string(&self, name: &str) -> Supplied<&str> {
        match self.0.get(name) {
            None => Supplied::Absent,
            Some(Value::Null) => Supplied::Null,
            Some(Value::String(s)) => Supplied::Value(s),
            Some(_) => Supplied::WrongType,
        }
    }

    /// An array-of-strings field as it arrived: any element that is not a
    /// string makes the whole field the wrong type.
    pub fn strings(&self, name: &str) -> Supplied<Vec<&str>> {
        match self.0.get(name) {
            None => Supplied::Absent,
            Some(Value::Null) => Supplied::Null,
            Some(Value::Array(items)) => {
                items.iter().map(Value::as_str).collect::<Option<Vec<_>>>().map_or(Supplied::WrongType, Supplied::Value)
            }
            Some(_) => Supplied::WrongType,
        }
    }

    /// A boolean field as it arrived.
    pub fn boolean(&self, name: &str) -> Supplied<bool> {
        match self.0.get(name) {
            None => Supplied::Absent,
            Some(Value::Null) => Supplied::Null,
            Some(Value::Bool(b)) => Supplied::Value(*b),
            Some(_) => Supplied::WrongType,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_content_types_are_recognised_with_parameters_and_suffixes() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
        assert!(!is_json("application/jsonx"));
    }
}
