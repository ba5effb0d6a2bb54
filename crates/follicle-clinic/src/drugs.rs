//! Drug and brand names as staff type them ("warfarin", "Eliquis 5 mg", "Roaccutane"), mapped to the
//! treatment classes the screening rules speak of (anticoagulant, antiplatelet, isotretinoin …). An intake's
//! treatment `name` may be a class, a generic name or a brand, optionally followed by the dose; the class
//! decides screening, the drug and dose are kept and printed with every finding.

use crate::vocab::{closest, normalise, TreatmentKind};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A medicine staff name at consultation: its generic name, class and common brand names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drug {
    /// International non-proprietary name, lower case.
    pub generic: &'static str,
    /// The screening class.
    pub class: TreatmentKind,
    /// Brand names (as printed on the pack).
    pub brands: &'static [&'static str],
}

use TreatmentKind::{
    Anticoagulant, Antiplatelet, HairLossTreatment, Isotretinoin, SystemicSteroid,
};

/// The drugs this build knows. Sources: the products' summaries of product characteristics (SmPC/label):
/// vitamin K antagonist, direct oral anticoagulants, heparins and P2Y12 inhibitors / aspirin as
/// anticoagulant or antiplatelet; isotretinoin brands; 5-alpha-reductase inhibitors and minoxidil for hair loss.
pub const DRUGS: &[Drug] = &[
    Drug {
        generic: "warfarin",
        class: Anticoagulant,
        brands: &["Coumadin", "Marevan", "Jantoven"],
    },
    Drug {
        generic: "acenocoumarol",
        class: Anticoagulant,
        brands: &["Sintrom"],
    },
    Drug {
        generic: "phenprocoumon",
        class: Anticoagulant,
        brands: &["Marcumar"],
    },
    Drug {
        generic: "apixaban",
        class: Anticoagulant,
        brands: &["Eliquis"],
    },
    Drug {
        generic: "rivaroxaban",
        class: Anticoagulant,
        brands: &["Xarelto"],
    },
    Drug {
        generic: "dabigatran",
        class: Anticoagulant,
        brands: &["Pradaxa"],
    },
    Drug {
        generic: "edoxaban",
        class: Anticoagulant,
        brands: &["Lixiana", "Savaysa"],
    },
    Drug {
        generic: "heparin",
        class: Anticoagulant,
        brands: &[],
    },
    Drug {
        generic: "enoxaparin",
        class: Anticoagulant,
        brands: &["Clexane", "Lovenox", "Inhixa"],
    },
    Drug {
        generic: "dalteparin",
        class: Anticoagulant,
        brands: &["Fragmin"],
    },
    Drug {
        generic: "tinzaparin",
        class: Anticoagulant,
        brands: &["Innohep"],
    },
    Drug {
        generic: "fondaparinux",
        class: Anticoagulant,
        brands: &["Arixtra"],
    },
    Drug {
        generic: "clopidogrel",
        class: Antiplatelet,
        brands: &["Plavix", "Iscover"],
    },
    Drug {
        generic: "ticagrelor",
        class: Antiplatelet,
        brands: &["Brilinta", "Brilique"],
    },
    Drug {
        generic: "prasugrel",
        class: Antiplatelet,
        brands: &["Efient", "Effient"],
    },
    Drug {
        generic: "aspirin",
        class: Antiplatelet,
        brands: &["acetylsalicylic acid", "Aspirin Cardio", "Nu-Seals"],
    },
    Drug {
        generic: "isotretinoin",
        class: Isotretinoin,
        brands: &[
            "Roaccutane",
            "Accutane",
            "Absorica",
            "Claravis",
            "Amnesteem",
            "Myorisan",
            "Zenatane",
            "Isotrex",
        ],
    },
    Drug {
        generic: "prednisolone",
        class: SystemicSteroid,
        brands: &[],
    },
    Drug {
        generic: "prednisone",
        class: SystemicSteroid,
        brands: &[],
    },
    Drug {
        generic: "dexamethasone",
        class: SystemicSteroid,
        brands: &[],
    },
    Drug {
        generic: "finasteride",
        class: HairLossTreatment,
        brands: &["Propecia", "Proscar"],
    },
    Drug {
        generic: "dutasteride",
        class: HairLossTreatment,
        brands: &["Avodart"],
    },
    Drug {
        generic: "minoxidil",
        class: HairLossTreatment,
        brands: &["Rogaine", "Regaine", "Loniten"],
    },
];

/// Every word a treatment name may be: classes, generic names and brands.
pub fn treatment_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = TreatmentKind::NAMES.to_vec();
    for d in DRUGS {
        if !words.contains(&d.generic) {
            words.push(d.generic);
        }
        words.extend(d.brands.iter().copied());
    }
    words
}

