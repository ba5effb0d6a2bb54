//! What the client sees on the real photo (../shared/photos/shaved-norwood-front.jpg, from its hand marks,
//! the demo plan, healed, 1 m): the clipped sides drawn as one stubble shadow without steps, both sides
//! alike; the design visible on the after picture (a front edge at the designed hairline, the treated top
//! darkened as much as the stubble darkens the skin under the sides); the zoomed crop on the hairline.
//! Probe s8 findings 1, 2 and 14. Figures measured before these changes are in the asserts' comments.

mod real_photo;

use follicle_render::client::PhotoPreview;
use follicle_render::color::lab_from_lin;
use follicle_render::photo::{decode, PhotoLimits};
use follicle_render::scalp::FaceFrame;
use follicle_render::shaved::Shaver;
use follicle_render::LinearImage;
use real_photo::preview;

/// The real photo in linear light (it is there: `preview` said so).
fn photo_linear() -> LinearImage {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    decode(&std::fs::read(path).unwrap(), PhotoLimits::default())
        .unwrap()
        .to_linear()
}

/// `img` averaged over 3 × 3 pixels (linear light; the border as it is).
fn box3(img: &LinearImage) -> LinearImage {
    let mut out = img.clone();
    for y in 1..img.h - 1 {
        for x in 1..img.w - 1 {
            let mut c = [0.0f32; 3];
            for dy in 0..3 {
                for dx in 0..3 {
                    let p = img.get(x + dx - 1, y + dy - 1);
                    c = [c[0] + p[0] / 9.0, c[1] + p[1] / 9.0, c[2] + p[2] / 9.0];
                }
            }
            out.px[y * img.w + x] = c;
        }
    }
    out
}

fn lab(img: &LinearImage, x: usize, y: usize) -> follicle_render::color::Lab {
    lab_from_lin(img.get(x, y))
}

/// Mean L*, a*, b* of the shaved picture over the clipped sides, per side of the face (his right =
/// image left first), with the pixel counts.
fn side_colours(pv: &PhotoPreview, frame: &FaceFrame) -> [([f64; 3], usize); 2] {
    let img = &pv.full.shaved;
    let mut acc = [([0.0f64; 3], 0usize); 2];
    for y in 0..img.h {
        for x in 0..img.w {
            if !pv.regions.is_side(x, y) {
                continue;
            }
            let side = (frame.mm(x as f64 + 0.5, y as f64 + 0.5).0 > 0.0) as usize;
            let c = lab(img, x, y);
            let a = &mut acc[side];
            a.0 = [a.0[0] + c.l, a.0[1] + c.a, a.0[2] + c.b];
            a.1 += 1;
        }
    }
    acc.map(|(s, n)| (s.map(|v| v / n.max(1) as f64), n))
}

