//! What the studio's "Preview on photo" page says beside the picture: which clipper guard makes the
//! retained hair match the treated top (follicle-render's `tone`), whether the photo is too coarse for
//! single impressions, and the shade recommendation (pigment, dilution, ΔE00, the closest catalogue pigment
//! when a zone cannot be matched) for the skin and hair sampled from the client's own photo
//! (follicle-render's `shade`). Computed off the async workers under the photo-decoding cap, and cached on
//! this node's disk like the pictures (a cache only: any node can compute it again). A photo without
//! retained hair names no guard and matches no hair colour (none is sampled from the skin): the shade is
//! the one a new design starts from after the client's consultation (designs/start, read fresh each time).

use super::photo_preview::{cached, plan_and_photo, PlanPhoto};
use super::photo_scene::SceneOf;
use super::plans::PREVIEW_CACHE_VERSION;
use super::*;
use follicle_render::color::{hex, srgb8_from_lin};

/// Query of GET /api/plans/{id}/photos/{photo}/advice.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AdviceQuery {
    /// `fresh|healed|years:N` (default healed).
    #[serde(default)]
    state: Option<String>,
    /// After this session (default the last).
    #[serde(default)]
    session: Option<usize>,
    /// Clipper guard shown, mm (default: the one that matches).
    #[serde(default)]
    guard: Option<f64>,
}

/// GET /api/plans/{id}/photos/{photo}/advice: guard, resolution and shade advice for the plan on the photo.
pub(super) async fn photo_advice(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(PlanPhoto { id, photo }): ApiPath<PlanPhoto>,
    ApiQuery(q): ApiQuery<AdviceQuery>,
) -> ApiResult {
    let state_name = q.state.as_deref().unwrap_or("healed");
    let state = follicle_render::State::parse(state_name)
        .ok_or_else(|| ApiError::bad_request(follicle_render::State::refusal_words(state_name)))?;
    let max_guard = follicle_render::shaved::MAX_GUARD_MM;
    if q.guard
        .is_some_and(|g| !(g.is_finite() && (0.0..=max_guard).contains(&g)))
    {
        return Err(ApiError::bad_request(format!(
            "guard must be 0–{max_guard} mm (longer hair is not a shaved head)"
        )));
    }
    let (p, text, ph, marks, view) = plan_and_photo(&st, &a, id, photo, q.session).await?;
    // Matched and drawn with the clinic's pigments where the design's shades are theirs (follicle-render's
    // plan_catalogue): their recorded colours are part of the advice's key.
    let own = super::pigments::coloured(&st, a.clinic()).await?;
    let key = format!(
        "advice-v{PREVIEW_CACHE_VERSION}|{}|{}|{}|{}|{:?}|{:?}|{}|{own:?}",
        sha256_hex(text.as_bytes()),
        ph.sha256,
        sha256_hex(marks.landmarks_json.as_bytes()),
        state.label(),
        q.session,
        q.guard,
        view.name()
    );
    // The Fitzpatrick type the client's latest consultation records: the advice keeps to its practice band,
    // as the design editor does (part of the key: a corrected consultation advises again).
    let recorded = recorded_type(&st, &a, p.client_id).await?;
    let key = format!("{key}|{recorded:?}");
    let (path, cached) = cached(&st, a.clinic(), &ph.sha256, &key, "json").await?;
    let unconfirmed = super::photos::proposed_words(&marks);
    let proposed = marks.proposed.clone();
    let mut body = match cached.and_then(|b| serde_json::from_slice::<Value>(&b).ok()) {
        Some(v) => v,
        None => {
            let (session, guard) = (q.session, q.guard);
            super::photo_scene::with_preview(
                &st,
                SceneOf::new(a.clinic(), &ph, &marks, view, text),
                (state, guard, 1000.0),
                (session, false),
                own,
                move |d, pv, drawn| {
                    let plan = &d.plan;
                    let mut v = advice(plan, pv, drawn, recorded);
                    // A copy saved at a low JPEG quality (follicle-render's words, as the CLI says them).
                    v["compression_warning"] = json!(d.compression_warning);
                    follicle_store::photos::write_atomic(&path, v.to_string().as_bytes())?;
                    Ok(v)
                },
            )
            .await?
        }
    };
    // No hair on the photo to match: the shade a new design starts from, from the client's consultation (the
    // one rule, designs/start), not cached (the consultation may change).
    if body["shade"].is_null() {
        let start = super::designs::start_from_consultation(&st, &a, p.client_id).await?;
        body["consultation_shade"] = start["shade"].clone();
        body["shade_missing"] = json!(no_hair_words(&start, body["shade_withheld"].as_str()));
    } else if let Some(note) = band_note(recorded, &body["shade"]) {
        // The practice band of the photo's skin against the consultation's type (the editor's), when they
        // differ: not cached either.
        body["shade"]["band_note"] = json!(note);
    }
    // Not part of the cached advice: confirming the marks as they stand changes no picture.
    body["marks_proposed"] = json!(proposed);
    body["marks_warning"] = json!(unconfirmed);
    viewed(&st, &a, "plan on photo", Some(id), Some(p.client_id)).await?;
    Ok(Json(body).into_response())
}

