//! impressions.csv: one row per impression for spreadsheet users (RFC 4180 quoting).

use follicle_core::plan::Plan;
use std::fmt::Write;

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV text: index, session, zone, x/y/z in mm, diameter, needle, shade.
pub fn impressions_csv(plan: &Plan) -> String {
    let mut out = String::with_capacity(plan.impressions.len() * 64);
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
    }
}
