//! The light on the head as a dome. The registered head's surface normal per working pixel of a front
//! photo, and a light fitted to the bare skin's luminance in that normal (ambient plus one direction: the
//! first-order spherical harmonics a matte dome shows), so the skin under the clipped hair is lit as the
//! head turns away from the light, continuous with the bare skin beside it (`shaved.rs`,
//! docs/photo-scalp.md). Before, the skin under the hair took the bare skin's light beside it: the side
//! turning away from the light came out as light as the top's edge, a flat beige patch.

use crate::color::Lin;
use crate::raster::LinearImage;
use crate::register::Registration;
use crate::scalp::{blur_mask, ScalpMap};
use crate::shaved::{SHADE_RANGE, SKIN_CHROMA_KEPT, SKIN_REACH_MM};
use follicle_core::{Plan, Vec3};

pub use crate::dome_light::DomeLight;

/// Lowest row, mm above the glabella, on which the photo's head outline is read for the dome's normals
/// (lower, the ears widen the photo's head: their rows took a stretch of their own, a seam in the light).
pub const ROWS_ABOVE_MM: f64 = 20.0;
/// Unit normal (head frame) of the plan's head, its breadth times `breadth`, where the ray from `o` along
/// unit `d` first meets it; where the ray misses the head, the normal of the head grown about its centre to just touch the ray (at the
/// point where the ray passes closest in the head's own proportions): across the ray, so the hair standing
/// beyond the skull's outline is lit as the outline is, turned away from the camera.
pub fn normal_along(plan: &Plan, breadth: f64, o: Vec3, d: Vec3) -> Vec3 {
    let hd = &plan.head;
    let ha = hd.a * breadth;
    let q = o - hd.centre;
    let mut hit: Option<(f64, f64)> = None;
    let mut near: Option<(f64, Vec3, f64)> = None;
    for c in [hd.c_up, hd.c_low] {
        let s = |v: Vec3| Vec3::new(v.x / ha, v.y / hd.b, v.z / c);
        let (qs, ds) = (s(q), s(d));
        let (a, b) = (ds.norm2(), qs.dot(ds));
        if a <= 0.0 {
            continue;
        }
        let upper = c == hd.c_up;
        let on_part = |t: f64| (q.z + d.z * t >= 0.0) == upper;
        let cc = qs.norm2() - 1.0;
        let disc = b * b - a * cc;
        if disc >= 0.0 {
            let t = (-b - disc.sqrt()) / a;
            let nearer = match hit {
                Some((h, _)) => t < h,
                None => true,
            };
            if t > 0.0 && on_part(t) && nearer {
                hit = Some((t, c));
            }
        }
        let t = -b / a;
        let grow = (qs + ds * t).norm2();
        let closer = match near {
            Some((g, _, _)) => grow < g,
            None => true,
        };
        if on_part(t) && closer {
            near = Some((grow, q + d * t, c));
        }
    }
    let (p, c) = match (hit, near) {
        (Some((t, c)), _) => (q + d * t, c),
        (None, Some((_, p, c))) => (p, c),
        (None, None) => return d * -1.0,
    };
    Vec3::new(p.x / (ha * ha), p.y / (hd.b * hd.b), p.z / (c * c)).normalized()
}

