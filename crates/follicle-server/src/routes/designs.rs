//! Designs: named case files saved for a client once follicle-case accepts them, planned on demand; a
//! design's versions (each saved version names the one it follows), the client's chosen design (the one the
//! sessions follow), and the starting point of a new design from the client's latest consultation.

use super::plans::{parse_case, plan_case};
use super::*;

/// Body of POST /api/clients/{id}/designs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DesignBody {
    /// A name for the design (e.g. `conservative hairline`).
    label: String,
    /// The case file (TOML, docs/case-format.md).
    case: String,
    /// The design this is a new version of (the same client's), if any.
    #[serde(default)]
    previous_id: Option<DesignId>,
}

pub(super) async fn list_designs(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Vec<DesignRecord>>> {
    let list = client_records(&st, &a, id, "design", |s, c, id| s.designs(c, id)).await?;
    Ok(Json(list))
}

/// POST /api/clients/{id}/designs: saves a case file once follicle-case accepts it.
pub(super) async fn add_design(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
    ApiJson(b): ApiJson<DesignBody>,
) -> ApiResult<(StatusCode, Json<DesignRecord>)> {
    let label = b.label.trim().to_string();
    if label.is_empty() {
        return Err(ApiError::unprocessable("label: give the design a name"));
    }
    text("design_name", &label, TextKind::Name)?;
    let c = a.clinic();
    db(&st, move |s| s.client(c, id)).await?;
    let case = b.case;
    // Checking a design plans its geometry: under the same cap as planning (outside test s43: eight large
    // designs at once took every core).
    let case = {
        let _planning = super::plans::PLANNING
            .acquire()
            .await
            .map_err(ApiError::internal)?;
        cpu(move || parse_case(&case, &follicle_case::Overrides::default()).map(|_| case)).await?
    };
    let (new, by) = (
        NewDesign {
            label,
            case_toml: case,
            previous_id: b.previous_id,
        },
        a.user.id,
    );
    // A new version of a version someone already followed up (another window, another tablet): 409 in words,
    // with the time on the clinic's clock (read only for a new version, the one save that can be stale).
    let zone = match new.previous_id {
        Some(_) => Some(clinic_zone(&st, c).await?),
        None => None,
    };
    Ok((
        StatusCode::CREATED,
        Json(
            db(&st, move |s| {
                s.add_design(c, id, &new, by).map_err(|e| match (e, &zone) {
                    (e @ StoreError::Stale { .. }, Some(zone)) => match stale_in(zone)(e) {
                        StoreError::Conflict(m) => StoreError::Conflict(format!(
                            "{m} Or keep yours too: “Save as a new design”."
                        )),
                        e => e,
                    },
                    (e, _) => e,
                })
            })
            .await?,
        ),
    ))
}

pub(super) async fn get_design(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<DesignId>,
) -> ApiResult<Json<DesignRecord>> {
    let c = a.clinic();
    let d = db(&st, move |s| s.design(c, id)).await?;
    viewed(&st, &a, "design", Some(id), Some(d.client_id)).await?;
    Ok(Json(d))
}

/// Body of POST /api/designs/{id}/plans: the plan route's overrides (the case comes from the design).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DesignPlanBody {
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    sessions: Option<usize>,
    /// Plan label (default: the design's label).
    #[serde(default)]
    label: Option<String>,
}

/// POST /api/designs/{id}/plans: plans the stored design for its client, as POST /api/clients/{id}/plans does.
pub(super) async fn plan_design(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<DesignId>,
    ApiJson(b): ApiJson<DesignPlanBody>,
) -> ApiResult<(StatusCode, Json<PlanRecord>)> {
    opt_text("plan_name", b.label.as_deref(), TextKind::Name)?;
    let c = a.clinic();
    let d = db(&st, move |s| s.design(c, id)).await?;
    let ov = follicle_case::Overrides {
        seed: b.seed,
        sessions: b.sessions,
    };
    plan_case(
        &st,
        &a,
        d.client_id,
        d.case_toml,
        ov,
        Some(b.label.unwrap_or(d.label)),
    )
    .await
}

