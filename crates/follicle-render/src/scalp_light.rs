//! Light that falls unevenly across the face: one half of the forehead far darker than the other (a window
//! or a lamp beside the client). The skin colour is then read on the lit half only, and the photo is said to
//! be unevenly lit, because its shadowed side misleads everything read from colour there.
//!
//! Outside test s42 lit the reference photo's face from one side (100 % falling to 35 %, the wall as it
//! was): the skin was read from the shadow (#9b856f against #f4c597 in even light), so `follicle shade`
//! searched the dilutions of darker skin (28–62 % against 15–40 %) without a word; the lit side's hair was not
//! clipped and the shadowed side's edge was taken for wall. The halves are compared by the median luminance
//! of the forehead window the skin colour is read from (`scalp::scalp_map`): the reference photo's own light
//! reads 0.79 (its right half in the forehead highlight's shade), the test's side lights 0.38–0.55.

use crate::color::Lin;

/// The darker half of the forehead at most this share of the lighter one's luminance is uneven light.
pub const UNEVEN_LIGHT_RATIO: f64 = 0.6;
/// Fewest window pixels on each half for the halves to be compared.
const MIN_HALF: usize = 20;

/// The forehead's halves in uneven light.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnevenLight {
    /// The darker half is the one on the photo's right (else its left): the side a practitioner sees it on.
    pub darker_on_photo_right: bool,
    /// How much darker, 0–1 (1 − the ratio of the halves' median luminances).
    pub darker_by: f64,
}

impl UnevenLight {
    /// The halves of `window` (each pixel's position along the eye line, mm, positive toward the photo's right,
    /// and its colour) when their median luminances differ by more than [`UNEVEN_LIGHT_RATIO`] allows.
    pub fn of(window: &[(f64, Lin)]) -> Option<UnevenLight> {
        let (left, right) = UnevenLight::halves(window)?;
        let (dark, light) = (left.min(right), left.max(right));
        (light > 0.0 && dark / light < UNEVEN_LIGHT_RATIO).then(|| UnevenLight {
            darker_on_photo_right: right < left,
            darker_by: 1.0 - dark / light,
        })
    }

    /// The darker half's median luminance over the lighter one's (1: even light), when both halves of
    /// `window` hold enough pixels.
    pub fn ratio(window: &[(f64, Lin)]) -> Option<f64> {
        let (left, right) = UnevenLight::halves(window)?;
        let (dark, light) = (left.min(right), left.max(right));
        (light > 0.0).then(|| dark / light)
    }

    /// The median luminances of `window`'s left and right halves.
    fn halves(window: &[(f64, Lin)]) -> Option<(f64, f64)> {
        let luma = |p: Lin| 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
        let half = |right: bool| {
            let mut v: Vec<f32> = window
                .iter()
                .filter(|(along, _)| (*along > 0.0) == right && *along != 0.0)
                .map(|&(_, c)| luma(c))
                .collect();
            (v.len() >= MIN_HALF).then(|| {
                v.sort_by(f32::total_cmp);
                f64::from(v[v.len() / 2])
            })
        };
        Some((half(false)?, half(true)?))
    }

    /// Whether a window pixel `along` the eye line lies on the lit half.
    pub fn lit(&self, along: f64) -> bool {
        (along > 0.0) != self.darker_on_photo_right
    }

    /// The warning, in words.
    pub fn words(&self) -> String {
        format!(
            "the light falls unevenly across the face: the forehead is {:.0} % darker on the photo's {} than on its {}, so the skin colour was read on the lit side, and the hair and the head's edge on the dark side are read less surely (hair there may be left long, or the edge drawn as wall); photograph the client facing the light, or in even light",
            self.darker_by * 100.0,
            if self.darker_on_photo_right { "right" } else { "left" },
            if self.darker_on_photo_right { "left" } else { "right" },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(left: f32, right: f32) -> Vec<(f64, Lin)> {
        (0..60)
            .map(|i| {
                let along = -30.0 + i as f64;
                let v = if along < 0.0 { left } else { right };
                (along, [v, v * 0.8, v * 0.6])
            })
            .collect()
    }

    #[test]
    fn a_side_light_is_found_and_the_lit_half_named() {
        let u = UnevenLight::of(&window(0.6, 0.2)).expect("a third of the light on one side");
        assert!(
            u.darker_on_photo_right && (u.darker_by - 2.0 / 3.0).abs() < 1e-6,
            "{u:?}"
        );
        assert!(u.lit(-5.0) && !u.lit(5.0));
        assert!(
            u.words().contains("67 % darker on the photo's right"),
            "{}",
            u.words()
        );
        let u = UnevenLight::of(&window(0.2, 0.5)).unwrap();
        assert!(!u.darker_on_photo_right && u.lit(5.0));
    }

    #[test]
    fn ordinary_light_and_too_little_forehead_are_not_flagged() {
        // The reference photo's own halves read 0.79.
        assert_eq!(UnevenLight::of(&window(0.85, 0.67)), None);
        assert_eq!(UnevenLight::of(&window(0.5, 0.5)), None);
        assert_eq!(UnevenLight::of(&window(0.6, 0.2)[..25]), None);
    }
}
