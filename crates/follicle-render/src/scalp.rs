//! The visible scalp on a registered photo: which pixels show bald skin that pigment may land on, which
//! show retained hair (drawn shaved in the preview), and which are face, background or off the head.
//!
//! No trained model: a colour-and-texture classifier seeded from what the registration already knows
//! (docs/photo-scalp.md). Every pixel is cast as a ray of the registered camera onto the plan's head; the
//! hand-marked eye line gives a face box (brows, eyes, temples beside the eyes) that is never touched.
//! Three classes are seeded from regions the geometry names: **skin** from the forehead (25–70 mm above
//! the glabella, within 40 mm of the midline, less anything 30 L* darker than its middle), **background**
//! from rays that miss the head grown by 30 % and from a band along the photo's left and right borders
//! (less what has the forehead's colour), and **hair** from the sides of the head above the ears (the
//! fringe every Norwood pattern keeps, 60–90 mm from the midline) only when those pixels are hair-like:
//! far darker than the forehead or grainy (`scalp_model::is_hair`; the shadowed sides of a bald head are
//! not hair). Skin and hair are robust diagonal Gaussians over CIELAB and local texture, the background a
//! mixture of them (scalp_model.rs). The head is then what is connected to the forehead through pixels
//! that are not background (pockets inside the registered skull, such as a highlight as white as the
//! wall, count as head): a skin-coloured patch of a wall that does not touch the head is not scalp. The
//! probabilities are smoothed over about a millimetre, and an impression's ink fades out before the
//! background starts ([`ScalpMap::gate`]). Pure: values in, maps out.

use crate::color::Lin;
use crate::face_frame::smoothstep;
use crate::raster::LinearImage;
use crate::register::Registration;
use crate::scalp_light::UnevenLight;
use crate::scalp_model::{
    features, flood, grey_hair, is_hair, median, skin_in_shadow, skin_sample, y_of_l, Class, Feat,
    Mixture, HAIR_TEXTURE, HAIR_TEXTURE_ADD, HAIR_Y_RATIO,
};
use crate::scalp_outline::PhotoOutline;
use follicle_core::{Plan, Vec3};

pub use crate::face_frame::{
    FaceFrame, BROW_ARCH_MM, FACE_CLEAR_MM, FACE_HALF_MM, LOWEST_MM, TEMPLE_HALF_MM,
};

/// Longest side of the working picture the classifier runs on, pixels (a 12-megapixel photo is read at
/// about 0.4 px/mm on the scalp here; the maps are interpolated back to full size).
pub const WORK_SIDE: usize = 720;
/// The registered head grown by this factor bounds the pixels considered: a head turned a little more or
/// less than the fit says, or larger than the plan's, still lies inside (what misses it seeds the
/// background).
pub const GROW: f64 = 1.3;

/// Width of the fade between retained hair that stays as photographed (beside the face box, low on the
/// sides) and hair redrawn shaved, mm: wide enough that the kept hair turns into the shaved sides as a
/// barber's fade, not at a step (over 10 mm the reference photo showed a hard edge over his left temple).
pub const HAIR_FADE_MM: f64 = 20.0;
/// Height above the glabella over which retained hair beside the brows' tails may be clipped, mm (the tail
/// lies at about the glabella's height, 5–10 mm under the arch: the shaving fades in from here over
/// 0.6 × [`HAIR_FADE_MM`]).
pub const BROW_TAIL_CLEAR_MM: f64 = 10.0;

/// How much retained hair at (along, up) mm may be redrawn shaved: not on the face (brows, lashes), and
/// fading out from 20 mm above the glabella's level to 10 mm below it (sideburns and the hair around the
/// ears stay: a skin fade, as barbers clip it), with fades [`HAIR_FADE_MM`] wide so no seam shows.
/// The face box's top steps down from [`FACE_CLEAR_MM`] over the brows' arch to [`BROW_TAIL_CLEAR_MM`]
/// beside their tails: the temple hair above a brow's tail is clipped with the sides (session 35: kept up
/// to 22 mm there, it was a block of long dark hair under the razor-shaved temple, a dark blotch).
pub fn hair_allowed(along: f64, up: f64) -> f64 {
    let clear = FACE_CLEAR_MM
        - (FACE_CLEAR_MM - BROW_TAIL_CLEAR_MM)
            * smoothstep(BROW_ARCH_MM, FACE_HALF_MM, along.abs());
    let face = (1.0 - smoothstep(FACE_HALF_MM, FACE_HALF_MM + HAIR_FADE_MM, along.abs()))
        * (1.0 - smoothstep(clear, clear + 0.6 * HAIR_FADE_MM, up));
    (1.0 - face) * smoothstep(-10.0, -10.0 + 1.5 * HAIR_FADE_MM, up)
}

/// The classes of a registered photo's pixels.
#[derive(Clone, Debug)]
pub struct ScalpMap {
    /// Working picture width, pixels.
    pub w: usize,
    /// Working picture height, pixels.
    pub h: usize,
    /// Photo pixels per working pixel.
    pub step: usize,
    /// Probability (0–1) per working pixel that it shows bald scalp pigment may land on.
    pub scalp: Vec<f32>,
    /// Probability per working pixel that it shows retained hair on the head.
    pub hair: Vec<f32>,
    /// Probability per working pixel that it shows bare skin on the head, pigment or not: the bald scalp
    /// and the skin beside the face box (temples, in front of the ears), whose light the skin under the
    /// retained hair continues when it is shaved (`shaved.rs`).
    pub bare: Vec<f32>,
    /// Probability per working pixel that it shows the background (1 off the head, 0 on the face).
    pub background: Vec<f32>,
    /// Probability per working pixel that its ray meets the registered head itself (the plan's head, not
    /// grown): inside the skull's outline as the registration places it. Hair beyond it is clipped away.
    pub skull: Vec<f32>,
    /// The registered head's surface normal per working pixel (head frame; beyond the skull's outline the
    /// normal of the head grown to touch the pixel's ray, `dome::normals`): the dome the light on the skin
    /// under the clipped hair is fitted in. Empty where not known.
    pub normal: Vec<[f32; 3]>,
    /// The forehead skin colour (linear light, [`skin_sample`]: highlight and shadow left out).
    pub skin: Lin,
    /// Share of the forehead's skin window that is burnt-out highlight (0–1).
    pub skin_highlight: f64,
    /// The photo's brightest light: the 99th percentile over its working pixels of each pixel's brightest
    /// channel, in sRGB (0–1). Under [`UNDEREXPOSED_BELOW`] the photo is said to be underexposed.
    pub brightest: f64,
    /// The retained hair's colour where it is densest (linear light), if the fringe shows hair.
    pub hair_colour: Option<Lin>,
    /// Seed sizes: skin, hair, background (working pixels).
    pub seeds: [usize; 3],
    /// On a top, side or back photo: the share of the registered head's outline that shows the backdrop's
    /// colours (`scalp_backdrop`), marks that fit the head tilted or too large; 0 on a front photo.
    pub on_backdrop: f64,
    /// The forehead's halves in a light from one side (`scalp_light`; front photos): the skin colour was read
    /// on the lit half.
    pub uneven_light: Option<UnevenLight>,
    /// Share of the forehead's skin window (front photos) coloured as no skin is in any light
    /// ([`OBJECT_CHROMA`]): a band, a cap, a sticker or a drawing on the head, left out of the skin's reading.
    pub forehead_object: f64,
    /// Share of the registered skull above [`TOP_FROM_MM`] (front photos) coloured as no skin is
    /// ([`OBJECT_CHROMA`]): a cap, a band or a sticker over the top, said when the plan is refused as off
    /// the head.
    pub top_object: f64,

