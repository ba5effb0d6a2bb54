//! The joint fit of a front photo: the face marks and the head's outline on the photo together fix the
//! head's turn (yaw), tilt (pitch), the client's head size and the similarity onto the photo.
//!
//! Three face marks alone give six numbers for six unknowns, so every marking slip goes into the pose (a
//! 3 mm slip of an eye corner reads as a 10° turn). The outline adds what the marks cannot: the glabella
//! sits about 100 mm in front of the head's vertical axis, so a turn of 1° moves it 1.7 mm off the middle
//! between the head's left and right edges, and the head's breadth at the marks' scale is the client's
//! head size. Unknowns: yaw, pitch, ln k (the plan's skull scaled by k about the glabella; the face —
//! glabella and eye corners — keeps its size, 90 mm between the eye corners being the scale reference)
//! and the similarity (a, b, tx, ty). Weighted least squares (Levenberg–Marquardt): each mark with its
//! marking σ, each outline point with its own, and a weak prior toward a frontal pose and the plan's head
//! size. The outline points are found per line (`outline`); each round takes, per line, the candidate
//! nearest the fitted head's outline and refuses those farther than a shrinking gate (iterated closest
//! points with a truncated cost), so hair volume, ears and a busy background are outvoted by the edges that
//! agree. When too few agree, the fit falls back to the marks and the prior, and says why.

use super::outline::{find_outline, FaceAxes, OutlineLine, Side};
use super::{Frontal, Marks, Transform};
use crate::photo::Photo;
use follicle_core::{Plan, Vec3};

/// σ of a face mark (glabella, outer eye corners) against the plan's face, mm: about 2 mm of marking and
/// as much again of the client's face differing from the plan's (where his eye corners sit below and
/// behind his glabella).
pub const FACE_MARK_SIGMA_MM: f64 = 3.0;
/// Marking σ of the design's own points on a front photo (hairline centre, corners, temporal peaks), mm.
pub const DESIGN_MARK_SIGMA_MM: f64 = 4.0;
/// σ of an ear top, mm: where the ear meets the head is a few mm wide, and the plan's skull (an ellipsoid
/// of the head's breadth) puts it where a real skull may be wider or narrower.
pub const EAR_MARK_SIGMA_MM: f64 = 8.0;
/// σ of the vertex on a front photo, mm: the top of the head is as much the head's height (and its hair)
/// as the mark (the reference photo's top lies 20 mm above the demo plan's at his face's scale).
pub const VERTEX_MARK_SIGMA_MM: f64 = 15.0;

/// The marking σ of a front photo's landmark, mm.
pub fn mark_sigma(name: &str) -> f64 {
    if is_face(name) {
        FACE_MARK_SIGMA_MM
    } else if name.starts_with("ear_top") || name.starts_with("tragion") {
        EAR_MARK_SIGMA_MM
    } else if name == "vertex" {
        VERTEX_MARK_SIGMA_MM
    } else {
        DESIGN_MARK_SIGMA_MM
    }
}
/// σ of an outline point on the sides, mm (short retained hair, the photo's blur).
pub const SIDE_SIGMA_MM: f64 = 3.0;
/// σ of the top of the head, mm (hair on the top stands higher than on the sides).
pub const TOP_SIGMA_MM: f64 = 8.0;
/// Prior σ of the head's turn and tilt, radians (15°, 7°): a consultation photo faces the camera at eye
/// level; the marks say little about the tilt (3 mm of marking is 10°) and the top of the head is as much
/// the head's height as its tilt.
pub const YAW_PRIOR_RAD: f64 = 0.26;
/// See [`YAW_PRIOR_RAD`].
pub const PITCH_PRIOR_RAD: f64 = 0.12;
/// Prior σ of ln(head scale): the plan's head is drawn at its own size (the scale is measured, not applied).
pub const SCALE_PRIOR: f64 = 1e-4;
/// Head breadth ratios (photo over plan) within which heads plausibly differ; beyond them the words ask to
/// check the plan's head measurements.
pub const HEAD_SCALE_RANGE: (f64, f64) = (0.9, 1.1);
/// The widths the skull is widened to (or narrowed) for comparing the ear tops with.
const LATERAL_RANGE: (f64, f64) = (0.8, 1.3);
/// The head's edge is the outermost candidate within this distance of the fitted outline, mm: wide
/// enough for a head 25 % wider than the plan's, so an edge inside the head (clipped hair meeting bald
/// skin) is never taken while the head's own edge lies outside it.
const GATE_MM: f64 = 30.0;
/// An outline point farther than this many σ from the fitted outline is refused.
const OUTLIER_SIGMAS: f64 = 2.5;
/// Fewest heights with both edges agreeing for the outline to take part.
const MIN_HEIGHTS: usize = 3;

