//! Running the installation: migrations (and refusing a database newer than the program),
//! readiness, one copy per scheduled job, the record of backups, and the figures `/metrics` shows.

use super::{DbKind, Store};
use crate::{BackendError, Result};
use domain::model::BackupRun;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The newest migration this program carries.
pub fn known_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// This copy's backup schedule (`serve --backup-every`), for the Admin Pemda's page.
#[derive(Clone, Debug)]
pub struct BackupSchedule {
    pub every_s: i64,
    pub keep: i64,
    pub dir: String,
}

static SCHEDULE: std::sync::OnceLock<BackupSchedule> = std::sync::OnceLock::new();

pub fn set_backup_schedule(s: BackupSchedule) {
    let _ = SCHEDULE.set(s);
}

pub fn backup_schedule() -> Option<&'static BackupSchedule> {
    SCHEDULE.get()
}

/// `PRAGMA synchronous` of every SQLite connection: FULL unless EOFFICE_SQLITE_SYNCHRONOUS=NORMAL.
pub fn sqlite_synchronous_pragma() -> &'static str {
    match std::env::var("EOFFICE_SQLITE_SYNCHRONOUS").as_deref() {
        Ok("NORMAL" | "normal") => "PRAGMA synchronous = NORMAL",
        _ => "PRAGMA synchronous = FULL",
    }
}

/// Longest a PostgreSQL migration may wait for a lock or run one statement
/// (EOFFICE_MIGRATION_TIMEOUT, seconds; default 60). Past it the migration rolls back and this
/// copy does not start, while copies of the previous version go on serving.
fn migration_timeout_s() -> u64 {
    std::env::var("EOFFICE_MIGRATION_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|s| *s > 0)
        .unwrap_or(60)
}

/// Applied migrations, newest last; empty for a new database.
async fn applied_versions(conn: &mut sqlx::AnyConnection, kind: DbKind) -> Result<Vec<i64>> {
    let exists_sql = match kind {
        DbKind::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        DbKind::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_name = '_sqlx_migrations' AND table_schema = current_schema()"
        }
    };
    let n: i64 = sqlx::query(exists_sql).fetch_one(&mut *conn).await?.try_get("n")?;
    if n == 0 {
        return Ok(Vec::new());
    }
    sqlx::query("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<i64, _>("version")?))
        .collect()
}

/// Brings the schema up to this program's, on a connection of its own. Refuses a database that a
/// newer version has migrated (running old code on a new schema can lose data); on PostgreSQL
/// each step waits for locks and runs for at most `migration_timeout_s`.
pub(crate) async fn migrate(pool: &AnyPool, kind: DbKind) -> Result<()> {
    migrate_with(pool, kind, &MIGRATOR, migration_timeout_s()).await
}

/// `migrate` with the migrations and the PostgreSQL time limit given (the upgrade tests give a
/// later version's migrations). A step that waits longer than `timeout_s` for a lock, or runs
/// longer, fails and rolls back: the lock queue it headed (every reader of the table waits
/// behind an `ALTER TABLE` that waits) empties, and the copies of the previous version go on
/// serving. The version is not recorded, so the next start tries again.
pub async fn migrate_with(
    pool: &AnyPool,
    kind: DbKind,
    migrator: &Migrator,
    timeout_s: u64,
) -> Result<()> {
    let mut conn = pool.acquire().await?;
    let applied = applied_versions(&mut conn, kind).await?;
    let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    if let Some(newest) = applied.iter().copied().filter(|v| *v > known).max() {
        return Err(BackendError::invalid(format!(
            "Basis data ini sudah diperbarui oleh versi e-Office yang lebih baru (skema {newest}; \
             program ini mengenal sampai {known}). Jalankan versi yang lebih baru, atau pulihkan \
             cadangan dari sebelum pembaruan. / This database was upgraded by a newer e-Office \
             (schema {newest}; this program knows up to {known})."
        )));
    }
    if kind == DbKind::Postgres {
        conn.execute(format!("SET lock_timeout = '{timeout_s}s'").as_str()).await?;
        conn.execute(format!("SET statement_timeout = '{timeout_s}s'").as_str()).await?;
    }
    let pending = migrator.iter().filter(|m| !applied.contains(&m.version)).count();
    if pending > 0 && !applied.is_empty() {
        tracing::info!(
            pending,
            from = applied.last().copied(),
            to = known,
            "migrating the database"
        );
    }
    if let Err(e) = migrator.run(&mut *conn).await {
        // The connection's settings die with it.
        drop(conn.detach());
        return Err(BackendError::caused(
            format!(
                "pembaruan skema basis data gagal dan dibatalkan; jalankan lagi saat basis data \
                 tidak sibuk / the schema upgrade failed and was rolled back; start again when the \
                 database is less busy (EOFFICE_MIGRATION_TIMEOUT={timeout_s}s)"
            ),
            e,
        ));
    }
    if kind == DbKind::Postgres {
        conn.execute("RESET lock_timeout").await?;
        conn.execute("RESET statement_timeout").await?;
    }
    Ok(())
}

/// A scheduled job's right to run on this copy (see `Store::try_job_lock`). Dropping it releases
/// the lock too (the connection is closed, which ends the PostgreSQL session that holds it).
pub struct JobLock {
    conn: Option<sqlx::pool::PoolConnection<sqlx::Any>>,
    key: i64,
}

impl JobLock {
    pub async fn release(mut self) {
        if let Some(mut c) = self.conn.take()
            && sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(self.key)
                .execute(&mut *c)
                .await
                .is_err()
        {
            drop(c.detach());
        }
    }
}

impl Drop for JobLock {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            drop(c.detach());
        }
    }
}

