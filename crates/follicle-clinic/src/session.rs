//! Session records (who worked which zones with which needle, lot and dilution, how many impressions) and
//! the ink passport built from them: every lot used on a client, when and by whom, with the pigment labels.
//! Recording a session checks its lot first (expiry, allergens), so an unsafe record cannot be made.

use crate::consent::SignedConsent;
use crate::date::Date;
use crate::gate::{Action, Permit};
use crate::intake::Intake;
use crate::pigment::{Catalogue, LotError, Pigment};
use crate::source::{self, Format, SourceError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Most impressions one session may record, whatever the plan says: a full Norwood 7 scalp at 100 % is
/// about 40,000 impressions over the whole course (GUIDE §4), so this is a typing-error guard, not a target.
pub const MAX_IMPRESSIONS_PER_SESSION: u32 = 200_000;
/// Most zones one session may name.
pub const MAX_ZONES_PER_SESSION: usize = 64;
/// Longest zone name accepted.
pub const MAX_ZONE_NAME_CHARS: usize = 64;
/// Most photo references one session names.
pub const MAX_PHOTOS_PER_SESSION: usize = 50;
/// Needle diameters a session may record, mm (SMP needles are 0.18–0.35 mm; the range leaves room for
/// other liners but refuses a typo such as −1 or 25).
pub const NEEDLE_DIAMETER_MM: (f64, f64) = (0.1, 1.2);

/// What the plan a session follows allows: its zones and the impressions not yet placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanBounds {
    /// Zone ids of the plan.
    pub zones: Vec<String>,
    /// Impressions of the plan not yet placed by earlier sessions (touch-ups excepted).
    pub remaining: u64,
}

impl PlanBounds {
    /// The impressions the session form proposes: what the plan places in the next session (`planned`, when
    /// the plan has that session), never more than remains; all that remains when the plan's sessions are used
    /// up (probe s8 L11).
    pub fn proposed(&self, planned: Option<u64>) -> u64 {
        planned.map_or(self.remaining, |p| p.min(self.remaining))
    }
}

/// Needle configuration and diameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needle {
    /// Configuration: `1RL` (single point) or `3RL` (three-point round liner), etc.
    pub config: String,
    /// Needle diameter in millimetres (0.18–0.30; 0603 = 0.20, 0803 = 0.25).
    pub diameter_mm: f64,
}

impl fmt::Display for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:.2} mm", self.config, self.diameter_mm)
    }
}

/// Pigment-to-distilled-water ratio.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dilution {
    /// Parts of pigment.
    pub pigment: u32,
    /// Parts of distilled water.
    pub water: u32,
}

/// Most parts of pigment or of water a mix proposed from a plan's strength has ([`Dilution::nearest`]):
/// ratios a practitioner measures with a pipette or drops.
pub const MAX_MIX_PARTS: u32 = 10;

impl Dilution {
    /// The mix's strength: the share of pigment (1 = undiluted), as a plan's `dilution` gives it.
    pub fn strength(self) -> f64 {
        f64::from(self.pigment) / f64::from(self.pigment + self.water).max(1.0)
    }

    /// The mix of at most [`MAX_MIX_PARTS`] parts each closest to a plan's strength `strength` (0–1), the
    /// fewest parts among equals: 0.25 → 1:3, 0.55 → 6:5, 1 → undiluted. The session form starts from it,
    /// so what is recorded follows the plan unless the practitioner changes it (probe s33: every session
    /// was offered 1:3 whatever the plan said).
    pub fn nearest(strength: f64) -> Dilution {
        let s = if strength.is_finite() {
            strength.clamp(0.0, 1.0)
        } else {
            1.0
        };
        let mut best = Dilution {
            pigment: 1,
            water: 0,
        };
        let mut best_gap = f64::INFINITY;
        for total in 1..=2 * MAX_MIX_PARTS {
            for pigment in 1..=total.min(MAX_MIX_PARTS) {
                let water = total - pigment;
                if water > MAX_MIX_PARTS {
                    continue;
                }
                let d = Dilution { pigment, water };
                let gap = (d.strength() - s).abs();
                if gap < best_gap - 1e-9 {
                    (best, best_gap) = (d, gap);
                }
            }
        }
        best
    }
}

impl fmt::Display for Dilution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.water == 0 {
            write!(f, "undiluted")
        } else {
            write!(f, "{}:{} pigment:water", self.pigment, self.water)
        }
    }
}

