//! A progressive JPEG's passes walked block by block, as libjpeg reads them (ITU T.81 G.1.2), to tell a
//! progressive photo damaged mid-file from a whole one (`scan` walks the scans; this reads their blocks).
//!
//! A progressive frame sends each block in passes: the DC coefficient first (a Huffman-coded difference,
//! then one bit per refinement), and each band of AC coefficients first at reduced precision (run-lengths
//! with runs of empty blocks, "end-of-band runs") and then refined a bit at a time. A refinement pass reads a
//! correction bit for each coefficient that an earlier pass made non-zero, so walking it needs that history:
//! one bit per coefficient per block ([`History`], 8 bytes a block, no coefficients kept). What libjpeg
//! warns about as corrupt data is refused, as for a sequential scan, plus what only progressive data can
//! show: a new coefficient of a refinement pass whose size is not 1, a coefficient past the end of its
//! band, and an end-of-band run longer than the blocks left in its interval.

use super::scan::{dc_difference, Bits, Coder, Component, Huffman};

/// Frames larger than this many pixels are not walked (their history would be large; `photo` refuses far
/// smaller photos, and the server checks the size first).
const MAX_PIXELS: usize = 150_000_000;

/// Which coefficients of each block earlier passes made non-zero: per frame component, one `u64` per block
/// in the order of a one-component scan (bit k = coefficient k in zig-zag order). Allocated when the first
/// AC pass of a component comes.
pub(super) struct History {
    /// Per frame component: its blocks across and down, and the bits (empty until an AC pass).
    blocks: Vec<(usize, Vec<u64>)>,
    /// Too large to walk: every pass is left unchecked.
    skip: bool,
}

impl History {
    pub(super) fn new(w: usize, h: usize, comps: &[Component]) -> History {
        let (hmax, vmax) = (
            comps.iter().map(|c| c.h).max().unwrap_or(1),
            comps.iter().map(|c| c.v).max().unwrap_or(1),
        );
        let blocks = comps
            .iter()
            .map(|c| {
                let cw = (w * c.h).div_ceil(hmax).div_ceil(8);
                let ch = (h * c.v).div_ceil(vmax).div_ceil(8);
                (cw * ch, Vec::new())
            })
            .collect();
        History {
            blocks,
            skip: w.saturating_mul(h) > MAX_PIXELS,
        }
    }
}

/// The kind of a progressive pass, from its header's Ss, Se, Ah.
enum Kind {
    /// The DC coefficients' first pass: a Huffman-coded difference per block, at `Al` bits less.
    DcFirst { al: u32, pred: Vec<i64> },
    /// One more bit of every block's DC coefficient.
    DcRefine,
    /// The first pass of coefficients `ss..=se` of one component.
    AcFirst,
    /// One more bit of coefficients `ss..=se` of one component.
    AcRefine,
}

/// One pass of a progressive frame, reading its blocks for `scan`'s walk.
pub(super) struct Pass<'a> {
    kind: Kind,
    ss: usize,
    se: usize,
    /// Per scan component: its DC and AC tables and (DC first pass) its quantiser's DC step and the frame's
    /// largest DC coefficient.
    parts: Vec<(Option<&'a Huffman>, Option<&'a Huffman>, i64, i64)>,
    /// The AC passes' component's history (one component per AC pass).
    history: Option<&'a mut Vec<u64>>,
    /// Blocks still to skip in the current end-of-band run.
    eobrun: u32,
}

impl<'a> Pass<'a> {
    /// The pass a scan header's tail (`[Ss, Se, Ah<<4 | Al]`) and components (frame index, DC table, AC
    /// table) describe; `None` when it cannot be walked (a header no encoder writes: the decoder judges it).
    pub(super) fn new(
        history: &'a mut History,
        tail: &[u8],
        parts: &[(usize, Option<&'a Huffman>, Option<&'a Huffman>)],
        dc_range: impl Fn(usize) -> (i64, i64),
    ) -> Result<Option<Pass<'a>>, String> {
        let &[ss, se, a] = tail else {
            return Ok(None);
        };
        let (ss, se, ah, al) = (usize::from(ss), usize::from(se), a >> 4, u32::from(a & 15));
        if history.skip
            || se > 63
            || ss > se
            || (ss == 0 && se != 0)
            || (ss > 0 && parts.len() != 1)
        {
            return Ok(None);
        }
        let needs = |t: Option<&Huffman>| {
            t.map(|_| ())
                .ok_or_else(|| "a scan uses a Huffman table the file does not define".to_string())
        };
        let kind = match (ss, ah) {
            (0, 0) => {
                for p in parts {
                    needs(p.1)?;
                }
                Kind::DcFirst {
                    al: al.min(15),
                    pred: vec![0; parts.len()],
                }
            }
            (0, _) => Kind::DcRefine,
            (_, 0) => {
                needs(parts[0].2)?;
                Kind::AcFirst
            }
            _ => {
                needs(parts[0].2)?;
                Kind::AcRefine
            }
        };
        let history = if ss > 0 {
            let (n, bits) = &mut history.blocks[parts[0].0];
            if bits.is_empty() {
                *bits = vec![0; *n];
            }
            Some(bits)
        } else {
            None
        };
        let parts = parts
            .iter()
            .map(|&(f, d, a)| {
                let (step, limit) = dc_range(f);
                (d, a, step, limit)
            })
            .collect();
        Ok(Some(Pass {
            kind,
            ss,
            se,
            parts,
            history,
            eobrun: 0,
        }))
    }
}

