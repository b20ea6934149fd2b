//! Surat masuk and disposisi: registration input, the standard instructions, and the rules of the
//! disposition tree (who may pass a letter to whom, deadlines, follow-up and completion, who sees
//! which branch). Pure: callers pass today's date and the organisation in.

use crate::Code;
use crate::letter::{Sifat, Urgency};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// Page size of every surat masuk and disposition list.
pub const PAGE_SIZE: i64 = 50;
pub const MAX_SUBJECT: usize = 500;
pub const MAX_SUMMARY: usize = 4000;
pub const MAX_NOTE: usize = 2000;
pub const MAX_REPORT: usize = 8000;
pub const MAX_SENDER: usize = 300;
pub const MAX_NUMBER: usize = 120;
/// Recipients of one disposition act.
pub const MAX_RECIPIENTS: usize = 20;

/// The standard instructions of a lembar disposisi (ANRI style), in printed order.
#[derive(
    Clone,
    Copy,
    Debug,
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
pub enum Instruction {
    Selesaikan,
    Saran,
    Koordinasikan,
    Pelajari,
    Wakili,
    Pantau,
    Perhatian,
    Arsip,
}

impl Code for Instruction {}

impl Instruction {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (id, en) = match self {
            Instruction::Selesaikan => ("Selesaikan / tindak lanjuti", "Complete / follow up"),
            Instruction::Saran => ("Saran / pendapat", "Advise / give an opinion"),
            Instruction::Koordinasikan => ("Koordinasikan", "Coordinate"),
            Instruction::Pelajari => ("Pelajari / kaji", "Study / review"),
            Instruction::Wakili => ("Wakili / hadiri", "Represent / attend"),
            Instruction::Pantau => ("Pantau", "Monitor"),
            Instruction::Perhatian => ("Untuk perhatian", "For attention"),
            Instruction::Arsip => ("Arsip", "File"),
        };
        lang.t(id, en)
    }
    /// "selesaikan,pantau" -> instructions, unknown codes dropped.
    pub fn parse_list(s: &str) -> Vec<Instruction> {
        s.split(',').filter_map(|c| Instruction::from_code(c.trim())).collect()
    }
    pub fn join(list: &[Instruction]) -> String {
        list.iter().map(|i| i.code()).collect::<Vec<_>>().join(",")
    }
}

/// Where one branch of the tree stands.
#[derive(
    Clone,
    Copy,
    Debug,
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
pub enum NodeStatus {
    /// Received; nothing reported yet (or the follow-up was sent back).
    Open,
    /// The recipient reported the follow-up; the giver has not answered yet.
    Reported,
    /// The giver accepted the follow-up: the branch is closed.
    Done,
}

impl Code for NodeStatus {}

/// Where the incoming letter as a whole stands.
#[derive(
    Clone,
    Copy,
    Debug,
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
pub enum IncomingStatus {
    /// Registered; waiting for the first disposition.
    Open,
    Disposed,
    /// Every branch followed up and accepted.
    Complete,
    Archived,
}

impl Code for IncomingStatus {}

impl IncomingStatus {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            IncomingStatus::Open => lang.t("Belum didisposisi", "Not yet disposed"),
            IncomingStatus::Disposed => lang.t("Dalam proses", "In progress"),
            IncomingStatus::Complete => lang.t("Selesai", "Complete"),
            IncomingStatus::Archived => lang.t("Diarsipkan", "Filed"),
        }
    }
}

/// Everything wrong with a disposition request, said the way users need to hear it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DispositionError {
    NoRecipient,
    TooManyRecipients,
    DuplicateRecipient(String),
    /// The recipient is not below the giver in the organisation.
    NotBelow(String),
    /// The recipient is neither below the giver nor a peer, in an OPD that allows dispositions to peers.
    NotBelowOrPeer(String),
    NoInstruction,
    MoreThanOneLead,
    DeadlinePast,
    DeadlineAfterParent(i64),
    NoteTooLong,
    /// The node was already passed on (by this person or by someone acting for the same position).
    AlreadyForwarded,
    /// The branch is closed or reported; it cannot be passed on any more.
    BranchClosed,
    /// Follow-up while some children are not done.
    ChildrenOpen(usize),
    NotReported,
    AlreadyReported,
    EmptyReport,
    ReportTooLong,
    ReturnWithoutNote,
    TreeIncomplete,
}

