//! The consultation record ("intake"): who the client is, their skin, allergies, medical history,
//! treatments with dates, pregnancy, sunburn, hair-loss pattern and goals. Read from TOML or JSON
//! (docs/intake-format.md) and checked for internal consistency; screening reads it, never the reverse.

use crate::date::Date;
use crate::drugs::TreatmentName;
use crate::gate::Clearance;
use crate::source::{self, Format, SourceError};
use crate::vocab::{
    Activity, Aim, AllergyKind, ConditionKind, Fitzpatrick, HairColour, HairLossScale, ScarKind,
    Sensitivity, Sex, Undertone,
};
use serde::{Deserialize, Serialize};

/// Oldest a client can plausibly be at a consultation, years (the oldest people on record were 122).
pub const MAX_AGE_YEARS: i32 = 120;

/// The earliest day a record may carry (anything before is a typo for a recent year).
pub fn earliest_day() -> Date {
    Date::from_ymd(1900, 1, 1).expect("a valid day")
}

/// The value of `format` every intake file carries.
pub const INTAKE_FORMAT: &str = "follicle-intake";
/// The intake format version this crate reads and writes.
pub const INTAKE_VERSION: u32 = 1;

/// The most entries one list of an intake holds (allergies, conditions, treatments, scars, aims).
pub const MAX_LIST_ENTRIES: usize = 50;

/// One client's consultation record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// Always `follicle-intake`.
    pub format: String,
    /// Format version, 1.
    pub version: u32,
    /// Identity and contact.
    pub client: Client,
    /// When and by whom the consultation was held.
    pub consultation: Consultation,
    /// Skin type, undertone and reactivity.
    pub skin: Skin,
    /// Everything the client reports reacting to.
    #[serde(default)]
    pub allergies: Vec<Allergy>,
    /// Medical conditions, past or present.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Medications and treatments with their dates.
    #[serde(default)]
    pub treatments: Vec<Treatment>,
    /// Pregnancy and breastfeeding.
    #[serde(default)]
    pub pregnancy: Pregnancy,
    /// A recent sunburn on the scalp, if any.
    #[serde(default)]
    pub sunburn: Option<Sunburn>,
    /// Hair-loss pattern on a standard scale, if classified.
    #[serde(default)]
    pub hair_loss: Option<HairLoss>,
    /// The client's hair colour, if recorded (a new design's shade starts from it and the skin type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hair: Option<Hair>,
    /// Scars in the area to be treated.
    #[serde(default)]
    pub scars: Vec<Scar>,
    /// What the client wants.
    #[serde(default)]
    pub goals: Goals,
    /// A hair transplant (FUT or FUE), if the client had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hair_transplant: Option<HairTransplant>,
    /// A physician's written clearance for treatment, once received (see docs/screening.md, "Gates").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance: Option<Clearance>,
}

/// Client identity and contact details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// The studio's identifier for the client (stable across records).
    pub id: String,
    /// Full name.
    pub name: String,
    /// Date of birth, for the age check.
    pub date_of_birth: Date,
    /// The client's sex as the head's proportions go, if recorded (a new design starts on that head; without
    /// it, a Ludwig classification is a woman's and a Norwood one a man's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
}

/// When the consultation took place and who held it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// Consultation date.
    pub date: Date,
    /// Practitioner who held it.
    pub practitioner: String,
    /// Free notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Skin phototype, undertone and sensitivity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skin {
    /// Fitzpatrick type I–VI.
    pub fitzpatrick: Fitzpatrick,
    /// Undertone.
    pub undertone: Undertone,
    /// How reactive the skin is.
    #[serde(default = "normal_sensitivity")]
    pub sensitivity: Sensitivity,
}

/// Default skin sensitivity when not recorded.
fn normal_sensitivity() -> Sensitivity {
    Sensitivity::Normal
}

/// Something the client reacts to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allergy {
    /// Kind of allergen.
    pub kind: AllergyKind,
    /// The specific substance if known (an ingredient name, CI number or CAS number), matched against
    /// pigment ingredient lists.
    #[serde(default)]
    pub substance: Option<String>,
    /// What happened.
    #[serde(default)]
    pub reaction: Option<String>,
    /// When it last happened.
    #[serde(default)]
    pub date: Option<Date>,
}

