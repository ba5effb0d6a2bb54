//! How the marks on a client's photo fit the design's head: the photo's view, a residual per landmark in
//! mm at the registered scale, the mark leave-one-out finds wrong, the head's breadth on the photo against
//! the design's, and one sentence in plain words (follicle-render's `views` and `head_size`). The fit is
//! the one `follicle render` and the studio's pictures use (`photo_preview::registered`): a front photo is
//! registered jointly from its face marks and the head's outline on it, so the photo is decoded (under the
//! decoding cap; the answer is cached with the pictures); other views register from their marks alone.

use super::photo_preview::{cached, plan_and_photo, registered, stored_marks, PlanPhoto};
use super::*;
use follicle_render::head_size::HeadSize;
use follicle_render::register::RegisterError;
use follicle_render::views::{self, label, PhotoView};

/// Version of the cached fit answers (bump when the fit or its JSON changes).
const FIT_CACHE_VERSION: u32 = 4;

/// GET /api/plans/{id}/photos/{photo}/fit: `{view, view_words, fits, words, rms_mm, px_per_mm, exact,
/// head_turn_deg, head_tilt_deg, pose_words, residuals: [{name, label, mm}], points: {name: [x, y]}, hairline: [[x, y]], culprit: {name, label, off_mm, without_mm, words} | null, proposed,
/// outline_words, head_breadth_mm, design_head_breadth_mm, head_words}` (`proposed`: the marks not yet
/// confirmed; the words then say so; `outline_words`: what the head's outline said on a front photo;
/// `head_breadth_mm`: the head's breadth measured on a front photo, null when its outline took no part;
/// `head_words`: the request to update the design's head measurements when the heads differ by more than
/// follicle-render's `HEAD_BREADTH_TOLERANCE_MM`, else null). A fit the library refuses is still answered
/// (200, `fits: false`) with its reason in words and, when the marks were measured, their residuals; a
/// photo without marks is a 422 naming what to mark.
pub(super) async fn photo_fit(
    State(st): State<AppState>,
    a: Actor,
    ApiPath(PlanPhoto { id, photo }): ApiPath<PlanPhoto>,
) -> ApiResult<Json<Value>> {
    let (p, text, ph, marks, view) = plan_and_photo(&st, &a, id, photo, None).await?;
    let unconfirmed = super::photos::proposed_words(&marks);
    let proposed = marks.proposed.clone();
    // Every view is fitted with its photo, as the preview fits it (`views::register_photo`: a top, side or
    // back photo's outline on its backdrop holds the tilt its marks cannot), so the words match the picture.
    let mut body = {
        let key = format!(
            "fit-v{FIT_CACHE_VERSION}|{}|{}|{}",
            sha256_hex(text.as_bytes()),
            ph.sha256,
            sha256_hex(marks.landmarks_json.as_bytes()),
        );
        let (path, found) = cached(&st, a.clinic(), &ph.sha256, &key, "json").await?;
        match found.and_then(|b| serde_json::from_slice::<Value>(&b).ok()) {
            Some(v) => v,
            None => {
                let landmarks_json = marks.landmarks_json.clone();
                let n = marks_count(&landmarks_json, view)?;
                super::photo_preview::with_photo_and_plan(
                    &st,
                    &ph.sha256,
                    text,
                    move |plan, bytes| {
                        let (_, scale, reg) = registered(plan, bytes, &landmarks_json, view)?;
                        let v = fit_words(plan, view, n, scale, reg);
                        follicle_store::photos::write_atomic(&path, v.to_string().as_bytes())?;
                        Ok(v)
                    },
                )
                .await?
            }
        }
    };
    body["proposed"] = json!(proposed);
    if let Some(w) = unconfirmed {
        let words = body["words"].as_str().unwrap_or_default();
        body["words"] = json!(format!("{words} This fit is {w}."));
    }
    viewed(&st, &a, "photo fit", Some(photo), Some(p.client_id)).await?;
    Ok(Json(body))
}

/// How many marks a stored landmarks JSON holds.
fn marks_count(landmarks_json: &str, view: PhotoView) -> Result<usize, ApiError> {
    Ok(stored_marks(landmarks_json, 1.0, view)?.points.len())
}

