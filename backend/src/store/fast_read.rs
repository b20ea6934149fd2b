//! A read path for the hottest queries on SQLite that bypasses sqlx's Any driver.
//!
//! Through sqlx, a SQLite query travels to the connection's own worker thread and every row comes
//! back over a channel, then is converted into `AnyRow` values (an allocation per value, a hash
//! lookup per column). At 1,000,000 letters a profile of the list endpoints showed about a third of
//! the time in thread switches between tokio and those workers and another third in allocation.
//!
//! Here the same SQL text (with its `$n` placeholders, bound by number as sqlx-sqlite does) runs on
//! read-only `rusqlite` connections to the same file (WAL: readers see every committed transaction
//! and never wait for the writer), and the caller's mapping function reads each row in place.
//! A read bounded by an index (a session by its key, a page of a queue: `Cost::Bounded`) runs on
//! the calling thread with that thread's own connection; one that may scan (`Cost::Scan`) runs on
//! a blocking thread with a connection from a small shared pool. Statements are prepared once per
//! connection and kept. Nothing is cached but prepared statements: every call reads the database
//! as it is.
//!
//! Only reads use this path; every write, and everything on PostgreSQL, stays on sqlx. The lists
//! build one SQL text and one mapping for both paths (`Store::read_rows`), so the two cannot drift
//! apart; `tests/fast_read.rs` compares them on generated data.

use crate::{BackendError, Result};
use rusqlite::{Connection, OpenFlags};
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Column access by name, the same for an sqlx row and a rusqlite row, so one mapping function
/// serves both read paths.
pub(crate) trait Cols {
    fn text(&self, name: &str) -> Result<String>;
    fn opt_text(&self, name: &str) -> Result<Option<String>>;
    fn int(&self, name: &str) -> Result<i64>;
    fn opt_int(&self, name: &str) -> Result<Option<i64>>;
}

/// Columns holding domain codes, on any row (also `&dyn Cols`).
pub(crate) trait CodeCols: Cols {
    /// A column holding a domain code; an unknown code is a broken row, not a user error.
    fn code<T: domain::Code>(&self, name: &str) -> Result<T> {
        let s = self.text(name)?;
        T::from_code(&s).ok_or_else(|| unknown_code(name, &s))
    }
    /// A position level column (stored as its number).
    fn level(&self, name: &str) -> Result<domain::org::PositionLevel> {
        let n = self.int(name)?;
        domain::org::PositionLevel::from_code(n).ok_or_else(|| unknown_code(name, &n.to_string()))
    }
}

impl<C: Cols + ?Sized> CodeCols for C {}

fn unknown_code(column: &str, value: &str) -> BackendError {
    BackendError::internal(format!("database: unknown code {value:?} in column {column}"))
}

impl Cols for sqlx::any::AnyRow {
    fn text(&self, name: &str) -> Result<String> {
        Ok(sqlx::Row::try_get(self, name)?)
    }
    fn opt_text(&self, name: &str) -> Result<Option<String>> {
        Ok(sqlx::Row::try_get(self, name)?)
    }
    fn int(&self, name: &str) -> Result<i64> {
        Ok(sqlx::Row::try_get(self, name)?)
    }
    fn opt_int(&self, name: &str) -> Result<Option<i64>> {
        Ok(sqlx::Row::try_get(self, name)?)
    }
}

impl From<rusqlite::Error> for BackendError {
    fn from(e: rusqlite::Error) -> Self {
        BackendError::caused("database (sqlite read)", e)
    }
}

/// A rusqlite row with its statement's column names. Mappings read columns mostly in SELECT
/// order, so the lookup starts after the previous hit and is usually one comparison.
struct FastRow<'a> {
    row: &'a rusqlite::Row<'a>,
    names: &'a [String],
    next: Cell<usize>,
}

impl FastRow<'_> {
    fn index(&self, name: &str) -> Result<usize> {
        let n = self.names.len();
        let start = self.next.get();
        for k in 0..n {
            let i = (start + k) % n;
            if self.names[i] == name {
                self.next.set(i + 1);
                return Ok(i);
            }
        }
        Err(BackendError::internal(format!("database (sqlite read): no column {name}")))
    }
    fn get<T: rusqlite::types::FromSql>(&self, name: &str) -> Result<T> {
        Ok(self.row.get(self.index(name)?)?)
    }
}

impl Cols for FastRow<'_> {
    fn text(&self, name: &str) -> Result<String> {
        self.get(name)
    }
    fn opt_text(&self, name: &str) -> Result<Option<String>> {
        self.get(name)
    }
    fn int(&self, name: &str) -> Result<i64> {
        self.get(name)
    }
    fn opt_int(&self, name: &str) -> Result<Option<i64>> {
        self.get(name)
    }
}

