//! `follicle render` and `follicle shade`: the photoreal preview of a saved plan (mannequin view or the
//! client's registered photo) and the per-zone pigment dilution that matches the client's stubble colour.

use crate::input;
use clap::Args;
use follicle_core::Plan;
use follicle_render::colour_words::colour_words;
use follicle_render::photo::{self, PhotoLimits};
use follicle_render::preview::{self, Scene};
use follicle_render::register::{self, Marks};
use follicle_render::views::{self, PhotoView};
use follicle_render::{client, color, heatmap, shade, sheets, Catalogue, LinearImage, State, View};
use miette::{miette, IntoDiagnostic, Result, WrapErr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `follicle render`.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  follicle render follicle-out/demo/plan.json --view top --state fresh --out top-fresh.png\n  follicle render plan.json --state years:5 --distance 150\n  follicle render plan.json --photo client.jpg --landmarks client-landmarks.toml --out client.png"
)]
pub struct RenderArgs {
    /// The saved plan (plan.json from `follicle plan` or `follicle demo`).
    pub plan: PathBuf,
    /// Client photo (JPEG or PNG; EXIF orientation is applied) to draw the plan on; needs --landmarks.
    #[arg(long, requires = "landmarks")]
    pub photo: Option<PathBuf>,
    /// Landmarks marked on the photo: TOML with pixel positions (docs/preview-model.md).
    #[arg(long, requires = "photo")]
    pub landmarks: Option<PathBuf>,
    /// Mannequin view: top, front, left, right, back or 34 (three-quarter; the default). With --photo, which
    /// view the photo is: front (the default, or the landmarks file's `view = "..."`), top, left, right or
    /// back; each view has its own landmarks (docs/photo-scalp.md).
    #[arg(long, value_parser = parse_view)]
    pub view: Option<View>,
    /// Time point: fresh, healed or years:N (healed, then N years of fading).
    #[arg(long, default_value = "healed", value_parser = parse_state)]
    pub state: State,
    /// Show the plan after this session (default: the last; 0 = before treatment).
    #[arg(long, value_parser = parse_session, allow_negative_numbers = true)]
    pub session: Option<usize>,
    /// Viewing distance in cm (30: close look; 150: conversation, where the pattern reads as a shadow). On a
    /// photo it blurs what the eye would not resolve from there: a photo under 2 px/mm of scalp already shows
    /// only the combined shade, so there it changes the zoomed crop alone.
    #[arg(long, default_value_t = 30.0, value_parser = input::finite, allow_negative_numbers = true)]
    pub distance: f64,
    /// Mannequin picture size in pixels (square; default 1200). A photo's preview is drawn at the photo's
    /// own size.
    #[arg(long)]
    pub size: Option<usize>,
    /// Mannequin skin colour: #rrggbb or fitzpatrick:1..6 (a photo shows the client's own skin; the shade
    /// advice for it is `follicle shade`).
    #[arg(long)]
    pub skin: Option<String>,
    /// Existing hair colour (mannequin stubble; with --photo the shaved hair, default: sampled from the photo):
    /// #rrggbb or black, dark-brown, medium-brown, light-brown, blond, red, grey-white.
    #[arg(long)]
    pub hair: Option<String>,
    /// Mannequin face: male or female. Default: the plan's own (plan.json `head.sex`, from the case's
    /// `[head] sex`), else male for a plan that does not say.
    #[arg(long, value_parser = parse_face, conflicts_with = "photo")]
    pub face: Option<follicle_render::mannequin::Face>,
    /// With --photo: length the retained hair is clipped to in the shaved and after pictures, mm (0 =
    /// razor or foil shaver, 0.5 = clipper without a guard, 1.5 = guard #0.5, 3 = guard #1; at most 6).
    /// Default: the longest of those whose clipped sides match the treated top on this photo (usually 0).
    #[arg(long, value_parser = input::finite, allow_negative_numbers = true)]
    pub guard: Option<f64>,
    /// Pigment catalogue (TOML); default: the built-in one.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
    /// Largest average distance (root mean square) of the landmarks from the fitted head accepted, mm.
    #[arg(long, default_value_t = register::MAX_RESIDUAL_MM, value_parser = input::positive, allow_negative_numbers = true)]
    pub max_residual: f64,
    /// Output PNG. With --photo: before | shaved | after side by side; OUT-before.png, OUT-shaved.png and
    /// OUT-after.png (same size, for a slider) and OUT-zoom.png (the scalp enlarged to ≥ 4 px/mm) go beside it.
    #[arg(long, default_value = "preview.png")]
    pub out: PathBuf,
    /// Also write the density heat map (impressions/cm² per session) to this PNG.
    #[arg(long)]
    pub heatmap: Option<PathBuf>,
}

