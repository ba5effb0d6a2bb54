//! A planning error said at the line of the case file it is about: the planner (follicle-core) knows zones
//! by id and the design by its fields, not the file; this finds the `[[zone]]` table, the pattern or the
//! hairline setting the error names, so the CLI, the server and the browser all say where to look.

use crate::{CaseError, CaseFile};
use follicle_core::field::FieldError;
use follicle_core::PlanError;

/// Whether the case `src` is a scar repair alone (`pattern = "scars-only"`): with no zone treated, its scar
/// is not drawn yet (the studio starts one from a consultation's scar).
pub fn is_scars_only(src: &str) -> bool {
    scars_only(toml::from_str::<CaseFile>(src).ok().as_ref())
}

fn scars_only(file: Option<&CaseFile>) -> bool {
    file.and_then(|f| f.pattern.as_deref())
        .and_then(crate::parse_pattern)
        == Some(follicle_core::Pattern::ScarsOnly)
}

/// What to do when no zone of the case is treated.
fn nothing_treated_help(file: Option<&CaseFile>) -> &'static str {
    if scars_only(file) {
        "the scars-only pattern treats only the scars the design draws: add a [[zone]] with kind = \"scar\" and its polygon (in the studio, draw it on the top view with “Draw scar”)"
    } else {
        "treat at least one zone: remove a `treated = false`, or add a [[zone]] with kind = \"density\" or \"scar\""
    }
}

/// `e` (from planning the design parsed from `src`) as a case-file error at the line it is about, where it
/// names one; otherwise at the file.
pub fn plan_error_at(name: &str, src: &str, e: &PlanError) -> CaseError {
    let file: Option<CaseFile> = toml::from_str(src).ok();
    let zone_index = |id: &str| {
        file.as_ref()
            .and_then(|f| f.zone.iter().position(|z| z.id == id))
    };
    let has = |table: &str, key: &str| src_has(src, table, key);
    let (path, help): (Vec<String>, Option<&str>) = match e {
        PlanError::Field(FieldError::EmptyZone(id)) => match zone_index(id) {
            Some(i) => (
                vec!["zone".into(), i.to_string(), "polygon".into()],
                Some("draw the zone where the scalp is free, or list it before the zone that covers it"),
            ),
            None => (vec![], None),
        },
        PlanError::Field(FieldError::CoveredZone(_)) => (
            file.as_ref()
                .filter(|f| !f.zone.is_empty())
                .map(|_| vec!["zone".into(), "0".into()])
                .unwrap_or_default(),
            None,
        ),
        PlanError::Field(FieldError::NoRoomForZone(_)) => {
            let key = ["zone_width_mm", "mid_frontal_height_mm", "recession_mm"]
                .into_iter()
                .find(|k| has("hairline", k));
            match key {
                Some(k) => (vec!["hairline".into(), k.into()], None),
                None => (vec![], None),
            }
        }
        PlanError::NothingTreated => (
            if has("", "pattern") { vec!["pattern".into()] } else { vec![] },
            Some(nothing_treated_help(file.as_ref())),
        ),
        _ => (vec![], None),
    };
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    if path.is_empty() {
        return CaseError::plain(name, format!("cannot plan this case: {e}"))
            .with_help(help.map(str::to_string));
    }
    CaseError::at_as(
        name,
        src,
        &path,
        "cannot plan this case",
        e.to_string(),
        help.map(str::to_string),
    )
}

/// Whether `src` sets `key` in `[table]` (`""`: at the top of the file).
fn src_has(src: &str, table: &str, key: &str) -> bool {
    let Ok(doc) = src.parse::<toml_edit::DocumentMut>() else {
        return false;
    };
    let t = if table.is_empty() {
        Some(doc.as_table())
    } else {
        doc.get(table).and_then(|t| t.as_table())
    };
    t.is_some_and(|t| t.contains_key(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(src: &str) -> String {
        let case = crate::parse("c.toml", src, &crate::Overrides::default()).expect("parses");
        let Err(e) = follicle_core::plan::plan(&case.design) else {
            panic!("planned: {src}")
        };
        plan_error_at("c.toml", src, &e).to_string()
    }

    #[test]
    fn a_zone_hidden_by_another_is_said_at_its_polygon() {
        let e = said("[[zone]]\nid = \"a\"\nkind = \"scar\"\npolygon = [[0, -60], [20, -60], [10, -40]]\n[[zone]]\nid = \"b\"\nkind = \"scar\"\npolygon = [[0, -60], [20, -60], [10, -40]]\n");
        assert!(
            e.starts_with("c.toml:8: cannot plan this case: zone `b` covers no part"),
            "{e}"
        );
    }

    #[test]
    fn no_room_behind_the_hairline_names_the_hairline_settings() {
        let e = said("pattern = \"norwood-6\"\n[head]\nlength_mm = 160\nbreadth_mm = 120\nheight_mm = 100\n[hairline]\nmid_frontal_height_mm = 60\nrecession_mm = 30\nzone_width_mm = 40\ntransition_mm = 10\nstyle = \"juvenile\"\n");
        assert!(
            e.starts_with(
                "c.toml:9: cannot plan this case: the pattern's zone `frontal` has no scalp left"
            ),
            "{e}"
        );
        assert!(
            e.contains("zone_width_mm") && !e.contains("your own zones"),
            "{e}"
        );
    }

    #[test]
    fn no_zone_treated_is_said_at_the_pattern() {
        let mut src = String::from("pattern = \"norwood-2\"\n");
        for z in [
            "hairline",
            "temples",
            "crown",
            "frontal",
            "mid_scalp",
            "sides",
            "back",
        ] {
            src.push_str(&format!("[zones.{z}]\ntreated = false\n"));
        }
        let src = src.as_str();
        let case = crate::parse("c.toml", src, &crate::Overrides::default()).expect("parses");
        let Err(e) = follicle_core::plan::plan(&case.design) else {
            panic!("a case with no zone treated is planned")
        };
        assert!(matches!(e, PlanError::NothingTreated), "{e:?}");
        let e = plan_error_at("c.toml", src, &e);
        assert!(
            e.to_string().starts_with("c.toml:1: cannot plan this case"),
            "{e}"
        );
        let help = miette::Diagnostic::help(&e)
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(help.contains("treat at least one zone"), "{help}");
    }

    #[test]
    fn a_pattern_left_with_only_its_retained_hair_blend_is_not_planned() {
        // Norwood 2 treats its hairline and temples; without them only the light blend into the client's
        // own hair is left, which meets nothing (outside probe s22).
        let src = "pattern = \"norwood-2\"\n[zones.hairline]\ntreated = false\n[zones.temples]\ntreated = false\n";
        let case = crate::parse("c.toml", src, &crate::Overrides::default()).expect("parses");
        assert!(case
            .design
            .zones
            .iter()
            .all(|z| z.kind == follicle_core::ZoneKind::Blend));
        let Err(e) = follicle_core::plan::plan(&case.design) else {
            panic!("a case with only blend zones is planned")
        };
        assert!(matches!(e, PlanError::NothingTreated), "{e:?}");
        let e = plan_error_at("c.toml", src, &e).to_string();
        assert!(e.contains("blend zones only meet treated ones"), "{e}");
    }
}
