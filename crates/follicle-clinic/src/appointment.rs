//! Appointments: a booking is a start on the clinic's clocks, a duration, a practitioner and a room. The rules
//! live here, once: how long an appointment may be, which local times exist (a time skipped or repeated by a
//! daylight-saving change is refused rather than moved), when two bookings clash (the same practitioner, the
//! same client or the same room over overlapping times; one ending when the next starts is no clash), how a room name is compared,
//! and how far a day, week or calendar feed may reach. Messages are worded for the front desk.

use crate::date::{ClinicZone, Date, DateTime};
use std::fmt;

/// Shortest appointment, in minutes.
pub const MIN_MINUTES: u32 = 15;
/// Longest appointment, in minutes (a full-head session is long, but one sitting is at most a working day).
pub const MAX_MINUTES: u32 = 10 * 60;
/// The most days one view or calendar feed covers (about a quarter).
pub const MAX_RANGE_DAYS: u32 = 92;
/// How far ahead an appointment may be booked, in days.
pub const MAX_DAYS_AHEAD: i64 = 2 * 366;

/// Why a booking could not be made, in words for the front desk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookingError {
    /// The time is not `HH:MM`.
    #[error("The start time `{0}` is not a time of day: write it as HH:MM, e.g. 09:30.")]
    BadTime(String),
    /// Too short or too long.
    #[error("An appointment lasts {MIN_MINUTES} minutes to {} hours, not {0} minutes.", MAX_MINUTES / 60)]
    Duration(i64),
    /// The clocks skip or repeat that time that day.
    #[error("{time} on {day} does not exist or happens twice on the clinic's clocks (the clocks change that night): choose another time.")]
    NoSuchTime {
        /// The day.
        day: Date,
        /// The time asked for, HH:MM.
        time: String,
    },
    /// Too far ahead.
    #[error("{day} is too far ahead: appointments can be booked up to {latest}.")]
    TooFarAhead {
        /// The day asked for.
        day: Date,
        /// The last day that can be booked.
        latest: Date,
    },
    /// Already over.
    #[error("That appointment would already be over: choose a time from now on.")]
    Past,
    /// Another booking takes the practitioner or the room.
    #[error("{0}")]
    Clash(Clash),
}

/// Which resource two bookings share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// The same practitioner.
    Practitioner,
    /// The same room.
    Room,
    /// The same client (a person cannot be in two rooms at once).
    Client,
}

/// A booking that takes the practitioner or the room at the time asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// What is taken.
    pub resource: Resource,
    /// The practitioner's name, the room as booked, or the client's name.
    pub name: String,
    /// The other booking's practitioner (named when the client is the one taken).
    pub with: String,
    /// The other booking's id.
    pub other: i64,
    /// Its day, start and end on the clinic's clocks.
    pub day: Date,
    /// Start, HH:MM.
    pub from: String,
    /// End, HH:MM.
    pub to: String,
}

impl fmt::Display for Clash {
    /// A person's name never begins the sentence: the server starts every message with a capital, and a
    /// practitioner named "owner" read "Owner is already booked" (outside test s38).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.resource {
            Resource::Practitioner => write!(
                f,
                "The practitioner {} is already booked from {} to {} on {}. Choose another time or another practitioner.",
                self.name, self.from, self.to, self.day
            ),
            Resource::Room => write!(
                f,
                "{} is already in use from {} to {} on {}. Choose another time or another room.",
                self.name, self.from, self.to, self.day
            ),
            Resource::Client => write!(
                f,
                "The client {} already has an appointment from {} to {} on {} with {}. Choose another time.",
                self.name, self.from, self.to, self.day, self.with
            ),
        }
    }
}

/// When an appointment takes place: from `start` (inclusive) to `end` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Start (UTC).
    pub start: DateTime,
    /// End (UTC).
    pub end: DateTime,
}

impl Slot {
    /// Whether two slots share any moment (one ending exactly when the other starts does not).
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Length in minutes.
    pub fn minutes(&self) -> i64 {
        (self.end.to_jiff().as_second() - self.start.to_jiff().as_second()) / 60
    }
}

/// A booking as the clash check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// Its id (0 for one not stored yet).
    pub id: i64,
    /// The practitioner's user id.
    pub practitioner_id: i64,
    /// The practitioner's name, for messages.
    pub practitioner: String,
    /// The client's id.
    pub client_id: i64,
    /// The client's name, for messages.
    pub client: String,
    /// The room as typed.
    pub room: String,
    /// When.
    pub slot: Slot,
}

