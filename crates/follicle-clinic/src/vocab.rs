//! Closed vocabularies of the consultation (conditions, treatments, allergy kinds, skin types …) as enums
//! that read and write their kebab-case names, and the "did you mean" suggestion for a misspelt name.

/// The valid name closest to `input` by edit distance (case and `_`/space vs `-` ignored; Arabic numerals
/// read as Roman ones, "6" as "VI"), if close enough to be a plausible typo: at most 2 edits, or a third of
/// the name's length for long names, and never a name that shares nothing with the input (no "I" for "6").
pub fn closest<'a>(input: &str, names: &[&'a str]) -> Option<&'a str> {
    // A number among Roman-numeral names means the nearest value ("9" on Fitzpatrick's scale → "VI").
    if let Ok(k) = input.trim().parse::<i64>() {
        let numbered = names.iter().filter_map(|&n| roman_value(n).map(|v| (v, n)));
        if k >= 1 {
            if let Some((_, n)) = numbered.min_by_key(|&(v, _)| (v - k).abs()) {
                return Some(n);
            }
        }
    }
    let wanted = roman_numerals(&normalise(input));
    // Ties go to the name sharing the longer prefix with the input ("VIII" → "VII", not "III").
    let prefix = |n: &str| {
        wanted
            .chars()
            .zip(normalise(n).chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    names
        .iter()
        .map(|&n| (strsim::levenshtein(&wanted, &normalise(n)), n))
        .filter(|&(dist, n)| {
            dist <= 2.max(n.len() / 3) && dist < wanted.chars().count().max(n.chars().count())
        })
        .min_by_key(|&(dist, n)| (dist, std::cmp::Reverse(prefix(n))))
        .map(|(_, n)| n)
}

/// The value of a Roman numeral I–X written alone ("VI" → 6), any case.
fn roman_value(name: &str) -> Option<i64> {
    const ROMAN: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    let n = name.to_lowercase();
    ROMAN.iter().position(|r| *r == n).map(|i| i as i64 + 1)
}

/// A leading Arabic number 1–10 written as a lower-case Roman numeral ("6" → "vi", "3a" → "iiia",
/// "3-vertex" → "iii-vertex"); anything else unchanged. Staff write stages and skin types either way.
pub fn roman_numerals(n: &str) -> String {
    const ROMAN: [&str; 11] = [
        "", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    ];
    let digits = n.chars().take_while(char::is_ascii_digit).count();
    match n[..digits].parse::<usize>() {
        Ok(k) if (1..ROMAN.len()).contains(&k) => format!("{}{}", ROMAN[k], &n[digits..]),
        _ => n.to_string(),
    }
}

/// Lower case with `_` and spaces turned into `-`, as names are written.
pub(crate) fn normalise(s: &str) -> String {
    s.trim().to_lowercase().replace(['_', ' '], "-")
}

/// The error text for an unknown name: what was given, the closest valid name and the full list.
pub fn unknown_name_message(what: &str, input: &str, names: &[&str]) -> String {
    if names.is_empty() {
        return format!("unknown {what} `{input}`: no {what} is recorded yet; add it first");
    }
    match closest(input, names) {
        Some(best) => format!(
            "unknown {what} `{input}`: did you mean `{best}`? (valid: {})",
            names.join(", ")
        ),
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
            /// The name as people read it on a screen or a printout ("active infection" for
            /// `active-infection`).
            pub fn words(self) -> String {
                self.as_str().replace('-', " ")
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
                let n = $crate::vocab::roman_numerals(&$crate::vocab::normalise(s));
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
        /// A blood-borne infection (HIV, hepatitis B or C; name it in `notes`).
        BloodBorneInfection = "blood-borne-infection",
        /// Epilepsy (`activity`: `active` = seizures in the last year or not controlled).
        Epilepsy = "epilepsy",
        /// Fainting spells (vasovagal syncope), e.g. at needles or the sight of blood.
        Fainting = "fainting",
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
        /// Hair-loss medication (finasteride, dutasteride, minoxidil): recorded, no screening rule.
        HairLossTreatment = "hair-loss-treatment",
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
    /// The client's natural hair colour as practitioners name it (it steers the pigment and its dilution).
    HairColour, "hair colour", {
        /// Black.
        Black = "black",
        /// Dark brown.
        DarkBrown = "dark-brown",
        /// Medium brown.
        MediumBrown = "medium-brown",
        /// Light brown.
        LightBrown = "light-brown",
        /// Blond.
        Blond = "blond",
        /// Red.
        Red = "red",
        /// Grey or white.
        GreyWhite = "grey-white",
    }
);

vocabulary!(
    /// The client's sex as the head's proportions go (ANSUR II medians: a new design starts on that head, and the
    /// mannequin wears that face).
    Sex, "sex", {
        /// A woman's head.
        Female = "female",
        /// A man's head.
        Male = "male",
    }
);

impl Sex {
    /// The head follicle-core builds for it.
    pub fn head(self) -> follicle_core::Sex {
        match self {
            Sex::Female => follicle_core::Sex::Female,
            Sex::Male => follicle_core::Sex::Male,
        }
    }
}

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
pub const NORWOOD_STAGES: &[&str] = &[
    "I",
    "II",
    "IIa",
    "III",
    "IIIa",
    "III-vertex",
    "IV",
    "IVa",
    "V",
    "Va",
    "VI",
    "VII",
];

/// Ludwig stages, as written in intakes.
pub const LUDWIG_STAGES: &[&str] = &["I", "II", "III"];

/// The standard form of a hair-loss stage as staff write it: any case, Arabic or Roman numerals, with or
/// without the dash ("6" → "VI", "3a" → "IIIa", "3 vertex" → "III-vertex", "ii" → "II").
pub fn canonical_stage(scale: HairLossScale, input: &str) -> Option<&'static str> {
    let stages = match scale {
        HairLossScale::Norwood => NORWOOD_STAGES,
        HairLossScale::Ludwig => LUDWIG_STAGES,
    };
    let mut n = roman_numerals(&normalise(input));
    if let Some(head) = n.strip_suffix("vertex").filter(|h| !h.ends_with('-')) {
        n = format!("{head}-vertex");
    }
    stages.iter().copied().find(|s| s.to_lowercase() == n)
}

/// The error text for a stage not on `scale`, suggesting the right value: a number past the scale's end
/// suggests its last stage (Ludwig "4" → `III`), anything else the closest stage.
pub fn unknown_stage_message(scale: HairLossScale, input: &str) -> String {
    let stages = match scale {
        HairLossScale::Norwood => NORWOOD_STAGES,
        HairLossScale::Ludwig => LUDWIG_STAGES,
    };
    let what = format!("{scale} stage");
    let n = normalise(input);
    let past_end = n
        .parse::<u32>()
        .is_ok_and(|k| k as usize > stages.iter().filter(|s| !s.contains(['a', '-'])).count());
    match stages.last() {
        Some(last) if past_end => {
            format!("unknown {what} `{input}`: did you mean `{last}`? (the {scale} scale ends at {last}; valid: {})", stages.join(", "))
        }
        _ => unknown_name_message(&what, input, stages),
    }
}

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
        assert_eq!(
            "Laser Tattoo Removal".parse::<TreatmentKind>().unwrap(),
            TreatmentKind::LaserTattooRemoval
        );
        assert_eq!("iv".parse::<Fitzpatrick>().unwrap(), Fitzpatrick::IV);
    }

    #[test]
    fn arabic_numerals_and_any_case_for_skin_types_and_stages() {
        for (text, want) in [
            ("1", Fitzpatrick::I),
            ("3", Fitzpatrick::III),
            ("6", Fitzpatrick::VI),
            ("ii", Fitzpatrick::II),
            ("Iv", Fitzpatrick::IV),
            (" 5 ", Fitzpatrick::V),
        ] {
            assert_eq!(text.parse::<Fitzpatrick>().unwrap(), want, "{text}");
        }
        use HairLossScale::{Ludwig, Norwood};
        for (scale, text, want) in [
            (Norwood, "6", "VI"),
            (Norwood, "7", "VII"),
            (Norwood, "3", "III"),
            (Norwood, "3a", "IIIa"),
            (Norwood, "3A", "IIIa"),
            (Norwood, "3 vertex", "III-vertex"),
            (Norwood, "iii vertex", "III-vertex"),
            (Norwood, "3vertex", "III-vertex"),
            (Norwood, "iva", "IVa"),
            (Norwood, "ii", "II"),
            (Ludwig, "2", "II"),
            (Ludwig, "iii", "III"),
            (Ludwig, "1", "I"),
        ] {
            assert_eq!(canonical_stage(scale, text), Some(want), "{scale} {text}");
        }
        assert_eq!(canonical_stage(Ludwig, "4"), None);
        assert_eq!(canonical_stage(Norwood, "8"), None);
    }

    #[test]
    fn did_you_mean_proposes_the_right_value() {
        // Numerals are read before suggesting; a name that shares nothing with the input is not suggested.
        assert_eq!(closest("VIII", NORWOOD_STAGES), Some("VII"));
        assert_eq!(closest("8", NORWOOD_STAGES), Some("VII"));
        assert_eq!(closest("9", &["I", "II"]), Some("II"));
        assert_eq!(closest("9", Fitzpatrick::NAMES), Some("VI"));
        assert_eq!(closest("3", &["keloid", "eczema"]), None);
        assert_eq!(closest("x", Fitzpatrick::NAMES), None);
        let e = "7".parse::<Fitzpatrick>().unwrap_err();
        assert!(e.contains("did you mean `VI`"), "{e}");
        let e = "0".parse::<Fitzpatrick>().unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
        assert_eq!(closest("epilepsi", ConditionKind::NAMES), Some("epilepsy"));
        assert_eq!(
            closest("blood borne infecton", ConditionKind::NAMES),
            Some("blood-borne-infection")
        );
    }
}
