//! The compositor: draws impressions as soft-edged elliptical spots (a disc on the skin seen through a
//! local affine map, so scale and foreshortening are exact to first order) by multiplying the skin's
//! colour with the impression's filter, in linear light.
//!
//! Each spot is a soft-edged core with an optional dermal halo around it (see `optics`): opacity
//! `core(d) + (1 − core(d)) · h · (1 − d²/R²)²` at distance `d` on the skin, `R` the halo's outer radius and
//! `h` set per spot so the halo carries `halo_gain` times the core's ink.
//!
//! A spot whose footprint is smaller than a pixel is widened to about one pixel and its weights are
//! renormalised so its total ink (area × opacity) is kept: at low resolution or at a distance the pattern
//! turns into the right even shadow instead of vanishing or aliasing.

use crate::color::{Lin, SrgbLut};
use crate::optics::Look;
use crate::raster::LinearImage;

/// One impression on the picture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spot {
    /// Centre, pixel x (pixel centres at +0.5).
    pub x: f32,
    /// Centre, pixel y.
    pub y: f32,
    /// Local map from skin millimetres (tangent u, v) to pixels: `[dx/du, dx/dv, dy/du, dy/dv]`.
    pub jac: [f32; 4],
    /// Radius on the skin, mm.
    pub radius_mm: f32,
    /// Index of its look.
    pub look: u16,
    /// This impression's share of its look's opacity (1 = as the look says): the needle's natural
    /// variation in depth and ink, and the scalp mask on a photo (0 where no pigment may go).
    pub ink: f32,
}

impl Spot {
    /// Photo pixels² that a square millimetre of skin under this spot covers (the Jacobian's determinant):
    /// the skin's footprint as seen, small where the head turns away along its outline.
    pub fn seen_area(&self) -> f64 {
        let [a, b, c, d] = self.jac.map(f64::from);
        (a * d - b * c).abs()
    }
}

/// Something spots can be drawn on.
pub trait Canvas {
    /// Width in pixels.
    fn width(&self) -> usize;
    /// Height in pixels.
    fn height(&self) -> usize;
    /// Multiplies pixel `idx` by `1 − alpha·(1 − filter)` in linear light.
    fn apply(&mut self, idx: usize, alpha: f32, filter: &Lin);
}

impl Canvas for LinearImage {
    fn width(&self) -> usize {
        self.w
    }
    fn height(&self) -> usize {
        self.h
    }
    #[inline]
    fn apply(&mut self, idx: usize, alpha: f32, f: &Lin) {
        let p = &mut self.px[idx];
        p[0] *= 1.0 - alpha * (1.0 - f[0]);
        p[1] *= 1.0 - alpha * (1.0 - f[1]);
        p[2] *= 1.0 - alpha * (1.0 - f[2]);
    }
}

/// Packed 8-bit sRGB pixels (a decoded photo), composited in place through lookup tables.
pub struct Srgb8Canvas<'a> {
    /// RGB bytes, row-major.
    pub data: &'a mut [u8],
    /// Width in pixels.
    pub w: usize,
    /// Height in pixels.
    pub h: usize,
    /// Conversion tables.
    pub lut: &'a SrgbLut,
}

impl Canvas for Srgb8Canvas<'_> {
    fn width(&self) -> usize {
        self.w
    }
    fn height(&self) -> usize {
        self.h
    }
    #[inline]
    fn apply(&mut self, idx: usize, alpha: f32, f: &Lin) {
        let px = &mut self.data[idx * 3..idx * 3 + 3];
        for c in 0..3 {
            let v = self.lut.to_lin[px[c] as usize] * (1.0 - alpha * (1.0 - f[c]));
            px[c] = self.lut.encode(v);
        }
    }
}

#[inline]
fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Geometry of one spot on the pixel grid: bounding box, inverse map, radius, edge, halo and target weight.
struct Footprint {
    x0: usize,
    x1: usize,
    y0: usize,
    y1: usize,
    inv: [f32; 4],
    r: f32,
    e: f32,
    /// Halo: 1 / R² (outer radius R on the skin) and peak weight h (0: no halo).
    inv_r2: f32,
    h: f32,
    /// The spot's ink in pixels (profile integral) when it is small enough to need renormalising.
    target: Option<f32>,
}

