#!/usr/bin/env python3
"""Independent check of a follicle .ics file with the `icalendar` package (not our code).

Usage: ics_check.py FILE.ics
Checks RFC 5545 framing that a lenient parser would forgive (CRLF everywhere, no physical line over 75
octets), parses the calendar with icalendar, checks the required properties of every VEVENT and prints the
events as JSON (uid, dtstart, dtend, sequence, alarm triggers, status, summary, description, location; TEXT values
unescaped) for the caller to
compare. Exit status 0 when every check passes, 1 otherwise.
"""
import json
import sys

import icalendar


def main(path: str) -> int:
    raw = open(path, "rb").read()
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("file does not end with CRLF")
    for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {n}: bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {n}: {len(line)} octets (limit 75)")
    cal = icalendar.Calendar.from_ical(raw)
    if cal.get("VERSION") != "2.0" or not cal.get("PRODID"):
        problems.append("VCALENDAR lacks VERSION:2.0 or PRODID")
    events = []
    uids = set()
    for ev in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if ev.get(prop) is None:
                problems.append(f"VEVENT without {prop}")
        uid = str(ev.get("UID"))
        if uid in uids:
            problems.append(f"duplicate UID {uid}")
        uids.add(uid)
        status = str(ev.get("STATUS")) if ev.get("STATUS") is not None else None
        if status not in ("CONFIRMED", "CANCELLED", "TENTATIVE", None):
            problems.append(f"{uid}: STATUS {status} is not a VEVENT status")
        # A cancelled event carries no reminder; every other one does.
        if status != "CANCELLED" and not ev.walk("VALARM"):
            problems.append(f"{uid}: no VALARM")
        events.append({
            "uid": uid,
            "dtstart": ev.decoded("DTSTART").isoformat(),
            "summary": str(ev.get("SUMMARY")),
            "description": str(ev.get("DESCRIPTION")),
            "location": str(ev.get("LOCATION")),
            "dtend": ev.decoded("DTEND").isoformat() if ev.get("DTEND") is not None else None,
            "sequence": int(ev.get("SEQUENCE")) if ev.get("SEQUENCE") is not None else None,
            "alarms": [str(a.decoded("TRIGGER")) for a in ev.walk("VALARM")],
            "status": status,
        })
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(json.dumps(events, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
