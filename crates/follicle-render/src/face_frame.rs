//! The face box on a registered photo: the frame the hand-marked (or proposed) glabella and outer eye
//! corners give every pixel (millimetres along the eye line and up the forehead), and the parts of the face
//! that pigment never touches whatever the colours say: brows, eyes, nose and cheeks, the temples beside
//! them and everything below the ear line. The scalp finder, the photo preview and the photo-presence check
//! all read the face through it, so "the face" is one rule.

use crate::register::Registration;
use follicle_core::Plan;

/// The face box: nothing within this height above the glabella (along the eye line's normal), mm…
pub const FACE_CLEAR_MM: f64 = 22.0;
/// …and within this distance of the midline along the eye line, mm, is scalp or hair (brows end about
/// 50–55 mm from the midline, the outer eye corners 43–50 mm).
pub const FACE_HALF_MM: f64 = 62.0;
/// Beside the face box, within this distance of the midline, pigment is refused below
/// [`TEMPLE_FLOOR_MM`] (the temple and the skin in front of the ear), mm.
pub const TEMPLE_HALF_MM: f64 = 85.0;
/// Height above the glabella under which pigment is refused beside the face box, mm: the plan's own floor
/// there, its brow line (follicle-core's `BROW_ABOVE_GLABELLA_MM`), and 5 mm for the marks' error, the
/// refusal fading in over [`TEMPLE_FADE_MM`] below it. Until session 34 the temples shared the face box's
/// 22 mm: a plan's temple points and sides between its brow line and that height were cut off on the photo
/// along a straight line, a painted-on sideburn with a hard bottom edge (studio probe s34, a fully bald head).
pub const TEMPLE_FLOOR_MM: f64 = follicle_core::landmarks::BROW_ABOVE_GLABELLA_MM + 5.0;
/// Height over which the pigment refused below [`TEMPLE_FLOOR_MM`] fades in, mm (no straight edge).
pub const TEMPLE_FADE_MM: f64 = 4.0;
/// Nothing lower than this below the glabella is considered (ears, cheeks, neck, shoulders), mm.
pub const LOWEST_MM: f64 = -25.0;
/// Distance from the midline from which the face box's top steps down to the brow tail's clearance for the
/// hair rule (`scalp::hair_allowed`), mm (the brow's arch peaks above the iris, 25–40 mm out; the step ends
/// at [`FACE_HALF_MM`]).
pub const BROW_ARCH_MM: f64 = 40.0;
/// Beside the face box, the width over which the height pigment is refused below comes down from the box's
/// top to the temples' floor, mm ([`FaceFrame::temple_floor_mm`]): a rounded corner, not a step.
pub const CORNER_MM: f64 = 12.0;

/// 0 below `e0`, 1 above `e1`, a smooth S between (no kink at either end).
#[inline]
pub(crate) fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The photo's frame of the face from the registration: the projected glabella, the unit vector along the
/// eye line (image left to right) and the unit normal pointing up the head, in pixels.
#[derive(Clone, Copy, Debug)]
pub struct FaceFrame {
    /// Glabella, pixels.
    pub g: [f64; 2],
    /// Along the eye line.
    pub e: [f64; 2],
    /// Up the forehead.
    pub n: [f64; 2],
    /// Pixels per millimetre at the glabella.
    pub px_per_mm: f64,
}

impl FaceFrame {
    /// The frame of a registration.
    pub fn new(plan: &Plan, reg: &Registration) -> Option<FaceFrame> {
        let l = &plan.landmarks;
        let (gx, gy, _) = reg.project(l.glabella)?;
        let (rx, ry, _) = reg.project(l.lateral_canthus_right)?;
        let (lx, ly, _) = reg.project(l.lateral_canthus_left)?;
        let (mut ex, mut ey) = (lx - rx, ly - ry);
        let len = ex.hypot(ey);
        if len <= 0.0 {
            return None;
        }
        (ex, ey) = (ex / len, ey / len);
        if ex < 0.0 {
            (ex, ey) = (-ex, -ey);
        }
        Some(FaceFrame {
            g: [gx, gy],
            e: [ex, ey],
            n: [ey, -ex],
            px_per_mm: reg.px_per_mm,
        })
    }
    /// (along the eye line, up the forehead) of photo pixel (`x`, `y`), mm from the glabella.
    #[inline]
    pub fn mm(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.g[0], y - self.g[1]);
        (
            (dx * self.e[0] + dy * self.e[1]) / self.px_per_mm,
            (dx * self.n[0] + dy * self.n[1]) / self.px_per_mm,
        )
    }
    /// Photo pixel of (along, up) mm.
    pub fn px(&self, along: f64, up: f64) -> (f64, f64) {
        let (a, u) = (along * self.px_per_mm, up * self.px_per_mm);
        (
            self.g[0] + a * self.e[0] + u * self.n[0],
            self.g[1] + a * self.e[1] + u * self.n[1],
        )
    }
    /// Whether a pixel at (along, up) mm lies in the face box (brows, eyes, nose, cheeks): never changed.
    #[inline]
    pub fn in_face(along: f64, up: f64) -> bool {
        up < FACE_CLEAR_MM && along.abs() < FACE_HALF_MM
    }
    /// The height above the glabella below which pigment is refused at `along` mm from the midline, beside
    /// the face box: the box's top at its side, coming down as a curve over [`CORNER_MM`] to the temples'
    /// floor ([`TEMPLE_FLOOR_MM`]). Until session 50 it stepped down at the box's side: on a fully bald head
    /// turned a little, the plan's temple ended on the photo in a square notch 12 mm high at the box's
    /// corner (outside tests s50, a crop of dlib's `bald_guys.jpg`, in the studio and on the command line).
    #[inline]
    pub fn temple_floor_mm(along: f64) -> f64 {
        TEMPLE_FLOOR_MM
            + (FACE_CLEAR_MM - TEMPLE_FLOOR_MM)
                * (1.0 - smoothstep(FACE_HALF_MM, FACE_HALF_MM + CORNER_MM, along.abs()))
    }
    /// How much pigment may land at (along, up) mm whatever the colours say: 0 in the face box and below the
    /// ear line, fading in from [`TEMPLE_FLOOR_MM`] − [`TEMPLE_FADE_MM`] to the floor beside the face box
    /// (the temples), 1 elsewhere.
    #[inline]
    pub fn pigment_share(along: f64, up: f64) -> f32 {
        if up < LOWEST_MM || Self::in_face(along, up) {
            return 0.0;
        }
        if along.abs() >= TEMPLE_HALF_MM {
            return 1.0;
        }
        let floor = Self::temple_floor_mm(along);
        let t = ((up - (floor - TEMPLE_FADE_MM)) / TEMPLE_FADE_MM).clamp(0.0, 1.0);
        (t * t * (3.0 - 2.0 * t)) as f32
    }
}

