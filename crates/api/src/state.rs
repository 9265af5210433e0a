//! What every handler shares.

use std::sync::Arc;

use crate::auth::oidc::Oidc;
use crate::auth::session::SessionPolicy;
use users_domain::client_token::TokenKey;

use crate::auth::jwt::Jwt;
use crate::config::Config;
use crate::db::Db;
use crate::email::render::MailSettings;
use crate::email::worker::Wake;
use crate::rate_limit::RateLimiter;

/// Application state, behind `web::Data`.
pub struct AppState {
    /// The database pool.
    pub db: Db,
    /// The settings.
    pub config: Arc<Config>,
    /// Token signing and checking.
    pub jwt: Jwt,
    /// The key API client tokens are hashed with.
    pub client_tokens: TokenKey,
    /// The rate limits.
    pub limiter: RateLimiter,
    /// What every email needs.
    pub mail: MailSettings,
    /// Wakes the email worker after a change queues email.
    pub wake: Wake,
    /// How long browser sessions last, and their cookie.
    pub sessions: SessionPolicy,
    /// Request counts and latencies for `/metrics`.
    pub metrics: crate::metrics::Metrics,
    /// Sign-in with the OpenID Connect provider, when configured.
    pub oidc: Option<Oidc>,
    /// API client usage counted and not yet stored.
    pub usage: Arc<crate::usage::UsageTally>,
}

impl AppState {
    /// State for `config` over `db`.
    pub fn new(config: Config, db: Db) -> Self {
        let jwt = Jwt::new(&config.jwt_secret, &config.public_url);
        let mail = MailSettings {
            service_name: config.service_name.clone(),
            sign_in_url: format!("{}/sign-in", config.public_url),
            support_email: config.support_email.clone(),
        };
        let sessions = SessionPolicy {
            idle: chrono::Duration::from_std(config.session_idle).unwrap_or(chrono::Duration::hours(2)),
            lifetime: chrono::Duration::from_std(config.session_lifetime).unwrap_or(chrono::Duration::hours(12)),
            secure: config.secure_cookies(),
        };
        let client_tokens = TokenKey::new(&config.api_client_token_key);
        let limiter = RateLimiter::new(&config);
        let oidc = config.oidc.clone().map(|settings| Oidc::new(settings, config.secure_cookies()));
        Self {
            db,
            config: Arc::new(config),
            jwt,
            client_tokens,
            limiter,
            mail,
            wake: Wake::default(),
            sessions,
            metrics: Default::default(),
            oidc,
            usage: Default::default(),
        }
    }
}
