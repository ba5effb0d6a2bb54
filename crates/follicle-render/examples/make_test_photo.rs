//! Makes the committed test photo: the demo mannequin photographed from the front at 1 m (before
//! treatment), stored rotated as a phone stores a portrait shot (EXIF orientation 6), plus its landmarks
//! file. `cargo run --release -p follicle-render --example make_test_photo -- crates/follicle-render/tests/data`

use follicle_render::camera::Camera;
use follicle_render::mannequin::Mannequin;
use follicle_render::photo::insert_exif_orientation;
use follicle_render::register::{Frontal, FRONTAL_DISTANCE_MM};
use follicle_render::Scene;
use std::fmt::Write;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let plan = follicle_core::plan(&follicle_core::demo_design()).expect("demo plan");
    let f = Frontal::new(&plan, FRONTAL_DISTANCE_MM);
    let g = plan.landmarks.glabella;
    let (w, h) = (480, 640);
    let cam = Camera::look_at(
        f.eye,
        follicle_core::Vec3::new(0.0, g.y, g.z + 20.0),
        follicle_core::Vec3::new(0.0, 0.0, 1.0),
        150.0,
        w,
        h,
    );
    let scene = Scene::new(7);
    let gb = Mannequin::new(&plan).gbuffer(&cam, &scene.appearance);
    let img = gb.combine(&gb.diffuse);
    let rgb = image::RgbImage::from_raw(w as u32, h as u32, img.to_srgb8()).expect("size");
    // Stored as the sensor saw it: rotated 90° counter-clockwise; orientation 6 turns it back for display.
    let stored = image::imageops::rotate270(&rgb);
    let mut jpg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 88)
        .encode_image(&stored)
        .expect("jpeg");
    std::fs::write(
        dir.join("mannequin-front.jpg"),
        insert_exif_orientation(&jpg, 6),
    )
    .expect("write photo");
    let mut toml = String::from("# Landmarks of mannequin-front.jpg (pixels as displayed, after EXIF rotation), marked to the nearest pixel.\n[landmarks]\n");
    for name in [
        "glabella",
        "mid_frontal",
        "frontotemporal_left",
        "frontotemporal_right",
        "lateral_canthus_left",
        "lateral_canthus_right",
    ] {
        let p = plan
            .landmarks
            .named()
            .into_iter()
            .find(|(n, _)| *n == name)
            .expect("landmark")
            .1;
        let (x, y, _) = cam.project(p).expect("in view");
        writeln!(toml, "{name} = [{:.0}, {:.0}]", x.round(), y.round()).unwrap();
    }
    let (x, y, _) = cam
        .project(plan.head.project(g.lerp(plan.landmarks.mid_frontal, 0.45)))
        .unwrap();
    writeln!(
        toml,
        "\n[regions]\nskin = [{:.0}, {:.0}, {:.0}, {:.0}]",
        x - 15.0,
        y - 8.0,
        x + 15.0,
        y + 8.0
    )
    .unwrap();
    std::fs::write(dir.join("mannequin-front.toml"), toml).expect("write landmarks");
}
