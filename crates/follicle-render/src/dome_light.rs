//! The light on a photographed head as a matte dome: ambient light plus one distant light falling on the
//! skin by Lambert's cosine law, `ambient + diffuse · max(0, n · l)` in the head's normal `n`, fitted to
//! the bare skin's luminance (`dome.rs` gives the normals and lights the skin under the clipped hair
//! with it). A first-order harmonic fit (`k0 + k · n`) was tried first: fitted to skin that mostly faces
//! the camera it fell off so steeply (a negative ambient) that every side turned more than 50° from the
//! camera sat at one floor, a flat patch again.

use follicle_core::Vec3;

/// Lowest light the fitted dome gives, as a share of the brightest it gives on the bare skin it was fitted
/// to (assumption: the room's light reaches a side turned away from the lamp, an indoor portrait's
/// shadow side rarely under a tenth of its lit side).
pub const AMBIENT_FLOOR: f64 = 0.1;
/// Fewest bare-skin working pixels the light is fitted to; with fewer the dome is not lit.
pub const MIN_SAMPLES: usize = 50;
/// Most samples read per fitting pass (every k-th beyond it).
const MAX_SAMPLES: usize = 4000;
/// Directions tried for the light (a Fibonacci sphere: about 6° apart).
const DIRECTIONS: usize = 1200;

/// The light on the head.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DomeLight {
    /// Light reaching every side (linear luminance).
    pub ambient: f64,
    /// Light of the one direction on skin facing it.
    pub diffuse: f64,
    /// Unit direction toward that light (head frame).
    pub dir: [f64; 3],
    /// Lowest luminance it gives ([`AMBIENT_FLOOR`] of its brightest on the fitted skin).
    pub floor: f64,
}