impl Footprint {
    /// The spot's weight (0–1) at skin distance² `d2` from its centre.
    #[inline]
    fn weight(&self, d2: f32) -> f32 {
        let core = 1.0 - smoothstep(self.r - self.e, self.r + self.e, d2.sqrt());
        if self.h > 0.0 {
            let u = (1.0 - d2 * self.inv_r2).max(0.0);
            core + (1.0 - core) * self.h * u * u
        } else {
            core
        }
    }
}

fn footprint(s: &Spot, l: &Look, w: usize, h: usize) -> Option<Footprint> {
    let [a, b, c, d] = s.jac;
    let det = a * d - b * c;
    if det.is_nan() || det.abs() <= 1e-9 {
        return None;
    }
    let pixel_area_mm2 = 1.0 / det.abs();
    let pixel_mm = pixel_area_mm2.sqrt();
    let r = s.radius_mm;
    let e = l.edge_mm.max(0.6 * pixel_mm);
    // Halo: ∫ (1 − d²/R²)² dA over the annulus r..R is π R² (1 − r²/R²)³ / 3; its peak weight h makes that
    // `halo_gain` times the core's π r².
    let (big_r, hw) = if l.halo_gain > 0.0 && l.halo_mm > 0.0 {
        let big_r = r + l.halo_mm;
        let ring = std::f32::consts::PI * big_r * big_r * (1.0 - (r / big_r).powi(2)).powi(3) / 3.0;
        (
            big_r,
            (l.halo_gain * std::f32::consts::PI * r * r / ring).min(1.0),
        )
    } else {
        (0.0, 0.0)
    };
    let rmax = (r + e).max(big_r);
    let ex = rmax * a.hypot(b);
    let ey = rmax * c.hypot(d);
    let fx0 = (s.x - ex - 0.5).floor();
    let fy0 = (s.y - ey - 0.5).floor();
    let fx1 = (s.x + ex - 0.5).ceil();
    let fy1 = (s.y + ey - 0.5).ceil();
    if fx1 < 0.0 || fy1 < 0.0 || fx0 >= w as f32 || fy0 >= h as f32 {
        return None;
    }
    let inv = [d / det, -b / det, -c / det, a / det];
    let small = pixel_mm * 3.0 > r;
    let target = small.then(|| {
        let core = std::f32::consts::PI * r * r;
        let halo = if hw > 0.0 {
            hw * std::f32::consts::PI * big_r * big_r * (1.0 - (r / big_r).powi(2)).powi(3) / 3.0
        } else {
            0.0
        };
        (core + halo) / pixel_area_mm2
    });
    Some(Footprint {
        x0: fx0.max(0.0) as usize,
        y0: fy0.max(0.0) as usize,
        x1: (fx1 as usize).min(w - 1),
        y1: (fy1 as usize).min(h - 1),
        inv,
        r,
        e,
        inv_r2: if big_r > 0.0 {
            1.0 / (big_r * big_r)
        } else {
            0.0
        },
        h: hw,
        target,
    })
}

