//! The stencil's sheet: the views side by side at 1:1, sized to hold them, the title and the note on
//! printing above, the distances, the scale bar and the session legend below; the impressions added session
//! by session (the earlier sessions' dots drawn while later ones are placed), and the labels placed last.

use super::draw::{draw_view, zone_labels, ViewLabels};
use super::view::{treated_cells, View};
use super::{
    distances, Distances, Drawn, Pt, Rgb, Shape, Stencil, DOT_RADIUS_MM, GREY, INK, SESSION_COLOURS,
};
use crate::labels::{self, Label};
use ahead::{Ahead, Counts};
use follicle_core::geom::Vec3;
use follicle_core::plan::Plan;

mod ahead;
mod footer;

use crate::tiles::Paper;
use footer::{footer_lines, legend, legend_width};

/// Margin around the drawing, mm.
const MARGIN: f64 = 10.0;
/// Where the first view's column begins, mm from the sheet's left edge: a label may stand left of the
/// front view down to here (the first page then begins there too).
const COLUMN_LEFT: f64 = 0.5;
/// How far a label keeps from the line between two columns, mm on each side: the views' ink stays more
/// than a millimetre apart, so the tiling never takes two views for one (`ink::VIEW_BREAK_MM`).
const SEAM_CLEAR: f64 = 1.1;
/// Space above the views for one title line (title, the note on printing, view names) and below them
/// (three lines of distances, the scale bar on a line of its own, one row of the legend under it), mm;
/// each further title line adds [`TITLE_LINE`], each further row of the legend [`LEGEND_ROW`].
const HEADER: f64 = 32.0;
/// A view's name stands this far above its outline (its baseline), mm: 2 mm under the note's second line
/// (at 4 mm it stood half a millimetre under it: outside test s47).
const NAME_ABOVE: f64 = 2.5;
const FOOTER: f64 = 36.0;
/// Where a view's left edge is clear of every line of the heading (title and note), mm from the sheet's
/// left edge, and how far down such a view begins (room for its name), mm.
const CLEAR_OF_HEADING: f64 = MARGIN + TEXT_WIDTH_MM + 3.0;
const VIEW_TOP: f64 = MARGIN + 8.0;
/// The widest a line of text above the views may be, mm: from the margin it stays on the first page of A4 and
/// Letter (190 mm printable across), so no title runs over onto the page beside it.
pub const TEXT_WIDTH_MM: f64 = 175.0;
/// Spacing of the session legend's rows, mm.
const LEGEND_ROW: f64 = 5.0;
/// Title size and line spacing, mm.
const TITLE_SIZE: f64 = 6.0;
/// Where the title's first line is set (its baseline), mm from the sheet's top.
const TITLE_BASELINE: f64 = 12.0;
/// The top of the sheet's ink: the title's capitals.
const INK_TOP: f64 = TITLE_BASELINE - TITLE_SIZE;
/// Blank at the bottom of a footer [`FOOTER`] tall: its legend's last row ends this far above it, mm (less
/// half a millimetre to spare).
const FOOTER_BLANK_BELOW: f64 = 5.5;
const TITLE_LINE: f64 = 7.0;
/// The note's size, mm.
const NOTE_SIZE: f64 = 3.5;

/// `text` broken at spaces into lines at most `max` mm wide at `size` mm (a word longer than a line is broken
/// between its letters), measured with the fonts the files embed.
fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let fits = |t: &str| follicle_fonts::width(t, size, false) <= max;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let tried = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&tried) {
            line = tried;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

pub(super) fn bounds(pts: &[Pt]) -> (f64, f64, f64, f64) {
    pts.iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
    )
}

/// The stencil without its impressions: everything that comes from the head, landmarks, hairline and zones
/// (views, outlines, distances, labels). It can be laid out from the plan's first session while the later
/// ones are placed; [`Layout::finish`] adds the impressions of the whole plan.
pub struct Layout {
    width_mm: f64,
    height_mm: f64,
    title: String,
    /// The title's lines, each fitting the first page.
    title_lines: Vec<String>,
    distances: Distances,
    /// Per view: the view, what is drawn under its impressions and what is drawn over them.
    views: Vec<(View, Vec<Shape>, Vec<Shape>)>,
    /// The labels of every view (distances, zones, landmarks), placed once everything else is drawn.
    labels: Vec<Label>,
    /// Lines across the sheet between neighbouring views that no label crosses ([`Layout::seams`]).
    seams: Vec<f64>,
    /// Distances and scale bar under the views.
    footer: Vec<Shape>,
    /// Per view, the impressions of the sessions drawn so far ([`Layout::draw_session`]), by session.
    sessions: Vec<Vec<(Shape, Drawn)>>,
    /// Where the footer (distances, scale bar, legend) ends, mm from the top.
    footer_bottom: f64,
    /// Where the footer's lines begin, mm from the sheet's left edge.
    footer_left: f64,
    /// The labels placed ahead of the last session ([`Layout::place_labels_ahead`]), with what they avoided.
    ahead: Option<Ahead>,
}

