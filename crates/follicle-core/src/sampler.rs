//! Progressive variable-density blue noise on the head surface.
//!
//! Each session fills among every impression already placed (earlier sessions stay fixed) with a
//! Poisson-disk dart fill at that session's cumulative density, so every cumulative set is well spread on
//! its own and together with the earlier ones (progressive / multi-class blue noise, Wei 2010;
//! Yuksel 2015). The fill deliberately overshoots a little; a greedy elimination then removes the most
//! crowded new impressions until each zone holds exactly its target count for the session.
//! Neighbour search uses a uniform grid over the head chart; distances are true 3D distances between
//! surface points.

use crate::design::ZoneSpec;
use crate::field::{Field, NO_ZONE};
use crate::geom::{Chart2, Vec3};
use crate::head::Head;
use crate::noise::mix64;
use crate::parallel::{Serial, Workers};
use bands::{Bound, Seed};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

mod bands;
mod darts;
mod eliminate;
mod near;

use eliminate::eliminate;
use near::{limit, morton, Grid, Local};

/// Minimum spacing as a fraction of the ideal hexagonal spacing for the fill (before elimination).
pub const FILL_DELTA: f64 = 0.727;
/// How much smaller the fill spacing starts per unit of the target already present (filling among
/// earlier impressions packs less tightly).
pub const FILL_DELTA_AMONG: f64 = 0.06;
/// Fill passes per session: a zone the fill leaves short starts over at a smaller spacing, at most this
/// many times in all.
const PASSES: usize = 8;
/// Candidate darts thrown around each active impression.
const CANDIDATES: usize = 10;
/// Angular jitter of each candidate within its sector, radians.
const JITTER: f64 = 0.8 * std::f64::consts::TAU / CANDIDATES as f64;
/// (sin, cos) of `N` angles evenly around the circle, n·2π/N, computed at compile time.
const fn unit_circle<const N: usize>() -> [(f64, f64); N] {
    let mut out = [(0.0, 0.0); N];
    let mut n = 0;
    while n < N {
        let mut a = n as f64 * std::f64::consts::TAU / N as f64;
        if a > std::f64::consts::PI {
            a -= std::f64::consts::TAU;
        }
        // Taylor series to 23rd order is exact to double precision on [-π, π].
        let (mut s, mut c, mut term_s, mut term_c, mut k) = (0.0, 0.0, a, 1.0, 0);
        while k < 12 {
            s += term_s;
            c += term_c;
            term_s *= -a * a / (((2 * k + 2) * (2 * k + 3)) as f64);
            term_c *= -a * a / (((2 * k + 1) * (2 * k + 2)) as f64);
            k += 1;
        }
        out[n] = (s, c);
        n += 1;
    }
    out
}
/// (sin, cos) of the candidates' sector angles.
static ROTATIONS: [(f64, f64); CANDIDATES] = unit_circle::<CANDIDATES>();
/// (sin, cos) of the starting angles an active impression draws from (finer than any jitter matters).
static BASES: [(f64, f64); 1024] = unit_circle::<1024>();
/// Radius (in units of the active impression's radius) within which neighbours are sought:
/// candidates lie within REACH·ra and a conflict needs at most 2·r ≤ 2.2·ra more.
const GATHER: f64 = REACH + 2.2;
/// Candidates lie within this many radii of the active impression.
const REACH: f64 = 1.0 + ANNULUS;
/// Width of the annulus candidates are thrown in, as a fraction of the radius beyond it.
const ANNULUS: f64 = 0.6;
/// Ideal hexagonal spacing for density ρ (per mm²) is `HEX / sqrt(ρ)` (GUIDE §3: sqrt(2 / (√3 ρ))).
pub const HEX: f64 = 1.074_569_931_823_542;
const NONE: u32 = u32::MAX;
/// Random picks of the fill come from this many newest active impressions, so the fill front stays local
/// (cache-warm at a million impressions) while still growing in every direction.
const WINDOW: usize = 64;
/// The elimination ranks impressions by their nearest-neighbour spacing (in units of their radius) up to
/// this cap; beyond it an impression is never among the most crowded, so farther neighbours are not sought.
const ELIM_CAP: f64 = 1.5;

