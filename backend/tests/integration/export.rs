//! Export in open formats and import into an empty installation: the round trip keeps every row,
//! on SQLite and PostgreSQL and from one to the other.

use crate::common::{TestDb, user};
use backend::Store;
use backend::store::export::{MANIFEST, import_from};
use domain::letter::Action;
use std::collections::BTreeMap;
use std::path::Path;

/// Every table file of an export, as its sorted lines (row order is not part of the format).
fn table_lines(dir: &Path) -> BTreeMap<String, Vec<String>> {
    std::fs::read_dir(dir.join("tables"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let mut lines: Vec<String> =
                std::fs::read_to_string(&p).unwrap().lines().map(str::to_string).collect();
            lines.sort();
            (p.file_name().unwrap().to_string_lossy().into_owned(), lines)
        })
        .collect()
}

/// The demo with a signed outgoing letter and a scanned, disposed incoming one.
async fn some_history(store: &Store) -> String {
    backend::seed::seed_demo(store).await.unwrap();
    backend::seed::seed_demo_overdue(store).await.unwrap();
    let staf = user(store, "putri.ayu@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(store, &staf.pemda_id).await;
    let draft = domain::letter::LetterDraft {
        kind: domain::letter::LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat: domain::letter::Sifat::Biasa,
        urgency: domain::letter::Urgency::Biasa,
        subject: "Ekspor dan impor".into(),
        attachment_count: 0,
        signer_position_id: None,
        co_signer_position_id: None,
        recipients: vec![domain::letter::Recipient {
            role: domain::letter::RecipientRole::To,
            target_type: domain::letter::TargetType::Opd,
            target_id: Some(bappeda),
            name: "Kepala Bappeda".into(),
            address: String::new(),
        }],
        body: domain::letter_body::LetterBody::from_plain("Dengan hormat,\n\nUji ekspor."),
        reply_to_incoming_id: None,
    };
    let (id, _) = store.create_letter(&staf, None, "ex-1", &draft).await.unwrap();
    store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    for email in [
        "eko.saputro@bojonegorokab.go.id",
        "teguh.wibowo@bojonegorokab.go.id",
        "ratna.kusumawati@bojonegorokab.go.id",
    ] {
        store
            .act_on_letter(&user(store, email).await, None, &id, 1, Action::Approve)
            .await
            .unwrap();
    }
    let kadis = user(store, "bambang.sutrisno@bojonegorokab.go.id").await;
    store.act_on_letter(&kadis, None, &id, 1, Action::Sign).await.unwrap();
    id
}

async fn round_trip(source: &TestDb) {
    let letter = some_history(&source.store).await;
    let out = std::env::temp_dir().join(format!("eoffice-export-{}", backend::new_id()));
    let m = source.store.export_to(&out).await.unwrap();
    assert!(out.join(MANIFEST).exists() && out.join("README.txt").exists());
    assert_eq!((m.outgoing_letters, m.incoming_letters >= 2), (1, true), "{m:?}");
    let pdf = std::fs::read(out.join("surat-keluar").join(format!("{letter}.pdf"))).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let record: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("surat-keluar").join(format!("{letter}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(record["letter"]["subject"], "Ekspor dan impor");
    assert_eq!(record["actions"].as_array().unwrap().len(), 5);
    assert!(record["document"].get("pdf").is_none(), "the PDF is the file beside it");
    let scans = std::fs::read_dir(out.join("surat-masuk"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert!(scans >= 2, "the scan and the letter received from inside");
    assert!(m.tables["audit_log"] > 0 && m.tables["work_event"] > 0 && m.tables["disposition"] > 0);
    // A second export only into an empty folder.
    assert_eq!(source.store.export_to(&out).await.unwrap_err().status(), 409);

    // Into a new installation of each engine: the same rows come back, and its own export is
    // the same, table by table.
    for target in [TestDb::sqlite().await, TestDb::postgres().await] {
        let back = import_from(&target.store, &out).await.unwrap();
        assert_eq!(back, m);
        let again = std::env::temp_dir().join(format!("eoffice-export-{}", backend::new_id()));
        target.store.export_to(&again).await.unwrap();
        assert_eq!(
            table_lines(&again),
            table_lines(&out),
            "{:?} -> {:?}",
            source.store.kind(),
            target.store.kind()
        );
        assert!(matches!(
            target.store.verify_audit_chain().await.unwrap(),
            backend::store::audit::ChainStatus::Intact { .. }
        ));
        // The installation works: the staff member sees the signed letter.
        let staf = user(&target.store, "putri.ayu@bojonegorokab.go.id").await;
        assert_eq!(
            target.store.letter_detail(&staf, &letter).await.unwrap().draft.subject,
            "Ekspor dan impor"
        );
        // Only into an empty installation.
        let err = import_from(&target.store, &out).await.unwrap_err();
        assert_eq!(err.status(), 409, "{err}");
        let _ = std::fs::remove_dir_all(&again);
        target.cleanup().await;
    }
    let _ = std::fs::remove_dir_all(&out);
}

mod export_import_round_trip {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn from_sqlite() {
        let db = crate::common::TestDb::sqlite().await;
        super::round_trip(&db).await;
        db.cleanup().await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn from_postgres() {
        let db = crate::common::TestDb::postgres().await;
        super::round_trip(&db).await;
        db.cleanup().await;
    }
}
