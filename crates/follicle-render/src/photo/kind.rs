//! What a file that is not a JPEG or PNG photo is, in words a receptionist can act on: an iPhone's HEIC, a
//! WebP saved from a web page, a camera's RAW, a PDF or a web page saved instead of the picture. Only the
//! first bytes are read (each format's signature); the sentence says what to do with that kind of file.
//! Used by the CLI's photo loader and the studio's upload check, so both refuse a file in the same words.

/// A file kind told by its first bytes, for the refusal of a file that is no JPEG or PNG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// HEIC/HEIF: an iPhone's (and some Android phones') own photo format.
    Heic,
    /// AVIF.
    Avif,
    /// WebP: pictures saved from web pages and messengers.
    Webp,
    /// GIF.
    Gif,
    /// TIFF, and the camera RAW files built on it (DNG, CR2, NEF, ARW).
    TiffOrRaw,
    /// Windows bitmap.
    Bmp,
    /// PDF (a scan or a printed page).
    Pdf,
    /// A web page saved instead of its picture.
    WebPage,
    /// A ZIP archive (several photos sent together, or a Word/Pages document).
    Zip,
    /// A compressed file: gzip, 7-Zip, RAR, bzip2, xz or zstd (outside test s43: a photo sent gzip-compressed was
    /// answered with its first bytes in hexadecimal).
    Compressed,
    /// An SVG drawing (or other XML): a logo or a diagram, not a photograph.
    Drawing,
    /// Plain text (a note, a list, a file renamed to .jpg).
    Text,
    /// No bytes at all.
    Empty,
}

impl FileKind {
    /// The kind of `bytes`, or `None` when the signature is none of these.
    pub fn of(bytes: &[u8]) -> Option<Self> {
        if bytes.is_empty() {
            return Some(Self::Empty);
        }
        if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            return match &bytes[8..12] {
                b"avif" | b"avis" => Some(Self::Avif),
                b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"hevm" | b"hevs"
                | b"mif1" | b"msf1" => Some(Self::Heic),
                _ => None,
            };
        }
        if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Some(Self::Webp);
        }
        let starts = |sig: &[u8]| bytes.starts_with(sig);
        if starts(b"GIF87a") || starts(b"GIF89a") {
            return Some(Self::Gif);
        }
        if starts(b"II*\0") || starts(b"MM\0*") {
            return Some(Self::TiffOrRaw);
        }
        if starts(b"BM") && bytes.len() >= 14 {
            return Some(Self::Bmp);
        }
        if starts(b"%PDF") {
            return Some(Self::Pdf);
        }
        if starts(b"PK\x03\x04") {
            return Some(Self::Zip);
        }
        if starts(&[0x1f, 0x8b])
            || starts(b"7z\xbc\xaf\x27\x1c")
            || starts(b"Rar!")
            || starts(b"BZh")
            || starts(b"\xfd7zXZ\0")
            || starts(&[0x28, 0xb5, 0x2f, 0xfd])
        {
            return Some(Self::Compressed);
        }
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).to_ascii_lowercase();
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with("<!doctype html") || text.starts_with("<html") {
            return Some(Self::WebPage);
        }
        if text.starts_with("<svg") || text.starts_with("<?xml") {
            return Some(Self::Drawing);
        }
        // Readable text throughout its first bytes (a cut-off last character aside): no picture starts so.
        let head = &bytes[..bytes.len().min(256)];
        let valid = match std::str::from_utf8(head) {
            Ok(_) => head.len(),
            Err(e) => e.valid_up_to(),
        };
        let readable = |c: char| !c.is_control() || matches!(c, '\n' | '\r' | '\t');
        if valid > 0
            && valid + 4 >= head.len()
            && std::str::from_utf8(&head[..valid]).is_ok_and(|t| t.chars().all(readable))
        {
            return Some(Self::Text);
        }
        None
    }

    /// What the file is and what to do with it, completing "not a JPEG or PNG photo: …".
    pub fn words(self) -> &'static str {
        match self {
            Self::Heic => {
                "it is an HEIC photo (an iPhone's own format); share or export it from the phone as JPEG \
                 (\"Most Compatible\" under the iPhone's Settings → Camera → Formats takes JPEG photos from \
                 then on)"
            }
            Self::Avif => "it is an AVIF picture; open it and save or export it as JPEG or PNG",
            Self::Webp => {
                "it is a WebP picture (as saved from a web page or a messenger); open it and save or export \
                 it as JPEG or PNG"
            }
            Self::Gif => "it is a GIF picture; use the original photo, as JPEG or PNG",
            Self::TiffOrRaw => {
                "it is a TIFF or a camera RAW file; export it from the camera's or the photo program's \
                 software as JPEG"
            }
            Self::Bmp => "it is a BMP picture; open it and save it as PNG or JPEG",
            Self::Pdf => "it is a PDF document; use the photo itself, as JPEG or PNG",
            Self::WebPage => {
                "it is a web page saved instead of its picture; open the picture itself and save that"
            }
            Self::Zip => {
                "it is a ZIP archive (or an office document); unpack it and choose the photo, a JPEG or PNG"
            }
            Self::Compressed => {
                "it is a compressed file (gzip, 7-Zip, RAR or the like); unpack it and choose the photo, a JPEG \
                 or PNG"
            }
            Self::Empty => "the file is empty (0 bytes); copy the photo again",
            Self::Drawing => {
                "it is an SVG drawing (a logo or a diagram), not a photograph; use a photo of the client, as \
                 JPEG or PNG"
            }
            Self::Text => "it is a text file, not a picture; use the photo itself, as JPEG or PNG",
        }
    }
}

