//! Export for leaving, and import of such an export into an empty installation.
//!
//! `export` writes one consistent moment of the installation in open formats: every table as JSON
//! lines (`tables/<table>.jsonl`, one object per row, binary values as `{"$base64": "..."}`), and for
//! people rather than programs every signed outgoing letter and every incoming letter as its PDF
//! with a JSON record beside it (`surat-keluar/`, `surat-masuk/`), plus a README that says what is
//! where. The tables hold everything else: the organisation (`pemda`, `opd`, `unit`, `position`,
//! `employee`, ...), dispositions, work events and activities, and the audit chain. `import` reads
//! the tables into an installation whose database is empty (the same e-Office version: the same
//! schema), on SQLite or PostgreSQL, whichever the export came from, and checks the row counts and
//! the audit chain afterwards.
//!
//! The export holds personal data, password hashes and the CA's keys (encrypted under the PKI
//! master key, which is not in it): keep it like a backup.

use super::backup::io;
use super::{DbKind, Store};
use crate::{BackendError, Result};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::Path;

pub const FORMAT: &str = "eoffice-export/1";
pub const MANIFEST: &str = "manifest.json";
const B64: &str = "$base64";

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ExportManifest {
    pub format: String,
    pub app_version: String,
    pub created_ms: i64,
    /// "sqlite" or "postgres": where the export came from (it imports into either).
    pub source_database: String,
    pub schema_version: i64,
    /// Rows per table.
    pub tables: BTreeMap<String, i64>,
    pub outgoing_letters: i64,
    pub incoming_letters: i64,
}

type Obj = BTreeMap<String, Value>;

fn b64(bytes: &[u8]) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(B64.into(), Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)));
    Value::Object(m)
}

/// Reads one consistent moment of the database: a read transaction on one connection.
enum Snapshot {
    Sqlite(rusqlite::Connection),
    Pg { conn: sqlx::AnyConnection, bytea: HashMap<String, HashSet<String>> },
}

impl Snapshot {
    async fn open(store: &Store) -> Result<Snapshot> {
        match store.kind {
            DbKind::Sqlite => {
                let path = super::fast_read::SqliteReader::file_of(&store.url)
                    .ok_or_else(|| BackendError::internal("not a SQLite file"))?;
                let conn = rusqlite::Connection::open_with_flags(
                    &path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| BackendError::caused("open database", e))?;
                conn.execute_batch("BEGIN").map_err(|e| BackendError::caused("begin", e))?;
                Ok(Snapshot::Sqlite(conn))
            }
            DbKind::Postgres => {
                let mut conn = sqlx::AnyConnection::connect(&store.url).await?;
                sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .execute(&mut conn)
                    .await?;
                let mut bytea: HashMap<String, HashSet<String>> = HashMap::new();
                for r in sqlx::query(
                    "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c \
                     FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'bytea'",
                )
                .fetch_all(&mut conn)
                .await?
                {
                    bytea.entry(r.try_get("t")?).or_default().insert(r.try_get("c")?);
                }
                Ok(Snapshot::Pg { conn, bytea })
            }
        }
    }

    /// Every table but the migrations' record (the importing program writes its own).
    async fn tables(&mut self) -> Result<Vec<String>> {
        let mut names = match self {
            Snapshot::Sqlite(c) => super::backup::sqlite_tables(c)?,
            Snapshot::Pg { conn, .. } => super::backup::pg_tables(conn).await?,
        };
        names.retain(|n| n != "_sqlx_migrations");
        Ok(names)
    }

