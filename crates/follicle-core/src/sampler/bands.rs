//! The fill of one pass cut into bands of the chart, so that the caller's [`Workers`] can run them at once
//! while the plan stays the same, bit for bit, however they run (the browser runs them one after another).
//!
//! The chart is cut across v into [`BANDS`] bands holding about the same expected number of new impressions
//! (a fixed number: it never depends on the number of threads). Three phases:
//! 1. every band is filled on its own (its own random stream, seeded from the plan's seed, the session, the
//!    pass and the band), a new impression kept only where every impression it could crowd lies inside the
//!    band ([`Bound::keeps`]: [`MARGIN`] radii in chart units on either side), so two bands never crowd each
//!    other and need not see each other's new impressions;
//! 2. the strips left along the cuts are filled the same way in regions from the middle of one band to the
//!    middle of the next, starting from the candidates and lattice seeds phase 1 could not place there
//!    (deferred: free of every impression of the band, but too close to its edge);
//! 3. whatever phase 2 deferred (rare: very large radii near a cut) is filled on the whole chart, alone.
//!
//! Each band works on its own copy of the impressions inside it; the bands' new impressions are then added
//! to the plan in band order. On one thread (`Workers::parts` 1: the browser) the bands run one after
//! another on the plan itself, without copies: a new impression kept inside its band cannot crowd, nor be
//! crowded by, anything outside it, and one deferred is tried again in the next phase among everything, so
//! every decision and the order of every impression is the same (tested: `tests/threads.rs`). The
//! elimination that follows is unchanged.

use super::{
    conflicts, fill, morton, session_rng, Chart2, Grid, Head, Placement, SessionCtx, Vec3, NO_ZONE,
};
use crate::parallel::{Job, Workers};
use rand::Rng;
use rand_pcg::Pcg64Mcg;
use std::cmp::Reverse;

/// Bands the chart is cut into for the fill (fixed, so the plan does not depend on the threads).
pub(super) const BANDS: usize = 8;
/// A new impression of radius r stays this many r (in chart units, by the chart's scale bound) inside its
/// band: it can crowd nothing farther than 2r (the conflict distance is at most 2r, `limit`), with room
/// for the scale bound's and the f32 neighbour lists' rounding.
pub(super) const MARGIN: f64 = 2.2;
/// Lattice seeds: one per block of this many raster cells a side.
const STRIDE: usize = 12;

/// A range of chart v where new impressions may go (open ends at the chart's edges).
#[derive(Clone, Copy, Debug)]
pub(super) struct Bound {
    lo: f64,
    hi: f64,
}

impl Bound {
    /// The whole chart.
    pub(super) const ALL: Bound = Bound {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
    };

    /// Whether a new impression at `p` (chart `c`) of radius `r` crowds nothing outside the range.
    #[inline]
    pub(super) fn keeps(&self, head: &Head, p: Vec3, c: Chart2, r: f64) -> bool {
        if self.lo == f64::NEG_INFINITY && self.hi == f64::INFINITY {
            return true;
        }
        let m = MARGIN * r * head.chart_scale_bound(c, (p - head.centre).norm());
        c.v - m >= self.lo && c.v + m < self.hi
    }

    /// The ranges between consecutive `cuts` (ascending), open at both ends.
    fn between(cuts: &[f64]) -> Vec<Bound> {
        (0..=cuts.len())
            .map(|b| Bound {
                lo: if b == 0 {
                    f64::NEG_INFINITY
                } else {
                    cuts[b - 1]
                },
                hi: cuts.get(b).copied().unwrap_or(f64::INFINITY),
            })
            .collect()
    }
}

/// Which of the ranges between `cuts` holds chart v `v`.
fn range_of(cuts: &[f64], v: f64) -> usize {
    cuts.partition_point(|&e| e <= v)
}

/// A lattice seed or a deferred candidate: a position where a new impression of zone `z` and radius `r`
/// may go.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seed {
    pub p: Vec3,
    pub c: Chart2,
    pub z: u8,
    pub r: f64,
}

/// The session's state the fill adds to.
pub(super) struct Shared<'a> {
    pub grid: &'a mut Grid,
    pub pl: &'a mut Placement,
    pub radius: &'a mut Vec<f64>,
    pub got: &'a mut [usize],
}