    /// Share of the same top white and colourless ([`WHITE_OBJECT_L`], [`WHITE_OBJECT_CHROMA`]): a white
    /// cap, a bandage or paper over the top (outside test s45: a white cap was read as skin and drawn on).
    pub top_white: f64,
    /// Share of the registered skull above [`TOP_FROM_MM`] and within [`TOP_HAIR_HALF_MM`] of the midline
    /// (front photos) that reads as hair, not skin
    /// ([`hair_like`]): a client with hair on the top, said when the plan is refused as off the head
    /// (outside tests s51: 26 of 74 photos of people with hair were refused as "check the landmarks").
    pub top_hair: f64,
    /// The light backdrop beside the head (the brighter half of its samples, linear light), when it is light
    /// enough to be a wall ([`WALL_MIN_L`]): a white or grey wall that reads coloured says the photo's light
    /// is ([`ScalpMap::skin_warning`]). `None` on a dark backdrop and off the front view.
    pub wall: Option<Lin>,
}

/// Height above the glabella from which the skull is the top of the head, mm.
pub const TOP_FROM_MM: f64 = 40.0;
/// Lighter than this (L*) and greyer than [`WHITE_OBJECT_CHROMA`], a pixel is white as no skin is: the
/// reference photo's shaved top, its forehead 51 % highlight, has 4.5 % of it so (a white cap over the
/// top: 44 %).
pub const WHITE_OBJECT_L: f32 = 80.0;
/// See [`WHITE_OBJECT_L`] (C*; skin reads 20–35 in neutral light, its highlights 10 and more).
pub const WHITE_OBJECT_CHROMA: f32 = 8.0;
/// Share of the top white from which it is said ([`ScalpMap::top_white`]).
pub const WHITE_SHARE_SAID: f64 = 0.15;
/// Share of the top reading as hair ([`ScalpMap::top_hair`]) from which a plan refused as off the head
/// names the hair rather than the landmarks: the probes' shaved heads read 5–23 % (the reference photo
/// 19 %), a full head of brown hair 58 % (docs/photo-scalp.md).
pub const TOP_HAIR_SAID: f64 = 0.3;
/// Half the width of the top read for [`ScalpMap::top_hair`], mm from the midline: the middle of the top,
/// where every Norwood and Ludwig design lies and no pattern keeps its fringe (the clipped sides of a bald
/// man are hair).
pub const TOP_HAIR_HALF_MM: f64 = 45.0;

/// Whether a pixel's features `f` read as hair beside the forehead's skin `skin` (texture median
/// `skin_texture`), as the fringe's hair is read (`scalp_model::is_hair`), pixel by pixel: far darker than
/// the forehead without being its colour in shadow, or grey; or unlike the skin and grainy as strands are.
/// A pixel the colours gave the background (`in_background`: brown hair before brown posters reads as their
/// colour) counts only when grainy: a wall, dark or not, is smooth where it lies behind a head.
pub fn hair_like(f: &Feat, skin: &Class, skin_texture: f32, in_background: bool) -> bool {
    let ratio = y_of_l(f[0]) / y_of_l(skin.mu[0]).max(1e-4);
    let coloured = (ratio < HAIR_Y_RATIO && !skin_in_shadow(f[0], f[1], f[2], &skin.mu))
        || grey_hair(f[0], f[1], f[2], &skin.mu);
    let grainy = skin.delta(f) > 14.0 && f[3] >= HAIR_TEXTURE * skin_texture + HAIR_TEXTURE_ADD;
    grainy || (coloured && !in_background)
}

/// Chroma (C*) over which a forehead pixel is no skin in any light: skin reads at most about 50 in neutral
/// light (`SKIN_MAX_CHROMA`), 54 under the strongest warm cast of the probes; a red headband (200, 30, 40)
/// reads 76 (outside test s44: the skin was read off the band as #cc7f52, his hair was then not found and
/// pigment was drawn on the band).
pub const OBJECT_CHROMA: f32 = 62.0;
/// Share of the forehead window under such colours from which it is said ([`ScalpMap::forehead_object`]).
pub const OBJECT_SHARE_SAID: f64 = 0.05;

/// An eye window's depth under the forehead (L*) in words: "40 points darker", or "68 points lighter" for
/// skin lighter than the forehead (outside test s54: "-68 … points of lightness darker").
fn than_the_forehead(depth: f64) -> String {
    if depth >= 0.0 {
        format!("{depth:.0} points darker")
    } else {
        format!("{:.0} points lighter", -depth)
    }
}

