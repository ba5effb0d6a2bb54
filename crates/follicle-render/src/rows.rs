//! A picture's rows drawn on every core: the studio's first picture of a 12-megapixel photo spent a fifth of
//! its time shaving the retained hair pixel by pixel on one core. Each pixel is computed by the same code from
//! the same inputs whichever thread draws it, so the picture is the same, bit for bit, on one core or many
//! (and in the browser's WebAssembly, which has no threads, it runs on the calling one).

use std::sync::Mutex;

/// Rows taken at a time by a thread (uneven work: the hair lies in a few bands of the photo).
const ROWS_PER_TAKE: usize = 16;
/// Threads at most, whatever the machine (a server draws two pictures at a time).
const MAX_THREADS: usize = 8;

/// Calls `f(first_row, rows)` for bands of whole rows of `px` (rows of `w` entries) on the machine's cores
/// and returns the sum of what the calls return.
pub fn by_rows<T: Send>(
    px: &mut [T],
    w: usize,
    f: impl Fn(usize, &mut [T]) -> usize + Sync,
) -> usize {
    let w = w.max(1);
    let threads = threads().min(px.len().div_ceil(w * ROWS_PER_TAKE));
    if threads <= 1 {
        return f(0, px);
    }
    let bands = Mutex::new(px.chunks_mut(w * ROWS_PER_TAKE).enumerate());
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut sum = 0;
                    loop {
                        // A panic elsewhere leaves the list whole (each take is one `next`).
                        let next = bands.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some((i, band)) = next else { break sum };
                        sum += f(i * ROWS_PER_TAKE, band);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .sum()
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

#[cfg(target_arch = "wasm32")]
fn threads() -> usize {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_drawn_once_at_its_own_place() {
        let (w, h) = (7, 101);
        let mut px = vec![0usize; w * h];
        let n = by_rows(&mut px, w, |first, rows| {
            for (k, p) in rows.iter_mut().enumerate() {
                *p += (first + k / w) * 1000 + k % w + 1;
            }
            rows.len() / w
        });
        assert_eq!(n, h);
        for y in 0..h {
            for x in 0..w {
                assert_eq!(px[y * w + x], y * 1000 + x + 1);
            }
        }
        assert_eq!(by_rows(&mut [] as &mut [u8], w, |_, r| r.len()), 0);
    }
}