/// POST /api/designs/{id}/choose: marks the design as its client's chosen one (the design the sessions follow).
pub(super) async fn choose_design(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<DesignId>,
    ApiQuery(q): ApiQuery<ChooseQuery>,
) -> ApiResult<Json<DesignRecord>> {
    let (c, by) = (a.clinic(), a.user.id);
    // The choice the page showed: a design's id, or `none`; without it the choice is made as asked.
    let seen = match q.chosen_before.as_deref().map(str::trim) {
        None => None,
        Some("none") => Some(None),
        Some(v) => Some(Some(DesignId(v.parse().map_err(|_| {
            ApiError::unprocessable(
                "chosen_before: give the id of the design the page showed as chosen, or none.",
            )
        })?))),
    };
    let zone = clinic_zone(&st, c).await?;
    Ok(Json(
        db(&st, move |s| {
            s.choose_design(c, id, seen, by).map_err(stale_in(&zone))
        })
        .await?,
    ))
}

/// The query of [`choose_design`].
#[derive(serde::Deserialize)]
pub(super) struct ChooseQuery {
    /// The design the page showed as chosen (`none` when none was).
    chosen_before: Option<String>,
}

/// GET /api/designs/{id}/history: the design and the versions it follows, newest first.
pub(super) async fn design_history(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<DesignId>,
) -> ApiResult<Json<Vec<DesignRecord>>> {
    let c = a.clinic();
    let list = db(&st, move |s| s.design_history(c, id)).await?;
    let client = list.first().map(|d| d.client_id);
    viewed(&st, &a, "design history", Some(id), client).await?;
    Ok(Json(list))
}

/// GET /api/clients/{id}/designs/start: what a new design starts from, read from the client's latest
/// consultation: the pattern for its hair-loss stage (follicle-case's mapping) and the head's sex (a Ludwig
/// classification is a woman's), with the consultation's Fitzpatrick type and hair colour and the starting
/// shade they give (`follicle_render::start_shade`, the one rule): the pigment and strength per session
/// for each zone of the pattern, ready for the case file's `shade` and `dilution`, and why in words. The
/// pigment comes from the clinic's own pigments (those recorded with a colour) when one of them suits
/// (`start_shade::clinic_catalogue`), else from the built-in catalogue; `catalogue` says which
/// (`clinic`, `built-in`) and `catalogue_note` why, in words.
/// Without a consultation or a classification, the house defaults (`pattern` and `sex` absent); without a
/// Fitzpatrick type or a hair colour, `shade` is null and `shade_missing` says what to record.
pub(super) async fn design_start(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(id): ApiPath<ClientId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(start_from_consultation(&st, &a, id).await?))
}

/// What a new design for client `id` starts from ([`design_start`]'s answer); the photo advice reads its
/// shade too when the photo shows no hair to match (one rule, one answer).
pub(super) async fn start_from_consultation(
    st: &AppState,
    a: &Actor,
    id: ClientId,
) -> ApiResult<Value> {
    let Some((latest, intake)) = latest_consultation(st, a, id).await? else {
        return Ok(json!({ "consultation_id": null }));
    };
    let hl = &intake["hair_loss"];
    let (scale, stage) = (
        hl["scale"].as_str().unwrap_or(""),
        hl["stage"].as_str().unwrap_or(""),
    );
    let pattern = follicle_case::pattern_for_stage(scale, stage);
    let head = crate::look::consultation_sex(&intake);
    let sex = head.map(follicle_core::Sex::as_str);
    // Without a stage: the default for the sex the consultation records or implies.
    let scars = scar_words(&intake);
    let default_pattern = follicle_case::default_pattern(head, !scars.is_empty());
    let own = super::pigments::coloured(st, a.clinic()).await?;
    let (shade, shade_missing) = starting_shade(&intake, pattern.unwrap_or(default_pattern), own);
    Ok(json!({
        "consultation_id": latest.id,
        "held_on": latest.held_on,
        // "Norwood V" as the consultation form writes it (probe s32b: "norwood V").
        "hair_loss": match scale.parse::<follicle_clinic::vocab::HairLossScale>() {
            Ok(follicle_clinic::vocab::HairLossScale::Norwood) => json!(format!("Norwood {stage}")),
            Ok(follicle_clinic::vocab::HairLossScale::Ludwig) => json!(format!("Ludwig {stage}")),
            Err(_) => Value::Null,
        },
        "pattern": pattern.map(follicle_case::pattern_name),
        "default_pattern": follicle_case::pattern_name(default_pattern),
        // Whether the consultation records the sex (else it is implied by the classification, or unknown).
        "sex_recorded": intake["client"]["sex"].is_string(),
        // Regions the stage has lost that its pattern keeps as hair (Norwood III-vertex: the crown).
        "treated": follicle_case::treated_for_stage(scale, stage),
        // The scars the consultation records, in words: a new design has none drawn yet (probe s37).
        "scars": scars,
        "sex": sex,
        "fitzpatrick": intake["skin"]["fitzpatrick"],
        "hair_colour": intake["hair"]["colour"],
        "shade": shade,
        "shade_missing": shade_missing,
    }))
}

