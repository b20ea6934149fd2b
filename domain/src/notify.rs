//! Notification settings of one person: which groups of notices they see in the app, and whether
//! unread notices reach them as an e-mail digest (daily or weekly).
//!
//! The digest names kinds and counts, never a letter's subject or a person's data: e-mail leaves
//! the installation (often to a public mail provider), and a Rahasia letter's subject must not.

use crate::{Code, Lang};
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// A group of notice kinds, the unit a person switches on or off.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NoticeGroup {
    /// Letters to approve or sign, returned, signed.
    Surat,
    /// New dispositions, follow-up reports to accept or returned.
    Disposisi,
    /// Disposition deadlines tomorrow, and missed ones.
    Tenggat,
    /// A leader's reminder, escalation or reassignment, reward candidacy, leader moves.
    Pimpinan,
    /// The person's own account: password or second factor reset, signing certificate.
    Akun,
}

impl Code for NoticeGroup {}

impl NoticeGroup {
    /// The group of a notice kind; a kind not listed here counts as an account notice, which is
    /// always shown.
    pub fn of_kind(kind: &str) -> NoticeGroup {
        match kind {
            "letter_paraf" | "letter_sign" | "letter_returned" | "letter_signed" => {
                NoticeGroup::Surat
            }
            "disposition_new" | "followup_review" | "followup_returned" => NoticeGroup::Disposisi,
            "deadline_tomorrow" | "overdue" => NoticeGroup::Tenggat,
            "reminder" | "escalated" | "reassigned" | "letter_escalated" | "leader_move"
            | "candidate" => NoticeGroup::Pimpinan,
            _ => NoticeGroup::Akun,
        }
    }

    /// Whether a person may stop seeing this group in the app. A leader's intervention and a
    /// change to one's own account always reach the person.
    pub fn can_mute(self) -> bool {
        !matches!(self, NoticeGroup::Pimpinan | NoticeGroup::Akun)
    }

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            NoticeGroup::Surat => l.t(
                "Surat keluar: perlu paraf atau tanda tangan, dikembalikan, ditandatangani",
                "Outgoing letters: to approve or sign, returned, signed",
            ),
            NoticeGroup::Disposisi => l.t(
                "Disposisi: disposisi baru, laporan tindak lanjut",
                "Dispositions: new dispositions, follow-up reports",
            ),
            NoticeGroup::Tenggat => l.t(
                "Tenggat: disposisi bertenggat besok atau yang terlewat",
                "Deadlines: dispositions due tomorrow or missed",
            ),
            NoticeGroup::Pimpinan => l.t(
                "Pimpinan: pengingat, eskalasi, pengalihan, usulan penghargaan",
                "Leaders: reminders, escalations, reassignments, reward candidacy",
            ),
            NoticeGroup::Akun => l.t(
                "Akun: kata sandi, verifikasi dua langkah, sertifikat TTE",
                "Account: password, two-step verification, signing certificate",
            ),
        }
    }
}

/// How often unread notices are sent by e-mail.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DigestFrequency {
    #[default]
    Off,
    /// Every morning from 07.00 WIB.
    Daily,
    /// Monday morning from 07.00 WIB.
    Weekly,
}

impl Code for DigestFrequency {}

impl DigestFrequency {
    pub fn label(self, l: Lang) -> &'static str {
        match self {
            DigestFrequency::Off => l.t("Tidak dikirim", "Not sent"),
            DigestFrequency::Daily => {
                l.t("Harian (setiap pagi pukul 07.00 WIB)", "Daily (07:00 WIB)")
            }
            DigestFrequency::Weekly => {
                l.t("Mingguan (Senin pagi pukul 07.00 WIB)", "Weekly (Monday, 07:00 WIB)")
            }
        }
    }

    /// The digest period `now_ms` falls in, as the WIB day it starts on: a day starts at 07.00
    /// WIB, a week on Monday at 07.00. None when digests are off. Each period gets at most one
    /// digest.
    pub fn period(self, now_ms: i64) -> Option<i64> {
        const SEND_HOUR_MS: i64 = 7 * 3_600_000;
        let day = crate::time::wib_day(now_ms - SEND_HOUR_MS);
        match self {
            DigestFrequency::Off => None,
            DigestFrequency::Daily => Some(day),
            // Day 0 (1970-01-01) was a Thursday, so Mondays are the days with (day + 3) % 7 == 0.
            DigestFrequency::Weekly => Some(day - (day + 3).rem_euclid(7)),
        }
    }

    /// How far back a first digest looks.
    pub fn span_ms(self) -> i64 {
        match self {
            DigestFrequency::Off => 0,
            DigestFrequency::Daily => crate::time::DAY_MS,
            DigestFrequency::Weekly => 7 * crate::time::DAY_MS,
        }
    }
}

