//! PDF 1.4 rendering of a [`Document`], written by hand: A4 pages, the standard Helvetica and
//! Helvetica-Bold fonts in WinAnsiEncoding (no embedding), uncompressed content streams, and a
//! cross-reference table with exact byte offsets. Text is wrapped with Helvetica's AFM advance widths.

use super::document::{Block, Document, Tone};

/// A4 width in points.
const PAGE_W: f64 = 595.0;
/// A4 height in points.
const PAGE_H: f64 = 842.0;
/// Page margin in points.
const MARGIN: f64 = 50.0;
/// Body text size in points.
const BODY: f64 = 10.0;

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126, from the Adobe Core 14 AFM.
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p … ~
];

/// WinAnsiEncoding byte for a character, with ASCII stand-ins for a few common symbols outside it.
fn win_ansi(c: char) -> Vec<u8> {
    let code = c as u32;
    let special = match c {
        '€' => Some(0x80),
        '‚' => Some(0x82),
        '„' => Some(0x84),
        '…' => Some(0x85),
        '†' => Some(0x86),
        '‡' => Some(0x87),
        '‰' => Some(0x89),
        'Š' => Some(0x8A),
        '‹' => Some(0x8B),
        'Œ' => Some(0x8C),
        'Ž' => Some(0x8E),
        '‘' => Some(0x91),
        '’' => Some(0x92),
        '“' => Some(0x93),
        '”' => Some(0x94),
        '•' => Some(0x95),
        '–' => Some(0x96),
        '—' => Some(0x97),
        '™' => Some(0x99),
        'š' => Some(0x9A),
        '›' => Some(0x9B),
        'œ' => Some(0x9C),
        'ž' => Some(0x9E),
        'Ÿ' => Some(0x9F),
        _ => None,
    };
    if let Some(b) = special {
        return vec![b];
    }
    match code {
        0x20..=0x7E | 0xA0..=0xFF => vec![code as u8],
        _ => match c {
            '≤' => b"<=".to_vec(),
            '≥' => b">=".to_vec(),
            '→' => b"->".to_vec(),
            '\t' => b" ".to_vec(),
            _ => b"?".to_vec(),
        },
    }
}

/// Advance width in points of `text` at `size` (bold runs about 5 % wider; measured conservatively).
fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let units: u32 = text
        .chars()
        .flat_map(win_ansi)
        .map(|b| if (32..=126).contains(&b) { u32::from(HELVETICA_WIDTHS[(b - 32) as usize]) } else { 556 })
        .sum();
    let w = f64::from(units) * size / 1000.0;
    if bold {
        w * 1.06
    } else {
        w
    }
}

