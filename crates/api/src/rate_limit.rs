//! Rate limits on `/api/v1` (contract §5 and §8): per API client token, and
//! per client IP for requests without valid credentials. Requests with a
//! valid access token (a signed-in user) are not counted.
//!
//! Counters live in the database ([`crate::db::rate_limits`]), so every API
//! process behind a load balancer enforces one limit. The arithmetic of the
//! rolling minute is [`users_domain::rate_limit`]. Each counted request costs
//! one read of the previous minute's bucket and one atomic upsert.

use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, ResponseError};

use users_domain::client_token::is_client_token;
use users_domain::rate_limit::{secs_to_bucket_end, Moment, SlidingWindow};

use crate::auth::client::{self, ClientCheck};
use crate::auth::jwt::Claims;
use crate::auth::{bearer_token, VerifiedClaims};
use crate::config::Config;
use crate::db::{rate_limits, Conn};
use crate::problem::Problem;
use crate::state::AppState;
use crate::time::Timestamp;

/// `RateLimit-Limit`: requests allowed per rolling minute.
pub const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
/// `RateLimit-Remaining`: requests left now.
pub const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
/// `RateLimit-Reset`: seconds until the oldest counted requests start to
/// weigh less (or, when refused, until a request will be served).
pub const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// The limits, and when this process last swept out old counters.
pub struct RateLimiter {
    per_token: SlidingWindow,
    per_ip: SlidingWindow,
    trusted_proxy_hops: usize,
    swept_minute: AtomicI64,
}

impl RateLimiter {
    /// The limits `config` sets.
    pub fn new(config: &Config) -> Self {
        Self {
            per_token: SlidingWindow { limit: config.rate_limit_per_token.into() },
            per_ip: SlidingWindow { limit: config.rate_limit_per_ip.into() },
            trusted_proxy_hops: config.trusted_proxy_hops as usize,
            swept_minute: AtomicI64::new(i64::MIN),
        }
    }

    /// Counts one request against `key` at `now`. Old buckets are swept out
    /// at most once a minute per process, by the first request to start a
    /// new bucket.
    fn count(
        &self,
        conn: &mut Conn<'_>,
        key: &str,
        window: SlidingWindow,
        now: Timestamp,
    ) -> diesel::QueryResult<Verdict> {
        let moment = Moment::from_unix_ms(now.utc().timestamp_millis());
        let previous = rate_limits::hits(conn, key, moment.bucket - 1)?;
        let capacity = window.capacity(previous, moment.elapsed_ms);
        match rate_limits::take(conn, key, moment.bucket, capacity)? {
            Some(current) => {
                if current == 1 && self.swept_minute.swap(moment.bucket, Ordering::Relaxed) < moment.bucket {
                    rate_limits::forget_before(conn, moment.bucket - 1)?;
                }
                Ok(Verdict::Served {
                    limit: window.limit,
                    remaining: window.remaining(previous, current, moment.elapsed_ms),
                    reset: secs_to_bucket_end(moment.elapsed_ms),
                })
            }
            None => {
                let current = rate_limits::hits(conn, key, moment.bucket)?;
                Ok(Verdict::Refused {
                    limit: window.limit,
                    retry_after: window.retry_after_secs(previous, current, moment.elapsed_ms),
                })
            }
        }
    }

    /// The address requests are counted by: the peer, or with trusted proxies
    /// the address the outermost of them saw. IPv6 addresses count by their
    /// /64, which is what one customer is usually given.
    fn client_key(&self, req: &ServiceRequest) -> String {
        let peer = req.peer_addr().map(|a| a.ip());
        let forwarded = (self.trusted_proxy_hops > 0)
            .then(|| {
                let header = req.headers().get("x-forwarded-for")?.to_str().ok()?;
                let hops: Vec<&str> = header.split(',').map(str::trim).collect();
                let index = hops.len().saturating_sub(self.trusted_proxy_hops);
                hops.get(index)?.parse::<IpAddr>().ok()
            })
            .flatten();
        match forwarded.or(peer) {
            Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Some(IpAddr::V6(v6)) => format!("ip:{}", v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4)),
            Some(ip) => format!("ip:{ip}"),
            None => "ip:unknown".to_owned(),
        }
    }
}

/// The outcome of counting a request.
#[derive(Debug, Clone, Copy)]
enum Verdict {
    Served { limit: u64, remaining: u64, reset: u64 },
    Refused { limit: u64, retry_after: u64 },
}

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
    let ip_key = state.limiter.client_key(&req);
    let token = match credential {
        Credential::ClientToken(token) => Some(token),
        _ => None,
    };
    let has_token = token.is_some();
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
                let verdict = match &caller {
                    Some(caller) => {
                        limiter.count(conn, &format!("client:{}", caller.client_id), limiter.per_token, now)?
                    }
                    None => limiter.count(conn, &ip_key, limiter.per_ip, now)?,
                };
                Ok((caller, verdict))
            })
            .await
    };
    let verdict = match counted {
        Ok((caller, verdict)) => {
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
    match verdict {
        Some(Verdict::Refused { limit, retry_after }) => {
            let problem = Problem::too_many_requests(retry_after)
                .with_header(LIMIT, number(limit))
                .with_header(REMAINING, number(0))
                .with_header(RESET, number(retry_after));
            Ok(req.into_response(problem.error_response()).map_into_right_body())
        }
        Some(Verdict::Served { limit, remaining, reset }) => {
            let mut response = next.call(req).await?;
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
