//! The head as it will be worn: SMP clients keep their retained hair clipped to match the pigment, so the
//! preview redraws the retained hair a photo shows as shaved stubble of a chosen clipper guard.
//!
//! Model (docs/photo-scalp.md). Clipping takes the length and texture off longer hair, not its shadow: a
//! dark-haired head clipped to 0.5 mm reads as a dark grey-brown shadow (the stubble and the shafts under
//! the skin), a razor-shaved one as a lighter grey shadow. So the shaved picture keeps a share
//! [`retained_shadow`] of the darkening the photo's own hair makes over the skin under it (the hair's
//! pixels averaged over about a millimetre, so the light and colour are the photo's), drawn follicle by
//! follicle (`stubble.rs`: dark dots and short strokes whose mean is that shadow). The skin under the
//! hair continues the bald skin beside it (normalised convolution). Hair that stands out over the skull's outline goes: it turns into the photo's own background beside it, both
//! its outer rim and, where the registered head's outline lies inside the hair, all of it beyond that
//! outline (up to [`SKULL_CUT_MM`] deep), so the head reads shaved, not capped. Nothing outside the
//! retained hair (and two working pixels around it) changes.

use crate::color::Lin;
use crate::dome::lum;
use crate::raster::LinearImage;
use crate::scalp::{blur_mask, ScalpMap};
use crate::shaved_maps::{bilinear, bilinear_mask, chamfer_depth, mirrored_background};
use crate::stubble::Clip;

