//! The client's own photo as the preview they decide on: before, shaved only (retained hair clipped to a
//! chosen guard), and after SMP (the plan's impressions on the visible scalp only), at the photo's own
//! resolution and as an enlarged crop of the scalp where single impressions can be drawn honestly.

use crate::camera::eye_blur_mm;
use crate::color::Lin;
use crate::erythema::Erythema;
pub use crate::erythema::ERYTHEMA_PEAK;
use crate::legible::DesignReading;
use crate::optics::State;
use crate::photo::{photo_spots, Photo};
use crate::preview::LookTable;
use crate::raster::LinearImage;
use crate::regions::ToneRegions;
use crate::register::Registration;
use crate::scalp::{find_scalp, FaceFrame, ScalpError, ScalpMap};
use crate::shade::Catalogue;
use crate::shaved::Shaver;
use crate::splat::{composite, Spot};
use crate::tone::ToneMatch;
use follicle_core::Plan;
use soft::{detail_around, soften_like_photo};

mod soft;

/// Below this many photo pixels per millimetre of scalp, single impressions (≈ 1.1 mm apart, 0.3–0.5 mm
/// wide) cannot be drawn: the full-size picture shows their combined shadow and a closer photo is needed.
pub const MIN_PX_PER_MM: f64 = 2.0;
/// Typical spacing of impressions at full density, mm (85/cm²; GUIDE §3's hexagonal spacing).
pub const SPACING_MM: f64 = 1.1;
/// The enlarged crop shows the scalp at least this many pixels per millimetre.
pub const ZOOM_PX_PER_MM: f64 = 4.0;
/// The enlarged crop is made at least about this wide, pixels.
pub const ZOOM_WIDTH_PX: usize = 640;
/// Size of the enlarged crop on the scalp, mm (width, height).
pub const ZOOM_MM: (f64, f64) = (70.0, 45.0);

/// What to show on a photo.
#[derive(Clone, Copy, Debug)]
pub struct PhotoOptions {
    /// Time point of the impressions.
    pub state: State,
    /// Show the plan after this session (0 = no impressions).
    pub last: usize,
    /// Length of the retained hair once clipped, mm (0 = razor-shaved); `None`: the longest offered guard
    /// whose clipped sides match the treated top on this photo ([`ToneMatch::matching_guard`]), else 0 —
    /// or, for a design worn with the client's own hair kept (`follicle_core::worn`), no clipping at all.
    pub guard_mm: Option<f64>,
    /// The client's skin colour for the optical model (default: the forehead's, from the photo).
    pub skin: Option<Lin>,
    /// The retained hair's colour (default: the photo's).
    pub hair: Option<Lin>,
    /// Viewing distance, mm (the eye's blur).
    pub distance_mm: f64,
}

/// The three pictures at one size, with the crop of the scalp.
#[derive(Clone, Debug)]
pub struct Triple {
    /// The photo as taken.
    pub before: LinearImage,
    /// Retained hair shaved to the guard.
    pub shaved: LinearImage,
    /// Shaved, with the plan's impressions.
    pub after: LinearImage,
}

/// Chroma (C*) from which retained hair found on a photo is red, copper or golden, close to skin in colour
/// ([`PhotoPreview::warm_hair_warning`]): the reference photo's dark brown hair reads 18, copper hair
/// (#784024) 38, skin 20–35.
pub const WARM_HAIR_CHROMA: f64 = 28.0;
/// Hair of any chroma over [`NATURAL_GREY`] is red when its hue (CIELAB h) lies under this, degrees: brown
/// hair lies at 55–75° (the reference photo's 65°, under tungsten 70°), dark copper at about 35°.
pub const RED_HAIR_HUE_DEGREES: f64 = 48.0;
/// See [`RED_HAIR_HUE_DEGREES`]: hair greyer than this C* is black, grey or white.
const NATURAL_GREY: f64 = crate::shade::NATURAL_HAIR_GREY_CHROMA;
/// Retained hair the scalp finder took for skin (docs/photo-scalp.md, failure cases): red or copper hair, and
/// dark hair under a warm colour cast (tungsten light), have the colour of skin in shadow, so nothing is
/// clipped and pigment is drawn over the hair (outside test s37 p11: 0 px shaved on both, against 11,818 on
/// the reference photo, and only "no retained hair to shave" said).
pub const UNSEEN_HAIR: &str = "if the client keeps hair on the sides or the back, it was not told from the skin on this photo (red, copper or golden blond hair reads as skin, and so can any hair in a coloured light with no plain wall beside the head to show the light's colour), and the pictures then show that hair unclipped with pigment drawn over it; check the shaved and after pictures before showing them (a photo taken in daylight before a plain wall takes a colour cast away; red and blond hair stay unseen)";

/// How much lighter than the skin under them the clipped sides may read before the reading is taken for a
/// misreading of that skin and left out (a share of its luminance).
pub const SIDE_MISREAD: f64 = 0.05;

