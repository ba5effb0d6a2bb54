//! Feathered zone borders: a density step between two zones, or the end of a blend zone at the natural
//! edge of the retained hair, is spread over a band instead of ending at a raster line, so no border reads
//! as a ring or a polygon edge on the healed head.
//!
//! - Between zones: within [`STEP_FEATHER_MM`] of a denser zone, a lighter hairline, scar or blend zone's
//!   density rises linearly toward the denser one's at the border. Only that lighter side changes, and
//!   density zones never do, so a density zone's own target (what the practitioner typed, and what plan
//!   checks measure) holds everywhere; a step between two density zones stays as designed.
//! - Blend zones (SMP among retained hair) fade out toward untreated skin over [`EDGE_FEATHER_MM`], with a
//!   seeded irregular width, as hair thins toward the nape and around the ears.
//!
//! Exclusions never take part: their cells keep no density, and a border with them stays sharp.

use crate::design::{ZoneKind, ZoneSpec};
use crate::field::NO_ZONE;
use crate::geom::Vec3;
use crate::noise::ValueNoise;
use crate::parallel::{by_rows, Serial, Workers};

/// Width of the ramp between zones of different densities, mm.
pub const STEP_FEATHER_MM: f64 = 10.0;
/// Width of the fade of a blend zone into untreated skin, mm (on average; seeded ±40 %).
pub const EDGE_FEATHER_MM: f64 = 8.0;

/// The raster a feather pass works on (one cell per entry).
pub struct FeatherInput<'a> {
    /// Raster columns.
    pub nu: usize,
    /// Raster rows.
    pub nv: usize,
    /// Zone per cell.
    pub zone: &'a [u8],
    /// Cell surface areas, mm².
    pub area: &'a [f32],
    /// Cell centres on the surface.
    pub centre: &'a [Vec3],
    /// Cells that can never be treated and where a blend zone must not fade (face, brows): the fade
    /// applies only toward other untreated cells (retained hair's natural edge).
    pub face: &'a [bool],
}

/// Density multipliers (≥ 0) that feather the zone borders of `input`, one per cell (1 away from borders).
pub fn feather(input: &FeatherInput, zones: &[ZoneSpec], seed: u64) -> Vec<f32> {
    feather_on(input, zones, seed, &Serial)
}

