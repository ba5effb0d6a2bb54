//! Where the camera stood, in words a practitioner checks against the photo: "the camera was 11° to the
//! client's right and 9° above square-on". The fit's turn and tilt are signed angles about the view's
//! reference camera (`PhotoView::camera`); a bare "turned −11°" left the reader to guess the direction
//! (outside test s41), so each view names its own directions from its camera's geometry.

use super::PhotoView;

/// Angles that round under this are said as square-on, degrees: about the fit's own uncertainty on a front
/// photo (the reference photo's turn reads −1° to +1° from one set of marks to another).
pub const SQUARE_ON_DEG: f64 = 2.0;

impl PhotoView {
    /// The directions the view's camera moves in for a positive turn and a positive tilt, and for
    /// negative ones: (turn +, turn −, tilt +, tilt −). They follow `Frontal::oriented`: a turn moves the
    /// camera toward `back × up`, a tilt toward `up` (the head frame: +x the client's right, +y the face,
    /// +z up).
    fn pose_directions(self) -> [&'static str; 4] {
        match self {
            PhotoView::Front => [
                "to the client's right",
                "to the client's left",
                "above",
                "below",
            ],
            PhotoView::Top => [
                "toward the client's left",
                "toward the client's right",
                "toward the face",
                "toward the nape",
            ],
            PhotoView::Left => [
                "toward the face",
                "toward the back of the head",
                "above",
                "below",
            ],
            PhotoView::Right => [
                "toward the back of the head",
                "toward the face",
                "above",
                "below",
            ],
            PhotoView::Back => [
                "toward the client's left",
                "toward the client's right",
                "above",
                "below",
            ],
        }
    }

    /// Where the camera stood, from the fit's turn (`yaw_rad`) and tilt (`pitch_rad`) about this view's
    /// reference camera: "the camera was 11° to the client's right and 9° above square-on", or "the camera
    /// was square-on" when both are under [`SQUARE_ON_DEG`].
    pub fn pose_words(self, yaw_rad: f64, pitch_rad: f64) -> String {
        let [right, left, up, down] = self.pose_directions();
        let said = |rad: f64, plus: &str, minus: &str| {
            let deg = rad.to_degrees();
            (deg.abs().round() >= SQUARE_ON_DEG)
                .then(|| format!("{:.0}° {}", deg.abs(), if deg > 0.0 { plus } else { minus }))
        };
        match (said(yaw_rad, right, left), said(pitch_rad, up, down)) {
            (None, None) => "the camera was square-on".to_string(),
            (Some(t), None) => format!("the camera was {t} of square-on"),
            (None, Some(u)) => format!("the camera was {u} square-on"),
            (Some(t), Some(u)) => format!("the camera was {t} and {u} square-on"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use follicle_core::Vec3;

    /// Unit vector of each direction word in the head frame.
    fn direction(words: &str) -> Vec3 {
        match words {
            "to the client's right" | "toward the client's right" => Vec3::new(1.0, 0.0, 0.0),
            "to the client's left" | "toward the client's left" => Vec3::new(-1.0, 0.0, 0.0),
            "toward the face" => Vec3::new(0.0, 1.0, 0.0),
            "toward the back of the head" | "toward the nape" => Vec3::new(0.0, -1.0, 0.0),
            "above" => Vec3::new(0.0, 0.0, 1.0),
            "below" => Vec3::new(0.0, 0.0, -1.0),
            w => panic!("no direction for {w:?}"),
        }
    }

    #[test]
    fn each_view_names_the_way_its_camera_moves() {
        let plan = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let a = 12f64.to_radians();
        for view in PhotoView::ALL {
            let square = view.camera(&plan, 0.0, 0.0).back();
            let [right, left, up, down] = view.pose_directions();
            for (yaw, pitch, word) in [
                (a, 0.0, right),
                (-a, 0.0, left),
                (0.0, a, up),
                (0.0, -a, down),
            ] {
                let moved = view.camera(&plan, yaw, pitch).back() - square;
                let along = moved.dot(direction(word)) / moved.norm();
                assert!(
                    along > 0.95,
                    "{view:?} turn {yaw} tilt {pitch}: {word} is {along:.2} along the move"
                );
            }
        }
    }

    #[test]
    fn the_words_carry_the_size_and_leave_out_what_is_square_on() {
        let d = f64::to_radians;
        assert_eq!(
            PhotoView::Front.pose_words(d(-11.2), d(9.0)),
            "the camera was 11° to the client's left and 9° above square-on"
        );
        assert_eq!(
            PhotoView::Front.pose_words(d(3.0), d(1.3)),
            "the camera was 3° to the client's right of square-on"
        );
        assert_eq!(
            PhotoView::Top.pose_words(d(0.4), d(-0.4)),
            "the camera was square-on"
        );
        assert_eq!(
            PhotoView::Left.pose_words(d(0.0), d(-20.0)),
            "the camera was 20° below square-on"
        );
    }
}
