//! The colour-and-texture models the scalp map classifies a photo's pixels with (scalp.rs): robust
//! Gaussians for the forehead's skin and the retained hair, a mixture of them for the background (a wall
//! and a suit, a blurred room: never one colour), the test for whether dark pixels beside the head are
//! hair at all, and the flood fill that keeps only what is connected to the forehead.
//!
//! Features per working pixel: CIELAB L*, a*, b*, and texture (standard deviation of L* over 3 × 3
//! working pixels). Pure: numbers in, numbers out.

use crate::color::lab_from_lin;
use crate::color::Lin;
use crate::raster::LinearImage;

/// Features of one working pixel: L*, a*, b*, texture.
pub type Feat = [f32; 4];

/// The features of every pixel of `work` (linear light).
pub fn features(work: &LinearImage) -> Vec<Feat> {
    let (w, h) = (work.w, work.h);
    let lab: Vec<[f32; 3]> = work
        .px
        .iter()
        .map(|&c| {
            let l = lab_from_lin(c);
            [l.l as f32, l.a as f32, l.b as f32]
        })
        .collect();
    let mut feat = vec![[0f32; 4]; w * h];
    for y in 0..h {
        for x in 0..w {
            let (mut s, mut s2, mut n) = (0f32, 0f32, 0f32);
            for yy in y.saturating_sub(1)..(y + 2).min(h) {
                for xx in x.saturating_sub(1)..(x + 2).min(w) {
                    let l = lab[yy * w + xx][0];
                    s += l;
                    s2 += l * l;
                    n += 1.0;
                }
            }
            let var = (s2 / n - (s / n).powi(2)).max(0.0);
            let c = lab[y * w + x];
            feat[y * w + x] = [c[0], c[1], c[2], var.sqrt()];
        }
    }
    feat
}

/// Median of `v` (reordered).
pub fn median(v: &mut [f32]) -> f32 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// A robust diagonal Gaussian over the features (median, MAD).
#[derive(Clone, Copy, Debug)]
pub struct Class {
    /// Centre.
    pub mu: Feat,
    inv_sigma: Feat,
    log_norm: f32,
}

impl Class {
    /// Fits `samples` (non-empty), each spread at least `floor`.
    pub fn fit(samples: &[Feat], floor: Feat) -> Class {
        let mut mu = [0f32; 4];
        let mut inv_sigma = [0f32; 4];
        let mut log_norm = 0f32;
        for k in 0..4 {
            let mut col: Vec<f32> = samples.iter().map(|s| s[k]).collect();
            let m = median(&mut col);
            let mut dev: Vec<f32> = col.iter().map(|v| (v - m).abs()).collect();
            let sigma = (median(&mut dev) * 1.4826).max(floor[k]);
            mu[k] = m;
            inv_sigma[k] = 1.0 / sigma;
            log_norm -= sigma.ln();
        }
        Class {
            mu,
            inv_sigma,
            log_norm,
        }
    }
    /// Log-likelihood of `f` (up to a constant shared by all classes).
    #[inline]
    pub fn log_lik(&self, f: &Feat) -> f32 {
        self.log_norm - 0.5 * self.mahalanobis2(f)
    }
    /// Squared distance of `f` from the centre in standard deviations, all four features.
    #[inline]
    pub fn mahalanobis2(&self, f: &Feat) -> f32 {
        f.iter()
            .zip(&self.mu)
            .zip(&self.inv_sigma)
            .map(|((v, m), is)| ((v - m) * is).powi(2))
            .sum()
    }
    /// Squared distance in standard deviations over colour alone (L*, a*, b*).
    #[inline]
    pub fn colour_distance2(&self, f: &Feat) -> f32 {
        (0..3)
            .map(|k| ((f[k] - self.mu[k]) * self.inv_sigma[k]).powi(2))
            .sum()
    }
    /// CIELAB distance (ΔE76) of `f` from the centre.
    pub fn delta(&self, f: &Feat) -> f32 {
        (f[0] - self.mu[0])
            .hypot(f[1] - self.mu[1])
            .hypot(f[2] - self.mu[2])
    }
}

/// Components of the background mixture at most.
pub const BACKGROUND_PARTS: usize = 6;
/// A background component needs at least this share of the seed.
const MIN_PART_SHARE: f32 = 0.01;
/// Seed pixels used at most to fit the mixture (an even stride over the rest).
const MAX_FIT: usize = 20_000;

