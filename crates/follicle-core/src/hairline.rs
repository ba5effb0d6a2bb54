//! The hairline curve: control points from the Garg landmarks and the style, a smooth curve through them
//! on the surface, and the seeded macro-irregularity (an undulating, never straight border).

use crate::design::{HairlineDesign, HairlineEdge, HairlineStyle};
use crate::geom::{Chart2, Vec3};
use crate::head::Head;
use crate::landmarks::Landmarks;
use crate::noise::mix64;

/// Spacing of the hairline polyline's vertices along the surface, mm.
pub const HAIRLINE_STEP_MM: f64 = 1.5;

/// The constructed hairline.
#[derive(Clone, Debug)]
pub struct Hairline {
    /// Control points, client's right temporal peak to left temporal peak.
    pub control_points: Vec<Vec3>,
    /// The irregular border on the surface, right to left, about `HAIRLINE_STEP_MM` apart.
    pub polyline: Vec<Vec3>,
    /// The same vertices in chart coordinates.
    pub chart: Vec<Chart2>,
    /// Transition depth, mm.
    pub transition_mm: f64,
    /// Zone depth, mm.
    pub zone_width_mm: f64,
    /// Density multiplier at the very front of the transition (0–1).
    pub front_multiplier: f64,
    /// How far ahead of the line single stray impressions may sit, mm.
    pub fringe_mm: f64,
    /// Density multiplier of the strays just ahead of the line; it falls to 0 at `fringe_mm`.
    pub fringe_multiplier: f64,
    /// Irregularity strength 0–1.
    pub irregularity: f64,
}

/// Moves surface point `p` by `mm` toward `target` along the surface.
fn nudge(head: &Head, p: Vec3, target: Vec3, mm: f64) -> Vec3 {
    if mm.abs() < 1e-9 {
        return p;
    }
    if mm > 0.0 {
        head.walk_toward(p, target, mm)
    } else {
        head.walk_toward(p, p + (p - target), -mm)
    }
}

/// Where a hand-placed hairline point sits across the head: the angle from the top, seen from the front
/// (positive on the client's right, 0 on the midline), degrees. A hairline runs from the right temporal peak
/// over the forehead to the left one, so along it this angle falls at every point.
fn across_deg(p: Vec3) -> f64 {
    p.x.atan2(p.z).to_degrees()
}

/// A list of hairline points that does not run once from one temple to the other.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HairlineOrderError {
    /// Point `index` (0-based) turns back toward the side the hairline came from.
    #[error("point {} turns back toward the side the hairline came from: the hairline's points must run once across the forehead, from the right temporal peak to the left", .index + 1)]
    TurnsBack {
        /// The 0-based index of the point.
        index: usize,
    },
}

/// Hand-placed hairline points in the order the curve needs, right temporal peak to left: a list given
/// left to right is reversed (the same hairline); one that doubles back (a zig-zag) is refused naming the
/// first point that turns back.
pub fn orient_control_points(mut points: Vec<Vec3>) -> Result<Vec<Vec3>, HairlineOrderError> {
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        if across_deg(*first) < across_deg(*last) {
            points.reverse();
        }
    }
    for (i, w) in points.windows(2).enumerate() {
        if across_deg(w[1]) >= across_deg(w[0]) {
            return Err(HairlineOrderError::TurnsBack { index: i + 1 });
        }
    }
    Ok(points)
}

