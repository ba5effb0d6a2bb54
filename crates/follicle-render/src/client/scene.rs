//! Making the pictures of a photo: the scene every picture of it shares ([`PhotoScene`]) and the before /
//! shaved / after pictures drawn on it at a time point, session and distance.

use super::kept::{finished_key, scalp_scale, Finished, Kept};
use super::*;

/// What every picture of one photo shares whatever the time point, session, viewing distance and pigments:
/// the photo in linear light, where its scalp, hair, face and background are ([`ScalpMap`]), how much
/// detail it holds, and its retained hair prepared for clipping ([`Shaver`]). About two thirds of a
/// preview's time on the reference photo, so the studio makes it once per photo, marks and design and
/// draws every state, session and distance on it ([`PhotoScene::preview`]); [`photo_preview`] makes it and
/// draws one.
pub struct PhotoScene {
    before: LinearImage,
    map: ScalpMap,
    detail: crate::sharpness::Detail,
    /// The retained hair prepared for clipping (none: no hair on the photo).
    shaver: Option<Shaver>,
    /// The design is worn with the client's own hair kept (`Plan::keeps_hair`): without a guard asked for,
    /// its pictures show that hair as photographed.
    keeps_hair: bool,
    /// The retained hair's colour asked for (`PhotoOptions::hair`).
    hair: Option<Lin>,
    /// What its pictures share, drawn once ([`Kept`]).
    kept: Kept,
}

impl PhotoScene {
    /// The scene of `photo` registered by `reg` for `plan`'s design, with the hair colour of `o`: the
    /// pictures drawn on it must ask for the same ([`PhotoScene::preview`]).
    pub fn new(
        photo: &Photo,
        plan: &Plan,
        reg: &Registration,
        o: &PhotoOptions,
    ) -> Result<Self, ScalpError> {
        let before = photo.to_linear();
        // The face seeds the classifier on a front photo; other views use the registered head's outline.
        let map = if reg.view == crate::views::PhotoView::Front {
            find_scalp(&before, plan, reg)?
        } else {
            crate::scalp::head_outline_map(&before, plan, reg)
        };
        let detail = detail_around(&before, &map, reg.px_per_mm);
        let shaver = Shaver::new(&before, &map, o.hair, reg.px_per_mm);
        Ok(Self {
            before,
            map,
            detail,
            shaver,
            keeps_hair: plan.keeps_hair(),
            hair: o.hair,
            kept: Kept::default(),
        })
    }

    /// Whether pictures asked for with `o` may be drawn on this scene (the same hair colour).
    pub fn fits(&self, o: &PhotoOptions) -> bool {
        self.hair == o.hair
    }
}

/// Makes the before / shaved / after pictures of `plan` on `photo` registered by `reg`.
pub fn photo_preview(
    photo: &Photo,
    plan: &Plan,
    catalogue: &Catalogue,
    reg: &Registration,
    o: &PhotoOptions,
) -> Result<PhotoPreview, ScalpError> {
    PhotoScene::new(photo, plan, reg, o)?.preview(photo, plan, catalogue, reg, (o, true))
}

