//! impressions.csv: one row per impression for spreadsheet users (RFC 4180 quoting).

use crate::num::{push_fixed, push_uint};
use follicle_core::plan::Plan;

/// A text cell: quoted when it holds a comma, a quote or a line break, and a text that a spreadsheet would
/// run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return: a zone id or shade from a
/// case file, outside probe s28) kept as text by a leading apostrophe (OWASP's advice on CSV injection).
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The CSV's header line.
pub const CSV_HEADER: &str = "index,session,zone,x_mm,y_mm,z_mm,diameter_mm,needle,shade\n";

/// The CSV text: index, session, zone, x/y/z in mm, diameter, needle, shade.
pub fn impressions_csv(plan: &Plan) -> String {
    let mut out = String::with_capacity(plan.impressions.len() * 64 + 64);
    out.push_str(CSV_HEADER);
    push_impression_rows(&mut out, plan, 0..plan.impressions.len());
    out
}

/// Appends the CSV rows of impressions `range` of `plan` (numbered from the range's start). A row depends
/// only on its impression, its index and its zone's design, so the rows of sessions already placed can be
/// written while later sessions are.
pub fn push_impression_rows(out: &mut String, plan: &Plan, range: std::ops::Range<usize>) {
    let first = range.start;
    let impressions = &plan.impressions[range];
    // The text around the numbers is the same for every impression of a zone in a session: built once.
    let sessions = impressions.iter().map(|m| m.session).max().unwrap_or(0);
    let parts: Vec<Vec<(String, String)>> = plan
        .zones
        .iter()
        .map(|z| {
            let z = &z.spec;
            (0..=sessions)
                .map(|k| {
                    (
                        format!(",{},", field(&z.id)),
                        format!(
                            ",{},{}\n",
                            z.needle.config.as_str(),
                            field(&z.shade_label(k.max(1)))
                        ),
                    )
                })
                .collect()
        })
        .collect();
    for (i, m) in impressions.iter().enumerate() {
        let (zone, tail) = &parts[m.zone][m.session];
        push_uint(out, (first + i) as u64 + 1);
        out.push(',');
        push_uint(out, m.session as u64);
        out.push_str(zone);
        push_fixed(out, m.p.x, 4);
        out.push(',');
        push_fixed(out, m.p.y, 4);
        out.push(',');
        push_fixed(out, m.p.z, 4);
        out.push(',');
        push_fixed(out, m.diameter_mm, 4);
        out.push_str(tail);
    }
}

/// The same text written the plain way (`format!` per row): the reference the fast writer must equal.
#[cfg(test)]
fn impressions_csv_reference(plan: &Plan) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str("index,session,zone,x_mm,y_mm,z_mm,diameter_mm,needle,shade\n");
    for (i, m) in plan.impressions.iter().enumerate() {
        let z = &plan.zones[m.zone].spec;
        let _ = writeln!(
            out,
            "{},{},{},{:.4},{:.4},{:.4},{:.4},{},{}",
            i + 1,
            m.session,
            field(&z.id),
            m.p.x,
            m.p.y,
            m.p.z,
            m.diameter_mm,
            z.needle.config.as_str(),
            field(&z.shade_label(m.session))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("carbon black 40%"), "carbon black 40%");
        assert_eq!(field("brown, warm"), "\"brown, warm\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        // A text a spreadsheet would run as a formula stays text.
        assert_eq!(field("=cmd|' /C calc'!A0 35%"), "'=cmd|' /C calc'!A0 35%");
        assert_eq!(field("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(field("+1,2"), "\"'+1,2\"");
        assert_eq!(field("-x"), "'-x");
    }

    #[test]
    fn the_fast_writer_prints_the_same_bytes() {
        use follicle_core::design::Pattern;
        use follicle_core::{pattern_design, HeadMeasurements, Sex};
        let mut d = pattern_design(
            Pattern::Norwood(5),
            HeadMeasurements::median(Sex::Male),
            3,
            11,
        );
        d.zones[0].shade = "brown, \"warm\"".into();
        d.zones[0].dilution = vec![0.4, 0.55, 0.7];
        let p = follicle_core::plan(&d).unwrap();
        let fast = impressions_csv(&p);
        assert!(fast.contains("\"brown, \"\"warm\"\" 55%\""));
        assert_eq!(fast, impressions_csv_reference(&p));
        // Rows written in pieces (as sessions are placed) are the same text.
        let n = p.impressions.len();
        for cut in [0, 1, n / 3, n - 1, n] {
            let mut pieces = String::from(CSV_HEADER);
            push_impression_rows(&mut pieces, &p, 0..cut);
            push_impression_rows(&mut pieces, &p, cut..n);
            assert!(pieces == fast, "cut at {cut}");
        }
    }
}
