//! Where the stencil sheet has something drawn: the test that leaves blank pages out of the tiled PDF (and
//! their guides out of the SVG). A rectangle has ink when a dot, a line, an outline or a text box reaches into
//! it, or when it lies inside a filled area; exact for straight segments (clipped to the rectangle), a text
//! counted by its measured box.

use super::{Pt, Shape, Stencil};
use crate::tiles::{Paper, Tiling};

/// Two stretches of ink across the sheet closer than this are one view's, mm (a view's name, labels and
/// outline touch or overlap; the views stand 20 mm apart).
const VIEW_BREAK_MM: f64 = 1.0;

/// An axis-aligned rectangle on the sheet, mm: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl Rect {
    fn contains(&self, (x, y): Pt) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
    /// Whether the segment `a`–`b` reaches into the rectangle (the labels' Liang–Barsky clipping).
    fn meets_segment(&self, a: Pt, b: Pt) -> bool {
        crate::labels::segment_meets(&[self.x0, self.y0, self.x1, self.y1], a, b)
    }
    /// The rectangle grown by `d` on every side.
    fn grown(&self, d: f64) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
}

/// Whether `p` lies inside the closed polygon `poly` (even–odd rule).
fn inside(poly: &[Pt], (x, y): Pt) -> bool {
    let mut odd = false;
    let mut j = poly.len().wrapping_sub(1);
    for i in 0..poly.len() {
        let ((xi, yi), (xj, yj)) = (poly[i], poly[j]);
        if (yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi) {
            odd = !odd;
        }
        j = i;
    }
    odd
}

/// Whether `shape` puts ink inside `r`.
pub fn shape_meets(shape: &Shape, r: &Rect) -> bool {
    match shape {
        Shape::Area { points, width, .. } => {
            let rr = r.grown(width / 2.0);
            let closed = points.iter().zip(points.iter().cycle().skip(1));
            closed.clone().any(|(&a, &b)| rr.meets_segment(a, b))
                || inside(points, ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0))
        }
        Shape::Lines { paths, width, .. } => {
            let rr = r.grown(width / 2.0);
            paths
                .iter()
                .any(|p| p.windows(2).any(|w| rr.meets_segment(w[0], w[1])))
        }
        Shape::Dots {
            centres, radius, ..
        } => {
            let rr = r.grown(*radius);
            centres.iter().any(|&c| rr.contains(c))
        }
        Shape::Text { at, size, text, .. } => {
            let w = follicle_fonts::width(text, *size, false);
            let (x0, x1) = (at.0, at.0 + w);
            let (y0, y1) = (at.1 - size, at.1 + 0.3 * size);
            x1 >= r.x0 && x0 <= r.x1 && y1 >= r.y0 && y0 <= r.y1 && !text.trim().is_empty()
        }
    }
}

/// Whether any of the text `boxes` lies under a registration mark at `(x, y)` (see
/// [`Stencil::text_under_mark`]).
fn text_under(boxes: &[Rect], x: f64, y: f64) -> bool {
    boxes
        .iter()
        .any(|b| b.x1 >= x - 5.0 && b.x0 <= x + 5.0 && b.y1 >= y - 5.0 && b.y0 <= y + 5.0)
}

