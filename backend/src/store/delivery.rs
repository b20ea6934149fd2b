//! The end of the approval flow: the final document (rendered, then signed by whichever signer is
//! configured) and its delivery into the inboxes of internal recipients as registered incoming mail.

use super::letters::{LetterRow, next_number, record_work};
use super::{Store, WriteTx};
use crate::render::{LetterDocument, SignatureBlock, render_letter_with_info};
use crate::sign::{SignContext, Signing};
use crate::{BackendError, Result, new_id, random_token};
use domain::Code;
use domain::letter::{LetterDraft, LetterKind, RecipientRole, TargetType};
use domain::model::SessionUser;
use domain::org::ActingKind;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::BTreeMap;

/// "Kabupaten Bojonegoro" -> "Bojonegoro": the place printed before the date.
fn place_of(pemda_short: &str) -> String {
    for prefix in ["Kabupaten ", "Kota ", "Provinsi "] {
        if let Some(rest) = pemda_short.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    pemda_short.to_string()
}

fn lampiran_text(n: i64) -> String {
    const WORDS: [&str; 11] = [
        "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
        "sepuluh",
    ];
    match n {
        0 => "-".into(),
        1..=10 => format!("{n} ({}) berkas", WORDS[n as usize]),
        _ => format!("{n} berkas"),
    }
}

/// Who signs and how it is printed.
pub struct SignerInfo {
    pub employee_id: String,
    pub name: String,
    pub nip: String,
    pub position_title: String,
    /// Plt or Plh when the signer acts for the position.
    pub acting: Option<ActingKind>,
    /// Name of the position's OPD in capitals as in the kop, e.g. "BADAN PERENCANAAN PEMBANGUNAN
    /// DAERAH" (the signature's location); filled for co-signers, empty otherwise.
    pub opd_name: String,
}

impl SignerInfo {
    /// The position as printed: "Plt. Kepala Dinas ..." for an acting official.
    pub fn printed_position(&self) -> String {
        match self.acting {
            Some(k) => format!("{} {}", k.prefix(), self.position_title),
            None => self.position_title.clone(),
        }
    }
}

/// A letter as it is signed: its row, the text signed and the number it was given, with the day
/// printed on it.
#[derive(Clone, Copy)]
pub(crate) struct Numbered<'a> {
    pub row: &'a LetterRow,
    pub draft: &'a LetterDraft,
    pub number: &'a str,
    pub letter_day: i64,
}

impl Store {
    /// Every internal recipient must exist and be active in the same Pemda, when saved and again
    /// when submitted and signed (someone may have been removed while the letter waited).
    pub async fn check_recipients(&self, pemda_id: &str, draft: &LetterDraft) -> Result<()> {
        for r in &draft.recipients {
            let Some(target) = r.target_id.as_deref() else { continue };
            let sql = match r.target_type {
                TargetType::Opd => {
                    "SELECT 1 AS ok FROM opd WHERE id = $1 AND pemda_id = $2 AND active = 1"
                }
                TargetType::Unit => {
                    "SELECT 1 AS ok FROM unit u JOIN opd o ON o.id = u.opd_id WHERE u.id = $1 AND o.pemda_id = $2 AND o.active = 1"
                }
                TargetType::Employee => {
                    "SELECT 1 AS ok FROM employee WHERE id = $1 AND pemda_id = $2 AND active = 1"
                }
                _ => continue,
            };
            if sqlx::query(sql)
                .bind(target)
                .bind(pemda_id)
                .fetch_optional(&self.pool)
                .await?
                .is_none()
            {
                return Err(BackendError::invalid(format!(
                    "Penerima \"{}\" tidak ada lagi di direktori (dihapus atau dinonaktifkan). Hapus lalu pilih kembali penerimanya.",
                    r.name.trim()
                )));
            }
        }
        Ok(())
    }