impl PhotoScene {
    /// The before / shaved / after pictures of `plan` on this scene's photo (`photo`, registered by `reg`,
    /// as the scene was made) at `o`'s time point, session, guard, skin and distance, and with `crop` the
    /// enlarged crop of the scalp (without it `zoom` is `None` and `zoom_rect` and `zoom_factor` say where and
    /// how large it would be: what the studio asks for the whole photo and the advice, in a fraction of the
    /// time). `o` asks for the hair colour the scene was made with ([`PhotoScene::fits`]).
    pub fn preview(
        &self,
        photo: &Photo,
        plan: &Plan,
        catalogue: &Catalogue,
        reg: &Registration,
        (o, crop): (&PhotoOptions, bool),
    ) -> Result<PhotoPreview, ScalpError> {
        debug_assert!(
            self.fits(o),
            "a picture asked of a scene made for other options"
        );
        let before = self.before.clone();
        let map = &self.map;
        let detail = self.detail;
        // A design worn with the client's own hair kept (follicle_core::worn) is shown with that hair as
        // photographed, the impressions only where the scalp shows; a guard asked for shaves it all the same.
        let hair_as_worn = o.guard_mm.is_none() && self.keeps_hair;
        let shaver = self.shaver.as_ref().filter(|_| !hair_as_worn);
        let skin = o.skin.unwrap_or(map.skin);
        let seed = plan.design.seed;
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
            map,
            shaver,
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
        let scalp_px_per_mm = scalp_scale(kept.iter().copied(), reg.px_per_mm);
        let detail_px_per_mm = scalp_px_per_mm / detail.enlargement;
        // The crop: centred on the impressions drawn, weighted by their ink.
        let (mut cx, mut cy, mut wsum) = (0.0, 0.0, 0.0);
        for s in &kept {
            cx += s.x as f64 * s.ink as f64;
            cy += s.y as f64 * s.ink as f64;
            wsum += s.ink as f64;
        }
        // On a soft photo the impressions are as soft as the skin under them.
        let own_blur = detail.own_blur_px();
        // The impressions as a layer of filters on white, multiplied onto the shaved picture. Too coarse a
        // photo for single impressions: the layer is blurred over their spacing into the shade they make
        // together, instead of a sprinkle of pixel-sized dots that are not what anyone would see.
        let impressions_layer =
            |spots: &[Spot], table: &LookTable, scale: f64, fresh: Option<&Erythema>| {
                let mut layer = LinearImage::new(photo.w, photo.h, [1.0; 3]);
                composite(&mut layer, spots, &table.looks);
                if let Some(e) = fresh {
                    e.redden(&mut layer, map, |x, y| (x, y));
                }
                // The spacing's blur and the photo's own softness in one (two Gaussians make one of their
                // widths' root sum of squares), a colour field smoothed at a cost independent of its width
                // (`LinearImage::smooth`): on a soft 1600 px photo the exact Gaussian was most of a switch's
                // time (outside test s54: 0.7–1.5 s per switch on an enlarged 12-megapixel photo).
                let spacing = if scale / detail.enlargement < MIN_PX_PER_MM {
                    SPACING_MM / 2.0 * scale
                } else {
                    0.0
                };
                layer.smooth(spacing.hypot(own_blur));
                layer
            };
        // The finished plan healed, whatever the session and state shown: the treated top it darkens is
        // where the tones are read, and the guard is the client's choice, so the default is the same for
        // every session picture of one plan and photo (probe s8 finding 8: 0.5 mm after session 1 fresh, 0 mm
        // for the final session), and the top's "before" tone is read on the same pixels for every state
        // (probe s6 L2: 65/64/63/62). Drawn once per scene and pigments ([`Kept`]).
        let finished_session = plan.sessions.len().max(1);
        let finished = self.kept.finished(
            finished_key(plan, catalogue, skin, shaver.is_some()),
            || {
                let t = LookTable::new(plan, catalogue, skin, State::Healed, finished_session);
                let mut hs = photo_spots(
                    plan,
                    &t,
                    State::Healed,
                    finished_session,
                    reg,
                    photo.w,
                    photo.h,
                );
                gate(&mut hs, &gates, |x, y| (x, y));
                hs.retain(|s| s.look != t.redness());
                let scale = scalp_scale(hs.iter().filter(|s| s.ink > 0.0), reg.px_per_mm);
                let layer = impressions_layer(&hs, &t, scale, None);
                let regions = ToneRegions::new(map, shaver, &layer, SPACING_MM * scale);
                let tone = shaver
                    .and_then(|s| ToneMatch::measure(&self.before, &layer, map, &regions, s, seed));
                Finished {
                    layer,
                    regions,
                    tone,
                }
            },
        );
        // Fresh: the redness is an area effect over the session just done, not a halo per dot.
        let redness = table.redness();
        let fresh = Erythema::new(&sp, redness, map, reg.px_per_mm, o.state);
        sp.retain(|s| s.look != redness);
        let shows_finished = o.state == State::Healed && o.last == finished_session;
        let layer = if shows_finished {
            finished.layer.clone()
        } else {
            impressions_layer(&sp, &table, scalp_px_per_mm, fresh.as_ref())
        };
        let regions = finished.regions.clone();
        // Which guard makes the clipped sides match the treated top; the one asked for, or that one.
        let guard_mm = o
            .guard_mm
            .or_else(|| finished.tone.as_ref().and_then(|t| t.matching_guard()))
            .unwrap_or(0.0);
        // The tones reported are those of the picture shown (its state and session), on the same regions;
        // the sides' do not depend on it.
        let tone = if shows_finished {
            finished.tone.clone()
        } else {
            finished
                .tone
                .as_ref()
                .map(|t| t.with_top_after(&before, &layer, &regions))
        };
        let clipped = self.kept.shaved(guard_mm, shaver.is_some(), || {
            let mut shaved = before.clone();
            let n = shaver.map_or(0, |s| s.apply(&mut shaved, map, guard_mm, seed));
            soften_like_photo(&before, &mut shaved, detail, 1.0);
            (shaved, n)
        });
        let (shaved, shaved_px) = (clipped.0.clone(), clipped.1);
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
            let (mut ta, mut ts, mut sa, mut sb, mut tl, mut nt) =
                (0.0, 0.0, 0.0, 0.0, 0.0, 0usize);
            for y in 0..photo.h {
                for x in 0..photo.w {
                    if regions.is_top(x, y) {
                        let s = shaved.get(x, y);
                        ts += lum(s);
                        ta += lum(after.get(x, y));
                        tl += crate::color::lab_from_lin(s).l;
                        nt += 1;
                    }
                    if let Some(sv) = shaver.filter(|_| regions.is_side(x, y)) {
                        sa += lum(shaved.get(x, y));
                        sb += lum(sv.skin_under(map, x as f64 + 0.5, y as f64 + 0.5));
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
        if wsum > 0.0 {
            let (cx, cy) = hairline_px.unwrap_or((cx / wsum, cy / wsum));
            let x0 = (cx - cw as f64 / 2.0).clamp(0.0, (photo.w - cw) as f64) as usize;
            let y0 = (cy - ch as f64 / 2.0).clamp(0.0, (photo.h - ch) as f64) as usize;
            zoom_rect = [x0, y0, cw, ch];
        }
        let zoom = (crop && wsum > 0.0).then(|| {
            let [x0, y0, ..] = zoom_rect;
            let z = zoom_factor;
            let zb = enlarge(&before, x0, y0, cw, ch, z);
            // The shaved crop drawn at its own resolution: the same follicles as the full picture, sharper, and
            // the clipped outline as smooth as the maps (the photo's pixels enlarged were a staircase).
            let mut zs = zb.clone();
            if let Some(s) = shaver {
                s.apply_zoomed(&mut zs, &before, map, guard_mm, seed, (x0, y0), z);
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
                e.redden(&mut zlayer, map, to_photo);
            }
            zlayer.smooth(own_blur * zf);
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
        let hairline_to_top_mm = reading
            .hairline_px
            .filter(|_| reg.view == crate::views::PhotoView::Front)
            .and_then(|(x, y)| crate::seen::head_top_above(map, x, y))
            .map(|up| up / reg.px_per_mm);
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
            map: map.clone(),
            guard_mm,
            tone,
            regions,
            reading,
            exif_orientation: photo.exif_orientation,
            no_eyes: crate::register::eyes_missing(photo, plan, reg),
            face_on_back: crate::register::face_on_back(photo, plan, reg),
            hairline_to_top_mm,
            among_hair: among_hair(plan),
        })
    }
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

/// Share (0–1) of the plan's impressions in zones among retained hair: an existing-hair coverage, or a
/// blend zone.
fn among_hair(plan: &Plan) -> f64 {
    let among = plan
        .impressions
        .iter()
        .filter(|i| {
            plan.zones.get(i.zone).is_some_and(|z| {
                z.spec.coverage > 0.0 || z.spec.kind == follicle_core::ZoneKind::Blend
            })
        })
        .count();
    among as f64 / plan.impressions.len().max(1) as f64
}
