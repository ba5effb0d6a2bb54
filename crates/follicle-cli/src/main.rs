//! `follicle`: the command line for scalp-micropigmentation planning and clinic records.
//! A thin shell: parse arguments, call the library crates, render errors with miette.

#[macro_use]
mod out;
mod backup;
mod clinic;
mod input;
mod planning;
mod records;
mod render;
mod retention;
mod serve;
mod staging;
mod threads;

use clap::{Parser, Subcommand};
use follicle_clinic::{ClinicZone, ZoneSource};
use std::process::ExitCode;

/// follicle — plan scalp micropigmentation: hairline and zones on a 3D head, impressions per session,
/// stencils and clinic records.
#[derive(Parser, Debug)]
#[command(name = "follicle", version, propagate_version = true)]
struct Cli {
    /// Print nothing but warnings and errors (what a result cannot be trusted without still shows).
    #[arg(long, short, global = true)]
    quiet: bool,
    /// The clinic's time zone (IANA name, e.g. Europe/Warsaw): decides which day "today" is and when
    /// reminders ring. Default: $FOLLICLE_TZ, else UTC. With a database (`serve`, `client`, `records`) each
    /// clinic's stored zone is used; this only gives a clinic with none stored yet (a new one) its zone.
    #[arg(long, global = true, value_name = "ZONE", value_parser = parse_zone)]
    tz: Option<ClinicZone>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Plan the built-in case (median adult male head, Norwood 6, three sessions) and write everything.
    Demo(planning::DemoArgs),
    /// Plan a case file (TOML), or add a touch-up session to a saved plan with --extend.
    Plan(planning::PlanArgs),
    /// Preview a saved plan as it will look: on the mannequin from any side, or on the client's photo
    /// registered from marked landmarks; fresh, healed or years later; seen from near or far.
    Render(render::RenderArgs),
    /// Recommend the pigment dilution per zone that matches the client's stubble colour (CIEDE2000) and
    /// write a swatch sheet.
    Shade(render::ShadeArgs),
    /// Run the studio server: clinic records in SQLite (default) or PostgreSQL behind an authenticated HTTP API.
    Serve(serve::ServeArgs),
    /// Back up a SQLite studio (database and photos) into one tar archive, consistently while it is serving.
    Backup(backup::BackupArgs),
    /// Restore a backup archive into a new SQLite database and photo directory.
    Restore(backup::RestoreArgs),
    // RENDER-COMMANDS (added by the preview; keep this marker)
    /// Screen a consultation intake against the safety rules; exit 0 go, 1 physician's clearance, 2 deferred,
    /// 3 not suitable, 4 unreadable input.
    Screen(clinic::ScreenArgs),
    /// Propose the next sessions (7–14 days apart) and the touch-up, and write calendar reminders (.ics).
    Schedule(clinic::ScheduleArgs),
    /// Check every session's pigment lot and write the client's ink passport (HTML and PDF).
    Passport(clinic::PassportArgs),
    // CLINIC-COMMANDS (added by the clinic domain; keep this marker)
    /// A client's rights on the studio's database: export everything about them, or erase them on request.
    Client(records::ClientArgs),
    /// The clinic's records: purge the clients whose medical-record retention has ended (`--dry-run` lists them).
    Records(retention::RecordsArgs),
}

/// Parses `--tz` (an unknown zone is a usage error, with the closest name suggested).
fn parse_zone(name: &str) -> Result<ClinicZone, String> {
    ClinicZone::get(name)
}

/// The commands that take `--json` (their errors, clap's included, are then a JSON object on stderr).
const JSON_COMMANDS: [&str; 3] = ["screen", "schedule", "passport"];

/// Whether the command line asks one of [`JSON_COMMANDS`] for JSON: its name is the first word after the
/// global options, and `--json` comes after it (before any `--`). Read from the raw words, since clap's
/// error, when there is one, comes without the parsed flags.
fn json_wanted(args: &[std::ffi::OsString]) -> bool {
    let Some((command, rest)) = command_words(args) else {
        return false;
    };
    JSON_COMMANDS.contains(&command.as_str())
        && rest
            .iter()
            .take_while(|w| *w != "--")
            .any(|w| w == "--json" || w.starts_with("--json="))
}

