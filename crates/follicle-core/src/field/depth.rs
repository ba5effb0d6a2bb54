//! The hairline's depth map: for each cell of the zone raster within reach of the hairline, its signed
//! distance to the line (positive behind it, on the scalp side) and whether its nearest point is past an
//! end of the line. The raster's hairline zone, its density ramp and the strays ahead of the line are all
//! read from it, so it is computed once per geometry, for a few hundred thousand cells; the grouping below
//! keeps that a small part of `follicle plan` without changing a bit of the map.

use super::Field;
use crate::geom::{Chart2, Vec3};
use crate::hairline::Hairline;
use crate::head::Head;
use crate::parallel::{by_rows_pair, Workers};

/// How many consecutive hairline segments the depth map skips together (see `Field::depth_map`).
const DEPTH_GROUP: usize = 8;

/// One segment of the hairline as the depth map tries it on the cells of its box.
struct DepthSegment {
    a: Vec3,
    ab: Vec3,
    len2: f64,
    ca: Chart2,
    du: f64,
    dv: f64,
    cols: std::ops::Range<usize>,
    rows: std::ops::Range<usize>,
    end: bool,
}

/// Consecutive segments and a ball that holds them all.
struct DepthGroup {
    segments: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    rows: std::ops::Range<usize>,
    ball: Vec3,
    radius: f64,
}

/// Signed distances to the hairline for cells near it.
pub(super) struct DepthMap {
    pub(super) depth: Vec<f32>,
    pub(super) at_end: Vec<bool>,
}

