//! Every setting, read once from the environment at start-up. A bad value
//! stops the service with the variable's name and what is wrong.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use rand::RngCore;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `postgres://…` or `postgresql://…`
    Postgres(String),
    /// `sqlite://PATH` (relative) or `sqlite:///PATH` (absolute)
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    /// Parses `DATABASE_URL`.
    pub fn parse(value: &str) -> Result<Self, String> {
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Ok(Self::Postgres(value.to_owned()))
        } else if let Some(path) = value.strip_prefix("sqlite://") {
            if path.is_empty() {
                Err("a sqlite:// URL needs a file path, like sqlite://data/users.db".into())
            } else {
                Ok(Self::Sqlite(PathBuf::from(path)))
            }
        } else {
            Err("must start with postgres://, postgresql:// or sqlite://".into())
        }
    }
}

/// `APP_ENV`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    /// Local development and tests: dev sign-in on by default, a generated JWT secret.
    Development,
    /// Production: every secret must be given; dev sign-in cannot be turned on.
    Production,
}

/// `LOG_FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Pretty,
}

/// The service's settings.
#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`, default `sqlite://data/users.db`.
    pub database_url: DatabaseUrl,
    /// `BIND`, default `127.0.0.1:8080`.
    pub bind: String,
    /// `PUBLIC_URL`, default `http://` + `BIND`: the JWT issuer and allowed origin.
    pub public_url: String,
    /// `APP_ENV`, default `development`.
    pub app_env: AppEnv,
    /// `JWT_SECRET` as UTF-8 bytes, at least 32.
    pub jwt_secret: Vec<u8>,
    /// `AUTH_DEV_SIGN_IN`, default on in development only.
    pub auth_dev_sign_in: bool,
    /// `SERVICE_NAME`, default `Register of training providers`.
    pub service_name: String,
    /// `CORS_ORIGINS`: comma-separated origins allowed besides `PUBLIC_URL`.
    pub cors_origins: Vec<String>,
    /// `LOG_FORMAT`, default `pretty` in development, `json` in production.
    pub log_format: LogFormat,
    /// `DB_POOL_SIZE`, default 10.
    pub db_pool_size: u32,
    /// `DB_POOL_TIMEOUT_MS`, default 3000: after this, a request answers 503.
    pub db_pool_timeout: Duration,
    /// `SHUTDOWN_GRACE`, default `10s`: after SIGTERM, how long requests in
    /// flight may take to finish before the process exits anyway.
    pub shutdown_grace: Duration,
    /// `STATIC_DIR`, default `frontend/dist`: the built SPA.
    pub static_dir: PathBuf,
    /// `DATA_DIR`, default `data`: where development keeps generated secrets.
    pub data_dir: PathBuf,
    /// `SMTP_URL`: `smtp://host:port` or `smtps://user:pass@host`; unset
    /// writes `.eml` files to `MAIL_DIR` instead.
    pub smtp_url: Option<String>,
    /// `MAIL_DIR`, default `DATA_DIR/mail`.
    pub mail_dir: PathBuf,
    /// `MAIL_FROM`: a bare address or `Name <address>`.
    pub mail_from: Mailbox,
    /// `SUPPORT_EMAIL`: who a removed user may contact.
    pub support_email: String,
    /// `EMAIL_MAX_ATTEMPTS`, default 10.
    pub email_max_attempts: u32,
    /// `EMAIL_RETRY_BASE_MS`, default 1000: the first retry's delay.
    pub email_retry_base: Duration,
    /// `EMAIL_POLL_MS`, default 1000: how often the worker looks for due email.
    pub email_poll: Duration,
    /// `EMAIL_CLAIM_LEASE`, default `5m`: how long a worker's claim on the
    /// emails it is sending lasts unless renewed.
    pub email_claim_lease: Duration,
    /// `SESSION_IDLE_MINUTES`, default 120: a session unused this long ends.
    pub session_idle: Duration,
    /// `SESSION_LIFETIME_HOURS`, default 12: a session ends this long after sign-in.
    pub session_lifetime: Duration,
    /// `SIGN_IN_RATE_LIMIT`, default 120: sign-in attempts a minute per address.
    pub sign_in_rate_limit: u32,
    /// `ACTIVITY_RETENTION_DAYS`: `prune-activity` removes older entries;
    /// unset keeps activity forever.
    pub activity_retention_days: Option<u32>,
    /// `API_CLIENT_TOKEN_KEY` as UTF-8 bytes, at least 32: the HMAC key for
    /// stored API client token hashes.
    pub api_client_token_key: Vec<u8>,
    /// `API_CLIENT_ROTATION_GRACE`, default `24h`: how long a rotated-out
    /// token keeps working.
    pub api_client_rotation_grace: Duration,
    /// `API_CLIENT_DEFAULT_LIFETIME_MONTHS` (default 6) and
    /// `API_CLIENT_MAX_LIFETIME_MONTHS` (default 12, at most 24): how long a
    /// new client lives unless told, and at most.
    pub api_client_lifetimes: users_domain::api_client::Lifetimes,
    /// `API_CLIENT_USAGE_FLUSH`, default `5s` (at most `10s`): how often each
    /// process stores the API client usage it has counted.
    pub api_client_usage_flush: Duration,
    /// `API_CLIENT_EXPIRY_REMINDER_DAYS`, default `30,7`: how many days
    /// before an API client expires its owner is reminded (empty: never).
    pub api_client_reminder_days: Vec<u32>,
    /// `API_CLIENT_REMINDER_INTERVAL`, default `1h`: how often each process
    /// looks for reminders due.
    pub api_client_reminder_interval: Duration,
    /// `RATE_LIMIT_PER_TOKEN`, default 300: requests per rolling minute per API client token.
    pub rate_limit_per_token: u32,
    /// `RATE_LIMIT_PER_IP`, default 100: requests per rolling minute per
    /// client IP to `/api/v1` without valid credentials.
    pub rate_limit_per_ip: u32,
    /// `TRUSTED_PROXY_HOPS`, default 0: how many proxies in front of the
    /// service append to `X-Forwarded-For`; 0 uses the connection's address.
    pub trusted_proxy_hops: u32,
    /// Sign-in with an OpenID Connect provider (DfE Sign-in), when configured.
    pub oidc: Option<OidcConfig>,
    /// `METRICS_TOKEN`: the bearer token `/metrics` asks for (required in
    /// production; without it, in development, `/metrics` is open).
    pub metrics_token: Option<String>,
    /// `DB_STATEMENT_TIMEOUT`, default `5s`: PostgreSQL cuts a statement off
    /// after this (the request answers 503), so none holds a connection longer.
    pub db_statement_timeout: Duration,
    /// `OUTBOX_RETENTION_DAYS`, default 30: sent and failed emails are pruned
    /// this long after they were queued.
    pub outbox_retention_days: u32,
    /// `PRUNE_INTERVAL`, default `1h`: how often each process sweeps out
    /// expired sessions, sign-ins, old rate-limit counters, emails and activity.
    pub prune_interval: Duration,
}

