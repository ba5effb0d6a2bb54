//! The schedule: the remaining sessions of a course 7–14 days apart (configurable), the touch-up date
//! from a healed-fading model (earlier over scars), and the aftercare instructions for each day after a
//! session (data, data/aftercare-v1.toml).

use crate::date::Date;
use crate::gate::{self, Action, Clearance, Refusal};
use crate::screening::{Outcome, Screening};
use serde::{Deserialize, Serialize};

/// The aftercare steps this build ships.
pub const AFTERCARE_V1: &str = include_str!("../data/aftercare-v1.toml");

/// When the touch-up is due: when the healed strength has faded to a fraction of itself along the one
/// documented fading curve (follicle-core's `fading`, the same the preview's 5- and 10-year looks use;
/// faster over scars), within the guide's limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FadingModel {
    /// A touch-up is due when the strength left has fallen to this fraction of the healed strength.
    pub touch_up_at_fraction: f64,
    /// Touch-up interval limits in months, normal skin (GUIDE §4: 2–5 years).
    pub months_min: u32,
    /// Upper limit in months.
    pub months_max: u32,
    /// Lower limit in months over scars.
    pub scar_months_min: u32,
}

impl Default for FadingModel {
    fn default() -> FadingModel {
        FadingModel {
            touch_up_at_fraction: 0.5,
            months_min: 24,
            months_max: 60,
            scar_months_min: 12,
        }
    }
}

impl FadingModel {
    /// Months after the last session until a touch-up is due, rounded and clamped to the limits (the
    /// longest when the strength never falls that far).
    pub fn touch_up_months(&self, scars: bool) -> u32 {
        let lo = if scars {
            self.scar_months_min
        } else {
            self.months_min
        };
        match follicle_core::fading::years_until(self.touch_up_at_fraction, scars) {
            Some(years) => ((years * 12.0).round().max(0.0) as u32).clamp(lo, self.months_max),
            None => self.months_max,
        }
    }
}

/// How sessions are spaced.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSettings {
    /// Sessions in the course (usually 3, 2–4).
    pub sessions: u32,
    /// Fewest days between sessions.
    pub min_days: u32,
    /// Most days between sessions.
    pub max_days: u32,
    /// Days between sessions proposed by default (within min..=max).
    pub preferred_days: u32,
    /// Touch-up timing.
    pub fading: FadingModel,
}

/// Days the skin needs to heal between two sessions: the usual spacing is 7–14 days (Liu et al. 2025; docs/
/// screening.md).
pub const HEALING_DAYS: u32 = 7;

impl ScheduleSettings {
    /// A word when the spacing asked for lets sessions come closer than the skin heals (outside probe s30:
    /// `--min-days 1` went through without a remark); `None` for spacing of [`HEALING_DAYS`] or more.
    pub fn spacing_note(&self) -> Option<String> {
        (self.min_days < HEALING_DAYS).then(|| {
            format!(
                "sessions may come {} day{} apart: the skin needs about {HEALING_DAYS} days to heal before the next session (the usual spacing is 7–14 days)",
                self.min_days,
                if self.min_days == 1 { "" } else { "s" }
            )
        })
    }
}

impl Default for ScheduleSettings {
    fn default() -> ScheduleSettings {
        ScheduleSettings {
            sessions: 3,
            min_days: 7,
            max_days: 14,
            preferred_days: 10,
            fading: FadingModel::default(),
        }
    }
}

