//! When the open clinic is closed all the same: breaks within a day (lunch, a staff meeting: each weekday's
//! breaks lie inside that day's opening hours) and closed dates (holidays, training days, each with its reason).
//! A booking that overlaps a break or falls on a closed date is refused in a sentence the front desk can read
//! out; the owner may book it anyway with a written reason, as for opening hours. Proposed follow-up visits move
//! to the next day the clinic is open ([`Closures::open_on`], used by the schedule). No breaks and no closed
//! dates restrict nothing.

use crate::appointment::{clock, parse_time, Slot};
use crate::date::{ClinicZone, Date};
use crate::premises::{OpeningHours, WEEKDAYS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most breaks in one day.
pub const MAX_BREAKS_PER_DAY: usize = 4;
/// The most closed dates a clinic keeps (past ones can be removed).
pub const MAX_CLOSED_DATES: usize = 200;
/// Longest reason for a closed date, in characters.
pub const CLOSED_REASON_MAX_CHARS: usize = 100;
/// How far a proposed visit moves at most to find an open day (a clinic closed longer keeps the day proposed).
pub const MAX_SHIFT_DAYS: i64 = 31;

/// One break as typed: a weekday and the times it starts and ends (`HH:MM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayBreak {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Start, HH:MM.
    pub starts: String,
    /// End, HH:MM.
    pub ends: String,
}

/// One closed date as typed: the day (`YYYY-MM-DD`) and why (shown on the day view and in refusals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedDate {
    /// The day, YYYY-MM-DD.
    pub date: String,
    /// Why, e.g. "Christmas Day".
    pub reason: String,
}

/// A clinic's breaks (minutes after midnight, per weekday, in order) and closed dates (with their reasons).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Closures {
    breaks: [Vec<(u16, u16)>; 7],
    dates: BTreeMap<Date, String>,
}

fn hhmm(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

fn minutes(s: &str) -> Result<u16, String> {
    let (h, m) = parse_time(s).map_err(|e| e.to_string())?;
    Ok(u16::from(h) * 60 + u16::from(m))
}

/// Checks a closed date's reason: present, one line, at most [`CLOSED_REASON_MAX_CHARS`].
fn check_reason(date: &str, reason: &str) -> Result<String, String> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(format!(
            "{date}: write why the clinic is closed, e.g. Christmas Day."
        ));
    }
    if r.chars().count() > CLOSED_REASON_MAX_CHARS || r.chars().any(char::is_control) {
        return Err(format!(
            "{date}: the reason is one line of at most {CLOSED_REASON_MAX_CHARS} characters."
        ));
    }
    Ok(r.to_string())
}

impl Closures {
    /// Reads the typed breaks and closed dates. Each break lies inside its day's opening hours (when the hours
    /// are set; a break on a closed weekday is refused), ends after it starts and overlaps no other; at most
    /// [`MAX_BREAKS_PER_DAY`] a day. Each date is a real day, given once, with a reason; at most
    /// [`MAX_CLOSED_DATES`]. Refusals name the day.
    pub fn new(
        hours: &OpeningHours,
        breaks: &[DayBreak],
        dates: &[ClosedDate],
    ) -> Result<Self, String> {
        let mut out = Closures::default();
        for b in breaks {
            let name = WEEKDAYS.get(usize::from(b.weekday)).ok_or_else(|| {
                format!(
                    "Weekday {} does not exist: use 0 (Monday) to 6 (Sunday).",
                    b.weekday
                )
            })?;
            let starts = minutes(&b.starts).map_err(|e| format!("{name}, break start: {e}"))?;
            let ends = minutes(&b.ends).map_err(|e| format!("{name}, break end: {e}"))?;
            if ends <= starts {
                return Err(format!(
                    "{name}: a break must end after it starts ({} is not after {}).",
                    b.ends.trim(),
                    b.starts.trim()
                ));
            }
            if hours.is_set() {
                match hours.span(b.weekday) {
                    None => {
                        return Err(format!(
                            "{name}: the clinic is closed all day, so it needs no break."
                        ))
                    }
                    Some((o, c)) if starts <= o || ends >= c => {
                        return Err(format!(
                            "{name}: a break must lie within the opening hours ({}–{}); {}–{} does not. Change the opening or closing time instead.",
                            hhmm(o),
                            hhmm(c),
                            hhmm(starts),
                            hhmm(ends)
                        ))
                    }
                    Some(_) => {}
                }
            }
            let day = &mut out.breaks[usize::from(b.weekday)];
            if let Some(&(s, e)) = day.iter().find(|&&(s, e)| starts < e && s < ends) {
                return Err(format!(
                    "{name}: the breaks {}–{} and {}–{} overlap.",
                    hhmm(s),
                    hhmm(e),
                    hhmm(starts),
                    hhmm(ends)
                ));
            }
            if day.len() >= MAX_BREAKS_PER_DAY {
                return Err(format!(
                    "{name}: at most {MAX_BREAKS_PER_DAY} breaks a day."
                ));
            }
            day.push((starts, ends));
            day.sort_unstable();
        }
        if dates.len() > MAX_CLOSED_DATES {
            return Err(format!(
                "At most {MAX_CLOSED_DATES} closed dates: remove past ones first."
            ));
        }
        for d in dates {
            let shown: String = d.date.trim().chars().take(20).collect();
            let day: Date = d
                .date
                .trim()
                .parse()
                .map_err(|_| format!("“{shown}” is not a date: write it as YYYY-MM-DD."))?;
            let reason = check_reason(&shown, &d.reason)?;
            if out.dates.insert(day, reason).is_some() {
                return Err(format!("{day} is given twice."));
            }
        }
        Ok(out)
    }

