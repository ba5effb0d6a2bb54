//! plan.json, version 1: the serialisable counterpart of a Plan, written byte-for-byte deterministically,
//! and read back (with the design it came from) to extend a plan by a touch-up session. The reader ignores
//! fields it does not know: other tools may add fields (GUIDE §2).

use crate::num::{push_json_f64, push_r4_json, r4};
use follicle_core::design::{
    BuiltinZone, Design, HairlineDesign, HairlineEdge, HairlineStyle, Needle, NeedleConfig, Region,
    ZoneKind, ZoneSpec,
};
use follicle_core::plan::{FixedImpression, Plan};
use follicle_core::{HeadMeasurements, Sex, Vec3};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn p4(p: Vec3) -> [f64; 3] {
    [r4(p.x), r4(p.y), r4(p.z)]
}

/// The whole file.
#[derive(Serialize, Deserialize, Debug)]
pub struct PlanJson {
    /// Always "follicle-plan".
    pub format: String,
    /// Contract version (1).
    pub version: u32,
    /// Always "mm".
    pub units: String,
    /// Seed of every random choice.
    pub seed: u64,
    /// The client the plan is for, as the case names them (absent when it does not, and in plans the studio
    /// stores, which keep it with the client record): a touch-up planned from this file alone keeps their
    /// name on its stencil.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Head measurements used.
    pub head: HeadJson,
    /// Named landmarks, head frame, mm.
    pub landmarks: BTreeMap<String, [f64; 3]>,
    /// The hairline border, right temporal peak to left (empty when not treated).
    pub hairline: Vec<[f64; 3]>,
    /// The hairline's Garg points as designed (`Hairline::garg_points`: hand-placed, or the landmarks moved
    /// back by the recession), by landmark name; absent without a hairline and in older files.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hairline_points: BTreeMap<String, [f64; 3]>,
    /// Zones with statistics.
    pub zones: Vec<ZoneJson>,
    /// Sessions with statistics.
    pub sessions: Vec<SessionJson>,
    /// The design, so the plan can be extended without the case file.
    pub design: DesignJson,
    /// Every impression.
    pub impressions: Vec<ImpressionJson>,
}

/// Head measurements, mm.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct HeadJson {
    /// Glabella to back of the skull.
    pub length_mm: f64,
    /// Maximum breadth.
    pub breadth_mm: f64,
    /// Tragion to top of head.
    pub height_mm: f64,
    /// Glabella above tragion level.
    pub glabella_height_mm: f64,
    /// Interpupillary distance.
    pub interpupillary_mm: f64,
    /// Derived maximum circumference.
    pub circumference_mm: f64,
    /// The client's sex when the design states it (`male` | `female`): the face the mannequin preview
    /// wears. Absent in older files and when the case does not say (the preview then shows the median man).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sex: Option<String>,
}

/// One zone.
#[derive(Serialize, Deserialize, Debug)]
pub struct ZoneJson {
    /// Zone id.
    pub id: String,
    /// density | hairline | scar | blend | exclusion.
    pub kind: String,
    /// Surface area, cm².
    pub area_cm2: f64,
    /// Density at 100 % inside the zone, impressions per cm² (after existing-hair reduction).
    pub target_density_cm2: f64,
    /// Impressions after the last session.
    pub impressions: usize,
    /// Cumulative impressions after each session.
    pub cumulative_impressions: Vec<usize>,
    /// The zone's own schedule, when it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cumulative_fractions: Option<Vec<f64>>,
    /// Needle configuration (absent for an exclusion: no pigment goes there).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub needle: Option<String>,
    /// Needle point diameter, mm (absent for an exclusion).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub needle_diameter_mm: Option<f64>,
    /// Pigment name (absent for an exclusion).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shade: Option<String>,
    /// Pigment strength per session (absent for an exclusion).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dilution: Option<Vec<f64>>,
    /// Existing-hair coverage fraction (absent for an exclusion).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub coverage: Option<f64>,
    /// Estimated needle time for the zone's impressions over all sessions, hours (absent in older files).
    #[serde(default)]
    pub hours: f64,
    /// Density at 100 % averaged over the whole zone, per cm² (below the target where the hairline's ramp
    /// or feathered edges thin it; absent in older files).
    #[serde(default)]
    pub average_density_cm2: f64,
    /// Why the average differs from the target, in words (follicle-core's `Plan::zone_density_note`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub density_note: Option<String>,
    /// Where the zone ends in a hard edge against scalp the design leaves out, in words (follicle-core's
    /// `Plan::zone_edge_notes`; absent when it has none).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub edge_note: Option<String>,
    /// How a scar zone was tone-matched to the scalp around it, in words (follicle-core's
    /// `Plan::zone_tone_note`; absent for other zones).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tone_note: Option<String>,
    /// When a zone of the pattern is left too small on this head to read as a zone, or the hairline zone's
    /// line sits where it will not show as a front edge, in words (follicle-core's `Plan::zone_size_note`
    /// and `Plan::hairline_place_note`; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub size_note: Option<String>,
}

