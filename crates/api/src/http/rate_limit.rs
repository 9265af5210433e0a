//! The rate-limit middleware of the `/api/v1` scope: it works out who a
//! request says it is, counts it against the limit that applies
//! ([`crate::rate_limit`]) and refuses it with 429 when over.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpRequest, ResponseError};

use users_domain::client_token::is_client_token;

use super::caller::{bearer_token, VerifiedClaims};
use super::client_ip;
use super::provider_reader::ClientCheck;
use crate::auth::client;
use crate::auth::jwt::Claims;
use crate::problem::Problem;
use crate::rate_limit::Verdict;
use crate::state::AppState;
use crate::time::Timestamp;

/// `RateLimit-Limit`: requests allowed per rolling minute.
pub const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
/// `RateLimit-Remaining`: requests left now.
pub const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
/// `RateLimit-Reset`: seconds until the oldest counted requests start to
/// weigh less (or, when refused, until a request will be served).
pub const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// Who a request says it is, as far as the limits care.
enum Credential {
    /// A valid access token: not counted.
    SignedIn(Claims),
    /// Something shaped like an API client token: counted per client if it
    /// works, else per IP.
    ClientToken(String),
    /// Nothing usable: counted per IP.
    None,
}

/// Middleware for the `/api/v1` scope.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let credential = match bearer_token(req.request()) {
        Some(token) if is_client_token(&token) => Credential::ClientToken(token),
        Some(token) => state.jwt.verify(&token).map_or(Credential::None, Credential::SignedIn),
        None => Credential::None,
    };
    if let Credential::SignedIn(claims) = credential {
        // The handler's extractor takes these rather than verifying the token again.
        req.extensions_mut().insert(VerifiedClaims(claims));
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let ip = client_ip::client_ip(req.request(), state.limiter.trusted_proxy_hops());
    let ip_key = client_ip::key_of(ip);
    let token = match credential {
        Credential::ClientToken(token) => Some(token),
        _ => None,
    };
    let has_token = token.is_some();
    // An address already over its limit is refused without the database. A
    // token is looked up first (a revoked one must hear 401 at once), then
    // refused without a write if its client is already over.
    if !has_token {
        if let Some(refused) = state.limiter.refused_earlier(&ip_key) {
            return Ok(refuse(req, refused));
        }
    }
    let now = Timestamp::now();
    let counted = {
        let state = state.clone();
        state
            .db
            .clone()
            .run(move |conn| {
                let caller = match &token {
                    Some(token) => client::authenticate(conn, &state.client_tokens, token, now)?,
                    None => None,
                };
                let limiter = &state.limiter;
                let key = caller.as_ref().map_or_else(|| ip_key.clone(), |c| format!("client:{}", c.client_id));
                let verdict = match limiter.refused_earlier(&key) {
                    Some(refused) => refused,
                    None => {
                        let verdict = match &caller {
                            Some(caller) => limiter.count_client(conn, &caller.client_id, now)?,
                            None => limiter.count_ip(conn, &ip_key, now)?,
                        };
                        limiter.remember(&key, verdict);
                        verdict
                    }
                };
                Ok::<_, crate::db::Error>((caller, verdict))
            })
            .await
    };
    let mut client_id = None;
    let verdict = match counted {
        Ok((caller, verdict)) => {
            client_id = caller.as_ref().map(|caller| caller.client_id.clone());
            if has_token {
                req.extensions_mut().insert(caller.map_or(ClientCheck::Refused, ClientCheck::Accepted));
            }
            Some(verdict)
        }
        // Without the database the request cannot be counted; it is let
        // through to fail (or not) on its own, never held up here.
        Err(_) => {
            if has_token {
                req.extensions_mut().insert(ClientCheck::Unavailable);
            }
            None
        }
    };
    // A working client token's request is counted in its usage, refused
    // when it is answered 403 or 429.
    let tally = |status: u16| {
        if let Some(client_id) = &client_id {
            state.usage.record(client_id, now, ip, matches!(status, 403 | 429));
        }
    };
    match verdict {
        Some(refused @ Verdict::Refused { .. }) => {
            tally(429);
            Ok(refuse(req, refused))
        }
        Some(Verdict::Served { limit, remaining, reset }) => {
            let mut response = next.call(req).await?;
            tally(response.status().as_u16());
            let headers = response.headers_mut();
            headers.insert(LIMIT, number(limit));
            headers.insert(REMAINING, number(remaining));
            headers.insert(RESET, number(reset));
            Ok(response.map_into_left_body())
        }
        None => Ok(next.call(req).await?.map_into_left_body()),
    }
}

fn number(n: u64) -> HeaderValue {
    HeaderValue::from(n)
}

/// The 429 for a refused verdict, with its headers.
fn too_many(verdict: Verdict) -> Problem {
    let (limit, retry_after) = match verdict {
        Verdict::Refused { limit, retry_after } => (limit, retry_after),
        Verdict::Served { limit, reset, .. } => (limit, reset),
    };
    Problem::too_many_requests(retry_after)
        .with_header(LIMIT, number(limit))
        .with_header(REMAINING, number(0))
        .with_header(RESET, number(retry_after))
}

fn refuse<B>(req: ServiceRequest, verdict: Verdict) -> ServiceResponse<EitherBody<B>> {
    req.into_response(too_many(verdict).error_response()).map_into_right_body()
}

/// The sign-in endpoints' own limit (`SIGN_IN_RATE_LIMIT` a minute per
/// client address, the address the rate limits use), shared by every
/// process through the database; an address already over it is refused
/// without asking the database. Without the database the attempt is let
/// through, to fail (or not) on its own.
pub async fn throttle_sign_in(req: &HttpRequest, state: &web::Data<AppState>) -> Result<(), Problem> {
    let ip_key = client_ip::key(req, state.limiter.trusted_proxy_hops());
    let remembered_as = format!("sign-in:{ip_key}");
    if let Some(refused) = state.limiter.refused_earlier(&remembered_as) {
        return Err(too_many(refused));
    }
    let now = Timestamp::now();
    let limiter = state.clone();
    let counted = state.db.query(move |conn| limiter.limiter.count_sign_in(conn, &ip_key, now)).await;
    match counted {
        Ok(verdict @ Verdict::Refused { .. }) => {
            state.limiter.remember(&remembered_as, verdict);
            Err(too_many(verdict))
        }
        Ok(Verdict::Served { .. }) | Err(_) => Ok(()),
    }
}
