//! Breaks within a day (schema 11) and closures (single closed days or periods from a first to a last day,
//! schema 13, which moved the single days of schema 11 into one-day periods) in the database, for every node.
//! The rules (which breaks and closures are valid, whether a booking avoids them, where a proposed visit moves)
//! are follicle-clinic's `closures`; this stores them. The week (opening hours and breaks) is replaced in one
//! transaction, so a break never outlives the hours it lay in; the closures are replaced as a list. Every change
//! is audited in the same transaction.

use crate::driver::{int, text, Conn, Driver};
use crate::premises::OpeningSpan;
use crate::records::{audit, SqlStore};
use crate::*;
use serde::{Deserialize, Serialize};

/// One break: minutes after midnight within a weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakSpan {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: i64,
    /// Starts, minutes after midnight.
    pub starts: i64,
    /// Ends, minutes after midnight.
    pub ends: i64,
}

/// One closure: the clinic's civil days from `first_day` to `last_day` (the same day for a single closed day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedPeriod {
    /// The first closed day, YYYY-MM-DD.
    pub first_day: String,
    /// The last closed day, YYYY-MM-DD (not before `first_day`).
    pub last_day: String,
    /// Why the clinic is closed.
    pub reason: String,
}

/// The most closures a clinic keeps (follicle-clinic's `closures::MAX_CLOSURES`).
pub const MAX_CLOSURES: usize = 200;
/// The most breaks a clinic keeps in its week (4 a day).
pub const MAX_BREAKS: usize = 28;

/// Breaks and closed dates (part of every [`Store`]).
pub trait ClinicClosures {
    /// The clinic's breaks, Monday first, in order.
    fn opening_breaks(&self, clinic: ClinicId) -> Result<Vec<BreakSpan>>;
    /// Replaces the opening hours and the breaks together, in one transaction, and whether the week is entered
    /// (`entered` with no hours: every day closed; not entered: no hours kept, schema 16). Audited.
    fn set_week(
        &self,
        clinic: ClinicId,
        hours: &[OpeningSpan],
        breaks: &[BreakSpan],
        entered: bool,
        by: UserId,
    ) -> Result<(Vec<OpeningSpan>, Vec<BreakSpan>)>;
    /// Whether the clinic has entered its week (then a weekday without hours is closed, even all seven).
    fn week_entered(&self, clinic: ClinicId) -> Result<bool>;
    /// The clinic's closures, in order of their first day.
    fn closed_periods(&self, clinic: ClinicId) -> Result<Vec<ClosedPeriod>>;
    /// Replaces the clinic's closures (at most [`MAX_CLOSURES`]; follicle-clinic checks that they do not
    /// overlap), in one transaction. Audited.
    fn set_closed_periods(
        &self,
        clinic: ClinicId,
        periods: &[ClosedPeriod],
        by: UserId,
    ) -> Result<Vec<ClosedPeriod>>;
}

fn breaks(c: &mut dyn Conn, clinic: ClinicId) -> Result<Vec<BreakSpan>> {
    c.query(
        "SELECT weekday, starts, ends FROM opening_breaks WHERE clinic_id = ? ORDER BY weekday, starts",
        &[int(clinic)],
    )?
    .iter()
    .map(|r| {
        Ok(BreakSpan {
            weekday: r.i(0)?,
            starts: r.i(1)?,
            ends: r.i(2)?,
        })
    })
    .collect()
}

fn periods(c: &mut dyn Conn, clinic: ClinicId) -> Result<Vec<ClosedPeriod>> {
    c.query(
        "SELECT first_day, last_day, reason FROM closed_periods WHERE clinic_id = ? ORDER BY first_day",
        &[int(clinic)],
    )?
    .iter()
    .map(|r| {
        Ok(ClosedPeriod {
            first_day: r.t(0)?,
            last_day: r.t(1)?,
            reason: r.t(2)?,
        })
    })
    .collect()
}

/// A closure in words for the audit log: "2026-12-25 (Christmas Day)" or "2027-07-01 to 2027-07-14 (Summer)".
fn describe_period(p: &ClosedPeriod) -> String {
    if p.first_day == p.last_day {
        format!("{} ({})", p.first_day, p.reason)
    } else {
        format!("{} to {} ({})", p.first_day, p.last_day, p.reason)
    }
}

/// Weekday names for the audit log, Monday first.
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn describe_breaks(b: &[BreakSpan]) -> String {
    let hm = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
    let list: Vec<String> = b
        .iter()
        .map(|x| {
            let day = usize::try_from(x.weekday)
                .ok()
                .and_then(|w| DAYS.get(w))
                .unwrap_or(&"?");
            format!("{day} {}–{}", hm(x.starts), hm(x.ends))
        })
        .collect();
    if list.is_empty() {
        "no breaks".into()
    } else {
        format!("breaks {}", list.join(", "))
    }
}

