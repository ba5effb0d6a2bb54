//! The parametric 3D head: a smooth two-part ellipsoid scaled from a few measurements, its surface chart and
//! surface measures (points, normals, path lengths).
//!
//! Frame: origin midway between the tragions (ear notches), x toward the client's right, y anterior,
//! z superior, millimetres. The cranial vault is an ellipsoid centred above the origin at glabella height;
//! its upper half reaches the top of the head, its lower half (taller) carries the back of the head to the
//! nape. Directions from the centre map one-to-one onto the surface (radial projection), and a
//! stereographic chart of those directions, tilted back so the scalp sits in its middle, gives every
//! scalp point 2D coordinates without a singularity.

use crate::geom::{Chart2, Vec3};

/// Sex used to pick default measurements (ANSUR II medians).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    /// ANSUR II male medians.
    Male,
    /// ANSUR II female medians.
    Female,
}

impl Sex {
    /// The name case files and plan.json use: `male` or `female`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// Reads [`Sex::as_str`]'s names back.
    pub fn from_name(s: &str) -> Option<Sex> {
        match s {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// Head measurements in millimetres, as a practitioner takes them with a tape and calipers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeadMeasurements {
    /// Glabella to the back of the skull (maximum length).
    pub length_mm: f64,
    /// Maximum breadth above the ears.
    pub breadth_mm: f64,
    /// Vertical distance from tragion (ear notch) to the top of the head.
    pub height_mm: f64,
    /// Height of the glabella above the tragion level.
    pub glabella_height_mm: f64,
    /// Interpupillary distance (places the lateral canthi).
    pub interpupillary_mm: f64,
}

impl HeadMeasurements {
    /// ANSUR II (US Army NSRDEC 2012, Gordon et al. 2014) median head of the given sex.
    pub fn median(sex: Sex) -> Self {
        match sex {
            Sex::Male => Self {
                length_mm: 200.0,
                breadth_mm: 154.0,
                height_mm: 131.0,
                glabella_height_mm: 33.0,
                interpupillary_mm: 64.0,
            },
            Sex::Female => Self {
                length_mm: 190.0,
                breadth_mm: 147.0,
                height_mm: 127.0,
                glabella_height_mm: 31.0,
                interpupillary_mm: 62.0,
            },
        }
    }

    /// The first measurement outside the ranges adult heads have ([`LENGTH_RANGE_MM`] and the rest): its field
    /// name (`length_mm`, …) and the reason in words. Case files check these with hints of their own; a plan
    /// read back from plan.json, which may have been edited, is held to the same ranges here.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for (field, v, (lo, hi)) in [
            ("length_mm", self.length_mm, LENGTH_RANGE_MM),
            ("breadth_mm", self.breadth_mm, BREADTH_RANGE_MM),
            ("height_mm", self.height_mm, HEIGHT_RANGE_MM),
            (
                "glabella_height_mm",
                self.glabella_height_mm,
                GLABELLA_HEIGHT_RANGE_MM,
            ),
            (
                "interpupillary_mm",
                self.interpupillary_mm,
                INTERPUPILLARY_RANGE_MM,
            ),
        ] {
            if !(lo..=hi).contains(&v) {
                return Err((
                    field,
                    format!(
                        "{} mm is outside the plausible range {lo}–{hi} mm of adult heads",
                        crate::words::number(v)
                    ),
                ));
            }
        }
        let index = self.breadth_mm / self.length_mm;
        if !(CEPHALIC_INDEX_RANGE.0..CEPHALIC_INDEX_RANGE.1).contains(&index) {
            return Err((
                "breadth_mm",
                format!(
                    "a breadth of {} mm on a length of {} mm is not the shape of a head (breadth is {:.0} % of length; heads measure {:.0}–{:.0} %)",
                    crate::words::number(self.breadth_mm),
                    crate::words::number(self.length_mm),
                    index * 100.0,
                    CEPHALIC_INDEX_RANGE.0 * 100.0,
                    CEPHALIC_INDEX_RANGE.1 * 100.0
                ),
            ));
        }
        Ok(())
    }

