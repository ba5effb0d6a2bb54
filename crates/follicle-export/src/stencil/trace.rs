//! Zone borders a practitioner can trace: the zone raster's border segments (marching squares through the
//! cell centres, `Field::outlines_of`) joined into runs and smoothed, so the stencil prints a smooth line
//! where the raster gives a staircase of 45° facets one cell (1–2 mm at 1:1) high (outside probe s35).
//!
//! A border two zones share is listed for both: it is drawn once. Where three zones or the raster's edge
//! meet (a vertex with other than two neighbours) the runs end, and every run ending there ends on the same
//! point: a junction is smoothed along the two borders that continue each other (the loop a border runs
//! into), a loose end at the raster's edge stays. The smoothing is Taubin's λ|μ pair (Taubin 1995): the
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
/// Vertices along each border from a junction that tell its direction there.
const DIRECTION_STEPS: usize = 3;

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
    let pos = smooth(&pos, &adj);
    runs.into_iter()
        .map(|(ids, closed)| Run {
            points: ids.iter().map(|&i| pos[i as usize]).collect(),
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

/// Taubin-smooths the border graph's vertices `pos` (neighbours `adj`): a vertex on one border toward its
/// two neighbours; where borders meet, along the two of them that continue each other most nearly straight
/// (a mole's loop where a zone border runs into it: held still, the loop's raster corner stayed, a chamfer
/// or a notch half a millimetre deep beside the smooth loop, outside test s45), so the border that ends
/// there follows it; a border's loose end stays.
fn smooth(pos: &[Chart2], adj: &[Vec<u32>]) -> Vec<Chart2> {
    let pair: Vec<Option<[u32; 2]>> = adj
        .iter()
        .enumerate()
        .map(|(i, n)| match n.len() {
            0 | 1 => None,
            2 => Some([n[0], n[1]]),
            _ => {
                // Each border's direction from here to a few vertices along it (one raster step is a
                // 45° or square facet, too coarse to tell which two continue each other).
                let dir = |j: u32| {
                    let (mut prev, mut at) = (i as u32, j);
                    for _ in 1..DIRECTION_STEPS {
                        let n = &adj[at as usize];
                        if n.len() != 2 {
                            break;
                        }
                        let to = if n[0] == prev { n[1] } else { n[0] };
                        (prev, at) = (at, to);
                    }
                    let (a, b) = (pos[i], pos[at as usize]);
                    let l = (b.u - a.u).hypot(b.v - a.v).max(1e-12);
                    ((b.u - a.u) / l, (b.v - a.v) / l)
                };
                let mut best = (f64::INFINITY, [n[0], n[1]]);
                for x in 0..n.len() {
                    for y in x + 1..n.len() {
                        let (a, b) = (dir(n[x]), dir(n[y]));
                        let cos = a.0 * b.0 + a.1 * b.1;
                        if cos < best.0 {
                            best = (cos, [n[x], n[y]]);
                        }
                    }
                }
                Some(best.1)
            }
        })
        .collect();
    let mut p = pos.to_vec();
    let mut next = p.clone();
    for step in 0..2 * PAIRS {
        let f = if step % 2 == 0 { LAMBDA } else { MU };
        for (i, q) in next.iter_mut().enumerate() {
            *q = match pair[i] {
                Some([a, b]) => {
                    let (a, b) = (p[a as usize], p[b as usize]);
                    let (mu, mv) = ((a.u + b.u) * 0.5, (a.v + b.v) * 0.5);
                    Chart2::new(p[i].u + f * (mu - p[i].u), p[i].v + f * (mv - p[i].v))
                }
                None => p[i],
            };
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
    fn a_loop_stays_smooth_where_a_border_runs_into_it() {
        // A round zone 12 cells across as marching squares draw it (square and 45° facets), and a
        // border running into one of its 45° corners from below.
        let r = 6.0;
        let mut pts = Vec::new();
        for k in 0..48 {
            let t = k as f64 / 48.0 * std::f64::consts::TAU;
            let p = c((r * t.cos()).round(), (r * t.sin()).round());
            if pts.last() != Some(&p) && pts.first() != Some(&p) {
                pts.push(p);
            }
        }
        let mut segs: Vec<[Chart2; 2]> = (0..pts.len())
            .map(|k| [pts[k], pts[(k + 1) % pts.len()]])
            .collect();
        let at = pts
            .iter()
            .copied()
            .filter(|p| p.v < 0.0 && p.u > 0.0)
            .min_by(|a, b| (a.u + a.v).abs().total_cmp(&(b.u + b.v).abs()))
            .unwrap();
        for k in 0..6 {
            let (a, b) = (k as f64, k as f64 + 1.0);
            segs.push([c(at.u + a, at.v - a), c(at.u + b, at.v - b)]);
        }
        let runs = trace(segs);
        // The loop (one run from the junction round to it) and the spoke meet on one point.
        let ends: Vec<Chart2> = runs
            .iter()
            .flat_map(|r| [r.points[0], *r.points.last().unwrap()])
            .collect();
        let junction = ends
            .iter()
            .copied()
            .find(|e| ends.iter().filter(|f| *f == e).count() >= 3)
            .expect("one junction");
        // Along the loop the junction makes no corner: the two loop runs leave it nearly straight on.
        let away: Vec<(f64, f64)> = runs
            .iter()
            .flat_map(|r| {
                let n = r.points.len();
                [
                    (r.points[0] == junction).then(|| r.points[1]),
                    (r.points[n - 1] == junction).then(|| r.points[n - 2]),
                ]
            })
            .flatten()
            // The spoke runs away from the centre; the loop stays on its circle.
            .filter(|p| p.u.hypot(p.v) < r + 0.6)
            .map(|p| {
                let l = (p.u - junction.u).hypot(p.v - junction.v);
                ((p.u - junction.u) / l, (p.v - junction.v) / l)
            })
            .collect();
        assert_eq!(away.len(), 2, "{runs:?}");
        let cos = away[0].0 * away[1].0 + away[0].1 * away[1].1;
        assert!(
            cos < -0.98,
            "the loop turns {:.0}° at the junction",
            180.0 - cos.acos().to_degrees()
        );
        // And the junction lies on the loop as smoothed, not on its raster corner 0.4 cells inside it.
        let on_loop: Vec<f64> = runs
            .iter()
            .flat_map(|r| r.points.iter())
            .map(|p| p.u.hypot(p.v))
            .filter(|&d| d < r + 0.6)
            .collect();
        let mean = on_loop.iter().sum::<f64>() / on_loop.len() as f64;
        let d = junction.u.hypot(junction.v);
        assert!((d - mean).abs() < 0.1, "{junction:?}: {d} against {mean}");
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
        // Every run ends where three borders meet, the runs there on one point: on the shared border, as
        // far off the outer border's raster line as the smoothing moves the outer border beside it.
        let ends: Vec<Chart2> = runs
            .iter()
            .filter(|r| !r.closed)
            .flat_map(|r| [r.points[0], *r.points.last().unwrap()])
            .collect();
        assert_eq!(ends.len(), 6, "{runs:?}");
        for end in &ends {
            let near = |j: Chart2| (end.u - j.u).hypot(end.v - j.v) < 0.5;
            assert!(
                near(c(2.0, 0.0)) || near(c(2.0, 4.0)),
                "a run ends where three borders meet: {end:?}"
            );
            assert_eq!(ends.iter().filter(|e| *e == end).count(), 3, "{end:?}");
            assert!((end.u - 2.0).abs() < 1e-9, "{end:?} left the shared border");
        }
        assert_eq!(trace(segs), runs, "the same runs every time");
    }
}
