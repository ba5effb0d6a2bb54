//! The outside probe's CLI findings (s4, L3, L7–L9) and `follicle schedule --as`, through the real binary:
//! days that cannot be meant are refused in a sentence with the documented exit status and the calendar never
//! holds an event that ends before it starts; with `--json` every error, clap's own included, is the JSON error
//! object on stderr with the plain run's exit status; a touch-up that would add nothing is refused; and the
//! schedule follows the clinic's opening hours and closed dates kept in the studio's database.

mod records_support;

use follicle_store::*;
use records_support::{follicle, Studio};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
        .display()
        .to_string()
}

/// stderr, with miette's wrapped lines joined again.
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).replace("\n  │ ", " ")
}

/// The JSON error object on stderr (exactly one line, nothing else).
fn json_error(o: &Output) -> Value {
    let text = err(o);
    assert_eq!(text.trim_end().lines().count(), 1, "one JSON line: {text}");
    let v: Value = serde_json::from_str(text.trim_end())
        .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {text}"));
    let e = &v["error"];
    for key in ["code", "message", "file", "line", "field"] {
        assert!(e.get(key).is_some(), "`{key}` in {v}");
    }
    assert!(
        !e["message"].as_str().unwrap().is_empty() && !text.contains("Usage:"),
        "{v}"
    );
    v
}

