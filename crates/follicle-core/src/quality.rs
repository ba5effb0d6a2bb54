//! Sampling quality as GUIDE §3 defines it: per session, δ_min and δ_avg of nearest-neighbour distances
//! over d_hex on impressions whose six nearest neighbours share their zone, and the density error per zone.

use crate::design::ZoneKind;
use crate::plan::Plan;
use crate::sampler::HEX;

/// Quality figures of one cumulative session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionQuality {
    /// Session number.
    pub session: usize,
    /// Impressions up to and including this session.
    pub impressions: usize,
    /// Smallest NN distance / d_hex over interior impressions of density zones.
    pub delta_min: f64,
    /// Mean NN distance / d_hex over the same impressions.
    pub delta_avg: f64,
    /// Largest relative density error over density zones of at least 10 cm².
    pub worst_density_error: f64,
}

/// Side of a neighbour-grid cell, mm: larger than the sixth-nearest-neighbour distance at every density
/// follicle plans, so the 27 cells around an impression hold its six nearest neighbours.
const CELL_MM: f64 = 2.5;

/// Impressions bucketed into a flat 3D grid of `CELL_MM` cells (counting sort: cell starts and the
/// impression indices cell by cell, ascending within a cell).
struct Grid {
    lo: [i64; 3],
    dims: [i64; 3],
    starts: Vec<u32>,
    items: Vec<u32>,
    /// The positions of `items`, in the same order (contiguous per cell for the scans).
    at: Vec<[f64; 3]>,
}

fn cell_key(p: &[f64; 3]) -> [i64; 3] {
    [
        (p[0] / CELL_MM).floor() as i64,
        (p[1] / CELL_MM).floor() as i64,
        (p[2] / CELL_MM).floor() as i64,
    ]
}

impl Grid {
    fn new(pts: &[[f64; 3]], keys: &[[i64; 3]]) -> Grid {
        let mut lo = [i64::MAX; 3];
        let mut hi = [i64::MIN; 3];
        for k in keys {
            for a in 0..3 {
                lo[a] = lo[a].min(k[a]);
                hi[a] = hi[a].max(k[a]);
            }
        }
        if pts.is_empty() {
            return Grid {
                lo: [0; 3],
                dims: [1; 3],
                starts: vec![0, 0],
                items: Vec::new(),
                at: Vec::new(),
            };
        }
        let dims = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
        let cells = (dims[0] * dims[1] * dims[2]) as usize;
        // A counting sort by cell, without a second array of cursors: each cell's count, summed into its
        // end, then every impression placed from the back (so each cell keeps impression order) leaves
        // `starts[c]` at its start.
        let mut starts = vec![0u32; cells + 1];
        let flat: Vec<usize> = keys
            .iter()
            .map(|k| {
                (((k[2] - lo[2]) * dims[1] + (k[1] - lo[1])) * dims[0] + (k[0] - lo[0])) as usize
            })
            .collect();
        for &c in &flat {
            starts[c] += 1;
        }
        for c in 1..=cells {
            starts[c] += starts[c - 1];
        }
        let mut items = vec![0u32; pts.len()];
        for (i, &c) in flat.iter().enumerate().rev() {
            starts[c] -= 1;
            items[starts[c] as usize] = i as u32;
        }
        let at = items.iter().map(|&i| pts[i as usize]).collect();
        Grid {
            lo,
            dims,
            starts,
            items,
            at,
        }
    }

    /// The flat index of the cell with key `k` (`None` outside the grid).
    #[inline]
    fn flat(&self, k: [i64; 3]) -> Option<usize> {
        let r = [k[0] - self.lo[0], k[1] - self.lo[1], k[2] - self.lo[2]];
        if (0..3).any(|a| r[a] < 0 || r[a] >= self.dims[a]) {
            return None;
        }
        Some(((r[2] * self.dims[1] + r[1]) * self.dims[0] + r[0]) as usize)
    }

    /// The impressions in the cell with key `k` and their positions (empty outside the grid).
    #[inline]
    fn cell(&self, k: [i64; 3]) -> (&[u32], &[[f64; 3]]) {
        let Some(c) = self.flat(k) else {
            return (&[], &[]);
        };
        let range = self.starts[c] as usize..self.starts[c + 1] as usize;
        (&self.items[range.clone()], &self.at[range])
    }

