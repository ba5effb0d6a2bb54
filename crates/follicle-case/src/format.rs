//! The serde shape of case.toml (every table rejects unknown fields).

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole case file.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// Seed for every random choice (default 42).
    pub seed: Option<u64>,
    /// Number of sessions with the default schedule.
    pub sessions: Option<usize>,
    /// Explicit cumulative schedule.
    pub cumulative_fractions: Option<Vec<f64>>,
    /// Hair-loss pattern (default norwood-6).
    pub pattern: Option<String>,
    /// Who the case is for.
    pub client: Option<Client>,
    /// Head measurements.
    pub head: Option<HeadSection>,
    /// Hairline choices.
    pub hairline: Option<HairlineSection>,
    /// Overrides of built-in zones, by id.
    #[serde(default)]
    pub zones: BTreeMap<String, ZoneStyle>,
    /// User zones (polygons).
    #[serde(default)]
    pub zone: Vec<UserZone>,
}

/// Client label.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Name or reference shown on the stencil.
    pub name: String,
}

/// `[head]`.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct HeadSection {
    /// "male" or "female": picks the median defaults.
    pub sex: Option<String>,
    /// Glabella to back of skull, mm.
    pub length_mm: Option<f64>,
    /// Maximum breadth, mm.
    pub breadth_mm: Option<f64>,
    /// Tragion to top of head, mm.
    pub height_mm: Option<f64>,
    /// Maximum circumference, mm.
    pub circumference_mm: Option<f64>,
    /// Glabella above tragion level, mm.
    pub glabella_height_mm: Option<f64>,
    /// Interpupillary distance, mm.
    pub interpupillary_mm: Option<f64>,
}

/// `[hairline]`.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct HairlineSection {
    /// Glabella to mid-frontal point, mm.
    pub mid_frontal_height_mm: Option<f64>,
    /// juvenile | straight | mature.
    pub style: Option<String>,
    /// soft | defined.
    pub edge: Option<String>,
    /// Extra frontotemporal recession, mm.
    pub recession_mm: Option<f64>,
    /// Hairline zone depth, mm.
    pub zone_width_mm: Option<f64>,
    /// Transition depth, mm.
    pub transition_mm: Option<f64>,
    /// 0–1.
    pub irregularity: Option<f64>,
    /// Hand-placed control points, right temporal peak to left.
    pub control_points: Option<Vec<Vec<f64>>>,
}

/// Per-zone settings (built-in overrides and user zones).
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct ZoneStyle {
    /// Treat (true) or skip (false) a built-in zone.
    pub treated: Option<bool>,
    /// Impressions per cm² at 100 %.
    pub density_cm2: Option<f64>,
    /// Existing-hair coverage fraction.
    pub coverage: Option<f64>,
    /// 1RL | 3RL.
    pub needle: Option<String>,
    /// Needle point diameter, mm.
    pub needle_diameter_mm: Option<f64>,
    /// Pigment name.
    pub shade: Option<String>,
    /// Pigment strength per session.
    pub dilution: Option<Vec<f64>>,
    /// Own cumulative schedule.
    pub cumulative_fractions: Option<Vec<f64>>,
}

/// `[[zone]]`: a polygon zone.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct UserZone {
    /// Identifier.
    pub id: String,
    /// scar | exclusion | existing-hair | density.
    pub kind: String,
    /// Border points.
    pub polygon: Vec<Vec<f64>>,
    /// Settings.
    #[serde(flatten)]
    pub style: ZoneStyle,
}