/// A medical condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Which condition.
    pub name: ConditionKind,
    /// Whether it affects the scalp area to be treated (required for skin conditions and infections).
    #[serde(default)]
    pub in_area: Option<bool>,
    /// How active it is now (required for psoriasis, eczema, seborrheic dermatitis, alopecia areata).
    #[serde(default)]
    pub activity: Option<Activity>,
    /// Whether it is controlled by treatment (for diabetes, heart conditions …).
    #[serde(default)]
    pub controlled: Option<bool>,
    /// Free notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A medication or treatment with its dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Treatment {
    /// Which treatment: a class (`anticoagulant`), a drug (`warfarin`) or a brand (`Eliquis`), optionally
    /// followed by the dose (`apixaban 5 mg twice daily`).
    pub name: TreatmentName,
    /// The dose, when not written after the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<String>,
    /// Still taking it / still in the course.
    #[serde(default)]
    pub ongoing: bool,
    /// The last dose, last cycle, last fraction or last laser session (the day it stopped).
    #[serde(default)]
    pub last: Option<Date>,
    /// Whether it was applied to the head or scalp (radiotherapy field, laser on earlier SMP …).
    #[serde(default)]
    pub in_area: bool,
    /// Free notes (drug name, dose).
    #[serde(default)]
    pub notes: Option<String>,
}

/// Pregnancy and breastfeeding status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pregnancy {
    /// Currently pregnant.
    #[serde(default)]
    pub pregnant: bool,
    /// Expected due date, when pregnant.
    #[serde(default)]
    pub due_date: Option<Date>,
    /// Currently breastfeeding.
    #[serde(default)]
    pub breastfeeding: bool,
    /// When breastfeeding is expected to end, if known.
    #[serde(default)]
    pub breastfeeding_until: Option<Date>,
}

/// A sunburn on the scalp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sunburn {
    /// The day of the burn.
    pub date: Date,
    /// Whether it has fully healed (no redness, no peeling).
    #[serde(default)]
    pub healed: bool,
}

/// A hair transplant: the surgery's day (grafts anchor and scars mature over months).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HairTransplant {
    /// The day of the (last) transplant surgery.
    pub date: Date,
    /// FUT (strip) or FUE (extraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<TransplantMethod>,
    /// Free notes (clinic, grafts, areas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Hair-transplant technique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransplantMethod {
    /// Follicular-unit transplantation (strip).
    Fut,
    /// Follicular-unit extraction.
    Fue,
}

/// Hair-loss classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HairLoss {
    /// Norwood or Ludwig.
    pub scale: HairLossScale,
    /// Stage on that scale (Norwood I–VII incl. IIa, IIIa, III-vertex, IVa, Va; Ludwig I–III).
    pub stage: String,
}

/// The client's hair as the practitioner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hair {
    /// Colour, from the practitioners' vocabulary.
    pub colour: HairColour,
    /// Anything the vocabulary does not say ("salt and pepper at the temples").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A scar in the treatment area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scar {
    /// What caused it.
    pub kind: ScarKind,
    /// Length in millimetres, for linear scars.
    #[serde(default)]
    pub length_mm: Option<f64>,
    /// Free notes (raised, discoloured …).
    #[serde(default)]
    pub notes: Option<String>,
}

/// The client's goals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    /// What the client wants to achieve.
    #[serde(default)]
    pub aims: Vec<Aim>,
    /// In the client's words.
    #[serde(default)]
    pub notes: Option<String>,
}

impl Treatment {
    /// The dose: the `dose` field, or what was written after the name.
    pub fn dose(&self) -> Option<&str> {
        self.dose.as_deref().or(self.name.dose.as_deref())
    }
}

impl Intake {
    /// Reads an intake from TOML or JSON text, writes stages in their standard form ("6" → "VI") and
    /// checks it.
    pub fn parse(text: &str, format: Format) -> Result<Intake, SourceError> {
        let mut intake: Intake = source::parse(text, format)?;
        intake.check(format)?;
        if let Some(h) = &mut intake.hair_loss {
            if let Some(stage) = crate::vocab::canonical_stage(h.scale, &h.stage) {
                h.stage = stage.to_string();
            }
        }
        Ok(intake)
    }

