//! The retained hair under a coloured light (outside test p11: the reference photo lit by tungsten, linear RGB
//! × 1.0, 0.72, 0.38, turned his dark hair the warm colour of his skin in shadow; "retained hair on 0.0 %",
//! nothing was shaved and pigment was drawn over his fringe). The classes are read on the photo balanced by
//! its backdrop when the wall and the skin both say the light is coloured (`scalp::cast_balance`); a coloured
//! wall in white light is left as it is.

mod real_photo;

use real_photo::{photo_bytes, preview_of};

/// The photo with `f` applied to each pixel in linear light, as PNG bytes.
fn recoloured(bytes: &[u8], f: impl Fn([f64; 3], bool) -> [f64; 3]) -> Vec<u8> {
    let mut img = image::load_from_memory(bytes).unwrap().to_rgb8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    // The wall: connected to the left, right and top borders within RGB distance 28 of the top corners'.
    let corner: Vec<[u8; 3]> = (0..30)
        .flat_map(|y| (0..30).chain(w - 30..w).map(move |x| (x, y)))
        .map(|(x, y)| img.get_pixel(x as u32, y as u32).0)
        .collect();
    let wall: [f64; 3] = [0, 1, 2].map(|k| {
        let mut v: Vec<u8> = corner.iter().map(|c| c[k]).collect();
        v.sort_unstable();
        f64::from(v[v.len() / 2])
    });
    let near = |c: [u8; 3]| {
        (0..3)
            .map(|k| (f64::from(c[k]) - wall[k]).powi(2))
            .sum::<f64>()
            < 28.0 * 28.0
    };
    let mut on_wall = vec![false; w * h];
    let mut stack: Vec<(usize, usize)> = (0..h)
        .flat_map(|y| [(0, y), (w - 1, y)])
        .chain((0..w).map(|x| (x, 0)))
        .collect();
    while let Some((x, y)) = stack.pop() {
        let i = y * w + x;
        if on_wall[i] || !near(img.get_pixel(x as u32, y as u32).0) {
            continue;
        }
        on_wall[i] = true;
        stack.extend([
            (x.saturating_sub(1), y),
            ((x + 1).min(w - 1), y),
            (x, y.saturating_sub(1)),
            (x, (y + 1).min(h - 1)),
        ]);
    }
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let enc = |l: f64| {
        let l = l.clamp(0.0, 1.0);
        let s = if l <= 0.003_130_8 {
            12.92 * l
        } else {
            1.055 * l.powf(1.0 / 2.4) - 0.055
        };
        (s * 255.0).round() as u8
    };
    for y in 0..h {
        for x in 0..w {
            let p = img.get_pixel(x as u32, y as u32).0;
            let q = f([lin(p[0]), lin(p[1]), lin(p[2])], on_wall[y * w + x]);
            img.put_pixel(x as u32, y as u32, image::Rgb(q.map(enc)));
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
