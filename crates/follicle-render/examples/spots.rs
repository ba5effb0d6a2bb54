//! Draws where the plan's in-view impressions land on a front photo: green where the scalp gate lets them
//! be drawn, red where they are left out: `cargo run --release -p follicle-render --example spots PHOTO
//! MARKS OUT.png [plain]` (`plain`: the registration from the marks alone, as before the outline fit).

use follicle_render::photo::{load, photo_spots, PhotoLimits};
use follicle_render::preview::LookTable;
use follicle_render::register::{parse_marks, register, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM};
use follicle_render::views::{register_photo, PhotoView};
use follicle_render::{Catalogue, State};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let photo = load(std::path::Path::new(&a[1]), PhotoLimits::default()).unwrap();
    let marks = parse_marks(&std::fs::read_to_string(&a[2]).unwrap(), &plan).unwrap();
    let reg = if a.get(4).is_some_and(|s| s == "plain") {
        register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap()
    } else {
        register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap()
    };
    let mut img = photo.to_linear();
    let map = follicle_render::scalp::find_scalp(&img, &plan, &reg).unwrap();
    let n = plan.sessions.len();
    let table = LookTable::new(&plan, &Catalogue::builtin(), map.skin, State::Healed, n);
    let sp = photo_spots(&plan, &table, State::Healed, n, &reg, photo.w, photo.h);
    let (mut drawn, mut out) = (0, 0);
    for s in sp.iter().filter(|s| s.look != table.redness()) {
        let ok = map.gate(s.x as f64, s.y as f64) > 0.5;
        if ok {
            drawn += 1
        } else {
            out += 1
        }
        let (x, y) = (s.x.round() as usize, s.y.round() as usize);
        if x < img.w && y < img.h {
            img.px[y * img.w + x] = if ok { [0.0, 0.8, 0.0] } else { [0.9, 0.0, 0.0] };
        }
    }
    println!(
        "turned {:.1}° tilted {:.1}°: in view {} gate-passed {drawn} ({:.0} %) left out {out}",
        reg.frontal.yaw_rad.to_degrees(),
        reg.frontal.pitch_rad.to_degrees(),
        drawn + out,
        100.0 * drawn as f64 / (drawn + out).max(1) as f64
    );
    std::fs::write(&a[3], follicle_render::png(&img).unwrap()).unwrap();
}
