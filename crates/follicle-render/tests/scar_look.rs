//! Scar camouflage as the client sees it: a fine-needle scar zone in a treated crown or mid-scalp, healed,
//! seen from above at conversational distance (1.5 m), darkens the skin as much as the zone around it
//! does — no lighter patch and no dark band. The planner's tone match (follicle-core `tone`) and this
//! picture share one optical model; before they did (session 21) the matched scar read as a dark band:
//! the match counted the needle's bare healed dot and a linear strength, the picture the dot's optical
//! spread and the pigment's saturating cover (the 1RL scar at 120/cm² and strength 0.77 darkened the skin
//! 1.3–1.5× as much as the 3RL crown around it).

use follicle_core::design::Region;
use follicle_core::geom::Vec3;
use follicle_core::{
    pattern_design, plan, presets, Head, HeadMeasurements, Pattern, Sex, ZoneKind,
};
use follicle_render::preview::{camera_for, render};
use follicle_render::{Catalogue, LinearImage, Scene, View};

fn luminance(img: &LinearImage, x: f64, y: f64) -> f64 {
    // Mean over 3 × 3 pixels around (x, y).
    let (cx, cy) = (x as usize, y as usize);
    let mut s = 0.0;
    for dy in 0..3 {
        for dx in 0..3 {
            let p = img.get(cx + dx - 1, cy + dy - 1);
            s += 0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64;
        }
    }
    s / 9.0
}

#[test]
fn a_healed_scar_darkens_the_skin_as_much_as_the_zone_around_it_at_conversational_distance() {
    let m = HeadMeasurements::median(Sex::Male);
    let head = Head::new(m);
    let cat = Catalogue::builtin();
    // A 40 × 12 mm linear scar seen from above, in the crown and across the mid-scalp.
    for (seed, (cx, cy)) in [(1u64, (0.0, -45.0)), (2, (15.0, 10.0))] {
        let (hw, hh) = (20.0, 6.0);
        let mut d = pattern_design(Pattern::Norwood(6), m, 3, seed);
        let outline: Vec<Vec3> = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
            .iter()
            .map(|&(x, y)| head.point_from_above(cx + x, cy + y).expect("on the scalp"))
            .collect();
        d.zones.insert(
            0,
            presets::user_zone("scar", ZoneKind::Scar, Region::Polygon(outline)),
        );
        let p = plan(&d).unwrap();
        let mut sc = Scene::new(seed);
        sc.view = View::Top;
        sc.distance_mm = 1500.0;
        sc.size = 700;
        let after = render(&p, &cat, &sc);
        sc.session = Some(0);
        let before = render(&p, &cat, &sc);
        let cam = camera_for(&p, View::Top, sc.distance_mm, sc.size);
        // Darkening (1 − after / before, which takes the lighting out) at points seen from above: inside
        // the scar 2 mm from its border, and in a band 5–12 mm around it.
        let (mut inside, mut around) = (Vec::new(), Vec::new());
        for j in -30..=30 {
            for i in -50..=50 {
                let (x, y) = (cx + i as f64 * 0.5, cy + j as f64 * 0.5);
                let (ox, oy) = ((x - cx).abs() - hw, (y - cy).abs() - hh);
                let outside = ox.max(0.0).hypot(oy.max(0.0));
                let band = if ox <= -2.0 && oy <= -2.0 {
                    &mut inside
                } else if (5.0..=12.0).contains(&outside) {
                    &mut around
                } else {
                    continue;
                };
                let Some(q) = p.head.point_from_above(x, y) else {
                    continue;
                };
                let Some((px, py, _)) = cam.project(q) else {
                    continue;
                };
                let (lb, la) = (luminance(&before, px, py), luminance(&after, px, py));
                band.push(1.0 - la / lb);
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (s, a) = (mean(&inside), mean(&around));
        println!(
            "seed {seed}: the scar darkens the skin by {:.1} %, the scalp around it by {:.1} % ({} and {} points)",
            100.0 * s,
            100.0 * a,
            inside.len(),
            around.len()
        );
        assert!(inside.len() > 300 && around.len() > 1000);
        assert!(
            a > 0.1,
            "seed {seed}: the treated scalp around the scar is not darkened: {a}"
        );
        assert!(
            (s / a - 1.0).abs() < 0.05,
            "seed {seed}: the scar darkens the skin by {:.1} %, the scalp around it by {:.1} %",
            100.0 * s,
            100.0 * a
        );
    }
}