    /// From stored values: breaks (weekday, starts, ends in minutes) and dates with reasons; values out of range
    /// are left out.
    pub fn from_stored(breaks: &[(u8, u16, u16)], dates: &[(Date, String)]) -> Self {
        let mut out = Closures::default();
        for &(w, s, e) in breaks {
            if usize::from(w) < 7 && s < e && e <= 24 * 60 {
                out.breaks[usize::from(w)].push((s, e));
            }
        }
        for day in &mut out.breaks {
            day.sort_unstable();
        }
        out.dates = dates.iter().cloned().collect();
        out
    }

    /// The breaks as (weekday, starts, ends) in minutes, Monday first, for storing.
    pub fn break_minutes(&self) -> Vec<(u8, u16, u16)> {
        (0u8..7)
            .flat_map(|w| {
                self.breaks[usize::from(w)]
                    .iter()
                    .map(move |&(s, e)| (w, s, e))
            })
            .collect()
    }

    /// The breaks as typed values.
    pub fn breaks(&self) -> Vec<DayBreak> {
        self.break_minutes()
            .into_iter()
            .map(|(weekday, s, e)| DayBreak {
                weekday,
                starts: hhmm(s),
                ends: hhmm(e),
            })
            .collect()
    }

    /// The closed dates in order, with their reasons.
    pub fn dates(&self) -> Vec<(Date, String)> {
        self.dates.iter().map(|(d, r)| (*d, r.clone())).collect()
    }

