//! Built-in zone sets for Norwood–Hamilton and Ludwig patterns, with the house defaults per zone.

use crate::design::{BuiltinZone, Needle, NeedleConfig, Pattern, Region, ZoneKind, ZoneSpec};

/// Default 100 % density for density zones, impressions per cm² (natural ≈ 70–100; GUIDE §4).
pub const DEFAULT_DENSITY_CM2: f64 = 85.0;
/// Default hairline density at 100 %, impressions per cm².
pub const DEFAULT_HAIRLINE_DENSITY_CM2: f64 = 80.0;
/// Default scar density at 100 %, impressions per cm².
pub const DEFAULT_SCAR_DENSITY_CM2: f64 = 70.0;
/// Default pigment name.
pub const DEFAULT_SHADE: &str = "carbon black";
/// House pigment strengths per session (1 = undiluted) of density and blend zones: the first session is
/// lighter (GUIDE §4).
pub const BODY_DILUTION: [f64; 3] = [0.35, 0.40, 0.45];
/// House pigment strengths per session of the fine zones (hairline, scars; single needle): a step lighter
/// than the body.
pub const FINE_DILUTION: [f64; 3] = [0.30, 0.35, 0.40];

/// A zone with the house defaults; pigment strength rises over the sessions (first session lighter, GUIDE §4).
fn house_zone(
    id: &str,
    kind: ZoneKind,
    region: Region,
    density_cm2: f64,
    coverage: f64,
    needle: Needle,
    dilution: [f64; 3],
) -> ZoneSpec {
    ZoneSpec {
        id: id.to_string(),
        kind,
        region,
        density_cm2,
        coverage,
        needle,
        shade: DEFAULT_SHADE.to_string(),
        dilution: dilution.to_vec(),
        cumulative_fractions: None,
    }
}

/// A single round-liner for soft, fine impressions (hairline, scars).
const fn single(diameter_mm: f64) -> Needle {
    Needle {
        config: NeedleConfig::Rl1,
        diameter_mm,
    }
}
/// The three-point round-liner used for density zones.
const DENSITY_NEEDLE: Needle = Needle {
    config: NeedleConfig::Rl3,
    diameter_mm: 0.25,
};

/// A zone spec with the house defaults for a built-in zone of the given kind and existing-hair coverage.
pub fn builtin_zone(zone: BuiltinZone, kind: ZoneKind, coverage: f64) -> ZoneSpec {
    if zone == BuiltinZone::Hairline {
        // Single needle for a soft hairline; 0.25 mm and a strength close to the body's so the band behind
        // the transition does not read lighter than the zones behind it.
        house_zone(
            zone.id(),
            kind,
            Region::Builtin(zone),
            DEFAULT_HAIRLINE_DENSITY_CM2,
            coverage,
            single(0.25),
            FINE_DILUTION,
        )
    } else {
        house_zone(
            zone.id(),
            kind,
            Region::Builtin(zone),
            DEFAULT_DENSITY_CM2,
            coverage,
            DENSITY_NEEDLE,
            BODY_DILUTION,
        )
    }
}

/// Defaults for a user zone of the given kind (scars: single needle, lower density, lighter shade).
pub fn user_zone(id: &str, kind: ZoneKind, region: Region) -> ZoneSpec {
    if kind == ZoneKind::Scar {
        house_zone(
            id,
            kind,
            region,
            DEFAULT_SCAR_DENSITY_CM2,
            0.0,
            single(0.20),
            FINE_DILUTION,
        )
    } else {
        house_zone(
            id,
            kind,
            region,
            DEFAULT_DENSITY_CM2,
            0.0,
            DENSITY_NEEDLE,
            BODY_DILUTION,
        )
    }
}

/// Share of the scalp that retained hair already covers where a pattern keeps its hair (the fringe at the
/// sides, around the ears and down to the nape, and the parts of the top a stage has not lost yet). The
/// client keeps it shaved to match, so follicle treats it as a blend zone at `1 −` this of the design
/// density: enough impressions to even out the shaved hair, and the edge where the treated area meets it
/// is feathered (feather.rs) instead of ending as a cap.
pub const RETAINED_HAIR_COVERAGE: f64 = 0.8;

/// Every builtin region a pattern either treats or models as retained hair, in priority order after the
/// treated ones. The hairline band is not among them: every Norwood preset designs one, and a pattern that
/// keeps its own frontal hairline (Ludwig) adds it as retained hair itself.
fn scalp_regions() -> impl Iterator<Item = BuiltinZone> {
    BuiltinZone::ALL
        .into_iter()
        .filter(|&r| r != BuiltinZone::Hairline)
}

/// Whether `z` is a built-in region a pattern blends into the client's own hair (its retained hair at
/// [`RETAINED_HAIR_COVERAGE`], or a Norwood 6–7 blend of the sides and back): a light scatter, not the
/// region treated in full.
pub fn blends_into_hair(z: &ZoneSpec) -> bool {
    matches!(z.region, Region::Builtin(_)) && z.kind == ZoneKind::Blend
}

