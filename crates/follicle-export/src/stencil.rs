//! The stencil as a drawing: the plan seen from the top, from the front and, when it treats the back of the
//! head (the occiput, a strip scar), from behind, at true scale (1 unit = 1 mm), zones outlined, scars and
//! exclusions named with their areas, the hairline in red, impressions coloured by session, landmarks,
//! and the along-scalp distances a practitioner checks with a tape (glabella to mid-frontal point,
//! frontotemporal width C–C, hairline length), each label placed off every line and every other label
//! (`labels`). The SVG (`svg`) and the tiled PDF (`pdf`) both draw this one list of shapes, so the
//! two files always show the same stencil.

use crate::labels::{self, Label};
use follicle_core::design::ZoneKind;
use follicle_core::geom::Vec3;
use follicle_core::plan::Plan;

/// Session colours (colour-blind friendly order), as `#rrggbb`.
pub const SESSION_COLOURS: [&str; 6] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9",
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

/// The distances of `plan`, from the core's own surface paths and the plan's hairline polyline.
pub fn distances(plan: &Plan) -> Distances {
    let lm = &plan.landmarks;
    Distances {
        glabella_to_mid_frontal_mm: plan.head.path_length(lm.glabella, lm.mid_frontal),
        frontotemporal_width_mm: plan
            .head
            .path_length(lm.frontotemporal_right, lm.frontotemporal_left),
        frontotemporal_straight_mm: lm.frontotemporal_right.dist(lm.frontotemporal_left),
        hairline_mm: plan.hairline.as_ref().map(|h| h.length_mm()),
    }
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
}

/// One shape as the SVG and the PDF writers draw it (see [`Stencil::drawn`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    /// Its SVG elements.
    pub svg: String,
    /// Its PDF content-stream operations (as they follow another operation).
    pub pdf: Vec<u8>,
}

impl Drawn {
    /// Draws `shape` as both writers do.
    pub fn of(shape: &Shape) -> Drawn {
        Drawn {
            svg: crate::svg::shape_svg(shape),
            pdf: crate::pdf::shape_pdf(shape),
        }
    }
}

/// An orthographic view of the head.
#[derive(Clone, Copy)]
struct View {
    name: &'static str,
    /// Direction toward the viewer (surface visible where the normal points this way).
    toward: Vec3,
    /// Sheet position of the head-frame origin, mm.
    ox: f64,
    oy: f64,
}

impl View {
    fn top() -> View {
        View {
            name: "Top view (face up)",
            toward: Vec3::new(0.0, 0.0, 1.0),
            ox: 0.0,
            oy: 0.0,
        }
    }
    fn front() -> View {
        View {
            name: "Front view",
            toward: Vec3::new(0.0, 1.0, 0.0),
            ox: 0.0,
            oy: 0.0,
        }
    }
    fn back() -> View {
        View {
            name: "Back view",
            toward: Vec3::new(0.0, -1.0, 0.0),
            ox: 0.0,
            oy: 0.0,
        }
    }
    fn project(&self, p: Vec3) -> Pt {
        if self.toward.z > 0.5 {
            // From above, face up the page: client's right on the page's right.
            (self.ox + p.x, self.oy - p.y)
        } else if self.toward.y < -0.5 {
            // From behind: client's right on the page's right.
            (self.ox + p.x, self.oy - p.z)
        } else {
            // From the front: client's right on the page's left.
            (self.ox - p.x, self.oy - p.z)
        }
    }
    fn faces(&self, plan: &Plan, p: Vec3, min: f64) -> bool {
        plan.head.normal(p).dot(self.toward) > min
    }
    /// The surface points of the head's outline seen from this view (180 directions around it).
    fn rim(&self, plan: &Plan) -> Vec<Vec3> {
        (0..180)
            .map(|i| {
                let a = i as f64 / 180.0 * std::f64::consts::TAU;
                let d = if self.toward.z > 0.5 {
                    Vec3::new(a.cos(), a.sin(), 0.0)
                } else {
                    Vec3::new(a.cos(), 0.0, a.sin())
                };
                silhouette_point(plan, d, self.toward)
            })
            .collect()
    }
    /// The head's outline seen from this view (its `rim` projected). The front and back views stop 15 mm
    /// below the eye corners' level, or below the lowest treated zone they show if that is lower: the face
    /// and neck below carry nothing of the design and would only add pages.
    fn silhouette(&self, plan: &Plan, rim: &[Vec3], treated: &[(Vec3, Vec3)]) -> Vec<Pt> {
        let lm = &plan.landmarks;
        let lowest = [
            lm.glabella,
            lm.lateral_canthus_left,
            lm.lateral_canthus_right,
        ]
        .iter()
        .map(|p| self.project(*p).1)
        .chain(
            treated
                .iter()
                .filter(|(_, n)| n.dot(self.toward) > 0.05)
                .map(|(p, _)| self.project(*p).1),
        )
        .fold(f64::MIN, f64::max);
        let floor = if self.toward.z > 0.5 {
            f64::MAX
        } else {
            lowest + 15.0
        };
        rim.iter()
            .map(|&p| {
                let (x, y) = self.project(p);
                (x, y.min(floor))
            })
            .collect()
    }
}

