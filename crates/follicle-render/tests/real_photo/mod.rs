//! The reference photo (../shared/photos/shaved-norwood-front.jpg) rendered from its hand marks with the
//! demo plan, healed, at 1 m: the set-up the real-photo look tests share.

use follicle_render::client::{photo_preview, PhotoOptions, PhotoPreview};
use follicle_render::photo::{decode, PhotoLimits};
use follicle_render::register::{parse_marks, MAX_RESIDUAL_MM};
use follicle_render::scalp::FaceFrame;
use follicle_render::views::{register_photo, PhotoView};
use follicle_render::{Catalogue, LinearImage, State};

/// The real photo's preview at `guard_mm` (None: the default guard) with its face frame and px/mm, and the
/// photo in linear light; `None` when ../shared/photos is absent.
#[allow(dead_code)]
pub fn preview(guard_mm: Option<f64>) -> Option<(PhotoPreview, FaceFrame, f64, LinearImage)> {
    Some(preview_of(&photo_bytes()?, guard_mm))
}

/// The real photo's file, `None` (skipped) when ../shared/photos is absent.
pub fn photo_bytes() -> Option<Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/photos/shaved-norwood-front.jpg");
    let Ok(bytes) = std::fs::read(&path) else {
        assert!(
            std::env::var_os("FOLLICLE_REQUIRE_SHARED_PHOTOS").is_none(),
            "{} is missing (FOLLICLE_REQUIRE_SHARED_PHOTOS is set)",
            path.display()
        );
        eprintln!("SKIPPED: {} is not here", path.display());
        return None;
    };
    Some(bytes)
}

/// The preview of `bytes` (the real photo, or a variant of it of the same size) from the real photo's hand
/// marks, as [`preview`] makes it.
pub fn preview_of(
    bytes: &[u8],
    guard_mm: Option<f64>,
) -> (PhotoPreview, FaceFrame, f64, LinearImage) {
    preview_shifted(bytes, (0.0, 0.0), guard_mm)
}

/// [`preview_of`] a crop of the real photo whose top-left corner lay at `at` (pixels) on it: the hand marks
/// moved with it.
pub fn preview_shifted(
    bytes: &[u8],
    at: (f64, f64),
    guard_mm: Option<f64>,
) -> (PhotoPreview, FaceFrame, f64, LinearImage) {
    let (photo, plan, reg) = registered(bytes, at);
    let reg = reg.unwrap();
    let frame = FaceFrame::new(&plan, &reg).unwrap();
    let pv = photo_preview(
        &photo,
        &plan,
        &Catalogue::builtin(),
        &reg,
        &PhotoOptions {
            state: State::Healed,
            last: plan.sessions.len(),
            guard_mm,
            skin: None,
            hair: None,
            distance_mm: 1000.0,
        },
    )
    .unwrap();
    (pv, frame, reg.px_per_mm, photo.to_linear())
}

/// Pairs of photo pixels `reach` apart along a row or column across the border of what the shaving changed:
/// one clearly changed (by more than 2 L*), the other not at all (under 0.5 L*) and on the head (not
/// background). Each as (changed pixel's index, unchanged pixel's index, changed pixel's x, y).
#[allow(dead_code)]
pub fn border_pairs(
    before: &LinearImage,
    shaved: &LinearImage,
    on_head: impl Fn(usize, usize) -> bool,
    reach: usize,
) -> Vec<(usize, usize, usize, usize)> {
    let l = |img: &LinearImage| -> Vec<f64> {
        img.px
            .iter()
            .map(|&c| follicle_render::color::lab_from_lin(c).l)
            .collect()
    };
    let (lb, ls) = (l(before), l(shaved));
    let w = before.w;
    let mut pairs = Vec::new();
    for y in reach..before.h - reach {
        for x in reach..w - reach {
            let i = y * w + x;
            if (ls[i] - lb[i]).abs() <= 2.0 {
                continue;
            }
            for (qx, qy) in [
                (x - reach, y),
                (x + reach, y),
                (x, y - reach),
                (x, y + reach),
            ] {
                let j = qy * w + qx;
                if (ls[j] - lb[j]).abs() < 0.5 && on_head(qx, qy) {
                    pairs.push((i, j, x, y));
                }
            }
        }
    }
    pairs
}

