//! How the marks of a top, side or back photo pull on the head's picture.
//!
//! The marks that are the ends of the head's outline on a side photo — the top of the head and the back of
//! the skull — count only across the outline. A round head's outline is a long,
//! flat arc around its highest (or hindmost) point, and where along that arc a practitioner clicks says
//! nothing: outside test s38 marked the top of the mannequin's head on its left side 35 px along the outline
//! from the model's vertex, as the hint asks ("the highest point of the head's outline"), and the fit called
//! it 18 mm off and refused the photo. Such a mark holds one number instead of two; it slides only where the
//! other marks still fix the six numbers of the camera (turn, tilt and the similarity), so three marks are
//! never left to fit any head. On a top or back photo the same marks lie on the head's midline, which the
//! head's symmetry shows, so they hold both numbers there.

use super::{points, PhotoView};
use crate::register::joint::{mark_sigma, FACE_MARK_SIGMA_MM};
use crate::register::{
    check_spread, fit_similarity_across, Frontal, Marks, RegisterError, Registration, Transform,
    ONE_LINE,
};
use follicle_core::{Plan, Vec3};

/// Numbers a top, side or back photo's camera has: turn, tilt, and the similarity's four.
const CAMERA_NUMBERS: usize = 6;

/// The marking σ of a landmark on a photo of `view`, mm: a front photo's own (the joint fit's); on the
/// other views every mark counts alike. Weighting the ear tops less there, as on the face, freed a top
/// photo's tilt: the tester's top view (ear tops marked 4.5 mm wide, the glabella 3 mm in) fitted 15°
/// tilted instead of upright.
pub fn sigma(view: PhotoView, name: &str) -> f64 {
    if view == PhotoView::Front {
        mark_sigma(name)
    } else {
        FACE_MARK_SIGMA_MM
    }
}

/// The outward direction (head frame) of the outline at a mark that is an end of the head's outline on
/// `view`; None for a mark that holds both numbers.
pub fn outline_end(view: PhotoView, name: &str) -> Option<Vec3> {
    match (view, name) {
        (PhotoView::Left | PhotoView::Right, "vertex") => Some(Vec3::new(0.0, 0.0, 1.0)),
        (PhotoView::Left | PhotoView::Right, "opisthocranion") => Some(Vec3::new(0.0, -1.0, 0.0)),
        _ => None,
    }
}

/// How a registration of `view` weighed the marks `names`, in words for its residual ("residual 0.4 mm RMS
/// (…)").
pub fn weighing_words(view: PhotoView, names: &[&str]) -> Option<&'static str> {
    if view == PhotoView::Front {
        Some("each mark weighted by how precisely it can be placed: ear tops and the vertex count less")
    } else if ends_slide(view, names) {
        Some("the top of the head and the back of the skull count only across the head's outline, not along it")
    } else {
        None
    }
}

/// Whether the outline's ends among `names` may slide: the marks still fix the camera's six numbers when
/// each end holds one number.
fn ends_slide(view: PhotoView, names: &[&str]) -> bool {
    let ends = names
        .iter()
        .filter(|n| outline_end(view, n).is_some())
        .count();
    ends > 0 && 2 * names.len() - ends >= CAMERA_NUMBERS
}

/// The marks' fit for one camera.
#[derive(Clone, Debug)]
pub(crate) struct MarkFit {
    /// The similarity from the camera's picture plane onto the photo.
    pub transform: Transform,
    /// Each mark's residual, mm at the photo's scale there (an outline end's across the outline only).
    pub residuals: Vec<(String, f64)>,
    /// Summed squared residual in face-mark pixels (each residual × face σ / its σ): the pose search's cost.
    pub weighted_px2: f64,
    /// RMS residual in face-mark millimetres (module docs).
    pub rms_mm: f64,
    /// No more numbers in the marks than the camera has: the residual says nothing.
    pub exact: bool,
    /// The marked points on the camera's picture plane, mm.
    pub seen: Vec<[f64; 2]>,
}

/// The picture-plane point of `p` for camera `f` and, for an outline end, the outline's outward direction
/// there (unit, picture plane).
fn seen(f: &Frontal, p: Vec3, end: Option<Vec3>) -> Option<([f64; 2], Option<[f64; 2]>)> {
    let (u, v, _) = f.project(p)?;
    let across = match end {
        Some(n) => {
            let (u2, v2, _) = f.project(p + n * 5.0)?;
            let (du, dv) = (u2 - u, v2 - v);
            let len = du.hypot(dv);
            if len < 1e-9 {
                return None;
            }
            Some([du / len, dv / len])
        }
        None => None,
    };
    Some(([u, v], across))
}

