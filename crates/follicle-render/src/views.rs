//! Several photos, one head: which view of the head a photo is (front, top, left, right, back), the
//! anatomical landmarks a practitioner can mark on each view, and the registration of a photo of any view
//! to the client's one head (the plan's head and landmarks).
//!
//! A front photo keeps the face registration of [`crate::register`] (glabella and outer eye corners, up to
//! a perspective map). Any other view is fitted as a camera 1 m from the head, posed around the view's
//! direction (turn and tilt searched within ±35°), with a similarity (rotation, uniform scale, shift)
//! onto the photo: six numbers, so three marks fix it and every further mark is a check. Residuals are
//! reported per landmark in mm at the registered scale; leave-one-out refits without each mark (the pose
//! searched again) and names the one mark whose removal lets the others fit far better.
//!
//! The points come from the head model only: the plan's landmarks plus the tragion (the ear notch; the
//! head frame's zero height is the tragion level and its centre lies above the tragion midpoint) and the
//! opisthocranion (the back end of the head length, measured from the glabella). Pure: marks in,
//! registration out.

use crate::register::{register, Frontal, Marks, RegisterError, Registration, FRONTAL_DISTANCE_MM};
use follicle_core::{Plan, Vec3};

/// Largest turn or tilt of a non-front photo's camera away from its view's direction, radians (35°).
pub const MAX_POSE_RAD: f64 = 0.61;
/// A mark is named as the culprit when the others, refitted without it, leave less than this share of
/// the residual with it…
pub const CULPRIT_SHARE: f64 = 0.5;
/// …and it lies at least this far (mm) from where they put it.
pub const CULPRIT_MIN_OFF_MM: f64 = 5.0;

/// Which view of the client's head a photo shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PhotoView {
    /// The face, from the front.
    Front,
    /// The top of the head, from above (face toward the top of the photo).
    Top,
    /// The client's left side (profile).
    Left,
    /// The client's right side (profile).
    Right,
    /// The back of the head.
    Back,
}

/// A landmark a practitioner marks on a photo: its name (as in plan.json and landmarks files), a short
/// label and where to find it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkName {
    /// Name in files and the API.
    pub name: &'static str,
    /// Short label in plain words.
    pub label: &'static str,
    /// Where it is, for the marks editor.
    pub hint: &'static str,
}

/// The design's hairline points a front photo may carry besides its face marks (where the practitioner drew
/// the hairline on the photo): the back of the head, the nape, the tragions and the crown whorl are not
/// seen from the front, so a front photo refuses them by name (outside probe s21).
const FRONT_DESIGN: [&str; 5] = [
    "mid_frontal",
    "frontotemporal_right",
    "frontotemporal_left",
    "temporal_peak_right",
    "temporal_peak_left",
];

