//! A zone the practitioner draws is planned on its exact polygon, not on the 1.4 mm zone raster: its area is
//! the polygon's surface area, its impressions are its density times that area, every one of them lies
//! inside the polygon, and no impression of another zone does (outside test s43: a 6 × 6 mm zone at 150/cm²
//! counted 0.28 cm² of its 0.36 and got 42 impressions for 54).

use follicle_core::design::{Pattern, Region, ZoneKind};
use follicle_core::geom::{Chart2, Vec3};
use follicle_core::guard::inside_polygon;
use follicle_core::presets::user_zone;
use follicle_core::{pattern_design, plan, Design, Head, HeadMeasurements, Plan, Sex};
use proptest::prelude::*;

/// A Norwood 6 design of `sessions` with a user zone `drawn` of `density`/cm² over the quadrilateral
/// `corners` (x, y mm seen from above), listed first; and the head.
fn with_drawn_zone(seed: u64, density: f64, corners: [(f64, f64); 4]) -> (Design, Head) {
    let m = HeadMeasurements::median(Sex::Male);
    let head = Head::new(m);
    let mut d = pattern_design(Pattern::Norwood(6), m, 3, seed);
    let region = Region::Polygon(
        corners
            .iter()
            .map(|&(x, y)| head.point_from_above(x, y).expect("on the scalp"))
            .collect(),
    );
    let mut zone = user_zone("drawn", ZoneKind::Density, region);
    zone.density_cm2 = density;
    d.zones.insert(0, zone);
    (d, head)
}

/// The drawn outline in chart coordinates.
fn chart_outline(d: &Design, head: &Head) -> Vec<Chart2> {
    match &d.zones[0].region {
        Region::Polygon(p) => p.iter().map(|&q| head.chart_of(q)).collect(),
        _ => unreachable!(),
    }
}

/// Surface area of the chart quadrilateral `q` (the zone's straight-edged outline on the chart), mm²: the
/// quadrilateral cut bilinearly into 80 × 80 pieces, each mapped onto the scalp as two triangles.
fn surface_area(head: &Head, q: &[Chart2]) -> f64 {
    const N: usize = 80;
    let at = |s: f64, t: f64| -> Vec3 {
        let lerp = |a: Chart2, b: Chart2, f: f64| {
            Chart2::new(a.u + (b.u - a.u) * f, a.v + (b.v - a.v) * f)
        };
        let (lo, hi) = (lerp(q[0], q[1], s), lerp(q[3], q[2], s));
        head.point_of_chart(lerp(lo, hi, t))
    };
    let mut area = 0.0;
    for i in 0..N {
        for j in 0..N {
            let (s0, s1) = (i as f64 / N as f64, (i + 1) as f64 / N as f64);
            let (t0, t1) = (j as f64 / N as f64, (j + 1) as f64 / N as f64);
            let (a, b, c, e) = (at(s0, t0), at(s1, t0), at(s1, t1), at(s0, t1));
            area += 0.5 * (b - a).cross(c - a).norm() + 0.5 * (c - a).cross(e - a).norm();
        }
    }
    area
}

/// Checks `p`'s drawn zone (zone 0) against its outline: area within `tol` of the surface area, the count
/// its density over that area, and every impression on its own side of the outline.
fn check(p: &Plan, head: &Head, outline: &[Chart2], density: f64, tol: f64) {
    let exact_cm2 = surface_area(head, outline) / 100.0;
    let zone = &p.zones[0];
    assert!(
        (zone.area_cm2 / exact_cm2 - 1.0).abs() < tol,
        "the drawn zone's area is {:.4} cm² for {exact_cm2:.4} drawn",
        zone.area_cm2
    );
    let own = p.impressions.iter().filter(|i| i.zone == 0).count();
    let want = density * exact_cm2;
    assert!(
        (own as f64 - want).abs() <= (tol * want).max(2.0),
        "{own} impressions for {want:.1} (density × drawn area)"
    );
    for i in &p.impressions {
        let inside = inside_polygon(outline, head.chart_of(i.p));
        assert_eq!(
            inside,
            i.zone == 0,
            "an impression of zone {} at {:?} lies {} the drawn outline",
            p.zones[i.zone].spec.id,
            i.p,
            if inside { "inside" } else { "outside" }
        );
    }
}

