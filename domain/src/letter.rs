//! Outgoing letters (surat keluar): kinds, classes, the approval chain and its state machine,
//! and the letter number format. Pure rules; the store and the UI follow them.

use crate::Code;
use crate::org::PositionLevel;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

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
pub enum LetterKind {
    SuratDinas,
    NotaDinas,
    SuratUndangan,
    SuratEdaran,
    SuratTugas,
    SuratKeterangan,
    Pengumuman,
}

impl Code for LetterKind {}

impl LetterKind {
    pub fn label(self) -> &'static str {
        match self {
            LetterKind::SuratDinas => "Surat Dinas",
            LetterKind::NotaDinas => "Nota Dinas",
            LetterKind::SuratUndangan => "Surat Undangan",
            LetterKind::SuratEdaran => "Surat Edaran",
            LetterKind::SuratTugas => "Surat Tugas",
            LetterKind::SuratKeterangan => "Surat Keterangan",
            LetterKind::Pengumuman => "Pengumuman",
        }
    }
    /// May an official below the head sign this kind "a.n." (atas nama) the head?
    pub fn allows_on_behalf(self) -> bool {
        !matches!(self, LetterKind::SuratEdaran | LetterKind::Pengumuman)
    }
}

/// Security class. Rahasia and above are visible only to the people who handle or receive the letter.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
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
pub enum Sifat {
    #[default]
    Biasa,
    Terbatas,
    Rahasia,
    SangatRahasia,
}

impl Code for Sifat {}

impl Sifat {
    pub fn label(self) -> &'static str {
        match self {
            Sifat::Biasa => "Biasa",
            Sifat::Terbatas => "Terbatas",
            Sifat::Rahasia => "Rahasia",
            Sifat::SangatRahasia => "Sangat Rahasia",
        }
    }
    pub fn is_confidential(self) -> bool {
        self >= Sifat::Rahasia
    }
}

#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
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
pub enum Urgency {
    #[default]
    Biasa,
    Segera,
    SangatSegera,
}

impl Code for Urgency {}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Biasa => "Biasa",
            Urgency::Segera => "Segera",
            Urgency::SangatSegera => "Sangat Segera",
        }
    }
}

/// How the signer signs: as the head, or on the head's behalf ("a.n.").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignMode {
    Head,
    OnBehalf,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("Penanda tangan harus atasan (langsung atau tidak langsung) dari penyusun surat.")]
    SignerNotAbove,
    #[error("Jabatan ini tidak dapat menandatangani surat ini.")]
    SignerNotAllowed,
    #[error("Jenis surat ini harus ditandatangani oleh Kepala OPD.")]
    HeadOnly,
    #[error("Penyusun surat belum memiliki jabatan.")]
    NoPosition,
}

/// Decides whether a position of `level` (head of the OPD or not) may sign a letter of `kind`.
pub fn sign_mode(kind: LetterKind, level: PositionLevel) -> Result<SignMode, ChainError> {
    match level {
        PositionLevel::KepalaOpd => Ok(SignMode::Head),
        PositionLevel::Sekretaris | PositionLevel::KepalaBidang if kind.allows_on_behalf() => {
            Ok(SignMode::OnBehalf)
        }
        PositionLevel::Sekretaris | PositionLevel::KepalaBidang => Err(ChainError::HeadOnly),
        _ => Err(ChainError::SignerNotAllowed),
    }
}

/// The reviewers (paraf) between the drafter and the signer, in order, derived from the direct-superior map.
/// A letter drafted by someone directly below the signer has no reviewers; a signer who drafts
/// their own letter has none either.
pub fn derive_chain(
    superiors: &HashMap<String, Option<String>>,
    drafter_position: &str,
    signer_position: &str,
) -> Result<Vec<String>, ChainError> {
    if drafter_position == signer_position {
        return Ok(vec![]);
    }
    let mut chain = Vec::new();
    let mut cur = superiors.get(drafter_position).cloned().flatten();
    while let Some(p) = cur {
        if p == signer_position {
            return Ok(chain);
        }
        if chain.len() > 32 || chain.contains(&p) {
            break;
        }
        chain.push(p.clone());
        cur = superiors.get(&p).cloned().flatten();
    }
    Err(ChainError::SignerNotAbove)
}

/// The Sekretaris initials (paraf koordinasi) every letter the head signs, just before the head,
/// unless the letter already passes through the Sekretaris or comes from the Sekretaris or the head.
pub fn with_secretary_paraf(
    mut chain: Vec<String>,
    secretary: Option<&str>,
    drafter_position: &str,
    signer_is_head: bool,
    signer_position: &str,
) -> Vec<String> {
    if let Some(sek) = secretary
        && signer_is_head
        && sek != drafter_position
        && sek != signer_position
        && !chain.iter().any(|p| p == sek)
    {
        chain.push(sek.to_string());
    }
    chain
}

