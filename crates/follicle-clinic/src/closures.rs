//! When the open clinic is closed all the same: breaks within a day (lunch, a staff meeting: each weekday's
//! breaks lie inside that day's opening hours) and closures (a holiday, a training day, or a period such as two
//! weeks in summer: a first and last day, each with its reason). A booking that overlaps a break or falls on a
//! day of a closure is refused in a sentence the front desk can read out; the owner may book it anyway with a
//! written reason, as for opening hours. Proposed follow-up visits move to the next day the clinic is open
//! ([`Closures::open_on`], used by the schedule), past every day of a closure. No breaks and no closures
//! restrict nothing. [`Closures::closed_on`] is the one rule that says whether a day is closed.

use crate::appointment::{parse_time, Slot, MAX_DAYS_AHEAD};
use crate::date::{ClinicZone, Date};
use crate::premises::{OpeningHours, WEEKDAYS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most breaks in one day.
pub const MAX_BREAKS_PER_DAY: usize = 4;
/// The most closures (single days or periods) a clinic keeps (past ones can be removed).
pub const MAX_CLOSURES: usize = 200;
/// The longest closure, in days (first and last day included): a year.
pub const MAX_CLOSURE_DAYS: i64 = 366;
/// The earliest year a closure may start in.
pub const FIRST_YEAR: i32 = 2000;
/// Longest reason for a closure, in characters.
pub const CLOSED_REASON_MAX_CHARS: usize = 100;
/// How far a proposed visit moves at most to find an open day, past closures and closed weekdays (a clinic
/// closed longer keeps the day proposed).
pub const MAX_SHIFT_DAYS: i64 = MAX_CLOSURE_DAYS + 31;

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

/// One closure as typed: its first day (`from`, YYYY-MM-DD; `date` is read too), its last day (`to`; absent:
/// the one day) and why (shown on the day view and in refusals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedPeriod {
    /// The first closed day, YYYY-MM-DD.
    #[serde(alias = "date")]
    pub from: String,
    /// The last closed day, YYYY-MM-DD (absent or empty: the same as `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Why, e.g. "Christmas Day" or "Summer holiday".
    pub reason: String,
}

/// A clinic's breaks (minutes after midnight, per weekday, in order) and closures (first day → last day and
/// reason; they never overlap).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Closures {
    breaks: [Vec<(u16, u16)>; 7],
    periods: BTreeMap<Date, (Date, String)>,
}

fn hhmm(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

fn minutes(s: &str) -> Result<u16, String> {
    let (h, m) = parse_time(s).map_err(|_| {
        format!(
            "`{}` is not a time of day: write it as HH:MM, e.g. 12:30",
            s.chars().take(20).collect::<String>()
        )
    })?;
    Ok(u16::from(h) * 60 + u16::from(m))
}

/// Checks a closure's reason: present, one line, at most [`CLOSED_REASON_MAX_CHARS`].
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

/// A typed day, or a sentence naming what was typed.
fn day_of(typed: &str) -> Result<Date, String> {
    let shown: String = typed.trim().chars().take(20).collect();
    typed
        .trim()
        .parse()
        .map_err(|_| format!("“{shown}” is not a date: write it as YYYY-MM-DD."))
}

/// A closure in words: "2026-12-25" or "2027-07-01 to 2027-07-14".
fn span_words(from: Date, to: Date) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from} to {to}")
    }
}

/// Reads one typed closure: real days, the first not after the last, at most [`MAX_CLOSURE_DAYS`] long, from
/// [`FIRST_YEAR`] on, with a reason.
fn period_of(p: &ClosedPeriod) -> Result<(Date, Date, String), String> {
    let from = day_of(&p.from)?;
    let to = match p.to.as_deref().map(str::trim) {
        None | Some("") => from,
        Some(t) => day_of(t)?,
    };
    if to < from {
        return Err(format!(
            "A closure cannot end ({to}) before it starts ({from}): give the first day, then the last."
        ));
    }
    let days = from.days_until(to) + 1;
    if days > MAX_CLOSURE_DAYS {
        return Err(format!(
            "{from} to {to} is {days} days: a closure lasts at most {MAX_CLOSURE_DAYS} days. Enter a longer one as two."
        ));
    }
    if from.year() < FIRST_YEAR {
        return Err(format!(
            "{from} is too long ago: closures start in {FIRST_YEAR} or later."
        ));
    }
    let reason = check_reason(&span_words(from, to), &p.reason)?;
    Ok((from, to, reason))
}

