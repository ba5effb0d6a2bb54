//! A photo that is see-through as a whole: a PNG saved with its transparency at half (outside test s42: alpha
//! 128 everywhere). Laid on white it shows faded, its hair a pale grey that the scalp map cannot tell from
//! skin, and the preview then blamed the client's hair colour. A cut-out background (transparent around an
//! opaque head, a soft edge between them) is a photo and is laid on white as it is; a picture most of whose
//! visible pixels are partly transparent is not, and is refused in words. So is a picture see-through inside
//! the head, where no background can be: holes not joined to its edges (outside test s53: the near-white
//! pixels, the forehead's highlight among them, made transparent; laid on white the forehead read as
//! "overexposed … by the light or the flash").

/// Alpha at or under this is a see-through pixel (not shown); over [`OPAQUE_FROM`] an opaque one.
const HIDDEN_UP_TO: u8 = 15;
/// Alpha from which a pixel counts as opaque.
const OPAQUE_FROM: u8 = 240;
/// A photo whose shown pixels are partly transparent in more than this share is refused. A cut-out's soft
/// edge (10 px round a head filling a 420 × 480 photo) is about an eighth of it.
const MOST: f64 = 0.5;

/// The share (0–1) of the shown pixels (alpha over [`HIDDEN_UP_TO`]) of RGBA bytes that are partly transparent.
pub fn see_through_share(rgba: &[u8]) -> f64 {
    let (mut shown, mut partly) = (0usize, 0usize);
    for p in rgba.chunks_exact(4) {
        if p[3] > HIDDEN_UP_TO {
            shown += 1;
            partly += usize::from(p[3] < OPAQUE_FROM);
        }
    }
    if shown == 0 {
        // Nothing shown at all: wholly transparent, and so wholly see-through.
        return 1.0;
    }
    partly as f64 / shown as f64
}

/// Words refusing a photo whose shown pixels are partly transparent in `share` (0–1) of them, or `None` when
/// it is a photo (opaque, or a cut-out with a soft edge).
pub fn see_through_words(share: f64) -> Option<String> {
    (share > MOST).then(|| {
        format!(
            "this photo is partly see-through ({:.0} % of it is saved transparent, so it shows faded): the scalp \
             and the hair cannot be told apart on it; export the photo again without transparency, or use the \
             camera's original file",
            100.0 * share
        )
    })
}

/// A picture with see-through holes over more than this share of it, not joined to its edges, is refused: a
/// cut-out background reaches the picture's edges, and a soft mask leaves only specks inside.
const MOST_ENCLOSED: f64 = 0.01;

/// The see-through pixels (alpha at most [`HIDDEN_UP_TO`]) of `w` × `h` RGBA bytes that no path of
/// see-through pixels joins to the picture's edges: how many, and the middle of their bounding box.
pub fn enclosed_see_through(rgba: &[u8], w: usize, h: usize) -> (usize, (usize, usize)) {
    let hidden = |i: usize| rgba.get(i * 4 + 3).is_some_and(|&a| a <= HIDDEN_UP_TO);
    let mut reached = vec![false; w * h];
    let mut stack: Vec<usize> = Vec::new();
    let reach = |i: usize, reached: &mut Vec<bool>, stack: &mut Vec<usize>| {
        if !reached[i] && hidden(i) {
            reached[i] = true;
            stack.push(i);
        }
    };
    for x in 0..w {
        reach(x, &mut reached, &mut stack);
        reach((h - 1) * w + x, &mut reached, &mut stack);
    }
    for y in 0..h {
        reach(y * w, &mut reached, &mut stack);
        reach(y * w + w - 1, &mut reached, &mut stack);
    }
    while let Some(i) = stack.pop() {
        let (x, y) = (i % w, i / w);
        if x > 0 {
            reach(i - 1, &mut reached, &mut stack);
        }
        if x + 1 < w {
            reach(i + 1, &mut reached, &mut stack);
        }
        if y > 0 {
            reach(i - w, &mut reached, &mut stack);
        }
        if y + 1 < h {
            reach(i + w, &mut reached, &mut stack);
        }
    }
    let (mut n, mut lo, mut hi) = (0usize, (usize::MAX, usize::MAX), (0usize, 0usize));
    for (i, r) in reached.iter().enumerate() {
        if !r && hidden(i) {
            let (x, y) = (i % w, i / w);
            n += 1;
            lo = (lo.0.min(x), lo.1.min(y));
            hi = (hi.0.max(x), hi.1.max(y));
        }
    }
    (n, ((lo.0 + hi.0) / 2, (lo.1 + hi.1) / 2))
}