/// The head's normal (head frame) per working pixel of a photo `w` × `h` working pixels of `step` photo
/// pixels each, as registered by `reg` (facing the camera where the registration cannot be inverted).
///
/// The head is the plan's, stretched row by row to the photo's own outline where `background` (the
/// working map, 1 off the head) shows it above the glabella ([`outline_rows`]): the plan's head is often
/// narrower than the client's (on the reference photo by 20 %) or a few mm aside, and its outline inside
/// the hair lit the whole clipped side as the edge of a smaller head. Beyond the outline (and where no
/// row is read) the normal is the registered head's own.
pub fn normals(
    plan: &Plan,
    reg: &Registration,
    (w, h, step): (usize, usize, usize),
    background: &[f32],
) -> Vec<[f32; 3]> {
    let Some(inv) = reg.transform.inverse() else {
        let b = reg.frontal.back();
        return vec![[b.x as f32, b.y as f32, b.z as f32]; w * h];
    };
    let ray = |x: f64, y: f64| {
        let (u, v) = inv.apply(x * step as f64, y * step as f64);
        reg.frontal.ray(u, v)
    };
    let on_skull = |x: f64, y: f64| hits(plan, reg.frontal.eye, ray(x, y));
    let rows = outline_rows(plan, reg, (w, h, step), background, &on_skull);
    let f = |v: Vec3| [v.x as f32, v.y as f32, v.z as f32];
    let mut out = Vec::with_capacity(w * h);
    for (y, &map_x) in rows.iter().enumerate() {
        for x in 0..w {
            let xc = x as f64 + 0.5;
            let xs = map_x.map_or(xc, |(a, b)| a + b * xc);
            out.push(f(normal_along(
                plan,
                1.0,
                reg.frontal.eye,
                ray(xs, y as f64 + 0.5),
            )));
        }
    }
    out
}

