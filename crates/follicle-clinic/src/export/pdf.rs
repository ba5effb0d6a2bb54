//! PDF rendering of a [`Document`] with krilla: A4 pages, text in embedded and subsetted Unicode fonts
//! (DejaVu Sans, with Droid Sans Fallback for CJK and Symbola for emoji; see [`super::fonts`]), so every character of a
//! client's name prints as itself and stays selectable and searchable. Layout (word wrap, page breaks,
//! tables, banners) is computed here into a list of drawing operations per page, then drawn.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Data;

use super::document::{Block, Document, Tone};
use super::fonts::{self, Face};

/// A4 width in points.
const PAGE_W: f64 = 595.0;
/// A4 height in points.
const PAGE_H: f64 = 842.0;
/// Page margin in points.
const MARGIN: f64 = 50.0;
/// Body text size in points.
const BODY: f64 = 10.0;

/// The PDF could not be assembled (in practice: a font could not be subsetted).
#[derive(Debug, thiserror::Error)]
#[error("the PDF document could not be written: {0}")]
pub struct PdfError(String);

/// Advance width in points of `text` at `size`.
fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    fonts::width(text, size, bold)
}

/// Greedy word wrap to `width` points; over-long words are broken by character.
fn wrap(text: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                let mut next = line.clone();
                next.push(c);
                if text_width(&next, size, bold) > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = next;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// One drawing operation, in PDF coordinates (origin bottom left, y up).
#[derive(Debug, Clone, PartialEq)]
enum Op {
    /// One line of text with its baseline at (`x`, `y`).
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        bold: bool,
    },
    /// A thin grey horizontal rule at height `y`.
    Rule { x0: f64, x1: f64, y: f64 },
    /// Ink strokes: points in PDF coordinates, each stroke a polyline.
    Ink { strokes: Vec<Vec<(f64, f64)>> },
    /// A filled rectangle (lower left corner, width, height) in an RGB colour (0..=1).
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        rgb: (f64, f64, f64),
    },
    /// A picture (lower left corner, width, height).
    Image {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        image: krilla::image::Image,
    },
}

/// Lays content out on pages, collecting the drawing operations of each page.
struct Layout {
    pages: Vec<Vec<Op>>,
    current: Vec<Op>,
    y: f64,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: Vec::new(),
            current: Vec::new(),
            y: PAGE_H - MARGIN,
        }
    }

    /// Starts a new page if `height` points do not fit below the cursor.
    fn need(&mut self, height: f64) {
        if self.y - height < MARGIN {
            self.pages.push(std::mem::take(&mut self.current));
            self.y = PAGE_H - MARGIN;
        }
    }

    /// Writes one line of text with its baseline at (`x`, `baseline`).
    fn text_at(&mut self, x: f64, baseline: f64, text: &str, size: f64, bold: bool) {
        if !text.is_empty() {
            self.current.push(Op::Text {
                x,
                y: baseline,
                text: text.to_string(),
                size,
                bold,
            });
        }
    }

    /// Writes wrapped text at `x` within `width`, advancing the cursor.
    fn paragraph(&mut self, x: f64, width: f64, text: &str, size: f64, bold: bool) {
        let lead = size * 1.35;
        for line in wrap(text, width, size, bold) {
            self.need(lead);
            self.y -= lead;
            self.text_at(x, self.y + size * 0.3, &line, size, bold);
        }
    }

    /// A thin horizontal rule at the cursor.
    fn rule(&mut self, x0: f64, x1: f64) {
        self.current.push(Op::Rule {
            x0,
            x1,
            y: self.y - 2.0,
        });
    }

    fn finish(mut self) -> Vec<Vec<Op>> {
        self.pages.push(self.current);
        self.pages
    }
}

/// RGB fill for a banner tone.
fn tone_rgb(t: Tone) -> (f64, f64, f64) {
    match t {
        Tone::Good => (0.87, 0.95, 0.88),
        Tone::Caution => (1.0, 0.95, 0.79),
        Tone::Stop => (0.98, 0.84, 0.84),
        Tone::Info => (0.89, 0.93, 0.97),
    }
}

