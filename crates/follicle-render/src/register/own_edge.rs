//! The head's own edge: on each side, where the background ends. The joint fit keeps the outline's edges
//! within a gate of the registered head; face marks that set too small a scale put the head's own edge
//! beyond it, and the fit then keeps an edge inside the head (clipped hair meeting bald skin) that agrees
//! with the wrong scale (outside tests s44, s45). Read here: its breadth against the registered outline,
//! counted only where it lies about the outline's centre, where the lowest heights agree, and where what
//! lies between it and the kept edge is head, not background (a door frame beside the head).

use super::eyes::lab_at;
use super::hull::signed_distance;
use super::joint::{pair_breadth_ratio, Pair};
use super::outline::{OutlineLine, Side};
use crate::color::SrgbLut;
use crate::photo::Photo;

/// The outermost edges at one height may lie off the outline's centre by this share of their spacing: a
/// head's own edge beyond a marks' scale set too small lies 7–8 % off (outside test s45: one corner 21–25
/// px toward the nose), an edge on one side only (a door frame, the next picture of a collage) more.
const OUTER_OFF_CENTRE: f64 = 0.1;

/// [`pair_breadth_ratio`] of the outermost edges at one height, `None` when they lie off the outline's
/// centre by more than [`OUTER_OFF_CENTRE`] of their spacing.
pub(super) fn outer_breadth_ratio(hull: &[[f64; 2]], pair: &Pair) -> Option<f64> {
    let (l, r) = *pair;
    let w = (r[0] - l[0]).hypot(r[1] - l[1]);
    let off = (signed_distance(hull, r) - signed_distance(hull, l)).abs() / 2.0;
    (off <= OUTER_OFF_CENTRE * w).then(|| pair_breadth_ratio(hull, pair))
}

/// Spread allowed between the lowest heights' readings of the head's own edge (max over min).
const OUTERMOST_SPREAD: f64 = 1.08;

/// The head's breadth against the outline `hull` read from the outermost edge on each side at the three
/// lowest heights with both, where the background ends: `None` unless there are three that agree within
/// [`OUTERMOST_SPREAD`] (a background's clutter does not).
pub(super) fn outermost_scale(lines: &[OutlineLine], hull: &[[f64; 2]]) -> Option<f64> {
    let ratios: Vec<f64> = lines
        .windows(2)
        .filter(|w| w[0].side == Side::Left && w[1].side == Side::Right)
        .filter_map(|w| {
            outer_breadth_ratio(
                hull,
                &(*w[0].candidates.first()?, *w[1].candidates.first()?),
            )
        })
        .take(3)
        .collect();
    let (lo, hi) = ratios
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &r| (a.min(r), b.max(r)));
    (ratios.len() == 3 && lo > 0.0 && hi / lo <= OUTERMOST_SPREAD)
        .then(|| ratios.iter().sum::<f64>() / 3.0)
}

/// What lies between a kept edge and an outermost edge beyond it counts as head when its colour differs
/// from the background's by this much, ΔE (CIE76): the reference photo's dark clipped hair or light bald
/// skin against its grey wall differ by 30 and more, wall against wall by a few.
const BETWEEN_DE: f64 = 12.0;
/// Nearer than this (pixels) the two edges are one.
const SAME_EDGE_PX: f64 = 3.0;

/// Each channel's median of `v` (at least 3 colours).
fn median(mut v: Vec<[f64; 3]>) -> Option<[f64; 3]> {
    if v.len() < 3 {
        return None;
    }
    let n = v.len() / 2;
    Some([0, 1, 2].map(|k| {
        v.sort_by(|a, b| a[k].total_cmp(&b[k]));
        v[n][k]
    }))
}

/// The background's colour: the median over the photo's top rows (a front photo shows background above the
/// head: `register::outline`'s top-edge check refuses one that does not).
pub(super) fn background_colour(photo: &Photo) -> Option<[f64; 3]> {
    let lut = SrgbLut::new();
    median(
        (0..photo.h.min(3))
            .flat_map(|y| (0..photo.w).map(move |x| (x, y)))
            .filter_map(|(x, y)| lab_at(photo, &lut, x as f64 + 0.5, y as f64 + 0.5))
            .collect(),
    )
}

