//! The premises part of the store test suite (opening hours, breaks, closures, rooms, owners' overrides on
//! bookings), run by [`crate::conformance_day::run`] on every backend: what the store owns (replacing hours in
//! one step, hours and breaks replaced together, closures (single days and periods) as a list, room names
//! unique per clinic by key, retiring and restoring, isolation, the override kept with the booking and
//! audited, cleared by an ordinary move).

use crate::*;

const DAY: i64 = 1_900_000_000 - 1_900_000_000 % 86_400 + 30 * 86_400;

/// Runs the premises checks in clinic `a` (owner `alice`), with clinic `b` as the outsider.
pub fn run(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId, bob: UserId) {
    hours(s, a, alice, b);
    closures(s, a, alice, b);
    rooms(s, a, alice, b, bob);
    overrides(s, a, alice);
}

fn span(weekday: i64, opens: i64, closes: i64) -> OpeningSpan {
    OpeningSpan {
        weekday,
        opens,
        closes,
    }
}

fn hours(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId) {
    assert!(s.opening_hours(a).unwrap().is_empty(), "not entered yet");
    let week: Vec<_> = (0..5).map(|d| span(d, 540, 1080)).collect();
    assert_eq!(s.set_opening_hours(a, &week, alice).unwrap(), week);
    // Replaced as a whole: Saturday added, Monday closed.
    let next: Vec<_> = (1..6).map(|d| span(d, 600, 1440)).collect();
    assert_eq!(s.set_opening_hours(a, &next, alice).unwrap(), next);
    assert_eq!(s.opening_hours(a).unwrap(), next);
    // The database refuses nonsense, and the refusal changes nothing.
    for bad in [
        vec![span(7, 540, 600)],
        vec![span(0, 600, 540)],
        vec![span(0, 0, 1441)],
        vec![span(2, 540, 600), span(2, 700, 800)],
    ] {
        assert!(s.set_opening_hours(a, &bad, alice).is_err(), "{bad:?}");
        assert_eq!(s.opening_hours(a).unwrap(), next);
    }
    // The other clinic's hours are its own.
    assert!(s.opening_hours(b).unwrap().is_empty());
    let audit = s.audit(a, 50, 0).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.entity == "opening_hours" && e.detail.contains("Sat 10:00–24:00")));
}

fn brk(weekday: i64, starts: i64, ends: i64) -> BreakSpan {
    BreakSpan {
        weekday,
        starts,
        ends,
    }
}

fn closed(day: &str, reason: &str) -> ClosedPeriod {
    period(day, day, reason)
}

fn period(first: &str, last: &str, reason: &str) -> ClosedPeriod {
    ClosedPeriod {
        first_day: first.into(),
        last_day: last.into(),
        reason: reason.into(),
    }
}

