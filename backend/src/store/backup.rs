//! Backups: a consistent copy of the database taken while people work, with a manifest (checksums
//! of the files, a fingerprint of every table, the audit chain's head), its verification, and a
//! restore into an empty data folder or database that checks the result against the manifest.
//!
//! SQLite: `VACUUM INTO` reads one snapshot of the live file (WAL: writers go on) and writes a
//! compact copy. PostgreSQL: a repeatable-read transaction exports its snapshot; the fingerprints
//! and the audit check are computed in it and `pg_dump --snapshot` dumps exactly that state, so the
//! manifest describes the dump row for row. Uploaded files (scans, attachments, signed PDFs) live in
//! the database, so the copy holds them too. The PKI master key file is never put in a backup
//! unless asked (`with_key`): whoever holds both can sign as the Pemda.

use super::{DbKind, Store};
use crate::{BackendError, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Row};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: &str = "eoffice-backup/1";
pub const SQLITE_FILE: &str = "eoffice.db";
pub const PG_FILE: &str = "eoffice.pgdump";
/// Name of the master key inside a backup that includes it.
pub const KEY_FILE: &str = super::pki::MASTER_FILE;
/// Folder names of backups start with this (pruning touches nothing else).
pub const DIR_PREFIX: &str = "eoffice-";

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub app_version: String,
    pub created_ms: i64,
    /// "sqlite" or "postgres".
    pub database: String,
    /// The newest migration applied in the copy.
    pub schema_version: i64,
    pub files: Vec<FileEntry>,
    /// Row count and content digest per table (the digest is engine-specific: compare a restore
    /// only with a backup of the same engine).
    pub tables: BTreeMap<String, TableFingerprint>,
    /// Rows of the audit chain in the copy, and the hash of the last one (checked intact).
    pub audit_rows: i64,
    pub audit_last_hash: String,
    pub key_included: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TableFingerprint {
    pub rows: i64,
    pub digest: String,
}

impl Manifest {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

/// What `verify_backup` checked.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub manifest: Manifest,
    /// Whether the tables were re-read and compared with the manifest (SQLite copies); a PostgreSQL
    /// dump is checked by its checksum and by `pg_restore --list` (its rows are compared on restore).
    pub tables_checked: bool,
}

/// Maps a file-system error to an internal error that says what was being done.
pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackendError {
    let context = context.into();
    move |e| BackendError::caused(context, e)
}

/// `eoffice-YYYYMMDD-HHMMSS` (UTC) for a backup taken at `ms`.
pub fn dir_name(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = domain::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{DIR_PREFIX}{y:04}{m:02}{d:02}-{:02}{:02}{:02}", s / 3600, s % 3600 / 60, s % 60)
}

fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let mut f = std::fs::File::open(path).map_err(io(format!("open {}", path.display())))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(io(format!("read {}", path.display())))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((n, hex::encode(h.finalize())))
}

/// Flushes a file or folder to the disk (a backup that says it is done must be on the disk).
fn sync_path(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io(format!("sync {}", path.display())))
}

fn copy_private(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).map_err(io(format!("copy {} to {}", from.display(), to.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600))
            .map_err(io(format!("chmod {}", to.display())))?;
    }
    sync_path(to)
}

/// The program that runs PostgreSQL's `tool` (pg_dump, pg_restore): `$EOFFICE_PG_BIN/tool` when
/// set, else the newest Debian server version's, else the one on the PATH. pg_dump must not be
/// older than the server.
fn pg_tool(tool: &str) -> PathBuf {
    if let Ok(dir) = std::env::var("EOFFICE_PG_BIN") {
        return Path::new(&dir).join(tool);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let p = e.path().join("bin").join(tool);
            p.exists().then_some((v, p))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p).unwrap_or_else(|| PathBuf::from(tool))
}

