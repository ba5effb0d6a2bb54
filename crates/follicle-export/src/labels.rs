//! Where the stencil's labels go: each label (a landmark's name, a measured distance, a scar or exclusion
//! zone) is placed near the point it names so that no two labels overlap and no label lies on a line
//! (hairline, measured distances, zone outlines, landmark crosses, the head's outline). A label moved away
//! from its point gets a thin leader line back to it. Every label sits on a white knockout, so the
//! impressions drawn under it never run through its letters. Text boxes are measured with the fonts the
//! PDF embeds (follicle-fonts), so what is checked is what prints.

use crate::stencil::{Pt, Rgb, Shape};

/// A label to place: the text and the point on the sheet it names.
#[derive(Clone, Debug)]
pub struct Label {
    /// The point it names (a landmark, the middle of a measured path, a zone's centre).
    pub anchor: Pt,
    /// Where it would go if nothing were in the way (baseline start).
    pub at: Pt,
    /// Font size, mm.
    pub size: f64,
    /// Colour.
    pub fill: Rgb,
    /// The text.
    pub text: String,
}

/// A box on the sheet: x min, y min, x max, y max (mm).
pub type Box2 = [f64; 4];

/// White space kept around a label's letters, mm.
const PAD_MM: f64 = 0.3;
/// Farther than this from where it would go, a label gets a leader line to its point, mm.
const LEADER_FROM_MM: f64 = 3.0;
/// The knockout behind a label.
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

/// The box the letters of `text` at baseline start `at` and font size `size` (mm) take on the sheet, with the
/// knockout's padding.
pub fn text_box(at: Pt, size: f64, text: &str) -> Box2 {
    let m = follicle_fonts::metrics(follicle_fonts::Face::Regular);
    let w = follicle_fonts::width(text, size, false);
    [
        at.0 - PAD_MM,
        at.1 - f64::from(m.ascent) * size - PAD_MM,
        at.0 + w + PAD_MM,
        at.1 - f64::from(m.descent) * size + PAD_MM,
    ]
}

