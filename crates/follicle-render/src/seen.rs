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
pub fn coverage_warning(
    seen_cm2: f64,
    design_cm2: f64,
    session: usize,
    view: &str,
) -> Option<String> {
    if session == 0 || seen_cm2 >= MIN_SEEN_CM2 || seen_cm2 >= MIN_SEEN_SHARE * design_cm2 {
        return None;
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
        let w = coverage_warning(7.0, 585.0, 3, "front").expect("7 of 585 cm² is too little");
        assert!(
            w.contains("only about 7 cm²") && w.contains("585 cm²") && w.contains("front photo"),
            "{w}"
        );
        let w = coverage_warning(0.2, 79.0, 3, "front").expect("nothing seen");
        assert!(
            w.starts_with("none of the design (79 cm² on the scalp) faces"),
            "{w}"
        );
        assert_eq!(coverage_warning(MIN_SEEN_CM2, 585.0, 3, "front"), None);
        // A scar's small zone seen whole is all of that design.
        assert_eq!(coverage_warning(4.0, 9.0, 3, "front"), None);
        assert_eq!(
            coverage_warning(0.0, 585.0, 0, "front"),
            None,
            "before the first session"
        );
        assert!(coverage_warning(0.0, 585.0, 1, "top").is_some());
    }
}