/// `OIDC_*`: the OpenID Connect provider and this service's registration with it.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// `OIDC_ISSUER_URL`: discovery starts at `<issuer>/.well-known/openid-configuration`.
    pub issuer_url: String,
    /// `OIDC_CLIENT_ID`.
    pub client_id: String,
    /// `OIDC_CLIENT_SECRET`.
    pub client_secret: String,
    /// `OIDC_REDIRECT_URL`, default `PUBLIC_URL` + `/api/v1/auth/oidc/callback`.
    pub redirect_url: String,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}

/// Where the provider sends the browser back, unless `OIDC_REDIRECT_URL` says otherwise.
pub const OIDC_CALLBACK_PATH: &str = "/api/v1/auth/oidc/callback";

/// Reads the `OIDC_*` settings: all of them or none.
fn oidc(
    get: &impl Fn(&str) -> Option<String>,
    public_url: &str,
    app_env: AppEnv,
) -> Result<Option<OidcConfig>, ConfigError> {
    const REQUIRED: [&str; 3] = ["OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"];
    let given: Vec<Option<String>> = REQUIRED.iter().map(|name| get(name)).collect();
    if given.iter().all(Option::is_none) {
        return match get("OIDC_REDIRECT_URL") {
            Some(_) => Err(error("OIDC_ISSUER_URL", "must be set when OIDC_REDIRECT_URL is set")),
            None => Ok(None),
        };
    }
    if let Some(missing) = REQUIRED.iter().zip(&given).find_map(|(name, value)| value.is_none().then_some(*name)) {
        return Err(error(
            missing,
            "must be set with the other OIDC settings (OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: all or none)",
        ));
    }
    let [issuer_url, client_id, client_secret] = [0, 1, 2].map(|i| given[i].clone().unwrap_or_default());
    if openidconnect::IssuerUrl::new(issuer_url.clone()).is_err()
        || !(issuer_url.starts_with("https://") || issuer_url.starts_with("http://"))
    {
        return Err(error("OIDC_ISSUER_URL", "must be an http:// or https:// URL"));
    }
    if app_env == AppEnv::Production && !issuer_url.starts_with("https://") {
        return Err(error("OIDC_ISSUER_URL", "must start with https:// when APP_ENV is production"));
    }
    let redirect_url = get("OIDC_REDIRECT_URL").unwrap_or_else(|| format!("{public_url}{OIDC_CALLBACK_PATH}"));
    if openidconnect::RedirectUrl::new(redirect_url.clone()).is_err()
        || !(redirect_url.starts_with("https://") || redirect_url.starts_with("http://"))
    {
        return Err(error("OIDC_REDIRECT_URL", "must be an http:// or https:// URL"));
    }
    Ok(Some(OidcConfig { issuer_url, client_id, client_secret, redirect_url }))
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &"(hidden)")
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("app_env", &self.app_env)
            .field("jwt_secret", &"(hidden)")
            .field("auth_dev_sign_in", &self.auth_dev_sign_in)
            .field("api_client_token_key", &"(hidden)")
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "(hidden)"))
            .field("oidc", &self.oidc)
            .finish_non_exhaustive()
    }
}

