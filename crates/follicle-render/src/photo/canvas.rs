//! A plain canvas around a photo: the photo laid on a flat border of one colour (a portrait pasted onto a
//! white or dark page, a screenshot with bars). The border is no part of the scene: the head's outline,
//! the background's colours and the photo's top edge are looked for inside it. Found by trimming, side by
//! side, lines of one flat colour that end in a step along the whole line (the photo's straight edge), so
//! a real backdrop that is flat (burnt out to white, a seamless paper) is not taken for a canvas where the
//! head rises out of it.

/// The photo proper inside its canvas: `[x0, y0, x1, y1]`, pixels, `x1`/`y1` exclusive. The whole picture
/// when there is no canvas.
pub type Content = [usize; 4];

/// Largest difference (0–1, per channel, in a gamma-encoded scale) between a canvas pixel and the canvas
/// colour: a flat colour after JPEG compression.
const FLAT: f32 = 0.03;
/// Share of a line's pixels that may differ from the canvas colour (JPEG ringing, a stray mark).
const STRAY: f32 = 0.01;
/// The photo's edge stands out from the canvas by a step on at least this share of its run.
const STEP_SHARE: f32 = 0.8;
/// How many times [`FLAT`] the photo's edge stands out from the canvas.
const STEP: f32 = 3.0;
/// How many lines past the photo's edge its sides are checked to run straight on.
const SIDE_CHECK: usize = 8;
/// A border narrower than this is no canvas (a thin frame line, a JPEG block row).
const MIN_CANVAS_PX: usize = 4;
/// The photo proper keeps at least this share of each dimension.
const MIN_CONTENT_SHARE: f32 = 0.2;
/// A strip along a side (a collage's border between its pictures, a frame line, a screenshot's bar) may be
/// at most this share of the picture's dimension across it, and at most [`MAX_STRIP_PX`] pixels wide (and
/// at least [`MIN_CANVAS_PX`]: a JPEG's odd last row is no strip).
const MAX_STRIP_SHARE: f32 = 0.03;
const MAX_STRIP_PX: usize = 16;
/// A strip ends in a step from the line before on at least this share of the line (the photo's straight
/// edge: a scene's own edges never run along a whole side).
const STRIP_STEP_SHARE: f32 = 0.9;

