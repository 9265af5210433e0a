//! Sign-in with an OpenID Connect provider (DfE Sign-in), contract §4.
//!
//! Authorization code with PKCE (S256); a random `state`, bound to the browser
//! that started by a short-lived cookie whose hash is stored with it; a random
//! `nonce` the ID token must carry; the ID token's signature (asymmetric
//! algorithms only, keys from the provider's JWKS), issuer, audience and
//! expiry verified by the `openidconnect` crate. The provider's discovery
//! document and keys are fetched on first use and kept, so the service starts
//! while the provider is down and answers 503 until it is reachable.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::HttpRequest;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
};

use users_domain::DfeEmail;

use crate::config::OidcConfig;
use crate::db::oidc_sign_ins::PendingSignIn;
use crate::problem::Problem;

/// The path the browser-binding cookie is sent to: the two OIDC endpoints.
pub const BROWSER_COOKIE_PATH: &str = "/api/v1/auth/oidc";

/// How long a browser has to come back from the provider.
pub const SIGN_IN_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

/// Where the browser goes when `return_to` is missing or unsafe.
pub const HOME: &str = "/";

/// How long discovery is trusted before it is fetched again (the provider may
/// rotate its signing keys).
const REDISCOVER_AFTER: Duration = Duration::from_secs(3600);

/// After a failed discovery, the provider is not asked again for this long
/// (requests answer 503, or use the previous discovery), so an outage is not
/// made worse.
const RETRY_DISCOVERY_AFTER: Duration = Duration::from_secs(2);

/// ID tokens must be signed with the provider's keys: no `none`, and no HMAC
/// with the client secret.
const SIGNING_ALGORITHMS: [CoreJwsSigningAlgorithm; 8] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
];

/// The client as discovery leaves it: authorization endpoint set, token and
/// userinfo endpoints as the provider advertises them.
pub type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

#[derive(Default)]
struct Discovery {
    client: Option<(Client, Instant)>,
    failed_at: Option<Instant>,
}

/// The configured provider.
pub struct Oidc {
    settings: OidcConfig,
    http: reqwest::Client,
    secure_cookies: bool,
    discovery: Mutex<Discovery>,
}

/// A sign-in about to leave for the provider.
pub struct Begun {
    /// The provider's authorization URL, with every parameter.
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who the provider says signed in. Holds no token.
#[derive(Debug, Clone)]
pub struct Identity {
    /// `sub`: the provider's stable id for the person.
    pub subject: String,
    pub email: Option<String>,
    /// `email_verified`, when the provider says.
    pub email_verified: Option<bool>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

impl Identity {
    /// The address to match and copy: only one the provider says it verified
    /// (`email_verified: true`; absent is not enough), and only if it is a
    /// DfE address by the service's own rule, which is ASCII (so a look-alike
    /// such as the Kelvin sign `\u{212A}` never matches a `k`).
    pub fn verified_email(&self) -> Option<DfeEmail> {
        let email = self.email.as_deref().filter(|_| self.email_verified == Some(true))?;
        DfeEmail::parse(email).ok()
    }
}

impl Oidc {
    /// The provider in `settings`; cookies are `Secure` when `secure_cookies`.
    pub fn new(settings: OidcConfig, secure_cookies: bool) -> Self {
        Self { settings, http: http_client(), secure_cookies, discovery: Mutex::default() }
    }

    /// The discovered client: cached, fetched again after an hour (keeping
    /// the old one if that fails), 503 when the provider has never answered.
    pub async fn client(&self) -> Result<Client, Problem> {
        {
            let discovery = self.discovery.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let recently_failed = discovery.failed_at.is_some_and(|at| at.elapsed() < RETRY_DISCOVERY_AFTER);
            match &discovery.client {
                Some((client, at)) if at.elapsed() < REDISCOVER_AFTER || recently_failed => return Ok(client.clone()),
                None if recently_failed => return Err(Problem::unavailable()),
                _ => {}
            }
        }
        let discovered = self.discover().await;
        let mut discovery = self.discovery.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match discovered {
            Ok(client) => {
                *discovery = Discovery { client: Some((client.clone(), Instant::now())), failed_at: None };
                Ok(client)
            }
            Err(reason) => {
                tracing::warn!(%reason, issuer = %self.settings.issuer_url, "OpenID Connect discovery failed");
                discovery.failed_at = Some(Instant::now());
                // Keep signing people in with what was discovered before.
                discovery.client.as_ref().map(|(client, _)| client.clone()).ok_or_else(Problem::unavailable)
            }
        }
    }

    async fn discover(&self) -> Result<Client, String> {
        let issuer = IssuerUrl::new(self.settings.issuer_url.clone()).map_err(|e| e.to_string())?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http).await.map_err(|e| chain(&e))?;
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone()).map_err(|e| e.to_string())?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// A new authorization request: fresh `state`, `nonce` and PKCE verifier.
    pub fn begin(&self, client: &Client) -> Begun {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Begun {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        }
    }

