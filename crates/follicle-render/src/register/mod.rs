//! Photo registration: the landmarks a user marks on a photo (pixel positions of named head landmarks) are
//! matched with the plan's 3D landmarks seen by a frontal camera, and a 2D transform from that camera's
//! picture plane to the photo is fitted by least squares: similarity (2 landmarks), affine (3) or
//! perspective homography (4 or more). The residual is reported in millimetres; fits that leave large
//! residuals, mirror the face, or stretch it implausibly are refused.
//!
//! The landmarks file (TOML):
//!
//! ```toml
//! # pixel positions (x right, y down) in the photo as displayed, i.e. after EXIF rotation
//! [landmarks]
//! glabella = [1012, 1480]
//! mid_frontal = [1018, 1010]
//! frontotemporal_left = [1350, 1105]
//! frontotemporal_right = [690, 1100]
//! [regions]            # optional: rectangles [x0, y0, x1, y1] to sample colours from
//! skin = [900, 1200, 1100, 1300]
//! hair = [300, 900, 380, 980]
//! ```

mod corner_height;
mod crown;
mod eyes;
mod face_check;
mod front;
mod frontal;
mod hull;
pub mod iris;
pub mod joint;
mod lm;
mod marks;
mod mirror;
pub mod outline;
mod own_edge;
mod presence;
mod transform;

pub use eyes::{eyes_missing, face_on_back, MIN_EYE_DEPTH_L};
pub use face_check::{check_face_marks, FaceMarkCheck, GlabellaAt};
pub use front::{culprit, register_front, CULPRIT_SIGMAS};
pub use frontal::Frontal;
pub use marks::{parse_marks, parse_marks_and_view, Marks};
pub use presence::{check_head_found, check_whole_head, MIN_HEAD_CONTRAST, MIN_SKIN_CHROMA};
pub(crate) use transform::least_squares;
pub use transform::{fit, fit_similarity, fit_similarity_across, Transform};

use follicle_core::{Plan, Vec3};

/// Largest accepted RMS landmark residual, mm (about a landmark's marking uncertainty on a photo).
pub const MAX_RESIDUAL_MM: f64 = 4.0;
/// Largest accepted ratio of an affine fit's two scales (a photo is not stretched).
pub const MAX_ANISOTROPY: f64 = 1.35;
/// Default distance of the frontal reference camera from the glabella, mm (a consultation photo).
pub const FRONTAL_DISTANCE_MM: f64 = 1000.0;

/// Why landmarks cannot register a photo.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The landmarks file is not valid TOML of the expected shape.
    #[error("landmarks file: {0}")]
    Syntax(String),
    /// A named value is wrong; `field` names it.
    #[error("landmarks file, {field}: {message}")]
    Field {
        /// Dotted path of the value.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Too few landmarks.
    #[error("at least 2 landmarks are needed to register a photo, {0} given")]
    TooFew(usize),
    /// Too few landmarks for this view of the head.
    #[error("a {view} photo needs at least {needed} marks of: {names}; {given} given")]
    TooFewForView {
        /// The view's name.
        view: &'static str,
        /// Marks given.
        given: usize,
        /// Marks needed.
        needed: usize,
        /// The landmarks of the view.
        names: String,
    },
    /// The fitted transform is not a plausible photo of this head.
    #[error("the landmarks don't fit the head: {0}")]
    Implausible(String),
    /// No head at the marks: a front photo's forehead is not skin (a grey picture, a wall, a black-and-white
    /// photo); the reason in words (`presence::check_head_found`).
    #[error("{0}")]
    NoHead(String),
    /// The landmarks disagree with the head by more than the limit.
    #[error("the landmarks don't fit the head: they lie {rms_mm:.1} mm from it on average, more than the {limit_mm:.1} mm allowed{}; {}", worst_text(culprit, worst, *worst_mm), culprit_text(culprit))]
    Residual {
        /// RMS residual, mm.
        rms_mm: f64,
        /// The landmark with the largest residual.
        worst: String,
        /// Its residual, mm.
        worst_mm: f64,
        /// The limit, mm.
        limit_mm: f64,
        /// Leave-one-out: the landmark without which the others fit within the limit, with the others'
        /// RMS residual and how far (mm) it lies from where they put it.
        culprit: Option<Box<crate::views::Culprit>>,
        /// Per landmark residual of the refused fit, mm.
        residuals: Vec<(String, f64)>,
    },
}

impl RegisterError {
    /// The reason alone, for a caller that says itself that the marks do not fit (the studio: "the marks on
    /// this photo do not fit the design's head: …"): an implausible fit without its own "the landmarks don't
    /// fit the head" (probe s36 read it twice in one sentence).
    pub fn reason(&self) -> String {
        let all = self.to_string();
        match all.strip_prefix("the landmarks don't fit the head: ") {
            Some(why) => why.to_string(),
            None => all,
        }
    }
}