/// The built-in region `zone` treated in full, as a pattern that treats it designs it (no retained hair
/// counted): what a case's `treated = true` makes of a region its pattern leaves out or keeps as retained
/// hair.
pub fn treated_builtin(zone: BuiltinZone) -> ZoneSpec {
    let kind = if zone == BuiltinZone::Hairline {
        ZoneKind::Hairline
    } else {
        ZoneKind::Density
    };
    builtin_zone(zone, kind, 0.0)
}

/// `treated` followed by a retained-hair blend zone for every scalp region it leaves out.
fn with_retained_hair(mut treated: Vec<ZoneSpec>) -> Vec<ZoneSpec> {
    for region in scalp_regions() {
        if !treated.iter().any(|z| z.region == Region::Builtin(region)) {
            treated.push(builtin_zone(
                region,
                ZoneKind::Blend,
                RETAINED_HAIR_COVERAGE,
            ));
        }
    }
    treated
}

/// The zones a pattern treats, in priority order, followed by the retained hair it blends into.
pub fn zones_for(pattern: Pattern) -> Vec<ZoneSpec> {
    use BuiltinZone::*;
    use ZoneKind::{Blend, Density, Hairline as HairlineKind};
    let d = |z| builtin_zone(z, Density, 0.0);
    let hl = || builtin_zone(Hairline, HairlineKind, 0.0);
    match pattern {
        Pattern::Norwood(2) => with_retained_hair(vec![hl(), d(Temples)]),
        Pattern::Norwood(3) => with_retained_hair(vec![hl(), d(Frontal), d(Temples)]),
        Pattern::Norwood(4) => with_retained_hair(vec![hl(), d(Crown), d(Frontal), d(Temples)]),
        Pattern::Norwood(5) => {
            with_retained_hair(vec![hl(), d(Crown), d(Frontal), d(MidScalp), d(Temples)])
        }
        Pattern::Norwood(6) => vec![
            hl(),
            d(Crown),
            d(Frontal),
            d(MidScalp),
            builtin_zone(Temples, Blend, 0.4),
            builtin_zone(Sides, Blend, 0.5),
            builtin_zone(Back, Blend, 0.5),
        ],
        Pattern::Norwood(_) => vec![
            hl(),
            d(Crown),
            d(Frontal),
            d(MidScalp),
            builtin_zone(Temples, Blend, 0.25),
            builtin_zone(Sides, Blend, 0.3),
            builtin_zone(Back, Blend, 0.3),
        ],
        // Women keep their frontal hairline; the top thins diffusely (Ludwig I–III).
        Pattern::Ludwig(g) => {
            let coverage = match g {
                1 => 0.65,
                2 => 0.45,
                _ => 0.25,
            };
            let mut zones = vec![
                builtin_zone(Frontal, Density, coverage),
                builtin_zone(MidScalp, Density, coverage),
            ];
            if g >= 3 {
                zones.push(builtin_zone(Crown, Density, coverage));
            }
            // Her own frontal hairline is retained hair too: the treated top ramps into it (feather.rs) and
            // its front is the hairline's irregular transition, never the cut edge of an untreated band.
            let mut zones = with_retained_hair(zones);
            zones.push(builtin_zone(Hairline, Blend, RETAINED_HAIR_COVERAGE));
            zones
        }
        // The scars the design draws are its only zones.
        Pattern::ScarsOnly => Vec::new(),
        Pattern::FullScalp => vec![
            hl(),
            d(Crown),
            d(Frontal),
            d(MidScalp),
            d(Temples),
            d(Sides),
            d(Back),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwood_stages_treat_more_as_they_advance() {
        // Regions treated at full strength (no retained hair counted): each stage adds some.
        let treated = |s| -> Vec<Region> {
            zones_for(Pattern::Norwood(s))
                .into_iter()
                .filter(|z| z.kind != ZoneKind::Blend && z.coverage == 0.0)
                .map(|z| z.region)
                .collect()
        };
        for s in 2..5 {
            let (a, b) = (treated(s), treated(s + 1));
            assert!(a.len() < b.len() && a.iter().all(|r| b.contains(r)), "{s}");
        }
        assert!(zones_for(Pattern::Ludwig(1))
            .iter()
            .all(|z| z.coverage > 0.0 && matches!(z.kind, ZoneKind::Density | ZoneKind::Blend)));
    }

    #[test]
    fn every_pattern_models_the_retained_hair_it_does_not_treat() {
        let mut patterns: Vec<Pattern> = (2..=7).map(Pattern::Norwood).collect();
        patterns.extend((1..=3).map(Pattern::Ludwig));
        for p in patterns {
            let zones = zones_for(p);
            for region in scalp_regions() {
                let z = zones
                    .iter()
                    .find(|z| z.region == Region::Builtin(region))
                    .unwrap_or_else(|| panic!("{p:?} leaves {region:?} out of the design"));
                assert!(z.target_density_cm2() > 0.0, "{p:?} {region:?}");
            }
            let ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "{p:?}: {ids:?}");
        }
    }
}