impl Field {
    /// Signed surface distance to the hairline (positive behind it) for cells within reach of it (in
    /// bands of rows: each cell takes the hairline's segments in order, as the whole raster would).
    ///
    /// Each segment reaches the cells of a chart box around it. Segments go in groups of
    /// [`DEPTH_GROUP`] with a ball around each group: a cell farther from the ball than its nearest
    /// segment so far (or than the reach) cannot take any segment of the group, so the group is skipped
    /// for it whole. A skipped segment would not have changed the cell, so the map is the one that every
    /// segment tried on every cell of its box gives, bit for bit.
    pub(super) fn depth_map(
        &self,
        head: &Head,
        h: &Hairline,
        centre: &[Vec3],
        workers: &dyn Workers,
    ) -> DepthMap {
        let n = self.nu * self.nv;
        // Per cell: the signed depth (NaN: no segment within reach; its magnitude is the nearest distance
        // so far) and whether it is past an end. Zeroed memory, set band by band (each thread touches its
        // own pages).
        let (mut depth, mut at_end) = (vec![0f32; n], vec![false; n]);
        let reach = h.zone_width_mm + h.fringe_mm + 3.0;
        let last = h.polyline.len() - 2;
        let segments: Vec<DepthSegment> = (0..=last)
            .map(|s| {
                let (a, b) = (h.polyline[s], h.polyline[s + 1]);
                let (ca, cb) = (h.chart[s], h.chart[s + 1]);
                let r = (a - head.centre).norm().min((b - head.centre).norm());
                let ext = reach * head.chart_scale_bound(ca, r) * 1.1;
                let i0 = (((ca.u.min(cb.u) - ext - self.u0) / self.cell)
                    .floor()
                    .max(0.0)) as usize;
                let i1 = (((ca.u.max(cb.u) + ext - self.u0) / self.cell)
                    .ceil()
                    .max(0.0) as usize)
                    .min(self.nu);
                let j0 = (((ca.v.min(cb.v) - ext - self.v0) / self.cell)
                    .floor()
                    .max(0.0)) as usize;
                let j1 = (((ca.v.max(cb.v) + ext - self.v0) / self.cell)
                    .ceil()
                    .max(0.0) as usize)
                    .min(self.nv);
                DepthSegment {
                    a,
                    ab: b - a,
                    len2: (b - a).norm2(),
                    ca,
                    du: cb.u - ca.u,
                    dv: cb.v - ca.v,
                    cols: i0..i1,
                    rows: j0..j1,
                    end: s == 0 || s == last,
                }
            })
            .collect();
        let groups: Vec<DepthGroup> = segments
            .chunks(DEPTH_GROUP)
            .enumerate()
            .map(|(g, segs)| {
                let first = g * DEPTH_GROUP;
                let points = &h.polyline[first..=first + segs.len()];
                let ball = points[points.len() / 2];
                let radius = points.iter().map(|&p| p.dist(ball)).fold(0.0, f64::max);
                DepthGroup {
                    segments: first..first + segs.len(),
                    cols: segs.iter().map(|s| s.cols.start).min().unwrap_or(0)
                        ..segs.iter().map(|s| s.cols.end).max().unwrap_or(0),
                    rows: segs.iter().map(|s| s.rows.start).min().unwrap_or(0)
                        ..segs.iter().map(|s| s.rows.end).max().unwrap_or(0),
                    ball,
                    radius,
                }
            })
            .collect();
        by_rows_pair(
            workers,
            &mut depth,
            &mut at_end,
            self.nu,
            |first, depths, ends| {
                depths.fill(f32::NAN);
                let rows = first..first + depths.len() / self.nu.max(1);
                for g in &groups {
                    for j in g.rows.start.max(rows.start)..g.rows.end.min(rows.end) {
                        for i in g.cols.clone() {
                            let k = j * self.nu + i;
                            let p = centre[k];
                            let local = k - rows.start * self.nu;
                            // The nearest distance so far: the depth's magnitude (none yet: infinite).
                            let nearest = |d: f32| if d.is_nan() { f32::INFINITY } else { d.abs() };
                            // Far beyond the rounding of a distance to f32 (a few µm at most here).
                            if p.dist(g.ball) - g.radius
                                > (nearest(depths[local]) as f64).min(reach) + 1e-3
                            {
                                continue;
                            }
                            for s in g.segments.clone() {
                                let sg = &segments[s];
                                if !sg.cols.contains(&i) || !sg.rows.contains(&j) {
                                    continue;
                                }
                                let t = ((p - sg.a).dot(sg.ab) / sg.len2).clamp(0.0, 1.0);
                                let d = p.dist(sg.a + sg.ab * t) as f32;
                                if d < nearest(depths[local]) && (d as f64) <= reach {
                                    let c = self.cell_centre(i, j);
                                    let side = sg.du * (c.v - sg.ca.v) - sg.dv * (c.u - sg.ca.u);
                                    depths[local] = if side >= 0.0 { d } else { -d };
                                    ends[local] =
                                        sg.end && ((s == 0 && t <= 0.0) || (s == last && t >= 1.0));
                                }
                            }
                        }
                    }
                }
            },
        );
        DepthMap { depth, at_end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{HairlineDesign, Pattern};
    use crate::head::{HeadMeasurements, Sex};
    use crate::parallel::Serial;

    /// The depth map as it was before segments were skipped in groups: every segment tried on every cell
    /// of its box, in order.
    fn every_segment_depth_map(f: &Field, head: &Head, h: &Hairline, centre: &[Vec3]) -> DepthMap {
        let mut cells = vec![(f32::INFINITY, f32::NAN, false); f.nu * f.nv];
        let reach = h.zone_width_mm + h.fringe_mm + 3.0;
        let last = h.polyline.len() - 2;
        for s in 0..=last {
            let (a, b) = (h.polyline[s], h.polyline[s + 1]);
            let (ca, cb) = (h.chart[s], h.chart[s + 1]);
            let r = (a - head.centre).norm().min((b - head.centre).norm());
            let ext = reach * head.chart_scale_bound(ca, r) * 1.1;
            let cols = |lo: f64, hi: f64, origin: f64, n: usize| {
                let i0 = ((lo - ext - origin) / f.cell).floor().max(0.0) as usize;
                let i1 = (((hi + ext - origin) / f.cell).ceil().max(0.0) as usize).min(n);
                i0..i1
            };
            for j in cols(ca.v.min(cb.v), ca.v.max(cb.v), f.v0, f.nv) {
                for i in cols(ca.u.min(cb.u), ca.u.max(cb.u), f.u0, f.nu) {
                    let k = j * f.nu + i;
                    let ab = b - a;
                    let t = ((centre[k] - a).dot(ab) / ab.norm2()).clamp(0.0, 1.0);
                    let d = centre[k].dist(a + ab * t) as f32;
                    if d < cells[k].0 && (d as f64) <= reach {
                        let c = f.cell_centre(i, j);
                        let side = (cb.u - ca.u) * (c.v - ca.v) - (cb.v - ca.v) * (c.u - ca.u);
                        let end = (s == 0 && t <= 0.0) || (s == last && t >= 1.0);
                        cells[k] = (d, if side >= 0.0 { d } else { -d }, end);
                    }
                }
            }
        }
        let (depth, at_end) = cells.into_iter().map(|(_, d, e)| (d, e)).unzip();
        DepthMap { depth, at_end }
    }

    #[test]
    fn skipping_far_segments_keeps_the_depth_map_bit_for_bit() {
        for (sex, mid_frontal, design) in [
            (Sex::Male, 80.0, HairlineDesign::default()),
            (
                Sex::Female,
                95.0,
                HairlineDesign {
                    irregularity: 1.0,
                    ..HairlineDesign::default()
                },
            ),
        ] {
            let head = Head::new(HeadMeasurements::median(sex));
            let lm = crate::landmarks::construct(&head, mid_frontal).unwrap();
            let hl = crate::hairline::construct(&head, &lm, &design, 7);
            let zones = crate::presets::zones_for(Pattern::FullScalp);
            let raster = Field::raster(&head, &lm, Some(&hl), &zones, 7).unwrap();
            let fast = raster.field.depth_map(&head, &hl, &raster.centre, &Serial);
            let plain = every_segment_depth_map(&raster.field, &head, &hl, &raster.centre);
            let bits = |m: &DepthMap| m.depth.iter().map(|d| d.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&fast), bits(&plain));
            assert_eq!(fast.at_end, plain.at_end);
            assert!(fast.depth.iter().filter(|d| d.is_finite()).count() > 10_000);
        }
    }
}
