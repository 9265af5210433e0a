//! What every handler shares.

use std::sync::Arc;

use crate::auth::Jwt;
use crate::config::Config;
use crate::db::Db;

/// Application state, behind `web::Data`.
pub struct AppState {
    /// The database pool.
    pub db: Db,
    /// The settings.
    pub config: Arc<Config>,
    /// Token signing and checking.
    pub jwt: Jwt,
}

impl AppState {
    /// State for `config` over `db`.
    pub fn new(config: Config, db: Db) -> Self {
        let jwt = Jwt::new(&config.jwt_secret, &config.public_url);
        Self { db, config: Arc::new(config), jwt }
    }
}