#[test]
fn the_clipped_sides_are_one_stubble_shadow_without_steps_and_both_sides_alike() {
    let Some((pv, frame, ppm, _)) = preview(None) else {
        return;
    };
    let [right, left] = side_colours(&pv, &frame);
    eprintln!("clipped sides (L*, a*, b*), his right {right:?}, his left {left:?}");
    // His right side's band of hair is thin: the clipped outline feathered over the photo's own edge
    // (s11) takes a few more of its pixels (280 read now).
    assert!(right.1 > 200 && left.1 > 300, "{right:?} {left:?}");
    // One skin under the hair: the same colour on both sides, and no redder than his skin (before: the
    // sides continued the shadowed temples' and ears' skin, a* 14.4 and 16.8 against his skin's 10.7, an
    // orange patch on his left; now 7.9 and 7.5).
    let (da, db) = (
        (right.0[1] - left.0[1]).abs(),
        (right.0[2] - left.0[2]).abs(),
    );
    assert!(
        da <= 4.0 && db <= 6.0,
        "the sides differ in colour: Δa* {da:.1}, Δb* {db:.1}"
    );
    // No reddish patch: the shafts a razor leaves are seen through the skin, grey-blue.
    let skin = lab_from_lin(pv.map.skin);
    for (name, s) in [("right", right), ("left", left)] {
        assert!(
            s.0[1] <= skin.a + 2.0,
            "his {name} side a* {:.1} is redder than his skin's {:.1}",
            s.0[1],
            skin.a
        );
    }
    // No step the photo did not have: across 3 px on the head as it stays, the shaved picture's L* jump
    // less the photo's own there, over the pixels the shaving changed (before: 99.5th percentile 10.2 L*,
    // 43 jumps over 10 L*, the notch above his ears; then 6.3 and none). Read on both pictures averaged
    // over 3 × 3 px: a seam is a step between regions; since s10 every follicle of the stubble is drawn
    // (single dark pixels, their texture tested on its own below), which this measure is not about.
    let (b, s) = (&box3(&pv.full.before), &box3(&pv.full.shaved));
    // On the head as it stays (the hair that goes with the clipping turns into the wall: its new outline
    // is the head's edge, not a seam): the clipped sides, and the head's pixels that are not hair.
    let on_head_px = |x: usize, y: usize| {
        let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
        pv.map.sample(&pv.map.background, fx, fy) < 0.5
            && (pv.regions.is_side(x, y) || pv.map.hair_at(fx, fy) < 0.2)
    };
    // The 3 × 3 average of a pixel is on the head when all nine are (beside the new outline it mixes in
    // the wall the clipped hair turned into).
    let on_head = |x: usize, y: usize| {
        (y.saturating_sub(1)..=(y + 1).min(b.h - 1))
            .all(|yy| (x.saturating_sub(1)..=(x + 1).min(b.w - 1)).all(|xx| on_head_px(xx, yy)))
    };
    let mut extra = Vec::new();
    let r = 3usize;
    for y in r..b.h - r {
        for x in r..b.w - r {
            if (lab(s, x, y).l - lab(b, x, y).l).abs() < 1.0 || !on_head(x, y) {
                continue;
            }
            for (qx, qy) in [(x + r, y), (x, y + r)] {
                if !on_head(qx, qy) {
                    continue;
                }
                let ds = (lab(s, x, y).l - lab(s, qx, qy).l).abs();
                let db = (lab(b, x, y).l - lab(b, qx, qy).l).abs();
                extra.push(ds - db);
                if ds - db > 10.0 && std::env::var_os("SHOW_STEPS").is_some() {
                    let m = |x: usize, y: usize| {
                        let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
                        format!(
                            "L* {:.0}→{:.0} hair {:.2} bg {:.2} bare {:.2}",
                            lab(b, x, y).l,
                            lab(s, x, y).l,
                            pv.map.hair_at(fx, fy),
                            pv.map.sample(&pv.map.background, fx, fy),
                            pv.map.sample(&pv.map.bare, fx, fy)
                        )
                    };
                    eprintln!(
                        "step {:.1} at ({x}, {y}) {} → ({qx}, {qy}) {}",
                        ds - db,
                        m(x, y),
                        m(qx, qy)
                    );
                }
            }
        }
    }
    extra.sort_by(|a, b| a.total_cmp(b));
    let p995 = extra[extra.len() * 995 / 1000];
    let over = extra.iter().filter(|&&e| e > 10.0).count();
    eprintln!(
        "steps across 3 px ({:.1} px/mm) not in the photo: 99.5th percentile {p995:.1} L*, {over} of {} over 10",
        ppm,
        extra.len()
    );
    assert!(
        p995 <= 8.0 && over == 0,
        "steps the photo did not have: 99.5th percentile {p995:.1} L*, {over} over 10 L*"
    );
    // Both sides the same tone once the light is accounted for: the stubble darkens the skin under it
    // by the same share on either side (his right is lit, his left turns away: raw L* differs by ~19).
    let before = photo_linear();
    let shaver = Shaver::new(&before, &pv.map, None, ppm).expect("retained hair");
    let lum = |c: [f32; 3]| 0.2126 * c[0] as f64 + 0.7152 * c[1] as f64 + 0.0722 * c[2] as f64;
    let mut acc = [[0.0f64; 2]; 2];
    for y in 0..s.h {
        for x in 0..s.w {
            if pv.regions.is_side(x, y) {
                let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
                let side = (frame.mm(fx, fy).0 > 0.0) as usize;
                acc[side][0] += lum(pv.full.shaved.get(x, y));
                acc[side][1] += lum(shaver.skin_under(&pv.map, fx, fy));
            }
        }
    }
    let [dr, dl] = acc.map(|[a, b]| 1.0 - a / b.max(1e-9));
    eprintln!(
        "stubble darkens the skin under it: his right {:.0} %, his left {:.0} %",
        dr * 100.0,
        dl * 100.0
    );
    assert!(
        (dr - dl).abs() <= 0.08,
        "sides darken by {dr:.2} and {dl:.2}"
    );
}