/// Every landmark a photo may carry, in the order the marks editor offers them.
pub const MARK_NAMES: [MarkName; 16] = [
    MarkName {
        name: "glabella",
        label: "glabella",
        hint: "between the brows, above the nose",
    },
    MarkName {
        name: "lateral_canthus_right",
        label: "right outer eye corner",
        hint: "where the client's right eyelids meet, on the outside",
    },
    MarkName {
        name: "lateral_canthus_left",
        label: "left outer eye corner",
        hint: "where the client's left eyelids meet, on the outside",
    },
    MarkName {
        name: "tragion_right",
        label: "right tragion",
        hint: "the notch just above the small flap in front of the client's right ear canal",
    },
    MarkName {
        name: "tragion_left",
        label: "left tragion",
        hint: "the notch just above the small flap in front of the client's left ear canal",
    },
    MarkName {
        name: "ear_top_right",
        label: "top of the right ear",
        hint: "where the front of the client's right ear's upper rim joins the head (not the top of the rim, which lies further back)",
    },
    MarkName {
        name: "ear_top_left",
        label: "top of the left ear",
        hint: "where the front of the client's left ear's upper rim joins the head (not the top of the rim, which lies further back)",
    },
    MarkName {
        name: "vertex",
        label: "top of the head",
        hint: "the highest point of the head's outline",
    },
    MarkName {
        name: "opisthocranion",
        label: "back of the skull",
        hint: "the point of the skull farthest back from the glabella",
    },
    MarkName {
        name: "nape",
        label: "nape",
        hint: "the middle of the hairline at the back of the neck",
    },
    MarkName {
        name: "crown_whorl",
        label: "crown whorl",
        hint: "the centre of the hair's spiral on the crown, where hair remains",
    },
    MarkName {
        name: "mid_frontal",
        label: "hairline centre",
        hint: "the design's hairline on the midline (front photos)",
    },
    MarkName {
        name: "frontotemporal_right",
        label: "right hairline corner",
        hint: "the design's frontotemporal point (front photos)",
    },
    MarkName {
        name: "frontotemporal_left",
        label: "left hairline corner",
        hint: "the design's frontotemporal point (front photos)",
    },
    MarkName {
        name: "temporal_peak_right",
        label: "right temporal peak",
        hint: "the design's temporal peak (front photos)",
    },
    MarkName {
        name: "temporal_peak_left",
        label: "left temporal peak",
        hint: "the design's temporal peak (front photos)",
    },
];

/// The short label of a landmark name (the name itself when unknown).
pub fn label(name: &str) -> &str {
    MARK_NAMES
        .iter()
        .find(|m| m.name == name)
        .map_or(name, |m| m.label)
}

/// A mark named for a person: "the left outer eye corner mark (`lateral_canthus_left`)", its key in the
/// landmarks file in backticks after its words (the studio leaves such keys out, `follicle-server`'s
/// `said`); "the glabella mark" where the key is the word.
pub fn mark_ref(name: &str) -> String {
    let l = label(name);
    if l == name {
        format!("the {l} mark")
    } else {
        format!("the {l} mark (`{name}`)")
    }
}

impl PhotoView {
    /// Every view, in the order the studio lists them.
    pub const ALL: [PhotoView; 5] = [
        PhotoView::Front,
        PhotoView::Top,
        PhotoView::Left,
        PhotoView::Right,
        PhotoView::Back,
    ];

    /// Parses `front|top|left|right|back`.
    pub fn parse(s: &str) -> Option<PhotoView> {
        PhotoView::ALL.into_iter().find(|v| v.name() == s)
    }

