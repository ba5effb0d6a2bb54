//! What the pictures of one scene share and are drawn once for: the finished plan healed (the layer whose
//! treated top the tone regions and the matching guard are read on, the same for every time point and
//! session shown) and the retained hair clipped to a guard. The studio switches between time points,
//! sessions and guards on one kept scene; each of these was drawn again for every picture (outside test
//! s53: a session switch 727 ms, a guard switch 426 ms on the reference photo). A cache inside the scene:
//! no I/O, the same pictures whether it is hit or not.

use super::*;
use crate::recent::Recent;
use std::sync::{Arc, Mutex, PoisonError};

/// Clipped pictures kept per scene: the guard shown and one other (a full-size picture each; the scene of a
/// 1600 px photo holds a few of them).
const SHAVED_KEPT: usize = 2;

/// The finished plan healed on a scene, with the tone regions and tones read on it.
pub(super) struct Finished {
    /// The impressions of the finished plan, healed, as a layer of filters on white (photo size).
    pub(super) layer: LinearImage,
    /// The treated top and the clipped sides ([`ToneRegions`]).
    pub(super) regions: ToneRegions,
    /// The tones of the treated top and of the sides at every offered guard.
    pub(super) tone: Option<ToneMatch>,
}

/// A picture with the retained hair clipped, and how many pixels of stubble it drew.
type Clipped = Arc<(LinearImage, usize)>;

/// The scene's kept drawings.
pub(super) struct Kept {
    /// The finished plan under its key ([`finished_key`]): one at a time.
    finished: Mutex<Recent<String, Finished>>,
    /// Clipped pictures (softened like the photo) and their stubble pixels, by guard (its bits) and whether
    /// the hair is clipped at all.
    shaved: Mutex<Recent<(u64, bool), (LinearImage, usize)>>,
}

impl Default for Kept {
    fn default() -> Self {
        Self {
            finished: Mutex::new(Recent::new(1)),
            shaved: Mutex::new(Recent::new(SHAVED_KEPT)),
        }
    }
}

/// Everything the finished layer depends on beyond the scene: the pigments, the skin, whether the hair is
/// clipped, and the plan (its impressions and seed).
pub(super) fn finished_key(plan: &Plan, catalogue: &Catalogue, skin: Lin, clipped: bool) -> String {
    format!(
        "{catalogue:?}|{skin:?}|{clipped}|{}|{}|{}",
        plan.design.seed,
        plan.impressions.len(),
        plan.sessions.len()
    )
}

/// The value under `key` in `kept`: the kept one, or `make`'s, kept. Two pictures asking at once may both
/// make it (the same value): the lock is not held while it is drawn.
fn kept_or<K: PartialEq + Clone, T>(
    kept: &Mutex<Recent<K, T>>,
    key: K,
    make: impl FnOnce() -> T,
) -> Arc<T> {
    let lock = || kept.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(v) = lock().get(&key) {
        return v;
    }
    let v = Arc::new(make());
    lock().put(key, v.clone());
    v
}

impl Kept {
    /// The finished plan under `key` ([`finished_key`]): the kept one, or `make`'s, kept.
    pub(super) fn finished(&self, key: String, make: impl FnOnce() -> Finished) -> Arc<Finished> {
        kept_or(&self.finished, key, make)
    }

    /// The picture clipped to `guard_mm` (`clipped` false: the hair as photographed) and its stubble pixels:
    /// the kept one, or `make`'s, kept.
    pub(super) fn shaved(
        &self,
        guard_mm: f64,
        clipped: bool,
        make: impl FnOnce() -> (LinearImage, usize),
    ) -> Clipped {
        kept_or(&self.shaved, (guard_mm.to_bits(), clipped), make)
    }
}

/// The photo pixels per millimetre across the scalp at the impressions `kept` (the larger singular value of
/// each one's Jacobian: foreshortening squeezes only one way), their median; `fallback` without any.
pub(super) fn scalp_scale<'a>(kept: impl Iterator<Item = &'a Spot>, fallback: f64) -> f64 {
    let mut scales: Vec<f64> = kept
        .map(|s| {
            let [a, b, c, d] = s.jac.map(|v| v as f64);
            let e = (a * a + b * b + c * c + d * d) / 2.0;
            let f =
                ((a * a + b * b - c * c - d * d).powi(2) / 4.0 + (a * c + b * d).powi(2)).sqrt();
            (e + f).sqrt()
        })
        .collect();
    scales.sort_by(|a, b| a.total_cmp(b));
    scales.get(scales.len() / 2).copied().unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A guard drawn again is the kept picture; beyond [`SHAVED_KEPT`] the least recently used goes.
    #[test]
    fn the_clipped_pictures_kept_are_the_recent_ones() {
        let k = Kept::default();
        let made = std::cell::Cell::new(0);
        let draw = |g: f64| {
            k.shaved(g, true, || {
                made.set(made.get() + 1);
                (LinearImage::new(1, 1, [g as f32; 3]), 0)
            })
        };
        assert_eq!(draw(0.0).0.px[0][0], 0.0);
        draw(0.5);
        draw(0.0);
        assert_eq!(made.get(), 2, "0 mm was kept");
        draw(1.5); // 0.5 mm, the least recently used, goes
        draw(0.0);
        assert_eq!(made.get(), 3);
        assert_eq!(draw(0.5).0.px[0][0], 0.5);
        assert_eq!(made.get(), 4, "0.5 mm was drawn again");
        // The hair as photographed is kept apart from a razor's.
        k.shaved(0.0, false, || {
            made.set(made.get() + 1);
            (LinearImage::new(1, 1, [9.0; 3]), 0)
        });
        assert_eq!(made.get(), 5);
    }

    /// A value is made once per key, and again for another.
    #[test]
    fn a_slot_makes_its_value_once_per_key() {
        let slot = Mutex::new(Recent::new(1));
        let made = std::cell::Cell::new(0);
        let get = |key: &str| {
            *kept_or(&slot, key.to_string(), || {
                made.set(made.get() + 1);
                made.get()
            })
        };
        assert_eq!(get("a"), 1);
        assert_eq!(get("a"), 1);
        assert_eq!(get("b"), 2);
        assert_eq!(get("a"), 3, "one key kept at a time");
    }
}
