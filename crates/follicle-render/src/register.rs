//! Photo registration: the landmarks a user marks on a photo (pixel positions of named head landmarks) are
//! matched with the plan's 3D landmarks seen by a frontal camera, and a 2D transform from that camera's
//! picture plane to the photo is fitted by least squares: similarity (2 landmarks), affine (3) or
//! perspective homography (4 or more). The residual is reported in millimetres; fits that leave large
//! residuals, mirror the face, or stretch it implausibly are refused.
//!
//! The landmarks file (TOML):
//!
//! ```toml
//! # pixel positions (x right, y down) in the photo as displayed, i.e. after EXIF rotation
//! [landmarks]
//! glabella = [1012, 1480]
//! mid_frontal = [1018, 1010]
//! frontotemporal_left = [1350, 1105]
//! frontotemporal_right = [690, 1100]
//! [regions]            # optional: rectangles [x0, y0, x1, y1] to sample colours from
//! skin = [900, 1200, 1100, 1300]
//! hair = [300, 900, 380, 980]
//! ```

use follicle_core::{Plan, Vec3};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Largest accepted RMS landmark residual, mm (about a landmark's marking uncertainty on a photo).
pub const MAX_RESIDUAL_MM: f64 = 4.0;
/// Largest accepted ratio of an affine fit's two scales (a photo is not stretched).
pub const MAX_ANISOTROPY: f64 = 1.35;
/// Default distance of the frontal reference camera from the glabella, mm (a consultation photo).
pub const FRONTAL_DISTANCE_MM: f64 = 1000.0;

/// Why landmarks cannot register a photo.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The landmarks file is not valid TOML of the expected shape.
    #[error("landmarks file: {0}")]
    Syntax(String),
    /// A named value is wrong; `field` names it.
    #[error("landmarks file, {field}: {message}")]
    Field {
        /// Dotted path of the value.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Too few landmarks.
    #[error("at least 2 landmarks are needed to register a photo, {0} given")]
    TooFew(usize),
    /// Too few landmarks for this view of the head.
    #[error("a {view} photo needs at least {needed} marks of: {names}; {given} given")]
    TooFewForView {
        /// The view's name.
        view: &'static str,
        /// Marks given.
        given: usize,
        /// Marks needed.
        needed: usize,
        /// The landmarks of the view.
        names: String,
    },
    /// The fitted transform is not a plausible photo of this head.
    #[error("the landmarks don't fit the head: {0}")]
    Implausible(String),
    /// The landmarks disagree with the head by more than the limit.
    #[error("the landmarks don't fit the head: residual {rms_mm:.1} mm RMS (worst `{worst}` {worst_mm:.1} mm) exceeds {limit_mm:.1} mm; {}", culprit_text(culprit))]
    Residual {
        /// RMS residual, mm.
        rms_mm: f64,
        /// The landmark with the largest residual.
        worst: String,
        /// Its residual, mm.
        worst_mm: f64,
        /// The limit, mm.
        limit_mm: f64,
        /// Leave-one-out: the landmark without which the others fit within the limit, with the others'
        /// RMS residual and how far (mm) it lies from where they put it.
        culprit: Option<(String, f64, f64)>,
        /// Per landmark residual of the refused fit, mm.
        residuals: Vec<(String, f64)>,
    },
}

/// Why marks that all lie on one line on the photo cannot be fitted.
const ONE_LINE: &str = "the marks lie on one line (or on one point) on the photo, so they cannot place the head; mark each landmark where it is on the face";

/// The advice of a residual error.
fn culprit_text(c: &Option<(String, f64, f64)>) -> String {
    match c {
        Some((name, rms, off)) => format!(
            "without `{name}` the others fit within {rms:.1} mm and put it {off:.1} mm from where it is marked: check `{name}`"
        ),
        None => "check each landmark's position and name".into(),
    }
}

/// The marks read from a landmarks file.
#[derive(Clone, Debug, PartialEq)]
pub struct Marks {
    /// (landmark name, pixel x, pixel y), in file order by name.
    pub points: Vec<(String, [f64; 2])>,
    /// Optional skin sample rectangle `[x0, y0, x1, y1]`.
    pub skin: Option<[f64; 4]>,
    /// Optional hair sample rectangle.
    pub hair: Option<[f64; 4]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarksToml {
    /// Which view the photo is (`front` when absent).
    #[serde(default)]
    view: Option<String>,
    landmarks: BTreeMap<String, [f64; 2]>,
    #[serde(default)]
    regions: BTreeMap<String, [f64; 4]>,
}

/// Reads a landmarks file; names are checked against the plan's landmarks.
pub fn parse_marks(text: &str, plan: &Plan) -> Result<Marks, RegisterError> {
    parse_marks_and_view(text, plan).map(|(m, _)| m)
}

/// Reads a landmarks file with its optional `view = "left"` key (which view the photo is).
pub fn parse_marks_and_view(
    text: &str,
    plan: &Plan,
) -> Result<(Marks, Option<crate::views::PhotoView>), RegisterError> {
    let doc: MarksToml = toml::from_str(text).map_err(|e| RegisterError::Syntax(e.to_string()))?;
    let view = match &doc.view {
        None => None,
        Some(v) => Some(
            crate::views::PhotoView::parse(v).ok_or_else(|| RegisterError::Field {
                field: "view".into(),
                message: format!(
                    "`{v}` is not a view; the views are {}",
                    crate::views::PhotoView::names()
                ),
            })?,
        ),
    };
    let known: Vec<&str> = crate::views::points(plan).iter().map(|(n, _)| *n).collect();
    let mut points = Vec::new();
    for (name, xy) in doc.landmarks {
        if !known.contains(&name.as_str()) {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: format!("unknown landmark; known: {}", known.join(", ")),
            });
        }
        if !xy.iter().all(|v| v.is_finite() && *v >= 0.0) {
            return Err(RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: "pixel positions must be finite and non-negative".into(),
            });
        }
        points.push((name, xy));
    }
    let mut skin = None;
    let mut hair = None;
    for (name, r) in doc.regions {
        if !(r[2] > r[0] && r[3] > r[1] && r[0] >= 0.0 && r[1] >= 0.0) {
            return Err(RegisterError::Field {
                field: format!("regions.{name}"),
                message: "a region is [x0, y0, x1, y1] with x1 > x0 and y1 > y0".into(),
            });
        }
        match name.as_str() {
            "skin" => skin = Some(r),
            "hair" => hair = Some(r),
            _ => {
                return Err(RegisterError::Field {
                    field: format!("regions.{name}"),
                    message: "regions are `skin` and `hair`".into(),
                })
            }
        }
    }
    Ok((Marks { points, skin, hair }, view))
}