/// The content of a `w` × `h` picture whose gamma-encoded colour (0–1) at (x, y) is `at(x, y)`.
pub fn content_rect(w: usize, h: usize, at: impl Fn(usize, usize) -> [f32; 3]) -> Content {
    if w < 3 * MIN_CANVAS_PX || h < 3 * MIN_CANVAS_PX {
        return [0, 0, w, h];
    }
    let near = |a: [f32; 3], b: [f32; 3], tol: f32| (0..3).all(|k| (a[k] - b[k]).abs() <= tol);
    // How many lines of one side are canvas. `line(k, i)` is pixel i of the k-th line from that side,
    // `n` lines of `len` pixels.
    let trim = |n: usize, len: usize, line: &dyn Fn(usize, usize) -> [f32; 3]| -> usize {
        if len == 0 {
            return 0;
        }
        let canvas = line(0, 0);
        let share = |k: usize| {
            (0..len)
                .filter(|&i| !near(line(k, i), canvas, FLAT))
                .count() as f32
                / len as f32
        };
        let max = (n as f32 * (1.0 - MIN_CONTENT_SHARE) / 2.0) as usize;
        let mut k = 0;
        while k < max && share(k) <= STRAY {
            k += 1;
        }
        // The photo's edge: past the canvas lines, a line whose pixels leave the canvas colour on one run
        // (the other sides' canvases may still lie at its ends), by a step, not a drift (a backdrop's
        // gradient leaves the tolerance slowly, a pasted photo's edge jumps well past it), and the run keeps
        // its ends on the lines after it (a rectangle's side; a head rising out of a flat backdrop widens).
        // JPEG ringing blurs the edge over a block: the step is looked for a few lines on.
        let run = |j: usize| -> Option<(usize, usize)> {
            let off = |i: usize| !near(line(j, i), canvas, FLAT);
            let a = (0..len).find(|&i| off(i))?;
            let b = (0..len).rev().find(|&i| off(i))?;
            Some((a, b))
        };
        let step = (k..(k + 3).min(n)).any(|j| {
            let Some((a, b)) = run(j) else { return false };
            let wide = (b - a + 1) as f32 >= MIN_CONTENT_SHARE * len as f32;
            let jump = (a..=b)
                .filter(|&i| !near(line(j, i), canvas, STEP * FLAT))
                .count() as f32
                >= STEP_SHARE * (b - a + 1) as f32;
            let straight = j + SIDE_CHECK >= n
                || run(j + SIDE_CHECK)
                    .is_some_and(|(a2, b2)| a.abs_diff(a2) <= 2 && b.abs_diff(b2) <= 2);
            wide && jump && straight
        });
        if k >= MIN_CANVAS_PX && k < max && step {
            k
        } else {
            0
        }
    };
    // A strip that is no flat colour (a collage's two-tone border, a frame's bevel): the outer lines of a side
    // up to the innermost one where the colour steps along nearly the whole line. Its width is bounded, so
    // a scene's own straight edge far inside (a door frame, a pillar) is never taken for it; trimmed once per
    // side.
    let strip = |n: usize, len: usize, line: &dyn Fn(usize, usize) -> [f32; 3]| -> usize {
        let max = ((n as f32 * MAX_STRIP_SHARE) as usize).min(MAX_STRIP_PX);
        let stepped = |k: usize| {
            (0..len)
                .filter(|&i| !near(line(k - 1, i), line(k, i), STEP * FLAT))
                .count() as f32
                >= STRIP_STEP_SHARE * len as f32
        };
        (MIN_CANVAS_PX..=max)
            .rev()
            .find(|&k| stepped(k))
            .unwrap_or(0)
    };
    // Side by side inside what is left: the first line of the photo under a top canvas still has the side
    // canvases at its ends, so its step shows only once they are trimmed too.
    let [mut x0, mut y0, mut x1, mut y1] = [0, 0, w, h];
    let mut stripped = [false; 4];
    for _ in 0..3 {
        let (cw, ch) = (x1 - x0, y1 - y0);
        let mut side =
            |k: usize, n: usize, len: usize, line: &dyn Fn(usize, usize) -> [f32; 3]| match trim(
                n, len, line,
            ) {
                0 if !stripped[k] => {
                    stripped[k] = true;
                    strip(n, len, line)
                }
                found => found,
            };
        let top = side(0, ch, cw, &|k, i| at(x0 + i, y0 + k));
        let bottom = side(1, ch, cw, &|k, i| at(x0 + i, y1 - 1 - k));
        let left = side(2, cw, ch, &|k, i| at(x0 + k, y0 + i));
        let right = side(3, cw, ch, &|k, i| at(x1 - 1 - k, y0 + i));
        if top + bottom + left + right == 0 {
            break;
        }
        (x0, y0, x1, y1) = (x0 + left, y0 + top, x1 - right, y1 - bottom);
    }
    // Trimmed round after round, a striped picture could shrink to a sliver: the photo proper keeps
    // [`MIN_CONTENT_SHARE`] of the whole picture each way, or there is no canvas.
    let keeps = |kept: usize, all: usize| kept as f32 >= MIN_CONTENT_SHARE * all as f32;
    if keeps(x1 - x0, w) && keeps(y1 - y0, h) {
        [x0, y0, x1, y1]
    } else {
        [0, 0, w, h]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w` × `h` grey scene with a dark disc, laid on a canvas `pad` pixels wide of colour `canvas`.
    fn padded(w: usize, h: usize, pad: [usize; 4], canvas: f32) -> (usize, usize, Vec<[f32; 3]>) {
        let (tw, th) = (w + pad[0] + pad[2], h + pad[1] + pad[3]);
        let mut px = vec![[canvas; 3]; tw * th];
        for y in 0..h {
            for x in 0..w {
                let d = ((x as f32 - w as f32 / 2.0).powi(2) + (y as f32 - h as f32 / 2.0).powi(2))
                    .sqrt();
                let v = if d < w as f32 / 4.0 {
                    0.2
                } else {
                    0.7 + 0.05 * (y as f32 / h as f32)
                };
                px[(y + pad[1]) * tw + x + pad[0]] = [v, v, v * 0.95];
            }
        }
        (tw, th, px)
    }

    #[test]
    fn a_photo_laid_on_a_canvas_is_found_inside_it() {
        for canvas in [1.0, 0.1] {
            let (w, h, px) = padded(200, 240, [30, 80, 0, 12], canvas);
            let r = content_rect(w, h, |x, y| px[y * w + x]);
            assert_eq!(r, [30, 80, 230, 320], "canvas {canvas}");
            // Canvas wider than the photo on every side: no side's first line is the photo's alone.
            let (w, h, px) = padded(210, 235, [155, 118, 155, 118], canvas);
            let r = content_rect(w, h, |x, y| px[y * w + x]);
            assert_eq!(r, [155, 118, 365, 353], "canvas {canvas}");
        }
    }

    #[test]
    fn a_flat_backdrop_that_the_head_rises_out_of_is_no_canvas() {
        // A burnt-out white backdrop above a head: flat rows, then rows where only the head differs.
        let (w, h) = (200, 240);
        let px: Vec<[f32; 3]> = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                let head = (x - 100.0).powi(2) + (y - 150.0).powi(2) < 90.0f32.powi(2);
                if head {
                    [0.6, 0.45, 0.35]
                } else {
                    [1.0; 3]
                }
            })
            .collect();
        assert_eq!(content_rect(w, h, |x, y| px[y * w + x]), [0, 0, w, h]);
    }

    #[test]
    fn a_backdrop_shaded_from_top_to_bottom_is_no_canvas() {
        let (w, h) = (200, 240);
        let px: Vec<[f32; 3]> = (0..w * h)
            .map(|i| [0.9 - 0.3 * (i / w) as f32 / h as f32; 3])
            .collect();
        assert_eq!(content_rect(w, h, |x, y| px[y * w + x]), [0, 0, w, h]);
    }

    #[test]
    fn nested_frames_never_leave_a_sliver() {
        // Frames inside frames, each a flat colour: every round trims one, but the photo proper would end
        // under a fifth of the picture, so the whole picture is kept.
        let (w, h) = (300usize, 300usize);
        let px: Vec<[f32; 3]> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let ring = x.min(y).min(w - 1 - x).min(h - 1 - y) / 40;
                [[0.1, 0.9, 0.4, 0.7][ring.min(3)]; 3]
            })
            .collect();
        let r = content_rect(w, h, |x, y| px[y * w + x]);
        assert!(r[2] - r[0] >= 60 && r[3] - r[1] >= 60, "{r:?}");
    }

    #[test]
    fn a_two_tone_strip_along_a_side_is_trimmed_and_a_pillar_inside_is_not() {
        // A collage's border on the right, 8 px: 3 px light grey, then 5 px grey above and white below.
        let (w, h) = (300usize, 400usize);
        let px: Vec<[f32; 3]> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let scene = [
                    0.2 + 0.5 * (x as f32 / w as f32),
                    0.3,
                    0.25 + 0.001 * y as f32,
                ];
                match x {
                    292..=294 => [0.88; 3],
                    295.. => [if y < 150 { 0.88 } else { 1.0 }; 3],
                    // A dark, grained pillar 40 px wide at the left edge: part of the scene.
                    0..=39 => [0.1 + 0.02 * ((x * 7 + y * 13) % 9) as f32, 0.1, 0.12],
                    _ => scene,
                }
            })
            .collect();
        assert_eq!(content_rect(w, h, |x, y| px[y * w + x]), [0, 0, 292, 400]);
    }

    #[test]
    fn a_photo_without_a_canvas_is_whole() {
        let (w, h, px) = padded(120, 160, [0; 4], 0.0);
        assert_eq!(content_rect(w, h, |x, y| px[y * w + x]), [0, 0, 120, 160]);
    }
}
