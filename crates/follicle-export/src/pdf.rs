//! stencil.pdf: the stencil drawing (`stencil`) printed at true 1:1 scale, tiled over as many A4 or Letter
//! pages (portrait) as it needs (`tiles`), none of them blank. Every page carries its label ("page 2 of 3: Top
//! view (face up)", naming the views on it, with its row and column where a view is printed over several
//! pages laid together: "page 3 of 5, row 1 col 3: Top view (face up)"), a
//! 10 mm scale bar to check the printer did not scale, crop marks at the tile edges and registration marks
//! in the overlaps with its neighbours.
//!
//! Written with the pdf-writer crate. The drawing is one form XObject (compressed) that every page draws
//! through its own clip, so the file holds the impressions once however many pages there are. Text is set in
//! the Unicode fonts of follicle-fonts (DejaVu Sans, Droid Sans Fallback for CJK, Symbola for emoji: the
//! client documents' fonts), embedded as subsets, so any client's name prints and copies as written (Łukasz
//! Żółkiewski, 李小龍, محمد, Ana 🌸).
//! Glyphs are written by their id in the font file (Identity-H CIDs); each embedded subset maps those ids to its
//! own through a CIDToGIDMap, and a ToUnicode map gives the text back to copy and search. Lines are laid out by
//! follicle-fonts (right-to-left runs in visual order, Arabic joined, kerning as shaped), as on the client
//! documents.

