//! The retained hair under a coloured light (outside test p11: the reference photo lit by tungsten, linear RGB
//! × 1.0, 0.72, 0.38, turned his dark hair the warm colour of his skin in shadow; "retained hair on 0.0 %",
//! nothing was shaved and pigment was drawn over his fringe). The classes are read on the photo balanced by
//! its backdrop when the wall and the skin both say the light is coloured (`scalp::cast_balance`); a coloured
//! wall in white light is left as it is.

mod real_photo;

use real_photo::{photo_bytes, preview_of, recoloured};

#[test]
fn under_a_tungsten_light_the_retained_hair_is_still_found_and_shaved() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (white, _, _, _) = preview_of(&bytes, None);
    let tungsten = recoloured(&bytes, |c, _, _| {
        [c[0] * 1.15, c[1] * 0.72 * 1.15, c[2] * 0.38 * 1.15]
    });
    let (warm, _, _, _) = preview_of(&tungsten, None);
    eprintln!(
        "shaved pixels: white light {}, tungsten {}; hair colour {:?} / {:?}",
        white.shaved_px, warm.shaved_px, white.map.hair_colour, warm.map.hair_colour
    );
    assert!(
        warm.map.hair_colour.is_some(),
        "no retained hair found under tungsten"
    );
    assert!(
        warm.shaved_px as f64 >= 0.8 * white.shaved_px as f64,
        "{} shaved under tungsten against {} in white light",
        warm.shaved_px,
        white.shaved_px
    );
    assert!(warm.unseen_hair_note().is_none());
}

#[test]
fn a_coloured_wall_in_white_light_is_not_taken_for_a_coloured_light() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (white, _, _, _) = preview_of(&bytes, None);
    // A peach wall (C* about 25) behind him, his skin and hair as taken.
    let peach = recoloured(&bytes, |c, wall, _| {
        if wall {
            [c[0] * 1.0, c[1] * 0.75, c[2] * 0.5]
        } else {
            c
        }
    });
    let (p, _, _, _) = preview_of(&peach, None);
    eprintln!(
        "shaved pixels: grey wall {}, peach wall {}",
        white.shaved_px, p.shaved_px
    );
    let (a, b) = (white.map.hair_colour.unwrap(), p.map.hair_colour.unwrap());
    assert!(
        (0..3).all(|k| (a[k] - b[k]).abs() < 0.01),
        "hair read {a:?} before a grey wall and {b:?} before a peach one"
    );
    assert!((white.shaved_px as f64 - p.shaved_px as f64).abs() <= 0.1 * white.shaved_px as f64);
}

/// A strong warm cast that burns out the forehead's red (outside test s41: sRGB × 1.12, 1, 0.72 read the skin
/// #ffc56c, red at 255 over the whole forehead): balanced by the wall the skin could not read as skin, the
/// balance was dropped and his dark-brown hair was taken for skin in shadow ("retained hair on 0.0 %").
#[test]
fn a_warm_cast_that_burns_out_the_forehead_still_shows_the_hair() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (white, _, _, _) = preview_of(&bytes, None);
    use follicle_render::color::{linear_to_srgb, srgb_to_linear};
    let warm = recoloured(&bytes, |c, _, _| {
        let k = [1.12, 1.0, 0.72];
        [0, 1, 2].map(|i| srgb_to_linear((linear_to_srgb(c[i]) * k[i]).min(1.0)))
    });
    let (p, _, _, _) = preview_of(&warm, None);
    eprintln!(
        "shaved pixels: white light {}, burnt warm cast {}; skin {:?}",
        white.shaved_px, p.shaved_px, p.map.skin
    );
    assert!(
        p.map.skin[0] > 0.95,
        "the forehead's red is burnt out: {:?}",
        p.map.skin
    );
    assert!(
        p.map.hair_colour.is_some(),
        "no retained hair found under the cast"
    );
    assert!(
        p.shaved_px as f64 >= 0.8 * white.shaved_px as f64,
        "{} shaved under the cast against {} in white light",
        p.shaved_px,
        white.shaved_px
    );
    assert!(p.unseen_hair_note().is_none());
}

/// Grey hair, lighter than dark hair and far greyer than the skin (outside test s41: the fringe recoloured
/// grey, L* 71–75 and C* 0, read "retained hair on 0.0 %", the middle picture said "no hair to clip" and pigment
/// was drawn over the long grey hair). The hair the real photo's own preview finds is recoloured grey with
/// its own light and shade kept; it is found and shaved as the dark hair was, and the bald top is not taken
/// for hair.
#[test]
fn grey_hair_is_found_and_shaved() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (dark, _, _, _) = preview_of(&bytes, None);
    let grey = recoloured(&bytes, |c, _, (x, y)| {
        let t = dark
            .map
            .hair_at(x as f64 + 0.5, y as f64 + 0.5)
            .clamp(0.0, 1.0) as f64;
        let luma = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        let g = (0.3 + 4.0 * luma).min(0.6);
        [0, 1, 2].map(|k| c[k] * (1.0 - t) + g * t)
    });
    let (p, _, _, _) = preview_of(&grey, None);
    eprintln!(
        "shaved pixels: dark hair {}, grey hair {}; hair colour {:?}; scalp seeds {:?}",
        dark.shaved_px, p.shaved_px, p.map.hair_colour, p.map.seeds
    );
    assert!(p.map.hair_colour.is_some(), "no grey hair found");
    assert!(p.unseen_hair_note().is_none());
    assert!(
        p.shaved_px as f64 >= 0.7 * dark.shaved_px as f64,
        "{} shaved of grey hair against {} of dark hair",
        p.shaved_px,
        dark.shaved_px
    );
    // The bald top (50–80 mm above the glabella on the midline) stays scalp.
    let (w, h) = (p.map.w, p.map.h);
    let bald: Vec<f32> = (0..w * h)
        .filter(|&i| dark.map.scalp[i] > 0.9)
        .map(|i| p.map.scalp[i])
        .collect();
    let kept = bald.iter().filter(|&&s| s > 0.5).count() as f64 / bald.len() as f64;
    assert!(
        kept > 0.95,
        "only {:.1} % of the bald scalp stays scalp with grey hair",
        100.0 * kept
    );
}
