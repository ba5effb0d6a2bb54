//! The cells a drawn zone's border crosses. The zone raster is 1.4 mm, but a zone the practitioner draws
//! (a scar, a denser patch) is an exact polygon: a raster cell its edge crosses holds two zones. A point in
//! such a cell belongs to the first drawn zone (in the design's order) whose polygon contains it, else to
//! the zone the cell has around the polygon. Zone areas count each part of such a cell (on a sub-grid), and
//! the sampler asks every candidate there for its exact zone, so a small zone gets the area and the count
//! it was drawn with (outside test s43: a 6 × 6 mm zone at 150/cm² counted 0.28 cm² of its 0.36 and got
//! 42 impressions for 54).

use super::{Field, NO_ZONE};
use crate::geom::Chart2;
use crate::guard::inside_polygon;

/// Sub-grid points per side on which a split cell's area is shared among its zones.
pub const SPLIT_SUBGRID: usize = 8;

/// A zone the practitioner drew as a polygon (a pigmented one: exclusions are kept exact by the guards),
/// in chart coordinates.
#[derive(Clone, Debug)]
pub struct DrawnZone {
    /// The zone's index in the design.
    pub zone: u8,
    chart: Vec<Chart2>,
    lo: Chart2,
    hi: Chart2,
}

impl DrawnZone {
    /// The drawn zone `zone` with its outline in chart coordinates.
    pub fn new(zone: u8, chart: Vec<Chart2>) -> DrawnZone {
        let (mut lo, mut hi) = (
            Chart2::new(f64::INFINITY, f64::INFINITY),
            Chart2::new(f64::NEG_INFINITY, f64::NEG_INFINITY),
        );
        for c in &chart {
            lo = Chart2::new(lo.u.min(c.u), lo.v.min(c.v));
            hi = Chart2::new(hi.u.max(c.u), hi.v.max(c.v));
        }
        DrawnZone {
            zone,
            chart,
            lo,
            hi,
        }
    }

    /// The outline as drawn, in chart coordinates (its corners in order; the last joins the first).
    pub fn outline(&self) -> &[Chart2] {
        &self.chart
    }

    /// Whether chart point `c` lies inside the outline (even–odd rule, as the raster's fill).
    #[inline]
    pub fn contains(&self, c: Chart2) -> bool {
        c.u >= self.lo.u
            && c.u <= self.hi.u
            && c.v >= self.lo.v
            && c.v <= self.hi.v
            && inside_polygon(&self.chart, c)
    }
}

/// A raster cell a drawn zone's border crosses.
#[derive(Clone, Debug)]
pub struct SplitCell {
    /// The cell's index in the raster.
    pub cell: u32,
    /// The drawn zones whose border crosses the cell, in priority order (indices in [`Field::drawn`]).
    drawn: Vec<u16>,
    /// The zone of a point in the cell that none of them contains.
    outside: u8,
    /// That zone's multiplier where the cell's own zone is a drawn one (the hairline's ramp), else 1.
    outside_mult: f32,
    /// Each zone the cell holds with its density multiplier there (set when the field is finished).
    mults: Vec<(u8, f32)>,
}

impl SplitCell {
    /// Each zone the cell holds, with its density multiplier there.
    pub fn zones(&self) -> &[(u8, f32)] {
        &self.mults
    }

    fn mult_of(&self, z: u8) -> f32 {
        self.mults.iter().find(|m| m.0 == z).map_or(1.0, |m| m.1)
    }
}

