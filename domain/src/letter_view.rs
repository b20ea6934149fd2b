//! What the letter pages show: list rows, details, history, inbox entries, and the rule of who may
//! see a letter at all. Shared by the server functions and the browser.

use crate::Code;
use crate::letter::{
    ActionKind, LetterKind, LetterState, RecipientRole, Sifat, TargetType, Urgency,
};
use crate::letter_body::DiffLine;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// The four lists of the Surat Keluar page.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ListTab {
    /// Mine, still being written or returned to me.
    Draf,
    /// Waiting for my paraf, signature or co-signature (including positions I act for).
    PerluParaf,
    /// Mine, somewhere in the chain.
    DalamProses,
    /// Signed letters I drafted or signed (and, for the records clerk, every non-confidential one of the OPD).
    Terkirim,
}

impl Code for ListTab {}

impl ListTab {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            ListTab::Draf => lang.t("Draf", "Drafts"),
            ListTab::PerluParaf => lang.t("Perlu Paraf", "To approve"),
            ListTab::DalamProses => lang.t("Dalam Proses", "In progress"),
            ListTab::Terkirim => lang.t("Terkirim", "Sent"),
        }
    }
}

pub const PAGE_SIZE: i64 = 50;

/// Search and filters of a letter list. Days are days since the epoch (WIB).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListFilter {
    pub q: String,
    pub kind: Option<LetterKind>,
    pub sifat: Option<Sifat>,
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LetterListItem {
    pub id: String,
    pub kind: LetterKind,
    pub subject: String,
    pub number: Option<String>,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub state: LetterState,
    pub state_label: String,
    pub drafter_name: String,
    /// Where the letter waits: the position title and who holds it.
    pub waiting_at: Option<String>,
    pub recipients: String,
    pub updated_ms: i64,
    /// The version the list shows, so acting from the list (batch signing) is guarded like acting
    /// from the letter itself.
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LetterPage {
    pub items: Vec<LetterListItem>,
    pub total: i64,
    pub page: i64,
}

/// Unread and waiting counts for the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Counts {
    pub perlu_paraf: i64,
    pub kotak_masuk_unread: i64,
    /// Dispositions to me not opened yet plus follow-ups waiting for my answer.
    #[serde(default)]
    pub disposisi: i64,
    /// Of `disposisi`: follow-up reports on dispositions I gave, waiting for me to accept or send
    /// back (they are listed under "Disposisi Keluar", the others under "Disposisi Masuk").
    #[serde(default)]
    pub disposisi_laporan: i64,
    /// My letters sent back to me with a note, waiting for a revision.
    #[serde(default)]
    pub dikembalikan: i64,
    /// Unread notices (the bell).
    #[serde(default)]
    pub notifications_unread: i64,
}

impl Counts {
    /// Everything waiting for the user in the navigation (shown on the closed phone menu).
    pub fn waiting(&self) -> i64 {
        self.perlu_paraf + self.dikembalikan + self.kotak_masuk_unread + self.disposisi
    }

    /// Where the Surat Keluar link leads: the list holding what waits, letters to approve first.
    pub fn surat_keluar_href(&self) -> &'static str {
        if self.perlu_paraf == 0 && self.dikembalikan > 0 {
            "/surat-keluar?tab=draf"
        } else {
            // Perlu Paraf is the list's first tab.
            "/surat-keluar"
        }
    }

    /// Where the Disposisi link leads: new dispositions first, else the reports to answer.
    pub fn disposisi_href(&self) -> &'static str {
        if self.disposisi == self.disposisi_laporan && self.disposisi_laporan > 0 {
            "/disposisi?tab=keluar&status=reported"
        } else {
            // Disposisi Masuk is the list's first tab.
            "/disposisi"
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub actor_name: String,
    pub position_title: Option<String>,
    pub action: ActionKind,
    pub note: String,
    pub version: i64,
    pub at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub version: i64,
    pub author_name: String,
    pub conflict: bool,
    pub created_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// Where one stop of the approval chain stands.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum StopStatus {
    Done,
    Current,
    Pending,
}

impl Code for StopStatus {}

/// One stop of the approval chain, for the "where is it" view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainStop {
    pub position_title: String,
    pub holder: Option<String>,
    pub status: StopStatus,
    pub is_signer: bool,
    /// The second signer of a co-signed letter (after the signer).
    #[serde(default)]
    pub is_co_signer: bool,
}

/// A co-signer: a position and the official who holds (or acts for) it, as the compose form's
/// picker offers it and the letter's detail names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoSignerOption {
    pub position_id: String,
    /// Title of the position, e.g. "Kepala Badan Perencanaan Pembangunan Daerah".
    pub title: String,
    /// Who holds it (or acts for it, with "Plt."/"Plh."); None when vacant.
    pub holder_name: Option<String>,
    /// Short name of the position's OPD, e.g. "Bappeda".
    pub opd_name: String,
}

/// What the user may do with the letter now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Allowed {
    pub edit: bool,
    pub submit: bool,
    pub approve: bool,
    pub ret: bool,
    pub sign: bool,
    pub mark_sent: bool,
    pub withdraw: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LetterDetail {
    pub id: String,
    pub opd_name: String,
    pub draft: crate::letter::LetterDraft,
    pub state: LetterState,
    pub state_label: String,
    pub version: i64,
    pub number: Option<String>,
    pub drafter_name: String,
    pub signer_title: String,
    pub signed_ms: Option<i64>,
    /// The second signer, when the letter is co-signed.
    #[serde(default)]
    pub co_signer: Option<CoSignerOption>,
    /// When the co-signer added the second signature.
    #[serde(default)]
    pub co_signed_ms: Option<i64>,
    /// Numbers this letter was given and that were voided (a co-signer refused it, or it was
    /// withdrawn before the second signature), each with the reason: never given again.
    #[serde(default)]
    pub void_numbers: Vec<String>,
    pub chain: Vec<ChainStop>,
    pub history: Vec<HistoryEntry>,
    pub versions: Vec<VersionInfo>,
    pub attachments: Vec<AttachmentInfo>,
    pub allowed: Allowed,
    pub has_document: bool,
    /// Conflicting saves kept beside the current version, newest first.
    pub conflicts: Vec<i64>,
    /// The incoming letter this one answers, when the viewer may open it.
    #[serde(default)]
    pub reply_to: Option<ReplyRef>,
}

