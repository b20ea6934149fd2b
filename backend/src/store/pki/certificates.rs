//! Signing certificates of officials: enrolment by the Admin Pemda, the official's passphrase
//! (which makes and encrypts the key), unlocking for signing, revocation, and the lists.

use super::*;
/// Rules for a new passphrase (Bahasa Indonesia messages).
fn check_new_passphrase(user: &SessionUser, new: &str, confirm: &str) -> Result<()> {
    if new.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackendError::invalid(format!(
            "Passphrase minimal {MIN_PASSPHRASE_CHARS} karakter."
        )));
    }
    if new != confirm {
        return Err(BackendError::invalid("Konfirmasi passphrase tidak sama."));
    }
    if new.trim() != new {
        return Err(BackendError::invalid("Passphrase tidak boleh diawali atau diakhiri spasi."));
    }
    let lower = new.to_lowercase();
    if !user.nip.is_empty() && lower.contains(&user.nip) {
        return Err(BackendError::invalid("Passphrase tidak boleh memuat NIP Anda."));
    }
    let email_local =
        user.email.as_deref().and_then(|e| e.split('@').next()).unwrap_or("").to_lowercase();
    if lower == user.name.to_lowercase() || (!email_local.is_empty() && lower == email_local) {
        return Err(BackendError::invalid(
            "Passphrase tidak boleh sama dengan nama atau email Anda.",
        ));
    }
    let distinct: std::collections::HashSet<char> = new.chars().collect();
    if distinct.len() < 4 {
        return Err(BackendError::invalid(
            "Passphrase terlalu mudah ditebak; gunakan beberapa kata atau campuran karakter.",
        ));
    }
    Ok(())
}

const CERT_COLS: &str = "c.id, c.pemda_id, c.employee_id, c.status, c.serial_hex, c.subject_name, c.subject_nip, c.subject_position, c.subject_opd, \
     c.not_before_ms, c.not_after_ms, c.revoked_ms, c.revoked_reason, c.created_ms, c.ca_generation, e.name AS e_name, e.nip AS e_nip, o.name AS o_name, \
     COALESCE(p.title, '') AS p_title";
const CERT_FROM: &str = "signing_cert c JOIN employee e ON e.id = c.employee_id JOIN opd o ON o.id = e.opd_id LEFT JOIN position p ON p.id = e.position_id";

pub(super) fn status_of(stored: &str, not_after_ms: Option<i64>, now: i64) -> CertStatus {
    match CertStatus::from_code(stored) {
        Some(CertStatus::Aktif) if not_after_ms.is_some_and(|t| t <= now) => {
            CertStatus::Kedaluwarsa
        }
        Some(s) => s,
        None => CertStatus::Dicabut,
    }
}

/// A certificate row as the pages show it; `ca` names the issuing CA of the row's generation.
fn cert_view(r: &sqlx::any::AnyRow, ca: Option<&PublicCa>, now: i64) -> Result<CertView> {
    let generation: i64 = r.try_get("ca_generation")?;
    let issuer = ca.map(|c| c.issuer_name_of(generation)).unwrap_or_default();
    let status: String = r.try_get("status")?;
    let not_after_ms: Option<i64> = r.try_get("not_after_ms")?;
    let serial: String = r.try_get("serial_hex")?;
    let issued = !serial.is_empty();
    let pick = |snap: &str, current: &str| -> Result<String> {
        let s: String = r.try_get(snap)?;
        Ok(if issued && !s.is_empty() { s } else { r.try_get(current)? })
    };
    Ok(CertView {
        id: r.try_get("id")?,
        employee_id: r.try_get("employee_id")?,
        employee_name: pick("subject_name", "e_name")?,
        nip: pick("subject_nip", "e_nip")?,
        position: pick("subject_position", "p_title")?,
        opd_name: pick("subject_opd", "o_name")?,
        status: status_of(&status, not_after_ms, now),
        serial_hex: serial,
        issuer: issuer.to_string(),
        not_before_ms: r.try_get("not_before_ms")?,
        not_after_ms,
        revoked_ms: r.try_get("revoked_ms")?,
        revoked_reason: r
            .try_get::<Option<String>, _>("revoked_reason")?
            .as_deref()
            .and_then(RevocationReason::from_code),
        created_ms: r.try_get("created_ms")?,
    })
}

