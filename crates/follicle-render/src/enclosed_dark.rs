//! Something dark inside the bald top, enclosed by bald skin: sunglasses pushed up onto the head, a hair clip,
//! a dark sticker or marker, or an island of retained hair (a forelock left in front of a receding
//! hairline). The scalp map reads all of them as hair, and the shaved and after pictures draw them as clipped
//! stubble in their shape (outside test s42: sunglasses on the reference photo's bald top came out as two
//! stubble-textured lenses, the guard advice changed, and the only warning asked for a darker last session).
//! The colours cannot tell an object from an island of hair, so this is said, not refused: the practitioner
//! knows which it is.
//!
//! A region of retained hair is enclosed when none of it comes within [`ENCLOSED_FROM_BACKDROP_MM`] of the
//! backdrop or the photo's edge: the fringe (sides, back, temples) runs out to the head's outline against
//! the wall, and a headband across the head does too (it is not said).

use crate::scalp::ScalpMap;

/// Least area of the enclosed dark regions said, cm² (a pair of sunglass lenses on the reference photo: about
/// 20 cm²; a mole or a scar's shadow is well under it).
pub const ENCLOSED_DARK_CM2: f64 = 2.0;

/// Least distance from the backdrop (or the photo's edge) of every pixel of an enclosed region, mm: the
/// retained fringe runs out to the head's outline, though the map leaves a few millimetres of clipped edge
/// between its hair and the wall (on the reference photo its sides' hair came within 1–3 mm of it).
pub const ENCLOSED_FROM_BACKDROP_MM: f64 = 10.0;

