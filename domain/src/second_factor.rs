//! Second factor (TOTP from an authenticator app, or a one-time recovery code): what a typed code
//! is, how recovery codes look, and how a session's device is named in the session list.

/// Admins and certificate holders of a new Pemda get this long to set up their second factor.
pub const GRACE_MS: i64 = 14 * 24 * 3600 * 1000;
/// Signing asks for a code again when the session's last check is older than this, by default.
pub const DEFAULT_RECHECK_MINUTES: i64 = 15;
/// Recovery codes made at enrolment (each works once).
pub const RECOVERY_CODES: usize = 10;
/// Letters of a recovery code: no 0/o, 1/l/i, so it can be read off paper.
pub const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
/// Characters of a recovery code, without its dashes (12 x 5 bits = 60 bits).
pub const RECOVERY_LEN: usize = 12;

/// What the person typed in the code field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeInput {
    /// Six digits from the authenticator app.
    Totp(String),
    /// A recovery code, normalised (lower case, no dashes or spaces).
    Recovery(String),
    /// Neither.
    Invalid,
}

/// Reads a typed code: spaces and dashes are ignored, case too.
pub fn parse_code(input: &str) -> CodeInput {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        CodeInput::Totp(s)
    } else if s.len() == RECOVERY_LEN && s.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        CodeInput::Recovery(s)
    } else {
        CodeInput::Invalid
    }
}

/// A recovery code as shown: three groups of four, e.g. `k7m2-q9xd-3hpa`.
pub fn format_recovery(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A short name for the browser and system of a session, from its User-Agent, e.g.
/// "Chrome di Android". Good enough to tell one's own devices apart; never used for a decision.
pub fn device_label(user_agent: &str, lang: crate::Lang) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("SamsungBrowser") {
        "Samsung Internet"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => lang.t("Perangkat tidak dikenal", "Unknown device").to_string(),
        (b, "") => b.to_string(),
        ("", s) => s.to_string(),
        (b, s) => format!("{b} {} {s}", lang.t("di", "on")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn codes_are_read_whatever_the_spacing_or_case() {
        assert_eq!(parse_code(" 123 456 "), CodeInput::Totp("123456".into()));
        assert_eq!(parse_code("K7M2-Q9XD-3HPA"), CodeInput::Recovery("k7m2q9xd3hpa".into()));
        assert_eq!(parse_code("12345"), CodeInput::Invalid);
        assert_eq!(parse_code("1234567"), CodeInput::Invalid);
        // 0, 1, l, o and i are not in the alphabet, so a misread code is refused, not tried.
        assert_eq!(parse_code("k7m2-q9xd-3hp0"), CodeInput::Invalid);
        assert_eq!(parse_code(""), CodeInput::Invalid);
    }

    #[test]
    fn recovery_codes_show_in_groups_of_four() {
        assert_eq!(format_recovery("k7m2q9xd3hpa"), "k7m2-q9xd-3hpa");
        assert_eq!(
            parse_code(&format_recovery("k7m2q9xd3hpa")),
            CodeInput::Recovery("k7m2q9xd3hpa".into())
        );
    }

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let phone = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
        assert_eq!(device_label(phone, Lang::Id), "Chrome di Android");
        assert_eq!(device_label(phone, Lang::En), "Chrome on Android");
        let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
        assert_eq!(device_label(mac, Lang::Id), "Safari di macOS");
        assert_eq!(device_label("curl/8.0", Lang::Id), "Perangkat tidak dikenal");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        assert_eq!(device_label(edge, Lang::Id), "Edge di Windows");
    }
}
