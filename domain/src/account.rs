//! Account rules: password policy, lock-out and back-off, input checks for people.

/// Password policy for a new password.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Kata sandi minimal 8 karakter.")]
    TooShort,
    #[error("Kata sandi maksimal 128 karakter.")]
    TooLong,
    #[error("Kata sandi harus memuat huruf dan angka.")]
    NeedsLetterAndDigit,
    #[error("Kata sandi tidak boleh memuat NIP Anda.")]
    ContainsNip,
    #[error("Kata sandi baru harus berbeda dari kata sandi lama.")]
    SameAsOld,
    #[error("Konfirmasi kata sandi tidak sama.")]
    Mismatch,
}

pub fn check_new_password(
    new: &str,
    confirm: &str,
    old: Option<&str>,
    nip: &str,
) -> Result<(), PasswordError> {
    let n = new.chars().count();
    if n < 8 {
        return Err(PasswordError::TooShort);
    }
    if n > 128 {
        return Err(PasswordError::TooLong);
    }
    if !new.chars().any(|c| c.is_alphabetic()) || !new.chars().any(|c| c.is_ascii_digit()) {
        return Err(PasswordError::NeedsLetterAndDigit);
    }
    if !nip.is_empty() && new.contains(nip) {
        return Err(PasswordError::ContainsNip);
    }
    if old == Some(new) {
        return Err(PasswordError::SameAsOld);
    }
    if new != confirm {
        return Err(PasswordError::Mismatch);
    }
    Ok(())
}

/// Failures on one account before it is locked.
pub const ACCOUNT_FREE_FAILURES: i64 = 5;
/// Failures from one address within the window before that address is blocked.
pub const ADDRESS_MAX_FAILURES: i64 = 20;
pub const ADDRESS_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const ADDRESS_BLOCK_MS: i64 = 15 * 60 * 1000;

/// How long an account stays locked after its `failures`-th consecutive failure:
/// none for the first few, then 1 minute doubling up to 1 hour.
pub fn account_lock_ms(failures: i64) -> Option<i64> {
    if failures < ACCOUNT_FREE_FAILURES {
        return None;
    }
    let steps = (failures - ACCOUNT_FREE_FAILURES).min(6) as u32;
    Some((60_000i64 << steps).min(3_600_000))
}

/// Minutes, rounded up, for messages like "coba lagi dalam 3 menit".
pub fn minutes_left(until_ms: i64, now_ms: i64) -> i64 {
    ((until_ms - now_ms).max(0) + 59_999) / 60_000
}

pub fn valid_email(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 254 || s.contains(char::is_whitespace) {
        return false;
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

pub fn valid_phone(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let digits = t.strip_prefix('+').unwrap_or(&t);
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Trims and checks a required text field. Returns the cleaned value.
pub fn required_text(s: &str, max_chars: usize) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max_chars || t.chars().any(|c| c.is_control()) {
        None
    } else {
        Some(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy() {
        let nip = "198001012005011001";
        assert_eq!(check_new_password("abc1", "abc1", None, nip), Err(PasswordError::TooShort));
        assert_eq!(
            check_new_password("abcdefghij", "abcdefghij", None, nip),
            Err(PasswordError::NeedsLetterAndDigit)
        );
        assert_eq!(
            check_new_password("12345678", "12345678", None, nip),
            Err(PasswordError::NeedsLetterAndDigit)
        );
        let with_nip = format!("x{nip}");
        assert_eq!(
            check_new_password(&with_nip, &with_nip, None, nip),
            Err(PasswordError::ContainsNip)
        );
        assert_eq!(
            check_new_password("rahasia123", "rahasia123", Some("rahasia123"), nip),
            Err(PasswordError::SameAsOld)
        );
        assert_eq!(
            check_new_password("rahasia123", "rahasia124", None, nip),
            Err(PasswordError::Mismatch)
        );
        assert_eq!(check_new_password("rahasia123", "rahasia123", Some("lama12345"), nip), Ok(()));
        let long = "a1".repeat(65);
        assert_eq!(check_new_password(&long, &long, None, nip), Err(PasswordError::TooLong));
    }

    #[test]
    fn lockout_backs_off() {
        assert_eq!(account_lock_ms(1), None);
        assert_eq!(account_lock_ms(4), None);
        assert_eq!(account_lock_ms(5), Some(60_000));
        assert_eq!(account_lock_ms(6), Some(120_000));
        assert_eq!(account_lock_ms(50), Some(3_600_000));
        assert_eq!(minutes_left(61_000, 0), 2);
        assert_eq!(minutes_left(0, 10), 0);
    }

    #[test]
    fn contact_checks() {
        assert!(valid_email("kadis@bojonegorokab.go.id"));
        assert!(!valid_email("kadis@"));
        assert!(!valid_email("kadis bojonegoro@x.id"));
        assert!(!valid_email("a@b@c.id"));
        assert!(valid_phone("0812-3456-7890"));
        assert!(valid_phone("+62 812 3456 7890"));
        assert!(!valid_phone("12ab"));
        assert_eq!(required_text("  Dinas  ", 10).as_deref(), Some("Dinas"));
        assert_eq!(required_text("   ", 10), None);
        assert_eq!(required_text("a\u{0}b", 10), None);
        assert_eq!(required_text("abcdefghijk", 10), None);
    }
}
