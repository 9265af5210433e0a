//! Security headers on every response, and `Cache-Control: no-store` on the
//! API's (its answers carry personal data).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error};

use crate::state::AppState;

/// The SPA's policy: everything from this origin, nothing inline, no framing.
const APP_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Swagger UI sets inline styles from its scripts; it gets that and nothing more.
const SWAGGER_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
frame-ancestors 'none'";

fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// Middleware: adds the headers a response does not set itself.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let https = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.config.public_url.starts_with("https://"));
    let path = req.path().to_owned();
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(headers, header::REFERRER_POLICY, "no-referrer");
    set_default(headers, header::X_FRAME_OPTIONS, "DENY");
    set_default(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    let csp = if path.starts_with("/swagger-ui") { SWAGGER_CSP } else { APP_CSP };
    set_default(headers, header::CONTENT_SECURITY_POLICY, csp);
    if https {
        set_default(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    if path.starts_with("/api/") {
        set_default(headers, header::CACHE_CONTROL, "no-store");
    }
    Ok(response)
}
