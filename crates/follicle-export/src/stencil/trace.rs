//! Zone borders a practitioner can trace: the zone raster's border segments (marching squares through the
//! cell centres, `Field::outlines_of`) joined into runs and smoothed, so the stencil prints a smooth line
//! where the raster gives a staircase of 45° facets one cell (1–2 mm at 1:1) high (outside probe s35).
//!
//! A border two zones share is listed for both: it is drawn once. Where three zones or the raster's edge
//! meet (a vertex with other than two neighbours) the runs end, and those vertices stay where they are, so
//! the runs on either side keep meeting there. The smoothing is Taubin's λ|μ pair (Taubin 1995): the
//! staircase's short periods fade while a loop as small as a mole's keeps its size (plain averaging would
//! shrink it by a third).

use follicle_core::geom::Chart2;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Smoothing step toward the neighbours' mean (Taubin's λ).
const LAMBDA: f64 = 0.6307;
/// The inflating step after it (Taubin's μ; passband k ≈ 0.1: periods longer than about 20 vertices pass).
const MU: f64 = -0.6732;
/// λ|μ pairs applied.
const PAIRS: usize = 24;

/// One traced border: its points in order; `closed` when it returns to its first point.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The points, in order along the border.
    pub points: Vec<Chart2>,
    /// Whether the last point joins the first.
    pub closed: bool,
}

/// The borders `segments` draw (in any order, repeated or reversed), joined into runs and smoothed.
/// The same segments give the same runs, in the same order.
pub fn trace(segments: impl IntoIterator<Item = [Chart2; 2]>) -> Vec<Run> {
    // Vertices by their exact coordinates (the raster gives a shared point the same bits in every
    // segment), in order of first appearance; each edge once (a vertex has at most a few neighbours).
    let mut id: HashMap<(u64, u64), u32, BuildHasherDefault<Mix>> = HashMap::default();
    let mut pos: Vec<Chart2> = Vec::new();
    let mut adj: Vec<Vec<u32>> = Vec::new();
    let mut vertex = |p: Chart2, pos: &mut Vec<Chart2>, adj: &mut Vec<Vec<u32>>| -> u32 {
        *id.entry((p.u.to_bits(), p.v.to_bits())).or_insert_with(|| {
            pos.push(p);
            adj.push(Vec::new());
            (pos.len() - 1) as u32
        })
    };
    for [a, b] in segments {
        let (i, j) = (vertex(a, &mut pos, &mut adj), vertex(b, &mut pos, &mut adj));
        if i == j || adj[i as usize].contains(&j) {
            continue;
        }
        adj[i as usize].push(j);
        adj[j as usize].push(i);
    }
    let fixed: Vec<bool> = adj.iter().map(|n| n.len() != 2).collect();
    // Which of each vertex's edges a run has taken (bit k: its k-th neighbour).
    let mut used: Vec<u64> = vec![0; pos.len()];
    let take = |a: u32, b: u32, used: &mut Vec<u64>| -> bool {
        let k = adj[a as usize].iter().position(|&n| n == b).unwrap_or(63);
        let l = adj[b as usize].iter().position(|&n| n == a).unwrap_or(63);
        if used[a as usize] & (1 << k) != 0 {
            return false;
        }
        used[a as usize] |= 1 << k;
        used[b as usize] |= 1 << l;
        true
    };
    let next_of = |at: u32, prev: u32| {
        let n = &adj[at as usize];
        if n[0] == prev {
            n[1]
        } else {
            n[0]
        }
    };
    let mut runs: Vec<(Vec<u32>, bool)> = Vec::new();
    // Open runs: from each vertex where borders meet or end, along each of its edges to the next such.
    for start in 0..pos.len() as u32 {
        if !fixed[start as usize] {
            continue;
        }
        for &next in &adj[start as usize] {
            if !take(start, next, &mut used) {
                continue;
            }
            let mut run = vec![start, next];
            let (mut prev, mut at) = (start, next);
            while !fixed[at as usize] {
                let to = next_of(at, prev);
                if !take(at, to, &mut used) {
                    break;
                }
                run.push(to);
                (prev, at) = (at, to);
            }
            runs.push((run, false));
        }
    }
    // Closed loops: what is left, every vertex on two edges.
    for start in 0..pos.len() as u32 {
        let first = match adj[start as usize].first() {
            Some(&n) if !fixed[start as usize] => n,
            _ => continue,
        };
        if !take(start, first, &mut used) {
            continue;
        }
        let mut run = vec![start];
        let (mut prev, mut at) = (start, first);
        while at != start {
            run.push(at);
            let to = next_of(at, prev);
            if !take(at, to, &mut used) {
                break;
            }
            (prev, at) = (at, to);
        }
        runs.push((run, true));
    }
    runs.into_iter()
        .map(|(ids, closed)| Run {
            points: smooth(ids.iter().map(|&i| pos[i as usize]).collect(), closed),
            closed,
        })
        .collect()
}

/// A fast hash of the vertices' coordinate bits (multiply and rotate; no defence against chosen keys is
/// needed for points the raster made).
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

