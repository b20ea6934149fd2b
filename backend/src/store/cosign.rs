//! Co-signed letters: a second official (typically the head of another OPD) signs after the
//! signer. The drafter picks the co-signer by position; when the signer signs, the official then
//! holding it is printed in the second signature block (beside the signer's), the letter is
//! numbered and signed once and waits in the co-signer's Perlu Paraf. The co-signer's signature is
//! added to the stored PDF as an incremental update (never re-rendered, so the first signature
//! stays valid), and only then is the letter delivered. A refusal (return with a note) or a
//! withdrawal before that voids the signing: the number stays used and is recorded in
//! `letter_void` with the once-signed document, whose verification page then says so.

use super::delivery::{Numbered, Receivers, SignerInfo};
use super::letters::LetterRow;
use super::sql::like_pattern;
use super::{Actor, CodeCols, Store, WriteTx};
use crate::sign::{SignContext, Signing};
use crate::{BackendError, Result, now_ms};
use domain::letter::LetterDraft;
use domain::letter_view::CoSignerOption;
use domain::model::SessionUser;
use domain::org::{ActingKind, PositionLevel};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Everything the second signature needs from the database, read before the transaction.
pub(crate) struct CoSignPrepared {
    info: SignerInfo,
    pdf: Vec<u8>,
    public_id: String,
    rect: Option<(usize, [f64; 4])>,
    letter_day: i64,
    receivers: Receivers,
}

/// "0 70.9 545.4 150.2 630.3" -> page 0, [x1 y1 x2 y2].
fn parse_rect(s: &str) -> Option<(usize, [f64; 4])> {
    let mut it = s.split_whitespace();
    let page = it.next()?.parse().ok()?;
    let mut r = [0.0; 4];
    for v in &mut r {
        *v = it.next()?.parse().ok()?;
    }
    it.next().is_none().then_some((page, r))
}

impl Store {
    /// Checks the co-signer chosen for a letter whose signer is `signer_position_id`: a position of
    /// an active OPD of the same Pemda, of an official who may sign (head of an OPD, Sekretaris or
    /// Kepala Bidang), held or acted for by someone now, and not the signer's own.
    pub async fn check_co_signer(
        &self,
        pemda_id: &str,
        signer_position_id: &str,
        co_position_id: &str,
    ) -> Result<()> {
        if co_position_id == signer_position_id {
            return Err(BackendError::invalid(domain::letter::CO_SIGNER_IS_SIGNER));
        }
        let r = sqlx::query("SELECT p.title, p.level, o.pemda_id, o.active FROM position p JOIN opd o ON o.id = p.opd_id WHERE p.id = $1")
            .bind(co_position_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) =
            r.filter(|r| r.try_get::<String, _>("pemda_id").ok().as_deref() == Some(pemda_id))
        else {
            return Err(BackendError::invalid(
                "Penanda tangan kedua tidak ditemukan di direktori Pemda ini. Pilih kembali dari daftar.",
            ));
        };
        let title: String = r.try_get("title")?;
        if r.try_get::<i64, _>("active")? != 1 {
            return Err(BackendError::invalid(format!(
                "OPD dari jabatan {title} sudah tidak aktif. Pilih penanda tangan kedua yang lain."
            )));
        }
        let level = PositionLevel::from_code(r.try_get("level")?).unwrap_or(PositionLevel::Staf);
        if level.code() > PositionLevel::KepalaBidang.code() {
            return Err(BackendError::invalid(format!(
                "{title} tidak dapat menjadi penanda tangan kedua. Pilih pejabat yang berwenang menandatangani surat (Kepala OPD, Sekretaris, atau Kepala Bidang)."
            )));
        }
        if self.co_signer_holder(co_position_id).await?.is_none() {
            return Err(BackendError::invalid(format!(
                "Jabatan {title} sedang kosong (tidak ada pejabat aktif, Plt, atau Plh). Pilih penanda tangan kedua yang lain."
            )));
        }
        Ok(())
    }

