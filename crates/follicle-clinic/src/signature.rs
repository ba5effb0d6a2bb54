//! A handwritten signature drawn with a finger or stylus: strokes of points on a pad of known size, checked
//! (bounded counts, finite coordinates on the pad, enough ink to be a signature and not a tap) and kept as SVG
//! path data (`M x y L x y …`, one `M` per stroke), which is what the database stores and what the signed
//! consent's PDF and HTML draw. The client's document shows exactly the stored path.

use crate::consent::{ConsentText, SignedConsent};
use crate::date::ClinicZone;
use crate::export::document::{Block, Document};

/// The most strokes one signature holds.
pub const MAX_STROKES: usize = 200;
/// The most points all strokes hold together.
pub const MAX_POINTS: usize = 10_000;
/// The smallest and largest pad side, in pad units (CSS pixels).
pub const PAD_SIDE: (u32, u32) = (100, 4000);
/// The least width a signature spans (its bounding box, as a fraction of the pad's width): a dot tapped many
/// times, or a short dash drawn back and forth, has plenty of summed stroke length but spans little.
pub const MIN_INK_FRACTION: f64 = 0.15;
/// The least height a signature spans (its bounding box, as a fraction of the pad's height): a straight
/// horizontal dash is not a signature.
pub const MIN_HEIGHT_FRACTION: f64 = 0.05;
/// The longest path data accepted (about 16 bytes a point).
pub const MAX_PATH_BYTES: usize = MAX_POINTS * 24 + MAX_STROKES * 4;

/// Why a drawn signature was refused, worded for the person holding the tablet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Nothing, or a dot, was drawn.
    #[error("The signature is empty or too small: ask the client to sign across the box.")]
    TooLittleInk,
    /// More strokes or points than any signature has.
    #[error("The signature has too many strokes or points (at most {MAX_STROKES} strokes and {MAX_POINTS} points): clear it and sign again.")]
    TooMuch,
    /// A point off the pad or not a number.
    #[error("The signature has a point outside the signing box: clear it and sign again.")]
    OffPad,
    /// The pad's size is not plausible.
    #[error("The signing box must be {} to {} units wide and high.", PAD_SIDE.0, PAD_SIDE.1)]
    PadSize,
    /// The stored path is not path data this module wrote.
    #[error("The stored signature cannot be read: {0}")]
    BadPath(String),
}

/// A checked signature: the pad's size and the strokes drawn on it (origin top left, y down).
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    width: u32,
    height: u32,
    strokes: Vec<Vec<(f32, f32)>>,
}

impl Signature {
    /// Checks strokes drawn on a `width` × `height` pad. Strokes of one point (taps) are kept as dots.
    pub fn new(
        width: u32,
        height: u32,
        strokes: Vec<Vec<[f64; 2]>>,
    ) -> Result<Signature, SignatureError> {
        if !(PAD_SIDE.0..=PAD_SIDE.1).contains(&width)
            || !(PAD_SIDE.0..=PAD_SIDE.1).contains(&height)
        {
            return Err(SignatureError::PadSize);
        }
        let points: usize = strokes.iter().map(Vec::len).sum();
        if strokes.len() > MAX_STROKES || points > MAX_POINTS {
            return Err(SignatureError::TooMuch);
        }
        let (w, h) = (f64::from(width), f64::from(height));
        let mut out = Vec::with_capacity(strokes.len());
        for s in strokes.into_iter().filter(|s| !s.is_empty()) {
            let mut stroke = Vec::with_capacity(s.len());
            for [x, y] in s {
                if !(x.is_finite()
                    && y.is_finite()
                    && (0.0..=w).contains(&x)
                    && (0.0..=h).contains(&y))
                {
                    return Err(SignatureError::OffPad);
                }
                // A tenth of a pad unit is finer than any finger or stylus.
                stroke.push((
                    ((x * 10.0).round() / 10.0) as f32,
                    ((y * 10.0).round() / 10.0) as f32,
                ));
            }
            out.push(stroke);
        }
        let sig = Signature {
            width,
            height,
            strokes: out,
        };
        let (span_w, span_h) = sig.extent();
        if span_w < MIN_INK_FRACTION * w || span_h < MIN_HEIGHT_FRACTION * f64::from(height) {
            return Err(SignatureError::TooLittleInk);
        }
        Ok(sig)
    }

