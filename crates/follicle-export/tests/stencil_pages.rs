//! Every text of the stencil prints whole on a page, inside the printed area (outside test: pdftotext found
//! "s, 3" left of page 2's edge, the tail of page 1's note, and "frontote" and "t" past page 1's right
//! margin, the start of the top view's labels): for every example case, on A4 and Letter, each text of the
//! sheet lies whole within a page's printed area, and in the PDF, read back by poppler's pdftotext, every
//! word of every page lies on the page, and every word level with the printed area lies within it
//! horizontally (the margins above and below hold the page's own lines: the printing note, the page label and
//! the scale bar). Pages that each hold a whole view name no row and column.

mod common;

use common::example_cases;
use follicle_export::pdf::stencil_pdf;
use follicle_export::stencil::{self, Shape};
use follicle_export::tiles::{Paper, MARGIN_SIDE_MM, MARGIN_TOP_MM};
use std::process::Command;

const PT_PER_MM: f64 = 72.0 / 25.4;

/// A word pdftotext found: its box in points (y down from the page's top) and its text.
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// The words of each page of `pdf`, by `pdftotext -bbox`.
fn words_by_page(pdf: &str) -> Vec<Vec<Word>> {
    let out = Command::new("pdftotext")
        .args(["-bbox", pdf, "-"])
        .output()
        .unwrap_or_else(|e| panic!("pdftotext must be installed (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |tag: &str, key: &str| -> f64 {
        let at = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages: Vec<Vec<Word>> = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push(Vec::new());
        } else if line.starts_with("<word ") {
            let end = line.find('>').unwrap();
            let tag = &line[..end];
            let text = line[end + 1..].trim_end_matches("</word>").to_string();
            pages.last_mut().unwrap().push(Word {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
                text,
            });
        }
    }
    pages
}

#[test]
fn every_text_of_every_example_prints_whole_within_its_page() {
    let dir = tempfile::tempdir().unwrap();
    for (name, src) in example_cases() {
        let case = follicle_case::parse(&name, &src, &Default::default()).unwrap();
        let plan = follicle_core::plan(&case.design).unwrap();
        for paper in [Paper::A4, Paper::Letter] {
            let st = stencil::build(&plan, &format!("follicle stencil — {}", case.client), paper);
            let tiling = st.tiling(paper);
            let tiles = tiling.tiles();
            // On the sheet: every text whole within some page's printed area.
            for s in &st.shapes {
                let Shape::Text { at, size, text, .. } = s else {
                    continue;
                };
                let (x0, x1) = (at.0, at.0 + follicle_fonts::width(text, *size, false));
                let (y0, y1) = (at.1 - size, at.1 + 0.3 * size);
                assert!(
                    tiles.iter().any(|t| x0 >= t.x0
                        && x1 <= t.x0 + t.w
                        && y0 >= t.y0
                        && y1 <= t.y0 + tiling.tile_h),
                    "{name} {paper:?}: `{text}` ({x0:.1}..{x1:.1}, {y0:.1}..{y1:.1} mm) is cut by every page: {tiles:?}"
                );
            }
            // In the PDF as a reader copies it.
            let path = dir.path().join("stencil.pdf");
            std::fs::write(&path, stencil_pdf(&st, paper)).unwrap();
            let pages = words_by_page(path.to_str().unwrap());
            assert_eq!(pages.len(), tiles.len(), "{name} {paper:?}");
            let (pw, ph) = paper.size_pt();
            let top = MARGIN_TOP_MM * PT_PER_MM;
            let bottom = top + tiling.tile_h * PT_PER_MM;
            let left = MARGIN_SIDE_MM * PT_PER_MM;
            for (t, words) in tiles.iter().zip(&pages) {
                let right = left + t.w * PT_PER_MM;
                assert!(words.len() > 10, "{name} {paper:?} page {}", t.page);
                for w in words {
                    let on_page = w.x0 >= 0.0 && w.x1 <= pw && w.y0 >= 0.0 && w.y1 <= ph;
                    assert!(
                        on_page,
                        "{name} {paper:?} page {}: `{}` at x {:.1}..{:.1}, y {:.1}..{:.1} pt runs off the {pw} x {ph} pt page",
                        t.page, w.text, w.x0, w.x1, w.y0, w.y1
                    );
                    let middle = (w.y0 + w.y1) / 2.0;
                    if middle > top && middle < bottom {
                        assert!(
                            w.x0 >= left - 0.5 && w.x1 <= right + 0.5,
                            "{name} {paper:?} page {}: `{}` at x {:.1}..{:.1} pt is cut by the printed area ({left:.1}..{right:.1} pt)",
                            t.page, w.text, w.x0, w.x1
                        );
                    }
                }
            }
            // A page that holds whole views names no row and column: only pages laid together do.
            for t in &tiles {
                let label = st.page_label(&tiling, t);
                assert_eq!(
                    label.contains(" row "),
                    tiling.joined(t),
                    "{name} {paper:?}: {label}"
                );
            }
        }
    }
}
