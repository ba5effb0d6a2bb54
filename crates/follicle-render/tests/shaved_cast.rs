//! The retained hair under a coloured light (outside test p11: the reference photo lit by tungsten, linear RGB
//! × 1.0, 0.72, 0.38, turned his dark hair the warm colour of his skin in shadow; "retained hair on 0.0 %",
//! nothing was shaved and pigment was drawn over his fringe). The classes are read on the photo balanced by
//! its backdrop when the wall and the skin both say the light is coloured (`scalp::cast_balance`); a coloured
//! wall in white light is left as it is.

mod real_photo;

use follicle_render::color::{lin_from_srgb8, srgb8_from_lin};
use real_photo::{photo_bytes, preview_of, wall_of};

/// The photo with `f` applied to each pixel in linear light, as PNG bytes.
fn recoloured(bytes: &[u8], f: impl Fn([f64; 3], bool) -> [f64; 3]) -> Vec<u8> {
    let mut img = image::load_from_memory(bytes).unwrap().to_rgb8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let on_wall = wall_of(&img);
    for y in 0..h {
        for x in 0..w {
            let p = lin_from_srgb8(img.get_pixel(x as u32, y as u32).0);
            let q = f(p.map(f64::from), on_wall[y * w + x]);
            img.put_pixel(
                x as u32,
                y as u32,
                image::Rgb(srgb8_from_lin(q.map(|v| v.clamp(0.0, 1.0) as f32))),
            );
        }
    }
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn under_a_tungsten_light_the_retained_hair_is_still_found_and_shaved() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (white, _, _, _) = preview_of(&bytes, None);
    let tungsten = recoloured(&bytes, |c, _| {
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
    let peach = recoloured(&bytes, |c, wall| {
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