    /// The width and height of the signature's bounding box, in pad units (0 × 0 with no point).
    pub fn extent(&self) -> (f64, f64) {
        let mut points = self.strokes.iter().flatten();
        let Some(&(x0, y0)) = points.next() else {
            return (0.0, 0.0);
        };
        let (mut lo, mut hi) = ((x0, y0), (x0, y0));
        for &(x, y) in points {
            lo = (lo.0.min(x), lo.1.min(y));
            hi = (hi.0.max(x), hi.1.max(y));
        }
        (f64::from(hi.0 - lo.0), f64::from(hi.1 - lo.1))
    }

    /// Summed length of the strokes, in pad units.
    pub fn ink(&self) -> f64 {
        self.strokes
            .iter()
            .flat_map(|s| s.windows(2))
            .map(|p| f64::from(p[1].0 - p[0].0).hypot(f64::from(p[1].1 - p[0].1)))
            .sum()
    }

    /// The pad's width.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The pad's height.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The strokes.
    pub fn strokes(&self) -> &[Vec<(f32, f32)>] {
        &self.strokes
    }

    /// SVG path data: `M x y L x y …` per stroke, coordinates to a tenth of a unit.
    pub fn path_data(&self) -> String {
        let mut out = String::new();
        for s in &self.strokes {
            for (i, (x, y)) in s.iter().enumerate() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&format!("{}{x} {y}", if i == 0 { 'M' } else { 'L' }));
            }
        }
        out
    }

    /// Reads path data [`Signature::path_data`] wrote, checking it again.
    pub fn from_path_data(
        width: u32,
        height: u32,
        path: &str,
    ) -> Result<Signature, SignatureError> {
        if path.len() > MAX_PATH_BYTES {
            return Err(SignatureError::TooMuch);
        }
        let bad = |m: &str| SignatureError::BadPath(m.to_string());
        let mut strokes: Vec<Vec<[f64; 2]>> = Vec::new();
        let mut tokens = path.split_ascii_whitespace();
        while let Some(tok) = tokens.next() {
            let (cmd, x) = tok.split_at(tok.chars().next().map_or(0, char::len_utf8));
            let x: f64 = x.parse().map_err(|_| bad("a coordinate is not a number"))?;
            let y: f64 = tokens
                .next()
                .ok_or_else(|| bad("a point without its y"))?
                .parse()
                .map_err(|_| bad("a coordinate is not a number"))?;
            match cmd {
                "M" => strokes.push(vec![[x, y]]),
                "L" => strokes
                    .last_mut()
                    .ok_or_else(|| bad("a line before the first move"))?
                    .push([x, y]),
                _ => return Err(bad("only M and L commands are used")),
            }
            if strokes.len() > MAX_STROKES {
                return Err(SignatureError::TooMuch);
            }
        }
        Signature::new(width, height, strokes)
    }

    /// The signature as a small SVG document (black ink on a transparent pad).
    pub fn to_svg(&self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\"><path d=\"{}\" fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>",
            self.path_data(),
            w = self.width,
            h = self.height
        )
    }
}

/// What a signed consent's document shows beside the text.
#[derive(Debug, Clone)]
pub struct SignedConsentInfo<'a> {
    /// The clinic's name.
    pub clinic: &'a str,
    /// The client's name.
    pub client_name: &'a str,
    /// The witness's name (the staff member logged in when it was signed).
    pub witness: &'a str,
    /// The clinic's time zone, for the time of signing on its clocks.
    pub zone: &'a ClinicZone,
}

