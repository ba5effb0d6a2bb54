//! A client with hair on the top of the head (outside tests s51: a man with a full head of hair, and the
//! shipped diffuse-thinning design on women with hair, were refused as "check the landmarks" with every mark
//! on its place). Where the map does not find that hair (brown hair before brown posters read as the
//! background), the plan is still refused, as the preview draws pigment only on bald scalp that shows, but
//! the refusal names the hair (`ScalpMap::top_hair`).

mod real_photo;

use real_photo::{photo_bytes, preview_of, recoloured};

/// Dark brown hair combed back: strands a few pixels apart running up the head, each with its own shade
/// (a hash of its column), over a darker root shadow. Linear light.
fn strand(x: usize, y: usize) -> [f64; 3] {
    let lane = (x + y / 6) / 3;
    let h = (lane.wrapping_mul(2_654_435_761) >> 7) % 97;
    let shade = 0.35 + 0.9 * h as f64 / 97.0;
    let edge = if (x + y / 6).is_multiple_of(3) {
        0.45
    } else {
        1.0
    };
    [0.045, 0.028, 0.016].map(|c| c * shade * edge)
}

/// The share of the top that reads as hair: low on the real photo's bald top (his clipped sides lie
/// beyond [`follicle_render::scalp::TOP_HAIR_HALF_MM`]), high with hair painted over the top, where a
/// refusal would name the hair (the words: `scalp_tests::a_plan_refused_on_hair_names_the_hair`). Hair the
/// map finds is drawn clipped, with the design on it: such a photo is not refused.
#[test]
fn hair_over_the_top_reads_as_hair() {
    let Some(bytes) = photo_bytes() else {
        return;
    };
    let (plain, _, _, _) = preview_of(&bytes, None);
    assert!(plain.off_head().is_none());
    assert!(
        plain.map.top_hair < follicle_render::scalp::TOP_HAIR_SAID,
        "{}",
        plain.map.top_hair
    );
    // Hair over the head above the forehead's window (about 75 mm above the glabella), as far as the wall.
    let haired = recoloured(
        &bytes,
        |c, wall, (x, y)| {
            if !wall && y < 85 {
                strand(x, y)
            } else {
                c
            }
        },
    );
    let (pv, _, _, _) = preview_of(&haired, None);
    assert!(pv.map.top_hair >= 0.5, "{}", pv.map.top_hair);
    assert!(pv.map.hair_colour.is_some());
    assert!(pv.off_head().is_none());
}
