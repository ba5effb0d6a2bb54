//! Public descriptions of the service: the health check (backend, schema version) and the OpenAPI document.

use super::*;

/// GET /api/health: asks the database, so a load balancer takes a node whose database does not answer out of
/// rotation (503).
pub(super) async fn health(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    // A database that hangs answers 503 within seconds, so the load balancer takes the node out of rotation.
    let limit = std::time::Duration::from_secs(crate::error::UNAVAILABLE_RETRY_SECONDS);
    match crate::db_within(&st, limit, |s| Ok((s.backend(), s.schema_version()?))).await {
        Ok((backend, version)) => Ok(Json(
            json!({ "status": "ok", "backend": backend, "schema_version": version }),
        )),
        Err(_) => Err(ApiError::unavailable()),
    }
}

pub(super) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::OPENAPI_JSON,
    )
        .into_response()
}