/// One session.
#[derive(Serialize, Deserialize, Debug)]
pub struct SessionJson {
    /// From 1.
    pub index: usize,
    /// Plan-wide cumulative fraction.
    pub cumulative_fraction: f64,
    /// Impressions placed in this session.
    pub impressions: usize,
    /// Estimated needle time, hours.
    pub hours: f64,
    /// When the session's needle time is more than one sitting, in words (follicle-core's
    /// `Plan::session_sitting_note`; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sitting_note: Option<String>,
}

/// One impression.
#[derive(Serialize, Deserialize, Debug)]
pub struct ImpressionJson {
    /// Position on the scalp, mm.
    pub p: [f64; 3],
    /// Zone id.
    pub zone: String,
    /// Session from 1.
    pub session: usize,
    /// Healed diameter, mm.
    pub diameter_mm: f64,
    /// 1RL | 3RL.
    pub needle: String,
    /// Pigment and strength.
    pub shade: String,
}

/// The design, as saved inside plan.json.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct DesignJson {
    /// Plan-wide cumulative fractions.
    pub cumulative_fractions: Vec<f64>,
    /// Hairline choices.
    pub hairline: HairlineJson,
    /// Zones in priority order.
    pub zones: Vec<ZoneDesignJson>,
}

/// Hairline choices.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct HairlineJson {
    /// Glabella to mid-frontal arc, mm.
    pub mid_frontal_height_mm: f64,
    /// juvenile | straight | mature.
    pub style: String,
    /// soft | defined.
    pub edge: String,
    /// Extra frontotemporal recession, mm.
    pub recession_mm: f64,
    /// Hairline zone depth, mm.
    pub zone_width_mm: f64,
    /// Transition depth, mm.
    pub transition_mm: f64,
    /// 0–1.
    pub irregularity: f64,
    /// Hand-placed control points.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub control_points: Option<Vec<[f64; 3]>>,
}

/// A zone of the design.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct ZoneDesignJson {
    /// Zone id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Built-in region name, or absent for a polygon.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub builtin: Option<String>,
    /// Polygon on the surface.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub polygon: Option<Vec<[f64; 3]>>,
    /// Density at 100 % before coverage, per cm². This and the pigment settings below are absent for an
    /// exclusion, which takes no pigment (outside probe s35: a mole read as 85/cm² of 3RL in carbon black).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub density_cm2: Option<f64>,
    /// Existing-hair coverage.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub coverage: Option<f64>,
    /// 1RL | 3RL.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub needle: Option<String>,
    /// Needle point diameter, mm.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub needle_diameter_mm: Option<f64>,
    /// Pigment.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shade: Option<String>,
    /// Strength per session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dilution: Option<Vec<f64>>,
    /// Own schedule.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cumulative_fractions: Option<Vec<f64>>,
}

/// Whether a zone takes pigment (every kind but an exclusion): only such a zone's pigment settings are
/// written.
fn inked(z: &ZoneSpec) -> bool {
    z.kind != ZoneKind::Exclusion
}

