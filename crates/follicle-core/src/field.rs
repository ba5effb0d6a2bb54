//! The zone and density field: a raster over the head chart that says, for every small patch of scalp,
//! which zone it belongs to, its density multiplier (hairline ramp and irregularity) and its true surface
//! area. Zone areas, target counts and the sampler's membership tests all read this one raster, so counts
//! and areas always agree.

use crate::design::{BuiltinZone, Region, ZoneKind, ZoneSpec};
use crate::geom::{Chart2, Vec3};
use crate::guard::{Guards, EXCLUSION_MARGIN_MM};
use crate::hairline::Hairline;
use crate::head::Head;
use crate::landmarks::Landmarks;
use crate::noise::ValueNoise;
use crate::parallel::{by_rows_pair, by_rows_three, Serial, Workers};

mod depth;
mod edges;
mod split;
mod traced;
pub use edges::{hard_edge_note, HardEdge, HARD_EDGE_MIN_MM};
pub use split::{DrawnZone, SplitCell};
pub use traced::{TracedBorders, BESIDE_CELLS};

/// Marks a raster cell that belongs to no zone.
pub const NO_ZONE: u8 = u8::MAX;
/// Surface size of a raster cell at the chart centre, mm (smaller toward the rim).
pub const RASTER_MM: f64 = 1.4;
/// Radius of the crown zone around the whorl, mm.
pub const CROWN_RADIUS_MM: f64 = 50.0;
/// How far (0 to this, seeded) the lower edge of the treated scalp is raised, mm: the natural edge of hair
/// above the ears and at the nape is irregular, never a drawn line.
pub const FLOOR_IRREGULARITY_MM: f64 = 4.0;
/// Depth behind the hairline zone where the frontal zone ends and the mid-scalp begins, mm.
pub const FRONTAL_DEPTH_MM: f64 = 45.0;
/// How far (±, seeded, features about [`REGION_WOBBLE_WAVELENGTH_MM`] across) the borders between the
/// built-in regions wander from their construction (the fringe's top, the crown's circle, the frontal's
/// back edge), mm: where a treated region meets retained hair, the hair's edge is never a straight line or
/// a circle (outside probe s26: a Norwood 3's mid-scalp hair began at a straight line across the head).
pub const REGION_WOBBLE_MM: f64 = 6.0;
/// Feature size of that wander, mm.
pub const REGION_WOBBLE_WAVELENGTH_MM: f64 = 22.0;

/// The rasterised zones and density multipliers of one design on one head.
#[derive(Clone, Debug)]
pub struct Field {
    /// Chart u of the raster's first column edge.
    pub u0: f64,
    /// Chart v of the raster's first row edge.
    pub v0: f64,
    /// Raster cell size in chart units.
    pub cell: f64,
    /// 1 / cell, for cell lookups without a division.
    pub inv_cell: f64,
    /// Columns.
    pub nu: usize,
    /// Rows.
    pub nv: usize,
    /// Zone index per cell (`NO_ZONE` outside every zone).
    pub zone: Vec<u8>,
    /// Density multiplier per cell (1 except in the hairline transition).
    pub mult: Vec<f32>,
    /// Surface area per cell, mm².
    pub area: Vec<f32>,
    /// Surface area per zone, mm².
    pub zone_area_mm2: Vec<f64>,
    /// Σ area × multiplier per zone, mm² (the area that carries the full target density).
    pub zone_weighted_area_mm2: Vec<f64>,
    /// Each zone's ramp down toward lighter density zones (feather.rs; none until [`Raster::finish`]).
    pub zone_ramp: Vec<crate::feather::DensityRamp>,
    /// Scale of the impressions' diameters per cell (at most 1) where a density zone ramps or carries its
    /// ramp (feather.rs); empty when none does (1 everywhere).
    pub dot_scale: Vec<f32>,
    /// The exact limits (brow line, exclusions with their margins) no impression may cross.
    pub guards: Guards,
    /// Cells within two cells of such a limit: a candidate there is checked against `guards` exactly.
    pub guarded: Vec<bool>,
    /// Per cell: 1 + the index in [`BuiltinZone::ALL`] of the pattern zone whose hair-bearing scalp the
    /// cell is where the design leaves that zone out (`treated = false`), else 0. The treated zones end
    /// at these cells without a ramp: [`Field::hard_edges`] measures those edges for the practitioner.
    pub skipped: Vec<u8>,
    /// The zones the practitioner drew (pigmented polygons, in priority order), in chart coordinates.
    pub drawn: Vec<DrawnZone>,
    /// Per cell: 1 + its index in `splits` where a drawn zone's border crosses it, else 0 (empty when the
    /// design draws no zone).
    pub split: Vec<u32>,
    /// The cells a drawn zone's border crosses (split.rs).
    pub splits: Vec<SplitCell>,
}

/// Why a field cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldError {
    /// A zone of the user's covers no scalp at all: its polygon lies off the scalp or wholly inside zones
    /// listed before it.
    #[error(
        "zone `{0}` covers no part of the scalp that the zones listed before it leave free: its polygon lies \
         inside theirs or off the scalp"
    )]
    EmptyZone(String),
    /// One of the pattern's own zones is wholly covered by the user's zones.
    #[error(
        "the pattern's zone `{0}` is wholly covered by your own zones; leave it out with \
         [zones.{0}] treated = false"
    )]
    CoveredZone(String),
    /// One of the pattern's own zones has no scalp left beside the pattern's zones before it (the hairline
    /// band): the hairline settings leave no room for it.
    #[error(
        "the pattern's zone `{0}` has no scalp left: the hairline zone in front of it covers all of it \
         (a low mid-frontal point, deep recession and a wide hairline zone on this head); narrow \
         [hairline] zone_width_mm, raise mid_frontal_height_mm or lower recession_mm, or leave the zone \
         out with [zones.{0}] treated = false"
    )]
    NoRoomForZone(String),
    /// More zones than the raster can label.
    #[error("at most {MAX_ZONES} zones are supported, got {0}")]
    TooManyZones(usize),
}

