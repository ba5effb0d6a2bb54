//! The requests the editor sends, answered with the library crates (nothing here is a domain rule of its
//! own): `plan` (the plan.json the server would store), `plan_start` / `plan_step` / `plan_so_far` /
//! `plan_finish` / `plan_drawing` (the
//! same plan session by session, so the editor draws session 1 at once and drops a plan whose design was
//! edited since; the geometry is kept in this instance while edits change only densities), `design` (landmarks, hairline control points and
//! curve, without sampling), `photo` (the design drawn on the client's front photo, registered as the server's fit
//! registers it: `photo`), `fit` (the mid-frontal height and recession that put B and C where
//! they are marked on the photo), `drag` (the hairline with one of B, C or D moved where it is dragged on
//! the photo, every other point kept: follicle-core's `hairline::move_point`), `limits` (the ranges the editor's controls offer), and `pigment_colour` (a pigment's colour from the studio's form, `colour`).

use follicle_core::head::Head;
use follicle_core::planner::{self, Planner};
use follicle_core::{hairline, landmarks, Design, Vec3};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Largest request accepted, bytes (a case file with hand-drawn zones is a few kilobytes).
pub const MAX_REQUEST_BYTES: usize = 1 << 20;

/// A request from the editor.
#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
enum Request {
    /// Plan the case: the answer is plan.json, exactly as the server stores it (with `first_sessions`, only
    /// those first sessions: the quick first picture).
    Plan {
        case: String,
        #[serde(default)]
        seed: Option<u64>,
        #[serde(default)]
        sessions: Option<usize>,
        #[serde(default)]
        first_sessions: Option<usize>,
    },
    /// Starts planning the case session by session in this instance (replacing any plan being made): its
    /// geometry, kept from the previous plan when the case differs from it only in densities, needles or
    /// strengths. Answers `{"geometry_kept": bool}`.
    PlanStart {
        case: String,
        #[serde(default)]
        seed: Option<u64>,
        #[serde(default)]
        sessions: Option<usize>,
        /// The clinic's pigment keys: when given, a zone's shade must be one of them or a built-in pigment,
        /// as the server's plan route requires (follicle-render's `shade_not_a_pigment`).
        #[serde(default)]
        pigments: Option<Vec<String>>,
    },
    /// Places the next session of the plan being made: `{"sessions_placed": k, "done": bool}`.
    PlanStep {},
    /// The plan.json of the sessions placed so far (later sessions listed with no impressions).
    PlanSoFar {},
    /// The whole plan being made (every session placed first): plan.json, as `plan` answers.
    PlanFinish {},
    /// The plan as the editor draws it, of the sessions placed so far or of the plan just finished:
    /// plan.json without its impressions, which go into the arrays buffer (`drawing`).
    PlanDrawing {},
    /// The design's landmarks and hairline (head frame, mm), without sampling, and the height of its B above
    /// the glabella along the scalp (`mid_frontal_height_mm`, where the hairline has B).
    Design { case: String },
    /// The hairline settings with B at `height` mm above the glabella along the scalp: a hairline placed by
    /// hand has B moved up or down the midline, every other point kept (`{"mid_frontal_height_mm",
    /// "control_points"}`; `control_points` null for a constructed hairline, which the height places).
    Raise { case: String, height: f64 },
    /// The design drawn on the photo shown (`set_photo`) from its marks (photo pixels), registered as the
    /// server's fit registers it.
    Photo {
        case: String,
        marks: BTreeMap<String, [f64; 2]>,
    },
    /// The mid-frontal height and recession that put B and the C points nearest their marks.
    Fit {
        case: String,
        marks: BTreeMap<String, [f64; 2]>,
    },
    /// The hairline settings with one point (B, a C or a D, by its landmark name) moved to photo pixel `to`,
    /// every other point kept: `{"mid_frontal_height_mm", "recession_mm", "control_points"}`.
    Drag {
        case: String,
        marks: BTreeMap<String, [f64; 2]>,
        point: String,
        to: [f64; 2],
    },
    /// The ranges the case parser and the planner accept for the editor's controls (`limits`).
    Limits {},
    /// A pigment's colour from the studio's form: the maker's CIELAB numbers (`lab`) or a screen colour
    /// (`screen`, `#rrggbb`), answered as `{"lab", "swatch", "problem"}` (`colour`).
    PigmentColour {
        #[serde(default)]
        pigment: String,
        #[serde(default)]
        lab: Option<[f64; 3]>,
        #[serde(default)]
        screen: Option<String>,
    },
}

