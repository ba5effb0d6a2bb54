//! Planning one session at a time: [`Geometry`] is what a design's plan is built on before any density
//! counts (head, landmarks, hairline, zone raster), and a [`Planner`] places the sessions on it one by one.
//!
//! `plan`, `plan_first_sessions`, `extend` and `restore` (plan.rs) are this one path run to the end; the
//! browser editor steps it itself so that it can draw session 1 at once, drop a plan whose design has been
//! edited since between two sessions, and keep the geometry while an edit changes only densities, needles or
//! strengths ([`Geometry::fits`]). Every path gives the same plan, impression for impression.

use crate::design::{BuiltinZone, Design, HairlineDesign, Region, ZoneKind};
use crate::field::{Field, Raster};
use crate::hairline::{self, Hairline};
use crate::head::{Head, HeadMeasurements};
use crate::landmarks::{self, Landmarks};
use crate::noise::mix64;
use crate::parallel::{Serial, Workers};
use crate::plan::{
    invalid, validate, FixedImpression, Impression, Plan, PlanError, SessionStats, Stage,
    ZoneStats, HEALED_DIAMETER_RANGE_MM,
};
use crate::sampler::{self, Placement};
use rand::{Rng, SeedableRng};

/// What a plan is built on before densities count: the head, its landmarks, the hairline and the zone
/// raster of one design's head, hairline choices, zone regions and kinds, and seed.
#[derive(Clone, Debug)]
pub struct Geometry {
    head: Head,
    landmarks: Landmarks,
    hairline: Hairline,
    treats_hairline: bool,
    raster: Raster,
    key: GeometryKey,
}

/// Everything [`Geometry`] is computed from.
#[derive(Clone, Debug, PartialEq)]
struct GeometryKey {
    head: HeadMeasurements,
    hairline: HairlineDesign,
    zones: Vec<(Region, ZoneKind)>,
    seed: u64,
}

impl GeometryKey {
    fn of(design: &Design) -> GeometryKey {
        GeometryKey {
            head: design.head,
            hairline: design.hairline.clone(),
            zones: design
                .zones
                .iter()
                .map(|z| (z.region.clone(), z.kind))
                .collect(),
            seed: design.seed,
        }
    }
}

impl Geometry {
    /// Checks the design and builds its head, landmarks, hairline and zone raster.
    pub fn new(design: &Design) -> Result<Geometry, PlanError> {
        Geometry::new_on(design, &Serial)
    }

    /// [`Geometry::new`], the raster's rows computed in parts by `workers` (the same geometry, bit for bit).
    pub fn new_on(design: &Design, workers: &dyn Workers) -> Result<Geometry, PlanError> {
        let head = Head::new(design.head);
        validate(design, &head)?;
        let lm = landmarks::construct(&head, design.hairline.mid_frontal_mm)?;
        let treats_hairline = design
            .zones
            .iter()
            .any(|z| z.region == Region::Builtin(BuiltinZone::Hairline));
        let hl = hairline::construct(&head, &lm, &design.hairline, design.seed);
        let raster = Field::raster_on(
            &head,
            &lm,
            treats_hairline.then_some(&hl),
            &design.zones,
            design.seed,
            workers,
        )?;
        Ok(Geometry {
            head,
            landmarks: lm,
            hairline: hl,
            treats_hairline,
            raster,
            key: GeometryKey::of(design),
        })
    }

    /// Whether this geometry is `design`'s: it differs from the one it was built for at most in densities,
    /// coverage, needles, strengths, shades, zone names or sessions.
    pub fn fits(&self, design: &Design) -> bool {
        self.key == GeometryKey::of(design)
    }
}

/// A plan being placed session by session (see the module doc).
pub struct Planner {
    design: Design,
    head: Head,
    landmarks: Landmarks,
    hairline: Option<Hairline>,
    field: std::sync::Arc<Field>,
    placed: Placement,
    diameters: Vec<f64>,
    /// The next session to place (1-based).
    next: usize,
}

impl Planner {
    /// Starts planning `design` on its `geometry` (see [`Geometry::fits`]): scars are matched to the tone
    /// around them (tone.rs; the planner's design records the result), the raster is finished with the
    /// matched densities, and nothing is placed yet.
    pub fn start(design: &Design, geometry: &Geometry) -> Result<Planner, PlanError> {
        Planner::with_fixed(design, geometry, &[], false, &Serial)
    }

    /// [`Planner::start`], the feathering computed in parts by `workers` (the same plan, bit for bit).
    pub fn start_on(
        design: &Design,
        geometry: &Geometry,
        workers: &dyn Workers,
    ) -> Result<Planner, PlanError> {
        Planner::with_fixed(design, geometry, &[], false, workers)
    }

