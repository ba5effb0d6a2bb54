//! iCalendar (RFC 5545) export of proposed sessions and touch-ups: CRLF line ends, content lines folded
//! at 75 octets without splitting a UTF-8 character, TEXT values escaped, stable UIDs, DTSTAMP from the
//! caller's "now". With the clinic's time zone, each alarm rings at 09:00 on the clinic's clocks (an
//! absolute UTC trigger computed across daylight-saving changes); without it, relative to the all-day event.

use crate::date::{ClinicZone, Date, DateTime};
use crate::schedule::{Visit, VisitKind};

/// Calendar-wide settings for the reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarInfo<'a> {
    /// Client id (part of every UID, so re-exports update rather than duplicate events).
    pub client_id: &'a str,
    /// Client name, shown in summaries.
    pub client_name: &'a str,
    /// Studio name, shown as the location.
    pub studio: &'a str,
    /// Domain for UIDs (e.g. the studio's).
    pub uid_domain: &'a str,
    /// The moment the file is made (DTSTAMP).
    pub now: DateTime,
    /// The clinic's time zone: alarms at 09:00 local time (the day before a session, 14 days before a
    /// touch-up); `None`: relative alarms.
    pub zone: Option<&'a ClinicZone>,
}

/// Local hour and minute of the reminder alarms when the clinic's zone is known.
pub const REMINDER_LOCAL_TIME: (u8, u8) = (9, 0);

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines; a CR and every other
/// control character (which TEXT may not hold) is left out, so no value can start a content line of its own.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The client part of a UID: letters, digits, `-`, `.` and `_` kept, every other byte percent-encoded, so a
/// reference with spaces, separators or line breaks cannot break the UID line (references of letters, digits and
/// dashes, the usual ones, keep their UIDs).
pub fn uid_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Folds one content line to at most 75 octets per physical line (RFC 5545 §3.1), CRLF-terminated;
/// continuation lines start with a space, which counts toward their 75.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

/// The VCALENDAR text with one VEVENT (and a reminder alarm) per proposed visit.
pub fn reminders_ics(info: &CalendarInfo<'_>, visits: &[Visit]) -> String {
    calendar(info, visits, false)
}

/// The same calendar without any treatment detail, for staff who may not see medical records (front desk):
/// every event reads "Appointment — <studio>" and names the client, nothing else (leave touch-ups out of
/// `visits`: their timing depends on the client's scalp history).
pub fn appointments_ics(info: &CalendarInfo<'_>, visits: &[Visit]) -> String {
    calendar(info, visits, true)
}

/// The opening lines of every calendar this module writes.
fn head() -> Vec<String> {
    vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//follicle//follicle-clinic//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ]
}

/// One booked appointment in a calendar: a timed event (DTSTART/DTEND in UTC) with a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedEvent {
    /// The booking's id (with the clinic's UID domain, the event's UID: a rescheduled booking updates its event).
    pub id: i64,
    /// How often the booking was changed (SEQUENCE): calendars take the highest.
    pub sequence: u32,
    /// Start.
    pub start: DateTime,
    /// End.
    pub end: DateTime,
    /// The title.
    pub summary: String,
    /// The details.
    pub description: String,
    /// Where (the studio and the room).
    pub location: String,
    /// Cancelled: published with `STATUS:CANCELLED` (same UID, a higher SEQUENCE) so a subscribed calendar
    /// marks it cancelled instead of silently dropping it; no reminder.
    pub cancelled: bool,
}

/// Settings of a calendar of booked appointments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedInfo<'a> {
    /// Domain for UIDs.
    pub uid_domain: &'a str,
    /// The moment the file is made (DTSTAMP).
    pub now: DateTime,
    /// The clinic's time zone: each reminder rings at 09:00 on its clocks the day before the appointment.
    pub zone: &'a ClinicZone,
}

