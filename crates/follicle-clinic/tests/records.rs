//! Pigment lots, sessions, ink passport, consent and the exports, checked end to end on the example
//! files in examples/, with the .ics read back by Python's `icalendar` and the PDF rendered by pdftoppm.

use follicle_clinic::export::{
    html, ics, passport_document, pdf, reminders_ics, screening_document,
};
use follicle_clinic::{
    propose, screen, Catalogue, ConsentLibrary, Date, Format, InkPassport, Intake, LotError,
    RecordError, RuleSet, ScheduleSettings, SessionLog, SessionRecord,
};
use std::process::Command;

const PIGMENTS: &str = include_str!("../../../examples/pigments.toml");
const SESSIONS: &str = include_str!("../../../examples/sessions-c-2025-014.toml");
const DANIEL: &str = include_str!("../../../examples/intake-norwood6-go.toml");
const MARGARET: &str = include_str!("../../../examples/intake-scar-anticoagulant.toml");
const JONAS: &str = include_str!("../../../examples/intake-isotretinoin-nickel.toml");

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn catalogue() -> Catalogue {
    Catalogue::parse(PIGMENTS, Format::Toml).unwrap()
}

/// A session of client `client` on `date` with lot `lot`.
fn session(index: u32, date: &str, lot: &str) -> SessionRecord {
    let mut log = SessionLog::parse(SESSIONS, Format::Toml).unwrap();
    let mut s = log.sessions.remove(0);
    s.index = index;
    s.date = d(date);
    s.lot = lot.to_string();
    s
}

#[test]
fn a_lot_expiring_on_the_session_day_is_usable() {
    let client = Intake::from_toml(DANIEL).unwrap();
    let mut log = SessionLog::new(&client.client.id);
    // NC1-2409-113 expires 2025-03-31.
    log.record(
        session(1, "2025-03-31", "NC1-2409-113"),
        &client,
        &catalogue(),
    )
    .unwrap();
}

#[test]
fn a_lot_that_expired_the_day_before_is_refused_naming_lot_and_dates() {
    let client = Intake::from_toml(DANIEL).unwrap();
    let mut log = SessionLog::new(&client.client.id);
    let err = log
        .record(
            session(1, "2025-04-01", "NC1-2409-113"),
            &client,
            &catalogue(),
        )
        .unwrap_err();
    assert!(
        matches!(&err, RecordError::Lot { source, .. } if matches!(**source, LotError::Expired { .. }))
    );
    let msg = err.to_string();
    assert!(
        msg.contains("NC1-2409-113") && msg.contains("2025-03-31") && msg.contains("2025-04-01"),
        "{msg}"
    );
    assert!(log.sessions.is_empty());
}

#[test]
fn an_ingredient_the_client_is_allergic_to_is_refused_naming_both() {
    let client = Intake::from_toml(MARGARET).unwrap();
    let mut log = SessionLog::new(&client.client.id);
    let err = log
        .record(
            session(1, "2025-03-20", "NC1-2502-041"),
            &client,
            &catalogue(),
        )
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("Isopropyl alcohol (CAS 67-63-0)")
            && msg.contains("isopropyl alcohol (other)"),
        "{msg}"
    );
    assert!(msg.contains("Margaret O'Neill"), "{msg}");
    // The alcohol-free pigment is fine for her.
    log.record(
        session(1, "2025-03-20", "NG2-2411-007"),
        &client,
        &catalogue(),
    )
    .unwrap();
}

