//! Two links between the surat masuk and surat keluar flows, and the OPD settings of incoming mail:
//! - who receives new mail for the first disposition, and whether dispositions may go to peers
//!   (set by the Admin OPD);
//! - replies: a letter drafted from an incoming one ("Buat surat balasan") carries a fixed link
//!   back; the incoming letter lists its replies and a follow-up report links one of them.

use super::Store;
use super::incoming::IncomingRow;
use super::letters::LETTER_COLS;
use crate::rights::OpdAdmin;
use crate::{BackendError, Result};
use domain::disposition::IncomingSettings;
use domain::letter::{LetterDraft, LetterKind, Recipient, RecipientRole, TargetType, Urgency};
use domain::letter_view::{ReplyLetter, ReplyRef};
use domain::model::SessionUser;
use serde_json::json;
use sqlx::Row;

/// Replies listed on an incoming letter's page.
const MAX_REPLIES: i64 = 20;

impl Store {
    // ---------- OPD settings of incoming mail ----------

    pub async fn incoming_settings(&self, opd_id: &str) -> Result<IncomingSettings> {
        let r = sqlx::query(
            "SELECT incoming_disposer_position_id, peer_disposition FROM opd WHERE id = $1",
        )
        .bind(opd_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("OPD tidak ditemukan."))?;
        Ok(IncomingSettings {
            disposer_position_id: r.try_get("incoming_disposer_position_id")?,
            peer_disposition: r.try_get::<i64, _>("peer_disposition")? != 0,
        })
    }

    /// Who receives new mail of an OPD for the first disposition: the position its Admin OPD chose
    /// while that position still exists there, otherwise the head.
    pub async fn incoming_disposer(&self, opd_id: &str) -> Result<String> {
        if let Some(p) = self.incoming_settings(opd_id).await?.disposer_position_id {
            let exists = sqlx::query("SELECT 1 AS x FROM position WHERE id = $1 AND opd_id = $2")
                .bind(&p)
                .bind(opd_id)
                .fetch_optional(&self.pool)
                .await?
                .is_some();
            if exists {
                return Ok(p);
            }
        }
        self.head_position(opd_id).await
    }

