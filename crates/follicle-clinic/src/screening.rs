//! Safety screening: a versioned rule set (data, rules/screening-v1.toml) applied to an intake on a given
//! day. Every rule that fires becomes a finding with its rule id, reason, action, source and — for
//! deferrals — the computed date; the overall outcome is the most severe finding.

use crate::date::Date;
use crate::intake::Intake;
use crate::source::{self, Format, SourceError};
use crate::vocab::{Activity, AllergyKind, ConditionKind, Sensitivity, TreatmentKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt;

/// The text of the rule set this build ships (version 1).
pub const SCREENING_RULES_V1: &str = include_str!("../rules/screening-v1.toml");

/// The result class of a screening, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Nothing stands in the way.
    Go,
    /// Treat, but take the listed precautions first (e.g. a patch test).
    GoWithPrecautions,
    /// Treat only with a physician's written clearance.
    PhysicianClearance,
    /// Not before a date (or an event, when the date is not yet known).
    DeferUntil,
    /// Do not treat.
    NotSuitable,
}

impl Outcome {
    /// The kebab-case name used in rules files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Go => "go",
            Outcome::GoWithPrecautions => "go-with-precautions",
            Outcome::PhysicianClearance => "physician-clearance",
            Outcome::DeferUntil => "defer-until",
            Outcome::NotSuitable => "not-suitable",
        }
    }

    /// A short phrase for clients and printouts.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Go => "Go",
            Outcome::GoWithPrecautions => "Go with precautions",
            Outcome::PhysicianClearance => "Physician's clearance needed",
            Outcome::DeferUntil => "Deferred",
            Outcome::NotSuitable => "Not suitable",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A waiting period counted from a dated event (last dose, due date, burn …).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    /// Calendar months (end-of-month clamped).
    #[serde(default)]
    pub months: u32,
    /// Days, added after the months.
    #[serde(default)]
    pub days: u32,
}

impl Wait {
    /// The first day after the wait: `from` plus the months, then the days.
    pub fn after(self, from: Date) -> Date {
        from.add_months(self.months as i32)
            .add_days(i64::from(self.days))
    }
}

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.months, self.days) {
            (0, d) => write!(f, "{d} days"),
            (m, 0) => write!(f, "{m} months"),
            (m, d) => write!(f, "{m} months and {d} days"),
        }
    }
}

/// When a rule fires: exactly one subject (age, condition, treatment, allergy, sensitivity, pregnancy,
/// breastfeeding, sunburn) plus optional modifiers, all of which must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Subject: the client is younger than this many completed years.
    #[serde(default)]
    pub age_under: Option<u32>,
    /// Subject: the client has this condition.
    #[serde(default)]
    pub condition: Option<ConditionKind>,
    /// Subject: the client has had this treatment (while it counts: ongoing, or within `wait`).
    #[serde(default)]
    pub treatment: Option<TreatmentKind>,
    /// Subject: the client reports an allergy of this kind.
    #[serde(default)]
    pub allergy: Option<AllergyKind>,
    /// Subject: the client's skin sensitivity is this.
    #[serde(default)]
    pub sensitivity: Option<Sensitivity>,
    /// Subject: the client is pregnant (`true`).
    #[serde(default)]
    pub pregnant: Option<bool>,
    /// Subject: the client is breastfeeding (`true`).
    #[serde(default)]
    pub breastfeeding: Option<bool>,
    /// Subject: the client has a recent sunburn on the scalp (`true`).
    #[serde(default)]
    pub sunburn: Option<bool>,
    /// Subject: the client had a hair transplant (`true`), dated by its surgery day.
    #[serde(default)]
    pub hair_transplant: Option<bool>,
    /// Modifier (condition, treatment): affects the area to be treated.
    #[serde(default)]
    pub in_area: Option<bool>,
    /// Modifier (condition): current activity is one of these.
    #[serde(default)]
    pub activity: Option<Vec<Activity>>,
    /// Modifier (treatment): still ongoing.
    #[serde(default)]
    pub ongoing: Option<bool>,
}

