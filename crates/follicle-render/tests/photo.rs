//! The photo path on a committed test photo (the mannequin photographed from the front, stored rotated
//! with EXIF orientation 6): decode, register from its landmarks file, draw the plan, check the result.

use follicle_render::optics::State;
use follicle_render::photo::{decode, draw_on_photo, PhotoLimits};
use follicle_render::register::{parse_marks, register, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM};
use follicle_render::Catalogue;

#[test]
fn rotated_photo_registers_and_gets_impressions_on_the_scalp_only() {
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let photo = decode(include_bytes!("data/mannequin-front.jpg"), PhotoLimits::default()).unwrap();
    assert_eq!((photo.w, photo.h, photo.exif_orientation), (480, 640, 6), "portrait after rotation");
    let marks = parse_marks(include_str!("data/mannequin-front.toml"), &plan).unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    assert!(reg.rms_mm < 0.5 && !reg.exact, "landmarks marked to the pixel fit within half a mm: {}", reg.rms_mm);
    let skin = photo.mean_colour(marks.skin.unwrap()).unwrap();
    let mut after = photo.clone();
    let n = draw_on_photo(&mut after, &plan, &Catalogue::builtin(), &reg, skin, State::Healed, plan.sessions.len());
    assert!(n > 1000, "{n} impressions drawn");
    // Mean brightness: darker above the hairline (scalp), unchanged on the face below the glabella.
    let mean = |img: &follicle_render::photo::Photo, x0: usize, y0: usize, x1: usize, y1: usize| {
        let mut s = 0u64;
        for y in y0..y1 {
            for x in x0..x1 {
                s += img.rgb[(y * img.w + x) * 3..(y * img.w + x) * 3 + 3].iter().map(|&v| v as u64).sum::<u64>();
            }
        }
        s as f64 / ((x1 - x0) * (y1 - y0) * 3) as f64
    };
    let (gx, gy, _) = reg.project(plan.landmarks.glabella).unwrap();
    let (mx, my, _) = reg.project(plan.landmarks.mid_frontal).unwrap();
    let (sx, sy) = (mx as usize, (my - 15.0) as usize); // about 9 mm behind the hairline centre
    let (a, b) = (mean(&after, sx - 10, sy - 5, sx + 10, sy + 5), mean(&photo, sx - 10, sy - 5, sx + 10, sy + 5));
    assert!(a < b - 1.0, "scalp {a} vs {b}");
    let (fx, fy) = (gx as usize, (gy + 60.0) as usize);
    assert_eq!(mean(&after, fx - 10, fy - 5, fx + 10, fy + 5), mean(&photo, fx - 10, fy - 5, fx + 10, fy + 5));
}
