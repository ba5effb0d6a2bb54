//! How much of the design a photo shows: the area, in cm² of the photo at the face's scale, that the
//! impressions drawn facing the camera cover, and a warning when it is too little for the after picture to
//! show the design (outside probe s26: the demo's Norwood 6 design on a front photo of a fully bald man with
//! a low-domed head left its whole treated area on the top of his head, seen edge-on; the after picture
//! showed a thin band along the skull's outline, could not be told from the before at the client's size,
//! and nothing said why). Counted on a grid of [`CELL_MM`] cells so that the crowding of impressions along
//! the head's outline does not count more than the skin they lie on. Pure.

/// Side of a grid cell the drawn impressions are counted on, mm at the photo's face scale: wider than the
/// spacing of a first session's sparsest zone (about 12/cm², 3 mm apart), so a treated area reads as
/// filled cells whatever the session.
pub const CELL_MM: f64 = 4.0;

/// Least area of the design facing the camera for an after picture to show it, cm² (about a 3 × 3 cm
/// patch). Measured in s26 with the demo plan (Norwood 6) on front photos: the shared reference photo
/// 25 cm², four outside probe photos 16–22 cm² (their after pictures show the treated dome plainly), one
/// 9 cm² (a faint band over the dome) and the low-domed bald head 7 cm² (no change at the client's size).
pub const MIN_SEEN_CM2: f64 = 10.0;

/// The area the impression centres `(x, y)` (photo pixels) cover on the photo, cm² at `px_per_mm`: the
/// [`CELL_MM`] cells holding at least one.
pub fn seen_cm2(centres: impl IntoIterator<Item = (f32, f32)>, px_per_mm: f64) -> f64 {
    let cell = CELL_MM * px_per_mm;
    if !(cell > 0.0 && cell.is_finite()) {
        return 0.0;
    }
    let mut cells: Vec<(i64, i64)> = centres
        .into_iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| {
            (
                (f64::from(x) / cell).floor() as i64,
                (f64::from(y) / cell).floor() as i64,
            )
        })
        .collect();
    cells.sort_unstable();
    cells.dedup();
    cells.len() as f64 * CELL_MM * CELL_MM / 100.0
}

/// A designed hairline less than this far under the top of the head on a front photo, mm, is said in the
/// coverage warning: a front photo shows the design only as a band along the top (the reference photo,
/// taken from a little above: 40.8 mm; a fully bald head taken level with the face, outside test s52:
/// 12 mm).
pub const NEAR_TOP_MM: f64 = 20.0;

/// How far above photo pixel (`x`, `y`) the head ends on `map`, pixels: the first pixel up the column that
/// the map gives to the background (probability over 0.5). None when the head reaches the photo's top edge
/// or (`x`, `y`) is not on the photo. Bounded by the photo's height.
pub fn head_top_above(map: &crate::scalp::ScalpMap, x: f64, y: f64) -> Option<f64> {
    if !(x.is_finite() && y.is_finite() && x >= 0.0 && y >= 0.0) {
        return None;
    }
    let mut up = 0.0;
    while y - up >= 0.0 {
        if map.sample(&map.background, x, y - up) > 0.5 {
            return Some(up);
        }
        up += 1.0;
    }
    None
}

/// Share of the design's own area under which a small seen area is still a warning: a small design (a
/// scar's few cm²) seen whole is not "little of the design".
pub const MIN_SEEN_SHARE: f64 = 0.1;

/// The area of the zones `plan` puts impressions in, cm² (on the scalp, not as seen).
pub fn design_cm2(plan: &follicle_core::Plan) -> f64 {
    plan.zones
        .iter()
        .filter(|z| z.impressions > 0)
        .map(|z| z.area_cm2)
        .sum()
}