/// Options of `follicle shade`.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  follicle shade plan.json --skin fitzpatrick:3 --hair dark-brown\n  follicle shade plan.json --skin '#c89f86' --hair '#2a211c' --out swatches.png\n  follicle shade plan.json --photo client.jpg --landmarks client-landmarks.toml"
)]
pub struct ShadeArgs {
    /// The saved plan (plan.json).
    pub plan: PathBuf,
    /// Skin colour: #rrggbb or fitzpatrick:1..6 (or the `skin` region of --landmarks on --photo).
    #[arg(long)]
    pub skin: Option<String>,
    /// Hair colour: #rrggbb or black, dark-brown, medium-brown, light-brown, blond, red, grey-white (or the `hair` region).
    #[arg(long)]
    pub hair: Option<String>,
    /// Photo to sample skin and hair from, at the `[regions]` of --landmarks.
    #[arg(long, requires = "landmarks")]
    pub photo: Option<PathBuf>,
    /// Landmarks file with `[regions] skin = [x0, y0, x1, y1]` and `hair = [...]`.
    #[arg(long, requires = "photo")]
    pub landmarks: Option<PathBuf>,
    /// Pigment catalogue (TOML); default: the built-in one.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
    /// Swatch sheet PNG to write.
    #[arg(long, default_value = "swatches.png")]
    pub out: PathBuf,
}

fn parse_view(s: &str) -> std::result::Result<View, String> {
    View::parse(s)
        .ok_or_else(|| format!("`{s}` is not a view: use top, front, left, right, back or 34"))
}

fn parse_state(s: &str) -> std::result::Result<State, String> {
    State::parse(s).ok_or_else(|| State::refusal_words(s))
}

fn load_plan(path: &Path) -> Result<Plan> {
    let text = input::read_text(path, "plan", input::PLAN_LIMIT)?;
    follicle_export::load_plan(&text).map_err(|e| miette!("{}: {e}", path.display()))
}

/// The caption of the third picture: which point of the course it shows (probe s33b: "AFTER - HEALED" after
/// session 1 of 3, and over the untreated head of `--session 0`).
fn after_caption(session: usize, sessions: usize, state: &str) -> String {
    let state = state.to_uppercase();
    if session == 0 {
        "BEFORE TREATMENT (SESSION 0)".into()
    } else if session < sessions {
        format!("AFTER SESSION {session} OF {sessions} - {state}")
    } else {
        format!("AFTER - {state}")
    }
}

fn load_catalogue(path: &Option<PathBuf>) -> Result<Catalogue> {
    match path {
        None => Ok(Catalogue::builtin()),
        Some(p) => {
            let text = input::read_text(p, "catalogue", input::TEXT_LIMIT)?;
            Catalogue::parse(&text).map_err(|e| miette!("{}: {e}", p.display()))
        }
    }
}

/// Refuses a picture's path whose folder does not exist (probe s8 finding 13: a mistyped `--out` created
/// folders silently and scattered a client's photos there), or whose name is not a PNG's (the pictures are
/// PNG: `--out m.jpg` wrote PNG bytes under a JPEG's name), before any work is done. `flag` names the option.
/// The mannequin picture's size when `--size` is not given, pixels.
const MANNEQUIN_SIZE: usize = 1200;

/// The picture written beside `--out` with a photo: OUT-before.png, OUT-shaved.png, OUT-after.png, OUT-zoom.png.
fn beside_out(out: &Path, what: &str) -> PathBuf {
    PathBuf::from(format!("{}-{what}.png", out.with_extension("").display()))
}

/// The same file, whether or not it exists yet: both paths resolved through their folders (`a/../b.png` and
/// `b.png` are one file), compared as written where a folder cannot be resolved.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    let resolved = |p: &Path| {
        std::fs::canonicalize(p).ok().or_else(|| {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Some(std::fs::canonicalize(dir).ok()?.join(p.file_name()?))
        })
    };
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Refuses, before anything is read or written, a picture that would be written over an input (the client's
/// photo, its landmarks, the plan, the catalogue) or over another picture of the same run (outside test s42:
/// `--out` naming the photo replaced the client's photo with the triple, exit 0 and no word; a photo named
/// like OUT-after.png was overwritten the same way, and `--heatmap` naming OUT-after.png replaced the after
/// picture with the heat map).
fn check_no_overwrite(a: &RenderArgs) -> Result<()> {
    let mut outputs: Vec<(String, PathBuf)> = vec![("--out".into(), a.out.clone())];
    if a.photo.is_some() {
        for what in ["before", "shaved", "after", "zoom"] {
            outputs.push((
                format!("the {what} picture beside --out"),
                beside_out(&a.out, what),
            ));
        }
    }
    if let Some(h) = &a.heatmap {
        outputs.push(("--heatmap".into(), h.clone()));
    }
    let inputs = [
        ("the plan", Some(&a.plan)),
        ("the photo (--photo)", a.photo.as_ref()),
        ("the landmarks (--landmarks)", a.landmarks.as_ref()),
        ("the catalogue (--catalogue)", a.catalogue.as_ref()),
    ];
    for (i, (what, out)) in outputs.iter().enumerate() {
        if let Some((input, _)) = inputs
            .iter()
            .find(|(_, p)| p.is_some_and(|p| same_file(p, out)))
        {
            return Err(miette!(
                "{what} ({}) is {input}: writing the preview there would replace it; give --out another name, e.g. {}",
                out.display(),
                a.out.with_file_name("preview.png").display()
            ));
        }
        if let Some((other, _)) = outputs[..i].iter().find(|(_, o)| same_file(o, out)) {
            return Err(miette!(
                "{what} ({}) is also {other}: one picture would replace the other; give each its own name",
                out.display()
            ));
        }
    }
    Ok(())
}

fn check_out_folder(flag: &str, path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(miette!(
            "{flag}: {} is a folder: give the picture a file name in it, e.g. {}",
            path.display(),
            path.join("preview.png").display()
        ));
    }
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        return Err(miette!(
            "{flag}: {} is not a .png name: the picture is written as PNG, e.g. {}",
            path.display(),
            path.with_extension("png").display()
        ));
    }
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(miette!(
            "{flag}: {} is a file, not a folder: choose a folder that exists for {}",
            dir.display(),
            path.display()
        )),
        Err(_) => Err(miette!(
            "{flag}: the folder {} does not exist: create it first, or choose a folder that exists for {}",
            dir.display(),
            path.display()
        )),
    }
}

