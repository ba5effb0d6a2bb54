//! The stencil's footer: the along-scalp distances, the 10 mm scale bar on a line of its own and the
//! session legend under it, laid from the sheet's left margin so that every line stays on the first column
//! of pages (under the front view when it fits there: [`super::layout`]).

use super::{Counts, LEGEND_ROW, MARGIN};
use crate::stencil::{Distances, Rgb, Shape, DISTANCE_BLUE, INK, SESSION_COLOURS};

/// The footer's lines of distances.
pub(super) fn footer_lines(dist: &Distances) -> Vec<String> {
    let mut lines = vec![
        format!(
            "A-B  glabella to mid-frontal point: {:.1} mm along the scalp",
            dist.glabella_to_mid_frontal_mm
        ),
        format!(
            "C-C  frontotemporal width: {:.1} mm along the scalp ({:.1} mm straight across)",
            dist.frontotemporal_width_mm, dist.frontotemporal_straight_mm
        ),
    ];
    match dist.hairline_mm {
        Some(l) => lines.push(format!(
            "hairline length (red): {l:.1} mm along the scalp, temporal peak to temporal peak"
        )),
        None => lines.push("no hairline treated in this plan".to_string()),
    }
    lines
}

/// The distance lines and the scale bar of a footer starting `top` mm from the sheet's top, its lines from
/// `left` mm across it (the margin, or the footer's own column right of the views: [`super::layout`]).
pub(super) fn distances_and_bar(lines: Vec<String>, left: f64, top: f64) -> Vec<Shape> {
    let footer_top = top;
    let y = footer_top + 7.0;
    let mut footer = Vec::new();
    for (i, t) in lines.into_iter().enumerate() {
        footer.push(Shape::Text {
            at: (left, y + i as f64 * 5.0),
            size: 3.5,
            fill: DISTANCE_BLUE,
            text: t,
        });
    }
    let ly = footer_top + 23.0;
    footer.push(Shape::Area {
        points: vec![
            (left, ly - 1.5),
            (left + 10.0, ly - 1.5),
            (left + 10.0, ly),
            (left, ly),
        ],
        fill: Rgb(0, 0, 0),
        stroke: Rgb(0, 0, 0),
        width: 0.0,
    });
    footer.push(Shape::Text {
        at: (left + 12.0, ly),
        size: 3.5,
        fill: Rgb(0, 0, 0),
        text: "10 mm".into(),
    });
    footer
}

/// Where the legend begins, mm from the sheet's left edge (under the scale bar), and the gap between its
/// two columns, mm.
const LEGEND_X: f64 = MARGIN + 1.5;
const LEGEND_GAP: f64 = 6.0;

/// A legend entry's text.
fn legend_entry(index: usize, impressions: usize, fraction: f64) -> String {
    format!(
        "session {index}: {} impressions ({:.0} %)",
        follicle_core::words::count(impressions as u64),
        (fraction * 100.0).round()
    )
}

/// A legend column's width for entries as wide as `widest`, mm (the dot and its text).
fn legend_column(widest: &str) -> f64 {
    3.0 + follicle_fonts::width(widest, 3.5, false)
}

/// The widest the footer's legend is for sessions of up to 99,999 impressions, mm from the margin.
pub(super) fn legend_width() -> f64 {
    let column = legend_column(&legend_entry(4, 88_888, 1.0));
    LEGEND_X + 2.0 * column + LEGEND_GAP - MARGIN
}

/// The session legend of a plan of `counts` in a footer ending `bottom` mm from the sheet's top, two to a
/// row under the scale bar, the columns as far apart as the widest entry needs: each row stays on
/// the first column of pages, and under the first view.
pub(super) fn legend(left: f64, bottom: f64, counts: &Counts) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let rows = counts.sessions.len().div_ceil(2).max(1);
    let first_row = bottom - 7.0 - LEGEND_ROW * (rows - 1) as f64;
    let entries: Vec<String> = counts
        .sessions
        .iter()
        .map(|&(index, impressions, fraction)| legend_entry(index, impressions, fraction))
        .collect();
    let column = entries.iter().map(|e| legend_column(e)).fold(0.0, f64::max);
    for (k, text) in entries.into_iter().enumerate() {
        let x = left - MARGIN + LEGEND_X + (k % 2) as f64 * (column + LEGEND_GAP);
        let ly = first_row + LEGEND_ROW * (k / 2) as f64;
        let fill = Rgb::from_hex(SESSION_COLOURS[k % SESSION_COLOURS.len()]);
        shapes.push(Shape::Dots {
            centres: vec![(x, ly - 1.2)],
            radius: 1.5,
            fill,
        });
        shapes.push(Shape::Text {
            at: (x + 3.0, ly),
            size: 3.5,
            fill: INK,
            text,
        });
    }
    shapes
}
