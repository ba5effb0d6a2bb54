//! The design on the client's front photo: the photo shown in the editor is registered exactly as the
//! server and `follicle render` register it (follicle-render's `views::register_photo`: the joint fit of the
//! marks and the head's outline, on the photo scaled down to `overlay::MAX_SIDE_PX`), and the design's
//! points are projected through that registration (`overlay::design_points`, the points the server's
//! `GET …/fit` answers). `photo` draws the design, `fit` finds the mid-frontal height and recession that put
//! B and C at their marks, `drag` moves one hairline point to the pointer (`hairline::move_point`).

use super::{geometry, parse, Geometry};
use follicle_core::hairline::GargPoint;
use follicle_core::head::Head;
use follicle_core::{hairline, landmarks, Design, Vec3};
use follicle_render::overlay;
use follicle_render::photo::{self as rphoto, Photo, PhotoLimits};
use follicle_render::register::{Marks, RegisterError, Registration, MAX_RESIDUAL_MM};
use follicle_render::views::{self, PhotoView};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// How far beside the head's outline a point dragged on the photo may pass and still land on its rim, mm.
const BESIDE_HEAD_MM: f64 = 15.0;

/// The face landmarks that register a photo: they do not move with the hairline design.
const FACE: [&str; 3] = ["glabella", "lateral_canthus_right", "lateral_canthus_left"];

/// The photo the editor shows, decoded and scaled down as the server does before registering it.
struct Shown {
    photo: Photo,
    /// The factor it was scaled by (marks in the stored photo's pixels × `scale` = its pixels).
    scale: f64,
    /// Counts the photos shown, so a registration is never reused for another photo.
    generation: u64,
}

/// What a registration is computed from (besides the photo): the design's head, the marks and the
/// design's 3D points they are matched to (so moving B does not register the face marks again).
#[derive(Clone, PartialEq)]
struct RegKey {
    generation: u64,
    head: String,
    seed: u64,
    marks: Vec<(String, [u64; 2], [u64; 3])>,
}

thread_local! {
    static SHOWN: RefCell<Option<Shown>> = const { RefCell::new(None) };
    static GENERATION: RefCell<u64> = const { RefCell::new(0) };
    /// The last registration made, reused while its key holds (a density edit does not register again).
    static LAST: RefCell<Option<(RegKey, Rc<Registration>)>> = const { RefCell::new(None) };
}

/// Shows a photo (the file's bytes as stored; empty: none): decoded under the server's limits and scaled
/// down to `overlay::MAX_SIDE_PX`. Answers `{"width", "height", "scale"}`.
pub fn set_photo(bytes: &[u8]) -> Result<String, String> {
    let generation = GENERATION.with(|g| {
        *g.borrow_mut() += 1;
        *g.borrow()
    });
    LAST.with(|l| *l.borrow_mut() = None);
    if bytes.is_empty() {
        SHOWN.with(|s| *s.borrow_mut() = None);
        return Ok(json!({ "width": 0, "height": 0, "scale": 1.0 }).to_string());
    }
    let full = rphoto::decode(bytes, PhotoLimits::default())
        .map_err(|e| format!("this photo cannot be used: {e}"))?;
    let (w, h) = (full.w, full.h);
    let (photo, scale) = full.into_downscaled(overlay::MAX_SIDE_PX);
    SHOWN.with(|s| {
        *s.borrow_mut() = Some(Shown {
            photo,
            scale,
            generation,
        })
    });
    Ok(json!({ "width": w, "height": h, "scale": scale }).to_string())
}

/// A front photo registered from its marks (and, once shown, the head's outline on it).
pub(super) struct PhotoFit {
    reg: Rc<Registration>,
    scale: f64,
}

impl PhotoFit {
    fn px(&self, p: Vec3) -> Option<[f64; 2]> {
        overlay::on_photo(&self.reg, self.scale, p)
    }
    /// The scalp point seen at photo pixel `px` (the first the camera's ray meets); a ray passing just beside
    /// the head (within `BESIDE_HEAD_MM`: a point dragged over the outline) takes the outline's point nearest
    /// it. `None` farther off.
    fn surface_at(&self, head: &Head, px: [f64; 2]) -> Option<Vec3> {
        let (u, v) = self
            .reg
            .transform
            .inverse()?
            .apply(px[0] * self.scale, px[1] * self.scale);
        let (eye, d) = (self.reg.frontal.eye, self.reg.frontal.ray(u, v));
        head.ray_hit(eye, d).or_else(|| {
            let nearest = eye + d * (head.centre - eye).dot(d);
            (head.offset_from_surface(nearest) < BESIDE_HEAD_MM).then(|| head.project(nearest))
        })
    }
}