    /// Reads an intake from TOML text.
    pub fn from_toml(text: &str) -> Result<Intake, SourceError> {
        Intake::parse(text, Format::Toml)
    }

    /// Reads an intake from JSON text.
    pub fn from_json(text: &str) -> Result<Intake, SourceError> {
        Intake::parse(text, Format::Json)
    }

    /// The client's completed years of age on `on`.
    pub fn age_on(&self, on: Date) -> i32 {
        self.client.date_of_birth.age_on(on)
    }

    /// Whether any scar is recorded or scar camouflage is an aim (scars fade faster: earlier touch-ups).
    pub fn has_scars(&self) -> bool {
        !self.scars.is_empty() || self.goals.aims.contains(&Aim::ScarCamouflage)
    }

    /// Checks the dates against the day the intake is entered: a consultation or a clearance letter dated
    /// after `today` is a typo (a year off), and would otherwise hide the client's real screening, which
    /// goes by the newest consultation.
    /// Also the typed text against the clinic's text rules and no day before 1900. Checked where a record
    /// is entered, not when a stored one is read back (a record kept from before a rule still opens).
    pub fn check_entered_on(&self, today: Date) -> Result<(), String> {
        self.check_lists()?;
        self.check_text().map_err(|e| e.to_string())?;
        if self.consultation.date > today {
            return Err(format!(
                "The consultation is dated {}, after today ({today}): check the year.",
                self.consultation.date
            ));
        }
        self.check_years()
            .map_err(|(path, message)| format!("{path}: {message}"))?;
        self.check_ahead()?;
        for (i, sc) in self.scars.iter().enumerate() {
            if let Some(l) = sc
                .length_mm
                .filter(|l| !(l.is_finite() && *l > 0.0 && *l <= 500.0))
            {
                return Err(format!(
                    "scars[{i}].length_mm: {l} mm is not a scar's length: give it in mm, from more than 0 to 500."
                ));
            }
        }
        if let Some(c) = &self.clearance {
            c.validate(today)?;
            c.check_dated_after(self.client.date_of_birth, None)?;
        }
        Ok(())
    }

    /// Days that cannot be meant, as (field, words): any day before 1900, and a date of birth that makes the
    /// client older than [`MAX_AGE_YEARS`] at the consultation (1897 typed for 1979; outside probe s30: a
    /// client born in 1800 was screened "Go" from a file). Part of [`Intake::check_entered_on`]; the CLI
    /// applies it to the intake files it reads.
    pub fn check_years(&self) -> Result<(), (String, String)> {
        for (path, d) in self.dates() {
            if d < earliest_day() {
                return Err((path, format!("{d} is before 1900: check the year.")));
            }
        }
        let age = self.age_on(self.consultation.date);
        if age > MAX_AGE_YEARS {
            return Err((
                "client.date_of_birth".into(),
                format!(
                    "{} makes the client {age} years old at the consultation of {}: check the year.",
                    self.client.date_of_birth, self.consultation.date
                ),
            ));
        }
        Ok(())
    }

    /// The intake's lists: at most [`MAX_LIST_ENTRIES`] entries each, none given twice (15,000 allergies or
    /// 8,000 copies of one condition made a record nobody can read and a report that takes seconds).
    fn check_lists(&self) -> Result<(), String> {
        fn list<T: PartialEq>(path: &str, what: &str, items: &[T]) -> Result<(), String> {
            if items.len() > MAX_LIST_ENTRIES {
                return Err(format!(
                    "{path}: {} {what} listed; at most {MAX_LIST_ENTRIES} are kept in one consultation.",
                    items.len()
                ));
            }
            for (i, x) in items.iter().enumerate() {
                if let Some(j) = items[..i].iter().position(|y| y == x) {
                    return Err(format!(
                        "{path}[{i}] repeats {path}[{j}]: list each of the client's {what} once."
                    ));
                }
            }
            Ok(())
        }
        list("allergies", "allergies", &self.allergies)?;
        list("conditions", "conditions", &self.conditions)?;
        let names: Vec<_> = self.conditions.iter().map(|c| c.name).collect();
        list("conditions", "conditions", &names)?;
        list("treatments", "treatments", &self.treatments)?;
        list("scars", "scars", &self.scars)?;
        list("goals.aims", "aims", &self.goals.aims)
    }

