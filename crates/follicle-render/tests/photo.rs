//! The photo path on a committed test photo (the mannequin photographed from the front, stored rotated
//! with EXIF orientation 6): decode, register from its landmarks file, draw the plan, check the result.

use follicle_render::optics::State;
use follicle_render::photo::{decode, draw_on_photo, PhotoLimits};
use follicle_render::register::{parse_marks, register, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM};
use follicle_render::Catalogue;

#[test]
fn rotated_photo_registers_and_gets_impressions_on_the_scalp_only() {
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let photo = decode(
        include_bytes!("data/mannequin-front.jpg"),
        PhotoLimits::default(),
    )
    .unwrap();
    assert_eq!(
        (photo.w, photo.h, photo.exif_orientation),
        (480, 640, 6),
        "portrait after rotation"
    );
    let marks = parse_marks(include_str!("data/mannequin-front.toml"), &plan).unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    assert!(
        reg.rms_mm < 0.5 && !reg.exact,
        "landmarks marked to the pixel fit within half a mm: {}",
        reg.rms_mm
    );
    let skin = photo.mean_colour(marks.skin.unwrap()).unwrap();
    let mut after = photo.clone();
    let n = draw_on_photo(
        &mut after,
        &plan,
        &Catalogue::builtin(),
        &reg,
        skin,
        State::Healed,
        plan.sessions.len(),
    );
    assert!(n > 1000, "{n} impressions drawn");
    // Mean brightness: darker above the hairline (scalp), unchanged on the face below the glabella.
    let mean = |img: &follicle_render::photo::Photo, x0: usize, y0: usize, x1: usize, y1: usize| {
        let mut s = 0u64;
        for y in y0..y1 {
            for x in x0..x1 {
                s += img.rgb[(y * img.w + x) * 3..(y * img.w + x) * 3 + 3]
                    .iter()
                    .map(|&v| v as u64)
                    .sum::<u64>();
            }
        }
        s as f64 / ((x1 - x0) * (y1 - y0) * 3) as f64
    };
    let (gx, gy, _) = reg.project(plan.landmarks.glabella).unwrap();
    let (mx, my, _) = reg.project(plan.landmarks.mid_frontal).unwrap();
    let (sx, sy) = (mx as usize, (my - 15.0) as usize); // about 9 mm behind the hairline centre
    let (a, b) = (
        mean(&after, sx - 10, sy - 5, sx + 10, sy + 5),
        mean(&photo, sx - 10, sy - 5, sx + 10, sy + 5),
    );
    assert!(a < b - 1.0, "scalp {a} vs {b}");
    let (fx, fy) = (gx as usize, (gy + 60.0) as usize);
    assert_eq!(
        mean(&after, fx - 10, fy - 5, fx + 10, fy + 5),
        mean(&photo, fx - 10, fy - 5, fx + 10, fy + 5)
    );
}

/// The real photo of ../shared/photos (a man with a receding hairline, head turned slightly) registers
/// from its hand-marked glabella and outer eye corners (the README of that folder): the face's real eye
/// corners, 85–100 mm apart, fit the plan's head without stretching it, at about the photo's real scale.
#[test]
fn real_photo_registers_from_its_hand_marked_landmarks() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "SKIPPED: {} is not here (the shared photos folder sits beside the repository)",
            path.display()
        );
        return;
    };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    assert_eq!((photo.w, photo.h), (420, 471));
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let marks = parse_marks(
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
        &plan,
    )
    .unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM)
        .unwrap_or_else(|e| panic!("the real photo does not register: {e}"));
    assert!(reg.rms_mm < 1.0, "residual {} mm", reg.rms_mm);
    // The photo's scale on the face: the README measures about 1.7 px/mm.
    assert!(
        (1.3..2.1).contains(&reg.px_per_mm),
        "{} px/mm",
        reg.px_per_mm
    );
    // A slight turn, as the photo shows, not a profile.
    assert!(
        reg.frontal.yaw_rad.abs() < 0.45 && reg.frontal.pitch_rad.abs() < 0.45,
        "pose {} / {}",
        reg.frontal.yaw_rad,
        reg.frontal.pitch_rad
    );
    for (name, xy) in &marks.points {
        let p = plan
            .landmarks
            .named()
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1;
        let (x, y, _) = reg.project(p).unwrap();
        assert!(
            (x - xy[0]).hypot(y - xy[1]) < 2.0,
            "{name} lands at ({x:.0}, {y:.0}), marked at {xy:?}"
        );
    }
}

/// The real photo's bytes, or `None` (with a printed note) when ../shared/photos is not beside the
/// repository (a clone on its own has no shared folder). `FOLLICLE_REQUIRE_SHARED_PHOTOS=1` makes its absence
/// fail instead.
fn real_photo() -> Option<Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) if std::env::var_os("FOLLICLE_REQUIRE_SHARED_PHOTOS").is_some() => {
            panic!(
                "{}: {e} (FOLLICLE_REQUIRE_SHARED_PHOTOS is set)",
                path.display()
            )
        }
        Err(_) => {
            eprintln!(
                "SKIPPED: {} is not here (the shared photos folder sits beside the repository)",
                path.display()
            );
            None
        }
    }
}

/// L* of a linear colour.
fn lstar(c: [f32; 3]) -> f64 {
    follicle_render::color::lab_from_lin(c).l
}

/// Mean L* of `img` over the pixels `keep` accepts, with their count.
fn mean_l(img: &follicle_render::LinearImage, keep: impl Fn(usize, usize) -> bool) -> (f64, usize) {
    let (mut s, mut n) = (0.0, 0);
    for y in 0..img.h {
        for x in 0..img.w {
            if keep(x, y) {
                s += lstar(img.get(x, y));
                n += 1;
            }
        }
    }
    (s / n.max(1) as f64, n)
}