/// Parses `HH:MM` (24-hour clock).
pub fn parse_time(s: &str) -> Result<(u8, u8), BookingError> {
    let bad = || BookingError::BadTime(s.chars().take(20).collect());
    let b = s.trim().as_bytes();
    if b.len() != 5
        || b[2] != b':'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return Err(bad());
    }
    let (h, m) = (
        (b[0] - b'0') * 10 + b[1] - b'0',
        (b[3] - b'0') * 10 + b[4] - b'0',
    );
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok((h, m))
}

/// HH:MM of a moment on the clinic's clocks.
pub fn clock(zone: &ClinicZone, t: DateTime) -> String {
    let (_, h, m) = zone.local(t);
    format!("{h:02}:{m:02}")
}

/// HH:MM at which a slot ends on the clinic's clocks: `24:00` when it ends at the midnight after its day.
pub fn end_clock(zone: &ClinicZone, slot: &Slot) -> String {
    let (day, _, _) = zone.local(slot.start);
    match zone.local(slot.end) {
        (end_day, 0, 0) if end_day == day.add_days(1) => "24:00".into(),
        (_, h, m) => format!("{h:02}:{m:02}"),
    }
}

/// When a slot runs, in words: "from 13:30 to 14:30 on 2026-12-07", "from 23:00 to 24:00 on 2026-12-07", or,
/// past midnight, "from 23:30 on 2026-12-13 to 00:30 on 2026-12-14".
pub fn runs(zone: &ClinicZone, slot: &Slot) -> String {
    let (day, _, _) = zone.local(slot.start);
    let (end_day, _, _) = zone.local(slot.end);
    let end = end_clock(zone, slot);
    if end_day == day || end == "24:00" {
        format!("from {} to {end} on {day}", clock(zone, slot.start))
    } else {
        format!(
            "from {} on {day} to {} on {end_day}",
            clock(zone, slot.start),
            clock(zone, slot.end)
        )
    }
}

/// The slot of an appointment starting at `time` (HH:MM) on `day` on the clinic's clocks and lasting `minutes`,
/// booked at `now`: refused when the duration is out of bounds, the time is skipped or repeated by a clock change,
/// the appointment would already be over, or the day is more than [`MAX_DAYS_AHEAD`] away. Its length is real
/// minutes, so one that spans a clock change ends at the right moment.
pub fn slot(
    zone: &ClinicZone,
    day: Date,
    time: &str,
    minutes: i64,
    now: DateTime,
) -> Result<Slot, BookingError> {
    let (h, m) = parse_time(time)?;
    if !(i64::from(MIN_MINUTES)..=i64::from(MAX_MINUTES)).contains(&minutes) {
        return Err(BookingError::Duration(minutes));
    }
    let latest = zone.today(now).add_days(MAX_DAYS_AHEAD);
    if day > latest {
        return Err(BookingError::TooFarAhead { day, latest });
    }
    let start = zone.exactly(day, h, m).ok_or(BookingError::NoSuchTime {
        day,
        time: format!("{h:02}:{m:02}"),
    })?;
    let end = DateTime::from_unix_seconds(start.to_jiff().as_second() + minutes * 60)
        .ok_or(BookingError::Past)?;
    if end <= now {
        return Err(BookingError::Past);
    }
    Ok(Slot { start, end })
}

