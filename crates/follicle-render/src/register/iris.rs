//! Is an outer-eye-corner mark on the eye itself? Where the upper and lower lids meet, the eye lies wholly
//! on the nose's side of the mark, its iris about 14 mm in (half the canthal width, 45 mm, less half the
//! pupils' spacing, 31 mm). A mark on the pupil, or toward the nose, has the iris under it or beside it.
//! The face marks' fit cannot tell: three marks fit almost any head, and the outline the fit then finds
//! (the clipped hair meeting bald skin, inside the head) may agree with the too-small scale (outside test
//! s44: both corners 17–22 px toward the nose, or on the pupils, drew the hairline down the forehead).
//!
//! Read along the eye line through each corner: at each step inward, the darkest few pixels of a band 8 mm
//! high (lashes, iris, pupil), smoothed over 2 mm; the iris is the darkest place. It counts only where the
//! eye stands out (a side in shadow shows a flat profile and says nothing). On the reference photo's lit
//! eye the iris lies 12 mm in from the hand mark and 0.5 mm, −4 mm and −0.5 mm from marks 17 px in, 22 px
//! in and on the pupil; its lid crease beside the corner lies 12 L* lighter than the iris.

use super::eyes::lstar_at;
use crate::color::SrgbLut;
use crate::photo::Photo;

/// The profile runs from this far outside the corner (negative) to this far in, mm.
const PROFILE_MM: (f64, f64) = (-12.0, 30.0);
/// The iris is looked for between these offsets, mm.
const SEARCH_MM: (f64, f64) = (-6.0, 22.0);
/// Step along the eye line, mm.
const STEP_MM: f64 = 0.5;
/// Half the band's height about the eye line, mm.
const BAND_HALF_MM: f64 = 4.0;
/// The darkest this many samples of the band make a step's value.
const DARKEST: usize = 3;
/// Smoothing along the line, steps either side (±1 mm).
const SMOOTH: usize = 2;
/// The iris stands out when it lies this many L* under the profile's median (the lit eye of the reference
/// photo: 26–27; its eye in shadow: 3).
pub const IRIS_CLEAR_L: f64 = 15.0;
/// Steps within this many L* of the darkest, next to it, are the same dark run (the iris).
const PLATEAU_L: f64 = 3.0;
/// A corner mark whose iris lies less than this far toward the nose is on the eye, mm.
pub const IRIS_NEAR_MM: f64 = 5.0;

/// How far toward the nose the iris lies from the eye-corner mark `c`, mm, where it stands out
/// ([`IRIS_CLEAR_L`]); `inward` is the unit pixel direction toward the nose along the eye line and `ppm`
/// the pixels per mm. `None` when the eye does not stand out or the profile leaves the photo.
pub fn iris_inward_mm(photo: &Photo, c: [f64; 2], inward: [f64; 2], ppm: f64) -> Option<f64> {
    if !(ppm.is_finite() && ppm > 0.0) {
        return None;
    }
    let lut = SrgbLut::new();
    let down = [-inward[1], inward[0]];
    let steps = ((PROFILE_MM.1 - PROFILE_MM.0) / STEP_MM).round() as usize;
    let band = (2.0 * BAND_HALF_MM / STEP_MM).round() as usize;
    let mut raw = Vec::with_capacity(steps + 1);
    for i in 0..=steps {
        let t = PROFILE_MM.0 + i as f64 * STEP_MM;
        let mut v: Vec<f64> = (0..=band)
            .filter_map(|j| {
                let d = -BAND_HALF_MM + j as f64 * STEP_MM;
                let x = c[0] + (inward[0] * t + down[0] * d) * ppm;
                let y = c[1] + (inward[1] * t + down[1] * d) * ppm;
                lstar_at(photo, &lut, x, y)
            })
            .collect();
        if v.len() < DARKEST {
            return None;
        }
        v.sort_by(f64::total_cmp);
        raw.push(v[..DARKEST].iter().sum::<f64>() / DARKEST as f64);
    }
    let smooth: Vec<f64> = (0..raw.len())
        .map(|i| {
            let (a, b) = (i.saturating_sub(SMOOTH), (i + SMOOTH).min(raw.len() - 1));
            raw[a..=b].iter().sum::<f64>() / (b - a + 1) as f64
        })
        .collect();
    let mut sorted = smooth.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let at = |t: f64| ((t - PROFILE_MM.0) / STEP_MM).round() as usize;
    let (i, darkest) = (at(SEARCH_MM.0)..=at(SEARCH_MM.1))
        .map(|i| (i, smooth[i]))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    if median - darkest < IRIS_CLEAR_L {
        return None;
    }
    // The middle of the dark run about the darkest step (an iris darkest all across reads as a plateau).
    let dark = |j: &usize| smooth[*j] <= darkest + PLATEAU_L;
    let lo = (0..i).rev().take_while(dark).last().unwrap_or(i);
    let hi = (i + 1..smooth.len()).take_while(dark).last().unwrap_or(i);
    Some(PROFILE_MM.0 + (lo + hi) as f64 / 2.0 * STEP_MM)
}

/// Pixels per mm at the outer eye corners `r` and `l` (pixels), from their spacing on `plan`'s head.
pub fn corner_scale(plan: &follicle_core::Plan, r: [f64; 2], l: [f64; 2]) -> f64 {
    let lm = &plan.landmarks;
    let mm = (lm.lateral_canthus_left - lm.lateral_canthus_right).norm();
    (l[0] - r[0]).hypot(l[1] - r[1]) / mm.max(1e-6)
}