/// The background as several robust Gaussians (k-means over the seed, then each cluster fitted), weighted
/// by their share of the seed: a white wall and a dark suit, or the bright and dark halves of a blurred room,
/// each keep their own tight model instead of one wide Gaussian that covers the head between them.
#[derive(Clone, Debug)]
pub struct Mixture {
    /// (log weight, class) per component.
    pub parts: Vec<(f32, Class)>,
}

impl Mixture {
    /// Fits `seed` (at least one sample) with at most [`BACKGROUND_PARTS`] components, each spread at
    /// least `floor`. Deterministic: the centres start from the median and the farthest samples.
    pub fn fit(seed: &[Feat], floor: Feat) -> Mixture {
        let stride = seed.len().div_ceil(MAX_FIT).max(1);
        let s: Vec<Feat> = seed.iter().step_by(stride).copied().collect();
        // Texture counts less than colour in the clustering (its scale is a few L*).
        let d2 = |a: &Feat, b: &Feat| {
            (a[0] - b[0]).powi(2)
                + (a[1] - b[1]).powi(2)
                + (a[2] - b[2]).powi(2)
                + (0.5 * (a[3] - b[3])).powi(2)
        };
        let first = Class::fit(&s, [0.0; 4]).mu;
        let mut centres = vec![first];
        let mut near: Vec<f32> = s.iter().map(|f| d2(f, &first)).collect();
        while centres.len() < BACKGROUND_PARTS {
            let (i, &far) = near
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .expect("a non-empty seed");
            // Closer than about 3 ΔE everywhere: one more component would model noise.
            if far < 9.0 {
                break;
            }
            centres.push(s[i]);
            for (n, f) in near.iter_mut().zip(&s) {
                *n = n.min(d2(f, &s[i]));
            }
        }
        let mut label = vec![0usize; s.len()];
        for _ in 0..8 {
            for (l, f) in label.iter_mut().zip(&s) {
                *l = (0..centres.len())
                    .min_by(|&a, &b| d2(f, &centres[a]).total_cmp(&d2(f, &centres[b])))
                    .unwrap_or(0);
            }
            for (k, c) in centres.iter_mut().enumerate() {
                let (mut acc, mut n) = ([0f32; 4], 0f32);
                for (f, _) in s.iter().zip(&label).filter(|(_, &l)| l == k) {
                    for j in 0..4 {
                        acc[j] += f[j];
                    }
                    n += 1.0;
                }
                if n > 0.0 {
                    *c = acc.map(|a| a / n);
                }
            }
        }
        let parts = (0..centres.len())
            .filter_map(|k| {
                let members: Vec<Feat> = s
                    .iter()
                    .zip(&label)
                    .filter(|(_, &l)| l == k)
                    .map(|(f, _)| *f)
                    .collect();
                let share = members.len() as f32 / s.len() as f32;
                (share >= MIN_PART_SHARE && members.len() >= 3)
                    .then(|| (share.ln(), Class::fit(&members, floor)))
            })
            .collect();
        Mixture { parts }
    }
    /// Log-likelihood of `f`: the best component's, with its weight.
    pub fn log_lik(&self, f: &Feat) -> f32 {
        self.parts
            .iter()
            .map(|(w, c)| w + c.log_lik(f))
            .fold(f32::MIN, f32::max)
    }
    /// The nearest component's CIELAB distance from `f`.
    pub fn delta(&self, f: &Feat) -> f32 {
        self.parts
            .iter()
            .map(|(_, c)| c.delta(f))
            .fold(f32::MAX, f32::min)
    }
    /// The nearest component's colour distance in its standard deviations (squared).
    pub fn colour_distance2(&self, f: &Feat) -> f32 {
        self.parts
            .iter()
            .map(|(_, c)| c.colour_distance2(f))
            .fold(f32::MAX, f32::min)
    }
}