/// What ties a pass's random streams to the plan, and the neighbour grid's cell.
#[derive(Clone, Copy)]
pub(super) struct Key {
    pub seed: u64,
    pub session: usize,
    pub pass: usize,
    pub cell: f64,
}

/// What one band's fill gives back.
#[derive(Default)]
struct Out {
    pos: Vec<Vec3>,
    chart: Vec<Chart2>,
    zone: Vec<u8>,
    radius: Vec<f64>,
    /// Deferred candidates and seeds.
    seeds: Vec<Seed>,
}

/// What one band starts from.
#[derive(Default)]
struct Input {
    /// Plan indices of the alive impressions inside the band.
    inside: Vec<u32>,
    /// Plan indices of the active impressions inside the band, in the order they are given.
    active: Vec<u32>,
    /// Seeds to try first (phase 1: none; the lattice's blocks are drawn by the band).
    seeds: Vec<Seed>,
}

/// One pass of the fill: the bands, the strips along their cuts, then what is left, all added to `s`.
pub(super) fn fill_pass(
    ctx: &SessionCtx,
    mut s: Shared,
    active: Vec<u32>,
    key: Key,
    workers: &dyn Workers,
) {
    let session = key.session as u16;
    let field = ctx.field;
    let copies = workers.parts() > 1;
    // Phase 1: the bands, each with the lattice blocks whose first row lies in it.
    let cuts = band_cuts(ctx);
    let mut inputs: Vec<Input> = (0..BANDS).map(|_| Input::default()).collect();
    for i in 0..s.pl.len() {
        if copies && s.pl.alive[i] {
            inputs[range_of(&cuts, s.pl.chart[i].v)]
                .inside
                .push(i as u32);
        }
    }
    for &a in &active {
        inputs[range_of(&cuts, s.pl.chart[a as usize].v)]
            .active
            .push(a);
    }
    let seeds = run_phase(ctx, &mut s, &cuts, inputs, key, 1, true, workers);

    // Phase 2: from the middle of one band to the middle of the next, around each cut.
    let end = field.v0 + field.nv as f64 * field.cell;
    let mids: Vec<f64> = (1..BANDS - 1)
        .map(|b| 0.5 * (cuts[b - 1] + cuts.get(b).copied().unwrap_or(end)))
        .collect();
    let mut inputs: Vec<Input> = (0..=mids.len()).map(|_| Input::default()).collect();
    for seed in seeds {
        inputs[range_of(&mids, seed.c.v)].seeds.push(seed);
    }
    for i in 0..s.pl.len() {
        if copies && s.pl.alive[i] {
            let input = &mut inputs[range_of(&mids, s.pl.chart[i].v)];
            if !input.seeds.is_empty() {
                input.inside.push(i as u32);
            }
        }
    }
    let seeds = run_phase(ctx, &mut s, &mids, inputs, key, 2, false, workers);

    // Phase 3: what is left, on the whole chart.
    if seeds.is_empty() {
        return;
    }
    let mut rng = session_rng(key.seed, key.session, key.pass, 3, 0);
    let (mut active, mut none) = (Vec::new(), Vec::new());
    for seed in seeds {
        try_seed(
            ctx,
            &mut s,
            &mut active,
            session,
            Bound::ALL,
            seed,
            &mut none,
        );
    }
    fill(
        ctx,
        s.grid,
        s.pl,
        s.radius,
        &mut active,
        s.got,
        session,
        &mut rng,
        Bound::ALL,
        &mut none,
    );
    debug_assert!(none.is_empty());
}

/// The cuts between the bands (BANDS − 1 values of chart v, ascending): each band holds about the same
/// share of Σ area / r² over the cells still open, the number of new impressions the pass can place.
fn band_cuts(ctx: &SessionCtx) -> Vec<f64> {
    let f = ctx.field;
    let mut total = 0.0;
    let rows: Vec<f64> = (0..f.nv)
        .map(|j| {
            for k in j * f.nu..(j + 1) * f.nu {
                let r = ctx.cell_radius[k] as f64;
                if r > 0.0 {
                    total += f.area[k] as f64 / (r * r);
                }
            }
            total
        })
        .collect();
    (1..BANDS)
        .map(|b| {
            let share = total * b as f64 / BANDS as f64;
            let j = rows.partition_point(|&c| c < share);
            f.v0 + (j + 1) as f64 * f.cell
        })
        .collect()
}