/// The reference camera: looks at the glabella from `distance_mm` away, straight from the front when
/// `yaw_rad` and `pitch_rad` are 0, or from a turned and tilted direction (a client who turned their head
/// a little for the photo). Its picture plane is in millimetres at the glabella's depth (x toward the
/// client's left when frontal, as in a photo; y down).
#[derive(Clone, Copy, Debug)]
pub struct Frontal {
    /// Eye position (head frame).
    pub eye: Vec3,
    /// Distance eye–glabella, mm.
    pub distance_mm: f64,
    /// Turn of the camera around the head's vertical axis toward the client's right, radians.
    pub yaw_rad: f64,
    /// Tilt of the camera above the glabella's level, radians.
    pub pitch_rad: f64,
    back: Vec3,
    right: Vec3,
    down: Vec3,
}

impl Frontal {
    /// The frontal camera of a plan's head.
    pub fn new(plan: &Plan, distance_mm: f64) -> Frontal {
        Frontal::posed(plan, distance_mm, 0.0, 0.0)
    }
    /// A camera turned by `yaw_rad` (toward the client's right) and tilted by `pitch_rad` (from above).
    pub fn posed(plan: &Plan, distance_mm: f64, yaw_rad: f64, pitch_rad: f64) -> Frontal {
        Frontal::at_glabella(plan.landmarks.glabella, distance_mm, yaw_rad, pitch_rad)
    }
    /// A camera looking at `target` from `distance_mm` away along `back` (unit, from the head toward the
    /// eye) with `up` as the picture's up (unit, across `back`), then turned by `yaw_rad` toward `back × up`
    /// and tilted by `pitch_rad` toward `up`: the reference camera of any photo view (`views`). With the
    /// glabella, `back` = +y and `up` = +z it is [`Frontal::at_glabella`].
    pub fn oriented(
        target: Vec3,
        distance_mm: f64,
        back: Vec3,
        up: Vec3,
        yaw_rad: f64,
        pitch_rad: f64,
    ) -> Frontal {
        let side = back.cross(up).normalized();
        let back = (back * (yaw_rad.cos() * pitch_rad.cos())
            + side * (yaw_rad.sin() * pitch_rad.cos())
            + up * pitch_rad.sin())
        .normalized();
        let right = up.cross(back).normalized();
        let down = right.cross(back);
        Frontal {
            eye: target + back * distance_mm,
            distance_mm,
            yaw_rad,
            pitch_rad,
            back,
            right,
            down,
        }
    }
    /// The point the camera looks at (the glabella for a front photo).
    pub fn target(&self) -> Vec3 {
        self.eye - self.back * self.distance_mm
    }
    /// Unit direction from the target toward the eye.
    pub fn back(&self) -> Vec3 {
        self.back
    }
    /// The same camera for a glabella alone (a design's landmarks, before any plan is computed).
    pub fn at_glabella(g: Vec3, distance_mm: f64, yaw_rad: f64, pitch_rad: f64) -> Frontal {
        let back = Vec3::new(
            yaw_rad.sin() * pitch_rad.cos(),
            yaw_rad.cos() * pitch_rad.cos(),
            pitch_rad.sin(),
        );
        let right = Vec3::new(0.0, 0.0, 1.0).cross(back).normalized();
        let down = right.cross(back);
        Frontal {
            eye: g + back * distance_mm,
            distance_mm,
            yaw_rad,
            pitch_rad,
            back,
            right,
            down,
        }
    }
    /// Picture-plane position (mm) and depth of `p`.
    #[inline]
    pub fn project(&self, p: Vec3) -> Option<(f64, f64, f64)> {
        let v = p - self.eye;
        let depth = -v.dot(self.back);
        if depth <= 1.0 {
            return None;
        }
        let k = self.distance_mm / depth;
        Some((v.dot(self.right) * k, v.dot(self.down) * k, depth))
    }
    /// Unit direction (head frame) of the ray from the eye through picture-plane point (`u`, `v`) mm.
    #[inline]
    pub fn ray(&self, u: f64, v: f64) -> Vec3 {
        (self.back * -self.distance_mm + self.right * u + self.down * v).normalized()
    }
}

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