// The plan's temporal peaks lie above the temples' floor on the photo.
const _: () = assert!(
    follicle_core::landmarks::BROW_ABOVE_GLABELLA_MM + follicle_core::landmarks::PEAK_ABOVE_BROW_MM
        >= TEMPLE_FLOOR_MM
);

#[cfg(test)]
mod tests {
    use super::*;

    /// Beside the face box pigment is refused only below the plan's own brow line and the marks' margin,
    /// fading in without a step (studio probe s34: the temples shared the face box's 22 mm, and a fully
    /// bald client's temple points and sides ended on the photo in a straight horizontal edge). The face box
    /// and everything below the ear line stay refused.
    #[test]
    fn the_temples_take_the_plans_pigment_down_to_its_brow_line_without_a_step() {
        for along in [-80.0, -75.0, 74.0, 84.0] {
            assert_eq!(FaceFrame::pigment_share(along, TEMPLE_FLOOR_MM), 1.0);
            assert_eq!(FaceFrame::pigment_share(along, FACE_CLEAR_MM - 1.0), 1.0);
            assert_eq!(
                FaceFrame::pigment_share(along, TEMPLE_FLOOR_MM - TEMPLE_FADE_MM),
                0.0
            );
            assert_eq!(FaceFrame::pigment_share(along, 0.0), 0.0);
            let mut last = 0.0f32;
            let mut up = -5.0;
            while up < 30.0 {
                let s = FaceFrame::pigment_share(along, up);
                assert!(s >= last && s - last < 0.2, "{along} {up}: {last} → {s}");
                last = s;
                up += 0.5;
            }
        }
        assert_eq!(FaceFrame::pigment_share(40.0, 15.0), 0.0);
        assert_eq!(FaceFrame::pigment_share(-61.0, 21.0), 0.0);
        assert_eq!(FaceFrame::pigment_share(100.0, LOWEST_MM - 1.0), 0.0);
        assert_eq!(FaceFrame::pigment_share(100.0, 0.0), 1.0);
    }

    /// Beside the face box the height pigment is refused below comes down from the box's top to the
    /// temples' floor as a curve, never a step, so the plan's temple ends without a corner (outside tests
    /// s50: a square notch on a fully bald temple). The box itself refuses what it did.
    #[test]
    fn the_temples_floor_meets_the_face_box_without_a_corner() {
        assert_eq!(FaceFrame::temple_floor_mm(FACE_HALF_MM), FACE_CLEAR_MM);
        assert_eq!(
            FaceFrame::temple_floor_mm(-(FACE_HALF_MM + CORNER_MM)),
            TEMPLE_FLOOR_MM
        );
        let mut along = FACE_HALF_MM;
        while along < TEMPLE_HALF_MM {
            let step = FaceFrame::temple_floor_mm(along) - FaceFrame::temple_floor_mm(along + 0.5);
            assert!((0.0..1.0).contains(&step), "{along}: {step}");
            along += 0.5;
        }
        // Along a row between the temples' floor and the box's top, pigment fades in outward (at the box's
        // side by no more than its 4 mm fade below the box's top).
        for up in [12.0, 16.0, 20.0] {
            let mut last = 0.0f32;
            let mut along = 50.0;
            while along < 90.0 {
                let s = FaceFrame::pigment_share(along, up);
                assert!(
                    s >= last && s - last < 0.55,
                    "{up} mm up, {along} mm out: {last} → {s}"
                );
                last = s;
                along += 0.5;
            }
            assert_eq!(last, 1.0);
        }
        assert!(FaceFrame::in_face(FACE_HALF_MM - 0.1, FACE_CLEAR_MM - 0.1));
    }
}
