//! A busy background beside the head (outside test s41: colour blocks, blurred or sharp, and beige stripes
//! behind the reference photo's head): the head's outline was read on the background's edges, 203–212 mm
//! across, and the correct eye marks were blamed ("the outer eye corner marks are too close together").
//! The background's edges beyond any head say it is busy (`register::outline::busy_background`); the pose
//! then rests on the marks, and the words name the background.

mod real_photo;

use real_photo::{photo_bytes, preview_of, recoloured, registered};

/// The real photo with its wall replaced by `f(x, y)` (linear RGB).
fn on_wall(bytes: &[u8], f: impl Fn(usize, usize) -> [f64; 3]) -> Vec<u8> {
    recoloured(bytes, |c, wall, (x, y)| if wall { f(x, y) } else { c })
}

#[test]
fn a_busy_background_is_named_and_the_marks_are_not_blamed() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    // 15 px blocks of colours that change from block to block, and vertical stripes 12 px wide.
    let blocks = on_wall(&bytes, |x, y| {
        let (bx, by) = ((x / 15) as u64, (y / 15) as u64);
        let n = (bx * 7919 + by * 104_729).wrapping_mul(2_654_435_761) >> 7;
        [0, 1, 2].map(|k| 0.05 + 0.8 * (((n >> (8 * k)) & 0xff) as f64 / 255.0))
    });
    let stripes = on_wall(&bytes, |x, _| {
        let t = ((x % 24) as f64 / 24.0 * std::f64::consts::TAU).sin() * 0.5 + 0.5;
        [0.15 + 0.35 * t, 0.09 + 0.25 * t, 0.04 + 0.15 * t]
    });
    for (what, variant) in [("blocks", &blocks), ("stripes", &stripes)] {
        let (_, _, reg) = registered(variant, (0.0, 0.0));
        let words = reg
            .silhouette
            .as_ref()
            .map(|s| s.words.clone())
            .unwrap_or_default();
        eprintln!("{what}: rms {:.2} mm; {words}", reg.rms_mm);
        assert!(
            words.contains("background beside the head is busy"),
            "{what}: {words}"
        );
        assert!(!reg.silhouette.as_ref().unwrap().used, "{what}");
        // Previewed from the marks, with the hair still found and clipped.
        let (p, _, _, _) = preview_of(variant, None);
        assert!(
            p.map.hair_colour.is_some() && p.shaved_px > 5000,
            "{what}: {}",
            p.shaved_px
        );
    }
    // The plain wall is not busy: its outline is used.
    let (_, _, reg) = registered(&bytes, (0.0, 0.0));
    let s = reg.silhouette.as_ref().unwrap();
    assert!(s.used && !s.words.contains("busy"), "{}", s.words);
}
