//! Table-driven tests of the treatment gate: each screening outcome class × recording a session, booking
//! one and proposing the schedule, with and without a recorded clearance or an owner's override.

use follicle_clinic::gate::{check, check_intake, Basis};
use follicle_clinic::schedule::course_on_open_days;
use follicle_clinic::{
    course, screen, Action, Clearance, Date, Intake, Override, Refusal, RuleSet, ScheduleSettings,
    VisitKind,
};

/// The clinic's today in every case.
const TODAY: &str = "2025-03-10";

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn intake(extra: &str) -> Intake {
    let text = format!(
        "format = \"follicle-intake\"\nversion = 1\n[client]\nid = \"g-001\"\nname = \"Gate Client\"\ndate_of_birth = 1985-05-20\n\
         [consultation]\ndate = 2025-03-03\npractitioner = \"Ana Ruiz\"\n[skin]\nfitzpatrick = \"III\"\nundertone = \"neutral\"\n{extra}\n"
    );
    Intake::from_toml(&text).unwrap_or_else(|e| panic!("intake does not parse: {e}\n{text}"))
}

const GO: &str = "[hair_loss]\nscale = \"norwood\"\nstage = \"V\"";
const PRECAUTIONS: &str = "[[allergies]]\nkind = \"nickel\"";
const CLEARANCE: &str = "[[treatments]]\nname = \"anticoagulant\"\nongoing = true";
const DEFERRED: &str = "[[treatments]]\nname = \"isotretinoin\"\nlast = 2024-12-01"; // until 2025-06-01
const DEFERRED_OPEN: &str = "[[treatments]]\nname = \"isotretinoin\"\nongoing = true";
const NOT_SUITABLE: &str = "[[conditions]]\nname = \"keloid\"";
const DEFERRED_AND_CLEARANCE: &str = "[[treatments]]\nname = \"chemotherapy\"\nlast = 2024-12-20\n\n[[conditions]]\nname = \"diabetes\""; // until 2025-06-20

fn letter(covers: &[&str], date: &str) -> Clearance {
    Clearance {
        by: "Dr. H. Visser, general practitioner".into(),
        date: d(date),
        letter: "letter-2025-03-07.pdf".into(),
        covers: covers.iter().map(|s| s.to_string()).collect(),
        notes: None,
    }
}

fn owner(reason: &str) -> Override {
    Override {
        by: "Studio owner".into(),
        reason: reason.into(),
    }
}