impl fmt::Display for DispositionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DispositionError::*;
        match self {
            NoRecipient => write!(f, "Pilih sedikitnya satu penerima disposisi."),
            TooManyRecipients => {
                write!(f, "Paling banyak {MAX_RECIPIENTS} penerima dalam satu disposisi.")
            }
            DuplicateRecipient(t) => write!(f, "Penerima \"{t}\" dipilih lebih dari sekali."),
            NotBelow(t) => {
                write!(f, "Disposisi hanya dapat diteruskan ke bawah: \"{t}\" bukan bawahan Anda.")
            }
            NotBelowOrPeer(t) => write!(
                f,
                "Disposisi hanya dapat diteruskan ke bawahan atau rekan setingkat: \"{t}\" bukan keduanya."
            ),
            NoInstruction => write!(f, "Pilih sedikitnya satu instruksi disposisi."),
            MoreThanOneLead => {
                write!(f, "Hanya satu penerima yang dapat ditandai sebagai penanggung jawab.")
            }
            DeadlinePast => write!(f, "Tenggat tidak boleh tanggal yang sudah lewat."),
            DeadlineAfterParent(d) => {
                write!(
                    f,
                    "Tenggat tidak boleh melewati tenggat disposisi yang Anda terima ({}).",
                    crate::time::long_date(*d, crate::Lang::Id)
                )
            }
            NoteTooLong => write!(f, "Catatan disposisi paling banyak {MAX_NOTE} karakter."),
            AlreadyForwarded => write!(
                f,
                "Disposisi ini sudah diteruskan (mungkin oleh pejabat lain yang memegang jabatan yang sama). Muat ulang halaman untuk melihatnya."
            ),
            BranchClosed => write!(
                f,
                "Disposisi ini sudah dilaporkan atau selesai, sehingga tidak dapat diteruskan lagi."
            ),
            ChildrenOpen(n) => write!(
                f,
                "Masih ada {n} disposisi turunan yang belum selesai. Laporan dapat dikirim setelah semuanya selesai."
            ),
            NotReported => write!(f, "Disposisi ini belum dilaporkan tindak lanjutnya."),
            AlreadyReported => {
                write!(f, "Tindak lanjut disposisi ini sudah dilaporkan atau sudah selesai.")
            }
            EmptyReport => write!(
                f,
                "Tuliskan tindak lanjut yang sudah dilakukan, atau tautkan surat balasan."
            ),
            ReportTooLong => {
                write!(f, "Laporan tindak lanjut paling banyak {MAX_REPORT} karakter.")
            }
            ReturnWithoutNote => write!(f, "Tuliskan catatan mengapa tindak lanjut dikembalikan."),
            TreeIncomplete => write!(
                f,
                "Surat baru dapat diarsipkan setelah semua disposisi selesai ditindaklanjuti."
            ),
        }
    }
}

impl std::error::Error for DispositionError {}

/// One recipient of a disposition request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecipientInput {
    pub position_id: String,
    pub lead: bool,
}

/// A disposition act: from one node (or from the letter itself for the first one) to recipients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisposeInput {
    pub incoming_id: String,
    /// The node being passed on; None for the first disposition of the letter.
    pub parent_id: Option<String>,
    pub recipients: Vec<RecipientInput>,
    pub instructions: Vec<Instruction>,
    /// "YYYY-MM-DD" or empty.
    pub deadline: String,
    pub note: String,
}

/// Checks a disposition request against the organisation and the parent's deadline.
/// `targets`: where the giver may dispose to (`Targets::of`). `titles`: for messages.
pub fn check_dispose(
    input: &DisposeInput,
    targets: &Targets,
    titles: &HashMap<String, String>,
    parent_deadline: Option<i64>,
    today: i64,
) -> Result<(Vec<Instruction>, Option<i64>), DispositionError> {
    if input.recipients.is_empty() {
        return Err(DispositionError::NoRecipient);
    }
    if input.recipients.len() > MAX_RECIPIENTS {
        return Err(DispositionError::TooManyRecipients);
    }
    let title = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut seen = HashSet::new();
    for r in &input.recipients {
        if !seen.insert(r.position_id.as_str()) {
            return Err(DispositionError::DuplicateRecipient(title(&r.position_id)));
        }
        if !targets.below.contains(&r.position_id) && !targets.peers.contains(&r.position_id) {
            let t = title(&r.position_id);
            return Err(if targets.peers_allowed {
                DispositionError::NotBelowOrPeer(t)
            } else {
                DispositionError::NotBelow(t)
            });
        }
    }
    if input.recipients.iter().filter(|r| r.lead).count() > 1 {
        return Err(DispositionError::MoreThanOneLead);
    }
    let mut instructions: Vec<Instruction> = Vec::new();
    for &i in &input.instructions {
        if !instructions.contains(&i) {
            instructions.push(i);
        }
    }
    if instructions.is_empty() {
        return Err(DispositionError::NoInstruction);
    }
    if input.note.chars().count() > MAX_NOTE {
        return Err(DispositionError::NoteTooLong);
    }
    let deadline = match input.deadline.trim() {
        "" => parent_deadline,
        s => Some(crate::time::parse_iso_date(s).ok_or(DispositionError::DeadlinePast)?),
    };
    if let Some(d) = deadline {
        if Some(d) != parent_deadline && d < today {
            return Err(DispositionError::DeadlinePast);
        }
        if let Some(p) = parent_deadline
            && d > p
        {
            return Err(DispositionError::DeadlineAfterParent(p));
        }
    }
    Ok((instructions, deadline))
}

