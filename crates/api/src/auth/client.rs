//! API client tokens as credentials: finding the client a presented token
//! belongs to, and the extractor for the one endpoint they open.
//!
//! The rate-limit middleware authenticates a client token first (it needs the
//! client to know which limit applies) and leaves the outcome in the
//! request's extensions; [`ProviderReader`] uses it, or authenticates itself
//! when it is missing.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};
use chrono::Duration;

use users_domain::api_client::{ClientAccess, TokenMatch};
use users_domain::client_token::{hashes_equal, is_client_token, ClientToken, TokenKey};

use super::{bearer_token, Caller};
use crate::db::api_clients;
use crate::db::Conn;
use crate::problem::Problem;
use crate::state::AppState;
use crate::time::{from_db, Timestamp};

/// `last_used_at` is written at most this often per client.
const LAST_USED_RESOLUTION: Duration = Duration::minutes(1);

/// A request made with a working API client token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCaller {
    /// The client's id.
    pub client_id: String,
}

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

/// Finds the client `credential` belongs to and decides whether it may be
/// used at `now`; records the use (at most once a minute per client).
pub fn authenticate(
    conn: &mut Conn<'_>,
    key: &TokenKey,
    credential: &str,
    now: Timestamp,
) -> diesel::QueryResult<Option<ClientCaller>> {
    // A malformed token or a bad checksum costs no database work.
    let Some(token) = ClientToken::parse(credential) else { return Ok(None) };
    let hash = key.hash(&token);
    let Some(holder) = api_clients::find_by_token_hash(conn, &hash)? else { return Ok(None) };
    let matched = if hashes_equal(&holder.token_hash, &hash) {
        TokenMatch::Current
    } else {
        match (&holder.previous_token_hash, holder.previous_token_valid_until) {
            (Some(previous), Some(until)) if hashes_equal(previous, &hash) => {
                TokenMatch::Previous { valid_until: from_db(until) }
            }
            _ => return Ok(None),
        }
    };
    let expires_on = api_clients::parse_date(&holder.expires_on);
    let access = ClientAccess { revoked: holder.revoked, expires_on, owner_active: holder.owner_active, matched };
    if !access.allows(now.utc()) {
        return Ok(None);
    }
    let not_since = Timestamp::from(now.utc() - LAST_USED_RESOLUTION);
    if holder.last_used_at.is_none_or(|at| at < not_since.db()) {
        api_clients::record_use(conn, &holder.client_id, now, not_since)?;
    }
    Ok(Some(ClientCaller { client_id: holder.client_id }))
}

/// Authenticates `credential` on the blocking pool.
pub async fn check(state: &AppState, credential: String) -> ClientCheck {
    let key = state.client_tokens.clone();
    let found = state.db.run(move |conn| Ok(authenticate(conn, &key, &credential, Timestamp::now())?)).await;
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
        let checked = req.extensions().get::<ClientCheck>().cloned();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let checked = match checked {
                Some(checked) => checked,
                None => {
                    let state = state.ok_or_else(Problem::internal)?;
                    check(&state, credential).await
                }
            };
            match checked {
                ClientCheck::Accepted(caller) => Ok(ProviderReader::Client(caller)),
                ClientCheck::Refused => Err(Problem::unauthorized()),
                ClientCheck::Unavailable => Err(Problem::unavailable()),
            }
        })
    }
}
