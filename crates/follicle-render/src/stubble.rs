//! The texture of a shaved head: every follicle drawn, so clipped sides read as stubble and not as a tint.
//!
//! Hair grows in follicular units of one to three hairs, about one unit per mm² ([`UNITS_PER_MM2`],
//! with [`HAIRS_PER_UNIT`] ≈ 2 hairs each: Bernstein & Rassman 1997, Headington 1984). Each hair of a
//! shaved head is seen twice: its shaft runs obliquely under the skin for about half a millimetre before
//! it leaves it ([`SHAFT_UNDER_MM`]), seen through the epidermis as a short blurred grey stroke
//! ([`SHAFT_UNDER_SIGMA_MM`]), and the stub above the skin, as long as the clipper guard leaves it, is a
//! thin dark stroke in the hair's own colour ([`STUB_SIGMA_MM`]). The units lie on a jittered grid seeded
//! by the plan (the same head gets the same stubble in every picture and in the enlarged crop, where the
//! same follicles are drawn sharper), the hairs of a unit point the same way, down the head.
//!
//! [`Stubble::at`] answers, for a point of the photo in millimetres and the size of a pixel there, how much
//! of the stubble's mean darkening that pixel carries, for the shafts under the skin and the stubs above it,
//! each 1 on average at any pixel size (the strokes are blurred by the pixel's own footprint and their
//! mean is computed exactly), so the shaved picture's tones, the guard that matches the pigment and the
//! legibility figures keep their means while the pixels get the follicles' grain.

use follicle_core::noise::mix64;

/// Follicular units per mm² of hair-bearing scalp (one unit of about two hairs per mm²).
pub const UNITS_PER_MM2: f64 = 1.0;
/// Mean hairs per follicular unit (one, two or three: 30 %, 45 %, 25 %).
pub const HAIRS_PER_UNIT: f64 = 1.95;
/// Length of a hair's shaft seen through the skin before it leaves it, mm (the shaft runs at a shallow
/// angle through the dermis; **assumption** from close-ups of razor-shaved scalps: dots of ~0.3–0.6 mm).
pub const SHAFT_UNDER_MM: f64 = 0.5;
/// Blur of the shaft seen through the epidermis, mm (Gaussian σ; light scattered in the skin).
pub const SHAFT_UNDER_SIGMA_MM: f64 = 0.12;
/// Half-width of a stub above the skin, mm (Gaussian σ: a scalp hair is 0.06–0.1 mm thick).
pub const STUB_SIGMA_MM: f64 = 0.045;
/// Longest stroke a stub is drawn as, mm: longer stubble lies down over its neighbours and reads as the
/// even shadow between the strokes.
pub const STUB_MAX_MM: f64 = 1.2;
/// Most of the skin's light one pixel of drawn stubble takes away (no pixel goes black: the rest of the
/// darkening is the even shadow between the strokes).
pub const PEAK_DARKENING: f64 = 0.85;

/// How much of the stubble's mean darkening one pixel carries (1 on average, for each part).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Texture {
    /// The shafts seen under the skin.
    pub under: f32,
    /// The stubs above the skin.
    pub above: f32,
    /// About the largest `under` a pixel of this size takes (the three shafts of a unit over each other).
    pub peak_under: f32,
    /// The largest `above` a pixel of this size takes.
    pub peak_above: f32,
}

/// The seeded stubble of one head clipped to one guard.
#[derive(Clone, Copy, Debug)]
pub struct Stubble {
    seed: u64,
    /// Length of the stub stroke drawn above the skin, mm.
    stub_mm: f64,
}

/// One stroke: a segment blurred across, with its amplitude for the pixel size.
struct Stroke {
    sigma: f64,
    len: f64,
}

impl Stroke {
    /// The blur with the pixel's footprint (a box `pixel_mm` wide has the variance `pixel_mm²/12`).
    fn sigma_eff(&self, pixel_mm: f64) -> f64 {
        (self.sigma * self.sigma + pixel_mm * pixel_mm / 12.0).sqrt()
    }
    /// Peak of one stroke at this pixel size (its cross-section's integral is kept).
    fn amp(&self, pixel_mm: f64) -> f64 {
        self.sigma / self.sigma_eff(pixel_mm)
    }
    /// Mean of the sum of all strokes over the plane, per pixel of this size.
    fn mean(&self, pixel_mm: f64) -> f64 {
        let se = self.sigma_eff(pixel_mm);
        UNITS_PER_MM2
            * HAIRS_PER_UNIT
            * (self.len * (2.0 * std::f64::consts::PI).sqrt() * self.sigma
                + 2.0 * std::f64::consts::PI * self.sigma * se)
    }
}