/// A calendar of booked appointments (a client's, a practitioner's or the clinic's): one timed VEVENT per
/// booking with its start and end in UTC, a stable UID and a SEQUENCE, and a VALARM at 09:00 on the clinic's
/// clocks the day before (an absolute UTC trigger, right across daylight-saving changes). Every text is escaped.
/// A cancelled booking stays in the feed as `STATUS:CANCELLED`, its title starting "Cancelled:", without a
/// reminder.
pub fn timed_ics(info: &FeedInfo<'_>, events: &[TimedEvent]) -> String {
    let mut lines = head();
    for e in events {
        let (day, _, _) = info.zone.local(e.start);
        let summary = if e.cancelled {
            format!("Cancelled: {}", e.summary)
        } else {
            e.summary.clone()
        };
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:appointment-{}@{}", e.id, uid_part(info.uid_domain)),
            format!("SEQUENCE:{}", e.sequence),
            format!("DTSTAMP:{}", info.now.to_basic()),
            format!("DTSTART:{}", e.start.to_basic()),
            format!("DTEND:{}", e.end.to_basic()),
            format!("SUMMARY:{}", escape_text(&summary)),
            format!("DESCRIPTION:{}", escape_text(&e.description)),
            format!("LOCATION:{}", escape_text(&e.location)),
        ]);
        if e.cancelled {
            lines.extend([
                "STATUS:CANCELLED".to_string(),
                "TRANSP:TRANSPARENT".into(),
                "END:VEVENT".into(),
            ]);
            continue;
        }
        lines.extend([
            "STATUS:CONFIRMED".to_string(),
            "TRANSP:OPAQUE".into(),
            "BEGIN:VALARM".into(),
            "ACTION:DISPLAY".into(),
            format!("DESCRIPTION:{}", escape_text(&e.summary)),
            format!(
                "TRIGGER;VALUE=DATE-TIME:{}",
                info.zone
                    .at(
                        day.add_days(-1),
                        REMINDER_LOCAL_TIME.0,
                        REMINDER_LOCAL_TIME.1
                    )
                    .to_basic()
            ),
            "END:VALARM".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold_line(l)).collect()
}

/// When to book a session, in words: the window (one day when it is one), after the previous session or from
/// the first, and for an overdue session since when it is due and what to check (outside probe s30: an overdue
/// session 20 months after the last read "7–14 days after the previous session", as did session 1).
fn booking_words(v: &Visit, index: u32, today: Date) -> String {
    let window = if v.earliest == v.latest {
        format!("Book on {}", v.earliest)
    } else {
        format!("Book between {} and {}", v.earliest, v.latest)
    };
    match v.overdue_note(today) {
        Some(note) => format!("{window}: {note}."),
        None if index <= 1 => format!("{window}."),
        None => format!("{window} (7–14 days after the previous session)."),
    }
}