/// Least arc along the midline between the mid-frontal point and the top of the head for a hairline that
/// reads as a front edge from the front, mm ([`place_note`]; 70–100 mm on the ANSUR 5th–95th percentile
/// heads of both sexes leave more, tests/anatomy.rs).
pub const HAIRLINE_NEAR_VERTEX_MM: f64 = 35.0;
/// Least distance the frontotemporal points stand in front of the top of the ear, mm
/// ([`place_note`]; the smallest adult head, ANSUR 5th percentile woman, keeps 13 at a 15 mm recession).
pub const C_NEAR_EAR_MM: f64 = 10.0;
/// When a designed hairline sits where a client would not see it as a front edge, in words for the
/// practitioner: the mid-frontal point B less than [`HAIRLINE_NEAR_VERTEX_MM`] along the scalp below the top
/// of the head (a conservative height on a small head: outside test s43, B 4 mm below the vertex of a
/// 170 × 130 mm head, accepted without a word and invisible from the front), or the frontotemporal points,
/// moved back by the recession, less than [`C_NEAR_EAR_MM`] in front of the top of the ear. `None` for a
/// hairline placed by hand (its points are where the practitioner put them).
pub fn place_note(head: &Head, lm: &Landmarks, h: &HairlineDesign) -> Option<String> {
    if h.control_points.is_some() {
        return None;
    }
    let mut says = Vec::new();
    let vertex_arc = head.midline_arc(std::f64::consts::FRAC_PI_2);
    let left = vertex_arc - h.mid_frontal_mm;
    if left < HAIRLINE_NEAR_VERTEX_MM {
        says.push(format!(
            "the mid-frontal point, {:.0} mm above the glabella, lies only {left:.0} mm along the scalp below \
             the top of this head (the glabella–vertex arc is {vertex_arc:.0} mm): seen from the front the \
             hairline sits on the top of the head and hardly shows; a mid_frontal_height_mm of at most {:.0} \
             keeps it on the forehead",
            h.mid_frontal_mm,
            (vertex_arc - HAIRLINE_NEAR_VERTEX_MM).floor()
        ));
    }
    let points = control_points(head, lm, h);
    let ahead = match points.as_slice() {
        [_, c_r, .., c_l, _] => (c_r.y - lm.ear_top_right.y).min(c_l.y - lm.ear_top_left.y),
        _ => f64::INFINITY,
    };
    if ahead < C_NEAR_EAR_MM {
        let where_ = if ahead > 0.0 {
            format!("only {ahead:.0} mm in front of the top of the ear")
        } else {
            format!("{:.0} mm behind the top of the ear", -ahead)
        };
        says.push(format!(
            "moved back {:.0} mm by the recession, the frontotemporal points stand {where_}: the temples \
             recede to above the ears; a smaller recession_mm keeps them over the temples",
            h.recession_mm
        ));
    }
    (!says.is_empty()).then(|| says.join("; "))
}

/// Computed control points for a design (right to left).
pub fn control_points(head: &Head, lm: &Landmarks, design: &HairlineDesign) -> Vec<Vec3> {
    if let Some(cp) = &design.control_points {
        return cp.iter().map(|&p| head.project(p)).collect();
    }
    let whorl = lm.crown_whorl;
    let (c_r, c_l) = (
        nudge(head, lm.frontotemporal_right, whorl, design.recession_mm),
        nudge(head, lm.frontotemporal_left, whorl, design.recession_mm),
    );
    vec![
        lm.temporal_peak_right,
        c_r,
        between(head, lm, design.style, c_r, lm.mid_frontal),
        lm.mid_frontal,
        between(head, lm, design.style, c_l, lm.mid_frontal),
        c_l,
        lm.temporal_peak_left,
    ]
}

/// The control point between a frontotemporal point `c` and the mid-frontal point `b`: juvenile pulls it
/// forward (flat across), mature lets it fall back (rounded centre with receded corners).
fn between(head: &Head, lm: &Landmarks, style: HairlineStyle, c: Vec3, b: Vec3) -> Vec3 {
    let shift = match style {
        HairlineStyle::Juvenile => -4.0,
        HairlineStyle::Straight => 0.0,
        HairlineStyle::Mature => 3.0,
    };
    nudge(head, head.project(c.lerp(b, 0.5)), lm.crown_whorl, shift)
}

/// The points of the hairline a practitioner moves one by one (Garg): the temporal peaks D, the
/// frontotemporal points C and the mid-frontal point B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GargPoint {
    /// D on the client's right.
    TemporalPeakRight,
    /// C on the client's right.
    FrontotemporalRight,
    /// B.
    MidFrontal,
    /// C on the client's left.
    FrontotemporalLeft,
    /// D on the client's left.
    TemporalPeakLeft,
}