/// Settings that cannot produce a schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// min ≤ preferred ≤ max does not hold, or min is zero.
    #[error(
        "session spacing must satisfy 1 ≤ min ({min}) ≤ preferred ({preferred}) ≤ max ({max}) days"
    )]
    Spacing {
        /// Minimum days.
        min: u32,
        /// Preferred days.
        preferred: u32,
        /// Maximum days.
        max: u32,
    },
    /// A course needs at least one session.
    #[error("a course needs at least one session")]
    NoSessions,
    /// More sessions than any course has.
    #[error("a course has at most {max} sessions, not {sessions}")]
    TooManySessions {
        /// Sessions asked for.
        sessions: u32,
        /// The most a course has ([`MAX_SESSIONS`]).
        max: u32,
    },
    /// Sessions spaced further apart than any course is.
    #[error("sessions are at most {MAX_SPACING_DAYS} days apart, not {max}")]
    SpacingTooLong {
        /// The most days asked for.
        max: u32,
    },
    /// A day the course is computed from cannot be meant (a held session's day, the first session's day).
    #[error(transparent)]
    Day(#[from] DayError),
}

/// The most sessions a course has (a case plans 1 to 8).
pub const MAX_SESSIONS: u32 = follicle_core::plan::MAX_SESSIONS as u32;

/// The most days between two sessions of a course (a course 7–14 days apart; a year apart is no course).
pub const MAX_SPACING_DAYS: u32 = 365;

/// An overdue visit this many days late or more gets the note about a long gap ([`Visit::overdue_note`]).
pub const LONG_GAP_DAYS: i64 = 60;

/// How far from today a day typed for planning may be (the first session, the day to screen for): two
/// years. Anything further is a mistyped year, and near the calendar's end a proposal could not even be
/// written (a calendar entry's end is the day after its start).
pub const PLANNING_HORIZON_DAYS: i64 = 2 * 366;

/// A day typed for planning that cannot be meant, in words that name the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DayError {
    /// Before 1900 (records carry no earlier day).
    #[error("{field}: {day} is before 1900: check the year.")]
    TooEarly {
        /// The option or field (`--first`, `first`).
        field: String,
        /// The day given.
        day: Date,
    },
    /// Further from today than [`PLANNING_HORIZON_DAYS`].
    #[error("{field}: {day} is more than two years from today ({today}): check the year.")]
    TooFar {
        /// The option or field.
        field: String,
        /// The day given.
        day: Date,
        /// The clinic's today.
        today: Date,
    },
    /// Before the consultation whose answers the screening reads.
    #[error(
        "{field}: {day} is before the consultation ({consultation}); a screening reads that consultation's \
         answers, so it can be for that day or later: record a new consultation for an earlier day."
    )]
    BeforeConsultation {
        /// The option or field.
        field: String,
        /// The day given.
        day: Date,
        /// The consultation's day.
        consultation: Date,
    },
}

/// Checks the day of a first session: from 1900, and within two years of `today` (the clinic's today),
/// before or after. The server's `first` and the CLI's `--first` use this one rule.
pub fn check_first_day(field: &str, first: Date, today: Date) -> Result<(), DayError> {
    check_day(field, first, today, PLANNING_HORIZON_DAYS)
}

/// Checks a screening day (the intended treatment day): from 1900 (an old consultation may be screened
/// again for its own day), and at most two years after `today`.
pub fn check_screening_day(field: &str, on: Date, today: Date) -> Result<(), DayError> {
    check_day(field, on, today, i64::MAX)
}

/// Checks the day a consultation held on `consultation` is screened for: as [`check_screening_day`], and not
/// before the consultation (its answers say nothing about an earlier day; the client may not even have been
/// born). The CLI's `--on` and the server's `on` use this one rule.
pub fn check_screening_on(
    field: &str,
    on: Date,
    consultation: Date,
    today: Date,
) -> Result<(), DayError> {
    check_screening_day(field, on, today)?;
    if on < consultation {
        return Err(DayError::BeforeConsultation {
            field: field.to_string(),
            day: on,
            consultation,
        });
    }
    Ok(())
}

