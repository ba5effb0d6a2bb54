//! Printing a stencil larger than the paper at 1:1: the sheet is cut into overlapping tiles, one per page
//! (A4 or US Letter, portrait). Neighbouring tiles share a 10 mm overlap band where registration marks sit,
//! so the printed pages are laid over each other, marks on marks, and taped. A tile with nothing drawn on it
//! (the corner beside a round head, the gap between two views) is left out: no blank page is printed, and
//! the pages laid together keep their row and column on the grid so the practitioner knows where each one
//! goes (a page that holds a whole view needs none).

/// Paper sizes a stencil is printed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm (595 × 842 pt).
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in (612 × 792 pt).
    Letter,
}

impl Paper {
    /// Parses `a4` or `letter` (any case).
    pub fn from_name(s: &str) -> Option<Paper> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" => Some(Paper::Letter),
            _ => None,
        }
    }
    /// `A4` or `Letter`.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "Letter",
        }
    }
    /// Portrait width and height, mm.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
    /// Portrait width and height in PDF points (1/72 in), rounded as PDF readers report them.
    pub fn size_pt(self) -> (f64, f64) {
        match self {
            Paper::A4 => (595.0, 842.0),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// Page margins outside the printed tile, mm: wide enough for any office printer's unprintable edge; the
/// bottom one holds the page label and the scale bar.
pub const MARGIN_SIDE_MM: f64 = 10.0;
/// Top margin, mm (the printing note).
pub const MARGIN_TOP_MM: f64 = 12.0;
/// Bottom margin, mm (page label and 10 mm scale bar).
pub const MARGIN_BOTTOM_MM: f64 = 18.0;
/// Overlap between neighbouring tiles, mm.
pub const OVERLAP_MM: f64 = 10.0;

/// How a sheet of `width × height` mm is cut into pages.
#[derive(Clone, Debug, PartialEq)]
pub struct Tiling {
    /// The paper.
    pub paper: Paper,
    /// Columns of pages.
    pub cols: usize,
    /// Rows of pages.
    pub rows: usize,
    /// Printed area of one page (the tile), mm.
    pub tile_w: f64,
    /// Printed area height, mm.
    pub tile_h: f64,
    /// Distance between the left edges of neighbouring tiles on the sheet (tile width − overlap), mm.
    pub step_x: f64,
    /// Distance between the top edges of neighbouring tiles, mm.
    pub step_y: f64,
    /// Where the first tile's printed area starts on the sheet (left, top), mm: the grid is laid over what is
    /// drawn, so no page row or column is spent on the sheet's blank margins.
    pub origin: (f64, f64),
    /// Per grid square, row by row: whether it is printed (false: nothing is drawn there).
    printed: Vec<bool>,
    /// Left edge of each column on the sheet, mm: `step_x` apart where a drawing runs on from one column to
    /// the next, else where the next view begins ([`Tiling::covering_views`]).
    lefts: Vec<f64>,
    /// Width of the sheet each column prints, mm (the tile's, or less where the next view begins sooner:
    /// no page prints a slice of a view it does not hold).
    widths: Vec<f64>,
    /// Per column: whether the next column continues its drawing (they share the overlap band, its cut
    /// line and registration marks); a column that begins a view of its own does not.
    joined: Vec<bool>,
}

/// One page of a tiling.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tile {
    /// 1-based page number, row by row.
    pub page: usize,
    /// 1-based row.
    pub row: usize,
    /// 1-based column.
    pub col: usize,
    /// The sheet area printed on this page: left, top (mm on the sheet).
    pub x0: f64,
    /// Top of the area, mm on the sheet.
    pub y0: f64,
    /// Width of the area, mm (the tile's, or less where the next view begins: [`Tiling::covering_views`]).
    pub w: f64,
}

impl Tiling {
    /// The fewest pages of `paper` (portrait) that cover a `width × height` mm sheet with the overlap.
    pub fn new(paper: Paper, width: f64, height: f64) -> Tiling {
        let (pw, ph) = paper.size_mm();
        let tile_w = pw - 2.0 * MARGIN_SIDE_MM;
        let tile_h = ph - MARGIN_TOP_MM - MARGIN_BOTTOM_MM;
        let (step_x, step_y) = (tile_w - OVERLAP_MM, tile_h - OVERLAP_MM);
        let count = |size: f64, tile: f64, step: f64| {
            if size <= tile {
                1
            } else {
                ((size - OVERLAP_MM) / step).ceil() as usize
            }
        };
        let (cols, rows) = (count(width, tile_w, step_x), count(height, tile_h, step_y));
        Tiling {
            paper,
            cols,
            rows,
            tile_w,
            tile_h,
            step_x,
            step_y,
            origin: (0.0, 0.0),
            printed: vec![true; cols * rows],
            lefts: (0..cols).map(|c| c as f64 * step_x).collect(),
            widths: vec![tile_w; cols],
            joined: vec![true; cols],
        }
    }
    /// The fewest pages of `paper` that cover the area `left..right` × `top..bottom` of a sheet (what is
    /// drawn on it), the grid starting at its top-left corner: the title and the legend, drawn from the
    /// sheet's left, stay on the first column of pages.
    pub fn covering(paper: Paper, left: f64, top: f64, right: f64, bottom: f64) -> Tiling {
        let mut t = Tiling::new(paper, right - left, bottom - top);
        t.origin = (left, top);
        for l in &mut t.lefts {
            *l += left;
        }
        t
    }
    /// [`Tiling::covering`] for a drawing made of views side by side, `views` their extents across the
    /// sheet (left, right, mm; apart, in order): a view as wide as a page or narrower is printed whole on
    /// one column of pages that begins at it and prints nothing of the next view; a wider one is cut into
    /// columns joined by the overlap. Laid uniformly over the views, the grid printed a strip of the next
    /// view at a page's edge and cut one label in two ("temporal peal" | "poral peak left", outside probe
    /// s32).
    pub fn covering_views(paper: Paper, views: &[(f64, f64)], top: f64, bottom: f64) -> Tiling {
        let (Some(first), Some(last)) = (views.first(), views.last()) else {
            return Tiling::covering(paper, 0.0, top, 1.0, bottom);
        };
        let mut t = Tiling::covering(paper, first.0, top, last.1, bottom);
        let (mut lefts, mut widths, mut joined) = (Vec::new(), Vec::new(), Vec::new());
        let mut i = 0;
        while i < views.len() {
            let left = views[i].0;
            if views[i].1 - left > t.tile_w {
                // Wider than a page: columns joined by the overlap across it.
                let n = ((views[i].1 - left - OVERLAP_MM) / t.step_x)
                    .ceil()
                    .max(1.0) as usize;
                let end = views.get(i + 1).map_or(f64::INFINITY, |v| v.0);
                for k in 0..n {
                    let l = left + k as f64 * t.step_x;
                    lefts.push(l);
                    widths.push(t.tile_w.min(end - l));
                    joined.push(k + 1 < n);
                }
                i += 1;
            } else {
                // This view and the next ones that fit whole on the same column.
                let mut j = i;
                while j + 1 < views.len() && views[j + 1].1 <= left + t.tile_w {
                    j += 1;
                }
                let end = views.get(j + 1).map_or(f64::INFINITY, |v| v.0);
                lefts.push(left);
                widths.push(t.tile_w.min(end - left));
                joined.push(false);
                i = j + 1;
            }
        }
        t.cols = lefts.len();
        t.printed = vec![true; t.cols * t.rows];
        t.lefts = lefts;
        t.widths = widths;
        t.joined = joined;
        t
    }
    /// The left edge of column `c` (0-based) on the sheet.
    fn left(&self, c: usize) -> f64 {
        self.lefts[c]
    }
    /// Whether column `c` and the one right of it share their overlap (the drawing runs on across it).
    fn joins_right(&self, c: usize) -> bool {
        self.joined.get(c).copied().unwrap_or(false)
    }
    /// The top edge of row `r` (0-based) on the sheet.
    fn top(&self, r: usize) -> f64 {
        self.origin.1 + r as f64 * self.step_y
    }
    /// The same grid with the squares that would print nothing of their own left out: those where
    /// `has_ink(left, top, right, bottom)` (an area in mm on the sheet) is false over the whole square, and
    /// those whose ink lies only in the overlap with printed pages beside them, which print it already (outside
    /// probe s28: a tall head on Letter printed a page holding only the 10 mm of outline the page above it
    /// held too). A sheet with nothing drawn at all keeps its first page.
    pub fn leaving_out_blank(mut self, has_ink: impl Fn(f64, f64, f64, f64) -> bool) -> Tiling {
        let (rows, cols) = (self.rows, self.cols);
        // The part of square (r, c) not shared with the squares beside it for which `beside(r, c)` holds.
        let own = |t: &Tiling, r: usize, c: usize, beside: &dyn Fn(usize, usize) -> bool| {
            let (x0, y0) = (t.left(c), t.top(r));
            let cut = |yes: bool| if yes { OVERLAP_MM } else { 0.0 };
            (
                x0 + cut(c > 0 && t.joins_right(c - 1) && beside(r, c - 1)),
                y0 + cut(r > 0 && beside(r - 1, c)),
                x0 + t.widths[c] - cut(t.joins_right(c) && beside(r, c + 1)),
                y0 + t.tile_h - cut(beside(r + 1, c)),
            )
        };
        // First the squares with ink no other square holds; then, row by row, a square whose ink is not all
        // in the overlap of printed squares beside it.
        for r in 0..rows {
            for c in 0..cols {
                let (x0, y0, x1, y1) = own(&self, r, c, &|rr, cc| rr < rows && cc < cols);
                self.printed[r * cols + c] = has_ink(x0, y0, x1, y1);
            }
        }
        for r in 0..rows {
            for c in 0..cols {
                if self.printed[r * cols + c] {
                    continue;
                }
                let (x0, y0, x1, y1) = own(&self, r, c, &|rr, cc| self.is_printed(rr, cc));
                self.printed[r * cols + c] = x1 > x0 && y1 > y0 && has_ink(x0, y0, x1, y1);
            }
        }
        if !self.printed.contains(&true) {
            self.printed[0] = true;
        }
        self
    }
    /// Whether the square at 0-based `row`, `col` is printed (false off the grid).
    fn is_printed(&self, row: usize, col: usize) -> bool {
        row < self.rows && col < self.cols && self.printed[row * self.cols + col]
    }
    /// Number of pages.
    pub fn pages(&self) -> usize {
        self.printed.iter().filter(|&&p| p).count()
    }
    /// The grid squares left out, as 1-based (row, col).
    pub fn left_out(&self) -> Vec<(usize, usize)> {
        (0..self.rows * self.cols)
            .filter(|&i| !self.printed[i])
            .map(|i| (i / self.cols + 1, i % self.cols + 1))
            .collect()
    }
    /// The pages, row by row.
    pub fn tiles(&self) -> Vec<Tile> {
        let mut v = Vec::with_capacity(self.pages());
        for r in 0..self.rows {
            for c in 0..self.cols {
                if self.is_printed(r, c) {
                    v.push(Tile {
                        page: v.len() + 1,
                        row: r + 1,
                        col: c + 1,
                        x0: self.left(c),
                        y0: self.top(r),
                        w: self.widths[c],
                    });
                }
            }
        }
        v
    }
    /// The centre lines of the overlap bands `t` shares with a printed neighbour (where one of the two pages is
    /// trimmed): x of each vertical band, y of each horizontal one, mm on the sheet.
    pub fn cuts(&self, t: &Tile) -> (Vec<f64>, Vec<f64>) {
        let (r, c) = (t.row - 1, t.col - 1);
        let half = OVERLAP_MM / 2.0;
        let mut xs = Vec::new();
        if c > 0 && self.joins_right(c - 1) && self.is_printed(r, c - 1) {
            xs.push(self.left(c) + half);
        }
        if self.joins_right(c) && self.is_printed(r, c + 1) {
            xs.push(self.left(c + 1) + half);
        }
        let mut ys = Vec::new();
        if r > 0 && self.is_printed(r - 1, c) {
            ys.push(self.top(r) + half);
        }
        if self.is_printed(r + 1, c) {
            ys.push(self.top(r + 1) + half);
        }
        (xs, ys)
    }
    /// Registration mark centres on the sheet: in every overlap band between two printed pages, level with
    /// the quarters of the tiles it joins, so each joint has two marks to align.
    pub fn registration_marks(&self) -> Vec<(f64, f64)> {
        self.registration_marks_clear_of(|_, _| true)
    }
    /// [`Tiling::registration_marks`], each moved along its band (in 5 mm steps, nearest first, at least
    /// 8 mm from the tile's ends and 25 mm from the joint's other mark) to the first place where
    /// `clear(x, y)` holds (no text under the mark); where none does, it stays at its quarter.
    pub fn registration_marks_clear_of(&self, clear: impl Fn(f64, f64) -> bool) -> Vec<(f64, f64)> {
        // The joint's two marks along a band from `from` to `from + len`, at `fixed` across it.
        let joint = |fixed: f64, from: f64, len: f64, across: bool| {
            let at = |d: f64| if across { (d, fixed) } else { (fixed, d) };
            let mut placed: Vec<f64> = Vec::new();
            for f in [0.75, 0.25] {
                let start = from + len * f;
                let steps = (len / 5.0).ceil() as i32;
                let spot = (0..=steps)
                    .flat_map(|k| [k, -k])
                    .map(|k| start + f64::from(k) * 5.0)
                    .filter(|&d| d >= from + 8.0 && d <= from + len - 8.0)
                    .filter(|&d| placed.iter().all(|&o| (o - d).abs() >= 25.0))
                    .find(|&d| {
                        let (x, y) = at(d);
                        clear(x, y)
                    })
                    .unwrap_or(start);
                placed.push(spot);
            }
            [at(placed[1]), at(placed[0])]
        };
        let mut marks = Vec::new();
        for r in 0..self.rows {
            for c in 0..self.cols {
                if !self.is_printed(r, c) {
                    continue;
                }
                if self.joins_right(c) && self.is_printed(r, c + 1) {
                    let x = self.left(c + 1) + OVERLAP_MM / 2.0;
                    marks.extend(joint(x, self.top(r), self.tile_h, false));
                }
                if self.is_printed(r + 1, c) {
                    let y = self.top(r + 1) + OVERLAP_MM / 2.0;
                    marks.extend(joint(y, self.left(c), self.widths[c], true));
                }
            }
        }
        marks
    }
    /// Per grid square, row by row, the drawing it belongs to: squares joined by an overlap (one above the
    /// other, or side by side where a drawing runs on: [`Tiling::covering_views`]) are one drawing's.
    fn drawings(&self) -> Vec<usize> {
        let (rows, cols) = (self.rows, self.cols);
        let mut id: Vec<usize> = (0..rows * cols).collect();
        fn root(id: &mut [usize], mut i: usize) -> usize {
            while id[i] != i {
                id[i] = id[id[i]];
                i = id[i];
            }
            i
        }
        for r in 0..rows {
            for c in 0..cols {
                let here = r * cols + c;
                let beside = [
                    (r + 1 < rows).then(|| here + cols),
                    (c + 1 < cols && self.joins_right(c)).then(|| here + 1),
                ];
                for other in beside.into_iter().flatten() {
                    let (a, b) = (root(&mut id, here), root(&mut id, other));
                    id[a.max(b)] = a.min(b);
                }
            }
        }
        (0..rows * cols).map(|i| root(&mut id, i)).collect()
    }
    /// Per grid square, whether the drawing it belongs to is printed over several pages, which are laid
    /// over each other by their overlaps (a view that fits a page is printed whole on one: its page needs
    /// no row and column).
    fn in_pieces(&self) -> Vec<bool> {
        let drawings = self.drawings();
        let mut pages = vec![0usize; drawings.len()];
        for (i, &d) in drawings.iter().enumerate() {
            pages[d] += usize::from(self.printed[i]);
        }
        drawings.iter().map(|&d| pages[d] > 1).collect()
    }
    /// Whether page `t` is one of several that print one drawing, laid over each other by their overlaps
    /// (its label then names its row and column on the grid).
    pub fn joined(&self, t: &Tile) -> bool {
        self.in_pieces()[(t.row - 1) * self.cols + t.col - 1]
    }
    /// A note on the grid squares left out among pages that are laid together, for their labels: "row 1
    /// col 2 is not printed: nothing on it the pages beside it lack", "row 1 col 2 and row 2 col 3 are not
    /// printed: …"; empty when every such square is printed (a square left out beside a page that holds a
    /// whole view is not said: that page is laid with no other).
    pub fn left_out_note(&self) -> String {
        let in_pieces = self.in_pieces();
        let names: Vec<String> = self
            .left_out()
            .iter()
            .filter(|(r, c)| in_pieces[(r - 1) * self.cols + c - 1])
            .map(|(r, c)| format!("row {r} col {c}"))
            .collect();
        match names.split_last() {
            None => String::new(),
            Some((only, [])) => {
                format!("{only} is not printed: nothing on it the pages beside it lack")
            }
            Some((last, rest)) => format!(
                "{} and {last} are not printed: nothing on them the pages beside them lack",
                rest.join(", ")
            ),
        }
    }
    /// The page label: "page 2 of 6, row 1 col 2" for a page laid together with others ([`Tiling::joined`]),
    /// "page 2 of 3" for a page that holds its drawing whole (an outside tester read "row 1 col 2" on three
    /// pages of one whole view each as pages to tape side by side).
    pub fn label(&self, t: &Tile) -> String {
        if self.joined(t) {
            format!(
                "page {} of {}, row {} col {}",
                t.page,
                self.pages(),
                t.row,
                t.col
            )
        } else {
            format!("page {} of {}", t.page, self.pages())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_sheet_with_the_overlap() {
        for paper in [Paper::A4, Paper::Letter] {
            for (w, h) in [
                (100.0, 100.0),
                (400.0, 280.0),
                (351.0, 262.0),
                (900.0, 700.0),
            ] {
                let t = Tiling::new(paper, w, h);
                let last = t.tiles().into_iter().last().unwrap();
                assert!(
                    last.x0 + t.tile_w >= w && last.y0 + t.tile_h >= h,
                    "{paper:?} {w}x{h}: {t:?}"
                );
                // One column fewer would not cover it.
                if t.cols > 1 {
                    assert!((t.cols - 2) as f64 * t.step_x + t.tile_w < w);
                }
                assert_eq!(t.tiles().len(), t.pages());
                assert_eq!(
                    t.registration_marks().len(),
                    2 * ((t.cols - 1) * t.rows + (t.rows - 1) * t.cols)
                );
            }
        }
        let t = Tiling::new(Paper::A4, 400.0, 280.0);
        assert_eq!((t.cols, t.rows), (3, 2));
        assert_eq!(t.label(&t.tiles()[1]), "page 2 of 6, row 1 col 2");
        assert_eq!(t.left_out_note(), "");
        assert_eq!(Paper::from_name("LETTER"), Some(Paper::Letter));
        assert_eq!(Paper::from_name("a3"), None);
    }

    #[test]
    fn a_square_holding_only_what_a_printed_neighbour_prints_is_left_out() {
        // 3 × 2 on A4; ink only in the 10 mm where row 1 col 2 and row 2 col 2 overlap (the bottom of an
        // outline): printed once, on the upper page; ink reaching 5 mm past the overlap, once, on the lower
        // page (which holds all of it).
        let t = Tiling::new(Paper::A4, 400.0, 280.0);
        let (sy, th) = (t.step_y, t.tile_h);
        let ink = |bottom: f64| {
            move |x0: f64, y0: f64, x1: f64, y1: f64| {
                x1 > 200.0 && x0 < 210.0 && y1 > sy + 1.0 && y0 < bottom
            }
        };
        let once = t.clone().leaving_out_blank(ink(th - 1.0));
        assert_eq!(once.left_out().len(), 5, "{once:?}");
        assert!(once.is_printed(0, 1), "{once:?}");
        let lower = t.leaving_out_blank(ink(th + 5.0));
        assert!(lower.is_printed(1, 1), "{lower:?}");
        assert_eq!(lower.pages(), 1);
    }

    #[test]
    fn blank_squares_are_left_out_and_the_pages_keep_their_place() {
        // 3 × 2 on A4; ink only in the top row and the bottom-right square.
        let t = Tiling::new(Paper::A4, 400.0, 280.0)
            .leaving_out_blank(|x0, y0, _, _| y0 < 1.0 || x0 > 300.0);
        assert_eq!((t.cols, t.rows, t.pages()), (3, 2, 4));
        assert_eq!(t.left_out(), [(2, 1), (2, 2)]);
        assert_eq!(
            t.left_out_note(),
            "row 2 col 1 and row 2 col 2 are not printed: nothing on them the pages beside them lack"
        );
        let tiles = t.tiles();
        let last = tiles.last().unwrap();
        assert_eq!((last.page, last.row, last.col), (4, 2, 3));
        assert_eq!(t.label(last), "page 4 of 4, row 2 col 3");
        // Marks and cuts only where two printed pages meet: across the top row's two joints and down the
        // right column.
        assert_eq!(t.registration_marks().len(), 2 * 3);
        assert_eq!(
            t.cuts(&tiles[0]),
            (vec![t.step_x + OVERLAP_MM / 2.0], vec![])
        );
        assert_eq!(t.cuts(last), (vec![], vec![t.step_y + OVERLAP_MM / 2.0]));
        // Nothing at all: the first page is still printed.
        let none = Tiling::new(Paper::Letter, 400.0, 280.0).leaving_out_blank(|_, _, _, _| false);
        assert_eq!(none.pages(), 1);
        let one = Tiling::new(Paper::A4, 100.0, 100.0).leaving_out_blank(|_, _, _, _| true);
        assert_eq!((one.pages(), one.left_out_note().as_str()), (1, ""));
    }

    #[test]
    fn views_that_fit_a_page_each_get_one_and_a_wider_one_is_joined() {
        // The demo's three views on A4 (190 mm printed across): each on its own column, begun at it, printing
        // nothing of the next; no overlap between them to register.
        let t = Tiling::covering_views(
            Paper::A4,
            &[(9.8, 182.0), (187.8, 347.5), (361.8, 516.2)],
            5.0,
            250.0,
        );
        let tiles = t.tiles();
        let spans: Vec<(f64, f64)> = tiles.iter().map(|t| (t.x0, t.x0 + t.w)).collect();
        assert_eq!(spans, [(9.8, 187.8), (187.8, 361.8), (361.8, 551.8)]);
        assert!(t.registration_marks().is_empty());
        assert_eq!(t.cuts(&tiles[1]), (vec![], vec![]));
        // Each page holds a whole view: no row and column, which read as pages to tape side by side (outside
        // test: "page 2 of 3, row 1 col 2" on three pages of one view each).
        let labels: Vec<String> = tiles.iter().map(|p| t.label(p)).collect();
        assert_eq!(labels, ["page 1 of 3", "page 2 of 3", "page 3 of 3"]);
        // Two narrow views share a page; a view wider than a page takes joined columns with the overlap and
        // its marks; the next view starts a column of its own.
        let t = Tiling::covering_views(
            Paper::A4,
            &[(0.0, 60.0), (80.0, 150.0), (170.0, 420.0), (440.0, 500.0)],
            0.0,
            100.0,
        );
        let lefts: Vec<f64> = t.tiles().iter().map(|t| t.x0).collect();
        assert_eq!(lefts, [0.0, 170.0, 170.0 + t.step_x, 440.0]);
        // Only the two pages of the wide view are laid together: they, and they alone, say where they go.
        let labels: Vec<String> = t.tiles().iter().map(|p| t.label(p)).collect();
        assert_eq!(
            labels,
            [
                "page 1 of 4",
                "page 2 of 4, row 1 col 2",
                "page 3 of 4, row 1 col 3",
                "page 4 of 4"
            ]
        );
        assert_eq!(t.tiles()[2].w, 440.0 - (170.0 + t.step_x));
        assert_eq!(t.registration_marks().len(), 2);
        assert_eq!(
            t.cuts(&t.tiles()[1]).0,
            [170.0 + t.step_x + OVERLAP_MM / 2.0]
        );
    }

    #[test]
    fn rows_and_columns_are_named_only_on_pages_laid_together() {
        // Two rows on A4 (267 mm printed down): a narrow view on the first column whose lower page is
        // blank, and a view 250 mm wide over columns 2 and 3.
        let views = [(0.0, 150.0), (170.0, 420.0)];
        let grid = Tiling::covering_views(Paper::A4, &views, 0.0, 400.0);
        assert_eq!((grid.cols, grid.rows), (3, 2));
        // Ink everywhere but on the lower squares left of x = `from` and right of x = `to`.
        let blank = |from: f64, to: f64| {
            move |x0: f64, y0: f64, _: f64, _: f64| y0 <= 100.0 || (from..=to).contains(&x0)
        };
        // The first column's lower square is blank.
        let t = grid.clone().leaving_out_blank(blank(100.0, f64::INFINITY));
        assert_eq!(t.left_out(), [(2, 1)]);
        let labels: Vec<String> = t.tiles().iter().map(|p| t.label(p)).collect();
        assert_eq!(
            labels,
            [
                "page 1 of 5",
                "page 2 of 5, row 1 col 2",
                "page 3 of 5, row 1 col 3",
                "page 4 of 5, row 2 col 2",
                "page 5 of 5, row 2 col 3"
            ]
        );
        // The blank square under a whole view is no gap in pages to lay together: not said.
        assert_eq!(t.left_out_note(), "");
        assert!(!t.joined(&t.tiles()[0]) && t.joined(&t.tiles()[1]));
        // A blank square among the wide view's pages is.
        let t = grid.leaving_out_blank(blank(100.0, 300.0));
        assert_eq!(t.left_out(), [(2, 1), (2, 3)]);
        assert_eq!(
            t.left_out_note(),
            "row 2 col 3 is not printed: nothing on it the pages beside it lack"
        );
    }

    #[test]
    fn the_grid_starts_where_the_drawing_does() {
        // A 274 mm tall sheet whose drawing spans 6..268 mm fits one row of A4 (267 mm printed) once the
        // grid starts at the drawing, not at the sheet's edge.
        assert_eq!(Tiling::new(Paper::A4, 522.0, 274.0).rows, 2);
        let t = Tiling::covering(Paper::A4, 8.0, 6.0, 514.0, 268.0);
        assert_eq!((t.cols, t.rows), (3, 1));
        let tiles = t.tiles();
        assert_eq!((tiles[0].x0, tiles[0].y0), (8.0, 6.0));
        assert!(tiles[2].x0 + t.tile_w >= 514.0, "{t:?}");
        assert_eq!(
            t.cuts(&tiles[1]).0,
            [
                8.0 + t.step_x + OVERLAP_MM / 2.0,
                8.0 + 2.0 * t.step_x + OVERLAP_MM / 2.0
            ]
        );
        assert_eq!(
            t.registration_marks()[0],
            (8.0 + t.step_x + OVERLAP_MM / 2.0, 6.0 + t.tile_h / 4.0)
        );
    }
}
