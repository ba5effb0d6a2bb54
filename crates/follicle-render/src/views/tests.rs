//! Every view of the mannequin, photographed with a known camera, registers back to the one head: the
//! residual is near zero, the camera is recovered, a mark moved 15 mm is named, and the plan's
//! impressions land where the mannequin render shows its scalp.

use super::*;
use crate::camera::Camera;
use crate::mannequin::Mannequin;
use crate::register::MAX_RESIDUAL_MM;
use crate::Scene;

fn plan() -> &'static Plan {
    use std::sync::OnceLock;
    static P: OnceLock<Plan> = OnceLock::new();
    P.get_or_init(|| follicle_core::plan(&follicle_core::demo_design()).unwrap())
}

const SIZE: usize = 480;

/// The true camera of a synthetic photo of `view`, turned and tilted from the view's direction, at
/// `distance_mm` from the view's target.
fn true_camera(view: PhotoView, yaw: f64, pitch: f64, distance_mm: f64) -> Camera {
    let f = view.camera(plan(), yaw, pitch);
    let target = f.target();
    Camera::look_at(
        target + f.back() * distance_mm,
        target,
        view.base().1,
        130.0 * distance_mm / 1000.0,
        SIZE,
        SIZE,
    )
}

/// The view's landmarks as a camera sees them.
fn marks_seen(view: PhotoView, cam: &Camera) -> Marks {
    let pts = points(plan());
    Marks {
        points: view
            .landmarks()
            .iter()
            .map(|name| {
                let p = pts.iter().find(|(n, _)| n == name).unwrap().1;
                let (x, y, _) = cam.project(p).unwrap();
                (name.to_string(), [x, y])
            })
            .collect(),
        skin: None,
        hair: None,
    }
}

/// Poses tried per view: straight on, turned and tilted.
fn poses(_view: PhotoView) -> Vec<(f64, f64)> {
    vec![(0.0, 0.0), (0.14, -0.09), (-0.2, 0.17)]
}

#[test]
fn every_view_of_the_mannequin_registers_back_to_its_camera() {
    let man = Mannequin::new(plan());
    let look = Scene::new(7).appearance;
    for view in PhotoView::ALL {
        for (yaw, pitch) in poses(view) {
            let (_, marks, cam) = mannequin_photo(plan(), view, yaw, pitch, SIZE);
            assert_eq!(
                marks,
                marks_seen(view, &true_camera(view, yaw, pitch, 1000.0))
            );
            let r = register_view(plan(), view, &marks, MAX_RESIDUAL_MM)
                .unwrap_or_else(|e| panic!("{view:?} ({yaw}, {pitch}): {e}"));
            let worst = r.residuals.iter().map(|x| x.1).fold(0.0, f64::max);
            eprintln!(
                "{:>5} turn {:+.2} tilt {:+.2}: rms {:.3} mm, worst {:.3} mm, {:.2} px/mm, found turn {:+.3} tilt {:+.3}",
                view.name(), yaw, pitch, r.rms_mm, worst, r.px_per_mm, r.frontal.yaw_rad, r.frontal.pitch_rad
            );
            assert_eq!(r.view, view);
            assert!(worst < 0.1, "{view:?}: residuals {:?}", r.residuals);
            assert!(r.culprit.is_none(), "{view:?}: {:?}", r.culprit);
            // The camera: its direction within 0.3° and its scale within 0.5 %.
            let angle = r.frontal.back().dot(cam.fwd * -1.0).clamp(-1.0, 1.0).acos();
            assert!(angle < 0.3f64.to_radians(), "{view:?}: {angle} rad off");
            let scale = cam.focal / 1000.0;
            assert!(
                (r.px_per_mm / scale - 1.0).abs() < 0.005,
                "{view:?}: {} vs {scale} px/mm",
                r.px_per_mm
            );
            // The plan's impressions facing the camera land where the camera puts them, and where the
            // mannequin render shows the head at their depth.
            let g = man.gbuffer(&cam, &look);
            let (mut n, mut on_head) = (0, 0);
            for imp in plan().impressions.iter().step_by(31) {
                let to_eye = (cam.eye - imp.p).normalized();
                if plan().head.normal(imp.p).dot(to_eye) < 0.3 {
                    continue;
                }
                let (tx, ty, tz) = cam.project(imp.p).unwrap();
                let (x, y, _) = r.project(imp.p).unwrap();
                assert!(
                    (x - tx).hypot(y - ty) < 0.5,
                    "{view:?}: ({x:.1}, {y:.1}) vs ({tx:.1}, {ty:.1})"
                );
                if !(0.0..SIZE as f64).contains(&x) || !(0.0..SIZE as f64).contains(&y) {
                    continue;
                }
                n += 1;
                let d = g.depth[y as usize * SIZE + x as usize] as f64;
                if (d - tz).abs() < 3.0 {
                    on_head += 1;
                }
            }
            assert!(n > 20, "{view:?}: {n} impressions in view");
            assert!(
                on_head as f64 >= 0.95 * n as f64,
                "{view:?}: {on_head} of {n} on the rendered head"
            );
        }
    }
}