/// Answers one JSON request; the error is a sentence for the practitioner.
pub fn call(request: &str) -> Result<String, String> {
    if request.len() > MAX_REQUEST_BYTES {
        return Err(format!(
            "the design is too large ({} bytes; at most {MAX_REQUEST_BYTES})",
            request.len()
        ));
    }
    let req: Request =
        serde_json::from_str(request).map_err(|e| format!("bad request from the editor: {e}"))?;
    match req {
        Request::Plan {
            case,
            seed,
            sessions,
            first_sessions,
        } => plan(
            &case,
            &follicle_case::Overrides { seed, sessions },
            first_sessions,
        ),
        Request::PlanStart {
            case,
            seed,
            sessions,
            pigments,
        } => plan_start(
            &case,
            &follicle_case::Overrides { seed, sessions },
            pigments.as_deref(),
        ),
        Request::PlanStep {} => plan_step(),
        Request::PlanSoFar {} => plan_so_far(),
        Request::PlanFinish {} => plan_finish(),
        Request::PlanDrawing {} => plan_drawing(),
        Request::Design { case } => design(&case).map(|v| v.to_string()),
        Request::Raise { case, height } => raise(&case, height).map(|v| v.to_string()),
        Request::Photo { case, marks } => photo::photo(&case, &marks).map(|v| v.to_string()),
        Request::Fit { case, marks } => photo::fit(&case, &marks).map(|v| v.to_string()),
        Request::Drag {
            case,
            marks,
            point,
            to,
        } => photo::drag(&case, &marks, &point, to).map(|v| v.to_string()),
        Request::Limits {} => Ok(limits().to_string()),
        Request::PigmentColour {
            pigment,
            lab,
            screen,
        } => colour::pigment_colour(&pigment, lab, screen.as_deref()).map(|v| v.to_string()),
    }
}

/// The accepted ranges of the editor's controls, `[min, max]`, from the constants the parser and the planner
/// check (so a slider never offers a value the plan refuses).
fn limits() -> Value {
    use follicle_core::design::{IRREGULARITY_RANGE, MID_FRONTAL_RANGE_MM, RECESSION_RANGE_MM};
    let pair = |r: (f64, f64)| json!([r.0, r.1]);
    json!({
        "mid_frontal_height_mm": pair(MID_FRONTAL_RANGE_MM),
        "recession_mm": pair(RECESSION_RANGE_MM),
        "irregularity": pair(IRREGULARITY_RANGE),
        "interpupillary_mm": pair(follicle_case::INTERPUPILLARY_RANGE_MM),
        // The built-in pigments a zone's shade may name besides the clinic's own.
        "builtin_pigments": follicle_render::shade::Catalogue::builtin()
            .pigments
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>(),
        "breadth_mm": pair(follicle_case::BREADTH_RANGE_MM),
        "circumference_mm": pair(follicle_case::CIRCUMFERENCE_RANGE_MM),
        // The median head of each sex the design starts from (the boxes' placeholders).
        "head_defaults": {
            "male": head_defaults(follicle_core::Sex::Male),
            "female": head_defaults(follicle_core::Sex::Female),
        },
        "sessions": [*follicle_case::SESSIONS_RANGE.start(), *follicle_case::SESSIONS_RANGE.end()],
        // A zone's density at 100 %, impressions per cm² (outside test s48: the box took 1–4 without a word).
        "density_cm2": [follicle_case::MIN_DENSITY_CM2, follicle_core::plan::MAX_DENSITY_CM2],
        // The built-in zones' names as practitioners say them (follicle-core's `BuiltinZone::words`).
        "zone_words": follicle_core::design::BuiltinZone::ALL
            .iter()
            .map(|z| (z.id().to_string(), Value::from(z.words())))
            .collect::<serde_json::Map<String, Value>>(),
        "hairline_defaults": {
            "male": hairline_defaults(follicle_core::Sex::Male),
            "female": hairline_defaults(follicle_core::Sex::Female),
        },
    })
}

