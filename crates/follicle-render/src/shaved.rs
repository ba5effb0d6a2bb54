//! The head as it will be worn: SMP clients keep their retained hair clipped to match the pigment, so the
//! preview redraws the retained hair a photo shows as shaved stubble of a chosen clipper guard.
//!
//! Model (docs/photo-scalp.md). Under the retained hair lies skin like the client's bald scalp: its colour
//! and shading are continued into the hair region from the surrounding bald skin (normalised convolution
//! over about 12 mm). A shaved scalp then shows its hair twice: the shafts under the skin (about 2 hairs
//! per mm², 0.075 mm thick, seen over their first millimetre: ≈ 17 % of the area) through the epidermis,
//! with the same optics as pigment in the dermis (`optics::over_pigment`, so dark hair reads as a cool grey
//! shadow), and the stubble above the skin, `guard_mm` long, lying at about 50° (cover
//! `1 − exp(−2 · 0.075 · 0.6 · L)`: 4 % at 0.5 mm, 9 % at 1 mm, 24 % at 3 mm) in the hair's own colour.
//! The count of hairs in a pixel is Poisson: a seeded per-pixel variation of that cover keeps the
//! texture of stubble instead of a flat tint.

use crate::color::Lin;
use crate::optics::over_pigment;
use crate::raster::LinearImage;
use crate::scalp::{blur_mask, ScalpMap};

/// Hairs per mm² on a scalp that keeps its hair (about 1 follicular unit of ~2 hairs per mm²; Bernstein &
/// Rassman 1997).
pub const HAIRS_PER_MM2: f64 = 2.0;
/// Diameter of a scalp hair shaft, mm (0.06–0.09 mm for dark terminal hair).
pub const SHAFT_MM: f64 = 0.075;
/// Length of shaft seen through the skin below its surface, mm (assumption: the upper dermis and the
/// infundibulum; a razor-shaved dark-haired scalp reads as a grey shadow).
pub const SUBSURFACE_MM: f64 = 1.15;
/// Projected length of stubble per mm of its length (hairs leave the skin at about 50°).
pub const STUBBLE_PROJECTION: f64 = 0.6;
/// Reach of the bald skin's colour into the hair region it continues under, mm (Gaussian σ).
pub const SKIN_REACH_MM: f64 = 5.0;
/// Thickness of the retained hair that stands out over the head's outline and goes when clipped, mm.
pub const HAIR_RIM_MM: f64 = 2.5;
/// Longest clipper guard accepted, mm (longer hair is no longer "shaved").
pub const MAX_GUARD_MM: f64 = 6.0;

/// Share of the skin covered by hair seen under the skin's surface.
pub fn subsurface_cover() -> f64 {
    1.0 - (-HAIRS_PER_MM2 * SHAFT_MM * SUBSURFACE_MM).exp()
}

/// Share of the skin covered by stubble `guard_mm` long seen from the front.
pub fn stubble_cover(guard_mm: f64) -> f64 {
    1.0 - (-HAIRS_PER_MM2 * SHAFT_MM * STUBBLE_PROJECTION * guard_mm.clamp(0.0, MAX_GUARD_MM)).exp()
}

/// The colour filter (multiplier of the skin's colour) of a shaved scalp with hair of colour `hair` on
/// skin `skin`, stubble `guard_mm` long, with the covers scaled by `k` (1 = mean; the per-pixel count).
pub fn shaved_filter(skin: Lin, hair: Lin, guard_mm: f64, k: f32) -> Lin {
    let sub = (subsurface_cover() as f32 * k).min(1.0);
    let above = (stubble_cover(guard_mm) as f32 * k).min(1.0);
    let through = over_pigment(skin, hair, 1.0);
    [0, 1, 2].map(|c| {
        let s = skin[c].max(1e-4);
        let f_sub = 1.0 - sub * (1.0 - (through[c] / s).min(1.0));
        let f_above = 1.0 - above * (1.0 - (hair[c] / s).min(1.0));
        f_sub * f_above
    })
}