    /// Per impression, the zone every impression in its cell and in the 26 cells around it belongs to
    /// (`MIXED` when they differ) and how many impressions those 27 cells hold.
    fn blocks(&self, keys: &[[i64; 3]], zones: &[usize]) -> Vec<(u32, u32)> {
        // Each occupied cell's own zone, coded: 0 empty, 1 mixed, zone + 2 (a zone past the code's range
        // counts as mixed, which only sends its impressions the exact way). Zeroed memory is touched only
        // around impressions.
        let code = |z: usize| u16::try_from(z + 2).unwrap_or(1);
        let mut own = vec![0u16; self.starts.len() - 1];
        for (k, &z) in keys.iter().zip(zones) {
            let c = self.flat(*k).expect("an impression's cell is in the grid");
            let z = code(z);
            own[c] = if own[c] == 0 || own[c] == z { z } else { 1 };
        }
        // Then once per occupied cell (the grid holds its impressions together), for all of them.
        let mut out = vec![(MIXED, 0u32); keys.len()];
        let mut at = 0;
        while at < self.items.len() {
            let k = keys[self.items[at] as usize];
            let c = self.flat(k).expect("an impression's cell is in the grid");
            let (mut zone, mut count) = (own[c], 0u32);
            for (o, _) in &OFFSETS {
                if let Some(n) = self.flat([k[0] + o[0], k[1] + o[1], k[2] + o[2]]) {
                    count += self.starts[n + 1] - self.starts[n];
                    if own[n] != 0 && own[n] != zone {
                        zone = 1;
                    }
                }
            }
            let zone = if zone == 1 {
                MIXED
            } else {
                u32::from(zone - 2)
            };
            let end = self.starts[c + 1] as usize;
            for &i in &self.items[at..end] {
                out[i as usize] = (zone, count);
            }
            at = end;
        }
        out
    }
}

/// The zone `Grid::blocks` gives when the impressions of a cell and its neighbours are of several zones.
const MIXED: u32 = u32::MAX - 1;

/// The 27 neighbour offsets, each with its position in the definition's scan order (dx, then dy, then
/// dz), visited nearest first: the centre cell, the 6 sharing a face, the 12 sharing an edge, the 8 corners.
const OFFSETS: [([i64; 3], u64); 27] = {
    let mut out = [([0i64; 3], 0u64); 27];
    let mut n = 0;
    let mut ring = 0;
    while ring <= 3 {
        let mut rank = 0u64;
        let mut dx = -1;
        while dx <= 1 {
            let mut dy = -1;
            while dy <= 1 {
                let mut dz = -1;
                while dz <= 1 {
                    if dx * dx + dy * dy + dz * dz == ring {
                        out[n] = ([dx, dy, dz], rank);
                        n += 1;
                    }
                    rank += 1;
                    dz += 1;
                }
                dy += 1;
            }
            dx += 1;
        }
        ring += 1;
    }
    out
};