/// Margin around the drawing and the gap between the views, mm.
const MARGIN: f64 = 10.0;
const GAP: f64 = 20.0;
/// Space above the views for one title line (title, the note on printing, view names) and below them
/// (distances, legend, scale bar), mm; each further title line adds [`TITLE_LINE`].
const HEADER: f64 = 32.0;
const FOOTER: f64 = 30.0;
/// The widest a line of text above the views may be, mm: from the margin it stays on the first page of A4 and
/// Letter (190 mm printable across), so no title runs over onto the page beside it.
pub const TEXT_WIDTH_MM: f64 = 175.0;
/// Spacing of the session legend's rows, mm.
const LEGEND_ROW: f64 = 5.0;
/// Title size and line spacing, mm.
const TITLE_SIZE: f64 = 6.0;
const TITLE_LINE: f64 = 7.0;
/// The note's size, mm.
const NOTE_SIZE: f64 = 3.5;

/// `text` broken at spaces into lines at most `max` mm wide at `size` mm (a word longer than a line is broken
/// between its letters), measured with the fonts the files embed.
fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let fits = |t: &str| follicle_fonts::width(t, size, false) <= max;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let tried = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&tried) {
            line = tried;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn bounds(pts: &[Pt]) -> (f64, f64, f64, f64) {
    pts.iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
    )
}

const BLACK: Rgb = Rgb(0x11, 0x11, 0x11);
const INK: Rgb = Rgb(0x22, 0x22, 0x22);
const GREY: Rgb = Rgb(0x44, 0x44, 0x44);
const HAIRLINE_RED: Rgb = Rgb(0xc0, 0x39, 0x2b);
const DISTANCE_BLUE: Rgb = Rgb(0x1f, 0x4e, 0x9a);

/// Lays out the stencil of `plan`: the top view on the left, the front view on the right, each at 1:1, with
/// the sheet sized to hold them (it depends on the head).
pub fn build(plan: &Plan, title: &str) -> Stencil {
    layout(plan, title).finish(plan)
}

/// The stencil without its impressions: everything that comes from the head, landmarks, hairline and zones
/// (views, outlines, distances, labels). It can be laid out from the plan's first session while the later
/// ones are placed; [`Layout::finish`] adds the impressions of the whole plan.
pub struct Layout {
    width_mm: f64,
    height_mm: f64,
    title: String,
    /// The title's lines, each fitting the first page.
    title_lines: Vec<String>,
    distances: Distances,
    /// Per view: the view, what is drawn under its impressions and what is drawn over them.
    views: Vec<(View, Vec<Shape>, Vec<Shape>)>,
    /// The labels of every view (distances, zones, landmarks), placed once everything else is drawn.
    labels: Vec<Label>,
    /// Distances and scale bar under the views.
    footer: Vec<Shape>,
    /// Per view, the impressions of the sessions drawn so far ([`Layout::draw_session`]), by session.
    sessions: Vec<Vec<(Shape, Drawn)>>,
}