    /// Maximum head circumference of these measurements: the ellipse perimeter of length × breadth times
    /// `TAPE_FACTOR` (a real head's outline is fuller than an ellipse).
    pub fn circumference_mm(&self) -> f64 {
        ellipse_perimeter(self.length_mm / 2.0, self.breadth_mm / 2.0) * TAPE_FACTOR
    }

    /// Scales length and breadth together so the circumference equals `circumference_mm`.
    pub fn with_circumference(mut self, circumference_mm: f64) -> Self {
        let k = circumference_mm / self.circumference_mm();
        self.length_mm *= k;
        self.breadth_mm *= k;
        self
    }

    /// Keeps the one of length and breadth that was measured (`keep`) and solves the other so the
    /// circumference equals `circumference_mm`: a tape reading and a caliper reading together fix the
    /// head, the caliper's number as taken (scaling both, a measured 200 mm length became 209 mm: outside
    /// test s47). The perimeter grows with either axis, so the other is found by bisection.
    pub fn with_circumference_keeping(mut self, circumference_mm: f64, keep: Kept) -> Self {
        let (mut lo, mut hi) = (1.0, 2.0 * circumference_mm);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            let m = match keep {
                Kept::Length => Self {
                    breadth_mm: mid,
                    ..self
                },
                Kept::Breadth => Self {
                    length_mm: mid,
                    ..self
                },
            };
            if m.circumference_mm() < circumference_mm {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        match keep {
            Kept::Length => self.breadth_mm = 0.5 * (lo + hi),
            Kept::Breadth => self.length_mm = 0.5 * (lo + hi),
        }
        self
    }
}

/// Which of length and breadth was measured ([`HeadMeasurements::with_circumference_keeping`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// The length (glabella to the back of the head).
    Length,
    /// The breadth (across above the ears).
    Breadth,
}

/// Head length (glabella to the back of the head) adults have, mm, with margin (ANSUR II heads of both sexes
/// lie well inside).
pub const LENGTH_RANGE_MM: (f64, f64) = (160.0, 240.0);
/// Head breadth above the ears adults have, mm.
pub const BREADTH_RANGE_MM: (f64, f64) = (120.0, 190.0);
/// Head height (tragion to the top of the head) adults have, mm.
pub const HEIGHT_RANGE_MM: (f64, f64) = (100.0, 170.0);
/// Glabella height above the tragion level, mm.
pub const GLABELLA_HEIGHT_RANGE_MM: (f64, f64) = (15.0, 50.0);
/// Accepted interpupillary distances, mm (adult range, with margin).
pub const INTERPUPILLARY_RANGE_MM: (f64, f64) = (50.0, 80.0);
/// Breadth ÷ length (the cephalic index): the narrowest long heads measure about 0.65, the roundest about
/// 0.95; a head is never wider than it is long, so a breadth at or above the length is two readings swapped.
pub const CEPHALIC_INDEX_RANGE: (f64, f64) = (0.62, 1.0);

/// Measured circumference over the ellipse perimeter of the same length and breadth, calibrated on the
/// ANSUR II male medians (574 mm measured; 558.4 mm for a 200 × 154 mm ellipse).
pub const TAPE_FACTOR: f64 = 574.0 / 558.41;

/// Ramanujan's second approximation of an ellipse perimeter.
pub fn ellipse_perimeter(a: f64, b: f64) -> f64 {
    let h = ((a - b) / (a + b)).powi(2);
    std::f64::consts::PI * (a + b) * (1.0 + 3.0 * h / (10.0 + (4.0 - 3.0 * h).sqrt()))
}

/// Chart tilt: the chart's pole leans this far back from straight up, centring the scalp (radians).
const CHART_TILT: f64 = 0.42;

/// The head surface built from measurements.
#[derive(Clone, Debug)]
pub struct Head {
    /// The measurements the head was built from.
    pub measurements: HeadMeasurements,
    /// Centre of the ellipsoid (above the tragion midpoint, at glabella height).
    pub centre: Vec3,
    /// Semi-axis along x (half the breadth).
    pub a: f64,
    /// Semi-axis along y (half the length).
    pub b: f64,
    /// Upper semi-axis along z (centre to the top of the head).
    pub c_up: f64,
    /// Lower semi-axis along z (centre toward the nape).
    pub c_low: f64,
    e1: Vec3,
    e2: Vec3,
    pole: Vec3,
}

