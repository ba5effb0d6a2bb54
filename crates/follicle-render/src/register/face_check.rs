//! The three face marks of a front photo (glabella, outer eye corners) checked against each other, the
//! face's proportions and the head's outline, naming the mark that does not fit.
//!
//! Three marks give six numbers and the front fit has six unknowns (turn, tilt, similarity), so a mark
//! moved by 10 mm moves the fit instead of showing in its residual (probe s8 finding 3: the glabella moved
//! 10 mm sideways fitted *better* than the true marks; moved 10 mm down it read as a 17° tilt). The
//! evidence that is not in the fit's six numbers:
//!
//! - **Farkas' proportions** (the plan's face is built on them): the outer eye corners lie 18 mm below the
//!   glabella, symmetric about the face's midline, 85–100 mm apart.
//! - **The head's outline** (`outline`, when both edges were found at enough heights): the middle of the
//!   head's left and right edges is the head's vertical axis on the photo. A head turned by ψ puts a point
//!   X mm to the side and Y mm in front of that axis at X cos ψ + Y sin ψ from it: the glabella (about
//!   100 mm in front) moves off the axis with the turn, the eye corners less, and their distances to it
//!   differ by the turn alone.
//!
//! - **The face's mirror axis** on the photo itself: brows and eyes mirror each other about the face's
//!   midline; the offset whose mirror image of that band differs least from it is found (within ±15 mm of
//!   the eye corners' middle).
//!
//! Three tests, in the eye line's frame and at the scale of the plan's eye-corner spread: the glabella's
//! height above the eye corners against the plan's (σ: marking and the client's proportions), the
//! glabella's offset from the mirror axis (less what the head's turn moves it: the mirror axis' offset from
//! the outline's, scaled from the eyes' depth to the glabella's), and the eye corners' asymmetry about the
//! mirror axis. The glabella is named when its two tests together, or an eye corner when the asymmetry
//! (the corner farther out), lie [`NAMED_AT`] σ or more off. With no mirror axis found only the height speaks.

use super::joint::Silhouette;
use super::mirror::{mirror_axis, MIRROR_SIGMA_MM};
use super::Marks;
use crate::photo::Photo;
use follicle_core::Plan;

/// σ of placing a face mark by hand, mm.
pub const MARK_SIGMA_MM: f64 = 2.0;
/// σ of the client's face against Farkas' proportions (the eye corners' height under the glabella), mm.
pub const PROPORTION_SIGMA_MM: f64 = 3.0;
/// σ of the eye corners' asymmetry about the face's midline (a face mirrors itself within about 2 mm), mm.
pub const ASYMMETRY_SIGMA_MM: f64 = 2.0;
/// A mark is named when it lies this many σ (its Mahalanobis distance over both directions) from where
/// the others put it.
pub const NAMED_AT: f64 = 2.5;
/// Where the marks are refused already (their fit's residual over the limit, a head read wider than any
/// adult's), a mark is named at this many σ: the refusal says that one is wrong, and the face check only
/// says which. At [`NAMED_AT`] the glabella marked 11 mm high and an eye corner marked 16 mm toward the
/// nose on the reference photo went unnamed once the face's mirror axis stopped moving with the skin's
/// tone (2.2 σ and 2.4 σ).
pub const SUSPECT_AT: f64 = 2.0;

/// A face mark that does not fit the others, the face's proportions and the head's outline.
#[derive(Clone, Debug, PartialEq)]
pub struct FaceMarkCheck {
    /// Landmark name.
    pub name: String,
    /// How far it lies from where the other marks put it, mm.
    pub off_mm: f64,
    /// That distance in σ.
    pub sigmas: f64,
    /// Not a fit of the other marks: NaN (the sentences then speak of the face's proportions and midline).
    pub others_mm: f64,
    /// Whether the face's mirror axis was found (else only the glabella's height was checked).
    pub outline: bool,
    /// The other eye corner, when the two were found uneven about the face's midline: the one farther out
    /// is named, but the partner marked too far in reads the same.
    pub partner: Option<String>,
    /// The glabella, when it is the mark named: where it lies.
    pub glabella_at: Option<GlabellaAt>,
}