/// How the head's outline on the photo took part in a front photo's registration.
#[derive(Clone, Debug, PartialEq)]
pub struct Silhouette {
    /// True when the outline took part in the fit; false when the fit rests on the marks and the prior.
    pub used: bool,
    /// Outline points that agreed (photo pixels), used in the fit.
    pub points: Vec<[f64; 2]>,
    /// Lines (sides at each height and the top) on which an edge was looked for.
    pub lines: usize,
    /// RMS distance of the agreeing points from the registered head's outline, mm.
    pub rms_mm: f64,
    /// The client's head against the plan's, from the outline's breadth (1 when not used).
    pub head_scale: f64,
    /// The same from the outermost edge on each side at the same heights, where the background ends (equal
    /// to [`Silhouette::head_scale`] when the fit kept those; more when it kept edges inside the head, such as
    /// clipped hair meeting bald skin, because the head's own edge lay beyond its gate: face marks that set
    /// too small a scale, or hair standing out from the head).
    pub outer_scale: f64,
    /// In plain words: what the outline said, or why it was not used.
    pub words: String,
    /// The background beside the head is busy on both sides (`outline::busy_background`): the outline
    /// was not used, and a front photo is refused for it.
    pub busy: bool,
}

impl Silhouette {
    /// What a practitioner must be told: the outline was not used (the turn rests on the marks), or the
    /// photo's head is wider or narrower than heads differ from the plan's.
    pub fn warning(&self) -> Option<String> {
        let out_of_range = !(HEAD_SCALE_RANGE.0..=HEAD_SCALE_RANGE.1).contains(&self.head_scale);
        (!self.used || out_of_range).then(|| format!("head outline: {}", self.words))
    }
}

/// The result of a joint fit: the pose, the head scale and the similarity, with the per-mark residuals.
#[derive(Clone, Debug)]
pub struct JointFit {
    /// Turn, radians (toward the client's right).
    pub yaw: f64,
    /// Tilt, radians (camera above).
    pub pitch: f64,
    /// The plan's skull scaled by this about the glabella.
    pub head_scale: f64,
    /// Similarity [a, b, tx, ty] from the unscaled camera's picture plane to pixels.
    pub sim: [f64; 4],
    /// Per mark residual, mm.
    pub residuals: Vec<(String, f64)>,
    /// The outline's part.
    pub silhouette: Silhouette,
    /// Camera distance, mm.
    pub distance_mm: f64,
    /// The skull's widening across used for the skull marks (see [`Silhouette::head_scale`]).
    pub lateral: f64,
    /// Covariance of (yaw, pitch, ln k, a, b, tx, ty) at the solution (the Gauss–Newton estimate).
    pub cov: Option<[[f64; 7]; 7]>,
}

