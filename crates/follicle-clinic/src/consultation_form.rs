//! What the studio's consultation form offers, from the intake vocabulary itself: every condition, treatment
//! and allergy the screening rules know, with the words on its checkbox and what ticking it records (a
//! psoriasis flare in the area is `{ in_area = true, activity = "active" }`), the skin, hair and scar choices, the
//! hair-loss stages and the screening outcomes in plain words. The form (JavaScript) draws these; it holds no
//! list of its own, so a condition added to the rules is on the form the day it is screened (the form lacked
//! eczema, epilepsy and fainting while the rules screened them).

use crate::screening::Outcome;
use crate::vocab::{
    AllergyKind, ConditionKind, Fitzpatrick, HairColour, ScarKind, Sensitivity, Sex, TreatmentKind,
    Undertone, LUDWIG_STAGES, NORWOOD_STAGES,
};
use serde_json::{json, Value};

/// The words on a condition's checkbox and what ticking it records beside the name.
pub fn condition_choice(kind: ConditionKind) -> (&'static str, Value) {
    use ConditionKind as K;
    let flare = json!({ "in_area": true, "activity": "active" });
    match kind {
        K::Keloid => ("Keloid tendency", json!({})),
        K::HypertrophicScarring => ("Hypertrophic scarring", json!({})),
        K::Psoriasis => ("Psoriasis flare in the area", flare),
        K::Eczema => ("Eczema flare in the area", flare),
        K::SeborrheicDermatitis => ("Seborrheic dermatitis flare in the area", flare),
        K::ActiveInfection => ("Active infection in the area", json!({ "in_area": true })),
        // Whether it is controlled is not asked on the form, so ticking the box records none (outside test
        // s38: it recorded `controlled = true`, a word the practitioner never said, into the medical record).
        K::Diabetes => ("Diabetes", json!({})),
        K::HeartCondition => ("Heart condition", json!({})),
        K::BleedingDisorder => ("Bleeding disorder", json!({})),
        K::ImmuneSuppression => ("Immune suppression", json!({})),
        K::AlopeciaAreata => ("Alopecia areata (active)", json!({ "activity": "active" })),
        K::BloodBorneInfection => ("Blood-borne infection (HIV, hepatitis B or C)", json!({})),
        K::Epilepsy => (
            "Epilepsy with seizures in the last year",
            json!({ "activity": "active" }),
        ),
        K::Fainting => ("Fainting (at needles or the sight of blood)", json!({})),
    }
}

/// The words on a treatment's checkbox (its last dose or session is asked beside it).
pub fn treatment_label(kind: TreatmentKind) -> &'static str {
    use TreatmentKind as T;
    match kind {
        T::Anticoagulant => "Anticoagulant (blood thinner)",
        T::Antiplatelet => "Antiplatelet (e.g. aspirin)",
        T::Isotretinoin => "Isotretinoin",
        T::SystemicSteroid => "Systemic steroid",
        T::TopicalSteroid => "Steroid cream or lotion on the scalp",
        T::Chemotherapy => "Chemotherapy",
        T::Radiotherapy => "Radiotherapy to the head",
        T::LaserTattooRemoval => "Laser removal on the scalp",
        T::HairLossTreatment => "Hair-loss treatment (minoxidil, finasteride)",
    }
}

/// The words on an allergy's checkbox; `None` for `other`, which names its substance in words.
pub fn allergy_label(kind: AllergyKind) -> Option<&'static str> {
    use AllergyKind as A;
    match kind {
        A::TattooInk => Some("Earlier tattoo ink reaction"),
        A::Nickel => Some("Nickel"),
        A::Chromium => Some("Chromium"),
        A::Latex => Some("Latex"),
        A::TopicalAnaesthetic => Some("Topical anaesthetic"),
        A::Antiseptic => Some("Antiseptic"),
        A::Other => None,
    }
}

/// The words for a kind of scar.
pub fn scar_label(kind: ScarKind) -> &'static str {
    match kind {
        ScarKind::FutStrip => "FUT strip",
        ScarKind::Fue => "FUE",
        ScarKind::Surgical => "Surgical",
        ScarKind::Injury => "Injury",
        ScarKind::Burn => "Burn",
    }
}

/// What a screening outcome means for the practitioner, in one sentence, and how the form marks it (`ok`,
/// `warn`, `stop`).
pub fn outcome_meaning(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Go => (
            "Nothing in the consultation stands in the way of treatment.",
            "ok",
        ),
        Outcome::GoWithPrecautions => (
            "Treatment can go ahead once the precautions below are taken.",
            "warn",
        ),
        Outcome::PhysicianClearance => (
            "Do not treat until the client brings written clearance from their physician.",
            "warn",
        ),
        Outcome::DeferUntil => ("Treatment must wait.", "stop"),
        Outcome::NotSuitable => ("Do not treat this client.", "stop"),
    }
}

