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
/// Beside the face box, down to this height below the glabella, pigment is still refused (the temple
/// and the skin in front of the ear), mm.
pub const TEMPLE_HALF_MM: f64 = 85.0;
/// Nothing lower than this below the glabella is considered (ears, cheeks, neck, shoulders), mm.
pub const LOWEST_MM: f64 = -25.0;

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
    /// Whether pigment is refused at (along, up) mm whatever the colours say (face box, temples).
    #[inline]
    pub fn no_pigment(along: f64, up: f64) -> bool {
        up < FACE_CLEAR_MM && along.abs() < TEMPLE_HALF_MM || up < LOWEST_MM
    }
}