impl JointFit {
    /// Where the fit puts the plan's point `p` on the photo (pixels; `face`: a face mark, which keeps its
    /// size), and the standard deviation of that place from the fit's own uncertainty, mm.
    pub fn predict(&self, plan: &Plan, p: Vec3, face: bool) -> Option<([f64; 2], f64)> {
        let g = plan.landmarks.glabella;
        let px = |t: &Theta| -> Option<[f64; 2]> {
            let q = if face {
                p
            } else {
                let q = g + (p - g) * t[2].exp();
                Vec3::new(g.x + (q.x - g.x) * self.lateral, q.y, q.z)
            };
            let f = Frontal::posed(plan, self.distance_mm, t[0], t[1]);
            let (u, v, _) = f.project(q)?;
            Some([t[3] * u - t[4] * v + t[5], t[4] * u + t[3] * v + t[6]])
        };
        let [a, b, tx, ty] = self.sim;
        let t: Theta = [self.yaw, self.pitch, self.head_scale.ln(), a, b, tx, ty];
        let x0 = px(&t)?;
        let s = a.hypot(b);
        let Some(cov) = self.cov else {
            return Some((x0, 0.0));
        };
        let steps = [1e-5, 1e-5, 1e-5, 1e-6 * s, 1e-6 * s, 1e-3, 1e-3];
        let mut jac = [[0.0; 7]; 2];
        for (j, h) in steps.iter().enumerate() {
            let mut tj = t;
            tj[j] += h;
            let x1 = px(&tj)?;
            jac[0][j] = (x1[0] - x0[0]) / h;
            jac[1][j] = (x1[1] - x0[1]) / h;
        }
        let mut var = 0.0;
        for row in &jac {
            for i in 0..7 {
                for j in 0..7 {
                    var += row[i] * cov[i][j] * row[j];
                }
            }
        }
        Some((x0, (var.max(0.0) / 2.0).sqrt() / s))
    }
    /// The registration's camera and map: the scaled skull seen from `distance / k` with the similarity
    /// scaled by k is the same picture as the scaled skull seen from `distance` (see the module's notes),
    /// so every point of the plan's own head projects where the scaled head lies on the photo.
    pub fn camera(&self, plan: &Plan) -> (Frontal, Transform) {
        let k = self.head_scale;
        let [a, b, tx, ty] = self.sim;
        (
            Frontal::posed(plan, self.distance_mm / k, self.yaw, self.pitch),
            Transform::Similarity([a * k, b * k, tx, ty]),
        )
    }
    /// RMS of the mark residuals in face-mark millimetres: each residual divided by its mark's σ and
    /// multiplied by a face mark's, so an ear top 6 mm off counts as a face mark 2 mm off (the refusal
    /// limit is for face marks; the other marks are less certain by nature, not by mistake).
    pub fn rms_mm(&self) -> f64 {
        let n = self.residuals.len().max(1) as f64;
        let z2 = self
            .residuals
            .iter()
            .map(|(name, r)| (r / mark_sigma(name)).powi(2))
            .sum::<f64>();
        FACE_MARK_SIGMA_MM * (z2 / n).sqrt()
    }
}

/// A face mark keeps its size when the skull is scaled.
pub fn is_face(name: &str) -> bool {
    matches!(
        name,
        "glabella" | "lateral_canthus_left" | "lateral_canthus_right"
    )
}

/// One mark in the fit: name, 3D point, pixel, σ (mm), and whether it scales with the skull.
struct Mark {
    name: String,
    p: Vec3,
    xy: [f64; 2],
    sigma: f64,
    skull: bool,
}

/// The fit's fixed data.
struct Problem<'a> {
    plan: &'a Plan,
    marks: Vec<Mark>,
    /// Points on the plan's skull whose projections' hull is the head's outline.
    skull: Vec<Vec3>,
    g: Vec3,
    /// Photo pixels per mm from the marks-only start (turns pixel residuals into mm).
    s0: f64,
    distance_mm: f64,
    /// The skull (outline and skull marks) widened by this across, about the midline: the photo's head
    /// breadth over the plan's, once measured, so ear tops are compared with a skull of the photo's width.
    lateral: f64,
    /// Whether the marks on the skull (ear tops, vertex) take part; they wait until the breadth is known
    /// when at least two face marks place the face.
    skull_marks: bool,
}

use super::hull::{convex_hull, signed_distance, skull_points};
use super::lm::Theta;

/// The head's edges on the photo's left and right at one height, pixels.
pub(super) type Pair = ([f64; 2], [f64; 2]);

/// The outline points a fit uses: pairs of side edges, and the top of the head.
#[derive(Default)]
struct Edges {
    pairs: Vec<Pair>,
    top: Option<[f64; 2]>,
}

/// How far the middle of a pair of edges lies from the middle of the outline `hull` at that height, pixels
/// (toward the photo's right): the right edge's distance outside the outline less the left one's, halved.
/// A head wider or narrower than the plan's moves both edges out or in alike and leaves it unchanged, so
/// the turn is fitted whatever the client's head size.
fn pair_offset(hull: &[[f64; 2]], (l, r): &Pair) -> f64 {
    (signed_distance(hull, *r) - signed_distance(hull, *l)) / 2.0
}

