//! The 2D maps from a camera's picture plane (mm) to photo pixels (similarity, affine, perspective) and
//! their least-squares fits from point correspondences.

/// A fitted 2D map from the frontal picture plane (mm) to photo pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Transform {
    /// x = a u − b v + tx, y = b u + a v + ty.
    Similarity([f64; 4]),
    /// x = a u + b v + c, y = d u + e v + f.
    Affine([f64; 6]),
    /// Homogeneous 3×3 matrix, row-major, h[8] = 1.
    Homography([f64; 9]),
}

impl Transform {
    /// Maps a picture-plane point to photo pixels.
    #[inline]
    pub fn apply(&self, u: f64, v: f64) -> (f64, f64) {
        match *self {
            Transform::Similarity([a, b, tx, ty]) => (a * u - b * v + tx, b * u + a * v + ty),
            Transform::Affine([a, b, c, d, e, f]) => (a * u + b * v + c, d * u + e * v + f),
            Transform::Homography(h) => {
                let w = h[6] * u + h[7] * v + h[8];
                (
                    (h[0] * u + h[1] * v + h[2]) / w,
                    (h[3] * u + h[4] * v + h[5]) / w,
                )
            }
        }
    }
    /// The local linear map (Jacobian) at (u, v): `[dx/du, dx/dv, dy/du, dy/dv]`.
    pub fn jacobian(&self, u: f64, v: f64) -> [f64; 4] {
        let e = 1e-3;
        let (x1, y1) = self.apply(u + e, v);
        let (x0, y0) = self.apply(u - e, v);
        let (x3, y3) = self.apply(u, v + e);
        let (x2, y2) = self.apply(u, v - e);
        [
            (x1 - x0) / (2.0 * e),
            (x3 - x2) / (2.0 * e),
            (y1 - y0) / (2.0 * e),
            (y3 - y2) / (2.0 * e),
        ]
    }
    /// The map as a homogeneous 3×3 matrix, row-major.
    pub fn matrix(&self) -> [f64; 9] {
        match *self {
            Transform::Similarity([a, b, tx, ty]) => [a, -b, tx, b, a, ty, 0.0, 0.0, 1.0],
            Transform::Affine([a, b, c, d, e, f]) => [a, b, c, d, e, f, 0.0, 0.0, 1.0],
            Transform::Homography(h) => h,
        }
    }
    /// The inverse map (photo pixels → picture plane), if the map is invertible.
    pub fn inverse(&self) -> Option<Transform> {
        let m = self.matrix();
        let c = [
            m[4] * m[8] - m[5] * m[7],
            m[2] * m[7] - m[1] * m[8],
            m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8],
            m[0] * m[8] - m[2] * m[6],
            m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6],
            m[1] * m[6] - m[0] * m[7],
            m[0] * m[4] - m[1] * m[3],
        ];
        let det = m[0] * c[0] + m[1] * c[3] + m[2] * c[6];
        if det.abs() < 1e-12 || c[8].abs() < 1e-12 * det.abs() {
            return None;
        }
        Some(Transform::Homography(c.map(|v| v / c[8])))
    }
    /// This map followed by `x' = (x − x0)·zoom`, `y' = (y − y0)·zoom` (a crop of the photo, enlarged).
    pub fn zoomed(&self, zoom: f64, x0: f64, y0: f64) -> Transform {
        let m = self.matrix();
        Transform::Homography([
            zoom * (m[0] - x0 * m[6]),
            zoom * (m[1] - x0 * m[7]),
            zoom * (m[2] - x0 * m[8]),
            zoom * (m[3] - y0 * m[6]),
            zoom * (m[4] - y0 * m[7]),
            zoom * (m[5] - y0 * m[8]),
            m[6],
            m[7],
            m[8],
        ])
    }
    /// The kind's name.
    pub fn kind(&self) -> &'static str {
        match self {
            Transform::Similarity(_) => "similarity",
            Transform::Affine(_) => "affine",
            Transform::Homography(_) => "perspective",
        }
    }
}

/// Weighted least-squares similarity in which some marks count only across a line: mark `k` weighs
/// `weights[k]` (1/σ²), and where `across[k]` is a unit direction of the picture plane, only the part of its
/// residual along that direction (as the fitted rotation turns it onto the photo) counts; the part at right
/// angles is free. Used for the ends of the head's outline, whose place along the outline says nothing.
/// The rotation and the directions are found together by a few rounds from the fit that holds every mark.
pub fn fit_similarity_across(
    src: &[[f64; 2]],
    dst: &[[f64; 2]],
    weights: &[f64],
    across: &[Option<[f64; 2]>],
) -> Option<Transform> {
    let rows_for = |t: Option<[f64; 4]>| -> Vec<(Vec<f64>, f64)> {
        let mut rows = Vec::new();
        for k in 0..src.len() {
            let (s, d, w) = (src[k], dst[k], weights[k].max(0.0).sqrt());
            let ru = [s[0], -s[1], 1.0, 0.0];
            let rv = [s[1], s[0], 0.0, 1.0];
            match (across[k], t) {
                (Some(n), Some([a, b, _, _])) => {
                    let m = a.hypot(b).max(1e-12);
                    let (nx, ny) = ((a * n[0] - b * n[1]) / m, (b * n[0] + a * n[1]) / m);
                    let row = (0..4).map(|i| w * (nx * ru[i] + ny * rv[i])).collect();
                    rows.push((row, w * (nx * d[0] + ny * d[1])));
                }
                _ => {
                    rows.push((ru.iter().map(|c| w * c).collect(), w * d[0]));
                    rows.push((rv.iter().map(|c| w * c).collect(), w * d[1]));
                }
            }
        }
        rows
    };
    let mut x = least_squares(&rows_for(None), 4)?;
    if across.iter().any(Option::is_some) {
        for _ in 0..6 {
            let next = least_squares(&rows_for(Some([x[0], x[1], x[2], x[3]])), 4)?;
            let moved = (0..4).map(|i| (next[i] - x[i]).abs()).fold(0.0, f64::max);
            x = next;
            if moved < 1e-9 {
                break;
            }
        }
    }
    Some(Transform::Similarity([x[0], x[1], x[2], x[3]]))
}

