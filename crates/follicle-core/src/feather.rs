//! Feathered zone borders: a density step between two zones, or the end of a blend zone at the natural
//! edge of the retained hair, is spread over a band instead of ending at a raster line, so no border reads
//! as a ring or a polygon edge on the healed head.
//!
//! - Toward a denser zone: within [`STEP_FEATHER_MM`] of it, a lighter hairline, scar or blend zone's
//!   density rises linearly toward the denser one's at the border.
//! - Between two density zones: the denser one falls linearly to the lighter one's density at the border
//!   over [`STEP_FEATHER_MM`], and the rest of it carries what the ramp left out (its density scaled by the
//!   same factor everywhere), so its impression count stays its target times its area, which is what the
//!   practitioner typed and what plan checks measure; the lighter side never rises above its own target,
//!   where its spacing is measured. Where the denser zone is too small to carry its ramp within
//!   [`MAX_CARRY`], the ramp keeps its width and goes less deep, and the zone's impressions shrink toward
//!   the border instead ([`DensityRamps::dot_scale`]), so the tone still fades over the width.
//! - Blend zones (SMP among retained hair) fade out toward untreated skin over [`EDGE_FEATHER_MM`], with a
//!   seeded irregular width, as hair thins toward the nape and around the ears.
//!
//! Exclusions never take part: their cells keep no density, and a border with them stays sharp.

use crate::design::{ZoneKind, ZoneSpec};
use crate::field::NO_ZONE;
use crate::geom::Vec3;
use crate::noise::ValueNoise;
use crate::parallel::{by_rows, by_rows_pair, Serial, Workers};

mod borders;
use borders::Borders;

/// Width of the ramp between zones of different densities, mm.
pub const STEP_FEATHER_MM: f64 = 10.0;
/// The most a density zone's density is raised to carry its own ramp toward a lighter density zone (a
/// share of its target): more would crowd its spacing below what plan checks accept.
pub const MAX_CARRY: f64 = 0.05;
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

/// How a density zone ramps down toward lighter density zones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DensityRamp {
    /// Share of the way down to the lighter neighbour's density that the ramp goes at the border: 1 for a
    /// full ramp, less for a zone too small to carry it within [`MAX_CARRY`]; 0 where there is no ramp.
    pub depth: f64,
    /// Factor by which the zone's density away from the ramp is raised to hold its count (1 where there is
    /// no ramp; at most 1 + [`MAX_CARRY`]).
    pub carry: f64,
    /// The lowest share of its target density the zone comes down to (where it comes nearest its lighter
    /// neighbours; 1 where there is no ramp).
    pub lowest: f64,
}

impl DensityRamp {
    /// No ramp: a zone without lighter density neighbours (or not a density zone).
    pub const NONE: DensityRamp = DensityRamp {
        depth: 0.0,
        carry: 1.0,
        lowest: 1.0,
    };
}

/// The density zones' ramps toward lighter density zones: one per zone, and the scale of the impressions'
/// diameters per cell so that density × dot area (the tone the zone lays down) follows the full ramp where
/// the density can only go part way, and stays at the target where the carry raised the density.
#[derive(Clone, Debug, PartialEq)]
pub struct DensityRamps {
    /// Per zone.
    pub zones: Vec<DensityRamp>,
    /// Per raster cell, at most 1; empty when no zone ramps (1 everywhere).
    pub dot_scale: Vec<f32>,
}

/// Density multipliers (≥ 0) that feather the zone borders of `input`, one per cell (1 away from borders),
/// and each zone's ramp toward lighter density zones.
pub fn feather(input: &FeatherInput, zones: &[ZoneSpec], seed: u64) -> (Vec<f32>, DensityRamps) {
    let mut out = vec![1.0f32; input.nu * input.nv];
    let ramps = feather_into(input, zones, seed, &mut out, &Serial);
    (out, ramps)
}

