//! A photo that is see-through as a whole: a PNG saved with its transparency at half (outside test s42: alpha
//! 128 everywhere). Laid on white it shows faded, its hair a pale grey that the scalp map cannot tell from
//! skin, and the preview then blamed the client's hair colour. A cut-out background (transparent around an
//! opaque head, a soft edge between them) is a photo and is laid on white as it is; a picture most of whose
//! visible pixels are partly transparent is not, and is refused in words.

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
    }
}