/// The positions a giver may dispose to: everything below them, and their peers (positions with
/// the same direct superior) when the OPD allows dispositions to peers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Targets {
    pub below: HashSet<String>,
    pub peers: HashSet<String>,
    pub peers_allowed: bool,
}

impl Targets {
    pub fn of(
        superiors: &HashMap<String, Option<String>>,
        giver: &str,
        peers_allowed: bool,
    ) -> Self {
        let below = positions_below(superiors, giver);
        let peers = if peers_allowed { peers_of(superiors, giver) } else { HashSet::new() };
        Targets { below, peers, peers_allowed }
    }
}

/// Positions with the same direct superior as `position` (not itself). The head of an OPD, who
/// has no superior there, has no peers.
pub fn peers_of(superiors: &HashMap<String, Option<String>>, position: &str) -> HashSet<String> {
    let Some(Some(boss)) = superiors.get(position) else { return HashSet::new() };
    superiors
        .iter()
        .filter(|(p, s)| p.as_str() != position && s.as_deref() == Some(boss.as_str()))
        .map(|(p, _)| p.clone())
        .collect()
}

/// Every position below `root` in the organisation, from a position -> direct superior map.
pub fn positions_below(superiors: &HashMap<String, Option<String>>, root: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for p in superiors.keys() {
        let mut cur = superiors.get(p).cloned().flatten();
        let mut guard = 0;
        while let Some(s) = cur {
            if s == root {
                out.insert(p.clone());
                break;
            }
            guard += 1;
            if guard > 64 {
                break;
            }
            cur = superiors.get(&s).cloned().flatten();
        }
    }
    out
}

/// The fields of one node that the rules look at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub parent_id: Option<String>,
    pub from_position_id: String,
    pub to_position_id: String,
    pub status: NodeStatus,
    pub deadline_day: Option<i64>,
    pub forwarded: bool,
}

/// A node may be passed on once, while its recipient has not reported.
pub fn check_forward(node: &Node) -> Result<(), DispositionError> {
    if node.status != NodeStatus::Open {
        return Err(DispositionError::BranchClosed);
    }
    if node.forwarded {
        return Err(DispositionError::AlreadyForwarded);
    }
    Ok(())
}

/// The recipient reports the follow-up, once every child branch is done.
pub fn check_report(
    node: &Node,
    nodes: &[Node],
    text: &str,
    has_letter: bool,
) -> Result<(), DispositionError> {
    if node.status != NodeStatus::Open {
        return Err(DispositionError::AlreadyReported);
    }
    let open = nodes
        .iter()
        .filter(|n| {
            n.parent_id.as_deref() == Some(node.id.as_str()) && n.status != NodeStatus::Done
        })
        .count();
    if open > 0 {
        return Err(DispositionError::ChildrenOpen(open));
    }
    if text.trim().is_empty() && !has_letter {
        return Err(DispositionError::EmptyReport);
    }
    if text.chars().count() > MAX_REPORT {
        return Err(DispositionError::ReportTooLong);
    }
    Ok(())
}

/// The giver accepts the follow-up or sends it back (a note is then mandatory).
pub fn check_review(node: &Node, accept: bool, note: &str) -> Result<NodeStatus, DispositionError> {
    if node.status != NodeStatus::Reported {
        return Err(DispositionError::NotReported);
    }
    if accept {
        Ok(NodeStatus::Done)
    } else if note.trim().is_empty() {
        Err(DispositionError::ReturnWithoutNote)
    } else if note.chars().count() > MAX_NOTE {
        Err(DispositionError::NoteTooLong)
    } else {
        Ok(NodeStatus::Open)
    }
}

/// Complete when every branch is done (a letter filed without any disposition counts as complete).
pub fn tree_complete(nodes: &[Node]) -> bool {
    nodes.iter().all(|n| n.status == NodeStatus::Done)
}