#[test]
fn nickel_statement_on_the_label_refuses_a_nickel_allergic_client() {
    let client = Intake::from_toml(JONAS).unwrap();
    let mut log = SessionLog::new(&client.client.id);
    let err = log
        .record(
            session(1, "2025-08-01", "NG2-2411-007"),
            &client,
            &catalogue(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("Contains nickel"), "{err}");
    log.record(
        session(1, "2025-08-01", "NC1-2502-041"),
        &client,
        &catalogue(),
    )
    .unwrap();
}

#[test]
fn sessions_out_of_order_or_for_another_client_are_refused() {
    let client = Intake::from_toml(DANIEL).unwrap();
    let mut log = SessionLog::new(&client.client.id);
    log.record(
        session(1, "2025-03-10", "NC1-2502-041"),
        &client,
        &catalogue(),
    )
    .unwrap();
    assert!(log
        .record(
            session(3, "2025-03-20", "NC1-2502-041"),
            &client,
            &catalogue()
        )
        .is_err());
    assert!(log
        .record(
            session(2, "2025-03-01", "NC1-2502-041"),
            &client,
            &catalogue()
        )
        .is_err());
    let other = Intake::from_toml(MARGARET).unwrap();
    assert!(matches!(
        log.record(
            session(2, "2025-03-20", "NC1-2502-041"),
            &other,
            &catalogue()
        ),
        Err(RecordError::WrongClient { .. })
    ));
}

#[test]
fn ink_passport_lists_every_lot_with_its_label() {
    let client = Intake::from_toml(DANIEL).unwrap();
    let log = SessionLog::parse(SESSIONS, Format::Toml).unwrap();
    let p = InkPassport::build(&client, &log, &catalogue()).unwrap();
    assert_eq!(p.entries.len(), 2);
    assert!(p
        .entries
        .iter()
        .all(|e| e.lot == "NC1-2409-113" && e.practitioner == "Ana Ruiz"));
    assert_eq!(p.pigments.len(), 1);
    let doc = html::render(&passport_document(&p, d("2025-03-20")));
    assert!(doc.contains("Mixture for use in tattoos or permanent make-up"));
    assert!(doc.contains("Citric acid (CAS 77-92-9) (pH regulator)"));
    assert!(doc.contains("No nickel statement on the label."));
}

#[test]
fn example_consent_verifies_against_the_shipped_text() {
    // The hash in the example was computed with Python's hashlib, independently of our SHA-256.
    let log = SessionLog::parse(SESSIONS, Format::Toml).unwrap();
    let lib = ConsentLibrary::embedded();
    for c in &log.consents {
        assert_eq!(c.verify(&lib).unwrap().version, 2);
    }
}

/// Runs `program args`, or fails the test with `why` when the program is missing.
fn require(program: &str, probe: &[&str], why: &str) {
    let ok = Command::new(program)
        .args(probe)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "{why} (the check needs `{program} {}` to succeed; scripts/test.sh installs it)",
        probe.join(" ")
    );
}

#[test]
fn ics_is_read_back_by_python_icalendar() {
    require(
        "python3",
        &["-c", "import icalendar"],
        "Python's `icalendar` package is not importable: run `pip install icalendar`",
    );
    let client = Intake::from_toml(DANIEL).unwrap();
    let log = SessionLog::parse(SESSIONS, Format::Toml).unwrap();
    let visits = propose(
        &log.dates(),
        d("2025-03-10"),
        &ScheduleSettings::default(),
        client.has_scars(),
    )
    .unwrap();
    let info = ics::CalendarInfo {
        client_id: &client.client.id,
        client_name: "Daniel Mensah; \"Dan\", the one with a very long name that forces folding of the summary line",
        studio: "Studio Noord, Amsterdam",
        uid_domain: "follicle.invalid",
        now: "2025-03-20T17:30:00Z".parse().unwrap(),
        zone: None,
    };
    let text = reminders_ics(&info, &visits);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reminders.ics");
    std::fs::write(&path, &text).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ics_check.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ics_check.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), visits.len());
    assert_eq!(events[0]["dtstart"], "2025-03-30");
    assert_eq!(events[0]["uid"], "c-2025-014-session-3@follicle.invalid");
    assert!(
        events[0]["summary"]
            .as_str()
            .unwrap()
            .ends_with(info.client_name),
        "escaping must round-trip"
    );
    assert_eq!(events[0]["location"], "Studio Noord, Amsterdam");
    // The touch-up 40 months after the last session (the preview's fading curve; 34 before session 3).
    assert_eq!(events[1]["dtstart"], "2028-07-30");
}

