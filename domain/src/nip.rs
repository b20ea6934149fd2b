//! NIP (Nomor Induk Pegawai): the 18-digit identity of an ASN.
//! Layout: birth date (YYYYMMDD), appointment year and month (YYYYMM), sex (1 or 2), serial (001-999).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Nip(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    #[error("NIP wajib diisi.")]
    Empty,
    #[error("NIP harus 18 digit angka (tanpa spasi atau tanda baca).")]
    Format,
    #[error("8 digit pertama NIP harus tanggal lahir yang valid (TTTTBBHH).")]
    BirthDate,
    #[error("Digit 9-14 NIP harus tahun dan bulan pengangkatan yang valid (TTTTBB).")]
    Appointment,
    #[error("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2.")]
    Sex,
    #[error("3 digit terakhir NIP (nomor urut) tidak boleh 000.")]
    Serial,
}

pub fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

pub fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

impl Nip {
    /// Parses a NIP, accepting the common printed form with spaces ("19800101 200501 1 001").
    /// `current_year` bounds the plausible dates (birth at least 17 years before appointment,
    /// appointment not in the future).
    pub fn parse(input: &str, current_year: u32) -> Result<Nip, NipError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err(NipError::Empty);
        }
        if s.len() != 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NipError::Format);
        }
        let (by, bm, bd) = (num(&s[0..4]), num(&s[4..6]), num(&s[6..8]));
        if by < 1940
            || by + 17 > current_year
            || !(1..=12).contains(&bm)
            || bd == 0
            || bd > days_in_month(by, bm)
        {
            return Err(NipError::BirthDate);
        }
        let (ay, am) = (num(&s[8..12]), num(&s[12..14]));
        if ay < by + 17 || ay > current_year + 1 || !(1..=12).contains(&am) {
            return Err(NipError::Appointment);
        }
        if !matches!(&s[14..15], "1" | "2") {
            return Err(NipError::Sex);
        }
        if &s[15..18] == "000" {
            return Err(NipError::Serial);
        }
        Ok(Nip(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> (u32, u32, u32) {
        (num(&self.0[0..4]), num(&self.0[4..6]), num(&self.0[6..8]))
    }

    pub fn is_female(&self) -> bool {
        &self.0[14..15] == "2"
    }

    /// Printed form used on letters: "19800101 200501 1 001".
    pub fn display_spaced(&self) -> String {
        format!("{} {} {} {}", &self.0[0..8], &self.0[8..14], &self.0[14..15], &self.0[15..18])
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Heuristic: does the login identifier look like a NIP (digits and spaces only)?
pub fn looks_like_nip(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_and_spaced() {
        let n = Nip::parse("19800101 200501 1 001", 2026).unwrap();
        assert_eq!(n.as_str(), "198001012005011001");
        assert_eq!(n.display_spaced(), "19800101 200501 1 001");
        assert_eq!(n.birth_date(), (1980, 1, 1));
        assert!(!n.is_female());
        assert!(Nip::parse("199202292019032002", 2026).unwrap().is_female());
    }

    #[test]
    fn rejects_bad_shapes() {
        assert_eq!(Nip::parse("", 2026), Err(NipError::Empty));
        assert_eq!(Nip::parse("12345", 2026), Err(NipError::Format));
        assert_eq!(Nip::parse("19800101200501100a", 2026), Err(NipError::Format));
        assert_eq!(Nip::parse("1980010120050110011", 2026), Err(NipError::Format));
    }

    #[test]
    fn rejects_implausible_dates() {
        assert_eq!(Nip::parse("198013012005011001", 2026), Err(NipError::BirthDate));
        assert_eq!(Nip::parse("198002302005011001", 2026), Err(NipError::BirthDate));
        assert_eq!(Nip::parse("199302292019032002", 2026), Err(NipError::BirthDate)); // 1993 not leap
        assert_eq!(Nip::parse("183001012005011001", 2026), Err(NipError::BirthDate));
        assert_eq!(Nip::parse("201501012005011001", 2026), Err(NipError::BirthDate)); // too young
        assert_eq!(Nip::parse("198001011990011001", 2026), Err(NipError::Appointment)); // appointed at 10
        assert_eq!(Nip::parse("198001012005131001", 2026), Err(NipError::Appointment));
        assert_eq!(Nip::parse("198001012030011001", 2026), Err(NipError::Appointment));
        assert_eq!(Nip::parse("198001012005013001", 2026), Err(NipError::Sex));
        assert_eq!(Nip::parse("198001012005011000", 2026), Err(NipError::Serial));
    }

    #[test]
    fn login_identifier_heuristic() {
        assert!(looks_like_nip("19800101 200501 1 001"));
        assert!(!looks_like_nip("kadis@bojonegorokab.go.id"));
        assert!(!looks_like_nip("  "));
    }
}