/// A photo preview.
#[derive(Clone, Debug)]
pub struct PhotoPreview {
    /// At the photo's own resolution.
    pub full: Triple,
    /// The scalp enlarged to at least [`ZOOM_PX_PER_MM`], if any impression landed.
    pub zoom: Option<Triple>,
    /// Enlargement of the crop (1 when the photo is sharp enough already).
    pub zoom_factor: usize,
    /// Top-left corner and size of the crop in photo pixels.
    pub zoom_rect: [usize; 4],
    /// Photo pixels per millimetre on the scalp (median over the impressions drawn).
    pub scalp_px_per_mm: f64,
    /// How many times coarser the photo's detail around the scalp is than its pixels (1: sharp; more for a
    /// photo enlarged from a smaller one or out of focus: sharpness.rs).
    pub detail_enlargement: f64,
    /// Millimetres of the scalp the photo really resolves: `scalp_px_per_mm / detail_enlargement`. Under
    /// [`MIN_PX_PER_MM`] the impressions are drawn as their combined shade, not as dots.
    pub detail_px_per_mm: f64,
    /// Impressions drawn on the scalp (any ink).
    pub drawn: usize,
    /// Impressions of the plan in view that the scalp map refused (hair, face, background).
    pub refused: usize,
    /// The photo's area, pixels², of the impressions drawn that face the camera: each counts by the skin
    /// it covers as seen ([`Spot::seen_area`]), and not at all along the head's outline
    /// ([`FACING_SHARE`]), where the impressions crowd, the registration is least sure and the scalp map
    /// fades into the background.
    pub drawn_area: f64,
    /// The same for the impressions in view that the scalp map refused.
    pub refused_area: f64,
    /// The photo's area the impressions drawn facing the camera cover, cm² at the face's scale
    /// ([`crate::seen::seen_cm2`]): how much of the design this photo shows.
    pub seen_cm2: f64,
    /// The area of the zones the plan inks, cm² on the scalp ([`crate::seen::design_cm2`]).
    pub design_cm2: f64,
    /// The design keeps the client's own hair (`follicle_core::worn`) and no guard was asked for: the
    /// "shaved" picture is the photo's hair as worn, nothing clipped, and the impressions land only where
    /// the scalp shows.
    pub hair_as_worn: bool,
    /// Which view the photo is.
    pub view: crate::views::PhotoView,
    /// Pixels redrawn as shaved stubble.
    pub shaved_px: usize,
    /// The classes found on the photo.
    pub map: ScalpMap,
    /// Length the retained hair was clipped to, mm (the one asked for, or the matching one).
    pub guard_mm: f64,
    /// The retained hair's colour the shaved picture draws (the one asked for, else the photo's).
    pub hair: Option<Lin>,
    /// Tones of the treated top in the picture shown and the clipped sides, when the photo shows both (the
    /// default guard is chosen from the finished plan healed, whatever the session and state shown).
    pub tone: Option<ToneMatch>,
    /// Where the treated top and the clipped sides are (regions.rs), for reading tones on the pictures.
    pub regions: ToneRegions,
    /// What the client can see of the design on the after picture (hairline step, top against sides
    /// in the light of each).
    pub reading: DesignReading,
    /// The photo's EXIF orientation (1: shown as stored).
    pub exif_orientation: u8,
    /// On a front photo with no eye beside either eye corner the registration placed: how far each eye
    /// window's darkest part lies under the forehead, L* (`register::eyes_missing`).
    pub no_eyes: Option<[f64; 2]>,
    /// On a back photo, a face where the back of the head should be: how far each eye window's darkest part
    /// lies under the forehead, L* (`register::face_on_back`).
    pub face_on_back: Option<[f64; 2]>,
}

/// The tone warning for white or grey hair whose clipped sides read darker (L* `sides`) than the treated top
/// (L* `top`) on the photo: the light, not the hair; then the white-hair caution.
fn grey_sides_words(sides: f64, top: f64, hair_words: Option<String>) -> String {
    format!(
        "the clipped sides read darker than the treated top on this photo (lightness {sides:.0} against {top:.0}, where 0 is black and 100 white), but {} hair clipped short leaves the skin's own colour: the sides lie in a darker light, so do not make the top denser or darker for them. {}",
        hair_words.unwrap_or_else(|| "grey".into()),
        crate::hair_caution::WHITE_WORDS
    )
}

/// Hair along the photo's top edge from which [`PhotoPreview::edge_hair_warning`] speaks, mm.
pub const EDGE_HAIR_MM: f64 = 5.0;

