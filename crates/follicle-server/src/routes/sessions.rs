//! Treatment sessions: recorded through follicle-clinic's session log (consent, intake and lot checks).

use super::*;
use super::consultations::latest_intake;
use super::pigments::catalogue;

pub(super) async fn list_sessions(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<Value>>> {
    let list = client_records(&st, &a, id, "session", |s, c, id| s.sessions(c, id)).await?;
    let out = list
        .iter()
        .map(|s| Ok(json!({ "id": s.id, "index": s.index, "held_on": s.held_on, "record": serde_json::from_str::<Value>(&s.record_json).map_err(ApiError::internal)?, "created_by": s.created_by, "created_at": s.created_at })))
        .collect::<ApiResult<_>>()?;
    Ok(Json(out))
}

/// The client's session log (consents and sessions) as follicle-clinic builds it.
pub(super) async fn session_log(st: &AppState, clinic: Id, client: Id, reference: &str) -> ApiResult<SessionLog> {
    let (rows, consents) = db(st, move |s| Ok((s.sessions(clinic, client)?, s.consents(clinic, client)?))).await?;
    let mut log = SessionLog::new(reference);
    for r in rows {
        log.sessions.push(serde_json::from_str(&r.record_json).map_err(ApiError::internal)?);
    }
    for c in consents {
        log.consents.push(serde_json::from_str(&c.signed_json).map_err(ApiError::internal)?);
    }
    Ok(log)
}

pub(super) async fn add_session(State(st): State<AppState>, a: Actor, ApiPath(id): ApiPath<Id>, ApiJson(rec): ApiJson<SessionRecord>) -> ApiResult<(StatusCode, Json<TreatmentSession>)> {
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let intake = latest_intake(&st, c, id).await?.ok_or_else(|| ApiError::conflict("record a consultation (intake) before the first session"))?;
    let cat = catalogue(&st, c, None, None).await?;
    let mut log = session_log(&st, c, id, &client.fields.reference).await?;
    log.record(rec.clone(), &intake, &cat).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let new = NewSession { index: i64::from(rec.index), held_on: rec.date.to_string(), record_json: serde_json::to_string(&rec).map_err(ApiError::internal)? };
    let by = a.user.id;
    Ok((StatusCode::CREATED, Json(db(&st, move |s| s.add_session(c, id, &new, by)).await?)))
}
