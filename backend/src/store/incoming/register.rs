//! Registration of incoming mail by the records clerk: who may receive it for the first
//! disposition, suggestions, and the duplicate check.

use super::*;

impl Store {
    // ---------- Registration ----------

    /// Positions the clerk may send a letter to for its first disposition (heads of the OPD and
    /// their deputies), the one the OPD set to receive its mail (the head unless set) first.
    pub async fn disposer_choices(&self, opd_id: &str) -> Result<Vec<PositionChoice>> {
        let first = self.incoming_disposer(opd_id).await.ok();
        let mut out: Vec<PositionChoice> = self
            .position_directory(opd_id)
            .await?
            .into_iter()
            .filter(|(_, _, level, _)| *level <= 3)
            .map(|(id, title, _, holder)| PositionChoice {
                direct: Some(&id) == first.as_ref(),
                position_id: id,
                title,
                holder,
                peer: false,
            })
            .collect();
        out.sort_by_key(|c| !c.direct);
        Ok(out)
    }

    /// Senders registered before, most recent first, for suggestions while typing.
    pub async fn sender_suggestions(&self, opd_id: &str) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT sender_name, MAX(received_ms) AS last FROM incoming_letter WHERE opd_id = $1 GROUP BY sender_name ORDER BY last DESC LIMIT 200")
            .bind(opd_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("sender_name")?)).collect()
    }

    /// Registers scanned mail: the next agenda number of the OPD, the scan, and an entry in the
    /// Kotak Masuk of whoever gives the first disposition. A repeated submit (same client id)
    /// returns the first registration; the same sender, number and date already registered is
    /// reported first unless the clerk confirmed.
    pub async fn register_incoming(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        input: &RegisterInput,
        scan_pdf: Vec<u8>,
        pages: i64,
        original: &str,
    ) -> Result<RegisterOutcome> {
        let opd_id = user.opd_id.clone();
        if !user.caps.is_tu_of(&opd_id) {
            return Err(BackendError::Forbidden(
                "Hanya petugas TU / pencatat surat yang dapat meregistrasi surat masuk.".into(),
            ));
        }
        let now = now_ms();
        let today = domain::time::wib_day(now);
        let (received_day, letter_day) =
            check_register(input, today).map_err(BackendError::invalid)?;
        let client_id = input.client_id.trim();
        if let Some(done) = self.registered_with(&opd_id, client_id).await? {
            return Ok(done);
        }
        let dup = duplicate_key(&input.sender_name, &input.letter_number, letter_day);
        if !input.confirm_duplicate
            && let Some(r) = sqlx::query("SELECT agenda_seq, agenda_year, created_ms, subject FROM incoming_letter WHERE opd_id = $1 AND dup_key = $2 ORDER BY created_ms LIMIT 1")
                .bind(&opd_id)
                .bind(&dup)
                .fetch_optional(&self.pool)
                .await?
            {
                return Ok(RegisterOutcome::PossibleDuplicate {
                    agenda_number: format!("{}/{}", r.try_get::<i64, _>("agenda_seq")?, r.try_get::<i64, _>("agenda_year")?),
                    registered_ms: r.try_get("created_ms")?,
                    subject: r.try_get("subject")?,
                });
            }
        let disposer = match input.disposer_position_id.trim() {
            "" => self.incoming_disposer(&opd_id).await?,
            p => {
                if !self.disposer_choices(&opd_id).await?.iter().any(|c| c.position_id == p) {
                    return Err(BackendError::invalid(
                        "Pilih pejabat penerima disposisi pertama dari daftar.",
                    ));
                }
                p.to_string()
            }
        };
        if scan_pdf.is_empty() {
            return Err(BackendError::invalid(
                "Unggah hasil pindai surat (PDF atau foto halaman-halamannya).",
            ));
        }
        let opd = self.get_opd(&opd_id).await?;
        // The received time: the chosen day, at the current time of day when it is today.
        let received_ms = if received_day == today {
            now
        } else {
            received_day * domain::time::DAY_MS - domain::time::WIB_OFFSET_MS + 8 * 3600 * 1000
        };
        let year = domain::time::wib_year(received_ms) as i64;
        let sha = {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(&scan_pdf))
        };
        let id = new_id();
        let mut tx = self.begin_write().await?;
        let seq = next_number(&mut tx, &opd_id, "agenda", year).await?;
        let inserted = sqlx::query(
            "INSERT INTO incoming_letter (id, pemda_id, opd_id, source, outgoing_letter_id, agenda_seq, agenda_year, received_ms, sender_name, sender_opd_id, \
             letter_number, letter_day, sifat, urgency, attachment_count, subject, summary, klasifikasi, registered_by, created_ms, client_id, dup_key, disposer_position_id, status) \
             VALUES ($1, $2, $3, 'scan', NULL, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 'open')",
        )
        .bind(&id)
        .bind(&opd.pemda_id)
        .bind(&opd_id)
        .bind(seq)
        .bind(year)
        .bind(received_ms)
        .bind(input.sender_name.trim())
        .bind(input.letter_number.trim())
        .bind(letter_day)
        .bind(input.sifat.code())
        .bind(input.urgency.code())
        .bind(input.attachment_count)
        .bind(input.subject.trim())
        .bind(input.summary.trim())
        .bind(input.klasifikasi.trim())
        .bind(&user.employee_id)
        .bind(now)
        .bind(client_id)
        .bind(&dup)
        .bind(&disposer)
        .execute(tx.conn())
        .await;
        if let Err(e) = inserted {
            // A double submit that raced this one: its registration stands.
            drop(tx);
            if let Some(done) = self.registered_with(&opd_id, client_id).await? {
                return Ok(done);
            }
            return Err(e.into());
        }
        sqlx::query("INSERT INTO incoming_scan (incoming_id, pdf, sha256, pages, original, created_ms) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&id)
            .bind(scan_pdf)
            .bind(&sha)
            .bind(pages)
            .bind(domain::files::clean_name(original))
            .bind(now)
            .execute(tx.conn())
            .await?;
        let key = format!("p:{disposer}");
        sqlx::query(
            "INSERT INTO inbox_entry (id, incoming_id, owner_key, role, subject, sender_name, sifat, urgency, letter_number, read_ms, read_by, created_ms) \
             VALUES ($1, $2, $3, 'to', $4, $5, $6, $7, $8, NULL, NULL, $9)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(&key)
        .bind(input.subject.trim())
        .bind(input.sender_name.trim())
        .bind(input.sifat.code())
        .bind(input.urgency.code())
        .bind(input.letter_number.trim())
        .bind(now)
        .execute(tx.conn())
        .await?;
        crate::store::counters::bump_inbox(&mut tx, &key, 1, 1).await?;
        let clerk_position = user.positions.first().map(|p| p.position_id.clone());
        record_work(
            &mut tx,
            &user.employee_id,
            clerk_position.as_deref(),
            "incoming.register",
            "incoming_letter",
            &id,
            input.subject.trim(),
        )
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "incoming.register",
            "incoming_letter",
            Some(&id),
            json!({ "agenda": format!("{seq}/{year}"), "pages": pages }),
        )
        .await?;
        tx.commit().await?;
        Ok(RegisterOutcome::Registered { id, agenda_number: format!("{seq}/{year}") })
    }

    async fn registered_with(
        &self,
        opd_id: &str,
        client_id: &str,
    ) -> Result<Option<RegisterOutcome>> {
        let r = sqlx::query("SELECT id, agenda_seq, agenda_year FROM incoming_letter WHERE opd_id = $1 AND client_id = $2")
            .bind(opd_id)
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| {
            Ok(RegisterOutcome::Registered {
                id: r.try_get("id")?,
                agenda_number: format!(
                    "{}/{}",
                    r.try_get::<i64, _>("agenda_seq")?,
                    r.try_get::<i64, _>("agenda_year")?
                ),
            })
        })
        .transpose()
    }
}
