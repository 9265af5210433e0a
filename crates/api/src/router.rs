//! The route table: every endpoint, declared once.
//!
//! A handler's `#[utoipa::path]` and its Actix method attribute (`#[get]`,
//! `#[post]`, …) say what it is and where it is served; registering it here
//! adds it to the router and to the OpenAPI document in the same line
//! (`utoipa-actix-web`), so an endpoint cannot be served undocumented or
//! documented unserved. The 405 answers, with their `Allow` header, are
//! derived from the same document.
//!
//! To add an endpoint: write its handler file under `routes/<resource>/`,
//! then add one `.service(…)` line below, in the order the document lists it.

use actix_web::{web, App};
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};

use crate::openapi::{self, ApiDoc};
use crate::problem::Problem;
use crate::routes::{activity, api_clients, auth, health, me, providers, users};

/// Where the versioned API is served.
pub const API_PREFIX: &str = "/api/v1";

/// The endpoints under [`API_PREFIX`].
pub fn api_v1(cfg: &mut ServiceConfig<'_>) {
    cfg.service(users::list::list_users)
        .service(users::create::create_user)
        .service(users::show::get_user)
        .service(users::update::update_user)
        .service(users::delete::delete_user)
        .service(users::activity::list_user_activity)
        .service(activity::list::list_activity)
        .service(api_clients::list::list_api_clients)
        .service(api_clients::create::create_api_client)
        .service(api_clients::show::get_api_client)
        .service(api_clients::update::update_api_client)
        .service(api_clients::delete::delete_api_client)
        .service(api_clients::revoke::revoke_api_client)
        .service(api_clients::rotate::rotate_api_client)
        .service(api_clients::usage::get_api_client_usage)
        .service(providers::list::list_providers)
        .service(me::get_current_user)
        .service(auth::dev_sign_in::dev_sign_in)
        .service(auth::start_oidc_sign_in::start_oidc_sign_in)
        .service(auth::finish_oidc_sign_in::finish_oidc_sign_in)
        .service(auth::refresh::refresh_session)
        .service(auth::sign_out::sign_out)
        .service(auth::config::get_auth_config);
}

/// The operational endpoints, outside the versioned API.
pub fn operations(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::get_liveness).service(health::get_readiness).service(health::get_metrics);
}

/// The OpenAPI document: the frame of [`ApiDoc`], the operations of the
/// table, and the responses they share.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope::scope(API_PREFIX).configure(api_v1))
        .configure(operations)
        .split_for_parts();
    openapi::add_common_responses(&mut doc);
    doc
}

/// The document as committed in `openapi/openapi.json`.
pub fn document() -> String {
    openapi::to_json(&openapi())
}

/// For each documented path under `prefix` (the prefix taken off), the
/// methods it takes, as an `Allow` header lists them. Paths whose every
/// operation is in `switched_off` (endpoints the configuration turns off) are
/// left out, so they answer 404 as if they did not exist.
pub fn allowed_methods(doc: &utoipa::openapi::OpenApi, prefix: &str, switched_off: &[&str]) -> Vec<(String, String)> {
    let mut table = Vec::new();
    for (path, item) in &doc.paths.paths {
        let Some(path) = path.strip_prefix(prefix).filter(|p| p.starts_with('/')) else { continue };
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        let methods: Vec<&str> = operations
            .iter()
            .filter_map(|(method, op)| {
                let op = op.as_ref()?;
                let off = op.operation_id.as_deref().is_some_and(|id| switched_off.contains(&id));
                (!off).then_some(*method)
            })
            .collect();
        if !methods.is_empty() {
            table.push((path.to_owned(), methods.join(", ")));
        }
    }
    table
}

/// Registers, after the endpoints, one resource per documented path that
/// answers every method the path does not take with 405 and its `Allow`.
pub fn method_fallbacks(cfg: &mut web::ServiceConfig, table: &[(String, String)]) {
    for (path, allow) in table {
        let allow = allow.clone();
        cfg.service(web::resource(path.as_str()).default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<actix_web::HttpResponse, _>(Problem::method_not_allowed(&allow)) }
        })));
    }
}
