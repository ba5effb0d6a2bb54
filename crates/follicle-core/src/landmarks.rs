//! Anatomical landmarks on the head (Garg 2017 hairline construction and the scalp's limits).
//!
//! A glabella; B mid-frontal point a chosen arc above A (80 mm, 70 aggressive – 100 conservative);
//! E lateral canthi; C frontotemporal points 80 mm from B and 80 mm from E; D temporal peaks 50 mm from C
//! toward E. Distances are surface path lengths on the head (what a tape measure reads).

use crate::geom::Vec3;
use crate::head::Head;

/// Garg's 8 cm rule (mm).
pub const GARG_MM: f64 = 80.0;
/// Temporal peak distance from the frontotemporal point toward the lateral canthus (mm).
pub const TEMPORAL_PEAK_MM: f64 = 50.0;

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
    /// No frontotemporal point satisfies both 8 cm distances on this head.
    #[error("no frontotemporal point lies 80 mm from both the mid-frontal point and the lateral canthus on this head")]
    NoFrontotemporalPoint,
}

/// Surface point at height `z` on the side `sign` (+1 right, -1 left), `y` forward, pushed out laterally.
fn lateral_point(head: &Head, sign: f64, y: f64, z: f64) -> Vec3 {
    head.project(Vec3::new(sign * head.a * 2.0, y, z))
}

/// Places every landmark on `head` for a mid-frontal arc of `mid_frontal_mm` above the glabella.
pub fn construct(head: &Head, mid_frontal_mm: f64) -> Result<Landmarks, LandmarkError> {
    let m = &head.measurements;
    let glabella = head.midline_point(0.0);
    let vertex_theta = {
        // Angle of the highest point: the vertex lies straight above the centre.
        std::f64::consts::FRAC_PI_2
    };
    let vertex_arc = head.midline_arc(vertex_theta);
    if mid_frontal_mm >= vertex_arc - 15.0 {
        return Err(LandmarkError::HairlineAboveVertex {
            height_mm: mid_frontal_mm,
            vertex_arc_mm: vertex_arc,
        });
    }
    let mid_frontal = head.midline_point(head.midline_angle_at_arc(mid_frontal_mm));
    // Lateral canthus: 18 mm below the glabella, 13 mm lateral of the pupil, on the surface in front.
    let canthus = |sign: f64| {
        head.project(Vec3::new(
            sign * (m.interpupillary_mm / 2.0 + 13.0),
            head.b * 2.0,
            glabella.z - 18.0,
        ))
    };
    let (e_l, e_r) = (canthus(-1.0), canthus(1.0));
    let ft = |e: Vec3, sign: f64| -> Result<Vec3, LandmarkError> {
        frontotemporal(head, mid_frontal, e, sign)
    };
    let (c_l, c_r) = (ft(e_l, -1.0)?, ft(e_r, 1.0)?);
    let d_l = head.walk_toward(c_l, e_l, TEMPORAL_PEAK_MM);
    let d_r = head.walk_toward(c_r, e_r, TEMPORAL_PEAK_MM);
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
        ear_top_left: lateral_point(head, -1.0, -5.0, 30.0),
        ear_top_right: lateral_point(head, 1.0, -5.0, 30.0),
        nape: head.project(Vec3::new(0.0, -head.b * 2.0, -55.0)),
    })
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
    fn hairline_above_vertex_is_refused() {
        let h = Head::new(HeadMeasurements::median(Sex::Male));
        assert!(matches!(
            construct(&h, 160.0),
            Err(LandmarkError::HairlineAboveVertex { .. })
        ));
    }
}
