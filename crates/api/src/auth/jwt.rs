//! Access tokens: HS256 JWTs signed with `JWT_SECRET` (contract §4).

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::time::Timestamp;

/// An access token lives for 15 minutes.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// The `aud` of every access token.
pub const AUDIENCE: &str = "users-api";
/// Clock skew tolerated on `exp` and `nbf`, in seconds.
const LEEWAY_SECONDS: u64 = 5;

/// Which part of the service a user may use, from their `api_user` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// DfE staff: the web interface and user administration.
    Support,
    /// API users: their own API clients and provider data.
    Api,
}

impl Role {
    /// The role an account with this `api_user` flag has.
    pub fn of(api_user: bool) -> Self {
        if api_user {
            Self::Api
        } else {
            Self::Support
        }
    }
}

/// The claims of an access token; every one is required.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// `PUBLIC_URL`.
    pub iss: String,
    /// [`AUDIENCE`].
    pub aud: String,
    /// The user's id.
    pub sub: String,
    /// The user's role when the token was issued.
    pub role: Role,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Not before.
    pub nbf: i64,
    /// Expires at.
    pub exp: i64,
    /// A unique id (a UUIDv7).
    pub jti: String,
    /// The user's token generation when the token was issued: it works only
    /// while the user is still at it (deactivation, deletion, a new role and
    /// "sign out everywhere" move it on).
    pub gen: i64,
    /// The browser session the token belongs to: it works only while that
    /// session does (sign-out and a replayed refresh token end it at once).
    pub sid: String,
}

/// Who an access token is for.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The user's id.
    pub user_id: &'a str,
    /// Their role now.
    pub role: Role,
    /// Their token generation now.
    pub generation: i64,
    /// The session the token is issued in.
    pub session_id: &'a str,
}

/// Signs and checks access tokens.
pub struct Jwt {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
}

impl Jwt {
    /// Keys from the secret's bytes; `issuer` is `PUBLIC_URL`.
    pub fn new(secret: &[u8], issuer: &str) -> Self {
        // The algorithm is pinned: a token whose header names any other
        // (`none`, RS256, …) is refused before its signature is looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["iss", "aud", "sub", "exp", "nbf"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.to_owned(),
        }
    }

    /// A new access token for `subject`, and its lifetime in seconds.
    pub fn issue(&self, subject: Subject<'_>, now: Timestamp) -> (String, i64) {
        let iat = now.utc().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: subject.user_id.to_owned(),
            role: subject.role,
            iat,
            nbf: iat,
            exp: iat + ACCESS_TOKEN_SECONDS,
            jti: uuid::Uuid::now_v7().to_string(),
            gen: subject.generation,
            sid: subject.session_id.to_owned(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail");
        (token, ACCESS_TOKEN_SECONDS)
    }

    /// The claims of a valid token; `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation).ok().map(|data| data.claims)
    }
}