async fn run_tool(mut cmd: tokio::process::Command, what: &str) -> Result<String> {
    let out = cmd
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(io(format!("start {what}")))?;
    if !out.status.success() {
        return Err(BackendError::internal(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

// --- Fingerprints --------------------------------------------------------------------------------

/// Row count and digest of every table of a SQLite file, read through its own read-only
/// connection. The digest is order-independent: the sorted SHA-256 of each row's typed values.
fn sqlite_fingerprints(path: &Path) -> Result<BTreeMap<String, TableFingerprint>> {
    let conn = open_sqlite_ro(path)?;
    let names = sqlite_tables(&conn)?;
    let mut out = BTreeMap::new();
    for name in names {
        let err = |e| BackendError::caused(format!("read table {name}"), e);
        let mut st = conn.prepare(&format!("SELECT * FROM \"{name}\"")).map_err(err)?;
        let cols = st.column_count();
        let mut rows = st.query([]).map_err(err)?;
        let mut hashes: Vec<[u8; 32]> = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            let mut h = Sha256::new();
            for i in 0..cols {
                use rusqlite::types::ValueRef;
                match row.get_ref(i).map_err(err)? {
                    ValueRef::Null => h.update([0u8]),
                    ValueRef::Integer(v) => {
                        h.update([1u8]);
                        h.update(v.to_le_bytes());
                    }
                    ValueRef::Real(v) => {
                        h.update([2u8]);
                        h.update(v.to_le_bytes());
                    }
                    ValueRef::Text(b) | ValueRef::Blob(b) => {
                        h.update([3u8]);
                        h.update((b.len() as u64).to_le_bytes());
                        h.update(b);
                    }
                }
            }
            hashes.push(h.finalize().into());
        }
        hashes.sort_unstable();
        let mut all = Sha256::new();
        for x in &hashes {
            all.update(x);
        }
        out.insert(
            name,
            TableFingerprint { rows: hashes.len() as i64, digest: hex::encode(all.finalize()) },
        );
    }
    Ok(out)
}

fn open_sqlite_ro(path: &Path) -> Result<rusqlite::Connection> {
    rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| BackendError::caused(format!("open {}", path.display()), e))
}

/// Every table of a SQLite database (the migrations' record included), by name.
pub(crate) fn sqlite_tables(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut st = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .map_err(|e| BackendError::caused("list tables", e))?;
    st.query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect::<std::result::Result<Vec<String>, _>>())
        .map_err(|e| BackendError::caused("list tables", e))
}

/// Every table of a PostgreSQL database (the migrations' record included), by name.
pub(crate) async fn pg_tables(conn: &mut sqlx::AnyConnection) -> Result<Vec<String>> {
    Ok(sqlx::query(
        "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("name"))
    .collect::<std::result::Result<_, _>>()?)
}

/// The same for a PostgreSQL database, computed by the server inside `conn`'s transaction.
async fn pg_fingerprints(
    conn: &mut sqlx::AnyConnection,
) -> Result<BTreeMap<String, TableFingerprint>> {
    let names = pg_tables(conn).await?;
    let mut out = BTreeMap::new();
    for name in names {
        let r = sqlx::query(&format!(
            "SELECT COUNT(*) AS n, COALESCE(md5(string_agg(h, '' ORDER BY h)), '') AS d \
             FROM (SELECT md5(t::text) AS h FROM \"{name}\" t) x"
        ))
        .fetch_one(&mut *conn)
        .await?;
        out.insert(name, TableFingerprint { rows: r.try_get("n")?, digest: r.try_get("d")? });
    }
    Ok(out)
}

/// Walks the audit chain of a SQLite copy.
fn sqlite_audit(path: &Path) -> Result<(i64, String)> {
    let conn = open_sqlite_ro(path)?;
    let mut st = conn
        .prepare(
            "SELECT seq, at_ms, actor_id, actor_ip, action, entity, entity_id, detail, prev_hash, hash \
             FROM audit_log ORDER BY seq",
        )
        .map_err(|e| BackendError::caused("read audit log", e))?;
    let mut rows = st.query([]).map_err(|e| BackendError::caused("read audit log", e))?;
    let mut v = domain::audit::ChainVerifier::default();
    let err = |e| BackendError::caused("read audit log", e);
    while let Some(r) = rows.next().map_err(err)? {
        let e = domain::audit::AuditEntry {
            seq: r.get(0).map_err(err)?,
            at_ms: r.get(1).map_err(err)?,
            actor_id: r.get(2).map_err(err)?,
            actor_ip: r.get(3).map_err(err)?,
            action: r.get(4).map_err(err)?,
            entity: r.get(5).map_err(err)?,
            entity_id: r.get(6).map_err(err)?,
            detail: r.get(7).map_err(err)?,
        };
        let prev: String = r.get(8).map_err(err)?;
        let hash: String = r.get(9).map_err(err)?;
        if let Err(b) = v.check(&e, &prev, &hash) {
            return Err(BackendError::invalid(format!(
                "Rantai log audit dalam cadangan putus: {b:?}"
            )));
        }
    }
    Ok((v.rows_checked(), v.last_hash().to_string()))
}

fn sqlite_schema_version(path: &Path) -> Result<i64> {
    open_sqlite_ro(path)?
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
            [],
            |r| r.get(0),
        )
        .map_err(|e| BackendError::caused("read schema version", e))
}

// --- Backup ---------------------------------------------------------------------------------------

/// Where the PKI master key file is and whether to put it in the backup.
pub struct KeyChoice<'a> {
    pub key_file: Option<&'a Path>,
    pub include: bool,
}