fn closures(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId) {
    let before = s.opening_hours(a).unwrap();
    let entered_before = s.week_entered(a).unwrap();
    assert!(s.opening_breaks(a).unwrap().is_empty(), "none entered yet");
    // Hours and breaks replaced together: Monday 09:00–18:00 with lunch and a short afternoon break.
    let week = vec![span(0, 540, 1080), span(1, 540, 1080)];
    let breaks = vec![brk(0, 780, 840), brk(0, 960, 975), brk(1, 720, 750)];
    let (h, br) = s.set_week(a, &week, &breaks, true, alice).unwrap();
    assert_eq!((h, br.clone()), (week.clone(), breaks.clone()));
    assert_eq!(s.opening_breaks(a).unwrap(), breaks);
    // A refused week (a break the database cannot hold) changes neither hours nor breaks.
    for bad in [
        vec![brk(7, 600, 660)],
        vec![brk(0, 660, 600)],
        vec![brk(0, 600, 660), brk(0, 600, 700)],
    ] {
        assert!(
            s.set_week(a, &before, &bad, true, alice).is_err(),
            "{bad:?}"
        );
        assert_eq!(s.opening_hours(a).unwrap(), week);
        assert_eq!(s.opening_breaks(a).unwrap(), breaks);
    }
    assert!(s
        .set_week(a, &week, &vec![brk(0, 600, 615); 29], true, alice)
        .is_err());
    // Closures: single days and periods, replaced as a list, in order, each change audited.
    assert!(s.closed_periods(a).unwrap().is_empty());
    let days = vec![
        closed("2026-12-26", "Boxing Day"),
        period("2027-07-01", "2027-07-14", "Summer holiday"),
        closed("2026-12-25", "Christmas Day"),
    ];
    let stored = s.set_closed_periods(a, &days, alice).unwrap();
    assert_eq!(
        stored,
        vec![days[2].clone(), days[0].clone(), days[1].clone()],
        "in order of the first day"
    );
    let fewer = vec![closed("2026-12-25", "Christmas Day")];
    assert_eq!(s.set_closed_periods(a, &fewer, alice).unwrap(), fewer);
    for bad in [
        vec![closed("2026-12-25", "A"), closed("2026-12-25", "B")],
        vec![closed("25.12.26", "Short")],
        vec![period("2027-07-14", "2027-07-01", "Backwards")],
        vec![period("2027-07-01", "14.7.27", "Short")],
    ] {
        assert!(s.set_closed_periods(a, &bad, alice).is_err(), "{bad:?}");
        assert_eq!(s.closed_periods(a).unwrap(), fewer);
    }
    let too_many: Vec<ClosedPeriod> = (0..201)
        .map(|i| {
            closed(
                &format!("2027-{:02}-{:02}", 1 + i / 28, 1 + i % 28),
                "Closed",
            )
        })
        .collect();
    assert!(s.set_closed_periods(a, &too_many, alice).is_err());
    // The other clinic's are its own.
    assert!(s.opening_breaks(b).unwrap().is_empty());
    assert!(s.closed_periods(b).unwrap().is_empty());
    let audit = s.audit(a, 50, 0).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.entity == "opening_breaks" && e.detail.contains("Mon 13:00–14:00")));
    assert!(audit.iter().any(|e| e.entity == "closed_dates"
        && e.detail
            .contains("closed 2026-12-26 (Boxing Day), 2027-07-01 to 2027-07-14 (Summer holiday), 2026-12-25 (Christmas Day)")));
    assert!(audit.iter().any(|e| e.entity == "closed_dates"
        && e.detail
            .contains("open again 2026-12-26, 2027-07-01 to 2027-07-14")));
    // Every day closed is kept apart from no hours entered (schema 16, the third probe's L17).
    s.set_week(a, &[], &[], true, alice).unwrap();
    assert!(s.opening_hours(a).unwrap().is_empty() && s.week_entered(a).unwrap());
    s.set_week(a, &[], &[], false, alice).unwrap();
    assert!(!s.week_entered(a).unwrap());
    assert!(!s.week_entered(b).unwrap());
    s.set_week(a, &week, &[], false, alice).unwrap();
    assert!(s.week_entered(a).unwrap(), "hours given are hours entered");
    racing_replacements(s, a, alice, &week);
    // Back to the hours the later checks expect, without breaks.
    s.set_week(a, &before, &[], entered_before, alice).unwrap();
    s.set_closed_periods(a, &[], alice).unwrap();
    assert_eq!(s.opening_hours(a).unwrap(), before);
}