    /// Swaps `code` for tokens and verifies the ID token against `pending`.
    /// `Err` is the reason, for the log: never a token.
    pub async fn finish(&self, client: &Client, code: &str, pending: &PendingSignIn) -> Result<Identity, String> {
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| format!("the provider has no token endpoint: {e}"))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                RequestTokenError::ServerResponse(answer) => format!("the provider refused the code: {answer}"),
                RequestTokenError::Request(e) => format!("the token request failed: {}", chain(&e)),
                // The body holds tokens: name only where it went wrong.
                RequestTokenError::Parse(e, _) => format!("the token response is not valid at {}", e.path()),
                RequestTokenError::Other(e) => format!("the token request failed: {e}"),
            })?;
        let id_token = openidconnect::TokenResponse::id_token(&response).ok_or("the token response has no ID token")?;
        let verifier = client.id_token_verifier().set_allowed_algs(SIGNING_ALGORITHMS);
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce.clone()))
            .map_err(|e| format!("the ID token is not valid: {}", chain(&e)))?;
        let mut identity = Identity {
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified(),
            given_name: claims.given_name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            family_name: claims.family_name().and_then(|n| n.get(None)).map(|n| n.to_string()),
        };
        // Providers that keep profile claims out of the ID token serve them
        // from the userinfo endpoint, for the same subject.
        if identity.email.is_none() {
            if let Ok(request) = client.user_info(response.access_token().clone(), Some(claims.subject().clone())) {
                let info: CoreUserInfoClaims = request
                    .request_async(&self.http)
                    .await
                    .map_err(|e| format!("the userinfo request failed: {}", chain(&e)))?;
                identity.email = info.email().map(|e| e.to_string());
                identity.email_verified = info.email_verified();
                identity.given_name =
                    identity.given_name.or_else(|| info.given_name().and_then(|n| n.get(None)).map(|n| n.to_string()));
                identity.family_name = identity
                    .family_name
                    .or_else(|| info.family_name().and_then(|n| n.get(None)).map(|n| n.to_string()));
            }
        }
        Ok(identity)
    }

    /// The browser-binding cookie's name: `__Secure-` prefixed whenever it is `Secure`.
    pub fn browser_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Secure-rtp_oidc"
        } else {
            "rtp_oidc"
        }
    }

    /// The cookie binding sign-ins to this browser. `SameSite=Lax`, because
    /// the provider sends the browser back with a cross-site top-level
    /// navigation, which `Strict` cookies do not survive.
    pub fn browser_cookie(&self, value: &str) -> Cookie<'static> {
        Cookie::build(self.browser_cookie_name(), value.to_owned())
            .path(BROWSER_COOKIE_PATH)
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::seconds(SIGN_IN_WINDOW.num_seconds()))
            .finish()
    }

    /// A cookie that makes the browser forget the binding.
    pub fn browser_cookie_removal(&self) -> Cookie<'static> {
        let mut cookie = self.browser_cookie("");
        cookie.make_removal();
        cookie
    }

    /// The binding cookie's value on this request, if any.
    pub fn browser_of(&self, req: &HttpRequest) -> Option<String> {
        req.cookie(self.browser_cookie_name()).map(|c| c.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 128)
    }
}

/// The HTTP client for the provider: no redirects followed, rustls with the
/// aws-lc-rs provider and the Mozilla roots (plain HTTP works too, for a
/// provider on loopback in tests), bounded waits, and no pooled connections
/// (sign-ins are rare, and each Actix worker has its own runtime).
fn http_client() -> reqwest::Client {
    let crypto = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let tls = rustls::ClientConfig::builder_with_provider(crypto)
        .with_safe_default_protocol_versions()
        .expect("aws-lc-rs supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .user_agent(concat!("users-api/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the OpenID Connect HTTP client builds")
}

/// An error and its causes, on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Where to send the browser after signing in: `raw` when it is a path on
/// this origin (one leading `/`, not `//` or `/\`, no backslash or control
/// character anywhere, as browsers turn those into other hosts), and not the
/// API itself; otherwise [`HOME`]. Bytes a `Location` header cannot carry as
/// they are (spaces, non-ASCII) are percent-encoded.
pub fn safe_return_to(raw: Option<&str>) -> String {
    let Some(path) = raw else { return HOME.into() };
    let api = path == "/api" || path.starts_with("/api/") || path.starts_with("/api?") || path.starts_with("/api#");
    let safe = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path.len() <= 2048
        && !api;
    if !safe {
        return HOME.into();
    }
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_to_keeps_paths_of_this_origin() {
        assert_eq!(safe_return_to(Some("/users")), "/users");
        assert_eq!(safe_return_to(Some("/users/0193?page=2#top")), "/users/0193?page=2#top");
        assert_eq!(safe_return_to(Some("/users?q=Zoë Ball")), "/users?q=Zo%C3%AB%20Ball");
    }

    #[test]
    fn return_to_refuses_anything_that_could_leave_the_origin() {
        for raw in [
            None,
            Some(""),
            Some("users"),
            Some("//evil.example"),
            Some("//evil.example/users"),
            Some("/\\evil.example"),
            Some("/users\\..\\\\evil.example"),
            Some("https://evil.example"),
            Some("javascript:alert(1)"),
            Some("/\t/evil.example"),
            Some("/\n/evil.example"),
            Some("/api/v1/auth/oidc/start"),
            Some("/api"),
        ] {
            assert_eq!(safe_return_to(raw), "/", "{raw:?}");
        }
        assert_eq!(safe_return_to(Some(&format!("/{}", "a".repeat(3000)))), "/");
    }

    #[test]
    fn the_binding_cookie_is_http_only_lax_short_lived_and_scoped_to_the_oidc_endpoints() {
        let settings = OidcConfig {
            issuer_url: "https://oidc.example".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            redirect_url: "https://register.example/api/v1/auth/oidc/callback".into(),
        };
        let cookie = Oidc::new(settings.clone(), true).browser_cookie("v").to_string();
        assert!(cookie.starts_with("__Secure-rtp_oidc=v;"), "{cookie}");
        for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/api/v1/auth/oidc", "Max-Age=600"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        let local = Oidc::new(settings, false).browser_cookie("v").to_string();
        assert!(local.starts_with("rtp_oidc=v;") && !local.contains("Secure"), "{local}");
    }
}