    /// The printed letter for a draft. `number` None gives a preview. `co_signer` adds the second
    /// signature block of a co-signed letter.
    pub async fn letter_document(
        &self,
        l: &LetterRow,
        draft: &LetterDraft,
        number: Option<&str>,
        day: Option<i64>,
        signer: &SignerInfo,
        co_signer: Option<&SignerInfo>,
    ) -> Result<LetterDocument> {
        let opd = self.get_opd(&l.opd_id).await?;
        let pemda = self.get_pemda(&opd.pemda_id).await?;
        let kind = draft.kind;
        let sign_mode: String = sqlx::query("SELECT sign_mode FROM letter WHERE id = $1")
            .bind(&l.id)
            .fetch_one(&self.pool)
            .await?
            .try_get("sign_mode")?;
        let place = place_of(&pemda.short_name);
        let mut above = Vec::new();
        if sign_mode == "an" {
            above.push(format!("a.n. KEPALA {}", opd.name.to_uppercase()));
        }
        let position = signer.printed_position();
        let mut address = opd.address.clone();
        if !opd.phone.is_empty() {
            address.push_str(&format!(", Telepon {}", opd.phone));
        }
        if !opd.email.is_empty() {
            address.push_str(&format!(", Pos-el {}", opd.email));
        }
        let to: Vec<_> = draft.recipients.iter().filter(|r| r.role == RecipientRole::To).collect();
        let recipient_place = match to.as_slice() {
            [one] if !one.address.trim().is_empty() => format!("di {}", one.address.trim()),
            _ => "di Tempat".to_string(),
        };
        Ok(LetterDocument {
            pemda_name: pemda.name.to_uppercase(),
            opd_name: opd.name.to_uppercase(),
            opd_address: address,
            logo: self.opd_logo(&opd.id).await?,
            title: match kind {
                LetterKind::SuratDinas | LetterKind::SuratUndangan => None,
                other => Some(other.label().to_uppercase()),
            },
            number: number.map(str::to_string),
            sifat: draft.sifat.label().to_string(),
            lampiran: lampiran_text(draft.attachment_count),
            hal: draft.subject.trim().to_string(),
            place_date: match day {
                Some(d) => format!("{place}, {}", domain::time::long_date(d, domain::Lang::Id)),
                None => format!("{place},"),
            },
            recipients: to.iter().map(|r| r.name.trim().to_string()).collect(),
            recipient_place,
            body: draft.body.clone(),
            signature: SignatureBlock {
                above,
                position,
                statement: None,
                qr_png: None,
                name: signer.name.clone(),
                rank: None,
                nip: format!("NIP. {}", signer.nip),
            },
            co_signature: co_signer.map(|c| SignatureBlock {
                above: vec![],
                position: c.printed_position(),
                statement: None,
                qr_png: None,
                name: c.name.clone(),
                rank: None,
                nip: if c.nip.is_empty() { String::new() } else { format!("NIP. {}", c.nip) },
            }),
            tembusan: draft
                .recipients
                .iter()
                .filter(|r| r.role == RecipientRole::Cc)
                .map(|r| r.name.trim().to_string())
                .collect(),
            footer_note: None,
            watermark: None,
        })
    }

    /// The person who will sign (for previews: the current holder of the signer position).
    pub async fn signer_info(
        &self,
        position_id: &str,
        user: Option<&SessionUser>,
    ) -> Result<SignerInfo> {
        let pos = self.get_position(position_id).await?;
        if let Some(u) = user
            && let Some(h) = u.positions.iter().find(|h| h.position_id == position_id)
        {
            return Ok(SignerInfo {
                employee_id: u.employee_id.clone(),
                name: u.name.clone(),
                nip: u.nip.clone(),
                position_title: pos.title,
                acting: h.acting_kind,
                opd_name: String::new(),
            });
        }
        let holders = self.holders_of(position_id).await?;
        match holders.first() {
            Some(h) => {
                let e = self.get_employee(&h.id).await?;
                Ok(SignerInfo {
                    employee_id: e.id,
                    name: e.name,
                    nip: e.nip,
                    position_title: pos.title,
                    acting: None,
                    opd_name: String::new(),
                })
            }
            None => Ok(SignerInfo {
                employee_id: String::new(),
                name: "(jabatan kosong)".into(),
                nip: String::new(),
                position_title: pos.title,
                acting: None,
                opd_name: String::new(),
            }),
        }
    }

    /// Everything signing needs from the database, read before the number is taken: once the
    /// transaction holds the number sequence, it must not wait for another pool connection (with
    /// many signings at once on PostgreSQL, that wait would never end).
    pub(crate) async fn prepare_final(
        &self,
        user: &SessionUser,
        l: &LetterRow,
        draft: &LetterDraft,
    ) -> Result<Prepared> {
        let info = self.signer_info(&l.signer_position_id, Some(user)).await?;
        let co_info = match &l.co_signer_position_id {
            Some(p) => {
                Some(self.co_signer_to_print(&user.pemda_id, &l.signer_position_id, p).await?)
            }
            None => None,
        };
        let doc = self.letter_document(l, draft, None, None, &info, co_info.as_ref()).await?;
        let receivers = self.receivers(l, draft).await?;
        Ok(Prepared { info, co_info, doc, receivers })
    }