    /// The name in files, the API and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PhotoView::Front => "front",
            PhotoView::Top => "top",
            PhotoView::Left => "left",
            PhotoView::Right => "right",
            PhotoView::Back => "back",
        }
    }

    /// Every view's name, for messages ("front, top, left, right, back").
    pub fn names() -> String {
        PhotoView::ALL.map(|v| v.name()).join(", ")
    }

    /// The view in plain words ("the client's left side").
    pub fn words(self) -> &'static str {
        match self {
            PhotoView::Front => "the face, from the front",
            PhotoView::Top => "the top of the head, from above",
            PhotoView::Left => "the client's left side",
            PhotoView::Right => "the client's right side",
            PhotoView::Back => "the back of the head",
        }
    }

    /// The landmarks a practitioner can see and mark on this view. A front photo also accepts the
    /// design's hairline points (mid_frontal, frontotemporal and temporal peaks), as it always has.
    pub fn landmarks(self) -> &'static [&'static str] {
        match self {
            PhotoView::Front => &[
                "glabella",
                "lateral_canthus_right",
                "lateral_canthus_left",
                "ear_top_right",
                "ear_top_left",
                "vertex",
            ],
            PhotoView::Top => &[
                "glabella",
                "ear_top_right",
                "ear_top_left",
                "opisthocranion",
                "crown_whorl",
            ],
            PhotoView::Left => &[
                "glabella",
                "lateral_canthus_left",
                "tragion_left",
                "ear_top_left",
                "vertex",
                "opisthocranion",
                "nape",
            ],
            PhotoView::Right => &[
                "glabella",
                "lateral_canthus_right",
                "tragion_right",
                "ear_top_right",
                "vertex",
                "opisthocranion",
                "nape",
            ],
            PhotoView::Back => &[
                "ear_top_left",
                "ear_top_right",
                "vertex",
                "crown_whorl",
                "opisthocranion",
                "nape",
            ],
        }
    }

    /// Every name a mark on this view may have: its landmarks, and on a front photo the design's hairline
    /// points too.
    pub fn accepted(self) -> Vec<&'static str> {
        let mut names = self.landmarks().to_vec();
        if self == PhotoView::Front {
            names.extend(FRONT_DESIGN);
        }
        names
    }

    /// Whether a mark of this name may be placed on this view (one of [`PhotoView::accepted`]).
    pub fn accepts(self, name: &str) -> bool {
        self.landmarks().contains(&name)
            || (self == PhotoView::Front && FRONT_DESIGN.contains(&name))
    }

    /// Fewest marks that fix this view's camera: 2 on the face (a similarity), 3 elsewhere (the pose too).
    pub fn min_marks(self) -> usize {
        if self == PhotoView::Front {
            2
        } else {
            3
        }
    }

    /// The view's direction (unit, from the head toward the camera) and the photo's up direction.
    pub fn base(self) -> (Vec3, Vec3) {
        let z = Vec3::new(0.0, 0.0, 1.0);
        match self {
            PhotoView::Front => (Vec3::new(0.0, 1.0, 0.0), z),
            PhotoView::Top => (z, Vec3::new(0.0, 1.0, 0.0)),
            PhotoView::Left => (Vec3::new(-1.0, 0.0, 0.0), z),
            PhotoView::Right => (Vec3::new(1.0, 0.0, 0.0), z),
            PhotoView::Back => (Vec3::new(0.0, -1.0, 0.0), z),
        }
    }

    /// The point the view's camera looks at: the glabella on the front, elsewhere the head's surface
    /// straight toward the camera from the head's centre (where the scale is given).
    pub fn target(self, plan: &Plan) -> Vec3 {
        match self {
            PhotoView::Front => plan.landmarks.glabella,
            _ => plan.head.point_along(self.base().0),
        }
    }

    /// The view's camera turned by `yaw_rad` and tilted by `pitch_rad` from its direction.
    pub fn camera(self, plan: &Plan, yaw_rad: f64, pitch_rad: f64) -> Frontal {
        if self == PhotoView::Front {
            return Frontal::posed(plan, FRONTAL_DISTANCE_MM, yaw_rad, pitch_rad);
        }
        let (back, up) = self.base();
        Frontal::oriented(
            self.target(plan),
            FRONTAL_DISTANCE_MM,
            back,
            up,
            yaw_rad,
            pitch_rad,
        )
    }
}

/// Every point a photo can be registered by, on `plan`'s head: the plan's landmarks, the two tragions and
/// the opisthocranion.
pub fn points(plan: &Plan) -> Vec<(&'static str, Vec3)> {
    let h = &plan.head;
    let mut v = plan.landmarks.named();
    let half_pi = std::f64::consts::FRAC_PI_2;
    // The head frame's zero height is the tragion level; the centre lies above the tragion midpoint.
    if let (Some(l), Some(r)) = (
        h.point_at_azimuth(-half_pi, 0.0),
        h.point_at_azimuth(half_pi, 0.0),
    ) {
        v.push(("tragion_left", l));
        v.push(("tragion_right", r));
    }
    v.push(("opisthocranion", h.point_along(Vec3::new(0.0, -1.0, 0.0))));
    v
}

