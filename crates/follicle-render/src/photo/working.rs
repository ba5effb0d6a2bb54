//! The size a client's photo is worked at: a large photo is reduced on load to what the preview needs, so a
//! 50-megapixel phone photo neither takes minutes nor gigabytes (probe s8 finding 10: an 11900 × 6700 PNG
//! took 42 s and 5.9 GB). The preview needs the face at [`WORKING_PX_PER_MM`] (twice the 4 px/mm the
//! enlarged crop of the scalp shows single impressions at: the scalp lies farther from the camera than the
//! face and the crop is drawn from these pixels), and never more than [`WORKING_MAX_SIDE_PX`] on the long
//! side whatever the marks say. A photo is never reduced below [`super::MIN_SIDE_PX`] on its shorter side.

/// Pixels per millimetre at the face (from the marks) that a reduced photo keeps.
pub const WORKING_PX_PER_MM: f64 = 8.0;
/// Longest side a photo is worked at, pixels (12 megapixels at 4:3).
pub const WORKING_MAX_SIDE_PX: usize = 4000;

/// The factor (at most 1) a `w` × `h` photo is reduced by before the preview: the face kept at
/// [`WORKING_PX_PER_MM`] (`face_px_per_mm`: the marks' scale, when known), the long side at most
/// [`WORKING_MAX_SIDE_PX`], the shorter side at least [`super::MIN_SIDE_PX`].
pub fn working_scale(w: usize, h: usize, face_px_per_mm: Option<f64>) -> f64 {
    let (long, short) = (w.max(h).max(1) as f64, w.min(h).max(1) as f64);
    let mut s = (WORKING_MAX_SIDE_PX as f64 / long).min(1.0);
    if let Some(f) = face_px_per_mm.filter(|f| f.is_finite() && *f > 0.0) {
        s = s.min(WORKING_PX_PER_MM / f);
    }
    s.max(f64::from(super::MIN_SIDE_PX) / short).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_photos_are_reduced_to_what_the_preview_needs() {
        // The reference photo (420 × 471, 1.6 px/mm): kept as it is.
        assert_eq!(working_scale(420, 471, Some(1.6)), 1.0);
        // A 12-megapixel photo with the face at 12 px/mm: to 8 px/mm.
        let s = working_scale(4000, 3000, Some(12.0));
        assert!((s - 8.0 / 12.0).abs() < 1e-12, "{s}");
        // 80 megapixels with a small face: the long side capped.
        let s = working_scale(11_900, 6_700, Some(3.0));
        assert!((s * 11_900.0 - 4000.0).abs() < 1e-6, "{s}");
        // Marks of an absurd scale never shrink the photo below the smallest accepted.
        let s = working_scale(3000, 2000, Some(1e6));
        assert!((s * 2000.0 - 260.0).abs() < 1e-6, "{s}");
        assert_eq!(working_scale(3000, 2000, Some(f64::NAN)), 1.0);
        assert_eq!(working_scale(3000, 2000, None), 1.0);
    }
}