/// How far photo pixel `xy` lies from where the fit puts the plan point `p`, mm at the photo's scale there:
/// across the outline only for an outline end of `view`.
pub(crate) fn off_mm(
    view: PhotoView,
    name: &str,
    p: Vec3,
    xy: [f64; 2],
    f: &Frontal,
    t: &Transform,
) -> Option<f64> {
    let (s, across) = seen(f, p, outline_end(view, name))?;
    Some(residual_mm(t, s, xy, across))
}

/// A mark's residual in mm: the whole distance, or across the outline only.
fn residual_mm(t: &Transform, s: [f64; 2], d: [f64; 2], across: Option<[f64; 2]>) -> f64 {
    let (x, y) = t.apply(s[0], s[1]);
    let [a, b, c, e] = t.jacobian(s[0], s[1]);
    let local = (a * e - b * c).abs().sqrt().max(1e-12);
    let (dx, dy) = (x - d[0], y - d[1]);
    match across {
        Some(n) => {
            // The direction as the similarity turns it onto the photo.
            let (nx, ny) = (a * n[0] + b * n[1], c * n[0] + e * n[1]);
            let m = nx.hypot(ny).max(1e-12);
            (dx * nx + dy * ny).abs() / m / local
        }
        None => dx.hypot(dy) / local,
    }
}

/// Fits the marks of a `view` photo for camera `f`; None when a mark is not on the head model, lies behind
/// the camera, or the marks fix no similarity.
pub(crate) fn fit(plan: &Plan, view: PhotoView, marks: &Marks, f: &Frontal) -> Option<MarkFit> {
    let pts = points(plan);
    let names: Vec<&str> = marks.points.iter().map(|(n, _)| n.as_str()).collect();
    let slide = ends_slide(view, &names);
    let mut src = Vec::new();
    let mut dst = Vec::new();
    let mut weights = Vec::new();
    let mut across = Vec::new();
    for (name, xy) in &marks.points {
        let p = pts.iter().find(|(n, _)| n == name)?.1;
        let end = outline_end(view, name).filter(|_| slide);
        let (s, a) = seen(f, p, end)?;
        src.push(s);
        dst.push(*xy);
        weights.push(sigma(view, name).powi(-2));
        across.push(a);
    }
    let t = fit_similarity_across(&src, &dst, &weights, &across)?;
    let mut residuals = Vec::new();
    let (mut weighted_px2, mut z2) = (0.0, 0.0);
    for k in 0..src.len() {
        let r = residual_mm(&t, src[k], dst[k], across[k]);
        let [a, b, c, e] = t.jacobian(src[k][0], src[k][1]);
        let local = (a * e - b * c).abs().sqrt();
        let z = r / sigma(view, &marks.points[k].0);
        z2 += z * z;
        weighted_px2 += (z * FACE_MARK_SIGMA_MM * local).powi(2);
        residuals.push((marks.points[k].0.clone(), r));
    }
    let n = src.len().max(1) as f64;
    let numbers = 2 * src.len() - across.iter().filter(|a| a.is_some()).count();
    Some(MarkFit {
        transform: t,
        residuals,
        weighted_px2,
        rms_mm: FACE_MARK_SIGMA_MM * (z2 / n).sqrt(),
        exact: numbers <= CAMERA_NUMBERS,
        seen: src,
    })
}