/// Redraws the retained hair on `img` (linear light, full size, the photo the map was made from) as
/// stubble `guard_mm` long of colour `hair` (the photo's hair colour when `None`), at `px_per_mm` on the
/// scalp; `seed` fixes the stubble's texture. Returns how many pixels changed.
pub fn shave(
    img: &mut LinearImage,
    map: &ScalpMap,
    hair: Option<Lin>,
    guard_mm: f64,
    px_per_mm: f64,
    seed: u64,
) -> usize {
    let Some(hair) = hair.or(map.hair_colour) else {
        return 0;
    };
    // The skin under the hair: bald skin's colour continued into the hair region.
    let (w, h) = (map.w, map.h);
    let sigma = (SKIN_REACH_MM * px_per_mm / map.step as f64).max(1.0);
    let work = img.downsample(map.step);
    let weight: Vec<f32> = map.scalp.iter().map(|&p| p * p).collect();
    let weighted = LinearImage {
        w,
        h,
        px: (0..w * h)
            .map(|i| {
                let c = work.px.get(i).copied().unwrap_or(map.skin);
                c.map(|v| v * weight[i])
            })
            .collect(),
    };
    // Near bald skin its own colour (the skin beside the hair, often in the head's shadow); farther in,
    // a three times wider average.
    let (wnear, wfar) = (
        blur_mask(&weight, w, h, sigma),
        blur_mask(&weight, w, h, 3.0 * sigma),
    );
    let mut near = weighted.clone();
    near.gaussian_blur(sigma);
    let mut base = weighted;
    base.gaussian_blur(3.0 * sigma);
    let wsum: Vec<f32> = wfar.clone();
    for i in 0..w * h {
        let t = (wnear[i] / 0.15).min(1.0);
        let (n, f) = (near.px[i], base.px[i]);
        base.px[i] = [0, 1, 2].map(|c| {
            let nc = if wnear[i] > 1e-6 {
                n[c] / wnear[i]
            } else {
                0.0
            };
            let fc = if wfar[i] > 1e-6 { f[c] / wfar[i] } else { 0.0 };
            (nc * t + fc * (1.0 - t)) * wfar[i]
        });
    }
    // The light on the hair region: hair of one colour, so its smoothed luminance is the shading there
    // (darker where the head turns away), relative to the hair's median.
    let lum = |c: &Lin| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    let hw: Vec<f32> = map.hair.iter().map(|&p| p * p).collect();
    let hsum = blur_mask(&hw, w, h, sigma * 0.5);
    let hy: Vec<f32> = (0..w * h)
        .map(|i| work.px.get(i).map_or(0.0, lum) * hw[i])
        .collect();
    let hy = blur_mask(&hy, w, h, sigma * 0.5);
    let mut sure: Vec<f32> = (0..w * h)
        .filter(|&i| map.hair[i] > 0.8)
        .filter_map(|i| work.px.get(i).map(lum))
        .collect();
    sure.sort_by(|a, b| a.total_cmp(b));
    let hair_ref = sure.get(sure.len() / 2).copied().unwrap_or(0.0);
    for (i, p) in base.px.iter_mut().enumerate() {
        let ws = wsum[i];
        // Far from any bald skin: the forehead colour.
        let t = (ws / 0.05).min(1.0);
        let shade = if hair_ref > 1e-4 && hsum[i] > 0.05 {
            (hy[i] / hsum[i] / hair_ref).clamp(0.6, 1.0)
        } else {
            1.0
        };
        *p = [0, 1, 2].map(|c| {
            let cont = if ws > 1e-6 { p[c] / ws } else { map.skin[c] };
            (cont * t + map.skin[c] * (1.0 - t)) * shade
        });
    }
    let mut rim_w = vec![0f32; w * h];
    // The hair's outer rim: hair standing out against the background goes when it is clipped, so the
    // rim within HAIR_RIM_MM of the background turns into the background around it.
    let rim_sigma = (HAIR_RIM_MM * px_per_mm / map.step as f64).max(0.7);
    let near_bg = blur_mask(&map.background, w, h, rim_sigma);
    let bw: Vec<f32> = map.background.iter().map(|&b| b * b).collect();
    let bsum = blur_mask(&bw, w, h, 3.0 * rim_sigma);
    let mut bcol = LinearImage {
        w,
        h,
        px: (0..w * h)
            .map(|i| {
                work.px
                    .get(i)
                    .copied()
                    .unwrap_or([0.0; 3])
                    .map(|v| v * bw[i])
            })
            .collect(),
    };
    bcol.gaussian_blur(3.0 * rim_sigma);
    for (i, p) in bcol.px.iter_mut().enumerate() {
        let rim = ((near_bg[i] - 0.3) / 0.3).clamp(0.0, 1.0);
        let rim = rim * rim * (3.0 - 2.0 * rim);
        if bsum[i] > 1e-3 {
            *p = p.map(|v| v / bsum[i]);
            let b = base.px[i];
            base.px[i] = [0, 1, 2].map(|c| b[c] * (1.0 - rim) + p[c] * rim);
            rim_w[i] = rim;
        }
    }
    let hairs_per_px = HAIRS_PER_MM2 / (px_per_mm * px_per_mm);
    let spread = (1.0 / hairs_per_px.max(1e-3).sqrt()).min(0.5) as f32;
    let mut changed = 0;
    for y in 0..img.h {
        for x in 0..img.w {
            let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
            let a = map.hair_at(fx, fy);
            if a < 0.02 {
                continue;
            }
            let b = bilinear(
                &base,
                fx / map.step as f64 - 0.5,
                fy / map.step as f64 - 0.5,
            );
            let hsh = follicle_core::noise::mix64(seed ^ ((y as u64) << 32 | x as u64));
            let n = (hsh & 0xFFFF) as f32 / 65535.0 * 2.0 - 1.0;
            let rim = bilinear_mask(
                &rim_w,
                w,
                h,
                fx / map.step as f64 - 0.5,
                fy / map.step as f64 - 0.5,
            );
            let f = shaved_filter(b, hair, guard_mm, (1.0 + spread * n).max(0.0) * (1.0 - rim));
            let p = &mut img.px[y * img.w + x];
            for c in 0..3 {
                p[c] = p[c] * (1.0 - a) + b[c] * f[c] * a;
            }
            changed += 1;
        }
    }
    changed
}

