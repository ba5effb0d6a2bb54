//! The retained hair measured on plans: every Norwood 2–5 and Ludwig preset models the hair a client keeps
//! (shaved to match) as blend zones, and the step from a treated zone into that hair is a ramp over at
//! least 10 mm, not a cap edge. Measured as the blend zone's impressions per band of distance from the
//! treated zone's nearest impression.

use follicle_core::{pattern_design, plan, HeadMeasurements, Pattern, Sex};

/// Impressions of `retained` per 2 mm band of distance (0–2, 2–4, … 14–16 mm) from the nearest impression
/// of `treated`, over the last session.
fn bands(pattern: Pattern, sex: Sex, treated: &str, retained: &str, seed: u64) -> [usize; 8] {
    let d = pattern_design(pattern, HeadMeasurements::median(sex), 3, seed);
    let p = plan(&d).unwrap();
    let zi = |id: &str| {
        p.zones
            .iter()
            .position(|z| z.spec.id == id)
            .unwrap_or_else(|| panic!("{pattern:?} has no zone {id}"))
    };
    let (t, r) = (zi(treated), zi(retained));
    let treated_pts: Vec<_> = p
        .impressions
        .iter()
        .filter(|i| i.zone == t)
        .map(|i| i.p)
        .collect();
    assert!(!treated_pts.is_empty());
    let mut out = [0usize; 8];
    for imp in p.impressions.iter().filter(|i| i.zone == r) {
        let near = treated_pts
            .iter()
            .map(|q| q.dist(imp.p))
            .fold(f64::INFINITY, f64::min);
        if near < 16.0 {
            out[(near / 2.0) as usize] += 1;
        }
    }
    out
}

/// The blend zone is densest beside the treated zone and falls over about 10 mm to its own density: the
/// first bands hold clearly more than the bands beyond the ramp, and the fall is gradual (no band holds
/// more than the one before it by a wide margin, and no bald ring at the border).
fn assert_ramp(name: &str, b: [usize; 8]) {
    let beyond = (b[6] + b[7]) as f64 / 2.0;
    assert!(
        beyond > 0.0,
        "{name}: the retained hair gets no impressions: {b:?}"
    );
    // Band 0 (0–2 mm) is partly the treated zone's own spacing (≈ 1 mm); judge from 2–4 mm on.
    assert!(
        b[1] as f64 > 1.8 * beyond,
        "{name}: no ramp beside the treated zone (a cap edge): {b:?}"
    );
    assert!(
        b[2] as f64 > 1.3 * beyond,
        "{name}: the ramp ends within 6 mm: {b:?}"
    );
    for w in b[1..].windows(2) {
        assert!(
            w[1] as f64 <= w[0] as f64 * 1.25 + 5.0,
            "{name}: density rises away from the treated zone: {b:?}"
        );
    }
}

#[test]
fn treated_zones_ramp_into_the_retained_hair() {
    for (pattern, sex, treated, retained) in [
        (Pattern::Norwood(3), Sex::Male, "frontal", "mid_scalp"),
        (Pattern::Norwood(4), Sex::Male, "crown", "mid_scalp"),
        (Pattern::Norwood(5), Sex::Male, "mid_scalp", "sides"),
        (Pattern::Ludwig(2), Sex::Female, "mid_scalp", "crown"),
        // Her own frontal hairline: the treated top ramps into it (it once ended at an untreated band's
        // straight, cornered edge, outside probe F13).
        (Pattern::Ludwig(2), Sex::Female, "frontal", "hairline"),
    ] {
        let mut total = [0usize; 8];
        for seed in [1u64, 2] {
            let b = bands(pattern, sex, treated, retained, seed);
            for (t, x) in total.iter_mut().zip(b) {
                *t += x;
            }
        }
        let name = format!("{pattern:?} {treated} → {retained}");
        println!("{name}: impressions per 2 mm band {total:?}");
        assert_ramp(&name, total);
    }
}