/// The six nearest other impressions of impression `me` at `p` (cell key `k`) among the 27 cells around
/// it, nearest first as (distance, index); `None` when those cells hold fewer than six others.
///
/// Equal distances keep the definition's scan order (cell by cell in `OFFSETS` rank order, ascending index
/// within a cell): each candidate carries its rank, so visiting the nearest cells first and skipping cells
/// that lie farther than the sixth nearest so far gives exactly the result of a stable sort of all
/// candidates.
#[inline]
fn six_nearest(grid: &Grid, p: &[f64; 3], k: [i64; 3], me: usize) -> Option<[(f64, usize); 6]> {
    let mut best = [(f64::INFINITY, u64::MAX, 0usize); 6];
    let mut filled = 0usize;
    // Squared distance of the sixth (slightly inflated): a candidate or a cell farther than that cannot
    // enter, so neither its square root nor its points are looked at.
    let mut cut2 = f64::INFINITY;
    // Distance from p to its cell's lower and upper faces on each axis (minus a hair for rounding).
    let gap = |a: usize, d: i64| -> f64 {
        match d {
            -1 => (p[a] - k[a] as f64 * CELL_MM - 1e-6).max(0.0),
            1 => ((k[a] + 1) as f64 * CELL_MM - p[a] - 1e-6).max(0.0),
            _ => 0.0,
        }
    };
    for &(o, cell_rank) in &OFFSETS {
        if filled == 6 {
            let box2 = gap(0, o[0]).powi(2) + gap(1, o[1]).powi(2) + gap(2, o[2]).powi(2);
            if box2 > cut2 {
                continue;
            }
        }
        let (ids, at) = grid.cell([k[0] + o[0], k[1] + o[1], k[2] + o[2]]);
        for (pos, (&j, q)) in ids.iter().zip(at).enumerate() {
            let j = j as usize;
            if j == me {
                continue;
            }
            let d2 = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2);
            if d2 > cut2 {
                continue;
            }
            let d = d2.sqrt();
            let rank = cell_rank << 32 | pos as u64;
            let before = |e: &(f64, u64, usize)| d < e.0 || (d == e.0 && rank < e.1);
            if before(&best[5]) {
                let mut i = 5;
                while i > 0 && before(&best[i - 1]) {
                    best[i] = best[i - 1];
                    i -= 1;
                }
                best[i] = (d, rank, j);
                filled = (filled + 1).min(6);
                if filled == 6 {
                    cut2 = best[5].0 * best[5].0 * (1.0 + 1e-9);
                }
            }
        }
    }
    (filled == 6).then(|| best.map(|(d, _, j)| (d, j)))
}

/// The distance from impression `me` at `p` (cell key `k`) to the nearest other among the 27 cells around
/// it: the first of `six_nearest`, found without keeping the other five (cells farther than the nearest so
/// far are skipped).
#[inline]
fn nearest(grid: &Grid, p: &[f64; 3], k: [i64; 3], me: usize) -> f64 {
    let mut best2 = f64::INFINITY;
    let gap = |a: usize, d: i64| -> f64 {
        match d {
            -1 => (p[a] - k[a] as f64 * CELL_MM - 1e-6).max(0.0),
            1 => ((k[a] + 1) as f64 * CELL_MM - p[a] - 1e-6).max(0.0),
            _ => 0.0,
        }
    };
    for &(o, _) in &OFFSETS {
        let box2 = gap(0, o[0]).powi(2) + gap(1, o[1]).powi(2) + gap(2, o[2]).powi(2);
        if box2 > best2 {
            continue;
        }
        let (ids, at) = grid.cell([k[0] + o[0], k[1] + o[1], k[2] + o[2]]);
        for (&j, q) in ids.iter().zip(at) {
            let d2 = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2);
            if d2 < best2 && j as usize != me {
                best2 = d2;
            }
        }
    }
    best2.sqrt()
}

/// Measures every session of a plan.
///
/// Per session the impressions so far (a prefix: the plan keeps them ordered by session) go into a flat
/// grid and each impression's six nearest neighbours are found among the 27 cells around it
/// (`six_nearest`). Sessions are independent: `measure_session` measures one, so a caller with threads
/// can measure them at once (the core itself stays single-threaded for WebAssembly).
pub fn measure(plan: &Plan) -> Vec<SessionQuality> {
    plan.sessions
        .iter()
        .map(|s| measure_session(plan, s.index))
        .collect()
}

/// Measures cumulative session `k` (from 1) of a plan.
pub fn measure_session(plan: &Plan, k: usize) -> SessionQuality {
    let m = SessionMeasure::new(plan, k);
    let spacings = m.spacings(0..m.len());
    m.finish(spacings)
}

/// One cumulative session prepared for measuring: its impressions in a neighbour grid. The nearest-
/// neighbour spacings can be computed in ranges of impressions (`spacings`), by several threads of a
/// caller at once; `finish` sums them in impression order, as the definition does.
pub struct SessionMeasure<'a> {
    plan: &'a Plan,
    k: usize,
    pts: Vec<[f64; 3]>,
    keys: Vec<[i64; 3]>,
    zones: Vec<usize>,
    grid: Grid,
    /// Per impression: the zone of every impression in the 27 cells around it (or `MIXED`) and their count.
    blocks: Vec<(u32, u32)>,
    /// Per zone: measured or not, and d_hex at this session's density.
    dhex: Vec<Option<f64>>,
}