/// Registers the photo shown from the `marks` (in the stored photo's pixels) that locate the head
/// (`overlay::locates_head`: not the design's B, C, D) for design `d`, as the server's fit does: `views::register_photo` with the plan of the design (nothing placed yet; the registration reads
/// its head and landmarks), on the photo shown; before any photo is shown, the same fit of the marks alone.
pub(super) fn register(d: &Design, marks: &BTreeMap<String, [f64; 2]>) -> Result<PhotoFit, String> {
    for name in FACE {
        let m = marks
            .get(name)
            .ok_or_else(|| format!("mark the {} on the photo first", name.replace('_', " ")))?;
        if !m.iter().all(|v| v.is_finite()) {
            return Err(format!("the mark of the {name} is not a position"));
        }
    }
    let (generation, scale) = SHOWN.with(|s| {
        s.borrow()
            .as_ref()
            .map(|s| (s.generation, s.scale))
            .unwrap_or((0, 1.0))
    });
    let lm = landmarks::construct(&Head::new(d.head), d.hairline.mid_frontal_mm)
        .map_err(|e| format!("cannot place the landmarks: {e}"))?;
    let named = lm.named();
    let key = RegKey {
        generation,
        head: format!("{:?}", d.head),
        seed: d.seed,
        marks: marks
            .iter()
            .filter(|(n, _)| overlay::locates_head(n))
            .map(|(n, m)| {
                let p = named
                    .iter()
                    .find(|(k, _)| k == n)
                    .map(|(_, p)| [p.x.to_bits(), p.y.to_bits(), p.z.to_bits()])
                    .unwrap_or_default();
                (n.clone(), [m[0].to_bits(), m[1].to_bits()], p)
            })
            .collect(),
    };
    if let Some(reg) = LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, r)| r.clone())
    }) {
        return Ok(PhotoFit { reg, scale });
    }
    let plan = follicle_core::plan::restore(d, &[])
        .map_err(|e| format!("cannot place this design on the photo: {e}"))?;
    let scaled = Marks {
        points: marks
            .iter()
            .filter(|(n, _)| overlay::locates_head(n))
            .map(|(n, m)| (n.clone(), [m[0] * scale, m[1] * scale]))
            .collect(),
        skin: None,
        hair: None,
    };
    let reg = SHOWN.with(|s| match s.borrow().as_ref() {
        Some(s) => {
            s.photo
                .check_marks(&scaled)
                .map_err(|e| format!("the landmarks on this photo: {e}"))?;
            views::register_photo(&plan, PhotoView::Front, &scaled, &s.photo, MAX_RESIDUAL_MM)
                .map_err(|e| match e {
                    RegisterError::NoHead(_) => format!("this photo cannot be used: {e}"),
                    _ => format!(
                        "the marks on this photo do not fit the design's head: {}",
                        e.reason()
                    ),
                })
        }
        None => follicle_render::register::register_front(
            &plan,
            &scaled,
            None,
            follicle_render::register::FRONTAL_DISTANCE_MM,
            MAX_RESIDUAL_MM,
        )
        .map_err(|e| {
            format!(
                "the marks on this photo do not fit the design's head: {}",
                e.reason()
            )
        }),
    })?;
    let reg = Rc::new(reg);
    LAST.with(|l| *l.borrow_mut() = Some((key, reg.clone())));
    Ok(PhotoFit { reg, scale })
}

/// The face marks among `marks`.
fn face(marks: &BTreeMap<String, [f64; 2]>) -> BTreeMap<String, [f64; 2]> {
    FACE.iter()
        .filter_map(|&k| marks.get(k).map(|m| (k.to_string(), *m)))
        .collect()
}

/// B and the two C points of a design's hairline, as the curve passes through them (its control points).
pub(super) fn b_and_c(g: &Geometry) -> (Vec3, Vec3, Vec3) {
    let cp = &g.hl.control_points;
    let n = cp.len();
    let at = |p: GargPoint| cp[p.index(n)];
    (
        at(GargPoint::MidFrontal),
        at(GargPoint::FrontotemporalRight),
        at(GargPoint::FrontotemporalLeft),
    )
}

