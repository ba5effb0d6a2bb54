//! Tests of `scan`: whole sequential JPEGs pass, damage mid-file and restart markers out of sequence are found.
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
        assert_eq!(check_scans(&textured(w, h)), Ok(()), "{w}×{h}");
    }
    let real = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/photos/shaved-norwood-front.jpg"),
    );
    if let Ok(real) = real {
        assert_eq!(check_scans(&real), Ok(()));
        // 100 or 400 bytes zeroed anywhere in its data (probe s8 finding 9: 400 at byte 30000).
        for at in (1_000..59_000).step_by(2_900) {
            for n in [100, 400] {
                let mut bad = real.clone();
                bad[at..at + n].fill(0);
                assert!(check_scans(&bad).is_err(), "{n} bytes zeroed at {at}");
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
    assert_eq!(check_scans(&whole), Ok(()));
    // image's own decoder reads it as a whole picture.
    assert_eq!(crate::photo::jpeg_complete(&whole), Ok(()));
    for (scan, why) in [
        (&[0x3F, 0xFF, 0xD1, 0x3F][..], "out of sequence"),
        (&[0x3F, 0x3F, 0xFF, 0xD0, 0x3F][..], "left over"),
        (&[0x3F, 0xFF, 0xD0][..], "runs out"),
    ] {
        let e = check_scans(&with_restarts(scan)).unwrap_err();
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
            found += usize::from(check_scans(&bad).is_err());
        }
    }
    // A desynchronised Huffman stream almost never ends exactly on the frame's last block.
    assert!(found >= 2 * tries - 2, "{found} of {}", 2 * tries);
    let mut bad = jpg.clone();
    let at = jpg.len() / 2;
    bad[at..at + 64].fill(0);
    let e = check_scans(&bad).unwrap_err();
    assert!(
        e.contains("the picture data is damaged at or before byte"),
        "{e}"
    );
}
