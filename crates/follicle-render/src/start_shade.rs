//! The shade a new design starts from: the pigment and its strength per session for a client's Fitzpatrick
//! type and hair colour as the consultation records them, with the reason in plain words and a warning
//! where SMP is a poor match. This is the one place the rule lives: the server answers it
//! (`GET /api/clients/{id}/designs/start`) and the studio editor applies what it answers to the zones.
//!
//! Practice it follows (docs/preview-model.md, "Starting shade"):
//! - SMP pigment is carbon black diluted with distilled water; practitioners work in one grey,
//!   monochrome range and match the *shaved stubble*, which reads ashy grey whatever the hair colour:
//!   more water for lighter hair, less for darker (GUIDE §4; e.g. pmuhub.com "Can I get scalp
//!   micropigmentation for fair hair", smpofaustin.com "Scalp micropigmentation and gray hair").
//! - Fair skin with dark hair still gets diluted pigment (carbon black heals darker and bluer on fair skin);
//!   darker skin takes stronger pigment. Both come from [`practice_band`], the strengths practitioners use
//!   on a skin of that lightness; the hair's darkness places the strength inside it ([`HAIR_DARKNESS`]).
//!   The preview model's ΔE00 between the healed dot and the shaved stubble ([`stubble_target`]) is
//!   reported beside it, with a catalogue pigment that comes closer where there is one.
//! - The first session is lighter and the fine zones (hairline, scars) a step lighter than the body: the
//!   house strengths per session (`follicle_core::presets`) scaled to the matched strength.
//! - Red hair: no SMP pigment is red; a diluted neutral-to-warm shade that reads as short light-brown
//!   stubble is used, and the client sees a test patch first. Grey or white hair: pigment is never lighter
//!   than the skin, so the healed dots read darker than white stubble; practitioners use a much-diluted grey
//!   for salt-and-pepper hair and advise clients with white hair that SMP is a poor match (it is "not as
//!   effective on people with blonde or red" hair either: totalcoverplus.co.uk).

use crate::color::{ciede2000, lab_from_lin, lin_from_lab};
use crate::shade::{
    closest_pigment, fitzpatrick_lab, hair_name, healed_colour, parse_hair, practice_band,
    stubble_target, Catalogue, Pigment, MATCH_DELTA_E,
};
use follicle_core::presets::{BODY_DILUTION, FINE_DILUTION};

/// The lightest a clinic's pigment may be (L* at full strength) to start a design from: SMP works in one dark
/// neutral range, and carbon-black drawdowns read L* ≈ 14–18 (the built-in catalogue's note); a pre-diluted
/// grey (L* ≈ 34) is a shade for particular hair, not the starting pigment.
pub const START_MAX_L: f64 = 30.0;
/// The most chroma (C*ab at full strength) a clinic's pigment may have to start a design from: neutral to
/// slightly warm blacks (the built-in warm black is ≈ 3.4), not iron-oxide browns (≈ 9.7).
pub const START_MAX_CHROMA: f64 = 6.0;

/// Whether a pigment can be the one a new design starts from ([`START_MAX_L`], [`START_MAX_CHROMA`]).
pub fn suits_start(p: &Pigment) -> bool {
    p.lab.l <= START_MAX_L && p.lab.a.hypot(p.lab.b) <= START_MAX_CHROMA
}

/// The catalogue a new design starts from, made of the clinic's own pigments (those with a recorded colour):
/// `Some` when at least one of them [`suits_start`], with the darkest, most neutral of those as its default
/// (the others stay in it, to be named when one comes closer to the client's stubble); `None` when none suits,
/// and the built-in catalogue is used instead.
pub fn clinic_catalogue(pigments: Vec<Pigment>) -> Option<Catalogue> {
    let default = pigments
        .iter()
        .filter(|p| suits_start(p))
        .min_by(|x, y| {
            let key = |p: &Pigment| (p.lab.l, p.lab.a.hypot(p.lab.b));
            key(x)
                .partial_cmp(&key(y))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| x.name.cmp(&y.name))
        })?
        .name
        .clone();
    Some(Catalogue { default, pigments })
}

