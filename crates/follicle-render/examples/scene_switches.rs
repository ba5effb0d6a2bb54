//! Times the studio's switches on a photo's kept scene (what `follicle serve` draws when a practitioner
//! changes the time point, session, guard or "Enlarge the scalp"): `cargo run --release -p follicle-render
//! --example scene_switches PHOTO MARKS [RUNS]`. Prints the median of RUNS (default 5) per switch, the
//! scene's own making first.

use follicle_render::client::{PhotoOptions, PhotoScene};
use follicle_render::photo::{load, PhotoLimits};
use follicle_render::register::{parse_marks, MAX_RESIDUAL_MM};
use follicle_render::views::{register_photo, PhotoView};
use follicle_render::{png, Catalogue, State};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let runs: usize = a.get(3).map_or(5, |r| r.parse().unwrap());
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let photo = load(std::path::Path::new(&a[1]), PhotoLimits::default()).unwrap();
    let marks = parse_marks(&std::fs::read_to_string(&a[2]).unwrap(), &plan).unwrap();
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
    let last = plan.sessions.len();
    let o = PhotoOptions::healed(last);
    let t = Instant::now();
    let scene = PhotoScene::new(&photo, &plan, &reg, &o).unwrap();
    println!("scene made: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let cat = Catalogue::builtin();
    let cases: Vec<(String, PhotoOptions)> = vec![
        ("healed, last session".into(), o),
        (
            "fresh".into(),
            PhotoOptions {
                state: State::Fresh,
                ..o
            },
        ),
        (
            "10 years".into(),
            PhotoOptions {
                state: State::Aged(10.0),
                ..o
            },
        ),
        ("session 1".into(), PhotoOptions { last: 1, ..o }),
        (
            "30 cm".into(),
            PhotoOptions {
                distance_mm: 300.0,
                ..o
            },
        ),
        (
            "guard 3 mm".into(),
            PhotoOptions {
                guard_mm: Some(3.0),
                ..o
            },
        ),
        (
            "guard 0.5 mm".into(),
            PhotoOptions {
                guard_mm: Some(0.5),
                ..o
            },
        ),
    ];
    for (name, c) in cases {
        let mut draw = Vec::new();
        let mut full = Vec::new();
        let mut enc = Vec::new();
        let first = Instant::now();
        scene
            .preview(&photo, &plan, &cat, &reg, (&c, false))
            .unwrap();
        let first = first.elapsed().as_secs_f64() * 1e3;
        for _ in 0..runs {
            let t = Instant::now();
            scene
                .preview(&photo, &plan, &cat, &reg, (&c, false))
                .unwrap();
            full.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let pv = scene
                .preview(&photo, &plan, &cat, &reg, (&c, true))
                .unwrap();
            draw.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            for i in [&pv.full.before, &pv.full.shaved, &pv.full.after] {
                png(i).unwrap();
            }
            enc.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "{name}: first {first:.0} ms, then the photo {:.0} ms, with the enlarged crop {:.0} ms, three PNGs {:.0} ms (median of {runs})",
            median(full),
            median(draw),
            median(enc)
        );
    }
}