/// Taubin-smooths one run in place of its points (an open run keeps its two ends).
fn smooth(mut p: Vec<Chart2>, closed: bool) -> Vec<Chart2> {
    let n = p.len();
    if n < 3 {
        return p;
    }
    let mut next = p.clone();
    for step in 0..2 * PAIRS {
        let f = if step % 2 == 0 { LAMBDA } else { MU };
        for i in 0..n {
            let (a, b) = match (i, closed) {
                (0, true) => (p[n - 1], p[1]),
                (i, true) if i + 1 == n => (p[i - 1], p[0]),
                (0, false) => (p[0], p[0]),
                (i, false) if i + 1 == n => (p[i], p[i]),
                (i, _) => (p[i - 1], p[i + 1]),
            };
            let (mu, mv) = ((a.u + b.u) * 0.5, (a.v + b.v) * 0.5);
            next[i] = Chart2::new(p[i].u + f * (mu - p[i].u), p[i].v + f * (mv - p[i].v));
        }
        std::mem::swap(&mut p, &mut next);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(u: f64, v: f64) -> Chart2 {
        Chart2::new(u, v)
    }

    /// The segments of a staircase (marching squares through cell centres) along the line v = u / 4, from
    /// u = 0 to `len` cells: a 45° facet every fourth cell.
    fn staircase(len: usize) -> Vec<[Chart2; 2]> {
        let mut pts = vec![c(0.0, 0.0)];
        for i in 1..=len {
            let (u, v) = (i as f64, (i / 4) as f64);
            let last = *pts.last().unwrap();
            if v > last.v {
                pts.push(c(u - 0.5, v));
            }
            pts.push(c(u, v));
        }
        pts.windows(2).map(|w| [w[0], w[1]]).collect()
    }

    fn off_line(p: Chart2) -> f64 {
        // Distance from the line v = u / 4 (through the staircase's middle, offset by its half step).
        ((p.v + 0.375) - p.u / 4.0).abs() / (1.0f64 + 1.0 / 16.0).sqrt()
    }

    #[test]
    fn a_staircase_becomes_a_straight_line_and_keeps_its_ends() {
        let segs = staircase(80);
        let runs = trace(segs.clone());
        assert_eq!(runs.len(), 1);
        let r = &runs[0];
        assert!(!r.closed);
        assert_eq!(r.points.first(), Some(&segs[0][0]));
        assert_eq!(r.points.last(), Some(&segs.last().unwrap()[1]));
        // Away from the fixed ends the traced line lies far closer to the straight line than the steps.
        let mid = &r.points[r.points.len() / 4..3 * r.points.len() / 4];
        let before = segs[segs.len() / 4..3 * segs.len() / 4]
            .iter()
            .map(|s| off_line(s[0]))
            .fold(0.0, f64::max);
        let after = mid.iter().map(|&p| off_line(p)).fold(0.0, f64::max);
        assert!(before > 0.3, "{before}");
        assert!(after < 0.3 * before, "{after} against {before}");
    }

    #[test]
    fn a_mole_s_small_loop_keeps_its_size() {
        // An octagon 6 cells across, as marching squares draw a small round zone.
        let pts = [
            c(1.0, 0.0),
            c(5.0, 0.0),
            c(6.0, 1.0),
            c(6.0, 5.0),
            c(5.0, 6.0),
            c(1.0, 6.0),
            c(0.0, 5.0),
            c(0.0, 1.0),
        ];
        // Every cell edge its own segment, as the raster lists them.
        let mut dense = Vec::new();
        for k in 0..8 {
            let (a, b) = (pts[k], pts[(k + 1) % 8]);
            let n = ((b.u - a.u).abs().max((b.v - a.v).abs())).round() as usize;
            for s in 0..n {
                let t0 = s as f64 / n as f64;
                let t1 = (s + 1) as f64 / n as f64;
                dense.push([
                    c(a.u + (b.u - a.u) * t0, a.v + (b.v - a.v) * t0),
                    c(a.u + (b.u - a.u) * t1, a.v + (b.v - a.v) * t1),
                ]);
            }
        }
        let area = |p: &[Chart2]| {
            (0..p.len())
                .map(|i| {
                    let (a, b) = (p[i], p[(i + 1) % p.len()]);
                    a.u * b.v - b.u * a.v
                })
                .sum::<f64>()
                .abs()
                / 2.0
        };
        let runs = trace(dense);
        assert_eq!(runs.len(), 1);
        assert!(runs[0].closed);
        let (a0, a1) = (area(&pts), area(&runs[0].points));
        assert!((a1 / a0 - 1.0).abs() < 0.05, "{a1} against {a0}");
    }

    #[test]
    fn a_border_listed_for_both_zones_is_drawn_once_and_junctions_stay() {
        // Two zones side by side: their shared border (u = 2) is listed for each, reversed for one; the
        // outer borders meet it at (2, 0) and (2, 4), where three borders meet.
        let seg = |a: (f64, f64), b: (f64, f64)| [c(a.0, a.1), c(b.0, b.1)];
        let mut segs = Vec::new();
        for v in 0..4 {
            let v = v as f64;
            segs.push(seg((2.0, v), (2.0, v + 1.0)));
            segs.push(seg((2.0, v + 1.0), (2.0, v)));
            segs.push(seg((0.0, v), (0.0, v + 1.0)));
            segs.push(seg((4.0, v), (4.0, v + 1.0)));
        }
        for u in 0..4 {
            let u = u as f64;
            segs.push(seg((u, 0.0), (u + 1.0, 0.0)));
            segs.push(seg((u, 4.0), (u + 1.0, 4.0)));
        }
        let runs = trace(segs.clone());
        let edges: usize = runs
            .iter()
            .map(|r| r.points.len() - 1 + usize::from(r.closed))
            .sum();
        assert_eq!(edges, 20, "each border once: {runs:?}");
        for r in &runs {
            if !r.closed {
                for end in [r.points[0], *r.points.last().unwrap()] {
                    assert!(
                        end == c(2.0, 0.0) || end == c(2.0, 4.0),
                        "a run ends where three borders meet: {end:?}"
                    );
                }
            }
        }
        assert_eq!(trace(segs), runs, "the same runs every time");
    }
}