/// The photo's head breadth over the outline's at one height.
pub(super) fn pair_breadth_ratio(hull: &[[f64; 2]], (l, r): &Pair) -> f64 {
    let w = (r[0] - l[0]).hypot(r[1] - l[1]);
    w / (w - signed_distance(hull, *l) - signed_distance(hull, *r)).max(1e-9)
}

impl Problem<'_> {
    fn camera(&self, t: &Theta) -> Frontal {
        Frontal::posed(self.plan, self.distance_mm, t[0], t[1])
    }
    /// Pixel of `p` (scaled with the skull when `skull`).
    fn pixel(&self, f: &Frontal, t: &Theta, p: Vec3, skull: bool) -> Option<[f64; 2]> {
        let q = if skull {
            let q = self.g + (p - self.g) * t[2].exp();
            Vec3::new(self.g.x + (q.x - self.g.x) * self.lateral, q.y, q.z)
        } else {
            p
        };
        let (u, v, _) = f.project(q)?;
        Some([t[3] * u - t[4] * v + t[5], t[4] * u + t[3] * v + t[6]])
    }
    /// The projected outline of the (scaled) skull, a convex polygon, counter-clockwise in pixels.
    fn hull(&self, t: &Theta) -> Option<Vec<[f64; 2]>> {
        let f = self.camera(t);
        let pts: Option<Vec<[f64; 2]>> = self
            .skull
            .iter()
            .map(|&p| self.pixel(&f, t, p, true))
            .collect();
        Some(convex_hull(pts?))
    }
    /// The weighted residuals of marks, assigned outline points and prior.
    fn residuals(&self, t: &Theta, outline: &Edges) -> Option<Vec<f64>> {
        let f = self.camera(t);
        let mut r = Vec::with_capacity(2 * self.marks.len() + outline.pairs.len() + 4);
        for m in self.marks.iter().filter(|m| self.skull_marks || !m.skull) {
            let [x, y] = self.pixel(&f, t, m.p, m.skull)?;
            let w = 1.0 / (self.s0 * m.sigma);
            r.push((x - m.xy[0]) * w);
            r.push((y - m.xy[1]) * w);
        }
        if !outline.pairs.is_empty() || outline.top.is_some() {
            let hull = self.hull(t)?;
            for pair in &outline.pairs {
                r.push(pair_offset(&hull, pair) / (self.s0 * SIDE_SIGMA_MM));
            }
            if let Some(q) = outline.top {
                r.push(signed_distance(&hull, q) / (self.s0 * TOP_SIGMA_MM));
            }
        }
        r.push(t[0] / YAW_PRIOR_RAD);
        r.push(t[1] / PITCH_PRIOR_RAD);
        r.push(t[2] / SCALE_PRIOR);
        Some(r)
    }
    /// Forward-difference steps of the parameters.
    fn steps(&self) -> [f64; 7] {
        [1e-5, 1e-5, 1e-5, 1e-6 * self.s0, 1e-6 * self.s0, 1e-3, 1e-3]
    }
    /// The covariance of the parameters at `t`.
    fn covariance(&self, t: &Theta, outline: &Edges) -> Option<[[f64; 7]; 7]> {
        super::lm::covariance(|t| self.residuals(t, outline), t, self.steps())
    }
    /// Levenberg–Marquardt from `t0` with the outline points fixed.
    fn solve(&self, t0: Theta, outline: &Edges) -> Option<(Theta, f64)> {
        super::lm::solve(|t| self.residuals(t, outline), t0, self.steps())
    }
}

