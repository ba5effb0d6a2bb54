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
pub fn preview(guard_mm: Option<f64>) -> Option<(PhotoPreview, FaceFrame, f64, LinearImage)> {
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
    let photo = decode(&bytes, PhotoLimits::default()).unwrap();
    let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    let marks = parse_marks(
        "[landmarks]\nglabella = [202, 195]\nlateral_canthus_right = [141, 210]\nlateral_canthus_left = [276, 228]\n",
        &plan,
    )
    .unwrap();
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
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
    Some((pv, frame, reg.px_per_mm, photo.to_linear()))
}
