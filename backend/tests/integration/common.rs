//! Shared by every store test: fresh databases (a new SQLite file or a new PostgreSQL database per
//! test), `dual_test!`, demo users, and the external validators (pdfsig, pyHanko) with the CRL
//! server they fetch from.

use backend::Store;
use domain::model::SessionUser;
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestDb {
    pub store: Store,
    /// Where the store connects (a second copy of the server can connect there too).
    pub url: String,
    pg_name: Option<String>,
    sqlite_path: Option<std::path::PathBuf>,
}

pub fn pg_admin_url() -> String {
    std::env::var("EOFFICE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("eoffice-test-{}.db", backend::new_id()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url).await.expect("sqlite store");
        // Every SQLite store test reads its lists through the fast read path (fast_read.rs
        // compares it with sqlx), unless it is switched off on purpose.
        assert!(
            store.has_fast_reads()
                || std::env::var("EOFFICE_SQLITE_FAST_READ").is_ok_and(|v| v == "0")
        );
        TestDb { store, url, pg_name: None, sqlite_path: Some(path) }
    }

    pub async fn postgres() -> TestDb {
        sqlx::any::install_default_drivers();
        let admin = pg_admin_url();
        let name = format!("eoffice_t_{}", backend::new_id());
        let mut conn = sqlx::AnyConnection::connect(&admin)
            .await
            .expect("PostgreSQL must be running (scripts/test.sh starts it)");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        let url = format!("{base}/{name}");
        let store = Store::connect(&url).await.expect("postgres store");
        TestDb { store, url, pg_name: Some(name), sqlite_path: None }
    }

    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some(name) = self.pg_name
            && let Ok(mut conn) = sqlx::AnyConnection::connect(&pg_admin_url()).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
        if let Some(p) = self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
    }
}

/// A new, empty PostgreSQL database (nothing migrated): its name and address.
pub async fn empty_pg_database() -> (String, String) {
    sqlx::any::install_default_drivers();
    let admin = pg_admin_url();
    let name = format!("eoffice_t_{}", backend::new_id());
    let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("PostgreSQL must be running");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    let url = format!("{base}/{name}");
    (name, url)
}

pub async fn drop_pg_database(name: &str) {
    if let Ok(mut conn) = sqlx::AnyConnection::connect(&pg_admin_url()).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}

/// Runs one async test body against SQLite and against PostgreSQL, each on a fresh database.
macro_rules! dual_test {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::common::TestDb::sqlite().await;
                super::$body(db.store.clone()).await;
                db.cleanup().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::common::TestDb::postgres().await;
                super::$body(db.store.clone()).await;
                db.cleanup().await;
            }
        }
    };
}

/// The id of the demo Bappeda (the other OPD letters are addressed to).
pub async fn bappeda_id(store: &Store, pemda_id: &str) -> String {
    store
        .list_opds(pemda_id)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.short_name == "Bappeda")
        .unwrap()
        .id
}

/// The session of the demo employee with this e-mail address.
pub async fn user(store: &Store, email: &str) -> SessionUser {
    let e = store.find_employee_by_email(email).await.unwrap().unwrap();
    user_by_id(store, &e.id).await
}

pub async fn user_by_id(store: &Store, id: &str) -> SessionUser {
    store.session_user(id, backend::today_wib()).await.unwrap()
}

pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

/// The Python venv that tte/scripts/install-validators.sh makes (pyHanko, aiosmtpd).
fn validators_venv() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    Some(
        std::env::var_os("TTE_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(&home).join(".cache/eoffice/venv")),
    )
}

/// pyHanko's CLI from TTE_PYHANKO, or the validators' venv.
pub fn pyhanko() -> Option<PathBuf> {
    std::env::var_os("TTE_PYHANKO")
        .map(PathBuf::from)
        .or_else(|| Some(validators_venv()?.join("bin/pyhanko")).filter(|p| p.is_file()))
}