impl<'a> SessionMeasure<'a> {
    /// Gathers the impressions of sessions 1..=k (a prefix: the plan keeps them ordered by session).
    pub fn new(plan: &'a Plan, k: usize) -> Self {
        let count = plan
            .impressions
            .iter()
            .take_while(|m| m.session <= k)
            .count();
        let prefix = plan.impressions[count..].iter().all(|m| m.session > k);
        let idx: Vec<usize> = if prefix {
            (0..count).collect()
        } else {
            (0..plan.impressions.len())
                .filter(|&i| plan.impressions[i].session <= k)
                .collect()
        };
        let pts: Vec<[f64; 3]> = idx
            .iter()
            .map(|&i| plan.impressions[i].p.to_array())
            .collect();
        let keys: Vec<[i64; 3]> = pts.iter().map(cell_key).collect();
        let grid = Grid::new(&pts, &keys);
        let dhex = plan
            .zones
            .iter()
            .enumerate()
            .map(|(z, zs)| {
                let frac = plan.zone_fraction(z, k);
                (zs.spec.kind == ZoneKind::Density && zs.area_cm2 >= 10.0 && frac > 0.0)
                    .then(|| HEX / (zs.spec.target_density_cm2() / 100.0 * frac).sqrt())
            })
            .collect();
        let zones: Vec<usize> = idx.iter().map(|&i| plan.impressions[i].zone).collect();
        let blocks = grid.blocks(&keys, &zones);
        SessionMeasure {
            plan,
            k,
            pts,
            keys,
            zones,
            grid,
            blocks,
            dhex,
        }
    }

    /// How many impressions the session has so far.
    pub fn len(&self) -> usize {
        self.pts.len()
    }

    /// Whether the session has no impressions yet.
    pub fn is_empty(&self) -> bool {
        self.pts.is_empty()
    }

    /// Nearest-neighbour spacing / d_hex of impressions `range` (in order), NaN for impressions not
    /// measured (outside density zones, or with a neighbour of another zone among their six nearest).
    pub fn spacings(&self, range: std::ops::Range<usize>) -> Vec<f64> {
        range
            .map(|li| {
                let z = self.zones[li];
                let Some(dh) = self.dhex[z] else {
                    return f64::NAN;
                };
                // Where the 27 cells around it hold only its zone and at least six others, its six
                // nearest are of its zone: only the nearest's distance is needed.
                let (block_zone, block_count) = self.blocks[li];
                if block_zone == z as u32 && block_count >= 7 {
                    return nearest(&self.grid, &self.pts[li], self.keys[li], li) / dh;
                }
                match six_nearest(&self.grid, &self.pts[li], self.keys[li], li) {
                    Some(best) if best.iter().all(|&(_, j)| self.zones[j] == z) => best[0].0 / dh,
                    _ => f64::NAN,
                }
            })
            .collect()
    }

