//! A record's history (follicle_store's `record_history`): who created, corrected or deleted one consultation,
//! photo, lot or pigment, with the reasons, and the versions each correction kept. For the people who may
//! correct these records (owner and practitioners); the studio shows it under each "Correct" form.

use super::*;

/// Query of GET /api/history.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HistoryQuery {
    /// `consultation`, `photo`, `lot` or `pigment`.
    entity: String,
    /// The record's id.
    id: Id,
}

/// GET /api/history?entity=&id=: the record's changes, newest first (empty for a record of another clinic).
pub(super) async fn record_history(
    State(st): State<AppState>,
    a: Actor,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<follicle_store::history::RecordHistory>> {
    if !follicle_store::history::HISTORY_ENTITIES.contains(&q.entity.as_str()) {
        return Err(ApiError::unprocessable(format!(
            "entity: choose one of {}",
            follicle_store::history::HISTORY_ENTITIES.join(", ")
        )));
    }
    let c = a.clinic();
    Ok(Json(
        db(&st, move |s| s.record_history(c, &q.entity, q.id)).await?,
    ))
}