/// Hair must be this much darker than the forehead in luminance (Y ratio below this), or textured
/// ([`HAIR_TEXTURE`]): the shadowed side of a bald head keeps about half the forehead's light (Y ratio
/// 0.4–0.6 on the probe's bald photos), dark hair an eighth to a fifth.
pub const HAIR_Y_RATIO: f32 = 0.3;
/// …or its texture (median standard deviation of L* over 3 × 3 working pixels) at least this multiple of
/// the forehead's, plus [`HAIR_TEXTURE_ADD`] L*: strands and stubble are grainy, shaded skin is smooth.
pub const HAIR_TEXTURE: f32 = 1.5;
/// See [`HAIR_TEXTURE`].
pub const HAIR_TEXTURE_ADD: f32 = 1.0;

/// Darkness alone does not make a fringe hair when its colour is skin in shadow: its chroma relative to
/// its lightness (a*, b* over L* + 16, which shading leaves unchanged: scaling a colour's XYZ scales the
/// cube roots a*, b* and L* + 16 are made of alike) at least [`SKIN_SHADE_MIN_CHROMA`], at least this share
/// of the forehead's, and its hue within [`SKIN_SHADE_HUE_DEG`] of it. Dark hair and stubble are nearer
/// grey than the skin they grow from. Measured in s26 (the dark fringe group's relative chroma, and the
/// forehead's): the reference photo's clipped dark-brown sides 0.24 (forehead 0.18, washed out by its
/// highlight, so the share alone would call the hair skin), a dark-haired man's sides (dlib crop) 0.05
/// (0.26); the shaded rim of a fully shaved head of brown skin 0.60 (0.54; outside probe s24/s26: read as
/// hair and redrawn lighter as "shaved").
pub const SKIN_SHADE_CHROMA: f32 = 0.85;
/// Least relative chroma of a dark fringe for it to be skin in shadow ([`SKIN_SHADE_CHROMA`]): about a
/// medium skin's; dark hair, even brown, stays under it.
pub const SKIN_SHADE_MIN_CHROMA: f32 = 0.4;
/// See [`SKIN_SHADE_CHROMA`], degrees.
pub const SKIN_SHADE_HUE_DEG: f32 = 20.0;

/// Whether a group of pixels of lightness `l` and colour (`a`, `b`) is the skin `skin` (its centre's L*,
/// a*, b*) in shadow ([`SKIN_SHADE_CHROMA`]).
pub fn skin_in_shadow(l: f32, a: f32, b: f32, skin: &Feat) -> bool {
    let (ka, kb) = (a / (l + 16.0).max(1.0), b / (l + 16.0).max(1.0));
    let (sa, sb) = (skin[1] / (skin[0] + 16.0), skin[2] / (skin[0] + 16.0));
    let (c, cs) = (ka.hypot(kb), sa.hypot(sb));
    if cs < 1e-3 {
        return false;
    }
    let mut hue = (kb.atan2(ka) - sb.atan2(sa)).to_degrees().abs();
    if hue > 180.0 {
        hue = 360.0 - hue;
    }
    c >= SKIN_SHADE_MIN_CHROMA && c >= SKIN_SHADE_CHROMA * cs && hue <= SKIN_SHADE_HUE_DEG
}

/// Grey and white hair is found by its colour, not its darkness: its chroma relative to its lightness (as in
/// [`skin_in_shadow`]) at most this share of the forehead's. Skin keeps its colour in shadow and in light (the
/// reference photo's forehead 0.17, washed out by the light; his bald top 0.36, his shadowed sides 0.26 and
/// more); grey and white hair reads 0–0.1 (outside test s41's grey-haired variant: 0.0, not found before,
/// and pigment was drawn on it). Golden blond hair keeps a skin-like colour and is not found this way: its
/// shaved picture would keep the blond (docs/photo-scalp.md).
pub const GREY_HAIR_CHROMA: f32 = 0.35;
/// Grey hair is no lighter than the forehead's middle plus this, L* (a highlight on a bald head's side, near
/// white and grey, is lighter).
pub const GREY_HAIR_ABOVE_L: f32 = 5.0;
/// Least relative chroma of the forehead for [`grey_hair`] to judge by colour: a grey-looking forehead (a
/// washed-out or pale photo: outside test s41's pale skin 0.10) says nothing of the hair's colour.
pub const GREY_HAIR_SKIN_CHROMA: f32 = 0.12;