/// On the real photo, from its hand marks: nothing changes on the eyes, brows or background; pigment lands
/// on the bald scalp above the hairline; the retained hair is shaved; the tone gap between his bald top and
/// his clipped sides at most halves; and the photo is named too coarse for single impressions.
#[test]
fn real_photo_gets_pigment_on_the_scalp_only_and_reads_as_one_shaved_head() {
    use follicle_render::client::{photo_preview, PhotoOptions};
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let hand: [[f64; 2]; 3] = [[202.0, 195.0], [141.0, 210.0], [276.0, 228.0]];
    let marks = parse_marks(
        &format!(
            "[landmarks]\nglabella = {:?}\nlateral_canthus_right = {:?}\nlateral_canthus_left = {:?}\n",
            hand[0], hand[1], hand[2]
        ),
        &plan,
    )
    .unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    let opts = PhotoOptions {
        state: State::Healed,
        last: plan.sessions.len(),
        guard_mm: Some(0.5),
        skin: None,
        hair: None,
        distance_mm: 1000.0,
    };
    let pv = photo_preview(&photo, &plan, &Catalogue::builtin(), &reg, &opts).unwrap();
    let t = &pv.full;
    let ppm = reg.px_per_mm;
    let changed = |a: &follicle_render::LinearImage,
                   b: &follicle_render::LinearImage,
                   keep: &dyn Fn(usize, usize) -> bool| {
        let mut n = 0;
        for y in 0..a.h {
            for x in 0..a.w {
                if keep(x, y) {
                    let (p, q) = (a.get(x, y), b.get(x, y));
                    if (0..3).any(|c| (p[c] - q[c]).abs() > 1e-4) {
                        n += 1;
                    }
                }
            }
        }
        n
    };
    // Eyes, brows and the temples beside them, from the hand marks, in the face's own frame (along the line
    // through the outer eye corners and up from it: his head is rolled 7.6°, and a box square to the photo
    // reached 16 mm above the glabella at its outer top corner, the plan's temple): from `beyond` mm past
    // each outer eye corner, from 16 mm above the corners' line (the brows) to 8 mm below it.
    let e = {
        let (dx, dy) = (hand[2][0] - hand[1][0], hand[2][1] - hand[1][1]);
        let l = dx.hypot(dy);
        [dx / l, dy / l]
    };
    let frame = |x: f64, y: f64| {
        let (dx, dy) = (x - hand[1][0], y - hand[1][1]);
        ((dx * e[0] + dy * e[1]) / ppm, (dx * e[1] - dy * e[0]) / ppm)
    };
    let width = frame(hand[2][0], hand[2][1]).0;
    // The lower eye corner's row and 8 mm: where the face below the brows begins.
    let y1 = hand[1][1].max(hand[2][1]) + 8.0 * ppm;
    let eyes_brows = |beyond: f64| {
        move |x: usize, y: usize| {
            let (along, up) = frame(x as f64, y as f64);
            along >= -beyond && along <= width + beyond && (-8.0..=16.0).contains(&up)
        }
    };
    // Nothing at all changes within 12 mm of the eye corners; no pigment within 25 mm (the temple hair
    // farther out is shaved, as a barber would).
    assert_eq!(
        changed(&t.before, &t.after, &eyes_brows(12.0)),
        0,
        "eyes and brows"
    );
    assert_eq!(
        changed(&t.shaved, &t.after, &eyes_brows(25.0)),
        0,
        "pigment beside the eyes"
    );
    // Background: the top corners.
    let corners = |x: usize, y: usize| y < 60 && (x < 50 || x >= t.before.w - 50);
    assert_eq!(changed(&t.before, &t.after, &corners), 0, "background");
    // Face below the brows (nose, cheeks, mouth): the middle of the face.
    let face = |x: usize, y: usize| {
        (170..240).contains(&x) && (y as f64) > y1 && (y as f64) < hand[0][1] + 90.0 * ppm
    };
    assert_eq!(changed(&t.before, &t.after, &face), 0, "face");
    // Pigment on the bald scalp: where the map says scalp, the after is darker than the shaved picture.
    let on_scalp = |x: usize, y: usize| pv.map.scalp_at(x as f64 + 0.5, y as f64 + 0.5) > 0.9;
    let pigmented = |x: usize, y: usize| {
        on_scalp(x, y) && lstar(t.after.get(x, y)) < lstar(t.shaved.get(x, y)) - 2.0
    };
    let (_, n_pig) = mean_l(&t.after, pigmented);
    assert!(n_pig > 1500, "{n_pig} scalp pixels pigmented");
    // All of them above the hairline: higher than 30 mm above the glabella.
    let low = (0..t.after.h)
        .flat_map(|y| (0..t.after.w).map(move |x| (x, y)))
        .filter(|&(x, y)| pigmented(x, y) && (y as f64) > hand[0][1] - 30.0 * ppm)
        .count();
    assert_eq!(low, 0, "pigment below the hairline");
    // The retained hair is shaved: lighter in the shaved picture.
    let hair = |x: usize, y: usize| pv.map.hair_at(x as f64 + 0.5, y as f64 + 0.5) > 0.9;
    // Since s11 the plan's side and back zones (the Norwood 6 plan's blend zones over the retained hair)
    // are inked among the clipped hair, as SMP thickens thinning sides: pigment on the hair that stays on
    // the head as stubble (before s11: none, the gate kept every dot off hair), none on the hair that goes
    // with the clipping (it is the wall now), none within 25 mm of the eyes (above) or below the
    // hairline on the forehead (above).
    let shaver = follicle_render::shaved::Shaver::new(&t.before, &pv.map, None, reg.px_per_mm)
        .expect("retained hair");
    let inked = |x: usize, y: usize| lstar(t.after.get(x, y)) < lstar(t.shaved.get(x, y)) - 1.0;
    let (mut on_sides, mut on_gone) = (0usize, 0usize);
    for y in 0..t.after.h {
        for x in 0..t.after.w {
            let gone = shaver.clipped_away(&pv.map, x as f64 + 0.5, y as f64 + 0.5) > 0.9;
            if hair(x, y) && inked(x, y) {
                if gone {
                    on_gone += 1;
                } else {
                    on_sides += 1;
                }
            }
        }
    }
    eprintln!("pigment on the clipped hair: {on_sides} px; on hair clipped away: {on_gone}");
    assert!(
        on_sides > 100,
        "{on_sides} pixels of clipped hair pigmented"
    );
    assert_eq!(on_gone, 0, "pigment on hair that turned into the wall");
    // The treated top and the clipped sides: the library's one definition (regions.rs), which tone.rs
    // reads too. The sides are the hair that stays on the head as stubble (the hair that goes with the
    // clipping turns into the wall and is not "the sides").
    let (top, sides) = (
        |x: usize, y: usize| pv.regions.is_top(x, y),
        |x: usize, y: usize| pv.regions.is_side(x, y),
    );
    let (hair_before, n_hair) = mean_l(&t.before, sides);
    let (hair_shaved, _) = mean_l(&t.shaved, sides);
    // Clipped, the dark hair still reads as a dark shadow (stubble and the shafts under the skin): a
    // little lighter than the longer hair, and closer to its tone than to his bare scalp's.
    let (bare, _) = mean_l(&t.before, on_scalp);
    assert!(
        n_hair > 1000
            && hair_shaved > hair_before + 3.0
            && hair_shaved - hair_before < 0.5 * (bare - hair_before),
        "{n_hair} hair pixels: {hair_before:.1} → {hair_shaved:.1} shaved (bare scalp {bare:.1})"
    );
    // The tone gap between the treated bald top and the clipped sides, before and after.
    let (top_before, n_top) = mean_l(&t.before, top);
    let (top_after, _) = mean_l(&t.after, top);
    let (side_after, _) = mean_l(&t.after, sides);
    assert!(n_top > 1500, "{n_top} pixels of treated top");
    let (gap_before, gap_after) = (
        (top_before - hair_before).abs(),
        (top_after - side_after).abs(),
    );
    assert_eq!(pv.regions.tone_step(&t.after), Some(gap_after));
    eprintln!(
        "bald top L* {top_before:.1} → {top_after:.1}, clipped sides {hair_before:.1} → {hair_shaved:.1} shaved → {side_after:.1} after: gap {gap_before:.1} → {gap_after:.1}"
    );
    // SMP's whole point: the treated top and the retained hair read as one evenly shaved head. Clients
    // keep the sides razor- or foil-shaved to match the pigment. Not yet the 8 L* the owner asks for:
    // at guard 0 the gap is 12 L* on this photo, most of it the light (his top is the highlight, his
    // sides turn away from the light; docs/photo-scalp.md).
    let razor = photo_preview(
        &photo,
        &plan,
        &Catalogue::builtin(),
        &reg,
        &PhotoOptions {
            guard_mm: Some(0.0),
            ..opts
        },
    )
    .unwrap();
    let gap_razor = razor.regions.tone_step(&razor.full.after).unwrap();
    // s11: the picture's sides are lit as the registered head's dome (his left turns away from the light
    // and darkens toward its outline), so the raw L* gap on the picture now carries that light too
    // (before s11: 25.3 at 0.5 mm, 10.7 razor). The guard's rule reads the sides in the light the photo
    // shows the hair in (`Shaver::photo_lit`, tone.rs): the stubble's tone against the pigment's.
    let lib = razor.tone.as_ref().expect("tones read");
    eprintln!(
        "razor-shaved: gap {gap_razor:.1} on the picture; in the photo's light (the guard's rule) {:.1} razor, {:.1} at 0.5 mm (before {:.1})",
        lib.gap_at(0.0),
        lib.gap_at(0.5),
        lib.gap_before()
    );
    assert!(
        lib.gap_at(0.5) <= 0.6 * lib.gap_before() && lib.gap_at(0.0) <= 13.0,
        "in the photo's light: gap {:.1} → {:.1} (0.5 mm), {:.1} (razor)",
        lib.gap_before(),
        lib.gap_at(0.5),
        lib.gap_at(0.0)
    );
    // On the after picture the side zones' ink among the clipped hair darkens the sides too (s11):
    // 38.4 at 0.5 mm and 28.2 razor against 46.5 before (dome alone: 36.9 and 26.2).
    assert!(
        gap_after <= 0.85 * gap_before && gap_razor <= 0.65 * gap_before,
        "on the picture: gap {gap_before:.1} → {gap_after:.1} (0.5 mm), {gap_razor:.1} (razor)"
    );
    // The measure, at the preview's default (no guard asked for: the library picks the one whose
    // sides match): the gap at most half of the before picture's, measured on the render.
    let auto = photo_preview(
        &photo,
        &plan,
        &Catalogue::builtin(),
        &reg,
        &PhotoOptions {
            guard_mm: None,
            ..opts
        },
    )
    .unwrap();
    let gap_auto = auto.regions.tone_step(&auto.full.after).unwrap();
    let tone = auto
        .tone
        .as_ref()
        .expect("the photo shows a bald top and retained hair");
    eprintln!(
        "default: guard {} mm: gap {gap_auto:.1} (before {gap_before:.1}); library: {tone:?}",
        auto.guard_mm
    );
    assert!(
        tone.gap_at(auto.guard_mm) <= 0.5 * tone.gap_before(),
        "at the default guard ({} mm) the gap in the photo's light is {:.1}, more than half of {:.1}",
        auto.guard_mm,
        tone.gap_at(auto.guard_mm),
        tone.gap_before()
    );
    // The library's own reading of the tones agrees with the render's before (within 3 L*); after, the
    // render's sides are darker by the dome's light (s11), never lighter.
    assert!(
        (tone.gap_before() - gap_before).abs() < 3.0 && gap_auto > tone.gap_at(auto.guard_mm) - 3.0,
        "library gaps {:.1} / {:.1}, render {gap_before:.1} / {gap_auto:.1}",
        tone.gap_before(),
        tone.gap_at(auto.guard_mm)
    );
    // …and says in words that 0.5 mm sides will not match, naming the guard that does.
    assert!(auto.tone_warning().is_none(), "{:?}", auto.tone_warning());
    let w = pv.tone_warning().expect("0.5 mm sides are warned about");
    assert!(w.contains("0 guard") && w.contains("darker"), "{w}");
    // Nothing changes on the wall more than a few pixels beyond the head's outline (the background:
    // flood-filled from the top corners over pixels within ΔE 12 of the wall there), above the eyes.
    let wall = {
        let (mut s, mut n) = ([0.0f64; 3], 0.0);
        for y in 0..20 {
            for x in (0..20).chain(t.before.w - 20..t.before.w) {
                let c = follicle_render::color::lab_from_lin(t.before.get(x, y));
                s = [s[0] + c.l, s[1] + c.a, s[2] + c.b];
                n += 1.0;
            }
        }
        s.map(|v| v / n)
    };
    let (w, h) = (t.before.w, hand[0][1] as usize);
    let mut bg = vec![false; w * h];
    let mut stack = vec![(0usize, 0usize), (w - 1, 0)];
    while let Some((x, y)) = stack.pop() {
        if bg[y * w + x] {
            continue;
        }
        let c = follicle_render::color::lab_from_lin(t.before.get(x, y));
        if ((c.l - wall[0]).powi(2) + (c.a - wall[1]).powi(2) + (c.b - wall[2]).powi(2)).sqrt()
            > 12.0
        {
            continue;
        }
        bg[y * w + x] = true;
        for (dx, dy) in [(-1i64, 0i64), (1, 0), (0, -1), (0, 1)] {
            let (nx, ny) = (x as i64 + dx, y as i64 + dy);
            if nx >= 0 && ny >= 0 && (nx as usize) < w && (ny as usize) < h {
                stack.push((nx as usize, ny as usize));
            }
        }
    }
    let beyond = 4usize;
    let far_wall = |x: usize, y: usize| {
        y < h
            && (y.saturating_sub(beyond)..(y + beyond + 1).min(h)).all(|yy| {
                (x.saturating_sub(beyond)..(x + beyond + 1).min(w)).all(|xx| bg[yy * w + xx])
            })
    };
    let n_wall = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| far_wall(x, y))
        .count();
    // A wall pixel may change only toward the wall's colour: the hair's faint tips that blend into it go
    // with the clipping (outside test s48: left, they drew a grey arc of the old outline); nothing is drawn
    // on it.
    let off_wall = |c: [f32; 3]| {
        let c = follicle_render::color::lab_from_lin(c);
        ((c.l - wall[0]).powi(2) + (c.a - wall[1]).powi(2) + (c.b - wall[2]).powi(2)).sqrt()
    };
    let wall_touched = changed(&t.before, &t.after, &far_wall);
    let wall_changed = changed(&t.before, &t.after, &|x, y| {
        far_wall(x, y) && off_wall(t.after.get(x, y)) > off_wall(t.before.get(x, y)) + 1.0
    });
    eprintln!("wall more than {beyond} px beyond the head: {n_wall} px, {wall_touched} changed, {wall_changed} away from the wall's colour");
    assert!(n_wall > 20_000, "{n_wall} wall pixels found");
    assert_eq!(wall_changed, 0, "wall beyond the head's outline");
    assert!(
        wall_touched * 200 <= n_wall,
        "{wall_touched} of {n_wall} wall pixels changed"
    );
    // 1.6 px/mm: too coarse for single impressions, and said so.
    assert!(pv
        .resolution_warning()
        .is_some_and(|w| w.contains("closer photo")));
    let z = pv.zoom.as_ref().expect("a zoomed crop");
    assert!(pv.scalp_px_per_mm * pv.zoom_factor as f64 >= 4.0);
    assert_eq!(z.after.w, pv.zoom_rect[2] * pv.zoom_factor);
}

