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
