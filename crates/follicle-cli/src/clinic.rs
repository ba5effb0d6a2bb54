//! `follicle screen`, `follicle schedule` and `follicle passport`: the clinic records over files, for
//! studios without the server. Reads intake / sessions / pigment files (TOML or JSON by extension), calls
//! follicle-clinic, prints a summary and writes .html/.pdf/.ics/.json into `--out`. The clock is read
//! here (defaults for `--on`, `--today`, `--now`), never in the library.

use crate::input::{self, shown};
use clap::Args;
use follicle_clinic::export::{
    html, ics, passport_document, pdf, reminders_ics, screening_document,
};
use follicle_clinic::schedule::{
    check_first_day, check_screening_day, check_screening_on, course_on_open_days,
};
use follicle_clinic::{
    screen as run_screening, Aftercare, Catalogue, ClinicZone, ConsentLibrary, Date, DateTime,
    Format, InkPassport, Intake, Outcome, RuleSet, ScheduleSettings, SessionLog, SourceError,
    VisitKind, ZoneSource,
};
use miette::{Diagnostic, IntoDiagnostic, NamedSource, Result, SourceSpan, WrapErr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `follicle screen`.
#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 go or go with precautions, 1 physician's clearance needed, 2 deferred, \
3 not suitable, 4 the intake or rules file could not be read, the command line is mistyped, or --on is \
before the consultation or more than two years ahead (see docs/screening.md).\n\n\
Examples:\n  follicle screen examples/intake-norwood6-go.toml\n  follicle screen examples/intake-chemo-alopecia.json --on 2025-05-01 --out out/leila"
)]
pub struct ScreenArgs {
    /// The intake file (TOML, or JSON when it ends in .json; see docs/intake-format.md).
    pub intake: PathBuf,
    /// The day to screen for (the intended treatment day); default today in the clinic's time zone (--tz).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<Date>,
    /// Use this rules file instead of the built-in rule set.
    #[arg(long, value_name = "RULES.toml")]
    pub rules: Option<PathBuf>,
    /// Also write screening.html, screening.pdf and screening.json into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the result as JSON instead of text, and errors as a JSON object on stderr
    /// (`{"error": {"code", "message", "file", "line", "field"}}`).
    #[arg(long)]
    pub json: bool,
}

/// Options of `follicle schedule`.
#[derive(Args, Debug)]
#[command(
    after_help = "The schedule follows the client's screening for today: nothing is proposed for a client who is not \
suitable, whose physician's clearance is not recorded (a [clearance] table in the intake, see docs/intake-format.md) or whose \
deferral has no date yet (exit status 1); a deferred client's next session is on or after the deferral's end. Proposed days \
before today are proposed again from today (the next clinic day), marked OVERDUE since the day they were due. --first is within two years of today; --today and every session held are from 1900 \
to at most two years ahead (exit status 2 otherwise, with the sentence).\n\n\
Examples:\n  follicle schedule examples/intake-norwood6-go.toml --sessions examples/sessions-c-2025-014.toml --out out/daniel\n  follicle schedule examples/intake-scar-anticoagulant.toml --today 2025-03-25 --first 2025-04-02 --course 4 --interval 12"
)]
pub struct ScheduleArgs {
    /// The client's intake file.
    pub intake: PathBuf,
    /// The client's sessions file (sessions already held); none held when omitted.
    #[arg(long, value_name = "SESSIONS.toml")]
    pub sessions: Option<PathBuf>,
    /// Day of the first session when none has been held; default today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub first: Option<Date>,
    /// Today's date in the clinic (screening day; proposals before it are overdue); default the clock's today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<Date>,
    /// Sessions in the course.
    #[arg(long, default_value_t = 3)]
    pub course: u32,
    /// Proposed days between sessions.
    #[arg(long, default_value_t = 10)]
    pub interval: u32,
    /// Fewest days between sessions.
    #[arg(long, default_value_t = 7)]
    pub min_days: u32,
    /// Most days between sessions.
    #[arg(long, default_value_t = 14)]
    pub max_days: u32,
    /// Studio name for the calendar entries.
    #[arg(long, default_value = "SMP studio")]
    pub studio: String,
    /// Timestamp for the calendar's DTSTAMP (UTC, YYYY-MM-DDTHH:MM:SSZ); default now.
    #[arg(long, value_name = "TIMESTAMP")]
    pub now: Option<DateTime>,
    /// Also print the day-by-day aftercare after the last session held.
    #[arg(long)]
    pub aftercare: bool,
    /// Write reminders.ics into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the proposal as JSON, and errors as a JSON object on stderr.
    #[arg(long)]
    pub json: bool,
    /// Follow the days of this user's clinic (any role) when the studio's database holds several clinics.
    #[arg(long = "as", value_name = "USER")]
    pub user: Option<String>,
    /// The studio's database: proposed days move to the next day its clinic opens, by the opening hours and
    /// closed dates kept there. Default: sqlite:follicle-data/follicle.db (`follicle serve`'s) when that file
    /// exists; without it the clinic's days are not known, and the output says so.
    #[arg(long, value_name = "URL")]
    pub database: Option<crate::serve::DatabaseUrl>,
}