/// Process-wide SQLite settings, before the library initialises (the first connection of either
/// crate does that; later calls are refused by SQLite and change nothing).
///
/// With memory statistics on, every `sqlite3_malloc`/`free` of every connection takes one global
/// mutex; with several reader threads and sqlx's connection threads on two cores it was contended
/// (glibc lock waits and futex wake-ups in the profile), and nothing here uses the statistics. The
/// project's build already defaults them off (`LIBSQLITE3_FLAGS` in `.cargo/config.toml`, which
/// also drops `SQLITE_ENABLE_MEMORY_MANAGEMENT` and its page cache shared by all connections);
/// this keeps them off in a build made without those flags.
pub(crate) fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any connection exists in this process (Store::connect
        // calls this first); if SQLite is already initialised it returns SQLITE_MISUSE and does nothing.
        #[allow(unsafe_code)] // the one call into C outside the crates that wrap SQLite
        let rc = unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::os::raw::c_int,
            )
        };
        if rc != rusqlite::ffi::SQLITE_OK {
            tracing::debug!(rc, "SQLite already initialised; memory statistics stay on");
        }
    });
}

/// How much work a read can be, which decides the thread it runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cost {
    /// A lookup by key or a page read from an index range with a LIMIT: tens to hundreds of
    /// microseconds however large the database grows. Runs on the calling (async) thread, on that
    /// thread's own connection: handing it to a blocking thread and back would cost more than the
    /// query (two thread wake-ups per read; a third of the time in the profile of the lists).
    Bounded,
    /// Anything that may scan (a count over a filter, a search with LIKE): runs on a blocking thread
    /// so that a slow query never holds up the async workers.
    Scan,
}

impl Cost {
    /// A page of a list read from index ranges: bounded while the list is unfiltered and the page
    /// is near the front (page 20 still reads at most 1,000 rows per range); a deep page or a
    /// filter may pass over many rows.
    pub(crate) fn of_page(unfiltered: bool, page: i64) -> Cost {
        if unfiltered && page <= 20 { Cost::Bounded } else { Cost::Scan }
    }
}

// Connections of the current thread for `Cost::Bounded` reads, one per reader (tests open many
// stores in one process; a server has one). Kept short: the oldest is closed beyond four.
thread_local! {
    static HERE: RefCell<Vec<(u64, Connection)>> = const { RefCell::new(Vec::new()) };
}
const HERE_MAX: usize = 4;

/// Read-only connections to one SQLite file, opened on demand, at most `max` in use at once.
pub(crate) struct SqliteReader {
    /// Tells this reader's thread-local connections from another store's.
    id: u64,
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

impl SqliteReader {
    /// The file behind an sqlx SQLite URL (`sqlite://path?…` or `sqlite:path?…`); None for an
    /// in-memory database or a path this parser does not handle, which then reads through sqlx.
    pub(crate) fn file_of(url: &str) -> Option<PathBuf> {
        let rest = url.strip_prefix("sqlite:")?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, params) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty()
            || path.contains(":memory:")
            || path.contains('%')
            || params.split('&').any(|p| p == "mode=memory")
        {
            return None;
        }
        Some(PathBuf::from(path))
    }

