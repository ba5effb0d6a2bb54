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
    zlib_of_pieces(&[Piece::Raw(data)], level, workers)
}

/// One piece of a zlib stream's data for [`zlib_of_pieces`].
#[derive(Clone, Copy, Debug)]
pub enum Piece<'a> {
    /// Bytes to compress now (in parts of at most [`PART_BYTES`]).
    Raw(&'a [u8]),
    /// Bytes compressed ahead ([`packed_part`] at the stream's level) and the bytes they hold.
    Packed {
        /// The bytes (for the checksum).
        raw: &'a [u8],
        /// Their [`packed_part`].
        packed: &'a [u8],
    },
}

/// `data` as one part of a stream that [`zlib_of_pieces`] joins: raw deflate at `level` ending on a sync
/// flush. A caller can compress a piece it knows early (the stencil's earlier sessions) while it waits.
pub fn packed_part(data: &[u8], level: u8) -> Vec<u8> {
    raw_deflate(data, level, false)
}

/// The zlib stream at `level` of the pieces' bytes in order: the raw pieces compressed in parts by
/// `workers`, the packed ones as they are, then an empty final block, between one zlib header and the
/// checksum of all the bytes.
pub fn zlib_of_pieces(pieces: &[Piece], level: u8, workers: &dyn Workers) -> Vec<u8> {
    let parts: Vec<&[u8]> = pieces
        .iter()
        .flat_map(|p| match p {
            Piece::Raw(data) => data.chunks(PART_BYTES).collect(),
            Piece::Packed { .. } => Vec::new(),
        })
        .collect();
    let mut packed = vec![Vec::new(); parts.len()];
    let jobs: Vec<Job> = packed
        .iter_mut()
        .zip(&parts)
        .map(|(out, part)| Box::new(move || *out = raw_deflate(part, level, false)) as Job)
        .collect();
    workers.run(jobs);
    let ahead: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Packed { packed, .. } => packed.len(),
            Piece::Raw(_) => 0,
        })
        .sum();
    let mut out = Vec::with_capacity(8 + ahead + packed.iter().map(Vec::len).sum::<usize>());
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
    let mut now = packed.iter();
    let mut sum = adler2::Adler32::new();
    for p in pieces {
        match p {
            Piece::Raw(data) => {
                for _ in data.chunks(PART_BYTES) {
                    out.extend_from_slice(now.next().expect("one part per chunk"));
                }
                sum.write_slice(data);
            }
            Piece::Packed { raw, packed } => {
                out.extend_from_slice(packed);
                sum.write_slice(raw);
            }
        }
    }
    out.extend_from_slice(&raw_deflate(&[], level, true));
    out.extend_from_slice(&sum.checksum().to_be_bytes());
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
    fn pieces_packed_ahead_join_the_pieces_packed_now() {
        let (a, b, c) = (drawing(70_000), drawing(PART_BYTES + 9), drawing(3));
        let (pa, pc) = (packed_part(&a, 1), packed_part(&c, 1));
        let pieces = [
            Piece::Packed {
                raw: &a,
                packed: &pa,
            },
            Piece::Raw(&b),
            Piece::Raw(&[]),
            Piece::Packed {
                raw: &c,
                packed: &pc,
            },
        ];
        let packed = zlib_of_pieces(&pieces, 1, &Serial);
        let back = miniz_oxide::inflate::decompress_to_vec_zlib(&packed).expect("a zlib stream");
        assert!(
            back == [a.as_slice(), &b, &c].concat(),
            "the pieces in order"
        );
        assert_eq!(zlib_of_pieces(&pieces, 1, &Backwards(3)), packed);
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
