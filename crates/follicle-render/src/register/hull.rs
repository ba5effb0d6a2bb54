//! The plan's skull as the photo sees it: sample points of the skull, the convex hull of their
//! projections (the head's outline) and the signed distance of a photo point from it.

use follicle_core::{Plan, Vec3};

/// Andrew's monotone chain: the convex hull, counter-clockwise (in x right, y down: clockwise on screen).
pub(super) fn convex_hull(mut p: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    p.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    let cross = |o: [f64; 2], a: [f64; 2], b: [f64; 2]| {
        (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    };
    let mut h: Vec<[f64; 2]> = Vec::with_capacity(p.len() + 1);
    for &q in &p {
        while h.len() >= 2 && cross(h[h.len() - 2], h[h.len() - 1], q) <= 0.0 {
            h.pop();
        }
        h.push(q);
    }
    // The upper hull never pops into the lower one.
    let lower = h.len() + 1;
    for &q in p.iter().rev().skip(1) {
        while h.len() >= lower && cross(h[h.len() - 2], h[h.len() - 1], q) <= 0.0 {
            h.pop();
        }
        h.push(q);
    }
    h.pop();
    h
}

/// Distance from `q` to the polygon's boundary: positive outside, negative inside.
pub(super) fn signed_distance(hull: &[[f64; 2]], q: [f64; 2]) -> f64 {
    let n = hull.len();
    let mut d = f64::INFINITY;
    let mut inside = n >= 3;
    for i in 0..n {
        let a = hull[i];
        let b = hull[(i + 1) % n];
        let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
        let (qx, qy) = (q[0] - a[0], q[1] - a[1]);
        let l2 = ex * ex + ey * ey;
        let s = if l2 > 0.0 {
            ((qx * ex + qy * ey) / l2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        d = d.min((qx - s * ex).hypot(qy - s * ey));
        if ex * qy - ey * qx < 0.0 {
            inside = false;
        }
    }
    if inside {
        -d
    } else {
        d
    }
}

/// Sample points of the plan's skull above 25° below the head centre's level (everything that can form
/// the outline above the eye line seen from a front camera turned or tilted up to 35°).
pub(super) fn skull_points(plan: &Plan) -> Vec<Vec3> {
    let mut v = Vec::new();
    for i in 0..48 {
        let az = i as f64 / 48.0 * std::f64::consts::TAU;
        for j in 0..=14 {
            let el = (-25.0 + 115.0 * j as f64 / 14.0).to_radians();
            let d = Vec3::new(el.cos() * az.sin(), el.cos() * az.cos(), el.sin());
            v.push(plan.head.point_along(d));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_distance_of_a_square() {
        let sq = convex_hull(vec![
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [0.0, 10.0],
            [5.0, 5.0],
        ]);
        assert_eq!(sq.len(), 4);
        assert!((signed_distance(&sq, [5.0, 5.0]) + 5.0).abs() < 1e-12);
        assert!((signed_distance(&sq, [13.0, 5.0]) - 3.0).abs() < 1e-12);
        assert!((signed_distance(&sq, [5.0, -2.0]) - 2.0).abs() < 1e-12);
        // A disc of points: every point on or inside the hull.
        let pts: Vec<[f64; 2]> = (0..100)
            .map(|i| {
                let a = i as f64 * 0.731;
                let r = 10.0 * ((i % 7) as f64 / 6.0);
                [r * a.cos(), r * a.sin()]
            })
            .collect();
        let hull = convex_hull(pts.clone());
        assert!(pts.iter().all(|&q| signed_distance(&hull, q) <= 1e-9));
    }
}