impl GargPoint {
    /// Every point, right to left.
    pub const ALL: [GargPoint; 5] = [
        GargPoint::TemporalPeakRight,
        GargPoint::FrontotemporalRight,
        GargPoint::MidFrontal,
        GargPoint::FrontotemporalLeft,
        GargPoint::TemporalPeakLeft,
    ];
    /// The landmark's name in plan.json.
    pub fn name(self) -> &'static str {
        match self {
            GargPoint::TemporalPeakRight => "temporal_peak_right",
            GargPoint::FrontotemporalRight => "frontotemporal_right",
            GargPoint::MidFrontal => "mid_frontal",
            GargPoint::FrontotemporalLeft => "frontotemporal_left",
            GargPoint::TemporalPeakLeft => "temporal_peak_left",
        }
    }
    /// Looks a point up by its landmark name.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == s)
    }
    /// Its index among `n` control points (right temporal peak to left, B in the middle).
    pub fn index(self, n: usize) -> usize {
        match self {
            GargPoint::TemporalPeakRight => 0,
            GargPoint::FrontotemporalRight => 1,
            GargPoint::MidFrontal => n / 2,
            GargPoint::FrontotemporalLeft => n - 2,
            GargPoint::TemporalPeakLeft => n - 1,
        }
    }
}

/// Where a point between B and a C stays put unless it is where the style puts it: closer than this, mm.
const FOLLOWS_MM: f64 = 0.5;

/// The design's control points with one Garg point moved to surface point `to`. Every other point stays
/// where it is (the design's hand-placed points, else the computed ones), so an edit from the photo and
/// one from the head compose; a point between B and a C that sits where the style puts it (not placed by
/// hand) follows a move of that B or C.
pub fn move_point(
    head: &Head,
    lm: &Landmarks,
    design: &HairlineDesign,
    which: GargPoint,
    to: Vec3,
) -> Vec<Vec3> {
    let old = control_points(head, lm, design);
    let n = old.len();
    let i = which.index(n);
    let mut cp = old.clone();
    cp[i] = head.project(to);
    if n == 7 {
        for (m, c) in [(2, 1), (4, 5)] {
            let by_style = between(head, lm, design.style, old[c], old[3]);
            if (i == c || i == 3) && old[m].dist(by_style) < FOLLOWS_MM {
                cp[m] = between(head, lm, design.style, cp[c], cp[3]);
            }
        }
    }
    cp
}

/// The design's control points with B moved up or down the midline to `height_mm` above the glabella along
/// the scalp (where the construction puts B at that height), every other point kept as in [`move_point`]:
/// what the height control does to a hairline whose points are placed by hand (outside test s49: it changed
/// only the number).
pub fn raise_mid_frontal(
    head: &Head,
    lm: &Landmarks,
    design: &HairlineDesign,
    height_mm: f64,
) -> Result<Vec<Vec3>, crate::landmarks::LandmarkError> {
    let b = crate::landmarks::construct(head, height_mm)?.mid_frontal;
    Ok(move_point(head, lm, design, GargPoint::MidFrontal, b))
}

/// Centripetal Catmull–Rom point between p1 and p2 at t in [0, 1].
fn catmull_rom(p0: Vec3, p1: Vec3, p2: Vec3, p3: Vec3, t: f64) -> Vec3 {
    let knot = |a: Vec3, b: Vec3| a.dist(b).sqrt().max(1e-6);
    let t0 = 0.0;
    let t1 = t0 + knot(p0, p1);
    let t2 = t1 + knot(p1, p2);
    let t3 = t2 + knot(p2, p3);
    let tt = t1 + (t2 - t1) * t;
    let a1 = p0 * ((t1 - tt) / (t1 - t0)) + p1 * ((tt - t0) / (t1 - t0));
    let a2 = p1 * ((t2 - tt) / (t2 - t1)) + p2 * ((tt - t1) / (t2 - t1));
    let a3 = p2 * ((t3 - tt) / (t3 - t2)) + p3 * ((tt - t2) / (t3 - t2));
    let b1 = a1 * ((t2 - tt) / (t2 - t0)) + a2 * ((tt - t0) / (t2 - t0));
    let b2 = a2 * ((t3 - tt) / (t3 - t1)) + a3 * ((tt - t1) / (t3 - t1));
    b1 * ((t2 - tt) / (t2 - t1)) + b2 * ((tt - t1) / (t2 - t1))
}