use crate::deflate::Piece;
use crate::stencil::{Rgb, Shape, Stencil};
use crate::tiles::{Paper, Tile, Tiling, MARGIN_SIDE_MM, MARGIN_TOP_MM, OVERLAP_MM};
use follicle_core::parallel::{Serial, Workers};
use follicle_fonts::{self as fonts, Face};
use pdf_writer::types::{CidFontType, FontFlags, LineCapStyle, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;

/// PDF points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// Bézier handle length for a quarter circle of radius 1.
const KAPPA: f64 = 0.552_284_75;

/// The embedded fonts, one slot each: the face, its resource name and the subset's PostScript name.
const SLOTS: [(Face, Name<'static>, &str); 3] = [
    (Face::Regular, Name(b"F1"), "FOLLIA+DejaVuSans"),
    (Face::Fallback, Name(b"F2"), "FOLLIB+DroidSansFallbackFull"),
    (Face::Emoji, Name(b"F3"), "FOLLIC+Symbola"),
];
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

/// The slot of a face's font in [`SLOTS`] (the stencil prints in the regular weight only).
fn slot(face: Face) -> usize {
    match face {
        Face::Regular | Face::Bold => 0,
        Face::Fallback => 1,
        Face::Emoji => 2,
    }
}

/// Text at `(x, y)` (baseline start) in a y-down millimetre space: each run in its face, glyphs by their ids,
/// moved where shaping placed them when that differs from the glyph's own width (kerning, joined forms).
fn text(content: &mut Content, x: f64, y: f64, size: f64, s: &str) {
    content.begin_text();
    content.set_text_matrix([1.0, 0.0, 0.0, -1.0, c(x), c(y)]);
    for run in fonts::runs(s, false) {
        content.set_font(SLOTS[slot(run.face)].1, size as f32);
        let mut shown = content.show_positioned();
        let mut items = shown.items();
        let mut ids: Vec<u8> = Vec::new();
        for g in &run.glyphs {
            ids.extend((g.glyph as u16).to_be_bytes());
            // TJ moves left by thousandths of the size: the glyph's own width less the shaped advance.
            let adjust = (fonts::glyph_advance(run.face, g.glyph) - g.advance) * 1000.0;
            if adjust.abs() >= 0.5 {
                items.show(Str(&ids));
                items.adjust(adjust.round());
                ids.clear();
            }
        }
        if !ids.is_empty() {
            items.show(Str(&ids));
        }
    }
    content.end_text();
}

/// The glyphs a face draws: by id in the font file, the text each stands for (several characters for a
/// ligature) and its own advance (em).
type Used = BTreeMap<u16, (String, f32)>;

/// The glyphs every text in `texts` needs, per slot of [`SLOTS`]. A cluster's text goes to its first glyph, so
/// a letter drawn as several glyphs copies once.
fn glyphs_used<'a>(texts: impl Iterator<Item = &'a str>) -> [Used; 3] {
    let mut used = [Used::new(), Used::new(), Used::new()];
    for t in texts {
        for run in fonts::runs(t, false) {
            let slot = slot(run.face);
            let mut seen = std::collections::HashSet::new();
            for g in &run.glyphs {
                let stands_for = if seen.insert(g.range.start) {
                    run.text[g.range.clone()].to_owned()
                } else {
                    String::new()
                };
                let entry = used[slot]
                    .entry(g.glyph as u16)
                    .or_insert_with(|| (String::new(), fonts::glyph_advance(run.face, g.glyph)));
                if entry.0.is_empty() {
                    entry.0 = stands_for;
                }
            }
        }
    }
    used
}

/// Embeds `face` for the glyphs `used` as a Type 0 font at `refs[0]` (five more objects after it): the subset
/// font file, its CIDToGIDMap, widths, descriptor and ToUnicode map.
fn embed_font(pdf: &mut Pdf, face: Face, used: &Used, refs: [Ref; 6]) {
    let [type0, cid, descriptor, file, cid_to_gid, to_unicode] = refs;
    let mut remap = subsetter::GlyphRemapper::new();
    for &g in used.keys() {
        remap.remap(g);
    }
    // The embedded files are subsetted in tests; should a subset ever fail, the whole file still prints.
    let (data, new_id): (Vec<u8>, Box<dyn Fn(u16) -> u16>) =
        match subsetter::subset(face.data(), 0, &remap) {
            Ok(sub) => (sub, Box::new(move |g| remap.get(g).unwrap_or(0))),
            Err(_) => (face.data().to_vec(), Box::new(|g| g)),
        };
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
    pdf.stream(file, &packed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), data.len() as i32);
    let last = used.keys().next_back().copied().unwrap_or(0);
    let mut map = vec![0u8; 2 * (usize::from(last) + 1)];
    for &g in used.keys() {
        let at = 2 * usize::from(g);
        map[at..at + 2].copy_from_slice(&new_id(g).to_be_bytes());
    }
    pdf.stream(
        cid_to_gid,
        &miniz_oxide::deflate::compress_to_vec_zlib(&map, 6),
    )
    .filter(Filter::FlateDecode);
    let base = SLOTS[slot(face)].2;
    let identity = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(to_unicode);
    let mut font = pdf.cid_font(cid);
    font.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(identity)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_stream(cid_to_gid);
    let mut widths = font.widths();
    for (&g, (_, advance)) in used {
        widths.consecutive(g, [(advance * 1000.0).round()]);
    }
    widths.finish();
    font.finish();
    let m = fonts::metrics(face);
    pdf.font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            m.bbox[0] * 1000.0,
            m.bbox[1] * 1000.0,
            m.bbox[2] * 1000.0,
            m.bbox[3] * 1000.0,
        ))
        .italic_angle(0.0)
        .ascent(m.ascent * 1000.0)
        .descent(m.descent * 1000.0)
        .cap_height(m.cap_height * 1000.0)
        .stem_v(80.0)
        .font_file2(file);
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), identity);
    for (&g, (text, _)) in used {
        if !text.is_empty() {
            cmap.pair_with_multiple(g, text.chars());
        }
    }
    pdf.cmap(to_unicode, &cmap.finish());
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

/// The compression level of the drawing's stream (miniz_oxide's 1: the fastest; the drawing is 2.7 MB of
/// numbers for the full-scalp example).
pub(crate) const DRAWING_LEVEL: u8 = 1;

/// One run of the drawing's content stream: operations drawn now, or a shape drawn (and compressed) before.
enum Run<'a> {
    /// A content stream, from the byte at the index on.
    Now(Vec<u8>, usize),
    Before(&'a crate::stencil::Drawn),
}

/// The whole drawing in sheet millimetres (y down), as a content stream in runs.
fn drawing(st: &Stencil) -> Vec<Run<'_>> {
    let mut out = Vec::new();
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
                out.push(run_bytes(content, fresh));
                out.push(Run::Before(d));
                content = after_operation();
                fresh = true;
            }
            // The texts are set on each page that holds them whole (`page_texts`), not in the drawing.
            None if matches!(shape, Shape::Text { .. }) => {}
            None => draw_shape(&mut content, shape),
        }
    }
    out.push(run_bytes(content, fresh));
    out
}

