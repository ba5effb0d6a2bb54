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
            let differs =
                (i + 1 < nu && zone[k + 1] != zone[k]) || (j + 1 < nv && zone[k + nu] != zone[k]);
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
    for k in 0..n {
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
        let is_blend = zones[z as usize].kind == ZoneKind::Blend;
        let cell_mm = (area[k] as f64).sqrt().max(0.2);
        let r = (reach / cell_mm).ceil() as isize;
        let (i, j) = ((k % nu) as isize, (k / nu) as isize);
        let p = centre[k];
        let mut best = rho;
        let mut edge_mm = f64::INFINITY;
        for dj in -r..=r {
            let jj = j + dj;
            if jj < 0 || jj >= nv as isize {
                continue;
            }
            for di in -r..=r {
                let ii = i + di;
                if ii < 0 || ii >= nu as isize {
                    continue;
                }
                let m = jj as usize * nu + ii as usize;
                let zm = zone[m];
                if zm == z {
                    continue;
                }
                let d = p.dist(centre[m]);
                if zm == NO_ZONE {
                    if is_blend && !face[m] {
                        edge_mm = edge_mm.min(d);
                    }
                    continue;
                }
                let rm = density(zm);
                if rises && rm > best && d < STEP_FEATHER_MM {
                    best = best.max(rm + (rho - rm) * d / STEP_FEATHER_MM);
                }
            }
        }
        let mut f = best / rho;
        if edge_mm.is_finite() {
            let w = EDGE_FEATHER_MM * (0.6 + 0.8 * width_noise.at(p));
            let t = (edge_mm / w).clamp(0.0, 1.0);
            f *= t * t * (3.0 - 2.0 * t);
        }
        out[k] = f as f32;
    }
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