/// Resamples a polyline to vertices `step` apart (by arc length).
fn resample(points: &[Vec3], step: f64) -> Vec<Vec3> {
    let mut out = vec![points[0]];
    let mut carry = 0.0;
    for w in points.windows(2) {
        let seg = w[0].dist(w[1]);
        let mut s = step - carry;
        while s <= seg {
            out.push(w[0].lerp(w[1], s / seg));
            s += step;
        }
        carry = seg - (s - step);
    }
    if out
        .last()
        .map(|p| p.dist(*points.last().unwrap()) > step * 0.3)
        .unwrap_or(true)
    {
        out.push(*points.last().unwrap());
    }
    out
}

/// Builds the hairline for a design on a head, seeded.
pub fn construct(head: &Head, lm: &Landmarks, design: &HairlineDesign, seed: u64) -> Hairline {
    let cp = control_points(head, lm, design);
    // Smooth curve through the control points (ends duplicated), projected onto the surface.
    let mut dense = Vec::new();
    for i in 0..cp.len() - 1 {
        let p0 = if i == 0 {
            cp[0] + (cp[0] - cp[1])
        } else {
            cp[i - 1]
        };
        let p3 = if i + 2 < cp.len() {
            cp[i + 2]
        } else {
            cp[i + 1] + (cp[i + 1] - cp[i])
        };
        for j in 0..40 {
            dense.push(head.project(catmull_rom(p0, cp[i], cp[i + 1], p3, j as f64 / 40.0)));
        }
    }
    dense.push(*cp.last().unwrap());
    let smooth = resample(&dense, HAIRLINE_STEP_MM);
    // Macro-irregularity: a sum of three seeded undulations along the line, displaced within the surface.
    let mut phases = [0.0; 3];
    for (i, p) in phases.iter_mut().enumerate() {
        *p = (mix64(seed ^ 0x4A11_0000 ^ i as u64) >> 11) as f64 / (1u64 << 53) as f64
            * std::f64::consts::TAU;
    }
    let waves = [(2.2, 31.0), (1.1, 13.0), (0.5, 5.5)]; // (amplitude mm, wavelength mm)
    let n = smooth.len();
    let mut polyline = Vec::with_capacity(n);
    for i in 0..n {
        let s = i as f64 * HAIRLINE_STEP_MM;
        // Fade the undulation in over the first and last centimetre so the temporal peaks stay put.
        let end_fade = ((s.min((n - 1) as f64 * HAIRLINE_STEP_MM - s)) / 10.0).clamp(0.0, 1.0);
        let offset: f64 = waves
            .iter()
            .zip(phases)
            .map(|(&(a, l), ph)| a * (std::f64::consts::TAU * s / l + ph).sin())
            .sum::<f64>()
            * design.irregularity
            * end_fade;
        let tangent = (smooth[(i + 1).min(n - 1)] - smooth[i.saturating_sub(1)]).normalized();
        let normal = head.normal(smooth[i]);
        let across = normal.cross(tangent).normalized(); // in the surface, perpendicular to the line
        polyline.push(head.project(smooth[i] + across * offset));
    }
    let chart = polyline.iter().map(|&p| head.chart_of(p)).collect();
    // Ahead of the line the density keeps falling (Shapiro's irregular transition): from a share of the
    // front's density at the line to none at `fringe_mm` (8 mm soft, 4 mm defined).
    let (front_multiplier, fringe_share, fringe_mm) = match design.edge {
        HairlineEdge::Soft => (0.15, 0.6, 8.0),
        HairlineEdge::Defined => (0.45, 0.12, 4.0),
    };
    let fringe_multiplier = front_multiplier * fringe_share;
    Hairline {
        control_points: cp,
        polyline,
        chart,
        transition_mm: design.transition_mm,
        zone_width_mm: design.zone_width_mm,
        front_multiplier,
        fringe_mm,
        fringe_multiplier: fringe_multiplier * (0.5 + design.irregularity).min(1.0),
        irregularity: design.irregularity,
    }
}

