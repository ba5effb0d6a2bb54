//! Screening gates treatment: whether a session may be recorded or booked for a client on a given day,
//! from the client's screening, a recorded physician's clearance and an owner's override with a written
//! reason. The one place this rule lives: the CLI's schedule, the server's session and booking routes and
//! the browser all ask [`check`] and show its [`Refusal`] as it is worded here.
//!
//! - `not-suitable`: never (no override; screen again when the facts change, e.g. after an 18th birthday).
//! - `defer-until`: not before the deferral's date; never while the date is not known.
//! - `physician-clearance`: only once a clearance is recorded (who gave it, when, the letter's reference)
//!   that covers every finding needing one.
//! - `go` and `go-with-precautions`: yes (precautions are listed on the permit).
//!
//! An owner's override lifts a clearance or a deferral gate (never `not-suitable`); it needs a written
//! reason, and the caller stores it in the audit log with the permit's basis.
//!
//! Recording a session also needs the client's signature on the treatment consent current that day
//! ([`check_consent`]). No override lifts it: consent is the client's to give, not the owner's. Booking
//! does not need it (the client signs on the tablet when they arrive for their first session).

use crate::consent::{ConsentLibrary, SignedConsent};
use crate::date::{ClinicZone, Date};
use crate::intake::Intake;
use crate::screening::{screen, Finding, Outcome, RuleSet, Screening};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The consent text a client signs before treatment.
pub const TREATMENT_CONSENT: &str = "smp-treatment";

/// Shortest written reason an override accepts (a few words, not "ok").
pub const OVERRIDE_REASON_MIN_CHARS: usize = 15;
/// Longest written reason an override accepts.
pub const OVERRIDE_REASON_MAX_CHARS: usize = 2000;
/// Longest name or reference a clearance accepts (physician, letter reference).
pub const CLEARANCE_FIELD_MAX_CHARS: usize = 200;

/// What is being asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Recording a session that was held (on a day up to today).
    Record,
    /// Booking a session for a day from today on.
    Book,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Record => "record",
            Action::Book => "book",
        })
    }
}

/// A physician's written clearance for treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clearance {
    /// Who gave it (the physician's name and role).
    pub by: String,
    /// The day the letter was written.
    pub date: Date,
    /// The letter's reference (file name, document id or the uploaded letter's id).
    pub letter: String,
    /// The screening rules it covers (rule ids); empty: every finding that needs clearance in the screening
    /// it was recorded against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<String>,
    /// Conditions the physician set (e.g. "INR below 3 on the day").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Clearance {
    /// Checks the fields a person typed: names present, not too long, not dated after `today`.
    pub fn validate(&self, today: Date) -> Result<(), String> {
        self.check_fields()?;
        if self.date < crate::intake::earliest_day() {
            return Err(format!(
                "The clearance letter is dated {}, before 1900: check the year.",
                self.date
            ));
        }
        if self.date > today {
            return Err(format!(
                "The clearance letter is dated {}, after today ({today}).",
                self.date
            ));
        }
        Ok(())
    }

    /// Checks the letter's date against the client: not before the client was born, and, for a letter sent
    /// for a consultation's finding (`finding`: the day of that consultation), not before the finding it clears.
    pub fn check_dated_after(&self, born: Date, finding: Option<Date>) -> Result<(), String> {
        if self.date < born {
            return Err(format!(
                "The clearance letter is dated {}, before the client was born ({born}): check the year.",
                self.date
            ));
        }
        if let Some(f) = finding.filter(|f| self.date < *f) {
            return Err(format!(
                "The clearance letter is dated {}, before the consultation on {f} whose finding it clears: check the date, or record the consultation again if the letter came first.",
                self.date
            ));
        }
        Ok(())
    }

    /// Checks the typed fields only: who and the letter's reference present, one line, bounded.
    pub fn check_fields(&self) -> Result<(), String> {
        for (what, value) in [
            ("who gave the clearance", &self.by),
            ("the letter's reference", &self.letter),
        ] {
            let v = value.trim();
            if v.is_empty() {
                return Err(format!("Write {what}."));
            }
            if v.chars().count() > CLEARANCE_FIELD_MAX_CHARS || v.chars().any(char::is_control) {
                return Err(format!(
                    "{} must be one line of at most {CLEARANCE_FIELD_MAX_CHARS} characters.",
                    follicle_core::words::capitalised(what)
                ));
            }
        }
        Ok(())
    }
}

/// An owner's decision to go ahead despite a clearance or deferral gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The owner who decided (the caller checks the role).
    pub by: String,
    /// Why, in the owner's words.
    pub reason: String,
}