/// Four owners replacing the week's breaks, and the closed dates, at the same moment (two PostgreSQL nodes, the
/// third probe's M8): the replacements run one after another, so what is stored is one of the lists sent,
/// never a mix of several, and none of them is refused.
fn racing_replacements(s: &dyn Store, a: ClinicId, alice: UserId, week: &[OpeningSpan]) {
    for _round in 0..3 {
        let results: Vec<bool> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4i64)
                .map(|i| {
                    scope.spawn(move || {
                        let b = [brk(0, 600 + 60 * i, 630 + 60 * i)];
                        s.set_week(a, week, &b, true, alice).is_ok()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results.iter().all(|ok| *ok), "{results:?}");
        assert_eq!(s.opening_breaks(a).unwrap().len(), 1, "one list, not a mix");
        let results: Vec<bool> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..=4)
                .map(|i| {
                    scope.spawn(move || {
                        let d = [closed(&format!("2027-01-{i:02}"), "Race")];
                        s.set_closed_periods(a, &d, alice).is_ok()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results.iter().all(|ok| *ok), "{results:?}");
        assert_eq!(s.closed_periods(a).unwrap().len(), 1, "one list, not a mix");
    }
}

fn rooms(s: &dyn Store, a: ClinicId, alice: UserId, b: ClinicId, bob: UserId) {
    let one = s.add_room(a, "Room 1", "room 1", alice).unwrap();
    let blue = s.add_room(a, "Blue room", "blue room", alice).unwrap();
    assert!(matches!(
        s.add_room(a, "ROOM 1", "room 1", alice),
        Err(StoreError::Conflict(m)) if m == "There is already a room called Room 1."
    ));
    // The other clinic may have its own Room 1, and cannot see or change ours.
    let theirs = s.add_room(b, "Room 1", "room 1", bob).unwrap();
    assert!(matches!(
        s.update_room(b, one.id, None, Some(true), bob),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.rooms(b).unwrap(), vec![theirs]);
    // Renaming onto another room's name is refused; retiring keeps the room listed.
    assert!(matches!(
        s.update_room(a, blue.id, Some(("room 1", "room 1")), None, alice),
        Err(StoreError::Conflict(_))
    ));
    let retired = s.update_room(a, blue.id, None, Some(true), alice).unwrap();
    assert!(retired.retired_at.is_some());
    let again = s.update_room(a, blue.id, None, Some(true), alice).unwrap();
    assert_eq!(
        again.retired_at, retired.retired_at,
        "retiring twice keeps the first date"
    );
    let renamed = s
        .update_room(
            a,
            blue.id,
            Some(("Green room", "green room")),
            Some(false),
            alice,
        )
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.retired_at),
        ("Green room", None)
    );
    let names: Vec<_> = s.rooms(a).unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["Green room", "Room 1"]);
    let audit = s.audit(a, 50, 0).unwrap();
    assert!(audit.iter().any(|e| e.entity == "room"
        && e.detail == "Blue room: renamed from Blue room to Green room, back in use"));
}

fn overrides(s: &dyn Store, a: ClinicId, alice: UserId) {
    let c = s
        .create_client(
            a,
            &ClientFields {
                reference: "premises-1".into(),
                name: "Client premises".into(),
                date_of_birth: None,
                email: None,
                phone: None,
            },
            alice,
        )
        .unwrap()
        .id;
    let n = NewAppointment {
        client_id: c,
        practitioner_id: alice,
        room: "Room 1".into(),
        room_key: "room 1".into(),
        starts_at: DAY + 20 * 3600,
        ends_at: DAY + 21 * 3600,
        kind: "session".into(),
        purpose: "Session 1 of 3".into(),
        override_reason: Some("Evening session agreed with the client's physician".into()),
    };
    let ok = |_: &[Appointment]| Ok(());
    let w = (n.starts_at - 86_400, n.ends_at + 86_400);
    let booked = s.book_appointment(a, &n, w, &ok, alice).unwrap();
    assert_eq!(booked.override_reason, n.override_reason);
    assert_eq!(booked.override_by, Some(alice));
    assert!(booked.override_by_name.is_some() && booked.override_at.is_some());
    let audit = s.audit(a, 50, 0).unwrap();
    assert!(audit.iter().any(|e| e.action == "override"
        && e.entity_id == Some(booked.id.0)
        && e.detail.contains("physician")));
    // A move that needs no override clears it (the audit keeps the history).
    let plain = NewAppointment {
        override_reason: None,
        starts_at: DAY + 10 * 3600,
        ends_at: DAY + 11 * 3600,
        ..n.clone()
    };
    let moved = s
        .move_appointment(a, booked.id, &plain, Some(0), w, &ok, alice)
        .unwrap();
    assert_eq!(
        (moved.override_reason, moved.override_by, moved.revision),
        (None, None, 1)
    );
    let listed = s.appointment(a, booked.id).unwrap();
    assert_eq!(listed.override_at, None);
}
