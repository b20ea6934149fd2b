//! Outgoing letters: drafts with versioned, idempotent, conflict-detecting saves; the approval chain
//! driven by `domain::letter::transition`; atomic numbering at signing; work events.

use super::delivery::Numbered;
use super::{Actor, CodeCols, Store, WriteTx};
use crate::sign::{LetterSigner, SignCredentials, Signing};
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::letter::{
    Action, ActionKind, Actor as Role, DEFAULT_NUMBER_FORMAT, LetterDraft, LetterState,
    RecipientRole, RestartPolicy, Sifat, derive_chain, format_number, sign_mode, transition,
};
use domain::model::SessionUser;
use domain::org::PositionLevel;
use serde_json::json;
use sqlx::Row;

/// What happened to a save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored as the new current version.
    Saved { version: i64 },
    /// This client id was stored before (a resend): nothing changed.
    AlreadySaved { version: i64 },
    /// Based on an outdated version: kept as `conflict_version` beside the current one, which is untouched.
    Conflict { current_version: i64, conflict_version: i64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LetterRow {
    pub id: String,
    pub opd_id: String,
    pub drafter_id: String,
    pub drafter_position_id: String,
    pub signer_position_id: String,
    pub chain: Vec<String>,
    pub state: LetterState,
    pub waiting_position_id: Option<String>,
    pub version: i64,
    pub subject: String,
    pub sifat: Sifat,
    pub number: Option<String>,
    /// The co-signer's position, when a second official signs after the signer.
    pub co_signer_position_id: Option<String>,
    /// The official printed in the co-signature block (set when the signer signs): only they add
    /// the second signature.
    pub co_signer_id: Option<String>,
    /// The incoming letter this one answers, fixed when it was first saved.
    pub reply_to_incoming_id: Option<String>,
}

/// Records one unit of work in the shared event record (e-Kinerja reads it).
pub async fn record_work(
    tx: &mut WriteTx,
    employee_id: &str,
    position_id: Option<&str>,
    kind: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> Result<()> {
    record_work_of(
        tx,
        Work {
            employee_id,
            position_id,
            kind,
            entity,
            entity_id,
            detail,
            version: None,
            changed: true,
        },
    )
    .await
}

/// One unit of work, with the letter version it acted on and whether it changed anything.
pub struct Work<'a> {
    pub employee_id: &'a str,
    pub position_id: Option<&'a str>,
    pub kind: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub detail: &'a str,
    pub version: Option<i64>,
    pub changed: bool,
}

/// Records a unit of work. An act on a letter version the same person already acted on in the
/// same way (a second paraf of an unchanged letter) is recorded as changing nothing.
pub async fn record_work_of(tx: &mut WriteTx, w: Work<'_>) -> Result<()> {
    let r = sqlx::query("SELECT pemda_id, opd_id FROM employee WHERE id = $1")
        .bind(w.employee_id)
        .fetch_one(tx.conn())
        .await?;
    let mut changed = w.changed;
    if let (true, Some(v)) = (changed, w.version) {
        changed = sqlx::query(
            "SELECT 1 AS x FROM work_event WHERE employee_id = $1 AND kind = $2 AND entity_id = $3 AND version = $4",
        )
        .bind(w.employee_id)
        .bind(w.kind)
        .bind(w.entity_id)
        .bind(v)
        .fetch_optional(tx.conn())
        .await?
        .is_none();
    }
    sqlx::query(
        "INSERT INTO work_event (id, pemda_id, opd_id, employee_id, position_id, kind, entity, entity_id, detail, at_ms, version, changed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new_id())
    .bind(r.try_get::<String, _>("pemda_id")?)
    .bind(r.try_get::<String, _>("opd_id")?)
    .bind(w.employee_id)
    .bind(w.position_id)
    .bind(w.kind)
    .bind(w.entity)
    .bind(w.entity_id)
    .bind(w.detail)
    .bind(now_ms())
    .bind(w.version)
    .bind(changed as i64)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The next number of a per-OPD, per-year sequence ("surat", "agenda"), in one atomic statement:
/// concurrent callers never share or skip a number.
pub async fn next_number(tx: &mut WriteTx, opd_id: &str, kind: &str, year: i64) -> Result<i64> {
    let r = sqlx::query(
        "INSERT INTO number_sequence (opd_id, kind, year, last_value) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (opd_id, kind, year) DO UPDATE SET last_value = number_sequence.last_value + 1 RETURNING last_value",
    )
    .bind(opd_id)
    .bind(kind)
    .bind(year)
    .fetch_one(tx.conn())
    .await?;
    Ok(r.try_get("last_value")?)
}

pub(crate) fn letter_from(r: &sqlx::any::AnyRow) -> Result<LetterRow> {
    let chain: String = r.try_get("chain")?;
    Ok(LetterRow {
        id: r.try_get("id")?,
        opd_id: r.try_get("opd_id")?,
        drafter_id: r.try_get("drafter_id")?,
        drafter_position_id: r.try_get("drafter_position_id")?,
        signer_position_id: r.try_get("signer_position_id")?,
        chain: chain.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        state: super::letter_views::letter_state(r)?,
        waiting_position_id: r.try_get("waiting_position_id")?,
        version: r.try_get("version")?,
        subject: r.try_get("subject")?,
        sifat: r.code("sifat")?,
        number: r.try_get("number")?,
        co_signer_position_id: r.try_get("co_signer_position_id")?,
        co_signer_id: r.try_get("co_signer_id")?,
        reply_to_incoming_id: r.try_get("reply_to_incoming_id")?,
    })
}

pub(crate) const LETTER_COLS: &str = "id, opd_id, drafter_id, drafter_position_id, signer_position_id, chain, state, step, waiting_position_id, version, subject, sifat, number, co_signer_position_id, co_signer_id, reply_to_incoming_id";

pub(crate) fn waiting_for(state: LetterState, l: &LetterRow) -> Option<String> {
    match state {
        LetterState::Review { step } => l.chain.get(step).cloned(),
        LetterState::Signing => Some(l.signer_position_id.clone()),
        LetterState::CoSigning => l.co_signer_position_id.clone(),
        _ => None,
    }
}

/// One saved version of a letter's text: who saved it on which base, and whether it was kept
/// aside as a conflict instead of applied.
struct NewVersion<'a> {
    letter_id: &'a str,
    version: i64,
    client_id: &'a str,
    base_version: i64,
    author_id: &'a str,
    draft: &'a LetterDraft,
    conflict: bool,
}

impl Store {
    pub async fn get_letter(&self, id: &str) -> Result<LetterRow> {
        let r = sqlx::query(&format!("SELECT {LETTER_COLS} FROM letter WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Surat tidak ditemukan."))?;
        letter_from(&r)
    }

    /// The draft content of a version.
    pub async fn letter_content(&self, id: &str, version: i64) -> Result<LetterDraft> {
        let r =
            sqlx::query("SELECT content FROM letter_version WHERE letter_id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| BackendError::not_found("Versi surat tidak ditemukan."))?;
        serde_json::from_str(&r.try_get::<String, _>("content")?)
            .map_err(|e| BackendError::caused("read stored letter version", e))
    }

    /// The position the drafter writes from: their definitive position.
    fn drafter_position(user: &SessionUser) -> Result<String> {
        user.positions
            .iter()
            .find(|p| p.acting_kind.is_none())
            .map(|p| p.position_id.clone())
            .ok_or_else(|| {
                BackendError::invalid(
                    "Anda belum memiliki jabatan, sehingga belum dapat menyusun surat.",
                )
            })
    }

    /// The OPD's head position (Kepala OPD), as the OPD stores it.
    pub async fn head_position(&self, opd_id: &str) -> Result<String> {
        sqlx::query("SELECT head_position_id FROM opd WHERE id = $1")
            .bind(opd_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get::<Option<String>, _>("head_position_id"))
            .transpose()?
            .flatten()
            .ok_or_else(|| {
                BackendError::invalid("OPD ini belum memiliki jabatan Kepala; hubungi Admin OPD.")
            })
    }

    /// Starts a letter from its first save. `client_id` makes a resend of the same save harmless.
    pub async fn create_letter(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        client_id: &str,
        draft: &LetterDraft,
    ) -> Result<(String, SaveOutcome)> {
        draft.validate().map_err(BackendError::Invalid)?;
        if let Some(r) =
            sqlx::query("SELECT letter_id, version FROM letter_version WHERE client_id = $1")
                .bind(client_id)
                .fetch_optional(&self.pool)
                .await?
        {
            return Ok((
                r.try_get("letter_id")?,
                SaveOutcome::AlreadySaved { version: r.try_get("version")? },
            ));
        }
        let drafter_pos = Self::drafter_position(user)?;
        let opd = self.get_opd(&user.opd_id).await?;
        let signer = match &draft.signer_position_id {
            Some(p) => p.clone(),
            None => self.head_position(&opd.id).await?,
        };
        if let Some(co) = &draft.co_signer_position_id {
            self.check_co_signer(&user.pemda_id, &signer, co).await?;
        }
        // A reply is linked to the incoming letter it answers once, here; the drafter must be able
        // to open that letter and work in the OPD that received it.
        let reply_to = match draft.reply_to_incoming_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(i) => Some(self.reply_target(user, i).await.map_err(|e| match e {
                BackendError::NotFound(_) => BackendError::invalid("Surat masuk yang hendak dibalas tidak ditemukan atau tidak dapat Anda buka."),
                other => other,
            })?.incoming_id),
            None => None,
        };
        let id = new_id();
        let now = now_ms();
        let actor = Actor::user(&user.employee_id, ip);
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO letter (id, pemda_id, opd_id, kind, klasifikasi, sifat, urgency, subject, attachment_count, drafter_id, drafter_position_id, \
             signer_position_id, sign_mode, chain, state, step, waiting_position_id, version, created_ms, updated_ms, co_signer_position_id, reply_to_incoming_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', '', 'draft', -1, NULL, 1, $13, $13, $14, $15)",
        )
        .bind(&id)
        .bind(&opd.pemda_id)
        .bind(&opd.id)
        .bind(draft.kind.code())
        .bind(draft.klasifikasi.trim())
        .bind(draft.sifat.code())
        .bind(draft.urgency.code())
        .bind(draft.subject.trim())
        .bind(draft.attachment_count)
        .bind(&user.employee_id)
        .bind(&drafter_pos)
        .bind(&signer)
        .bind(now)
        .bind(&draft.co_signer_position_id)
        .bind(&reply_to)
        .execute(tx.conn())
        .await?;
        let draft = &LetterDraft { reply_to_incoming_id: reply_to, ..draft.clone() };
        let first = NewVersion {
            letter_id: &id,
            version: 1,
            client_id,
            base_version: 0,
            author_id: &user.employee_id,
            draft,
            conflict: false,
        };
        self.insert_version(&mut tx, first).await?;
        self.replace_recipients(&mut tx, &id, draft).await?;
        tx.audit(
            &actor,
            "letter.create",
            "letter",
            Some(&id),
            json!({ "subject": draft.subject.trim() }),
        )
        .await?;
        record_work(
            &mut tx,
            &user.employee_id,
            Some(&drafter_pos),
            "letter.draft",
            "letter",
            &id,
            draft.subject.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok((id, SaveOutcome::Saved { version: 1 }))
    }

    async fn insert_version(&self, tx: &mut WriteTx, v: NewVersion<'_>) -> Result<()> {
        let content = serde_json::to_string(v.draft)
            .map_err(|e| BackendError::caused("store letter version", e))?;
        sqlx::query(
            "INSERT INTO letter_version (letter_id, version, client_id, base_version, author_id, content, conflict, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(v.letter_id)
        .bind(v.version)
        .bind(v.client_id)
        .bind(v.base_version)
        .bind(v.author_id)
        .bind(content)
        .bind(v.conflict as i64)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    async fn replace_recipients(
        &self,
        tx: &mut WriteTx,
        id: &str,
        draft: &LetterDraft,
    ) -> Result<()> {
        sqlx::query("DELETE FROM letter_recipient WHERE letter_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        for (i, r) in draft.recipients.iter().enumerate() {
            sqlx::query("INSERT INTO letter_recipient (letter_id, ord, role, target_type, target_id, name, address) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(id)
                .bind(i as i64)
                .bind(r.role.code())
                .bind(r.target_type.code())
                .bind(&r.target_id)
                .bind(r.name.trim())
                .bind(r.address.trim())
                .execute(tx.conn())
                .await?;
        }
        let names: Vec<String> = draft
            .recipients
            .iter()
            .filter(|r| r.role == RecipientRole::To)
            .map(|r| r.name.trim().to_lowercase())
            .collect();
        sqlx::query("UPDATE letter SET recipients_text = $1 WHERE id = $2")
            .bind(names.join("; "))
            .bind(id)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    /// Who may edit the text now: the drafter while it is theirs, or the reviewer/signer whose turn it is.
    pub(crate) async fn may_edit(&self, user: &SessionUser, l: &LetterRow) -> bool {
        if l.state.drafter_may_edit() {
            return l.drafter_id == user.employee_id;
        }
        // Once the signer has signed, the text is fixed: the co-signer signs it or returns it.
        if !matches!(l.state, LetterState::Review { .. } | LetterState::Signing) {
            return false;
        }
        match &l.waiting_position_id {
            Some(p) => user.positions.iter().any(|h| &h.position_id == p),
            None => false,
        }
    }

    /// Saves a new version. A save based on an outdated version is kept as a conflict, never applied.
    pub async fn save_letter(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
        client_id: &str,
        base_version: i64,
        draft: &LetterDraft,
    ) -> Result<SaveOutcome> {
        draft.validate().map_err(BackendError::Invalid)?;
        // The co-signer is checked against the directory before the transaction (reads through the
        // pool); only the drafter's saves set it.
        if let Some(co) = &draft.co_signer_position_id {
            let pre = self.get_letter(id).await?;
            if pre.state.drafter_may_edit() && pre.drafter_id == user.employee_id {
                let signer = match &draft.signer_position_id {
                    Some(p) => p.clone(),
                    None => self.head_position(&pre.opd_id).await?,
                };
                self.check_co_signer(&user.pemda_id, &signer, co).await?;
            }
        }
        let mut tx = self.begin_write().await?;
        if let Some(r) =
            sqlx::query("SELECT letter_id, version FROM letter_version WHERE client_id = $1")
                .bind(client_id)
                .fetch_optional(tx.conn())
                .await?
        {
            if r.try_get::<String, _>("letter_id")? != id {
                return Err(BackendError::Conflict(
                    "Penyimpanan ini sudah tercatat untuk surat lain.".into(),
                ));
            }
            return Ok(SaveOutcome::AlreadySaved { version: r.try_get("version")? });
        }
        // Lock the letter row for the rest of the transaction (PostgreSQL); SQLite is serialised already.
        let lock = if tx.kind() == super::DbKind::Postgres { " FOR UPDATE" } else { "" };
        let r = sqlx::query(&format!("SELECT {LETTER_COLS} FROM letter WHERE id = $1{lock}"))
            .bind(id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or_else(|| BackendError::not_found("Surat tidak ditemukan."))?;
        let l = letter_from(&r)?;
        if !self.may_edit(user, &l).await {
            return Err(BackendError::Forbidden("Surat ini sedang tidak dapat Anda ubah.".into()));
        }
        // The incoming letter a reply answers was fixed at creation; no save changes it.
        let draft =
            &LetterDraft { reply_to_incoming_id: l.reply_to_incoming_id.clone(), ..draft.clone() };
        let last: i64 =
            sqlx::query("SELECT MAX(version) AS v FROM letter_version WHERE letter_id = $1")
                .bind(id)
                .fetch_one(tx.conn())
                .await?
                .try_get("v")?;
        let next = last + 1;
        if base_version != l.version {
            self.insert_version(
                &mut tx,
                NewVersion {
                    letter_id: id,
                    version: next,
                    client_id,
                    base_version,
                    author_id: &user.employee_id,
                    draft,
                    conflict: true,
                },
            )
            .await?;
            tx.audit(
                &Actor::user(&user.employee_id, ip),
                "letter.save_conflict",
                "letter",
                Some(id),
                json!({ "base": base_version, "current": l.version, "kept_as": next }),
            )
            .await?;
            tx.commit().await?;
            return Ok(SaveOutcome::Conflict {
                current_version: l.version,
                conflict_version: next,
            });
        }
        let previous_content: Option<String> =
            sqlx::query("SELECT content FROM letter_version WHERE letter_id = $1 AND version = $2")
                .bind(id)
                .bind(l.version)
                .fetch_optional(tx.conn())
                .await?
                .map(|r| r.try_get("content"))
                .transpose()?;
        let new_content = serde_json::to_string(draft)
            .map_err(|e| BackendError::caused("store letter version", e))?;
        self.insert_version(
            &mut tx,
            NewVersion {
                letter_id: id,
                version: next,
                client_id,
                base_version,
                author_id: &user.employee_id,
                draft,
                conflict: false,
            },
        )
        .await?;
        self.replace_recipients(&mut tx, id, draft).await?;
        // The drafter may still change the signer and the co-signer; once submitted they are frozen
        // (a reviewer's save keeps the ones the letter was submitted with).
        if l.state.drafter_may_edit() {
            let signer = match &draft.signer_position_id {
                Some(p) => p.clone(),
                None => self.head_position(&l.opd_id).await?,
            };
            sqlx::query("UPDATE letter SET signer_position_id = $1, co_signer_position_id = $2 WHERE id = $3")
                .bind(signer)
                .bind(&draft.co_signer_position_id)
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "letter.save",
            "letter",
            Some(id),
            json!({ "version": next }),
        )
        .await?;
        sqlx::query(
            "UPDATE letter SET kind = $1, klasifikasi = $2, sifat = $3, urgency = $4, subject = $5, attachment_count = $6, version = $7, updated_ms = $8 WHERE id = $9",
        )
        .bind(draft.kind.code())
        .bind(draft.klasifikasi.trim())
        .bind(draft.sifat.code())
        .bind(draft.urgency.code())
        .bind(draft.subject.trim())
        .bind(draft.attachment_count)
        .bind(next)
        .bind(now_ms())
        .bind(id)
        .execute(tx.conn())
        .await?;
        // A reviewer's edit, or the drafter's revision of a returned letter, is work; a save that
        // changes nothing is recorded as such and earns nothing.
        let revising = matches!(l.state, LetterState::Returned { .. });
        if l.drafter_id != user.employee_id || revising {
            let changed = previous_content.as_deref() != Some(new_content.as_str());
            let kind =
                if l.drafter_id == user.employee_id { "letter.revise" } else { "letter.edit" };
            record_work_of(
                &mut tx,
                Work {
                    employee_id: &user.employee_id,
                    position_id: if revising {
                        Some(l.drafter_position_id.as_str())
                    } else {
                        l.waiting_position_id.as_deref()
                    },
                    kind,
                    entity: "letter",
                    entity_id: id,
                    detail: "",
                    version: Some(next),
                    changed,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(SaveOutcome::Saved { version: next })
    }

    /// The role this user has on the letter right now, if any.
    pub(crate) fn role_of(user: &SessionUser, l: &LetterRow) -> Option<(Role, Option<String>)> {
        let holds = |p: &str| user.positions.iter().any(|h| h.position_id == p);
        match l.state {
            LetterState::Review { step } if l.chain.get(step).is_some_and(|p| holds(p)) => {
                Some((Role::Reviewer(step), l.chain.get(step).cloned()))
            }
            LetterState::Signing if holds(&l.signer_position_id) => {
                Some((Role::Signer, Some(l.signer_position_id.clone())))
            }
            LetterState::CoSigning if l.co_signer_position_id.as_deref().is_some_and(holds) => {
                Some((Role::CoSigner, l.co_signer_position_id.clone()))
            }
            LetterState::Signed if user.caps.is_tu_of(&l.opd_id) => Some((Role::Clerk, None)),
            _ if l.drafter_id == user.employee_id => {
                Some((Role::Drafter, Some(l.drafter_position_id.clone())))
            }
            _ => None,
        }
    }

    /// Applies an action of the approval flow. `expected_version` guards against acting on a text
    /// that changed since the user looked at it.
    pub async fn act_on_letter(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
        expected_version: i64,
        action: Action,
    ) -> Result<LetterState> {
        let signing = Signing {
            signer: &crate::sign::ApprovalOnly,
            credentials: &SignCredentials::default(),
        };
        self.act(user, ip, id, expected_version, action, signing).await
    }

    /// Signs a letter with the given signer: numbers it, renders it, has it signed, stores the final
    /// document and delivers it to internal recipients, all in one transaction (a failure anywhere
    /// leaves the letter waiting for signature and consumes no number). On a co-signed letter the
    /// signer's signature numbers, renders (with both signature blocks) and signs, and the letter
    /// waits for the co-signer; the co-signer's signature (this same call, by them) is added to the
    /// stored PDF as an incremental update and only then is the letter delivered.
    pub async fn sign_letter(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
        expected_version: i64,
        signer: &dyn LetterSigner,
        credentials: &SignCredentials,
    ) -> Result<LetterState> {
        self.act(user, ip, id, expected_version, Action::Sign, Signing { signer, credentials })
            .await
    }

    /// Signs several letters with one passphrase entry: the signer is unlocked once for the whole
    /// request (a wrong passphrase fails the request before any letter), then every letter is
    /// signed in its own transaction; one letter failing does not stop the others. Each item gives
    /// the new state's label or the reason, in the order asked. The unlocked key is wiped when this
    /// returns.
    pub async fn sign_letters(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        items: &[(String, i64)],
        signer: &dyn LetterSigner,
        credentials: &SignCredentials,
    ) -> Result<Vec<(String, std::result::Result<String, String>)>> {
        let unlocked = signer.unlock(self, user, ip.clone(), credentials).await?;
        let signing = Signing { signer: unlocked.as_deref().unwrap_or(signer), credentials };
        let mut out = Vec::with_capacity(items.len());
        for (id, version) in items {
            // Read like every other letter: one the caller may not see is "not found", never
            // "not yours to sign", so a batch cannot probe for letters outside the caller's circle.
            let r = match self.visible_letter(user, id).await {
                Ok(_) => self.act(user, ip.clone(), id, *version, Action::Sign, signing).await,
                Err(e) => Err(e),
            };
            out.push((id.clone(), r.map(|s| s.label().to_string()).map_err(|e| e.user_message())));
        }
        Ok(out)
    }

    async fn act(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
        expected_version: i64,
        action: Action,
        signing: Signing<'_>,
    ) -> Result<LetterState> {
        let actor = Actor::user(&user.employee_id, ip);
        let stale = || {
            BackendError::Conflict("Surat telah diubah orang lain sejak Anda membukanya. Muat ulang lalu periksa kembali.".into())
        };
        // Everything read through the pool is read before the transaction takes its connection and
        // its locks: a transaction that waits for a second connection while holding a lock others
        // queue behind can exhaust the pool (seen with many signings at once on PostgreSQL).
        let pre = self.get_letter(id).await?;
        if pre.version != expected_version {
            return Err(stale());
        }
        let pre_role = Self::role_of(user, &pre).map(|r| r.0);
        let mut submit_plan = None;
        if matches!(action, Action::Submit) && pre_role == Some(Role::Drafter) {
            let draft = self.letter_content(id, pre.version).await?;
            draft.validate_for_submit().map_err(BackendError::Invalid)?;
            self.check_recipients(&user.pemda_id, &draft).await?;
            let superiors = self.superiors(&pre.opd_id).await?;
            let signer = self.get_position(&pre.signer_position_id).await?;
            let mode = sign_mode(draft.kind, signer.level)
                .map_err(|e| BackendError::invalid(e.to_string()))?;
            let chain = derive_chain(&superiors, &pre.drafter_position_id, &pre.signer_position_id)
                .map_err(|e| BackendError::invalid(e.to_string()))?;
            let secretary: Option<String> =
                sqlx::query("SELECT secretary_position_id FROM opd WHERE id = $1")
                    .bind(&pre.opd_id)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get("secretary_position_id")?;
            let chain = domain::letter::with_secretary_paraf(
                chain,
                secretary.as_deref(),
                &pre.drafter_position_id,
                signer.level == PositionLevel::KepalaOpd,
                &pre.signer_position_id,
            );
            // The co-signer may have left or been deactivated since the draft was saved.
            if let Some(co) = &pre.co_signer_position_id {
                self.check_co_signer(&user.pemda_id, &pre.signer_position_id, co).await?;
            }
            submit_plan =
                Some((chain, if mode == domain::letter::SignMode::Head { "head" } else { "an" }));
        }
        let mut sign_plan = None;
        if matches!(action, Action::Sign)
            && pre.state == LetterState::Signing
            && pre_role == Some(Role::Signer)
        {
            let draft = self.letter_content(id, pre.version).await?;
            self.check_recipients(&user.pemda_id, &draft).await?;
            let opd = self.get_opd(&pre.opd_id).await?;
            let pemda = self.get_pemda(&opd.pemda_id).await?;
            let prepared = self.prepare_final(user, &pre, &draft).await?;
            sign_plan = Some((draft, opd, pemda, prepared));
        }
        let mut cosign_plan = None;
        if matches!(action, Action::Sign)
            && pre.state == LetterState::CoSigning
            && pre_role == Some(Role::CoSigner)
        {
            let draft = self.letter_content(id, pre.version).await?;
            cosign_plan = Some((self.prepare_cosign(user, &pre, &draft).await?, draft));
        }
        // A signer bound to the official's key unlocks it here, before the transaction: the
        // passphrase check is slow and a wrong one is recorded in a write of its own.
        let unlocked = if sign_plan.is_some() || cosign_plan.is_some() {
            signing.signer.unlock(self, user, actor.ip.clone(), signing.credentials).await?
        } else {
            None
        };
        let signing = Signing { signer: unlocked.as_deref().unwrap_or(signing.signer), ..signing };
        let mut tx = self.begin_write().await?;
        let lock = if tx.kind() == super::DbKind::Postgres { " FOR UPDATE" } else { "" };
        let r = sqlx::query(&format!("SELECT {LETTER_COLS} FROM letter WHERE id = $1{lock}"))
            .bind(id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or_else(|| BackendError::not_found("Surat tidak ditemukan."))?;
        let mut l = letter_from(&r)?;
        if l.version != expected_version || l.state != pre.state {
            return Err(BackendError::Conflict("Surat telah diubah orang lain sejak Anda membukanya. Muat ulang lalu periksa kembali.".into()));
        }
        let (role, acting_position) = Self::role_of(user, &l).ok_or_else(|| {
            BackendError::Forbidden("Surat ini tidak sedang menunggu tindakan Anda.".into())
        })?;
        // The chain is derived from the organisation at submission and then frozen.
        if let (Action::Submit, Some((chain, mode))) = (&action, submit_plan) {
            l.chain = chain;
            sqlx::query("UPDATE letter SET chain = $1, sign_mode = $2 WHERE id = $3")
                .bind(l.chain.join(","))
                .bind(mode)
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        let restart: String = sqlx::query(
            "SELECT p.restart_policy FROM pemda p JOIN opd o ON o.pemda_id = p.id WHERE o.id = $1",
        )
        .bind(&l.opd_id)
        .fetch_one(tx.conn())
        .await?
        .try_get("restart_policy")?;
        let restart = if restart == "returner" {
            RestartPolicy::FromReturner
        } else {
            RestartPolicy::FromFirstReviewer
        };
        let next = transition(
            l.state,
            l.chain.len(),
            l.co_signer_position_id.is_some(),
            restart,
            role,
            &action,
        )
        .map_err(|e| match e {
            domain::letter::TransitionError::NotYourTurn => BackendError::Forbidden(e.to_string()),
            _ => BackendError::invalid(e.to_string()),
        })?;
        let (code, step) = next.to_parts();
        let waiting = waiting_for(next, &l);
        let mut number = None;
        let mut voided = None;
        if l.state == LetterState::CoSigning && next == LetterState::Signed {
            let (prepared, draft) = cosign_plan.ok_or_else(stale)?;
            self.add_co_signature(&mut tx, user, &l, &draft, prepared, signing).await?;
        } else if l.state == LetterState::CoSigning {
            // Refused by the co-signer or withdrawn by the drafter: the signing is undone, its
            // number stays used and is recorded as void.
            let reason = match &action {
                Action::Return { note } => {
                    format!("Ditolak penanda tangan kedua ({}): {}", user.name, note.trim())
                }
                _ => format!("Surat ditarik oleh penyusun ({}) sebelum TTE kedua.", user.name),
            };
            voided = Some(self.void_signing(&mut tx, user, &l, &reason).await?);
        } else if matches!(next, LetterState::Signed | LetterState::CoSigning) {
            // Numbering happens only at signing, inside the same transaction.
            let (draft, opd, pemda, prepared) = sign_plan.ok_or_else(stale)?;
            let now = now_ms();
            let year = domain::time::wib_year(now) as i64;
            let month = domain::time::civil_from_days(domain::time::wib_day(now)).1;
            let seq = next_number(&mut tx, &l.opd_id, "surat", year).await?;
            let fmt = if pemda.number_format.is_empty() {
                DEFAULT_NUMBER_FORMAT
            } else {
                pemda.number_format.as_str()
            };
            let n = format_number(fmt, draft.klasifikasi.trim(), seq, &opd.code, year, month);
            sqlx::query("UPDATE letter SET number = $1, number_seq = $2, number_year = $3, signed_ms = $4, signed_by = $5, co_signer_id = $6 WHERE id = $7")
                .bind(&n)
                .bind(seq)
                .bind(year)
                .bind(now)
                .bind(&user.employee_id)
                .bind(prepared.co_signer_id())
                .bind(id)
                .execute(tx.conn())
                .await?;
            let numbered = Numbered {
                row: &l,
                draft: &draft,
                number: &n,
                letter_day: domain::time::wib_day(now),
            };
            self.finalise(&mut tx, user, numbered, now, prepared, signing).await?;
            number = Some(n);
        }
        sqlx::query("UPDATE letter SET state = $1, step = $2, waiting_position_id = $3, updated_ms = $4 WHERE id = $5")
            .bind(code)
            .bind(step)
            .bind(&waiting)
            .bind(now_ms())
            .bind(id)
            .execute(tx.conn())
            .await?;
        super::counters::move_queue(&mut tx, l.waiting_position_id.as_deref(), waiting.as_deref())
            .await?;
        let note = match &action {
            Action::Return { note } => note.trim().to_string(),
            _ => String::new(),
        };
        let seq: i64 = sqlx::query("SELECT COUNT(*) AS n FROM letter_action WHERE letter_id = $1")
            .bind(id)
            .fetch_one(tx.conn())
            .await?
            .try_get("n")?;
        let action_code = ActionKind::of(&action, role).code();
        sqlx::query(
            "INSERT INTO letter_action (letter_id, seq, actor_id, position_id, action, note, from_state, to_state, version, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(seq + 1)
        .bind(&user.employee_id)
        .bind(&acting_position)
        .bind(action_code)
        .bind(&note)
        .bind(l.state.code())
        .bind(code)
        .bind(l.version)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.audit(
            &actor,
            &format!("letter.{action_code}"),
            "letter",
            Some(id),
            json!({ "to": code, "number": number, "voided_number": voided }),
        )
        .await?;
        self.notify_letter_move(&mut tx, user, &l, next, waiting.as_deref(), &note).await?;
        record_work_of(
            &mut tx,
            Work {
                employee_id: &user.employee_id,
                position_id: acting_position.as_deref(),
                kind: &format!("letter.{action_code}"),
                entity: "letter",
                entity_id: id,
                detail: "",
                version: Some(l.version),
                changed: true,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Tells the people concerned what just happened to a letter: whoever it now waits for, the
    /// drafter when it came back or was signed.
    async fn notify_letter_move(
        &self,
        tx: &mut WriteTx,
        user: &SessionUser,
        l: &LetterRow,
        next: LetterState,
        waiting: Option<&str>,
        note: &str,
    ) -> Result<()> {
        use super::notifications::{notify_tx, position_people_tx};
        let link = format!("/surat-keluar/{}", l.id);
        let subject = &l.subject;
        if let Some(pos) = waiting.filter(|w| Some(*w) != l.waiting_position_id.as_deref()) {
            let people = position_people_tx(tx, pos).await?;
            let (kind, text) = match next {
                LetterState::Signing | LetterState::CoSigning => {
                    ("letter_sign", format!("Surat menunggu tanda tangan Anda: \"{subject}\""))
                }
                _ => ("letter_paraf", format!("Surat menunggu paraf Anda: \"{subject}\"")),
            };
            notify_tx(tx, &people, kind, &text, Some(&link)).await?;
        }
        let to_drafter = match next {
            LetterState::Returned { .. } => Some((
                "letter_returned",
                format!("Surat dikembalikan oleh {}: \"{subject}\". Catatan: {note}", user.name),
            )),
            LetterState::Signed => Some((
                "letter_signed",
                format!("Surat telah ditandatangani dan dikirim: \"{subject}\""),
            )),
            _ => None,
        };
        if let Some((kind, text)) = to_drafter
            && l.drafter_id != user.employee_id
        {
            notify_tx(tx, std::slice::from_ref(&l.drafter_id), kind, &text, Some(&link)).await?;
        }
        Ok(())
    }

    /// The approval history of a letter: (actor name, action, note, from, to, at_ms).
    pub async fn letter_history(
        &self,
        id: &str,
    ) -> Result<Vec<(String, String, String, String, String, i64)>> {
        let rows = sqlx::query(
            "SELECT e.name, a.action, a.note, a.from_state, a.to_state, a.at_ms FROM letter_action a JOIN employee e ON e.id = a.actor_id WHERE a.letter_id = $1 ORDER BY a.seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("name")?,
                    r.try_get("action")?,
                    r.try_get("note")?,
                    r.try_get("from_state")?,
                    r.try_get("to_state")?,
                    r.try_get("at_ms")?,
                ))
            })
            .collect()
    }

    /// Work events of one employee in a time window, for performance scoring.
    pub async fn work_events(
        &self,
        employee_id: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(String, String, i64)>> {
        let rows = sqlx::query("SELECT kind, entity_id, at_ms FROM work_event WHERE employee_id = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY at_ms")
            .bind(employee_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("entity_id")?, r.try_get("at_ms")?)))
            .collect()
    }
}