impl PhotoPreview {
    /// When under [`MIN_ON_HEAD_SHARE`] of the design facing the camera landed on the scalp found on the
    /// photo, the plan does not lie on this head and the pictures are not ones to show a client (probe s8
    /// finding 3; two eye corners, one 30 mm off: 58 %): `follicle render` refuses to write them, the
    /// studio's photo advice says it beside them. Judged by the skin the impressions cover as seen, not
    /// by their number: on a fully bald head the impressions crowded along the outline, foreshortened and
    /// half on the wall, outnumbered those on the top (probe s24: three front photos of shaved heads cut
    /// from dlib's bald_guys.jpg, and the full-scalp example on them, were refused with 22–45 % of the
    /// impressions drawn; by the skin facing the camera 77–86 % landed). A front photo with no eye beside
    /// the eye corners (upside down, marked as if upright: 76 % landed on its chin) is refused first
    /// (`register::eyes_missing`).
    pub fn off_head(&self) -> Option<ScalpError> {
        if let Some([right, left]) = self.no_eyes {
            return Some(ScalpError::NoEyes {
                right,
                left,
                exif_orientation: self.exif_orientation,
            });
        }
        if let Some([right, left]) = self.face_on_back {
            return Some(ScalpError::FaceOnBack { right, left });
        }
        let total = self.drawn_area + self.refused_area;
        let share = if total > 0.0 {
            self.drawn_area / total
        } else {
            1.0
        };
        (share < MIN_ON_HEAD_SHARE).then_some(ScalpError::PlanOffHead {
            drawn: self.drawn,
            left_out: self.refused,
            drawn_share: share,
            exif_orientation: self.exif_orientation,
            top_object: self.map.top_object,
        })
    }

    /// The warning to print when the photo is too coarse for single impressions: too few pixels on the
    /// scalp, or pixels enough but less detail (an enlarged or soft photo).
    pub fn resolution_warning(&self) -> Option<String> {
        if self.drawn == 0 || self.detail_px_per_mm >= MIN_PX_PER_MM {
            return None;
        }
        Some(if self.scalp_px_per_mm >= MIN_PX_PER_MM {
            format!(
                "this photo's detail is about {:.1}× coarser than its pixels (it was enlarged from a smaller photo, or is out of focus): the scalp is {:.1} px/mm in pixels but only about {:.1} px/mm in detail (under {MIN_PX_PER_MM} px/mm), so single impressions cannot be drawn on it and the full picture shows their combined shade; use a closer photo, as the camera took it",
                self.detail_enlargement, self.scalp_px_per_mm, self.detail_px_per_mm
            )
        } else {
            // A photo both small and soft says both (outside test s44: a blurred photo was told only to be
            // taken closer, while the tone line said it was 4.7× softer than its pixels).
            let soft = if self.detail_enlargement > crate::sharpness::SOFT_ABOVE {
                format!(
                    "; its detail is also about {:.1}× coarser than its pixels (out of focus, or enlarged from a smaller photo): the closer photo must be sharp too",
                    self.detail_enlargement
                )
            } else {
                String::new()
            };
            format!(
                "the scalp is only {:.1} px/mm in this photo (under {MIN_PX_PER_MM} px/mm): single impressions cannot be drawn at its size, so the full picture shows their combined shade; use a closer photo (the zoomed crop is the photo enlarged {}×, its detail no sharper than the photo's){soft}",
                self.scalp_px_per_mm, self.zoom_factor
            )
        })
    }

    /// The warning when the retained hair reaches the photo's top edge over [`EDGE_HAIR_MM`] or more: the
    /// wall above it is not on the photo, so the clipped outline cannot be drawn there and the shaved and
    /// after pictures keep a tuft of hair standing on the head (outside test s37: the reference photo cropped
    /// 14 px into its hair, a brown block on the clipped head at the top edge). None where the hair is shown
    /// as worn (nothing is clipped).
    pub fn edge_hair_warning(&self) -> Option<String> {
        let m = &self.map;
        if self.hair_as_worn || m.w == 0 || self.scalp_px_per_mm <= 0.0 {
            return None;
        }
        let across = m.hair[..m.w].iter().filter(|&&p| p > 0.5).count();
        let mm = across as f64 * m.step as f64 / self.scalp_px_per_mm;
        (mm >= EDGE_HAIR_MM).then(|| {
            format!(
                "the client's hair reaches the photo's top edge (over {mm:.0} mm of it): the wall above it is not on the photo, so the clipped outline cannot be drawn there and the shaved and after pictures keep a tuft of hair on top of the head; use a photo with some background above the head"
            )
        })
    }

    /// Something dark enclosed by the bald top (`enclosed_dark`: sunglasses pushed up onto the head, or an
    /// island of retained hair), said in words; None where the hair is shown as worn, and on a top, side or
    /// back photo (whose map does not tell hair from skin).
    pub fn enclosed_dark_warning(&self) -> Option<String> {
        if self.hair_as_worn || self.view != crate::views::PhotoView::Front {
            return None;
        }
        use crate::enclosed_dark as dark;
        dark::enclosed_dark_words(dark::enclosed_dark_cm2(&self.map, self.scalp_px_per_mm)).or_else(
            || dark::band_across_words(dark::band_across_cm2(&self.map, self.scalp_px_per_mm)),
        )
    }

