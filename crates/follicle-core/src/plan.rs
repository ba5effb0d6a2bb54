//! The Plan: every impression with its session, zone, size and shade, plus per-zone and per-session
//! statistics; built from a Design, or extended by a touch-up session that keeps every impression fixed.

use crate::design::{
    within, Design, Region, ZoneKind, ZoneSpec, MID_FRONTAL_RANGE_MM, NEEDLE_DIAMETER_RANGE_MM,
    RECESSION_RANGE_MM, TRANSITION_RANGE_MM, ZONE_WIDTH_RANGE_MM,
};
use crate::field::{Field, FieldError};
use crate::geom::{polygon_self_intersection, Vec3};
use crate::hairline::Hairline;
use crate::head::Head;
use crate::landmarks::{LandmarkError, Landmarks};

/// Highest density follicle accepts, impressions per cm² (beyond it impressions merge).
pub const MAX_DENSITY_CM2: f64 = 200.0;
/// Healed impressions are 0.10–0.25 mm (GUIDE §4); planned sizes are kept within this range.
pub const HEALED_DIAMETER_RANGE_MM: (f64, f64) = (0.10, 0.25);

/// One planned impression.
#[derive(Clone, Debug, PartialEq)]
pub struct Impression {
    /// Position on the scalp surface, head frame, mm.
    pub p: Vec3,
    /// Index into `Plan::zones`.
    pub zone: usize,
    /// Session number, from 1.
    pub session: usize,
    /// Planned healed diameter, mm.
    pub diameter_mm: f64,
}

/// Statistics of one zone.
#[derive(Clone, Debug)]
pub struct ZoneStats {
    /// The zone as designed.
    pub spec: ZoneSpec,
    /// Surface area, cm².
    pub area_cm2: f64,
    /// Impressions in the zone after the last session.
    pub impressions: usize,
    /// Cumulative impressions after each session.
    pub cumulative: Vec<usize>,
}

impl ZoneStats {
    /// Achieved density after session `k` (1-based), impressions per cm².
    pub fn density_after(&self, k: usize) -> f64 {
        if self.area_cm2 > 0.0 {
            self.cumulative[k - 1] as f64 / self.area_cm2
        } else {
            0.0
        }
    }
}

/// Statistics of one session.
#[derive(Clone, Debug)]
pub struct SessionStats {
    /// Session number, from 1.
    pub index: usize,
    /// Plan-wide cumulative fraction of the full density after this session.
    pub cumulative_fraction: f64,
    /// Impressions placed in this session.
    pub impressions: usize,
    /// Estimated needle time for this session, hours (rates in `NeedleConfig::impressions_per_hour`).
    pub hours: f64,
}

/// A complete plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The design it was computed from (including any touch-up sessions added).
    pub design: Design,
    /// The head surface.
    pub head: Head,
    /// Landmarks used.
    pub landmarks: Landmarks,
    /// The hairline, when the design treats one.
    pub hairline: Option<Hairline>,
    /// The zone raster (areas, membership), shared: the plan of the sessions placed so far
    /// ([`crate::planner::Planner::plan`]) is made without copying it.
    pub field: std::sync::Arc<Field>,
    /// Per-zone statistics, in design order.
    pub zones: Vec<ZoneStats>,
    /// Per-session statistics.
    pub sessions: Vec<SessionStats>,
    /// All impressions, ordered by session.
    pub impressions: Vec<Impression>,
}