    /// Every day the intake carries, with its field path.
    fn dates(&self) -> Vec<(String, Date)> {
        let mut v = vec![
            ("consultation.date".to_string(), self.consultation.date),
            (
                "client.date_of_birth".to_string(),
                self.client.date_of_birth,
            ),
        ];
        let mut add = |path: String, d: Option<Date>| v.extend(d.map(|d| (path, d)));
        add(
            "clearance.date".into(),
            self.clearance.as_ref().map(|c| c.date),
        );
        add("pregnancy.due_date".into(), self.pregnancy.due_date);
        add(
            "pregnancy.breastfeeding_until".into(),
            self.pregnancy.breastfeeding_until,
        );
        add("sunburn.date".into(), self.sunburn.as_ref().map(|s| s.date));
        add(
            "hair_transplant.date".into(),
            self.hair_transplant.as_ref().map(|t| t.date),
        );
        for (i, a) in self.allergies.iter().enumerate() {
            add(format!("allergies[{i}].date"), a.date);
        }
        for (i, t) in self.treatments.iter().enumerate() {
            add(format!("treatments[{i}].last"), t.last);
        }
        v
    }

    /// Days that lie ahead of the consultation only as far as they can: a past reaction is not after it, a
    /// due date at most ten months on, breastfeeding planned at most three years on, an ongoing treatment's
    /// last dose at most two years on. A year typed wrong otherwise sets or lifts a deferral.
    fn check_ahead(&self) -> Result<(), String> {
        let seen = self.consultation.date;
        let mut ahead: Vec<(String, Date, Date, &str)> = Vec::new();
        for (i, a) in self.allergies.iter().enumerate() {
            ahead.extend(a.date.map(|d| {
                (
                    format!("allergies[{i}].date"),
                    d,
                    seen,
                    "after the consultation, for a reaction that has happened",
                )
            }));
        }
        for (path, d, months, what) in [
            (
                "pregnancy.due_date",
                self.pregnancy.due_date,
                10,
                "more than ten months after the consultation",
            ),
            (
                "pregnancy.breastfeeding_until",
                self.pregnancy.breastfeeding_until,
                36,
                "more than three years after the consultation",
            ),
        ] {
            ahead.extend(d.map(|d| (path.to_string(), d, seen.add_months(months), what)));
        }
        for (i, t) in self.treatments.iter().enumerate() {
            ahead.extend(t.last.map(|d| {
                (
                    format!("treatments[{i}].last"),
                    d,
                    seen.add_months(24),
                    "more than two years after the consultation",
                )
            }));
        }
        match ahead.into_iter().find(|(_, d, limit, _)| d > limit) {
            Some((path, d, _, what)) => Err(format!(
                "{path}: {d} is {what} (the consultation is on {seen}): check the year."
            )),
            None => Ok(()),
        }
    }

    /// That this intake is the record of the client it is filed under: the same reference and, where the
    /// client's record has one, the same date of birth (the age gate reads the intake's; a form copied from
    /// another client would screen a minor as an adult). The name is the record's: the studio files the
    /// intake under the record's name (outside probe s31: a passport carried the intake's other name).
    pub fn check_is_client(
        &self,
        reference: &str,
        date_of_birth: Option<Date>,
    ) -> Result<(), String> {
        if self.client.id != reference {
            return Err(format!(
                "This consultation is for client “{}”, but this client's reference is “{reference}”.",
                self.client.id
            ));
        }
        if let Some(dob) = date_of_birth.filter(|d| *d != self.client.date_of_birth) {
            return Err(format!(
                "The consultation gives the date of birth {}, but this client's record says {dob}: correct the one that is wrong first.",
                self.client.date_of_birth
            ));
        }
        Ok(())
    }

