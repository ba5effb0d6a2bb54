//! Tests of the clipped hair's shadow (`shaved.rs`).

use super::*;

#[test]
fn longer_stubble_keeps_more_of_the_hairs_shadow_and_a_razor_leaves_a_light_one() {
    let (g0, g05, g15, g3) = (
        retained_shadow(0.0),
        retained_shadow(0.5),
        retained_shadow(1.5),
        retained_shadow(3.0),
    );
    assert!(
        g0 < g05 && g05 < g15 && g15 < g3 && g3 <= 1.0,
        "{g0} {g05} {g15} {g3}"
    );
    // A razor leaves the shafts under the skin: dark hair (≈ 90 % darker than skin in a photo) then
    // reads 15–25 % darker than bare skin, the healed SMP calibration target of 18 % inside.
    assert!((0.15..0.25).contains(&(0.9 * g0)), "{g0}");
    // 0.5 mm (a clipper without a guard) keeps most of it: a dark grey-brown shadow.
    assert!((0.65..0.85).contains(&g05), "{g05}");
    assert!(retained_shadow(99.0) == retained_shadow(MAX_GUARD_MM));
}
