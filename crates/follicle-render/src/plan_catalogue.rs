//! The catalogue a plan is drawn and its shades matched with: the clinic's own pigments (those recorded with
//! their colour) where the design's shades come from them, as a new design starts from them
//! ([`clinic_catalogue`], the rule `GET /api/clients/{id}/designs/start` follows), else the built-in catalogue,
//! with the colour the clinic recorded for any of its own pigments the design names. Which one, and why, in
//! words the preview shows beside the picture. The server's pictures (photo preview, mannequin preview,
//! client report) and the shade advice all take their catalogue from here.

use crate::shade::{Catalogue, Pigment};
use crate::start_shade::clinic_catalogue;
use follicle_core::{Plan, ZoneKind};

/// Where a plan's catalogue comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The clinic's own pigments with their recorded colours.
    Clinic,
    /// The built-in catalogue (with the recorded colour of any clinic pigment the design names).
    BuiltIn,
}

impl Source {
    /// The name in the API (`clinic`, `built-in`), as `designs/start` answers it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Clinic => "clinic",
            Source::BuiltIn => "built-in",
        }
    }
}

/// The catalogue a plan is drawn with, where it comes from and why, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanCatalogue {
    /// The pigments the plan's shades resolve to.
    pub catalogue: Catalogue,
    /// Which catalogue.
    pub source: Source,
    /// Which catalogue and why, one sentence for the practitioner.
    pub note: String,
}

/// The shade names of a plan's pigmented zones, each once, in zone order.
pub fn shades_of(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for z in plan
        .zones
        .iter()
        .filter(|z| z.spec.kind != ZoneKind::Exclusion)
    {
        let s = z.spec.shade.trim();
        if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_string());
        }
    }
    out
}

/// The first pigmented zone of `zones` whose shade is neither in the built-in catalogue nor among `own`
/// (the clinic's pigment names, recorded colour or not), in words: the studio refuses such a design (probe
/// s33: "purple unicorn" was planned, stored and drawn as carbon black without a word). `None` when every
/// shade is a pigment.
pub fn shade_not_a_pigment(zones: &[follicle_core::ZoneSpec], own: &[String]) -> Option<String> {
    let builtin = Catalogue::builtin();
    let known = |s: &str| {
        builtin.get(s).is_some() || own.iter().any(|o| o.trim().eq_ignore_ascii_case(s.trim()))
    };
    let z = zones
        .iter()
        .filter(|z| z.kind != ZoneKind::Exclusion)
        .find(|z| !known(&z.shade))?;
    let mut names: Vec<String> = own.iter().map(|o| o.trim().to_string()).collect();
    names.extend(builtin.pigments.iter().map(|p| p.name.clone()));
    names.dedup();
    let shade = follicle_core::words::shown_short(z.shade.trim(), 60);
    Some(if shade.is_empty() {
        format!(
            "The {} has no shade: choose one of {}",
            follicle_core::zone_words(&z.id),
            names.join(", ")
        )
    } else {
        format!(
            "The {}'s shade “{shade}” is not a pigment of this clinic or of the built-in catalogue: choose one of {}",
            follicle_core::zone_words(&z.id),
            names.join(", ")
        )
    })
}

/// Every shade of `plan` the catalogue does not hold, with its zones, in words: drawn as the catalogue's
/// default ("the shade “soft brown-black” (frontal) is not in the catalogue: drawn as carbon black");
/// `None` when every shade is in it.
pub fn unknown_shades_words(plan: &Plan, catalogue: &Catalogue) -> Option<String> {
    let missing: Vec<String> = shades_of(plan)
        .into_iter()
        .filter(|s| catalogue.get(s).is_none())
        .map(|s| {
            let zones: Vec<&str> = plan
                .zones
                .iter()
                .filter(|z| {
                    z.spec.kind != ZoneKind::Exclusion
                        && z.spec.shade.trim().eq_ignore_ascii_case(&s)
                })
                .map(|z| follicle_core::zone_words(&z.spec.id))
                .collect();
            format!(
                "“{}” ({})",
                follicle_core::words::shown_short(&s, 60),
                zones.join(", ")
            )
        })
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "the shade{} {} {} not in the pigment catalogue: drawn as {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
            catalogue.default
        )
    })
}

/// The catalogue for `plan` given the clinic's own pigments with a recorded colour (`own`): see
/// [`for_shades`].
pub fn for_plan(plan: &Plan, own: Vec<Pigment>) -> PlanCatalogue {
    for_shades(&shades_of(plan), own)
}