impl Override {
    /// Checks that the reason is written out (a sentence, not a token) and bounded.
    pub fn validate(&self) -> Result<(), String> {
        // No control or text-direction characters (they would forge the audit line), and only characters that
        // show are counted: 15 zero-width spaces or Hangul fillers are no reason (probe s10).
        crate::text::check(
            "The override's reason",
            &self.reason,
            crate::text::TextKind::FreeText,
        )
        .map_err(|e| match e {
            crate::text::TextError::TooLong { .. } => format!(
                "The override's reason is longer than {OVERRIDE_REASON_MAX_CHARS} characters."
            ),
            e => e.to_string(),
        })?;
        let n = crate::text::shown_chars(&self.reason);
        if n < OVERRIDE_REASON_MIN_CHARS {
            return Err(format!(
                "An override needs a written reason of at least {OVERRIDE_REASON_MIN_CHARS} characters explaining why treatment goes ahead."
            ));
        }
        if n > OVERRIDE_REASON_MAX_CHARS {
            return Err(format!(
                "The override's reason is longer than {OVERRIDE_REASON_MAX_CHARS} characters."
            ));
        }
        if self.by.trim().is_empty() {
            return Err("An override must name the owner who gave it.".into());
        }
        Ok(())
    }
}

/// Why a session may go ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "basis")]
pub enum Basis {
    /// Nothing in the screening stands in the way.
    Go,
    /// Go, with these precautions (rule ids) taken.
    Precautions {
        /// The precaution rules that fired.
        rules: Vec<String>,
    },
    /// A physician's clearance covers every finding that needed one.
    Cleared {
        /// The clearance.
        clearance: Clearance,
        /// The rules it lifted.
        rules: Vec<String>,
    },
    /// An owner overrode a clearance or deferral gate.
    Overridden {
        /// The override (for the audit log).
        by: Override,
        /// What it overrode, in words.
        gate: String,
    },
}

/// Permission to record or book a session for one client on one day. Only [`check`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permit {
    client_id: String,
    day: Date,
    action: Action,
    /// Why the session may go ahead.
    pub basis: Basis,
}

impl Permit {
    /// The client it was given for.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The day it was given for.
    pub fn day(&self) -> Date {
        self.day
    }

    /// Record or book.
    pub fn action(&self) -> Action {
        self.action
    }
}

/// Why a session may not be recorded or booked, worded for the front desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "kebab-case", tag = "gate")]
pub enum Refusal {
    /// No screening on record.
    #[error("This client has not been screened yet: screen the consultation before any session is recorded or booked.")]
    NotScreened,
    /// A finding needs a physician's clearance and none covering it is recorded.
    #[error("This client needs a physician's clearance before treatment ({}). Record the clearance letter (who gave it, when, its reference) first.", details(.findings))]
    NeedsClearance {
        /// The findings that need clearance (rule id and what fired it).
        findings: Vec<(String, String)>,
    },
    /// Deferred until a date (or until an event whose date is not known).
    #[error("{}", deferred_message(*.until, .findings))]
    Deferred {
        /// The first day treatment may take place; `None` while not known.
        until: Option<Date>,
        /// The deferral findings still in force.
        findings: Vec<(String, String)>,
    },
    /// Not suitable for treatment.
    #[error("This client is not suitable for treatment ({}): no session can be recorded or booked.", details(.findings))]
    NotSuitable {
        /// The findings that make the client unsuitable.
        findings: Vec<(String, String)>,
    },
    /// A session can only be recorded once it has been held.
    #[error("A session can't be recorded for {day}: that day hasn't come yet (today is {today}).")]
    RecordInFuture {
        /// The session's day.
        day: Date,
        /// Today in the clinic.
        today: Date,
    },
    /// A booking can only be made for today or later.
    #[error("A session can't be booked for {day}: that day has passed (today is {today}).")]
    BookInPast {
        /// The booking's day.
        day: Date,
        /// Today in the clinic.
        today: Date,
    },
    /// The day is before the client's date of birth (a year typed wrong).
    #[error("{day} is before the client's date of birth: check the year of the day.")]
    BeforeBirth {
        /// The day screened for.
        day: Date,
    },
    /// The screening was made for another client.
    #[error("The screening is for client `{screening}`, not `{client}`.")]
    WrongClient {
        /// Client id of the screening.
        screening: String,
        /// Client id asked about.
        client: String,
    },
    /// The clearance or the override could not be accepted.
    #[error("{0}")]
    Invalid(String),
    /// The client signed the treatment consent only after the session's day.
    #[error("The client signed the treatment consent on {signed}, after this session's day ({day}): a session is recorded on or after the day of signing; check the session's day.")]
    SignedAfter {
        /// The session's day.
        day: Date,
        /// The first day the client signed it, on the clinic's calendar.
        signed: Date,
    },
    /// The client has not signed the treatment consent current on the session's day (or signed only an
    /// older version of it).
    #[error("{}", no_consent_message(*.signed))]
    NoConsent {
        /// The version the client must sign.
        version: u32,
        /// The newest version they did sign before the session, if any.
        signed: Option<u32>,
    },
}