/// Why a design cannot be planned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// A design value is outside what follicle can plan; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        /// Dotted path of the offending value.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Every zone of the design is left untreated (or there are none), or only blend zones and
    /// exclusions are left: nothing to pigment, or only the light scatter meant to meet treated zones.
    #[error("zones: no zone is treated (blend zones only meet treated ones; they are not planned alone)")]
    NothingTreated,
    /// Landmarks cannot be placed.
    #[error(transparent)]
    Landmarks(#[from] LandmarkError),
    /// The zone raster cannot be built.
    #[error(transparent)]
    Field(#[from] FieldError),
}

pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> PlanError {
    PlanError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Most points one zone's outline may have: a hand-drawn outline has tens to hundreds; the checks on an outline
/// (crossing itself, on the scalp) grow faster than its points (outside test s43: 54,000 points, under the
/// server's 1 MiB body limit, took 11 s to check and 42 s to plan).
pub const MAX_POLYGON_POINTS: usize = 2_000;
/// Most points all of a design's zone outlines may have together.
pub const MAX_DESIGN_OUTLINE_POINTS: usize = 10_000;

/// Checks the invariants every design must hold before planning.
pub fn validate(design: &Design, head: &Head) -> Result<(), PlanError> {
    let fr = &design.cumulative_fractions;
    if fr.is_empty() {
        return Err(invalid("sessions", "at least one session is needed"));
    }
    check_fractions("sessions.cumulative_fractions", fr)?;
    design
        .head
        .check()
        .map_err(|(field, message)| invalid(format!("head.{field}"), message))?;
    let h = &design.hairline;
    let ranged = |field: &str, v: f64, r: (f64, f64)| -> Result<(), PlanError> {
        if within(v, r) {
            Ok(())
        } else {
            Err(invalid(
                field,
                format!("{} is outside {}–{}", crate::words::number(v), r.0, r.1),
            ))
        }
    };
    ranged(
        "hairline.mid_frontal_height_mm",
        h.mid_frontal_mm,
        MID_FRONTAL_RANGE_MM,
    )?;
    ranged(
        "hairline.zone_width_mm",
        h.zone_width_mm,
        ZONE_WIDTH_RANGE_MM,
    )?;
    ranged(
        "hairline.transition_mm",
        h.transition_mm,
        TRANSITION_RANGE_MM,
    )?;
    ranged(
        "hairline.irregularity",
        h.irregularity,
        crate::design::IRREGULARITY_RANGE,
    )?;
    ranged("hairline.recession_mm", h.recession_mm, RECESSION_RANGE_MM)?;
    let mut outline_points = 0usize;
    for (i, z) in design.zones.iter().enumerate() {
        let at = |f: &str| format!("zones[{i}] ({}).{f}", z.id);
        if z.kind != ZoneKind::Exclusion
            && !(z.density_cm2 > 0.0 && z.density_cm2 <= MAX_DENSITY_CM2)
        {
            return Err(invalid(
                at("density_cm2"),
                format!(
                    "{} per cm² must be above 0 and at most {MAX_DENSITY_CM2}",
                    crate::words::number(z.density_cm2)
                ),
            ));
        }
        if !(0.0..1.0).contains(&z.coverage) {
            return Err(invalid(at("coverage"), "must be at least 0 and below 1"));
        }
        if !within(z.needle.diameter_mm, NEEDLE_DIAMETER_RANGE_MM) {
            return Err(invalid(
                at("needle.diameter_mm"),
                format!(
                    "{} mm is outside {}–{} mm",
                    crate::words::number(z.needle.diameter_mm),
                    NEEDLE_DIAMETER_RANGE_MM.0,
                    NEEDLE_DIAMETER_RANGE_MM.1
                ),
            ));
        }
        if z.dilution
            .iter()
            .any(|d| !(0.0..=1.0).contains(d) || *d == 0.0)
        {
            return Err(invalid(
                at("dilution"),
                "each pigment strength must be above 0 and at most 1",
            ));
        }
        if let Some(f) = &z.cumulative_fractions {
            check_fractions(&at("cumulative_fractions"), f)?;
        }
        if let Region::Polygon(poly) = &z.region {
            if poly.len() < 3 {
                return Err(invalid(at("polygon"), "a polygon needs at least 3 points"));
            }
            if poly.len() > MAX_POLYGON_POINTS {
                return Err(invalid(
                    at("polygon"),
                    format!(
                        "this outline has {} points; a zone's outline takes at most {} (one every few millimetres is plenty)",
                        crate::words::count(poly.len() as u64),
                        crate::words::count(MAX_POLYGON_POINTS as u64)
                    ),
                ));
            }
            outline_points += poly.len();
            if outline_points > MAX_DESIGN_OUTLINE_POINTS {
                return Err(invalid(
                    at("polygon"),
                    format!(
                        "the zones' outlines take at most {} points together; with this one they have {}",
                        crate::words::count(MAX_DESIGN_OUTLINE_POINTS as u64),
                        crate::words::count(outline_points as u64)
                    ),
                ));
            }
            for (k, p) in poly.iter().enumerate() {
                let off = head.offset_from_surface(*p);
                if off.abs() > 12.0 {
                    return Err(invalid(
                        format!("{}[{k}]", at("polygon")),
                        format!("point is {off:.0} mm off the scalp surface (are the units mm?)"),
                    ));
                }
            }
            let chart: Vec<_> = poly.iter().map(|&p| head.chart_of(p)).collect();
            if let Some((a, b)) = polygon_self_intersection(&chart) {
                return Err(invalid(
                    at("polygon"),
                    format!("the border crosses itself (edge {a} crosses edge {b})"),
                ));
            }
        }
    }
    // Blend zones only scatter a light shadow into the client's own hair to meet treated zones: with no
    // hairline, density or scar zone left (every zone the pattern treats set `treated = false`), there is
    // nothing for them to meet (outside probe s22: Norwood 2 without its hairline and temples planned
    // 8,562 impressions of blend alone).
    let pigmented = |z: &ZoneSpec| !matches!(z.kind, ZoneKind::Exclusion | ZoneKind::Blend);
    if !design.zones.iter().any(pigmented) {
        return Err(PlanError::NothingTreated);
    }
    Ok(())
}

fn check_fractions(field: &str, fr: &[f64]) -> Result<(), PlanError> {
    crate::design::check_fractions(fr).map_err(|m| invalid(field, m))
}

/// Stages reported while planning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Head, landmarks, hairline and zone raster.
    Geometry,
    /// Placing session `n`.
    Session(usize),
}

/// Computes the plan for a design.
pub fn plan(design: &Design) -> Result<Plan, PlanError> {
    plan_with_progress(design, &mut |_| {})
}

/// An impression read back from a saved plan, to be kept fixed.
#[derive(Clone, Debug, PartialEq)]
pub struct FixedImpression {
    /// Position, mm.
    pub p: Vec3,
    /// Zone id.
    pub zone: String,
    /// Session, from 1.
    pub session: usize,
    /// Healed diameter, mm.
    pub diameter_mm: f64,
}

/// Computes the plan, reporting each stage to `progress`.
pub fn plan_with_progress(
    design: &Design,
    progress: &mut dyn FnMut(Stage),
) -> Result<Plan, PlanError> {
    build(design, &[], progress)
}

/// Adds one touch-up session to a saved plan: every fixed impression stays, the new ones fill among them
/// up to `add_fraction` more of the full density (plan-wide and for every zone's own schedule).
pub fn extend(
    design: &Design,
    fixed: &[FixedImpression],
    add_fraction: f64,
    progress: &mut dyn FnMut(Stage),
) -> Result<Plan, PlanError> {
    if !(MIN_TOUCH_UP_ADD..=1.0).contains(&add_fraction) {
        return Err(invalid(
            "add",
            format!(
                "a touch-up adds from {MIN_TOUCH_UP_ADD} (1 % of the full density) to 1 (100 %)"
            ),
        ));
    }
    // Touch-ups add up; the total is bounded where impressions would crowd into each other.
    let n = design.cumulative_fractions.len();
    let held = design
        .zones
        .iter()
        .map(|z| z.fraction_at(&design.cumulative_fractions, n))
        .fold(
            *design.cumulative_fractions.last().unwrap_or(&0.0),
            f64::max,
        );
    let room = MAX_CUMULATIVE_FRACTION - held;
    if add_fraction > room + 1e-9 {
        let percent = |f: f64| format!("{:.0} %", f * 100.0);
        return Err(invalid(
            "add",
            if room < MIN_TOUCH_UP_ADD {
                format!(
                    "the saved plan already holds {} of the full density, the most a scalp can take without \
                     the impressions crowding into one another (twice natural follicle density): no touch-up \
                     can be added to it; plan the client afresh from their case file instead",
                    percent(held)
                )
            } else {
                format!(
                    "the saved plan already holds {} of the full density; {} more would bring it to {}, above \
                     the {} a scalp can take without the impressions crowding into one another: add at most \
                     {} (--add {:.2})",
                    percent(held),
                    percent(add_fraction),
                    percent(held + add_fraction),
                    percent(MAX_CUMULATIVE_FRACTION),
                    percent(room),
                    (room * 100.0 + 1e-6).floor() / 100.0
                )
            },
        ));
    }
    let mut d = design.clone();
    let last = *d.cumulative_fractions.last().unwrap_or(&0.0);
    d.cumulative_fractions.push(last + add_fraction);
    for z in &mut d.zones {
        // The zone's schedule as the saved plan placed it (fitted to its sessions), then the touch-up.
        if let Some(mut f) = z.fitted_schedule(&design.cumulative_fractions) {
            f.push(f.last().copied().unwrap_or(0.0) + add_fraction);
            z.cumulative_fractions = Some(f);
        }
    }
    let plan = build(&d, fixed, progress)?;
    if plan.sessions.last().is_none_or(|s| s.impressions == 0) {
        return Err(invalid(
            "add",
            format!(
                "a touch-up of {:.0} % of the full density would place no impression on this plan's zones; add more",
                add_fraction * 100.0
            ),
        ));
    }
    Ok(plan)
}

/// The least a touch-up adds ([`extend`]'s `add_fraction`): 1 % of the full density. Less would be a session
/// with next to nothing (or nothing at all) to do.
pub const MIN_TOUCH_UP_ADD: f64 = 0.01;
/// The most a plan's sessions and touch-ups add up to: twice the full density (cumulative fraction 2).
pub const MAX_CUMULATIVE_FRACTION: f64 = 2.0;

/// Rebuilds a saved plan exactly as saved (geometry, zones and statistics from its design; impressions as
/// given, nothing sampled), for rendering and reports.
pub fn restore(design: &Design, impressions: &[FixedImpression]) -> Result<Plan, PlanError> {
    build_inner(design, impressions, &mut |_| {}, true, usize::MAX)
}

fn build(
    design: &Design,
    fixed: &[FixedImpression],
    progress: &mut dyn FnMut(Stage),
) -> Result<Plan, PlanError> {
    build_inner(design, fixed, progress, false, usize::MAX)
}

/// The plan's first `sessions` sessions only, for a quick first picture while the whole plan is computed:
/// every impression of those sessions is exactly the one `plan` places (sessions never move earlier
/// impressions), and later sessions are listed with no impressions.
pub fn plan_first_sessions(design: &Design, sessions: usize) -> Result<Plan, PlanError> {
    build_inner(design, &[], &mut |_| {}, false, sessions)
}

fn build_inner(
    design: &Design,
    fixed: &[FixedImpression],
    progress: &mut dyn FnMut(Stage),
    restore: bool,
    up_to: usize,
) -> Result<Plan, PlanError> {
    crate::planner::build(design, fixed, progress, restore, up_to)
}

/// A zone of the pattern smaller than this, cm², is said to be too small to read as a zone (a patch about
/// 2 × 2 cm: under the width of the 10 mm density-step feathering on each side).
pub const SMALL_ZONE_CM2: f64 = 4.0;

/// Longest needle time one sitting holds, hours: SMP sittings last about 2–5 hours (client comfort, swelling
/// and the practitioner's precision fall off after that); a session planned longer is worked in two sittings
/// a day or two apart, or the course gets more sessions.
pub const SITTING_HOURS: f64 = 5.0;

/// Most sessions a course has (a plan's, a schedule's): the one bound follicle-case, follicle-clinic and the
/// studio read.
pub const MAX_SESSIONS: usize = 8;

/// Natural follicular density of a scalp, follicles (so impressions at 100 %) per cm²: about 70–100 (≈ 1 mm
/// apart).
pub const NATURAL_DENSITY_CM2: (f64, f64) = (70.0, 100.0);

impl Plan {
    /// Whether the client keeps their own hair and the impressions lie among it ([`crate::hair_wear`]:
    /// a Ludwig or diffuse-thinning design), not a shaved head.
    pub fn keeps_hair(&self) -> bool {
        crate::hair_wear(self.zones.iter().map(|z| &z.spec)) == crate::HairWear::AsWorn
    }

    /// Total estimated needle time, hours.
    pub fn total_hours(&self) -> f64 {
        self.sessions.iter().map(|s| s.hours).sum()
    }
    /// In words, for a session whose needle time is more than one sitting ([`SITTING_HOURS`]): how many sittings
    /// it takes and what to change (outside probe s30: sessions of 10–12 needle-hours passed without a word).
    pub fn session_sitting_note(&self, k: usize) -> Option<String> {
        let s = self.sessions.iter().find(|s| s.index == k)?;
        if s.hours <= SITTING_HOURS {
            return None;
        }
        let sittings = (s.hours / SITTING_HOURS).ceil();
        // More sessions only while the course has room for them (probe s33b: said at 8 of 8).
        let more = if self.sessions.len() < MAX_SESSIONS {
            ", or plan more sessions"
        } else {
            ""
        };
        // Said as the sittings to book, not as a fault (outside tests s51, s52: the default Norwood VI design
        // read as one the software itself says cannot be done; a full head is 20–30 h of work, GUIDE §4).
        Some(format!(
            "{:.1} h of needle work, more than one sitting holds (about {SITTING_HOURS:.0} h): book it as {sittings:.0} sittings of up to {:.1} h, a day or two apart{more}",
            s.hours,
            // Each sitting's share, up to the next half hour (a booking's unit).
            (s.hours / sittings * 2.0).ceil() / 2.0
        ))
    }
    /// Cumulative fraction of zone `z` after session `k` (1-based).
    pub fn zone_fraction(&self, z: usize, k: usize) -> f64 {
        self.zones[z]
            .spec
            .fraction_at(&self.design.cumulative_fractions, k)
    }
    /// Density of zone `z` at 100 % averaged over its whole area, impressions per cm²: the target where the
    /// zone is at full density, less where the hairline's ramp or a feathered border thins it (more where a
    /// border rises toward a denser neighbour). What the zone's impressions ÷ area come to after the last
    /// session.
    pub fn zone_average_density_cm2(&self, z: usize) -> f64 {
        let area = self.field.zone_area_mm2.get(z).copied().unwrap_or(0.0);
        if area <= 0.0 {
            return 0.0;
        }
        self.zones[z].spec.target_density_cm2() * self.field.zone_weighted_area_mm2[z] / area
    }
    /// Per zone, where it ends in a hard edge against the scalp of a pattern zone the design leaves out
    /// (`treated = false`), in words for the practitioner (`None` for a zone without one; see
    /// `field::edges`).
    pub fn zone_edge_notes(&self) -> Vec<Option<String>> {
        let edges = self.field.hard_edges(&self.design.zones);
        // No pattern zone at all (`scars-only`): the scars end against the client's own hair all round.
        let own_hair_all_round = !self
            .design
            .zones
            .iter()
            .any(|z| matches!(z.region, crate::design::Region::Builtin(_)));
        (0..self.zones.len())
            .map(|z| crate::field::hard_edge_note(&edges, z, own_hair_all_round))
            .collect()
    }
    /// When the designed hairline sits where a client would not see it as a front edge, in words for the
    /// practitioner ([`crate::hairline::place_note`]); said on the hairline zone, `None` for other zones.
    pub fn hairline_place_note(&self, z: usize) -> Option<String> {
        let zone = self.zones.get(z)?;
        if zone.spec.kind != ZoneKind::Hairline {
            return None;
        }
        crate::hairline::place_note(&self.head, &self.landmarks, &self.design.hairline)
    }
    /// When a zone of the pattern (not one drawn by hand) is left so small on this head that it cannot read
    /// as a zone of its own, in words for the practitioner: on a small head the hairline zone and the
    /// neighbours the pattern draws at fixed distances take most of it (outside probe s22: a Norwood 3 on a
    /// 160 × 120 mm head left the frontal zone 1.4 cm² without a word). `None` for other zones.
    pub fn zone_size_note(&self, z: usize) -> Option<String> {
        let zone = self.zones.get(z)?;
        let of_pattern = matches!(zone.spec.region, Region::Builtin(_));
        let counted = matches!(zone.spec.kind, ZoneKind::Density | ZoneKind::Blend);
        (of_pattern && counted && zone.area_cm2 > 0.0 && zone.area_cm2 < SMALL_ZONE_CM2).then(|| {
            format!(
                "only {:.1} cm² of this zone is left on this head (the hairline zone and its neighbours take \
                 the rest): too small to read as a zone of its own; check the hairline's height and zone \
                 width for this head size, or leave the zone out (`treated = false`)",
                zone.area_cm2
            )
        })
    }
    /// When a treated zone's density is far from what shaved hair reads as, in words for the practitioner: above
    /// [`NATURAL_DENSITY_CM2`]'s top the impressions merge into a flat shadow, below a fifth of its bottom a
    /// density zone reads as scattered dots (outside probe s30: 200/cm² beside 5/cm², a typing slip, passed
    /// without a word). Blend zones, which only scatter a light shadow, and scars, tone-matched, are left out.
    pub fn zone_plausibility_note(&self, z: usize) -> Option<String> {
        let spec = &self.zones.get(z)?.spec;
        if !matches!(spec.kind, ZoneKind::Density | ZoneKind::Hairline) {
            return None;
        }
        let (lo, hi) = NATURAL_DENSITY_CM2;
        let d = spec.density_cm2;
        if d > hi * 1.2 {
            Some(format!(
                "{} impressions per cm² is denser than natural hair (about {lo:.0}–{hi:.0} per cm²): impressions this close merge into a flat shadow; check the number",
                crate::words::number(d)
            ))
        } else if d < lo / 5.0 {
            Some(format!(
                "{} impressions per cm² reads as scattered dots, not as shaved hair (natural hair is about {lo:.0}–{hi:.0} per cm²); check the number, or make the zone a blend",
                crate::words::number(d)
            ))
        } else {
            None
        }
    }
    /// How scar zone `z` was tone-matched to the scalp around it, in words for the practitioner (`None` for
    /// other zones; `tone::tone_note`).
    pub fn zone_tone_note(&self, z: usize) -> Option<String> {
        crate::tone::tone_note(&self.field, &self.design.zones, z)
    }
    /// Why zone `z`'s average density differs from its target, in words for the practitioner (`None` when
    /// they agree within 5 %), e.g. "80/cm² behind the 8 mm transition; 56/cm² averaged over the zone,
    /// which includes the ramp from the line and the strays ahead of it".
    pub fn zone_density_note(&self, z: usize) -> Option<String> {
        let spec = &self.zones[z].spec;
        let (target, avg) = (spec.target_density_cm2(), self.zone_average_density_cm2(z));
        let ramp = self
            .field
            .zone_ramp
            .get(z)
            .copied()
            .unwrap_or(crate::feather::DensityRamp::NONE);
        if spec.kind == ZoneKind::Density && ramp.depth > 0.0 {
            let width = crate::feather::STEP_FEATHER_MM;
            return Some(if ramp.depth >= 0.995 {
                format!(
                    "{avg:.0}/cm² averaged over the zone: it thins toward its lighter neighbours' density \
                     within {width:.0} mm of them, down to {:.0}/cm² where it comes nearest them, and is \
                     {:.1} % denser elsewhere to keep its count, its impressions a little smaller there so \
                     its tone holds",
                    ramp.lowest * target,
                    (ramp.carry - 1.0) * 100.0
                )
            } else {
                format!(
                    "{avg:.0}/cm² averaged over the zone: toward its lighter neighbours its density goes only \
                     {:.0} % of the way down to theirs over the last {width:.0} mm (the zone is too small for \
                     its border with them to make up more without crowding its impressions), and its \
                     impressions shrink there so the tone still fades; make the zone larger or the \
                     densities closer for a full density ramp",
                    ramp.depth * 100.0
                )
            });
        }
        if target <= 0.0 || (avg / target - 1.0).abs() < 0.05 {
            return None;
        }
        // The hairline band (designed, or a Ludwig head's own as retained hair) ramps in from its line.
        let band = spec.kind == ZoneKind::Hairline
            || spec.region == Region::Builtin(crate::design::BuiltinZone::Hairline);
        Some(match spec.kind {
            _ if band => format!(
                "{target:.0}/cm² behind the {:.0} mm transition; {avg:.0}/cm² averaged over the zone, \
                 which includes the ramp from the line, the strays ahead of it and its temple ends",
                self.design.hairline.transition_mm
            ),
            _ if avg < target => format!(
                "{target:.0}/cm² inside the zone; {avg:.0}/cm² averaged over it, which includes its \
                 feathered edges"
            ),
            _ => format!(
                "{target:.0}/cm² inside the zone; {avg:.0}/cm² averaged over it, which includes the ramp \
                 up to its denser neighbours"
            ),
        })
    }
}