/// Several photos, one head: the front photo registers through the views' entry point exactly as through
/// the face registration (the real photo of ../shared/photos, or the committed mannequin photo when that
/// folder is absent), with its per-landmark residuals.
#[test]
fn the_front_photo_registers_as_a_front_view_as_before() {
    use follicle_render::views::{register_view, PhotoView};
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    let (text, real) = if path.exists() {
        (
            "view = \"front\"\n[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
            true,
        )
    } else {
        eprintln!(
            "{} is not here: the committed mannequin photo stands in",
            path.display()
        );
        (include_str!("data/mannequin-front.toml"), false)
    };
    let (marks, view) = follicle_render::register::parse_marks_and_view(text, &plan).unwrap();
    assert_eq!(view, real.then_some(PhotoView::Front));
    let before = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    let now = register_view(&plan, PhotoView::Front, &marks, MAX_RESIDUAL_MM).unwrap();
    if real {
        // Three face marks: the same fit as before, exactly.
        assert_eq!(now.transform, before.transform);
        assert_eq!(now.residuals, before.residuals);
    } else {
        // Six marks: the posed camera may be kept when it fits clearly better; never worse.
        assert!(
            now.rms_mm <= before.rms_mm + 1e-9,
            "{} vs {}",
            now.rms_mm,
            before.rms_mm
        );
    }
    assert_eq!(now.view, PhotoView::Front);
    for (name, r) in &now.residuals {
        eprintln!("{name}: {r:.2} mm");
    }
    eprintln!("rms {:.2} mm at {:.2} px/mm", now.rms_mm, now.px_per_mm);
    assert!(now.rms_mm < 1.0, "{}", now.rms_mm);
    assert!(now.culprit.is_none());
}
/// The razor look is not a shell: on the real photo, the hair that stands out beyond the skull's outline
/// (as the registration places the plan's head) turns into the wall beside it in the shaved and after
/// pictures, read by the library's own measure (regions.rs), while the sides inside stay a shaved head's
/// shadow. Main before this change kept that hair as a pale band of the same outline (a helmet).
#[test]
fn hair_beyond_the_registered_skull_is_clipped_away_on_the_real_photo() {
    use follicle_render::client::{photo_preview, PhotoOptions};
    use follicle_render::regions::hair_beyond_skull;
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let marks = parse_marks(
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
        &plan,
    )
    .unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    for guard_mm in [0.0, 0.5] {
        let opts = PhotoOptions {
            state: State::Healed,
            last: plan.sessions.len(),
            guard_mm: Some(guard_mm),
            skin: None,
            hair: None,
            distance_mm: 1000.0,
        };
        let pv = photo_preview(&photo, &plan, &Catalogue::builtin(), &reg, &opts).unwrap();
        let (t, ppm) = (&pv.full, reg.px_per_mm);
        let read = |img| hair_beyond_skull(&pv.map, &t.before, img, ppm).unwrap();
        let (before, shaved, after) = (read(&t.before), read(&t.shaved), read(&t.after));
        eprintln!(
            "guard {guard_mm} mm: hair beyond the registered skull ({} px): ΔE {:.1} from the wall beside it before, {:.1} shaved, {:.1} after",
            before.px, before.delta_e, shaved.delta_e, after.delta_e
        );
        // There is hair standing out beyond the outline on this photo, dark against the light wall.
        assert!(
            before.px > 1000 && before.delta_e > 40.0,
            "{} px, {:.1}",
            before.px,
            before.delta_e
        );
        // Clipped, most of it is the wall: its distance from the wall at most half of the hair's as
        // photographed (58.7 → 21.4 ΔE; the shaving before the cut beyond the skull kept a pale band of
        // the hair's outline: 38.3). The rest is hair deeper than SKULL_CUT_MM from the wall, where the
        // photo is trusted over the registered outline.
        assert!(
            shaved.delta_e < before.delta_e / 2.0 && after.delta_e < before.delta_e / 2.0,
            "{:.1} / {:.1} ΔE from the wall beyond the skull (before {:.1})",
            shaved.delta_e,
            after.delta_e,
            before.delta_e
        );
        // Inside the outline the head stays a shaved head, not the wall: the sides are many and darker
        // than the wall.
        let ([_, sides], [_, n]) = pv.regions.lstar(&t.shaved, 1);
        assert!(n > 1000 && sides < 70.0, "{n} px of sides at L* {sides:.1}");
    }
}