/// One screening rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable identifier, never reused for a different rule.
    pub id: String,
    /// When it fires.
    pub when: When,
    /// What it means for the client.
    pub outcome: Outcome,
    /// Waiting period from the dated event (required for `defer-until`).
    #[serde(default)]
    pub wait: Option<Wait>,
    /// Why, in words the client can read.
    pub reason: String,
    /// What the practitioner does about it.
    pub action: String,
    /// Where the rule comes from.
    pub source: String,
}

/// A versioned set of screening rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Name of the rule set.
    pub ruleset: String,
    /// Version number; bumped on every change.
    pub version: u32,
    /// Date the version took effect.
    pub published: Date,
    /// The rules, in the order findings are reported.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
    /// SHA-256 (hex) of the rules text, recorded with each screening.
    #[serde(skip)]
    pub sha256: String,
}

/// Which subject a rule's `when` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Age(u32),
    Condition(ConditionKind),
    Treatment(TreatmentKind),
    Allergy(AllergyKind),
    Sensitivity(Sensitivity),
    Pregnant,
    Breastfeeding,
    Sunburn,
    HairTransplant,
}

impl When {
    /// The single subject, or a message saying what is wrong.
    fn subject(&self) -> Result<Subject, String> {
        let mut subjects = Vec::new();
        if let Some(a) = self.age_under {
            subjects.push(Subject::Age(a));
        }
        if let Some(c) = self.condition {
            subjects.push(Subject::Condition(c));
        }
        if let Some(t) = self.treatment {
            subjects.push(Subject::Treatment(t));
        }
        if let Some(a) = self.allergy {
            subjects.push(Subject::Allergy(a));
        }
        if let Some(s) = self.sensitivity {
            subjects.push(Subject::Sensitivity(s));
        }
        for (flag, subject, name) in [
            (self.pregnant, Subject::Pregnant, "pregnant"),
            (self.breastfeeding, Subject::Breastfeeding, "breastfeeding"),
            (self.sunburn, Subject::Sunburn, "sunburn"),
            (
                self.hair_transplant,
                Subject::HairTransplant,
                "hair_transplant",
            ),
        ] {
            match flag {
                Some(true) => subjects.push(subject),
                Some(false) => return Err(format!("`{name}` can only be `true`")),
                None => {}
            }
        }
        match subjects.as_slice() {
            [one] => Ok(*one),
            [] => Err("names no subject (age_under, condition, treatment, allergy, sensitivity, pregnant, breastfeeding, sunburn, hair_transplant)".into()),
            _ => Err("names more than one subject; split it into separate rules".into()),
        }
    }
}

impl RuleSet {
    /// The rule set this build ships.
    pub fn embedded() -> RuleSet {
        RuleSet::from_toml(SCREENING_RULES_V1).expect("embedded screening rules are valid (tested)")
    }

    /// Reads and checks a rule set from TOML text.
    pub fn from_toml(text: &str) -> Result<RuleSet, SourceError> {
        let mut set: RuleSet = source::from_toml(text)?;
        set.sha256 = hex_sha256(text.as_bytes());
        set.check()?;
        Ok(set)
    }

