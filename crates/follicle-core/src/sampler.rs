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
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::BinaryHeap;

/// Minimum spacing as a fraction of the ideal hexagonal spacing for the fill (before elimination).
pub const FILL_DELTA: f64 = 0.745;
/// Candidate darts thrown around each active impression.
const CANDIDATES: usize = 14;
/// Width of the annulus candidates are thrown in, as a fraction of the radius beyond it.
const ANNULUS: f64 = 0.6;
/// Ideal hexagonal spacing for density ρ (per mm²) is `HEX / sqrt(ρ)` (GUIDE §3: sqrt(2 / (√3 ρ))).
pub const HEX: f64 = 1.074_569_931_823_542;
const NONE: u32 = u32::MAX;

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

/// Uniform grid over the chart with per-cell linked lists of impressions.
struct Grid {
    u0: f64,
    v0: f64,
    inv: f64,
    nu: usize,
    nv: usize,
    head: Vec<u32>,
    next: Vec<u32>,
}

impl Grid {
    fn new(field: &Field, cell: f64) -> Self {
        let nu = ((field.nu as f64 * field.cell) / cell).ceil() as usize + 1;
        let nv = ((field.nv as f64 * field.cell) / cell).ceil() as usize + 1;
        Grid { u0: field.u0, v0: field.v0, inv: 1.0 / cell, nu, nv, head: vec![NONE; nu * nv], next: Vec::new() }
    }
    #[inline]
    fn cell_of(&self, c: Chart2) -> (usize, usize) {
        let i = (((c.u - self.u0) * self.inv) as isize).clamp(0, self.nu as isize - 1) as usize;
        let j = (((c.v - self.v0) * self.inv) as isize).clamp(0, self.nv as isize - 1) as usize;
        (i, j)
    }
    fn insert(&mut self, idx: u32, c: Chart2) {
        if self.next.len() <= idx as usize {
            self.next.resize(idx as usize + 1, NONE);
        }
        let (i, j) = self.cell_of(c);
        let k = j * self.nu + i;
        self.next[idx as usize] = self.head[k];
        self.head[k] = idx;
    }
    fn remove(&mut self, idx: u32, c: Chart2) {
        let (i, j) = self.cell_of(c);
        let k = j * self.nu + i;
        let mut cur = self.head[k];
        let mut prev = NONE;
        while cur != NONE {
            if cur == idx {
                let nx = self.next[cur as usize];
                if prev == NONE {
                    self.head[k] = nx;
                } else {
                    self.next[prev as usize] = nx;
                }
                return;
            }
            prev = cur;
            cur = self.next[cur as usize];
        }
    }
    /// Visits every impression in cells within `reach` chart units of `c`; stops early when `f` returns true.
    #[inline]
    fn any_near(&self, c: Chart2, reach: f64, mut f: impl FnMut(u32) -> bool) -> bool {
        let i0 = (((c.u - reach - self.u0) * self.inv).floor().max(0.0)) as usize;
        let j0 = (((c.v - reach - self.v0) * self.inv).floor().max(0.0)) as usize;
        let i1 = ((((c.u + reach - self.u0) * self.inv).floor()) as usize).min(self.nu - 1);
        let j1 = ((((c.v + reach - self.v0) * self.inv).floor()) as usize).min(self.nv - 1);
        for j in j0..=j1 {
            let row = j * self.nu;
            for i in i0..=i1 {
                let mut cur = self.head[row + i];
                while cur != NONE {
                    if f(cur) {
                        return true;
                    }
                    cur = self.next[cur as usize];
                }
            }
        }
        false
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
}

impl SessionCtx<'_> {
    /// Fill radius at a raster cell, or None where nothing may be placed.
    #[inline]
    fn radius_at_cell(&self, k: usize) -> Option<(u8, f64)> {
        let z = self.field.zone[k];
        if z == NO_ZONE {
            return None;
        }
        let rho = self.rho[z as usize] * self.field.mult[k] as f64;
        if rho <= 1e-9 {
            return None;
        }
        Some((z, self.delta[z as usize] * HEX / rho.sqrt()))
    }
}

/// Ties a session's work to the plan seed.
fn session_rng(seed: u64, session: usize, pass: usize) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(mix64(seed ^ mix64(0x5E55_1000 + session as u64 * 1000 + pass as u64)))
}

/// Cumulative target count of each zone after session `k`: density × fraction × multiplier-weighted area.
pub fn target_counts(field: &Field, zones: &[ZoneSpec], fractions: &[f64], k: usize) -> Vec<usize> {
    zones
        .iter()
        .enumerate()
        .map(|(z, spec)| (spec.target_density_cm2() / 100.0 * spec.fraction_at(fractions, k) * field.zone_weighted_area_mm2[z]).round() as usize)
        .collect()
}