    /// On a top, side or back photo, when [`OUTLINE_ON_BACKDROP`] or more of the head the marks place shows
    /// the backdrop (`ScalpMap::on_backdrop`): the marks fit the head tilted or too large, and the design
    /// may lie wrong on the head though no impression is drawn on the backdrop (outside test s38: the ear
    /// tops marked at the ears' outer edges fitted the mannequin's top view 25° tilted, "could not be
    /// checked" the only word; 3.5 % of the outline on the backdrop with the ear tops 6 mm out, 0 % with the
    /// true marks, on the top and back views).
    pub fn outline_warning(&self) -> Option<String> {
        let share = self.map.on_backdrop;
        (self.view != crate::views::PhotoView::Front && share >= OUTLINE_ON_BACKDROP).then(|| {
            format!(
                "{:.0} % of the head the marks place on this {} photo lies on the backdrop: the marks fit the head tilted or larger than it is, so the design may be drawn in the wrong place on the head (nothing is drawn on the backdrop); check the marks (each ear top at the front of the ear's upper rim, where it joins the head, not the ear's outer edge) and the design's head measurements",
                share * 100.0,
                self.view.name()
            )
        })
    }

    /// The photo shows no retained hair (no hair colour found and no tone of clipped sides): there is nothing
    /// to clip, so no guard is named and the middle picture is the photo as it is.
    pub fn no_hair_to_clip(&self) -> bool {
        self.map.hair_colour.is_none() && self.tone.is_none()
    }

    /// Retained hair found in a red, copper or golden colour ([`WARM_HAIR_CHROMA`]): such hair lies close to
    /// skin in colour, so the scalp map may take part of the bald top for hair (redrawn as stubble) or hair
    /// for skin; said so that the pictures are checked before a client sees them (outside test s44: copper
    /// hair took a third of the bald top, the tone line claiming a match and nothing said).
    pub fn warm_hair_warning(&self) -> Option<String> {
        if self.view != crate::views::PhotoView::Front || self.hair_as_worn {
            return None;
        }
        let hair = self.map.hair_colour?;
        let lab = crate::color::lab_from_lin(hair);
        let (chroma, hue) = (lab.a.hypot(lab.b), lab.b.atan2(lab.a).to_degrees());
        let red = chroma >= NATURAL_GREY && hue < RED_HAIR_HUE_DEGREES;
        (chroma >= WARM_HAIR_CHROMA || red).then(|| {
            format!(
                "the retained hair reads {}, more strongly coloured than dark hair reads (as red, copper or golden hair is), close to the skin's own colour, so the scalp map may have taken part of the bald top for hair (redrawn as stubble in the shaved and after pictures) or some hair for skin: compare the shaved picture with the photo before showing it; where bald skin turned to stubble, that part of the picture is wrong",
                crate::colour_words::colour_words(hair)
            )
        })
    }

    /// Something on the forehead coloured as no skin is (`ScalpMap::forehead_object`): a band, a cap, a
    /// sticker or a drawing. The skin was read around it; the pictures still show it (outside test s44: a red
    /// headband was read as the skin, and pigment was drawn on it with no word about it).
    /// Or the top white and colourless as no skin is (`ScalpMap::top_white`: a white cap, a bandage).
    pub fn object_on_head_warning(&self) -> Option<String> {
        let share = self.map.forehead_object;
        let white = self.map.top_white;
        if share > crate::scalp::OBJECT_SHARE_SAID {
            Some(format!(
                "{:.0} % of the forehead above the brows is coloured as no skin is (a band, a cap, a sticker or a drawing on the head?): the skin colour was read around it, but the pictures show it as photographed and may draw pigment on it; take the photo with the forehead and scalp uncovered",
                share * 100.0
            ))
        } else if white > crate::scalp::WHITE_SHARE_SAID {
            Some(format!(
                "{:.0} % of the top of the head is white and colourless as no skin is, even where light shines on it (a white cap, a bandage or paper on the head?): the pictures draw pigment on it as if it were scalp; take the photo with the scalp uncovered",
                white * 100.0
            ))
        } else {
            None
        }
    }

