//! Sampler invariants on whole plans: GUIDE §3 quality per cumulative session, exact density per zone,
//! determinism, and touch-up extension that keeps every impression fixed.

use follicle_core::design::Pattern;
use follicle_core::plan::{extend, plan, FixedImpression};
use follicle_core::quality::measure;
use follicle_core::{pattern_design, HeadMeasurements, Sex};
use proptest::prelude::*;

fn check_quality(p: &follicle_core::Plan) {
    for q in measure(p) {
        assert!(
            q.delta_min >= 0.65,
            "session {}: δ_min {}",
            q.session,
            q.delta_min
        );
        assert!(
            (0.75..=0.85).contains(&q.delta_avg),
            "session {}: δ_avg {}",
            q.session,
            q.delta_avg
        );
        assert!(
            q.worst_density_error <= 0.03,
            "session {}: density error {}",
            q.session,
            q.worst_density_error
        );
    }
}

#[test]
fn demo_plan_meets_the_quality_bar() {
    let p = plan(&follicle_core::demo_design()).unwrap();
    assert!(
        (25_000..45_000).contains(&p.impressions.len()),
        "{}",
        p.impressions.len()
    );
    check_quality(&p);
    // Counts agree and sessions build cumulatively toward 30/70/100 %.
    let total: usize = p.sessions.iter().map(|s| s.impressions).sum();
    assert_eq!(total, p.impressions.len());
    for z in &p.zones {
        assert_eq!(
            z.impressions,
            p.impressions
                .iter()
                .filter(|m| p.zones[m.zone].spec.id == z.spec.id)
                .count()
        );
    }
    // Diameters stay in the healed range and 1RL is finer than 3RL.
    assert!(p
        .impressions
        .iter()
        .all(|m| (0.10..=0.25).contains(&m.diameter_mm)));
}

#[test]
fn same_design_same_plan_different_seed_different_plan() {
    let d = pattern_design(
        Pattern::Norwood(3),
        HeadMeasurements::median(Sex::Female),
        2,
        9,
    );
    let a = plan(&d).unwrap();
    let b = plan(&d).unwrap();
    assert_eq!(a.impressions, b.impressions);
    let mut d2 = d.clone();
    d2.seed = 10;
    assert_ne!(plan(&d2).unwrap().impressions, a.impressions);
}

#[test]
fn touch_up_keeps_every_impression_and_fills_among_them() {
    let d = pattern_design(
        Pattern::Norwood(4),
        HeadMeasurements::median(Sex::Male),
        3,
        5,
    );
    let p = plan(&d).unwrap();
    let fixed: Vec<FixedImpression> = p
        .impressions
        .iter()
        .map(|m| FixedImpression {
            p: m.p,
            zone: p.zones[m.zone].spec.id.clone(),
            session: m.session,
            diameter_mm: m.diameter_mm,
        })
        .collect();
    let t = extend(&d, &fixed, 0.15, &mut |_| {}).unwrap();
    assert_eq!(t.sessions.len(), 4);
    for (a, b) in p.impressions.iter().zip(&t.impressions) {
        assert!(a.p.dist(b.p) < 1e-9 && a.session == b.session);
    }
    let added = t.impressions.len() - p.impressions.len();
    assert_eq!(added, t.sessions[3].impressions);
    assert!(
        added as f64 > 0.12 * p.impressions.len() as f64,
        "added {added}"
    );
    check_quality(&t);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Any head in the adult range, any seed and 1–4 sessions: quality and exact counts hold.
    #[test]
    fn quality_holds_for_any_head_and_seed(len in 185.0f64..212.0, breadth in 142.0f64..162.0, height in 120.0f64..140.0, seed in 0u64..1000, sessions in 1usize..=4) {
        let m = HeadMeasurements { length_mm: len, breadth_mm: breadth, height_mm: height, ..HeadMeasurements::median(Sex::Male) };
        let d = pattern_design(Pattern::Norwood(5), m, sessions, seed);
        let p = plan(&d).unwrap();
        check_quality(&p);
        // Every impression lies on the surface.
        for im in p.impressions.iter().step_by(97) {
            prop_assert!(p.head.offset_from_surface(im.p).abs() < 1e-6);
        }
    }
}

/// A light density zone among denser ones (5–12/cm² inside a Norwood preset's 17–85/cm²), a few cm across:
/// it holds its count with the zones' own spacing, every session. Before the symmetric step in the conflict
/// distance and the darts over short zones, such zones came out short, were refilled tighter and fell to
/// δ_min 0.56–0.64 (outside probe s16; GUIDE §3 asks 0.65).
#[test]
fn a_small_light_zone_among_denser_ones_keeps_its_spacing() {
    use follicle_core::design::{Region, ZoneKind};
    use follicle_core::presets::user_zone;
    use follicle_core::Head;
    let m = HeadMeasurements::median(Sex::Male);
    let head = Head::new(m);
    for (stage, seed, density, (w, h)) in [
        (4, 1, 5.0, (70.0, 30.0)),
        (4, 2, 8.0, (36.0, 30.0)),
        (6, 1, 12.0, (36.0, 30.0)),
        (6, 2, 12.0, (36.0, 30.0)),
    ] {
        let mut d = pattern_design(Pattern::Norwood(stage), m, 3, seed);
        let corners = [
            (-w / 2.0, -10.0),
            (w / 2.0, -10.0),
            (w / 2.0, h - 10.0),
            (-w / 2.0, h - 10.0),
        ];
        let region = Region::Polygon(
            corners
                .iter()
                .map(|&(x, y)| head.point_from_above(x, y).expect("on the scalp"))
                .collect(),
        );
        let mut light = user_zone("light", ZoneKind::Density, region);
        light.density_cm2 = density;
        d.zones.insert(0, light);
        let p = plan(&d).unwrap();
        let z = p.zones.iter().find(|z| z.spec.id == "light").unwrap();
        assert!(
            z.area_cm2 >= 10.0,
            "measured by GUIDE §3: {} cm²",
            z.area_cm2
        );
        for q in measure(&p) {
            assert!(
                q.delta_min >= 0.65 && q.worst_density_error <= 0.03,
                "Norwood {stage}, seed {seed}, {density}/cm² over {w}×{h} mm, session {}: δ_min {}, density error {}",
                q.session,
                q.delta_min,
                q.worst_density_error
            );
        }
    }
}
