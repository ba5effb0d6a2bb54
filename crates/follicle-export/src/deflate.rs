//! zlib streams compressed in independent parts, as pigz does: each part is raw deflate of its own slice,
//! ending on a byte boundary (a sync flush: an empty stored block), and the last one final, so the parts
//! can be compressed at once by a caller's threads and simply joined between the zlib header and the
//! checksum of the whole. The stencil PDF's drawing (2.7 MB for the full-scalp example) is the last
//! output the command waits for; in parts it no longer waits on one core. The parts are cut by size, so
//! the bytes are the same however they are run.

use follicle_core::parallel::{Job, Workers};
use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};

/// Bytes of input per part (each part starts without a dictionary: about 1 % larger output at this size).
pub const PART_BYTES: usize = 512 * 1024;

/// `data` as a zlib stream at `level` (0–10, as miniz_oxide counts), its parts compressed by `workers`.
pub fn zlib_in_parts(data: &[u8], level: u8, workers: &dyn Workers) -> Vec<u8> {
    let parts: Vec<&[u8]> = if data.is_empty() {
        vec![data]
    } else {
        data.chunks(PART_BYTES).collect()
    };
    let last = parts.len() - 1;
    let mut packed = vec![Vec::new(); parts.len()];
    let jobs: Vec<Job> = packed
        .iter_mut()
        .zip(&parts)
        .enumerate()
        .map(|(i, (out, part))| Box::new(move || *out = raw_deflate(part, level, i == last)) as Job)
        .collect();
    workers.run(jobs);
    let mut out = Vec::with_capacity(6 + packed.iter().map(Vec::len).sum::<usize>());
    // CMF: deflate with a 32 KiB window; FLG: no dictionary, the level's class, and CMF·256 + FLG a
    // multiple of 31 (RFC 1950).
    let cmf = 0x78u8;
    let class = match level {
        0 | 1 => 0u8,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let flg = class << 6;
    let flg = flg + (31 - ((u16::from(cmf) << 8 | u16::from(flg)) % 31) as u8) % 31;
    out.extend_from_slice(&[cmf, flg]);
    for p in &packed {
        out.extend_from_slice(p);
    }
    out.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
    out
}

/// One part as raw deflate: byte-aligned at its end by a sync flush, or final (`last`).
fn raw_deflate(input: &[u8], level: u8, last: bool) -> Vec<u8> {
    // Negative window bits: raw deflate, no zlib header or checksum of its own.
    let flags = create_comp_flags_from_zip_params(level.into(), -15, 0);
    let mut compressor = CompressorOxide::new(flags);
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    let flush = if last {
        TDEFLFlush::Finish
    } else {
        TDEFLFlush::Sync
    };
    let (status, used) = compress_to_output(&mut compressor, input, flush, |b| {
        out.extend_from_slice(b);
        true
    });
    let want = if last {
        TDEFLStatus::Done
    } else {
        TDEFLStatus::Okay
    };
    assert!(
        status == want && used == input.len(),
        "deflate into a growing buffer always completes ({status:?}, {used} of {})",
        input.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use follicle_core::parallel::{Backwards, Serial};

    /// Stencil-like text: numbers and operators, repetitive but not constant.
    fn drawing(len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 32);
        let mut x: u64 = 0x9E37_79B9;
        while out.len() < len {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            out.extend_from_slice(
                format!(
                    "{}.{} {}.{} l\n",
                    x >> 57,
                    (x >> 40) % 100,
                    (x >> 20) % 300,
                    x % 97
                )
                .as_bytes(),
            );
        }
        out.truncate(len);
        out
    }

    #[test]
    fn the_parts_join_into_one_stream_that_any_inflater_reads() {
        for len in [
            0,
            1,
            1000,
            PART_BYTES - 1,
            PART_BYTES,
            PART_BYTES + 1,
            3 * PART_BYTES + 17,
        ] {
            let data = drawing(len);
            for level in [1, 6] {
                let packed = zlib_in_parts(&data, level, &Serial);
                assert_eq!(
                    (u16::from(packed[0]) << 8 | u16::from(packed[1])) % 31,
                    0,
                    "the header's check bits"
                );
                let back = miniz_oxide::inflate::decompress_to_vec_zlib(&packed)
                    .unwrap_or_else(|e| panic!("{len} bytes at level {level}: {e:?}"));
                assert!(
                    back == data,
                    "{len} bytes at level {level} come back as they were"
                );
                assert_eq!(
                    zlib_in_parts(&data, level, &Backwards(4)),
                    packed,
                    "the same bytes in any order"
                );
            }
        }
    }

    #[test]
    fn parts_cost_little_against_one_stream() {
        let data = drawing(3 * PART_BYTES);
        let parts = zlib_in_parts(&data, 1, &Serial).len() as f64;
        let whole = miniz_oxide::deflate::compress_to_vec_zlib(&data, 1).len() as f64;
        assert!(
            parts < whole * 1.02,
            "{parts} bytes in parts against {whole} in one stream"
        );
    }
}
