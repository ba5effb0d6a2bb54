//! A light from one side of the face (outside test s42: the reference photo's person lit 100 % on the photo's
//! left falling to 35 % on its right, the wall as it was). The skin was read in the shadow (#9b856f against
//! #f4c597), which sent `follicle shade` to the dilutions of darker skin without a word. Now the forehead's
//! halves are compared (`scalp_light`): the skin colour is read on the lit half, and the photo is said to be
//! unevenly lit; the photo's own light is not.

mod real_photo;

use follicle_render::color::{ciede2000, lab_from_lin};
use real_photo::{photo_bytes, preview_of, recoloured};

#[test]
fn a_side_light_is_said_and_the_skin_read_on_the_lit_half() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (even, _, _, _) = preview_of(&bytes, None);
    assert_eq!(even.map.uneven_light, None, "the photo's own light");
    // The light falls off across the person toward the photo's right, the wall untouched.
    let side = recoloured(&bytes, |c, wall, (x, _)| {
        let k = if wall {
            1.0
        } else {
            ((290.0 - x as f64) / 170.0).clamp(0.0, 1.0) * 0.65 + 0.35
        };
        c.map(|v| v * k)
    });
    let (lit, _, _, _) = preview_of(&side, None);
    let u = lit.map.uneven_light.expect("a light from one side");
    assert!(u.darker_on_photo_right && u.darker_by > 0.5, "{u:?}");
    let words = lit.map.skin_warning().unwrap_or_default();
    assert!(
        words.contains("the light falls unevenly across the face"),
        "{words}"
    );
    // The skin is read on the lit half: not as dark as the shadow makes the whole forehead read (L* 65 over
    // the whole window on this variant, 80 on the lit half, 83 in even light).
    let l = lab_from_lin(lit.map.skin).l;
    eprintln!(
        "{u:?}; skin L* {l:.0} (even light {:.0}), ΔE00 {:.1}",
        lab_from_lin(even.map.skin).l,
        ciede2000(lab_from_lin(lit.map.skin), lab_from_lin(even.map.skin))
    );
    assert!(l > 72.0, "skin read in the shadow: L* {l:.1}");
}