/// Runs one phase: a band per range between `cuts` with work to do (every band in phase 1, which draws its
/// lattice seeds), each with its own random stream, on its own copy of the impressions inside it (or, on
/// one thread, in turn on the plan itself); returns what the bands deferred, in band order.
#[allow(clippy::too_many_arguments)]
fn run_phase(
    ctx: &SessionCtx,
    s: &mut Shared,
    cuts: &[f64],
    inputs: Vec<Input>,
    key: Key,
    phase: usize,
    lattice: bool,
    workers: &dyn Workers,
) -> Vec<Seed> {
    let session = key.session as u16;
    let work = |input: &Input| lattice || !input.active.is_empty() || !input.seeds.is_empty();
    if workers.parts() <= 1 {
        let mut deferred = Vec::new();
        for (band, (input, bound)) in inputs.into_iter().zip(Bound::between(cuts)).enumerate() {
            if work(&input) {
                let mut rng = session_rng(key.seed, key.session, key.pass, phase, band);
                let mut active = input.active;
                active.sort_by_cached_key(|&i| {
                    Reverse(morton(s.grid.cell_of(s.pl.chart[i as usize])))
                });
                let mut seeds = input.seeds;
                if lattice {
                    lattice_seeds(ctx, &mut rng, cuts, band, &mut seeds);
                }
                for seed in seeds {
                    try_seed(ctx, s, &mut active, session, bound, seed, &mut deferred);
                }
                fill(
                    ctx,
                    s.grid,
                    s.pl,
                    s.radius,
                    &mut active,
                    s.got,
                    session,
                    &mut rng,
                    bound,
                    &mut deferred,
                );
            }
        }
        return deferred;
    }
    let (pl, radius, global) = (&*s.pl, &*s.radius, &*s.grid);
    let bounds = Bound::between(cuts);
    let mut outs: Vec<Out> = (0..inputs.len()).map(|_| Out::default()).collect();
    let jobs: Vec<Job> = outs
        .iter_mut()
        .zip(inputs)
        .zip(bounds)
        .enumerate()
        .filter(|(_, ((_, input), _))| work(input))
        .map(|(band, ((out, input), bound))| {
            Box::new(move || {
                let mut rng = session_rng(key.seed, key.session, key.pass, phase, band);
                let lattice = lattice.then_some((cuts, band));
                let band = Band {
                    pl,
                    radius,
                    global,
                    bound,
                };
                *out = fill_band(ctx, band, input, key, &mut rng, lattice);
            }) as Job
        })
        .collect();
    workers.run(jobs);
    merge(s, outs, session)
}

/// What a band reads of the session: the plan so far, its radii and neighbour grid, and the band's range.
struct Band<'a> {
    pl: &'a Placement,
    radius: &'a [f64],
    global: &'a Grid,
    bound: Bound,
}

/// Fills one band on its own copy of the impressions inside it.
fn fill_band(
    ctx: &SessionCtx,
    band: Band,
    mut input: Input,
    key: Key,
    rng: &mut Pcg64Mcg,
    lattice: Option<(&[f64], usize)>,
) -> Out {
    let Band {
        pl,
        radius,
        global,
        bound,
    } = band;
    let session = key.session as u16;
    // Earlier impressions in a space-filling (Morton) order so the fill sweeps the band locally (a stable
    // sort: the order the whole plan's sort would give them).
    input
        .active
        .sort_by_cached_key(|&i| Reverse(morton(global.cell_of(pl.chart[i as usize]))));
    let room = input.inside.len() * 2 + 64;
    let mut lp = Placement::with_capacity(room);
    let mut lr = Vec::with_capacity(room);
    let mut grid = Grid::rows(ctx.field, key.cell, bound.lo, bound.hi);
    for &g in &input.inside {
        let i = g as usize;
        let id = lp.push(pl.pos[i], pl.chart[i], pl.zone[i], pl.session[i]);
        lr.push(radius[i]);
        grid.insert(id, pl.chart[i]);
    }
    let n0 = lp.len();
    let mut active: Vec<u32> = input
        .active
        .iter()
        .map(|g| {
            input
                .inside
                .binary_search(g)
                .expect("an active impression lies inside its band") as u32
        })
        .collect();
    let mut got = vec![0; ctx.rho.len()];
    let mut out = Out::default();
    let mut seeds = input.seeds;
    if let Some((cuts, band)) = lattice {
        lattice_seeds(ctx, rng, cuts, band, &mut seeds);
    }
    let mut local = Shared {
        grid: &mut grid,
        pl: &mut lp,
        radius: &mut lr,
        got: &mut got,
    };
    for seed in seeds {
        try_seed(
            ctx,
            &mut local,
            &mut active,
            session,
            bound,
            seed,
            &mut out.seeds,
        );
    }
    fill(
        ctx,
        &mut grid,
        &mut lp,
        &mut lr,
        &mut active,
        &mut got,
        session,
        rng,
        bound,
        &mut out.seeds,
    );
    out.pos = lp.pos.split_off(n0);
    out.chart = lp.chart.split_off(n0);
    out.zone = lp.zone.split_off(n0);
    out.radius = lr.split_off(n0);
    out
}