    /// Who receives the letter: each receiving OPD with its inbox owners, sorted by OPD id.
    pub(crate) async fn receivers(&self, l: &LetterRow, draft: &LetterDraft) -> Result<Receivers> {
        let sender = self.get_opd(&l.opd_id).await?;
        // receiving OPD -> owner key -> role ("to" wins over "cc")
        let mut targets: BTreeMap<String, BTreeMap<String, RecipientRole>> = BTreeMap::new();
        for r in &draft.recipients {
            let Some(target) = r.target_id.as_deref() else { continue };
            let (opd, key) = match r.target_type {
                TargetType::Employee => {
                    let e = self.get_employee(target).await?;
                    (e.opd_id, format!("e:{}", e.id))
                }
                TargetType::Unit => {
                    let u = self.get_unit(target).await?;
                    let head = sqlx::query(
                        "SELECT id FROM position WHERE unit_id = $1 ORDER BY level, id LIMIT 1",
                    )
                    .bind(target)
                    .fetch_optional(&self.pool)
                    .await?;
                    let key = match head {
                        Some(h) => format!("p:{}", h.try_get::<String, _>("id")?),
                        None => format!("p:{}", self.head_position(&u.opd_id).await?),
                    };
                    (u.opd_id, key)
                }
                // Addressed to an OPD: whoever that OPD has set to receive mail for disposition.
                TargetType::Opd => {
                    (target.to_string(), format!("p:{}", self.incoming_disposer(target).await?))
                }
                _ => continue,
            };
            let roles = targets.entry(opd).or_default();
            let role = roles.entry(key).or_insert(r.role);
            if r.role == RecipientRole::To {
                *role = RecipientRole::To;
            }
        }
        let mut list = Vec::new();
        for (opd_id, owners) in targets {
            let opd = self.get_opd(&opd_id).await?;
            list.push(Receiver {
                opd_id,
                pemda_id: opd.pemda_id,
                short_name: opd.short_name,
                owners,
            });
        }
        Ok(Receivers { sender_id: sender.id, sender_name: sender.name, list })
    }

    /// Renders, signs, stores and delivers a letter that has just been numbered, inside the signing
    /// transaction and through it only. A co-signed letter is rendered with both signature blocks
    /// (the co-signer's statement and QR code printed already, since the first signature must cover
    /// the page as it will stay) and delivered only when the co-signer has signed.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn finalise(
        &self,
        tx: &mut WriteTx,
        user: &SessionUser,
        letter: Numbered<'_>,
        now: i64,
        prepared: Prepared,
        signing: Signing<'_>,
    ) -> Result<()> {
        let Signing { signer, credentials } = signing;
        let l = letter.row;
        let Prepared { info, co_info, mut doc, receivers } = prepared;
        doc.number = Some(letter.number.to_string());
        let day = domain::time::wib_day(now);
        doc.place_date = format!(
            "{}, {}",
            doc.place_date.trim_end_matches(','),
            domain::time::long_date(day, domain::Lang::Id)
        );
        let public_id = random_token(18);
        let mut ctx = SignContext {
            letter_id: l.id.clone(),
            public_id: public_id.clone(),
            signer_employee_id: user.employee_id.clone(),
            signer_name: info.name.clone(),
            signer_nip: info.nip.clone(),
            signer_position: doc.signature.position.clone(),
            opd_name: doc.opd_name.clone(),
            signed_ms: now,
            signature_rect: None,
        };
        let look = signer.appearance(&ctx);
        doc.signature.statement = look.statement;
        doc.signature.qr_png = look.qr_png;
        doc.footer_note = look.footer_note;
        if let (Some(block), Some(co)) = (doc.co_signature.as_mut(), co_info.as_ref()) {
            let co_look = signer.appearance(&co_context(&ctx, co, &block.position));
            block.statement = co_look.statement;
            block.qr_png = co_look.qr_png;
        }
        // A one-page letter renders in milliseconds; not worth a thread hop.
        let (pdf, placed) = render_letter_with_info(&doc)?;
        ctx.signature_rect = Some(placed.signature_rect);
        let signed = signer.sign(pdf, &ctx, credentials).await?;
        let sha = hex::encode(Sha256::digest(&signed));
        let co_rect = match (&co_info, placed.co_signature_rect) {
            (Some(_), Some((page, r))) => format!("{page} {} {} {} {}", r[0], r[1], r[2], r[3]),
            _ => String::new(),
        };
        sqlx::query("INSERT INTO letter_document (letter_id, public_id, pdf, sha256, signer_kind, created_ms, co_sign_rect) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&l.id)
            .bind(&public_id)
            .bind(signed)
            .bind(&sha)
            .bind(signer.kind())
            .bind(now)
            .bind(co_rect)
            .execute(tx.conn())
            .await?;
        if co_info.is_some() {
            return Ok(());
        }
        self.deliver(tx, user, letter, now, &l.signer_position_id, receivers).await
    }

    /// Registers the signed letter as incoming mail of every receiving OPD (one agenda number each)
    /// and puts it in the Kotak Masuk of each addressee; tembusan recipients are marked as such.
    /// `letter_day` is the letter's date (its first signature); `now` when it arrives; the work is
    /// recorded for `user` acting from `position_id` (whose signature completed the letter).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn deliver(
        &self,
        tx: &mut WriteTx,
        user: &SessionUser,
        letter: Numbered<'_>,
        now: i64,
        position_id: &str,
        receivers: Receivers,
    ) -> Result<()> {
        let Numbered { row: l, draft, number, letter_day: signed_day } = letter;
        let year = domain::time::wib_year(now) as i64;
        let Receivers { sender_id, sender_name, list } = receivers;
        let (sender_id, sender_name) = (sender_id.as_str(), sender_name.as_str());
        // Receivers come sorted by OPD id, so concurrent signings take agenda sequences in one order.
        for rc in list {
            let seq = next_number(tx, &rc.opd_id, "agenda", year).await?;
            let incoming = new_id();
            sqlx::query(
                "INSERT INTO incoming_letter (id, pemda_id, opd_id, source, outgoing_letter_id, agenda_seq, agenda_year, received_ms, sender_name, sender_opd_id, \
                 letter_number, letter_day, sifat, urgency, attachment_count, subject, summary, klasifikasi, registered_by, created_ms) \
                 VALUES ($1, $2, $3, 'internal', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, '', $16, NULL, $7)",
            )
            .bind(&incoming)
            .bind(&rc.pemda_id)
            .bind(&rc.opd_id)
            .bind(&l.id)
            .bind(seq)
            .bind(year)
            .bind(now)
            .bind(sender_name)
            .bind(sender_id)
            .bind(number)
            .bind(signed_day)
            .bind(draft.sifat.code())
            .bind(draft.urgency.code())
            .bind(draft.attachment_count)
            .bind(draft.subject.trim())
            .bind(draft.klasifikasi.trim())
            .execute(tx.conn())
            .await?;
            for (key, role) in &rc.owners {
                sqlx::query(
                    "INSERT INTO inbox_entry (id, incoming_id, owner_key, role, subject, sender_name, sifat, urgency, letter_number, read_ms, read_by, created_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, $10)",
                )
                .bind(new_id())
                .bind(&incoming)
                .bind(key)
                .bind(role.code())
                .bind(draft.subject.trim())
                .bind(sender_name)
                .bind(draft.sifat.code())
                .bind(draft.urgency.code())
                .bind(number)
                .bind(now)
                .execute(tx.conn())
                .await?;
                super::counters::bump_inbox(tx, key, 1, 1).await?;
            }
            record_work(
                tx,
                &user.employee_id,
                Some(position_id),
                "letter.deliver",
                "incoming_letter",
                &incoming,
                &rc.short_name,
            )
            .await?;
        }
        Ok(())
    }
}

