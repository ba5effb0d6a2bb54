//! Are there eyes beside the eye corners? On a face the eye runs from its outer corner toward the nose:
//! lashes, iris and pupil, far darker than the forehead whatever the skin. Marks that sit on no eye put
//! the plan on something that is not this head's top: the classic case is a photo stored upside down (or
//! turned by an EXIF tag a marking tool ignored) and marked where the upright photo had its eyes, so the
//! "forehead" is the chin, the neck and the collar (outside probe s12). The colour classifier reads that
//! skin as scalp, so the scalp map cannot tell (probe s24: 76 % of the design facing the camera landed
//! there, as on a fully bald head); the eyes can. Judged where the registration puts the glabella and
//! the eye corners, when the preview is made: a picture without eyes is still registered and its
//! before picture shown, but no design is drawn on it for a client ([`crate::client::PhotoPreview::off_head`]).

use super::Registration;
use crate::color::{lab_from_lin, SrgbLut};
use crate::photo::Photo;
use follicle_core::Plan;

/// The eye window runs from this far inside the outer corner toward the midline, mm…
const EYE_FROM_MM: f64 = 5.0;
/// …to this far.
const EYE_TO_MM: f64 = 25.0;
/// Half its height about the eye line through the corner, mm.
const EYE_HALF_MM: f64 = 4.0;
/// The forehead window: this far either side of the midline, mm…
const FOREHEAD_HALF_MM: f64 = 20.0;
/// …from this height above the glabella to the next, mm.
const FOREHEAD_MM: (f64, f64) = (25.0, 50.0);
/// The darkest twentieth of an eye window must lie this many L* under the forehead's median on one side
/// at least: on the probe's seven real faces it lay 43–85 under (dark and fair skin, side light,
/// 1.2–1.9 px/mm), on the clay mannequin's unpainted eyes 12–20 (turned ±17°, tilted −11° to 14°,
/// 300–900 px), on the upside-down photo's cheeks 21 and 41 *over* it.
pub const MIN_EYE_DEPTH_L: f64 = 6.0;

/// L* of the photo pixel nearest (`x`, `y`), if on the photo.
pub(super) fn lstar_at(photo: &Photo, lut: &SrgbLut, x: f64, y: f64) -> Option<f64> {
    lab_at(photo, lut, x, y).map(|c| c[0])
}

/// CIELAB (L*, a*, b*) of the photo's pixel at (x, y), or `None` off the photo.
pub(super) fn lab_at(photo: &Photo, lut: &SrgbLut, x: f64, y: f64) -> Option<[f64; 3]> {
    if x < 0.0 || y < 0.0 {
        return None;
    }
    let (xi, yi) = (x as usize, y as usize);
    if xi >= photo.w || yi >= photo.h {
        return None;
    }
    let i = (yi * photo.w + xi) * 3;
    let lab = lab_from_lin([0, 1, 2].map(|k| lut.to_lin[photo.rgb[i + k] as usize]));
    Some([lab.l, lab.a, lab.b])
}

/// L* sampled about every photo pixel over the window (`along`, `up`) mm in the frame whose origin is
/// `o`, with unit vectors `e` (along) and `n` (up) and `ppm` pixels per mm.
fn window(
    photo: &Photo,
    lut: &SrgbLut,
    frame: ([f64; 2], [f64; 2], [f64; 2], f64),
    along: (f64, f64),
    up: (f64, f64),
) -> Vec<f64> {
    let (o, e, n, ppm) = frame;
    let step = 1.0 / ppm.max(1e-6);
    let count = |lo: f64, hi: f64| (((hi - lo) / step).ceil() as usize).min(400);
    let mut v = Vec::new();
    for i in 0..count(along.0, along.1) {
        let a = along.0 + i as f64 * step;
        for j in 0..count(up.0, up.1) {
            let u = up.0 + j as f64 * step;
            let (x, y) = (
                o[0] + (e[0] * a + n[0] * u) * ppm,
                o[1] + (e[1] * a + n[1] * u) * ppm,
            );
            v.extend(lstar_at(photo, lut, x, y));
        }
    }
    v
}