/// One treatment session as performed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// Session number in the course (1, 2, 3 …; touch-ups continue the count).
    pub index: u32,
    /// The day.
    pub date: Date,
    /// Who did the work.
    pub practitioner: String,
    /// Zones worked (`hairline`, `crown`, `scar` … as in the plan); may be left out when `plan` is given.
    #[serde(default)]
    pub zones: Vec<String>,
    /// Needle used.
    pub needle: Needle,
    /// Pigment lot number used.
    pub lot: String,
    /// Dilution used.
    pub dilution: Dilution,
    /// Impressions placed (from the plan's session count, or counted). May be left out when `plan` is
    /// given: the count is then read from the plan.
    #[serde(default)]
    pub impressions: u32,
    /// The plan.json this session followed (a path relative to the sessions file, or a plan id in the
    /// studio); its session `plan_session` (default: `index`) gives the impressions and the zones.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "plan_named"
    )]
    pub plan: Option<String>,
    /// Which session of the plan was worked (default: this session's `index`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_session: Option<u32>,
    /// Whether this was a touch-up after the course.
    #[serde(default)]
    pub touch_up: bool,
    /// Free notes (reaction, bleeding, client comfort).
    #[serde(default)]
    pub notes: Option<String>,
    /// References to photos (file names or ids in the studio's photo store).
    #[serde(default)]
    pub photos: Vec<String>,
    /// Whether the aftercare instructions were handed over.
    pub aftercare_given: bool,
}

/// A client's treatment record: signed consents and sessions (a `follicle-sessions` file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionLog {
    /// Always `follicle-sessions`.
    pub format: String,
    /// Format version, 1.
    pub version: u32,
    /// The client's id (must match the intake).
    pub client: String,
    /// Consents the client signed.
    #[serde(default, rename = "consent")]
    pub consents: Vec<SignedConsent>,
    /// Sessions, in date order.
    #[serde(default, rename = "session")]
    pub sessions: Vec<SessionRecord>,
}

/// A session that may not be recorded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordError {
    /// The lot failed its check.
    #[error("session {index} on {date}: {source}")]
    Lot {
        /// Session number.
        index: u32,
        /// Session day.
        date: Date,
        /// What is wrong with the lot (boxed: it carries names and dates).
        source: Box<LotError>,
    },
    /// The record belongs to another client.
    #[error("the sessions file is for client `{log}`, the intake for `{intake}`")]
    WrongClient {
        /// Client id in the sessions file.
        log: String,
        /// Client id in the intake.
        intake: String,
    },
    /// The screening does not allow this session (the permit is missing or is for another client or day).
    #[error("session {index} on {date}: {problem}")]
    NotPermitted {
        /// Session number.
        index: u32,
        /// Session day.
        date: Date,
        /// What is wrong.
        problem: String,
    },
    /// Impressions or zones outside what the plan (or common sense) allows.
    #[error("session {index} on {date}: {problem}")]
    OutOfBounds {
        /// Session number.
        index: u32,
        /// Session day.
        date: Date,
        /// What is wrong.
        problem: String,
    },
    /// Sessions out of order or numbered wrongly.
    #[error("session {index} on {date}: {problem}")]
    Sequence {
        /// Session number.
        index: u32,
        /// Session day.
        date: Date,
        /// What is wrong.
        problem: String,
    },
}

impl RecordError {
    /// What is wrong, without "session N on DATE": a form recording one session says it of that session (the
    /// studio; outside probe s29 read "session 2 on 2026-12-03: needle.config: must not be empty"). A sessions
    /// file says the whole error, which names the session among many.
    pub fn problem(&self) -> String {
        match self {
            RecordError::Lot { source, .. } => source.to_string(),
            RecordError::NotPermitted { problem, .. }
            | RecordError::OutOfBounds { problem, .. }
            | RecordError::Sequence { problem, .. } => problem.clone(),
            other => other.to_string(),
        }
    }
}

impl SessionLog {
    /// An empty record for a client.
    pub fn new(client: &str) -> SessionLog {
        SessionLog {
            format: "follicle-sessions".into(),
            version: 1,
            client: client.into(),
            consents: vec![],
            sessions: vec![],
        }
    }

    /// Reads a sessions file (format and version checked; sessions are checked by [`SessionLog::verify`]).
    pub fn parse(text: &str, format: Format) -> Result<SessionLog, SourceError> {
        let log: SessionLog = source::parse(text, format)?;
        if log.format != "follicle-sessions" || log.version != 1 {
            return Err(SourceError::invalid(
                format,
                "format",
                format!(
                    "expected `follicle-sessions` version 1, found `{}` version {}",
                    log.format, log.version
                ),
            ));
        }
        Ok(log)
    }

