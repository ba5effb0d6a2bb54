//! A fully bald head whose photo shows it a little smaller than the plan's head (the design's tape
//! measurements a few per cent generous, or the registration a millimetre off): the plan's impressions
//! along the head's outline, foreshortened and crowded, fall on the wall beside it. Counted one impression
//! one vote they outnumbered those on the top, and three real photos of fully shaved heads (probe s24,
//! crops of dlib's bald_guys.jpg) were refused as "the plan does not lie on this head"; judged by the skin
//! facing the camera, the plan lies on it and the pictures are made.

use follicle_render::client::{photo_preview, PhotoOptions, MIN_ON_HEAD_SHARE};
use follicle_render::optics::State;
use follicle_render::photo::Photo;
use follicle_render::register::MAX_RESIDUAL_MM;
use follicle_render::views::{mannequin_photo, register_photo, PhotoView};
use follicle_render::Catalogue;

#[test]
fn a_bald_head_a_little_smaller_than_the_plan_s_is_previewed() {
    let photographed = follicle_core::plan(&follicle_core::demo_design()).unwrap();
    // The bald mannequin before its plain backdrop, about 1.4 px/mm as on the probe's photos.
    let (img, marks, _) = mannequin_photo(&photographed, PhotoView::Front, 0.0, 0.0, 360);
    let photo = Photo {
        w: img.w,
        h: img.h,
        rgb: img.to_srgb8(),
        exif_orientation: 1,
    };
    // The design's head 8 % longer, 6 % broader and 8 % higher than the photographed one, same face.
    let mut design = follicle_core::demo_design();
    design.head.length_mm *= 1.08;
    design.head.breadth_mm *= 1.06;
    design.head.height_mm *= 1.08;
    let plan = follicle_core::plan(&design).unwrap();
    let reg = register_photo(&plan, PhotoView::Front, &marks, &photo, MAX_RESIDUAL_MM).unwrap();
    let p = photo_preview(
        &photo,
        &plan,
        &Catalogue::builtin(),
        &reg,
        &PhotoOptions {
            state: State::Healed,
            last: plan.sessions.len(),
            guard_mm: None,
            skin: None,
            hair: None,
            distance_mm: 1000.0,
        },
    )
    .unwrap();
    let by_count = p.drawn as f64 / (p.drawn + p.refused) as f64;
    let facing = p.drawn_area / (p.drawn_area + p.refused_area);
    eprintln!(
        "drawn {} refused {}: by count {by_count:.3}, by the skin facing the camera {facing:.3}",
        p.drawn, p.refused
    );
    // One impression one vote, under half landed (measured 0.39): the rule until session 24 refused it.
    assert!(by_count < 0.5, "{by_count}");
    assert!(
        p.no_eyes.is_none(),
        "the mannequin's eyes are seen: {:?}",
        p.no_eyes
    );
    assert!(facing >= MIN_ON_HEAD_SHARE, "{facing}");
    assert!(
        p.off_head().is_none(),
        "{:?}",
        p.off_head().map(|e| e.to_string())
    );
}
