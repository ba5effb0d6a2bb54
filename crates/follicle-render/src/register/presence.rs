//! Is there a head where the marks are? Three marks on any picture register (a blank wall, a grey test
//! image): probe s8 finding 10 drew 7,911 impressions on a uniform grey picture with only a warning about
//! the head's outline. A front photo's forehead, 25–60 mm above the glabella within 30 mm of the midline
//! (the skin window `scalp` seeds its skin class from), must be skin: coloured (skin of every type has a
//! chroma C* of 10 or more; under [`MIN_SKIN_CHROMA`] it is grey, a black-and-white photo or no face),
//! and, when the head's outline was not found either, different from the photo's left and right edges
//! (the background) by at least [`MIN_HEAD_CONTRAST`] ΔE. Either failure refuses the photo, naming what
//! was not found. `views::register_photo` applies it to every front photo it registers
//! (`RegisterError::NoHead`), so the CLI, the server and the editor's photo pane refuse alike.

use super::Registration;
use crate::color::{ciede2000, lab_from_lin, lin_from_lab, Lab, SrgbLut};
use crate::photo::Photo;
use crate::scalp::FaceFrame;
use crate::views::PhotoView;
use follicle_core::Plan;

/// Least chroma (C*) of the forehead for it to be skin.
pub const MIN_SKIN_CHROMA: f64 = 4.0;
/// Least colour difference (ΔE00) between the forehead and the photo's edges when no head outline was found.
pub const MIN_HEAD_CONTRAST: f64 = 6.0;

/// The median Lab colour of the photo's pixels where `inside` holds, sampled every `step` pixels.
fn median_lab(
    photo: &Photo,
    step: usize,
    inside: impl Fn(usize, usize) -> bool,
) -> Option<(Lab, usize)> {
    let lut = SrgbLut::new();
    let mut ch: [Vec<f64>; 3] = Default::default();
    for y in (0..photo.h).step_by(step.max(1)) {
        for x in (0..photo.w).step_by(step.max(1)) {
            if !inside(x, y) {
                continue;
            }
            let i = (y * photo.w + x) * 3;
            let lab = lab_from_lin([0, 1, 2].map(|k| lut.to_lin[photo.rgb[i + k] as usize]));
            ch[0].push(lab.l);
            ch[1].push(lab.a);
            ch[2].push(lab.b);
        }
    }
    let n = ch[0].len();
    if n == 0 {
        return None;
    }
    let [l, a, b] = ch.map(|mut v| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    });
    Some((Lab { l, a, b }, n))
}

/// Least chroma of a light background for its colour to be read as the photo's colour cast.
pub const MIN_CAST_CHROMA: f64 = 5.0;
/// Least lightness (L*) of a background whose colour is read as the photo's cast (a light wall).
pub const MIN_CAST_LIGHTNESS: f64 = 50.0;
/// Least chroma of the forehead's colour against a cast background for it to be skin (skin of every
/// type has 10 or more in neutral light).
pub const MIN_SKIN_CHROMA_AGAINST_CAST: f64 = 10.0;

/// Whether a forehead reading grey (`skin`) is skin whose colour a cast of the photo's light cancels: the
/// light background (`bg`, the photo's edges) carries a cast of [`MIN_CAST_CHROMA`] or more, and with the
/// photo white-balanced on it (each linear channel divided by the background's, von Kries) the forehead
/// has skin's chroma ([`MIN_SKIN_CHROMA_AGAINST_CAST`]) at a skin hue ([`crate::scalp::SKIN_HUE_DEGREES`]).
/// Outside test s37: the reference photo under a moderate bluish (overcast, shade) white balance read its
/// forehead at chroma 3.8 and was refused as "not a colour photo", while weaker and stronger casts passed.
/// A grey or white cap under the same cast is as blue as the wall and balances to grey.
pub fn cast_cancels_skin(skin: Lab, bg: Lab) -> bool {
    let cast = bg.a.hypot(bg.b);
    if !(bg.l >= MIN_CAST_LIGHTNESS && cast >= MIN_CAST_CHROMA) {
        return false;
    }
    let (s, w) = (lin_from_lab(skin), lin_from_lab(bg));
    // The background's luminance kept: only its colour is balanced away.
    let y = 0.2126 * w[0] + 0.7152 * w[1] + 0.0722 * w[2];
    let balanced = [0, 1, 2].map(|k| s[k] / w[k].max(1e-4) * y);
    let lab = lab_from_lin(balanced);
    let hue = lab.b.atan2(lab.a).to_degrees().rem_euclid(360.0);
    let (lo, hi) = crate::scalp::SKIN_HUE_DEGREES;
    lab.a.hypot(lab.b) >= MIN_SKIN_CHROMA_AGAINST_CAST && (lo..=hi).contains(&hue)
}

/// Share of the forehead burnt out to white at which a colourless forehead is said to be overexposed.
pub const MAX_BURNT_OUT: f64 = 0.25;

/// The share of the photo's pixels where `inside` holds (sampled every `step` pixels) that are burnt out:
/// every channel at 250 or more.
fn burnt_out_share(photo: &Photo, step: usize, inside: impl Fn(usize, usize) -> bool) -> f64 {
    let (mut n, mut white) = (0usize, 0usize);
    for y in (0..photo.h).step_by(step.max(1)) {
        for x in (0..photo.w).step_by(step.max(1)) {
            if !inside(x, y) {
                continue;
            }
            n += 1;
            let i = (y * photo.w + x) * 3;
            if photo.rgb[i..i + 3].iter().all(|&c| c >= 250) {
                white += 1;
            }
        }
    }
    if n == 0 {
        0.0
    } else {
        white as f64 / n as f64
    }
}