/// The advice as JSON: every rule and every sentence comes from follicle-render; `drawn` is the catalogue the
/// picture and the shade match use, and `catalogue` / `catalogue_note` say which and why.
fn advice(
    plan: &follicle_core::Plan,
    pv: &follicle_render::client::PhotoPreview,
    drawn: &follicle_render::plan_catalogue::PlanCatalogue,
    recorded: Option<u8>,
) -> Value {
    use follicle_render::{shade, tone};
    let c = |l: follicle_render::color::Lin| hex(srgb8_from_lin(l));
    let tone_json = pv.tone.as_ref().map(|t| {
        json!({
            "top_before": round1(t.top_before),
            "top_after": round1(t.top_after),
            "sides_before": round1(t.sides_before),
            "gap_before": round1(t.gap_before()),
            "gap_before_words": t.gap_before_words(),
            "gap_shown": round1(t.gap_at(pv.guard_mm)),
            "guards": t.sides_shaved.iter().map(|&(g, l)| json!({
                "guard_mm": g,
                "words": tone::guard_words(g),
                "sides": round1(l),
                "gap": round1(t.gap_at(g)),
                "gap_words": t.gap_words(g),
                "matches": t.matches(g),
            })).collect::<Vec<_>>(),
        })
    });
    // A skin colour that would mislead the match (an underexposed photo, a colour cast) is matched to no
    // pigment: the shade comes from the consultation instead, and the reason is said (`shade_withheld`).
    let withheld = pv
        .map
        .skin_unreadable()
        .then(|| pv.map.skin_warning())
        .flatten();
    let shade_json = pv.map.hair_colour.filter(|_| withheld.is_none()).map(|hair| {
        let band = recorded.and_then(shade::recorded_band);
        let report = shade::recommend_in(plan, &drawn.catalogue, pv.map.skin, hair, band);
        json!({
            "skin": c(report.skin),
            "skin_warning": pv.map.skin_warning(),
            "hair": c(report.hair),
            "target": c(report.target),
            "match_delta_e": shade::MATCH_DELTA_E,
            "zones": report.zones.iter().map(|z| json!({
                "zone": z.zone,
                "zone_words": follicle_core::zone_words(&z.zone),
                "pigment": z.pigment,
                "strength_percent": (z.strength * 100.0).round(),
                "delta_e": round1(z.delta_e),
                "healed": c(z.healed),
                "plan_strength_percent": (z.plan_strength * 100.0).round(),
                "plan_delta_e": round1(z.plan_delta_e),
                "plan_healed": c(z.plan_healed),
                "band_percent": [(z.band.0 * 100.0).round(), (z.band.1 * 100.0).round()],
                "beyond_band_note": z.beyond_band_words(follicle_core::zone_words(&z.zone)),
                "matched": z.unmatched.is_none(),
                "closest": z.unmatched.as_ref().map(|(n, s, de)| json!({
                    "pigment": n, "strength_percent": (s * 100.0).round(), "delta_e": round1(*de),
                })),
            })).collect::<Vec<_>>(),
            "notes": unmatched_notes(&report.zones),
            // Why advice lies past the usual strengths, one sentence for the zones it is the same for.
            "beyond_band_notes": grouped_notes(&report.zones, |z, names| z.beyond_band_words(names)),
            // White, grey or red hair, or stubble as light as the skin (follicle-render's `hair_caution`).
            "caution": report.caution,
            "plan_differs": follicle_render::shade_gap::plan_differs_words(&report.zones),
        })
    });
    // No retained hair on the photo: nothing to clip, so no guard is named.
    let hairless = pv.no_hair_to_clip();
    // A design that keeps the client's own hair: nothing is clipped unless a guard is chosen.
    let unclipped = hairless || pv.hair_as_worn;
    json!({
        "catalogue": drawn.source.as_str(),
        "catalogue_note": drawn.note,
        "guard_mm": (!unclipped).then_some(pv.guard_mm),
        "guard_words": (!unclipped).then(|| tone::guard_words(pv.guard_mm)),
        "guard_note": if pv.hair_as_worn {
            Some(HAIR_AS_WORN.to_string())
        } else {
            hairless.then(|| no_hair_guard(pv.unseen_hair_note()))
        },
        "hair_as_worn": pv.hair_as_worn,
        "shade_withheld": withheld,
        "matching_guard_mm": pv.tone.as_ref().and_then(|t| t.matching_guard()),
        "tone": tone_json,
        "tone_warning": pv.tone_warning(),
        "scalp_px_per_mm": round1(pv.scalp_px_per_mm),
        "detail_px_per_mm": round1(pv.detail_px_per_mm),
        "resolution_warning": pv.resolution_warning(),
        "seen_cm2": pv.seen_cm2.round(),
        "coverage_warning": pv.coverage_warning(),
        "edge_hair_warning": pv.edge_hair_warning(),
        "warm_hair_warning": pv.warm_hair_warning(),
        "object_on_head_warning": pv.object_on_head_warning(),
        "outline_warning": pv.outline_warning(),
        "enclosed_dark_warning": pv.enclosed_dark_warning(),
        "placement_warning": pv.off_head().map(|e| e.to_string()),
        // What the client will not see of the design on this picture and what to change in the plan (the
        // CLI's warnings; none before the first session, where nothing is drawn to read).
        "design_advice": if pv.reading.shown.session.0 > 0 { pv.design_advice() } else { Vec::new() },
        "shade": shade_json,
    })
}