/// The head's hair ends where a head's hair ends: in front of the ear the sideburn comes down below tragion
/// level, the hair passes close around the ear (within about 12 mm of its front and back edges), and the
/// nape hairline lies below the ear lobes; the temple skin in front of the sideburn stays bare. Checked on
/// the zone raster (which scalp is hair, treated or retained) for a full-scalp plan and a Norwood 3 (whose
/// sides are retained hair), and on the full-scalp plan's impressions; both sexes. Azimuth φ = atan2(x, y)
/// (0 ahead, π behind), height z above tragion level, both sides of the head.
#[test]
fn the_hair_reaches_sideburns_around_the_ears_and_the_nape() {
    use std::ops::Range;
    for pattern in [Pattern::FullScalp, Pattern::Norwood(3)] {
        for sex in [Sex::Male, Sex::Female] {
            let d = pattern_design(pattern, HeadMeasurements::median(sex), 3, 11);
            let p = plan(&d).unwrap();
            let label = format!("{pattern:?} {sex:?}");
            // Share of the surface in a window that the raster gives to a zone (hair).
            let hair = |phi: Range<f64>, z: Range<f64>| -> f64 {
                let (mut inside, mut all) = (0usize, 0usize);
                for i in 0..=10 {
                    for j in 0..=10 {
                        let f = phi.start + (phi.end - phi.start) * i as f64 / 10.0;
                        let h = z.start + (z.end - z.start) * j as f64 / 10.0;
                        for sign in [-1.0, 1.0] {
                            let Some(q) = p.head.point_at_azimuth(sign * f, h) else {
                                continue;
                            };
                            all += 1;
                            let zone = p
                                .field
                                .index(p.head.chart_of(q))
                                .map(|k| p.field.zone[k])
                                .unwrap_or(follicle_core::field::NO_ZONE);
                            inside += (zone != follicle_core::field::NO_ZONE) as usize;
                        }
                    }
                }
                inside as f64 / all as f64
            };
            // Sideburn: in front of the ear (its front edge is about 9 mm ahead of tragion), below tragion.
            let sideburn = hair(1.29..1.41, -7.0..-1.0);
            assert!(sideburn > 0.9, "{label}: no sideburn ({sideburn:.2})");
            // Behind the ear at mid-ear height, and above it.
            let behind = hair(1.99..2.05, -4.0..4.0);
            assert!(
                behind > 0.8,
                "{label}: bare strip behind the ear ({behind:.2})"
            );
            let above = hair(1.6..1.8, 42.0..48.0);
            assert!(above > 0.9, "{label}: bare above the ear ({above:.2})");
            // The nape hairline below the level of the ear lobes.
            let nape = hair(2.95..3.12, -38.0..-34.0);
            assert!(nape > 0.8, "{label}: the nape ends high ({nape:.2})");
            // The temple skin in front of the temporal hairline and the sideburn, the ear, and the neck
            // below the nape hairline: bare.
            for (what, phi, z) in [
                ("temple skin", 0.9..1.1, -15.0..12.0),
                ("ear", 1.6..1.8, -20.0..25.0),
                ("neck", 2.9..3.12, -70.0..-50.0),
            ] {
                let h = hair(phi, z);
                assert_eq!(h, 0.0, "{label}: hair on the {what}");
            }
            if pattern == Pattern::FullScalp {
                let at = |phi: Range<f64>, z: Range<f64>| {
                    p.impressions
                        .iter()
                        .filter(|i| phi.contains(&i.p.x.atan2(i.p.y).abs()) && z.contains(&i.p.z))
                        .count()
                };
                assert!(
                    at(1.28..1.42, -12.0..-3.0) > 50,
                    "{label}: no sideburn impressions"
                );
                assert!(
                    at(1.95..2.05, -10.0..10.0) > 50,
                    "{label}: none behind the ear"
                );
                assert!(
                    at(2.9..3.2, -42.0..-32.0) > 150,
                    "{label}: none at the nape"
                );
            }
        }
    }
}

/// A Ludwig head keeps her own frontal hairline: it is retained hair (a blend zone), so nothing between
/// her hairline and the treated top is left out as bare skin. Every point 3–30 mm behind the line, from
/// temple to temple, lies in a zone (it once was an untreated band whose cut edge drew a straight,
/// cornered front on every view, outside probe F13).
#[test]
fn a_ludwig_hairline_is_kept_as_retained_hair() {
    use follicle_core::field::NO_ZONE;
    for g in 1..=3 {
        let d = pattern_design(
            Pattern::Ludwig(g),
            HeadMeasurements::median(Sex::Female),
            3,
            5,
        );
        let p = plan(&d).unwrap();
        let hz = p
            .zones
            .iter()
            .position(|z| z.spec.id == "hairline")
            .expect("a hairline zone");
        assert_eq!(p.zones[hz].spec.kind, follicle_core::ZoneKind::Blend);
        let line = &p.hairline.as_ref().unwrap().polyline;
        let n = line.len();
        let (mut missing, mut all) = (0, 0);
        for &a in line[n / 10..n * 9 / 10].iter().step_by(3) {
            for depth in [3.0, 10.0, 20.0, 30.0] {
                let q = p.head.walk_toward(a, p.landmarks.crown_whorl, depth);
                let zone = p
                    .field
                    .index(p.head.chart_of(q))
                    .map(|k| p.field.zone[k])
                    .unwrap_or(NO_ZONE);
                all += 1;
                missing += (zone == NO_ZONE) as usize;
            }
        }
        assert_eq!(
            missing, 0,
            "Ludwig {g}: {missing} of {all} points behind her hairline are in no zone"
        );
    }
}

/// Outside probe s26: a Norwood 3's retained mid-scalp hair began at a straight line across the head (the
/// frontal region ended at a plane). The regions' borders now wander, seeded: the back edge of the treated
/// frontal region, read as its rear-most impression in 10 mm strips across the head, moves by several mm
/// from strip to strip, and differently for another seed.
#[test]
fn the_frontal_region_ends_in_a_wandering_edge_not_a_straight_line() {
    let back_edge = |seed: u64| -> Vec<f64> {
        let d = pattern_design(
            Pattern::Norwood(3),
            HeadMeasurements::median(Sex::Male),
            3,
            seed,
        );
        let p = plan(&d).unwrap();
        let frontal = p
            .zones
            .iter()
            .position(|z| z.spec.id == "frontal")
            .expect("a Norwood 3 treats the frontal region");
        let mut rear = [f64::INFINITY; 8];
        for i in p.impressions.iter().filter(|i| i.zone == frontal) {
            let strip = ((i.p.x + 40.0) / 10.0).floor();
            if (0.0..8.0).contains(&strip) {
                rear[strip as usize] = rear[strip as usize].min(i.p.y);
            }
        }
        assert!(rear.iter().all(|y| y.is_finite()), "{rear:?}");
        rear.to_vec()
    };
    let spread = |v: &[f64]| {
        v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min)
    };
    let (a, b) = (back_edge(3), back_edge(11));
    assert!(spread(&a) >= 4.0, "a straight back edge: {a:?}");
    assert!(spread(&b) >= 4.0, "a straight back edge: {b:?}");
    assert!(
        a.iter().zip(&b).any(|(x, y)| (x - y).abs() > 2.0),
        "the edge does not depend on the seed: {a:?} {b:?}"
    );
}
