//! The design drawn on a front photo: where a registered photo shows the design's face landmarks, its
//! hairline points (B, the two C, the two D) and its hairline curve, in the pixels of the photo as stored.
//! The server's fit (`GET …/photos/{photo}/fit`) and the studio editor's photo pane (follicle-wasm) both
//! answer these points from the same registration (`views::register_photo` on the photo scaled down to
//! [`MAX_SIDE_PX`]), so the editor draws exactly what the server and `follicle render` fit.

use crate::register::Registration;
use follicle_core::hairline::Hairline;
use follicle_core::landmarks::Landmarks;
use follicle_core::Vec3;

/// The longest side, pixels, a photo is scaled down to before it is registered and previewed (the server's
/// pictures and fit, and the editor's photo pane).
pub const MAX_SIDE_PX: usize = 1600;

/// Whether a mark named `name` locates the head on a photo. The design's own hairline points (B, the C
/// and D points: where the practitioner wants the hairline, which the design then follows only as far as
/// its controls reach) never register a photo; the face and skull landmarks do. The server and the editor
/// register from these marks alone, so a design whose hairline differs from its marks still fits its photo.
pub fn locates_head(name: &str) -> bool {
    follicle_core::hairline::GargPoint::from_name(name).is_none()
}

/// The names of the points [`design_points`] answers, in order.
pub const POINT_NAMES: [&str; 8] = [
    "glabella",
    "lateral_canthus_right",
    "lateral_canthus_left",
    "mid_frontal",
    "frontotemporal_right",
    "frontotemporal_left",
    "temporal_peak_right",
    "temporal_peak_left",
];

/// Pixel of the photo as stored (the registration was made on it scaled by `scale`) showing the 3D point
/// `p`; `None` behind the camera.
pub fn on_photo(reg: &Registration, scale: f64, p: Vec3) -> Option<[f64; 2]> {
    let (x, y, _) = reg.project(p)?;
    Some([x / scale, y / scale])
}

/// The design's points on the photo, named as [`POINT_NAMES`]: the face landmarks, and B, C and D as the
/// hairline passes through them (its control points, hand-placed ones included); without a hairline, the
/// landmarks' own B, C and D.
pub fn design_points(
    lm: &Landmarks,
    hairline: Option<&Hairline>,
    reg: &Registration,
    scale: f64,
) -> Vec<(&'static str, Option<[f64; 2]>)> {
    let (b, cr, cl, dr, dl) = match hairline {
        Some(h) if h.control_points.len() >= 5 => {
            let cp = &h.control_points;
            let n = cp.len();
            use follicle_core::hairline::GargPoint as G;
            (
                cp[G::MidFrontal.index(n)],
                cp[G::FrontotemporalRight.index(n)],
                cp[G::FrontotemporalLeft.index(n)],
                cp[G::TemporalPeakRight.index(n)],
                cp[G::TemporalPeakLeft.index(n)],
            )
        }
        _ => (
            lm.mid_frontal,
            lm.frontotemporal_right,
            lm.frontotemporal_left,
            lm.temporal_peak_right,
            lm.temporal_peak_left,
        ),
    };
    let at = [
        lm.glabella,
        lm.lateral_canthus_right,
        lm.lateral_canthus_left,
        b,
        cr,
        cl,
        dr,
        dl,
    ];
    POINT_NAMES
        .iter()
        .zip(at)
        .map(|(&n, p)| (n, on_photo(reg, scale, p)))
        .collect()
}

/// The hairline curve on the photo (the vertices in front of the camera).
pub fn hairline_on_photo(hairline: &Hairline, reg: &Registration, scale: f64) -> Vec<[f64; 2]> {
    hairline
        .polyline
        .iter()
        .filter_map(|&p| on_photo(reg, scale, p))
        .collect()
}