impl Coder for Pass<'_> {
    fn block(&mut self, bits: &mut Bits, k: usize, unit: usize) -> Result<(), String> {
        let (dc, ac, step, limit) = self.parts[k];
        match &mut self.kind {
            Kind::DcFirst { al, pred } => {
                pred[k] += dc_difference(bits, dc.expect("checked in new"))?;
                // As a sequential scan: a block's brightness beyond what its samples can hold.
                let shift = 1i64 << *al;
                if (pred[k] * shift * step).abs() > limit + step * shift {
                    return Err("its brightness values no longer add up".into());
                }
                Ok(())
            }
            Kind::DcRefine => {
                bits.bit();
                Ok(())
            }
            Kind::AcFirst | Kind::AcRefine => {
                let ac = ac.expect("checked in new");
                let seen = self.history.as_mut().and_then(|h| h.get_mut(unit));
                let Some(seen) = seen else {
                    return Err("more blocks than the picture has".into());
                };
                let pass: AcPass = if matches!(self.kind, Kind::AcFirst) {
                    ac_first
                } else {
                    ac_refine
                };
                pass(bits, ac, (self.ss, self.se), &mut self.eobrun, seen)
            }
        }
    }
    fn restart(&mut self) {
        self.eobrun = 0;
        if let Kind::DcFirst { pred, .. } = &mut self.kind {
            pred.iter_mut().for_each(|p| *p = 0);
        }
    }
    fn end_interval(&self) -> Result<(), String> {
        if self.eobrun > 0 {
            return Err(format!(
                "a run of empty blocks goes {} blocks past the end of its interval",
                self.eobrun
            ));
        }
        Ok(())
    }
}

/// Reads an end-of-band code's run (`r` bits after it): the blocks it covers, this one included.
fn end_of_band(bits: &mut Bits, r: u8) -> u32 {
    (1 << r) + if r > 0 { bits.raw(r) } else { 0 }
}

/// One AC pass over a block: [`ac_first`] or [`ac_refine`].
type AcPass = fn(&mut Bits, &Huffman, (usize, usize), &mut u32, &mut u64) -> Result<(), String>;

/// A block of an AC band's first pass: within an end-of-band run nothing; else run-lengths and values up to
/// the band's end or an end-of-band code, each non-zero coefficient noted in `seen`.
fn ac_first(
    bits: &mut Bits,
    ac: &Huffman,
    (ss, se): (usize, usize),
    eobrun: &mut u32,
    seen: &mut u64,
) -> Result<(), String> {
    if *eobrun > 0 {
        *eobrun -= 1;
        return Ok(());
    }
    let mut k = ss;
    while k <= se {
        let rs = bits.decode(ac)?;
        let (r, s) = (rs >> 4, rs & 15);
        if s == 0 {
            if r < 15 {
                *eobrun = end_of_band(bits, r) - 1;
                return Ok(());
            }
            k += 16;
        } else {
            k += usize::from(r);
            if k > se {
                return Err("a coefficient goes past the end of its band".into());
            }
            bits.bits(s);
            *seen |= 1 << k;
            k += 1;
        }
    }
    if k > se + 1 {
        return Err("a run of coefficients goes past the end of its band".into());
    }
    Ok(())
}