/// The warning when the design faces the camera on less than [`MIN_SEEN_CM2`] of a photo of `view` (its
/// name: front, top…) and on less than [`MIN_SEEN_SHARE`] of the design's own area `design_cm2`; `None`
/// otherwise, and for a picture before the first session (`session` 0: nothing is drawn on purpose).
///
/// `hairline_to_top_mm`: on a front photo, how far the designed hairline's midline point lies under the top
/// of the head ([`head_top_above`]), mm at the face's scale. Under [`NEAR_TOP_MM`] it is said, with what it
/// means: the design lies on the top of the head, which a camera level with the face sees edge-on (outside
/// tests s52 and s53: a fully bald head's after picture changed only in a rim along the top, and "faces the
/// camera" was not believed of a frontal hairline).
pub fn coverage_warning(
    seen_cm2: f64,
    design_cm2: f64,
    session: usize,
    view: &str,
    hairline_to_top_mm: Option<f64>,
) -> Option<String> {
    if session == 0 || seen_cm2 >= MIN_SEEN_CM2 || seen_cm2 >= MIN_SEEN_SHARE * design_cm2 {
        return None;
    }
    if let Some(d) = hairline_to_top_mm.filter(|d| (0.0..NEAR_TOP_MM).contains(d)) {
        return Some(format!(
            "on this {view} photo the designed hairline lies only {d:.0} mm below the top of the head, so the \
             design covers the top of the head, which a camera level with the face (or below it) sees edge-on: \
             only about {seen_cm2:.0} cm² of it ({design_cm2:.0} cm² on the scalp) faces the camera, and the \
             after picture can hardly differ from the before; to show the client the hairline and the top, add \
             a photo taken from above with the head bowed toward the camera (a top photo), or show the design \
             on the mannequin"
        ));
    }
    let how_much = if seen_cm2 < 0.5 {
        format!("none of the design ({design_cm2:.0} cm² on the scalp) faces")
    } else {
        format!(
            "only about {seen_cm2:.0} cm² of the design ({design_cm2:.0} cm² on the scalp) faces"
        )
    };
    Some(format!(
        "{how_much} the camera on this {view} photo: the rest lies where this photo sees the head edge-on or \
         not at all, so the after picture can hardly differ from the before; add a photo from the side the \
         design is on (a top photo shows the hairline and the crown, a back photo the crown and the nape), or \
         check that the design is where the client wants it"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_patch_counts_its_area_and_crowding_does_not_add() {
        // A 48 × 40 mm patch at 2 px/mm filled at 1 mm spacing: 19.2 cm² (12 × 10 cells).
        let patch: Vec<(f32, f32)> = (0..48)
            .flat_map(|i| (0..40).map(move |j| (2.0 * i as f32 + 1.0, 2.0 * j as f32 + 1.0)))
            .collect();
        let a = seen_cm2(patch.iter().copied(), 2.0);
        assert!((a - 19.2).abs() < 0.01, "{a}");
        // The same impressions plus a thousand crowded into one cell along an outline: the same area.
        let crowded = patch
            .iter()
            .copied()
            .chain((0..1000).map(|k| (1.0 + k as f32 * 0.001, 1.0)));
        assert_eq!(seen_cm2(crowded, 2.0), a);
        // A sparse session (3 mm apart) still fills the cells it lies on.
        let sparse = (0..16).flat_map(|i| (0..14).map(move |j| (6.0 * i as f32, 6.0 * j as f32)));
        let s = seen_cm2(sparse, 2.0);
        assert!((s - a).abs() / a < 0.1, "{s} against {a}");
        assert_eq!(seen_cm2([(f32::NAN, 1.0)], 2.0), 0.0);
        assert_eq!(seen_cm2([(1.0, 1.0)], 0.0), 0.0);
    }

    #[test]
    fn little_of_the_design_on_the_photo_is_said_and_enough_is_not() {
        let w = coverage_warning(7.0, 585.0, 3, "front", None).expect("7 of 585 cm² is too little");
        assert!(
            w.contains("only about 7 cm²") && w.contains("585 cm²") && w.contains("front photo"),
            "{w}"
        );
        let w = coverage_warning(0.2, 79.0, 3, "front", None).expect("nothing seen");
        assert!(
            w.starts_with("none of the design (79 cm² on the scalp) faces"),
            "{w}"
        );
        assert_eq!(
            coverage_warning(MIN_SEEN_CM2, 585.0, 3, "front", None),
            None
        );
        // A scar's small zone seen whole is all of that design.
        assert_eq!(coverage_warning(4.0, 9.0, 3, "front", None), None);
        assert_eq!(
            coverage_warning(0.0, 585.0, 0, "front", Some(5.0)),
            None,
            "before the first session"
        );
        assert!(coverage_warning(0.0, 585.0, 1, "top", None).is_some());
        // A hairline near the top of the head on a front photo is said as the reason, in mm.
        let w = coverage_warning(7.0, 585.0, 3, "front", Some(8.4)).expect("too little");
        assert!(
            w.contains("the designed hairline lies only 8 mm below the top of the head")
                && w.contains("only about 7 cm²")
                && w.contains("from above"),
            "{w}"
        );
        // Far under the top: the general words.
        let w =
            coverage_warning(7.0, 585.0, 3, "front", Some(NEAR_TOP_MM + 1.0)).expect("too little");
        assert!(w.starts_with("only about 7 cm²"), "{w}");
    }
}
