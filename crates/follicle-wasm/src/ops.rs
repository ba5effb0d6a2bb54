//! The requests the editor sends, answered with the library crates (nothing here is a domain rule of its
//! own): `plan` (the plan.json the server would store), `plan_start` / `plan_step` / `plan_so_far` /
//! `plan_finish` (the
//! same plan session by session, so the editor draws session 1 at once and drops a plan whose design was
//! edited since; the geometry is kept in this instance while edits change only densities), `design` (landmarks, hairline control points and
//! curve, without sampling), `photo` (the design drawn on a frontal photo registered from its marked
//! glabella and outer eye corners), `fit` (the mid-frontal height and recession that put B and C where
//! they are marked on the photo), `drag` (the hairline with one of B, C or D moved where it is dragged on
//! the photo, every other point kept: follicle-core's `hairline::move_point`), and `pigment_colour` (a pigment's colour from the studio's form, `colour`).

use follicle_core::hairline::GargPoint;
use follicle_core::head::Head;
use follicle_core::planner::{self, Planner};
use follicle_core::{hairline, landmarks, Design, Vec3};
use follicle_render::register::{fit_similarity, Frontal, Transform, FRONTAL_DISTANCE_MM};
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
    },
    /// Places the next session of the plan being made: `{"sessions_placed": k, "done": bool}`.
    PlanStep {},
    /// The plan.json of the sessions placed so far (later sessions listed with no impressions).
    PlanSoFar {},
    /// The whole plan being made (every session placed first): plan.json, as `plan` answers.
    PlanFinish {},
    /// The design's landmarks and hairline (head frame, mm), without sampling.
    Design { case: String },
    /// The design drawn on a photo from its marks (photo pixels).
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
        } => plan_start(&case, &follicle_case::Overrides { seed, sessions }),
        Request::PlanStep {} => plan_step(),
        Request::PlanSoFar {} => plan_so_far(),
        Request::PlanFinish {} => plan_finish(),
        Request::Design { case } => design(&case).map(|v| v.to_string()),
        Request::Photo { case, marks } => photo(&case, &marks).map(|v| v.to_string()),
        Request::Fit { case, marks } => fit(&case, &marks).map(|v| v.to_string()),
        Request::Drag {
            case,
            marks,
            point,
            to,
        } => drag(&case, &marks, &point, to).map(|v| v.to_string()),
        Request::PigmentColour {
            pigment,
            lab,
            screen,
        } => colour::pigment_colour(&pigment, lab, screen.as_deref()).map(|v| v.to_string()),
    }
}

/// Parses a case file as the server does (the same name in messages).
fn parse(case: &str, ov: &follicle_case::Overrides) -> Result<Design, String> {
    follicle_case::parse("case.toml", case, ov)
        .map(|c| c.design)
        .map_err(|e| e.to_string())
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
    .map_err(|e| format!("cannot plan this case: {e}"))?;
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
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

fn cant(e: follicle_core::PlanError) -> String {
    format!("cannot plan this case: {e}")
}

/// `plan_start`: the case's geometry (kept or new); nothing placed yet.
fn plan_start(case: &str, ov: &follicle_case::Overrides) -> Result<String, String> {
    let design = parse(case, ov)?;
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        (k.design, k.planner) = (None, None);
        let kept = k.geometry.as_ref().is_some_and(|g| g.fits(&design));
        if !kept {
            k.geometry = None;
            k.geometry = Some(planner::Geometry::new(&design).map_err(cant)?);
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
    Ok(follicle_export::plan_to_json(&p.into_plan()))
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
    }))
}

/// How far beside the head's outline a point dragged on the photo may pass and still land on its rim, mm.
const BESIDE_HEAD_MM: f64 = 15.0;

/// The face landmarks that register a photo: they do not move with the hairline design.
const FACE: [&str; 3] = ["glabella", "lateral_canthus_right", "lateral_canthus_left"];

