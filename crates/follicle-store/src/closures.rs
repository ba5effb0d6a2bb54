//! Breaks within a day and closed dates in the database (schema 11), for every node. The rules (which breaks
//! and dates are valid, whether a booking avoids them, where a proposed visit moves) are follicle-clinic's
//! `closures`; this stores them. The week (opening hours and breaks) is replaced in one transaction, so a break
//! never outlives the hours it lay in; the closed dates are replaced as a list. Every change is audited in the
//! same transaction.

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

/// One closed date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedDay {
    /// The clinic's civil day, YYYY-MM-DD.
    pub day: String,
    /// Why the clinic is closed.
    pub reason: String,
}

/// The most closed dates a clinic keeps (follicle-clinic's `closures::MAX_CLOSED_DATES`).
pub const MAX_CLOSED_DAYS: usize = 200;
/// The most breaks a clinic keeps in its week (4 a day).
pub const MAX_BREAKS: usize = 28;

/// Breaks and closed dates (part of every [`Store`]).
pub trait ClinicClosures {
    /// The clinic's breaks, Monday first, in order.
    fn opening_breaks(&self, clinic: ClinicId) -> Result<Vec<BreakSpan>>;
    /// Replaces the opening hours and the breaks together, in one transaction. Audited.
    fn set_week(
        &self,
        clinic: ClinicId,
        hours: &[OpeningSpan],
        breaks: &[BreakSpan],
        by: UserId,
    ) -> Result<(Vec<OpeningSpan>, Vec<BreakSpan>)>;
    /// The clinic's closed dates, in order.
    fn closed_days(&self, clinic: ClinicId) -> Result<Vec<ClosedDay>>;
    /// Replaces the clinic's closed dates (at most [`MAX_CLOSED_DAYS`]), in one transaction. Audited.
    fn set_closed_days(
        &self,
        clinic: ClinicId,
        days: &[ClosedDay],
        by: UserId,
    ) -> Result<Vec<ClosedDay>>;
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

fn days(c: &mut dyn Conn, clinic: ClinicId) -> Result<Vec<ClosedDay>> {
    c.query(
        "SELECT day, reason FROM closed_dates WHERE clinic_id = ? ORDER BY day",
        &[int(clinic)],
    )?
    .iter()
    .map(|r| {
        Ok(ClosedDay {
            day: r.t(0)?,
            reason: r.t(1)?,
        })
    })
    .collect()
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
            audit(c, clinic, Some(by), "update", "opening_hours", None::<Id>, None, &crate::premises::describe(hours))?;
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

    fn closed_days(&self, clinic: ClinicId) -> Result<Vec<ClosedDay>> {
        self.read_tx(|c| days(c, clinic))
    }

    fn set_closed_days(
        &self,
        clinic: ClinicId,
        new: &[ClosedDay],
        by: UserId,
    ) -> Result<Vec<ClosedDay>> {
        if new.len() > MAX_CLOSED_DAYS {
            return Err(StoreError::Conflict(format!(
                "At most {MAX_CLOSED_DAYS} closed dates: remove past ones first."
            )));
        }
        self.write_tx(|c| {
            crate::clinic_day::lock_bookings(c, clinic)?;
            let old = days(c, clinic)?;
            c.exec(
                "DELETE FROM closed_dates WHERE clinic_id = ?",
                &[int(clinic)],
            )?;
            for d in new {
                c.exec(
                    "INSERT INTO closed_dates (clinic_id, day, reason) VALUES (?, ?, ?)",
                    &[int(clinic), text(&d.day), text(&d.reason)],
                )?;
            }
            let added: Vec<String> = new
                .iter()
                .filter(|d| !old.contains(d))
                .map(|d| format!("{} ({})", d.day, d.reason))
                .collect();
            let removed: Vec<&str> = old
                .iter()
                .filter(|d| !new.contains(d))
                .map(|d| d.day.as_str())
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
            days(c, clinic)
        })
    }
}