/// The impressions being placed, structure-of-arrays for speed.
#[derive(Clone, Debug, Default)]
pub struct Placement {
    /// Positions on the surface, mm.
    pub pos: Vec<Vec3>,
    /// Chart coordinates.
    pub chart: Vec<Chart2>,
    /// Zone index.
    pub zone: Vec<u8>,
    /// Session (1-based).
    pub session: Vec<u16>,
    /// Still part of the plan (false once eliminated).
    pub alive: Vec<bool>,
}

impl Placement {
    /// Room for `n` impressions.
    pub fn with_capacity(n: usize) -> Self {
        Placement {
            pos: Vec::with_capacity(n),
            chart: Vec::with_capacity(n),
            zone: Vec::with_capacity(n),
            session: Vec::with_capacity(n),
            alive: Vec::with_capacity(n),
        }
    }
    /// Number of impressions ever placed (alive or not).
    pub fn len(&self) -> usize {
        self.pos.len()
    }
    /// Whether nothing has been placed.
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }
    /// Adds one impression.
    pub fn push(&mut self, p: Vec3, c: Chart2, zone: u8, session: u16) -> u32 {
        self.pos.push(p);
        self.chart.push(c);
        self.zone.push(zone);
        self.session.push(session);
        self.alive.push(true);
        (self.pos.len() - 1) as u32
    }
}

/// Per-session sampling state shared by fill and elimination.
struct SessionCtx<'a> {
    head: &'a Head,
    field: &'a Field,
    /// Density per mm² of each zone in this session (cumulative), before the cell multiplier.
    rho: Vec<f64>,
    /// Fill spacing factor per zone (lowered for zones that came out short).
    delta: Vec<f64>,
    /// Whether a zone still accepts new impressions in this session.
    open: Vec<bool>,
    /// Fill radius per raster cell for open zones (0 where nothing may be placed).
    cell_radius: Vec<f32>,
}

impl SessionCtx<'_> {
    /// Recomputes the per-cell radius table after `delta` or `open` changed.
    fn refresh(&mut self) {
        let zr: Vec<f64> = (0..self.rho.len())
            .map(|z| {
                if self.open[z] && self.rho[z] > 1e-9 {
                    self.delta[z] * HEX / self.rho[z].sqrt()
                } else {
                    0.0
                }
            })
            .collect();
        self.cell_radius.clear();
        self.cell_radius.extend(
            self.field
                .zone
                .iter()
                .zip(&self.field.mult)
                .map(|(&z, &m)| {
                    if z == NO_ZONE || m <= 1e-6 {
                        0.0
                    } else {
                        (zr[z as usize] / (m as f64).sqrt()) as f32
                    }
                }),
        );
        // A cell a drawn zone's border crosses: the smallest radius of the open zones it holds.
        for s in &self.field.splits {
            self.cell_radius[s.cell as usize] = s
                .zones()
                .iter()
                .filter(|&&(z, m)| self.open[z as usize] && self.rho[z as usize] > 1e-9 && m > 1e-6)
                .map(|&(z, m)| (zr[z as usize] / (m as f64).sqrt()) as f32)
                .fold(0.0, |a: f32, r| if a == 0.0 { r } else { a.min(r) });
        }
    }

    /// Fill radius for a new impression at raster cell `k` (open zones only).
    #[inline]
    fn open_radius(&self, k: usize) -> Option<(u8, f64)> {
        let r = self.cell_radius[k];
        if r > 0.0 {
            Some((self.field.zone[k], r as f64))
        } else {
            None
        }
    }

    /// Fill radius of zone `z` where its multiplier is `m`, or None where nothing may be placed.
    #[inline]
    fn radius_of(&self, z: u8, m: f32) -> Option<(u8, f64)> {
        if z == NO_ZONE {
            return None;
        }
        if self.rho[z as usize] <= 1e-9 || m <= 1e-6 {
            return None;
        }
        // Same arithmetic and rounding as `refresh`, so equal cells give bit-equal radii.
        let zr = self.delta[z as usize] * HEX / self.rho[z as usize].sqrt();
        Some((z, (zr / (m as f64).sqrt()) as f32 as f64))
    }

    /// Fill radius at chart point `c`, or None where nothing may be placed.
    #[inline]
    fn radius_at(&self, c: Chart2) -> Option<(u8, f64)> {
        let k = self.field.index(c)?;
        let (z, m) = self.field.zone_at(k, c);
        self.radius_of(z, m)
    }

    /// Fill radius for a new impression at chart point `c` in raster cell `k` (open zones only): the
    /// cell's, or where a drawn zone's border crosses the cell, that of the zone `c` is in.
    #[inline]
    fn open_radius_at(&self, k: usize, c: Chart2) -> Option<(u8, f64)> {
        match self.field.split_at(k) {
            None => self.open_radius(k),
            Some(s) => {
                let (z, m) = self.field.split_zone_at(s, c);
                if z == NO_ZONE || !self.open[z as usize] {
                    return None;
                }
                self.radius_of(z, m)
            }
        }
    }
}

