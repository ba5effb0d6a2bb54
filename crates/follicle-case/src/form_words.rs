//! A case error as a form shows it: the studio's design editor builds a case file behind its boxes, so
//! "case.toml:24: zones.crown.density_cm2: 250 … must be …" names a file and a line the practitioner never
//! sees (outside probe s26). In a form the error starts with the field in words ("Crown density: 250 …"),
//! without the file's location; the message itself is the one the CLI prints.

use crate::CaseError;

/// Words for a case file key, as the editor labels its boxes.
fn key_words(key: &str) -> String {
    let known = match key {
        "density_cm2" => "density",
        "coverage" => "existing-hair coverage",
        "dilution" => "strengths per session",
        "cumulative_fractions" => "session fractions",
        "needle" => "needle",
        "needle_diameter_mm" => "needle diameter",
        "shade" => "shade",
        "polygon" => "outline",
        "treated" => "treated",
        "mid_frontal_height_mm" => "mid-frontal height (B)",
        "zone_width_mm" => "hairline zone width",
        "transition_mm" => "soft transition",
        "recession_mm" => "recession",
        "irregularity" => "irregularity",
        "control_points" => "shaped points",
        "style" => "style",
        "edge" => "edge",
        "length_mm" => "length",
        "breadth_mm" => "breadth",
        "height_mm" => "height",
        "circumference_mm" => "circumference",
        "interpupillary_mm" => "interpupillary distance",
        "glabella_height_mm" => "glabella height",
        "sex" => "sex",
        "sessions" => "sessions",
        "seed" => "seed",
        "pattern" => "pattern",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    key.trim_end_matches("_mm")
        .trim_end_matches("_cm2")
        .replace('_', " ")
}

/// A dotted case-file path in words: `zones.crown.density_cm2` → "crown density", `hairline.recession_mm`
/// → "hairline recession", `zone.0.polygon` → "zone 1 outline"; `None` when `path` is no such path.
fn path_words(path: &str) -> Option<String> {
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let parts: Vec<&str> = path.split('.').collect();
    if !parts.iter().all(|p| ok(p)) {
        return None;
    }
    Some(match parts.as_slice() {
        ["zones", id, key] => format!("{} {}", id.replace('_', " "), key_words(key)),
        ["zones", id] => format!("{} zone", id.replace('_', " ")),
        ["zone", i, key] => match i.parse::<usize>() {
            Ok(n) => format!("zone {} {}", n + 1, key_words(key)),
            Err(_) => format!("zone {i} {}", key_words(key)),
        },
        ["hairline", key] => format!("hairline {}", key_words(key)),
        ["head", key] => format!("head {}", key_words(key)),
        ["client", key] => format!("client {}", key_words(key)),
        [key] => key_words(key),
        _ => return None,
    })
}

impl CaseError {
    /// The error as a form shows it: the field in words, then what is wrong, without the file's location
    /// (see the module doc). A message that starts with no field path is given as it is.
    pub fn form_words(&self) -> String {
        let said = match self.message.split_once(": ") {
            Some((path, rest)) => match path_words(path) {
                Some(words) => format!("{words}: {rest}"),
                None => self.message.clone(),
            },
            None => self.message.clone(),
        };
        let mut c = said.chars();
        match c.next() {
            Some(first) => first.to_uppercase().chain(c).collect(),
            None => said,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_path_is_said_in_words_without_the_file() {
        let e = CaseError::plain(
            "case.toml",
            "zones.crown.density_cm2: 250 impressions per cm² must be at least 5 and at most 200"
                .into(),
        );
        assert!(e.to_string().starts_with("case.toml: zones.crown"));
        assert_eq!(
            e.form_words(),
            "Crown density: 250 impressions per cm² must be at least 5 and at most 200"
        );
        let e = CaseError::plain(
            "case.toml",
            "hairline.mid_frontal_height_mm: 40 is below 60".into(),
        );
        assert_eq!(
            e.form_words(),
            "Hairline mid-frontal height (B): 40 is below 60"
        );
        let e = CaseError::plain("case.toml", "zone.0.polygon: fewer than 3 points".into());
        assert_eq!(e.form_words(), "Zone 1 outline: fewer than 3 points");
        let e = CaseError::plain(
            "case.toml",
            "zones.mid_scalp.coverage: 0.97 is above 0.95".into(),
        );
        assert_eq!(
            e.form_words(),
            "Mid scalp existing-hair coverage: 0.97 is above 0.95"
        );
        // No path first: the message as it is.
        let e = CaseError::plain("case.toml", "the TOML reader cannot read this line".into());
        assert_eq!(e.form_words(), "The TOML reader cannot read this line");
        let e = CaseError::plain("case.toml", "cannot plan: the zone is empty: here".into());
        assert_eq!(e.form_words(), "Cannot plan: the zone is empty: here");
    }
}
