//! Sampling and distance helpers of the shaved picture (`shaved.rs`): the chamfer distance into the hair
//! from its outline, and bilinear samples of working maps and pictures.

use crate::color::Lin;
use crate::raster::LinearImage;
use crate::scalp::ScalpMap;

/// Distance of every working pixel from the nearest one the mask `m` (`w` × `h`) is sure of (over 0.5), in
/// working pixels (two-pass 3–4 chamfer, within 4 % of Euclidean).
pub(crate) fn chamfer_depth(m: &[f32], w: usize, h: usize) -> Vec<f32> {
    let big = (w + h) as f32 * 3.0;
    let mut d: Vec<f32> = m.iter().map(|&p| if p > 0.5 { 0.0 } else { big }).collect();
    let steps = [
        (-1i64, -1i64, 4.0f32),
        (0, -1, 3.0),
        (1, -1, 4.0),
        (-1, 0, 3.0),
    ];
    for pass in 0..2 {
        let ys: Vec<usize> = if pass == 0 {
            (0..h).collect()
        } else {
            (0..h).rev().collect()
        };
        let xs: Vec<usize> = if pass == 0 {
            (0..w).collect()
        } else {
            (0..w).rev().collect()
        };
        let sign = if pass == 0 { 1 } else { -1 };
        for &y in &ys {
            for &x in &xs {
                let mut best = d[y * w + x];
                for &(dx, dy, c) in &steps {
                    let (nx, ny) = (x as i64 + sign * dx, y as i64 + sign * dy);
                    if nx >= 0 && ny >= 0 && (nx as usize) < w && (ny as usize) < h {
                        best = best.min(d[ny as usize * w + nx as usize] + c);
                    }
                }
                d[y * w + x] = best;
            }
        }
    }
    d.iter().map(|v| v / 3.0).collect()
}