#[test]
fn planning_days_that_cannot_be_meant_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ics");
    let go = example("intake-norwood6-go.toml");
    // L7: the first session in year 9999 or year 0, or a "today" of 9999, is refused (exit 2), nothing written.
    for (args, want) in [
        (
            vec!["--first", "9999-12-31"],
            "--first: 9999-12-31 is more than two years from today",
        ),
        (
            vec!["--first", "0000-01-01"],
            "--first: 0000-01-01 is before 1900: check the year.",
        ),
        (
            vec!["--today", "2025-03-10", "--first", "2027-06-01"],
            "--first: 2027-06-01 is more than two years from today (2025-03-10): check the year.",
        ),
        (
            vec!["--today", "9999-12-31"],
            "--today: 9999-12-31 is more than two years from today",
        ),
        (vec!["--max-days", "4000000000"], "at most 365 days apart"),
    ] {
        let mut all = vec!["schedule", go.as_str(), "--out", out.to_str().unwrap()];
        all.extend(&args);
        let o = follicle(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains(want), "{args:?}: {}", err(&o));
        assert!(
            !out.join("reminders.ics").exists(),
            "{args:?}: nothing written"
        );
        // The same with --json: the error object, the same status, the option named.
        all.push("--json");
        let o = follicle(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let v = json_error(&o);
        assert!(
            v["error"]["message"].as_str().unwrap().contains(want),
            "{v}"
        );
        if args[0] != "--max-days" {
            assert_eq!(v["error"]["code"], "invalid-argument", "{v}");
        }
    }
    // L8: a screening day before 1900 or years ahead is an input error (exit 4), not an outcome.
    for (on, want) in [
        (
            "0000-01-01",
            "--on: 0000-01-01 is before 1900: check the year.",
        ),
        (
            "9999-12-31",
            "--on: 9999-12-31 is more than two years from today",
        ),
    ] {
        let o = follicle(&["screen", &go, "--on", on]);
        assert_eq!(o.status.code(), Some(4), "{on}: {}", err(&o));
        assert!(err(&o).contains(want), "{}", err(&o));
        assert!(o.stdout.is_empty(), "no outcome printed");
        let o = follicle(&["screen", &go, "--on", on, "--json"]);
        assert_eq!(o.status.code(), Some(4));
        let v = json_error(&o);
        assert_eq!(v["error"]["field"], "--on", "{v}");
    }
    // An old consultation may still be screened for its own day, never for a day before it (the client
    // was 10 years old on 1990-05-01).
    let o = follicle(&["screen", &go, "--on", "2025-03-03"]);
    assert_ne!(o.status.code(), Some(4), "{}", err(&o));
    let o = follicle(&["screen", &go, "--on", "1990-05-01"]);
    assert_eq!(o.status.code(), Some(4), "{}", err(&o));
    assert!(
        err(&o).contains("--on: 1990-05-01 is before the consultation (2025-03-03)"),
        "{}",
        err(&o)
    );

    // A schedule that is written has every all-day event ending after it starts.
    let o = follicle(&[
        "schedule",
        &go,
        "--today",
        "2025-03-10",
        "--first",
        "2025-03-12",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let ics = std::fs::read_to_string(out.join("reminders.ics")).unwrap();
    let day = |line: &str, key: &str| line.strip_prefix(key).map(str::to_string);
    let starts: Vec<String> = ics
        .lines()
        .filter_map(|l| day(l, "DTSTART;VALUE=DATE:"))
        .collect();
    let ends: Vec<String> = ics
        .lines()
        .filter_map(|l| day(l, "DTEND;VALUE=DATE:"))
        .collect();
    assert_eq!(starts.len(), 4, "{ics}");
    assert_eq!(starts.len(), ends.len(), "{ics}");
    for (s, e) in starts.iter().zip(&ends) {
        assert!(e > s, "DTEND {e} after DTSTART {s}");
    }
}

#[test]
fn json_errors_for_every_command_line_mistake() {
    let go = example("intake-norwood6-go.toml");
    let sessions = example("sessions-c-2025-014.toml");
    let pigments = example("pigments.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // Each command that takes --json: a day that is no date, an unknown flag, a missing argument, a bad
    // number, a bad time zone.
    let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
        (
            vec!["screen", &go, "--on", "2026-02-30"],
            Some("--on <YYYY-MM-DD>"),
        ),
        (vec!["screen", &go, "--bogus"], Some("--bogus")),
        (vec!["screen"], Some("<INTAKE>")),
        (vec!["screen", &go, "--on"], Some("--on <YYYY-MM-DD>")),
        (
            vec!["--tz", "Mars/Olympus", "screen", &go],
            Some("--tz <ZONE>"),
        ),
        (
            vec!["schedule", &go, "--first", "2026-13-01"],
            Some("--first <YYYY-MM-DD>"),
        ),
        (
            vec!["schedule", &go, "--today", "yesterday"],
            Some("--today <YYYY-MM-DD>"),
        ),
        (vec!["schedule", &go, "--course", "-1"], None),
        (
            vec!["schedule", &go, "--now", "noon"],
            Some("--now <TIMESTAMP>"),
        ),
        (vec!["schedule", &go, "--database", "sqlite:x.db"], None),
        (vec!["schedule"], Some("<INTAKE>")),
        (
            vec!["passport", &go, "--pigments", &pigments, "--out", out],
            Some("--sessions <SESSIONS.toml>"),
        ),
        (
            vec![
                "passport",
                &go,
                "--sessions",
                &sessions,
                "--pigments",
                &pigments,
                "--out",
                out,
                "--today",
                "2025-3-1",
            ],
            Some("--today <YYYY-MM-DD>"),
        ),
        (vec!["-q", "passport", "--frobnicate"], Some("--frobnicate")),
    ];
    for (args, field) in cases {
        let plain = follicle(&args);
        let code = plain.status.code();
        // `screen`'s 2 means deferred: its usage errors exit 4, as unreadable input does.
        let usage = if args.contains(&"screen") { 4 } else { 2 };
        assert_eq!(
            code,
            Some(usage),
            "{args:?}: a usage error: {}",
            err(&plain)
        );
        let mut with = args.clone();
        with.push("--json");
        let o = follicle(&with);
        assert_eq!(o.status.code(), code, "{args:?}: the same exit status");
        assert!(o.stdout.is_empty(), "{args:?}");
        let v = json_error(&o);
        assert_eq!(v["error"]["code"], "invalid-argument", "{args:?}: {v}");
        if let Some(f) = field {
            assert_eq!(v["error"]["field"], f, "{args:?}: {v}");
        }
        assert!(
            !v["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("error:"),
            "{v}"
        );
    }
    // `--json=yes` is a mistake too, and still asks for JSON.
    let o = follicle(&["screen", &go, "--json=yes"]);
    assert_eq!(o.status.code(), Some(4));
    assert_eq!(json_error(&o)["error"]["code"], "invalid-argument");
    // --help and --version still print normally, whatever --json says.
    let o = follicle(&["screen", "--help", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Exit status"));
    // A command without --json keeps clap's plain message.
    let o = follicle(&["plan", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("Usage:"), "{}", err(&o));
}

#[test]
fn a_touch_up_that_adds_nothing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p");
    let o = follicle(&[
        "plan",
        &example("cases/scar-repair.toml"),
        "--out",
        plan.to_str().unwrap(),
        "-q",
        "--sessions",
        "2",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let saved = plan.join("plan.json");
    for add in ["1e-300", "0", "0.001", "-0.5", "NaN"] {
        let t = dir.path().join(format!("t{add}"));
        let o = follicle(&[
            "plan",
            "--extend",
            saved.to_str().unwrap(),
            &format!("--add={add}"),
            "--out",
            t.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "--add {add}: {}", err(&o));
        assert!(
            err(&o).contains("a touch-up adds from 0.01 (1 % of the full density) to 1"),
            "--add {add}: {}",
            err(&o)
        );
        assert!(!t.join("plan.json").exists());
    }
    // Options that would be silently ignored are refused (outside probe s17): --add without --extend, and
    // --seed or --sessions with it (a touch-up keeps its plan's seed and adds one session).
    let case = example("cases/scar-repair.toml");
    let t = dir.path().join("ignored");
    for args in [
        vec!["plan", case.as_str(), "--add", "0.2"],
        vec!["plan", "--extend", saved.to_str().unwrap(), "--seed", "1"],
        vec![
            "plan",
            "--extend",
            saved.to_str().unwrap(),
            "--sessions",
            "1",
        ],
    ] {
        let mut all = args.clone();
        all.extend(["--out", t.to_str().unwrap()]);
        let o = follicle(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("--"), "{args:?}: {}", err(&o));
        assert!(!t.join("plan.json").exists(), "{args:?}");
    }
}

/// Minutes after midnight.
fn at(h: i64) -> i64 {
    h * 60
}

#[test]
fn schedule_follows_the_clinic_s_days() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("follicle.db").display());
    let st = Studio::new(
        &url,
        &dir.path().join("photos"),
        &[("desk", Role::FrontDesk)],
    );
    // Open Monday to Friday; closed on Monday 2025-03-17 for staff training.
    let week: Vec<OpeningSpan> = (0..5)
        .map(|weekday| OpeningSpan {
            weekday,
            opens: at(9),
            closes: at(17),
        })
        .collect();
    st.store
        .set_week(st.clinic, &week, &[], true, st.owner)
        .unwrap();
    st.store
        .set_closed_periods(
            st.clinic,
            &[ClosedPeriod {
                first_day: "2025-03-17".into(),
                last_day: "2025-03-17".into(),
                reason: "Staff training".into(),
            }],
            st.owner,
        )
        .unwrap();
    drop(st);
    let go = example("intake-norwood6-go.toml");
    let schedule = |extra: &[&str]| {
        let mut args = vec![
            "schedule",
            &go,
            "--today",
            "2025-03-10",
            "--first",
            "2025-03-15",
            "--json",
        ];
        args.extend(extra);
        follicle(&args)
    };
    let proposed = |o: &Output| -> Vec<String> {
        assert_eq!(o.status.code(), Some(0), "{}", err(o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["visits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["proposed"].as_str().unwrap().to_string())
            .collect()
    };
    // Without the clinic: Saturday the 15th as asked, then every 10 days.
    let alone = proposed(&schedule(&[]));
    assert_eq!(alone[..3], ["2025-03-15", "2025-03-25", "2025-04-04"]);
    // With it (any role may ask): Saturday → Monday 17th, closed → Tuesday 18th; then 28th (a Friday);
    // 7 April (a Monday). The touch-up is on a weekday too.
    let clinic = proposed(&schedule(&["--database", &url, "--as", "desk"]));
    assert_eq!(clinic[..3], ["2025-03-18", "2025-03-28", "2025-04-07"]);
    let touch_up: follicle_clinic::Date = clinic[3].parse().unwrap();
    assert!(
        touch_up.to_jiff().weekday().to_monday_zero_offset() < 5,
        "{touch_up}"
    );
    // The plain text says the same.
    let o = follicle(&[
        "schedule",
        &go,
        "--today",
        "2025-03-10",
        "--first",
        "2025-03-15",
        "--database",
        &url,
        "--as",
        "desk",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("session 1 of 3") && l.contains("2025-03-18")),
        "{text}"
    );
    // An unknown user is refused in words.
    let o = follicle(&[
        "schedule",
        &go,
        "--database",
        &url,
        "--as",
        "nobody",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v = json_error(&o);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no active user `nobody`"),
        "{v}"
    );
}

#[test]
fn schedule_follows_the_studio_s_database_without_as() {
    // `follicle serve`'s database at follicle-data/follicle.db beside the command: its one clinic's days are
    // followed without --as, and the output says whose days they are.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("follicle-data");
    let url = format!("sqlite:{}", data.join("follicle.db").display());
    let st = Studio::new(&url, &data.join("photos"), &[("desk", Role::FrontDesk)]);
    let week: Vec<OpeningSpan> = (0..5)
        .map(|weekday| OpeningSpan {
            weekday,
            opens: at(9),
            closes: at(17),
        })
        .collect();
    st.store
        .set_week(st.clinic, &week, &[], true, st.owner)
        .unwrap();
    st.store
        .set_closed_periods(
            st.clinic,
            &[ClosedPeriod {
                first_day: "2025-03-17".into(),
                last_day: "2025-03-17".into(),
                reason: "Staff training".into(),
            }],
            st.owner,
        )
        .unwrap();
    let go = example("intake-norwood6-go.toml");
    let schedule = |cwd: &Path, extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_follicle"))
            .args([
                "schedule",
                &go,
                "--today",
                "2025-03-10",
                "--first",
                "2025-03-15",
            ])
            .args(extra)
            .current_dir(cwd)
            .env("FOLLICLE_TZ", "Europe/Warsaw")
            .output()
            .unwrap()
    };
    let o = schedule(dir.path(), &["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let days: Vec<&str> = v["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["proposed"].as_str().unwrap())
        .collect();
    assert_eq!(days[..3], ["2025-03-18", "2025-03-28", "2025-04-07"], "{v}");
    assert_eq!(
        v["clinic_days"], "the opening hours and closed dates of Studio",
        "{v}"
    );
    let o = schedule(dir.path(), &[]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("clinic days: the opening hours and closed dates of Studio"),
        "{text}"
    );
    // Elsewhere, without a database: the days are not known, and the output says what to pass.
    let elsewhere = tempfile::tempdir().unwrap();
    let o = schedule(elsewhere.path(), &["--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["visits"][0]["proposed"], "2025-03-15", "{v}");
    let said = v["clinic_days"].as_str().unwrap();
    assert!(
        said.starts_with("not known") && said.contains("--database URL"),
        "{said}"
    );
    // A database named but missing is refused, never made.
    let o = schedule(
        elsewhere.path(),
        &["--database", "sqlite:nothing.db", "--json"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(json_error(&o)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no studio database at nothing.db"));
    assert!(!elsewhere.path().join("nothing.db").exists());
    let o = schedule(elsewhere.path(), &["--as", "desk", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let e = json_error(&o);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--database URL"),
        "{e}"
    );
    // A chain's database: whose days must be said.
    st.store
        .create_clinic_with_owner("Studio Süd", &records_support::user("sued", Role::Owner))
        .unwrap();
    drop(st);
    let o = schedule(dir.path(), &["--json"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let e = json_error(&o);
    let m = e["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("holds 2 clinics (`Studio`, `Studio Süd`)") && m.contains("--as USER"),
        "{m}"
    );
    let o = schedule(dir.path(), &["--as", "desk", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn an_intake_error_never_repeats_a_megabyte_line() {
    // The probe's L10, found again on the clinic commands: the case files were fixed, the intake was not.
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.toml");
    std::fs::write(
        &long,
        format!(
            "format = \"follicle-intake\"\nversion = 1\nnotes = \"{}\"\n",
            "x".repeat(2_000_000)
        ),
    )
    .unwrap();
    let deep = dir.path().join("deep.toml");
    std::fs::write(&deep, "[".repeat(100_000)).unwrap();
    for file in [&long, &deep] {
        for command in ["screen", "schedule"] {
            let o = follicle(&[command, file.to_str().unwrap()]);
            assert!(!o.status.success());
            let text = err(&o);
            assert!(
                text.len() < 4000,
                "{command}: {} bytes of error",
                text.len()
            );
            assert!(
                text.contains(file.file_name().unwrap().to_str().unwrap()),
                "{text}"
            );
        }
    }
}