/// Leave-one-out's verdict: the mark that does not fit the others.
#[derive(Clone, Debug, PartialEq)]
pub struct Culprit {
    /// Landmark name.
    pub name: String,
    /// How far it is marked from where the other marks put it, mm.
    pub off_mm: f64,
    /// RMS residual of the other marks fitted without it, mm.
    pub rms_without_mm: f64,
    /// RMS residual of every mark, mm.
    pub rms_with_mm: f64,
    /// The other mark that may be the one off instead: an eye corner named because the two are uneven
    /// about the face's midline (the one farther out is named; the partner may sit too far in).
    pub partner: Option<String>,
    /// An outer eye corner named because its eye's iris lies farther in from it than from a corner where
    /// the lids meet (`register::iris::corner_beyond_the_eye`): how far, mm.
    pub iris_in_mm: Option<f64>,
    /// A glabella named by the face's proportions and midline: where it lies (`register::GlabellaAt`).
    pub glabella_at: Option<crate::register::GlabellaAt>,
}

impl Culprit {
    /// In plain words: "the left tragion mark looks wrong: 14 mm off; without it the fit is within 0.4 mm".
    pub fn sentence(&self) -> String {
        if let Some(p) = &self.partner {
            return format!(
                "the outer eye corner marks are {:.0} mm uneven about the face's midline: the {} mark lies farther out (check it first: a corner marked on the skin fold beyond the eye is the usual slip), or the {} mark lies too far in",
                self.off_mm,
                label(&self.name),
                label(p)
            );
        }
        if let Some(t) = self.iris_in_mm {
            return format!(
                "the {} mark may lie beyond the eye, on the skin toward the temple: the eye's iris lies {t:.0} mm in from it, about {:.0} mm from the corner where the lids meet; check it",
                label(&self.name),
                crate::register::iris::IRIS_AT_CORNER_MM
            );
        }
        if !self.rms_without_mm.is_finite() {
            // Named by the face's proportions and midline (`register::check_face_marks`), not by a refit.
            // With three marks the face check cannot tell a glabella off the midline from an eye corner marked
            // toward the nose or on the pupil (outside probe s31b: a corner 15 mm in named the glabella).
            let corners = if self.name == "glabella" {
                // Where it lies, in the two directions the check weighs (outside test s50: "12 mm" for a
                // mark at brow level 2 mm off the corners' middle read as exaggerated).
                let at = self.glabella_at.map(|g| g.words()).unwrap_or_default();
                format!("{at}; an outer eye corner marked toward the nose or on the pupil looks the same to this check: check all three marks (the corners where the lids meet)")
            } else {
                String::new()
            };
            return format!(
                "the {} mark looks wrong: {:.0} mm from where the face's proportions and its midline put it{corners}",
                label(&self.name),
                self.off_mm
            );
        }
        format!(
            "the {} mark looks wrong: {:.0} mm off; without it the fit is within {:.1} mm",
            label(&self.name),
            self.off_mm,
            self.rms_without_mm
        )
    }
}

/// Registers a photo of `view` from its marks to `plan`'s head: the camera, per-landmark residuals in mm,
/// and the culprit when one mark stands out. Refused with a clear reason when a mark does not belong to
/// the view, too few are marked, they lie on one line, or they fit no camera within `max_residual_mm`.
pub fn register_view(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    check_names(view, marks)?;
    match fit_once(plan, view, marks, max_residual_mm) {
        Ok(mut r) => {
            r.culprit = leave_one_out(plan, view, marks, max_residual_mm, r.rms_mm);
            Ok(r)
        }
        Err(RegisterError::Residual {
            rms_mm,
            worst,
            worst_mm,
            limit_mm,
            culprit,
            residuals,
        }) => {
            let mine = leave_one_out(plan, view, marks, max_residual_mm, rms_mm);
            Err(RegisterError::Residual {
                rms_mm,
                worst,
                worst_mm,
                limit_mm,
                culprit: mine.map(Box::new).or(culprit),
                residuals,
            })
        }
        // A front fit can be refused as a stretch before any residual is measured: one bad mark does
        // that too, so leave-one-out still looks for it, and the others' fit gives the residuals.
        Err(e @ RegisterError::Implausible(_)) => {
            let Some((c, rest)) =
                leave_one_out_fit(plan, view, marks, max_residual_mm, f64::INFINITY)
            else {
                return Err(e);
            };
            let n = marks.points.len() as f64;
            let mut residuals = rest.residuals.clone();
            residuals.push((c.name.clone(), c.off_mm));
            let rms_mm = ((rest.rms_mm.powi(2) * (n - 1.0) + c.off_mm.powi(2)) / n).sqrt();
            Err(RegisterError::Residual {
                rms_mm,
                worst: c.name.clone(),
                worst_mm: c.off_mm,
                limit_mm: max_residual_mm,
                culprit: Some(Box::new(c)),
                residuals,
            })
        }
        Err(e) => Err(e),
    }
}

