//! Grey or white retained hair holds little melanin: clipped short it leaves the skin's own colour, so
//! clipped sides that still read darker than the treated top on a photo are in a darker light, not darker
//! hair (outside test s44: silver hair razor-shaved read 35 against the top's 56, and the preview advised
//! "a denser or darker top"). The tone warning says so, with the white-hair caution, and never advises a
//! darker top for it.

mod real_photo;

use follicle_render::color::{lin_from_srgb8, srgb8_from_lin};
use follicle_render::hair_caution::{white_or_grey, WHITE_WORDS};
use real_photo::{photo_bytes, preview_of, recoloured};

#[test]
fn grey_hair_clipped_is_never_told_to_get_a_darker_top() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    // His dark side hair recoloured silver at its own texture (sRGB 140 + 0.6 × its grey level), as the
    // tester did: the dark pixels off the wall, on the sides and above the brows.
    let silver = recoloured(&bytes, |c, wall, (x, y)| {
        let l = (c[0] + c[1] + c[2]) / 3.0;
        if !wall && l < 0.08 && y < 300 && (y < 150 || !(125..=295).contains(&x)) {
            let v = srgb8_from_lin([l as f32; 3])[0] as f64;
            let g = (140.0 + 0.6 * v).round() as u8;
            lin_from_srgb8([g, g, g]).map(f64::from)
        } else {
            c
        }
    });
    let (pv, _, _, _) = preview_of(&silver, Some(0.0));
    let hair = pv.hair.expect("the retained hair is found");
    assert!(white_or_grey(hair), "hair read as {hair:?}");
    let t = pv.tone.as_ref().expect("tones read");
    let w = pv.tone_warning();
    eprintln!(
        "sides razor-shaved {:.1}, treated top {:.1}; warning {w:?}",
        t.sides_l(0.0),
        t.top_after
    );
    if let Some(w) = &w {
        assert!(!w.contains("darker top"), "{w}");
    }
    if t.sides_l(0.0) < t.top_after && !t.matches(0.0) {
        let w = w.expect("sides that do not match are said");
        assert!(
            w.contains("the skin's own colour") && w.contains(WHITE_WORDS),
            "{w}"
        );
    }
}