/// Why the scalp cannot be found on a photo.
#[derive(Debug, thiserror::Error)]
pub enum ScalpError {
    /// Too little of the forehead is on the photo to learn the skin colour.
    #[error("the forehead is not on the photo (only {0} pixels of it); the scalp cannot be found")]
    NoForehead(usize),
    /// No eye lies beside either outer eye corner the registration placed (`register::eyes_missing`): the
    /// marks are not on this face's eyes, as on a photo upside down marked as if upright (outside probe s12).
    #[error(
        "no eye was found beside the outer eye corner marks (the darkest of the skin running from each corner toward the nose is {} on the right and {} on the left than the forehead, in points of lightness from 0 black to 100 white, where an eye's lashes and pupil are 40 or more darker): the marks are not on this face's eyes, so the plan does not lie on this head; if the photo shows the client upside down or on their side, turn it upright and mark it again, else mark the outer eye corners where the upper and lower lids meet{}",
        than_the_forehead(*right),
        than_the_forehead(*left),
        if *exif_orientation > 1 {
            format!(" (the photo is shown turned or mirrored, EXIF orientation {exif_orientation}: mark it as a photo viewer shows it)")
        } else {
            String::new()
        }
    )]
    NoEyes {
        /// The right eye's depth, L* under the forehead.
        right: f64,
        /// The left eye's.
        left: f64,
        /// The photo's EXIF orientation (1: as stored).
        exif_orientation: u8,
    },
    /// A photo given as the back of the head shows a face where the back should be
    /// (`register::face_on_back`): a front photo marked as a back one (outside test s38).
    #[error(
        "this photo shows a face from the front where the back of the head should be (two eyes {right:.0} and {left:.0} points of lightness (0 black, 100 white) darker than the forehead, with the nose between them): it is not a back photo, so the design would be drawn on the face; give it as a front photo and mark the glabella and the outer eye corners"
    )]
    FaceOnBack {
        /// The eye on the photo's left: L* under the forehead.
        right: f64,
        /// The other eye.
        left: f64,
    },
    /// The forehead and the front of the top read a colour no skin has in any light a consultation photo is
    /// taken in ([`not_skin`]): they are covered (outside test p11: a navy cap down to 33 mm above the
    /// glabella read as skin #283347, its pigment painted on the cap and the shade advice given for it).
    #[error(
        "the top of the head does not look like skin: the forehead and the front of the top read {colour}, a colour no skin has, so the scalp cannot be found; if a hat, a cap, a scarf or a wig covers the head, take the photo again with the head uncovered, and if the room's light is strongly coloured, take it again in daylight or white light"
    )]
    NotSkin {
        /// The colour read (its name and hex sRGB).
        colour: String,
    },
    /// Too little of the design facing the camera lands on the scalp found on the photo: the marks do not
    /// put the plan on this head (probe s8 finding 3: 54 drawn and 6655 left out):
    /// [`crate::client::PhotoPreview::off_head`].
    #[error(
        "only {:.0} % of the design facing the camera landed on the scalp found on the photo ({} of the {} impressions in view; the rest fell on the face, the hair that goes with the clipping or the background){}{}",
        // (+ 0: an empty sum is −0, said as "−0 %": outside test s51.)
        drawn_share.max(0.0) * 100.0 + 0.0,
        follicle_core::words::count(*drawn as u64),
        follicle_core::words::count((drawn + left_out) as u64),
        if *top_object > TOP_OBJECT_SAID {
            // Outside test s45: a coloured cap or band over the top was refused as "check the landmarks".
            format!(": {:.0} % of the top of the head is coloured as no skin or hair is (a cap, a band, a sticker or a drawing on the head?); take the photo again with the head uncovered, and check the landmarks (each on its place: glabella, eye corners)", top_object * 100.0)
        } else if *top_hair >= TOP_HAIR_SAID && *among_hair >= 0.5 {
            // Outside test s51: the shipped diffuse-thinning design refused on every woman with hair as
            // "check the landmarks".
            format!(": this design places most of its impressions among retained hair, and on this photo hair covers the top of the head ({:.0} % of it reads as hair): the photo preview draws pigment only on bald scalp that shows, not between hairs, so it cannot show this design; show it on the mannequin, or on a photo with the hair parted or clipped where the design goes", top_hair * 100.0)
        } else if *top_hair >= TOP_HAIR_SAID {
            // Outside tests s51: a client with a full head of hair was told to check correct landmarks.
            format!(": {:.0} % of the top of the head on this photo reads as hair, not bald scalp, and the design lies on it: the preview draws pigment only where bald scalp shows; take the photo with the hair clipped as it will be worn (to the skin where the design goes), or show the design on the mannequin; if the top is in fact bald, check the landmarks (each on its place: glabella, eye corners)", top_hair * 100.0)
        } else {
            ": the plan does not lie on this head; check the landmarks (each on its place: glabella, eye corners) and that the photo is the client's".to_string()
        },
        if *exif_orientation > 1 {
            format!("; the photo is shown turned or mirrored (EXIF orientation {exif_orientation}): mark the landmarks on it as a photo viewer shows it")
        } else {
            String::new()
        }
    )]
    PlanOffHead {
        /// Impressions drawn.
        drawn: usize,
        /// Impressions in view left out.
        left_out: usize,
        /// Share (0–1) of the design facing the camera that landed, by the skin it covers as seen.
        drawn_share: f64,
        /// The photo's EXIF orientation (1: as stored).
        exif_orientation: u8,
        /// [`ScalpMap::top_object`].
        top_object: f64,
        /// [`ScalpMap::top_hair`].
        top_hair: f64,
        /// Share (0–1) of the plan's impressions placed among retained hair (zones with an existing-hair
        /// coverage, or blend zones).
        among_hair: f64,
    },
}

impl ScalpError {
    /// Whether the words send the reader to the landmarks first (the file to name beside them): not when a
    /// plan refused as off the head is explained by the photo (hair or an object over the top; outside test
    /// s52: the hair's refusal stood under the landmarks file's name and read as the marks' fault).
    pub fn about_the_marks(&self) -> bool {
        match self {
            ScalpError::PlanOffHead {
                top_object,
                top_hair,
                ..
            } => *top_object <= TOP_OBJECT_SAID && *top_hair < TOP_HAIR_SAID,
            _ => true,
        }
    }
}

/// Share of the top coloured as no skin is ([`ScalpMap::top_object`]) from which a plan refused as off
/// the head names the object rather than the landmarks.
pub const TOP_OBJECT_SAID: f64 = 0.08;

/// Where a picture-plane ray from `o` along `d` first meets the plan's head grown by `grow` (1 = the head).
fn hit(plan: &Plan, o: Vec3, d: Vec3, grow: f64) -> Option<Vec3> {
    let hd = &plan.head;
    let q = o - hd.centre;
    let mut best: Option<f64> = None;
    for (c, upper) in [(hd.c_up, true), (hd.c_low, false)] {
        let (ia, ib, ic) = (1.0 / (hd.a * hd.a), 1.0 / (hd.b * hd.b), 1.0 / (c * c));
        let a = d.x * d.x * ia + d.y * d.y * ib + d.z * d.z * ic;
        let b = 2.0 * (q.x * d.x * ia + q.y * d.y * ib + q.z * d.z * ic);
        let cc = q.x * q.x * ia + q.y * q.y * ib + q.z * q.z * ic - grow * grow;
        let disc = b * b - 4.0 * a * cc;
        if disc < 0.0 {
            continue;
        }
        let t = (-b - disc.sqrt()) / (2.0 * a);
        if t <= 0.0 {
            continue;
        }
        let z = q.z + d.z * t;
        if (z >= 0.0) == upper && best.is_none_or(|b| t < b) {
            best = Some(t);
        }
    }
    best.map(|t| o + d * t)
}

/// Smallest spread of each feature (L*, a*, b*, texture) per class: lighting varies L* across a dome.
const SKIN_FLOOR: Feat = [12.0, 5.0, 6.0, 1.5];
const HAIR_FLOOR: Feat = [7.0, 2.5, 3.0, 1.5];
const BACKGROUND_FLOOR: Feat = [4.0, 2.0, 2.0, 1.0];
/// How far from the face's midline (and above the glabella, plus 100 mm) the background's colours are read,
/// mm: about 60 mm of wall beside a head 150–160 mm wide.
const BACKGROUND_REACH_MM: f64 = 140.0;

/// Whether a background seed pixel has the forehead's hue and chroma (within 6 in a*b*) at a lightness the
/// head's shading gives it (within 20 L*): it is left out of the background model, being more likely the
/// head reaching the border or lying beyond the fit.
fn skin_like(skin: &Class, f: &Feat) -> bool {
    (f[1] - skin.mu[1]).hypot(f[2] - skin.mu[2]) < 6.0 && (f[0] - skin.mu[0]).abs() < 20.0
}