/// Where a glabella named by the face check lies: its height above the outer eye corners' line against the
/// face's proportions, and its offset from the face's midline (less the head's turn), mm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlabellaAt {
    /// Above the eye corners' line, as marked.
    pub height_mm: f64,
    /// Above that line in the plan's face (Farkas' proportions).
    pub expected_mm: f64,
    /// Beside the face's midline (where the photo shows one), toward either side.
    pub beside_mm: Option<f64>,
}

impl GlabellaAt {
    /// "; it lies 9 mm above the outer eye corners' line, where faces have it about 18 mm, and 6 mm beside
    /// the face's midline (…)".
    pub fn words(&self) -> String {
        let beside = match self.beside_mm {
            Some(b) if b.abs() >= 0.5 => {
                format!(", and {:.0} mm beside the face's midline", b.abs())
            }
            Some(_) => ", on the face's midline".to_string(),
            None => String::new(),
        };
        let low = if self.height_mm < self.expected_mm - 3.0 {
            " (right if it sits between the brows and they sit low, in a frown or a smile, or the camera was above the face; not on the bridge of the nose)"
        } else {
            ""
        };
        format!(
            ": it lies {:.0} mm above the outer eye corners' line, where faces have it about {:.0} mm{low}{beside}",
            self.height_mm.max(0.0),
            self.expected_mm
        )
    }
}

/// The three face marks.
const FACE: [&str; 3] = ["glabella", "lateral_canthus_right", "lateral_canthus_left"];

/// An eye corner marked at least this far from the mirror image of its partner about the glabella is
/// weighed as the culprit of a refused fit, mm (a corner marked on the wrong fold, at the temple or on the
/// ear).
pub const FAR_CORNER_MM: f64 = 20.0;

/// Checks the three face marks of a front photo (None when they are not all marked, or all fit).
pub fn check_face_marks(
    plan: &Plan,
    marks: &Marks,
    silhouette: Option<&Silhouette>,
    photo: Option<&Photo>,
) -> Option<FaceMarkCheck> {
    assess(plan, face_marks(marks)?, silhouette, photo, NAMED_AT)
}

/// [`check_face_marks`] for marks refused already: the mark that fits least, from [`SUSPECT_AT`] σ.
pub fn suspect_face_mark(
    plan: &Plan,
    marks: &Marks,
    silhouette: Option<&Silhouette>,
    photo: Option<&Photo>,
) -> Option<FaceMarkCheck> {
    assess(plan, face_marks(marks)?, silhouette, photo, SUSPECT_AT)
}

/// The glabella and the right and left outer eye corners, when all three are marked.
pub(super) fn face_marks(marks: &Marks) -> Option<[[f64; 2]; 3]> {
    let px = |name: &str| marks.points.iter().find(|(n, _)| n == name).map(|p| p.1);
    Some([px(FACE[0])?, px(FACE[1])?, px(FACE[2])?])
}

