//! The built-in mannequin: follicle's cranial vault (the plan's own two-part ellipsoid, untouched, so every
//! impression lies exactly on the rendered scalp) joined smoothly to a simple face, ears and neck of our
//! own, ray-marched into a G-buffer (diffuse light, specular light, depth) with a lit, textured skin and
//! optional existing short hair (stubble) where the plan's blend zones keep hair.
//!
//! The face/neck/ear shapes are signed-distance primitives placed on a median adult male head (ANSUR II
//! proportions: nasion–menton ≈ 120 mm, bizygomatic ≈ 140 mm, neck circumference ≈ 390 mm) and scaled
//! with the plan's head measurements. They only have to look plausible; nothing is measured on them.

use crate::camera::Camera;
use crate::color::{mix, Lin};
use crate::raster::LinearImage;
use follicle_core::field::NO_ZONE;
use follicle_core::noise::{mix64, ValueNoise};
use follicle_core::{Plan, Vec3, ZoneKind};

/// What the mannequin looks like.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Appearance {
    /// Skin albedo (linear RGB).
    pub skin: Lin,
    /// Colour of the existing hair (linear RGB), for stubble and brows.
    pub hair: Lin,
    /// Seed for the skin texture and stubble.
    pub seed: u64,
    /// Whether to draw existing stubble in blend zones that keep hair.
    pub stubble: bool,
    /// The face the mannequin wears.
    pub face: Face,
}

/// Which face the mannequin wears: the client's, as the design's head says (a woman's head for a Ludwig
/// pattern, GUIDE; `follicle_core::Design::sex`, plan.json's `head.sex`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Face {
    /// A man's face: brow ridge, broad jaw and chin, wide neck.
    #[default]
    Male,
    /// A woman's face: smooth brow, narrower jaw and pointed chin, smaller nose, fuller lips, slim neck.
    Female,
}

/// The face's parts in the median layout (mm; centre and radii of each ellipsoid; see [`Mannequin::features`]).
struct FaceParts {
    jaw: ([f64; 3], [f64; 3]),
    cheek: ([f64; 3], [f64; 3]),
    chin: ([f64; 3], [f64; 3]),
    brow_ridge: ([f64; 3], [f64; 3]),
    /// Nose axis from its root to its tip, with the radii there.
    nose: ([f64; 3], [f64; 3], f64, f64),
    upper_lip: ([f64; 3], [f64; 3]),
    lower_lip: ([f64; 3], [f64; 3]),
    /// Neck half-width and half-depth in front of / behind its axis.
    neck: (f64, f64, f64),
    /// Brow hair: half-thickness, mm, and how high the arch rises toward the tail.
    brow_hair: (f64, f64),
}

/// Median adult man (ANSUR II: nasion–menton ≈ 120 mm, bizygomatic ≈ 140 mm, neck circumference ≈ 390 mm).
const MALE_FACE: FaceParts = FaceParts {
    jaw: ([0.0, 58.0, -30.0], [56.0, 46.0, 60.0]),
    cheek: ([44.0, 70.0, 0.0], [17.0, 17.0, 11.0]),
    chin: ([0.0, 84.0, -70.0], [17.0, 15.0, 14.0]),
    brow_ridge: ([0.0, 91.0, 29.0], [42.0, 9.0, 6.0]),
    nose: ([0.0, 99.0, 16.0], [0.0, 117.0, -14.0], 6.0, 10.0),
    upper_lip: ([0.0, 99.0, -30.0], [23.0, 8.0, 6.0]),
    lower_lip: ([0.0, 97.0, -40.0], [20.0, 7.0, 6.0]),
    neck: (50.0, 55.0, 45.0),
    brow_hair: (4.5, 0.08),
};

/// Median adult woman (ANSUR II / Farkas: nasion–menton ≈ 110 mm, a lower face about 8 % shorter and the jaw
/// 10 % narrower than a man's, a brow without a ridge, a smaller nose, fuller lips, neck circumference
/// ≈ 320 mm), on the same vault scaling as the man's.
const FEMALE_FACE: FaceParts = FaceParts {
    jaw: ([0.0, 56.0, -27.0], [50.0, 44.0, 54.0]),
    cheek: ([42.0, 71.0, 3.0], [16.0, 16.0, 11.0]),
    chin: ([0.0, 80.0, -62.0], [12.0, 12.0, 11.0]),
    brow_ridge: ([0.0, 87.0, 29.0], [36.0, 5.0, 4.0]),
    nose: ([0.0, 97.0, 16.0], [0.0, 111.0, -11.0], 4.5, 8.0),
    upper_lip: ([0.0, 96.0, -27.0], [20.0, 8.0, 6.0]),
    lower_lip: ([0.0, 94.0, -37.0], [18.0, 8.0, 6.5]),
    neck: (41.0, 45.0, 37.0),
    brow_hair: (3.0, 0.16),
};