impl Hairline {
    /// Density multiplier at signed depth `depth` behind the line (negative: ahead of it), before noise.
    pub fn ramp(&self, depth: f64) -> f64 {
        if depth < -self.fringe_mm {
            0.0
        } else if depth < 0.0 {
            // Linear fall-off: most strays beside the line, fewer with every millimetre ahead of it, none
            // past the fringe (never a row of strays at one distance).
            let t = 1.0 + depth / self.fringe_mm;
            self.fringe_multiplier * t
        } else if depth >= self.transition_mm {
            1.0
        } else {
            let t = depth / self.transition_mm;
            let s = t * t * (3.0 - 2.0 * t);
            self.front_multiplier + (1.0 - self.front_multiplier) * s
        }
    }

    /// The Garg points the line is drawn through, as designed (placed by hand, or constructed from the
    /// landmarks and moved back by the recession): D, C, B, C, D, right to left, by their landmark names.
    /// The plan's landmarks are the head's construction; these are where the hairline's corners are.
    pub fn garg_points(&self) -> Vec<(&'static str, Vec3)> {
        const NAMES: [(&str, usize); 5] = [
            ("temporal_peak_right", 0),
            ("frontotemporal_right", 1),
            ("mid_frontal", 3),
            ("frontotemporal_left", 5),
            ("temporal_peak_left", 6),
        ];
        NAMES
            .iter()
            .filter_map(|&(n, i)| self.control_points.get(i).map(|&p| (n, p)))
            .collect()
    }

    /// How high its mid-frontal point B stands above the glabella, along the scalp, mm: the A–B distance the
    /// stencil labels, wherever B is (constructed at the design's `mid_frontal_mm`, or placed by hand, when
    /// that number no longer places it: outside test s49, a B dragged on the head labelled "B 80 mm" on a
    /// stencil that measured A–B 91.8 mm). The editor shows this as the design's height.
    pub fn mid_frontal_height_mm(&self, head: &Head, lm: &Landmarks) -> f64 {
        let b = self
            .garg_points()
            .into_iter()
            .find(|(n, _)| *n == "mid_frontal")
            .map_or(lm.mid_frontal, |(_, p)| p);
        head.path_length(lm.glabella, b)
    }

