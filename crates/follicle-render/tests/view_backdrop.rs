//! A top or back photo marked a few millimetres off fits the head tilted, and the registered head's
//! outline, which is the scalp on those views, reaches past the head onto the wall (outside test s38: the
//! ear tops marked at the ear's outer edge, not where it joins the head, fitted the mannequin's top view
//! tilted 25° and its back view 27°, and a ring of impressions was drawn on the wall around the head:
//! 3,543 and 4,509 wall pixels changed, and "could not be checked" was the only word). The wall's own
//! colours, read from the photo's borders, are not scalp: no impression lands on it, and the marks are said
//! to be off.

use follicle_render::client::{photo_preview, PhotoOptions};
use follicle_render::optics::State;
use follicle_render::photo::Photo;
use follicle_render::register::MAX_RESIDUAL_MM;
use follicle_render::views::{mannequin_photo, register_photo, PhotoView};
use follicle_render::Catalogue;

/// Wall pixels of `before` (the mannequin's grey backdrop: red and blue within 15 of each other) that the
/// after picture changes by more than 30 (sum over the sRGB channels).
fn wall_changed(before: &[u8], after: &[u8]) -> usize {
    before
        .chunks_exact(3)
        .zip(after.chunks_exact(3))
        .filter(|(b, a)| {
            let grey = (i32::from(b[0]) - i32::from(b[2])).abs() < 15;
            let d: i32 = (0..3)
                .map(|k| (i32::from(a[k]) - i32::from(b[k])).abs())
                .sum();
            grey && d > 30
        })
        .count()
}

/// The finished plan, healed, seen from 1 m.
fn options(plan: &follicle_core::Plan) -> PhotoOptions {
    PhotoOptions {
        state: State::Healed,
        last: plan.sessions.len(),
        guard_mm: None,
        skin: None,
        hair: None,
        distance_mm: 1000.0,
    }
}

#[test]
fn marks_a_little_off_on_a_top_or_back_photo_draw_nothing_on_the_wall() {
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    for view in [PhotoView::Top, PhotoView::Back] {
        let (img, mut marks, _) = mannequin_photo(&plan, view, 0.0, 0.0, 600);
        let photo = Photo {
            w: img.w,
            h: img.h,
            rgb: img.to_srgb8(),
            exif_orientation: 1,
        };
        // The ear tops 13 px (about 6 mm) out, at the ears' outer edges.
        for (name, p) in &mut marks.points {
            match name.as_str() {
                "ear_top_right" => p[0] += 13.0 * if p[0] > 300.0 { 1.0 } else { -1.0 },
                "ear_top_left" => p[0] += 13.0 * if p[0] > 300.0 { 1.0 } else { -1.0 },
                _ => {}
            }
        }
        let reg = register_photo(&plan, view, &marks, &photo, MAX_RESIDUAL_MM)
            .unwrap_or_else(|e| panic!("{view:?}: {e}"));
        let p = photo_preview(&photo, &plan, &Catalogue::builtin(), &reg, &options(&plan))
            .unwrap_or_else(|e| panic!("{view:?}: {e}"));
        let changed = wall_changed(&p.full.before.to_srgb8(), &p.full.after.to_srgb8());
        eprintln!("{view:?}: {changed} wall pixels changed, {} drawn", p.drawn);
        assert!(p.drawn > 5000, "{view:?}: {} drawn", p.drawn);
        assert!(changed < 100, "{view:?}: {changed} wall pixels changed");
        // And the marks are said to be off: the outline the fit places reaches onto the backdrop.
        let said = p
            .outline_warning()
            .unwrap_or_else(|| panic!("{view:?}: no word"));
        assert!(
            said.contains("lies on the backdrop") && said.contains("where it joins the head"),
            "{said}"
        );
        // The true marks: no word.
        let (_, true_marks, _) = mannequin_photo(&plan, view, 0.0, 0.0, 600);
        let reg = register_photo(&plan, view, &true_marks, &photo, MAX_RESIDUAL_MM).unwrap();
        let p = photo_preview(&photo, &plan, &Catalogue::builtin(), &reg, &options(&plan)).unwrap();
        assert_eq!(p.outline_warning(), None, "{view:?}");
    }
}