/// The starting text of a new letter of each type, in the compose form's markup: the usual
/// opening, the parts the type needs (an invitation's when-and-where table, an assignment's
/// list of names) and the closing, with dots where the drafter fills in.
pub fn template_body(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::SuratDinas => {
            "Dengan hormat,\n\nSehubungan dengan ..., bersama ini kami sampaikan ...\n\nDemikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
        }
        LetterKind::NotaDinas => {
            "Dengan hormat,\n\nBersama ini kami laporkan/sampaikan ...\n\nDemikian untuk menjadi maklum."
        }
        LetterKind::SuratUndangan => {
            "Dengan hormat,\n\nDalam rangka ..., kami mengundang Saudara untuk hadir pada:\n\n| Keterangan | Rincian |\n| Hari/tanggal | ... |\n| Pukul | ... WIB |\n| Tempat | ... |\n| Acara | ... |\n\nMengingat pentingnya acara tersebut, dimohon hadir tepat waktu. Atas perhatian Saudara diucapkan terima kasih."
        }
        LetterKind::SuratEdaran => {
            "Dalam rangka ..., dengan ini disampaikan hal-hal sebagai berikut:\n1. ...;\n2. ...\n\nDemikian Surat Edaran ini untuk dilaksanakan sebagaimana mestinya."
        }
        LetterKind::SuratTugas => {
            "Dasar: ...\n\nMenugaskan kepada:\n\n| No | Nama | NIP | Jabatan |\n| 1 | ... | ... | ... |\n\nUntuk: ...\n\nDemikian surat tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab."
        }
        LetterKind::SuratKeterangan => {
            "Yang bertanda tangan di bawah ini menerangkan bahwa:\n\n| Keterangan | Rincian |\n| Nama | ... |\n| NIP | ... |\n| Jabatan | ... |\n\nadalah benar ...\n\nDemikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."
        }
        LetterKind::Pengumuman => {
            "Diberitahukan kepada ..., bahwa ...\n\nDemikian pengumuman ini disampaikan untuk diketahui."
        }
    }
}

/// The body a reply starts with ("Buat surat balasan"): the usual opening that cites the letter
/// answered, built as blocks so the cited subject is never read as formatting.
pub fn reply_body(
    letter_number: &str,
    letter_day: i64,
    subject: &str,
) -> crate::letter_body::LetterBody {
    use crate::letter_body::{Block, LetterBody, Span};
    let para = |t: String| Block::Paragraph(vec![Span { text: t, ..Default::default() }]);
    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    LetterBody {
        blocks: vec![
            para("Dengan hormat,".into()),
            para(format!(
                "Menindaklanjuti surat Saudara nomor {} tanggal {} perihal {}, bersama ini kami sampaikan ...",
                letter_number.trim(),
                crate::time::long_date(letter_day, crate::Lang::Id),
                subject
            )),
            para(
                "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
                    .into(),
            ),
        ],
    }
}

/// Where a returned letter starts again when the drafter resubmits it (configurable per Pemda).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestartPolicy {
    /// Every reviewer initials the revised letter again.
    FromFirstReviewer,
    /// The letter goes straight back to whoever returned it.
    FromReturner,
}

/// The state of an outgoing letter. `step` indexes the reviewer chain; `chain_len` reviewers precede the signer.
/// Its code (strum) is stored beside the step, see [`LetterState::to_parts`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Display, EnumString, IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum LetterState {
    /// Being written (or revised) by the drafter.
    Draft,
    /// Waiting for the paraf of reviewer `step`.
    Review { step: usize },
    /// Sent back to the drafter; `by_step` is the reviewer index, or `chain_len` for the signer.
    Returned { by_step: usize },
    /// Waiting for the signer.
    Signing,
    /// Numbered and signed by the signer; waiting for the co-signer's second signature (an
    /// incremental update of the stored PDF). Delivered only when that signature is added.
    CoSigning,
    /// Signed (by every signer) and numbered; delivered internally at once.
    Signed,
    /// External copy marked as sent.
    Sent,
    /// Withdrawn by the drafter before signing.
    Withdrawn,
}

impl LetterState {
    pub fn code(self) -> &'static str {
        self.into()
    }
    pub fn label(self) -> &'static str {
        match self {
            LetterState::Draft => "Draf",
            LetterState::Review { .. } => "Menunggu paraf",
            LetterState::Returned { .. } => "Dikembalikan",
            LetterState::Signing => "Menunggu tanda tangan",
            LetterState::CoSigning => "Menunggu TTE kedua",
            LetterState::Signed => "Ditandatangani",
            LetterState::Sent => "Terkirim",
            LetterState::Withdrawn => "Ditarik",
        }
    }
    /// Encodes to (code, step) for storage; step is -1 where it has no meaning.
    pub fn to_parts(self) -> (&'static str, i64) {
        let step = match self {
            LetterState::Review { step } => step as i64,
            LetterState::Returned { by_step } => by_step as i64,
            _ => -1,
        };
        (self.code(), step)
    }
    pub fn from_parts(code: &str, step: i64) -> Option<LetterState> {
        let s = usize::try_from(step).ok();
        Some(match code.parse().ok()? {
            LetterState::Review { .. } => LetterState::Review { step: s? },
            LetterState::Returned { .. } => LetterState::Returned { by_step: s? },
            other => other,
        })
    }
    /// Can the drafter still edit the text?
    pub fn drafter_may_edit(self) -> bool {
        matches!(self, LetterState::Draft | LetterState::Returned { .. })
    }
    pub fn is_final(self) -> bool {
        matches!(self, LetterState::Signed | LetterState::Sent | LetterState::Withdrawn)
    }
}

