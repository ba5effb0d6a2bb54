//! Composed pictures: before/after pairs, side-by-side comparisons, and the contact sheet of the main views
//! and states, with labels in the built-in font.

use crate::camera::{Camera, View};
use crate::font::{draw_text, text_width};
use crate::mannequin::{GBuffer, Mannequin};
use crate::optics::State;
use crate::preview::{blur_for_distance, camera_for, closeup_camera, closeup_on, draw_on, Scene};
use crate::raster::LinearImage;
use crate::shade::Catalogue;
use follicle_core::Plan;

/// Label colour on the dark sheet background.
const INK: [f32; 3] = [0.85, 0.85, 0.85];
/// Sheet background.
const PAPER: [f32; 3] = [0.02, 0.02, 0.025];

/// Renders the same view before treatment and after (the scene's state and session), sharing the geometry.
pub fn before_after(plan: &Plan, cat: &Catalogue, scene: &Scene) -> (LinearImage, LinearImage) {
    let cam = camera_for(plan, scene.view, scene.distance_mm, scene.size);
    let g = Mannequin::new(plan)
        .with_face(scene.appearance.face)
        .gbuffer(&cam, &scene.appearance);
    before_after_on(plan, cat, scene, &cam, &g)
}

/// [`before_after`] on an already rendered mannequin `g` seen by `cam`.
pub fn before_after_on(
    plan: &Plan,
    cat: &Catalogue,
    scene: &Scene,
    cam: &Camera,
    g: &GBuffer,
) -> (LinearImage, LinearImage) {
    let mut before = g.combine(&g.diffuse);
    let mut d = g.diffuse.clone();
    draw_on(plan, cat, scene, cam, &g.depth, &mut d);
    let mut after = g.combine(&d);
    if scene.eye_blur {
        blur_for_distance(&mut before, cam, plan, scene.distance_mm);
        blur_for_distance(&mut after, cam, plan, scene.distance_mm);
    }
    (before, after)
}

/// Two pictures of the same height side by side with a caption over each.
pub fn side_by_side(left: &LinearImage, right: &LinearImage, captions: [&str; 2]) -> LinearImage {
    row(&[left, right], &captions)
}

/// Pictures side by side, in order, with a caption over each (the first picture's width sets the
/// caption size).
pub fn row(panels: &[&LinearImage], captions: &[&str]) -> LinearImage {
    let Some(first) = panels.first() else {
        return LinearImage::new(1, 1, PAPER);
    };
    let scale = (first.w / 300).clamp(1, 4);
    let band = 12 * scale;
    let gap = 8 * scale;
    let width = panels.iter().map(|p| p.w).sum::<usize>() + gap * (panels.len() - 1);
    let height = panels.iter().map(|p| p.h).max().unwrap_or(0) + band;
    let mut out = LinearImage::new(width, height, PAPER);
    let mut x = 0;
    for (k, p) in panels.iter().enumerate() {
        out.blit(p, x, band);
        if let Some(c) = captions.get(k) {
            draw_text(&mut out, x + 2 * scale, 2 * scale, c, scale, INK);
        }
        x += p.w + gap;
    }
    out
}

/// [`row`] of pictures it owns, each dropped as soon as it is drawn (a 12-megapixel before | shaved |
/// after needs the three pictures and the row together only one at a time).
pub fn row_owned(panels: Vec<LinearImage>, captions: &[&str]) -> LinearImage {
    let Some(first) = panels.first() else {
        return LinearImage::new(1, 1, PAPER);
    };
    let scale = (first.w / 300).clamp(1, 4);
    let band = 12 * scale;
    let gap = 8 * scale;
    let width = panels.iter().map(|p| p.w).sum::<usize>() + gap * (panels.len() - 1);
    let height = panels.iter().map(|p| p.h).max().unwrap_or(0) + band;
    let mut out = LinearImage::new(width, height, PAPER);
    let mut x = 0;
    for (k, p) in panels.into_iter().enumerate() {
        out.blit(&p, x, band);
        if let Some(c) = captions.get(k) {
            draw_text(&mut out, x + 2 * scale, 2 * scale, c, scale, INK);
        }
        x += p.w + gap;
    }
    out
}