/// Hairs per mm² on a scalp that keeps its hair (about 1 follicular unit of ~2 hairs per mm²; Bernstein &
/// Rassman 1997).
pub const HAIRS_PER_MM2: f64 = 2.0;
/// Reach of the bald skin's colour into the hair region it continues under, mm (Gaussian σ).
pub const SKIN_REACH_MM: f64 = 5.0;
/// Thickness of the retained hair that stands out over the head's outline and goes when clipped, mm.
pub const HAIR_RIM_MM: f64 = 2.5;
/// Deepest into the retained hair, from its outline against the background, that hair beyond the registered
/// skull's outline goes when clipped, mm: clipped sides stand at most about this far off the skull (the
/// hair's length); deeper, the photo is trusted over the registered head's outline.
pub const SKULL_CUT_MM: f64 = 5.0;
/// Luminance of the retained hair (where densest) over the forehead skin's from which the hair is taken for
/// stubble with the skin seen through it, standing no layer off the skull (session 34: a shaved head's
/// sides, #856751 on skin #b7906a, 0.49; the reference photo's clipped dark hair 0.03).
pub const LAYER_HAIR_FROM: f32 = 0.45;
/// Least share of the skin's chroma (C*) the retained hair keeps to be taken for stubble with the skin seen
/// through it: a shaved head's sides keep the skin's colour darkened (#856751 on #b7906a: C* 22 of 27);
/// grey and white hair does not, and is a layer whatever its lightness.
pub const STUBBLE_CHROMA_KEPT: f64 = 0.5;
/// Luminance ratio under which the retained hair is a layer that hides the skin, its rim going in full.
pub const LAYER_HAIR_FULL: f32 = 0.25;
/// Range of the light on the skin under the hair, relative to the continued skin: the hair's smoothed
/// luminance over its median, clamped. Both ways: capped at 1 the factor only darkened, and the lit half
/// of the sides came out darker than their own hair's light says.
pub const SHADE_RANGE: (f32, f32) = (0.6, 1.3);
/// Share of the retained hair's darkening left by a razor: the shafts under the skin and the follicles'
/// shadow (assumption: a razor-shaved dark-haired scalp reads as a lighter grey shadow, not bare skin).
pub const RAZOR_SHADOW: f64 = 0.2;
/// Length over which stubble regains the rest of the darkening, mm (assumption: 0.5 mm keeps ≈ 74 %,
/// 1.5 mm ≈ 97 %: a clipped dark head reads as a dark grey-brown shadow).
pub const SHADOW_LENGTH_MM: f64 = 0.45;
/// Reach over which the photo's hair is averaged into its shadow, mm (takes out longer hair's texture).
pub const SHADOW_SMOOTH_MM: f64 = 1.0;
/// Hair probability from which a pixel is redrawn at all (the retained hair and the fade of its map towards
/// the ears and the face; the shaved colour fades in from here to [`SURE_HAIR`], so the shaving ends
/// without a step: redrawn in full from 0.2 and not at all below it, the sides met the hair kept beside the
/// face in a step of 15 L*, the notch above his ears on the reference photo).
pub const HAIR_FADE_FROM: f32 = 0.05;
/// Background probability from which a pixel of the hair's outline counts as wall in the fade of the hair
/// that turns into wall. 0 since s11: the whole wall share counts with the hair's (at 0.2 an old outline
/// pixel of hair 0.22 and wall 0.17 took a third of the wall once the fade began at [`RIM_FADE_FROM`]:
/// a grey arc over the crown on 68 columns of the reference photo, now 7, the photo as taken 3); the
/// skin of an ear or a shadow beside the hair is kept by [`RIM_FADE_FROM`] (its wall share is near 0).
pub const WALL_FROM: f32 = 0.0;
/// Hair probability from which hair standing beyond the head's outline turns into the wall in full.
pub const RIM_FROM: f32 = 0.35;
/// Hair probability (with the wall's share over [`WALL_FROM`]) under which nothing turns into the wall.
pub const RIM_FADE_FROM: f32 = 0.15;
/// Least chroma (C*) of the skin for the hair's grey edge to be told from it by colour (`Shaver::edge_w`):
/// on pale, nearly grey skin the two cannot be told apart this way.
pub const EDGE_SKIN_CHROMA: f64 = 10.0;
/// The hair's edge against the wall has under this share of the skin's chroma (hair and a grey wall blended;
/// an ear keeps the skin's colour).
pub const EDGE_GREYER: f64 = 0.5;
/// How far (working pixels) the hair and the wall may lie on either side of its edge: the maps are smoothed
/// over about a millimetre, so the two meet over 6–9 pixels on the p11 photos.
const EDGE_REACH: i64 = 5;
/// Hair probability from which a pixel takes the shaved colour by its whole probability.
pub const SURE_HAIR: f32 = 0.4;
/// Exponent of the photo's own fine texture kept in the stubble (its contrast against the hair's local
/// mean; 0 = a flat tint, 1 = the long hair's full texture).
pub const DETAIL_KEPT: f32 = 0.2;
/// Share of the client's own skin colour (the forehead's chromaticity, at the local light) in the skin
/// continued under the hair; the rest is the colour of the bare skin beside it.
pub const SKIN_CHROMA_KEPT: f32 = 0.8;
/// Longest clipper guard accepted, mm (longer hair is no longer "shaved").
pub const MAX_GUARD_MM: f64 = 6.0;

/// Redraws the retained hair on `img` (linear light, full size, the photo the map was made from) as
/// stubble `guard_mm` long of colour `hair` (the photo's hair colour when `None`), at `px_per_mm` on the
/// scalp; `seed` fixes the stubble's texture. Returns how many pixels changed.
pub fn shave(
    img: &mut LinearImage,
    map: &ScalpMap,
    hair: Option<Lin>,
    guard_mm: f64,
    px_per_mm: f64,
    seed: u64,
) -> usize {
    match Shaver::new(img, map, hair, px_per_mm) {
        Some(s) => s.apply(img, map, guard_mm, seed),
        None => 0,
    }
}