/// The texts of the sheet that page `t` of `tiling` prints: each text the page holds whole, and a text no
/// page holds whole on each page it reaches into (the layout keeps every text whole on a page: a text set in
/// the drawing every page shares was in each page's text, beyond its edge too, where a reader copying the
/// page found "s, 3" left of page 2 and "frontote" past page 1's right margin: outside test).
fn page_texts<'a>(st: &'a Stencil, tiling: &Tiling, t: &Tile) -> Vec<&'a Shape> {
    let whole_on = |r: &crate::stencil::Rect, t: &Tile| {
        r.x0 >= t.x0 && r.x1 <= t.x0 + t.w && r.y0 >= t.y0 && r.y1 <= t.y0 + tiling.tile_h
    };
    let tiles = tiling.tiles();
    st.shapes
        .iter()
        .filter(|s| matches!(s, Shape::Text { .. }))
        .filter(|s| {
            let Some(r) = crate::stencil::ink::shape_bounds(s) else {
                return false;
            };
            whole_on(&r, t)
                || (!tiles.iter().any(|o| whole_on(&r, o))
                    && r.x1 > t.x0
                    && r.x0 < t.x0 + t.w
                    && r.y1 > t.y0
                    && r.y0 < t.y0 + tiling.tile_h)
        })
        .collect()
}

/// A content stream whose operations follow another operation (one `f` that `push_run` drops), so that
/// they are separated from it exactly as in one stream.
fn after_operation() -> Content {
    let mut content = Content::new();
    content.fill_nonzero();
    content
}

/// The operations of `content` (made by `after_operation` when `fresh`: its first byte is the `f` of the
/// operation before, left out).
fn run_bytes<'a>(content: Content, fresh: bool) -> Run<'a> {
    Run::Now(content.finish().into_vec(), usize::from(fresh))
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
    stencil_pdf_on(st, paper, &Serial)
}