impl Face {
    /// The face of a head of `sex` (the case file's `[head] sex`; a Ludwig client's design is a woman's).
    pub fn of(sex: follicle_core::head::Sex) -> Face {
        match sex {
            follicle_core::head::Sex::Male => Face::Male,
            follicle_core::head::Sex::Female => Face::Female,
        }
    }
    /// `male` or `female`.
    pub fn parse(s: &str) -> Option<Face> {
        match s.trim().to_ascii_lowercase().as_str() {
            "male" | "man" => Some(Face::Male),
            "female" | "woman" => Some(Face::Female),
            _ => None,
        }
    }
    fn parts(self) -> &'static FaceParts {
        match self {
            Face::Male => &MALE_FACE,
            Face::Female => &FEMALE_FACE,
        }
    }
}

const fn v3(a: [f64; 3]) -> Vec3 {
    Vec3::new(a[0], a[1], a[2])
}

/// The shape: the plan's head plus our face, ears and neck.
pub struct Mannequin<'a> {
    plan: &'a Plan,
    /// The face it wears.
    face: Face,
    /// Scale from the median male layout to this head, per axis.
    s: Vec3,
    /// Blend weight of each blend zone's existing hair (0–1), by zone index.
    zone_hair: Vec<f64>,
}

#[inline]
fn ellipsoid(q: Vec3, r: Vec3) -> f64 {
    let k0 = Vec3::new(q.x / r.x, q.y / r.y, q.z / r.z).norm();
    let k1 = Vec3::new(q.x / (r.x * r.x), q.y / (r.y * r.y), q.z / (r.z * r.z)).norm();
    if k1 == 0.0 {
        -r.x.min(r.y).min(r.z)
    } else {
        k0 * (k0 - 1.0) / k1
    }
}

/// A lower bound of [`ellipsoid`]'s value: with `k0 = |q/r|` and `k1 = |q/r²| ≤ k0 / r_min`, the value
/// `k0 (k0 − 1) / k1` is at least `r_min (k0 − 1) ≥ (r_min / r_max) (|q| − r_max)` outside the bounding
/// sphere; `−∞` inside it.
#[inline]
fn ellipsoid_lower_bound(q: Vec3, r: Vec3) -> f64 {
    let (lo, hi) = (r.x.min(r.y).min(r.z), r.x.max(r.y).max(r.z));
    let t = q.norm() - hi;
    if t > 0.0 {
        lo / hi * t
    } else {
        f64::NEG_INFINITY
    }
}

#[inline]
fn smin(a: f64, b: f64, k: f64) -> f64 {
    let h = (0.5 + 0.5 * (b - a) / k).clamp(0.0, 1.0);
    b + (a - b) * h - k * h * (1.0 - h)
}

#[inline]
fn smax(a: f64, b: f64, k: f64) -> f64 {
    -smin(-a, -b, k)
}

/// Distance to a cone with rounded ends from `a` (radius `ra`) to `b` (radius `rb`), approximated.
#[inline]
fn round_cone(p: Vec3, a: Vec3, b: Vec3, ra: f64, rb: f64) -> f64 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.dot(ab)).clamp(0.0, 1.0);
    (p - (a + ab * t)).norm() - (ra + (rb - ra) * t)
}

const V: fn(f64, f64, f64) -> Vec3 = Vec3::new;

impl<'a> Mannequin<'a> {
    /// The mannequin for a plan's head.
    pub fn new(plan: &'a Plan) -> Self {
        let h = &plan.head;
        let s = Vec3::new(h.a / 77.0, h.b / 100.0, h.c_up / 98.0);
        // Every zone with existing-hair coverage keeps that hair (a blend zone's fringe, a Ludwig top's
        // thinning hair), shaved to match; exclusions carry none.
        let zone_hair = plan
            .zones
            .iter()
            .map(|z| {
                if z.spec.kind == ZoneKind::Exclusion {
                    0.0
                } else {
                    z.spec.coverage
                }
            })
            .collect();
        Self {
            plan,
            face: Face::Male,
            s,
            zone_hair,
        }
    }

    /// The same mannequin wearing `face`.
    pub fn with_face(self, face: Face) -> Self {
        Self { face, ..self }
    }

    /// Signed distance to the cranial vault alone (exact zero set: the plan's head surface).
    #[inline]
    fn cranium(&self, p: Vec3) -> f64 {
        let h = &self.plan.head;
        let q = p - h.centre;
        ellipsoid(q, V(h.a, h.b, if q.z >= 0.0 { h.c_up } else { h.c_low }))
    }