/// Whether a colour of lightness `l` and (`a`, `b`) is grey or white hair against the skin `skin` (its
/// centre's L*, a*, b*): far greyer than the skin ([`GREY_HAIR_CHROMA`]) and not lighter than it
/// ([`GREY_HAIR_ABOVE_L`]). Dark hair is found by its darkness ([`is_hair`]).
pub fn grey_hair(l: f32, a: f32, b: f32, skin: &Feat) -> bool {
    let c = a.hypot(b) / (l + 16.0).max(1.0);
    let cs = skin[1].hypot(skin[2]) / (skin[0] + 16.0);
    cs >= GREY_HAIR_SKIN_CHROMA && l <= skin[0] + GREY_HAIR_ABOVE_L && c <= GREY_HAIR_CHROMA * cs
}

/// Relative luminance Y (0–1) of CIELAB L*.
pub fn y_of_l(l: f32) -> f32 {
    let f = (l + 16.0) / 116.0;
    if f > 6.0 / 29.0 {
        f * f * f
    } else {
        3.0 * (6.0f32 / 29.0).powi(2) * (f - 4.0 / 29.0)
    }
}

/// Whether the candidates `dark` (fringe pixels darker than the skin or grey, and unlike the background) are
/// hair rather than the head's own shadow: enough of them (at least 12, an eighth of the `fringe` window's
/// `fringe_n` pixels), and as a group far darker than the forehead ([`HAIR_Y_RATIO`]) without being the
/// forehead's colour in shadow ([`skin_in_shadow`]), grey or white ([`grey_hair`]), or textured
/// ([`HAIR_TEXTURE`]). `skin` is
/// the forehead's class, `skin_texture` its median texture.
pub fn is_hair(dark: &[Feat], fringe_n: usize, skin: &Class, skin_texture: f32) -> bool {
    if dark.len() < 12 || dark.len() * 8 < fringe_n {
        return false;
    }
    let med = |k: usize| median(&mut dark.iter().map(|f| f[k]).collect::<Vec<_>>());
    let (l, a, b, tex) = (med(0), med(1), med(2), med(3));
    let ratio = y_of_l(l) / y_of_l(skin.mu[0]).max(1e-4);
    (ratio < HAIR_Y_RATIO && !skin_in_shadow(l, a, b, &skin.mu))
        || grey_hair(l, a, b, &skin.mu)
        || tex >= HAIR_TEXTURE * skin_texture + HAIR_TEXTURE_ADD
}

/// The pixels of a `w` × `h` grid reachable from `seeds` through pixels `pass` accepts (4-neighbours).
pub fn flood(w: usize, h: usize, seeds: &[usize], pass: impl Fn(usize) -> bool) -> Vec<bool> {
    let mut seen = vec![false; w * h];
    let mut stack: Vec<usize> = seeds.iter().copied().filter(|&i| pass(i)).collect();
    for &i in &stack {
        seen[i] = true;
    }
    while let Some(i) = stack.pop() {
        let (x, y) = (i % w, i / w);
        let mut go = |j: usize| {
            if !seen[j] && pass(j) {
                seen[j] = true;
                stack.push(j);
            }
        };
        if x > 0 {
            go(i - 1);
        }
        if x + 1 < w {
            go(i + 1);
        }
        if y > 0 {
            go(i - w);
        }
        if y + 1 < h {
            go(i + w);
        }
    }
    seen
}

/// Lightness above which a skin pixel counts as a burnt-out highlight (flash or window light on the
/// forehead: the skin's own colour is lost there), L*.
pub const HIGHLIGHT_L: f32 = 90.0;
/// Share of the brightest skin pixels left out of the skin sample (the highlight of a domed forehead).
pub const HIGHLIGHT_SHARE: f64 = 0.5;

