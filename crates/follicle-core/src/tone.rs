//! Scar camouflage by tone: at conversational distance a scar must read as the same shade as the scalp
//! around it, not as a lighter or darker patch.
//!
//! What the eye averages at that distance is how much of the skin the healed impressions darken and how
//! dark: the **ink cover** = impressions per mm² × the ink-carrying area of one healed impression (mm²) ×
//! its pigment cover. This is the preview's optical model of an impression (follicle-render `optics` and
//! its compositor take their constants from here, so the picture and the plan cannot disagree): a healed
//! dot is seen wider than the needle's point, its radius grown by [`OPTICAL_SPREAD_MM`] (pigment dispersing
//! while it heals, seen through the scattering dermis), with a dermal halo around it ([`HALO_MM`],
//! [`HALO_GAIN`]: [`dot_ink_area_mm2`]), and a strength `s` (1 = undiluted) covers `1 − exp(−κ s)` of the
//! skin under it ([`KAPPA`]). A scar designed with a fine single needle (1RL 0.20 mm, healed dots ≈ 0.14 mm,
//! seen ≈ 0.42 mm) at 70/cm² among a 3RL 0.25 mm zone at 85/cm² carries about 0.7 of its surroundings' ink
//! cover: it reads as a light patch. (Counting the bare healed dots and a linear strength instead, as
//! this module did until session 21, made the matched scar a dark band in the picture.) So the planner
//! matches each scar zone to the zone that surrounds it:
//!
//! 1. The surroundings are the zone that holds most of the cells bordering the scar (within
//!    [`RING_CELLS`] raster cells). Their tone is taken at their full design density (before coverage):
//!    retained hair supplies the rest of their look, and the scar has none.
//! 2. The factor F = surroundings' ink cover ÷ scar's ink cover (last session's strength, mean visible dot
//!    area of each needle) is applied first to the scar's density, within
//!    [`SCAR_DENSITY_RANGE_CM2`] (scar tissue takes pigment less predictably, so the density stays at most
//!    a little above natural follicular density), and what is left to the pigment cover of every
//!    session's strength (at most undiluted).
//! 3. The plan records the matched density and strengths on the scar zone; planning the stored plan again
//!    matches to the same surroundings and changes nothing (F = 1).
//!
//! The needle stays the practitioner's choice (fine dots are what keeps scar work from blowing out); only
//! density and strength move.

use crate::design::{BuiltinZone, Needle, ZoneKind, ZoneSpec};
use crate::field::{Field, NO_ZONE};

/// Scar densities the tone match may choose, impressions per cm² of real scalp.
pub const SCAR_DENSITY_RANGE_CM2: (f64, f64) = (30.0, 120.0);
/// Pigment strengths the tone match may choose (1 = undiluted).
pub const SCAR_STRENGTH_RANGE: (f64, f64) = (0.1, 1.0);
/// Width of the ring of cells around a scar whose zones count as its surroundings.
pub const RING_CELLS: usize = 2;
/// Optical density of undiluted pigment in an impression: a strength `s` covers `1 − exp(−κ s)` of the
/// skin under the dot (docs/preview-model.md).
pub const KAPPA: f64 = 3.0;
/// Dispersion of a healed deposit: added to the radius of the needle's healed dot for the dot the eye
/// sees, mm (docs/preview-model.md: a 3RL 0.25 mm impression reads about 0.5 mm across).
pub const OPTICAL_SPREAD_MM: f64 = 0.14;
/// Reach of an impression's dermal halo (light diffusing sideways under the pigment) beyond its dot, mm.
pub const HALO_MM: f64 = 0.5;
/// Ink of the dermal halo as a multiple of the dot's, its weight `(1 − d²/R²)²` at most 1 at the dot's
/// edge (docs/preview-model.md).
pub const HALO_GAIN: f64 = 3.3;

/// Pigment cover of an impression at strength `s` (0–1+): `1 − exp(−κ s)`.
pub fn cover(s: f64) -> f64 {
    1.0 - (-KAPPA * s.max(0.0)).exp()
}

/// The strength whose [`cover`] is `k` (0 ≤ k < 1).
pub fn strength_for_cover(k: f64) -> f64 {
    -(1.0 - k.clamp(0.0, 0.999_999)).ln() / KAPPA
}

/// Ink-carrying area of one healed impression seen with radius `r` mm (its dot and its dermal halo): the
/// dot's π r² and the halo's `HALO_GAIN` × π r², the halo's weight capped at 1, over the ring to
/// `r + HALO_MM` (∫ (1 − d²/R²)² dA over that ring is π R² (1 − r²/R²)³ / 3). The preview's compositor
/// draws each impression with this footprint.
pub fn dot_ink_area_mm2(r: f64) -> f64 {
    use std::f64::consts::PI;
    let big = r + HALO_MM;
    let ring = PI * big * big * (1.0 - (r / big).powi(2)).powi(3) / 3.0;
    PI * r * r + (HALO_GAIN * PI * r * r).min(ring)
}

