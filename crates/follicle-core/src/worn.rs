//! How the client wears their hair once treated, as the design implies it: **shaved** (the retained hair
//! clipped to match the SMP, the usual look for Norwood patterns: the treated areas are bald) or **as
//! worn** (the client keeps their own hair, and the impressions go among it: diffuse thinning, Ludwig
//! patterns, a density treatment under hair a man keeps). The design says which by its treated zones: a
//! hairline, density or scar zone that counts existing hair among its impressions (`coverage` above 0)
//! treats under hair that stays. The preview on a photo shaves the retained hair only for a shaved design
//! (outside probe s26: a Ludwig II design for a woman was shown razor-shaved, with a 0 guard recommended).

use crate::design::{ZoneKind, ZoneSpec};

/// How the client wears their hair once treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HairWear {
    /// The retained hair is kept clipped to match the treated, bald areas.
    Shaved,
    /// The client keeps their own hair; the impressions lie among it.
    AsWorn,
}

/// How a design with these zones is worn: [`HairWear::AsWorn`] when any treated zone other than a blend
/// into the retained fringe counts existing hair among its impressions.
pub fn hair_wear<'a>(zones: impl IntoIterator<Item = &'a ZoneSpec>) -> HairWear {
    let among_hair = zones.into_iter().any(|z| {
        matches!(
            z.kind,
            ZoneKind::Hairline | ZoneKind::Density | ZoneKind::Scar
        ) && z.coverage > 0.0
    });
    if among_hair {
        HairWear::AsWorn
    } else {
        HairWear::Shaved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::Pattern;
    use crate::presets::zones_for;

    #[test]
    fn norwood_patterns_are_shaved_and_ludwig_patterns_keep_their_hair() {
        for stage in 2..=7 {
            assert_eq!(
                hair_wear(&zones_for(Pattern::Norwood(stage))),
                HairWear::Shaved,
                "Norwood {stage}"
            );
        }
        assert_eq!(hair_wear(&zones_for(Pattern::FullScalp)), HairWear::Shaved);
        for grade in 1..=3 {
            assert_eq!(
                hair_wear(&zones_for(Pattern::Ludwig(grade))),
                HairWear::AsWorn,
                "Ludwig {grade}"
            );
        }
    }

    #[test]
    fn a_treated_zone_among_existing_hair_keeps_it_and_a_blend_alone_does_not() {
        let mut zones = zones_for(Pattern::Norwood(3));
        // The fringe's blend zones count the retained hair: still a shaved design.
        assert!(zones
            .iter()
            .any(|z| z.kind == ZoneKind::Blend && z.coverage > 0.0));
        assert_eq!(hair_wear(&zones), HairWear::Shaved);
        // A man's frontal thinning treated under the hair he keeps.
        let frontal = zones.iter_mut().find(|z| z.id == "frontal").unwrap();
        frontal.coverage = 0.3;
        assert_eq!(hair_wear(&zones), HairWear::AsWorn);
    }
}