/// Finds the visible scalp and the retained hair on `photo` (linear light, full size) registered by `reg`.
pub fn find_scalp(
    photo: &LinearImage,
    plan: &Plan,
    reg: &Registration,
) -> Result<ScalpMap, ScalpError> {
    // A plain canvas the photo lies on is background but no sample of it (its flat colour would claim dark
    // hair or a pale wall as background); the bands along the borders are the photo's own, and so is the
    // working scale (within twice the working side over the whole canvas).
    let c = photo.content();
    let step = (c[2] - c[0])
        .max(c[3] - c[1])
        .div_ceil(WORK_SIDE)
        .max(photo.w.max(photo.h).div_ceil(2 * WORK_SIDE))
        .max(1);
    let work = photo.downsample(step);
    let (w, h) = (work.w, work.h);
    let frame = FaceFrame::new(plan, reg).ok_or(ScalpError::NoForehead(0))?;
    let inv = reg.transform.inverse();
    let feat = features(&work);
    // Geometry per working pixel: on the head (grown), and (along, up) in mm.
    #[derive(Clone, Copy, PartialEq)]
    enum Place {
        Off,
        Background,
        Head,
    }
    let mut place = vec![Place::Off; w * h];
    let mut skull = vec![0f32; w * h];
    let mut pos = vec![(0f64, 0f64); w * h];
    let (mut skin_s, mut fringe_s) = (Vec::new(), Vec::new());
    // Background seed candidates (working pixel indices): rays that miss the grown head, and a band along
    // the photo's left and right borders (a head that fills the crop leaves few of the former), and along
    // its top border where not dark like hair (below).
    let mut bg_i = Vec::new();
    let mut top_i = Vec::new();
    let mut forehead_i = Vec::new();
    let [cx0, cy0, cx1, cy1] = [
        c[0].div_ceil(step),
        c[1].div_ceil(step),
        c[2] / step,
        c[3] / step,
    ];
    let band = (cx1.saturating_sub(cx0).max(cy1.saturating_sub(cy0)) / 50).max(2);
    for y in 0..h {
        for x in 0..w {
            let (px, py) = (
                (x as f64 + 0.5) * step as f64,
                (y as f64 + 0.5) * step as f64,
            );
            let (along, up) = frame.mm(px, py);
            let i = y * w + x;
            pos[i] = (along, up);
            if x < cx0 || x >= cx1 || y < cy0 || y >= cy1 {
                place[i] = Place::Background;
                continue;
            }
            if up < LOWEST_MM {
                continue;
            }
            let Some(inv) = inv else { continue };
            let (u, v) = inv.apply(px, py);
            let d = reg.frontal.ray(u, v);
            if hit(plan, reg.frontal.eye, d, 1.0).is_some() {
                skull[i] = 1.0;
            }
            let border = x < cx0 + band || x + band >= cx1;
            // Where the head may be: inside the grown head, or within 100 mm of the face's midline (the
            // midline comes from the marks themselves, so a turn the fit got wrong does not cut off one
            // side). Which of it is head is the colours' call.
            let on_grown = hit(plan, reg.frontal.eye, d, GROW).is_some()
                || (along.abs() < 100.0 && up < 170.0);
            if !on_grown {
                if up > -10.0 {
                    place[i] = Place::Background;
                    // The background's colours from beside the head only: a second person farther out (probe
                    // s36, two men side by side) gave the wall a skin-coloured component that took the lit top
                    // of the client's skull for wall, a bite out of his head in the shaved picture.
                    if along.abs() < BACKGROUND_REACH_MM && up < BACKGROUND_REACH_MM + 100.0 {
                        bg_i.push(i);
                    }
                }
                continue;
            }
            if border && skull[i] == 0.0 {
                bg_i.push(i);
            } else if y < cy0 + band {
                top_i.push(i);
            }
            if FaceFrame::in_face(along, up) && hair_allowed(along, up) <= 0.0 {
                continue;
            }
            place[i] = Place::Head;
            if (25.0..70.0).contains(&up) && along.abs() < 40.0 {
                skin_s.push(feat[i]);
                forehead_i.push(i);
            }
            // The fringe's colours come from beside the face box only: the temple hair clipped above the
            // brows' tails (`hair_allowed`) lies inside it, and its shadowed skin and brow tails taken as
            // fringe shifted the hair model (a shaved head's whole outline then read as hair).
            if (60.0..90.0).contains(&along.abs())
                && (0.0..45.0).contains(&up)
                && !FaceFrame::in_face(along, up)
            {
                fringe_s.push(i);
            }
        }
    }
    // Under a coloured light the classes are read on the photo balanced by its backdrop (the picture drawn
    // keeps the photo's own light): a warm cast turns dark hair the warm colour of shaded skin.
    // The backdrop's colour, read once: the cast's balance and the wall's warning both use it.
    let wall = wall_colour(&work, &bg_i);
    let feat = match cast_balance(&work, &forehead_i, wall) {
        Some(gain) => {
            let balanced = LinearImage {
                w,
                h,
                px: work
                    .px
                    .iter()
                    .map(|p| [p[0] * gain[0], p[1] * gain[1], p[2] * gain[2]])
                    .collect(),
            };
            let f = features(&balanced);
            skin_s = forehead_i.iter().map(|&i| f[i]).collect();
            f
        }
        None => feat,
    };
    // A band, a cap or a sticker in a colour no skin has is left out of the skin's reading.
    let window_px = skin_s.len();
    skin_s.retain(|f| f[1].hypot(f[2]) <= OBJECT_CHROMA);
    let forehead_object = 1.0 - skin_s.len() as f64 / window_px.max(1) as f64;
    if skin_s.len() < 12 {
        return Err(ScalpError::NoForehead(skin_s.len()));
    }
    // The forehead window may reach hair on a low hairline: keep what is not far darker than its middle.
    let mid_l = median(&mut skin_s.iter().map(|f| f[0]).collect::<Vec<_>>());
    skin_s.retain(|f| f[0] > mid_l - 30.0);
    let skin = Class::fit(&skin_s, SKIN_FLOOR);
    let skin_texture = median(&mut skin_s.iter().map(|f| f[3]).collect::<Vec<_>>());
    // The background: its seed less what looks like the forehead's skin (a head that reaches the border, a
    // registration that misses part of it), modelled as a mixture (a wall and a suit are two colours).
    let bg_s: Vec<Feat> = bg_i
        .iter()
        .map(|&i| feat[i])
        // The top border where the head may be: background unless dark like hair (hair standing above the
        // skull reaches it on many portraits) or skin-like (a head reaching the border).
        .chain(
            top_i
                .iter()
                .map(|&i| feat[i])
                .filter(|f| f[0] >= skin.mu[0] - 12.0),
        )
        .filter(|f| !skin_like(&skin, f))
        .collect();
    let bg = (bg_s.len() >= 12).then(|| Mixture::fit(&bg_s, BACKGROUND_FLOOR));
    // Hair: the fringe samples that are neither like the forehead nor like the background, darker than the
    // forehead or grey (`grey_hair`), taken as hair only when they are far darker than the forehead, grey or
    // grainy (`is_hair`): the shadowed sides of a
    // bald head are not hair.
    let outline = PhotoOutline::new(reg, &frame);
    let hair_s: Vec<Feat> = fringe_s
        .iter()
        .filter(|&&i| {
            let f = &feat[i];
            // Inside the registered skull, or inside the head's outline the registration found on the
            // photo, a dark, unskinlike pixel is hair even when the background has its colour (brown hair
            // before a dim room, black hair before a dark backdrop); beyond both, only when unlike the
            // background.
            skin.delta(f) > 14.0
                && (f[0] < skin.mu[0] - 12.0 || grey_hair(f[0], f[1], f[2], &skin.mu))
                && (skull[i] > 0.0
                    || outline.inside(pos[i])
                    || bg.as_ref().is_none_or(|b| b.delta(f) > 12.0))
        })
        .map(|&i| feat[i])
        .collect();
    let hair = is_hair(&hair_s, fringe_s.len(), &skin, skin_texture)
        .then(|| Class::fit(&hair_s, HAIR_FLOOR));
    let mut scalp = vec![0f32; w * h];
    let mut hairp = vec![0f32; w * h];
    let mut bgp = vec![0f32; w * h];
    let mut skin_share = vec![1f32; w * h];
    for i in 0..w * h {
        if place[i] == Place::Background {
            bgp[i] = 1.0;
        }
        if place[i] != Place::Head {
            continue;
        }
        let f = &feat[i];
        let ls = skin.log_lik(f);
        let lh = hair.map(|c| c.log_lik(f));
        let lb = bg.as_ref().map(|c| c.log_lik(f));
        let m = ls.max(lh.unwrap_or(f32::MIN)).max(lb.unwrap_or(f32::MIN));
        let (es, eh, eb) = (
            (ls - m).exp(),
            lh.map_or(0.0, |l| (l - m).exp()),
            lb.map_or(0.0, |l| (l - m).exp()),
        );
        let sum = es + eh + eb;
        // Skin against hair alone (for pockets the background model claims inside the head).
        skin_share[i] = lh.map_or(1.0, |lh| 1.0 / (1.0 + (lh - ls).clamp(-60.0, 60.0).exp()));
        scalp[i] = es / sum;
        hairp[i] = eh / sum;
        bgp[i] = eb / sum;
    }
    // The head is what is connected to the forehead through pixels that are not background; enclosed
    // pockets that the background model claims (a highlight as white as the wall) are head too. Everything
    // else the colours called skin or hair (a skin-coloured patch of the wall) is background.
    let head = flood(w, h, &forehead_i, |i| {
        place[i] == Place::Head && bgp[i] < 0.5
    });
    let border_i: Vec<usize> = (0..w * h)
        .filter(|&i| {
            let (x, y) = (i % w, i / w);
            x == 0 || y == 0 || x + 1 == w || y + 1 == h
        })
        .collect();
    let outside = flood(w, h, &border_i, |i| !head[i] && place[i] != Place::Off);
    let mut bare = vec![0f32; w * h];
    // Something coloured as no skin or hair is over the top (a cap, a band, a sticker): its share of the
    // registered skull above the forehead.
    // White and colourless as no skin is even in its highlight (a white cap, a bandage): said, but still
    // drawn on, as a bald head's shine may be as light. The wall beside a head narrower than the plan's
    // is no part of it.
    // Hair over the top: read on the whole registered skull there, the part the colours gave the background
    // too (a full head of brown hair before brown posters was all background on the map, outside test s51).
    let top_hair = {
        let top: Vec<usize> = (0..w * h)
            .filter(|&i| {
                skull[i] > 0.0 && pos[i].1 >= TOP_FROM_MM && pos[i].0.abs() < TOP_HAIR_HALF_MM
            })
            .collect();
        let hairy = top
            .iter()
            .filter(|&&i| hair_like(&feat[i], &skin, skin_texture, !head[i]))
            .count();
        hairy as f64 / top.len().max(1) as f64
    };
    let (top_object, top_white) = {
        let top: Vec<usize> = (0..w * h)
            .filter(|&i| skull[i] > 0.0 && pos[i].1 >= TOP_FROM_MM && !outside[i])
            .collect();
        let share = |f: &dyn Fn(&[f32; 4]) -> bool| {
            top.iter().filter(|&&i| f(&feat[i])).count() as f64 / top.len().max(1) as f64
        };
        (
            share(&|f| f[1].hypot(f[2]) > OBJECT_CHROMA),
            share(&|f| f[0] > WHITE_OBJECT_L && f[1].hypot(f[2]) < WHITE_OBJECT_CHROMA),
        )
    };
    for i in 0..w * h {
        if place[i] != Place::Head {
            continue;
        }
        let (along, up) = pos[i];
        // A pocket the background claims, enclosed by the head: inside the registered skull skin or hair,
        // whichever of the two it is more like; beyond it hair when hair-like (the darkest strands of a
        // full head of hair standing above the skull), else background.
        let pocket = !head[i] && !outside[i];
        let hair_pocket = hair.is_some() && skin_share[i] < 0.5;
        if pocket && (skull[i] > 0.0 || hair_pocket) {
            (scalp[i], hairp[i], bgp[i]) = (skin_share[i], 1.0 - skin_share[i], 0.0);
        } else if !head[i] {
            (scalp[i], hairp[i], bgp[i]) = (0.0, 0.0, 1.0);
        }
        if FaceFrame::in_face(along, up) {
            // Inside the face box only its temple hair (clipped above the brows' tails) is read: its skin is
            // no bare skin for the shaved sides to continue, nor any of it wall (read as bare skin, the
            // shadowed brow ridge relit a shaved head's whole outline a light grey).
            (scalp[i], bgp[i]) = (0.0, 0.0);
        }
        // Coloured as no skin or hair is (a band, a cap, a sticker): neither scalp nor hair, so it is
        // neither pigmented nor clipped.
        if feat[i][1].hypot(feat[i][2]) > OBJECT_CHROMA {
            (scalp[i], hairp[i]) = (0.0, 0.0);
        }
        bare[i] = scalp[i];
        scalp[i] *= FaceFrame::pigment_share(along, up);
        hairp[i] *= hair_allowed(along, up) as f32;
    }
    // Smooth over about a millimetre (speckle of single pixels is noise, not anatomy).
    let sigma = (1.0 * reg.px_per_mm / step as f64).max(0.6);
    let bgp = blur_mask(&bgp, w, h, sigma);
    let scalp = blur_mask(&scalp, w, h, sigma);
    let hairp = blur_mask(&hairp, w, h, sigma);
    let bare = blur_mask(&bare, w, h, sigma);
    let skull = blur_mask(&skull, w, h, sigma);
    let window: Vec<(f64, Lin)> = (0..w * h)
        .filter(|&i| {
            let (a, u) = pos[i];
            // The forehead and the front of the bald top, wide enough that evenly lit skin beside
            // the highlight down its middle is read too (probe s8 finding 4).
            (25.0..80.0).contains(&u) && a.abs() < 40.0 && skull[i] > 0.5 && bare[i] > 0.5
        })
        .map(|i| (pos[i].0, work.px[i]))
        .collect();
    // In a light from one side the skin is read on the lit half only (`scalp_light`).
    let uneven_light = UnevenLight::of(&window);
    let skin_window: Vec<Lin> = window
        .iter()
        .filter(|(along, _)| uneven_light.is_none_or(|u| u.lit(*along)))
        .map(|&(_, c)| c)
        .filter(|&c| {
            let lab = crate::color::lab_from_lin(c);
            lab.a.hypot(lab.b) <= OBJECT_CHROMA as f64
        })
        .collect();
    let (skin_colour, skin_highlight) = skin_sample(&skin_window).unwrap_or(([0.5; 3], 0.0));
    // The dark-and-colourless test is left to the underexposure warning on a photo too dark to tell.
    if not_skin(skin_colour, brightest(&work.px) < UNDEREXPOSED_BELOW) {
        return Err(ScalpError::NotSkin {
            colour: crate::colour_words::colour_words(skin_colour),
        });
    }
    // The hair's own colour: the darker half of the pixels that are surely hair, above the face box's top
    // (the temple hair clipped above the brows' tails lies in the brow ridge's shadow: taken in, a shaved
    // head's stubble read darker than it is, as hair that hides the skin, `shaved::LAYER_HAIR_FROM`).
    let hair_colour = hair.and_then(|_| {
        let mut v: Vec<(f32, Lin)> = (0..w * h)
            .filter(|&i| hairp[i] > 0.8 && pos[i].1 >= FACE_CLEAR_MM + 0.6 * HAIR_FADE_MM)
            .map(|i| (feat[i][0], work.px[i]))
            .collect();
        if v.len() < 8 {
            return None;
        }
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let half = &v[..v.len() / 2];
        let mut acc = [0f32; 3];
        for (_, c) in half {
            for k in 0..3 {
                acc[k] += c[k];
            }
        }
        Some(acc.map(|a| a / half.len() as f32))
    });
    let normal = crate::dome::normals(plan, reg, (w, h, step), &bgp);
    Ok(ScalpMap {
        w,
        h,
        step,
        scalp,
        hair: hairp,
        bare,
        background: bgp,
        skull,
        normal,
        skin: skin_colour,
        skin_highlight,
        brightest: brightest(&work.px),
        hair_colour,
        seeds: [skin_s.len(), hair_s.len(), bg_s.len()],
        on_backdrop: 0.0,
        uneven_light,
        forehead_object,
        top_object,
        top_white,
        top_hair,
        wall: wall.filter(|&w| crate::color::lab_from_lin(w).l >= WALL_MIN_L),
    })
}