/// The clinic's open days (none known without a database), the words saying whose they are, and the zone
/// stored with the clinic.
type ClinicDays = (
    Option<follicle_server::routes::OpenDays>,
    String,
    Option<String>,
);

/// `follicle serve`'s database, which `follicle schedule` follows when it exists.
const DEFAULT_DATABASE: &str = "follicle-data/follicle.db";

/// The days the clinic opens, from the studio's database (`follicle schedule`): the server's own reading of
/// the hours, breaks and closed dates, so the CLI proposes the days the studio would; with the words saying
/// whose days they are, or why none are known and what to pass.
/// The third value is the zone stored with that clinic, if any.
fn clinic_open_days(a: &ScheduleArgs) -> Result<ClinicDays> {
    let database = match (&a.database, &a.user) {
        (Some(d), _) => d.clone(),
        (None, _) if std::path::Path::new(DEFAULT_DATABASE).is_file() => {
            crate::serve::DatabaseUrl(format!("sqlite:{DEFAULT_DATABASE}"))
        }
        (None, Some(_)) => {
            return Err(ArgError::of(
                "--as",
                format!("--as: there is no studio database at {DEFAULT_DATABASE}; say which with --database URL"),
            )
            .into())
        }
        (None, None) => {
            return Ok((None, format!("not known (no studio database at {DEFAULT_DATABASE}): proposals may fall on closed days; pass --database URL to follow the clinic's opening hours and closed dates"), None))
        }
    };
    // Planning reads the studio's days: never create an empty database for it.
    if let Some(path) = database
        .0
        .strip_prefix("sqlite://")
        .or_else(|| database.0.strip_prefix("sqlite:"))
    {
        if !std::path::Path::new(path).is_file() {
            return Err(ArgError::of(
                "--database",
                format!("--database: there is no studio database at {}; give the file `follicle serve` uses", shown(path)),
            )
            .into());
        }
    }
    let store = follicle_store::open(&database.0)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot open the database {database:?}"))?;
    let clinic = match &a.user {
        Some(user) => {
            let (user, _) = store
                .user_for_login(user)
                .into_diagnostic()?
                .ok_or_else(|| {
                    ArgError::of(
                        "--as",
                        format!("--as: no active user `{}` in this studio", shown(user)),
                    )
                })?;
            store.clinic(user.clinic_id).into_diagnostic()?
        }
        None => {
            let clinics = store.clinics().into_diagnostic()?;
            match clinics.as_slice() {
                [one] => one.clone(),
                [] => {
                    return Err(ArgError::of(
                        "--database",
                        format!("--database: {database:?} holds no clinic yet; set the studio up with `follicle serve --init`"),
                    )
                    .into())
                }
                many => {
                    let names: Vec<String> = many.iter().map(|c| format!("`{}`", shown(&c.name))).collect();
                    return Err(ArgError::of(
                        "--as",
                        format!("--as: this studio's database holds {} clinics ({}); say whose days to follow with --as USER (any user of that clinic)", many.len(), names.join(", ")),
                    )
                    .into());
                }
            }
        }
    };
    let days = follicle_server::routes::open_days(&*store, clinic.id)
        .map_err(|e| miette::miette!("cannot read the clinic's opening hours: {e}"))?;
    let stored = store.clinic_time_zone(clinic.id).into_diagnostic()?;
    // A new studio has no opening hours yet: every day counts as open, which the line says (outside probe s30:
    // a Sunday was proposed under "the opening hours … of My studio").
    let hours_set = store.week_entered(clinic.id).into_diagnostic()?;
    let words = if hours_set {
        format!(
            "the opening hours and closed dates of {}",
            shown(&clinic.name)
        )
    } else {
        format!(
            "the closed dates of {}; it has no opening hours set yet, so every other day counts as open (set them in the studio's clinic settings)",
            shown(&clinic.name)
        )
    };
    Ok((Some(days), words, stored))
}

