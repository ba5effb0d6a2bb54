//! Scar camouflage by tone: at conversational distance a scar must read as the same shade as the scalp
//! around it, not as a lighter or darker patch.
//!
//! What the eye averages at that distance is the share of skin the healed impressions darken, weighted by
//! the pigment's strength: the **ink cover** = impressions per mm² × mean healed dot area (mm²) × strength
//! (0–1). A scar designed with a fine single needle (1RL 0.20 mm, healed dots ≈ 0.14 mm) at 70/cm² among a
//! 3RL 0.25 mm zone at 85/cm² carries about a third of its surroundings' ink cover: it reads as a light
//! patch. So the planner matches each scar zone to the zone that surrounds it:
//!
//! 1. The surroundings are the zone that holds most of the cells bordering the scar (within
//!    [`RING_CELLS`] raster cells). Their tone is taken at their full design density (before coverage):
//!    retained hair supplies the rest of their look, and the scar has none.
//! 2. The factor F = surroundings' ink cover ÷ scar's ink cover (last session's strength, mean healed dot
//!    area of each needle) is applied first to the scar's density, within
//!    [`SCAR_DENSITY_RANGE_CM2`] (scar tissue takes pigment less predictably, so the density stays at most
//!    a little above natural follicular density), and what is left to the scar's pigment strength in every
//!    session (at most undiluted).
//! 3. The plan records the matched density and strengths on the scar zone; planning the stored plan again
//!    matches to the same surroundings and changes nothing (F = 1).
//!
//! The needle stays the practitioner's choice (fine dots are what keeps scar work from blowing out); only
//! density and strength move.

use crate::design::{Needle, ZoneKind, ZoneSpec};
use crate::field::{Field, NO_ZONE};

/// Scar densities the tone match may choose, impressions per cm² of real scalp.
pub const SCAR_DENSITY_RANGE_CM2: (f64, f64) = (30.0, 120.0);
/// Pigment strengths the tone match may choose (1 = undiluted).
pub const SCAR_STRENGTH_RANGE: (f64, f64) = (0.1, 1.0);
/// Width of the ring of cells around a scar whose zones count as its surroundings.
pub const RING_CELLS: usize = 2;

/// Mean healed dot area of a needle, mm²: the healed diameter is uniform over the needle's healed range,
/// so E[d²] = D²·(a² + ab + b²)/3.
pub fn mean_dot_area_mm2(needle: Needle) -> f64 {
    let (a, b) = needle.config.healed_fraction_range();
    let d = needle.diameter_mm;
    std::f64::consts::FRAC_PI_4 * d * d * (a * a + a * b + b * b) / 3.0
}

/// Ink cover of a zone at `density_cm2` with its last session's strength (see the module doc).
pub fn ink_cover(spec: &ZoneSpec, density_cm2: f64) -> f64 {
    let strength = spec.dilution.last().copied().unwrap_or(1.0);
    density_cm2 / 100.0 * mean_dot_area_mm2(spec.needle) * strength
}

/// The scar zone `scar` with its density and strengths matched to the tone of `around` (see the module doc).
pub fn match_scar(scar: &ZoneSpec, around: &ZoneSpec) -> ZoneSpec {
    let mut out = scar.clone();
    let own = ink_cover(scar, scar.target_density_cm2());
    let want = ink_cover(around, around.density_cm2);
    if own <= 0.0 || want <= 0.0 {
        return out;
    }
    let factor = want / own;
    if (factor - 1.0).abs() < 1e-3 {
        return out;
    }
    let target = scar.target_density_cm2();
    let density = (target * factor).clamp(SCAR_DENSITY_RANGE_CM2.0, SCAR_DENSITY_RANGE_CM2.1);
    let density = if (factor >= 1.0) == (density >= target) {
        density
    } else {
        target // already beyond the range in the direction to go: leave the density as designed
    };
    let rest = factor * target / density;
    out.density_cm2 = density / (1.0 - scar.coverage);
    for s in &mut out.dilution {
        *s = round4((*s * rest).clamp(SCAR_STRENGTH_RANGE.0, SCAR_STRENGTH_RANGE.1));
    }
    out.density_cm2 = round4(out.density_cm2);
    out
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The zone that surrounds zone `z` on `field`: the one holding most cells within [`RING_CELLS`] of it
/// (exclusions, scars and untreated skin never count). `None` when nothing treated borders it.
pub fn surroundings(field: &Field, zones: &[ZoneSpec], z: u8) -> Option<usize> {
    let (nu, nv) = (field.nu, field.nv);
    let mut area = vec![0.0f64; zones.len()];
    let r = RING_CELLS as isize;
    for c in field.cells_of(z) {
        let (i, j) = ((c % nu) as isize, (c / nu) as isize);
        for dj in -r..=r {
            for di in -r..=r {
                let (x, y) = (i + di, j + dj);
                if x < 0 || y < 0 || x >= nu as isize || y >= nv as isize {
                    continue;
                }
                let n = y as usize * nu + x as usize;
                let o = field.zone[n];
                if o == NO_ZONE || o == z {
                    continue;
                }
                if matches!(zones[o as usize].kind, ZoneKind::Exclusion | ZoneKind::Scar) {
                    continue;
                }
                area[o as usize] += field.area[n] as f64;
            }
        }
    }
    area.iter()
        .enumerate()
        .filter(|(_, &a)| a > 0.0)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i)
}