/// The exit status of a command line that cannot run as typed: `status` (clap's 2), but 4 for `screen`,
/// whose 1–3 are screening outcomes, so a script never reads a typo as "deferred".
fn usage_status(args: &[std::ffi::OsString], status: i32) -> u8 {
    match command_words(args) {
        Some((c, _)) if c == "screen" => clinic::SCREEN_INPUT_ERROR,
        _ => u8::try_from(status).unwrap_or(2),
    }
}

/// The command a command line names (the first word after the global options `-q` and `--tz ZONE`) and the
/// words after it.
fn command_words(args: &[std::ffi::OsString]) -> Option<(String, Vec<String>)> {
    let mut words = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    loop {
        match words.next()?.as_str() {
            "-q" | "--quiet" => {}
            "--tz" => {
                words.next();
            }
            w if w.starts_with("--tz=") => {}
            w => return Some((w.to_string(), words.collect())),
        }
    }
}

/// clap's error as the `--json` error object: its first line without the `error: ` prefix, with its tip, and
/// the option it is about.
fn clap_error_json(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    let text = e.render().to_string();
    let message = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let field = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    clinic::argument_error_json(message, field.as_deref())
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json = json_wanted(&args);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            if json {
                errln!("{}", clap_error_json(&e));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(usage_status(&args, e.exit_code()));
        }
        Err(e) => e.exit(),
    };
    let given = match (&cli.tz, std::env::var("FOLLICLE_TZ")) {
        (Some(z), _) => Some(z.clone()),
        (None, Ok(name)) if !name.trim().is_empty() => match ClinicZone::get(&name) {
            Ok(z) => Some(z),
            Err(e) => {
                if json {
                    errln!(
                        "{}",
                        clinic::argument_error_json(
                            &format!("FOLLICLE_TZ: {e}"),
                            Some("FOLLICLE_TZ")
                        )
                    );
                } else {
                    errln!("FOLLICLE_TZ: {e}");
                }
                return ExitCode::from(usage_status(&args, 2));
            }
        },
        _ => None,
    };
    // The zone given to this program; each command finds the clinic's with follicle-clinic's one rule
    // (`ClinicZone::of_clinic`: stored, else given, else UTC assumed and said, never taken silently: issue 13).
    let (zone, source) = ClinicZone::of_clinic(None, given.as_ref());
    let assumed = source == ZoneSource::Assumed;
    let result = match &cli.command {
        Command::Demo(a) => planning::demo(a, cli.quiet),
        Command::Plan(a) => planning::plan(a, cli.quiet),
        Command::Render(a) => render::render(a, cli.quiet),
        Command::Shade(a) => render::shade(a, cli.quiet),
        Command::Serve(a) => serve::serve(a, cli.quiet, &zone, assumed),
        Command::Backup(a) => backup::backup(a, cli.quiet),
        Command::Restore(a) => backup::restore(a, cli.quiet),
        // RENDER-DISPATCH (keep this marker)
        Command::Screen(a) => clinic::screen(a, cli.quiet, given.as_ref()),
        Command::Schedule(a) => clinic::schedule(a, cli.quiet, given.as_ref()),
        Command::Passport(a) => clinic::passport(a, cli.quiet, given.as_ref()),
        Command::Client(a) => records::run(a, cli.quiet, &zone),
        Command::Records(a) => retention::run(a, cli.quiet, &zone),
        // CLINIC-DISPATCH (keep this marker)
    };
    let code = match result {
        Ok(code) => code,
        Err(report) => {
            errln!("{report:?}");
            ExitCode::from(2)
        }
    };
    match out::stdout_failure() {
        Some(why) => {
            let message = format!("cannot write the output: {why}");
            if json {
                errln!("{}", clinic::output_error_json(&message));
            } else {
                errln!("{message}");
            }
            ExitCode::from(output_failed_status(&cli.command))
        }
        None => code,
    }
}

/// The exit status when the output could not be written: the command's "could not run" status (4 for
/// `follicle screen`, whose 1–3 are screening outcomes; 2 for every other command).
fn output_failed_status(command: &Command) -> u8 {
    match command {
        Command::Screen(_) => clinic::SCREEN_INPUT_ERROR,
        _ => 2,
    }
}
