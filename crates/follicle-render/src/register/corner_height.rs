//! An outer eye corner marked too high or too low on a front photo, named from the face itself.
//!
//! With the three face marks only, a corner moved up or down tilts the eye line: the fit reads it as the
//! head's roll, and in the eye line's frame (`face_check`) the glabella then seems to sit too high or too
//! low above the eye corners, so the glabella was named (outside probe s21: the right corner marked 24 mm
//! low was fitted at 3.9 mm RMS and "the glabella mark looks wrong" was said). The face's own roll is not
//! in the marks: it is the axis its brows and eyes mirror about. So the mirror axis is searched over the
//! roll (±30°) and its offset from the glabella (±12 mm), on the band of brows and eyes; in that frame each
//! corner's height under the glabella is compared with the plan's face (Farkas: about 18 mm). A corner is
//! named when its height is off by [`NAMED_AT`] σ or more and its partner's is within 1.5 σ.

use super::face_check::{MARK_SIGMA_MM, NAMED_AT, PROPORTION_SIGMA_MM};
use super::mirror::luminance_at;
use super::{FaceMarkCheck, Marks};
use crate::photo::Photo;
use follicle_core::Plan;

/// Largest roll of the face searched, degrees.
const MAX_ROLL_DEG: f64 = 30.0;
/// Most the two corners' distances to the glabella may differ (a ratio) for this check to speak: a head
/// turned 35° makes them differ by about 1.4 (the hand marks of the reference photo: 1.29).
const MAX_SIDE_RATIO: f64 = 1.5;
/// Largest offset of the mirror axis from the glabella searched, mm (a head turned 35° moves the glabella
/// off the eyes' axis by about that much).
const MAX_OFFSET_MM: f64 = 12.0;

/// The outer eye corner whose height under the glabella, in the frame of the face's own mirror axis,
/// does not fit the face (see the module doc); None when both fit, the axis is unclear or a mark is
/// missing.
pub fn eye_corner_off_height(plan: &Plan, marks: &Marks, photo: &Photo) -> Option<FaceMarkCheck> {
    let px = |name: &str| marks.points.iter().find(|(n, _)| n == name).map(|p| p.1);
    let (g, r, l) = (
        px("glabella")?,
        px("lateral_canthus_right")?,
        px("lateral_canthus_left")?,
    );
    let lm = &plan.landmarks;
    let spread = (lm.lateral_canthus_left - lm.lateral_canthus_right).norm();
    let below = lm.glabella.z - (lm.lateral_canthus_left.z + lm.lateral_canthus_right.z) / 2.0;
    if spread.is_nan() || spread <= 0.0 {
        return None;
    }
    // A corner marked far out or in along the eye line (its distance to the glabella unlike its
    // partner's) throws the scale off: `face_check::far_eye_corner` speaks for it.
    let (dr, dl) = (
        (g[0] - r[0]).hypot(g[1] - r[1]),
        (g[0] - l[0]).hypot(g[1] - l[1]),
    );
    if !(dr > 0.0 && dl > 0.0) || dr.max(dl) / dr.min(dl) > MAX_SIDE_RATIO {
        return None;
    }
    let frame = |deg: f64| {
        let t = deg.to_radians();
        // Across the face toward the image's right, and up the face (image y grows downward).
        let e = [t.cos(), t.sin()];
        let up = [t.sin(), -t.cos()];
        let s = ((l[0] - r[0]) * e[0] + (l[1] - r[1]) * e[1]) / spread; // px per mm
        (e, up, s)
    };
    // Mirror cost of the brow and eye band about the axis at `offset` mm from the glabella, rolled `deg`.
    let cost = |deg: f64, offset: f64| -> Option<f64> {
        let (e, up, s) = frame(deg);
        if s.is_nan() || s <= 0.0 {
            return None;
        }
        let step = (1.0 / s).max(0.75);
        let at = |across: f64, height: f64| {
            let x = g[0] + (across * e[0] + height * up[0]) * s;
            let y = g[1] + (across * e[1] + height * up[1]) * s;
            luminance_at(photo, x, y)
        };
        let (mut sum, mut k) = (0.0, 0usize);
        let mut h = -(below + 6.0);
        while h <= 12.0 {
            let mut d = 4.0;
            while d <= 40.0 {
                if let (Some(a), Some(b)) = (at(offset - d, h), at(offset + d, h)) {
                    sum += (a - b).powi(2);
                    k += 1;
                }
                d += step;
            }
            h += step;
        }
        (k > 100).then(|| sum / k as f64)
    };
    let mut costs = Vec::new();
    let mut deg = -MAX_ROLL_DEG;
    while deg <= MAX_ROLL_DEG {
        let mut off = -MAX_OFFSET_MM;
        while off <= MAX_OFFSET_MM {
            if let Some(c) = cost(deg, off) {
                costs.push((deg, off, c));
            }
            off += 1.0;
        }
        deg += 1.5;
    }
    if costs.len() < 200 {
        return None;
    }
    let best = costs.iter().copied().min_by(|a, b| a.2.total_cmp(&b.2))?;
    let mut sorted: Vec<f64> = costs.iter().map(|c| c.2).collect();
    sorted.sort_by(f64::total_cmp);
    if best.2 >= 0.6 * sorted[sorted.len() / 2] || best.0.abs() >= MAX_ROLL_DEG {
        return None;
    }
    let (_, up, s) = frame(best.0);
    let height = |c: [f64; 2]| ((g[0] - c[0]) * up[0] + (g[1] - c[1]) * up[1]) / s;
    let (dr, dl) = (height(r) - below, height(l) - below);
    let sigma = MARK_SIGMA_MM.hypot(PROPORTION_SIGMA_MM);
    let (name, off, other) = if dr.abs() > dl.abs() {
        ("lateral_canthus_right", dr.abs(), dl.abs())
    } else {
        ("lateral_canthus_left", dl.abs(), dr.abs())
    };
    (off >= NAMED_AT * sigma && other <= 1.5 * sigma).then(|| FaceMarkCheck {
        name: name.to_string(),
        off_mm: off,
        sigmas: off / sigma,
        others_mm: f64::NAN,
        outline: true,
        partner: None,
        glabella_at: None,
    })
}
