//! HTML rendering of a [`Document`]: one self-contained, printable page (inline CSS, UTF-8, no scripts).

use super::document::{Block, Document, Tone};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The CSS class of a banner tone.
fn tone_class(t: Tone) -> &'static str {
    match t {
        Tone::Good => "good",
        Tone::Caution => "caution",
        Tone::Stop => "stop",
        Tone::Info => "info",
    }
}

const STYLE: &str = "body{font-family:Helvetica,Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.4}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}\
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:bold}dd{margin:0}\
.banner{padding:.6rem 1rem;font-weight:bold;border-radius:4px}.good{background:#dff3e0}.caution{background:#fff1c9}\
.stop{background:#f9d6d5}.info{background:#e3ecf7}footer{margin-top:2rem;font-size:.8rem;color:#666}\
@media print{body{margin:0}}";

/// The document as a complete HTML page.
pub fn render(doc: &Document) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&doc.title)
    ));
    h.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => h.push_str(&format!("<h2>{}</h2>\n", escape(t))),
            Block::Paragraph(t) => h.push_str(&format!("<p>{}</p>\n", escape(t))),
            Block::Fields(fields) => {
                h.push_str("<dl>\n");
                for (k, v) in fields {
                    h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v)));
                }
                h.push_str("</dl>\n");
            }
            Block::Table { header, rows, .. } => {
                h.push_str("<table>\n<thead><tr>");
                for c in header {
                    h.push_str(&format!("<th>{}</th>", escape(c)));
                }
                h.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    h.push_str("<tr>");
                    for c in r {
                        h.push_str(&format!("<td>{}</td>", escape(c)));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody>\n</table>\n");
            }
            Block::Bullets(items) => {
                h.push_str("<ul>\n");
                for i in items {
                    h.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                h.push_str("</ul>\n");
            }
            Block::Signature {
                width,
                height,
                strokes,
            } => {
                let mut d = String::new();
                for s in strokes {
                    for (i, (x, y)) in s.iter().enumerate() {
                        d.push_str(&format!("{}{x} {y} ", if i == 0 { 'M' } else { 'L' }));
                    }
                }
                h.push_str(&format!(
                    "<svg class=\"signature\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Signature\"><path d=\"{}\" fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\" stroke-linecap=\"round\"/></svg>\n",
                    d.trim_end()
                ));
            }
            Block::Image {
                bytes,
                media_type,
                width_mm,
                caption,
            } => {
                use base64::Engine;
                let ty = if media_type == "image/jpeg" {
                    "image/jpeg"
                } else {
                    "image/png"
                };
                h.push_str(&format!(
                    "<figure><img src=\"data:{ty};base64,{}\" alt=\"{}\" style=\"width:{:.0}mm;max-width:100%\">{}</figure>\n",
                    base64::engine::general_purpose::STANDARD.encode(bytes),
                    escape(caption),
                    width_mm.clamp(5.0, 180.0),
                    if caption.is_empty() { String::new() } else { format!("<figcaption>{}</figcaption>", escape(caption)) }
                ));
            }
            Block::Banner(tone, t) => h.push_str(&format!(
                "<p class=\"banner {}\">{}</p>\n",
                tone_class(*tone),
                escape(t)
            )),
        }
    }
    h.push_str(&format!(
        "<footer>{}</footer>\n</body>\n</html>\n",
        escape(&doc.footer)
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_client_text() {
        let doc = Document {
            title: "A <b>\"test\"</b> & co".into(),
            blocks: vec![Block::Paragraph("x < y".into())],
            footer: String::new(),
        };
        let h = render(&doc);
        assert!(h.contains("<h1>A &lt;b&gt;&quot;test&quot;&lt;/b&gt; &amp; co</h1>"));
        assert!(h.contains("<p>x &lt; y</p>"));
    }
}