/// The area (cm², at `px_per_mm` on the scalp) of the retained hair on `map` in regions that come no nearer
/// than [`ENCLOSED_FROM_BACKDROP_MM`] to the backdrop or the photo's edge.
pub fn enclosed_dark_cm2(map: &ScalpMap, px_per_mm: f64) -> f64 {
    let (w, h) = (map.w, map.h);
    if w == 0
        || h == 0
        || px_per_mm <= 0.0
        || map.hair.len() != w * h
        || map.background.len() != w * h
    {
        return 0.0;
    }
    let mm_per_px = map.step as f64 / px_per_mm;
    // Distance (working pixels, 4-neighbour steps) of every pixel from the backdrop and the photo's edge.
    let mut far = vec![u32::MAX; w * h];
    let mut queue = std::collections::VecDeque::new();
    for (i, f) in far.iter_mut().enumerate() {
        let (x, y) = (i % w, i / w);
        if map.background[i] > 0.5 || x == 0 || y == 0 || x + 1 == w || y + 1 == h {
            *f = 0;
            queue.push_back(i);
        }
    }
    while let Some(i) = queue.pop_front() {
        let (x, y) = (i % w, i / w);
        for j in neighbours(i, x, y, w, h) {
            if far[j] == u32::MAX {
                far[j] = far[i] + 1;
                queue.push_back(j);
            }
        }
    }
    let hair = |i: usize| map.hair[i] > 0.5;
    let mut seen = vec![false; w * h];
    let mut enclosed = 0usize;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if seen[start] || !hair(start) {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut size, mut nearest) = (0usize, u32::MAX);
        while let Some(i) = stack.pop() {
            size += 1;
            nearest = nearest.min(far[i]);
            for j in neighbours(i, i % w, i / w, w, h) {
                if !seen[j] && hair(j) {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        if f64::from(nearest) * mm_per_px >= ENCLOSED_FROM_BACKDROP_MM {
            enclosed += size;
        }
    }
    enclosed as f64 * mm_per_px * mm_per_px / 100.0
}

/// Least width across the head over which a band of retained hair has bald scalp both above and below it to
/// be said, mm (a headband across the reference photo's top spans about 130 mm; its own fringe, at the sides,
/// has no bald scalp below it).
pub const BAND_ACROSS_MM: f64 = 60.0;
/// Least bald scalp above and below a band in a column, mm.
pub const BAND_SCALP_MM: f64 = 10.0;

/// The area (cm²) of the retained hair on `map` in regions that lie across the bald top: over at least
/// [`BAND_ACROSS_MM`] of columns, bald scalp above the region and below it. A dark headband or a cap's
/// edge across the head (outside test s42: drawn as a stubble stripe, and not said, for it reaches the outline
/// at both ends), or a band of the client's own hair between a receding front and a bald crown.
pub fn band_across_cm2(map: &ScalpMap, px_per_mm: f64) -> f64 {
    let (w, h) = (map.w, map.h);
    if w == 0
        || h == 0
        || px_per_mm <= 0.0
        || map.hair.len() != w * h
        || map.scalp.len() != w * h
        || map.skull.len() != w * h
    {
        return 0.0;
    }
    let mm_per_px = map.step as f64 / px_per_mm;
    let scalp = |i: usize| map.scalp[i] > 0.5;
    let hair = |i: usize| map.hair[i] > 0.5;
    // Per column, the bald scalp pixels above each row (prefix counts, h + 1 per column).
    let least = (BAND_SCALP_MM / mm_per_px).ceil() as usize;
    let mut upto = vec![0usize; w * (h + 1)];
    for x in 0..w {
        for y in 0..h {
            upto[x * (h + 1) + y + 1] = upto[x * (h + 1) + y] + usize::from(scalp(y * w + x));
        }
    }
    let scalp_between =
        |x: usize, from: usize, to: usize| upto[x * (h + 1) + to] - upto[x * (h + 1) + from];
    // The middle column of the registered head (its skull's outline).
    let middle = {
        let (mut lo, mut hi) = (usize::MAX, 0);
        for (i, &k) in map.skull.iter().enumerate() {
            if k > 0.5 {
                (lo, hi) = (lo.min(i % w), hi.max(i % w));
            }
        }
        (lo <= hi).then_some((lo + hi) / 2)
    };
    let mut seen = vec![false; w * h];
    let (mut band, mut stack, mut pixels) = (0usize, Vec::new(), Vec::new());
    for start in 0..w * h {
        if seen[start] || !hair(start) {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        pixels.clear();
        while let Some(i) = stack.pop() {
            pixels.push(i);
            for j in neighbours(i, i % w, i / w, w, h) {
                if !seen[j] && hair(j) {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        // Per column the region's rows; a column is crossed where one run of them has at least
        // [`BAND_SCALP_MM`] of bald scalp between it and the next hair above, and as much below (a headband
        // joins the fringe at the outline, and over the crown the fringe's rim lies above it in the same
        // column: outside test s42).
        let mut rows: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for &i in &pixels {
            rows.entry(i % w).or_default().push(i / w);
        }
        // Per crossed column, the pixels of its runs that lie between bald scalp.
        let crossed: std::collections::BTreeMap<usize, usize> = rows
            .iter_mut()
            .filter_map(|(&x, ys)| {
                ys.sort_unstable();
                let mut runs: Vec<(usize, usize)> = Vec::new();
                for &y in ys.iter() {
                    match runs.last_mut() {
                        Some(r) if y == r.1 + 1 => r.1 = y,
                        _ => runs.push((y, y)),
                    }
                }
                let between: usize = (0..runs.len())
                    .filter(|&k| {
                        let over = if k == 0 { 0 } else { runs[k - 1].1 + 1 };
                        let under = runs.get(k + 1).map_or(h, |r| r.0);
                        scalp_between(x, over, runs[k].0) >= least
                            && scalp_between(x, runs[k].1 + 1, under) >= least
                    })
                    .map(|k| runs[k].1 + 1 - runs[k].0)
                    .sum();
                (between > 0).then_some((x, between))
            })
            .collect();
        let crosses = |x: usize| crossed.contains_key(&x);
        let across = crossed.len();
        // Across the middle of the head, not down its sides: the fringe at the sides has bald scalp above it
        // and, where it meets the temples, some below it too.
        if across as f64 * mm_per_px >= BAND_ACROSS_MM && middle.is_some_and(crosses) {
            band += crossed.values().sum::<usize>();
        }
    }
    band as f64 * mm_per_px * mm_per_px / 100.0
}

/// The warning for a band of [`ENCLOSED_DARK_CM2`] or more across the bald top ([`band_across_cm2`]).
pub fn band_across_words(cm2: f64) -> Option<String> {
    (cm2 >= ENCLOSED_DARK_CM2).then(|| {
        format!(
            "a dark band runs across the bald top, with bald scalp above and below it (about {cm2:.0} cm²): it is read as retained hair and drawn as a clipped stripe; if it is a headband, a cap's edge or a shadow, take it off (or light the head evenly) and photograph the client again; if it is a band of the client's own hair, the preview shows it clipped as planned"
        )
    })
}

/// The 4-neighbours of pixel `i` at (`x`, `y`) on a `w` × `h` grid.
fn neighbours(i: usize, x: usize, y: usize, w: usize, h: usize) -> impl Iterator<Item = usize> {
    [
        (x > 0).then(|| i - 1),
        (x + 1 < w).then(|| i + 1),
        (y > 0).then(|| i - w),
        (y + 1 < h).then(|| i + w),
    ]
    .into_iter()
    .flatten()
}

/// The warning for [`ENCLOSED_DARK_CM2`] or more of it, in words.
pub fn enclosed_dark_words(cm2: f64) -> Option<String> {
    (cm2 >= ENCLOSED_DARK_CM2).then(|| {
        format!(
            "something dark lies inside the bald top, enclosed by bald skin (about {cm2:.0} cm²): it is read as retained hair and drawn as clipped stubble in its shape; if it is an object on the head (sunglasses pushed up, a clip, a headband, a marker drawing), take it off and photograph the client again; if it is an island of the client's own hair, the preview shows it clipped as planned"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 40 × 30 working map: background on its border ring, scalp inside, and hair where `hair` says.
    fn map(hair: impl Fn(usize, usize) -> bool) -> ScalpMap {
        let (w, h) = (40, 30);
        let mut m = ScalpMap {
            w,
            h,
            step: 1,
            scalp: vec![0.0; w * h],
            hair: vec![0.0; w * h],
            bare: vec![0.0; w * h],
            background: vec![0.0; w * h],
            skull: vec![1.0; w * h],
            normal: Vec::new(),
            skin: [0.6, 0.45, 0.35],
            skin_highlight: 0.0,
            brightest: 0.8,
            hair_colour: None,
            seeds: [100, 100, 100],
            on_backdrop: 0.0,
            uneven_light: None,
            forehead_object: 0.0,
            top_object: 0.0,
            top_white: 0.0,
            top_hair: 0.0,
            wall: None,
        };
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                let ring = x < 2 || y < 2 || x >= w - 2 || y >= h - 2;
                m.background[i] = if ring { 1.0 } else { 0.0 };
                m.hair[i] = if !ring && hair(x, y) { 1.0 } else { 0.0 };
                m.scalp[i] = 1.0 - m.background[i] - m.hair[i];
            }
        }
        m
    }

    #[test]
    fn a_dark_patch_inside_the_scalp_is_measured_and_the_fringe_is_not() {
        // A 10 × 6 patch in the middle: 60 working pixels of 1 mm² at 1 px/mm.
        let patch = map(|x, y| (15..25).contains(&x) && (12..18).contains(&y));
        assert!((enclosed_dark_cm2(&patch, 1.0) - 0.6).abs() < 1e-9);
        assert!(enclosed_dark_words(enclosed_dark_cm2(&patch, 0.5))
            .unwrap()
            .contains("about 2 cm²"));
        // The fringe runs out to the backdrop: not enclosed, however large.
        let fringe = map(|x, _| !(8..32).contains(&x));
        assert_eq!(enclosed_dark_cm2(&fringe, 1.0), 0.0);
        assert_eq!(enclosed_dark_words(1.9), None);
    }

    #[test]
    fn a_band_across_the_bald_top_is_measured_and_a_rim_over_the_crown_is_not() {
        // At 0.2 px/mm (5 mm a working pixel): a band 3 rows tall from side to side, bald scalp 10 rows above
        // and below it; it reaches the backdrop at both ends, so it is not enclosed.
        let band = map(|_, y| (12..15).contains(&y));
        assert_eq!(enclosed_dark_cm2(&band, 0.2), 0.0);
        // 36 columns × 3 rows of 25 mm² each.
        assert!((band_across_cm2(&band, 0.2) - 27.0).abs() < 1e-9);
        assert!(band_across_words(27.0).unwrap().contains("headband"));
        // A rim of hair along the top (the fringe seen over the crown) with the sides: nothing above it.
        let rim = map(|x, y| y < 4 || !(8..32).contains(&x));
        assert_eq!(band_across_cm2(&rim, 0.2), 0.0);
        // A band down one side only, not across the middle.
        let side = map(|x, y| x < 15 && (12..15).contains(&y));
        assert_eq!(band_across_cm2(&side, 0.2), 0.0);
    }
}
