//! Who may read provider data: an API client token, or any signed-in user.
//!
//! The rate-limit middleware authenticates a client token first (it needs the
//! client to know which limit applies) and leaves the outcome in the
//! request's extensions; [`ProviderReader`] uses it, or authenticates itself
//! when it is missing.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};

use users_domain::client_access::Scope;
use users_domain::client_token::is_client_token;

use super::caller::{bearer_token, Caller};
use crate::auth::client::{authenticate, ClientCaller};
use crate::problem::Problem;
use crate::state::AppState;
use crate::time::Timestamp;

/// What became of a client token presented with a request.
#[derive(Debug, Clone)]
pub enum ClientCheck {
    /// It belongs to a client that may be used now.
    Accepted(ClientCaller),
    /// Unknown, malformed, revoked, expired, deleted, past its grace period,
    /// or its owner may not use the service.
    Refused,
    /// The database could not be asked.
    Unavailable,
}

/// Authenticates `credential` on the blocking pool.
pub async fn check(state: &AppState, credential: String) -> ClientCheck {
    let key = state.client_tokens.clone();
    let found = state.db.query(move |conn| authenticate(conn, &key, &credential, Timestamp::now())).await;
    match found {
        Ok(Some(caller)) => ClientCheck::Accepted(caller),
        Ok(None) => ClientCheck::Refused,
        Err(_) => ClientCheck::Unavailable,
    }
}

/// Who may read provider data: an API client token, or any signed-in user.
#[derive(Debug, Clone)]
pub enum ProviderReader {
    /// A request made with an API client token.
    Client(ClientCaller),
    /// A signed-in user of either role.
    User(Box<Caller>),
}

impl FromRequest for ProviderReader {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let credential = bearer_token(req).filter(|c| is_client_token(c));
        let Some(credential) = credential else {
            let caller = Caller::from_request(req, payload);
            return Box::pin(async move { Ok(ProviderReader::User(Box::new(caller.await?))) });
        };
        let client = admitted_client(req, credential, Scope::ProvidersRead);
        Box::pin(async move { Ok(ProviderReader::Client(client.await?)) })
    }
}

/// The client a request's token belongs to, let in for the scope `needed`:
/// the rate-limit middleware's check when it made one, else a check made
/// here; then the client's address and scope ([`ClientCaller::admit`]).
/// 401 for a token that does not work, 503 without the database.
pub fn admitted_client(
    req: &HttpRequest,
    credential: String,
    needed: Scope,
) -> impl Future<Output = Result<ClientCaller, Problem>> + 'static {
    let checked = req.extensions().get::<ClientCheck>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let hops = state.as_ref().map_or(0, |state| state.limiter.trusted_proxy_hops());
    let ip = super::client_ip::client_ip(req, hops);
    async move {
        let checked = match checked {
            Some(checked) => checked,
            None => {
                let state = state.ok_or_else(Problem::internal)?;
                check(&state, credential).await
            }
        };
        let client = match checked {
            ClientCheck::Accepted(client) => client,
            ClientCheck::Refused => return Err(Problem::unauthorized()),
            ClientCheck::Unavailable => return Err(Problem::unavailable()),
        };
        client.admit(ip, needed)?;
        Ok(client)
    }
}
