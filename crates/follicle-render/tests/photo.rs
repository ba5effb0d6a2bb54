//! The photo path on a committed test photo (the mannequin photographed from the front, stored rotated
//! with EXIF orientation 6): decode, register from its landmarks file, draw the plan, check the result.

use follicle_render::optics::State;
use follicle_render::photo::{decode, draw_on_photo, PhotoLimits};
use follicle_render::register::{parse_marks, register, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM};
use follicle_render::Catalogue;

#[test]
fn rotated_photo_registers_and_gets_impressions_on_the_scalp_only() {
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let photo = decode(
        include_bytes!("data/mannequin-front.jpg"),
        PhotoLimits::default(),
    )
    .unwrap();
    assert_eq!(
        (photo.w, photo.h, photo.exif_orientation),
        (480, 640, 6),
        "portrait after rotation"
    );
    let marks = parse_marks(include_str!("data/mannequin-front.toml"), &plan).unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    assert!(
        reg.rms_mm < 0.5 && !reg.exact,
        "landmarks marked to the pixel fit within half a mm: {}",
        reg.rms_mm
    );
    let skin = photo.mean_colour(marks.skin.unwrap()).unwrap();
    let mut after = photo.clone();
    let n = draw_on_photo(
        &mut after,
        &plan,
        &Catalogue::builtin(),
        &reg,
        skin,
        State::Healed,
        plan.sessions.len(),
    );
    assert!(n > 1000, "{n} impressions drawn");
    // Mean brightness: darker above the hairline (scalp), unchanged on the face below the glabella.
    let mean = |img: &follicle_render::photo::Photo, x0: usize, y0: usize, x1: usize, y1: usize| {
        let mut s = 0u64;
        for y in y0..y1 {
            for x in x0..x1 {
                s += img.rgb[(y * img.w + x) * 3..(y * img.w + x) * 3 + 3]
                    .iter()
                    .map(|&v| v as u64)
                    .sum::<u64>();
            }
        }
        s as f64 / ((x1 - x0) * (y1 - y0) * 3) as f64
    };
    let (gx, gy, _) = reg.project(plan.landmarks.glabella).unwrap();
    let (mx, my, _) = reg.project(plan.landmarks.mid_frontal).unwrap();
    let (sx, sy) = (mx as usize, (my - 15.0) as usize); // about 9 mm behind the hairline centre
    let (a, b) = (
        mean(&after, sx - 10, sy - 5, sx + 10, sy + 5),
        mean(&photo, sx - 10, sy - 5, sx + 10, sy + 5),
    );
    assert!(a < b - 1.0, "scalp {a} vs {b}");
    let (fx, fy) = (gx as usize, (gy + 60.0) as usize);
    assert_eq!(
        mean(&after, fx - 10, fy - 5, fx + 10, fy + 5),
        mean(&photo, fx - 10, fy - 5, fx + 10, fy + 5)
    );
}

/// The real photo of ../shared/photos (a man with a receding hairline, head turned slightly) registers
/// from its hand-marked glabella and outer eye corners (the README of that folder): the face's real eye
/// corners, 85–100 mm apart, fit the plan's head without stretching it, at about the photo's real scale.
#[test]
fn real_photo_registers_from_its_hand_marked_landmarks() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "SKIPPED: {} is not here (the shared photos folder sits beside the repository)",
            path.display()
        );
        return;
    };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    assert_eq!((photo.w, photo.h), (420, 471));
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let marks = parse_marks(
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
        &plan,
    )
    .unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM)
        .unwrap_or_else(|e| panic!("the real photo does not register: {e}"));
    assert!(reg.rms_mm < 1.0, "residual {} mm", reg.rms_mm);
    // The photo's scale on the face: the README measures about 1.7 px/mm.
    assert!(
        (1.3..2.1).contains(&reg.px_per_mm),
        "{} px/mm",
        reg.px_per_mm
    );
    // A slight turn, as the photo shows, not a profile.
    assert!(
        reg.frontal.yaw_rad.abs() < 0.45 && reg.frontal.pitch_rad.abs() < 0.45,
        "pose {} / {}",
        reg.frontal.yaw_rad,
        reg.frontal.pitch_rad
    );
    for (name, xy) in &marks.points {
        let p = plan
            .landmarks
            .named()
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1;
        let (x, y, _) = reg.project(p).unwrap();
        assert!(
            (x - xy[0]).hypot(y - xy[1]) < 2.0,
            "{name} lands at ({x:.0}, {y:.0}), marked at {xy:?}"
        );
    }
}