    /// Signed distance to the face, ears and neck (median layout, scaled).
    ///
    /// Each part is joined with a smooth minimum of radius `k`, which leaves the distance so far (`d`)
    /// unchanged whenever the part is at least `d + k` away; a cheap lower bound of the part's distance
    /// (its bounding sphere, see [`ellipsoid_lower_bound`]) skips the exact evaluation then, so the result
    /// is the same (to rounding) as evaluating every part.
    fn features(&self, p: Vec3) -> f64 {
        let gz = self.plan.head.centre.z;
        let q = V(p.x / self.s.x, p.y / self.s.y, (p.z - gz) / self.s.z + 33.0);
        let ax = q.x.abs();
        let qs = V(ax, q.y, q.z); // mirrored for paired parts
                                  // Join an ellipsoid (centre c, radii r) to d with a smooth minimum of radius k.
        let join = |d: f64, q: Vec3, c: Vec3, r: Vec3, k: f64| -> f64 {
            if ellipsoid_lower_bound(q - c, r) >= d + k {
                d
            } else {
                smin(d, ellipsoid(q - c, r), k)
            }
        };
        let f = self.face.parts();
        let mut d = ellipsoid(q - v3(f.jaw.0), v3(f.jaw.1)); // face and jaw
        d = join(d, qs, v3(f.cheek.0), v3(f.cheek.1), 12.0); // cheekbones
        d = join(d, q, v3(f.chin.0), v3(f.chin.1), 10.0); // chin
        d = join(d, q, v3(f.brow_ridge.0), v3(f.brow_ridge.1), 10.0); // brow ridge
                                                                      // Nose: a rounded cone inside the sphere around its axis' midpoint.
        let (na, nb, ra, rb) = (v3(f.nose.0), v3(f.nose.1), f.nose.2, f.nose.3);
        if (q - (na + nb) * 0.5).norm() - (nb - na).norm() * 0.5 - rb < d + 7.0 {
            d = smin(d, round_cone(q, na, nb, ra, rb), 7.0);
        }
        let wing = nb - V(-10.0, 9.0, 2.0) * (rb / 10.0);
        d = join(d, qs, wing, V(9.0, 8.0, 6.0) * (rb / 10.0), 5.0); // nostril wings
        d = join(d, q, v3(f.upper_lip.0), v3(f.upper_lip.1), 4.0); // upper lip
        d = join(d, q, v3(f.lower_lip.0), v3(f.lower_lip.1), 4.0); // lower lip
                                                                   // Eye sockets (a smooth difference: no effect where the socket sphere is 6 mm beyond d's reach).
        let socket = -(qs - V(32.0, 103.0, 14.0)).norm() + 15.0;
        if socket > d - 6.0 {
            d = smax(d, socket, 6.0);
        }
        d = smin(d, (qs - V(32.0, 86.0, 14.0)).norm() - 12.5, 2.0); // eyes
                                                                    // Neck, cut flat below the frame: narrower at the back than the skull, so that it stays at least
                                                                    // 10 mm inside the cranium wherever hair may grow (the nape hairline, 44 mm below tragion level)
                                                                    // and the smooth join never lifts the planned scalp.
        let (nx, front, back) = f.neck;
        let ry = if q.y < -18.0 { back } else { front };
        let n = V(q.x / nx, (q.y + 18.0) / ry, 0.0).norm() * 56.0 - 56.0;
        let neck = smax(smax(n, q.z + 25.0, 1.0), -(q.z + 175.0), 8.0);
        d = smin(d, neck, 22.0);
        d * self.s.x.min(self.s.y).min(self.s.z)
    }

    /// Signed distance to the ears (median layout, scaled): a flattened, slightly tilted shell with a
    /// hollow. They join the head with a tight crease, as real ears do, so the hair in front of, above and
    /// behind them keeps the plan's surface.
    fn ears(&self, p: Vec3) -> f64 {
        let gz = self.plan.head.centre.z;
        let q = V(p.x / self.s.x, p.y / self.s.y, (p.z - gz) / self.s.z + 33.0);
        let e = V(q.x.abs(), q.y, q.z) - V(79.0, -8.0, 6.0);
        let scale = self.s.x.min(self.s.y).min(self.s.z);
        let bound = ellipsoid_lower_bound(e, V(9.0, 17.0, 30.0));
        if bound > 6.0 {
            return bound * scale;
        }
        let (c, s) = (0.25f64.cos(), 0.25f64.sin());
        let e = V(e.x, e.y * c + e.z * s, -e.y * s + e.z * c);
        // Inside the elongated bowl the ellipsoid estimate overstates the distance to its wall: halved, the
        // ray march never steps through the bowl's floor (the zero set is unchanged).
        smax(
            ellipsoid(e, V(9.0, 17.0, 30.0)),
            -0.5 * ellipsoid(e - V(7.0, 1.0, -2.0), V(5.0, 9.0, 17.0)),
            2.0,
        ) * scale
    }

    /// Signed distance to the whole mannequin, mm (negative inside).
    pub fn sdf(&self, p: Vec3) -> f64 {
        let c = self.cranium(p);
        // Far from the features the union is the cranium itself: skip the features' work there.
        if p.z > self.plan.head.centre.z + 20.0
            && p.y < 60.0 * self.s.y
            && p.x.abs() < 60.0 * self.s.x
        {
            return c;
        }
        smin(smin(c, self.features(p), 10.0), self.ears(p), 1.5)
    }

