//! The stencil as a drawing: the plan seen from the top, from the front and, when it treats the back of the
//! head (the occiput, a strip scar), from behind, at true scale (1 unit = 1 mm), zones outlined, scars and
//! exclusions named with their areas, the hairline in red, impressions coloured by session, landmarks,
//! and the along-scalp distances a practitioner checks with a tape (glabella to mid-frontal point,
//! frontotemporal width C–C, hairline length), each label placed off every line and every other label
//! (`labels`). The SVG (`svg`) and the tiled PDF (`pdf`) both draw this one list of shapes, so the
//! two files always show the same stencil.
//!
//! The drawing is built in parts: `view` (the orthographic views of the head: projection, outline,
//! visibility), `draw` (what each view draws: outline, zones, hairline, distances, landmarks, zone names),
//! `sheet` (the sheet: views side by side, title, footer, session legend, the impressions session by
//! session and the labels placed last) and `ink` (where the sheet has something drawn, so that no blank page
//! is printed).

mod draw;
pub(crate) mod ink;
mod sheet;
mod trace;
mod view;

pub use ink::Rect;
pub use sheet::{layout, Layout, TEXT_WIDTH_MM};

use follicle_core::plan::Plan;

/// Session colours (colour-blind friendly order: Okabe-Ito's six that print on white, then Tol's indigo and
/// olive), as `#rrggbb`: one for each of the eight sessions a design may have (with six, session 7 was drawn in
/// session 1's colour: outside probe s28). Touch-ups past the eighth session start the list again.
pub const SESSION_COLOURS: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#332288", "#999933",
];