/// The value below which `share` of `v` lies.
fn quantile(v: &mut [f64], share: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * share).round() as usize]
}

/// How far each eye's darkest twentieth lies under the forehead's median L*, right eye then left (the
/// strip of 20 × 8 mm from each outer corner toward the nose, with `ppm` pixels per mm, against the
/// forehead 25–50 mm above the glabella within 20 mm of the midline). `None` when a window is off the
/// photo or the corners are swapped or on one point.
pub fn eye_depths(
    photo: &Photo,
    g: [f64; 2],
    r: [f64; 2],
    l: [f64; 2],
    ppm: f64,
) -> Option<[f64; 2]> {
    let (dx, dy) = (l[0] - r[0], l[1] - r[1]);
    let px = dx.hypot(dy);
    if px <= 0.0 || dx <= 0.0 || ppm <= 0.0 {
        return None;
    }
    let e = [dx / px, dy / px];
    let n = [e[1], -e[0]];
    let lut = SrgbLut::new();
    let mut forehead = window(
        photo,
        &lut,
        (g, e, n, ppm),
        (-FOREHEAD_HALF_MM, FOREHEAD_HALF_MM),
        FOREHEAD_MM,
    );
    if forehead.len() < 20 {
        return None;
    }
    let skin = quantile(&mut forehead, 0.5);
    let mut depths = [0.0; 2];
    // From each corner toward the midline: the right corner (image left) inward is +e, the left one −e.
    for (k, (c, dir)) in [(r, e), (l, [-e[0], -e[1]])].into_iter().enumerate() {
        let mut v = window(
            photo,
            &lut,
            (c, dir, n, ppm),
            (EYE_FROM_MM, EYE_TO_MM),
            (-EYE_HALF_MM, EYE_HALF_MM),
        );
        if v.len() < 20 {
            return None;
        }
        depths[k] = skin - quantile(&mut v, 0.05);
    }
    Some(depths)
}

/// On a front photo, the eye depths ([`eye_depths`]) where the registration puts the glabella and the
/// outer eye corners, when neither eye reaches [`MIN_EYE_DEPTH_L`]: no eye beside either corner.
pub fn eyes_missing(photo: &Photo, plan: &Plan, reg: &Registration) -> Option<[f64; 2]> {
    if reg.view != crate::views::PhotoView::Front {
        return None;
    }
    let lm = &plan.landmarks;
    let at = |p| reg.project(p).map(|(x, y, _)| [x, y]);
    let (g, r, l) = (
        at(lm.glabella)?,
        at(lm.lateral_canthus_right)?,
        at(lm.lateral_canthus_left)?,
    );
    let ppm = super::iris::corner_scale(plan, r, l);
    eye_depths(photo, g, r, l, ppm).filter(|d| d.iter().all(|&x| x < MIN_EYE_DEPTH_L))
}

/// Eyes this many L* under the forehead, on both sides, with a light nose bridge between them, are a face
/// on a photo that should show the back of the head: real faces' eyes lie 43–85 under (see
/// [`MIN_EYE_DEPTH_L`]), the clay mannequin's unpainted ones 12–20.
pub const FACE_EYE_DEPTH_L: f64 = 25.0;
/// …and both eyes this many L* darker than the bridge between them (the skin at the top of the nose; on the
/// back of a head, retained hair there runs on across the midline as dark as at the sides).
pub const FACE_BRIDGE_CONTRAST_L: f64 = 10.0;
/// An eye's depth here is its window's darkest fifth under the forehead: the eye opening (lashes, iris,
/// pupil) fills a good part of the window, where impressions on a treated scalp, each a dark speck, fill a
/// tenth or less (a back photo after a first session read 20–28 L* deep at its darkest twentieth).
const FACE_EYE_SHARE: f64 = 0.2;
/// A cheek may lie this many L* under the forehead (a face lit from one side: the s38 test's shaded cheek lay
/// 19 under); hair below the eye line on the back of a head lies 40 or more under the bald skin above.
pub const FACE_CHEEK_SHADE_L: f64 = 25.0;
/// Half the bridge window's width about the midline, mm, and its span from the eye line upward.
const BRIDGE_HALF_MM: f64 = 5.0;
/// See [`BRIDGE_HALF_MM`].
const BRIDGE_UP_MM: (f64, f64) = (-2.0, 6.0);
/// The cheek under each eye: from the eye line down this far, mm, over the eye window's width.
const CHEEK_DOWN_MM: (f64, f64) = (-28.0, -12.0);
/// The eye line is looked for this far below and above where the mirrored marks put it, mm, in steps of
/// [`FACE_STEP_MM`]: marks meant for the back of a head place a face's eyes only roughly (the s38 test's: 36
/// mm low, its eyes 20 % closer together).
const FACE_SEARCH_MM: (f64, f64) = (-40.0, 60.0);
/// See [`FACE_SEARCH_MM`].
const FACE_STEP_MM: f64 = 2.0;
/// The eye corners' spacing is tried at these shares of where the mirrored marks put them.
const FACE_SPREADS: [f64; 3] = [1.0, 0.85, 0.7];

