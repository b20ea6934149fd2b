//! Backups taken while people write, restored into a fresh folder or database, on SQLite and on
//! PostgreSQL; and a database newer than the program is refused.

use crate::common::{TestDb, drop_pg_database, empty_pg_database, user};
use backend::store::backup::{self, KeyChoice};
use backend::{DbKind, Store};
use sqlx::Row;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

fn draft(bappeda: &str, subject: String) -> domain::letter::LetterDraft {
    use crate::common::codes::*;
    domain::letter::LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat: Sifat::Biasa,
        urgency: Urgency::Biasa,
        subject,
        attachment_count: 0,
        signer_position_id: None,
        co_signer_position_id: None,
        recipients: vec![domain::letter::Recipient {
            role: RecipientRole::To,
            target_type: TargetType::Opd,
            target_id: Some(bappeda.into()),
            name: "Kepala Bappeda".into(),
            address: String::new(),
        }],
        body: domain::letter_body::LetterBody::from_plain("Dengan hormat,\n\nUji cadangan."),
        reply_to_incoming_id: None,
    }
}

/// A restore target of the same engine as `db`: (data folder, database URL, PG database to drop).
async fn fresh_target(db: &TestDb) -> (PathBuf, Option<String>, Option<String>) {
    let data = std::env::temp_dir().join(format!("eoffice-restore-{}", backend::new_id()));
    match db.store.kind() {
        DbKind::Sqlite => (data, None, None),
        DbKind::Postgres => {
            let (name, url) = empty_pg_database().await;
            (data, Some(url), Some(name))
        }
    }
}

async fn open_restored(data: &Path, url: &Option<String>) -> Store {
    let url =
        url.clone().unwrap_or_else(|| format!("sqlite://{}", data.join("eoffice.db").display()));
    Store::connect(&url).await.unwrap()
}

