//! Calibration readings of the preview: how much darker a rendered treated scalp is than before, over the
//! interior of the plan's density zones, and how much the impressions ripple at a viewing distance. The
//! regression tests of the optical model (and `examples/previews.rs`) use these; docs/preview-model.md
//! gives the figures and the targets.

use crate::camera::{Camera, View};
use crate::color::Lin;
use crate::mannequin::Mannequin;
use crate::optics::State;
use crate::preview::{camera_for, Scene};
use crate::raster::LinearImage;
use crate::shade::Catalogue;
use follicle_core::field::NO_ZONE;
use follicle_core::{Plan, ZoneKind};

/// Distance from a zone border under which a pixel is not measured, mm (densities ramp near borders).
pub const BORDER_MM: f64 = 5.0;

/// Relative luminance (Rec. 709 / sRGB primaries) of a linear colour.
pub fn luminance(c: Lin) -> f64 {
    0.2126 * c[0] as f64 + 0.7152 * c[1] as f64 + 0.0722 * c[2] as f64
}

/// The pixels of a rendered view whose surface point lies inside a `density` zone, at least
/// [`BORDER_MM`] from any other zone (checked at eight points around it on the skin).
pub fn density_interior(plan: &Plan, cam: &Camera, depth: &[f32]) -> Vec<bool> {
    let man = Mannequin::new(plan);
    let f = &plan.field;
    let zone_at = |p: follicle_core::Vec3| {
        f.index(plan.head.chart_of(p))
            .map(|i| f.zone[i])
            .unwrap_or(NO_ZONE)
    };
    let dense = |z: u8| z != NO_ZONE && plan.zones[z as usize].spec.kind == ZoneKind::Density;
    (0..cam.w * cam.h)
        .map(|i| {
            let z = depth[i] as f64;
            if !z.is_finite() {
                return false;
            }
            let d = cam.ray((i % cam.w) as f64 + 0.5, (i / cam.w) as f64 + 0.5);
            let p = cam.eye + d * (z / d.dot(cam.fwd));
            if !man.on_scalp(p) || !dense(zone_at(p)) {
                return false;
            }
            let (t1, t2) = plan.head.normal(p).tangent_basis();
            (0..8).all(|k| {
                let a = k as f64 * std::f64::consts::FRAC_PI_4;
                dense(zone_at(p + (t1 * a.cos() + t2 * a.sin()) * BORDER_MM))
            })
        })
        .collect()
}

/// One reading of a rendered view.
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    /// Mean luminance drop over the measured pixels: 1 − mean Y(after) / mean Y(before).
    pub drop: f64,
    /// Ripple: standard deviation of the per-pixel ratio Y(after) / Y(before) over the measured pixels
    /// (how strongly individual impressions show).
    pub ripple: f64,
    /// Number of measured pixels.
    pub pixels: usize,
}

/// Compares `after` with `before` over the pixels of `mask`.
pub fn read(before: &LinearImage, after: &LinearImage, mask: &[bool]) -> Reading {
    let (mut yb, mut ya, mut n) = (0.0, 0.0, 0usize);
    let mut ratios = Vec::new();
    for ((b, a), m) in before.px.iter().zip(&after.px).zip(mask) {
        if *m {
            let (lb, la) = (luminance(*b), luminance(*a));
            yb += lb;
            ya += la;
            n += 1;
            ratios.push(la / lb.max(1e-6));
        }
    }
    let mean = ratios.iter().sum::<f64>() / n.max(1) as f64;
    let var = ratios.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n.max(1) as f64;
    Reading {
        drop: if yb > 0.0 { 1.0 - ya / yb } else { 0.0 },
        ripple: var.sqrt(),
        pixels: n,
    }
}

/// Renders `view` of `plan` once, seen from `distance_mm` at `size` pixels with the eye's blur, and reads
/// the density zones' interior after each (state, session) of `states` (session `None` = all).
pub fn view_readings(
    plan: &Plan,
    cat: &Catalogue,
    view: View,
    distance_mm: f64,
    size: usize,
    states: &[(State, Option<usize>)],
) -> Vec<Reading> {
    let base = Scene {
        view,
        distance_mm,
        size,
        ..Scene::new(plan.design.seed)
    };
    let cam = camera_for(plan, view, distance_mm, size);
    let g = Mannequin::new(plan).gbuffer(&cam, &base.appearance);
    let mask = density_interior(plan, &cam, &g.depth);
    states
        .iter()
        .map(|&(state, session)| {
            let (before, after) = crate::sheets::before_after_on(
                plan,
                cat,
                &Scene {
                    state,
                    session,
                    ..base.clone()
                },
                &cam,
                &g,
            );
            read(&before, &after, &mask)
        })
        .collect()
}

/// [`view_readings`] for one state.
pub fn view_reading(
    plan: &Plan,
    cat: &Catalogue,
    view: View,
    state: State,
    session: Option<usize>,
    distance_mm: f64,
    size: usize,
) -> Reading {
    view_readings(plan, cat, view, distance_mm, size, &[(state, session)])[0]
}

