//! The entropy-coded data of a sequential (baseline) JPEG walked block by block, as libjpeg reads it, to
//! tell a photo damaged mid-file from a whole one.
//!
//! image's JPEG decoder (zune-jpeg) is lenient where libjpeg warns: a Huffman run past a block's 64th
//! coefficient is clamped, data left over after the last block is ignored, and a scan that runs out of data
//! is padded. A stretch of bytes overwritten in the middle of a file (a bad sector, a copy that failed half
//! way) therefore decodes "fine" into a grey block and colours shifted below it. The Huffman code is
//! self-synchronising only in its code words, not in its blocks: after damaged data the decoder counts the
//! blocks out of step, so the scan no longer decodes into exactly the frame's blocks. This walk decodes every
//! code word (no pixels, no coefficients kept) and refuses what libjpeg would warn about as corrupt data:
//! a code word no table has, a run beyond a block's last coefficient, a scan (or restart interval) that
//! needs more data than it holds, whole bytes left over after its last block ("extraneous bytes"), and
//! restart markers out of sequence. Progressive frames are left to the marker walk of `jpeg` (their
//! refinement scans need every coefficient's history to walk).

/// A Huffman table in libjpeg's canonical form: per code length, the largest code, and where its values
/// start.
#[derive(Clone)]
struct Huffman {
    /// Largest code of each length 1..=16 (−1 when none).
    maxcode: [i32; 17],
    /// Smallest code of each length.
    mincode: [i32; 17],
    /// Index into `values` of the smallest code of each length.
    valptr: [usize; 17],
    values: Vec<u8>,
}

impl Huffman {
    fn new(counts: &[u8; 16], values: &[u8]) -> Huffman {
        let mut h = Huffman {
            maxcode: [-1; 17],
            mincode: [0; 17],
            valptr: [0; 17],
            values: values.to_vec(),
        };
        let (mut code, mut k) = (0i32, 0usize);
        for l in 1..=16 {
            let n = counts[l - 1] as usize;
            if n > 0 {
                h.valptr[l] = k;
                h.mincode[l] = code;
                code += n as i32;
                k += n;
                h.maxcode[l] = code - 1;
            }
            code <<= 1;
        }
        h
    }
}

/// Reads the entropy-coded bits of one scan or restart interval: 0xFF00 stuffing removed, stopping at the
/// first marker.
struct Bits<'a> {
    b: &'a [u8],
    /// Next byte to read.
    i: usize,
    acc: u32,
    n: u32,
    /// Bits read past the data (the marker reached): the scan needed more than it holds.
    short: bool,
}

impl Bits<'_> {
    fn bit(&mut self) -> u32 {
        if self.n == 0 {
            match (self.b.get(self.i), self.b.get(self.i + 1)) {
                (Some(0xFF), Some(0x00)) => {
                    self.acc = 0xFF;
                    self.i += 2;
                }
                (Some(0xFF), _) | (None, _) => {
                    self.short = true;
                    self.acc = 0;
                }
                (Some(&x), _) => {
                    self.acc = u32::from(x);
                    self.i += 1;
                }
            }
            self.n = 8;
        }
        self.n -= 1;
        (self.acc >> self.n) & 1
    }
    fn bits(&mut self, k: u8) {
        for _ in 0..k {
            self.bit();
        }
    }
    fn decode(&mut self, t: &Huffman) -> Result<u8, String> {
        let mut code = 0i32;
        for l in 1..=16 {
            code = (code << 1) | self.bit() as i32;
            if code <= t.maxcode[l] {
                let k = t.valptr[l] + (code - t.mincode[l]) as usize;
                return t
                    .values
                    .get(k)
                    .copied()
                    .ok_or_else(|| "a Huffman table is incomplete".to_string());
            }
        }
        Err("a code in the picture data matches no Huffman table".into())
    }
    /// Drops the partial byte's padding and skips any 0xFF fill bytes: true when the data is exhausted.
    fn at_marker(&mut self) -> bool {
        self.n = 0;
        while self.b.get(self.i) == Some(&0xFF) && self.b.get(self.i + 1) == Some(&0xFF) {
            self.i += 1;
        }
        matches!(
            (self.b.get(self.i), self.b.get(self.i + 1)),
            (Some(0xFF), Some(m)) if *m != 0
        ) || self.i >= self.b.len()
    }
}

/// One component of the frame: id, sampling factors.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    /// Its quantisation table's slot.
    tq: usize,
}

