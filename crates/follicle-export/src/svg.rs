//! stencil.svg: the plan seen from the top and from the front at true scale (1 SVG unit = 1 mm, page size
//! in mm, a 10 mm scale bar), zones outlined, the hairline drawn, impressions coloured by session.

use follicle_core::geom::Vec3;
use follicle_core::plan::Plan;
use std::fmt::Write;

/// Session colours (colour-blind friendly order).
pub const SESSION_COLOURS: [&str; 6] = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9"];

/// An orthographic view: which way it looks and where it sits on the page.
struct View {
    name: &'static str,
    /// Page position of the head-frame origin, mm.
    ox: f64,
    oy: f64,
    /// Direction toward the viewer (surface visible where the normal points this way).
    toward: Vec3,
}

impl View {
    fn project(&self, p: Vec3) -> (f64, f64) {
        if self.toward.z > 0.5 {
            // From above, face up the page: client's right on the page's right.
            (self.ox + p.x, self.oy - p.y)
        } else {
            // From the front: client's right on the page's left.
            (self.ox - p.x, self.oy - p.z)
        }
    }
}

/// The stencil SVG document.
pub fn stencil_svg(plan: &Plan, title: &str) -> String {
    let (w, h) = (400.0, 280.0);
    let views = [
        View { name: "Top view (face up)", ox: 105.0, oy: 150.0, toward: Vec3::new(0.0, 0.0, 1.0) },
        View { name: "Front view", ox: 300.0, oy: 200.0, toward: Vec3::new(0.0, 1.0, 0.0) },
    ];
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(s, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" font-family="sans-serif">"#);
    let _ = writeln!(s, r#"<title>{}</title>"#, esc(title));
    let _ = writeln!(s, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
    let _ = writeln!(s, r##"<text x="10" y="12" font-size="6" fill="#222">{}</text>"##, esc(title));
    let _ = writeln!(
        s,
        r##"<text x="10" y="19" font-size="3.5" fill="#444">Printed at 100 % this sheet is 1:1 (1 unit = 1 mm). {} impressions, {} sessions; dots enlarged to 0.6 mm for legibility (healed 0.10–0.25 mm).</text>"##,
        plan.impressions.len(),
        plan.sessions.len()
    );
    for v in &views {
        let (cx, _) = v.project(Vec3::new(0.0, 0.0, 0.0));
        let _ = writeln!(s, r##"<text x="{cx:.1}" y="28" font-size="4.5" fill="#222" text-anchor="middle">{}</text>"##, v.name);
        // Head silhouette: the outline of the visible surface, sampled around the view direction.
        let _ = write!(s, r##"<path fill="#f6e7dc" stroke="#b89a86" stroke-width="0.4" d=""##);
        for i in 0..=180 {
            let a = i as f64 / 180.0 * std::f64::consts::TAU;
            let d = if v.toward.z > 0.5 { Vec3::new(a.cos(), a.sin(), 0.0) } else { Vec3::new(a.cos(), 0.0, a.sin()) };
            let p = silhouette_point(plan, d, v.toward);
            let (x, y) = v.project(p);
            let _ = write!(s, "{}{x:.2} {y:.2} ", if i == 0 { "M" } else { "L" });
        }
        let _ = writeln!(s, r#"Z"/>"#);
        // Zone outlines (marching squares over the zone raster).
        let _ = write!(s, r##"<path fill="none" stroke="#555" stroke-width="0.3" d=""##);
        for z in 0..plan.zones.len() as u8 {
            for [a, b] in plan.field.outline(z) {
                let (pa, pb) = (plan.head.point_of_chart(a), plan.head.point_of_chart(b));
                if plan.head.normal(pa).dot(v.toward) > 0.05 {
                    let (xa, ya) = v.project(pa);
                    let (xb, yb) = v.project(pb);
                    let _ = write!(s, "M{xa:.2} {ya:.2}L{xb:.2} {yb:.2}");
                }
            }
        }
        let _ = writeln!(s, r#""/>"#);
        // Impressions, later sessions on top.
        for k in 1..=plan.sessions.len() {
            let colour = SESSION_COLOURS[(k - 1) % SESSION_COLOURS.len()];
            let _ = write!(s, r#"<g fill="{colour}">"#);
            for m in plan.impressions.iter().filter(|m| m.session == k) {
                if plan.head.normal(m.p).dot(v.toward) > 0.05 {
                    let (x, y) = v.project(m.p);
                    let _ = write!(s, r#"<circle cx="{x:.2}" cy="{y:.2}" r="0.3"/>"#);
                }
            }
            let _ = writeln!(s, "</g>");
        }
        if let Some(hl) = &plan.hairline {
            let _ = write!(s, r##"<path fill="none" stroke="#c0392b" stroke-width="0.5" d=""##);
            for (i, p) in hl.polyline.iter().enumerate() {
                if plan.head.normal(*p).dot(v.toward) > 0.0 {
                    let (x, y) = v.project(*p);
                    let _ = write!(s, "{}{x:.2} {y:.2}", if i == 0 { "M" } else { "L" });
                }
            }
            let _ = writeln!(s, r#""/>"#);
        }
        for (name, p) in plan.landmarks.named() {
            if plan.head.normal(p).dot(v.toward) > 0.1 {
                let (x, y) = v.project(p);
                let _ = writeln!(s, r##"<g stroke="#111" stroke-width="0.3"><line x1="{:.2}" y1="{y:.2}" x2="{:.2}" y2="{y:.2}"/><line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{:.2}"/></g><text x="{:.2}" y="{:.2}" font-size="2.2" fill="#111">{}</text>"##, x - 1.5, x + 1.5, y - 1.5, y + 1.5, x + 1.8, y - 1.0, name.replace('_', " "));
            }
        }
    }
    // Scale bar and legend.
    let _ = writeln!(s, r##"<g stroke="#000" stroke-width="0.5"><line x1="10" y1="268" x2="20" y2="268"/><line x1="10" y1="266" x2="10" y2="270"/><line x1="20" y1="266" x2="20" y2="270"/></g><text x="22" y="269.5" font-size="3.5">10 mm</text>"##);
    for (k, ss) in plan.sessions.iter().enumerate() {
        let x = 50.0 + k as f64 * 80.0;
        let _ = writeln!(
            s,
            r##"<circle cx="{x}" cy="268" r="1.5" fill="{}"/><text x="{:.1}" y="269.5" font-size="3.5">session {}: {} impressions ({:.0} %)</text>"##,
            SESSION_COLOURS[k % SESSION_COLOURS.len()],
            x + 3.0,
            ss.index,
            ss.impressions,
            ss.cumulative_fraction * 100.0
        );
    }
    let _ = writeln!(s, "</svg>");
    s
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
