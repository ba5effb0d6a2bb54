//! The head's outline as a second witness of a top, side or back photo's pose. Those views are registered
//! by a few marks (ear tops, vertex, nape, the back of the skull), and the head's tilt is poorly held by
//! them: tilting the head shortens one axis of the picture by the cosine of the tilt, so marks 4 mm off
//! (the ear tops marked at the outline's widest, where the eye sees them from above, not where the ear
//! joins the head) fit the head tilted 25° better than upright (outside test s38, the mannequin's own top
//! view: 0.42 mm RMS at −25°, 3.35 mm upright; the outline then reached onto the wall and pigment onto the
//! forehead).
//!
//! When the fit from the marks alone places [`OUTLINE_ON_BACKDROP`] or more of the head on the photo's
//! backdrop (`scalp_backdrop`, read from the photo's border), the turn and tilt are searched again with the
//! backdrop the head would cover as a cost beside the marks' residual, and the new pose is kept when it
//! fits the marks within the limit and puts less of the head on the backdrop. A photo whose backdrop cannot
//! be read (too little border outside the head, or a wall the colour of skin) keeps the marks' fit.

use super::{pose_similarity, search_pose, PhotoView, MAX_POSE_RAD};
use crate::client::OUTLINE_ON_BACKDROP;
use crate::photo::Photo;
use crate::register::{Frontal, Marks, RegisterError, Registration};
use follicle_core::{Plan, Vec3};

/// Share of the head's visible surface that may lie on the backdrop before it counts against a pose: a
/// real head is not the plan's two half-ellipsoids (the mannequin with true marks reads 0 %).
const FREE_SHARE: f64 = 0.01;
/// Weight of the head's surface on the backdrop past [`FREE_SHARE`] against the marks' mean squared
/// residual, mm² per unit share: 1 % more of the head on the wall costs as much as every mark 3.2 mm
/// further off (the marks' fit is trusted to a few millimetres, the outline to a few percent).
const OVERREACH_MM2: f64 = 2000.0;
/// How many times more of the border's colours than of the head's a colour must make up to be the wall's.
const BORDER_OVER_HEAD: f64 = 4.0;
/// Longest side of the working picture the backdrop is read on, pixels.
const WORK_SIDE: usize = 200;
/// Points sampled on the upper half of the head's surface (a Fibonacci half-sphere mapped onto it).
const SAMPLES: usize = 3000;

/// The photo's backdrop, pixel by pixel, on a working picture.
struct Wall {
    w: usize,
    h: usize,
    step: f64,
    is_wall: Vec<bool>,
}

impl Wall {
    /// Whether photo pixel (`x`, `y`) is the backdrop's; `None` off the picture.
    fn at(&self, x: f64, y: f64) -> Option<bool> {
        let (i, j) = ((x / self.step).floor(), (y / self.step).floor());
        if i < 0.0 || j < 0.0 || i >= self.w as f64 || j >= self.h as f64 {
            return None;
        }
        Some(self.is_wall[j as usize * self.w + i as usize])
    }
}

/// Points on the upper half of the plan's head (above the ears, where the design lies) with their outward
/// normals: the lower half stands for the face, ears and neck, narrower than it on a side or back photo.
fn surface(plan: &Plan) -> Vec<(Vec3, Vec3)> {
    let hd = &plan.head;
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    (0..SAMPLES)
        .map(|k| {
            let z = 1.0 - (k as f64 + 0.5) / SAMPLES as f64;
            let r = (1.0 - z * z).sqrt();
            let (x, y) = ((golden * k as f64).cos() * r, (golden * k as f64).sin() * r);
            let c = hd.c_up;
            let p = hd.centre + Vec3::new(hd.a * x, hd.b * y, c * z);
            let n = Vec3::new(x / hd.a, y / hd.b, z / c).normalized();
            (p, n)
        })
        .collect()
}

/// Share (0–1) of the picture of the head's surface facing camera `f`, placed on the photo by `t`, that
/// lands on the backdrop (of what lands on the picture).
fn share_on_wall(
    pts: &[(Vec3, Vec3)],
    f: &Frontal,
    t: &crate::register::Transform,
    wall: &Wall,
) -> f64 {
    // Each sample weighs the area it covers on the picture (its surface patch times the cosine of its
    // turn from the camera), so the outline's rim, where samples crowd, counts no more than it shows.
    let (mut on, mut n) = (0.0, 0.0);
    for &(p, nrm) in pts {
        let to_eye = f.eye - p;
        let facing = nrm.dot(to_eye) / to_eye.dot(to_eye).sqrt();
        if facing <= 0.0 {
            continue;
        }
        let Some((u, v, _)) = f.project(p) else {
            continue;
        };
        let (x, y) = t.apply(u, v);
        if let Some(w) = wall.at(x, y) {
            n += facing;
            if w {
                on += facing;
            }
        }
    }
    if n <= 0.0 {
        0.0
    } else {
        on / n
    }
}