/// Who is acting, relative to this letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Drafter,
    /// The reviewer at this index of the chain (or someone acting for that position).
    Reviewer(usize),
    Signer,
    /// The second signer of a co-signed letter (or someone acting for that position).
    CoSigner,
    /// The records clerk (for marking external delivery).
    Clerk,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Submit,
    /// Paraf: approve and pass upward.
    Approve,
    /// Return to the drafter; the note is mandatory. From the co-signer it is a refusal: the
    /// letter goes back to the drafter and the number given at the first signature becomes void.
    Return {
        note: String,
    },
    /// The signer's signature, or the co-signer's second one.
    Sign,
    MarkSent,
    Withdraw,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Surat ini tidak sedang menunggu tindakan Anda.")]
    NotYourTurn,
    #[error("Catatan wajib diisi saat mengembalikan surat.")]
    NoteRequired,
    #[error("Tindakan ini tidak dapat dilakukan pada surat berstatus {0}.")]
    NotAllowed(&'static str),
}

/// The one transition function: every legal move of a letter, and a refusal for everything else.
/// `chain_len` reviewers precede the signer; `co_signed` says whether a co-signer signs after the
/// signer (then the signer's signature leads to [`LetterState::CoSigning`], not to `Signed`).
pub fn transition(
    state: LetterState,
    chain_len: usize,
    co_signed: bool,
    restart: RestartPolicy,
    actor: Actor,
    action: &Action,
) -> Result<LetterState, TransitionError> {
    use Action::*;
    use LetterState::*;
    let first_stop = |from: usize| if from < chain_len { Review { step: from } } else { Signing };
    match (state, action) {
        (Draft, Submit) => match actor {
            Actor::Drafter => Ok(first_stop(0)),
            _ => Err(TransitionError::NotYourTurn),
        },
        (Returned { by_step }, Submit) => match actor {
            Actor::Drafter => Ok(match restart {
                RestartPolicy::FromFirstReviewer => first_stop(0),
                RestartPolicy::FromReturner => first_stop(by_step),
            }),
            _ => Err(TransitionError::NotYourTurn),
        },
        (Review { step }, Approve) => match actor {
            Actor::Reviewer(i) if i == step => Ok(first_stop(step + 1)),
            _ => Err(TransitionError::NotYourTurn),
        },
        (Review { step }, Return { note }) => match actor {
            Actor::Reviewer(i) if i == step => {
                if note.trim().is_empty() {
                    Err(TransitionError::NoteRequired)
                } else {
                    Ok(Returned { by_step: step })
                }
            }
            _ => Err(TransitionError::NotYourTurn),
        },
        (Signing, Return { note }) => match actor {
            Actor::Signer if note.trim().is_empty() => Err(TransitionError::NoteRequired),
            Actor::Signer => Ok(Returned { by_step: chain_len }),
            _ => Err(TransitionError::NotYourTurn),
        },
        (Signing, Sign) => match actor {
            Actor::Signer if co_signed => Ok(CoSigning),
            Actor::Signer => Ok(Signed),
            _ => Err(TransitionError::NotYourTurn),
        },
        (CoSigning, Sign) => match actor {
            Actor::CoSigner => Ok(Signed),
            _ => Err(TransitionError::NotYourTurn),
        },
        // The co-signer refuses: back to the drafter as if the signer had returned it, so a
        // resubmission restarting "from the returner" goes to the signer, who must sign anew.
        (CoSigning, Return { note }) => match actor {
            Actor::CoSigner if note.trim().is_empty() => Err(TransitionError::NoteRequired),
            Actor::CoSigner => Ok(Returned { by_step: chain_len }),
            _ => Err(TransitionError::NotYourTurn),
        },
        (Signed, MarkSent) => match actor {
            Actor::Clerk | Actor::Drafter => Ok(Sent),
            _ => Err(TransitionError::NotYourTurn),
        },
        // Withdrawing while the co-signer has not signed voids the number already given.
        (Draft | Returned { .. } | Review { .. } | Signing | CoSigning, Withdraw) => match actor {
            Actor::Drafter => Ok(Withdrawn),
            _ => Err(TransitionError::NotYourTurn),
        },
        (s, _) => Err(TransitionError::NotAllowed(s.label())),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberFormatError {
    #[error("Format nomor harus memuat {{urut}}.")]
    MissingSequence,
    #[error("Format nomor memuat bagian yang tidak dikenal: {0}.")]
    UnknownPart(String),
}

pub const DEFAULT_NUMBER_FORMAT: &str = "{klasifikasi}/{urut}/{kode_unit}/{tahun}";

/// Checks a Pemda's number format: known placeholders only, and the sequence must appear.
pub fn check_number_format(format: &str) -> Result<(), NumberFormatError> {
    let mut rest = format;
    let mut has_seq = false;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| NumberFormatError::UnknownPart(rest[start..].to_string()))?
            + start;
        match &rest[start + 1..end] {
            "urut" => has_seq = true,
            "klasifikasi" | "kode_unit" | "tahun" | "bulan_romawi" => {}
            other => return Err(NumberFormatError::UnknownPart(format!("{{{other}}}"))),
        }
        rest = &rest[end + 1..];
    }
    if has_seq { Ok(()) } else { Err(NumberFormatError::MissingSequence) }
}

