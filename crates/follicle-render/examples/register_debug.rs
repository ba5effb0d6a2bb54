//! Draws a front photo's registration for checking: the head outline candidates found on the photo (blue),
//! the ones the fit kept (green), the registered plan head's outline points (red), the marks (yellow) and
//! where the registration puts them (cyan): `cargo run --release -p follicle-render --example
//! register_debug PHOTO MARKS OUT.png`.

use follicle_core::Vec3;
use follicle_render::photo::{load, PhotoLimits};
use follicle_render::register::outline::{find_outline, FaceAxes};
use follicle_render::register::{parse_marks, MAX_RESIDUAL_MM};
use follicle_render::views::{points, register_photo, PhotoView};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let photo = load(std::path::Path::new(&a[1]), PhotoLimits::default()).unwrap();
    let marks = parse_marks(&std::fs::read_to_string(&a[2]).unwrap(), &plan).unwrap();
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
    let mut img = photo.to_linear();
    let mut dot = |x: f64, y: f64, c: [f32; 3], r: i64| {
        for j in -r..=r {
            for i in -r..=r {
                let (xi, yi) = (x.round() as i64 + i, y.round() as i64 + j);
                if xi >= 0 && yi >= 0 && (xi as usize) < img.w && (yi as usize) < img.h {
                    img.px[yi as usize * img.w + xi as usize] = c;
                }
            }
        }
    };
    // The registered head's outline: plan head points seen by the registration.
    for i in 0..180 {
        let az = i as f64 / 180.0 * std::f64::consts::TAU;
        for j in 0..40 {
            let el = (-25.0 + 115.0 * j as f64 / 40.0f64).to_radians();
            let d = Vec3::new(el.cos() * az.sin(), el.cos() * az.cos(), el.sin());
            if let Some((x, y, _)) = reg.project(plan.head.point_along(d)) {
                dot(x, y, [0.6, 0.0, 0.0], 0);
            }
        }
    }
    let g = reg.project(plan.landmarks.glabella).unwrap();
    let [ta, tb, ..] = match reg.transform {
        follicle_render::register::Transform::Similarity(s) => s,
        _ => [1.0, 0.0, 0.0, 0.0],
    };
    let s = ta.hypot(tb);
    let axes = FaceAxes {
        glabella: [g.0, g.1],
        across: [ta / s, tb / s],
        px_per_mm: reg.px_per_mm,
    };
    for l in find_outline(&photo, &axes) {
        for c in l.candidates {
            dot(c[0], c[1], [0.0, 0.0, 1.0], 1);
        }
    }
    if let Some(sil) = &reg.silhouette {
        for p in &sil.points {
            dot(p[0], p[1], [0.0, 1.0, 0.0], 1);
        }
    }
    let pts = points(&plan);
    for (name, xy) in &marks.points {
        dot(xy[0], xy[1], [1.0, 1.0, 0.0], 2);
        let p = pts.iter().find(|(n, _)| n == name).unwrap().1;
        if let Some((x, y, _)) = reg.project(p) {
            dot(x, y, [0.0, 1.0, 1.0], 1);
        }
    }
    std::fs::write(&a[3], follicle_render::png(&img).unwrap()).unwrap();
}
