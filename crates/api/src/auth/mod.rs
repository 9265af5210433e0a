//! Who is calling: extractors that make a handler's signature say which role
//! may call it. Every request re-checks the account, so a deactivated,
//! deleted or re-roled user is refused at once, whatever the token's expiry.

pub mod client;
pub mod jwt;
pub mod oidc;
pub mod session;
pub mod throttle;

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

pub use client::{ClientCaller, ProviderReader};
pub use jwt::{Jwt, Role};

use crate::db::users::{self, UserRow};
use crate::problem::Problem;
use crate::state::AppState;

/// A signed-in user of either role, their account checked on this request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account as stored now.
    pub user: UserRow,
    /// Their role (it matches the account's `api_user` flag).
    pub role: Role,
}

/// A signed-in support user: anyone else gets 401 (not signed in) or 403.
#[derive(Debug, Clone)]
pub struct SupportUser(pub Caller);

impl SupportUser {
    /// The caller's user id.
    pub fn id(&self) -> &str {
        &self.0.user.id
    }
}

/// The credential of an `Authorization: Bearer` header, if any.
pub(crate) fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}

async fn authenticate(state: web::Data<AppState>, token: Option<String>) -> Result<Caller, Problem> {
    let claims = token
        .and_then(|t| state.jwt.verify(&t))
        .filter(|c| users_domain::ids::is_uuid(&c.sub))
        .ok_or_else(Problem::unauthorized)?;
    let id = claims.sub.clone();
    let user = state.db.run(move |conn| Ok(users::find(conn, &id)?)).await?.ok_or_else(Problem::unauthorized)?;
    let revoked = user.tokens_revoked_before.as_deref().is_some_and(|before| claims.jti.as_str() <= before);
    if !user.active || Role::of(user.api_user) != claims.role || revoked {
        return Err(Problem::unauthorized());
    }
    Ok(Caller { role: claims.role, user })
}

impl FromRequest for Caller {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move { authenticate(state.ok_or_else(Problem::internal)?, token).await })
    }
}

impl FromRequest for SupportUser {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            match caller.role {
                Role::Support => Ok(SupportUser(caller)),
                Role::Api => Err(Problem::forbidden()),
            }
        })
    }
}