/// Reads the backdrop of `photo` around the head `first` places: the border bands outside it, less the
/// head's own colours (`scalp_backdrop::Backdrop`). None when it cannot be read.
fn read_wall(photo: &Photo, pts: &[(Vec3, Vec3)], first: &Registration) -> Option<Wall> {
    // Scaled down before it is turned to linear light (a 12-megapixel photo in linear light is 144 MB).
    let (small, scale) = photo.downscaled(WORK_SIDE);
    let work = small.to_linear();
    let (w, h) = (work.w, work.h);
    let stepf = 1.0 / scale;
    // The head as `first` places it: the working pixels its visible surface samples land on, grown by a
    // pixel (the samples are a few pixels apart).
    let mut inside = vec![false; w * h];
    for &(p, nrm) in pts {
        if nrm.dot(first.frontal.eye - p) <= 0.0 {
            continue;
        }
        let Some((u, v, _)) = first.frontal.project(p) else {
            continue;
        };
        let (x, y) = first.transform.apply(u, v);
        let (i, j) = ((x / stepf).floor() as i64, (y / stepf).floor() as i64);
        for dj in -2..=2 {
            for di in -2..=2 {
                let (a, b) = (i + di, j + dj);
                if a >= 0 && b >= 0 && (a as usize) < w && (b as usize) < h {
                    inside[b as usize * w + a as usize] = true;
                }
            }
        }
    }
    let mut chans: [Vec<f32>; 3] = Default::default();
    for (i, _) in inside.iter().enumerate().filter(|(_, &c)| c) {
        for (k, c) in chans.iter_mut().enumerate() {
            c.push(work.px[i][k]);
        }
    }
    if chans[0].is_empty() {
        return None;
    }
    let head = chans.map(|mut c| {
        c.sort_by(f32::total_cmp);
        c[c.len() / 2]
    });
    let band = (w.max(h) / 50).max(2);
    let backdrop =
        crate::scalp_backdrop::Backdrop::read(&work.px, w, h, band, head, |i| !inside[i])?;
    // A colour is the wall's where the border holds it far more than the head does: the face or the neck
    // reaching a border band (a top photo tilted shows the face at its top edge) brings the head's own
    // shaded skin into the border's colours, which the head holds as much.
    let held = crate::scalp_backdrop::Backdrop::of(
        inside
            .iter()
            .zip(&work.px)
            .filter(|(&c, _)| c)
            .map(|(_, &p)| p),
    );
    let is_wall: Vec<bool> = work
        .px
        .iter()
        .map(|&c| backdrop.has(c) && backdrop.share(c) > BORDER_OVER_HEAD * held.share(c))
        .collect();
    // A wall the colour of skin: most of the head reads as backdrop, and nothing can be taken from it.
    let n_in = inside.iter().filter(|&&c| c).count();
    let n_wall = inside
        .iter()
        .zip(&is_wall)
        .filter(|(&c, &wl)| c && wl)
        .count();
    if n_wall as f64 >= crate::scalp_backdrop::MAX_HEAD_SHARE * n_in as f64 {
        return None;
    }
    Some(Wall {
        w,
        h,
        step: stepf,
        is_wall,
    })
}

/// `first` (the marks' fit of a top, side or back photo), or the pose found again with the head's outline
/// as a second witness when `first` places [`OUTLINE_ON_BACKDROP`] or more of the head on the backdrop
/// (module docs).
pub(super) fn with_outline(
    plan: &Plan,
    view: PhotoView,
    marks: &Marks,
    photo: &Photo,
    first: Registration,
    max_residual_mm: f64,
) -> Registration {
    let pts = surface(plan);
    let Some(wall) = read_wall(photo, &pts, &first) else {
        return first;
    };
    let before = share_on_wall(&pts, &first.frontal, &first.transform, &wall);
    if before < OUTLINE_ON_BACKDROP || first.px_per_mm <= 0.0 {
        return first;
    }
    let n = marks.points.len().max(1) as f64;
    let px2_per_mm2 = first.px_per_mm * first.px_per_mm;
    let cost = |yaw: f64, pitch: f64| {
        let f = view.camera(plan, yaw, pitch);
        let Some((t, px2)) = pose_similarity(plan, view, marks, &f) else {
            return f64::INFINITY;
        };
        let overreach = (share_on_wall(&pts, &f, &t, &wall) - FREE_SHARE).max(0.0);
        px2 / px2_per_mm2 / n + OVERREACH_MM2 * overreach
    };
    let (err, yaw, pitch) = search_pose(cost);
    if !err.is_finite() || yaw.abs() > MAX_POSE_RAD - 0.01 || pitch.abs() > MAX_POSE_RAD - 0.01 {
        return first;
    }
    let again: Result<Registration, RegisterError> = super::mark_fit::registration(
        plan,
        view,
        marks,
        view.camera(plan, yaw, pitch),
        max_residual_mm,
    );
    match again {
        Ok(mut r) if share_on_wall(&pts, &r.frontal, &r.transform, &wall) < before => {
            r.culprit = super::leave_one_out(plan, view, marks, max_residual_mm, r.rms_mm);
            r
        }
        _ => first,
    }
}