/// Places session `k` (1-based) among the impressions already in `pl`, reaching each zone's target count.
pub fn place_session(head: &Head, field: &Field, zones: &[ZoneSpec], fractions: &[f64], k: usize, seed: u64, pl: &mut Placement) {
    let targets = target_counts(field, zones, fractions, k);
    let nz = zones.len();
    let mut have = vec![0usize; nz];
    for i in 0..pl.len() {
        if pl.alive[i] {
            have[pl.zone[i] as usize] += 1;
        }
    }
    let need: Vec<usize> = (0..nz).map(|z| targets[z].saturating_sub(have[z])).collect();
    if need.iter().all(|&n| n == 0) {
        return;
    }
    let rho: Vec<f64> = zones.iter().map(|s| s.target_density_cm2() / 100.0 * s.fraction_at(fractions, k)).collect();
    let mut ctx = SessionCtx { head, field, rho, delta: vec![FILL_DELTA; nz], open: need.iter().map(|&n| n > 0).collect() };

    // Grid cell: about two radii of the densest zone at the chart centre.
    let max_rho = ctx.rho.iter().cloned().fold(0.0, f64::max).max(1e-6);
    let r_min = FILL_DELTA * HEX / max_rho.sqrt();
    let pole_r = head.radius_along(head.dir_of_chart(Chart2::new(0.0, 0.0)));
    let mut grid = Grid::new(field, 2.0 * r_min / (2.0 * pole_r));
    for i in 0..pl.len() {
        if pl.alive[i] {
            grid.insert(i as u32, pl.chart[i]);
        }
    }
    let first_new = pl.len();
    let mut radius: Vec<f64> = Vec::with_capacity(pl.len() * 2);
    for i in 0..pl.len() {
        radius.push(field.index(pl.chart[i]).and_then(|c| ctx.radius_at_cell(c)).map(|x| x.1).unwrap_or(0.0));
    }

    let mut got = vec![0usize; nz];
    for pass in 0..8 {
        let mut rng = session_rng(seed, k, pass);
        let mut active: Vec<u32> = Vec::new();
        for i in 0..pl.len() {
            if pl.alive[i] && ctx.open[pl.zone[i] as usize] {
                active.push(i as u32);
            }
        }
        // Seeds on a coarse stratified lattice make sure every separate patch of an open zone starts.
        let stride = 12;
        for j in (0..field.nv).step_by(stride) {
            for i in (0..field.nu).step_by(stride) {
                let cj = (j + rng.gen_range(0..stride)).min(field.nv - 1);
                let ci = (i + rng.gen_range(0..stride)).min(field.nu - 1);
                let kc = cj * field.nu + ci;
                let Some((z, r)) = ctx.radius_at_cell(kc) else { continue };
                if !ctx.open[z as usize] {
                    continue;
                }
                let c = Chart2::new(field.u0 + (ci as f64 + rng.gen::<f64>()) * field.cell, field.v0 + (cj as f64 + rng.gen::<f64>()) * field.cell);
                let d = head.dir_of_chart(c);
                let p = head.point_along(d);
                if !conflicts(&ctx, &grid, pl, &radius, p, c, r) {
                    let id = pl.push(p, c, z, k as u16);
                    radius.push(r);
                    grid.insert(id, c);
                    got[z as usize] += 1;
                    active.push(id);
                }
            }
        }
        fill(&ctx, &mut grid, pl, &mut radius, &mut active, &mut got, k as u16, &mut rng);
        let mut short = false;
        for z in 0..nz {
            if ctx.open[z] && got[z] < need[z] {
                ctx.delta[z] *= 0.95;
                short = true;
            } else {
                ctx.open[z] = false;
            }
        }
        if !short {
            break;
        }
        for (i, r) in radius.iter_mut().enumerate().skip(first_new) {
            if ctx.open[pl.zone[i] as usize] {
                *r = field.index(pl.chart[i]).and_then(|c| ctx.radius_at_cell(c)).map(|x| x.1).unwrap_or(*r);
            }
        }
    }
    eliminate(&ctx, &mut grid, pl, &radius, first_new, &got, &need);
}

/// Whether a new impression at `p` with radius `r` would crowd an existing one.
#[inline]
fn conflicts(ctx: &SessionCtx, grid: &Grid, pl: &Placement, radius: &[f64], p: Vec3, c: Chart2, r: f64) -> bool {
    let reach_mm = r * 1.6;
    let dist_c = (p - ctx.head.centre).norm();
    let reach = reach_mm * ctx.head.chart_scale_bound(c, dist_c);
    grid.any_near(c, reach, |j| {
        let rq = radius[j as usize];
        let lim = if rq > 0.0 { 0.5 * (r + rq.min(r * 3.0)) } else { r };
        (pl.pos[j as usize] - p).norm2() < lim * lim
    })
}