/// `day` from 1900, at most [`PLANNING_HORIZON_DAYS`] after `today` and at most `back` days before it.
fn check_day(field: &str, day: Date, today: Date, back: i64) -> Result<(), DayError> {
    if day < crate::intake::earliest_day() {
        return Err(DayError::TooEarly {
            field: field.to_string(),
            day,
        });
    }
    let ahead = day.to_days() - today.to_days();
    if ahead > PLANNING_HORIZON_DAYS || -ahead > back {
        return Err(DayError::TooFar {
            field: field.to_string(),
            day,
            today,
        });
    }
    Ok(())
}

/// What a proposed visit is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum VisitKind {
    /// Session `index` of `of` in the course.
    Session {
        /// Session number.
        index: u32,
        /// Sessions in the course.
        of: u32,
    },
    /// The touch-up after the course.
    TouchUp,
}

/// A proposed visit with the window in which it should be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Visit {
    /// What it is.
    pub kind: VisitKind,
    /// Earliest sensible day.
    pub earliest: Date,
    /// Proposed day.
    pub proposed: Date,
    /// Latest sensible day.
    pub latest: Date,
    /// The visit was due on a day already past (set by [`course`]; [`propose`] does not know today): it is
    /// proposed again from today, and `overdue_since` holds the day it was first due.
    #[serde(default)]
    pub overdue: bool,
    /// The day an overdue visit was first due (before it was proposed again from today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_since: Option<Date>,
}

impl Visit {
    /// For an overdue visit, the words a practitioner reads about the gap: since when it is overdue, how long
    /// that is, and what to check before carrying on after a long gap (more than a course's longest spacing).
    pub fn overdue_note(&self, today: Date) -> Option<String> {
        let since = self.overdue_since?;
        let days = since.days_until(today).max(0);
        let gap = if days >= 60 {
            format!("about {} months", (days + 15) / 30)
        } else if days == 1 {
            "1 day".to_string()
        } else {
            format!("{days} days")
        };
        let advice = if days >= LONG_GAP_DAYS {
            " After so long a gap the earlier pigment has faded: see the client, check how the scalp has \
             healed and hold the layering again if needed before carrying on."
        } else {
            ""
        };
        Some(format!(
            "Overdue since {since} ({gap}): proposed again from {}.{advice}",
            self.proposed
        ))
    }
}

/// Proposes the remaining sessions and the touch-up. `done` are the days of the sessions already held
/// (in order); with none held the first session is proposed on `first_day`. Each later session is
/// `preferred_days` after the previous proposal, within `min_days..=max_days`; the touch-up is
/// `touch_up_months` after the last session of the course.
pub fn propose(
    done: &[Date],
    first_day: Date,
    settings: &ScheduleSettings,
    scars: bool,
) -> Result<Vec<Visit>, ScheduleError> {
    propose_from(done, first_day, None, None, settings, scars, &|d| d)
}

