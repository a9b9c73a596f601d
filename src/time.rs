//! The service's time zone and the Vietnamese date formats used at the edges.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};

/// Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact.
pub const VN_OFFSET: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

/// A stored instant shown in the service's zone (RFC 3339 with `+07:00`).
pub fn to_local(instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    instant.with_timezone(&VN_OFFSET)
}

/// The calendar year of `instant` in Vietnam.
pub fn local_year(instant: DateTime<Utc>) -> i32 {
    to_local(instant).year()
}

/// The calendar date of `instant` in Vietnam.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    to_local(instant).date_naive()
}

/// Local wall-clock date and time in Vietnam as a UTC instant.
pub fn from_local(date: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    let naive = date.and_hms_opt(hour, minute, 0)?;
    VN_OFFSET.from_local_datetime(&naive).single().map(|local| local.with_timezone(&Utc))
}

/// `dd/mm/yyyy`, the date format Vietnamese users read and type.
pub fn format_dmy(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Parses `dd/mm/yyyy` (also `d/m/yyyy` and `-` or `.` as separators).
pub fn parse_dmy(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Parses a 24-hour `HH:MM` clock time into (hour, minute).
pub fn parse_hhmm(text: &str) -> Option<(u32, u32)> {
    let (hour, minute) = text.trim().split_once([':', 'h', 'g'])?;
    let (hour, minute): (u32, u32) = (hour.trim().parse().ok()?, minute.trim().parse().ok()?);
    (hour < 24 && minute < 60 && text.trim().len() <= 5).then_some((hour, minute))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dmy_round_trip_and_lenient_separators() {
        let date = NaiveDate::from_ymd_opt(2025, 8, 5).unwrap();
        assert_eq!(format_dmy(date), "05/08/2025");
        assert_eq!(parse_dmy("05/08/2025"), Some(date));
        assert_eq!(parse_dmy("5-8-2025"), Some(date));
        assert_eq!(parse_dmy("31/02/2025"), None);
        assert_eq!(parse_dmy("2025-08-05"), None);
    }

    #[test]
    fn clock_times_are_24_hour() {
        assert_eq!(parse_hhmm("07:30"), Some((7, 30)));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("7"), None);
    }

    #[test]
    fn local_year_uses_vietnam_time() {
        // 31/12/2025 18:00 UTC is already 01/01/2026 in Vietnam.
        let instant = Utc.with_ymd_and_hms(2025, 12, 31, 18, 0, 0).unwrap();
        assert_eq!(local_year(instant), 2026);
    }
}