/// The pictures one command writes, as a set: when one cannot be written (a full disk, a name the system
/// refuses), those already written are removed again, so no half set is left beside the error (outside probe
/// s12: `--out /dev/full` left three pictures in /dev). The path that failed is never removed: it may not
/// be the command's own file.
#[derive(Default)]
struct Pictures {
    written: Vec<PathBuf>,
}

impl Pictures {
    fn write(&mut self, path: &Path, img: &LinearImage) -> Result<()> {
        match write_png(path, img) {
            Ok(()) => {
                self.written.push(path.to_path_buf());
                Ok(())
            }
            Err(e) => {
                for p in self.written.drain(..) {
                    let _ = std::fs::remove_file(p);
                }
                Err(e)
            }
        }
    }
}

fn write_png(path: &Path, img: &LinearImage) -> Result<()> {
    let bytes = follicle_render::png(img).map_err(|e| miette!("{}: {e}", path.display()))?;
    std::fs::write(path, bytes)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot write {}", path.display()))
}

fn skin_opt(s: &Option<String>) -> Result<Option<color::Lin>> {
    s.as_deref()
        .map(|v| {
            shade::parse_skin(v)
                .ok_or_else(|| miette!("--skin: `{v}` is not #rrggbb or fitzpatrick:1..6"))
        })
        .transpose()
}

/// A session number in words when it is none (probe s33b: `--session=-1` said "invalid digit found in string").
fn parse_session(s: &str) -> std::result::Result<usize, String> {
    s.trim().parse::<usize>().map_err(|_| {
        format!(
            "`{}` is not a session number: give 0 (before treatment) or a session of the plan (1, 2, …)",
            follicle_core::words::shown_short(s, 40)
        )
    })
}

fn parse_face(s: &str) -> std::result::Result<follicle_render::mannequin::Face, String> {
    follicle_render::mannequin::Face::parse(s).ok_or_else(|| format!("`{s}`: use male or female"))
}

fn hair_opt(s: &Option<String>) -> Result<Option<color::Lin>> {
    s.as_deref()
        .map(|v| {
            let hair = shade::parse_hair(v).ok_or_else(|| miette!("--hair: `{v}` is not #rrggbb or one of black, dark-brown, medium-brown, light-brown, blond, red, grey-white"))?;
            match shade::unnatural_hair(hair, "--hair") {
                Some(why) => Err(miette!("{why}")),
                None => Ok(hair),
            }
        })
        .transpose()
}

/// A loaded photo, its marks (scaled with it), the view its landmarks file names and, when it was reduced
/// on load, its original size.
type LoadedPhoto = (
    photo::Photo,
    Marks,
    Option<PhotoView>,
    Option<(usize, usize)>,
);

/// A photo, its landmarks and the view its landmarks file names, loaded and checked; a photo larger than
/// the preview needs is reduced on load (`photo::working_scale`) with its marks, and its original size
/// returned for the summary.
fn load_photo_and_view(plan: &Plan, photo_path: &Path, marks_path: &Path) -> Result<LoadedPhoto> {
    let limits = PhotoLimits {
        max_bytes: input::PHOTO_LIMIT,
        ..PhotoLimits::default()
    };
    let bytes = input::read_photo(photo_path, limits.max_bytes)?;
    let ph = photo::decode(&bytes, limits).map_err(|e| miette!("{}: {e}", photo_path.display()))?;
    if let Some(w) = photo::compression_warning(&bytes) {
        errln!("warning: {}: {w}", photo_path.display());
    }
    drop(bytes);
    // The server's rule for an upload: a picture too small to show the scalp is refused in words.
    photo::check_min_size(ph.w as u32, ph.h as u32)
        .map_err(|e| miette!("{}: {e}", photo_path.display()))?;
    if photo::is_black_and_white(&ph.rgb) {
        return Err(miette!(
            "{}: {}",
            photo_path.display(),
            photo::BLACK_AND_WHITE_WORDS
        ));
    }
    let text = input::read_text(marks_path, "landmarks", input::TEXT_LIMIT)?;
    let (marks, view) = register::parse_marks_and_view(&text, plan).map_err(|e| {
        // A refused value names its line, as an intake's does.
        let line = match &e {
            register::RegisterError::Field { field, .. } => {
                follicle_clinic::field_span::span_of(&text, follicle_clinic::Format::Toml, field)
                    .map(|at| format!(":{}", text[..at.start].matches('\n').count() + 1))
            }
            _ => None,
        };
        miette!("{}{}: {e}", marks_path.display(), line.unwrap_or_default())
    })?;
    ph.check_marks(&marks)
        .map_err(|e| miette!("{}: {e} ({})", marks_path.display(), photo_path.display()))?;
    let scale = photo::working_scale(ph.w, ph.h, marks.px_per_mm(plan));
    if scale >= 1.0 {
        return Ok((ph, marks, view, None));
    }
    let original = (ph.w, ph.h);
    let long = (original.0.max(original.1) as f64 * scale).round() as usize;
    let (ph, f) = ph.into_downscaled(long);
    Ok((ph, marks.scaled(f), view, Some(original)))
}