/// The design drawn on the photo: its landmarks, B/C/D and the hairline curve in photo pixels (the server's
/// fit's `points` and `hairline`), with the registration's scale, turn and residuals and how far the marked
/// B and C lie from the design's (mm).
pub(super) fn photo(case: &str, marks: &BTreeMap<String, [f64; 2]>) -> Result<Value, String> {
    let d = parse(case, &Default::default())?;
    let g = geometry(&d)?;
    let f = register(&d, marks)?;
    let points: Map<String, Value> = overlay::design_points(&g.lm, Some(&g.hl), &f.reg, f.scale)
        .into_iter()
        .map(|(n, p)| (n.to_string(), json!(p)))
        .collect();
    let (b, cr, cl) = b_and_c(&g);
    let px_per_mm = f.reg.px_per_mm / f.scale;
    let off = |name: &str, p: Vec3| {
        marks.get(name).and_then(|m| {
            f.px(p)
                .map(|q| (q[0] - m[0]).hypot(q[1] - m[1]) / px_per_mm)
        })
    };
    Ok(json!({
        "b_beside_midline": b_beside_midline(&f, g.lm.glabella, b, marks.get("mid_frontal"), px_per_mm),
        "px_per_mm": px_per_mm,
        "rms_mm": f.reg.rms_mm,
        "head_turn_deg": f.reg.frontal.yaw_rad.to_degrees(),
        "head_tilt_deg": f.reg.frontal.pitch_rad.to_degrees(),
        "pose_words": PhotoView::Front.pose_words(f.reg.frontal.yaw_rad, f.reg.frontal.pitch_rad),
        "outline_used": f.reg.silhouette.as_ref().map(|s| s.used).unwrap_or(false),
        "residuals_mm": f.reg.residuals.iter().map(|(n, r)| (n.clone(), json!(r))).collect::<Map<_, _>>(),
        "marked_off_mm": {
            "mid_frontal": off("mid_frontal", b),
            "frontotemporal_right": off("frontotemporal_right", cr),
            "frontotemporal_left": off("frontotemporal_left", cl),
        },
        "points": points,
        "hairline": overlay::hairline_on_photo(&g.hl, &f.reg, f.scale),
        // A mark the fit names as likely wrong, in the words the preview page says it by (outside test s48:
        // the editor showed "residual 1.8 mm" and nothing else, the preview page "10 mm uneven … check it").
        "culprit": f.reg.culprit.as_ref().map(|c| json!({ "name": c.name, "words": c.sentence() })),
        // The head's breadth on the photo against the design's, in the preview page's words, here where the
        // "Head breadth" box is (outside test s54: said on the preview page only).
        "head_words": follicle_render::head_size::HeadSize::against(d.head.breadth_mm, &f.reg)
            .and_then(|h| h.advice(follicle_render::head_size::IN_THE_EDITOR)),
    }))
}

/// Where a marked B lies beside the head's midline as the registration draws it (outside test s51: "B 10.1
/// mm" off after the fit, with B marked 3 px beside the glabella's column, while the face marks leaned the
/// midline 7.6°): `mm` across the midline (positive toward the photo's right, the client's left) and the
/// midline's lean from upright on the photo, degrees (positive: its top to the photo's right). None when B
/// is not marked or the design's B is not on the photo.
fn b_beside_midline(
    f: &PhotoFit,
    glabella: Vec3,
    b: Vec3,
    mark: Option<&[f64; 2]>,
    px_per_mm: f64,
) -> Option<Value> {
    let (m, g, b) = (mark?, f.px(glabella)?, f.px(b)?);
    let (dx, dy) = (b[0] - g[0], b[1] - g[1]);
    let len = dx.hypot(dy);
    if len < 1e-6 {
        return None;
    }
    // Across: the mark's offset along the midline's normal toward the photo's right (dy < 0 going up).
    let across = ((m[0] - b[0]) * -dy + (m[1] - b[1]) * dx) / len;
    Some(json!({
        "mm": across / px_per_mm,
        "lean_deg": dx.atan2(-dy).to_degrees(),
    }))
}

