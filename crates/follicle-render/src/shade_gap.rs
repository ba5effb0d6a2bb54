//! How the plan's strengths compare with the shade advice on the client's own photo, in words: a design
//! starts from the consultation (Fitzpatrick type and hair colour named there, `start_shade`), the advice
//! beside a photo from the skin and hair measured on it, so the two can differ (outside probe s26: the
//! editor started carbon black at 43 %, the preview page recommended 52 % and flagged every row, and
//! nothing said why the two screens disagreed). The sentence names the zones whose recommended strength
//! differs enough to matter and says where each figure comes from and what to change.

use crate::shade::ZoneShade;

/// Least difference between the plan's strength and the recommended one for a zone to be named,
/// percentage points (a dilution is mixed in 5 % steps in practice).
pub const NAMED_FROM_POINTS: f64 = 5.0;
/// Least improvement in ΔE00 the recommended strength must bring over the plan's for a zone to be named:
/// the shade report's own rule for changing a strength ([`crate::shade::NOTICEABLE_GAIN`]; under 1 the two
/// healed colours are about one just-noticeable difference apart).
pub const NAMED_FROM_DELTA_E: f64 = crate::shade::NOTICEABLE_GAIN;

/// The sentence saying that, and where, the plan's strengths differ from those recommended on this photo;
/// `None` when none differs by [`NAMED_FROM_POINTS`] with a gain of [`NAMED_FROM_DELTA_E`] or more.
pub fn plan_differs_words(zones: &[ZoneShade]) -> Option<String> {
    let differ: Vec<String> = zones
        .iter()
        .filter(|z| {
            ((z.strength - z.plan_strength) * 100.0).abs() >= NAMED_FROM_POINTS
                && z.plan_delta_e - z.delta_e >= NAMED_FROM_DELTA_E
        })
        .map(|z| {
            format!(
                "{} {:.0} % now, {:.0} % recommended (ΔE00 {:.1} → {:.1})",
                // As the editor names the zone (outside test s48: "mid_scalp" here, "mid-scalp" elsewhere).
                follicle_core::zone_words(&z.zone),
                z.plan_strength * 100.0,
                z.strength * 100.0,
                z.plan_delta_e,
                z.delta_e
            )
        })
        .collect();
    (!differ.is_empty()).then(|| {
        format!(
            "the plan's strengths are the design's (a new design starts from the Fitzpatrick type and hair \
             colour named in the consultation); the recommended ones are matched to the skin and hair measured \
             on this photo, and come closer to the client's shaved hair: {}. To use them, set those zones' \
             strengths in the design and plan it again",
            differ.join("; ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str, plan: f64, plan_de: f64, rec: f64, rec_de: f64) -> ZoneShade {
        ZoneShade {
            zone: name.into(),
            pigment: "carbon black".into(),
            strength: rec,
            delta_e: rec_de,
            plan_strength: plan,
            plan_delta_e: plan_de,
            healed: [0.1; 3],
            plan_healed: [0.1; 3],
            band: (0.3, 0.6),
            beyond_band: None,
            band_best: (rec, rec_de),
            unmatched: None,
        }
    }

    #[test]
    fn zones_whose_advice_differs_and_matches_better_are_named() {
        let zones = [
            zone("crown", 0.43, 8.4, 0.52, 6.2),
            // Differs, but hardly closer: not named.
            zone("frontal", 0.43, 6.5, 0.50, 6.0),
            // Closer, but within a mixing step: not named.
            zone("hairline", 0.38, 7.0, 0.40, 5.5),
        ];
        let w = plan_differs_words(&zones).expect("the crown differs");
        assert!(
            w.contains("crown 43 % now, 52 % recommended (ΔE00 8.4 → 6.2)")
                && !w.contains("frontal")
                && !w.contains("hairline")
                && w.contains("consultation")
                && w.contains("measured on this photo"),
            "{w}"
        );
        assert_eq!(plan_differs_words(&zones[1..]), None);
        assert_eq!(plan_differs_words(&[]), None);
    }
}