/// Why marks that all lie on one line on the photo cannot be fitted.
pub(crate) const ONE_LINE: &str = "the marks lie on one line (or on one point) on the photo, so they cannot place the head; mark each landmark where it is on the face";

/// The worst mark of a residual error, said only when no culprit is named (the worst residual is often
/// another mark than the one moved: the fit spreads one mark's error over all).
fn worst_text(c: &Option<Box<crate::views::Culprit>>, worst: &str, worst_mm: f64) -> String {
    match c {
        Some(_) => String::new(),
        None => format!(
            " (worst: {} {worst_mm:.1} mm)",
            crate::views::mark_ref(worst)
        ),
    }
}

/// The advice of a residual error.
fn culprit_text(c: &Option<Box<crate::views::Culprit>>) -> String {
    let Some(c) = c else {
        return "check each landmark's position and name".into();
    };
    let (rms, off) = (c.rms_without_mm, c.off_mm);
    let name = crate::views::mark_ref(&c.name);
    // Named by the face's proportions and midline (three face marks, no refit to tell them apart): the mark
    // that fits least first, then the others, since any of them may be the one moved (outside test s45:
    // the glabella marked 10 px high was refused naming only the eye corners, an eye corner 10 px low naming
    // only the glabella).
    match &c.partner {
        Some(p) => format!(
            "the outer eye corners are {off:.1} mm uneven about the face's midline: check {name} (farther out), then {}, then {}",
            crate::views::mark_ref(p),
            crate::views::mark_ref("glabella")
        ),
        None if !rms.is_finite() && c.name == "glabella" => format!(
            "{name} lies {off:.1} mm from where the face's proportions and its midline put it: check it first, then both outer eye corner marks (a corner marked too high, too low or toward the nose moves where they put it)"
        ),
        None if !rms.is_finite() => {
            let other = if c.name == "lateral_canthus_left" {
                "lateral_canthus_right"
            } else {
                "lateral_canthus_left"
            };
            format!(
                "{name} lies {off:.1} mm from where the face's proportions and its midline put it: check it first, then {} and {}",
                crate::views::mark_ref(other),
                crate::views::mark_ref("glabella")
            )
        }
        None => format!(
            "without {name} the others fit within {rms:.1} mm and put it {off:.1} mm from where it is marked: check it"
        ),
    }
}

/// A registration: the transform, its residuals and whether it was checked at all.
#[derive(Clone, Debug)]
pub struct Registration {
    /// Which view of the head the photo is.
    pub view: crate::views::PhotoView,
    /// The reference camera used (posed for the view; named `frontal` from when only front photos
    /// registered).
    pub frontal: Frontal,
    /// The fitted map.
    pub transform: Transform,
    /// RMS residual, mm.
    pub rms_mm: f64,
    /// Per landmark residual, mm.
    pub residuals: Vec<(String, f64)>,
    /// True when there were exactly as many landmarks as the transform needs (no redundancy, residual 0).
    pub exact: bool,
    /// Photo pixels per millimetre at the camera's target (the glabella on a front photo).
    pub px_per_mm: f64,
    /// Leave-one-out: the mark without which the others fit far better, when one stands out.
    pub culprit: Option<crate::views::Culprit>,
    /// How the head's outline on the photo took part (front photos registered with their photo).
    pub silhouette: Option<joint::Silhouette>,
}

impl Registration {
    /// Photo position (pixels) and depth of a 3D point.
    #[inline]
    pub fn project(&self, p: Vec3) -> Option<(f64, f64, f64)> {
        let (u, v, z) = self.frontal.project(p)?;
        let (x, y) = self.transform.apply(u, v);
        Some((x, y, z))
    }
    /// Whether the residual says anything about the marks: with 2–4 marks the fit (similarity, affine or
    /// perspective map, or a front photo's turn, tilt and similarity) is exact or nearly so, and a wrong
    /// mark moves the fit instead of showing in the residual (the README's promise: such a residual is said
    /// to be unchecked).
    pub fn residual_checked(&self) -> bool {
        !self.exact && self.residuals.len() > 4
    }
    /// The same registration on a crop of the photo whose top-left corner is (`x0`, `y0`), enlarged
    /// `zoom` times.
    pub fn zoomed(&self, zoom: f64, x0: f64, y0: f64) -> Registration {
        Registration {
            transform: self.transform.zoomed(zoom, x0, y0),
            px_per_mm: self.px_per_mm * zoom,
            ..self.clone()
        }
    }
}

/// Largest head turn (yaw) the pose search tries, radians (35°).
const MAX_YAW: f64 = 0.61;
/// Largest head tilt (pitch) the pose search tries, radians (25°).
const MAX_PITCH: f64 = 0.44;