    /// Outward unit normal at a surface point.
    pub fn normal(&self, p: Vec3) -> Vec3 {
        let e = 0.05;
        let k = [
            V(1.0, -1.0, -1.0),
            V(-1.0, -1.0, 1.0),
            V(-1.0, 1.0, -1.0),
            V(1.0, 1.0, 1.0),
        ];
        let mut n = V(0.0, 0.0, 0.0);
        for d in k {
            n = n + d * self.sdf(p + d * e);
        }
        n.normalized()
    }

    /// Whether a surface point belongs to the scalp (the plan's head surface, not a feature).
    pub fn on_scalp(&self, p: Vec3) -> bool {
        self.cranium(p).abs() < 0.2 && self.features(p) > 2.0 && self.ears(p) > 0.5
    }

    /// The axis-aligned box that holds the whole bust (cranium, face, ears, neck), with a margin for the
    /// smooth joins: rays that miss it are background without any distance evaluation.
    fn bounds(&self) -> (Vec3, Vec3) {
        let h = &self.plan.head;
        let (s, gz) = (self.s, h.centre.z);
        let m = 12.0;
        let lo = V(
            (-h.a).min(-100.0 * s.x),
            (h.centre.y - h.b).min(-85.0 * s.y),
            (gz - h.c_low).min(gz + s.z * (-200.0 - 33.0)),
        );
        let hi = V(
            h.a.max(100.0 * s.x),
            (h.centre.y + h.b).max(135.0 * s.y),
            (gz + h.c_up).max(gz + s.z * (55.0 - 33.0)),
        );
        (
            V(lo.x + h.centre.x.min(0.0) - m, lo.y - m, lo.z - m),
            V(hi.x + h.centre.x.max(0.0) + m, hi.y + m, hi.z + m),
        )
    }

    /// Marches a ray from `o` along unit `d`; returns the distance to the first hit.
    pub fn hit(&self, o: Vec3, d: Vec3) -> Option<f64> {
        // Clip the ray to the bust's bounding box (slab test).
        let (lo, hi) = self.bounds();
        let (mut t0, mut t1) = (0.0f64, f64::INFINITY);
        for (o, d, lo, hi) in [
            (o.x, d.x, lo.x, hi.x),
            (o.y, d.y, lo.y, hi.y),
            (o.z, d.z, lo.z, hi.z),
        ] {
            if d.abs() < 1e-12 {
                if o < lo || o > hi {
                    return None;
                }
                continue;
            }
            let (a, b) = ((lo - o) / d, (hi - o) / d);
            t0 = t0.max(a.min(b));
            t1 = t1.min(a.max(b));
        }
        if t0 > t1 {
            return None;
        }
        let mut t = t0;
        for _ in 0..200 {
            let dist = self.sdf(o + d * t);
            if dist < 0.004 + 2e-5 * t {
                return Some(t);
            }
            t += dist * 0.9;
            if t > t1 {
                return None;
            }
        }
        None
    }

    /// Ambient occlusion at a surface point with normal `n` (1 = open).
    fn occlusion(&self, p: Vec3, n: Vec3) -> f64 {
        let mut occ = 0.0;
        let mut w = 1.0;
        for h in [3.0, 7.0, 13.0, 22.0, 34.0] {
            occ += w * (h - self.sdf(p + n * h)).max(0.0) / h;
            w *= 0.6;
        }
        (1.0 - 0.45 * occ).clamp(0.25, 1.0)
    }

    /// Share of existing hair at a scalp point (0–1): the blend zones' coverage as the plan splits it with
    /// the impressions (see [`retained_share`]), softened at their borders.
    fn hair_share(&self, p: Vec3) -> f64 {
        let f = &self.plan.field;
        let c = self.plan.head.chart_of(p);
        let mut acc = 0.0;
        let o = f.cell * 1.6;
        for (du, dv) in [
            (0.0, 0.0),
            (o, 0.0),
            (-o, 0.0),
            (0.0, o),
            (0.0, -o),
            (o, o),
            (-o, -o),
            (o, -o),
            (-o, o),
        ] {
            let Some(i) = f.index(follicle_core::geom::Chart2::new(c.u + du, c.v + dv)) else {
                continue;
            };
            let z = f.zone[i];
            if z != NO_ZONE {
                acc += retained_share(self.zone_hair[z as usize], f.mult[i] as f64);
            } else if f.skipped.get(i).is_some_and(|&s| s > 1) {
                // A pattern zone the design leaves out (not the hairline band, whose mark lies on the
                // forehead): the client's own hair, kept shaved, and untreated because it needs no help
                // (outside probe s21: it was drawn as bare skin).
                acc += 1.0;
            }
        }
        acc / 9.0
    }

