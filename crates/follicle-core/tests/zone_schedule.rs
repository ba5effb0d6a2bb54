//! A zone's own schedule (a scar's front-loaded one) fitted to the plan's sessions: a plan of fewer sessions
//! than the zone's schedule still brings the zone to its full density in its last session (outside probe
//! s16: a one-session plan left a scar at half its density without a word).

use follicle_core::design::{default_fractions, Region};
use follicle_core::plan::plan;
use follicle_core::{pattern_design, presets, Head, HeadMeasurements, Pattern, Sex, ZoneKind};

#[test]
fn a_scar_on_its_own_schedule_reaches_its_density_however_many_sessions() {
    let m = HeadMeasurements::median(Sex::Male);
    let head = Head::new(m);
    let outline = [(-20.0, -5.0), (20.0, -5.0), (20.0, 5.0), (-20.0, 5.0)]
        .iter()
        .map(|&(x, y)| head.point_from_above(x, y - 45.0).expect("on the scalp"))
        .collect();
    let mut scar = presets::user_zone("scar", ZoneKind::Scar, Region::Polygon(outline));
    scar.cumulative_fractions = Some(vec![0.5, 0.85, 1.0]);
    for n in 1..=4 {
        let mut d = pattern_design(Pattern::Norwood(4), m, n, 11);
        d.cumulative_fractions = default_fractions(n);
        d.zones.insert(0, scar.clone());
        let p = plan(&d).unwrap();
        let z = &p.zones[0];
        let want = z.spec.target_density_cm2();
        let got = z.density_after(n);
        assert!(
            (got - want).abs() <= 0.02 * want,
            "{n} sessions: the scar ends at {got:.1}/cm² of {want:.1}"
        );
        if n >= 2 {
            // Front-loaded: the first session already half the scar's density.
            let first = z.density_after(1);
            assert!((first - 0.5 * want).abs() <= 0.03 * want, "{n}: {first:.1}");
        }
    }
}
