//! Calendar dates and UTC timestamps for clinic records, with the arithmetic screening and scheduling need
//! (days, calendar months with end-of-month clamping, completed years of age). No clock: callers pass
//! "today" and "now" in, so every result is reproducible.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Error for a date or timestamp that is not a real calendar value in the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid {expected}")]
pub struct DateParseError {
    /// The text that failed to parse.
    pub text: String,
    /// What was expected, e.g. "date (YYYY-MM-DD)".
    pub expected: &'static str,
}

/// A proleptic Gregorian calendar date (no time zone): birth dates, last doses, session days, expiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Days in `month` of `year` (Gregorian leap rules).
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// A date from its parts, or `None` when it does not exist (e.g. 2025-02-29).
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// This date moved by `days` (negative moves back).
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// This date moved by calendar months; a day past the end of the target month clamps to its last day
    /// (2024-08-31 + 6 months = 2025-02-28).
    pub fn add_months(self, months: i32) -> Date {
        let total = self.year * 12 + i32::from(self.month) - 1 + months;
        let year = total.div_euclid(12);
        let month = (total.rem_euclid(12) + 1) as u8;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }

    /// Completed years of age on `on` for someone born on `self` (a 29 February birthday counts on 1 March
    /// in common years).
    pub fn age_on(self, on: Date) -> i32 {
        let mut age = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }

    /// ISO 8601 basic form, `YYYYMMDD`, as iCalendar DATE values use.
    pub fn to_basic(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Parses a fixed-width unsigned decimal field.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(s: &str) -> Result<Date, DateParseError> {
        let err = || DateParseError { text: s.to_string(), expected: "date (YYYY-MM-DD)" };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let y = digits(&s[0..4]).ok_or_else(err)?;
        let m = digits(&s[5..7]).ok_or_else(err)?;
        let d = digits(&s[8..10]).ok_or_else(err)?;
        Date::from_ymd(y as i32, m as u8, d as u8).ok_or_else(err)
    }
}

/// A moment in UTC to the second: when a consent was signed, when a calendar file was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    date: Date,
    seconds_of_day: u32,
}

impl DateTime {
    /// A timestamp from a date and a UTC wall-clock time, or `None` for an impossible time.
    pub fn new(date: Date, hour: u8, minute: u8, second: u8) -> Option<DateTime> {
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        Some(DateTime {
            date,
            seconds_of_day: u32::from(hour) * 3600 + u32::from(minute) * 60 + u32::from(second),
        })
    }

    /// The UTC calendar date.
    pub fn date(self) -> Date {
        self.date
    }

    /// Hour, minute and second in UTC.
    pub fn hms(self) -> (u8, u8, u8) {
        let s = self.seconds_of_day;
        ((s / 3600) as u8, (s / 60 % 60) as u8, (s % 60) as u8)
    }

    /// iCalendar UTC form, `YYYYMMDDTHHMMSSZ`.
    pub fn to_basic(self) -> String {
        let (h, m, s) = self.hms();
        format!("{}T{h:02}{m:02}{s:02}Z", self.date.to_basic())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = self.hms();
        write!(f, "{}T{h:02}:{m:02}:{s:02}Z", self.date)
    }
}

impl FromStr for DateTime {
    type Err = DateParseError;

    /// Accepts RFC 3339 in UTC: `YYYY-MM-DDTHH:MM:SSZ` (a space may replace the `T`; `+00:00` may replace `Z`).
    fn from_str(s: &str) -> Result<DateTime, DateParseError> {
        let err = || DateParseError { text: s.to_string(), expected: "UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)" };
        let body = s.strip_suffix('Z').or_else(|| s.strip_suffix("+00:00")).ok_or_else(err)?;
        if body.len() != 19 || !matches!(body.as_bytes()[10], b'T' | b't' | b' ') {
            return Err(err());
        }
        let date: Date = body[..10].parse().map_err(|_| err())?;
        let t = &body[11..];
        if t.as_bytes()[2] != b':' || t.as_bytes()[5] != b':' {
            return Err(err());
        }
        let h = digits(&t[0..2]).ok_or_else(err)?;
        let m = digits(&t[3..5]).ok_or_else(err)?;
        let sec = digits(&t[6..8]).ok_or_else(err)?;
        DateTime::new(date, h as u8, m as u8, sec as u8).ok_or_else(err)
    }
}

/// Key under which the `toml` crate hands a native TOML date/time to a deserializer.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

/// Visitor accepting a string (JSON, quoted TOML) or a native TOML date/time for any `FromStr` type.
struct TextOrTomlVisitor<T>(std::marker::PhantomData<T>, &'static str);

impl<'de, T: FromStr<Err = DateParseError>> Visitor<'de> for TextOrTomlVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(|e: DateParseError| E::custom(e))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let key: Option<String> = map.next_key()?;
        match key.as_deref() {
            Some(TOML_DATETIME_KEY) => {
                let text: String = map.next_value()?;
                text.parse().map_err(|e: DateParseError| de::Error::custom(e))
            }
            _ => Err(de::Error::custom(format!("expected {}", self.1))),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        d.deserialize_any(TextOrTomlVisitor(std::marker::PhantomData, "a date (YYYY-MM-DD)"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(TextOrTomlVisitor(
            std::marker::PhantomData,
            "a UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)",
        ))
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn days_round_trip_across_four_centuries() {
        for days in (-150_000..150_000).step_by(37) {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(d("1970-01-01").to_days(), 0);
        assert_eq!(d("2000-03-01").to_days(), 11_017);
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(d("2024-08-31").add_months(6), d("2025-02-28"));
        assert_eq!(d("2023-08-31").add_months(6), d("2024-02-29"));
        assert_eq!(d("2025-01-15").add_months(-1), d("2024-12-15"));
        assert_eq!(d("2025-03-15").add_months(24), d("2027-03-15"));
    }

    #[test]
    fn age_counts_completed_years() {
        assert_eq!(d("2007-06-01").age_on(d("2025-06-01")), 18);
        assert_eq!(d("2007-06-01").age_on(d("2025-05-31")), 17);
        assert_eq!(d("2008-02-29").age_on(d("2026-02-28")), 17);
        assert_eq!(d("2008-02-29").age_on(d("2026-03-01")), 18);
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2025-13-01".parse::<Date>().is_err());
        assert!("25-01-01".parse::<Date>().is_err());
        assert!("2025-1-01x".parse::<Date>().is_err());
    }

    #[test]
    fn timestamps_parse_and_print() {
        let t: DateTime = "2025-03-01T09:05:07Z".parse().unwrap();
        assert_eq!(t.to_string(), "2025-03-01T09:05:07Z");
        assert_eq!(t.to_basic(), "20250301T090507Z");
        assert!("2025-03-01T24:00:00Z".parse::<DateTime>().is_err());
        assert!("2025-03-01T09:00:00+02:00".parse::<DateTime>().is_err());
    }

    #[test]
    fn toml_native_and_quoted_dates_both_deserialize() {
        #[derive(Deserialize)]
        struct Probe {
            a: Date,
            b: Date,
            t: DateTime,
        }
        let p: Probe = toml::from_str("a = 2025-03-01\nb = \"2025-03-02\"\nt = 2025-03-01T10:00:00Z").unwrap();
        assert_eq!(p.a, d("2025-03-01"));
        assert_eq!(p.b, d("2025-03-02"));
        assert_eq!(p.t.hms(), (10, 0, 0));
    }
}
