//! How hard a JPEG was compressed, read from its luminance quantisation table: the IJG quality (1–100) whose
//! scaled standard table it is. A heavily compressed photo (outside test s42: quality 5 was taken
//! without a word) is blocky, its fine detail smeared into 8 × 8 squares that the scalp map reads as skin or
//! hair and the preview shows; a phone or camera saves at 80–95, a messaging app at about 70.

/// The standard luminance table of the JPEG specification (Annex K), the IJG quality 50 table.
const STANDARD_LUMINANCE: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/// Under this quality a photo is said to be heavily compressed.
pub const HEAVY_BELOW_QUALITY: u32 = 40;

/// The JPEG's quality (1–100, the IJG scale), estimated from its first luminance quantisation table (table
/// 0); `None` for anything that is not a JPEG with one.
pub fn jpeg_quality(b: &[u8]) -> Option<u32> {
    use std::ops::ControlFlow;
    let mut quality = None;
    // The tables come before the first scan: the walk stops there (or at the first luminance table).
    let _ = super::jpeg::walk_segments(b, |marker, segment| {
        if marker == 0xDA {
            return ControlFlow::Break(());
        }
        if marker == 0xDB {
            let mut t = 0;
            while t < segment.len() {
                let (precision, id) = (segment[t] >> 4, segment[t] & 0x0F);
                let width = if precision == 0 { 1 } else { 2 };
                let Some(table) = segment.get(t + 1..t + 1 + 64 * width) else {
                    return ControlFlow::Break(());
                };
                if id == 0 {
                    let values: Vec<u32> = table
                        .chunks(width)
                        .map(|c| c.iter().fold(0u32, |v, &x| v << 8 | u32::from(x)))
                        .collect();
                    quality = quality_of(&values, if width == 1 { 255 } else { 32767 });
                    return ControlFlow::Break(());
                }
                t += 1 + 64 * width;
            }
        }
        ControlFlow::Continue(())
    });
    quality
}

/// Natural (row-major) position of each of a table's 64 values in the order a JPEG stores them (zigzag).
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// The IJG quality whose scaled standard table `values` (in stored order) are: the median of the scales
/// (100 × value ÷ standard) of the values an encoder did not clamp (at 1 or at `max`), turned into a quality
/// (scale = 5000 / q under 50, 200 − 2q above). `None` when every value is clamped.
fn quality_of(values: &[u32], max: u32) -> Option<u32> {
    let mut scales: Vec<f64> = values
        .iter()
        .zip(ZIGZAG)
        .filter(|&(&v, _)| v > 1 && v < max)
        .map(|(&v, at)| 100.0 * f64::from(v) / f64::from(STANDARD_LUMINANCE[at]))
        .collect();
    if scales.is_empty() {
        // All at 1: the finest table there is.
        return values.iter().all(|&v| v <= 1).then_some(100);
    }
    scales.sort_by(f64::total_cmp);
    let scale = scales[scales.len() / 2];
    let q = if scale <= 100.0 {
        (200.0 - scale) / 2.0
    } else {
        5000.0 / scale
    };
    Some(q.round().clamp(1.0, 100.0) as u32)
}

/// The warning for a heavily compressed photo, in words; `None` for a JPEG saved at [`HEAVY_BELOW_QUALITY`] or
/// more, and for a PNG.
pub fn compression_warning(b: &[u8]) -> Option<String> {
    let q = jpeg_quality(b).filter(|&q| q < HEAVY_BELOW_QUALITY)?;
    Some(format!(
        "this photo is heavily compressed (JPEG quality about {q} of 100; a camera saves at 80 or more): its detail is smeared into blocks, which the preview reads as skin or hair and shows; use the camera's original file, not a copy sent through a messaging app or saved smaller"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_at(quality: u8) -> Vec<u8> {
        let img = image::RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([(x * 3) as u8, (y * 5) as u8, 90])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn the_quality_a_jpeg_was_saved_at_is_read_back() {
        for q in [5u8, 20, 39, 50, 75, 90] {
            let got = jpeg_quality(&jpeg_at(q)).unwrap();
            assert!(got.abs_diff(u32::from(q)) <= 2, "saved at {q}, read {got}");
        }
        assert!(compression_warning(&jpeg_at(5))
            .unwrap()
            .contains("quality about 5 of 100"));
        assert_eq!(compression_warning(&jpeg_at(75)), None);
        assert_eq!(jpeg_quality(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(jpeg_quality(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(jpeg_quality(&[0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x01]), None);
    }
}
