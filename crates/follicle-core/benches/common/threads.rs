//! The caller's threads as the CLI runs the core's parts (the first part on the calling thread, the others
//! on their own), shared by the plan benchmark and the `plan_once` example. follicle-core itself never
//! starts a thread; the CLI has its own, with more parts per core.

use follicle_core::parallel::{Job, Workers};

/// One thread per part, the first on the caller's.
pub struct Threads;

impl Workers for Threads {
    fn run<'a>(&self, jobs: Vec<Job<'a>>) {
        let mut jobs = jobs.into_iter();
        let Some(first) = jobs.next() else {
            return;
        };
        std::thread::scope(|s| {
            for job in jobs {
                s.spawn(job);
            }
            first();
        });
    }
    fn parts(&self) -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}