/// Draws every spot on `canvas` with the looks they index (the fast path: one core, no allocation per
/// spot, touched pixels only).
pub fn composite<C: Canvas>(canvas: &mut C, spots: &[Spot], looks: &[Look]) {
    let (w, h) = (canvas.width(), canvas.height());
    let mut weights: Vec<f32> = Vec::with_capacity(4096);
    for s in spots {
        if s.ink <= 0.0 {
            continue;
        }
        let l = &looks[s.look as usize];
        let Some(f) = footprint(s, l, w, h) else {
            continue;
        };
        weights.clear();
        let mut sum = 0f32;
        for y in f.y0..=f.y1 {
            let dy = y as f32 + 0.5 - s.y;
            for x in f.x0..=f.x1 {
                let dx = x as f32 + 0.5 - s.x;
                let u = f.inv[0] * dx + f.inv[1] * dy;
                let v = f.inv[2] * dx + f.inv[3] * dy;
                let a = f.weight(u * u + v * v);
                weights.push(a);
                sum += a;
            }
        }
        let scale = match f.target {
            Some(t) if sum > 0.0 => t / sum,
            Some(_) => continue,
            None => 1.0,
        };
        let mut k = 0;
        for y in f.y0..=f.y1 {
            let row = y * w;
            for x in f.x0..=f.x1 {
                let a = weights[k];
                k += 1;
                if a > 0.0 {
                    let alpha = ((a * scale).min(1.0) * l.opacity * s.ink).min(1.0);
                    canvas.apply(row + x, alpha, &l.filter);
                }
            }
        }
    }
}

