//! How sharp the client's photo really is, and what follows from it: its detail measured on the head
//! (sharpness.rs) and the stubble drawn on a soft photo softened as the photo is.

use super::MIN_PX_PER_MM;
use crate::raster::LinearImage;
use crate::scalp::ScalpMap;
use crate::sharpness::{photo_detail, Detail};

/// The photo's detail is measured on at most this much scalp, mm across (see `detail_around`).
const DETAIL_MM: f64 = 180.0;

/// The smallest box [x0, y0, x1, y1) (x1, y1 exclusive) of a `w` × `h` raster holding every index `k`
/// (row-major) where `inside(k)`; `None` when none is.
fn bounding_box(w: usize, h: usize, inside: impl Fn(usize) -> bool) -> Option<[usize; 4]> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..h {
        for x in 0..w {
            if inside(y * w + x) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    (x0 < x1 && y0 < y1).then_some([x0, y0, x1, y1])
}

/// The photo's detail (sharpness.rs) on the head the scalp map found (bald scalp, retained hair and the bare
/// skin beside them, whose edges hold the detail), on at most [`DETAIL_MM`] of it, averaged down for speed
/// only as far as leaves [`MIN_PX_PER_MM`]: a blur the measure cannot see then does not matter here.
pub(super) fn detail_around(before: &LinearImage, map: &ScalpMap, px_per_mm: f64) -> Detail {
    let Some([x0, y0, x1, y1]) = bounding_box(map.w, map.h, |k| {
        map.scalp[k] + map.hair[k] + map.bare[k] > 0.5
    }) else {
        return Detail::SHARP;
    };
    let (x0, y0, x1, y1) = (x0 * map.step, y0 * map.step, x1 * map.step, y1 * map.step);
    let most = (DETAIL_MM * px_per_mm) as usize;
    let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2);
    let (w, h) = ((x1 - x0).min(most), (y1 - y0).min(most));
    photo_detail(
        before,
        [cx.saturating_sub(w / 2), cy.saturating_sub(h / 2), w, h],
        (px_per_mm / MIN_PX_PER_MM).floor() as usize,
    )
}

/// The stubble drawn on a photo softer than its pixels, softened as the photo is (only the pixels the
/// shaver changed): follicles drawn crisp on a blurred head read as specks of noise. `scale`: the picture's
/// pixels per photo pixel (the zoomed crop's enlargement; 1 for the full picture).
pub(super) fn soften_like_photo(
    before: &LinearImage,
    shaved: &mut LinearImage,
    detail: Detail,
    scale: f64,
) {
    let sigma = detail.own_blur_px() * scale;
    if sigma <= 0.0 {
        return;
    }
    // Only the box of the changed pixels (and a margin for the blur) is blurred.
    let (w, h) = (shaved.w, shaved.h);
    let Some([x0, y0, x1, y1]) = bounding_box(w, h, |i| shaved.px[i] != before.px[i]) else {
        return;
    };
    let m = (3.0 * sigma).ceil() as usize + 1;
    let (x0, y0, x1, y1) = (
        x0.saturating_sub(m),
        y0.saturating_sub(m),
        (x1 + m).min(w),
        (y1 + m).min(h),
    );
    let mut soft = LinearImage::new(x1 - x0, y1 - y0, [0.0; 3]);
    for y in y0..y1 {
        soft.px[(y - y0) * soft.w..(y - y0 + 1) * soft.w]
            .copy_from_slice(&shaved.px[y * w + x0..y * w + x1]);
    }
    // The three-box blur: its cost does not grow with σ (a 12 MP enlargement softens by σ ≈ 5 px).
    soft.smooth(sigma);
    for y in y0..y1 {
        for x in x0..x1 {
            let i = y * w + x;
            if shaved.px[i] != before.px[i] {
                shaved.px[i] = soft.px[(y - y0) * soft.w + x - x0];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounding_box_holds_exactly_the_marked_cells() {
        let (w, h) = (7, 5);
        let marked = [2 * w + 3, 4 * w + 1, w + 5];
        let b = bounding_box(w, h, |k| marked.contains(&k)).expect("cells are marked");
        assert_eq!(b, [1, 1, 6, 5]);
        assert_eq!(bounding_box(w, h, |_| false), None);
        assert_eq!(bounding_box(w, h, |k| k == 0), Some([0, 0, 1, 1]));
    }
}
