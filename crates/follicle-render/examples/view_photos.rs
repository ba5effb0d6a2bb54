//! Writes a mannequin photo of each view (front, top, left, right, back; JPEG, 480 px, the camera turned
//! 0.08 rad and tilted 0.06 rad) with its landmarks file, for trying `follicle render --photo … --view …`
//! by hand (`tests/data/mannequin-left.*`, which the studio's browser test uploads, were made with it):
//! `cargo run --release -p follicle-render --example view_photos -- DIR` (the demo plan's head, as
//! `follicle demo` writes it).

use follicle_render::views::{mannequin_photo, PhotoView};
use std::fmt::Write;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let plan = follicle_core::plan(&follicle_core::demo_design()).expect("demo plan");
    for view in PhotoView::ALL {
        let (img, marks, _) = mannequin_photo(&plan, view, 0.08, 0.06, 480);
        let rgb = image::RgbImage::from_raw(480, 480, img.to_srgb8()).expect("size");
        let mut jpg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 88)
            .encode_image(&rgb)
            .expect("jpeg");
        std::fs::write(dir.join(format!("mannequin-{}.jpg", view.name())), jpg)
            .expect("write photo");
        let mut toml = format!("view = \"{}\"\n[landmarks]\n", view.name());
        for (name, [x, y]) in &marks.points {
            writeln!(toml, "{name} = [{x:.1}, {y:.1}]").unwrap();
        }
        std::fs::write(dir.join(format!("mannequin-{}.toml", view.name())), toml)
            .expect("write landmarks");
    }
}
