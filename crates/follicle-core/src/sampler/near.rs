//! Neighbour search for the sampler: a uniform grid over the chart with a linked list of impressions per
//! cell, and the short list of one active impression's neighbours its candidates are tested against.

use super::NONE;
use crate::field::Field;
use crate::geom::{Chart2, Vec3};

/// Interleaves the bits of a grid cell's coordinates (Z-order), for spatially coherent visiting orders.
pub(super) fn morton((i, j): (usize, usize)) -> u64 {
    fn spread(mut x: u64) -> u64 {
        x &= 0xFFFF_FFFF;
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
        x = (x | (x << 2)) & 0x3333_3333_3333_3333;
        (x | (x << 1)) & 0x5555_5555_5555_5555
    }
    spread(i as u64) | (spread(j as u64) << 1)
}

/// Uniform grid over the chart with per-cell linked lists of impressions.
pub(super) struct Grid {
    u0: f64,
    v0: f64,
    inv: f64,
    nu: usize,
    nv: usize,
    head: Vec<u32>,
    next: Vec<u32>,
}

impl Grid {
    pub(super) fn new(field: &Field, cell: f64) -> Self {
        Grid::rows(field, cell, f64::NEG_INFINITY, f64::INFINITY)
    }
    /// A grid over the chart's rows between chart v `lo` and `hi` only (clamped to the chart); impressions
    /// and queries beyond them fall into its first or last row.
    pub(super) fn rows(field: &Field, cell: f64, lo: f64, hi: f64) -> Self {
        let nu = ((field.nu as f64 * field.cell) / cell).ceil() as usize + 1;
        let end = field.v0 + field.nv as f64 * field.cell;
        let (lo, hi) = (lo.clamp(field.v0, end), hi.clamp(field.v0, end));
        let nv = ((hi - lo).max(0.0) / cell).ceil() as usize + 1;
        Grid {
            u0: field.u0,
            v0: lo,
            inv: 1.0 / cell,
            nu,
            nv,
            head: vec![NONE; nu * nv],
            next: Vec::new(),
        }
    }
    #[inline]
    pub(super) fn cell_of(&self, c: Chart2) -> (usize, usize) {
        let i = (((c.u - self.u0) * self.inv) as isize).clamp(0, self.nu as isize - 1) as usize;
        let j = (((c.v - self.v0) * self.inv) as isize).clamp(0, self.nv as isize - 1) as usize;
        (i, j)
    }
    #[inline]
    pub(super) fn insert(&mut self, idx: u32, c: Chart2) {
        if self.next.len() <= idx as usize {
            self.next.resize(idx as usize + 1, NONE);
        }
        let (i, j) = self.cell_of(c);
        let k = j * self.nu + i;
        self.next[idx as usize] = self.head[k];
        self.head[k] = idx;
    }
    pub(super) fn remove(&mut self, idx: u32, c: Chart2) {
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
    pub(super) fn any_near(&self, c: Chart2, reach: f64, mut f: impl FnMut(u32) -> bool) -> bool {
        // Casting a non-negative float truncates, which is floor (and avoids a libm call).
        let i0 = ((c.u - reach - self.u0) * self.inv).max(0.0) as usize;
        let j0 = ((c.v - reach - self.v0) * self.inv).max(0.0) as usize;
        let i1 = (((c.u + reach - self.u0) * self.inv).max(0.0) as usize).min(self.nu - 1);
        let j1 = (((c.v + reach - self.v0) * self.inv).max(0.0) as usize).min(self.nv - 1);
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

/// Conflict distance between a new impression of radius `r` and an existing one of radius `rq`: the mean of
/// the two radii, the larger counted as at most [`STEP`] times the smaller. Symmetric, so across a density
/// step between zones (5/cm² beside 85/cm²) neither side keeps a strip of its own radius clear along the
/// border: the lighter zone reaches its border as the denser one does and holds its count without packing
/// its inside tighter. At most (1 + `STEP`) / 2 · r = 1.5r.
#[inline]
pub(super) fn limit(r: f64, rq: f64) -> f64 {
    if rq > 0.0 {
        0.5 * (r.min(rq * STEP) + rq.min(r * STEP))
    } else {
        r
    }
}

/// The most one radius counts for beside a smaller one in [`limit`].
pub(super) const STEP: f64 = 2.0;

/// What impression `i` of radius `ri` measures its spacing to a neighbour of radius `rj` in (the
/// elimination's crowding, in [`limit`]'s terms), as a factor on the squared distance over `ri`²: 1 unless
/// `ri` is more than [`STEP`] times `rj`, where the pair's conflict distance is (`STEP` + 1) / 2 = 1.5 times `rj`.
#[inline]
pub(super) fn spacing_factor2(ri: f64, rj: f64) -> f64 {
    if rj > 0.0 && ri > rj * STEP {
        let f = ri / (0.5 * (STEP + 1.0) * rj);
        f * f
    } else {
        1.0
    }
}

/// The neighbours of one active impression, relative to it, in f32 lanes for a vectorised scan.
#[derive(Default)]
pub(super) struct Local {
    x: Vec<f32>,
    y: Vec<f32>,
    z: Vec<f32>,
    r: Vec<f32>,
    /// Squared conflict distance for a candidate with the active impression's radius.
    lim2: Vec<f32>,
}

impl Local {
    #[inline]
    pub(super) fn clear(&mut self) {
        self.x.clear();
        self.y.clear();
        self.z.clear();
        self.r.clear();
        self.lim2.clear();
    }
    #[inline]
    pub(super) fn push(&mut self, d: Vec3, rq: f64, ra: f64) {
        self.x.push(d.x as f32);
        self.y.push(d.y as f32);
        self.z.push(d.z as f32);
        self.r.push(rq as f32);
        let l = limit(ra, rq);
        self.lim2.push((l * l) as f32);
    }
    /// Whether a candidate at offset `d` with the active impression's radius crowds any neighbour.
    #[inline]
    pub(super) fn crowded(&self, d: Vec3) -> bool {
        let (px, py, pz) = (d.x as f32, d.y as f32, d.z as f32);
        let lanes = self
            .x
            .chunks_exact(8)
            .zip(self.y.chunks_exact(8))
            .zip(self.z.chunks_exact(8))
            .zip(self.lim2.chunks_exact(8));
        for (((cx, cy), cz), cl) in lanes {
            let (cx, cy, cz, cl): (&[f32; 8], &[f32; 8], &[f32; 8], &[f32; 8]) = (
                cx.try_into().unwrap(),
                cy.try_into().unwrap(),
                cz.try_into().unwrap(),
                cl.try_into().unwrap(),
            );
            let mut hit = false;
            for t in 0..8 {
                let (dx, dy, dz) = (cx[t] - px, cy[t] - py, cz[t] - pz);
                hit |= dx * dx + dy * dy + dz * dz < cl[t];
            }
            if hit {
                return true;
            }
        }
        let rest = self.x.len() / 8 * 8;
        self.x[rest..]
            .iter()
            .zip(&self.y[rest..])
            .zip(&self.z[rest..])
            .zip(&self.lim2[rest..])
            .any(|(((x, y), z), l)| {
                let (dx, dy, dz) = (x - px, y - py, z - pz);
                dx * dx + dy * dy + dz * dz < *l
            })
    }
    /// The same test for a candidate with its own radius `r`.
    #[inline]
    pub(super) fn crowded_with(&self, d: Vec3, r: f64) -> bool {
        (0..self.x.len()).any(|t| {
            let l = limit(r, self.r[t] as f64) as f32;
            let (dx, dy, dz) = (
                self.x[t] - d.x as f32,
                self.y[t] - d.y as f32,
                self.z[t] - d.z as f32,
            );
            dx * dx + dy * dy + dz * dz < l * l
        })
    }
}