/// Options of `follicle passport`.
#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  follicle passport examples/intake-norwood6-go.toml --sessions examples/sessions-c-2025-014.toml --pigments examples/pigments.toml --out out/daniel"
)]
pub struct PassportArgs {
    /// The client's intake file.
    pub intake: PathBuf,
    /// The client's sessions file.
    #[arg(long, value_name = "SESSIONS.toml")]
    pub sessions: PathBuf,
    /// The studio's pigment catalogue and lots.
    #[arg(long, value_name = "PIGMENTS.toml")]
    pub pigments: PathBuf,
    /// Issue date printed on the passport; default today in the clinic's time zone (--tz).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<Date>,
    /// Directory for passport.html and passport.pdf.
    #[arg(long)]
    pub out: PathBuf,
    /// Print the passport as JSON, and errors as a JSON object on stderr.
    #[arg(long)]
    pub json: bool,
}

/// A bad input file, shown with miette: the file, the field path, and the line when the parser knows it.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}{at}: {error}")]
struct InputError {
    file: String,
    line: Option<usize>,
    at: String,
    error: SourceError,
    #[source_code]
    src: NamedSource<String>,
    #[label("here")]
    span: Option<SourceSpan>,
}

impl InputError {
    fn new(path: &Path, text: &str, error: SourceError) -> InputError {
        let error = error.located(text);
        let position = error.line_column(text);
        let at = position
            .map(|(l, c)| format!(":{l}:{c}"))
            .unwrap_or_default();
        let span = error
            .span
            .clone()
            .map(|r| SourceSpan::from((r.start, r.end.saturating_sub(r.start).max(1))));
        let file = path.display().to_string();
        // The file's text only when the lines around the error are short (never megabytes of one line).
        let (src, span) = follicle_case::excerpt(&file, text, span);
        InputError {
            src,
            file,
            line: position.map(|(l, _)| l),
            at,
            span,
            error,
        }
    }
}

/// An option's value the rules refuse (a day out of range): the option and the sentence.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct ArgError {
    /// The option (`--first`).
    pub field: String,
    /// What is wrong, naming the option.
    pub message: String,
}

impl ArgError {
    fn of(field: &str, e: impl std::fmt::Display) -> ArgError {
        ArgError {
            field: field.to_string(),
            message: e.to_string(),
        }
    }
}

/// The JSON error object for a command line that cannot run (clap's errors, an option out of range): code
/// `invalid-argument`, with the option in `field` when known.
pub fn argument_error_json(message: &str, field: Option<&str>) -> String {
    serde_json::json!({ "error": { "code": "invalid-argument", "message": message, "file": null, "line": null, "field": field } }).to_string()
}

/// The note that the clinic's time zone is assumed, as `--json` prints it on stderr: `{"note": {"code":
/// "zone-assumed", "message", "field": "--tz"}}` (not an error: the command runs).
pub fn zone_note_json(message: &str) -> String {
    serde_json::json!({ "note": { "code": "zone-assumed", "message": message, "field": "--tz" } })
        .to_string()
}

/// The JSON error object for output that could not be written (stdout on a full disk): code
/// `unwritable-output`.
pub fn output_error_json(message: &str) -> String {
    serde_json::json!({ "error": { "code": "unwritable-output", "message": message, "file": null, "line": null, "field": null } }).to_string()
}

