//! Enlarges a photo for the large-photo benchmarks (BENCHMARKS.md, "Photo preview on a 12-megapixel
//! photo"): `cargo run --release -p follicle-render --example enlarge_photo -- IN OUT.jpg FACTOR`, triangle
//! filter, JPEG quality 85.

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let [_, input, out, factor] = &a[..] else {
        eprintln!("usage: enlarge_photo IN OUT.jpg FACTOR");
        std::process::exit(2);
    };
    let f: f64 = factor.parse().expect("FACTOR is a number");
    let img = image::open(input).expect("a photo").to_rgb8();
    let (w, h) = (
        (img.width() as f64 * f).round() as u32,
        (img.height() as f64 * f).round() as u32,
    );
    let big = image::imageops::resize(&img, w, h, image::imageops::FilterType::Triangle);
    let mut jpg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 85)
        .encode_image(&big)
        .expect("encodes");
    std::fs::write(out, jpg).expect("written");
    println!("{w} × {h} ({:.1} MP)", f64::from(w) * f64::from(h) / 1e6);
}