/// What a name (class, generic or brand) resolves to: the class and, for a drug, the drug.
fn resolve(word: &str) -> Option<(TreatmentKind, Option<&'static Drug>)> {
    let n = normalise(word);
    for d in DRUGS {
        if normalise(d.generic) == n || d.brands.iter().any(|b| normalise(b) == n) {
            return Some((d.class, Some(d)));
        }
    }
    TreatmentKind::ALL
        .iter()
        .zip(TreatmentKind::NAMES)
        .find(|(_, name)| **name == n)
        .map(|(k, _)| (*k, None))
}

/// A treatment as named in an intake: the text typed, the class it belongs to, the drug and any dose
/// written after the name ("apixaban 5 mg twice daily").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreatmentName {
    /// The screening class.
    pub kind: TreatmentKind,
    /// The drug, when a generic or brand name was given.
    pub drug: Option<&'static Drug>,
    /// The name as typed, without the dose ("Eliquis").
    pub given: String,
    /// The dose written after the name, if any ("5 mg twice daily").
    pub dose: Option<String>,
}

impl TreatmentName {
    /// A class with no drug named.
    pub fn class(kind: TreatmentKind) -> TreatmentName {
        TreatmentName {
            kind,
            drug: None,
            given: kind.as_str().to_string(),
            dose: None,
        }
    }

    /// The drug's generic name, with the brand when a brand was typed ("apixaban, as Eliquis").
    pub fn drug_label(&self) -> Option<String> {
        let d = self.drug.filter(|d| d.generic != self.kind.as_str())?;
        if normalise(&self.given) == normalise(d.generic) {
            Some(d.generic.to_string())
        } else {
            Some(format!("{}, as {}", d.generic, self.given))
        }
    }
}

impl PartialEq<TreatmentKind> for TreatmentName {
    fn eq(&self, other: &TreatmentKind) -> bool {
        self.kind == *other
    }
}

impl fmt::Display for TreatmentName {
    /// "anticoagulant (apixaban, as Eliquis 5 mg)"; a bare class prints as itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = match (self.drug_label(), &self.dose) {
            (Some(d), Some(dose)) => Some(format!("{d} {dose}")),
            (Some(d), None) => Some(d),
            (None, Some(dose)) => Some(dose.clone()),
            (None, None) => None,
        };
        // The class as people read it ("laser tattoo removal"); files keep the kebab-case name.
        match inner {
            Some(i) => write!(f, "{} ({i})", self.kind.words()),
            None => write!(f, "{}", self.kind.words()),
        }
    }
}

impl std::str::FromStr for TreatmentName {
    type Err = String;

    /// The longest run of leading words that names a class, generic or brand; the rest is the dose.
    fn from_str(s: &str) -> Result<TreatmentName, String> {
        let words: Vec<&str> = s.split_whitespace().collect();
        for take in (1..=words.len()).rev() {
            let head = words[..take].join(" ");
            if let Some((kind, drug)) = resolve(&head) {
                let rest = words[take..].join(" ");
                let dose = (!rest.is_empty()).then_some(rest);
                return Ok(TreatmentName {
                    kind,
                    drug,
                    given: head,
                    dose,
                });
            }
        }
        let all = treatment_words();
        let first = words.first().copied().unwrap_or("");
        let hint = closest(s, &all).or_else(|| closest(first, &all));
        let valid = TreatmentKind::NAMES.join(", ");
        Err(match hint {
            Some(best) => format!("unknown treatment `{s}`: did you mean `{best}`? (valid: {valid}, or a drug or brand name such as warfarin, Eliquis, Roaccutane)"),
            None => format!("unknown treatment `{s}` (valid: {valid}, or a drug or brand name such as warfarin, Eliquis, Roaccutane)"),
        })
    }
}

impl Serialize for TreatmentName {
    /// As typed (name and dose), so reading it back gives the same value.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.dose {
            Some(d) => s.collect_str(&format_args!("{} {d}", self.given)),
            None => s.serialize_str(&self.given),
        }
    }
}