    /// Said beside "no retained hair" on a front photo of a design that clips the retained hair
    /// ([`UNSEEN_HAIR`]; the other views do not look for hair: `scalp::head_outline_map`).
    pub fn unseen_hair_note(&self) -> Option<&'static str> {
        (self.view == crate::views::PhotoView::Front
            && self.no_hair_to_clip()
            && !self.hair_as_worn)
            .then_some(UNSEEN_HAIR)
    }

    /// The warning when the design faces the camera on too little of this photo for the after picture to
    /// show it ([`crate::seen::coverage_warning`]).
    pub fn coverage_warning(&self) -> Option<String> {
        crate::seen::coverage_warning(
            self.seen_cm2,
            self.design_cm2,
            self.reading.shown.session.0,
            self.view.name(),
        )
    }

    /// The warning to give when the retained hair, clipped to the guard shown, will not read as one
    /// shaved head with the treated top (names the guard that matches).
    /// None on an underexposed photo, whose tones are too dark to advise on ([`ScalpMap::underexposed`]).
    ///
    /// One answer in one light: the tone match reads L* in the photo's own light, where the sides often lie
    /// in the shadow of the head's turn; the design advice compares the two in the same light (how much
    /// each darkens the skin under it, [`DesignReading`]). Where the two disagree on which is darker, the
    /// photo's light made the gap, not the hair: the warning is left out and the design advice speaks
    /// (outside test p11: white hair razor-shaved was "much darker than the treated top (47 against 58) …
    /// a darker top" and, next line, the top "darker than the clipped sides (22 % against -12 %) … a
    /// lighter last session").
    ///
    /// White or grey hair (`hair_caution::white_or_grey`) clipped short leaves the skin's own colour: sides
    /// that still read darker than the treated top are in a darker light, and a denser or darker top is the
    /// wrong advice for them (outside test s44: silver hair razor-shaved read 35 against the top's 56, "consider
    /// a denser or darker top"); the white-hair caution is said instead.
    pub fn tone_warning(&self) -> Option<String> {
        if self.map.underexposed() {
            return None;
        }
        let t = self.tone.as_ref()?;
        if self.hair.is_some_and(crate::hair_caution::white_or_grey)
            && t.sides_l(self.guard_mm) < t.top_after
            && !t.matches(self.guard_mm)
        {
            return Some(grey_sides_words(
                t.sides_l(self.guard_mm),
                t.top_after,
                self.hair.map(crate::colour_words::colour_words),
            ));
        }
        if let (Some(top), Some(sides)) = (self.reading.top_darkening, self.reading.side_darkening)
        {
            let darker_in_the_photo_light = t.sides_l(self.guard_mm) < t.top_after;
            let darker_in_the_same_light = sides > top;
            if darker_in_the_photo_light != darker_in_the_same_light {
                return None;
            }
        }
        t.warning(self.guard_mm)
    }
    /// What the client will not see of the design on this picture and what to change in the plan
    /// ([`DesignReading::advice`]); none on an underexposed photo (its tone differences read too small).
    pub fn design_advice(&self) -> Vec<String> {
        if self.map.underexposed() {
            return Vec::new();
        }
        let room = self
            .tone
            .as_ref()
            .map_or(crate::legible::GuardRoom::ANY, |t| t.room(self.guard_mm));
        self.reading.advice_for(crate::legible::GuardRoom {
            guard_said: self.tone_warning().is_some(),
            ..room
        })
    }
}

/// Impressions whose skin is seen at less than this share of its frontal size (the head turning away
/// beyond about 70°, along its outline) do not count when judging whether the plan lies on the head.
pub const FACING_SHARE: f64 = 0.35;
/// Least share of the design facing the camera (by the skin it covers as seen) that must land on the
/// scalp found on the photo for the plan to lie on the head ([`PhotoPreview::off_head`]).
pub const MIN_ON_HEAD_SHARE: f64 = 0.65;
/// Share of the registered head's outline on the backdrop from which a top, side or back photo's marks are
/// said to be off ([`PhotoPreview::outline_warning`]).
pub const OUTLINE_ON_BACKDROP: f64 = 0.015;