/// A registration: the transform, its residuals and whether it was checked at all.
#[derive(Clone, Debug)]
pub struct Registration {
    /// Which view of the head the photo is.
    pub view: crate::views::PhotoView,
    /// The reference camera used (posed for the view; named `frontal` from when only front photos
    /// registered).
    pub frontal: Frontal,
    /// The fitted map.
    pub transform: Transform,
    /// RMS residual, mm.
    pub rms_mm: f64,
    /// Per landmark residual, mm.
    pub residuals: Vec<(String, f64)>,
    /// True when there were exactly as many landmarks as the transform needs (no redundancy, residual 0).
    pub exact: bool,
    /// Photo pixels per millimetre at the camera's target (the glabella on a front photo).
    pub px_per_mm: f64,
    /// Leave-one-out: the mark without which the others fit far better, when one stands out.
    pub culprit: Option<crate::views::Culprit>,
}

impl Registration {
    /// Photo position (pixels) and depth of a 3D point.
    #[inline]
    pub fn project(&self, p: Vec3) -> Option<(f64, f64, f64)> {
        let (u, v, z) = self.frontal.project(p)?;
        let (x, y) = self.transform.apply(u, v);
        Some((x, y, z))
    }
    /// The same registration on a crop of the photo whose top-left corner is (`x0`, `y0`), enlarged
    /// `zoom` times.
    pub fn zoomed(&self, zoom: f64, x0: f64, y0: f64) -> Registration {
        Registration {
            transform: self.transform.zoomed(zoom, x0, y0),
            px_per_mm: self.px_per_mm * zoom,
            ..self.clone()
        }
    }
}

