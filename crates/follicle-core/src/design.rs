//! What the practitioner decides: the design of a case (head, hairline, zones, sessions, seed), as plain
//! validated values. The case file format lives at the edge (follicle-case) and produces these.

use crate::geom::Vec3;
use crate::head::HeadMeasurements;

/// How a zone is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoneKind {
    /// Uniform target density (frontal, mid-scalp, crown, user density areas).
    Density,
    /// The hairline band with its irregular transition.
    Hairline,
    /// Scar camouflage, usually on its own schedule.
    Scar,
    /// Fills among existing hair (sides/back, temples), reduced by the existing coverage.
    Blend,
    /// Never pigmented (a mole, a birthmark).
    Exclusion,
}

impl ZoneKind {
    /// Parses a plan.json kind name.
    pub fn from_name(s: &str) -> Option<Self> {
        [
            ZoneKind::Density,
            ZoneKind::Hairline,
            ZoneKind::Scar,
            ZoneKind::Blend,
            ZoneKind::Exclusion,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
    /// The plan.json name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Density => "density",
            ZoneKind::Hairline => "hairline",
            ZoneKind::Scar => "scar",
            ZoneKind::Blend => "blend",
            ZoneKind::Exclusion => "exclusion",
        }
    }
}

/// Needle configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeedleConfig {
    /// Single round-liner: soft, fine impressions (hairline).
    Rl1,
    /// Three-point round-liner: fuller impressions (density).
    Rl3,
}

impl NeedleConfig {
    /// Parses "1RL" / "3RL" (any case).
    pub fn from_name(s: &str) -> Option<Self> {
        [NeedleConfig::Rl1, NeedleConfig::Rl3]
            .into_iter()
            .find(|n| n.as_str().eq_ignore_ascii_case(s))
    }
    /// The name practitioners write ("1RL", "3RL").
    pub fn as_str(self) -> &'static str {
        match self {
            NeedleConfig::Rl1 => "1RL",
            NeedleConfig::Rl3 => "3RL",
        }
    }
    /// Impressions per hour of needle work with this configuration (docs/case-format.md explains the figure).
    pub fn impressions_per_hour(self) -> f64 {
        match self {
            NeedleConfig::Rl1 => 900.0,
            NeedleConfig::Rl3 => 1300.0,
        }
    }
    /// Healed impression diameter range as fractions of the needle diameter.
    pub fn healed_fraction_range(self) -> (f64, f64) {
        match self {
            NeedleConfig::Rl1 => (0.55, 0.85),
            NeedleConfig::Rl3 => (0.75, 1.0),
        }
    }
}

/// A needle: configuration and diameter of one needle point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Needle {
    /// 1RL or 3RL.
    pub config: NeedleConfig,
    /// Diameter of one needle point, mm (0.18–0.30).
    pub diameter_mm: f64,
}

/// Built-in zones derived from the head and the hairline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinZone {
    /// The hairline band (2–4 cm) with its transition.
    Hairline,
    /// The front of the top behind the hairline band.
    Frontal,
    /// The middle of the top.
    MidScalp,
    /// Around the crown whorl.
    Crown,
    /// In front of the ears below the temporal peaks.
    Temples,
    /// Above and behind the ears.
    Sides,
    /// The occipital area down to the nape.
    Back,
}

impl BuiltinZone {
    /// Every built-in zone, in priority order.
    pub const ALL: [BuiltinZone; 7] = [
        BuiltinZone::Hairline,
        BuiltinZone::Crown,
        BuiltinZone::Frontal,
        BuiltinZone::MidScalp,
        BuiltinZone::Temples,
        BuiltinZone::Sides,
        BuiltinZone::Back,
    ];
    /// The zone id used in files.
    pub fn id(self) -> &'static str {
        match self {
            BuiltinZone::Hairline => "hairline",
            BuiltinZone::Frontal => "frontal",
            BuiltinZone::MidScalp => "mid_scalp",
            BuiltinZone::Crown => "crown",
            BuiltinZone::Temples => "temples",
            BuiltinZone::Sides => "sides",
            BuiltinZone::Back => "back",
        }
    }
    /// Looks a built-in zone up by id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|z| z.id() == id)
    }
    /// The zone's name as practitioners say it (screens and printouts; files keep [`BuiltinZone::id`]).
    pub fn words(self) -> &'static str {
        match self {
            BuiltinZone::MidScalp => "mid-scalp",
            z => z.id(),
        }
    }
}