/// Least chroma (CIELAB C*) of the backdrop beside the head for its colour to be taken for the light's: a
/// white or grey wall under a coloured light (outside test p11's tungsten: a grey wall read C* 33); a beige
/// wall in white light reads about 10.
pub const WALL_CAST_CHROMA: f64 = 20.0;
/// Skin this saturated (C*) in the wall's hue (within [`CAST_HUE_DEGREES`]) is lit by the wall's colour: skin
/// in neutral light reads 20–35 (the reference photo 31), under the test's tungsten 50.
pub const CAST_SKIN_CHROMA: f64 = 40.0;
/// See [`CAST_SKIN_CHROMA`], degrees.
pub const CAST_HUE_DEGREES: f64 = 40.0;

/// A forehead's median channel (linear) at least this is burnt out: the photo recorded no more light there.
pub const BURNT_OUT: f32 = 0.97;

/// Gains (per linear channel) that take a colour cast off the photo for telling skin from hair, or None when
/// there is none to take. A cast is read where the backdrop beside the head (`wall`, [`wall_colour`]:
/// a wall more often than a dark suit) is clearly coloured ([`WALL_CAST_CHROMA`]) and the
/// forehead's skin says the light is coloured too: a colour skin has in no neutral light ([`colour_cast`]),
/// or skin unusually saturated in the wall's own hue ([`CAST_SKIN_CHROMA`]); the wall is then taken for
/// neutral, and kept only when balanced by it the skin reads a colour skin has in neutral light (or the
/// forehead is burnt out in a channel, [`BURNT_OUT`], and has no colour left to read). A coloured
/// wall in white light leaves the skin as it is, so it is not taken for a cast. Outside test p11 lit the
/// reference photo by tungsten (linear RGB × 1.0, 0.72, 0.38): his dark hair took the warm colour of his skin
/// in shadow (relative chroma 0.51 against the forehead's 0.56) and no retained hair was found; a cast scales
/// every colour's channels alike, so balanced by the wall the hair reads as it does in white light.
fn cast_balance(work: &LinearImage, forehead_i: &[usize], wall: Option<Lin>) -> Option<[f32; 3]> {
    if forehead_i.len() < 12 {
        return None;
    }
    let channel_median = |idx: &[usize], k: usize| {
        median(&mut idx.iter().map(|&i| work.px[i][k]).collect::<Vec<_>>())
    };
    let skin = [0, 1, 2].map(|k| channel_median(forehead_i, k));
    let wall = wall?;
    if wall.iter().any(|&c| c < 0.02) {
        return None;
    }
    let (wl, sl) = (
        crate::color::lab_from_lin(wall),
        crate::color::lab_from_lin(skin),
    );
    let (wc, sc) = (wl.a.hypot(wl.b), sl.a.hypot(sl.b));
    let mut dh = (wl.b.atan2(wl.a) - sl.b.atan2(sl.a)).to_degrees().abs();
    if dh > 180.0 {
        dh = 360.0 - dh;
    }
    let lit = colour_cast(skin) || (sc >= CAST_SKIN_CHROMA && dh <= CAST_HUE_DEGREES);
    if wc < WALL_CAST_CHROMA || !lit {
        return None;
    }
    let mean = (wall[0] + wall[1] + wall[2]) / 3.0;
    let gain = wall.map(|c| mean / c);
    let balanced = [0, 1, 2].map(|k| skin[k] * gain[k]);
    // A forehead burnt out in one channel (a warm light over-exposing red) has lost its colour: balanced, it
    // cannot read as skin, so it is not asked to (outside test s41: RGB × 1.12, 1, 0.72 left red at 255 over
    // the whole forehead, the balance was dropped and his dark-brown hair was read as skin in shadow).
    let burnt = skin.iter().any(|&c| c >= BURNT_OUT);
    (gain.iter().all(|g| (0.3..=3.0).contains(g)) && (burnt || !colour_cast(balanced)))
        .then_some(gain)
}