#[test]
fn pdf_is_rendered_by_pdftoppm() {
    require(
        "pdftoppm",
        &["-v"],
        "poppler-utils' `pdftoppm` is not installed: run `apt-get install -y poppler-utils`",
    );
    let client = Intake::from_toml(JONAS).unwrap();
    let s = screen(&client, &RuleSet::embedded(), d("2025-03-10"));
    let bytes = pdf::render(&screening_document(&s)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("screening.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "40"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftoppm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "pdftoppm complained: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pngs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert!(pngs >= 1);
    // The text is real text, not an image: pdftotext (same package) gets the outcome back.
    let text = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Deferred until 2025-07-20"), "{text}");
    assert!(text.contains("isotretinoin-6-months"), "{text}");
}

#[test]
fn recording_needs_a_permit_for_the_day_and_stays_inside_the_plan() {
    use follicle_clinic::gate::check_intake;
    use follicle_clinic::session::{PlanBounds, MAX_IMPRESSIONS_PER_SESSION};
    use follicle_clinic::Action;
    let client = Intake::from_toml(DANIEL).unwrap();
    let rules = RuleSet::embedded();
    let today = d("2025-03-20");
    let permit = |day: &str| {
        check_intake(&client, &rules, None, None, Action::Record, d(day), today).unwrap()
    };
    let plan = PlanBounds {
        zones: vec![
            "hairline".into(),
            "frontal".into(),
            "mid-scalp".into(),
            "crown".into(),
        ],
        remaining: 20_000,
    };
    let mut log = SessionLog::new(&client.client.id);
    let first = session(1, "2025-03-10", "NC1-2409-113");
    // A permit for another day does not do.
    let e = log
        .record_permitted(
            first.clone(),
            &client,
            &catalogue(),
            &permit("2025-03-11"),
            Some(&plan),
        )
        .unwrap_err();
    assert!(matches!(e, RecordError::NotPermitted { .. }), "{e}");
    // Not before the consultation (2025-03-03), not before the lot arrived (received 2024-10-02): a year typed
    // wrong is refused in words (probe s7 N22).
    let e = log
        .record_permitted(
            session(1, "2025-03-01", "NC1-2409-113"),
            &client,
            &catalogue(),
            &permit("2025-03-01"),
            Some(&plan),
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("before the consultation on 2025-03-03"), "{e}");
    let mut late_lot = catalogue();
    late_lot
        .lots
        .iter_mut()
        .find(|l| l.number == "NC1-2409-113")
        .unwrap()
        .received = Some(d("2025-03-15"));
    let e = log
        .record_permitted(
            first.clone(),
            &client,
            &late_lot,
            &permit("2025-03-10"),
            Some(&plan),
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("lot NC1-2409-113 arrived at the clinic on 2025-03-15, after the session's day"),
        "{e}"
    );
    // A booking permit is not a recording permit.
    let book = check_intake(
        &client,
        &rules,
        None,
        None,
        Action::Book,
        d("2025-03-20"),
        today,
    )
    .unwrap();
    assert!(log
        .record_permitted(
            session(1, "2025-03-20", "NC1-2409-113"),
            &client,
            &catalogue(),
            &book,
            Some(&plan)
        )
        .is_err());
    // Zones must be the plan's (with a suggestion), impressions within what is left and the hard cap.
    let mut typo = first.clone();
    typo.zones = vec!["nonsense-zone".into(), "crwn".into()];
    let e = log
        .record_permitted(
            typo.clone(),
            &client,
            &catalogue(),
            &permit("2025-03-10"),
            Some(&plan),
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("zone `nonsense-zone` is not a zone of the plan"),
        "{e}"
    );
    typo.zones = vec!["crwn".into()];
    let e = log
        .record_permitted(
            typo,
            &client,
            &catalogue(),
            &permit("2025-03-10"),
            Some(&plan),
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("did you mean `crown`"), "{e}");
    let mut many = first.clone();
    many.impressions = 20_001;
    let e = log
        .record_permitted(
            many.clone(),
            &client,
            &catalogue(),
            &permit("2025-03-10"),
            Some(&plan),
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("20001 impressions is more than the plan has left (20000)"),
        "{e}"
    );
    many.impressions = 99_999_999;
    let e = log
        .record(many, &client, &catalogue())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("at most {MAX_IMPRESSIONS_PER_SESSION}")),
        "{e}"
    );
    assert!(
        log.sessions.is_empty(),
        "nothing recorded by a refused session"
    );
    // The real thing goes in; a second session the same day does not.
    log.record_permitted(
        first,
        &client,
        &catalogue(),
        &permit("2025-03-10"),
        Some(&plan),
    )
    .unwrap();
    let e = log
        .record(
            session(2, "2025-03-10", "NC1-2409-113"),
            &client,
            &catalogue(),
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("a client has one session a day"), "{e}");
}