/// A close-up reading: a `width_mm` patch of skin around the vertex (inside the demo's density zones),
/// seen from 30 cm at `px_per_mm`, blurred by the eye at `blur_distance_mm`; every pixel is measured.
pub fn closeup_reading(
    plan: &Plan,
    cat: &Catalogue,
    state: State,
    session: Option<usize>,
    width_mm: f64,
    px_per_mm: f64,
    blur_distance_mm: f64,
) -> Reading {
    let size = (width_mm * px_per_mm).round() as usize;
    let scene = Scene {
        state,
        session,
        size,
        ..Scene::new(plan.design.seed)
    };
    let (before, after) = crate::preview::closeup(
        plan,
        cat,
        &scene,
        plan.head.vertex(),
        width_mm,
        blur_distance_mm,
    );
    read(&before, &after, &vec![true; size * size])
}

#[cfg(test)]
mod tests {
    //! The calibration of the optical model (docs/preview-model.md, "Calibration"): the demo plan's
    //! treated scalp, seen whole and up close. Small pictures keep these quick in debug builds too.
    use super::*;
    use crate::optics::TARGET_HEALED_DROP;

    fn plan() -> Plan {
        follicle_core::plan(&follicle_core::demo_design()).unwrap()
    }

    #[test]
    fn a_healed_full_zone_reads_as_the_target_shadow_and_sessions_build_up() {
        let p = plan();
        let cat = Catalogue::builtin();
        let states = [
            (State::Healed, Some(1)),
            (State::Healed, Some(2)),
            (State::Healed, None),
            (State::Fresh, None),
            (State::Aged(5.0), None),
            (State::Aged(10.0), None),
            (State::Aged(20.0), None),
            (State::Aged(30.0), None),
        ];
        let far = view_readings(&p, &cat, View::ThreeQuarter, 1500.0, 200, &states);
        let [s1, s2, healed, fresh, y5, y10, y20, y30] =
            [0, 1, 2, 3, 4, 5, 6, 7].map(|i| far[i].drop);
        assert!(
            far[2].pixels > 1000,
            "enough treated pixels: {}",
            far[2].pixels
        );
        // Healed at 100 % from 1.5 m: the calibration target within ±0.03.
        assert!(
            (healed - TARGET_HEALED_DROP).abs() < 0.03,
            "healed drop {healed:.3} vs target {TARGET_HEALED_DROP}"
        );
        // Sessions build up roughly with the cumulative density (30 % → 70 % → 100 %, lighter early shades).
        assert!(s1 < s2 && s2 < healed, "{s1:.3} {s2:.3} {healed:.3}");
        assert!(
            (0.2..0.45).contains(&(s1 / healed)) && (0.55..0.9).contains(&(s2 / healed)),
            "{s1:.3} {s2:.3} {healed:.3}"
        );
        // Fresh is darker than healed; fading lightens, more with the years.
        assert!(
            fresh > healed * 1.15,
            "fresh {fresh:.3} vs healed {healed:.3}"
        );
        assert!(
            y5 < healed * 0.75 && y10 < y5 && y10 > 0.0,
            "{healed:.3} {y5:.3} {y10:.3}"
        );
        // Never darker for being older, also once the fading has levelled off and only the dots widen
        // (tester s38: 30 years read darker than 20).
        assert!(
            y20 < y10 && y30 <= y20 && y30 > 0.0,
            "{y10:.4} {y20:.4} {y30:.4}"
        );
        // The eye's blur keeps the mean: the same drop seen from 30 cm.
        let near = view_reading(
            &p,
            &cat,
            View::ThreeQuarter,
            State::Healed,
            None,
            300.0,
            200,
        )
        .drop;
        assert!(
            (near - healed).abs() < 0.15 * healed,
            "30 cm {near:.3} vs 1.5 m {healed:.3}"
        );
    }

    #[test]
    fn up_close_dots_are_distinct_and_from_afar_an_even_shadow() {
        let p = plan();
        let cat = Catalogue::builtin();
        // A 32 mm square (about 700 impressions): on a 16 mm one (about 180) the far/near ratio of the
        // same design swung from 0.41 to 0.45 with the plan's seed alone (12 seeds), so one patch read
        // the luck of its few impressions more than the evenness of the plan; on 32 mm it stays within
        // 0.41–0.44 (BENCHMARKS.md, session 12), and the bound is tighter than the 16 mm one was (0.45).
        let near = closeup_reading(&p, &cat, State::Healed, None, 32.0, 8.0, 300.0);
        let far = closeup_reading(&p, &cat, State::Healed, None, 32.0, 8.0, 1500.0);
        // Same ink; at 30 cm the impressions stand out (large ripple), at 1.5 m they merge.
        assert!((near.drop - far.drop).abs() < 0.01, "{near:?} {far:?}");
        assert!(near.ripple > 0.10, "distinct dots up close: {near:?}");
        assert!(
            far.ripple < 0.44 * near.ripple,
            "an even shadow from 1.5 m: {far:?} vs {near:?}"
        );
    }
}