/// Lays out the document into page content streams.
fn layout(doc: &Document) -> Vec<Vec<Op>> {
    let mut l = Layout::new();
    let width = PAGE_W - 2.0 * MARGIN;
    l.paragraph(MARGIN, width, &doc.title, 18.0, true);
    l.y -= 6.0;
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => {
                l.need(40.0);
                l.y -= 8.0;
                l.paragraph(MARGIN, width, t, 13.0, true);
                l.rule(MARGIN, PAGE_W - MARGIN);
                l.y -= 4.0;
            }
            Block::Paragraph(t) => {
                l.paragraph(MARGIN, width, t, BODY, false);
                l.y -= 4.0;
            }
            Block::Fields(fields) => {
                let key_w = fields
                    .iter()
                    .map(|(k, _)| text_width(k, BODY, true))
                    .fold(0.0, f64::max)
                    .min(width * 0.35)
                    + 10.0;
                for (k, v) in fields {
                    let lines = wrap(v, width - key_w, BODY, false);
                    let lead = BODY * 1.35;
                    l.need(lead * lines.len().min(3) as f64);
                    let top = l.y;
                    l.text_at(MARGIN, top - lead + BODY * 0.3, k, BODY, true);
                    l.paragraph(MARGIN + key_w, width - key_w, v, BODY, false);
                    if l.y > top - lead {
                        l.y = top - lead;
                    }
                }
                l.y -= 4.0;
            }
            Block::Table {
                header,
                widths,
                rows,
            } => {
                let total: f64 = widths.iter().sum();
                let cols: Vec<f64> = widths.iter().map(|w| w / total * width).collect();
                let size = BODY - 1.0;
                let lead = size * 1.3;
                let draw_row = |l: &mut Layout, cells: &[String], bold: bool| {
                    let wrapped: Vec<Vec<String>> = cells
                        .iter()
                        .zip(&cols)
                        .map(|(c, w)| wrap(c, w - 6.0, size, bold))
                        .collect();
                    let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
                    l.need(lead * n as f64 + 4.0);
                    let mut x = MARGIN;
                    for (lines, w) in wrapped.iter().zip(&cols) {
                        for (i, line) in lines.iter().enumerate() {
                            l.text_at(
                                x,
                                l.y - lead * (i as f64 + 1.0) + size * 0.3,
                                line,
                                size,
                                bold,
                            );
                        }
                        x += w;
                    }
                    l.y -= lead * n as f64;
                    l.rule(MARGIN, PAGE_W - MARGIN);
                    l.y -= 4.0;
                };
                draw_row(&mut l, header, true);
                for r in rows {
                    draw_row(&mut l, r, false);
                }
                l.y -= 4.0;
            }
            Block::Bullets(items) => {
                for item in items {
                    let lead = BODY * 1.35;
                    l.need(lead);
                    l.text_at(MARGIN + 4.0, l.y - lead + BODY * 0.3, "•", BODY, false);
                    l.paragraph(MARGIN + 16.0, width - 16.0, item, BODY, false);
                }
                l.y -= 4.0;
            }
            Block::Signature {
                width: pw,
                height: ph,
                strokes,
            } => {
                // The pad scaled to at most 260 pt wide and 110 pt high, on a baseline rule.
                let scale = (260.0 / f64::from(*pw)).min(110.0 / f64::from(*ph));
                let (w, h) = (f64::from(*pw) * scale, f64::from(*ph) * scale);
                l.need(h + 12.0);
                let top = l.y;
                l.current.push(Op::Ink {
                    strokes: strokes
                        .iter()
                        .map(|s| {
                            s.iter()
                                .map(|(x, y)| {
                                    (MARGIN + f64::from(*x) * scale, top - f64::from(*y) * scale)
                                })
                                .collect()
                        })
                        .collect(),
                });
                l.y -= h;
                l.current.push(Op::Rule {
                    x0: MARGIN,
                    x1: MARGIN + w,
                    y: l.y,
                });
                l.y -= 12.0;
            }
            Block::Image {
                bytes,
                media_type,
                width_mm,
                caption,
            } => {
                let data = Data::from(bytes.clone());
                let image = if media_type == "image/jpeg" {
                    krilla::image::Image::from_jpeg(data, true)
                } else {
                    krilla::image::Image::from_png(data, true)
                };
                // A picture that cannot be read is left out rather than failing the whole document.
                let Ok(image) = image else { continue };
                let (iw, ih) = image.size();
                if iw == 0 || ih == 0 {
                    continue;
                }
                let mut w = (width_mm * 72.0 / 25.4).clamp(10.0, width);
                let mut h = w * f64::from(ih) / f64::from(iw);
                if h > 420.0 {
                    w *= 420.0 / h;
                    h = 420.0;
                }
                l.need(h + 8.0);
                l.current.push(Op::Image {
                    x: MARGIN,
                    y: l.y - h,
                    w,
                    h,
                    image,
                });
                l.y -= h + 4.0;
                if !caption.is_empty() {
                    l.paragraph(MARGIN, width, caption, BODY - 1.0, false);
                }
                l.y -= 4.0;
            }
            Block::Banner(tone, t) => {
                let size = 12.0;
                let lines = wrap(t, width - 16.0, size, true);
                let h = lines.len() as f64 * size * 1.35 + 10.0;
                l.need(h + 6.0);
                let (r, g, b) = tone_rgb(*tone);
                l.current.push(Op::Rect {
                    x: MARGIN,
                    y: l.y - h,
                    w: width,
                    h,
                    rgb: (r, g, b),
                });
                l.y -= 5.0;
                l.paragraph(MARGIN + 8.0, width - 16.0, t, size, true);
                l.y -= 11.0;
            }
        }
    }
    l.y -= 10.0;
    l.paragraph(MARGIN, width, &doc.footer, 7.5, false);
    l.finish()
}