/// Mean ink-carrying area of a needle's healed impression, mm²: [`dot_ink_area_mm2`] of the radius seen
/// (half the healed diameter plus [`OPTICAL_SPREAD_MM`]), the healed diameter uniform over the needle's
/// healed range.
pub fn mean_visible_area_mm2(needle: Needle) -> f64 {
    const STEPS: usize = 32;
    let (a, b) = needle.config.healed_fraction_range();
    (0..STEPS)
        .map(|i| {
            let d = needle.diameter_mm * (a + (b - a) * (i as f64 + 0.5) / STEPS as f64);
            dot_ink_area_mm2(d / 2.0 + OPTICAL_SPREAD_MM)
        })
        .sum::<f64>()
        / STEPS as f64
}

/// Ink cover of a zone at `density_cm2` with its last session's strength (see the module doc).
pub fn ink_cover(spec: &ZoneSpec, density_cm2: f64) -> f64 {
    let strength = spec.dilution.last().copied().unwrap_or(1.0);
    density_cm2 / 100.0 * mean_visible_area_mm2(spec.needle) * cover(strength)
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
    // The match reads the last session's strength: the share of `rest` it can take within the strength
    // range is what every session gets, so the sessions keep their proportions and matching the result
    // again changes nothing (an earlier session never goes on rising after the last one is capped).
    let (lo, hi) = (cover(SCAR_STRENGTH_RANGE.0), cover(SCAR_STRENGTH_RANGE.1));
    let last = cover(scar.dilution.last().copied().unwrap_or(1.0));
    let ratio = if last > 0.0 {
        (last * rest).clamp(lo, hi) / last
    } else {
        1.0
    };
    for s in &mut out.dilution {
        let k = (cover(*s) * ratio).clamp(lo, hi);
        *s = round4(strength_for_cover(k).clamp(SCAR_STRENGTH_RANGE.0, SCAR_STRENGTH_RANGE.1));
    }
    out.density_cm2 = round4(out.density_cm2);
    out
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// What surrounds a scar: a zone of the design, or the client's own hair where the design leaves a pattern
/// zone out (`treated = false`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surroundings {
    /// The zone of this index.
    Zone(usize),
    /// The scalp of this pattern zone, left out: the client's own hair there, kept shaved, read as natural
    /// density (the pattern zone treated in full at the house density, needle and strengths).
    OwnHair(BuiltinZone),
}

