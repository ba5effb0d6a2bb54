//! Where the head ends sideways on a front photo, from the outline the registration found on it (the edge
//! between the head, hair included, and the background at each height, `register::outline`), in the face
//! frame's mm. The scalp map seeds the retained hair from dark pixels inside it even when they have the
//! background's colour (black hair before a dark backdrop, `scalp.rs`).

use crate::face_frame::FaceFrame;
use crate::register::Registration;

/// Inset from the head's outline found on the photo inside which a fringe pixel counts as on the head, mm
/// (the outline is found to about a working pixel; its edge pixels are part background).
pub const OUTLINE_INSET_MM: f64 = 1.5;
/// Farthest an outline point may lie above or below a fringe pixel to say where the head ends at its
/// height, mm.
pub const OUTLINE_REACH_MM: f64 = 12.0;

/// The head's outline as the registration found it on the photo (the edge between the head, hair
/// included, and the background at each height, `register::outline`), in face-frame mm: where the head
/// ends sideways at a given height. Empty when the outline took no part in the fit.
pub struct PhotoOutline {
    /// (along, up) mm of each outline point that agreed with the fit.
    points: Vec<(f64, f64)>,
}

impl PhotoOutline {
    pub fn new(reg: &Registration, frame: &FaceFrame) -> PhotoOutline {
        let points = reg
            .silhouette
            .iter()
            .filter(|s| s.used)
            .flat_map(|s| s.points.iter().map(|p| frame.mm(p[0], p[1])))
            .collect();
        PhotoOutline { points }
    }

    /// Whether (`along`, `up`) mm lies inside the outline on its side: nearer the midline, by
    /// [`OUTLINE_INSET_MM`], than the outline point on the same side nearest its height (within
    /// [`OUTLINE_REACH_MM`]). False where no outline point is near.
    pub fn inside(&self, (along, up): (f64, f64)) -> bool {
        self.points
            .iter()
            .filter(|p| p.0.signum() == along.signum() && (p.1 - up).abs() <= OUTLINE_REACH_MM)
            .min_by(|a, b| (a.1 - up).abs().total_cmp(&(b.1 - up).abs()))
            .is_some_and(|p| along.abs() < p.0.abs() - OUTLINE_INSET_MM)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline() -> PhotoOutline {
        PhotoOutline {
            points: vec![(-80.0, 20.0), (-78.0, 40.0), (70.0, 20.0), (68.0, 45.0)],
        }
    }

    #[test]
    fn inside_is_nearer_the_midline_than_the_outline_on_the_same_side_at_that_height() {
        let o = outline();
        assert!(o.inside((-77.0, 22.0)));
        assert!(!o.inside((-79.0, 22.0)), "within the inset of the outline");
        assert!(!o.inside((-90.0, 22.0)), "beyond the outline");
        // His left side ends at 70 mm: a pixel at -75 on his right is inside, at +75 on his left is not.
        assert!(!o.inside((75.0, 20.0)));
        assert!(o.inside((66.0, 44.0)));
        // No outline point within 12 mm of the height: nothing is said.
        assert!(!o.inside((-10.0, 80.0)));
    }

    #[test]
    fn an_outline_that_took_no_part_says_nothing() {
        let o = PhotoOutline { points: Vec::new() };
        assert!(!o.inside((0.0, 20.0)));
    }
}