/// Ties one part of a session's work to the plan seed: the pass, the phase of the banded fill and the band
/// (bands::fill_pass), never the number of threads.
fn session_rng(seed: u64, session: usize, pass: usize, phase: usize, band: usize) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(mix64(
        seed ^ mix64(0x5E55_1000 + session as u64 * 1000 + pass as u64)
            ^ mix64(0xBA4D_0000 + (phase as u64) * 4096 + band as u64),
    ))
}

/// Cumulative target count of each zone after session `k`: density × fraction × multiplier-weighted area.
pub fn target_counts(field: &Field, zones: &[ZoneSpec], fractions: &[f64], k: usize) -> Vec<usize> {
    zones
        .iter()
        .enumerate()
        .map(|(z, spec)| {
            (spec.target_density_cm2() / 100.0
                * spec.fraction_at(fractions, k)
                * field.zone_weighted_area_mm2[z])
                .round() as usize
        })
        .collect()
}

/// Places session `k` (1-based) among the impressions already in `pl`, reaching each zone's target count.
pub fn place_session(
    head: &Head,
    field: &Field,
    zones: &[ZoneSpec],
    fractions: &[f64],
    k: usize,
    seed: u64,
    pl: &mut Placement,
) {
    place_session_on(head, field, zones, fractions, k, seed, pl, &Serial)
}