impl<D: Driver> ClinicClosures for SqlStore<D> {
    fn opening_breaks(&self, clinic: ClinicId) -> Result<Vec<BreakSpan>> {
        self.read_tx(|c| breaks(c, clinic))
    }

    fn set_week(
        &self,
        clinic: ClinicId,
        hours: &[OpeningSpan],
        new: &[BreakSpan],
        entered: bool,
        by: UserId,
    ) -> Result<(Vec<OpeningSpan>, Vec<BreakSpan>)> {
        if new.len() > MAX_BREAKS {
            return Err(StoreError::Conflict(format!(
                "At most {MAX_BREAKS} breaks a week."
            )));
        }
        self.write_tx(|c| {
            crate::clinic_day::lock_bookings(c, clinic)?;
            c.exec("DELETE FROM opening_breaks WHERE clinic_id = ?", &[int(clinic)])?;
            c.exec("DELETE FROM opening_hours WHERE clinic_id = ?", &[int(clinic)])?;
            for s in hours {
                c.exec(
                    "INSERT INTO opening_hours (clinic_id, weekday, opens, closes) VALUES (?, ?, ?, ?)",
                    &[int(clinic), int(s.weekday), int(s.opens), int(s.closes)],
                )?;
            }
            let entered = entered || !hours.is_empty();
            c.exec(
                "UPDATE clinics SET week_entered = ? WHERE id = ?",
                &[int(i64::from(entered)), int(clinic)],
            )?;
            let words = match (hours.is_empty(), entered) {
                (true, true) => "every day closed".to_string(),
                (true, false) => "no opening hours".to_string(),
                _ => crate::premises::describe(hours),
            };
            audit(c, clinic, Some(by), "update", "opening_hours", None::<Id>, None, &words)?;
            for b in new {
                c.exec(
                    "INSERT INTO opening_breaks (clinic_id, weekday, starts, ends) VALUES (?, ?, ?, ?)",
                    &[int(clinic), int(b.weekday), int(b.starts), int(b.ends)],
                )?;
            }
            audit(c, clinic, Some(by), "update", "opening_breaks", None::<Id>, None, &describe_breaks(new))?;
            Ok((crate::premises::spans(c, clinic)?, breaks(c, clinic)?))
        })
    }

    fn week_entered(&self, clinic: ClinicId) -> Result<bool> {
        self.read_tx(|c| {
            let r = c.one(
                "clinic",
                "SELECT week_entered FROM clinics WHERE id = ?",
                &[int(clinic)],
            )?;
            Ok(r.i::<i64>(0)? == 1)
        })
    }

    fn closed_periods(&self, clinic: ClinicId) -> Result<Vec<ClosedPeriod>> {
        self.read_tx(|c| periods(c, clinic))
    }

    fn set_closed_periods(
        &self,
        clinic: ClinicId,
        new: &[ClosedPeriod],
        by: UserId,
    ) -> Result<Vec<ClosedPeriod>> {
        if new.len() > MAX_CLOSURES {
            return Err(StoreError::Conflict(format!(
                "At most {MAX_CLOSURES} closures: remove past ones first."
            )));
        }
        self.write_tx(|c| {
            crate::clinic_day::lock_bookings(c, clinic)?;
            let old = periods(c, clinic)?;
            c.exec(
                "DELETE FROM closed_periods WHERE clinic_id = ?",
                &[int(clinic)],
            )?;
            for p in new {
                c.exec(
                    "INSERT INTO closed_periods (clinic_id, first_day, last_day, reason) VALUES (?, ?, ?, ?)",
                    &[int(clinic), text(&p.first_day), text(&p.last_day), text(&p.reason)],
                )?;
            }
            let added: Vec<String> = new
                .iter()
                .filter(|p| !old.contains(p))
                .map(describe_period)
                .collect();
            let removed: Vec<String> = old
                .iter()
                .filter(|p| !new.contains(p))
                .map(|p| {
                    if p.first_day == p.last_day {
                        p.first_day.clone()
                    } else {
                        format!("{} to {}", p.first_day, p.last_day)
                    }
                })
                .collect();
            let mut what = Vec::new();
            if !added.is_empty() {
                what.push(format!("closed {}", added.join(", ")));
            }
            if !removed.is_empty() {
                what.push(format!("open again {}", removed.join(", ")));
            }
            if what.is_empty() {
                what.push("closed dates unchanged".into());
            }
            audit(
                c,
                clinic,
                Some(by),
                "update",
                "closed_dates",
                None::<Id>,
                None,
                &what.join("; "),
            )?;
            periods(c, clinic)
        })
    }
}