impl Store {
    /// Writes a backup into the new folder `parent/eoffice-YYYYMMDD-HHMMSS` and returns its
    /// manifest and path. Safe while people work.
    pub async fn backup_into(
        &self,
        parent: &Path,
        key: KeyChoice<'_>,
    ) -> Result<(PathBuf, Manifest)> {
        std::fs::create_dir_all(parent).map_err(io(format!("create {}", parent.display())))?;
        let started = crate::now_ms();
        let mut dir = parent.join(dir_name(started));
        // Two backups in the same second get distinct folders.
        let mut n = 1;
        while dir.exists() {
            n += 1;
            dir = parent.join(format!("{}-{n}", dir_name(started)));
        }
        let partial = parent.join(format!(".partial-{}", crate::new_id()));
        std::fs::create_dir(&partial).map_err(io(format!("create {}", partial.display())))?;
        let res = self.backup_files(&partial, key, started).await;
        let manifest = match res {
            Ok(m) => m,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&partial);
                return Err(e);
            }
        };
        // The folder gets its final name only when everything in it is written and on disk.
        std::fs::rename(&partial, &dir).map_err(io(format!("rename to {}", dir.display())))?;
        sync_path(parent)?;
        Ok((dir, manifest))
    }

    async fn backup_files(&self, dir: &Path, key: KeyChoice<'_>, started: i64) -> Result<Manifest> {
        let (database, main_file, tables, audit, schema_version) = match self.kind {
            DbKind::Sqlite => {
                let file = dir.join(SQLITE_FILE);
                let target = file.display().to_string().replace('\'', "''");
                sqlx::query(&format!("VACUUM INTO '{target}'")).execute(&self.pool).await?;
                sync_path(&file)?;
                let f = file.clone();
                let (tables, audit, version) = tokio::task::spawn_blocking(move || {
                    Ok::<_, BackendError>((
                        sqlite_fingerprints(&f)?,
                        sqlite_audit(&f)?,
                        sqlite_schema_version(&f)?,
                    ))
                })
                .await
                .map_err(|e| BackendError::caused("fingerprint backup", e))??;
                ("sqlite", SQLITE_FILE, tables, audit, version)
            }
            DbKind::Postgres => {
                let file = dir.join(PG_FILE);
                let mut conn = sqlx::AnyConnection::connect(&self.url).await?;
                sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .execute(&mut conn)
                    .await?;
                let snapshot: String = sqlx::query("SELECT pg_export_snapshot() AS s")
                    .fetch_one(&mut conn)
                    .await?
                    .try_get("s")?;
                let tables = pg_fingerprints(&mut conn).await?;
                let version: i64 = sqlx::query(
                    "SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations WHERE success",
                )
                .fetch_one(&mut conn)
                .await?
                .try_get("v")?;
                let audit = pg_audit(&mut conn).await?;
                let mut cmd = tokio::process::Command::new(pg_tool("pg_dump"));
                cmd.arg("--format=custom")
                    .arg(format!("--snapshot={snapshot}"))
                    .arg("--no-owner")
                    .arg("--file")
                    .arg(&file)
                    .arg("--dbname")
                    .arg(&*self.url);
                let dumped = run_tool(cmd, "pg_dump").await;
                sqlx::query("COMMIT").execute(&mut conn).await?;
                conn.close().await.ok();
                dumped?;
                sync_path(&file)?;
                ("postgres", PG_FILE, tables, audit, version)
            }
        };
        let mut names = vec![main_file.to_string()];
        let key_included = match (key.include, key.key_file) {
            (true, Some(k)) if k.exists() => {
                copy_private(k, &dir.join(KEY_FILE))?;
                names.push(KEY_FILE.to_string());
                true
            }
            (true, _) => {
                return Err(BackendError::invalid(
                    "Berkas kunci induk PKI tidak ditemukan di folder data; tidak dapat disertakan.",
                ));
            }
            _ => false,
        };
        let mut files = Vec::new();
        for name in names {
            let (bytes, sha256) = sha256_file(&dir.join(&name))?;
            files.push(FileEntry { name, bytes, sha256 });
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            created_ms: started,
            database: database.into(),
            schema_version,
            files,
            tables,
            audit_rows: audit.0,
            audit_last_hash: audit.1,
            key_included,
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| BackendError::caused("write manifest", e))?;
        let path = dir.join(MANIFEST);
        std::fs::write(&path, json).map_err(io(format!("write {}", path.display())))?;
        sync_path(&path)?;
        sync_path(dir)?;
        Ok(manifest)
    }
}