/// Walks every scan of a sequential Huffman JPEG (`b` up to and including its end-of-image marker) and
/// checks that each decodes into exactly the frame's blocks. Progressive and arithmetic-coded frames pass
/// unchecked. The error says where the damage was found.
pub fn check_sequential(b: &[u8]) -> Result<(), String> {
    let mut dc: [Option<Huffman>; 4] = Default::default();
    let mut ac: [Option<Huffman>; 4] = Default::default();
    let mut frame: Option<(usize, usize, Vec<Component>)> = None;
    let mut restart = 0usize;
    // Each quantisation table's DC step (slot 0–3), and the largest DC coefficient of the frame.
    let mut dc_step = [1i64; 4];
    let mut dc_limit = 1024i64;
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return Ok(()); // the marker walk in `photo` reports a broken structure
        }
        let m = b[i + 1];
        if m == 0xFF {
            i += 1;
            continue;
        }
        if m == 0xD9 {
            return Ok(());
        }
        if matches!(m, 0x01 | 0xD0..=0xD7) {
            i += 2; // a marker without a length (a restart marker after a scan's last interval)
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let Some(seg) = b.get(i + 4..i + 2 + len) else {
            return Ok(());
        };
        match m {
            0xC0 | 0xC1 => {
                if seg.len() < 6 {
                    return Ok(());
                }
                let h = usize::from(u16::from_be_bytes([seg[1], seg[2]]));
                let w = usize::from(u16::from_be_bytes([seg[3], seg[4]]));
                let comps = seg[6..]
                    .chunks_exact(3)
                    .take(usize::from(seg[5]))
                    .map(|c| Component {
                        id: c[0],
                        h: usize::from(c[1] >> 4).max(1),
                        v: usize::from(c[1] & 15).max(1),
                        tq: usize::from(c[2] & 3),
                    })
                    .collect();
                // The largest DC coefficient an 8-bit (or 12-bit) block can hold: 8 × the largest sample
                // after the level shift (1024 for 8 bits).
                dc_limit = 8 * (1i64 << (u32::from(seg[0]).clamp(8, 12) - 1));
                frame = Some((w, h, comps));
            }
            // Progressive, lossless, hierarchical or arithmetic-coded: not walked here.
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return Ok(()),
            0xC4 => {
                let mut s = seg;
                while s.len() >= 17 {
                    let (class, slot) = (s[0] >> 4, usize::from(s[0] & 3));
                    let counts: [u8; 16] = s[1..17].try_into().expect("16 bytes");
                    let n: usize = counts.iter().map(|&c| usize::from(c)).sum();
                    let Some(values) = s.get(17..17 + n) else {
                        return Ok(());
                    };
                    let t = Some(Huffman::new(&counts, values));
                    if class == 0 {
                        dc[slot] = t;
                    } else {
                        ac[slot] = t;
                    }
                    s = &s[17 + n..];
                }
            }
            0xDB => {
                let mut q = seg;
                while let Some(&pt) = q.first() {
                    let wide = pt >> 4 != 0;
                    let n = if wide { 129 } else { 65 };
                    let Some(t) = q.get(..n) else { break };
                    dc_step[usize::from(pt & 3)] = if wide {
                        i64::from(u16::from_be_bytes([t[1], t[2]]))
                    } else {
                        i64::from(t[1])
                    }
                    .max(1);
                    q = &q[n..];
                }
            }
            0xDD if seg.len() >= 2 => restart = usize::from(u16::from_be_bytes([seg[0], seg[1]])),
            0xDA => {
                let Some((w, h, comps)) = &frame else {
                    return Ok(());
                };
                let dc_range: Vec<(u8, i64, i64)> = comps
                    .iter()
                    .map(|c| (c.id, dc_step[c.tq], dc_limit))
                    .collect();
                let end = walk_scan(
                    b,
                    i + 2 + len,
                    seg,
                    (*w, *h, comps),
                    (&dc, &ac),
                    restart,
                    &dc_range,
                )?;
                i = end;
                continue;
            }
            _ => {}
        }
        i += 2 + len;
    }
    Ok(())
}