/// A zone's name for people: a built-in zone's [`BuiltinZone::words`] ("mid-scalp" for `mid_scalp`), any other
/// zone's id as the practitioner named it.
pub fn zone_words(id: &str) -> &str {
    match BuiltinZone::from_id(id) {
        Some(z) => z.words(),
        None => id,
    }
}

/// Where a zone lies on the scalp.
#[derive(Clone, Debug, PartialEq)]
pub enum Region {
    /// A built-in region.
    Builtin(BuiltinZone),
    /// A closed polygon of surface points (head frame, mm), listed around its border.
    Polygon(Vec<Vec3>),
}

/// One zone of the design with everything the sampler and the exports need.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneSpec {
    /// Identifier shown in files and tables.
    pub id: String,
    /// How it is treated.
    pub kind: ZoneKind,
    /// Where it lies.
    pub region: Region,
    /// Impressions per cm² at 100 % before the existing-hair reduction.
    pub density_cm2: f64,
    /// Fraction (0–1) of the natural look already given by existing hair; reduces the density to add.
    pub coverage: f64,
    /// Needle used in this zone.
    pub needle: Needle,
    /// Pigment / shade name.
    pub shade: String,
    /// Pigment strength per session (0–1; 1 = undiluted). Shorter than the session count: the last repeats.
    pub dilution: Vec<f64>,
    /// Own cumulative schedule (one fraction per session), instead of the plan's.
    pub cumulative_fractions: Option<Vec<f64>>,
}

impl ZoneSpec {
    /// Target density at 100 % after the existing-hair reduction, impressions per cm².
    pub fn target_density_cm2(&self) -> f64 {
        if self.kind == ZoneKind::Exclusion {
            0.0
        } else {
            self.density_cm2 * (1.0 - self.coverage)
        }
    }
    /// Cumulative fraction of this zone after session `k` (1-based), given the plan-wide schedule.
    ///
    /// A zone's own schedule is fitted to the plan's number of sessions: shorter, its last fraction
    /// holds; longer (a scar's three-session schedule in a one- or two-session plan), the plan's last
    /// session takes the zone's last fraction, so a zone is never left short of its full density when the
    /// plan ends (the sessions before keep the zone's own front-loaded steps).
    pub fn fraction_at(&self, plan_fractions: &[f64], k: usize) -> f64 {
        let Some(f) = self.cumulative_fractions.as_deref() else {
            return plan_fractions
                .get((k.max(1) - 1).min(plan_fractions.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0.0);
        };
        let Some(&last) = f.last() else {
            return 0.0;
        };
        if k >= plan_fractions.len() || k >= f.len() {
            return last;
        }
        f[k.max(1) - 1]
    }
    /// This zone's own schedule fitted to a plan of `plan_fractions` (one fraction per session, as
    /// [`ZoneSpec::fraction_at`] gives them); `None` for a zone that follows the plan's.
    pub fn fitted_schedule(&self, plan_fractions: &[f64]) -> Option<Vec<f64>> {
        self.cumulative_fractions.as_ref()?;
        Some(
            (1..=plan_fractions.len())
                .map(|k| self.fraction_at(plan_fractions, k))
                .collect(),
        )
    }
    /// Pigment strength used in session `k` (1-based).
    pub fn dilution_at(&self, k: usize) -> f64 {
        if self.dilution.is_empty() {
            return 1.0;
        }
        self.dilution[(k - 1).min(self.dilution.len() - 1)]
    }
    /// The strengths of a plan of `sessions` sessions, one per session (a shorter list's last strength
    /// holds for the later ones; a longer list keeps its later strengths for touch-ups).
    pub fn dilution_per_session(&self, sessions: usize) -> Vec<f64> {
        (1..=sessions.max(self.dilution.len()))
            .map(|k| self.dilution_at(k))
            .collect()
    }
    /// The shade label written on each impression in session `k`.
    pub fn shade_label(&self, k: usize) -> String {
        format!("{} {:.0}%", self.shade, self.dilution_at(k) * 100.0)
    }
}

/// Overall shape of the hairline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HairlineStyle {
    /// Low, straight across, corners kept forward.
    Juvenile,
    /// Follows the Garg points directly.
    Straight,
    /// Receded temples, rounded centre: the age-appropriate choice for most adult men.
    Mature,
}