/// For a fit already refused: an eye corner marked far out (or in) of where the glabella and the other
/// corner put it. Such a corner changes the eye corners' spread, which sets the scale of the other tests,
/// so [`check_face_marks`] reads the glabella's height as wrong and names the glabella (outside probe s18:
/// a corner 38 mm out was said as "the glabella mark is 38 mm from where the others put it"). Each corner
/// [`FAR_CORNER_MM`] or more from its partner's mirror image about the glabella (along the eye line the
/// marks give, and about the face's mirror axis too where the photo shows one) is put there instead; the
/// corner is named when the marks then fit and the other corner's move would not make them fit (or, when
/// neither makes all three fit, when only its move makes the glabella fit). None otherwise (then [`check_face_marks`] speaks).
pub fn far_eye_corner(
    plan: &Plan,
    marks: &Marks,
    silhouette: Option<&Silhouette>,
    photo: Option<&Photo>,
) -> Option<FaceMarkCheck> {
    let xy = face_marks(marks)?;
    let spread_mm =
        (plan.landmarks.lateral_canthus_left - plan.landmarks.lateral_canthus_right).norm();
    // The face's own mirror axis where the photo shows one: a corner is far off only when it is so about
    // the glabella and about that axis too (a head turned a little puts the glabella, in front of the
    // eyes, off the eye corners' middle: outside probe s22, the right corner slipped 3 mm inward was read
    // about the glabella as the left one 20 mm out). Only up to twice [`FAR_CORNER_MM`]: a corner farther
    // out skews the eye corners' middle and the scale the axis is looked for with, and the axis found is
    // no longer the face's. The glabella stays the centre the corner is put back about.
    let axis_at = || {
        photo.and_then(|ph| {
            let (ex, ey) = (xy[2][0] - xy[1][0], xy[2][1] - xy[1][1]);
            let len = ex.hypot(ey);
            (len > 0.0 && spread_mm > 0.0).then_some(())?;
            let (e, s) = ([ex / len, ey / len], len / spread_mm);
            let mid = [(xy[1][0] + xy[2][0]) / 2.0, (xy[1][1] + xy[2][1]) / 2.0];
            let c = mirror_axis(ph, mid, e, [e[1], -e[0]], s)?;
            Some([mid[0] + c * s * e[0], mid[1] + c * s * e[1]])
        })
    };
    // Searched only when a corner is far off about the glabella (the search reads the photo ~120 times).
    let axis = std::cell::OnceCell::new();
    let g = xy[0];
    let fits: Vec<(FaceMarkCheck, bool)> = [(1usize, 2usize), (2, 1)]
        .into_iter()
        .filter_map(|(c, other)| {
            let o = xy[other];
            let (dx, dy) = (xy[c][0] - o[0], xy[c][1] - o[1]);
            let len = dx.hypot(dy);
            if !(len > 0.0 && spread_mm > 0.0) {
                return None;
            }
            // Along the eye line from the partner, twice as far as the glabella's foot on it.
            let u = [dx / len, dy / len];
            let along = 2.0 * ((g[0] - o[0]) * u[0] + (g[1] - o[1]) * u[1]);
            if along <= 0.0 {
                return None;
            }
            let mut moved = xy;
            moved[c] = [o[0] + along * u[0], o[1] + along * u[1]];
            let off_mm = (len - along).abs() / (along / spread_mm);
            let near_axis = (FAR_CORNER_MM..2.0 * FAR_CORNER_MM).contains(&off_mm)
                && axis.get_or_init(axis_at).is_some_and(|a| {
                    let along = 2.0 * ((a[0] - o[0]) * u[0] + (a[1] - o[1]) * u[1]);
                    along > 0.0 && (len - along).abs() / (along / spread_mm) < FAR_CORNER_MM
                });
            // Farther off, the face's axis is looked for about the glabella's foot instead, where it lies
            // when the glabella is right: found near the corners' middle instead, the glabella is the mark
            // off and the corners mirror each other (outside probe s50: the glabella 9 mm to the client's
            // right read as the left corner 47 mm out).
            let glabella_off = off_mm >= 2.0 * FAR_CORNER_MM
                && photo.is_some_and(|ph| {
                    let (ex, ey) = (xy[2][0] - xy[1][0], xy[2][1] - xy[1][1]);
                    let (e, s) = ([ex / len, ey / len], len / spread_mm);
                    let foot = [o[0] + along / 2.0 * u[0], o[1] + along / 2.0 * u[1]];
                    mirror_axis(ph, foot, e, [e[1], -e[0]], s).is_some_and(|c| {
                        let a = [foot[0] + c * s * e[0], foot[1] + c * s * e[1]];
                        let along = 2.0 * ((a[0] - o[0]) * u[0] + (a[1] - o[1]) * u[1]);
                        along > 0.0 && (len - along).abs() / (along / spread_mm) < FAR_CORNER_MM
                    })
                });
            if off_mm < FAR_CORNER_MM || near_axis || glabella_off {
                return None;
            }
            assess_full(plan, moved, silhouette, photo, NAMED_AT)
                .filter(|a| a.glabella_sigmas < NAMED_AT)
                .map(|a| {
                    let check = FaceMarkCheck {
                        name: FACE[c].to_string(),
                        off_mm,
                        sigmas: off_mm / MARK_SIGMA_MM,
                        others_mm: f64::NAN,
                        outline: a.mirror,
                        partner: None,
                        glabella_at: None,
                    };
                    (check, a.named.is_none())
                })
        })
        .collect();
    // The corner whose putting back makes all three marks fit; else the one whose putting back makes the
    // glabella fit. The corner put back mirrors its partner about the glabella, so the corners'
    // asymmetry about the face's axis is then twice the glabella's offset from it, which the glabella's
    // own test weighs with the head's turn: asked of both, the left corner marked 84 mm out on the
    // reference photo, put back, read 3.2 σ uneven and went unnamed.
    let strict: Vec<&FaceMarkCheck> = fits.iter().filter(|f| f.1).map(|f| &f.0).collect();
    match (strict.as_slice(), fits.as_slice()) {
        ([one], _) => Some((*one).clone()),
        ([], [(one, _)]) => Some(one.clone()),
        _ => None,
    }
}

