//! Red, copper or golden retained hair lies close to skin in colour: the scalp map may take part of the bald
//! top for hair, or the hair for skin (outside test s44: copper hair took a third of the bald top, redrawn as
//! stubble, while the tone line claimed a match and nothing was said). Whichever way the map reads it, the
//! preview says so: a warning when the hair is found in such a colour, the unseen-hair note when it is not.

mod real_photo;

use real_photo::{photo_bytes, preview_of, recoloured};

#[test]
fn copper_hair_is_never_drawn_without_a_word() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (as_taken, _, _, _) = preview_of(&bytes, None);
    assert!(
        as_taken.warm_hair_warning().is_none(),
        "{:?}",
        as_taken.warm_hair_warning()
    );
    // His dark hair (and brows and stubble) turned copper (170, 70, 30) at its own lightness, as the tester's.
    let copper = recoloured(&bytes, |c, _, _| {
        let l = (c[0] + c[1] + c[2]) / 3.0;
        if l < 0.08 {
            let g = (l.powf(1.0 / 2.2) * 1.6).min(1.0);
            [170.0, 70.0, 30.0].map(|v: f64| (v / 255.0 * g).powf(2.2))
        } else {
            c
        }
    });
    let (pv, _, _, _) = preview_of(&copper, None);
    eprintln!(
        "hair colour {:?}; warning {:?}; note {:?}",
        pv.map.hair_colour,
        pv.warm_hair_warning(),
        pv.unseen_hair_note()
    );
    assert!(pv.warm_hair_warning().is_some() || pv.unseen_hair_note().is_some());
    if let Some(w) = pv.warm_hair_warning() {
        assert!(
            w.contains("compare the shaved picture with the photo"),
            "{w}"
        );
    }
}
