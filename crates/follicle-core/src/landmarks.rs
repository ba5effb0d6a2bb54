//! Anatomical landmarks on the head (Garg 2017 hairline construction and the scalp's limits).
//!
//! A glabella; B mid-frontal point a chosen arc above A (80 mm, 70 aggressive – 100 conservative);
//! E lateral canthi; C frontotemporal points 80 mm from B and 80 mm from E; D temporal peaks 50 mm from C
//! toward E. Distances are surface path lengths on the head (what a tape measure reads).

use crate::geom::Vec3;
use crate::head::{Head, HeadMeasurements};

/// Garg's 8 cm rule (mm).
pub const GARG_MM: f64 = 80.0;
/// Temporal peak distance from the frontotemporal point toward the lateral canthus (mm).
pub const TEMPORAL_PEAK_MM: f64 = 50.0;
/// How far the lateral canthi (outer eye corners) sit below the glabella (Farkas 1994), mm.
pub const CANTHUS_BELOW_GLABELLA_MM: f64 = 18.0;
/// Height of the brow line above the glabella at the lateral brow, mm: nothing is pigmented below it on
/// the face front (GUIDE §4; the glabella lies between the brows, whose upper edge runs a few mm higher).
pub const BROW_ABOVE_GLABELLA_MM: f64 = 5.0;
/// Least height of a temporal peak above the brow line, mm.
pub const PEAK_ABOVE_BROW_MM: f64 = 8.0;
/// How far beyond the lateral canthus (azimuth around the head's vertical axis, radians ≈ 20°) the face
/// front reaches: the lateral orbital rim and the front of the temple, where no hair grows below the brow.
pub const FACE_FRONT_BEYOND_CANTHUS_RAD: f64 = 0.35;

/// Outer-eye-corner (ex–ex) width of a head, mm: Farkas's adult means (≈ 90 mm men, ≈ 88 mm women) follow
/// the interpupillary distance and the head breadth only weakly (canthal width varies far less than
/// either), so the width stays within the 85–100 mm of real adults for every ANSUR II percentile head.
/// On heads far outside human size (synthetic benchmarks) it scales with the head.
pub fn canthal_width_mm(m: &HeadMeasurements) -> f64 {
    let typical = 89.0 + 0.3 * (m.interpupillary_mm - 63.0) + 0.1 * (m.breadth_mm - 150.0);
    // Scale with the head when it is far from human size (keeps the construction valid on scaled heads).
    let size = m.breadth_mm / 150.0;
    if (0.7..1.4).contains(&size) {
        typical
    } else {
        89.0 * size
    }
}

/// Named surface points the hairline and zones are built from.
#[derive(Clone, Debug, PartialEq)]
pub struct Landmarks {
    /// Between the brows (A).
    pub glabella: Vec3,
    /// Centre of the frontal hairline (B).
    pub mid_frontal: Vec3,
    /// Lateral canthus, client's left (E).
    pub lateral_canthus_left: Vec3,
    /// Lateral canthus, client's right (E).
    pub lateral_canthus_right: Vec3,
    /// Frontotemporal point, left (C).
    pub frontotemporal_left: Vec3,
    /// Frontotemporal point, right (C).
    pub frontotemporal_right: Vec3,
    /// Temporal peak, left (D).
    pub temporal_peak_left: Vec3,
    /// Temporal peak, right (D).
    pub temporal_peak_right: Vec3,
    /// Highest point of the head.
    pub vertex: Vec3,
    /// Crown whorl (hair spiral), behind the vertex.
    pub crown_whorl: Vec3,
    /// Top of the ear attachment, left.
    pub ear_top_left: Vec3,
    /// Top of the ear attachment, right.
    pub ear_top_right: Vec3,
    /// Nape hairline on the midline.
    pub nape: Vec3,
}

impl Landmarks {
    /// Height of the brow line (mm, head frame): nothing is pigmented below it on the face front.
    pub fn brow_line_z(&self) -> f64 {
        self.glabella.z + BROW_ABOVE_GLABELLA_MM
    }

    /// Named pairs in plan.json order.
    pub fn named(&self) -> Vec<(&'static str, Vec3)> {
        vec![
            ("glabella", self.glabella),
            ("mid_frontal", self.mid_frontal),
            ("frontotemporal_left", self.frontotemporal_left),
            ("frontotemporal_right", self.frontotemporal_right),
            ("temporal_peak_left", self.temporal_peak_left),
            ("temporal_peak_right", self.temporal_peak_right),
            ("lateral_canthus_left", self.lateral_canthus_left),
            ("lateral_canthus_right", self.lateral_canthus_right),
            ("vertex", self.vertex),
            ("crown_whorl", self.crown_whorl),
            ("ear_top_left", self.ear_top_left),
            ("ear_top_right", self.ear_top_right),
            ("nape", self.nape),
        ]
    }
}

