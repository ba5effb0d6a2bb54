//! stencil.pdf: the stencil drawing (`stencil`) printed at true 1:1 scale, tiled over as many A4 or Letter
//! pages (portrait) as it needs (`tiles`). Every page carries its label ("page 2 of 6, row 1 col 2"), a
//! 10 mm scale bar to check the printer did not scale, crop marks at the tile edges and registration marks
//! in the overlaps with its neighbours.
//!
//! Written with the pdf-writer crate. The drawing is one form XObject (compressed) that every page draws
//! through its own clip, so the file holds the impressions once however many pages there are. Text uses
//! the base-14 Helvetica with WinAnsi encoding: the stencil's labels are ASCII (a client name outside
//! Latin-1 shows '?' for the missing letters; the SVG keeps them).

use crate::stencil::{Rgb, Shape, Stencil};
use crate::tiles::{Paper, Tiling, MARGIN_SIDE_MM, MARGIN_TOP_MM, OVERLAP_MM};
use pdf_writer::types::LineCapStyle;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// PDF points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// Bézier handle length for a quarter circle of radius 1.
const KAPPA: f64 = 0.552_284_75;

const FONT: Name<'static> = Name(b"F1");
const DRAWING: Name<'static> = Name(b"S");

/// Rounds to 0.01 mm (the drawing's precision) so the numbers in the file stay short.
fn c(x: f64) -> f32 {
    ((x * 100.0).round() / 100.0) as f32
}

fn fill(content: &mut Content, k: Rgb) {
    content.set_fill_rgb(k.0 as f32 / 255.0, k.1 as f32 / 255.0, k.2 as f32 / 255.0);
}

fn stroke(content: &mut Content, k: Rgb) {
    content.set_stroke_rgb(k.0 as f32 / 255.0, k.1 as f32 / 255.0, k.2 as f32 / 255.0);
}

/// Text as WinAnsi bytes: ASCII and Latin-1 as themselves and a few typographic marks; any other letter as
/// its base letter when it has one (Ł → L, Ż → Z, ő → o, Č → C: a client's name stays readable on the stencil),
/// '?' otherwise (scripts without Latin letters).
pub fn win_ansi(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let mut out = Vec::with_capacity(text.len());
    for ch in text.chars() {
        if let Some(b) = win_ansi_byte(ch) {
            out.push(b);
            continue;
        }
        // Letters with a stroke or bar have no decomposition; the rest drop their combining marks.
        let base = match ch {
            'Ł' => Some('L'),
            'ł' => Some('l'),
            'Đ' => Some('D'),
            'đ' => Some('d'),
            'Ħ' => Some('H'),
            'ħ' => Some('h'),
            'ı' => Some('i'),
            _ => ch.nfd().next().filter(|b| b.is_ascii_alphabetic()),
        };
        out.push(base.and_then(win_ansi_byte).unwrap_or(b'?'));
    }
    out
}

/// The WinAnsi byte of `ch`, if the encoding has it.
fn win_ansi_byte(ch: char) -> Option<u8> {
    Some(match ch {
        ' '..='~' => ch as u8,
        '\u{a0}'..='\u{ff}' => ch as u32 as u8,
        '–' => 0x96,
        '—' => 0x97,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '…' => 0x85,
        '€' => 0x80,
        'Œ' => 0x8c,
        'œ' => 0x9c,
        'Š' => 0x8a,
        'š' => 0x9a,
        'Ž' => 0x8e,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    })
}

/// Text at `(x, y)` (baseline start) in a y-down millimetre space.
fn text(content: &mut Content, x: f64, y: f64, size: f64, s: &str) {
    content.begin_text();
    content.set_font(FONT, size as f32);
    content.set_text_matrix([1.0, 0.0, 0.0, -1.0, c(x), c(y)]);
    content.show(Str(&win_ansi(s)));
    content.end_text();
}

/// A circle path of radius `r` around `(x, y)`.
fn circle(content: &mut Content, x: f64, y: f64, r: f64) {
    let k = r * KAPPA;
    content.move_to(c(x + r), c(y));
    content.cubic_to(c(x + r), c(y + k), c(x + k), c(y + r), c(x), c(y + r));
    content.cubic_to(c(x - k), c(y + r), c(x - r), c(y + k), c(x - r), c(y));
    content.cubic_to(c(x - r), c(y - k), c(x - k), c(y - r), c(x), c(y - r));
    content.cubic_to(c(x + k), c(y - r), c(x + r), c(y - k), c(x + r), c(y));
    content.close_path();
}

/// The whole drawing in sheet millimetres (y down), as a content stream.
fn drawing(st: &Stencil) -> Vec<u8> {
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
    let mut out = Vec::with_capacity(16_384 + dots * 28);
    let mut content = Content::new();
    content.set_fill_rgb(1.0, 1.0, 1.0);
    content.rect(0.0, 0.0, st.width_mm as f32, st.height_mm as f32);
    content.fill_nonzero();
    let mut drawn = st.drawn.iter().peekable();
    // The stream is written in runs: the operations drawn here, then a shape drawn before, and so on.
    let mut fresh = false;
    for (i, shape) in st.shapes.iter().enumerate() {
        match drawn.next_if(|(at, _)| *at == i) {
            Some((_, d)) => {
                push_run(&mut out, content, fresh);
                out.extend_from_slice(&d.pdf);
                content = after_operation();
                fresh = true;
            }
            None => draw_shape(&mut content, shape),
        }
    }
    push_run(&mut out, content, fresh);
    out
}

