//! Plans the full-scalp design once (the one `cargo bench -p follicle-core --bench plan` times), for
//! instruction counts and profiles of the core alone: `plan_once` runs every part on the calling thread
//! (`Serial`, the browser's way), `plan_once threads` runs them on threads as the CLI does. Prints the count
//! of impressions and a hash of them, equal either way.
//!
//! cargo build --release -p follicle-core --example plan_once
//! valgrind --tool=callgrind --separate-threads=yes target/release/examples/plan_once threads

#[path = "../benches/common/threads.rs"]
mod threads;
use follicle_core::design::Pattern;
use follicle_core::parallel::{Serial, Workers};
use follicle_core::planner::{Geometry, Planner};
use follicle_core::{pattern_design, HeadMeasurements, Sex};
use std::hash::{Hash, Hasher};
use threads::Threads;

fn main() {
    let threads = std::env::args().any(|a| a == "threads");
    let workers: &dyn Workers = if threads { &Threads } else { &Serial };
    let design = pattern_design(
        Pattern::FullScalp,
        HeadMeasurements::median(Sex::Male),
        3,
        42,
    );
    let t = std::time::Instant::now();
    let g = Geometry::new_on(&design, workers).expect("plans");
    let mut planner = Planner::start_on(&design, &g, workers).expect("plans");
    while planner.step_on(workers) {}
    let p = planner.into_plan();
    let took = t.elapsed();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for m in &p.impressions {
        (m.p.x.to_bits(), m.p.y.to_bits(), m.p.z.to_bits(), m.session).hash(&mut h);
    }
    println!(
        "{} impressions, hash {:016x}, {:.1} ms",
        p.impressions.len(),
        h.finish(),
        took.as_secs_f64() * 1e3
    );
}