/// A stable 64-bit advisory-lock key for a job name.
fn job_key(job: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("eoffice-job:{job}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    i64::from_be_bytes(b)
}

impl Store {
    /// The newest migration applied to the database; also proves that it answers.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?
            .try_get("v")?)
    }

    /// Takes the named job's lock when no other copy on the same database holds it (PostgreSQL:
    /// a session advisory lock); `None` means another copy is running the job now. SQLite has one
    /// server process per file, so the lock is always granted.
    pub async fn try_job_lock(&self, job: &str) -> Result<Option<JobLock>> {
        if self.kind == DbKind::Sqlite {
            return Ok(Some(JobLock { conn: None, key: 0 }));
        }
        let key = job_key(job);
        let mut conn = self.pool.acquire().await?;
        let got: bool = sqlx::query("SELECT pg_try_advisory_lock($1) AS got")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?
            .try_get("got")?;
        Ok(got.then_some(JobLock { conn: Some(conn), key }))
    }

    pub async fn record_backup(&self, run: &BackupRun) -> Result<()> {
        sqlx::query(
            "INSERT INTO backup_run (id, started_ms, finished_ms, ok, trigger_kind, location, bytes, error, host) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(crate::new_id())
        .bind(run.started_ms)
        .bind(run.finished_ms)
        .bind(i64::from(run.ok) as i16)
        .bind(&run.trigger)
        .bind(&run.location)
        .bind(run.bytes)
        .bind(&run.error)
        .bind(&run.host)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The newest backups, newest first.
    pub async fn recent_backups(&self, limit: i64) -> Result<Vec<BackupRun>> {
        sqlx::query(
            "SELECT started_ms, finished_ms, ok, trigger_kind, location, bytes, error, host \
             FROM backup_run ORDER BY started_ms DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(BackupRun {
                started_ms: r.try_get("started_ms")?,
                finished_ms: r.try_get("finished_ms")?,
                ok: r.try_get::<i64, _>("ok")? != 0,
                trigger: r.try_get("trigger_kind")?,
                location: r.try_get("location")?,
                bytes: r.try_get("bytes")?,
                error: r.try_get("error")?,
                host: r.try_get("host")?,
            })
        })
        .collect()
    }

    /// The schedule and the last ten backups, for the Admin Pemda.
    pub async fn backup_status(
        &self,
        _admin: &crate::rights::PemdaAdmin,
    ) -> Result<domain::model::BackupStatus> {
        let s = backup_schedule();
        Ok(domain::model::BackupStatus {
            every_s: s.map(|s| s.every_s),
            keep: s.map(|s| s.keep).unwrap_or(0),
            dir: s.map(|s| s.dir.clone()).unwrap_or_default(),
            recent: self.recent_backups(10).await?,
        })
    }

    /// When the last scheduled backup (successful or not) started, by any copy.
    pub async fn last_scheduled_backup_ms(&self) -> Result<Option<i64>> {
        Ok(sqlx::query(
            "SELECT MAX(started_ms) AS t FROM backup_run WHERE trigger_kind = 'scheduled'",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get("t")?)
    }

    /// Letters waiting for someone's paraf or signature, by the level of the position they wait
    /// at (1 = head of the OPD, larger = lower in the tree), for `/metrics`.
    pub async fn letters_waiting_by_level(&self) -> Result<Vec<(i64, i64)>> {
        sqlx::query(
            "SELECT p.level AS level, SUM(q.waiting) AS n FROM position_queue q \
             JOIN position p ON p.id = q.position_id WHERE q.waiting > 0 GROUP BY p.level ORDER BY p.level",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<i64, _>("level")?, r.try_get::<i64, _>("n")?)))
        .collect()
    }

    /// Connections of the pool: (open, idle).
    pub fn pool_use(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    pub fn database_kind_name(&self) -> &'static str {
        match self.kind {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_keys_are_stable_and_distinct() {
        assert_eq!(job_key("backup"), job_key("backup"));
        assert_ne!(job_key("backup"), job_key("deadlines"));
    }

    #[test]
    fn the_program_knows_its_migrations() {
        assert!(known_schema_version() >= 25);
    }
}