/// Reads a text file of at most [`input::TEXT_LIMIT`] bytes.
fn read(path: &Path, what: &str) -> Result<String> {
    Ok(input::read_text(path, what, input::TEXT_LIMIT)?)
}

/// An error as the JSON object `--json` prints on stderr: `{"error": {"code", "message", "file", "line",
/// "field"}}`, with `null` where a part is not known. Codes: `invalid-input` (a file that does not read as
/// its format: the field path and line say where), `unreadable-file`, `invalid-argument` (the command line:
/// an unknown option, a missing argument, a day out of range; `field` names the option), `refused` (a record
/// or setting the rules refuse, e.g. an expired lot).
fn error_json(report: &miette::Report) -> String {
    if let Some(e) = report.downcast_ref::<ArgError>() {
        return argument_error_json(&e.message, Some(&e.field));
    }
    let (code, message, file, line, field) = if let Some(e) = report.downcast_ref::<InputError>() {
        let field = (!e.error.path.is_empty()).then(|| e.error.path.clone());
        (
            "invalid-input",
            e.error.message.clone(),
            Some(e.file.clone()),
            e.line,
            field,
        )
    } else if let Some(e) = report.downcast_ref::<input::ReadError>() {
        (
            "unreadable-file",
            e.to_string(),
            Some(e.file().to_string()),
            None,
            None,
        )
    } else {
        (
            "refused",
            report
                .chain()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(": "),
            None,
            None,
            None,
        )
    };
    serde_json::json!({ "error": { "code": code, "message": message, "file": file, "line": line, "field": field } }).to_string()
}

/// Prints a failed command's error (miette's report, or JSON with `--json`) and exits with `status`.
fn failed(report: &miette::Report, json: bool, status: u8) -> ExitCode {
    if json {
        errln!("{}", error_json(report));
    } else {
        errln!("{report:?}");
    }
    ExitCode::from(status)
}

/// Reads and parses a file with `parse`, turning its error into a located diagnostic.
fn load<T>(
    path: &Path,
    what: &str,
    parse: impl FnOnce(&str, Format) -> std::result::Result<T, SourceError>,
) -> Result<T> {
    let text = read(path, what)?;
    let format = Format::from_file_name(&path.display().to_string());
    parse(&text, format).map_err(|e| InputError::new(path, &text, e).into())
}

/// Reads an intake file and checks its typed text against the clinic's text rules, as the server does
/// ([`Intake::check_text`]): a refused field is an input error naming the file and the field.
fn load_intake(path: &Path) -> Result<Intake> {
    let text = read(path, "intake")?;
    let format = Format::from_file_name(&path.display().to_string());
    let intake = Intake::parse(&text, format).map_err(|e| InputError::new(path, &text, e))?;
    intake.check_text().map_err(|e| {
        let field = e.field().to_string();
        let full = e.to_string();
        let message = full
            .strip_prefix(&format!("{field}: "))
            .unwrap_or(&full)
            .to_string();
        InputError::new(path, &text, SourceError::invalid(format, field, message))
    })?;
    intake.check_years().map_err(|(field, message)| {
        InputError::new(path, &text, SourceError::invalid(format, field, message))
    })?;
    Ok(intake)
}

/// Today's date in the clinic's time zone, from the system clock.
fn today_in(zone: &ClinicZone) -> Date {
    zone.today(now_utc())
}

/// The current moment in UTC, from the system clock.
pub fn now_utc() -> DateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_unix_seconds(i64::try_from(secs).unwrap_or(i64::MAX))
        .unwrap_or_else(|| DateTime::from_unix_seconds(0).expect("the epoch is in range"))
}

/// Creates `dir` and writes `name` in it.
fn write_out(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The exit status for a screening outcome (documented in docs/screening.md).
pub fn exit_code(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Go | Outcome::GoWithPrecautions => 0,
        Outcome::PhysicianClearance => 1,
        Outcome::DeferUntil => 2,
        Outcome::NotSuitable => 3,
    }
}

/// Exit status of `follicle screen` when its input cannot be read (distinct from every outcome).
pub const SCREEN_INPUT_ERROR: u8 = 4;