/// Lays out the stencil of `plan` without its impressions (see [`Layout`]).
pub fn layout(plan: &Plan, title: &str, paper: Paper) -> Layout {
    // Place the views from their outlines' extents, side by side: top, front, and back when the plan
    // treats the back of the head (a treated zone facing backward more than upward: the occiput, a strip
    // scar, the nape), which the top view would show only edge-on.
    let treated = treated_cells(plan);
    let back_needed = treated.iter().any(|(_, n)| -n.y > 0.5 && -n.y > n.z);
    let title_lines = wrap(title, TITLE_SIZE, TEXT_WIDTH_MM);
    let header = HEADER + TITLE_LINE * (title_lines.len() - 1) as f64;
    let mut placed: Vec<(View, Vec<Vec3>)> = Vec::new();
    // Each view's width, height and top edge, in the order placed.
    let mut sizes: Vec<(f64, f64, f64)> = Vec::new();
    // Each view stands in the middle of a column of the sheet as wide as a page prints, less a millimetre
    // ([`column_width`]), with its labels: the room on either side of the head is the labels' (beside the
    // page's edge, "temporal peak left" had no room outside the top view and was printed 10 mm from its
    // cross, inside the head: outside test). Between two columns, a line no label crosses, so each view
    // with its labels prints whole on a column of pages of its own (`Tiling::covering_views`).
    let column = column_width(paper);
    let mut col_left = COLUMN_LEFT;
    let mut seams = Vec::new();
    // The front view first: it is the shortest, so the distances and the legend fit under it, beside the
    // taller top view, and the sheet stays one page row tall on Letter (under the tallest view they made
    // the sheet 30 mm taller and took a fourth Letter page of their own: outside probe s27). The views
    // after it stand right of the title and the note ([`TEXT_WIDTH_MM`]), so nothing stands above them and
    // they begin at the sheet's top: the taller top view no longer makes the sheet taller by the heading.
    for (i, mut v) in [
        Some(View::front()),
        Some(View::top()),
        back_needed.then(View::back),
    ]
    .into_iter()
    .flatten()
    .enumerate()
    {
        let rim = v.rim(plan);
        let (x0, y0, x1, y1) = bounds(&v.silhouette(plan, &rim, &treated));
        let w = x1 - x0;
        if i > 0 {
            seams.push(col_left);
        }
        let room = ((column - w) / 2.0).max(SEAM_CLEAR + 1.0);
        let top = if col_left + room >= CLEAR_OF_HEADING {
            VIEW_TOP
        } else {
            header
        };
        v.ox = col_left + room - x0;
        v.oy = top - y0;
        col_left += w + 2.0 * room;
        sizes.push((w, y1 - y0, top));
        placed.push((v, rim));
    }
    let lowest = sizes.iter().map(|s| s.2 + s.1).fold(0.0, f64::max);
    let dist = distances(plan);
    let lines = footer_lines(&dist);
    // The session legend takes a row of its own for every two sessions after the first two.
    let legend_rows = plan.design.cumulative_fractions.len().div_ceil(2).max(1);
    let footer_h = FOOTER + LEGEND_ROW * (legend_rows - 1) as f64;
    // Under the first view when the footer fits there, clear of the next view; else under every view.
    let footer_w = lines
        .iter()
        .map(|t| follicle_fonts::width(t, 3.5, false))
        .fold(legend_width(), f64::max);
    let (_, first_h, first_top) = sizes[0];
    let beside = MARGIN + footer_w <= seams[0] - SEAM_CLEAR;
    let under = if beside { first_top + first_h } else { lowest };
    // Kept whole on the pages under the views when it fits them; else in a column of its own right of the
    // views, from their top: under a large head's front view on Letter the legend was cut by the page's
    // edge, printed again on a page of its own, and a registration mark stood on it (outside test s43).
    let page_h = paper.size_mm().1 - crate::tiles::MARGIN_TOP_MM - crate::tiles::MARGIN_BOTTOM_MM;
    let (footer_left, footer_top, right) =
        if under + footer_h - FOOTER_BLANK_BELOW - INK_TOP <= page_h {
            (MARGIN, under, col_left)
        } else {
            seams.push(col_left);
            let left = col_left + SEAM_CLEAR + MARGIN;
            (left, VIEW_TOP, left + footer_w + MARGIN)
        };
    let width = right.max(260.0).ceil();
    let height = lowest.max(footer_top + footer_h).ceil();
    // Zone outlines on the surface, for every view; a closed border ends where it began. A built-in zone's
    // border is the zone raster's (marching squares, traced smooth: trace.rs); a zone the practitioner drew
    // is printed on its own polygon (`Field::traced_borders`).
    let ids: Vec<u8> = (0..plan.zones.len() as u8).collect();
    let borders = plan.field.traced_borders(&ids);
    let outlines: Vec<Vec<Vec3>> = super::trace::trace(borders.raster)
        .into_iter()
        .map(|run| (run.points, run.closed))
        .chain(borders.drawn)
        .map(|(points, closed)| {
            let first = points[0];
            points
                .into_iter()
                .chain(closed.then_some(first))
                .map(|c| plan.head.point_of_chart(c))
                .collect()
        })
        .collect();
    let zone_names = zone_labels(plan, &placed, &treated);
    // Distances first, then the zones, then the landmarks' names: the more important label gets the nearer place.
    let (mut distance_labels, mut landmark_labels) = (Vec::new(), Vec::new());
    let views: Vec<_> = placed
        .into_iter()
        .map(|(v, rim)| {
            let silhouette = v.silhouette(plan, &rim, &treated);
            // The view's name centred over it: at its left edge, the name of a view that begins just before
            // a page's edge was split between two pages (outside probe s27: "Front" | "ront view").
            let (x0, y0, x1, _) = bounds(&silhouette);
            let name_w = follicle_fonts::width(v.name, 4.5, false);
            let mut under = vec![Shape::Text {
                at: (((x0 + x1 - name_w) / 2.0).max(x0), y0 - NAME_ABOVE),
                size: 4.5,
                fill: INK,
                text: v.name.to_string(),
            }];
            let mut over = Vec::new();
            let mut named = ViewLabels::default();
            draw_view(
                plan, &v, &dist, &outlines, silhouette, &mut under, &mut over, &mut named,
            );
            distance_labels.extend(named.distances);
            landmark_labels.extend(named.landmarks);
            (v, under, over)
        })
        .collect();
    let labels: Vec<Label> = distance_labels
        .into_iter()
        .chain(zone_names.into_iter().flatten())
        .chain(landmark_labels)
        .collect();
    // Distances and scale bar under the views.
    let mut footer = footer::distances_and_bar(lines, footer_left, footer_top);
    if footer_left > MARGIN {
        // In its own column, named like a view.
        footer.push(Shape::Text {
            at: (footer_left, footer_top),
            size: 4.5,
            fill: INK,
            text: "Distances and sessions".into(),
        });
    }
    Layout {
        width_mm: width,
        height_mm: height,
        title: title.to_string(),
        title_lines,
        distances: dist,
        sessions: vec![Vec::new(); views.len()],
        views,
        labels,
        footer,
        footer_bottom: footer_top + footer_h,
        footer_left,
        seams,
        ahead: None,
    }
}

