//! A front photo registered with its photo: the joint fit of the face marks and the head's outline
//! (`joint`), its checks (residual per mark, a plausible pose, no mirrored face) and leave-one-out over the
//! marks, which still has the outline to fit against after a mark is left out, so even three face marks
//! are checked and a mark moved by a few millimetres is not blamed.

use super::joint::{fit_front, is_face, mark_sigma, JointFit};
use super::{Marks, RegisterError, Registration, ONE_LINE};
use crate::photo::Photo;
use crate::views::{Culprit, PhotoView};
use follicle_core::Plan;

/// A mark is named as the culprit when the others, fitted without it, put it at least this many of its
/// marking σ away (7 mm for a face mark, 21 mm for an ear top, 35 mm for the vertex)…
pub const CULPRIT_SIGMAS: f64 = 3.5;
/// Largest head turn accepted on a front photo, radians (35°).
const MAX_TURN_RAD: f64 = 0.61;
/// Largest roll of the face on the photo, radians (45°): beyond it the marks are upside down or swapped.
const MAX_ROLL_RAD: f64 = std::f64::consts::FRAC_PI_4;

/// Registers a front photo from its marks and, when given, the photo itself (its head outline).
pub fn register_front(
    plan: &Plan,
    marks: &Marks,
    photo: Option<&Photo>,
    distance_mm: f64,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    if marks.points.len() < 2 {
        return Err(RegisterError::TooFew(marks.points.len()));
    }
    let spread = marks
        .points
        .iter()
        .flat_map(|a| marks.points.iter().map(move |b| (a.1, b.1)))
        .map(|(a, b)| (a[0] - b[0]).hypot(a[1] - b[1]))
        .fold(0.0, f64::max);
    if spread < 8.0 {
        return Err(RegisterError::Implausible(
            "the landmarks are too close together to fix the scale".into(),
        ));
    }
    let jf = fit_front(plan, marks, photo, distance_mm)
        .ok_or_else(|| RegisterError::Implausible(ONE_LINE.into()))?;
    let roll = jf.sim[1].atan2(jf.sim[0]);
    if roll.abs() > MAX_ROLL_RAD {
        return Err(RegisterError::Implausible(format!(
            "the face would be turned {:.0}° on the photo (are left and right swapped?)",
            roll.to_degrees()
        )));
    }
    if jf.yaw.abs() > MAX_TURN_RAD {
        return Err(RegisterError::Implausible(format!(
            "the marks fit only a head turned {:.0}° away from the camera: a front photo faces it within 35°",
            jf.yaw.to_degrees()
        )));
    }
    let rms_mm = jf.rms_mm();
    let culprit = culprit(plan, marks, photo, distance_mm, rms_mm);
    if rms_mm > max_residual_mm {
        let (worst, worst_mm) = jf
            .residuals
            .iter()
            .cloned()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("two marks or more");
        return Err(RegisterError::Residual {
            rms_mm,
            worst,
            worst_mm,
            limit_mm: max_residual_mm,
            culprit: culprit.map(|c| (c.name, c.rms_without_mm, c.off_mm)),
            residuals: jf.residuals,
        });
    }
    Ok(registration(plan, jf, culprit, marks.points.len()))
}

/// The registration of a joint fit.
fn registration(plan: &Plan, jf: JointFit, culprit: Option<Culprit>, n: usize) -> Registration {
    let (frontal, transform) = jf.camera(plan);
    let rms_mm = jf.rms_mm();
    Registration {
        view: PhotoView::Front,
        frontal,
        transform,
        rms_mm,
        exact: !jf.silhouette.used && n <= 3,
        px_per_mm: jf.sim[0].hypot(jf.sim[1]),
        culprit,
        head_scale: jf.head_scale,
        residuals: jf.residuals,
        silhouette: Some(jf.silhouette),
    }
}

/// Leave-one-out: each mark left out in turn, the rest (with the outline) fitted, and the mark put
/// farthest from its place, in σ (its marking σ and the uncertainty of where the others put it: with one
/// eye corner left out, the face's scale rests on a single pair of marks), named when at least [`CULPRIT_SIGMAS`] away and three times
/// the others' own residual. At least three marks must remain (four marked or more).
pub fn culprit(
    plan: &Plan,
    marks: &Marks,
    photo: Option<&Photo>,
    distance_mm: f64,
    rms_with_mm: f64,
) -> Option<Culprit> {
    if marks.points.len() < 4 {
        return None;
    }
    let named = crate::views::points(plan);
    let mut best: Option<(f64, Culprit)> = None;
    for k in 0..marks.points.len() {
        let mut rest = marks.clone();
        let (name, xy) = rest.points.remove(k);
        let Some(jf) = fit_front(plan, &rest, photo, distance_mm) else {
            continue;
        };
        // Two marks and the outline's centring leave the face's scale and tilt to one pair of marks:
        // too loose to blame the third; at least three must remain.
        if rest.points.len() < 3 {
            continue;
        }
        let p = named.iter().find(|(n, _)| *n == name)?.1;
        // Where the others put it, and how sure they are of that place.
        let ([x, y], pred_mm) = jf.predict(plan, p, is_face(&name))?;
        let off_mm = (x - xy[0]).hypot(y - xy[1]) / jf.sim[0].hypot(jf.sim[1]);
        let z = off_mm / mark_sigma(&name).hypot(pred_mm);
        let rms_without_mm = jf.rms_mm();
        if best.as_ref().is_none_or(|b| z > b.0) {
            best = Some((
                z,
                Culprit {
                    name,
                    off_mm,
                    rms_without_mm,
                    rms_with_mm,
                },
            ));
        }
    }
    best.filter(|(z, c)| *z >= CULPRIT_SIGMAS && c.off_mm > 3.0 * c.rms_without_mm)
        .map(|(_, c)| c)
}