/// Registers a photo of `view` with the photo itself: a front photo by the joint fit of its face marks
/// and the head's outline on it (`register::joint`: the head's turn, tilt and size), any other view as
/// [`register_view`]. Refused as [`register_view`] refuses, and a front photo with no head at its marks
/// (`register::check_head_found`: no skin above the glabella) or cut by the photo's top edge
/// (`register::check_whole_head`) as [`RegisterError::NoHead`], so the CLI,
/// the server and the editor's photo pane all refuse it.
pub fn register_photo(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    photo: &crate::photo::Photo,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    if view != PhotoView::Front {
        let first = register_view(plan, view, marks, max_residual_mm)?;
        return Ok(outline_pose::with_outline(
            plan,
            view,
            marks,
            photo,
            first,
            max_residual_mm,
        ));
    }
    check_names(view, marks)?;
    crate::register::check_whole_head(photo, plan, marks).map_err(RegisterError::NoHead)?;
    let reg = crate::register::register_front(
        plan,
        marks,
        Some(photo),
        FRONTAL_DISTANCE_MM,
        max_residual_mm,
    )?;
    crate::register::check_head_found(photo, plan, &reg).map_err(RegisterError::NoHead)?;
    Ok(reg)
}

/// Every mark's name belongs to the view, and there are enough of them.
fn check_names(view: PhotoView, marks: &Marks) -> Result<(), RegisterError> {
    for (name, _) in &marks.points {
        if !view.accepts(name) {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: format!(
                    "not marked on a {} photo ({}); a {} photo uses {}",
                    view.name(),
                    view.words(),
                    view.name(),
                    view.accepted().join(", ")
                ),
            });
        }
    }
    let n = marks.points.len();
    if n < view.min_marks() {
        return Err(RegisterError::TooFewForView {
            view: view.name(),
            given: n,
            needed: view.min_marks(),
            names: view.landmarks().join(", "),
        });
    }
    Ok(())
}

/// One fit without leave-one-out.
fn fit_once(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    if view == PhotoView::Front {
        let straight = register(plan, marks, FRONTAL_DISTANCE_MM, max_residual_mm);
        // With 4 marks or more the face's perspective map can half-absorb a turned head (ear tops and
        // vertex lie far behind the face); the posed camera is tried too and kept when it fits clearly better.
        if marks.points.len() >= 4 {
            if let Ok(p) = posed_fit(plan, view, marks, max_residual_mm) {
                if straight.as_ref().is_err()
                    || straight.as_ref().is_ok_and(|s| p.rms_mm < s.rms_mm - 0.05)
                {
                    return Ok(p);
                }
            }
        }
        return straight;
    }
    posed_fit(plan, view, marks, max_residual_mm)
}