/// Registers a photo from marks: fits, measures residuals in mm, and refuses implausible fits.
///
/// First the straight-on camera with the transform the landmark count allows (similarity, affine,
/// perspective). When that fit is refused (a turned head reads as a stretched or sheared face) and at least
/// three landmarks are marked, the head's pose is searched instead: a camera turned and tilted around the
/// glabella, with a similarity (no stretch) onto the photo, chosen by the least residual.
pub fn register(
    plan: &Plan,
    marks: &Marks,
    frontal_distance_mm: f64,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    let frontal = Frontal::new(plan, frontal_distance_mm);
    let straight = register_with(plan, marks, frontal, max_residual_mm, false);
    if straight.is_ok() || marks.points.len() < 3 {
        return straight;
    }
    // Pose search: coarse grid, then finer around the best.
    let rms_px = |yaw: f64, pitch: f64| -> f64 {
        let f = Frontal::posed(plan, frontal_distance_mm, yaw, pitch);
        correspondences(plan, marks, &f)
            .ok()
            .and_then(|(_, src, dst)| {
                let sim = fit_similarity(&src, &dst)?;
                Some(
                    src.iter()
                        .zip(&dst)
                        .map(|(s, d)| {
                            let (x, y) = sim.apply(s[0], s[1]);
                            (x - d[0]).powi(2) + (y - d[1]).powi(2)
                        })
                        .sum::<f64>(),
                )
            })
            .unwrap_or(f64::INFINITY)
    };
    let mut best = (f64::INFINITY, 0.0, 0.0);
    let mut step = 0.035;
    let (mut yc, mut pc, mut ry, mut rp) = (0.0, 0.0, MAX_YAW, MAX_PITCH);
    while step > 0.0005 {
        let (ny, np) = ((ry / step).round() as i32, (rp / step).round() as i32);
        for i in -ny..=ny {
            for j in -np..=np {
                let (yaw, pitch) = (yc + i as f64 * step, pc + j as f64 * step);
                if yaw.abs() > MAX_YAW || pitch.abs() > MAX_PITCH {
                    continue;
                }
                let e = rms_px(yaw, pitch);
                if e < best.0 {
                    best = (e, yaw, pitch);
                }
            }
        }
        (yc, pc, ry, rp) = (best.1, best.2, 2.0 * step, 2.0 * step);
        step /= 4.0;
    }
    if !best.0.is_finite() {
        return straight;
    }
    let posed = Frontal::posed(plan, frontal_distance_mm, best.1, best.2);
    register_with(plan, marks, posed, max_residual_mm, true).or(straight)
}

/// The marks as picture-plane points of camera `frontal` and photo pixels, with their names.
#[allow(clippy::type_complexity)]
fn correspondences(
    plan: &Plan,
    marks: &Marks,
    frontal: &Frontal,
) -> Result<(Vec<String>, Vec<[f64; 2]>, Vec<[f64; 2]>), RegisterError> {
    let named = crate::views::points(plan);
    let mut names = Vec::new();
    let mut src = Vec::new();
    let mut dst = Vec::new();
    for (name, xy) in &marks.points {
        let p = named
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| *p)
            .ok_or_else(|| RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: "unknown landmark".into(),
            })?;
        let (u, v, _) = frontal.project(p).ok_or_else(|| RegisterError::Field {
            field: format!("landmarks.{name}"),
            message: "behind the camera".into(),
        })?;
        names.push(name.clone());
        src.push([u, v]);
        dst.push(*xy);
    }
    Ok((names, src, dst))
}

