//! Photo upload checks: the bytes must be a PNG or a JPEG (by their signature, whatever the Content-Type
//! says) and their declared size must be sane, so an image that would decompress to gigabytes is refused
//! before anything is stored or decoded.

/// Most pixels accepted in an uploaded photo (width × height).
pub const MAX_PIXELS: u64 = 40_000_000;

/// What an uploaded image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// `image/png` or `image/jpeg`.
    pub content_type: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Reads the type and size of a PNG or JPEG from its header, refusing anything else or anything too large.
pub fn inspect(bytes: &[u8]) -> Result<ImageInfo, String> {
    let info = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if bytes.len() < 24 || &bytes[12..16] != b"IHDR" {
            return Err("a PNG without its IHDR header".into());
        }
        let w = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
        let h = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
        ImageInfo { content_type: "image/png", width: w, height: h }
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (w, h) = jpeg_size(bytes).ok_or("a JPEG without a readable frame header")?;
        ImageInfo { content_type: "image/jpeg", width: w, height: h }
    } else {
        return Err("not an image: photos must be PNG or JPEG".into());
    };
    if info.width == 0 || info.height == 0 {
        return Err("the image has no pixels".into());
    }
    let pixels = u64::from(info.width) * u64::from(info.height);
    if pixels > MAX_PIXELS {
        return Err(format!("the image is {}×{} pixels; at most {MAX_PIXELS} pixels are accepted", info.width, info.height));
    }
    Ok(info)
}

/// Width and height from a JPEG's first SOF marker.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            if i + 9 > b.len() {
                return None;
            }
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]);
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        if len < 2 {
            return None;
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG header claiming `w`×`h` pixels.
    pub fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        v.extend(w.to_be_bytes());
        v.extend(h.to_be_bytes());
        v.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        v
    }

    #[test]
    fn png_and_jpeg_sizes_are_read_and_bombs_refused() {
        assert_eq!(inspect(&png_header(640, 480)).unwrap(), ImageInfo { content_type: "image/png", width: 640, height: 480 });
        assert!(inspect(&png_header(100_000, 100_000)).unwrap_err().contains("at most"));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80, 3];
        assert_eq!(inspect(&jpeg).unwrap(), ImageInfo { content_type: "image/jpeg", width: 640, height: 480 });
        assert!(inspect(b"GIF89a").is_err());
        assert!(inspect(b"<svg/>").is_err());
    }
}