pub(super) fn to_tte_reason(r: RevocationReason) -> tte::pki::RevocationReason {
    use tte::pki::RevocationReason as T;
    match r {
        RevocationReason::KeyCompromise => T::KeyCompromise,
        RevocationReason::AffiliationChanged => T::AffiliationChanged,
        RevocationReason::Superseded => T::Superseded,
        RevocationReason::CessationOfOperation => T::CessationOfOperation,
        RevocationReason::Unspecified => T::Unspecified,
    }
}

impl Store {
    // --- Certificates ----------------------------------------------------------------------

    async fn cert_by(&self, clause: &str, arg: &str) -> Result<Option<CertView>> {
        let Some(r) = sqlx::query(&format!(
            "SELECT {CERT_COLS} FROM {CERT_FROM} WHERE {clause} ORDER BY c.created_ms DESC LIMIT 1"
        ))
        .bind(arg)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let pemda: String = r.try_get("pemda_id")?;
        let ca = self.public_ca(&pemda).await?;
        Ok(Some(cert_view(&r, ca.as_deref(), now_ms())?))
    }

    /// The Admin Pemda authorises a signing certificate for an official; the key and the
    /// certificate are made when the official sets a passphrase (`activate_certificate`).
    pub async fn enrol_certificate(
        &self,
        admin: &SessionUser,
        ip: Option<String>,
        employee_id: &str,
        validity_days: i64,
    ) -> Result<CertView> {
        if !admin.caps.is_admin_pemda() {
            return Err(BackendError::forbidden());
        }
        if !(1..=MAX_VALIDITY_DAYS).contains(&validity_days) {
            return Err(BackendError::invalid(format!(
                "Masa berlaku sertifikat 1 sampai {MAX_VALIDITY_DAYS} hari."
            )));
        }
        let employee = self.get_employee(employee_id).await?;
        if employee.pemda_id != admin.pemda_id {
            return Err(BackendError::not_found("Pegawai tidak ditemukan."));
        }
        if !employee.active {
            return Err(BackendError::invalid(
                "Pegawai ini tidak aktif; sertifikat hanya untuk pegawai aktif.",
            ));
        }
        if self.public_ca(&admin.pemda_id).await?.is_none() {
            return Err(no_pki());
        }
        let now = now_ms();
        let id = new_id();
        let mut tx = self.begin_write().await?;
        let live = sqlx::query("SELECT id, status, not_after_ms FROM signing_cert WHERE employee_id = $1 AND status IN ('menunggu_passphrase', 'aktif')")
            .bind(employee_id)
            .fetch_optional(tx.conn())
            .await?;
        if let Some(r) = live {
            let status: String = r.try_get("status")?;
            let not_after: Option<i64> = r.try_get("not_after_ms")?;
            if status == "aktif" && not_after.is_some_and(|t| t <= now) {
                // An expired certificate simply gives way to the new one.
                sqlx::query("UPDATE signing_cert SET status = 'kedaluwarsa' WHERE id = $1")
                    .bind(r.try_get::<String, _>("id")?)
                    .execute(tx.conn())
                    .await?;
            } else {
                return Err(BackendError::Conflict(
                    "Pegawai ini sudah memiliki sertifikat yang aktif atau menunggu passphrase. Cabut dulu sertifikat itu untuk menerbitkan yang baru.".into(),
                ));
            }
        }
        sqlx::query(
            "INSERT INTO signing_cert (id, pemda_id, employee_id, status, validity_days, created_by, created_ms) VALUES ($1, $2, $3, 'menunggu_passphrase', $4, $5, $6)",
        )
        .bind(&id)
        .bind(&admin.pemda_id)
        .bind(employee_id)
        .bind(validity_days)
        .bind(&admin.employee_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.audit(
            &Actor::user(&admin.employee_id, ip),
            "tte.enrol",
            "signing_cert",
            Some(&id),
            json!({ "employee_id": employee_id, "validity_days": validity_days }),
        )
        .await?;
        // The official hears of it from e-Office itself: only they set the passphrase that makes
        // the key, so nobody else can hold a working certificate in their name.
        let when = domain::time::long_datetime(now, domain::Lang::Id);
        crate::store::notifications::notify_tx(
            &mut tx,
            &[employee_id.to_string()],
            "tte_enrolled",
            &format!(
                "{} mendaftarkan sertifikat tanda tangan elektronik untuk Anda pada {when}. Buat passphrase Anda sendiri di Profil, Sertifikat TTE; hanya Anda yang dapat membuatnya. Bila Anda tidak memintanya, hubungi Admin Pemda.",
                admin.name
            ),
            Some("/profil/tte"),
        )
        .await?;
        tx.commit().await?;
        self.cert_by("c.id = $1", &id)
            .await?
            .ok_or_else(|| BackendError::internal("enrolled certificate vanished"))
    }

    /// The official's first passphrase: makes the key (encrypted under that passphrase) and has the
    /// issuing CA certify it, with the official's current name, NIP, position, OPD and Pemda.
    pub async fn activate_certificate(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        passphrase: &str,
        confirm: &str,
    ) -> Result<CertView> {
        let pending = sqlx::query("SELECT id, status, validity_days FROM signing_cert WHERE employee_id = $1 AND status IN ('menunggu_passphrase', 'aktif')")
            .bind(&user.employee_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(pending) = pending else {
            return Err(BackendError::not_found(
                "Anda belum didaftarkan untuk sertifikat elektronik. Hubungi Admin Pemda.",
            ));
        };
        if pending.try_get::<String, _>("status")? == "aktif" {
            return Err(BackendError::Conflict("Sertifikat Anda sudah aktif. Untuk mengganti passphrase, gunakan Ganti passphrase.".into()));
        }
        let cert_id: String = pending.try_get("id")?;
        let validity_days: i64 = pending.try_get("validity_days")?;
        check_new_passphrase(user, passphrase, confirm)?;
        if let Some(acc) = self.account_by_employee(&user.employee_id).await?
            && crate::auth::verify_password(passphrase, &acc.password_hash).await
        {
            return Err(BackendError::invalid(
                "Passphrase TTE harus berbeda dari kata sandi login Anda.",
            ));
        }
        let employee = self.get_employee(&user.employee_id).await?;
        let position = match user.positions.iter().find(|p| p.acting_kind.is_none()) {
            Some(p) => p.title.clone(),
            None => match &employee.position_id {
                Some(p) => self.get_position(p).await?.title,
                None => String::new(),
            },
        };
        let subject = SignerSubject {
            name: employee.name.clone(),
            nip: employee.nip.clone(),
            position,
            opd: user.opd_name.clone(),
            pemda: user.pemda_name.clone(),
            email: employee.email.clone().filter(|e| e.is_ascii()),
        };
        let ca = self.ca_keys(&user.pemda_id).await?;
        let opts = IssueOptions {
            now: SystemTime::now(),
            crl_url: Some(format!("{}{}", self.public_base(), crl_path(ca.generation))),
            kdf: KdfParams::DEFAULT,
        };
        let pass = Passphrase::new(passphrase);
        let subj = subject.clone();
        let ca2 = ca.clone();
        let issued = blocking(move || tte::issue_signing_cert(&ca2.issuing, &subj, validity_days as u32, &pass, &opts)).await?.map_err(|e| match e {
            tte::PkiError::Invalid(m) => {
                tracing::warn!(error = %m, "certificate subject refused");
                BackendError::invalid("Data pegawai (nama/NIP) tidak dapat dimuat ke sertifikat. Periksa data kepegawaian Anda bersama Admin.")
            }
            other => internal(other),
        })?;
        let cert = issued.stored.certificate().map_err(internal)?;
        let v = &cert.tbs_certificate.validity;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE signing_cert SET status = 'aktif', serial_hex = $1, cert_der = $2, enc_key = $3, subject_name = $4, subject_nip = $5, subject_position = $6, \
             subject_opd = $7, subject_pemda = $8, not_before_ms = $9, not_after_ms = $10, activated_ms = $11, ca_generation = $12 \
             WHERE id = $13 AND status = 'menunggu_passphrase'",
        )
        .bind(&issued.serial_hex)
        .bind(issued.stored.cert_der.clone())
        .bind(issued.stored.key.to_compact())
        .bind(&subject.name)
        .bind(&subject.nip)
        .bind(&subject.position)
        .bind(&subject.opd)
        .bind(&subject.pemda)
        .bind(v.not_before.to_unix_duration().as_millis() as i64)
        .bind(v.not_after.to_unix_duration().as_millis() as i64)
        .bind(now_ms())
        .bind(ca.generation)
        .bind(&cert_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n != 1 {
            return Err(BackendError::Conflict(
                "Sertifikat ini baru saja diaktifkan atau dicabut. Muat ulang halaman.".into(),
            ));
        }
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "tte.activate",
            "signing_cert",
            Some(&cert_id),
            json!({ "serial": issued.serial_hex }),
        )
        .await?;
        tx.commit().await?;
        self.cert_by("c.id = $1", &cert_id)
            .await?
            .ok_or_else(|| BackendError::internal("activated certificate vanished"))
    }

    /// The official's usable certificate row, or a refusal that says what to do.
    async fn usable_cert(&self, user: &SessionUser) -> Result<(String, String, Vec<u8>)> {
        let r = sqlx::query("SELECT id, status, enc_key, cert_der, not_after_ms, revoked_reason FROM signing_cert WHERE employee_id = $1 ORDER BY created_ms DESC LIMIT 1")
            .bind(&user.employee_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| BackendError::Forbidden("Anda belum memiliki sertifikat elektronik. Hubungi Admin Pemda untuk pendaftaran.".into()))?;
        let status: String = r.try_get("status")?;
        let not_after: Option<i64> = r.try_get("not_after_ms")?;
        match status_of(&status, not_after, now_ms()) {
            CertStatus::Aktif => {}
            CertStatus::MenungguPassphrase => {
                return Err(BackendError::Forbidden("Sertifikat Anda belum aktif: tetapkan passphrase TTE di halaman Sertifikat TTE terlebih dahulu.".into()));
            }
            CertStatus::Kedaluwarsa => {
                let when = not_after
                    .map(|t| domain::time::long_date(domain::time::wib_day(t), domain::Lang::Id))
                    .unwrap_or_default();
                return Err(BackendError::Forbidden(format!(
                    "Sertifikat elektronik Anda kedaluwarsa sejak {when}. Hubungi Admin Pemda untuk penerbitan ulang."
                )));
            }
            CertStatus::Dicabut => {
                let why = r
                    .try_get::<Option<String>, _>("revoked_reason")?
                    .as_deref()
                    .and_then(RevocationReason::from_code)
                    .map(|x| format!(" ({})", x.label()))
                    .unwrap_or_default();
                return Err(BackendError::Forbidden(format!(
                    "Sertifikat elektronik Anda telah dicabut{why}. Hubungi Admin Pemda untuk penerbitan ulang."
                )));
            }
        }
        let enc: Option<String> = r.try_get("enc_key")?;
        let der: Option<Vec<u8>> = r.try_get("cert_der")?;
        match (enc, der) {
            (Some(k), Some(d)) => Ok((r.try_get("id")?, k, d)),
            _ => Err(BackendError::internal("active certificate without key")),
        }
    }

    /// Refuses with 429 while five wrong passphrases of the last 15 minutes stand.
    async fn check_attempts(&self, cert_id: &str, now: i64) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n, MIN(at_ms) AS first FROM passphrase_attempt WHERE cert_id = $1 AND at_ms > $2")
            .bind(cert_id)
            .bind(now - ATTEMPT_WINDOW_MS)
            .fetch_one(&self.pool)
            .await?;
        let n: i64 = r.try_get("n")?;
        if n >= MAX_WRONG_PASSPHRASES {
            let first: i64 = r.try_get::<Option<i64>, _>("first")?.unwrap_or(now);
            let minutes =
                ((first + ATTEMPT_WINDOW_MS - now) as f64 / 60_000.0).ceil().max(1.0) as i64;
            return Err(BackendError::RateLimited(format!(
                "Terlalu banyak percobaan; coba lagi dalam {minutes} menit."
            )));
        }
        Ok(n)
    }

