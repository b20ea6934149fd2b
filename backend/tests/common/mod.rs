//! Fresh databases for store tests: a new SQLite file or a new PostgreSQL database per test.

use backend::Store;
use sqlx::Connection;

pub struct TestDb {
    pub store: Store,
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
        let store =
            Store::connect(&format!("sqlite://{}", path.display())).await.expect("sqlite store");
        // Every SQLite store test reads its lists through the fast read path (tests/fast_read.rs
        // compares it with sqlx), unless it is switched off on purpose.
        assert!(
            store.has_fast_reads()
                || std::env::var("EOFFICE_SQLITE_FAST_READ").is_ok_and(|v| v == "0")
        );
        TestDb { store, pg_name: None, sqlite_path: Some(path) }
    }

    #[allow(dead_code)] // tests/fast_read.rs is SQLite only
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
        let store = Store::connect(&format!("{base}/{name}")).await.expect("postgres store");
        TestDb { store, pg_name: Some(name), sqlite_path: None }
    }

    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some(name) = self.pg_name {
            if let Ok(mut conn) = sqlx::AnyConnection::connect(&pg_admin_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
        if let Some(p) = self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
    }
}

/// Runs one async test body against SQLite and against PostgreSQL, each on a fresh database.
#[macro_export]
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