/// The seams between views as boxes a label may not cover: [`SEAM_CLEAR`] on either side, the sheet's
/// height.
fn seam_boxes(seams: &[f64], height: f64) -> impl Iterator<Item = labels::Box2> + '_ {
    seams
        .iter()
        .map(move |&x| [x - SEAM_CLEAR, -1.0, x + SEAM_CLEAR, height + 1.0])
}

/// The width of a view's column on the sheet for `paper`, mm: what a page prints across, less a
/// millimetre, so a column's view and labels print whole on one column of pages from wherever its ink
/// begins (the first column's from [`COLUMN_LEFT`]).
fn column_width(paper: Paper) -> f64 {
    paper.size_mm().0 - 2.0 * crate::tiles::MARGIN_SIDE_MM - 1.0
}

/// The dots of session `k`'s impressions in view `v`.
fn session_dots(plan: &Plan, v: &View, k: usize) -> Shape {
    let fill = Rgb::from_hex(SESSION_COLOURS[(k - 1) % SESSION_COLOURS.len()]);
    let centres = plan
        .impressions
        .iter()
        .filter(|m| m.session == k && v.faces(plan, m.p, 0.05))
        .map(|m| v.project(m.p))
        .collect();
    Shape::Dots {
        centres,
        radius: DOT_RADIUS_MM,
        fill,
    }
}

