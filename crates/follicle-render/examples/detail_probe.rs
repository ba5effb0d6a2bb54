//! How the photo-detail estimate (src/sharpness.rs) reads a photo made smaller and enlarged again, the way
//! its calibration was made: `cargo run --release -p follicle-render --example detail_probe -- PHOTO DOWN UP
//! [triangle|catmull-rom|lanczos|nearest]` (made DOWN times smaller with the triangle filter, then UP times
//! larger with the filter named, saved as JPEG quality 85 and read back; the estimate runs on the middle
//! three quarters, at full resolution).
use image::imageops::FilterType;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (Some(photo), Some(down), Some(up)) = (a.get(1), a.get(2), a.get(3)) else {
        eprintln!("usage: detail_probe PHOTO DOWN UP [triangle|catmull-rom|lanczos|nearest]");
        std::process::exit(2);
    };
    let (down, up): (f64, f64) = (down.parse().expect("DOWN"), up.parse().expect("UP"));
    let filter = match a.get(4).map(String::as_str) {
        Some("catmull-rom") => FilterType::CatmullRom,
        Some("lanczos") => FilterType::Lanczos3,
        Some("nearest") => FilterType::Nearest,
        _ => FilterType::Triangle,
    };
    let img = image::open(photo).expect("a photo").to_rgb8();
    let size = |w: u32, f: f64| ((w as f64 * f).round() as u32).max(1);
    let small = image::imageops::resize(
        &img,
        size(img.width(), 1.0 / down),
        size(img.height(), 1.0 / down),
        FilterType::Triangle,
    );
    let big = image::imageops::resize(
        &small,
        size(small.width(), up),
        size(small.height(), up),
        filter,
    );
    let mut jpg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 85)
        .encode_image(&big)
        .expect("encodes");
    let big = image::load_from_memory(&jpg).expect("reads back").to_rgb8();
    let (w, h) = (big.width() as usize, big.height() as usize);
    let lin = follicle_render::raster::LinearImage::from_srgb8(w, h, big.as_raw());
    let d = follicle_render::sharpness::photo_detail(&lin, [w / 8, h / 8, w * 3 / 4, h * 3 / 4], 1);
    println!(
        "{w} × {h}: detail {:.2}× coarser than the pixels",
        d.enlargement
    );
}