/// Makes the before / shaved / after pictures of `plan` on `photo` registered by `reg`.
pub fn photo_preview(
    photo: &Photo,
    plan: &Plan,
    catalogue: &Catalogue,
    reg: &Registration,
    o: &PhotoOptions,
) -> Result<PhotoPreview, ScalpError> {
    let before = photo.to_linear();
    // The face seeds the classifier on a front photo; other views use the registered head's outline.
    let map = if reg.view == crate::views::PhotoView::Front {
        find_scalp(&before, plan, reg)?
    } else {
        crate::scalp::head_outline_map(&before, plan, reg)
    };
    let skin = o.skin.unwrap_or(map.skin);
    let detail = detail_around(&before, &map, reg.px_per_mm);
    let seed = plan.design.seed;
    // A design worn with the client's own hair kept (follicle_core::worn) is shown with that hair as
    // photographed, the impressions only where the scalp shows; a guard asked for shaves it all the same.
    let hair_as_worn = o.guard_mm.is_none()
        && follicle_core::hair_wear(plan.zones.iter().map(|z| &z.spec))
            == follicle_core::HairWear::AsWorn;
    let shaver = Shaver::new(&before, &map, o.hair, reg.px_per_mm).filter(|_| !hair_as_worn);
    let table = LookTable::new(plan, catalogue, skin, o.state, o.last);
    let mut sp = if o.last > 0 {
        photo_spots(plan, &table, o.state, o.last, reg, photo.w, photo.h)
    } else {
        Vec::new()
    };
    let in_view = sp.iter().filter(|s| s.look != table.redness()).count();
    // The skin the impressions facing the camera cover as seen, for judging whether the plan lies on this
    // head (`PhotoPreview::off_head`).
    let facing = |s: &Spot| {
        let a = s.seen_area();
        if a < FACING_SHARE * reg.px_per_mm * reg.px_per_mm {
            0.0
        } else {
            a
        }
    };
    let in_view_area: f64 = sp
        .iter()
        .filter(|s| s.look != table.redness())
        .map(facing)
        .sum();
    let gates = Gate {
        map: &map,
        shaver: shaver.as_ref(),
        frame: FaceFrame::new(plan, reg).filter(|_| reg.view == crate::views::PhotoView::Front),
    };
    gate(&mut sp, &gates, |x, y| (x, y));
    let kept: Vec<&Spot> = sp
        .iter()
        .filter(|s| s.ink > 0.0 && s.look != table.redness())
        .collect();
    let drawn = kept.len();
    let drawn_area: f64 = kept.iter().map(|s| facing(s)).sum();
    let seen_cm2 = crate::seen::seen_cm2(
        kept.iter().filter(|s| facing(s) > 0.0).map(|s| (s.x, s.y)),
        reg.px_per_mm,
    );
    // The scale across the scalp (the larger singular value: foreshortening squeezes only one way).
    let mut scales: Vec<f64> = kept
        .iter()
        .map(|s| {
            let [a, b, c, d] = s.jac.map(|v| v as f64);
            let e = (a * a + b * b + c * c + d * d) / 2.0;
            let f =
                ((a * a + b * b - c * c - d * d).powi(2) / 4.0 + (a * c + b * d).powi(2)).sqrt();
            (e + f).sqrt()
        })
        .collect();
    scales.sort_by(|a, b| a.total_cmp(b));
    let scalp_px_per_mm = scales
        .get(scales.len() / 2)
        .copied()
        .unwrap_or(reg.px_per_mm);
    let detail_px_per_mm = scalp_px_per_mm / detail.enlargement;
    // The crop: centred on the impressions drawn, weighted by their ink.
    let (mut cx, mut cy, mut wsum) = (0.0, 0.0, 0.0);
    for s in &kept {
        cx += s.x as f64 * s.ink as f64;
        cy += s.y as f64 * s.ink as f64;
        wsum += s.ink as f64;
    }
    // The impressions as a layer of filters on white, multiplied onto the shaved picture. Too coarse a
    // photo for single impressions: the layer is blurred over their spacing into the shade they make
    // together, instead of a sprinkle of pixel-sized dots that are not what anyone would see.
    let mut layer = LinearImage::new(photo.w, photo.h, [1.0; 3]);
    // Fresh: the redness is an area effect over the session just done (below), not a halo per dot.
    let redness = table.redness();
    let fresh = Erythema::new(&sp, redness, &map, reg.px_per_mm, o.state);
    sp.retain(|s| s.look != redness);
    composite(&mut layer, &sp, &table.looks);
    if let Some(e) = &fresh {
        e.redden(&mut layer, &map, |x, y| (x, y));
    }
    if detail_px_per_mm < MIN_PX_PER_MM {
        layer.gaussian_blur(SPACING_MM / 2.0 * scalp_px_per_mm);
    }
    // On a soft photo the impressions are as soft as the skin under them.
    let own_blur = detail.own_blur_px();
    if own_blur > 0.0 {
        layer.gaussian_blur(own_blur);
    }
    // Which guard makes the clipped sides match the treated top; the one asked for, or that one. The
    // treated top is the finished plan healed, whatever the session and state shown: the guard is the
    // client's choice, so the default is the same for every session picture of one plan and photo (probe
    // s8 finding 8: 0.5 mm after session 1 fresh, 0 mm for the final session), and the top's "before"
    // tone is read on the same pixels for every state (probe s6 L2: 65/64/63/62).
    let finished = plan.sessions.len().max(1);
    let final_layer = (o.state != State::Healed || o.last != finished).then(|| {
        let t = LookTable::new(plan, catalogue, skin, State::Healed, finished);
        let mut hs = photo_spots(plan, &t, State::Healed, finished, reg, photo.w, photo.h);
        gate(&mut hs, &gates, |x, y| (x, y));
        let mut l = LinearImage::new(photo.w, photo.h, [1.0; 3]);
        composite(&mut l, &hs, &t.looks);
        if detail_px_per_mm < MIN_PX_PER_MM {
            l.gaussian_blur(SPACING_MM / 2.0 * scalp_px_per_mm);
        }
        l
    });
    let final_layer = final_layer.as_ref().unwrap_or(&layer);
    let regions = ToneRegions::new(
        &map,
        shaver.as_ref(),
        final_layer,
        SPACING_MM * scalp_px_per_mm,
    );
    let finished_tone = shaver
        .as_ref()
        .and_then(|s| ToneMatch::measure(&before, final_layer, &map, &regions, s, seed));
    let guard_mm = o
        .guard_mm
        .or_else(|| finished_tone.as_ref().and_then(|t| t.matching_guard()))
        .unwrap_or(0.0);
    // The tones reported are those of the picture shown (its state and session), on the same regions.
    let tone = if std::ptr::eq(final_layer, &layer) {
        finished_tone
    } else {
        shaver
            .as_ref()
            .and_then(|s| ToneMatch::measure(&before, &layer, &map, &regions, s, seed))
    };
    let mut shaved = before.clone();
    let shaved_px = shaver
        .as_ref()
        .map_or(0, |s| s.apply(&mut shaved, &map, guard_mm, seed));
    soften_like_photo(&before, &mut shaved, detail, 1.0);
    // The layer itself becomes the after picture (no third full-size copy in memory at once).
    let mut after = layer;
    for (l, p) in after.px.iter_mut().zip(&shaved.px) {
        for c in 0..3 {
            l[c] *= p[c];
        }
    }
    // How much the impressions darken the treated top and the stubble the skin under the sides (before
    // the eye's blur, which keeps means).
    let lum = |c: Lin| 0.2126 * c[0] as f64 + 0.7152 * c[1] as f64 + 0.0722 * c[2] as f64;
    let mut reading = DesignReading {
        hairline_zone: crate::legible::hairline_zone(plan),
        shown: crate::legible::Shown {
            session: (o.last, plan.sessions.len()),
            fresh: o.state == State::Fresh,
            years: match o.state {
                State::Aged(y) => y,
                _ => 0.0,
            },
        },
        ..DesignReading::default()
    };
    {
        let (mut ta, mut ts, mut sa, mut sb, mut tl, mut nt) = (0.0, 0.0, 0.0, 0.0, 0.0, 0usize);
        for y in 0..photo.h {
            for x in 0..photo.w {
                if regions.is_top(x, y) {
                    let s = shaved.get(x, y);
                    ts += lum(s);
                    ta += lum(after.get(x, y));
                    tl += crate::color::lab_from_lin(s).l;
                    nt += 1;
                }
                if let Some(sv) = shaver.as_ref().filter(|_| regions.is_side(x, y)) {
                    sa += lum(shaved.get(x, y));
                    sb += lum(sv.skin_under(&map, x as f64 + 0.5, y as f64 + 0.5));
                }
            }
        }
        if nt > 0 && ts > 0.0 {
            reading.top_darkening = Some(1.0 - ta / ts);
            reading.top_lstar = Some(tl / nt as f64);
        }
        // Stubble only darkens the skin under it: sides read lighter than that skin mean the skin under the
        // hair was misread (outside test s41, dark skin: "clipped sides -35 % darker than the skin under
        // them", and advice built on it), so nothing is said of them; a hair under it is the reading's noise.
        let side = 1.0 - sa / sb.max(1e-9);
        if sb > 0.0 && side >= -SIDE_MISREAD {
            reading.side_darkening = Some(side.max(0.0));
        }
    }
    let (cw, ch) = (
        ((ZOOM_MM.0 * scalp_px_per_mm).round() as usize).clamp(8, photo.w),
        ((ZOOM_MM.1 * scalp_px_per_mm).round() as usize).clamp(8, photo.h),
    );
    // At least ZOOM_PX_PER_MM, and big enough to look at (about 640 px wide).
    let zoom_factor = ((ZOOM_PX_PER_MM / scalp_px_per_mm).ceil() as usize)
        .max(ZOOM_WIDTH_PX.div_ceil(cw))
        .clamp(1, 16);
    let mut zoom_rect = [0, 0, cw, ch];
    // Centred on the designed hairline's midline point when it is on the photo (the client sees the
    // forehead, the irregular transition and the treated scalp behind it), else on the impressions.
    let hairline_px = crate::legible::hairline_on_photo(plan, reg, photo.w, photo.h);
    let zoom = (wsum > 0.0).then(|| {
        let (cx, cy) = hairline_px.unwrap_or((cx / wsum, cy / wsum));
        let x0 = (cx - cw as f64 / 2.0).clamp(0.0, (photo.w - cw) as f64) as usize;
        let y0 = (cy - ch as f64 / 2.0).clamp(0.0, (photo.h - ch) as f64) as usize;
        zoom_rect = [x0, y0, cw, ch];
        let z = zoom_factor;
        let zb = enlarge(&before, x0, y0, cw, ch, z);
        // The shaved crop drawn at its own resolution: the same follicles as the full picture, sharper, and
        // the clipped outline as smooth as the maps (the photo's pixels enlarged were a staircase).
        let mut zs = zb.clone();
        if let Some(s) = &shaver {
            s.apply_zoomed(&mut zs, &before, &map, guard_mm, seed, (x0, y0), z);
            // On a soft photo the crop's stubble is as soft as the photo enlarged (outside test s45: crisp
            // dashes on the zoom of a photo blurred by σ 3 px).
            soften_like_photo(&zb, &mut zs, detail, z as f64);
        }
        let zreg = reg.zoomed(z as f64, x0 as f64, y0 as f64);
        let mut zsp = photo_spots(plan, &table, o.state, o.last, &zreg, zs.w, zs.h);
        let zf = z as f64;
        let to_photo = |x: f64, y: f64| (x0 as f64 + x / zf, y0 as f64 + y / zf);
        gate(&mut zsp, &gates, to_photo);
        zsp.retain(|s| s.look != redness);
        let mut za = zs.clone();
        let mut zlayer = LinearImage::new(zs.w, zs.h, [1.0; 3]);
        composite(&mut zlayer, &zsp, &table.looks);
        if let Some(e) = &fresh {
            e.redden(&mut zlayer, &map, to_photo);
        }
        if own_blur > 0.0 {
            zlayer.gaussian_blur(own_blur * zf);
        }
        for (p, l) in za.px.iter_mut().zip(&zlayer.px) {
            for c in 0..3 {
                p[c] *= l[c];
            }
        }
        let mut t = Triple {
            before: zb,
            shaved: zs,
            after: za,
        };
        let sigma = eye_blur_mm(o.distance_mm) * scalp_px_per_mm * zf;
        for img in [&mut t.before, &mut t.shaved, &mut t.after] {
            img.gaussian_blur(sigma);
        }
        t
    });
    let mut full = Triple {
        before,
        shaved,
        after,
    };
    let sigma = eye_blur_mm(o.distance_mm) * reg.px_per_mm;
    for img in [&mut full.before, &mut full.shaved, &mut full.after] {
        img.gaussian_blur(sigma);
    }
    reading.hairline_px = crate::legible::hairline_on_photo(plan, reg, photo.w, photo.h);
    if reading.hairline_px.is_some() {
        reading.hairline_after = crate::legible::hairline_lstar(plan, reg, &full.after);
        reading.hairline_shaved = crate::legible::hairline_lstar(plan, reg, &full.shaved);
    }
    Ok(PhotoPreview {
        full,
        zoom,
        zoom_factor,
        zoom_rect,
        scalp_px_per_mm,
        detail_enlargement: detail.enlargement,
        detail_px_per_mm,
        drawn,
        refused: in_view - drawn,
        drawn_area,
        refused_area: in_view_area - drawn_area,
        seen_cm2,
        design_cm2: crate::seen::design_cm2(plan),
        hair_as_worn,
        view: reg.view,
        shaved_px,
        hair: o.hair.or(map.hair_colour),
        map,
        guard_mm,
        tone,
        regions,
        reading,
        exif_orientation: photo.exif_orientation,
        no_eyes: crate::register::eyes_missing(photo, plan, reg),
        face_on_back: crate::register::face_on_back(photo, plan, reg),
    })
}