/// Why landmarks cannot be placed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LandmarkError {
    /// The mid-frontal point would sit at or behind the top of the head.
    #[error("a mid-frontal height of {height_mm:.0} mm puts the hairline at or above the vertex (the glabella–vertex arc is {vertex_arc_mm:.0} mm)")]
    HairlineAboveVertex {
        /// The requested arc.
        height_mm: f64,
        /// Arc from glabella to vertex on this head.
        vertex_arc_mm: f64,
    },
    /// The outer eye corners fall outside the head model (an implausibly narrow head for its eyes).
    #[error("the outer eye corners ({width_mm:.0} mm apart) fall outside this head's outline")]
    CanthiOffHead {
        /// The canthal width used.
        width_mm: f64,
    },
    /// No frontotemporal point satisfies both 8 cm distances on this head.
    #[error("no frontotemporal point lies 80 mm from both the mid-frontal point and the lateral canthus on this head")]
    NoFrontotemporalPoint,
    /// The frontotemporal points C, 80 mm from both B and the outer eye corner, fall behind the top of the
    /// ear: the head is smaller than an adult's in all its measurements together (each may be in range).
    #[error("on this head ({length_mm:.0} mm long, {breadth_mm:.0} mm wide) the frontotemporal points, 80 mm from both the mid-frontal point and the outer eye corner, fall {behind_mm:.0} mm behind the top of the ear: the head's measurements together are smaller than an adult's: measure the head again (length, breadth and height above the ear)")]
    FrontotemporalBehindEar {
        /// Head length, mm.
        length_mm: f64,
        /// Head breadth, mm.
        breadth_mm: f64,
        /// How far behind the ear top C falls, mm.
        behind_mm: f64,
    },
}

/// Surface point at height `z` on the side `sign` (+1 right, -1 left), `y` forward, pushed out laterally.
fn lateral_point(head: &Head, sign: f64, y: f64, z: f64) -> Vec3 {
    head.project(Vec3::new(sign * head.a * 2.0, y, z))
}