/// Squared distance from `p` to the segment `a`–`b`.
fn dist2_to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    qx * qx + qy * qy
}

/// A hash of `v` as a number in [0, 1).
fn unit(v: u64) -> f64 {
    (v >> 11) as f64 / (1u64 << 53) as f64
}

impl Stubble {
    /// The stubble of the head seeded by `seed` clipped to `guard_mm` (0: a razor).
    pub fn new(seed: u64, guard_mm: f64) -> Stubble {
        Stubble {
            seed: mix64(seed ^ 0x5eed_57ab_b1e0),
            stub_mm: 0.1 + guard_mm.clamp(0.0, STUB_MAX_MM),
        }
    }

    fn strokes(&self) -> (Stroke, Stroke) {
        (
            Stroke {
                sigma: SHAFT_UNDER_SIGMA_MM,
                len: SHAFT_UNDER_MM,
            },
            Stroke {
                sigma: STUB_SIGMA_MM,
                len: self.stub_mm,
            },
        )
    }

    /// The texture at photo point (`x_mm`, `y_mm`) (photo pixels over the registered px/mm; y down the
    /// photo) for a pixel `pixel_mm` wide there.
    pub fn at(&self, x_mm: f64, y_mm: f64, pixel_mm: f64) -> Texture {
        let (under, above) = self.strokes();
        let pixel_mm = pixel_mm.max(1e-3);
        let (su, sa) = (under.sigma_eff(pixel_mm), above.sigma_eff(pixel_mm));
        let cell = 1.0 / UNITS_PER_MM2.sqrt();
        let reach = SHAFT_UNDER_MM.max(self.stub_mm) + 3.0 * su.max(sa) + 0.2;
        let (i0, i1) = (
            ((x_mm - reach) / cell).floor() as i64,
            ((x_mm + reach) / cell).floor() as i64,
        );
        let (j0, j1) = (
            ((y_mm - reach) / cell).floor() as i64,
            ((y_mm + reach) / cell).floor() as i64,
        );
        let (mut du, mut da) = (0.0, 0.0);
        let p = [x_mm, y_mm];
        for j in j0..=j1 {
            for i in i0..=i1 {
                let h = mix64(
                    self.seed
                        ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                        ^ (j as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F),
                );
                let ux = (i as f64 + 0.1 + 0.8 * unit(h)) * cell;
                let uy = (j as f64 + 0.1 + 0.8 * unit(mix64(h ^ 1))) * cell;
                if (ux - x_mm).abs() > reach + 0.2 || (uy - y_mm).abs() > reach + 0.2 {
                    continue;
                }
                let r = unit(mix64(h ^ 2));
                let hairs = if r < 0.30 {
                    1
                } else if r < 0.75 {
                    2
                } else {
                    3
                };
                // Down the head, each unit turned a little.
                let angle = std::f64::consts::FRAC_PI_2 + (unit(mix64(h ^ 3)) - 0.5) * 1.2;
                for k in 0..hairs {
                    let hk = mix64(h ^ (16 + k as u64));
                    let a = angle + (unit(hk) - 0.5) * 0.5;
                    let (dx, dy) = (a.cos(), a.sin());
                    let exit = [
                        ux + (unit(mix64(hk ^ 1)) - 0.5) * 0.16,
                        uy + (unit(mix64(hk ^ 2)) - 0.5) * 0.16,
                    ];
                    let root = [exit[0] - dx * under.len, exit[1] - dy * under.len];
                    let tip = [exit[0] + dx * above.len, exit[1] + dy * above.len];
                    du += (-dist2_to_segment(p, root, exit) / (2.0 * su * su)).exp();
                    da += (-dist2_to_segment(p, exit, tip) / (2.0 * sa * sa)).exp();
                }
            }
        }
        let (au, aa) = (under.amp(pixel_mm), above.amp(pixel_mm));
        let (mu, ma) = (under.mean(pixel_mm), above.mean(pixel_mm));
        Texture {
            under: (du * au / mu) as f32,
            above: (da * aa / ma) as f32,
            peak_under: (3.0 * au / mu) as f32,
            peak_above: (3.0 * aa / ma) as f32,
        }
    }
}