#[test]
fn a_small_dense_zone_gets_its_drawn_area_and_count_wherever_it_lies() {
    for (x0, y0) in [(0.0, 0.0), (10.0, 10.0), (-40.0, -20.0)] {
        let corners = [
            (x0, y0),
            (x0 + 6.0, y0),
            (x0 + 6.0, y0 + 6.0),
            (x0, y0 + 6.0),
        ];
        let (d, head) = with_drawn_zone(7, 150.0, corners);
        let p = plan(&d).unwrap();
        check(&p, &head, &chart_outline(&d, &head), 150.0, 0.03);
    }
}

#[test]
fn a_large_drawn_zone_gets_its_drawn_area() {
    let corners = [(-10.0, -30.0), (10.0, -30.0), (10.0, -10.0), (-10.0, -10.0)];
    let (d, head) = with_drawn_zone(3, 100.0, corners);
    let p = plan(&d).unwrap();
    check(&p, &head, &chart_outline(&d, &head), 100.0, 0.01);
}

/// Distance from chart point `p` to the closed outline `q`, in chart units.
fn to_outline(p: Chart2, q: &[Chart2]) -> f64 {
    (0..q.len())
        .map(|k| {
            let (a, b) = (q[k], q[(k + 1) % q.len()]);
            let (dx, dy) = (b.u - a.u, b.v - a.v);
            let t = (((p.u - a.u) * dx + (p.v - a.v) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
            (p.u - a.u - t * dx).hypot(p.v - a.v - t * dy)
        })
        .fold(f64::INFINITY, f64::min)
}

/// The stencil prints a drawn zone on its own polygon: one closed run through its corners, every point on
/// the drawn edges, and none of the raster's border (a cell off, smoothed round the corners) beside it
/// (session 44: the stencil printed the 1.4 mm raster's outline of a 6 mm square, its corners rounded).
#[test]
fn a_drawn_zone_is_printed_on_its_own_outline() {
    let corners = [(-3.0, -33.0), (3.0, -33.0), (3.0, -27.0), (-3.0, -27.0)];
    let (d, head) = with_drawn_zone(5, 150.0, corners);
    let p = plan(&d).unwrap();
    let outline = chart_outline(&d, &head);
    let ids: Vec<u8> = (0..p.zones.len() as u8).collect();
    let b = p.field.traced_borders(&ids);
    assert_eq!(b.drawn.len(), 1, "{:?}", b.drawn.len());
    let (run, closed) = &b.drawn[0];
    assert!(*closed);
    for c in &outline {
        assert!(
            run.iter().any(|r| (r.u - c.u).hypot(r.v - c.v) < 1e-9),
            "corner {c:?} is not printed where it was drawn"
        );
    }
    assert!(run.iter().all(|r| to_outline(*r, &outline) < 1e-9));
    let reach = follicle_core::field::BESIDE_CELLS * p.field.cell;
    let (near, all) =
        p.field
            .outlines_of(&ids)
            .into_iter()
            .flatten()
            .fold((0, 0), |(n, a), [x, y]| {
                let m = Chart2::new((x.u + y.u) / 2.0, (x.v + y.v) / 2.0);
                (n + usize::from(to_outline(m, &outline) < reach), a + 1)
            });
    assert!(
        near > 0 && all > near,
        "the raster draws {near} of {all} segments beside the square"
    );
    for [x, y] in &b.raster {
        let m = Chart2::new((x.u + y.u) / 2.0, (x.v + y.v) / 2.0);
        assert!(
            to_outline(m, &outline) >= reach - 1e-9,
            "a raster border at {m:?} lies {:.2} mm from the drawn edge",
            to_outline(m, &outline)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Any quadrilateral of 4–25 mm (skewed by up to a fifth of its sides) on top of the head, at any density
    /// from 30 to 160/cm²: the exact area, count and membership hold.
    #[test]
    fn drawn_zones_are_planned_on_their_exact_outline(
        x in -40.0f64..30.0,
        y in -60.0f64..20.0,
        w in 4.0f64..25.0,
        h in 4.0f64..25.0,
        skew in -0.2f64..0.2,
        density in 30.0f64..160.0,
        seed in 0u64..1000,
    ) {
        // A skewed quadrilateral that never crosses itself (the skew at most a fifth of its sides).
        let s = skew * w.min(h);
        let corners = [(x, y), (x + w, y + s), (x + w + s, y + h), (x - s, y + h)];
        let (d, head) = with_drawn_zone(seed, density, corners);
        let p = plan(&d).unwrap();
        check(&p, &head, &chart_outline(&d, &head), density, 0.04);
    }
}
