//! The JPEG checks a lenient decoder skips: segments and entropy-coded data complete up to the end-of-image
//! marker, a progressive frame refined to its last bit, every scan's data decoding into exactly its blocks
//! (`scan`, `progressive`), and a strict decode of the whole picture.

/// Checks that a JPEG's segments and entropy-coded data run complete up to the end-of-image marker (a
/// lenient decoder would otherwise paint the missing part grey), that every scan's data, sequential or
/// progressive, decodes into exactly its blocks (`scan`: damage in the middle of the file), then decodes it whole with image's own JPEG
/// decoder (zune-jpeg) in strict mode, so a scan cut short and given an end-of-image marker is refused too.
/// Data after the marker (camera trailers) is allowed. Decodes every pixel: check the image's size first
/// and run it off the async workers.
pub fn jpeg_complete(b: &[u8]) -> Result<(), String> {
    let (eoi, progressive) = jpeg_markers_complete(b)?;
    let options = zune_core::options::DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX);
    // A hash of the pixels, so two decodes never hold two full pictures at once.
    let pixels = |data: &[u8]| {
        zune_jpeg::JpegDecoder::new_with_options(zune_core::bytestream::ZCursor::new(data), options)
            .decode()
            .map(|p| {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                p.hash(&mut h);
                h.finish()
            })
            .map_err(|_| "the picture data stops short or is damaged".to_string())
    };
    // Every block's code words walked as libjpeg reads them: data damaged mid-file (overwritten, not cut)
    // still decodes in zune-jpeg, into a grey block and shifted colours (a progressive one too).
    super::scan::check_scans(&b[..eoi + 2])?;
    // The decoder reads an end-of-image marker met mid-scan as "the rest is blank" and pads silently, even in
    // strict mode; without the marker it meets the end of the data instead, which strict mode refuses when
    // blocks are still missing.
    if !progressive {
        return pixels(&b[..eoi]).map(|_| ());
    }
    // A progressive JPEG ends its scans differently: decoded with its marker, and again with bytes that are not
    // blank put before the marker. A complete last scan never reads them; a scan cut short decodes them into
    // other pixels than the blank padding.
    let whole = pixels(b)?;
    let mut probe = Vec::with_capacity(b.len() + PROBE_BYTES);
    probe.extend_from_slice(&b[..eoi]);
    probe.resize(eoi + PROBE_BYTES, 0x5A);
    probe.extend_from_slice(&b[eoi..]);
    if pixels(&probe)? == whole {
        Ok(())
    } else {
        Err(format!(
            "the data ends at byte {eoi} of {}, inside the picture's last pass: the file was cut short",
            b.len()
        ))
    }
}

/// Bytes put before a progressive JPEG's end marker to tell a complete last scan from a cut one.
const PROBE_BYTES: usize = 64;

