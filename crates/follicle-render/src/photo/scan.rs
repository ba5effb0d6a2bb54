//! The entropy-coded data of a Huffman-coded JPEG walked block by block, as libjpeg reads it, to tell a
//! photo damaged mid-file from a whole one.
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
//! restart markers out of sequence. A sequential scan's blocks are read here (`Sequential`); a progressive
//! frame's passes by `progressive`, which keeps the one bit per coefficient its refinement passes need.

/// A Huffman table in libjpeg's canonical form: per code length, the largest code, and where its values
/// start.
#[derive(Clone)]
pub(super) struct Huffman {
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
pub(super) struct Bits<'a> {
    b: &'a [u8],
    /// Next byte to read.
    i: usize,
    acc: u32,
    n: u32,
    /// Bits read past the data (the marker reached): the scan needed more than it holds.
    short: bool,
}

impl Bits<'_> {
    pub(super) fn bit(&mut self) -> u32 {
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
    pub(super) fn bits(&mut self, k: u8) {
        for _ in 0..k {
            self.bit();
        }
    }
    /// `s` bits read as a signed value of size `s` (values below 2^(s−1) are the negative half).
    pub(super) fn value(&mut self, s: u8) -> i64 {
        let mut v = 0i64;
        for _ in 0..s {
            v = (v << 1) | i64::from(self.bit());
        }
        if s > 0 && v < 1 << (s - 1) {
            v - (1 << s) + 1
        } else {
            v
        }
    }
    /// `k` bits as an unsigned number (an end-of-band run's length).
    pub(super) fn raw(&mut self, k: u8) -> u32 {
        (0..k).fold(0, |v, _| (v << 1) | self.bit())
    }
    pub(super) fn decode(&mut self, t: &Huffman) -> Result<u8, String> {
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
pub(super) struct Component {
    pub(super) id: u8,
    pub(super) h: usize,
    pub(super) v: usize,
    /// Its quantisation table's slot.
    tq: usize,
}

/// What a scan's blocks are read with: the sequential code (DC difference and AC run-lengths of a whole
/// block) or one of a progressive frame's four kinds of pass (`progressive`).
pub(super) trait Coder {
    /// One block of the scan's component `k`, in unit (MCU, or block of a one-component scan) `unit`.
    fn block(&mut self, bits: &mut Bits, k: usize, unit: usize) -> Result<(), String>;
    /// The start of a restart interval: predictors and runs start again.
    fn restart(&mut self);
    /// The end of a restart interval (or of the scan): what the data still owed is an error.
    fn end_interval(&self) -> Result<(), String> {
        Ok(())
    }
}

/// A sequential scan's blocks: the DC difference summed per component and bounded, the AC code words.
struct Sequential<'a> {
    /// Per scan component: its tables, its quantiser's DC step and the frame's largest DC coefficient.
    parts: Vec<(&'a Huffman, &'a Huffman, i64, i64)>,
    /// Each scan component's DC predictor (reset at every restart marker).
    pred: Vec<i64>,
}

impl Coder for Sequential<'_> {
    fn block(&mut self, bits: &mut Bits, k: usize, _unit: usize) -> Result<(), String> {
        let (dc, ac, step, limit) = self.parts[k];
        self.pred[k] += dc_difference(bits, dc)?;
        // A block's mean brightness beyond what its samples can hold: the DC differences no longer add up
        // (data out of step since a damaged stretch). The encoder's rounding is allowed one step.
        if (self.pred[k] * step).abs() > limit + step {
            return Err("its brightness values no longer add up".into());
        }
        ac_codes(bits, ac)
    }
    fn restart(&mut self) {
        self.pred.iter_mut().for_each(|p| *p = 0);
    }
}