/// Most zones one design may hold (the zone raster labels cells with a byte), the pattern's included.
pub const MAX_ZONES: usize = 250;

/// Piecewise-linear interpolation through `(x, y)` knots sorted by x.
fn interp(knots: &[(f64, f64)], x: f64) -> f64 {
    if x <= knots[0].0 {
        return knots[0].1;
    }
    for w in knots.windows(2) {
        if x <= w[1].0 {
            let t = (x - w[0].0) / (w[1].0 - w[0].0);
            return w[0].1 + (w[1].1 - w[0].1) * t;
        }
    }
    knots[knots.len() - 1].1
}

/// Lower limit of hair-bearing scalp at azimuth `phi` (0 = front, π = back), mm above tragion level: the
/// natural edge of the fringe. In front of the ear the sideburn comes down to 12 mm below tragion level;
/// the edge rises steeply at the front of the ear, passes about 8 mm above it, comes down close behind it
/// (about 10 mm behind its back edge) and runs on down to the nape hairline, 44 mm below tragion level. A
/// smooth curve through these points (monotone, so it never overshoots them); the field adds a seeded
/// irregularity. In front of the sideburn the face outline (the temple skin below the temporal peak)
/// limits the scalp instead.
pub fn scalp_floor_z(phi: f64) -> f64 {
    monotone_interp(
        &[
            (0.0, 5.0),
            (1.18, 5.0),
            (1.27, -12.0),
            (1.43, -12.0),
            (1.48, 18.0),
            (1.56, 36.0),
            (1.84, 38.0),
            (1.93, 14.0),
            (2.03, -18.0),
            (2.35, -32.0),
            (2.75, -42.0),
            (3.2, -44.0),
        ],
        phi.abs(),
    )
}

/// Monotone cubic (Fritsch–Carlson) interpolation through `(x, y)` knots sorted by x: smooth, and never
/// beyond its neighbouring knots' values (no overshoot above the ear or below the nape).
fn monotone_interp(knots: &[(f64, f64)], x: f64) -> f64 {
    let n = knots.len();
    if x <= knots[0].0 {
        return knots[0].1;
    }
    if x >= knots[n - 1].0 {
        return knots[n - 1].1;
    }
    let i = knots.windows(2).position(|w| x <= w[1].0).unwrap_or(n - 2);
    let slope = |j: usize| (knots[j + 1].1 - knots[j].1) / (knots[j + 1].0 - knots[j].0);
    // Tangent at knot j: zero at extrema and flat ends, else the harmonic mean of the two slopes.
    let tangent = |j: usize| -> f64 {
        if j == 0 || j == n - 1 {
            return 0.0;
        }
        let (a, b) = (slope(j - 1), slope(j));
        if a * b <= 0.0 {
            0.0
        } else {
            2.0 / (1.0 / a + 1.0 / b)
        }
    };
    let (x0, y0) = knots[i];
    let (x1, y1) = knots[i + 1];
    let h = x1 - x0;
    let t = (x - x0) / h;
    let (t2, t3) = (t * t, t * t * t);
    (2.0 * t3 - 3.0 * t2 + 1.0) * y0
        + (t3 - 2.0 * t2 + t) * h * tangent(i)
        + (-2.0 * t3 + 3.0 * t2) * y1
        + (t3 - t2) * h * tangent(i + 1)
}

/// The temporal hairline below the temporal peak, down to the front of the sideburn, and the sideburn's
/// lower edge: (azimuth, height above tragion level) on each side. The face outline follows it, so the
/// temple skin in front of it stays bare and the hair in front of the ear is part of the scalp.
const TEMPLE_TO_SIDEBURN: [(f64, f64); 5] = [
    (0.95, 34.0),
    (1.12, 22.0),
    (1.25, 8.0),
    (1.28, -12.0),
    (1.45, -14.0),
];

/// Upper limit of the side/back fringe at azimuth `phi` for a head `height` tall with temporal peaks at `z_peak`.
pub fn fringe_top_z(phi: f64, height: f64, z_peak: f64) -> f64 {
    interp(
        &[
            (0.0, z_peak + 12.0),
            (1.1, z_peak + 12.0),
            (1.6, 0.62 * height),
            (2.2, 0.55 * height),
            (3.2, 0.30 * height),
        ],
        phi.abs(),
    )
}

