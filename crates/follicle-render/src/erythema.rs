//! The redness of a freshly tattooed scalp on the client's photo: after a session the treated area is evenly
//! pink-red for a day or two, a little beyond its last impressions. Drawn in the "fresh" state of the photo
//! preview from the density of the session just done, on the visible scalp only (docs/photo-scalp.md).

use crate::optics::{State, FRESH_REDNESS_RADIUS_MM, FRESH_REDNESS_TINT};
use crate::raster::LinearImage;
use crate::scalp::ScalpMap;
use crate::splat::Spot;

/// Share of [`FRESH_REDNESS_TINT`] the skin takes where the session just done is dense: freshly
/// tattooed scalp is evenly pink-red over the whole treated area for a day or two, a little beyond its last
/// impressions (**assumption**: practitioner photos of a first session; docs/preview-model.md "fresh").
pub const ERYTHEMA_PEAK: f32 = 0.55;

/// The redness of a fresh session on a photo: the density of the session's impressions (their redness
/// spots, as gated onto the scalp) averaged over [`FRESH_REDNESS_RADIUS_MM`], turned into the share of
/// skin reddened (1 − e^(−density × π R²): overlapping halos saturate), on the scalp map's working grid.
pub(crate) struct Erythema {
    /// Reddened share per working pixel (0–1).
    share: Vec<f32>,
}

impl Erythema {
    /// `None` unless `state` is fresh and some impression of the session just done lands on the scalp.
    pub(crate) fn new(
        spots: &[Spot],
        redness: u16,
        map: &ScalpMap,
        px_per_mm: f64,
        state: State,
    ) -> Option<Erythema> {
        if state != State::Fresh {
            return None;
        }
        let (w, h, step) = (map.w, map.h, map.step as f64);
        let mut count = vec![0f32; w * h];
        let mut any = false;
        for s in spots.iter().filter(|s| s.look == redness && s.ink > 0.0) {
            let (x, y) = ((s.x as f64 / step) as usize, (s.y as f64 / step) as usize);
            if x < w && y < h {
                count[y * w + x] += s.ink;
                any = true;
            }
        }
        if !any {
            return None;
        }
        let mm_per_work = step / px_per_mm;
        let sigma = (FRESH_REDNESS_RADIUS_MM / mm_per_work).max(0.7);
        let area = std::f64::consts::PI * FRESH_REDNESS_RADIUS_MM * FRESH_REDNESS_RADIUS_MM;
        let per_mm2 = 1.0 / (mm_per_work * mm_per_work);
        let share = crate::scalp::blur_mask(&count, w, h, sigma)
            .iter()
            .map(|&c| 1.0 - (-(c as f64) * per_mm2 * area).exp() as f32)
            .collect();
        Some(Erythema { share })
    }

    /// Multiplies the redness onto `layer` (a layer of filters on white) on the scalp only; `to_photo` maps a
    /// layer pixel to the photo's pixels.
    pub(crate) fn redden(
        &self,
        layer: &mut LinearImage,
        map: &ScalpMap,
        to_photo: impl Fn(f64, f64) -> (f64, f64),
    ) {
        for y in 0..layer.h {
            for x in 0..layer.w {
                let (px, py) = to_photo(x as f64 + 0.5, y as f64 + 0.5);
                let on_scalp = map.scalp_at(px, py) * (1.0 - map.sample(&map.background, px, py));
                let r = map.sample(&self.share, px, py) * on_scalp * ERYTHEMA_PEAK;
                if r > 1e-4 {
                    let p = &mut layer.px[y * layer.w + x];
                    for c in 0..3 {
                        p[c] *= 1.0 - r * (1.0 - FRESH_REDNESS_TINT[c]);
                    }
                }
            }
        }
    }
}