/// The zones with every scar zone matched to its surroundings on `field`; `None` when nothing changes.
pub fn match_scars(field: &Field, zones: &[ZoneSpec]) -> Option<Vec<ZoneSpec>> {
    let mut out = zones.to_vec();
    let mut changed = false;
    for (z, spec) in zones.iter().enumerate() {
        if spec.kind != ZoneKind::Scar {
            continue;
        }
        if let Some(a) = surroundings(field, zones, z as u8) {
            let m = match_scar(spec, &zones[a]);
            if m != *spec {
                out[z] = m;
                changed = true;
            }
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{BuiltinZone, NeedleConfig, Region};
    use crate::presets::{builtin_zone, user_zone};

    fn scar() -> ZoneSpec {
        user_zone("scar", ZoneKind::Scar, Region::Builtin(BuiltinZone::Crown))
    }

    #[test]
    fn a_fine_needle_scar_gets_denser_and_stronger_to_match_a_density_zone() {
        let around = builtin_zone(BuiltinZone::Crown, ZoneKind::Density, 0.0);
        let s = scar();
        assert!(ink_cover(&s, s.density_cm2) < 0.5 * ink_cover(&around, around.density_cm2));
        let m = match_scar(&s, &around);
        let (a, b) = (
            ink_cover(&m, m.target_density_cm2()),
            ink_cover(&around, around.density_cm2),
        );
        assert!((a / b - 1.0).abs() < 1e-3, "{a} vs {b}");
        assert!(m.density_cm2 <= SCAR_DENSITY_RANGE_CM2.1 + 1e-9);
        assert!(m.dilution.iter().all(|&x| x <= 1.0));
        // Strength still rises over the sessions, as designed.
        assert!(m.dilution.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(
            m.needle, s.needle,
            "the needle stays the practitioner's choice"
        );
    }

    #[test]
    fn matching_twice_changes_nothing() {
        let around = builtin_zone(BuiltinZone::Back, ZoneKind::Blend, 0.5);
        let once = match_scar(&scar(), &around);
        assert_eq!(match_scar(&once, &around), once);
    }

    #[test]
    fn a_scar_darker_than_its_surroundings_gets_lighter() {
        let mut around = builtin_zone(BuiltinZone::Crown, ZoneKind::Density, 0.0);
        around.density_cm2 = 40.0;
        around.needle.config = NeedleConfig::Rl1;
        around.needle.diameter_mm = 0.18;
        let mut s = scar();
        s.needle.config = NeedleConfig::Rl3;
        s.needle.diameter_mm = 0.3;
        let m = match_scar(&s, &around);
        assert!(m.density_cm2 < s.density_cm2);
        let r = ink_cover(&m, m.target_density_cm2()) / ink_cover(&around, 40.0);
        assert!((r - 1.0).abs() < 1e-3 || m.dilution[0] <= SCAR_STRENGTH_RANGE.0 + 1e-9);
    }

    #[test]
    fn mean_dot_area_follows_the_needle() {
        let n = |config, diameter_mm| Needle {
            config,
            diameter_mm,
        };
        assert!(
            mean_dot_area_mm2(n(NeedleConfig::Rl1, 0.20))
                < mean_dot_area_mm2(n(NeedleConfig::Rl3, 0.25))
        );
        // 3RL 0.25 mm: healed 0.19–0.25 mm.
        let a = mean_dot_area_mm2(n(NeedleConfig::Rl3, 0.25));
        assert!(a > 0.0283 && a < 0.0491, "{a}");
    }
}