    /// Records one wrong passphrase and answers with how many tries remain.
    async fn wrong_passphrase(
        &self,
        cert_id: &str,
        user: &SessionUser,
        ip: Option<String>,
        before: i64,
        now: i64,
    ) -> Result<BackendError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM passphrase_attempt WHERE cert_id = $1 AND at_ms <= $2")
            .bind(cert_id)
            .bind(now - ATTEMPT_WINDOW_MS)
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO passphrase_attempt (id, cert_id, at_ms, ip) VALUES ($1, $2, $3, $4)",
        )
        .bind(new_id())
        .bind(cert_id)
        .bind(now)
        .bind(ip.clone())
        .execute(tx.conn())
        .await?;
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "tte.passphrase_wrong",
            "signing_cert",
            Some(cert_id),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        let left = MAX_WRONG_PASSPHRASES - before - 1;
        Ok(if left > 0 {
            BackendError::invalid(format!("Passphrase salah. Sisa percobaan: {left}."))
        } else {
            BackendError::invalid(format!(
                "Passphrase salah. Batas percobaan tercapai; coba lagi dalam {} menit.",
                ATTEMPT_WINDOW_MS / 60_000
            ))
        })
    }

    /// Unlocks the official's signing key for one request (rate-limited; a wrong passphrase is
    /// recorded). Refuses a missing, pending, expired or revoked certificate with what to do.
    pub async fn unlock_signing_key(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        passphrase: &str,
    ) -> Result<SigningKeyHandle> {
        if passphrase.is_empty() {
            return Err(BackendError::invalid("Masukkan passphrase TTE Anda."));
        }
        let (cert_id, enc, der) = self.usable_cert(user).await?;
        let now = now_ms();
        let before = self.check_attempts(&cert_id, now).await?;
        let enc = EncryptedKey::from_compact(&enc).map_err(internal)?;
        let pass = Passphrase::new(passphrase);
        match blocking(move || enc.decrypt(&pass)).await? {
            Ok(key) => {
                if before > 0 {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM passphrase_attempt WHERE cert_id = $1")
                        .bind(&cert_id)
                        .execute(tx.conn())
                        .await?;
                    tx.commit().await?;
                }
                let cert = tte::parse_certificate(&der).map_err(internal)?;
                let ca = self.ca_keys(&user.pemda_id).await?;
                Ok(SigningKeyHandle { cert_id, key, cert, ca })
            }
            Err(KeyError::WrongPassphrase) => {
                Err(self.wrong_passphrase(&cert_id, user, ip, before, now).await?)
            }
            Err(e) => Err(internal(e)),
        }
    }

    /// Re-encrypts the official's key under a new passphrase (the old one must open it).
    pub async fn change_certificate_passphrase(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        old: &str,
        new: &str,
        confirm: &str,
    ) -> Result<()> {
        if old.is_empty() {
            return Err(BackendError::invalid("Masukkan passphrase lama."));
        }
        check_new_passphrase(user, new, confirm)?;
        if old == new {
            return Err(BackendError::invalid("Passphrase baru harus berbeda dari yang lama."));
        }
        if let Some(acc) = self.account_by_employee(&user.employee_id).await?
            && crate::auth::verify_password(new, &acc.password_hash).await
        {
            return Err(BackendError::invalid(
                "Passphrase TTE harus berbeda dari kata sandi login Anda.",
            ));
        }
        let handle = self.unlock_signing_key(user, ip.clone(), old).await?;
        let pass = Passphrase::new(new);
        let key = handle.key;
        let enc = blocking(move || EncryptedKey::encrypt_with(&key, &pass, KdfParams::DEFAULT))
            .await?
            .map_err(internal)?;
        let mut tx = self.begin_write().await?;
        let n =
            sqlx::query("UPDATE signing_cert SET enc_key = $1 WHERE id = $2 AND status = 'aktif'")
                .bind(enc.to_compact())
                .bind(&handle.cert_id)
                .execute(tx.conn())
                .await?
                .rows_affected();
        if n != 1 {
            return Err(BackendError::Conflict(
                "Sertifikat ini baru saja dicabut. Muat ulang halaman.".into(),
            ));
        }
        tx.audit(
            &Actor::user(&user.employee_id, ip),
            "tte.passphrase_change",
            "signing_cert",
            Some(&handle.cert_id),
            json!({}),
        )
        .await?;
        tx.commit().await
    }

    /// Revokes a certificate (or cancels one still waiting for its passphrase). Renewal is a
    /// revocation with reason "superseded" followed by a new enrolment.
    pub async fn revoke_certificate(
        &self,
        admin: &SessionUser,
        ip: Option<String>,
        cert_id: &str,
        reason: RevocationReason,
    ) -> Result<CertView> {
        if !admin.caps.is_admin_pemda() {
            return Err(BackendError::forbidden());
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let r = sqlx::query("SELECT pemda_id, status, serial_hex FROM signing_cert WHERE id = $1")
            .bind(cert_id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or_else(|| BackendError::not_found("Sertifikat tidak ditemukan."))?;
        if r.try_get::<String, _>("pemda_id")? != admin.pemda_id {
            return Err(BackendError::not_found("Sertifikat tidak ditemukan."));
        }
        let status: String = r.try_get("status")?;
        if status == "dicabut" {
            return Err(BackendError::Conflict("Sertifikat ini sudah dicabut.".into()));
        }
        sqlx::query("UPDATE signing_cert SET status = 'dicabut', revoked_ms = $1, revoked_reason = $2, revoked_by = $3 WHERE id = $4")
            .bind(now)
            .bind(reason.code())
            .bind(&admin.employee_id)
            .bind(cert_id)
            .execute(tx.conn())
            .await?;
        let serial: String = r.try_get("serial_hex")?;
        tx.audit(
            &Actor::user(&admin.employee_id, ip),
            "tte.revoke",
            "signing_cert",
            Some(cert_id),
            json!({ "reason": reason.code(), "serial": serial, "was": status }),
        )
        .await?;
        // Never silently: the holder is told who revoked it, when and why.
        let holder: String = sqlx::query("SELECT employee_id FROM signing_cert WHERE id = $1")
            .bind(cert_id)
            .fetch_one(tx.conn())
            .await?
            .try_get("employee_id")?;
        let when = domain::time::long_datetime(now, domain::Lang::Id);
        crate::store::notifications::notify_tx(
            &mut tx,
            &[holder],
            "tte_revoked",
            &format!(
                "Sertifikat tanda tangan elektronik Anda dicabut oleh {} pada {when} (alasan: {}). Naskah yang sudah Anda tandatangani tetap sah.",
                admin.name,
                reason.label()
            ),
            Some("/profil/tte"),
        )
        .await?;
        tx.commit().await?;
        self.forget_crls(&admin.pemda_id);
        self.cert_by("c.id = $1", cert_id)
            .await?
            .ok_or_else(|| BackendError::internal("revoked certificate vanished"))
    }

    /// The official's newest certificate, whatever its state.
    pub async fn my_certificate(&self, user: &SessionUser) -> Result<Option<CertView>> {
        self.cert_by("c.employee_id = $1", &user.employee_id).await
    }

    /// Certificates of the admin's Pemda, newest first, 50 a page (1-based), searched by name or NIP.
    pub async fn list_certificates(
        &self,
        admin: &SessionUser,
        q: &str,
        page: i64,
    ) -> Result<CertPage> {
        if !admin.caps.is_admin_pemda() {
            return Err(BackendError::forbidden());
        }
        let page = page.max(1);
        let mut f = Filter::new();
        let pemda = f.arg(&admin.pemda_id);
        f.cond(format!("c.pemda_id = {pemda}"));
        f.search(q, &["LOWER(e.name)", "e.nip", "LOWER(c.subject_name)"]);
        let filter = f.where_sql();
        let count_sql = format!("SELECT COUNT(*) AS n FROM {CERT_FROM} WHERE {filter}");
        let total: i64 =
            f.bind(sqlx::query(&count_sql)).fetch_one(&self.pool).await?.try_get("n")?;
        let list_sql = format!(
            "SELECT {CERT_COLS} FROM {CERT_FROM} WHERE {filter} ORDER BY c.created_ms DESC, c.id {}",
            page_sql(page, PAGE_SIZE)
        );
        let rows = f.bind(sqlx::query(&list_sql)).fetch_all(&self.pool).await?;
        let ca = self.public_ca(&admin.pemda_id).await?;
        let now = now_ms();
        let items =
            rows.iter().map(|r| cert_view(r, ca.as_deref(), now)).collect::<Result<Vec<_>>>()?;
        Ok(CertPage { items, total, page })
    }
}

/// Unlocks for signing with the local CA: used by `sign::LocalCaSigner`.
pub(crate) async fn unlock_for(
    store: &Store,
    user: &SessionUser,
    ip: Option<String>,
    credentials: &SignCredentials,
) -> Result<SigningKeyHandle> {
    let pass = credentials.passphrase.as_deref().unwrap_or("");
    store.unlock_signing_key(user, ip, pass).await
}