/// Runs a validator and returns what it printed, stdout then stderr.
pub fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Serves `GET /pki/crl` from the store on a loopback port (pyHanko fetches the CRL that the
/// certificates advertise). Returns the base URL.
pub async fn serve_crl(store: Store, pemda: std::sync::Arc<std::sync::OnceLock<String>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/pki/crl",
        axum::routing::get(move || {
            let store = store.clone();
            let pemda = pemda.clone();
            async move {
                store
                    .crl_der(pemda.get().map(String::as_str).unwrap_or(""), 1)
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default()
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    base
}

/// The domain's code enums, which most areas name (`use crate::common::codes::*`).
#[allow(unused_imports)]
pub mod codes {
    pub use domain::Code;
    pub use domain::disposition::{IncomingStatus, Instruction, NodeStatus};
    pub use domain::letter::{
        ActionKind, LetterKind, LetterState, RecipientRole, Sifat, TargetType, Urgency,
    };
    pub use domain::letter_view::StopStatus;
    pub use domain::org::{ActingKind, PositionLevel, UnitKind};
}

/// The demo Admin Pemda (Kabupaten Bojonegoro), who administers every demo OPD.
pub const ADMIN_PEMDA: &str = "arif.setiawan@bojonegorokab.go.id";
/// The demo Admin OPD of Dinas Kominfo.
pub const ADMIN_OPD: &str = "agus.prasetyo@bojonegorokab.go.id";

/// The demo employee with this e-mail address as the caller of a store method.
pub async fn caller(store: &Store, email: &str) -> backend::rights::Caller {
    backend::rights::Caller::new(user(store, email).await, Some("127.0.0.1".into()))
}

/// The demo Admin Pemda's proof of administering this OPD.
pub async fn opd_admin(store: &Store, opd_id: &str) -> backend::rights::OpdAdmin {
    store.opd_admin(caller(store, ADMIN_PEMDA).await, opd_id).await.unwrap()
}

/// The demo Admin Pemda's proof of being one.
/// Appoints `acting` Plh of `head`'s position from today for two days, and returns their session.
pub async fn appoint_plh(store: &Store, head: &SessionUser, acting: &SessionUser) -> SessionUser {
    let today = backend::today_wib();
    store
        .create_acting(
            &opd_admin(store, &head.opd_id).await,
            &backend::store::org::ActingInput {
                position_id: &head.positions[0].position_id,
                employee_id: &acting.employee_id,
                kind: domain::org::ActingKind::Plh,
                start_day: today,
                end_day: today + 2,
                note: "",
            },
        )
        .await
        .unwrap();
    store.session_user(&acting.employee_id, today).await.unwrap()
}

pub async fn pemda_admin(store: &Store) -> backend::rights::PemdaAdmin {
    backend::rights::PemdaAdmin::check(caller(store, ADMIN_PEMDA).await).unwrap()
}

/// A real SMTP server for the mail tests: Python's aiosmtpd (installed in the validators' venv by
/// tte/scripts/install-validators.sh) on a free local port, keeping each message it takes in a
/// Maildir. Stopped when dropped.
pub struct SmtpSink {
    child: std::process::Child,
    pub port: u16,
    dir: PathBuf,
}

impl SmtpSink {
    /// None when aiosmtpd is missing (the test then says so and passes), except when the test run
    /// requires the validators (TTE_REQUIRE_VALIDATORS), as the README's test command does.
    pub async fn start() -> Option<SmtpSink> {
        let python = validators_venv()?.join("bin/python");
        let has = python.is_file()
            && Command::new(&python)
                .args(["-c", "import aiosmtpd"])
                .status()
                .is_ok_and(|s| s.success());
        if !has {
            let require =
                std::env::var("TTE_REQUIRE_VALIDATORS").is_ok_and(|v| !v.is_empty() && v != "0");
            assert!(!require, "aiosmtpd missing; run tte/scripts/install-validators.sh");
            eprintln!("SKIPPED: aiosmtpd missing; run tte/scripts/install-validators.sh");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = std::env::temp_dir().join(format!("eoffice-smtp-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.join("mail"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let sink = SmtpSink { child, port, dir };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Some(sink);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages taken so far, as raw text, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.join("mail/new"))
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