/// The box `shape` puts ink in (left, top, right, bottom); `None` for nothing drawn.
pub(crate) fn shape_bounds(shape: &Shape) -> Option<Rect> {
    let of = |pts: &mut dyn Iterator<Item = Pt>, d: f64| {
        let (x0, y0, x1, y1) = pts.fold(
            (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
            |(x0, y0, x1, y1), (x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        );
        (x0 <= x1).then_some(Rect { x0, y0, x1, y1 }.grown(d))
    };
    match shape {
        Shape::Area { points, width, .. } => of(&mut points.iter().copied(), width / 2.0),
        Shape::Lines { paths, width, .. } => of(&mut paths.iter().flatten().copied(), width / 2.0),
        Shape::Dots {
            centres, radius, ..
        } => of(&mut centres.iter().copied(), *radius),
        Shape::Text { at, size, text, .. } => (!text.trim().is_empty()).then(|| Rect {
            x0: at.0,
            y0: at.1 - size,
            x1: at.0 + follicle_fonts::width(text, *size, false),
            y1: at.1 + 0.3 * size,
        }),
    }
}

impl Stencil {
    /// The label of page `t` of `tiling`, naming the views printed on it: "page 2 of 3: Top view (face up)"
    /// for a page holding whole views, "page 3 of 5, row 1 col 3: Top view (face up)" for one of the pages a
    /// view is printed over (an outside tester asked which view each page holds: the grid's rows and columns
    /// alone did not say; [`Tiling::label`]).
    pub fn page_label(&self, tiling: &Tiling, t: &crate::tiles::Tile) -> String {
        let on: Vec<&str> = self
            .views
            .iter()
            .filter(|(_, x0, x1)| *x1 > t.x0 + 1.0 && *x0 < t.x0 + t.w - 1.0)
            .map(|(n, _, _)| n.as_str())
            .collect();
        if on.is_empty() {
            tiling.label(t)
        } else {
            format!("{}: {}", tiling.label(t), on.join(", "))
        }
    }
    /// The box around everything drawn on the sheet (the whole sheet when nothing is).
    pub fn ink_bounds(&self) -> Rect {
        self.shapes
            .iter()
            .filter_map(shape_bounds)
            .reduce(|a, b| Rect {
                x0: a.x0.min(b.x0),
                y0: a.y0.min(b.y0),
                x1: a.x1.max(b.x1),
                y1: a.y1.max(b.y1),
            })
            .unwrap_or(Rect {
                x0: 0.0,
                y0: 0.0,
                x1: self.width_mm,
                y1: self.height_mm,
            })
    }
    /// Whether anything is drawn inside `r`.
    pub fn has_ink(&self, r: &Rect) -> bool {
        self.shapes.iter().any(|s| shape_meets(s, r))
    }
    /// Whether any text of the sheet lies under a registration mark at `(x, y)` (its 8 mm cross, with 1 mm
    /// to spare).
    pub fn text_under_mark(&self, x: f64, y: f64) -> bool {
        text_under(&self.text_boxes(), x, y)
    }
    /// The boxes of the sheet's texts, measured once.
    fn text_boxes(&self) -> Vec<Rect> {
        self.shapes
            .iter()
            .filter(|s| matches!(s, Shape::Text { .. }))
            .filter_map(shape_bounds)
            .collect()
    }
    /// The registration marks of `t` on this sheet, each off the text (see
    /// [`Tiling::registration_marks_clear_of`]).
    pub fn registration_marks(&self, t: &Tiling) -> Vec<Pt> {
        let texts = self.text_boxes();
        t.registration_marks_clear_of(|x, y| !text_under(&texts, x, y))
    }
    /// How the sheet is printed on `paper`: the fewest tiles that cover what is drawn ([`Tiling::covering`]),
    /// without the squares that have nothing drawn on them.
    pub fn tiling(&self, paper: Paper) -> Tiling {
        let b = self.ink_bounds();
        // Each shape's box once: a shape whose box misses a square has no ink in it; a text's box is its ink.
        let boxed: Vec<(Rect, &Shape)> = self
            .shapes
            .iter()
            .filter_map(|s| shape_bounds(s).map(|r| (r, s)))
            .collect();
        // The views (and what is drawn with them) as the stretches across the sheet that ink covers
        // without a break: a page holds whole views where they fit.
        let mut spans: Vec<(f64, f64)> = boxed.iter().map(|(r, _)| (r.x0, r.x1)).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut views: Vec<(f64, f64)> = Vec::new();
        for (x0, x1) in spans {
            match views.last_mut() {
                Some(v) if x0 <= v.1 + VIEW_BREAK_MM => v.1 = v.1.max(x1),
                _ => views.push((x0, x1)),
            }
        }
        Tiling::covering_views(paper, &views, b.y0, b.y1).leaving_out_blank(|x0, y0, x1, y1| {
            let r = Rect { x0, y0, x1, y1 };
            boxed.iter().any(|(bb, s)| {
                bb.x1 >= r.x0
                    && bb.x0 <= r.x1
                    && bb.y1 >= r.y0
                    && bb.y0 <= r.y1
                    && (matches!(s, Shape::Text { .. }) || shape_meets(s, &r))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stencil::Rgb;

    const R: Rect = Rect {
        x0: 10.0,
        y0: 10.0,
        x1: 20.0,
        y1: 20.0,
    };

    #[test]
    fn segments_are_clipped_exactly() {
        // Through, ending inside, passing by the corner, parallel outside, a point inside.
        assert!(R.meets_segment((0.0, 15.0), (30.0, 15.0)));
        assert!(R.meets_segment((15.0, 15.0), (40.0, 40.0)));
        assert!(!R.meets_segment((0.0, 9.0), (11.0, 0.0)));
        assert!(R.meets_segment((0.0, 21.0), (21.0, 0.0)));
        assert!(!R.meets_segment((0.0, 25.0), (30.0, 25.0)));
        assert!(R.meets_segment((12.0, 12.0), (12.0, 12.0)));
        assert!(!R.meets_segment((5.0, 5.0), (5.0, 5.0)));
    }

    #[test]
    fn a_filled_area_around_the_square_is_ink_and_its_empty_corner_is_not() {
        let big = Shape::Area {
            points: vec![(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)],
            fill: Rgb(1, 2, 3),
            stroke: Rgb(0, 0, 0),
            width: 0.3,
        };
        assert!(shape_meets(&big, &R), "the square lies inside the area");
        // A triangle whose hypotenuse passes beside the square.
        let tri = Shape::Area {
            points: vec![(0.0, 0.0), (18.0, 0.0), (0.0, 18.0)],
            fill: Rgb(1, 2, 3),
            stroke: Rgb(0, 0, 0),
            width: 0.3,
        };
        assert!(!shape_meets(
            &tri,
            &Rect {
                x0: 10.0,
                y0: 10.0,
                x1: 20.0,
                y1: 20.0
            }
        ));
        let dots = Shape::Dots {
            centres: vec![(20.2, 15.0)],
            radius: 0.3,
            fill: Rgb(0, 0, 0),
        };
        assert!(shape_meets(&dots, &R), "a dot whose edge reaches in");
        let text = Shape::Text {
            at: (0.0, 15.0),
            size: 4.0,
            fill: Rgb(0, 0, 0),
            text: "a long label running on".into(),
        };
        assert!(shape_meets(&text, &R));
        let short = Shape::Text {
            at: (0.0, 15.0),
            size: 4.0,
            fill: Rgb(0, 0, 0),
            text: "a".into(),
        };
        assert!(!shape_meets(&short, &R));
    }

    #[test]
    fn the_demo_stencil_prints_no_blank_page() {
        let p = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        // The demo's own title, two lines, and a client's name that takes three: the views right of the
        // heading begin at the sheet's top, so a longer heading does not make the sheet taller than a page row.
        for title in [
            "follicle stencil — Demo: median adult male head, Norwood 6",
            "follicle stencil — Maximilian Alexander Wolfeschlegelsteinhausenberger-Ødegård, consultation of 2026-12-04, third revision",
        ] {
            page_the_demo(&p, title);
        }
        // A large head (the large-head example's 211 × 163 × 141 mm) in five sessions under a three-line
        // title: its top view is 211 mm long and the legend three rows; under the heading the top view made
        // the sheet 260 mm tall and Letter printed two pages holding only a legend row and a sliver of the
        // top view (five pages); beside it, three.
        let large = man_of((211.0, 163.0, 141.0), 5, 5);
        let title = "follicle stencil — Maximilian Alexander Wolfeschlegelsteinhausenberger-Ødegård 王小龍 — consultation 2026-12-04, third revision of the design";
        let st = super::super::build(&large, title, Paper::Letter);
        assert_eq!(st.tiling(Paper::Letter).pages(), 3, "{}", st.height_mm);
    }

    /// The plan of a man's head of (length, breadth, height) mm, Norwood `stage`, in `sessions` sessions.
    fn man_of(
        (length, breadth, height): (f64, f64, f64),
        stage: u8,
        sessions: usize,
    ) -> follicle_core::plan::Plan {
        let mut head =
            follicle_core::head::HeadMeasurements::median(follicle_core::head::Sex::Male);
        (head.length_mm, head.breadth_mm, head.height_mm) = (length, breadth, height);
        follicle_core::plan(&follicle_core::pattern_design(
            follicle_core::Pattern::Norwood(stage),
            head,
            sessions,
            7,
        ))
        .unwrap()
    }

    /// A head too large for the front view, the distances and the legend to share a Letter page (238 mm long,
    /// four sessions: outside test s43, the legend's second row was cut by page 1's edge, printed again alone
    /// on page 4, with a registration mark on it): they go to a column of their own, every text whole on a
    /// page and no mark on one; on A4, where they fit, they stay under the front view.
    #[test]
    fn a_large_head_s_distances_and_legend_print_whole() {
        let large = man_of((238.0, 185.0, 165.0), 3, 4);
        for paper in [Paper::A4, Paper::Letter] {
            let st = super::super::build(&large, "Big head", paper);
            let t = st.tiling(paper);
            let legend: Vec<Rect> = st
                .shapes
                .iter()
                .filter(|s| {
                    matches!(s, Shape::Text { text, .. }
                        if text.starts_with("session ") && text.contains("impressions (")
                            || text.starts_with("A-B  glabella"))
                })
                .filter_map(shape_bounds)
                .collect();
            assert_eq!(legend.len(), 5, "{paper:?}");
            for b in st.text_boxes() {
                let pages: Vec<usize> = t
                    .tiles()
                    .iter()
                    .filter(|tile| {
                        b.x0 >= tile.x0
                            && b.x1 <= tile.x0 + tile.w
                            && b.y0 >= tile.y0
                            && b.y1 <= tile.y0 + t.tile_h
                    })
                    .map(|tile| tile.page)
                    .collect();
                assert!(
                    !pages.is_empty(),
                    "{paper:?}: a text at {b:?} is cut by every page"
                );
            }
            for (x, y) in st.registration_marks(&t) {
                assert!(
                    !st.text_under_mark(x, y),
                    "{paper:?}: a mark at ({x}, {y}) on text"
                );
            }
            // The legend and the distances share one page: none is split off onto another.
            let page_of = |b: &Rect| {
                t.tiles()
                    .iter()
                    .find(|tile| {
                        b.x0 >= tile.x0
                            && b.x1 <= tile.x0 + tile.w
                            && b.y0 >= tile.y0
                            && b.y1 <= tile.y0 + t.tile_h
                    })
                    .map(|tile| tile.page)
            };
            let first = page_of(&legend[0]);
            assert!(legend.iter().all(|b| page_of(b) == first), "{paper:?}");
            let beside_front = legend[0].x0 < 50.0;
            assert_eq!(
                beside_front,
                paper == Paper::A4,
                "{paper:?}: legend at {:?}",
                legend[0]
            );
        }
    }

    fn page_the_demo(p: &follicle_core::plan::Plan, title: &str) {
        for paper in [Paper::A4, Paper::Letter] {
            let st = super::super::build(p, title, paper);
            let full = Tiling::new(paper, st.width_mm, st.height_mm);
            let t = st.tiling(paper);
            // The sheet's blank margins cost no page, and the distances and legend under the (shorter) front
            // view keep it one row of pages tall: 3 pages on A4 and Letter (the sheet's own grid took 6; with
            // the footer under the tallest view Letter took a fourth page for two lines of it).
            assert!(t.pages() <= full.pages(), "{paper:?}: {t:?}");
            assert_eq!((t.rows, t.pages()), (1, 3), "{paper:?}: {t:?}");
            // No registration mark on a line of text (outside probe s27: on the distances under the views).
            for (x, y) in st.registration_marks(&t) {
                assert!(
                    !st.text_under_mark(x, y),
                    "{paper:?}: a mark at ({x}, {y}) on text"
                );
            }
            for tile in t.tiles() {
                let r = Rect {
                    x0: tile.x0,
                    y0: tile.y0,
                    x1: tile.x0 + tile.w,
                    y1: tile.y0 + t.tile_h,
                };
                assert!(st.has_ink(&r), "{paper:?} {tile:?} is blank");
            }
            // Every text of the sheet whole on a printed page, and no page holding a slice of a view it
            // does not hold whole: each view on a page of its own (outside probe s32: the grid laid over the
            // views cut "temporal peak left" into "temporal peal" | "poral peak left" and printed 12 mm of
            // the top view on the front view's page).
            for b in st.text_boxes() {
                assert!(
                    t.tiles().iter().any(|tile| b.x0 >= tile.x0
                        && b.x1 <= tile.x0 + tile.w
                        && b.y0 >= tile.y0
                        && b.y1 <= tile.y0 + t.tile_h),
                    "{paper:?}: a text at {b:?} is cut by every page"
                );
            }
            assert!(t.registration_marks().is_empty(), "{paper:?}: {t:?}");
            // Every dot of the sheet is on a printed page.
            for s in &st.shapes {
                if let Shape::Dots { centres, .. } = s {
                    for &c in centres {
                        assert!(
                            t.tiles().iter().any(|tile| Rect {
                                x0: tile.x0,
                                y0: tile.y0,
                                x1: tile.x0 + tile.w,
                                y1: tile.y0 + t.tile_h,
                            }
                            .contains(c)),
                            "{paper:?}: dot at {c:?} on no page"
                        );
                    }
                }
            }
        }
    }
}
