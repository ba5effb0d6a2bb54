//! Independent parts of one computation, run by whoever calls the core: a [`Workers`] runs a list of jobs,
//! each of which fills only its own part of a result (rows of the zone raster, for example). The core never
//! starts a thread itself (it builds for WebAssembly, where it runs on one): [`Serial`] runs the jobs one
//! after another, and a caller with threads (the CLI) passes its own `Workers`. The parts are cut the same
//! way and each is computed by the same code either way, so the result is the same, bit for bit, however
//! the jobs are run.

/// One part of a computation (it writes only into what it was given).
pub type Job<'a> = Box<dyn FnOnce() + Send + 'a>;

/// Runs the jobs of one computation (see the module doc).
pub trait Workers: Sync {
    /// Runs every job and returns when all are done.
    fn run<'a>(&self, jobs: Vec<Job<'a>>);
    /// How many parts are worth cutting a computation into (1: run it whole).
    fn parts(&self) -> usize;
}

/// Runs every job on the calling thread, in order (the browser's and the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct Serial;

impl Workers for Serial {
    fn run<'a>(&self, jobs: Vec<Job<'a>>) {
        for job in jobs {
            job();
        }
    }
    fn parts(&self) -> usize {
        1
    }
}

/// Calls `f(first_row, rows)` for consecutive bands of whole rows of `out` (rows of `width` entries), one
/// band per part of `workers`; `rows` is the band's part of `out`.
pub(crate) fn by_rows<T: Send>(
    workers: &dyn Workers,
    out: &mut [T],
    width: usize,
    f: impl Fn(usize, &mut [T]) + Sync,
) {
    let rows = out.len().checked_div(width).unwrap_or(0);
    let parts = workers.parts().clamp(1, rows.max(1));
    if parts == 1 {
        f(0, out);
        return;
    }
    let band = rows.div_ceil(parts);
    let f = &f;
    let jobs: Vec<Job> = out
        .chunks_mut(band * width)
        .enumerate()
        .map(|(b, chunk)| Box::new(move || f(b * band, chunk)) as Job)
        .collect();
    workers.run(jobs);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the jobs in reverse order, as a stand-in for threads finishing in any order.
    struct Backwards(usize);
    impl Workers for Backwards {
        fn run<'a>(&self, jobs: Vec<Job<'a>>) {
            for job in jobs.into_iter().rev() {
                job();
            }
        }
        fn parts(&self) -> usize {
            self.0
        }
    }

    #[test]
    fn bands_cover_every_row_once_whatever_the_parts() {
        let (width, rows) = (7, 23);
        let fill = |w: &dyn Workers| {
            let mut out = vec![0usize; width * rows];
            by_rows(w, &mut out, width, |first, band| {
                for (k, x) in band.iter_mut().enumerate() {
                    *x += (first + k / width) * 1000 + k % width + 1;
                }
            });
            out
        };
        let serial = fill(&Serial);
        assert_eq!(serial[width * 5 + 3], 5004);
        for parts in [1, 2, 3, 5, 23, 40] {
            assert_eq!(fill(&Backwards(parts)), serial, "{parts} parts");
        }
    }
}