/// Lays out the stencil of `plan` without its impressions (see [`Layout`]).
pub fn layout(plan: &Plan, title: &str) -> Layout {
    // Place the views from their outlines' extents, side by side: top, front, and back when the plan
    // treats the back of the head (a treated zone facing backward more than upward: the occiput, a strip
    // scar, the nape), which the top view would show only edge-on.
    let treated = treated_cells(plan);
    let back_needed = treated.iter().any(|(_, n)| -n.y > 0.5 && -n.y > n.z);
    let title_lines = wrap(title, TITLE_SIZE, TEXT_WIDTH_MM);
    let header = HEADER + TITLE_LINE * (title_lines.len() - 1) as f64;
    let mut placed: Vec<(View, Vec<Vec3>)> = Vec::new();
    let mut x = MARGIN;
    let mut tallest: f64 = 0.0;
    for mut v in [
        Some(View::top()),
        Some(View::front()),
        back_needed.then(View::back),
    ]
    .into_iter()
    .flatten()
    {
        let rim = v.rim(plan);
        let (x0, y0, x1, y1) = bounds(&v.silhouette(plan, &rim, &treated));
        v.ox = x - x0;
        v.oy = header - y0;
        x += (x1 - x0) + GAP;
        tallest = tallest.max(y1 - y0);
        placed.push((v, rim));
    }
    let width = (x - GAP + MARGIN).max(260.0).ceil();
    // The session legend takes a row of its own for every two sessions after the first two.
    let legend_rows = plan.design.cumulative_fractions.len().div_ceil(2).max(1);
    let height = (header + tallest + FOOTER + LEGEND_ROW * (legend_rows - 1) as f64).ceil();
    let dist = distances(plan);
    // Zone outlines on the surface (marching squares over the zone raster), for both views.
    let ids: Vec<u8> = (0..plan.zones.len() as u8).collect();
    let outlines: Vec<[Vec3; 2]> = plan
        .field
        .outlines_of(&ids)
        .into_iter()
        .flatten()
        .map(|[a, b]| [plan.head.point_of_chart(a), plan.head.point_of_chart(b)])
        .collect();
    let zone_names = zone_labels(plan, &placed, &treated);
    // Distances first, then the zones, then the landmarks' names: the more important label gets the nearer place.
    let (mut distance_labels, mut landmark_labels) = (Vec::new(), Vec::new());
    let views: Vec<_> = placed
        .into_iter()
        .map(|(v, rim)| {
            let silhouette = v.silhouette(plan, &rim, &treated);
            let (x0, _, _, _) = bounds(&silhouette);
            let mut under = vec![Shape::Text {
                at: (x0, header - 4.0),
                size: 4.5,
                fill: INK,
                text: v.name.to_string(),
            }];
            let mut over = Vec::new();
            let mut named = ViewLabels::default();
            draw_view(
                plan, &v, &dist, &outlines, silhouette, &mut under, &mut over, &mut named,
            );
            distance_labels.extend(named.distances);
            landmark_labels.extend(named.landmarks);
            (v, under, over)
        })
        .collect();
    let labels: Vec<Label> = distance_labels
        .into_iter()
        .chain(zone_names.into_iter().flatten())
        .chain(landmark_labels)
        .collect();
    // Distances and scale bar under the views.
    let y = height - FOOTER - LEGEND_ROW * (legend_rows - 1) as f64 + 7.0;
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
    let mut footer = Vec::new();
    for (i, t) in lines.into_iter().enumerate() {
        footer.push(Shape::Text {
            at: (MARGIN, y + i as f64 * 5.0),
            size: 3.5,
            fill: DISTANCE_BLUE,
            text: t,
        });
    }
    let ly = height - 7.0;
    footer.push(Shape::Area {
        points: vec![
            (MARGIN, ly - 1.5),
            (MARGIN + 10.0, ly - 1.5),
            (MARGIN + 10.0, ly),
            (MARGIN, ly),
        ],
        fill: Rgb(0, 0, 0),
        stroke: Rgb(0, 0, 0),
        width: 0.0,
    });
    footer.push(Shape::Text {
        at: (MARGIN + 12.0, ly),
        size: 3.5,
        fill: Rgb(0, 0, 0),
        text: "10 mm".into(),
    });
    Layout {
        width_mm: width,
        height_mm: height,
        title: title.to_string(),
        title_lines,
        distances: dist,
        sessions: vec![Vec::new(); views.len()],
        views,
        labels,
        footer,
    }
}

