//! The built single-page app at `/`, with deep links falling back to
//! `index.html` so the SPA's router can take them.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::web;

use crate::problem::Problem;

/// Serves `dir` (when it has been built) as the SPA; otherwise every other
/// path is a 404 problem.
pub fn configure(cfg: &mut web::ServiceConfig, dir: &Path) {
    let index: PathBuf = dir.join("index.html");
    if !index.is_file() {
        cfg.default_service(web::to(|| async { Err::<actix_web::HttpResponse, _>(Problem::not_found()) }));
        return;
    }
    cfg.service(Files::new("/", dir).index_file("index.html").default_handler(fn_service(
        move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let file = NamedFile::open_async(&index).await?;
                let response = file.into_response(&req);
                Ok(ServiceResponse::new(req, response))
            }
        },
    )));
}