/// Multiplies `mult` (one per cell) by [`feather`]'s multipliers, its rows in parts run by `workers` (the
/// same products, bit for bit, however they run); returns the density zones' ramps toward lighter ones.
pub fn feather_into(
    input: &FeatherInput,
    zones: &[ZoneSpec],
    seed: u64,
    mult: &mut [f32],
    workers: &dyn Workers,
) -> DensityRamps {
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
    let is_density = |z: u8| z != NO_ZONE && zones[z as usize].kind == ZoneKind::Density;
    // A step between two density zones: the denser one ramps down to the lighter.
    let density_step =
        |a: u8, b: u8| is_density(a) && is_density(b) && dens[a as usize] != dens[b as usize];
    let relevant = |a: u8, b: u8| {
        a != b
            && (raises(a)
                || raises(b)
                || (blend(a) && b == NO_ZONE)
                || (blend(b) && a == NO_ZONE)
                || density_step(a, b))
    };
    let width_noise = ValueNoise::new(seed ^ 0xFEA7_0E12, 9.0);
    let reach = STEP_FEATHER_MM.max(EDGE_FEATHER_MM * 1.4);
    // Only cells within reach of a zone change can change: mark the borders, then widen the marks by the
    // reach in cells (separably: rows, then columns) so the search below skips the interiors.
    // The smallest cell side (the square root of the smallest area: the root keeps the order).
    let min_cell = (area
        .iter()
        .zip(zone)
        .filter(|(_, &z)| z != NO_ZONE)
        .map(|(&a, _)| a)
        .fold(f32::INFINITY, f32::min) as f64)
        .sqrt()
        .max(0.2);
    let widen = (reach / min_cell).ceil() as usize;
    // A cell that differs from its right or lower neighbour marks itself and both of them (in bands of
    // rows, each row then widened in its band; the columns are swept in memory order).
    let differs = |i: usize, j: usize| {
        let k = j * nu + i;
        (i + 1 < nu && relevant(zone[k], zone[k + 1]))
            || (j + 1 < nv && relevant(zone[k], zone[k + nu]))
    };
    let mut rows = vec![false; n];
    by_rows(workers, &mut rows, nu, |first, band| {
        let mut near = vec![false; nu];
        for (r, wide) in band.chunks_mut(nu).enumerate() {
            let j = first + r;
            for (i, x) in near.iter_mut().enumerate() {
                *x = differs(i, j) || (i > 0 && differs(i - 1, j)) || (j > 0 && differs(i, j - 1));
            }
            widen_line(&near, wide, widen);
        }
    });
    let active = widen_marks(&rows, nu, nv, widen, false);
    assert_eq!(mult.len(), n, "one multiplier per cell");
    // Per density cell near a lighter density zone: its full ramp factor (1 elsewhere); applied after the
    // pass, once each zone's depth is known.
    let mut lowered = vec![1.0f32; n];
    let borders = Borders::new(nu, nv, zone, face);
    // Which density zones have a lighter density zone to ramp toward at all: the others' cells skip the
    // search, which finds nothing for them (a full scalp at one density: 17 % of the whole command).
    let has_lighter: Vec<bool> = (0..zones.len())
        .map(|z| {
            zones.iter().enumerate().any(|(m, zm)| {
                m != z && zm.kind == ZoneKind::Density && dens[m] > 0.0 && dens[m] < dens[z]
            })
        })
        .collect();
    by_rows_pair(workers, mult, &mut lowered, nu, |first, band, lows| {
        for (dk, (mult_k, low_k)) in band.iter_mut().zip(lows.iter_mut()).enumerate() {
            let k = first * nu + dk;
            let z = zone[k];
            if !active[k] {
                continue;
            }
            let rho = density(z);
            if rho <= 0.0 {
                continue;
            }
            if zones[z as usize].kind == ZoneKind::Density {
                if has_lighter[z as usize] {
                    *low_k = density_ramp(input, &borders, &dens, zones, k, rho);
                }
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
            // The nearest cell of another zone, or of untreated skin, lies on a border (borders.rs).
            for m in (j0..=j1).flat_map(|jj| borders.in_row(jj, i0, i1)) {
                let zm = zone[m];
                if zm == z {
                    continue;
                }
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
            let edge_mm = edge2.sqrt();
            let mut f = best / rho;
            if edge_mm.is_finite() {
                let w = EDGE_FEATHER_MM * (0.6 + 0.8 * width_noise.at(p));
                let t = (edge_mm / w).clamp(0.0, 1.0);
                f *= t * t * (3.0 - 2.0 * t);
            }
            *mult_k *= f as f32;
        }
    });
    carry_density_ramps(input, zones, &lowered, mult)
}

/// A density cell's ramp factor toward the lighter density zones within [`STEP_FEATHER_MM`]: linear from
/// the lightest neighbour's density at the border to this zone's own at the full width (the lowest over the
/// neighbours; 1 where none).
fn density_ramp(
    input: &FeatherInput,
    borders: &Borders,
    dens: &[f64],
    zones: &[ZoneSpec],
    k: usize,
    rho: f64,
) -> f32 {
    let FeatherInput {
        nu,
        nv,
        zone,
        area,
        centre,
        ..
    } = *input;
    let z = zone[k];
    let cell_mm = (area[k] as f64).sqrt().max(0.2);
    let r = (STEP_FEATHER_MM / cell_mm).ceil() as isize;
    let (i, j) = ((k % nu) as isize, (k / nu) as isize);
    let p = centre[k];
    let step2 = STEP_FEATHER_MM * STEP_FEATHER_MM;
    let mut low = rho;
    let (i0, i1) = (
        (i - r).max(0) as usize,
        (i + r).min(nu as isize - 1) as usize,
    );
    // The nearest cell of a lighter zone lies on its border (borders.rs).
    let rows = (j - r).max(0) as usize..=(j + r).min(nv as isize - 1) as usize;
    for m in rows.flat_map(|jj| borders.in_row(jj, i0, i1)) {
        let zm = zone[m];
        if zm == z || zm == NO_ZONE || zones[zm as usize].kind != ZoneKind::Density {
            continue;
        }
        let rm = dens[zm as usize];
        // Only a lighter neighbour within the ramp can lower this cell (checked before the distance).
        if rm >= low || rm <= 0.0 {
            continue;
        }
        let d2 = (p - centre[m]).norm2();
        if d2 < step2 {
            low = low.min(rm + (rho - rm) * d2.sqrt() / STEP_FEATHER_MM);
        }
    }
    (low / rho) as f32
}

/// Applies the density zones' ramps (`lowered`, from [`density_ramp`]) to `mult` so that each zone still
/// holds its target count: the zone's cells are scaled up together by what its ramp left out. A zone that
/// would need more than [`MAX_CARRY`] (one small beside its lighter neighbours) keeps the ramp's width and
/// takes a shallower one: `1 − depth × (1 − ramp)`, its deficit proportional to the depth.
fn carry_density_ramps(
    input: &FeatherInput,
    zones: &[ZoneSpec],
    lowered: &[f32],
    mult: &mut [f32],
) -> DensityRamps {
    let (zone, area) = (input.zone, input.area);
    if lowered.iter().all(|&f| f >= 1.0) {
        return DensityRamps {
            zones: vec![DensityRamp::NONE; zones.len()],
            dot_scale: Vec::new(),
        };
    }
    let nz = zones.len();
    // Σ area × multiplier per zone (what its count stands on), and what the full ramp leaves out of it.
    let (mut weighted, mut deficit) = (vec![0.0f64; nz], vec![0.0f64; nz]);
    for k in 0..zone.len() {
        if zone[k] != NO_ZONE {
            let (z, w) = (zone[k] as usize, (area[k] * mult[k]) as f64);
            weighted[z] += w;
            deficit[z] += w * (1.0 - lowered[k] as f64);
        }
    }
    let mut ramps: Vec<DensityRamp> = (0..nz)
        .map(|z| {
            if deficit[z] <= 0.0 || weighted[z] <= 0.0 {
                return DensityRamp::NONE;
            }
            let depth = (weighted[z] * MAX_CARRY / (1.0 + MAX_CARRY) / deficit[z]).min(1.0);
            let carry = weighted[z] / (weighted[z] - depth * deficit[z]);
            DensityRamp {
                depth,
                carry,
                lowest: carry,
            }
        })
        .collect();
    let mut dot_scale = vec![1.0f32; zone.len()];
    for k in 0..zone.len() {
        if zone[k] != NO_ZONE {
            let r = ramps[zone[k] as usize];
            if r.carry != 1.0 {
                let f = (1.0 - r.depth * (1.0 - lowered[k] as f64)) * r.carry;
                let lowest = &mut ramps[zone[k] as usize].lowest;
                *lowest = lowest.min(f);
                mult[k] = (mult[k] as f64 * f) as f32;
                // Dot area × density as the full ramp would lay it down (never larger dots).
                dot_scale[k] = (lowered[k] as f64 / f).sqrt().min(1.0) as f32;
            }
        }
    }
    DensityRamps {
        zones: ramps,
        dot_scale,
    }
}

/// Marks every cell within `by` cells of a marked one along rows (`along_rows`) or along columns. Both
/// sweep the raster in memory order (the columns all at once, row after row), so the column pass does not
/// stride through memory.
pub(crate) fn widen_marks(
    marks: &[bool],
    nu: usize,
    nv: usize,
    by: usize,
    along_rows: bool,
) -> Vec<bool> {
    let mut out = vec![false; marks.len()];
    if nu == 0 {
        return out;
    }
    if along_rows {
        for (line, wide) in marks.chunks(nu).zip(out.chunks_mut(nu)) {
            widen_line(line, wide, by);
        }
        return out;
    }
    // Per column, the row of the nearest mark above (then below) the current row.
    let mut last: Vec<Option<usize>> = vec![None; nu];
    for j in 0..nv {
        let row = j * nu..(j + 1) * nu;
        for ((&m, w), l) in marks[row.clone()].iter().zip(&mut out[row]).zip(&mut last) {
            if m {
                *l = Some(j);
            }
            *w |= l.is_some_and(|l| j - l <= by);
        }
    }
    let mut next: Vec<Option<usize>> = vec![None; nu];
    for j in (0..nv).rev() {
        let row = j * nu..(j + 1) * nu;
        for ((&m, w), l) in marks[row.clone()].iter().zip(&mut out[row]).zip(&mut next) {
            if m {
                *l = Some(j);
            }
            *w |= l.is_some_and(|l| l - j <= by);
        }
    }
    out
}

/// Marks in `wide` every cell of a line within `by` cells of a marked one in `line`.
fn widen_line(line: &[bool], wide: &mut [bool], by: usize) {
    // Distance to the nearest mark before and after each cell of the line.
    let mut last: Option<usize> = None;
    for (k, (&m, w)) in line.iter().zip(wide.iter_mut()).enumerate() {
        if m {
            last = Some(k);
        }
        *w = last.is_some_and(|l| k - l <= by);
    }
    let mut next: Option<usize> = None;
    for (k, (&m, w)) in line.iter().zip(wide.iter_mut()).enumerate().rev() {
        if m {
            next = Some(k);
        }
        *w |= next.is_some_and(|l| l - k <= by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: a cell is marked when a marked cell of its row (or column) lies within `by` cells.
    fn widened_by_definition(
        marks: &[bool],
        nu: usize,
        nv: usize,
        by: usize,
        along_rows: bool,
    ) -> Vec<bool> {
        (0..nu * nv)
            .map(|k| {
                let (i, j) = (k % nu, k / nu);
                (0..nu * nv).any(|m| {
                    let (mi, mj) = (m % nu, m / nu);
                    marks[m]
                        && if along_rows {
                            mj == j && mi.abs_diff(i) <= by
                        } else {
                            mi == i && mj.abs_diff(j) <= by
                        }
                })
            })
            .collect()
    }

    /// Two density zones side by side on a flat raster of 0.5 mm cells (`split` columns of the denser, the
    /// rest of the lighter): the multipliers and the denser zone's ramp.
    fn two_density_zones(
        dense: f64,
        light: f64,
        nu: usize,
        split: usize,
    ) -> (Vec<f32>, DensityRamps) {
        use crate::design::Region;
        let nv = 60;
        let zone: Vec<u8> = (0..nu * nv).map(|k| u8::from(k % nu >= split)).collect();
        let centre: Vec<Vec3> = (0..nu * nv)
            .map(|k| Vec3::new((k % nu) as f64 * 0.5, (k / nu) as f64 * 0.5, 0.0))
            .collect();
        let zones: Vec<ZoneSpec> = [("dense", dense), ("light", light)]
            .iter()
            .map(|&(id, d)| {
                let mut z =
                    crate::presets::user_zone(id, ZoneKind::Density, Region::Polygon(vec![]));
                z.density_cm2 = d;
                z
            })
            .collect();
        let input = FeatherInput {
            nu,
            nv,
            zone: &zone,
            area: &vec![0.25; nu * nv],
            centre: &centre,
            face: &vec![false; nu * nv],
        };
        feather(&input, &zones, 7)
    }

    #[test]
    fn a_density_step_ramps_inside_the_denser_zone_and_keeps_both_counts() {
        // 150 mm of 85/cm² beside 50 mm of 30/cm²: a full ramp.
        let (nu, split) = (400, 300);
        let (mult, ramps) = two_density_zones(85.0, 30.0, nu, split);
        let r = ramps.zones[0];
        assert_eq!(r.depth, 1.0);
        assert!(r.carry > 1.0 && r.carry <= 1.0 + MAX_CARRY, "{r:?}");
        assert_eq!(ramps.zones[1], DensityRamp::NONE);
        // The counts: Σ multiplier over each zone equals its cells (the lighter zone untouched).
        let sum = |dense: bool| -> f64 {
            mult.iter()
                .enumerate()
                .filter(|(k, _)| (k % nu < split) == dense)
                .map(|(_, &m)| m as f64)
                .sum()
        };
        assert!((sum(true) / (60.0 * split as f64) - 1.0).abs() < 1e-5);
        assert!(mult
            .iter()
            .enumerate()
            .all(|(k, &m)| k % nu < split || m == 1.0));
        // Row 30: 30/85 at the border (half a cell in), halfway at 5 mm, the carried 1 beyond 10 mm.
        let at_mm = |mm: f64| mult[30 * nu + split - 1 - (mm / 0.5) as usize] as f64 / r.carry;
        assert!(
            (at_mm(0.0) - (30.0 + 55.0 * 0.05) / 85.0).abs() < 0.01,
            "{}",
            at_mm(0.0)
        );
        assert!(
            (at_mm(5.0) - (30.0 + 55.0 * 0.55) / 85.0).abs() < 0.01,
            "{}",
            at_mm(5.0)
        );
        assert!((at_mm(12.0) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_zone_too_small_for_its_ramp_goes_part_way_within_the_carry() {
        // 15 mm of 85/cm² beside 30/cm²: a full ramp would leave out a third of it.
        let (mult, ramps) = two_density_zones(85.0, 30.0, 60, 30);
        let r = ramps.zones[0];
        assert!(r.depth > 0.0 && r.depth < 0.5, "{r:?}");
        assert!((r.carry - (1.0 + MAX_CARRY)).abs() < 1e-9, "{r:?}");
        let dense: f64 = mult
            .iter()
            .enumerate()
            .filter(|(k, _)| k % 60 < 30)
            .map(|(_, &m)| m as f64)
            .sum();
        assert!((dense / (60.0 * 30.0) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn widened_marks_reach_exactly_by_cells_along_rows_and_columns() {
        let (nu, nv) = (11, 9);
        // A seeded scatter of marks, the raster's corners among them.
        let marks: Vec<bool> = (0..nu * nv)
            .map(|k| k == 0 || k == nu * nv - 1 || (k * 7919 + 13) % 17 == 0)
            .collect();
        for by in [0, 1, 2, 5, 20] {
            for along_rows in [true, false] {
                assert_eq!(
                    widen_marks(&marks, nu, nv, by, along_rows),
                    widened_by_definition(&marks, nu, nv, by, along_rows),
                    "by {by}, along rows {along_rows}"
                );
            }
        }
        assert!(widen_marks(&[], 0, 0, 3, false).is_empty());
    }
}