    /// The typed text of every field against the clinic's text rules (one line and bounded for names and
    /// references, bounded for notes; no control or text-direction characters). Part of
    /// [`Intake::check_entered_on`]; the CLI applies it to the intake files it reads.
    pub fn check_text(&self) -> Result<(), crate::text::TextError> {
        use crate::text::{check, check_optional, TextKind as K};
        check("client.id", &self.client.id, K::Reference)?;
        check("client.name", &self.client.name, K::Name)?;
        check_optional("client.email", self.client.email.as_deref(), K::Name)?;
        if let Some(phone) = self.client.phone.as_deref() {
            crate::text::check_phone("client.phone", phone)?;
        }
        check(
            "consultation.practitioner",
            &self.consultation.practitioner,
            K::Name,
        )?;
        check_optional(
            "consultation.notes",
            self.consultation.notes.as_deref(),
            K::FreeText,
        )?;
        for (i, a) in self.allergies.iter().enumerate() {
            check_optional(
                &format!("allergies[{i}].substance"),
                a.substance.as_deref(),
                K::Name,
            )?;
            check_optional(
                &format!("allergies[{i}].reaction"),
                a.reaction.as_deref(),
                K::Name,
            )?;
        }
        for (i, c) in self.conditions.iter().enumerate() {
            check_optional(
                &format!("conditions[{i}].notes"),
                c.notes.as_deref(),
                K::FreeText,
            )?;
        }
        for (i, t) in self.treatments.iter().enumerate() {
            check_optional(&format!("treatments[{i}].dose"), t.dose.as_deref(), K::Name)?;
            check_optional(
                &format!("treatments[{i}].notes"),
                t.notes.as_deref(),
                K::FreeText,
            )?;
        }
        if let Some(t) = &self.hair_transplant {
            check_optional("hair_transplant.notes", t.notes.as_deref(), K::FreeText)?;
        }
        if let Some(h) = &self.hair {
            check_optional("hair.note", h.note.as_deref(), K::FreeText)?;
        }
        for (i, sc) in self.scars.iter().enumerate() {
            check_optional(
                &format!("scars[{i}].notes"),
                sc.notes.as_deref(),
                K::FreeText,
            )?;
        }
        check_optional("goals.notes", self.goals.notes.as_deref(), K::FreeText)
    }