/// Refuses a front photo with no head at its marks: the forehead is not skin-coloured, or (with no head
/// outline found) has the colour of the photo's edges. Other views pass (their classifier is the head's
/// outline only: docs/photo-scalp.md).
pub fn check_head_found(photo: &Photo, plan: &Plan, reg: &Registration) -> Result<(), String> {
    if reg.view != PhotoView::Front {
        return Ok(());
    }
    let Some(frame) = FaceFrame::new(plan, reg) else {
        return Ok(());
    };
    // About 2000 samples of the window, whatever the photo's scale.
    let step = ((reg.px_per_mm * 35.0 * 60.0 / 2000.0f64).sqrt().floor() as usize).max(1);
    let forehead = median_lab(photo, step, |x, y| {
        let (along, up) = frame.mm(x as f64 + 0.5, y as f64 + 0.5);
        along.abs() <= 30.0 && (25.0..=60.0).contains(&up)
    });
    let Some((skin, n)) = forehead else {
        return Ok(()); // the window lies off the photo: the registration's checks speak for the marks
    };
    if n < 20 {
        return Ok(());
    }
    let chroma = skin.a.hypot(skin.b);
    // Burnt out to white by the light or a flash, the forehead has no colour left to read: say so, not
    // that the photo is grey (outside probe s22: the reference photo brightened 1.2× was refused as "not a
    // colour photo" with 42 % of its forehead at pure white).
    let burnt = burnt_out_share(photo, step, |x, y| {
        let (along, up) = frame.mm(x as f64 + 0.5, y as f64 + 0.5);
        along.abs() <= 30.0 && (25.0..=60.0).contains(&up)
    });
    if chroma < MIN_SKIN_CHROMA && burnt >= MAX_BURNT_OUT {
        return Err(format!(
            "the forehead is overexposed: {:.0} % of it, 25–60 mm above the glabella, is burnt out to white by the light or the flash, so the skin's colour cannot be read from it; take the photo again in softer light, without the flash",
            burnt * 100.0
        ));
    }
    // The photo's edges (its background), read again below when no head outline was found.
    let edges = || {
        let band = (photo.w.max(photo.h) / 50).max(2);
        let edge_step = (photo.h / 200).max(1);
        median_lab(photo, edge_step, |x, _| x < band || x + band >= photo.w).map(|e| e.0)
    };
    if chroma < MIN_SKIN_CHROMA && !edges().is_some_and(|bg| cast_cancels_skin(skin, bg)) {
        return Err(format!(
            "no skin was found above the marks: the forehead 25–60 mm above the glabella is grey (chroma {chroma:.1}; skin has 10 or more), so this is not a colour photo of the client's face, the marks are not on the face, or a grey or white hat or cap covers the head: use a colour photo of the client with the head uncovered and mark the glabella and eye corners on it"
        ));
    }
    if reg.silhouette.as_ref().is_some_and(|s| !s.used) {
        if let Some(bg) = edges() {
            let de = ciede2000(skin, bg);
            if de < MIN_HEAD_CONTRAST {
                return Err(format!(
                    "no head was found around the marks: the forehead above the glabella has the colour of the photo's edges (ΔE {de:.1}) and no head outline was found; check that this is the client's photo and that the marks are on the face"
                ));
            }
        }
    }
    Ok(())
}

/// Refuses a front photo whose top edge cuts through the head ([`super::outline::top_cut_off`]), judged in
/// the frame of the marks themselves (the glabella, the eye line, the eye corners' distance at the plan's
/// canthal width), before any fit: a fit would take the scalp's edge against the forehead for the top of
/// the head and slide the hairline down (or refuse the marks, blaming them).
pub fn check_whole_head(photo: &Photo, plan: &Plan, marks: &super::Marks) -> Result<(), String> {
    let Some([g, r, l]) = super::face_check::face_marks(marks) else {
        return Ok(());
    };
    let (dx, dy) = (l[0] - r[0], l[1] - r[1]);
    let px = dx.hypot(dy);
    let lm = &plan.landmarks;
    let mm = (lm.lateral_canthus_left.x - lm.lateral_canthus_right.x).abs();
    if px <= 0.0 || mm <= 0.0 || dx <= 0.0 {
        return Ok(()); // marks swapped or on one point: the fit says what is wrong with them
    }
    let axes = super::outline::FaceAxes {
        glabella: g,
        across: [dx / px, dy / px],
        px_per_mm: px / mm,
    };
    // The glabella midway between the corners along the eye line (within a fifth of their spacing, as a
    // head turned up to 35° keeps it): no corner marked far off, so their spacing gives the scale.
    let mid = [(r[0] + l[0]) / 2.0, (r[1] + l[1]) / 2.0];
    let along = ((g[0] - mid[0]) * dx + (g[1] - mid[1]) * dy) / px;
    let scale_sure = along.abs() <= 0.2 * px;
    match super::outline::top_cut_off(photo, &axes, scale_sure) {
        Some(words) => Err(words),
        None => Ok(()),
    }
}