/// Adds the bands' new impressions to the plan in band order; returns what they deferred.
fn merge(s: &mut Shared, outs: Vec<Out>, session: u16) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for out in outs {
        for t in 0..out.pos.len() {
            let id = s.pl.push(out.pos[t], out.chart[t], out.zone[t], session);
            s.radius.push(out.radius[t]);
            s.grid.insert(id, out.chart[t]);
            s.got[out.zone[t] as usize] += 1;
        }
        seeds.extend(out.seeds);
    }
    seeds
}

/// The seeds of the lattice blocks whose first row lies in `band` (between `cuts`), in order.
fn lattice_seeds(
    ctx: &SessionCtx,
    rng: &mut Pcg64Mcg,
    cuts: &[f64],
    band: usize,
    seeds: &mut Vec<Seed>,
) {
    let field = ctx.field;
    for j in (0..field.nv).step_by(STRIDE) {
        if range_of(cuts, field.v0 + j as f64 * field.cell) != band {
            continue;
        }
        for i in (0..field.nu).step_by(STRIDE) {
            seeds.extend(lattice_seed(ctx, rng, i, j));
        }
    }
}

/// The seed of the lattice block at raster cell (`i`, `j`): a random point in it, if open (the random
/// numbers are drawn as u32, never usize, which is 32 bits on wasm32 and 64 on x86-64).
fn lattice_seed(ctx: &SessionCtx, rng: &mut Pcg64Mcg, i: usize, j: usize) -> Option<Seed> {
    let (head, field) = (ctx.head, ctx.field);
    let cj = (j + rng.gen_range(0..STRIDE as u32) as usize).min(field.nv - 1);
    let ci = (i + rng.gen_range(0..STRIDE as u32) as usize).min(field.nu - 1);
    let kc = cj * field.nu + ci;
    let (mut z, mut r) = ctx.open_radius(kc)?;
    let c = Chart2::new(
        field.u0 + (ci as f64 + rng.gen::<f64>()) * field.cell,
        field.v0 + (cj as f64 + rng.gen::<f64>()) * field.cell,
    );
    let p = head.point_along(head.dir_of_chart(c));
    let kc = field.index(c).unwrap_or(kc);
    if field.split_at(kc).is_some() {
        // A drawn zone's border crosses the cell: the zone of the point itself.
        (z, r) = ctx.open_radius_at(kc, c)?;
    } else if field.zone[kc] == NO_ZONE || field.zone[kc] != z {
        return None;
    }
    if field.guarded[kc] && field.guards.forbidden(p, c) {
        return None;
    }
    Some(Seed { p, c, z, r })
}

/// Places a new impression at `seed` unless it crowds one (deferred when it could crowd beyond `bound`).
fn try_seed(
    ctx: &SessionCtx,
    s: &mut Shared,
    active: &mut Vec<u32>,
    session: u16,
    bound: Bound,
    seed: Seed,
    deferred: &mut Vec<Seed>,
) {
    let Seed { p, c, z, r } = seed;
    if !bound.keeps(ctx.head, p, c, r) {
        deferred.push(seed);
        return;
    }
    if !conflicts(ctx, s.grid, s.pl, s.radius, p, c, r) {
        let id = s.pl.push(p, c, z, session);
        s.radius.push(r);
        s.grid.insert(id, c);
        s.got[z as usize] += 1;
        active.push(id);
    }
}