/// Where the iris lies from a corner where the lids meet, mm: half the canthal width (45 mm) less half
/// the pupils' spacing (31 mm); a gaze to one side moves it a few mm (the reference photo: 12 mm).
pub const IRIS_AT_CORNER_MM: f64 = 14.0;
/// A corner mark whose iris lies farther in than this is beyond the eye, on the skin toward the temple,
/// mm (outside test s45: both corners 20 px, 12 mm, outward read 20 mm; 15 px read 18.5 mm).
pub const IRIS_FAR_MM: f64 = 19.0;

/// Which outer-eye-corner mark lies beyond its eye ([`IRIS_FAR_MM`]): 0 for the right corner, 1 for the
/// left, with how far in its iris lies, mm; as [`corner_on_the_eye`].
pub fn corner_beyond_the_eye(
    photo: &Photo,
    r: [f64; 2],
    l: [f64; 2],
    ppm: f64,
) -> Option<(usize, f64)> {
    irises(photo, r, l, ppm)
        .into_iter()
        .enumerate()
        .filter_map(|(k, t)| Some((k, t?)))
        .filter(|&(_, t)| t > IRIS_FAR_MM)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// [`iris_inward_mm`] of both corner marks `r` and `l`, at `ppm` pixels per mm.
fn irises(photo: &Photo, r: [f64; 2], l: [f64; 2], ppm: f64) -> [Option<f64>; 2] {
    let (dx, dy) = (l[0] - r[0], l[1] - r[1]);
    let px = dx.hypot(dy);
    if px <= 0.0 {
        return [None, None];
    }
    let e = [dx / px, dy / px];
    [
        iris_inward_mm(photo, r, e, ppm),
        iris_inward_mm(photo, l, [-e[0], -e[1]], ppm),
    ]
}

/// Which outer-eye-corner mark lies on its eye ([`IRIS_NEAR_MM`]): 0 for the right corner (the photo's
/// left), 1 for the left, with how far in its iris lies, mm. `r` and `l` are the marks, `ppm` the pixels
/// per mm at their spacing.
pub fn corner_on_the_eye(
    photo: &Photo,
    r: [f64; 2],
    l: [f64; 2],
    ppm: f64,
) -> Option<(usize, f64)> {
    irises(photo, r, l, ppm)
        .into_iter()
        .enumerate()
        .find_map(|(k, t)| t.filter(|&t| t < IRIS_NEAR_MM).map(|t| (k, t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Skin with two eyes at 2 px/mm: each a light almond 30 mm long with a dark iris 11 mm across whose
    /// centre lies 14 mm in from the outer corner; the outer corners at (40, 100) and (220, 100).
    fn face() -> Photo {
        let (w, h) = (260, 200);
        let mut rgb = vec![0u8; w * h * 3];
        for y in 0..h {
            for x in 0..w {
                let (xf, yf) = (x as f64, y as f64);
                let mut c = [225, 180, 150];
                for (corner, inward) in [(40.0, 1.0), (220.0, -1.0)] {
                    let t = (xf - corner) * inward / 2.0; // mm in from the corner
                    let v = (yf - 100.0) / 2.0;
                    if (0.0..30.0).contains(&t)
                        && v.abs() < 5.0 * (1.0 - ((t - 15.0) / 15.0).powi(2))
                    {
                        c = [240, 235, 230];
                    }
                    if (t - 14.0).hypot(v) < 5.5 {
                        c = [60, 40, 30];
                    }
                }
                rgb[3 * (y * w + x)..3 * (y * w + x) + 3].copy_from_slice(&c);
            }
        }
        Photo {
            w,
            h,
            rgb,
            exif_orientation: 1,
        }
    }

    #[test]
    fn the_iris_lies_in_from_a_corner_mark_and_under_a_pupil_mark() {
        let photo = face();
        let t = iris_inward_mm(&photo, [40.0, 100.0], [1.0, 0.0], 2.0).unwrap();
        assert!((t - 14.0).abs() <= 3.0, "{t}");
        assert_eq!(
            corner_on_the_eye(&photo, [40.0, 100.0], [220.0, 100.0], 2.0),
            None
        );
        // Both marks on the pupils (28 mm in from each corner), the scale read from their spacing.
        let (r, l) = ([68.0, 100.0], [192.0, 100.0]);
        let ppm = 124.0 / 90.0;
        let (k, t) = corner_on_the_eye(&photo, r, l, ppm).expect("on the eye");
        assert!(k == 0 && t.abs() < 3.0, "{k} {t}");
        assert_eq!(
            corner_beyond_the_eye(&photo, [40.0, 100.0], [220.0, 100.0], 2.0),
            None
        );
        // Both marks 7 mm out toward the temples.
        let (r, l) = ([26.0, 100.0], [234.0, 100.0]);
        let (k, t) = corner_beyond_the_eye(&photo, r, l, 2.0).expect("beyond");
        assert!(t > IRIS_FAR_MM, "{k} {t}");
        // A plain patch of skin shows no iris.
        let plain = Photo {
            w: 100,
            h: 100,
            rgb: vec![200; 30_000],
            exif_orientation: 1,
        };
        assert_eq!(iris_inward_mm(&plain, [10.0, 50.0], [1.0, 0.0], 1.0), None);
    }
}