/// Where an impression may land on the photo: the bald scalp (`ScalpMap::gate`) and, since s11, the
/// retained hair that stays on the head as clipped stubble, where the plan's side and back zones are
/// inked among the shaved hair (that is how SMP thickens thinning sides); never where pigment is refused
/// whatever the colours say (the face box, the temples beside it below the plan's brow line, below the
/// ear line: `FaceFrame::pigment_share`), on hair that goes with the clipping (it turns into the wall) or on the
/// background. Where the plan has no impression nothing is drawn, so the forehead below the hairline
/// stays bare.
struct Gate<'a> {
    map: &'a ScalpMap,
    /// The retained hair prepared for clipping (none: the photo shows no hair to ink among).
    shaver: Option<&'a Shaver>,
    frame: Option<FaceFrame>,
}

impl Gate<'_> {
    /// How much of an impression lands at photo pixel (`x`, `y`): 0–1.
    fn at(&self, x: f64, y: f64) -> f32 {
        let map = self.map;
        let bare = map.gate(x, y);
        let (Some(shaver), Some(frame)) = (self.shaver, self.frame) else {
            return bare;
        };
        let (along, up) = frame.mm(x, y);
        let share = FaceFrame::pigment_share(along, up);
        if share <= 0.0 {
            return bare;
        }
        let p = share
            * map.hair_at(x, y)
            * (1.0 - shaver.clipped_away(map, x, y))
            * (1.0 - map.sample(&map.background, x, y));
        let t = ((p - 0.35) / 0.3).clamp(0.0, 1.0);
        bare.max(t * t * (3.0 - 2.0 * t))
    }
}