    /// Skin albedo at a surface point seen with pixels `pixel_mm` wide (`scalp`: whether it is on the scalp).
    fn albedo(&self, p: Vec3, n: Vec3, scalp: bool, pixel_mm: f64, look: &Appearance) -> Lin {
        let seed = look.seed;
        let blotch = ValueNoise::new(seed, 22.0).at(p) - 0.5;
        let mottle = ValueNoise::new(seed ^ 1, 5.0).at(p) - 0.5;
        let red = ValueNoise::new(seed ^ 2, 11.0).at(p) - 0.5;
        // Pores and fine grain fade out when a pixel covers them (their mean is already in the albedo).
        let fine_w = (1.0 - pixel_mm / 0.35).clamp(0.0, 1.0);
        let fine = if fine_w > 0.0 {
            (ValueNoise::new(seed ^ 3, 0.45).at(p) - 0.5) * fine_w
        } else {
            0.0
        };
        let k = 1.0 + 0.10 * blotch + 0.06 * mottle + 0.10 * fine;
        let mut a = [
            look.skin[0] * k as f32,
            look.skin[1] * (k * (1.0 - 0.05 * red)) as f32,
            look.skin[2] * (k * (1.0 - 0.06 * red)) as f32,
        ];
        let gz = self.plan.head.centre.z;
        let q = V(p.x / self.s.x, p.y / self.s.y, (p.z - gz) / self.s.z + 33.0);
        // Lips a little redder.
        let lip = (1.0
            - ((q.y - 96.0).abs().max(0.0) / 8.0 + (q.z + 35.0).abs() / 10.0 + q.x.abs() / 22.0))
            .clamp(0.0, 1.0);
        a = mix(
            a,
            [a[0] * 0.95, a[1] * 0.66, a[2] * 0.68],
            (lip * 1.6).min(1.0) as f32,
        );
        // Brows: an arc of hair above each eye.
        let bx = q.x.abs() - 33.0;
        let (thick, arch) = self.face.parts().brow_hair;
        let brow =
            (1.0 - (bx / 20.0).powi(2) - ((q.z - 27.0 - arch * -bx.min(0.0)) / thick).powi(2))
                .clamp(0.0, 1.0);
        if brow > 0.0 && q.y > 80.0 {
            let grain = if pixel_mm < 0.3 {
                0.6 + 0.4 * ValueNoise::new(seed ^ 4, 0.6).at(p)
            } else {
                0.8
            };
            a = mix(a, look.hair, (brow.sqrt() * grain * 0.85) as f32);
        }
        if look.stubble && scalp {
            let share = self.hair_share(p);
            if share > 0.0 {
                a = mix(
                    a,
                    look.hair,
                    (stubble(p, n, share, pixel_mm, seed) * 0.9) as f32,
                );
            }
        }
        a
    }

    /// Renders the mannequin into a G-buffer for `camera`.
    pub fn gbuffer(&self, camera: &Camera, look: &Appearance) -> GBuffer {
        let (w, h) = (camera.w, camera.h);
        let mut g = GBuffer {
            diffuse: LinearImage::new(w, h, [0.0; 3]),
            spec: LinearImage::new(w, h, [0.0; 3]),
            depth: vec![f32::INFINITY; w * h],
        };
        let key = (camera.right * 0.55 + camera.up * 0.75 - camera.fwd * 0.55).normalized();
        let fill = (camera.right * -0.8 + camera.up * 0.15 - camera.fwd * 0.5).normalized();
        let rim = (camera.up * 0.6 + camera.fwd * 0.8 - camera.right * 0.3).normalized();
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                let d = camera.ray(x as f64 + 0.5, y as f64 + 0.5);
                let Some(t) = self.hit(camera.eye, d) else {
                    let v = 1.0 - y as f32 / h as f32;
                    g.diffuse.px[i] = [0.16 + 0.22 * v, 0.17 + 0.22 * v, 0.19 + 0.23 * v];
                    continue;
                };
                let p = camera.eye + d * t;
                let scalp = self.on_scalp(p);
                let n = if scalp {
                    self.plan.head.normal(p)
                } else {
                    self.normal(p)
                };
                let z = t * d.dot(camera.fwd);
                g.depth[i] = z as f32;
                let pixel_mm = camera.pixel_mm(z);
                let albedo = self.albedo(p, n, scalp, pixel_mm, look);
                let ao = self.occlusion(p, n);
                let wrap = |l: Vec3, w: f64| ((n.dot(l) + w) / (1.0 + w)).max(0.0);
                let kd = wrap(key, 0.25);
                let fd = wrap(fill, 0.4);
                let rd = n.dot(rim).max(0.0).powi(2);
                let sky = 0.5 + 0.5 * n.z;
                // Light colours: warm key, neutral fill, cool sky; skin's subsurface warms the terminator.
                let irr = [
                    (1.05 * kd + 0.30 * fd + 0.25 * rd + (0.16 + 0.08 * sky) * ao) as f32,
                    (0.98 * kd + 0.30 * fd + 0.25 * rd + (0.16 + 0.09 * sky) * ao) as f32,
                    (0.90 * kd + 0.31 * fd + 0.27 * rd + (0.17 + 0.11 * sky) * ao) as f32,
                ];
                let sss = (kd * (1.0 - kd) * 0.35) as f32;
                g.diffuse.px[i] = [
                    albedo[0] * (irr[0] + sss),
                    albedo[1] * (irr[1] + sss * 0.35),
                    albedo[2] * (irr[2] + sss * 0.25),
                ];
                let hv = (key - d).normalized();
                let nh = n.dot(hv).max(0.0);
                let fres = 0.04 + 0.96 * (1.0 - n.dot(-d).max(0.0)).powi(5);
                let shine = if scalp { 1.3 } else { 1.0 };
                let s = ((0.10 * nh.powi(60) + 0.05 * nh.powi(10))
                    * (0.5 + 4.0 * fres)
                    * shine
                    * ao
                    * (kd > 0.0) as u8 as f64) as f32;
                g.spec.px[i] = [s * 1.0, s * 0.98, s * 0.95];
            }
        }
        g
    }
}