/// A content stream whose operations follow another operation (one `f` that `push_run` drops), so that
/// they are separated from it exactly as in one stream.
fn after_operation() -> Content {
    let mut content = Content::new();
    content.fill_nonzero();
    content
}

/// Appends the operations of `content` (made by `after_operation` when `fresh`).
fn push_run(out: &mut Vec<u8>, content: Content, fresh: bool) {
    let bytes = content.finish().into_vec();
    out.extend_from_slice(if fresh { &bytes[1..] } else { &bytes });
}

/// One shape's content-stream operations as they follow another operation (see [`crate::stencil::Drawn`]).
pub fn shape_pdf(shape: &Shape) -> Vec<u8> {
    let mut content = after_operation();
    draw_shape(&mut content, shape);
    content.finish().into_vec()[1..].to_vec()
}

/// Draws one shape.
fn draw_shape(content: &mut Content, shape: &Shape) {
    match shape {
        Shape::Area {
            points,
            fill: f,
            stroke: s,
            width,
        } => {
            fill(content, *f);
            for (i, &(x, y)) in points.iter().enumerate() {
                if i == 0 {
                    content.move_to(c(x), c(y));
                } else {
                    content.line_to(c(x), c(y));
                }
            }
            content.close_path();
            if *width > 0.0 {
                stroke(content, *s);
                content.set_line_width(*width as f32);
                content.fill_nonzero_and_stroke();
            } else {
                content.fill_nonzero();
            }
        }
        Shape::Lines {
            paths,
            stroke: s,
            width,
            dash,
        } => {
            stroke(content, *s);
            content.set_line_width(*width as f32);
            content.set_line_cap(LineCapStyle::ButtCap);
            match dash {
                Some(d) => content.set_dash_pattern([*d as f32, *d as f32], 0.0),
                None => content.set_dash_pattern([], 0.0),
            };
            for p in paths {
                for (i, &(x, y)) in p.iter().enumerate() {
                    if i == 0 {
                        content.move_to(c(x), c(y));
                    } else {
                        content.line_to(c(x), c(y));
                    }
                }
            }
            content.stroke();
            content.set_dash_pattern([], 0.0);
        }
        Shape::Dots {
            centres,
            radius,
            fill: f,
        } => {
            if *radius > 1.0 {
                fill(content, *f);
                for &(x, y) in centres {
                    circle(content, x, y, *radius);
                }
                content.fill_nonzero();
            } else {
                // Small dots: a very short stroke with round caps is a filled circle of the line width.
                stroke(content, *f);
                content.set_line_width((2.0 * radius) as f32);
                content.set_line_cap(LineCapStyle::RoundCap);
                for &(x, y) in centres {
                    let (x, y) = (c(x), c(y));
                    content.move_to(x, y);
                    content.line_to(x + 0.01, y);
                }
                content.stroke();
                content.set_line_cap(LineCapStyle::ButtCap);
            }
        }
        Shape::Text {
            at,
            size,
            fill: f,
            text: t,
        } => {
            fill(content, *f);
            text(content, at.0, at.1, *size, t);
        }
    }
}

/// A registration mark (a 5 mm circle with a cross) at `(x, y)` in the current millimetre space.
fn registration_mark(content: &mut Content, x: f64, y: f64) {
    content.set_stroke_rgb(0.0, 0.0, 0.0);
    content.set_line_width(0.2);
    circle(content, x, y, 2.5);
    content.move_to(c(x - 4.0), c(y));
    content.line_to(c(x + 4.0), c(y));
    content.move_to(c(x), c(y - 4.0));
    content.line_to(c(x), c(y + 4.0));
    content.stroke();
}