fn design_json(d: &Design) -> DesignJson {
    let h = &d.hairline;
    DesignJson {
        cumulative_fractions: d.cumulative_fractions.clone(),
        hairline: HairlineJson {
            mid_frontal_height_mm: h.mid_frontal_mm,
            style: h.style.as_str().into(),
            edge: h.edge.as_str().into(),
            recession_mm: h.recession_mm,
            zone_width_mm: h.zone_width_mm,
            transition_mm: h.transition_mm,
            irregularity: h.irregularity,
            control_points: h
                .control_points
                .as_ref()
                .map(|v| v.iter().map(|p| p4(*p)).collect()),
        },
        zones: d
            .zones
            .iter()
            .map(|z| ZoneDesignJson {
                id: z.id.clone(),
                kind: z.kind.as_str().into(),
                builtin: match &z.region {
                    Region::Builtin(b) => Some(b.id().into()),
                    Region::Polygon(_) => None,
                },
                polygon: match &z.region {
                    Region::Polygon(p) => Some(p.iter().map(|p| p4(*p)).collect()),
                    Region::Builtin(_) => None,
                },
                density_cm2: inked(z).then_some(z.density_cm2),
                coverage: inked(z).then_some(z.coverage),
                needle: inked(z).then(|| z.needle.config.as_str().into()),
                needle_diameter_mm: inked(z).then_some(z.needle.diameter_mm),
                shade: inked(z).then(|| z.shade.clone()),
                dilution: inked(z).then(|| z.dilution_per_session(d.cumulative_fractions.len())),
                cumulative_fractions: z.cumulative_fractions.clone(),
            })
            .collect(),
    }
}

/// Serialises a plan as plan.json (pretty for the top level, one line per impression).
pub fn plan_to_json(plan: &Plan) -> String {
    plan_to_json_for(plan, None)
}

/// [`plan_to_json`] of a plan for the named `client` (the file's `client` field).
pub fn plan_to_json_for(plan: &Plan, client: Option<&str>) -> String {
    let mut out = plan_json_head_for(plan, client);
    out.reserve(plan.impressions.len() * 120);
    push_impression_lines(&mut out, plan, 0..plan.impressions.len());
    plan_json_tail(&mut out);
    out
}

/// plan.json up to the opening of its impressions array: everything but the impressions, which follow
/// as [`push_impression_lines`] writes them and end with [`plan_json_tail`].
pub fn plan_json_head(plan: &Plan) -> String {
    plan_json_head_for(plan, None)
}

/// [`plan_json_head`] of a plan for the named `client` (the `client` field; none for an empty name).
pub fn plan_json_head_for(plan: &Plan, client: Option<&str>) -> String {
    let m = plan.head.measurements;
    let doc = PlanJson {
        format: "follicle-plan".into(),
        version: 1,
        units: "mm".into(),
        seed: plan.design.seed,
        client: client.filter(|c| !c.is_empty()).map(str::to_owned),
        head: HeadJson {
            length_mm: m.length_mm,
            breadth_mm: m.breadth_mm,
            height_mm: m.height_mm,
            glabella_height_mm: m.glabella_height_mm,
            interpupillary_mm: m.interpupillary_mm,
            circumference_mm: r4(m.circumference_mm()),
            sex: plan.design.sex.map(|s| s.as_str().to_owned()),
        },
        landmarks: plan
            .landmarks
            .named()
            .into_iter()
            .map(|(k, p)| (k.to_string(), p4(p)))
            .collect(),
        hairline: plan
            .hairline
            .as_ref()
            .map(|h| h.polyline.iter().map(|p| p4(*p)).collect())
            .unwrap_or_default(),
        hairline_points: plan
            .hairline
            .as_ref()
            .map(|h| {
                h.garg_points()
                    .into_iter()
                    .map(|(k, p)| (k.to_string(), p4(p)))
                    .collect()
            })
            .unwrap_or_default(),
        zones: plan
            .zones
            .iter()
            .zip(plan.zone_edge_notes())
            .enumerate()
            .map(|(zi, (z, edge_note))| ZoneJson {
                id: z.spec.id.clone(),
                kind: z.spec.kind.as_str().into(),
                area_cm2: r4(z.area_cm2),
                target_density_cm2: r4(z.spec.target_density_cm2()),
                impressions: z.impressions,
                cumulative_impressions: z.cumulative.clone(),
                cumulative_fractions: z.spec.cumulative_fractions.clone(),
                needle: inked(&z.spec).then(|| z.spec.needle.config.as_str().into()),
                needle_diameter_mm: inked(&z.spec).then_some(z.spec.needle.diameter_mm),
                shade: inked(&z.spec).then(|| z.spec.shade.clone()),
                dilution: inked(&z.spec).then(|| {
                    z.spec
                        .dilution_per_session(plan.design.cumulative_fractions.len())
                }),
                coverage: inked(&z.spec).then_some(z.spec.coverage),
                hours: r4(z.impressions as f64 / z.spec.needle.config.impressions_per_hour()),
                average_density_cm2: r4(plan.zone_average_density_cm2(zi)),
                density_note: plan.zone_density_note(zi),
                edge_note,
                tone_note: plan.zone_tone_note(zi),
                size_note: plan
                    .zone_size_note(zi)
                    .or_else(|| plan.hairline_place_note(zi)),
            })
            .collect(),
        sessions: plan
            .sessions
            .iter()
            .map(|s| SessionJson {
                index: s.index,
                cumulative_fraction: s.cumulative_fraction,
                impressions: s.impressions,
                hours: r4(s.hours),
                sitting_note: plan.session_sitting_note(s.index),
            })
            .collect(),
        design: design_json(&plan.design),
        impressions: Vec::new(),
    };
    // Top level pretty-printed; impressions one compact object per line (diff-friendly, still valid JSON).
    let mut out = serde_json::to_string_pretty(&doc).expect("plan serialises");
    let tail = "  \"impressions\": []\n}";
    debug_assert!(out.ends_with(tail));
    out.truncate(out.len() - tail.len());
    out.push_str("  \"impressions\": [\n");
    out
}

