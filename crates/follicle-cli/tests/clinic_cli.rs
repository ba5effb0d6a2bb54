//! End-to-end tests of `follicle screen`, `follicle schedule` and `follicle passport` on the example files:
//! exit status by outcome class, files written, and located errors for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn follicle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(args)
        .output()
        .expect("the follicle binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The error on stderr as one line of words: the report's frame (`│`) and its line breaks, which fall
/// wherever the paths in it make them fall, removed.
fn said(o: &Output) -> String {
    stderr(o)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn example(name: &str) -> String {
    repo(&format!("examples/{name}")).display().to_string()
}

#[test]
fn screen_exits_by_outcome_class() {
    let cases = [
        ("intake-norwood6-go.toml", 0, "Go"),
        (
            "intake-scar-anticoagulant.toml",
            1,
            "Physician's clearance needed",
        ),
        (
            "intake-isotretinoin-nickel.toml",
            2,
            "Deferred until 2025-07-20",
        ),
        ("intake-chemo-alopecia.json", 2, "Deferred until 2025-04-15"),
    ];
    for (file, code, headline) in cases {
        let o = follicle(&["screen", &example(file), "--on", "2025-03-10"]);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{file}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(stdout(&o).contains(headline), "{file}: {}", stdout(&o));
    }
    // The chemotherapy wait ends on 2025-04-15: from that day the client may be treated (with precautions).
    let o = follicle(&[
        "screen",
        &example("intake-chemo-alopecia.json"),
        "--on",
        "2025-04-15",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("Go with precautions"));
}

/// A date of birth that cannot be meant (1800; 1902 typed for 1992) is refused naming the field, not screened
/// "Go" (outside probe s30).
#[test]
fn screen_refuses_a_date_of_birth_that_cannot_be_meant() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("intake-norwood6-go.toml")).unwrap();
    for (born, words) in [
        ("1800-01-01", "before 1900"),
        ("1902-11-02", "122 years old"),
    ] {
        let path = dir.path().join(format!("{born}.toml"));
        std::fs::write(&path, text.replace("1979-11-02", born)).unwrap();
        assert!(text.contains("1979-11-02"), "the example's date of birth");
        let o = follicle(&["screen", path.to_str().unwrap(), "--on", "2025-03-10"]);
        let err = said(&o);
        assert_ne!(o.status.code(), Some(0), "{err}");
        assert!(
            err.contains("client.date_of_birth")
                && err.contains(words)
                && err.contains("check the year"),
            "{born}: {err}"
        );
    }
}

#[test]
fn screen_refuses_an_under_18_client_with_exit_3_and_writes_reports() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("intake-norwood6-go.toml"))
        .unwrap()
        .replace("1979-11-02", "2007-11-02");
    let intake = dir.path().join("minor.toml");
    std::fs::write(&intake, text).unwrap();
    let out = dir.path().join("out");
    let o = follicle(&[
        "screen",
        intake.to_str().unwrap(),
        "--on",
        "2025-03-10",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["outcome"], "not-suitable");
    assert_eq!(json["findings"][0]["rule"], "age-under-18");
    for f in ["screening.html", "screening.pdf", "screening.json"] {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    // A PDF (written by krilla; its version is krilla's choice).
    assert!(std::fs::read(out.join("screening.pdf"))
        .unwrap()
        .starts_with(b"%PDF-1."));
}

#[test]
fn screen_names_file_field_and_line_and_suggests_the_closest_condition() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("intake-scar-anticoagulant.toml"))
        .unwrap()
        .replace("name = \"diabetes\"", "name = \"diabetis\"");
    let line = text.lines().position(|l| l.contains("diabetis")).unwrap() + 1;
    let intake = dir.path().join("typo.toml");
    std::fs::write(&intake, text).unwrap();
    let o = follicle(&["screen", intake.to_str().unwrap(), "--on", "2025-03-10"]);
    assert_eq!(o.status.code(), Some(4));
    let err = stderr(&o);
    assert!(err.contains("typo.toml"), "{err}");
    assert!(err.contains("conditions[1].name"), "{err}");
    assert!(err.contains("did you mean `diabetes`"), "{err}");
    assert!(
        err.contains(&format!("typo.toml:{line}:")),
        "no line {line} in: {err}"
    );
}