/// Radius of an impression dot on the stencil, mm (enlarged for legibility: healed dots are 0.10–0.25 mm).
pub const DOT_RADIUS_MM: f64 = 0.3;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rrggbb` (the session colours).
    pub fn from_hex(s: &str) -> Rgb {
        let v = u32::from_str_radix(s.trim_start_matches('#'), 16).unwrap_or(0);
        Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// A point on the stencil sheet, mm from its top-left corner (y down).
pub type Pt = (f64, f64);

/// One thing drawn on the sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A closed outline, filled and stroked.
    Area {
        /// Corners in order.
        points: Vec<Pt>,
        /// Fill colour.
        fill: Rgb,
        /// Stroke colour.
        stroke: Rgb,
        /// Stroke width, mm.
        width: f64,
    },
    /// Open polylines sharing one stroke.
    Lines {
        /// Each polyline, two points or more.
        paths: Vec<Vec<Pt>>,
        /// Stroke colour.
        stroke: Rgb,
        /// Stroke width, mm.
        width: f64,
        /// Dash length (and gap), mm; `None` for a solid line.
        dash: Option<f64>,
    },
    /// Filled dots of one colour (impressions).
    Dots {
        /// Dot centres.
        centres: Vec<Pt>,
        /// Radius, mm.
        radius: f64,
        /// Colour.
        fill: Rgb,
    },
    /// A line of text, anchored at its baseline start. ASCII only (the PDF uses a base-14 font).
    Text {
        /// Baseline start.
        at: Pt,
        /// Font size (cap-to-descender), mm.
        size: f64,
        /// Colour.
        fill: Rgb,
        /// The text.
        text: String,
    },
}

/// The along-scalp distances printed on the stencil, mm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distances {
    /// Glabella to the mid-frontal point along the scalp (the midline arc).
    pub glabella_to_mid_frontal_mm: f64,
    /// Frontotemporal point to frontotemporal point (C–C) along the scalp, over the forehead.
    pub frontotemporal_width_mm: f64,
    /// The same width straight across (callipers).
    pub frontotemporal_straight_mm: f64,
    /// Length of the hairline, right temporal peak to left, along the scalp; `None` when not treated.
    pub hairline_mm: Option<f64>,
}

/// The distances of `plan`, from the core's own surface paths and the plan's hairline polyline: to and
/// between the hairline's B and C as designed (`Hairline::garg_points`: hand-placed, or moved back by the
/// recession), the landmarks' own where no hairline is treated. (Until session 37 always the landmarks': a
/// B or C placed by hand was labelled where the construction had put it.)
pub fn distances(plan: &Plan) -> Distances {
    let lm = &plan.landmarks;
    let at = |name: &str| marked_at(plan, name).unwrap_or(lm.glabella);
    let (b, c_r, c_l) = (
        at("mid_frontal"),
        at("frontotemporal_right"),
        at("frontotemporal_left"),
    );
    Distances {
        glabella_to_mid_frontal_mm: plan.head.path_length(lm.glabella, b),
        frontotemporal_width_mm: plan.head.path_length(c_r, c_l),
        frontotemporal_straight_mm: c_r.dist(c_l),
        hairline_mm: plan.hairline.as_ref().map(|h| h.length_mm()),
    }
}

/// Where the stencil marks landmark `name` (`Landmarks::named`): the hairline's own Garg point where the
/// hairline has one of that name (`Hairline::garg_points`: B, C and D as designed), else the landmark.
/// The crosses, the dashed A–B and C–C paths and their lengths all use it, so the C–C the sheet prints runs
/// between the crosses it names C.
pub fn marked_at(plan: &Plan, name: &str) -> Option<follicle_core::geom::Vec3> {
    plan.hairline
        .as_ref()
        .and_then(|h| h.garg_points().into_iter().find(|(n, _)| *n == name))
        .map(|(_, p)| p)
        .or_else(|| {
            plan.landmarks
                .named()
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, p)| p)
        })
}

/// The stencil drawing: a sheet in mm and the shapes on it, back to front.
#[derive(Clone, Debug, PartialEq)]
pub struct Stencil {
    /// Sheet width, mm.
    pub width_mm: f64,
    /// Sheet height, mm.
    pub height_mm: f64,
    /// Title (client and plan).
    pub title: String,
    /// The distances labelled on the sheet.
    pub distances: Distances,
    /// Everything drawn, back to front.
    pub shapes: Vec<Shape>,
    /// Shapes already drawn as SVG and PDF, by their index in `shapes` (ascending): the impressions of the
    /// sessions drawn while later ones were placed ([`Layout::draw_session`]). The writers use these
    /// instead of drawing the shape again; the files are the same either way.
    pub drawn: Vec<(usize, Drawn)>,
    /// The views on the sheet: name and stretch across it (left, right, mm), in order.
    pub views: Vec<(String, f64, f64)>,
}

/// One shape as the SVG and the PDF writers draw it (see [`Stencil::drawn`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    /// Its SVG elements.
    pub svg: String,
    /// Its PDF content-stream operations (as they follow another operation).
    pub pdf: Vec<u8>,
    /// Those operations compressed as the PDF's drawing is, one part of its stream
    /// ([`crate::deflate::packed_part`]).
    pub pdf_packed: Vec<u8>,
}

impl Drawn {
    /// Draws `shape` as both writers do.
    pub fn of(shape: &Shape) -> Drawn {
        let pdf = crate::pdf::shape_pdf(shape);
        Drawn {
            svg: crate::svg::shape_svg(shape),
            pdf_packed: crate::deflate::packed_part(&pdf, crate::pdf::DRAWING_LEVEL),
            pdf,
        }
    }
}

const BLACK: Rgb = Rgb(0x11, 0x11, 0x11);
const INK: Rgb = Rgb(0x22, 0x22, 0x22);
const GREY: Rgb = Rgb(0x44, 0x44, 0x44);
const HAIRLINE_RED: Rgb = Rgb(0xc0, 0x39, 0x2b);
const DISTANCE_BLUE: Rgb = Rgb(0x1f, 0x4e, 0x9a);

/// Lays out the stencil of `plan`: the top view on the left, the front view on the right, each at 1:1, with
/// the sheet sized to hold them (it depends on the head).
pub fn build(plan: &Plan, title: &str, paper: crate::tiles::Paper) -> Stencil {
    layout(plan, title, paper).finish(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_of_eight_sessions_has_its_own_colour() {
        let mut seen = SESSION_COLOURS.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 8, "{SESSION_COLOURS:?}");
        // None is the hairline's red, the ink or the grey of the outlines.
        for c in SESSION_COLOURS {
            let c = Rgb::from_hex(c);
            assert!(c != INK && c != GREY && c != DISTANCE_BLUE, "{c:?}");
        }
    }

    #[test]
    fn distances_are_labelled_to_the_hairline_points_as_placed() {
        // B placed by hand 6 mm higher than the construction puts it (outside test s37: the stencil and
        // plan.json named the constructed B and C, not the ones the hairline is drawn through).
        let mut design = follicle_core::demo_design();
        let p = follicle_core::plan(&design).unwrap();
        let mut cp = p.hairline.as_ref().unwrap().control_points.clone();
        let b = cp[3];
        cp[3] = p.head.walk_toward(b, p.landmarks.vertex, 6.0);
        design.hairline.control_points = Some(cp.clone());
        let moved = follicle_core::plan(&design).unwrap();
        let d = distances(&moved);
        let constructed = moved
            .head
            .path_length(moved.landmarks.glabella, moved.landmarks.mid_frontal);
        assert!(
            (d.glabella_to_mid_frontal_mm - constructed - 6.0).abs() < 0.5,
            "{} vs {constructed}",
            d.glabella_to_mid_frontal_mm
        );
        // The recession moves the constructed C back: C–C is measured between the hairline's corners.
        let h = moved.hairline.as_ref().unwrap();
        assert_eq!(h.garg_points()[2], ("mid_frontal", h.control_points[3]));
        // The sheet's crosses stand where it measures from: B and C on the hairline, the glabella its own.
        assert_eq!(marked_at(&moved, "mid_frontal"), Some(h.control_points[3]));
        assert_eq!(
            marked_at(&moved, "frontotemporal_left"),
            Some(h.control_points[5])
        );
        assert_eq!(
            marked_at(&moved, "glabella"),
            Some(moved.landmarks.glabella)
        );
        assert!(
            (d.frontotemporal_straight_mm - h.control_points[1].dist(h.control_points[5])).abs()
                < 1e-9
        );
    }

    #[test]
    fn distances_follow_the_scalp_and_the_sheet_holds_every_view() {
        let p = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let d = distances(&p);
        // Along the scalp is longer than straight across; the A-B arc is the design's mid-frontal height.
        assert!(
            d.frontotemporal_width_mm > d.frontotemporal_straight_mm,
            "{d:?}"
        );
        assert!(
            (d.glabella_to_mid_frontal_mm - p.design.hairline.mid_frontal_mm).abs() < 3.0,
            "{d:?}"
        );
        // The hairline length is the sum along its polyline on the surface: longer than the C-C width it
        // spans, shorter than the head's circumference.
        let hl = d.hairline_mm.unwrap();
        let poly = &p.hairline.as_ref().unwrap().polyline;
        let sum: f64 = poly.windows(2).map(|w| w[0].dist(w[1])).sum();
        assert!((hl - sum).abs() < 1e-9, "{hl} vs {sum}");
        assert!(
            hl > d.frontotemporal_straight_mm && hl < p.head.measurements.circumference_mm(),
            "{hl} {d:?}"
        );
        let s = build(&p, "t", crate::tiles::Paper::A4);
        let mut inside = 0;
        for sh in &s.shapes {
            if let Shape::Dots { centres, .. } = sh {
                for &(x, y) in centres {
                    assert!(
                        x > 0.0 && y > 0.0 && x < s.width_mm && y < s.height_mm,
                        "({x}, {y}) off the {}x{} sheet",
                        s.width_mm,
                        s.height_mm
                    );
                    inside += 1;
                }
            }
        }
        assert!(
            inside > p.impressions.len(),
            "the views draw impressions: {inside}"
        );
        // The demo treats the whole scalp, the back included: a view from behind is drawn, beside the other
        // two, each view's name above it, from the front to the back.
        let names: Vec<&str> = s
            .shapes
            .iter()
            .filter_map(|sh| match sh {
                Shape::Text { text, .. } if text.ends_with("view") || text.contains("view (") => {
                    Some(text.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(names, ["Front view", "Top view (face up)", "Back view"]);
    }
}