#[test]
fn the_after_picture_shows_the_designed_hairline_and_the_top_matches_the_sides() {
    let Some((pv, _, _, _)) = preview(None) else {
        return;
    };
    let r = &pv.reading;
    eprintln!("{:?}", r.summary());
    eprintln!("{r:?}");
    let step = r.pigment_step().expect("the hairline is on the photo");
    // The pigment's own step across the designed hairline (5 mm each side on the midline), before the
    // eye's blur at 1 m: 2.6 L* before this change (no client saw it), now a soft front edge.
    assert!(
        step >= follicle_render::legible::HAIRLINE_SEEN_L,
        "hairline step {step:.1} L*"
    );
    // The treated top darkens the skin under it as much as the stubble darkens the skin under the
    // sides (before: 13 % against 18 %): one shaved head in one light.
    let (t, s) = (r.top_darkening.unwrap(), r.side_darkening.unwrap());
    assert!(
        t >= 0.18,
        "the treated top darkens by only {:.0} %",
        t * 100.0
    );
    assert!(
        (t - s).abs() <= follicle_render::legible::EVEN_SHARE,
        "top {t:.2} against sides {s:.2}"
    );
    assert!(r.advice().is_empty(), "{:?}", r.advice());
    // The after picture differs from the shaved one on the treated top by more than 5 L* (before: 4).
    let (mut da, mut n) = (0.0, 0);
    for y in 0..pv.full.after.h {
        for x in 0..pv.full.after.w {
            if pv.regions.is_top(x, y) {
                da += lab(&pv.full.shaved, x, y).l - lab(&pv.full.after, x, y).l;
                n += 1;
            }
        }
    }
    let da = da / n.max(1) as f64;
    eprintln!("after against shaved on the treated top ({n} px): {da:.1} L*");
    assert!(da > 5.0, "{da:.1} L*");
}

#[test]
fn the_zoomed_crop_is_centred_on_the_designed_hairline() {
    let Some((pv, frame, ppm, _)) = preview(None) else {
        return;
    };
    let (hx, hy) = pv
        .reading
        .hairline_px
        .expect("the hairline is on the photo");
    let [x0, y0, w, h] = pv.zoom_rect.map(|v| v as f64);
    eprintln!("hairline at ({hx:.0}, {hy:.0}), crop {:?}", pv.zoom_rect);
    // Forehead in front of it and treated scalp behind it both in the crop (15 mm each way).
    assert!(
        hx > x0 + 10.0 * ppm && hx < x0 + w - 10.0 * ppm,
        "hairline {hx:.0} not inside the crop across"
    );
    assert!(
        hy - 15.0 * ppm >= y0 && hy + 15.0 * ppm <= y0 + h,
        "the crop {:?} does not hold 15 mm each side of the hairline at y {hy:.0}",
        pv.zoom_rect
    );
    // …on the face's midline.
    assert!(frame.mm(hx, hy).0.abs() < 10.0);
}

/// RMS of the shaved picture's L* against its 3 × 3 neighbourhood mean over the pixels `keep` accepts:
/// the fine texture a client sees at 2× (follicles, grain), not the light's slow changes.
fn fine_texture(img: &LinearImage, keep: impl Fn(usize, usize) -> bool) -> (f64, usize) {
    let (mut s2, mut n) = (0.0, 0usize);
    for y in 1..img.h - 1 {
        for x in 1..img.w - 1 {
            if !keep(x, y) {
                continue;
            }
            let mut m = 0.0;
            for dy in 0..3 {
                for dx in 0..3 {
                    m += lab(img, x + dx - 1, y + dy - 1).l;
                }
            }
            s2 += (lab(img, x, y).l - m / 9.0).powi(2);
            n += 1;
        }
    }
    ((s2 / n.max(1) as f64).sqrt(), n)
}