/// The median head of `sex` (follicle-core's `HeadMeasurements::median`), as the editor's boxes show it.
fn head_defaults(sex: follicle_core::Sex) -> Value {
    let m = follicle_core::head::HeadMeasurements::median(sex);
    json!({
        "breadth_mm": m.breadth_mm,
        "circumference_mm": m.circumference_mm().round(),
        "interpupillary_mm": m.interpupillary_mm,
    })
}

/// The hairline a new design for a client of `sex` starts with (follicle-core's
/// `HairlineDesign::for_sex`, as the case parser applies it), in the editor's field names.
fn hairline_defaults(sex: follicle_core::Sex) -> Value {
    let d = follicle_core::HairlineDesign::for_sex(sex);
    json!({
        "mid_frontal_height_mm": d.mid_frontal_mm,
        "style": d.style.as_str(),
        "edge": d.edge.as_str(),
        "irregularity": d.irregularity,
        "recession_mm": d.recession_mm,
    })
}

/// Parses a case file as the server does (the same name in messages).
fn parse(case: &str, ov: &follicle_case::Overrides) -> Result<Design, String> {
    follicle_case::parse("case.toml", case, ov)
        .map(|c| c.design)
        .map_err(|e| e.form_words())
}

/// plan.json for a case file: follicle-case, follicle-core's planner and follicle-export's writer, the
/// same three calls as the server's plan route (`first`: only the first sessions, for a first picture).
pub fn plan(
    case: &str,
    ov: &follicle_case::Overrides,
    first: Option<usize>,
) -> Result<String, String> {
    let design = parse(case, ov)?;
    let p = match first {
        Some(k) => follicle_core::plan::plan_first_sessions(&design, k),
        None => follicle_core::plan::plan(&design),
    }
    .map_err(|e| follicle_case::plan_error_at("case.toml", case, &e).form_words())?;
    Ok(follicle_export::plan_to_json(&p))
}

/// What this instance keeps between requests: the geometry of the last plan started (kept while edits
/// change only densities, needles or strengths) and the plan being made session by session (its design until
/// the first session is placed, then its planner).
#[derive(Default)]
struct Kept {
    geometry: Option<planner::Geometry>,
    design: Option<Design>,
    planner: Option<Planner>,
    /// The plan `plan_finish` answered last, for its drawing.
    finished: Option<follicle_core::Plan>,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

fn cant(e: follicle_core::PlanError) -> String {
    format!("cannot plan this case: {e}")
}

/// `plan_start`: the case's geometry (kept or new); nothing placed yet.
fn plan_start(
    case: &str,
    ov: &follicle_case::Overrides,
    pigments: Option<&[String]>,
) -> Result<String, String> {
    let design = parse(case, ov)?;
    if let Some(words) = pigments
        .and_then(|own| follicle_render::plan_catalogue::shade_not_a_pigment(&design.zones, own))
    {
        return Err(words);
    }
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        (k.design, k.planner, k.finished) = (None, None, None);
        let kept = k.geometry.as_ref().is_some_and(|g| g.fits(&design));
        if !kept {
            k.geometry = None;
            k.geometry =
                Some(planner::Geometry::new(&design).map_err(|e| match e {
                    // Nothing to plan yet: what to do is the point (a scar repair before its scar is drawn).
                    follicle_core::PlanError::NothingTreated if follicle_case::is_scars_only(case) => {
                        "Nothing to plan yet: a scar repair treats only the scars drawn. Choose “Draw scar”, \
                         click the scar's outline on the top view, then “Finish zone”."
                            .to_string()
                    }
                    e => follicle_case::plan_error_at("case.toml", case, &e).form_words(),
                })?);
        }
        k.design = Some(design);
        Ok(json!({ "geometry_kept": kept }).to_string())
    })
}

/// Runs `f` on the plan being made, starting its planner on the kept geometry when needed.
fn with_planner<T>(f: impl FnOnce(&mut Planner) -> T) -> Result<T, String> {
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        if k.planner.is_none() {
            let d = k.design.take().ok_or(NOT_STARTED)?;
            let g = k.geometry.as_ref().ok_or(NOT_STARTED)?;
            k.planner = Some(Planner::start(&d, g).map_err(cant)?);
        }
        Ok(f(k.planner.as_mut().expect("started")))
    })
}

