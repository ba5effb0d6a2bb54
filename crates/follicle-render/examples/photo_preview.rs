//! Renders the before / shaved / after triple of the demo plan on a photo with its landmarks file, and the
//! scalp map for checking: `cargo run --release -p follicle-render --example photo_preview PHOTO MARKS OUTDIR
//! [GUARD_MM [STATE [DISTANCE_MM]]]` (`-` for the default guard; distance 300 mm unless given); `row.png` is the
//! three side by side.

use follicle_render::client::{photo_preview, PhotoOptions};
use follicle_render::photo::{load, PhotoLimits};
use follicle_render::register::{parse_marks, MAX_RESIDUAL_MM};
use follicle_render::views::{register_photo, PhotoView};
use follicle_render::{png, Catalogue, State};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let photo = load(std::path::Path::new(&a[1]), PhotoLimits::default()).unwrap();
    let marks = parse_marks(&std::fs::read_to_string(&a[2]).unwrap(), &plan).unwrap();
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
    eprintln!(
        "turned {:.1}° tilted {:.1}° rms {:.2} mm {:?} culprit {:?}; {}",
        reg.frontal.yaw_rad.to_degrees(),
        reg.frontal.pitch_rad.to_degrees(),
        reg.rms_mm,
        reg.residuals,
        reg.culprit.as_ref().map(|c| c.sentence()),
        reg.silhouette.as_ref().map_or("", |s| s.words.as_str())
    );
    let out = std::path::Path::new(&a[3]);
    std::fs::create_dir_all(out).unwrap();
    let guard = a.get(4).filter(|g| *g != "-").map(|g| g.parse().unwrap());
    let state = a.get(5).map_or(State::Healed, |s| State::parse(s).unwrap());
    let t = std::time::Instant::now();
    let p = photo_preview(
        &photo,
        &plan,
        &Catalogue::builtin(),
        &reg,
        &PhotoOptions {
            state,
            last: plan.sessions.len(),
            guard_mm: guard,
            skin: None,
            hair: None,
            distance_mm: a.get(6).map_or(300.0, |d| d.parse().unwrap()),
        },
    )
    .unwrap();
    eprintln!(
        "{:.2} s; drawn {} refused {} shaved px {} scalp {:.2} px/mm zoom {} seeds {:?} skin {:?} hair {:?} top hair {:.2}",
        t.elapsed().as_secs_f64(),
        p.drawn,
        p.refused,
        p.shaved_px,
        p.scalp_px_per_mm,
        p.zoom_factor,
        p.map.seeds,
        p.map.skin,
        p.map.hair_colour,
        p.map.top_hair
    );
    if let Some(w) = p.resolution_warning() {
        eprintln!("warning: {w}");
    }
    let w = |n: &str, i: &follicle_render::LinearImage| {
        std::fs::write(out.join(n), png(i).unwrap()).unwrap()
    };
    w("before.png", &p.full.before);
    w("shaved.png", &p.full.shaved);
    w("after.png", &p.full.after);
    w("map.png", &p.map.debug_image());
    w(
        "row.png",
        &follicle_render::sheets::row(
            &[&p.full.before, &p.full.shaved, &p.full.after],
            &["BEFORE", "SHAVED", "AFTER"],
        ),
    );
    eprintln!("guard {} mm; tone {:?}", p.guard_mm, p.tone);
    eprintln!(
        "reading: {:?}\n{:?}\n{:?}",
        p.reading,
        p.reading.summary(),
        p.reading.advice()
    );
    if let Some(z) = &p.zoom {
        w("zoom-before.png", &z.before);
        w("zoom-shaved.png", &z.shaved);
        w("zoom-after.png", &z.after);
    }
}