/// A frontal photo registered from its face marks: camera, similarity onto the photo, residuals.
struct PhotoFit {
    frontal: Frontal,
    t: Transform,
    px_per_mm: f64,
    residuals: Vec<(&'static str, f64)>,
}

impl PhotoFit {
    fn px(&self, p: Vec3) -> Option<[f64; 2]> {
        let (u, v, _) = self.frontal.project(p)?;
        let (x, y) = self.t.apply(u, v);
        Some([x, y])
    }
    /// The scalp point seen at photo pixel `px` (the first the camera's ray meets); a ray passing just beside
    /// the head (within `BESIDE_HEAD_MM`: a point dragged over the outline) takes the outline's point nearest
    /// it. `None` farther off.
    fn surface_at(&self, head: &Head, px: [f64; 2]) -> Option<Vec3> {
        let (u, v) = self.t.inverse()?.apply(px[0], px[1]);
        let (eye, d) = (self.frontal.eye, self.frontal.ray(u, v));
        head.ray_hit(eye, d).or_else(|| {
            let nearest = eye + d * (head.centre - eye).dot(d);
            (head.offset_from_surface(nearest) < BESIDE_HEAD_MM).then(|| head.project(nearest))
        })
    }
}

fn register(
    lm: &landmarks::Landmarks,
    marks: &BTreeMap<String, [f64; 2]>,
) -> Result<PhotoFit, String> {
    let named = lm.named();
    let frontal = Frontal::at_glabella(lm.glabella, FRONTAL_DISTANCE_MM, 0.0, 0.0);
    let (mut src, mut dst) = (Vec::new(), Vec::new());
    for name in FACE {
        let m = marks
            .get(name)
            .ok_or_else(|| format!("mark the {} on the photo first", name.replace('_', " ")))?;
        if !m.iter().all(|v| v.is_finite()) {
            return Err(format!("the mark of the {name} is not a position"));
        }
        let p = named.iter().find(|(n, _)| *n == name).expect("named").1;
        let (u, v, _) = frontal
            .project(p)
            .ok_or("the face is not seen from the front")?;
        src.push([u, v]);
        dst.push(*m);
    }
    let t = fit_similarity(&src, &dst)
        .ok_or("the glabella and the eye corners are marked on one line; mark them again")?;
    let px_per_mm = match t {
        Transform::Similarity([a, b, _, _]) => a.hypot(b),
        _ => unreachable!("a similarity"),
    };
    if px_per_mm < 0.05 {
        return Err(
            "the eye corners are marked too close together to fix the photo's scale".into(),
        );
    }
    let residuals = FACE
        .iter()
        .zip(src.iter().zip(&dst))
        .map(|(n, (s, d))| {
            let (x, y) = t.apply(s[0], s[1]);
            (*n, (x - d[0]).hypot(y - d[1]) / px_per_mm)
        })
        .collect();
    Ok(PhotoFit {
        frontal,
        t,
        px_per_mm,
        residuals,
    })
}

/// B and the two C points of a design's hairline, as the curve passes through them (its control points).
fn b_and_c(g: &Geometry) -> (Vec3, Vec3, Vec3) {
    let cp = &g.hl.control_points;
    let n = cp.len();
    let at = |p: GargPoint| cp[p.index(n)];
    (
        at(GargPoint::MidFrontal),
        at(GargPoint::FrontotemporalRight),
        at(GargPoint::FrontotemporalLeft),
    )
}

/// The design drawn on the photo: its landmarks, B/C/D and the hairline curve in photo pixels, with the
/// registration's scale and residuals and how far the marked B and C lie from the design's (mm).
fn photo(case: &str, marks: &BTreeMap<String, [f64; 2]>) -> Result<Value, String> {
    let d = parse(case, &Default::default())?;
    let g = geometry(&d)?;
    let f = register(&g.lm, marks)?;
    let px = |p: Vec3| f.px(p).map(|q| json!(q)).unwrap_or(Value::Null);
    let (b, cr, cl) = b_and_c(&g);
    let cp = &g.hl.control_points;
    let points = json!({
        "glabella": px(g.lm.glabella),
        "lateral_canthus_right": px(g.lm.lateral_canthus_right),
        "lateral_canthus_left": px(g.lm.lateral_canthus_left),
        "mid_frontal": px(b),
        "frontotemporal_right": px(cr),
        "frontotemporal_left": px(cl),
        "temporal_peak_right": px(cp[0]),
        "temporal_peak_left": px(cp[cp.len() - 1]),
    });
    let off = |name: &str, p: Vec3| {
        marks.get(name).and_then(|m| {
            f.px(p)
                .map(|q| (q[0] - m[0]).hypot(q[1] - m[1]) / f.px_per_mm)
        })
    };
    let hairline: Vec<Value> =
        g.hl.polyline
            .iter()
            .filter_map(|&p| f.px(p).map(|q| json!(q)))
            .collect();
    Ok(json!({
        "px_per_mm": f.px_per_mm,
        "residuals_mm": f.residuals.iter().map(|(n, r)| (n.to_string(), json!(r))).collect::<Map<_, _>>(),
        "marked_off_mm": {
            "mid_frontal": off("mid_frontal", b),
            "frontotemporal_right": off("frontotemporal_right", cr),
            "frontotemporal_left": off("frontotemporal_left", cl),
        },
        "points": points,
        "hairline": hairline,
    }))
}

/// The mid-frontal height (from the marked B) and the recession (from the marked C points) on the 0.5 mm
/// steps of the editor's controls that put the design's points nearest the marks. A mark that is absent
/// keeps the case's value.
fn fit(case: &str, marks: &BTreeMap<String, [f64; 2]>) -> Result<Value, String> {
    let mut d = parse(case, &Default::default())?;
    d.hairline.control_points = None;
    let g0 = geometry(&d)?;
    let f = register(&g0.lm, marks)?;
    let dist = |p: Vec3, m: &[f64; 2]| {
        f.px(p)
            .map(|q| (q[0] - m[0]).hypot(q[1] - m[1]))
            .unwrap_or(f64::INFINITY)
    };
    let steps = |(lo, hi): (f64, f64)| {
        (0..=((hi - lo) * 2.0).round() as usize).map(move |i| lo + 0.5 * i as f64)
    };
    if let Some(m) = marks.get("mid_frontal") {
        let head = Head::new(d.head);
        let nearest = |b: &dyn Fn(f64) -> Option<Vec3>| {
            steps(follicle_core::design::MID_FRONTAL_RANGE_MM)
                .filter_map(|h| Some((dist(b(h)?, m), h)))
                .min_by(|a, b| a.0.total_cmp(&b.0))
        };
        // B alone for every height (quick; a drag asks on every move), confirmed by the whole construction;
        // when that height cannot be constructed, the nearest height that can.
        let best = nearest(&|h| landmarks::mid_frontal(&head, h).ok())
            .filter(|&(_, h)| landmarks::construct(&head, h).is_ok())
            .or_else(|| nearest(&|h| landmarks::construct(&head, h).ok().map(|l| l.mid_frontal)))
            .ok_or("no mid-frontal height places B on this head")?;
        d.hairline.mid_frontal_mm = best.1;
    }
    let (mr, ml) = (
        marks.get("frontotemporal_right"),
        marks.get("frontotemporal_left"),
    );
    if mr.is_some() || ml.is_some() {
        let head = Head::new(d.head);
        let lm = landmarks::construct(&head, d.hairline.mid_frontal_mm)
            .map_err(|e| format!("cannot place the landmarks: {e}"))?;
        let mut best = (f64::INFINITY, d.hairline.recession_mm);
        for r in steps(follicle_core::design::RECESSION_RANGE_MM) {
            let hd = follicle_core::HairlineDesign {
                recession_mm: r,
                ..d.hairline.clone()
            };
            let cp = hairline::control_points(&head, &lm, &hd);
            let e = mr.map(|m| dist(cp[1], m)).unwrap_or(0.0)
                + ml.map(|m| dist(cp[cp.len() - 2], m)).unwrap_or(0.0);
            if e < best.0 {
                best = (e, r);
            }
        }
        d.hairline.recession_mm = best.1;
    }
    Ok(json!({
        "mid_frontal_height_mm": d.hairline.mid_frontal_mm,
        "recession_mm": d.hairline.recession_mm,
    }))
}

/// One point of the hairline dragged on the photo to pixel `to`, through follicle-core's
/// `hairline::move_point`: every other point stays (hand-placed ones included), so photo and head edits
/// compose. B is the mid-frontal height fitted as `fit` does (and, when the design has hand-placed points,
/// the curve's B moved with it); a C or a D becomes a hand-placed point where the camera's ray through the
/// pixel meets the scalp, each side on its own.
fn drag(
    case: &str,
    marks: &BTreeMap<String, [f64; 2]>,
    point: &str,
    to: [f64; 2],
) -> Result<Value, String> {
    let which = GargPoint::from_name(point)
        .ok_or_else(|| format!("`{point}` is not a point of the hairline that can be moved"))?;
    if !to.iter().all(|v| v.is_finite()) {
        return Err("the point was dragged to no position".into());
    }
    let mut d = parse(case, &Default::default())?;
    let head = Head::new(d.head);
    let lm = landmarks::construct(&head, d.hairline.mid_frontal_mm)
        .map_err(|e| format!("cannot place the landmarks: {e}"))?;
    if which == GargPoint::MidFrontal {
        let mut face: BTreeMap<String, [f64; 2]> = FACE
            .iter()
            .filter_map(|&k| marks.get(k).map(|m| (k.to_string(), *m)))
            .collect();
        face.insert("mid_frontal".into(), to);
        let h = fit(case, &face)?["mid_frontal_height_mm"]
            .as_f64()
            .expect("a height");
        if d.hairline.control_points.is_some() {
            let b = landmarks::construct(&head, h)
                .map_err(|e| format!("cannot place the landmarks: {e}"))?
                .mid_frontal;
            d.hairline.control_points =
                Some(hairline::move_point(&head, &lm, &d.hairline, which, b));
        }
        d.hairline.mid_frontal_mm = h;
    } else {
        let f = register(&lm, marks)?;
        let p = f
            .surface_at(&head, to)
            .ok_or("that point of the photo is off the head; drag it onto the scalp")?;
        d.hairline.control_points = Some(hairline::move_point(&head, &lm, &d.hairline, which, p));
    }
    Ok(json!({
        "mid_frontal_height_mm": d.hairline.mid_frontal_mm,
        "recession_mm": d.hairline.recession_mm,
        "control_points": d.hairline.control_points.map(|cp| cp.into_iter().map(v3).collect::<Vec<_>>()),
    }))
}

mod colour;
#[cfg(test)]
mod tests;