/// The mid-frontal height (from the marked B) and the recession (from the marked C points) on the 0.5 mm
/// steps of the editor's controls that put the design's points nearest the marks, on the photo registered
/// from its face marks. A mark that is absent keeps the case's value. A marked C that the construction
/// still misses by more than [`ADOPT_C_OFF_MM`] (a frontotemporal point the practitioner wants nearer the
/// midline than Garg's 80 mm, or the two sides unlike) becomes a hand-placed point where the mark lies,
/// through `hairline::move_point` as a drag of that C would (studio probe s34: C marked 26 mm inside the
/// design's stayed there, the design ignoring the mark).
pub(super) fn fit(case: &str, marks: &BTreeMap<String, [f64; 2]>) -> Result<Value, String> {
    let mut d = parse(case, &Default::default())?;
    d.hairline.control_points = None;
    let f = register(&d, &face(marks))?;
    fit_to(&mut d, &f, marks)?;
    let head = Head::new(d.head);
    let lm = landmarks::construct(&head, d.hairline.mid_frontal_mm)
        .map_err(|e| format!("cannot place the landmarks: {e}"))?;
    let px_per_mm = f.reg.px_per_mm / f.scale;
    for (name, which) in [
        ("frontotemporal_right", GargPoint::FrontotemporalRight),
        ("frontotemporal_left", GargPoint::FrontotemporalLeft),
    ] {
        let Some(m) = marks.get(name) else { continue };
        let cp = d
            .hairline
            .control_points
            .clone()
            .unwrap_or_else(|| hairline::control_points(&head, &lm, &d.hairline));
        let off = f.px(cp[which.index(cp.len())]).map_or(f64::INFINITY, |q| {
            (q[0] - m[0]).hypot(q[1] - m[1]) / px_per_mm
        });
        if off <= ADOPT_C_OFF_MM {
            continue;
        }
        if let Some(p) = f.surface_at(&head, *m) {
            d.hairline.control_points =
                Some(hairline::move_point(&head, &lm, &d.hairline, which, p));
        }
    }
    Ok(json!({
        "mid_frontal_height_mm": d.hairline.mid_frontal_mm,
        "recession_mm": d.hairline.recession_mm,
        "control_points": d.hairline.control_points.map(|cp| cp.into_iter().map(super::v3).collect::<Vec<_>>()),
    }))
}

/// How far (mm at the face marks' scale) a marked C may lie from the design's fitted one before the fit
/// places it by hand where it is marked: about what a mark placed by eye on a photo misses by.
pub const ADOPT_C_OFF_MM: f64 = 3.0;

/// Sets `d`'s mid-frontal height and recession nearest the `targets` B and C on the registered photo.
fn fit_to(
    d: &mut Design,
    f: &PhotoFit,
    targets: &BTreeMap<String, [f64; 2]>,
) -> Result<(), String> {
    let dist = |p: Vec3, m: &[f64; 2]| {
        f.px(p)
            .map(|q| (q[0] - m[0]).hypot(q[1] - m[1]))
            .unwrap_or(f64::INFINITY)
    };
    let steps = |(lo, hi): (f64, f64)| {
        (0..=((hi - lo) * 2.0).round() as usize).map(move |i| lo + 0.5 * i as f64)
    };
    if let Some(m) = targets.get("mid_frontal") {
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
        targets.get("frontotemporal_right"),
        targets.get("frontotemporal_left"),
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
    Ok(())
}

/// One point of the hairline dragged on the photo to pixel `to`, through follicle-core's
/// `hairline::move_point`: every other point stays (hand-placed ones included), so photo and head edits
/// compose. The photo is registered from its marks as it is drawn (`photo`). B is the mid-frontal height
/// fitted as `fit` does (and, when the design has hand-placed points, the curve's B moved with it); a C or a
/// D becomes a hand-placed point where the camera's ray through the pixel meets the scalp, each side on its
/// own.
pub(super) fn drag(
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
    let f = register(&d, marks)?;
    if which == GargPoint::MidFrontal {
        let mut probe = d.clone();
        fit_to(
            &mut probe,
            &f,
            &BTreeMap::from([("mid_frontal".to_string(), to)]),
        )?;
        let h = probe.hairline.mid_frontal_mm;
        if d.hairline.control_points.is_some() {
            d.hairline.control_points = Some(
                hairline::raise_mid_frontal(&head, &lm, &d.hairline, h)
                    .map_err(|e| format!("cannot place the landmarks: {e}"))?,
            );
        }
        d.hairline.mid_frontal_mm = h;
    } else {
        let p = f
            .surface_at(&head, to)
            .ok_or("that point of the photo is off the head; drag it onto the scalp")?;
        d.hairline.control_points = Some(hairline::move_point(&head, &lm, &d.hairline, which, p));
    }
    Ok(json!({
        "mid_frontal_height_mm": d.hairline.mid_frontal_mm,
        "recession_mm": d.hairline.recession_mm,
        "control_points": d.hairline.control_points.map(|cp| cp.into_iter().map(super::v3).collect::<Vec<_>>()),
    }))
}