/// `plan_step`: the next session of the plan being made.
fn plan_step() -> Result<String, String> {
    with_planner(|p| {
        p.step();
        json!({"sessions_placed": p.sessions_placed(), "done": p.done()}).to_string()
    })
}

/// `plan_so_far`: plan.json of the sessions placed so far.
fn plan_so_far() -> Result<String, String> {
    with_planner(|p| follicle_export::plan_to_json(&p.plan()))
}

/// `plan_finish`: the whole plan being made, as plan.json; the instance then holds no plan.
fn plan_finish() -> Result<String, String> {
    with_planner(|_| ())?;
    let mut p = KEPT
        .with(|k| k.borrow_mut().planner.take())
        .ok_or(NOT_STARTED)?;
    while p.step() {}
    let plan = p.into_plan();
    let text = follicle_export::plan_to_json(&plan);
    KEPT.with(|k| k.borrow_mut().finished = Some(plan));
    Ok(text)
}

/// `plan_drawing`: the plan just finished, else the sessions placed so far, as the editor draws it.
fn plan_drawing() -> Result<String, String> {
    let finished = KEPT.with(|k| k.borrow().finished.as_ref().map(drawing::drawing));
    match finished {
        Some(text) => Ok(text),
        None => with_planner(|p| drawing::drawing(&p.plan())),
    }
}

const NOT_STARTED: &str = "no plan is being made (the editor asks for plan_start first)";

/// Head, landmarks and hairline of a design (what the planner builds before it samples).
struct Geometry {
    lm: landmarks::Landmarks,
    hl: hairline::Hairline,
}

fn geometry(d: &Design) -> Result<Geometry, String> {
    let head = Head::new(d.head);
    let lm = landmarks::construct(&head, d.hairline.mid_frontal_mm)
        .map_err(|e| format!("cannot place the landmarks: {e}"))?;
    let hl = hairline::construct(&head, &lm, &d.hairline, d.seed);
    Ok(Geometry { lm, hl })
}

fn v3(p: Vec3) -> Value {
    json!([p.x, p.y, p.z])
}

/// The landmarks, the hairline's control points (right temporal peak to left) and its curve.
fn design(case: &str) -> Result<Value, String> {
    let d = parse(case, &Default::default())?;
    let g = geometry(&d)?;
    let height = g.hl.mid_frontal_height_mm(&Head::new(d.head), &g.lm);
    let lm: Map<String, Value> =
        g.lm.named()
            .into_iter()
            .map(|(n, p)| (n.to_string(), v3(p)))
            .collect();
    Ok(json!({
        "landmarks": lm,
        "control_points": g.hl.control_points.iter().map(|&p| v3(p)).collect::<Vec<_>>(),
        "hairline": g.hl.polyline.iter().map(|&p| v3(p)).collect::<Vec<_>>(),
        "hairline_length_mm": g.hl.length_mm(),
        "mid_frontal_height_mm": height,
    }))
}

/// `raise`: B at `height` above the glabella (follicle-core's `hairline::raise_mid_frontal` for hand-placed
/// points), within the range the case parser accepts.
fn raise(case: &str, height: f64) -> Result<Value, String> {
    let (lo, hi) = follicle_core::design::MID_FRONTAL_RANGE_MM;
    if !(lo..=hi).contains(&height) {
        return Err(format!(
            "the mid-frontal height must be {lo}–{hi} mm above the glabella"
        ));
    }
    let d = parse(case, &Default::default())?;
    let head = Head::new(d.head);
    let lm = landmarks::construct(&head, d.hairline.mid_frontal_mm)
        .map_err(|e| format!("cannot place the landmarks: {e}"))?;
    let cp = match &d.hairline.control_points {
        Some(_) => Some(
            hairline::raise_mid_frontal(&head, &lm, &d.hairline, height)
                .map_err(|e| format!("cannot place the landmarks: {e}"))?,
        ),
        None => None,
    };
    Ok(json!({
        "mid_frontal_height_mm": height,
        "control_points": cp.map(|cp| cp.into_iter().map(v3).collect::<Vec<_>>()),
    }))
}

mod colour;
pub mod drawing;
mod photo;
pub use photo::set_photo;
#[cfg(test)]
mod tests;