/// One person's notification settings, as the settings page shows and saves them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// Groups not shown in the app (nor in the digest). Only groups that `can_mute`.
    pub muted: Vec<NoticeGroup>,
    pub digest: DigestFrequency,
    /// Read only: the person's e-mail address on record, where digests go.
    pub email: Option<String>,
    /// Read only: whether this server has an SMTP server to send through.
    pub mail_ready: bool,
}

/// Why settings cannot be saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsError {
    /// A group that is always shown was in the muted list.
    CannotMute(NoticeGroup),
    /// A digest was asked for, but the person has no e-mail address on record.
    NoEmail,
    /// A digest was asked for, but this server sends no e-mail.
    MailOff,
}

impl SettingsError {
    pub fn message(self, l: Lang) -> String {
        match self {
            SettingsError::CannotMute(g) => format!(
                "{} ({})",
                l.t(
                    "Pemberitahuan ini selalu ditampilkan dan tidak dapat dimatikan",
                    "These notices are always shown and cannot be switched off",
                ),
                g.label(l)
            ),
            SettingsError::NoEmail => l
                .t(
                    "Alamat e-mail Anda belum terdaftar. Minta Admin OPD mengisinya, lalu pilih ringkasan e-mail lagi.",
                    "Your e-mail address is not on record. Ask your OPD admin to add it, then choose the e-mail digest again.",
                )
                .to_string(),
            SettingsError::MailOff => l
                .t(
                    "Pengiriman e-mail belum diaktifkan di server ini; ringkasan e-mail belum dapat dipilih.",
                    "This server does not send e-mail yet; the e-mail digest cannot be chosen.",
                )
                .to_string(),
        }
    }
}

impl NotificationSettings {
    /// Checks a person's choice against what they may switch off and what can be delivered.
    pub fn check(&self, has_email: bool, mail_ready: bool) -> Result<(), SettingsError> {
        if let Some(g) = self.muted.iter().find(|g| !g.can_mute()) {
            return Err(SettingsError::CannotMute(*g));
        }
        if self.digest != DigestFrequency::Off {
            if !mail_ready {
                return Err(SettingsError::MailOff);
            }
            if !has_email {
                return Err(SettingsError::NoEmail);
            }
        }
        Ok(())
    }

    /// The muted list as stored: sorted codes, comma separated.
    pub fn muted_codes(&self) -> String {
        let mut v: Vec<NoticeGroup> = self.muted.clone();
        v.sort();
        v.dedup();
        v.iter().map(|g| g.code()).collect::<Vec<_>>().join(",")
    }

    /// The muted list from its stored form; unknown codes are ignored.
    pub fn parse_muted(s: &str) -> Vec<NoticeGroup> {
        s.split(',').filter_map(NoticeGroup::from_code).collect()
    }
}

/// What a notice kind says in a digest, without the item's subject.
pub fn kind_summary(kind: &str, l: Lang) -> &'static str {
    match kind {
        "letter_paraf" => l.t("Surat menunggu paraf Anda", "Letters awaiting your approval"),
        "letter_sign" => l.t("Surat menunggu tanda tangan Anda", "Letters awaiting your signature"),
        "letter_returned" => l.t("Surat Anda dikembalikan", "Your letters returned"),
        "letter_signed" => l.t("Surat Anda telah ditandatangani", "Your letters signed"),
        "disposition_new" => l.t("Disposisi baru untuk Anda", "New dispositions for you"),
        "followup_review" => {
            l.t("Laporan tindak lanjut untuk diterima", "Follow-up reports to accept")
        }
        "followup_returned" => {
            l.t("Laporan tindak lanjut dikembalikan", "Follow-up reports returned")
        }
        "deadline_tomorrow" => l.t("Disposisi bertenggat besok", "Dispositions due tomorrow"),
        "overdue" => l.t("Disposisi lewat tenggat", "Dispositions overdue"),
        "reminder" => l.t("Pengingat dari pimpinan", "Reminders from leaders"),
        "escalated" | "letter_escalated" => {
            l.t("Pekerjaan yang dieskalasi pimpinan", "Work escalated by leaders")
        }
        "reassigned" => {
            l.t("Disposisi yang dialihkan pimpinan", "Dispositions reassigned by leaders")
        }
        "leader_move" => l.t("Perubahan pejabat", "Changes of officials"),
        "candidate" => l.t("Usulan penghargaan", "Reward candidacy"),
        _ => l.t("Pemberitahuan akun", "Account notices"),
    }
}

