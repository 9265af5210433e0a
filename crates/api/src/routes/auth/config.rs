use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// Which sign-in methods are on, for the sign-in page.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthConfig {
    /// Whether `POST /api/v1/auth/dev/sign-in` exists (development only).
    pub dev_sign_in: bool,
    /// Whether sign-in with DfE Sign-in (OpenID Connect) is configured.
    pub oidc: bool,
    /// The service's name, for page headers.
    pub service_name: String,
}

/// Get the sign-in methods
///
/// The sign-in methods that are on.
///
/// Role: none (public).
#[utoipa::path(
    operation_id = "get_auth_config",
    tag = "auth",
    security(()),
    responses((status = 200, description = "The sign-in methods", body = AuthConfig))
)]
#[get("/auth/config")]
pub async fn get_auth_config(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(AuthConfig {
        dev_sign_in: state.config.auth_dev_sign_in,
        oidc: state.oidc.is_some(),
        service_name: state.config.service_name.clone(),
    })
}