impl Head {
    /// Builds the head from measurements (validated by the caller).
    pub fn new(m: HeadMeasurements) -> Self {
        let c_up = m.height_mm - m.glabella_height_mm;
        let (s, c) = CHART_TILT.sin_cos();
        Self {
            measurements: m,
            centre: Vec3::new(0.0, 0.0, m.glabella_height_mm),
            a: m.breadth_mm / 2.0,
            b: m.length_mm / 2.0,
            c_up,
            c_low: c_up * 1.15,
            e1: Vec3::new(1.0, 0.0, 0.0),
            e2: Vec3::new(0.0, c, s),
            pole: Vec3::new(0.0, -s, c),
        }
    }

    /// Distance from the centre to the surface along the unit direction `d`.
    #[inline]
    pub fn radius_along(&self, d: Vec3) -> f64 {
        let c = if d.z >= 0.0 { self.c_up } else { self.c_low };
        1.0 / ((d.x / self.a).powi(2) + (d.y / self.b).powi(2) + (d.z / c).powi(2)).sqrt()
    }

    /// The surface point in the unit direction `d` from the centre.
    #[inline]
    pub fn point_along(&self, d: Vec3) -> Vec3 {
        self.centre + d * self.radius_along(d)
    }

    /// Projects any point (not at the centre) radially onto the surface.
    #[inline]
    pub fn project(&self, p: Vec3) -> Vec3 {
        self.point_along((p - self.centre).normalized())
    }

    /// The first surface point on the ray from `o` along the unit direction `d` (the upper and the lower
    /// half-ellipsoid each solved exactly), or `None` when the ray misses the head.
    pub fn ray_hit(&self, o: Vec3, d: Vec3) -> Option<Vec3> {
        let q = o - self.centre;
        let mut best: Option<f64> = None;
        for (c, upper) in [(self.c_up, true), (self.c_low, false)] {
            let s = Vec3::new(1.0 / self.a, 1.0 / self.b, 1.0 / c);
            let (qs, ds) = (
                Vec3::new(q.x * s.x, q.y * s.y, q.z * s.z),
                Vec3::new(d.x * s.x, d.y * s.y, d.z * s.z),
            );
            let (a, b, cc) = (ds.norm2(), 2.0 * qs.dot(ds), qs.norm2() - 1.0);
            let disc = b * b - 4.0 * a * cc;
            if disc < 0.0 || a == 0.0 {
                continue;
            }
            for t in [
                (-b - disc.sqrt()) / (2.0 * a),
                (-b + disc.sqrt()) / (2.0 * a),
            ] {
                let z = q.z + d.z * t;
                if t > 0.0 && (z >= 0.0) == upper && best.is_none_or(|bt| t < bt) {
                    best = Some(t);
                }
            }
        }
        best.map(|t| o + d * t)
    }

    /// How far a point lies off the surface along its ray from the centre (positive outside), mm.
    pub fn offset_from_surface(&self, p: Vec3) -> f64 {
        let d = p - self.centre;
        let n = d.norm();
        if n == 0.0 {
            return -self.a.min(self.b);
        }
        n - self.radius_along(d * (1.0 / n))
    }

    /// Outward unit normal at a surface point.
    pub fn normal(&self, p: Vec3) -> Vec3 {
        let q = p - self.centre;
        let c = if q.z >= 0.0 { self.c_up } else { self.c_low };
        Vec3::new(
            q.x / (self.a * self.a),
            q.y / (self.b * self.b),
            q.z / (c * c),
        )
        .normalized()
    }

    /// Chart coordinates of the unit direction `d`.
    #[inline]
    pub fn chart_of_dir(&self, d: Vec3) -> Chart2 {
        let k = 1.0 / (1.0 + d.dot(self.pole)).max(1e-9);
        Chart2::new(d.dot(self.e1) * k, d.dot(self.e2) * k)
    }