/// Calls `f(cell_index)` for every raster cell whose centre lies inside the closed chart polygon, or, when
/// none does, for the cell under the mean of its corners.
fn fill_polygon(
    u0: f64,
    v0: f64,
    cell: f64,
    nu: usize,
    nv: usize,
    poly: &[Chart2],
    mut f: impl FnMut(usize),
) {
    let mut xs: Vec<f64> = Vec::new();
    let mut any = false;
    let (vmin, vmax) = poly
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.v), b.max(p.v))
        });
    let j0 = (((vmin - v0) / cell - 0.5).floor().max(0.0)) as usize;
    let j1 = ((((vmax - v0) / cell - 0.5).ceil()).max(0.0) as usize).min(nv.saturating_sub(1));
    for j in j0..=j1 {
        let v = v0 + (j as f64 + 0.5) * cell;
        xs.clear();
        for k in 0..poly.len() {
            let (a, b) = (poly[k], poly[(k + 1) % poly.len()]);
            if (a.v <= v && v < b.v) || (b.v <= v && v < a.v) {
                xs.push(a.u + (v - a.v) / (b.v - a.v) * (b.u - a.u));
            }
        }
        xs.sort_by(|a, b| a.total_cmp(b));
        for pair in xs.chunks_exact(2) {
            let i0 = ((pair[0] - u0) / cell - 0.5).ceil().max(0.0) as usize;
            let i1 = ((pair[1] - u0) / cell - 0.5).floor();
            if i1 < 0.0 {
                continue;
            }
            for i in i0..=(i1 as usize).min(nu.saturating_sub(1)) {
                f(j * nu + i);
                any = true;
            }
        }
    }
    // A polygon smaller than a cell (a scar of a millimetre or two) holds no cell centre: it gets the cell
    // under its middle, so it is planned at the raster's resolution rather than lost.
    if !any && !poly.is_empty() {
        let n = poly.len() as f64;
        let (u, v) = poly
            .iter()
            .fold((0.0, 0.0), |(u, v), p| (u + p.u / n, v + p.v / n));
        let (i, j) = (((u - u0) / cell).floor(), ((v - v0) / cell).floor());
        if i >= 0.0 && j >= 0.0 && (i as usize) < nu && (j as usize) < nv {
            f(j as usize * nu + i as usize);
        }
    }
}

/// A design's zone raster before its densities count: which zone every cell belongs to, its surface area
/// and the hairline's ramp, all of which depend only on the head, the hairline and the zones' regions and
/// kinds. [`Raster::finish`] adds what densities change (the feathered borders, the zone areas weighted by
/// the multiplier). Scar matching reads the raster and finishes it once with the matched densities, and
/// the browser editor keeps it while only densities, needles or strengths are edited.
#[derive(Clone, Debug)]
pub struct Raster {
    /// The field without feathering and zone areas (those are filled by [`Raster::finish`]).
    pub field: Field,
    centre: Vec<Vec3>,
    face_like: Vec<bool>,
}

impl Raster {
    /// The finished field for `zones` (the same regions and kinds as the raster was built for; densities,
    /// needles and strengths may differ): feathered borders and zone areas.
    pub fn finish(&self, zones: &[ZoneSpec], seed: u64) -> Result<Field, FieldError> {
        self.finish_on(zones, seed, &Serial)
    }

    /// [`Raster::finish`], the feathering computed in parts by `workers` (the same field, bit for bit).
    pub fn finish_on(
        &self,
        zones: &[ZoneSpec],
        seed: u64,
        workers: &dyn Workers,
    ) -> Result<Field, FieldError> {
        let mut field = self.field.clone();
        let (nu, nv) = (field.nu, field.nv);
        // Feathered borders: density steps between zones and blend zones' natural edges.
        let ramps = crate::feather::feather_into(
            &crate::feather::FeatherInput {
                nu,
                nv,
                zone: &field.zone,
                area: &field.area,
                centre: &self.centre,
                face: &self.face_like,
            },
            zones,
            seed,
            &mut field.mult,
            workers,
        );
        (field.zone_ramp, field.dot_scale) = (ramps.zones, ramps.dot_scale);
        field.finish_splits();
        for k in 0..nu * nv {
            let z = field.zone[k];
            if field.split.get(k).is_some_and(|&s| s != 0) {
                field.add_split_areas(k);
            } else if z != NO_ZONE {
                field.zone_area_mm2[z as usize] += field.area[k] as f64;
                field.zone_weighted_area_mm2[z as usize] += (field.area[k] * field.mult[k]) as f64;
            }
        }
        for (zi, z) in zones.iter().enumerate() {
            if field.zone_area_mm2[zi] <= 0.0 {
                let users_before = zones[..zi]
                    .iter()
                    .any(|x| !matches!(x.region, Region::Builtin(_)));
                return Err(match z.region {
                    Region::Builtin(_) if users_before => FieldError::CoveredZone(z.id.clone()),
                    Region::Builtin(_) => FieldError::NoRoomForZone(z.id.clone()),
                    _ => FieldError::EmptyZone(z.id.clone()),
                });
            }
        }
        Ok(field)
    }
}

impl Field {
    /// Chart coordinates of the centre of cell (i, j).
    #[inline]
    pub fn cell_centre(&self, i: usize, j: usize) -> Chart2 {
        Chart2::new(
            self.u0 + (i as f64 + 0.5) * self.cell,
            self.v0 + (j as f64 + 0.5) * self.cell,
        )
    }

    /// Scale of an impression's diameter at `c` (1 unless a density zone ramps there; feather.rs).
    pub fn dot_scale_at(&self, c: Chart2) -> f64 {
        self.index(c)
            .and_then(|k| self.dot_scale.get(k))
            .map_or(1.0, |&s| s as f64)
    }

    /// The raster cell containing chart point `c`.
    #[inline]
    pub fn index(&self, c: Chart2) -> Option<usize> {
        let fi = (c.u - self.u0) * self.inv_cell;
        let fj = (c.v - self.v0) * self.inv_cell;
        if fi < 0.0 || fj < 0.0 {
            return None;
        }
        let (i, j) = (fi as usize, fj as usize);
        if i >= self.nu || j >= self.nv {
            return None;
        }
        Some(j * self.nu + i)
    }