/// The retained hair of one photo prepared for clipping: the skin continued under it, the hair's own
/// shadow, where it may change and where it turns into background. Made once, then applied at any guard
/// (or only measured, [`Shaver::sides_lstar`], to choose the guard that matches the pigment).
#[derive(Clone)]
pub struct Shaver {
    /// The bald skin continued under the hair (working pixels, linear light).
    base: LinearImage,
    /// The hair's own shadow, its long-hair texture averaged out (working pixels).
    own: LinearImage,
    /// The dome's light over the light the photo's hair is seen in (`dome::SkinUnder::relight`).
    relight: Vec<f32>,
    /// Where shaving may change anything (working pixels, 0/1).
    zone: Vec<f32>,
    /// How much of a pixel turns into the background beside it (the outer rim of the hair).
    rim_w: Vec<f32>,
    /// The hair's edge against the wall that the classes called skin (working pixels, 0/1): it goes with the
    /// rim.
    edge_w: Vec<f32>,
    /// The hair map grown by one working pixel: the hair's faint outer tips just outside it (blended into the
    /// wall, a few levels darker than it) go with the rim too.
    hair_near: Vec<f32>,
    /// Furthest walk to a sure background pixel, photo pixels.
    reach: usize,
    /// The background map blurred over [`SKULL_CUT_MM`]: its gradient points away from the head deep
    /// inside the hair too, where the background map itself is flat.
    away: Vec<f32>,
    /// Photo pixels per mm on the scalp (the stubble's follicles are laid out in mm).
    px_per_mm: f64,
    /// The hair's melanin seen through this client's skin, as a filter on the skin under it (linear RGB,
    /// the optical model's `over_pigment`): the colour of the shafts a razor leaves under the skin.
    through: Lin,
}