/// Places every landmark on `head` for a mid-frontal arc of `mid_frontal_mm` above the glabella.
pub fn construct(head: &Head, mid_frontal_mm: f64) -> Result<Landmarks, LandmarkError> {
    let m = &head.measurements;
    let glabella = head.midline_point(0.0);
    let mid_frontal = mid_frontal(head, mid_frontal_mm)?;
    // Lateral canthi: on the face in front of the eyes, 18 mm below the glabella, half the canthal width
    // either side of the midline (the surface straight ahead, not along a ray from the head centre, which
    // would pull them toward the midline).
    let width = canthal_width_mm(m);
    let canthus = |sign: f64| {
        head.point_from_front(sign * width / 2.0, glabella.z - CANTHUS_BELOW_GLABELLA_MM)
            .ok_or(LandmarkError::CanthiOffHead { width_mm: width })
    };
    let (e_l, e_r) = (canthus(-1.0)?, canthus(1.0)?);
    let ft = |e: Vec3, sign: f64| -> Result<Vec3, LandmarkError> {
        frontotemporal(head, mid_frontal, e, sign)
    };
    let (c_l, c_r) = (ft(e_l, -1.0)?, ft(e_r, 1.0)?);
    let (ear_l, ear_r) = (
        lateral_point(head, -1.0, -5.0, 30.0),
        lateral_point(head, 1.0, -5.0, 30.0),
    );
    // C stands well in front of the ear on adult heads (the small-head unit test below: more than 20 mm);
    // behind it, the temple zone came down to tragion level (outside test s37).
    let behind = (ear_r.y - c_r.y).max(ear_l.y - c_l.y);
    if behind > 0.0 {
        return Err(LandmarkError::FrontotemporalBehindEar {
            length_mm: m.length_mm,
            breadth_mm: m.breadth_mm,
            behind_mm: behind,
        });
    }
    // D: 50 mm from C toward E, but never lower than the lateral brow plus a finger's width (on small
    // heads C–E is shorter and the full 50 mm would reach the brow).
    let floor = glabella.z + BROW_ABOVE_GLABELLA_MM + PEAK_ABOVE_BROW_MM;
    let peak = |c: Vec3, e: Vec3| {
        let d = head.walk_toward(c, e, TEMPORAL_PEAK_MM);
        if d.z >= floor {
            return d;
        }
        let (mut lo, mut hi) = (0.0, TEMPORAL_PEAK_MM);
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            if head.walk_toward(c, e, mid).z >= floor {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        head.walk_toward(c, e, lo)
    };
    let (d_l, d_r) = (peak(c_l, e_l), peak(c_r, e_r));
    let whorl = head.point_along(Vec3::new(0.06, -(0.42f64).sin(), (0.42f64).cos()).normalized());
    Ok(Landmarks {
        glabella,
        mid_frontal,
        lateral_canthus_left: e_l,
        lateral_canthus_right: e_r,
        frontotemporal_left: c_l,
        frontotemporal_right: c_r,
        temporal_peak_left: d_l,
        temporal_peak_right: d_r,
        vertex: head.vertex(),
        crown_whorl: whorl,
        ear_top_left: ear_l,
        ear_top_right: ear_r,
        nape: head.project(Vec3::new(0.0, -head.b * 2.0, -55.0)),
    })
}

/// B, the mid-frontal point: `mid_frontal_mm` up the midline arc from the glabella (as [`construct`] places
/// it; the editor's photo fit tries many heights and needs only this point).
pub fn mid_frontal(head: &Head, mid_frontal_mm: f64) -> Result<Vec3, LandmarkError> {
    // Angle of the highest point: the vertex lies straight above the centre.
    let vertex_arc = head.midline_arc(std::f64::consts::FRAC_PI_2);
    if mid_frontal_mm >= vertex_arc - 15.0 {
        return Err(LandmarkError::HairlineAboveVertex {
            height_mm: mid_frontal_mm,
            vertex_arc_mm: vertex_arc,
        });
    }
    Ok(head.midline_point(head.midline_angle_at_arc(mid_frontal_mm)))
}

/// Finds C: the point 80 mm (surface) from both B and E, on the side `sign`, the solution farther back.
fn frontotemporal(head: &Head, b: Vec3, e: Vec3, sign: f64) -> Result<Vec3, LandmarkError> {
    // Search over surface points parametrised by azimuth/elevation around the centre; refine with a
    // shrinking pattern search on the squared residual of both distances.
    let eval = |az: f64, el: f64| {
        let d = Vec3::new(sign * az.sin() * el.cos(), az.cos() * el.cos(), el.sin());
        let p = head.point_along(d);
        let r =
            (head.path_length(b, p) - GARG_MM).powi(2) + (head.path_length(e, p) - GARG_MM).powi(2);
        (r, p)
    };
    let mut best = (f64::INFINITY, 0.0, 0.0, Vec3::default());
    for i in 0..24 {
        for j in 0..16 {
            let az = 0.2 + i as f64 * 0.06; // from near the midline to well behind the ear line
            let el = 0.05 + j as f64 * 0.06;
            let (r, p) = eval(az, el);
            if r < best.0 {
                best = (r, az, el, p);
            }
        }
    }
    let mut step = 0.03;
    while step > 1e-5 {
        let mut improved = false;
        for (da, de) in [(step, 0.0), (-step, 0.0), (0.0, step), (0.0, -step)] {
            let (r, p) = eval(best.1 + da, best.2 + de);
            if r < best.0 {
                best = (r, best.1 + da, best.2 + de, p);
                improved = true;
            }
        }
        if !improved {
            step *= 0.5;
        }
    }
    if best.0.sqrt() > 2.0 {
        return Err(LandmarkError::NoFrontotemporalPoint);
    }
    Ok(best.3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::head::{HeadMeasurements, Sex};

    #[test]
    fn garg_distances_hold_on_the_median_heads() {
        for sex in [Sex::Male, Sex::Female] {
            let h = Head::new(HeadMeasurements::median(sex));
            let l = construct(&h, 80.0).unwrap();
            assert!((h.midline_arc(h.midline_angle_at_arc(80.0)) - 80.0).abs() < 0.1);
            for (c, e) in [
                (l.frontotemporal_left, l.lateral_canthus_left),
                (l.frontotemporal_right, l.lateral_canthus_right),
            ] {
                assert!((h.path_length(l.mid_frontal, c) - 80.0).abs() < 2.0);
                assert!((h.path_length(e, c) - 80.0).abs() < 2.0);
                assert!(c.y < l.mid_frontal.y, "C lies behind B");
            }
            // Symmetric and temporal peaks lower than the frontotemporal points.
            assert!((l.frontotemporal_left.x + l.frontotemporal_right.x).abs() < 0.5);
            assert!(l.temporal_peak_left.z < l.frontotemporal_left.z);
            let chord = l.mid_frontal.dist(l.glabella);
            assert!((55.0..105.0).contains(&chord), "chord {chord}");
        }
    }

    #[test]
    fn a_head_smaller_than_an_adult_s_in_every_measurement_is_refused_not_given_temples_at_the_ear()
    {
        // Each value within its own range, together a child's head (outside test s37: C 15 mm behind the
        // ear line and temple impressions at tragion level).
        let mut m = HeadMeasurements::median(Sex::Male);
        (
            m.length_mm,
            m.breadth_mm,
            m.height_mm,
            m.glabella_height_mm,
            m.interpupillary_mm,
        ) = (160.0, 120.0, 100.0, 50.0, 80.0);
        let e = construct(&Head::new(m), 60.0).unwrap_err();
        assert!(
            matches!(e, LandmarkError::FrontotemporalBehindEar { .. }),
            "{e}"
        );
        // The smallest adult heads keep C in front of the ear.
        let mut small = HeadMeasurements::median(Sex::Female);
        (small.length_mm, small.breadth_mm) = (176.0, 137.0);
        let l = construct(&Head::new(small), 70.0).unwrap();
        assert!(l.frontotemporal_right.y > l.ear_top_right.y + 20.0, "{l:?}");
    }

    #[test]
    fn hairline_above_vertex_is_refused() {
        let h = Head::new(HeadMeasurements::median(Sex::Male));
        assert!(matches!(
            construct(&h, 160.0),
            Err(LandmarkError::HairlineAboveVertex { .. })
        ));
    }
}