/// Fresh SMP on the real photo shows the treated area reddened (probe s6 F12: Δa* 0.4 against healed, no
/// redness a client could see): the bald top's a* rises clearly over the healed picture's, while nothing
/// changes on the background corners or the middle of the face.
#[test]
fn fresh_smp_reddens_the_treated_area_on_the_real_photo() {
    use follicle_render::client::{photo_preview, PhotoOptions};
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let marks = parse_marks(
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
        &plan,
    )
    .unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    let at = |state| {
        let opts = PhotoOptions {
            state,
            last: plan.sessions.len(),
            guard_mm: Some(0.0),
            skin: None,
            hair: None,
            distance_mm: 1000.0,
        };
        photo_preview(&photo, &plan, &Catalogue::builtin(), &reg, &opts).unwrap()
    };
    let (fresh, healed) = (at(State::Fresh), at(State::Healed));
    let lab = follicle_render::color::lab_from_lin;
    let (mut da, mut n) = (0.0, 0);
    for y in 0..photo.h {
        for x in 0..photo.w {
            if healed.regions.is_top(x, y) {
                da += lab(fresh.full.after.get(x, y)).a - lab(healed.full.after.get(x, y)).a;
                n += 1;
            }
        }
    }
    let da = da / n.max(1) as f64;
    eprintln!("fresh against healed on the treated top ({n} px): Δa* {da:.1}");
    assert!(n > 1500 && da > 4.0, "{n} px, Δa* {da:.1}");
    let changed = |keep: &dyn Fn(usize, usize) -> bool| {
        let (b, a) = (&fresh.full.before, &fresh.full.after);
        (0..photo.h)
            .flat_map(|y| (0..photo.w).map(move |x| (x, y)))
            .filter(|&(x, y)| keep(x, y))
            .filter(|&(x, y)| {
                let (p, q) = (b.get(x, y), a.get(x, y));
                (0..3).any(|c| (p[c] - q[c]).abs() > 1e-4)
            })
            .count()
    };
    let corners = |x: usize, y: usize| y < 60 && (x < 50 || x >= photo.w - 50);
    let face = |x: usize, y: usize| (170..240).contains(&x) && (240..330).contains(&y);
    assert_eq!(changed(&corners), 0, "background");
    assert_eq!(changed(&face), 0, "face");
}