/// Registers a `view` photo from its marks with camera `frontal`: the marks' fit (module docs), refused
/// when the marks lie too close together or on one line, or leave more than `max_residual_mm` (face-mark
/// millimetres). The culprit is left to leave-one-out.
pub(crate) fn registration(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    frontal: Frontal,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    let mf = fit(plan, view, marks, &frontal).ok_or_else(|| {
        RegisterError::Implausible(format!(
            "the marks fit no camera looking at {}",
            view.words()
        ))
    })?;
    let dst: Vec<[f64; 2]> = marks.points.iter().map(|(_, xy)| *xy).collect();
    check_spread(&mf.seen, &dst)?;
    let Transform::Similarity([a, b, _, _]) = mf.transform else {
        unreachable!("the marks' fit is a similarity")
    };
    let px_per_mm = a.hypot(b);
    if !(px_per_mm.is_finite() && px_per_mm > 1e-6 && mf.rms_mm.is_finite()) {
        return Err(RegisterError::Implausible(ONE_LINE.into()));
    }
    if mf.rms_mm > max_residual_mm {
        let (worst, worst_mm) = mf
            .residuals
            .iter()
            .cloned()
            .max_by(|p, q| (p.1 / sigma(view, &p.0)).total_cmp(&(q.1 / sigma(view, &q.0))))
            .expect("marks were fitted");
        return Err(RegisterError::Residual {
            rms_mm: mf.rms_mm,
            worst,
            worst_mm,
            limit_mm: max_residual_mm,
            culprit: None,
            residuals: mf.residuals,
        });
    }
    Ok(Registration {
        view,
        frontal,
        transform: mf.transform,
        rms_mm: mf.rms_mm,
        residuals: mf.residuals,
        exact: mf.exact,
        px_per_mm,
        culprit: None,
        silhouette: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_end_slides_only_while_the_others_fix_the_camera() {
        // Three marks with the vertex: 5 numbers for 6, the vertex holds both of its own.
        assert!(!ends_slide(
            PhotoView::Left,
            &["glabella", "tragion_left", "vertex"]
        ));
        // Four: 7 numbers.
        assert!(ends_slide(
            PhotoView::Left,
            &["glabella", "tragion_left", "ear_top_left", "vertex"]
        ));
        // The back of the skull is seen face on from behind, and on the midline from above.
        assert_eq!(outline_end(PhotoView::Back, "opisthocranion"), None);
        assert_eq!(outline_end(PhotoView::Top, "opisthocranion"), None);
        assert_eq!(outline_end(PhotoView::Back, "vertex"), None);
        assert!(outline_end(PhotoView::Right, "opisthocranion").is_some());
        assert_eq!(outline_end(PhotoView::Front, "vertex"), None);
    }

    #[test]
    fn a_mark_along_the_outline_costs_nothing_and_across_it_all() {
        let t = Transform::Similarity([2.0, 0.0, 10.0, 0.0]);
        // The outline's outward direction points up the picture (−v).
        let up = Some([0.0, -1.0]);
        let s = [5.0, 5.0]; // → (20, 10) on the photo, 2 px/mm
        assert!(residual_mm(&t, s, [40.0, 10.0], up) < 1e-9);
        assert!((residual_mm(&t, s, [20.0, 4.0], up) - 3.0).abs() < 1e-9);
        assert!((residual_mm(&t, s, [20.0, 4.0], None) - 3.0).abs() < 1e-9);
        assert!((residual_mm(&t, s, [40.0, 10.0], None) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn the_fit_across_recovers_a_similarity_with_a_mark_slid_along_its_line() {
        let truth = Transform::Similarity([1.5, 0.4, 30.0, -12.0]);
        let src = [[0.0, 0.0], [100.0, 10.0], [40.0, 90.0], [60.0, -40.0]];
        let mut dst: Vec<[f64; 2]> = src
            .iter()
            .map(|s| {
                let (x, y) = truth.apply(s[0], s[1]);
                [x, y]
            })
            .collect();
        // The last mark slides 30 px along the line at right angles to its direction.
        let n = [0.0, -1.0];
        let [a, b, c, e] = truth.jacobian(0.0, 0.0);
        let (nx, ny) = (a * n[0] + b * n[1], c * n[0] + e * n[1]);
        let m = nx.hypot(ny);
        dst[3] = [dst[3][0] - 30.0 * ny / m, dst[3][1] + 30.0 * nx / m];
        let across = [None, None, None, Some(n)];
        let got = fit_similarity_across(&src, &dst, &[1.0; 4], &across).unwrap();
        let (Transform::Similarity(g), Transform::Similarity(w)) = (got, truth) else {
            unreachable!()
        };
        for k in 0..4 {
            assert!((g[k] - w[k]).abs() < 1e-6, "{g:?} vs {w:?}");
        }
        // Held at both numbers the slid mark pulls the fit away.
        let held = fit_similarity_across(&src, &dst, &[1.0; 4], &[None; 4]).unwrap();
        let Transform::Similarity(h) = held else {
            unreachable!()
        };
        assert!((h[2] - w[2]).abs() + (h[3] - w[3]).abs() > 1.0, "{h:?}");
    }
}