/// Walks every scan of a Huffman-coded JPEG (`b` up to and including its end-of-image marker), sequential
/// or progressive, and checks that each decodes into exactly the frame's blocks. Lossless, hierarchical and
/// arithmetic-coded frames pass unchecked. The error says where the damage was found.
pub fn check_scans(b: &[u8]) -> Result<(), String> {
    let mut dc: [Option<Huffman>; 4] = Default::default();
    let mut ac: [Option<Huffman>; 4] = Default::default();
    let mut frame: Option<(usize, usize, Vec<Component>)> = None;
    let mut progressive: Option<super::progressive::History> = None;
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
            0xC0..=0xC2 => {
                if seg.len() < 6 {
                    return Ok(());
                }
                let h = usize::from(u16::from_be_bytes([seg[1], seg[2]]));
                let w = usize::from(u16::from_be_bytes([seg[3], seg[4]]));
                let comps: Vec<Component> = seg[6..]
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
                if m == 0xC2 {
                    progressive = Some(super::progressive::History::new(w, h, &comps));
                }
                frame = Some((w, h, comps));
            }
            // Lossless, hierarchical or arithmetic-coded: not walked here.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return Ok(()),
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
                // The scan's components: (index in the frame, DC table, AC table).
                let n = usize::from(seg.first().copied().unwrap_or(0));
                let mut parts = Vec::new();
                for c in seg.get(1..1 + 2 * n).unwrap_or_default().chunks_exact(2) {
                    let Some(f) = comps.iter().position(|k| k.id == c[0]) else {
                        return Ok(());
                    };
                    parts.push((
                        f,
                        dc[usize::from(c[1] >> 4) & 3].as_ref(),
                        ac[usize::from(c[1] & 15) & 3].as_ref(),
                    ));
                }
                if parts.is_empty() {
                    return Ok(());
                }
                let (hmax, vmax) = (
                    comps.iter().map(|c| c.h).max().unwrap_or(1),
                    comps.iter().map(|c| c.v).max().unwrap_or(1),
                );
                // Blocks per unit of each scan component, and the units: a scan of one component walks its
                // own blocks, not the frame's MCUs.
                let (shape, units) = if parts.len() == 1 {
                    let c = comps[parts[0].0];
                    let cw = (w * c.h).div_ceil(hmax).div_ceil(8);
                    let ch = (h * c.v).div_ceil(vmax).div_ceil(8);
                    (vec![1], cw * ch)
                } else {
                    let shape = parts.iter().map(|p| comps[p.0].h * comps[p.0].v).collect();
                    (shape, w.div_ceil(8 * hmax) * h.div_ceil(8 * vmax))
                };
                let start = i + 2 + len;
                let end = if let Some(history) = &mut progressive {
                    let tail = seg.get(1 + 2 * n..4 + 2 * n).unwrap_or_default();
                    let Some(mut coder) =
                        super::progressive::Pass::new(history, tail, &parts, |f| {
                            (dc_step[comps[f].tq], dc_limit)
                        })?
                    else {
                        return Ok(());
                    };
                    walk_scan(b, start, &shape, units, restart, &mut coder)?
                } else {
                    let mut tables = Vec::new();
                    for &(f, d, a) in &parts {
                        let (Some(d), Some(a)) = (d, a) else {
                            return Err(
                                "a scan uses a Huffman table the file does not define".into()
                            );
                        };
                        tables.push((d, a, dc_step[comps[f].tq], dc_limit));
                    }
                    let mut coder = Sequential {
                        pred: vec![0; tables.len()],
                        parts: tables,
                    };
                    walk_scan(b, start, &shape, units, restart, &mut coder)?
                };
                i = end;
                continue;
            }
            _ => {}
        }
        i += 2 + len;
    }
    Ok(())
}

/// Walks one scan's entropy-coded data from `start`: `units` units of `shape[k]` blocks of each scan
/// component, in restart intervals of `restart` units (0: none), each block read by `coder`. Returns the
/// offset of the marker after the scan.
fn walk_scan(
    b: &[u8],
    start: usize,
    shape: &[usize],
    units: usize,
    restart: usize,
    coder: &mut dyn Coder,
) -> Result<usize, String> {
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
            "the picture data is damaged at or before byte {at} of {} ({what}): the file was changed or broken in copying; send the photo again",
            b.len()
        )
    };
    let mut done = 0;
    let mut rst = 0u8;
    coder.restart();
    while done < units {
        let todo = interval.min(units - done);
        for unit in done..done + todo {
            for (k, &blocks) in shape.iter().enumerate() {
                for _ in 0..blocks {
                    coder
                        .block(&mut bits, k, unit)
                        .map_err(|e| damaged(e, bits.i))?;
                }
            }
        }
        if bits.short {
            return Err(damaged(
                "the data runs out before the picture's last block: cut short or damaged".into(),
                bits.i,
            ));
        }
        coder.end_interval().map_err(|e| damaged(e, bits.i))?;
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
                    coder.restart();
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

/// A DC difference: its size's code word, then that many bits.
pub(super) fn dc_difference(bits: &mut Bits, dc: &Huffman) -> Result<i64, String> {
    let s = bits.decode(dc)?;
    if s > 16 {
        return Err("a DC difference is out of range".into());
    }
    Ok(bits.value(s))
}

/// One sequential block's AC code words, up to the 63rd coefficient.
fn ac_codes(bits: &mut Bits, ac: &Huffman) -> Result<(), String> {
    let mut k = 1;
    while k < 64 {
        let rs = bits.decode(ac)?;
        let (r, s) = (usize::from(rs >> 4), rs & 15);
        if s == 0 {
            if r != 15 {
                return Ok(()); // end of block
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
    Ok(())
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