async fn pg_audit(conn: &mut sqlx::AnyConnection) -> Result<(i64, String)> {
    match super::audit::walk_chain(conn).await? {
        super::audit::ChainStatus::Intact { rows, last_hash } => Ok((rows, last_hash)),
        super::audit::ChainStatus::Broken { first_break, .. } => Err(BackendError::invalid(
            format!("Rantai log audit putus; cadangan tidak dibuat: {first_break:?}"),
        )),
    }
}

impl Store {
    /// Row count and digest of every table of the live database (the same digests a backup of this
    /// engine records), e.g. to compare a restore with its source.
    pub async fn table_fingerprints(&self) -> Result<BTreeMap<String, TableFingerprint>> {
        match self.kind {
            DbKind::Sqlite => {
                let path = super::fast_read::SqliteReader::file_of(&self.url)
                    .ok_or_else(|| BackendError::internal("not a SQLite file"))?;
                tokio::task::spawn_blocking(move || sqlite_fingerprints(&path))
                    .await
                    .map_err(|e| BackendError::caused("fingerprint", e))?
            }
            DbKind::Postgres => {
                let mut conn = self.pool.acquire().await?;
                sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .execute(&mut *conn)
                    .await?;
                let out = pg_fingerprints(&mut conn).await;
                sqlx::query("COMMIT").execute(&mut *conn).await?;
                out
            }
        }
    }
}

// --- Verify ---------------------------------------------------------------------------------------

pub fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).map_err(|_| {
        BackendError::invalid(format!(
            "{} bukan folder cadangan e-Office: {MANIFEST} tidak ada.",
            dir.display()
        ))
    })?;
    let m: Manifest = serde_json::from_slice(&text).map_err(|e| {
        BackendError::invalid(format!("{MANIFEST} di {} rusak: {e}", dir.display()))
    })?;
    if m.format != FORMAT {
        return Err(BackendError::invalid(format!(
            "Format cadangan {} tidak dikenal (program ini membaca {FORMAT}).",
            m.format
        )));
    }
    Ok(m)
}

/// Checks a backup folder: every file's size and checksum, and the copy itself (SQLite: integrity,
/// every table against the manifest, the audit chain; PostgreSQL: the dump's table of contents).
pub async fn verify_backup(dir: &Path) -> Result<VerifyReport> {
    let manifest = read_manifest(dir)?;
    for f in &manifest.files {
        let path = dir.join(&f.name);
        if !path.exists() {
            return Err(BackendError::invalid(format!("Berkas {} hilang dari cadangan.", f.name)));
        }
        let (bytes, sha) = sha256_file(&path)?;
        if bytes != f.bytes || sha != f.sha256 {
            return Err(BackendError::invalid(format!(
                "Berkas {} rusak: checksum tidak cocok dengan manifest.",
                f.name
            )));
        }
    }
    let tables_checked = match manifest.database.as_str() {
        "sqlite" => {
            let file = dir.join(SQLITE_FILE);
            let m = manifest.clone();
            tokio::task::spawn_blocking(move || check_sqlite_copy(&file, &m))
                .await
                .map_err(|e| BackendError::caused("verify backup", e))??;
            true
        }
        "postgres" => {
            let mut cmd = tokio::process::Command::new(pg_tool("pg_restore"));
            cmd.arg("--list").arg(dir.join(PG_FILE));
            run_tool(cmd, "pg_restore --list").await?;
            false
        }
        other => {
            return Err(BackendError::invalid(format!("Jenis basis data {other} tidak dikenal.")));
        }
    };
    Ok(VerifyReport { manifest, tables_checked })
}