impl Layout {
    /// Lays out and draws (SVG and PDF) the impressions of the next session of `plan` (a plan of this
    /// design with that session placed: later sessions never move it), so that [`Layout::finish`] only
    /// draws the sessions after it. Sessions are drawn in order from 1.
    pub fn draw_session(&mut self, plan: &Plan) {
        for ((v, _, _), drawn) in self.views.iter().zip(&mut self.sessions) {
            let shape = session_dots(plan, v, drawn.len() + 1);
            let d = Drawn::of(&shape);
            drawn.push((shape, d));
        }
    }

    /// The stencil of `plan` (the plan this layout was made from, or the same design with more sessions
    /// placed): the layout with every impression and the session legend.
    pub fn finish(self, plan: &Plan) -> Stencil {
        let counts = Counts::of(plan);
        let mut shapes = self.heading(&counts);
        let mut drawn = Vec::new();
        let mut named = Vec::new();
        for ((v, under, over), early) in self.views.into_iter().zip(self.sessions) {
            // The view's stretch across the sheet (its outline, name and what is drawn with it), for the
            // page labels.
            if let Some((x0, x1)) = under
                .iter()
                .chain(&over)
                .filter_map(super::ink::shape_bounds)
                .map(|r| (r.x0, r.x1))
                .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
            {
                named.push((v.name.to_string(), x0, x1));
            }
            shapes.extend(under);
            // Impressions, later sessions on top; those drawn early as they were drawn.
            let mut early = early.into_iter();
            for k in 1..=plan.sessions.len() {
                match early.next() {
                    Some((shape, d)) => {
                        drawn.push((shapes.len(), d));
                        shapes.push(shape);
                    }
                    None => shapes.push(session_dots(plan, &v, k)),
                }
            }
            shapes.extend(over);
        }
        shapes.extend(self.footer);
        shapes.extend(legend(self.footer_left, self.footer_bottom, &counts));
        // The labels last, over everything: off every line and every other label, on a white knockout
        // (the impressions' dots are neither: labels placed ahead among the same lines and texts stand).
        let lines = labels::segments(&shapes);
        let mut taken: Vec<labels::Box2> = labels::label_boxes(&shapes)
            .into_iter()
            .map(|(b, _)| b)
            .chain(seam_boxes(&self.seams, self.height_mm))
            .collect();
        let placed = match self.ahead {
            Some(a) if a.lines == lines && a.taken == taken => a.placed,
            _ => {
                let sheet = [0.0, 0.0, self.width_mm, self.height_mm];
                labels::place(&self.labels, &lines, &mut taken, sheet)
            }
        };
        shapes.extend(placed);
        Stencil {
            width_mm: self.width_mm,
            height_mm: self.height_mm,
            title: self.title,
            distances: self.distances,
            shapes,
            drawn,
            views: named,
        }
    }

    /// The title and the note on printing, for a plan of `counts`.
    fn heading(&self, counts: &Counts) -> Vec<Shape> {
        let mut shapes = Vec::new();
        let mut y = TITLE_BASELINE;
        for line in &self.title_lines {
            shapes.push(Shape::Text {
                at: (MARGIN, y),
                size: TITLE_SIZE,
                fill: INK,
                text: line.clone(),
            });
            y += TITLE_LINE;
        }
        let note = format!(
            "Printed at 100 % (actual size) this stencil is 1:1: check the 10 mm scale bar. {} impressions, {} sessions; dots enlarged to 0.6 mm for legibility (healed 0.10–0.25 mm).",
            follicle_core::words::count(counts.total as u64),
            counts.sessions.len()
        );
        for line in wrap(&note, NOTE_SIZE, TEXT_WIDTH_MM).into_iter().take(2) {
            shapes.push(Shape::Text {
                at: (MARGIN, y),
                size: NOTE_SIZE,
                fill: GREY,
                text: line,
            });
            y += 4.5;
        }
        shapes
    }
}

#[cfg(test)]
mod tests {
    use super::super::build;
    use super::*;