/// The naive baseline for the benchmark: decode the whole photo to linear `f64` with `powf`, draw each
/// spot in `f64`, encode the whole photo back. Same picture as [`composite`] on an [`Srgb8Canvas`].
pub fn composite_naive(rgb: &mut [u8], w: usize, h: usize, spots: &[Spot], looks: &[Look]) {
    use crate::color::{linear_to_srgb, srgb_to_linear};
    let mut lin: Vec<[f64; 3]> = rgb
        .chunks_exact(3)
        .map(|c| [0, 1, 2].map(|k| srgb_to_linear(c[k] as f64 / 255.0)))
        .collect();
    for s in spots {
        let l = &looks[s.look as usize];
        let Some(f) = footprint(s, l, w, h) else {
            continue;
        };
        let profile = |x: usize, y: usize| {
            let dx = x as f64 + 0.5 - s.x as f64;
            let dy = y as f64 + 0.5 - s.y as f64;
            let u = f.inv[0] as f64 * dx + f.inv[1] as f64 * dy;
            let v = f.inv[2] as f64 * dx + f.inv[3] as f64 * dy;
            f.weight((u * u + v * v) as f32) as f64
        };
        let mut sum = 0.0;
        for y in f.y0..=f.y1 {
            for x in f.x0..=f.x1 {
                sum += profile(x, y);
            }
        }
        let scale = match f.target {
            Some(t) if sum > 0.0 => t as f64 / sum,
            Some(_) => continue,
            None => 1.0,
        };
        for y in f.y0..=f.y1 {
            for x in f.x0..=f.x1 {
                let alpha =
                    ((profile(x, y) * scale).min(1.0) * l.opacity as f64 * s.ink as f64).min(1.0);
                let p = &mut lin[y * w + x];
                for (pc, &f) in p.iter_mut().zip(&l.filter) {
                    *pc *= 1.0 - alpha * (1.0 - f as f64);
                }
            }
        }
    }
    for (dst, p) in rgb.chunks_exact_mut(3).zip(&lin) {
        for c in 0..3 {
            dst[c] = (linear_to_srgb(p[c]) * 255.0).round() as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look() -> Look {
        Look {
            diameter_scale: 1.0,
            spread_mm: 0.0,
            edge_mm: 0.03,
            halo_mm: 0.0,
            halo_gain: 0.0,
            filter: [0.2, 0.25, 0.35],
            opacity: 0.8,
            healed_as: None,
        }
    }

    fn spot(x: f32, y: f32, px_per_mm: f32) -> Spot {
        Spot {
            x,
            y,
            jac: [px_per_mm, 0.0, 0.0, px_per_mm],
            radius_mm: 0.1,
            look: 0,
            ink: 1.0,
        }
    }

    /// Total darkening (Σ 1 − pixel) of one spot on a white canvas.
    fn ink(px_per_mm: f32, x: f32, y: f32) -> f32 {
        let mut img = LinearImage::new(40, 40, [1.0; 3]);
        composite(&mut img, &[spot(x, y, px_per_mm)], &[look()]);
        img.px.iter().map(|p| 1.0 - p[0]).sum::<f32>() / (px_per_mm * px_per_mm)
    }

    #[test]
    fn ink_is_kept_at_any_resolution_and_subpixel_offset() {
        // Ink in mm²: π r² × opacity × (1 − filter) for a well-resolved spot.
        let sharp = ink(100.0, 20.0, 20.0);
        let expect = std::f32::consts::PI * 0.01 * 0.8 * 0.8;
        assert!((sharp - expect).abs() / expect < 0.1, "{sharp} vs {expect}");
        for (res, x) in [(5.0, 20.0), (5.0, 20.37), (2.0, 19.8), (10.0, 20.5)] {
            let got = ink(res, x, 20.0);
            assert!(
                (got - expect).abs() / expect < 0.05,
                "res {res} x {x}: {got} vs {expect}"
            );
        }
    }

    #[test]
    fn the_halo_adds_its_gain_in_ink_at_any_resolution() {
        let halo = Look {
            halo_mm: 0.3,
            halo_gain: 2.0,
            ..look()
        };
        let ink_with = |res: f32, x: f32| {
            let mut img = LinearImage::new(120, 120, [1.0; 3]);
            composite(&mut img, &[spot(x, 60.0, res)], &[halo]);
            img.px.iter().map(|p| 1.0 - p[0]).sum::<f32>() / (res * res)
        };
        // Core ink × (1 + gain), the core being π r² × opacity × (1 − filter).
        let expect = std::f32::consts::PI * 0.01 * 0.8 * 0.8 * 3.0;
        for (res, x) in [(100.0, 60.0), (20.0, 60.3), (5.0, 60.0), (2.0, 59.7)] {
            let got = ink_with(res, x);
            assert!(
                (got - expect).abs() / expect < 0.08,
                "res {res}: {got} vs {expect}"
            );
        }
        // The halo is soft: darkening falls off outside the core instead of stopping at its edge.
        let mut img = LinearImage::new(120, 120, [1.0; 3]);
        composite(&mut img, &[spot(60.0, 60.0, 100.0)], &[halo]);
        let at = |mm: f32| 1.0 - img.get((60.0 + mm * 100.0) as usize, 60)[0];
        assert!(
            at(0.0) > at(0.15) && at(0.15) > at(0.25) && at(0.25) > 0.0 && at(0.41) == 0.0,
            "{} {} {} {}",
            at(0.0),
            at(0.15),
            at(0.25),
            at(0.41)
        );
    }

    #[test]
    fn foreshortened_spot_is_an_ellipse() {
        let mut img = LinearImage::new(60, 60, [1.0; 3]);
        let s = Spot {
            x: 30.0,
            y: 30.0,
            jac: [100.0, 0.0, 0.0, 30.0],
            radius_mm: 0.15,
            look: 0,
            ink: 1.0,
        };
        composite(&mut img, &[s], &[look()]);
        let dark = |x: usize, y: usize| img.get(x, y)[0] < 0.9;
        assert!(dark(30 + 12, 30) && !dark(30, 30 + 8));
    }

    #[test]
    fn fast_and_naive_agree_on_a_photo() {
        let (w, h) = (64, 48);
        let mut a: Vec<u8> = (0..w * h * 3).map(|i| (60 + (i * 7) % 180) as u8).collect();
        let mut b = a.clone();
        let spots: Vec<Spot> = (0..40)
            .map(|i| {
                spot(
                    3.0 + (i % 8) as f32 * 7.9,
                    4.0 + (i / 8) as f32 * 9.1,
                    12.0 + i as f32 * 0.3,
                )
            })
            .collect();
        let lut = SrgbLut::new();
        composite(
            &mut Srgb8Canvas {
                data: &mut a,
                w,
                h,
                lut: &lut,
            },
            &spots,
            &[look()],
        );
        composite_naive(&mut b, w, h, &spots, &[look()]);
        let max = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (*x as i32 - *y as i32).abs())
            .max()
            .unwrap();
        assert!(max <= 1, "max difference {max}");
        assert!(a.iter().zip(&b).any(|(x, _)| *x < 60), "spots drawn");
    }
}