/// [`place_session`], the fill's bands run by `workers` (the same impressions, bit for bit, however they run).
#[allow(clippy::too_many_arguments)]
pub fn place_session_on(
    head: &Head,
    field: &Field,
    zones: &[ZoneSpec],
    fractions: &[f64],
    k: usize,
    seed: u64,
    pl: &mut Placement,
    workers: &dyn Workers,
) {
    let targets = target_counts(field, zones, fractions, k);
    let nz = zones.len();
    let mut have = vec![0usize; nz];
    for i in 0..pl.len() {
        if pl.alive[i] {
            have[pl.zone[i] as usize] += 1;
        }
    }
    let need: Vec<usize> = (0..nz)
        .map(|z| targets[z].saturating_sub(have[z]))
        .collect();
    if need.iter().all(|&n| n == 0) {
        return;
    }
    let rho: Vec<f64> = zones
        .iter()
        .map(|s| s.target_density_cm2() / 100.0 * s.fraction_at(fractions, k))
        .collect();
    // Filling among earlier impressions packs less tightly, so later sessions start with a smaller spacing
    // factor; either way the fill overshoots slightly and the elimination trims to the exact count.
    let existing = have.iter().sum::<usize>() as f64 / targets.iter().sum::<usize>().max(1) as f64;
    let start_delta = FILL_DELTA - FILL_DELTA_AMONG * existing.min(1.0);
    let mut ctx = SessionCtx {
        head,
        field,
        rho,
        delta: vec![start_delta; nz],
        open: need.iter().map(|&n| n > 0).collect(),
        cell_radius: Vec::new(),
    };
    ctx.refresh();

    // Grid cell: about three radii of the densest zone at the chart centre (fewer, fuller cells scan faster).
    let max_rho = ctx.rho.iter().cloned().fold(0.0, f64::max).max(1e-6);
    let r_min = start_delta * HEX / max_rho.sqrt();
    let pole_r = head.radius_along(head.dir_of_chart(Chart2::new(0.0, 0.0)));
    let cell = 3.0 * r_min / (2.0 * pole_r);
    let mut grid = Grid::new(field, cell);
    for i in 0..pl.len() {
        if pl.alive[i] {
            grid.insert(i as u32, pl.chart[i]);
        }
    }
    let first_new = pl.len();
    let mut radius: Vec<f64> = Vec::with_capacity(pl.len() * 2);
    for i in 0..pl.len() {
        radius.push(ctx.radius_at(pl.chart[i]).map(|x| x.1).unwrap_or(0.0));
    }

    let mut got = vec![0usize; nz];
    for pass in 0..PASSES {
        let mut active: Vec<u32> = Vec::new();
        for i in 0..pl.len() {
            if pl.alive[i] && ctx.open[pl.zone[i] as usize] {
                active.push(i as u32);
            }
        }
        // Each band visits its earlier impressions in a space-filling (Morton) order (bands.rs).
        bands::fill_pass(
            &ctx,
            bands::Shared {
                grid: &mut grid,
                pl: &mut *pl,
                radius: &mut radius,
                got: &mut got,
            },
            active,
            bands::Key {
                seed,
                session: k,
                pass,
                cell,
            },
            workers,
        );
        // What the fill missed in a short zone is filled at the zone's own spacing before any is shrunk.
        darts::fill_gaps(
            &ctx,
            darts::Target {
                grid: &mut grid,
                pl: &mut *pl,
                radius: &mut radius,
                got: &mut got,
            },
            &need,
            seed,
            k,
            pass,
        );
        // The last pass keeps what it placed, short or not: starting over would leave the zone with
        // nothing this session (a scar of a few mm² among a denser zone came out empty in session 1).
        if pass + 1 == PASSES {
            break;
        }
        let mut short = false;
        let mut restart = vec![false; nz];
        for z in 0..nz {
            if ctx.open[z] && got[z] < need[z] {
                // Shrink the spacing by what the shortfall suggests (density ∝ 1/δ²), a little more.
                ctx.delta[z] *=
                    ((got[z].max(1) as f64 / need[z] as f64).sqrt() * 0.98).clamp(0.95, 0.98);
                short = true;
                restart[z] = true;
                got[z] = 0;
            } else {
                ctx.open[z] = false;
            }
        }
        if !short {
            break;
        }
        // A short zone starts its session over at the smaller spacing: filling among the impressions
        // placed at the larger one would only squeeze a few into its gaps, tighter than the zone's spacing.
        for i in first_new..pl.len() {
            if pl.alive[i] && restart[pl.zone[i] as usize] {
                pl.alive[i] = false;
                grid.remove(i as u32, pl.chart[i]);
            }
        }
        ctx.refresh();
        for (i, r) in radius.iter_mut().enumerate().skip(first_new) {
            if ctx.open[pl.zone[i] as usize] {
                *r = ctx.radius_at(pl.chart[i]).map(|x| x.1).unwrap_or(*r);
            }
        }
    }
    eliminate(
        &ctx, &mut grid, pl, &radius, first_new, &got, &need, workers,
    );
}

/// Whether a new impression at `p` with radius `r` would crowd an existing one.
#[inline]
fn conflicts(
    ctx: &SessionCtx,
    grid: &Grid,
    pl: &Placement,
    radius: &[f64],
    p: Vec3,
    c: Chart2,
    r: f64,
) -> bool {
    let reach_mm = r * 1.6;
    let dist_c = (p - ctx.head.centre).norm();
    let reach = reach_mm * ctx.head.chart_scale_bound(c, dist_c);
    grid.any_near(c, reach, |j| {
        let lim = limit(r, radius[j as usize]);
        (pl.pos[j as usize] - p).norm2() < lim * lim
    })
}