/// [`propose`], with no session before `not_before` (the end of a deferral), each proposed day moved by
/// `open_day` to a day the clinic opens (e.g. `Closures::next_open_day`; never earlier), the next session
/// spaced from the moved day. `again_from` (today, when the course is proposed again after a missed visit)
/// also keeps the touch-up from falling before it.
#[allow(clippy::too_many_arguments)]
fn propose_from(
    done: &[Date],
    first_day: Date,
    not_before: Option<Date>,
    again_from: Option<Date>,
    settings: &ScheduleSettings,
    scars: bool,
    open_day: &dyn Fn(Date) -> Date,
) -> Result<Vec<Visit>, ScheduleError> {
    let s = settings;
    let floor = |d: Date| {
        let d = not_before.map_or(d, |n| d.max(n));
        open_day(d).max(d)
    };
    if s.min_days == 0 || s.min_days > s.preferred_days || s.preferred_days > s.max_days {
        return Err(ScheduleError::Spacing {
            min: s.min_days,
            preferred: s.preferred_days,
            max: s.max_days,
        });
    }
    if s.max_days > MAX_SPACING_DAYS {
        return Err(ScheduleError::SpacingTooLong { max: s.max_days });
    }
    if s.sessions == 0 {
        return Err(ScheduleError::NoSessions);
    }
    if s.sessions > MAX_SESSIONS {
        return Err(ScheduleError::TooManySessions {
            sessions: s.sessions,
            max: MAX_SESSIONS,
        });
    }
    let mut visits = Vec::new();
    let mut last = done.last().copied();
    for index in (done.len() as u32 + 1)..=s.sessions {
        let visit = match last {
            None => {
                let day = floor(first_day);
                Visit {
                    kind: VisitKind::Session {
                        index,
                        of: s.sessions,
                    },
                    earliest: day,
                    proposed: day,
                    latest: day,
                    overdue: false,
                    overdue_since: None,
                }
            }
            Some(prev) => {
                let proposed = floor(prev.add_days(s.preferred_days.into()));
                Visit {
                    kind: VisitKind::Session {
                        index,
                        of: s.sessions,
                    },
                    earliest: floor(prev.add_days(s.min_days.into())),
                    proposed,
                    latest: prev.add_days(s.max_days.into()).max(proposed),
                    overdue: false,
                    overdue_since: None,
                }
            }
        };
        last = Some(visit.proposed);
        visits.push(visit);
    }
    let end_of_course = last.unwrap_or(first_day);
    let months = s.fading.touch_up_months(scars) as i32;
    let lo = if scars {
        s.fading.scar_months_min
    } else {
        s.fading.months_min
    } as i32;
    let touch_up = end_of_course.add_months(months);
    let touch_up = again_from.map_or(touch_up, |t| touch_up.max(t));
    let touch_up = open_day(touch_up).max(touch_up);
    let earliest = end_of_course.add_months(lo.min(months));
    visits.push(Visit {
        kind: VisitKind::TouchUp,
        earliest: again_from.map_or(earliest, |t| earliest.max(t)),
        proposed: touch_up,
        latest: end_of_course
            .add_months(s.fading.months_max as i32)
            .max(touch_up),
        overdue: false,
        overdue_since: None,
    });
    Ok(visits)
}

/// The rest of a client's course as the screening allows it on `today` (the clinic's today).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Course {
    /// Proposed visits, each marked overdue when its day has passed; empty while treatment is held back.
    pub visits: Vec<Visit>,
    /// Why nothing is proposed (not suitable, clearance needed, deferred to an unknown date).
    pub held_back: Option<Refusal>,
    /// The end of a deferral that moved the next session later.
    pub deferred_until: Option<Date>,
}

/// Proposes the rest of the course the way the screening allows: nothing for a client who is not
/// suitable, who needs a physician's clearance that is not recorded, or whose deferral has no date yet;
/// for a dated deferral, the next session on or after its end. `screening` is the client's latest
/// screening (made for `today`); proposals whose day is before `today` are marked overdue.
pub fn course(
    done: &[Date],
    first_day: Date,
    settings: &ScheduleSettings,
    scars: bool,
    screening: &Screening,
    clearance: Option<&Clearance>,
    today: Date,
) -> Result<Course, ScheduleError> {
    course_on_open_days(
        done,
        first_day,
        settings,
        scars,
        screening,
        clearance,
        today,
        &|d| d,
    )
}

