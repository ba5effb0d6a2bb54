//! Density heat map: achieved impressions per cm² over the head after each session, painted on a neutral
//! mannequin from above and from behind, with a labelled colour scale, so thin or over-dense areas show at a
//! glance.

use crate::camera::View;
use crate::font::draw_text;
use crate::mannequin::{Appearance, Mannequin};
use crate::preview::camera_for;
use crate::raster::LinearImage;
use follicle_core::{Plan, Vec3};
use std::collections::HashMap;

/// Radius of the disc over which density is counted, mm (a few impression spacings).
pub const KERNEL_MM: f64 = 6.0;

/// Impressions per cm² around points, counted over a disc of `KERNEL_MM` with a smooth (Epanechnikov)
/// weight, from a hash grid of impression positions.
pub struct DensityProbe {
    cells: HashMap<(i32, i32, i32), Vec<Vec3>>,
}

impl DensityProbe {
    /// Indexes the impressions of `plan` up to session `k`.
    pub fn new(plan: &Plan, k: usize) -> Self {
        let mut cells: HashMap<(i32, i32, i32), Vec<Vec3>> = HashMap::new();
        for m in plan.impressions.iter().filter(|m| m.session <= k) {
            cells.entry(key(m.p)).or_default().push(m.p);
        }
        Self { cells }
    }

    /// Density at surface point `p`, impressions per cm².
    pub fn at(&self, p: Vec3) -> f64 {
        let (i, j, k) = key(p);
        let r2 = KERNEL_MM * KERNEL_MM;
        let mut acc = 0.0;
        for di in -1..=1 {
            for dj in -1..=1 {
                for dk in -1..=1 {
                    if let Some(v) = self.cells.get(&(i + di, j + dj, k + dk)) {
                        for q in v {
                            let d2 = q.dist(p).powi(2);
                            if d2 < r2 {
                                acc += 1.0 - d2 / r2;
                            }
                        }
                    }
                }
            }
        }
        // ∫ (1 − r²/R²) dA over the disc = π R² / 2.
        acc / (std::f64::consts::PI * r2 / 2.0) * 100.0
    }
}

fn key(p: Vec3) -> (i32, i32, i32) {
    (
        (p.x / KERNEL_MM).floor() as i32,
        (p.y / KERNEL_MM).floor() as i32,
        (p.z / KERNEL_MM).floor() as i32,
    )
}

/// Spacing of the pixels where the density is counted; the pixels between are interpolated from them
/// (the counting disc, 12 mm across, spans many pixels, so the picture is the same and 9× cheaper).
const GRID: usize = 3;

/// The density at every scalp point of a `w`-wide picture (`pts`, None off the scalp): counted at every
/// `GRID`-th pixel and interpolated bilinearly between those on the scalp; counted directly where no
/// neighbouring grid pixel is on the scalp.
fn sampled_density(probe: &DensityProbe, pts: &[Option<Vec3>], w: usize) -> Vec<Option<f64>> {
    let h = pts.len() / w;
    let (gw, gh) = ((w - 1) / GRID + 2, (h - 1) / GRID + 2);
    let grid: Vec<Option<f64>> = (0..gw * gh)
        .map(|j| {
            let (x, y) = ((j % gw) * GRID, (j / gw) * GRID);
            (x < w && y < h)
                .then(|| pts[y * w + x].map(|p| probe.at(p)))
                .flatten()
        })
        .collect();
    (0..pts.len())
        .map(|i| {
            let p = pts[i]?;
            let (x, y) = (i % w, i / w);
            let (gx, gy) = (x / GRID, y / GRID);
            let (fx, fy) = (
                (x % GRID) as f64 / GRID as f64,
                (y % GRID) as f64 / GRID as f64,
            );
            let (mut acc, mut wsum) = (0.0, 0.0);
            for (dx, dy, wt) in [
                (0, 0, (1.0 - fx) * (1.0 - fy)),
                (1, 0, fx * (1.0 - fy)),
                (0, 1, (1.0 - fx) * fy),
                (1, 1, fx * fy),
            ] {
                if let Some(v) = grid[(gy + dy) * gw + gx + dx] {
                    acc += v * wt;
                    wsum += wt;
                }
            }
            Some(if wsum > 1e-6 { acc / wsum } else { probe.at(p) })
        })
        .collect()
}

/// Viridis-like perceptual colour scale at `t` in 0–1 (linear RGB).
pub fn scale_colour(t: f64) -> [f32; 3] {
    const STOPS: [[f64; 3]; 6] = [
        [68.0, 1.0, 84.0],
        [65.0, 68.0, 135.0],
        [42.0, 120.0, 142.0],
        [34.0, 168.0, 132.0],
        [122.0, 209.0, 81.0],
        [253.0, 231.0, 37.0],
    ];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let c = [0, 1, 2].map(|k| (STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f) as u8);
    crate::color::lin_from_srgb8(c)
}

