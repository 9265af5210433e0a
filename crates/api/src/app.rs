//! Builds the HTTP service: middleware, the route table, Swagger UI and the
//! SPA.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::http::{rate_limit, request_log, security_headers};
use crate::problem::Problem;
use crate::request_id;
use crate::router::{self, API_PREFIX};
use crate::spa;
use crate::state::AppState;

/// What every worker's `App` is built from: the document and the 405 tables
/// derived from it, computed once.
#[derive(Clone)]
struct Routes {
    doc: utoipa::openapi::OpenApi,
    api_methods: Arc<Vec<(String, String)>>,
    root_methods: Arc<Vec<(String, String)>>,
}

impl Routes {
    fn new(dev_sign_in: bool) -> Self {
        let doc = router::openapi();
        let switched_off: &[&str] = if dev_sign_in { &[] } else { &["dev_sign_in"] };
        let api_methods = router::allowed_methods(&doc, API_PREFIX, switched_off);
        let root_methods = router::allowed_methods(&doc, "", &[])
            .into_iter()
            .filter(|(path, _)| !path.starts_with(&format!("{API_PREFIX}/")))
            .collect();
        Self { doc, api_methods: Arc::new(api_methods), root_methods: Arc::new(root_methods) }
    }
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
    let routes = Routes::new(state.config.auth_dev_sign_in);
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        let config = &state.config;
        let static_dir = config.static_dir.clone();
        let Routes { doc, api_methods, root_methods } = routes.clone();
        let api = scope::scope(API_PREFIX)
            .configure(router::api_v1)
            .map(|scope| {
                scope
                    .configure(|cfg| router::method_fallbacks(cfg, &api_methods))
                    .default_service(web::to(|| async { Err::<actix_web::HttpResponse, _>(Problem::not_found()) }))
            })
            .wrap(from_fn(rate_limit::middleware));
        App::new()
            .into_utoipa_app()
            .app_data(state.clone())
            .app_data(web::PathConfig::default().error_handler(|_, _| Problem::not_found().into()))
            .service(api)
            .configure(router::operations)
            .map(|app| {
                app.configure(|cfg| router::method_fallbacks(cfg, &root_methods))
                    .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", doc))
                    .configure(|cfg| spa::configure(cfg, &static_dir))
                    .wrap(cors(&config.public_url, &config.cors_origins))
                    .wrap(from_fn(security_headers::middleware))
                    .wrap(from_fn(request_log::middleware))
            })
            .into_app()
    })
    .workers(workers)
    .worker_max_blocking_threads(blocking_threads)
    .shutdown_timeout(grace)
    .listen(listener)?
    .run();
    Ok(server)
}