/// The marker walk of [`jpeg_complete`]: segments and entropy-coded data up to the end-of-image marker, whose
/// offset it returns, with whether the frame is progressive. A progressive frame must also bring every
/// coefficient of every component to its last bit (a scan with `Al = 0` covering it): a file cut between two
/// scans and given an end-of-image marker lacks the later ones, which the decoder would leave blank.
pub(crate) fn jpeg_markers_complete(b: &[u8]) -> Result<(usize, bool), String> {
    let mut progressive = false;
    // Per component of the frame: its id and the coefficients (bit k = coefficient k) refined to the last bit.
    let mut refined: Vec<(u8, u64)> = Vec::new();
    let eoi = walk_segments(b, |m, segment| {
        progressive |= matches!(m, 0xC2 | 0xC6 | 0xCA | 0xCE);
        match m {
            // A frame header (SOF0–15 but DHT, JPG and DAC): its components.
            0xC0..=0xCF if !matches!(m, 0xC4 | 0xC8 | 0xCC) => {
                let n = usize::from(segment.get(5).copied().unwrap_or(0));
                let ids = segment.get(6..6 + 3 * n).unwrap_or_default();
                refined = ids.chunks(3).map(|c| (c[0], 0)).collect();
            }
            // A scan header: its components, its coefficients Ss..=Se and the bit it refines down to (Al).
            0xDA => {
                let n = usize::from(segment.first().copied().unwrap_or(0));
                if let (Some(ids), Some(&[ss, se, a])) =
                    (segment.get(1..1 + 2 * n), segment.get(1 + 2 * n..4 + 2 * n))
                {
                    if a & 0x0F == 0 && ss <= se && se < 64 {
                        let span = (u64::MAX >> (63 - se)) & (u64::MAX << ss);
                        for id in ids.chunks(2).map(|c| c[0]) {
                            if let Some(c) = refined.iter_mut().find(|c| c.0 == id) {
                                c.1 |= span;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        std::ops::ControlFlow::Continue(())
    })?
    .expect("the walk goes on to the end");
    if progressive && refined.iter().any(|&(_, done)| done != u64::MAX) {
        return Err(format!(
            "the data ends at byte {eoi} of {}, before the picture's last passes: the file was cut short",
            b.len()
        ));
    }
    Ok((eoi, progressive))
}

/// Walks a JPEG's segments in order from its start-of-image marker, skipping each scan's entropy-coded
/// data, and calls `visit` with each segment's marker and contents (after its length); the offset of the
/// end-of-image marker, or `None` when `visit` stopped the walk first. Errors say, in words, where the file
/// stops or what is not a marker.
pub(crate) fn walk_segments(
    b: &[u8],
    mut visit: impl FnMut(u8, &[u8]) -> std::ops::ControlFlow<()>,
) -> Result<Option<usize>, String> {
    // Probe s33 read "the data ends at byte 29880 of 29880" as nonsense: a file that simply stops says so. The
    // words are the fact alone: the caller says what to do (probe s36: the advice came twice).
    let cut = |at: usize| {
        if at >= b.len() {
            format!(
                "the file stops after {} bytes, before the picture's end",
                follicle_core::words::count(b.len() as u64)
            )
        } else {
            format!(
                "the picture's data ends at byte {at} of {}, before its end",
                b.len()
            )
        }
    };
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err("no start-of-image marker".into());
    }
    let mut i = 2;
    loop {
        if i >= b.len() {
            return Err(cut(b.len()));
        }
        if b[i] != 0xFF {
            return Err(format!("byte {i} should start a marker"));
        }
        while i < b.len() && b[i] == 0xFF {
            i += 1;
        }
        let Some(&m) = b.get(i) else {
            return Err(cut(b.len()));
        };
        i += 1;
        match m {
            0xD9 => return Ok(Some(i - 2)),
            0x01 | 0xD0..=0xD7 => continue,
            0x00 => return Err(format!("byte {} is not a marker", i - 1)),
            _ => {}
        }
        if i + 2 > b.len() {
            return Err(cut(b.len()));
        }
        let len = u16::from_be_bytes([b[i], b[i + 1]]) as usize;
        if len < 2 {
            return Err(format!("segment at byte {} has length {len}", i - 2));
        }
        if i + len > b.len() {
            return Err(cut(b.len()));
        }
        if visit(m, &b[i + 2..i + len]).is_break() {
            return Ok(None);
        }
        i += len;
        if m == 0xDA {
            // Entropy-coded data: runs to the next marker other than a stuffed 0xFF00 or a restart.
            loop {
                match b[i..].iter().position(|&x| x == 0xFF) {
                    None => return Err(cut(b.len())),
                    Some(k) => i += k,
                }
                match b.get(i + 1) {
                    None => return Err(cut(b.len())),
                    Some(0x00 | 0xD0..=0xD7) => i += 2,
                    Some(0xFF) => i += 1,
                    Some(_) => break,
                }
            }
        }
    }
}
