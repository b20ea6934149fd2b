//! The disposition acts: passing a letter down (or to a peer), reporting the follow-up, accepting
//! or returning the report, archiving.

use super::*;
use crate::store::notifications::{notify_tx, position_people_tx};

impl Store {
    // ---------- Disposition acts ----------

    /// Gives a disposition: the first one of the letter (by its addressee) or passes a received one
    /// further down. Either happens once: a second attempt (say by a Plh at the same moment) is
    /// refused and nothing of it is saved.
    pub async fn dispose(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        input: &DisposeInput,
    ) -> Result<Vec<String>> {
        let acc = self.incoming_access(user, &input.incoming_id).await?;
        if acc.archived() {
            return Err(BackendError::invalid("Surat ini sudah diarsipkan."));
        }
        let (giver, parent) = match &input.parent_id {
            None => {
                let g = acc.root_position.clone().ok_or_else(|| {
                    BackendError::Forbidden(
                        "Disposisi pertama diberikan oleh pejabat yang dituju surat ini.".into(),
                    )
                })?;
                if acc.inc.disposed_ms.is_some() {
                    return Err(invalid(DispositionError::AlreadyForwarded));
                }
                (g, None)
            }
            Some(pid) => {
                let n = acc.node(pid)?;
                if !acc.holds(&n.to_position_id) {
                    return Err(BackendError::Forbidden(
                        "Hanya penerima disposisi ini yang dapat meneruskannya.".into(),
                    ));
                }
                check_forward(&n.rule()).map_err(invalid)?;
                (n.to_position_id.clone(), Some(n.clone()))
            }
        };
        let dir = self.position_directory(&acc.inc.opd_id).await?;
        let titles: HashMap<String, String> =
            dir.iter().map(|(id, t, ..)| (id.clone(), t.clone())).collect();
        let holders: HashMap<String, String> = {
            let mut m = HashMap::new();
            for r in &input.recipients {
                if let Some(h) = self.holders_of(&r.position_id).await?.into_iter().next() {
                    m.insert(r.position_id.clone(), h.id);
                }
            }
            m
        };
        let targets = targets_for(
            &acc,
            &giver,
            self.incoming_settings(&acc.inc.opd_id).await?.peer_disposition,
        );
        let now = now_ms();
        let today = domain::time::wib_day(now);
        let (instructions, deadline) = check_dispose(
            input,
            &targets,
            &titles,
            parent.as_ref().and_then(|p| p.deadline_day),
            today,
        )
        .map_err(invalid)?;
        let depth = parent.as_ref().map(|p| p.depth + 1).unwrap_or(0);
        let mut tx = self.begin_write().await?;
        let claimed = match &parent {
            None => sqlx::query("UPDATE incoming_letter SET disposed_ms = $1, status = 'disposed' WHERE id = $2 AND disposed_ms IS NULL AND status = 'open'")
                .bind(now)
                .bind(&acc.inc.id)
                .execute(tx.conn())
                .await?
                .rows_affected(),
            Some(p) => sqlx::query("UPDATE disposition SET forwarded_ms = $1, version = version + 1 WHERE id = $2 AND forwarded_ms IS NULL AND status = 'open'")
                .bind(now)
                .bind(&p.id)
                .execute(tx.conn())
                .await?
                .rows_affected(),
        };
        if claimed == 0 {
            return Err(invalid(DispositionError::AlreadyForwarded));
        }
        let mut ids = Vec::new();
        for r in &input.recipients {
            let nid = new_id();
            sqlx::query(
                "INSERT INTO disposition (id, incoming_id, opd_id, parent_id, depth, from_position_id, from_employee_id, to_position_id, to_employee_id, is_lead, \
                 instructions, note, deadline_day, created_ms, status, subject, sender_name, sifat, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', $15, $16, $17, 1)",
            )
            .bind(&nid)
            .bind(&acc.inc.id)
            .bind(&acc.inc.opd_id)
            .bind(parent.as_ref().map(|p| p.id.clone()))
            .bind(depth)
            .bind(&giver)
            .bind(&user.employee_id)
            .bind(&r.position_id)
            .bind(holders.get(&r.position_id).cloned())
            .bind(if r.lead { 1i64 } else { 0 })
            .bind(Instruction::join(&instructions))
            .bind(input.note.trim())
            .bind(deadline)
            .bind(now)
            .bind(&acc.inc.subject)
            .bind(&acc.inc.sender_name)
            .bind(acc.inc.sifat.code())
            .execute(tx.conn())
            .await?;
            ids.push(nid);
        }
        let to: Vec<&str> = input
            .recipients
            .iter()
            .map(|r| titles.get(&r.position_id).map(String::as_str).unwrap_or(""))
            .collect();
        record_work(
            &mut tx,
            &user.employee_id,
            Some(&giver),
            "disposition.give",
            "incoming_letter",
            &acc.inc.id,
            &to.join(", "),
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "disposition.give",
            "incoming_letter",
            Some(&acc.inc.id),
            json!({ "parent": input.parent_id, "to": input.recipients.iter().map(|r| &r.position_id).collect::<Vec<_>>(), "deadline": deadline }),
        )
        .await?;
        let link = format!("/surat-masuk/{}", acc.inc.id);
        let text = format!("Disposisi baru dari {}: \"{}\"", user.name, acc.inc.subject);
        for r in &input.recipients {
            let people = position_people_tx(&mut tx, &r.position_id).await?;
            notify_tx(&mut tx, &people, "disposition_new", &text, Some(&link)).await?;
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The recipient reports what was done (text, files, or a reply letter), closing their branch
    /// once every branch they passed on is done. The giver is told through their lists.
    pub async fn report_disposition(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        report: FollowUpReport<'_>,
    ) -> Result<()> {
        let FollowUpReport { node_id, expected_version, text, letter_id, files } = report;
        let incoming_id = self.node_incoming(node_id).await?;
        let acc = self.incoming_access(user, &incoming_id).await?;
        if acc.archived() {
            return Err(BackendError::invalid("Surat ini sudah diarsipkan."));
        }
        let n = acc.node(node_id)?.clone();
        if !acc.holds(&n.to_position_id) {
            return Err(BackendError::Forbidden(
                "Hanya penerima disposisi ini yang dapat melaporkan tindak lanjutnya.".into(),
            ));
        }
        let letter_id = letter_id.map(str::trim).filter(|s| !s.is_empty());
        if let Some(l) = letter_id {
            self.visible_letter(user, l).await.map_err(|_| {
                BackendError::invalid("Surat balasan yang ditautkan tidak ditemukan.")
            })?;
        }
        check_report(&n.rule(), &acc.rules(), text, letter_id.is_some()).map_err(invalid)?;
        if files.len() > MAX_REPORT_FILES {
            return Err(BackendError::invalid(format!(
                "Paling banyak {MAX_REPORT_FILES} berkas untuk satu laporan."
            )));
        }
        let mut checked = Vec::new();
        for (name, bytes) in files {
            let kind = domain::files::sniff(&bytes).map_err(|e| {
                BackendError::invalid(format!("{}: {e}", domain::files::clean_name(&name)))
            })?;
            checked.push((domain::files::clean_name(&name), kind.content_type(), bytes));
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE disposition SET status = 'reported', report_text = $1, report_letter_id = $2, reported_ms = $3, reported_by = $4, version = version + 1 \
             WHERE id = $5 AND version = $6 AND status = 'open' AND NOT EXISTS (SELECT 1 FROM disposition c WHERE c.parent_id = $5 AND c.status <> 'done')",
        )
        .bind(text.trim())
        .bind(letter_id)
        .bind(now)
        .bind(&user.employee_id)
        .bind(node_id)
        .bind(expected_version)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(BackendError::Conflict("Disposisi ini baru saja berubah (dilaporkan atau diteruskan oleh orang lain). Muat ulang halaman; tulisan Anda masih ada di formulir.".into()));
        }
        for (name, ct, bytes) in checked {
            sqlx::query("INSERT INTO disposition_file (id, disposition_id, name, content_type, size, data, uploaded_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(new_id())
                .bind(node_id)
                .bind(name)
                .bind(ct)
                .bind(bytes.len() as i64)
                .bind(bytes)
                .bind(&user.employee_id)
                .bind(now)
                .execute(tx.conn())
                .await?;
        }
        record_work(
            &mut tx,
            &user.employee_id,
            Some(&n.to_position_id),
            "disposition.report",
            "disposition",
            node_id,
            &acc.inc.subject,
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "disposition.report",
            "disposition",
            Some(node_id),
            json!({ "letter": letter_id }),
        )
        .await?;
        let people = position_people_tx(&mut tx, &n.from_position_id).await?;
        let text = format!(
            "Laporan tindak lanjut dari {} menunggu Anda terima: \"{}\"",
            user.name, acc.inc.subject
        );
        let link = format!("/surat-masuk/{}", acc.inc.id);
        notify_tx(&mut tx, &people, "followup_review", &text, Some(&link)).await?;
        tx.commit().await
    }

    /// The giver accepts a reported follow-up (the branch closes; the letter completes when it was
    /// the last) or sends it back with a note.
    pub async fn review_disposition(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        node_id: &str,
        expected_version: i64,
        accept: bool,
        note: &str,
    ) -> Result<()> {
        let incoming_id = self.node_incoming(node_id).await?;
        let acc = self.incoming_access(user, &incoming_id).await?;
        if acc.archived() {
            return Err(BackendError::invalid("Surat ini sudah diarsipkan."));
        }
        let n = acc.node(node_id)?.clone();
        if !acc.holds(&n.from_position_id) {
            return Err(BackendError::Forbidden("Hanya pemberi disposisi ini yang dapat menerima atau mengembalikan tindak lanjutnya.".into()));
        }
        let new = check_review(&n.rule(), accept, note).map_err(invalid)?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query("UPDATE disposition SET status = $1, review_note = $2, done_ms = $3, version = version + 1 WHERE id = $4 AND version = $5 AND status = 'reported'")
            .bind(new.code())
            .bind(note.trim())
            .bind(if accept { Some(now) } else { None })
            .bind(node_id)
            .bind(expected_version)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(BackendError::Conflict(
                "Tindak lanjut ini sudah dijawab. Muat ulang halaman.".into(),
            ));
        }
        if accept {
            sqlx::query("UPDATE incoming_letter SET status = 'complete' WHERE id = $1 AND status = 'disposed' AND NOT EXISTS (SELECT 1 FROM disposition d WHERE d.incoming_id = $1 AND d.status <> 'done')")
                .bind(&incoming_id)
                .execute(tx.conn())
                .await?;
        }
        let kind = if accept { "disposition.accept" } else { "disposition.return" };
        record_work(
            &mut tx,
            &user.employee_id,
            Some(&n.from_position_id),
            kind,
            "disposition",
            node_id,
            note.trim(),
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            kind,
            "disposition",
            Some(node_id),
            json!({ "note": note.trim() }),
        )
        .await?;
        if !accept {
            let people = position_people_tx(&mut tx, &n.to_position_id).await?;
            let text = format!(
                "Tindak lanjut dikembalikan oleh {}: \"{}\". Catatan: {}",
                user.name,
                acc.inc.subject,
                note.trim()
            );
            let link = format!("/surat-masuk/{}", acc.inc.id);
            notify_tx(&mut tx, &people, "followup_returned", &text, Some(&link)).await?;
        }
        tx.commit().await
    }

    /// Files the letter once every branch is done.
    pub async fn archive_incoming(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        id: &str,
    ) -> Result<()> {
        let acc = self.incoming_access(user, id).await?;
        if acc.archived() {
            return Ok(());
        }
        if !tree_complete(&acc.rules()) {
            return Err(invalid(DispositionError::TreeIncomplete));
        }
        if !acc.can_archive() {
            return Err(BackendError::forbidden());
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE incoming_letter SET status = 'archived', archived_ms = $1, archived_by = $2 WHERE id = $3 AND status <> 'archived' \
             AND NOT EXISTS (SELECT 1 FROM disposition d WHERE d.incoming_id = $3 AND d.status <> 'done')",
        )
        .bind(now)
        .bind(&user.employee_id)
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(invalid(DispositionError::TreeIncomplete));
        }
        let pos = acc
            .root_position
            .clone()
            .or_else(|| user.positions.first().map(|p| p.position_id.clone()));
        record_work(
            &mut tx,
            &user.employee_id,
            pos.as_deref(),
            "incoming.archive",
            "incoming_letter",
            id,
            &acc.inc.subject,
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "incoming.archive",
            "incoming_letter",
            Some(id),
            json!({}),
        )
        .await?;
        tx.commit().await
    }

    async fn node_incoming(&self, node_id: &str) -> Result<String> {
        Ok(sqlx::query("SELECT incoming_id FROM disposition WHERE id = $1")
            .bind(node_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::not_found("Disposisi tidak ditemukan."))?
            .try_get("incoming_id")?)
    }
}