/// The scars an intake records, as the editor names them ("FUT strip scar, 80 mm long").
fn scar_words(intake: &Value) -> Vec<String> {
    use follicle_clinic::vocab::ScarKind;
    let Some(list) = intake["scars"].as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|s| {
            let kind: ScarKind = s["kind"].as_str()?.parse().ok()?;
            let words = match kind {
                ScarKind::FutStrip => "FUT strip".to_string(),
                ScarKind::Fue => "FUE".to_string(),
                k => k.words(),
            };
            Some(match s["length_mm"].as_f64().filter(|l| *l > 0.0) {
                Some(l) => format!("{words} scar, {l:.0} mm long"),
                None => format!("{words} scar"),
            })
        })
        .collect()
}

/// The client's latest consultation held by today on the clinic's clocks (by the day it was held; one
/// dated later has not happened yet: the rule of [`crate::client_docs::held_by`], which the client report,
/// the passport and the session gates follow too) and its intake, as the account may read them.
pub(super) async fn latest_consultation(
    st: &AppState,
    a: &Actor,
    id: ClientId,
) -> ApiResult<Option<(follicle_store::Consultation, Value)>> {
    let list = client_records(st, a, id, "consultation", |s, c, id| s.consultations(c, id)).await?;
    let today = today(st, a.clinic()).await?;
    let held = crate::client_docs::held_by(list, today);
    let Some(latest) = held.into_iter().max_by_key(|c| (c.held_on.clone(), c.id)) else {
        return Ok(None);
    };
    let intake: Value = serde_json::from_str(&latest.intake_json).map_err(ApiError::internal)?;
    Ok(Some((latest, intake)))
}

/// The catalogue a new design starts from: the clinic's own coloured pigments when one suits, else the
/// built-in one; which (`clinic`, `built-in`) and why in words.
fn start_catalogue(
    own: Vec<follicle_render::shade::Pigment>,
) -> (follicle_render::Catalogue, &'static str, String) {
    use follicle_render::start_shade::{clinic_catalogue, START_MAX_L};
    let names: Vec<String> = own.iter().map(|p| p.name.clone()).collect();
    if let Some(c) = clinic_catalogue(own) {
        let note = format!(
            "From the clinic's own pigments: {} is the darkest neutral one recorded with its colour.",
            c.default
        );
        return (c, "clinic", note);
    }
    let note = if names.is_empty() {
        "From the built-in catalogue: none of the clinic's pigments has its colour recorded (add the supplier's CIELAB colour to a pigment to start designs from it).".to_string()
    } else {
        format!(
            "From the built-in catalogue: none of the clinic's pigments with a recorded colour ({}) is dark and neutral enough to start a design (L* at most {START_MAX_L:.0}, a near-neutral black).",
            names.join(", ")
        )
    };
    (follicle_render::Catalogue::builtin(), "built-in", note)
}

