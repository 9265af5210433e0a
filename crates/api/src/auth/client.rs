//! API client tokens as credentials: finding the client a presented token
//! belongs to and deciding whether it may be used now. The extractor for the
//! endpoint they open is [`crate::http::provider_reader`].

use std::net::IpAddr;

use chrono::Duration;

use users_domain::api_client::{ClientAccess, TokenMatch};
use users_domain::client_access::{AllowedIps, Scope, Scopes};
use users_domain::client_token::{hashes_equal, ClientToken, TokenKey};

use crate::db::api_clients;
use crate::db::Conn;
use crate::problem::Problem;
use crate::time::{from_db, Timestamp};

/// `last_used_at` is written at most this often per client.
const LAST_USED_RESOLUTION: Duration = Duration::minutes(1);

/// A request made with a working API client token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCaller {
    /// The client's id.
    pub client_id: String,
    /// Its owner's user id.
    pub owner_id: String,
    /// What the token may do.
    pub scopes: Scopes,
    /// Where the token may be used from.
    pub allowed_ips: AllowedIps,
}

impl ClientCaller {
    /// Lets the request in when it comes from an address the client allows
    /// (`ip`: the client address as the rate limits see it) and the token
    /// has the scope `needed`: 403 otherwise, the address first.
    pub fn admit(&self, ip: Option<IpAddr>, needed: Scope) -> Result<(), Problem> {
        let from_allowed = match ip {
            Some(ip) => self.allowed_ips.permits(ip),
            None => self.allowed_ips == AllowedIps::default(),
        };
        if !from_allowed {
            return Err(Problem::ip_not_allowed());
        }
        if !self.scopes.contains(needed) {
            return Err(Problem::insufficient_scope(needed));
        }
        Ok(())
    }
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
    Ok(Some(ClientCaller {
        client_id: holder.client_id,
        owner_id: holder.owner_id,
        scopes: Scopes::from_text(&holder.scopes),
        allowed_ips: AllowedIps::from_text(&holder.allowed_ips),
    }))
}