/// Draws one line of text, switching face wherever the primary face lacks a character.
fn draw_text(
    surface: &mut krilla::surface::Surface<'_>,
    faces: &[Font; Face::ALL.len()],
    x: f64,
    y: f64,
    text: &str,
    size: f64,
    bold: bool,
) {
    let size = size as f32;
    let mut pen = x as f32;
    for run in fonts::runs(text, bold) {
        let glyphs: Vec<KrillaGlyph> = run
            .glyphs
            .iter()
            .map(|g| {
                KrillaGlyph::new(
                    GlyphId::new(g.glyph),
                    g.advance,
                    g.offset.0,
                    g.offset.1,
                    0.0,
                    g.range.clone(),
                    None,
                )
            })
            .collect();
        let font = faces[Face::ALL.iter().position(|f| *f == run.face).unwrap_or(0)].clone();
        surface.draw_glyphs(
            Point::from_xy(pen, (PAGE_H - y) as f32),
            &glyphs,
            font,
            &run.text,
            size,
            false,
        );
        pen += run.advance() * size;
    }
}

/// Draws one page's operations (flipping to krilla's top-left origin).
fn draw_page(
    surface: &mut krilla::surface::Surface<'_>,
    faces: &[Font; Face::ALL.len()],
    ops: &[Op],
) {
    let black = Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        ..Fill::default()
    };
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                text,
                size,
                bold,
            } => {
                surface.set_fill(Some(black.clone()));
                surface.set_stroke(None);
                draw_text(surface, faces, *x, *y, text, *size, *bold);
            }
            Op::Rule { x0, x1, y } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x0 as f32, (PAGE_H - y) as f32);
                pb.line_to(*x1 as f32, (PAGE_H - y) as f32);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: rgb::Color::new(153, 153, 153).into(),
                        width: 0.5,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Ink { strokes } => {
                let mut pb = PathBuilder::new();
                for s in strokes {
                    let Some(&(x0, y0)) = s.first() else { continue };
                    pb.move_to(x0 as f32, (PAGE_H - y0) as f32);
                    if s.len() == 1 {
                        // A dot: a tiny segment, drawn round by the line cap.
                        pb.line_to(x0 as f32 + 0.01, (PAGE_H - y0) as f32);
                    }
                    for &(x, y) in &s[1..] {
                        pb.line_to(x as f32, (PAGE_H - y) as f32);
                    }
                }
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: rgb::Color::new(10, 20, 60).into(),
                        width: 1.2,
                        line_cap: krilla::paint::LineCap::Round,
                        line_join: krilla::paint::LineJoin::Round,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Rect {
                x,
                y,
                w,
                h,
                rgb: (r, g, b),
            } => {
                let to8 = |v: f64| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
                let mut pb = PathBuilder::new();
                if let Some(rect) =
                    Rect::from_xywh(*x as f32, (PAGE_H - y - h) as f32, *w as f32, *h as f32)
                {
                    pb.push_rect(rect);
                }
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: rgb::Color::new(to8(*r), to8(*g), to8(*b)).into(),
                        ..Fill::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Image { x, y, w, h, image } => {
                let (Some(size), top) = (
                    krilla::geom::Size::from_wh(*w as f32, *h as f32),
                    (PAGE_H - y - h) as f32,
                ) else {
                    continue;
                };
                surface.push_transform(&krilla::geom::Transform::from_translate(*x as f32, top));
                surface.draw_image(image.clone(), size);
                surface.pop();
            }
        }
    }
}

/// The document as PDF bytes: A4 pages with a "Page n of m" footer, fonts embedded and subsetted. A picture
/// whose data turns out damaged when the PDF is written (its header read fine) is left out: the client still
/// gets the document.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    match render_all(doc) {
        Err(_) if doc.blocks.iter().any(|b| matches!(b, Block::Image { .. })) => {
            let mut text_only = doc.clone();
            text_only
                .blocks
                .retain(|b| !matches!(b, Block::Image { .. }));
            render_all(&text_only)
        }
        done => done,
    }
}