/// A SQLite file against a manifest: integrity, tables, audit chain.
fn check_sqlite_copy(file: &Path, m: &Manifest) -> Result<()> {
    let ok: String = open_sqlite_ro(file)?
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| BackendError::caused("integrity check", e))?;
    if ok != "ok" {
        return Err(BackendError::invalid(format!("Basis data dalam cadangan rusak: {ok}")));
    }
    compare_tables(&m.tables, &sqlite_fingerprints(file)?)?;
    let (rows, last) = sqlite_audit(file)?;
    if rows != m.audit_rows || last != m.audit_last_hash {
        return Err(BackendError::invalid(
            "Log audit dalam cadangan tidak sama dengan yang dicatat di manifest.",
        ));
    }
    Ok(())
}

fn compare_tables(
    expected: &BTreeMap<String, TableFingerprint>,
    found: &BTreeMap<String, TableFingerprint>,
) -> Result<()> {
    for (name, want) in expected {
        match found.get(name) {
            None => {
                return Err(BackendError::invalid(format!("Tabel {name} tidak ada.")));
            }
            Some(got) if got != want => {
                return Err(BackendError::invalid(format!(
                    "Isi tabel {name} berbeda dari cadangan ({} baris, diharapkan {}).",
                    got.rows, want.rows
                )));
            }
            _ => {}
        }
    }
    if let Some(extra) = found.keys().find(|k| !expected.contains_key(*k)) {
        return Err(BackendError::invalid(format!("Tabel {extra} tidak ada dalam cadangan.")));
    }
    Ok(())
}

// --- Restore --------------------------------------------------------------------------------------

/// Restores a verified backup into `data` (SQLite: `data/eoffice.db`, which must not exist) or
/// into the empty PostgreSQL database `database_url`, then compares every table with the manifest.
/// The master key is put into `data` when the backup holds it, or from `key_file` when given.
pub async fn restore(
    dir: &Path,
    data: &Path,
    database_url: Option<&str>,
    key_file: Option<&Path>,
) -> Result<Manifest> {
    let report = verify_backup(dir).await?;
    let m = report.manifest;
    let key_target = super::pki::master_path(data);
    let key_source =
        if m.key_included { Some(dir.join(KEY_FILE)) } else { key_file.map(Path::to_path_buf) };
    if key_source.is_some() && key_target.exists() {
        return Err(BackendError::Conflict(format!(
            "Folder data {} sudah berisi kunci induk PKI; pemulihan hanya ke folder kosong.",
            data.display()
        )));
    }
    match (m.database.as_str(), database_url) {
        ("sqlite", None) => {
            let target = data.join(SQLITE_FILE);
            for suffix in ["", "-wal", "-journal"] {
                let p = PathBuf::from(format!("{}{suffix}", target.display()));
                if p.exists() {
                    return Err(BackendError::Conflict(format!(
                        "{} sudah ada: pemulihan hanya ke folder data yang kosong. Pindahkan dulu basis data lama.",
                        p.display()
                    )));
                }
            }
            std::fs::create_dir_all(data).map_err(io(format!("create {}", data.display())))?;
            let tmp = data.join(format!(".{SQLITE_FILE}.restoring"));
            std::fs::copy(dir.join(SQLITE_FILE), &tmp)
                .map_err(io(format!("copy to {}", tmp.display())))?;
            sync_path(&tmp)?;
            let (t, mm) = (tmp.clone(), m.clone());
            let checked = tokio::task::spawn_blocking(move || check_sqlite_copy(&t, &mm))
                .await
                .map_err(|e| BackendError::caused("check restore", e))?;
            if let Err(e) = checked {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            std::fs::rename(&tmp, &target)
                .map_err(io(format!("rename to {}", target.display())))?;
            sync_path(data)?;
        }
        ("postgres", Some(url)) if url.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(url).await?;
            let n: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM information_schema.tables \
                 WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
            )
            .fetch_one(&mut conn)
            .await?
            .try_get("n")?;
            if n > 0 {
                conn.close().await.ok();
                return Err(BackendError::Conflict(format!(
                    "Basis data tujuan tidak kosong ({n} tabel): pemulihan hanya ke basis data baru yang kosong."
                )));
            }
            let mut cmd = tokio::process::Command::new(pg_tool("pg_restore"));
            cmd.arg("--exit-on-error")
                .arg("--single-transaction")
                .arg("--no-owner")
                .arg("--no-privileges")
                .arg("--dbname")
                .arg(url)
                .arg(dir.join(PG_FILE));
            run_tool(cmd, "pg_restore").await?;
            sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(&mut conn)
                .await?;
            let found = pg_fingerprints(&mut conn).await?;
            let audit = pg_audit(&mut conn).await?;
            sqlx::query("COMMIT").execute(&mut conn).await?;
            conn.close().await.ok();
            compare_tables(&m.tables, &found)?;
            if audit != (m.audit_rows, m.audit_last_hash.clone()) {
                return Err(BackendError::invalid(
                    "Log audit hasil pemulihan tidak sama dengan yang dicatat di manifest.",
                ));
            }
        }
        ("sqlite", Some(_)) => {
            return Err(BackendError::invalid(
                "Cadangan ini dari SQLite: pulihkan ke folder data (tanpa --database-url). Pindah ke PostgreSQL memakai `eoffice export`/`import`.",
            ));
        }
        ("postgres", _) => {
            return Err(BackendError::invalid(
                "Cadangan ini dari PostgreSQL: sebutkan basis data tujuan yang kosong dengan --database-url postgres://...",
            ));
        }
        (other, _) => {
            return Err(BackendError::invalid(format!("Jenis basis data {other} tidak dikenal.")));
        }
    }
    if let Some(src) = key_source {
        std::fs::create_dir_all(data).map_err(io(format!("create {}", data.display())))?;
        copy_private(&src, &key_target)?;
    }
    Ok(m)
}