/// Bridson-style dart fill from the active impressions until none can spawn more.
#[allow(clippy::too_many_arguments)]
fn fill(ctx: &SessionCtx, grid: &mut Grid, pl: &mut Placement, radius: &mut Vec<f64>, active: &mut Vec<u32>, got: &mut [usize], session: u16, rng: &mut Pcg64Mcg) {
    let head = ctx.head;
    while !active.is_empty() {
        let pick = rng.gen_range(0..active.len());
        let a = active.swap_remove(pick) as usize;
        let pa = pl.pos[a];
        let ra = match ctx.field.index(pl.chart[a]).and_then(|c| ctx.radius_at_cell(c)) {
            Some((_, r)) => r,
            None => continue,
        };
        let (t1, t2) = head.normal(pa).tangent_basis();
        let base = rng.gen::<f64>() * std::f64::consts::TAU;
        for n in 0..CANDIDATES {
            // Stratified angles with jitter cover the annulus evenly.
            let ang = base + (n as f64 + rng.gen::<f64>() * 0.8) * (std::f64::consts::TAU / CANDIDATES as f64);
            let dist = ra * (1.0 + ANNULUS * rng.gen::<f64>());
            let q = pa + (t1 * ang.cos() + t2 * ang.sin()) * dist;
            let d = (q - head.centre).normalized();
            let c = head.chart_of_dir(d);
            let Some(kc) = ctx.field.index(c) else { continue };
            let Some((z, r)) = ctx.radius_at_cell(kc) else { continue };
            if !ctx.open[z as usize] {
                continue;
            }
            let p = head.point_along(d);
            if conflicts(ctx, grid, pl, radius, p, c, r) {
                continue;
            }
            let id = pl.push(p, c, z, session);
            radius.push(r);
            grid.insert(id, c);
            got[z as usize] += 1;
            active.push(id);
        }
    }
}

/// Removes the most crowded new impressions of each over-full zone until it holds exactly its target.
fn eliminate(ctx: &SessionCtx, grid: &mut Grid, pl: &mut Placement, radius: &[f64], first_new: usize, got: &[usize], need: &[usize]) {
    let mut excess: Vec<usize> = got.iter().zip(need).map(|(&g, &n)| g.saturating_sub(n)).collect();
    if excess.iter().all(|&e| e == 0) {
        return;
    }
    let head = ctx.head;
    let spacing = |pl: &Placement, grid: &Grid, i: usize| -> f64 {
        let p = pl.pos[i];
        let r = radius[i];
        let reach = r * 2.5 * head.chart_scale_bound(pl.chart[i], (p - head.centre).norm());
        let mut best = f64::INFINITY;
        grid.any_near(pl.chart[i], reach, |j| {
            if j as usize != i {
                best = best.min((pl.pos[j as usize] - p).norm2());
            }
            false
        });
        best.sqrt().min(r * 2.5) / r
    };
    let mut version = vec![0u32; pl.len()];
    // Max-heap on negated spacing bits = min-heap on spacing; ties broken by index for determinism.
    let key = |s: f64| u64::MAX - (s as f32).to_bits() as u64;
    let mut heap: BinaryHeap<(u64, u32, u32)> = BinaryHeap::new();
    for i in first_new..pl.len() {
        if pl.alive[i] && excess[pl.zone[i] as usize] > 0 {
            heap.push((key(spacing(pl, grid, i)), u32::MAX - i as u32, 0));
        }
    }
    let mut touched: Vec<u32> = Vec::new();
    while let Some((_, inv_i, ver)) = heap.pop() {
        let i = (u32::MAX - inv_i) as usize;
        let z = pl.zone[i] as usize;
        if !pl.alive[i] || ver != version[i] || excess[z] == 0 {
            continue;
        }
        pl.alive[i] = false;
        grid.remove(i as u32, pl.chart[i]);
        excess[z] -= 1;
        if excess.iter().all(|&e| e == 0) {
            break;
        }
        let p = pl.pos[i];
        let reach = radius[i] * 2.5 * head.chart_scale_bound(pl.chart[i], (p - head.centre).norm());
        touched.clear();
        grid.any_near(pl.chart[i], reach, |j| {
            let j = j as usize;
            if j >= first_new && excess[pl.zone[j] as usize] > 0 && (pl.pos[j] - p).norm2() < (radius[j] * 2.5).powi(2) {
                touched.push(j as u32);
            }
            false
        });
        for &j in &touched {
            let j = j as usize;
            version[j] += 1;
            heap.push((key(spacing(pl, grid, j)), u32::MAX - j as u32, version[j]));
        }
    }
}