/// The views in the contact sheet's rows (left and right are near mirror images of the 3/4 and back
/// views' sides; `follicle render --view` draws them).
pub const SHEET_VIEWS: [View; 4] = [View::ThreeQuarter, View::Front, View::Top, View::Back];

/// The states in the contact sheet's columns: (label, state, session), all seen from 30 cm.
fn columns(plan: &Plan) -> Vec<(String, State, Option<usize>)> {
    let n = plan.sessions.len();
    let mut cols = vec![("BEFORE".to_string(), State::Healed, Some(0))];
    // Earlier sessions, healed, labelled with their cumulative share of the final density.
    for s in plan.sessions.iter().take(n.saturating_sub(1)) {
        cols.push((
            format!("SESSION {} {:.0}%", s.index, s.cumulative_fraction * 100.0),
            State::Healed,
            Some(s.index),
        ));
    }
    cols.push((format!("FRESH (SESSION {n})"), State::Fresh, None));
    cols.push(("HEALED".into(), State::Healed, None));
    cols.push(("5 YEARS".into(), State::Aged(5.0), None));
    cols
}

/// Width of the close-up patches of the contact sheet, mm.
pub const CLOSEUP_MM: f64 = 30.0;

/// The contact sheet: rows of views ([`SHEET_VIEWS`]), columns of states (before, each earlier session
/// healed, fresh after the last, healed, 5 years), seen from 30 cm; then a row of close-ups of a
/// [`CLOSEUP_MM`] patch at the vertex in the same states, the last one healed as resolved from 1.5 m
/// (magnified). Panels are `panel` pixels square; the mannequin wears `face`.
pub fn contact_sheet(
    plan: &Plan,
    cat: &Catalogue,
    panel: usize,
    face: crate::mannequin::Face,
) -> LinearImage {
    let cols = columns(plan);
    let scale = (panel / 250).max(1);
    let head = 14 * scale;
    let side = text_width("CLOSE", scale) + 8 * scale;
    let gap = 4;
    let rows = SHEET_VIEWS.len() + 1;
    let mut out = LinearImage::new(
        side + cols.len() * (panel + gap),
        head + rows * (panel + gap) + 10 * scale,
        PAPER,
    );
    for (c, col) in cols.iter().enumerate() {
        draw_text(
            &mut out,
            side + c * (panel + gap) + 2,
            3 * scale,
            &col.0,
            scale,
            INK,
        );
    }
    let man = Mannequin::new(plan).with_face(face);
    let mut base = Scene {
        size: panel,
        ..Scene::new(plan.design.seed)
    };
    base.appearance.face = face;
    for (r, view) in SHEET_VIEWS.iter().enumerate() {
        let y = head + r * (panel + gap);
        draw_text(
            &mut out,
            3 * scale,
            y + panel / 2,
            &view.name().to_uppercase(),
            scale,
            INK,
        );
        let cam = camera_for(plan, *view, base.distance_mm, panel);
        let g = man.gbuffer(&cam, &base.appearance);
        for (c, (_, state, session)) in cols.iter().enumerate() {
            let scene = Scene {
                view: *view,
                state: *state,
                session: *session,
                ..base.clone()
            };
            let mut d = g.diffuse.clone();
            draw_on(plan, cat, &scene, &cam, &g.depth, &mut d);
            let mut img = g.combine(&d);
            blur_for_distance(&mut img, &cam, plan, base.distance_mm);
            out.blit(&img, side + c * (panel + gap), y);
        }
    }
    // Close-ups at the vertex: the same states; the last column healed, blurred as from 1.5 m.
    let y = head + SHEET_VIEWS.len() * (panel + gap);
    draw_text(
        &mut out,
        3 * scale,
        y + panel / 2 - 5 * scale,
        "CLOSE",
        scale,
        INK,
    );
    draw_text(
        &mut out,
        3 * scale,
        y + panel / 2 + 3 * scale,
        &format!("{CLOSEUP_MM:.0} MM"),
        scale,
        INK,
    );
    let cam = closeup_camera(
        plan,
        plan.head.vertex(),
        CLOSEUP_MM,
        base.distance_mm,
        panel,
    );
    let g = man.gbuffer(&cam, &base.appearance);
    let last = cols.len() - 1;
    for (c, (_, state, session)) in cols.iter().enumerate() {
        let (state, session, blur, label) = if c == last {
            (State::Healed, None, 1500.0, Some("HEALED, AS FROM 1.5 M"))
        } else {
            (*state, *session, base.distance_mm, None)
        };
        let scene = Scene {
            state,
            session,
            ..base.clone()
        };
        let mut img = closeup_on(plan, cat, &scene, &cam, &g, blur);
        if let Some(l) = label {
            draw_text(&mut img, 2 * scale, 2 * scale, l, scale, [0.02; 3]);
        }
        out.blit(&img, side + c * (panel + gap), y);
    }
    let note = sheet_note(plan);
    let y = out.h - 9 * scale;
    draw_text(&mut out, 3 * scale, y, &note, scale, [0.5; 3]);
    out
}