/// Appends the plan.json lines of impressions `range` of `plan`, each ending in `,\n` (the last line of the
/// whole array loses its comma in [`plan_json_tail`]). A line depends only on its impression and its zone's
/// design, so the lines of sessions already placed can be written while later sessions are (sessions never
/// change earlier impressions).
pub fn push_impression_lines(out: &mut String, plan: &Plan, range: std::ops::Range<usize>) {
    // Each line is what serde_json writes for an ImpressionJson (tested against it); the text around the
    // numbers is the same for every impression of a zone in a session, so it is built once.
    let impressions = &plan.impressions[range];
    let sessions = impressions.iter().map(|m| m.session).max().unwrap_or(0);
    let json = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let parts: Vec<Vec<(String, String)>> = plan
        .zones
        .iter()
        .map(|z| {
            let z = &z.spec;
            (0..=sessions)
                .map(|k| {
                    (
                        format!(
                            "],\"zone\":{},\"session\":{k},\"diameter_mm\":",
                            json(&z.id)
                        ),
                        format!(
                            ",\"needle\":{},\"shade\":{}}},\n",
                            json(z.needle.config.as_str()),
                            json(&z.shade_label(k.max(1)))
                        ),
                    )
                })
                .collect()
        })
        .collect();
    for m in impressions {
        let (mid, tail) = &parts[m.zone][m.session];
        out.push_str("    {\"p\":[");
        push_r4_json(out, m.p.x);
        out.push(',');
        push_r4_json(out, m.p.y);
        out.push(',');
        push_r4_json(out, m.p.z);
        out.push_str(mid);
        push_json_f64(out, m.diameter_mm);
        out.push_str(tail);
    }
}

/// What closes plan.json after its impression lines.
pub const PLAN_JSON_END: &str = "  ]\n}\n";

/// Closes the impressions array written in consecutive `chunks` (pieces of [`push_impression_lines`]): the
/// last line loses its comma (its chunk is cut short) and the returned text follows the chunks.
pub fn close_impression_lines(chunks: &mut [&str]) -> &'static str {
    if let Some(last) = chunks.iter_mut().rev().find(|c| !c.is_empty()) {
        if let Some(cut) = last.strip_suffix(",\n") {
            *last = cut;
            return "\n  ]\n}\n";
        }
    }
    PLAN_JSON_END
}

/// Closes plan.json after its impression lines (the last line's comma removed).
pub fn plan_json_tail(out: &mut String) {
    if out.ends_with(",\n") {
        out.truncate(out.len() - 2);
        out.push('\n');
    }
    out.push_str(PLAN_JSON_END);
}

/// A plan read back from plan.json: its design and its impressions, ready to extend.
#[derive(Debug)]
pub struct SavedPlan {
    /// The design (seed, head, hairline, zones, schedule).
    pub design: Design,
    /// Every impression, to keep fixed.
    pub impressions: Vec<FixedImpression>,
    /// The client the plan is for, when the file names them.
    pub client: Option<String>,
}

/// Why plan.json could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON of the plan shape; carries the line and column.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json said.
        message: String,
    },
    /// JSON of the right shape with a value follicle cannot use.
    #[error("{field}: {message}")]
    Value {
        /// Which field.
        field: String,
        /// What is wrong.
        message: String,
    },
}

fn bad(field: impl Into<String>, message: impl Into<String>) -> ReadError {
    ReadError::Value {
        field: field.into(),
        message: message.into(),
    }
}

