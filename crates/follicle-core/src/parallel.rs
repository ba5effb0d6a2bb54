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

/// Runs the jobs on the calling thread, the last first, asking for `.0` parts: a stand-in for threads
/// that finish in any order, for tests of what a caller computes in parts (the result must not change).
#[derive(Clone, Copy, Debug)]
pub struct Backwards(pub usize);

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

/// Bands of rows per part of `workers` when it runs parts at once: the work of a raster is seldom even
/// (the hairline's depth map and the feather work near a few borders only), and a band that holds more
/// must not keep the other threads waiting.
const BANDS_PER_PART: usize = 8;

/// How many bands `rows` rows are cut into for `workers` (1 when it runs one part).
fn bands(workers: &dyn Workers, rows: usize) -> usize {
    match workers.parts() {
        0 | 1 => 1,
        p => (p * BANDS_PER_PART).min(rows.max(1)),
    }
}

/// Calls `f(first_row, rows)` for consecutive bands of whole rows of `out` (rows of `width` entries),
/// [`BANDS_PER_PART`] bands per part of `workers` (one band for a worker of one part); `rows` is the band's
/// part of `out`.
pub(crate) fn by_rows<T: Send>(
    workers: &dyn Workers,
    out: &mut [T],
    width: usize,
    f: impl Fn(usize, &mut [T]) + Sync,
) {
    // One band cutting for all: slices of `()` take no memory.
    let (mut none, mut nothing) = (vec![(); out.len()], vec![(); out.len()]);
    by_rows_three(
        workers,
        out,
        &mut none,
        &mut nothing,
        width,
        |first, rows, _, _| f(first, rows),
    );
}

/// [`by_rows`] over two results of the same rows at once (`a` and `b` rows of `width` entries each), so that
/// one pass fills both without a buffer of pairs to split afterwards.
pub(crate) fn by_rows_pair<A: Send, B: Send>(
    workers: &dyn Workers,
    a: &mut [A],
    b: &mut [B],
    width: usize,
    f: impl Fn(usize, &mut [A], &mut [B]) + Sync,
) {
    let mut none = vec![(); a.len()];
    by_rows_three(workers, a, b, &mut none, width, |first, ra, rb, _| {
        f(first, ra, rb)
    });
}

/// [`by_rows`] over three results of the same rows at once.
pub(crate) fn by_rows_three<A: Send, B: Send, C: Send>(
    workers: &dyn Workers,
    a: &mut [A],
    b: &mut [B],
    c: &mut [C],
    width: usize,
    f: impl Fn(usize, &mut [A], &mut [B], &mut [C]) + Sync,
) {
    assert!(
        a.len() == b.len() && b.len() == c.len(),
        "the results have the same rows"
    );
    let rows = a.len().checked_div(width).unwrap_or(0);
    let parts = bands(workers, rows);
    if parts == 1 {
        f(0, a, b, c);
        return;
    }
    let band = rows.div_ceil(parts) * width;
    let f = &f;
    let jobs: Vec<Job> = a
        .chunks_mut(band)
        .zip(b.chunks_mut(band))
        .zip(c.chunks_mut(band))
        .enumerate()
        .map(|(k, ((ra, rb), rc))| Box::new(move || f(k * band / width, ra, rb, rc)) as Job)
        .collect();
    workers.run(jobs);
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn paired_bands_fill_both_results_row_for_row() {
        let (width, rows) = (5, 17);
        let fill = |w: &dyn Workers| {
            let (mut a, mut b) = (vec![0usize; width * rows], vec![0i64; width * rows]);
            by_rows_pair(w, &mut a, &mut b, width, |first, ra, rb| {
                assert_eq!(ra.len(), rb.len());
                for (k, (x, y)) in ra.iter_mut().zip(rb.iter_mut()).enumerate() {
                    *x += (first + k / width) * 1000 + k % width + 1;
                    *y -= *x as i64;
                }
            });
            (a, b)
        };
        let serial = fill(&Serial);
        assert_eq!(serial.0[width * 4 + 2], 4003);
        assert_eq!(serial.1[width * 4 + 2], -4003);
        for parts in [1, 2, 3, 4, 17, 40] {
            assert_eq!(fill(&Backwards(parts)), serial, "{parts} parts");
        }
    }

    #[test]
    fn three_results_are_cut_into_the_same_bands() {
        let (width, rows) = (4, 13);
        let fill = |w: &dyn Workers| {
            let mut a = vec![0usize; width * rows];
            let (mut b, mut c) = (vec![false; width * rows], vec![0u8; width * rows]);
            by_rows_three(w, &mut a, &mut b, &mut c, width, |first, ra, rb, rc| {
                assert!(ra.len() == rb.len() && rb.len() == rc.len());
                for (k, ((x, y), z)) in ra
                    .iter_mut()
                    .zip(rb.iter_mut())
                    .zip(rc.iter_mut())
                    .enumerate()
                {
                    *x = first + k / width;
                    *y = *x % 2 == 1;
                    *z = (k % width) as u8;
                }
            });
            (a, b, c)
        };
        let serial = fill(&Serial);
        assert_eq!(
            (
                serial.0[width * 7 + 1],
                serial.1[width * 7 + 1],
                serial.2[width * 7 + 1]
            ),
            (7, true, 1)
        );
        for parts in [1, 2, 5, 13, 40] {
            assert_eq!(fill(&Backwards(parts)), serial, "{parts} parts");
        }
    }
}