/// Screens an intake and exits by outcome class; input errors are reported here and exit 4, so that no
/// outcome's status is ever confused with an unreadable file.
/// `given` is the zone given on the command line: with none, UTC is assumed and said when it decides the day.
pub fn screen(a: &ScreenArgs, quiet: bool, given: Option<&ClinicZone>) -> Result<ExitCode> {
    let (zone, source) = ClinicZone::of_clinic(None, given);
    let zone = &zone;
    Ok(screen_inner(a, quiet, zone)
        .inspect(|_| {
            if source == ZoneSource::Assumed && a.on.is_none() {
                say_assumed_zone(zone, "It decides the screening day. ", a.json, quiet);
            }
        })
        .unwrap_or_else(|report| failed(&report, a.json, SCREEN_INPUT_ERROR)))
}

fn screen_inner(a: &ScreenArgs, quiet: bool, zone: &ClinicZone) -> Result<ExitCode> {
    let intake = load_intake(&a.intake)?;
    let rules = match &a.rules {
        Some(p) => load(p, "rules file", |t, _| RuleSet::from_toml(t))?,
        None => RuleSet::embedded(),
    };
    let today = today_in(zone);
    let on = match a.on {
        Some(on) => {
            check_screening_on("--on", on, intake.consultation.date, today)
                .map_err(|e| ArgError::of("--on", e))?;
            on
        }
        None => today,
    };
    let s = run_screening(&intake, &rules, on);
    let json = serde_json::to_string_pretty(&s).into_diagnostic()?;
    if let Some(dir) = &a.out {
        let doc = screening_document(&s);
        write_out(dir, "screening.html", html::render(&doc).as_bytes())?;
        write_out(dir, "screening.pdf", &pdf::render(&doc).into_diagnostic()?)?;
        write_out(dir, "screening.json", json.as_bytes())?;
    }
    if a.json {
        outln!("{json}");
    } else if !quiet {
        outln!(
            "{} ({}) on {}: {}",
            shown(&s.client_name),
            shown(&s.client_id),
            s.on,
            s.headline()
        );
        for f in &s.findings {
            let until = f.until.map(|u| format!(" until {u}")).unwrap_or_default();
            outln!(
                "  [{}] {}{until}: {}",
                shown(&f.rule),
                f.outcome.label(),
                shown(&f.detail)
            );
            outln!("      {} {}", shown(&f.reason), shown(&f.action));
        }
        outln!("rules: {} v{}", shown(&s.ruleset), s.ruleset_version);
        if let Some(dir) = &a.out {
            outln!(
                "wrote screening.html, screening.pdf, screening.json to {}",
                dir.display()
            );
        }
    }
    Ok(ExitCode::from(exit_code(s.outcome)))
}

/// Reads a sessions file and checks it belongs to the intake's client; sessions that name a plan get
/// their impression count (and zones, when left out) from that plan.json.
fn load_sessions(path: &Path, intake: &Intake) -> Result<SessionLog> {
    let mut log = load(path, "sessions file", SessionLog::parse)?;
    for s in &mut log.sessions {
        let Some(plan) = s.plan.clone() else { continue };
        let plan_path = path.parent().unwrap_or(Path::new(".")).join(&plan);
        let text = input::read_text(&plan_path, "plan", input::PLAN_LIMIT)
            .map_err(|e| miette::miette!("{}: session {}: {e}", path.display(), s.index))?;
        let saved = follicle_export::plan_from_json(&text)
            .map_err(|e| miette::miette!("{}: {e}", plan_path.display()))?;
        let k = s.plan_session.unwrap_or(s.index) as usize;
        let of_session: Vec<_> = saved
            .impressions
            .iter()
            .filter(|m| m.session == k)
            .collect();
        if of_session.is_empty() {
            return Err(miette::miette!(
                "{}: session {}: {} has no session {k}",
                path.display(),
                s.index,
                plan_path.display()
            ));
        }
        let count = of_session.len() as u32;
        if s.impressions != 0 && s.impressions != count {
            return Err(miette::miette!(
                "{}: session {}: impressions = {} disagrees with session {k} of {} ({count} impressions); leave `impressions` out to use the plan's count",
                path.display(),
                s.index,
                s.impressions,
                plan_path.display()
            ));
        }
        s.impressions = count;
        if s.zones.is_empty() {
            let mut zones: Vec<String> = of_session.iter().map(|m| m.zone.clone()).collect();
            zones.sort();
            zones.dedup();
            s.zones = zones;
        }
    }
    if log.client != intake.client.id {
        return Err(miette::miette!(
            "{}: sessions are for client `{}`, but the intake is for `{}`",
            path.display(),
            log.client,
            intake.client.id
        ));
    }
    Ok(log)
}

