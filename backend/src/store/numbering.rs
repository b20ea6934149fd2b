//! Numbers taken by the records clerk for letters signed on paper, from the same sequence as
//! electronic letters, and the Pemda's letter settings (number format, restart policy, klasifikasi).

use super::letters::{next_number, record_work};
use super::{Actor, Store};
use crate::rights::PemdaAdmin;
use crate::{BackendError, Result, new_id, now_ms};
use domain::letter::{DEFAULT_NUMBER_FORMAT, check_number_format, format_number};
use domain::letter_view::NumberReservation;
use domain::model::SessionUser;
use serde_json::json;
use sqlx::Row;

fn clean(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(BackendError::invalid(format!("{field} wajib diisi.")));
    }
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(BackendError::invalid(format!(
            "{field} maksimal {max} karakter, tanpa karakter kontrol."
        )));
    }
    Ok(v.to_string())
}

impl Store {
    /// Takes the next letter number for a letter signed on paper. Only the records clerk (TU) does this.
    pub async fn reserve_number(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        klasifikasi: &str,
        subject: &str,
        recipient: &str,
        note: &str,
    ) -> Result<NumberReservation> {
        if !user.caps.is_tu_of(&user.opd_id) {
            return Err(BackendError::Forbidden(
                "Hanya petugas TU (pencatat surat) yang dapat mengambil nomor surat manual.".into(),
            ));
        }
        let klasifikasi = clean("Kode klasifikasi", klasifikasi, 30)?;
        let subject = clean("Hal", subject, 300)?;
        let recipient = clean("Tujuan surat", recipient, 300)?;
        let note = note.trim().chars().take(1000).collect::<String>();
        if !self.list_klasifikasi(&user.pemda_id).await?.iter().any(|(c, _)| *c == klasifikasi) {
            return Err(BackendError::invalid(
                "Kode klasifikasi tidak ada dalam daftar klasifikasi arsip Pemda.",
            ));
        }
        let opd = self.get_opd(&user.opd_id).await?;
        let pemda = self.get_pemda(&opd.pemda_id).await?;
        let now = now_ms();
        let year = domain::time::wib_year(now) as i64;
        let month = domain::time::civil_from_days(domain::time::wib_day(now)).1;
        let fmt = if pemda.number_format.is_empty() {
            DEFAULT_NUMBER_FORMAT.to_string()
        } else {
            pemda.number_format.clone()
        };
        let mut tx = self.begin_write().await?;
        let seq = next_number(&mut tx, &opd.id, "surat", year).await?;
        let number = format_number(&fmt, &klasifikasi, seq, &opd.code, year, month);
        let id = new_id();
        sqlx::query(
            "INSERT INTO number_reservation (id, opd_id, number_year, number_seq, number, klasifikasi, subject, recipient, note, reserved_by, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(&opd.id)
        .bind(year)
        .bind(seq)
        .bind(&number)
        .bind(&klasifikasi)
        .bind(&subject)
        .bind(&recipient)
        .bind(&note)
        .bind(&user.employee_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "letter.number_manual",
            "number_reservation",
            Some(&id),
            // The number only: the hal of a letter made outside e-Office may be confidential, and
            // nothing here says its sifat; the reservation list shows it to the records clerks.
            json!({ "number": number }),
        )
        .await?;
        record_work(
            &mut tx,
            &user.employee_id,
            None,
            "letter.number_manual",
            "number_reservation",
            &id,
            &subject,
        )
        .await?;
        tx.commit().await?;
        Ok(NumberReservation {
            id,
            number,
            klasifikasi,
            subject,
            recipient,
            note,
            reserved_by: user.name.clone(),
            created_ms: now,
        })
    }

    /// Manual numbers of the clerk's OPD, newest first.
    pub async fn list_reservations(
        &self,
        user: &SessionUser,
        limit: i64,
    ) -> Result<Vec<NumberReservation>> {
        if !user.caps.is_tu_of(&user.opd_id) {
            return Err(BackendError::Forbidden("Hanya petugas TU (pencatat surat) yang dapat melihat dan mengambil nomor surat manual.".into()));
        }
        sqlx::query(
            "SELECT r.id, r.number, r.klasifikasi, r.subject, r.recipient, r.note, e.name, r.created_ms FROM number_reservation r \
             JOIN employee e ON e.id = r.reserved_by WHERE r.opd_id = $1 ORDER BY r.created_ms DESC LIMIT $2",
        )
        .bind(&user.opd_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(NumberReservation {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                klasifikasi: r.try_get("klasifikasi")?,
                subject: r.try_get("subject")?,
                recipient: r.try_get("recipient")?,
                note: r.try_get("note")?,
                reserved_by: r.try_get("name")?,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect()
    }

    /// The Pemda's letter settings: number format and where a returned letter restarts.
    pub async fn set_letter_settings(
        &self,
        admin: &PemdaAdmin,
        number_format: &str,
        restart_policy: &str,
    ) -> Result<()> {
        let (actor, pemda_id) = (&admin.actor(), admin.pemda_id());
        check_number_format(number_format.trim())
            .map_err(|e| BackendError::invalid(e.to_string()))?;
        if !matches!(restart_policy, "first" | "returner") {
            return Err(BackendError::invalid("Pilihan alur pengembalian tidak dikenal."));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE pemda SET number_format = $1, restart_policy = $2 WHERE id = $3")
            .bind(number_format.trim())
            .bind(restart_policy)
            .bind(pemda_id)
            .execute(tx.conn())
            .await?;
        tx.audit(
            actor,
            "pemda.letter_settings",
            "pemda",
            Some(pemda_id),
            json!({ "number_format": number_format.trim(), "restart_policy": restart_policy }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn letter_settings(&self, pemda_id: &str) -> Result<(String, String)> {
        let r = sqlx::query("SELECT number_format, restart_policy FROM pemda WHERE id = $1")
            .bind(pemda_id)
            .fetch_one(&self.pool)
            .await?;
        Ok((r.try_get("number_format")?, r.try_get("restart_policy")?))
    }

    /// Adds or renames a klasifikasi code of the Pemda.
    pub async fn save_klasifikasi(&self, admin: &PemdaAdmin, code: &str, name: &str) -> Result<()> {
        let (actor, pemda_id) = (&admin.actor(), admin.pemda_id());
        let code = code.trim();
        if code.is_empty()
            || code.len() > 30
            || !code.chars().all(|c| c.is_ascii_digit() || c == '.')
            || code.starts_with('.')
            || code.ends_with('.')
        {
            return Err(BackendError::invalid(
                "Kode klasifikasi berupa angka yang dipisah titik, mis. 000.5.6.2 (maksimal 30 karakter).",
            ));
        }
        let name = clean("Nama klasifikasi", name, 200)?;
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO klasifikasi (pemda_id, code, name) VALUES ($1, $2, $3) ON CONFLICT (pemda_id, code) DO UPDATE SET name = $3")
            .bind(pemda_id)
            .bind(code)
            .bind(&name)
            .execute(tx.conn())
            .await?;
        tx.audit(actor, "klasifikasi.save", "klasifikasi", Some(code), json!({ "name": name }))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a klasifikasi code; letters already numbered with it keep their number.
    pub async fn delete_klasifikasi(&self, admin: &PemdaAdmin, code: &str) -> Result<()> {
        let (actor, pemda_id) = (&admin.actor(), admin.pemda_id());
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM klasifikasi WHERE pemda_id = $1 AND code = $2")
            .bind(pemda_id)
            .bind(code)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(BackendError::not_found("Kode klasifikasi tidak ditemukan."));
        }
        tx.audit(actor, "klasifikasi.delete", "klasifikasi", Some(code), json!({})).await?;
        tx.commit().await?;
        Ok(())
    }
}