fn render_all(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let faces = Face::ALL.map(|f| {
        Font::new(Data::from(f.data()), 0).expect("embedded font is a valid TrueType file")
    });
    let pages = layout(doc);
    let n = pages.len();
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .producer("follicle-clinic".into()),
    );
    let settings =
        PageSettings::from_wh(PAGE_W as f32, PAGE_H as f32).expect("A4 is a valid page size");
    for (i, mut ops) in pages.into_iter().enumerate() {
        let label = format!("Page {} of {n}", i + 1);
        ops.push(Op::Text {
            x: PAGE_W - MARGIN - text_width(&label, 8.0, false),
            y: 30.0,
            text: label,
            size: 8.0,
            bold: false,
        });
        let mut page = pdf.start_page_with(settings.clone());
        let mut surface = page.surface();
        draw_page(&mut surface, &faces, &ops);
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PdfError(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(paragraphs: usize) -> Document {
        Document {
            title: "Ink passport: Zoë (test)".into(),
            blocks: (0..paragraphs).map(|i| Block::Paragraph(format!("Paragraph {i} – with a long line of text that needs wrapping across the page width, naturally."))).collect(),
            footer: "footer".into(),
        }
    }

    /// A PNG whose header says 64 × 64 pixels but whose data holds one: it reads fine until the PDF is written.
    const DAMAGED_PNG: [u8; 69] = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x40, 0x08, 0x02, 0x00, 0x00, 0x00, 0x25,
        0x0b, 0xe6, 0x89, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00,
        0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn a_damaged_picture_is_left_out_and_the_document_still_written() {
        let mut doc = sample(2);
        doc.blocks.insert(
            0,
            Block::Image {
                bytes: DAMAGED_PNG.to_vec(),
                media_type: "image/png".into(),
                width_mm: 40.0,
                caption: "logo".into(),
            },
        );
        let pdf = render(&doc).expect("the document without the damaged picture");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(!String::from_utf8_lossy(&pdf).contains("/Subtype /Image"));
    }

    #[test]
    fn long_documents_break_onto_several_a4_pages() {
        let pages = layout(&sample(120));
        assert!(
            pages.len() >= 3,
            "120 paragraphs span several pages, got {}",
            pages.len()
        );
        for ops in &pages {
            for op in ops {
                if let Op::Text { y, .. } = op {
                    assert!(
                        *y >= MARGIN - BODY && *y <= PAGE_H - MARGIN,
                        "text at {y} leaves the page margins"
                    );
                }
            }
        }
        let pdf = render(&sample(120)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        let boxes: Vec<Vec<f64>> = text
            .split("/MediaBox")
            .skip(1)
            .map(|rest| {
                let inner = rest.trim_start().trim_start_matches('[');
                inner
                    .split(']')
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .map(|n| n.parse().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(boxes.len(), pages.len(), "one media box per page");
        assert!(
            boxes.iter().all(|b| b == &[0.0, 0.0, 595.0, 842.0]),
            "A4 pages: {boxes:?}"
        );
        assert!(text.contains("/FontFile2"), "fonts are embedded");
    }

    #[test]
    fn only_the_faces_a_document_uses_are_embedded() {
        let latin = render(&sample(1)).unwrap();
        let mut cjk = sample(1);
        cjk.title = "Zoë 王".into();
        let cjk = render(&cjk).unwrap();
        let count = |pdf: &[u8]| String::from_utf8_lossy(pdf).matches("/FontFile2").count();
        assert_eq!(
            count(&latin),
            2,
            "regular and bold DejaVu Sans, no CJK face"
        );
        assert_eq!(
            count(&cjk),
            3,
            "the CJK fallback face is embedded when a character needs it"
        );
        assert!(
            cjk.len() < 400_000,
            "fonts are subsetted: {} bytes",
            cjk.len()
        );
    }

    #[test]
    fn wrapping_respects_the_width() {
        let text =
            "Defer until 6 months after the last dose of isotretinoin, and ask the prescriber.";
        for line in wrap(text, 150.0, 10.0, false) {
            assert!(text_width(&line, 10.0, false) <= 150.0, "{line}");
        }
        assert_eq!(wrap("", 100.0, 10.0, false), vec![String::new()]);
        for line in wrap(
            "王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王王",
            100.0,
            10.0,
            false,
        ) {
            assert!(text_width(&line, 10.0, false) <= 100.0, "{line}");
        }
    }
}
