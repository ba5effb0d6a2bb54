//! Closed vocabularies of the consultation (conditions, treatments, allergy kinds, skin types …) as enums
//! that read and write their kebab-case names, and the "did you mean" suggestion for a misspelt name.

/// The valid name closest to `input` by edit distance (case and `_`/space vs `-` ignored), if close enough
/// to be a plausible typo: at most 2 edits, or a third of the name's length for long names.
pub fn closest<'a>(input: &str, names: &[&'a str]) -> Option<&'a str> {
    let wanted = normalise(input);
    // Ties go to the name sharing the longer prefix with the input ("VIII" → "VII", not "III").
    let prefix = |n: &str| wanted.chars().zip(normalise(n).chars()).take_while(|(a, b)| a == b).count();
    names
        .iter()
        .map(|&n| (strsim::levenshtein(&wanted, &normalise(n)), n))
        .filter(|&(dist, n)| dist <= 2.max(n.len() / 3))
        .min_by_key(|&(dist, n)| (dist, std::cmp::Reverse(prefix(n))))
        .map(|(_, n)| n)
}

/// Lower case with `_` and spaces turned into `-`, as names are written.
pub(crate) fn normalise(s: &str) -> String {
    s.trim().to_lowercase().replace(['_', ' '], "-")
}

/// The error text for an unknown name: what was given, the closest valid name and the full list.
pub fn unknown_name_message(what: &str, input: &str, names: &[&str]) -> String {
    match closest(input, names) {
        Some(best) => format!("unknown {what} `{input}`: did you mean `{best}`? (valid: {})", names.join(", ")),
        None => format!("unknown {what} `{input}` (valid: {})", names.join(", ")),
    }
}

/// Declares a vocabulary enum: kebab-case names, `FromStr` with suggestions, serde as a plain string.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every valid name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What this vocabulary names, for messages.
            pub const WHAT: &'static str = $what;

            /// The name as written in intake and rules files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let n = $crate::vocab::normalise(s);
                $(if n == $text.to_lowercase() { return Ok($name::$variant); })+
                Err($crate::vocab::unknown_name_message($what, s, Self::NAMES))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary!(
    /// A medical condition asked about at consultation.
    ConditionKind, "condition", {
        /// Tendency to form keloid scars.
        Keloid = "keloid",
        /// Tendency to form hypertrophic (raised) scars.
        HypertrophicScarring = "hypertrophic-scarring",
        /// Psoriasis.
        Psoriasis = "psoriasis",
        /// Eczema (atopic or contact dermatitis).
        Eczema = "eczema",
        /// Seborrheic dermatitis.
        SeborrheicDermatitis = "seborrheic-dermatitis",
        /// Any active skin infection (bacterial, fungal such as tinea capitis, viral such as herpes zoster).
        ActiveInfection = "active-infection",
        /// Diabetes mellitus, type 1 or 2.
        Diabetes = "diabetes",
        /// A heart condition (arrhythmia, valve disease, pacemaker, past infarction …).
        HeartCondition = "heart-condition",
        /// A bleeding or clotting disorder (haemophilia, von Willebrand disease …).
        BleedingDisorder = "bleeding-disorder",
        /// A weakened immune system from illness or medication.
        ImmuneSuppression = "immune-suppression",
        /// Alopecia areata (patchy autoimmune hair loss).
        AlopeciaAreata = "alopecia-areata",
    }
);

vocabulary!(
    /// A medication or treatment asked about at consultation, with its dates.
    TreatmentKind, "treatment", {
        /// Anticoagulants (warfarin, apixaban, rivaroxaban, heparins …).
        Anticoagulant = "anticoagulant",
        /// Antiplatelet drugs (aspirin, clopidogrel …).
        Antiplatelet = "antiplatelet",
        /// Oral isotretinoin (e.g. for acne).
        Isotretinoin = "isotretinoin",
        /// Oral or injected corticosteroids.
        SystemicSteroid = "systemic-steroid",
        /// Corticosteroid creams, lotions or injections on the scalp.
        TopicalSteroid = "topical-steroid",
        /// Chemotherapy (the date is the last cycle).
        Chemotherapy = "chemotherapy",
        /// Radiotherapy (the date is the last fraction).
        Radiotherapy = "radiotherapy",
        /// Laser tattoo removal, e.g. of earlier SMP (the date is the last laser session).
        LaserTattooRemoval = "laser-tattoo-removal",
    }
);