#[test]
fn a_session_with_values_no_session_can_have_is_refused_naming_the_field() {
    let client = Intake::from_toml(DANIEL).unwrap();
    let try_record = |change: &dyn Fn(&mut SessionRecord)| {
        let mut s = session(1, "2025-03-10", "NC1-2409-113");
        change(&mut s);
        SessionLog::new(&client.client.id)
            .record(s, &client, &catalogue())
            .map_err(|e| e.to_string())
    };
    assert_eq!(try_record(&|_| {}), Ok(()));
    type Change<'a> = &'a dyn Fn(&mut SessionRecord);
    let cases: [(Change, &str); 12] = [
        (&|s| s.notes = Some("a\u{0}b".into()), "notes"),
        (&|s| s.notes = Some("a\u{202e}b".into()), "notes"),
        (&|s| s.notes = Some("x".repeat(100_000)), "notes"),
        (&|s| s.photos = vec!["a\u{202e}b".into()], "photos[0]"),
        (&|s| s.photos = vec!["p.jpg".into(); 20_000], "photos named"),
        (&|s| s.needle.config = "\u{0}".into(), "needle.config"),
        (&|s| s.needle.diameter_mm = -1.0, "-1 mm"),
        (&|s| s.needle.diameter_mm = f64::NAN, "not a number"),
        (&|s| s.needle.diameter_mm = 1e308, "a needle of 1e308 mm"),
        (&|s| s.dilution.pigment = 0, "no pigment part"),
        (
            &|s| s.zones = vec!["crown".into(), "Crown".into()],
            "named twice",
        ),
        (&|s| s.impressions = 0, "impressions"),
    ];
    for (change, says) in cases {
        let e = try_record(change).unwrap_err();
        assert!(e.contains(says), "expected “{says}” in: {e}");
    }
    let e = try_record(&|s| s.zones.clear()).unwrap_err();
    assert!(e.contains("zones"), "{e}");
}

/// Outside probe s29: lot `nc1-2409-113` was taken beside lot `NC1-2409-113`, a pigment id beside the same id
/// in capitals, an ingredient listed twice, and a lot received months after its use-by day.
#[test]
fn look_alike_lots_and_ids_and_a_lot_received_after_its_expiry_are_refused() {
    let refused = |text: String, path: &str, words: &str| {
        let e = Catalogue::parse(&text, Format::Toml).unwrap_err();
        assert!(
            e.path == path && e.message.contains(words),
            "{path}: {words} / {e}"
        );
    };
    refused(
        format!("{PIGMENTS}\n[[lot]]\npigment = \"nocturne-carbon-1\"\nnumber = \" nc1-2409-113\"\nexpiry = 2027-01-01\n"),
        "lot[3].number",
        "reads the same as `NC1-2409-113`, already in the catalogue: use `NC1-2409-113`",
    );
    refused(
        format!("{PIGMENTS}\n[[lot]]\npigment = \"nocturne-carbon-1\"\nnumber = \"NC1-2409-113\"\nexpiry = 2027-01-01\n"),
        "lot[3].number",
        "lot number `NC1-2409-113` is already in the catalogue",
    );
    refused(
        format!("{PIGMENTS}\n[[lot]]\npigment = \"nocturne-carbon-1\"\nnumber = \"NC1-late\"\nexpiry = 2025-01-31\nreceived = 2025-11-02\n"),
        "lot[3].received",
        "arrived on 2025-11-02, after its use-by day 2025-01-31",
    );
    refused(
        PIGMENTS.replacen(
            "id = \"nocturne-graphite-2\"",
            "id = \"Nocturne-Carbon-1\"",
            1,
        ),
        "pigment[1].id",
        "pigment id `Nocturne-Carbon-1` reads the same as `nocturne-carbon-1`",
    );
    refused(
        PIGMENTS.replacen(
            "\"Glycerin (CAS 56-81-5)\", \"Isopropyl",
            "\"Glycerin (CAS 56-81-5)\", \"glycerin (CAS 56-81-5)\", \"Isopropyl",
            1,
        ),
        "pigment[0].ingredients[3]",
        "`glycerin (CAS 56-81-5)` is listed twice",
    );
}
