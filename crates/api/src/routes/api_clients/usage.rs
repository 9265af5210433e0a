use std::collections::BTreeMap;

use actix_web::get;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::representation::scope_of;
use crate::db::api_clients;
use crate::db::usage::{self, DayCount};
use crate::http::clients_caller::ClientsCaller;
use crate::problem::{Problem, ProblemBody};
use crate::state::AppState;
use crate::time::{self, from_db, Timestamp};

/// One UTC day of a client's use.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ApiClientUsageDay)]
pub struct UsageDayBody {
    /// The UTC day.
    #[schema(format = Date, example = "2026-12-07")]
    pub date: String,
    /// Every request made with the client's token that day.
    pub requests: u64,
    /// How many of them were answered 403 (scope, address) or 429 (rate limit).
    pub refused: u64,
}

/// How much a client is used.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ApiClientUsage)]
pub struct UsageBody {
    /// The last 90 UTC days with any request, newest first.
    pub days: Vec<UsageDayBody>,
    /// When its token was last used, to the minute; `null` if never.
    #[serde(serialize_with = "time::serialize_option")]
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address its token was last used from; `null` if never.
    pub last_used_ip: Option<String>,
}

/// How much an API client is used
///
/// Requests made with an API client's token per UTC day, and how many were
/// refused (403 or 429), for the last 90 days with any; when and from where
/// it was last used. Each process stores its counts every few seconds
/// (`API_CLIENT_USAGE_FLUSH`), so another process's last seconds may not be
/// in yet.
///
/// Roles: viewer, editor, administrator (any client), api (their own).
#[utoipa::path(
    operation_id = "get_api_client_usage",
    tag = "api-clients",
    params(("id" = String, Path, format = Uuid, description = "The client's id")),
    security(("bearer" = ["viewer", "editor", "administrator", "api"]), ("api_client" = ["api_clients:manage"])),
    responses(
        (status = 200, description = "The client's use", body = UsageBody),
        (status = 404, description = "No such client, it was deleted, or another API user owns it", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
#[get("/api-clients/{id}/usage")]
pub async fn get_api_client_usage(
    caller: ClientsCaller,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let id = id.into_inner();
    let scope = scope_of(&caller);
    let first_day = usage::first_kept_day(Timestamp::now());
    let since = first_day.clone();
    let (found, stored, last_ip) = state
        .db
        .query(move |conn| {
            let Some(found) = api_clients::find(conn, &id, &scope)? else { return Ok(None) };
            let stored = usage::days(conn, &id, &since)?;
            let last_ip = usage::last_ip(conn, &id)?;
            Ok(Some((found, stored, last_ip)))
        })
        .await?
        .ok_or_else(Problem::not_found)?;
    // What this process has counted and not yet stored counts too.
    let (pending, pending_ip) = state.usage.pending_for(&found.client.id);
    let mut days: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for DayCount { day, requests, refused } in stored.into_iter().chain(pending) {
        let (r, f) = days.entry(day).or_default();
        *r += requests;
        *f += refused;
    }
    let days = days
        .into_iter()
        .rev()
        .filter(|(day, _)| *day >= first_day)
        .map(|(date, (requests, refused))| UsageDayBody { date, requests, refused })
        .collect();
    Ok(HttpResponse::Ok().json(UsageBody {
        days,
        last_used_at: found.client.last_used_at.map(from_db),
        last_used_ip: pending_ip.or(last_ip),
    }))
}
