//! Pigment catalogue and lots: each pigment carries the label fields EU REACH Annex XVII entry 75
//! (Reg. (EU) 2020/2081) requires on tattoo/PMU mixtures; each lot has its batch number and expiry.
//! Also the checks a lot must pass before it may be used on a client on a given day.

use crate::date::Date;
use crate::intake::{Allergy, Intake};
use crate::source::{self, Format, SourceError};
use crate::vocab::{normalise, AllergyKind};
use serde::{Deserialize, Serialize};

/// The statement entry 75 requires on every tattoo or PMU mixture.
pub const REACH_STATEMENT: &str = "Mixture for use in tattoos or permanent make-up";
/// The entry-75 label statement for mixtures that contain nickel below the limit.
pub const NICKEL_STATEMENT: &str = "Contains nickel. Can cause allergic reactions.";
/// The entry-75 label statement for mixtures that contain chromium(VI) below the limit.
pub const CHROMIUM_VI_STATEMENT: &str = "Contains chromium (VI). Can cause allergic reactions.";

/// A pigment (mixture) in the studio's catalogue, with its entry-75 label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pigment {
    /// The studio's id for it, referenced by lots.
    pub id: String,
    /// Brand.
    pub brand: String,
    /// Product name.
    pub name: String,
    /// Manufacturer or EU importer responsible for placing it on the market (name and address).
    pub supplier: String,
    /// The entry-75 statement, exactly "Mixture for use in tattoos or permanent make-up".
    pub statement: String,
    /// Ingredient list as on the label (INCI / CI / CAS), in descending order of weight.
    pub ingredients: Vec<String>,
    /// Ingredients that are pH regulators (labelled "pH regulator"); each must appear in `ingredients`.
    #[serde(default)]
    pub ph_regulators: Vec<String>,
    /// Whether the label carries "Contains nickel. Can cause allergic reactions."
    pub contains_nickel: bool,
    /// Whether the label carries "Contains chromium (VI). Can cause allergic reactions."
    pub contains_chromium_vi: bool,
    /// Safety instructions for use, as on the label.
    pub safety_instructions: Vec<String>,
    /// Its colour at full strength (an undiluted dried drawdown), CIELAB D65 `[L*, a*, b*]`, as the supplier
    /// states it: with it, new designs can start from this pigment (follicle-render's `start_shade`) and the
    /// preview shows it; without it, the built-in catalogue's pigments are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lab: Option<[f64; 3]>,
}

impl Pigment {
    /// Whether the recorded colour (when there is one) is a CIELAB colour (follicle-core's
    /// `pigment_colour`, the rule the studio's form checks through the browser's core too). The refusal is a
    /// sentence naming the pigment.
    pub fn check_colour(&self) -> Result<(), String> {
        match self.lab {
            Some(lab) => follicle_core::pigment_colour::check(&self.display_name(), lab)
                .map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }

    /// "Brand Name", for messages.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.brand, self.name)
    }

    /// The label statements the mixture must carry (entry 75), in label order.
    pub fn label_statements(&self) -> Vec<&'static str> {
        let mut v = vec![REACH_STATEMENT];
        if self.contains_nickel {
            v.push(NICKEL_STATEMENT);
        }
        if self.contains_chromium_vi {
            v.push(CHROMIUM_VI_STATEMENT);
        }
        v
    }

    /// The ingredient list with "(pH regulator)" after each pH regulator, as entry 75 labels it.
    pub fn labelled_ingredients(&self) -> Vec<String> {
        self.ingredients
            .iter()
            .map(|i| {
                if self.ph_regulators.contains(i) {
                    format!("{i} (pH regulator)")
                } else {
                    i.clone()
                }
            })
            .collect()
    }

    /// What on this pigment's label a client's allergy matches, if anything.
    pub fn allergen_for(&self, allergy: &Allergy) -> Option<String> {
        match allergy.kind {
            AllergyKind::Nickel if self.contains_nickel => {
                return Some(NICKEL_STATEMENT.to_string())
            }
            AllergyKind::Chromium if self.contains_chromium_vi => {
                return Some(CHROMIUM_VI_STATEMENT.to_string())
            }
            _ => {}
        }
        let substance = normalise(allergy.substance.as_deref()?);
        if substance.len() < 3 {
            return None;
        }
        self.ingredients
            .iter()
            .find(|i| normalise(i).contains(&substance))
            .cloned()
    }
}