/// How far (ΔE00) a `hair` region's colour may lie from the hair found on the photo before it is said: hair
/// differs from itself in light and shade by less; a box on the wall or the skin by much more.
const HAIR_REGION_MAX_DE: f64 = 25.0;

/// The photo's view: `--view` or the landmarks file's `view`, which must agree; front when neither.
fn photo_view(arg: Option<View>, file: Option<PhotoView>, marks_path: &Path) -> Result<PhotoView> {
    let arg = arg
        .map(|v| {
            PhotoView::parse(v.name()).ok_or_else(|| {
                miette!(
                    "--view: a photo is a front, top, left, right or back view, not `{}`",
                    v.name()
                )
            })
        })
        .transpose()?;
    match (arg, file) {
        (Some(a), Some(f)) if a != f => Err(miette!(
            "--view {} disagrees with view = \"{}\" in {}",
            a.name(),
            f.name(),
            marks_path.display()
        )),
        (a, f) => Ok(a.or(f).unwrap_or(PhotoView::Front)),
    }
}

/// Prints a registration's per-landmark residuals (stdout, or stderr for a refused fit).
fn residual_lines(residuals: &[(String, f64)]) -> Vec<String> {
    residuals
        .iter()
        .map(|(name, mm)| {
            let words = views::label(name);
            // The key after the mark's words only where it differs from them ("glabella … (glabella)").
            let key = if words == name {
                String::new()
            } else {
                format!("  ({name})")
            };
            format!("  {words:<24} {mm:>5.2} mm{key}")
        })
        .collect()
}