    /// Saves the settings; the receiving position must be one the clerk could pick (the head, the
    /// Sekretaris or a Kabid of this OPD). The change is audited.
    pub async fn set_incoming_settings(
        &self,
        admin: &OpdAdmin,
        settings: &IncomingSettings,
    ) -> Result<()> {
        let (actor, opd_id) = (&admin.actor(), admin.opd().id.as_str());
        let disposer =
            settings.disposer_position_id.as_deref().map(str::trim).filter(|p| !p.is_empty());
        if let Some(p) = disposer
            && !self.disposer_choices(opd_id).await?.iter().any(|c| c.position_id == p)
        {
            return Err(BackendError::invalid(
                "Pilih penerima surat masuk dari daftar jabatan pimpinan OPD ini.",
            ));
        }
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE opd SET incoming_disposer_position_id = $1, peer_disposition = $2 WHERE id = $3")
            .bind(disposer)
            .bind(i64::from(settings.peer_disposition))
            .bind(opd_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("OPD tidak ditemukan."));
        }
        tx.audit(
            actor,
            "opd.incoming_settings",
            "opd",
            Some(opd_id),
            json!({ "disposer": disposer, "peer_disposition": settings.peer_disposition }),
        )
        .await?;
        tx.commit().await
    }

    // ---------- Replies ----------

    /// The incoming letter a reply may be drafted from, for this user: they must be able to open it
    /// and work in the OPD that received it.
    pub async fn reply_target(&self, user: &SessionUser, incoming_id: &str) -> Result<ReplyRef> {
        Ok(reply_ref(&self.reply_source(user, incoming_id).await?))
    }

    /// The incoming letter itself, under the rule of `reply_target`.
    async fn reply_source(&self, user: &SessionUser, incoming_id: &str) -> Result<IncomingRow> {
        let acc = self.incoming_access(user, incoming_id).await?;
        if acc.inc.opd_id != user.opd_id {
            return Err(BackendError::Forbidden(
                "Surat balasan dibuat oleh pegawai OPD yang menerima surat ini.".into(),
            ));
        }
        Ok(acc.inc)
    }

    /// A new letter answering an incoming one, pre-filled from it: addressed to the sender (its OPD
    /// when the letter came through e-Office, otherwise the sender as written), same classification
    /// and sifat, the same hal, and an opening that cites the letter answered.
    pub async fn reply_draft(
        &self,
        user: &SessionUser,
        incoming_id: &str,
    ) -> Result<(LetterDraft, ReplyRef)> {
        let inc = self.reply_source(user, incoming_id).await?;
        let target = reply_ref(&inc);
        let r = sqlx::query("SELECT sender_opd_id FROM incoming_letter WHERE id = $1")
            .bind(incoming_id)
            .fetch_one(&self.pool)
            .await?;
        let sender_opd: Option<String> = r.try_get("sender_opd_id")?;
        let recipient = match sender_opd {
            Some(opd_id) => {
                let opd = self.get_opd(&opd_id).await?;
                Recipient {
                    role: RecipientRole::To,
                    target_type: TargetType::Opd,
                    target_id: Some(opd.id),
                    name: format!("Kepala {}", opd.short_name),
                    address: String::new(),
                }
            }
            None => Recipient {
                role: RecipientRole::To,
                target_type: TargetType::External,
                target_id: None,
                name: target.sender_name.clone(),
                address: String::new(),
            },
        };
        let draft = LetterDraft {
            kind: LetterKind::SuratDinas,
            klasifikasi: inc.klasifikasi.clone(),
            sifat: inc.sifat,
            urgency: Urgency::Biasa,
            subject: target.subject.chars().take(domain::letter::MAX_SUBJECT).collect(),
            attachment_count: 0,
            signer_position_id: None,
            co_signer_position_id: None,
            recipients: vec![recipient],
            body: domain::letter::reply_body(
                &target.letter_number,
                target.letter_day,
                &target.subject,
            ),
            reply_to_incoming_id: Some(target.incoming_id.clone()),
        };
        Ok((draft, target))
    }

    /// The incoming letter a letter answers (`reply_to`, from its row), if the viewer may open it.
    pub async fn reply_ref_of(
        &self,
        user: &SessionUser,
        reply_to: Option<&str>,
    ) -> Result<Option<ReplyRef>> {
        let Some(incoming_id) = reply_to else { return Ok(None) };
        match self.reply_target(user, incoming_id).await {
            Ok(t) => Ok(Some(t)),
            Err(BackendError::NotFound(_) | BackendError::Forbidden(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Letters drafted as replies to an incoming letter that the viewer may see, newest first.
    pub async fn replies_of(
        &self,
        user: &SessionUser,
        incoming_id: &str,
    ) -> Result<Vec<ReplyLetter>> {
        let rows = sqlx::query(&format!(
            "SELECT {LETTER_COLS}, updated_ms, (SELECT e.name FROM employee e WHERE e.id = letter.drafter_id) AS drafter_name \
             FROM letter WHERE reply_to_incoming_id = $1 ORDER BY updated_ms DESC LIMIT $2"
        ))
        .bind(incoming_id)
        .bind(MAX_REPLIES)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let l = super::letters::letter_from(&r)?;
            // The same rule as the letter page: a confidential reply stays hidden from whoever is
            // not its drafter, chain, signer or addressee.
            let l = match self.check_visible(user, l).await {
                Ok(l) => l,
                Err(BackendError::NotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            out.push(ReplyLetter {
                mine: l.drafter_id == user.employee_id,
                id: l.id,
                subject: l.subject,
                number: l.number,
                state: l.state,
                state_label: l.state.label().into(),
                drafter_name: r.try_get("drafter_name")?,
                updated_ms: r.try_get("updated_ms")?,
            });
        }
        Ok(out)
    }
}

fn reply_ref(inc: &IncomingRow) -> ReplyRef {
    ReplyRef {
        incoming_id: inc.id.clone(),
        sender_name: inc.sender_name.clone(),
        letter_number: inc.letter_number.clone(),
        letter_day: inc.letter_day,
        subject: inc.subject.clone(),
        agenda_number: inc.agenda_number(),
    }
}
