//! The stencil's labels never overprint (probe: in the top view "C-C 159.2 mm" sat on the red hairline next
//! to "mid frontal"; "frontotemporal left" was overprinted by dots): for every example case, in every view,
//! no two text boxes meet, no text lies on a line (hairline, measured distances, zone outlines, landmark
//! crosses, the head's outline), and every label sits on a white knockout drawn over the impressions.
//! Text boxes are measured with the fonts the PDF embeds.

mod common;

use common::example_cases;
use follicle_export::labels::{boxes_meet, label_boxes, segment_meets, segments, text_box};
use follicle_export::stencil::{self, Rgb, Shape};

#[test]
fn no_label_meets_another_label_a_line_or_bare_dots_in_any_example() {
    for (name, text) in example_cases() {
        let case = follicle_case::parse(&name, &text, &Default::default()).unwrap();
        let plan = follicle_core::plan(&case.design).unwrap();
        let s = stencil::build(
            &plan,
            "Stencil for a test client",
            follicle_export::tiles::Paper::A4,
        );
        let lines = segments(&s.shapes);
        let boxes = label_boxes(&s.shapes);
        // The labels placed in the views (each on its knockout), against every text on the sheet (titles,
        // the note, the distances and legend under the views, the other labels).
        let placed: Vec<(usize, &(_, String))> = s
            .shapes
            .iter()
            .enumerate()
            .filter(|(_, sh)| matches!(sh, Shape::Text { .. }))
            .map(|(k, _)| k)
            .zip(&boxes)
            .filter(|(k, _)| {
                *k > 0 && matches!(&s.shapes[k - 1], Shape::Area { fill, .. } if *fill == Rgb(255, 255, 255))
            })
            .collect();
        assert!(placed.len() > 10, "{name}: {} labels", placed.len());
        for (i, (_, (a, ta))) in placed.iter().enumerate() {
            assert!(
                a[0] >= 0.0 && a[1] >= 0.0 && a[2] <= s.width_mm && a[3] <= s.height_mm,
                "{name}: `{ta}` leaves the sheet: {a:?}"
            );
            for (b, tb) in &boxes {
                if std::ptr::eq(a, b) {
                    continue;
                }
                assert!(!boxes_meet(a, b), "{name}: `{ta}` overlaps `{tb}`");
            }
            let _ = i;
            for (p, q) in &lines {
                assert!(
                    !segment_meets(a, *p, *q),
                    "{name}: `{ta}` lies on a line {p:?}-{q:?}"
                );
            }
        }
        // Every label in a view (a landmark, a distance, a zone) is drawn after the impressions, on a white
        // knockout covering its letters.
        let last_dots = s
            .shapes
            .iter()
            .rposition(|sh| matches!(sh, Shape::Dots { .. } if sh_is_impressions(sh)))
            .unwrap();
        let mut knocked = 0;
        for (k, sh) in s.shapes.iter().enumerate() {
            let Shape::Text { at, size, text, .. } = sh else {
                continue;
            };
            let named = ["mid frontal", "glabella", "A-B ", "C-C ", "frontotemporal"]
                .iter()
                .any(|w| text.starts_with(w))
                && text.len() < 30; // not the distances written out under the views
            if !named {
                continue;
            }
            assert!(k > last_dots, "{name}: `{text}` drawn under impressions");
            let b = text_box(*at, *size, text);
            let Some(Shape::Area { points, fill, .. }) = s.shapes.get(k - 1) else {
                panic!("{name}: `{text}` has no knockout");
            };
            assert_eq!(*fill, Rgb(255, 255, 255), "{name}: `{text}`");
            let (x0, y0) = points
                .iter()
                .fold((f64::MAX, f64::MAX), |a, p| (a.0.min(p.0), a.1.min(p.1)));
            let (x1, y1) = points
                .iter()
                .fold((f64::MIN, f64::MIN), |a, p| (a.0.max(p.0), a.1.max(p.1)));
            assert!(
                x0 <= b[0] + 1e-9 && y0 <= b[1] + 1e-9 && x1 >= b[2] - 1e-9 && y1 >= b[3] - 1e-9,
                "{name}: `{text}`"
            );
            knocked += 1;
        }
        assert!(knocked >= 4, "{name}: {knocked} labels with knockouts");
        eprintln!(
            "{name}: {} labels, {} line segments, none meeting",
            boxes.len(),
            lines.len()
        );
    }
}

/// The impressions' dots (the legend's single dots are not).
fn sh_is_impressions(sh: &Shape) -> bool {
    matches!(sh, Shape::Dots { centres, .. } if centres.len() > 1)
}
