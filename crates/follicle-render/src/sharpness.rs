//! How much detail a photo really holds. A photo enlarged from a smaller one (or soft: out of focus, heavily
//! smoothed by the phone) has more pixels than detail. Counted by its pixels, its scalp looks sharp enough
//! for single impressions when it is not: crisp dots drawn on a blurred head (outside probe s12). So the
//! preview measures the photo's own blur and counts the scalp's pixels per millimetre in detail, not pixels.
//!
//! The measure: e(σ), the energy a Gaussian blur of σ pixels takes out of the photo's lightness around the
//! scalp. Finer than the photo's own blur, e grows as σ⁴ (a smooth signal: its slope on log–log axes is
//! 4); coarser, about as σ¹–σ² (natural images). The σ where the slope falls to [`SLOPE_AT_BLUR`] is the
//! photo's blur. A sharp camera photo has it at about [`SHARP_BLUR_PX`]; the enlargement is how much more
//! blur the photo has than that (in quadrature: a camera's own blur stays). Calibrated with
//! `cargo run --release -p follicle-render --example detail_probe -- ../shared/photos/shaved-norwood-front.jpg
//! DOWN UP [FILTER]` (image's filters; saved as JPEG quality 85, as a phone would): the photo and its
//! reductions read 1.0; enlarged 1.5× it reads 1.9, 2× 2.0–2.8 (Catmull–Rom – triangle), 3× 3.2, 4× 4.0,
//! 8× 4.7 (the largest blur tried caps the reading). It is an estimate to within about half either way,
//! enough to tell a photo of a few pixels per
//! millimetre blown up from one with real detail. A photo with no detail
//! to measure (flat, tiny) counts as sharp.

use crate::raster::{gaussian_blur_plane, LinearImage};

/// The slope of log e(σ) against log σ at the photo's own blur.
pub const SLOPE_AT_BLUR: f64 = 2.0;
/// Where the slope falls to [`SLOPE_AT_BLUR`] on a sharp camera photo, pixels.
pub const SHARP_BLUR_PX: f64 = 1.4;
/// The measure runs on at most this many pixels across (larger crops are averaged down first).
const WORK_PX: usize = 384;
/// Blurs tried, pixels of the working crop: 0.7 × √2^i.
const SIGMAS: usize = 8;
/// Above this enlargement a photo is soft: what is drawn on it is softened as it is, and the practitioner
/// is told its detail (the shared camera photo and its reductions read 1.0, an enlargement by 1.5 reads 1.9).
pub const SOFT_ABOVE: f64 = 1.2;

/// What the photo's detail is worth.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detail {
    /// How many times coarser the photo's detail is than its pixels (1: sharp).
    pub enlargement: f64,
}

/// The Gaussian σ, photo pixels, that one step of detail enlargement adds (in quadrature): about half a
/// pixel per step (a photo enlarged F times from a sharp one is blurred about half of F pixels).
pub const PHOTO_BLUR_PER_ENLARGEMENT: f64 = 0.5;

impl Detail {
    /// The photo's own blur beyond a sharp camera's, as a Gaussian σ in the photo's pixels (0 for a photo
    /// that is not soft): what the stubble and the impressions drawn on it are softened by, so that they
    /// are no sharper than the skin they lie on (outside test s44: crisp specks of pigment on a photo
    /// blurred by σ 3 px).
    pub fn own_blur_px(&self) -> f64 {
        if !self.is_soft() {
            return 0.0;
        }
        PHOTO_BLUR_PER_ENLARGEMENT * (self.enlargement.powi(2) - 1.0).sqrt()
    }

    /// A photo as sharp as its pixels.
    pub const SHARP: Detail = Detail { enlargement: 1.0 };

    /// Whether the photo is softer than its pixels (see [`SOFT_ABOVE`]).
    pub fn is_soft(&self) -> bool {
        self.enlargement > SOFT_ABOVE
    }
}

