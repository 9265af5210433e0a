//! The OpenAPI 3.1 document: every operation, schema and security scheme.
//! `users-api openapi` prints it; `openapi/openapi.json` is that output, and
//! a test fails when they differ.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::Server;
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Register of training providers: users API",
        version = "1.0.0",
        description = "Support staff of the Register of training providers manage who may use the service: \
support users (DfE staff who use the web interface) and API users (systems that read training-provider data).\n\n\
Errors are RFC 9457 problem details (`application/problem+json`). Access tokens are HS256 JWTs sent as \
`Authorization: Bearer`; each operation's security requirement names the role it needs (`support` or `api`).",
        license(name = "MIT", identifier = "MIT")
    ),
    paths(
        routes::users::list_users,
        routes::users::create_user,
        routes::users::get_user,
        routes::users::update_user,
        routes::users::delete_user,
        routes::users::list_user_activity,
        routes::activity::list_activity,
        routes::me::get_current_user,
        routes::auth::dev_sign_in,
        routes::auth::start_oidc_sign_in,
        routes::auth::finish_oidc_sign_in,
        routes::auth::refresh_session,
        routes::auth::sign_out,
        routes::auth::get_auth_config,
        routes::health::get_liveness,
        routes::health::get_readiness,
        routes::health::get_metrics,
    ),
    components(schemas(crate::problem::ProblemBody, crate::problem::FieldErrorBody)),
    modifiers(&Security),
    tags(
        (name = "users", description = "Support users manage the users of the service"),
        (name = "activity", description = "Who changed what, when, and whether the email went out"),
        (name = "account", description = "The signed-in user"),
        (name = "auth", description = "Signing in"),
        (name = "health", description = "Liveness and readiness probes"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from `POST /api/v1/auth/dev/sign-in` (development) or from signing in. \
                         The scopes listed on each operation are the roles that may call it.",
                    ))
                    .build(),
            ),
        );
        openapi.servers = Some(vec![Server::new("/")]);
    }
}

/// The document as pretty JSON with a final newline, as committed.
pub fn document() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