/// The incoming letter a reply answers, as shown on the reply and in the compose form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyRef {
    pub incoming_id: String,
    pub sender_name: String,
    pub letter_number: String,
    pub letter_day: i64,
    pub subject: String,
    pub agenda_number: String,
}

/// A reply letter listed on the page of the incoming letter it answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyLetter {
    pub id: String,
    pub subject: String,
    pub number: Option<String>,
    pub state: LetterState,
    pub state_label: String,
    pub drafter_name: String,
    pub updated_ms: i64,
    /// Drafted by the viewer: offered first when they link a follow-up report to a reply.
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionDiff {
    pub from: i64,
    pub to: i64,
    pub header: Vec<DiffLine>,
    pub body: Vec<DiffLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: String,
    pub incoming_id: String,
    pub role: RecipientRole,
    pub subject: String,
    pub sender_name: String,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub letter_number: String,
    pub read: bool,
    pub created_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub total: i64,
    pub unread: i64,
    pub page: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncomingDetail {
    pub id: String,
    pub entry_id: String,
    pub role: RecipientRole,
    pub opd_name: String,
    pub agenda_number: String,
    pub received_ms: i64,
    pub sender_name: String,
    pub letter_number: String,
    pub letter_day: i64,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub subject: String,
    pub attachment_count: i64,
    pub outgoing_letter_id: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
}

/// A number taken by the records clerk for a letter signed on paper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberReservation {
    pub id: String,
    pub number: String,
    pub klasifikasi: String,
    pub subject: String,
    pub recipient: String,
    pub note: String,
    pub reserved_by: String,
    pub created_ms: i64,
}

/// A directory entry for the recipient picker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// Opd, Unit or Employee (never External).
    pub target_type: TargetType,
    pub target_id: String,
    /// How the addressee is written on the letter, e.g. "Kepala Bappeda".
    pub name: String,
    /// Context shown in the picker, e.g. the OPD or the person holding the position.
    pub detail: String,
}

/// How someone stands to a letter, for the visibility rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Involvement {
    pub drafter: bool,
    /// Holds (or acts for) a reviewer, the signer or the co-signer position of the letter.
    pub in_chain: bool,
    /// Acted on the letter before (e.g. a reviewer who has since moved on).
    pub acted: bool,
    /// An addressee or tembusan recipient of the delivered letter.
    pub addressee: bool,
    /// The records clerk (TU) of the letter's OPD.
    pub clerk: bool,
}

/// Who may see a letter. Confidential letters (Rahasia, Sangat Rahasia) are for the people who
/// handle or receive them only: not for the clerk, not for admins, not for colleagues.
pub fn may_see(sifat: Sifat, inv: Involvement) -> bool {
    inv.drafter
        || inv.in_chain
        || inv.acted
        || inv.addressee
        || (inv.clerk && !sifat.is_confidential())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_lead_to_the_list_holding_the_waiting_item() {
        let none = Counts::default();
        assert_eq!(none.waiting(), 0);
        assert_eq!(none.surat_keluar_href(), "/surat-keluar");
        assert_eq!(none.disposisi_href(), "/disposisi");
        let returned = Counts { dikembalikan: 1, ..none };
        assert_eq!(returned.surat_keluar_href(), "/surat-keluar?tab=draf");
        assert_eq!(returned.waiting(), 1);
        let both = Counts { dikembalikan: 1, perlu_paraf: 2, ..none };
        assert_eq!(both.surat_keluar_href(), "/surat-keluar");
        // Only a report to answer: it is under the dispositions given.
        let report = Counts { disposisi: 1, disposisi_laporan: 1, ..none };
        assert_eq!(report.disposisi_href(), "/disposisi?tab=keluar&status=reported");
        let mixed = Counts { disposisi: 2, disposisi_laporan: 1, ..none };
        assert_eq!(mixed.disposisi_href(), "/disposisi");
        // Unread notices are the bell's, not the menu's.
        assert_eq!(Counts { notifications_unread: 5, kotak_masuk_unread: 1, ..none }.waiting(), 1);
    }

    #[test]
    fn visibility() {
        let none = Involvement::default();
        for &s in Sifat::all() {
            assert!(!may_see(s, none), "an outsider never sees {s:?}");
            for inv in [
                Involvement { drafter: true, ..none },
                Involvement { in_chain: true, ..none },
                Involvement { acted: true, ..none },
                Involvement { addressee: true, ..none },
            ] {
                assert!(may_see(s, inv));
            }
        }
        let clerk = Involvement { clerk: true, ..none };
        assert!(may_see(Sifat::Biasa, clerk) && may_see(Sifat::Terbatas, clerk));
        assert!(!may_see(Sifat::Rahasia, clerk) && !may_see(Sifat::SangatRahasia, clerk));
    }

    #[test]
    fn tabs() {
        for &t in ListTab::all() {
            assert_eq!(ListTab::from_code(t.code()), Some(t));
        }
        assert_eq!(ListTab::from_code("x"), None);
    }
}
