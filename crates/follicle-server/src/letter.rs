//! What an uploaded physician's clearance letter must be: a PDF that has a PDF's structure (header, a
//! cross-reference section or stream with its trailer, `startxref` and `%%EOF` at the end), or a PNG or JPEG
//! that image's readers decode in full within the photo limits ([`crate::media`]). Not a PDF parser: no PDF
//! reader is among the workspace's dependencies (krilla and pdf-writer only write), and the letter is only
//! stored and handed back, never rendered by the server; the check refuses a file that is not a PDF at all
//! (a renamed text, a cut download) while accepting what PDF readers open, including files whose
//! cross-reference offsets they would repair.

/// How far from the end `%%EOF` and `startxref` may be (readers look in the last kilobyte).
const TAIL: usize = 1024;

/// What the letter's bytes are (`application/pdf`, `image/png` or `image/jpeg`), or why they are refused, in
/// words for the practitioner. Decodes an image in full: hold a [`crate::media::DECODES`] permit.
pub fn letter_type(bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.starts_with(b"%PDF-") {
        check_pdf(bytes)?;
        return Ok("application/pdf");
    }
    let picture = bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    let info = crate::media::inspect(bytes).map_err(|e| {
        if picture {
            // A PNG or JPEG too large or damaged is told so, not that it is not one (outside test s43).
            format!("The letter's picture cannot be used: {e}.")
        } else {
            "The letter must be a PDF, PNG or JPEG file (a scan or a photo of the letter)."
                .to_string()
        }
    })?;
    crate::media::check_complete(bytes).map_err(|e| {
        format!("The letter cannot be read ({e}); scan or photograph the letter again.")
    })?;
    Ok(info.content_type)
}

/// Checks the structure of a PDF: `%PDF-d.d` header, `%%EOF` and `startxref` with a byte offset inside the
/// file in its last kilobyte, at least one object, and a trailer (`trailer` with `/Root`) or a
/// cross-reference stream (`/XRef`).
pub fn check_pdf(bytes: &[u8]) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "The letter is not a readable PDF ({why}); save or print it as PDF again, or upload a scan as PNG or JPEG."
        ))
    };
    let version = bytes.get(5..8).unwrap_or_default();
    if !(version.len() == 3
        && version[0].is_ascii_digit()
        && version[1] == b'.'
        && version[2].is_ascii_digit())
    {
        return refuse("its header has no version");
    }
    let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
    let Some(eof) = rfind(tail, b"%%EOF") else {
        return refuse("it does not end with %%EOF: the file may be cut short");
    };
    let Some(sx) = rfind(&tail[..eof], b"startxref") else {
        return refuse("it has no startxref");
    };
    let offset: String = tail[sx + b"startxref".len()..eof]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    match offset.parse::<usize>() {
        Ok(o) if o < bytes.len() => {}
        _ => return refuse("its startxref does not point into the file"),
    }
    if find(bytes, b"obj").is_none() || find(bytes, b"endobj").is_none() {
        return refuse("it has no objects");
    }
    let trailer = find(bytes, b"trailer").is_some_and(|t| find(&bytes[t..], b"/Root").is_some());
    if !trailer && find(bytes, b"/XRef").is_none() {
        return refuse("it has no trailer");
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A small PDF with a correct cross-reference table (one empty page), as tests upload it.
#[cfg(test)]
pub fn minimal_pdf() -> Vec<u8> {
    let objects = [
        "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
        "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n",
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = vec![];
    for o in objects {
        offsets.push(pdf.len());
        pdf.push_str(o);
    }
    let xref = pdf.len();
    pdf.push_str("xref\n0 3\n0000000000 65535 f \n");
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer<</Size 3/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n"
    ));
    pdf.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_needs_a_pdf_s_structure() {
        assert_eq!(letter_type(&minimal_pdf()), Ok("application/pdf"));
        // The same text the studio's browser tests upload.
        assert_eq!(
            letter_type(
                b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \ntrailer<</Size 3/Root 1 0 R>>\nstartxref\n96\n%%EOF\n"
            ),
            Ok("application/pdf")
        );
        // A PDF made by krilla (the signed consent's writer) passes.
        let doc = follicle_clinic::export::document::Document {
            title: "Letter".into(),
            blocks: vec![follicle_clinic::export::document::Block::Paragraph(
                "Cleared for treatment.".into(),
            )],
            footer: String::new(),
        };
        let made = follicle_clinic::export::pdf::render(&doc).unwrap();
        assert_eq!(letter_type(&made), Ok("application/pdf"));
        for (bad, why) in [
            (b"%PDF-1.4\n%garbage".to_vec(), "%%EOF"),
            (
                b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
                "startxref",
            ),
            (b"%PDF-\n%%EOF".to_vec(), "version"),
            (
                b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n999999\n%%EOF\n"
                    .to_vec(),
                "point into the file",
            ),
            (
                b"%PDF-1.7\nhello\nstartxref\n3\n%%EOF\n".to_vec(),
                "no objects",
            ),
            (
                b"%PDF-1.7\n1 0 obj<<>>endobj\nstartxref\n3\n%%EOF\n".to_vec(),
                "no trailer",
            ),
            // Cut short: the end is missing.
            (minimal_pdf()[..60].to_vec(), "%%EOF"),
        ] {
            let e = letter_type(&bad).unwrap_err();
            assert!(
                e.contains(why) && e.starts_with("The letter is not a readable PDF"),
                "{e}"
            );
        }
    }
}