/// The Fitzpatrick type (1–6) the client's latest consultation records, if any.
async fn recorded_type(st: &AppState, a: &Actor, client: ClientId) -> ApiResult<Option<u8>> {
    use follicle_clinic::vocab::Fitzpatrick;
    let Some((_, intake)) = super::designs::latest_consultation(st, a, client).await? else {
        return Ok(None);
    };
    Ok(intake["skin"]["fitzpatrick"]
        .as_str()
        .and_then(|t| t.parse::<Fitzpatrick>().ok())
        .and_then(|f| Fitzpatrick::ALL.iter().position(|&x| x == f))
        .map(|i| i as u8 + 1))
}

/// When the skin read off the photo (`shade.skin`) calls for another practice band than the Fitzpatrick
/// type the client's latest consultation records (`recorded`: the band the design editor states, and the
/// advice keeps to): both, in follicle-render's words (`shade::photo_band_note`).
fn band_note(recorded: Option<u8>, shade: &Value) -> Option<String> {
    let skin = shade["skin"]
        .as_str()
        .and_then(follicle_render::color::parse_hex)?;
    follicle_render::shade::photo_band_note(follicle_render::color::lin_from_srgb8(skin), recorded?)
}

/// Said instead of a clipper guard when the design keeps the client's own hair (`follicle_core::worn`).
const HAIR_AS_WORN: &str = "This design treats among the client's own hair, which they keep: the photo's hair is shown as worn and the impressions only where the scalp shows. Choose a guard to see it clipped instead.";

/// Said instead of a clipper guard when the photo shows no retained hair, with what that can hide on a front
/// photo (`follicle_render::client::UNSEEN_HAIR`).
fn no_hair_guard(unseen: Option<&str>) -> String {
    let lead =
        "No retained hair was found on this photo: there is nothing to clip, so no guard is named.";
    match unseen {
        Some(u) => format!("{lead} {}{}.", u[..1].to_uppercase(), &u[1..]),
        None => lead.to_string(),
    }
}

/// Where the shade comes from when the photo shows no retained hair, or its skin colour would mislead the
/// match (`withheld`: why), from designs/start's answer `start`.
fn no_hair_words(start: &Value, withheld: Option<&str>) -> String {
    let lead = match withheld {
        Some(why) => format!("No pigment is matched to this photo's colours: {why}"),
        None => {
            "No retained hair was found on this photo, so there is no hair colour on it to match"
                .to_string()
        }
    };
    if !start["shade"].is_null() {
        format!(
            "{lead}: the shade comes from the consultation ({} hair, Fitzpatrick {}), as a new design starts.",
            start["hair_colour"].as_str().unwrap_or("recorded").replace('-', " "),
            start["fitzpatrick"].as_str().unwrap_or("as recorded"),
        )
    } else if let Some(m) = start["shade_missing"].as_str() {
        format!("{lead}. {m}")
    } else {
        format!("{lead}: record the client's consultation (Fitzpatrick type and hair colour) to get a shade, or choose it by hand.")
    }
}

/// One sentence per group of zones that `words` says the same of (the zones named together): the zones
/// the same pigment cannot match, or whose advice lies past the usual strengths for the same reason (outside
/// probe s32: one paragraph repeated for each of seven zones).
fn grouped_notes(
    zones: &[follicle_render::shade::ZoneShade],
    words: impl Fn(&follicle_render::shade::ZoneShade, &str) -> Option<String>,
) -> Vec<String> {
    let mut groups: Vec<(Vec<&str>, &follicle_render::shade::ZoneShade, String)> = Vec::new();
    for z in zones {
        let Some(key) = words(z, "") else { continue };
        match groups.iter_mut().find(|(_, _, k)| *k == key) {
            Some((names, _, _)) => names.push(follicle_core::zone_words(&z.zone)),
            None => groups.push((vec![follicle_core::zone_words(&z.zone)], z, key)),
        }
    }
    groups
        .into_iter()
        .filter_map(|(names, z, _)| words(z, &names.join(", ")))
        .collect()
}

/// The zones a pigment cannot match, one sentence per pigment and strength.
fn unmatched_notes(zones: &[follicle_render::shade::ZoneShade]) -> Vec<String> {
    grouped_notes(zones, |z, names| z.unmatched_words(names))
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
