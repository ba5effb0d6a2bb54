//! Tests of the clipped hair's shadow (`shaved.rs`).

use super::*;

#[test]
fn longer_stubble_keeps_more_of_the_hairs_shadow_and_a_razor_leaves_a_light_one() {
    let (g0, g05, g15, g3) = (
        retained_shadow(0.0),
        retained_shadow(0.5),
        retained_shadow(1.5),
        retained_shadow(3.0),
    );
    assert!(
        g0 < g05 && g05 < g15 && g15 < g3 && g3 <= 1.0,
        "{g0} {g05} {g15} {g3}"
    );
    // A razor leaves the shafts under the skin: dark hair (≈ 90 % darker than skin in a photo) then
    // reads 15–25 % darker than bare skin, the healed SMP calibration target of 18 % inside.
    assert!((0.15..0.25).contains(&(0.9 * g0)), "{g0}");
    // 0.5 mm (a clipper without a guard) keeps most of it: a dark grey-brown shadow.
    assert!((0.65..0.85).contains(&g05), "{g05}");
    assert!(retained_shadow(99.0) == retained_shadow(MAX_GUARD_MM));
}

/// A synthetic front photo (working pixels = photo pixels, 1 px/mm): a light wall, a head of radius 40 px
/// centred at (60, 70) whose upper half carries a band of retained hair from radius 32 to its outline, of
/// colour `hair`; the registered skull ends at radius 34, inside the hair. The background map has the
/// small bumps a real one has inside dark hair (higher toward the head there), which point a walk along
/// its own slope into the head.
fn band_scene(hair: Lin) -> (LinearImage, ScalpMap) {
    let (w, h) = (120usize, 120usize);
    let (wall, skin) = ([0.6f32, 0.6, 0.6], [0.45f32, 0.3, 0.2]);
    let mut img = LinearImage::new(w, h, wall);
    let n = w * h;
    let (mut scalp, mut hair_p, mut bare, mut bg, mut skull) = (
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
    );
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f32 + 0.5 - 60.0, y as f32 + 0.5 - 70.0);
            let r = dx.hypot(dy);
            let i = y * w + x;
            bg[i] = ((r - 39.5) / 1.5 + 0.5).clamp(0.0, 1.0);
            skull[i] = if r < 34.0 { 1.0 } else { 0.0 };
            if r >= 40.0 {
                continue;
            }
            let in_band = r >= 32.0 && dy < 0.0;
            img.px[i] = if in_band { hair } else { skin };
            if in_band {
                hair_p[i] = 1.0;
                // The bump: 0.1 at radius 33, falling to 0.02 at 39 (toward the wall).
                bg[i] = bg[i].max((0.1 - 0.0133 * (r - 33.0)).clamp(0.0, 0.1));
            } else {
                bare[i] = 1.0;
                scalp[i] = if dy < 0.0 { 1.0 } else { 0.0 };
            }
        }
    }
    let map = ScalpMap {
        w,
        h,
        step: 1,
        scalp,
        hair: hair_p,
        bare,
        background: bg,
        skull,
        normal: Vec::new(),
        skin,
        skin_highlight: 0.0,
        brightest: 0.8,
        hair_colour: Some(hair),
        seeds: [100, 100, 100],
        on_backdrop: 0.0,
        uneven_light: None,
        forehead_object: 0.0,
        top_object: 0.0,
        top_white: 0.0,
        top_hair: 0.0,
        wall: None,
    };
    (img, map)
}

/// Pixels of the band beyond the skull and within the cut's reach (radius 35.5–40, upper half, away from its
/// ends) in `img`: how many are
/// still darker than the wall by more than a tenth, of how many.
fn outline_left(img: &LinearImage) -> (usize, usize) {
    let (mut dark, mut all) = (0, 0);
    for y in 0..img.h {
        for x in 0..img.w {
            let (dx, dy) = (x as f32 + 0.5 - 60.0, y as f32 + 0.5 - 70.0);
            let r = dx.hypot(dy);
            if (35.5..40.0).contains(&r) && dy < -10.0 {
                all += 1;
                let p = img.get(x, y);
                if 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2] < 0.9 * 0.6 {
                    dark += 1;
                }
            }
        }
    }
    (dark, all)
}

/// Dark retained hair stands off the skull: clipped, its outer rim turns into the wall, all of it (session
/// 34: where the background map's bumps inside the hair turned the walk to the wall into the head, the
/// outermost 1–3 px stayed stubble outside a light line, a seam along the shaded side of a real photo).
#[test]
fn dark_hair_standing_off_the_skull_goes_to_the_wall_to_its_outline() {
    let (mut img, map) = band_scene([0.02, 0.017, 0.015]);
    let shaver = Shaver::new(&img, &map, None, 1.0).expect("retained hair");
    assert!(shaver.clipped_away(&map, 60.5, 31.5) > 0.9);
    shave(&mut img, &map, None, 0.0, 1.0, 7);
    let (dark, all) = outline_left(&img);
    assert!(
        all > 50 && dark * 20 <= all,
        "{dark} of {all} outline pixels still dark"
    );
}

/// Stubble on a shaved head (the skin's colour darkened, letting half its light through) stands no layer
/// off the skull: nothing of the head's outline goes with the clipping (session 34: a shaved head's whole top
/// outline was cut 1–2 px into the skin, with glassy streaks of the wall at its temples). Grey hair as
/// light is still a layer, and goes.
#[test]
fn a_shaved_head_keeps_its_outline_and_grey_hair_still_goes() {
    let stubble = [0.45 * 0.5, 0.3 * 0.5, 0.2 * 0.5];
    let (img, map) = band_scene(stubble);
    let shaver = Shaver::new(&img, &map, None, 1.0).expect("retained hair");
    let most = (0..120)
        .flat_map(|y| (0..120).map(move |x| (x, y)))
        .map(|(x, y)| shaver.clipped_away(&map, x as f64 + 0.5, y as f64 + 0.5))
        .fold(0.0f32, f32::max);
    assert!(most < 1e-3, "stubble's outline clipped away by {most}");
    let mut shaved = img.clone();
    shave(&mut shaved, &map, None, 0.0, 1.0, 7);
    let (dark, all) = outline_left(&shaved);
    assert!(
        dark * 10 >= all * 9,
        "only {dark} of {all} outline pixels still on the head"
    );

    let grey = [0.17, 0.17, 0.17];
    let (img, map) = band_scene(grey);
    let shaver = Shaver::new(&img, &map, None, 1.0).expect("retained hair");
    assert!(
        shaver.clipped_away(&map, 60.5, 31.5) > 0.9,
        "grey hair kept its volume"
    );
}
