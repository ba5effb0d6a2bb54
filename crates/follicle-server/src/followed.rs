//! Which of a client's plans the sessions follow, and how many sessions its course has: one rule for the
//! session form, the proposed follow-ups, the calendar feed, the client report and the preview's plan list.
//!
//! The practitioner chooses a *design* for the sessions (designs.rs); the plans planned from it carry its
//! case file (the editor and `POST /api/designs/{id}/plans` plan the design's own case text). The sessions
//! follow the newest plan planned from the chosen design, or a touch-up plan extending one; without a chosen
//! design, or while the chosen one has no plan yet, the newest plan of a saved design (a plan of an unsaved
//! edit is no design the client approved), else the newest plan. Outside test s48: a plan generated from
//! an unsaved edit (4 sessions) became what the session form used, while the design bar still named the
//! chosen version and the proposed follow-ups counted 3 sessions (the default, not the plan's).

use follicle_store::{DesignRecord, PlanRecord};

/// The plan the client's sessions follow (see the module doc); `plans` newest first, as the store lists them.
pub fn sessions_plan<'a>(
    plans: &'a [PlanRecord],
    designs: &[DesignRecord],
) -> Option<&'a PlanRecord> {
    let chosen = designs.iter().find(|d| d.chosen);
    chosen
        .and_then(|d| plans.iter().find(|p| planned_from(plans, p, &d.case_toml)))
        // The chosen design not generated yet, or none chosen: the newest plan of a saved design, never one of
        // an unsaved edit while there is one (outside test s49: a version chosen, then two plans generated
        // from unsaved edits, and the sessions followed the newest of them); else the newest plan.
        .or_else(|| {
            plans
                .iter()
                .find(|p| designs.iter().any(|d| planned_from(plans, p, &d.case_toml)))
        })
        .or_else(|| plans.first())
}

/// The design `plan` was planned from (it, or the plan it extends, has the design's case file): the chosen
/// one where several versions share that text, else the newest. The studio names it beside the plan (outside
/// test s49: two plans of two versions listed under one name, nothing saying which version each came from).
pub fn design_of<'a>(
    plans: &[PlanRecord],
    plan: &PlanRecord,
    designs: &'a [DesignRecord],
) -> Option<&'a DesignRecord> {
    let from: Vec<&DesignRecord> = designs
        .iter()
        .filter(|d| planned_from(plans, plan, &d.case_toml))
        .collect();
    from.iter()
        .find(|d| d.chosen)
        .or_else(|| from.iter().max_by_key(|d| (d.created_at, d.id.0)))
        .copied()
}

/// The chosen design when no plan has been planned from it yet: the sessions still follow another plan
/// ([`sessions_plan`]) until it is generated, which the session form and the record say (outside test s49: a
/// version chosen and not generated, and the session form offered the older version's plan without a word).
pub fn chosen_unplanned<'a>(
    plans: &[PlanRecord],
    designs: &'a [DesignRecord],
) -> Option<&'a DesignRecord> {
    designs
        .iter()
        .find(|d| d.chosen)
        .filter(|d| !plans.iter().any(|p| planned_from(plans, p, &d.case_toml)))
}

/// Whether `plan`, or a plan it extends (touch-ups), was planned from the case file `case_toml`.
fn planned_from(plans: &[PlanRecord], plan: &PlanRecord, case_toml: &str) -> bool {
    let mut at = Some(plan);
    // Each plan's parent is an older plan; the bound keeps a corrupt chain from looping.
    for _ in 0..=plans.len() {
        let Some(p) = at else { return false };
        if p.case_toml.as_deref() == Some(case_toml) {
            return true;
        }
        at = p
            .parent_id
            .and_then(|pid| plans.iter().find(|q| q.id == pid));
    }
    false
}