/// The digest e-mail for one person: subject and plain-text body. `counts` holds unread notices
/// per kind (kinds in first-seen order), `base` the server's public address.
pub fn digest_message(
    name: &str,
    counts: &[(String, i64)],
    frequency: DigestFrequency,
    base: &str,
    l: Lang,
) -> (String, String) {
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    // The same summary for two kinds (escalations) is one line.
    let mut lines: Vec<(&'static str, i64)> = Vec::new();
    for (kind, n) in counts {
        let s = kind_summary(kind, l);
        match lines.iter_mut().find(|(t, _)| *t == s) {
            Some(line) => line.1 += n,
            None => lines.push((s, *n)),
        }
    }
    let subject = format!(
        "{}: {total} {}",
        match frequency {
            DigestFrequency::Weekly => l.t("Ringkasan mingguan e-Office", "e-Office weekly digest"),
            _ => l.t("Ringkasan harian e-Office", "e-Office daily digest"),
        },
        l.t("pemberitahuan belum dibaca", "unread notices")
    );
    let mut body = format!(
        "{} {name},\n\n{}\n\n",
        l.t("Yth.", "Dear"),
        l.t(
            "Pemberitahuan e-Office berikut belum Anda baca:",
            "These e-Office notices are still unread:",
        )
    );
    for (text, n) in lines {
        body.push_str(&format!("- {text}: {n}\n"));
    }
    body.push_str(&format!(
        "\n{}\n{base}/notifikasi\n\n{}\n\n{}\n{base}/notifikasi/pengaturan\n",
        l.t("Bacalah di e-Office:", "Read them in e-Office:"),
        l.t(
            "Perihal surat dan isi disposisi tidak dicantumkan dalam e-mail ini demi kerahasiaan.",
            "Letter subjects and disposition contents are left out of this e-mail for confidentiality.",
        ),
        l.t(
            "Ubah atau hentikan ringkasan ini di Pengaturan notifikasi:",
            "Change or stop this digest in the notification settings:",
        ),
    ));
    (subject, body)
}

/// The message of the "send a test e-mail" button.
pub fn test_message(name: &str, base: &str, l: Lang) -> (String, String) {
    (
        l.t("Uji e-mail e-Office", "e-Office test e-mail").to_string(),
        format!(
            "{} {name},\n\n{}\n\n{}\n{base}/notifikasi/pengaturan\n",
            l.t("Yth.", "Dear"),
            l.t(
                "E-mail ini membuktikan bahwa e-Office dapat mengirim ringkasan pemberitahuan ke alamat Anda.",
                "This e-mail shows that e-Office can send notice digests to your address.",
            ),
            l.t("Pengaturan notifikasi:", "Notification settings:"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{DAY_MS, days_from_civil};

    /// 2026-12-07 (a Monday) at hh:mm WIB, in unix ms.
    fn wib(d: u32, hh: i64, mm: i64) -> i64 {
        days_from_civil(2026, 12, d) * DAY_MS + (hh - 7) * 3_600_000 + mm * 60_000
    }

    #[test]
    fn every_kind_the_store_writes_has_a_group_and_a_summary() {
        let kinds = [
            ("letter_paraf", NoticeGroup::Surat),
            ("letter_sign", NoticeGroup::Surat),
            ("letter_returned", NoticeGroup::Surat),
            ("letter_signed", NoticeGroup::Surat),
            ("disposition_new", NoticeGroup::Disposisi),
            ("followup_review", NoticeGroup::Disposisi),
            ("followup_returned", NoticeGroup::Disposisi),
            ("deadline_tomorrow", NoticeGroup::Tenggat),
            ("overdue", NoticeGroup::Tenggat),
            ("reminder", NoticeGroup::Pimpinan),
            ("escalated", NoticeGroup::Pimpinan),
            ("reassigned", NoticeGroup::Pimpinan),
            ("letter_escalated", NoticeGroup::Pimpinan),
            ("leader_move", NoticeGroup::Pimpinan),
            ("candidate", NoticeGroup::Pimpinan),
            ("password_reset", NoticeGroup::Akun),
            ("second_factor_reset", NoticeGroup::Akun),
            ("tte_enrolled", NoticeGroup::Akun),
            ("tte_revoked", NoticeGroup::Akun),
        ];
        for (k, g) in kinds {
            assert_eq!(NoticeGroup::of_kind(k), g, "{k}");
            if g != NoticeGroup::Akun {
                assert_ne!(kind_summary(k, Lang::Id), "Pemberitahuan akun", "{k}");
            }
        }
        assert_eq!(NoticeGroup::of_kind("kind_of_tomorrow"), NoticeGroup::Akun);
    }

    #[test]
    fn leaders_and_account_notices_cannot_be_muted() {
        let s = |muted: Vec<NoticeGroup>| NotificationSettings { muted, ..Default::default() };
        assert_eq!(
            s(vec![NoticeGroup::Surat, NoticeGroup::Disposisi, NoticeGroup::Tenggat])
                .check(false, false),
            Ok(())
        );
        assert_eq!(
            s(vec![NoticeGroup::Pimpinan]).check(true, true),
            Err(SettingsError::CannotMute(NoticeGroup::Pimpinan))
        );
        assert_eq!(
            s(vec![NoticeGroup::Surat, NoticeGroup::Akun]).check(true, true),
            Err(SettingsError::CannotMute(NoticeGroup::Akun))
        );
    }

    #[test]
    fn a_digest_needs_a_mail_server_and_an_address() {
        let s = NotificationSettings { digest: DigestFrequency::Daily, ..Default::default() };
        assert_eq!(s.check(true, false), Err(SettingsError::MailOff));
        assert_eq!(s.check(false, true), Err(SettingsError::NoEmail));
        assert_eq!(s.check(true, true), Ok(()));
        // Switching the digest off is always possible.
        assert_eq!(NotificationSettings::default().check(false, false), Ok(()));
        assert!(SettingsError::NoEmail.message(Lang::Id).contains("Admin OPD"));
    }

    #[test]
    fn muted_codes_round_trip_sorted_and_without_repeats() {
        let s = NotificationSettings {
            muted: vec![NoticeGroup::Tenggat, NoticeGroup::Surat, NoticeGroup::Tenggat],
            ..Default::default()
        };
        assert_eq!(s.muted_codes(), "surat,tenggat");
        assert_eq!(
            NotificationSettings::parse_muted("surat,tenggat,bogus,"),
            vec![NoticeGroup::Surat, NoticeGroup::Tenggat]
        );
        assert_eq!(NotificationSettings::parse_muted(""), vec![]);
    }

    #[test]
    fn a_daily_period_starts_at_seven_wib() {
        let f = DigestFrequency::Daily;
        let monday = days_from_civil(2026, 12, 7);
        assert_eq!(f.period(wib(7, 6, 59)), Some(monday - 1));
        assert_eq!(f.period(wib(7, 7, 0)), Some(monday));
        assert_eq!(f.period(wib(7, 23, 59)), Some(monday));
        assert_eq!(f.period(wib(8, 6, 59)), Some(monday));
        assert_eq!(DigestFrequency::Off.period(wib(7, 8, 0)), None);
    }

    #[test]
    fn a_weekly_period_starts_on_monday_at_seven_wib() {
        let f = DigestFrequency::Weekly;
        let monday = days_from_civil(2026, 12, 7);
        assert_eq!(f.period(wib(7, 6, 59)), Some(monday - 7));
        assert_eq!(f.period(wib(7, 7, 0)), Some(monday));
        assert_eq!(f.period(wib(10, 12, 0)), Some(monday));
        assert_eq!(f.period(wib(14, 6, 59)), Some(monday));
        assert_eq!(f.period(wib(14, 7, 0)), Some(monday + 7));
    }

    #[test]
    fn the_digest_counts_kinds_and_never_carries_a_subject() {
        let counts = vec![
            ("letter_paraf".to_string(), 2),
            ("escalated".to_string(), 1),
            ("disposition_new".to_string(), 1),
            ("letter_escalated".to_string(), 1),
        ];
        let (subject, body) =
            digest_message("Putri", &counts, DigestFrequency::Daily, "https://e.go.id", Lang::Id);
        assert_eq!(subject, "Ringkasan harian e-Office: 5 pemberitahuan belum dibaca");
        assert!(body.starts_with("Yth. Putri,"));
        assert!(body.contains("- Surat menunggu paraf Anda: 2\n"));
        assert!(body.contains("- Pekerjaan yang dieskalasi pimpinan: 2\n"), "{body}");
        assert!(body.contains("https://e.go.id/notifikasi\n"));
        assert!(body.contains("https://e.go.id/notifikasi/pengaturan"));
        let (subject, _) = digest_message("Putri", &counts, DigestFrequency::Weekly, "x", Lang::En);
        assert_eq!(subject, "e-Office weekly digest: 5 unread notices");
    }

    #[test]
    fn codes_round_trip() {
        for &g in NoticeGroup::all() {
            assert_eq!(NoticeGroup::from_code(g.code()), Some(g));
        }
        for &f in DigestFrequency::all() {
            assert_eq!(DigestFrequency::from_code(f.code()), Some(f));
        }
    }
}