    /// Calls `each` with every row of `table` (optionally only where `col = value`).
    async fn rows(
        &mut self,
        table: &str,
        filter: Option<(&str, &str)>,
        each: &mut dyn FnMut(Obj) -> Result<()>,
    ) -> Result<()> {
        let where_ = filter.map(|(c, _)| format!(" WHERE \"{c}\" = $1")).unwrap_or_default();
        match self {
            Snapshot::Sqlite(c) => {
                let err = |e| BackendError::caused(format!("read {table}"), e);
                let sql = format!("SELECT * FROM \"{table}\"{}", where_.replace("$1", "?1"));
                let mut st = c.prepare(&sql).map_err(err)?;
                let names: Vec<String> = st.column_names().iter().map(|s| s.to_string()).collect();
                let mut rows = match filter {
                    Some((_, v)) => st.query([v]),
                    None => st.query([]),
                }
                .map_err(err)?;
                while let Some(r) = rows.next().map_err(err)? {
                    let mut o = Obj::new();
                    for (i, n) in names.iter().enumerate() {
                        use rusqlite::types::ValueRef;
                        let v = match r.get_ref(i).map_err(err)? {
                            ValueRef::Null => Value::Null,
                            ValueRef::Integer(x) => Value::from(x),
                            ValueRef::Real(x) => Value::from(x),
                            ValueRef::Text(t) => {
                                Value::String(String::from_utf8_lossy(t).into_owned())
                            }
                            ValueRef::Blob(b) => b64(b),
                        };
                        o.insert(n.clone(), v);
                    }
                    each(o)?;
                }
                Ok(())
            }
            Snapshot::Pg { conn, bytea } => {
                let sql =
                    format!("SELECT CAST(row_to_json(t) AS TEXT) AS j FROM \"{table}\" t{where_}");
                let mut q = sqlx::query(&sql);
                if let Some((_, v)) = filter {
                    q = q.bind(v);
                }
                let binary = bytea.get(table);
                use futures_util::TryStreamExt;
                let mut stream = q.fetch(&mut *conn);
                while let Some(r) = stream.try_next().await? {
                    let j: String = r.try_get("j")?;
                    let mut o: Obj = serde_json::from_str(&j)
                        .map_err(|e| BackendError::caused(format!("row of {table}"), e))?;
                    if let Some(cols) = binary {
                        for c in cols {
                            if let Some(Value::String(s)) = o.get(c) {
                                let bytes = hex::decode(s.trim_start_matches("\\x"))
                                    .map_err(|e| BackendError::caused("bytea", e))?;
                                o.insert(c.clone(), b64(&bytes));
                            }
                        }
                    }
                    each(o)?;
                }
                Ok(())
            }
        }
    }

    async fn all(&mut self, table: &str, filter: Option<(&str, &str)>) -> Result<Vec<Obj>> {
        let mut out = Vec::new();
        self.rows(table, filter, &mut |o| {
            out.push(o);
            Ok(())
        })
        .await?;
        Ok(out)
    }
}