/// Guard lengths over which the drawn stubs give way to the even shadow of hair lying over the skin, mm:
/// up to the first each stub is drawn with its full contrast; from the second the grain keeps
/// [`LYING_HAIR_GRAIN`] of it. Hair a few millimetres long lies over its neighbours and hides the skin
/// between the shafts (the photo's own clipped hair shows no skin between its strands), so drawing each stub
/// as a dark stroke on bare skin read as black specks on tan (outside probes s31b and s33b: "leopard print"
/// at 1.5–6 mm). The mean is kept: only the grain's contrast changes.
pub const LYING_HAIR_MM: (f64, f64) = (0.5, 1.5);
/// Share of the stubs' contrast left once the hair lies over the skin ([`LYING_HAIR_MM`]).
pub const LYING_HAIR_GRAIN: f64 = 0.2;

impl Texture {
    /// The texture with `grain` (0–1) of its contrast about its mean (1): what a pixel carries when the
    /// hair lies over the skin between the shafts.
    pub fn with_grain(self, grain: f32) -> Texture {
        let g = |v: f32| 1.0 + (v - 1.0) * grain;
        Texture {
            under: g(self.under),
            above: g(self.above),
            peak_under: g(self.peak_under),
            peak_above: g(self.peak_above),
        }
    }
}

/// One clipping: the share of the hair's darkening kept, the share of it standing above the skin, the
/// grain the stubs keep ([`LYING_HAIR_MM`]), and the seeded follicles.
pub(crate) struct Clip {
    pub(crate) keep: f32,
    pub(crate) above: f32,
    pub(crate) grain: f32,
    pub(crate) stubble: Stubble,
}

impl Clip {
    pub(crate) fn new(guard_mm: f64, seed: u64) -> Clip {
        let keep = crate::shaved::retained_shadow(guard_mm) as f32;
        let (g0, g1) = LYING_HAIR_MM;
        let lying = ((guard_mm - g0) / (g1 - g0)).clamp(0.0, 1.0);
        Clip {
            keep,
            above: ((keep - crate::shaved::RAZOR_SHADOW as f32) / keep.max(1e-4)).clamp(0.0, 1.0),
            grain: (1.0 - (1.0 - LYING_HAIR_GRAIN) * lying) as f32,
            stubble: Stubble::new(seed, guard_mm),
        }
    }
}