/// What surrounds zone `z` on `field`: the zone (or left-out pattern zone, not the forehead in front of a
/// left-out hairline) holding most cells within [`RING_CELLS`] of it (exclusions, scars and bare skin never
/// count). `None` when nothing of the kind borders it.
pub fn surroundings(field: &Field, zones: &[ZoneSpec], z: u8) -> Option<Surroundings> {
    let (nu, nv) = (field.nu, field.nv);
    let own = BuiltinZone::ALL.len();
    let mut area = vec![0.0f64; zones.len() + own];
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
                if o == NO_ZONE {
                    // Slot 1 is the hairline's mark on the forehead: skin, not hair.
                    if let Some(&s) = field.skipped.get(n).filter(|&&s| s > 1) {
                        area[zones.len() + s as usize - 1] += field.area[n] as f64;
                    }
                    continue;
                }
                if o == z || matches!(zones[o as usize].kind, ZoneKind::Exclusion | ZoneKind::Scar)
                {
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
        .map(|(i, _)| {
            if i < zones.len() {
                Surroundings::Zone(i)
            } else {
                Surroundings::OwnHair(BuiltinZone::ALL[i - zones.len()])
            }
        })
}

/// The zones with every scar zone matched to its surroundings on `field`; `None` when nothing changes.
pub fn match_scars(field: &Field, zones: &[ZoneSpec]) -> Option<Vec<ZoneSpec>> {
    let mut out = zones.to_vec();
    let mut changed = false;
    for (z, spec) in zones.iter().enumerate() {
        if spec.kind != ZoneKind::Scar {
            continue;
        }
        let around = match surroundings(field, zones, z as u8) {
            Some(Surroundings::Zone(a)) => zones[a].clone(),
            Some(Surroundings::OwnHair(b)) => {
                crate::presets::builtin_zone(b, ZoneKind::Density, 0.0)
            }
            None => continue,
        };
        let m = match_scar(spec, &around);
        if m != *spec {
            out[z] = m;
            changed = true;
        }
    }
    changed.then_some(out)
}

/// How the scar zone `z` of a planned design (its zones already matched) was matched, in words for the
/// practitioner: which zone (or retained hair) it reads against and the density, needle and strength that
/// carry the same ink; `None` for a zone that is not a scar or has nothing around it.
pub fn tone_note(field: &Field, zones: &[ZoneSpec], z: usize) -> Option<String> {
    let scar = zones.get(z).filter(|s| s.kind == ZoneKind::Scar)?;
    // Zones named as the practitioner reads them in the plan's tables (probe s33: "`mid_scalp`").
    let (name, around) = match surroundings(field, zones, z as u8)? {
        Surroundings::Zone(a) => (
            format!("the {}", crate::design::zone_words(&zones[a].id)),
            zones[a].clone(),
        ),
        Surroundings::OwnHair(b) => (
            format!("the client's own untreated hair in the {}", b.words()),
            crate::presets::builtin_zone(b, ZoneKind::Density, 0.0),
        ),
    };
    // A zone over retained hair reads as its whole design density (the shaved hair and the impressions that
    // add to it): said so, beside the impressions the plan's table gives it (probe s33: "85/cm²" in the note,
    // "17 /cm²" in the table).
    let reads = if around.coverage > 0.0 {
        format!(
            "its shaved hair and {:.0}/cm² of impressions read as ",
            around.target_density_cm2()
        )
    } else {
        String::new()
    };
    let strengths = |s: &ZoneSpec| {
        s.dilution
            .iter()
            .map(|x| format!("{:.0} %", x * 100.0))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let ratio = ink_cover(scar, scar.target_density_cm2()) / ink_cover(&around, around.density_cm2);
    let how = if (ratio - 1.0).abs() <= 0.02 {
        "so it reads as the same shade at conversational distance".to_string()
    } else {
        format!(
            "the closest the limits allow ({:.0}–{:.0}/cm², strength at most undiluted): it carries {:.0} % \
             of the ink around it",
            SCAR_DENSITY_RANGE_CM2.0,
            SCAR_DENSITY_RANGE_CM2.1,
            ratio * 100.0
        )
    };
    Some(format!(
        "tone-matched to {name} ({reads}{:.0}/cm² of {} at strength {:.0} %): {:.1}/cm² of {} at strength {}, {how}",
        around.density_cm2,
        around.needle.config.as_str(),
        around.dilution.last().copied().unwrap_or(1.0) * 100.0,
        scar.target_density_cm2(),
        scar.needle.config.as_str(),
        strengths(scar),
    ))
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
        let (own, want) = (
            ink_cover(&s, s.density_cm2),
            ink_cover(&around, around.density_cm2),
        );
        assert!(
            own < 0.85 * want,
            "{own} vs {want}: the unmatched scar reads lighter"
        );
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
    fn matching_twice_changes_nothing_when_the_last_strength_is_capped() {
        // Review s21: a dense, undiluted neighbour caps the scar's last strength at 1; its earlier session
        // then crept up on every re-plan (0.61, 0.68, 0.76, … 1).
        let mut around = builtin_zone(BuiltinZone::Crown, ZoneKind::Density, 0.0);
        around.density_cm2 = 110.0;
        around.dilution = vec![1.0, 1.0];
        let mut s = scar();
        s.density_cm2 = 110.0;
        s.dilution = vec![0.5, 0.8];
        let once = match_scar(&s, &around);
        assert_eq!(once.dilution.last(), Some(&1.0), "{:?}", once.dilution);
        assert!(once.dilution[0] < 1.0, "{:?}", once.dilution);
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
    fn visible_dot_area_follows_the_needle_and_the_cover_inverts() {
        let n = |config, diameter_mm| Needle {
            config,
            diameter_mm,
        };
        let (fine, wide) = (
            mean_visible_area_mm2(n(NeedleConfig::Rl1, 0.20)),
            mean_visible_area_mm2(n(NeedleConfig::Rl3, 0.25)),
        );
        assert!(fine < wide);
        // 3RL 0.25 mm: healed 0.19–0.25 mm, seen 0.47–0.53 mm across, and its halo.
        let seen = |r: f64| std::f64::consts::PI * r * r;
        assert!(
            wide > seen(0.235) && wide < seen(0.265) * (1.0 + HALO_GAIN),
            "{wide}"
        );
        for s in [0.1, 0.35, 0.5, 0.77, 1.0] {
            assert!((strength_for_cover(cover(s)) - s).abs() < 1e-9, "{s}");
        }
    }
}