impl Closures {
    /// Reads the typed breaks and closed dates. Each break lies inside its day's opening hours (when the hours
    /// are set; a break on a closed weekday is refused), ends after it starts and overlaps no other; at most
    /// [`MAX_BREAKS_PER_DAY`] a day. Each closure runs from a real day to a real day not before it, at most
    /// [`MAX_CLOSURE_DAYS`] days, from [`FIRST_YEAR`] on, with a reason, and shares no day with another; at
    /// most [`MAX_CLOSURES`]. Refusals name the day or the closure.
    pub fn new(
        hours: &OpeningHours,
        breaks: &[DayBreak],
        periods: &[ClosedPeriod],
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
                    // Outside probe s29: a break of the whole day was said "not to lie within" the hours it
                    // fills.
                    Some((o, c)) if starts >= o && ends <= c && (starts == o || ends == c) => {
                        return Err(format!(
                            "{name}: a break from opening time or up to closing time ({}–{} on opening hours {}–{}) makes a shorter day: change the opening or closing time instead.",
                            hhmm(starts),
                            hhmm(ends),
                            hhmm(o),
                            hhmm(c)
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
        if periods.len() > MAX_CLOSURES {
            return Err(format!(
                "At most {MAX_CLOSURES} closures (single days or periods): remove past ones first."
            ));
        }
        for p in periods {
            let (from, to, reason) = period_of(p)?;
            if let Some((f, (t, why))) = out.overlapping(from, to) {
                return Err(if (f, *t) == (from, to) {
                    format!("{} is given twice.", span_words(from, to))
                } else {
                    format!(
                        "The closures {} ({why}) and {} ({reason}) overlap: give each closed day once.",
                        span_words(f, *t),
                        span_words(from, to)
                    )
                });
            }
            out.periods.insert(from, (to, reason));
        }
        Ok(out)
    }

    /// The kept closure that shares a day with `from`–`to`, if any.
    fn overlapping(&self, from: Date, to: Date) -> Option<(Date, &(Date, String))> {
        // Closures never overlap, so the one starting last on or before `to` is the only candidate that
        // could reach `from`; a later-starting one starts after `to`.
        self.periods
            .range(..=to)
            .next_back()
            .filter(|(_, (t, _))| *t >= from)
            .map(|(f, v)| (*f, v))
    }

    /// Whether every closure ends within [`MAX_DAYS_AHEAD`] days of `today` (the furthest a booking can be
    /// made); the refusal names the closure and the latest day.
    pub fn within_reach(&self, today: Date) -> Result<(), String> {
        let latest = today.add_days(MAX_DAYS_AHEAD);
        match self.periods.iter().find(|(_, (to, _))| *to > latest) {
            Some((from, (to, _))) => Err(format!(
                "{} is too far ahead: closures can be entered up to {latest} (bookings go no further).",
                span_words(*from, *to)
            )),
            None => Ok(()),
        }
    }

    /// From stored values: breaks (weekday, starts, ends in minutes) and closures (first day, last day,
    /// reason); values out of range, and a closure that would overlap one kept before it, are left out.
    pub fn from_stored(breaks: &[(u8, u16, u16)], periods: &[(Date, Date, String)]) -> Self {
        let mut out = Closures::default();
        for &(w, s, e) in breaks {
            if usize::from(w) < 7 && s < e && e <= 24 * 60 {
                out.breaks[usize::from(w)].push((s, e));
            }
        }
        for day in &mut out.breaks {
            day.sort_unstable();
        }
        for (from, to, reason) in periods {
            if from <= to && out.overlapping(*from, *to).is_none() {
                out.periods.insert(*from, (*to, reason.clone()));
            }
        }
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

    /// The closures in order: first day, last day, reason.
    pub fn periods(&self) -> Vec<(Date, Date, String)> {
        self.periods
            .iter()
            .map(|(f, (t, r))| (*f, *t, r.clone()))
            .collect()
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

    /// The closure `day` falls in (first day, last day, reason), when it is a closed day: the one rule that says
    /// whether a date is closed (bookings, the day views and feeds, and proposed visits all ask it).
    pub fn closure_on(&self, day: Date) -> Option<(Date, Date, &str)> {
        self.overlapping(day, day)
            .map(|(f, (t, r))| (f, *t, r.as_str()))
    }

    /// Why the clinic is closed on `day`, when it is a closed day.
    pub fn closed_on(&self, day: Date) -> Option<&str> {
        self.closure_on(day).map(|(_, _, why)| why)
    }

    /// Whether the clinic opens on `day`: not a closed day, and (when the hours are set) an open weekday.
    pub fn open_on(&self, hours: &OpeningHours, day: Date) -> bool {
        let weekday = day.to_jiff().weekday().to_monday_zero_offset() as u8;
        self.closed_on(day).is_none() && (!hours.is_set() || hours.span(weekday).is_some())
    }

    /// The first day on or after `day` the clinic opens: past every day of a closure and every closed weekday
    /// (at most [`MAX_SHIFT_DAYS`] later; else `day`).
    pub fn next_open_day(&self, hours: &OpeningHours, day: Date) -> Date {
        let mut d = day;
        while day.days_until(d) <= MAX_SHIFT_DAYS {
            if let Some((_, to, _)) = self.closure_on(d) {
                d = to.add_days(1);
            } else if self.open_on(hours, d) {
                return d;
            } else {
                d = d.add_days(1);
            }
        }
        day
    }

    /// Whether an appointment at `slot` avoids the closed dates and the breaks, on the clinic's clocks. The
    /// refusal says why the clinic is closed or when the break is.
    pub fn check(&self, zone: &ClinicZone, slot: &Slot) -> Result<(), String> {
        let (day, _, _) = zone.local(slot.start);
        let (end_day, eh, em) = zone.local(slot.end);
        // A slot reaching past midnight is closed by the opening hours; only its first day's breaks apply here.
        let last_day = if end_day != day && eh == 0 && em == 0 {
            day
        } else {
            end_day
        };
        for d in [day, last_day] {
            if let Some((from, to, why)) = self.closure_on(d) {
                let when = if from == to {
                    format!("on {d} ({why})")
                } else {
                    format!("from {from} to {to} ({why}), so on {d} too")
                };
                return Err(format!(
                    "The clinic is closed {when}. Choose another day, or the owner can book it anyway with a written reason."
                ));
            }
        }
        // Breaks on the real timeline, like the clash check: on the night clocks go back, a break in the
        // repeated hour covers both of its occurrences (the third probe's L4).
        for d in if last_day == day {
            vec![day]
        } else {
            vec![day, last_day]
        } {
            let weekday = d.to_jiff().weekday().to_monday_zero_offset() as u8;
            for &(s, e) in &self.breaks[usize::from(weekday)] {
                let (bs, be) = zone.span(d, s, e);
                if bs < slot.end && slot.start < be {
                    return Err(format!(
                        "The clinic has a break from {} to {} on {}s; this appointment would run {}. Choose a time outside the break, or the owner can book it anyway with a written reason.",
                        hhmm(s),
                        hhmm(e),
                        WEEKDAYS[usize::from(weekday)],
                        crate::appointment::runs(zone, slot)
                    ));
                }
            }
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
                closed: false,
            })
            .collect();
        days.push(DayHours {
            weekday: 5,
            opens: "10:00".into(),
            closes: "14:00".into(),
            closed: false,
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

    fn closed(date: &str, reason: &str) -> ClosedPeriod {
        ClosedPeriod {
            from: date.into(),
            to: None,
            reason: reason.into(),
        }
    }

    fn period(from: &str, to: &str, reason: &str) -> ClosedPeriod {
        ClosedPeriod {
            from: from.into(),
            to: Some(to.into()),
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
        let too_many_dates: Vec<ClosedPeriod> = (0..=MAX_CLOSURES as i64)
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
                "Thursday: a break from opening time or up to closing time (17:00–18:00 on opening hours 09:00–18:00) makes a shorter day",
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
            (vec![], too_many_dates, "At most 200 closures"),
            (
                vec![],
                vec![period("2027-07-14", "2027-07-01", "Summer")],
                "A closure cannot end (2027-07-01) before it starts (2027-07-14)",
            ),
            (
                vec![],
                vec![period("2027-01-01", "2028-01-02", "Refit")],
                "2027-01-01 to 2028-01-02 is 367 days: a closure lasts at most 366 days",
            ),
            (
                vec![],
                vec![period("2027-07-01", "2027-07-40", "Summer")],
                "“2027-07-40” is not a date",
            ),
            (
                vec![],
                vec![closed("1999-12-31", "Millennium")],
                "1999-12-31 is too long ago: closures start in 2000 or later",
            ),
            (
                vec![],
                vec![period("2027-07-01", "2027-07-14", " ")],
                "2027-07-01 to 2027-07-14: write why",
            ),
            (
                vec![],
                vec![
                    period("2027-07-01", "2027-07-14", "Summer"),
                    closed("2027-07-14", "Training"),
                ],
                "The closures 2027-07-01 to 2027-07-14 (Summer) and 2027-07-14 (Training) overlap",
            ),
            (
                vec![],
                vec![
                    closed("2027-07-10", "Training"),
                    period("2027-07-01", "2027-07-14", "Summer"),
                ],
                "The closures 2027-07-10 (Training) and 2027-07-01 to 2027-07-14 (Summer) overlap",
            ),
            (
                vec![],
                vec![
                    period("2027-07-01", "2027-07-14", "Summer"),
                    period("2027-07-01", "2027-07-14", "Summer"),
                ],
                "2027-07-01 to 2027-07-14 is given twice",
            ),
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
        assert_eq!(Closures::from_stored(&c.break_minutes(), &c.periods()), c);
        // A leap year's 366 days are one closure; touching closures are two.
        let year = Closures::new(
            &hours,
            &[],
            &[
                period("2028-01-01", "2028-12-31", "Refit"),
                period("2029-01-01", " ", "New year"),
            ],
        )
        .unwrap();
        assert_eq!(year.periods().len(), 2);
        assert_eq!(year.closed_on("2028-12-31".parse().unwrap()), Some("Refit"));
        assert_eq!(
            year.closed_on("2029-01-01".parse().unwrap()),
            Some("New year")
        );
        assert_eq!(year.closed_on("2029-01-02".parse().unwrap()), None);
        // `date` is read as the first day (the single-day form of earlier versions).
        let old: ClosedPeriod =
            serde_json::from_str(r#"{"date": "2026-12-25", "reason": "Christmas Day"}"#).unwrap();
        assert_eq!(old, closed("2026-12-25", "Christmas Day"));
        // Closures end within two years of today (as far as bookings go).
        let today: Date = "2026-11-30".parse().unwrap();
        assert!(c.within_reach(today).is_ok());
        let far = Closures::new(&hours, &[], &[period("2028-11-20", "2028-12-05", "Far")]).unwrap();
        assert_eq!(
            far.within_reach(today).unwrap_err(),
            "2028-11-20 to 2028-12-05 is too far ahead: closures can be entered up to 2028-12-01 (bookings go no further)."
        );
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
    fn breaks_on_the_night_clocks_go_back_cover_both_repeated_hours() {
        // 2027-10-31 (a Sunday): clocks go back from 03:00 CEST to 02:00 CET in Warsaw, so 02:00–03:00 happens
        // twice; the Sunday break 02:00–03:00 lasts from 00:00 to 02:00 UTC (the third probe's L4).
        let zone = ClinicZone::get("Europe/Warsaw").unwrap();
        let sunday = OpeningHours::new(&[DayHours {
            weekday: 6,
            opens: "00:00".into(),
            closes: "24:00".into(),
            closed: false,
        }])
        .unwrap();
        let c = Closures::new(&sunday, &[brk(6, "02:00", "03:00")], &[]).unwrap();
        // 00:00 for two real hours ends as the break starts (the first 02:00, CEST): it fits. For three real
        // hours it ends at the second 02:00 (CET), through the whole first occurrence: refused (was accepted).
        assert!(c
            .check(&zone, &slot(&zone, "2027-10-31", 0, 0, 120))
            .is_ok());
        let e = c
            .check(&zone, &slot(&zone, "2027-10-31", 0, 0, 180))
            .unwrap_err();
        assert!(e.contains("break from 02:00 to 03:00 on Sundays"), "{e}");
        assert!(c
            .check(&zone, &slot(&zone, "2027-10-31", 1, 30, 60))
            .is_err());
        // After the second 03:00 (02:00 UTC) is free again: 03:00 for an hour fits.
        assert!(c.check(&zone, &slot(&zone, "2027-10-31", 3, 0, 60)).is_ok());
        // Half an hour in the second occurrence only (02:30–03:00 CET, 01:30–02:00 UTC; 04:00 is 03:00 UTC).
        let start = DateTime::from_unix_seconds(
            zone.exactly("2027-10-31".parse().unwrap(), 4, 0)
                .unwrap()
                .to_jiff()
                .as_second()
                - 90 * 60,
        )
        .unwrap();
        let through_second = Slot {
            start,
            end: DateTime::from_unix_seconds(start.to_jiff().as_second() + 30 * 60).unwrap(),
        };
        assert_eq!(zone.local(start), ("2027-10-31".parse().unwrap(), 2, 30));
        assert!(c.check(&zone, &through_second).is_err());
    }

    #[test]
    fn a_slot_past_midnight_is_worded_with_both_days() {
        let zone = ClinicZone::get("Europe/Warsaw").unwrap();
        let s = slot(&zone, "2026-12-13", 23, 30, 60);
        assert_eq!(
            crate::appointment::runs(&zone, &s),
            "from 23:30 on 2026-12-13 to 00:30 on 2026-12-14"
        );
        let s = slot(&zone, "2026-12-13", 23, 0, 60);
        assert_eq!(
            crate::appointment::runs(&zone, &s),
            "from 23:00 to 24:00 on 2026-12-13"
        );
        assert_eq!(crate::appointment::end_clock(&zone, &s), "24:00");
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
        // Every day of a closure is skipped, however long, whether entered day by day or as one period.
        let long: Vec<ClosedPeriod> = (0..40)
            .map(|i| closed(&d("2027-07-01").add_days(i).to_string(), "Summer"))
            .collect();
        let summer = Closures::new(&OpeningHours::default(), &[], &long).unwrap();
        assert_eq!(
            summer.next_open_day(&OpeningHours::default(), d("2027-07-01")),
            d("2027-08-10")
        );
        // Two weeks in summer (Thursday 1 to Wednesday 14 July 2027) then a training day: Friday 16th.
        let two_weeks = Closures::new(
            &hours,
            &[],
            &[
                period("2027-07-01", "2027-07-14", "Summer holiday"),
                closed("2027-07-15", "Training"),
            ],
        )
        .unwrap();
        for day in ["2027-07-01", "2027-07-07", "2027-07-14", "2027-07-15"] {
            assert!(!two_weeks.open_on(&hours, d(day)), "{day}");
            assert_eq!(
                two_weeks.next_open_day(&hours, d(day)),
                d("2027-07-16"),
                "{day}"
            );
        }
        assert!(two_weeks.open_on(&hours, d("2027-06-30")));
        // Closed for longer than the furthest a visit moves: the day stays proposed.
        let closed_long = Closures::new(
            &OpeningHours::default(),
            &[],
            &[
                period("2027-01-01", "2027-12-31", "Refit"),
                period("2028-01-01", "2028-12-31", "Refit, second year"),
            ],
        )
        .unwrap();
        assert_eq!(
            closed_long.next_open_day(&OpeningHours::default(), d("2027-01-01")),
            d("2027-01-01")
        );
    }

    #[test]
    fn bookings_avoid_every_day_of_a_closed_period() {
        let zone = ClinicZone::get("Europe/Warsaw").unwrap();
        let c = Closures::new(
            &week(),
            &[],
            &[period("2027-07-01", "2027-07-14", "Summer holiday")],
        )
        .unwrap();
        for (day, ok) in [
            ("2027-06-30", true),
            ("2027-07-01", false),
            ("2027-07-08", false),
            ("2027-07-14", false),
            ("2027-07-15", true),
        ] {
            let r = c.check(&zone, &slot(&zone, day, 10, 0, 60));
            assert_eq!(r.is_ok(), ok, "{day}: {r:?}");
        }
        assert_eq!(
            c.check(&zone, &slot(&zone, "2027-07-08", 10, 0, 60)).unwrap_err(),
            "The clinic is closed from 2027-07-01 to 2027-07-14 (Summer holiday), so on 2027-07-08 too. Choose another day, or the owner can book it anyway with a written reason."
        );
    }
}