/// The marks lie far enough apart to fix the scale: 20 mm on the head's picture and 8 px on the photo.
pub(crate) fn check_spread(src: &[[f64; 2]], dst: &[[f64; 2]]) -> Result<(), RegisterError> {
    let widest = |p: &[[f64; 2]]| {
        p.iter()
            .map(|a| {
                p.iter()
                    .map(|b| (a[0] - b[0]).hypot(a[1] - b[1]))
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max)
    };
    if widest(src) < 20.0 || widest(dst) < 8.0 {
        return Err(RegisterError::Implausible(
            "the landmarks are too close together to fix the scale".into(),
        ));
    }
    Ok(())
}

/// Fits and checks a registration for one camera (`similarity_only`: no stretch allowed at all).
pub(crate) fn register_with(
    plan: &Plan,
    marks: &Marks,
    frontal: Frontal,
    max_residual_mm: f64,
    similarity_only: bool,
) -> Result<Registration, RegisterError> {
    let (names, src, dst) = correspondences(plan, marks, &frontal)?;
    if src.len() < 2 {
        return Err(RegisterError::TooFew(src.len()));
    }
    check_spread(&src, &dst)?;
    let t = if similarity_only {
        fit_similarity(&src, &dst)
    } else {
        fit(&src, &dst)
    }
    .ok_or_else(|| RegisterError::Implausible(ONE_LINE.into()))?;
    let g = frontal
        .project(frontal.target())
        .expect("the camera looks at its target");
    let j = t.jacobian(g.0, g.1);
    let px_per_mm = (j[0] * j[3] - j[1] * j[2]).abs().sqrt();
    let mut residuals = Vec::new();
    let mut ss = 0.0;
    for (k, s) in src.iter().enumerate() {
        let (x, y) = t.apply(s[0], s[1]);
        let j = t.jacobian(s[0], s[1]);
        let local = (j[0] * j[3] - j[1] * j[2]).abs().sqrt();
        // Marks on one line (or one point) on the photo: the fit flattens the head onto that line, where no
        // millimetre can be measured; say so instead of a residual of "inf mm".
        if !(local.is_finite() && local > 1e-6) {
            return Err(RegisterError::Implausible(ONE_LINE.into()));
        }
        let r = (x - dst[k][0]).hypot(y - dst[k][1]) / local;
        ss += r * r;
        residuals.push((names[k].clone(), r));
    }
    let rms_mm = (ss / src.len() as f64).sqrt();
    if !rms_mm.is_finite() {
        return Err(RegisterError::Implausible(ONE_LINE.into()));
    }
    // Exact: no more landmarks than the model has parameters (the residual says nothing about the marks).
    let exact = if similarity_only {
        src.len() <= 3
    } else {
        matches!(src.len(), 2..=4)
    };
    if rms_mm > max_residual_mm {
        let (worst, worst_mm) = residuals
            .iter()
            .cloned()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("non-empty");
        return Err(RegisterError::Residual {
            rms_mm,
            worst,
            worst_mm,
            limit_mm: max_residual_mm,
            culprit: leave_one_out(plan, marks, frontal, max_residual_mm, similarity_only).map(
                |(name, rms_without_mm, off_mm)| {
                    Box::new(crate::views::Culprit {
                        name,
                        off_mm,
                        rms_without_mm,
                        rms_with_mm: rms_mm,
                        partner: None,
                        iris_in_mm: None,
                        glabella_at: None,
                    })
                },
            ),
            residuals,
        });
    }
    // Plausibility of the local map at every landmark: no mirror, no strong stretch.
    for (k, s) in src.iter().enumerate() {
        let [a, b, c, d] = t.jacobian(s[0], s[1]);
        let det = a * d - b * c;
        if det <= 0.0 {
            return Err(RegisterError::Implausible(format!(
                "the photo would be mirrored at {} (are left and right swapped?)",
                crate::views::mark_ref(&names[k])
            )));
        }
        // Singular values of the 2×2 map.
        let e = (a * a + b * b + c * c + d * d) / 2.0;
        let f = ((a * a + b * b - c * c - d * d).powi(2) / 4.0 + (a * c + b * d).powi(2)).sqrt();
        let (s1, s2) = ((e + f).sqrt(), (e - f).max(0.0).sqrt());
        if s2 <= 0.0 || s1 / s2 > MAX_ANISOTROPY {
            return Err(RegisterError::Implausible(format!(
                "the fit stretches the head {:.2}× more one way than the other at {}",
                s1 / s2.max(1e-12),
                crate::views::mark_ref(&names[k])
            )));
        }
    }
    Ok(Registration {
        view: crate::views::PhotoView::Front,
        frontal,
        transform: t,
        rms_mm,
        residuals,
        exact,
        px_per_mm,
        culprit: None,
        silhouette: None,
    })
}

/// Leave-one-out over the marks: the landmark whose removal lets the others fit within the limit with
/// the least residual (only when the others still over-determine the fit, so their residual means
/// something), with that residual and its distance from where they put it, mm.
fn leave_one_out(
    plan: &Plan,
    marks: &Marks,
    frontal: Frontal,
    max_residual_mm: f64,
    similarity_only: bool,
) -> Option<(String, f64, f64)> {
    let needed = if similarity_only { 2 } else { 4 };
    if marks.points.len() < needed + 2 {
        return None;
    }
    let mut best: Option<(String, f64, f64)> = None;
    for k in 0..marks.points.len() {
        let mut rest = marks.clone();
        let (name, xy) = rest.points.remove(k);
        let Ok(r) = register_with(plan, &rest, frontal, max_residual_mm, similarity_only) else {
            continue;
        };
        let p = crate::views::points(plan)
            .into_iter()
            .find(|(n, _)| *n == name)?
            .1;
        let (x, y, _) = r.project(p)?;
        let off = (x - xy[0]).hypot(y - xy[1]) / r.px_per_mm;
        if best.as_ref().is_none_or(|b| r.rms_mm < b.1) {
            best = Some((name, r.rms_mm, off));
        }
    }
    best
}

#[cfg(test)]
mod tests;