/// Finds the cells the borders of `drawn` cross (never a cell `unsplit` marks: the face, the brows and
/// the exclusions keep their own limits) and records them in `field`; `under(k)` is the zone (and
/// multiplier) of cell `k` without the user polygons, where one claimed it.
pub(super) fn split_cells(
    field: &mut Field,
    drawn: Vec<DrawnZone>,
    unsplit: &[bool],
    under: impl Fn(usize) -> (u8, f32),
) {
    let (nu, nv) = (field.nu, field.nv);
    if drawn.is_empty() || nu == 0 || nv == 0 {
        field.drawn = drawn;
        return;
    }
    // The cells each border passes through, widened by one cell (a corner clipped between two steps).
    let mut stamp = vec![u16::MAX; nu * nv];
    let mut touched: Vec<(u32, u16)> = Vec::new();
    let step = 0.25 * field.cell;
    for (di, d) in drawn.iter().enumerate() {
        let n = d.chart.len();
        for e in 0..n {
            let (a, b) = (d.chart[e], d.chart[(e + 1) % n]);
            let len = ((b.u - a.u).powi(2) + (b.v - a.v).powi(2)).sqrt();
            let steps = ((len / step).ceil() as usize).clamp(1, 4 * (nu + nv));
            for t in 0..=steps {
                let f = t as f64 / steps as f64;
                let fi = (a.u + f * (b.u - a.u) - field.u0) * field.inv_cell;
                let fj = (a.v + f * (b.v - a.v) - field.v0) * field.inv_cell;
                if !(fi.is_finite() && fj.is_finite()) {
                    continue;
                }
                let (i, j) = (fi.floor() as i64, fj.floor() as i64);
                for jj in (j - 1).max(0)..=(j + 1).min(nv as i64 - 1) {
                    for ii in (i - 1).max(0)..=(i + 1).min(nu as i64 - 1) {
                        let k = jj as usize * nu + ii as usize;
                        if stamp[k] != di as u16 {
                            stamp[k] = di as u16;
                            touched.push((k as u32, di as u16));
                        }
                    }
                }
            }
        }
    }
    touched.sort_unstable();
    touched.dedup();
    let mut split = vec![0u32; nu * nv];
    let mut splits: Vec<SplitCell> = Vec::new();
    for group in touched.chunk_by(|a, b| a.0 == b.0) {
        let k = group[0].0 as usize;
        if unsplit[k] {
            continue;
        }
        let centre = field.cell_centre(k % nu, k / nu);
        // In priority order: the crossing zones until one that holds the whole cell (it claimed the cell
        // and no later zone can), else the pattern's zone under them.
        let mut crossing = Vec::new();
        let mut outside = None;
        for (di, d) in drawn.iter().enumerate() {
            if group.iter().any(|g| g.1 as usize == di) {
                crossing.push(di as u16);
            } else if d.contains(centre) {
                outside = Some((d.zone, 1.0));
                break;
            }
        }
        if crossing.is_empty() {
            continue;
        }
        let (outside, outside_mult) = outside.unwrap_or_else(|| {
            let z = field.zone[k];
            if drawn.iter().any(|d| d.zone == z) {
                under(k)
            } else {
                (z, field.mult[k])
            }
        });
        splits.push(SplitCell {
            cell: k as u32,
            drawn: crossing,
            outside,
            outside_mult,
            mults: Vec::new(),
        });
        split[k] = splits.len() as u32;
    }
    field.drawn = drawn;
    if !splits.is_empty() {
        field.split = split;
        field.splits = splits;
    }
}

impl Field {
    /// The split cell `k`, if a drawn zone's border crosses it.
    #[inline]
    pub fn split_at(&self, k: usize) -> Option<&SplitCell> {
        match self.split.get(k) {
            Some(&s) if s != 0 => Some(&self.splits[s as usize - 1]),
            _ => None,
        }
    }

    /// The zone of chart point `c` in split cell `s`, with its density multiplier.
    #[inline]
    pub fn split_zone_at(&self, s: &SplitCell, c: Chart2) -> (u8, f32) {
        let z = s
            .drawn
            .iter()
            .map(|&d| &self.drawn[d as usize])
            .find(|d| d.contains(c))
            .map_or(s.outside, |d| d.zone);
        (z, s.mult_of(z))
    }