#[test]
fn a_camera_closer_than_the_model_still_fits_within_a_mm() {
    // A photo from 60 cm: more perspective than the 1 m reference camera; the pose absorbs most of it.
    for view in PhotoView::ALL {
        let cam = true_camera(view, 0.1, 0.05, 600.0);
        let r = register_view(plan(), view, &marks_seen(view, &cam), MAX_RESIDUAL_MM)
            .unwrap_or_else(|e| panic!("{view:?}: {e}"));
        eprintln!("{:>5} at 60 cm: rms {:.2} mm", view.name(), r.rms_mm);
        assert!(r.rms_mm < 1.5, "{view:?}: {}", r.rms_mm);
    }
}

/// The direction (radians on the photo) straight out across the outline at `end`, an end of the head's
/// outline on `view`, as camera `cam` sees it.
fn across_outline(view: PhotoView, end: &str, cam: &Camera) -> f64 {
    let n = mark_fit::outline_end(view, end).unwrap();
    let p = points(plan())
        .into_iter()
        .find(|(q, _)| *q == end)
        .unwrap()
        .1;
    let (x0, y0, _) = cam.project(p).unwrap();
    let (x1, y1, _) = cam.project(p + n * 5.0).unwrap();
    (y1 - y0).atan2(x1 - x0)
}

#[test]
fn a_mark_moved_15_mm_is_named_as_the_culprit() {
    for view in PhotoView::ALL {
        let (yaw, pitch) = *poses(view).last().unwrap();
        let cam = true_camera(view, yaw, pitch, 1000.0);
        let clean = marks_seen(view, &cam);
        let scale = cam.focal / 1000.0;
        for k in 0..clean.points.len() {
            let mut m = clean.clone();
            let name = m.points[k].0.clone();
            // An end of the outline counts only across the outline: moved straight across it.
            let a = match mark_fit::outline_end(view, &name) {
                Some(_) => across_outline(view, &name, &cam),
                None => 0.7 + k as f64 * 1.3,
            };
            m.points[k].1[0] += 15.0 * scale * a.cos();
            m.points[k].1[1] += 15.0 * scale * a.sin();
            let culprit = match register_view(plan(), view, &m, MAX_RESIDUAL_MM) {
                Ok(r) => r.culprit.map(|c| {
                    eprintln!(
                        "{:>5} {name:>22}: passes at rms {:.1} mm; {}",
                        view.name(),
                        r.rms_mm,
                        c.sentence()
                    );
                    (c.name, c.off_mm, c.rms_without_mm)
                }),
                Err(RegisterError::Residual {
                    culprit, rms_mm, ..
                }) => {
                    eprintln!(
                        "{:>5} {name:>22}: refused at rms {rms_mm:.1} mm; culprit {culprit:?}",
                        view.name()
                    );
                    culprit.map(|c| (c.name, c.off_mm, c.rms_without_mm))
                }
                Err(e) => panic!("{view:?} {name}: {e}"),
            };
            let (who, off, rest) =
                culprit.unwrap_or_else(|| panic!("{view:?}: {name} moved 15 mm is not named"));
            assert_eq!(who, name, "{view:?}");
            assert!((12.0..18.0).contains(&off), "{view:?} {name}: {off} mm off");
            assert!(
                rest < 0.1,
                "{view:?} {name}: the others fit within {rest} mm"
            );
        }
    }
}

