//! Planning benchmark (one thread): the full-scalp case (~500 cm² at 85/cm², three sessions) against the
//! fast_poisson crate generating the same number of uniform 2D points, and a 1M-impression plan.
//! Run: cargo bench -p follicle-core --bench plan   (prints medians; BENCHMARKS.md quotes them)

#[path = "common/threads.rs"]
mod threads;
use follicle_core::design::Pattern;
use follicle_core::parallel::Workers;
use follicle_core::plan::{plan, plan_with_progress, Stage};
use follicle_core::planner::{Geometry, Planner};
use follicle_core::quality;
use follicle_core::{pattern_design, HeadMeasurements, Sex};
use std::time::{Duration, Instant};
use threads::Threads;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        times.push(t.elapsed());
        last = Some(r);
    }
    (median(times), last.unwrap())
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 3 } else { 9 };

    // 1. The full-scalp plan.
    let design = pattern_design(
        Pattern::FullScalp,
        HeadMeasurements::median(Sex::Male),
        3,
        42,
    );
    let (ours, p) = time(runs, || plan(&design).expect("plans"));
    let n = p.impressions.len();
    let area: f64 = p.zones.iter().map(|z| z.area_cm2).sum();

    // 2. Baseline: fast_poisson, uniform 2D Bridson, same number of points (radius calibrated once).
    let side = 1000.0;
    let mut radius = (side * side / n as f64 * 0.68f64).sqrt();
    for _ in 0..4 {
        let got = fast_poisson::Poisson2D::new()
            .with_dimensions([side, side], radius)
            .with_seed(1)
            .generate()
            .len();
        radius *= (got as f64 / n as f64).sqrt();
    }
    let (base, pts) = time(runs, || {
        fast_poisson::Poisson2D::new()
            .with_dimensions([side, side], radius)
            .with_seed(1)
            .generate()
    });

    // The same plan with its parts (raster and feathering rows, the fill's bands) on threads.
    let (threaded, q) = time(runs, || {
        let g = Geometry::new_on(&design, &Threads).expect("plans");
        let mut planner = Planner::start_on(&design, &g, &Threads).expect("plans");
        while planner.step_on(&Threads) {}
        planner.into_plan()
    });
    assert_eq!(q.impressions, p.impressions, "the same plan on threads");

    println!("full-scalp plan: {n} impressions on {area:.0} cm², 3 sessions");
    println!("  follicle plan (variable density, 3 sessions, 3D surface): median {:.1} ms over {runs} runs", ours.as_secs_f64() * 1e3);
    println!("  fast_poisson (uniform 2D, {} points):                    median {:.1} ms over {runs} runs", pts.len(), base.as_secs_f64() * 1e3);
    println!(
        "  ratio follicle / fast_poisson = {:.2} (target ≤ 0.5)",
        ours.as_secs_f64() / base.as_secs_f64()
    );
    println!(
        "  the same plan, its parts on {} threads: median {:.1} ms over {runs} runs",
        Threads.parts(),
        threaded.as_secs_f64() * 1e3
    );

    // 3. A 1M-impression plan: the same design on a head scaled 3× (synthetic) at 200/cm².
    if !quick {
        let mut big = design.clone();
        big.head.length_mm *= 3.0;
        big.head.breadth_mm *= 3.0;
        big.head.height_mm *= 3.0;
        big.head.glabella_height_mm *= 3.0;
        big.head.interpupillary_mm *= 3.0;
        big.hairline.mid_frontal_mm = 100.0;
        for z in &mut big.zones {
            z.density_cm2 = 200.0;
        }
        let (t, p) = time(3, || plan(&big).expect("plans"));
        println!(
            "1M plan: {} impressions, median {:.2} s over 3 runs (target < 3 s)",
            p.impressions.len(),
            t.as_secs_f64()
        );
        // Where one more run's time goes, stage by stage, and the quality it reaches.
        let mut marks: Vec<(Stage, Instant)> = Vec::new();
        let start = Instant::now();
        let p = plan_with_progress(&big, &mut |s| marks.push((s, Instant::now()))).expect("plans");
        let end = Instant::now();
        let stages: Vec<String> = marks
            .iter()
            .enumerate()
            .map(|(i, (s, at))| {
                let until = marks.get(i + 1).map_or(end, |m| m.1);
                format!("{s:?} {:.2} s", (until - *at).as_secs_f64())
            })
            .collect();
        println!(
            "  stages: {} (total {:.2} s)",
            stages.join(", "),
            (end - start).as_secs_f64()
        );
        for q in quality::measure(&p) {
            println!(
                "  session {}: {} impressions, δ_min {:.3}, δ_avg {:.3}, worst density error {:.2} %",
                q.session,
                q.impressions,
                q.delta_min,
                q.delta_avg,
                q.worst_density_error * 100.0
            );
        }
    }
}