/// Walks one scan starting at `start` (its header `seg`), returning the offset of the marker after it.
fn walk_scan(
    b: &[u8],
    start: usize,
    seg: &[u8],
    (w, h, comps): (usize, usize, &[Component]),
    (dc, ac): (&[Option<Huffman>; 4], &[Option<Huffman>; 4]),
    restart: usize,
    dc_range: &[(u8, i64, i64)],
) -> Result<usize, String> {
    let n = usize::from(seg.first().copied().unwrap_or(0));
    let (hmax, vmax) = (
        comps.iter().map(|c| c.h).max().unwrap_or(1),
        comps.iter().map(|c| c.v).max().unwrap_or(1),
    );
    // Per component of the scan: blocks per MCU as (h, v) and its tables.
    let mut parts = Vec::new();
    for c in seg.get(1..1 + 2 * n).unwrap_or_default().chunks_exact(2) {
        let Some(comp) = comps.iter().find(|k| k.id == c[0]) else {
            return Ok(b.len());
        };
        let (Some(d), Some(a)) = (
            &dc[usize::from(c[1] >> 4) & 3],
            &ac[usize::from(c[1] & 15) & 3],
        ) else {
            return Err("a scan uses a Huffman table the file does not define".into());
        };
        let (step, limit) = dc_range
            .iter()
            .find(|r| r.0 == comp.id)
            .map_or((1, i64::MAX), |r| (r.1, r.2));
        parts.push((*comp, d, a, step, limit));
    }
    if parts.is_empty() {
        return Ok(b.len());
    }
    let units = if parts.len() == 1 {
        // A scan of one component: its own blocks, not the frame's MCUs.
        let c = parts[0].0;
        let cw = (w * c.h).div_ceil(hmax).div_ceil(8);
        let ch = (h * c.v).div_ceil(vmax).div_ceil(8);
        parts[0].0 = Component { h: 1, v: 1, ..c };
        cw * ch
    } else {
        w.div_ceil(8 * hmax) * h.div_ceil(8 * vmax)
    };
    let mut bits = Bits {
        b,
        i: start,
        acc: 0,
        n: 0,
        short: false,
    };
    let interval = if restart == 0 { units } else { restart };
    let damaged = |what: String, at: usize| {
        format!(
            "the picture data is damaged (found at byte {at} of {}: {what})",
            b.len()
        )
    };
    let mut done = 0;
    let mut rst = 0u8;
    // Each scan component's DC predictor (reset at every restart marker).
    let mut pred = vec![0i64; parts.len()];
    while done < units {
        let todo = interval.min(units - done);
        for _ in 0..todo {
            for (k, (c, d, a, step, limit)) in parts.iter().enumerate() {
                for _ in 0..c.h * c.v {
                    pred[k] += block(&mut bits, d, a).map_err(|e| damaged(e, bits.i))?;
                    // A block's mean brightness beyond what its samples can hold: the DC differences
                    // no longer add up (data out of step since a damaged stretch). The encoder's rounding
                    // is allowed one step.
                    if (pred[k] * step).abs() > limit + step {
                        return Err(damaged(
                            "a block's brightness is beyond what the picture's samples can hold"
                                .into(),
                            bits.i,
                        ));
                    }
                }
            }
        }
        if bits.short {
            return Err(damaged(
                "the data runs out before the picture's last block".into(),
                bits.i,
            ));
        }
        let at = bits.i;
        if !bits.at_marker() {
            let next = b[bits.i..]
                .windows(2)
                .position(|p| p[0] == 0xFF && p[1] != 0)
                .map_or(b.len(), |k| bits.i + k);
            return Err(damaged(
                format!(
                    "{} bytes of picture data are left over where the blocks end",
                    next - at
                ),
                at,
            ));
        }
        done += todo;
        if done < units {
            // A restart marker, in sequence.
            match b.get(bits.i + 1) {
                Some(&m) if m == 0xD0 + rst => {
                    bits.i += 2;
                    pred.iter_mut().for_each(|p| *p = 0);
                    rst = (rst + 1) % 8;
                }
                _ => {
                    return Err(damaged(
                        "a restart marker is missing or out of sequence".into(),
                        bits.i,
                    ))
                }
            }
        }
    }
    Ok(bits.i)
}