/// Removes the oldest backup folders in `parent` so that `keep` remain (only folders this module
/// named and finished: a name with the prefix and a manifest). Returns how many were removed.
pub fn prune(parent: &Path, keep: usize) -> Result<usize> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(parent)
        .map_err(io(format!("read {}", parent.display())))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(DIR_PREFIX))
                && p.join(MANIFEST).exists()
        })
        .collect();
    // What a backup interrupted by a crash left behind, once it is surely not being written.
    for e in std::fs::read_dir(parent).map_err(io(format!("read {}", parent.display())))?.flatten()
    {
        let p = e.path();
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(6 * 3600));
        if stale && p.is_dir() && e.file_name().to_str().is_some_and(|n| n.starts_with(".partial-"))
        {
            let _ = std::fs::remove_dir_all(&p);
        }
    }
    // Names sort by time (eoffice-YYYYMMDD-HHMMSS[-n]).
    dirs.sort();
    let excess = dirs.len().saturating_sub(keep);
    for d in &dirs[..excess] {
        std::fs::remove_dir_all(d).map_err(io(format!("remove {}", d.display())))?;
    }
    Ok(excess)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_sort_by_time() {
        assert_eq!(dir_name(0), "eoffice-19700101-000000");
        assert_eq!(dir_name(1_700_000_000_000), "eoffice-20231114-221320");
        assert!(dir_name(1_700_000_000_000) < dir_name(1_700_000_001_000));
    }

    #[test]
    fn prune_keeps_the_newest_and_touches_nothing_else() {
        let parent = std::env::temp_dir().join(format!("eoffice-prune-{}", crate::new_id()));
        for name in
            ["eoffice-20261201-000000", "eoffice-20261202-000000", "eoffice-20261203-000000"]
        {
            std::fs::create_dir_all(parent.join(name)).unwrap();
            std::fs::write(parent.join(name).join(MANIFEST), "{}").unwrap();
        }
        // Not a finished backup, and not one of ours: both stay.
        std::fs::create_dir_all(parent.join("eoffice-20261130-000000")).unwrap();
        std::fs::create_dir_all(parent.join("photos")).unwrap();
        assert_eq!(prune(&parent, 2).unwrap(), 1);
        assert!(!parent.join("eoffice-20261201-000000").exists());
        assert!(parent.join("eoffice-20261202-000000").exists());
        assert!(parent.join("eoffice-20261203-000000").exists());
        assert!(parent.join("eoffice-20261130-000000").exists());
        assert!(parent.join("photos").exists());
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
