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
mod certificates;
mod verification;

#[cfg(test)]
use certificates::status_of;
use certificates::to_tte_reason;
pub(crate) use certificates::unlock_for;
pub use verification::{VERIFY_MAX_BYTES, verify_with_anchors};

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

/// The root, issuing CA and TSA of a `pki_ca` row (columns `root_cert`, `root_key`, …), keys
/// still encrypted.
fn stored_pki(r: &sqlx::any::AnyRow) -> Result<Pki> {
    let stored = |c: &str, k: &str| -> Result<StoredCert> {
        Ok(StoredCert {
            cert_der: r.try_get(c)?,
            key: EncryptedKey::from_compact(&r.try_get::<String, _>(k)?).map_err(internal)?,
        })
    };
    Ok(Pki {
        root: stored("root_cert", "root_key")?,
        issuing: stored("issuing_cert", "issuing_key")?,
        tsa: stored("tsa_cert", "tsa_key")?,
    })
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

/// Moves a new master secret file over the current one (atomic rename, then the folder synced),
/// the last step of a rotation.
pub fn replace_master_file(new: &Path, current: &Path) -> Result<()> {
    std::fs::rename(new, current).map_err(|e| {
        BackendError::caused(format!("rename {} to {}", new.display(), current.display()), e)
    })?;
    #[cfg(unix)]
    if let Some(dir) = current.parent() {
        let d = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        std::fs::File::open(d)
            .and_then(|f| f.sync_all())
            .map_err(|e| BackendError::caused(format!("sync {}", d.display()), e))?;
    }
    Ok(())
}

// --- Runtime state ---------------------------------------------------------------------------

/// The CA of one Pemda with its keys unlocked (held for the life of the process).
pub struct CaKeys {
    pub root: Certificate,
    pub issuing: IssuingCa,
    pub tsa: Tsa,
    /// CN of the issuing CA, printed on letters and shown on the verification page.
    pub issuer_name: String,
    /// Generation of the issuing CA (1, then one more at each `renew_issuing_ca`).
    pub generation: i64,
    /// The issuing CA certificates of the earlier generations (their certificates stay usable
    /// until they end or are revoked, and chain through them).
    pub previous: Vec<Certificate>,
}

impl CaKeys {
    /// The issuing CA certificate that certified `cert`: this generation's or an earlier one's.
    pub fn issuer_of(&self, cert: &Certificate) -> &Certificate {
        let name = &cert.tbs_certificate.issuer;
        std::iter::once(&self.issuing.cert)
            .chain(self.previous.iter())
            .find(|c| &c.tbs_certificate.subject == name)
            .unwrap_or(&self.issuing.cert)
    }
}

/// What `renew_issuing_ca` did.
#[derive(Debug, Clone)]
pub struct CaRenewal {
    /// The new generation of the issuing CA.
    pub generation: i64,
    /// Its subject (RFC 4514).
    pub issuing_subject: String,
    /// Certificates of earlier generations revoked with it.
    pub revoked: usize,
}

/// The CRL address written into the certificates a generation issues.
pub fn crl_path(generation: i64) -> String {
    if generation <= 1 { "/pki/crl".to_string() } else { format!("/pki/crl/{generation}") }
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
    pub generation: i64,
    /// CN of each earlier generation's issuing CA, by generation.
    pub previous_issuers: Vec<(i64, String)>,
}

impl PublicCa {
    /// CN of the issuing CA of a generation (this one's for an unknown generation).
    pub fn issuer_name_of(&self, generation: i64) -> &str {
        self.previous_issuers
            .iter()
            .find(|(g, _)| *g == generation)
            .map(|(_, n)| n.as_str())
            .unwrap_or(&self.issuer_name)
    }
}

/// Per-process TTE state kept in the [`Store`].
#[derive(Default)]
pub struct PkiRuntime {
    master: RwLock<Option<Passphrase>>,
    public_base: RwLock<String>,
    cas: Mutex<HashMap<String, Arc<CaKeys>>>,
    public: Mutex<HashMap<String, Arc<PublicCa>>>,
    crls: Mutex<HashMap<(String, i64), MadeCrl>>,
}

/// A CRL of one (Pemda, generation): when it was made (ms) and its DER.
type MadeCrl = (i64, Vec<u8>);

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

    /// Re-encrypts the keys of every CA in this database (root, issuing CA, TSA) under
    /// `new_secret`, in one transaction, and from then on uses it. The certificates and the keys
    /// themselves do not change: letters signed before stay valid and officials' certificates stay
    /// active. Refuses when the current master secret does not open the keys, and when another
    /// rotation changed them meanwhile. Returns how many CAs were re-encrypted.
    pub async fn rotate_pki_master(&self, actor: &Actor, new_secret: &str) -> Result<usize> {
        let old = self.master()?;
        let new_secret = new_secret.trim().to_string();
        if new_secret.chars().count() < 32 {
            return Err(BackendError::invalid(
                "Kunci induk baru minimal 32 karakter acak. (The new master secret needs at least 32 random characters.)",
            ));
        }
        let new = Passphrase::new(new_secret.clone());
        if new.is_same(&old) {
            return Err(BackendError::invalid(
                "Kunci induk baru sama dengan yang lama. (The new master secret is the current one.)",
            ));
        }
        let rows = sqlx::query(
            "SELECT pemda_id, root_cert, root_key, issuing_cert, issuing_key, tsa_cert, tsa_key FROM pki_ca ORDER BY created_ms, pemda_id",
        )
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(no_pki());
        }
        let retired_rows = sqlx::query(
            "SELECT pemda_id, generation, issuing_key, tsa_key FROM pki_ca_retired ORDER BY pemda_id, generation",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut retired = Vec::with_capacity(retired_rows.len());
        for r in &retired_rows {
            let key = |k: &str| -> Result<EncryptedKey> {
                EncryptedKey::from_compact(&r.try_get::<String, _>(k)?).map_err(internal)
            };
            retired.push((
                r.try_get::<String, _>("pemda_id")?,
                r.try_get::<i64, _>("generation")?,
                key("issuing_key")?,
                key("tsa_key")?,
            ));
        }
        let mut cas = Vec::with_capacity(rows.len());
        for r in &rows {
            let pemda: String = r.try_get("pemda_id")?;
            let pki = stored_pki(r)?;
            cas.push((pemda, pki));
        }
        // Argon2 six times per CA: off the async runtime.
        let (old2, new2) = (old.clone(), new.clone());
        type Retired = (String, i64, EncryptedKey, EncryptedKey, EncryptedKey, EncryptedKey);
        let (rotated, retired) = blocking(move || {
            let cas = cas
                .into_iter()
                .map(|(pemda, pki)| {
                    let again = pki.change_passphrase(&old2, &new2)?;
                    Ok((pemda, pki, again))
                })
                .collect::<std::result::Result<Vec<_>, tte::PkiError>>()?;
            let retired = retired
                .into_iter()
                .map(|(pemda, generation, issuing, tsa)| {
                    let issuing2 = issuing.change_passphrase(&old2, &new2)?;
                    let tsa2 = tsa.change_passphrase(&old2, &new2)?;
                    Ok((pemda, generation, issuing, tsa, issuing2, tsa2))
                })
                .collect::<std::result::Result<Vec<Retired>, tte::PkiError>>()?;
            Ok::<_, tte::PkiError>((cas, retired))
        })
        .await?
        .map_err(|e| match e {
            tte::PkiError::Key(KeyError::WrongPassphrase) => BackendError::invalid(
                "Kunci induk yang dimuat tidak membuka kunci CA di basis data ini; rotasi dibatalkan. (The current master secret does not open the CA keys.)",
            ),
            other => internal(other),
        })?;
        let mut tx = self.begin_write().await?;
        for (pemda, before, after) in &rotated {
            // Compare-and-set: a rotation that raced this one leaves the row changed, and this one
            // then writes nothing rather than keys the other secret cannot open.
            let done = sqlx::query(
                "UPDATE pki_ca SET root_key = $1, issuing_key = $2, tsa_key = $3 \
                 WHERE pemda_id = $4 AND root_key = $5 AND issuing_key = $6 AND tsa_key = $7",
            )
            .bind(after.root.key.to_compact())
            .bind(after.issuing.key.to_compact())
            .bind(after.tsa.key.to_compact())
            .bind(pemda.clone())
            .bind(before.root.key.to_compact())
            .bind(before.issuing.key.to_compact())
            .bind(before.tsa.key.to_compact())
            .execute(tx.conn())
            .await?
            .rows_affected();
            if done != 1 {
                return Err(BackendError::Conflict(
                    "Kunci CA berubah selama rotasi (rotasi lain berjalan bersamaan); tidak ada yang diubah. Jalankan lagi. (The CA keys changed during the rotation; nothing was changed.)".into(),
                ));
            }
            tx.audit(actor, "tte.master_rotated", "pemda", Some(pemda), json!({})).await?;
        }
        for (pemda, generation, issuing, tsa, issuing2, tsa2) in &retired {
            let done = sqlx::query(
                "UPDATE pki_ca_retired SET issuing_key = $1, tsa_key = $2 \
                 WHERE pemda_id = $3 AND generation = $4 AND issuing_key = $5 AND tsa_key = $6",
            )
            .bind(issuing2.to_compact())
            .bind(tsa2.to_compact())
            .bind(pemda.clone())
            .bind(*generation)
            .bind(issuing.to_compact())
            .bind(tsa.to_compact())
            .execute(tx.conn())
            .await?
            .rows_affected();
            if done != 1 {
                return Err(BackendError::Conflict(
                    "Kunci CA berubah selama rotasi; tidak ada yang diubah. Jalankan lagi. (The CA keys changed during the rotation; nothing was changed.)".into(),
                ));
            }
        }
        tx.commit().await?;
        self.set_pki_master(Some(new_secret));
        lock(&self.pki.crls).clear();
        Ok(rotated.len())
    }

    /// Renews the issuing CA of a Pemda: a new issuing CA and TSA (new keys) certified by the same
    /// root, so letters signed before stay valid and validators keep trusting the same root. The
    /// old generation moves to `pki_ca_retired` and keeps publishing its CRL. With
    /// `revoke_issued`, every active certificate of the earlier generations is revoked with that
    /// reason (each holder is told, and enrols again under the new CA); without it they stay
    /// usable until they end. Officials' certificates issued from now on come from the new CA.
    pub async fn renew_issuing_ca(
        &self,
        actor: &Actor,
        pemda_id: &str,
        revoke_issued: Option<RevocationReason>,
    ) -> Result<CaRenewal> {
        let master = self.master()?;
        let pemda = self.get_pemda(pemda_id).await?;
        let r = sqlx::query(
            "SELECT root_cert, root_key, issuing_cert, issuing_key, tsa_cert, tsa_key, generation FROM pki_ca WHERE pemda_id = $1",
        )
        .bind(pemda_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(no_pki)?;
        let generation: i64 = r.try_get("generation")?;
        let pki = stored_pki(&r)?;
        let names = PkiNames { installation: pemda.short_name.clone(), pemda: pemda.name.clone() };
        let next_gen = generation + 1;
        let (old, next) = blocking(move || {
            let next = pki.renew_issuing(
                &names,
                &master,
                SystemTime::now(),
                next_gen as u32,
                KdfParams::DEFAULT,
            )?;
            Ok::<_, tte::PkiError>((pki, next))
        })
        .await?
        .map_err(|e| match e {
            tte::PkiError::Key(KeyError::WrongPassphrase) => BackendError::invalid(
                "Kunci induk yang dimuat tidak membuka kunci CA di basis data ini. (The master secret does not open the CA keys.)",
            ),
            tte::PkiError::Invalid(m) => BackendError::invalid(format!(
                "Issuing CA tidak dapat diperbarui: {m}. (The issuing CA cannot be renewed.)"
            )),
            other => internal(other),
        })?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO pki_ca_retired (pemda_id, generation, issuing_cert, issuing_key, tsa_cert, tsa_key, retired_by, retired_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(pemda_id)
        .bind(generation)
        .bind(old.issuing.cert_der.clone())
        .bind(old.issuing.key.to_compact())
        .bind(old.tsa.cert_der.clone())
        .bind(old.tsa.key.to_compact())
        .bind(actor.employee_id.clone())
        .bind(now)
        .execute(tx.conn())
        .await
        .map_err(|e| {
            if crate::error::is_unique_violation(&e) {
                BackendError::Conflict("Issuing CA baru saja diperbarui di tempat lain; tidak ada yang diubah. (Renewed meanwhile elsewhere.)".into())
            } else {
                e.into()
            }
        })?;
        // Compare-and-set on the generation: two renewals at once cannot both land.
        let done = sqlx::query(
            "UPDATE pki_ca SET issuing_cert = $1, issuing_key = $2, tsa_cert = $3, tsa_key = $4, generation = $5 \
             WHERE pemda_id = $6 AND generation = $7",
        )
        .bind(next.issuing.cert_der.clone())
        .bind(next.issuing.key.to_compact())
        .bind(next.tsa.cert_der.clone())
        .bind(next.tsa.key.to_compact())
        .bind(next_gen)
        .bind(pemda_id)
        .bind(generation)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if done != 1 {
            return Err(BackendError::Conflict(
                "Issuing CA baru saja diperbarui di tempat lain; tidak ada yang diubah. (Renewed meanwhile elsewhere.)".into(),
            ));
        }
        let mut revoked = 0usize;
        if let Some(reason) = revoke_issued {
            let holders: Vec<(String, String)> = sqlx::query(
                "SELECT id, employee_id FROM signing_cert WHERE pemda_id = $1 AND status = 'aktif' AND ca_generation < $2",
            )
            .bind(pemda_id)
            .bind(next_gen)
            .fetch_all(tx.conn())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("employee_id")?)))
            .collect::<Result<_>>()?;
            for (cert_id, _) in &holders {
                sqlx::query(
                    "UPDATE signing_cert SET status = 'dicabut', revoked_ms = $1, revoked_reason = $2, revoked_by = $3 WHERE id = $4 AND status = 'aktif'",
                )
                .bind(now)
                .bind(reason.code())
                .bind(actor.employee_id.clone())
                .bind(cert_id)
                .execute(tx.conn())
                .await?;
            }
            let who: Vec<String> = holders.iter().map(|(_, e)| e.clone()).collect();
            let when = domain::time::long_datetime(now, domain::Lang::Id);
            crate::store::notifications::notify_tx(
                &mut tx,
                &who,
                "tte_revoked",
                &format!(
                    "Sertifikat tanda tangan elektronik Anda dicabut pada {when} karena penerbitnya (Issuing CA) diganti (alasan: {}). Naskah yang sudah Anda tandatangani tetap sah. Minta Admin Pemda menerbitkan sertifikat baru.",
                    reason.label()
                ),
                Some("/profil/tte"),
            )
            .await?;
            revoked = holders.len();
        }
        let issuing_subject =
            next.issuing_cert().map(|c| c.tbs_certificate.subject.to_string()).map_err(internal)?;
        tx.audit(
            actor,
            "tte.ca_renewed",
            "pemda",
            Some(pemda_id),
            json!({
                "generation": next_gen,
                "issuing": issuing_subject,
                "revoked": revoked,
                "reason": revoke_issued.map(|r| r.code()),
            }),
        )
        .await?;
        tx.commit().await?;
        lock(&self.pki.cas).remove(pemda_id);
        lock(&self.pki.public).remove(pemda_id);
        self.forget_crls(pemda_id);
        Ok(CaRenewal { generation: next_gen, issuing_subject, revoked })
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
                // Where the current issuing CA publishes (the one new certificates name).
                crl_url: format!("{base}{}", crl_path(ca.generation)),
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

    /// The current generation of a Pemda's issuing CA; `None` without a PKI.
    async fn ca_generation(&self, pemda_id: &str) -> Result<Option<i64>> {
        Ok(sqlx::query("SELECT generation FROM pki_ca WHERE pemda_id = $1")
            .bind(pemda_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("generation"))
            .transpose()?)
    }

    /// Issuing CA certificates of the generations before the current one, oldest first.
    async fn previous_issuing(&self, pemda_id: &str) -> Result<Vec<(i64, Certificate)>> {
        let rows = sqlx::query(
            "SELECT generation, issuing_cert FROM pki_ca_retired WHERE pemda_id = $1 ORDER BY generation",
        )
        .bind(pemda_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let der: Vec<u8> = r.try_get("issuing_cert")?;
                Ok((r.try_get("generation")?, tte::parse_certificate(&der).map_err(internal)?))
            })
            .collect()
    }

    /// Public certificates of a Pemda's CA, cached while its generation stays the same (another
    /// server copy may renew the issuing CA).
    pub async fn public_ca(&self, pemda_id: &str) -> Result<Option<Arc<PublicCa>>> {
        let Some(generation) = self.ca_generation(pemda_id).await? else {
            return Ok(None);
        };
        if let Some(c) = lock(&self.pki.public).get(pemda_id)
            && c.generation == generation
        {
            return Ok(Some(c.clone()));
        }
        let Some(r) = sqlx::query(
            "SELECT root_cert, issuing_cert, generation FROM pki_ca WHERE pemda_id = $1",
        )
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
        let previous_issuers = self
            .previous_issuing(pemda_id)
            .await?
            .iter()
            .map(|(g, c)| (*g, common_name(c)))
            .collect();
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
            generation: r.try_get("generation")?,
            previous_issuers,
            root,
            root_der,
            issuing,
        });
        lock(&self.pki.public).insert(pemda_id.to_string(), ca.clone());
        Ok(Some(ca))
    }

    /// The CA with its keys unlocked by the master secret (cached for the process).
    pub async fn ca_keys(&self, pemda_id: &str) -> Result<Arc<CaKeys>> {
        let generation = self.ca_generation(pemda_id).await?.ok_or_else(no_pki)?;
        if let Some(c) = lock(&self.pki.cas).get(pemda_id)
            && c.generation == generation
        {
            return Ok(c.clone());
        }
        let master = self.master()?;
        let previous = self.previous_issuing(pemda_id).await?.into_iter().map(|(_, c)| c).collect();
        let r = sqlx::query("SELECT root_cert, root_key, issuing_cert, issuing_key, tsa_cert, tsa_key, generation FROM pki_ca WHERE pemda_id = $1")
            .bind(pemda_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(no_pki)?;
        let pki = stored_pki(&r)?;
        let generation: i64 = r.try_get("generation")?;
        let ca = blocking(move || -> std::result::Result<CaKeys, tte::PkiError> {
            let issuing = pki.unlock_issuing(&master)?;
            let tsa = pki.unlock_tsa(&master)?;
            Ok(CaKeys {
                root: pki.root_cert()?,
                issuer_name: common_name(&issuing.cert),
                issuing,
                tsa,
                generation,
                previous,
            })
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

    /// A current DER CRL of one generation of the issuing CA (valid one day), signed by that
    /// generation's key and listing the revoked certificates it issued; remade at most once a
    /// minute. `Ok(None)` for a generation that does not exist.
    pub async fn crl_der(&self, pemda_id: &str, generation: i64) -> Result<Option<Vec<u8>>> {
        let now = now_ms();
        let key = (pemda_id.to_string(), generation);
        if let Some((at, der)) = lock(&self.pki.crls).get(&key)
            && now - at < CRL_CACHE_MS
        {
            return Ok(Some(der.clone()));
        }
        let ca = self.ca_keys(pemda_id).await?;
        let retired: IssuingCa;
        let issuer: &IssuingCa = if generation == ca.generation {
            &ca.issuing
        } else {
            let Some(r) = sqlx::query(
                "SELECT issuing_cert, issuing_key FROM pki_ca_retired WHERE pemda_id = $1 AND generation = $2",
            )
            .bind(pemda_id)
            .bind(generation)
            .fetch_optional(&self.pool)
            .await?
            else {
                return Ok(None);
            };
            let cert = tte::parse_certificate(&r.try_get::<Vec<u8>, _>("issuing_cert")?)
                .map_err(internal)?;
            let enc = EncryptedKey::from_compact(&r.try_get::<String, _>("issuing_key")?)
                .map_err(internal)?;
            let master = self.master()?;
            let key = blocking(move || enc.decrypt(&master)).await?.map_err(internal)?;
            retired = IssuingCa { cert, key };
            &retired
        };
        let rows = sqlx::query("SELECT serial_hex, revoked_ms, revoked_reason FROM signing_cert WHERE pemda_id = $1 AND ca_generation = $2 AND status = 'dicabut' AND serial_hex <> '' ORDER BY revoked_ms")
            .bind(pemda_id)
            .bind(generation)
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
        let der = tte::make_crl(issuer, &revoked, this_update, this_update + CRL_LIFETIME)
            .map_err(internal)?;
        lock(&self.pki.crls).insert(key, (now, der.clone()));
        Ok(Some(der))
    }

    /// Forgets the CRLs made for a Pemda (a revocation or a renewal remakes them at once).
    pub(crate) fn forget_crls(&self, pemda_id: &str) {
        lock(&self.pki.crls).retain(|(p, _), _| p != pemda_id);
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