/// Whether two boxes overlap.
pub fn boxes_meet(a: &Box2, b: &Box2) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Whether segment `p`–`q` passes through box `b` (Liang–Barsky clipping).
pub fn segment_meets(b: &Box2, p: Pt, q: Pt) -> bool {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (den, num) in [
        (-dx, p.0 - b[0]),
        (dx, b[2] - p.0),
        (-dy, p.1 - b[1]),
        (dy, b[3] - p.1),
    ] {
        if den == 0.0 {
            if num < 0.0 {
                return false;
            }
        } else {
            let t = num / den;
            if den < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// Every straight segment drawn by `shapes`: polylines and the outlines of areas.
pub fn segments(shapes: &[Shape]) -> Vec<(Pt, Pt)> {
    let mut out = Vec::new();
    for s in shapes {
        match s {
            Shape::Lines { paths, .. } => {
                for path in paths {
                    out.extend(path.windows(2).map(|w| (w[0], w[1])));
                }
            }
            Shape::Area { points, width, .. } if *width > 0.0 && points.len() > 1 => {
                out.extend(points.windows(2).map(|w| (w[0], w[1])));
                out.push((points[points.len() - 1], points[0]));
            }
            _ => {}
        }
    }
    out
}

/// The boxes of the labels (text with its knockout) among `shapes`, with their text.
pub fn label_boxes(shapes: &[Shape]) -> Vec<(Box2, String)> {
    shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { at, size, text, .. } => Some((text_box(*at, *size, text), text.clone())),
            _ => None,
        })
        .collect()
}

/// Places `labels` within `sheet` (its box) avoiding `lines` and the boxes already taken (`taken`, e.g.
/// titles; the placed labels join it), each as near its wished place as that allows. Answers, per label, the
/// shapes to draw over everything else: its knockout, its leader line when it moved away, its text.
pub fn place(
    labels: &[Label],
    lines: &[(Pt, Pt)],
    taken: &mut Vec<Box2>,
    sheet: Box2,
) -> Vec<Shape> {
    let mut out = Vec::new();
    let mut leaders: Vec<(Pt, Pt)> = Vec::new();
    for l in labels {
        let b0 = text_box(l.at, l.size, &l.text);
        let (w, h) = (b0[2] - b0[0], b0[3] - b0[1]);
        // The box's offset from the baseline start.
        let (ox, oy) = (l.at.0 - b0[0], l.at.1 - b0[1]);
        let mut best: Option<(f64, Box2)> = None;
        for b in candidates(l, w, h) {
            let inside =
                b[0] >= sheet[0] && b[1] >= sheet[1] && b[2] <= sheet[2] && b[3] <= sheet[3];
            if !inside {
                continue;
            }
            let moved = distance(&b, &b0);
            let leader = (
                l.anchor,
                nearest_on(&[b[0] - 0.2, b[1] - 0.2, b[2] + 0.2, b[3] + 0.2], l.anchor),
            );
            let needs_leader = moved > LEADER_FROM_MM;
            let mut clashes = lines
                .iter()
                .filter(|(p, q)| segment_meets(&b, *p, *q))
                .count()
                + leaders
                    .iter()
                    .filter(|(p, q)| segment_meets(&b, *p, *q))
                    .count();
            if needs_leader {
                clashes += taken
                    .iter()
                    .filter(|t| segment_meets(t, leader.0, leader.1))
                    .count();
            }
            // Letters over letters cannot be read at all; a line through a label can. A zone's outline is
            // many short segments, so a place across one counted more than an overlapping label did (outside
            // probe s28: "mole-1: no pig" under "mole-4: …" among ten moles): a label overlaps another only
            // where no place within reach is free of labels.
            let over_text = taken.iter().filter(|t| boxes_meet(t, &b)).count();
            let cost = over_text as f64 * 1e7 + clashes as f64 * 1000.0 + moved;
            if !matches!(best, Some((c, _)) if c <= cost) {
                best = Some((cost, b));
            }
            if clashes + over_text == 0 {
                break;
            }
        }
        let b = best.map(|(_, b)| b).unwrap_or(b0);
        let outside = [b[0] - 0.2, b[1] - 0.2, b[2] + 0.2, b[3] + 0.2];
        if distance(&b, &b0) > LEADER_FROM_MM && nearest_on(&outside, l.anchor) != l.anchor {
            // The leader stops just short of the knockout, so it never runs into the letters.
            let end = nearest_on(&outside, l.anchor);
            leaders.push((l.anchor, end));
            out.push(Shape::Lines {
                paths: vec![vec![l.anchor, end]],
                stroke: l.fill,
                width: 0.15,
                dash: None,
            });
        }
        out.push(Shape::Area {
            points: vec![(b[0], b[1]), (b[2], b[1]), (b[2], b[3]), (b[0], b[3])],
            fill: WHITE,
            stroke: WHITE,
            width: 0.0,
        });
        out.push(Shape::Text {
            at: (b[0] + ox, b[1] + oy),
            size: l.size,
            fill: l.fill,
            text: l.text.clone(),
        });
        taken.push(b);
    }
    out
}

/// The boxes tried for a label of box size `w` × `h`, best first: where it would go, then around its point
/// at growing distances (right, left, above, below, then the corners).
fn candidates(l: &Label, w: f64, h: f64) -> Vec<Box2> {
    let b0 = text_box(l.at, l.size, &l.text);
    let mut v = vec![b0];
    let (ax, ay) = l.anchor;
    for r in [1.0, 2.0, 3.5, 5.0, 7.0, 9.5, 12.5, 16.0, 20.0, 25.0, 30.0] {
        for (dx, dy) in [
            (1.0, 0.0),
            (-1.0, 0.0),
            (0.0, -1.0),
            (0.0, 1.0),
            (1.0, -1.0),
            (-1.0, -1.0),
            (1.0, 1.0),
            (-1.0, 1.0),
        ] {
            // The box's side nearest the point lies `r` from it along the direction.
            let x0 = match dx {
                d if d > 0.0 => ax + r,
                d if d < 0.0 => ax - r - w,
                _ => ax - w / 2.0,
            };
            let y0 = match dy {
                d if d > 0.0 => ay + r,
                d if d < 0.0 => ay - r - h,
                _ => ay - h / 2.0,
            };
            v.push([x0, y0, x0 + w, y0 + h]);
        }
    }
    v
}

/// How far box `b` lies from box `a` (their top-left corners), mm.
fn distance(a: &Box2, b: &Box2) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// The point of box `b`'s edge nearest `p`.
fn nearest_on(b: &Box2, p: Pt) -> Pt {
    (p.0.clamp(b[0], b[2]), p.1.clamp(b[1], b[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_through_a_box_meets_it_and_one_beside_it_does_not() {
        let b = [0.0, 0.0, 10.0, 4.0];
        assert!(segment_meets(&b, (-5.0, 2.0), (15.0, 2.0)));
        assert!(segment_meets(&b, (5.0, -3.0), (5.0, 1.0)));
        assert!(!segment_meets(&b, (-5.0, 5.0), (15.0, 5.0)));
        assert!(!segment_meets(&b, (11.0, -3.0), (11.0, 9.0)));
    }

    #[test]
    fn a_label_on_a_line_moves_off_it_and_off_the_label_before() {
        let lines = vec![((0.0, 50.0), (100.0, 50.0))];
        let l = |text: &str| Label {
            anchor: (40.0, 50.0),
            at: (41.0, 50.5),
            size: 2.6,
            fill: Rgb(0, 0, 0),
            text: text.into(),
        };
        let mut taken = Vec::new();
        let shapes = place(
            &[l("C-C 159.2 mm"), l("mid frontal")],
            &lines,
            &mut taken,
            [0.0, 0.0, 200.0, 200.0],
        );
        let boxes = label_boxes(&shapes);
        assert_eq!(boxes.len(), 2);
        for (b, t) in &boxes {
            assert!(!segment_meets(b, lines[0].0, lines[0].1), "{t} on the line");
        }
        assert!(!boxes_meet(&boxes[0].0, &boxes[1].0), "{boxes:?}");
    }

    #[test]
    fn labels_crowded_among_outlines_never_overlap() {
        // Ten moles 8 mm apart inside zone outlines drawn as marching squares draw them: many short segments.
        let mut lines = Vec::new();
        for k in 0..40 {
            let y = 20.0 + k as f64 * 2.0;
            for i in 0..100 {
                let x = i as f64;
                lines.push(((x, y), (x + 1.0, y + 0.3)));
            }
        }
        let labels: Vec<Label> = (0..10)
            .map(|i| {
                let anchor = (30.0 + (i % 4) as f64 * 8.0, 40.0 + (i / 4) as f64 * 8.0);
                Label {
                    anchor,
                    at: (anchor.0 - 12.0, anchor.1 + 4.0),
                    size: 2.8,
                    fill: Rgb(0, 0, 0),
                    text: format!("mole-{}: no pigment, 0.6 cm²", i + 1),
                }
            })
            .collect();
        let shapes = place(&labels, &lines, &mut Vec::new(), [0.0, 0.0, 100.0, 120.0]);
        let boxes = label_boxes(&shapes);
        assert_eq!(boxes.len(), 10);
        for (i, (a, ta)) in boxes.iter().enumerate() {
            for (b, tb) in &boxes[i + 1..] {
                assert!(!boxes_meet(a, b), "{ta} over {tb}");
            }
        }
    }
}
