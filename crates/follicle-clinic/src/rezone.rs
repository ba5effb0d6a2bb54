//! A change of the clinic's time zone (probe s8 N10). Bookings are appointments on the clinic's wall clock:
//! a client booked for 10:00 comes at 10:00 whatever the zone was set to (the usual reason for a change is a
//! zone set wrong at first). So a change keeps every booking still ahead at its local day and time and moves
//! its real moment ([`keep_wall_clock`]); bookings already over stay as they were. A booking whose local time
//! does not exist once in the new zone (skipped or repeated by a clock change there) stops the change, with a
//! sentence naming it, rather than being moved by an hour.

use crate::date::{ClinicZone, DateTime};

/// The moments a booking from `start` to `end` takes when the clinic's zone changes from `from` to `to`: the
/// same day and time on the clinic's clocks, the same length in real minutes. `Err` in words when that time
/// does not exist, or exists twice, in `to`.
pub fn keep_wall_clock(
    start: DateTime,
    end: DateTime,
    from: &ClinicZone,
    to: &ClinicZone,
) -> Result<(DateTime, DateTime), String> {
    let (day, h, m) = from.local(start);
    let moved = to.exactly(day, h, m).ok_or_else(|| {
        format!(
            "the clocks in {} skip or repeat {h:02}:{m:02} on {day}",
            to.name()
        )
    })?;
    let length = end.to_jiff().as_second() - start.to_jiff().as_second();
    let moved_end = DateTime::from_unix_seconds(moved.to_jiff().as_second() + length)
        .ok_or_else(|| format!("{day} is out of range"))?;
    Ok((moved, moved_end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    #[test]
    fn a_booking_keeps_its_local_time_and_length() {
        let utc = ClinicZone::utc();
        let warsaw = ClinicZone::get("Europe/Warsaw").unwrap();
        let day: Date = "2027-01-11".parse().unwrap();
        let start = utc.at(day, 10, 0);
        let end = utc.at(day, 11, 30);
        let (s, e) = keep_wall_clock(start, end, &utc, &warsaw).unwrap();
        assert_eq!(warsaw.local(s), (day, 10, 0));
        assert_eq!(warsaw.local(e), (day, 11, 30));
        assert_eq!(s.to_jiff().as_second(), start.to_jiff().as_second() - 3600);
    }

    #[test]
    fn a_time_the_new_zone_skips_is_refused() {
        let utc = ClinicZone::utc();
        let warsaw = ClinicZone::get("Europe/Warsaw").unwrap();
        // 2027-03-28: clocks in Warsaw go from 02:00 to 03:00.
        let day: Date = "2027-03-28".parse().unwrap();
        let err =
            keep_wall_clock(utc.at(day, 2, 30), utc.at(day, 3, 0), &utc, &warsaw).unwrap_err();
        assert_eq!(
            err,
            "the clocks in Europe/Warsaw skip or repeat 02:30 on 2027-03-28"
        );
    }
}
