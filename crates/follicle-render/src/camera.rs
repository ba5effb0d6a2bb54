//! Pinhole cameras in the head frame and the named views (top, front, left, right, back, 3/4), plus the
//! eye's resolving power at a viewing distance.

use follicle_core::Vec3;

/// A named viewpoint around the head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// From above, face toward the top of the picture.
    Top,
    /// From the front.
    Front,
    /// From the client's left.
    Left,
    /// From the client's right.
    Right,
    /// From behind.
    Back,
    /// Three-quarter view from the front right and a little above (the usual consultation view).
    ThreeQuarter,
}

impl View {
    /// Every view, in contact-sheet order.
    pub const ALL: [View; 6] = [
        View::ThreeQuarter,
        View::Front,
        View::Top,
        View::Left,
        View::Right,
        View::Back,
    ];

    /// Parses `top|front|left|right|back|34`.
    pub fn parse(s: &str) -> Option<View> {
        Some(match s {
            "top" => View::Top,
            "front" => View::Front,
            "left" => View::Left,
            "right" => View::Right,
            "back" => View::Back,
            "34" | "3/4" | "three-quarter" => View::ThreeQuarter,
            _ => return None,
        })
    }

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            View::Top => "top",
            View::Front => "front",
            View::Left => "left",
            View::Right => "right",
            View::Back => "back",
            View::ThreeQuarter => "34",
        }
    }

    /// Unit direction from the head toward the eye, and the picture's up direction.
    pub fn direction(self) -> (Vec3, Vec3) {
        let z = Vec3::new(0.0, 0.0, 1.0);
        match self {
            View::Top => (z, Vec3::new(0.0, 1.0, 0.0)),
            View::Front => (Vec3::new(0.0, 1.0, 0.25).normalized(), z),
            View::Left => (Vec3::new(-1.0, 0.0, 0.2).normalized(), z),
            View::Right => (Vec3::new(1.0, 0.0, 0.2).normalized(), z),
            View::Back => (Vec3::new(0.0, -1.0, 0.3).normalized(), z),
            View::ThreeQuarter => (Vec3::new(0.62, 0.62, 0.55).normalized(), z),
        }
    }
}

/// A pinhole camera: position, orthonormal axes and focal length in pixels.
#[derive(Clone, Copy, Debug)]
pub struct Camera {
    /// Eye position, mm.
    pub eye: Vec3,
    /// Viewing direction (unit).
    pub fwd: Vec3,
    /// Picture right (unit).
    pub right: Vec3,
    /// Picture up (unit).
    pub up: Vec3,
    /// Focal length, pixels.
    pub focal: f64,
    /// Picture width, pixels.
    pub w: usize,
    /// Picture height, pixels.
    pub h: usize,
}

impl Camera {
    /// A camera at `eye` looking at `target`, with `up` as the picture's up, framing a sphere of
    /// `radius` mm around the target in a `w`×`h` picture.
    pub fn look_at(eye: Vec3, target: Vec3, up: Vec3, radius: f64, w: usize, h: usize) -> Camera {
        let fwd = (target - eye).normalized();
        let right = fwd.cross(up).normalized();
        let up = right.cross(fwd);
        let dist = eye.dist(target);
        let half = (radius / dist).clamp(-0.99, 0.99).asin();
        let focal = (w.min(h) as f64 / 2.0) / half.tan();
        Camera {
            eye,
            fwd,
            right,
            up,
            focal,
            w,
            h,
        }
    }

    /// Pixel coordinates (x right, y down, pixel centres at +0.5) and depth along the view of `p`.
    #[inline]
    pub fn project(&self, p: Vec3) -> Option<(f64, f64, f64)> {
        let v = p - self.eye;
        let z = v.dot(self.fwd);
        if z <= 1.0 {
            return None;
        }
        let x = self.w as f64 / 2.0 + self.focal * v.dot(self.right) / z;
        let y = self.h as f64 / 2.0 - self.focal * v.dot(self.up) / z;
        Some((x, y, z))
    }

    /// The unit ray direction through pixel (x, y) (continuous coordinates).
    #[inline]
    pub fn ray(&self, x: f64, y: f64) -> Vec3 {
        let dx = (x - self.w as f64 / 2.0) / self.focal;
        let dy = (self.h as f64 / 2.0 - y) / self.focal;
        (self.fwd + self.right * dx + self.up * dy).normalized()
    }

    /// Size of one pixel on a surface at depth `z`, mm.
    pub fn pixel_mm(&self, z: f64) -> f64 {
        z / self.focal
    }
}

/// The eye's blur as a Gaussian standard deviation, in arcminutes: the Gaussian whose modulation falls to
/// 2 % at 30 cycles/degree, the grating of a 1-arcminute minimum angle of resolution (20/20 acuity).
pub const EYE_SIGMA_ARCMIN: f64 = 0.89;

/// The eye's blur (Gaussian σ) on a surface `distance_mm` away, mm.
pub fn eye_blur_mm(distance_mm: f64) -> f64 {
    distance_mm * (EYE_SIGMA_ARCMIN / 60.0).to_radians().tan()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_and_ray_agree() {
        let c = Camera::look_at(
            Vec3::new(0.0, 500.0, 50.0),
            Vec3::new(0.0, 0.0, 50.0),
            Vec3::new(0.0, 0.0, 1.0),
            150.0,
            300,
            200,
        );
        let p = Vec3::new(20.0, 30.0, 80.0);
        let (x, y, z) = c.project(p).unwrap();
        let d = c.ray(x, y);
        let q = c.eye + d * ((p - c.eye).norm());
        assert!(q.dist(p) < 1e-6, "{q:?}");
        assert!(z > 0.0);
        // The framed sphere fits the picture height.
        let (_, top, _) = c.project(Vec3::new(0.0, 0.0, 200.0)).unwrap();
        assert!(top > 0.0 && top < 20.0, "{top}");
    }

    #[test]
    fn eye_blur_at_conversation_distance_hides_the_pattern_spacing() {
        // 1 arcminute at 30 cm ≈ 0.087 mm; at 1.5 m the blur (σ) is ≈ 0.39 mm.
        assert!((eye_blur_mm(300.0) - 0.078).abs() < 0.005);
        assert!((eye_blur_mm(1500.0) - 0.39).abs() < 0.01);
        for v in View::ALL {
            assert_eq!(View::parse(v.name()), Some(v));
        }
    }
}