fn no_consent_message(signed: Option<u32>) -> String {
    match signed {
        Some(v) => format!("This client has not signed the treatment consent yet in its current version (they signed version {v}, which has been replaced since): ask them to sign it on the tablet first."),
        None => "This client has not signed the treatment consent yet: ask them to sign it on the tablet first.".into(),
    }
}

/// Whether a session may be recorded on `day` as far as consent goes: among the client's `consents`, one to
/// the treatment consent's version current on `day` (in `library`), whose SHA-256 matches that text, signed
/// on or before `day` on the clinic's calendar (`zone`). Returns that consent; no override lifts a refusal.
pub fn check_consent<'a>(
    consents: &'a [SignedConsent],
    library: &ConsentLibrary,
    zone: &ClinicZone,
    day: Date,
) -> Result<&'a SignedConsent, Refusal> {
    let Some(current) = library.current(TREATMENT_CONSENT, day) else {
        return Err(Refusal::Invalid(
            "No treatment consent text is published for that day.".into(),
        ));
    };
    let before: Vec<&SignedConsent> = consents
        .iter()
        .filter(|c| c.text == TREATMENT_CONSENT && zone.local(c.signed_at).0 <= day)
        .collect();
    if let Some(c) = before
        .iter()
        .copied()
        .find(|c| c.version == current.version && c.text_sha256 == current.sha256())
    {
        return Ok(c);
    }
    // Signed only after the session's day (a session entered late with a wrong day, or back-dated): said so,
    // not "has not signed yet" (outside probe s29).
    let signed_later = consents
        .iter()
        .filter(|c| c.text == TREATMENT_CONSENT)
        .map(|c| zone.local(c.signed_at).0)
        .filter(|&d| d > day)
        .min();
    Err(match signed_later {
        Some(signed) => Refusal::SignedAfter { day, signed },
        None => Refusal::NoConsent {
            version: current.version,
            signed: before.iter().map(|c| c.version).max(),
        },
    })
}