    /// Builds the field for `zones` on a head with its landmarks and hairline.
    pub fn build(
        head: &Head,
        lm: &Landmarks,
        hairline: Option<&Hairline>,
        zones: &[ZoneSpec],
        seed: u64,
    ) -> Result<Field, FieldError> {
        Field::raster(head, lm, hairline, zones, seed)?.finish(zones, seed)
    }

    /// The zone raster of `zones` before their densities count (see [`Raster`]).
    pub fn raster(
        head: &Head,
        lm: &Landmarks,
        hairline: Option<&Hairline>,
        zones: &[ZoneSpec],
        seed: u64,
    ) -> Result<Raster, FieldError> {
        Field::raster_on(head, lm, hairline, zones, seed, &Serial)
    }

    /// [`Field::raster`], its rows computed in parts by `workers` (the same raster, bit for bit).
    pub fn raster_on(
        head: &Head,
        lm: &Landmarks,
        hairline: Option<&Hairline>,
        zones: &[ZoneSpec],
        seed: u64,
        workers: &dyn Workers,
    ) -> Result<Raster, FieldError> {
        if zones.len() > MAX_ZONES {
            return Err(FieldError::TooManyZones(zones.len()));
        }
        // Raster bounds: the scalp's extreme landmarks and every polygon, padded.
        let mut pts: Vec<Chart2> = [
            lm.nape,
            lm.ear_top_left,
            lm.ear_top_right,
            lm.glabella,
            lm.vertex,
            lm.lateral_canthus_left,
            lm.lateral_canthus_right,
        ]
        .iter()
        .map(|&p| head.chart_of(p))
        .collect();
        pts.push(head.chart_of(head.project(Vec3::new(head.a * 2.0, -head.b * 1.4, -30.0))));
        pts.push(head.chart_of(head.project(Vec3::new(-head.a * 2.0, -head.b * 1.4, -30.0))));
        // The natural lower edge of the fringe (sideburns, behind the ears, the nape), a little below it.
        for k in 0..=24 {
            let phi = 1.2 + (std::f64::consts::PI - 1.2) * k as f64 / 24.0;
            let z = scalp_floor_z(phi) - 4.0;
            for sign in [-1.0, 1.0] {
                if let Some(p) = head.point_at_azimuth(sign * phi, z) {
                    pts.push(head.chart_of(p));
                }
            }
        }
        for z in zones {
            if let Region::Polygon(poly) = &z.region {
                pts.extend(poly.iter().map(|&p| head.chart_of(p)));
            }
        }
        let pad = 0.06;
        let (mut umin, mut umax, mut vmin, mut vmax) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for p in &pts {
            umin = umin.min(p.u);
            umax = umax.max(p.u);
            vmin = vmin.min(p.v);
            vmax = vmax.max(p.v);
        }
        let pole_radius = head.radius_along(head.dir_of_chart(Chart2::new(0.0, 0.0)));
        let cell = RASTER_MM / (2.0 * pole_radius);
        let (u0, v0) = (umin - pad, vmin - pad);
        let nu = ((umax + pad - u0) / cell).ceil() as usize;
        let nv = ((vmax + pad - v0) / cell).ceil() as usize;
        let n = nu * nv;

        // Cell centres on the surface, and cell areas from the corners (in bands of rows).
        // Zeroed memory (a zero `Vec3` is all zero bits): each band's thread touches its own pages.
        let (mut centre, mut area) = (bytemuck::zeroed_vec::<Vec3>(n), vec![0f32; n]);
        by_rows_pair(workers, &mut centre, &mut area, nu, |j0, centres, areas| {
            let corners = |j: usize, row: &mut [Vec3]| {
                let v = v0 + j as f64 * cell;
                for (i, slot) in row.iter_mut().enumerate() {
                    *slot = head.point_of_chart(Chart2::new(u0 + i as f64 * cell, v));
                }
            };
            let mut prev = vec![Vec3::default(); nu + 1];
            corners(j0, &mut prev);
            let mut next = vec![Vec3::default(); nu + 1];
            for (dj, (crow, arow)) in centres.chunks_mut(nu).zip(areas.chunks_mut(nu)).enumerate() {
                let j = j0 + dj;
                corners(j + 1, &mut next);
                for (i, (c_slot, a_slot)) in crow.iter_mut().zip(arow.iter_mut()).enumerate() {
                    *c_slot = head.point_of_chart(Chart2::new(
                        u0 + (i as f64 + 0.5) * cell,
                        v0 + (j as f64 + 0.5) * cell,
                    ));
                    let d1 = next[i + 1] - prev[i];
                    let d2 = next[i] - prev[i + 1];
                    *a_slot = (0.5 * d1.cross(d2).norm()) as f32;
                }
                std::mem::swap(&mut prev, &mut next);
            }
        });

        // Exact limits: the face front below the brow and every exclusion with its margin.
        let exclusion_zones: Vec<(usize, &[Vec3])> = zones
            .iter()
            .enumerate()
            .filter_map(|(zi, z)| match (&z.region, z.kind) {
                (Region::Polygon(poly), ZoneKind::Exclusion) => Some((zi, poly.as_slice())),
                _ => None,
            })
            .collect();
        let guards = Guards::new(
            head,
            lm,
            &exclusion_zones
                .iter()
                .map(|&(_, poly)| (poly, EXCLUSION_MARGIN_MM))
                .collect::<Vec<_>>(),
        );
        // Chart boxes around each exclusion, padded by its margin, to skip far cells quickly.
        let mm_to_chart = |c: Chart2| {
            (1.0 + c.u * c.u + c.v * c.v) * 0.5 / head.a.min(head.b).min(head.c_up) * 1.2
        };
        let exclusion_boxes: Vec<(f64, f64, f64, f64)> = exclusion_zones
            .iter()
            .map(|&(_, poly)| {
                let cs: Vec<Chart2> = poly.iter().map(|&p| head.chart_of(p)).collect();
                let (mut a, mut b, mut c, mut d) = (
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                );
                let mut pad: f64 = 0.0;
                for q in &cs {
                    a = a.min(q.u);
                    b = b.max(q.u);
                    c = c.min(q.v);
                    d = d.max(q.v);
                    pad = pad.max((EXCLUSION_MARGIN_MM + 1.0) * mm_to_chart(*q));
                }
                (a - pad, b + pad, c - pad, d + pad)
            })
            .collect();

        let mut field = Field {
            u0,
            v0,
            cell,
            inv_cell: 1.0 / cell,
            nu,
            nv,
            zone: vec![NO_ZONE; n],
            // Set band by band below (zeroed memory: each thread touches its own pages).
            mult: vec![0.0; n],
            area,
            zone_area_mm2: vec![0.0; zones.len()],
            zone_weighted_area_mm2: vec![0.0; zones.len()],
            zone_ramp: vec![crate::feather::DensityRamp::NONE; zones.len()],
            dot_scale: Vec::new(),
            guards,
            guarded: Vec::new(),
            skipped: Vec::new(),
            drawn: Vec::new(),
            split: Vec::new(),
            splits: Vec::new(),
        };
        let depth = hairline.map(|h| field.depth_map(head, h, &centre, workers));

        // In front of the hairline: the face polygon (hairline, then down the temples and over the face).
        let mut face = vec![false; n];
        let (face_line, fringe_mm): (Vec<Chart2>, f64) = match hairline {
            Some(h) => (h.chart.clone(), h.fringe_mm),
            None => (
                [
                    lm.temporal_peak_right,
                    lm.frontotemporal_right,
                    lm.mid_frontal,
                    lm.frontotemporal_left,
                    lm.temporal_peak_left,
                ]
                .iter()
                .map(|&p| head.chart_of(p))
                .collect(),
                0.0,
            ),
        };
        let mut face_poly = face_line;
        // Down the left temple to the sideburn (the temporal hairline), under its lower edge, across under
        // the face (several points: the chart bends strongly there), and up the right side the same way.
        let side = |sign: f64| -> Vec<Vec3> {
            TEMPLE_TO_SIDEBURN
                .iter()
                .filter_map(|&(phi, z)| head.point_at_azimuth(sign * phi, z))
                .chain(head.point_at_azimuth(sign * 1.45, -45.0))
                .collect()
        };
        let under: Vec<Vec3> = [-45.0, 0.0, 45.0]
            .iter()
            .filter_map(|&x| head.point_from_front(x, -20.0))
            .collect();
        let mut right = side(1.0);
        right.reverse();
        for p in side(-1.0).into_iter().chain(under).chain(right) {
            face_poly.push(head.chart_of(p));
        }
        fill_polygon(u0, v0, cell, nu, nv, &face_poly, |k| face[k] = true);

        // User polygons in priority order claim their cells first; a pigmented one only behind the hairline
        // (a scar drawn down onto the forehead is camouflaged on the scalp, never dotted on the skin in front:
        // those cells are left to the hairline's strays and the bare forehead).
        let mut drawn: Vec<DrawnZone> = Vec::new();
        for (zi, z) in zones.iter().enumerate() {
            if let Region::Polygon(poly) = &z.region {
                let chart: Vec<Chart2> = poly.iter().map(|&p| head.chart_of(p)).collect();
                let zone = &mut field.zone;
                let pigmented = z.kind != ZoneKind::Exclusion;
                let face = &face;
                fill_polygon(u0, v0, cell, nu, nv, &chart, |k| {
                    if zone[k] == NO_ZONE && !(pigmented && face[k]) {
                        zone[k] = zi as u8;
                    }
                });
                if pigmented {
                    drawn.push(DrawnZone::new(zi as u8, chart));
                }
            }
        }
        // Whether a user polygon claimed each cell (the classification below keeps it, and records the zone
        // the cell would have without it, for the cells on the polygon's border: split.rs).
        let claimed: Vec<bool> = field.zone.iter().map(|&z| z != NO_ZONE).collect();
        // Built-in partition for the rest.
        let mut builtin_slot = [NO_ZONE; 7];
        for (zi, z) in zones.iter().enumerate() {
            if let Region::Builtin(b) = z.region {
                let slot = BuiltinZone::ALL.iter().position(|&x| x == b).unwrap();
                if builtin_slot[slot] == NO_ZONE {
                    builtin_slot[slot] = zi as u8;
                }
            }
        }
        let height = head.measurements.height_mm;
        let z_peak = 0.5 * (lm.temporal_peak_left.z + lm.temporal_peak_right.z);
        let frontal_split_y =
            lm.mid_frontal.y - hairline.map(|h| h.zone_width_mm).unwrap_or(25.0) - FRONTAL_DEPTH_MM;
        let noise = ValueNoise::new(seed ^ 0x5107_7E55, 5.0);
        let clusters = ValueNoise::new(seed ^ 0xC1_0575, 2.5);
        let floor_noise = ValueNoise::new(seed ^ 0xF1_0012, 12.0);
        let region_noise = ValueNoise::new(seed ^ 0xB0_4DE5, REGION_WOBBLE_WAVELENGTH_MM);
        let hairline_zone = builtin_slot[0];
        // Each cell's zone, multiplier and whether it is a hard limit (in bands of rows; a cell a user
        // polygon claimed keeps its zone).
        // Per cell: MARK_HARD for a hard limit, MARK_SKIPPED + slot for scalp of a left-out pattern zone;
        // and the zone (with its multiplier) a cell a user polygon claimed would have without it.
        const MARK_HARD: u8 = 1;
        const MARK_SKIPPED: u8 = 2;
        let mut marks = vec![(0u8, NO_ZONE, 1f32); n];
        let guards = &field.guards;
        let cell_centre = |i: usize, j: usize| {
            Chart2::new(u0 + (i as f64 + 0.5) * cell, v0 + (j as f64 + 0.5) * cell)
        };
        by_rows_three(
            workers,
            &mut field.zone,
            &mut field.mult,
            &mut marks,
            nu,
            |j0, zs, ms, hs| {
                for (dk, ((cell_zone, cell_mult), mark_cell)) in zs
                    .iter_mut()
                    .zip(ms.iter_mut())
                    .zip(hs.iter_mut())
                    .enumerate()
                {
                    let k = j0 * nu + dk;
                    *cell_mult = 1.0;
                    let p = centre[k];
                    let phi = p.x.atan2(p.y);
                    let in_band = depth.as_ref().map(|d| {
                        let dk = d.depth[k];
                        dk.is_finite()
                            && !d.at_end[k]
                            && dk as f64 >= -fringe_mm
                            && dk as f64 <= hairline.unwrap().zone_width_mm
                    });
                    let c = cell_centre(k % nu, k / nu);
                    let near_exclusion = exclusion_boxes
                        .iter()
                        .any(|&(a, b, cl, d)| c.u >= a && c.u <= b && c.v >= cl && c.v <= d);
                    let exclusion = if near_exclusion {
                        guards.exclusion_at(p, c)
                    } else {
                        None
                    };
                    if guards.below_brow(p) {
                        // Brows, eyes and the forehead beside them: never pigmented, whatever a zone says.
                        *cell_zone = NO_ZONE;
                        mark_cell.0 = MARK_HARD;
                    } else if let Some(i) = exclusion {
                        // Inside an exclusion or its safety margin.
                        *cell_zone = exclusion_zones[i].0 as u8;
                        mark_cell.0 = MARK_HARD;
                    } else {
                        // The pattern's zone of the cell; a cell a user polygon claimed keeps the polygon's
                        // zone (exclusions and scars keep their own multiplier of 1) and notes this one.
                        let (mut zone_b, mut mult_b, mut mark_b) = (NO_ZONE, 1f32, 0u8);
                        let (zone_k, mult_k, mark_k) = (&mut zone_b, &mut mult_b, &mut mark_b);
                        if in_band == Some(true) && p.z >= scalp_floor_z(phi) - 3.0 {
                            *zone_k = hairline_zone;
                            if hairline_zone != NO_ZONE {
                                let h = hairline.unwrap();
                                let dk = depth.as_ref().unwrap().depth[k] as f64;
                                let mut m = h.ramp(dk);
                                if dk < h.transition_mm + 3.0 {
                                    m *= 1.0 + h.irregularity * 1.3 * (noise.at(p) - 0.5);
                                }
                                if dk < 0.0 {
                                    // Ahead of the line, strays gather in seeded micro-clusters: patches of a few mm
                                    // keep them, the gaps between have none; farther ahead, fewer patches survive.
                                    let s = -dk / h.fringe_mm;
                                    let n = clusters.at(p);
                                    m = if n > 0.35 + 0.35 * s { m * 2.0 } else { 0.0 };
                                }
                                *mult_k = m.max(0.0) as f32;
                            }
                        } else if face[k]
                            || p.z < scalp_floor_z(phi) + FLOOR_IRREGULARITY_MM * floor_noise.at(p)
                        {
                            // Forehead, face, ears and neck: not scalp. With the hairline zone left out, the
                            // zones behind the hairline end at the forehead in a line, without the hairline's
                            // ramp and strays: its front is marked as the hairline's (review s21).
                            if hairline_zone == NO_ZONE && face[k] && p.y > 0.0 {
                                *mark_k = MARK_SKIPPED;
                            }
                        } else {
                            let wobble = REGION_WOBBLE_MM * (2.0 * region_noise.at(p) - 1.0);
                            let b = if p.z < fringe_top_z(phi, height, z_peak) + wobble {
                                if p.y > 5.0 && phi.abs() < 1.6 {
                                    BuiltinZone::Temples
                                } else if phi.abs() < 2.3 {
                                    BuiltinZone::Sides
                                } else {
                                    BuiltinZone::Back
                                }
                            } else if p.dist(lm.crown_whorl) < CROWN_RADIUS_MM + wobble {
                                BuiltinZone::Crown
                            } else if p.y > frontal_split_y + wobble {
                                BuiltinZone::Frontal
                            } else {
                                BuiltinZone::MidScalp
                            };
                            let slot = BuiltinZone::ALL.iter().position(|&x| x == b).unwrap();
                            *zone_k = builtin_slot[slot];
                            if *zone_k == NO_ZONE {
                                *mark_k = MARK_SKIPPED + slot as u8;
                            }
                        }
                        if claimed[k] {
                            (mark_cell.1, mark_cell.2) = (zone_b, mult_b);
                        } else {
                            (*cell_zone, *cell_mult, mark_cell.0) = (zone_b, mult_b, mark_b);
                        }
                    }
                    let z = *cell_zone;
                    if z != NO_ZONE && zones[z as usize].kind == ZoneKind::Exclusion {
                        *cell_mult = 0.0;
                    }
                }
            },
        );
        let hard: Vec<bool> = marks.iter().map(|m| m.0 == MARK_HARD).collect();
        field.skipped = marks
            .iter()
            .map(|&(m, _, _)| {
                if m >= MARK_SKIPPED {
                    m - MARK_SKIPPED + 1
                } else {
                    0
                }
            })
            .collect();
        // A blend zone fades toward bare skin (the retained hair's natural edge), not toward hair the design
        // leaves out (a pattern zone with `treated = false`: the client's own hair goes on there).
        let face_like: Vec<bool> = face
            .iter()
            .zip(&hard)
            .zip(&marks)
            .map(|((&f, &h), m)| f || h || m.0 > MARK_SKIPPED)
            .collect();
        // Cells within two cells of a hard limit (a 5 × 5 square around each, widened along the rows and
        // then the columns): candidates there get the exact test.
        let along_rows = crate::feather::widen_marks(&hard, nu, nv, 2, true);
        field.guarded = crate::feather::widen_marks(&along_rows, nu, nv, 2, false);
        // The cells a drawn zone's border crosses hold two zones: a point there is placed by the polygon.
        let unsplit: Vec<bool> = face.iter().zip(&hard).map(|(&f, &h)| f || h).collect();
        split::split_cells(&mut field, drawn, &unsplit, |k| {
            if claimed[k] {
                (marks[k].1, marks[k].2)
            } else {
                (NO_ZONE, 1.0)
            }
        });
        Ok(Raster {
            field,
            centre,
            face_like,
        })
    }