/// Greedy word wrap to `width` points; over-long words are broken by character.
fn wrap(text: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
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

/// A PDF string literal in WinAnsi bytes, with `(`, `)` and `\` escaped and high bytes as octal.
fn pdf_string(text: &str) -> String {
    let mut out = String::from("(");
    for b in text.chars().flat_map(win_ansi) {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            32..=126 => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push(')');
    out
}

/// Lays content out on pages, collecting one content stream per page.
struct Layout {
    pages: Vec<String>,
    current: String,
    y: f64,
}

impl Layout {
    fn new() -> Layout {
        Layout { pages: Vec::new(), current: String::new(), y: PAGE_H - MARGIN }
    }

    /// Starts a new page if `height` points do not fit below the cursor.
    fn need(&mut self, height: f64) {
        if self.y - height < MARGIN {
            self.pages.push(std::mem::take(&mut self.current));
            self.y = PAGE_H - MARGIN;
        }
    }

    /// Writes one line of text with its baseline `size` below the cursor's top, at `x`.
    fn text_at(&mut self, x: f64, baseline: f64, text: &str, size: f64, bold: bool) {
        let font = if bold { "F2" } else { "F1" };
        self.current.push_str(&format!("BT /{font} {size:.1} Tf {x:.2} {baseline:.2} Td {} Tj ET\n", pdf_string(text)));
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
        self.current.push_str(&format!("0.6 G 0.5 w {x0:.2} {y:.2} m {x1:.2} {y:.2} l S 0 G\n", y = self.y - 2.0));
    }

    fn finish(mut self) -> Vec<String> {
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
fn layout(doc: &Document) -> Vec<String> {
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
                let key_w = fields.iter().map(|(k, _)| text_width(k, BODY, true)).fold(0.0, f64::max).min(width * 0.35) + 10.0;
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
            Block::Table { header, widths, rows } => {
                let total: f64 = widths.iter().sum();
                let cols: Vec<f64> = widths.iter().map(|w| w / total * width).collect();
                let size = BODY - 1.0;
                let lead = size * 1.3;
                let draw_row = |l: &mut Layout, cells: &[String], bold: bool| {
                    let wrapped: Vec<Vec<String>> =
                        cells.iter().zip(&cols).map(|(c, w)| wrap(c, w - 6.0, size, bold)).collect();
                    let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
                    l.need(lead * n as f64 + 4.0);
                    let mut x = MARGIN;
                    for (lines, w) in wrapped.iter().zip(&cols) {
                        for (i, line) in lines.iter().enumerate() {
                            l.text_at(x, l.y - lead * (i as f64 + 1.0) + size * 0.3, line, size, bold);
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
            Block::Banner(tone, t) => {
                let size = 12.0;
                let lines = wrap(t, width - 16.0, size, true);
                let h = lines.len() as f64 * size * 1.35 + 10.0;
                l.need(h + 6.0);
                let (r, g, b) = tone_rgb(*tone);
                l.current.push_str(&format!("{r:.2} {g:.2} {b:.2} rg {MARGIN:.2} {:.2} {width:.2} {h:.2} re f 0 g\n", l.y - h));
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

/// The document as PDF 1.4 bytes.
pub fn render(doc: &Document) -> Vec<u8> {
    let pages = layout(doc);
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 info, then page i at 6+2i, its content at 7+2i.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    for base in ["Helvetica", "Helvetica-Bold"] {
        objects.push(format!("<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>").into_bytes());
    }
    objects.push(format!("<< /Title {} /Producer (follicle-clinic) >>", pdf_string(&doc.title)).into_bytes());
    for (i, content) in pages.iter().enumerate() {
        let footer = format!("BT /F1 8.0 Tf {:.2} 30.00 Td {} Tj ET\n", PAGE_W - MARGIN - 40.0, pdf_string(&format!("Page {} of {n}", i + 1)));
        let stream = format!("{content}{footer}");
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            )
            .into_bytes(),
        );
        let mut obj = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        obj.extend_from_slice(stream.as_bytes());
        obj.extend_from_slice(b"\nendstream");
        objects.push(obj);
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
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

    #[test]
    fn xref_offsets_point_at_their_objects() {
        let pdf = render(&sample(120));
        // Only the binary-marker comment on line 2 is not ASCII; blank it so offsets stay byte offsets.
        let bytes = &pdf[..];
        let text: String = bytes.iter().map(|&b| if b.is_ascii() { b as char } else { '#' }).collect();
        let startxref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(bytes[startxref..].starts_with(b"xref\n"));
        let table = &text[startxref..];
        let count: usize = table.lines().nth(1).unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        for (i, line) in table.lines().skip(3).take(count - 1).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(bytes[off..].starts_with(format!("{} 0 obj\n", i + 1).as_bytes()), "object {}", i + 1);
        }
        assert!(text.contains("/Count 3") || text.contains("/Count 4"), "120 paragraphs span several pages");
    }

    #[test]
    fn strings_are_escaped_and_win_ansi_encoded() {
        assert_eq!(pdf_string("a(b)c\\"), "(a\\(b\\)c\\\\)");
        assert_eq!(pdf_string("Zoë – ok"), "(Zo\\353 \\226 ok)");
        assert_eq!(pdf_string("≤ 90"), "(<= 90)");
    }

    #[test]
    fn wrapping_respects_the_width() {
        let text = "Defer until 6 months after the last dose of isotretinoin, and ask the prescriber.";
        for line in wrap(text, 150.0, 10.0, false) {
            assert!(text_width(&line, 10.0, false) <= 150.0, "{line}");
        }
        assert_eq!(wrap("", 100.0, 10.0, false), vec![String::new()]);
    }
}
