//! Printing a stencil larger than the paper at 1:1: the sheet is cut into overlapping tiles, one per page
//! (A4 or US Letter, portrait). Neighbouring tiles share a 10 mm overlap band where registration marks sit,
//! so the printed pages are laid over each other, marks on marks, and taped.

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
#[derive(Clone, Copy, Debug, PartialEq)]
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
        Tiling {
            paper,
            cols: count(width, tile_w, step_x),
            rows: count(height, tile_h, step_y),
            tile_w,
            tile_h,
            step_x,
            step_y,
        }
    }
    /// Number of pages.
    pub fn pages(&self) -> usize {
        self.cols * self.rows
    }
    /// The pages, row by row.
    pub fn tiles(&self) -> Vec<Tile> {
        let mut v = Vec::with_capacity(self.pages());
        for r in 0..self.rows {
            for c in 0..self.cols {
                v.push(Tile {
                    page: r * self.cols + c + 1,
                    row: r + 1,
                    col: c + 1,
                    x0: c as f64 * self.step_x,
                    y0: r as f64 * self.step_y,
                });
            }
        }
        v
    }
    /// The centre lines of the overlap bands on the sheet: x of each vertical band, y of each horizontal one.
    pub fn overlap_centres(&self) -> (Vec<f64>, Vec<f64>) {
        let xs = (1..self.cols)
            .map(|c| c as f64 * self.step_x + OVERLAP_MM / 2.0)
            .collect();
        let ys = (1..self.rows)
            .map(|r| r as f64 * self.step_y + OVERLAP_MM / 2.0)
            .collect();
        (xs, ys)
    }
    /// Registration mark centres on the sheet: in every overlap band, level with the middle and the
    /// quarters of each neighbouring tile, so each joint has at least two marks to align.
    pub fn registration_marks(&self) -> Vec<(f64, f64)> {
        let (xs, ys) = self.overlap_centres();
        let mut marks = Vec::new();
        for &x in &xs {
            for r in 0..self.rows {
                for f in [0.25, 0.75] {
                    marks.push((x, r as f64 * self.step_y + self.tile_h * f));
                }
            }
        }
        for &y in &ys {
            for c in 0..self.cols {
                for f in [0.25, 0.75] {
                    marks.push((c as f64 * self.step_x + self.tile_w * f, y));
                }
            }
        }
        marks
    }
    /// The page label: "page 2 of 6, row 1 col 2".
    pub fn label(&self, t: &Tile) -> String {
        format!(
            "page {} of {}, row {} col {}",
            t.page,
            self.pages(),
            t.row,
            t.col
        )
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
        assert_eq!(Paper::from_name("LETTER"), Some(Paper::Letter));
        assert_eq!(Paper::from_name("a3"), None);
    }
}
