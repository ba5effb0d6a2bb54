//! Treatment sessions: recorded through follicle-clinic's session log (the screening gate, the signed
//! treatment consent, plan bounds, intake and lot checks).

use super::consultations::latest_intake;
use super::pigments::catalogue;
use super::*;
use follicle_clinic::gate::{self, Action, Override, Refusal};
use follicle_clinic::session::PlanBounds;

pub(super) async fn list_sessions(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<Value>>> {
    let list = client_records(&st, &a, id, "session", |s, c, id| s.sessions(c, id)).await?;
    let out = list
        .iter()
        .map(|s| Ok(json!({ "id": s.id, "index": s.index, "held_on": s.held_on, "record": serde_json::from_str::<Value>(&s.record_json).map_err(ApiError::internal)?, "created_by": s.created_by, "created_at": s.created_at })))
        .collect::<ApiResult<_>>()?;
    Ok(Json(out))
}

/// The client's session log (consents and sessions) as follicle-clinic builds it.
pub(super) async fn session_log(
    st: &AppState,
    clinic: ClinicId,
    client: ClientId,
    reference: &str,
) -> ApiResult<SessionLog> {
    let (rows, consents) = db(st, move |s| {
        Ok((s.sessions(clinic, client)?, s.consents(clinic, client)?))
    })
    .await?;
    crate::client_docs::session_log_of(reference, &rows, &consents)
}

/// The owner's override sent with a session: `{"override": {"reason": "…"}}` beside the session's fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideBody {
    /// Why treatment goes ahead despite the gate, in the owner's words.
    reason: String,
}

/// Splits the body of POST sessions into the session record and an optional owner's override.
fn session_body(body: &[u8]) -> ApiResult<(SessionRecord, Option<OverrideBody>)> {
    let mut v: Value = serde_json::from_slice(body).map_err(|e| {
        tracing::debug!("session body refused: {e}");
        crate::error::not_well_formed()
    })?;
    let over = match v.as_object_mut().and_then(|o| o.remove("override")) {
        Some(o) => Some(crate::error::from_value::<OverrideBody>("override", o)?),
        None => None,
    };
    let rec: SessionRecord = crate::error::from_value("", v)?;
    Ok((rec, over))
}

/// What a session's form and check need of a plan.json: its zones (id, kind, impressions) and its sessions'
/// counts (the rest of the document is not read).
#[derive(Deserialize)]
struct PlanOutline {
    zones: Vec<ZoneOutline>,
    sessions: Vec<SessionOutline>,
}
#[derive(Deserialize)]
struct ZoneOutline {
    id: String,
    kind: String,
    impressions: u64,
    /// Impressions placed by the end of each session.
    #[serde(default)]
    cumulative_impressions: Vec<u64>,
    /// Strength per session (1 = undiluted).
    #[serde(default)]
    dilution: Vec<f64>,
    #[serde(default)]
    needle: Option<String>,
}
#[derive(Deserialize)]
struct SessionOutline {
    impressions: u64,
}

/// The plan a session follows (the plan it names, a plan id of this client, else the plan the client's sessions
/// follow: the chosen design's, `crate::followed`) with
/// its outline, or `None` when the client has no plan.
async fn followed_plan(
    st: &AppState,
    clinic: ClinicId,
    client: ClientId,
    named: Option<&str>,
) -> ApiResult<Option<(PlanRecord, PlanOutline)>> {
    let named = match named {
        Some(p) => Some(p.trim().parse::<PlanId>().map_err(|_| {
            ApiError::unprocessable(format!("plan `{p}` is not a plan id of this client"))
        })?),
        None => None,
    };
    let found = db(st, move |s| {
        let id = match named {
            Some(id) => Some(id),
            None => crate::followed::sessions_plan(
                &s.plans(clinic, client)?,
                &s.designs(clinic, client)?,
            )
            .map(|p| p.id),
        };
        match id {
            Some(id) => Ok(Some((s.plan(clinic, id)?, s.plan_json(clinic, id)?))),
            None => Ok(None),
        }
    })
    .await?;
    let Some((plan, text)) = found else {
        return Ok(None);
    };
    if plan.client_id != client {
        return Err(ApiError::unprocessable(format!(
            "plan {} belongs to another client",
            plan.id
        )));
    }
    let outline =
        cpu(move || serde_json::from_str::<PlanOutline>(&text).map_err(ApiError::internal)).await?;
    Ok(Some((plan, outline)))
}

/// The plan's zones and the impressions not yet placed by the sessions in `log` (touch-ups aside).
fn bounds_of(plan: &PlanRecord, outline: &PlanOutline, log: &SessionLog) -> PlanBounds {
    PlanBounds {
        zones: outline.zones.iter().map(|z| z.id.clone()).collect(),
        remaining: u64::try_from(plan.impressions)
            .unwrap_or(0)
            .saturating_sub(placed(log)),
    }
}

