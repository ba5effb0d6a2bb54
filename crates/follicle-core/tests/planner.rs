//! Planning session by session on a kept geometry (what the browser editor does) gives the plan `plan`
//! gives, impression for impression; a kept geometry fits an edit of densities or needles and never one of
//! the hairline or the zones' regions.

use follicle_core::design::{NeedleConfig, Region};
use follicle_core::geom::Vec3;
use follicle_core::plan::{plan, Plan};
use follicle_core::planner::{Geometry, Planner};
use follicle_core::{
    pattern_design, presets, Design, Head, HeadMeasurements, Pattern, Sex, ZoneKind,
};

fn same(a: &Plan, b: &Plan) {
    assert_eq!(a.impressions, b.impressions);
    assert_eq!(a.design, b.design);
    for (x, y) in a.zones.iter().zip(&b.zones) {
        assert_eq!((x.area_cm2, &x.cumulative), (y.area_cm2, &y.cumulative));
    }
}

fn stepped(d: &Design, g: &Geometry) -> Plan {
    let mut p = Planner::start(d, g).unwrap();
    let mut k = 0;
    while p.step() {
        k += 1;
        assert_eq!(p.sessions_placed(), k);
    }
    assert!(p.done());
    p.into_plan()
}

fn scarred() -> Design {
    let m = HeadMeasurements::median(Sex::Male);
    let head = Head::new(m);
    let mut d = pattern_design(Pattern::Norwood(6), m, 3, 5);
    // A 40 × 10 mm linear scar in the crown, seen from above.
    let outline: Vec<Vec3> = [(-20.0, -5.0), (20.0, -5.0), (20.0, 5.0), (-20.0, 5.0)]
        .iter()
        .map(|&(x, y)| head.point_from_above(x, y - 45.0).expect("on the scalp"))
        .collect();
    d.zones.insert(
        0,
        presets::user_zone("scar", ZoneKind::Scar, Region::Polygon(outline)),
    );
    d
}

#[test]
fn stepping_on_a_kept_geometry_is_the_plan() {
    let d = scarred();
    let g = Geometry::new(&d).unwrap();
    let whole = plan(&d).unwrap();
    same(&stepped(&d, &g), &whole);
    // The scar was matched to the tone around it: the design the plan records differs from the one given.
    assert_ne!(whole.design.zones[0], d.zones[0]);

    // A density and needle edit keeps the geometry: the plan on it is the edited design's plan.
    let mut e = d.clone();
    e.zones[1].density_cm2 = 60.0;
    e.zones[2].needle.config = NeedleConfig::Rl1;
    assert!(g.fits(&e));
    same(&stepped(&e, &g), &plan(&e).unwrap());
    assert_ne!(plan(&e).unwrap().impressions, whole.impressions);

    // The first session on its own is the plan's first session.
    let mut p = Planner::start(&d, &g).unwrap();
    p.step();
    let first = p.plan();
    let want: Vec<_> = whole
        .impressions
        .iter()
        .filter(|m| m.session == 1)
        .cloned()
        .collect();
    assert_eq!(first.impressions, want);
}

#[test]
fn a_geometry_never_fits_another_hairline_or_region() {
    let d = scarred();
    let g = Geometry::new(&d).unwrap();
    let mut e = d.clone();
    e.hairline.mid_frontal_mm += 1.0;
    assert!(!g.fits(&e));
    let mut e = d.clone();
    e.zones[0].kind = ZoneKind::Exclusion;
    assert!(!g.fits(&e));
    let mut e = d.clone();
    e.seed += 1;
    assert!(!g.fits(&e));
    let mut e = d.clone();
    e.head.breadth_mm += 4.0;
    assert!(!g.fits(&e));
}

#[test]
fn a_sessions_quality_is_the_same_on_the_plan_so_far() {
    // The CLI measures each session's quality while the next is placed, on the plan so far.
    let d = scarred();
    let whole = plan(&d).unwrap();
    let g = Geometry::new(&d).unwrap();
    let mut p = Planner::start(&d, &g).unwrap();
    while p.step() {
        let k = p.sessions_placed();
        let so_far = p.plan();
        let q = |plan: &Plan| {
            let m = follicle_core::quality::SessionMeasure::new(plan, k);
            let s = m.spacings(0..m.len());
            m.finish(s)
        };
        assert_eq!(q(&so_far), q(&whole), "session {k}");
    }
}

/// Runs the core's parts on threads, as the CLI does (the core itself never starts one).
struct Threads(usize);

impl follicle_core::parallel::Workers for Threads {
    fn run<'a>(&self, jobs: Vec<follicle_core::parallel::Job<'a>>) {
        std::thread::scope(|s| {
            for job in jobs {
                s.spawn(job);
            }
        });
    }
    fn parts(&self) -> usize {
        self.0
    }
}

#[test]
fn a_geometry_and_field_built_on_threads_are_the_serial_ones() {
    let cases = [
        scarred(),
        pattern_design(
            Pattern::FullScalp,
            HeadMeasurements::median(Sex::Female),
            3,
            11,
        ),
    ];
    for d in &cases {
        let g = Geometry::new(d).unwrap();
        let serial = Planner::start(d, &g).unwrap().plan().field;
        for parts in [2, 3, 7, 64] {
            let t = Geometry::new_on(d, &Threads(parts)).unwrap();
            let field = Planner::start_on(d, &t, &Threads(parts))
                .unwrap()
                .plan()
                .field;
            assert_eq!(
                format!(
                    "{:?}",
                    (&field.zone, &field.mult, &field.area, &field.guarded)
                ),
                format!(
                    "{:?}",
                    (&serial.zone, &serial.mult, &serial.area, &serial.guarded)
                ),
                "{parts} parts"
            );
            assert_eq!(
                (&field.zone_area_mm2, &field.zone_weighted_area_mm2),
                (&serial.zone_area_mm2, &serial.zone_weighted_area_mm2)
            );
            // The geometry's raster itself (what the browser keeps between edits).
            assert_eq!(format!("{t:?}"), format!("{g:?}"), "{parts} parts");
        }
        // And the plan on it, impression for impression.
        let t = Geometry::new_on(d, &Threads(3)).unwrap();
        let mut p = Planner::start_on(d, &t, &Threads(3)).unwrap();
        while p.step() {}
        same(&p.into_plan(), &plan(d).unwrap());
    }
}