/// How well SMP can match the client's shaved hair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// A diluted house pigment gives the shaved look.
    Good,
    /// It can be done with care: a test patch and the preview shown to the client first.
    Caution,
    /// SMP is a poor match for this hair; discuss it with the client before designing.
    Poor,
}

impl Fit {
    /// The name in the API (`good`, `caution`, `poor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Fit::Good => "good",
            Fit::Caution => "caution",
            Fit::Poor => "poor",
        }
    }
}

/// The shade a new design starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct StartingShade {
    /// Fitzpatrick type, 1–6.
    pub fitzpatrick: u8,
    /// The hair colour's name (the intake's).
    pub hair: &'static str,
    /// The catalogue pigment (its default), as written in a zone's `shade`.
    pub pigment: String,
    /// Strength of the last session in density and blend zones (1 = undiluted).
    pub strength: f64,
    /// Strength per session (sessions 1–3) of density and blend zones, a zone's `dilution`.
    pub body: [f64; 3],
    /// Strength per session of the hairline and scar zones (single needle, a step lighter).
    pub fine: [f64; 3],
    /// ΔE00 between the healed impression at `strength` and the shaved stubble.
    pub delta_e: f64,
    /// The strengths practitioners use on this skin ([`practice_band`]).
    pub band: (f64, f64),
    /// When `delta_e` is above [`MATCH_DELTA_E`]: the catalogue pigment that comes closer in the preview
    /// model (name, strength, ΔE00).
    pub closer: Option<(String, f64, f64)>,
    /// How well SMP can match.
    pub fit: Fit,
    /// Which shade and why, in plain words.
    pub why: String,
    /// What to do first, when `fit` is not `Good`.
    pub caution: Option<String>,
}

impl StartingShade {
    /// The strength per session (a zone's `dilution`) for a zone of `kind`: the hairline and scars
    /// (single needle) start a step lighter than density and blend zones, as the house defaults do.
    pub fn dilution_for(&self, kind: follicle_core::ZoneKind) -> [f64; 3] {
        use follicle_core::ZoneKind;
        match kind {
            ZoneKind::Hairline | ZoneKind::Scar => self.fine,
            _ => self.body,
        }
    }

    /// The shade for a design whose pattern draws no hairline (a Ludwig pattern keeps the client's own
    /// frontal hairline as retained hair, blended at the body strengths): [`why`](Self::why) then says the
    /// lighter strengths are the scars', not a hairline's (probe s33: "hairline and scars 24 / 28 / 32 %"
    /// beside a hairline planned at 28 / 32 / 36 %).
    pub fn without_hairline(mut self) -> Self {
        let said = format!(
            "hairline and scars {} % (the first session lighter).",
            percents(&self.fine)
        );
        let kept = format!(
            "scars {} % (the first session lighter); the client's own frontal hairline is kept and blended at the sessions' strengths.",
            percents(&self.fine)
        );
        self.why = self.why.replacen(&said, &kept, 1);
        self
    }
}

/// Why a starting shade cannot be given.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StartShadeError {
    /// Not a Fitzpatrick type.
    #[error("Fitzpatrick type {0} is not one of I–VI")]
    Fitzpatrick(u8),
    /// Not a hair colour the consultation records.
    #[error("hair colour `{0}` is not one of black, dark-brown, medium-brown, light-brown, blond, red, grey-white")]
    Hair(String),
}

/// Roman numeral of a Fitzpatrick type.
fn roman(t: u8) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI"][usize::from(t.clamp(1, 6) - 1)]
}

/// The skin in words, for the reason.
fn skin_words(t: u8) -> &'static str {
    match t {
        1 | 2 => "fair skin",
        3 | 4 => "medium skin",
        _ => "dark skin",
    }
}

/// A strength in whole percent, never below the least that stays visible.
fn whole_percent(s: f64) -> f64 {
    ((s * 100.0).round() / 100.0).clamp(crate::shade::STRENGTH_RANGE.0, 1.0)
}