    /// The border of zone `z` as chart segments (marching squares through the cell centres), so outlines
    /// run diagonally instead of along the raster's staircase.
    pub fn outline(&self, z: u8) -> Vec<[Chart2; 2]> {
        self.outlines_of(&[z]).pop().expect("one zone")
    }

    /// The borders of `zones` (as [`Field::outline`] gives each), in one pass over the raster.
    pub fn outlines_of(&self, zones: &[u8]) -> Vec<Vec<[Chart2; 2]>> {
        let at = |i: isize, j: isize| {
            if i >= 0 && j >= 0 && (i as usize) < self.nu && (j as usize) < self.nv {
                self.zone[j as usize * self.nu + i as usize]
            } else {
                NO_ZONE
            }
        };
        let mut slot = [usize::MAX; 256];
        for (k, &z) in zones.iter().enumerate() {
            if z != NO_ZONE && slot[z as usize] == usize::MAX {
                slot[z as usize] = k;
            }
        }
        // Edge midpoints of the square whose lower-left sample is cell (i, j): bottom, right, top, left.
        let mid = |i: isize, j: isize, e: u8| {
            let (di, dj) = match e {
                0 => (1.0, 0.5),
                1 => (1.5, 1.0),
                2 => (1.0, 1.5),
                _ => (0.5, 1.0),
            };
            Chart2::new(
                self.u0 + (i as f64 + di) * self.cell,
                self.v0 + (j as f64 + dj) * self.cell,
            )
        };
        const CASES: [&[(u8, u8)]; 16] = [
            &[],
            &[(3, 0)],
            &[(0, 1)],
            &[(3, 1)],
            &[(1, 2)],
            &[(3, 0), (1, 2)],
            &[(0, 2)],
            &[(3, 2)],
            &[(2, 3)],
            &[(0, 2)],
            &[(0, 1), (2, 3)],
            &[(1, 2)],
            &[(1, 3)],
            &[(0, 1)],
            &[(3, 0)],
            &[],
        ];
        let mut out = vec![Vec::new(); zones.len()];
        for j in -1..self.nv as isize {
            for i in -1..self.nu as isize {
                let corners = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
                if corners[1..].iter().all(|&c| c == corners[0]) {
                    continue; // inside one zone (or none): no border here
                }
                for (n, &z) in corners.iter().enumerate() {
                    // Each zone among the corners once, at its first corner.
                    if z == NO_ZONE || slot[z as usize] == usize::MAX || corners[..n].contains(&z) {
                        continue;
                    }
                    let case = corners
                        .iter()
                        .enumerate()
                        .fold(0, |c, (b, &x)| c | usize::from(x == z) << b);
                    for &(a, b) in CASES[case] {
                        out[slot[z as usize]].push([mid(i, j, a), mid(i, j, b)]);
                    }
                }
            }
        }
        // A zone asked for twice gets the same border twice.
        for (k, &z) in zones.iter().enumerate() {
            if z != NO_ZONE && slot[z as usize] != k {
                out[k] = out[slot[z as usize]].clone();
            }
        }
        out
    }