/// Whether the stretch just beyond the kept edge `kept` toward the outermost edge `outer` is head rather
/// than background (its median colour differs from `background` by [`BETWEEN_DE`]): a door frame beside
/// the head on a plain wall leaves wall between (outside test s41). True when the two are one edge.
pub(super) fn head_between(
    photo: &Photo,
    background: [f64; 3],
    kept: [f64; 2],
    outer: [f64; 2],
) -> bool {
    let (dx, dy) = (outer[0] - kept[0], outer[1] - kept[1]);
    let len = dx.hypot(dy);
    if len <= SAME_EDGE_PX {
        return true;
    }
    let (ux, uy) = (dx / len, dy / len);
    let lut = SrgbLut::new();
    // Just beyond the kept edge, clear of its blur.
    let (from, to) = (0.1 * len + 1.0, (0.4 * len).max(0.1 * len + 3.0));
    let n = (to - from).ceil().max(1.0) as usize;
    let between = median(
        (0..=n)
            .filter_map(|s| {
                let t = from + (to - from) * s as f64 / n as f64;
                lab_at(photo, &lut, kept[0] + ux * t, kept[1] + uy * t)
            })
            .collect(),
    );
    between.is_none_or(|c| {
        let d = [0, 1, 2].map(|k| c[k] - background[k]);
        (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt() >= BETWEEN_DE
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::Photo;

    /// A 200 px square about the origin, counter-clockwise, for the outline.
    const SQUARE: [[f64; 2]; 4] = [
        [-100.0, -100.0],
        [100.0, -100.0],
        [100.0, 100.0],
        [-100.0, 100.0],
    ];

    fn line(side: Side, x: f64, y: f64) -> OutlineLine {
        OutlineLine {
            side,
            height_mm: -y,
            candidates: vec![[x, y]],
        }
    }

    #[test]
    fn what_lies_between_the_kept_and_the_outermost_edge_tells_head_from_wall() {
        // A grey wall (190) with dark hair (40) from x = 60 to 80 and a dark frame from x = 10 to 20.
        let (w, h) = (120, 40);
        let mut rgb = vec![190u8; w * h * 3];
        for y in 0..h {
            for x in (10..20).chain(60..80) {
                rgb[3 * (y * w + x)..3 * (y * w + x) + 3].copy_from_slice(&[40, 35, 30]);
            }
        }
        let photo = Photo {
            w,
            h,
            rgb,
            exif_orientation: 1,
        };
        let wall = background_colour(&photo).unwrap();
        // Kept at the hair's inner edge, the outermost at its outer one: hair between.
        assert!(head_between(&photo, wall, [80.0, 20.0], [60.0, 20.0]));
        // Kept at the hair's outer edge, the outermost at the frame: wall between.
        assert!(!head_between(&photo, wall, [60.0, 20.0], [20.0, 20.0]));
        // One edge.
        assert!(head_between(&photo, wall, [60.0, 20.0], [58.0, 20.0]));
    }

    #[test]
    fn the_heads_own_edge_counts_only_where_it_lies_about_the_outline() {
        // 20 px beyond the outline on both sides: 1.2 times as wide.
        let r = outer_breadth_ratio(&SQUARE, &([-120.0, 0.0], [120.0, 0.0])).unwrap();
        assert!((r - 1.2).abs() < 1e-9, "{r}");
        // 7 % off the centre (one corner mark slipped toward the nose) still counts.
        assert!(outer_breadth_ratio(&SQUARE, &([-110.0, 0.0], [146.0, 0.0])).is_some());
        // An edge beyond one side only (a door frame, the next picture of a collage) does not.
        assert_eq!(
            outer_breadth_ratio(&SQUARE, &([-100.0, 0.0], [160.0, 0.0])),
            None
        );
        // Three heights agreeing make a reading; one far off among them makes none.
        let lines = |xs: [f64; 3]| -> Vec<OutlineLine> {
            xs.iter()
                .enumerate()
                .flat_map(|(i, &x)| {
                    let y = 50.0 - 30.0 * i as f64;
                    [line(Side::Left, -x, y), line(Side::Right, x, y)]
                })
                .collect()
        };
        let k = outermost_scale(&lines([120.0, 122.0, 118.0]), &SQUARE).unwrap();
        assert!((k - 1.2).abs() < 0.02, "{k}");
        assert_eq!(
            outermost_scale(&lines([120.0, 160.0, 118.0]), &SQUARE),
            None
        );
        assert_eq!(
            outermost_scale(&lines([120.0, 122.0, 118.0])[..4], &SQUARE),
            None
        );
    }
}