/// A receiving OPD and the inbox owners in it.
pub(crate) struct Receiver {
    opd_id: String,
    pemda_id: String,
    short_name: String,
    owners: BTreeMap<String, RecipientRole>,
}

/// The sending OPD and every receiving one.
pub(crate) struct Receivers {
    sender_id: String,
    sender_name: String,
    list: Vec<Receiver>,
}

pub(crate) struct Prepared {
    info: SignerInfo,
    /// The official printed in the co-signature block, on a co-signed letter.
    co_info: Option<SignerInfo>,
    doc: LetterDocument,
    receivers: Receivers,
}

impl Prepared {
    /// The employee printed as co-signer (only they may add the second signature).
    pub(crate) fn co_signer_id(&self) -> Option<String> {
        self.co_info.as_ref().map(|c| c.employee_id.clone())
    }
}

/// What the signer is told about the co-signer's signature: the same document and page, another
/// official.
pub(crate) fn co_context(
    main: &SignContext,
    co: &SignerInfo,
    printed_position: &str,
) -> SignContext {
    SignContext {
        letter_id: main.letter_id.clone(),
        public_id: main.public_id.clone(),
        signer_employee_id: co.employee_id.clone(),
        signer_name: co.name.clone(),
        signer_nip: co.nip.clone(),
        signer_position: printed_position.to_string(),
        opd_name: co.opd_name.clone(),
        signed_ms: main.signed_ms,
        signature_rect: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_words() {
        assert_eq!(place_of("Kabupaten Bojonegoro"), "Bojonegoro");
        assert_eq!(place_of("Kota Madiun"), "Madiun");
        assert_eq!(lampiran_text(0), "-");
        assert_eq!(lampiran_text(2), "2 (dua) berkas");
        assert_eq!(lampiran_text(12), "12 berkas");
    }
}