/// [`course`] for a clinic with closed days: each proposed day is moved by `open_day` to a day the clinic
/// opens (`Closures::next_open_day` with the clinic's hours), and the next session is spaced from there.
#[allow(clippy::too_many_arguments)]
pub fn course_on_open_days(
    done: &[Date],
    first_day: Date,
    settings: &ScheduleSettings,
    scars: bool,
    screening: &Screening,
    clearance: Option<&Clearance>,
    today: Date,
    open_day: &dyn Fn(Date) -> Date,
) -> Result<Course, ScheduleError> {
    // Validate the settings first, so a bad setting is reported whatever the screening says.
    propose(done, first_day, settings, scars)?;
    // The days the proposals are counted from: each held session's, or the first session's when none is held.
    for (i, &day) in done.iter().enumerate() {
        check_screening_day(&format!("session {}", i + 1), day, today)?;
    }
    if done.is_empty() {
        check_first_day("first session", first_day, today)?;
    }
    // Every dated deferral in force ends by `deferred_until`; the gate is asked for that day (or today), so
    // only what a date cannot lift remains: not suitable, an unknown deferral date, a missing clearance.
    // An age limit (not suitable until the client reaches it) counts as a dated deferral here: a course may
    // start on the 18th birthday (outside probe s30: `--first` after it was refused).
    let deferred_until = screening
        .findings
        .iter()
        .filter(|f| {
            f.outcome == Outcome::DeferUntil
                || (f.outcome == Outcome::NotSuitable && f.until.is_some())
        })
        .filter_map(|f| f.until)
        .max();
    let day = deferred_until.map_or(today, |d| d.max(today));
    if let Err(r) = gate::check(
        &screening.client_id,
        Some(screening),
        clearance,
        None,
        Action::Book,
        day,
        today,
    ) {
        return Ok(Course {
            visits: vec![],
            held_back: Some(r),
            deferred_until: None,
        });
    }
    // A visit already due before today cannot be held on its day: the course is proposed again from today (the
    // next open day), the first visit marked overdue since the day it was due; the later visits and the touch-up
    // follow from the new day, so no proposal lies in the past.
    let as_due = propose_from(
        done,
        first_day,
        deferred_until,
        None,
        settings,
        scars,
        open_day,
    )?;
    let due = as_due.first().map(|v| v.proposed);
    let visits = match due {
        Some(due) if due < today => {
            let from = deferred_until.map_or(today, |d| d.max(today));
            let mut again = propose_from(
                done,
                first_day,
                Some(from),
                Some(today),
                settings,
                scars,
                open_day,
            )?;
            if let Some(first) = again.first_mut() {
                first.overdue = true;
                first.overdue_since = Some(due);
            }
            again
        }
        _ => as_due,
    };
    Ok(Course {
        visits,
        held_back: None,
        deferred_until,
    })
}

/// One aftercare step: an instruction that applies over a range of days after a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AftercareStep {
    /// First day it applies (0 = session day).
    pub from_day: u32,
    /// Last day it applies.
    pub to_day: u32,
    /// The instruction.
    pub text: String,
}

/// The aftercare instruction set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aftercare {
    /// Version of the instructions.
    pub version: u32,
    /// Steps, in reading order.
    #[serde(rename = "step")]
    pub steps: Vec<AftercareStep>,
}

impl Aftercare {
    /// The instructions this build ships.
    pub fn embedded() -> Aftercare {
        crate::source::from_toml(AFTERCARE_V1).expect("embedded aftercare is valid (tested)")
    }