async fn audit_hash_at(store: &Store, seq: i64) -> String {
    sqlx::query("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(seq)
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .try_get("hash")
        .unwrap()
}

async fn backup_while_writing(db: &TestDb) {
    let store = db.store.clone();
    backend::seed::seed_demo(&store).await.unwrap();
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let parent = std::env::temp_dir().join(format!("eoffice-backups-{}", backend::new_id()));

    // 20 writers save new drafts (each save is audited) until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for w in 0..20 {
        let (store, staf, bappeda, stop, acked) =
            (store.clone(), staf.clone(), bappeda.clone(), stop.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let d = draft(&bappeda, format!("Cadangan penulis {w} nomor {n}"));
                store.create_letter(&staf, None, &format!("bk-{w}-{n}"), &d).await.unwrap();
                acked.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }));
    }
    while acked.load(Ordering::Relaxed) < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = acked.load(Ordering::Relaxed);
    let key = KeyChoice { key_file: None, include: false };
    let (during, m1) = store.backup_into(&parent, key).await.unwrap();
    // Writers keep going a little after the copy.
    let after_copy = acked.load(Ordering::Relaxed);
    while acked.load(Ordering::Relaxed) < after_copy + 40 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let total = acked.load(Ordering::Relaxed);
    assert!(!m1.key_included);
    assert_eq!(m1.database, if store.kind() == DbKind::Sqlite { "sqlite" } else { "postgres" });
    let report = backup::verify_backup(&during).await.unwrap();
    assert_eq!(report.tables_checked, store.kind() == DbKind::Sqlite);

    // The copy taken during the writes is one consistent moment: restored, its tables match the
    // manifest (restore checks), its audit chain is intact and is the start of the live one, and
    // it has every letter acknowledged before the backup began but not those written after.
    let (data1, url1, pg1) = fresh_target(db).await;
    let restored = backup::restore(&during, &data1, url1.as_deref(), None).await.unwrap();
    assert_eq!(restored, m1);
    let copy = open_restored(&data1, &url1).await;
    match copy.verify_audit_chain().await.unwrap() {
        backend::store::audit::ChainStatus::Intact { rows, last_hash } => {
            assert_eq!(rows, m1.audit_rows);
            assert_eq!(last_hash, audit_hash_at(&store, rows).await, "a prefix of the live chain");
        }
        broken => panic!("restored chain broken: {broken:?}"),
    }
    let count = |s: Store| async move {
        sqlx::query("SELECT COUNT(*) AS n FROM letter WHERE subject LIKE 'Cadangan penulis%'")
            .fetch_one(&s.pool)
            .await
            .unwrap()
            .try_get::<i64, _>("n")
            .unwrap() as usize
    };
    let in_copy = count(copy.clone()).await;
    assert!(in_copy >= before, "{in_copy} letters in the copy, {before} acknowledged before it");
    assert!(in_copy < total, "the copy is a moment during the writes ({in_copy} of {total})");
    assert_eq!(
        count(store.clone()).await,
        total,
        "every acknowledged write is in the live database"
    );
    copy.close().await;

    // After the writers stop: a backup restores to a database identical to the live one, table by
    // table (uploaded files and signed PDFs live in the tables).
    let key = KeyChoice { key_file: None, include: false };
    let (quiet, _) = store.backup_into(&parent, key).await.unwrap();
    let (data2, url2, pg2) = fresh_target(db).await;
    backup::restore(&quiet, &data2, url2.as_deref(), None).await.unwrap();
    let copy = open_restored(&data2, &url2).await;
    // Opening the restored database applied no migration and changed nothing.
    assert_eq!(copy.table_fingerprints().await.unwrap(), store.table_fingerprints().await.unwrap());
    copy.close().await;

    // A non-empty target is refused, and left as it was.
    let err = backup::restore(&quiet, &data2, url2.as_deref(), None).await.unwrap_err();
    assert_eq!(err.status(), 409, "{err}");
    assert!(err.to_string().contains("kosong"), "{err}");
    let copy = open_restored(&data2, &url2).await;
    assert_eq!(copy.table_fingerprints().await.unwrap(), store.table_fingerprints().await.unwrap());
    copy.close().await;

    // A damaged copy fails verification and is not restored.
    let file = std::fs::read_dir(&quiet)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap() != backup::MANIFEST)
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    let err = backup::verify_backup(&quiet).await.unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
    let (data3, url3, pg3) = fresh_target(db).await;
    assert!(backup::restore(&quiet, &data3, url3.as_deref(), None).await.is_err());
    assert!(!data3.join("eoffice.db").exists());

    for name in [pg1, pg2, pg3].into_iter().flatten() {
        drop_pg_database(&name).await;
    }
    for d in [parent, data1, data2, data3] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// The master key goes into a backup only when asked, and comes back with it; a restore into a
/// folder that already has a key is refused.
async fn the_key_stays_apart_unless_asked(db: &TestDb) {
    let store = db.store.clone();
    backend::seed::seed_demo(&store).await.unwrap();
    let keydir = std::env::temp_dir().join(format!("eoffice-key-{}", backend::new_id()));
    std::fs::create_dir_all(&keydir).unwrap();
    let key_file = backend::store::pki::master_path(&keydir);
    std::fs::write(&key_file, "k".repeat(48)).unwrap();
    let parent = std::env::temp_dir().join(format!("eoffice-backups-{}", backend::new_id()));
    let (plain, m) = store
        .backup_into(&parent, KeyChoice { key_file: Some(&key_file), include: false })
        .await
        .unwrap();
    assert!(!m.key_included);
    assert!(!plain.join(backup::KEY_FILE).exists());
    let (with_key, m) = store
        .backup_into(&parent, KeyChoice { key_file: Some(&key_file), include: true })
        .await
        .unwrap();
    assert!(m.key_included && m.files.iter().any(|f| f.name == backup::KEY_FILE));
    let (data, url, pg) = fresh_target(db).await;
    backup::restore(&with_key, &data, url.as_deref(), None).await.unwrap();
    assert_eq!(
        std::fs::read(backend::store::pki::master_path(&data)).unwrap(),
        std::fs::read(&key_file).unwrap()
    );
    // Scheduled backups are pruned to the newest ones.
    assert_eq!(backup::prune(&parent, 1).unwrap(), 1);
    assert!(!plain.exists() && with_key.exists());
    if let Some(name) = pg {
        drop_pg_database(&name).await;
    }
    for d in [parent, data, keydir] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// A database that a newer version migrated is refused with a message that says so.
async fn a_newer_database_is_refused(db: &TestDb) {
    let insert = match db.store.kind() {
        DbKind::Sqlite => {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99990101000000, 'from a newer version', TRUE, X'00', 0)"
        }
        DbKind::Postgres => {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99990101000000, 'from a newer version', TRUE, decode('00', 'hex'), 0)"
        }
    };
    // The same database opens again while it is at the program's schema.
    Store::connect(&db.url).await.unwrap().close().await;
    sqlx::query(insert).execute(&db.store.pool).await.unwrap();
    let err = Store::connect(&db.url).await.err().expect("refused");
    assert!(err.to_string().contains("versi e-Office yang lebih baru"), "{err}");
}