    /// Starts with `fixed` impressions kept as saved (touch-ups; `restore`: the saved plan as it is).
    fn with_fixed(
        design: &Design,
        geometry: &Geometry,
        fixed: &[FixedImpression],
        restore: bool,
        workers: &dyn Workers,
    ) -> Result<Planner, PlanError> {
        debug_assert!(geometry.fits(design), "the geometry of another design");
        validate(design, &geometry.head)?;
        let head = geometry.head.clone();
        // Scars are matched to the tone of the scalp around them (tone.rs) on the raster, which densities do
        // not change; the raster is then finished once, with the matched densities.
        let design = match crate::tone::match_scars(&geometry.raster.field, &design.zones) {
            Some(zones) => Design {
                zones,
                ..design.clone()
            },
            None => design.clone(),
        };
        // A zone's own schedule fitted to the plan's sessions (ZoneSpec::fraction_at), and recorded so: the
        // plan says what each session does in each zone, whatever the case file's schedule was.
        let mut design = design;
        for z in &mut design.zones {
            z.cumulative_fractions = z.fitted_schedule(&design.cumulative_fractions);
        }
        let field = geometry
            .raster
            .finish_on(&design.zones, design.seed, workers)?;
        let mut placed = Placement::default();
        let mut diameters = Vec::new();
        let mut fixed_sessions = 0;
        for (i, f) in fixed.iter().enumerate() {
            let z = design
                .zones
                .iter()
                .position(|z| z.id == f.zone)
                .ok_or_else(|| {
                    invalid(
                        format!("impressions[{i}].zone"),
                        format!("zone `{}` is not in the design", f.zone),
                    )
                })?;
            if f.session == 0 {
                return Err(invalid(
                    format!("impressions[{i}].session"),
                    "sessions are numbered from 1",
                ));
            }
            // Kept exactly as saved (already on the surface to 0.1 µm); the chart comes from its projection.
            // (Written so that a coordinate whose distance is not a number, 1e160 say, is refused too.)
            let finite = [f.p.x, f.p.y, f.p.z].iter().all(|c| c.abs() < 1e6);
            if !(finite && head.offset_from_surface(f.p).abs() <= 0.5) {
                return Err(invalid(
                    format!("impressions[{i}].p"),
                    "the impression is not on this head's surface",
                ));
            }
            // A healed impression is 0.10–0.25 mm across: an edited file's -1 or 50 mm would draw as nothing
            // or as a blot, and a touch-up would space its new impressions around it (outside probe s30).
            let (lo, hi) = HEALED_DIAMETER_RANGE_MM;
            if !(lo..=hi).contains(&f.diameter_mm) {
                return Err(invalid(
                    format!("impressions[{i}].diameter_mm"),
                    format!(
                        "{} mm is not the size of a healed impression ({lo}–{hi} mm): the file was edited; use the plan.json follicle wrote",
                        crate::words::number(f.diameter_mm)
                    ),
                ));
            }
            placed.push(f.p, head.chart_of(f.p), z as u8, f.session as u16);
            diameters.push(f.diameter_mm);
            fixed_sessions = fixed_sessions.max(f.session);
        }
        let n_sessions = design.cumulative_fractions.len();
        if fixed_sessions > n_sessions || (!restore && fixed_sessions == n_sessions) {
            return Err(invalid(
                "sessions",
                format!("the saved plan already has {fixed_sessions} sessions; nothing to add"),
            ));
        }
        Ok(Planner {
            head,
            landmarks: geometry.landmarks.clone(),
            hairline: geometry.treats_hairline.then(|| geometry.hairline.clone()),
            field: std::sync::Arc::new(field),
            placed,
            diameters,
            next: fixed_sessions + 1,
            design,
        })
    }

    /// The sessions placed so far.
    pub fn sessions_placed(&self) -> usize {
        self.next - 1
    }

    /// Whether every session is placed.
    pub fn done(&self) -> bool {
        self.next > self.design.cumulative_fractions.len()
    }

    /// Places the next session (nothing when every session is placed); returns whether one was placed.
    pub fn step(&mut self) -> bool {
        self.step_on(&Serial)
    }

