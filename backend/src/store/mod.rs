//! The sqlx store: one set of SQL for SQLite (default) and PostgreSQL, through the Any driver.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod cosign;
pub mod counters;
pub mod dashboard;
pub mod delivery;
pub mod export;
pub(crate) mod fast_read;
pub(crate) use fast_read::{CodeCols, Cols, Cost};
pub mod inbox;
pub mod incoming;
pub mod kinerja;
mod kinerja_report;
pub mod letter_views;
pub mod letters;
pub mod notifications;
pub mod numbering;
pub mod ops;
pub mod org;
pub mod pki;
pub mod replies;
pub mod second_factor;
pub(crate) mod sql;
pub mod survey;
pub mod tour;

use crate::{BackendError, Result};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// Who did something, and from where: recorded in the audit chain.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub employee_id: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system() -> Actor {
        Actor::default()
    }
    pub fn user(id: &str, ip: Option<String>) -> Actor {
        Actor { employee_id: Some(id.to_string()), ip }
    }
}

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    kind: DbKind,
    /// SQLite allows one writer at a time; serialising writers in-process avoids "database is locked"
    /// when a deferred transaction upgrades to a write. PostgreSQL uses row and table locks instead.
    write_lock: Arc<Mutex<()>>,
    /// Where write transactions run. SQLite: one connection of its own, so the rollback of a
    /// transaction dropped on an error has run before the next writer begins (with several
    /// connections it could still hold the file's write lock, and the next writer got
    /// "database is locked", seen under a loaded test run). PostgreSQL: the pool itself.
    writer: AnyPool,
    session_cache: Arc<SessionCache>,
    /// The installation CA's master secret, public base URL and unlocked CA keys (see `pki`).
    pki: Arc<pki::PkiRuntime>,
    /// SQLite only: read-only connections for the hot list reads, bypassing sqlx (see `fast_read`).
    reader: Option<Arc<fast_read::SqliteReader>>,
    /// New notices of this copy's database, by recipient id, for the live streams (see
    /// `notifications`).
    hub: tokio::sync::broadcast::Sender<String>,
    /// The database address, for PostgreSQL's LISTEN connection.
    url: Arc<str>,
    /// The regency dashboards' month figures by Pemda, and the refreshes under way (see
    /// `dashboard`).
    dash_cache: Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<dashboard::MonthScan>>>>,
    dash_refreshing: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// The SMTP server for notice digests, when the installation names one (see `notifications`).
    mailer: Arc<std::sync::RwLock<Option<crate::mail::Mailer>>>,
}

/// Resolved session users of this server copy, valid for one cache generation and one day
/// (acting appointments start and end by day).
#[derive(Default)]
struct SessionCache {
    entries:
        std::sync::Mutex<std::collections::HashMap<String, (i64, i64, domain::model::SessionUser)>>,
}

impl SessionCache {
    const MAX_ENTRIES: usize = 50_000;

    fn get(&self, employee_id: &str, day: i64, gen_: i64) -> Option<domain::model::SessionUser> {
        let map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(employee_id) {
            Some((g, d, u)) if *g == gen_ && *d == day => Some(u.clone()),
            _ => None,
        }
    }

    fn put(&self, employee_id: &str, day: i64, gen_: i64, user: &domain::model::SessionUser) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::MAX_ENTRIES {
            map.clear();
        }
        map.insert(employee_id.to_string(), (gen_, day, user.clone()));
    }
}

/// A write transaction. Audited changes append to the audit chain inside the same transaction,
/// so a change and its audit row land together or not at all.
pub struct WriteTx {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    kind: DbKind,
    _guard: Option<OwnedMutexGuard<()>>,
    /// Recipients of notices written in this transaction, announced once it commits (SQLite;
    /// PostgreSQL announces them itself at commit through NOTIFY).
    notified: Vec<String>,
    hub: tokio::sync::broadcast::Sender<String>,
}

