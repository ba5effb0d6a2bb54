//! Where a photo preview is judged as one shaved head: one definition of the treated top, the clipped
//! sides and the hair beyond the registered skull's outline, and the measures read on them. The guard
//! choice (tone.rs), the tests and docs/photo-scalp.md all read these, so "the sides" means one thing.
//!
//! - **Top**: working pixels the scalp map is sure of (> [`SURE`]) that the impressions, averaged over
//!   their spacing, darken by at least [`TREATED_L`] L*.
//! - **Sides**: working pixels the hair map is sure of (> [`SURE`]) once the hair that goes with the
//!   clipping (its outer rim and the hair beyond the registered skull, turned into the background by
//!   shaved.rs) is taken out: what stays on the head as stubble.
//! - **Beyond the skull**: hair as photographed (hair map > 0.5) whose working pixel lies outside the
//!   registered head's outline (`ScalpMap::skull` < 0.1): the hair volume a clipped head no longer has.
//!   Read as its CIELAB distance from the background beside it (the photo's background pixels averaged
//!   over [`BACKGROUND_REACH_MM`]): large while hair stands out there, small once it is the wall.
//!
//! Pure: pictures and maps in, numbers out.

use crate::color::lab_from_lin;
use crate::raster::LinearImage;
use crate::scalp::{blur_mask, ScalpMap};
use crate::shaved::Shaver;

/// Probability from which a pixel counts as bald scalp or retained hair.
pub const SURE: f32 = 0.9;
/// The treated top: scalp pixels the impressions darken by at least this many L* (their layer averaged
/// over about the spacing of the impressions).
pub const TREATED_L: f64 = 2.0;
/// Reach over which the background beside the head is averaged for the hair-beyond-the-skull measure, mm.
pub const BACKGROUND_REACH_MM: f64 = 8.0;

/// The treated top and the clipped sides of one photo, per working pixel of its scalp map.
#[derive(Clone, Debug)]
pub struct ToneRegions {
    w: usize,
    h: usize,
    step: usize,
    /// Scalp probability where the impressions darken the skin enough, else 0.
    top: Vec<f32>,
    /// Hair probability times what stays of it once clipped.
    side: Vec<f32>,
}

impl ToneRegions {
    /// The regions of the photo `map` was made from, with the impressions as a layer of filters on white
    /// (`layer`, photo size), `spacing_px` their spacing in photo pixels, and the retained hair prepared
    /// by `shaver` (none: no sides).
    pub fn new(
        map: &ScalpMap,
        shaver: Option<&Shaver>,
        layer: &LinearImage,
        spacing_px: f64,
    ) -> ToneRegions {
        let lum = |c: [f32; 3]| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        let small = layer.downsample(map.step);
        let cover: Vec<f32> = small.px.iter().map(|&c| lum(c)).collect();
        let cover = blur_mask(
            &cover,
            small.w,
            small.h,
            (spacing_px / map.step as f64).max(0.5),
        );
        let (w, h, step) = (map.w, map.h, map.step);
        let mut top = vec![0f32; w * h];
        let mut side = vec![0f32; w * h];
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                let f = cover
                    .get(y.min(small.h - 1) * small.w + x.min(small.w - 1))
                    .copied()
                    .unwrap_or(1.0)
                    .clamp(1e-3, 1.0) as f64;
                // A luminance factor f lowers L* by about 100·(1 − f^(1/3)) at mid tones.
                if 100.0 * (1.0 - f.cbrt()) >= TREATED_L {
                    top[i] = map.scalp[i];
                }
                if let Some(s) = shaver {
                    let (px, py) = (
                        (x as f64 + 0.5) * step as f64,
                        (y as f64 + 0.5) * step as f64,
                    );
                    side[i] = map.hair[i] * (1.0 - s.clipped_away(map, px, py));
                }
            }
        }
        ToneRegions {
            w,
            h,
            step,
            top,
            side,
        }
    }

    fn at(&self, m: &[f32], x: usize, y: usize) -> f32 {
        let (wx, wy) = (
            ((x as f64 + 0.5) / self.step as f64 - 0.5).clamp(0.0, (self.w - 1) as f64),
            ((y as f64 + 0.5) / self.step as f64 - 0.5).clamp(0.0, (self.h - 1) as f64),
        );
        let (x0, y0) = (wx as usize, wy as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (tx, ty) = ((wx - x0 as f64) as f32, (wy - y0 as f64) as f32);
        (m[y0 * self.w + x0] * (1.0 - tx) + m[y0 * self.w + x1] * tx) * (1.0 - ty)
            + (m[y1 * self.w + x0] * (1.0 - tx) + m[y1 * self.w + x1] * tx) * ty
    }

    /// Whether photo pixel (`x`, `y`) belongs to the treated top.
    pub fn is_top(&self, x: usize, y: usize) -> bool {
        self.at(&self.top, x, y) > SURE
    }

    /// Whether photo pixel (`x`, `y`) belongs to the clipped sides.
    pub fn is_side(&self, x: usize, y: usize) -> bool {
        self.at(&self.side, x, y) > SURE
    }

    /// Mean L* of the top and of the sides on `img` (photo size), read on every `stride`-th pixel of
    /// every `stride`-th row, with how many pixels each had: `([top, sides], [n_top, n_sides])`.
    pub fn lstar(&self, img: &LinearImage, stride: usize) -> ([f64; 2], [usize; 2]) {
        let (mut s, mut n) = ([0.0; 2], [0usize; 2]);
        for y in (0..img.h).step_by(stride.max(1)) {
            for x in (0..img.w).step_by(stride.max(1)) {
                for (k, inside) in [self.is_top(x, y), self.is_side(x, y)]
                    .into_iter()
                    .enumerate()
                {
                    if inside {
                        s[k] += lab_from_lin(img.get(x, y)).l;
                        n[k] += 1;
                    }
                }
            }
        }
        ([s[0] / n[0].max(1) as f64, s[1] / n[1].max(1) as f64], n)
    }

    /// The tone step between the treated top and the sides on `img`: |L*top − L*sides|, read on every
    /// pixel (`None` when either region is empty).
    pub fn tone_step(&self, img: &LinearImage) -> Option<f64> {
        let ([t, s], [nt, ns]) = self.lstar(img, 1);
        (nt > 0 && ns > 0).then(|| (t - s).abs())
    }
}