/// The design's face landmarks and hairline points where this registration puts them on the photo as
/// stored (`{name: [x, y] | null}`, follicle-render's `overlay`: what the design editor draws).
fn points(
    plan: &follicle_core::Plan,
    r: &follicle_render::register::Registration,
    scale: f64,
) -> Value {
    follicle_render::overlay::design_points(&plan.landmarks, plan.hairline.as_ref(), r, scale)
        .into_iter()
        .map(|(n, p)| (n.to_string(), json!(p)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// A residual list as JSON rows.
fn rows(residuals: &[(String, f64)]) -> Vec<Value> {
    residuals
        .iter()
        .map(|(n, mm)| json!({ "name": n, "label": label(n), "mm": (mm * 100.0).round() / 100.0 }))
        .collect()
}

/// The registration (or its refusal) of a photo of `plan`'s client in words; `scale`: the photo was
/// registered shrunk by this much (its px/mm is answered for the photo as stored).
fn fit_words(
    plan: &follicle_core::Plan,
    view: PhotoView,
    n: usize,
    scale: f64,
    r: Result<follicle_render::register::Registration, RegisterError>,
) -> Value {
    let head = r.as_ref().ok().and_then(|r| HeadSize::measured(plan, r));
    let head_words = head
        .and_then(|h| h.advice(follicle_render::head_size::IN_THE_EDITOR))
        .map(|w| crate::error::without_keys(&w));
    let outline = r
        .as_ref()
        .ok()
        .and_then(|r| r.silhouette.as_ref())
        .map(|s| s.words.clone());
    let base = json!({
        "view": view.name(),
        "view_words": view.words(),
        "marks": n,
        "outline_words": outline,
        "head_breadth_mm": head.map(|h| h.photo_mm.round()),
        "design_head_breadth_mm": plan.head.measurements.breadth_mm,
        "head_words": head_words,
    });
    let mut v = match r {
        Ok(r) => {
            let worst = r.residuals.iter().map(|x| x.1).fold(0.0, f64::max);
            let words = match (&r.culprit, r.exact) {
                // The worst mark's distance, as the other words and the design editor say it (outside test
                // s53: "within 1.5 mm" here, the average, and "residual 1.8 mm" in the editor, the worst).
                (Some(c), _) => format!(
                    "The marks fit the head within {worst:.1} mm (average {:.1} mm), but {}: check it.",
                    r.rms_mm,
                    c.sentence()
                ),
                (None, true) => format!(
                    "The {n} marks fix this {} photo exactly, so they cannot be checked against each other: mark one more to check them.",
                    view.name()
                ),
                (None, false) => format!(
                    "{} fit the head within {worst:.1} mm (average {:.1} mm).",
                    if n == 2 {
                        "Both marks".to_string()
                    } else {
                        format!("All {n} marks")
                    },
                    r.rms_mm
                ),
            };
            json!({
                "fits": true,
                "words": words,
                "rms_mm": (r.rms_mm * 100.0).round() / 100.0,
                "px_per_mm": (r.px_per_mm / scale * 100.0).round() / 100.0,
                "exact": r.exact,
                "head_turn_deg": (r.frontal.yaw_rad.to_degrees() * 10.0).round() / 10.0,
                "head_tilt_deg": (r.frontal.pitch_rad.to_degrees() * 10.0).round() / 10.0,
                "pose_words": view.pose_words(r.frontal.yaw_rad, r.frontal.pitch_rad),
                "residuals": rows(&r.residuals),
                "points": points(plan, &r, scale),
                "hairline": plan.hairline.as_ref().map(|h| follicle_render::overlay::hairline_on_photo(h, &r, scale)),
                "culprit": r.culprit.as_ref().map(culprit_json),
            })
        }
        Err(RegisterError::Residual {
            rms_mm,
            culprit,
            residuals,
            limit_mm,
            ..
        }) => {
            let words = match &culprit {
                Some(c) => format!(
                    "The marks do not fit the head ({rms_mm:.1} mm on average, more than {limit_mm:.0} mm): {}. Move {}.",
                    c.sentence(),
                    if c.partner.is_some() { "the one that is off" } else { "that mark" }
                ),
                None => format!(
                    "The marks do not fit the head ({rms_mm:.1} mm on average, more than {limit_mm:.0} mm), and no single mark is to blame: check that the photo is a {} photo and each mark's place.",
                    view.name()
                ),
            };
            json!({ "fits": false, "words": words, "rms_mm": (rms_mm * 100.0).round() / 100.0, "residuals": rows(&residuals), "culprit": culprit.as_deref().map(culprit_json) })
        }
        Err(e) => {
            json!({ "fits": false, "words": format!("These marks cannot place the head: {}.", crate::error::tamed(&crate::error::without_keys(&e.to_string()))), "residuals": [], "culprit": null })
        }
    };
    // A head that differs from the design's is said in the sentence the studio shows, too.
    if let (Some(h), Some(w)) = (head_words.clone(), v["words"].as_str()) {
        let mut c = h.chars();
        let h: String = c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
        v["words"] = json!(format!("{w} {h}."));
    }
    if let (Some(o), Some(b)) = (v.as_object_mut(), base.as_object()) {
        for (k, x) in b {
            o.insert(k.clone(), x.clone());
        }
    }
    v
}

/// A mark named as off, for the studio: its name and label, how far off, the others' fit without it, the
/// sentence, and the other eye corner when the two are only known to be uneven.
fn culprit_json(c: &views::Culprit) -> serde_json::Value {
    json!({
        "name": c.name, "label": label(&c.name), "off_mm": (c.off_mm * 10.0).round() / 10.0,
        "without_mm": (c.rms_without_mm * 10.0).round() / 10.0, "words": c.sentence(),
        "partner": c.partner,
    })
}
