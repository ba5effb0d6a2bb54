//! Where the stencil's labels go: each label (a landmark's name, a measured distance, a scar or exclusion
//! zone) is placed near the point it names so that no two labels overlap and no label lies on a line
//! (hairline, measured distances, zone outlines, landmark crosses, the head's outline). A label moved away
//! from its point gets a thin leader line back to it. Every label sits on a white knockout, so the
//! impressions drawn under it never run through its letters. Text boxes are measured with the fonts the
//! PDF embeds (follicle-fonts), so what is checked is what prints.

use crate::stencil::{Pt, Rgb, Shape};

/// What a label names, which decides where it may stand.
#[derive(Clone, Debug, PartialEq)]
pub enum Names {
    /// A mark (a landmark's cross): the label stands right beside it, nearer to it than to any other mark
    /// (outside test: "frontotemporal right" was printed 23 mm inside the head, beside a mole's outline).
    Mark,
    /// A measured path (A-B, C-C), drawn through these points: the label stands beside the dashed line,
    /// at its middle (the label's anchor) where there is room, else as near the middle as there is (outside
    /// test: "C-C 158.7 mm" stood outside the head, away from the line and its C points).
    Path(Vec<Pt>),
    /// A zone: the label stands where it would go (under the zone) when there is room, else near the zone.
    Zone,
}