/// The tests of the module doc on the three marks `xy` (glabella, right, left corner): the mark named, if
/// any.
fn assess(
    plan: &Plan,
    xy: [[f64; 2]; 3],
    silhouette: Option<&Silhouette>,
    photo: Option<&Photo>,
    named_at: f64,
) -> Option<FaceMarkCheck> {
    assess_full(plan, xy, silhouette, photo, named_at)?.named
}

/// What [`assess_full`] found.
struct Assessed {
    /// The mark named, if any.
    named: Option<FaceMarkCheck>,
    /// Whether the face's mirror axis was found.
    mirror: bool,
    /// How many σ the glabella lies off (its height and its offset from the mirror axis together).
    glabella_sigmas: f64,
}

/// [`assess`], with whether the face's mirror axis was found (`None` when the marks give no frame).
fn assess_full(
    plan: &Plan,
    xy: [[f64; 2]; 3],
    silhouette: Option<&Silhouette>,
    photo: Option<&Photo>,
    named_at: f64,
) -> Option<Assessed> {
    let l = &plan.landmarks;
    // The plan's face: the eye corners' spread and their height under the glabella, and how far the
    // glabella lies in front of them and they in front of the head's axis.
    let spread = (l.lateral_canthus_left - l.lateral_canthus_right).norm();
    let below = l.glabella.z - (l.lateral_canthus_left.z + l.lateral_canthus_right.z) / 2.0;
    let eyes_y = (l.lateral_canthus_left.y + l.lateral_canthus_right.y) / 2.0;
    let ahead = l.glabella.y - eyes_y;
    // The photo's frame: along the eye line (right corner to left) and up, pixels.
    let (ex, ey) = (xy[2][0] - xy[1][0], xy[2][1] - xy[1][1]);
    let len = ex.hypot(ey);
    if !(len > 0.0 && spread > 0.0) {
        return None;
    }
    let e = [ex / len, ey / len];
    let n = [e[1], -e[0]];
    let frame = |p: [f64; 2]| (p[0] * e[0] + p[1] * e[1], p[0] * n[0] + p[1] * n[1]);
    let s = len / spread; // pixels per mm at the face
    let [g, r, lft] = [frame(xy[0]), frame(xy[1]), frame(xy[2])];
    let mid = [(xy[1][0] + xy[2][0]) / 2.0, (xy[1][1] + xy[2][1]) / 2.0];
    // Height: the glabella `below` mm above the eye line.
    let z_height = ((g.1 - r.1) / s - below) / MARK_SIGMA_MM.hypot(PROPORTION_SIGMA_MM);
    // Across: the face's own mirror axis; the head's axis from the outline gives the turn.
    let head_axis = silhouette.filter(|s| s.used).and_then(|sil| {
        let mids: Vec<f64> = sil
            .points
            .chunks_exact(2)
            .map(|c| frame([(c[0][0] + c[1][0]) / 2.0, (c[0][1] + c[1][1]) / 2.0]).0)
            .collect();
        (mids.len() >= 3).then(|| mids.iter().sum::<f64>() / mids.len() as f64)
    });
    let mirror = photo.and_then(|ph| mirror_axis(ph, mid, e, n, s).map(|c| frame(mid).0 + c * s));
    let (z_across, z_spread) = match mirror {
        Some(m) => {
            // The turn from the mirror axis against the head's (the eyes lie `eyes_y` mm in front of it),
            // moving the glabella `ahead` mm further.
            let turn_mm = head_axis.map_or(0.0, |h| (m - h) / s * ahead / eyes_y.max(1.0));
            let z_g = ((g.0 - m) / s - turn_mm) / MARK_SIGMA_MM.hypot(MIRROR_SIGMA_MM);
            // The eye corners mirror each other about it. The axis enters their asymmetry twice, so its
            // own uncertainty counts twice as well (as it counts once in the glabella's offset): without it
            // the reference photo's hand marks read 2.2 σ uneven and the face finder's proposal, each corner
            // within 3.3 mm of the hand's, 2.9 σ, named as "10 mm uneven" (outside test s53).
            let asym = ((lft.0 - m) + (r.0 - m)) / s;
            let z_c = asym
                / (MARK_SIGMA_MM * 2f64.sqrt())
                    .hypot(ASYMMETRY_SIGMA_MM)
                    .hypot(2.0 * MIRROR_SIGMA_MM);
            (z_g, z_c)
        }
        None => (0.0, 0.0),
    };
    let z_g = z_height.hypot(z_across);
    let across_mm = z_across * MARK_SIGMA_MM.hypot(MIRROR_SIGMA_MM);
    let (name, sigmas, off_mm, partner) = if z_g >= z_spread.abs() {
        let off = ((g.1 - r.1) / s - below).hypot(across_mm);
        ("glabella", z_g, off, None)
    } else {
        // The corner farther from the mirror axis than its partner is named first (a corner marked too
        // far out, on the skin fold beyond it, is the common slip), but the asymmetry alone cannot tell
        // it from the partner marked too far in (outside probe s22: the right corner slipped 3 mm inward
        // was said as the left one wrong), so the partner is said too.
        let m = mirror.unwrap_or(frame(mid).0);
        let off = (((lft.0 - m) + (r.0 - m)) / s).abs();
        let (right, left) = ("lateral_canthus_right", "lateral_canthus_left");
        if (lft.0 - m).abs() > (r.0 - m).abs() {
            (left, z_spread.abs(), off, Some(right))
        } else {
            (right, z_spread.abs(), off, Some(left))
        }
    };
    let named = (sigmas >= named_at).then(|| FaceMarkCheck {
        name: name.to_string(),
        off_mm,
        sigmas,
        others_mm: f64::NAN,
        outline: mirror.is_some(),
        partner: partner.map(str::to_string),
        glabella_at: (name == "glabella").then(|| GlabellaAt {
            height_mm: (g.1 - r.1) / s,
            expected_mm: below,
            beside_mm: mirror.map(|_| across_mm),
        }),
    });
    Some(Assessed {
        named,
        mirror: mirror.is_some(),
        glabella_sigmas: z_g,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_glabella_is_said_where_it_lies() {
        let low = GlabellaAt {
            height_mm: 8.6,
            expected_mm: 18.0,
            beside_mm: Some(-5.6),
        };
        assert_eq!(
            low.words(),
            ": it lies 9 mm above the outer eye corners' line, where faces have it about 18 mm (right if it sits between the brows and they sit low, in a frown or a smile, or the camera was above the face; not on the bridge of the nose), and 6 mm beside the face's midline"
        );
        let high = GlabellaAt {
            height_mm: 26.0,
            expected_mm: 18.0,
            beside_mm: None,
        };
        assert_eq!(
            high.words(),
            ": it lies 26 mm above the outer eye corners' line, where faces have it about 18 mm"
        );
    }
}