const ROMAN_MONTHS: [&str; 12] =
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/// Renders a letter number, e.g. `000.5.6.2/15/412.208/2026`.
pub fn format_number(
    format: &str,
    klasifikasi: &str,
    sequence: i64,
    unit_code: &str,
    year: i64,
    month: u32,
) -> String {
    format
        .replace("{klasifikasi}", klasifikasi)
        .replace("{urut}", &sequence.to_string())
        .replace("{kode_unit}", unit_code)
        .replace("{tahun}", &year.to_string())
        .replace(
            "{bulan_romawi}",
            ROMAN_MONTHS.get(month.saturating_sub(1) as usize).copied().unwrap_or(""),
        )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reply_cites_the_letter_it_answers_without_reading_formatting() {
        let day = crate::time::parse_iso_date("2026-11-27").unwrap();
        let b = reply_body(" 005/12/2026 ", day, "Undangan *rapat*\n| koordinasi");
        assert_eq!(b.blocks.len(), 3);
        let lines = b.plain_lines();
        assert_eq!(lines[0], "Dengan hormat,");
        assert!(lines[1].starts_with("Menindaklanjuti surat Saudara nomor 005/12/2026 tanggal 27 November 2026 perihal Undangan *rapat* | koordinasi,"), "{}", lines[1]);
        assert!(b.validate().is_ok());
    }

    use super::*;
    use Action::*;
    use LetterState::*;

    const N: usize = 3; // Kasi, Kabid, Sekdin before the Kepala Dinas.
    const F: RestartPolicy = RestartPolicy::FromFirstReviewer;

    fn ret(note: &str) -> Action {
        Return { note: note.into() }
    }

    #[test]
    fn the_seed_story_walks_the_chain() {
        let mut s = transition(Draft, N, false, F, Actor::Drafter, &Submit).unwrap();
        assert_eq!(s, Review { step: 0 });
        s = transition(s, N, false, F, Actor::Reviewer(0), &ret("Perbaiki paragraf kedua"))
            .unwrap();
        assert_eq!(s, Returned { by_step: 0 });
        assert!(s.drafter_may_edit());
        s = transition(s, N, false, F, Actor::Drafter, &Submit).unwrap();
        for i in 0..N {
            assert_eq!(s, Review { step: i });
            s = transition(s, N, false, F, Actor::Reviewer(i), &Approve).unwrap();
        }
        assert_eq!(s, Signing);
        s = transition(s, N, false, F, Actor::Signer, &Sign).unwrap();
        assert_eq!(s, Signed);
        assert_eq!(transition(s, N, false, F, Actor::Clerk, &MarkSent), Ok(Sent));
    }

    #[test]
    fn restart_policies() {
        let returned = Returned { by_step: 2 };
        assert_eq!(
            transition(
                returned,
                N,
                false,
                RestartPolicy::FromFirstReviewer,
                Actor::Drafter,
                &Submit
            ),
            Ok(Review { step: 0 })
        );
        assert_eq!(
            transition(returned, N, false, RestartPolicy::FromReturner, Actor::Drafter, &Submit),
            Ok(Review { step: 2 })
        );
        let by_signer =
            transition(Signing, N, false, F, Actor::Signer, &ret("Ganti tanggal")).unwrap();
        assert_eq!(by_signer, Returned { by_step: N });
        assert_eq!(
            transition(by_signer, N, false, RestartPolicy::FromReturner, Actor::Drafter, &Submit),
            Ok(Signing)
        );
    }

    #[test]
    fn empty_chain_goes_straight_to_the_signer() {
        assert_eq!(transition(Draft, 0, false, F, Actor::Drafter, &Submit), Ok(Signing));
    }

    #[test]
    fn only_the_current_reviewer_acts() {
        let s = Review { step: 1 };
        assert_eq!(
            transition(s, N, false, F, Actor::Reviewer(0), &Approve),
            Err(TransitionError::NotYourTurn)
        );
        assert_eq!(
            transition(s, N, false, F, Actor::Reviewer(2), &Approve),
            Err(TransitionError::NotYourTurn)
        );
        assert_eq!(
            transition(s, N, false, F, Actor::Signer, &Approve),
            Err(TransitionError::NotYourTurn)
        );
        assert_eq!(
            transition(s, N, false, F, Actor::Drafter, &Approve),
            Err(TransitionError::NotYourTurn)
        );
        assert_eq!(
            transition(s, N, false, F, Actor::Reviewer(1), &Approve),
            Ok(Review { step: 2 })
        );
    }

    #[test]
    fn returning_needs_a_note() {
        assert_eq!(
            transition(Review { step: 0 }, N, false, F, Actor::Reviewer(0), &ret("  ")),
            Err(TransitionError::NoteRequired)
        );
        assert_eq!(
            transition(Signing, N, false, F, Actor::Signer, &ret("")),
            Err(TransitionError::NoteRequired)
        );
    }

    #[test]
    fn every_illegal_pair_is_refused() {
        let states = [
            Draft,
            Review { step: 0 },
            Review { step: 2 },
            Returned { by_step: 1 },
            Signing,
            CoSigning,
            Signed,
            Sent,
            Withdrawn,
        ];
        let actions = [Submit, Approve, ret("catatan"), Sign, MarkSent, Withdraw];
        let actors = [
            Actor::Drafter,
            Actor::Reviewer(0),
            Actor::Reviewer(2),
            Actor::Signer,
            Actor::CoSigner,
            Actor::Clerk,
        ];
        // A letter without a co-signer never reaches CoSigning; the table is the same for both
        // kinds of letter except where the signer's signature leads.
        let legal = |s: LetterState, a: &Action, who: Actor| -> bool {
            match (s, a, who) {
                (Draft | Returned { .. }, Submit, Actor::Drafter) => true,
                (Review { step }, Approve | Return { .. }, Actor::Reviewer(i)) => i == step,
                (Signing, Sign | Return { .. }, Actor::Signer) => true,
                (CoSigning, Sign | Return { .. }, Actor::CoSigner) => true,
                (Signed, MarkSent, Actor::Clerk | Actor::Drafter) => true,
                (
                    Draft | Returned { .. } | Review { .. } | Signing | CoSigning,
                    Withdraw,
                    Actor::Drafter,
                ) => true,
                _ => false,
            }
        };
        let mut checked = 0;
        for co_signed in [false, true] {
            for s in states {
                for a in &actions {
                    for who in actors {
                        let r = transition(s, N, co_signed, F, who, a);
                        assert_eq!(
                            r.is_ok(),
                            legal(s, a, who),
                            "{s:?} {a:?} by {who:?} (co-signed {co_signed}) gave {r:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 9 * 6 * 6);
        // Final states accept nothing but what the table allows.
        assert!(matches!(
            transition(Withdrawn, N, false, F, Actor::Drafter, &Submit),
            Err(TransitionError::NotAllowed("Ditarik"))
        ));
        assert!(matches!(
            transition(Signed, N, false, F, Actor::Signer, &Sign),
            Err(TransitionError::NotAllowed(_))
        ));
        // Not the co-signer's turn before the signer has signed, nor the signer's a second time.
        assert_eq!(
            transition(Signing, N, true, F, Actor::CoSigner, &Sign),
            Err(TransitionError::NotYourTurn)
        );
        assert_eq!(
            transition(CoSigning, N, true, F, Actor::Signer, &Sign),
            Err(TransitionError::NotYourTurn)
        );
        assert_eq!(
            transition(CoSigning, N, true, F, Actor::Signer, &ret("batal")),
            Err(TransitionError::NotYourTurn)
        );
        assert_eq!(
            transition(CoSigning, N, true, F, Actor::Reviewer(0), &Approve),
            Err(TransitionError::NotAllowed("Menunggu TTE kedua"))
        );
        assert_eq!(
            transition(CoSigning, N, true, F, Actor::Clerk, &MarkSent),
            Err(TransitionError::NotAllowed("Menunggu TTE kedua"))
        );
    }

    #[test]
    fn a_co_signed_letter_waits_for_the_second_signature() {
        let mut s = transition(Draft, N, true, F, Actor::Drafter, &Submit).unwrap();
        for i in 0..N {
            s = transition(s, N, true, F, Actor::Reviewer(i), &Approve).unwrap();
        }
        assert_eq!(s, Signing);
        s = transition(s, N, true, F, Actor::Signer, &Sign).unwrap();
        assert_eq!(s, CoSigning);
        assert!(
            !s.is_final() && !s.drafter_may_edit(),
            "signed once: nobody edits the text any more"
        );
        assert_eq!(s.label(), "Menunggu TTE kedua");
        assert_eq!(transition(s, N, true, F, Actor::CoSigner, &Sign), Ok(Signed));
        // Without a co-signer the signer's signature completes the letter, as before.
        assert_eq!(transition(Signing, N, false, F, Actor::Signer, &Sign), Ok(Signed));
    }

    #[test]
    fn the_co_signer_may_refuse_with_a_note() {
        assert_eq!(
            transition(CoSigning, N, true, F, Actor::CoSigner, &ret(" ")),
            Err(TransitionError::NoteRequired)
        );
        let back =
            transition(CoSigning, N, true, F, Actor::CoSigner, &ret("Data Bappeda belum sesuai"))
                .unwrap();
        assert_eq!(back, Returned { by_step: N });
        assert!(back.drafter_may_edit());
        // Resubmitted: either the whole chain again, or straight to the signer, who signs anew
        // (with a new number) before the co-signer sees it again.
        assert_eq!(
            transition(back, N, true, RestartPolicy::FromFirstReviewer, Actor::Drafter, &Submit),
            Ok(Review { step: 0 })
        );
        assert_eq!(
            transition(back, N, true, RestartPolicy::FromReturner, Actor::Drafter, &Submit),
            Ok(Signing)
        );
        // The drafter may also withdraw a letter the co-signer has not signed yet.
        assert_eq!(transition(CoSigning, N, true, F, Actor::Drafter, &Withdraw), Ok(Withdrawn));
    }

    #[test]
    fn state_storage_round_trips() {
        for s in [
            Draft,
            Review { step: 3 },
            Returned { by_step: 0 },
            Signing,
            CoSigning,
            Signed,
            Sent,
            Withdrawn,
        ] {
            let (c, step) = s.to_parts();
            assert_eq!(LetterState::from_parts(c, step), Some(s));
        }
        assert_eq!(LetterState::from_parts("review", -1), None);
        assert_eq!(LetterState::from_parts("lost", 0), None);
    }

    fn superiors() -> HashMap<String, Option<String>> {
        [
            ("staf", Some("kasi")),
            ("kasi", Some("kabid")),
            ("kabid", Some("kadis")),
            ("sekdin", Some("kadis")),
            ("kadis", None),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.map(str::to_string)))
        .collect()
    }

    #[test]
    fn chains_follow_the_superiors() {
        let s = superiors();
        assert_eq!(derive_chain(&s, "staf", "kadis").unwrap(), vec!["kasi", "kabid"]);
        assert_eq!(
            derive_chain(&s, "staf", "kabid").unwrap(),
            vec!["kasi"],
            "a Kabid signing a.n. shortens the chain"
        );
        assert_eq!(
            derive_chain(&s, "kabid", "kadis").unwrap(),
            Vec::<String>::new(),
            "letters from a Kabid start at the Kabid"
        );
        assert_eq!(derive_chain(&s, "kadis", "kadis").unwrap(), Vec::<String>::new());
        assert_eq!(derive_chain(&s, "staf", "sekdin"), Err(ChainError::SignerNotAbove));
        assert_eq!(derive_chain(&s, "kadis", "staf"), Err(ChainError::SignerNotAbove));
        let v = |x: &[&str]| x.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            with_secretary_paraf(v(&["kasi", "kabid"]), Some("sekdin"), "staf", true, "kadis"),
            v(&["kasi", "kabid", "sekdin"])
        );
        assert_eq!(
            with_secretary_paraf(v(&[]), Some("sekdin"), "kabid", true, "kadis"),
            v(&["sekdin"])
        );
        assert_eq!(
            with_secretary_paraf(v(&[]), Some("sekdin"), "sekdin", true, "kadis"),
            v(&[]),
            "the Sekretaris's own letter"
        );
        assert_eq!(
            with_secretary_paraf(
                v(&["kasubag", "sekdin"]),
                Some("sekdin"),
                "staf_umum",
                true,
                "kadis"
            ),
            v(&["kasubag", "sekdin"]),
            "already in the chain"
        );
        assert_eq!(
            with_secretary_paraf(v(&["kasi"]), Some("sekdin"), "staf", false, "kabid"),
            v(&["kasi"]),
            "a.n. letters of a Kabid"
        );
        assert_eq!(
            with_secretary_paraf(v(&["kasi"]), None, "staf", true, "kadis"),
            v(&["kasi"]),
            "an OPD without a Sekretaris"
        );
        for &k in LetterKind::all() {
            let body = crate::letter_body::LetterBody::from_markup(template_body(k));
            assert_eq!(body.validate(), Ok(()), "{k:?}");
            assert!(!body.is_empty());
        }
        assert!(matches!(
            crate::letter_body::LetterBody::from_markup(template_body(LetterKind::SuratUndangan))
                .blocks[2],
            crate::letter_body::Block::Table(_)
        ));
    }

    #[test]
    fn who_may_sign() {
        assert_eq!(sign_mode(LetterKind::SuratDinas, PositionLevel::KepalaOpd), Ok(SignMode::Head));
        assert_eq!(
            sign_mode(LetterKind::NotaDinas, PositionLevel::KepalaBidang),
            Ok(SignMode::OnBehalf)
        );
        assert_eq!(
            sign_mode(LetterKind::SuratEdaran, PositionLevel::Sekretaris),
            Err(ChainError::HeadOnly)
        );
        assert_eq!(
            sign_mode(LetterKind::SuratDinas, PositionLevel::KepalaSeksi),
            Err(ChainError::SignerNotAllowed)
        );
        assert_eq!(
            sign_mode(LetterKind::SuratDinas, PositionLevel::Staf),
            Err(ChainError::SignerNotAllowed)
        );
    }

    #[test]
    fn codes_round_trip_and_confidentiality() {
        for &k in LetterKind::all() {
            assert_eq!(LetterKind::from_code(k.code()), Some(k));
        }
        for &s in Sifat::all() {
            assert_eq!(Sifat::from_code(s.code()), Some(s));
        }
        for &u in Urgency::all() {
            assert_eq!(Urgency::from_code(u.code()), Some(u));
        }
        assert!(Sifat::Rahasia.is_confidential() && Sifat::SangatRahasia.is_confidential());
        assert!(!Sifat::Terbatas.is_confidential());
    }

    #[test]
    fn numbers() {
        assert_eq!(check_number_format(DEFAULT_NUMBER_FORMAT), Ok(()));
        assert_eq!(
            check_number_format("{klasifikasi}/{kode_unit}/{tahun}"),
            Err(NumberFormatError::MissingSequence)
        );
        assert_eq!(
            check_number_format("{urut}/{bulan}"),
            Err(NumberFormatError::UnknownPart("{bulan}".into()))
        );
        assert!(check_number_format("{urut").is_err());
        assert_eq!(
            format_number(DEFAULT_NUMBER_FORMAT, "000.5.6.2", 15, "412.208", 2026, 11),
            "000.5.6.2/15/412.208/2026"
        );
        assert_eq!(
            format_number("{urut}/{kode_unit}/{bulan_romawi}/{tahun}", "", 7, "412.208", 2026, 11),
            "7/412.208/XI/2026"
        );
    }
}

/// How a recipient is addressed: Yth. (to) or tembusan (cc).
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
pub enum RecipientRole {
    To,
    Cc,
}

impl Code for RecipientRole {}

/// What a recipient is: an OPD, a unit or a person from the directory, or external (free text).
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
pub enum TargetType {
    Opd,
    Unit,
    Employee,
    External,
}

impl Code for TargetType {}

/// What the history of a letter records (the `letter_action` table), one per transition.
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
pub enum ActionKind {
    Submit,
    Paraf,
    Return,
    Sign,
    /// The co-signer's second signature.
    Cosign,
    Sent,
    Withdraw,
    /// A leader's reminder from the dashboard (kept in `intervention`, shown in the history).
    Remind,
    /// A leader moved the letter past a paraf that was not given, from the dashboard.
    Escalate,
}

impl Code for ActionKind {}

impl ActionKind {
    /// The record of `action` taken by someone in `role`.
    pub fn of(action: &Action, role: Actor) -> ActionKind {
        match action {
            Action::Submit => ActionKind::Submit,
            Action::Approve => ActionKind::Paraf,
            Action::Return { .. } => ActionKind::Return,
            Action::Sign if role == Actor::CoSigner => ActionKind::Cosign,
            Action::Sign => ActionKind::Sign,
            Action::MarkSent => ActionKind::Sent,
            Action::Withdraw => ActionKind::Withdraw,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Submit => "Diajukan",
            ActionKind::Paraf => "Diparaf",
            ActionKind::Return => "Dikembalikan",
            ActionKind::Sign => "Ditandatangani",
            ActionKind::Cosign => "Ditandatangani (TTE kedua)",
            ActionKind::Sent => "Ditandai terkirim",
            ActionKind::Withdraw => "Ditarik",
            ActionKind::Remind => "Diingatkan pimpinan",
            ActionKind::Escalate => "Dieskalasi pimpinan (paraf dilewati)",
        }
    }
}

/// A recipient: internal (an OPD, a unit or a person from the directory) or external (free text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub role: RecipientRole,
    pub target_type: TargetType,
    pub target_id: Option<String>,
    pub name: String,
    pub address: String,
}

/// Longest hal of a letter, in characters.
pub const MAX_SUBJECT: usize = 300;

/// Refusal when the co-signer chosen is the signer's own position.
pub const CO_SIGNER_IS_SIGNER: &str =
    "Penanda tangan kedua tidak boleh sama dengan penanda tangan utama.";

/// Everything the drafter writes. Each saved version stores one of these whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LetterDraft {
    pub kind: LetterKind,
    pub klasifikasi: String,
    pub sifat: Sifat,
    pub urgency: Urgency,
    pub subject: String,
    pub attachment_count: i64,
    /// None: the head of the OPD signs.
    pub signer_position_id: Option<String>,
    /// A second official who signs after the signer (e.g. the head of another OPD on a joint
    /// letter), by position: whoever holds it when the signer signs is printed and signs second.
    /// Absent in versions saved before co-signing existed.
    #[serde(default)]
    pub co_signer_position_id: Option<String>,
    pub recipients: Vec<Recipient>,
    pub body: crate::letter_body::LetterBody,
    /// The incoming letter this one answers ("Buat surat balasan"); fixed when the letter is
    /// created, later saves cannot change it. Absent in versions saved before replies existed.
    #[serde(default)]
    pub reply_to_incoming_id: Option<String>,
}

impl LetterDraft {
    /// Checks what can be checked without the database. Messages are for the user.
    pub fn validate(&self) -> Result<(), String> {
        let subject = self.subject.trim();
        if subject.is_empty() {
            return Err("Hal (perihal) surat wajib diisi.".into());
        }
        if subject.chars().count() > MAX_SUBJECT {
            return Err("Hal (perihal) surat maksimal 300 karakter.".into());
        }
        if self.klasifikasi.trim().is_empty() {
            return Err("Pilih kode klasifikasi arsip.".into());
        }
        if !(0..=100).contains(&self.attachment_count) {
            return Err("Jumlah lampiran harus antara 0 dan 100.".into());
        }
        if let Some(co) = &self.co_signer_position_id {
            if co.trim().is_empty() || co.len() > 100 {
                return Err("Pilih penanda tangan kedua dari direktori.".into());
            }
            if self.signer_position_id.as_ref() == Some(co) {
                return Err(CO_SIGNER_IS_SIGNER.into());
            }
        }
        if self.recipients.len() > 500 {
            return Err("Penerima terlalu banyak (maksimal 500).".into());
        }
        for r in &self.recipients {
            if r.name.trim().is_empty()
                || r.name.chars().count() > 300
                || r.address.chars().count() > 500
            {
                return Err("Nama penerima wajib diisi (maksimal 300 karakter), alamat maksimal 500 karakter.".into());
            }
            if (r.target_type == TargetType::External) != r.target_id.is_none() {
                return Err("Penerima internal harus dipilih dari direktori; penerima eksternal ditulis bebas.".into());
            }
        }
        self.body.validate().map_err(|e| e.to_string())
    }

    /// What must be true before the letter can go up the chain.
    pub fn validate_for_submit(&self) -> Result<(), String> {
        self.validate()?;
        if !self.recipients.iter().any(|r| r.role == RecipientRole::To) {
            return Err("Tambahkan paling sedikit satu penerima (Yth.).".into());
        }
        if self.body.is_empty() {
            return Err("Isi surat masih kosong.".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;
    use crate::letter_body::LetterBody;

    pub fn draft() -> LetterDraft {
        LetterDraft {
            kind: LetterKind::SuratDinas,
            klasifikasi: "000.5.6.2".into(),
            sifat: Sifat::Biasa,
            urgency: Urgency::Biasa,
            subject: "Undangan rapat koordinasi".into(),
            attachment_count: 0,
            signer_position_id: None,
            co_signer_position_id: None,
            recipients: vec![Recipient {
                role: RecipientRole::To,
                target_type: TargetType::Opd,
                target_id: Some("bappeda".into()),
                name: "Kepala Bappeda".into(),
                address: String::new(),
            }],
            body: LetterBody::from_plain("Dengan hormat,\n\nKami mengundang Saudara."),
            reply_to_incoming_id: None,
        }
    }

    #[test]
    fn draft_validation() {
        assert_eq!(draft().validate_for_submit(), Ok(()));
        let mut d = draft();
        d.subject = "  ".into();
        assert!(d.validate().unwrap_err().contains("Hal"));
        // An unknown code does not even parse; a stored draft's codes do.
        let mut json = serde_json::to_value(draft()).unwrap();
        assert_eq!(json["kind"], "surat_dinas");
        assert_eq!(json["recipients"][0]["role"], "to");
        assert!(serde_json::from_value::<LetterDraft>(json.clone()).is_ok());
        json["kind"] = "surat_cinta".into();
        assert!(serde_json::from_value::<LetterDraft>(json).is_err());
        let mut d = draft();
        d.recipients[0].target_id = None;
        assert!(d.validate().unwrap_err().contains("direktori"));
        let mut d = draft();
        d.recipients.clear();
        assert_eq!(d.validate(), Ok(()), "a draft may be saved without recipients");
        assert!(d.validate_for_submit().unwrap_err().contains("penerima"));
        let mut d = draft();
        d.body = LetterBody::default();
        assert!(d.validate_for_submit().unwrap_err().contains("kosong"));
        let mut d = draft();
        d.co_signer_position_id = Some("kepala-bappeda".into());
        assert_eq!(d.validate_for_submit(), Ok(()));
        d.signer_position_id = Some("kepala-bappeda".into());
        assert_eq!(d.validate().unwrap_err(), CO_SIGNER_IS_SIGNER);
        d.co_signer_position_id = Some(" ".into());
        assert!(d.validate().unwrap_err().contains("penanda tangan kedua"));
    }

    #[test]
    fn drafts_saved_before_co_signing_still_load() {
        let mut v = serde_json::to_value(draft()).unwrap();
        v.as_object_mut().unwrap().remove("co_signer_position_id");
        let d: LetterDraft = serde_json::from_value(v).unwrap();
        assert_eq!(d.co_signer_position_id, None);
    }
}