/// [`stencil_pdf`], the drawing's compression in parts run by `workers` (the same bytes).
pub fn stencil_pdf_on(st: &Stencil, paper: Paper, workers: &dyn Workers) -> Vec<u8> {
    let tiling = st.tiling(paper);
    let (pw, ph) = paper.size_mm();
    let (pw_pt, ph_pt) = paper.size_pt();
    let k = PT_PER_MM as f32;
    let mut pdf = Pdf::new();
    let tiles = tiling.tiles();
    // Objects: 1–5 as named, two per page from 6, then six per embedded font.
    let fonts_at = 6 + 2 * tiles.len() as i32;
    let (catalog, tree, form, info) = (Ref::new(1), Ref::new(2), Ref::new(4), Ref::new(5));
    let page_ref = |i: usize| Ref::new(6 + 2 * i as i32);
    let content_ref = |i: usize| Ref::new(7 + 2 * i as i32);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..tiles.len()).map(page_ref))
        .count(tiles.len() as i32);
    pdf.document_info(info)
        .title(TextStr(&st.title))
        .creator(TextStr("follicle"));
    // Every text the file prints, to embed the glyphs they need and no others.
    let instructions = format!("Print at 100 % (actual size, no fit-to-page) on {}; check the scale bar. Where a drawing runs on, pages overlap {OVERLAP_MM:.0} mm: lay marks on marks, tape.", paper.name());
    let note = tiling.left_out_note();
    let labels: Vec<String> = tiles
        .iter()
        .map(|t| match note.as_str() {
            // The squares left out are said on the pages laid together with them only.
            n if !n.is_empty() && tiling.joined(t) => {
                format!("{} ({n})  -  {}", st.page_label(&tiling, t), st.title)
            }
            _ => format!("{}  -  {}", st.page_label(&tiling, t), st.title),
        })
        .collect();
    const SCALE_BAR: &str = "10 mm scale bar: measure it";
    let shape_texts = st.shapes.iter().filter_map(|s| match s {
        Shape::Text { text, .. } => Some(text.as_str()),
        _ => None,
    });
    let used = glyphs_used(
        shape_texts
            .chain(labels.iter().map(String::as_str))
            .chain([instructions.as_str(), SCALE_BAR]),
    );
    // Slot k's six objects start at fonts_at + 6k; the regular face is always embedded, the others when used.
    let font_refs = |first: Ref| std::array::from_fn(|k| Ref::new(first.get() + k as i32));
    let embedded: Vec<(Name<'static>, Ref)> = SLOTS
        .iter()
        .enumerate()
        .filter(|(k, _)| *k == 0 || !used[*k].is_empty())
        .map(|(k, &(face, name, _))| {
            let first = Ref::new(fonts_at + 6 * k as i32);
            embed_font(&mut pdf, face, &used[k], font_refs(first));
            (name, first)
        })
        .collect();

    // The runs drawn now are compressed now; the earlier sessions' impressions were compressed when drawn.
    let runs = drawing(st);
    let pieces: Vec<Piece> = runs
        .iter()
        .map(|r| match r {
            Run::Now(bytes, from) => Piece::Raw(&bytes[*from..]),
            Run::Before(d) => Piece::Packed {
                raw: &d.pdf,
                packed: &d.pdf_packed,
            },
        })
        .collect();
    let packed = crate::deflate::zlib_of_pieces(&pieces, DRAWING_LEVEL, workers);
    let mut xobj = pdf.form_xobject(form, &packed);
    xobj.filter(Filter::FlateDecode);
    xobj.bbox(Rect::new(0.0, 0.0, st.width_mm as f32, st.height_mm as f32));
    {
        let mut res = xobj.resources();
        let mut f = res.fonts();
        for &(name, at) in &embedded {
            f.pair(name, at);
        }
    }
    xobj.finish();

    let marks = st.registration_marks(&tiling);
    let th = tiling.tile_h;
    let (ml, mt) = (MARGIN_SIDE_MM, MARGIN_TOP_MM);
    for (i, t) in tiles.iter().enumerate() {
        let mut content = Content::new();
        // The tile: the drawing shifted so the sheet's (x0, y0) lands at the printed area's corner, clipped.
        content.save_state();
        // This page's share of the sheet (narrower than the tile where the next view begins sooner).
        let tw = t.w;
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
        for shape in page_texts(st, &tiling, t) {
            draw_shape(&mut content, shape);
        }
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
        // Cut marks where the overlap with a printed neighbour is halved (trim one page there, lay it on the
        // other).
        let (cut_xs, cut_ys) = tiling.cuts(t);
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
        // At 2.8 mm, smaller where it would run off the page (session 37's longer words ran 4 pt past A4) or
        // into the first mark standing in its row: the corner mark at the printed area's right edge or a cut
        // mark (outside test s47: the corner mark of a narrower first page crossed "marks").
        let stop = cut_xs
            .iter()
            .map(|&x| ml + (x - t.x0))
            .filter(|&px| px > left && px < right)
            .fold(right.min(pw - ml), f64::min)
            - 1.5;
        let isize = 2.8_f64.min(2.8 * (stop - ml - 8.0) / fonts::width(&instructions, 2.8, false));
        text(&mut content, ml + 8.0, mt - 4.0, isize, &instructions);
        // The label at 3.2 mm, smaller where a long title would run off the page.
        let size = 3.2_f64.min(3.2 * (pw - 2.0 * ml) / fonts::width(&labels[i], 3.2, false));
        text(&mut content, ml, ph - 10.0, size, &labels[i]);
        // The 10 mm scale bar: a solid bar exactly 10 mm long, nothing else on its rows.
        content.rect(c(ml), c(ph - 6.5), 10.0, 1.5);
        content.fill_nonzero();
        text(&mut content, ml + 12.0, ph - 5.0, 3.0, SCALE_BAR);
        content.restore_state();
        let bytes = content.finish();
        pdf.stream(content_ref(i), &bytes);
        let mut page = pdf.page(page_ref(i));
        page.media_box(Rect::new(0.0, 0.0, pw_pt as f32, ph_pt as f32));
        page.parent(tree);
        page.contents(content_ref(i));
        let mut res = page.resources();
        {
            let mut f = res.fonts();
            for &(name, at) in &embedded {
                f.pair(name, at);
            }
        }
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
    fn glyphs_are_collected_per_face() {
        let used = glyphs_used(["Łukasz 李小龍", "Ł"].into_iter());
        assert!(used[0].values().any(|(t, _)| t == "Ł"));
        let cjk: String = used[1].values().map(|(t, _)| t.as_str()).collect();
        assert_eq!(cjk.chars().count(), 3, "{cjk}");
        assert!(used.iter().flat_map(|u| u.values()).all(|&(_, a)| a > 0.0));
        let emoji = glyphs_used(["Ana 🌸"].into_iter());
        assert!(emoji[2].values().any(|(t, _)| t == "🌸"), "{emoji:?}");
        // A ligature stands for both its letters.
        let lam_alef = glyphs_used(["لا"].into_iter());
        assert!(lam_alef[0].values().any(|(t, _)| t == "لا"), "{lam_alef:?}");
    }
}