/// Fits a front photo's pose, head scale and similarity from `marks` and, when `photo` is given, the
/// head's outline on it. None when the marks cannot be fitted at all (unknown names, too few, one line).
pub fn fit_front(
    plan: &Plan,
    marks: &Marks,
    photo: Option<&Photo>,
    distance_mm: f64,
) -> Option<JointFit> {
    let named = crate::views::points(plan);
    let ms: Vec<Mark> = marks
        .points
        .iter()
        .map(|(name, xy)| {
            let p = named.iter().find(|(n, _)| n == name)?.1;
            Some(Mark {
                name: name.clone(),
                p,
                xy: *xy,
                sigma: mark_sigma(name),
                skull: !is_face(name),
            })
        })
        .collect::<Option<_>>()?;
    if ms.len() < 2 {
        return None;
    }
    // Start: the straight camera, similarity from the marks.
    let f0 = Frontal::posed(plan, distance_mm, 0.0, 0.0);
    let src: Vec<[f64; 2]> = ms
        .iter()
        .map(|m| f0.project(m.p).map(|(u, v, _)| [u, v]))
        .collect::<Option<_>>()?;
    let dst: Vec<[f64; 2]> = ms.iter().map(|m| m.xy).collect();
    let Transform::Similarity(sim0) = super::fit_similarity(&src, &dst)? else {
        return None;
    };
    let s0 = sim0[0].hypot(sim0[1]);
    if !(s0.is_finite() && s0 > 1e-6) {
        return None;
    }
    let faces = ms.iter().filter(|m| !m.skull).count();
    let mut pb = Problem {
        plan,
        marks: ms,
        skull: skull_points(plan),
        g: plan.landmarks.glabella,
        s0,
        distance_mm,
        lateral: 1.0,
        skull_marks: true,
    };
    let start: Theta = [0.0, 0.0, 0.0, sim0[0], sim0[1], sim0[2], sim0[3]];
    let (by_all, _) = pb.solve(start, &Edges::default())?;
    // Two face marks or more place the face; the skull marks join once the head's breadth is known.
    pb.skull_marks = faces < 2;
    let (by_marks, _) = pb.solve(by_all, &Edges::default())?;
    let result = |pb: &Problem, t: Theta, edges: &Edges, silhouette: Silhouette| {
        let f = pb.camera(&t);
        let residuals = pb
            .marks
            .iter()
            .map(|m| {
                let d = pb
                    .pixel(&f, &t, m.p, m.skull)
                    .map_or(f64::INFINITY, |[x, y]| (x - m.xy[0]).hypot(y - m.xy[1]));
                (m.name.clone(), d / t[3].hypot(t[4]))
            })
            .collect();
        JointFit {
            yaw: t[0],
            pitch: t[1],
            head_scale: t[2].exp(),
            sim: [t[3], t[4], t[5], t[6]],
            residuals,
            silhouette,
            distance_mm,
            lateral: pb.lateral,
            cov: pb.covariance(&t, edges),
        }
    };
    let Some(photo) = photo else {
        return Some(result(
            &pb,
            by_all,
            &Edges::default(),
            Silhouette {
                used: false,
                points: Vec::new(),
                lines: 0,
                rms_mm: 0.0,
                head_scale: 1.0,
                outer_scale: 1.0,
                words: "no photo to find the head's outline on: the pose rests on the marks".into(),
                busy: false,
            },
        ));
    };
    // The lines are laid out in the frame of the marks-only fit.
    let gpx = {
        let f = pb.camera(&by_marks);
        pb.pixel(&f, &by_marks, pb.g, false)?
    };
    let s = by_marks[3].hypot(by_marks[4]);
    let axes = FaceAxes {
        glabella: gpx,
        across: [by_marks[3] / s, by_marks[4] / s],
        px_per_mm: s,
    };
    let lines = find_outline(photo, &axes);
    let fallback = |pb: &mut Problem, why: String| {
        pb.skull_marks = true;
        pb.lateral = 1.0;
        result(
            pb,
            by_all,
            &Edges::default(),
            Silhouette {
                used: false,
                points: Vec::new(),
                lines: lines.len(),
                rms_mm: 0.0,
                head_scale: 1.0,
                outer_scale: 1.0,
                words: format!("{why}: the head's turn rests on the marks and a frontal prior"),
                busy: false,
            },
        )
    };
    // A busy background's edges are no outline: the fit rests on the marks, and the front photo's checks
    // refuse it in these words (`front::register_front`).
    if super::outline::busy_background(&lines, &axes) {
        let mut fit = fallback(&mut pb, super::outline::BUSY_WORDS.to_string());
        fit.silhouette.busy = true;
        return Some(fit);
    }
    // Iterated closest points from a few starting turns; the truncated cost picks the start.
    let mut best: Option<(f64, Theta)> = None;
    for yaw0 in [by_marks[0], 0.0, -0.25, 0.25] {
        let mut t = by_marks;
        t[0] = yaw0;
        for _ in 0..4 {
            let Some(hull) = pb.hull(&t) else { break };
            let e = Edges {
                pairs: pairs(&lines, &hull, s0).into_iter().map(|p| p.1).collect(),
                top: top(&lines, &hull, s0),
            };
            let Some((t1, _)) = pb.solve(t, &e) else {
                break;
            };
            t = t1;
        }
        let Some(hull) = pb.hull(&t) else { continue };
        let tc = truncated_cost(&pb, &t, &lines, &hull);
        if best.as_ref().is_none_or(|b| tc < b.0) {
            best = Some((tc, t));
        }
    }
    let Some((_, t)) = best else {
        return Some(fallback(
            &mut pb,
            "the head's outline could not be fitted".into(),
        ));
    };
    // The agreeing heights: the middle within OUTLIER_SIGMAS of the fitted outline's; refit with them.
    let hull = pb.hull(&t)?;
    let agree = |hull: &[[f64; 2]]| -> (Vec<(usize, Pair)>, Option<[f64; 2]>) {
        (
            pairs(&lines, hull, s0)
                .into_iter()
                .filter(|(_, p)| pair_offset(hull, p).abs() / s0 <= OUTLIER_SIGMAS * SIDE_SIGMA_MM)
                .collect(),
            top(&lines, hull, s0)
                .filter(|&q| signed_distance(hull, q).abs() / s0 <= OUTLIER_SIGMAS * TOP_SIGMA_MM),
        )
    };
    let (inliers, top_in) = agree(&hull);
    let e = Edges {
        pairs: inliers.iter().map(|p| p.1).collect(),
        top: top_in,
    };
    let (t, _) = pb.solve(t, &e)?;
    let hull = pb.hull(&t)?;
    let (inliers, top_in) = agree(&hull);
    let heights = lines.iter().filter(|l| l.side == Side::Left).count();
    if inliers.len() < MIN_HEIGHTS {
        let mut fit = fallback(&mut pb, format!(
            "the head's outline was found on both sides at too few heights ({} of {heights}; a busy or head-coloured background, or a head cut off by the photo's edge)",
            inliers.len()
        ));
        // None agreed with the marks' head, but the head's own edge may still be plain: face marks that set
        // too small a scale leave it beyond every gate (outside test s45: an eye corner 21 px toward the
        // nose on a photo enlarged 2×, "0 of 9 heights", drew a helmet down the forehead).
        if let Some(k) = pb
            .hull(&by_marks)
            .and_then(|h| super::own_edge::outermost_scale(&lines, &h))
        {
            fit.silhouette.outer_scale = k;
        }
        return Some(fit);
    }
    // The breadth from the lowest heights, where the skull is widest and its shape differs least between
    // heads (the plan's skull narrows toward its top sooner than many real ones).
    let low: Vec<f64> = inliers
        .iter()
        .take(3)
        .map(|(_, p)| pair_breadth_ratio(&hull, p))
        .collect();
    let k = low.iter().sum::<f64>() / low.len() as f64;
    let background = super::own_edge::background_colour(photo);
    let outer: Vec<f64> = inliers
        .iter()
        .take(3)
        .filter_map(|&(i, kept)| {
            let first = |l: &OutlineLine| l.candidates.first().copied();
            let (l, r) = (first(&lines[i])?, first(&lines[i + 1])?);
            // A side whose outermost edge lies beyond the kept one only counts where what lies between
            // is no background (a door frame beside the head on a plain wall, outside test s41).
            let side_ok = |k: [f64; 2], o: [f64; 2]| {
                background.is_some_and(|b| super::own_edge::head_between(photo, b, k, o))
            };
            (side_ok(kept.0, l) && side_ok(kept.1, r)).then_some(())?;
            super::own_edge::outer_breadth_ratio(&hull, &(l, r))
        })
        .collect();
    let outer_k = if outer.len() == low.len() {
        (outer.iter().sum::<f64>() / outer.len() as f64).max(k)
    } else {
        k
    };
    // The skull marks join, compared with a skull as wide as the photo's.
    let t = if pb.skull_marks {
        t
    } else {
        pb.skull_marks = true;
        pb.lateral = k.clamp(LATERAL_RANGE.0, LATERAL_RANGE.1);
        let e = Edges {
            pairs: inliers.iter().map(|p| p.1).collect(),
            top: top_in,
        };
        pb.solve(t, &e)?.0
    };
    let hull = pb.hull(&t)?;
    let ss: f64 = inliers
        .iter()
        .map(|(_, p)| (pair_offset(&hull, p) / s0).powi(2))
        .sum();
    let rms_mm = (ss / inliers.len() as f64).sqrt();
    let pct = (k - 1.0).abs() * 100.0;
    let wider = if k > 1.0 { "wider" } else { "narrower" };
    let scale_words = if pct < 3.0 {
        "the plan's head is as wide as the photo's".to_string()
    } else if k >= HEAD_SCALE_RANGE.0 && k <= HEAD_SCALE_RANGE.1 {
        format!("the photo's head is {pct:.0} % {wider} than the plan's at the face marks' scale (the preview draws the plan's head)")
    } else {
        // What to do about it is the head-size advice's to say, once (probe s33b: said twice per render).
        format!("the photo's head is {pct:.0} % {wider} than the plan's at the face marks' scale, more than heads differ (see the head-size advice; the preview draws the plan's head)")
    };
    let words = format!(
        "the head's outline on both sides at {} of {heights} heights{} is centred on the face within {rms_mm:.1} mm; {scale_words}",
        inliers.len(),
        if top_in.is_some() { " and its top" } else { "" }
    );
    let edges = Edges {
        pairs: inliers.iter().map(|p| p.1).collect(),
        top: top_in,
    };
    Some(result(
        &pb,
        t,
        &edges,
        Silhouette {
            used: true,
            points: inliers
                .iter()
                .flat_map(|(_, (l, r))| [*l, *r])
                .chain(top_in)
                .collect(),
            lines: lines.len(),
            rms_mm,
            head_scale: k,
            outer_scale: outer_k,
            words,
            busy: false,
        },
    ))
}