    /// Internal consistency: format tag, dates not in the future of the consultation, valid stages.
    fn check(&self, format: Format) -> Result<(), SourceError> {
        let bad = |path: String, msg: String| Err(SourceError::invalid(format, path, msg));
        if self.format != INTAKE_FORMAT {
            return bad(
                "format".into(),
                format!("expected `{INTAKE_FORMAT}`, found `{}`", self.format),
            );
        }
        if self.version != INTAKE_VERSION {
            return bad(
                "version".into(),
                format!(
                    "this build reads version {INTAKE_VERSION}, found {}",
                    self.version
                ),
            );
        }
        if self.client.id.trim().is_empty() {
            return bad("client.id".into(), "must not be empty".into());
        }
        if self.client.name.trim().is_empty() {
            return bad("client.name".into(), "must not be empty".into());
        }
        let seen = self.consultation.date;
        // The consultation's own year first: a year 0000 made the date of birth look wrong (outside probe s31).
        if seen < earliest_day() {
            return bad(
                "consultation.date".into(),
                format!("{seen} is before 1900: check the year."),
            );
        }
        if self.client.date_of_birth > seen {
            return bad(
                "client.date_of_birth".into(),
                format!(
                    "{} is after the consultation date {seen}",
                    self.client.date_of_birth
                ),
            );
        }
        for (i, c) in self.conditions.iter().enumerate() {
            use ConditionKind as K;
            let skin = matches!(c.name, K::Psoriasis | K::Eczema | K::SeborrheicDermatitis);
            if (skin || matches!(c.name, K::AlopeciaAreata | K::Epilepsy)) && c.activity.is_none() {
                return bad(
                    format!("conditions[{i}].activity"),
                    format!(
                        "record how active the {} is now: {}",
                        c.name,
                        Activity::NAMES.join(", ")
                    ),
                );
            }
            if (skin || c.name == K::ActiveInfection) && c.in_area.is_none() {
                return bad(
                    format!("conditions[{i}].in_area"),
                    format!(
                        "record whether the {} affects the area to be treated (true or false)",
                        c.name
                    ),
                );
            }
        }
        for (i, t) in self.treatments.iter().enumerate() {
            if let Some(last) = t.last {
                if !t.ongoing && last > seen {
                    return bad(
                        format!("treatments[{i}].last"),
                        format!("{} ({}) is after the consultation date {seen}; mark it `ongoing = true` or correct the date", last, t.name),
                    );
                }
            }
        }
        if let Some(t) = &self.hair_transplant {
            if t.date > seen {
                return bad(
                    "hair_transplant.date".into(),
                    format!("{} is after the consultation date {seen}", t.date),
                );
            }
        }
        if let Some(s) = &self.sunburn {
            if s.date > seen {
                return bad(
                    "sunburn.date".into(),
                    format!("{} is after the consultation date {seen}", s.date),
                );
            }
        }
        for (i, a) in self.allergies.iter().enumerate() {
            if a.kind == AllergyKind::Other
                && a.substance.as_deref().map_or(true, |s| s.trim().is_empty())
            {
                return bad(
                    format!("allergies[{i}].substance"),
                    "an allergy of kind `other` must name the substance".into(),
                );
            }
        }
        if self.pregnancy.due_date.is_some() && !self.pregnancy.pregnant {
            return bad(
                "pregnancy.due_date".into(),
                "a due date is given but `pregnant` is false".into(),
            );
        }
        if let Some(c) = &self.clearance {
            c.check_fields()
                .map_err(|m| SourceError::invalid(format, "clearance", m))?;
        }
        if let Some(h) = &self.hair_loss {
            if crate::vocab::canonical_stage(h.scale, &h.stage).is_none() {
                return bad(
                    "hair_loss.stage".into(),
                    crate::vocab::unknown_stage_message(h.scale, &h.stage),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The least an intake holds (also read by the consultation form's tests).
    pub(crate) const MINIMAL: &str = r#"
format = "follicle-intake"
version = 1
[client]
id = "c-001"
name = "Sam Okafor"
date_of_birth = 1988-04-12
[consultation]
date = 2025-03-03
practitioner = "Ana Ruiz"
[skin]
fitzpatrick = "V"
undertone = "warm"
"#;

    #[test]
    fn a_year_typed_wrong_in_any_intake_date_is_refused_on_entry() {
        let today = Date::from_ymd(2025, 3, 10).unwrap();
        let entered = |extra: &str| {
            Intake::from_toml(&format!("{MINIMAL}\n{extra}\n"))
                .unwrap()
                .check_entered_on(today)
        };
        // Control: plausible dates pass.
        for ok in [
            "[[treatments]]\nname = \"isotretinoin\"\nlast = 2025-02-01",
            "[pregnancy]\npregnant = false\nbreastfeeding = true\nbreastfeeding_until = 2025-09-01",
            "[pregnancy]\npregnant = true\ndue_date = 2025-10-01",
            "[sunburn]\ndate = 2025-03-01\nhealed = false",
            "[[allergies]]\nkind = \"nickel\"\ndate = 2019-06-01",
            "[[scars]]\nkind = \"fut-strip\"\nlength_mm = 80",
        ] {
            assert_eq!(entered(ok), Ok(()), "{ok}");
        }
        // A year typed "0025" would lift the isotretinoin or breastfeeding deferral; 2999 for a reaction,
        // 9999 for a due date would set one that never ends.
        for (bad, field) in [
            ("[[treatments]]\nname = \"isotretinoin\"\nlast = 0025-02-01", "treatments[0].last"),
            ("[pregnancy]\npregnant = false\nbreastfeeding = true\nbreastfeeding_until = 0025-09-01", "pregnancy.breastfeeding_until"),
            ("[pregnancy]\npregnant = false\nbreastfeeding = true\nbreastfeeding_until = 2035-09-01", "pregnancy.breastfeeding_until"),
            ("[pregnancy]\npregnant = true\ndue_date = 9999-01-01", "pregnancy.due_date"),
            ("[sunburn]\ndate = 1000-01-01\nhealed = false", "sunburn.date"),
            ("[[allergies]]\nkind = \"nickel\"\ndate = 2999-01-01", "allergies[0].date"),
            ("[[treatments]]\nname = \"anticoagulant\"\nongoing = true\nlast = 2099-01-01", "treatments[0].last"),
            ("[[scars]]\nkind = \"fut-strip\"\nlength_mm = -5", "scars[0].length_mm"),
        ] {
            let e = entered(bad).unwrap_err();
            assert!(e.starts_with(field), "{bad}: {e}");
        }
    }

    #[test]
    fn an_intake_filed_under_another_client_is_named() {
        let i = Intake::from_toml(MINIMAL).unwrap();
        let dob = Date::from_ymd(1988, 4, 12).unwrap();
        assert_eq!(i.check_is_client("c-001", Some(dob)), Ok(()));
        assert_eq!(i.check_is_client("c-001", None), Ok(()));
        assert!(i
            .check_is_client("c-002", Some(dob))
            .unwrap_err()
            .contains("c-002"));
        let minor = Date::from_ymd(2012, 5, 5).unwrap();
        let e = i.check_is_client("c-001", Some(minor)).unwrap_err();
        assert!(e.contains("1988-04-12") && e.contains("2012-05-05"), "{e}");
    }

    #[test]
    fn hair_colour_is_recorded_from_the_vocabulary() {
        assert_eq!(Intake::from_toml(MINIMAL).unwrap().hair, None);
        let text =
            format!("{MINIMAL}\n[hair]\ncolour = \"dark-brown\"\nnote = \"grey at the temples\"\n");
        let i = Intake::from_toml(&text).unwrap();
        let h = i.hair.as_ref().unwrap();
        assert_eq!(h.colour, HairColour::DarkBrown);
        assert_eq!(h.note.as_deref(), Some("grey at the temples"));
        let json = serde_json::to_string(&i).unwrap();
        assert_eq!(serde_json::from_str::<Intake>(&json).unwrap(), i);
        let e =
            Intake::from_toml(&format!("{MINIMAL}\n[hair]\ncolour = \"blonde\"\n")).unwrap_err();
        assert_eq!(e.path, "hair.colour");
        assert!(e.to_string().contains("blond"), "{e}");
    }

    #[test]
    fn minimal_intake_reads_with_defaults() {
        let i = Intake::from_toml(MINIMAL).unwrap();
        assert_eq!(i.skin.sensitivity, Sensitivity::Normal);
        assert!(i.conditions.is_empty() && !i.pregnancy.pregnant);
        assert_eq!(i.age_on("2025-03-03".parse().unwrap()), 36);
    }

    #[test]
    fn unknown_condition_suggests_closest_with_path_and_line() {
        let text = format!("{MINIMAL}\n[[conditions]]\nname = \"keloid\"\n\n[[conditions]]\nname = \"psoriasis-\"\n");
        let e = Intake::from_toml(&text).unwrap_err();
        assert_eq!(e.path, "conditions[1].name");
        assert!(
            e.message.contains("did you mean `psoriasis`"),
            "{}",
            e.message
        );
        let (line, _) = e.line_column(&text).unwrap();
        assert_eq!(text.lines().nth(line - 1).unwrap(), "name = \"psoriasis-\"");
    }

    #[test]
    fn unknown_field_is_refused() {
        let text = MINIMAL.replace(
            "undertone = \"warm\"",
            "undertone = \"warm\"\nundertones = \"warm\"",
        );
        let e = Intake::from_toml(&text).unwrap_err();
        assert_eq!(e.path, "skin.undertones");
        assert!(e.message.contains("unknown field"), "{}", e.message);
    }

    #[test]
    fn future_last_dose_is_refused_unless_ongoing() {
        let text =
            format!("{MINIMAL}\n[[treatments]]\nname = \"isotretinoin\"\nlast = 2025-06-01\n");
        let e = Intake::from_toml(&text).unwrap_err();
        assert_eq!(e.path, "treatments[0].last");
        let ok = text.replace("last = 2025-06-01", "last = 2025-06-01\nongoing = true");
        assert!(Intake::from_toml(&ok).is_ok());
    }

    #[test]
    fn json_and_toml_agree() {
        let i = Intake::from_toml(MINIMAL).unwrap();
        let json = serde_json::to_string_pretty(&i).unwrap();
        assert_eq!(Intake::from_json(&json).unwrap(), i);
    }

    #[test]
    fn bad_norwood_stage_suggests() {
        let text = format!("{MINIMAL}\n[hair_loss]\nscale = \"norwood\"\nstage = \"VIII\"\n");
        let e = Intake::from_toml(&text).unwrap_err();
        assert_eq!(e.path, "hair_loss.stage");
        assert!(e.message.contains("did you mean `VII`"), "{}", e.message);
    }
}
