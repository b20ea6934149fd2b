//! Second factor: an authenticator app (TOTP, RFC 6238) with one-time recovery codes, checked at
//! login (between the password and the session) and again before signing when the session's last
//! check is older than the Pemda's limit; and each person's list of their own sessions.
//!
//! Who must have one: every Admin Pemda, Admin OPD and certificate holder (live or waiting for its
//! passphrase), from the Pemda's `second_factor_due_ms`; before that the Beranda asks them, after it
//! their session can do nothing but set one up. Anyone else may.
//!
//! Failed codes count on the account like failed passwords (`reserve_password_attempt`), so the
//! lock-out covers both; a right password does not clear the count while its code is still due.

use super::accounts::token_hash;
use super::notifications::notify_tx;
use super::{Actor, Store};
use crate::rights::PemdaAdmin;
use crate::{BackendError, Result, now_ms, random_token};
use domain::Lang;
use domain::model::{SecondFactorStatus, SessionInfo, SessionUser};
use domain::second_factor::{
    CodeInput, RECOVERY_ALPHABET, RECOVERY_CODES, RECOVERY_LEN, device_label, format_recovery,
    parse_code,
};
use serde_json::json;
use sqlx::Row;
use totp_rs::{Algorithm, Secret, TOTP};

/// A login challenge (password right, code still to come) lasts this long.
pub const CHALLENGE_MS: i64 = 5 * 60 * 1000;
const STEP_S: u64 = 30;

/// What the enrolment page shows once: the secret as a QR code and as text.
#[derive(Clone, Debug)]
pub struct Enrolment {
    /// Base32, as authenticator apps take it when typed.
    pub secret: String,
    /// The `otpauth://` address the QR code carries.
    pub url: String,
}

fn totp_of(secret_b32: &str) -> Result<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string())
        .to_bytes()
        .map_err(|e| BackendError::internal(format!("second factor secret: {e:?}")))?;
    // Skew 0: the caller tries the neighbouring steps itself, to learn which one matched.
    TOTP::new(Algorithm::SHA1, 6, 0, STEP_S, bytes)
        .map_err(|e| BackendError::internal(format!("second factor secret: {e:?}")))
}

/// The 30-second step (at most one step off the clock, either way) whose code is `code`.
fn matching_step(secret_b32: &str, code: &str, now_s: u64) -> Result<Option<i64>> {
    let totp = totp_of(secret_b32)?;
    for t in [now_s.saturating_sub(STEP_S), now_s, now_s + STEP_S] {
        if totp.check(code, t) {
            return Ok(Some((t / STEP_S) as i64));
        }
    }
    Ok(None)
}

/// The code of a secret `steps` steps of 30 s from now (0: the current one). For tests and the
/// browser tests' helper; never sent to a browser.
pub fn code_in(secret_b32: &str, steps: i64) -> Result<String> {
    let t = (now_ms() / 1000 + steps * STEP_S as i64).max(0) as u64;
    Ok(totp_of(secret_b32)?.generate(t))
}

fn recovery_hash(code: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(format!("eoffice-recovery:{code}").as_bytes()))
}

fn new_recovery_codes() -> Vec<String> {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            (0..RECOVERY_LEN)
                .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect()
        })
        .collect()
}

fn wrong_code() -> BackendError {
    BackendError::invalid(
        "Kode verifikasi salah atau sudah dipakai. Periksa jam ponsel Anda, lalu coba kode yang baru.",
    )
}

fn locked(until_ms: i64) -> BackendError {
    BackendError::RateLimited(format!(
        "Terlalu banyak kode atau kata sandi yang salah. Coba lagi dalam {} menit.",
        domain::account::minutes_left(until_ms, now_ms())
    ))
}