#[test]
fn too_few_collinear_foreign_or_turned_away_marks_are_refused_in_words() {
    let cam = true_camera(PhotoView::Left, 0.0, 0.0, 1000.0);
    let all = marks_seen(PhotoView::Left, &cam);
    let mut two = all.clone();
    two.points.truncate(2);
    let e = register_view(plan(), PhotoView::Left, &two, MAX_RESIDUAL_MM).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("a left photo needs at least 3 marks of: glabella, lateral_canthus_left"),
        "{e}"
    );
    // A right-side landmark on a left photo.
    let mut foreign = all.clone();
    foreign.points[1].0 = "lateral_canthus_right".into();
    let e = register_view(plan(), PhotoView::Left, &foreign, MAX_RESIDUAL_MM)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("landmarks.lateral_canthus_right") && e.contains("a left photo uses"),
        "{e}"
    );
    // Three marks on one line.
    let mut line = all.clone();
    line.points.truncate(3);
    for (k, p) in line.points.iter_mut().enumerate() {
        p.1 = [100.0 + 60.0 * k as f64, 200.0 + 30.0 * k as f64];
    }
    let e = register_view(plan(), PhotoView::Left, &line, MAX_RESIDUAL_MM)
        .unwrap_err()
        .to_string();
    assert!(e.contains("on one line"), "{e}");
    // A left profile registered as a right one: its marks mirrored fit no right-side camera.
    let right_cam = true_camera(PhotoView::Right, 0.0, 0.0, 1000.0);
    let mut mirrored = marks_seen(PhotoView::Right, &right_cam);
    for p in &mut mirrored.points {
        p.1[0] = SIZE as f64 - p.1[0];
    }
    assert!(register_view(plan(), PhotoView::Right, &mirrored, MAX_RESIDUAL_MM).is_err());
    // Names and words round-trip.
    for v in PhotoView::ALL {
        assert_eq!(PhotoView::parse(v.name()), Some(v));
        for name in v.landmarks() {
            assert!(points(plan()).iter().any(|(n, _)| n == name), "{name}");
            assert!(MARK_NAMES.iter().any(|m| m.name == *name), "{name}");
        }
    }
    assert_eq!(PhotoView::parse("side"), None);
}

#[test]
fn the_tragion_and_the_back_of_the_skull_are_where_the_measurements_put_them() {
    let h = &plan().head;
    let pts = points(plan());
    let get = |n: &str| pts.iter().find(|(m, _)| *m == n).unwrap().1;
    let (l, r, o) = (
        get("tragion_left"),
        get("tragion_right"),
        get("opisthocranion"),
    );
    // Tragion level is the head frame's zero height; the vertex lies `height_mm` above it.
    assert!(l.z.abs() < 1e-9 && r.z.abs() < 1e-9);
    assert!(l.x < 0.0 && r.x > 0.0 && (l.x + r.x).abs() < 1e-9);
    assert!((h.vertex().z - l.z - h.measurements.height_mm).abs() < 1e-6);
    // The head's length runs from the glabella to the opisthocranion.
    assert!((o.dist(plan().landmarks.glabella) - h.measurements.length_mm).abs() < 1e-6);
}

#[test]
fn a_front_photo_takes_its_face_marks_and_the_hairline_points_and_refuses_what_it_cannot_see() {
    for name in PhotoView::Front
        .landmarks()
        .iter()
        .chain(FRONT_DESIGN.iter())
    {
        assert!(PhotoView::Front.accepts(name), "{name}");
    }
    for name in [
        "nape",
        "opisthocranion",
        "crown_whorl",
        "tragion_left",
        "tragion_right",
    ] {
        assert!(!PhotoView::Front.accepts(name), "{name}");
    }
    // Every name a photo may carry is seen on some view.
    for m in MARK_NAMES {
        assert!(
            PhotoView::ALL.iter().any(|v| v.accepts(m.name)),
            "{}",
            m.name
        );
    }
}

#[test]
fn a_side_photo_s_top_of_the_head_and_back_of_the_skull_slide_along_the_outline() {
    // Outside test s38: the top of the head marked 35 px (about 15 mm) along the outline from the model's
    // vertex, where the hint asks for it, was called 18 mm off. Along the outline it costs nothing.
    for view in [PhotoView::Left, PhotoView::Right] {
        let cam = true_camera(view, 0.1, 0.15, 1000.0);
        let clean = marks_seen(view, &cam);
        let scale = cam.focal / 1000.0;
        for end in ["vertex", "opisthocranion"] {
            let a = across_outline(view, end, &cam) + std::f64::consts::FRAC_PI_2;
            for sign in [-1.0, 1.0] {
                let mut m = clean.clone();
                let k = m.points.iter().position(|(q, _)| q == end).unwrap();
                m.points[k].1[0] += sign * 15.0 * scale * a.cos();
                m.points[k].1[1] += sign * 15.0 * scale * a.sin();
                let r = register_view(plan(), view, &m, MAX_RESIDUAL_MM)
                    .unwrap_or_else(|e| panic!("{view:?} {end}: {e}"));
                assert!(r.rms_mm < 0.3, "{view:?} {end} {sign}: {}", r.rms_mm);
                assert!(r.culprit.is_none(), "{view:?} {end}: {:?}", r.culprit);
                assert!(
                    (r.frontal.yaw_rad - 0.1).to_degrees().abs() < 2.0
                        && (r.frontal.pitch_rad - 0.15).to_degrees().abs() < 2.0,
                    "{view:?} {end}: turned {} tilted {}",
                    r.frontal.yaw_rad.to_degrees(),
                    r.frontal.pitch_rad.to_degrees()
                );
            }
        }
    }
}