/// Whether a face looks out of the photo with its outer eye corners at `r` and `l` (photo left first) and
/// `ppm` pixels per mm: both eyes dark under the forehead (25–50 mm above the eye line's middle, 18 mm under
/// the glabella), the nose bridge between them and the cheek under each light. Returns the eye depths.
fn face_at(photo: &Photo, lut: &SrgbLut, r: [f64; 2], l: [f64; 2], ppm: f64) -> Option<[f64; 2]> {
    let (dx, dy) = (l[0] - r[0], l[1] - r[1]);
    let px = dx.hypot(dy);
    if px <= 0.0 || dx <= 0.0 {
        return None;
    }
    let e = [dx / px, dy / px];
    let n = [e[1], -e[0]];
    let mid = [(r[0] + l[0]) / 2.0, (r[1] + l[1]) / 2.0];
    let up = 18.0 * ppm;
    let g = [mid[0] + n[0] * up, mid[1] + n[1] * up];
    let at = |o: [f64; 2], dir: [f64; 2], along: (f64, f64), upward: (f64, f64), q: f64| {
        let mut v = window(photo, lut, (o, dir, n, ppm), along, upward);
        (v.len() >= 20).then(|| quantile(&mut v, q))
    };
    let median = |o, dir, along, upward| at(o, dir, along, upward, 0.5);
    let skin = median(g, e, (-FOREHEAD_HALF_MM, FOREHEAD_HALF_MM), FOREHEAD_MM)?;
    let bridge = median(mid, e, (-BRIDGE_HALF_MM, BRIDGE_HALF_MM), BRIDGE_UP_MM)?;
    let cheeks = [
        median(r, e, (EYE_FROM_MM, EYE_TO_MM), CHEEK_DOWN_MM)?,
        median(l, [-e[0], -e[1]], (EYE_FROM_MM, EYE_TO_MM), CHEEK_DOWN_MM)?,
    ];
    let eye = |c: [f64; 2], dir: [f64; 2]| {
        at(
            c,
            dir,
            (EYE_FROM_MM, EYE_TO_MM),
            (-EYE_HALF_MM, EYE_HALF_MM),
            FACE_EYE_SHARE,
        )
        .map(|v| skin - v)
    };
    let depths = [eye(r, e)?, eye(l, [-e[0], -e[1]])?];
    let light = |v: f64| skin - v < FACE_BRIDGE_CONTRAST_L;
    let face = light(bridge)
        && cheeks.iter().all(|&c| skin - c < FACE_CHEEK_SHADE_L)
        && depths
            .iter()
            .all(|&d| d >= FACE_EYE_DEPTH_L && d - (skin - bridge) >= FACE_BRIDGE_CONTRAST_L);
    face.then_some(depths)
}