/// Hair beyond the registered skull's outline on one picture: how many photo pixels, and their mean
/// CIELAB distance (ΔE76) from the background beside them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BeyondSkull {
    /// Photo pixels of hair (as photographed) outside the registered head's outline.
    pub px: usize,
    /// Their mean ΔE from the background beside them on the picture read.
    pub delta_e: f64,
}

/// Reads the hair beyond the registered skull's outline on `img` (a picture made from `before`, the photo
/// `map` was made from, same size), at `px_per_mm` on the photo. `None` when the photo shows no
/// background to compare with.
pub fn hair_beyond_skull(
    map: &ScalpMap,
    before: &LinearImage,
    img: &LinearImage,
    px_per_mm: f64,
) -> Option<BeyondSkull> {
    let (w, h) = (map.w, map.h);
    // The background beside each pixel: the photo's sure background pixels, normalised convolution.
    let work = before.downsample(map.step);
    let wgt: Vec<f32> = map
        .background
        .iter()
        .zip(&map.hair)
        .map(|(&b, &hr)| (b > 0.9 && hr < 0.05) as u8 as f32)
        .collect();
    let sigma = (BACKGROUND_REACH_MM * px_per_mm / map.step as f64).max(1.0);
    let norm = blur_mask(&wgt, w, h, sigma);
    let mut bg = work.weighted(w, h, &wgt);
    bg.smooth(sigma);
    let (mut sum, mut n) = (0.0, 0usize);
    for y in 0..img.h {
        for x in 0..img.w {
            let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
            if map.hair_at(fx, fy) <= 0.5 || map.sample(&map.skull, fx, fy) >= 0.1 {
                continue;
            }
            let (wx, wy) = ((x / map.step).min(w - 1), (y / map.step).min(h - 1));
            let k = norm[wy * w + wx];
            if k < 1e-3 {
                continue;
            }
            let b = bg.px[wy * w + wx].map(|v| v / k);
            let (p, q) = (lab_from_lin(img.get(x, y)), lab_from_lin(b));
            sum += ((p.l - q.l).powi(2) + (p.a - q.a).powi(2) + (p.b - q.b).powi(2)).sqrt();
            n += 1;
        }
    }
    (n > 0).then(|| BeyondSkull {
        px: n,
        delta_e: sum / n as f64,
    })
}