    /// The cells of zone `z` (indices), for seeding and statistics.
    pub fn cells_of(&self, z: u8) -> impl Iterator<Item = usize> + '_ {
        self.zone
            .iter()
            .enumerate()
            .filter(move |(_, &c)| c == z)
            .map(|(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scar_drawn_onto_the_forehead_is_pigmented_only_behind_the_hairline() {
        use crate::{pattern_design, HeadMeasurements, Pattern, Sex};
        let m = HeadMeasurements::median(Sex::Male);
        let head = Head::new(m);
        let mut d = pattern_design(Pattern::Norwood(5), m, 5, 3);
        let poly = [(-20.0, 85.0), (-14.0, 85.0), (-14.0, 50.0), (-20.0, 50.0)]
            .iter()
            .map(|&(x, y)| head.point_from_above(x, y).expect("on the head"))
            .collect();
        d.zones.insert(
            0,
            crate::presets::user_zone("scar", ZoneKind::Scar, Region::Polygon(poly)),
        );
        let p = crate::plan(&d).expect("plans");
        let line = p.hairline.as_ref().expect("Norwood 5 has a hairline");
        // The lowest the hairline comes across the scar's width.
        let line_z = line
            .polyline
            .iter()
            .filter(|q| (-22.0..=-12.0).contains(&q.x) && q.y > 0.0)
            .map(|q| q.z)
            .fold(f64::INFINITY, f64::min);
        let scar: Vec<_> = p.impressions.iter().filter(|i| i.zone == 0).collect();
        assert!(
            scar.len() > 60,
            "the scar behind the line is camouflaged: {}",
            scar.len()
        );
        let lowest = scar.iter().map(|i| i.p.z).fold(f64::INFINITY, f64::min);
        assert!(
            lowest > line_z - 1.0,
            "a scar impression at z {lowest}, the hairline at {line_z}"
        );
    }
    use crate::design::{HairlineDesign, Pattern};
    use crate::head::{HeadMeasurements, Sex};

    fn field(pattern: Pattern) -> (Field, Vec<ZoneSpec>) {
        let head = Head::new(HeadMeasurements::median(Sex::Male));
        let lm = crate::landmarks::construct(&head, 80.0).unwrap();
        let hl = crate::hairline::construct(&head, &lm, &HairlineDesign::default(), 1);
        let zones = crate::presets::zones_for(pattern);
        (
            Field::build(&head, &lm, Some(&hl), &zones, 1).unwrap(),
            zones,
        )
    }

    #[test]
    fn full_scalp_area_is_about_500_cm2() {
        let (f, zones) = field(Pattern::FullScalp);
        let total: f64 = f.zone_area_mm2.iter().sum::<f64>() / 100.0;
        assert!((420.0..650.0).contains(&total), "scalp {total} cm²");
        for (z, a) in zones.iter().zip(&f.zone_area_mm2) {
            assert!(*a > 500.0, "zone {} only {a} mm²", z.id);
        }
        // The hairline band: length × width, roughly.
        let hl = f.zone_area_mm2[0] / 100.0;
        assert!((40.0..110.0).contains(&hl), "hairline {hl} cm²");
    }

    #[test]
    fn outlines_are_closed_loops() {
        let (f, zones) = field(Pattern::Norwood(6));
        for z in 0..zones.len() as u8 {
            let segs = f.outline(z);
            assert!(!segs.is_empty());
            // Every segment end is shared by exactly one other segment end: the border closes.
            let key = |c: Chart2| {
                (
                    (c.u / f.cell * 2.0).round() as i64,
                    (c.v / f.cell * 2.0).round() as i64,
                )
            };
            let mut ends = std::collections::HashMap::new();
            for s in &segs {
                *ends.entry(key(s[0])).or_insert(0) += 1;
                *ends.entry(key(s[1])).or_insert(0) += 1;
            }
            assert!(
                ends.values().all(|&n| n % 2 == 0),
                "zone {z} has an open border"
            );
        }
    }

    #[test]
    fn all_outlines_in_one_pass_are_each_zones_outline() {
        let (f, zones) = field(Pattern::Norwood(4));
        // Each zone on its own, straight from the definition: cases of the four corners in or out.
        let one = |z: u8| {
            let inside = |i: isize, j: isize| {
                i >= 0
                    && j >= 0
                    && (i as usize) < f.nu
                    && (j as usize) < f.nv
                    && f.zone[j as usize * f.nu + i as usize] == z
            };
            let mut cases = Vec::new();
            for j in -1..f.nv as isize {
                for i in -1..f.nu as isize {
                    let case = inside(i, j) as usize
                        | (inside(i + 1, j) as usize) << 1
                        | (inside(i + 1, j + 1) as usize) << 2
                        | (inside(i, j + 1) as usize) << 3;
                    if case != 0 && case != 15 {
                        cases.push((i, j, case));
                    }
                }
            }
            cases
        };
        let ids: Vec<u8> = (0..zones.len() as u8).chain([2, 0]).collect();
        let all = f.outlines_of(&ids);
        for (k, &z) in ids.iter().enumerate() {
            let want = one(z);
            assert!(!want.is_empty());
            let n: usize = want
                .iter()
                .map(|&(_, _, c)| [0, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 0][c])
                .sum();
            assert_eq!(all[k].len(), n, "zone {z}");
            assert_eq!(all[k], f.outline(z));
            // The first segment lies in the first square of the border.
            let (i, j, _) = want[0];
            let s = all[k][0][0];
            assert!((s.u - f.u0) / f.cell >= i as f64 && (s.v - f.v0) / f.cell >= j as f64);
        }
    }

    #[test]
    fn raster_area_matches_the_analytic_cap() {
        // Sum of all raster cells above z = 60 vs direct integration of the surface.
        let head = Head::new(HeadMeasurements::median(Sex::Male));
        let (f, _) = field(Pattern::FullScalp);
        let mut a = 0.0;
        for j in 0..f.nv {
            for i in 0..f.nu {
                if head.point_of_chart(f.cell_centre(i, j)).z >= 60.0 {
                    a += f.area[j * f.nu + i] as f64;
                }
            }
        }
        let exact = head.cap_area_cm2(60.0);
        assert!(
            (a / 100.0 - exact).abs() / exact < 0.01,
            "raster {} vs {exact}",
            a / 100.0
        );
    }
}
