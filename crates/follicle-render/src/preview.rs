//! Mannequin previews: a plan's impressions, in a chosen state and session, projected exactly onto the
//! mannequin seen from a named view at a viewing distance, then blurred by the eye's acuity there.

use crate::camera::{eye_blur_mm, Camera, View};
use crate::color::Lin;
use crate::mannequin::{Appearance, Mannequin};
use crate::optics::{look, needle_variation, redness_look, Look, State, FRESH_REDNESS_RADIUS_MM};
use crate::raster::LinearImage;
use crate::shade::Catalogue;
use crate::splat::{composite, Spot};
use follicle_core::{Plan, Vec3, ZoneKind};

/// What to render.
#[derive(Clone, Debug)]
pub struct Scene {
    /// Viewpoint.
    pub view: View,
    /// Time point of the impressions.
    pub state: State,
    /// Show the plan after this session (1-based); `None` = after the last; `Some(0)` = before treatment.
    pub session: Option<usize>,
    /// Viewing distance from the eye to the nearest scalp, mm (perspective and eye blur).
    pub distance_mm: f64,
    /// Picture size (square), pixels.
    pub size: usize,
    /// Skin and hair.
    pub appearance: Appearance,
    /// Whether to blur by the eye's acuity at the viewing distance.
    pub eye_blur: bool,
}

/// Default skin of the mannequin (light-medium, sRGB #dcb59b).
pub const MANNEQUIN_SKIN: [u8; 3] = [0xdc, 0xb5, 0x9b];
/// Default existing-hair colour (dark brown stubble).
pub const MANNEQUIN_HAIR: [u8; 3] = [52, 40, 34];

impl Scene {
    /// A scene with the house defaults: 3/4 view, healed, all sessions, 30 cm, 1200 px, default skin.
    pub fn new(seed: u64) -> Scene {
        Scene {
            view: View::ThreeQuarter,
            state: State::Healed,
            session: None,
            distance_mm: 300.0,
            size: 1200,
            appearance: Appearance {
                skin: crate::color::lin_from_srgb8(MANNEQUIN_SKIN),
                hair: crate::color::lin_from_srgb8(MANNEQUIN_HAIR),
                seed,
                stubble: true,
                face: crate::mannequin::Face::Male,
            },
            eye_blur: true,
        }
    }
}

/// The looks of a plan's impressions: one per (zone, session), then the redness halo.
pub struct LookTable {
    /// The looks.
    pub looks: Vec<Look>,
    sessions: usize,
}

impl LookTable {
    /// Looks for every zone and session on `skin`, in `state`, with `last` the session just done.
    pub fn new(
        plan: &Plan,
        catalogue: &Catalogue,
        skin: Lin,
        state: State,
        last: usize,
    ) -> LookTable {
        let sessions = plan.sessions.len().max(1);
        let mut looks = Vec::with_capacity(plan.zones.len() * sessions + 1);
        for z in &plan.zones {
            let pig = catalogue.resolve(&z.spec.shade);
            for k in 1..=sessions {
                looks.push(look(
                    skin,
                    pig.lab,
                    z.spec.dilution_at(k),
                    state,
                    k == last,
                    z.spec.kind == ZoneKind::Scar,
                ));
            }
        }
        looks.push(redness_look());
        LookTable { looks, sessions }
    }
    /// Index of the look of zone `z` in session `k` (1-based).
    pub fn index(&self, z: usize, k: usize) -> u16 {
        (z * self.sessions + (k - 1).min(self.sessions - 1)) as u16
    }
    /// Index of the redness halo.
    pub fn redness(&self) -> u16 {
        (self.looks.len() - 1) as u16
    }
}