/// The sessions of the course `plan` belongs to: its sessions less the touch-ups it adds to the plan it
/// extends (a touch-up plan extends its parent by one session); 3 without a plan (follicle-clinic's default
/// course), within 1–[`follicle_clinic::schedule::MAX_SESSIONS`].
pub fn course_sessions(plans: &[PlanRecord], plan: Option<&PlanRecord>) -> u32 {
    let Some(p) = plan else {
        return follicle_clinic::ScheduleSettings::default().sessions;
    };
    let mut touch_ups = 0;
    let mut parent = p.parent_id;
    while let Some(pp) = parent.and_then(|pid| plans.iter().find(|q| q.id == pid)) {
        touch_ups += 1;
        parent = pp.parent_id.filter(|_| touch_ups < plans.len() as i64);
    }
    (p.sessions - touch_ups).clamp(1, i64::from(follicle_clinic::schedule::MAX_SESSIONS)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use follicle_store::{ClientId, ClinicId, DesignId, PlanId, UserId};

    fn plan(id: i64, parent: Option<i64>, case: Option<&str>, sessions: i64) -> PlanRecord {
        PlanRecord {
            id: PlanId(id),
            clinic_id: ClinicId(1),
            client_id: ClientId(1),
            parent_id: parent.map(PlanId),
            label: format!("plan {id}"),
            case_toml: case.map(str::to_string),
            seed: 1,
            sessions,
            impressions: 100,
            created_by: UserId(1),
            created_at: id,
        }
    }

    fn design(id: i64, case: &str, chosen: bool) -> DesignRecord {
        DesignRecord {
            id: DesignId(id),
            clinic_id: ClinicId(1),
            client_id: ClientId(1),
            label: "d".into(),
            case_toml: case.into(),
            created_by: UserId(1),
            created_at: id,
            previous_id: None,
            chosen,
        }
    }

    #[test]
    fn the_sessions_follow_the_chosen_design_s_newest_plan() {
        // Newest first: plan 3 from an unsaved edit, plan 2 and plan 1 from the chosen design's case.
        let plans = [
            plan(3, None, Some("crown 62"), 4),
            plan(2, None, Some("crown 60"), 3),
            plan(1, None, Some("crown 60"), 3),
        ];
        let chosen = [design(1, "crown 60", true), design(2, "crown 62", false)];
        let p = sessions_plan(&plans, &chosen).unwrap();
        assert_eq!(p.id, PlanId(2));
        assert_eq!(course_sessions(&plans, Some(p)), 3);
        // No chosen design, or a chosen one never planned: the newest plan of a saved design (not plan 3, of
        // an unsaved edit), else the newest.
        assert_eq!(
            sessions_plan(&plans, &[design(1, "crown 60", false)])
                .unwrap()
                .id,
            PlanId(2)
        );
        assert_eq!(
            sessions_plan(
                &plans,
                &[design(1, "crown 60", false), design(3, "other", true)]
            )
            .unwrap()
            .id,
            PlanId(2)
        );
        assert_eq!(
            sessions_plan(&plans, &[design(1, "other", true)])
                .unwrap()
                .id,
            PlanId(3)
        );
        assert_eq!(course_sessions(&plans, plans.first()), 4);
        assert!(sessions_plan(&[], &chosen).is_none());
        assert_eq!(course_sessions(&[], None), 3);
    }

    #[test]
    fn a_touch_up_of_the_chosen_plan_is_followed_and_not_counted_in_the_course() {
        let plans = [
            plan(4, Some(2), None, 4),
            plan(3, None, Some("crown 62"), 2),
            plan(2, None, Some("crown 60"), 3),
        ];
        let chosen = [design(1, "crown 60", true)];
        let p = sessions_plan(&plans, &chosen).unwrap();
        assert_eq!(p.id, PlanId(4));
        assert_eq!(course_sessions(&plans, Some(p)), 3);
        // A parent chain that loops ends.
        let looped = [plan(5, Some(6), None, 3), plan(6, Some(5), None, 3)];
        assert!(!planned_from(&looped, &looped[0], "x"));
        assert!(course_sessions(&looped, Some(&looped[0])) >= 1);
    }

    /// A plan names the design version it came from (the chosen one where versions share the text); a chosen
    /// design never generated is said, and no longer once one of its plans exists.
    #[test]
    fn a_plan_names_its_design_and_a_chosen_design_without_a_plan_is_said() {
        let plans = [
            plan(4, Some(2), None, 4),
            plan(2, None, Some("crown 60"), 3),
            plan(1, None, Some("crown 55"), 3),
        ];
        let designs = [
            design(1, "crown 55", false),
            design(2, "crown 60", false),
            design(3, "crown 60", false),
            design(4, "crown 40", true),
        ];
        let of = |p: &PlanRecord| design_of(&plans, p, &designs).map(|d| d.id.0);
        assert_eq!(of(&plans[2]), Some(1));
        assert_eq!(of(&plans[1]), Some(3), "the newest of two alike");
        assert_eq!(of(&plans[0]), Some(3), "a touch-up: its parent's design");
        assert_eq!(chosen_unplanned(&plans, &designs).map(|d| d.id.0), Some(4));
        let mut chosen2 = designs.clone();
        chosen2[3].chosen = false;
        chosen2[1].chosen = true;
        assert_eq!(of(&plans[1]), Some(3));
        assert_eq!(
            design_of(&plans, &plans[1], &chosen2).map(|d| d.id.0),
            Some(2),
            "the chosen of two alike"
        );
        assert!(chosen_unplanned(&plans, &chosen2).is_none());
        assert!(
            chosen_unplanned(&plans, &designs[..3]).is_none(),
            "none chosen"
        );
    }
}