fn calendar(info: &CalendarInfo<'_>, visits: &[Visit], neutral: bool) -> String {
    let mut lines = head();
    // The clinic's today (UTC's without a zone): an alarm never rings before the file is made.
    let today = info.zone.map_or(info.now.date(), |z| z.today(info.now));
    for (n, v) in visits.iter().enumerate() {
        let (slug, summary, description, alarm) = match v.kind {
            _ if neutral => (
                format!("visit-{}", n + 1),
                format!("Appointment — {}", info.studio),
                format!("Appointment for {} at {}.", info.client_name, info.studio),
                1,
            ),
            VisitKind::Session { index, of } => (
                format!("session-{index}"),
                format!("SMP session {index} of {of}: {}", info.client_name),
                format!(
                    "Scalp micropigmentation session {index} of {of} for {}. {} Arrive with a clean, dry scalp; no alcohol or caffeine beforehand.",
                    info.client_name,
                    booking_words(v, index, today)
                ),
                1,
            ),
            VisitKind::TouchUp => (
                "touch-up".to_string(),
                format!("SMP touch-up due: {}", info.client_name),
                format!(
                    "Your scalp micropigmentation is due for a touch-up around {} (window {} to {}), to restore density as the pigment fades.",
                    v.proposed, v.earliest, v.latest
                ),
                14,
            ),
        };
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!(
                "UID:{}-{slug}@{}",
                uid_part(info.client_id),
                uid_part(info.uid_domain)
            ),
            format!("DTSTAMP:{}", info.now.to_basic()),
            format!("DTSTART;VALUE=DATE:{}", v.proposed.to_basic()),
        ]);
        // An all-day event ends the next day; on the calendar's last day there is none, and an event without
        // DTEND lasts its one day (RFC 5545 §3.6.1): never a DTEND on or before DTSTART.
        let end = v.proposed.add_days(1);
        if end > v.proposed {
            lines.push(format!("DTEND;VALUE=DATE:{}", end.to_basic()));
        }
        lines.extend([
            format!("SUMMARY:{}", escape_text(&summary)),
            format!("DESCRIPTION:{}", escape_text(&description)),
            format!("LOCATION:{}", escape_text(info.studio)),
            "TRANSP:TRANSPARENT".into(),
        ]);
        // The alarm rings `alarm` days before, never before the day the file is made; on that day only when
        // its morning is still ahead (an overdue visit proposed for today gets none: it is on today's list).
        let alarm_day = v.proposed.add_days(-alarm).max(today);
        let trigger = match info.zone {
            Some(z) => {
                let at = z.at(alarm_day, REMINDER_LOCAL_TIME.0, REMINDER_LOCAL_TIME.1);
                (at > info.now).then(|| format!("TRIGGER;VALUE=DATE-TIME:{}", at.to_basic()))
            }
            None => {
                let days = alarm_day.days_until(v.proposed);
                (alarm_day > today).then(|| format!("TRIGGER:-P{days}D"))
            }
        };
        if let Some(trigger) = trigger {
            lines.extend([
                "BEGIN:VALARM".to_string(),
                "ACTION:DISPLAY".into(),
                format!("DESCRIPTION:{}", escape_text(&summary)),
                trigger,
                "END:VALARM".into(),
            ]);
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold_line(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{propose, ScheduleSettings};

    #[test]
    fn timed_events_carry_start_end_sequence_and_a_dst_safe_alarm() {
        let warsaw = ClinicZone::get("Europe/Warsaw").unwrap();
        let info = FeedInfo {
            uid_domain: "follicle.invalid",
            now: "2025-03-01T12:00:00Z".parse().unwrap(),
            zone: &warsaw,
        };
        let e = TimedEvent {
            id: 42,
            sequence: 3,
            // Monday 2025-03-31 10:00 CEST; the alarm: 09:00 on Sunday the 30th, already CEST (07:00 UTC).
            start: "2025-03-31T08:00:00Z".parse().unwrap(),
            end: "2025-03-31T10:00:00Z".parse().unwrap(),
            summary: "Łukasz; session, 2".into(),
            description: "With Ana\nRoom 1\r\nEND:VEVENT".into(),
            location: "Studio, Room 1".into(),
            cancelled: false,
        };
        let gone = TimedEvent {
            id: 43,
            sequence: 1,
            cancelled: true,
            ..e.clone()
        };
        let both = timed_ics(&info, &[e.clone(), gone]).replace("\r\n ", "");
        let cancelled = both.split("BEGIN:VEVENT").nth(2).unwrap();
        for want in [
            "UID:appointment-43@follicle.invalid\r\n",
            "SEQUENCE:1\r\n",
            "SUMMARY:Cancelled: Łukasz\\; session\\, 2\r\n",
            "STATUS:CANCELLED\r\n",
        ] {
            assert!(cancelled.contains(want), "{want} in {cancelled}");
        }
        assert!(!cancelled.contains("VALARM") && !cancelled.contains("CONFIRMED"));
        let ics = timed_ics(&info, &[e]);
        let unfolded = ics.replace("\r\n ", "");
        for want in [
            "UID:appointment-42@follicle.invalid\r\n",
            "SEQUENCE:3\r\n",
            "DTSTART:20250331T080000Z\r\n",
            "DTEND:20250331T100000Z\r\n",
            "SUMMARY:Łukasz\\; session\\, 2\r\n",
            "LOCATION:Studio\\, Room 1\r\n",
            "TRIGGER;VALUE=DATE-TIME:20250330T070000Z\r\n",
        ] {
            assert!(unfolded.contains(want), "{want} in {unfolded}");
        }
        assert_eq!(
            unfolded
                .split("\r\n")
                .filter(|l| *l == "END:VEVENT")
                .count(),
            1
        );
        for physical in ics.split("\r\n") {
            assert!(physical.len() <= 75, "{physical}");
        }
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold_line(&line);
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        assert_eq!(
            escape_text("x\r\nATTENDEE:y\u{0}\u{1b}z"),
            "x\\nATTENDEE:yz"
        );
    }

    #[test]
    fn nothing_a_client_reference_or_name_holds_starts_a_line_of_its_own() {
        let visits = propose(
            &[],
            "2025-03-10".parse().unwrap(),
            &ScheduleSettings::default(),
            false,
        )
        .unwrap();
        let evil = "c-1\r\nATTENDEE:mailto:x@evil.example\r\nEND:VEVENT\r\nBEGIN:VEVENT";
        let info = CalendarInfo {
            client_id: evil,
            client_name: evil,
            studio: "S\rX",
            uid_domain: "follicle.invalid",
            now: "2025-03-01T12:00:00Z".parse().unwrap(),
            zone: None,
        };
        for ics in [
            reminders_ics(&info, &visits),
            appointments_ics(&info, &visits),
        ] {
            let unfolded = ics.replace("\r\n ", "");
            assert!(
                !unfolded.lines().any(|l| l.starts_with("ATTENDEE")),
                "{ics}"
            );
            assert_eq!(
                unfolded
                    .split("\r\n")
                    .filter(|l| *l == "BEGIN:VEVENT")
                    .count(),
                visits.len()
            );
            assert!(
                !ics.replace("\r\n", "").contains('\r') && !ics.replace("\r\n", "").contains('\n')
            );
            for physical in ics.split("\r\n") {
                assert!(physical.len() <= 75, "{physical}");
            }
            assert!(
                unfolded.contains("UID:c-1%0D%0AATTENDEE%3Amailto%3Ax%40evil.example"),
                "{unfolded}"
            );
        }
    }

    #[test]
    fn the_appointments_calendar_says_nothing_about_treatment() {
        let visits = propose(
            &[],
            "2025-03-10".parse().unwrap(),
            &ScheduleSettings::default(),
            true,
        )
        .unwrap();
        let sessions: Vec<Visit> = visits
            .into_iter()
            .filter(|v| v.kind != VisitKind::TouchUp)
            .collect();
        let info = CalendarInfo {
            client_id: "c-1",
            client_name: "Sam Okafor",
            studio: "Studio Noord",
            uid_domain: "follicle.invalid",
            now: "2025-03-01T12:00:00Z".parse().unwrap(),
            zone: None,
        };
        let ics = appointments_ics(&info, &sessions).replace("\r\n ", "");
        assert!(ics.contains("SUMMARY:Appointment — Studio Noord") && ics.contains("Sam Okafor"));
        for word in [
            "SMP",
            "session",
            "touch-up",
            "scar",
            "pigment",
            "micropigmentation",
        ] {
            assert!(
                !ics.to_lowercase().contains(&word.to_lowercase()),
                "{word} in {ics}"
            );
        }
    }

    #[test]
    fn every_line_ends_in_crlf_and_events_have_uid_and_dtstamp() {
        let visits = propose(
            &[],
            "2025-03-10".parse().unwrap(),
            &ScheduleSettings::default(),
            false,
        )
        .unwrap();
        let info = CalendarInfo {
            client_id: "c-001",
            client_name: "Sam Okafor",
            studio: "Studio Noord, Amsterdam",
            uid_domain: "follicle.invalid",
            now: "2025-03-01T12:00:00Z".parse().unwrap(),
            zone: None,
        };
        let ics = reminders_ics(&info, &visits);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 4);
        assert_eq!(ics.matches("DTSTAMP:20250301T120000Z").count(), 4);
        assert!(ics.contains("UID:c-001-touch-up@follicle.invalid"));
        assert!(ics.contains("LOCATION:Studio Noord\\, Amsterdam"));
        assert_eq!(ics.matches("TRIGGER:-P1D").count(), 3);
    }

    #[test]
    fn alarms_ring_at_nine_on_the_clinic_s_clocks_across_dst() {
        // Sessions 2025-03-24, 2025-04-03 (Warsaw moves to CEST on 2025-03-30): 09:00 the day before.
        let visits = propose(
            &[],
            "2025-03-24".parse().unwrap(),
            &ScheduleSettings::default(),
            false,
        )
        .unwrap();
        let warsaw = ClinicZone::get("Europe/Warsaw").unwrap();
        let info = CalendarInfo {
            client_id: "c-001",
            client_name: "Sam",
            studio: "Studio",
            uid_domain: "follicle.invalid",
            now: "2025-03-01T12:00:00Z".parse().unwrap(),
            zone: Some(&warsaw),
        };
        let ics = reminders_ics(&info, &visits);
        assert!(
            ics.contains("TRIGGER;VALUE=DATE-TIME:20250323T080000Z\r\n"),
            "{ics}"
        );
        assert!(
            ics.contains("TRIGGER;VALUE=DATE-TIME:20250402T070000Z\r\n"),
            "{ics}"
        );
    }

    #[test]
    fn an_all_day_event_never_ends_on_or_before_its_start() {
        let last = crate::Date::from_ymd(9999, 12, 31).unwrap();
        let visit = Visit {
            kind: crate::schedule::VisitKind::TouchUp,
            earliest: last,
            proposed: last,
            latest: last,
            overdue: false,
            overdue_since: None,
        };
        let info = CalendarInfo {
            client_id: "c-001",
            client_name: "Sam",
            studio: "Studio",
            uid_domain: "follicle.invalid",
            now: "2025-03-01T12:00:00Z".parse().unwrap(),
            zone: None,
        };
        let ics = reminders_ics(&info, &[visit]);
        assert!(ics.contains("DTSTART;VALUE=DATE:99991231\r\n"), "{ics}");
        assert!(
            !ics.contains("DTEND"),
            "no end on the calendar's last day: {ics}"
        );
        let ics = reminders_ics(
            &info,
            &[Visit {
                proposed: "2025-03-24".parse().unwrap(),
                ..visit
            }],
        );
        assert!(ics.contains("DTEND;VALUE=DATE:20250325\r\n"), "{ics}");
    }

    #[test]
    fn an_overdue_session_says_so_and_its_alarm_never_rings_before_the_file_is_made() {
        let warsaw = ClinicZone::get("Europe/Warsaw").unwrap();
        let today: crate::Date = "2026-12-04".parse().unwrap();
        let info = CalendarInfo {
            client_id: "c-001",
            client_name: "Sam",
            studio: "Studio",
            uid_domain: "follicle.invalid",
            now: "2026-12-04T12:00:00Z".parse().unwrap(),
            zone: Some(&warsaw),
        };
        let session = |index, proposed: crate::Date, since: Option<&str>| Visit {
            kind: VisitKind::Session { index, of: 3 },
            earliest: proposed,
            proposed,
            latest: proposed.add_days(if since.is_some() { 0 } else { 7 }),
            overdue: since.is_some(),
            overdue_since: since.map(|d| d.parse().unwrap()),
        };
        let ics = reminders_ics(
            &info,
            &[
                session(1, today.add_days(6), None),
                session(3, today, Some("2025-03-30")),
            ],
        )
        .replace("\r\n ", "");
        let events: Vec<&str> = ics.split("BEGIN:VEVENT").skip(1).collect();
        // The first session has no previous one; the overdue one says since when, not "7–14 days after".
        assert!(
            events[0].contains("Book between 2026-12-10 and 2026-12-17.")
                && !events[0].contains("previous session"),
            "{}",
            events[0]
        );
        assert!(
            events[1].contains("Book on 2026-12-04: ")
                && events[1].contains("2025-03-30")
                && !events[1].contains("7–14 days"),
            "{}",
            events[1]
        );
        // Session 1's alarm the day before at 09:00 in Warsaw; the overdue one, proposed for today (its
        // morning past at 13:00 in Warsaw), none.
        assert!(
            events[0].contains("TRIGGER;VALUE=DATE-TIME:20261209T080000Z"),
            "{}",
            events[0]
        );
        assert!(!events[1].contains("VALARM"), "{}", events[1]);
    }
}