/// The signed consent the client takes home: the exact text shown, who signed when, the witness, the signature
/// drawn as it was stored, and the text's SHA-256 so anyone can check the words were not changed afterwards.
pub fn signed_consent_document(
    text: &ConsentText,
    signed: &SignedConsent,
    signature: &Signature,
    info: &SignedConsentInfo<'_>,
) -> Document {
    let (day, h, m) = info.zone.local(signed.signed_at);
    let mut blocks = vec![Block::Fields(vec![
        ("Client".into(), info.client_name.to_string()),
        ("Clinic".into(), info.clinic.to_string()),
        (
            "Signed".into(),
            format!(
                "{day} at {h:02}:{m:02} ({}), {} UTC",
                info.zone.name(),
                signed.signed_at
            ),
        ),
        ("Witness".into(), info.witness.to_string()),
        (
            "Text".into(),
            format!("{} version {}", text.title, text.version),
        ),
    ])];
    blocks.push(Block::Heading(text.title.clone()));
    for para in text.body.split("\n\n") {
        blocks.push(Block::Paragraph(para.trim_end().to_string()));
    }
    blocks.push(Block::Heading("Signature".into()));
    blocks.push(Block::Signature {
        width: signature.width as f32,
        height: signature.height as f32,
        strokes: signature.strokes.clone(),
    });
    Document {
        title: format!("Signed consent: {}", info.client_name),
        blocks,
        footer: format!(
            "Consent text `{}` version {}, SHA-256 {}. The signature above was drawn by the client on the clinic's tablet and stored with this fingerprint of the exact words shown. Made by follicle.",
            signed.text, signed.version, signed.text_sha256
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zigzag(n: usize) -> Vec<Vec<[f64; 2]>> {
        vec![(0..n)
            .map(|i| [10.0 + i as f64 * 3.0, if i % 2 == 0 { 20.0 } else { 80.0 }])
            .collect()]
    }

    #[test]
    fn path_data_round_trips_exactly() {
        let s = Signature::new(600, 200, zigzag(50)).unwrap();
        let p = s.path_data();
        assert!(p.starts_with("M10 20 L13 80"), "{p}");
        let back = Signature::from_path_data(600, 200, &p).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.path_data(), p);
        assert!(s.to_svg().contains(&p));
    }

    #[test]
    fn ink_is_judged_by_the_signature_s_extent() {
        // The third probe: 200 one-pixel strokes on one spot, and a 90-unit dash drawn back and forth, have
        // summed lengths of a signature but span a dot and a line.
        let dot = vec![vec![[10.0, 10.0], [11.0, 10.0]]; 200];
        assert_eq!(
            Signature::new(600, 200, dot),
            Err(SignatureError::TooLittleInk)
        );
        let dash = vec![(0..40)
            .map(|i| [if i % 2 == 0 { 100.0 } else { 190.0 }, 50.0])
            .collect()];
        assert_eq!(
            Signature::new(600, 200, dash),
            Err(SignatureError::TooLittleInk)
        );
        let narrow = vec![(0..40)
            .map(|i| [100.0 + f64::from(i % 2) * 50.0, 20.0 + f64::from(i) * 4.0])
            .collect()];
        assert_eq!(
            Signature::new(600, 200, narrow),
            Err(SignatureError::TooLittleInk),
            "50 of 600 wide"
        );
        let s = Signature::new(600, 200, zigzag(50)).unwrap();
        assert_eq!(s.extent(), (147.0, 60.0));
    }

    #[test]
    fn taps_empty_huge_and_off_pad_signatures_are_refused() {
        assert_eq!(
            Signature::new(600, 200, vec![]),
            Err(SignatureError::TooLittleInk)
        );
        assert_eq!(
            Signature::new(600, 200, vec![vec![[5.0, 5.0]]; 3]),
            Err(SignatureError::TooLittleInk)
        );
        assert_eq!(
            Signature::new(600, 200, vec![vec![]; MAX_STROKES + 1]),
            Err(SignatureError::TooMuch)
        );
        assert_eq!(
            Signature::new(600, 200, zigzag(MAX_POINTS + 1)),
            Err(SignatureError::TooMuch)
        );
        for bad in [
            [-1.0, 5.0],
            [601.0, 5.0],
            [f64::NAN, 1.0],
            [1.0, f64::INFINITY],
        ] {
            let mut s = zigzag(40);
            s[0].push(bad);
            assert_eq!(
                Signature::new(600, 200, s),
                Err(SignatureError::OffPad),
                "{bad:?}"
            );
        }
        assert_eq!(
            Signature::new(0, 200, zigzag(40)),
            Err(SignatureError::PadSize)
        );
        assert_eq!(
            Signature::new(600, 99_999, zigzag(40)),
            Err(SignatureError::PadSize)
        );
        for bad in [
            "L1 2",
            "M1",
            "M1 x",
            "Z",
            "M1 2 C3 4",
            &"M1 2 ".repeat(MAX_STROKES + 1),
        ] {
            assert!(Signature::from_path_data(600, 200, bad).is_err(), "{bad}");
        }
        assert_eq!(
            Signature::from_path_data(600, 200, &"M".repeat(MAX_PATH_BYTES + 1)),
            Err(SignatureError::TooMuch)
        );
    }
}
