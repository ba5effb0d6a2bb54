//! The photo's backdrop on a view other than the front (top, sides, back). Those views have no face to
//! seed the scalp finder's classes from, so their scalp is the registered head's outline
//! (`scalp::head_outline_map`); marks a few millimetres off (the ear tops marked at the ear's outer edge,
//! not where it joins the head) fit the head tilted 20–30° and that outline reaches past the head on the
//! photo, and impressions were drawn on the wall in a ring around the head (outside test s38: 3,529 wall
//! pixels changed on a top view of the mannequin). The backdrop's colours are read where the photo's
//! border band lies outside the registered head, binned in CIELAB; a pixel inside the outline with a
//! colour the backdrop has is backdrop, not scalp. When most of the outline reads as backdrop (a wall the
//! colour of skin), nothing is taken from it.

use crate::color::{lab_from_lin, Lin};
use std::collections::HashMap;

/// Size of a colour bin, CIELAB units (a pixel's own bin and the 26 around it are its neighbourhood, so
/// colours within about 4–8 units of a backdrop colour count as the backdrop).
const BIN: f64 = 4.0;
/// Least share of the backdrop's samples in a colour's neighbourhood for the colour to be the backdrop's.
const MIN_SHARE: f64 = 0.005;
/// Fewest border samples to read the backdrop from.
const MIN_SAMPLES: usize = 200;
/// Least colour difference (ΔE76) from the head's median colour for a border pixel to count as backdrop.
const NOT_HEAD_DE: f64 = 12.0;
/// Most of the registered head that may read as backdrop for the backdrop to be used.
pub const MAX_HEAD_SHARE: f64 = 0.5;

/// The backdrop's colours, binned.
pub struct Backdrop {
    bins: HashMap<[i32; 3], u32>,
    n: usize,
}

fn bin(c: Lin) -> [i32; 3] {
    let l = lab_from_lin(c);
    [l.l, l.a, l.b].map(|v| (v / BIN).floor() as i32)
}

impl Backdrop {
    /// Reads the backdrop from the pixels of `px` (a `w` × `h` working image) in the left, right and top
    /// border bands `band` pixels wide for which `outside` (the registered head does not cover them)
    /// holds, less colours within [`NOT_HEAD_DE`] of the head's (`head`, the median inside the registered
    /// outline): the neck and shoulders reach the bottom border and a cropped head a side (the neck on
    /// the bottom border of a back view took the skin for backdrop). None with too few.
    pub fn read(
        px: &[Lin],
        w: usize,
        h: usize,
        band: usize,
        head: Lin,
        outside: impl Fn(usize) -> bool,
    ) -> Option<Self> {
        let mut bins: HashMap<[i32; 3], u32> = HashMap::new();
        let mut n = 0usize;
        let head = lab_from_lin(head);
        for y in 0..h {
            for x in 0..w {
                let border = x < band || y < band || x + band >= w;
                let i = y * w + x;
                if !(border && outside(i)) {
                    continue;
                }
                let l = lab_from_lin(px[i]);
                if (l.l - head.l).hypot(l.a - head.a).hypot(l.b - head.b) >= NOT_HEAD_DE {
                    *bins.entry(bin(px[i])).or_default() += 1;
                    n += 1;
                }
            }
        }
        (n >= MIN_SAMPLES).then_some(Self { bins, n })
    }

    /// The colours of `px` (linear), binned as the backdrop's are: what a region holds, to weigh a colour's
    /// share of the backdrop against its share there ([`Backdrop::share`]).
    pub fn of(px: impl Iterator<Item = Lin>) -> Self {
        let mut bins: HashMap<[i32; 3], u32> = HashMap::new();
        let mut n = 0usize;
        for c in px {
            *bins.entry(bin(c)).or_default() += 1;
            n += 1;
        }
        Self { bins, n }
    }

    /// Share (0–1) of the samples in colour `c`'s neighbourhood (its bin and the 26 around it).
    pub fn share(&self, c: Lin) -> f64 {
        let [l, a, b] = bin(c);
        let mut near = 0u32;
        for dl in -1..=1 {
            for da in -1..=1 {
                for db in -1..=1 {
                    near += self
                        .bins
                        .get(&[l + dl, a + da, b + db])
                        .copied()
                        .unwrap_or(0);
                }
            }
        }
        f64::from(near) / self.n.max(1) as f64
    }

    /// Whether colour `c` (linear) is one the backdrop has.
    pub fn has(&self, c: Lin) -> bool {
        self.n > 0 && self.share(c) >= MIN_SHARE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grey wall with a skin-coloured head in the middle: the wall's grey (and greys near it) is the
    /// backdrop's, skin is not.
    #[test]
    fn the_wall_is_backdrop_and_skin_is_not() {
        let (w, h) = (100, 100);
        let grey = [0.3f32, 0.3, 0.31];
        let skin = [0.6f32, 0.4, 0.3];
        let px: Vec<Lin> = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f64 - 50.0, (i / w) as f64 - 50.0);
                if x.hypot(y) < 30.0 {
                    skin
                } else {
                    grey
                }
            })
            .collect();
        let b = Backdrop::read(&px, w, h, 3, skin, |i| {
            let (x, y) = ((i % w) as f64 - 50.0, (i / w) as f64 - 50.0);
            x.hypot(y) >= 35.0
        })
        .unwrap();
        assert!(b.has(grey));
        assert!(b.has([0.31, 0.3, 0.31]));
        assert!(!b.has(skin));
        assert!(!b.has([0.05, 0.05, 0.05]));
    }
}
