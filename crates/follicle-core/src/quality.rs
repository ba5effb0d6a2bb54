//! Sampling quality as GUIDE §3 defines it: per session, δ_min and δ_avg of nearest-neighbour distances
//! over d_hex on impressions whose six nearest neighbours share their zone, and the density error per zone.

use crate::design::ZoneKind;
use crate::plan::Plan;
use crate::sampler::HEX;
use std::collections::HashMap;

/// Quality figures of one cumulative session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionQuality {
    /// Session number.
    pub session: usize,
    /// Impressions up to and including this session.
    pub impressions: usize,
    /// Smallest NN distance / d_hex over interior impressions of density zones.
    pub delta_min: f64,
    /// Mean NN distance / d_hex over the same impressions.
    pub delta_avg: f64,
    /// Largest relative density error over density zones of at least 10 cm².
    pub worst_density_error: f64,
}

/// Measures every session of a plan.
pub fn measure(plan: &Plan) -> Vec<SessionQuality> {
    let pts: Vec<[f64; 3]> = plan.impressions.iter().map(|m| m.p.to_array()).collect();
    plan.sessions
        .iter()
        .map(|s| {
            let idx: Vec<usize> = (0..pts.len())
                .filter(|&i| plan.impressions[i].session <= s.index)
                .collect();
            let cell = 2.5;
            let mut grid: HashMap<(i64, i64, i64), Vec<usize>> = HashMap::new();
            let key = |p: &[f64; 3]| {
                (
                    (p[0] / cell).floor() as i64,
                    (p[1] / cell).floor() as i64,
                    (p[2] / cell).floor() as i64,
                )
            };
            for &i in &idx {
                grid.entry(key(&pts[i])).or_default().push(i);
            }
            let (mut dmin, mut sum, mut n) = (f64::INFINITY, 0.0, 0usize);
            for &i in &idx {
                let z = plan.impressions[i].zone;
                let zs = &plan.zones[z];
                let frac = plan.zone_fraction(z, s.index);
                if zs.spec.kind != ZoneKind::Density || zs.area_cm2 < 10.0 || frac <= 0.0 {
                    continue;
                }
                let (kx, ky, kz) = key(&pts[i]);
                let mut near: Vec<(f64, usize)> = Vec::with_capacity(32);
                for dx in -1..=1 {
                    for dy in -1..=1 {
                        for dz in -1..=1 {
                            if let Some(v) = grid.get(&(kx + dx, ky + dy, kz + dz)) {
                                for &j in v {
                                    if j != i {
                                        let d = ((pts[i][0] - pts[j][0]).powi(2)
                                            + (pts[i][1] - pts[j][1]).powi(2)
                                            + (pts[i][2] - pts[j][2]).powi(2))
                                        .sqrt();
                                        near.push((d, j));
                                    }
                                }
                            }
                        }
                    }
                }
                if near.len() < 6 {
                    continue;
                }
                near.sort_by(|a, b| a.0.total_cmp(&b.0));
                if near[..6]
                    .iter()
                    .any(|&(_, j)| plan.impressions[j].zone != z)
                {
                    continue;
                }
                let dhex = HEX / (zs.spec.target_density_cm2() / 100.0 * frac).sqrt();
                let d = near[0].0 / dhex;
                dmin = dmin.min(d);
                sum += d;
                n += 1;
            }
            let mut worst: f64 = 0.0;
            for (z, zs) in plan.zones.iter().enumerate() {
                let frac = plan.zone_fraction(z, s.index);
                if zs.spec.kind != ZoneKind::Density || zs.area_cm2 < 10.0 || frac <= 0.0 {
                    continue;
                }
                let want = zs.spec.target_density_cm2() * frac * zs.area_cm2;
                worst = worst.max((zs.cumulative[s.index - 1] as f64 - want).abs() / want);
            }
            SessionQuality {
                session: s.index,
                impressions: idx.len(),
                delta_min: dmin,
                delta_avg: if n > 0 { sum / n as f64 } else { 0.0 },
                worst_density_error: worst,
            }
        })
        .collect()
}