/// Largest plan.json a reader should accept, bytes: a full-scalp plan of 34,661 impressions is 4.5 MB, and a
/// whole scalp at the highest density (about 140,000 impressions) with its touch-ups stays well under this.
pub const MAX_PLAN_JSON_BYTES: usize = 64 << 20;

/// The fields that say what a file is, read before its shape is checked.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<serde_json::Value>,
}

/// A serde_json error in words: where, and what it means for someone holding the file.
fn syntax(e: &serde_json::Error) -> ReadError {
    use serde_json::error::Category;
    // serde_json ends its message with " at line L column C"; the line and column are given apart.
    let said = e.to_string();
    let said = said.split(" at line ").next().unwrap_or(&said).to_owned();
    let message = match e.classify() {
        Category::Eof => {
            "the file ends early: it was cut off (copied or saved only in part?)".to_owned()
        }
        Category::Syntax | Category::Io => format!("this is not valid JSON ({said})"),
        Category::Data => match said.strip_prefix("missing field ") {
            Some(field) => format!("the plan has no {field}: not a complete plan.json"),
            None => format!("a value is not what plan.json holds there ({said})"),
        },
    };
    ReadError::Syntax {
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Reads plan.json back.
pub fn plan_from_json(text: &str) -> Result<SavedPlan, ReadError> {
    if !text.trim_start().starts_with('{') {
        return Err(bad(
            "format",
            "not a plan.json written by follicle (it does not hold a JSON object)",
        ));
    }
    let header: Header = serde_json::from_str(text).map_err(|e| syntax(&e))?;
    if header.format.as_deref() != Some("follicle-plan") {
        return Err(bad(
            "format",
            "not a plan.json written by follicle (no `\"format\": \"follicle-plan\"`)",
        ));
    }
    match header.version.as_ref().and_then(|v| v.as_u64()) {
        Some(1) => {}
        Some(v) => {
            return Err(bad(
                "version",
                format!("written in plan format version {v}; this follicle reads version 1: use the follicle that wrote it, or plan the case again"),
            ))
        }
        None => return Err(bad("version", "the plan format version is missing or not a whole number")),
    }
    let doc: PlanJson = serde_json::from_str(text).map_err(|e| syntax(&e))?;
    if doc.units != "mm" {
        return Err(bad(
            "units",
            "a plan.json in millimetres (`\"units\": \"mm\"`) is needed",
        ));
    }
    let h = &doc.design.hairline;
    let hairline = HairlineDesign {
        mid_frontal_mm: h.mid_frontal_height_mm,
        style: HairlineStyle::from_name(&h.style).ok_or_else(|| {
            bad(
                "design.hairline.style",
                format!("unknown style `{}`", h.style),
            )
        })?,
        edge: HairlineEdge::from_name(&h.edge)
            .ok_or_else(|| bad("design.hairline.edge", format!("unknown edge `{}`", h.edge)))?,
        recession_mm: h.recession_mm,
        zone_width_mm: h.zone_width_mm,
        transition_mm: h.transition_mm,
        irregularity: h.irregularity,
        control_points: h
            .control_points
            .as_ref()
            .map(|v| v.iter().map(|&a| Vec3::from_array(a)).collect()),
    };
    let mut zones = Vec::new();
    for (i, z) in doc.design.zones.iter().enumerate() {
        let at = |f: &str| format!("design.zones[{i}].{f}");
        let region = match (&z.builtin, &z.polygon) {
            (Some(b), None) => Region::Builtin(
                BuiltinZone::from_id(b)
                    .ok_or_else(|| bad(at("builtin"), format!("unknown built-in zone `{b}`")))?,
            ),
            (None, Some(p)) => Region::Polygon(p.iter().map(|&a| Vec3::from_array(a)).collect()),
            _ => {
                return Err(bad(
                    at("builtin"),
                    "a zone has either `builtin` or `polygon`",
                ))
            }
        };
        let kind = ZoneKind::from_name(&z.kind)
            .ok_or_else(|| bad(at("kind"), format!("unknown kind `{}`", z.kind)))?;
        // An exclusion's pigment settings are not written (it takes none): it reads back as a case file
        // makes one. Older files that wrote them read the same.
        if kind == ZoneKind::Exclusion {
            zones.push(ZoneSpec {
                cumulative_fractions: z.cumulative_fractions.clone(),
                ..follicle_core::presets::user_zone(&z.id, kind, region)
            });
            continue;
        }
        let need = |f: &str| bad(at(f), format!("missing: a {} zone has its {f}", z.kind));
        let needle = z.needle.as_deref().ok_or_else(|| need("needle"))?;
        zones.push(ZoneSpec {
            id: z.id.clone(),
            kind,
            region,
            density_cm2: z.density_cm2.ok_or_else(|| need("density_cm2"))?,
            coverage: z.coverage.ok_or_else(|| need("coverage"))?,
            needle: Needle {
                config: NeedleConfig::from_name(needle)
                    .ok_or_else(|| bad(at("needle"), format!("unknown needle `{needle}`")))?,
                diameter_mm: z
                    .needle_diameter_mm
                    .ok_or_else(|| need("needle_diameter_mm"))?,
            },
            shade: z.shade.clone().ok_or_else(|| need("shade"))?,
            dilution: z.dilution.clone().ok_or_else(|| need("dilution"))?,
            cumulative_fractions: z.cumulative_fractions.clone(),
        });
    }
    let hj = &doc.head;
    let sex = match hj.sex.as_deref() {
        None => None,
        Some(s) => Some(Sex::from_name(s).ok_or_else(|| {
            // The value shown escaped and cut short: it is text from a file, not for the terminal.
            let shown: String = s.chars().take(24).flat_map(char::escape_debug).collect();
            let more = if s.chars().count() > 24 { "…" } else { "" };
            bad(
                "head.sex",
                format!("unknown sex `{shown}{more}`: plan.json says male or female"),
            )
        })?),
    };
    let design = Design {
        head: HeadMeasurements {
            length_mm: hj.length_mm,
            breadth_mm: hj.breadth_mm,
            height_mm: hj.height_mm,
            glabella_height_mm: hj.glabella_height_mm,
            interpupillary_mm: hj.interpupillary_mm,
        },
        hairline,
        zones,
        cumulative_fractions: doc.design.cumulative_fractions.clone(),
        seed: doc.seed,
        sex,
    };
    sessions_agree(&doc)?;
    let impressions = doc
        .impressions
        .iter()
        .map(|m| FixedImpression {
            p: Vec3::from_array(m.p),
            zone: m.zone.clone(),
            session: m.session,
            diameter_mm: m.diameter_mm,
        })
        .collect();
    Ok(SavedPlan {
        design,
        impressions,
        client: doc.client.clone(),
    })
}

/// Whether the impressions listed agree with the sessions' own counts: a file cut short or edited by hand
/// would otherwise be taken as the plan, and a touch-up planned from it would place new impressions where
/// the missing ones were tattooed (outside probe s28: 8,000 of 16,761 impressions kept, `plan --extend`
/// re-planned the rest without a word).
fn sessions_agree(doc: &PlanJson) -> Result<(), ReadError> {
    let mut counted = vec![0usize; doc.sessions.len()];
    for (i, m) in doc.impressions.iter().enumerate() {
        match doc.sessions.iter().position(|s| s.index == m.session) {
            Some(k) => counted[k] += 1,
            None => {
                return Err(bad(
                    format!("impressions[{i}].session"),
                    format!(
                        "session {} is not one of the plan's {} sessions: the file was edited; use the plan.json follicle wrote",
                        m.session,
                        doc.sessions.len()
                    ),
                ))
            }
        }
    }
    let listed: usize = doc.sessions.iter().map(|s| s.impressions).sum();
    for (s, &n) in doc.sessions.iter().zip(&counted) {
        if n != s.impressions {
            return Err(bad(
                "impressions",
                format!(
                    "the file lists {} impressions, but its sessions count {listed} (session {}: {n} listed, {} counted): it is incomplete or was edited; use the plan.json follicle wrote",
                    doc.impressions.len(),
                    s.index,
                    s.impressions
                ),
            ));
        }
    }
    Ok(())
}

/// Reads plan.json and rebuilds the full Plan (head, landmarks, zones, statistics) exactly as saved.
pub fn load_plan(text: &str) -> Result<Plan, ReadError> {
    let saved = plan_from_json(text)?;
    follicle_core::plan::restore(&saved.design, &saved.impressions)
        .map_err(|e| bad("design", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use follicle_core::design::Pattern;
    use follicle_core::{pattern_design, Sex};

    #[test]
    fn the_design_survives_a_round_trip_through_plan_json() {
        let mut d = pattern_design(
            Pattern::Norwood(3),
            HeadMeasurements::median(Sex::Female),
            2,
            77,
        );
        d.zones[1].cumulative_fractions = Some(vec![0.6, 1.0]);
        d.sex = Some(Sex::Female);
        let p = follicle_core::plan(&d).unwrap();
        let text = plan_to_json(&p);
        let back = plan_from_json(&text).unwrap();
        assert_eq!(back.design, d);
        // A plan written before the field (or of a case that does not say) reads back without a sex.
        let old = text.replacen(",\n    \"sex\": \"female\"", "", 1);
        assert_ne!(old, text);
        assert_eq!(plan_from_json(&old).unwrap().design.sex, None);
        let odd = text.replacen("\"sex\": \"female\"", "\"sex\": \"Female \"", 1);
        let said = plan_from_json(&odd).unwrap_err().to_string();
        assert!(
            said.contains("head.sex") && said.contains("male or female"),
            "{said}"
        );
        assert_eq!(back.impressions.len(), p.impressions.len());
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["zones"][1]["cumulative_fractions"][0], 0.6);
    }

    #[test]
    fn an_exclusion_is_written_without_pigment_settings_and_reads_back_the_same() {
        let m = HeadMeasurements::median(Sex::Male);
        let head = follicle_core::head::Head::new(m);
        let mut d = pattern_design(Pattern::Norwood(5), m, 3, 5);
        let mole: Vec<Vec3> = [(-3.0, -2.0), (3.0, -2.0), (3.0, 2.0), (-3.0, 2.0)]
            .iter()
            .map(|&(x, y)| head.point_from_above(10.0 + x, 20.0 + y).unwrap())
            // As plan.json writes them (to 0.1 µm), so the design compares equal after the round trip.
            .map(|p| Vec3::from_array(p4(p)))
            .collect();
        d.zones.insert(
            0,
            follicle_core::presets::user_zone("mole", ZoneKind::Exclusion, Region::Polygon(mole)),
        );
        let p = follicle_core::plan(&d).unwrap();
        let text = plan_to_json(&p);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let of = |list: &serde_json::Value| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|z| z["id"] == "mole")
                .unwrap()
                .clone()
        };
        let (designed, planned) = (of(&v["design"]["zones"]), of(&v["zones"]));
        for field in [
            "density_cm2",
            "coverage",
            "needle",
            "needle_diameter_mm",
            "shade",
            "dilution",
        ] {
            assert!(
                designed.get(field).is_none(),
                "design.zones mole has {field}: {designed}"
            );
            assert!(
                planned.get(field).is_none() || field == "density_cm2",
                "zones mole has {field}: {planned}"
            );
        }
        assert_eq!(planned["target_density_cm2"], 0.0);
        assert_eq!(planned["impressions"], 0);
        // Every other zone keeps its settings.
        assert!(v["design"]["zones"][1]["density_cm2"].is_number());
        assert!(v["zones"][1]["needle"].is_string());
        let back = plan_from_json(&text).unwrap();
        assert_eq!(back.design, d);
        assert_eq!(plan_to_json(&load_plan(&text).unwrap()), text);
    }

    #[test]
    fn impression_lines_are_exactly_what_serde_json_writes() {
        let mut d = pattern_design(
            Pattern::Norwood(4),
            HeadMeasurements::median(Sex::Male),
            3,
            5,
        );
        d.zones[0].shade = "brown \"warm\" \\ ünïcode".into();
        let p = follicle_core::plan(&d).unwrap();
        let text = plan_to_json(&p);
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("    {\"p\":"))
            .collect();
        assert_eq!(lines.len(), p.impressions.len());
        for (line, m) in lines.iter().zip(&p.impressions) {
            let z = &p.zones[m.zone].spec;
            let rec = ImpressionJson {
                p: p4(m.p),
                zone: z.id.clone(),
                session: m.session,
                diameter_mm: m.diameter_mm,
                needle: z.needle.config.as_str().into(),
                shade: z.shade_label(m.session),
            };
            assert_eq!(
                line.trim_start().trim_end_matches(','),
                serde_json::to_string(&rec).unwrap()
            );
        }
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["impressions"].as_array().unwrap().len(),
            p.impressions.len()
        );
        // Lines written in pieces (as sessions are placed), the last piece possibly empty, are the same text.
        let n = p.impressions.len();
        for cut in [0, 1, n / 2, n - 1, n] {
            let (mut a, mut b) = (String::new(), String::new());
            push_impression_lines(&mut a, &p, 0..cut);
            push_impression_lines(&mut b, &p, cut..n);
            let mut chunks = [a.as_str(), b.as_str()];
            let end = close_impression_lines(&mut chunks);
            let whole = format!("{}{}{}{end}", plan_json_head(&p), chunks[0], chunks[1]);
            assert!(whole == text, "cut at {cut}");
        }
    }

    #[test]
    fn unreadable_plans_are_refused_with_a_location() {
        match plan_from_json("{\n  \"format\": 3\n}") {
            Err(ReadError::Syntax { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        let wrong = r#"{"format":"other","version":1,"units":"mm","seed":1,"head":{"length_mm":1,"breadth_mm":1,"height_mm":1,"glabella_height_mm":1,"interpupillary_mm":1,"circumference_mm":1},"landmarks":{},"hairline":[],"zones":[],"sessions":[],"design":{"cumulative_fractions":[1.0],"hairline":{"mid_frontal_height_mm":80,"style":"mature","edge":"soft","recession_mm":8,"zone_width_mm":25,"transition_mm":8,"irregularity":0.5},"zones":[]},"impressions":[]}"#;
        assert!(matches!(
            plan_from_json(wrong),
            Err(ReadError::Value { .. })
        ));
    }

    /// What an outside tester fed `follicle render`: each answer says what the file is in words, never serde's
    /// "invalid length 0, expected struct PlanJson with 11 elements" or a bare "missing field `units`".
    #[test]
    fn a_plan_cut_short_or_edited_is_refused() {
        let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let text = plan_to_json(&plan);
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let all = doc["impressions"].as_array().unwrap().clone();
        doc["impressions"] = serde_json::Value::Array(all[..8000].to_vec());
        let e = plan_from_json(&doc.to_string()).unwrap_err().to_string();
        assert!(
            e.contains("the file lists 8000 impressions, but its sessions count")
                && e.contains("incomplete"),
            "{e}"
        );
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        doc["impressions"][0]["session"] = serde_json::json!(7);
        let e = plan_from_json(&doc.to_string()).unwrap_err().to_string();
        assert!(
            e.starts_with("impressions[0].session: session 7 is not one of the plan's 3 sessions"),
            "{e}"
        );
        assert!(plan_from_json(&text).is_ok());
        // Values no plan holds (outside probe s30: a 20 mm head got hairline advice, a -1 mm impression was
        // drawn): refused when the plan is rebuilt, naming the field.
        for (edit, said) in [
            (
                ("head", "length_mm", 20.0),
                "design: head.length_mm: 20 mm is outside",
            ),
            (
                ("head", "breadth_mm", 199.0),
                "head.breadth_mm: 199 mm is outside",
            ),
            (
                ("head", "interpupillary_mm", 0.0),
                "head.interpupillary_mm: 0 mm",
            ),
        ] {
            let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            doc[edit.0][edit.1] = serde_json::json!(edit.2);
            let e = load_plan(&doc.to_string()).unwrap_err().to_string();
            assert!(e.contains(said), "{e}");
        }
        for d in [-1.0, 0.0, 0.05, 50.0] {
            let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            doc["impressions"][3]["diameter_mm"] = serde_json::json!(d);
            let e = load_plan(&doc.to_string()).unwrap_err().to_string();
            assert!(
                e.contains("impressions[3].diameter_mm") && e.contains("healed impression"),
                "{d}: {e}"
            );
        }
        assert!(load_plan(&text).is_ok());
    }

    #[test]
    fn wrong_files_are_named_in_words() {
        let said = |text: &str| plan_from_json(text).unwrap_err().to_string();
        assert!(
            said("[]").contains("not a plan.json written by follicle"),
            "{}",
            said("[]")
        );
        assert!(said("").contains("not a plan.json"));
        let v99 = r#"{"format":"follicle-plan","version":99,"impressions":[]}"#;
        assert!(
            said(v99).contains("version 99; this follicle reads version 1"),
            "{}",
            said(v99)
        );
        let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let text = plan_to_json(&plan);
        let mut half = text.len() / 2;
        while !text.is_char_boundary(half) {
            half -= 1;
        }
        let cut = said(&text[..half]);
        assert!(cut.contains("cut off") && !cut.contains("EOF"), "{cut}");
        let missing = said(&text.replacen("\"units\"", "\"unit\"", 1));
        assert!(missing.contains("the plan has no `units`"), "{missing}");
        for s in [said("[]"), said(v99), cut, missing] {
            assert!(!s.contains("struct") && !s.contains("PlanJson"), "{s}");
        }
    }
}