/// Past its deadline and not done.
pub fn overdue(status: NodeStatus, deadline_day: Option<i64>, today: i64) -> bool {
    status != NodeStatus::Done && deadline_day.is_some_and(|d| d < today)
}

/// Who is looking at a tree.
#[derive(Clone, Debug, Default)]
pub struct Viewer {
    /// Positions the viewer holds or acts for.
    pub positions: HashSet<String>,
    /// Positions below any of those, in the organisation.
    pub below: HashSet<String>,
    /// Above the whole tree: the addressee who gives the first disposition, a superior of theirs,
    /// or (for letters that are not confidential) the records clerk of the OPD.
    pub whole_tree: bool,
}

/// Which nodes a viewer sees: all when above the whole tree; otherwise the branches addressed to
/// them or to someone below them, with everything under those branches. Never a sibling branch.
pub fn visible_nodes(nodes: &[Node], viewer: &Viewer) -> Vec<bool> {
    if viewer.whole_tree {
        return vec![true; nodes.len()];
    }
    let by_id: HashMap<&str, &Node> = nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mine = |n: &Node| {
        viewer.positions.contains(&n.to_position_id) || viewer.below.contains(&n.to_position_id)
    };
    nodes
        .iter()
        .map(|n| {
            let mut cur = Some(n);
            let mut guard = 0;
            while let Some(c) = cur {
                if mine(c) {
                    return true;
                }
                guard += 1;
                if guard > 64 {
                    break;
                }
                cur = c.parent_id.as_deref().and_then(|p| by_id.get(p).copied());
            }
            false
        })
        .collect()
}

/// May this viewer open the letter at all? Confidential letters only for those in the tree (or
/// above it); others only when they see some branch or are above the whole tree.
pub fn may_open(
    sifat: Sifat,
    nodes: &[Node],
    viewer: &Viewer,
    is_registrar: bool,
    is_clerk: bool,
) -> bool {
    if viewer.whole_tree || is_registrar {
        return true;
    }
    if is_clerk && !sifat.is_confidential() {
        return true;
    }
    visible_nodes(nodes, viewer).into_iter().any(|v| v)
}

/// Normalised sender + number + letter day: the same letter registered twice has the same key.
pub fn duplicate_key(sender: &str, number: &str, letter_day: i64) -> String {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    format!("{}|{}|{}", norm(sender), norm(number).replace(' ', ""), letter_day)
}

/// What the clerk fills in to register a letter. The scan travels separately.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegisterInput {
    /// Client-generated id: a double submit registers once.
    pub client_id: String,
    /// "YYYY-MM-DD"
    pub received: String,
    pub sender_name: String,
    pub letter_number: String,
    /// "YYYY-MM-DD"
    pub letter_date: String,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub attachment_count: i64,
    pub subject: String,
    pub summary: String,
    pub klasifikasi: String,
    /// Who gives the first disposition; empty = the head of the OPD.
    pub disposer_position_id: String,
    /// The clerk saw the duplicate warning and registers anyway.
    pub confirm_duplicate: bool,
}

/// Field-level problems of a registration, in Bahasa Indonesia.
pub fn check_register(input: &RegisterInput, today: i64) -> Result<(i64, i64), String> {
    let received = crate::time::parse_iso_date(input.received.trim())
        .ok_or("Isi tanggal diterima dengan tanggal yang benar.")?;
    if received > today {
        return Err("Tanggal diterima tidak boleh setelah hari ini.".into());
    }
    let letter_day = crate::time::parse_iso_date(input.letter_date.trim())
        .ok_or("Isi tanggal surat dengan tanggal yang benar.")?;
    if letter_day > received {
        return Err("Tanggal surat tidak boleh setelah tanggal diterima.".into());
    }
    let sender = input.sender_name.trim();
    if sender.is_empty() {
        return Err("Isi asal surat (nama instansi pengirim).".into());
    }
    if sender.chars().count() > MAX_SENDER {
        return Err(format!("Asal surat paling banyak {MAX_SENDER} karakter."));
    }
    let number = input.letter_number.trim();
    if number.is_empty() {
        return Err("Isi nomor surat sesuai yang tertulis pada surat.".into());
    }
    if number.chars().count() > MAX_NUMBER {
        return Err(format!("Nomor surat paling banyak {MAX_NUMBER} karakter."));
    }
    if !(0..=999).contains(&input.attachment_count) {
        return Err("Jumlah lampiran harus antara 0 dan 999.".into());
    }
    let subject = input.subject.trim();
    if subject.is_empty() {
        return Err("Isi hal (perihal) surat.".into());
    }
    if subject.chars().count() > MAX_SUBJECT {
        return Err(format!("Hal surat paling banyak {MAX_SUBJECT} karakter."));
    }
    if input.summary.chars().count() > MAX_SUMMARY {
        return Err(format!("Ringkasan paling banyak {MAX_SUMMARY} karakter."));
    }
    if input.client_id.trim().is_empty() || input.client_id.len() > 64 {
        return Err("Formulir tidak lengkap; muat ulang halaman lalu coba lagi.".into());
    }
    Ok((received, letter_day))
}