/// The client's skin colour from the pixels of a skin window (linear light), read robustly: the
/// brightest [`HIGHLIGHT_SHARE`] by L* and the darkest tenth (shadow, a stray hair) are left out and the
/// median of each channel of the rest is the colour. Returns the colour and the share of the window
/// that is burnt-out highlight (L* above [`HIGHLIGHT_L`]); `None` for an empty window. The one rule the
/// preview, `shade` and the server's advice use (probe s8 finding 4: the plain median read a tanned
/// forehead's highlight as #fce8d4).
pub fn skin_sample(px: &[Lin]) -> Option<(Lin, f64)> {
    if px.is_empty() {
        return None;
    }
    let mut v: Vec<(f32, Lin)> = px
        .iter()
        .map(|&c| (crate::color::lab_from_lin(c).l as f32, c))
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let highlight = v.iter().filter(|p| p.0 > HIGHLIGHT_L).count() as f64 / v.len() as f64;
    let lo = v.len() / 10;
    let hi = ((v.len() as f64 * (1.0 - HIGHLIGHT_SHARE)).ceil() as usize).max(lo + 1);
    let kept = &v[lo..hi.min(v.len())];
    let colour = [0, 1, 2].map(|k| median(&mut kept.iter().map(|p| p.1[k]).collect::<Vec<_>>()));
    Some((colour, highlight))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wall_and_a_suit_keep_their_own_components() {
        let mut seed = Vec::new();
        for i in 0..300 {
            let n = (i % 7) as f32 * 0.3;
            seed.push([95.0 + n, 0.5, 2.0, 0.5]);
            seed.push([12.0 + n, 0.0, -2.0, 1.0]);
        }
        let m = Mixture::fit(&seed, [4.0, 2.0, 2.0, 1.0]);
        assert_eq!(m.parts.len(), 2, "{:?}", m.parts);
        // Skin half-way in lightness is unlike both (one wide Gaussian would have covered it).
        let skin = [55.0, 15.0, 18.0, 1.0];
        assert!(m.colour_distance2(&skin) > 25.0);
        assert!(m.log_lik(&[95.0, 0.5, 2.0, 0.5]) > m.log_lik(&skin) + 20.0);
    }

    #[test]
    fn shaded_skin_is_not_hair_but_dark_or_grainy_fringe_is() {
        let forehead = vec![[78.0, 14.0, 16.0, 0.8]; 50];
        let skin = Class::fit(&forehead, [12.0, 5.0, 6.0, 1.5]);
        // The shadowed side of a bald head (#ae8e86 beside #eeb7a3): 17 L* darker, smooth.
        let shadow = vec![[62.0, 10.0, 10.0, 0.9]; 40];
        assert!(!is_hair(&shadow, 100, &skin, 0.8));
        // Dark hair: far darker.
        let dark = vec![[25.0, 4.0, 6.0, 1.0]; 40];
        assert!(is_hair(&dark, 100, &skin, 0.8));
        // Light-brown hair as light as a shadow, but grainy.
        let grainy = vec![[60.0, 8.0, 18.0, 4.0]; 40];
        assert!(is_hair(&grainy, 100, &skin, 0.8));
        // Brown skin's shaded side, as dark as hair but the forehead's colour in shadow (outside probe
        // s26: a shaved head's rim, #47251b beside a #a35d40 forehead), is not hair; black hair on the
        // same skin is.
        let brown = Class::fit(&vec![[48.0, 25.0, 29.0, 0.8]; 50], [12.0, 5.0, 6.0, 1.5]);
        let rim = vec![[19.5, 15.0, 13.5, 1.0]; 40];
        assert!(!is_hair(&rim, 100, &brown, 0.8));
        let black = vec![[16.0, 2.0, 2.5, 1.0]; 40];
        assert!(is_hair(&black, 100, &brown, 0.8));
        // Dark-brown hair beside a forehead washed out by its highlight (the reference photo: the hair
        // group more chromatic than the pale forehead) is hair.
        let pale = Class::fit(&vec![[89.9, 6.1, 18.3, 0.6]; 50], [12.0, 5.0, 6.0, 1.5]);
        assert!(is_hair(&vec![[16.9, 3.0, 7.3, 1.5]; 40], 100, &pale, 0.6));
        // …and the rim stays hair when it is grainy (stubble of the skin's colour).
        let stubble = vec![[19.5, 15.0, 13.5, 4.0]; 40];
        assert!(is_hair(&stubble, 100, &brown, 0.8));
        // Too few of them.
        assert!(!is_hair(&dark[..10], 100, &skin, 0.8));
        assert!(!is_hair(&dark, 1000, &skin, 0.8));
    }

    #[test]
    fn flood_stops_at_what_does_not_pass() {
        // 5 × 3: a wall of blocked pixels in column 2.
        let pass = |i: usize| i % 5 != 2;
        let r = flood(5, 3, &[0], pass);
        assert!(r[0] && r[1] && r[5] && r[11]);
        assert!(!r[3] && !r[4] && !r[2]);
    }
}