    /// The session's figures from the spacings of all its impressions, in order.
    pub fn finish(&self, spacings: impl IntoIterator<Item = f64>) -> SessionQuality {
        let (plan, k) = (self.plan, self.k);
        let (mut dmin, mut sum, mut n) = (f64::INFINITY, 0.0, 0usize);
        for d in spacings.into_iter().filter(|d| !d.is_nan()) {
            dmin = dmin.min(d);
            sum += d;
            n += 1;
        }
        let mut worst: f64 = 0.0;
        for (z, zs) in plan.zones.iter().enumerate() {
            let frac = plan.zone_fraction(z, k);
            if zs.spec.kind != ZoneKind::Density || zs.area_cm2 < 10.0 || frac <= 0.0 {
                continue;
            }
            let want = zs.spec.target_density_cm2() * frac * zs.area_cm2;
            worst = worst.max((zs.cumulative[k - 1] as f64 - want).abs() / want);
        }
        SessionQuality {
            session: k,
            impressions: self.pts.len(),
            delta_min: dmin,
            delta_avg: if n > 0 { sum / n as f64 } else { 0.0 },
            worst_density_error: worst,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The straightforward definition (a hash grid and a full stable sort of the neighbours): `measure`
    /// must give exactly the same figures.
    fn reference(plan: &Plan) -> Vec<SessionQuality> {
        let pts: Vec<[f64; 3]> = plan.impressions.iter().map(|m| m.p.to_array()).collect();
        plan.sessions
            .iter()
            .map(|s| {
                let idx: Vec<usize> = (0..pts.len())
                    .filter(|&i| plan.impressions[i].session <= s.index)
                    .collect();
                let key = |p: &[f64; 3]| {
                    (
                        (p[0] / CELL_MM).floor() as i64,
                        (p[1] / CELL_MM).floor() as i64,
                        (p[2] / CELL_MM).floor() as i64,
                    )
                };
                let mut grid: HashMap<(i64, i64, i64), Vec<usize>> = HashMap::new();
                for &i in &idx {
                    grid.entry(key(&pts[i])).or_default().push(i);
                }
                let (mut dmin, mut sum, mut n) = (f64::INFINITY, 0.0, 0usize);
                for &i in &idx {
                    let z = plan.impressions[i].zone;
                    let zs = &plan.zones[z];
                    let frac = plan.zone_fraction(z, s.index);
                    if zs.spec.kind != ZoneKind::Density || zs.area_cm2 < 10.0 || frac <= 0.0 {
                        continue;
                    }
                    let (kx, ky, kz) = key(&pts[i]);
                    let mut near: Vec<(f64, usize)> = Vec::new();
                    for dx in -1..=1 {
                        for dy in -1..=1 {
                            for dz in -1..=1 {
                                for &j in
                                    grid.get(&(kx + dx, ky + dy, kz + dz)).into_iter().flatten()
                                {
                                    if j != i {
                                        let d = ((pts[i][0] - pts[j][0]).powi(2)
                                            + (pts[i][1] - pts[j][1]).powi(2)
                                            + (pts[i][2] - pts[j][2]).powi(2))
                                        .sqrt();
                                        near.push((d, j));
                                    }
                                }
                            }
                        }
                    }
                    if near.len() < 6 {
                        continue;
                    }
                    near.sort_by(|a, b| a.0.total_cmp(&b.0));
                    if near[..6]
                        .iter()
                        .any(|&(_, j)| plan.impressions[j].zone != z)
                    {
                        continue;
                    }
                    let d =
                        near[0].0 / (HEX / (zs.spec.target_density_cm2() / 100.0 * frac).sqrt());
                    dmin = dmin.min(d);
                    sum += d;
                    n += 1;
                }
                (
                    s.index,
                    idx.len(),
                    dmin,
                    if n > 0 { sum / n as f64 } else { 0.0 },
                )
            })
            .zip(measure(plan))
            .map(
                |((session, impressions, delta_min, delta_avg), q)| SessionQuality {
                    session,
                    impressions,
                    delta_min,
                    delta_avg,
                    worst_density_error: q.worst_density_error,
                },
            )
            .collect()
    }

    #[test]
    fn the_fast_measure_equals_the_definition() {
        use crate::design::Pattern;
        use crate::{pattern_design, HeadMeasurements, Sex};
        for (pattern, sex, seed) in [
            (Pattern::FullScalp, Sex::Male, 42),
            (Pattern::Norwood(3), Sex::Female, 7),
            (Pattern::Norwood(6), Sex::Male, 1),
        ] {
            let p = crate::plan(&pattern_design(
                pattern,
                HeadMeasurements::median(sex),
                3,
                seed,
            ))
            .unwrap();
            let fast = measure(&p);
            assert_eq!(fast, reference(&p), "{pattern:?}");
            // Measured in ranges (as threads would), the figures are the same.
            let m = SessionMeasure::new(&p, 3);
            let n = m.len();
            let parts = [0..n / 3, n / 3..n / 2, n / 2..n].map(|r| m.spacings(r));
            assert_eq!(m.finish(parts.into_iter().flatten()), fast[2]);
            assert!(fast
                .iter()
                .all(|q| q.delta_min.is_finite() && q.delta_avg > 0.5));
        }
    }
}
