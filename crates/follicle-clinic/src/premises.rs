//! The clinic's premises: its opening hours (one opening and one closing time per weekday, or closed; breaks
//! within a day and closed dates are `closures`) and the
//! rooms it books (a managed list; a room that is no longer used is retired, never deleted, so old bookings keep
//! their name). A booking must lie inside one day's opening hours and name a room in use; the owner may book
//! outside the hours with a written reason (the server stores and audits it), never in a room that does not
//! exist. A clinic that has not entered its hours or rooms yet is not restricted by them. Messages are worded
//! for the front desk.

use crate::appointment::{parse_time, room_key, Slot};
use crate::date::ClinicZone;
use serde::{Deserialize, Serialize};

/// Weekday names, Monday first (ISO 8601 order, as the week view).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Longest room name, in characters.
pub const ROOM_NAME_MAX_CHARS: usize = 60;
/// The most rooms one clinic keeps (in use and retired).
pub const MAX_ROOMS: usize = 100;

/// One weekday's opening hours, as typed (`HH:MM`; closing may be `24:00`), or `"closed": true` with no times
/// (a weekday left out of an entered week is closed too; this lets a week with every day closed be sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayHours {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Opening time, HH:MM (empty when closed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub opens: String,
    /// Closing time, HH:MM (24:00 for midnight; empty when closed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub closes: String,
    /// Closed all day.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
}

/// A clinic's week: for each weekday (Monday first) the minutes after midnight it opens and closes, or `None`
/// when closed. Hours not entered restrict nothing; entered hours with every day closed refuse every booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpeningHours {
    days: [Option<(u16, u16)>; 7],
    entered: bool,
}

/// Minutes after midnight of `HH:MM`, `24:00` allowed when `closing`.
fn minutes_of(s: &str, closing: bool) -> Result<u16, String> {
    if closing && s.trim() == "24:00" {
        return Ok(24 * 60);
    }
    // Not the booking's "start time" words (outside probe s29: a closing time of 24:01 was called a start time).
    let (h, m) = parse_time(s).map_err(|_| {
        let last = if closing { "24:00" } else { "23:59" };
        format!(
            "`{}` is not a time of day: write it as HH:MM, from 00:00 to {last}",
            s.chars().take(20).collect::<String>()
        )
    })?;
    Ok(u16::from(h) * 60 + u16::from(m))
}