/// How rooms are told apart: compatibility forms unified (NFKC: a full-width `Ｒoom` is `Room`), invisible
/// format characters dropped, spaces trimmed and collapsed, letter case ignored ("Room 2" is "room  2", and
/// "Room 1" with a zero-width space is "Room 1": probe s7 N14, two "Room 1"s that never clashed).
pub fn room_key(room: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let plain: String = room
        .nfkc()
        .filter(|c| !crate::text::is_format_character(*c))
        .collect();
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The first booking in `existing` that takes `new`'s practitioner, client or room at an overlapping time
/// (`new`'s own id is skipped, so a booking moved within its own time does not clash with itself). The
/// practitioner is reported before the room, the room before the client.
pub fn find_clash(zone: &ClinicZone, new: &Booking, existing: &[Booking]) -> Option<Clash> {
    let key = room_key(&new.room);
    let mut found: Option<(Resource, &Booking)> = None;
    for b in existing.iter().filter(|b| b.id != new.id || new.id == 0) {
        if !b.slot.overlaps(&new.slot) {
            continue;
        }
        if b.practitioner_id == new.practitioner_id {
            found = Some((Resource::Practitioner, b));
            break;
        }
        if room_key(&b.room) == key && found.map_or(true, |(r, _)| r == Resource::Client) {
            found = Some((Resource::Room, b));
        }
        if found.is_none() && b.client_id == new.client_id {
            found = Some((Resource::Client, b));
        }
    }
    found.map(|(resource, b)| Clash {
        resource,
        name: match resource {
            Resource::Practitioner => b.practitioner.clone(),
            Resource::Room => b.room.trim().to_string(),
            Resource::Client => b.client.clone(),
        },
        with: b.practitioner.clone(),
        other: b.id,
        day: zone.local(b.slot.start).0,
        from: clock(zone, b.slot.start),
        to: clock(zone, b.slot.end),
    })
}

/// Which booking stands for each proposed visit of a course. `visits`: (kind, label) in course order, e.g.
/// ("session", "Session 2 of 3"); `bookings`: (id, kind, label, start as Unix seconds) of the client's live
/// bookings. A booking labelled as the visit counts first; then each booking of the visit's kind that no visit
/// has claimed, starting `from` on, counts for the next unclaimed visit of that kind in order — a session
/// booked with the ordinary form ("Session") is the next session, so the one-click "Book" is not offered
/// again for it (probe s7 N12: the same visit was booked twice).
pub fn match_visits(
    visits: &[(&str, &str)],
    bookings: &[(i64, &str, &str, i64)],
    from: i64,
) -> Vec<Option<i64>> {
    let mut taken = vec![false; bookings.len()];
    let mut out: Vec<Option<i64>> = visits
        .iter()
        .map(|(_, label)| {
            let i = bookings
                .iter()
                .enumerate()
                .position(|(i, b)| !taken[i] && b.2 == *label)?;
            taken[i] = true;
            Some(bookings[i].0)
        })
        .collect();
    let mut order: Vec<usize> = (0..bookings.len()).collect();
    order.sort_by_key(|&i| (bookings[i].3, bookings[i].0));
    for (v, (kind, _)) in visits.iter().enumerate() {
        if out[v].is_some() {
            continue;
        }
        if let Some(&i) = order
            .iter()
            .find(|&&i| !taken[i] && bookings[i].1 == *kind && bookings[i].3 >= from)
        {
            taken[i] = true;
            out[v] = Some(bookings[i].0);
        }
    }
    out
}

/// [`find_clash`] as a result.
pub fn check_clash(
    zone: &ClinicZone,
    new: &Booking,
    existing: &[Booking],
) -> Result<(), BookingError> {
    find_clash(zone, new, existing).map_or(Ok(()), |c| Err(BookingError::Clash(c)))
}

/// The moments `days` clinic days starting on `from` begin and end: a day view is one day, a week view seven.
/// Refused (in words) outside 1..=[`MAX_RANGE_DAYS`].
pub fn range(zone: &ClinicZone, from: Date, days: u32) -> Result<(DateTime, DateTime), String> {
    if !(1..=MAX_RANGE_DAYS).contains(&days) {
        return Err(format!(
            "A view or calendar covers 1 to {MAX_RANGE_DAYS} days, not {days}."
        ));
    }
    Ok((
        zone.at(from, 0, 0),
        zone.at(from.add_days(i64::from(days)), 0, 0),
    ))
}

/// The Monday of `day`'s week (week views start on Monday, ISO 8601).
pub fn week_start(day: Date) -> Date {
    let monday_offset = i64::from(day.to_jiff().weekday().to_monday_zero_offset());
    day.add_days(-monday_offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }
    fn t(s: &str) -> DateTime {
        s.parse().unwrap()
    }
    fn booking(id: i64, who: i64, room: &str, start: &str, minutes: i64) -> Booking {
        let start = t(start);
        Booking {
            id,
            practitioner_id: who,
            practitioner: format!("Practitioner {who}"),
            client_id: 100 + id,
            client: format!("Client {}", 100 + id),
            room: room.into(),
            slot: Slot {
                start,
                end: DateTime::from_unix_seconds(start.to_jiff().as_second() + minutes * 60)
                    .unwrap(),
            },
        }
    }

    #[test]
    fn touching_bookings_do_not_clash_overlapping_ones_do() {
        let utc = ClinicZone::utc();
        let existing = [booking(1, 7, "Room 1", "2025-03-24T10:00:00Z", 60)];
        // Ends exactly when the other starts, starts exactly when it ends: no clash.
        for start in ["2025-03-24T09:00:00Z", "2025-03-24T11:00:00Z"] {
            assert_eq!(
                find_clash(&utc, &booking(0, 7, "Room 1", start, 60), &existing),
                None,
                "{start}"
            );
        }
        // One minute of overlap on either side, inside, around: a clash.
        for (start, minutes) in [
            ("2025-03-24T09:01:00Z", 60),
            ("2025-03-24T10:59:00Z", 60),
            ("2025-03-24T10:15:00Z", 15),
            ("2025-03-24T09:00:00Z", 180),
        ] {
            let c =
                find_clash(&utc, &booking(0, 7, "Room 9", start, minutes), &existing).expect(start);
            assert_eq!(c.resource, Resource::Practitioner);
            assert_eq!(c.other, 1);
            assert_eq!(
                c.to_string(),
                "The practitioner Practitioner 7 is already booked from 10:00 to 11:00 on 2025-03-24. Choose another time or another practitioner."
            );
        }
    }

    #[test]
    fn a_session_booked_by_hand_counts_as_the_next_session() {
        let visits = [
            ("session", "Session 2 of 3"),
            ("session", "Session 3 of 3"),
            ("touch-up", "Touch-up"),
        ];
        // Two sessions booked with the ordinary form, the later first in the list; a past one is not counted.
        let b = [
            (7, "session", "Session", 300),
            (5, "session", "Session", 200),
            (3, "session", "Session", 50),
        ];
        assert_eq!(match_visits(&visits, &b, 100), vec![Some(5), Some(7), None]);
        // A booking labelled as a visit is that visit, whatever its day.
        let b = [
            (9, "session", "Session 3 of 3", 150),
            (5, "session", "Session", 200),
        ];
        assert_eq!(match_visits(&visits, &b, 100), vec![Some(5), Some(9), None]);
        // A consultation is no session.
        let b = [(4, "consultation", "Consultation", 200)];
        assert_eq!(match_visits(&visits, &b, 100), vec![None, None, None]);
    }

    #[test]
    fn one_client_cannot_be_in_two_rooms_at_once() {
        let utc = ClinicZone::utc();
        let existing = [booking(1, 7, "Room 1", "2025-03-24T10:00:00Z", 60)];
        let mut other = booking(0, 8, "Room 2", "2025-03-24T10:30:00Z", 60);
        assert_eq!(find_clash(&utc, &other, &existing), None, "another client");
        other.client_id = existing[0].client_id;
        let c = find_clash(&utc, &other, &existing).expect("the same client");
        assert_eq!((c.resource, c.other), (Resource::Client, 1));
        assert_eq!(
            c.to_string(),
            "The client Client 101 already has an appointment from 10:00 to 11:00 on 2025-03-24 with Practitioner 7. Choose another time."
        );
        // Touching is no clash; the practitioner is named before the client.
        other.slot = booking(0, 8, "Room 2", "2025-03-24T11:00:00Z", 60).slot;
        assert_eq!(find_clash(&utc, &other, &existing), None);
        let same = Booking {
            id: 0,
            ..existing[0].clone()
        };
        assert_eq!(
            find_clash(&utc, &same, &existing).unwrap().resource,
            Resource::Practitioner
        );
    }

    #[test]
    fn the_same_room_clashes_whatever_its_spelling_and_another_room_does_not() {
        let utc = ClinicZone::utc();
        let existing = [booking(1, 7, "Room 1", "2025-03-24T10:00:00Z", 60)];
        let c = find_clash(
            &utc,
            &booking(0, 8, "  room   1 ", "2025-03-24T10:30:00Z", 60),
            &existing,
        )
        .unwrap();
        assert_eq!(c.resource, Resource::Room);
        assert!(
            c.to_string()
                .starts_with("Room 1 is already in use from 10:00 to 11:00"),
            "{c}"
        );
        assert_eq!(
            find_clash(
                &utc,
                &booking(0, 8, "Room 2", "2025-03-24T10:30:00Z", 60),
                &existing
            ),
            None
        );
        // Its own booking, moved within its time, does not clash with itself.
        assert_eq!(
            find_clash(
                &utc,
                &booking(1, 7, "Room 1", "2025-03-24T10:30:00Z", 60),
                &existing
            ),
            None
        );
        // The practitioner is reported before a room clash found earlier in the list.
        let two = [
            booking(2, 9, "Room 1", "2025-03-24T10:00:00Z", 60),
            booking(3, 8, "Room 5", "2025-03-24T10:00:00Z", 60),
        ];
        assert_eq!(
            find_clash(
                &utc,
                &booking(0, 8, "Room 1", "2025-03-24T10:00:00Z", 30),
                &two
            )
            .unwrap()
            .resource,
            Resource::Practitioner
        );
    }

    #[test]
    fn durations_and_times_are_bounded() {
        let utc = ClinicZone::utc();
        let now = t("2025-03-01T08:00:00Z");
        for bad in [0, 14, -30, 601, i64::MAX, i64::MIN] {
            assert_eq!(
                slot(&utc, d("2025-03-24"), "10:00", bad, now),
                Err(BookingError::Duration(bad))
            );
        }
        for bad in [
            "",
            "10",
            "24:00",
            "10:60",
            "1:00",
            "10:00:00",
            "ab:cd",
            "１０:００",
            "10:0\n",
        ] {
            assert!(
                matches!(
                    slot(&utc, d("2025-03-24"), bad, 60, now),
                    Err(BookingError::BadTime(_))
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            slot(&utc, d("2027-12-31"), "10:00", 60, now),
            Err(BookingError::TooFarAhead { .. })
        ));
        assert_eq!(
            slot(&utc, d("2025-02-28"), "10:00", 60, now),
            Err(BookingError::Past)
        );
        // Started but not over: may still be booked (a walk-in written up late).
        assert!(slot(&utc, d("2025-03-01"), "07:30", 60, now).is_ok());
        let s = slot(&utc, d("2025-03-24"), "10:00", 90, now).unwrap();
        assert_eq!(
            (s.start, s.end, s.minutes()),
            (t("2025-03-24T10:00:00Z"), t("2025-03-24T11:30:00Z"), 90)
        );
    }

    #[test]
    fn on_the_day_clocks_change_times_are_exact_or_refused() {
        // Warsaw: 2025-03-30 02:00 CET → 03:00 CEST; 2025-10-26 03:00 CEST → 02:00 CET.
        let warsaw = ClinicZone::get("Europe/Warsaw").unwrap();
        let now = t("2025-03-01T08:00:00Z");
        assert!(matches!(
            slot(&warsaw, d("2025-03-30"), "02:30", 60, now),
            Err(BookingError::NoSuchTime { .. })
        ));
        assert!(matches!(
            slot(&warsaw, d("2025-10-26"), "02:30", 60, now),
            Err(BookingError::NoSuchTime { .. })
        ));
        let before = slot(&warsaw, d("2025-03-29"), "10:00", 60, now).unwrap();
        let after = slot(&warsaw, d("2025-03-30"), "10:00", 60, now).unwrap();
        assert_eq!(before.start, t("2025-03-29T09:00:00Z"), "CET is UTC+1");
        assert_eq!(after.start, t("2025-03-30T08:00:00Z"), "CEST is UTC+2");
        // A booking across the change lasts its real minutes: 01:00 + 120 min ends at 04:00 on the clocks.
        let across = slot(&warsaw, d("2025-03-30"), "01:00", 120, now).unwrap();
        assert_eq!(across.minutes(), 120);
        assert_eq!(clock(&warsaw, across.end), "04:00");
        // The day is 23 hours long; the week holding it 167.
        let (a, b) = range(&warsaw, d("2025-03-30"), 1).unwrap();
        assert_eq!(b.to_jiff().as_second() - a.to_jiff().as_second(), 23 * 3600);
        let (a, b) = range(&warsaw, week_start(d("2025-03-30")), 7).unwrap();
        assert_eq!(
            b.to_jiff().as_second() - a.to_jiff().as_second(),
            167 * 3600
        );
        // Clashes are worded on the clinic's clocks.
        let existing = [Booking {
            id: 4,
            practitioner_id: 1,
            practitioner: "Ana".into(),
            client_id: 9,
            client: "Marta Kowalska".into(),
            room: "A".into(),
            slot: after,
        }];
        let c = find_clash(
            &warsaw,
            &Booking {
                id: 0,
                ..existing[0].clone()
            },
            &existing,
        )
        .unwrap();
        assert_eq!(
            (c.from.as_str(), c.to.as_str(), c.day),
            ("10:00", "11:00", d("2025-03-30"))
        );
    }

    #[test]
    fn views_are_bounded_and_weeks_start_on_monday() {
        let utc = ClinicZone::utc();
        assert!(range(&utc, d("2025-03-24"), 0).is_err());
        assert!(range(&utc, d("2025-03-24"), MAX_RANGE_DAYS + 1).is_err());
        assert!(range(&utc, d("2025-03-24"), u32::MAX).is_err());
        assert_eq!(week_start(d("2025-03-30")), d("2025-03-24"));
        assert_eq!(week_start(d("2025-03-24")), d("2025-03-24"));
        assert_eq!(room_key("  Room\t2 "), "room 2");
    }
}
