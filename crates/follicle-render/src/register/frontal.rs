//! The reference camera of a registration: a pinhole 1 m (by default) from the view's target, turned and
//! tilted around it, whose picture plane is in millimetres at the target's depth.

use follicle_core::{Plan, Vec3};

/// The reference camera: looks at the glabella from `distance_mm` away, straight from the front when
/// `yaw_rad` and `pitch_rad` are 0, or from a turned and tilted direction (a client who turned their head
/// a little for the photo). Its picture plane is in millimetres at the glabella's depth (x toward the
/// client's left when frontal, as in a photo; y down).
#[derive(Clone, Copy, Debug)]
pub struct Frontal {
    /// Eye position (head frame).
    pub eye: Vec3,
    /// Distance eye–glabella, mm.
    pub distance_mm: f64,
    /// Turn of the camera around the head's vertical axis toward the client's right, radians.
    pub yaw_rad: f64,
    /// Tilt of the camera above the glabella's level, radians.
    pub pitch_rad: f64,
    back: Vec3,
    right: Vec3,
    down: Vec3,
}

impl Frontal {
    /// The frontal camera of a plan's head.
    pub fn new(plan: &Plan, distance_mm: f64) -> Frontal {
        Frontal::posed(plan, distance_mm, 0.0, 0.0)
    }
    /// A camera turned by `yaw_rad` (toward the client's right) and tilted by `pitch_rad` (from above).
    pub fn posed(plan: &Plan, distance_mm: f64, yaw_rad: f64, pitch_rad: f64) -> Frontal {
        Frontal::at_glabella(plan.landmarks.glabella, distance_mm, yaw_rad, pitch_rad)
    }
    /// A camera looking at `target` from `distance_mm` away along `back` (unit, from the head toward the
    /// eye) with `up` as the picture's up (unit, across `back`), then turned by `yaw_rad` toward `back × up`
    /// and tilted by `pitch_rad` toward `up`: the reference camera of any photo view (`views`). With the
    /// glabella, `back` = +y and `up` = +z it is [`Frontal::at_glabella`].
    pub fn oriented(
        target: Vec3,
        distance_mm: f64,
        back: Vec3,
        up: Vec3,
        yaw_rad: f64,
        pitch_rad: f64,
    ) -> Frontal {
        let side = back.cross(up).normalized();
        let back = (back * (yaw_rad.cos() * pitch_rad.cos())
            + side * (yaw_rad.sin() * pitch_rad.cos())
            + up * pitch_rad.sin())
        .normalized();
        let right = up.cross(back).normalized();
        let down = right.cross(back);
        Frontal {
            eye: target + back * distance_mm,
            distance_mm,
            yaw_rad,
            pitch_rad,
            back,
            right,
            down,
        }
    }
    /// The point the camera looks at (the glabella for a front photo).
    pub fn target(&self) -> Vec3 {
        self.eye - self.back * self.distance_mm
    }
    /// Unit direction from the target toward the eye.
    pub fn back(&self) -> Vec3 {
        self.back
    }
    /// The same camera for a glabella alone (a design's landmarks, before any plan is computed).
    pub fn at_glabella(g: Vec3, distance_mm: f64, yaw_rad: f64, pitch_rad: f64) -> Frontal {
        let back = Vec3::new(
            yaw_rad.sin() * pitch_rad.cos(),
            yaw_rad.cos() * pitch_rad.cos(),
            pitch_rad.sin(),
        );
        let right = Vec3::new(0.0, 0.0, 1.0).cross(back).normalized();
        let down = right.cross(back);
        Frontal {
            eye: g + back * distance_mm,
            distance_mm,
            yaw_rad,
            pitch_rad,
            back,
            right,
            down,
        }
    }
    /// Picture-plane position (mm) and depth of `p`.
    #[inline]
    pub fn project(&self, p: Vec3) -> Option<(f64, f64, f64)> {
        let v = p - self.eye;
        let depth = -v.dot(self.back);
        if depth <= 1.0 {
            return None;
        }
        let k = self.distance_mm / depth;
        Some((v.dot(self.right) * k, v.dot(self.down) * k, depth))
    }
    /// Unit direction (head frame) of the ray from the eye through picture-plane point (`u`, `v`) mm.
    #[inline]
    pub fn ray(&self, u: f64, v: f64) -> Vec3 {
        (self.back * -self.distance_mm + self.right * u + self.down * v).normalized()
    }
}