fn hhmm(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

impl OpeningHours {
    /// Reads the typed hours: each weekday at most once, opening before closing, or closed without times. Any
    /// day given enters the week (the days left out are closed); none: no hours entered. Refusals name the day.
    pub fn new(days: &[DayHours]) -> Result<Self, String> {
        let mut out = OpeningHours {
            entered: !days.is_empty(),
            ..OpeningHours::default()
        };
        let mut seen = [false; 7];
        for d in days {
            let name = WEEKDAYS.get(usize::from(d.weekday)).ok_or_else(|| {
                format!(
                    "Weekday {} does not exist: use 0 (Monday) to 6 (Sunday).",
                    d.weekday
                )
            })?;
            if std::mem::replace(&mut seen[usize::from(d.weekday)], true) {
                return Err(format!("{name} is given twice: one opening time per day."));
            }
            if d.closed {
                if !d.opens.trim().is_empty() || !d.closes.trim().is_empty() {
                    return Err(format!(
                        "{name} is marked closed and also given opening times: untick closed, or leave the times out."
                    ));
                }
                continue;
            }
            if d.opens.trim().is_empty() && d.closes.trim().is_empty() {
                return Err(format!(
                    "{name}: give the opening and closing times, or mark the day closed."
                ));
            }
            let opens = minutes_of(&d.opens, false).map_err(|e| format!("{name}, opening: {e}"))?;
            let closes =
                minutes_of(&d.closes, true).map_err(|e| format!("{name}, closing: {e}"))?;
            if closes <= opens {
                return Err(format!(
                    "{name}: the clinic must close after it opens ({} is not after {}).",
                    d.closes.trim(),
                    d.opens.trim()
                ));
            }
            out.days[usize::from(d.weekday)] = Some((opens, closes));
        }
        Ok(out)
    }

    /// From stored minutes (weekday, opens, closes); values out of range are left out. Entered when any row is.
    pub fn from_minutes(rows: &[(u8, u16, u16)]) -> Self {
        let mut out = OpeningHours::default();
        for &(w, o, c) in rows {
            if usize::from(w) < 7 && o < c && c <= 24 * 60 {
                out.days[usize::from(w)] = Some((o, c));
                out.entered = true;
            }
        }
        out
    }

    /// From stored minutes and the stored "week entered" flag (entered with no rows: every day closed).
    pub fn from_stored(rows: &[(u8, u16, u16)], entered: bool) -> Self {
        let mut out = Self::from_minutes(rows);
        out.entered |= entered;
        out
    }

    /// One weekday's opening and closing, minutes after midnight (`None`: closed that day, or no such day).
    pub fn span(&self, weekday: u8) -> Option<(u16, u16)> {
        self.days.get(usize::from(weekday)).copied().flatten()
    }

    /// Whether the week is entered (then a weekday without hours is closed, even all seven).
    pub fn is_set(&self) -> bool {
        self.entered
    }

    /// The open days as (weekday, opens, closes) in minutes, for storing.
    pub fn minutes(&self) -> Vec<(u8, u16, u16)> {
        (0u8..7)
            .filter_map(|w| self.days[usize::from(w)].map(|(o, c)| (w, o, c)))
            .collect()
    }

    /// The open days as typed values.
    pub fn days(&self) -> Vec<DayHours> {
        self.minutes()
            .into_iter()
            .map(|(weekday, o, c)| DayHours {
                weekday,
                opens: hhmm(o),
                closes: hhmm(c),
                closed: false,
            })
            .collect()
    }

    /// One weekday's hours in words: "09:00–18:00", "closed", or "no opening hours set" when none are entered.
    pub fn describe(&self, weekday: u8) -> String {
        match self.days.get(usize::from(weekday)).copied().flatten() {
            Some((o, c)) => format!("{}–{}", hhmm(o), hhmm(c)),
            None if self.entered => "closed".into(),
            None => "no opening hours set".into(),
        }
    }

    /// Whether an appointment at `slot` lies inside one day's opening hours on the clinic's clocks. Hours not
    /// set: always. The refusal says what the hours are that day.
    pub fn check(&self, zone: &ClinicZone, slot: &Slot) -> Result<(), String> {
        if !self.is_set() {
            return Ok(());
        }
        let (day, h, m) = zone.local(slot.start);
        let weekday = day.to_jiff().weekday().to_monday_zero_offset() as u8;
        let name = WEEKDAYS[usize::from(weekday)];
        let Some((opens, closes)) = self.days[usize::from(weekday)] else {
            return Err(format!(
                "The clinic is closed on {name}s ({day}). Choose another day, or the owner can book it anyway with a written reason."
            ));
        };
        let start = u16::from(h) * 60 + u16::from(m);
        let (end_day, eh, em) = zone.local(slot.end);
        let end = if end_day == day {
            u16::from(eh) * 60 + u16::from(em)
        } else if end_day == day.add_days(1) && eh == 0 && em == 0 {
            24 * 60
        } else {
            u16::MAX
        };
        if start < opens || end > closes {
            return Err(format!(
                "The clinic is open from {} to {} on {name}s; this appointment would run {}. Choose a time within opening hours, or the owner can book it anyway with a written reason.",
                hhmm(opens),
                hhmm(closes),
                crate::appointment::runs(zone, slot)
            ));
        }
        Ok(())
    }
}

/// A room of the clinic as the booking check sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Whether it is no longer used for bookings.
    pub retired: bool,
}

/// Checks a room's name as typed by the owner: present, one line, at most [`ROOM_NAME_MAX_CHARS`].
pub fn check_room_name(name: &str) -> Result<(), String> {
    let n = name.trim();
    if n.is_empty() {
        return Err("Write the room's name, e.g. Room 1.".into());
    }
    if n.chars().count() > ROOM_NAME_MAX_CHARS || n.chars().any(char::is_control) {
        return Err(format!(
            "A room's name is one line of at most {ROOM_NAME_MAX_CHARS} characters."
        ));
    }
    Ok(())
}