/// A setting that cannot be used, and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    /// The environment variable.
    pub variable: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

fn error(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { variable, problem: problem.into() }
}

/// The shortest JWT secret accepted, in bytes.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

impl Config {
    /// Whether cookies must be `Secure`: always, except over plain HTTP on a
    /// loopback address (local development and tests).
    pub fn secure_cookies(&self) -> bool {
        let Some(rest) = self.public_url.strip_prefix("http://") else { return true };
        let host = rest.split('/').next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        !matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    }

    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a test's map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let app_env = match get("APP_ENV").as_deref() {
            None | Some("development") => AppEnv::Development,
            Some("production") => AppEnv::Production,
            Some(other) => return Err(error("APP_ENV", format!("must be development or production, not {other:?}"))),
        };
        let database_url = DatabaseUrl::parse(&get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/users.db".into()))
            .map_err(|p| error("DATABASE_URL", p))?;
        let bind = get("BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        if bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(error("BIND", "must be an address and port, like 127.0.0.1:8080"));
        }
        let public_url = get("PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        let public_url = public_url.trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(error("PUBLIC_URL", "must start with http:// or https://"));
        }
        let loopback = is_loopback(&bind);
        // Off by default wherever it could be reached from another machine.
        let auth_dev_sign_in = match get("AUTH_DEV_SIGN_IN").as_deref() {
            None => app_env == AppEnv::Development && loopback,
            Some("true") => true,
            Some("false") => false,
            Some(_) => return Err(error("AUTH_DEV_SIGN_IN", "must be true or false")),
        };
        if auth_dev_sign_in && app_env == AppEnv::Production {
            return Err(error("AUTH_DEV_SIGN_IN", "cannot be true when APP_ENV is production"));
        }
        if auth_dev_sign_in && !loopback {
            return Err(error(
                "AUTH_DEV_SIGN_IN",
                format!(
                    "cannot be true when BIND is not a loopback address (BIND is {bind}): development sign-in \
                     gives a token for any account without a password"
                ),
            ));
        }
        let data_dir = PathBuf::from(get("DATA_DIR").unwrap_or_else(|| "data".into()));
        let secret = |variable: &'static str| -> Result<Option<String>, ConfigError> {
            match get(variable) {
                Some(value) if app_env == AppEnv::Production && is_placeholder(&value) => {
                    Err(error(variable, "looks like a placeholder; set a random value when APP_ENV is production"))
                }
                other => Ok(other),
            }
        };
        let jwt_secret = match (secret("JWT_SECRET")?, app_env) {
            (Some(secret), _) if secret.len() >= MIN_JWT_SECRET_BYTES => secret.into_bytes(),
            (Some(_), _) => return Err(error("JWT_SECRET", format!("must be at least {MIN_JWT_SECRET_BYTES} bytes"))),
            (None, AppEnv::Production) => return Err(error("JWT_SECRET", "must be set when APP_ENV is production")),
            (None, AppEnv::Development) => development_secret(&data_dir).map_err(|p| error("JWT_SECRET", p))?,
        };
        let api_client_token_key = match (secret("API_CLIENT_TOKEN_KEY")?, app_env) {
            (Some(key), _) if key.len() >= MIN_JWT_SECRET_BYTES => key.into_bytes(),
            (Some(_), _) => {
                return Err(error("API_CLIENT_TOKEN_KEY", format!("must be at least {MIN_JWT_SECRET_BYTES} bytes")))
            }
            (None, AppEnv::Production) => {
                return Err(error("API_CLIENT_TOKEN_KEY", "must be set when APP_ENV is production"))
            }
            // Development: derived from the JWT secret, so it is as stable as that is.
            (None, AppEnv::Development) => users_domain::client_token::derive_key(&jwt_secret),
        };
        let api_client_rotation_grace = match get("API_CLIENT_ROTATION_GRACE") {
            None => Duration::from_secs(24 * 60 * 60),
            Some(text) => parse_duration(&text).filter(|d| *d <= MAX_ROTATION_GRACE).ok_or_else(|| {
                error("API_CLIENT_ROTATION_GRACE", "must be a duration up to 30d, like 24h, 90m or 90s")
            })?,
        };
        let longest = number(&get, "API_CLIENT_MAX_LIFETIME_MONTHS", 12, 1..=LONGEST_LIFETIME_MONTHS)?;
        let default_lifetime = number(&get, "API_CLIENT_DEFAULT_LIFETIME_MONTHS", 6.min(longest), 1..=longest)?;
        let api_client_lifetimes = Lifetimes::new(default_lifetime, longest).ok_or_else(|| {
            error("API_CLIENT_DEFAULT_LIFETIME_MONTHS", "must be no longer than the longest lifetime")
        })?;
        let api_client_usage_flush = match get("API_CLIENT_USAGE_FLUSH") {
            None => Duration::from_secs(5),
            Some(text) => parse_duration(&text)
                .filter(|d| *d <= Duration::from_secs(10) && !d.is_zero())
                .ok_or_else(|| error("API_CLIENT_USAGE_FLUSH", "must be a duration up to 10s, like 5s or 500ms"))?,
        };
        let api_client_reminder_days = match get("API_CLIENT_EXPIRY_REMINDER_DAYS") {
            None => vec![30, 7],
            Some(text) => parse_day_counts(&text).ok_or_else(|| {
                error("API_CLIENT_EXPIRY_REMINDER_DAYS", "must be whole numbers of days from 1 to 365, like 30,7")
            })?,
        };
        let api_client_reminder_interval = match get("API_CLIENT_REMINDER_INTERVAL") {
            None => Duration::from_secs(60 * 60),
            Some(text) => parse_duration(&text)
                .filter(|d| !d.is_zero() && *d <= Duration::from_secs(24 * 60 * 60))
                .ok_or_else(|| error("API_CLIENT_REMINDER_INTERVAL", "must be a duration up to 1d, like 1h or 30s"))?,
        };
        let log_format = match get("LOG_FORMAT").as_deref() {
            None if app_env == AppEnv::Production => LogFormat::Json,
            None => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(_) => return Err(error("LOG_FORMAT", "must be json or pretty")),
        };
        let cors_origins = get("CORS_ORIGINS")
            .map(|v| {
                v.split(',').map(|o| o.trim().trim_end_matches('/').to_owned()).filter(|o| !o.is_empty()).collect()
            })
            .unwrap_or_default();
        let db_pool_size = number(&get, "DB_POOL_SIZE", 10, 1..=1000)?;
        let db_pool_timeout = Duration::from_millis(number(&get, "DB_POOL_TIMEOUT_MS", 3000, 100..=60_000)?.into());
        let shutdown_grace = match get("SHUTDOWN_GRACE") {
            None => Duration::from_secs(10),
            Some(text) => parse_duration(&text)
                .filter(|d| *d <= MAX_SHUTDOWN_GRACE)
                .ok_or_else(|| error("SHUTDOWN_GRACE", "must be a duration up to 5m, like 10s or 1m"))?,
        };
        let service_name = get("SERVICE_NAME").unwrap_or_else(|| "Register of training providers".into());
        let smtp_url = get("SMTP_URL");
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(error("SMTP_URL", "must start with smtp:// or smtps://"));
            }
        }
        let mail_from = get("MAIL_FROM")
            .unwrap_or_else(|| format!("{service_name} <no-reply@education.gov.uk>"))
            .parse::<Mailbox>()
            .map_err(|_| {
                error("MAIL_FROM", "must be an address, or a name and an address like Name <name@example.org>")
            })?;
        let support_email = get("SUPPORT_EMAIL").unwrap_or_else(|| "becoming.a.provider@education.gov.uk".into());
        if support_email.parse::<lettre::Address>().is_err() {
            return Err(error("SUPPORT_EMAIL", "must be an email address"));
        }
        let mail_dir = get("MAIL_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("mail"));
        if app_env == AppEnv::Production && !public_url.starts_with("https://") {
            return Err(error("PUBLIC_URL", "must start with https:// when APP_ENV is production"));
        }
        secret("OIDC_CLIENT_SECRET")?;
        let oidc = oidc(&get, &public_url, app_env)?;
        let metrics_token = match (secret("METRICS_TOKEN")?, app_env) {
            (Some(token), _) if token.len() >= MIN_JWT_SECRET_BYTES => Some(token),
            (Some(_), _) => {
                return Err(error("METRICS_TOKEN", format!("must be at least {MIN_JWT_SECRET_BYTES} bytes")))
            }
            (None, AppEnv::Production) => return Err(error("METRICS_TOKEN", "must be set when APP_ENV is production")),
            (None, AppEnv::Development) => None,
        };
        let db_statement_timeout = match get("DB_STATEMENT_TIMEOUT") {
            None => Duration::from_secs(5),
            Some(text) => parse_duration(&text)
                .filter(|d| (Duration::from_millis(10)..=Duration::from_secs(3600)).contains(d))
                .ok_or_else(|| error("DB_STATEMENT_TIMEOUT", "must be a duration from 10ms to 1h, like 5s or 500ms"))?,
        };
        let prune_interval = match get("PRUNE_INTERVAL") {
            None => Duration::from_secs(3600),
            Some(text) => parse_duration(&text)
                .filter(|d| (Duration::from_secs(1)..=Duration::from_secs(86_400)).contains(d))
                .ok_or_else(|| error("PRUNE_INTERVAL", "must be a duration from 1s to 1d, like 1h or 30s"))?,
        };
        Ok(Self {
            database_url,
            bind,
            public_url,
            app_env,
            jwt_secret,
            auth_dev_sign_in,
            service_name,
            cors_origins,
            log_format,
            db_pool_size,
            db_pool_timeout,
            shutdown_grace,
            static_dir: PathBuf::from(get("STATIC_DIR").unwrap_or_else(|| "frontend/dist".into())),
            data_dir,
            smtp_url,
            mail_dir,
            mail_from,
            support_email,
            email_max_attempts: number(&get, "EMAIL_MAX_ATTEMPTS", 10, 1..=100)?,
            email_retry_base: Duration::from_millis(number(&get, "EMAIL_RETRY_BASE_MS", 1000, 10..=60_000)?.into()),
            email_poll: Duration::from_millis(number(&get, "EMAIL_POLL_MS", 1000, 10..=60_000)?.into()),
            email_claim_lease: match get("EMAIL_CLAIM_LEASE") {
                None => Duration::from_secs(5 * 60),
                Some(text) => parse_duration(&text)
                    .filter(|d| (Duration::from_secs(1)..=Duration::from_secs(60 * 60)).contains(d))
                    .ok_or_else(|| error("EMAIL_CLAIM_LEASE", "must be a duration from 1s to 1h, like 5m or 30s"))?,
            },
            session_idle: Duration::from_secs(60 * u64::from(number(&get, "SESSION_IDLE_MINUTES", 120, 1..=1440)?)),
            session_lifetime: Duration::from_secs(
                3600 * u64::from(number(&get, "SESSION_LIFETIME_HOURS", 12, 1..=720)?),
            ),
            sign_in_rate_limit: number(&get, "SIGN_IN_RATE_LIMIT", 120, 1..=100_000)?,
            activity_retention_days: match get("ACTIVITY_RETENTION_DAYS") {
                None => None,
                Some(_) => Some(number(&get, "ACTIVITY_RETENTION_DAYS", 0, 1..=36_500)?),
            },
            api_client_token_key,
            api_client_rotation_grace,
            api_client_lifetimes,
            api_client_usage_flush,
            api_client_reminder_days,
            api_client_reminder_interval,
            rate_limit_per_token: number(&get, "RATE_LIMIT_PER_TOKEN", 300, 1..=1_000_000)?,
            rate_limit_per_ip: number(&get, "RATE_LIMIT_PER_IP", 100, 1..=1_000_000)?,
            trusted_proxy_hops: number(&get, "TRUSTED_PROXY_HOPS", 0, 0..=10)?,
            oidc,
            metrics_token,
            db_statement_timeout,
            outbox_retention_days: number(&get, "OUTBOX_RETENTION_DAYS", 30, 1..=3650)?,
            prune_interval,
        })
    }
}