    /// Total length of the line, mm.
    pub fn length_mm(&self) -> f64 {
        self.polyline.windows(2).map(|w| w[0].dist(w[1])).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::head::{HeadMeasurements, Sex};

    fn setup(irregularity: f64, seed: u64) -> Hairline {
        let head = Head::new(HeadMeasurements::median(Sex::Male));
        let lm = crate::landmarks::construct(&head, 80.0).unwrap();
        let d = HairlineDesign {
            irregularity,
            ..HairlineDesign::default()
        };
        construct(&head, &lm, &d, seed)
    }

    #[test]
    fn hairline_is_not_straight_and_is_seeded() {
        let flat = setup(0.0, 1);
        let wavy = setup(1.0, 1);
        let other = setup(1.0, 2);
        assert_eq!(flat.polyline.len(), wavy.polyline.len());
        let max_off = flat
            .polyline
            .iter()
            .zip(&wavy.polyline)
            .map(|(a, b)| a.dist(*b))
            .fold(0.0, f64::max);
        assert!(max_off > 1.0 && max_off < 6.0, "undulation {max_off}");
        assert_ne!(wavy.polyline, other.polyline);
        assert_eq!(wavy.polyline, setup(1.0, 1).polyline);
        // Temporal peak to temporal peak across the forehead: roughly 20–35 cm.
        let l = wavy.length_mm();
        assert!((180.0..380.0).contains(&l), "length {l}");
    }

    #[test]
    fn a_moved_point_keeps_the_others() {
        let head = Head::new(HeadMeasurements::median(Sex::Male));
        let lm = crate::landmarks::construct(&head, 80.0).unwrap();
        let d = HairlineDesign::default();
        let cp = control_points(&head, &lm, &d);
        // The right C moves 10 mm up: the left side stays, the point between B and the right C follows.
        let up = cp[1] + Vec3::new(0.0, 0.0, 10.0);
        let moved = move_point(&head, &lm, &d, GargPoint::FrontotemporalRight, up);
        assert!(moved[1].dist(head.project(up)) < 1e-9);
        for k in [0, 3, 4, 5, 6] {
            assert_eq!(moved[k], cp[k], "point {k}");
        }
        assert!(
            moved[2].dist(cp[2]) > 2.0,
            "the in-between point follows its C"
        );
        // A point placed by hand stays where it is when a neighbour moves.
        let mut hand = cp.clone();
        hand[2] = cp[2] + Vec3::new(0.0, 0.0, 6.0);
        let d2 = HairlineDesign {
            control_points: Some(hand.clone()),
            ..d.clone()
        };
        let b = cp[3] + Vec3::new(0.0, 0.0, 5.0);
        let moved = move_point(&head, &lm, &d2, GargPoint::MidFrontal, b);
        let placed = control_points(&head, &lm, &d2);
        assert!(moved[3].dist(head.project(b)) < 1e-9);
        assert_eq!(moved[2], placed[2], "a hand-placed point stays");
        assert!(
            moved[4].dist(placed[4]) > 1.0,
            "the other in-between point follows B"
        );
        // Left and right are independent.
        let moved = move_point(
            &head,
            &lm,
            &d,
            GargPoint::TemporalPeakLeft,
            cp[6] + Vec3::new(0.0, 4.0, 0.0),
        );
        assert_eq!(moved[..6], cp[..6]);
        for p in GargPoint::ALL {
            assert_eq!(GargPoint::from_name(p.name()), Some(p));
        }
    }

    #[test]
    fn computed_hairlines_run_once_across_and_a_reversed_list_is_the_same_line() {
        for sex in [Sex::Male, Sex::Female] {
            for k in [0.9, 1.0, 1.1] {
                let m = HeadMeasurements::median(sex);
                let head = Head::new(m.with_circumference(m.circumference_mm() * k));
                for mid in [60.0, 80.0, 105.0] {
                    let Ok(lm) = crate::landmarks::construct(&head, mid) else {
                        continue;
                    };
                    for style in [
                        HairlineStyle::Juvenile,
                        HairlineStyle::Straight,
                        HairlineStyle::Mature,
                    ] {
                        for recession_mm in [0.0, 15.0, 30.0] {
                            let d = HairlineDesign {
                                style,
                                recession_mm,
                                ..HairlineDesign::default()
                            };
                            let cp = control_points(&head, &lm, &d);
                            assert_eq!(
                                orient_control_points(cp.clone()),
                                Ok(cp.clone()),
                                "{sex:?} ×{k} mid {mid} {style:?} recession {recession_mm}"
                            );
                            let mut back = cp.clone();
                            back.reverse();
                            assert_eq!(orient_control_points(back), Ok(cp));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_zig_zag_is_refused_at_the_point_that_turns_back() {
        let head = Head::new(HeadMeasurements::median(Sex::Male));
        let p = |x: f64, y: f64| head.point_from_above(x, y).unwrap();
        let zig = vec![p(0.0, 70.0), p(20.0, 80.0), p(-20.0, 80.0), p(0.0, 60.0)];
        assert_eq!(
            orient_control_points(zig),
            Err(HairlineOrderError::TurnsBack { index: 1 })
        );
        let err = orient_control_points(vec![
            p(40.0, 60.0),
            p(0.0, 75.0),
            p(10.0, 70.0),
            p(-40.0, 60.0),
        ])
        .unwrap_err();
        assert!(err.to_string().starts_with("point 3 turns back"), "{err}");
    }

    #[test]
    fn ramp_rises_through_the_transition() {
        let h = setup(0.5, 3);
        assert_eq!(h.ramp(-50.0), 0.0);
        assert!(h.ramp(-1.0) > 0.0 && h.ramp(-1.0) < h.ramp(0.5));
        assert!(h.ramp(2.0) < h.ramp(6.0));
        assert_eq!(h.ramp(h.transition_mm + 1.0), 1.0);
    }
}