/// Builds the spots of `plan`'s impressions up to session `last` through `project` (point → pixel x, y
/// and depth), keeping those `visible(point, normal, x, y, depth)` accepts; adds redness halos for the
/// session just done when `state` is fresh.
pub fn spots(
    plan: &Plan,
    table: &LookTable,
    state: State,
    last: usize,
    project: impl Fn(Vec3) -> Option<(f64, f64, f64)>,
    visible: impl Fn(Vec3, Vec3, f64, f64, f64) -> bool,
) -> Vec<Spot> {
    let mut out = Vec::with_capacity(plan.impressions.len());
    let h = 0.05;
    let seed = plan.design.seed;
    for (i, m) in plan
        .impressions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.session <= last)
    {
        let n = plan.head.normal(m.p);
        let Some((x, y, z)) = project(m.p) else {
            continue;
        };
        if !visible(m.p, n, x, y, z) {
            continue;
        }
        let (t1, t2) = n.tangent_basis();
        let d = |t: Vec3| -> Option<(f64, f64)> {
            let (xa, ya, _) = project(m.p + t * h)?;
            let (xb, yb, _) = project(m.p - t * h)?;
            Some(((xa - xb) / (2.0 * h), (ya - yb) / (2.0 * h)))
        };
        let (Some(a), Some(b)) = (d(t1), d(t2)) else {
            continue;
        };
        let jac = [a.0 as f32, b.0 as f32, a.1 as f32, b.1 as f32];
        let li = table.index(m.zone, m.session);
        let l = &table.looks[li as usize];
        let (size, ink) = needle_variation(
            plan.zones[m.zone].spec.needle.config,
            seed ^ (i as u64).wrapping_mul(0x9E37_79B9),
        );
        let (r, kept) = l.spot_size(m.diameter_mm as f32 * size);
        if state == State::Fresh && m.session == last {
            out.push(Spot {
                x: x as f32,
                y: y as f32,
                jac,
                radius_mm: FRESH_REDNESS_RADIUS_MM as f32 * 0.5,
                look: table.redness(),
                ink: 1.0,
            });
        }
        out.push(Spot {
            x: x as f32,
            y: y as f32,
            jac,
            radius_mm: r,
            look: li,
            ink: ink * kept,
        });
    }
    out
}

/// The camera of a view at a viewing distance (eye to nearest scalp, mm) for a square picture.
pub fn camera_for(plan: &Plan, view: View, distance_mm: f64, size: usize) -> Camera {
    let (dir, up) = view.direction();
    let s = plan.head.b / 100.0;
    let (target, radius) = match view {
        View::Top => (plan.head.centre + Vec3::new(0.0, 8.0 * s, 20.0), 128.0 * s),
        View::ThreeQuarter => (plan.head.centre + Vec3::new(0.0, 8.0 * s, 0.0), 150.0 * s),
        _ => (plan.head.centre + Vec3::new(0.0, 0.0, -12.0 * s), 155.0 * s),
    };
    let reach = plan.head.radius_along(dir);
    Camera::look_at(
        target + dir * (distance_mm + reach),
        target,
        up,
        radius,
        size,
        size,
    )
}

/// Renders a mannequin preview of `plan`.
pub fn render(plan: &Plan, catalogue: &Catalogue, scene: &Scene) -> LinearImage {
    let cam = camera_for(plan, scene.view, scene.distance_mm, scene.size);
    let man = Mannequin::new(plan).with_face(scene.appearance.face);
    let g = man.gbuffer(&cam, &scene.appearance);
    let mut diffuse = g.diffuse.clone();
    draw_on(plan, catalogue, scene, &cam, &g.depth, &mut diffuse);
    let mut out = g.combine(&diffuse);
    if scene.eye_blur {
        blur_for_distance(&mut out, &cam, plan, scene.distance_mm);
    }
    out
}

/// The camera of a close-up: a square patch `width_mm` across around surface point `centre`, seen straight
/// on from `distance_mm`, `size` pixels square.
pub fn closeup_camera(
    plan: &Plan,
    centre: Vec3,
    width_mm: f64,
    distance_mm: f64,
    size: usize,
) -> Camera {
    let n = plan.head.normal(centre);
    let (_, up) = n.tangent_basis();
    Camera::look_at(
        centre + n * distance_mm,
        centre,
        up,
        width_mm / 2.0,
        size,
        size,
    )
}

/// The impressions of `scene` on an already rendered close-up `g` seen by `cam` (see [`closeup_camera`]),
/// blurred by the eye at `blur_distance_mm`: the scene's distance for what the eye sees there, a farther
/// one for how the same patch resolves from farther away (magnified).
pub fn closeup_on(
    plan: &Plan,
    catalogue: &Catalogue,
    scene: &Scene,
    cam: &Camera,
    g: &crate::mannequin::GBuffer,
    blur_distance_mm: f64,
) -> LinearImage {
    let mut d = g.diffuse.clone();
    draw_on(plan, catalogue, scene, cam, &g.depth, &mut d);
    let mut img = g.combine(&d);
    // The close-up camera sits at the scene's distance from the patch.
    img.gaussian_blur(eye_blur_mm(blur_distance_mm) / cam.pixel_mm(scene.distance_mm));
    img
}