impl HairlineStyle {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            HairlineStyle::Juvenile => "juvenile",
            HairlineStyle::Straight => "straight",
            HairlineStyle::Mature => "mature",
        }
    }
    /// Parses a style name.
    pub fn from_name(s: &str) -> Option<Self> {
        [
            HairlineStyle::Juvenile,
            HairlineStyle::Straight,
            HairlineStyle::Mature,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// How sharp the front edge of the hairline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HairlineEdge {
    /// Wide, sparse transition with scattered single impressions ahead of the line.
    Soft,
    /// Narrow transition, few strays.
    Defined,
}

impl HairlineEdge {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            HairlineEdge::Soft => "soft",
            HairlineEdge::Defined => "defined",
        }
    }
    /// Parses an edge name.
    pub fn from_name(s: &str) -> Option<Self> {
        [HairlineEdge::Soft, HairlineEdge::Defined]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// The practitioner's hairline choices.
#[derive(Clone, Debug, PartialEq)]
pub struct HairlineDesign {
    /// Arc from the glabella to the mid-frontal point, mm (70 aggressive – 100 conservative; Garg: 80).
    pub mid_frontal_mm: f64,
    /// Overall shape.
    pub style: HairlineStyle,
    /// Edge softness.
    pub edge: HairlineEdge,
    /// Extra frontotemporal recession: the frontotemporal points move this far back, mm.
    pub recession_mm: f64,
    /// Depth of the hairline zone behind the line, mm (20–40).
    pub zone_width_mm: f64,
    /// Depth of the irregular transition at the front of the zone, mm (5–10).
    pub transition_mm: f64,
    /// Strength of the micro- and macro-irregularity, 0 (none) to 1 (strong).
    pub irregularity: f64,
    /// Hand-placed control points (right temporal peak to left temporal peak); replace the computed ones.
    pub control_points: Option<Vec<Vec3>>,
}

impl Default for HairlineDesign {
    fn default() -> Self {
        Self {
            mid_frontal_mm: 80.0,
            style: HairlineStyle::Mature,
            edge: HairlineEdge::Soft,
            recession_mm: 8.0,
            zone_width_mm: 25.0,
            transition_mm: 8.0,
            irregularity: 0.5,
            control_points: None,
        }
    }
}

impl HairlineDesign {
    /// The starting hairline for a client of `sex`: the default above for a man; for a woman a lower line
    /// without the frontotemporal recession. A woman's hairline keeps its frontotemporal angles, rounded
    /// across the front, where a man's recedes at the corners (outside probe s22: a Ludwig II design drew
    /// her hairline with a man's receded corners), and it is her own natural line, not Garg's mature
    /// reconstruction for men: [`FEMALE_MID_FRONTAL_MM`] (outside test s53: a woman's design started at a
    /// man's 80 mm).
    pub fn for_sex(sex: crate::head::Sex) -> HairlineDesign {
        match sex {
            crate::head::Sex::Male => HairlineDesign::default(),
            crate::head::Sex::Female => HairlineDesign {
                mid_frontal_mm: FEMALE_MID_FRONTAL_MM,
                recession_mm: 0.0,
                ..HairlineDesign::default()
            },
        }
    }
}

/// Hair-loss pattern that picks the treated zones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Norwood–Hamilton stage 2–7 (male pattern).
    Norwood(u8),
    /// Ludwig grade 1–3 (female diffuse thinning).
    Ludwig(u8),
    /// Everything on the scalp at full density (shaved full-scalp look, scalp-wide benchmarks).
    FullScalp,
    /// No pattern zone: only the scars (and exclusions) the design draws are treated, the rest of the head is
    /// the client's own hair left as it is (scar camouflage for a client who is not losing hair; outside test
    /// s55: a scar-only repair became 500 cm² of blend over healthy hair).
    ScarsOnly,
}

