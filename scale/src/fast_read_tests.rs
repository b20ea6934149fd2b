//! The SQLite read path that bypasses sqlx (`backend/src/store/fast_read.rs`) must answer every list exactly
//! as the sqlx path does: every tab, filter and page of the letter lists, the Kotak Masuk and the
//! navigation counts, for many kinds of users, on generated data, and again right after writes.
//! SQLite only: on PostgreSQL there is one read path.

use backend::Store;
use backend::rights::OpdAdmin;
use backend::store::org::ActingInput;
use domain::Code;
use domain::letter::{
    Action, LetterDraft, LetterKind, Recipient, RecipientRole, Sifat, TargetType, Urgency,
};
use domain::letter_body::LetterBody;
use domain::letter_view::{ListFilter, ListTab};
use domain::model::SessionUser;
use domain::org::ActingKind;
use sqlx::Row;

/// A fresh SQLite database in the temporary folder.
struct TestDb {
    store: Store,
    path: std::path::PathBuf,
}

impl TestDb {
    async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("eoffice-scale-{}.db", backend::new_id()));
        let store = Store::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        TestDb { store, path }
    }

    async fn cleanup(self) {
        self.store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

async fn user(store: &Store, email: &str) -> SessionUser {
    let e = store.find_employee_by_email(email).await.unwrap().unwrap();
    user_by_id(store, &e.id).await
}

async fn user_by_id(store: &Store, id: &str) -> SessionUser {
    store.session_user(id, backend::today_wib()).await.unwrap()
}

/// The demo Admin Pemda's proof of administering `opd_id`.
async fn opd_admin(store: &Store, opd_id: &str) -> OpdAdmin {
    let admin = user(store, "arif.setiawan@bojonegorokab.go.id").await;
    store.opd_admin(backend::rights::Caller::new(admin, None), opd_id).await.unwrap()
}

fn filters() -> Vec<ListFilter> {
    let today = backend::today_wib();
    let q = |s: &str| ListFilter { q: s.into(), ..Default::default() };
    let mut v = vec![
        ListFilter::default(),
        q("a"),
        q("SURAT"),
        q("undangan"),
        q("bappeda"),
        q("/"),
        q("%"),
        q("_"),
        q("\\"),
        q("'"),
        q("tidak ada yang cocok"),
        ListFilter { from_day: Some(today - 30), ..Default::default() },
        ListFilter { to_day: Some(today - 30), ..Default::default() },
        ListFilter { from_day: Some(today - 90), to_day: Some(today - 10), ..Default::default() },
        ListFilter {
            q: "a".into(),
            sifat: Some(Sifat::Biasa),
            kind: Some(LetterKind::SuratDinas),
            from_day: Some(today - 365),
            to_day: Some(today),
        },
    ];
    for &s in Sifat::all() {
        v.push(ListFilter { sifat: Some(s), ..Default::default() });
    }
    for k in [
        LetterKind::SuratDinas,
        LetterKind::NotaDinas,
        LetterKind::SuratUndangan,
        LetterKind::SuratEdaran,
    ] {
        v.push(ListFilter { kind: Some(k), ..Default::default() });
    }
    v
}

/// Compares both paths for one user over every tab, filter and page, and the inbox and counts;
/// returns how many list pages had items.
async fn compare_user(fast: &Store, slow: &Store, u: &SessionUser) -> usize {
    let mut non_empty = 0;
    for &tab in ListTab::all() {
        for f in filters() {
            for page in [1, 2, 40] {
                let a = fast.list_letters(u, tab, &f, page).await.unwrap();
                let b = slow.list_letters(u, tab, &f, page).await.unwrap();
                assert_eq!(a, b, "{} {tab:?} {f:?} page {page}", u.name);
                if !a.items.is_empty() {
                    non_empty += 1;
                }
                // Whatever a list shows, the one visibility rule allows (confidential letters above all).
                for it in a.items.iter().filter(|i| i.sifat.is_confidential()) {
                    assert!(
                        slow.visible_letter(u, &it.id).await.is_ok(),
                        "{} sees confidential {} in {tab:?}",
                        u.name,
                        it.id
                    );
                }
            }
        }
    }
    for q in ["", "surat", "BADAN", "%", "_", "'", "tidak ada yang cocok"] {
        for unread in [false, true] {
            for page in [1, 2, 40] {
                let a = fast.inbox(u, q, unread, page).await.unwrap();
                let b = slow.inbox(u, q, unread, page).await.unwrap();
                assert_eq!(a, b, "{} inbox {q:?} unread {unread} page {page}", u.name);
            }
        }
    }
    assert_eq!(
        fast.letter_counts(u).await.unwrap(),
        slow.letter_counts(u).await.unwrap(),
        "{} counts",
        u.name
    );
    non_empty
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fast_path_answers_like_sqlx() {
    let db = TestDb::sqlite().await;
    let fast = db.store.clone();
    assert!(fast.has_fast_reads(), "SQLite stores read lists through the fast path");
    let slow = fast.without_fast_reads();
    assert!(!slow.has_fast_reads());
    crate::seed_scale(&fast, 300, 4000, |_| {}).await.unwrap();

    // The demo's people (heads, staff, the clerk, admins, another OPD), one acting for the head
    // (two positions, so two queues and two inbox keys), and generated employees of every level.
    let kadis = user(&fast, "bambang.sutrisno@bojonegorokab.go.id").await;
    let sekdin = user(&fast, "ratna.kusumawati@bojonegorokab.go.id").await;
    let today = backend::today_wib();
    let kadis_pos =
        kadis.positions.iter().find(|p| p.acting_kind.is_none()).unwrap().position_id.clone();
    fast.create_acting(
        &opd_admin(&fast, &kadis.opd_id).await,
        &ActingInput {
            position_id: &kadis_pos,
            employee_id: &sekdin.employee_id,
            kind: ActingKind::Plh,
            start_day: today,
            end_day: today + 2,
            note: "",
        },
    )
    .await
    .unwrap();
    let mut users = Vec::new();
    for email in [
        "bambang.sutrisno@bojonegorokab.go.id",
        "ratna.kusumawati@bojonegorokab.go.id",
        "teguh.wibowo@bojonegorokab.go.id",
        "eko.saputro@bojonegorokab.go.id",
        "putri.ayu@bojonegorokab.go.id",
        "sri.wahyuni@bojonegorokab.go.id",
        "agus.prasetyo@bojonegorokab.go.id",
        "arif.setiawan@bojonegorokab.go.id",
        "suharto.wijaya@bojonegorokab.go.id",
    ] {
        users.push(user(&fast, email).await);
    }
    assert_eq!(users[1].positions.len(), 2, "the Sekretaris acts for the Kepala Dinas");
    let generated: Vec<String> =
        sqlx::query("SELECT id FROM employee WHERE active = 1 ORDER BY nip")
            .fetch_all(&fast.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("id").unwrap())
            .collect();
    for id in generated.iter().step_by(generated.len() / 20) {
        users.push(user_by_id(&fast, id).await);
    }
    let mut non_empty = 0;
    for u in &users {
        non_empty += compare_user(&fast, &slow, u).await;
    }
    assert!(non_empty > 200, "the comparison saw real pages, not only empty ones ({non_empty})");

    // Right after writes, the fast path reads the new state (nothing is cached).
    let staf = user(&fast, "putri.ayu@bojonegorokab.go.id").await;
    let kasi = user(&fast, "eko.saputro@bojonegorokab.go.id").await;
    let bappeda = fast
        .list_opds(&staf.pemda_id)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.short_name == "Bappeda")
        .unwrap()
        .id;
    let draft = LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat: Sifat::Rahasia,
        urgency: Urgency::Segera,
        subject: "Hasil audit internal 100% rahasia_x".into(),
        attachment_count: 0,
        signer_position_id: None,
        co_signer_position_id: None,
        recipients: vec![Recipient {
            role: RecipientRole::To,
            target_type: TargetType::Opd,
            target_id: Some(bappeda),
            name: "Kepala Bappeda".into(),
            address: String::new(),
        }],
        body: LetterBody::from_plain("Dengan hormat,\n\nTerlampir hasil audit."),
        reply_to_incoming_id: None,
    };
    let (id, _) = fast.create_letter(&staf, None, "fast-1", &draft).await.unwrap();
    let drafts = fast.list_letters(&staf, ListTab::Draf, &ListFilter::default(), 1).await.unwrap();
    assert_eq!(
        drafts.items.first().map(|i| i.id.as_str()),
        Some(id.as_str()),
        "a new draft is listed at once"
    );
    let before = fast
        .list_letters(&kasi, ListTab::PerluParaf, &ListFilter::default(), 1)
        .await
        .unwrap()
        .total;
    fast.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    let after =
        fast.list_letters(&kasi, ListTab::PerluParaf, &ListFilter::default(), 1).await.unwrap();
    assert_eq!(after.total, before + 1);
    assert_eq!(after.items.first().map(|i| i.id.as_str()), Some(id.as_str()));
    let by_q = ListFilter { q: "100% rahasia_x".into(), ..Default::default() };
    assert_eq!(fast.list_letters(&kasi, ListTab::PerluParaf, &by_q, 1).await.unwrap().total, 1);
    // The confidential letter stays with its people on the fast path.
    for outsider in [&users[5], &users[6], &users[7], &users[8]] {
        for &tab in ListTab::all() {
            let found = fast.list_letters(outsider, tab, &by_q, 1).await.unwrap();
            assert_eq!(found.total, 0, "{} must not find it in {tab:?}", outsider.name);
        }
    }
    for u in [&staf, &kasi, &users[1], &users[5]] {
        compare_user(&fast, &slow, u).await;
    }
    db.cleanup().await;
}