impl DomeLight {
    /// Fits the light to `samples` of bare skin: (normal, luminance, weight). Robust (iteratively
    /// reweighted, Tukey's biweight on the residual over 4.7 robust spreads), so a highlight or a shadowed
    /// fold does not pull it. `None` with fewer than [`MIN_SAMPLES`] samples.
    pub fn fit(samples: &[([f32; 3], f32, f32)]) -> Option<DomeLight> {
        if samples.len() < MIN_SAMPLES {
            return None;
        }
        let stride = samples.len().div_ceil(MAX_SAMPLES).max(1);
        let s: Vec<(Vec3, f64, f64)> = samples
            .iter()
            .step_by(stride)
            .filter(|s| s.1.is_finite() && s.2 > 0.0)
            .map(|s| {
                let n = Vec3::new(s.0[0] as f64, s.0[1] as f64, s.0[2] as f64);
                (n, s.1 as f64, s.2 as f64)
            })
            .collect();
        if s.len() < MIN_SAMPLES {
            return None;
        }
        let dirs: Vec<Vec3> = (0..DIRECTIONS)
            .map(|i| {
                let z = 1.0 - 2.0 * (i as f64 + 0.5) / DIRECTIONS as f64;
                let r = (1.0 - z * z).max(0.0).sqrt();
                let phi = i as f64 * std::f64::consts::PI * (3.0 - 5f64.sqrt());
                Vec3::new(r * phi.cos(), r * phi.sin(), z)
            })
            .collect();
        let mut wts: Vec<f64> = s.iter().map(|v| v.2).collect();
        let mut best = None;
        for _ in 0..5 {
            best = dirs
                .iter()
                .filter_map(|&l| {
                    let (ka, kd) = lsq(&s, &wts, l)?;
                    let ss: f64 = s
                        .iter()
                        .zip(&wts)
                        .map(|(v, w)| w * (v.1 - ka - kd * v.0.dot(l).max(0.0)).powi(2))
                        .sum();
                    Some((ss, ka, kd, l))
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            let (_, ka, kd, l) = best?;
            let res: Vec<f64> = s
                .iter()
                .map(|v| v.1 - ka - kd * v.0.dot(l).max(0.0))
                .collect();
            let mut abs: Vec<f64> = res.iter().map(|r| r.abs()).collect();
            abs.sort_by(|a, b| a.total_cmp(b));
            let spread = (1.4826 * abs[abs.len() / 2]).max(1e-4);
            for ((w, r), v) in wts.iter_mut().zip(&res).zip(&s) {
                let u = r / (4.685 * spread);
                *w = if u.abs() < 1.0 {
                    v.2 * (1.0 - u * u).powi(2)
                } else {
                    0.0
                };
            }
        }
        let (_, ambient, diffuse, l) = best?;
        let top = s
            .iter()
            .map(|v| ambient + diffuse * v.0.dot(l).max(0.0))
            .fold(f64::MIN, f64::max);
        (top > 0.0).then_some(DomeLight {
            ambient,
            diffuse,
            dir: [l.x, l.y, l.z],
            floor: AMBIENT_FLOOR * top,
        })
    }

    /// Fits the light to the bare skin of a working picture: its pixels' luminance `lum` where the `bare`
    /// probability is over 0.7 (weighted by it), with their `normal`.
    pub fn fit_bare(lum: &[f32], bare: &[f32], normal: &[[f32; 3]]) -> Option<DomeLight> {
        let n = bare.len().min(lum.len()).min(normal.len());
        let samples: Vec<([f32; 3], f32, f32)> = (0..n)
            .filter(|&i| bare[i] > 0.7)
            .map(|i| (normal[i], lum[i], bare[i]))
            .collect();
        DomeLight::fit(&samples)
    }

    /// Luminance of the skin where the head's normal is `n`.
    #[inline]
    pub fn at(&self, n: [f32; 3]) -> f32 {
        let c = (self.dir[0] * n[0] as f64 + self.dir[1] * n[1] as f64 + self.dir[2] * n[2] as f64)
            .max(0.0);
        (self.ambient + self.diffuse * c).max(self.floor) as f32
    }
}

/// Weighted least squares of luminance = ambient + diffuse · max(0, n · l) for one direction `l`, both
/// terms at least 0; `None` when the direction lights none of the samples.
fn lsq(s: &[(Vec3, f64, f64)], w: &[f64], l: Vec3) -> Option<(f64, f64)> {
    let (mut sw, mut sc, mut scc, mut sy, mut scy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (v, &wi) in s.iter().zip(w) {
        let c = v.0.dot(l).max(0.0);
        sw += wi;
        sc += wi * c;
        scc += wi * c * c;
        sy += wi * v.1;
        scy += wi * c * v.1;
    }
    if sw <= 0.0 || scc <= 1e-9 {
        return None;
    }
    let det = sw * scc - sc * sc;
    let (mut ka, mut kd) = if det.abs() > 1e-12 {
        ((scc * sy - sc * scy) / det, (sw * scy - sc * sy) / det)
    } else {
        (sy / sw, 0.0)
    };
    if ka < 0.0 {
        (ka, kd) = (0.0, scy / scc);
    }
    if kd < 0.0 {
        (ka, kd) = (sy / sw, 0.0);
    }
    Some((ka, kd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lambert_dome_is_recovered_from_its_lit_side_and_darkens_where_it_turns_away() {
        // A dome lit from the front-left-above: the fit sees only normals facing the camera and up (the
        // bare top and forehead), with a highlight on some of them, and must darken the turned-away side.
        let light = Vec3::new(-0.5, 0.6, 0.62).normalized();
        let mut s = Vec::new();
        for i in 0..400 {
            let az = -1.2 + 2.4 * (i % 20) as f64 / 19.0;
            let el = 0.2 + 1.2 * (i / 20) as f64 / 19.0;
            let n = Vec3::new(az.sin() * el.cos(), az.cos() * el.cos(), el.sin());
            let mut y = 0.1 + 0.5 * n.dot(light).max(0.0);
            if i % 37 == 0 {
                y = 0.95; // highlight
            }
            s.push(([n.x as f32, n.y as f32, n.z as f32], y as f32, 1.0));
        }
        let d = DomeLight::fit(&s).unwrap();
        assert!((d.ambient - 0.1).abs() < 0.03, "{d:?}");
        assert!((d.diffuse - 0.5).abs() < 0.06, "{d:?}");
        let lit = d.at([-0.9, 0.3, 0.3]);
        let away = d.at([0.9, 0.3, 0.3]);
        assert!(away < 0.6 * lit, "lit {lit}, turned away {away}");
        assert!(away >= d.floor as f32);
        // Too few samples: no light fitted.
        assert!(DomeLight::fit(&s[..10]).is_none());
    }
}