/// The catalogue for a design whose zones carry `shades`: the clinic's own ([`clinic_catalogue`]) when it
/// exists and names every shade (the design's shade comes from it); else the built-in catalogue, with the
/// clinic pigments among `shades` added in their recorded colours (so no pigment of the clinic is drawn as
/// another).
pub fn for_shades(shades: &[String], own: Vec<Pigment>) -> PlanCatalogue {
    let recorded = !own.is_empty();
    let own_names: Vec<String> = own.iter().take(3).map(|p| p.name.clone()).collect();
    let more = own.len().saturating_sub(own_names.len());
    let named_own: Vec<Pigment> = own
        .iter()
        .filter(|p| shades.iter().any(|s| p.name.eq_ignore_ascii_case(s.trim())))
        .cloned()
        .collect();
    if let Some(c) = clinic_catalogue(own) {
        if !shades.is_empty() && shades.iter().all(|s| c.get(s).is_some()) {
            let note = format!(
                "Drawn with the clinic's own pigments, in the colours recorded for them: {}.",
                shades.join(", ")
            );
            return PlanCatalogue {
                catalogue: c,
                source: Source::Clinic,
                note,
            };
        }
    }
    let mut catalogue = Catalogue::builtin();
    let mut added: Vec<String> = Vec::new();
    for p in named_own {
        if catalogue.get(&p.name).is_none() {
            added.push(p.name.clone());
            catalogue.pigments.push(p);
        }
    }
    let note = if !added.is_empty() {
        format!(
            "Drawn with the built-in catalogue, and the clinic's own colour for {}.",
            added.join(", ")
        )
    } else if recorded {
        // Probe s33: "… are not pigments of the clinic's recorded with their colour", said again after a
        // clinic pigment got its colour (the design's shade was still the built-in one's name).
        format!(
            "Drawn with the built-in catalogue: the design's shades ({}) are not among the clinic's pigments with a recorded colour ({}{}); choose one of those as a zone's shade in the design to draw it in its recorded colour.",
            shades.join(", "),
            own_names.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        )
    } else {
        "Drawn with the built-in catalogue: none of the clinic's pigments has its colour recorded."
            .to_string()
    };
    PlanCatalogue {
        catalogue,
        source: Source::BuiltIn,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Lab;

    fn pigment(name: &str, lab: [f64; 3]) -> Pigment {
        Pigment {
            name: name.into(),
            lab: Lab::new(lab[0], lab[1], lab[2]),
            ingredients: vec!["CI 77266".into()],
            note: String::new(),
        }
    }

    fn own() -> Vec<Pigment> {
        vec![
            pigment("studio-black", [22.0, 2.0, -4.0]),
            pigment("studio-grey", [34.0, 0.0, -1.0]),
        ]
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_design_of_the_clinic_s_pigments_is_drawn_with_them() {
        let c = for_shades(&names(&["studio-black", "studio-grey"]), own());
        assert_eq!(c.source, Source::Clinic);
        assert_eq!(c.catalogue, clinic_catalogue(own()).unwrap());
        assert_eq!(
            c.catalogue.resolve("studio-black").lab,
            Lab::new(22.0, 2.0, -4.0)
        );
        assert_eq!(
            c.note,
            "Drawn with the clinic's own pigments, in the colours recorded for them: studio-black, studio-grey."
        );
    }

    #[test]
    fn a_shade_that_is_no_pigment_is_named() {
        use follicle_core::design::{BuiltinZone, Region};
        let mut crown = follicle_core::presets::user_zone(
            "crown",
            ZoneKind::Density,
            Region::Builtin(BuiltinZone::Crown),
        );
        crown.shade = "purple unicorn".into();
        let mut frontal = crown.clone();
        frontal.id = "frontal".into();
        frontal.shade = "Studio-Black ".into();
        let own = names(&["studio-black"]);
        let words = shade_not_a_pigment(&[frontal.clone(), crown.clone()], &own).unwrap();
        assert!(
            words.starts_with("The crown's shade “purple unicorn” is not a pigment")
                && words.contains("studio-black, carbon black"),
            "{words}"
        );
        assert_eq!(shade_not_a_pigment(&[frontal], &own), None);
        crown.shade = " ".into();
        assert!(shade_not_a_pigment(&[crown], &own)
            .unwrap()
            .starts_with("The crown has no shade"));
    }

    #[test]
    fn a_design_of_built_in_shades_is_drawn_with_the_built_in_catalogue() {
        let builtin = Catalogue::builtin();
        let c = for_shades(&names(&["carbon black"]), own());
        assert_eq!(c.source, Source::BuiltIn);
        assert_eq!(c.catalogue, builtin);
        assert!(
            c.note
                .contains("(carbon black) are not among the clinic's pigments with a recorded colour (studio-black, studio-grey)"),
            "{}",
            c.note
        );
        let c = for_shades(&names(&["carbon black"]), Vec::new());
        assert_eq!(c.catalogue, builtin);
        assert!(
            c.note
                .contains("none of the clinic's pigments has its colour"),
            "{}",
            c.note
        );
    }

    #[test]
    fn a_clinic_pigment_in_a_mixed_design_keeps_its_own_colour() {
        // Mixed: the built-in catalogue, with the clinic's grey in its recorded colour (not the default).
        let c = for_shades(&names(&["carbon black", "studio-grey"]), own());
        assert_eq!(c.source, Source::BuiltIn);
        assert_eq!(
            c.catalogue.resolve("studio-grey").lab,
            Lab::new(34.0, 0.0, -1.0)
        );
        assert_eq!(
            c.catalogue.resolve("carbon black"),
            Catalogue::builtin().resolve("carbon black")
        );
        assert_eq!(c.catalogue.default, Catalogue::builtin().default);
        assert!(
            c.note.ends_with("the clinic's own colour for studio-grey."),
            "{}",
            c.note
        );
        // No dark neutral of the clinic's: no clinic catalogue, but its grey still drawn as recorded.
        let c = for_shades(
            &names(&["studio-grey"]),
            vec![pigment("studio-grey", [34.0, 0.0, -1.0])],
        );
        assert_eq!(c.source, Source::BuiltIn);
        assert_eq!(
            c.catalogue.resolve("studio-grey").lab,
            Lab::new(34.0, 0.0, -1.0)
        );
    }
}