/// Issue 11 (s10): the clipped sides read as stubble, not paint, and no pale ring is left where the hair's
/// outline was. Texture: the sides' fine L* texture on the shaved picture (each follicle drawn, stubble.rs)
/// is at least a floor and at least a third of his bald top's own skin texture's; before (a flat tint with
/// a ± 15 % grain) it was 2.0 L* against the floor of 2.5, now 3.3. Ring: no line off the wall's colour
/// between the wall and the head (rule below); before, the stubble's skin colour mixed into the old
/// outline's pixels drew one on 53 of the 350 rows scanned (a script of the same rule on the s9 picture),
/// now 2.
#[test]
fn the_clipped_sides_read_as_stubble_and_no_pale_ring_is_left_at_the_old_outline() {
    let Some((pv, _, _, _)) = preview(None) else {
        return;
    };
    let s = &pv.full.shaved;
    let (sides, n_sides) = fine_texture(s, |x, y| pv.regions.is_side(x, y));
    let (top, n_top) = fine_texture(&pv.full.before, |x, y| pv.regions.is_top(x, y));
    eprintln!(
        "fine texture (L* RMS against 3 × 3 mean): clipped sides {sides:.2} ({n_sides} px), bald top as photographed {top:.2} ({n_top} px)"
    );
    assert!(n_sides > 600 && n_top > 600, "{n_sides} {n_top}");
    // s11: the sides are lit as the head's dome, his left (most of the sides' pixels) at L* 31 instead of
    // 45, where the same stubble's relative contrast is fewer L* (2.09 now): asserted at 1.8 and over
    // 1.5 times the bald top's.
    assert!(
        sides >= 1.8 && sides >= 1.5 * top,
        "the clipped sides are smooth: texture {sides:.2} L* (bald top {top:.2})"
    );
    // The ring: rows from the top of the head down to the glabella's height, scanned in from each edge to
    // the head (the first pixel more than 15 ΔE*ab off the wall at the row's edge). Outside the head, against
    // the wall 13–19 px out: a ring is a pixel as light as the wall (L* at most 3 under it) but off its
    // colour (ΔE*ab > 5) with wall again (ΔE*ab < 2.5) between it and the head: wall, line, wall, head.
    // A head's own soft edge goes straight from wall to head (the photo as taken: 4 rows of 350).
    let glabella_y = 195usize;
    let (mut rows, mut rings) = (0, 0);
    let d76 = |p: follicle_render::color::Lab, q: [f64; 3]| {
        ((p.l - q[0]).powi(2) + (p.a - q[1]).powi(2) + (p.b - q[2]).powi(2)).sqrt()
    };
    let mean = |v: Vec<follicle_render::color::Lab>| {
        let k = v.len() as f64;
        v.iter().fold([0.0; 3], |c, l| {
            [c[0] + l.l / k, c[1] + l.a / k, c[2] + l.b / k]
        })
    };
    for y in 20..glabella_y {
        for from_left in [true, false] {
            let px = |i: usize| lab(s, if from_left { i } else { s.w - 1 - i }, y);
            let edge = mean((2..12).map(px).collect());
            let Some(head) = (12..s.w / 2).find(|&i| d76(px(i), edge) > 15.0) else {
                continue;
            };
            if head < 24 {
                continue;
            }
            rows += 1;
            let far = mean((head - 20..head - 13).map(px).collect());
            let ring = (head - 12..head - 1).find(|&i| {
                let p = px(i);
                d76(p, far) > 5.0
                    && p.l >= far[0] - 3.0
                    && (i + 1..head).any(|j| d76(px(j), far) < 2.5)
            });
            if let Some(i) = ring {
                rings += 1;
                if std::env::var_os("SHOW_RINGS").is_some() {
                    eprintln!(
                        "ring at {i} px from the {} edge, row {y}",
                        if from_left { "left" } else { "right" }
                    );
                }
            }
        }
    }
    eprintln!("rows scanned {rows}, with a ring at the old outline {rings}");
    assert!(rows > 100, "{rows}");
    assert!(
        rings * 20 <= rows,
        "{rings} of {rows} rows have a line at the old outline"
    );
}