/// Scales each spot's ink by where it lands (`to_photo` maps a spot's pixel position to the photo's
/// pixels).
fn gate(spots: &mut [Spot], g: &Gate, to_photo: impl Fn(f64, f64) -> (f64, f64)) {
    for s in spots {
        let (x, y) = to_photo(s.x as f64, s.y as f64);
        s.ink *= g.at(x, y);
    }
}

/// The crop (`x0`, `y0`, `w`, `h`) of `img` enlarged `z` times (bilinear in linear light).
pub fn enlarge(
    img: &LinearImage,
    x0: usize,
    y0: usize,
    w: usize,
    h: usize,
    z: usize,
) -> LinearImage {
    let mut out = LinearImage::new(w * z, h * z, [0.0; 3]);
    let zf = z as f64;
    for y in 0..h * z {
        let fy = (y0 as f64 + (y as f64 + 0.5) / zf - 0.5).clamp(0.0, (img.h - 1) as f64);
        let (ya, ty) = (fy as usize, (fy - fy.floor()) as f32);
        let yb = (ya + 1).min(img.h - 1);
        for x in 0..w * z {
            let fx = (x0 as f64 + (x as f64 + 0.5) / zf - 0.5).clamp(0.0, (img.w - 1) as f64);
            let (xa, tx) = (fx as usize, (fx - fx.floor()) as f32);
            let xb = (xa + 1).min(img.w - 1);
            let g = |x: usize, y: usize| img.px[y * img.w + x];
            let (a, b, c, d) = (g(xa, ya), g(xb, ya), g(xa, yb), g(xb, yb));
            out.px[y * out.w + x] = [0, 1, 2].map(|k| {
                (a[k] * (1.0 - tx) + b[k] * tx) * (1.0 - ty) + (c[k] * (1.0 - tx) + d[k] * tx) * ty
            });
        }
    }
    out
}