/// Per height, the outermost candidate on each side within [`GATE_MM`] of the outline `hull` (the head's
/// edge against the background comes before any edge inside the head, such as clipped hair meeting bald
/// skin), when both sides have one: (left line's index, pair).
fn pairs(lines: &[OutlineLine], hull: &[[f64; 2]], s0: f64) -> Vec<(usize, Pair)> {
    let pick = |l: &OutlineLine| {
        l.candidates
            .iter()
            .find(|&&q| signed_distance(hull, q).abs() / s0 <= GATE_MM)
            .copied()
    };
    lines
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].side == Side::Left && w[1].side == Side::Right)
        .filter_map(|(i, w)| Some((i, (pick(&w[0])?, pick(&w[1])?))))
        .collect()
}

/// The top of the head: the top line's first candidate from above within [`GATE_MM`] of the outline.
fn top(lines: &[OutlineLine], hull: &[[f64; 2]], s0: f64) -> Option<[f64; 2]> {
    lines
        .iter()
        .find(|l| l.side == Side::Top)?
        .candidates
        .iter()
        .find(|&&q| signed_distance(hull, q).abs() / s0 <= GATE_MM)
        .copied()
}

/// The fit's cost with every height's outline term truncated at [`OUTLIER_SIGMAS`] (a height with no
/// pair near costs as much as a refused one).
fn truncated_cost(pb: &Problem, t: &Theta, lines: &[OutlineLine], hull: &[[f64; 2]]) -> f64 {
    let base: f64 = pb
        .residuals(t, &Edges::default())
        .map_or(f64::INFINITY, |r| r.iter().map(|v| v * v).sum());
    let cap = OUTLIER_SIGMAS * OUTLIER_SIGMAS;
    let heights = lines.iter().filter(|l| l.side == Side::Left).count();
    let found = pairs(lines, hull, pb.s0);
    let top_cost = top(lines, hull, pb.s0).map_or(cap, |q| {
        (signed_distance(hull, q) / (pb.s0 * TOP_SIGMA_MM))
            .powi(2)
            .min(cap)
    });
    base + top_cost
        + (heights - found.len()) as f64 * cap
        + found
            .iter()
            .map(|(_, p)| {
                (pair_offset(hull, p) / (pb.s0 * SIDE_SIGMA_MM))
                    .powi(2)
                    .min(cap)
            })
            .sum::<f64>()
}
