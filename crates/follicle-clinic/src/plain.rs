//! Plain words for client documents: the names of scalp areas a client reads instead of the zone ids and
//! kinds of plan.json (`mid_scalp`, `exclusion-1`, `blend`), so that no internal label reaches a client.

/// The name of a plan zone for a client, from its id and kind (plan.json `zones[].id`, `zones[].kind`).
/// Built-in zones have their own names; a zone a practitioner drew is named by its kind and number.
pub fn zone_name(id: &str, kind: &str) -> String {
    let builtin = match id.replace('-', "_").as_str() {
        "hairline" => Some("Hairline"),
        "frontal" => Some("Front of the top"),
        "mid_scalp" => Some("Middle of the top"),
        "crown" => Some("Crown"),
        "temples" => Some("Temples"),
        "sides" => Some("Sides"),
        "back" => Some("Back of the head"),
        _ => None,
    };
    if let Some(name) = builtin {
        return name.to_string();
    }
    let what = match kind {
        "hairline" => "Hairline",
        "scar" => "Scar",
        "blend" => "Blending into your own hair",
        "exclusion" => "Area left untreated",
        _ => "Treated area",
    };
    // The number a drawn zone carries (`scar-2` → 2), if any; any other text of the id stays out.
    match id
        .rsplit(['-', '_'])
        .next()
        .and_then(|n| n.parse::<u32>().ok())
    {
        Some(n) => format!("{what} {n}"),
        None => what.to_string(),
    }
}

/// Whether a zone of this kind gets no pigment on purpose (a mole, a birthmark): such zones are not listed as
/// treated areas.
pub fn left_untreated(kind: &str) -> bool {
    kind == "exclusion"
}

/// The sentence a client reads about the areas left untreated on purpose.
pub fn untreated_sentence(n: usize) -> String {
    if n == 1 {
        "One small area is left untreated on purpose (for example a mole or a birthmark).".into()
    } else {
        format!("{n} small areas are left untreated on purpose (for example moles or birthmarks).")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_ids_become_plain_words() {
        assert_eq!(zone_name("mid_scalp", "density"), "Middle of the top");
        assert_eq!(zone_name("mid-scalp", ""), "Middle of the top");
        assert_eq!(zone_name("hairline", "hairline"), "Hairline");
        assert_eq!(zone_name("scar-2", "scar"), "Scar 2");
        assert_eq!(
            zone_name("exclusion-1", "exclusion"),
            "Area left untreated 1"
        );
        assert_eq!(zone_name("left_patch", "density"), "Treated area");
        assert_eq!(zone_name("ludwig-2, B 81.5 mm", "density"), "Treated area");
        for id in ["mid_scalp", "exclusion-1", "x_y"] {
            assert!(!zone_name(id, "density").contains('_'));
        }
        assert!(left_untreated("exclusion") && !left_untreated("scar"));
        assert!(untreated_sentence(2).starts_with("2 small areas"));
    }
}