    /// Unique ids, one subject per rule, modifiers that fit the subject, waits where dates are involved.
    fn check(&self) -> Result<(), SourceError> {
        let mut ids = HashSet::new();
        for (i, r) in self.rules.iter().enumerate() {
            let bad = |field: &str, msg: String| {
                Err(SourceError::invalid(
                    Format::Toml,
                    format!("rule[{i}].{field}"),
                    format!("rule `{}`: {msg}", r.id),
                ))
            };
            if r.id.trim().is_empty() || !ids.insert(r.id.as_str()) {
                return bad("id", "empty or duplicate id".into());
            }
            let subject = match r.when.subject() {
                Ok(s) => s,
                Err(m) => return bad("when", m),
            };
            let dated = matches!(
                subject,
                Subject::Treatment(_)
                    | Subject::Pregnant
                    | Subject::Breastfeeding
                    | Subject::Sunburn
                    | Subject::HairTransplant
            );
            if r.when.in_area.is_some()
                && !matches!(subject, Subject::Condition(_) | Subject::Treatment(_))
            {
                return bad(
                    "when.in_area",
                    "only applies to a condition or a treatment".into(),
                );
            }
            if r.when.activity.is_some() && !matches!(subject, Subject::Condition(_)) {
                return bad("when.activity", "only applies to a condition".into());
            }
            if r.when.ongoing.is_some() && !matches!(subject, Subject::Treatment(_)) {
                return bad("when.ongoing", "only applies to a treatment".into());
            }
            if r.outcome == Outcome::Go {
                return bad(
                    "outcome",
                    "a rule cannot have outcome `go` (no rule firing means go)".into(),
                );
            }
            if r.outcome == Outcome::DeferUntil && r.wait.is_none() {
                return bad(
                    "wait",
                    "a `defer-until` rule needs a `wait` from the dated event".into(),
                );
            }
            if r.wait.is_some() && !dated {
                return bad("wait", "only applies to a treatment, pregnancy, breastfeeding, sunburn or hair transplant".into());
            }
            if r.wait.is_some() && r.when.ongoing == Some(true) {
                return bad("wait", "cannot be combined with `ongoing = true`".into());
            }
        }
        Ok(())
    }
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's id.
    pub rule: String,
    /// The rule's outcome.
    pub outcome: Outcome,
    /// Why (from the rule).
    pub reason: String,
    /// What to do (from the rule).
    pub action: String,
    /// What in the intake made it fire, with dates.
    pub detail: String,
    /// For deferrals: the first day treatment may take place; `None` while the event's date is unknown. For an
    /// age limit (not suitable): the day the client reaches it, from which the rule no longer holds.
    pub until: Option<Date>,
    /// The rule's source.
    pub source: String,
}

/// The result of screening one intake on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    /// The client's id.
    pub client_id: String,
    /// The client's name.
    pub client_name: String,
    /// The day screened for (the intended treatment day).
    pub on: Date,
    /// The client's age that day.
    pub age: i32,
    /// Rule set name.
    pub ruleset: String,
    /// Rule set version.
    pub ruleset_version: u32,
    /// SHA-256 of the rule set text.
    pub ruleset_sha256: String,
    /// The most severe outcome among the findings (`go` when none fired).
    pub outcome: Outcome,
    /// For a deferral: the latest known date among the deferrals.
    pub until: Option<Date>,
    /// For a deferral: some deferral waits on an event whose date is not yet known.
    pub open_ended: bool,
    /// Every rule that fired, in rule-set order.
    pub findings: Vec<Finding>,
}

impl Screening {
    /// Findings with exactly this outcome.
    pub fn findings_with(&self, outcome: Outcome) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.outcome == outcome)
    }

    /// A one-line summary: the outcome, with the date for deferrals.
    pub fn headline(&self) -> String {
        match (self.outcome, self.until, self.open_ended) {
            (Outcome::DeferUntil, Some(d), false) => format!("Deferred until {d}"),
            (Outcome::DeferUntil, Some(d), true) => {
                format!("Deferred until at least {d} (one date not yet known)")
            }
            (Outcome::DeferUntil, None, _) => "Deferred (date not yet known)".to_string(),
            (o, _, _) => o.label().to_string(),
        }
    }
}

/// A dated event's state as a rule sees it.
enum Event {
    /// Does not apply (absent, healed and past, or outside the modifiers).
    None,
    /// Applies; counts until this date (exclusive), or with no known end.
    Counts { until: Option<Date>, detail: String },
}

/// Applies `rules` to `intake` for treatment on `on`.
pub fn screen(intake: &Intake, rules: &RuleSet, on: Date) -> Screening {
    let age = intake.age_on(on);
    let mut findings = Vec::new();
    for rule in &rules.rules {
        let subject = rule.when.subject().expect("rule sets are checked on load");
        for event in matches(intake, rule, subject, on, age) {
            if let Event::Counts { until, detail } = event {
                findings.push(Finding {
                    rule: rule.id.clone(),
                    outcome: rule.outcome,
                    reason: rule.reason.clone(),
                    action: rule.action.clone(),
                    detail,
                    // A deferral's end; and for an age limit the day the client reaches it (the rule is
                    // "under 18 on the day of treatment": a later day may be past it).
                    until: if rule.outcome == Outcome::DeferUntil
                        || matches!(subject, Subject::Age(_))
                    {
                        until
                    } else {
                        None
                    },
                    source: rule.source.clone(),
                });
            }
        }
    }
    let outcome = findings
        .iter()
        .map(|f| f.outcome)
        .max()
        .unwrap_or(Outcome::Go);
    let deferrals: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.outcome == Outcome::DeferUntil)
        .collect();
    let until = deferrals.iter().filter_map(|f| f.until).max();
    let open_ended = deferrals.iter().any(|f| f.until.is_none());
    Screening {
        client_id: intake.client.id.clone(),
        client_name: intake.client.name.clone(),
        on,
        age,
        ruleset: rules.ruleset.clone(),
        ruleset_version: rules.version,
        ruleset_sha256: rules.sha256.clone(),
        outcome,
        until: if outcome == Outcome::DeferUntil {
            until
        } else {
            None
        },
        open_ended: outcome == Outcome::DeferUntil && open_ended,
        findings,
    }
}