/// A block of an AC band's refinement pass (libjpeg's `decode_mcu_AC_refine`): a correction bit for each
/// coefficient already non-zero, new coefficients of size 1 placed after their run of zero ones.
fn ac_refine(
    bits: &mut Bits,
    ac: &Huffman,
    (ss, se): (usize, usize),
    eobrun: &mut u32,
    seen: &mut u64,
) -> Result<(), String> {
    let mut k = ss;
    if *eobrun == 0 {
        while k <= se {
            let rs = bits.decode(ac)?;
            let (r, s) = (rs >> 4, rs & 15);
            if s != 0 {
                if s != 1 {
                    return Err("a refined coefficient is not one step".into());
                }
                bits.bit();
            } else if r != 15 {
                *eobrun = end_of_band(bits, r);
                break;
            }
            // Past `r` coefficients still zero, with a correction bit for each non-zero one on the way.
            let mut r = i32::from(r);
            while k <= se {
                if *seen & (1 << k) != 0 {
                    bits.bit();
                } else {
                    r -= 1;
                    if r < 0 {
                        break;
                    }
                }
                k += 1;
            }
            if s != 0 {
                if k > se {
                    return Err("a coefficient goes past the end of its band".into());
                }
                *seen |= 1 << k;
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        // The rest of the band in a run of blocks with no new coefficient: corrections only.
        for k in k..=se {
            if *seen & (1 << k) != 0 {
                bits.bit();
            }
        }
        *eobrun -= 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::scan::check_scans;

    /// A progressive JPEG of a textured picture (every block carries AC coefficients), written by
    /// jpeg-encoder in `scans` passes per component (spectral selection), 4:2:0 or 4:4:4, with restart
    /// markers every `restart` MCUs (0: none).
    fn progressive(w: u16, h: u16, scans: u8, subsampled: bool, restart: u16) -> Vec<u8> {
        let mut rgb = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
        for y in 0..u32::from(h) {
            for x in 0..u32::from(w) {
                let t = ((x * 7 + y * 13) ^ (x * y)) as u8;
                rgb.extend_from_slice(&[t, t.wrapping_mul(3), 255 - t]);
            }
        }
        let mut jpg = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut jpg, 90);
        e.set_progressive_scans(scans);
        e.set_restart_interval(restart);
        e.set_sampling_factor(if subsampled {
            jpeg_encoder::SamplingFactor::R_4_2_0
        } else {
            jpeg_encoder::SamplingFactor::R_4_4_4
        });
        e.encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
        assert!(jpg.windows(2).any(|m| m == [0xFF, 0xC2]), "progressive");
        jpg
    }

    /// 128×96, written by Pillow (libjpeg) with `progressive=True, optimize=True`: ten scans with successive
    /// approximation (DC and AC refinement passes), the last (luma AC refinement) 44 % of the file.
    const LIBJPEG: &[u8] = include_bytes!("../../tests/data/progressive-128x96.jpg");

    #[test]
    fn whole_progressive_photos_pass() {
        for (w, h, scans, sub, rst) in [
            (300, 200, 4, true, 0),
            (17, 9, 2, false, 0),
            (1, 1, 4, true, 0),
            (640, 33, 10, false, 3),
            (250, 130, 64, true, 7),
        ] {
            let jpg = progressive(w, h, scans, sub, rst);
            assert_eq!(check_scans(&jpg), Ok(()), "{w}×{h}, {scans} scans");
            // zune-jpeg's strict decode refuses jpeg-encoder's 64-pass file with restart markers ("code length
            // more than bits left"); the others it reads whole.
            if scans < 64 {
                assert_eq!(crate::photo::jpeg_complete(&jpg), Ok(()), "{w}×{h}");
            }
        }
        assert_eq!(check_scans(LIBJPEG), Ok(()));
        assert_eq!(crate::photo::jpeg_complete(LIBJPEG), Ok(()));
    }

    #[test]
    fn bytes_overwritten_mid_file_in_a_progressive_photo_are_found() {
        let jpg = progressive(400, 300, 4, true, 0);
        let (mut found, mut decoded) = (0, 0);
        let tries = 20;
        for k in 0..tries {
            let at = jpg.len() / 4 + k * jpg.len() / (2 * tries);
            for fill in [0x00u8, 0x5A] {
                let mut bad = jpg.clone();
                bad[at..at + 64].fill(fill);
                found += usize::from(check_scans(&bad).is_err());
                // What image's own decoder makes of it: most decode into a picture without a word.
                decoded += usize::from(
                    image::load_from_memory_with_format(&bad, image::ImageFormat::Jpeg).is_ok(),
                );
            }
        }
        assert!(found >= 2 * tries - 2, "{found} of {}", 2 * tries);
        assert!(decoded > tries, "image decodes {decoded} of {}", 2 * tries);
        let mut bad = jpg.clone();
        let at = jpg.len() / 2;
        bad[at..at + 64].fill(0);
        let e = crate::photo::jpeg_complete(&bad).unwrap_err();
        assert!(
            e.contains("the picture data is damaged at or before byte"),
            "{e}"
        );
        // With restart markers: the damaged interval is found too.
        let jpg = progressive(400, 300, 6, false, 5);
        let mut bad = jpg.clone();
        let at = jpg.len() * 2 / 3;
        bad[at..at + 64].fill(0x5A);
        assert!(check_scans(&bad).is_err());
    }

    #[test]
    fn bytes_overwritten_in_a_refinement_pass_are_found() {
        // The libjpeg file's last scan (the luma AC refinement) starts at 56 % of the file.
        let from = LIBJPEG.len() * 60 / 100;
        let mut found = 0;
        let tries = 10;
        for k in 0..tries {
            let at = from + k * (LIBJPEG.len() - 40 - from) / tries;
            let mut bad = LIBJPEG.to_vec();
            bad[at..at + 24].fill(0);
            found += usize::from(check_scans(&bad).is_err());
        }
        // A refinement pass's correction bits have no structure of their own to check: zeroed bytes there are
        // found by their code words only (7 of 10 when this was written).
        assert!(found >= tries / 2, "{found} of {tries}");
    }
}