/// The dots of session `k`'s impressions in view `v`.
fn session_dots(plan: &Plan, v: &View, k: usize) -> Shape {
    let fill = Rgb::from_hex(SESSION_COLOURS[(k - 1) % SESSION_COLOURS.len()]);
    let centres = plan
        .impressions
        .iter()
        .filter(|m| m.session == k && v.faces(plan, m.p, 0.05))
        .map(|m| v.project(m.p))
        .collect();
    Shape::Dots {
        centres,
        radius: DOT_RADIUS_MM,
        fill,
    }
}

impl Layout {
    /// Lays out and draws (SVG and PDF) the impressions of the next session of `plan` (a plan of this
    /// design with that session placed: later sessions never move it), so that [`Layout::finish`] only
    /// draws the sessions after it. Sessions are drawn in order from 1.
    pub fn draw_session(&mut self, plan: &Plan) {
        for ((v, _, _), drawn) in self.views.iter().zip(&mut self.sessions) {
            let shape = session_dots(plan, v, drawn.len() + 1);
            let d = Drawn::of(&shape);
            drawn.push((shape, d));
        }
    }

    /// The stencil of `plan` (the plan this layout was made from, or the same design with more sessions
    /// placed): the layout with every impression and the session legend.
    pub fn finish(self, plan: &Plan) -> Stencil {
        let mut shapes = Vec::new();
        let mut y = 12.0;
        for line in &self.title_lines {
            shapes.push(Shape::Text {
                at: (MARGIN, y),
                size: TITLE_SIZE,
                fill: INK,
                text: line.clone(),
            });
            y += TITLE_LINE;
        }
        let note = format!(
            "Printed at 100 % (actual size) this stencil is 1:1: check the 10 mm scale bar. {} impressions, {} sessions; dots enlarged to 0.6 mm for legibility (healed 0.10-0.25 mm).",
            plan.impressions.len(),
            plan.sessions.len()
        );
        for line in wrap(&note, NOTE_SIZE, TEXT_WIDTH_MM).into_iter().take(2) {
            shapes.push(Shape::Text {
                at: (MARGIN, y),
                size: NOTE_SIZE,
                fill: GREY,
                text: line,
            });
            y += 4.5;
        }
        let mut drawn = Vec::new();
        for ((v, under, over), early) in self.views.into_iter().zip(self.sessions) {
            shapes.extend(under);
            // Impressions, later sessions on top; those drawn early as they were drawn.
            let mut early = early.into_iter();
            for k in 1..=plan.sessions.len() {
                match early.next() {
                    Some((shape, d)) => {
                        drawn.push((shapes.len(), d));
                        shapes.push(shape);
                    }
                    None => shapes.push(session_dots(plan, &v, k)),
                }
            }
            shapes.extend(over);
        }
        shapes.extend(self.footer);
        // The session legend, two to a row from beside the scale bar: each row stays on the first column of pages.
        let rows = plan.sessions.len().div_ceil(2).max(1);
        let first_row = self.height_mm - 7.0 - LEGEND_ROW * (rows - 1) as f64;
        for (k, ss) in plan.sessions.iter().enumerate() {
            let x = MARGIN + 35.0 + (k % 2) as f64 * 70.0;
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
                text: format!(
                    "session {}: {} impressions ({:.0} %)",
                    ss.index,
                    ss.impressions,
                    ss.cumulative_fraction * 100.0
                ),
            });
        }
        // The labels last, over everything: off every line and every other label, on a white knockout.
        let lines = labels::segments(&shapes);
        let mut taken: Vec<labels::Box2> = labels::label_boxes(&shapes)
            .into_iter()
            .map(|(b, _)| b)
            .collect();
        let sheet = [0.0, 0.0, self.width_mm, self.height_mm];
        shapes.extend(labels::place(&self.labels, &lines, &mut taken, sheet));
        Stencil {
            width_mm: self.width_mm,
            height_mm: self.height_mm,
            title: self.title,
            distances: self.distances,
            shapes,
            drawn,
        }
    }
}