/// The line along the contact sheet's foot: what it shows, and, for a design among hair the client keeps
/// (Ludwig, diffuse thinning), that the mannequin is shaved only so the pigment shows (outside test s53: a
/// woman with diffuse thinning saw herself bald, the front paler than the back, and read it as a receding
/// hairline).
pub fn sheet_note(plan: &Plan) -> String {
    let n = plan.sessions.len();
    let tail = if plan.keeps_hair() {
        "SHAVED HERE TO SHOW THE PIGMENT: THE CLIENT KEEPS THEIR HAIR, AND THE SMP LIES AMONG IT"
    } else {
        "SEE DOCS/PREVIEW-MODEL.MD"
    };
    format!(
        "FOLLICLE PREVIEW - {} IMPRESSIONS, {n} SESSION{}, SEEN FROM 30 CM - {tail}",
        plan.impressions.len(),
        if n == 1 { "" } else { "S" }
    )
}

/// The swatch sheet of a shade report: per zone, the target stubble colour, the healed impression at the
/// recommended strength and at the plan's strength (flat swatches), and a 20 mm patch of skin with healed
/// impressions at the zone's density and the recommended strength, as seen from 30 cm.
pub fn swatch_sheet(
    plan: &Plan,
    cat: &Catalogue,
    report: &crate::shade::ShadeReport,
) -> LinearImage {
    use crate::optics::look;
    use crate::shade::MATCH_DELTA_E;
    use crate::splat::{composite, Spot};
    use follicle_core::noise::mix64;
    let sw = 120;
    let scale = 2;
    let head = 16 * scale;
    let row_h = sw + 14 * scale;
    let cols = ["TARGET", "RECOMMENDED", "PLAN", "HEALED PATCH 20 MM"];
    let x0 = 8;
    let mut out = LinearImage::new(
        x0 + cols.len() * (sw + 12) + 8,
        head + report.zones.len() * row_h + 8,
        [0.9, 0.9, 0.9],
    );
    let ink = [0.02f32; 3];
    for (c, name) in cols.iter().enumerate() {
        draw_text(&mut out, x0 + c * (sw + 12), 4 * scale, name, 1, ink);
    }
    for (r, z) in report.zones.iter().enumerate() {
        let y = head + r * row_h;
        let zi = plan
            .zones
            .iter()
            .position(|s| s.spec.id == z.zone)
            .expect("report zones come from the plan");
        let label = format!(
            "{} - {} {:.0}% ΔE00 {:.1} (PLAN {:.0}% ΔE00 {:.1})",
            // The zone as the practitioner names it (outside test s48: "MID_SCALP"), ΔE00 as everywhere else.
            follicle_core::zone_words(&z.zone),
            z.pigment,
            z.strength * 100.0,
            z.delta_e,
            z.plan_strength * 100.0,
            z.plan_delta_e
        );
        draw_text(&mut out, x0, y, &label, 1, ink);
        // A target the pigment cannot match, flagged on the sheet as in the report's words (outside test
        // s38: the sheet showed "DE00 24.3" for an unmatched zone with no flag and no closest pigment).
        if let Some((name, s, de)) = &z.unmatched {
            let flag = if name.eq_ignore_ascii_case(&z.pigment) {
                format!("NO MATCH (ΔE00 OVER {MATCH_DELTA_E}): NO PIGMENT IN THE CATALOGUE COMES CLOSER")
            } else {
                format!(
                    "NO MATCH (ΔE00 OVER {MATCH_DELTA_E}): CLOSEST {} AT {:.0}% (ΔE00 {de:.1})",
                    name.to_uppercase(),
                    s * 100.0
                )
            };
            draw_text(&mut out, x0, y + 5 * scale, &flag, 1, [0.6, 0.02, 0.01]);
        }
        let yy = y + 10 * scale;
        out.fill_rect(x0, yy, sw, sw, report.target);
        out.fill_rect(x0 + (sw + 12), yy, sw, sw, z.healed);
        out.fill_rect(x0 + 2 * (sw + 12), yy, sw, sw, z.plan_healed);
        // Skin patch, 20 mm across: jittered impressions at the zone's target density.
        let mut patch = LinearImage::new(sw, sw, report.skin);
        let px_per_mm = sw as f32 / 20.0;
        let pig = cat.resolve(&z.pigment);
        let l = look(
            report.skin,
            pig.lab,
            z.strength,
            crate::optics::State::Healed,
            false,
            false,
        );
        let rho = plan.zones[zi].spec.target_density_cm2() / 100.0; // per mm²
        let step = (1.0 / rho.max(0.05)).sqrt();
        let n = (20.0 / step).ceil() as usize;
        let mut spots = Vec::new();
        for i in 0..n * n {
            let h = mix64(0x5A7C ^ i as u64);
            let jx = ((h & 0xFFFF) as f64 / 65536.0 - 0.5) * step * 0.8;
            let jy = (((h >> 16) & 0xFFFF) as f64 / 65536.0 - 0.5) * step * 0.8;
            let (mx, my) = (
                (i % n) as f64 * step + step / 2.0 + jx,
                (i / n) as f64 * step + step / 2.0 + jy,
            );
            let d = plan.zones[zi].spec.needle.diameter_mm * 0.85;
            let (radius_mm, ink) = l.spot_size(d as f32);
            spots.push(Spot {
                x: mx as f32 * px_per_mm,
                y: my as f32 * px_per_mm,
                jac: [px_per_mm, 0.0, 0.0, px_per_mm],
                radius_mm,
                look: 0,
                ink,
            });
        }
        composite(&mut patch, &spots, &[l]);
        out.blit(&patch, x0 + 3 * (sw + 12), yy);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shade::{parse_hair, parse_skin, recommend};

    /// A design among hair the client keeps says on the sheet that the mannequin is shaved only to show the
    /// pigment; a shaved design (Norwood) does not.
    #[test]
    fn the_sheet_says_a_client_keeps_their_hair() {
        let shaved = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        assert!(sheet_note(&shaved).ends_with("SEE DOCS/PREVIEW-MODEL.MD"));
        let mut design = follicle_core::demo_design();
        design.zones = follicle_core::presets::zones_for(follicle_core::Pattern::Ludwig(2));
        let worn = follicle_core::plan(&design).unwrap();
        assert!(
            sheet_note(&worn).contains("THE CLIENT KEEPS THEIR HAIR"),
            "{}",
            sheet_note(&worn)
        );
    }

    /// Red (flag) pixels in the label band of each zone row: a sheet for a target no pigment matches says
    /// so on the picture too (outside test s38: Fitzpatrick VI with blond hair showed "DE00 24.3" and no
    /// flag), and a matched one has none.
    #[test]
    fn an_unmatched_target_is_flagged_on_the_sheet() {
        let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let cat = Catalogue::builtin();
        let red = |img: &LinearImage| {
            img.px
                .iter()
                .filter(|p| p[0] > 0.25 && p[1] < 0.05 && p[2] < 0.05)
                .count()
        };
        let unmatched = recommend(
            &plan,
            &cat,
            parse_skin("6").unwrap(),
            parse_hair("blond").unwrap(),
        );
        assert!(unmatched.zones.iter().any(|z| z.unmatched.is_some()));
        assert!(red(&swatch_sheet(&plan, &cat, &unmatched)) > 100);
        let matched = recommend(
            &plan,
            &cat,
            parse_skin("5").unwrap(),
            parse_hair("black").unwrap(),
        );
        assert!(matched.zones.iter().all(|z| z.unmatched.is_none()));
        assert_eq!(red(&swatch_sheet(&plan, &cat, &matched)), 0);
    }
}
