//! How saturated this photo's bare skin is at each lightness: the skin continued under shaved hair takes
//! it, so a side in shadow is as warm as the photo's own shaded skin beside it.
//!
//! Skin darkened by turning from the light is not the lit skin scaled down: light scattered inside the
//! skin and back off the face keeps its colour deep, so on the reference photo the shaded temple at L* 40
//! has C* 36–42 while the lit forehead at L* 82 has C* 33. The skin continued under the hair took the
//! forehead's chromaticity at the local light (`dome::skin_under_hair`), which at L* 40 is C* ≈ 17: a
//! grey-beige band that met the warm skin beside it in a step of 12 C* over 3 px (outside probe s31b: "a
//! colourless grey-beige band of stubble along a sharp vertical line"). The photo's bare skin is binned
//! by L* and each bin's median C* kept; a continued colour keeps its own lightness and hue and takes the
//! chroma of its lightness (half-way: [`CHROMA_TAKEN`]), interpolated between bins (the nearest bin's beyond them), so local colour
//! (an orange temple, a pink highlight) is not copied, only how saturated skin of that lightness is here.

use crate::color::{lab_from_lin, lin_from_lab, Lab, Lin};

/// Width of a lightness bin, L*.
pub const BIN_L: f64 = 5.0;
/// Fewest sure bare-skin pixels a bin needs to count.
pub const MIN_PIXELS: usize = 12;
/// Share of the way from a continued colour's own chroma to the photo's skin chroma at its lightness that
/// [`SkinChroma::apply`] goes: all of it laid an amber rim along the shaded side's outline at client size
/// (looked at on the reference photo), none left the grey-beige step.
pub const CHROMA_TAKEN: f64 = 0.5;
/// Probability from which a working pixel counts as sure bare skin.
pub const SURE_BARE: f32 = 0.8;

/// Median C* of the photo's bare skin per lightness bin: (bin centre L*, C*), by L*.
#[derive(Clone, Debug, PartialEq)]
pub struct SkinChroma(Vec<(f64, f64)>);

impl SkinChroma {
    /// From the working pixels `px` where `bare` (same length) is sure; `None` with fewer than two bins.
    pub fn measure(px: &[Lin], bare: &[f32]) -> Option<SkinChroma> {
        let mut bins: Vec<Vec<f64>> = vec![Vec::new(); (100.0 / BIN_L) as usize + 1];
        for (c, &p) in px.iter().zip(bare) {
            if p < SURE_BARE {
                continue;
            }
            let lab = lab_from_lin(*c);
            if !(lab.l.is_finite() && (0.0..=100.0).contains(&lab.l)) {
                continue;
            }
            bins[(lab.l / BIN_L) as usize].push(lab.a.hypot(lab.b));
        }
        let table: Vec<(f64, f64)> = bins
            .into_iter()
            .enumerate()
            .filter(|(_, v)| v.len() >= MIN_PIXELS)
            .map(|(i, mut v)| {
                v.sort_by(f64::total_cmp);
                ((i as f64 + 0.5) * BIN_L, v[v.len() / 2])
            })
            .collect();
        (table.len() >= 2).then_some(SkinChroma(table))
    }

    /// The skin's C* at lightness `l`: linear between bins, the lightest bin's above them, and below the
    /// darkest falling with L* toward black (C* 0 at L* 0: a shadow deeper than any bare skin on the photo
    /// is not given that skin's warmth, an orange rim along the head's dark outline).
    pub fn at(&self, l: f64) -> f64 {
        let t = &self.0;
        if l <= t[0].0 {
            return t[0].1 * (l / t[0].0).clamp(0.0, 1.0);
        }
        for w in t.windows(2) {
            let ((l0, c0), (l1, c1)) = (w[0], w[1]);
            if l <= l1 {
                return c0 + (c1 - c0) * (l - l0) / (l1 - l0);
            }
        }
        t[t.len() - 1].1
    }

    /// `c` taken [`CHROMA_TAKEN`] of the way to the chroma skin of its lightness has on this photo, its
    /// lightness and hue kept.
    pub fn apply(&self, c: Lin) -> Lin {
        let lab = lab_from_lin(c);
        let chroma = lab.a.hypot(lab.b);
        if chroma < 1e-6 {
            return c;
        }
        let k = (chroma + CHROMA_TAKEN * (self.at(lab.l) - chroma)) / chroma;
        let out = lin_from_lab(Lab {
            l: lab.l,
            a: lab.a * k,
            b: lab.b * k,
        });
        out.map(|v| v.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skin(l: f64, c: f64) -> Lin {
        let h = 55f64.to_radians();
        lin_from_lab(Lab {
            l,
            a: c * h.cos(),
            b: c * h.sin(),
        })
    }

    #[test]
    fn shaded_skin_keeps_the_chroma_the_photo_shows_at_its_lightness() {
        // Lit skin at L* 80 with C* 30, shaded at L* 40 with C* 40 (as on the reference photo).
        let mut px = vec![skin(80.0, 30.0); 50];
        px.extend(vec![skin(40.0, 40.0); 50]);
        let bare = vec![1.0; px.len()];
        let t = SkinChroma::measure(&px, &bare).unwrap();
        // The lit skin scaled down to L* 40 in linear light: greyer than the photo's shaded skin.
        let dim = skin(80.0, 30.0).map(|v| v * 0.13);
        let before = lab_from_lin(dim);
        assert!(before.a.hypot(before.b) < 25.0, "{before:?}");
        let after = lab_from_lin(t.apply(dim));
        assert!((after.l - before.l).abs() < 0.5, "{after:?}");
        let c = after.a.hypot(after.b);
        let c0 = before.a.hypot(before.b);
        let want = c0 + CHROMA_TAKEN * (t.at(before.l) - c0);
        assert!((c - want).abs() < 1.0 && c > c0 + 5.0, "{c} vs {want}");
        // Hue kept.
        assert!((after.b.atan2(after.a) - before.b.atan2(before.a)).abs() < 0.02);
        // Uncertain pixels do not count; one bin is not a table.
        assert_eq!(SkinChroma::measure(&px, &vec![0.5; px.len()]), None);
        assert_eq!(SkinChroma::measure(&px[..50], &bare[..50]), None);
    }

    #[test]
    fn beyond_the_bins_the_nearest_counts() {
        let t = SkinChroma(vec![(42.5, 40.0), (82.5, 30.0)]);
        assert!((t.at(10.0) - 40.0 * 10.0 / 42.5).abs() < 1e-9);
        assert_eq!(t.at(95.0), 30.0);
        assert!((t.at(62.5) - 35.0).abs() < 1e-9);
    }
}