/// A name as a label: its words with a capital (`dark-brown` → "Dark brown").
fn capitalised(words: String) -> String {
    follicle_core::words::capitalised(&words)
}

/// Everything the consultation form offers, as the studio reads it (`GET /api/consultation-form`).
pub fn consultation_form() -> Value {
    let outcomes: serde_json::Map<String, Value> = [
        Outcome::Go,
        Outcome::GoWithPrecautions,
        Outcome::PhysicianClearance,
        Outcome::DeferUntil,
        Outcome::NotSuitable,
    ]
    .into_iter()
    .map(|o| {
        let (meaning, tone) = outcome_meaning(o);
        (
            o.as_str().to_string(),
            json!({ "label": o.label(), "meaning": meaning, "tone": tone }),
        )
    })
    .collect();
    json!({
        "conditions": ConditionKind::ALL.iter().map(|&k| {
            let (label, records) = condition_choice(k);
            json!({ "name": k.as_str(), "label": label, "records": records })
        }).collect::<Vec<_>>(),
        "treatments": TreatmentKind::ALL.iter().map(|&k| json!({ "name": k.as_str(), "label": treatment_label(k) })).collect::<Vec<_>>(),
        "allergies": AllergyKind::ALL.iter().filter_map(|&k| allergy_label(k).map(|l| json!({ "kind": k.as_str(), "label": l }))).collect::<Vec<_>>(),
        "fitzpatrick": Fitzpatrick::ALL.iter().map(|k| json!({ "name": k.as_str(), "label": format!("Type {k}") })).collect::<Vec<_>>(),
        "undertones": Undertone::ALL.iter().map(|k| json!({ "name": k.as_str(), "label": capitalised(k.words()) })).collect::<Vec<_>>(),
        "sensitivities": Sensitivity::ALL.iter().map(|k| json!({ "name": k.as_str(), "label": capitalised(k.words()) })).collect::<Vec<_>>(),
        "hair_colours": HairColour::ALL.iter().map(|&k| json!({ "name": k.as_str(), "label": match k {
            HairColour::GreyWhite => "Grey or white".to_string(),
            other => capitalised(other.words()),
        } })).collect::<Vec<_>>(),
        // The head a new design starts on (the consultation recorded none before: outside test s55, a woman with a
        // scar only started on a man's head).
        "sexes": Sex::ALL.iter().map(|&k| json!({ "name": k.as_str(), "label": match k { Sex::Female => "Woman", Sex::Male => "Man" } })).collect::<Vec<_>>(),
        "scar_kinds": ScarKind::ALL.iter().map(|&k| json!({ "name": k.as_str(), "label": scar_label(k) })).collect::<Vec<_>>(),
        "stages": { "norwood": NORWOOD_STAGES, "ludwig": LUDWIG_STAGES },
        "outcomes": outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{screen, Intake, RuleSet};

    use crate::intake::tests::MINIMAL as BASE;

    /// Ticking each condition records an entry the intake accepts, and the screening finds it: a box that
    /// records too little would be refused on saving, one the rules never read would screen "go" silently.
    #[test]
    fn every_condition_ticked_is_accepted_and_screened() {
        for &k in ConditionKind::ALL {
            let (label, records) = condition_choice(k);
            assert!(!label.is_empty());
            assert!(
                records.get("controlled").is_none(),
                "{k}: the form does not ask whether it is controlled, so ticking it says nothing of it"
            );
            let mut v: Value = serde_json::to_value(Intake::from_toml(BASE).unwrap()).unwrap();
            let mut entry = records.clone();
            entry["name"] = json!(k.as_str());
            v["conditions"] = json!([entry]);
            let intake = Intake::from_json(&v.to_string()).unwrap_or_else(|e| panic!("{k}: {e}"));
            let s = screen(&intake, &RuleSet::embedded(), intake.consultation.date);
            assert!(
                !s.findings.is_empty(),
                "{k} ({label}) screens with no finding"
            );
        }
    }

    #[test]
    fn the_form_offers_every_name_of_the_vocabulary() {
        let f = consultation_form();
        let names = |list: &str, key: &str| -> Vec<String> {
            f[list]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c[key].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(names("conditions", "name"), ConditionKind::NAMES);
        assert_eq!(names("treatments", "name"), TreatmentKind::NAMES);
        assert_eq!(
            names("allergies", "kind").len(),
            AllergyKind::NAMES.len() - 1,
            "every allergy but `other`"
        );
        assert_eq!(f["outcomes"]["defer-until"]["label"], "Deferred");
        assert_eq!(f["hair_colours"][1]["label"], "Dark brown");
        assert_eq!(
            f["sexes"],
            json!([{ "name": "female", "label": "Woman" }, { "name": "male", "label": "Man" }])
        );
        assert_eq!(f["stages"]["ludwig"], json!(["I", "II", "III"]));
    }
}