/// A complete design: everything needed to compute a Plan, deterministic for its seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// Head measurements.
    pub head: HeadMeasurements,
    /// Hairline choices.
    pub hairline: HairlineDesign,
    /// The zones, in priority order (earlier zones win where regions overlap).
    pub zones: Vec<ZoneSpec>,
    /// Plan-wide cumulative fraction after each session (non-decreasing, last usually 1.0).
    pub cumulative_fractions: Vec<f64>,
    /// Seed for every random choice.
    pub seed: u64,
    /// The client's sex when the design states it (a case's `[head] sex`): the face the preview's mannequin
    /// wears. Planning never reads it (the measurements in `head` are what count); `None` for designs and
    /// saved plans that do not say, which preview as the median man.
    pub sex: Option<crate::head::Sex>,
}

/// Accepted mid-frontal heights (glabella arc), mm: Garg's 70 aggressive – 100 conservative, with margin
/// (at most 105 along the forehead: the plan contract's glabella–mid-frontal chord is 55–105 mm, GUIDE §3).
pub const MID_FRONTAL_RANGE_MM: (f64, f64) = (60.0, 105.0);
/// A woman's starting mid-frontal height, mm: the natural female hairline, 6.2 cm above the glabella on
/// average (6.65 cm in men; Kashiyama et al. 2021, Plast Reconstr Surg Glob Open 9:e3751, 456 subjects).
/// Diffuse thinning (Ludwig) keeps this line; Garg's 80 mm is a man's mature hairline rebuilt after recession.
pub const FEMALE_MID_FRONTAL_MM: f64 = 62.0;
/// Accepted hairline zone depths, mm (a 2–4 cm zone; Shapiro).
pub const ZONE_WIDTH_RANGE_MM: (f64, f64) = (20.0, 40.0);
/// Accepted transition depths, mm (the front 0.5–1 cm of the zone).
pub const TRANSITION_RANGE_MM: (f64, f64) = (5.0, 10.0);
/// Accepted hairline irregularity (0 none – 1 strong).
pub const IRREGULARITY_RANGE: (f64, f64) = (0.0, 1.0);
/// Accepted extra frontotemporal recession, mm.
pub const RECESSION_RANGE_MM: (f64, f64) = (0.0, 30.0);
/// Accepted needle point diameters, mm (SMP needles are 0.18–0.30 mm).
pub const NEEDLE_DIAMETER_RANGE_MM: (f64, f64) = (0.15, 0.40);

/// Whether `v` lies in the inclusive range `r`.
pub fn within(v: f64, r: (f64, f64)) -> bool {
    v >= r.0 && v <= r.1
}

/// The one rule for a cumulative schedule: fractions between 0 and 2, never decreasing, the last above 0
/// (a zone may start in a later session with 0 before it). The message numbers sessions from 1.
pub fn check_fractions(fr: &[f64]) -> Result<(), String> {
    check_fractions_up_to(fr, crate::plan::MAX_CUMULATIVE_FRACTION)
}

/// [`check_fractions`] with each fraction at most `max`.
fn check_fractions_up_to(fr: &[f64], max: f64) -> Result<(), String> {
    let mut last = 0.0;
    for (i, &f) in fr.iter().enumerate() {
        if !(0.0..=max).contains(&f) || f < last {
            return Err(format!(
                "fraction {} ({}) must lie between 0 and {} and never below the one before",
                i + 1,
                crate::words::number(f),
                crate::words::number(max)
            ));
        }
        last = f;
    }
    if last <= 0.0 {
        return Err("at least one session, and the last cumulative fraction above 0".into());
    }
    Ok(())
}

/// The most sessions a course (or a zone's own schedule) lists.
pub const MAX_COURSE_SESSIONS: usize = 8;

