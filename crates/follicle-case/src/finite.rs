//! TOML can write `nan` and `inf` as numbers. No field of a case file means either: a NaN passes every
//! range check written as `x < lo || x > hi` (outside probe s12: `nan` in an exclusion's polygon planned
//! without a word, and a head measurement of `nan` read "no number mm is outside the plausible range").
//! So the file is refused at the first such value, named by its field, before any other check.

use crate::error::CaseError;
use toml_edit::{Item, Value};

/// The first `nan` or `inf` in `src` (a TOML document that parses), as an error at its field.
pub(crate) fn refuse_non_finite(name: &str, src: &str) -> Result<(), CaseError> {
    let Ok(doc) = toml_edit::ImDocument::parse(src.to_string()) else {
        return Ok(());
    };
    let mut path = Vec::new();
    match in_item(doc.as_item(), &mut path) {
        Some(x) => {
            let words: Vec<&str> = path.iter().map(String::as_str).collect();
            Err(CaseError::at_as(
                name,
                src,
                &words,
                &said(doc.as_item(), &path),
                format!(
                    "`{}` is not a number that can be used here: give a finite number",
                    if x.is_nan() {
                        "nan"
                    } else if x > 0.0 {
                        "inf"
                    } else {
                        "-inf"
                    }
                ),
                Some("docs/case-format.md gives each field's unit and range".into()),
            ))
        }
        None => Ok(()),
    }
}

/// The field at `path` as the other checks say it: "zone `m` polygon point 3" (outside test s43:
/// `zone.0.polygon.2.0`, whose numbers mean nothing to the reader), "hairline control point 2", else dotted.
fn said(doc: &Item, path: &[String]) -> String {
    let index = |i: usize| path.get(i).and_then(|p| p.parse::<usize>().ok());
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < path.len() {
        let p = path[i].as_str();
        match (p, index(i + 1)) {
            ("zone", Some(n)) => {
                let id = doc
                    .get("zone")
                    .and_then(Item::as_array_of_tables)
                    .and_then(|a| a.get(n))
                    .and_then(|t| t.get("id"))
                    .and_then(Item::as_str)
                    .filter(|id| id.chars().all(|c| !c.is_control()));
                parts.push(id.map_or(format!("zone {}", n + 1), |id| format!("zone `{id}`")));
                i += 2;
            }
            ("polygon" | "control_points", Some(k)) => {
                let what = if p == "polygon" {
                    "polygon point"
                } else {
                    "control point"
                };
                parts.push(format!("{what} {}", k + 1));
                // The coordinate within the point is the point's.
                i += if index(i + 2).is_some() { 3 } else { 2 };
            }
            _ => {
                parts.push(p.to_string());
                i += 1;
            }
        }
    }
    if path.iter().any(|p| p.parse::<usize>().is_ok()) {
        parts.join(" ")
    } else {
        path.join(".")
    }
}

/// Depth first; `path` is left at the value found.
fn in_item(item: &Item, path: &mut Vec<String>) -> Option<f64> {
    match item {
        Item::Value(v) => in_value(v, path),
        Item::Table(t) => t
            .iter()
            .find_map(|(k, i)| within(path, k, |p| in_item(i, p))),
        Item::ArrayOfTables(a) => a.iter().enumerate().find_map(|(n, t)| {
            within(path, &n.to_string(), |p| {
                t.iter().find_map(|(k, i)| within(p, k, |p| in_item(i, p)))
            })
        }),
        Item::None => None,
    }
}

fn in_value(v: &Value, path: &mut Vec<String>) -> Option<f64> {
    match v {
        Value::Float(f) if !f.value().is_finite() => Some(*f.value()),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(n, x)| within(path, &n.to_string(), |p| in_value(x, p))),
        Value::InlineTable(t) => t
            .iter()
            .find_map(|(k, x)| within(path, k, |p| in_value(x, p))),
        _ => None,
    }
}

/// `f` with `key` pushed on `path`, popped again unless `f` found something.
fn within(
    path: &mut Vec<String>,
    key: &str,
    f: impl FnOnce(&mut Vec<String>) -> Option<f64>,
) -> Option<f64> {
    path.push(key.to_string());
    let found = f(path);
    if found.is_none() {
        path.pop();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_inf_are_refused_at_their_field() {
        for (src, field, shown) in [
            (
                "seed = 1\n[head]\ncircumference_mm = nan\n",
                "head.circumference_mm",
                "`nan`",
            ),
            (
                "[[zone]]\nid = \"a\"\n[[zone]]\nid = \"m\"\npolygon = [[1, 2], [3, -inf]]\n",
                "zone `m` polygon point 2",
                "`-inf`",
            ),
            ("x = { y = inf }\n", "x.y", "`inf`"),
            (
                "[hairline]\ncontrol_points = [[1, 2, 3], [nan, 2, 3]]\n",
                "hairline control point 2",
                "`nan`",
            ),
        ] {
            let e = refuse_non_finite("c.toml", src).unwrap_err();
            assert!(
                e.message
                    .starts_with(&format!("{field}: {shown} is not a number")),
                "{}",
                e.message
            );
        }
        assert!(refuse_non_finite("c.toml", "a = 1.5\nb = [1, 2.0]\n[c]\nd = -3e10\n").is_ok());
    }
}