/// Whether a dated event still counts on `on` under `wait` (`None` wait: it counts while present).
/// The client may be treated on the end date itself: it counts only while `on < end`.
fn dated(event: Option<Date>, wait: Option<Wait>, on: Date, what: &str) -> Event {
    match (wait, event) {
        (None, Some(d)) => Event::Counts {
            until: None,
            detail: format!("{what} {d}"),
        },
        (None, None) => Event::Counts {
            until: None,
            detail: what.to_string(),
        },
        (Some(w), Some(d)) => {
            let end = w.after(d);
            if on < end {
                Event::Counts {
                    until: Some(end),
                    detail: format!("{what} {d}; wait {w}: until {end}"),
                }
            } else {
                Event::None
            }
        }
        (Some(_), None) => Event::Counts {
            until: None,
            detail: format!("{what}: date not recorded"),
        },
    }
}

/// The events in `intake` that satisfy `rule` on `on` (one per matching entry).
fn matches(intake: &Intake, rule: &Rule, subject: Subject, on: Date, age: i32) -> Vec<Event> {
    let w = &rule.when;
    match subject {
        Subject::Age(limit) => {
            if age < limit as i32 {
                let turns = intake.client.date_of_birth.add_months(12 * limit as i32);
                vec![Event::Counts {
                    until: Some(turns),
                    detail: format!("age {age} on {on} (turns {limit} on {turns})"),
                }]
            } else {
                vec![]
            }
        }
        Subject::Condition(kind) => intake
            .conditions
            .iter()
            .filter(|c| c.name == kind)
            .filter(|c| w.in_area.map_or(true, |want| c.in_area == Some(want)))
            .filter(|c| {
                w.activity
                    .as_ref()
                    .map_or(true, |list| c.activity.is_some_and(|a| list.contains(&a)))
            })
            .map(|c| {
                let mut detail = c.name.words();
                if let Some(a) = c.activity {
                    detail.push_str(&format!(", {a}"));
                }
                match c.in_area {
                    Some(true) => detail.push_str(", in the treatment area"),
                    Some(false) => detail.push_str(", outside the treatment area"),
                    None => {}
                }
                if let Some(n) = &c.notes {
                    detail.push_str(&format!(" ({n})"));
                }
                Event::Counts {
                    until: None,
                    detail,
                }
            })
            .collect(),
        Subject::Treatment(kind) => intake
            .treatments
            .iter()
            .filter(|t| t.name == kind)
            .filter(|t| w.in_area.map_or(true, |want| t.in_area == want))
            .filter(|t| w.ongoing.map_or(true, |want| t.ongoing == want))
            .map(|t| {
                let mut what = t.name.to_string();
                if let Some(dose) = t.dose.as_deref() {
                    what = format!("{what}, {dose}");
                }
                if t.in_area {
                    what.push_str(" in the treatment area");
                }
                if t.ongoing {
                    let detail = match rule.wait {
                        Some(wait) => format!("{what} ongoing; wait {wait} after the last dose"),
                        None => format!("{what} ongoing"),
                    };
                    Event::Counts {
                        until: None,
                        detail,
                    }
                } else {
                    dated(t.last, rule.wait, on, &format!("{what}, last"))
                }
            })
            .collect(),
        Subject::Allergy(kind) => intake
            .allergies
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| {
                let mut detail = format!("allergy: {}", a.kind.words());
                if let Some(s) = &a.substance {
                    detail.push_str(&format!(" ({s})"));
                }
                if let Some(r) = &a.reaction {
                    detail.push_str(&format!(": {r}"));
                }
                if let Some(d) = a.date {
                    detail.push_str(&format!(" (last reaction {d})"));
                }
                Event::Counts {
                    until: None,
                    detail,
                }
            })
            .collect(),
        Subject::Sensitivity(s) => {
            if intake.skin.sensitivity == s {
                vec![Event::Counts {
                    until: None,
                    detail: format!("skin sensitivity: {s}"),
                }]
            } else {
                vec![]
            }
        }
        Subject::Pregnant => {
            if intake.pregnancy.pregnant {
                vec![dated(
                    intake.pregnancy.due_date,
                    rule.wait,
                    on,
                    "pregnant, due",
                )]
            } else {
                vec![]
            }
        }
        Subject::Breastfeeding => {
            if intake.pregnancy.breastfeeding {
                vec![dated(
                    intake.pregnancy.breastfeeding_until,
                    rule.wait,
                    on,
                    "breastfeeding until",
                )]
            } else {
                vec![]
            }
        }
        Subject::Sunburn => match &intake.sunburn {
            Some(s) => match dated(Some(s.date), rule.wait, on, "sunburn on") {
                Event::None if !s.healed => Event::Counts {
                    until: None,
                    detail: format!("sunburn on {} not yet healed", s.date),
                },
                other => other,
            }
            .into_vec(),
            None => vec![],
        },
        Subject::HairTransplant => match &intake.hair_transplant {
            Some(t) => {
                let method = t
                    .method
                    .map(|m| format!("{m:?}").to_uppercase() + " ")
                    .unwrap_or_default();
                vec![dated(
                    Some(t.date),
                    rule.wait,
                    on,
                    &format!("{method}hair transplant on"),
                )]
            }
            None => vec![],
        },
    }
}