/// Whether two ids, lot numbers or ingredient names read as the same on a label: equal but for capitals and
/// spaces around them (outside probe s29: lot `nc1-2` was taken beside lot `NC1-2`, and a recall or an ink
/// passport could then name either).
fn reads_same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The words every refusal of a pigment or lot given twice ends its first part with: a form tells a duplicate
/// (a conflict with what is stored) from a value that is wrong by them.
pub const ALREADY_IN_CATALOGUE: &str = "already in the catalogue";

/// The words for `what` `new` given when `had` (which reads the same) is already in the catalogue.
pub fn duplicate(what: &str, new: &str, had: &str) -> String {
    if new == had {
        format!("{what} `{new}` is {ALREADY_IN_CATALOGUE}")
    } else {
        format!("{what} `{new}` reads the same as `{had}`, {ALREADY_IN_CATALOGUE}: use `{had}`")
    }
}

/// One lot (batch) of a pigment in stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    /// The pigment's id.
    pub pigment: String,
    /// Batch / reference number as on the bottle.
    pub number: String,
    /// Last day of use ("use by"): the lot may be used on this day, not after.
    pub expiry: Date,
    /// Day it arrived at the studio.
    #[serde(default)]
    pub received: Option<Date>,
}

/// The studio's pigments and lots (a `follicle-pigments` file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Always `follicle-pigments`.
    pub format: String,
    /// Format version, 1.
    pub version: u32,
    /// Pigments.
    #[serde(rename = "pigment")]
    pub pigments: Vec<Pigment>,
    /// Lots.
    #[serde(rename = "lot", default)]
    pub lots: Vec<Lot>,
}

/// Why a lot may not be used on a client on a day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LotError {
    /// The lot number is not in the catalogue.
    #[error("lot `{number}` is not in the pigment catalogue")]
    UnknownLot {
        /// The lot number asked for.
        number: String,
    },
    /// The lot's expiry is before the session day.
    #[error("lot {number} of {pigment} expired on {expiry}; it cannot be used for the session on {session}")]
    Expired {
        /// Lot number.
        number: String,
        /// Pigment name.
        pigment: String,
        /// Its expiry.
        expiry: Date,
        /// The session day.
        session: Date,
    },
    /// The pigment lists something the client is allergic to.
    #[error("lot {number} of {pigment} lists `{ingredient}`, and client {client} is allergic to {allergy}")]
    Allergen {
        /// Lot number.
        number: String,
        /// Pigment name.
        pigment: String,
        /// The matching label ingredient or statement.
        ingredient: String,
        /// The client.
        client: String,
        /// The client's allergy, as recorded.
        allergy: String,
    },
}

impl LotError {
    /// Why the lot is not offered, in a few words beside its number on a session form ("expired 2025-03-31",
    /// "client is allergic to nickel: its label lists …"): the same check as [`Catalogue::check_use`], so the
    /// form never offers a lot the record would refuse.
    pub fn short_words(&self) -> String {
        match self {
            LotError::UnknownLot { .. } => "not in the catalogue".into(),
            LotError::Expired { expiry, .. } => format!("expired {expiry}"),
            LotError::Allergen {
                ingredient,
                allergy,
                ..
            } => format!("client is allergic to {allergy}: its label lists {ingredient}"),
        }
    }
}

impl Catalogue {
    /// Reads and checks a catalogue.
    pub fn parse(text: &str, format: Format) -> Result<Catalogue, SourceError> {
        let c: Catalogue = source::parse(text, format)?;
        c.check(format)?;
        Ok(c)
    }