impl Shaver {
    /// Prepares the retained hair of `img` (linear light, the photo the map was made from) for clipping;
    /// `None` when the photo shows no retained hair and no `hair` colour is given.
    pub fn new(
        img: &LinearImage,
        map: &ScalpMap,
        hair: Option<Lin>,
        px_per_mm: f64,
    ) -> Option<Shaver> {
        let hair_override = hair;
        let hair = hair.or(map.hair_colour)?;
        let (w, h) = (map.w, map.h);
        let work = img.downsample(map.step);
        // The skin under the hair: the bald skin's colour continued into the hair region, lit as the head's
        // dome turns from the light (dome.rs).
        let crate::dome::SkinUnder { base, relight } =
            crate::dome::skin_under_hair(&work, map, px_per_mm);
        let hw: Vec<f32> = map.hair.iter().map(|&p| p * p).collect();
        // Where shaving may change anything: the retained hair itself (probability over [`HAIR_FADE_FROM`]), grown by
        // two working pixels for its soft edge. Nothing else on the photo changes, whatever the soft
        // probabilities say about the background beside it.
        let solid: Vec<f32> = map
            .hair
            .iter()
            .map(|&p| (p > HAIR_FADE_FROM) as u8 as f32)
            .collect();
        let mut zone = solid.clone();
        for _ in 0..2 {
            let prev = zone.clone();
            for y in 0..h {
                for x in 0..w {
                    if prev[y * w + x] > 0.0 {
                        for (dx, dy) in [(-1i64, 0i64), (1, 0), (0, -1), (0, 1)] {
                            let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                            if nx >= 0 && ny >= 0 && (nx as usize) < w && (ny as usize) < h {
                                zone[ny as usize * w + nx as usize] = 1.0;
                            }
                        }
                    }
                }
            }
        }
        // The hair's own shadow with its long-hair texture taken out: the photo's hair pixels averaged over
        // about a millimetre (normalised convolution over the hair), recoloured when `--hair` is given.
        let tex_sigma = (SHADOW_SMOOTH_MM * px_per_mm / map.step as f64).max(0.7);
        let hsum_t = blur_mask(&hw, w, h, tex_sigma);
        let mut own = work.weighted(w, h, &hw);
        own.smooth(tex_sigma);
        let recolour: Lin = match (hair_override, map.hair_colour) {
            (Some(o), Some(p)) => [0, 1, 2].map(|c| (o[c] / p[c].max(1e-4)).clamp(0.0, 20.0)),
            _ => [1.0; 3],
        };
        for (i, p) in own.px.iter_mut().enumerate() {
            *p = if hsum_t[i] > 1e-3 {
                [0, 1, 2].map(|c| p[c] / hsum_t[i] * recolour[c])
            } else {
                hair
            };
        }
        // What goes with the clipping, measured as a distance into the hair from its outline against the
        // background (not a blur of the background, so the new outline is as sharp as the photo's own): the
        // outer HAIR_RIM_MM everywhere (hair standing out against the background), and, where the registered
        // skull's outline lies inside the hair, the hair beyond it as deep as SKULL_CUT_MM. It turns into the
        // background beside it (the photo's own pixels, mirrored across the hair's outline, so the wall keeps
        // its grain).
        // The new outline is feathered over the photo's own edge (its 10–90 % rise from the head to the
        // wall, edge.rs): cut on the chamfer distance as it is, it followed the pixel grid, a staircase of
        // 1-px steps against the photo's soft edge. The distance is smoothed over the feather (its contours
        // no longer steps) and the cut is a smooth step as wide as the photo's edge (a smooth step rises
        // 10–90 % over 0.61 of its width), with compact support, so the stubble that stays takes no share
        // of the wall (a Gaussian's tail laid 5–10 % of the wall on the dark side's stubble: +0.035 on
        // Y 0.07, a lighter band). The cut's middle is where it was; its inner end reaches half the
        // photo's edge width farther into the hair.
        // Read where the head (hair or bare skin) lies within two working pixels of the background's outline:
        // on the outline pixel itself head and wall are both about half, and only a handful of profiles
        // counted (outside test s42: one to six on the reference photo and its crops, the width read from
        // 1.5 to 9 px, a dark blurred halo or a hard cut-out round the head depending on the crop).
        let head_at = |i: usize| map.hair[i] > 0.5 || map.bare[i] > 0.5;
        let edge_px = crate::edge::photo_edge_px(&work, &map.background, |i| {
            let (x, y) = (i % w, i / w);
            (y.saturating_sub(2)..(y + 3).min(h))
                .any(|yy| (x.saturating_sub(2)..(x + 3).min(w)).any(|xx| head_at(yy * w + xx)))
        })
        .unwrap_or(1.0);
        let depth = blur_mask(
            &chamfer_depth(&map.background, w, h),
            w,
            h,
            (edge_px / 2.56).max(0.5),
        );
        let px_mm = px_per_mm / map.step as f64;
        let (rim_px, cut) = (HAIR_RIM_MM * px_mm, SKULL_CUT_MM * px_mm);
        let soft = (edge_px / 0.61).max(0.7 * px_mm).max(0.75);
        let edge = |reach: f64, d: f32| {
            let t = ((reach - d as f64) / soft + 0.5).clamp(0.0, 1.0) as f32;
            t * t * (3.0 - 2.0 * t)
        };
        // Only hair that hides the skin makes a layer that stands off the skull: hair whose colour where it
        // is densest lets much of the skin's light through (luminance over [`LAYER_HAIR_FROM`] of the
        // skin's) is stubble on a shaved head, the skin seen between its shafts, and the head's outline on
        // the photo is the skull's: none of it goes (session 34: on a shaved head the whole top outline was
        // cut 1–2 px into the skin, a ragged head with glassy streaks of the wall at its temples).
        // Grey, white or ash hair is as light but keeps little of the skin's colour: it is a layer.
        let layer_hair = {
            let seen = map.hair_colour.unwrap_or(hair);
            let through = lum(&seen) / lum(&map.skin).max(1e-4);
            let t =
                ((LAYER_HAIR_FROM - through) / (LAYER_HAIR_FROM - LAYER_HAIR_FULL)).clamp(0.0, 1.0);
            let chroma = |c: Lin| {
                let l = crate::color::lab_from_lin(c);
                l.a.hypot(l.b)
            };
            let skin_coloured = chroma(seen) >= STUBBLE_CHROMA_KEPT * chroma(map.skin);
            if skin_coloured {
                t * t * (3.0 - 2.0 * t)
            } else {
                1.0
            }
        };
        let rim_w: Vec<f32> = (0..w * h)
            .map(|i| {
                let beyond = (1.0 - map.skull[i]).clamp(0.0, 1.0);
                layer_hair * edge(rim_px, depth[i]).max(beyond * edge(cut, depth[i]))
            })
            .collect();
        // The hair's grey edge against the wall that the classes gave to the skin (dark skin and dark hair:
        // only the hair's dark core is unlike the skin, and its edge blended with the wall is as dark as the
        // skin): between hair and wall within a few working pixels ([`EDGE_REACH`]), in the rim that goes, and far greyer than
        // the skin (an ear beside the hair keeps the skin's colour). Left as it was, it stood as a dark rim
        // around the wall-coloured crescent the hair inside it turned into (outside test p11, `darkskin6`).
        let skin_chroma = {
            let l = crate::color::lab_from_lin(map.skin);
            l.a.hypot(l.b)
        };
        let edge_w: Vec<f32> = (0..w * h)
            .map(|i| {
                if skin_chroma < EDGE_SKIN_CHROMA
                    || map.hair[i] >= 0.5
                    || map.background[i] >= 0.5
                    || rim_w[i] < 0.5
                {
                    return 0.0;
                }
                let l = crate::color::lab_from_lin(work.px[i]);
                if l.a.hypot(l.b) >= EDGE_GREYER * skin_chroma {
                    return 0.0;
                }
                let (x, y) = ((i % w) as i64, (i / w) as i64);
                let (mut hair_near, mut wall_near) = (0f32, 0f32);
                for dy in -EDGE_REACH..=EDGE_REACH {
                    for dx in -EDGE_REACH..=EDGE_REACH {
                        let (nx, ny) = (x + dx, y + dy);
                        if nx >= 0 && ny >= 0 && (nx as usize) < w && (ny as usize) < h {
                            let j = ny as usize * w + nx as usize;
                            hair_near = hair_near.max(map.hair[j]);
                            wall_near = wall_near.max(map.background[j]);
                        }
                    }
                }
                (hair_near >= 0.5 && wall_near >= 0.5) as u8 as f32
            })
            .collect();
        for (z, e) in zone.iter_mut().zip(&edge_w) {
            *z = z.max(*e);
        }
        let away = blur_mask(&map.background, w, h, cut.max(1.0));
        // Outside test s48: the outermost tips, under the hair map's fade, were kept as they were, a thin grey
        // arc of the old outline on the wall beside the shaved head.
        let hair_near: Vec<f32> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let mut m = map.hair[i];
                for yy in y.saturating_sub(1)..(y + 2).min(h) {
                    for xx in x.saturating_sub(1)..(x + 2).min(w) {
                        m = m.max(map.hair[yy * w + xx]);
                    }
                }
                m
            })
            .collect();
        let reach = ((4.0 * HAIR_RIM_MM).max(2.0 * SKULL_CUT_MM) * px_per_mm).ceil() as usize + 2;
        let over = crate::optics::over_pigment(map.skin, hair, 1.0);
        let through = [0, 1, 2].map(|c| (over[c] / map.skin[c].max(1e-4)).clamp(0.02, 1.0));
        Some(Shaver {
            base,
            own,
            relight,
            zone,
            rim_w,
            edge_w,
            hair_near,
            reach,
            away,
            px_per_mm,
            through,
        })
    }

    /// The photo's point (`fx`, `fy`) (photo pixels, continuous) of `img` clipped as `c` says, drawn by a
    /// pixel `pixel_px` photo pixels wide (1 on the photo, 1/z in a crop enlarged z times): the shaved
    /// colour and how much of the pixel it replaces; `None` where nothing changes.
    fn pixel(
        &self,
        img: &LinearImage,
        map: &ScalpMap,
        fx: f64,
        fy: f64,
        pixel_px: f64,
        c: &Clip,
    ) -> Option<(Lin, f32)> {
        let (w, h, step) = (map.w, map.h, map.step as f64);
        let x = (fx.max(0.0) as usize).min(img.w - 1);
        let y = (fy.max(0.0) as usize).min(img.h - 1);
        let (wx, wy) = (fx / step - 0.5, fy / step - 0.5);
        let z = bilinear_mask(&self.zone, w, h, wx, wy);
        // Hair going with the clipping (its rim, and all of it beyond the skull's outline) is replaced whole,
        // its soft outer edge too (blended by the hair probability alone it left a grey halo on the wall),
        // where the background beside it is found.
        // Only hair goes with the clipping: the rim fades out with the hair map's own fade (the skin of an
        // ear beside the hair is not turned into wall).
        // A pixel of the old outline is hair and wall mixed (a low hair probability): it fades by hair and
        // wall together, so it turns into wall in full (faded by the hair alone it kept a share of the
        // stubble's skin colour: a thin pale ring where the hair's outline was).
        let hp = map.hair_at(fx, fy);
        let hw =
            hp + ((map.sample(&map.background, fx, fy) - WALL_FROM) / (1.0 - WALL_FROM)).max(0.0);
        // From RIM_FADE_FROM, not HAIR_FADE_FROM: where the hair map fades out low on the sides (the hair
        // kept round the ears) its 0.05–0.15 pixels are kept hair and ear, not hair standing out; once the
        // wall beside them was found (s11), a ramp from 0.05 laid a third of the wall on the top of his
        // left ear, a light notch.
        let ramp = ((hw - RIM_FADE_FROM) / (RIM_FROM - RIM_FADE_FROM)).clamp(0.0, 1.0);
        let rim_here = bilinear_mask(&self.rim_w, w, h, wx, wy);
        let rim = (rim_here
            * ramp
            * ramp
            * (3.0 - 2.0 * ramp)
            * ((hp.max(bilinear_mask(&self.hair_near, w, h, wx, wy)) - 0.4 * HAIR_FADE_FROM)
                / (0.6 * HAIR_FADE_FROM))
                .clamp(0.0, 1.0))
        .max(rim_here * bilinear_mask(&self.edge_w, w, h, wx, wy));
        let bg = (rim * z > 1e-3)
            .then(|| mirrored_background(img, map, &self.away, x, y, self.reach))
            .flatten();
        // Fades in from HAIR_FADE_FROM to SURE_HAIR, so where the hair map fades (towards the ears and the
        // face) the shaving ends without a step.
        let t = ((hp - HAIR_FADE_FROM) / (SURE_HAIR - HAIR_FADE_FROM)).clamp(0.0, 1.0);
        let hz = hp * t * t * (3.0 - 2.0 * t) * z;
        // Wall where the hair goes (`a_bg`), stubble in the share of the rest that is hair (`a_st`): the
        // stubble's skin colour is never laid on the wall beside the old outline (mixed in by the rim's
        // weight it drew a thin pale ring where the hair's outline was).
        let a_bg = if bg.is_some() { rim * z } else { 0.0 };
        let a_st = hz * (1.0 - a_bg);
        let a = a_bg + a_st;
        if a < 0.02 {
            return None;
        }
        let b = bilinear(&self.base, wx, wy);
        let o = bilinear(&self.own, wx, wy);
        // The photo's own fine texture (its pixel against the hair's local mean) carried over at a fraction of
        // its contrast: the stubble keeps the grain and the light of the hair it was clipped from, and its
        // outline stays soft instead of a smooth shell.
        let detail = if lum(&o) > 1e-4 {
            (lum(&img.get(x, y)) / lum(&o))
                .clamp(0.25, 4.0)
                .powf(DETAIL_KEPT)
        } else {
            1.0
        };
        // The stubble's mean colour, drawn follicle by follicle (stubble.rs): dark dots and short strokes
        // whose mean is that colour, in the light of the skin under them.
        let lit = bilinear_mask(&self.relight, w, h, wx, wy);
        let mean = self
            .stubble(b, o.map(|v| v * lit), c.keep)
            .map(|v| v * detail);
        let bl = b.map(|v| v * detail);
        let t = c
            .stubble
            .at(
                fx / self.px_per_mm,
                fy / self.px_per_mm,
                pixel_px / self.px_per_mm,
            )
            .with_grain(c.grain);
        let mut s: Lin = crate::stubble::textured(bl, mean, c.above, &t);
        if let Some(bg) = bg {
            s = [0, 1, 2].map(|c| (s[c] * a_st + bg[c] * a_bg) / a);
        }
        Some((s, a))
    }

    /// The clipped colour over skin `b` (the bald skin continued under the hair, in its light) of hair
    /// whose own shadow is `o`, keeping `keep` of its darkening: as dark (in luminance) as
    /// `b − keep·(b − o)`, coloured as the stubble is seen. The share a razor leaves
    /// ([`RAZOR_SHADOW`]) lies under the skin and is seen through it (the hair's melanin under the
    /// epidermis: the grey-blue of a shaved dark scalp, never the flesh tone of the skin or the hair's own
    /// brown); the rest stands above the skin in the hair's own colour.
    fn stubble(&self, b: Lin, o: Lin, keep: f32) -> Lin {
        let direct: Lin = [0, 1, 2].map(|c| (b[c] - keep * (b[c] - o[c]).max(0.0)).max(0.0));
        let (yb, ys) = (lum(&b), lum(&direct));
        if yb <= 1e-5 || ys >= yb {
            return direct;
        }
        // Through the skin: the skin darkened by the filter to the power that gives the same luminance.
        let yf = lum(&[0, 1, 2].map(|c| b[c] * self.through[c])).max(1e-6);
        let alpha = if yf < yb {
            ((ys / yb).ln() / (yf / yb).ln()).max(0.0)
        } else {
            0.0
        };
        let mut under: Lin = [0, 1, 2].map(|c| b[c] * self.through[c].powf(alpha));
        let yu = lum(&under);
        if yu > 1e-6 {
            under = under.map(|v| v * ys / yu);
        }
        let above = ((keep - RAZOR_SHADOW as f32) / keep.max(1e-4)).clamp(0.0, 1.0);
        [0, 1, 2].map(|c| under[c] * (1.0 - above) + direct[c] * above)
    }

    /// The same clipping in the light the photo shows the hair in (the skin under it continued from the
    /// bare skin beside it, in the hair region's own light: [`SHADE_RANGE`]), not the dome's
    /// (`dome.rs`). The guard is chosen on it (`tone.rs`): which guard matches is a question of the
    /// stubble's tone against the pigment's, and the dome darkens the side turned away from the light by
    /// 10–20 L* on the reference photo, which would make no guard match there however short.
    pub fn photo_lit(&self) -> Shaver {
        let mut s = self.clone();
        for (p, r) in s.base.px.iter_mut().zip(&s.relight) {
            *p = p.map(|v| v / r.max(1e-4));
        }
        s.relight.iter_mut().for_each(|r| *r = 1.0);
        s
    }

    /// The bald skin continued under the hair at photo pixel (`x`, `y`), in the light there (what the
    /// stubble darkens; linear light).
    pub fn skin_under(&self, map: &ScalpMap, x: f64, y: f64) -> Lin {
        let (wx, wy) = (x / map.step as f64 - 0.5, y / map.step as f64 - 0.5);
        bilinear(&self.base, wx, wy)
    }

    /// How much of photo pixel (`x`, `y`) goes with the clipping (hair standing out against the background
    /// or beyond the registered skull's outline, turned into the background beside it): 0–1.
    pub fn clipped_away(&self, map: &ScalpMap, x: f64, y: f64) -> f32 {
        let (wx, wy) = (x / map.step as f64 - 0.5, y / map.step as f64 - 0.5);
        bilinear_mask(&self.rim_w, map.w, map.h, wx, wy)
            * bilinear_mask(&self.zone, map.w, map.h, wx, wy)
    }

    /// Redraws the retained hair on `img` as stubble `guard_mm` long; `seed` fixes its follicles. Returns
    /// how many pixels changed.
    pub fn apply(&self, img: &mut LinearImage, map: &ScalpMap, guard_mm: f64, seed: u64) -> usize {
        let c = Clip::new(guard_mm, seed);
        // Every pixel is read from the photo as it was (the wall mirrored in beside the hair never reads a
        // pixel already shaved), so the rows can be drawn on every core in any order.
        let before = img.clone();
        let w = img.w;
        crate::rows::by_rows(&mut img.px, w, |y0, rows| {
            let mut changed = 0;
            for (k, p) in rows.iter_mut().enumerate() {
                let (x, y) = (k % w, y0 + k / w);
                let Some((s, a)) =
                    self.pixel(&before, map, x as f64 + 0.5, y as f64 + 0.5, 1.0, &c)
                else {
                    continue;
                };
                for c in 0..3 {
                    p[c] = p[c] * (1.0 - a) + s[c] * a;
                }
                changed += 1;
            }
            changed
        })
    }

    /// Redraws the retained hair on `out`, the crop of `before` from (`x0`, `y0`) enlarged `z` times, as
    /// stubble `guard_mm` long drawn at the crop's own resolution: the same follicles as [`Shaver::apply`]
    /// draws on the photo, sharper, and the clipped outline as smooth as the maps under it (not the photo's
    /// pixels enlarged).
    #[allow(clippy::too_many_arguments)]
    pub fn apply_zoomed(
        &self,
        out: &mut LinearImage,
        before: &LinearImage,
        map: &ScalpMap,
        guard_mm: f64,
        seed: u64,
        (x0, y0): (usize, usize),
        z: usize,
    ) {
        let c = Clip::new(guard_mm, seed);
        let zf = z.max(1) as f64;
        for y in 0..out.h {
            for x in 0..out.w {
                let (fx, fy) = (
                    x0 as f64 + (x as f64 + 0.5) / zf,
                    y0 as f64 + (y as f64 + 0.5) / zf,
                );
                let Some((s, a)) = self.pixel(before, map, fx, fy, 1.0 / zf, &c) else {
                    continue;
                };
                let p = &mut out.px[y * out.w + x];
                for c in 0..3 {
                    p[c] = p[c] * (1.0 - a) + s[c] * a;
                }
            }
        }
    }

    /// Mean L* of the pixels `which` accepts once clipped to `guard_mm`, read on every `stride`-th pixel
    /// of every `stride`-th row of `img` (the photo before shaving), with how many were read.
    pub fn lstar_where(
        &self,
        img: &LinearImage,
        map: &ScalpMap,
        guard_mm: f64,
        seed: u64,
        stride: usize,
        which: impl Fn(usize, usize) -> bool,
    ) -> (f64, usize) {
        let c = Clip::new(guard_mm, seed);
        let (mut sum, mut n) = (0.0, 0);
        for y in (0..img.h).step_by(stride.max(1)) {
            for x in (0..img.w).step_by(stride.max(1)) {
                if !which(x, y) {
                    continue;
                }
                let mut p = img.get(x, y);
                if let Some((s, a)) = self.pixel(img, map, x as f64 + 0.5, y as f64 + 0.5, 1.0, &c)
                {
                    p = [0, 1, 2].map(|c| p[c] * (1.0 - a) + s[c] * a);
                }
                sum += crate::color::lab_from_lin(p).l;
                n += 1;
            }
        }
        (sum / n.max(1) as f64, n)
    }
}

/// Share of the darkening the photo's (longer) retained hair makes that stubble `guard_mm` long keeps:
/// [`RAZOR_SHADOW`] for a razor (the shafts seen under the skin), rising to all of it at a few mm.
pub fn retained_shadow(guard_mm: f64) -> f64 {
    let g = guard_mm.clamp(0.0, MAX_GUARD_MM);
    1.0 - (1.0 - RAZOR_SHADOW) * (-g / SHADOW_LENGTH_MM).exp()
}

#[cfg(test)]
#[path = "shaved_tests.rs"]
mod tests;