    /// Chart coordinates of a point (projected radially).
    #[inline]
    pub fn chart_of(&self, p: Vec3) -> Chart2 {
        self.chart_of_dir((p - self.centre).normalized())
    }

    /// Unit direction for chart coordinates.
    #[inline]
    pub fn dir_of_chart(&self, c: Chart2) -> Vec3 {
        let r2 = c.u * c.u + c.v * c.v;
        let k = 1.0 / (1.0 + r2);
        self.e1 * (2.0 * c.u * k) + self.e2 * (2.0 * c.v * k) + self.pole * ((1.0 - r2) * k)
    }

    /// The surface point at chart coordinates.
    #[inline]
    pub fn point_of_chart(&self, c: Chart2) -> Vec3 {
        self.point_along(self.dir_of_chart(c))
    }

    /// Upper bound of chart units per millimetre of surface near chart point `c` whose radius is `r`.
    #[inline]
    pub fn chart_scale_bound(&self, c: Chart2, radius: f64) -> f64 {
        // Stereographic scale is (1 + |c|^2) / 2 per radian; a surface step ds turns the direction by at
        // most ds / radius. The factor covers the change of both over a neighbourhood a few mm wide.
        (1.0 + c.u * c.u + c.v * c.v) * 0.5 / radius * 1.08
    }

    /// Length of the surface path obtained by projecting the straight segment `p`–`q` onto the surface, mm.
    pub fn path_length(&self, p: Vec3, q: Vec3) -> f64 {
        let steps = ((p.dist(q) / 2.0).ceil() as usize).clamp(4, 400);
        let mut last = self.project(p);
        let mut len = 0.0;
        for i in 1..=steps {
            let x = self.project(p.lerp(q, i as f64 / steps as f64));
            len += x.dist(last);
            last = x;
        }
        len
    }

    /// The point at surface distance `s` from `p` along the projected path toward `q`.
    pub fn walk_toward(&self, p: Vec3, q: Vec3, s: f64) -> Vec3 {
        let steps = 800;
        let mut last = self.project(p);
        let mut len = 0.0;
        for i in 1..=steps {
            let x = self.project(p.lerp(q, i as f64 / steps as f64));
            let seg = x.dist(last);
            if len + seg >= s {
                let t = (s - len) / seg.max(1e-12);
                return self.project(last.lerp(x, t));
            }
            len += seg;
            last = x;
        }
        last
    }

    /// The midline (sagittal) surface point at angle `theta` from the front, measured in the y–z plane
    /// around the centre (0 = glabella, π/2 = top of the head).
    pub fn midline_point(&self, theta: f64) -> Vec3 {
        self.point_along(Vec3::new(0.0, theta.cos(), theta.sin()))
    }

    /// Arc length along the midline from the glabella up to angle `theta`.
    pub fn midline_arc(&self, theta: f64) -> f64 {
        let steps = ((theta.abs() * 200.0) as usize).max(8);
        let mut last = self.midline_point(0.0);
        let mut len = 0.0;
        for i in 1..=steps {
            let x = self.midline_point(theta * i as f64 / steps as f64);
            len += x.dist(last);
            last = x;
        }
        len
    }