/// The surface path from `p` to `q` (projected straight segment), as sampled points.
fn surface_path(plan: &Plan, p: Vec3, q: Vec3) -> Vec<Vec3> {
    let steps = 60;
    (0..=steps)
        .map(|i| plan.head.project(p.lerp(q, i as f64 / steps as f64)))
        .collect()
}

/// Splits a sequence of surface points into the visible runs of a view.
fn visible_runs(plan: &Plan, v: &View, pts: &[Vec3], min: f64) -> Vec<Vec<Pt>> {
    let mut runs: Vec<Vec<Pt>> = Vec::new();
    let mut cur: Vec<Pt> = Vec::new();
    for p in pts {
        if v.faces(plan, *p, min) {
            cur.push(v.project(*p));
        } else if cur.len() > 1 {
            runs.push(std::mem::take(&mut cur));
        } else {
            cur.clear();
        }
    }
    if cur.len() > 1 {
        runs.push(cur);
    }
    runs
}

/// The labels a view names its measured distances and landmarks with (placed by `labels::place`).
#[derive(Default)]
struct ViewLabels {
    distances: Vec<Label>,
    landmarks: Vec<Label>,
}

/// The shapes of view `v` under its impressions (outline, zone outlines) and over them (hairline,
/// measured distances, landmarks).
#[allow(clippy::too_many_arguments)] // the view, what it draws from, and the three lists it draws into
fn draw_view(
    plan: &Plan,
    v: &View,
    dist: &Distances,
    outlines: &[[Vec3; 2]],
    silhouette: Vec<Pt>,
    under: &mut Vec<Shape>,
    shapes: &mut Vec<Shape>,
    named: &mut ViewLabels,
) {
    under.push(Shape::Area {
        points: silhouette,
        fill: Rgb(0xf6, 0xe7, 0xdc),
        stroke: Rgb(0xb8, 0x9a, 0x86),
        width: 0.4,
    });
    // Zone outlines.
    let paths = outlines
        .iter()
        .filter(|[a, _]| v.faces(plan, *a, 0.05))
        .map(|[a, b]| vec![v.project(*a), v.project(*b)])
        .collect();
    under.push(Shape::Lines {
        paths,
        stroke: Rgb(0x55, 0x55, 0x55),
        width: 0.3,
        dash: None,
    });
    if let Some(hl) = &plan.hairline {
        shapes.push(Shape::Lines {
            paths: visible_runs(plan, v, &hl.polyline, 0.0),
            stroke: HAIRLINE_RED,
            width: 0.5,
            dash: None,
        });
    }
    // The measured distances as dashed surface paths with their letters.
    let lm = &plan.landmarks;
    let measured = [
        (
            lm.glabella,
            lm.mid_frontal,
            format!("A-B {:.1} mm", dist.glabella_to_mid_frontal_mm),
        ),
        (
            lm.frontotemporal_right,
            lm.frontotemporal_left,
            format!("C-C {:.1} mm", dist.frontotemporal_width_mm),
        ),
    ];
    for (p, q, label) in measured {
        let runs = visible_runs(plan, v, &surface_path(plan, p, q), 0.05);
        if let Some(mid) = runs.iter().max_by_key(|r| r.len()).map(|r| r[r.len() / 2]) {
            named.distances.push(Label {
                anchor: mid,
                at: (mid.0 + 1.0, mid.1 - 1.0),
                size: 2.6,
                fill: DISTANCE_BLUE,
                text: label,
            });
        }
        shapes.push(Shape::Lines {
            paths: runs,
            stroke: DISTANCE_BLUE,
            width: 0.25,
            dash: Some(1.0),
        });
    }
    for (name, p) in lm.named() {
        if v.faces(plan, p, 0.1) {
            let (x, y) = v.project(p);
            shapes.push(Shape::Lines {
                paths: vec![
                    vec![(x - 1.5, y), (x + 1.5, y)],
                    vec![(x, y - 1.5), (x, y + 1.5)],
                ],
                stroke: BLACK,
                width: 0.3,
                dash: None,
            });
            named.landmarks.push(Label {
                anchor: (x, y),
                at: (x + 1.8, y - 1.0),
                size: 2.2,
                fill: BLACK,
                text: name.replace('_', " "),
            });
        }
    }
}