/// The camera posed around the view's direction (turn and tilt searched) with a similarity onto the photo.
fn posed_fit(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    let dst: Vec<[f64; 2]> = marks.points.iter().map(|(_, xy)| *xy).collect();
    if flatness(&dst) < 0.04 {
        return Err(RegisterError::Implausible(format!(
            "the marks lie on one line, so the head's turn cannot be found; mark a point off that line ({})",
            view.landmarks().join(", ")
        )));
    }
    let (err, yaw, pitch) =
        search_pose(|yaw, pitch| pixel_error(plan, view, marks, &view.camera(plan, yaw, pitch)));
    if !err.is_finite() {
        return Err(RegisterError::Implausible(format!(
            "the marks fit no camera looking at {}",
            view.words()
        )));
    }
    if yaw.abs() > MAX_POSE_RAD - 0.01 || pitch.abs() > MAX_POSE_RAD - 0.01 {
        return Err(RegisterError::Implausible(format!(
            "the marks fit only a camera turned more than 35° away from {}: check that the photo is a {} photo and that each mark has the right name",
            view.words(),
            view.name()
        )));
    }
    mark_fit::registration(
        plan,
        view,
        marks,
        view.camera(plan, yaw, pitch),
        max_residual_mm,
    )
}

/// Squared pixel residual of the best similarity for camera `f` (infinite when it cannot be fitted).
fn pixel_error(plan: &Plan, view: PhotoView, marks: &Marks, f: &Frontal) -> f64 {
    pose_similarity(plan, view, marks, f).map_or(f64::INFINITY, |(_, e)| e)
}

/// The marks' similarity from camera `f`'s picture onto the photo ([`mark_fit`]: each mark weighted, the
/// outline's ends held across the outline) and its summed squared residual in face-mark pixels; None when
/// it cannot be fitted.
fn pose_similarity(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    f: &Frontal,
) -> Option<(crate::register::Transform, f64)> {
    mark_fit::fit(plan, view, marks, f).map(|m| (m.transform, m.weighted_px2))
}

/// Minimises `err(yaw, pitch)` over ±[`MAX_POSE_RAD`]: a 2° grid, then finer grids around the best
/// down to 0.01°. Returns (error, yaw, pitch).
fn search_pose(err: impl Fn(f64, f64) -> f64) -> (f64, f64, f64) {
    let mut best = (f64::INFINITY, 0.0, 0.0);
    let mut step = 0.035;
    let (mut yc, mut pc, mut r) = (0.0, 0.0, MAX_POSE_RAD);
    while step > 0.0002 {
        let n = (r / step).round() as i32;
        for i in -n..=n {
            for j in -n..=n {
                let (yaw, pitch) = (yc + i as f64 * step, pc + j as f64 * step);
                if yaw.abs() > MAX_POSE_RAD || pitch.abs() > MAX_POSE_RAD {
                    continue;
                }
                let e = err(yaw, pitch);
                if e < best.0 {
                    best = (e, yaw, pitch);
                }
            }
        }
        (yc, pc, r) = (best.1, best.2, 2.0 * step);
        step /= 4.0;
    }
    best
}