    /// The instructions for `day` days after the session.
    pub fn for_day(&self, day: u32) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| s.from_day <= day && day <= s.to_day)
            .map(|s| s.text.as_str())
            .collect()
    }

    /// Day-by-day instructions after a session on `session`, for every day that has any.
    pub fn calendar(&self, session: Date) -> Vec<(u32, Date, Vec<&str>)> {
        let last = self.steps.iter().map(|s| s.to_day).max().unwrap_or(0);
        (0..=last)
            .map(|d| (d, session.add_days(d.into()), self.for_day(d)))
            .filter(|(_, _, v)| !v.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_closer_than_healing_is_said() {
        assert_eq!(ScheduleSettings::default().spacing_note(), None);
        let close = ScheduleSettings {
            min_days: 1,
            ..ScheduleSettings::default()
        };
        assert!(close
            .spacing_note()
            .is_some_and(|n| n.starts_with("sessions may come 1 day apart")));
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn planning_days_are_bounded_from_1900_to_two_years_ahead() {
        let today = d("2026-11-30");
        assert!(check_first_day("--first", d("2028-11-30"), today).is_ok());
        assert!(check_first_day("--first", d("2024-11-30"), today).is_ok());
        for (day, want) in [
            (
                "9999-12-31",
                "--first: 9999-12-31 is more than two years from today (2026-11-30): check the year.",
            ),
            (
                "2020-01-01",
                "--first: 2020-01-01 is more than two years from today (2026-11-30): check the year.",
            ),
            ("0000-01-01", "--first: 0000-01-01 is before 1900: check the year."),
        ] {
            let e = check_first_day("--first", d(day), today).unwrap_err();
            assert_eq!(e.to_string(), want);
        }
        // A screening day may be long past (an old consultation screened for its own day), not before 1900
        // and not far ahead.
        assert!(check_screening_day("--on", d("1990-05-01"), today).is_ok());
        assert!(check_screening_day("--on", d("1899-12-31"), today).is_err());
        assert!(check_screening_day("--on", d("2028-12-31"), today).is_err());
        // A consultation is screened for its own day or later, never an earlier one.
        let held = d("2025-03-03");
        assert!(check_screening_on("--on", held, held, today).is_ok());
        assert!(check_screening_on("--on", d("2026-01-10"), held, today).is_ok());
        let e = check_screening_on("--on", d("1990-05-01"), held, today).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--on: 1990-05-01 is before the consultation (2025-03-03)"),
            "{e}"
        );
        assert!(check_screening_on("--on", d("2028-12-31"), held, today).is_err());
        // The course refuses such days too (a held session in year 9999 would push every proposal to the
        // calendar's end).
        let screening = crate::screening::screen(
            &crate::Intake::from_toml(include_str!("../../../examples/intake-norwood6-go.toml"))
                .unwrap(),
            &crate::RuleSet::embedded(),
            today,
        );
        let s = ScheduleSettings::default();
        let e = course(&[], d("9999-12-31"), &s, false, &screening, None, today).unwrap_err();
        assert!(matches!(e, ScheduleError::Day(_)), "{e}");
        let e = course(
            &[d("9999-12-30")],
            today,
            &s,
            false,
            &screening,
            None,
            today,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "session 1: 9999-12-30 is more than two years from today (2026-11-30): check the year."
        );
    }

    #[test]
    fn fading_model_lands_in_the_guide_ranges() {
        let m = FadingModel::default();
        let normal = m.touch_up_months(false);
        let scars = m.touch_up_months(true);
        // The preview's curve (follicle-core fading): half the healed strength left after
        // −3.0·ln((0.5 − 0.25)/0.75) = 3.30 years = 39.6 months; over scars τ is 0.65 × 3.0: 25.7 months.
        assert_eq!(normal, 40);
        assert_eq!(scars, 26);
        let half = follicle_core::fading::strength_left(normal as f64 / 12.0, false);
        assert!((half - 0.5).abs() < 0.01, "{half}");
        assert!((24..=60).contains(&normal) && scars < normal);
    }

    #[test]
    fn proposed_days_skip_the_clinic_s_closed_days() {
        use crate::closures::{ClosedPeriod, Closures};
        use crate::premises::{DayHours, OpeningHours};
        // Open Monday to Saturday; closed 24–26 December 2025 and 6 January 2026.
        let hours = OpeningHours::new(
            &(0..6)
                .map(|weekday| DayHours {
                    weekday,
                    opens: "09:00".into(),
                    closes: "17:00".into(),
                    closed: false,
                })
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let closed = |date: &str, reason: &str| ClosedPeriod {
            from: date.into(),
            to: None,
            reason: reason.into(),
        };
        let c = Closures::new(
            &hours,
            &[],
            &[
                closed("2025-12-24", "Christmas Eve"),
                closed("2025-12-25", "Christmas Day"),
                closed("2025-12-26", "St Stephen's Day"),
                closed("2026-01-06", "Epiphany"),
            ],
        )
        .unwrap();
        let open_day = |d: Date| c.next_open_day(&hours, d);
        // (first day, held, expected proposals of the remaining sessions)
        for (first, held, want) in [
            // First session on Christmas Eve → Saturday 27th; then +10 = Tue 6 Jan (closed) → Wed 7th; +10 = 17th.
            (
                "2025-12-24",
                vec![],
                vec!["2025-12-27", "2026-01-07", "2026-01-17"],
            ),
            // Held on 14 December: +10 = Wed 24th (closed) → Sat 27th; +10 = Tue 6 Jan (closed) → Wed 7th.
            (
                "2025-12-01",
                vec!["2025-12-14"],
                vec!["2025-12-27", "2026-01-07"],
            ),
            // Nothing closed in the way: as before.
            (
                "2025-03-10",
                vec![],
                vec!["2025-03-10", "2025-03-20", "2025-03-31"],
            ),
        ] {
            let held: Vec<Date> = held.into_iter().map(d).collect();
            let v = propose_from(
                &held,
                d(first),
                None,
                None,
                &ScheduleSettings::default(),
                false,
                &open_day,
            )
            .unwrap();
            let sessions: Vec<String> = v
                .iter()
                .filter(|v| v.kind != VisitKind::TouchUp)
                .map(|v| v.proposed.to_string())
                .collect();
            assert_eq!(sessions, want, "first {first}");
            for v in &v {
                assert!(c.open_on(&hours, v.proposed), "{:?}", v);
                assert!(v.earliest <= v.proposed && v.proposed <= v.latest, "{v:?}");
            }
        }
        // Without closures the proposal is unchanged (2025-03-30 is a Sunday, proposed as before).
        let plain = propose(&[], d("2025-03-10"), &ScheduleSettings::default(), false).unwrap();
        assert_eq!(plain[2].proposed, d("2025-03-30"));
    }

    #[test]
    fn first_course_proposes_sessions_and_touch_up() {
        let v = propose(&[], d("2025-03-10"), &ScheduleSettings::default(), false).unwrap();
        assert_eq!(v.len(), 4);
        assert_eq!(v[0].proposed, d("2025-03-10"));
        assert_eq!(
            (v[1].earliest, v[1].proposed, v[1].latest),
            (d("2025-03-17"), d("2025-03-20"), d("2025-03-24"))
        );
        assert_eq!(v[2].proposed, d("2025-03-30"));
        assert_eq!(v[3].kind, VisitKind::TouchUp);
        // 40 months after the last session (the preview's fading curve; 34 before session 3).
        assert_eq!(v[3].proposed, d("2028-07-30"));
    }

    #[test]
    fn continues_after_held_sessions_and_respects_settings() {
        let s = ScheduleSettings {
            min_days: 10,
            preferred_days: 12,
            max_days: 21,
            ..Default::default()
        };
        let v = propose(
            &[d("2025-03-10"), d("2025-03-21")],
            d("2025-01-01"),
            &s,
            true,
        )
        .unwrap();
        assert_eq!(v[0].kind, VisitKind::Session { index: 3, of: 3 });
        assert_eq!(v[0].proposed, d("2025-04-02"));
        // Over scars: 26 months (17 before session 3's shared fading curve).
        assert_eq!(v[1].proposed, d("2027-06-02"));
        let bad = ScheduleSettings {
            min_days: 15,
            ..Default::default()
        };
        assert!(propose(&[], d("2025-01-01"), &bad, false).is_err());
    }

    #[test]
    fn aftercare_has_instructions_for_each_healing_day() {
        let a = Aftercare::embedded();
        for day in 0..=29 {
            assert!(!a.for_day(day).is_empty(), "no aftercare for day {day}");
        }
        assert!(a.for_day(2).iter().any(|t| t.contains("dry")));
        assert_eq!(
            a.calendar(d("2025-03-10")).last().unwrap().1,
            d("2025-04-08")
        );
    }
}
