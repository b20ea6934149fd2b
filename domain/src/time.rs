//! Calendar helpers in Western Indonesia Time (WIB, UTC+7), without I/O.

use crate::nip::days_in_month;

pub const WIB_OFFSET_MS: i64 = 7 * 3600 * 1000;
pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 for a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The WIB calendar day of an instant.
pub fn wib_day(ms: i64) -> i64 {
    (ms + WIB_OFFSET_MS).div_euclid(DAY_MS)
}

pub fn wib_year(ms: i64) -> u32 {
    civil_from_days(wib_day(ms)).0 as u32
}

/// Parses "YYYY-MM-DD" (the HTML date input format) into days since the epoch.
pub fn parse_iso_date(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1900..=2200).contains(&y)
        || !(1..=12).contains(&m)
        || d == 0
        || d > days_in_month(y as u32, m)
    {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

pub fn iso_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of month `m` (1 to 12) in the chosen language.
pub fn month_name(m: u32, lang: crate::Lang) -> &'static str {
    let names = if lang == crate::Lang::Id { &BULAN } else { &MONTHS };
    names[(m.clamp(1, 12) - 1) as usize]
}

/// "28 November 2026" in the chosen language.
pub fn long_date(day: i64, lang: crate::Lang) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{d} {} {y}", month_name(m, lang))
}

/// "28 November 2026 14:05 WIB".
pub fn long_datetime(ms: i64, lang: crate::Lang) -> String {
    let local = ms + WIB_OFFSET_MS;
    let mins = local.rem_euclid(DAY_MS) / 60_000;
    format!("{} {:02}:{:02} WIB", long_date(wib_day(ms), lang), mins / 60, mins % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        for d in [-1000, 0, 365, 10_957, 20_000, 20_785, 60_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(parse_iso_date("2026-11-28"), Some(days_from_civil(2026, 11, 28)));
        assert_eq!(iso_date(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(parse_iso_date("2026-02-30"), None);
        assert_eq!(parse_iso_date("kemarin"), None);
    }

    #[test]
    fn wib_boundaries() {
        // 2026-11-27 17:30 UTC is already 28 November in WIB.
        let ms = days_from_civil(2026, 11, 27) * DAY_MS + (17 * 60 + 30) * 60_000;
        assert_eq!(civil_from_days(wib_day(ms)), (2026, 11, 28));
        assert_eq!(long_datetime(ms, crate::Lang::Id), "28 November 2026 00:30 WIB");
        assert_eq!(long_date(wib_day(ms), crate::Lang::En), "28 November 2026");
        assert_eq!(wib_year(ms), 2026);
    }
}