/// Exit status of `follicle schedule` and `follicle passport` when they fail (as clap's usage errors).
const COMMAND_FAILED: u8 = 2;

/// Proposes the next sessions and the touch-up, and writes reminders.ics.
/// `given` is the zone given on the command line (`--tz`, `FOLLICLE_TZ`): the clinic's zone is the one stored with
/// the clinic in the studio's database when there is one, as on the server (`ClinicZone::of_clinic`), and UTC
/// assumed, said on stderr, when neither is known.
pub fn schedule(a: &ScheduleArgs, quiet: bool, given: Option<&ClinicZone>) -> Result<ExitCode> {
    Ok(schedule_inner(a, quiet, given)
        .unwrap_or_else(|report| failed(&report, a.json, COMMAND_FAILED)))
}

fn schedule_inner(a: &ScheduleArgs, quiet: bool, given: Option<&ClinicZone>) -> Result<ExitCode> {
    let intake = load_intake(&a.intake)?;
    let (open, clinic_days, stored) = clinic_open_days(a)?;
    let (zone, source) = ClinicZone::of_clinic(stored.as_deref(), given);
    let zone = &zone;
    let held = match &a.sessions {
        Some(p) => load_sessions(p, &intake)?.dates(),
        None => vec![],
    };
    let settings = ScheduleSettings {
        sessions: a.course,
        min_days: a.min_days,
        max_days: a.max_days,
        preferred_days: a.interval,
        ..ScheduleSettings::default()
    };
    let clock = today_in(zone);
    // The schedule screens the consultation for `--today`: not before the consultation's day, as `screen --on`
    // (outside probe s30: a day before the consultation was screened "Go").
    let today = match a.today {
        Some(t) => {
            check_screening_on("--today", t, intake.consultation.date, clock)
                .map_err(|e| ArgError::of("--today", e))?;
            t
        }
        None => clock,
    };
    let first = match a.first {
        Some(f) => {
            check_first_day("--first", f, today).map_err(|e| ArgError::of("--first", e))?;
            f
        }
        None => today,
    };
    let screening = run_screening(&intake, &RuleSet::embedded(), today);
    let plan = course_on_open_days(
        &held,
        first,
        &settings,
        intake.has_scars(),
        &screening,
        intake.clearance.as_ref(),
        today,
        &|d| open.as_ref().map_or(d, |o| o.next(d)),
    )
    .map_err(|e| miette::miette!("{e}"))?;
    let visits = plan.visits;
    // A client with nothing proposed gets no empty calendar (the text output says so instead).
    let write_ics = a.out.as_ref().filter(|_| !visits.is_empty());
    if let Some(dir) = write_ics {
        let info = ics::CalendarInfo {
            client_id: &intake.client.id,
            client_name: &intake.client.name,
            studio: &a.studio,
            uid_domain: "follicle.invalid",
            now: a.now.unwrap_or_else(now_utc),
            zone: Some(zone),
        };
        write_out(
            dir,
            "reminders.ics",
            reminders_ics(&info, &visits).as_bytes(),
        )?;
    }
    if a.json {
        let doc = serde_json::json!({
            "client": intake.client.id, "today": today, "zone": zone.name(),
            "zone_assumed": source == ZoneSource::Assumed, "screening": screening.outcome,
            "held": held, "visits": visits, "deferred_until": plan.deferred_until,
            "held_back": plan.held_back.as_ref().map(ToString::to_string), "clinic_days": clinic_days,
            "spacing_note": settings.spacing_note(),
        });
        outln!("{}", serde_json::to_string_pretty(&doc).into_diagnostic()?);
    } else if !quiet {
        outln!(
            "{} ({}): {} of {} sessions held; screening on {today}: {}",
            shown(&intake.client.name),
            shown(&intake.client.id),
            held.len(),
            a.course,
            screening.headline()
        );
        outln!("  clinic days: {clinic_days}");
        if let Some(note) = settings.spacing_note() {
            outln!("  note: {note}");
        }
        if let Some(why) = &plan.held_back {
            outln!("  no session proposed: {}", shown(&why.to_string()));
        }
        if let Some(until) = plan.deferred_until {
            outln!("  deferred until {until}: the next session is on or after that day");
        }
        for v in &visits {
            let what = match v.kind {
                VisitKind::Session { index, of } => format!("session {index} of {of}"),
                VisitKind::TouchUp => format!(
                    "touch-up{}",
                    if intake.has_scars() {
                        " (scars: earlier)"
                    } else {
                        ""
                    }
                ),
            };
            let overdue = if v.overdue { " OVERDUE" } else { "" };
            outln!(
                "  {what:<26} {}{overdue}   (window {} to {})",
                v.proposed,
                v.earliest,
                v.latest
            );
            if let Some(note) = v.overdue_note(today) {
                outln!("    {note}");
            }
        }
        if a.aftercare {
            match held.last() {
                Some(&last) => {
                    outln!("aftercare after the session on {last}:");
                    for (day, date, steps) in Aftercare::embedded().calendar(last) {
                        outln!("  day {day:>2} ({date}):");
                        for s in steps {
                            outln!("    - {s}");
                        }
                    }
                }
                None => outln!("no session held yet: no aftercare to show"),
            }
        }
        match (&a.out, write_ics) {
            (_, Some(dir)) => outln!("wrote reminders.ics to {}", dir.display()),
            (Some(_), None) => outln!("no visit to propose: no reminders.ics written"),
            (None, None) => {}
        }
    }
    if source == ZoneSource::Assumed {
        // With --today the days follow it; the zone still sets the reminders' clock (probe s33b: the note
        // said "today is 2026-12-05 … It decides the proposed days" beside days proposed from --today).
        let matters = match a.today {
            Some(t) => format!(
                "The proposed days follow --today ({t}); the zone decides the reminders' times. "
            ),
            None => "It decides the proposed days and the reminders' times. ".to_string(),
        };
        say_assumed_zone(zone, &matters, a.json, quiet);
    }
    Ok(if plan.held_back.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Says on stderr (unless `quiet`; with `json` as a `{"note": …}` object) that the clinic's time zone is not known
/// and UTC is assumed, what it decides (`matters`) and how to give it (follicle-clinic's words).
pub fn say_assumed_zone(zone: &ClinicZone, matters: &str, json: bool, quiet: bool) {
    if quiet {
        return;
    }
    let words = zone.assumed_words(
        zone.today(now_utc()),
        &format!("{matters}Give the clinic's zone with --tz ZONE (e.g. --tz Europe/Warsaw) or FOLLICLE_TZ, or store it in the clinic settings."),
    );
    if json {
        errln!("{}", zone_note_json(&words));
    } else {
        errln!("note: {words}");
    }
}

/// Builds the ink passport (checking every session's lot) and writes passport.html and passport.pdf.
/// `given` is the zone given on the command line: with none, UTC is assumed and said when it decides the date.
pub fn passport(a: &PassportArgs, quiet: bool, given: Option<&ClinicZone>) -> Result<ExitCode> {
    let (zone, source) = ClinicZone::of_clinic(None, given);
    let zone = &zone;
    Ok(passport_inner(a, quiet, zone)
        .inspect(|_| {
            if source == ZoneSource::Assumed && a.today.is_none() {
                say_assumed_zone(zone, "It decides the passport's date. ", a.json, quiet);
            }
        })
        .unwrap_or_else(|report| failed(&report, a.json, COMMAND_FAILED)))
}

fn passport_inner(a: &PassportArgs, quiet: bool, zone: &ClinicZone) -> Result<ExitCode> {
    let intake = load_intake(&a.intake)?;
    let log = load_sessions(&a.sessions, &intake)?;
    let catalogue = load(&a.pigments, "pigment catalogue", Catalogue::parse)?;
    let library = ConsentLibrary::embedded();
    for c in &log.consents {
        c.verify(&library)
            .map_err(|e| miette::miette!("{}: {e}", a.sessions.display()))?;
    }
    // A sessions file may be edited by hand: every session gets the recording checks (the lot known, in date
    // that day, free of the client's allergens) before its passport is made.
    log.verify(&intake, &catalogue)
        .map_err(|e| miette::miette!("{}: {e}", a.sessions.display()))?;
    // And the consent check of recording: each session after the client signed the treatment consent in
    // force that day (outside probe s16: a session typed a month early went into the passport, before the
    // consent and the consultation).
    for s in &log.sessions {
        follicle_clinic::gate::check_consent(&log.consents, &library, zone, s.date).map_err(|_| {
            let signed: Vec<String> = log
                .consents
                .iter()
                .filter(|c| c.text == follicle_clinic::gate::TREATMENT_CONSENT)
                .map(|c| format!("{} (version {})", c.signed_at, c.version))
                .collect();
            miette::miette!(
                "{}: session {} on {} has no treatment consent signed on or before that day ({}): a session follows the signed consent, so check the session's date or the consent record",
                a.sessions.display(),
                s.index,
                s.date,
                if signed.is_empty() {
                    "this file holds no signed treatment consent".to_string()
                } else {
                    format!("signed: {}", signed.join(", "))
                }
            )
        })?;
    }
    let issued = match a.today {
        Some(t) => {
            check_screening_day("--today", t, today_in(zone))
                .map_err(|e| ArgError::of("--today", e))?;
            t
        }
        None => today_in(zone),
    };
    // And the screening gate of recording, as the studio applies it: a session the consultation's screening
    // holds back on its day (a physician's clearance not recorded, a deferral, not suitable) is not certified
    // by a passport (outside probe s30: sessions of a client needing a clearance went into one without a word).
    for s in &log.sessions {
        follicle_clinic::gate::check_intake(
            &intake,
            &RuleSet::embedded(),
            None,
            None,
            follicle_clinic::Action::Record,
            s.date,
            issued.max(s.date),
        )
        .map_err(|r| {
            miette::miette!(
                "{}: session {} on {}: {} In a sessions file the clearance is the intake's [clearance] (docs/intake-format.md); a session held back is left out of the passport",
                a.sessions.display(),
                s.index,
                s.date,
                r.words(true)
            )
        })?;
    }
    let passport = InkPassport::build(&intake, &log, &catalogue)
        .map_err(|e| miette::miette!("{}: {e}", a.sessions.display()))?;
    let doc = passport_document(&passport, issued);
    write_out(&a.out, "passport.html", html::render(&doc).as_bytes())?;
    write_out(
        &a.out,
        "passport.pdf",
        &pdf::render(&doc).into_diagnostic()?,
    )?;
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&passport).into_diagnostic()?
        );
    } else if !quiet {
        outln!(
            "{} ({}): ink passport",
            shown(&passport.client_name),
            shown(&passport.client_id)
        );
        for e in &passport.entries {
            outln!(
                "  {}  session {}  {}  lot {} (exp. {})  by {}",
                e.date,
                e.session,
                shown(&e.pigment),
                shown(&e.lot),
                e.expiry,
                shown(&e.practitioner)
            );
        }
        for s in &log.sessions {
            let from = s
                .plan
                .as_deref()
                .map(|p| format!(" (from {})", shown(p)))
                .unwrap_or_default();
            outln!(
                "  session {}: {} impressions in {}{from}",
                s.index,
                s.impressions,
                shown(&s.zones.join(", "))
            );
        }
        for c in &log.consents {
            outln!(
                "  consent `{}` v{} signed {} — text SHA-256 verified",
                shown(&c.text),
                c.version,
                c.signed_at
            );
        }
        outln!(
            "wrote passport.html and passport.pdf to {}",
            a.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