/// The refusal of a file that is no JPEG or PNG: its kind and what to do when the signature is known, else
/// its first bytes (a support person can look those up).
pub fn not_a_photo_words(bytes: &[u8]) -> String {
    match FileKind::of(bytes) {
        Some(kind) => format!("not a JPEG or PNG photo: {}", kind.words()),
        // Its first bytes in hexadecimal told a receptionist nothing (outside test s43).
        None => "not a JPEG or PNG photo, nor a kind of file follicle recognises: open it in the phone's or \
                 computer's photo viewer and save or export it as JPEG or PNG"
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_signature_is_named_and_others_are_not() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(FileKind::of(heic), Some(FileKind::Heic));
        assert_eq!(
            FileKind::of(b"\0\0\0\x1cftypavif\0\0\0\0"),
            Some(FileKind::Avif)
        );
        // An MP4 video shares the box layout but not the brand.
        assert_eq!(FileKind::of(b"\0\0\0\x18ftypisom\0\0\0\0"), None);
        assert_eq!(
            FileKind::of(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(FileKind::Webp)
        );
        assert_eq!(FileKind::of(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(FileKind::of(b"GIF89a\x01\0"), Some(FileKind::Gif));
        assert_eq!(FileKind::of(b"II*\0\x08\0\0\0"), Some(FileKind::TiffOrRaw));
        assert_eq!(FileKind::of(b"MM\0*\0\0\0\x08"), Some(FileKind::TiffOrRaw));
        assert_eq!(
            FileKind::of(b"BM6\0\x0c\0\0\0\0\0\x36\0\0\0"),
            Some(FileKind::Bmp)
        );
        assert_eq!(FileKind::of(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::of(b"PK\x03\x04\x14\0"), Some(FileKind::Zip));
        assert_eq!(
            FileKind::of(b"\xef\xbb\xbf  <!DOCTYPE html><html>"),
            Some(FileKind::WebPage)
        );
        assert_eq!(FileKind::of(b""), Some(FileKind::Empty));
        assert_eq!(FileKind::of(b"hello, notes"), Some(FileKind::Text));
        assert_eq!(
            FileKind::of("Notizen: Größe\n\twie besprochen".as_bytes()),
            Some(FileKind::Text)
        );
        assert_eq!(
            FileKind::of(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/>"),
            Some(FileKind::Drawing)
        );
        assert_eq!(
            FileKind::of(b"<?xml version=\"1.0\"?><svg>"),
            Some(FileKind::Drawing)
        );
        // Compressed files (outside test s43: a gzip-compressed photo).
        for sig in [
            &b"\x1f\x8b\x08\x00"[..],
            b"7z\xbc\xaf\x27\x1c\0\x04",
            b"Rar!\x1a\x07",
        ] {
            assert_eq!(FileKind::of(sig), Some(FileKind::Compressed), "{sig:?}");
        }
        // Bytes that are no text and no known picture.
        assert_eq!(FileKind::of(b"\0\x01\x02\x03\xfe\xfe\xfe\xfe"), None);
        assert_eq!(FileKind::of(b"\xff\xd8\xff"), None);
    }

    #[test]
    fn the_words_say_what_to_do_and_never_show_bytes() {
        let heic = not_a_photo_words(b"\0\0\0\x18ftypheic\0\0\0\0");
        assert!(
            heic.starts_with("not a JPEG or PNG photo: it is an HEIC photo"),
            "{heic}"
        );
        assert!(heic.contains("as JPEG"), "{heic}");
        let other = not_a_photo_words(b"\0\x01\x02\x03\xfe\xfe\xfe\xfe");
        assert!(!other.contains("00 01 02 03"), "{other}");
        let gz = not_a_photo_words(b"\x1f\x8b\x08\x00\x11\x36\x15\x6b");
        assert!(
            gz.contains("compressed file") && !gz.contains("1f 8b"),
            "{gz}"
        );
        let svg = not_a_photo_words(b"<svg xmlns=\"http://www.w3.org/2000/svg\">");
        assert!(
            svg.contains("SVG drawing") && !svg.contains("3c 73"),
            "{svg}"
        );
        assert!(
            other.contains("save or export it as JPEG or PNG"),
            "{other}"
        );
    }
}
