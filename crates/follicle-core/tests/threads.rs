//! The plan does not depend on how the caller runs the core's parts (parallel.rs): the sampler's bands, the
//! raster's and the feathering's rows give the same impressions, bit for bit, on one thread (the browser's
//! `Serial`), on 2 or 8 threads taking the parts as they come, and with the parts run backwards.

use follicle_core::design::Pattern;
use follicle_core::parallel::{Backwards, Job, Serial, Workers};
use follicle_core::plan::{plan, Plan};
use follicle_core::planner::{Geometry, Planner};
use follicle_core::{pattern_design, Design, HeadMeasurements, Sex};
use std::sync::Mutex;

/// `n` threads, each taking the next part until none is left (the order parts finish in varies run by run).
struct Pool(usize);

impl Workers for Pool {
    fn run<'a>(&self, jobs: Vec<Job<'a>>) {
        let queue = Mutex::new(jobs.into_iter());
        std::thread::scope(|s| {
            for _ in 0..self.0 {
                s.spawn(|| loop {
                    let job = queue.lock().unwrap().next();
                    match job {
                        Some(job) => job(),
                        None => break,
                    }
                });
            }
        });
    }
    fn parts(&self) -> usize {
        self.0
    }
}

fn plan_on(d: &Design, w: &dyn Workers) -> Plan {
    let g = Geometry::new_on(d, w).unwrap();
    let mut p = Planner::start_on(d, &g, w).unwrap();
    while p.step_on(w) {}
    p.into_plan()
}

#[test]
fn the_same_plan_on_1_2_and_8_threads() {
    let m = HeadMeasurements::median(Sex::Male);
    for d in [
        pattern_design(Pattern::FullScalp, m, 3, 42),
        pattern_design(
            Pattern::Norwood(6),
            HeadMeasurements::median(Sex::Female),
            4,
            7,
        ),
    ] {
        let serial = plan(&d).unwrap();
        assert!(serial.impressions.len() > 10_000);
        assert_eq!(plan_on(&d, &Serial).impressions, serial.impressions);
        for w in [&Pool(1) as &dyn Workers, &Pool(2), &Pool(8), &Backwards(3)] {
            let p = plan_on(&d, w);
            assert_eq!(p.impressions, serial.impressions, "{} parts", w.parts());
            assert_eq!(p.zones.len(), serial.zones.len());
            for (a, b) in p.zones.iter().zip(&serial.zones) {
                assert_eq!(a.cumulative, b.cumulative);
            }
        }
    }
}
