//! iCalendar (RFC 5545) export of proposed sessions and touch-ups: CRLF line ends, content lines folded
//! at 75 octets without splitting a UTF-8 character, TEXT values escaped, stable UIDs, DTSTAMP from the
//! caller's "now". With the clinic's time zone, each alarm rings at 09:00 on the clinic's clocks (an
//! absolute UTC trigger computed across daylight-saving changes); without it, relative to the all-day event.

use crate::date::{ClinicZone, DateTime};
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

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
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
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//follicle//follicle-clinic//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    for v in visits {
        let (slug, summary, description, alarm) = match v.kind {
            VisitKind::Session { index, of } => (
                format!("session-{index}"),
                format!("SMP session {index} of {of}: {}", info.client_name),
                format!(
                    "Scalp micropigmentation session {index} of {of} for {}. Book between {} and {} (7–14 days after the previous session). Arrive with a clean, dry scalp; no alcohol or caffeine beforehand.",
                    info.client_name, v.earliest, v.latest
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
            format!("UID:{}-{slug}@{}", info.client_id, info.uid_domain),
            format!("DTSTAMP:{}", info.now.to_basic()),
            format!("DTSTART;VALUE=DATE:{}", v.proposed.to_basic()),
            format!("DTEND;VALUE=DATE:{}", v.proposed.add_days(1).to_basic()),
            format!("SUMMARY:{}", escape_text(&summary)),
            format!("DESCRIPTION:{}", escape_text(&description)),
            format!("LOCATION:{}", escape_text(info.studio)),
            "TRANSP:TRANSPARENT".into(),
            "BEGIN:VALARM".into(),
            "ACTION:DISPLAY".into(),
            format!("DESCRIPTION:{}", escape_text(&summary)),
            match info.zone {
                Some(z) => format!("TRIGGER;VALUE=DATE-TIME:{}", z.at(v.proposed.add_days(-alarm), REMINDER_LOCAL_TIME.0, REMINDER_LOCAL_TIME.1).to_basic()),
                None => format!("TRIGGER:-P{alarm}D"),
            },
            "END:VALARM".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold_line(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{propose, ScheduleSettings};

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
    }

    #[test]
    fn every_line_ends_in_crlf_and_events_have_uid_and_dtstamp() {
        let visits = propose(&[], "2025-03-10".parse().unwrap(), &ScheduleSettings::default(), false).unwrap();
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
        let visits = propose(&[], "2025-03-24".parse().unwrap(), &ScheduleSettings::default(), false).unwrap();
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
        assert!(ics.contains("TRIGGER;VALUE=DATE-TIME:20250323T080000Z\r\n"), "{ics}");
        assert!(ics.contains("TRIGGER;VALUE=DATE-TIME:20250402T070000Z\r\n"), "{ics}");
    }
}