/// [`feather`], its rows computed in parts by `workers` (the same multipliers, bit for bit).
pub fn feather_on(
    input: &FeatherInput,
    zones: &[ZoneSpec],
    seed: u64,
    workers: &dyn Workers,
) -> Vec<f32> {
    let FeatherInput {
        nu,
        nv,
        zone,
        area,
        centre,
        face,
    } = *input;
    let n = nu * nv;
    let density = |z: u8| -> f64 {
        if z == NO_ZONE || zones[z as usize].kind == ZoneKind::Exclusion {
            -1.0
        } else {
            zones[z as usize].target_density_cm2()
        }
    };
    let dens: Vec<f64> = (0..zones.len()).map(|z| density(z as u8)).collect();
    // Only borders where something can change count: next to a zone denser than the lightest zone that
    // rises (it may raise a neighbour within the ramp), or a blend zone's edge with untreated skin. The
    // nearest cell of a raising zone is always on its border, so every cell a raising zone reaches lies
    // within the widened marks.
    let lightest_rising = zones
        .iter()
        .enumerate()
        .filter(|(_, z)| z.kind != ZoneKind::Density && z.kind != ZoneKind::Exclusion)
        .map(|(i, _)| dens[i])
        .filter(|&d| d > 0.0)
        .fold(f64::INFINITY, f64::min);
    let raises = |z: u8| z != NO_ZONE && dens[z as usize] > lightest_rising;
    let blend = |z: u8| z != NO_ZONE && zones[z as usize].kind == ZoneKind::Blend;
    let relevant = |a: u8, b: u8| {
        a != b
            && (raises(a) || raises(b) || (blend(a) && b == NO_ZONE) || (blend(b) && a == NO_ZONE))
    };
    let width_noise = ValueNoise::new(seed ^ 0xFEA7_0E12, 9.0);
    let reach = STEP_FEATHER_MM.max(EDGE_FEATHER_MM * 1.4);
    // Only cells within reach of a zone change can change: mark the borders, then widen the marks by the
    // reach in cells (separably: rows, then columns) so the search below skips the interiors.
    let min_cell = area
        .iter()
        .zip(zone)
        .filter(|(_, &z)| z != NO_ZONE)
        .map(|(&a, _)| (a as f64).sqrt())
        .fold(f64::INFINITY, f64::min)
        .max(0.2);
    let widen = (reach / min_cell).ceil() as usize;
    let mut near = vec![false; n];
    for j in 0..nv {
        for i in 0..nu {
            let k = j * nu + i;
            let differs = (i + 1 < nu && relevant(zone[k], zone[k + 1]))
                || (j + 1 < nv && relevant(zone[k], zone[k + nu]));
            if differs {
                near[k] = true;
                if i + 1 < nu {
                    near[k + 1] = true;
                }
                if j + 1 < nv {
                    near[k + nu] = true;
                }
            }
        }
    }
    let rows = widen_marks(&near, nu, nv, widen, true);
    let active = widen_marks(&rows, nu, nv, widen, false);
    let mut out = vec![1.0f32; n];
    by_rows(workers, &mut out, nu, |first, band| {
        for (dk, out_k) in band.iter_mut().enumerate() {
            let k = first * nu + dk;
            let z = zone[k];
            if !active[k] {
                continue;
            }
            let rho = density(z);
            if rho <= 0.0 {
                continue;
            }
            // A density zone holds its own target everywhere (what the practitioner typed and what plan
            // checks measure); the other kinds (hairline, scar, blend) take the feather.
            let rises = zones[z as usize].kind != ZoneKind::Density;
            if !rises {
                continue;
            }
            let is_blend = zones[z as usize].kind == ZoneKind::Blend;
            let cell_mm = (area[k] as f64).sqrt().max(0.2);
            // A blend zone looks as far as its fade can reach; the others only as far as the ramp.
            let r = ((if is_blend { reach } else { STEP_FEATHER_MM }) / cell_mm).ceil() as isize;
            let (i, j) = ((k % nu) as isize, (k / nu) as isize);
            let p = centre[k];
            let mut best = rho;
            let mut edge2 = f64::INFINITY;
            let step2 = STEP_FEATHER_MM * STEP_FEATHER_MM;
            let (j0, j1) = (
                (j - r).max(0) as usize,
                (j + r).min(nv as isize - 1) as usize,
            );
            let (i0, i1) = (
                (i - r).max(0) as usize,
                (i + r).min(nu as isize - 1) as usize,
            );
            for jj in j0..=j1 {
                let row = jj * nu;
                for (m, &zm) in zone[row + i0..=row + i1].iter().enumerate() {
                    if zm == z {
                        continue;
                    }
                    let m = row + i0 + m;
                    if zm == NO_ZONE {
                        if is_blend && !face[m] {
                            edge2 = edge2.min((p - centre[m]).norm2());
                        }
                        continue;
                    }
                    // Only a denser neighbour within the ramp can raise this cell (checked before the distance).
                    let rm = dens[zm as usize];
                    if rm > best {
                        let d2 = (p - centre[m]).norm2();
                        if d2 < step2 {
                            let d = d2.sqrt();
                            best = best.max(rm + (rho - rm) * d / STEP_FEATHER_MM);
                        }
                    }
                }
            }
            let edge_mm = edge2.sqrt();
            let mut f = best / rho;
            if edge_mm.is_finite() {
                let w = EDGE_FEATHER_MM * (0.6 + 0.8 * width_noise.at(p));
                let t = (edge_mm / w).clamp(0.0, 1.0);
                f *= t * t * (3.0 - 2.0 * t);
            }
            *out_k = f as f32;
        }
    });
    out
}

/// Marks every cell within `by` cells of a marked one along rows (`along_rows`) or along columns.
fn widen_marks(marks: &[bool], nu: usize, nv: usize, by: usize, along_rows: bool) -> Vec<bool> {
    let (lines, len) = if along_rows { (nv, nu) } else { (nu, nv) };
    let at = |line: usize, k: usize| {
        if along_rows {
            line * nu + k
        } else {
            k * nu + line
        }
    };
    let mut out = vec![false; marks.len()];
    for line in 0..lines {
        // Distance to the nearest mark before and after each cell of the line.
        let mut last: Option<usize> = None;
        for k in 0..len {
            if marks[at(line, k)] {
                last = Some(k);
            }
            if last.is_some_and(|l| k - l <= by) {
                out[at(line, k)] = true;
            }
        }
        let mut next: Option<usize> = None;
        for k in (0..len).rev() {
            if marks[at(line, k)] {
                next = Some(k);
            }
            if next.is_some_and(|l| l - k <= by) {
                out[at(line, k)] = true;
            }
        }
    }
    out
}