/// The scan as it arrives from the browser: one PDF, or photos of the pages in order (base64).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanUpload {
    pub pdf_b64: Option<String>,
    pub images_b64: Vec<String>,
    pub original_name: String,
}

/// Registration result: registered, or the possible duplicate the clerk must confirm first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RegisterOutcome {
    Registered { id: String, agenda_number: String },
    PossibleDuplicate { agenda_number: String, registered_ms: i64, subject: String },
}

/// One row of the Surat Masuk register.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncomingListItem {
    pub id: String,
    pub agenda_number: String,
    pub received_ms: i64,
    pub sender_name: String,
    pub letter_number: String,
    pub subject: String,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub status: IncomingStatus,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncomingPage {
    pub items: Vec<IncomingListItem>,
    pub total: i64,
    pub page: i64,
}

/// One row of Disposisi Masuk / Keluar / Lewat Tenggat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DispositionItem {
    pub id: String,
    pub incoming_id: String,
    pub subject: String,
    pub sender_name: String,
    pub sifat: Sifat,
    pub from_title: String,
    pub to_title: String,
    pub instructions: Vec<Instruction>,
    pub deadline_day: Option<i64>,
    pub created_ms: i64,
    pub read: bool,
    pub status: NodeStatus,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DispositionPage {
    pub items: Vec<DispositionItem>,
    pub total: i64,
    pub page: i64,
}

/// Badges for the navigation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DispositionCounts {
    /// Dispositions to me not opened yet.
    pub unread: i64,
    /// Follow-ups waiting for my answer.
    pub to_review: i64,
    /// Mine, open, past their deadline.
    pub overdue: i64,
}

/// One node as the tree view shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeView {
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    pub from_title: String,
    pub from_name: String,
    pub to_position_id: String,
    pub to_title: String,
    pub to_name: String,
    pub lead: bool,
    pub instructions: Vec<Instruction>,
    pub note: String,
    pub deadline_day: Option<i64>,
    pub created_ms: i64,
    pub read_ms: Option<i64>,
    pub read_by_name: Option<String>,
    pub forwarded: bool,
    pub status: NodeStatus,
    pub report_text: String,
    pub report_letter_id: Option<String>,
    pub reported_ms: Option<i64>,
    pub reported_by_name: Option<String>,
    pub review_note: String,
    pub done_ms: Option<i64>,
    pub overdue: bool,
    pub files: Vec<crate::letter_view::AttachmentInfo>,
    /// What the viewer may do here.
    pub can_forward: bool,
    pub can_report: bool,
    pub can_review: bool,
    pub version: i64,
}

/// A position the viewer may dispose to, subordinates first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionChoice {
    pub position_id: String,
    pub title: String,
    pub holder: String,
    pub direct: bool,
    /// A peer of the giver (same direct superior), offered only where the OPD allows it.
    #[serde(default)]
    pub peer: bool,
}

/// How an OPD handles incoming mail, set by its Admin OPD.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IncomingSettings {
    /// Who receives newly registered or delivered mail for the first disposition; None: the head.
    pub disposer_position_id: Option<String>,
    /// Dispositions may also go to peers (positions with the same direct superior).
    pub peer_disposition: bool,
}