/// The tone line's "before" is the photo as taken: read on the same pixels whatever the state shown (probe
/// s6 L2: 65 / 64 / 63 / 62 L* for fresh, healed, 5 and 10 years), while the "after" follows the state,
/// lighter with every year.
#[test]
fn the_treated_top_s_before_tone_does_not_depend_on_the_state() {
    use follicle_render::client::{photo_preview, PhotoOptions};
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let marks = parse_marks(
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
        &plan,
    )
    .unwrap();
    let reg = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    let tones: Vec<(f64, f64)> = [
        "fresh", "healed", "years:5", "years:10", "years:20", "years:30",
    ]
    .iter()
    .map(|s| {
        let opts = PhotoOptions {
            state: State::parse(s).unwrap(),
            last: plan.sessions.len(),
            guard_mm: Some(0.0),
            skin: None,
            hair: None,
            distance_mm: 1000.0,
        };
        let pv = photo_preview(&photo, &plan, &Catalogue::builtin(), &reg, &opts).unwrap();
        let t = pv.tone.expect("a bald top and retained hair");
        (t.top_before, t.top_after)
    })
    .collect();
    eprintln!("top before → after per state: {tones:?}");
    for &(b, _) in &tones {
        assert_eq!(b, tones[1].0, "{tones:?}");
    }
    // Fresh is darker than healed, and every later year lighter than the one before: also from 20 to 30
    // years, when the fading has levelled off (tester s38: 30 years read darker than 20 while the dots
    // kept widening).
    assert!(tones[0].1 < tones[1].1, "{tones:?}");
    for w in tones[1..].windows(2) {
        assert!(w[1].1 >= w[0].1, "{tones:?}");
    }
    assert!(
        tones[3].1 > tones[2].1 && tones[2].1 > tones[1].1,
        "{tones:?}"
    );
}