macro_rules! dual_db_test {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = crate::common::TestDb::sqlite().await;
                super::$body(&db).await;
                db.cleanup().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = crate::common::TestDb::postgres().await;
                super::$body(&db).await;
                db.cleanup().await;
            }
        }
    };
}

dual_db_test!(backup_and_restore_while_writing, backup_while_writing);
dual_db_test!(master_key_in_backups, the_key_stays_apart_unless_asked);
dual_db_test!(newer_database, a_newer_database_is_refused);

/// An upgrade on PostgreSQL whose migration cannot get its lock within the limit gives up and
/// rolls back, instead of heading a lock queue that every reader of the table waits in; the
/// version is not recorded, and the next start, on a free table, goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_migration_gives_up_within_its_limit() {
    use backend::store::ops::{MIGRATOR, migrate_with};
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let db = TestDb::postgres().await;
    // The next version: this program's migrations and one that alters the letters table.
    let mut migrations: Vec<Migration> = MIGRATOR.iter().cloned().collect();
    migrations.push(Migration::new(
        99990101000000,
        "upgrade probe".into(),
        MigrationType::Simple,
        "ALTER TABLE letter ADD COLUMN upgrade_probe TEXT".into(),
        false,
    ));
    let next = Migrator {
        migrations: std::borrow::Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    };
    let probe_recorded = || async {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE version = 99990101000000",
        )
        .fetch_one(&db.store.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        n
    };
    let probe_column = || async {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM information_schema.columns \
             WHERE table_name = 'letter' AND column_name = 'upgrade_probe' AND table_schema = current_schema()",
        )
        .fetch_one(&db.store.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        n
    };
    // A long report reads the letters table while the new version starts.
    let mut report = db.store.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE letter IN ACCESS SHARE MODE").execute(&mut *report).await.unwrap();
    let mig_pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let blocked = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        migrate_with(&mig_pool, DbKind::Postgres, &next, 1),
    )
    .await
    .expect("the migration gave up by itself instead of waiting for the lock");
    let err = blocked.expect_err("a migration that cannot get its lock fails");
    assert!(err.chain().contains("dibatalkan"), "{}", err.chain());
    // The lock wait is cut by lock_timeout or statement_timeout, whichever fires first.
    assert!(err.chain().contains("canceling statement due to"), "{}", err.chain());
    assert_eq!(probe_recorded().await, 0, "a failed step is not recorded");
    assert_eq!(probe_column().await, 0, "a failed step is rolled back");
    // Readers were not held: the report goes on, and the running version still reads and writes.
    sqlx::query("SELECT COUNT(*) FROM letter").execute(&mut *report).await.unwrap();
    report.commit().await.unwrap();
    migrate_with(&mig_pool, DbKind::Postgres, &next, 1).await.unwrap();
    assert_eq!(probe_recorded().await, 1);
    assert_eq!(probe_column().await, 1);
    mig_pool.close().await;
    db.cleanup().await;
}