/// On a back photo, a face seen where the back of the head should be: the eye depths ([`eye_depths`]) of a
/// face found near where it would have its eyes if the photo were a front photo marked as a back one (the
/// plan's eye corners mirrored front to back: the ear tops, the top of the head and the head's outline sit
/// where a back photo's do), the eye line looked for above and below that ([`FACE_SEARCH_MM`]): both eyes
/// dark, the forehead above, the nose bridge between them and the cheeks under them light. Hair on the back of
/// a head is dark across the midline and below as well as at the sides. Outside test s38 marked a front photo
/// as a back one (ear tops at the ears, the nape on the chin): it registered with 2.9 mm, and the design was
/// drawn over the client's forehead, eyes and cheeks.
pub fn face_on_back(photo: &Photo, plan: &Plan, reg: &Registration) -> Option<[f64; 2]> {
    if reg.view != crate::views::PhotoView::Back {
        return None;
    }
    let lm = &plan.landmarks;
    let behind = |p: follicle_core::Vec3| follicle_core::Vec3::new(p.x, -p.y, p.z);
    let at = |p| reg.project(behind(p)).map(|(x, y, _)| [x, y]);
    let (a, b) = (at(lm.lateral_canthus_right)?, at(lm.lateral_canthus_left)?);
    // Seen from behind, the corner on the photo's left is the client's left one: photo left first.
    let (r, l) = if a[0] <= b[0] { (a, b) } else { (b, a) };
    let mm = (lm.lateral_canthus_left - lm.lateral_canthus_right).norm();
    let px = (l[0] - r[0]).hypot(l[1] - r[1]);
    if px <= 0.0 {
        return None;
    }
    let e = [(l[0] - r[0]) / px, (l[1] - r[1]) / px];
    let n = [e[1], -e[0]];
    let mid = [(r[0] + l[0]) / 2.0, (r[1] + l[1]) / 2.0];
    let lut = SrgbLut::new();
    let steps = ((FACE_SEARCH_MM.1 - FACE_SEARCH_MM.0) / FACE_STEP_MM).round() as usize;
    let mut best: Option<[f64; 2]> = None;
    for spread in FACE_SPREADS {
        let half = px / 2.0 * spread;
        let ppm = 2.0 * half / mm.max(1e-6);
        for k in 0..=steps {
            let up = (FACE_SEARCH_MM.0 + k as f64 * FACE_STEP_MM) * ppm;
            let c = [mid[0] + n[0] * up, mid[1] + n[1] * up];
            let (r, l) = (
                [c[0] - e[0] * half, c[1] - e[1] * half],
                [c[0] + e[0] * half, c[1] + e[1] * half],
            );
            if let Some(d) = face_at(photo, &lut, r, l, ppm) {
                let weakest = |d: [f64; 2]| d[0].min(d[1]);
                if best.is_none_or(|b| weakest(d) > weakest(b)) {
                    best = Some(d);
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 300 × 300 face: forehead skin, two dark eyes from each corner toward the nose.
    fn face(eyes: bool) -> Photo {
        let (w, h) = (300usize, 300usize);
        let mut rgb = vec![0u8; w * h * 3];
        for y in 0..h {
            for x in 0..w {
                let eye = eyes
                    && (150..160).contains(&y)
                    && ((95..125).contains(&x) || (175..205).contains(&x));
                let c = if eye { [40, 30, 28] } else { [214, 170, 140] };
                rgb[(y * w + x) * 3..(y * w + x) * 3 + 3].copy_from_slice(&c);
            }
        }
        Photo {
            w,
            h,
            rgb,
            exif_orientation: 1,
        }
    }

    #[test]
    fn corners_beside_eyes_pass_and_corners_on_plain_skin_do_not() {
        // Corners 116 px apart about the glabella (1.25 px/mm), eyes just inside them.
        let (g, r, l) = ([150.0, 132.0], [92.0, 155.0], [208.0, 155.0]);
        let d = eye_depths(&face(true), g, r, l, 1.25).unwrap();
        assert!(d.iter().all(|&x| x > 40.0), "{d:?}");
        let d = eye_depths(&face(false), g, r, l, 1.25).unwrap();
        assert!(d.iter().all(|&x| x.abs() < 1.0), "{d:?}");
        // Swapped corners or windows off the photo: not judged.
        assert_eq!(eye_depths(&face(true), g, l, r, 1.25), None);
        assert_eq!(
            eye_depths(&face(true), [150.0, 10.0], [92.0, 5.0], [208.0, 5.0], 1.25),
            None
        );
    }
}