impl Store {
    /// Whether the person must have a second factor: an admin of a Pemda or OPD, or the holder of
    /// a certificate that is live or waiting for its passphrase.
    pub async fn requires_second_factor(&self, employee_id: &str) -> Result<bool> {
        let n: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM role_grant WHERE employee_id = $1 AND role IN ('admin_pemda', 'admin_opd')) \
             + (SELECT COUNT(*) FROM signing_cert WHERE employee_id = $1 AND status IN ('menunggu_passphrase', 'aktif')) AS n",
        )
        .bind(employee_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok(n > 0)
    }

    /// (confirmed second factor, the date from which one is required when it is and none is set up).
    pub(crate) async fn second_factor_flags(
        &self,
        employee_id: &str,
        pemda_id: &str,
    ) -> Result<(bool, Option<i64>)> {
        let enrolled = sqlx::query(
            "SELECT 1 AS x FROM second_factor WHERE employee_id = $1 AND confirmed_ms IS NOT NULL",
        )
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?
        .is_some();
        if enrolled || !self.requires_second_factor(employee_id).await? {
            return Ok((enrolled, None));
        }
        let due: i64 = sqlx::query("SELECT second_factor_due_ms FROM pemda WHERE id = $1")
            .bind(pemda_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("second_factor_due_ms")?;
        Ok((false, Some(due)))
    }

    /// What the security page shows of the caller's second factor.
    pub async fn second_factor_status(&self, user: &SessionUser) -> Result<SecondFactorStatus> {
        let row = sqlx::query("SELECT confirmed_ms FROM second_factor WHERE employee_id = $1")
            .bind(&user.employee_id)
            .fetch_optional(&self.pool)
            .await?;
        let since_ms = match row {
            Some(r) => r.try_get::<Option<i64>, _>("confirmed_ms")?,
            None => None,
        };
        let left: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_code WHERE employee_id = $1 AND used_ms IS NULL",
        )
        .bind(&user.employee_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let r = sqlx::query(
            "SELECT second_factor_due_ms, second_factor_recheck_minutes FROM pemda WHERE id = $1",
        )
        .bind(&user.pemda_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(SecondFactorStatus {
            enrolled_since_ms: since_ms,
            required: self.requires_second_factor(&user.employee_id).await?,
            due_ms: r.try_get("second_factor_due_ms")?,
            recovery_codes_left: left,
            recheck_minutes: r.try_get("second_factor_recheck_minutes")?,
        })
    }

    /// Starts (or restarts) setting up an authenticator: a new secret, not in force until
    /// `confirm_second_factor` sees a code made from it.
    pub async fn begin_second_factor(&self, user: &SessionUser) -> Result<Enrolment> {
        let mut bytes = [0u8; 20];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        let secret = match Secret::Raw(bytes.to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => return Err(BackendError::internal("base32 secret")),
        };
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query("SELECT confirmed_ms FROM second_factor WHERE employee_id = $1")
            .bind(&user.employee_id)
            .fetch_optional(tx.conn())
            .await?;
        if let Some(r) = existing
            && r.try_get::<Option<i64>, _>("confirmed_ms")?.is_some()
        {
            return Err(BackendError::Conflict(
                "Verifikasi dua langkah sudah aktif. Untuk mengganti ponsel, nonaktifkan dulu lalu aktifkan lagi (atau minta Admin Pemda meresetnya bila ponsel hilang).".into(),
            ));
        }
        sqlx::query("DELETE FROM second_factor WHERE employee_id = $1")
            .bind(&user.employee_id)
            .execute(tx.conn())
            .await?;
        sqlx::query("INSERT INTO second_factor (employee_id, secret, confirmed_ms, last_step, created_ms) VALUES ($1, $2, NULL, 0, $3)")
            .bind(&user.employee_id)
            .bind(&secret)
            .bind(now_ms())
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        let label = format!("e-Office {}:{}", user.pemda_name, user.nip);
        let url = format!(
            "otpauth://totp/{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30",
            percent(&label),
            percent(&format!("e-Office {}", user.pemda_name)),
        );
        Ok(Enrolment { secret, url })
    }

    /// Puts the authenticator in force once a code made from its secret is typed; returns the new
    /// recovery codes (shown once; only their hashes stay). The current session counts as checked.
    pub async fn confirm_second_factor(
        &self,
        actor: &Actor,
        user: &SessionUser,
        session_token: &str,
        code: &str,
    ) -> Result<Vec<String>> {
        let row =
            sqlx::query("SELECT secret, confirmed_ms FROM second_factor WHERE employee_id = $1")
                .bind(&user.employee_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else {
            return Err(BackendError::invalid("Mulai dulu dengan tombol Aktifkan."));
        };
        if row.try_get::<Option<i64>, _>("confirmed_ms")?.is_some() {
            return Err(BackendError::Conflict("Verifikasi dua langkah sudah aktif.".into()));
        }
        let secret: String = row.try_get("secret")?;
        let CodeInput::Totp(code) = parse_code(code) else {
            return Err(BackendError::invalid(
                "Masukkan 6 angka yang tampil di aplikasi autentikator.",
            ));
        };
        let Some(failures) = self.reserve_password_attempt(&user.employee_id).await? else {
            return Err(self.lock_error(&user.employee_id).await?);
        };
        let Some(step) = matching_step(&secret, &code, (now_ms() / 1000) as u64)? else {
            self.record_login_failure(actor, &user.employee_id, failures).await?;
            return Err(wrong_code());
        };
        let codes = new_recovery_codes();
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE second_factor SET confirmed_ms = $1, last_step = $2 WHERE employee_id = $3 AND confirmed_ms IS NULL AND secret = $4")
            .bind(now)
            .bind(step)
            .bind(&user.employee_id)
            .bind(&secret)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n != 1 {
            return Err(BackendError::Conflict(
                "Pengaturan berubah di tempat lain. Muat ulang halaman ini.".into(),
            ));
        }
        replace_recovery_codes(&mut tx, &user.employee_id, &codes).await?;
        sqlx::query(
            "UPDATE account SET failed_count = 0, locked_until_ms = 0 WHERE employee_id = $1",
        )
        .bind(&user.employee_id)
        .execute(tx.conn())
        .await?;
        sqlx::query("UPDATE session SET second_factor_ms = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash(session_token))
            .execute(tx.conn())
            .await?;
        tx.audit(actor, "auth.second_factor_on", "employee", Some(&user.employee_id), json!({}))
            .await?;
        tx.commit().await?;
        Ok(codes.iter().map(|c| format_recovery(c)).collect())
    }

    /// Checks a code (authenticator or recovery) of the person, counted like a password attempt.
    /// An authenticator code is accepted once; a recovery code is used up.
    pub async fn check_second_factor(
        &self,
        actor: &Actor,
        employee_id: &str,
        code: &str,
    ) -> Result<()> {
        let Some(failures) = self.reserve_password_attempt(employee_id).await? else {
            return Err(self.lock_error(employee_id).await?);
        };
        let ok = self.try_code(employee_id, code).await?;
        if !ok {
            self.record_login_failure(actor, employee_id, failures).await?;
            return Err(wrong_code());
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE account SET failed_count = 0, locked_until_ms = 0 WHERE employee_id = $1",
        )
        .bind(employee_id)
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    async fn try_code(&self, employee_id: &str, code: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT secret FROM second_factor WHERE employee_id = $1 AND confirmed_ms IS NOT NULL",
        )
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let secret: String = row.try_get("secret")?;
        let mut tx = self.begin_write().await?;
        let n = match parse_code(code) {
            CodeInput::Totp(code) => {
                let Some(step) = matching_step(&secret, &code, (now_ms() / 1000) as u64)? else {
                    return Ok(false);
                };
                // Moving `last_step` forward is the check that the code was not used before.
                sqlx::query("UPDATE second_factor SET last_step = $1 WHERE employee_id = $2 AND last_step < $1")
                    .bind(step)
                    .bind(employee_id)
                    .execute(tx.conn())
                    .await?
                    .rows_affected()
            }
            CodeInput::Recovery(code) => {
                let n = sqlx::query("UPDATE recovery_code SET used_ms = $1 WHERE employee_id = $2 AND code_hash = $3 AND used_ms IS NULL")
                    .bind(now_ms())
                    .bind(employee_id)
                    .bind(recovery_hash(&code))
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
                if n == 1 {
                    tx.audit(
                        &Actor::user(employee_id, None),
                        "auth.recovery_code_used",
                        "employee",
                        Some(employee_id),
                        json!({}),
                    )
                    .await?;
                }
                n
            }
            CodeInput::Invalid => 0,
        };
        tx.commit().await?;
        Ok(n == 1)
    }

    async fn lock_error(&self, employee_id: &str) -> Result<BackendError> {
        let until = self.account_by_employee(employee_id).await?.map_or(0, |a| a.locked_until_ms);
        Ok(locked(until))
    }

    /// Turns the second factor off; refused to whom it is required. Needs a current code.
    pub async fn disable_second_factor(
        &self,
        actor: &Actor,
        user: &SessionUser,
        code: &str,
    ) -> Result<()> {
        if self.requires_second_factor(&user.employee_id).await? {
            return Err(BackendError::Forbidden(
                "Verifikasi dua langkah wajib bagi admin dan pemegang sertifikat TTE, jadi tidak dapat dinonaktifkan.".into(),
            ));
        }
        self.check_second_factor(actor, &user.employee_id, code).await?;
        let mut tx = self.begin_write().await?;
        delete_second_factor(&mut tx, &user.employee_id).await?;
        tx.audit(actor, "auth.second_factor_off", "employee", Some(&user.employee_id), json!({}))
            .await?;
        tx.commit().await
    }

    /// New recovery codes in place of the old ones (all of which stop working). Needs a code.
    pub async fn renew_recovery_codes(
        &self,
        actor: &Actor,
        user: &SessionUser,
        code: &str,
    ) -> Result<Vec<String>> {
        self.check_second_factor(actor, &user.employee_id, code).await?;
        let codes = new_recovery_codes();
        let mut tx = self.begin_write().await?;
        replace_recovery_codes(&mut tx, &user.employee_id, &codes).await?;
        tx.audit(
            actor,
            "auth.recovery_codes_renewed",
            "employee",
            Some(&user.employee_id),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(codes.iter().map(|c| format_recovery(c)).collect())
    }

    /// The Admin Pemda removes someone's second factor (a lost phone and lost recovery codes): every
    /// session of the person ends, the person is told, and they set up a new one at next login.
    pub async fn reset_second_factor(&self, admin: &PemdaAdmin, employee_id: &str) -> Result<()> {
        let e = self.get_employee(employee_id).await?;
        if e.pemda_id != admin.pemda_id() {
            return Err(BackendError::not_found("Pegawai tidak ditemukan."));
        }
        let caller = &admin.caller().user;
        if caller.employee_id == employee_id {
            return Err(BackendError::Forbidden(
                "Verifikasi dua langkah Anda sendiri tidak dapat Anda reset; minta Admin Pemda lain."
                    .into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let n = delete_second_factor(&mut tx, employee_id).await?;
        if n == 0 {
            return Err(BackendError::invalid(
                "Pegawai ini belum mengaktifkan verifikasi dua langkah.",
            ));
        }
        sqlx::query("DELETE FROM session WHERE employee_id = $1")
            .bind(employee_id)
            .execute(tx.conn())
            .await?;
        tx.audit(
            &admin.actor(),
            "auth.second_factor_reset",
            "employee",
            Some(employee_id),
            json!({}),
        )
        .await?;
        let when = domain::time::long_datetime(now_ms(), Lang::Id);
        notify_tx(
            &mut tx,
            &[employee_id.to_string()],
            "second_factor_reset",
            &format!(
                "Verifikasi dua langkah Anda direset oleh {} pada {when}. Aktifkan lagi di Keamanan akun.",
                caller.name
            ),
            Some("/keamanan"),
        )
        .await?;
        tx.commit().await
    }

    /// The Admin Pemda sets from which day (WIB, from its start) admins and certificate holders
    /// must have a second factor, and after how many minutes signing asks for a code again.
    pub async fn set_second_factor_policy(
        &self,
        admin: &PemdaAdmin,
        due_day: &str,
        recheck_minutes: i64,
    ) -> Result<()> {
        use domain::time::{DAY_MS, WIB_OFFSET_MS, parse_iso_date};
        let Some(day) = parse_iso_date(due_day) else {
            return Err(BackendError::invalid(
                "Tanggal wajib tidak valid (gunakan format tanggal).",
            ));
        };
        if !(0..=24 * 60).contains(&recheck_minutes) {
            return Err(BackendError::invalid(
                "Batas pemeriksaan ulang 0 sampai 1440 menit (0: setiap tanda tangan meminta kode).",
            ));
        }
        let due_ms = day * DAY_MS - WIB_OFFSET_MS;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE pemda SET second_factor_due_ms = $1, second_factor_recheck_minutes = $2 WHERE id = $3")
            .bind(due_ms)
            .bind(recheck_minutes)
            .bind(admin.pemda_id())
            .execute(tx.conn())
            .await?;
        tx.audit(
            &admin.actor(),
            "pemda.second_factor_policy",
            "pemda",
            Some(admin.pemda_id()),
            json!({ "due_day": due_day.trim(), "recheck_minutes": recheck_minutes }),
        )
        .await?;
        tx.commit().await
    }

    // ---------- Login challenge ----------

    /// After a right password of someone with a second factor: a token for the code step.
    pub async fn open_login_challenge(&self, employee_id: &str) -> Result<String> {
        let token = random_token(32);
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_challenge WHERE expires_ms < $1")
            .bind(now)
            .execute(tx.conn())
            .await?;
        sqlx::query("INSERT INTO login_challenge (token_hash, employee_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4)")
            .bind(token_hash(&token))
            .bind(employee_id)
            .bind(now)
            .bind(now + CHALLENGE_MS)
            .execute(tx.conn())
            .await?;
        // The password was right: its advance count is given back, so the code gets the attempts
        // that are left, and a right password alone never clears earlier failures.
        sqlx::query("UPDATE account SET failed_count = CASE WHEN failed_count > 0 THEN failed_count - 1 ELSE 0 END, locked_until_ms = 0 WHERE employee_id = $1")
            .bind(employee_id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The person a live login challenge is for.
    pub async fn login_challenge(&self, token: &str) -> Result<Option<String>> {
        let r = sqlx::query(
            "SELECT employee_id FROM login_challenge WHERE token_hash = $1 AND expires_ms >= $2",
        )
        .bind(token_hash(token))
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| r.try_get("employee_id")).transpose()?)
    }

    pub async fn close_login_challenge(&self, token: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_challenge WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }

    /// Notes a second-factor check on a session (login with a code, or a re-check).
    pub async fn mark_session_checked(&self, session_token: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE session SET second_factor_ms = $1 WHERE token_hash = $2")
            .bind(now_ms())
            .bind(token_hash(session_token))
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }

    /// Whether signing now needs a code: a second factor is in force and this session's last check
    /// is older than the Pemda's `second_factor_recheck_minutes`. Also returns those minutes.
    pub async fn signing_code_needed(
        &self,
        user: &SessionUser,
        session_token: &str,
    ) -> Result<(bool, i64)> {
        let r = sqlx::query(
            "SELECT s.second_factor_ms, p.second_factor_recheck_minutes FROM session s JOIN employee e ON e.id = s.employee_id \
             JOIN pemda p ON p.id = e.pemda_id WHERE s.token_hash = $1",
        )
        .bind(token_hash(session_token))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(BackendError::Unauthenticated)?;
        let last: i64 = r.try_get("second_factor_ms")?;
        let minutes: i64 = r.try_get("second_factor_recheck_minutes")?;
        Ok((user.second_factor && now_ms() - last > minutes * 60_000, minutes))
    }

    /// Before signing: with a second factor in force, the session's last check must be recent, or
    /// `code` must be a right one now (which then counts as this session's check).
    pub async fn check_signing_factor(
        &self,
        user: &SessionUser,
        ip: Option<String>,
        session_token: &str,
        code: Option<&str>,
    ) -> Result<()> {
        let (needed, minutes) = self.signing_code_needed(user, session_token).await?;
        if !needed {
            return Ok(());
        }
        let code = code.map(str::trim).unwrap_or("");
        if code.is_empty() {
            return Err(BackendError::invalid(format!(
                "Masukkan kode verifikasi dua langkah dari aplikasi autentikator Anda: pemeriksaan terakhir lebih dari {minutes} menit yang lalu."
            )));
        }
        self.check_second_factor(&Actor::user(&user.employee_id, ip), &user.employee_id, code)
            .await?;
        self.mark_session_checked(session_token).await
    }

    // ---------- Sessions ----------

    /// The caller's live sessions, the current one first, then the most recently used.
    pub async fn my_sessions(
        &self,
        user: &SessionUser,
        current_token: &str,
        lang: Lang,
    ) -> Result<Vec<SessionInfo>> {
        let now = now_ms();
        let current = token_hash(current_token);
        let rows = sqlx::query(
            "SELECT token_hash, created_ms, last_seen_ms, ip, user_agent FROM session \
             WHERE employee_id = $1 AND expires_ms >= $2 AND last_seen_ms >= $3 ORDER BY last_seen_ms DESC",
        )
        .bind(&user.employee_id)
        .bind(now)
        .bind(now - super::accounts::SESSION_IDLE_MS)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                let hash: String = r.try_get("token_hash")?;
                Ok(SessionInfo {
                    id: hash[..16].to_string(),
                    device: device_label(&r.try_get::<String, _>("user_agent")?, lang),
                    ip: r.try_get("ip")?,
                    created_ms: r.try_get("created_ms")?,
                    last_seen_ms: r.try_get("last_seen_ms")?,
                    current: hash == current,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|s| !s.current);
        Ok(out)
    }

    /// Ends one of the caller's own sessions (by the id `my_sessions` gives), or, with `id` None,
    /// every one but the current. Returns how many ended.
    pub async fn end_sessions(
        &self,
        actor: &Actor,
        user: &SessionUser,
        current_token: &str,
        id: Option<&str>,
    ) -> Result<u64> {
        let current = token_hash(current_token);
        let mut tx = self.begin_write().await?;
        let n = match id {
            Some(id) => {
                if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(BackendError::not_found("Sesi tidak ditemukan."));
                }
                sqlx::query(
                    "DELETE FROM session WHERE employee_id = $1 AND SUBSTR(token_hash, 1, 16) = $2",
                )
                .bind(&user.employee_id)
                .bind(id)
                .execute(tx.conn())
                .await?
                .rows_affected()
            }
            None => sqlx::query("DELETE FROM session WHERE employee_id = $1 AND token_hash <> $2")
                .bind(&user.employee_id)
                .bind(&current)
                .execute(tx.conn())
                .await?
                .rows_affected(),
        };
        if id.is_some() && n == 0 {
            return Err(BackendError::not_found("Sesi tidak ditemukan atau sudah berakhir."));
        }
        tx.audit(
            actor,
            "auth.sessions_ended",
            "employee",
            Some(&user.employee_id),
            json!({ "count": n }),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }
}

async fn replace_recovery_codes(
    tx: &mut super::WriteTx,
    employee_id: &str,
    codes: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM recovery_code WHERE employee_id = $1")
        .bind(employee_id)
        .execute(tx.conn())
        .await?;
    for c in codes {
        sqlx::query(
            "INSERT INTO recovery_code (employee_id, code_hash, used_ms) VALUES ($1, $2, NULL)",
        )
        .bind(employee_id)
        .bind(recovery_hash(c))
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

async fn delete_second_factor(tx: &mut super::WriteTx, employee_id: &str) -> Result<u64> {
    sqlx::query("DELETE FROM recovery_code WHERE employee_id = $1")
        .bind(employee_id)
        .execute(tx.conn())
        .await?;
    Ok(sqlx::query("DELETE FROM second_factor WHERE employee_id = $1 AND confirmed_ms IS NOT NULL")
        .bind(employee_id)
        .execute(tx.conn())
        .await?
        .rows_affected())
}

/// Percent-encodes for the otpauth address (RFC 3986 unreserved characters pass).
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_neighbours_only() {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        let t = totp_of(secret).unwrap();
        let now = 1_700_000_000u64;
        let code = t.generate(now);
        assert_eq!(matching_step(secret, &code, now).unwrap(), Some((now / 30) as i64));
        // A code of the previous step is still accepted (clock drift), two steps back it is not.
        assert!(matching_step(secret, &code, now + 30).unwrap().is_some());
        assert_eq!(matching_step(secret, &code, now + 90).unwrap(), None);
    }

    #[test]
    fn rfc_6238_reference_value() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); the 6-digit code is its tail.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        assert_eq!(totp_of(&secret).unwrap().generate(59), "287082");
    }

    #[test]
    fn recovery_codes_are_distinct_and_in_the_alphabet() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let set: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(set.len(), codes.len());
        for c in &codes {
            assert_eq!(parse_code(&format_recovery(c)), CodeInput::Recovery(c.clone()));
        }
    }

    #[test]
    fn otpauth_labels_are_percent_encoded() {
        assert_eq!(percent("e-Office Kab. Contoh:1980"), "e-Office%20Kab.%20Contoh%3A1980");
    }
}