    /// The zone of chart point `c` in raster cell `k` (its own cell), with its density multiplier.
    #[inline]
    pub fn zone_at(&self, k: usize, c: Chart2) -> (u8, f32) {
        match self.split_at(k) {
            Some(s) => self.split_zone_at(s, c),
            None => (self.zone[k], self.mult[k]),
        }
    }

    /// Each split cell's zones and their multipliers, from the finished (feathered) cells: the cell's own
    /// zone has the cell's; another zone has that of the first neighbouring cell of that zone (the ramps
    /// are smooth across a cell), else the one it was rasterised with.
    pub(super) fn finish_splits(&mut self) {
        let (nu, nv) = (self.nu as i64, self.nv as i64);
        let mut splits = std::mem::take(&mut self.splits);
        for s in &mut splits {
            let k = s.cell as usize;
            let (i, j) = ((k % self.nu) as i64, (k / self.nu) as i64);
            let mut zones: Vec<u8> = s
                .drawn
                .iter()
                .map(|&d| self.drawn[d as usize].zone)
                .collect();
            zones.push(s.outside);
            zones.dedup();
            s.mults = zones
                .iter()
                .filter(|&&z| z != NO_ZONE)
                .map(|&z| {
                    if self.zone[k] == z {
                        return (z, self.mult[k]);
                    }
                    let near = NEIGHBOURS.iter().find_map(|&(di, dj)| {
                        let (ii, jj) = (i + di, j + dj);
                        (ii >= 0 && jj >= 0 && ii < nu && jj < nv)
                            .then(|| (jj * nu + ii) as usize)
                            .filter(|&n| {
                                self.zone[n] == z && self.split.get(n).is_none_or(|&x| x == 0)
                            })
                    });
                    let fallback = if z == s.outside { s.outside_mult } else { 1.0 };
                    (z, near.map_or(fallback, |n| self.mult[n]))
                })
                .collect();
        }
        self.splits = splits;
    }

    /// Adds split cell `k`'s area to its zones' areas, shared on a sub-grid.
    pub(super) fn add_split_areas(&mut self, k: usize) {
        let Some(s) = self.split_at(k) else {
            return;
        };
        let part = self.area[k] as f64 / (SPLIT_SUBGRID * SPLIT_SUBGRID) as f64;
        let (i, j) = (k % self.nu, k / self.nu);
        let mut add: Vec<(u8, f64, f64)> = Vec::new();
        for sj in 0..SPLIT_SUBGRID {
            for si in 0..SPLIT_SUBGRID {
                let c = Chart2::new(
                    self.u0 + (i as f64 + (si as f64 + 0.5) / SPLIT_SUBGRID as f64) * self.cell,
                    self.v0 + (j as f64 + (sj as f64 + 0.5) / SPLIT_SUBGRID as f64) * self.cell,
                );
                let (z, m) = self.split_zone_at(s, c);
                if z == NO_ZONE {
                    continue;
                }
                match add.iter_mut().find(|a| a.0 == z) {
                    Some(a) => (a.1, a.2) = (a.1 + part, a.2 + part * m as f64),
                    None => add.push((z, part, part * m as f64)),
                }
            }
        }
        for (z, a, w) in add {
            self.zone_area_mm2[z as usize] += a;
            self.zone_weighted_area_mm2[z as usize] += w;
        }
    }
}

/// The neighbours of a cell, nearest first, in a fixed order.
const NEIGHBOURS: [(i64, i64); 24] = [
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
    (1, 1),
    (-1, 1),
    (1, -1),
    (-1, -1),
    (2, 0),
    (-2, 0),
    (0, 2),
    (0, -2),
    (2, 1),
    (-2, 1),
    (2, -1),
    (-2, -1),
    (1, 2),
    (-1, 2),
    (1, -2),
    (-1, -2),
    (2, 2),
    (-2, 2),
    (2, -2),
    (-2, -2),
];
