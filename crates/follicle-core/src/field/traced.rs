//! The zone borders a stencil prints. The raster's borders (`Field::outlines_of`, marching squares through
//! the 1.4 mm cells) are all a built-in zone has; a zone the practitioner drew is an exact polygon, planned
//! on that polygon (split.rs), so it is printed as drawn: its corners where they were put, its edges
//! straight on the chart, not the raster's smoothed staircase about a cell inside or outside them (session
//! 44: a 6 mm square printed with rounded corners). The raster's borders within [`BESIDE_CELLS`] cells of a
//! printed polygon edge are left out (they are the same border, a cell off). Where the drawn zone does not
//! hold its own polygon (on the face in front of the hairline, under a drawn zone listed before it) that
//! part of its edge is not printed, and the raster's border there stays.

use super::{Field, NO_ZONE};
use crate::geom::Chart2;

/// Steps along a drawn edge, in cells (about 0.5 mm; the chart's units are the raster's, not mm).
const STEP_CELLS: f64 = 1.0 / 3.0;
/// How far to either side of a drawn edge its zone is looked for, in cells (about 0.2 mm).
const SIDE_CELLS: f64 = 1.0 / 7.0;
/// Raster borders nearer a printed polygon edge than this many cells are left out.
pub const BESIDE_CELLS: f64 = 1.5;

/// What a stencil prints of the zones' borders: the raster's border segments, and the drawn zones' edges as
/// polylines (chart coordinates) with whether each closes on itself.
#[derive(Clone, Debug, Default)]
pub struct TracedBorders {
    /// Border segments of the zone raster, less those beside a printed polygon edge.
    pub raster: Vec<[Chart2; 2]>,
    /// The drawn zones' edges where their zone holds them: (points, closed).
    pub drawn: Vec<(Vec<Chart2>, bool)>,
}

impl Field {
    /// The borders of `zones` a stencil prints ([`TracedBorders`]).
    pub fn traced_borders(&self, zones: &[u8]) -> TracedBorders {
        let drawn: Vec<(Vec<Chart2>, bool)> = self
            .drawn
            .iter()
            .filter(|d| zones.contains(&d.zone))
            .flat_map(|d| self.held_edges(d.zone, d.outline()))
            .collect();
        // The printed points in buckets `reach` wide: a border segment looks in its own and the 8 around it.
        let reach = BESIDE_CELLS * self.cell;
        let bucket = |c: Chart2| ((c.u / reach).floor() as i64, (c.v / reach).floor() as i64);
        let mut buckets: std::collections::HashMap<(i64, i64), Vec<Chart2>> = Default::default();
        for p in drawn.iter().flat_map(|(pts, _)| pts.iter()) {
            buckets.entry(bucket(*p)).or_default().push(*p);
        }
        let beside = |m: Chart2| {
            let (i, j) = bucket(m);
            (-1..=1).any(|di| {
                (-1..=1).any(|dj| {
                    buckets
                        .get(&(i + di, j + dj))
                        .is_some_and(|ps| ps.iter().any(|p| (p.u - m.u).hypot(p.v - m.v) < reach))
                })
            })
        };
        let raster = self
            .outlines_of(zones)
            .into_iter()
            .flatten()
            .filter(|[a, b]| !beside(Chart2::new((a.u + b.u) / 2.0, (a.v + b.v) / 2.0)))
            .collect();
        TracedBorders { raster, drawn }
    }

    /// The zone at chart point `c`, or none off the raster.
    fn zone_of_point(&self, c: Chart2) -> u8 {
        self.index(c).map_or(NO_ZONE, |k| self.zone_at(k, c).0)
    }

    /// The runs of `outline` (a closed polygon) that zone `z` holds on at least one side.
    fn held_edges(&self, z: u8, outline: &[Chart2]) -> Vec<(Vec<Chart2>, bool)> {
        let n = outline.len();
        if n < 3 {
            return Vec::new();
        }
        let mut points: Vec<(Chart2, bool)> = Vec::new();
        for k in 0..n {
            let (a, b) = (outline[k], outline[(k + 1) % n]);
            let len = (b.u - a.u).hypot(b.v - a.v);
            if len <= 0.0 {
                continue;
            }
            let steps = ((len / (STEP_CELLS * self.cell)).ceil() as usize).clamp(1, 10_000);
            let side = SIDE_CELLS * self.cell;
            let (nu, nv) = (-(b.v - a.v) / len * side, (b.u - a.u) / len * side);
            for s in 0..steps {
                let f = s as f64 / steps as f64;
                let p = Chart2::new(a.u + (b.u - a.u) * f, a.v + (b.v - a.v) * f);
                // Looked for a little along the edge from a corner, whose offsets lie on the next edge.
                let t = if len > 2.0 * side {
                    f.clamp(side / len, 1.0 - side / len)
                } else {
                    0.5
                };
                let q = Chart2::new(a.u + (b.u - a.u) * t, a.v + (b.v - a.v) * t);
                let held = [1.0, -1.0]
                    .iter()
                    .any(|&w| self.zone_of_point(Chart2::new(q.u + w * nu, q.v + w * nv)) == z);
                points.push((p, held));
            }
        }
        // Runs of held points; the polygon closes, so a run through its first point joins the last run.
        let Some(start) = points.iter().position(|&(_, h)| !h) else {
            let mut all: Vec<Chart2> = points.into_iter().map(|(p, _)| p).collect();
            all.dedup_by(|a, b| a.u == b.u && a.v == b.v);
            return vec![(all, true)];
        };
        let m = points.len();
        let mut runs = Vec::new();
        let mut run: Vec<Chart2> = Vec::new();
        for i in 1..=m {
            let (p, held) = points[(start + i) % m];
            if held {
                run.push(p);
            } else if !run.is_empty() {
                // End the run at this point, the first not held, so it reaches the edge of what is held.
                run.push(p);
                runs.push((std::mem::take(&mut run), false));
            }
        }
        runs.into_iter().filter(|(r, _)| r.len() >= 2).collect()
    }
}
