//! Placing the stencil's labels while the last session is still being placed. The labels avoid the lines
//! and the texts of the sheet, never the impressions' dots; the only texts the last session changes are the
//! impression counts of the note and the legend, which the plan's targets give in advance (the planner
//! places exactly each zone's target count). The labels placed ahead are kept only when the finished sheet
//! has the very lines and texts they were placed among; otherwise they are placed again.

use super::{legend, Layout};
use crate::labels::{self, Box2};
use crate::stencil::{Pt, Shape};
use follicle_core::plan::Plan;
use follicle_core::sampler::target_counts;

/// The impression counts a sheet prints: in all, and per session (number, impressions, cumulative fraction).
pub(super) struct Counts {
    pub total: usize,
    pub sessions: Vec<(usize, usize, f64)>,
}

impl Counts {
    /// The counts of `plan` as placed.
    pub fn of(plan: &Plan) -> Counts {
        Counts {
            total: plan.impressions.len(),
            sessions: plan
                .sessions
                .iter()
                .map(|s| (s.index, s.impressions, s.cumulative_fraction))
                .collect(),
        }
    }

    /// The counts `plan` (its first `placed` sessions placed) will have once every session is placed: each
    /// later session brings every zone up to its target.
    fn expected(plan: &Plan, placed: usize) -> Counts {
        let d = &plan.design;
        let mut cumulative: Vec<usize> = plan
            .zones
            .iter()
            .map(|z| placed.checked_sub(1).map_or(0, |k| z.cumulative[k]))
            .collect();
        let sessions: Vec<(usize, usize, f64)> = plan
            .sessions
            .iter()
            .map(|s| {
                if s.index <= placed {
                    return (s.index, s.impressions, s.cumulative_fraction);
                }
                let targets =
                    target_counts(&plan.field, &d.zones, &d.cumulative_fractions, s.index);
                let mut added = 0;
                for (c, t) in cumulative.iter_mut().zip(targets) {
                    added += t.saturating_sub(*c);
                    *c = (*c).max(t);
                }
                (s.index, added, s.cumulative_fraction)
            })
            .collect();
        Counts {
            total: sessions.iter().map(|s| s.1).sum(),
            sessions,
        }
    }
}

/// Labels placed ahead, and the lines and text boxes they were placed among.
pub(super) struct Ahead {
    pub lines: Vec<(Pt, Pt)>,
    pub taken: Vec<Box2>,
    pub placed: Vec<Shape>,
}

impl Layout {
    /// Places the labels for the whole plan of which `plan` has the sessions drawn so far placed
    /// ([`Layout::draw_session`]), so that [`Layout::finish`] need not (the same sheet either way).
    pub fn place_labels_ahead(&mut self, plan: &Plan) {
        let placed = self.sessions.first().map_or(0, Vec::len);
        let counts = Counts::expected(plan, placed);
        // The sheet's shapes in `finish`'s order, less the impressions' dots (neither lines nor texts).
        let heading = self.heading(&counts);
        let legend = legend(self.footer_left, self.footer_bottom, &counts);
        let mut parts: Vec<&[Shape]> = vec![&heading];
        for (_, under, over) in &self.views {
            parts.push(under);
            parts.push(over);
        }
        parts.push(&self.footer);
        parts.push(&legend);
        let lines: Vec<(Pt, Pt)> = parts.iter().flat_map(|p| labels::segments(p)).collect();
        let taken: Vec<Box2> = parts
            .iter()
            .flat_map(|p| labels::label_boxes(p))
            .map(|(b, _)| b)
            .chain(super::seam_boxes(&self.seams, self.height_mm))
            .collect();
        let sheet = [0.0, 0.0, self.width_mm, self.height_mm];
        let placed = labels::place(&self.labels, &lines, &mut taken.clone(), sheet);
        self.ahead = Some(Ahead {
            lines,
            taken,
            placed,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::build;
    use super::super::layout;
    use super::*;
    use follicle_core::planner::{Geometry, Planner};

    /// The layout drawn as the CLI draws it (every session but the last drawn early, the labels placed
    /// ahead), the plan so far before the last session, and the whole plan.
    fn drawn_early(d: &follicle_core::Design) -> (Layout, Plan, Plan) {
        let g = Geometry::new(d).unwrap();
        let mut planner = Planner::start(d, &g).unwrap();
        let (mut l, mut so_far) = (None, None);
        while !planner.done() {
            planner.step();
            if !planner.done() {
                let p = planner.plan();
                l.get_or_insert_with(|| layout(&p, "t", crate::tiles::Paper::A4))
                    .draw_session(&p);
                so_far = Some(p);
            }
        }
        let so_far = so_far.unwrap();
        let mut l = l.unwrap();
        l.place_labels_ahead(&so_far);
        (l, so_far, planner.into_plan())
    }

    #[test]
    fn labels_placed_ahead_are_the_finished_sheet_s() {
        let d = follicle_core::demo_design();
        let (l, so_far, whole) = drawn_early(&d);
        // The counts expected before the last session are the ones placed.
        let (expected, got) = (Counts::expected(&so_far, 2), Counts::of(&whole));
        assert_eq!(expected.total, got.total);
        assert_eq!(expected.sessions, got.sessions);
        assert!(so_far.impressions.len() < whole.impressions.len());
        let ahead = l.ahead.as_ref().unwrap();
        assert!(!ahead.placed.is_empty() && !ahead.lines.is_empty());
        let placed = ahead.placed.clone();
        let st = l.finish(&whole);
        assert_eq!(
            st.shapes,
            build(&whole, "t", crate::tiles::Paper::A4).shapes
        );
        assert!(
            st.shapes.ends_with(&placed),
            "the labels placed ahead are kept"
        );
    }

    #[test]
    fn labels_placed_among_other_texts_are_placed_again() {
        let d = follicle_core::demo_design();
        let (mut l, _, whole) = drawn_early(&d);
        // As if the last session had not reached the counts expected: the texts differ, the labels go.
        let ahead = l.ahead.as_mut().unwrap();
        ahead.taken.push([0.0, 0.0, 1.0, 1.0]);
        ahead.placed.clear();
        assert_eq!(
            l.finish(&whole).shapes,
            build(&whole, "t", crate::tiles::Paper::A4).shapes
        );
    }
}