/// "rule: detail; rule: detail" for a refusal message.
fn details(findings: &[(String, String)]) -> String {
    findings
        .iter()
        .map(|(_, detail)| detail.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn deferred_message(until: Option<Date>, findings: &[(String, String)]) -> String {
    match until {
        Some(d) => format!("This client's treatment is deferred until {d} ({}): no session before that day.", details(findings)),
        None => format!(
            "This client's treatment is deferred until a date that is not known yet ({}): record the date and screen again.",
            details(findings)
        ),
    }
}

fn pair(f: &Finding) -> (String, String) {
    (f.rule.clone(), f.detail.clone())
}

/// Whether a session for `client_id` may be recorded or booked on `day`, given the client's latest
/// `screening` (made for `day`: deferrals that ended by `day` no longer count), a recorded `clearance`
/// and an owner's `override_`. `today` is the clinic's today (see [`crate::date::today_in`]).
pub fn check(
    client_id: &str,
    screening: Option<&Screening>,
    clearance: Option<&Clearance>,
    override_: Option<&Override>,
    action: Action,
    day: Date,
    today: Date,
) -> Result<Permit, Refusal> {
    match action {
        Action::Record if day > today => return Err(Refusal::RecordInFuture { day, today }),
        Action::Book if day < today => return Err(Refusal::BookInPast { day, today }),
        _ => {}
    }
    let Some(s) = screening else {
        return Err(Refusal::NotScreened);
    };
    if s.client_id != client_id {
        return Err(Refusal::WrongClient {
            screening: s.client_id.clone(),
            client: client_id.to_string(),
        });
    }
    // Outside probe s29: a session dated 1900 was refused as "not suitable for treatment (age -81 …)".
    if s.age < 0 {
        return Err(Refusal::BeforeBirth { day: s.on });
    }
    if let Some(o) = override_ {
        o.validate().map_err(Refusal::Invalid)?;
    }
    let permit = |basis| Permit {
        client_id: client_id.to_string(),
        day,
        action,
        basis,
    };
    let with = |o: Outcome| s.findings.iter().filter(move |f| f.outcome == o);

    // An age limit holds until the day the client reaches it (the screening may be for an earlier day).
    let unsuitable: Vec<_> = with(Outcome::NotSuitable)
        .filter(|f| f.until.map_or(true, |u| day < u))
        .map(pair)
        .collect();
    if !unsuitable.is_empty() {
        return Err(Refusal::NotSuitable {
            findings: unsuitable,
        });
    }
    // A deferral counts while its date is unknown or still ahead of `day`.
    let deferrals: Vec<&Finding> = with(Outcome::DeferUntil)
        .filter(|f| f.until.map_or(true, |u| day < u))
        .collect();
    let mut gates = Vec::new();
    if !deferrals.is_empty() {
        let until = if deferrals.iter().any(|f| f.until.is_none()) {
            None
        } else {
            deferrals.iter().filter_map(|f| f.until).max()
        };
        gates.push(Refusal::Deferred {
            until,
            findings: deferrals.iter().map(|f| pair(f)).collect(),
        });
    }
    let needing: Vec<&Finding> = with(Outcome::PhysicianClearance).collect();
    let mut cleared = None;
    if !needing.is_empty() {
        let uncovered: Vec<&Finding> = match clearance {
            Some(c) => {
                c.validate(today).map_err(Refusal::Invalid)?;
                if c.date > day {
                    needing.clone()
                } else {
                    needing
                        .iter()
                        .copied()
                        .filter(|f| !c.covers.is_empty() && !c.covers.contains(&f.rule))
                        .collect()
                }
            }
            None => needing.clone(),
        };
        if uncovered.is_empty() {
            cleared = clearance.map(|c| {
                (
                    c.clone(),
                    needing.iter().map(|f| f.rule.clone()).collect::<Vec<_>>(),
                )
            });
        } else {
            gates.push(Refusal::NeedsClearance {
                findings: uncovered.iter().map(|f| pair(f)).collect(),
            });
        }
    }
    if !gates.is_empty() {
        return match override_ {
            Some(o) => {
                let gate = gates
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
                Ok(permit(Basis::Overridden {
                    by: o.clone(),
                    gate,
                }))
            }
            // The deferral is reported first: a clearance alone would not let the session go ahead.
            None => Err(gates.remove(0)),
        };
    }
    if let Some((clearance, rules)) = cleared {
        return Ok(permit(Basis::Cleared { clearance, rules }));
    }
    let precautions: Vec<String> = with(Outcome::GoWithPrecautions)
        .map(|f| f.rule.clone())
        .collect();
    Ok(permit(if precautions.is_empty() {
        Basis::Go
    } else {
        Basis::Precautions { rules: precautions }
    }))
}

/// [`check`] for an intake: screens it with `rules` for `day` first (so deferrals are measured to the
/// session's own day) and takes the clearance recorded with the intake unless `clearance` is given.
pub fn check_intake(
    intake: &Intake,
    rules: &RuleSet,
    clearance: Option<&Clearance>,
    override_: Option<&Override>,
    action: Action,
    day: Date,
    today: Date,
) -> Result<Permit, Refusal> {
    let s = screen(intake, rules, day);
    check(
        &intake.client.id,
        Some(&s),
        clearance.or(intake.clearance.as_ref()),
        override_,
        action,
        day,
        today,
    )
}

impl Refusal {
    /// Whether the clinic's owner may lift this refusal with a written reason ([`Override`]): a deferral or a
    /// missing clearance; never "not suitable", a day in the past or anything else.
    pub fn owner_may_override(&self) -> bool {
        matches!(
            self,
            Refusal::Deferred { .. } | Refusal::NeedsClearance { .. }
        )
    }
    /// The refusal in words for someone who may (`medical`) or may not see medical detail: the full reason for
    /// practitioners and owners; for the front desk, a dated deferral's day or a neutral sentence that sends
    /// them to the practitioner (the booking check and the proposals' `held_back` say the same).
    pub fn words(&self, medical: bool) -> String {
        match self {
            _ if medical => self.to_string(),
            Refusal::BookInPast { .. }
            | Refusal::BeforeBirth { .. }
            | Refusal::Invalid(_)
            | Refusal::WrongClient { .. }
            | Refusal::SignedAfter { .. }
            | Refusal::NoConsent { .. } => {
                self.to_string()
            }
            Refusal::Deferred { until: Some(d), .. } => format!(
                "This client's treatment can't be booked before {d}: book a date from then on, or ask the practitioner."
            ),
            _ => "This client's screening does not allow a session to be booked yet: ask the practitioner to review it.".into(),
        }
    }
}
