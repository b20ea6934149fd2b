//! Electronic signature (TTE) records: the installation's certificate authority, officials' signing
//! certificates, passphrase attempts, CRLs, and the checks behind the public verification page.
//!
//! Keys at rest: the CA and TSA keys are encrypted under the installation **master secret**, which
//! is never in the database (it is read from `DATA/pki-master.key` or `EOFFICE_PKI_MASTER` at
//! start and held in memory). An official's key is encrypted under the official's own passphrase,
//! so the server alone cannot sign for them. Unlocked CA keys are cached per Pemda for the life of
//! the process; an official's key is unlocked per request and wiped when the request ends.

use super::sql::{Filter, page_sql};
use super::{Actor, Store};
use crate::sign::SignCredentials;
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::letter::LetterState;
use domain::model::SessionUser;
use domain::tte::{
    CertPage, CertStatus, CertView, PkiStatus, PublicDocument, RevocationReason, SignatureCheck,
    VerifyOutcome, VerifyReport,
};
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tte::pki::{RevokedEntry, StoredCert};
use tte::{
    Certificate, EncryptedKey, IssueOptions, IssuingCa, KdfParams, KeyError, Passphrase, Pki,
    PkiNames, SignerSubject, Tsa, UnlockedKey,
};

/// File name of the master secret in the data folder.
pub const MASTER_FILE: &str = "pki-master.key";
/// Wrong passphrases allowed per certificate within [`ATTEMPT_WINDOW_MS`].
pub const MAX_WRONG_PASSPHRASES: i64 = 5;
pub const ATTEMPT_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MIN_PASSPHRASE_CHARS: usize = 10;
/// Longest validity the Admin Pemda may give a signing certificate (5 years).
pub const MAX_VALIDITY_DAYS: i64 = 1826;
/// A CRL is remade at most this often (a revocation on this server copy remakes it at once).
const CRL_CACHE_MS: i64 = 60_000;
/// nextUpdate of every CRL: relying parties fetch again within a day.
const CRL_LIFETIME: Duration = Duration::from_secs(24 * 3600);
const PAGE_SIZE: i64 = 50;

fn no_pki() -> BackendError {
    BackendError::invalid(
        "Otoritas sertifikat (PKI) belum dibuat. Administrator server perlu menjalankan `eoffice pki init`.",
    )
}

fn no_master() -> BackendError {
    BackendError::invalid(
        "Kunci induk PKI belum dimuat di server (berkas pki-master.key atau EOFFICE_PKI_MASTER). Hubungi administrator server.",
    )
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> BackendError {
    BackendError::caused("PKI", e)
}

fn time_of_ms(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)
}

/// Runs CPU-heavy key work (Argon2, key generation) off the async runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(internal)
}

// --- Master secret ---------------------------------------------------------------------------

/// `DATA/pki-master.key`.
pub fn master_path(data_dir: &Path) -> PathBuf {
    data_dir.join(MASTER_FILE)
}

/// Reads the master secret file: the first line that is neither empty nor a `#` comment.
/// `Ok(None)` when the file does not exist.
pub fn read_master_file(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let secret = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string);
            match secret {
                Some(s) if s.len() >= 32 => Ok(Some(s)),
                _ => Err(BackendError::internal(format!(
                    "{} holds no usable master secret",
                    path.display()
                ))),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(BackendError::caused(format!("read {}", path.display()), e)),
    }
}

/// Creates a new random master secret file (mode 0600); refuses to overwrite an existing one.
pub fn create_master_file(path: &Path) -> Result<String> {
    use std::io::Write;
    let secret = crate::random_token(32);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| BackendError::caused(format!("create {}", path.display()), e))?;
    let text = format!(
        "# e-Office PKI master secret. It decrypts the keys of the installation's certificate authority\n\
         # and time-stamp authority stored in the database. Back this file up, apart from the database\n\
         # backups, and keep it readable by the server account only. Without it no certificate can be\n\
         # issued and no letter signed; with it and a database copy, anyone can issue certificates.\n\
         {secret}\n"
    );
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| BackendError::caused(format!("write {}", path.display()), e))?;
    Ok(secret)
}

// --- Runtime state ---------------------------------------------------------------------------

/// The CA of one Pemda with its keys unlocked (held for the life of the process).
pub struct CaKeys {
    pub root: Certificate,
    pub issuing: IssuingCa,
    pub tsa: Tsa,
    /// CN of the issuing CA, printed on letters and shown on the verification page.
    pub issuer_name: String,
}