#[test]
fn screen_reports_a_missing_file() {
    let o = follicle(&["screen", "no/such/intake.toml"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("no/such/intake.toml"));
}

#[test]
fn schedule_proposes_the_next_session_and_writes_reminders() {
    let dir = tempfile::tempdir().unwrap();
    let o = follicle(&[
        "schedule",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        &example("sessions-c-2025-014.toml"),
        "--now",
        "2025-03-20T17:00:00Z",
        "--today",
        "2025-03-20",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("2 of 3 sessions held"), "{out}");
    assert!(
        out.contains("session 3 of 3") && out.contains("2025-03-30"),
        "{out}"
    );
    assert!(
        out.contains("touch-up") && out.contains("2028-07-30"),
        "{out}"
    );
    let ics = std::fs::read_to_string(dir.path().join("reminders.ics")).unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("DTSTART;VALUE=DATE:20250330\r\n")
    );
    assert!(ics.contains("DTSTAMP:20250320T170000Z\r\n"));
    assert!(!out.contains("note:"), "{out}");
    // Spacing closer than the skin heals is said (outside probe s30: `--min-days 1` without a word).
    let o = follicle(&[
        "schedule",
        &example("intake-norwood6-go.toml"),
        "--today",
        "2025-03-20",
        "--min-days",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("note: sessions may come 1 day apart: the skin needs about 7 days"),
        "{}",
        stdout(&o)
    );
}

/// The example intake of Margaret (clearance needed) with her physician's clearance recorded.
fn cleared_margaret(dir: &Path) -> String {
    let text = std::fs::read_to_string(example("intake-scar-anticoagulant.toml")).unwrap()
        + "\n[clearance]\nby = \"Dr. R. Shah, cardiologist\"\ndate = 2025-03-20\nletter = \"shah-2025-03-20.pdf\"\n";
    let path = dir.join("margaret-cleared.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn schedule_brings_scar_touch_ups_forward_and_checks_spacing() {
    // Margaret needs a physician's clearance: the schedule is proposed once it is recorded (issue 13).
    let dir = tempfile::tempdir().unwrap();
    let margaret = cleared_margaret(dir.path());
    let o = follicle(&[
        "schedule",
        &margaret,
        "--today",
        "2025-03-25",
        "--first",
        "2025-04-02",
        "--course",
        "4",
        "--interval",
        "12",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("session 4 of 4") && out.contains("2025-05-08"),
        "{out}"
    );
    assert!(
        out.contains("touch-up (scars: earlier)") && out.contains("2027-07-08"),
        "{out}"
    );
    let o = follicle(&[
        "schedule",
        &example("intake-norwood6-go.toml"),
        "--interval",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("preferred (20)"), "{}", stderr(&o));
}

#[test]
fn passport_writes_html_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let o = follicle(&[
        "passport",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        &example("sessions-c-2025-014.toml"),
        "--pigments",
        &example("pigments.toml"),
        "--today",
        "2025-03-20",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("lot NC1-2409-113"));
    assert!(stdout(&o).contains("SHA-256 verified"));
    let html = std::fs::read_to_string(dir.path().join("passport.html")).unwrap();
    assert!(
        html.contains("Mixture for use in tattoos or permanent make-up")
            && html.contains("NC1-2409-113")
    );
    let pdf = std::fs::read(dir.path().join("passport.pdf")).unwrap();
    assert!(
        pdf.starts_with(b"%PDF-1.") && pdf.trim_ascii_end().ends_with(b"%%EOF"),
        "a complete PDF"
    );
}

/// A session the consultation's screening holds back on its day (here a physician's clearance that was never
/// recorded) is not certified by a passport, as the studio refuses to record it (outside probe s30: the
/// passport was written with exit 0 and no word); with the clearance recorded in the intake it is.
#[test]
fn passport_refuses_sessions_the_screening_holds_back() {
    let dir = tempfile::tempdir().unwrap();
    let intake = std::fs::read_to_string(example("intake-norwood6-go.toml")).unwrap()
        + "\n[[conditions]]\nname = \"heart-condition\"\nnotes = \"pacemaker since 2019\"\n";
    let path = dir.path().join("intake.toml");
    std::fs::write(&path, &intake).unwrap();
    let run = |intake: &std::path::Path, out: &str| {
        follicle(&[
            "passport",
            intake.to_str().unwrap(),
            "--sessions",
            &example("sessions-c-2025-014.toml"),
            "--pigments",
            &example("pigments.toml"),
            "--today",
            "2025-03-20",
            "--out",
            dir.path().join(out).to_str().unwrap(),
        ])
    };
    let o = run(&path, "refused");
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = said(&o);
    assert!(
        err.contains("session 1 on")
            && err.contains("physician's clearance")
            && err.contains("[clearance]"),
        "{err}"
    );
    assert!(!dir.path().join("refused").exists(), "nothing written");
    let cleared = intake
        + "\n[clearance]\nby = \"Dr. R. Shah, cardiology\"\ndate = 2025-03-05\nletter = \"letter 2025-118\"\n";
    let cleared_path = dir.path().join("cleared.toml");
    std::fs::write(&cleared_path, cleared).unwrap();
    let o = run(&cleared_path, "cleared");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `follicle passport` on the example's sessions file with `from` replaced by `to`: its output, and whether
/// the output folder was written.
fn passport_with(from: &str, to: &str) -> (std::process::Output, bool) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("sessions-c-2025-014.toml"))
        .unwrap()
        .replace(from, to);
    let sessions = dir.path().join("sessions.toml");
    std::fs::write(&sessions, text).unwrap();
    let o = follicle(&[
        "passport",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        sessions.to_str().unwrap(),
        "--pigments",
        &example("pigments.toml"),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    (o, dir.path().join("out").exists())
}

#[test]
fn passport_refuses_a_session_with_an_expired_lot() {
    let (o, written) = passport_with("date = 2025-03-20", "date = 2025-04-01");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("NC1-2409-113")
            && err.contains("expired on 2025-03-31")
            && err.contains("2025-04-01"),
        "{err}"
    );
    assert!(!written, "nothing is written for an invalid record");
}

/// Outside probe s16: a session typed a month early (before the consultation and the consent) went into the
/// passport. Every session needs the treatment consent signed on or before its day.
#[test]
fn passport_refuses_a_session_before_the_signed_consent() {
    let (o, written) = passport_with("date = 2025-03-10", "date = 2025-02-10");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o)
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        err.contains("session 1 on 2025-02-10")
            && err.contains("no treatment consent signed on or before that day")
            && err.contains("2025-03-10T08:55:00Z"),
        "{err}"
    );
    assert!(!written);
}

#[test]
fn sessions_can_take_their_impressions_and_zones_from_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan_dir = dir.path().join("plan");
    let case = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/cases/norwood6-average.toml");
    let o = follicle(&[
        "plan",
        case.to_str().unwrap(),
        "--out",
        plan_dir.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan_dir.join("plan.json")).unwrap())
            .unwrap();
    let s1 = plan["sessions"][0]["impressions"].as_u64().unwrap();
    // The example record with session 1 linked to the plan: no impression count, no zones.
    let text = std::fs::read_to_string(example("sessions-c-2025-014.toml")).unwrap();
    let linked = text
        .replacen(
            "zones = [\"hairline\", \"frontal\", \"mid-scalp\", \"crown\"]\n",
            "plan = \"plan/plan.json\"\n",
            1,
        )
        .replacen("impressions = 7400\n", "", 1);
    assert_ne!(linked, text);
    let sessions = dir.path().join("sessions.toml");
    std::fs::write(&sessions, &linked).unwrap();
    let run = |sessions: &std::path::Path| {
        follicle(&[
            "passport",
            &example("intake-norwood6-go.toml"),
            "--sessions",
            sessions.to_str().unwrap(),
            "--pigments",
            &example("pigments.toml"),
            "--today",
            "2025-03-20",
            "--out",
            dir.path().join("out").to_str().unwrap(),
        ])
    };
    let o = run(&sessions);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("session 1: {s1} impressions in back, crown, frontal, hairline, mid_scalp, sides, temples (from plan/plan.json)")), "{out}");
    // A count that disagrees with the plan is refused, naming both.
    let wrong = linked.replacen(
        "plan = \"plan/plan.json\"\n",
        "plan = \"plan/plan.json\"\nimpressions = 5\n",
        1,
    );
    std::fs::write(&sessions, wrong).unwrap();
    let o = run(&sessions);
    assert_ne!(o.status.code(), Some(0));
    let err = said(&o);
    assert!(
        err.contains("impressions = 5 disagrees with session 1")
            && err.contains(&format!("({s1} impressions)")),
        "{err}"
    );
}

