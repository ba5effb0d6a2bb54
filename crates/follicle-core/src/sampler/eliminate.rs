//! The sampler's elimination: the most crowded new impressions of each over-full zone are removed until the
//! zone holds exactly its target count. Every candidate's first spacing is measured in fixed parts by the
//! caller's [`Workers`] (a pure function of the placement, so the same however they run); the removals
//! themselves run in order.

use super::near::spacing_factor2;
use super::{Grid, Placement, SessionCtx, ELIM_CAP};
use crate::parallel::{Job, Workers};
use std::collections::BinaryHeap;

/// New impressions whose first spacing one part measures.
const PART: usize = 4096;

/// Removes the most crowded new impressions of each over-full zone until it holds exactly its target.
#[allow(clippy::too_many_arguments)]
pub(super) fn eliminate(
    ctx: &SessionCtx,
    grid: &mut Grid,
    pl: &mut Placement,
    radius: &[f64],
    first_new: usize,
    got: &[usize],
    need: &[usize],
    workers: &dyn Workers,
) {
    let mut excess: Vec<usize> = got
        .iter()
        .zip(need)
        .map(|(&g, &n)| g.saturating_sub(n))
        .collect();
    if excess.iter().all(|&e| e == 0) {
        return;
    }
    let head = ctx.head;
    let spacing = |pl: &Placement, grid: &Grid, i: usize| -> f64 {
        let p = pl.pos[i];
        let r = radius[i];
        let reach = r * ELIM_CAP * head.chart_scale_bound(pl.chart[i], (p - head.centre).norm());
        let mut best = f64::INFINITY;
        grid.any_near(pl.chart[i], reach, |j| {
            let j = j as usize;
            if j != i {
                best = best.min((pl.pos[j] - p).norm2() * spacing_factor2(r, radius[j]));
            }
            false
        });
        best.sqrt().min(r * ELIM_CAP) / r
    };
    let mut version = vec![0u32; pl.len()];
    // Max-heap on negated spacing bits = min-heap on spacing; ties broken by index for determinism.
    let key = |s: f64| u64::MAX - (s as f32).to_bits() as u64;
    let todo: Vec<u32> = (first_new..pl.len())
        .filter(|&i| pl.alive[i] && excess[pl.zone[i] as usize] > 0)
        .map(|i| i as u32)
        .collect();
    let mut first = vec![0u64; todo.len()];
    {
        let (pl, grid, spacing) = (&*pl, &*grid, &spacing);
        let jobs: Vec<Job> = first
            .chunks_mut(PART)
            .zip(todo.chunks(PART))
            .map(|(out, part)| {
                Box::new(move || {
                    for (o, &i) in out.iter_mut().zip(part) {
                        *o = key(spacing(pl, grid, i as usize));
                    }
                }) as Job
            })
            .collect();
        workers.run(jobs);
    }
    // Keys, indices and versions are all distinct, so the heap pops in one order however it was built.
    let mut heap: BinaryHeap<(u64, u32, u32)> = todo
        .iter()
        .zip(&first)
        .map(|(&i, &k)| (k, u32::MAX - i, 0))
        .collect();
    let mut touched: Vec<u32> = Vec::new();
    while let Some((_, inv_i, ver)) = heap.pop() {
        let i = (u32::MAX - inv_i) as usize;
        let z = pl.zone[i] as usize;
        if !pl.alive[i] || ver != version[i] || excess[z] == 0 {
            continue;
        }
        pl.alive[i] = false;
        grid.remove(i as u32, pl.chart[i]);
        excess[z] -= 1;
        if excess.iter().all(|&e| e == 0) {
            break;
        }
        let p = pl.pos[i];
        // Neighbours of a larger radius see `i` from further away: reach a little beyond its own cap.
        let reach = radius[i]
            * ELIM_CAP
            * 1.3
            * head.chart_scale_bound(pl.chart[i], (p - head.centre).norm());
        touched.clear();
        grid.any_near(pl.chart[i], reach, |j| {
            let j = j as usize;
            if j >= first_new
                && excess[pl.zone[j] as usize] > 0
                && (pl.pos[j] - p).norm2() < (radius[j] * ELIM_CAP).powi(2)
            {
                touched.push(j as u32);
            }
            false
        });
        for &j in &touched {
            let j = j as usize;
            version[j] += 1;
            heap.push((key(spacing(pl, grid, j)), u32::MAX - j as u32, version[j]));
        }
    }
}