/// The head's outline holds the tilt the marks cannot (outside test s38: on the mannequin's own top view,
/// `follicle render --view top --session 0 --size 600 --distance 100`, the ear tops marked at the ears'
/// outer edges and the glabella a little in from the forehead's edge fitted the head tilted 25° by the
/// marks alone, and pigment covered the forehead). With the photo's backdrop as a second witness the same
/// marks fit it upright and their own residual says they are off; the true marks keep their exact fit.
#[test]
fn the_outline_holds_a_top_photo_s_tilt_when_the_ear_tops_are_marked_wide() {
    use follicle_render::preview::{camera_for, render, Scene};
    use follicle_render::register::Marks;
    use follicle_render::views::{points, register_view};
    use follicle_render::View;
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let scene = Scene {
        view: View::Top,
        session: Some(0),
        distance_mm: 1000.0,
        size: 600,
        ..Scene::new(plan.design.seed)
    };
    let img = render(&plan, &Catalogue::builtin(), &scene);
    let photo = Photo {
        w: img.w,
        h: img.h,
        rgb: img.to_srgb8(),
        exif_orientation: 1,
    };
    let cam = camera_for(&plan, View::Top, 1000.0, 600);
    let truth = Marks {
        points: points(&plan)
            .into_iter()
            .filter(|(n, _)| PhotoView::Top.landmarks().contains(n) && *n != "crown_whorl")
            .map(|(n, p)| {
                let (x, y, _) = cam.project(p).unwrap();
                (n.to_string(), [x, y])
            })
            .collect(),
        skin: None,
        hair: None,
    };
    // As the tester marked them: the ear tops 11 px (4.5 mm) out at the ears' outer edges, the glabella
    // 7 px in from the forehead's edge.
    let mut marks = truth.clone();
    for (name, p) in &mut marks.points {
        if name.starts_with("ear_top") {
            p[0] += 11.0 * if p[0] > 300.0 { 1.0 } else { -1.0 };
        }
        if name == "glabella" {
            p[1] += 7.0;
        }
    }
    let deg = |r: f64| r.to_degrees().abs();
    let view = PhotoView::Top;
    let alone = register_view(&plan, view, &marks, MAX_RESIDUAL_MM).unwrap();
    let reg = register_photo(&plan, view, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
    eprintln!(
        "marks alone tilted {:.1}° ({:.2} mm), with the outline {:.1}° turned {:.1}° ({:.2} mm)",
        alone.frontal.pitch_rad.to_degrees(),
        alone.rms_mm,
        reg.frontal.pitch_rad.to_degrees(),
        reg.frontal.yaw_rad.to_degrees(),
        reg.rms_mm
    );
    assert!(
        deg(alone.frontal.pitch_rad) > 12.0,
        "the marks alone no longer tilt the head: the case tests nothing"
    );
    assert!(
        deg(reg.frontal.pitch_rad) < 5.0 && deg(reg.frontal.yaw_rad) < 5.0,
        "tilted {:.1}°, turned {:.1}°",
        reg.frontal.pitch_rad.to_degrees(),
        reg.frontal.yaw_rad.to_degrees()
    );
    assert!(reg.rms_mm > alone.rms_mm, "the marks' residual shows");
    // The true marks: the marks' own exact fit, upright.
    let exact = register_photo(&plan, view, &truth, &photo, MAX_RESIDUAL_MM).unwrap();
    assert!(
        deg(exact.frontal.pitch_rad) < 0.5 && exact.rms_mm < 0.2,
        "{:.2}° {:.2} mm",
        exact.frontal.pitch_rad.to_degrees(),
        exact.rms_mm
    );
}

/// The outline never makes a fair fit worse: on the mannequin's top, back and left views, upright and tilted
/// 14°, every mark moved up to ±6 px (2.6 mm) at random, the pose with the outline is on average within 1°
/// of the marks' own (docs/photo-scalp.md: mean 1.0–2.0° against 1.2–1.6°).
#[test]
fn the_outline_keeps_a_fair_fit_of_marks_a_little_off() {
    use follicle_render::views::register_view;
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    for view in [PhotoView::Top, PhotoView::Back, PhotoView::Left] {
        for pitch in [0.0, 0.25] {
            let (img, truth, _) = mannequin_photo(&plan, view, 0.0, pitch, 600);
            let photo = Photo {
                w: img.w,
                h: img.h,
                rgb: img.to_srgb8(),
                exif_orientation: 1,
            };
            let err = |r: &follicle_render::register::Registration| {
                r.frontal
                    .yaw_rad
                    .hypot(r.frontal.pitch_rad - pitch)
                    .to_degrees()
            };
            let (mut alone, mut with, mut n) = (0.0, 0.0, 0.0);
            for seed in 0..6u64 {
                let mut m = truth.clone();
                for (i, (_, p)) in m.points.iter_mut().enumerate() {
                    let h = follicle_core::noise::mix64(seed * 31 + i as u64);
                    p[0] += ((h & 0xFF) as f64 / 255.0 - 0.5) * 12.0;
                    p[1] += (((h >> 8) & 0xFF) as f64 / 255.0 - 0.5) * 12.0;
                }
                let (Ok(a), Ok(b)) = (
                    register_view(&plan, view, &m, MAX_RESIDUAL_MM),
                    register_photo(&plan, view, &m, &photo, MAX_RESIDUAL_MM),
                ) else {
                    continue;
                };
                alone += err(&a);
                with += err(&b);
                n += 1.0;
            }
            assert!(n >= 4.0, "{view:?} {pitch}: {n} fits");
            let (alone, with) = (alone / n, with / n);
            eprintln!("{view:?} tilted {pitch}: alone {alone:.2}°, with the outline {with:.2}°");
            assert!(
                with < alone + 1.0,
                "{view:?} {pitch}: {with:.2}° vs {alone:.2}°"
            );
        }
    }
}