/// One 8×8 block's code words: the DC difference (returned) and the AC coefficients up to the 63rd.
fn block(bits: &mut Bits, dc: &Huffman, ac: &Huffman) -> Result<i64, String> {
    let s = bits.decode(dc)?;
    if s > 16 {
        return Err("a DC difference is out of range".into());
    }
    let mut v = 0i64;
    for _ in 0..s {
        v = (v << 1) | i64::from(bits.bit());
    }
    // Sizes of s bits: values below 2^(s−1) are the negative half.
    let diff = if s > 0 && v < 1 << (s - 1) {
        v - (1 << s) + 1
    } else {
        v
    };
    let mut k = 1;
    while k < 64 {
        let rs = bits.decode(ac)?;
        let (r, s) = (usize::from(rs >> 4), rs & 15);
        if s == 0 {
            if r != 15 {
                return Ok(diff); // end of block
            }
            k += 16;
        } else {
            k += r;
            bits.bits(s);
            k += 1;
        }
        if k > 64 {
            return Err("a run of coefficients goes past the end of its block".into());
        }
    }
    Ok(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A baseline JPEG of a textured picture (every block carries AC coefficients), 4:2:0 or 4:4:4.
    fn textured(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            let t = ((x * 7 + y * 13) ^ (x * y)) as u8;
            image::Rgb([t, t.wrapping_mul(3), 255 - t])
        });
        let mut jpg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpg, 90)
            .encode_image(&img)
            .unwrap();
        jpg
    }

    #[test]
    fn whole_photos_pass() {
        for (w, h) in [(300, 200), (17, 9), (1, 1), (640, 33)] {
            assert_eq!(check_sequential(&textured(w, h)), Ok(()), "{w}×{h}");
        }
        let real = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/photos/shaved-norwood-front.jpg"),
        );
        if let Ok(real) = real {
            assert_eq!(check_sequential(&real), Ok(()));
            // 100 or 400 bytes zeroed anywhere in its data (probe s8 finding 9: 400 at byte 30000).
            for at in (1_000..59_000).step_by(2_900) {
                for n in [100, 400] {
                    let mut bad = real.clone();
                    bad[at..at + n].fill(0);
                    assert!(check_sequential(&bad).is_err(), "{n} bytes zeroed at {at}");
                }
            }
        }
    }

    /// A 16 × 8 grey JPEG of two blank blocks with a restart marker between them: one-code tables (DC
    /// difference 0 is `0`, end of block is `0`), so each block is two bits and each interval one byte.
    fn with_restarts(scan: &[u8]) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xDB, 0, 67, 0]);
        j.extend_from_slice(&[1; 64]);
        j.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 8, 0, 16, 1, 1, 0x11, 0]);
        for class in [0x00, 0x10] {
            j.extend_from_slice(&[0xFF, 0xC4, 0, 20, class, 1]);
            j.extend_from_slice(&[0; 15]);
            j.push(0);
        }
        j.extend_from_slice(&[0xFF, 0xDD, 0, 4, 0, 1]);
        j.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0]);
        j.extend_from_slice(scan);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    #[test]
    fn restart_intervals_are_walked_in_sequence() {
        let whole = with_restarts(&[0x3F, 0xFF, 0xD0, 0x3F]);
        assert_eq!(check_sequential(&whole), Ok(()));
        // image's own decoder reads it as a whole picture.
        assert_eq!(crate::photo::jpeg_complete(&whole), Ok(()));
        for (scan, why) in [
            (&[0x3F, 0xFF, 0xD1, 0x3F][..], "out of sequence"),
            (&[0x3F, 0x3F, 0xFF, 0xD0, 0x3F][..], "left over"),
            (&[0x3F, 0xFF, 0xD0][..], "runs out"),
        ] {
            let e = check_sequential(&with_restarts(scan)).unwrap_err();
            assert!(e.contains(why), "{scan:02x?}: {e}");
        }
    }

    #[test]
    fn bytes_overwritten_mid_file_are_found() {
        let jpg = textured(400, 300);
        let mut found = 0;
        let tries = 20;
        for k in 0..tries {
            let at = jpg.len() / 4 + k * jpg.len() / (2 * tries);
            for fill in [0x00u8, 0x5A] {
                let mut bad = jpg.clone();
                bad[at..at + 64].fill(fill);
                found += usize::from(check_sequential(&bad).is_err());
            }
        }
        // A desynchronised Huffman stream almost never ends exactly on the frame's last block.
        assert!(found >= 2 * tries - 2, "{found} of {}", 2 * tries);
        let mut bad = jpg.clone();
        let at = jpg.len() / 2;
        bad[at..at + 64].fill(0);
        let e = check_sequential(&bad).unwrap_err();
        assert!(e.contains("damaged (found at byte"), "{e}");
    }
}