/// The backdrop's colour beside the head: the channel medians of the brighter half of its samples `bg_i` (a
/// wall more often than a dark suit); `None` with too few samples to tell.
fn wall_colour(work: &LinearImage, bg_i: &[usize]) -> Option<Lin> {
    if bg_i.len() < 50 {
        return None;
    }
    let luma = |p: Lin| 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    let mut bright: Vec<usize> = bg_i.to_vec();
    bright.sort_by(|&a, &b| luma(work.px[a]).total_cmp(&luma(work.px[b])));
    let bright = &bright[bright.len() / 2..];
    Some([0, 1, 2].map(|k| median(&mut bright.iter().map(|&i| work.px[i][k]).collect::<Vec<_>>())))
}

/// Lightest a backdrop may be (L*) and still not be taken for a wall whose colour tells the light's.
pub const WALL_MIN_L: f64 = 60.0;
/// A light wall more saturated than this (C*) is said to colour the photo's light when it is white or grey
/// (outside test s48: the reference photo under a magenta cast, wall C* 24, and a blue one, 18, read the skin
/// "light pink" without a word; the photo as taken: 0.6; a beige wall in white light reads about 10).
pub const WALL_TINT_CHROMA: f64 = 15.0;

/// The scalp on a photo of a view other than the front (top, sides, back): there is no face to seed the
/// skin, hair and background classes from, so the map is the registered head's outline (a working pixel
/// whose ray meets the plan's head is scalp, any other background) less the backdrop's own colours inside
/// it (`scalp_backdrop`: marks a little off tilt the fit and the outline reaches onto the wall), and the
/// skin colour is the median inside it. Retained hair is not told from bald skin on these views yet: pigment lands wherever
/// the plan puts an impression facing the camera (docs/photo-scalp.md).
pub fn head_outline_map(photo: &LinearImage, plan: &Plan, reg: &Registration) -> ScalpMap {
    let step = photo.w.max(photo.h).div_ceil(WORK_SIDE).max(1);
    let work = photo.downsample(step);
    let (w, h) = (work.w, work.h);
    let inv = reg.transform.inverse();
    let mut scalp = vec![0f32; w * h];
    let mut inside: [Vec<f32>; 3] = Default::default();
    for y in 0..h {
        for x in 0..w {
            let Some(inv) = inv else { continue };
            let (u, v) = inv.apply(
                (x as f64 + 0.5) * step as f64,
                (y as f64 + 0.5) * step as f64,
            );
            if hit(plan, reg.frontal.eye, reg.frontal.ray(u, v), 1.0).is_some() {
                scalp[y * w + x] = 1.0;
                for (k, c) in inside.iter_mut().enumerate() {
                    c.push(work.px[y * w + x][k]);
                }
            }
        }
    }
    // Inside the outline, the backdrop's own colours are backdrop (`scalp_backdrop`), unless most of it
    // reads so.
    let band = (w.max(h) / 50).max(2);
    let mut on_backdrop = 0.0;
    let head_colour = inside
        .clone()
        .map(|mut c| if c.is_empty() { 0.5 } else { median(&mut c) });
    if let Some(backdrop) =
        crate::scalp_backdrop::Backdrop::read(&work.px, w, h, band, head_colour, |i| {
            scalp[i] == 0.0
        })
    {
        let on: Vec<usize> = (0..w * h).filter(|&i| scalp[i] > 0.0).collect();
        let wall: Vec<usize> = on
            .iter()
            .copied()
            .filter(|&i| backdrop.has(work.px[i]))
            .collect();
        if (wall.len() as f64) < crate::scalp_backdrop::MAX_HEAD_SHARE * on.len() as f64 {
            on_backdrop = wall.len() as f64 / on.len().max(1) as f64;
            for i in wall {
                scalp[i] = 0.0;
            }
            for c in &mut inside {
                c.clear();
            }
            for i in on.into_iter().filter(|&i| scalp[i] > 0.0) {
                for (k, c) in inside.iter_mut().enumerate() {
                    c.push(work.px[i][k]);
                }
            }
        }
    }
    let n = inside[0].len();
    let skin = inside.map(|mut c| if c.is_empty() { 0.5 } else { median(&mut c) });
    let sigma = (1.0 * reg.px_per_mm / step as f64).max(0.6);
    let scalp = blur_mask(&scalp, w, h, sigma);
    let background = scalp.iter().map(|p| 1.0 - p).collect();
    ScalpMap {
        w,
        h,
        step,
        skull: scalp.clone(),
        normal: crate::dome::normals(plan, reg, (w, h, step), &[]),
        bare: scalp.clone(),
        scalp,
        hair: vec![0.0; w * h],
        background,
        skin,
        skin_highlight: 0.0,
        brightest: brightest(&work.px),
        hair_colour: None,
        seeds: [n, 0, w * h - n],
        on_backdrop,
        uneven_light: None,
        forehead_object: 0.0,
        top_object: 0.0,
        top_white: 0.0,
        top_hair: 0.0,
        wall: None,
    }
}

