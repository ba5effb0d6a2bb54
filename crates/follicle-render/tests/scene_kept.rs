//! A scene keeps what its pictures share (the finished plan healed, the hair clipped to a guard) so the
//! studio's switches draw only what changed: the pictures drawn on a scene that drew others first are the
//! ones a fresh scene draws, on the real photo, whatever came before them.

mod real_photo;

use follicle_render::client::{PhotoOptions, PhotoPreview, PhotoScene};
use follicle_render::{Catalogue, State};

fn same(a: &PhotoPreview, b: &PhotoPreview, what: &str) {
    for (x, y, stage) in [
        (&a.full.before, &b.full.before, "before"),
        (&a.full.shaved, &b.full.shaved, "shaved"),
        (&a.full.after, &b.full.after, "after"),
    ] {
        assert!(x.px == y.px, "{what}: the {stage} picture differs");
    }
    assert_eq!(a.guard_mm, b.guard_mm, "{what}");
    assert_eq!(a.tone, b.tone, "{what}");
    assert_eq!(a.drawn, b.drawn, "{what}");
    assert_eq!(a.shaved_px, b.shaved_px, "{what}");
    assert_eq!(a.zoom_rect, b.zoom_rect, "{what}");
    assert_eq!(a.zoom_factor, b.zoom_factor, "{what}");
}

#[test]
fn a_picture_on_a_kept_scene_is_the_one_a_fresh_scene_draws() {
    let Some(bytes) = real_photo::photo_bytes() else {
        return;
    };
    let (photo, plan, reg) = real_photo::registered(&bytes, (0.0, 0.0));
    let reg = reg.unwrap();
    let cat = Catalogue::builtin();
    let last = plan.sessions.len();
    let healed = PhotoOptions::healed(last);
    let asks = [
        ("healed", healed),
        (
            "fresh after session 1",
            PhotoOptions {
                state: State::Fresh,
                last: 1,
                ..healed
            },
        ),
        (
            "10 years",
            PhotoOptions {
                state: State::Aged(10.0),
                ..healed
            },
        ),
        (
            "guard 3 mm",
            PhotoOptions {
                guard_mm: Some(3.0),
                ..healed
            },
        ),
        (
            "guard 0.5 mm, session 2",
            PhotoOptions {
                guard_mm: Some(0.5),
                last: 2,
                ..healed
            },
        ),
        ("healed again", healed),
        (
            "another skin",
            PhotoOptions {
                skin: Some([0.3, 0.2, 0.15]),
                ..healed
            },
        ),
    ];
    let kept = PhotoScene::new(&photo, &plan, &reg, &healed).unwrap();
    for (what, o) in asks {
        let fresh = PhotoScene::new(&photo, &plan, &reg, &o)
            .unwrap()
            .preview(&photo, &plan, &cat, &reg, (&o, true))
            .unwrap();
        let on_kept = kept.preview(&photo, &plan, &cat, &reg, (&o, true)).unwrap();
        same(&on_kept, &fresh, what);
        let z = (on_kept.zoom.as_ref().unwrap(), fresh.zoom.as_ref().unwrap());
        assert!(
            z.0.after.px == z.1.after.px,
            "{what}: the enlarged crop differs"
        );
        // Without the crop: the same whole-photo pictures, and where the crop would be.
        let full = kept
            .preview(&photo, &plan, &cat, &reg, (&o, false))
            .unwrap();
        same(&full, &fresh, what);
        assert!(full.zoom.is_none(), "{what}: no crop asked for");
    }
}