/// Measures the detail of `img` inside `rect` ([x, y, w, h] in pixels; clipped to the image), averaging a
/// large crop down by at most `max_average` pixels first (a blur finer than that cannot be told).
pub fn photo_detail(img: &LinearImage, rect: [usize; 4], max_average: usize) -> Detail {
    let [x0, y0] = [rect[0].min(img.w), rect[1].min(img.h)];
    let (w, h) = (rect[2].min(img.w - x0), rect[3].min(img.h - y0));
    // Averaged down by k: a blur finer than k pixels cannot be told, and need not be (the caller allows
    // only as much averaging as leaves the scalp enough pixels).
    let k = w.max(h).div_ceil(WORK_PX).clamp(1, max_average.max(1));
    let (ws, hs) = (w / k, h / k);
    if ws < 48 || hs < 48 {
        return Detail::SHARP;
    }
    let lum = |p: [f32; 3]| 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    let mut light = vec![0f32; ws * hs];
    for (i, v) in light.iter_mut().enumerate() {
        let (sx, sy) = (x0 + (i % ws) * k, y0 + (i / ws) * k);
        let mut acc = 0.0;
        for yy in 0..k {
            for xx in 0..k {
                acc += lum(img.px[(sy + yy) * img.w + sx + xx]);
            }
        }
        // Lightness roughly as the eye (and the JPEG) codes it.
        *v = (acc / (k * k) as f32).max(0.0).powf(1.0 / 2.2);
    }
    let sigma = |i: usize| 0.7 * std::f64::consts::SQRT_2.powi(i as i32);
    let margin = ((3.0 * sigma(SIGMAS - 1)).ceil() as usize).min(ws.min(hs) / 4);
    let energy: Vec<f64> = (0..SIGMAS)
        .map(|i| {
            let mut blurred = light.clone();
            gaussian_blur_plane(&mut blurred, ws, hs, sigma(i));
            let (mut e, mut n) = (0.0, 0usize);
            for y in margin..hs - margin {
                for x in margin..ws - margin {
                    let d = (light[y * ws + x] - blurred[y * ws + x]) as f64;
                    e += d * d;
                    n += 1;
                }
            }
            e / n.max(1) as f64
        })
        .collect();
    if energy.iter().any(|&e| e <= 1e-12) {
        return Detail::SHARP;
    }
    // The slope between neighbouring blurs, at their geometric middle; the knee is its last fall below
    // the slope at the blur, looking from the coarse end (noise and JPEG blocks flatten the finest blurs'
    // slopes, so a first fall from the fine end would read a soft photo as sharp).
    let step = std::f64::consts::SQRT_2.ln();
    let slope = |i: usize| (energy[i + 1] / energy[i]).ln() / step;
    let middle = |i: usize| sigma(i) * 2f64.powf(0.25);
    let blur_px = match (0..SIGMAS - 1).rev().find(|&i| slope(i) > SLOPE_AT_BLUR) {
        None => middle(0),
        Some(i) if i == SIGMAS - 2 => middle(i),
        Some(i) => {
            let (a, b) = (slope(i), slope(i + 1));
            let t = ((a - SLOPE_AT_BLUR) / (a - b)).clamp(0.0, 1.0);
            (middle(i).ln() * (1.0 - t) + middle(i + 1).ln() * t).exp()
        }
    };
    // The blur measured is the photo's own (k times smaller) and the averaging's, in quadrature; a sharp
    // photo averaged down by k reads sharp: it is sharp to within k pixels, and that is all it needs (the
    // caller's `max_average` keeps k pixels finer than an impression's spacing).
    let own = ((blur_px / SHARP_BLUR_PX).powi(2) - 1.0).max(0.0).sqrt();
    Detail {
        enlargement: (own * k as f64).max(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sharp synthetic texture: random-phase edges at every scale (a 1/f image), deterministic.
    fn texture(w: usize, h: usize, seed: u64) -> LinearImage {
        let mut s = seed;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) as f64 / (1u64 << 31) as f64
        };
        let discs: Vec<(f64, f64, f64, f32)> = (0..1500)
            .map(|_| {
                let r = 1.0 + 60.0 * next().powi(3);
                (next() * w as f64, next() * h as f64, r, next() as f32)
            })
            .collect();
        let mut img = LinearImage::new(w, h, [0.3; 3]);
        for y in 0..h {
            for x in 0..w {
                let mut v = 0.3f32;
                for &(cx, cy, r, tone) in &discs {
                    if (x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2) < r * r {
                        v = tone;
                    }
                }
                img.px[y * w + x] = [v; 3];
            }
        }
        // A camera's own blur (lens, demosaicing), about one pixel.
        img.gaussian_blur(0.8);
        img
    }

    /// `img` made `f` times smaller, then as large again (bilinear): an enlargement by `f`.
    fn enlarged(img: &LinearImage, f: usize) -> LinearImage {
        let small = img.downsample(f);
        let mut out = LinearImage::new(small.w * f, small.h * f, [0.0; 3]);
        for y in 0..out.h {
            for x in 0..out.w {
                let sx = ((x as f64 + 0.5) / f as f64 - 0.5).clamp(0.0, (small.w - 1) as f64);
                let sy = ((y as f64 + 0.5) / f as f64 - 0.5).clamp(0.0, (small.h - 1) as f64);
                let (ix, iy) = (
                    (sx as usize).min(small.w - 2),
                    (sy as usize).min(small.h - 2),
                );
                let (tx, ty) = ((sx - ix as f64) as f32, (sy - iy as f64) as f32);
                let p = |a: usize, b: usize| small.px[b * small.w + a][0];
                let v = (p(ix, iy) * (1.0 - tx) + p(ix + 1, iy) * tx) * (1.0 - ty)
                    + (p(ix, iy + 1) * (1.0 - tx) + p(ix + 1, iy + 1) * tx) * ty;
                out.px[y * out.w + x] = [v; 3];
            }
        }
        out
    }

    #[test]
    fn a_sharp_image_reads_sharp_and_an_enlarged_one_reads_about_its_enlargement() {
        let sharp = texture(320, 320, 3);
        let all = |i: &LinearImage| [0, 0, i.w, i.h];
        let e = photo_detail(&sharp, all(&sharp), 1).enlargement;
        assert!(e < 1.25, "sharp: read {e}");
        let mut last = 1.0;
        for f in [2, 3, 4, 6] {
            let big = enlarged(&sharp, f);
            let e = photo_detail(&big, all(&big), 1).enlargement;
            assert!(
                e > 0.7 * f as f64 && e < 1.6 * f as f64,
                "enlarged {f}×: read {e}"
            );
            assert!(e > last, "enlarged {f}×: read {e}, not more than {last}");
            last = e;
        }
    }

    #[test]
    fn a_flat_or_tiny_crop_counts_as_sharp() {
        let flat = LinearImage::new(200, 200, [0.4; 3]);
        assert_eq!(photo_detail(&flat, [0, 0, 200, 200], 1), Detail::SHARP);
        let sharp = texture(200, 200, 5);
        assert_eq!(photo_detail(&sharp, [10, 10, 30, 30], 1), Detail::SHARP);
        // A rectangle partly off the image is clipped, not a panic.
        let _ = photo_detail(&sharp, [150, 150, 400, 400], 4);
        let _ = photo_detail(&sharp, [400, 400, 10, 10], 4);
    }
}