    /// Entry-75 fields present, pH regulators among the ingredients, lots point at known pigments.
    fn check(&self, format: Format) -> Result<(), SourceError> {
        let bad = |p: String, m: String| Err(SourceError::invalid(format, p, m));
        if self.format != "follicle-pigments" || self.version != 1 {
            return bad(
                "format".into(),
                format!(
                    "expected `follicle-pigments` version 1, found `{}` version {}",
                    self.format, self.version
                ),
            );
        }
        for (i, p) in self.pigments.iter().enumerate() {
            if p.statement != REACH_STATEMENT {
                return bad(
                    format!("pigment[{i}].statement"),
                    format!("must read exactly \"{REACH_STATEMENT}\" (REACH Annex XVII entry 75)"),
                );
            }
            if p.ingredients.is_empty() {
                return bad(
                    format!("pigment[{i}].ingredients"),
                    "the ingredient list is required (REACH Annex XVII entry 75)".into(),
                );
            }
            if p.safety_instructions.is_empty() {
                return bad(
                    format!("pigment[{i}].safety_instructions"),
                    "safety instructions are required (REACH Annex XVII entry 75)".into(),
                );
            }
            if let Some(r) = p.ph_regulators.iter().find(|r| !p.ingredients.contains(r)) {
                return bad(
                    format!("pigment[{i}].ph_regulators"),
                    format!("`{r}` is not in the ingredient list"),
                );
            }
            if let Err(e) = p.check_colour() {
                return bad(format!("pigment[{i}].lab"), e);
            }
            if let Some(q) = self.pigments[..i].iter().find(|q| reads_same(&q.id, &p.id)) {
                return bad(
                    format!("pigment[{i}].id"),
                    duplicate("pigment id", &p.id, &q.id),
                );
            }
            if let Some((k, twice)) = p
                .ingredients
                .iter()
                .enumerate()
                .find(|(k, n)| p.ingredients[..*k].iter().any(|m| reads_same(m, n)))
            {
                return bad(
                    format!("pigment[{i}].ingredients[{k}]"),
                    format!("`{twice}` is listed twice: list each ingredient once"),
                );
            }
        }
        for (i, l) in self.lots.iter().enumerate() {
            if self.pigment(&l.pigment).is_none() {
                let ids: Vec<&str> = self.pigments.iter().map(|p| p.id.as_str()).collect();
                return bad(
                    format!("lot[{i}].pigment"),
                    crate::vocab::unknown_name_message("pigment", &l.pigment, &ids),
                );
            }
            if l.number.trim().is_empty() {
                return bad(
                    format!("lot[{i}].number"),
                    "the batch/reference number is required".into(),
                );
            }
            if let Some(m) = self.lots[..i]
                .iter()
                .find(|m| reads_same(&m.number, &l.number))
            {
                return bad(
                    format!("lot[{i}].number"),
                    duplicate("lot number", &l.number, &m.number),
                );
            }
            if let Some(received) = l.received.filter(|r| *r > l.expiry) {
                return bad(
                    format!("lot[{i}].received"),
                    format!(
                        "lot {} arrived on {received}, after its use-by day {}: check both days on the bottle",
                        l.number, l.expiry
                    ),
                );
            }
        }
        Ok(())
    }

    /// A pigment by id.
    pub fn pigment(&self, id: &str) -> Option<&Pigment> {
        self.pigments.iter().find(|p| p.id == id)
    }

    /// A lot by number, with its pigment.
    pub fn lot(&self, number: &str) -> Option<(&Lot, &Pigment)> {
        let lot = self.lots.iter().find(|l| l.number == number)?;
        Some((lot, self.pigment(&lot.pigment)?))
    }

    /// Checks that lot `number` may be used on `client` on `day`: known, not expired (a lot is usable on
    /// its expiry day), and free of anything the client is allergic to.
    pub fn check_use(
        &self,
        number: &str,
        client: &Intake,
        day: Date,
    ) -> Result<(&Lot, &Pigment), LotError> {
        let (lot, pigment) = self.lot(number).ok_or_else(|| LotError::UnknownLot {
            number: number.to_string(),
        })?;
        if lot.expiry < day {
            return Err(LotError::Expired {
                number: lot.number.clone(),
                pigment: pigment.display_name(),
                expiry: lot.expiry,
                session: day,
            });
        }
        for allergy in &client.allergies {
            if let Some(ingredient) = pigment.allergen_for(allergy) {
                let described = match &allergy.substance {
                    Some(s) => format!("{s} ({})", allergy.kind),
                    None => allergy.kind.to_string(),
                };
                return Err(LotError::Allergen {
                    number: lot.number.clone(),
                    pigment: pigment.display_name(),
                    ingredient,
                    client: format!("{} ({})", client.client.name, client.client.id),
                    allergy: described,
                });
            }
        }
        Ok((lot, pigment))
    }
}