/// Share of retained hair in a blend zone of `coverage` where the plan multiplies the zone's impression
/// density by `mult`. The impressions fill what the hair lacks (`1 − coverage` of the design density), so
/// where the plan raises them (the ramp beside a treated zone) the hair thins by as much: hair and
/// impressions together stay one even cover instead of a dark ring at the border. Where the plan fades
/// the zone out (its natural edge), the hair fades with it.
fn retained_share(coverage: f64, mult: f64) -> f64 {
    if coverage <= 0.0 {
        0.0
    } else if mult >= 1.0 {
        (1.0 - (1.0 - coverage) * mult).clamp(0.0, coverage)
    } else {
        coverage * mult.max(0.0)
    }
}

/// Radius of the dark dot one shaved hair makes (its cut shaft and the follicle seen through the skin), mm.
const STUBBLE_DOT_MM: f64 = 0.16;
/// Darkness of such a dot (share of the way from the skin to the hair colour).
const STUBBLE_DOT_DARKNESS: f64 = 0.9;
/// Even darkening toward the hair colour under shaved hair at full share (the shafts under the skin and
/// the follicles' shadow). With two hairs per mm² the whole cover at full share comes to ≈ 0.33, which the
/// albedo turns into ≈ 28 % less light on the default skin and hair: the tone the calibration gives a
/// healed zone at 100 % (`optics::TARGET_HEALED_DROP`, a head shaved close with a foil shaver;
/// docs/preview-model.md), so retained hair and impressions make one cover (tested).
const STUBBLE_SHADOW: f64 = 0.21;
/// Pixel sizes over which the drawn hairs give way to their mean, mm: up to the first each hair is drawn
/// as its share of every pixel it touches (a grain a client sees at the size a preview is shown, where a
/// flat tint read as a bald head, outside probe F4); past the second, the mean alone.
const STUBBLE_GRAIN_PX_MM: (f64, f64) = (0.6, 0.9);

/// Existing stubble at `p` (normal `n`): two hairs per mm² (`shaved::HAIRS_PER_MM2`) times `share`, each a
/// dark dot of a shaved shaft and its follicle seen through the skin, over an even shadow. Each dot covers
/// the share of a `pixel_mm` pixel it overlaps, so the stubble keeps its grain down to client-size
/// pictures; the local mean for larger pixels. Returns how far the skin turns to the hair colour.
fn stubble(p: Vec3, n: Vec3, share: f64, pixel_mm: f64, seed: u64) -> f64 {
    const DOT_MM: f64 = STUBBLE_DOT_MM;
    const PER_CELL: usize = crate::shaved::HAIRS_PER_MM2 as usize;
    let shadow = STUBBLE_SHADOW * share;
    let dots = PER_CELL as f64 * std::f64::consts::PI * DOT_MM * DOT_MM * STUBBLE_DOT_DARKNESS;
    let mean = shadow + share * dots * (1.0 - shadow);
    let (g0, g1) = STUBBLE_GRAIN_PX_MM;
    if pixel_mm >= g1 {
        return mean;
    }
    // A dot's overlap with the pixel (a square `pixel_mm` wide, taken as a disc of the same area): the
    // whole dot inside, the whole pixel inside, and a linear edge between.
    let half = pixel_mm * 0.5;
    let cover = (std::f64::consts::PI * DOT_MM * DOT_MM / (pixel_mm * pixel_mm)).min(1.0);
    let (near, far) = ((half - DOT_MM).abs(), half + DOT_MM);
    let (ci, cj, ck) = (p.x.floor() as i64, p.y.floor() as i64, p.z.floor() as i64);
    let mut v: f64 = 0.0;
    for di in -1..=1 {
        for dj in -1..=1 {
            for dk in -1..=1 {
                let (i, j, k) = (ci + di, cj + dj, ck + dk);
                for hair in 0..PER_CELL as u64 {
                    let h = mix64(
                        seed ^ (i as u64).wrapping_mul(0x9E37_79B9)
                            ^ (j as u64).wrapping_mul(0x85EB_CA6B_0000)
                            ^ (k as u64).wrapping_mul(0xC2B2_AE35_0000_0000)
                            ^ hair.wrapping_mul(0x27D4_EB2F_1656_67C5),
                    );
                    let u = |s: u32| ((h >> s) & 0xFFFF) as f64 / 65536.0;
                    if u(48) > share {
                        continue;
                    }
                    let q = V(i as f64 + u(0), j as f64 + u(16), k as f64 + u(32));
                    let r = q - p;
                    let along = r.dot(n);
                    if along.abs() > 0.5 {
                        continue; // per mm² of surface: only the slab around the surface counts
                    }
                    let dist = (r.norm2() - along * along).max(0.0).sqrt();
                    if dist < far {
                        v += cover * ((far - dist) / (far - near).max(1e-9)).min(1.0);
                    }
                }
            }
        }
    }
    let drawn = shadow + v.min(1.0) * STUBBLE_DOT_DARKNESS * (1.0 - shadow);
    let t = ((pixel_mm - g0) / (g1 - g0)).clamp(0.0, 1.0);
    drawn * (1.0 - t) + mean * t
}