    /// Adds a session after checking it: right client, next number, not before the last, and a lot that
    /// is known, not expired that day and free of the client's allergens.
    pub fn record(
        &mut self,
        session: SessionRecord,
        client: &Intake,
        catalogue: &Catalogue,
    ) -> Result<(), RecordError> {
        self.check_order(&session, client)?;
        check_bounds(&session, None)?;
        catalogue
            .check_use(&session.lot, client, session.date)
            .map_err(|e| RecordError::Lot {
                index: session.index,
                date: session.date,
                source: Box::new(e),
            })?;
        self.sessions.push(session);
        Ok(())
    }

    /// The right client, the next number, not before the last session nor on its day.
    fn check_order(&self, session: &SessionRecord, client: &Intake) -> Result<(), RecordError> {
        if self.client != client.client.id {
            return Err(RecordError::WrongClient {
                log: self.client.clone(),
                intake: client.client.id.clone(),
            });
        }
        let expected = self.sessions.last().map_or(1, |s| s.index + 1);
        let seq = |problem: String| RecordError::Sequence {
            index: session.index,
            date: session.date,
            problem,
        };
        if session.index != expected {
            return Err(seq(match self.sessions.last() {
                None => format!(
                    "this client has no session recorded yet, so this is session 1, not {}",
                    session.index
                ),
                Some(prev) => format!(
                    "session {} on {} is the last one recorded for this client, so this is session {expected}, not {}",
                    prev.index, prev.date, session.index
                ),
            }));
        }
        if let Some(prev) = self.sessions.last() {
            if session.date < prev.date {
                return Err(seq(format!(
                    "the date is before session {} on {}: sessions are recorded in the order they were held; check the date",
                    prev.index, prev.date
                )));
            }
            if session.date == prev.date {
                return Err(seq(format!(
                    "session {} was already held on {}, and a client has one session a day; check the date",
                    prev.index, prev.date
                )));
            }
        }
        Ok(())
    }

    /// Records a session the screening allows: `permit` comes from [`crate::gate::check`] for recording on
    /// the session's day, for this client. With `plan`, the zones must be zones of the plan and the
    /// impressions at most what the plan has left; then every check of [`SessionLog::record`] applies.
    pub fn record_permitted(
        &mut self,
        session: SessionRecord,
        client: &Intake,
        catalogue: &Catalogue,
        permit: &Permit,
        plan: Option<&PlanBounds>,
    ) -> Result<(), RecordError> {
        let refuse = |problem: String| RecordError::NotPermitted {
            index: session.index,
            date: session.date,
            problem,
        };
        if permit.client_id() != client.client.id {
            return Err(refuse(format!(
                "the screening permit is for client `{}`",
                permit.client_id()
            )));
        }
        if permit.day() != session.date || permit.action() != Action::Record {
            return Err(refuse(format!(
                "the screening permit is to {} a session on {}",
                permit.action(),
                permit.day()
            )));
        }
        // A session follows its screening and the pigment lot's arrival: a year typed wrong would otherwise put
        // it before both into the client's ink passport (probe s7 N22). Only for new sessions: a replay of
        // what is recorded ([`SessionLog::verify`]) never fails on a date corrected afterwards.
        if session.date < client.consultation.date {
            return Err(refuse(format!(
                "the session is dated before the consultation on {}; a session follows the screening, so check the date",
                client.consultation.date
            )));
        }
        if let Some((lot, _)) = catalogue.lot(&session.lot) {
            if let Some(received) = lot.received.filter(|r| session.date < *r) {
                return Err(refuse(format!(
                    "lot {} arrived at the clinic on {received}, after the session's day; check the date or the lot",
                    lot.number
                )));
            }
        }
        check_bounds(&session, plan)?;
        self.record(session, client, catalogue)
    }

    /// Replays the sessions' order only: the right client, numbered 1, 2, …, one per day, in date order (what no
    /// later correction of a lot or an intake changes).
    pub fn verify_order(&self, client: &Intake) -> Result<(), RecordError> {
        let mut replay = SessionLog {
            sessions: vec![],
            ..self.clone()
        };
        for s in &self.sessions {
            replay.check_order(s, client)?;
            replay.sessions.push(s.clone());
        }
        Ok(())
    }

    /// Replays every session through [`SessionLog::record`], so a file edited by hand gets the same checks.
    pub fn verify(&self, client: &Intake, catalogue: &Catalogue) -> Result<(), RecordError> {
        let mut replay = SessionLog {
            sessions: vec![],
            ..self.clone()
        };
        for s in &self.sessions {
            replay.record(s.clone(), client, catalogue)?;
        }
        Ok(())
    }