/// Impressions the course's sessions placed so far (touch-ups aside).
fn placed(log: &SessionLog) -> u64 {
    log.sessions
        .iter()
        .filter(|s| !s.touch_up)
        .map(|s| u64::from(s.impressions))
        .sum()
}

/// The zones and unplaced impressions of the plan a session follows; `None` when the client has no plan.
async fn plan_bounds(
    st: &AppState,
    clinic: ClinicId,
    client: ClientId,
    rec: &SessionRecord,
    log: &SessionLog,
) -> ApiResult<Option<PlanBounds>> {
    Ok(followed_plan(st, clinic, client, rec.plan.as_deref())
        .await?
        .map(|(plan, outline)| bounds_of(&plan, &outline, log)))
}

/// GET /api/clients/{id}/session-plan: what the form for the next session offers (probe s8 L11): the
/// followed plan's (the chosen design's, `crate::followed`) zones that receive impressions (id and plain name), the impressions not yet placed and the number
/// proposed for the next session (the plan's own count for it, bounded by what remains; follicle-clinic's
/// `PlanBounds::proposed`). `plan` is null when the client has no plan.
pub(super) async fn session_plan(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    let log = session_log(&st, c, id, &client.fields.reference).await?;
    let unplanned = chosen_unplanned_words(&st, c, id).await?;
    let Some((plan, outline)) = followed_plan(&st, c, id, None).await? else {
        return Ok(Json(json!({ "plan": null, "chosen_unplanned": unplanned })));
    };
    let bounds = bounds_of(&plan, &outline, &log);
    let done = log.sessions.iter().filter(|s| !s.touch_up).count();
    let planned = outline.sessions.get(done).map(|s| s.impressions);
    // Each zone as the design editor names it (follicle-core's words: probe s33 read "mid-scalp" in the
    // editor and "Middle of the top" here), with what the plan's next session gives it: its impressions, its
    // strength and the mix nearest to that strength (the form starts from them; the zones ticked add up).
    let zones: Vec<Value> = outline
        .zones
        .iter()
        .filter(|z| z.kind != "exclusion" && z.impressions > 0)
        .map(|z| {
            let upto = |k: usize| z.cumulative_impressions.get(k).copied();
            let next = planned.and(match done {
                0 => upto(0),
                k => upto(k).zip(upto(k - 1)).map(|(a, b)| a.saturating_sub(b)),
            });
            let strength = planned.and(z.dilution.get(done).copied());
            json!({
                "id": z.id,
                "name": follicle_core::words::capitalised(follicle_core::zone_words(&z.id)),
                "impressions": next,
                "strength": strength,
                "mix": strength.map(|s| {
                    let d = follicle_clinic::session::Dilution::nearest(s);
                    json!({ "pigment": d.pigment, "water": d.water })
                }),
                "needle": z.needle,
            })
        })
        .collect();
    Ok(Json(json!({
        "plan": plan.id,
        "label": plan.label,
        "zones": zones,
        "remaining": bounds.remaining,
        "planned_session": planned.map(|_| done + 1),
        "proposed": bounds.proposed(planned),
        "chosen_unplanned": unplanned,
    })))
}

/// The sentence for a chosen design with no plan yet (`followed::chosen_unplanned`), naming it and the plan the
/// sessions follow meanwhile; `None` when the chosen design has a plan (or none is chosen).
async fn chosen_unplanned_words(
    st: &AppState,
    c: ClinicId,
    id: ClientId,
) -> ApiResult<Option<String>> {
    let (plans, designs) = db(st, move |s| Ok((s.plans(c, id)?, s.designs(c, id)?))).await?;
    let Some(d) = crate::followed::chosen_unplanned(&plans, &designs) else {
        return Ok(None);
    };
    let meanwhile = match crate::followed::sessions_plan(&plans, &designs) {
        Some(p) => {
            // Which design it came from: two plans may carry one name (outside test s49).
            let from = match crate::followed::design_of(&plans, p, &designs) {
                Some(d) => format!(", planned from the saved design “{}”", d.label),
                None => ", planned from changes never saved as a design".to_string(),
            };
            format!(
                "the sessions still follow the plan “{}” (plan {}{from})",
                p.label, p.id.0
            )
        }
        None => "there is no plan to record a session against".to_string(),
    };
    Ok(Some(format!(
        "The design chosen for the sessions, “{}”, has no plan yet: {meanwhile}. Open the design and press “Generate plan” before recording a session.",
        d.label
    )))
}

/// Query of the lots offered for a session: the session's day (default: the clinic's today).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LotDay {
    #[serde(default)]
    day: Option<String>,
}

