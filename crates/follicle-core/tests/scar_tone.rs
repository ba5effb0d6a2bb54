//! Scar camouflage measured on a plan: a fine-needle scar zone inside a density zone carries the same ink
//! cover (visible healed dot area × impressions per area × pigment cover of its strength, tone.rs, the
//! preview's optical model) as the zone around it, so at conversational distance it reads as the same
//! shade, not as a lighter or darker patch.

use follicle_core::design::Region;
use follicle_core::geom::Vec3;
use follicle_core::{
    pattern_design, plan, presets, Head, HeadMeasurements, Pattern, Sex, ZoneKind,
};

/// Healed ink cover of zone `z` in `p`: Σ ink-carrying area (dot and halo, the healed dot's radius grown
/// by the optical spread) × the pigment cover of that session's strength, per mm² of the zone.
fn cover(p: &follicle_core::plan::Plan, z: usize) -> f64 {
    let spec = &p.zones[z].spec;
    let ink: f64 = p
        .impressions
        .iter()
        .filter(|i| i.zone == z)
        .map(|i| {
            let r = i.diameter_mm / 2.0 + follicle_core::tone::OPTICAL_SPREAD_MM;
            follicle_core::tone::dot_ink_area_mm2(r)
                * follicle_core::tone::cover(spec.dilution_at(i.session))
        })
        .sum();
    ink / (p.zones[z].area_cm2 * 100.0)
}

#[test]
fn a_scar_reads_as_the_shade_of_the_zone_around_it() {
    let m = HeadMeasurements::median(Sex::Male);
    let head = Head::new(m);
    for (seed, (cx, cy)) in [(1u64, (0.0, -45.0)), (2, (15.0, 10.0))] {
        let mut d = pattern_design(Pattern::Norwood(6), m, 3, seed);
        // A 40 × 10 mm linear scar seen from above.
        let outline: Vec<Vec3> = [(-20.0, -5.0), (20.0, -5.0), (20.0, 5.0), (-20.0, 5.0)]
            .iter()
            .map(|&(x, y)| head.point_from_above(cx + x, cy + y).expect("on the scalp"))
            .collect();
        let scar = presets::user_zone("scar", ZoneKind::Scar, Region::Polygon(outline));
        let (designed_density, designed_needle) = (scar.density_cm2, scar.needle);
        d.zones.insert(0, scar);
        let p = plan(&d).unwrap();
        let s = p.zones.iter().position(|z| z.spec.id == "scar").unwrap();
        // The zone holding the scar's surroundings: the one with most impressions near it.
        let near = |z: usize| {
            p.impressions
                .iter()
                .filter(|i| i.zone == z)
                .filter(|i| {
                    p.impressions
                        .iter()
                        .any(|j| j.zone == s && j.p.dist(i.p) < 4.0)
                })
                .count()
        };
        let around = (0..p.zones.len())
            .filter(|&z| z != s)
            .max_by_key(|&z| near(z))
            .unwrap();
        let (a, b) = (cover(&p, s), cover(&p, around));
        println!(
            "seed {seed}: scar {:.1}/cm² strength {:?} cover {a:.4}; {} cover {b:.4}",
            p.zones[s].spec.density_cm2, p.zones[s].spec.dilution, p.zones[around].spec.id
        );
        assert!(
            (a / b - 1.0).abs() < 0.06,
            "seed {seed}: the scar's ink cover {a:.4} vs {b:.4} around it ({})",
            p.zones[around].spec.id
        );
        // The needle stays as designed; density moved within the scar range.
        assert_eq!(p.zones[s].spec.needle, designed_needle);
        assert!(p.zones[s].spec.density_cm2 > designed_density);
        assert!(p.zones[s].spec.density_cm2 <= follicle_core::tone::SCAR_DENSITY_RANGE_CM2.1);
    }
}

/// A scar in retained hair the design leaves untreated (`[zones.back] treated = false`: the client's own
/// hair there is kept shaved) is matched to that hair read as natural density, not left at its designed
/// density (outside probe s21: it stayed at 70/cm², a light bar in dark stubble).
#[test]
fn a_scar_in_left_out_retained_hair_is_matched_to_the_hair() {
    use follicle_core::design::BuiltinZone;
    let m = HeadMeasurements::median(Sex::Male);
    let head = Head::new(m);
    let mut d = pattern_design(Pattern::Norwood(4), m, 3, 3);
    d.zones
        .retain(|z| z.region != Region::Builtin(BuiltinZone::Back));
    let pi = std::f64::consts::PI;
    let outline: Vec<Vec3> = [
        (pi - 0.08, 15.0),
        (pi + 0.08, 15.0),
        (pi + 0.08, 45.0),
        (pi - 0.08, 45.0),
    ]
    .iter()
    .map(|&(phi, z)| head.point_at_azimuth(phi, z).expect("on the head"))
    .collect();
    let scar = presets::user_zone("fut", ZoneKind::Scar, Region::Polygon(outline));
    let designed = scar.density_cm2;
    d.zones.insert(0, scar);
    let p = plan(&d).unwrap();
    let s = &p.zones[0].spec;
    assert!(s.density_cm2 > designed, "{} vs {designed}", s.density_cm2);
    // Planning the plan's own design again changes nothing.
    let again = plan(&p.design).unwrap();
    assert_eq!(again.zones[0].spec, *s);
}