/// Solves the least-squares problem `min |A x − b|` (rows of `A` with `n` columns) by normal equations.
pub(crate) fn least_squares(rows: &[(Vec<f64>, f64)], n: usize) -> Option<Vec<f64>> {
    let mut m = vec![vec![0.0; n + 1]; n];
    for (a, b) in rows {
        for i in 0..n {
            for j in 0..n {
                m[i][j] += a[i] * a[j];
            }
            m[i][n] += a[i] * b;
        }
    }
    // Gaussian elimination with partial pivoting.
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| m[i][c].abs().total_cmp(&m[j][c].abs()))?;
        if m[p][c].abs() < 1e-12 {
            return None;
        }
        m.swap(c, p);
        for r in 0..n {
            if r != c {
                let f = m[r][c] / m[c][c];
                let pivot = m[c].clone();
                for (x, &pk) in m[r][c..=n].iter_mut().zip(&pivot[c..=n]) {
                    *x -= f * pk;
                }
            }
        }
    }
    Some((0..n).map(|i| m[i][n] / m[i][i]).collect())
}

/// Similarity normalisation of a point set (centroid to 0, mean distance √2), as Hartley recommends.
fn normaliser(pts: &[[f64; 2]]) -> [f64; 3] {
    let n = pts.len() as f64;
    let cx = pts.iter().map(|p| p[0]).sum::<f64>() / n;
    let cy = pts.iter().map(|p| p[1]).sum::<f64>() / n;
    let md = pts
        .iter()
        .map(|p| (p[0] - cx).hypot(p[1] - cy))
        .sum::<f64>()
        / n;
    [
        if md > 0.0 {
            std::f64::consts::SQRT_2 / md
        } else {
            1.0
        },
        cx,
        cy,
    ]
}

/// Fits the transform for `n` correspondences (picture-plane mm → pixels): 2 similarity, 3 affine,
/// 4+ homography.
pub fn fit(src: &[[f64; 2]], dst: &[[f64; 2]]) -> Option<Transform> {
    let n = src.len();
    match n {
        0 | 1 => None,
        2 => fit_similarity(src, dst),
        3 => {
            let rows: Vec<_> = src
                .iter()
                .zip(dst)
                .flat_map(|(s, d)| {
                    [
                        (vec![s[0], s[1], 1.0, 0.0, 0.0, 0.0], d[0]),
                        (vec![0.0, 0.0, 0.0, s[0], s[1], 1.0], d[1]),
                    ]
                })
                .collect();
            let x = least_squares(&rows, 6)?;
            Some(Transform::Affine([x[0], x[1], x[2], x[3], x[4], x[5]]))
        }
        _ => {
            let [ks, sx, sy] = normaliser(src);
            let [kd, dx, dy] = normaliser(dst);
            let mut rows = Vec::new();
            for (s, d) in src.iter().zip(dst) {
                let (u, v) = ((s[0] - sx) * ks, (s[1] - sy) * ks);
                let (x, y) = ((d[0] - dx) * kd, (d[1] - dy) * kd);
                rows.push((vec![u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x], x));
                rows.push((vec![0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y], y));
            }
            let h = least_squares(&rows, 8)?;
            // Undo the normalisations: H = Td⁻¹ · Hn · Ts.
            let hn = [[h[0], h[1], h[2]], [h[3], h[4], h[5]], [h[6], h[7], 1.0]];
            let ts = [[ks, 0.0, -ks * sx], [0.0, ks, -ks * sy], [0.0, 0.0, 1.0]];
            let td_inv = [[1.0 / kd, 0.0, dx], [0.0, 1.0 / kd, dy], [0.0, 0.0, 1.0]];
            let mul = |a: [[f64; 3]; 3], b: [[f64; 3]; 3]| {
                let mut c = [[0.0; 3]; 3];
                for i in 0..3 {
                    for j in 0..3 {
                        c[i][j] = (0..3).map(|k| a[i][k] * b[k][j]).sum();
                    }
                }
                c
            };
            let m = mul(td_inv, mul(hn, ts));
            let s = m[2][2];
            Some(Transform::Homography([
                m[0][0] / s,
                m[0][1] / s,
                m[0][2] / s,
                m[1][0] / s,
                m[1][1] / s,
                m[1][2] / s,
                m[2][0] / s,
                m[2][1] / s,
                1.0,
            ]))
        }
    }
}

/// Least-squares similarity (rotation, uniform scale, shift) for two or more correspondences.
pub fn fit_similarity(src: &[[f64; 2]], dst: &[[f64; 2]]) -> Option<Transform> {
    let rows: Vec<_> = src
        .iter()
        .zip(dst)
        .flat_map(|(s, d)| {
            [
                (vec![s[0], -s[1], 1.0, 0.0], d[0]),
                (vec![s[1], s[0], 0.0, 1.0], d[1]),
            ]
        })
        .collect();
    let x = least_squares(&rows, 4)?;
    Some(Transform::Similarity([x[0], x[1], x[2], x[3]]))
}