/// Per working row, the stretch `x → a + b·x` (working pixels) taking the photo's head across that row
/// (the longest run off the background) onto the registered skull's, on rows [`ROWS_ABOVE_MM`] above the
/// glabella and higher where both are found and their widths agree within a factor 1.6; rows below the lowest such row (the
/// ears widen the photo's head there) take its stretch, rows above the highest the highest's.
fn outline_rows(
    plan: &Plan,
    reg: &Registration,
    (w, h, step): (usize, usize, usize),
    background: &[f32],
    on_skull: &dyn Fn(f64, f64) -> bool,
) -> Vec<Option<(f64, f64)>> {
    let mut rows: Vec<Option<(f64, f64)>> = vec![None; h];
    if background.len() != w * h {
        return rows;
    }
    // Rows from ROWS_ABOVE_MM above the glabella up: lower, the ears and the face widen the photo's head.
    let glabella_row = reg
        .project(plan.landmarks.glabella)
        .map_or(h as f64, |(_, gy, _)| {
            (gy - ROWS_ABOVE_MM * reg.px_per_mm) / step as f64
        });
    for (y, row) in rows.iter_mut().enumerate() {
        if y as f64 + 0.5 > glabella_row {
            break;
        }
        let yc = y as f64 + 0.5;
        // The photo's head: the longest run of pixels off the background, its ends where the map crosses ½.
        let bg = &background[y * w..(y + 1) * w];
        let (mut best, mut start) = ((0usize, 0usize), None);
        for x in 0..=w {
            let inside = bg.get(x).is_some_and(|&b| b < 0.5);
            match (inside, start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    if x - s > best.1 - best.0 {
                        best = (s, x);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        if best.1 - best.0 < 4 {
            continue;
        }
        let cross = |i: usize, j: usize| {
            // Sub-pixel ½ crossing between pixel centres i (head) and j (background).
            let (a, b) = (bg[i], bg[j.min(w - 1)]);
            let t = if (b - a).abs() > 1e-6 {
                ((0.5 - a) / (b - a)).clamp(0.0, 1.0)
            } else {
                0.5
            };
            i as f64 + 0.5 + (j as f64 - i as f64) * t as f64
        };
        let xl = if best.0 > 0 {
            cross(best.0, best.0 - 1)
        } else {
            0.0
        };
        let xr = if best.1 < w {
            cross(best.1 - 1, best.1)
        } else {
            w as f64
        };
        // The registered skull across the same row.
        let hit: Vec<usize> = (0..w).filter(|&x| on_skull(x as f64 + 0.5, yc)).collect();
        let (Some(&sl), Some(&sr)) = (hit.first(), hit.last()) else {
            continue;
        };
        let (sl, sr) = (sl as f64, sr as f64 + 1.0);
        let ratio = (sr - sl) / (xr - xl).max(1e-6);
        if !(1.0 / 1.6..=1.6).contains(&ratio) {
            continue;
        }
        *row = Some((sl - xl * ratio, ratio));
    }
    let found: Vec<usize> = (0..h).filter(|&y| rows[y].is_some()).collect();
    if let (Some(&top), Some(&low)) = (found.first(), found.last()) {
        for y in 0..h {
            if y < top {
                rows[y] = rows[top];
            } else if y > low {
                rows[y] = rows[low];
            } else if rows[y].is_none() {
                let prev = (0..y).rev().find(|&k| rows[k].is_some());
                rows[y] = prev.and_then(|k| rows[k]);
            }
        }
    }
    rows
}

/// Whether the ray from `o` along `d` meets the plan's head.
fn hits(plan: &Plan, o: Vec3, d: Vec3) -> bool {
    let hd = &plan.head;
    let q = o - hd.centre;
    [hd.c_up, hd.c_low].iter().any(|&c| {
        let s = |v: Vec3| Vec3::new(v.x / hd.a, v.y / hd.b, v.z / c);
        let (qs, ds) = (s(q), s(d));
        let (a, b) = (ds.norm2(), qs.dot(ds));
        let disc = b * b - a * (qs.norm2() - 1.0);
        if a <= 0.0 || disc < 0.0 {
            return false;
        }
        let t = (-b - disc.sqrt()) / a;
        t > 0.0 && (q.z + d.z * t >= 0.0) == (c == hd.c_up)
    })
}

/// Luminance (linear light) of a colour.
#[inline]
pub fn lum(c: &[f32; 3]) -> f32 {
    0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}

/// The skin under the retained hair, per working pixel.
pub struct SkinUnder {
    /// The bare skin continued under the hair in the dome's light (linear light).
    pub base: LinearImage,
    /// The dome's light over the light the skin had before the dome (the bare skin beside the hair in the
    /// hair region's own light, [`crate::shaved::SHADE_RANGE`]): the photo's hair is seen in that older
    /// light, so its shadow is relit by this factor before it darkens the dome-lit skin. The stubble
    /// then darkens the skin by the same share as before the dome (a property of hair and skin, not of
    /// the light: left as photographed, dark hair at L* 22 over dome-lit skin at L* 34 made the razor's
    /// shadow on his left side 7 % where his lit side had 13 %).
    pub relight: Vec<f32>,
}

/// The bare skin of the head continued under the retained hair of `work` (the working picture `map` was
/// made from, linear light), at `px_per_mm` photo pixels per mm: its colour from the bare skin beside the
/// hair ([`crate::shaved::SKIN_REACH_MM`], normalised convolution; far from any bare skin the median of
/// that continued skin), taken to the client's own skin colour ([`crate::shaved::SKIN_CHROMA_KEPT`]), in
/// the light of the dome: the [`DomeLight`] fitted to the bare skin in the head's normals times the bare
/// skin's own departure from it, continued over the same reach near it and three times wider farther in
/// (without a dome, the hair region's own smoothed light, [`crate::shaved::SHADE_RANGE`]).
pub fn skin_under_hair(work: &LinearImage, map: &ScalpMap, px_per_mm: f64) -> SkinUnder {
    let (w, h) = (map.w, map.h);
    // The skin under the hair: bald skin's colour continued into the hair region.
    let sigma = (SKIN_REACH_MM * px_per_mm / map.step as f64).max(1.0);
    // The bare skin on the head, the temples beside the face included (their light is the sides'; the
    // bald top alone carried its highlight onto the sides: a pale shell).
    let weight: Vec<f32> = map.bare.iter().map(|&p| p * p).collect();
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
    near.smooth(sigma);
    let mut base = weighted;
    base.smooth(3.0 * sigma);
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
    // The light on the skin under the hair. The registered head's normals give it as a dome: a light
    // (ambient and one direction) fitted to the bare skin's luminance, continuous with the bare skin
    // beside the hair (its departure from the dome, the ratio of photo to fitted light, continued over
    // SKIN_REACH_MM near it and three times wider farther in), so a side turning away from the light
    // darkens as it turns. Continued from the bare skin alone, the side turned away took the light of
    // the top's edge and the temple: a flat beige patch lighter than the shaded skin below it.
    let lum = |c: &Lin| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    let dome = if map.normal.len() == w * h {
        DomeLight::fit_bare(
            &work.px.iter().map(lum).collect::<Vec<f32>>(),
            &map.bare,
            &map.normal,
        )
    } else {
        None
    };
    let dome_y: Vec<f32> = match &dome {
        Some(d) => map.normal.iter().map(|&n| d.at(n)).collect(),
        None => Vec::new(),
    };
    let ratio = dome.as_ref().map(|_| {
        let r: Vec<f32> = (0..w * h)
            .map(|i| {
                let y = work.px.get(i).map_or(0.0, lum);
                (y / dome_y[i].max(1e-5)).clamp(0.2, 5.0).ln() * weight[i]
            })
            .collect();
        let (rn, rf) = (blur_mask(&r, w, h, sigma), blur_mask(&r, w, h, 3.0 * sigma));
        (0..w * h)
            .map(|i| {
                let t = (wnear[i] / 0.15).min(1.0);
                let n = if wnear[i] > 1e-6 {
                    rn[i] / wnear[i]
                } else {
                    0.0
                };
                let f = if wfar[i] > 1e-6 { rf[i] / wfar[i] } else { 0.0 };
                let reach = (wfar[i] / 0.05).min(1.0);
                ((n * t + f * (1.0 - t)) * reach).exp()
            })
            .collect::<Vec<f32>>()
    });
    // Without a dome (too little bare skin to fit it): the hair region's own light, its smoothed
    // luminance over its median (hair of one colour, darker where the head turns away).
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
    // Far from any bald skin: the skin continued under the hair where it is known (the median over hair
    // pixels next to bald skin, in the hair's own light), else the forehead colour.
    let mut known: Vec<Lin> = (0..w * h)
        .filter(|&i| map.hair[i] > 0.5 && wsum[i] >= 0.05)
        .map(|i| base.px[i].map(|v| v / wsum[i]))
        .collect();
    let fallback = if known.len() >= 12 {
        known.sort_by(|a, b| lum(a).total_cmp(&lum(b)));
        known[known.len() / 2]
    } else {
        map.skin
    };
    // How saturated the photo's own bare skin is at each lightness (skin_chroma.rs).
    let chroma = crate::skin_chroma::SkinChroma::measure(&work.px, &map.bare);
    let mut relight = vec![1f32; w * h];
    for (i, p) in base.px.iter_mut().enumerate() {
        let ws = wsum[i];
        let t = (ws / 0.05).min(1.0);
        let mut cont: Lin = [0, 1, 2].map(|c| {
            let cont = if ws > 1e-6 { p[c] / ws } else { fallback[c] };
            cont * t + fallback[c] * (1.0 - t)
        });
        let shade = if hair_ref > 1e-4 && hsum[i] > 0.05 {
            (hy[i] / hsum[i] / hair_ref).clamp(SHADE_RANGE.0, SHADE_RANGE.1)
        } else {
            1.0
        };
        let k = match &ratio {
            Some(r) => dome_y[i] * r[i] / lum(&cont).max(1e-6),
            None => shade,
        };
        relight[i] = k / shade;
        cont = cont.map(|v| v * k);
        // The skin's colour under the hair is the client's skin (the forehead's chromaticity) in the
        // light there: continued from the skin beside it, the shadowed temples and the skin by the ears
        // carried their warmer, redder shade onto one side (an orange patch) and the highlight onto the
        // other (a pale pink band), so the two sides differed in colour where the skin under both is one.
        let ys = lum(&map.skin).max(1e-5);
        let scale = lum(&cont) / ys;
        *p = [0, 1, 2]
            .map(|c| cont[c] * (1.0 - SKIN_CHROMA_KEPT) + map.skin[c] * scale * SKIN_CHROMA_KEPT);
        // As saturated as the photo's skin of its lightness: shaded skin is not the lit skin dimmed.
        if let Some(t) = &chroma {
            *p = t.apply(*p);
        }
    }
    SkinUnder { base, relight }
}