#[test]
fn schedule_follows_the_screening_and_marks_overdue_sessions() {
    let dir = tempfile::tempdir().unwrap();
    // Clearance needed and not recorded: nothing proposed, exit 1, in words.
    let o = follicle(&[
        "schedule",
        &example("intake-scar-anticoagulant.toml"),
        "--today",
        "2025-03-25",
        "--first",
        "2025-04-02",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "no session proposed: This client needs a physician's clearance before treatment"
        ),
        "{out}"
    );
    assert!(!out.contains("session 1 of 3"), "{out}");
    // With the clearance recorded in the intake, the course is proposed.
    let o = follicle(&[
        "schedule",
        &cleared_margaret(dir.path()),
        "--today",
        "2025-03-25",
        "--first",
        "2025-04-02",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("session 1 of 3") && stdout(&o).contains("2025-04-02"),
        "{}",
        stdout(&o)
    );
    // Deferred (chemotherapy until 2025-04-15): the first session on that day, even when asked earlier.
    let o = follicle(&[
        "schedule",
        &example("intake-chemo-alopecia.json"),
        "--today",
        "2025-03-10",
        "--first",
        "2025-03-12",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("deferred until 2025-04-15") && out.contains("session 1 of 3"),
        "{out}"
    );
    let first = out.lines().find(|l| l.contains("session 1 of 3")).unwrap();
    assert!(
        first.contains("2025-04-15") && !first.contains("2025-03-12"),
        "{out}"
    );
    // Under 18 (17 on the day): not suitable until the 18th birthday, when the course starts (s30).
    let minor = dir.path().join("minor.toml");
    std::fs::write(
        &minor,
        std::fs::read_to_string(example("intake-norwood6-go.toml"))
            .unwrap()
            .replace("1979-11-02", "2007-11-02"),
    )
    .unwrap();
    let o = follicle(&["schedule", minor.to_str().unwrap(), "--today", "2025-03-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let first = out
        .lines()
        .find(|l| l.contains("session 1 of 3"))
        .unwrap_or("");
    assert!(
        out.contains("deferred until 2025-11-02") && first.contains("2025-11-02"),
        "{out}"
    );
    // Not suitable (keloid): nothing, ever.
    let keloid = dir.path().join("keloid.toml");
    std::fs::write(
        &keloid,
        std::fs::read_to_string(example("intake-norwood6-go.toml")).unwrap()
            + "\n[[conditions]]\nname = \"keloid\"\n",
    )
    .unwrap();
    let o = follicle(&[
        "schedule",
        keloid.to_str().unwrap(),
        "--today",
        "2025-03-10",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("not suitable for treatment") && !stdout(&o).contains("session 1 of 3"),
        "{}",
        stdout(&o)
    );
    // Held sessions long ago: the next one is overdue and proposed again from today; the touch-up follows it.
    let o = follicle(&[
        "schedule",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        &example("sessions-c-2025-014.toml"),
        "--today",
        "2025-04-15",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |what: &str| {
        out.lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what} in {out}"))
            .to_string()
    };
    assert!(
        line("session 3 of 3").contains("2025-04-15 OVERDUE"),
        "{out}"
    );
    assert!(line("Overdue since 2025-03-30 (16 days)").contains("proposed again from 2025-04-15"));
    assert!(!line("touch-up").contains("OVERDUE"), "{out}");
}

/// Probe s8 finding 7: twenty months on, the missed session is proposed again from today, with a note about the
/// long gap; reminders.ics holds no event in the past and the touch-up counts from the new day. A client with
/// nothing proposed gets no empty reminders.ics.
#[test]
fn schedule_proposes_a_long_overdue_session_again_from_today() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let o = follicle(&[
        "schedule",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        &example("sessions-c-2025-014.toml"),
        "--today",
        "2026-12-01",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let session = out.lines().find(|l| l.contains("session 3 of 3")).unwrap();
    assert!(session.contains("2026-12-01 OVERDUE"), "{out}");
    assert!(!out.contains("2025-03-30 OVERDUE"), "{out}");
    assert!(
        out.contains("Overdue since 2025-03-30 (about 20 months)")
            && out.contains("After so long a gap"),
        "{out}"
    );
    let ics = std::fs::read_to_string(out_dir.join("reminders.ics")).unwrap();
    let starts: Vec<&str> = ics
        .lines()
        .filter_map(|l| l.trim_end().strip_prefix("DTSTART;VALUE=DATE:"))
        .collect();
    assert!(!starts.is_empty(), "{ics}");
    for s in &starts {
        assert!(*s >= "20261201", "an event in the past: {s}\n{ics}");
    }
    assert!(starts.contains(&"20261201"), "{ics}");
    assert!(!ics.contains("20250330"), "{ics}");
    // Nothing proposed (clearance missing): no empty calendar, said in words.
    let none_dir = dir.path().join("none");
    let o = follicle(&[
        "schedule",
        &example("intake-scar-anticoagulant.toml"),
        "--today",
        "2025-03-25",
        "--out",
        none_dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("no visit to propose: no reminders.ics written"),
        "{}",
        stdout(&o)
    );
    assert!(!none_dir.join("reminders.ics").exists());
}

/// Runs the binary with stdout on a pipe whose reading end is already closed: every write fails with
/// EPIPE, deterministically. Returns the exit status and stderr.
fn run_into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_keeps_the_outcome_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let minor = dir.path().join("minor.toml");
    std::fs::write(
        &minor,
        std::fs::read_to_string(example("intake-norwood6-go.toml"))
            .unwrap()
            .replace("1979-11-02", "2007-11-02"),
    )
    .unwrap();
    let minor = minor.display().to_string();
    for (file, code) in [
        (example("intake-norwood6-go.toml"), 0),
        (example("intake-scar-anticoagulant.toml"), 1),
        (example("intake-chemo-alopecia.json"), 2),
        (minor.clone(), 3),
    ] {
        for json in [false, true] {
            let mut args = vec!["screen", file.as_str(), "--on", "2025-03-10"];
            if json {
                args.push("--json");
            }
            let (status, err) = run_into_closed_pipe(&args);
            assert_eq!(status, Some(code), "{file} json={json}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // Schedule and passport write more than one line: the same.
    let (status, err) = run_into_closed_pipe(&[
        "schedule",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        &example("sessions-c-2025-014.toml"),
        "--today",
        "2025-03-20",
        "--aftercare",
    ]);
    assert_eq!(status, Some(0), "{err}");
    let (status, err) = run_into_closed_pipe(&[
        "schedule",
        &example("intake-scar-anticoagulant.toml"),
        "--today",
        "2025-03-10",
    ]);
    assert_eq!(status, Some(1), "{err}");
    let (status, err) = run_into_closed_pipe(&[
        "passport",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        &example("sessions-c-2025-014.toml"),
        "--pigments",
        &example("pigments.toml"),
        "--today",
        "2025-03-20",
        "--out",
        dir.path().join("p").to_str().unwrap(),
    ]);
    assert_eq!(status, Some(0), "{err}");
}

#[test]
fn piping_into_head_keeps_the_outcome_exit_status() {
    // What a receptionist's script does: the first line, and the exit status of follicle itself.
    let bin = env!("CARGO_BIN_EXE_follicle");
    let script = format!(
        "'{bin}' screen '{}' --on 2025-03-10 | head -1; exit ${{PIPESTATUS[0]}}",
        example("intake-chemo-alopecia.json")
    );
    let o = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .starts_with("Leila Haddad (c-2025-034) on 2025-03-10: Deferred until 2025-04-15"),
        "{}",
        stdout(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 1);
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn json_errors_name_code_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("intake-scar-anticoagulant.toml"))
        .unwrap()
        .replace("name = \"diabetes\"", "name = \"diabetis\"");
    let line = text.lines().position(|l| l.contains("diabetis")).unwrap() + 1;
    let intake = dir.path().join("typo.toml");
    std::fs::write(&intake, text).unwrap();
    let o = follicle(&[
        "screen",
        intake.to_str().unwrap(),
        "--on",
        "2025-03-10",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stdout(&o).is_empty());
    let e: serde_json::Value =
        serde_json::from_str(stderr(&o).trim()).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    let e = &e["error"];
    assert_eq!(e["code"], "invalid-input");
    assert_eq!(e["file"], intake.to_str().unwrap());
    assert_eq!(e["line"], line);
    assert_eq!(e["field"], "conditions[1].name");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `diabetes`"),
        "{e}"
    );
    // A value refused by a check after the file was read names its line too (outside probe s30: no line),
    // in TOML and in JSON; a missing field names the table that lacks it.
    let born = std::fs::read_to_string(example("intake-norwood6-go.toml"))
        .unwrap()
        .replace("1979-11-02", "2030-01-01");
    let born_line = born.lines().position(|l| l.contains("2030-01-01")).unwrap() + 1;
    let json = std::fs::read_to_string(example("intake-chemo-alopecia.json")).unwrap();
    let last = json
        .lines()
        .position(|l| l.contains("\"last\""))
        .expect("the example's treatment date");
    let json = json
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == last {
                l.replace("2024-10-15", "2026-10-15")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    for (name, text, field, line) in [
        ("born.toml", born, "client.date_of_birth", born_line),
        ("chemo.json", json, "treatments[0].last", last + 1),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let o = follicle(&[
            "screen",
            path.to_str().unwrap(),
            "--on",
            "2025-03-10",
            "--json",
        ]);
        assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
        let e: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
        assert_eq!(
            (e["error"]["field"].as_str(), e["error"]["line"].as_u64()),
            (Some(field), Some(line as u64)),
            "{e}"
        );
        let o = follicle(&["screen", path.to_str().unwrap(), "--on", "2025-03-10"]);
        assert!(
            said(&o).contains(&format!("{name}:{line}:")),
            "{}",
            said(&o)
        );
    }
    // A missing file, on schedule.
    let o = follicle(&["schedule", "no/such/intake.toml", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(
        (
            e["error"]["code"].as_str(),
            e["error"]["file"].as_str(),
            e["error"]["line"].as_u64()
        ),
        (Some("unreadable-file"), Some("no/such/intake.toml"), None)
    );
    // A refused record, on passport (an expired lot).
    let sessions = dir.path().join("sessions.toml");
    std::fs::write(
        &sessions,
        std::fs::read_to_string(example("sessions-c-2025-014.toml"))
            .unwrap()
            .replace("date = 2025-03-20", "date = 2025-04-01"),
    )
    .unwrap();
    let o = follicle(&[
        "passport",
        &example("intake-norwood6-go.toml"),
        "--sessions",
        sessions.to_str().unwrap(),
        "--pigments",
        &example("pigments.toml"),
        "--out",
        dir.path().join("out").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(e["error"]["code"], "refused");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired on 2025-03-31"),
        "{e}"
    );
}

#[test]
fn the_clinic_time_zone_sets_reminder_times_and_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let o = follicle(&[
        "schedule",
        &example("intake-norwood6-go.toml"),
        "--today",
        "2025-03-20",
        "--first",
        "2025-03-24",
        "--now",
        "2025-03-20T17:00:00Z",
        "--tz",
        "Europe/Warsaw",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ics = std::fs::read_to_string(dir.path().join("reminders.ics")).unwrap();
    // 09:00 in Warsaw the day before: CET on 2025-03-23, CEST on 2025-04-02 (clocks went forward on 03-30).
    assert!(
        ics.contains("TRIGGER;VALUE=DATE-TIME:20250323T080000Z\r\n")
            && ics.contains("TRIGGER;VALUE=DATE-TIME:20250402T070000Z\r\n"),
        "{ics}"
    );
    let o = follicle(&[
        "screen",
        &example("intake-norwood6-go.toml"),
        "--tz",
        "Europe/Warsw",
    ]);
    // A usage error: `screen`'s 4 (its 2 means deferred).
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stderr(&o).contains("did you mean `Europe/Warsaw`"),
        "{}",
        stderr(&o)
    );
}

/// Issue 13: with no clinic time zone given (`--tz`, `FOLLICLE_TZ`) `screen`, `schedule` and `passport` do not
/// treat the clinic as being in UTC silently: they say UTC is assumed, what it decides and how to give the zone
/// (on stderr; with `--json` as a `{"note": {"code": "zone-assumed"}}` object); with a zone given, or a day given
/// so that no zone matters, they say nothing; `--quiet` keeps it quiet.
#[test]
fn a_clinic_zone_not_given_is_said_never_taken_silently() {
    let go = example("intake-norwood6-go.toml");
    let run = |args: &[&str], tz: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_follicle"));
        c.args(args).env_remove("FOLLICLE_TZ");
        if let Some(tz) = tz {
            c.env("FOLLICLE_TZ", tz);
        }
        c.output().expect("the follicle binary runs")
    };
    for args in [vec!["screen", go.as_str()], vec!["schedule", go.as_str()]] {
        let o = run(&args, None);
        let e = stderr(&o);
        assert!(
            e.contains("note: The clinic's time zone is not known, so UTC is used: today is")
                && e.contains("--tz ZONE"),
            "{args:?}: {e}"
        );
        let o = run(&args, Some("Europe/Warsaw"));
        assert!(
            !stderr(&o).contains("time zone"),
            "{args:?}: {}",
            stderr(&o)
        );
        let mut with_tz = vec!["--tz", "Asia/Tokyo"];
        with_tz.extend(&args);
        let o = run(&with_tz, None);
        assert!(
            !stderr(&o).contains("time zone"),
            "{args:?}: {}",
            stderr(&o)
        );
        let mut quiet = vec!["--quiet"];
        quiet.extend(&args);
        assert!(stderr(&run(&quiet, None)).is_empty());
    }
    // The schedule in JSON names the zone it used; the note is a JSON object of its own.
    let o = run(&["schedule", &go, "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["zone"], "UTC");
    let n: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(n["note"]["code"], "zone-assumed", "{n}");
    // A day given: the zone decides nothing for the screening, so nothing is said.
    let o = run(&["screen", &go, "--on", "2025-03-10"], None);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}