/// Bridson-style dart fill from the active impressions until none can spawn more, new impressions kept
/// within `bound`: a candidate that could crowd an impression beyond it, and crowds none here, goes into
/// `deferred` for a later phase (bands.rs).
#[allow(clippy::too_many_arguments)]
fn fill(
    ctx: &SessionCtx,
    grid: &mut Grid,
    pl: &mut Placement,
    radius: &mut Vec<f64>,
    active: &mut Vec<u32>,
    got: &mut [usize],
    session: u16,
    rng: &mut Pcg64Mcg,
    bound: Bound,
    deferred: &mut Vec<Seed>,
) {
    let head = ctx.head;
    let mut local = Local::default();
    while !active.is_empty() {
        // Mostly depth-first (the newest active impression) so the fill front stays local and cache-warm,
        // with an occasional random pick to keep the growth direction isotropic.
        let pick = if rng.gen::<u32>() % 4 == 0 {
            active.len() - 1 - rng.gen_range(0..active.len().min(WINDOW) as u32) as usize
        } else {
            active.len() - 1
        };
        let a = active.swap_remove(pick) as usize;
        let pa = pl.pos[a];
        let ra = match ctx.radius_at(pl.chart[a]) {
            Some((_, r)) => r,
            None => continue,
        };
        // Every impression that could crowd any candidate of `a` lies within GATHER·ra of it: collect them
        // once, then test each candidate against this short list.
        // Impressions of earlier sessions mostly sit among full neighbourhoods: they throw half as many
        // candidates (every other sector, with twice the jitter), each checked straight against the grid.
        let old = (pl.session[a] as usize) < session as usize;
        let step = if old { 2 } else { 1 };
        let gather = ra * GATHER;
        local.clear();
        if !old {
            grid.any_near(
                pl.chart[a],
                gather * head.chart_scale_bound(pl.chart[a], (pa - head.centre).norm()),
                |j| {
                    let q = pl.pos[j as usize];
                    let rq = radius[j as usize];
                    // Only neighbours that can crowd some candidate: candidates lie within REACH·ra of `a`
                    // (a hair more after projection onto the surface) and have a radius of at most 1.1·ra.
                    let near = REACH * 1.01 * ra + limit(1.1 * ra, rq) * 1.001;
                    if (q - pa).norm2() < near * near {
                        local.push(q - pa, rq, ra);
                    }
                    false
                },
            );
        }
        let (t1, t2) = head.normal(pa).tangent_basis();
        let (bs, bc) = BASES[(rng.gen::<u32>() >> 22) as usize];
        for &(sn, cn) in ROTATIONS.iter().step_by(step) {
            // Stratified angles with a jitter (sin/cos by short series, exact to 0.2 % up to 1 rad).
            let j = rng.gen::<f64>() * JITTER * step as f64;
            let j2 = j * j;
            let (js, jc) = (
                j * (1.0 - j2 / 6.0 * (1.0 - j2 / 20.0)),
                1.0 - j2 * 0.5 * (1.0 - j2 / 12.0),
            );
            let (s1, c1) = (bs * cn + bc * sn, bc * cn - bs * sn);
            let (s2, c2) = (s1 * jc + c1 * js, c1 * jc - s1 * js);
            let dist = ra * (1.0 + ANNULUS * rng.gen::<f64>());
            let q = pa + (t1 * c2 + t2 * s2) * dist;
            let d = (q - head.centre).normalized();
            let c = head.chart_of_dir(d);
            let Some(kc) = ctx.field.index(c) else {
                continue;
            };
            let Some((z, r)) = ctx.open_radius_at(kc, c) else {
                continue;
            };
            let p = head.point_along(d);
            if ctx.field.guarded[kc] && ctx.field.guards.forbidden(p, c) {
                continue;
            }
            let crowded = if old {
                conflicts(ctx, grid, pl, radius, p, c, r)
            } else if r == ra {
                local.crowded(p - pa)
            } else if r <= ra * 1.1 {
                local.crowded_with(p - pa, r)
            } else {
                conflicts(ctx, grid, pl, radius, p, c, r)
            };
            if crowded {
                continue;
            }
            if !bound.keeps(head, p, c, r) {
                deferred.push(Seed { p, c, z, r });
                continue;
            }
            let id = pl.push(p, c, z, session);
            radius.push(r);
            grid.insert(id, c);
            got[z as usize] += 1;
            active.push(id);
            if !old {
                local.push(p - pa, r, ra);
            }
        }
    }
}
