//! `follicle demo` and `follicle plan`: read a case (or the built-in one), plan it with progress, and
//! write plan.json, stencil.svg, stencil.pdf, impressions.csv and summary.txt into an output directory
//! atomically.

use clap::Args;
use follicle_case::{Case, Overrides};
use follicle_core::plan::{self, Plan, Stage};
use follicle_core::quality;
use follicle_export::tiles::Paper;
use indicatif::{ProgressBar, ProgressStyle};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `follicle demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Output directory (created; files inside are replaced).
    #[arg(long, default_value = "follicle-out/demo")]
    pub out: PathBuf,
    /// Paper the stencil PDF is tiled on at 1:1: a4 or letter.
    #[arg(long, default_value = "a4", value_parser = parse_paper)]
    pub paper: Paper,
}

fn parse_paper(s: &str) -> std::result::Result<Paper, String> {
    Paper::from_name(s).ok_or_else(|| format!("`{s}` is not a paper size: use a4 or letter"))
}

/// Options of `follicle plan`.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  follicle plan examples/cases/norwood6-average.toml --out out/nw6\n  follicle plan examples/cases/scar-repair.toml --sessions 4 --seed 7\n  follicle plan --extend out/nw6/plan.json --add 0.15 --out out/nw6-touchup")]
pub struct PlanArgs {
    /// The case file (TOML; see docs/case-format.md).
    #[arg(required_unless_present = "extend", conflicts_with = "extend")]
    pub case: Option<PathBuf>,
    /// Add one touch-up session to a saved plan.json, keeping every impression fixed.
    #[arg(long, value_name = "PLAN.json")]
    pub extend: Option<PathBuf>,
    /// With --extend: how much more of the full density the touch-up adds (0.15 = 15 %).
    #[arg(long, default_value_t = 0.15, requires = "extend")]
    pub add: f64,
    /// Output directory (default: follicle-out/<case name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed for every random choice (overrides the case file).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of sessions with the default schedule (overrides the case file).
    #[arg(long)]
    pub sessions: Option<usize>,
    /// Also write the preview pictures (before/after, contact sheet, density heat map) as PNG.
    #[arg(long)]
    pub previews: bool,
    /// Paper the stencil PDF is tiled on at 1:1: a4 or letter.
    #[arg(long, default_value = "a4", value_parser = parse_paper)]
    pub paper: Paper,
}

/// Runs the built-in demo case.
pub fn demo(a: &DemoArgs, quiet: bool) -> Result<ExitCode> {
    let case = Case { client: "Demo: median adult male head, Norwood 6".into(), design: follicle_core::demo_design() };
    run(&case, &a.out, quiet, None, true, a.paper)
}

/// Plans a case file or extends a saved plan.
pub fn plan(a: &PlanArgs, quiet: bool) -> Result<ExitCode> {
    if let Some(path) = &a.extend {
        let text = std::fs::read_to_string(path).into_diagnostic().wrap_err_with(|| format!("cannot read {}", path.display()))?;
        let saved = follicle_export::plan_from_json(&text).map_err(|e| miette!("{}: {e}", path.display()))?;
        let out = a.out.clone().unwrap_or_else(|| PathBuf::from("follicle-out/touch-up"));
        let case = Case { client: format!("Touch-up of {}", path.display()), design: saved.design };
        return run(&case, &out, quiet, Some((&saved.impressions, a.add)), a.previews, a.paper);
    }
    let path = a.case.as_ref().expect("clap requires a case without --extend");
    let src = std::fs::read_to_string(path).into_diagnostic().wrap_err_with(|| format!("cannot read case file {}", path.display()))?;
    let case = follicle_case::parse(&path.display().to_string(), &src, &Overrides { seed: a.seed, sessions: a.sessions })?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "case".into());
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("follicle-out").join(stem));
    run(&case, &out, quiet, None, a.previews, a.paper)
}

fn run(case: &Case, out: &Path, quiet: bool, extend: Option<(&[plan::FixedImpression], f64)>, previews: bool, paper: Paper) -> Result<ExitCode> {
    let sessions = case.design.cumulative_fractions.len() + usize::from(extend.is_some());
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(sessions as u64 + 1) };
    bar.set_style(ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})").expect("valid template").progress_chars("=> "));
    let mut progress = |s: Stage| match s {
        Stage::Geometry => bar.set_message("head, hairline and zones"),
        Stage::Session(k) => {
            bar.inc(1);
            bar.set_message(format!("placing session {k}"));
        }
    };
    let planned = match extend {
        Some((fixed, add)) => plan::extend(&case.design, fixed, add, &mut progress),
        None => plan::plan_with_progress(&case.design, &mut progress),
    };
    bar.finish_and_clear();
    let p = planned.map_err(|e| miette!("cannot plan this case: {e}"))?;
    let q = quality::measure(&p);
    let summary = follicle_export::summary::summary(&p, Some(&q));
    let pictures = if previews {
        if !quiet {
            eprintln!("rendering previews…");
        }
        follicle_render::demo_previews(&p).map_err(|e| miette!("cannot render the previews: {e}"))?
    } else {
        Vec::new()
    };
    write_outputs(&p, case, out, &summary, &pictures, paper)?;
    if !quiet {
        println!("{}", if case.client.is_empty() { "follicle plan" } else { &case.client });
        println!();
        print!("{summary}");
        println!();
        let extra: String = pictures.iter().map(|(n, _)| format!(", {n}")).collect();
        println!("Wrote {}/{{plan.json, stencil.svg, stencil.pdf, impressions.csv, summary.txt{extra}}}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes every output into a staging directory, then moves the files into place, so a failure never
/// leaves a half-written output directory behind.
fn write_outputs(p: &Plan, case: &Case, out: &Path, summary: &str, pictures: &[(String, Vec<u8>)], paper: Paper) -> Result<()> {
    let title = if case.client.is_empty() { "follicle stencil".to_string() } else { format!("follicle stencil — {}", case.client) };
    let stencil = follicle_export::stencil::build(p, &title);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("plan.json".into(), follicle_export::plan_to_json(p).into_bytes()),
        ("stencil.svg".into(), follicle_export::svg::stencil_svg_on(&stencil, paper).into_bytes()),
        ("stencil.pdf".into(), follicle_export::pdf::stencil_pdf(&stencil, paper)),
        ("impressions.csv".into(), follicle_export::csv::impressions_csv(p).into_bytes()),
        ("summary.txt".into(), summary.as_bytes().to_vec()),
    ];
    files.extend(pictures.iter().cloned());
    let parent = out.parent().filter(|x| !x.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).into_diagnostic().wrap_err_with(|| format!("cannot create {}", parent.display()))?;
    let name = out.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let result = (|| -> Result<()> {
        std::fs::create_dir_all(&staging).into_diagnostic().wrap_err_with(|| format!("cannot create {}", staging.display()))?;
        for (f, text) in &files {
            std::fs::write(staging.join(f), text).into_diagnostic().wrap_err_with(|| format!("cannot write {}", staging.join(f).display()))?;
        }
        if out.exists() {
            for (f, _) in &files {
                std::fs::rename(staging.join(f), out.join(f)).into_diagnostic().wrap_err_with(|| format!("cannot replace {}", out.join(f).display()))?;
            }
            std::fs::remove_dir(&staging).into_diagnostic()?;
        } else {
            std::fs::rename(&staging, out).into_diagnostic().wrap_err_with(|| format!("cannot create {}", out.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