/// Renders a mannequin view or a registered photo.
pub fn render(a: &RenderArgs, quiet: bool) -> Result<ExitCode> {
    if !(a.distance.is_finite() && (10.0..=1000.0).contains(&a.distance)) {
        return Err(miette!(
            "--distance: {} cm is outside 10–1000 cm",
            input::number(a.distance)
        ));
    }
    // Said, not ignored (outside test s42: `--size 300` with a photo changed nothing without a word).
    if a.size.is_some() && a.photo.is_some() {
        return Err(miette!(
            "--size: a photo's preview is drawn at the photo's own size (with a zoomed crop beside it), so a size \
             given would change nothing; leave --size out with --photo"
        ));
    }
    let size = a.size.unwrap_or(MANNEQUIN_SIZE);
    if !(64..=8192).contains(&size) {
        return Err(miette!("--size: {size} px is outside 64–8192"));
    }
    if let Some(g) = a
        .guard
        .filter(|g| !(g.is_finite() && (0.0..=follicle_render::shaved::MAX_GUARD_MM).contains(g)))
    {
        return Err(miette!(
            "--guard: {} mm is outside 0–{} mm (longer hair is not a shaved head)",
            input::number(g),
            follicle_render::shaved::MAX_GUARD_MM
        ));
    }
    if a.guard.is_some() && a.photo.is_none() {
        return Err(miette!(
            "--guard: the clipper length is for the client's own hair on a photo (--photo with --landmarks); the \
             mannequin draws its retained hair as short stubble of its own"
        ));
    }
    if a.skin.is_some() && a.photo.is_some() {
        return Err(miette!(
            "--skin: on a photo the preview draws the client's own skin as photographed, so a skin colour given \
             would change nothing on it (outside probe s26); leave --skin out, or give it to `follicle shade` \
             for the pigment advice"
        ));
    }
    // Checked before anything is read (outside test s44: `--hair purple` was refused only after the photo
    // was read and its warnings printed).
    hair_opt(&a.hair)?;
    check_out_folder("--out", &a.out)?;
    if let Some(h) = &a.heatmap {
        check_out_folder("--heatmap", h)?;
    }
    check_no_overwrite(a)?;
    let plan = load_plan(&a.plan)?;
    if a.session.is_some_and(|k| k > plan.sessions.len()) {
        return Err(miette!(
            "--session: the plan has {} sessions: give 0 (before treatment) to {}",
            plan.sessions.len(),
            plan.sessions.len()
        ));
    }
    let cat = load_catalogue(&a.catalogue)?;
    // A shade the catalogue lacks is drawn as its default: said, not left to look like the shade chosen.
    if let Some(w) = follicle_render::plan_catalogue::unknown_shades_words(&plan, &cat) {
        errln!("warning: {}: {w}", a.plan.display());
    }
    let last = a.session.unwrap_or(plan.sessions.len());
    let mut pictures = Pictures::default();
    if let (Some(pp), Some(lp)) = (&a.photo, &a.landmarks) {
        let (ph, marks, file_view, reduced) = load_photo_and_view(&plan, pp, lp)?;
        let view = photo_view(a.view, file_view, lp)?;
        let reg = views::register_photo(&plan, view, &marks, &ph, a.max_residual).map_err(|e| {
            if let register::RegisterError::Residual {
                residuals, culprit, ..
            } = &e
            {
                errln!("residuals of the refused fit ({} photo):", view.name());
                for l in residual_lines(residuals) {
                    errln!("{l}");
                }
                if let Some(c) = culprit {
                    errln!("{}", c.sentence());
                }
            }
            // A photo a viewer shows turned (EXIF) marked as stored is refused as bad marks (outside probe
            // s12: "check `glabella`"): the turn is named, so the marks are checked on the photo as shown.
            let turned = if ph.exif_orientation > 1 {
                format!(
                    "; the photo is shown turned or mirrored (EXIF orientation {}, {}×{} as shown): the landmarks are read on it as a photo viewer shows it",
                    ph.exif_orientation, ph.w, ph.h
                )
            } else {
                String::new()
            };
            if matches!(e, register::RegisterError::NoHead(_)) {
                // The photo is at fault, not the marks: it is named first.
                return miette!("{}: {e} ({}){turned}", pp.display(), lp.display());
            }
            miette!("{}: {e}{turned}", lp.display())
        })?;
        if let Some(c) = &reg.culprit {
            errln!("warning: {}: {}", lp.display(), c.sentence());
        }
        let head_size = follicle_render::head_size::HeadSize::measured(&plan, &reg);
        let size_advice =
            head_size.and_then(|h| h.advice(follicle_render::head_size::IN_THE_CASE_FILE));
        // The outline's warning, unless all it says is the head-size gap the next warning says in mm (outside
        // probe s31: two warnings about one gap on every run).
        let outline_warning = reg
            .silhouette
            .as_ref()
            .filter(|s| !s.used || size_advice.is_none())
            .and_then(|s| s.warning());
        if let Some(w) = &outline_warning {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = &size_advice {
            errln!("warning: {}: {w}", pp.display());
        }
        let skin = marks.skin.and_then(|r| ph.mean_colour(r));
        let hair = match hair_opt(&a.hair)? {
            Some(h) => Some(h),
            None => marks.hair.and_then(|r| ph.mean_colour(r)),
        };
        let mut pv = client::photo_preview(
            &ph,
            &plan,
            &cat,
            &reg,
            &client::PhotoOptions {
                state: a.state,
                last,
                guard_mm: a.guard,
                skin,
                hair,
                distance_mm: a.distance * 10.0,
            },
        )
        .map_err(|e| miette!("{}: {e}", pp.display()))?;
        // A `hair` region far from the hair found on the photo is on the wall or the skin (outside probe s31:
        // a box 84 % on the wall drew the sides in the wall's grey without a word).
        if let (Some(found), Some(given), true, None) =
            (pv.map.hair_colour, hair, marks.hair.is_some(), &a.hair)
        {
            let de = color::ciede2000(color::lab_from_lin(found), color::lab_from_lin(given));
            if de > HAIR_REGION_MAX_DE {
                errln!(
                    "warning: {}: the `hair` region reads {}, far from the hair found on the photo ({}, ΔE00 {de:.0}): check that the box lies on the client's hair, not on the background or the skin; the preview draws the shaved hair in the region's colour",
                    lp.display(),
                    colour_words(given),
                    colour_words(found)
                );
            }
        }
        if skin.is_none() {
            if let Some(w) = pv.map.skin_warning() {
                errln!(
                    "warning: {}: {w}; the preview draws the photo's own skin, but the shade advice (`follicle shade --photo`) reads this colour: give it there with --skin, or mark a `skin` region on evenly lit skin",
                    pp.display()
                );
            }
        }
        if let Some(e) = pv.off_head() {
            let file = if e.about_the_marks() { lp } else { pp };
            return Err(miette!("{}: {e}; no picture was written", file.display()));
        }
        let beside = |what: &str| beside_out(&a.out, what);
        let shaved_label = if pv.hair_as_worn {
            "HAIR AS WORN".to_string()
        } else if pv.no_hair_to_clip() {
            "NO HAIR FOUND TO CLIP".to_string()
        } else {
            format!("SHAVED {} MM", pv.guard_mm)
        };
        let after_label = after_caption(last, plan.sessions.len(), &a.state.label());
        let captions = ["BEFORE", shaved_label.as_str(), after_label.as_str()];
        for (what, img) in [
            ("before", &pv.full.before),
            ("shaved", &pv.full.shaved),
            ("after", &pv.full.after),
        ] {
            pictures.write(&beside(what), img)?;
        }
        // The side by side from the three pictures themselves, each dropped once drawn (memory on large
        // photos); the full-size pictures are not needed after this.
        let take = |img: &mut LinearImage| std::mem::replace(img, LinearImage::new(1, 1, [0.0; 3]));
        let three = vec![
            take(&mut pv.full.before),
            take(&mut pv.full.shaved),
            take(&mut pv.full.after),
        ];
        pictures.write(&a.out, &sheets::row_owned(three, &captions))?;
        let zoom_path = beside("zoom");
        if let Some(z) = &pv.zoom {
            let zl = [
                format!("BEFORE {}X", pv.zoom_factor),
                shaved_label.clone(),
                after_label.clone(),
            ];
            pictures.write(
                &zoom_path,
                &sheets::row(
                    &[&z.before, &z.shaved, &z.after],
                    &[zl[0].as_str(), zl[1].as_str(), zl[2].as_str()],
                ),
            )?;
        }
        if let Some(w) = pv.resolution_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.tone_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.coverage_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.edge_hair_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.enclosed_dark_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.outline_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.object_on_head_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.warm_hair_warning() {
            errln!("warning: {}: {w}", pp.display());
        }
        if let Some(w) = pv.unseen_hair_note() {
            errln!("note: {}: no retained hair was found: {w}", pp.display());
        }
        // What the client will not see of the design on this picture, and what to change in the plan (not
        // before the first session: nothing is drawn to read; outside probe s12).
        for w in pv.design_advice().into_iter().filter(|_| last > 0) {
            errln!("warning: {}: {w}", pp.display());
        }
        if !quiet {
            // In words a practitioner reads (outside test s41: "similarity fit", "mm RMS" and a bare
            // "turned −11°" said nothing to them).
            outln!(
                "registered {} landmarks of a {} photo{}; {}; {:.1} px/mm at the {}marks{}",
                marks.points.len(),
                view.name(),
                if reg.residual_checked() {
                    format!(
                        ": they lie within {:.1} mm of the head on average{}",
                        reg.rms_mm,
                        follicle_render::views::weighing_words(
                            view,
                            &marks
                                .points
                                .iter()
                                .map(|(n, _)| n.as_str())
                                .collect::<Vec<_>>()
                        )
                        .map(|w| format!(" ({w})"))
                        .unwrap_or_default()
                    )
                } else {
                    format!(
                        ", which place the head but cannot be checked against each other ({} marks fit almost any head; mark more landmarks to check them)",
                        marks.points.len()
                    )
                },
                view.pose_words(reg.frontal.yaw_rad, reg.frontal.pitch_rad),
                reg.px_per_mm,
                if view == PhotoView::Front {
                    "face "
                } else {
                    ""
                },
                // Said only when it turned or mirrored the photo (outside test s41: "EXIF orientation 1" on
                // every ordinary photo).
                if ph.exif_orientation != 1 {
                    format!("; EXIF orientation {} applied", ph.exif_orientation)
                } else {
                    String::new()
                }
            );
            if let Some((w0, h0)) = reduced {
                outln!(
                    "photo reduced from {w0} × {h0} to {} × {} pixels on load (about {:.0} px/mm at the marks, all the preview and its zoom need; landmarks scaled with it)",
                    ph.w,
                    ph.h,
                    reg.px_per_mm
                );
            }
            for l in residual_lines(&reg.residuals) {
                outln!("{l}");
            }
            // Said once: on stderr when it is a warning (above), else here.
            if let Some(sil) = reg
                .silhouette
                .as_ref()
                .filter(|_| outline_warning.is_none())
            {
                outln!("head outline: {}", sil.words);
            }
            if let Some(h) = head_size {
                outln!("{}", h.summary());
            }
            let share = |m: &[f32]| {
                100.0 * m.iter().filter(|&&p| p > 0.5).count() as f64 / m.len().max(1) as f64
            };
            outln!(
                "scalp found on {:.1} % of the photo, retained hair on {:.1} %{}; skin {}",
                share(&pv.map.scalp),
                share(&pv.map.hair),
                match (pv.map.hair_colour, hair) {
                    (Some(h), None) => format!("; hair {}", colour_words(h)),
                    // A colour given (--hair or a `hair` region) is the one the shaved hair is drawn in.
                    (Some(h), Some(given)) => format!(
                        "; hair {} as photographed, drawn shaved in {}",
                        colour_words(h),
                        colour_words(given)
                    ),
                    (None, _) => " (no retained hair seen on the sides)".into(),
                },
                colour_words(skin.unwrap_or(pv.map.skin))
            );
            outln!(
                "{}; {}; scalp {:.1} px/mm{}",
                // Before the first session there is nothing drawn to count (outside test s41: "0 impressions
                // drawn … covering about 0 cm²").
                if last == 0 {
                    "before the first session: no impressions drawn".to_string()
                } else {
                    format!(
                        "{} impressions drawn on the scalp{} ({} in view fell on the face, {}the background and were left out), covering about {:.0} cm² of the photo",
                        pv.drawn,
                        if pv.hair_as_worn {
                            ""
                        } else {
                            " and the clipped hair"
                        },
                        pv.refused,
                        if pv.hair_as_worn {
                            "the hair, "
                        } else {
                            "the hair that goes with the clipping or "
                        },
                        pv.seen_cm2
                    )
                },
                if pv.hair_as_worn {
                    "the client's own hair kept as worn (the design treats among existing hair; --guard shows it clipped)".to_string()
                } else if pv.no_hair_to_clip() {
                    "no retained hair to shave".to_string()
                } else {
                    format!("retained hair shaved to {} mm", pv.guard_mm)
                },
                pv.scalp_px_per_mm,
                if pv.detail_enlargement > follicle_render::sharpness::SOFT_ABOVE {
                    format!(
                        " (its detail about {:.1} px/mm: the photo is about {:.1}× softer than its pixels)",
                        pv.detail_px_per_mm, pv.detail_enlargement
                    )
                } else {
                    String::new()
                }
            );
            if let Some(t) = &pv.tone {
                outln!(
                    "tone in the photo's own light (the sides often in the head's shadow; lightness in points from 0 black to 100 white): bald top {}, retained hair {:.0} → {:.0} clipped to {} mm: gap {:.0} → {:.0} points{}",
                    if last == 0 {
                        format!("{:.0}", t.top_before)
                    } else {
                        format!("{:.0} → {:.0} treated", t.top_before, t.top_after)
                    },
                    t.sides_before,
                    t.sides_l(pv.guard_mm),
                    pv.guard_mm,
                    t.gap_before(),
                    t.gap_at(pv.guard_mm),
                    // The guard used: the one that matches the finished plan healed (the tones on this line are
                    // the picture shown's; a fresh picture matched 0.5 mm while 0 mm was drawn).
                    match t.matching_guard() {
                        Some(_) if a.guard.is_none() && last > 0 => format!(
                            " (clipped to {}: the longest guard that matches the finished plan)",
                            follicle_render::tone::guard_words(pv.guard_mm)
                        ),
                        _ => String::new(),
                    }
                );
            }
            // Before the first session nothing is drawn to read (outside test s41: `--session 0` said "the
            // pigment darkens it by 0.0 points").
            if let Some(r) = pv.reading.summary().filter(|_| last > 0) {
                outln!("what the client sees: {r}");
            }
            outln!(
                "wrote {} and beside it -before, -shaved, -after{}",
                a.out.display(),
                if pv.zoom.is_some() {
                    format!(
                        " and -zoom ({}× crop, {:.1} px/mm)",
                        pv.zoom_factor,
                        pv.scalp_px_per_mm * pv.zoom_factor as f64
                    )
                } else {
                    // Said, not silently skipped (outside probe s12: `--session 0` wrote no zoom, unexplained).
                    " (no -zoom: no impression is drawn on this picture to enlarge)".into()
                }
            );
        }
    } else {
        let mut scene = Scene::new(plan.design.seed);
        scene.view = a.view.unwrap_or(View::ThreeQuarter);
        scene.state = a.state;
        scene.session = a.session;
        scene.distance_mm = a.distance * 10.0;
        scene.size = size;
        if let Some(s) = skin_opt(&a.skin)? {
            scene.appearance.skin = s;
        }
        if let Some(h) = hair_opt(&a.hair)? {
            scene.appearance.hair = h;
        }
        scene.appearance.face = a
            .face
            .or(plan.design.sex.map(follicle_render::mannequin::Face::of))
            .unwrap_or_default();
        let img = preview::render(&plan, &cat, &scene);
        pictures.write(&a.out, &img)?;
        if !quiet {
            outln!(
                "wrote {} ({} view, {}, after session {last}, seen from {} cm)",
                a.out.display(),
                scene.view.name(),
                a.state.label(),
                a.distance
            );
        }
    }
    if let Some(h) = &a.heatmap {
        pictures.write(h, &heatmap::heat_map(&plan, 360))?;
        if !quiet {
            outln!("wrote {}", h.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Recommends a dilution per zone and writes the swatch sheet.
pub fn shade(a: &ShadeArgs, quiet: bool) -> Result<ExitCode> {
    check_out_folder("--out", &a.out)?;
    let plan = load_plan(&a.plan)?;
    let cat = load_catalogue(&a.catalogue)?;
    let (mut skin, mut hair) = (skin_opt(&a.skin)?, hair_opt(&a.hair)?);
    if let (Some(pp), Some(lp)) = (&a.photo, &a.landmarks) {
        let (ph, marks, file_view, _) = load_photo_and_view(&plan, pp, lp)?;
        if skin.is_none() {
            skin = marks.skin.and_then(|r| ph.mean_colour(r));
        }
        if hair.is_none() {
            hair = marks.hair.and_then(|r| ph.mean_colour(r));
        }
        // No regions marked: the client's own forehead skin and retained hair, found on the registered
        // photo (docs/photo-scalp.md).
        // Registered as `render` registers it (the joint fit of the face marks and the head's outline on a
        // front photo): the skin and hair it samples are the ones the preview is drawn from (outside probe s28:
        // the marks-only fit here read other pixels, and another colour, than `render`).
        if (skin.is_none() || hair.is_none()) && marks.points.len() >= 2 {
            let view = photo_view(None, file_view, lp)?;
            let reg = views::register_photo(&plan, view, &marks, &ph, register::MAX_RESIDUAL_MM)
                .map_err(|e| miette!("{}: {e}", lp.display()))?;
            let map = follicle_render::scalp::find_scalp(&ph.to_linear(), &plan, &reg)
                .map_err(|e| miette!("{}: {e}", pp.display()))?;
            if skin.is_none() {
                if let Some(w) = map.skin_warning() {
                    // A skin colour that would mislead the match is not matched to (follicle-render's rule).
                    if map.skin_unreadable() {
                        return Err(miette!(
                            "{}: {w}; no pigment is matched to this photo's colours: give the skin colour (--skin #rrggbb or fitzpatrick:1..6), or mark a `skin` region in --landmarks on evenly lit skin",
                            pp.display()
                        ));
                    }
                    errln!(
                        "warning: {}: {w}; give the skin colour (--skin) or mark a `skin` region on evenly lit skin",
                        pp.display()
                    );
                }
            }
            skin = skin.or(Some(map.skin));
            hair = hair.or(map.hair_colour);
        }
    }
    let skin = skin.ok_or_else(|| miette!("--skin is needed (#rrggbb or fitzpatrick:1..6), or a `skin` region in --landmarks with --photo"))?;
    let hair = hair.ok_or_else(|| match &a.photo {
        // A photo was given and read, but no retained hair was found on it (a fully bald head, or a colour
        // cast that hides the hair): say so, not only what to give (outside probe s28).
        Some(pp) if a.landmarks.is_some() => miette!(
            "{}: no retained hair was found on this photo to match the pigment to: give the hair colour (--hair, #rrggbb or a name), or mark a `hair` region in --landmarks",
            pp.display()
        ),
        _ => miette!(
            "--hair is needed (#rrggbb or a name), or a `hair` region in --landmarks with --photo"
        ),
    })?;
    let report = shade::recommend(&plan, &cat, skin, hair);
    write_png(&a.out, &sheets::swatch_sheet(&plan, &cat, &report))?;
    if !quiet {
        outln!(
            "skin {}  hair {}  target stubble {}",
            colour_words(report.skin),
            colour_words(report.hair),
            colour_words(report.target)
        );
        outln!(
            "{:<12} {:<14} {:>11} {:>7} {:>10} {:>7}",
            "zone",
            "pigment",
            "recommended",
            "ΔE00",
            "plan",
            "ΔE00"
        );
        for z in &report.zones {
            outln!(
                "{:<12} {:<14} {:>10.0}% {:>7.2} {:>9.0}% {:>7.2}",
                follicle_core::zone_words(&z.zone),
                z.pigment,
                z.strength * 100.0,
                z.delta_e,
                z.plan_strength * 100.0,
                z.plan_delta_e
            );
        }
        if let Some(z) = report.zones.first() {
            outln!(
                "strengths searched {:.0}–{:.0} %: the range practitioners use on this skin (lighter skin more diluted)",
                z.band.0 * 100.0,
                z.band.1 * 100.0
            );
        }
        // Why the advice or the plan's own strength lies outside the practice range, one sentence for the
        // zones it is the same for (the studio's grouping).
        let mut beyond: Vec<(Vec<&str>, &shade::ZoneShade, String)> = Vec::new();
        for z in &report.zones {
            let Some(key) = z.beyond_band_words("") else {
                continue;
            };
            match beyond.iter_mut().find(|(_, _, k)| *k == key) {
                Some((names, _, _)) => names.push(follicle_core::zone_words(&z.zone)),
                None => beyond.push((vec![follicle_core::zone_words(&z.zone)], z, key)),
            }
        }
        for (names, z, _) in beyond {
            if let Some(words) = z.beyond_band_words(&names.join(", ")) {
                outln!("{words}");
            }
        }
        for line in match_warnings(&report) {
            outln!("{line}");
        }
        outln!("wrote {}", a.out.display());
    } else {
        // Quiet keeps what says the match failed, on stderr as `render`'s warnings are (outside tester s38:
        // `-q shade` dropped them, so nothing said the match failed).
        for line in match_warnings(&report) {
            errln!("warning: {}: {line}", a.plan.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The report's lines that say a zone cannot be matched (grouped when zones share pigment and outcome) and
/// the hair's caution (white, grey or red hair, or stubble as light as the skin; outside probe s30: "5 %"
/// on type VI skin with grey-white hair came without a word of why).
fn match_warnings(report: &shade::ShadeReport) -> Vec<String> {
    let mut groups: Vec<(Vec<&str>, &shade::ZoneShade)> = Vec::new();
    for z in report.zones.iter().filter(|z| z.unmatched.is_some()) {
        match groups.iter_mut().find(|(_, g)| {
            g.pigment == z.pigment && g.unmatched == z.unmatched && g.strength == z.strength
        }) {
            Some((names, _)) => names.push(follicle_core::zone_words(&z.zone)),
            None => groups.push((vec![follicle_core::zone_words(&z.zone)], z)),
        }
    }
    let mut out: Vec<String> = groups
        .into_iter()
        .filter_map(|(names, z)| z.unmatched_words(&names.join(", ")))
        .collect();
    out.extend(report.caution.iter().map(|c| format!("caution: {c}")));
    out
}

#[cfg(test)]
mod tests {
    use super::after_caption;

    #[test]
    fn the_after_picture_says_which_session_it_shows() {
        assert_eq!(after_caption(3, 3, "healed"), "AFTER - HEALED");
        assert_eq!(after_caption(1, 3, "fresh"), "AFTER SESSION 1 OF 3 - FRESH");
        assert_eq!(
            after_caption(0, 3, "healed"),
            "BEFORE TREATMENT (SESSION 0)"
        );
    }
}
