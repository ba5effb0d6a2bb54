//! Hard limits no impression may cross, checked exactly (not on the zone raster's cells): the face front
//! below the brow line, and every exclusion zone (a mole, a birthmark) with its safety margin.
//!
//! The zone raster is 1.4 mm coarse; a candidate impression in a raster cell that touches one of these
//! limits is tested against the limit itself, so nothing lands a fraction of a millimetre inside a mole or
//! below the brow because a cell centre happened to sit outside.

use crate::geom::{Chart2, Vec3};
use crate::head::Head;
use crate::landmarks::Landmarks;

/// Safety margin around every exclusion zone that no impression enters, mm (needle spread and healing
/// blur stay off the mole).
pub const EXCLUSION_MARGIN_MM: f64 = 2.0;
/// Longest chord used for an exclusion's border when measuring distances to it, mm (the border runs on the
/// curved surface; a 2 mm chord lies under it by well under a micrometre).
const EDGE_STEP_MM: f64 = 2.0;

/// One exclusion zone's exact border.
#[derive(Clone, Debug)]
struct ExclusionGuard {
    /// Its vertices in chart coordinates (inside test, as the raster does).
    chart: Vec<Chart2>,
    /// Its border on the surface, densified, closed (first vertex repeated at the end).
    border: Vec<Vec3>,
    /// Margin, mm.
    margin_mm: f64,
}

/// The exact limits of one design on one head.
#[derive(Clone, Debug)]
pub struct Guards {
    brow_z: f64,
    canthus_azimuth: f64,
    exclusions: Vec<ExclusionGuard>,
}

/// Whether chart point `c` lies inside the closed chart polygon `poly` (even–odd rule).
pub fn inside_polygon(poly: &[Chart2], c: Chart2) -> bool {
    let mut inside = false;
    let n = poly.len();
    for k in 0..n {
        let (a, b) = (poly[k], poly[(k + 1) % n]);
        if (a.v <= c.v && c.v < b.v) || (b.v <= c.v && c.v < a.v) {
            let u = a.u + (c.v - a.v) / (b.v - a.v) * (b.u - a.u);
            if c.u < u {
                inside = !inside;
            }
        }
    }
    inside
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: Vec3, a: Vec3, b: Vec3) -> f64 {
    let ab = b - a;
    let len2 = ab.norm2();
    let t = if len2 > 0.0 {
        ((p - a).dot(ab) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.dist(a + ab * t)
}

/// The surface points of the chart edge `a`–`b` (straight in the chart, as the inside test and the zone
/// raster take it), from `a` up to but not including `b`, at most [`EDGE_STEP_MM`] apart. (Until session 22
/// the margin was measured from the straight 3D chord between the corners pushed out onto the surface: on
/// a birthmark 120 mm wide that border ran 17 mm from the edge the inside test used, and impressions sat
/// 0.03 mm from the exclusion.)
fn chart_edge(head: &Head, a: Chart2, b: Chart2) -> Vec<Vec3> {
    let at =
        |t: f64| head.point_of_chart(Chart2::new(a.u + (b.u - a.u) * t, a.v + (b.v - a.v) * t));
    const PROBE: usize = 16;
    let length: f64 = (0..PROBE)
        .map(|s| at(s as f64 / PROBE as f64).dist(at((s + 1) as f64 / PROBE as f64)))
        .sum();
    let steps = (length / EDGE_STEP_MM).ceil().max(1.0) as usize;
    (0..steps).map(|s| at(s as f64 / steps as f64)).collect()
}

impl Guards {
    /// The limits for landmarks `lm` and the exclusion polygons (surface points) with their margins.
    pub fn new(head: &Head, lm: &Landmarks, exclusions: &[(&[Vec3], f64)]) -> Guards {
        let e = lm.lateral_canthus_right;
        let exclusions = exclusions
            .iter()
            .map(|&(poly, margin_mm)| {
                let chart: Vec<Chart2> = poly.iter().map(|&p| head.chart_of(p)).collect();
                let mut border = Vec::new();
                for k in 0..chart.len() {
                    border.extend(chart_edge(head, chart[k], chart[(k + 1) % chart.len()]));
                }
                border.push(border[0]);
                ExclusionGuard {
                    chart,
                    border,
                    margin_mm,
                }
            })
            .collect();
        Guards {
            brow_z: lm.brow_line_z(),
            canthus_azimuth: e.x.abs().atan2(e.y),
            exclusions,
        }
    }

    /// Whether `p` (a surface point, chart coordinates `c`) lies on the face front below the brow line.
    #[inline]
    pub fn below_brow(&self, p: Vec3) -> bool {
        p.z < self.brow_z
            && p.y > 0.0
            && p.x.abs().atan2(p.y)
                < self.canthus_azimuth + crate::landmarks::FACE_FRONT_BEYOND_CANTHUS_RAD
    }

    /// Index of the exclusion whose polygon or margin contains `p`, if any.
    pub fn exclusion_at(&self, p: Vec3, c: Chart2) -> Option<usize> {
        self.exclusions.iter().position(|x| {
            inside_polygon(&x.chart, c)
                || x.border
                    .windows(2)
                    .any(|w| segment_distance(p, w[0], w[1]) < x.margin_mm)
        })
    }

    /// Whether no impression may be placed at `p` (chart coordinates `c`).
    #[inline]
    pub fn forbidden(&self, p: Vec3, c: Chart2) -> bool {
        self.below_brow(p) || self.exclusion_at(p, c).is_some()
    }

    /// Shortest distance from `p` to the border of exclusion `i` (0 inside it), mm.
    pub fn distance_to_exclusion(&self, i: usize, p: Vec3, c: Chart2) -> f64 {
        let x = &self.exclusions[i];
        if inside_polygon(&x.chart, c) {
            return 0.0;
        }
        x.border
            .windows(2)
            .map(|w| segment_distance(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min)
    }

    /// How many exclusions there are.
    pub fn exclusion_count(&self) -> usize {
        self.exclusions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_polygon_follows_the_even_odd_rule() {
        let sq = [
            Chart2::new(0.0, 0.0),
            Chart2::new(1.0, 0.0),
            Chart2::new(1.0, 1.0),
            Chart2::new(0.0, 1.0),
        ];
        assert!(inside_polygon(&sq, Chart2::new(0.5, 0.5)));
        assert!(!inside_polygon(&sq, Chart2::new(1.5, 0.5)));
        assert!(!inside_polygon(&sq, Chart2::new(0.5, -0.1)));
    }

    #[test]
    fn segment_distance_is_exact() {
        let a = Vec3::new(0.0, 0.0, 0.0);
        let b = Vec3::new(10.0, 0.0, 0.0);
        assert!((segment_distance(Vec3::new(5.0, 3.0, 0.0), a, b) - 3.0).abs() < 1e-12);
        assert!((segment_distance(Vec3::new(-4.0, 3.0, 0.0), a, b) - 5.0).abs() < 1e-12);
    }
}
