//! What each view of the stencil draws: the head's outline, the zone outlines, the hairline, the measured
//! distances as dashed surface paths, the landmarks, and the labels naming distances, landmarks, scars and
//! exclusions (placed later, off every line, by `labels::place`).

use super::sheet::bounds;
use super::view::{surface_path, visible_runs, View};
use super::{Distances, Pt, Rgb, Shape, BLACK, DISTANCE_BLUE, HAIRLINE_RED};
use crate::labels::{Label, Names};
use follicle_core::design::{Region, ZoneKind};
use follicle_core::geom::Vec3;
use follicle_core::plan::Plan;

/// The labels a view names its measured distances and landmarks with (placed by `labels::place`).
#[derive(Default)]
pub(super) struct ViewLabels {
    /// The A-B and C-C labels.
    pub(super) distances: Vec<Label>,
    /// The landmarks' names.
    pub(super) landmarks: Vec<Label>,
}

/// The shapes of view `v` under its impressions (outline, zone outlines) and over them (hairline,
/// measured distances, landmarks).
#[allow(clippy::too_many_arguments)] // the view, what it draws from, and the three lists it draws into
pub(super) fn draw_view(
    plan: &Plan,
    v: &View,
    dist: &Distances,
    outlines: &[Vec<Vec3>],
    silhouette: Vec<Pt>,
    under: &mut Vec<Shape>,
    shapes: &mut Vec<Shape>,
    named: &mut ViewLabels,
) {
    under.push(Shape::Area {
        points: silhouette,
        fill: Rgb(0xf6, 0xe7, 0xdc),
        stroke: Rgb(0xb8, 0x9a, 0x86),
        width: 0.4,
    });
    // Zone outlines.
    let paths = outlines
        .iter()
        .flat_map(|run| visible_runs(plan, v, run, 0.05))
        .collect();
    under.push(Shape::Lines {
        paths,
        stroke: Rgb(0x55, 0x55, 0x55),
        width: 0.3,
        dash: None,
    });
    if let Some(hl) = &plan.hairline {
        shapes.push(Shape::Lines {
            paths: visible_runs(plan, v, &hl.polyline, 0.0),
            stroke: HAIRLINE_RED,
            width: 0.5,
            dash: None,
        });
    }
    // The measured distances as dashed surface paths with their letters.
    let lm = &plan.landmarks;
    let at = |name: &str| super::marked_at(plan, name).unwrap_or(lm.glabella);
    let measured = [
        (
            lm.glabella,
            at("mid_frontal"),
            format!("A-B {:.1} mm", dist.glabella_to_mid_frontal_mm),
        ),
        (
            at("frontotemporal_right"),
            at("frontotemporal_left"),
            format!("C-C {:.1} mm", dist.frontotemporal_width_mm),
        ),
    ];
    for (p, q, label) in measured {
        let runs = visible_runs(plan, v, &surface_path(plan, p, q), 0.05);
        if let Some(run) = runs.iter().max_by_key(|r| r.len()) {
            let mid = run[run.len() / 2];
            named.distances.push(Label {
                anchor: mid,
                names: Names::Path(run.clone()),
                at: (mid.0 + 1.0, mid.1 - 1.0),
                size: 2.6,
                fill: DISTANCE_BLUE,
                text: label,
            });
        }
        shapes.push(Shape::Lines {
            paths: runs,
            stroke: DISTANCE_BLUE,
            width: 0.25,
            dash: Some(1.0),
        });
    }
    for (name, _) in lm.named() {
        let p = at(name);
        if v.faces(plan, p, 0.1) {
            let (x, y) = v.project(p);
            shapes.push(Shape::Lines {
                paths: vec![
                    vec![(x - 1.5, y), (x + 1.5, y)],
                    vec![(x, y - 1.5), (x, y + 1.5)],
                ],
                stroke: BLACK,
                width: 0.3,
                dash: None,
            });
            named.landmarks.push(Label {
                anchor: (x, y),
                names: Names::Mark,
                at: (x + 1.8, y - 1.0),
                size: 2.2,
                fill: BLACK,
                text: name.replace('_', " "),
            });
        }
    }
}

/// How far under a zone's lowest cell centre a zone label's baseline goes, mm: its knockout then clears the
/// zone's outline by about a millimetre (outside test s45: at 4 mm a 5×4 mm scar's label box touched it).
const LABEL_BELOW_MM: f64 = 5.0;