/// A close-up of the scalp around surface point `centre` (`width_mm` across, from the scene's distance;
/// the scene's view is ignored), before and after, blurred by the eye at `blur_distance_mm`.
pub fn closeup(
    plan: &Plan,
    catalogue: &Catalogue,
    scene: &Scene,
    centre: Vec3,
    width_mm: f64,
    blur_distance_mm: f64,
) -> (LinearImage, LinearImage) {
    let cam = closeup_camera(plan, centre, width_mm, scene.distance_mm, scene.size);
    let g = Mannequin::new(plan)
        .with_face(scene.appearance.face)
        .gbuffer(&cam, &scene.appearance);
    let before = closeup_on(
        plan,
        catalogue,
        &Scene {
            session: Some(0),
            ..scene.clone()
        },
        &cam,
        &g,
        blur_distance_mm,
    );
    let after = closeup_on(plan, catalogue, scene, &cam, &g, blur_distance_mm);
    (before, after)
}

/// Composites the impressions of `scene` onto the diffuse light of a rendered mannequin.
pub fn draw_on(
    plan: &Plan,
    catalogue: &Catalogue,
    scene: &Scene,
    cam: &Camera,
    depth: &[f32],
    diffuse: &mut LinearImage,
) {
    let last = scene.session.unwrap_or(plan.sessions.len());
    if last == 0 {
        return;
    }
    let table = LookTable::new(plan, catalogue, scene.appearance.skin, scene.state, last);
    let w = cam.w;
    let sp = spots(
        plan,
        &table,
        scene.state,
        last,
        |p| cam.project(p),
        |p, n, x, y, z| {
            if n.dot((cam.eye - p).normalized()) < 0.02
                || x < 0.0
                || y < 0.0
                || x >= cam.w as f64
                || y >= cam.h as f64
            {
                return false;
            }
            let d = depth[y as usize * w + x as usize] as f64;
            (z - d).abs() < 1.5 + 0.004 * z
        },
    );
    composite(diffuse, &sp, &table.looks);
}

/// Blurs a rendered picture as the eye resolves it from `distance_mm` (σ from [`eye_blur_mm`], converted
/// to pixels at the nearest scalp's depth).
pub fn blur_for_distance(img: &mut LinearImage, cam: &Camera, plan: &Plan, distance_mm: f64) {
    let z = cam.eye.dist(plan.head.centre) - plan.head.a.min(plan.head.b);
    let sigma_px = eye_blur_mm(distance_mm) / cam.pixel_mm(z.max(distance_mm));
    img.gaussian_blur(sigma_px);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_after_picture_is_darker_on_the_scalp_only() {
        let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let cat = Catalogue::builtin();
        let mut sc = Scene::new(1);
        sc.view = View::Top;
        sc.size = 160;
        sc.session = Some(0);
        let before = render(&plan, &cat, &sc);
        sc.session = None;
        let after = render(&plan, &cat, &sc);
        let lum = |img: &LinearImage, x: usize, y: usize| img.get(x, y).iter().sum::<f32>();
        // Centre of the top view: treated scalp, visibly darker. Corner: background, unchanged.
        assert!(
            lum(&after, 80, 80) < lum(&before, 80, 80) * 0.96,
            "{} vs {}",
            lum(&after, 80, 80),
            lum(&before, 80, 80)
        );
        assert_eq!(after.get(2, 2), before.get(2, 2));
    }

    #[test]
    fn spots_project_with_the_camera_scale() {
        let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let cam = camera_for(&plan, View::Top, 300.0, 800);
        let table = LookTable::new(
            &plan,
            &Catalogue::builtin(),
            [0.6, 0.4, 0.3],
            State::Healed,
            3,
        );
        let sp = spots(
            &plan,
            &table,
            State::Healed,
            3,
            |p| cam.project(p),
            |_, n, _, _, _| n.z > 0.9,
        );
        assert!(!sp.is_empty());
        let s = sp[0];
        // Near the vertex seen from above, 1 mm is focal / depth pixels in both directions.
        let (_, _, z) = cam.project(plan.head.vertex()).unwrap();
        let px_per_mm = cam.focal / z;
        let det = (s.jac[0] * s.jac[3] - s.jac[1] * s.jac[2]).abs() as f64;
        assert!(
            (det.sqrt() / px_per_mm - 1.0).abs() < 0.2,
            "{} vs {px_per_mm}",
            det.sqrt()
        );
    }
}
