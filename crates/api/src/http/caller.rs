//! Who is calling: extractors that make a handler's signature say which role
//! may call it. Every request re-checks the account
//! ([`crate::auth::account`]), so a deactivated, deleted or re-roled user is
//! refused at once, whatever the token's expiry.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};

use crate::auth::account::account;
use crate::auth::jwt::{Claims, Role};
use crate::db::users::UserRow;
use crate::db::{Conn, Db};
use crate::problem::Problem;
use crate::state::AppState;
use crate::time::Timestamp;

/// A signed-in user of either role, their account checked on this request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account as stored now.
    pub user: UserRow,
    /// Their role (it matches the account's `api_user` flag).
    pub role: Role,
}

/// A support user's verified token. Whether their account may still act
/// (it exists, is active, is still a support user and the token was not
/// revoked) is checked by [`SupportUser::run`], on the same connection and in
/// the same trip to the blocking pool as the handler's own queries: checking
/// it in the extractor cost a second trip and a second checkout on every
/// request (BENCHMARKS.md). Tokens of any other role are checked here, so
/// they get 401 or 403 before anything else is looked at.
#[derive(Debug)]
pub struct SupportUser {
    claims: Claims,
}

impl SupportUser {
    /// Checks the caller's account, then answers the error of `input` (what
    /// the handler parsed from the request) if it has one, then runs `work`
    /// with the account and the input. So a refused caller hears 401 before
    /// anything about their request, as the contract orders the checks.
    pub async fn run<I, T, F>(self, db: &Db, input: Result<I, Problem>, work: F) -> Result<T, Problem>
    where
        I: Send + 'static,
        T: Send + 'static,
        F: FnOnce(&mut Conn<'_>, UserRow, I) -> Result<T, Problem> + Send + 'static,
    {
        db.run(move |conn| {
            let me = account(conn, &self.claims, Timestamp::now())?;
            work(conn, me, input?)
        })
        .await
    }
}

/// The credential of an `Authorization: Bearer` header, if any.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The claims of a request's access token, verified once by the rate-limit
/// middleware and left in the request's extensions for the extractor.
#[derive(Debug)]
pub struct VerifiedClaims(pub Claims);

/// The service's state and the claims of the request's access token, if it
/// is well formed, correctly signed and unexpired: the claims the rate-limit
/// middleware already verified, else the bearer token, verified here.
fn verified(req: &HttpRequest) -> Result<(web::Data<AppState>, Claims), Problem> {
    let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(Problem::internal)?;
    let claims = match req.extensions_mut().remove::<VerifiedClaims>() {
        Some(VerifiedClaims(claims)) => Some(claims),
        None => bearer_token(req).and_then(|t| state.jwt.verify(&t)),
    };
    let claims = claims.filter(|c| users_domain::ids::is_uuid(&c.sub)).ok_or_else(Problem::unauthorized)?;
    Ok((state, claims))
}

async fn authenticate(state: web::Data<AppState>, claims: Claims) -> Result<Caller, Problem> {
    let role = claims.role;
    let user = state.db.run(move |conn| account(conn, &claims, Timestamp::now())).await?;
    Ok(Caller { role, user })
}

impl FromRequest for Caller {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let verified = verified(req);
        Box::pin(async move {
            let (state, claims) = verified?;
            authenticate(state, claims).await
        })
    }
}

impl FromRequest for SupportUser {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let verified = verified(req);
        Box::pin(async move {
            let (state, claims) = verified?;
            match claims.role {
                Role::Support => Ok(SupportUser { claims }),
                // 403 only for an account that may still act, else 401.
                Role::Api => {
                    Err(authenticate(state, claims).await.map_or_else(|refused| refused, |_| Problem::forbidden()))
                }
            }
        })
    }
}