/// How far from one line the points are: the smaller principal spread over the larger (0 on a line).
pub(crate) fn flatness(p: &[[f64; 2]]) -> f64 {
    let n = p.len() as f64;
    let (cx, cy) = (
        p.iter().map(|q| q[0]).sum::<f64>() / n,
        p.iter().map(|q| q[1]).sum::<f64>() / n,
    );
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for q in p {
        let (dx, dy) = (q[0] - cx, q[1] - cy);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let tr = sxx + syy;
    let det = sxx * syy - sxy * sxy;
    let disc = (tr * tr / 4.0 - det).max(0.0).sqrt();
    let (l1, l2) = (tr / 2.0 + disc, (tr / 2.0 - disc).max(0.0));
    if l1 <= 0.0 {
        0.0
    } else {
        (l2 / l1).sqrt()
    }
}

/// Leave-one-out: refits without each mark (only where the others still over-determine the fit) and
/// names the mark whose removal drops the residual below [`CULPRIT_SHARE`] of `rms_with_mm`, when the
/// others put it at least [`CULPRIT_MIN_OFF_MM`] from where it is marked.
pub fn leave_one_out(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    max_residual_mm: f64,
    rms_with_mm: f64,
) -> Option<Culprit> {
    leave_one_out_fit(plan, view, marks, max_residual_mm, rms_with_mm).map(|(c, _)| c)
}

/// [`leave_one_out`] with the others' registration.
fn leave_one_out_fit(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    max_residual_mm: f64,
    rms_with_mm: f64,
) -> Option<(Culprit, Registration)> {
    if marks.points.len() < view.min_marks() + 2 {
        return None;
    }
    let pts = points(plan);
    let mut best: Option<(Culprit, Registration)> = None;
    for k in 0..marks.points.len() {
        let mut rest = marks.clone();
        let (name, xy) = rest.points.remove(k);
        let Ok(r) = fit_once(plan, view, &rest, max_residual_mm) else {
            continue;
        };
        if r.exact {
            continue;
        }
        let Some(p) = pts.iter().find(|(n, _)| *n == name).map(|(_, p)| *p) else {
            continue;
        };
        let off_mm = if view == PhotoView::Front {
            let Some((u, v, _)) = r.frontal.project(p) else {
                continue;
            };
            let (x, y) = r.transform.apply(u, v);
            let [a, b, c, d] = r.transform.jacobian(u, v);
            let local = (a * d - b * c).abs().sqrt();
            (x - xy[0]).hypot(y - xy[1]) / local
        } else {
            let Some(off) = mark_fit::off_mm(view, &name, p, xy, &r.frontal, &r.transform) else {
                continue;
            };
            off
        };
        if best.as_ref().is_none_or(|b| r.rms_mm < b.0.rms_without_mm) {
            best = Some((
                Culprit {
                    name,
                    off_mm,
                    rms_without_mm: r.rms_mm,
                    rms_with_mm,
                    partner: None,
                    iris_in_mm: None,
                    glabella_at: None,
                },
                r,
            ));
        }
    }
    best.filter(|(c, _)| {
        c.rms_without_mm < CULPRIT_SHARE * c.rms_with_mm
            && c.off_mm >= CULPRIT_MIN_OFF_MM
            && c.off_mm > 3.0 * c.rms_without_mm
    })
}

/// A photo of the demo mannequin for `view`: the camera 1 m from the view's target, turned by `yaw_rad` and
/// tilted by `pitch_rad`, framing 260 mm in a `size`×`size` picture, and the view's landmarks where that
/// camera sees them (marks exact to the pixel's fraction). For tests, examples and the studio's demo.
pub fn mannequin_photo(
    plan: &Plan,
    view: PhotoView,
    yaw_rad: f64,
    pitch_rad: f64,
    size: usize,
) -> (crate::LinearImage, Marks, crate::camera::Camera) {
    let f = view.camera(plan, yaw_rad, pitch_rad);
    let target = f.target();
    let up = view.base().1;
    let cam = crate::camera::Camera::look_at(
        target + f.back() * FRONTAL_DISTANCE_MM,
        target,
        up,
        130.0,
        size,
        size,
    );
    let look = crate::Scene::new(plan.design.seed).appearance;
    let g = crate::mannequin::Mannequin::new(plan).gbuffer(&cam, &look);
    let img = g.combine(&g.diffuse);
    let pts = points(plan);
    let marks = Marks {
        points: view
            .landmarks()
            .iter()
            .filter_map(|name| {
                let p = pts.iter().find(|(n, _)| n == name)?.1;
                let (x, y, _) = cam.project(p)?;
                Some((name.to_string(), [x, y]))
            })
            .collect(),
        skin: None,
        hair: None,
    };
    (img, marks, cam)
}

mod mark_fit;
pub use mark_fit::weighing_words;
mod outline_pose;
mod pose_words;
#[cfg(test)]
mod tests;
