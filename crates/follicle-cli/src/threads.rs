//! The CLI's threads for the core's independent parts (follicle-core cuts the work into parts but never
//! starts a thread: the browser runs the same parts one after another). Used by `follicle plan`/`demo` and
//! by examples/geometry_cold.rs, which includes this file, so the example times the raster on the very
//! threads the command uses.

use follicle_core::parallel::{Job, Workers};

/// Runs the core's independent parts (the zone raster's and the feathering's bands of rows, the sampler's
/// bands of the chart) on one thread per core, the calling thread among them, each taking the next part
/// not yet taken until none is left: a part with more work (along the hairline) does not hold the others
/// up. The core cuts the parts, so the plan is the same, bit for bit, as the browser's single-threaded one.
pub struct Threads;

/// Threads that run the core's parts at once: one per core, at most eight.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

impl Workers for Threads {
    fn run<'a>(&self, jobs: Vec<Job<'a>>) {
        let threads = cores().min(jobs.len());
        if threads <= 1 {
            jobs.into_iter().for_each(|job| job());
            return;
        }
        let queue = std::sync::Mutex::new(jobs.into_iter());
        let work = || loop {
            // The lock is held only to take a part (a part that panics leaves the queue as it was).
            let job = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            match job {
                Some(job) => job(),
                None => break,
            }
        };
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(work);
            }
            work();
        });
    }

    fn parts(&self) -> usize {
        // A few bands per core, so that a band with more work (along the hairline) does not hold the rest up.
        cores() * 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_threads_run_every_part_exactly_once() {
        for parts in [0, 1, 2, 3, 17, 100] {
            let runs: Vec<AtomicUsize> = (0..parts).map(|_| AtomicUsize::new(0)).collect();
            let mut out = vec![0usize; parts];
            let jobs: Vec<Job> = out
                .iter_mut()
                .zip(&runs)
                .enumerate()
                .map(|(i, (slot, count))| {
                    Box::new(move || {
                        count.fetch_add(1, Ordering::Relaxed);
                        *slot = i * i;
                    }) as Job
                })
                .collect();
            Threads.run(jobs);
            assert!(
                runs.iter().all(|c| c.load(Ordering::Relaxed) == 1),
                "{parts} parts"
            );
            assert_eq!(out, (0..parts).map(|i| i * i).collect::<Vec<_>>());
        }
    }
}
