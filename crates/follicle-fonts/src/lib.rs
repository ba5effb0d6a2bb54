//! The fonts embedded in follicle's PDFs (the client documents of follicle-clinic, the stencil of
//! follicle-export), and the per-character choice between them.
//!
//! Client names and addresses are arbitrary Unicode (Łukasz Żółkiewski, Søren, 王), so the PDF writer
//! cannot rely on the 14 standard PDF fonts. DejaVu Sans (regular and bold: Latin, Greek, Cyrillic and
//! more) is the primary face; Droid Sans Fallback covers CJK ideographs and kana (not Hangul syllables); Symbola's symbol
//! and emoji blocks cover emoji (Ana 🌸) and the mathematical letters of "fancy text" (𝔍𝔬𝔥𝔫), drawn in the
//! text's one ink. Each character is drawn with the primary face when it has a glyph for it, else with the
//! first fallback that has one; a character no face has is drawn as the primary face's missing-glyph box but
//! keeps its Unicode value for copying and search. The font files live in the crate's `fonts/` folder with their licences and are compiled
//! in, so nothing is read from the system at run time. A line is laid out by [`runs`]: bidirectional order
//! and shaping (joined Arabic, ligatures, kerning) in the `shape` module.

mod shape;

use std::ops::Range;
use std::sync::OnceLock;

