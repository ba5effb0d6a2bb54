//! stencil.svg: the stencil drawing (`stencil`) as one SVG sheet at true scale (1 SVG unit = 1 mm, page
//! size in mm, a 10 mm scale bar), with the page tiling of stencil.pdf drawn over it as light guides:
//! each A4 (or Letter) page's printed area, its label and the registration marks in the overlaps.

use crate::num::push_fixed;
use crate::stencil::{self, Shape, Stencil};
use crate::tiles::Paper;
use follicle_core::plan::Plan;
use std::fmt::Write;

pub use crate::stencil::SESSION_COLOURS;

/// The stencil SVG document with A4 page guides.
pub fn stencil_svg(plan: &Plan, title: &str) -> String {
    stencil_svg_on(&stencil::build(plan, title, Paper::A4), Paper::A4)
}

fn pt(s: &mut String, x: f64, y: f64) {
    push_fixed(s, x, 2);
    s.push(' ');
    push_fixed(s, y, 2);
}

/// The SVG of a stencil drawing, with the page guides of `paper`.
pub fn stencil_svg_on(st: &Stencil, paper: Paper) -> String {
    let (w, h) = (st.width_mm, st.height_mm);
    let dots: usize = st
        .shapes
        .iter()
        .map(|s| {
            if let Shape::Dots { centres, .. } = s {
                centres.len()
            } else {
                0
            }
        })
        .sum();
    let mut s = String::with_capacity(4096 + dots * 48);
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif">"#
    );
    let _ = writeln!(s, r#"<title>{}</title>"#, esc(&st.title));
    let _ = writeln!(s, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
    let mut drawn = st.drawn.iter().peekable();
    for (i, shape) in st.shapes.iter().enumerate() {
        match drawn.next_if(|(at, _)| *at == i) {
            Some((_, d)) => s.push_str(&d.svg),
            None => push_shape(&mut s, shape),
        }
    }
    page_guides(&mut s, st, paper);
    let _ = writeln!(s, "</svg>");
    s
}

/// One shape's SVG elements (see [`stencil::Drawn`]).
pub fn shape_svg(shape: &Shape) -> String {
    let mut s = String::new();
    push_shape(&mut s, shape);
    s
}

/// Appends one shape's SVG elements.
fn push_shape(s: &mut String, shape: &Shape) {
    match shape {
        Shape::Area {
            points,
            fill,
            stroke,
            width,
        } => {
            let _ = write!(
                s,
                r#"<path fill="{}" stroke="{}" stroke-width="{width}" d=""#,
                fill.hex(),
                if *width > 0.0 {
                    stroke.hex()
                } else {
                    "none".into()
                }
            );
            for (i, &(x, y)) in points.iter().enumerate() {
                s.push_str(if i == 0 { "M" } else { "L" });
                pt(s, x, y);
                s.push(' ');
            }
            s.push_str("Z\"/>\n");
        }
        Shape::Lines {
            paths,
            stroke,
            width,
            dash,
        } => {
            let _ = write!(
                s,
                r#"<path fill="none" stroke="{}" stroke-width="{width}""#,
                stroke.hex()
            );
            if let Some(d) = dash {
                let _ = write!(s, r#" stroke-dasharray="{d} {d}""#);
            }
            s.push_str(" d=\"");
            for p in paths {
                for (i, &(x, y)) in p.iter().enumerate() {
                    s.push_str(if i == 0 { "M" } else { "L" });
                    pt(s, x, y);
                }
            }
            s.push_str("\"/>\n");
        }
        Shape::Dots {
            centres,
            radius,
            fill,
        } => {
            let _ = write!(s, r#"<g fill="{}">"#, fill.hex());
            // The text after each centre is the same for every dot of the shape: formatted once.
            let end = format!("\" r=\"{radius}\"/>");
            for &(x, y) in centres {
                s.push_str("<circle cx=\"");
                push_fixed(s, x, 2);
                s.push_str("\" cy=\"");
                push_fixed(s, y, 2);
                s.push_str(&end);
            }
            s.push_str("</g>\n");
        }
        Shape::Text {
            at,
            size,
            fill,
            text,
        } => {
            s.push_str("<text x=\"");
            push_fixed(s, at.0, 2);
            s.push_str("\" y=\"");
            push_fixed(s, at.1, 2);
            let _ = writeln!(
                s,
                r#"" font-size="{size}" fill="{}">{}</text>"#,
                fill.hex(),
                esc(text)
            );
        }
    }
}

/// How far above its page's printed area a page label of the first row stands (its baseline), mm.
const PAGE_LABEL_ABOVE_MM: f64 = 1.2;

/// The pages of stencil.pdf drawn as guides: dotted printed areas, page labels, registration marks.
fn page_guides(s: &mut String, st: &Stencil, paper: Paper) {
    let t = st.tiling(paper);
    let note = match t.left_out_note().as_str() {
        "" => String::new(),
        n => format!("; {n}"),
    };
    let _ = writeln!(
        s,
        r##"<g id="page-guides" fill="none" stroke="#9aa4b1" stroke-width="0.2"><desc>{} pages of {} in stencil.pdf (printed areas, overlaps and registration marks){note}</desc>"##,
        t.pages(),
        paper.name()
    );
    // A page's label stands in the margin above the first row of pages, clear of the title (set inside the
    // page's printed area, it was drawn across the title: outside test s47); a later row's at the bottom
    // right of what the sheet shows of its page.
    let first_row = t.tiles().iter().map(|p| p.y0).fold(f64::INFINITY, f64::min);
    for tile in t.tiles() {
        let _ = writeln!(
            s,
            r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" stroke-dasharray="0.6 1.2"/>"#,
            tile.x0, tile.y0, tile.w, t.tile_h
        );
        let (x, y, anchor) = if tile.y0 <= first_row && tile.y0 >= PAGE_LABEL_ABOVE_MM + 2.0 {
            (tile.x0 + 2.0, tile.y0 - PAGE_LABEL_ABOVE_MM, "start")
        } else {
            (
                (tile.x0 + tile.w).min(st.width_mm) - 2.0,
                (tile.y0 + t.tile_h).min(st.height_mm) - 1.5,
                "end",
            )
        };
        let _ = writeln!(
            s,
            r##"<text x="{x:.2}" y="{y:.2}" text-anchor="{anchor}" font-size="2.5" fill="#9aa4b1" stroke="none">{} {}</text>"##,
            paper.name(),
            st.page_label(&t, &tile)
        );
    }
    for (x, y) in st.registration_marks(&t) {
        let _ = writeln!(s, "{}", registration_mark_svg(x, y));
    }
    let _ = writeln!(s, "</g>");
}

/// A registration mark: a 6 mm circle with a cross through it.
fn registration_mark_svg(x: f64, y: f64) -> String {
    format!(
        r##"<g stroke="#000" stroke-width="0.2"><circle cx="{x:.2}" cy="{y:.2}" r="2.5"/><path d="M{:.2} {y:.2}H{:.2}M{x:.2} {:.2}V{:.2}"/></g>"##,
        x - 4.0,
        x + 4.0,
        y - 4.0,
        y + 4.0
    )
}

/// Text for an SVG text node or attribute: XML's special characters escaped, control characters (which
/// XML 1.0 forbids, or which would break a label's line) shown as spaces.
fn esc(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_labels_stand_clear_of_the_title_and_on_the_sheet() {
        // Outside test s47: "A4 page 1 of 3…" was drawn across the title.
        let p = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let st = stencil::build(&p, "Demo", crate::tiles::Paper::A4);
        let svg = stencil_svg_on(&st, Paper::A4);
        let title_top = st
            .shapes
            .iter()
            .filter_map(|sh| match sh {
                Shape::Text { at, size, .. } => Some(at.1 - size),
                _ => None,
            })
            .fold(f64::INFINITY, f64::min);
        let labels: Vec<(f64, f64)> = svg
            .lines()
            .filter(|l| l.contains(">A4 page "))
            .map(|l| {
                let num = |key: &str| -> f64 {
                    let at = l.find(key).unwrap() + key.len();
                    l[at..].split('"').next().unwrap().parse().unwrap()
                };
                (num(" x=\""), num(" y=\""))
            })
            .collect();
        assert_eq!(labels.len(), st.tiling(Paper::A4).pages());
        for (x, y) in labels {
            assert!(
                y <= title_top && y > 2.5,
                "label at y {y}, the title from {title_top}"
            );
            assert!((0.0..st.width_mm).contains(&x), "label at x {x}");
        }
    }

    #[test]
    fn the_svg_is_true_scale_with_page_guides_and_distances() {
        let p = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let st = stencil::build(&p, "Demo & <test>", crate::tiles::Paper::A4);
        let svg = stencil_svg_on(&st, Paper::Letter);
        assert!(svg.contains(&format!(
            r#"width="{}mm" height="{}mm" viewBox="0 0 {} {}""#,
            st.width_mm, st.height_mm, st.width_mm, st.height_mm
        )));
        let t = st.tiling(Paper::Letter);
        // Each of the demo's views fits a Letter page: its pages name their views, no row and column to lay
        // them by.
        assert!(svg.contains(&format!("Letter page 1 of {}: Front view<", t.pages())));
        assert!(!svg.contains(" row 1 col "));
        assert!(svg.contains("Demo &amp; &lt;test&gt;") && !svg.contains("<test>"));
        let nul = stencil_svg_on(
            &stencil::build(&p, "a\nb\u{0}c", crate::tiles::Paper::A4),
            Paper::A4,
        );
        assert!(nul.contains("a b c") && !nul.contains('\u{0}'));
        assert!(
            svg.contains("10 mm")
                && svg.contains("along the scalp")
                && svg.contains("frontotemporal width")
        );
        assert!(svg.contains(&format!(
            "{:.1} mm along the scalp",
            st.distances.glabella_to_mid_frontal_mm
        )));
        assert_eq!(
            svg.matches("<circle").count() - t.registration_marks().len() - p.sessions.len(),
            st.shapes
                .iter()
                .map(|s| {
                    if let Shape::Dots {
                        centres, radius, ..
                    } = s
                    {
                        if *radius < 1.0 {
                            centres.len()
                        } else {
                            0
                        }
                    } else {
                        0
                    }
                })
                .sum::<usize>()
        );
    }
}