fn bytes_of(v: Option<&Value>) -> Option<Vec<u8>> {
    let s = v?.as_object()?.get(B64)?.as_str()?;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

fn str_of(o: &Obj, k: &str) -> String {
    o.get(k).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// A record for people: binary values (the PDF, scans) left out, they are the file beside it.
fn without_binary(mut o: Obj) -> Obj {
    o.retain(|_, v| !v.as_object().is_some_and(|m| m.contains_key(B64)));
    o
}

fn write_json(path: &Path, v: &impl Serialize) -> Result<()> {
    let text = serde_json::to_vec_pretty(v).map_err(|e| BackendError::caused("json", e))?;
    std::fs::write(path, text).map_err(io(format!("write {}", path.display())))
}

const README: &str = "e-Office export (format eoffice-export/1)

manifest.json      when, from which database and schema version, rows per table
tables/*.jsonl     every table of the database, one JSON object per line and row;
                   binary values (PDFs, scans, attachments) as {\"$base64\": \"...\"}.
                   Organisation: pemda, opd, unit, position, employee, acting, account, role_grant.
                   Outgoing letters: letter, letter_version (the text of every version),
                   letter_recipient, letter_action, letter_document, letter_attachment.
                   Incoming letters and dispositions: incoming_letter, incoming_scan, disposition,
                   disposition_file. Work: work_event, activity, kinerja_*. Audit: audit_log
                   (a hash chain: each row's hash covers the previous row's hash).
surat-keluar/      every signed outgoing letter: <id>.pdf (the signed document) and <id>.json
                   (the letter, its recipients, versions, approval actions, attachments).
surat-masuk/       every incoming letter: <id>.pdf (the scan, or the signed letter received from
                   inside the system) and <id>.json (the letter and its dispositions).

Import into an empty installation of the same e-Office version with `eoffice import --from DIR`.
This folder holds personal data and password hashes: keep it as safe as a backup.
";

impl Store {
    /// Writes the export into `dir`, which must be new or empty.
    pub async fn export_to(&self, dir: &Path) -> Result<ExportManifest> {
        if dir.exists()
            && std::fs::read_dir(dir)
                .map_err(io(format!("read {}", dir.display())))?
                .next()
                .is_some()
        {
            return Err(BackendError::Conflict(format!(
                "{} tidak kosong: ekspor hanya ke folder baru atau kosong.",
                dir.display()
            )));
        }
        for sub in ["tables", "surat-keluar", "surat-masuk"] {
            std::fs::create_dir_all(dir.join(sub))
                .map_err(io(format!("create {}", dir.display())))?;
        }
        let started = crate::now_ms();
        let schema_version = self.schema_version().await?;
        let mut snap = Snapshot::open(self).await?;
        let mut tables = BTreeMap::new();
        for t in snap.tables().await? {
            let path = dir.join("tables").join(format!("{t}.jsonl"));
            let mut out = std::io::BufWriter::new(
                std::fs::File::create(&path).map_err(io(format!("create {}", path.display())))?,
            );
            let mut n = 0i64;
            snap.rows(&t, None, &mut |o| {
                serde_json::to_writer(&mut out, &o).map_err(|e| BackendError::caused("json", e))?;
                out.write_all(b"\n").map_err(io("write"))?;
                n += 1;
                Ok(())
            })
            .await?;
            out.flush().map_err(io(format!("write {}", path.display())))?;
            tables.insert(t, n);
        }
        // Outgoing letters with their final document.
        let mut outgoing = 0;
        let mut docs = Vec::new();
        snap.rows("letter_document", None, &mut |o| {
            docs.push((str_of(&o, "letter_id"), bytes_of(o.get("pdf")), without_binary(o)));
            Ok(())
        })
        .await?;
        for (id, pdf, doc) in docs {
            let letter = snap.all("letter", Some(("id", &id))).await?;
            let record = serde_json::json!({
                "letter": letter.into_iter().next(),
                "document": doc,
                "recipients": snap.all("letter_recipient", Some(("letter_id", &id))).await?,
                "versions": snap.all("letter_version", Some(("letter_id", &id))).await?,
                "actions": snap.all("letter_action", Some(("letter_id", &id))).await?,
                "attachments": snap.all("letter_attachment", Some(("letter_id", &id))).await?
                    .into_iter().map(without_binary).collect::<Vec<_>>(),
            });
            let base = dir.join("surat-keluar").join(&id);
            write_json(&base.with_extension("json"), &record)?;
            if let Some(pdf) = pdf {
                std::fs::write(base.with_extension("pdf"), pdf).map_err(io("write pdf"))?;
            }
            outgoing += 1;
        }
        // Incoming letters: the scan, or the signed letter delivered from inside the system.
        let mut incoming = 0;
        for inc in snap.all("incoming_letter", None).await? {
            let id = str_of(&inc, "id");
            let pdf = match snap
                .all("incoming_scan", Some(("incoming_id", &id)))
                .await?
                .into_iter()
                .next()
            {
                Some(scan) => scan.values().find_map(|v| bytes_of(Some(v))),
                None => match inc.get("outgoing_letter_id").and_then(Value::as_str) {
                    Some(out) => snap
                        .all("letter_document", Some(("letter_id", out)))
                        .await?
                        .into_iter()
                        .next()
                        .and_then(|d| bytes_of(d.get("pdf"))),
                    None => None,
                },
            };
            let record = serde_json::json!({
                "incoming_letter": inc,
                "dispositions": snap.all("disposition", Some(("incoming_id", &id))).await?,
            });
            let base = dir.join("surat-masuk").join(&id);
            write_json(&base.with_extension("json"), &record)?;
            if let Some(pdf) = pdf {
                std::fs::write(base.with_extension("pdf"), pdf).map_err(io("write pdf"))?;
            }
            incoming += 1;
        }
        if let Snapshot::Pg { mut conn, .. } = snap {
            sqlx::query("COMMIT").execute(&mut conn).await?;
            conn.close().await.ok();
        }
        std::fs::write(dir.join("README.txt"), README).map_err(io("write README"))?;
        let manifest = ExportManifest {
            format: FORMAT.into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            created_ms: started,
            source_database: self.database_kind_name().into(),
            schema_version,
            tables,
            outgoing_letters: outgoing,
            incoming_letters: incoming,
        };
        write_json(&dir.join(MANIFEST), &manifest)?;
        Ok(manifest)
    }
}

// --- Import ---------------------------------------------------------------------------------------

/// A column of the target database: whether it is an integer, binary or text column, and nullable.
#[derive(Clone, Copy, PartialEq)]
enum ColKind {
    Int,
    Real,
    Bytes,
    Text,
}

struct TableInfo {
    cols: HashMap<String, (ColKind, bool)>,
    pk: Vec<String>,
    /// (column, referenced table, referenced column)
    fks: Vec<(String, String, String)>,
}

fn kind_of(decl: &str) -> ColKind {
    let d = decl.to_ascii_uppercase();
    if d.contains("INT") {
        ColKind::Int
    } else if d.contains("BYTEA") || d.contains("BLOB") {
        ColKind::Bytes
    } else if d.contains("REAL")
        || d.contains("DOUBLE")
        || d.contains("FLOAT")
        || d.contains("NUMERIC")
    {
        ColKind::Real
    } else {
        ColKind::Text
    }
}

async fn schema_info(store: &Store, tables: &[String]) -> Result<HashMap<String, TableInfo>> {
    let mut out = HashMap::new();
    for t in tables {
        let (cols_sql, pk_sql, fk_sql) = match store.kind {
            DbKind::Sqlite => (
                "SELECT name AS c, type AS d, CASE WHEN \"notnull\" = 0 AND pk = 0 THEN 1 ELSE 0 END AS n \
                 FROM pragma_table_info($1)",
                "SELECT name AS c FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk",
                "SELECT \"from\" AS c, \"table\" AS rt, COALESCE(\"to\", '') AS rc FROM pragma_foreign_key_list($1)",
            ),
            DbKind::Postgres => (
                "SELECT CAST(column_name AS TEXT) AS c, CAST(data_type AS TEXT) AS d, \
                 CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS n \
                 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
                "SELECT CAST(k.column_name AS TEXT) AS c FROM information_schema.table_constraints tc \
                 JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name \
                 AND k.table_schema = tc.table_schema \
                 WHERE tc.table_schema = 'public' AND tc.table_name = $1 AND tc.constraint_type = 'PRIMARY KEY' \
                 ORDER BY k.ordinal_position",
                "SELECT CAST(k.column_name AS TEXT) AS c, CAST(u.table_name AS TEXT) AS rt, \
                 CAST(u.column_name AS TEXT) AS rc FROM information_schema.table_constraints tc \
                 JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name \
                 AND k.table_schema = tc.table_schema \
                 JOIN information_schema.constraint_column_usage u ON u.constraint_name = tc.constraint_name \
                 AND u.table_schema = tc.table_schema \
                 WHERE tc.table_schema = 'public' AND tc.table_name = $1 AND tc.constraint_type = 'FOREIGN KEY'",
            ),
        };
        let mut cols = HashMap::new();
        for r in sqlx::query(cols_sql).bind(t).fetch_all(&store.pool).await? {
            let d: String = r.try_get("d")?;
            cols.insert(r.try_get("c")?, (kind_of(&d), r.try_get::<i64, _>("n")? == 1));
        }
        let pk = sqlx::query(pk_sql)
            .bind(t)
            .fetch_all(&store.pool)
            .await?
            .iter()
            .map(|r| Ok(r.try_get::<String, _>("c")?))
            .collect::<Result<Vec<_>>>()?;
        let mut fks = Vec::new();
        for r in sqlx::query(fk_sql).bind(t).fetch_all(&store.pool).await? {
            let rt: String = r.try_get("rt")?;
            let mut rc: String = r.try_get("rc")?;
            if rc.is_empty() {
                rc = "id".into();
            }
            fks.push((r.try_get("c")?, rt, rc));
        }
        out.insert(t.clone(), TableInfo { cols, pk, fks });
    }
    Ok(out)
}

/// (table, column)
type ColumnRef = (String, String);

/// An order of the tables in which every table comes after those it references, and the
/// references that had to be set afterwards to break a cycle (nullable columns only).
fn table_order(
    tables: &[String],
    info: &HashMap<String, TableInfo>,
) -> Result<(Vec<String>, HashSet<ColumnRef>)> {
    let mut deferred: HashSet<ColumnRef> = HashSet::new();
    let mut order: Vec<String> = Vec::new();
    let mut left: Vec<String> = tables.to_vec();
    while !left.is_empty() {
        let placed: HashSet<&String> = order.iter().collect();
        let ready = left.iter().position(|t| {
            info[t].fks.iter().all(|(c, rt, _)| {
                rt == t
                    || placed.contains(rt)
                    || !tables.contains(rt)
                    || deferred.contains(&(t.clone(), c.clone()))
            })
        });
        match ready {
            Some(i) => order.push(left.remove(i)),
            None => {
                // A cycle: set one nullable reference afterwards.
                let edge = left.iter().find_map(|t| {
                    info[t].fks.iter().find_map(|(c, rt, _)| {
                        let nullable = info[t].cols.get(c).is_some_and(|(_, n)| *n);
                        (rt != t
                            && !placed.contains(rt)
                            && nullable
                            && !deferred.contains(&(t.clone(), c.clone())))
                        .then(|| (t.clone(), c.clone()))
                    })
                });
                match edge {
                    Some(e) => {
                        deferred.insert(e);
                    }
                    None => {
                        return Err(BackendError::internal(format!(
                            "cannot order tables for import: {left:?}"
                        )));
                    }
                }
            }
        }
    }
    Ok((order, deferred))
}

/// Rows of a table that references itself, parents first.
fn parents_first(rows: Vec<Obj>, self_refs: &[(String, String)]) -> Vec<Obj> {
    if self_refs.is_empty() {
        return rows;
    }
    let mut done: HashSet<(String, String)> = HashSet::new();
    let mut left = rows;
    let mut out = Vec::with_capacity(left.len());
    loop {
        let before = left.len();
        let mut rest = Vec::new();
        for r in left {
            let ok = self_refs.iter().all(|(c, rc)| match r.get(c) {
                None | Some(Value::Null) => true,
                Some(v) => done.contains(&(rc.clone(), v.to_string())),
            });
            if ok {
                for (_, rc) in self_refs {
                    if let Some(v) = r.get(rc) {
                        done.insert((rc.clone(), v.to_string()));
                    }
                }
                out.push(r);
            } else {
                rest.push(r);
            }
        }
        if rest.is_empty() || rest.len() == before {
            out.extend(rest);
            return out;
        }
        left = rest;
    }
}

fn bind_value<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    v: Option<&Value>,
    kind: ColKind,
    table: &str,
    col: &str,
) -> Result<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>> {
    let bad = || BackendError::invalid(format!("Nilai kolom {table}.{col} tidak sesuai jenisnya."));
    Ok(match (kind, v) {
        (ColKind::Int, None | Some(Value::Null)) => q.bind(None::<i64>),
        (ColKind::Real, None | Some(Value::Null)) => q.bind(None::<f64>),
        (ColKind::Bytes, None | Some(Value::Null)) => q.bind(None::<Vec<u8>>),
        (ColKind::Text, None | Some(Value::Null)) => q.bind(None::<String>),
        (ColKind::Int, Some(Value::Number(n))) => q.bind(n.as_i64().ok_or_else(bad)?),
        (ColKind::Int, Some(Value::Bool(b))) => q.bind(i64::from(*b)),
        (ColKind::Real, Some(Value::Number(n))) => q.bind(n.as_f64().ok_or_else(bad)?),
        (ColKind::Bytes, v) => q.bind(bytes_of(v).ok_or_else(bad)?),
        (ColKind::Text, Some(Value::String(s))) => q.bind(s.clone()),
        (ColKind::Text, Some(Value::Number(n))) => q.bind(n.to_string()),
        _ => return Err(bad()),
    })
}

/// Imports an export into `store`, whose database must hold no Pemda and no employee yet (a new
/// installation: run only migrations, not `init` or the demo). One transaction: all or nothing.
pub async fn import_from(store: &Store, dir: &Path) -> Result<ExportManifest> {
    let text = std::fs::read(dir.join(MANIFEST)).map_err(|_| {
        BackendError::invalid(format!(
            "{} bukan folder ekspor e-Office: {MANIFEST} tidak ada.",
            dir.display()
        ))
    })?;
    let m: ExportManifest = serde_json::from_slice(&text)
        .map_err(|e| BackendError::invalid(format!("{MANIFEST} rusak: {e}")))?;
    if m.format != FORMAT {
        return Err(BackendError::invalid(format!("Format ekspor {} tidak dikenal.", m.format)));
    }
    let known = super::ops::known_schema_version();
    if m.schema_version != known {
        return Err(BackendError::invalid(format!(
            "Ekspor ini dari skema {}, program ini skema {known}: impor dengan versi e-Office yang sama dengan yang mengekspor.",
            m.schema_version
        )));
    }
    let occupied: i64 =
        sqlx::query("SELECT (SELECT COUNT(*) FROM pemda) + (SELECT COUNT(*) FROM employee) AS n")
            .fetch_one(&store.pool)
            .await?
            .try_get("n")?;
    if occupied > 0 {
        return Err(BackendError::Conflict(
            "Basis data tujuan tidak kosong: impor hanya ke instalasi baru (tanpa `init` dan tanpa data demo).".into(),
        ));
    }
    let tables: Vec<String> = m.tables.keys().cloned().collect();
    let info = schema_info(store, &tables).await?;
    for t in &tables {
        if info.get(t).is_none_or(|i| i.cols.is_empty()) {
            return Err(BackendError::invalid(format!(
                "Tabel {t} tidak ada di basis data tujuan."
            )));
        }
    }
    let (order, deferred) = table_order(&tables, &info)?;
    let mut tx = store.begin_write().await?;
    // Rows the migrations put in (e.g. counters) give way to the exported ones.
    for t in order.iter().rev() {
        sqlx::query(&format!("DELETE FROM \"{t}\"")).execute(tx.conn()).await?;
    }
    let mut later: Vec<(String, String, Obj, Value)> = Vec::new();
    for t in &order {
        let ti = &info[t];
        let path = dir.join("tables").join(format!("{t}.jsonl"));
        let file = std::fs::File::open(&path).map_err(io(format!("open {}", path.display())))?;
        let mut rows = Vec::new();
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(io(format!("read {}", path.display())))?;
            if line.trim().is_empty() {
                continue;
            }
            let o: Obj = serde_json::from_str(&line).map_err(|e| {
                BackendError::invalid(format!("{} baris {}: {e}", path.display(), n + 1))
            })?;
            rows.push(o);
        }
        let self_refs: Vec<(String, String)> = ti
            .fks
            .iter()
            .filter(|(_, rt, _)| rt == t)
            .map(|(c, _, rc)| (c.clone(), rc.clone()))
            .collect();
        for mut o in parents_first(rows, &self_refs) {
            for (c, _, _) in &ti.fks {
                if deferred.contains(&(t.clone(), c.clone()))
                    && let Some(v) = o.get(c).filter(|v| !v.is_null()).cloned()
                {
                    o.insert(c.clone(), Value::Null);
                    let key: Obj = ti
                        .pk
                        .iter()
                        .map(|k| (k.clone(), o.get(k).cloned().unwrap_or(Value::Null)))
                        .collect();
                    later.push((t.clone(), c.clone(), key, v));
                }
            }
            let cols: Vec<&String> = o.keys().filter(|c| ti.cols.contains_key(*c)).collect();
            if cols.len() != o.len() {
                let extra: Vec<&String> = o.keys().filter(|c| !ti.cols.contains_key(*c)).collect();
                return Err(BackendError::invalid(format!(
                    "Kolom {extra:?} tidak ada di tabel {t}."
                )));
            }
            let sql = format!(
                "INSERT INTO \"{t}\" ({}) VALUES ({})",
                cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
                (1..=cols.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
            );
            let mut q = sqlx::query(&sql);
            for c in &cols {
                q = bind_value(q, o.get(*c), ti.cols[*c].0, t, c)?;
            }
            q.execute(tx.conn()).await?;
        }
    }
    for (t, c, key, v) in later {
        let ti = &info[&t];
        let conds: Vec<String> =
            key.keys().enumerate().map(|(i, k)| format!("\"{k}\" = ${}", i + 2)).collect();
        let sql = format!("UPDATE \"{t}\" SET \"{c}\" = $1 WHERE {}", conds.join(" AND "));
        let mut q = bind_value(sqlx::query(&sql), Some(&v), ti.cols[&c].0, &t, &c)?;
        for (k, kv) in &key {
            q = bind_value(q, Some(kv), ti.cols[k].0, &t, k)?;
        }
        q.execute(tx.conn()).await?;
    }
    tx.commit().await?;
    // Counts as exported, and an intact audit chain.
    for (t, n) in &m.tables {
        let got: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM \"{t}\""))
            .fetch_one(&store.pool)
            .await?
            .try_get("n")?;
        if got != *n {
            return Err(BackendError::internal(format!("import of {t}: {got} rows, {n} exported")));
        }
    }
    match store.verify_audit_chain().await? {
        super::audit::ChainStatus::Intact { .. } => {}
        super::audit::ChainStatus::Broken { first_break, .. } => {
            return Err(BackendError::invalid(format!(
                "Rantai audit hasil impor putus pada baris {}.",
                first_break.seq()
            )));
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_referencing_rows_come_after_their_parents() {
        let row = |id: &str, parent: Option<&str>| -> Obj {
            let mut o = Obj::new();
            o.insert("id".into(), Value::from(id));
            o.insert("parent_id".into(), parent.map(Value::from).unwrap_or(Value::Null));
            o
        };
        let rows = vec![row("c", Some("b")), row("b", Some("a")), row("a", None)];
        let out = parents_first(rows, &[("parent_id".into(), "id".into())]);
        let ids: Vec<String> = out.iter().map(|o| str_of(o, "id")).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }
}