/// GET /api/clients/{id}/lot-choices?day=YYYY-MM-DD (default today): each lot of the catalogue with why it may not be used for
/// this client on that day (`problem`: expired, or a label ingredient the client is allergic to; null when it
/// may), by follicle-clinic's own check of a session's lot: the form offers exactly the lots the record
/// accepts (the studio's JavaScript copy of the allergen rule is gone).
pub(super) async fn lot_choices(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiQuery(q): ApiQuery<LotDay>,
) -> ApiResult<Json<Value>> {
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let day = match &q.day {
        Some(d) => parse_date("day", d)?,
        None => today(&st, c).await?,
    };
    let intake = latest_intake(&st, c, id).await?.ok_or_else(|| {
        ApiError::conflict("Record a consultation (intake) before the first session.")
    })?;
    let cat = catalogue(&st, c, None, None).await?;
    let lots: Vec<Value> = cat
        .lots
        .iter()
        .map(|lot| {
            let label = cat.pigment(&lot.pigment).map(|p| p.display_name());
            let problem = cat
                .check_use(&lot.number, &intake, day)
                .err()
                .map(|e| e.short_words());
            json!({ "number": lot.number, "pigment": lot.pigment, "label": label, "expiry": lot.expiry, "problem": problem })
        })
        .collect();
    Ok(Json(json!({ "day": day, "lots": lots })))
}

/// A session refused because the client's records changed while it was checked.
const CHANGED_MEANWHILE: &str = "This client's consultations, consents or sessions changed while this session was being recorded (someone saved one at the same moment), so nothing was recorded: reload the client and record the session again, so that it is checked against the latest screening.";

/// POST /api/clients/{id}/sessions: records a held session when the client's screening allows it
/// (follicle-clinic's gate: a clearance recorded with the consultation, or an owner's override with a
/// written reason, audited), inside the plan's zones and remaining impressions, one per day.
pub(super) async fn add_session(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    JsonBytes(body): JsonBytes,
) -> ApiResult<(StatusCode, Json<TreatmentSession>)> {
    let (rec, over) = session_body(&body)?;
    plausible_date("date", rec.date, 1)?;
    text("practitioner", &rec.practitioner, TextKind::Name)?;
    let c = a.clinic();
    let client = db(&st, move |s| s.client(c, id)).await?;
    // What the checks below read, fingerprinted first: the session is stored only while it is unchanged (a
    // consultation saved at the same moment, on any node, could otherwise be passed by).
    let seen = db(&st, move |s| s.treatment_basis(c, id)).await?;
    let intake = latest_intake(&st, c, id).await?.ok_or_else(|| {
        ApiError::conflict("Record a consultation (intake) before the first session.")
    })?;
    if over.is_some() && a.user.role != Role::Owner {
        return Err(ApiError::forbidden(
            "Only the clinic's owner can override the screening.",
        ));
    }
    let over = over.map(|o| Override {
        by: a.user.display_name.clone(),
        reason: o.reason,
    });
    let zone = clinic_zone(&st, c).await?;
    let permit = gate::check_intake(
        &intake,
        &RuleSet::embedded(),
        None,
        over.as_ref(),
        Action::Record,
        rec.date,
        zone.today(now_utc()),
    )
    .map_err(|r| match r {
        Refusal::NeedsClearance { .. }
        | Refusal::Deferred { .. }
        | Refusal::NotSuitable { .. }
        | Refusal::NotScreened => ApiError::conflict(r.to_string()),
        other => ApiError::unprocessable(other.to_string()),
    })?;
    let mut log = session_log(&st, c, id, &client.fields.reference).await?;
    // Consent before treatment (probe s8): no override lifts it.
    gate::check_consent(&log.consents, &ConsentLibrary::embedded(), &zone, rec.date)
        .map_err(|r| ApiError::conflict(r.to_string()))?;
    let cat = catalogue(&st, c, None, None).await?;
    let bounds = plan_bounds(&st, c, id, &rec, &log).await?;
    log.record_permitted(rec.clone(), &intake, &cat, &permit, bounds.as_ref())
        .map_err(|e| ApiError::unprocessable(e.problem()))?;
    let new = NewSession {
        index: i64::from(rec.index),
        held_on: rec.date.to_string(),
        record_json: serde_json::to_string(&rec).map_err(ApiError::internal)?,
    };
    let by = a.user.id;
    let overridden = match &permit.basis {
        gate::Basis::Overridden { by: o, gate } => Some(format!(
            "session {} on {}: {} overrode: {gate} Reason: {}",
            rec.index, rec.date, o.by, o.reason
        )),
        _ => None,
    };
    let stored = db(&st, move |s| {
        match s.add_session_seen(c, id, &new, by, &seen, overridden.as_deref()) {
            Err(StoreError::Stale { .. }) => Ok(None),
            r => r.map(Some),
        }
    })
    .await
    .map_err(conflict_means(format!(
        "session {} is already recorded for this client",
        rec.index
    )))?
    .ok_or_else(|| ApiError::conflict(CHANGED_MEANWHILE))?;
    Ok((StatusCode::CREATED, Json(stored)))
}