    /// Session days in order.
    pub fn dates(&self) -> Vec<Date> {
        self.sessions.iter().map(|s| s.date).collect()
    }
}

/// The typed text (text rules, bounded photo list) and the values a session can really have: a needle's
/// diameter, a dilution with pigment in it, zones named once, and zones and impressions given unless the
/// session names the plan they come from.
fn check_fields(s: &SessionRecord) -> Result<(), RecordError> {
    let out = |problem: String| RecordError::OutOfBounds {
        index: s.index,
        date: s.date,
        problem,
    };
    use crate::text::{check, TextKind};
    check("needle.config", &s.needle.config, TextKind::Reference)
        .map_err(|e| out(e.to_string()))?;
    if let Some(n) = &s.notes {
        check("notes", n, TextKind::FreeText).map_err(|e| out(e.to_string()))?;
    }
    if s.photos.len() > MAX_PHOTOS_PER_SESSION {
        return Err(out(format!(
            "{} photos named; a session names at most {MAX_PHOTOS_PER_SESSION}",
            s.photos.len()
        )));
    }
    for (i, p) in s.photos.iter().enumerate() {
        check(&format!("photos[{i}]"), p, TextKind::Name).map_err(|e| out(e.to_string()))?;
    }
    let (lo, hi) = NEEDLE_DIAMETER_MM;
    if !(lo..=hi).contains(&s.needle.diameter_mm) {
        return Err(out(format!(
            "{} is not a needle's diameter; give it in mm, from {lo} to {hi} (0603 = 0.20, 0803 = 0.25)",
            if s.needle.diameter_mm.is_finite() {
                format!(
                    "a needle of {} mm",
                    follicle_core::words::number(s.needle.diameter_mm)
                )
            } else {
                "a value that is not a number".into()
            }
        )));
    }
    if s.dilution.pigment == 0 {
        return Err(out(
            "the dilution has no pigment part; write it as pigment:water, e.g. 1 part pigment to 2 of water".into(),
        ));
    }
    // A session that names its plan takes its zones and count from the plan's session where it leaves them out
    // (a sessions file); what is recorded names them (outside probe s31: a session with no zones, or with 0
    // impressions, was stored and certified in the passport).
    if s.zones.is_empty() {
        return Err(out(match s.plan {
            None => "name the zones worked (or the plan the session followed)".into(),
            Some(_) => "name the zones worked in this session (at least one)".into(),
        }));
    }
    if s.impressions == 0 {
        return Err(out(match s.plan {
            None => "give the impressions placed (or the plan the session followed)".into(),
            Some(_) => "give the number of impressions placed in this session (more than 0)".into(),
        }));
    }
    let norm = crate::vocab::normalise;
    for (i, z) in s.zones.iter().enumerate() {
        if s.zones[..i].iter().any(|o| norm(o) == norm(z)) {
            return Err(out(format!("zone `{}` is named twice", z.escape_debug())));
        }
    }
    Ok(())
}

/// Impressions and zones within the hard limits and, with a plan, within the plan.
fn check_bounds(s: &SessionRecord, plan: Option<&PlanBounds>) -> Result<(), RecordError> {
    let out = |problem: String| {
        Err(RecordError::OutOfBounds {
            index: s.index,
            date: s.date,
            problem,
        })
    };
    if s.impressions > MAX_IMPRESSIONS_PER_SESSION {
        return out(format!(
            "{} impressions is more than any session can place (at most {MAX_IMPRESSIONS_PER_SESSION}); check the count",
            s.impressions
        ));
    }
    if s.zones.len() > MAX_ZONES_PER_SESSION {
        return out(format!(
            "{} zones named; a session names at most {MAX_ZONES_PER_SESSION}",
            s.zones.len()
        ));
    }
    check_fields(s)?;
    for z in &s.zones {
        let t = z.trim();
        if t.is_empty()
            || t.chars().count() > MAX_ZONE_NAME_CHARS
            || t.chars().any(char::is_control)
        {
            return out(format!(
                "zone name `{}` must be one line of 1 to {MAX_ZONE_NAME_CHARS} characters",
                z.escape_debug()
            ));
        }
    }
    if let Some(p) = plan {
        // Zones compare as names are written: case and `_`/`-` ignored ("mid-scalp" is the plan's `mid_scalp`).
        let same = |a: &str, b: &str| crate::vocab::normalise(a) == crate::vocab::normalise(b);
        if let Some(z) = s
            .zones
            .iter()
            .find(|z| !p.zones.iter().any(|pz| same(pz, z)))
        {
            let hint =
                crate::vocab::closest(z, &p.zones.iter().map(String::as_str).collect::<Vec<_>>())
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
            return out(format!(
                "zone `{z}` is not a zone of the plan{hint}; the plan's zones are {}",
                p.zones.join(", ")
            ));
        }
        if !s.touch_up && u64::from(s.impressions) > p.remaining {
            return out(format!(
                "{} impressions is more than the plan has left ({})",
                s.impressions, p.remaining
            ));
        }
    }
    Ok(())
}