vocabulary!(
    /// What a client reports being allergic or sensitive to.
    AllergyKind, "allergy kind", {
        /// A reaction to a previous tattoo, SMP or PMU pigment.
        TattooInk = "tattoo-ink",
        /// Nickel (jewellery, belt buckles).
        Nickel = "nickel",
        /// Chromium, including chromium(VI) (leather, cement).
        Chromium = "chromium",
        /// Natural rubber latex (gloves).
        Latex = "latex",
        /// Topical anaesthetics (lidocaine, tetracaine …).
        TopicalAnaesthetic = "topical-anaesthetic",
        /// Skin antiseptics (chlorhexidine, povidone-iodine …).
        Antiseptic = "antiseptic",
        /// Anything else; name it in `substance`.
        Other = "other",
    }
);

vocabulary!(
    /// How active an inflammatory or autoimmune condition is now.
    Activity, "activity", {
        /// Active now: a flare, spreading patches, weeping or scaling lesions.
        Active = "active",
        /// Controlled and unchanged for months.
        Stable = "stable",
        /// No signs for a year or more.
        InRemission = "in-remission",
    }
);

vocabulary!(
    /// Fitzpatrick skin phototype.
    Fitzpatrick, "Fitzpatrick type", {
        /// Type I: always burns, never tans.
        I = "I",
        /// Type II: usually burns, tans minimally.
        II = "II",
        /// Type III: sometimes burns, tans uniformly.
        III = "III",
        /// Type IV: burns minimally, tans well.
        IV = "IV",
        /// Type V: rarely burns, tans profusely.
        V = "V",
        /// Type VI: never burns, deeply pigmented.
        VI = "VI",
    }
);

vocabulary!(
    /// Skin undertone, which steers the pigment shade.
    Undertone, "undertone", {
        /// Pink, red or bluish undertone.
        Cool = "cool",
        /// Neither warm nor cool.
        Neutral = "neutral",
        /// Yellow, peach or golden undertone.
        Warm = "warm",
        /// Greenish-grey undertone.
        Olive = "olive",
    }
);

vocabulary!(
    /// How reactive the client's skin is (redness, swelling, itching after products or friction).
    Sensitivity, "skin sensitivity", {
        /// Rarely reacts.
        Low = "low",
        /// Ordinary.
        Normal = "normal",
        /// Reacts easily.
        High = "high",
    }
);

vocabulary!(
    /// The hair-loss classification scale.
    HairLossScale, "hair-loss scale", {
        /// Norwood–Hamilton (male pattern), stages I–VII.
        Norwood = "norwood",
        /// Ludwig (female pattern), stages I–III.
        Ludwig = "ludwig",
    }
);

vocabulary!(
    /// What the client wants from SMP.
    Aim, "aim", {
        /// A full shaved ("buzz cut") look over the thinning area.
        ShavedLook = "shaved-look",
        /// A defined front hairline.
        Hairline = "hairline",
        /// Reduce contrast behind longer hair (thinning, diffuse loss).
        DensityUnderHair = "density-under-hair",
        /// Hide a scar (FUT strip, FUE punctures, injury, surgery).
        ScarCamouflage = "scar-camouflage",
        /// Camouflage patches of alopecia areata.
        AlopeciaCamouflage = "alopecia-camouflage",
    }
);

vocabulary!(
    /// The origin of a scar in the treatment area.
    ScarKind, "scar kind", {
        /// Linear strip scar from follicular-unit transplantation.
        FutStrip = "fut-strip",
        /// Punctate scars from follicular-unit extraction.
        Fue = "fue",
        /// Surgical scar (other than hair transplant).
        Surgical = "surgical",
        /// Scar from an injury.
        Injury = "injury",
        /// Burn scar.
        Burn = "burn",
    }
);

/// Norwood–Hamilton stages, as written in intakes.
pub const NORWOOD_STAGES: &[&str] =
    &["I", "II", "IIa", "III", "IIIa", "III-vertex", "IV", "IVa", "V", "Va", "VI", "VII"];

/// Ludwig stages, as written in intakes.
pub const LUDWIG_STAGES: &[&str] = &["I", "II", "III"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_condition() {
        let e = "diabetis".parse::<ConditionKind>().unwrap_err();
        assert!(e.contains("did you mean `diabetes`"), "{e}");
        let e = "seborrheic_dermatits".parse::<ConditionKind>().unwrap_err();
        assert!(e.contains("did you mean `seborrheic-dermatitis`"), "{e}");
        let e = "broken leg".parse::<ConditionKind>().unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
        assert!(e.contains("valid: keloid"), "{e}");
    }

    #[test]
    fn names_round_trip_and_ignore_case() {
        for (k, n) in TreatmentKind::ALL.iter().zip(TreatmentKind::NAMES) {
            assert_eq!(n.parse::<TreatmentKind>().unwrap(), *k);
        }
        assert_eq!("Laser Tattoo Removal".parse::<TreatmentKind>().unwrap(), TreatmentKind::LaserTattooRemoval);
        assert_eq!("iv".parse::<Fitzpatrick>().unwrap(), Fitzpatrick::IV);
    }
}
