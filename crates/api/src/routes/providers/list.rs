use actix_web::get;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use users_domain::providers::{FeedParams, RawFeedParams};

use crate::db::providers::{self, Position, ProviderRow};
use crate::http::params::query_pairs;
use crate::http::params::query_value;
use crate::http::provider_reader::ProviderReader;
use crate::problem::{Problem, ProblemBody};
use crate::routes::cursor;
use crate::state::AppState;
use crate::time::{self, from_db, Timestamp};

/// A kind of training provider.
#[allow(dead_code)] // Documents the values; rows carry them as text.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ProviderType)]
pub enum ProviderTypeBody {
    /// A higher education institution.
    Hei,
    /// A school-centred initial teacher training provider.
    Scitt,
    /// A school (a lead partner).
    School,
    /// Any other kind of provider.
    Other,
}

/// A provider's postal address.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ProviderAddress)]
pub struct AddressBody {
    /// First line: building and street.
    pub line_1: String,
    /// Second line, if any.
    pub line_2: Option<String>,
    /// Third line, if any.
    pub line_3: Option<String>,
    /// Town or city.
    pub town: String,
    /// County, if given.
    pub county: Option<String>,
    /// Postcode.
    pub postcode: String,
}

/// A training provider.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Provider, example = json!({
    "id": "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
    "ukprn": "10007842",
    "code": "1TZ",
    "name": "University of Exeter",
    "provider_type": "hei",
    "address": {"line_1": "Northcote House", "line_2": "The Queen's Drive", "line_3": null,
                "town": "Exeter", "county": "Devon", "postcode": "EX4 4QJ"},
    "updated_at": "2025-12-11T14:13:00.123456Z"
}))]
pub struct ProviderResponse {
    /// The provider's id (a UUIDv7).
    #[schema(format = Uuid)]
    pub id: String,
    /// UK Provider Reference Number: 8 digits, starting with 1.
    #[schema(pattern = "^1[0-9]{7}$")]
    pub ukprn: String,
    /// The provider code used in teacher training.
    pub code: String,
    /// The provider's name.
    pub name: String,
    /// `hei`, `scitt`, `school` or `other`.
    #[schema(value_type = ProviderTypeBody)]
    pub provider_type: String,
    /// The postal address.
    pub address: AddressBody,
    /// When the provider last changed, to the microsecond.
    #[serde(serialize_with = "time::serialize")]
    pub updated_at: DateTime<Utc>,
}

impl From<ProviderRow> for ProviderResponse {
    fn from(row: ProviderRow) -> Self {
        Self {
            id: row.id,
            ukprn: row.ukprn,
            code: row.code,
            name: row.name,
            provider_type: row.provider_type,
            address: AddressBody {
                line_1: row.address_line_1,
                line_2: row.address_line_2,
                line_3: row.address_line_3,
                town: row.town,
                county: row.county,
                postcode: row.postcode,
            },
            updated_at: from_db(row.updated_at),
        }
    }
}

/// A page of providers.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProviderPage)]
pub struct ProviderPage {
    /// The providers on this page, by `updated_at`, then `id`.
    pub items: Vec<ProviderResponse>,
    /// Send as `cursor` for the next page; `null` exactly when no provider follows.
    pub next_cursor: Option<String>,
}

/// The feed's query parameters.
#[allow(dead_code)] // Documents the parameters; they are read from the query string.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListProvidersParams {
    /// Only providers changed at or after this instant (RFC 3339).
    #[param(format = DateTime, example = "2025-12-11T14:13:00Z")]
    changed_since: Option<String>,
    /// `next_cursor` of the previous page, to continue after it (keyset
    /// pagination); send the same `changed_since`.
    cursor: Option<String>,
    /// Items per page.
    #[param(minimum = 1, maximum = 500, default = 100)]
    per_page: Option<u64>,
}

/// List training providers
///
/// Training providers, oldest change first: a change feed. Walk it with
/// `cursor` until `next_cursor` is `null`; next time, ask for
/// `changed_since` the last `updated_at` you saw (inclusive, so you see that
/// provider again). A provider that changes during a walk appears again
/// later in it, with its new `updated_at`; none is skipped.
///
/// For API client tokens and signed-in users of either role. Requests with an
/// API client token count towards its rate limit (`RATE_LIMIT_PER_TOKEN`,
/// 300 a minute unless configured).
///
/// A client token needs the scope `providers:read` (403
/// `urn:problem:insufficient-scope` otherwise, with RFC 6750's
/// `WWW-Authenticate: Bearer error="insufficient_scope"`), and is refused
/// with 403 `urn:problem:ip-not-allowed` from an address its `allowed_ips`
/// leave out.
///
/// Role: an API client token with `providers:read`, or any signed-in user.
#[utoipa::path(
    operation_id = "list_providers",
    tag = "providers",
    params(ListProvidersParams),
    security(("api_client" = ["providers:read"]), ("bearer" = ["viewer", "editor", "administrator", "api"])),
    responses(
        (status = 200, description = "A page of providers", body = ProviderPage,
            headers(
                ("RateLimit-Limit" = u64, description = "Requests allowed per rolling minute (API client tokens)"),
                ("RateLimit-Remaining" = u64, description = "Requests left now"),
                ("RateLimit-Reset" = u64, description = "Seconds until the oldest counted requests start to weigh less"),
            )),
        (status = 400, description = "The query string cannot be decoded", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "No valid credentials: a token that is unknown, revoked, expired, deleted, past its grace period, or whose owner is inactive or deleted", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "An API client token without the scope `providers:read` (`urn:problem:insufficient-scope`), or used from an address its allowlist leaves out (`urn:problem:ip-not-allowed`)", body = ProblemBody, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "With `insufficient_scope`: `Bearer error=\"insufficient_scope\", scope=\"providers:read\"`"))),
        (status = 422, description = "A parameter is not valid", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/providers")]
pub async fn list_providers(
    _reader: ProviderReader,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let pairs = query_pairs(&req)?;
    let raw = RawFeedParams {
        changed_since: query_value(&pairs, "changed_since"),
        cursor: query_value(&pairs, "cursor"),
        per_page: query_value(&pairs, "per_page"),
    };
    let params = FeedParams::parse(&raw)?;
    let after = match &params.cursor {
        Some(text) => {
            let (micros, id): (i64, String) = cursor::decode(text)?;
            let updated_at = DateTime::from_timestamp_micros(micros).ok_or_else(cursor::invalid)?.naive_utc();
            Some(Position { updated_at, id })
        }
        None => None,
    };
    let changed_since = params.changed_since.map(|at| Timestamp::from(at).db());
    let per_page = params.per_page;
    let (rows, more) =
        state.db.query(move |conn| providers::page(conn, changed_since, after.as_ref(), per_page)).await?;
    let next_cursor = if more {
        rows.last().map(|last| cursor::encode(&(last.updated_at.and_utc().timestamp_micros(), &last.id)))
    } else {
        None
    };
    Ok(HttpResponse::Ok()
        .json(ProviderPage { items: rows.into_iter().map(ProviderResponse::from).collect(), next_cursor }))
}