/// Solves the least-squares problem `min |A x − b|` (rows of `A` with `n` columns) by normal equations.
fn least_squares(rows: &[(Vec<f64>, f64)], n: usize) -> Option<Vec<f64>> {
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
        2 => {
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

/// Largest head turn (yaw) the pose search tries, radians (35°).
const MAX_YAW: f64 = 0.61;
/// Largest head tilt (pitch) the pose search tries, radians (25°).
const MAX_PITCH: f64 = 0.44;

/// Registers a photo from marks: fits, measures residuals in mm, and refuses implausible fits.
///
/// First the straight-on camera with the transform the landmark count allows (similarity, affine,
/// perspective). When that fit is refused (a turned head reads as a stretched or sheared face) and at least
/// three landmarks are marked, the head's pose is searched instead: a camera turned and tilted around the
/// glabella, with a similarity (no stretch) onto the photo, chosen by the least residual.
pub fn register(
    plan: &Plan,
    marks: &Marks,
    frontal_distance_mm: f64,
    max_residual_mm: f64,
) -> Result<Registration, RegisterError> {
    let frontal = Frontal::new(plan, frontal_distance_mm);
    let straight = register_with(plan, marks, frontal, max_residual_mm, false);
    if straight.is_ok() || marks.points.len() < 3 {
        return straight;
    }
    // Pose search: coarse grid, then finer around the best.
    let rms_px = |yaw: f64, pitch: f64| -> f64 {
        let f = Frontal::posed(plan, frontal_distance_mm, yaw, pitch);
        correspondences(plan, marks, &f)
            .ok()
            .and_then(|(_, src, dst)| {
                let sim = fit_similarity(&src, &dst)?;
                Some(
                    src.iter()
                        .zip(&dst)
                        .map(|(s, d)| {
                            let (x, y) = sim.apply(s[0], s[1]);
                            (x - d[0]).powi(2) + (y - d[1]).powi(2)
                        })
                        .sum::<f64>(),
                )
            })
            .unwrap_or(f64::INFINITY)
    };
    let mut best = (f64::INFINITY, 0.0, 0.0);
    let mut step = 0.035;
    let (mut yc, mut pc, mut ry, mut rp) = (0.0, 0.0, MAX_YAW, MAX_PITCH);
    while step > 0.0005 {
        let (ny, np) = ((ry / step).round() as i32, (rp / step).round() as i32);
        for i in -ny..=ny {
            for j in -np..=np {
                let (yaw, pitch) = (yc + i as f64 * step, pc + j as f64 * step);
                if yaw.abs() > MAX_YAW || pitch.abs() > MAX_PITCH {
                    continue;
                }
                let e = rms_px(yaw, pitch);
                if e < best.0 {
                    best = (e, yaw, pitch);
                }
            }
        }
        (yc, pc, ry, rp) = (best.1, best.2, 2.0 * step, 2.0 * step);
        step /= 4.0;
    }
    if !best.0.is_finite() {
        return straight;
    }
    let posed = Frontal::posed(plan, frontal_distance_mm, best.1, best.2);
    register_with(plan, marks, posed, max_residual_mm, true).or(straight)
}

/// The marks as picture-plane points of camera `frontal` and photo pixels, with their names.
#[allow(clippy::type_complexity)]
fn correspondences(
    plan: &Plan,
    marks: &Marks,
    frontal: &Frontal,
) -> Result<(Vec<String>, Vec<[f64; 2]>, Vec<[f64; 2]>), RegisterError> {
    let named = crate::views::points(plan);
    let mut names = Vec::new();
    let mut src = Vec::new();
    let mut dst = Vec::new();
    for (name, xy) in &marks.points {
        let p = named
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| *p)
            .ok_or_else(|| RegisterError::Field {
                field: format!("landmarks.{name}"),
                message: "unknown landmark".into(),
            })?;
        let (u, v, _) = frontal.project(p).ok_or_else(|| RegisterError::Field {
            field: format!("landmarks.{name}"),
            message: "behind the camera".into(),
        })?;
        names.push(name.clone());
        src.push([u, v]);
        dst.push(*xy);
    }
    Ok((names, src, dst))
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

/// Fits and checks a registration for one camera (`similarity_only`: no stretch allowed at all).
pub(crate) fn register_with(
    plan: &Plan,
    marks: &Marks,
    frontal: Frontal,
    max_residual_mm: f64,
    similarity_only: bool,
) -> Result<Registration, RegisterError> {
    let (names, src, dst) = correspondences(plan, marks, &frontal)?;
    if src.len() < 2 {
        return Err(RegisterError::TooFew(src.len()));
    }
    let spread = src
        .iter()
        .map(|a| {
            src.iter()
                .map(|b| (a[0] - b[0]).hypot(a[1] - b[1]))
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max);
    let dspread = dst
        .iter()
        .map(|a| {
            dst.iter()
                .map(|b| (a[0] - b[0]).hypot(a[1] - b[1]))
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max);
    if spread < 20.0 || dspread < 8.0 {
        return Err(RegisterError::Implausible(
            "the landmarks are too close together to fix the scale".into(),
        ));
    }
    let t = if similarity_only {
        fit_similarity(&src, &dst)
    } else {
        fit(&src, &dst)
    }
    .ok_or_else(|| RegisterError::Implausible(ONE_LINE.into()))?;
    let g = frontal
        .project(frontal.target())
        .expect("the camera looks at its target");
    let j = t.jacobian(g.0, g.1);
    let px_per_mm = (j[0] * j[3] - j[1] * j[2]).abs().sqrt();
    let mut residuals = Vec::new();
    let mut ss = 0.0;
    for (k, s) in src.iter().enumerate() {
        let (x, y) = t.apply(s[0], s[1]);
        let j = t.jacobian(s[0], s[1]);
        let local = (j[0] * j[3] - j[1] * j[2]).abs().sqrt();
        // Marks on one line (or one point) on the photo: the fit flattens the head onto that line, where no
        // millimetre can be measured; say so instead of a residual of "inf mm".
        if !(local.is_finite() && local > 1e-6) {
            return Err(RegisterError::Implausible(ONE_LINE.into()));
        }
        let r = (x - dst[k][0]).hypot(y - dst[k][1]) / local;
        ss += r * r;
        residuals.push((names[k].clone(), r));
    }
    let rms_mm = (ss / src.len() as f64).sqrt();
    if !rms_mm.is_finite() {
        return Err(RegisterError::Implausible(ONE_LINE.into()));
    }
    // Exact: no more landmarks than the model has parameters (the residual says nothing about the marks).
    let exact = if similarity_only {
        src.len() <= 3
    } else {
        matches!(src.len(), 2..=4)
    };
    if rms_mm > max_residual_mm {
        let (worst, worst_mm) = residuals
            .iter()
            .cloned()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("non-empty");
        return Err(RegisterError::Residual {
            rms_mm,
            worst,
            worst_mm,
            limit_mm: max_residual_mm,
            culprit: leave_one_out(plan, marks, frontal, max_residual_mm, similarity_only),
            residuals,
        });
    }
    // Plausibility of the local map at every landmark: no mirror, no strong stretch.
    for (k, s) in src.iter().enumerate() {
        let [a, b, c, d] = t.jacobian(s[0], s[1]);
        let det = a * d - b * c;
        if det <= 0.0 {
            return Err(RegisterError::Implausible(format!(
                "the photo would be mirrored at `{}` (are left and right swapped?)",
                names[k]
            )));
        }
        // Singular values of the 2×2 map.
        let e = (a * a + b * b + c * c + d * d) / 2.0;
        let f = ((a * a + b * b - c * c - d * d).powi(2) / 4.0 + (a * c + b * d).powi(2)).sqrt();
        let (s1, s2) = ((e + f).sqrt(), (e - f).max(0.0).sqrt());
        if s2 <= 0.0 || s1 / s2 > MAX_ANISOTROPY {
            return Err(RegisterError::Implausible(format!(
                "the fit stretches the head {:.2}× more one way than the other at `{}`",
                s1 / s2.max(1e-12),
                names[k]
            )));
        }
    }
    Ok(Registration {
        view: crate::views::PhotoView::Front,
        frontal,
        transform: t,
        rms_mm,
        residuals,
        exact,
        px_per_mm,
        culprit: None,
    })
}

/// Leave-one-out over the marks: the landmark whose removal lets the others fit within the limit with
/// the least residual (only when the others still over-determine the fit, so their residual means
/// something), with that residual and its distance from where they put it, mm.
fn leave_one_out(
    plan: &Plan,
    marks: &Marks,
    frontal: Frontal,
    max_residual_mm: f64,
    similarity_only: bool,
) -> Option<(String, f64, f64)> {
    let needed = if similarity_only { 2 } else { 4 };
    if marks.points.len() < needed + 2 {
        return None;
    }
    let mut best: Option<(String, f64, f64)> = None;
    for k in 0..marks.points.len() {
        let mut rest = marks.clone();
        let (name, xy) = rest.points.remove(k);
        let Ok(r) = register_with(plan, &rest, frontal, max_residual_mm, similarity_only) else {
            continue;
        };
        let p = crate::views::points(plan)
            .into_iter()
            .find(|(n, _)| *n == name)?
            .1;
        let (x, y, _) = r.project(p)?;
        let off = (x - xy[0]).hypot(y - xy[1]) / r.px_per_mm;
        if best.as_ref().is_none_or(|b| r.rms_mm < b.1) {
            best = Some((name, r.rms_mm, off));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plan() -> &'static Plan {
        use std::sync::OnceLock;
        static P: OnceLock<Plan> = OnceLock::new();
        P.get_or_init(|| follicle_core::plan(&follicle_core::demo_design()).unwrap())
    }

    const NAMES: [&str; 6] = [
        "glabella",
        "mid_frontal",
        "frontotemporal_left",
        "frontotemporal_right",
        "lateral_canthus_left",
        "lateral_canthus_right",
    ];

    fn marks_for(t: &Transform, n: usize) -> Marks {
        let f = Frontal::new(plan(), FRONTAL_DISTANCE_MM);
        let named = plan().landmarks.named();
        let points = NAMES[..n]
            .iter()
            .map(|name| {
                let p = named.iter().find(|(m, _)| m == name).unwrap().1;
                let (u, v, _) = f.project(p).unwrap();
                let (x, y) = t.apply(u, v);
                (name.to_string(), [x, y])
            })
            .collect();
        Marks {
            points,
            skin: None,
            hair: None,
        }
    }

    proptest! {
        #[test]
        fn registration_recovers_a_known_transform(
            scale in 3.0f64..25.0, angle in -0.3f64..0.3, tx in 500.0f64..3000.0, ty in 500.0f64..3000.0,
            shear in -0.08f64..0.08, g in -6e-4f64..6e-4, h in -6e-4f64..6e-4, n in 2usize..=6,
        ) {
            let (c, s) = (angle.cos() * scale, angle.sin() * scale);
            let truth = match n {
                2 => Transform::Similarity([c, s, tx, ty]),
                3 => Transform::Affine([c, -s + shear * scale, tx, s, c, ty]),
                // Similarity after a mild perspective (w = 1 + g u + h v varies by a few % over the face).
                _ => Transform::Homography([c + tx * g, -s + tx * h, tx, s + ty * g, c + ty * h, ty, g, h, 1.0]),
            };
            let m = marks_for(&truth, n);
            let r = register(plan(), &m, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
            prop_assert!(r.rms_mm < 1e-6, "rms {}", r.rms_mm);
            // The fitted map agrees with the truth on every impression in view.
            let f = Frontal::new(plan(), FRONTAL_DISTANCE_MM);
            for imp in plan().impressions.iter().step_by(503) {
                let (u, v, _) = f.project(imp.p).unwrap();
                let a = truth.apply(u, v);
                let b = r.transform.apply(u, v);
                prop_assert!((a.0 - b.0).abs() < 1e-4 * scale * 100.0 && (a.1 - b.1).abs() < 1e-4 * scale * 100.0, "{a:?} vs {b:?}");
            }
            prop_assert!((r.px_per_mm / scale - 1.0).abs() < 0.15);
        }
    }

    #[test]
    fn marks_on_one_line_are_refused_in_words_never_as_inf_mm() {
        // The probe's six front marks on one horizontal line: the fit flattens the head onto the line.
        let mut m = marks_for(&Transform::Similarity([8.0, 0.0, 1500.0, 1500.0]), 6);
        for (k, p) in m.points.iter_mut().enumerate() {
            p.1 = [1000.0 + 80.0 * k as f64, 1200.0];
        }
        let e = register(plan(), &m, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, RegisterError::Implausible(_)), "{msg}");
        assert!(msg.contains("one line") && !msg.contains("inf"), "{msg}");
    }

    #[test]
    fn a_misplaced_landmark_is_refused_naming_a_landmark() {
        let truth = Transform::Similarity([8.0, 0.0, 1000.0, 1000.0]);
        let mut m = marks_for(&truth, 6);
        m.points[1].1[0] += 8.0 * 25.0; // mid_frontal marked 25 mm off the midline
        let e = register(plan(), &m, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("don't fit the head") && msg.contains('`'),
            "{msg}"
        );
        // Leave-one-out names the misplaced mark as the culprit, about 25 mm off.
        match e {
            RegisterError::Residual {
                culprit: Some((name, rms, off)),
                ..
            } => assert!(
                name == "mid_frontal" && rms < 0.5 && (20.0..30.0).contains(&off),
                "{name} {rms} {off}"
            ),
            other => panic!("{other}"),
        }
        assert!(msg.contains("check `mid_frontal`"), "{msg}");
        // With 3 landmarks the affine fit is exact: no residual can be measured, and the registration says so.
        let r = register(
            plan(),
            &marks_for(&truth, 3),
            FRONTAL_DISTANCE_MM,
            MAX_RESIDUAL_MM,
        )
        .unwrap();
        assert!(r.exact);
    }

    #[test]
    fn mirrored_and_degenerate_marks_are_refused() {
        let mirror = Transform::Affine([-8.0, 0.0, 2000.0, 0.0, 8.0, 1000.0]);
        let e = register(
            plan(),
            &marks_for(&mirror, 3),
            FRONTAL_DISTANCE_MM,
            MAX_RESIDUAL_MM,
        )
        .unwrap_err();
        assert!(e.to_string().contains("mirrored"), "{e}");
        let one = marks_for(&Transform::Similarity([8.0, 0.0, 0.0, 0.0]), 1);
        assert!(matches!(
            register(plan(), &one, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM),
            Err(RegisterError::TooFew(1))
        ));
        let mut same = marks_for(&Transform::Similarity([8.0, 0.0, 0.0, 0.0]), 2);
        same.points[1].1 = same.points[0].1;
        assert!(register(plan(), &same, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).is_err());
    }

    #[test]
    fn landmarks_file_errors_name_the_field() {
        let bad = "[landmarks]\nglabela = [1.0, 2.0]\n";
        let e = parse_marks(bad, plan()).unwrap_err().to_string();
        assert!(
            e.contains("landmarks.glabela") && e.contains("known"),
            "{e}"
        );
        assert!(parse_marks("[landmarks]\nglabella = [1.0]\n", plan()).is_err());
        let region = "[landmarks]\nglabella = [1.0, 2.0]\n[regions]\nskin = [5.0, 5.0, 1.0, 1.0]\n";
        assert!(parse_marks(region, plan())
            .unwrap_err()
            .to_string()
            .contains("regions.skin"));
        let ok = "[landmarks]\nglabella = [1.0, 2.0]\nmid_frontal = [1.0, 9.0]\n[regions]\nskin = [1.0, 1.0, 5.0, 5.0]\n";
        let m = parse_marks(ok, plan()).unwrap();
        assert_eq!(m.points.len(), 2);
        assert_eq!(m.skin, Some([1.0, 1.0, 5.0, 5.0]));
    }

    #[test]
    fn inverse_and_zoom_agree_with_the_map() {
        for t in [
            Transform::Similarity([3.0, 0.4, 100.0, 50.0]),
            Transform::Affine([3.0, 0.2, 10.0, -0.1, 2.8, 40.0]),
            Transform::Homography([3.0, 0.1, 10.0, 0.2, 2.9, 5.0, 1e-4, -2e-4, 1.0]),
        ] {
            let inv = t.inverse().unwrap();
            let z = t.zoomed(4.0, 20.0, 30.0);
            for (u, v) in [(0.0, 0.0), (55.0, -80.0), (-120.0, 33.0)] {
                let (x, y) = t.apply(u, v);
                let (a, b) = inv.apply(x, y);
                assert!((a - u).abs() < 1e-6 && (b - v).abs() < 1e-6, "{t:?}");
                let (zx, zy) = z.apply(u, v);
                assert!(
                    (zx - (x - 20.0) * 4.0).abs() < 1e-6 && (zy - (y - 30.0) * 4.0).abs() < 1e-6
                );
            }
        }
        assert!(Transform::Affine([1.0, 2.0, 0.0, 2.0, 4.0, 0.0])
            .inverse()
            .is_none());
    }
}