/// The L* step across the border of what the shaving changed, on one side of the face: over
/// [`border_pairs`] 3 mm apart, their L* difference on the shaved picture. Returns (95th percentile, pairs)
/// for his right (image left) and his left side.
#[allow(dead_code)]
pub fn border_steps(
    before: &LinearImage,
    shaved: &LinearImage,
    on_head: impl Fn(usize, usize) -> bool,
    side: impl Fn(usize, usize) -> usize,
    reach: usize,
) -> [(f64, usize); 2] {
    let ls: Vec<f64> = shaved
        .px
        .iter()
        .map(|&c| follicle_render::color::lab_from_lin(c).l)
        .collect();
    let mut steps: [Vec<f64>; 2] = Default::default();
    for (i, j, x, y) in border_pairs(before, shaved, on_head, reach) {
        steps[side(x, y)].push((ls[i] - ls[j]).abs());
    }
    steps.map(|mut v| {
        v.sort_by(|a, b| a.total_cmp(b));
        (v.get(v.len() * 95 / 100).copied().unwrap_or(0.0), v.len())
    })
}

/// The wall of `img`: the pixels connected to its left, right and top borders within RGB distance 28 of the
/// median of its top corners (40 px squares), row by row.
#[allow(dead_code)]
pub fn wall_of(img: &image::RgbImage) -> Vec<bool> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let corner: Vec<[u8; 3]> = (0..40)
        .flat_map(|y| (0..40).chain(w - 40..w).map(move |x| (x, y)))
        .map(|(x, y)| img.get_pixel(x as u32, y as u32).0)
        .collect();
    let wall: [f64; 3] = [0, 1, 2].map(|k| {
        let mut v: Vec<u8> = corner.iter().map(|c| c[k]).collect();
        v.sort_unstable();
        f64::from(v[v.len() / 2])
    });
    let near = |c: [u8; 3]| {
        (0..3)
            .map(|k| (f64::from(c[k]) - wall[k]).powi(2))
            .sum::<f64>()
            .sqrt()
            < 28.0
    };
    let mut seen = vec![false; w * h];
    let mut stack: Vec<(usize, usize)> = (0..h)
        .flat_map(|y| [(0, y), (w - 1, y)])
        .chain((0..w).map(|x| (x, 0)))
        .collect();
    while let Some((x, y)) = stack.pop() {
        let i = y * w + x;
        if seen[i] || !near(img.get_pixel(x as u32, y as u32).0) {
            continue;
        }
        seen[i] = true;
        if x > 0 {
            stack.push((x - 1, y));
        }
        if x + 1 < w {
            stack.push((x + 1, y));
        }
        if y > 0 {
            stack.push((x, y - 1));
        }
        if y + 1 < h {
            stack.push((x, y + 1));
        }
    }
    seen
}

/// The photo `bytes` with `f` applied to each pixel in linear light (its colour, whether it is on the wall
/// ([`wall_of`]) and its position), as PNG bytes.
#[allow(dead_code)]
pub fn recoloured(bytes: &[u8], f: impl Fn([f64; 3], bool, (usize, usize)) -> [f64; 3]) -> Vec<u8> {
    use follicle_render::color::{lin_from_srgb8, srgb8_from_lin};
    let mut img = image::load_from_memory(bytes).unwrap().to_rgb8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let on_wall = wall_of(&img);
    for y in 0..h {
        for x in 0..w {
            let p = lin_from_srgb8(img.get_pixel(x as u32, y as u32).0);
            let q = f(p.map(f64::from), on_wall[y * w + x], (x, y));
            img.put_pixel(
                x as u32,
                y as u32,
                image::Rgb(srgb8_from_lin(q.map(|v| v.clamp(0.0, 1.0) as f32))),
            );
        }
    }
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The photo `bytes` (the real photo or a variant; a crop of it whose top-left corner lay at `at`) decoded,
/// the demo plan, and the photo registered from the real photo's hand marks (moved with the crop), or why
/// it cannot be.
pub fn registered(
    bytes: &[u8],
    at: (f64, f64),
) -> (
    follicle_render::photo::Photo,
    follicle_core::Plan,
    Result<follicle_render::register::Registration, follicle_render::register::RegisterError>,
) {
    let photo = decode(bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let (dx, dy) = at;
    let marks = parse_marks(
        &format!(
            "[landmarks]\nglabella = [{}, {}]\nlateral_canthus_right = [{}, {}]\nlateral_canthus_left = [{}, {}]\n",
            202.0 - dx,
            195.0 - dy,
            141.0 - dx,
            210.0 - dy,
            276.0 - dx,
            228.0 - dy
        ),
        &plan,
    )
    .unwrap();
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM);
    (photo, plan, reg)
}