/// The room a booking names, from the clinic's list (`None` when the clinic keeps no list: any name is taken
/// as typed). Refused: a room not on the list, or one retired; the message lists the rooms in use.
pub fn choose_room<'a>(rooms: &'a [Room], typed: &str) -> Result<Option<&'a Room>, String> {
    if rooms.is_empty() {
        return Ok(None);
    }
    let key = room_key(typed);
    let in_use: Vec<&str> = rooms
        .iter()
        .filter(|r| !r.retired)
        .map(|r| r.name.as_str())
        .collect();
    let choose = if in_use.is_empty() {
        "no room is in use: the owner adds rooms under Clinic settings.".to_string()
    } else {
        format!("choose one of {}.", in_use.join(", "))
    };
    let shown: String = typed.trim().chars().take(ROOM_NAME_MAX_CHARS).collect();
    match rooms.iter().find(|r| room_key(&r.name) == key) {
        Some(r) if r.retired => Err(format!("{} is no longer in use: {choose}", r.name)),
        Some(r) => Ok(Some(r)),
        None => Err(format!(
            "This clinic has no room called “{shown}”: {choose}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Date, DateTime};

    fn hours(spec: &[(u8, &str, &str)]) -> Result<OpeningHours, String> {
        OpeningHours::new(
            &spec
                .iter()
                .map(|&(weekday, o, c)| DayHours {
                    weekday,
                    opens: o.into(),
                    closes: c.into(),
                    closed: false,
                })
                .collect::<Vec<_>>(),
        )
    }

    fn slot(zone: &ClinicZone, day: &str, h: u8, m: u8, minutes: i64) -> Slot {
        let start = zone.exactly(day.parse::<Date>().unwrap(), h, m).unwrap();
        Slot {
            start,
            end: DateTime::from_unix_seconds(start.to_jiff().as_second() + minutes * 60).unwrap(),
        }
    }

    #[test]
    fn typed_hours_are_checked_and_name_the_day() {
        for (spec, needle) in [
            (vec![(7, "09:00", "17:00")], "Weekday 7"),
            (
                vec![(0, "17:00", "09:00")],
                "Monday: the clinic must close after",
            ),
            (
                vec![(1, "09:00", "09:00")],
                "Tuesday: the clinic must close after",
            ),
            (vec![(2, "9", "17:00")], "Wednesday, opening"),
            (vec![(3, "09:00", "25:00")], "Thursday, closing"),
            (vec![(4, "24:00", "24:00")], "Friday, opening"),
            (
                vec![(5, "09:00", "12:00"), (5, "13:00", "17:00")],
                "Saturday is given twice",
            ),
        ] {
            let e = hours(&spec).unwrap_err();
            assert!(e.contains(needle), "{e}");
        }
        let h = hours(&[(6, "10:00", "24:00")]).unwrap();
        assert_eq!(h.describe(6), "10:00–24:00");
        assert_eq!(h.describe(0), "closed");
        assert_eq!(OpeningHours::from_minutes(&h.minutes()), h);
        assert_eq!(OpeningHours::new(&h.days()).unwrap(), h);
        assert!(!OpeningHours::default().is_set());
    }

    #[test]
    fn bookings_lie_inside_one_day_s_hours() {
        let zone = ClinicZone::get("Europe/Warsaw").unwrap();
        // Monday to Friday 09:00–18:00, Saturday 10:00–14:00, Sunday closed.
        let mut spec: Vec<(u8, &str, &str)> = (0..5).map(|d| (d, "09:00", "18:00")).collect();
        spec.push((5, "10:00", "14:00"));
        let h = hours(&spec).unwrap();
        // 2026-12-07 is a Monday.
        for (day, hh, mm, minutes, ok) in [
            ("2026-12-07", 9, 0, 60, true),
            ("2026-12-07", 16, 0, 120, true), // ends exactly at closing
            ("2026-12-07", 8, 45, 60, false), // starts before opening
            ("2026-12-07", 17, 30, 60, false), // runs past closing
            ("2026-12-12", 10, 0, 240, true), // Saturday, whole opening
            ("2026-12-12", 13, 0, 90, false),
            ("2026-12-13", 11, 0, 60, false),  // Sunday: closed
            ("2026-12-07", 17, 0, 600, false), // into the next day
        ] {
            let r = h.check(&zone, &slot(&zone, day, hh, mm, minutes));
            assert_eq!(r.is_ok(), ok, "{day} {hh}:{mm} +{minutes}: {r:?}");
        }
        let e = h
            .check(&zone, &slot(&zone, "2026-12-07", 17, 30, 60))
            .unwrap_err();
        assert!(
            e.contains("open from 09:00 to 18:00 on Mondays")
                && e.contains("from 17:30 to 18:30 on 2026-12-07"),
            "{e}"
        );
        let e = h
            .check(&zone, &slot(&zone, "2026-12-13", 11, 0, 60))
            .unwrap_err();
        assert!(e.contains("closed on Sundays (2026-12-13)"), "{e}");
        // Hours not set: nothing is refused.
        assert!(OpeningHours::default()
            .check(&zone, &slot(&zone, "2026-12-13", 3, 0, 60))
            .is_ok());
        // Midnight closing: an appointment ending at 24:00 fits.
        let late = hours(&[(0, "18:00", "24:00")]).unwrap();
        assert!(late
            .check(&zone, &slot(&zone, "2026-12-07", 23, 0, 60))
            .is_ok());
        assert!(late
            .check(&zone, &slot(&zone, "2026-12-07", 23, 0, 75))
            .is_err());
    }

    #[test]
    fn every_day_closed_is_kept_apart_from_no_hours_entered() {
        // The third probe's L17: an owner who closes every day (holiday season) gets a clinic that refuses every
        // booking, not one bookable around the clock.
        let zone = ClinicZone::get("Europe/Warsaw").unwrap();
        let closed = |weekday| DayHours {
            weekday,
            opens: String::new(),
            closes: String::new(),
            closed: true,
        };
        let h = OpeningHours::new(&(0..7).map(closed).collect::<Vec<_>>()).unwrap();
        assert!(h.is_set());
        assert!(h.minutes().is_empty());
        assert_eq!(h.describe(6), "closed");
        let e = h
            .check(&zone, &slot(&zone, "2026-12-13", 3, 0, 60))
            .unwrap_err();
        assert!(e.contains("closed on Sundays (2026-12-13)"), "{e}");
        assert_eq!(OpeningHours::from_stored(&h.minutes(), true), h);
        // One closed day enters the week: the days left out are closed too.
        assert_eq!(OpeningHours::new(&[closed(0)]).unwrap(), h);
        let none = OpeningHours::new(&[]).unwrap();
        assert!(!none.is_set());
        assert_eq!(none.describe(0), "no opening hours set");
        assert_eq!(OpeningHours::from_stored(&[], false), none);
        // Closed with times, or neither times nor closed: refused, naming the day.
        let mut both = closed(2);
        both.opens = "09:00".into();
        let e = OpeningHours::new(&[both]).unwrap_err();
        assert!(e.starts_with("Wednesday is marked closed"), "{e}");
        let mut neither = closed(3);
        neither.closed = false;
        let e = OpeningHours::new(&[neither]).unwrap_err();
        assert!(e.starts_with("Thursday: give the opening"), "{e}");
        let e = OpeningHours::new(&[closed(4), closed(4)]).unwrap_err();
        assert!(e.contains("Friday is given twice"), "{e}");
    }

    #[test]
    fn hours_follow_the_clinic_s_clocks_across_dst() {
        // 2026-03-29 (Sunday) the clocks go forward in Warsaw; Monday 30th 09:00 local is 07:00 UTC.
        let zone = ClinicZone::get("Europe/Warsaw").unwrap();
        let h = hours(&[(0, "09:00", "17:00")]).unwrap();
        assert!(h.check(&zone, &slot(&zone, "2026-03-30", 9, 0, 60)).is_ok());
        assert!(h
            .check(&zone, &slot(&zone, "2026-03-30", 8, 0, 60))
            .is_err());
    }

    #[test]
    fn rooms_on_the_list_in_use_only() {
        let rooms = vec![
            Room {
                id: 1,
                name: "Room 1".into(),
                retired: false,
            },
            Room {
                id: 2,
                name: "Blue room".into(),
                retired: false,
            },
            Room {
                id: 3,
                name: "Old room".into(),
                retired: true,
            },
        ];
        assert_eq!(
            choose_room(&rooms, "  blue   ROOM ").unwrap().unwrap().id,
            2
        );
        let e = choose_room(&rooms, "Old room").unwrap_err();
        assert_eq!(
            e,
            "Old room is no longer in use: choose one of Room 1, Blue room."
        );
        let e = choose_room(&rooms, "Room 9").unwrap_err();
        assert_eq!(
            e,
            "This clinic has no room called “Room 9”: choose one of Room 1, Blue room."
        );
        // A huge typed name is cut in the message.
        let e = choose_room(&rooms, &"x".repeat(10_000)).unwrap_err();
        assert!(e.len() < 200, "{}", e.len());
        // No list: free text.
        assert_eq!(choose_room(&[], "Anything"), Ok(None));
        let all_retired = vec![Room {
            id: 3,
            name: "Old room".into(),
            retired: true,
        }];
        assert!(choose_room(&all_retired, "Old room")
            .unwrap_err()
            .contains("no room is in use"));
        for bad in ["", "   ", "a\nb", &"r".repeat(61)] {
            assert!(check_room_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_room_name("Room 1").is_ok());
    }
}
