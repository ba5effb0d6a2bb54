//! Public descriptions of the service: the health check (backend, schema version) and the OpenAPI document.

use super::*;

pub(super) async fn health(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    let (backend, version) = db(&st, |s| Ok((s.backend(), s.schema_version()?))).await?;
    Ok(Json(json!({ "status": "ok", "backend": backend, "schema_version": version })))
}

pub(super) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI_JSON).into_response()
}
