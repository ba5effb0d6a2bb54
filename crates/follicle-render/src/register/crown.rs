//! Where a front photo's head sides say the top of the head is: the outermost edges found beside the head
//! (`outline`'s side lines), continued upward as one circle, reach the midline at the height the crown's
//! outline must have. The photo-top check (`outline::top_cut_off`) takes an edge found there on the midline
//! for the top of the head even when what lies above it is no colour of the backdrop beside the head (a
//! blurred bystander above a head near the photo's top edge: outside probe s24, a tight crop of a bald
//! head before a yellow wall whose top-right held a second person's face); an edge far below that height
//! is a highlight's or a hairline's on a head cut by the photo's edge. Pure geometry on the candidate points.

use super::outline::{FaceAxes, OutlineLine, Side, SIDE_HEIGHTS_MM};

/// Going up, a head's side may widen by this much before the edge is taken for something beside the head
/// (a bystander, a frame), mm: from there up the side is not used.
const NARROWING_SLACK_MM: f64 = 1.5;
/// Fewest side points on each side for the circle to be trusted.
const MIN_POINTS_PER_SIDE: usize = 3;
/// Largest root-mean-square distance of the side points from their circle, mm: a head's outline above the
/// ears is round to within this; points off a circle are edges of other things.
const MAX_FIT_RMS_MM: f64 = 3.0;

/// The height above the glabella (mm, at the marks' scale) where the circle through the head's side edges
/// crosses the midline above the head: the top of the head as its sides draw it. `None` when the sides are
/// found at too few heights or do not lie on one circle.
pub fn crown_from_sides(lines: &[OutlineLine], axes: &FaceAxes) -> Option<f64> {
    let mut points: Vec<[f64; 2]> = Vec::new();
    for side in [Side::Left, Side::Right] {
        let mut narrowest = f64::INFINITY;
        let mut on_side = 0;
        for h in SIDE_HEIGHTS_MM {
            let Some(c) = lines
                .iter()
                .find(|l| l.side == side && l.height_mm == h)
                .and_then(|l| l.candidates.first())
            else {
                continue;
            };
            let p = face_mm(axes, c);
            if p[0].abs() > narrowest + NARROWING_SLACK_MM {
                break;
            }
            narrowest = narrowest.min(p[0].abs());
            points.push(p);
            on_side += 1;
        }
        if on_side < MIN_POINTS_PER_SIDE {
            return None;
        }
    }
    let (centre, r) = circle_through(&points)?;
    let rms = (points
        .iter()
        .map(|p| ((p[0] - centre[0]).hypot(p[1] - centre[1]) - r).powi(2))
        .sum::<f64>()
        / points.len() as f64)
        .sqrt();
    if rms > MAX_FIT_RMS_MM || r <= centre[0].abs() {
        return None;
    }
    Some(centre[1] + (r * r - centre[0] * centre[0]).sqrt())
}

/// A pixel in the face's frame: mm across (toward the photo's right) and up from the glabella.
pub fn face_mm(axes: &FaceAxes, c: &[f64; 2]) -> [f64; 2] {
    let [ax, ay] = axes.across;
    let (x, y) = (c[0] - axes.glabella[0], c[1] - axes.glabella[1]);
    [
        (x * ax + y * ay) / axes.px_per_mm,
        (x * ay - y * ax) / axes.px_per_mm,
    ]
}

/// The circle nearest `points` (algebraic least squares: x² + y² + D x + E y + F = 0): its centre and
/// radius. `None` for fewer than three points or points on one line.
fn circle_through(points: &[[f64; 2]]) -> Option<([f64; 2], f64)> {
    if points.len() < 3 {
        return None;
    }
    // Normal equations of the linear fit in (D, E, F), centred on the points' mean for conditioning.
    let n = points.len() as f64;
    let mean = [
        points.iter().map(|p| p[0]).sum::<f64>() / n,
        points.iter().map(|p| p[1]).sum::<f64>() / n,
    ];
    let mut a = [[0.0; 3]; 3];
    let mut b = [0.0; 3];
    for p in points {
        let (x, y) = (p[0] - mean[0], p[1] - mean[1]);
        let row = [x, y, 1.0];
        let rhs = -(x * x + y * y);
        for i in 0..3 {
            for j in 0..3 {
                a[i][j] += row[i] * row[j];
            }
            b[i] += row[i] * rhs;
        }
    }
    let [d, e, f] = solve3(a, b)?;
    let centre = [-d / 2.0, -e / 2.0];
    let r2 = centre[0] * centre[0] + centre[1] * centre[1] - f;
    (r2 > 0.0).then(|| ([centre[0] + mean[0], centre[1] + mean[1]], r2.sqrt()))
}