    /// Who signs for a position now: its first active holder, else an official acting for it
    /// today (with "plt"/"plh").
    async fn co_signer_holder(
        &self,
        position_id: &str,
    ) -> Result<Option<(String, Option<ActingKind>)>> {
        if let Some(h) = self.holders_of(position_id).await?.into_iter().next() {
            return Ok(Some((h.id, None)));
        }
        let r = sqlx::query(
            "SELECT a.employee_id, a.kind FROM acting a JOIN employee e ON e.id = a.employee_id \
             WHERE a.position_id = $1 AND a.ended = 0 AND a.start_day <= $2 AND a.end_day >= $2 AND e.active = 1 ORDER BY a.start_day DESC, a.id LIMIT 1",
        )
        .bind(position_id)
        .bind(crate::today_wib())
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| Ok((r.try_get("employee_id")?, Some(r.code("kind")?)))).transpose()
    }

    /// The official to print in the co-signature block when the signer signs (checked again:
    /// the co-signer may have left while the letter went up the chain).
    pub(crate) async fn co_signer_to_print(
        &self,
        pemda_id: &str,
        signer_position_id: &str,
        co_position_id: &str,
    ) -> Result<SignerInfo> {
        self.check_co_signer(pemda_id, signer_position_id, co_position_id).await?;
        let (employee_id, acting) = self
            .co_signer_holder(co_position_id)
            .await?
            .ok_or_else(|| BackendError::invalid("Jabatan penanda tangan kedua sedang kosong."))?;
        let e = self.get_employee(&employee_id).await?;
        let pos = self.get_position(co_position_id).await?;
        let opd = self.get_opd(&pos.opd_id).await?;
        Ok(SignerInfo {
            employee_id: e.id,
            name: e.name,
            nip: e.nip,
            position_title: pos.title,
            acting,
            opd_name: opd.name.to_uppercase(),
        })
    }

    /// A co-signer position as the compose form and the letter detail name it.
    pub async fn co_signer_option(&self, position_id: &str) -> Result<CoSignerOption> {
        let pos = self.get_position(position_id).await?;
        let opd = self.get_opd(&pos.opd_id).await?;
        let holder = match self.co_signer_holder(position_id).await? {
            Some((id, acting)) => {
                let name = self.get_employee(&id).await?.name;
                Some(match acting {
                    Some(k) => format!("{} {name}", k.prefix()),
                    None => name,
                })
            }
            None => None,
        };
        Ok(CoSignerOption {
            position_id: pos.id,
            title: pos.title,
            holder_name: holder,
            opd_name: opd.short_name,
        })
    }

    /// Officials of the user's Pemda who may co-sign, matching a name, NIP, position or OPD.
    pub async fn search_co_signers(
        &self,
        user: &SessionUser,
        q: &str,
        limit: i64,
    ) -> Result<Vec<CoSignerOption>> {
        let q = q.trim();
        if q.chars().count() < 2 {
            return Ok(vec![]);
        }
        let Some(pat) = like_pattern(q) else { return Ok(vec![]) };
        let rows = sqlx::query(
            "SELECT p.id, p.title, e.name, o.short_name FROM employee e JOIN position p ON p.id = e.position_id JOIN opd o ON o.id = p.opd_id \
             WHERE e.pemda_id = $1 AND e.active = 1 AND o.active = 1 AND p.level <= 3 \
             AND (LOWER(e.name) LIKE $2 ESCAPE '\\' OR e.nip LIKE $2 ESCAPE '\\' OR LOWER(p.title) LIKE $2 ESCAPE '\\' \
             OR LOWER(o.short_name) LIKE $2 ESCAPE '\\' OR LOWER(o.name) LIKE $2 ESCAPE '\\') \
             ORDER BY p.level, o.short_name, e.name LIMIT $3",
        )
        .bind(&user.pemda_id)
        .bind(&pat)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CoSignerOption {
                    position_id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    holder_name: Some(r.try_get("name")?),
                    opd_name: r.try_get("short_name")?,
                })
            })
            .collect()
    }

    /// Reads what the co-signer's signature needs, before the transaction: only the official
    /// printed in the second block may add it.
    pub(crate) async fn prepare_cosign(
        &self,
        user: &SessionUser,
        l: &LetterRow,
        draft: &LetterDraft,
    ) -> Result<CoSignPrepared> {
        if l.co_signer_id.as_deref() != Some(user.employee_id.as_str()) {
            let printed = match &l.co_signer_id {
                Some(id) => self.get_employee(id).await?.name,
                None => "pejabat lain".into(),
            };
            return Err(BackendError::Forbidden(format!(
                "Blok tanda tangan kedua pada naskah ini mencantumkan {printed}; hanya beliau yang dapat membubuhkan TTE kedua. \
                 Bila beliau berhalangan, kembalikan surat ini dengan catatan agar ditandatangani ulang."
            )));
        }
        self.check_recipients(&user.pemda_id, draft).await?;
        let co_position = l
            .co_signer_position_id
            .clone()
            .ok_or_else(|| BackendError::internal("co-signing without co-signer"))?;
        let r = sqlx::query("SELECT d.pdf, d.public_id, d.co_sign_rect, l.signed_ms FROM letter_document d JOIN letter l ON l.id = d.letter_id WHERE d.letter_id = $1")
            .bind(&l.id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::internal(format!("letter {} waits for a co-signature without a document", l.id)))?;
        let mut info = self.signer_info(&co_position, Some(user)).await?;
        let pos = self.get_position(&co_position).await?;
        info.opd_name = self.get_opd(&pos.opd_id).await?.name.to_uppercase();
        let signed_ms: i64 = r.try_get::<Option<i64>, _>("signed_ms")?.unwrap_or_else(now_ms);
        Ok(CoSignPrepared {
            info,
            pdf: r.try_get("pdf")?,
            public_id: r.try_get("public_id")?,
            rect: parse_rect(&r.try_get::<String, _>("co_sign_rect")?),
            letter_day: domain::time::wib_day(signed_ms),
            receivers: self.receivers(l, draft).await?,
        })
    }

    /// Adds the co-signer's signature to the stored document as an incremental update, stores it
    /// and delivers the letter, inside the signing transaction.
    pub(crate) async fn add_co_signature(
        &self,
        tx: &mut WriteTx,
        user: &SessionUser,
        l: &LetterRow,
        draft: &LetterDraft,
        prepared: CoSignPrepared,
        signing: Signing<'_>,
    ) -> Result<()> {
        let Signing { signer, credentials } = signing;
        let CoSignPrepared { info, pdf, public_id, rect, letter_day, receivers } = prepared;
        let now = now_ms();
        let position = info.printed_position();
        let co_position = l.co_signer_position_id.as_deref().unwrap_or_default();
        let ctx = SignContext {
            letter_id: l.id.clone(),
            public_id,
            signer_employee_id: user.employee_id.clone(),
            signer_name: info.name.clone(),
            signer_nip: info.nip.clone(),
            signer_position: position,
            opd_name: info.opd_name.clone(),
            signed_ms: now,
            signature_rect: rect,
        };
        let signed = signer.sign(pdf.clone(), &ctx, credentials).await?;
        // The first signature covers the bytes as stored: anything but an appended update (a
        // service that rewrites the file) would break it.
        if !signed.starts_with(&pdf) {
            tracing::warn!(letter = %l.id, "co-signature did not append to the stored document");
            return Err(BackendError::invalid(
                "Layanan TTE menulis ulang dokumen alih-alih menambahkan tanda tangan, sehingga tanda tangan pertama akan rusak. Surat tidak diubah; hubungi administrator.",
            ));
        }
        let sha = hex::encode(Sha256::digest(&signed));
        sqlx::query("UPDATE letter_document SET pdf = $1, sha256 = $2, co_sign_rect = '' WHERE letter_id = $3")
            .bind(signed)
            .bind(&sha)
            .bind(&l.id)
            .execute(tx.conn())
            .await?;
        sqlx::query("UPDATE letter SET co_signed_ms = $1 WHERE id = $2")
            .bind(now)
            .bind(&l.id)
            .execute(tx.conn())
            .await?;
        let number = l
            .number
            .clone()
            .ok_or_else(|| BackendError::internal("co-signing an unnumbered letter"))?;
        let letter = Numbered { row: l, draft, number: &number, letter_day };
        self.deliver(tx, user, letter, now, co_position, receivers).await
    }

    /// Undoes the signing of a letter the co-signer has not signed: the document and the number
    /// move to `letter_void` (the number is never given again), the letter loses its number and
    /// its signer's signature. Returns the void number.
    pub(crate) async fn void_signing(
        &self,
        tx: &mut WriteTx,
        user: &SessionUser,
        l: &LetterRow,
        reason: &str,
    ) -> Result<String> {
        let d = sqlx::query(
            "SELECT public_id, pdf, sha256, signer_kind FROM letter_document WHERE letter_id = $1",
        )
        .bind(&l.id)
        .fetch_optional(tx.conn())
        .await?;
        let n = sqlx::query("SELECT number, number_seq, number_year, signed_ms, signed_by FROM letter WHERE id = $1").bind(&l.id).fetch_one(tx.conn()).await?;
        let (Some(d), Some(number)) = (d, n.try_get::<Option<String>, _>("number")?) else {
            return Err(BackendError::internal(format!(
                "letter {} waits for a co-signature without a number or document",
                l.id
            )));
        };
        let now = now_ms();
        sqlx::query(
            "INSERT INTO letter_void (public_id, letter_id, opd_id, number, number_seq, number_year, pdf, sha256, signer_kind, signed_ms, signed_by, reason, voided_by, voided_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(d.try_get::<String, _>("public_id")?)
        .bind(&l.id)
        .bind(&l.opd_id)
        .bind(&number)
        .bind(n.try_get::<Option<i64>, _>("number_seq")?.unwrap_or_default())
        .bind(n.try_get::<Option<i64>, _>("number_year")?.unwrap_or_default())
        .bind(d.try_get::<Vec<u8>, _>("pdf")?)
        .bind(d.try_get::<String, _>("sha256")?)
        .bind(d.try_get::<String, _>("signer_kind")?)
        .bind(n.try_get::<Option<i64>, _>("signed_ms")?.unwrap_or(now))
        .bind(n.try_get::<Option<String>, _>("signed_by")?)
        .bind(reason)
        .bind(&user.employee_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
        sqlx::query("DELETE FROM letter_document WHERE letter_id = $1")
            .bind(&l.id)
            .execute(tx.conn())
            .await?;
        sqlx::query("UPDATE letter SET number = NULL, number_seq = NULL, number_year = NULL, signed_ms = NULL, signed_by = NULL, co_signer_id = NULL WHERE id = $1")
            .bind(&l.id)
            .execute(tx.conn())
            .await?;
        tx.audit(
            &Actor::user(&user.employee_id, None),
            "letter.number_void",
            "letter",
            Some(&l.id),
            json!({ "number": number, "reason": reason }),
        )
        .await?;
        Ok(number)
    }

    /// Numbers given to this letter and voided (with why), oldest first.
    pub async fn void_numbers(&self, letter_id: &str) -> Result<Vec<(String, String, i64)>> {
        sqlx::query("SELECT number, reason, voided_ms FROM letter_void WHERE letter_id = $1 ORDER BY voided_ms, public_id")
            .bind(letter_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("number")?, r.try_get("reason")?, r.try_get("voided_ms")?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::parse_rect;

    #[test]
    fn rects_round_trip() {
        assert_eq!(
            parse_rect("0 70.86614 545.4 299.3 630.25"),
            Some((0, [70.86614, 545.4, 299.3, 630.25]))
        );
        assert_eq!(parse_rect(""), None);
        assert_eq!(parse_rect("1 2 3"), None);
        assert_eq!(parse_rect("1 2 3 4 5 6"), None);
    }
}