/// Skin `b` (linear light) darkened to the stubble's mean colour `s` on average, textured by `t`: the
/// shafts under the skin carry `1 − above` of the darkening and the stubs `above` of it, each drawn as
/// strokes as far as they can carry it without taking more than [`PEAK_DARKENING`] of the skin's light,
/// the rest as the even shadow between them. The mean over many pixels is `s`.
pub fn textured(b: [f32; 3], s: [f32; 3], above: f32, t: &Texture) -> [f32; 3] {
    let lum = |c: &[f32; 3]| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    let yb = lum(&b);
    if yb <= 1e-6 {
        return s;
    }
    let rel = ((yb - lum(&s)) / yb).max(0.0);
    let part = |share: f32, tex: f32, peak: f32| {
        let d = rel * share * peak;
        let w = if d > PEAK_DARKENING as f32 {
            PEAK_DARKENING as f32 / d
        } else {
            1.0
        };
        share * (1.0 - w + w * tex)
    };
    let k = part(1.0 - above, t.under, t.peak_under) + part(above, t.above, t.peak_above);
    [0, 1, 2].map(|c| (b[c] - (b[c] - s[c]) * k).max(0.02 * b[c]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Longer guards keep the mean and lose most of the grain (probe s33b: black specks on tan at 1.5–6 mm);
    /// a razor and a clipper without a guard keep all of it.
    #[test]
    fn hair_lying_over_the_skin_keeps_its_mean_and_loses_its_grain() {
        assert_eq!(Clip::new(0.0, 1).grain, 1.0);
        assert_eq!(Clip::new(0.5, 1).grain, 1.0);
        assert!((Clip::new(3.0, 1).grain - LYING_HAIR_GRAIN as f32).abs() < 1e-6);
        let st = Stubble::new(7, 3.0);
        let (mut m0, mut m1, mut v0, mut v1, mut n) = (0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for y in 0..60 {
            for x in 0..60 {
                let t = st.at(x as f64 * 0.6 + 0.3, y as f64 * 0.6 + 0.3, 0.6);
                let g = t.with_grain(LYING_HAIR_GRAIN as f32);
                m0 += f64::from(t.above);
                m1 += f64::from(g.above);
                v0 += f64::from(t.above - 1.0).powi(2);
                v1 += f64::from(g.above - 1.0).powi(2);
                n += 1.0;
            }
        }
        // Both about 1 (the texture's mean), the grain's closer to it.
        assert!(
            (m0 / n - 1.0).abs() < 0.03 && (m1 / n - 1.0).abs() <= (m0 / n - 1.0).abs(),
            "{} {}",
            m0 / n,
            m1 / n
        );
        assert!(v1 < 0.1 * v0, "{v0} {v1}");
    }

    /// The texture's mean is 1 for each part at any pixel size (the means the tones are matched on), and it
    /// varies from pixel to pixel (follicles, not a tint).
    #[test]
    fn the_texture_keeps_its_mean_at_every_pixel_size_and_is_not_flat() {
        for guard in [0.0, 0.5, 1.5] {
            let st = Stubble::new(7, guard);
            for pixel_mm in [0.05, 0.12, 0.25, 0.6, 1.2] {
                let n = (40.0 / pixel_mm) as usize;
                let (mut su, mut sa, mut sq) = (0.0, 0.0, 0.0);
                for y in 0..n {
                    for x in 0..n {
                        let t = st.at(
                            (x as f64 + 0.5) * pixel_mm,
                            (y as f64 + 0.5) * pixel_mm,
                            pixel_mm,
                        );
                        su += t.under as f64;
                        sa += t.above as f64;
                        sq += (t.under as f64 - 1.0).powi(2);
                    }
                }
                let m = (n * n) as f64;
                let (mu, ma, sd) = (su / m, sa / m, (sq / m).sqrt());
                assert!(
                    (mu - 1.0).abs() < 0.06 && (ma - 1.0).abs() < 0.08,
                    "guard {guard}, pixel {pixel_mm} mm: means {mu:.3} {ma:.3}"
                );
                assert!(sd > 0.2, "guard {guard}, pixel {pixel_mm} mm: sd {sd:.3}");
            }
        }
    }

    /// The same seed draws the same follicles; another seed others.
    #[test]
    fn the_stubble_is_seeded() {
        let (a, b, c) = (
            Stubble::new(1, 0.0),
            Stubble::new(1, 0.0),
            Stubble::new(2, 0.0),
        );
        let at = |s: &Stubble| {
            (0..50)
                .map(|i| s.at(i as f64 * 0.31, 3.0, 0.1).under)
                .collect::<Vec<_>>()
        };
        assert_eq!(at(&a), at(&b));
        assert_ne!(at(&a), at(&c));
    }

    /// A textured pixel never goes black and the mean of many is the stubble's mean colour.
    #[test]
    fn textured_pixels_keep_the_mean_colour() {
        let st = Stubble::new(3, 0.5);
        let (b, s) = ([0.5f32, 0.4, 0.35], [0.2f32, 0.17, 0.16]);
        let (mut m, mut lo) = ([0.0f64; 3], f32::MAX);
        let n = 200;
        for y in 0..n {
            for x in 0..n {
                let t = st.at(x as f64 * 0.2, y as f64 * 0.2, 0.2);
                let p = textured(b, s, 0.7, &t);
                for c in 0..3 {
                    m[c] += p[c] as f64;
                }
                lo = lo.min(p[1]);
            }
        }
        let m = m.map(|v| v / (n * n) as f64);
        for c in 0..3 {
            assert!((m[c] - s[c] as f64).abs() < 0.02, "{m:?} vs {s:?}");
        }
        assert!(lo > 0.0, "{lo}");
    }
}