/// Separable Gaussian blur of a mask.
pub fn blur_mask(m: &[f32], w: usize, h: usize, sigma: f64) -> Vec<f32> {
    let mut img = LinearImage {
        w,
        h,
        px: m.iter().map(|&v| [v, 0.0, 0.0]).collect(),
    };
    img.smooth(sigma);
    img.px.iter().map(|p| p[0]).collect()
}

/// Above this share of highlight in the forehead's skin window the skin colour read is said to be unsure.
pub const HIGHLIGHT_WARN_SHARE: f64 = 0.5;
/// A photo whose brightest light (sRGB, 0–1: [`ScalpMap::brightest`]) stays under this is underexposed: a
/// consultation photo shows a backdrop, a highlight or the whites of the eyes near white (the reference
/// photo: 0.99). Outside probe s22: the reference photo at 30 % of its brightness read his skin as #493b2d
/// and advised on the plan; outside probe s27: at 60 % (brightest 0.55–0.60, under the 0.45 of then) it
/// read #92765a for #f4c597, moved the shade advice from 40 to 48 % and told the practitioner to raise the
/// hairline's strength, without a word.
pub const UNDEREXPOSED_BELOW: f64 = 0.7;

/// The 99th percentile of the brightest channel of `px` (linear light), in sRGB (0–1).
fn brightest(px: &[Lin]) -> f64 {
    if px.is_empty() {
        return 1.0;
    }
    let mut v: Vec<f32> = px.iter().map(|p| p[0].max(p[1]).max(p[2])).collect();
    let k = (v.len() * 99 / 100).min(v.len() - 1);
    let (_, x, _) = v.select_nth_unstable_by(k, f32::total_cmp);
    let lin = (*x as f64).clamp(0.0, 1.0);
    if lin <= 0.003_130_8 {
        12.92 * lin
    } else {
        1.055 * lin.powf(1.0 / 2.4) - 0.055
    }
}

/// The hues (CIELAB h_ab, degrees) and the most chroma skin reads with in a photo taken in neutral light:
/// every Fitzpatrick type's skin lies at about 40–80° with chroma under about 50 (the reference photo:
/// #f4c597, 70°, chroma 31). A skin colour outside them says the photo's white balance is off (outside probe
/// s28: a blue cast read his skin as #b7b4c1, 300°; a green one #cfe582, 116°; a strong warm one #ffca6c,
/// chroma 54), and the shade matched to it would be wrong.
pub const SKIN_HUE_DEGREES: (f64, f64) = (30.0, 88.0);
pub const SKIN_MAX_CHROMA: f64 = 52.0;
/// Below this chroma the skin reads grey: no hue to trust.
pub const SKIN_MIN_CHROMA: f64 = 6.0;

/// Whether skin read as `skin` (linear sRGB) says the photo has a colour cast ([`SKIN_HUE_DEGREES`]).
pub fn colour_cast(skin: Lin) -> bool {
    let lab = crate::color::lab_from_lin(skin);
    let (a, b) = (lab.a, lab.b);
    let chroma = a.hypot(b);
    let hue = b.atan2(a).to_degrees().rem_euclid(360.0);
    !(SKIN_MIN_CHROMA..=SKIN_MAX_CHROMA).contains(&chroma)
        || !(SKIN_HUE_DEGREES.0..=SKIN_HUE_DEGREES.1).contains(&hue)
}

