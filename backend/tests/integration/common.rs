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

/// pyHanko's CLI from TTE_PYHANKO, or the venv that tte/scripts/install-validators.sh makes.
pub fn pyhanko() -> Option<PathBuf> {
    std::env::var_os("TTE_PYHANKO").map(PathBuf::from).or_else(|| {
        let home = std::env::var_os("HOME")?;
        let venv = std::env::var_os("TTE_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(&home).join(".cache/eoffice/venv"));
        Some(venv.join("bin/pyhanko")).filter(|p| p.is_file())
    })
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
                    .crl_der(pemda.get().map(String::as_str).unwrap_or(""))
                    .await
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
pub async fn pemda_admin(store: &Store) -> backend::rights::PemdaAdmin {
    backend::rights::PemdaAdmin::check(caller(store, ADMIN_PEMDA).await).unwrap()
}