/// The starting shade of the intake's Fitzpatrick type and hair colour for the zones of `pattern` (the
/// editor's default Norwood 6 when the consultation gives none), from the clinic's own pigments `own` when
/// one suits ([`start_catalogue`]), or null and what to record first.
fn starting_shade(
    intake: &Value,
    pattern: follicle_core::Pattern,
    own: Vec<follicle_render::shade::Pigment>,
) -> (Value, Value) {
    use follicle_clinic::vocab::{Fitzpatrick, HairColour};
    let skin = intake["skin"]["fitzpatrick"]
        .as_str()
        .and_then(|t| t.parse::<Fitzpatrick>().ok());
    let hair = intake["hair"]["colour"]
        .as_str()
        .and_then(|h| h.parse::<HairColour>().ok());
    let (Some(skin), Some(hair)) = (skin, hair) else {
        let missing = match (skin, hair) {
            (None, None) => "the Fitzpatrick type and the hair colour",
            (None, _) => "the Fitzpatrick type",
            _ => "the hair colour",
        };
        return (
            Value::Null,
            json!(format!(
                "Record {missing} in the consultation to get a starting shade."
            )),
        );
    };
    let t = Fitzpatrick::ALL
        .iter()
        .position(|&f| f == skin)
        .unwrap_or(0) as u8
        + 1;
    let (catalogue, source, note) = start_catalogue(own);
    let Ok(s) = follicle_render::start_shade::starting_shade(&catalogue, t, hair.as_str()) else {
        return (
            Value::Null,
            json!("No starting shade for this hair colour: choose the shade by hand."),
        );
    };
    use follicle_core::ZoneKind;
    let s = if follicle_core::presets::zones_for(pattern)
        .iter()
        .any(|z| z.kind == ZoneKind::Hairline)
    {
        s
    } else {
        s.without_hairline()
    };
    let dilution = |k: ZoneKind| s.dilution_for(k);
    let kinds = [
        ZoneKind::Hairline,
        ZoneKind::Scar,
        ZoneKind::Density,
        ZoneKind::Blend,
    ];
    let by_kind: serde_json::Map<String, Value> = kinds
        .into_iter()
        .map(|k| {
            let d = dilution(k);
            (
                k.as_str().to_string(),
                json!({ "shade": s.pigment, "dilution": d }),
            )
        })
        .collect();
    let zones: serde_json::Map<String, Value> = follicle_core::presets::zones_for(pattern)
        .into_iter()
        .filter(|z| z.kind != ZoneKind::Exclusion)
        .map(|z| {
            let d = dilution(z.kind);
            (z.id, json!({ "shade": s.pigment, "dilution": d }))
        })
        .collect();
    let shade = json!({
        "pigment": s.pigment,
        "strength": s.strength,
        "dilution": s.body,
        "fine_dilution": s.fine,
        "band": [s.band.0, s.band.1],
        "delta_e": (s.delta_e * 10.0).round() / 10.0,
        "closer": s.closer.as_ref().map(|(p, st, de)| json!({ "pigment": p, "strength": st, "delta_e": (de * 10.0).round() / 10.0 })),
        "fit": s.fit.as_str(),
        "why": s.why,
        "caution": s.caution,
        "catalogue": source,
        "catalogue_note": note,
        "zones": zones,
        "by_kind": by_kind,
    });
    (shade, Value::Null)
}

#[cfg(test)]
mod tests {
    use super::scar_words;
    use serde_json::json;

    #[test]
    fn the_consultation_s_scars_are_named_for_the_editor() {
        let intake = json!({"scars": [
            {"kind": "fut-strip", "length_mm": 120.0},
            {"kind": "fue"},
            {"kind": "burn", "length_mm": 0.0},
            {"kind": "a ghost"}
        ]});
        assert_eq!(
            scar_words(&intake),
            ["FUT strip scar, 120 mm long", "FUE scar", "burn scar"]
        );
        assert!(scar_words(&json!({})).is_empty());
    }
}