/// What the gate must answer.
#[derive(Debug, PartialEq)]
enum Want {
    Go,
    Precautions,
    Cleared,
    Overridden,
    NeedsClearance,
    Deferred(Option<&'static str>),
    NotSuitable,
    RecordInFuture,
    BookInPast,
    BeforeBirth,
    Invalid,
}

fn answer(r: &Result<follicle_clinic::Permit, Refusal>) -> Want {
    match r {
        Ok(p) => match &p.basis {
            Basis::Go => Want::Go,
            Basis::Precautions { .. } => Want::Precautions,
            Basis::Cleared { .. } => Want::Cleared,
            Basis::Overridden { .. } => Want::Overridden,
        },
        Err(Refusal::NeedsClearance { .. }) => Want::NeedsClearance,
        Err(Refusal::Deferred { until, .. }) => Want::Deferred(
            until.map(|u| -> &'static str { Box::leak(u.to_string().into_boxed_str()) }),
        ),
        Err(Refusal::NotSuitable { .. }) => Want::NotSuitable,
        Err(Refusal::RecordInFuture { .. }) => Want::RecordInFuture,
        Err(Refusal::BeforeBirth { .. }) => Want::BeforeBirth,
        Err(Refusal::BookInPast { .. }) => Want::BookInPast,
        Err(Refusal::Invalid(_)) => Want::Invalid,
        Err(other) => panic!("unexpected refusal {other:?}"),
    }
}

struct Case {
    name: &'static str,
    intake: &'static str,
    clearance: Option<(&'static [&'static str], &'static str)>,
    reason: Option<&'static str>,
    action: Action,
    day: &'static str,
    want: Want,
}

const REASON: &str = "Cardiologist confirmed by phone; letter follows by post.";

use Action::{Book, Record};

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let c = |name, intake, action, day, want| Case { name, intake, clearance: None, reason: None, action, day, want };
    vec![
        c("go: record today", GO, Record, "2025-03-10", Want::Go),
        c("go: book next week", GO, Book, "2025-03-17", Want::Go),
        c("go: record a session that has not happened", GO, Record, "2025-03-11", Want::RecordInFuture),
        c("go: book yesterday", GO, Book, "2025-03-09", Want::BookInPast),
        c("go: record a day before the client was born (a year typed wrong)", GO, Record, "1900-01-01", Want::BeforeBirth),
        c("precautions: record", PRECAUTIONS, Record, "2025-03-10", Want::Precautions),
        c("precautions: book", PRECAUTIONS, Book, "2025-03-20", Want::Precautions),
        c("clearance: record without a letter", CLEARANCE, Record, "2025-03-10", Want::NeedsClearance),
        c("clearance: book without a letter", CLEARANCE, Book, "2025-03-20", Want::NeedsClearance),
        Case { clearance: Some((&[], "2025-03-07")), ..c("clearance: record with a letter", CLEARANCE, Record, "2025-03-10", Want::Cleared) },
        Case { clearance: Some((&["anticoagulant"], "2025-03-07")), ..c("clearance: book with a letter naming the rule", CLEARANCE, Book, "2025-03-20", Want::Cleared) },
        Case { clearance: Some((&["diabetes"], "2025-03-07")), ..c("clearance: a letter for another finding", CLEARANCE, Book, "2025-03-20", Want::NeedsClearance) },
        Case { clearance: Some((&[], "2025-03-08")), ..c("clearance: session held before the letter", CLEARANCE, Record, "2025-03-07", Want::NeedsClearance) },
        Case { clearance: Some((&[], "2025-03-12")), ..c("clearance: letter dated in the future", CLEARANCE, Book, "2025-03-20", Want::Invalid) },
        Case { reason: Some(REASON), ..c("clearance: owner override", CLEARANCE, Record, "2025-03-10", Want::Overridden) },
        Case { reason: Some("ok"), ..c("clearance: override without a real reason", CLEARANCE, Record, "2025-03-10", Want::Invalid) },
        c("deferred: record today", DEFERRED, Record, "2025-03-10", Want::Deferred(Some("2025-06-01"))),
        c("deferred: book the day before it ends", DEFERRED, Book, "2025-05-31", Want::Deferred(Some("2025-06-01"))),
        c("deferred: book the day it ends", DEFERRED, Book, "2025-06-01", Want::Go),
        Case { reason: Some(REASON), ..c("deferred: owner override", DEFERRED, Book, "2025-03-20", Want::Overridden) },
        c("deferred, date unknown: record", DEFERRED_OPEN, Record, "2025-03-10", Want::Deferred(None)),
        c("deferred, date unknown: book next year", DEFERRED_OPEN, Book, "2026-03-10", Want::Deferred(None)),
        c("not suitable: record", NOT_SUITABLE, Record, "2025-03-10", Want::NotSuitable),
        c("not suitable: book", NOT_SUITABLE, Book, "2026-03-10", Want::NotSuitable),
        Case { reason: Some(REASON), ..c("not suitable: an override does not lift it", NOT_SUITABLE, Book, "2025-03-20", Want::NotSuitable) },
        Case { clearance: Some((&[], "2025-03-07")), ..c("not suitable: nor does a clearance", NOT_SUITABLE, Record, "2025-03-10", Want::NotSuitable) },
        c("deferred and clearance: the deferral speaks first", DEFERRED_AND_CLEARANCE, Book, "2025-03-20", Want::Deferred(Some("2025-06-20"))),
        c("deferred and clearance: after the deferral, the clearance", DEFERRED_AND_CLEARANCE, Book, "2025-06-20", Want::NeedsClearance),
        Case { clearance: Some((&[], "2025-03-07")), ..c("deferred and clearance: cleared, still deferred", DEFERRED_AND_CLEARANCE, Book, "2025-03-20", Want::Deferred(Some("2025-06-20"))) },
        Case { clearance: Some((&[], "2025-03-07")), ..c("deferred and clearance: cleared, after the deferral", DEFERRED_AND_CLEARANCE, Book, "2025-06-20", Want::Cleared) },
    ]
}

#[test]
fn record_and_book_follow_the_screening() {
    let rules = RuleSet::embedded();
    let mut failures = Vec::new();
    for c in cases() {
        let i = intake(c.intake);
        let clearance = c.clearance.map(|(covers, date)| letter(covers, date));
        let over = c.reason.map(owner);
        let got = check_intake(
            &i,
            &rules,
            clearance.as_ref(),
            over.as_ref(),
            c.action,
            d(c.day),
            d(TODAY),
        );
        let got_want = answer(&got);
        if got_want != c.want {
            failures.push(format!(
                "{} ({} {}): got {got:?}, want {:?}",
                c.name, c.action, c.day, c.want
            ));
        }
        if let Ok(p) = &got {
            assert_eq!(
                (p.day(), p.action(), p.client_id()),
                (d(c.day), c.action, "g-001"),
                "{}",
                c.name
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_covers_each_outcome_class_for_record_and_book() {
    let rules = RuleSet::embedded();
    for action in [Record, Book] {
        for class in [GO, PRECAUTIONS, CLEARANCE, DEFERRED, NOT_SUITABLE] {
            assert!(
                cases()
                    .iter()
                    .any(|c| c.action == action && c.intake == class),
                "no {action} case for {class}"
            );
        }
    }
    // And the classes are what their names say.
    let on = d(TODAY);
    let outcome = |x: &str| screen(&intake(x), &rules, on).outcome.as_str();
    assert_eq!(
        [
            GO,
            PRECAUTIONS,
            CLEARANCE,
            DEFERRED,
            DEFERRED_OPEN,
            NOT_SUITABLE
        ]
        .map(outcome),
        [
            "go",
            "go-with-precautions",
            "physician-clearance",
            "defer-until",
            "defer-until",
            "not-suitable"
        ]
    );
}

#[test]
fn refusals_are_sentences_for_the_front_desk() {
    let rules = RuleSet::embedded();
    let today = d(TODAY);
    let say = |x: &str, day: &str| {
        check_intake(&intake(x), &rules, None, None, Book, d(day), today)
            .unwrap_err()
            .to_string()
    };
    let m = say(CLEARANCE, "2025-03-20");
    assert!(
        m.starts_with(
            "This client needs a physician's clearance before treatment (anticoagulant ongoing)"
        ),
        "{m}"
    );
    let m = say(DEFERRED, "2025-03-20");
    assert!(
        m.contains("deferred until 2025-06-01") && m.contains("isotretinoin, last 2024-12-01"),
        "{m}"
    );
    let m = say(NOT_SUITABLE, "2025-03-20");
    assert!(
        m.starts_with("This client is not suitable for treatment (keloid)"),
        "{m}"
    );
    let m = check("g-001", None, None, None, Record, today, today)
        .unwrap_err()
        .to_string();
    assert!(m.contains("has not been screened"), "{m}");
    let s = screen(&intake(GO), &rules, today);
    assert!(matches!(
        check("other", Some(&s), None, None, Record, today, today),
        Err(Refusal::WrongClient { .. })
    ));
}

/// One schedule case: what the first proposal and the markings must be.
struct ScheduleCase {
    name: &'static str,
    intake: &'static str,
    clearance: bool,
    done: &'static [&'static str],
    first: &'static str,
    /// First proposed session day, or `None` when nothing may be proposed.
    proposed: Option<&'static str>,
    overdue: usize,
}

#[rustfmt::skip]
const SCHEDULES: &[ScheduleCase] = &[
    ScheduleCase { name: "go: first session on the day asked", intake: GO, clearance: false, done: &[], first: "2025-03-12", proposed: Some("2025-03-12"), overdue: 0 },
    ScheduleCase { name: "go: a first day in the past is overdue, proposed again today", intake: GO, clearance: false, done: &[], first: "2025-03-01", proposed: Some(TODAY), overdue: 1 },
    ScheduleCase { name: "go: sessions held long ago, the next is overdue, proposed again today", intake: GO, clearance: false, done: &["2025-02-01"], first: "2025-03-10", proposed: Some(TODAY), overdue: 1 },
    ScheduleCase { name: "precautions: proposed as asked", intake: PRECAUTIONS, clearance: false, done: &[], first: "2025-03-12", proposed: Some("2025-03-12"), overdue: 0 },
    ScheduleCase { name: "clearance missing: nothing proposed", intake: CLEARANCE, clearance: false, done: &[], first: "2025-03-12", proposed: None, overdue: 0 },
    ScheduleCase { name: "clearance recorded: proposed as asked", intake: CLEARANCE, clearance: true, done: &[], first: "2025-03-12", proposed: Some("2025-03-12"), overdue: 0 },
    ScheduleCase { name: "deferred: first session on the deferral's end", intake: DEFERRED, clearance: false, done: &[], first: "2025-03-12", proposed: Some("2025-06-01"), overdue: 0 },
    ScheduleCase { name: "deferred: a later first day is kept", intake: DEFERRED, clearance: false, done: &[], first: "2025-06-10", proposed: Some("2025-06-10"), overdue: 0 },
    ScheduleCase { name: "deferred mid-course: next session waits", intake: DEFERRED, clearance: false, done: &["2025-03-01"], first: "2025-03-10", proposed: Some("2025-06-01"), overdue: 0 },
    ScheduleCase { name: "deferred, date unknown: nothing proposed", intake: DEFERRED_OPEN, clearance: false, done: &[], first: "2025-03-12", proposed: None, overdue: 0 },
    ScheduleCase { name: "not suitable: nothing proposed", intake: NOT_SUITABLE, clearance: false, done: &[], first: "2025-03-12", proposed: None, overdue: 0 },
    ScheduleCase { name: "deferred and clearance missing: nothing", intake: DEFERRED_AND_CLEARANCE, clearance: false, done: &[], first: "2025-03-12", proposed: None, overdue: 0 },
    ScheduleCase { name: "deferred and cleared: after the deferral", intake: DEFERRED_AND_CLEARANCE, clearance: true, done: &[], first: "2025-03-12", proposed: Some("2025-06-20"), overdue: 0 },
];

#[test]
fn schedule_follows_the_screening_and_today() {
    let rules = RuleSet::embedded();
    let today = d(TODAY);
    let mut failures = Vec::new();
    for c in SCHEDULES {
        let i = intake(c.intake);
        let s = screen(&i, &rules, today);
        let clearance = c.clearance.then(|| letter(&[], "2025-03-07"));
        let done: Vec<Date> = c.done.iter().map(|x| d(x)).collect();
        let got = course(
            &done,
            d(c.first),
            &ScheduleSettings::default(),
            false,
            &s,
            clearance.as_ref(),
            today,
        )
        .unwrap();
        let first = got.visits.first().map(|v| v.proposed.to_string());
        let overdue = got.visits.iter().filter(|v| v.overdue).count();
        if first.as_deref() != c.proposed
            || overdue != c.overdue
            || got.held_back.is_some() != c.proposed.is_none()
        {
            failures.push(format!(
                "{}: got first {first:?}, {overdue} overdue, held back {:?}; want {:?}, {} overdue",
                c.name, got.held_back, c.proposed, c.overdue
            ));
        }
        for v in &got.visits {
            // Nothing is proposed in the past; an overdue visit says since when.
            assert!(
                v.proposed >= today && v.earliest >= today,
                "{}: {v:?}",
                c.name
            );
            assert_eq!(v.overdue, v.overdue_since.is_some(), "{}", c.name);
            assert_eq!(
                v.overdue,
                v.overdue_since.is_some_and(|s| s < today),
                "{}",
                c.name
            );
            assert!(
                v.earliest <= v.proposed && v.proposed <= v.latest,
                "{}: {v:?}",
                c.name
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for class in [GO, PRECAUTIONS, CLEARANCE, DEFERRED, NOT_SUITABLE] {
        assert!(
            SCHEDULES.iter().any(|c| c.intake == class),
            "no schedule case for {class}"
        );
    }
}

#[test]
fn a_clearance_recorded_with_the_intake_is_read_from_the_file() {
    let text = format!("{CLEARANCE}\n\n[clearance]\nby = \"Dr. H. Visser\"\ndate = 2025-03-07\nletter = \"scan-0042.pdf\"\ncovers = [\"anticoagulant\"]\n");
    let i = intake(&text);
    let p = check_intake(
        &i,
        &RuleSet::embedded(),
        None,
        None,
        Book,
        d("2025-03-20"),
        d(TODAY),
    )
    .unwrap();
    assert!(matches!(p.basis, Basis::Cleared { ref rules, .. } if rules == &["anticoagulant"]));
    let e = Intake::from_toml(&intake_text_with(
        "[clearance]\nby = \" \"\ndate = 2025-03-07\nletter = \"x\"",
    ))
    .unwrap_err();
    assert_eq!(e.path, "clearance");
}

fn intake_text_with(extra: &str) -> String {
    format!(
        "format = \"follicle-intake\"\nversion = 1\n[client]\nid = \"g-001\"\nname = \"Gate Client\"\ndate_of_birth = 1985-05-20\n\
         [consultation]\ndate = 2025-03-03\npractitioner = \"Ana Ruiz\"\n[skin]\nfitzpatrick = \"III\"\nundertone = \"neutral\"\n{extra}\n"
    )
}

/// Consent before treatment (probe s8): a session is recorded only with the client's signature on the
/// treatment consent current that day, signed by that day on the clinic's calendar; an older version or a
/// signature after the session does not count.
#[test]
fn a_session_needs_the_current_treatment_consent_signed_by_its_day() {
    use follicle_clinic::gate::check_consent;
    use follicle_clinic::{ClinicZone, ConsentLibrary, DateTime, SignedConsent};
    let lib = ConsentLibrary::embedded();
    let sign = |version: u32, at: &str| {
        let at: DateTime = at.parse().unwrap();
        SignedConsent::sign(
            lib.get("smp-treatment", version).unwrap(),
            "g-001",
            at,
            "Ana Ruiz",
        )
        .unwrap()
    };
    let utc = ClinicZone::utc();
    let day = d("2025-03-20");
    assert_eq!(
        check_consent(&[], &lib, &utc, day).unwrap_err().to_string(),
        "This client has not signed the treatment consent yet: ask them to sign it on the tablet first."
    );
    let v1 = sign(1, "2025-02-20T10:00:00Z");
    assert!(matches!(
        check_consent(std::slice::from_ref(&v1), &lib, &utc, day),
        Err(Refusal::NoConsent {
            version: 2,
            signed: Some(1)
        })
    ));
    // Before v2 was published, v1 is the current text.
    assert!(check_consent(std::slice::from_ref(&v1), &lib, &utc, d("2025-02-25")).is_ok());
    let late = sign(2, "2025-03-21T09:00:00Z");
    assert_eq!(
        check_consent(std::slice::from_ref(&late), &lib, &utc, day).unwrap_err().to_string(),
        "The client signed the treatment consent on 2025-03-21, after this session's day (2025-03-20): a session is recorded on or after the day of signing; check the session's day."
    );
    // Signed at 21:00 in New York on the session's day is 02:00 UTC the next day: the clinic's day counts.
    let evening = sign(2, "2025-03-21T01:00:00Z");
    let ny = ClinicZone::get("America/New_York").unwrap();
    assert!(check_consent(std::slice::from_ref(&evening), &lib, &ny, day).is_ok());
    assert!(check_consent(std::slice::from_ref(&evening), &lib, &utc, day).is_err());
    let ok = sign(2, "2025-03-20T08:30:00Z");
    let both = [v1, ok.clone()];
    assert_eq!(check_consent(&both, &lib, &utc, day).unwrap(), &ok);
    // A record whose hash is not the text's (tampered or another text) does not count.
    let mut forged = ok;
    forged.text_sha256 = "0".repeat(64);
    assert!(check_consent(&[forged], &lib, &utc, day).is_err());
}

/// Probe s8 finding 7: a session due 20 months ago is proposed again from today (never in the past), marked
/// overdue since the day it was due with a note about the gap; the rest of the course and the touch-up follow
/// from the new day.
#[test]
fn an_overdue_session_is_proposed_again_from_today() {
    let today = d("2026-12-01");
    let s = screen(&intake(GO), &RuleSet::embedded(), today);
    let settings = ScheduleSettings::default();
    let held = [d("2025-03-10"), d("2025-03-20")];
    let got = course(&held, d("2025-03-10"), &settings, false, &s, None, today).unwrap();
    let v = &got.visits;
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(v[0].kind, VisitKind::Session { index: 3, of: 3 });
    assert_eq!(v[0].proposed, today);
    assert!(v[0].overdue);
    assert_eq!(v[0].overdue_since, Some(d("2025-03-30")));
    let note = v[0].overdue_note(today).unwrap();
    assert!(
        note.contains("Overdue since 2025-03-30 (about 20 months)"),
        "{note}"
    );
    assert!(note.contains("After so long a gap"), "{note}");
    // The touch-up counts from the session proposed today, not from one that never happened.
    assert_eq!(v[1].kind, VisitKind::TouchUp);
    assert!(!v[1].overdue && v[1].overdue_since.is_none());
    let months = settings.fading.touch_up_months(false) as i32;
    assert_eq!(v[1].proposed, today.add_months(months));
    // On closed days the new day moves to the next open one.
    let open = |x: Date| if x == today { x.add_days(1) } else { x };
    let got =
        course_on_open_days(&held, held[0], &settings, false, &s, None, today, &open).unwrap();
    assert_eq!(got.visits[0].proposed, today.add_days(1));
    // A course done long ago: the touch-up itself is overdue and proposed again from today.
    let held = [d("2020-01-10"), d("2020-01-20"), d("2020-01-30")];
    let got = course(&held, held[0], &settings, false, &s, None, today).unwrap();
    assert_eq!(got.visits.len(), 1);
    let t = got.visits[0];
    assert_eq!(
        (t.kind, t.proposed, t.overdue),
        (VisitKind::TouchUp, today, true)
    );
    assert!(t.earliest <= t.proposed && t.proposed <= t.latest, "{t:?}");
    // A short delay gets no long-gap advice.
    let late = [d("2026-11-01"), d("2026-11-11")];
    let got = course(&late, late[0], &settings, false, &s, None, today).unwrap();
    let note = got.visits[0].overdue_note(today).unwrap();
    assert!(
        note.starts_with("Overdue since 2026-11-21 (10 days)"),
        "{note}"
    );
    assert!(!note.contains("long gap"), "{note}");
}

/// Under 18 is "not suitable" on the day of treatment, not for good: a course starts on the 18th birthday or a
/// later first day asked for (outside probe s30: `--first` five days after the birthday was refused), and a
/// booking on or after that day passes the gate; another reason not to treat still holds everything back.
#[test]
fn a_minor_s_course_starts_on_the_18th_birthday() {
    let rules = RuleSet::embedded();
    let today = d(TODAY);
    let minor = |extra: &str| {
        let text = intake_text_with(extra).replace("1985-05-20", "2007-06-01");
        Intake::from_toml(&text).unwrap()
    };
    let s = screen(&minor(""), &rules, today);
    assert!(s.findings.iter().any(|f| f.rule == "age-under-18"), "{s:?}");
    let first_day = |first: &str, s: &follicle_clinic::Screening| {
        course(
            &[],
            d(first),
            &ScheduleSettings::default(),
            false,
            s,
            None,
            today,
        )
        .unwrap()
        .visits
        .first()
        .map(|v| v.proposed.to_string())
    };
    assert_eq!(first_day("2025-03-12", &s).as_deref(), Some("2025-06-01"));
    assert_eq!(first_day("2025-06-10", &s).as_deref(), Some("2025-06-10"));
    // The gate itself: a booking before the birthday is refused, on it allowed (the screening of today).
    assert!(matches!(
        check(
            "g-001",
            Some(&s),
            None,
            None,
            Action::Book,
            d("2025-05-31"),
            today
        ),
        Err(Refusal::NotSuitable { .. })
    ));
    assert!(check(
        "g-001",
        Some(&s),
        None,
        None,
        Action::Book,
        d("2025-06-01"),
        today
    )
    .is_ok());
    let keloid = screen(&minor(NOT_SUITABLE), &rules, today);
    assert_eq!(
        first_day("2025-06-10", &keloid),
        None,
        "keloid still holds it back"
    );
}