impl Event {
    /// This event as a one-element list.
    fn into_vec(self) -> Vec<Event> {
        vec![self]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_load_with_unique_ids_and_sources() {
        let set = RuleSet::embedded();
        assert_eq!(set.version, 2);
        assert!(set.rules.len() >= 25);
        assert!(set.rules.iter().all(|r| !r.source.trim().is_empty()));
        assert_eq!(set.sha256.len(), 64);
    }

    #[test]
    fn rule_checks_refuse_malformed_rules() {
        let head = "ruleset = \"t\"\nversion = 1\npublished = 2025-01-01\n";
        let two = format!("{head}[[rule]]\nid = \"x\"\nwhen = {{ condition = \"diabetes\", allergy = \"nickel\" }}\noutcome = \"not-suitable\"\nreason = \"r\"\naction = \"a\"\nsource = \"s\"\n");
        assert!(RuleSet::from_toml(&two)
            .unwrap_err()
            .message
            .contains("more than one subject"));
        let nowait = format!("{head}[[rule]]\nid = \"x\"\nwhen = {{ treatment = \"isotretinoin\" }}\noutcome = \"defer-until\"\nreason = \"r\"\naction = \"a\"\nsource = \"s\"\n");
        assert_eq!(
            RuleSet::from_toml(&nowait).unwrap_err().path,
            "rule[0].wait"
        );
        let typo = format!("{head}[[rule]]\nid = \"x\"\nwhen = {{ condition = \"keloids\" }}\noutcome = \"not-suitable\"\nreason = \"r\"\naction = \"a\"\nsource = \"s\"\n");
        let e = RuleSet::from_toml(&typo).unwrap_err();
        assert!(e.message.contains("did you mean `keloid`"), "{}", e.message);
    }

    #[test]
    fn outcomes_order_by_severity() {
        assert!(Outcome::Go < Outcome::GoWithPrecautions);
        assert!(Outcome::GoWithPrecautions < Outcome::PhysicianClearance);
        assert!(Outcome::PhysicianClearance < Outcome::DeferUntil);
        assert!(Outcome::DeferUntil < Outcome::NotSuitable);
    }

    #[test]
    fn wait_counts_months_then_days() {
        let d: Date = "2024-08-31".parse().unwrap();
        assert_eq!(
            Wait { months: 6, days: 0 }.after(d).to_string(),
            "2025-02-28"
        );
        assert_eq!(
            Wait {
                months: 0,
                days: 90
            }
            .after(d)
            .to_string(),
            "2024-11-29"
        );
    }
}