/// Bilinear sample of a mask `m` (`w` × `h`) at working coordinates (`x`, `y`).
fn bilinear_mask(m: &[f32], w: usize, h: usize, x: f64, y: f64) -> f32 {
    let fx = x.clamp(0.0, (w - 1) as f64);
    let fy = y.clamp(0.0, (h - 1) as f64);
    let (x0, y0) = (fx as usize, fy as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (tx, ty) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
    (m[y0 * w + x0] * (1.0 - tx) + m[y0 * w + x1] * tx) * (1.0 - ty)
        + (m[y1 * w + x0] * (1.0 - tx) + m[y1 * w + x1] * tx) * ty
}

/// Bilinear sample of `img` at working coordinates (`x`, `y`) (pixel centres at integers).
fn bilinear(img: &LinearImage, x: f64, y: f64) -> Lin {
    let fx = x.clamp(0.0, (img.w - 1) as f64);
    let fy = y.clamp(0.0, (img.h - 1) as f64);
    let (x0, y0) = (fx as usize, fy as usize);
    let (x1, y1) = ((x0 + 1).min(img.w - 1), (y0 + 1).min(img.h - 1));
    let (tx, ty) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
    let g = |x: usize, y: usize| img.px[y * img.w + x];
    let (a, b, c, d) = (g(x0, y0), g(x1, y0), g(x0, y1), g(x1, y1));
    [0, 1, 2].map(|k| {
        (a[k] * (1.0 - tx) + b[k] * tx) * (1.0 - ty) + (c[k] * (1.0 - tx) + d[k] * tx) * ty
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_stubble_is_darker_and_shaved_dark_hair_reads_as_a_grey_shadow() {
        let skin = crate::color::lin_from_srgb8([224, 180, 152]);
        let hair = crate::color::lin_from_srgb8([40, 32, 28]);
        let y =
            |f: Lin| 0.2126 * f[0] * skin[0] + 0.7152 * f[1] * skin[1] + 0.0722 * f[2] * skin[2];
        let sy = y([1.0; 3]);
        let (g0, g1, g3) = (
            y(shaved_filter(skin, hair, 0.0, 1.0)),
            y(shaved_filter(skin, hair, 1.0, 1.0)),
            y(shaved_filter(skin, hair, 3.0, 1.0)),
        );
        assert!(g0 < sy && g1 < g0 && g3 < g1, "{sy} {g0} {g1} {g3}");
        // A razor-shaved dark-haired scalp is 10–25 % darker than bare skin (the SMP calibration target
        // of 18 % sits inside), not black.
        let drop = 1.0 - g0 / sy;
        assert!((0.10..0.25).contains(&drop), "{drop}");
        // Blond hair on the same skin barely shows.
        let blond = crate::color::lin_from_srgb8([200, 170, 120]);
        assert!(1.0 - y(shaved_filter(skin, blond, 0.0, 1.0)) / sy < drop * 0.5);
    }
}
