//! How the marks on a client's photo fit the design's head: the photo's view, a residual per landmark in
//! mm at the registered scale, the mark leave-one-out finds wrong, and one sentence in plain words
//! (follicle-render's `views`). Quick (no photo is decoded): the marks editor asks after every save.

use super::photo_preview::{plan_and_photo, stored_marks, PlanPhoto};
use super::*;
use follicle_render::register::{RegisterError, MAX_RESIDUAL_MM};
use follicle_render::views::{self, label, PhotoView};

/// GET /api/plans/{id}/photos/{photo}/fit: `{view, view_words, fits, words, rms_mm, px_per_mm, exact,
/// residuals: [{name, label, mm}], culprit: {name, label, off_mm, without_mm, words} | null, proposed}`
/// (`proposed`: the marks not yet confirmed; the words then say so). A fit the
/// library refuses is still answered (200, `fits: false`) with its reason in words and, when the marks
/// were measured, their residuals; a photo without marks is a 422 naming what to mark.
pub(super) async fn photo_fit(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(PlanPhoto { id, photo }): ApiPath<PlanPhoto>,
) -> ApiResult<Json<Value>> {
    let (p, text, _, marks, view) = plan_and_photo(&st, &a, id, photo, None).await?;
    let unconfirmed = super::photos::proposed_words(&marks);
    let proposed = marks.proposed.clone();
    let mut body = cpu(move || {
        let plan = follicle_export::load_plan(&text)
            .map_err(|e| ApiError::internal(format!("stored plan.json: {e}")))?;
        let marks = stored_marks(&marks.landmarks_json, 1.0)?;
        Ok(fit_words(
            view,
            marks.points.len(),
            views::register_view(&plan, view, &marks, MAX_RESIDUAL_MM),
        ))
    })
    .await?;
    body["proposed"] = json!(proposed);
    if let Some(w) = unconfirmed {
        let words = body["words"].as_str().unwrap_or_default();
        body["words"] = json!(format!("{words} This fit is {w}."));
    }
    viewed(&st, &a, "photo fit", Some(photo), Some(p.client_id)).await?;
    Ok(Json(body))
}

/// A residual list as JSON rows.
fn rows(residuals: &[(String, f64)]) -> Vec<Value> {
    residuals
        .iter()
        .map(|(n, mm)| json!({ "name": n, "label": label(n), "mm": (mm * 100.0).round() / 100.0 }))
        .collect()
}

/// The registration (or its refusal) in words.
fn fit_words(
    view: PhotoView,
    n: usize,
    r: Result<follicle_render::register::Registration, RegisterError>,
) -> Value {
    let base = json!({ "view": view.name(), "view_words": view.words(), "marks": n });
    let mut v = match r {
        Ok(r) => {
            let worst = r.residuals.iter().map(|x| x.1).fold(0.0, f64::max);
            let words = match (&r.culprit, r.exact) {
                (Some(c), _) => format!(
                    "The marks fit the head within {:.1} mm, but {}: check it.",
                    r.rms_mm,
                    c.sentence()
                ),
                (None, true) => format!(
                    "The {n} marks fix this {} photo exactly, so they cannot be checked against each other: mark one more to check them.",
                    view.name()
                ),
                (None, false) => format!(
                    "All {n} marks fit the head within {worst:.1} mm (average {:.1} mm).",
                    r.rms_mm
                ),
            };
            json!({
                "fits": true,
                "words": words,
                "rms_mm": (r.rms_mm * 100.0).round() / 100.0,
                "px_per_mm": (r.px_per_mm * 100.0).round() / 100.0,
                "exact": r.exact,
                "residuals": rows(&r.residuals),
                "culprit": r.culprit.map(|c| json!({
                    "name": c.name, "label": label(&c.name), "off_mm": (c.off_mm * 10.0).round() / 10.0,
                    "without_mm": (c.rms_without_mm * 10.0).round() / 10.0, "words": c.sentence(),
                })),
            })
        }
        Err(RegisterError::Residual {
            rms_mm,
            culprit,
            residuals,
            limit_mm,
            ..
        }) => {
            let culprit = culprit.map(|(name, without, off)| {
                let c = views::Culprit {
                    name,
                    off_mm: off,
                    rms_without_mm: without,
                    rms_with_mm: rms_mm,
                };
                json!({
                    "name": c.name, "label": label(&c.name), "off_mm": (off * 10.0).round() / 10.0,
                    "without_mm": (without * 10.0).round() / 10.0, "words": c.sentence(),
                })
            });
            let words = match &culprit {
                Some(c) => format!(
                    "The marks do not fit the head ({rms_mm:.1} mm on average, more than {limit_mm:.0} mm): {}. Move that mark.",
                    c["words"].as_str().unwrap_or_default()
                ),
                None => format!(
                    "The marks do not fit the head ({rms_mm:.1} mm on average, more than {limit_mm:.0} mm), and no single mark is to blame: check that the photo is a {} photo and each mark's place.",
                    view.name()
                ),
            };
            json!({ "fits": false, "words": words, "rms_mm": (rms_mm * 100.0).round() / 100.0, "residuals": rows(&residuals), "culprit": culprit })
        }
        Err(e) => {
            json!({ "fits": false, "words": format!("These marks cannot place the head: {e}."), "residuals": [], "culprit": null })
        }
    };
    if let (Some(o), Some(b)) = (v.as_object_mut(), base.as_object()) {
        for (k, x) in b {
            o.insert(k.clone(), x.clone());
        }
    }
    v
}