/// The incoming letter page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncomingView {
    pub id: String,
    pub opd_name: String,
    pub agenda_number: String,
    pub source: String,
    pub received_ms: i64,
    pub sender_name: String,
    pub letter_number: String,
    pub letter_day: i64,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub attachment_count: i64,
    pub subject: String,
    pub summary: String,
    pub klasifikasi: String,
    pub status: IncomingStatus,
    pub scan_pages: i64,
    pub outgoing_letter_id: Option<String>,
    pub disposer_title: String,
    pub nodes: Vec<NodeView>,
    /// The viewer may give the first disposition (the addressee, while none has been given).
    pub can_dispose_root: bool,
    /// Positions the viewer may dispose to, for the root and for each node they may forward,
    /// keyed by the giving position.
    pub choices: Vec<(String, Vec<PositionChoice>)>,
    /// The position the viewer gives the first disposition as.
    pub root_position_id: Option<String>,
    pub can_archive: bool,
    pub whole_tree: bool,
    pub today: i64,
    /// The viewer may draft a reply from this letter (they work in its OPD and hold a position).
    #[serde(default)]
    pub can_reply: bool,
    /// Letters drafted as replies to this one that the viewer may see, newest first.
    #[serde(default)]
    pub replies: Vec<crate::letter_view::ReplyLetter>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parent: Option<&str>, from: &str, to: &str, status: NodeStatus) -> Node {
        Node {
            id: id.into(),
            parent_id: parent.map(Into::into),
            from_position_id: from.into(),
            to_position_id: to.into(),
            status,
            deadline_day: None,
            forwarded: false,
        }
    }

    // Kadis -> (Sekdin, Kabid); Kabid -> Kasi; Kasi -> Staf. Another Kabid2 branch.
    fn org() -> HashMap<String, Option<String>> {
        let mut m = HashMap::new();
        m.insert("kadis".into(), None);
        m.insert("sekdin".into(), Some("kadis".into()));
        m.insert("kabid".into(), Some("kadis".into()));
        m.insert("kabid2".into(), Some("kadis".into()));
        m.insert("kasi".into(), Some("kabid".into()));
        m.insert("kasi2".into(), Some("kabid2".into()));
        m.insert("staf".into(), Some("kasi".into()));
        m
    }

    fn input(recipients: &[(&str, bool)], deadline: &str) -> DisposeInput {
        DisposeInput {
            incoming_id: "i".into(),
            parent_id: None,
            recipients: recipients
                .iter()
                .map(|(p, l)| RecipientInput { position_id: p.to_string(), lead: *l })
                .collect(),
            instructions: vec![Instruction::Selesaikan],
            deadline: deadline.into(),
            note: String::new(),
        }
    }

    #[test]
    fn below_follows_the_superior_chain() {
        let b = positions_below(&org(), "kabid");
        assert_eq!(b, ["kasi", "staf"].into_iter().map(String::from).collect());
        assert_eq!(positions_below(&org(), "kadis").len(), 6);
        assert!(positions_below(&org(), "staf").is_empty());
    }

    #[test]
    fn dispositions_only_go_down_with_sane_deadlines() {
        let today = crate::time::parse_iso_date("2026-12-01").unwrap();
        let below = Targets::of(&org(), "kabid", false);
        let t = HashMap::new();
        // downwards, deadline within the parent's
        let (ins, d) = check_dispose(
            &input(&[("kasi", true)], "2026-12-05"),
            &below,
            &t,
            Some(today + 10),
            today,
        )
        .unwrap();
        assert_eq!(ins, vec![Instruction::Selesaikan]);
        assert_eq!(d, Some(today + 4));
        // no deadline given: the parent's applies
        assert_eq!(
            check_dispose(&input(&[("kasi", false)], ""), &below, &t, Some(today + 10), today)
                .unwrap()
                .1,
            Some(today + 10)
        );
        // upwards or sideways
        assert_eq!(
            check_dispose(&input(&[("kadis", false)], ""), &below, &t, None, today),
            Err(DispositionError::NotBelow("kadis".into()))
        );
        assert_eq!(
            check_dispose(&input(&[("kasi2", false)], ""), &below, &t, None, today),
            Err(DispositionError::NotBelow("kasi2".into()))
        );
        // deadline rules
        assert_eq!(
            check_dispose(&input(&[("kasi", false)], "2026-11-30"), &below, &t, None, today),
            Err(DispositionError::DeadlinePast)
        );
        assert_eq!(
            check_dispose(
                &input(&[("kasi", false)], "2026-12-20"),
                &below,
                &t,
                Some(today + 10),
                today
            ),
            Err(DispositionError::DeadlineAfterParent(today + 10))
        );
        assert_eq!(
            check_dispose(&input(&[("kasi", false)], "bukan tanggal"), &below, &t, None, today),
            Err(DispositionError::DeadlinePast)
        );
        // a parent deadline already past may be inherited (the child is simply overdue) but not chosen anew
        assert_eq!(
            check_dispose(&input(&[("kasi", false)], ""), &below, &t, Some(today - 2), today)
                .unwrap()
                .1,
            Some(today - 2)
        );
        // recipients
        assert_eq!(
            check_dispose(&input(&[], ""), &below, &t, None, today),
            Err(DispositionError::NoRecipient)
        );
        assert_eq!(
            check_dispose(&input(&[("kasi", false), ("kasi", false)], ""), &below, &t, None, today),
            Err(DispositionError::DuplicateRecipient("kasi".into()))
        );
        assert_eq!(
            check_dispose(&input(&[("kasi", true), ("staf", true)], ""), &below, &t, None, today),
            Err(DispositionError::MoreThanOneLead)
        );
        let mut no_ins = input(&[("kasi", false)], "");
        no_ins.instructions = vec![];
        assert_eq!(
            check_dispose(&no_ins, &below, &t, None, today),
            Err(DispositionError::NoInstruction)
        );
        let mut long = input(&[("kasi", false)], "");
        long.note = "x".repeat(MAX_NOTE + 1);
        assert_eq!(
            check_dispose(&long, &below, &t, None, today),
            Err(DispositionError::NoteTooLong)
        );
    }

    #[test]
    fn peers_only_where_the_opd_allows_them() {
        let today = crate::time::parse_iso_date("2026-12-01").unwrap();
        let t: HashMap<String, String> =
            [("kabid2".to_string(), "Kepala Bidang Dua".to_string())].into_iter().collect();
        assert_eq!(
            peers_of(&org(), "kabid"),
            ["sekdin", "kabid2"].into_iter().map(String::from).collect()
        );
        assert!(peers_of(&org(), "kadis").is_empty(), "the head has no peers in the OPD");
        assert!(peers_of(&org(), "staf").is_empty(), "the only staff of a Kasi has no peers");
        // not allowed: sideways is refused with the downward-only message
        let closed = Targets::of(&org(), "kabid", false);
        assert!(closed.peers.is_empty());
        assert_eq!(
            check_dispose(&input(&[("kabid2", false)], ""), &closed, &t, None, today),
            Err(DispositionError::NotBelow("Kepala Bidang Dua".into()))
        );
        // allowed: a peer and someone below together; still never upwards or to a peer's staff
        let open = Targets::of(&org(), "kabid", true);
        assert!(
            check_dispose(&input(&[("kabid2", true), ("kasi", false)], ""), &open, &t, None, today)
                .is_ok()
        );
        assert_eq!(
            check_dispose(&input(&[("kadis", false)], ""), &open, &t, None, today),
            Err(DispositionError::NotBelowOrPeer("kadis".into()))
        );
        assert_eq!(
            check_dispose(&input(&[("kasi2", false)], ""), &open, &t, None, today),
            Err(DispositionError::NotBelowOrPeer("kasi2".into()))
        );
        assert_eq!(
            check_dispose(&input(&[("kabid", false)], ""), &open, &t, None, today),
            Err(DispositionError::NotBelowOrPeer("kabid".into()))
        );
    }

    #[test]
    fn forwarding_reporting_and_review() {
        let mut n = node("a", None, "kadis", "kabid", NodeStatus::Open);
        assert!(check_forward(&n).is_ok());
        n.forwarded = true;
        assert_eq!(check_forward(&n), Err(DispositionError::AlreadyForwarded));
        let child = node("b", Some("a"), "kabid", "kasi", NodeStatus::Open);
        let nodes = vec![n.clone(), child.clone()];
        // a parent reports only when every child is done
        assert_eq!(
            check_report(&n, &nodes, "sudah", false),
            Err(DispositionError::ChildrenOpen(1))
        );
        assert_eq!(check_report(&child, &nodes, "  ", false), Err(DispositionError::EmptyReport));
        assert!(check_report(&child, &nodes, "", true).is_ok());
        assert!(check_report(&child, &nodes, "Sudah dikoordinasikan", false).is_ok());
        let mut reported = child.clone();
        reported.status = NodeStatus::Reported;
        assert_eq!(
            check_report(&reported, &nodes, "lagi", false),
            Err(DispositionError::AlreadyReported)
        );
        assert_eq!(check_forward(&reported), Err(DispositionError::BranchClosed));
        // review
        assert_eq!(check_review(&child, true, ""), Err(DispositionError::NotReported));
        assert_eq!(check_review(&reported, true, ""), Ok(NodeStatus::Done));
        assert_eq!(check_review(&reported, false, " "), Err(DispositionError::ReturnWithoutNote));
        assert_eq!(check_review(&reported, false, "Lengkapi data"), Ok(NodeStatus::Open));
        let mut done = reported.clone();
        done.status = NodeStatus::Done;
        assert_eq!(check_review(&done, true, ""), Err(DispositionError::NotReported));
        let nodes = vec![n.clone(), done];
        assert!(check_report(&n, &nodes, "Selesai", false).is_ok());
        assert!(!tree_complete(&nodes));
        let mut all_done = nodes.clone();
        all_done[0].status = NodeStatus::Done;
        assert!(tree_complete(&all_done));
        assert!(tree_complete(&[]));
    }

    #[test]
    fn overdue_is_past_deadline_and_not_done() {
        assert!(overdue(NodeStatus::Open, Some(9), 10));
        assert!(overdue(NodeStatus::Reported, Some(9), 10));
        assert!(!overdue(NodeStatus::Done, Some(9), 10));
        assert!(!overdue(NodeStatus::Open, Some(10), 10));
        assert!(!overdue(NodeStatus::Open, None, 10));
    }

    #[test]
    fn each_viewer_sees_their_branch_and_below() {
        let nodes = vec![
            node("1", None, "kadis", "sekdin", NodeStatus::Open),
            node("2", None, "kadis", "kabid", NodeStatus::Open),
            node("3", Some("2"), "kabid", "kasi", NodeStatus::Open),
            node("4", Some("3"), "kasi", "staf", NodeStatus::Open),
        ];
        let o = org();
        let viewer = |p: &str| Viewer {
            positions: [p.to_string()].into(),
            below: positions_below(&o, p),
            whole_tree: false,
        };
        assert_eq!(visible_nodes(&nodes, &viewer("kasi")), vec![false, false, true, true]);
        assert_eq!(visible_nodes(&nodes, &viewer("staf")), vec![false, false, false, true]);
        assert_eq!(visible_nodes(&nodes, &viewer("kabid")), vec![false, true, true, true]);
        assert_eq!(visible_nodes(&nodes, &viewer("sekdin")), vec![true, false, false, false]);
        // kabid2 is a peer branch: sees nothing
        assert_eq!(visible_nodes(&nodes, &viewer("kabid2")), vec![false; 4]);
        let top = Viewer { whole_tree: true, ..Default::default() };
        assert_eq!(visible_nodes(&nodes, &top), vec![true; 4]);
        // confidential letters: only those in the tree (or above it, or who registered it)
        assert!(may_open(Sifat::Rahasia, &nodes, &viewer("staf"), false, false));
        assert!(!may_open(Sifat::Rahasia, &nodes, &viewer("kabid2"), false, true));
        assert!(may_open(Sifat::Biasa, &nodes, &viewer("kabid2"), false, true));
        assert!(!may_open(Sifat::Biasa, &nodes, &viewer("kabid2"), false, false));
        assert!(may_open(Sifat::SangatRahasia, &nodes, &viewer("kabid2"), true, false));
    }

    #[test]
    fn duplicate_key_ignores_case_and_spacing() {
        assert_eq!(
            duplicate_key("Dinas  Pendidikan ", "005/12/ 2026", 5),
            duplicate_key("dinas pendidikan", "005/12/2026", 5)
        );
        assert_ne!(
            duplicate_key("Dinas Pendidikan", "005/12/2026", 5),
            duplicate_key("Dinas Pendidikan", "005/12/2026", 6)
        );
    }

    #[test]
    fn registration_fields() {
        let today = crate::time::parse_iso_date("2026-12-01").unwrap();
        let ok = RegisterInput {
            client_id: "c1".into(),
            received: "2026-12-01".into(),
            sender_name: "Dinas Pendidikan".into(),
            letter_number: "005/1/2026".into(),
            letter_date: "2026-11-28".into(),
            sifat: Sifat::Biasa,
            urgency: Urgency::Segera,
            subject: "Undangan rapat".into(),
            ..Default::default()
        };
        assert!(check_register(&ok, today).is_ok());
        let bad = |f: &dyn Fn(&mut RegisterInput)| {
            let mut i = ok.clone();
            f(&mut i);
            check_register(&i, today).unwrap_err()
        };
        assert!(bad(&|i| i.received = "2026-12-02".into()).contains("setelah hari ini"));
        assert!(bad(&|i| i.letter_date = "2026-12-01x".into()).contains("tanggal surat"));
        assert!(bad(&|i| i.letter_date = "2026-12-02".into()).contains("setelah tanggal diterima"));
        assert!(bad(&|i| i.sender_name = " ".into()).contains("asal surat"));
        assert!(bad(&|i| i.letter_number = "".into()).contains("nomor surat"));
        assert!(bad(&|i| i.subject = "a".repeat(MAX_SUBJECT + 1)).contains("Hal"));
        assert!(bad(&|i| i.attachment_count = -1).contains("lampiran"));
        assert!(bad(&|i| i.client_id = String::new()).contains("muat ulang"));
    }
}
