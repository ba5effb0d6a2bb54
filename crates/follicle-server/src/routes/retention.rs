//! The owner's retention purge in the studio (the command line has `follicle records purge`): what a purge would
//! remove (a dry run: the clients whose medical-record retention period has ended, nothing changed), and the
//! purge itself, confirmed with the exact list of clients the owner was shown (their ids): when the list it
//! would delete is not that one, nobody is deleted (409, saying what changed). Owner only (the route table's
//! role gate); the purge is follicle_store's `purge_retention_ended`: the list compared and the clients deleted
//! in one transaction under the clinic's lock, one audit row per client (or one for an empty run), at most
//! `MAX_PURGED_AT_ONCE` clients per run.

use super::*;

/// The most clients a dry run lists by name (the count is always exact).
const LISTED: usize = follicle_store::retention::MAX_PURGED_AT_ONCE;

/// The reason recorded when the owner gives none.
const DEFAULT_REASON: &str = "the clinic's retention period ended";

fn listing(list: &[RetentionEnded]) -> Value {
    json!(list
        .iter()
        .take(LISTED)
        .map(|e| json!({
            "id": e.client_id,
            "reference": e.reference,
            "last_treatment": e.last_treatment,
            "retain_until": e.retain_until,
            "pseudonymised": e.pseudonymised,
        }))
        .collect::<Vec<_>>())
}

/// Clients kept out of the purge although their retention has ended, each with why ("booked on 2026-12-07").
fn held_listing(zone: &follicle_clinic::ClinicZone, list: &[RetentionEnded]) -> Value {
    json!(list
        .iter()
        .take(LISTED)
        .map(|e| json!({
            "reference": e.reference,
            "last_treatment": e.last_treatment,
            "retain_until": e.retain_until,
            "pseudonymised": e.pseudonymised,
            "why": booked_words(zone, e.booked_at),
        }))
        .collect::<Vec<_>>())
}

/// Why a client is kept out of the purge, in words: "booked on 2026-12-07" (the clinic's day of the booking).
pub fn booked_words(zone: &follicle_clinic::ClinicZone, booked_at: Option<i64>) -> String {
    match booked_at.and_then(follicle_clinic::DateTime::from_unix_seconds) {
        Some(t) => format!("booked on {}", zone.local(t).0),
        None => "has a booking ahead".into(),
    }
}

/// GET /api/records/retention: the dry run: who a purge today would remove (at most [`LISTED`] by name), and who
/// is kept although their retention has ended (a booking ahead), with why.
pub(super) async fn retention_ended(
    State(st): State<AppState>,
    a: Actor,
) -> ApiResult<Json<Value>> {
    let (c, day) = (a.clinic(), today(&st, a.clinic()).await?.to_string());
    let d = day.clone();
    let (settings, list) = db(&st, move |s| {
        Ok((s.clinic_settings(c)?, s.retention_ended(c, &d)?))
    })
    .await?;
    let d = day.clone();
    let held = db(&st, move |s| s.retention_held(c, &d)).await?;
    let at_once = list
        .len()
        .min(follicle_store::retention::MAX_PURGED_AT_ONCE);
    Ok(Json(json!({
        "today": day,
        "retention_years": settings.retention_years,
        "count": list.len(),
        "purge_now": at_once,
        "clients": listing(&list),
        "kept": held_listing(&clinic_zone(&st, c).await?, &held),
    })))
}

/// Body of POST /api/records/purge.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PurgeBody {
    /// The ids of the clients the owner was shown would go (`clients[].id` of the dry run): a purge that would
    /// now remove any other list is refused, so nobody is deleted unseen.
    #[serde(default)]
    clients: Option<Vec<ClientId>>,
    /// Why (kept in the audit log); the default says the retention period ended.
    #[serde(default)]
    reason: Option<String>,
}

/// POST /api/records/purge: deletes every record of the clients the dry run listed; answers who went.
pub(super) async fn purge(
    State(st): State<AppState>,
    a: Actor,
    ApiJson(b): ApiJson<PurgeBody>,
) -> ApiResult<Json<Value>> {
    let why = match b.reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => DEFAULT_REASON.to_string(),
    };
    text("reason", &why, TextKind::FreeText)?;
    let Some(seen) = b.clients else {
        return Err(ApiError::unprocessable(
            "Confirm the purge with the list of clients you were shown: look at who would be purged first.",
        ));
    };
    if seen.len() > LISTED {
        return Err(ApiError::unprocessable(format!(
            "A purge removes at most {LISTED} clients at a time; the list sent has {}.",
            seen.len()
        )));
    }
    let (c, by, day) = (
        a.clinic(),
        a.user.id,
        today(&st, a.clinic()).await?.to_string(),
    );
    let d = day.clone();
    let done = db(&st, move |s| {
        s.purge_retention_ended(c, &d, &why, Some(by), Some(&seen))
    })
    .await?;
    super::records::forget_photo_files(&st, done.photos_removed.clone()).await;
    let left = done.left;
    Ok(Json(json!({
        "today": day,
        "purged": listing(&done.purged),
        "count": done.purged.len(),
        "left": left,
        "message": match (done.purged.len(), left) {
            (0, _) => "Nothing to purge: no client's retention period has ended.".to_string(),
            (n, 0) => format!("Every record of {n} client(s) whose retention period had ended has been deleted."),
            (n, l) => format!("Every record of {n} client(s) whose retention period had ended has been deleted; {l} more remain: purge again to continue."),
        },
    })))
}