/// One line of the ink passport.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassportEntry {
    /// Session day.
    pub date: Date,
    /// Session number.
    pub session: u32,
    /// Practitioner.
    pub practitioner: String,
    /// Pigment brand and name.
    pub pigment: String,
    /// Lot (batch) number.
    pub lot: String,
    /// The lot's expiry, as the lot's record says now (a correction shows here).
    pub expiry: Date,
    /// Whether that expiry is before the session's day (possible only after a correction of the lot: a
    /// session with an expired lot is refused when it is recorded).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub past_expiry: bool,
    /// Zones worked.
    pub zones: Vec<String>,
}

/// The client's ink passport: every lot used, when and by whom, plus each pigment's label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InkPassport {
    /// Client id.
    pub client_id: String,
    /// Client name.
    pub client_name: String,
    /// Date of birth (identifies the client on paper).
    pub date_of_birth: Date,
    /// One entry per session.
    pub entries: Vec<PassportEntry>,
    /// The label of every pigment used, once each, in order of first use.
    pub pigments: Vec<Pigment>,
}

impl InkPassport {
    /// Builds the passport from a session log whose sessions are in order, with the lots as the catalogue
    /// holds them now: a lot's corrected expiry (or an intake corrected since) never stops the passport from
    /// being printed (probe s8 N24); a session after its lot's corrected expiry says so (`past_expiry`). An
    /// unknown lot is an error.
    pub fn build(
        client: &Intake,
        log: &SessionLog,
        catalogue: &Catalogue,
    ) -> Result<InkPassport, RecordError> {
        log.verify_order(client)?;
        let mut entries = Vec::new();
        let mut pigments: Vec<Pigment> = Vec::new();
        for s in &log.sessions {
            let (lot, pigment) = catalogue.lot(&s.lot).ok_or_else(|| RecordError::Lot {
                index: s.index,
                date: s.date,
                source: Box::new(LotError::UnknownLot {
                    number: s.lot.clone(),
                }),
            })?;
            if !pigments.iter().any(|p| p.id == pigment.id) {
                pigments.push(pigment.clone());
            }
            entries.push(PassportEntry {
                date: s.date,
                session: s.index,
                practitioner: s.practitioner.clone(),
                pigment: pigment.display_name(),
                lot: lot.number.clone(),
                expiry: lot.expiry,
                past_expiry: lot.expiry < s.date,
                zones: s.zones.clone(),
            });
        }
        Ok(InkPassport {
            client_id: client.client.id.clone(),
            client_name: client.client.name.clone(),
            date_of_birth: client.client.date_of_birth,
            entries,
            pigments,
        })
    }
}

/// A session's `plan`: a path or a plan id as text, or a plan id as a number (the studio's plan 12 sent as
/// `"plan": 12` was refused as "a value of the wrong kind": outside probe s29).
fn plan_named<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Named;
    impl serde::de::Visitor<'_> for Named {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a plan's number or the path of its plan.json")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_strength_becomes_the_nearest_small_mix() {
        let mix = |s: f64| {
            let d = Dilution::nearest(s);
            (d.pigment, d.water)
        };
        assert_eq!(mix(0.25), (1, 3));
        assert_eq!(mix(0.5), (1, 1));
        assert_eq!(mix(1.0), (1, 0));
        assert_eq!(mix(0.55), (6, 5));
        assert_eq!(mix(0.47), (8, 9));
        assert_eq!(mix(f64::NAN), (1, 0));
        // Strengths from 10 % up are met within 5 points (10:1 is the strongest mix short of undiluted), in at most ten parts each.
        for i in 0..=100 {
            let s = 0.1 + 0.9 * f64::from(i) / 100.0;
            let d = Dilution::nearest(s);
            assert!(
                d.pigment <= MAX_MIX_PARTS && d.water <= MAX_MIX_PARTS,
                "{d:?}"
            );
            assert!((d.strength() - s).abs() < 0.05, "{s}: {d:?}");
        }
    }
}