/// What anyone may know about a Pemda's CA (no keys).
pub struct PublicCa {
    pub root: Certificate,
    pub root_der: Vec<u8>,
    pub issuing: Certificate,
    pub issuer_name: String,
    pub root_subject: String,
    pub issuing_subject: String,
    pub issuing_not_after_ms: i64,
}

/// Per-process TTE state kept in the [`Store`].
#[derive(Default)]
pub struct PkiRuntime {
    master: RwLock<Option<Passphrase>>,
    public_base: RwLock<String>,
    cas: Mutex<HashMap<String, Arc<CaKeys>>>,
    public: Mutex<HashMap<String, Arc<PublicCa>>>,
    crls: Mutex<HashMap<String, (i64, Vec<u8>)>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An official's key, unlocked for one request, with what signing needs. The key is wiped on drop.
pub struct SigningKeyHandle {
    pub cert_id: String,
    pub key: UnlockedKey,
    pub cert: Certificate,
    pub ca: Arc<CaKeys>,
}

fn cn_of_rfc4514(s: &str) -> String {
    // Split on unescaped commas; RFC 4514 escapes a comma inside a value as "\,".
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut esc = false;
    for c in s.chars() {
        if esc {
            cur.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else if c == ',' {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    parts
        .iter()
        .find_map(|p| p.trim().strip_prefix("CN=").map(str::to_string))
        .unwrap_or_else(|| s.to_string())
}

fn common_name(c: &Certificate) -> String {
    tte::pki::subject_fields(&c.tbs_certificate.subject).common_name.unwrap_or_default()
}

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
     c.not_before_ms, c.not_after_ms, c.revoked_ms, c.revoked_reason, c.created_ms, e.name AS e_name, e.nip AS e_nip, o.name AS o_name, \
     COALESCE(p.title, '') AS p_title";
const CERT_FROM: &str = "signing_cert c JOIN employee e ON e.id = c.employee_id JOIN opd o ON o.id = e.opd_id LEFT JOIN position p ON p.id = e.position_id";

fn status_of(stored: &str, not_after_ms: Option<i64>, now: i64) -> CertStatus {
    match CertStatus::from_code(stored) {
        Some(CertStatus::Aktif) if not_after_ms.is_some_and(|t| t <= now) => {
            CertStatus::Kedaluwarsa
        }
        Some(s) => s,
        None => CertStatus::Dicabut,
    }
}

fn cert_view(r: &sqlx::any::AnyRow, issuer: &str, now: i64) -> Result<CertView> {
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

fn to_tte_reason(r: RevocationReason) -> tte::pki::RevocationReason {
    use tte::pki::RevocationReason as T;
    match r {
        RevocationReason::KeyCompromise => T::KeyCompromise,
        RevocationReason::AffiliationChanged => T::AffiliationChanged,
        RevocationReason::Superseded => T::Superseded,
        RevocationReason::CessationOfOperation => T::CessationOfOperation,
        RevocationReason::Unspecified => T::Unspecified,
    }
}

/// What the database says about a certificate serial, for revocation checks.
struct SerialRecord {
    status: String,
    revoked_ms: Option<i64>,
    revoked_reason: Option<String>,
    not_after_ms: Option<i64>,
}

impl Store {
    // --- Configuration -------------------------------------------------------------------

    /// Sets (or clears) the master secret that opens the CA keys. Clears the cached CA keys.
    pub fn set_pki_master(&self, secret: Option<String>) {
        *self.pki.master.write().unwrap_or_else(|e| e.into_inner()) = secret.map(Passphrase::new);
        lock(&self.pki.cas).clear();
    }

    pub fn has_pki_master(&self) -> bool {
        self.pki.master.read().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// The public base URL of this installation (e.g. `https://eoffice.bojonegorokab.go.id`), used
    /// for QR codes, the CRL distribution point and the verification links.
    pub fn set_public_base(&self, url: &str) {
        *self.pki.public_base.write().unwrap_or_else(|e| e.into_inner()) =
            url.trim().trim_end_matches('/').to_string();
    }

    pub fn public_base(&self) -> String {
        self.pki.public_base.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn master(&self) -> Result<Passphrase> {
        self.pki.master.read().unwrap_or_else(|e| e.into_inner()).clone().ok_or_else(no_master)
    }

    /// The Pemda whose PKI this installation serves (the first one created).
    pub async fn installation_pemda(&self) -> Result<Option<String>> {
        Ok(sqlx::query("SELECT pemda_id FROM pki_ca ORDER BY created_ms, pemda_id LIMIT 1")
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("pemda_id"))
            .transpose()?)
    }

    /// The one Pemda of this database (the CLI's `pki init` works on it); an error when there
    /// are several, `None` when there is none.
    pub async fn sole_pemda(&self) -> Result<Option<String>> {
        let rows = sqlx::query("SELECT id FROM pemda ORDER BY created_ms LIMIT 2")
            .fetch_all(&self.pool)
            .await?;
        match rows.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.try_get("id")?)),
            _ => Err(BackendError::invalid("Basis data ini memuat lebih dari satu Pemda.")),
        }
    }

    // --- The CA --------------------------------------------------------------------------

    /// Creates the PKI of a Pemda (root CA, issuing CA, TSA), its keys encrypted under the master
    /// secret. Refuses when one exists.
    pub async fn init_pki(&self, actor: &Actor, pemda_id: &str) -> Result<PkiStatus> {
        let master = self.master()?;
        let pemda = self.get_pemda(pemda_id).await?;
        if self.public_ca(pemda_id).await?.is_some() {
            return Err(BackendError::Conflict(format!(
                "PKI untuk {} sudah ada; tidak dibuat ulang.",
                pemda.name
            )));
        }
        let names = PkiNames { installation: pemda.short_name.clone(), pemda: pemda.name.clone() };
        let pki = blocking(move || Pki::init(&names, &master, SystemTime::now()))
            .await?
            .map_err(internal)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO pki_ca (pemda_id, root_cert, root_key, issuing_cert, issuing_key, tsa_cert, tsa_key, created_by, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(pemda_id)
        .bind(pki.root.cert_der.clone())
        .bind(pki.root.key.to_compact())
        .bind(pki.issuing.cert_der.clone())
        .bind(pki.issuing.key.to_compact())
        .bind(pki.tsa.cert_der.clone())
        .bind(pki.tsa.key.to_compact())
        .bind(actor.employee_id.clone())
        .bind(now_ms())
        .execute(tx.conn())
        .await
        .map_err(|e| if crate::error::is_unique_violation(&e) { BackendError::Conflict("PKI sudah ada; tidak dibuat ulang.".into()) } else { e.into() })?;
        tx.audit(actor, "tte.pki_init", "pemda", Some(pemda_id), json!({ "root": pki.root_cert().map(|c| c.tbs_certificate.subject.to_string()).unwrap_or_default() })).await?;
        tx.commit().await?;
        self.pki_status(pemda_id).await
    }

    /// The CA as the admin page shows it.
    pub async fn pki_status(&self, pemda_id: &str) -> Result<PkiStatus> {
        let base = self.public_base();
        let crl_url = format!("{base}/pki/crl");
        let root_url = format!("{base}/pki/root.pem");
        Ok(match self.public_ca(pemda_id).await? {
            Some(ca) => PkiStatus {
                initialised: true,
                root_subject: ca.root_subject.clone(),
                issuing_subject: ca.issuing_subject.clone(),
                issuing_not_after_ms: Some(ca.issuing_not_after_ms),
                crl_url,
                root_url,
            },
            None => PkiStatus {
                initialised: false,
                root_subject: String::new(),
                issuing_subject: String::new(),
                issuing_not_after_ms: None,
                crl_url,
                root_url,
            },
        })
    }

    /// Public certificates of a Pemda's CA (cached; they never change once made).
    pub async fn public_ca(&self, pemda_id: &str) -> Result<Option<Arc<PublicCa>>> {
        if let Some(c) = lock(&self.pki.public).get(pemda_id) {
            return Ok(Some(c.clone()));
        }
        let Some(r) = sqlx::query("SELECT root_cert, issuing_cert FROM pki_ca WHERE pemda_id = $1")
            .bind(pemda_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let root_der: Vec<u8> = r.try_get("root_cert")?;
        let issuing_der: Vec<u8> = r.try_get("issuing_cert")?;
        let root = tte::parse_certificate(&root_der).map_err(internal)?;
        let issuing = tte::parse_certificate(&issuing_der).map_err(internal)?;
        let ca = Arc::new(PublicCa {
            issuer_name: common_name(&issuing),
            root_subject: root.tbs_certificate.subject.to_string(),
            issuing_subject: issuing.tbs_certificate.subject.to_string(),
            issuing_not_after_ms: issuing
                .tbs_certificate
                .validity
                .not_after
                .to_unix_duration()
                .as_millis() as i64,
            root,
            root_der,
            issuing,
        });
        lock(&self.pki.public).insert(pemda_id.to_string(), ca.clone());
        Ok(Some(ca))
    }

    /// The CA with its keys unlocked by the master secret (cached for the process).
    pub async fn ca_keys(&self, pemda_id: &str) -> Result<Arc<CaKeys>> {
        if let Some(c) = lock(&self.pki.cas).get(pemda_id) {
            return Ok(c.clone());
        }
        let master = self.master()?;
        let r = sqlx::query("SELECT root_cert, root_key, issuing_cert, issuing_key, tsa_cert, tsa_key FROM pki_ca WHERE pemda_id = $1")
            .bind(pemda_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(no_pki)?;
        let stored = |c: &str, k: &str| -> Result<StoredCert> {
            Ok(StoredCert {
                cert_der: r.try_get(c)?,
                key: EncryptedKey::from_compact(&r.try_get::<String, _>(k)?).map_err(internal)?,
            })
        };
        let pki = Pki {
            root: stored("root_cert", "root_key")?,
            issuing: stored("issuing_cert", "issuing_key")?,
            tsa: stored("tsa_cert", "tsa_key")?,
        };
        let ca = blocking(move || -> std::result::Result<CaKeys, tte::PkiError> {
            let issuing = pki.unlock_issuing(&master)?;
            let tsa = pki.unlock_tsa(&master)?;
            Ok(CaKeys { root: pki.root_cert()?, issuer_name: common_name(&issuing.cert), issuing, tsa })
        })
        .await?
        .map_err(|e| match e {
            tte::PkiError::Key(KeyError::WrongPassphrase) => {
                BackendError::internal("the PKI master secret does not open the CA keys in this database (wrong pki-master.key?)")
            }
            other => internal(other),
        })?;
        let ca = Arc::new(ca);
        lock(&self.pki.cas).insert(pemda_id.to_string(), ca.clone());
        Ok(ca)
    }

    /// Answers an RFC 3161 request with the Pemda's TSA (DER TimeStampResp; errors become rejections).
    pub async fn tsa_reply(&self, pemda_id: &str, request: &[u8]) -> Result<Vec<u8>> {
        let ca = self.ca_keys(pemda_id).await?;
        Ok(ca.tsa.handle_http_request(request, SystemTime::now()))
    }

    /// A current DER CRL signed by the issuing CA (valid one day), remade at most once a minute.
    pub async fn crl_der(&self, pemda_id: &str) -> Result<Vec<u8>> {
        let now = now_ms();
        if let Some((at, der)) = lock(&self.pki.crls).get(pemda_id)
            && now - at < CRL_CACHE_MS
        {
            return Ok(der.clone());
        }
        let ca = self.ca_keys(pemda_id).await?;
        let rows = sqlx::query("SELECT serial_hex, revoked_ms, revoked_reason FROM signing_cert WHERE pemda_id = $1 AND status = 'dicabut' AND serial_hex <> '' ORDER BY revoked_ms")
            .bind(pemda_id)
            .fetch_all(&self.pool)
            .await?;
        let mut revoked = Vec::with_capacity(rows.len());
        for r in &rows {
            let serial: String = r.try_get("serial_hex")?;
            let reason = r
                .try_get::<Option<String>, _>("revoked_reason")?
                .as_deref()
                .and_then(RevocationReason::from_code)
                .unwrap_or(RevocationReason::Unspecified);
            revoked.push(RevokedEntry {
                serial: tte::pki::serial_from_hex(&serial).map_err(internal)?,
                revoked_at: time_of_ms(r.try_get::<Option<i64>, _>("revoked_ms")?.unwrap_or(now)),
                reason: to_tte_reason(reason),
            });
        }
        let this_update = time_of_ms(now);
        let der = tte::make_crl(&ca.issuing, &revoked, this_update, this_update + CRL_LIFETIME)
            .map_err(internal)?;
        lock(&self.pki.crls).insert(pemda_id.to_string(), (now, der.clone()));
        Ok(der)
    }

    /// The root certificate as PEM, for validators (pdfsig's NSS store, pyHanko `--trust`).
    pub async fn root_pem(&self, pemda_id: &str) -> Result<String> {
        let ca = self.public_ca(pemda_id).await?.ok_or_else(no_pki)?;
        Ok(tte::pki::cert_to_pem(&ca.root_der))
    }

    /// The roots of every PKI in this database: the trust anchors of verification.
    pub async fn trust_anchors(&self) -> Result<Vec<Certificate>> {
        let ids: Vec<String> = sqlx::query("SELECT pemda_id FROM pki_ca ORDER BY created_ms")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("pemda_id"))
            .collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(ca) = self.public_ca(&id).await? {
                out.push(ca.root.clone());
            }
        }
        Ok(out)
    }

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
        let issuer =
            self.public_ca(&pemda).await?.map(|c| c.issuer_name.clone()).unwrap_or_default();
        Ok(Some(cert_view(&r, &issuer, now_ms())?))
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
            crl_url: Some(format!("{}/pki/crl", self.public_base())),
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
             subject_opd = $7, subject_pemda = $8, not_before_ms = $9, not_after_ms = $10, activated_ms = $11 WHERE id = $12 AND status = 'menunggu_passphrase'",
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
        tx.commit().await?;
        lock(&self.pki.crls).remove(&admin.pemda_id);
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
        let issuer = self
            .public_ca(&admin.pemda_id)
            .await?
            .map(|c| c.issuer_name.clone())
            .unwrap_or_default();
        let now = now_ms();
        let items = rows.iter().map(|r| cert_view(r, &issuer, now)).collect::<Result<Vec<_>>>()?;
        Ok(CertPage { items, total, page })
    }

    // --- Verification ----------------------------------------------------------------------

    async fn serial_record(&self, serial_hex: &str) -> Result<Option<SerialRecord>> {
        let r = sqlx::query("SELECT status, revoked_ms, revoked_reason, not_after_ms FROM signing_cert WHERE serial_hex = $1 LIMIT 1")
            .bind(serial_hex)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| {
            Ok(SerialRecord {
                status: r.try_get("status")?,
                revoked_ms: r.try_get("revoked_ms")?,
                revoked_reason: r.try_get("revoked_reason")?,
                not_after_ms: r.try_get("not_after_ms")?,
            })
        })
        .transpose()
    }

    /// Our view of each signature: who, when, intact, trusted, and the certificate's status now
    /// and at the signing time (from this installation's revocation records).
    async fn signature_checks(&self, verdict: &tte::Verdict) -> Result<Vec<SignatureCheck>> {
        let now = now_ms();
        let mut out = Vec::with_capacity(verdict.signatures.len());
        for s in &verdict.signatures {
            let timestamped = s.timestamp.as_ref().is_some_and(|t| t.valid);
            let signed_ms = s.validation_time_unix.map(|t| t * 1000);
            let record = match (&s.serial_hex, s.chain_trusted) {
                (Some(serial), true) => self.serial_record(serial).await?,
                _ => None,
            };
            let (status_now, revoked_ms) = match &record {
                None => ("tidak_dikenal".to_string(), None),
                Some(r) => {
                    let st = if r.status == "dicabut" {
                        CertStatus::Dicabut
                    } else if r
                        .not_after_ms
                        .or(s.cert_not_after_unix.map(|t| t * 1000))
                        .is_some_and(|t| t <= now)
                    {
                        CertStatus::Kedaluwarsa
                    } else {
                        CertStatus::Aktif
                    };
                    (st.code().to_string(), r.revoked_ms)
                }
            };
            let mut problems = s.problems.clone();
            // The chain check already required validity at the (time-stamped) signing time; a
            // revocation counts against the signature only if it came before that time, which
            // only a time stamp proves.
            let revoked_before = match (revoked_ms, signed_ms) {
                (Some(rv), Some(at)) if timestamped => rv <= at,
                (Some(_), _) => true,
                (None, _) => false,
            };
            if revoked_before {
                let why = record
                    .as_ref()
                    .and_then(|r| r.revoked_reason.as_deref())
                    .and_then(RevocationReason::from_code)
                    .map(|x| x.label())
                    .unwrap_or("");
                problems.push(format!("certificate revoked before the signing time ({why})"));
            }
            let valid_at_signing =
                s.intact && s.chain_trusted && record.is_some() && !revoked_before;
            out.push(SignatureCheck {
                status_now,
                valid_at_signing,
                revoked_ms,
                revoked_reason: record
                    .as_ref()
                    .and_then(|r| r.revoked_reason.as_deref())
                    .and_then(RevocationReason::from_code),
                problems,
                ..unchecked_revocation(s)
            });
        }
        Ok(out)
    }

    /// Checks any PDF: each signature, whether the file changed after signing, whether it is a
    /// document this installation issued. Never fails on bad input (it answers NotPdf/NoSignature).
    pub async fn verify_upload(&self, pdf: &[u8]) -> Result<VerifyReport> {
        let anchors = self.trust_anchors().await?;
        let bytes = pdf.to_vec();
        let verdict = blocking(move || tte::verify_pdf(&bytes, &anchors)).await?;
        let sha = verdict.file_sha256.clone();
        let issued = sqlx::query("SELECT d.public_id, l.state, l.co_signer_id FROM letter_document d JOIN letter l ON l.id = d.letter_id WHERE d.sha256 = $1 LIMIT 1")
            .bind(&sha)
            .fetch_optional(&self.pool)
            .await?;
        let public_id: Option<String> =
            issued.as_ref().map(|r| r.try_get("public_id")).transpose()?;
        let checks = self.signature_checks(&verdict).await?;
        let mut report = report_of(&verdict, checks, public_id);
        // A co-signed letter between its two signatures, or one whose signing was cancelled, carries
        // valid signatures but is not a finished document.
        if let Some(r) = &issued {
            if r.try_get::<String, _>("state")? == LetterState::CoSigning.code() {
                let who = match r.try_get::<Option<String>, _>("co_signer_id")? {
                    Some(id) => self.get_employee(&id).await?.name,
                    None => "penanda tangan kedua".into(),
                };
                report.outcome = VerifyOutcome::Invalid;
                report.message_id = format!(
                    "Belum berlaku: dokumen ini masih menunggu tanda tangan elektronik kedua ({who})."
                );
                report.message_en = format!(
                    "Not valid yet: this document still waits for the second electronic signature ({who})."
                );
            }
        } else if let Some(r) =
            sqlx::query("SELECT public_id, reason FROM letter_void WHERE sha256 = $1 LIMIT 1")
                .bind(&sha)
                .fetch_optional(&self.pool)
                .await?
        {
            let reason: String = r.try_get("reason")?;
            report.outcome = VerifyOutcome::Invalid;
            report.message_id = format!(
                "Tidak berlaku: penandatanganan dokumen ini dibatalkan dan nomornya batal. {reason}"
            );
            report.message_en =
                "Not valid: the signing of this document was cancelled and its number is void."
                    .into();
            report.issued_here = true;
            report.public_id = Some(r.try_get("public_id")?);
        }
        Ok(report)
    }

    /// What the QR code's page shows: the stored document, verified now. Confidential letters
    /// (Rahasia, Sangat Rahasia) show only that the document exists and whether it is valid.
    pub async fn public_document(&self, public_id: &str) -> Result<Option<PublicDocument>> {
        if public_id.is_empty() || public_id.len() > 64 {
            return Ok(None);
        }
        // The current document of a letter, or a once-signed one whose signing was cancelled.
        let current = sqlx::query(
            "SELECT d.pdf, d.sha256, d.signer_kind, d.created_ms, l.subject, l.number, l.sifat, l.state, l.co_signer_id, l.co_signer_position_id, \
             o.name AS opd_name, e.name AS signer_name, COALESCE(p.title, '') AS signer_title, CAST(NULL AS TEXT) AS void_reason \
             FROM letter_document d JOIN letter l ON l.id = d.letter_id JOIN opd o ON o.id = l.opd_id \
             LEFT JOIN employee e ON e.id = l.signed_by LEFT JOIN position p ON p.id = l.signer_position_id WHERE d.public_id = $1",
        )
        .bind(public_id)
        .fetch_optional(&self.pool)
        .await?;
        let r = match current {
            Some(r) => r,
            None => match sqlx::query(
                "SELECT v.pdf, v.sha256, v.signer_kind, v.signed_ms AS created_ms, l.subject, v.number, l.sifat, 'void' AS state, CAST(NULL AS TEXT) AS co_signer_id, \
                 CAST(NULL AS TEXT) AS co_signer_position_id, o.name AS opd_name, e.name AS signer_name, COALESCE(p.title, '') AS signer_title, v.reason AS void_reason \
                 FROM letter_void v JOIN letter l ON l.id = v.letter_id JOIN opd o ON o.id = l.opd_id \
                 LEFT JOIN employee e ON e.id = v.signed_by LEFT JOIN position p ON p.id = l.signer_position_id WHERE v.public_id = $1",
            )
            .bind(public_id)
            .fetch_optional(&self.pool)
            .await?
            {
                Some(r) => r,
                None => return Ok(None),
            },
        };
        let pdf: Vec<u8> = r.try_get("pdf")?;
        let anchors = self.trust_anchors().await?;
        let verdict = blocking(move || tte::verify_pdf(&pdf, &anchors)).await?;
        let signatures = self.signature_checks(&verdict).await?;
        let sifat: String = r.try_get("sifat")?;
        let confidential = matches!(sifat.as_str(), "rahasia" | "sangat_rahasia");
        let first = signatures.first();
        let (signer_name, signer_position, issuer) = match first {
            Some(s) => (s.signer_name.clone(), s.signer_position.clone(), s.issuer.clone()),
            None => (
                r.try_get::<Option<String>, _>("signer_name")?.unwrap_or_default(),
                r.try_get("signer_title")?,
                String::new(),
            ),
        };
        let created: i64 = r.try_get("created_ms")?;
        let mut pending_signers = Vec::new();
        if r.try_get::<String, _>("state")? == LetterState::CoSigning.code() {
            let title = match r.try_get::<Option<String>, _>("co_signer_position_id")? {
                Some(p) => self.get_position(&p).await?.title,
                None => String::new(),
            };
            let name = match r.try_get::<Option<String>, _>("co_signer_id")? {
                Some(e) => self.get_employee(&e).await?.name,
                None => String::new(),
            };
            pending_signers.push(if name.is_empty() { title } else { format!("{title} ({name})") });
        }
        let voided: Option<String> = r.try_get("void_reason")?;
        Ok(Some(PublicDocument {
            public_id: public_id.to_string(),
            confidential,
            subject: if confidential { String::new() } else { r.try_get("subject")? },
            number: if confidential {
                String::new()
            } else {
                r.try_get::<Option<String>, _>("number")?.unwrap_or_default()
            },
            opd_name: r.try_get("opd_name")?,
            signer_name,
            signer_position,
            signed_ms: first.and_then(|s| s.signed_ms).unwrap_or(created),
            issuer,
            signer_kind: r.try_get("signer_kind")?,
            sha256: r.try_get("sha256")?,
            signatures,
            pending_signers,
            voided,
        }))
    }

    /// The stored PDF of a public, non-confidential, finished document (for the download link): not
    /// while it waits for a co-signature, and not once its signing was cancelled.
    pub async fn public_document_pdf(&self, public_id: &str) -> Result<Option<Vec<u8>>> {
        let r = sqlx::query("SELECT d.pdf, l.sifat, l.state FROM letter_document d JOIN letter l ON l.id = d.letter_id WHERE d.public_id = $1")
            .bind(public_id)
            .fetch_optional(&self.pool)
            .await?;
        match r {
            Some(r)
                if !matches!(
                    r.try_get::<String, _>("sifat")?.as_str(),
                    "rahasia" | "sangat_rahasia"
                ) && r.try_get::<String, _>("state")? != LetterState::CoSigning.code() =>
            {
                Ok(Some(r.try_get("pdf")?))
            }
            _ => Ok(None),
        }
    }

    // --- Demo ------------------------------------------------------------------------------

    /// For `serve --demo`: creates the PKI when missing and gives the demo signers (Kepala Dinas,
    /// Sekretaris, Kabid E-Government, Kepala Bappeda) active certificates under `passphrase`.
    /// Officials that already have a certificate are left alone. Returns the e-mails enrolled now.
    pub async fn setup_demo_tte(&self, passphrase: &str) -> Result<Vec<String>> {
        let Some(admin) = self.find_employee_by_email("arif.setiawan@bojonegorokab.go.id").await?
        else {
            return Ok(vec![]);
        };
        let admin = self.session_user(&admin.id, crate::today_wib()).await?;
        if self.public_ca(&admin.pemda_id).await?.is_none() {
            self.init_pki(&Actor::system(), &admin.pemda_id).await?;
        }
        let mut done = Vec::new();
        for email in DEMO_SIGNERS {
            let Some(e) = self.find_employee_by_email(email).await? else { continue };
            let user = self.session_user(&e.id, crate::today_wib()).await?;
            if self.my_certificate(&user).await?.is_some_and(|c| {
                matches!(c.status, CertStatus::Aktif | CertStatus::MenungguPassphrase)
            }) {
                continue;
            }
            self.enrol_certificate(&admin, None, &e.id, 730).await?;
            self.activate_certificate(&user, None, passphrase, passphrase).await?;
            done.push(email.to_string());
        }
        Ok(done)
    }
}

/// The demo officials that get a certificate in `serve --demo`.
pub const DEMO_SIGNERS: [&str; 4] = [
    "bambang.sutrisno@bojonegorokab.go.id",
    "ratna.kusumawati@bojonegorokab.go.id",
    "teguh.wibowo@bojonegorokab.go.id",
    "suharto.wijaya@bojonegorokab.go.id",
];

/// The overall verdict in our words.
fn report_of(
    v: &tte::Verdict,
    signatures: Vec<SignatureCheck>,
    public_id: Option<String>,
) -> VerifyReport {
    let changed = !v.signatures.is_empty()
        && (v.signatures.iter().any(|s| !s.intact || !s.later_changes_allowed)
            || v.signatures.last().is_some_and(|s| !s.covers_whole_file));
    let (outcome, id, en) = match &v.overall {
        tte::Overall::NotPdf => (VerifyOutcome::NotPdf, "Berkas ini bukan PDF.".to_string(), "The file is not a PDF.".to_string()),
        tte::Overall::NoSignature => (
            VerifyOutcome::NoSignature,
            "PDF ini tidak memuat tanda tangan elektronik.".to_string(),
            "This PDF carries no electronic signature.".to_string(),
        ),
        // A signature from another CA usually also carries that CA's time stamp, which tte reports
        // first; for a reader the untrusted signer is the point, unless the file itself changed.
        tte::Overall::Invalid { .. } if signatures.iter().all(|s| s.intact) && !changed && signatures.iter().any(|s| !s.trusted) => (
            VerifyOutcome::Invalid,
            "Tidak sah: sertifikat penanda tangan tidak diterbitkan oleh otoritas sertifikat yang dipercaya instalasi ini.".to_string(),
            "Not valid: the signer's certificate was not issued by a certificate authority this installation trusts.".to_string(),
        ),
        tte::Overall::Invalid { reason_id, reason_en } => (VerifyOutcome::Invalid, format!("Tidak sah: {reason_id}."), format!("Not valid: {reason_en}.")),
        tte::Overall::Valid => match signatures.iter().find(|s| !s.valid_at_signing) {
            Some(s) if s.status_now == "dicabut" => (
                VerifyOutcome::Invalid,
                format!("Tidak sah: sertifikat {} sudah dicabut sebelum dokumen ditandatangani.", s.signer_name),
                format!("Not valid: the certificate of {} was revoked before the document was signed.", s.signer_name),
            ),
            Some(s) => (
                VerifyOutcome::Invalid,
                format!("Tidak sah: sertifikat {} tidak terdaftar di instalasi ini.", s.signer_name),
                format!("Not valid: the certificate of {} is not registered in this installation.", s.signer_name),
            ),
            None => (
                VerifyOutcome::Valid,
                "Sah: semua tanda tangan utuh, dari sertifikat tepercaya, dan dokumen tidak diubah setelah ditandatangani.".to_string(),
                "Valid: every signature is intact and trusted, and the document was not changed after signing.".to_string(),
            ),
        },
    };
    VerifyReport {
        outcome,
        message_id: id,
        message_en: en,
        sha256: v.file_sha256.clone(),
        modified_after_signing: changed,
        issued_here: public_id.is_some(),
        public_id,
        signatures,
    }
}

/// Our view of one signature as the verifier reports it, before any revocation lookup: the
/// certificate's status is "tidak_diperiksa" and an intact, trusted signature counts as valid at
/// signing. `signature_checks` fills in the status from this installation's records.
fn unchecked_revocation(s: &tte::SignatureReport) -> SignatureCheck {
    SignatureCheck {
        signer_name: s.signer.common_name.clone().unwrap_or_default(),
        signer_nip: s.signer.serial_number.clone().unwrap_or_default(),
        signer_position: s.signer.title.clone().unwrap_or_default(),
        signer_opd: s.signer.organizational_unit.clone().unwrap_or_default(),
        issuer: s.issuer.as_deref().map(cn_of_rfc4514).unwrap_or_default(),
        serial_hex: s.serial_hex.clone().unwrap_or_default(),
        signed_ms: s.validation_time_unix.map(|t| t * 1000),
        timestamped: s.timestamp.as_ref().is_some_and(|t| t.valid),
        intact: s.intact,
        trusted: s.chain_trusted,
        status_now: "tidak_diperiksa".into(),
        valid_at_signing: s.intact && s.chain_trusted,
        revoked_ms: None,
        revoked_reason: None,
        problems: s.problems.clone(),
    }
}

/// Verifies against given trust anchors without any database (the CLI with `--root`): revocation
/// is not checked, so `status_now` is "tidak_diperiksa" and a trusted, intact signature counts as
/// valid at signing.
pub async fn verify_with_anchors(pdf: &[u8], anchors: Vec<Certificate>) -> Result<VerifyReport> {
    let bytes = pdf.to_vec();
    let verdict = blocking(move || tte::verify_pdf(&bytes, &anchors)).await?;
    let checks = verdict.signatures.iter().map(unchecked_revocation).collect();
    Ok(report_of(&verdict, checks, None))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cn_parsing() {
        assert_eq!(
            cn_of_rfc4514("CN=Issuing CA e-Office Kabupaten Bojonegoro,O=Pemerintah,C=ID"),
            "Issuing CA e-Office Kabupaten Bojonegoro"
        );
        assert_eq!(cn_of_rfc4514("C=ID,O=X\\, Y,CN=Budi\\, S.H."), "Budi, S.H.");
        assert_eq!(cn_of_rfc4514("O=X"), "O=X");
    }

    #[test]
    fn expiry_is_derived() {
        assert_eq!(status_of("aktif", Some(10), 11), CertStatus::Kedaluwarsa);
        assert_eq!(status_of("aktif", Some(10), 9), CertStatus::Aktif);
        assert_eq!(status_of("dicabut", Some(10), 9), CertStatus::Dicabut);
        assert_eq!(status_of("menunggu_passphrase", None, 9), CertStatus::MenungguPassphrase);
    }
}
