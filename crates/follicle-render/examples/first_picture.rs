//! Times the studio's first picture of a photo stage by stage, as `follicle serve` makes it when a
//! practitioner opens the preview of a photo no picture was drawn of yet: decoded (a stored photo, checked for
//! damage at upload),
//! scaled to the preview's 1600 px, registered from its marks, its scene made, the first pictures drawn and
//! encoded. `cargo run --release -p follicle-render --example first_picture PHOTO MARKS` (MARKS on the photo
//! as taken, a landmarks TOML as `follicle render` reads). The first line is the baseline: image's decoding
//! alone.
use follicle_render::client::{PhotoOptions, PhotoScene};
use follicle_render::photo::{decode_stored, PhotoLimits};
use follicle_render::register::{parse_marks, MAX_RESIDUAL_MM};
use follicle_render::views::{register_photo, PhotoView};
use follicle_render::{png, Catalogue};
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let bytes = std::fs::read(&a[1]).unwrap();
    let t0 = Instant::now();
    let lap = |what: &str, t: &mut Instant| {
        println!("{what}: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
        *t = Instant::now();
    };
    let mut t = Instant::now();
    let _ = image::load_from_memory(&bytes).unwrap();
    lap("decoded by image alone (baseline)", &mut t);
    let full = decode_stored(&bytes, PhotoLimits::default()).unwrap();
    lap("decoded within the photo limits", &mut t);
    let (photo, scale) = full.into_downscaled(follicle_render::overlay::MAX_SIDE_PX);
    lap("scaled to 1600 px", &mut t);
    let mut marks = parse_marks(&std::fs::read_to_string(&a[2]).unwrap(), &plan).unwrap();
    for (_, p) in marks.points.iter_mut() {
        p[0] *= scale;
        p[1] *= scale;
    }
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
    lap("registered", &mut t);
    let o = PhotoOptions::healed(plan.sessions.len());
    let scene = PhotoScene::new(&photo, &plan, &reg, &o).unwrap();
    lap("scene made", &mut t);
    let cat = Catalogue::builtin();
    let pv = scene
        .preview(&photo, &plan, &cat, &reg, (&o, false))
        .unwrap();
    lap("before, shaved and after drawn", &mut t);
    png(&pv.full.after).unwrap();
    lap("the after picture encoded (PNG)", &mut t);
    for i in [&pv.full.before, &pv.full.shaved] {
        png(i).unwrap();
    }
    lap("the other two encoded", &mut t);
    println!(
        "in all {:.0} ms (the baseline included)",
        t0.elapsed().as_secs_f64() * 1e3
    );
}