    /// Angle on the midline whose arc from the glabella equals `s` mm (front to back over the top).
    pub fn midline_angle_at_arc(&self, s: f64) -> f64 {
        let (mut lo, mut hi) = (0.0, std::f64::consts::PI);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.midline_arc(mid) < s {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// The surface point straight below (x, y) seen from above (top view), or None when (x, y) lies
    /// outside the head's outline from above.
    pub fn point_from_above(&self, x: f64, y: f64) -> Option<Vec3> {
        if self.offset_from_surface(Vec3::new(x, y, self.centre.z)) > 0.0 {
            return None;
        }
        // Inside at the widest level and outside above the top: bisect on z for the upper crossing.
        let (mut lo, mut hi) = (self.centre.z, self.vertex().z + 1.0);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.offset_from_surface(Vec3::new(x, y, mid)) < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(Vec3::new(x, y, lo))
    }

    /// The surface point facing forward at lateral offset `x` and height `z` (the front crossing of the line
    /// parallel to y through (x, ·, z)), or None when that line misses the head. Facial landmarks sit on
    /// the face in front of the eyes, not where a ray from the head centre meets the surface.
    pub fn point_from_front(&self, x: f64, z: f64) -> Option<Vec3> {
        let dz = z - self.centre.z;
        let c = if dz >= 0.0 { self.c_up } else { self.c_low };
        let q = 1.0 - (x / self.a).powi(2) - (dz / c).powi(2);
        (q > 0.0).then(|| Vec3::new(x, self.centre.y + self.b * q.sqrt(), z))
    }

    /// The surface point at azimuth `phi` (0 = straight ahead, +π/2 = the right side, ±π = the back, as
    /// `x.atan2(y)`) and height `z`: where the horizontal ray from the vertical axis meets the surface, or
    /// None when that height lies above or below the head. Hairline limits around the ears and the nape are
    /// given this way, in height above tragion level, not along rays from the head centre (which would pull
    /// them toward the centre's height).
    pub fn point_at_azimuth(&self, phi: f64, z: f64) -> Option<Vec3> {
        let dz = z - self.centre.z;
        let c = if dz >= 0.0 { self.c_up } else { self.c_low };
        let q = 1.0 - (dz / c).powi(2);
        if q <= 0.0 {
            return None;
        }
        let (s, co) = phi.sin_cos();
        let r = (q / ((s / self.a).powi(2) + (co / self.b).powi(2))).sqrt();
        Some(Vec3::new(self.centre.x + r * s, self.centre.y + r * co, z))
    }

    /// The highest point of the head (vertex).
    pub fn vertex(&self) -> Vec3 {
        self.centre + Vec3::new(0.0, 0.0, self.c_up)
    }

    /// Total scalp-cap area above a height, by integration (used in tests and sanity checks), cm².
    pub fn cap_area_cm2(&self, above_z: f64) -> f64 {
        let n = 400;
        let mut area = 0.0;
        let lim = 2.5;
        let h = 2.0 * lim / n as f64;
        for i in 0..n {
            for j in 0..n {
                let c = Chart2::new(-lim + (i as f64 + 0.5) * h, -lim + (j as f64 + 0.5) * h);
                let p = self.point_of_chart(c);
                if p.z < above_z {
                    continue;
                }
                let pu = self.point_of_chart(Chart2::new(c.u + h * 0.5, c.v))
                    - self.point_of_chart(Chart2::new(c.u - h * 0.5, c.v));
                let pv = self.point_of_chart(Chart2::new(c.u, c.v + h * 0.5))
                    - self.point_of_chart(Chart2::new(c.u, c.v - h * 0.5));
                area += pu.cross(pv).norm();
            }
        }
        area / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn head() -> Head {
        Head::new(HeadMeasurements::median(Sex::Male))
    }

    #[test]
    fn rays_hit_the_surface_where_they_enter_it() {
        let h = head();
        // From the front, at the glabella's height and above it: the hit lies on the surface, in front.
        for z in [0.0, 40.0, 90.0] {
            let o = Vec3::new(5.0, 600.0, h.centre.z + z);
            let p = h.ray_hit(o, Vec3::new(0.0, -1.0, 0.0)).expect("hits");
            assert!(h.offset_from_surface(p).abs() < 1e-6, "{p:?}");
            assert!(p.y > 0.0 && (p.z - o.z).abs() < 1e-9);
        }
        // Below the centre (the lower half) and past the head.
        let low = h.ray_hit(
            Vec3::new(0.0, 600.0, h.centre.z - 30.0),
            Vec3::new(0.0, -1.0, 0.0),
        );
        assert!(low.is_some_and(|p| h.offset_from_surface(p).abs() < 1e-6 && p.y > 0.0));
        assert!(h
            .ray_hit(
                Vec3::new(300.0, 600.0, h.centre.z),
                Vec3::new(0.0, -1.0, 0.0)
            )
            .is_none());
    }

    #[test]
    fn median_male_matches_ansur_circumference() {
        let c = HeadMeasurements::median(Sex::Male).circumference_mm();
        for keep in [Kept::Length, Kept::Breadth] {
            let m = HeadMeasurements::median(Sex::Male).with_circumference_keeping(600.0, keep);
            assert!((m.circumference_mm() - 600.0).abs() < 1e-6, "{m:?}");
            match keep {
                Kept::Length => assert_eq!(m.length_mm, 200.0),
                Kept::Breadth => assert_eq!(m.breadth_mm, 154.0),
            }
        }
        assert!((c - 574.0).abs() < 1.0, "circumference {c}");
        let f = HeadMeasurements::median(Sex::Female).circumference_mm();
        assert!((f - 560.0).abs() < 15.0, "female circumference {f}");
    }

    #[test]
    fn glabella_is_front_of_the_equator() {
        let h = head();
        let g = h.midline_point(0.0);
        assert!((g.y - 100.0).abs() < 1e-9 && (g.z - 33.0).abs() < 1e-9);
        assert!((h.vertex().z - 131.0).abs() < 1e-9);
    }

    #[test]
    fn points_from_above_lie_on_the_upper_surface() {
        let h = head();
        let p = h.point_from_above(10.0, -20.0).unwrap();
        assert!(h.offset_from_surface(p).abs() < 1e-6 && p.z > h.centre.z);
        assert!(h.point_from_above(300.0, 0.0).is_none());
    }

    #[test]
    fn scalp_area_is_plausible() {
        // Everything above the tragion level is roughly the hair-bearing scalp and forehead: several hundred cm².
        let a = head().cap_area_cm2(0.0);
        assert!((550.0..900.0).contains(&a), "area {a}");
    }

    proptest! {
        #[test]
        fn azimuth_points_lie_on_the_surface_at_their_height_and_azimuth(
            phi in -3.1f64..3.1,
            z in -120.0f64..140.0,
        ) {
            let h = head();
            match h.point_at_azimuth(phi, z) {
                Some(p) => {
                    prop_assert!(h.offset_from_surface(p).abs() < 1e-6, "off the surface: {p:?}");
                    prop_assert!((p.z - z).abs() < 1e-12);
                    prop_assert!((p.x.atan2(p.y) - phi).abs() < 1e-9, "azimuth {} vs {phi}", p.x.atan2(p.y));
                }
                None => prop_assert!(z <= h.centre.z - h.c_low || z >= h.vertex().z),
            }
        }
    }

    proptest! {
        #[test]
        fn chart_round_trips(u in -2.0f64..2.0, v in -2.0f64..2.0) {
            let h = head();
            let c = Chart2::new(u, v);
            let back = h.chart_of(h.point_of_chart(c));
            prop_assert!((back.u - u).abs() < 1e-9 && (back.v - v).abs() < 1e-9);
        }

        #[test]
        fn projected_points_lie_on_the_surface(x in -200.0f64..200.0, y in -200.0f64..200.0, z in -100.0f64..250.0) {
            let h = head();
            prop_assume!(Vec3::new(x, y, z).dist(h.centre) > 1.0);
            let p = h.project(Vec3::new(x, y, z));
            prop_assert!(h.offset_from_surface(p).abs() < 1e-9);
        }

        #[test]
        fn chart_scale_bound_holds(u in -1.6f64..1.6, v in -1.6f64..1.6, ang in 0.0f64..std::f64::consts::TAU, step in 0.2f64..4.0) {
            // Moving `step` mm along the surface never moves further than the bound in the chart.
            let h = head();
            let c = Chart2::new(u, v);
            let p = h.point_of_chart(c);
            let n = h.normal(p);
            let (t1, t2) = n.tangent_basis();
            let q = h.project(p + (t1 * ang.cos() + t2 * ang.sin()) * step);
            let cq = h.chart_of(q);
            let dchart = ((cq.u - c.u).powi(2) + (cq.v - c.v).powi(2)).sqrt();
            let r = (p - h.centre).norm();
            prop_assert!(dchart <= h.chart_scale_bound(c, r) * p.dist(q) * 1.0 + 1e-12);
        }
    }
}