/// Labels naming the scar and exclusion zones (what the practitioner must find on the client) and the zones
/// drawn by hand (with their density), each in
/// the one view that sees it most face-on, beside its centre: "fut-scar: scar, 14.1 cm²".
pub(super) fn zone_labels(
    plan: &Plan,
    views: &[(View, Vec<Vec3>)],
    treated: &[(Vec3, Vec3)],
) -> Vec<Vec<Label>> {
    let mut out = vec![Vec::new(); views.len()];
    let f = &plan.field;
    for (z, stats) in plan.zones.iter().enumerate() {
        // A zone drawn by hand is named too (outside test s45: a density zone's polygon printed without a
        // name, where scars were named); the pattern's own zones are the sheet's colour key.
        let what = match (stats.spec.kind, &stats.spec.region) {
            (ZoneKind::Scar, _) => "scar".to_string(),
            (ZoneKind::Exclusion, _) => "no pigment".to_string(),
            (kind @ (ZoneKind::Density | ZoneKind::Blend), Region::Polygon(_)) => format!(
                "{} {:.0}/cm²",
                if kind == ZoneKind::Density {
                    "density"
                } else {
                    "blend"
                },
                stats.spec.target_density_cm2()
            ),
            _ => continue,
        };
        let cells: Vec<Vec3> = f
            .cells_of(z as u8)
            .map(|k| plan.head.point_of_chart(f.cell_centre(k % f.nu, k / f.nu)))
            .collect();
        if cells.is_empty() {
            continue;
        }
        let centre = plan.head.project(
            cells.iter().fold(Vec3::new(0.0, 0.0, 0.0), |a, &p| a + p) * (1.0 / cells.len() as f64),
        );
        let facing = |v: &View| plan.head.normal(centre).dot(v.toward);
        let Some((k, (v, rim))) = views
            .iter()
            .enumerate()
            .max_by(|a, b| facing(&a.1 .0).total_cmp(&facing(&b.1 .0)))
        else {
            continue;
        };
        if facing(v) <= 0.1 {
            continue;
        }
        let (x, _) = v.project(centre);
        let shown: Vec<Pt> = cells
            .iter()
            .filter(|p| v.faces(plan, **p, 0.05))
            .map(|p| v.project(*p))
            .collect();
        let (_, _, _, y1) = bounds(&shown);
        let text = format!("{}: {what}, {:.1} cm²", stats.spec.id, stats.area_cm2);
        // Under the zone, centred on it, within the view (measured with the font the files embed).
        let wide = follicle_fonts::width(&text, 2.8, false);
        let (vx0, _, vx1, _) = bounds(&v.silhouette(plan, rim, treated));
        out[k].push(Label {
            anchor: v.project(centre),
            names: Names::Zone,
            at: (
                (x - wide / 2.0).clamp(vx0, (vx1 - wide).max(vx0)),
                y1.max(v.project(centre).1) + LABEL_BELOW_MM,
            ),
            size: 2.8,
            fill: BLACK,
            text,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stencil::{build, Shape};
    use follicle_core::design::Pattern;
    use follicle_core::presets::user_zone;
    use follicle_core::{pattern_design, Head, HeadMeasurements, Sex};

    /// A density zone drawn by hand is named on the sheet with its density, as scars are (outside test
    /// s45: "crossing" printed as an unnamed outline); the pattern's own zones are not.
    #[test]
    fn a_drawn_density_zone_is_named_with_its_density() {
        let m = HeadMeasurements::median(Sex::Male);
        let head = Head::new(m);
        let mut d = pattern_design(Pattern::Norwood(4), m, 2, 5);
        let corners = [(-15.0, 20.0), (15.0, 20.0), (15.0, 50.0), (-15.0, 50.0)];
        let region = Region::Polygon(
            corners
                .iter()
                .map(|&(x, y)| head.point_from_above(x, y).expect("on the scalp"))
                .collect(),
        );
        let mut zone = user_zone("crossing", ZoneKind::Density, region);
        zone.density_cm2 = 40.0;
        d.zones.insert(0, zone);
        let p = follicle_core::plan(&d).unwrap();
        let st = build(&p, "drawn", crate::tiles::Paper::A4);
        let texts: Vec<&str> = st
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("crossing: density 40/cm², ") && t.ends_with(" cm²")),
            "{texts:?}"
        );
        assert!(!texts.iter().any(|t| t.starts_with("crown:")), "{texts:?}");
    }
}