/// A label to place: the text and the point on the sheet it names.
#[derive(Clone, Debug)]
pub struct Label {
    /// The point it names (a landmark, the middle of a measured path, a zone's centre).
    pub anchor: Pt,
    /// What it names ([`Names`]).
    pub names: Names,
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
/// The least room between a label's knockout and a line, mm (a line's half width and a little white).
const CLEAR_MM: f64 = 0.25;
/// Farther than this from what it names (a zone's label: from its place under the zone), a label gets a
/// leader line to it, mm.
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

/// How far the box `b` lies from the point `p` (0 when `p` is inside it), mm.
pub fn gap(b: &Box2, p: Pt) -> f64 {
    let dx = (b[0] - p.0).max(p.0 - b[2]).max(0.0);
    let dy = (b[1] - p.1).max(p.1 - b[3]).max(0.0);
    dx.hypot(dy)
}

/// The point of what `l` names nearest the box `b`, and how far the box lies from it, mm: its mark, the
/// nearest point of its path, or its zone's centre.
fn named_near(l: &Label, b: &Box2) -> (Pt, f64) {
    match &l.names {
        Names::Path(along) if !along.is_empty() => along
            .iter()
            .map(|&p| (p, gap(b, p)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((l.anchor, gap(b, l.anchor))),
        _ => (l.anchor, gap(b, l.anchor)),
    }
}

/// Where the leader of label `l` placed at box `b` (its wished box `b0`) starts, when it stands away from
/// what it names: a mark's or a path's label more than [`LEADER_FROM_MM`] from it, a zone's label more than
/// that from its place under the zone.
fn leader_from(l: &Label, b: &Box2, b0: &Box2) -> Option<Pt> {
    let (p, g) = named_near(l, b);
    let strays = match l.names {
        Names::Zone => distance(b, b0) > LEADER_FROM_MM,
        _ => g > LEADER_FROM_MM,
    };
    strays.then_some(p)
}

/// Places `labels` within `sheet` (its box) avoiding `lines` and the boxes already taken (`taken`, e.g.
/// titles; the placed labels join it), each as near what it names as that allows: a mark's or a path's label
/// at the clear place nearest its point (a path's, nearest its middle), and a mark's label nearer to its own
/// mark than to any other. Answers, per label, the shapes to draw over everything else: its knockout, its
/// leader line when it stands away, its text.
pub fn place(
    labels: &[Label],
    lines: &[(Pt, Pt)],
    taken: &mut Vec<Box2>,
    sheet: Box2,
) -> Vec<Shape> {
    let mut out = Vec::new();
    let mut leaders: Vec<(Pt, Pt)> = Vec::new();
    let mut grid = Grid::of(lines, sheet);
    let marks: Vec<Pt> = labels
        .iter()
        .filter(|l| l.names == Names::Mark)
        .map(|l| l.anchor)
        .collect();
    for l in labels {
        let b0 = text_box(l.at, l.size, &l.text);
        let (w, h) = (b0[2] - b0[0], b0[3] - b0[1]);
        // The box's offset from the baseline start.
        let (ox, oy) = (l.at.0 - b0[0], l.at.1 - b0[1]);
        let tried = candidates(l, &b0, w, h);
        let mut best: Option<(f64, Box2)> = None;
        for (b, off) in tried {
            let inside =
                b[0] >= sheet[0] && b[1] >= sheet[1] && b[2] <= sheet[2] && b[3] <= sheet[3];
            if !inside {
                continue;
            }
            // A line may not touch the knockout either: it keeps [`CLEAR_MM`] from it.
            let clear = [
                b[0] - CLEAR_MM,
                b[1] - CLEAR_MM,
                b[2] + CLEAR_MM,
                b[3] + CLEAR_MM,
            ];
            let mut clashes = grid.meeting(&clear)
                + leaders
                    .iter()
                    .filter(|(p, q)| segment_meets(&clear, *p, *q))
                    .count();
            if let Some(from) = leader_from(l, &b, &b0) {
                let to = nearest_on(&[b[0] - 0.2, b[1] - 0.2, b[2] + 0.2, b[3] + 0.2], from);
                clashes += taken.iter().filter(|t| segment_meets(t, from, to)).count();
            }
            // A mark's label nearer to another mark reads as that mark's.
            if l.names == Names::Mark {
                let own = gap(&b, l.anchor);
                clashes += marks
                    .iter()
                    .filter(|&&m| m != l.anchor && gap(&b, m) <= own)
                    .count();
            }
            // Letters over letters cannot be read at all; a line through a label can. A zone's outline is
            // many short segments, so a place across one counted more than an overlapping label did (outside
            // probe s28: "mole-1: no pig" under "mole-4: …" among ten moles): a label overlaps another only
            // where no place within reach is free of labels.
            let over_text = taken.iter().filter(|t| boxes_meet(t, &b)).count();
            let cost = over_text as f64 * 1e7 + clashes as f64 * 1000.0 + off;
            if !matches!(best, Some((c, _)) if c <= cost) {
                best = Some((cost, b));
            }
            if clashes + over_text == 0 {
                break;
            }
        }
        let b = best.map(|(_, b)| b).unwrap_or(b0);
        let outside = [b[0] - 0.2, b[1] - 0.2, b[2] + 0.2, b[3] + 0.2];
        if let Some(from) = leader_from(l, &b, &b0) {
            // The leader stops just short of the knockout, so it never runs into the letters.
            let end = nearest_on(&outside, from);
            if end != from {
                leaders.push((from, end));
                out.push(Shape::Lines {
                    paths: vec![vec![from, end]],
                    stroke: l.fill,
                    width: 0.15,
                    dash: None,
                });
            }
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

/// The lines of a sheet filed by the squares of a grid they pass near, so that a box is tested against the
/// lines near it only (a sheet holds thousands of segments, a label is tried in hundreds of places).
struct Grid<'a> {
    lines: &'a [(Pt, Pt)],
    /// The grid's top-left corner on the sheet, mm.
    origin: Pt,
    /// Squares across and down.
    nx: usize,
    ny: usize,
    /// Per square, row by row: the lines whose box reaches into it.
    squares: Vec<Vec<u32>>,
    /// Per line, the last query that counted it (a line filed in several squares is counted once).
    seen: Vec<u32>,
    query: u32,
}

/// The side of a [`Grid`]'s square, mm.
const GRID_MM: f64 = 4.0;

impl<'a> Grid<'a> {
    /// `lines` filed over the box `sheet` (a line beyond it in the squares at its edge).
    fn of(lines: &'a [(Pt, Pt)], sheet: Box2) -> Grid<'a> {
        let origin = (sheet[0], sheet[1]);
        let nx = (((sheet[2] - sheet[0]) / GRID_MM).ceil() as usize).max(1);
        let ny = (((sheet[3] - sheet[1]) / GRID_MM).ceil() as usize).max(1);
        let mut g = Grid {
            lines,
            origin,
            nx,
            ny,
            squares: vec![Vec::new(); nx * ny],
            seen: vec![0; lines.len()],
            query: 0,
        };
        for (k, (p, q)) in lines.iter().enumerate() {
            let (x0, x1, y0, y1) =
                g.span(&[p.0.min(q.0), p.1.min(q.1), p.0.max(q.0), p.1.max(q.1)]);
            for y in y0..=y1 {
                for x in x0..=x1 {
                    g.squares[y * nx + x].push(k as u32);
                }
            }
        }
        g
    }
    /// The squares box `b` reaches into: first and last column, first and last row.
    fn span(&self, b: &Box2) -> (usize, usize, usize, usize) {
        let at =
            |v: f64, o: f64, n: usize| (((v - o) / GRID_MM).floor().max(0.0) as usize).min(n - 1);
        (
            at(b[0], self.origin.0, self.nx),
            at(b[2], self.origin.0, self.nx),
            at(b[1], self.origin.1, self.ny),
            at(b[3], self.origin.1, self.ny),
        )
    }
    /// How many of the lines pass through box `b`.
    fn meeting(&mut self, b: &Box2) -> usize {
        self.query += 1;
        let (x0, x1, y0, y1) = self.span(b);
        let mut n = 0;
        for y in y0..=y1 {
            for x in x0..=x1 {
                for &k in &self.squares[y * self.nx + x] {
                    let k = k as usize;
                    if self.seen[k] != self.query {
                        self.seen[k] = self.query;
                        let (p, q) = self.lines[k];
                        n += usize::from(segment_meets(b, p, q));
                    }
                }
            }
        }
        n
    }
}

/// How far from its point a mark's or a path's label is tried, mm (the gap between the point and the
/// label's box), nearest first: close steps beside the point, wider ones farther out.
const GAPS_MM: [f64; 20] = [
    0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.5, 16.0, 20.0, 25.0, 30.0,
    35.0, 40.0,
];

/// Along a path, where its label is tried besides the middle (as fractions of its points), and how far
/// from the point a label is tried there, mm: beside the line, not far from it.
const ALONG: [f64; 6] = [0.4, 0.6, 0.3, 0.7, 0.2, 0.8];
const ALONG_GAP_MM: f64 = 6.0;
/// What standing away from a path's middle costs a label, per mm along it, against standing away from the
/// line: a millimetre beside the line for every 10 mm along it.
const ALONG_COST: f64 = 0.1;

/// The boxes of size `w` × `h` around the point `(ax, ay)` at a gap of `g` mm from it: the corners first
/// (clear of a cross's arms; the upper right first, as maps set a place's name), then the sides, each slid
/// along them.
fn ring(ax: f64, ay: f64, g: f64, w: f64, h: f64, out: &mut Vec<Box2>) {
    let boxed = |x0: f64, y0: f64| [x0, y0, x0 + w, y0 + h];
    let d = g / std::f64::consts::SQRT_2;
    out.push(boxed(ax + d, ay - d - h));
    out.push(boxed(ax + d, ay + d));
    out.push(boxed(ax - d - w, ay - d - h));
    out.push(boxed(ax - d - w, ay + d));
    for f in [0.5, 0.25, 0.75, 0.0, 1.0] {
        out.push(boxed(ax + g, ay - f * h));
        out.push(boxed(ax - g - w, ay - f * h));
    }
    for f in [0.5, 0.0, 1.0, 0.25, 0.75] {
        out.push(boxed(ax - f * w, ay - g - h));
        out.push(boxed(ax - f * w, ay + g));
    }
}

/// The boxes tried for label `l` (wished box `b0`, of size `w` × `h`), best first, each with how far it
/// stands from where the label belongs (mm): for a mark, the gap between its point and the box, all round
/// the point; for a path, the gap between the line and the box plus [`ALONG_COST`] for each millimetre from
/// the middle, around the middle and a few points along the line; for a zone, its wished place first,
/// then around its point at growing distances (right, left, above, below, then the corners), each by how far
/// it moved from the wished place.
fn candidates(l: &Label, b0: &Box2, w: f64, h: f64) -> Vec<(Box2, f64)> {
    let (ax, ay) = l.anchor;
    if l.names == Names::Zone {
        let boxed = |x0: f64, y0: f64| [x0, y0, x0 + w, y0 + h];
        let mut v = vec![(*b0, 0.0)];
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
                let b = boxed(x0, y0);
                v.push((b, distance(&b, b0)));
            }
        }
        return v;
    }
    let mut boxes = vec![*b0];
    for g in GAPS_MM {
        ring(ax, ay, g, w, h, &mut boxes);
    }
    if let Names::Path(along) = &l.names {
        let n = along.len();
        for f in ALONG {
            let Some(&(px, py)) = along.get(((n.saturating_sub(1)) as f64 * f).round() as usize)
            else {
                continue;
            };
            for g in GAPS_MM.into_iter().take_while(|&g| g <= ALONG_GAP_MM) {
                ring(px, py, g, w, h, &mut boxes);
            }
        }
    }
    let mut v: Vec<(Box2, f64)> = boxes
        .into_iter()
        .map(|b| {
            let (p, g) = named_near(l, &b);
            let along = if matches!(l.names, Names::Path(_)) {
                ALONG_COST * (p.0 - ax).hypot(p.1 - ay)
            } else {
                0.0
            };
            (b, g + along)
        })
        .collect();
    // Nearest first; among places as near, in the order above.
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
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
    fn the_grid_counts_the_lines_a_box_meets_as_a_scan_of_them_all_does() {
        // Segments of every length and direction, some beyond the sheet, and boxes all over it.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let sheet = [0.0, 0.0, 120.0, 80.0];
        let lines: Vec<(Pt, Pt)> = (0..400)
            .map(|k| {
                let p = (next() * 140.0 - 10.0, next() * 100.0 - 10.0);
                let len = if k % 10 == 0 { 60.0 } else { 3.0 };
                (p, (p.0 + (next() - 0.5) * len, p.1 + (next() - 0.5) * len))
            })
            .collect();
        let mut grid = Grid::of(&lines, sheet);
        for _ in 0..300 {
            let (x, y) = (next() * 130.0 - 5.0, next() * 90.0 - 5.0);
            let b = [x, y, x + next() * 30.0, y + next() * 6.0];
            let scan = lines
                .iter()
                .filter(|(p, q)| segment_meets(&b, *p, *q))
                .count();
            assert_eq!(grid.meeting(&b), scan, "{b:?}");
        }
    }

    #[test]
    fn a_label_on_a_line_moves_off_it_and_off_the_label_before() {
        let lines = vec![((0.0, 50.0), (100.0, 50.0))];
        let l = |text: &str| Label {
            anchor: (40.0, 50.0),
            names: Names::Path(vec![(0.0, 50.0), (40.0, 50.0), (100.0, 50.0)]),
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
                    names: Names::Zone,
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