/// Words refusing a `w` × `h` picture see-through inside ([`enclosed_see_through`] of its RGBA bytes), or
/// `None`.
pub fn enclosed_words(rgba: &[u8], w: usize, h: usize) -> Option<String> {
    let (n, (x, y)) = enclosed_see_through(rgba, w, h);
    let share = n as f64 / (w * h).max(1) as f64;
    (share > MOST_ENCLOSED).then(|| {
        format!(
            "this PNG is see-through inside the picture ({:.0} % of it, around {x}, {y} px), not only around the \
             head: parts of the head or face were cut out with the background, and they would show as white (a \
             forehead read as burnt out by the flash); export the photo again without transparency, or use the \
             camera's original file",
            (100.0 * share).max(1.0)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgba(w: usize, h: usize, alpha: impl Fn(usize, usize) -> u8) -> Vec<u8> {
        (0..w * h)
            .flat_map(|i| [90, 70, 60, alpha(i % w, i / w)])
            .collect()
    }

    #[test]
    fn a_photo_saved_half_transparent_is_refused() {
        let half = rgba(100, 100, |_, _| 128);
        assert_eq!(see_through_share(&half), 1.0);
        let words = see_through_words(see_through_share(&half)).unwrap();
        assert!(
            words.contains("100 %") && words.contains("without transparency"),
            "{words}"
        );
        // Nothing shown at all is see-through too.
        assert!(see_through_words(see_through_share(&rgba(10, 10, |_, _| 0))).is_some());
    }

    #[test]
    fn opaque_photos_and_cut_outs_with_a_soft_edge_are_photos() {
        assert_eq!(see_through_share(&rgba(100, 100, |_, _| 255)), 0.0);
        // A disc of head, opaque, in a transparent background, its edge fading over 10 px.
        let cut_out = rgba(420, 480, |x, y| {
            let r = ((x as f64 - 210.0).powi(2) + (y as f64 - 240.0).powi(2)).sqrt();
            (255.0 * ((190.0 - r) / 10.0).clamp(0.0, 1.0)) as u8
        });
        let share = see_through_share(&cut_out);
        assert!(share > 0.05 && share < 0.2, "{share}");
        assert_eq!(see_through_words(share), None);
        assert_eq!(enclosed_see_through(&cut_out, 420, 480).0, 0);
        assert_eq!(enclosed_words(&cut_out, 420, 480), None);
    }

    /// A hole in the head (a forehead made transparent with the background) is refused, saying where; the
    /// background reaching the edges alone is not, nor a speck inside.
    #[test]
    fn a_picture_see_through_inside_the_head_is_refused() {
        let head = |x: usize, y: usize| {
            ((x as f64 - 210.0).powi(2) + (y as f64 - 240.0).powi(2)).sqrt() < 190.0
        };
        let forehead = |x: usize, y: usize| (180..240).contains(&x) && (100..160).contains(&y);
        let holed = rgba(420, 480, |x, y| {
            if head(x, y) && !forehead(x, y) {
                255
            } else {
                0
            }
        });
        let (n, at) = enclosed_see_through(&holed, 420, 480);
        assert_eq!(n, 60 * 60);
        assert_eq!(at, (209, 129));
        let words = enclosed_words(&holed, 420, 480).unwrap();
        assert!(
            words.contains("around 209, 129 px") && words.contains("2 %"),
            "{words}"
        );
        let speck = |x: usize, y: usize| (200..210).contains(&x) && (100..110).contains(&y);
        let specked = rgba(
            420,
            480,
            |x, y| if head(x, y) && !speck(x, y) { 255 } else { 0 },
        );
        assert_eq!(enclosed_see_through(&specked, 420, 480).0, 100);
        assert_eq!(enclosed_words(&specked, 420, 480), None);
    }
}