    /// Opens one connection at once, so a file that cannot be read fails at start, not at the first list.
    /// At most `max` queries run at once, and no more than the machine has cores: the reads are
    /// CPU work on pages in memory, and more threads than cores only add switching between them.
    pub(crate) fn open(path: &Path, max: usize) -> Result<SqliteReader> {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let max = max.min(cores.max(2));
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let r = SqliteReader {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(max.max(1))),
        };
        let c = r.connect()?;
        r.idle.lock().unwrap_or_else(|e| e.into_inner()).push(c);
        Ok(r)
    }

    fn connect(&self) -> Result<Connection> {
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // The sqlx pool set WAL on the file (a persistent mode); this connection only reads.
        c.execute_batch("PRAGMA query_only = ON;")?;
        c.busy_timeout(Duration::from_secs(10))?;
        c.set_prepared_statement_cache_capacity(64);
        Ok(c)
    }

    /// Runs one query and maps every row with `map`: a bounded one here, on this thread's
    /// connection; one that may scan on a blocking thread.
    pub(crate) async fn query<T: Send + 'static>(
        self: &Arc<Self>,
        cost: Cost,
        sql: String,
        args: Vec<String>,
        map: fn(&dyn Cols) -> Result<T>,
    ) -> Result<Vec<T>> {
        if cost == Cost::Bounded {
            return self.query_here(&sql, &args, map);
        }
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| BackendError::caused("sqlite read permit", e))?;
        let me = self.clone();

        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            me.query_blocking(&sql, &args, map)
        })
        .await
        .map_err(|e| BackendError::caused("sqlite read task", e))?
    }

    fn query_blocking<T>(
        &self,
        sql: &str,
        args: &[String],
        map: fn(&dyn Cols) -> Result<T>,
    ) -> Result<Vec<T>> {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match taken {
            Some(c) => c,
            None => self.connect()?,
        };
        let res = Self::run(&conn, sql, args, map);
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
        res
    }

    /// Runs a query on the current thread's own connection to this file (opened on first use).
    fn query_here<T>(
        &self,
        sql: &str,
        args: &[String],
        map: fn(&dyn Cols) -> Result<T>,
    ) -> Result<Vec<T>> {
        HERE.with(|cell| {
            // `map` is a plain function and cannot reach back here; should the cell be borrowed
            // anyway, the shared idle connections serve instead.
            let Ok(mut conns) = cell.try_borrow_mut() else {
                return self.query_blocking(sql, args, map);
            };
            let at = match conns.iter().position(|(id, _)| *id == self.id) {
                Some(i) => i,
                None => {
                    if conns.len() >= HERE_MAX {
                        conns.remove(0);
                    }
                    let c = self.connect()?;
                    // Bounded reads are key lookups and index ranges whose plan does not depend on
                    // the values bound. SQLite (built with STAT4, which keeps the Terkirim and
                    // search plans good) would otherwise prepare such a statement again on every
                    // call to look at the new values: a third of the time of a list call. With the
                    // query planner stability guarantee the cached statement is reused as is.
                    c.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
                    conns.push((self.id, c));
                    conns.len() - 1
                }
            };
            Self::run(&conns[at].1, sql, args, map)
        })
    }

    fn run<T>(
        conn: &Connection,
        sql: &str,
        args: &[String],
        map: fn(&dyn Cols) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = conn.prepare_cached(sql)?;
        // `$n` is a named parameter to SQLite, numbered by first appearance; bind each by its n.
        for i in 1..=stmt.parameter_count() {
            let n = stmt
                .parameter_name(i)
                .and_then(|p| p.strip_prefix('$'))
                .and_then(|p| p.parse::<usize>().ok())
                .ok_or_else(|| {
                    BackendError::internal(format!(
                        "database (sqlite read): parameter {i} is not $n"
                    ))
                })?;
            let v = args.get(n.wrapping_sub(1)).ok_or_else(|| {
                BackendError::internal(format!("database (sqlite read): no argument ${n}"))
            })?;
            stmt.raw_bind_parameter(i, v.as_str())?;
        }
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_string).collect();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(map(&FastRow { row, names: &names, next: Cell::new(0) })?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(name: &str) -> PathBuf {
        let path = std::env::temp_dir()
            .join(format!("eoffice-fast-read-{}-{name}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 1), ('b', 2);").unwrap();
        path
    }

    fn value(r: &dyn Cols) -> Result<i64> {
        r.int("v")
    }

    #[test]
    fn only_near_unfiltered_pages_count_as_bounded() {
        assert_eq!(Cost::of_page(true, 1), Cost::Bounded);
        assert_eq!(Cost::of_page(true, 20), Cost::Bounded);
        assert_eq!(Cost::of_page(true, 21), Cost::Scan);
        assert_eq!(Cost::of_page(false, 1), Cost::Scan);
    }

    #[tokio::test]
    async fn bounded_reads_use_this_threads_connection_per_reader_and_see_new_commits() {
        let paths: Vec<PathBuf> = (0..6).map(|i| database(&format!("r{i}"))).collect();
        let readers: Vec<Arc<SqliteReader>> =
            paths.iter().map(|p| Arc::new(SqliteReader::open(p, 2).unwrap())).collect();
        // Each reader answers from its own file, whichever thread-local connections came before.
        for round in 0..2 {
            for (i, r) in readers.iter().enumerate() {
                let got = r
                    .query(
                        Cost::Bounded,
                        "SELECT v FROM t WHERE k = $1".into(),
                        vec!["b".into()],
                        value,
                    )
                    .await
                    .unwrap();
                assert_eq!(got, vec![2], "reader {i}, round {round}");
                HERE.with(|h| {
                    let h = h.borrow();
                    assert!(h.len() <= HERE_MAX, "old connections are closed");
                    let c = &h.last().unwrap().1;
                    assert!(
                        c.db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
                            .unwrap(),
                        "bounded reads keep their plans"
                    );
                });
            }
        }
        // A commit by another connection is seen by the next bounded and scanning reads.
        Connection::open(&paths[5])
            .unwrap()
            .execute("UPDATE t SET v = 20 WHERE k = 'b'", [])
            .unwrap();
        let r = &readers[5];
        assert_eq!(
            r.query(Cost::Bounded, "SELECT v FROM t WHERE k = $1".into(), vec!["b".into()], value)
                .await
                .unwrap(),
            vec![20]
        );
        assert_eq!(
            r.query(Cost::Scan, "SELECT v FROM t WHERE k = $1".into(), vec!["b".into()], value)
                .await
                .unwrap(),
            vec![20]
        );
        // Read-only: a write through the reader is refused.
        let err = r.query(Cost::Bounded, "DELETE FROM t RETURNING v".into(), vec![], value).await;
        assert!(err.is_err(), "query_only connections do not write");
        drop(readers);
        for p in paths {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
    }
}
