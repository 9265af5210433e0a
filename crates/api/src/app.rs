//! Builds the HTTP service: middleware, routes, OpenAPI, Swagger UI.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::openapi::ApiDoc;
use crate::problem::Problem;
use crate::routes::{self, method_not_allowed};
use crate::state::AppState;
use crate::{headers, rate_limit, request_id, spa};

/// Every route, for one worker's `App`.
pub fn configure(cfg: &mut web::ServiceConfig, dev_sign_in: bool) {
    let mut api = web::scope("/api/v1")
        .service(
            web::resource("/users")
                .route(web::get().to(routes::users::list_users))
                .route(web::post().to(routes::users::create_user))
                .default_service(web::to(method_not_allowed("GET, POST"))),
        )
        .service(
            web::resource("/users/{id}")
                .route(web::get().to(routes::users::get_user))
                .route(web::patch().to(routes::users::update_user))
                .route(web::delete().to(routes::users::delete_user))
                .default_service(web::to(method_not_allowed("GET, PATCH, DELETE"))),
        )
        .service(
            web::resource("/users/{id}/activity")
                .route(web::get().to(routes::users::list_user_activity))
                .default_service(web::to(method_not_allowed("GET"))),
        )
        .service(
            web::resource("/activity")
                .route(web::get().to(routes::activity::list_activity))
                .default_service(web::to(method_not_allowed("GET"))),
        )
        .service(
            web::resource("/api-clients")
                .route(web::get().to(routes::api_clients::list_api_clients))
                .route(web::post().to(routes::api_clients::create_api_client))
                .default_service(web::to(method_not_allowed("GET, POST"))),
        )
        .service(
            web::resource("/api-clients/{id}")
                .route(web::get().to(routes::api_clients::get_api_client))
                .route(web::patch().to(routes::api_clients::update_api_client))
                .route(web::delete().to(routes::api_clients::delete_api_client))
                .default_service(web::to(method_not_allowed("GET, PATCH, DELETE"))),
        )
        .service(
            web::resource("/api-clients/{id}/revoke")
                .route(web::post().to(routes::api_clients::revoke_api_client))
                .default_service(web::to(method_not_allowed("POST"))),
        )
        .service(
            web::resource("/api-clients/{id}/rotate")
                .route(web::post().to(routes::api_clients::rotate_api_client))
                .default_service(web::to(method_not_allowed("POST"))),
        )
        .service(
            web::resource("/providers")
                .route(web::get().to(routes::providers::list_providers))
                .default_service(web::to(method_not_allowed("GET"))),
        )
        .service(
            web::resource("/me")
                .route(web::get().to(routes::me::get_current_user))
                .default_service(web::to(method_not_allowed("GET"))),
        )
        .service(
            web::resource("/auth/refresh")
                .route(web::post().to(routes::auth::refresh_session))
                .default_service(web::to(method_not_allowed("POST"))),
        )
        .service(
            web::resource("/auth/sign-out")
                .route(web::post().to(routes::auth::sign_out))
                .default_service(web::to(method_not_allowed("POST"))),
        )
        .service(
            web::resource("/auth/config")
                .route(web::get().to(routes::auth::get_auth_config))
                .default_service(web::to(method_not_allowed("GET"))),
        );
    if dev_sign_in {
        api = api.service(
            web::resource("/auth/dev/sign-in")
                .route(web::post().to(routes::auth::dev_sign_in))
                .default_service(web::to(method_not_allowed("POST"))),
        );
    }
    // Always routed (so other methods get 405); without OIDC configured the
    // handlers answer 404.
    {
        api = api
            .service(
                web::resource("/auth/oidc/start")
                    .route(web::get().to(routes::auth::start_oidc_sign_in))
                    .default_service(web::to(method_not_allowed("GET"))),
            )
            .service(
                web::resource("/auth/oidc/callback")
                    .route(web::get().to(routes::auth::finish_oidc_sign_in))
                    .default_service(web::to(method_not_allowed("GET"))),
            );
    }
    let api = api
        .default_service(web::to(|| async { Err::<actix_web::HttpResponse, _>(Problem::not_found()) }))
        .wrap(from_fn(rate_limit::middleware));
    cfg.service(api)
        .service(
            web::resource("/health/live")
                .route(web::get().to(routes::health::get_liveness))
                .default_service(web::to(method_not_allowed("GET"))),
        )
        .service(
            web::resource("/health/ready")
                .route(web::get().to(routes::health::get_readiness))
                .default_service(web::to(method_not_allowed("GET"))),
        )
        .service(
            web::resource("/metrics")
                .route(web::get().to(routes::health::get_metrics))
                .default_service(web::to(method_not_allowed("GET"))),
        )
        .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", ApiDoc::openapi()));
}

fn cors(public_url: &str, extra: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_origin(&origin_of(public_url))
        .allowed_methods(["GET", "POST", "PATCH", "DELETE"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::IF_MATCH])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            request_id::HEADER,
            header::RETRY_AFTER,
            rate_limit::LIMIT,
            rate_limit::REMAINING,
            rate_limit::RESET,
        ])
        .supports_credentials()
        .block_on_origin_mismatch(false)
        .max_age(600);
    for origin in extra {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

/// Starts serving on `listener` with `workers` threads.
pub fn serve(state: AppState, listener: TcpListener, workers: usize) -> std::io::Result<Server> {
    let grace = state.config.shutdown_grace.as_secs();
    let blocking_threads = state.db.threads_per_worker(workers);
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        let config = &state.config;
        let dev_sign_in = config.auth_dev_sign_in;
        let static_dir = config.static_dir.clone();
        App::new()
            .app_data(state.clone())
            .app_data(web::PathConfig::default().error_handler(|_, _| Problem::not_found().into()))
            .configure(|cfg| configure(cfg, dev_sign_in))
            .configure(|cfg| spa::configure(cfg, &static_dir))
            .wrap(cors(&config.public_url, &config.cors_origins))
            .wrap(from_fn(headers::middleware))
            .wrap(from_fn(request_id::middleware))
    })
    .workers(workers)
    .worker_max_blocking_threads(blocking_threads)
    .shutdown_timeout(grace)
    .listen(listener)?
    .run();
    Ok(server)
}
