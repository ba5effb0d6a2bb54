//! `follicle demo` and `follicle plan`: read a case (or the built-in one), plan it with progress, and
//! write plan.json, stencil.svg, stencil.pdf, impressions.csv and summary.txt into an output directory
//! atomically.

use crate::input;
use crate::staging::Staging;
use crate::threads::Threads;
use clap::Args;
use follicle_case::{Case, Overrides};
use follicle_clinic::text::TextKind;
use follicle_core::plan::{self, Stage};
use follicle_core::planner::{Geometry, Planner};
use follicle_core::quality;
use follicle_export::tiles::Paper;
use indicatif::{ProgressBar, ProgressStyle};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of `follicle demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Output directory (created; files inside are replaced).
    #[arg(long, default_value = "follicle-out/demo")]
    pub out: PathBuf,
    /// Paper the stencil PDF is tiled on at 1:1: a4 or letter.
    #[arg(long, default_value = "a4", value_parser = parse_paper)]
    pub paper: Paper,
    /// Print how long each stage took (on stderr).
    #[arg(long)]
    pub timings: bool,
}

fn parse_paper(s: &str) -> std::result::Result<Paper, String> {
    Paper::from_name(s).ok_or_else(|| format!("`{s}` is not a paper size: use a4 or letter"))
}

/// `--seed`: a whole number of 0 or more (a negative one got clap's "unexpected argument").
fn parse_seed(s: &str) -> std::result::Result<u64, String> {
    s.trim().parse::<u64>().map_err(|_| {
        format!(
            "`{}` is not a seed: give a whole number of 0 or more (the same seed gives the same plan)",
            crate::input::shown(s)
        )
    })
}

/// Options of `follicle plan`.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  follicle plan examples/cases/norwood6-average.toml --out out/nw6\n  follicle plan examples/cases/scar-repair.toml --sessions 4 --seed 7\n  follicle plan --extend out/nw6/plan.json --add 0.15 --out out/nw6-touchup"
)]
pub struct PlanArgs {
    /// The case file (TOML; see docs/case-format.md).
    #[arg(required_unless_present = "extend", conflicts_with = "extend")]
    pub case: Option<PathBuf>,
    /// Add one touch-up session to a saved plan.json, keeping every impression fixed.
    #[arg(long, value_name = "PLAN.json")]
    pub extend: Option<PathBuf>,
    /// With --extend: how much more of the full density the touch-up adds (0.15 = 15 %) [default: 0.15].
    #[arg(long, requires = "extend", allow_negative_numbers = true)]
    pub add: Option<f64>,
    /// Output directory (default: follicle-out/<case name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed for every random choice (overrides the case file; a touch-up keeps its plan's).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_seed, conflicts_with = "extend")]
    pub seed: Option<u64>,
    /// Number of sessions with the default schedule (overrides the case file; not with --extend, which adds one).
    #[arg(long, conflicts_with = "extend")]
    pub sessions: Option<usize>,
    /// Also write the preview pictures (before/after, contact sheet, density heat map) as PNG.
    #[arg(long)]
    pub previews: bool,
    /// Paper the stencil PDF is tiled on at 1:1: a4 or letter.
    #[arg(long, default_value = "a4", value_parser = parse_paper)]
    pub paper: Paper,
    /// Print how long each stage took (on stderr).
    #[arg(long)]
    pub timings: bool,
}

/// Runs the built-in demo case.
pub fn demo(a: &DemoArgs, quiet: bool) -> Result<ExitCode> {
    let case = Case {
        client: "Demo: median adult male head, Norwood 6".into(),
        design: follicle_core::demo_design(),
    };
    run(
        &case,
        &a.out,
        Options {
            source: "the built-in demo case".into(),
            quiet,
            previews: true,
            paper: a.paper,
            timings: a.timings,
            case_file: None,
        },
        None,
    )
}

/// How much of the full density a touch-up adds when `--add` is not given.
const DEFAULT_ADD: f64 = 0.15;

/// Plans a case file or extends a saved plan.
pub fn plan(a: &PlanArgs, quiet: bool) -> Result<ExitCode> {
    // clap does not hold `requires` against an option of a command whose positional is optional: said here.
    if a.add.is_some() && a.extend.is_none() {
        return Err(miette!(
            "--add sizes a touch-up: it needs --extend PLAN.json (the saved plan to add a session to)"
        ));
    }
    if let Some(path) = &a.extend {
        let text = input::read_text(path, "plan", input::PLAN_LIMIT)?;
        let saved = follicle_export::plan_from_json(&text)
            .map_err(|e| miette!("{}: {e}", path.display()))?;
        let out = a
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("follicle-out/touch-up"));
        // The touch-up is a new plan beside the one it extends, never over it (outside test s49: `--out` naming
        // the plan's own folder replaced the only copy of the original plan, exit 0).
        if crate::render::same_file(&out.join("plan.json"), path) {
            return Err(miette!(
                "--out {} holds {}, the plan being extended: writing the touch-up there would replace it; give --out another folder, e.g. {}",
                out.display(),
                path.display(),
                out.with_file_name(format!(
                    "{}-touch-up",
                    out.file_name().map_or("plan".into(), |n| n.to_string_lossy())
                ))
                .display()
            ));
        }
        let case = Case {
            // The client's name as the saved plan gives it (plans written before it was kept: the file).
            client: match &saved.client {
                Some(name) => name.clone(),
                None => format!("Touch-up of {}", path.display()),
            },
            // The design keeps the head's sex as plan.json states it (absent in older plans: the median man).
            design: saved.design,
        };
        return run(
            &case,
            &out,
            Options {
                source: format!("a touch-up to {}", path.display()),
                quiet,
                previews: a.previews,
                paper: a.paper,
                timings: a.timings,
                case_file: None,
            },
            Some((&saved.impressions, a.add.unwrap_or(DEFAULT_ADD))),
        );
    }
    let path = a
        .case
        .as_ref()
        .expect("clap requires a case without --extend");
    let src = input::read_text(path, "case file", input::TEXT_LIMIT)?;
    // A file with nothing in it would plan every default (a Norwood 6 median man) under no one's name: more
    // likely a file saved empty or the wrong file than a wish (outside probe s12).
    if src.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    }) {
        return Err(miette!(
            "{}: the case file is empty (nothing but blank lines and comments): write at least the client and the pattern (docs/case-format.md; examples/cases/ has complete files), or run `follicle demo` for the built-in default",
            path.display()
        ));
    }
    let case = follicle_case::parse(
        &path.display().to_string(),
        &src,
        &Overrides {
            seed: a.seed,
            sessions: a.sessions,
        },
    )?;
    // The server's rule for a case's client name (routes::plans::parse_case): one line, bounded, no control
    // or text-direction characters; it is printed here and written into the stencil's title.
    if !case.client.is_empty() {
        follicle_clinic::text::check("client.name", &case.client, TextKind::Name).map_err(|e| {
            // Said at its line, as the case parser says its own errors.
            let said = e.to_string();
            let message = said
                .strip_prefix(&format!("{}: ", e.field()))
                .unwrap_or(&said);
            follicle_case::CaseError::at(
                &path.display().to_string(),
                &src,
                &["client", "name"],
                message.to_string(),
                Some("write the client's name as one plain line of text".into()),
            )
        })?;
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "case".into());
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("follicle-out").join(stem));
    run(
        &case,
        &out,
        Options {
            source: path.display().to_string(),
            quiet,
            previews: a.previews,
            paper: a.paper,
            timings: a.timings,
            case_file: Some(src.clone()),
        },
        None,
    )
}

/// What `run` writes and prints.
struct Options {
    /// What was planned, for errors: "the case file PATH", "the saved plan PATH" or the built-in demo.
    source: String,
    quiet: bool,
    previews: bool,
    paper: Paper,
    timings: bool,
    /// The case file's text when one was planned: a planning error is said at its line.
    case_file: Option<String>,
}

/// Runs `f` and returns its result with how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed())
}

/// The quality of session `k` of `p` (GUIDE §3), its impressions measured in parts of about `part` on
/// threads.
fn measure_session(p: &plan::Plan, k: usize, part: usize) -> quality::SessionQuality {
    let m = quality::SessionMeasure::new(p, k);
    let parts = m.len().div_ceil(part).max(1);
    let step = m.len().div_ceil(parts);
    let spacings: Vec<Vec<f64>> = std::thread::scope(|inner| {
        let m = &m;
        let handles: Vec<_> = (0..parts)
            .map(|i| inner.spawn(move || m.spacings(i * step..((i + 1) * step).min(m.len()))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("the quality pass does not panic"))
            .collect()
    });
    m.finish(spacings.into_iter().flatten())
}

/// The plan.json lines and CSV rows of a range of impressions, and how long they took.
struct Piece {
    range: std::ops::Range<usize>,
    json: String,
    csv: String,
    took: Duration,
}

/// Writes the plan.json lines and CSV rows of impressions `range` of `p`.
fn piece(p: &plan::Plan, range: std::ops::Range<usize>) -> Piece {
    let t = Instant::now();
    let n = range.len();
    let mut json = String::with_capacity(n * 120);
    follicle_export::json::push_impression_lines(&mut json, p, range.clone());
    let mut csv = String::with_capacity(n * 64);
    follicle_export::csv::push_impression_rows(&mut csv, p, range.clone());
    Piece {
        range,
        json,
        csv,
        took: t.elapsed(),
    }
}

/// Renders files (name, bytes) for `spawn_output`.
type Render<'a> = Box<dyn FnOnce() -> Result<Vec<(String, Vec<u8>)>> + Send + 'a>;

/// What an output thread reports: the files it wrote, and its label with the time it took.
type Written = Result<(Vec<String>, (String, Duration))>;

/// On a thread of `sc`: renders files, writes them into the staging directory, and returns their names and
/// the time it took (labelled `name`).
fn spawn_output<'scope>(
    sc: &'scope std::thread::Scope<'scope, '_>,
    staging: &'scope Staging,
    name: &'static str,
    render: Render<'scope>,
) -> std::thread::ScopedJoinHandle<'scope, Written> {
    sc.spawn(move || {
        let (files, t) = timed(|| -> Result<Vec<String>> {
            let files = render()?;
            for (f, bytes) in &files {
                staging.write(f, bytes)?;
            }
            Ok(files.into_iter().map(|(f, _)| f).collect())
        });
        Ok((files?, (name.to_string(), t)))
    })
}

/// Plans, then measures the quality and renders every output at once on separate threads (plan.json, the
/// CSV, the stencil SVG and PDF, the previews and each session's quality pass only read the plan); each
/// thread writes its own file into the staging directory, which then moves into place.
fn run(
    case: &Case,
    out: &Path,
    o: Options,
    extend: Option<(&[plan::FixedImpression], f64)>,
) -> Result<ExitCode> {
    let start = Instant::now();
    let paper = o.paper;
    // Before planning: an --out that cannot be written is said at once, not after the wait.
    let staging = Staging::new(out)?;
    let face = case
        .design
        .sex
        .map(follicle_render::mannequin::Face::of)
        .unwrap_or_default();
    let sessions = case.design.cumulative_fractions.len() + usize::from(extend.is_some());
    let bar = if o.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(sessions as u64 + 1)
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let mut progress = |s: Stage| match s {
        Stage::Geometry => bar.set_message("head, hairline and zones"),
        Stage::Session(k) => {
            bar.inc(1);
            bar.set_message(format!("placing session {k}"));
        }
    };
    let title = if case.client.is_empty() {
        "follicle stencil".to_string()
    } else {
        format!("follicle stencil — {}", case.client)
    };
    let unprintable = follicle_fonts::missing(&case.client);
    if !unprintable.is_empty() && !o.quiet {
        let shown: String = unprintable.iter().take(12).collect();
        errln!(
            "warning: the stencil's fonts have no letters for {shown} in the client's name (Korean, Thai and Indic scripts are not covered yet): those letters print as boxes; add the name in Latin letters beside it"
        );
    }
    // While a later session is placed, what the sessions already placed fix is done on other threads
    // (sessions never move earlier impressions, so the plan so far holds them as the whole plan will): each
    // session's quality, the plan.json lines and CSV rows of its impressions, and the stencil's layout.
    let mut early = Vec::new();
    let mut pieces: Vec<std::thread::JoinHandle<Piece>> = Vec::new();
    let mut layout: Option<std::thread::JoinHandle<(follicle_export::stencil::Layout, Duration)>> =
        None;
    let (planned, t_plan) = timed(|| match extend {
        Some((fixed, add)) => plan::extend(&case.design, fixed, add, &mut progress),
        None => {
            progress(Stage::Geometry);
            let geometry = Geometry::new_on(&case.design, &Threads)?;
            let mut planner = Planner::start_on(&case.design, &geometry, &Threads)?;
            drop(geometry);
            let mut written = 0;
            while !planner.done() {
                progress(Stage::Session(planner.sessions_placed() + 1));
                planner.step_on(&Threads);
                if !planner.done() {
                    let (so_far, k) = (Arc::new(planner.plan()), planner.sessions_placed());
                    let range = written..so_far.impressions.len();
                    written = range.end;
                    let q = Arc::clone(&so_far);
                    early.push(std::thread::spawn(move || {
                        timed(|| measure_session(&q, k, usize::MAX))
                    }));
                    // The stencil: laid out after session 1, and each session's impressions drawn (SVG
                    // and PDF) after it is placed, one after another on a thread of their own.
                    // With the last session still to place, the labels are placed too (the sheet's
                    // lines and texts are known: its counts are the plan's targets).
                    let (l, title, before) = (Arc::clone(&so_far), title.clone(), layout.take());
                    let last_ahead = k + 1 == case.design.cumulative_fractions.len();
                    layout = Some(std::thread::spawn(move || {
                        let (mut st, t) = match before {
                            Some(h) => h.join().expect("the stencil layout does not panic"),
                            None => timed(|| follicle_export::stencil::layout(&l, &title, paper)),
                        };
                        let ((), drawn) = timed(|| {
                            st.draw_session(&l);
                            if last_ahead {
                                st.place_labels_ahead(&l);
                            }
                        });
                        (st, t + drawn)
                    }));
                    pieces.push(std::thread::spawn(move || piece(&so_far, range)));
                }
            }
            Ok(planner.into_plan())
        }
    });
    bar.finish_and_clear();
    let p = planned.map_err(|e| match extend {
        Some(_) => miette!("cannot add {}: {e}", o.source),
        None => match &o.case_file {
            Some(src) => follicle_case::plan_error_at(&o.source, src, &e).into(),
            None => miette!("{}: cannot plan this case: {e}", o.source),
        },
    })?;
    let early: Vec<_> = early
        .into_iter()
        .map(|h| h.join().expect("the quality pass does not panic"))
        .collect();
    let pieces: Vec<Piece> = pieces
        .into_iter()
        .map(|h| h.join().expect("the early writers do not panic"))
        .collect();
    let layout = layout.map(|h| h.join().expect("the stencil layout does not panic"));
    let written = pieces.last().map_or(0, |x| x.range.end);
    if o.previews && !o.quiet {
        errln!("rendering previews…");
    }
    let mut stages: Vec<(String, Duration)> = vec![("plan".into(), t_plan)];
    let early_ms = pieces.iter().map(|x| x.took).sum::<Duration>();
    if !pieces.is_empty() {
        stages.push(("early lines".into(), early_ms));
    }
    if let Some((_, t)) = &layout {
        stages.push(("stencil layout".into(), *t));
    }
    let (json_parts, csv_parts): (Vec<String>, Vec<String>) =
        pieces.into_iter().map(|x| (x.json, x.csv)).unzip();
    let layout = layout.map(|(l, _)| l);
    let (quality, written) = std::thread::scope(|sc| {
        let (p, staging, title) = (&p, &staging, &title);
        let client = case.client.as_str();
        let job = |name: &'static str, render| spawn_output(sc, staging, name, render);
        let (json_parts, csv_parts) = (&json_parts, &csv_parts);
        let mut jobs = vec![
            job(
                "plan.json",
                Box::new(move || {
                    // The last session's lines here, the earlier ones came while it was placed.
                    let mut rest = String::with_capacity((p.impressions.len() - written) * 120);
                    follicle_export::json::push_impression_lines(
                        &mut rest,
                        p,
                        written..p.impressions.len(),
                    );
                    let head = follicle_export::json::plan_json_head_for(p, Some(client));
                    let mut chunks: Vec<&str> = json_parts.iter().map(String::as_str).collect();
                    chunks.push(&rest);
                    let end = follicle_export::json::close_impression_lines(&mut chunks);
                    let mut parts: Vec<&[u8]> = vec![head.as_bytes()];
                    parts.extend(chunks.iter().map(|x| x.as_bytes()));
                    parts.push(end.as_bytes());
                    staging.write_parts("plan.json", &parts)?;
                    Ok(vec![])
                }) as Render,
            ),
            job(
                "impressions.csv",
                Box::new(move || {
                    let mut rest = String::with_capacity((p.impressions.len() - written) * 64);
                    follicle_export::csv::push_impression_rows(
                        &mut rest,
                        p,
                        written..p.impressions.len(),
                    );
                    let mut parts: Vec<&[u8]> = vec![follicle_export::csv::CSV_HEADER.as_bytes()];
                    parts.extend(csv_parts.iter().map(|x| x.as_bytes()));
                    parts.push(rest.as_bytes());
                    staging.write_parts("impressions.csv", &parts)?;
                    Ok(vec![])
                }),
            ),
            job(
                "stencil",
                Box::new(move || {
                    let st = match layout {
                        Some(l) => l.finish(p),
                        None => follicle_export::stencil::build(p, title, paper),
                    };
                    std::thread::scope(|inner| {
                        let svg = inner.spawn(|| {
                            staging.write(
                                "stencil.svg",
                                follicle_export::svg::stencil_svg_on(&st, paper).as_bytes(),
                            )
                        });
                        staging.write(
                            "stencil.pdf",
                            &follicle_export::pdf::stencil_pdf_on(&st, paper, &Threads),
                        )?;
                        svg.join().expect("the SVG writer does not panic")
                    })?;
                    Ok(Vec::new())
                }),
            ),
        ];
        if o.previews {
            jobs.push(job(
                "previews",
                Box::new(|| {
                    follicle_render::demo_previews(p, face)
                        .map_err(|e| miette!("cannot render the previews: {e}"))
                }),
            ));
        }
        // The quality pass of the sessions not measured yet (the last), in parts of about 8,000 on threads.
        let quality: Vec<_> = p
            .sessions
            .iter()
            .skip(early.len())
            .map(|s| sc.spawn(move || timed(|| measure_session(p, s.index, 8000))))
            .collect();
        let quality: Vec<_> = early
            .into_iter()
            .chain(
                quality
                    .into_iter()
                    .map(|h| h.join().expect("the quality pass does not panic")),
            )
            .collect();
        let written: Vec<_> = jobs
            .into_iter()
            .map(|h| h.join().expect("the writers do not panic"))
            .collect();
        (quality, written)
    });
    // Files in the order they are listed: the stencil's two are written by its own job.
    let mut names = vec![
        "plan.json".to_string(),
        "stencil.svg".into(),
        "stencil.pdf".into(),
        "impressions.csv".into(),
        "summary.txt".into(),
    ];
    for w in written {
        let (files, stage) = w?;
        for f in files {
            if !names.contains(&f) {
                names.push(f);
            }
        }
        stages.push(stage);
    }
    for (q, t) in &quality {
        stages.push((format!("quality S{}", q.session), *t));
    }
    let q: Vec<_> = quality.into_iter().map(|(q, _)| q).collect();
    let summary = follicle_export::summary::summary(&p, Some(&q));
    staging.write("summary.txt", summary.as_bytes())?;
    let (committed, t) = timed(|| staging.commit(&names));
    committed?;
    // Pictures of a plan written there before and not drawn again go: none is left beside a plan it does not
    // show (outside test s49: a touch-up written over a folder kept the old plan's preview pictures).
    if !o.previews {
        for f in follicle_render::DEMO_PREVIEW_FILES {
            let old = out.join(f);
            if old.is_file() {
                std::fs::remove_file(&old)
                    .into_diagnostic()
                    .wrap_err_with(|| {
                        format!(
                            "cannot remove {}, a picture of the plan written there before",
                            old.display()
                        )
                    })?;
            }
        }
    }
    stages.push(("move into place".into(), t));
    if !o.quiet {
        outln!(
            "{}",
            if case.client.is_empty() {
                "follicle plan".into()
            } else {
                input::shown(&case.client)
            }
        );
        outln!();
        out!("{summary}");
        outln!();
        outln!(
            "Wrote {}/{{{}}}",
            input::shown(&out.display().to_string()),
            names.join(", ")
        );
    }
    if o.timings {
        let list: Vec<String> = stages
            .iter()
            .map(|(n, t)| format!("{n} {:.1} ms", t.as_secs_f64() * 1e3))
            .collect();
        errln!(
            "timings: {}; total {:.1} ms (everything after the plan runs in parallel)",
            list.join(", "),
            start.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(ExitCode::SUCCESS)
}
