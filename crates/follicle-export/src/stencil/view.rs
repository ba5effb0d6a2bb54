//! The stencil's orthographic views of the head (top, front, back): where a surface point lands on the
//! sheet, which points a view shows, the head's outline seen from it, and the surface paths drawn on it.

use super::Pt;
use follicle_core::design::ZoneKind;
use follicle_core::geom::Vec3;
use follicle_core::plan::Plan;

/// An orthographic view of the head.
#[derive(Clone, Copy)]
pub(super) struct View {
    /// The name printed above it.
    pub(super) name: &'static str,
    /// Direction toward the viewer (surface visible where the normal points this way).
    pub(super) toward: Vec3,
    /// Sheet position of the head-frame origin, mm.
    pub(super) ox: f64,
    /// See `ox`.
    pub(super) oy: f64,
}

impl View {
    pub(super) fn top() -> View {
        View {
            name: "Top view (face up)",
            toward: Vec3::new(0.0, 0.0, 1.0),
            ox: 0.0,
            oy: 0.0,
        }
    }
    pub(super) fn front() -> View {
        View {
            name: "Front view",
            toward: Vec3::new(0.0, 1.0, 0.0),
            ox: 0.0,
            oy: 0.0,
        }
    }
    pub(super) fn back() -> View {
        View {
            name: "Back view",
            toward: Vec3::new(0.0, -1.0, 0.0),
            ox: 0.0,
            oy: 0.0,
        }
    }
    pub(super) fn project(&self, p: Vec3) -> Pt {
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
    pub(super) fn faces(&self, plan: &Plan, p: Vec3, min: f64) -> bool {
        plan.head.normal(p).dot(self.toward) > min
    }
    /// The surface points of the head's outline seen from this view (180 directions around it).
    pub(super) fn rim(&self, plan: &Plan) -> Vec<Vec3> {
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
    pub(super) fn silhouette(
        &self,
        plan: &Plan,
        rim: &[Vec3],
        treated: &[(Vec3, Vec3)],
    ) -> Vec<Pt> {
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

/// The surface path from `p` to `q` (projected straight segment), as sampled points.
pub(super) fn surface_path(plan: &Plan, p: Vec3, q: Vec3) -> Vec<Vec3> {
    let steps = 60;
    (0..=steps)
        .map(|i| plan.head.project(p.lerp(q, i as f64 / steps as f64)))
        .collect()
}

/// Splits a sequence of surface points into the visible runs of a view.
pub(super) fn visible_runs(plan: &Plan, v: &View, pts: &[Vec3], min: f64) -> Vec<Vec<Pt>> {
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

/// The centres of the zone raster's cells that a treated zone covers (every zone but exclusions): what
/// the layout is sized for, the same for the first session as for the whole plan.
/// Each with its surface normal.
pub(super) fn treated_cells(plan: &Plan) -> Vec<(Vec3, Vec3)> {
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