impl<'de> Deserialize<'de> for TreatmentName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TreatmentName, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name staff type, what it must resolve to, and the dose kept.
    #[test]
    fn drug_and_brand_names_map_to_their_classes() {
        use TreatmentKind::*;
        let table: &[(&str, TreatmentKind, Option<&str>, Option<&str>)] = &[
            ("warfarin", Anticoagulant, Some("warfarin"), None),
            (
                "Warfarin 5 mg daily",
                Anticoagulant,
                Some("warfarin"),
                Some("5 mg daily"),
            ),
            ("Coumadin", Anticoagulant, Some("warfarin"), None),
            ("apixaban", Anticoagulant, Some("apixaban"), None),
            (
                "Eliquis 5mg twice daily",
                Anticoagulant,
                Some("apixaban"),
                Some("5mg twice daily"),
            ),
            ("rivaroxaban", Anticoagulant, Some("rivaroxaban"), None),
            (
                "XARELTO 20 mg",
                Anticoagulant,
                Some("rivaroxaban"),
                Some("20 mg"),
            ),
            ("dabigatran", Anticoagulant, Some("dabigatran"), None),
            ("Pradaxa", Anticoagulant, Some("dabigatran"), None),
            ("edoxaban", Anticoagulant, Some("edoxaban"), None),
            ("Lixiana", Anticoagulant, Some("edoxaban"), None),
            ("heparin", Anticoagulant, Some("heparin"), None),
            (
                "enoxaparin 40 mg",
                Anticoagulant,
                Some("enoxaparin"),
                Some("40 mg"),
            ),
            ("Clexane", Anticoagulant, Some("enoxaparin"), None),
            ("dalteparin", Anticoagulant, Some("dalteparin"), None),
            ("Fragmin", Anticoagulant, Some("dalteparin"), None),
            ("tinzaparin", Anticoagulant, Some("tinzaparin"), None),
            ("Innohep", Anticoagulant, Some("tinzaparin"), None),
            (
                "clopidogrel 75 mg",
                Antiplatelet,
                Some("clopidogrel"),
                Some("75 mg"),
            ),
            ("Plavix", Antiplatelet, Some("clopidogrel"), None),
            ("ticagrelor", Antiplatelet, Some("ticagrelor"), None),
            ("Brilique", Antiplatelet, Some("ticagrelor"), None),
            ("prasugrel", Antiplatelet, Some("prasugrel"), None),
            ("Efient", Antiplatelet, Some("prasugrel"), None),
            (
                "aspirin 75 mg",
                Antiplatelet,
                Some("aspirin"),
                Some("75 mg"),
            ),
            ("acetylsalicylic acid", Antiplatelet, Some("aspirin"), None),
            ("Roaccutane", Isotretinoin, Some("isotretinoin"), None),
            (
                "Accutane 40 mg",
                Isotretinoin,
                Some("isotretinoin"),
                Some("40 mg"),
            ),
            ("absorica", Isotretinoin, Some("isotretinoin"), None),
            ("Claravis", Isotretinoin, Some("isotretinoin"), None),
            ("isotretinoin", Isotretinoin, Some("isotretinoin"), None),
            (
                "finasteride 1 mg",
                HairLossTreatment,
                Some("finasteride"),
                Some("1 mg"),
            ),
            ("Propecia", HairLossTreatment, Some("finasteride"), None),
            ("dutasteride", HairLossTreatment, Some("dutasteride"), None),
            (
                "minoxidil 5 %",
                HairLossTreatment,
                Some("minoxidil"),
                Some("5 %"),
            ),
            ("Regaine", HairLossTreatment, Some("minoxidil"), None),
            ("anticoagulant", Anticoagulant, None, None),
            ("laser tattoo removal", LaserTattooRemoval, None, None),
            (
                "prednisolone 10 mg",
                SystemicSteroid,
                Some("prednisolone"),
                Some("10 mg"),
            ),
        ];
        for &(text, kind, generic, dose) in table {
            let t: TreatmentName = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (t.kind, t.drug.map(|d| d.generic), t.dose.as_deref()),
                (kind, generic, dose),
                "{text}"
            );
            // What is written reads back as the same thing.
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(
                serde_json::from_str::<TreatmentName>(&json).unwrap(),
                t,
                "{text}"
            );
        }
    }

    #[test]
    fn misspelt_drugs_get_the_right_suggestion() {
        for (typo, want) in [
            ("warfrin", "warfarin"),
            ("eliqus", "Eliquis"),
            ("roacutane", "Roaccutane"),
            ("clopidogrl 75 mg", "clopidogrel"),
            ("finasterid", "finasteride"),
        ] {
            let e = typo.parse::<TreatmentName>().unwrap_err();
            assert!(e.contains(&format!("did you mean `{want}`")), "{typo}: {e}");
        }
        let e = "paracetamol".parse::<TreatmentName>().unwrap_err();
        assert!(
            !e.contains("did you mean") && e.contains("drug or brand name"),
            "{e}"
        );
    }

    #[test]
    fn prints_class_drug_brand_and_dose() {
        let t: TreatmentName = "Eliquis 5 mg twice daily".parse().unwrap();
        assert_eq!(
            t.to_string(),
            "anticoagulant (apixaban, as Eliquis 5 mg twice daily)"
        );
        assert_eq!(
            "warfarin".parse::<TreatmentName>().unwrap().to_string(),
            "anticoagulant (warfarin)"
        );
        assert_eq!(
            TreatmentName::class(TreatmentKind::Chemotherapy).to_string(),
            "chemotherapy"
        );
    }
}
