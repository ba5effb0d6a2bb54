//! The shaved picture of a dark-skinned client keeps no dark rim round its top (outside test p11,
//! `darkskin6`: the reference photo's skin darkened to L* × 0.32, its hair left black). With skin and hair both
//! dark only the hair's dark core is unlike the skin, so the hair's soft edge against the wall was read as
//! skin: it stayed as it was while the hair inside it turned into wall, a dark rim round a wall-coloured
//! crescent over the crown and down his side (the tester's count: 81 columns from the top and 70 rows from
//! the sides with a dark rim, a wall-light gap and the head again, against 27 and 11 on the photo itself).

mod real_photo;

use follicle_render::color::{lab_from_lin, lin_from_lab, Lab};
use follicle_render::LinearImage;
use real_photo::{photo_bytes, preview_of, wall_of};

/// The real photo with its skin darkened as the tester did (`mkvar.py`): L* × 0.32, a* × 0.9 + 4,
/// b* × 0.7 + 3 (skin #5a351a) wherever it is not the wall (connected to the borders, grown by a pixel), his
/// dark shirt, the whites of his eyes or hair (dark and nearly grey, above his face), as JPEG bytes.
fn dark_skinned(bytes: &[u8]) -> Vec<u8> {
    let mut img = image::load_from_memory(bytes).unwrap().to_rgb8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let wall = wall_of(&img);
    let near_wall = |x: usize, y: usize| {
        (y.saturating_sub(1)..(y + 2).min(h))
            .any(|yy| (x.saturating_sub(1)..(x + 2).min(w)).any(|xx| wall[yy * w + xx]))
    };
    for y in 0..h {
        for x in 0..w {
            if near_wall(x, y) {
                continue;
            }
            let p = img.get_pixel(x as u32, y as u32).0;
            let lab = lab_from_lin(follicle_render::color::lin_from_srgb8(p));
            let chroma = lab.a.hypot(lab.b);
            let (fx, fy) = (x as f64, y as f64);
            let shirt = lab.b < -4.0 && lab.l < 45.0;
            let in_eye =
                |cx: f64, cy: f64| ((fx - cx) / 22.0).powi(2) + ((fy - cy) / 10.0).powi(2) < 1.0;
            let eye_white =
                (in_eye(165.0, 212.0) || in_eye(255.0, 223.0)) && lab.l > 55.0 && chroma < 18.0;
            let face = ((118..300).contains(&x) && y > 165) || y > 235;
            let hair = if face {
                0.0
            } else {
                (((58.0 - lab.l) / 28.0).clamp(0.0, 1.0)
                    * ((26.0 - chroma) / 10.0).clamp(0.0, 1.0)
                    * 1.2)
                    .min(1.0)
            };
            if shirt || eye_white {
                continue;
            }
            let skin = 1.0 - hair;
            let mixed = Lab {
                l: lab.l + (lab.l * 0.32 - lab.l) * skin,
                a: lab.a + (lab.a * 0.9 + 4.0 - lab.a) * skin,
                b: lab.b + (lab.b * 0.7 + 3.0 - lab.b) * skin,
            };
            let q = follicle_render::color::srgb8_from_lin(lin_from_lab(mixed));
            img.put_pixel(x as u32, y as u32, image::Rgb(q));
        }
    }
    // Saved as the tester saved it: a JPEG at quality 95.
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(&img)
        .unwrap();
    out
}

/// Whether lightnesses `ls`, in order, run dark (40 L* under the wall), back to the wall's light (within 6)
/// and into the head again (30 under): a rim standing apart from the head.
fn rim_apart(ls: impl Iterator<Item = f64>, wall: f64) -> bool {
    let mut state = 0;
    for l in ls {
        state = match state {
            0 if l < wall - 40.0 => 1,
            1 if l > wall - 6.0 => 2,
            2 if l < wall - 30.0 => 3,
            s => s,
        };
    }
    state == 3
}

/// Columns of `img` above row `rows` with a rim apart from the head from the top ([`rim_apart`]).
fn rim_columns(img: &LinearImage, wall: f64, rows: usize) -> usize {
    let l = |x: usize, y: usize| lab_from_lin(img.px[y * img.w + x]).l;
    (0..img.w)
        .filter(|&x| rim_apart((0..rows).map(|y| l(x, y)), wall))
        .count()
}

/// Half-rows of `img` above row `rows` with a rim apart from the head from the photo's left or right edge
/// inward ([`rim_apart`]).
fn rim_rows(img: &LinearImage, wall: f64, rows: usize) -> usize {
    let l = |x: usize, y: usize| lab_from_lin(img.px[y * img.w + x]).l;
    (0..rows)
        .map(|y| {
            usize::from(rim_apart((0..img.w / 2).map(|x| l(x, y)), wall))
                + usize::from(rim_apart((img.w / 2..img.w).rev().map(|x| l(x, y)), wall))
        })
        .sum()
}

#[test]
fn a_dark_skinned_head_keeps_no_dark_rim_round_its_shaved_top() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let variant = dark_skinned(&bytes);
    if let Some(dir) = std::env::var_os("FOLLICLE_TEST_DUMP") {
        std::fs::write(
            std::path::Path::new(&dir).join("dark-skinned.png"),
            &variant,
        )
        .unwrap();
    }
    let (pv, _, _, _) = preview_of(&variant, None);
    let before = &pv.full.before;
    let mut corner: Vec<f64> = (5..40)
        .flat_map(|y| (5..40).map(move |x| (x, y)))
        .map(|(x, y)| lab_from_lin(before.px[y * before.w + x]).l)
        .collect();
    corner.sort_by(f64::total_cmp);
    let wall = corner[corner.len() / 2];
    // Above his brows (the glabella's row is 195): the face below was left light.
    let rows = 160;
    let (taken, shaved) = (
        rim_columns(before, wall, rows),
        rim_columns(&pv.full.shaved, wall, rows),
    );
    let (taken_rows, shaved_rows) = (
        rim_rows(before, wall, rows),
        rim_rows(&pv.full.shaved, wall, rows),
    );
    eprintln!(
        "skin {:?}; with a rim apart from the head: columns photo {taken}, shaved {shaved}; half-rows photo {taken_rows}, shaved {shaved_rows}; {} pixels shaved",
        follicle_render::color::hex(follicle_render::color::srgb8_from_lin(pv.map.skin)),
        pv.shaved_px
    );
    assert!(pv.shaved_px > 3000, "{} shaved", pv.shaved_px);
    // Measured (s40): before the hair's grey edge went with the rim, 6 columns and 8 half-rows; now 1 and 2
    // (on the tester's own `darkskin6.jpg`, by its script: 81 columns and 70 rows, now 30 and 13, the photo
    // itself 27 and 11).
    assert!(
        shaved + shaved_rows <= taken + taken_rows + 5,
        "{shaved} columns and {shaved_rows} half-rows of the shaved picture have a dark rim apart from the head (the photo itself {taken} and {taken_rows})"
    );
}