fn percents(s: &[f64; 3]) -> String {
    s.iter()
        .map(|v| format!("{:.0}", v * 100.0))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Where in the practice band of the skin each hair colour's strength lies (0 = the band's lightest, 1 =
/// its strongest): less water for darker hair, more for lighter (practitioner guides, module doc). Red is
/// placed like light brown (a diluted neutral shade), grey-white at the lightest.
/// **Assumption**: the positions are this project's reading of practitioner guidance, not a published table.
pub const HAIR_DARKNESS: &[(&str, f64)] = &[
    ("black", 1.0),
    ("dark-brown", 0.8),
    ("medium-brown", 0.55),
    ("light-brown", 0.3),
    ("blond", 0.0),
    ("red", 0.3),
    ("grey-white", 0.0),
];

/// How much closer (ΔE00) another catalogue pigment must come before the starting shade names it: the shade
/// report's rule ([`crate::shade::CLOSER_BY`]).
pub use crate::shade::CLOSER_BY;

/// The shade a new design starts from for a client of Fitzpatrick type `fitzpatrick` (1–6) with hair of
/// colour `hair` (the intake's names: black, dark-brown, medium-brown, light-brown, blond, red, grey-white;
/// older spellings such as `brown`, `grey`, `blonde` are read too).
///
/// The pigment is the catalogue's default (carbon black in the built-in one: SMP works in one neutral
/// range); its strength for the last session lies in the practice band of the skin ([`practice_band`]) at
/// the hair's place ([`HAIR_DARKNESS`]), so fair skin with dark hair is diluted and darker skin takes
/// stronger pigment. The healed dot's ΔE00 to the shaved stubble is reported, with the catalogue pigment
/// that would come closer when it is above [`MATCH_DELTA_E`].
pub fn starting_shade(
    catalogue: &Catalogue,
    fitzpatrick: u8,
    hair: &str,
) -> Result<StartingShade, StartShadeError> {
    let skin_lab = fitzpatrick_lab(fitzpatrick).ok_or(StartShadeError::Fitzpatrick(fitzpatrick))?;
    let name = hair_name(hair).ok_or_else(|| StartShadeError::Hair(hair.to_string()))?;
    let skin = lin_from_lab(skin_lab);
    let target = stubble_target(parse_hair(name).expect("a named hair colour"), skin);
    let band = practice_band(skin);
    let darkness = HAIR_DARKNESS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0.0, |(_, d)| *d);
    let pigment = catalogue.resolve(&catalogue.default);
    let strength = whole_percent(band.0 + darkness * (band.1 - band.0));
    let delta_e = ciede2000(
        lab_from_lin(healed_colour(skin, pigment, strength)),
        lab_from_lin(target),
    );
    let closer = (delta_e > MATCH_DELTA_E)
        .then(|| closest_pigment(catalogue, skin, target, band))
        .filter(|(p, _, de)| *p != pigment.name && *de < delta_e - CLOSER_BY);
    let last = BODY_DILUTION[BODY_DILUTION.len() - 1];
    let scale = |house: [f64; 3]| house.map(|h| whole_percent(strength * h / last));
    let body = scale(BODY_DILUTION);
    let fine = scale(FINE_DILUTION);
    let hair_words = name.replace('-', " ");
    // Hair about as light as the skin or lighter: pigment only darkens skin, so the dots cannot match it.
    let light_on_skin = crate::hair_caution::light_on_skin(skin, target);
    let (fit, caution) = match name {
        "grey-white" => (
            Fit::Poor,
            Some(crate::hair_caution::WHITE_WORDS.to_string()),
        ),
        "red" => (
            Fit::Caution,
            Some(crate::hair_caution::RED_WORDS.to_string()),
        ),
        _ if light_on_skin => (
            Fit::Caution,
            Some(crate::hair_caution::light_stubble_words(&hair_words)),
        ),
        _ => (Fit::Good, None),
    };
    let reason = if fitzpatrick <= 2 && darkness >= 0.8 {
        "carbon black heals darker and bluer on fair skin, so dark hair on fair skin still gets diluted pigment"
    } else if matches!(name, "grey-white" | "red") {
        "a light, diluted neutral shade"
    } else if darkness < 0.5 {
        "lighter hair gets more dilution"
    } else if fitzpatrick >= 5 {
        "darker skin takes stronger pigment"
    } else {
        "darker hair gets less dilution"
    };
    let mut why = format!(
        "{} at {:.0} % for Fitzpatrick {} ({}) with {hair_words} hair: {reason} (practitioners use {:.0}–{:.0} % on this skin). Sessions {} %, hairline and scars {} % (the first session lighter).",
        pigment.name,
        strength * 100.0,
        roman(fitzpatrick),
        skin_words(fitzpatrick),
        band.0 * 100.0,
        band.1 * 100.0,
        percents(&body),
        percents(&fine),
    );
    if let Some((p, s, de)) = &closer {
        why.push_str(&format!(
            " The preview model puts the healed dot ΔE00 {delta_e:.1} from shaved {hair_words} stubble; {p} at {:.0} % comes closer (ΔE00 {de:.1}). The design starts from {}, the catalogue's default (SMP works in one neutral range); choosing {p} instead is the practitioner's call, after a patch test shows how it heals on this skin.",
            s * 100.0,
            pigment.name
        ));
    } else if delta_e > MATCH_DELTA_E {
        // The same fact the shade report states for this skin and hair (outside tester s38: the studio's
        // start said nothing where `follicle shade` said "cannot match").
        why.push_str(&format!(
            " The preview model puts the healed dot ΔE00 {delta_e:.1} from shaved {hair_words} stubble (a close match is {MATCH_DELTA_E} or under); no pigment in the catalogue comes closer by ΔE00 {CLOSER_BY} or more.",
        ));
    }
    Ok(StartingShade {
        fitzpatrick,
        hair: name,
        pigment: pigment.name.clone(),
        strength,
        body,
        fine,
        delta_e,
        band,
        closer,
        fit,
        why,
        caution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Fitzpatrick type × every hair colour the consultation records (follicle-clinic's
    /// `HairColour::NAMES`): the expected fit and last-session strength (%). Reviewed against practice:
    /// strength rises with the skin's type and the hair's darkness; red is a caution everywhere, grey-white
    /// a poor match everywhere, light hair on darker skin a caution.
    /// One cell: hair colour, expected fit, expected last-session strength in percent.
    type Cell = (&'static str, Fit, u32);

    const TABLE: [(u8, [Cell; 7]); 6] = {
        use Fit::{Caution as C, Good as G, Poor as P};
        [
            (
                1,
                [
                    ("black", G, 40),
                    ("dark-brown", G, 35),
                    ("medium-brown", G, 29),
                    ("light-brown", G, 22),
                    ("blond", G, 15),
                    ("red", C, 22),
                    ("grey-white", P, 15),
                ],
            ),
            (
                2,
                [
                    ("black", G, 49),
                    ("dark-brown", G, 43),
                    ("medium-brown", G, 36),
                    ("light-brown", G, 29),
                    ("blond", C, 20),
                    ("red", C, 29),
                    ("grey-white", P, 20),
                ],
            ),
            (
                3,
                [
                    ("black", G, 59),
                    ("dark-brown", G, 52),
                    ("medium-brown", G, 44),
                    ("light-brown", G, 36),
                    ("blond", C, 26),
                    ("red", C, 36),
                    ("grey-white", P, 26),
                ],
            ),
            (
                4,
                [
                    ("black", G, 71),
                    ("dark-brown", G, 63),
                    ("medium-brown", G, 54),
                    ("light-brown", G, 44),
                    ("blond", C, 33),
                    ("red", C, 44),
                    ("grey-white", P, 33),
                ],
            ),
            (
                5,
                [
                    ("black", G, 88),
                    ("dark-brown", G, 79),
                    ("medium-brown", G, 68),
                    ("light-brown", C, 56),
                    ("blond", C, 43),
                    ("red", C, 56),
                    ("grey-white", P, 43),
                ],
            ),
            (
                6,
                [
                    ("black", G, 100),
                    ("dark-brown", G, 90),
                    ("medium-brown", C, 78),
                    ("light-brown", C, 65),
                    ("blond", C, 50),
                    ("red", C, 65),
                    ("grey-white", P, 50),
                ],
            ),
        ]
    };

    #[test]
    fn every_fitzpatrick_type_and_hair_colour_gets_its_shade() {
        let c = Catalogue::builtin();
        for (t, row) in TABLE {
            for (hair, fit, percent) in row {
                let s = starting_shade(&c, t, hair).unwrap();
                let cell = format!("Fitzpatrick {t}, {hair}: {s:?}");
                assert_eq!((s.hair, s.fit), (hair, fit), "{cell}");
                assert_eq!((s.strength * 100.0).round() as u32, percent, "{cell}");
                assert_eq!(s.pigment, "carbon black", "{cell}");
                // Within the practice band of this skin, first session lighter, fine zones lighter.
                let (lo, hi) = s.band;
                assert!(
                    s.strength >= lo - 0.005 && s.strength <= hi + 0.005,
                    "{cell}"
                );
                assert_eq!(s.body[2], s.strength, "{cell}");
                assert!(s.body[0] < s.body[1] && s.body[1] < s.body[2], "{cell}");
                assert!(s.fine.iter().zip(&s.body).all(|(f, b)| f < b), "{cell}");
                assert!(s.fine[0] >= 0.05, "{cell}");
                use follicle_core::ZoneKind;
                assert_eq!(s.dilution_for(ZoneKind::Hairline), s.fine, "{cell}");
                assert_eq!(s.dilution_for(ZoneKind::Scar), s.fine, "{cell}");
                assert_eq!(s.dilution_for(ZoneKind::Density), s.body, "{cell}");
                assert_eq!(s.dilution_for(ZoneKind::Blend), s.body, "{cell}");
                // It says in words what it chose and why, and what to do first when it is not a good match.
                let words = format!("carbon black at {percent} % for Fitzpatrick {}", roman(t));
                assert!(s.why.starts_with(&words), "{cell}");
                assert_eq!(s.caution.is_some(), s.fit != Fit::Good, "{cell}");
                // Past a match, the words say how far the preview model puts the healed dot (the shade
                // report says the same for this skin and hair: outside tester s38).
                assert_eq!(
                    s.why
                        .contains(&format!("ΔE00 {:.1} from shaved", s.delta_e)),
                    s.delta_e > MATCH_DELTA_E,
                    "{cell}: {}",
                    s.why
                );
                // A catalogue pigment is named only where it comes clearly closer in the preview model.
                if let Some((p, _, de)) = &s.closer {
                    assert!(
                        p != "carbon black"
                            && *de < s.delta_e - CLOSER_BY
                            && s.why.contains(p.as_str()),
                        "{cell}"
                    );
                }
            }
        }
    }

    #[test]
    fn fair_skin_with_dark_hair_is_diluted_and_dark_skin_takes_stronger_pigment() {
        let c = Catalogue::builtin();
        for hair in ["black", "dark-brown"] {
            let fair = starting_shade(&c, 2, hair).unwrap();
            assert!(fair.strength < 0.5, "{fair:?}");
            assert!(fair.why.contains("diluted"), "{}", fair.why);
            let dark = starting_shade(&c, 6, hair).unwrap();
            assert!(
                dark.strength >= 0.9 && dark.strength > fair.strength,
                "{dark:?}"
            );
        }
        // Darker skin never takes weaker pigment, lighter hair never stronger.
        for hair in INTAKE_HAIR {
            let s: Vec<f64> = (1..=6)
                .map(|t| starting_shade(&c, t, hair).unwrap().strength)
                .collect();
            assert!(s.windows(2).all(|w| w[0] < w[1]), "{hair}: {s:?}");
        }
        for t in 1..=6 {
            let s: Vec<f64> = INTAKE_HAIR[..5]
                .iter()
                .map(|h| starting_shade(&c, t, h).unwrap().strength)
                .collect();
            assert!(s.windows(2).all(|w| w[0] > w[1]), "{t}: {s:?}");
        }
    }

    /// The hair colours of the consultation, dark to light, then red and grey-white.
    const INTAKE_HAIR: [&str; 7] = [
        "black",
        "dark-brown",
        "medium-brown",
        "light-brown",
        "blond",
        "red",
        "grey-white",
    ];

    #[test]
    fn red_and_white_hair_are_flagged_in_plain_words() {
        let c = Catalogue::builtin();
        let kept = starting_shade(&c, 2, "black").unwrap().without_hairline();
        assert!(
            kept.why
                .contains("scars 33 / 38 / 44 % (the first session lighter); the client's own frontal hairline is kept")
                && !kept.why.contains("hairline and scars"),
            "{}",
            kept.why
        );
        let white = starting_shade(&c, 2, "grey-white").unwrap();
        assert!(white.caution.unwrap().contains("poor match for white hair"));
        let red = starting_shade(&c, 3, "red").unwrap();
        assert!(red.caution.unwrap().contains("No SMP pigment is red"));
        assert!(red.why.contains("diluted neutral shade"));
    }

    #[test]
    fn intake_names_and_older_spellings_are_read_and_others_refused() {
        let c = Catalogue::builtin();
        assert_eq!(
            starting_shade(&c, 3, "Medium brown").unwrap().hair,
            "medium-brown"
        );
        assert_eq!(starting_shade(&c, 3, "brown").unwrap().hair, "medium-brown");
        assert_eq!(starting_shade(&c, 3, "blonde").unwrap().hair, "blond");
        assert_eq!(starting_shade(&c, 3, "grey").unwrap().hair, "grey-white");
        assert_eq!(
            starting_shade(&c, 3, "green"),
            Err(StartShadeError::Hair("green".into()))
        );
        assert_eq!(
            starting_shade(&c, 7, "black"),
            Err(StartShadeError::Fitzpatrick(7))
        );
        assert_eq!(
            starting_shade(&c, 0, "black"),
            Err(StartShadeError::Fitzpatrick(0))
        );
    }

    #[test]
    fn a_clinic_catalogue_starts_from_its_darkest_neutral_pigment() {
        use crate::color::Lab;
        let pigment = |name: &str, l: f64, a: f64, b: f64| Pigment {
            name: name.into(),
            lab: Lab::new(l, a, b),
            ingredients: vec!["Carbon black (CI 77266)".into()],
            note: String::new(),
        };
        // A pre-diluted grey and an iron-oxide brown do not start a design; without a dark neutral one, the
        // built-in catalogue is used.
        assert!(clinic_catalogue(vec![]).is_none());
        assert!(clinic_catalogue(vec![
            pigment("studio grey", 34.0, 0.0, -1.0),
            pigment("studio brown", 24.0, 5.5, 8.0),
        ])
        .is_none());
        let own = clinic_catalogue(vec![
            pigment("studio grey", 34.0, 0.0, -1.0),
            pigment("studio warm", 18.0, 1.5, 3.0),
            pigment("studio black", 15.0, 0.3, -0.8),
        ])
        .unwrap();
        assert_eq!(own.default, "studio black");
        assert_eq!(own.pigments.len(), 3, "the others stay in it");
        let s = starting_shade(&own, 5, "black").unwrap();
        assert_eq!(s.pigment, "studio black");
        assert!(s.why.starts_with("studio black at 88 %"), "{}", s.why);
        // The strength is the skin's and hair's, whichever black starts it.
        let builtin = starting_shade(&Catalogue::builtin(), 5, "black").unwrap();
        assert_eq!(
            (s.strength, s.body, s.fine),
            (builtin.strength, builtin.body, builtin.fine)
        );
        // A lighter blond on fair skin names the clinic's grey when it comes closer.
        let blond = starting_shade(&own, 1, "blond").unwrap();
        if let Some((p, _, _)) = &blond.closer {
            assert!(p.starts_with("studio"), "{p}");
        }
    }
}