    /// [`Planner::step`], the fill's bands run by `workers` (the same plan, bit for bit).
    pub fn step_on(&mut self, workers: &dyn Workers) -> bool {
        if self.done() {
            return false;
        }
        let k = self.next;
        let design = &self.design;
        let pl = &mut self.placed;
        let before = pl.len();
        sampler::place_session_on(
            &self.head,
            &self.field,
            &design.zones,
            &design.cumulative_fractions,
            k,
            design.seed,
            pl,
            workers,
        );
        // Impression sizes: jittered within the needle's healed range, seeded per session.
        let mut rng =
            rand_pcg::Pcg64Mcg::seed_from_u64(mix64(design.seed ^ 0xD1A0_0000 ^ k as u64));
        for i in before..pl.len() {
            let spec = &design.zones[pl.zone[i] as usize];
            let (lo, hi) = spec.needle.config.healed_fraction_range();
            // Smaller where a density zone ramps toward a lighter one (feather.rs: the tone follows the ramp).
            let scale = if self.field.dot_scale.is_empty() {
                1.0
            } else {
                self.field.dot_scale_at(self.head.chart_of(pl.pos[i]))
            };
            let d = spec.needle.diameter_mm * rng.gen_range(lo..hi) * scale;
            self.diameters
                .push(d.clamp(HEALED_DIAMETER_RANGE_MM.0, HEALED_DIAMETER_RANGE_MM.1));
        }
        self.next += 1;
        true
    }

    /// The plan of the sessions placed so far (later sessions are listed with no impressions); the whole
    /// plan once [`Planner::done`].
    pub fn plan(&self) -> Plan {
        Planner {
            design: self.design.clone(),
            head: self.head.clone(),
            landmarks: self.landmarks.clone(),
            hairline: self.hairline.clone(),
            field: std::sync::Arc::clone(&self.field),
            placed: Placement::default(),
            diameters: Vec::new(),
            next: self.next,
        }
        .into_plan_of(&self.placed, &self.diameters)
    }

    /// The plan, without copying (see [`Planner::plan`]).
    pub fn into_plan(mut self) -> Plan {
        let (placed, diameters) = (
            std::mem::take(&mut self.placed),
            std::mem::take(&mut self.diameters),
        );
        self.into_plan_of(&placed, &diameters)
    }

    fn into_plan_of(self, pl: &Placement, diam: &[f64]) -> Plan {
        let design = self.design;
        let n_sessions = design.cumulative_fractions.len();
        let mut impressions: Vec<Impression> = (0..pl.len())
            .filter(|&i| pl.alive[i])
            .map(|i| Impression {
                p: pl.pos[i],
                zone: pl.zone[i] as usize,
                session: pl.session[i] as usize,
                diameter_mm: (diam[i] * 1e4).round() / 1e4,
            })
            .collect();
        impressions.sort_by_key(|m| m.session); // stable: keeps placement order within a session

        let mut zones: Vec<ZoneStats> = design
            .zones
            .iter()
            .enumerate()
            .map(|(z, spec)| ZoneStats {
                spec: spec.clone(),
                area_cm2: self.field.zone_area_mm2[z] / 100.0,
                impressions: 0,
                cumulative: vec![0; n_sessions],
            })
            .collect();
        let mut per_session = vec![vec![0usize; design.zones.len()]; n_sessions];
        for m in &impressions {
            per_session[m.session - 1][m.zone] += 1;
            zones[m.zone].impressions += 1;
        }
        for (zi, z) in zones.iter_mut().enumerate() {
            let mut acc = 0;
            for (slot, counts) in z.cumulative.iter_mut().zip(&per_session) {
                acc += counts[zi];
                *slot = acc;
            }
        }
        let sessions = (0..n_sessions)
            .map(|k| SessionStats {
                index: k + 1,
                cumulative_fraction: design.cumulative_fractions[k],
                impressions: per_session[k].iter().sum(),
                hours: per_session[k]
                    .iter()
                    .enumerate()
                    .map(|(z, &n)| n as f64 / design.zones[z].needle.config.impressions_per_hour())
                    .sum(),
            })
            .collect();
        Plan {
            design,
            head: self.head,
            landmarks: self.landmarks,
            hairline: self.hairline,
            field: self.field,
            zones,
            sessions,
            impressions,
        }
    }
}

/// The plan of `design` up to session `up_to`, with `fixed` impressions kept (the one path behind plan.rs's
/// entry points).
pub(crate) fn build(
    design: &Design,
    fixed: &[FixedImpression],
    progress: &mut dyn FnMut(Stage),
    restore: bool,
    up_to: usize,
) -> Result<Plan, PlanError> {
    progress(Stage::Geometry);
    let geometry = Geometry::new(design)?;
    let mut planner = Planner::with_fixed(design, &geometry, fixed, restore, &Serial)?;
    drop(geometry);
    while !planner.done() && planner.next <= up_to {
        progress(Stage::Session(planner.next));
        planner.step();
    }
    Ok(planner.into_plan())
}
