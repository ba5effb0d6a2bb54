//! Darts over a short zone's own cells: the gaps a fill leaves, filled at the same spacing.
//!
//! The fill grows from earlier impressions, throwing a few candidates around each, so it stops short of a
//! maximal packing; a large zone overshoots its count anyway, but a small one (a light zone among denser
//! ones, a zone filling among earlier sessions' impressions) can come out short. Shrinking its spacing
//! then packs the next pass's impressions closer than the zone's own spacing, and some of them survive
//! the elimination. Before any spacing is shrunk, darts thrown at random over every raster cell of the
//! short zones, in a seeded random order of cells, fill what the fill missed at the zone's own spacing
//! (random sequential adsorption: every impression keeps its distance, as the fill's do), and the
//! elimination trims the overshoot as usual.

use super::{conflicts, session_rng, Grid, Placement, SessionCtx};
use crate::geom::Chart2;
use rand::seq::SliceRandom;
use rand::Rng;

/// The most darts thrown into one raster cell.
const MAX_PER_CELL: usize = 12;
/// Darts per cell per (radius)² of cell area: enough that a cell's free spots are found.
const PER_RADIUS2: f64 = 2.0;
/// The random stream's phase number (the fill's bands use phases 1–3).
const PHASE: usize = 7;

/// What the darts add to.
pub(super) struct Target<'a> {
    pub grid: &'a mut Grid,
    pub pl: &'a mut Placement,
    pub radius: &'a mut Vec<f64>,
    pub got: &'a mut [usize],
}

/// Throws darts over the cells of every open zone whose `got` is below its `need`, adding each dart that
/// crowds nothing as a new impression of `session` (all of them, even past the need: the elimination then
/// keeps the best spread). Returns how many were added. Serial and seeded from (`seed`, `session`, `pass`): the same impressions however the fill's
/// bands ran.
pub(super) fn fill_gaps(
    ctx: &SessionCtx,
    t: Target,
    need: &[usize],
    seed: u64,
    session: usize,
    pass: usize,
) -> usize {
    let short: Vec<bool> = (0..need.len())
        .map(|z| ctx.open[z] && t.got[z] < need[z])
        .collect();
    if !short.iter().any(|&s| s) {
        return 0;
    }
    let field = ctx.field;
    let mut cells: Vec<u32> = (0..field.zone.len())
        .filter(|&k| {
            let z = field.zone[k];
            let any_short = match field.split_at(k) {
                Some(s) => s.zones().iter().any(|&(z, _)| short[z as usize]),
                None => (z as usize) < short.len() && short[z as usize],
            };
            any_short && ctx.cell_radius[k] > 0.0
        })
        .map(|k| k as u32)
        .collect();
    let mut rng = session_rng(seed, session, pass, PHASE, 0);
    cells.shuffle(&mut rng);
    let head = ctx.head;
    let mut added = 0;
    for k in cells {
        let k = k as usize;
        let z = field.zone[k] as usize;
        let r_cell = ctx.cell_radius[k] as f64;
        let darts = ((PER_RADIUS2 * field.area[k] as f64 / (r_cell * r_cell)).ceil() as usize)
            .clamp(1, MAX_PER_CELL);
        let (i, j) = (k % field.nu, k / field.nu);
        for _ in 0..darts {
            let c = Chart2::new(
                field.u0 + (i as f64 + rng.gen::<f64>()) * field.cell,
                field.v0 + (j as f64 + rng.gen::<f64>()) * field.cell,
            );
            // The chart point's own cell (the same, up to rounding at its edge).
            let Some(kc) = field.index(c) else {
                continue;
            };
            let Some((zc, r)) = ctx.open_radius_at(kc, c) else {
                continue;
            };
            let wanted = if field.split_at(kc).is_some() {
                short[zc as usize]
            } else {
                zc as usize == z
            };
            if !wanted {
                continue;
            }
            let p = head.point_along(head.dir_of_chart(c));
            if field.guarded[kc] && field.guards.forbidden(p, c) {
                continue;
            }
            if conflicts(ctx, t.grid, t.pl, t.radius, p, c, r) {
                continue;
            }
            let id = t.pl.push(p, c, zc, session as u16);
            t.radius.push(r);
            t.grid.insert(id, c);
            t.got[zc as usize] += 1;
            added += 1;
        }
    }
    added
}