/// The solution of the 3 × 3 system `a x = b` by Cramer's rule; `None` when `a` is singular.
fn solve3(a: [[f64; 3]; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(a);
    let scale = a
        .iter()
        .flatten()
        .map(|v| v.abs())
        .fold(0.0, f64::max)
        .powi(3);
    if d.abs() <= 1e-12 * scale.max(f64::MIN_POSITIVE) {
        return None;
    }
    Some(std::array::from_fn(|k| {
        let mut m = a;
        for (row, &v) in m.iter_mut().zip(&b) {
            row[k] = v;
        }
        det(m) / d
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AXES: FaceAxes = FaceAxes {
        glabella: [300.0, 400.0],
        across: [1.0, 0.0],
        px_per_mm: 2.0,
    };

    /// Side lines whose first candidate lies on a circle of radius `r` around (`cx`, `cy`) mm, and the
    /// extra first candidates `odd` (side, height, mm across) put in their place.
    fn lines_on_circle(cx: f64, cy: f64, r: f64, odd: &[(Side, f64, f64)]) -> Vec<OutlineLine> {
        let mut lines = Vec::new();
        for h in SIDE_HEIGHTS_MM {
            for (side, sign) in [(Side::Left, -1.0), (Side::Right, 1.0)] {
                let half = (r * r - (h - cy).powi(2)).max(0.0).sqrt();
                let mut along = cx + sign * half;
                if let Some(&(_, _, x)) = odd.iter().find(|o| o.0 == side && o.1 == h) {
                    along = x;
                }
                lines.push(OutlineLine {
                    side,
                    height_mm: h,
                    candidates: vec![AXES.px(along, h)],
                });
            }
        }
        lines
    }

    #[test]
    fn a_round_head_s_sides_put_its_crown_where_the_circle_does() {
        let top = crown_from_sides(&lines_on_circle(4.0, 40.0, 80.0, &[]), &AXES).unwrap();
        let want = 40.0 + (80.0f64 * 80.0 - 16.0).sqrt();
        assert!((top - want).abs() < 0.05, "{top} vs {want}");
    }

    #[test]
    fn an_edge_beside_the_head_above_where_it_narrows_is_left_out() {
        // The right side's top four heights meet a bystander 80–86 mm out, widening upward.
        let odd: Vec<(Side, f64, f64)> = [72.5, 80.0, 87.5, 95.0]
            .iter()
            .enumerate()
            .map(|(i, &h)| (Side::Right, h, 80.0 + 2.0 * i as f64))
            .collect();
        let top = crown_from_sides(&lines_on_circle(0.0, 0.0, 100.0, &odd), &AXES).unwrap();
        assert!((top - 100.0).abs() < 0.5, "{top}");
    }

    #[test]
    fn sides_off_any_circle_or_too_few_say_nothing() {
        // The right side's edge runs straight up 20 mm from the midline (a pole, a door frame) while the left
        // one curves with the head.
        let odd: Vec<(Side, f64, f64)> = SIDE_HEIGHTS_MM
            .iter()
            .map(|&h| (Side::Right, h, 20.0))
            .collect();
        assert_eq!(
            crown_from_sides(&lines_on_circle(0.0, 10.0, 70.0, &odd), &AXES),
            None
        );
        let mut few = lines_on_circle(0.0, 0.0, 100.0, &[]);
        few.retain(|l| l.side != Side::Left || l.height_mm < 45.0);
        assert_eq!(crown_from_sides(&few, &AXES), None);
    }

    #[test]
    fn face_mm_undoes_the_axes() {
        let p = face_mm(&AXES, &AXES.px(-12.5, 33.0));
        assert!(
            (p[0] + 12.5).abs() < 1e-9 && (p[1] - 33.0).abs() < 1e-9,
            "{p:?}"
        );
        let turned = FaceAxes {
            across: [0.8, 0.6],
            ..AXES
        };
        let q = face_mm(&turned, &turned.px(7.0, -4.0));
        assert!(
            (q[0] - 7.0).abs() < 1e-9 && (q[1] + 4.0).abs() < 1e-9,
            "{q:?}"
        );
    }
}
