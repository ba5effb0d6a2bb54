//! `follicle`: the command line for scalp-micropigmentation planning and clinic records.
//! A thin shell: parse arguments, call the library crates, render errors with miette.

mod planning;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// follicle — plan scalp micropigmentation: hairline and zones on a 3D head, impressions per session,
/// stencils and clinic records.
#[derive(Parser, Debug)]
#[command(name = "follicle", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Plan the built-in case (median adult male head, Norwood 6, three sessions) and write everything.
    Demo(planning::DemoArgs),
    /// Plan a case file (TOML), or add a touch-up session to a saved plan with --extend.
    Plan(planning::PlanArgs),
    // RENDER-COMMANDS (added by the preview; keep this marker)
    // CLINIC-COMMANDS (added by the clinic domain; keep this marker)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Demo(a) => planning::demo(a, cli.quiet),
        Command::Plan(a) => planning::plan(a, cli.quiet),
        // RENDER-DISPATCH (keep this marker)
        // CLINIC-DISPATCH (keep this marker)
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