/// The rendered mannequin before impressions: light split into diffuse (which pigment filters) and
/// specular (reflected at the skin surface, over the pigment), and the depth of each pixel.
pub struct GBuffer {
    /// Albedo × irradiance, linear RGB (background already filled in).
    pub diffuse: LinearImage,
    /// Surface reflection, linear RGB.
    pub spec: LinearImage,
    /// Depth along the view axis, mm (infinite on the background).
    pub depth: Vec<f32>,
}

impl GBuffer {
    /// Diffuse plus specular: the final picture.
    pub fn combine(&self, diffuse: &LinearImage) -> LinearImage {
        let mut out = diffuse.clone();
        for (o, s) in out.px.iter_mut().zip(&self.spec.px) {
            o[0] += s[0];
            o[1] += s[1];
            o[2] += s[2];
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        follicle_core::plan(&follicle_core::demo_design()).unwrap()
    }

    #[test]
    fn impressions_lie_on_the_mannequin_surface() {
        let p = plan();
        let m = Mannequin::new(&p);
        // Every impression, not a sample: the ears and neck must not reach into the planned scalp.
        for imp in &p.impressions {
            assert!(
                m.sdf(imp.p).abs() < 0.05,
                "sdf {} at {:?}",
                m.sdf(imp.p),
                imp.p
            );
        }
    }

    #[test]
    fn retained_hair_and_impressions_share_one_cover() {
        // Inside a blend zone: the coverage. Beside a treated zone, where the impressions ramp up, the hair
        // thins so that hair + impressions stays 1; at the zone's natural edge both fade out.
        assert!((retained_share(0.8, 1.0) - 0.8).abs() < 1e-12);
        assert!((retained_share(0.8, 3.0) - 0.4).abs() < 1e-12);
        assert_eq!(retained_share(0.8, 6.0), 0.0);
        assert!((retained_share(0.5, 0.5) - 0.25).abs() < 1e-12);
        assert_eq!(retained_share(0.0, 1.0), 0.0);
        for m in [0.0, 0.3, 1.0, 1.7, 4.0] {
            let s = retained_share(0.6, m);
            assert!((0.0..=0.6).contains(&s), "{m}: {s}");
        }
    }

    #[test]
    fn the_retained_fringe_reads_as_a_shaved_shadow() {
        let p = plan();
        let m = Mannequin::new(&p);
        let look = crate::Scene::new(7).appearance;
        let bare = Appearance {
            stubble: false,
            ..look
        };
        // How far the skin turns toward the hair colour, on average over a zone's impression positions.
        let darkening = |id: &str, pixel_mm: f64| -> f64 {
            let zi = p.zones.iter().position(|z| z.spec.id == id).unwrap();
            let pts: Vec<Vec3> = p
                .impressions
                .iter()
                .filter(|i| i.zone == zi)
                .step_by(17)
                .take(300)
                .map(|i| i.p)
                .collect();
            let sum: f64 = pts
                .iter()
                .map(|&q| {
                    let n = p.head.normal(q);
                    let a = m.albedo(q, n, true, pixel_mm, &look);
                    let b = m.albedo(q, n, true, pixel_mm, &bare);
                    ((b[1] - a[1]) / (b[1] - look.hair[1])) as f64
                })
                .sum();
            sum / pts.len() as f64
        };
        // The demo's Norwood 6 keeps half its cover on the sides and back: half the full shaved cover
        // (≈ 0.3 of the way to the hair colour, the calibrated tone of a healed zone at 100 %), alike close
        // up, at client size and from afar; the crown has no hair left.
        let far = darkening("sides", 1.0);
        assert!(far > 0.12 && far < 0.18, "sides from afar: {far}");
        for px in [0.1, 0.35] {
            let s = darkening("sides", px);
            assert!(
                (s / far - 1.0).abs() < 0.2,
                "sides at {px} mm pixels: {s} vs {far}"
            );
        }
        assert_eq!(darkening("crown", 1.0), 0.0);
        // At client size (0.35 mm pixels) the hairs stay a grain, not a flat tint: the pixels differ.
        let zi = p.zones.iter().position(|z| z.spec.id == "sides").unwrap();
        let q = p.impressions.iter().find(|i| i.zone == zi).unwrap().p;
        let n = p.head.normal(q);
        let t = n.cross(V(0.0, 0.0, 1.0)).normalized(); // along the surface
        let values: Vec<f64> = (0..200)
            .map(|k| stubble(q + t * (k as f64 * 0.35), n, 0.5, 0.35, 7))
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let sd =
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
        assert!(
            sd > 0.3 * mean,
            "no grain at client size: mean {mean}, sd {sd}"
        );
    }

    /// Retained hair at its full share, shaved to match, darkens the skin as much as a healed zone at
    /// 100 % does (`optics::TARGET_HEALED_DROP`): hair and impressions make one cover, so a fringe kept at
    /// half its cover reads half as dark before and as dark as the treated top after. (Tuned to the
    /// calibration's s8 value of 18 % it left a Norwood fringe's "before" reading as bald skin.)
    #[test]
    fn full_shaved_hair_darkens_as_much_as_a_healed_zone_at_full_density() {
        let look = crate::Scene::new(7).appearance;
        let lum = |c: Lin| 0.2126 * c[0] as f64 + 0.7152 * c[1] as f64 + 0.0722 * c[2] as f64;
        let n = V(0.0, 0.0, 1.0);
        let drop = |share: f64| {
            let mut sum = 0.0;
            for k in 0..400 {
                let q = V(k as f64 * 0.37, (k % 7) as f64 * 1.3, 0.0);
                let m = stubble(q, n, share, 1.0, 7) * 0.9;
                let a = mix(look.skin, look.hair, m as f32);
                sum += 1.0 - lum(a) / lum(look.skin);
            }
            sum / 400.0
        };
        let full = drop(1.0);
        assert!(
            (full - crate::optics::TARGET_HEALED_DROP).abs() < 0.02,
            "full share darkens by {full}"
        );
        assert!((drop(0.5) / full - 0.5).abs() < 0.05, "{}", drop(0.5));
    }

    /// The first surface point along `d` from `o` (the mannequin's own ray march), mm from `o`.
    fn reach(m: &Mannequin, o: Vec3, d: Vec3) -> f64 {
        m.hit(o, d).expect("the ray meets the mannequin")
    }

    #[test]
    fn a_woman_s_face_is_a_woman_s_and_the_vault_stays_the_plan_s() {
        let p = plan();
        let (man, woman) = (
            Mannequin::new(&p),
            Mannequin::new(&p).with_face(Face::Female),
        );
        let c = p.head.centre;
        let s = man.s;
        // Layout point (median face frame) to head frame.
        let at = |x: f64, y: f64, z: f64| V(x * s.x, y * s.y, c.z + (z - 33.0) * s.z);
        // Neck: seen from the side at the level of the Adam's apple, a woman's is about 18 % narrower.
        let neck =
            |m: &Mannequin| 300.0 - reach(m, at(300.0 / s.x, -18.0, -140.0), V(-1.0, 0.0, 0.0));
        let (nm, nw) = (neck(&man), neck(&woman));
        assert!(nw < 0.9 * nm, "neck half-width {nw:.1} vs {nm:.1} mm");
        // Jaw: at the corner of the mouth's level, narrower.
        let jaw = |m: &Mannequin| 300.0 - reach(m, at(300.0 / s.x, 55.0, -55.0), V(-1.0, 0.0, 0.0));
        let (jm, jw) = (jaw(&man), jaw(&woman));
        assert!(jw < jm - 3.0, "jaw half-width {jw:.1} vs {jm:.1} mm");
        // Brow: no ridge, so the brow lies further back above the eyes.
        let brow = |m: &Mannequin| 300.0 - reach(m, at(0.0, 300.0 / s.y, 31.0), V(0.0, -1.0, 0.0));
        let (bm, bw) = (brow(&man), brow(&woman));
        assert!(bw < bm - 2.0, "brow {bw:.1} vs {bm:.1} mm forward");
        // The scalp is the plan's surface for both: every impression lies on it.
        for m in &p.impressions {
            assert!(woman.sdf(m.p).abs() < 0.05, "{:?}: {}", m.p, woman.sdf(m.p));
        }
        assert_eq!(Face::of(follicle_core::head::Sex::Female), Face::Female);
        assert_eq!(Face::parse(" Female "), Some(Face::Female));
        assert_eq!(Face::parse("other"), None);
    }

    #[test]
    fn rays_hit_the_head_and_miss_beside_it() {
        let p = plan();
        let m = Mannequin::new(&p);
        let o = V(0.0, 0.0, 600.0);
        let t = m.hit(o, V(0.0, 0.0, -1.0)).unwrap();
        assert!((600.0 - t - p.head.vertex().z).abs() < 0.1);
        assert!(m.hit(V(300.0, 0.0, 600.0), V(0.0, 0.0, -1.0)).is_none());
        // The face sits in front of the glabella's chin line.
        assert!(
            m.sdf(V(0.0, 95.0, -30.0)) < 0.0,
            "mouth region inside the face"
        );
    }
}