/// Hues (CIELAB h_ab, degrees) no skin reads with, in neutral light or under the casts a room's light gives
/// it: green-cyan through blue to violet. Skin lies at 30–88° in neutral light ([`SKIN_HUE_DEGREES`]); the
/// casts of outside probe s28 moved the reference photo's skin to 116° (green), 81° (warm) and 300° (blue, at
/// chroma 7), which stay warnings ([`colour_cast`]); a navy cap reads 276° at chroma 14, a green one 148°.
pub const NOT_SKIN_HUES: (f64, f64) = (140.0, 320.0);
/// Least chroma (C*) from which a hue in [`NOT_SKIN_HUES`] is trusted: under it the colour is near grey
/// (the blue cast's skin: 7), and a grey cast is a warning, not a refusal.
pub const NOT_SKIN_MIN_CHROMA: f64 = 8.0;
/// Under this lightness skin keeps its melanin's brown (Fitzpatrick VI #3b2219: L* 16, C* 15; the dark-skin
/// variant of outside test p11: L* 26, C* 27): a colour this dark and with under [`DARK_MIN_CHROMA`] is black
/// fabric or hair, not skin (on a photo that is not underexposed: the reference photo at 8 % of its light
/// reads #1e1a16, L* 10, C* 4).
pub const DARK_BELOW_L: f64 = 25.0;
/// Least chroma of skin darker than [`DARK_BELOW_L`].
pub const DARK_MIN_CHROMA: f64 = 5.0;

/// Whether the forehead's colour read as `skin` (linear sRGB) is no human skin colour in any light a
/// consultation photo is taken in (a covered head: [`ScalpError::NotSkin`]). Wider than [`colour_cast`],
/// which only warns: every Fitzpatrick type, a sunburn, pale skin with its highlight and the casts of
/// outside probe s28 pass. `underexposed`: the photo's brightest light is under [`UNDEREXPOSED_BELOW`]
/// (then a dark colourless forehead is said as underexposure, not as a covered head).
pub fn not_skin(skin: Lin, underexposed: bool) -> bool {
    let lab = crate::color::lab_from_lin(skin);
    let chroma = lab.a.hypot(lab.b);
    let hue = lab.b.atan2(lab.a).to_degrees().rem_euclid(360.0);
    (chroma >= NOT_SKIN_MIN_CHROMA && (NOT_SKIN_HUES.0..=NOT_SKIN_HUES.1).contains(&hue))
        || (!underexposed && lab.l < DARK_BELOW_L && chroma < DARK_MIN_CHROMA)
}

impl ScalpMap {
    /// Whether the photo is underexposed ([`UNDEREXPOSED_BELOW`]; a forehead mostly burnt out to a highlight
    /// is said instead): its skin colour reads too dark and its tone differences too small to advise on.
    pub fn underexposed(&self) -> bool {
        self.skin_highlight <= HIGHLIGHT_WARN_SHARE && self.brightest < UNDEREXPOSED_BELOW
    }
    /// Whether the skin colour read from the photo would mislead a shade match: the photo is underexposed, or
    /// the skin reads a colour no skin has in neutral light (a colour cast). `follicle shade` and the studio's
    /// advice match no pigment to it (outside test s48: an underexposed photo got a confident table, more
    /// confident than the well-exposed photo of the same man).
    pub fn skin_unreadable(&self) -> bool {
        self.underexposed() || colour_cast(self.skin)
    }
    /// The warning to give when most of the forehead read for the skin colour is burnt-out highlight.
    pub fn skin_warning(&self) -> Option<String> {
        if self.underexposed() {
            return Some(format!(
                "this photo is underexposed: its brightest parts reach only {:.0} % of white, so the skin colour read from it ({}) is too dark and the design advice its tones would give is left out; take the photo again in more light",
                self.brightest * 100.0,
                crate::colour_words::colour_words(self.skin)
            ));
        }
        if colour_cast(self.skin) {
            return Some(format!(
                "the skin on this photo reads {}, not a colour skin has in neutral light: the photo has a colour cast (its white balance is off, or the room's light is coloured), so the shade matched to it would be wrong; take the photo again in daylight or white light, or give the skin colour (--skin, or a `skin` region on evenly lit skin)",
                crate::colour_words::colour_words(self.skin)
            ));
        }
        if let Some(w) = self.wall {
            let lab = crate::color::lab_from_lin(w);
            if lab.a.hypot(lab.b) >= WALL_TINT_CHROMA {
                return Some(format!(
                    "the light background beside the head reads {}: if it is a white or grey wall, the photo has a colour cast (its white balance is off, or the room's light is coloured) and the skin colour read from it ({}) is off with it, and so would be a shade matched to it; take the photo again in daylight or white light, or give the skin colour (--skin, or a `skin` region on evenly lit skin)",
                    crate::colour_words::colour_words(w),
                    crate::colour_words::colour_words(self.skin)
                ));
            }
        }
        if let Some(u) = self.uneven_light {
            return Some(u.words());
        }
        (self.skin_highlight > HIGHLIGHT_WARN_SHARE).then(|| {
            format!(
                "{:.0} % of the forehead is a bright highlight, so the skin colour read from it ({}) may be too light",
                self.skin_highlight * 100.0,
                crate::colour_words::colour_words(self.skin)
            )
        })
    }
    /// Bilinear sample of a working map at photo pixel (`x`, `y`) (pixel centres at +0.5).
    #[inline]
    pub fn sample(&self, map: &[f32], x: f64, y: f64) -> f32 {
        let fx = (x / self.step as f64 - 0.5).clamp(0.0, (self.w - 1) as f64);
        let fy = (y / self.step as f64 - 0.5).clamp(0.0, (self.h - 1) as f64);
        let (x0, y0) = (fx as usize, fy as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (tx, ty) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
        let a = map[y0 * self.w + x0] * (1.0 - tx) + map[y0 * self.w + x1] * tx;
        let b = map[y1 * self.w + x0] * (1.0 - tx) + map[y1 * self.w + x1] * tx;
        a * (1.0 - ty) + b * ty
    }
    /// Probability that photo pixel (`x`, `y`) shows bald scalp.
    pub fn scalp_at(&self, x: f64, y: f64) -> f32 {
        self.sample(&self.scalp, x, y)
    }
    /// Probability that photo pixel (`x`, `y`) shows retained hair.
    pub fn hair_at(&self, x: f64, y: f64) -> f32 {
        self.sample(&self.hair, x, y)
    }
    /// How much of an impression lands at photo pixel (`x`, `y`): 0 off the scalp, 1 well inside it.
    /// The ink fades out before the background starts (the scalp probability times the share that is not
    /// background): an impression on the head's outline would spill onto the wall.
    pub fn gate(&self, x: f64, y: f64) -> f32 {
        let p = self.scalp_at(x, y) * (1.0 - self.sample(&self.background, x, y));
        let t = ((p - 0.35) / 0.3).clamp(0.0, 1.0);
        t * t * (3.0 - 2.0 * t)
    }
    /// The maps as a picture for checking: scalp green, hair red, the rest dark.
    pub fn debug_image(&self) -> LinearImage {
        let mut img = LinearImage::new(self.w, self.h, [0.02; 3]);
        for i in 0..self.w * self.h {
            img.px[i] = [self.hair[i] * 0.8, self.scalp[i] * 0.8, 0.05];
        }
        img
    }
}

#[cfg(test)]
#[path = "scalp_tests.rs"]
mod tests;