/// Bilinear sample of a mask `m` (`w` × `h`) at working coordinates (`x`, `y`).
pub(crate) fn bilinear_mask(m: &[f32], w: usize, h: usize, x: f64, y: f64) -> f32 {
    let fx = x.clamp(0.0, (w - 1) as f64);
    let fy = y.clamp(0.0, (h - 1) as f64);
    let (x0, y0) = (fx as usize, fy as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (tx, ty) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
    (m[y0 * w + x0] * (1.0 - tx) + m[y0 * w + x1] * tx) * (1.0 - ty)
        + (m[y1 * w + x0] * (1.0 - tx) + m[y1 * w + x1] * tx) * ty
}

/// Bilinear sample of `img` at working coordinates (`x`, `y`) (pixel centres at integers).
pub(crate) fn bilinear(img: &LinearImage, x: f64, y: f64) -> Lin {
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

/// The background beside hair pixel (`x`, `y`): walk away from the head (up the gradient of the
/// background map; deep in the hair, where it is flat, up that of `away`, the background blurred wide)
/// until the background is sure, then as far again, and take the photo's own pixel there. `None` when no
/// sure background lies within `reach` pixels. The hair map does not steer the walk: it fades out low on
/// the sides where the shaving does (`scalp::hair_allowed`), and walking down that fade toward the ear
/// found no wall, so the lowest hair beyond the skull stayed stubble and ended in a hard step at the
/// wall (the stepped edge near his left temple on the reference photo).
pub(crate) fn mirrored_background(
    img: &LinearImage,
    map: &ScalpMap,
    away: &[f32],
    x: usize,
    y: usize,
    reach: usize,
) -> Option<Lin> {
    match mirrored_away(img, map, away, x, y, reach) {
        Ok(c) => Some(c),
        Err(Walk::OffThePhoto) => nearest_wall(img, map, x, y, reach),
        // Old outline that is wall in part already, where the walk found no way out (the wall beside it too
        // narrow or the map flat): the nearest wall. Deeper in the hair the walk's failure keeps the hair
        // (the nearest wall there bit into the head's outline).
        Err(Walk::NoWall)
            if map.sample(&map.background, x as f64 + 0.5, y as f64 + 0.5) > PARTLY_WALL =>
        {
            nearest_wall(img, map, x, y, reach)
        }
        Err(Walk::NoWall) => None,
    }
}

/// Whether photo point (`x`, `y`) is surely the wall behind the head (background, no hair).
fn sure_wall(map: &ScalpMap, x: f64, y: f64) -> bool {
    map.sample(&map.background, x, y) > 0.9 && map.sample(&map.hair, x, y) < 0.05
}

/// Background probability from which a hair pixel whose walk found no wall takes the nearest wall.
const PARTLY_WALL: f32 = 0.3;

/// Why the walk away from the head found no wall.
enum Walk {
    /// It left the photo first.
    OffThePhoto,
    /// No sure background within reach (or no way away from the head).
    NoWall,
}

/// Where the walk away from the head leaves the photo first (a photo cut close beside the hair, the ears
/// cut off): the sure background nearest (`x`, `y`) along the eight compass directions within
/// `reach` pixels, its own pixel. Without it the old hair's outer edge stayed on the wall there, a loose
/// dark crescent beside the shaved head (outside probe s31b, `cropsides`).
fn nearest_wall(
    img: &LinearImage,
    map: &ScalpMap,
    x: usize,
    y: usize,
    reach: usize,
) -> Option<Lin> {
    let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
    let sure_wall = |x: f64, y: f64| sure_wall(map, x, y);
    let d = std::f64::consts::FRAC_1_SQRT_2;
    let dirs = [
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.0, 1.0),
        (0.0, -1.0),
        (d, d),
        (d, -d),
        (-d, d),
        (-d, -d),
    ];
    for t in 1..=reach {
        for &(ux, uy) in &dirs {
            let (px, py) = (fx + ux * t as f64, fy + uy * t as f64);
            if px < 0.0 || py < 0.0 || px >= img.w as f64 || py >= img.h as f64 {
                continue;
            }
            if sure_wall(px, py) {
                return Some(img.get(px as usize, py as usize));
            }
        }
    }
    None
}

/// [`mirrored_background`]'s walk away from the head: up the background map's own slope, and where that
/// finds no wall, up the slope of the map blurred over the cut (`away`). Inside the hair the background map
/// is near 0 and its small bumps point anywhere (session 34: walks from 1–3 px inside a dark-haired outline
/// went into the head and found no wall, and a band of stubble stayed outside a light line where the rim
/// was cut); the blurred map's slope points away from the head there.
fn mirrored_away(
    img: &LinearImage,
    map: &ScalpMap,
    away: &[f32],
    x: usize,
    y: usize,
    reach: usize,
) -> Result<Lin, Walk> {
    let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
    let d = 1.5 * map.step as f64;
    let slope = |m: &[f32]| {
        let (gx, gy) = (
            map.sample(m, fx + d, fy) - map.sample(m, fx - d, fy),
            map.sample(m, fx, fy + d) - map.sample(m, fx, fy - d),
        );
        let g = gx.hypot(gy);
        (g >= 1e-3).then(|| ((gx / g) as f64, (gy / g) as f64))
    };
    let mut off = false;
    for dir in [slope(&map.background), slope(away)].into_iter().flatten() {
        match walk_to_wall(img, map, (fx, fy), dir, reach) {
            Ok(c) => return Ok(c),
            Err(Walk::OffThePhoto) => off = true,
            Err(Walk::NoWall) => {}
        }
    }
    Err(if off { Walk::OffThePhoto } else { Walk::NoWall })
}

/// The walk from (`fx`, `fy`) along the unit direction `(ux, uy)` to the first sure wall within `reach`
/// pixels: the wall as far beyond it as the hair's outline lies before it, where that wall goes on.
fn walk_to_wall(
    img: &LinearImage,
    map: &ScalpMap,
    (fx, fy): (f64, f64),
    (ux, uy): (f64, f64),
    reach: usize,
) -> Result<Lin, Walk> {
    let sure_wall = |x: f64, y: f64| sure_wall(map, x, y);
    for t in 1..=reach {
        let (px, py) = (fx + ux * t as f64, fy + uy * t as f64);
        if px < 0.0 || py < 0.0 || px >= img.w as f64 || py >= img.h as f64 {
            return Err(Walk::OffThePhoto);
        }
        if sure_wall(px, py) {
            // Mirrored no farther than the wall goes on: a photo laid on a plain canvas (or cut close above
            // the head) ends a few pixels past the hair, and its mirror image landed on the canvas, a blob of
            // canvas colour above the head.
            let first = img.get(px as usize, py as usize);
            let (mut qx, mut qy) = (px, py);
            for k in t + 1..=2 * t + 2 {
                let (sx, sy) = (fx + ux * k as f64, fy + uy * k as f64);
                if sx < 0.0 || sy < 0.0 || sx >= img.w as f64 || sy >= img.h as f64 {
                    break;
                }
                if !sure_wall(sx, sy) || !same_wall(&first, &img.get(sx as usize, sy as usize)) {
                    break;
                }
                (qx, qy) = (sx, sy);
            }
            return Ok(img.get(qx as usize, qy as usize));
        }
    }
    Err(Walk::NoWall)
}

/// Whether wall pixel `b` continues the wall that starts at `a`: its brightness within [`WALL_STEP`] of it.
/// A backdrop's shading and grain stay inside that; the step onto a canvas the photo was laid on does not.
fn same_wall(a: &Lin, b: &Lin) -> bool {
    let lum = |c: &Lin| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] + 1e-3;
    let r = lum(b) / lum(a);
    (1.0 / WALL_STEP..=WALL_STEP).contains(&r)
}

/// Largest brightness ratio (linear light) between two pixels of one wall in [`mirrored_background`]'s
/// walk: about ±10 L* around a light grey backdrop.
const WALL_STEP: f32 = 1.3;