impl WriteTx {
    pub fn kind(&self) -> DbKind {
        self.kind
    }
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        for id in self.notified {
            // Nobody listening is not an error.
            let _ = self.hub.send(id);
        }
        Ok(())
    }
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl Store {
    /// Connects, creating the SQLite file when needed, and runs migrations on a pool of their own.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        fast_read::configure_sqlite();
        let kind = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            DbKind::Postgres
        } else if url.starts_with("sqlite:") {
            DbKind::Sqlite
        } else {
            return Err(BackendError::internal(format!(
                "unsupported DATABASE_URL scheme: {}",
                url.split(':').next().unwrap_or("")
            )));
        };
        let url = if kind == DbKind::Sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { "&" } else { "?" })
        } else {
            url.to_string()
        };
        {
            // A failed migration on PostgreSQL can leave its advisory lock held by the connection:
            // use a separate pool and close it, whatever happens.
            let mig_pool = Self::pool(&url, kind, 1).await?;
            let res = ops::migrate(&mig_pool, kind).await;
            mig_pool.close().await;
            res?;
        }
        // Connections per copy; tunable with EOFFICE_DB_POOL (SQLite runs each on its own thread: 2, 4
        // and 8 measured alike within the noise of the 1M-letter benchmark on 2 cores).
        let default_max = if kind == DbKind::Sqlite { 8 } else { 16 };
        let max = std::env::var("EOFFICE_DB_POOL")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(default_max);
        let pool = Self::pool(&url, kind, max).await?;
        let writer =
            if kind == DbKind::Sqlite { Self::pool(&url, kind, 1).await? } else { pool.clone() };
        // EOFFICE_SQLITE_FAST_READ=0 reads everything through sqlx (for comparisons).
        let fast = std::env::var("EOFFICE_SQLITE_FAST_READ").map(|v| v != "0").unwrap_or(true);
        let reader = match fast_read::SqliteReader::file_of(&url) {
            Some(path) if kind == DbKind::Sqlite && fast => {
                Some(Arc::new(fast_read::SqliteReader::open(&path, max as usize)?))
            }
            _ => None,
        };
        Ok(Store {
            pool,
            kind,
            write_lock: Arc::new(Mutex::new(())),
            writer,
            session_cache: Arc::default(),
            pki: Arc::default(),
            reader,
            hub: tokio::sync::broadcast::channel(1024).0,
            url: Arc::from(url.as_str()),
            dash_cache: Arc::default(),
            mailer: Arc::default(),
            dash_refreshing: Arc::default(),
        })
    }

    async fn pool(url: &str, kind: DbKind, max: u32) -> Result<AnyPool> {
        let opts = AnyConnectOptions::from_str(url)?;
        let mut po =
            AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(10));
        if kind == DbKind::Sqlite {
            // A local file does not drop connections: skip the ping sqlx sends before every
            // checkout (one extra round trip to the connection's thread per query).
            po = po.test_before_acquire(false);
            po = po.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    // FULL: a commit is on the disk before it is acknowledged, so a power cut
                    // cannot take back a signed letter's number (NORMAL in WAL mode may lose the
                    // last commits). EOFFICE_SQLITE_SYNCHRONOUS=NORMAL for comparisons only.
                    conn.execute(ops::sqlite_synchronous_pragma()).await?;
                    Ok(())
                })
            });
        }
        Ok(po.connect_with(opts).await?)
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// Whether list reads take the SQLite read path that bypasses sqlx.
    pub fn has_fast_reads(&self) -> bool {
        self.reader.is_some()
    }

    /// The same store reading everything through sqlx (tests compare both paths).
    pub fn without_fast_reads(&self) -> Store {
        Store { reader: None, ..self.clone() }
    }

    /// Runs a read query (`$n` placeholders, text arguments) and maps each row: on SQLite through
    /// the read-only connections of `fast_read`, otherwise through the sqlx pool.
    /// `cost` says whether the query is bounded by an index (see `fast_read::Cost`).
    pub(crate) async fn read_rows<T: Send + 'static>(
        &self,
        cost: Cost,
        sql: String,
        args: Vec<String>,
        map: fn(&dyn fast_read::Cols) -> Result<T>,
    ) -> Result<Vec<T>> {
        if let Some(r) = &self.reader {
            return r.query(cost, sql, args, map).await;
        }
        let mut q = sqlx::query(&sql);
        for a in &args {
            q = q.bind(a);
        }
        q.fetch_all(&self.pool).await?.iter().map(|r| map(r)).collect()
    }

    /// A `SELECT COUNT(*) AS n …` through `read_rows`.
    pub(crate) async fn read_count(
        &self,
        cost: Cost,
        sql: String,
        args: Vec<String>,
    ) -> Result<i64> {
        self.read_rows(cost, sql, args, |r| r.int("n"))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| BackendError::internal("count returned no row"))
    }

    pub async fn begin_write(&self) -> Result<WriteTx> {
        let guard = if self.kind == DbKind::Sqlite {
            Some(self.write_lock.clone().lock_owned().await)
        } else {
            None
        };
        let tx = self.writer.begin().await?;
        Ok(WriteTx {
            tx,
            kind: self.kind,
            _guard: guard,
            notified: Vec::new(),
            hub: self.hub.clone(),
        })
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}