    /// A probe printed a stencil whose title and note ran off page 1 onto page 2 ("od 6", "Front v") and a
    /// long client name cut short: every line above the views now fits the first page, the whole title kept.
    #[test]
    fn the_title_and_note_fit_the_first_page() {
        let p = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let title = "Stencil for Łukasz Żółkiewski-Søren Ødegård-Abernathy-Wolfeschlegel 王小龍 - norwood 6, B 80.0 mm, three sessions";
        let s = build(&p, title, crate::tiles::Paper::A4);
        let mut words = Vec::new();
        let mut lines = 0;
        for sh in &s.shapes {
            if let Shape::Text {
                at,
                size,
                text,
                fill,
            } = sh
            {
                let title = *size == TITLE_SIZE;
                if title || (*size == NOTE_SIZE && *fill == GREY) {
                    let w = follicle_fonts::width(text, *size, false);
                    assert!(at.0 + w <= MARGIN + TEXT_WIDTH_MM + 1e-9, "{text}: {w} mm");
                }
                if title {
                    words.extend(text.split(' ').map(str::to_string));
                    lines += 1;
                }
            }
        }
        assert!(lines >= 2, "a long title wraps");
        // The session legend stays within the first column of pages too (its third entry ran onto page 2).
        for sh in &s.shapes {
            if let Shape::Text { at, size, text, .. } = sh {
                if text.starts_with("session ") {
                    let right = at.0 + follicle_fonts::width(text, *size, false);
                    assert!(
                        right <= MARGIN + TEXT_WIDTH_MM,
                        "{text}: ends at {right} mm"
                    );
                }
            }
        }
        assert_eq!(
            words.join(" "),
            title,
            "every word of the title kept, in order"
        );
        // The views move down to make room: nothing drawn above them overlaps.
        let short = build(&p, "t", crate::tiles::Paper::A4);
        assert!(s.height_mm > short.height_mm);
    }