/// The centres of the zone raster's cells that a treated zone covers (every zone but exclusions): what
/// the layout is sized for, the same for the first session as for the whole plan.
/// Each with its surface normal.
fn treated_cells(plan: &Plan) -> Vec<(Vec3, Vec3)> {
    let f = &plan.field;
    f.zone
        .iter()
        .enumerate()
        .filter_map(|(k, &z)| {
            let kind = plan.zones.get(z as usize)?.spec.kind;
            (kind != ZoneKind::Exclusion).then(|| {
                let p = plan.head.point_of_chart(f.cell_centre(k % f.nu, k / f.nu));
                (p, plan.head.normal(p))
            })
        })
        .collect()
}

/// Labels naming the scar and exclusion zones (what the practitioner must find on the client), each in
/// the one view that sees it most face-on, beside its centre: "fut-scar: scar, 14.1 cm²".
fn zone_labels(
    plan: &Plan,
    views: &[(View, Vec<Vec3>)],
    treated: &[(Vec3, Vec3)],
) -> Vec<Vec<Label>> {
    let mut out = vec![Vec::new(); views.len()];
    let f = &plan.field;
    for (z, stats) in plan.zones.iter().enumerate() {
        let what = match stats.spec.kind {
            ZoneKind::Scar => "scar",
            ZoneKind::Exclusion => "no pigment",
            _ => continue,
        };
        let cells: Vec<Vec3> = f
            .cells_of(z as u8)
            .map(|k| plan.head.point_of_chart(f.cell_centre(k % f.nu, k / f.nu)))
            .collect();
        if cells.is_empty() {
            continue;
        }
        let centre = plan.head.project(
            cells.iter().fold(Vec3::new(0.0, 0.0, 0.0), |a, &p| a + p) * (1.0 / cells.len() as f64),
        );
        let facing = |v: &View| plan.head.normal(centre).dot(v.toward);
        let Some((k, (v, rim))) = views
            .iter()
            .enumerate()
            .max_by(|a, b| facing(&a.1 .0).total_cmp(&facing(&b.1 .0)))
        else {
            continue;
        };
        if facing(v) <= 0.1 {
            continue;
        }
        let (x, _) = v.project(centre);
        let shown: Vec<Pt> = cells
            .iter()
            .filter(|p| v.faces(plan, **p, 0.05))
            .map(|p| v.project(*p))
            .collect();
        let (_, _, _, y1) = bounds(&shown);
        let text = format!("{}: {what}, {:.1} cm²", stats.spec.id, stats.area_cm2);
        // Under the zone, centred on it (text about half its size wide per character), within the view.
        let wide = text.chars().count() as f64 * 2.8 * 0.5;
        let (vx0, _, vx1, _) = bounds(&v.silhouette(plan, rim, treated));
        out[k].push(Label {
            anchor: v.project(centre),
            at: (
                (x - wide / 2.0).clamp(vx0, (vx1 - wide).max(vx0)),
                y1.max(v.project(centre).1) + 4.0,
            ),
            size: 2.8,
            fill: BLACK,
            text,
        });
    }
    out
}