/// The head's outline fixes the turn the three face marks cannot (probe s6 F7: the marks alone said
/// "turned −14°, tilted 9°" for a near-frontal man and left out more than half of the design): registered
/// with the photo, the reference photo is near-frontal and most of the plan's in-view impressions pass
/// the scalp gate, many more than with the marks alone.
#[test]
fn the_head_outline_registers_the_real_photo_near_frontal_and_keeps_the_design_on_his_scalp() {
    use follicle_render::client::{photo_preview, PhotoOptions};
    use follicle_render::views::{register_photo, PhotoView};
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let text = "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n";
    let marks = parse_marks(text, &plan).unwrap();
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
    let sil = reg.silhouette.clone().unwrap();
    eprintln!(
        "turned {:.1}° tilted {:.1}° rms {:.2} mm; {}",
        reg.frontal.yaw_rad.to_degrees(),
        reg.frontal.pitch_rad.to_degrees(),
        reg.rms_mm,
        sil.words
    );
    assert!(sil.used, "{}", sil.words);
    assert!(reg.frontal.yaw_rad.to_degrees().abs() <= 5.0);
    assert!(reg.frontal.pitch_rad.to_degrees().abs() <= 12.0);
    assert!(sil.rms_mm < 3.0, "{}", sil.rms_mm);
    let drawn = |reg: &follicle_render::register::Registration| {
        let o = PhotoOptions {
            state: State::Healed,
            last: plan.sessions.len(),
            guard_mm: None,
            skin: None,
            hair: None,
            distance_mm: 300.0,
        };
        let p = photo_preview(&photo, &plan, &Catalogue::builtin(), reg, &o).unwrap();
        p.drawn as f64 / (p.drawn + p.refused) as f64
    };
    let marks_only = register(&plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap();
    let (before, after) = (drawn(&marks_only), drawn(&reg));
    eprintln!(
        "in-view impressions drawn: {before:.2} with the marks alone, {after:.2} with the outline"
    );
    // Since s11 impressions of the side and back zones on the clipped hair are drawn too, with either
    // registration: 0.77 with the marks alone, 0.86 with the outline (before s11: 0.44 and 0.67).
    assert!(after >= 0.8 && after > before + 0.05, "{before} {after}");
}

/// More correct marks check the fit, they do not break it (probe s6 F5): the README's hand marks with the
/// ear tops (and the vertex) are accepted without blaming any mark; every mark moved 4 mm in any of 8
/// directions (marking noise) gets no mark blamed; a face mark moved 15 mm never gets another mark
/// blamed.
#[test]
fn extra_marks_on_the_real_photo_check_the_fit_and_only_a_really_moved_mark_is_blamed() {
    use follicle_render::views::{register_photo, PhotoView};
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let hand = "glabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\near_top_right = [80, 180]\near_top_left = [330, 212]\n";
    for extra in ["", "vertex = [210, 15]\n"] {
        let marks = parse_marks(&format!("[landmarks]\n{hand}{extra}"), &plan).unwrap();
        let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
        assert!(reg.culprit.is_none(), "{:?}", reg.culprit);
        assert!(reg.frontal.yaw_rad.to_degrees().abs() <= 5.0);
    }
    let marks = parse_marks(&format!("[landmarks]\n{hand}"), &plan).unwrap();
    let px_per_mm = 1.55;
    for k in 0..marks.points.len() {
        for d in 0..8 {
            let a = d as f64 * std::f64::consts::FRAC_PI_4;
            let mut m = marks.clone();
            m.points[k].1[0] += 4.0 * px_per_mm * a.cos();
            m.points[k].1[1] += 4.0 * px_per_mm * a.sin();
            // Accepted or (at the residual limit) refused, no mark is blamed.
            let blamed = match register_photo(&plan, PhotoView::Front, &m, &photo, MAX_RESIDUAL_MM)
            {
                Ok(r) => r.culprit.map(|c| c.name),
                Err(follicle_render::register::RegisterError::Residual { culprit, .. }) => {
                    culprit.map(|c| c.name)
                }
                Err(e) => panic!("{} moved 4 mm at {d}×45°: {e}", m.points[k].0),
            };
            assert_eq!(blamed, None, "{} moved 4 mm at {d}×45°", m.points[k].0);
        }
    }
    // A face mark moved 15 mm: never another mark blamed. (Named only when one mark clearly stands
    // out: here the demo plan's head is 20 % narrower than his at his face's scale and the hand marks
    // disagree with it by 3–5 mm, so leaving out any face mark fits about as well and the move is
    // mostly refused without a name, 1 of 24 named; on the mannequin, whose head is the plan's, every
    // such move is named: register::front's tests.)
    let face = ["glabella", "lateral_canthus_left", "lateral_canthus_right"];
    let (mut named, mut wrong, mut moves) = (0, 0, 0);
    for k in (0..marks.points.len()).filter(|&k| face.contains(&marks.points[k].0.as_str())) {
        for d in 0..8 {
            let a = d as f64 * std::f64::consts::FRAC_PI_4;
            let mut m = marks.clone();
            m.points[k].1[0] += 15.0 * px_per_mm * a.cos();
            m.points[k].1[1] += 15.0 * px_per_mm * a.sin();
            let name = m.points[k].0.clone();
            // An eye corner named with its partner (the two only known to be uneven) names both.
            let said = |c: follicle_render::views::Culprit| match c.partner {
                Some(p) if p == name => p,
                _ => c.name,
            };
            let blamed = match register_photo(&plan, PhotoView::Front, &m, &photo, MAX_RESIDUAL_MM)
            {
                Ok(r) => r.culprit.map(said),
                Err(follicle_render::register::RegisterError::Residual { culprit, .. }) => {
                    culprit.map(|c| said(*c))
                }
                Err(e) => panic!("{name} moved 15 mm at {d}×45°: {e}"),
            };
            eprintln!("{name} moved 15 mm at {d}×45°: blamed {blamed:?}");
            moves += 1;
            named += usize::from(blamed.as_deref() == Some(name.as_str()));
            wrong += usize::from(blamed.is_some() && blamed.as_deref() != Some(name.as_str()));
        }
    }
    eprintln!("{named} of {moves} moves of 15 mm named, another mark blamed {wrong} times");
    assert_eq!(wrong, 0, "{named} named, {wrong} wrong of {moves}");
}

/// Outside probe s16: with only the three face marks, a glabella marked 75 px (about 45 mm) too high was
/// refused as "a head turned -69°", and a photo stored sideways as "are left and right swapped?". Now the
/// misplaced mark is named, and a sideways photo is called sideways.
#[test]
fn a_misplaced_face_mark_is_named_and_a_sideways_photo_is_called_sideways() {
    use follicle_render::views::{register_photo, PhotoView};
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let said = |photo: &follicle_render::photo::Photo, marks: &str| {
        let m = parse_marks(&format!("[landmarks]\n{marks}"), &plan).unwrap();
        register_photo(&plan, PhotoView::Front, &m, photo, MAX_RESIDUAL_MM)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let high = said(
        &photo,
        "glabella = [202, 120]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
    );
    assert!(high.contains("the glabella mark is"), "{high}");
    // The photo turned a quarter (as a phone stores it without its orientation tag), marked where his
    // face now is.
    let img = image::load_from_memory(&bytes).unwrap().rotate270();
    let mut jpeg = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    let sideways = decode(&jpeg, PhotoLimits::default()).unwrap();
    // A quarter turn counter-clockwise takes (x, y) to (y, width − 1 − x).
    assert_eq!((sideways.w, sideways.h), (photo.h, photo.w));
    let at = |x: f64, y: f64| format!("[{y:.0}, {:.0}]", (photo.w - 1) as f64 - x);
    let marks = format!(
        "glabella = {}\nlateral_canthus_right = {}\nlateral_canthus_left = {}\n",
        at(202.0, 195.0),
        at(141.0, 210.0),
        at(276.0, 228.0)
    );
    let m = said(&sideways, &marks);
    assert!(m.contains("is the photo on its side?"), "{m}");
}

/// The hand marks of the real photo, moved up `dy` px (on the photo cropped `dy` px from its top), registered.
fn hand_registered(plan: &follicle_core::Plan, dy: f64) -> follicle_render::register::Registration {
    let marks = parse_marks(
        &format!(
            "[landmarks]\nglabella = [202.0, {}]\nlateral_canthus_right = [141.0, {}]\nlateral_canthus_left = [276.0, {}]\n",
            195.0 - dy,
            210.0 - dy,
            228.0 - dy
        ),
        plan,
    )
    .unwrap();
    register(plan, &marks, FRONTAL_DISTANCE_MM, MAX_RESIDUAL_MM).unwrap()
}

/// The finished plan, healed, with the sides clipped to 0.5 mm, on `photo` registered by `reg`.
fn healed_preview(
    photo: &follicle_render::photo::Photo,
    plan: &follicle_core::Plan,
    reg: &follicle_render::register::Registration,
) -> Result<follicle_render::client::PhotoPreview, follicle_render::scalp::ScalpError> {
    let opts = follicle_render::client::PhotoOptions {
        state: State::Healed,
        last: plan.sessions.len(),
        guard_mm: Some(0.5),
        skin: None,
        hair: None,
        distance_mm: 1000.0,
    };
    follicle_render::client::photo_preview(photo, plan, &Catalogue::builtin(), reg, &opts)
}

/// A client in a cap: the real photo with a navy cap drawn over his head down to about 33 mm above the
/// glabella (outside test s37: it was taken for bald scalp, pigment was painted on the cap and a shade
/// recommended for "skin" #283347). The preview is refused, saying the head does not look like skin.
#[test]
fn a_cap_over_the_head_is_refused_not_painted() {
    let Some(bytes) = real_photo() else { return };
    let mut photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let reg = hand_registered(&plan, 0.0);
    let brim = 195.0 - 33.0 * reg.px_per_mm;
    for y in 0..photo.h {
        for x in 0..photo.w {
            let (dx, dy) = ((x as f64 - 208.0) / 125.0, (y as f64 - brim) / 150.0);
            if y as f64 <= brim && dx * dx + dy * dy <= 1.0 {
                photo.rgb[(y * photo.w + x) * 3..][..3].copy_from_slice(&[0x28, 0x33, 0x47]);
            }
        }
    }
    let Err(e) = healed_preview(&photo, &plan, &reg) else {
        panic!("a capped head is refused");
    };
    assert!(e.to_string().contains("does not look like skin"), "{e}");
}

/// Hair reaching the photo's top edge: the wall above it is not on the photo, so the clipped outline keeps
/// a tuft there, and the preview says so (outside test s37: the reference photo cropped 14 px into his hair
/// showed a brown block on the clipped head, with no word). The whole photo gets no such warning.
#[test]
fn hair_reaching_the_top_edge_is_said() {
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let preview = |photo: &follicle_render::photo::Photo, dy: f64| {
        healed_preview(photo, &plan, &hand_registered(&plan, dy)).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(preview(&photo, 0.0).edge_hair_warning(), None);
    let cut = 14;
    let cropped = follicle_render::photo::Photo {
        h: photo.h - cut,
        rgb: photo.rgb[cut * photo.w * 3..].to_vec(),
        ..photo.clone()
    };
    let w = preview(&cropped, cut as f64)
        .edge_hair_warning()
        .expect("hair at the top edge is said");
    assert!(w.contains("reaches the photo's top edge"), "{w}");
}

/// The face check's midline holds whatever the skin's tone (outside test s37: the same hand marks read
/// "11 mm uneven about the face's midline" on a copy of the real photo with the skin darkened, 6.5 mm on
/// the photo itself; the eye whites then outweighed the brows in the face's mirror axis). On the photo
/// and on a copy with every warm (skin) pixel darkened to 40 %, the hand marks pass, and the left eye
/// corner marked 16 px (11 mm) out is named on both.
#[test]
fn the_face_s_midline_does_not_move_with_the_skin_s_tone() {
    use follicle_render::register::check_face_marks;
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let mut dark = photo.clone();
    let mut darkened = 0usize;
    for px in dark.rgb.chunks_exact_mut(3) {
        let [r, g, b] = [px[0], px[1], px[2]].map(i32::from);
        // Skin: warm (red over blue) and not the eye whites, the hair or the wall.
        if r > g && g > b && r - b > 25 && r > 60 {
            for c in px.iter_mut() {
                *c = (f64::from(*c) * 0.4).round() as u8;
            }
            darkened += 1;
        }
    }
    assert!(darkened * 4 > photo.w * photo.h, "{darkened} px darkened");
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let marks = |left_x: f64| {
        parse_marks(
            &format!("[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [{left_x}, 228]\n"),
            &plan,
        )
        .unwrap()
    };
    for (which, p) in [("photo", &photo), ("darkened", &dark)] {
        let hand = check_face_marks(&plan, &marks(276.0), None, Some(p));
        assert!(hand.is_none(), "{which}: {hand:?}");
        let out = check_face_marks(&plan, &marks(292.0), None, Some(p))
            .unwrap_or_else(|| panic!("{which}: the left corner 16 px out is not named"));
        assert_eq!(out.name, "lateral_canthus_left", "{which}: {out:?}");
    }
    // The studio's face finder proposed these on the photo (its browser test, session 53), each within
    // 5.2 mm of the hand's (the corners within 3.3 mm): read "10 mm uneven about the face's midline" before
    // the mirror axis' own uncertainty was counted in the corners' asymmetry (outside test s53).
    let proposed = parse_marks(
        "[landmarks]\nglabella = [210.3, 194]\nlateral_canthus_right = [140, 204.9]\nlateral_canthus_left = [279.1, 223.8]\n",
        &plan,
    )
    .unwrap();
    let said = check_face_marks(&plan, &proposed, None, Some(&photo));
    assert!(said.is_none(), "the face finder's proposal: {said:?}");
}

/// The real photo with every pixel's linear light scaled by `gain` (a colour cast of the room's light or
/// the camera's white balance).
fn under_cast(
    photo: &follicle_render::photo::Photo,
    gain: [f64; 3],
) -> follicle_render::photo::Photo {
    let to_lin = |c: u8| {
        let v = f64::from(c) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let to_srgb = |l: f64| {
        let l = l.clamp(0.0, 1.0);
        let v = if l <= 0.003_130_8 {
            12.92 * l
        } else {
            1.055 * l.powf(1.0 / 2.4) - 0.055
        };
        (v * 255.0).round() as u8
    };
    let mut out = photo.clone();
    for (i, c) in out.rgb.iter_mut().enumerate() {
        *c = to_srgb(to_lin(*c) * gain[i % 3]);
    }
    out
}

/// A bluish white balance (overcast daylight, shade) cancels the forehead's warm colour: the reference
/// photo under linear gains (0.82, 0.95, 1.25) read its forehead at chroma 3.8 and was refused as "not a
/// colour photo" (outside test s37), while weaker and stronger casts passed. Balanced on the photo's cast
/// wall the forehead is skin, and the preview is drawn; a grey cap stays refused, in neutral light (grey)
/// and under the same cast (blue).
#[test]
fn a_bluish_cast_is_skin_but_a_grey_cap_is_not() {
    use follicle_render::register::check_head_found;
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let reg = hand_registered(&plan, 0.0);
    let refusal = |p: &follicle_render::photo::Photo| {
        check_head_found(p, &plan, &reg)
            .err()
            .or_else(|| healed_preview(p, &plan, &reg).err().map(|e| e.to_string()))
    };
    let gain = [0.82, 0.95, 1.25];
    for g in [[1.0; 3], [0.9, 0.97, 1.12], gain, [0.75, 0.92, 1.4]] {
        assert_eq!(refusal(&under_cast(&photo, g)), None, "gains {g:?}");
    }
    let brim = 195.0 - 33.0 * reg.px_per_mm;
    let mut capped = photo.clone();
    for y in 0..capped.h {
        for x in 0..capped.w {
            let (dx, dy) = ((x as f64 - 208.0) / 125.0, (y as f64 - brim) / 150.0);
            if y as f64 <= brim && dx * dx + dy * dy <= 1.0 {
                capped.rgb[(y * capped.w + x) * 3..][..3].copy_from_slice(&[0x8a, 0x8a, 0x8a]);
            }
        }
    }
    let grey = refusal(&capped).expect("a grey cap is refused");
    assert!(grey.contains("grey or white hat or cap"), "{grey}");
    let blue = refusal(&under_cast(&capped, gain)).expect("a grey cap in bluish light is refused");
    assert!(blue.contains("does not look like skin"), "{blue}");
}

/// Outside test s48: the reference photo under a magenta or a blue cast read its skin "light pink" or beige
/// without a word (the skin stays in skin's colours), and the shade was matched to it. The white wall beside
/// the head reads coloured: said, as a colour cast if the wall is white or grey; the photo as taken is not.
#[test]
fn a_coloured_light_wall_says_the_light_may_be_cast() {
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let reg = hand_registered(&plan, 0.0);
    let warning = |p: &follicle_render::photo::Photo| {
        follicle_render::scalp::find_scalp(&p.to_linear(), &plan, &reg)
            .unwrap()
            .skin_warning()
            .unwrap_or_default()
    };
    let said = "the light background beside the head reads";
    let own = warning(&photo);
    assert!(!own.contains(said), "{own}");
    for gain in [[1.25, 0.8, 1.2], [0.8, 0.92, 1.3]] {
        let w = warning(&under_cast(&photo, gain));
        assert!(
            w.contains(said)
                && w.contains("if it is a white or grey wall, the photo has a colour cast"),
            "gains {gain:?}: {w}"
        );
    }
}

/// Outside test s48: a thin grey arc of the old hair outline stayed on the wall beside the shaved head: the
/// hair's faint outer tips, blended into the wall just outside the hair map, were kept as they were. The
/// wall pixels that touch the hair map (within a working pixel) on the top of the head now go with the rim:
/// nearly all of them change, and they end as light as the wall around them.
#[test]
fn the_old_hair_outline_leaves_no_line_on_the_wall() {
    use follicle_render::client::{photo_preview, PhotoOptions};
    let Some(bytes) = real_photo() else { return };
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let reg = hand_registered(&plan, 0.0);
    let opts = PhotoOptions {
        state: State::Healed,
        last: plan.sessions.len(),
        guard_mm: Some(0.0),
        skin: None,
        hair: None,
        distance_mm: 1000.0,
    };
    let pv = photo_preview(&photo, &plan, &Catalogue::builtin(), &reg, &opts).unwrap();
    let (t, m) = (&pv.full, &pv.map);
    let step = m.step;
    // The wall's own lightness: the photo's top corners.
    let mut corner: Vec<f64> = (0..40)
        .flat_map(|y| (0..40).map(move |x| (x, y)))
        .map(|(x, y)| lstar(t.before.get(x, y)))
        .collect();
    corner.sort_by(f64::total_cmp);
    let wall = corner[corner.len() / 2];
    let (mut tips, mut changed, mut dark) = (0usize, 0usize, 0usize);
    // Above the ears (the top half of the head's height on this photo).
    for y in 0..(150.min(t.before.h)) {
        for x in 0..t.before.w {
            let (wx, wy) = (x / step, y / step);
            let i = wy * m.w + wx;
            if m.hair[i] >= 0.02 || m.background[i] < 0.5 {
                continue;
            }
            let touches_hair = (wy.saturating_sub(1)..(wy + 2).min(m.h)).any(|yy| {
                (wx.saturating_sub(1)..(wx + 2).min(m.w)).any(|xx| m.hair[yy * m.w + xx] > 0.05)
            });
            if !touches_hair {
                continue;
            }
            tips += 1;
            let (b, s) = (t.before.get(x, y), t.shaved.get(x, y));
            if (0..3).any(|c| (b[c] - s[c]).abs() > 1e-4) {
                changed += 1;
            }
            if lstar(s) < wall - 3.0 {
                dark += 1;
            }
        }
    }
    eprintln!(
        "wall L* {wall:.1}: {tips} tip pixels, {changed} changed, {dark} darker than the wall by 3"
    );
    assert!(tips > 100, "{tips}");
    assert!(changed * 10 >= tips * 9, "{changed} of {tips} changed");
    assert!(
        dark * 10 <= tips,
        "{dark} of {tips} still darker than the wall"
    );
}