use users_domain::api_client::{Lifetimes, LONGEST_LIFETIME_MONTHS};

/// `30,7`: whole numbers of days from 1 to 365, any order, repeats once;
/// an empty text is no reminders.
fn parse_day_counts(text: &str) -> Option<Vec<u32>> {
    let mut days = Vec::new();
    for part in text.split(',').map(str::trim).filter(|part| !part.is_empty()) {
        let day = part.parse::<u32>().ok().filter(|d| (1..=365).contains(d))?;
        if !days.contains(&day) {
            days.push(day);
        }
    }
    Some(days)
}

fn number(
    get: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    match get(variable) {
        None => Ok(default),
        Some(text) => text.parse::<u32>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
            error(variable, format!("must be a whole number from {} to {}", range.start(), range.end()))
        }),
    }
}

/// The longest shutdown grace accepted: an orchestrator kills a process that
/// takes longer anyway.
const MAX_SHUTDOWN_GRACE: Duration = Duration::from_secs(5 * 60);

/// The longest rotation grace period accepted.
const MAX_ROTATION_GRACE: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A duration written as a whole number and a unit: `500ms`, `90s`, `15m`,
/// `24h`, `7d`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let (digits, millis_per_unit) = if let Some(digits) = text.strip_suffix("ms") {
        (digits, 1)
    } else {
        let unit = text.chars().last()?;
        let millis_per_unit = match unit {
            's' => 1000,
            'm' => 60 * 1000,
            'h' => 60 * 60 * 1000,
            'd' => 24 * 60 * 60 * 1000,
            _ => return None,
        };
        (&text[..text.len() - 1], millis_per_unit)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(millis_per_unit).map(Duration::from_millis)
}

