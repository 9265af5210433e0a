//! The OpenAPI 3.1 document's frame: its description, security schemes and
//! tags, and the responses every operation of a kind shares. The operations
//! themselves come from the route table ([`crate::router`]), which registers
//! each handler with the router and the document in one line.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::Server;
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Register of training providers: users API",
        version = "1.0.0",
        description = "Support staff of the Register of training providers manage who may use the service: \
support users (DfE staff who use the web interface) and API users (systems that read training-provider data).\n\n\
Errors are RFC 9457 problem details (`application/problem+json`). Access tokens are HS256 JWTs sent as \
`Authorization: Bearer`; each operation's security requirement names the roles that may call it (`viewer`, `editor`, `administrator` for support users, `api` for API users).\n\n\
Systems read training-provider data with an API client token (`dfe_rtp_…`), also sent as `Authorization: Bearer`. \
Requests with one are limited per token (300 a minute unless configured); requests to `/api/v1` without valid \
credentials are limited per IP address (100 a minute). Over a limit the answer is 429 with `Retry-After`.",
        license(name = "MIT", identifier = "MIT")
    ),
    components(schemas(crate::problem::ProblemBody, crate::problem::FieldErrorBody)),
    modifiers(&Security),
    tags(
        (name = "users", description = "Support users manage the users of the service"),
        (name = "activity", description = "Who changed what, when, and whether the email went out"),
        (name = "api-clients", description = "API clients: tokens for systems that read provider data"),
        (name = "providers", description = "Training-provider data, read-only"),
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
        components.add_security_scheme(
            "api_client",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("dfe_rtp_ token")
                    .description(Some(
                        "An API client token (`dfe_rtp_` followed by 49 letters and digits), shown once when the \
                         client is created or rotated. The scopes listed on each operation are the client scopes \
                         it needs (`providers:read`, `api_clients:manage`, `scim`); a token without one is refused \
                         with 403 `urn:problem:insufficient-scope` (RFC 6750 `insufficient_scope`).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "`METRICS_TOKEN`, for the monitoring system that reads `GET /metrics`. Required in \
                         production.",
                    ))
                    .build(),
            ),
        );
        openapi.servers = Some(vec![Server::new("/")]);
    }
}

/// Every `/api/v1` operation may answer 429: requests with an API client
/// token are limited per token, requests without valid credentials per IP.
struct RateLimited;

impl Modify for RateLimited {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let seconds = |description: &str| {
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
                .description(Some(description))
                .build()
        };
        let response = ResponseBuilder::new()
            .description(
                "Too many requests: over the limit of requests a minute for this API client token \
                 (`RATE_LIMIT_PER_TOKEN`) or, without valid credentials, for this IP address (`RATE_LIMIT_PER_IP`)",
            )
            .header("Retry-After", seconds("Seconds to wait before a request will be served"))
            .header("RateLimit-Limit", seconds("Requests allowed per rolling minute"))
            .header("RateLimit-Remaining", seconds("Requests left now (0)"))
            .header("RateLimit-Reset", seconds("Seconds until a request will be served"))
            .content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem"))))
            .build();
        openapi.components.get_or_insert_with(Default::default).responses.insert("RateLimited".into(), response.into());
        for (_, item) in openapi.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/api/v1/")) {
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                operation.responses.responses.insert("429".into(), RefOr::Ref(Ref::from_response_name("RateLimited")));
            }
        }
    }
}

/// Adds what every operation of a kind answers, so a handler lists only the
/// responses peculiar to it: 429 on `/api/v1` (the rate limits), and for an
/// operation that needs a user's or an API client's token 401, 503 (the
/// account is checked in the database on every request) and, when its
/// security names roles that not every caller has, 403.
pub fn add_common_responses(openapi: &mut utoipa::openapi::OpenApi) {
    RateLimited.modify(openapi);
    CommonResponses.modify(openapi);
}

struct CommonResponses;

/// The roles a `bearer` requirement may name: the three support roles and
/// API users.
const BEARER_ROLES: [&str; 4] = ["viewer", "editor", "administrator", "api"];

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem"))))
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                let requirements: Vec<serde_json::Value> = operation
                    .security
                    .iter()
                    .flatten()
                    .filter_map(|requirement| serde_json::to_value(requirement).ok())
                    .filter(|value| {
                        value.as_object().is_some_and(|o| o.contains_key("bearer") || o.contains_key("api_client"))
                    })
                    .collect();
                if requirements.is_empty() {
                    continue;
                }
                let roles = scopes_of(&requirements, "bearer");
                let responses = &mut operation.responses.responses;
                responses
                    .entry("401".into())
                    .or_insert_with(|| problem("Not signed in, or the account may no longer sign in"));
                let everyone = BEARER_ROLES.iter().all(|scope| roles.iter().any(|r| r == scope));
                let client_scopes = scopes_of(&requirements, "api_client");
                let mut refusals = Vec::new();
                if !roles.is_empty() && !everyone {
                    refusals.push(format!(
                        "signed in, but not with a role that may do this (it needs: {})",
                        roles.join(", ")
                    ));
                }
                if !client_scopes.is_empty() {
                    refusals.push(format!(
                        "an API client token without the scope {} (`urn:problem:insufficient-scope`), or used from \
                         an address its allowlist leaves out (`urn:problem:ip-not-allowed`)",
                        client_scopes.join(", ")
                    ));
                }
                if !refusals.is_empty() {
                    let mut description = refusals.join("; or ");
                    description[..1].make_ascii_uppercase();
                    responses.entry("403".into()).or_insert_with(|| problem(&description));
                }
                responses.entry("503".into()).or_insert_with(|| problem("The database is unavailable"));
            }
        }
    }
}

/// The scopes `scheme` lists across an operation's security `requirements`:
/// the roles for `bearer`, the client scopes for `api_client`.
fn scopes_of(requirements: &[serde_json::Value], scheme: &str) -> Vec<String> {
    requirements
        .iter()
        .filter_map(|requirement| requirement.get(scheme))
        .filter_map(|scopes| scopes.as_array())
        .flatten()
        .filter_map(|scope| scope.as_str().map(str::to_owned))
        .collect()
}

/// `doc` as pretty JSON with a final newline, as committed.
pub fn to_json(doc: &utoipa::openapi::OpenApi) -> String {
    let mut json = doc.to_pretty_json().expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