/// The stencil as a tiled PDF on `paper`.
pub fn stencil_pdf(st: &Stencil, paper: Paper) -> Vec<u8> {
    let tiling = Tiling::new(paper, st.width_mm, st.height_mm);
    let (_, ph) = paper.size_mm();
    let (pw_pt, ph_pt) = paper.size_pt();
    let k = PT_PER_MM as f32;
    let mut pdf = Pdf::new();
    let (catalog, tree, font, form, info) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    let tiles = tiling.tiles();
    let page_ref = |i: usize| Ref::new(6 + 2 * i as i32);
    let content_ref = |i: usize| Ref::new(7 + 2 * i as i32);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..tiles.len()).map(page_ref))
        .count(tiles.len() as i32);
    pdf.document_info(info)
        .title(TextStr(&st.title))
        .creator(TextStr("follicle"));
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    let raw = drawing(st);
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 1);
    let mut xobj = pdf.form_xobject(form, &packed);
    xobj.filter(Filter::FlateDecode);
    xobj.bbox(Rect::new(0.0, 0.0, st.width_mm as f32, st.height_mm as f32));
    xobj.resources().fonts().pair(FONT, font);
    xobj.finish();

    let (cut_xs, cut_ys) = tiling.overlap_centres();
    let marks = tiling.registration_marks();
    let (tw, th) = (tiling.tile_w, tiling.tile_h);
    let (ml, mt) = (MARGIN_SIDE_MM, MARGIN_TOP_MM);
    for (i, t) in tiles.iter().enumerate() {
        let mut content = Content::new();
        // The tile: the drawing shifted so the sheet's (x0, y0) lands at the printed area's corner, clipped.
        content.save_state();
        content.rect(
            (ml * PT_PER_MM) as f32,
            ((ph - mt - th) * PT_PER_MM) as f32,
            (tw * PT_PER_MM) as f32,
            (th * PT_PER_MM) as f32,
        );
        content.clip_nonzero();
        content.end_path();
        content.transform([
            k,
            0.0,
            0.0,
            -k,
            ((ml - t.x0) * PT_PER_MM) as f32,
            ((ph - mt + t.y0) * PT_PER_MM) as f32,
        ]);
        content.x_object(DRAWING);
        for &(x, y) in &marks {
            if x > t.x0 - 5.0 && x < t.x0 + tw + 5.0 && y > t.y0 - 5.0 && y < t.y0 + th + 5.0 {
                registration_mark(&mut content, x, y);
            }
        }
        content.restore_state();
        // The margins, in page millimetres with y down.
        content.save_state();
        content.transform([k, 0.0, 0.0, -k, 0.0, ph_pt as f32]);
        content.set_stroke_rgb(0.0, 0.0, 0.0);
        content.set_line_width(0.2);
        let (left, right, top, bottom) = (ml, ml + tw, mt, mt + th);
        // Crop marks at the printed area's corners.
        for (x, y, dx, dy) in [
            (left, top, -1.0, -1.0),
            (right, top, 1.0, -1.0),
            (left, bottom, -1.0, 1.0),
            (right, bottom, 1.0, 1.0),
        ] {
            content.move_to(c(x + dx * 2.0), c(y));
            content.line_to(c(x + dx * 7.0), c(y));
            content.move_to(c(x), c(y + dy * 2.0));
            content.line_to(c(x), c(y + dy * 5.0));
        }
        // Cut marks where the overlap with a neighbour is halved (trim one page there, lay it on the other).
        for &x in &cut_xs {
            let px = ml + (x - t.x0);
            if px > left && px < right {
                content.move_to(c(px), c(top - 2.0));
                content.line_to(c(px), c(top - 7.0));
                content.move_to(c(px), c(bottom + 1.0));
                content.line_to(c(px), c(bottom + 5.0));
            }
        }
        for &y in &cut_ys {
            let py = mt + (y - t.y0);
            if py > top && py < bottom {
                content.move_to(c(left - 2.0), c(py));
                content.line_to(c(left - 7.0), c(py));
                content.move_to(c(right + 2.0), c(py));
                content.line_to(c(right + 7.0), c(py));
            }
        }
        content.stroke();
        content.set_fill_rgb(0.0, 0.0, 0.0);
        text(
            &mut content,
            ml + 8.0,
            mt - 4.0,
            2.8,
            &format!("Print at 100 % (actual size, no fit-to-page) on {}; check the scale bar. Overlap {OVERLAP_MM:.0} mm: lay marks on marks, tape.", paper.name()),
        );
        let label = format!("{}  -  {}", tiling.label(t), st.title);
        text(&mut content, ml, ph - 10.0, 3.2, &label);
        // The 10 mm scale bar: a solid bar exactly 10 mm long, nothing else on its rows.
        content.rect(c(ml), c(ph - 6.5), 10.0, 1.5);
        content.fill_nonzero();
        text(
            &mut content,
            ml + 12.0,
            ph - 5.0,
            3.0,
            "10 mm scale bar: measure it",
        );
        content.restore_state();
        let bytes = content.finish();
        pdf.stream(content_ref(i), &bytes);
        let mut page = pdf.page(page_ref(i));
        page.media_box(Rect::new(0.0, 0.0, pw_pt as f32, ph_pt as f32));
        page.parent(tree);
        page.contents(content_ref(i));
        let mut res = page.resources();
        res.fonts().pair(FONT, font);
        res.x_objects().pair(DRAWING, form);
        res.finish();
        page.finish();
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_become_win_ansi() {
        assert_eq!(win_ansi("page 1 of 2"), b"page 1 of 2");
        assert_eq!(win_ansi("José — Zoë"), b"Jos\xe9 \x97 Zo\xeb");
        assert_eq!(win_ansi("王"), b"?");
        // Letters outside WinAnsi keep their base letter, so a name stays readable; WinAnsi's own extras stay.
        assert_eq!(win_ansi("Łukasz Żółkiewski"), b"Lukasz Z\xf3lkiewski");
        assert_eq!(
            win_ansi("Čapek Đorđe Ővári Šimek"),
            b"Capek Dorde Ov\xe1ri \x8aimek"
        );
    }
}