/// The heat map: one column per session (cumulative), rows from above and from behind, panels `panel`
/// pixels square, and a colour scale in impressions/cm².
pub fn heat_map(plan: &Plan, panel: usize) -> LinearImage {
    let n = plan.sessions.len().max(1);
    let top = plan
        .zones
        .iter()
        .map(|z| z.spec.target_density_cm2())
        .fold(0.0, f64::max);
    let vmax = ((top * 1.3 / 20.0).ceil() * 20.0).max(20.0);
    let scale = (panel / 250).max(1);
    let head = 14 * scale;
    let bar = 46 * scale;
    let mut out = LinearImage::new(
        n * (panel + 4) + 60 * scale,
        head + 2 * (panel + 4) + bar,
        [0.02, 0.02, 0.025],
    );
    let man = Mannequin::new(plan);
    let grey = Appearance {
        skin: [0.45, 0.45, 0.45],
        hair: [0.45; 3],
        seed: 1,
        stubble: false,
        face: crate::mannequin::Face::Male,
    };
    for (r, view) in [View::Top, View::Back].iter().enumerate() {
        let cam = camera_for(plan, *view, 400.0, panel);
        let g = man.gbuffer(&cam, &grey);
        // Surface points of the scalp pixels (None elsewhere).
        let pts: Vec<Option<Vec3>> = (0..panel * panel)
            .map(|i| {
                let z = g.depth[i] as f64;
                if !z.is_finite() {
                    return None;
                }
                let d = cam.ray((i % panel) as f64 + 0.5, (i / panel) as f64 + 0.5);
                let p = cam.eye + d * (z / d.dot(cam.fwd));
                man.on_scalp(p).then_some(p)
            })
            .collect();
        for k in 1..=n {
            let probe = DensityProbe::new(plan, k);
            let mut img = g.combine(&g.diffuse);
            let density = sampled_density(&probe, &pts, panel);
            for (i, rho) in density.iter().enumerate() {
                let Some(rho) = *rho else { continue };
                let shade = (img.px[i].iter().sum::<f32>() / 3.0 / 0.45).clamp(0.3, 1.3);
                let c = if rho < 0.5 {
                    [0.35f32; 3]
                } else {
                    scale_colour(rho / vmax)
                };
                img.px[i] = c.map(|v| v * shade);
            }
            out.blit(
                &img,
                60 * scale + (k - 1) * (panel + 4),
                head + r * (panel + 4),
            );
            if r == 0 {
                draw_text(
                    &mut out,
                    60 * scale + (k - 1) * (panel + 4) + 2,
                    3 * scale,
                    &format!("AFTER SESSION {k}"),
                    scale,
                    [0.85; 3],
                );
            }
        }
        draw_text(
            &mut out,
            3 * scale,
            head + r * (panel + 4) + panel / 2,
            &view.name().to_uppercase(),
            scale,
            [0.85; 3],
        );
    }
    // Colour scale with ticks.
    let y0 = head + 2 * (panel + 4) + 6 * scale;
    let x0 = 60 * scale;
    let wbar = out.w - x0 - 20 * scale;
    for x in 0..wbar {
        let c = scale_colour(x as f64 / wbar as f64);
        out.fill_rect(x0 + x, y0, 1, 10 * scale, c);
    }
    for t in 0..=4 {
        let v = vmax * t as f64 / 4.0;
        let x = x0 + (wbar - 1) * t / 4;
        out.fill_rect(x, y0 + 10 * scale, 1, 3 * scale, [0.85; 3]);
        draw_text(
            &mut out,
            x.saturating_sub(6 * scale),
            y0 + 14 * scale,
            &format!("{v:.0}"),
            scale,
            [0.85; 3],
        );
    }
    draw_text(
        &mut out,
        x0,
        y0 + 24 * scale,
        "IMPRESSIONS PER CM² (GREY: NONE)",
        scale,
        [0.85; 3],
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_reads_the_zone_density() {
        let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let n = plan.sessions.len();
        let probe = DensityProbe::new(&plan, n);
        // Deep inside the crown zone (around the whorl) the density is near the zone's achieved mean.
        let crown = plan
            .zones
            .iter()
            .position(|z| z.spec.id == "crown")
            .unwrap();
        let mean = plan.zones[crown].density_after(n);
        let got = probe.at(plan.landmarks.crown_whorl);
        assert!((got - mean).abs() / mean < 0.2, "{got} vs {mean}");
        let first = DensityProbe::new(&plan, 1).at(plan.landmarks.crown_whorl);
        assert!(
            first < got * 0.5,
            "session 1 is about 30 %: {first} vs {got}"
        );
    }
}
