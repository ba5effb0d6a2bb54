//! The solver of the joint fit: Levenberg–Marquardt over the seven parameters (turn, tilt, ln k and the
//! similarity) with forward-difference Jacobians, and the Gauss–Newton covariance at the solution (which
//! leave-one-out uses to say how sure the other marks are of where a mark belongs).

use super::least_squares;

/// Parameters: yaw, pitch, ln k, a, b, tx, ty.
pub(super) type Theta = [f64; 7];

/// The covariance of the parameters at `t` (the inverse of JᵀJ of the weighted residuals `res`, by
/// forward differences of `steps`).
pub(super) fn covariance(
    res: impl Fn(&Theta) -> Option<Vec<f64>>,
    t: &Theta,
    steps: [f64; 7],
) -> Option<[[f64; 7]; 7]> {
    let r0 = res(t)?;
    let mut a = [[0.0; 14]; 7];
    let mut cols = Vec::with_capacity(7);
    for (j, h) in steps.iter().enumerate() {
        let mut tj = *t;
        tj[j] += h;
        let rj = res(&tj)?;
        cols.push(
            rj.iter()
                .zip(&r0)
                .map(|(x, y)| (x - y) / h)
                .collect::<Vec<_>>(),
        );
    }
    for i in 0..7 {
        for j in 0..7 {
            a[i][j] = cols[i].iter().zip(&cols[j]).map(|(x, y)| x * y).sum();
        }
        a[i][7 + i] = 1.0;
    }
    // Gauss–Jordan with partial pivoting.
    for c in 0..7 {
        let p = (c..7).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-300 {
            return None;
        }
        a.swap(c, p);
        let d = a[c][c];
        for v in a[c].iter_mut() {
            *v /= d;
        }
        for r in 0..7 {
            if r != c {
                let f = a[r][c];
                let pivot = a[c];
                for (x, pk) in a[r].iter_mut().zip(pivot) {
                    *x -= f * pk;
                }
            }
        }
    }
    let mut inv = [[0.0; 7]; 7];
    for i in 0..7 {
        inv[i].copy_from_slice(&a[i][7..]);
    }
    Some(inv)
}
/// Levenberg–Marquardt on the weighted residuals `res` from `t0` (forward differences of `steps`):
/// the parameters and the cost (sum of squares) where no step lowers it any more.
pub(super) fn solve(
    res: impl Fn(&Theta) -> Option<Vec<f64>>,
    t0: Theta,
    steps: [f64; 7],
) -> Option<(Theta, f64)> {
    let cost = |t: &Theta| res(t).map(|r| r.iter().map(|v| v * v).sum::<f64>());
    let mut t = t0;
    let mut c = cost(&t)?;
    let mut lambda = 1e-3;
    for _ in 0..60 {
        let r0 = res(&t)?;
        let mut jac = vec![[0.0; 7]; r0.len()];
        for (j, h) in steps.iter().enumerate() {
            let mut tj = t;
            tj[j] += h;
            let rj = res(&tj)?;
            for (i, row) in jac.iter_mut().enumerate() {
                row[j] = (rj[i] - r0[i]) / h;
            }
        }
        let mut diag = [0.0; 7];
        for row in &jac {
            for j in 0..7 {
                diag[j] += row[j] * row[j];
            }
        }
        let mut improved = false;
        while lambda < 1e10 {
            let mut rows: Vec<(Vec<f64>, f64)> =
                jac.iter().zip(&r0).map(|(j, r)| (j.to_vec(), -r)).collect();
            for (j, d) in diag.iter().enumerate() {
                let mut e = vec![0.0; 7];
                e[j] = (lambda * d.max(1e-12)).sqrt();
                rows.push((e, 0.0));
            }
            let Some(delta) = least_squares(&rows, 7) else {
                lambda *= 10.0;
                continue;
            };
            let mut t1 = t;
            for j in 0..7 {
                t1[j] += delta[j];
            }
            match cost(&t1) {
                Some(c1) if c1 < c => {
                    let gain = c - c1;
                    t = t1;
                    c = c1;
                    lambda = (lambda / 3.0).max(1e-9);
                    improved = gain > 1e-9 * c.max(1e-9);
                    break;
                }
                _ => lambda *= 4.0,
            }
        }
        if !improved {
            break;
        }
    }
    Some((t, c))
}