/// Whether `bind` listens only on this machine (127.0.0.0/8 or ::1).
fn is_loopback(bind: &str) -> bool {
    bind.parse::<std::net::SocketAddr>().is_ok_and(|addr| addr.ip().is_loopback())
}

/// Values copied from an example rather than generated: production refuses
/// them, whatever their length.
fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let words = ["change-me", "changeme", "change_me", "replace-me", "replaceme", "placeholder", "example", "your-"];
    words.iter().any(|w| lower.contains(w)) || value.chars().all(|c| value.starts_with(c))
}

/// Development only: a random secret, generated once and kept in
/// `DATA_DIR/jwt-secret` so tokens survive a restart. The file is created
/// readable by this user only, and exclusively: of two processes starting at
/// once, one writes it and the other reads what the first wrote, so both sign
/// with the same key.
fn development_secret(data_dir: &Path) -> Result<Vec<u8>, String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    let path = data_dir.join("jwt-secret");
    let read = || -> Option<Vec<u8>> {
        let secret = std::fs::read_to_string(&path).ok()?;
        (secret.trim().len() >= MIN_JWT_SECRET_BYTES).then(|| secret.trim().as_bytes().to_vec())
    };
    if let Some(secret) = read() {
        return Ok(secret);
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // Written under a name of its own, then linked into place: `hard_link`
    // fails if the secret exists, so no reader ever sees a half-written file.
    let partial = data_dir.join(format!(".jwt-secret.{}.{:016x}", std::process::id(), rand::rng().next_u64()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .and_then(|mut file| file.write_all(secret.as_bytes()).and_then(|()| file.sync_all()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(format!("cannot write {}: {e}", partial.display()));
    }
    let linked = std::fs::hard_link(&partial, &path);
    let _ = std::fs::remove_file(&partial);
    match linked {
        Ok(()) => Ok(secret.into_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read().ok_or_else(|| format!("{} exists but holds no usable secret", path.display()))
        }
        Err(e) => Err(format!("cannot write {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn production_refuses_to_start_without_a_long_enough_secret() {
        assert_eq!(config(&[("APP_ENV", "production")]).unwrap_err().variable, "JWT_SECRET");
        let short = config(&[("APP_ENV", "production"), ("JWT_SECRET", "short")]).unwrap_err();
        assert_eq!(short.to_string(), "JWT_SECRET: must be at least 32 bytes");
    }

    #[test]
    fn production_refuses_dev_sign_in() {
        let err =
            config(&[("APP_ENV", "production"), ("JWT_SECRET", SECRET), ("AUTH_DEV_SIGN_IN", "true")]).unwrap_err();
        assert_eq!(err.to_string(), "AUTH_DEV_SIGN_IN: cannot be true when APP_ENV is production");
        let ok = config(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", SECRET),
            ("API_CLIENT_TOKEN_KEY", SECRET),
            ("METRICS_TOKEN", SECRET),
            ("PUBLIC_URL", "https://register.education.gov.uk"),
        ])
        .unwrap();
        assert!(!ok.auth_dev_sign_in);
        assert_eq!(ok.log_format, LogFormat::Json);
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (variable, value) in [
            ("DATABASE_URL", "mysql://x"),
            ("BIND", "nowhere"),
            ("PUBLIC_URL", "ftp://x"),
            ("AUTH_DEV_SIGN_IN", "yes"),
            ("LOG_FORMAT", "xml"),
            ("DB_POOL_SIZE", "0"),
            ("APP_ENV", "staging"),
            ("SMTP_URL", "http://mail"),
            ("MAIL_FROM", "not an address"),
            ("EMAIL_MAX_ATTEMPTS", "0"),
            ("SHUTDOWN_GRACE", "10"),
            ("SHUTDOWN_GRACE", "6m"),
        ] {
            let err = config(&[(variable, value), ("JWT_SECRET", SECRET)]).unwrap_err();
            assert_eq!(err.variable, variable);
        }
    }

    #[test]
    fn cookies_are_secure_except_over_http_on_loopback() {
        let with = |url: &str| config(&[("JWT_SECRET", SECRET), ("PUBLIC_URL", url)]).unwrap().secure_cookies();
        assert!(!with("http://127.0.0.1:8080"));
        assert!(!with("http://localhost"));
        assert!(with("https://register.education.gov.uk"));
        assert!(with("http://register.example"));
    }

    #[test]
    fn production_needs_its_own_api_client_token_key() {
        let err = config(&[("APP_ENV", "production"), ("JWT_SECRET", SECRET)]).unwrap_err();
        assert_eq!(err.to_string(), "API_CLIENT_TOKEN_KEY: must be set when APP_ENV is production");
        let short = config(&[("JWT_SECRET", SECRET), ("API_CLIENT_TOKEN_KEY", "short")]).unwrap_err();
        assert_eq!(short.to_string(), "API_CLIENT_TOKEN_KEY: must be at least 32 bytes");
    }

    #[test]
    fn durations_take_a_unit() {
        assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("2d"), Some(Duration::from_secs(172_800)));
        assert_eq!(parse_duration("0s"), Some(Duration::ZERO));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        for bad in ["", "h", "24", "24 h", "-5s", "1.5h", "24hours", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rate_limits_and_grace_have_defaults_and_name_their_variable() {
        let c = config(&[("JWT_SECRET", SECRET)]).unwrap();
        assert_eq!(c.api_client_token_key, users_domain::client_token::derive_key(SECRET.as_bytes()));
        assert_eq!((c.rate_limit_per_token, c.rate_limit_per_ip, c.trusted_proxy_hops), (300, 100, 0));
        assert_eq!(c.api_client_rotation_grace, Duration::from_secs(86_400));
        assert_eq!(c.api_client_lifetimes, Lifetimes::default());
        let short = config(&[("JWT_SECRET", SECRET), ("API_CLIENT_MAX_LIFETIME_MONTHS", "3")]).unwrap();
        assert_eq!(short.api_client_lifetimes, Lifetimes::new(3, 3).unwrap(), "the default fits inside the longest");
        assert_eq!(
            (c.api_client_reminder_days.as_slice(), c.api_client_reminder_interval),
            (&[30, 7][..], Duration::from_secs(3600))
        );
        let custom = config(&[("JWT_SECRET", SECRET), ("API_CLIENT_EXPIRY_REMINDER_DAYS", " 14, 3,14 ")]).unwrap();
        assert_eq!(custom.api_client_reminder_days, [14, 3]);
        for (variable, value) in [
            ("API_CLIENT_EXPIRY_REMINDER_DAYS", "30,soon"),
            ("API_CLIENT_EXPIRY_REMINDER_DAYS", "0"),
            ("API_CLIENT_REMINDER_INTERVAL", "0s"),
            ("API_CLIENT_MAX_LIFETIME_MONTHS", "25"),
            ("API_CLIENT_MAX_LIFETIME_MONTHS", "0"),
            ("API_CLIENT_ROTATION_GRACE", "soon"),
            ("API_CLIENT_ROTATION_GRACE", "31d"),
            ("RATE_LIMIT_PER_TOKEN", "0"),
            ("RATE_LIMIT_PER_IP", "many"),
            ("TRUSTED_PROXY_HOPS", "11"),
        ] {
            let err = config(&[(variable, value), ("JWT_SECRET", SECRET)]).unwrap_err();
            assert_eq!(err.variable, variable);
        }
    }

    #[test]
    fn oidc_is_off_until_configured_and_its_redirect_defaults_to_the_public_url() {
        assert_eq!(config(&[("JWT_SECRET", SECRET)]).unwrap().oidc, None);
        let c = config(&[
            ("JWT_SECRET", SECRET),
            ("PUBLIC_URL", "https://register.education.gov.uk/"),
            ("OIDC_ISSUER_URL", "https://oidc.signin.education.gov.uk/"),
            ("OIDC_CLIENT_ID", "register"),
            ("OIDC_CLIENT_SECRET", "shh"),
        ])
        .unwrap();
        let oidc = c.oidc.unwrap();
        assert_eq!(oidc.issuer_url, "https://oidc.signin.education.gov.uk/", "kept as given: discovery compares it");
        assert_eq!(oidc.redirect_url, "https://register.education.gov.uk/api/v1/auth/oidc/callback");
        assert!(!format!("{oidc:?}").contains("shh"), "the secret is never logged");
    }

    #[test]
    fn oidc_settings_are_all_or_none_and_name_what_is_missing_or_wrong() {
        let full = [
            ("JWT_SECRET", SECRET),
            ("OIDC_ISSUER_URL", "https://oidc.example"),
            ("OIDC_CLIENT_ID", "register"),
            ("OIDC_CLIENT_SECRET", "shh"),
        ];
        for missing in ["OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] {
            let partial: Vec<_> = full.iter().copied().filter(|(k, _)| *k != missing).collect();
            assert_eq!(config(&partial).unwrap_err().variable, missing);
        }
        let redirect_alone = config(&[("JWT_SECRET", SECRET), ("OIDC_REDIRECT_URL", "https://x/cb")]).unwrap_err();
        assert_eq!(redirect_alone.variable, "OIDC_ISSUER_URL");
        let with = |pairs: &[(&'static str, &'static str)]| {
            let mut all = full.to_vec();
            all.extend_from_slice(pairs);
            config(&all)
        };
        assert_eq!(with(&[("OIDC_ISSUER_URL", "not a url")]).unwrap_err().variable, "OIDC_ISSUER_URL");
        assert_eq!(with(&[("OIDC_REDIRECT_URL", "/relative")]).unwrap_err().variable, "OIDC_REDIRECT_URL");
        let production = with(&[
            ("APP_ENV", "production"),
            ("API_CLIENT_TOKEN_KEY", "token-key-token-key-token-key-0123"),
            ("PUBLIC_URL", "https://register.education.gov.uk"),
            ("OIDC_ISSUER_URL", "http://oidc.example"),
        ])
        .unwrap_err();
        assert_eq!(production.to_string(), "OIDC_ISSUER_URL: must start with https:// when APP_ENV is production");
    }

    #[test]
    fn dev_sign_in_is_refused_on_an_address_other_machines_can_reach_whatever_app_env_says() {
        let err =
            config(&[("JWT_SECRET", SECRET), ("BIND", "0.0.0.0:8080"), ("AUTH_DEV_SIGN_IN", "true")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "AUTH_DEV_SIGN_IN: cannot be true when BIND is not a loopback address (BIND is 0.0.0.0:8080): \
             development sign-in gives a token for any account without a password"
        );
        let default = config(&[("JWT_SECRET", SECRET), ("BIND", "0.0.0.0:8080")]).unwrap();
        assert!(!default.auth_dev_sign_in, "off by default off loopback");
        let ipv6 = config(&[("JWT_SECRET", SECRET), ("BIND", "[::1]:8080"), ("AUTH_DEV_SIGN_IN", "true")]).unwrap();
        assert!(ipv6.auth_dev_sign_in);
    }

    #[test]
    fn production_refuses_plain_http_and_placeholder_secrets() {
        let good = [
            ("APP_ENV", "production"),
            ("JWT_SECRET", SECRET),
            ("API_CLIENT_TOKEN_KEY", SECRET),
            ("METRICS_TOKEN", SECRET),
            ("PUBLIC_URL", "https://register.education.gov.uk"),
        ];
        assert!(config(&good).is_ok());
        let with = |variable: &'static str, value: &'static str| {
            let mut pairs: Vec<_> = good.iter().copied().filter(|(k, _)| *k != variable).collect();
            pairs.push((variable, value));
            config(&pairs).unwrap_err().to_string()
        };
        assert_eq!(
            with("PUBLIC_URL", "http://register.education.gov.uk"),
            "PUBLIC_URL: must start with https:// when APP_ENV is production"
        );
        for variable in ["JWT_SECRET", "API_CLIENT_TOKEN_KEY", "METRICS_TOKEN"] {
            assert_eq!(
                with(variable, "change-me-change-me-change-me-change-me"),
                format!("{variable}: looks like a placeholder; set a random value when APP_ENV is production")
            );
        }
        assert_eq!(with("JWT_SECRET", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").split(':').next(), Some("JWT_SECRET"));
        let without_metrics: Vec<_> = good.iter().copied().filter(|(k, _)| *k != "METRICS_TOKEN").collect();
        assert_eq!(
            config(&without_metrics).unwrap_err().to_string(),
            "METRICS_TOKEN: must be set when APP_ENV is production"
        );
    }

    #[test]
    fn the_statement_timeout_retention_and_sweep_have_defaults_and_bounds() {
        let c = config(&[("JWT_SECRET", SECRET)]).unwrap();
        assert_eq!(c.db_statement_timeout, Duration::from_secs(5));
        assert_eq!(c.outbox_retention_days, 30);
        assert_eq!(c.prune_interval, Duration::from_secs(3600));
        let short = config(&[("JWT_SECRET", SECRET), ("DB_STATEMENT_TIMEOUT", "250ms")]).unwrap();
        assert_eq!(short.db_statement_timeout, Duration::from_millis(250));
        for (variable, value) in [
            ("DB_STATEMENT_TIMEOUT", "5ms"),
            ("DB_STATEMENT_TIMEOUT", "2h"),
            ("OUTBOX_RETENTION_DAYS", "0"),
            ("PRUNE_INTERVAL", "2d"),
        ] {
            assert_eq!(config(&[(variable, value), ("JWT_SECRET", SECRET)]).unwrap_err().variable, variable);
        }
    }

    #[test]
    fn the_development_secret_is_private_and_shared_by_processes_starting_together() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("users-api-secret-{}", uuid::Uuid::now_v7()));
        let secrets: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..8).map(|_| scope.spawn(|| development_secret(&dir).unwrap())).collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert!(secrets.windows(2).all(|pair| pair[0] == pair[1]), "every starter reads the one secret");
        let mode = std::fs::metadata(dir.join("jwt-secret")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no partial files are left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The settings the container image sets (`ENV` lines of the Dockerfile).
    fn image_settings() -> Vec<(String, String)> {
        include_str!("../../../Dockerfile")
            .lines()
            .filter_map(|line| line.strip_prefix("ENV "))
            .flat_map(|line| line.split_whitespace())
            .filter_map(|pair| pair.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect()
    }

    #[test]
    fn the_container_image_runs_as_production_and_cannot_turn_dev_sign_in_on() {
        let image = image_settings();
        assert!(image.contains(&("APP_ENV".into(), "production".into())), "{image:?}");
        let with = |extra: &[(&str, &str)]| {
            let mut map: HashMap<String, String> = image.iter().cloned().collect();
            map.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            Config::from_lookup(|name| map.get(name).cloned())
        };
        assert_eq!(with(&[]).unwrap_err().variable, "JWT_SECRET", "only DATABASE_URL given: refuses to start");
        let secrets = [
            ("JWT_SECRET", SECRET),
            ("API_CLIENT_TOKEN_KEY", SECRET),
            ("METRICS_TOKEN", SECRET),
            ("PUBLIC_URL", "https://register.education.gov.uk"),
        ];
        assert!(!with(&secrets).unwrap().auth_dev_sign_in);
        let mut dev = secrets.to_vec();
        dev.extend([("APP_ENV", "development"), ("AUTH_DEV_SIGN_IN", "true")]);
        assert_eq!(
            with(&dev).unwrap_err().variable,
            "AUTH_DEV_SIGN_IN",
            "0.0.0.0 refuses dev sign-in in development too"
        );
    }

    #[test]
    fn defaults_suit_make_run() {
        let c = config(&[("JWT_SECRET", SECRET)]).unwrap();
        assert_eq!(c.database_url, DatabaseUrl::Sqlite(PathBuf::from("data/users.db")));
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert!(c.auth_dev_sign_in);
        assert_eq!(c.service_name, "Register of training providers");
        assert_eq!(c.shutdown_grace, Duration::from_secs(10));
    }
}