    /// One weekday's breaks in words, e.g. `["13:00–14:00"]`.
    pub fn describe_breaks(&self, weekday: u8) -> Vec<String> {
        self.breaks
            .get(usize::from(weekday))
            .map(|b| {
                b.iter()
                    .map(|&(s, e)| format!("{}–{}", hhmm(s), hhmm(e)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Why the clinic is closed on `day`, when it is a closed date.
    pub fn closed_on(&self, day: Date) -> Option<&str> {
        self.dates.get(&day).map(String::as_str)
    }

    /// Whether the clinic opens on `day`: not a closed date, and (when the hours are set) an open weekday.
    pub fn open_on(&self, hours: &OpeningHours, day: Date) -> bool {
        let weekday = day.to_jiff().weekday().to_monday_zero_offset() as u8;
        self.closed_on(day).is_none() && (!hours.is_set() || hours.span(weekday).is_some())
    }

    /// The first day on or after `day` the clinic opens (at most [`MAX_SHIFT_DAYS`] later; else `day`).
    pub fn next_open_day(&self, hours: &OpeningHours, day: Date) -> Date {
        (0..=MAX_SHIFT_DAYS)
            .map(|n| day.add_days(n))
            .find(|d| self.open_on(hours, *d))
            .unwrap_or(day)
    }

    /// Whether an appointment at `slot` avoids the closed dates and the breaks, on the clinic's clocks. The
    /// refusal says why the clinic is closed or when the break is.
    pub fn check(&self, zone: &ClinicZone, slot: &Slot) -> Result<(), String> {
        let (day, h, m) = zone.local(slot.start);
        let (end_day, eh, em) = zone.local(slot.end);
        // A slot reaching past midnight is closed by the opening hours; only its first day's breaks apply here.
        let last_day = if end_day != day && eh == 0 && em == 0 {
            day
        } else {
            end_day
        };
        for d in [day, last_day] {
            if let Some(why) = self.closed_on(d) {
                return Err(format!(
                    "The clinic is closed on {d} ({why}). Choose another day, or the owner can book it anyway with a written reason."
                ));
            }
        }
        let weekday = day.to_jiff().weekday().to_monday_zero_offset() as u8;
        let start = u16::from(h) * 60 + u16::from(m);
        let end = if end_day == day {
            u16::from(eh) * 60 + u16::from(em)
        } else {
            24 * 60
        };
        if let Some(&(s, e)) = self.breaks[usize::from(weekday)]
            .iter()
            .find(|&&(s, e)| start < e && s < end)
        {
            return Err(format!(
                "The clinic has a break from {} to {} on {}s; this appointment would run from {} to {} on {day}. Choose a time outside the break, or the owner can book it anyway with a written reason.",
                hhmm(s),
                hhmm(e),
                WEEKDAYS[usize::from(weekday)],
                clock(zone, slot.start),
                clock(zone, slot.end)
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::DateTime;
    use crate::premises::DayHours;

    fn week() -> OpeningHours {
        // Monday to Friday 09:00–18:00, Saturday 10:00–14:00, Sunday closed.
        let mut days: Vec<DayHours> = (0..5)
            .map(|weekday| DayHours {
                weekday,
                opens: "09:00".into(),
                closes: "18:00".into(),
            })
            .collect();
        days.push(DayHours {
            weekday: 5,
            opens: "10:00".into(),
            closes: "14:00".into(),
        });
        OpeningHours::new(&days).unwrap()
    }

    fn brk(weekday: u8, starts: &str, ends: &str) -> DayBreak {
        DayBreak {
            weekday,
            starts: starts.into(),
            ends: ends.into(),
        }
    }

    fn closed(date: &str, reason: &str) -> ClosedDate {
        ClosedDate {
            date: date.into(),
            reason: reason.into(),
        }
    }

    fn slot(zone: &ClinicZone, day: &str, h: u8, m: u8, minutes: i64) -> Slot {
        let start = zone.exactly(day.parse::<Date>().unwrap(), h, m).unwrap();
        Slot {
            start,
            end: DateTime::from_unix_seconds(start.to_jiff().as_second() + minutes * 60).unwrap(),
        }
    }

    #[test]
    fn typed_breaks_and_dates_are_checked_and_name_the_day() {
        let hours = week();
        let many: Vec<DayBreak> = (0..5)
            .map(|i| brk(0, &format!("1{i}:00"), &format!("1{i}:30")))
            .collect();
        let too_many_dates: Vec<ClosedDate> = (0..=MAX_CLOSED_DATES as i64)
            .map(|i| {
                closed(
                    &"2027-01-01"
                        .parse::<Date>()
                        .unwrap()
                        .add_days(i)
                        .to_string(),
                    "Closed",
                )
            })
            .collect();
        for (breaks, dates, needle) in [
            (vec![brk(7, "12:00", "13:00")], vec![], "Weekday 7"),
            (
                vec![brk(0, "13:00", "13:00")],
                vec![],
                "Monday: a break must end after it starts",
            ),
            (vec![brk(1, "1pm", "14:00")], vec![], "Tuesday, break start"),
            (
                vec![brk(2, "08:30", "09:30")],
                vec![],
                "Wednesday: a break must lie within the opening hours (09:00–18:00)",
            ),
            (
                vec![brk(3, "17:00", "18:00")],
                vec![],
                "Thursday: a break must lie within",
            ),
            (
                vec![brk(6, "12:00", "13:00")],
                vec![],
                "Sunday: the clinic is closed all day",
            ),
            (
                vec![brk(4, "12:00", "13:00"), brk(4, "12:30", "13:30")],
                vec![],
                "Friday: the breaks 12:00–13:00 and 12:30–13:30 overlap",
            ),
            (many, vec![], "Monday: at most 4 breaks a day"),
            (
                vec![],
                vec![closed("25.12.2026", "Christmas")],
                "“25.12.2026” is not a date",
            ),
            (
                vec![],
                vec![closed("2026-12-25", "  ")],
                "2026-12-25: write why",
            ),
            (
                vec![],
                vec![closed("2026-12-25", &"x".repeat(101))],
                "at most 100 characters",
            ),
            (vec![], vec![closed("2026-12-25", "a\nb")], "one line"),
            (
                vec![],
                vec![
                    closed("2026-12-25", "Christmas"),
                    closed("2026-12-25", "Again"),
                ],
                "2026-12-25 is given twice",
            ),
            (vec![], too_many_dates, "At most 200 closed dates"),
        ] {
            let e = Closures::new(&hours, &breaks, &dates).unwrap_err();
            assert!(e.contains(needle), "{needle}: {e}");
        }
        // Accepted: read back in order; stored values give the same closures.
        let c = Closures::new(
            &hours,
            &[brk(0, "15:00", "15:15"), brk(0, "13:00", "14:00")],
            &[closed(" 2026-12-25 ", " Christmas Day ")],
        )
        .unwrap();
        assert_eq!(
            c.describe_breaks(0),
            vec!["13:00–14:00".to_string(), "15:00–15:15".to_string()]
        );
        assert!(c.describe_breaks(1).is_empty());
        let day: Date = "2026-12-25".parse().unwrap();
        assert_eq!(c.closed_on(day), Some("Christmas Day"));
        assert_eq!(Closures::from_stored(&c.break_minutes(), &c.dates()), c);
        assert_eq!(
            Closures::new(&hours, &c.breaks(), &[]).unwrap().breaks(),
            c.breaks()
        );
        // Without opening hours a break only has to be well formed.
        assert!(Closures::new(&OpeningHours::default(), &[brk(6, "12:00", "13:00")], &[]).is_ok());
    }

    #[test]
    fn bookings_avoid_breaks_and_closed_dates() {
        let zone = ClinicZone::get("Europe/Warsaw").unwrap();
        let c = Closures::new(
            &week(),
            &[brk(0, "13:00", "14:00"), brk(0, "16:00", "16:15")],
            &[closed("2026-12-25", "Christmas Day")],
        )
        .unwrap();
        // 2026-12-07 is a Monday, 2026-12-08 a Tuesday, 2026-12-25 a Friday.
        for (day, hh, mm, minutes, ok) in [
            ("2026-12-07", 12, 0, 60, true),   // ends as the break starts
            ("2026-12-07", 14, 0, 60, true),   // starts as the break ends
            ("2026-12-07", 12, 30, 60, false), // runs into the break
            ("2026-12-07", 13, 15, 30, false), // inside the break
            ("2026-12-07", 12, 0, 180, false), // spans the whole break
            ("2026-12-07", 15, 30, 60, false), // the short afternoon break
            ("2026-12-08", 13, 0, 60, true),   // Tuesday has no break
            ("2026-12-25", 10, 0, 60, false),  // closed date
            ("2026-12-24", 10, 0, 60, true),
        ] {
            let r = c.check(&zone, &slot(&zone, day, hh, mm, minutes));
            assert_eq!(r.is_ok(), ok, "{day} {hh}:{mm} +{minutes}: {r:?}");
        }
        let e = c
            .check(&zone, &slot(&zone, "2026-12-07", 12, 30, 60))
            .unwrap_err();
        assert_eq!(e, "The clinic has a break from 13:00 to 14:00 on Mondays; this appointment would run from 12:30 to 13:30 on 2026-12-07. Choose a time outside the break, or the owner can book it anyway with a written reason.");
        let e = c
            .check(&zone, &slot(&zone, "2026-12-25", 10, 0, 60))
            .unwrap_err();
        assert_eq!(e, "The clinic is closed on 2026-12-25 (Christmas Day). Choose another day, or the owner can book it anyway with a written reason.");
        // Nothing entered: nothing refused.
        assert!(Closures::default()
            .check(&zone, &slot(&zone, "2026-12-25", 3, 0, 60))
            .is_ok());
    }

    #[test]
    fn proposed_days_move_to_the_next_open_day() {
        let hours = week();
        let c = Closures::new(
            &hours,
            &[],
            &[
                closed("2026-12-24", "Christmas Eve"),
                closed("2026-12-25", "Christmas Day"),
                closed("2026-12-26", "Boxing Day"),
            ],
        )
        .unwrap();
        let d = |s: &str| s.parse::<Date>().unwrap();
        for (day, open) in [
            ("2026-12-23", "2026-12-23"), // a Wednesday, open
            ("2026-12-24", "2026-12-28"), // 24–26 closed, 27 a Sunday
            ("2026-12-27", "2026-12-28"), // Sunday: closed weekday
            ("2026-12-26", "2026-12-28"),
        ] {
            assert_eq!(c.next_open_day(&hours, d(day)), d(open), "{day}");
        }
        // Without hours only the closed dates count; a clinic closed for longer keeps the day.
        assert_eq!(
            c.next_open_day(&OpeningHours::default(), d("2026-12-24")),
            d("2026-12-27")
        );
        let long: Vec<ClosedDate> = (0..40)
            .map(|i| closed(&d("2027-07-01").add_days(i).to_string(), "Summer"))
            .collect();
        let summer = Closures::new(&OpeningHours::default(), &[], &long).unwrap();
        assert_eq!(
            summer.next_open_day(&OpeningHours::default(), d("2027-07-01")),
            d("2027-07-01")
        );
    }
}
