//! The editor's quick first picture: the first sessions planned alone are exactly those sessions of the whole
//! plan (the browser draws session 1 first, then the rest).

use follicle_core::plan::{plan, plan_first_sessions};
use follicle_core::{pattern_design, HeadMeasurements, Pattern, Sex};

#[test]
fn first_sessions_are_the_whole_plans_first_sessions() {
    let d = pattern_design(
        Pattern::Norwood(4),
        HeadMeasurements::median(Sex::Female),
        3,
        11,
    );
    let whole = plan(&d).unwrap();
    for k in 1..=3 {
        let part = plan_first_sessions(&d, k).unwrap();
        let want: Vec<_> = whole
            .impressions
            .iter()
            .filter(|m| m.session <= k)
            .collect();
        assert_eq!(part.impressions.len(), want.len(), "sessions 1..={k}");
        for (a, b) in part.impressions.iter().zip(want) {
            assert_eq!(
                (a.p, a.zone, a.session, a.diameter_mm),
                (b.p, b.zone, b.session, b.diameter_mm)
            );
        }
        assert_eq!(part.sessions.len(), 3, "every session is listed");
        assert_eq!(
            part.sessions[k - 1].impressions,
            whole.sessions[k - 1].impressions
        );
        if k < 3 {
            assert_eq!(part.sessions[2].impressions, 0);
        }
    }
}