    /// The plans of the example cases (examples/cases), by file name.
    fn example_plans() -> Vec<(String, Plan)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cases");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 5, "{files:?}");
        files
            .into_iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                let src = std::fs::read_to_string(&p).unwrap();
                let case = follicle_case::parse(&name, &src, &Default::default()).unwrap();
                (name, follicle_core::plan(&case.design).unwrap())
            })
            .collect()
    }

    /// Outside test: "frontotemporal right" was printed 23 mm from its cross, inside the head next to the
    /// mole's outline (scar example), and "C-C 158.7 mm" outside the head, away from its line (Ludwig
    /// example). In every example, on A4 and Letter, a landmark's name stands beside its cross (within a
    /// leader's short reach where the head's outline leaves no room nearer) and nearer to it than to any other
    /// cross; a measured distance's label beside its dashed line.
    #[test]
    fn labels_stand_beside_what_they_name_in_every_example() {
        const MARK_REACH_MM: f64 = 12.0;
        const PATH_REACH_MM: f64 = 2.0;
        for (name, plan) in example_plans() {
            for paper in [Paper::A4, Paper::Letter] {
                let l = layout(&plan, "t", paper);
                let wanted = l.labels.clone();
                let st = l.finish(&plan);
                // The labels are placed last, in order, one text each.
                let texts: Vec<labels::Box2> = st
                    .shapes
                    .iter()
                    .filter_map(|s| match s {
                        Shape::Text { at, size, text, .. } => {
                            Some(labels::text_box(*at, *size, text))
                        }
                        _ => None,
                    })
                    .collect();
                let placed = &texts[texts.len() - wanted.len()..];
                let marks: Vec<Pt> = wanted
                    .iter()
                    .filter(|l| l.names == labels::Names::Mark)
                    .map(|l| l.anchor)
                    .collect();
                let mut seen = (0, 0);
                for (label, b) in wanted.iter().zip(placed) {
                    let text = &label.text;
                    match &label.names {
                        labels::Names::Mark => {
                            let own = labels::gap(b, label.anchor);
                            assert!(
                                own <= MARK_REACH_MM,
                                "{name} {paper:?}: `{text}` stands {own:.1} mm from its cross"
                            );
                            for m in marks.iter().filter(|&&m| m != label.anchor) {
                                assert!(
                                    labels::gap(b, *m) > own,
                                    "{name} {paper:?}: `{text}` stands nearer another cross ({m:?}) than its own"
                                );
                            }
                            seen.0 += 1;
                        }
                        labels::Names::Path(along) => {
                            let off = along
                                .iter()
                                .map(|&p| labels::gap(b, p))
                                .fold(f64::INFINITY, f64::min);
                            assert!(
                                off <= PATH_REACH_MM,
                                "{name} {paper:?}: `{text}` stands {off:.1} mm from its line"
                            );
                            seen.1 += 1;
                        }
                        labels::Names::Zone => {}
                    }
                }
                assert!(seen.0 >= 10 && seen.1 >= 3, "{name} {paper:?}: {seen:?}");
            }
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_a_word_only_when_it_must() {
        assert_eq!(wrap("a b", 6.0, 175.0), vec!["a b"]);
        let long = "x".repeat(200);
        let lines = wrap(&long, 6.0, 50.0);
        assert!(lines.len() > 3 && lines.concat() == long, "{lines:?}");
        assert_eq!(wrap("", 6.0, 50.0), vec![""]);
    }

    #[test]
    fn a_layout_from_the_first_session_finishes_as_the_whole_plan_s_stencil() {
        use follicle_core::planner::{Geometry, Planner};
        let d = follicle_core::demo_design();
        let g = Geometry::new(&d).unwrap();
        let mut planner = Planner::start(&d, &g).unwrap();
        planner.step();
        let first = planner.plan();
        while !planner.done() {
            planner.step();
        }
        let whole = planner.into_plan();
        assert!(first.impressions.len() < whole.impressions.len());
        assert!(
            layout(&first, "t", crate::tiles::Paper::A4).finish(&whole)
                == build(&whole, "t", crate::tiles::Paper::A4)
        );
    }

    /// How often `what` occurs in `bytes`.
    fn count(bytes: &[u8], what: &[u8]) -> usize {
        bytes.windows(what.len()).filter(|w| *w == what).count()
    }

    /// Every stream of a PDF, inflated where it is a zlib stream.
    fn streams(pdf: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(i) = pdf[at..].windows(7).position(|w| w == b"stream\n") {
            let start = at + i + 7;
            let len = pdf[start..]
                .windows(10)
                .position(|w| w == b"\nendstream")
                .expect("every stream ends");
            let body = &pdf[start..start + len];
            out.push(miniz_oxide::inflate::decompress_to_vec_zlib(body).unwrap_or(body.to_vec()));
            at = start + len + 10;
        }
        out
    }

    #[test]
    fn sessions_drawn_early_give_the_same_svg_and_pdf() {
        use crate::tiles::Paper;
        use follicle_core::planner::{Geometry, Planner};
        let d = follicle_core::demo_design();
        let g = Geometry::new(&d).unwrap();
        let mut planner = Planner::start(&d, &g).unwrap();
        let mut l = None;
        while !planner.done() {
            planner.step();
            if !planner.done() {
                let so_far = planner.plan();
                l.get_or_insert_with(|| layout(&so_far, "t", crate::tiles::Paper::A4))
                    .draw_session(&so_far);
            }
        }
        let whole = planner.into_plan();
        let early = l.unwrap().finish(&whole);
        let plain = build(&whole, "t", crate::tiles::Paper::A4);
        assert_eq!(early.shapes, plain.shapes);
        // Two sessions of three drawn early, in each of the three views (the demo treats the back too).
        assert_eq!(early.drawn.len(), 6);
        assert!(plain.drawn.is_empty());
        for paper in [Paper::A4, Paper::Letter] {
            assert!(
                crate::svg::stencil_svg_on(&early, paper)
                    == crate::svg::stencil_svg_on(&plain, paper)
            );
            // The sessions drawn early were compressed early, in parts of their own: the same streams
            // once inflated (the drawing, the pages, the fonts), in the same number of objects.
            let (a, b) = (
                crate::pdf::stencil_pdf(&early, paper),
                crate::pdf::stencil_pdf(&plain, paper),
            );
            let drawing = streams(&a);
            assert!(drawing.len() >= 4 && drawing.iter().any(|s| s.len() > 100_000));
            assert!(drawing == streams(&b));
            assert_eq!(count(&a, b" obj"), count(&b, b" obj"));
        }
        // A shape drawn early is what the writers draw in place.
        let (at, drawn) = &early.drawn[0];
        assert!(crate::svg::stencil_svg_on(&plain, Paper::A4).contains(&drawn.svg));
        assert!(matches!(plain.shapes[*at], Shape::Dots { .. }));
    }
}