/// The rule for a course as a case types it: [`check_zone_fractions`], and every session adds to the one
/// before (a session whose fraction equals the previous one, or a first session at 0, would book the client
/// for a visit with nothing to do).
pub fn check_course_fractions(fr: &[f64]) -> Result<(), String> {
    check_zone_fractions(fr)?;
    let mut before = 0.0;
    for (i, &f) in fr.iter().enumerate() {
        if f <= before {
            return Err(if i == 0 {
                "session 1 reaches 0 % of the density: it would have nothing to do; start the course with \
                 the first session's share (e.g. 0.3)"
                    .to_string()
            } else {
                format!(
                    "session {} reaches {} % like session {i}: it would have nothing to do; each session of a \
                     course adds to the one before",
                    i + 1,
                    crate::words::number(f * 100.0)
                )
            });
        }
        before = f;
    }
    Ok(())
}

/// The rule for a zone's own schedule as a case types it: [`check_fractions`], at most
/// [`MAX_COURSE_SESSIONS`] fractions, and the last session reaches at most 1 (100 % of the zone's density;
/// a zone may be done before the course ends). Only a touch-up added to a saved plan (`plan::extend`) goes
/// beyond.
pub fn check_zone_fractions(fr: &[f64]) -> Result<(), String> {
    if fr.len() > MAX_COURSE_SESSIONS {
        return Err(format!(
            "{} sessions listed: a course has 1 to {MAX_COURSE_SESSIONS}; touch-ups are added later to a saved \
             plan (`follicle plan --extend`)",
            fr.len()
        ));
    }
    if let Some(&last) = fr.last().filter(|&&l| l > 1.0) {
        return Err(format!(
            "the last session reaches {:.0} % of the full density: a course ends at 100 % at most (1.0); \
             add touch-ups later to a saved plan (`follicle plan --extend`)",
            last * 100.0
        ));
    }
    check_fractions_up_to(fr, 1.0)
}

/// The default cumulative schedule for `n` sessions (30/70/100 % for three, Liu et al. 2025).
pub fn default_fractions(n: usize) -> Vec<f64> {
    match n {
        0 => vec![],
        1 => vec![1.0],
        2 => vec![0.5, 1.0],
        3 => vec![0.3, 0.7, 1.0],
        4 => vec![0.25, 0.55, 0.8, 1.0],
        _ => (1..=n).map(|k| k as f64 / n as f64).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::user_zone;

    fn scar(own: Option<Vec<f64>>) -> ZoneSpec {
        let mut z = user_zone("scar", ZoneKind::Scar, Region::Polygon(vec![]));
        z.cumulative_fractions = own;
        z
    }

    /// The zone's fraction after each session of a plan of `n` sessions (default schedule).
    fn course(z: &ZoneSpec, n: usize) -> Vec<f64> {
        let plan = default_fractions(n);
        (1..=n).map(|k| z.fraction_at(&plan, k)).collect()
    }

    #[test]
    fn a_zone_without_its_own_schedule_follows_the_plan() {
        for n in 1..=8 {
            assert_eq!(course(&scar(None), n), default_fractions(n));
        }
    }

    #[test]
    fn a_zone_schedule_longer_than_the_plan_ends_at_its_own_last_fraction() {
        let z = scar(Some(vec![0.5, 0.85, 1.0]));
        assert_eq!(course(&z, 1), [1.0]);
        assert_eq!(course(&z, 2), [0.5, 1.0]);
        assert_eq!(course(&z, 3), [0.5, 0.85, 1.0]);
        // Shorter than the plan: its last fraction holds.
        assert_eq!(course(&z, 5), [0.5, 0.85, 1.0, 1.0, 1.0]);
        // Never decreasing, and always ending where the zone's own schedule ends.
        let odd = scar(Some(vec![0.2, 0.4, 0.6, 0.9]));
        for n in 1..=8 {
            let c = course(&odd, n);
            assert!(c.windows(2).all(|w| w[0] <= w[1]), "{n}: {c:?}");
            assert_eq!(c.last(), Some(&0.9), "{n}");
        }
    }
}
