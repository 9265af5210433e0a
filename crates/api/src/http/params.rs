//! The query string and the path's id, read the contract's way.

use crate::problem::Problem;

/// The query string as name/value pairs (first value wins). A query string
/// that cannot be decoded at all is a 400.
pub fn query_pairs(req: &actix_web::HttpRequest) -> Result<Vec<(String, String)>, Problem> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .map_err(|_| Problem::bad_request(users_domain::messages::problems::QUERY_NOT_VALID))
}

/// The first value of `name` in `pairs`.
pub fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The id in a resource's path: anything that is not a UUID names nothing,
/// so it is 404 before any query runs.
pub fn resource_id(id: actix_web::web::Path<String>) -> Result<String, Problem> {
    let id = id.into_inner();
    if users_domain::ids::is_uuid(&id) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(Problem::not_found())
    }
}