/// The point of the head farthest along `d` among those at the view's silhouette (normal ⟂ view).
fn silhouette_point(plan: &Plan, d: Vec3, toward: Vec3) -> Vec3 {
    // Walk the great circle from the view direction to `d`; keep the surface point whose normal turns away.
    let mut best = plan.head.point_along(d);
    for i in 0..=60 {
        let t = i as f64 / 60.0;
        let dir = (toward * (1.0 - t) + d * t).normalized();
        let p = plan.head.point_along(dir);
        if plan.head.normal(p).dot(toward) >= 0.0 {
            best = p;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A probe printed a stencil whose title and note ran off page 1 onto page 2 ("od 6", "Front v") and a
    /// long client name cut short: every line above the views now fits the first page, the whole title kept.
    #[test]
    fn the_title_and_note_fit_the_first_page() {
        let p = follicle_core::plan(&follicle_core::demo_design()).unwrap();
        let title = "Stencil for Łukasz Żółkiewski-Søren Ødegård-Abernathy-Wolfeschlegel 王小龍 - norwood 6, B 80.0 mm, three sessions";
        let s = build(&p, title);
        let mut words = Vec::new();
        let mut lines = 0;
        for sh in &s.shapes {
            if let Shape::Text {
                at,
                size,
                text,
                fill,
            } = sh
            {
                let title = *size == TITLE_SIZE;
                if title || (*size == NOTE_SIZE && *fill == GREY) {
                    let w = follicle_fonts::width(text, *size, false);
                    assert!(at.0 + w <= MARGIN + TEXT_WIDTH_MM + 1e-9, "{text}: {w} mm");
                }
                if title {
                    words.extend(text.split(' ').map(str::to_string));
                    lines += 1;
                }
            }
        }
        assert!(lines >= 2, "a long title wraps");
        // The session legend stays within the first column of pages too (its third entry ran onto page 2).
        for sh in &s.shapes {
            if let Shape::Text { at, size, text, .. } = sh {
                if text.starts_with("session ") {
                    let right = at.0 + follicle_fonts::width(text, *size, false);
                    assert!(
                        right <= MARGIN + TEXT_WIDTH_MM,
                        "{text}: ends at {right} mm"
                    );
                }
            }
        }
        assert_eq!(
            words.join(" "),
            title,
            "every word of the title kept, in order"
        );
        // The views move down to make room: nothing drawn above them overlaps.
        let short = build(&p, "t");
        assert!(s.height_mm > short.height_mm);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_a_word_only_when_it_must() {
        assert_eq!(wrap("a b", 6.0, 175.0), vec!["a b"]);
        let long = "x".repeat(200);
        let lines = wrap(&long, 6.0, 50.0);
        assert!(lines.len() > 3 && lines.concat() == long, "{lines:?}");
        assert_eq!(wrap("", 6.0, 50.0), vec![""]);
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
        let s = build(&p, "t");
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
        // two, each view's name above it.
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
        assert_eq!(names, ["Top view (face up)", "Front view", "Back view"]);
    }

    #[test]
    fn a_layout_from_the_first_session_finishes_as_the_whole_plan_s_stencil() {
        use follicle_core::planner::{Geometry, Planner};
        let d = follicle_core::demo_design();
        let g = Geometry::new(&d).unwrap();
        let mut planner = Planner::start(&d, &g).unwrap();
        planner.step();
        let first = planner.plan();
        while !planner.done() {
            planner.step();
        }
        let whole = planner.into_plan();
        assert!(first.impressions.len() < whole.impressions.len());
        assert!(layout(&first, "t").finish(&whole) == build(&whole, "t"));
    }

    #[test]
    fn sessions_drawn_early_give_the_same_svg_and_pdf() {
        use crate::tiles::Paper;
        use follicle_core::planner::{Geometry, Planner};
        let d = follicle_core::demo_design();
        let g = Geometry::new(&d).unwrap();
        let mut planner = Planner::start(&d, &g).unwrap();
        let mut l = None;
        while !planner.done() {
            planner.step();
            if !planner.done() {
                let so_far = planner.plan();
                l.get_or_insert_with(|| layout(&so_far, "t"))
                    .draw_session(&so_far);
            }
        }
        let whole = planner.into_plan();
        let early = l.unwrap().finish(&whole);
        let plain = build(&whole, "t");
        assert_eq!(early.shapes, plain.shapes);
        // Two sessions of three drawn early, in each of the three views (the demo treats the back too).
        assert_eq!(early.drawn.len(), 6);
        assert!(plain.drawn.is_empty());
        for paper in [Paper::A4, Paper::Letter] {
            assert!(
                crate::svg::stencil_svg_on(&early, paper)
                    == crate::svg::stencil_svg_on(&plain, paper)
            );
            assert!(
                crate::pdf::stencil_pdf(&early, paper) == crate::pdf::stencil_pdf(&plain, paper)
            );
        }
        // A shape drawn early is what the writers draw in place.
        let (at, drawn) = &early.drawn[0];
        assert!(crate::svg::stencil_svg_on(&plain, Paper::A4).contains(&drawn.svg));
        assert!(matches!(plain.shapes[*at], Shape::Dots { .. }));
    }
}