use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans (Bitstream Vera / DejaVu licence, see `fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold (same licence).
static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
/// Droid Sans Fallback Full (Apache-2.0, see `fonts/LICENSE-DroidSansFallback.txt`).
static DROID_SANS_FALLBACK: &[u8] = include_bytes!("../fonts/DroidSansFallbackFull.ttf");
/// Symbola's symbol and emoji blocks (free for any use, see `fonts/LICENSE-Symbola.txt`).
static SYMBOLA_EMOJI: &[u8] = include_bytes!("../fonts/Symbola-emoji.ttf");

/// One of the embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
    /// Droid Sans Fallback (CJK), used for both weights.
    Fallback,
    /// Symbola (emoji and symbols, drawn in one ink like the text), used for both weights.
    Emoji,
}

impl Face {
    /// All faces, in a fixed order.
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Fallback, Face::Emoji];

    /// The font file's bytes.
    pub fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => DEJAVU_SANS,
            Face::Bold => DEJAVU_SANS_BOLD,
            Face::Fallback => DROID_SANS_FALLBACK,
            Face::Emoji => SYMBOLA_EMOJI,
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Fallback => 2,
            Face::Emoji => 3,
        }
    }
}

/// A parsed face: its character map, advance widths and units per em.
struct Parsed {
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
}

fn parsed(face: Face) -> &'static Parsed {
    static FACES: OnceLock<[Parsed; 4]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        Face::ALL.map(|f| {
            // The files are compiled in and covered by tests, so a parse failure is a build defect.
            let font = FontRef::new(f.data()).expect("embedded font is a valid TrueType file");
            let units_per_em = f32::from(font.head().map(|h| h.units_per_em()).unwrap_or(2048));
            Parsed {
                charmap: font.charmap(),
                metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
                units_per_em,
            }
        })
    });
    &faces[face.index()]
}

/// A glyph placed from the text: its id in `face`, its advance and offset in em, and the bytes it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Glyph id in the run's face.
    pub glyph: u32,
    /// Advance width as a fraction of the font size (as shaped: kerning included).
    pub advance: f32,
    /// Where the glyph is drawn from the pen, x and y (up), as fractions of the font size (marks on letters).
    pub offset: (f32, f32),
    /// Bytes of the run's text this glyph represents.
    pub range: Range<usize>,
}

/// A stretch of text drawn with one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The face.
    pub face: Face,
    /// The run's text in logical (typed) order (tabs already turned into spaces).
    pub text: String,
    /// The glyphs left to right on the page; a glyph may stand for several characters (a ligature) and
    /// several glyphs for one.
    pub glyphs: Vec<Placed>,
    /// Whether the run is written right to left (its glyphs then stand for the text last character first).
    pub rtl: bool,
}

impl Run {
    /// Advance width of the run in em.
    pub fn advance(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// The face and glyph for one character: the primary face when it has the glyph, else the CJK fallback,
/// else the emoji face, else the primary face's missing glyph (id 0).
pub(crate) fn pick(c: char, bold: bool) -> (Face, u32) {
    let primary = if bold { Face::Bold } else { Face::Regular };
    for face in [primary, Face::Fallback, Face::Emoji] {
        if let Some(g) = parsed(face).charmap.map(c) {
            if g.to_u32() != 0 {
                return (face, g.to_u32());
            }
        }
    }
    (primary, 0)
}

/// The characters of `text` that no embedded face has a glyph for (printed as the missing-glyph box), each
/// once, in order: Korean Hangul syllables, Thai, Devanagari and other scripts the faces lack. Spaces and
/// control characters are not counted.
pub fn missing(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !c.is_whitespace() && !c.is_control() && pick(c, false).1 == 0 && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Lays out one line of `text`: runs of one face each, left to right on the page, right-to-left stretches in
/// visual order, every stretch shaped. Control characters (line breaks too) are dropped, tabs become spaces.
pub fn runs(text: &str, bold: bool) -> Vec<Run> {
    shape::runs(text, bold)
}

/// A glyph's own advance width in `face` (from the font's metrics, before shaping), as a fraction of the size.
pub fn glyph_advance(face: Face, glyph: u32) -> f32 {
    let p = parsed(face);
    p.metrics
        .advance_width(skrifa::GlyphId::new(glyph))
        .unwrap_or(p.units_per_em / 2.0)
        / p.units_per_em
}

/// A face's vertical metrics and bounding box as fractions of the font size, for a PDF font descriptor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Height above the baseline.
    pub ascent: f32,
    /// Depth below the baseline (negative).
    pub descent: f32,
    /// Height of capital letters.
    pub cap_height: f32,
    /// The box every glyph fits in: x min, y min, x max, y max.
    pub bbox: [f32; 4],
}

/// The vertical metrics of `face`.
pub fn metrics(face: Face) -> Metrics {
    // Parsed and covered by tests as in `parsed`.
    let font = FontRef::new(face.data()).expect("embedded font is a valid TrueType file");
    let m = font.metrics(Size::unscaled(), LocationRef::default());
    let em = f32::from(m.units_per_em.max(1));
    let b = m.bounds.unwrap_or_default();
    Metrics {
        ascent: m.ascent / em,
        descent: m.descent / em,
        cap_height: m.cap_height.unwrap_or(m.ascent) / em,
        bbox: [b.x_min / em, b.y_min / em, b.x_max / em, b.y_max / em],
    }
}

/// Advance width in points of `text` at `size` points.
pub fn width(text: &str, size: f64, bold: bool) -> f64 {
    runs(text, bold)
        .iter()
        .map(|r| f64::from(r.advance()))
        .sum::<f64>()
        * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_no_face_has_are_named() {
        // Latin, CJK ideographs, kana and emoji print; Hangul syllables, Thai and Devanagari do not (the
        // fallback face has no Hangul syllables: outside probe s28 printed 김민준 as boxes).
        assert!(missing("Łukasz Żółkiewski 王小龍 やまだ Ana 🌸").is_empty());
        assert_eq!(missing("김민준 Kim 김"), ['김', '민', '준']);
        assert_eq!(missing("สม"), ['ส', 'ม']);
    }

    #[test]
    fn latin_extended_stays_in_dejavu_and_ideographs_fall_back() {
        let r = runs("Łukasz Żółkiewski-Søren 王", false);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(
            (r[0].face, r[0].text.as_str()),
            (Face::Regular, "Łukasz Żółkiewski-Søren ")
        );
        assert_eq!((r[1].face, r[1].text.as_str()), (Face::Fallback, "王"));
        assert!(r
            .iter()
            .flat_map(|r| &r.glyphs)
            .all(|g| g.glyph != 0 && g.advance > 0.0));
        let b = runs("Żółw", true);
        assert_eq!(b[0].face, Face::Bold);
    }

    #[test]
    fn text_ranges_cover_the_run_text_and_controls_are_dropped() {
        let r = runs("a\tb\u{7}ł", false);
        assert_eq!(r[0].text, "a bł");
        let ranges: Vec<_> = r[0].glyphs.iter().map(|g| g.range.clone()).collect();
        assert_eq!(ranges, vec![0..1, 1..2, 2..3, 3..5]);
    }

    #[test]
    fn a_character_no_face_has_gets_the_missing_glyph_but_keeps_its_text() {
        // U+10FFFD is a private-use code point no embedded face maps.
        let r = runs("\u{10FFFD}", false);
        assert_eq!((r[0].face, r[0].glyphs[0].glyph), (Face::Regular, 0));
        assert_eq!(r[0].text, "\u{10FFFD}");
    }

    #[test]
    fn emoji_are_drawn_with_symbola_and_their_joiners_and_selectors_stay_with_them() {
        let r = runs("Ana 🌸 Kowalska 👍🏽 ❤️", false);
        let emoji: String = r
            .iter()
            .filter(|r| r.face == Face::Emoji)
            .map(|r| r.text.as_str())
            .collect();
        assert!(emoji.contains('🌸') && emoji.contains('👍'), "{r:?}");
        // The skin-tone modifier is drawn with the emoji it modifies, not on its own in another face.
        assert!(emoji.contains("👍🏽"), "{r:?}");
        assert!(
            r.iter().flat_map(|r| &r.glyphs).all(|g| g.glyph != 0),
            "no missing-glyph box: {r:?}"
        );
        let text: String = r.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            text, "Ana 🌸 Kowalska 👍🏽 ❤️",
            "every character kept for copying"
        );
        // "Fancy text" names typed in mathematical letters (Fraktur, script) print too.
        let fancy = runs("𝔍𝔬𝔥𝔫 𝓐𝓷𝓪", false);
        assert!(
            fancy
                .iter()
                .all(|r| r.face == Face::Emoji && r.glyphs.iter().all(|g| g.glyph != 0)),
            "{fancy:?}"
        );
    }

    #[test]
    fn metrics_are_fractions_of_the_size() {
        for face in Face::ALL {
            let m = metrics(face);
            assert!(m.ascent > 0.6 && m.ascent < 1.2, "{face:?} {m:?}");
            assert!(m.descent < 0.0 && m.descent > -0.5, "{face:?} {m:?}");
            assert!(
                m.cap_height > 0.5 && m.cap_height <= m.ascent,
                "{face:?} {m:?}"
            );
            assert!(
                m.bbox[0] < m.bbox[2] && m.bbox[1] < m.bbox[3],
                "{face:?} {m:?}"
            );
        }
    }

    #[test]
    fn arabic_is_drawn_with_dejavu() {
        let r = runs("محمد", false);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].face, Face::Regular);
        assert!(r[0].glyphs.iter().all(|g| g.glyph != 0), "{r:?}");
    }

    #[test]
    fn widths_grow_with_size_and_weight() {
        let w = width("Ink passport", 10.0, false);
        assert!(w > 40.0 && w < 90.0, "{w}");
        assert!((width("Ink passport", 20.0, false) - 2.0 * w).abs() < 1e-6);
        assert!(width("Ink passport", 10.0, true) > w);
        assert_eq!(width("", 10.0, false), 0.0);
    }
}
