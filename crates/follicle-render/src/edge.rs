//! The photo's own edge between the head and the background: how wide (in pixels) the light rises from
//! the head to the wall across its outline, measured along the outline's normal. The clipped head's new
//! outline (`shaved.rs`) is feathered over that width, so it is as soft as the photo's own edge: cut on
//! the pixel grid, it was a hard staircase of 1-px steps against the photo's soft edge (docs/photo-scalp.md).

use crate::dome::lum;
use crate::raster::LinearImage;

/// Half the length of the profile read across the outline, pixels.
const REACH_PX: f64 = 6.0;
/// Step along the profile, pixels.
const STEP_PX: f64 = 0.25;
/// Least contrast across the outline (share of the lighter side) for a profile to count.
const MIN_CONTRAST: f32 = 0.15;

/// Bilinear sample of a scalar map `w` × `h` at (`x`, `y`) (pixel centres at integers), clamped.
fn sample(m: &[f32], w: usize, h: usize, x: f64, y: f64) -> f32 {
    let fx = x.clamp(0.0, (w - 1) as f64);
    let fy = y.clamp(0.0, (h - 1) as f64);
    let (x0, y0) = (fx as usize, fy as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (tx, ty) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
    let a = m[y0 * w + x0] * (1.0 - tx) + m[y0 * w + x1] * tx;
    let b = m[y1 * w + x0] * (1.0 - tx) + m[y1 * w + x1] * tx;
    a * (1.0 - ty) + b * ty
}

/// The 10–90 % widths (pixels) of the light's rise across the outline of `mask` (1 on one side, 0 on the
/// other, over `img`'s pixels) on `img`, one per outline pixel `keep` accepts (read across the mask's
/// gradient, both ends at least [`MIN_CONTRAST`] apart).
pub fn edge_widths(
    img: &LinearImage,
    mask: &[f32],
    keep: impl Fn(usize, usize) -> bool,
) -> Vec<f64> {
    let (w, h) = (img.w, img.h);
    if w < 5 || h < 5 || mask.len() != w * h {
        return Vec::new();
    }
    let y: Vec<f32> = img.px.iter().map(lum).collect();
    let mut out = Vec::new();
    let n = (2.0 * REACH_PX / STEP_PX) as usize + 1;
    for py in 2..h - 2 {
        for px in 2..w - 2 {
            let i = py * w + px;
            // An outline pixel: the mask crosses one half between it and its right or lower neighbour.
            let crosses = |j: usize| (mask[i] - 0.5) * (mask[j] - 0.5) < 0.0;
            if !(crosses(i + 1) || crosses(i + w)) || !keep(px, py) {
                continue;
            }
            let (gx, gy) = (
                (mask[i + 1] - mask[i - 1]) as f64,
                (mask[i + w] - mask[i - w]) as f64,
            );
            let g = gx.hypot(gy);
            if g < 1e-6 {
                continue;
            }
            let (ux, uy) = (gx / g, gy / g);
            let prof: Vec<f32> = (0..n)
                .map(|k| {
                    let s = -REACH_PX + k as f64 * STEP_PX;
                    sample(&y, w, h, px as f64 + ux * s, py as f64 + uy * s)
                })
                .collect();
            let q = n / 6;
            let lo = prof[..q].iter().sum::<f32>() / q as f32;
            let hi = prof[n - q..].iter().sum::<f32>() / q as f32;
            if (hi - lo).abs() < MIN_CONTRAST * hi.max(lo) {
                continue;
            }
            let f = |v: f32| (v - lo) / (hi - lo);
            let s10 = prof.iter().position(|&v| f(v) >= 0.1);
            let s90 = prof.iter().position(|&v| f(v) >= 0.9);
            if let (Some(a), Some(b)) = (s10, s90) {
                out.push(b.saturating_sub(a) as f64 * STEP_PX);
            }
        }
    }
    out
}

/// The median of `v` (`None` when empty).
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some(v[v.len() / 2])
}

/// The photo's own edge width between the head and the background on `work` (working pixels): the median
/// 10–90 % rise across the outline of its `background` map where the head on one side is `head`-accepted.
pub fn photo_edge_px(
    work: &LinearImage,
    background: &[f32],
    head: impl Fn(usize) -> bool,
) -> Option<f64> {
    let w = work.w;
    median(edge_widths(work, background, |x, y| head(y * w + x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blurred_disc_s_edge_is_read_as_wide_as_it_was_blurred_and_a_sharp_one_as_sharp() {
        let disc = |sigma: f64| {
            let (w, h) = (80, 80);
            let mut img = LinearImage::new(w, h, [0.8; 3]);
            let mut mask = vec![0f32; w * h];
            for y in 0..h {
                for x in 0..w {
                    let r = ((x as f64 - 40.0).hypot(y as f64 - 40.0) - 25.0) / sigma.max(1e-3);
                    // A Gaussian edge of σ: 10–90 % over 2.56 σ.
                    let t = 0.5 * (1.0 + erf(r / std::f64::consts::SQRT_2));
                    img.px[y * w + x] = [(0.1 + 0.7 * t) as f32; 3];
                    mask[y * w + x] = (r > 0.0) as u8 as f32;
                }
            }
            median(edge_widths(&img, &mask, |_, _| true)).unwrap()
        };
        let soft = disc(2.0);
        assert!((soft - 5.12).abs() < 0.8, "σ 2 px read {soft}");
        let sharp = disc(0.01);
        assert!(sharp <= 1.0, "a hard edge read {sharp}");
    }

    fn erf(x: f64) -> f64 {
        // Abramowitz and Stegun 7.1.26.
        let t = 1.0 / (1.0 + 0.3275911 * x.abs());
        let y = 1.0
            - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592)
                * t
                * (-x * x).exp();
        y.copysign(x)
    }
}
