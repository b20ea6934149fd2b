//! Store tests for outgoing letters, on SQLite and PostgreSQL, each on a fresh database.

use crate::common::codes::*;
use crate::common::user;
use backend::Store;
use backend::seed::seed_demo;
use backend::store::letters::{SaveOutcome, next_number};
use backend::store::org::ActingInput;
use domain::letter::{Action, LetterDraft, LetterState, Recipient};
use domain::letter_body::LetterBody;

fn draft(bappeda: &str) -> LetterDraft {
    LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat: Sifat::Biasa,
        urgency: Urgency::Segera,
        subject: "Permohonan data pembangunan".into(),
        attachment_count: 1,
        signer_position_id: None,
        co_signer_position_id: None,
        recipients: vec![Recipient {
            role: RecipientRole::To,
            target_type: TargetType::Opd,
            target_id: Some(bappeda.into()),
            name: "Kepala Bappeda".into(),
            address: String::new(),
        }],
        body: LetterBody::from_plain(
            "Dengan hormat,\n\nKami memohon data pembangunan tahun berjalan.",
        ),
        reply_to_incoming_id: None,
    }
}

async fn the_seed_story(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let kasi = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let (id, out) = store.create_letter(&staf, None, "c-1", &draft(&bappeda)).await.unwrap();
    assert_eq!(out, SaveOutcome::Saved { version: 1 });
    // A resend of the same save changes nothing.
    assert_eq!(
        store.create_letter(&staf, None, "c-1", &draft(&bappeda)).await.unwrap(),
        (id.clone(), SaveOutcome::AlreadySaved { version: 1 })
    );
    assert_eq!(
        store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap(),
        LetterState::Review { step: 0 }
    );
    let l = store.get_letter(&id).await.unwrap();
    assert_eq!(
        l.chain.len(),
        3,
        "Kasi, Kabid and Sekretaris initial before the Kepala Dinas signs"
    );
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    // Only the Kasi may act now.
    assert_eq!(
        store.act_on_letter(&kabid, None, &id, 1, Action::Approve).await.unwrap_err().status(),
        403
    );
    assert_eq!(
        store
            .act_on_letter(&kasi, None, &id, 1, Action::Return { note: " ".into() })
            .await
            .unwrap_err()
            .status(),
        422
    );
    assert_eq!(
        store
            .act_on_letter(
                &kasi,
                None,
                &id,
                1,
                Action::Return { note: "Lengkapi dasar hukum".into() }
            )
            .await
            .unwrap(),
        LetterState::Returned { by_step: 0 }
    );
    // The drafter's navigation counts it and leads to the Draf list that holds it.
    let counts = store.letter_counts(&staf).await.unwrap();
    assert_eq!((counts.dikembalikan, counts.surat_keluar_href()), (1, "/surat-keluar?tab=draf"));
    assert_eq!(store.letter_counts(&kasi).await.unwrap().dikembalikan, 0);
    // The drafter revises and resubmits.
    let mut d = draft(&bappeda);
    d.body = LetterBody::from_plain(
        "Dengan hormat,\n\nBerdasarkan Perbup Nomor 1 Tahun 2026, kami memohon data pembangunan.",
    );
    assert_eq!(
        store.save_letter(&staf, None, &id, "c-2", 1, &d).await.unwrap(),
        SaveOutcome::Saved { version: 2 }
    );
    assert_eq!(
        store.act_on_letter(&staf, None, &id, 2, Action::Submit).await.unwrap(),
        LetterState::Review { step: 0 }
    );
    assert_eq!(store.letter_counts(&staf).await.unwrap().dikembalikan, 0);
    assert_eq!(
        store.act_on_letter(&kasi, None, &id, 2, Action::Approve).await.unwrap(),
        LetterState::Review { step: 1 }
    );
    assert_eq!(
        store.act_on_letter(&kabid, None, &id, 2, Action::Approve).await.unwrap(),
        LetterState::Review { step: 2 }
    );
    assert_eq!(
        store.act_on_letter(&sekdin, None, &id, 2, Action::Approve).await.unwrap(),
        LetterState::Signing
    );
    assert_eq!(
        store.act_on_letter(&kadis, None, &id, 2, Action::Sign).await.unwrap(),
        LetterState::Signed
    );
    let l = store.get_letter(&id).await.unwrap();
    let year = domain::time::wib_year(backend::now_ms());
    assert_eq!(l.number.as_deref(), Some(format!("000.5.6.2/1/412.208/{year}").as_str()));
    let history = store.letter_history(&id).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h.1.as_str()).collect();
    assert_eq!(actions, vec!["submit", "return", "submit", "paraf", "paraf", "paraf", "sign"]);
    assert_eq!(history[1].2, "Lengkapi dasar hukum");
    // Every step is work on record.
    let events = store.work_events(&kasi.employee_id, 0, i64::MAX).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.0 == "letter.paraf").count(), 1);
    assert_eq!(events.iter().filter(|e| e.0 == "letter.return").count(), 1);
    assert!(
        store
            .work_events(&staf.employee_id, 0, i64::MAX)
            .await
            .unwrap()
            .iter()
            .any(|e| e.0 == "letter.draft")
    );
    // Signed letters accept no more actions.
    assert!(store.act_on_letter(&kadis, None, &id, 2, Action::Sign).await.is_err());
}
dual_test!(the_seed_story_t, the_seed_story);

async fn conflicting_saves_are_kept_not_applied(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let (id, _) = store.create_letter(&staf, None, "k-1", &draft(&bappeda)).await.unwrap();
    let mut a = draft(&bappeda);
    a.subject = "Versi dari laptop".into();
    let mut b = draft(&bappeda);
    b.subject = "Versi dari ponsel (offline)".into();
    assert_eq!(
        store.save_letter(&staf, None, &id, "k-2", 1, &a).await.unwrap(),
        SaveOutcome::Saved { version: 2 }
    );
    assert_eq!(
        store.save_letter(&staf, None, &id, "k-3", 1, &b).await.unwrap(),
        SaveOutcome::Conflict { current_version: 2, conflict_version: 3 }
    );
    assert_eq!(store.get_letter(&id).await.unwrap().subject, "Versi dari laptop");
    assert_eq!(
        store.letter_content(&id, 3).await.unwrap().subject,
        "Versi dari ponsel (offline)",
        "both versions kept"
    );
    // Resending the conflicting save is idempotent.
    assert!(matches!(
        store.save_letter(&staf, None, &id, "k-3", 1, &b).await.unwrap(),
        SaveOutcome::AlreadySaved { version: 3 }
    ));
    // Someone else cannot edit a draft that is not theirs; bad input is refused.
    let other = user(&store, "bayu.firmansyah@bojonegorokab.go.id").await;
    assert_eq!(store.save_letter(&other, None, &id, "k-4", 2, &a).await.unwrap_err().status(), 403);
    let mut bad = a.clone();
    bad.subject = String::new();
    assert_eq!(
        store.save_letter(&staf, None, &id, "k-5", 2, &bad).await.unwrap_err().status(),
        422
    );
    // Acting on an outdated version is refused.
    assert_eq!(
        store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap_err().status(),
        409
    );
}
dual_test!(conflicting_saves_are_kept_not_applied_t, conflicting_saves_are_kept_not_applied);

async fn acting_official_signs_for_the_position(store: Store) {
    seed_demo(&store).await.unwrap();
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let kadis = store
        .find_employee_by_email("bambang.sutrisno@bojonegorokab.go.id")
        .await
        .unwrap()
        .unwrap();
    let sekdin = store
        .find_employee_by_email("ratna.kusumawati@bojonegorokab.go.id")
        .await
        .unwrap()
        .unwrap();
    let bappeda = crate::common::bappeda_id(&store, &kabid.pemda_id).await;
    let (id, _) = store.create_letter(&kabid, None, "p-1", &draft(&bappeda)).await.unwrap();
    assert_eq!(
        store.act_on_letter(&kabid, None, &id, 1, Action::Submit).await.unwrap(),
        LetterState::Review { step: 0 },
        "a Kabid's letter starts at the Kabid: only the Sekretaris initials it"
    );
    // The head is away; the Sekdin is appointed Plh and signs for the position.
    let today = backend::today_wib();
    store
        .create_acting(
            &crate::common::opd_admin(&store, &kadis.opd_id).await,
            &ActingInput {
                position_id: kadis.position_id.as_deref().unwrap(),
                employee_id: &sekdin.id,
                kind: ActingKind::Plh,
                start_day: today,
                end_day: today + 3,
                note: "",
            },
        )
        .await
        .unwrap();
    let plh = store.session_user(&sekdin.id, today).await.unwrap();
    assert_eq!(
        store.act_on_letter(&plh, None, &id, 1, Action::Approve).await.unwrap(),
        LetterState::Signing
    );
    assert_eq!(
        store.act_on_letter(&plh, None, &id, 1, Action::Sign).await.unwrap(),
        LetterState::Signed
    );
}
dual_test!(acting_official_signs_for_the_position_t, acting_official_signs_for_the_position);

async fn concurrent_numbers_are_distinct_and_consecutive(store: Store) {
    seed_demo(&store).await.unwrap();
    let opd = store
        .find_employee_by_email("bambang.sutrisno@bojonegorokab.go.id")
        .await
        .unwrap()
        .unwrap()
        .opd_id;
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let s = store.clone();
        let o = opd.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = s.begin_write().await.unwrap();
            let n = next_number(&mut tx, &o, "agenda", 2026).await.unwrap();
            tx.commit().await.unwrap();
            n
        }));
    }
    let mut got = Vec::new();
    for t in tasks {
        got.push(t.await.unwrap());
    }
    got.sort();
    assert_eq!(got, (1..=200).collect::<Vec<i64>>());
    // Sequences are per kind and per year.
    let mut tx = store.begin_write().await.unwrap();
    assert_eq!(next_number(&mut tx, &opd, "agenda", 2027).await.unwrap(), 1);
    assert_eq!(next_number(&mut tx, &opd, "surat", 2026).await.unwrap(), 1);
    tx.commit().await.unwrap();
}
dual_test!(
    concurrent_numbers_are_distinct_and_consecutive_t,
    concurrent_numbers_are_distinct_and_consecutive
);

async fn signing_delivers_to_the_other_opd_inbox(store: Store) {
    use domain::letter_view::{ListFilter, ListTab};
    seed_demo(&store).await.unwrap();
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let kasi = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let bappeda_head = user(&store, "suharto.wijaya@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let mut d = draft(&bappeda);
    d.recipients.push(Recipient {
        role: RecipientRole::Cc,
        target_type: TargetType::Employee,
        target_id: Some(kabid.employee_id.clone()),
        name: "Kepala Bidang E-Government".into(),
        address: String::new(),
    });
    d.recipients.push(Recipient {
        role: RecipientRole::To,
        target_type: TargetType::External,
        target_id: None,
        name: "Direktur PT Contoh".into(),
        address: "Surabaya".into(),
    });
    let (id, _) = store.create_letter(&staf, None, "d-1", &d).await.unwrap();
    // Lists: the drafter sees it in Draf, then in Dalam Proses; the Kasi in Perlu Paraf.
    let f = ListFilter::default();
    assert_eq!(store.list_letters(&staf, ListTab::Draf, &f, 1).await.unwrap().total, 1);
    store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    assert_eq!(
        store.list_letters(&staf, ListTab::DalamProses, &f, 1).await.unwrap().items[0]
            .waiting_at
            .as_deref()
            .map(|w| w.contains("Seksi")),
        Some(true)
    );
    let waiting = store.list_letters(&kasi, ListTab::PerluParaf, &f, 1).await.unwrap();
    assert_eq!(waiting.total, 1);
    assert_eq!(
        waiting.items[0]
            .waiting_at
            .as_deref()
            .map(|w| w.contains("Seksi") && w.contains("Eko Saputro")),
        Some(true),
        "{:?}",
        waiting.items[0].waiting_at
    );
    assert_eq!(waiting.items[0].version, 1);
    let beyond = store.list_letters(&kasi, ListTab::PerluParaf, &f, 2).await.unwrap();
    assert_eq!(
        (beyond.total, beyond.items.len()),
        (1, 0),
        "a page past the end still knows the total"
    );
    assert_eq!(store.letter_counts(&kasi).await.unwrap().perlu_paraf, 1);
    // Search by hal and by recipient; filters narrow.
    let by = |q: &str| ListFilter { q: q.into(), ..Default::default() };
    assert_eq!(
        store
            .list_letters(&kasi, ListTab::PerluParaf, &by("DATA PEMBANGUNAN"), 1)
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        store.list_letters(&kasi, ListTab::PerluParaf, &by("bappeda"), 1).await.unwrap().total,
        1
    );
    assert_eq!(
        store.list_letters(&kasi, ListTab::PerluParaf, &by("tidak ada"), 1).await.unwrap().total,
        0
    );
    assert_eq!(
        store
            .list_letters(
                &kasi,
                ListTab::PerluParaf,
                &ListFilter { sifat: Some(Sifat::Rahasia), ..Default::default() },
                1
            )
            .await
            .unwrap()
            .total,
        0
    );
    // A preview PDF is available to the reviewer before signing.
    let (preview, _) = store.letter_pdf(&kasi, &id).await.unwrap();
    assert!(preview.starts_with(b"%PDF-"));
    store.act_on_letter(&kasi, None, &id, 1, Action::Approve).await.unwrap();
    store.act_on_letter(&kabid, None, &id, 1, Action::Approve).await.unwrap();
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    store.act_on_letter(&sekdin, None, &id, 1, Action::Approve).await.unwrap();
    assert_eq!(store.inbox_unread(&bappeda_head).await.unwrap(), 0);
    store.act_on_letter(&kadis, None, &id, 1, Action::Sign).await.unwrap();
    // The head of Bappeda finds it in the inbox at once, registered with an agenda number of Bappeda.
    let inbox = store.inbox(&bappeda_head, "", false, 1).await.unwrap();
    assert_eq!((inbox.total, inbox.unread), (1, 1));
    assert_eq!(inbox.items[0].subject, "Permohonan data pembangunan");
    assert_eq!(inbox.items[0].role, RecipientRole::To);
    let opened = store.open_inbox_entry(&bappeda_head, &inbox.items[0].id).await.unwrap();
    assert_eq!(opened.agenda_number, format!("1/{}", domain::time::wib_year(backend::now_ms())));
    assert_eq!(opened.outgoing_letter_id.as_deref(), Some(id.as_str()));
    assert_eq!(store.inbox_unread(&bappeda_head).await.unwrap(), 0, "opening is the read receipt");
    let unread_view = store.inbox(&bappeda_head, "", true, 1).await.unwrap();
    assert_eq!((unread_view.total, unread_view.items.len()), (0, 0));
    let found = store.inbox(&bappeda_head, "PEMBANGUNAN", false, 1).await.unwrap();
    assert_eq!((found.total, found.items.len()), (1, 1));
    assert_eq!(store.inbox(&bappeda_head, "tidak ada", false, 1).await.unwrap().total, 0);
    assert!(
        store
            .work_events(&bappeda_head.employee_id, 0, i64::MAX)
            .await
            .unwrap()
            .iter()
            .any(|e| e.0 == "incoming.read")
    );
    // The tembusan recipient gets it marked as such; the addressee may read the signed PDF.
    let cc = store.inbox(&kabid, "", false, 1).await.unwrap();
    assert_eq!(cc.items.iter().map(|i| i.role).collect::<Vec<_>>(), vec![RecipientRole::Cc]);
    let (pdf, name) = store.letter_pdf(&bappeda_head, &id).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-") && name.ends_with(".pdf"));
    assert_eq!(store.list_letters(&staf, ListTab::Terkirim, &f, 1).await.unwrap().total, 1);
    assert!(
        store
            .work_events(&kadis.employee_id, 0, i64::MAX)
            .await
            .unwrap()
            .iter()
            .any(|e| e.0 == "letter.deliver")
    );
    // The external copy is marked as sent by the drafter.
    assert_eq!(
        store.act_on_letter(&staf, None, &id, 1, Action::MarkSent).await.unwrap(),
        LetterState::Sent
    );
    assert_eq!(
        store.counter_drift().await.unwrap(),
        Vec::<String>::new(),
        "queue and inbox counters match the rows"
    );
    sqlx::query("UPDATE inbox_count SET unread = unread + 1").execute(&store.pool).await.unwrap();
    assert!(!store.counter_drift().await.unwrap().is_empty(), "a counter out of step is reported");
}
dual_test!(signing_delivers_to_the_other_opd_inbox_t, signing_delivers_to_the_other_opd_inbox);

async fn confidential_letters_stay_with_their_people(store: Store) {
    use domain::letter_view::{ListFilter, ListTab};
    seed_demo(&store).await.unwrap();
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let kasi = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    let colleague = user(&store, "bayu.firmansyah@bojonegorokab.go.id").await;
    let admin = user(&store, "agus.prasetyo@bojonegorokab.go.id").await;
    let pemda_admin = user(&store, "arif.setiawan@bojonegorokab.go.id").await;
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let mut d = draft(&bappeda);
    d.sifat = Sifat::Rahasia;
    d.subject = "Hasil audit internal".into();
    let (id, _) = store.create_letter(&staf, None, "r-1", &d).await.unwrap();
    store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    assert!(store.letter_detail(&kasi, &id).await.is_ok(), "the chain sees it");
    for outsider in [&colleague, &admin, &pemda_admin, &tu] {
        assert_eq!(
            store.letter_detail(outsider, &id).await.unwrap_err().status(),
            404,
            "{} must not see it",
            outsider.name
        );
        assert!(store.letter_pdf(outsider, &id).await.is_err());
        assert!(store.letter_diff(outsider, &id, 1, 1).await.is_err());
        for &tab in ListTab::all() {
            let found = store
                .list_letters(
                    outsider,
                    tab,
                    &ListFilter { q: "audit".into(), ..Default::default() },
                    1,
                )
                .await
                .unwrap();
            assert_eq!(found.total, 0);
        }
    }
    // A non-confidential letter of the OPD is visible to its records clerk once signed.
    let mut open = draft(&bappeda);
    open.subject = "Undangan terbuka".into();
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let (id2, _) = store.create_letter(&kabid, None, "r-2", &open).await.unwrap();
    store.act_on_letter(&kabid, None, &id2, 1, Action::Submit).await.unwrap();
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    store.act_on_letter(&sekdin, None, &id2, 1, Action::Approve).await.unwrap();
    store.act_on_letter(&kadis, None, &id2, 1, Action::Sign).await.unwrap();
    assert!(store.letter_detail(&tu, &id2).await.is_ok());
    assert_eq!(
        store.list_letters(&tu, ListTab::Terkirim, &ListFilter::default(), 1).await.unwrap().total,
        1
    );
    assert_eq!(store.letter_detail(&colleague, &id2).await.unwrap_err().status(), 404);
}
dual_test!(
    confidential_letters_stay_with_their_people_t,
    confidential_letters_stay_with_their_people
);

async fn concurrent_signings_get_consecutive_numbers(store: Store) {
    seed_demo(&store).await.unwrap();
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &kabid.pemda_id).await;
    let mut ids = Vec::new();
    for i in 0..40 {
        let (id, _) =
            store.create_letter(&kabid, None, &format!("n-{i}"), &draft(&bappeda)).await.unwrap();
        store.act_on_letter(&kabid, None, &id, 1, Action::Submit).await.unwrap();
        store.act_on_letter(&sekdin, None, &id, 1, Action::Approve).await.unwrap();
        ids.push(id);
    }
    let mut tasks = Vec::new();
    for id in ids.clone() {
        let (s, u) = (store.clone(), kadis.clone());
        tasks.push(tokio::spawn(async move {
            s.act_on_letter(&u, None, &id, 1, Action::Sign).await.unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), LetterState::Signed);
    }
    let mut seqs = Vec::new();
    for id in &ids {
        let n = store.get_letter(id).await.unwrap().number.unwrap();
        seqs.push(n.split('/').nth(1).unwrap().parse::<i64>().unwrap());
    }
    seqs.sort();
    assert_eq!(seqs, (1..=40).collect::<Vec<i64>>());
    // Every delivery got its own agenda number in Bappeda.
    let head = user(&store, "suharto.wijaya@bojonegorokab.go.id").await;
    assert_eq!(store.inbox(&head, "", false, 1).await.unwrap().total, 40);
    assert_eq!(
        store.counter_drift().await.unwrap(),
        Vec::<String>::new(),
        "counters stay right under concurrent signings"
    );
}
dual_test!(
    concurrent_signings_get_consecutive_numbers_t,
    concurrent_signings_get_consecutive_numbers
);

async fn bad_recipients_and_attachments_are_refused(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let mut d = draft(&bappeda);
    d.recipients[0].target_id = Some("tidak-ada".into());
    assert_eq!(store.check_recipients(&staf.pemda_id, &d).await.unwrap_err().status(), 422);
    let (id, _) = store.create_letter(&staf, None, "a-1", &draft(&bappeda)).await.unwrap();
    let fake = store
        .add_attachment(&staf, None, &id, "surat.pdf", b"MZ this is not a pdf".to_vec())
        .await
        .unwrap_err();
    assert_eq!(fake.status(), 422);
    assert!(fake.to_string().contains("PDF, PNG, atau JPEG"));
    let ok = store
        .add_attachment(
            &staf,
            None,
            &id,
            "../../undangan.pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
        )
        .await
        .unwrap();
    assert_eq!((ok.name.as_str(), ok.content_type.as_str()), ("undangan.pdf", "application/pdf"));
    let other = user(&store, "bayu.firmansyah@bojonegorokab.go.id").await;
    assert_eq!(store.attachment(&other, &ok.id).await.unwrap_err().status(), 404);
    assert_eq!(store.attachment(&staf, &ok.id).await.unwrap().2, "application/pdf");
    store.remove_attachment(&staf, None, &ok.id).await.unwrap();
    assert!(store.attachments_of(&id).await.unwrap().is_empty());
}
dual_test!(
    bad_recipients_and_attachments_are_refused_t,
    bad_recipients_and_attachments_are_refused
);

async fn the_chain_follows_the_position_and_racing_reviewers_get_one_answer(store: Store) {
    use backend::store::org::EmployeeInput;
    seed_demo(&store).await.unwrap();
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let kasi = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let (id, _) = store.create_letter(&staf, None, "f-1", &draft(&bappeda)).await.unwrap();
    store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    // The Kasi moves away while the letter waits; a colleague is placed in the position.
    let kasi_pos = kasi.positions[0].position_id.clone();
    let old = store.get_employee(&kasi.employee_id).await.unwrap();
    store
        .update_employee(
            &crate::common::opd_admin(&store, &old.opd_id).await,
            &old.id,
            &EmployeeInput {
                nip: old.nip.clone(),
                name: old.name.clone(),
                email: old.email.clone().unwrap_or_default(),
                phone: String::new(),
                position_id: None,
            },
        )
        .await
        .unwrap();
    let newcomer =
        store.find_employee_by_email("bayu.firmansyah@bojonegorokab.go.id").await.unwrap().unwrap();
    store
        .update_employee(
            &crate::common::opd_admin(&store, &newcomer.opd_id).await,
            &newcomer.id,
            &EmployeeInput {
                nip: newcomer.nip.clone(),
                name: newcomer.name.clone(),
                email: newcomer.email.clone().unwrap_or_default(),
                phone: String::new(),
                position_id: Some(kasi_pos),
            },
        )
        .await
        .unwrap();
    let moved = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    let new_kasi = user(&store, "bayu.firmansyah@bojonegorokab.go.id").await;
    assert_eq!(
        store.act_on_letter(&moved, None, &id, 1, Action::Approve).await.unwrap_err().status(),
        403
    );
    assert_eq!(
        store
            .list_letters(
                &new_kasi,
                domain::letter_view::ListTab::PerluParaf,
                &Default::default(),
                1
            )
            .await
            .unwrap()
            .total,
        1
    );
    // Two approvals of the same letter at once: exactly one goes through.
    let (a, b) = tokio::join!(
        store.act_on_letter(&new_kasi, None, &id, 1, Action::Approve),
        store.act_on_letter(&new_kasi, None, &id, 1, Action::Approve)
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|x| **x).count(), 1, "{a:?} {b:?}");
    assert!(matches!(a.err().or(b.err()).unwrap().status(), 403 | 409 | 422));
    assert_eq!(
        store.letter_history(&id).await.unwrap().iter().filter(|h| h.1 == "paraf").count(),
        1
    );
}
dual_test!(
    the_chain_follows_the_position_t,
    the_chain_follows_the_position_and_racing_reviewers_get_one_answer
);

async fn the_clerk_takes_manual_numbers_from_the_same_sequence(store: Store) {
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let year = domain::time::wib_year(backend::now_ms());
    assert_eq!(
        store
            .reserve_number(&staf, None, "000.1.3", "Undangan", "Camat", "")
            .await
            .unwrap_err()
            .status(),
        403
    );
    assert_eq!(
        store
            .reserve_number(&tu, None, "999.9", "Undangan", "Camat", "")
            .await
            .unwrap_err()
            .status(),
        422
    );
    assert_eq!(
        store.reserve_number(&tu, None, "000.1.3", " ", "Camat", "").await.unwrap_err().status(),
        422
    );
    let r = store
        .reserve_number(
            &tu,
            None,
            "000.1.3",
            "Undangan rapat desa",
            "Camat Dander",
            "ditandatangani basah",
        )
        .await
        .unwrap();
    assert_eq!(r.number, format!("000.1.3/1/412.208/{year}"));
    // The audit log keeps the number, never the hal (its sifat is unknown to e-Office).
    let audit = store.recent_audit(10, None).await.unwrap();
    let row = audit.iter().find(|a| a.action == "letter.number_manual").unwrap();
    assert!(row.detail.contains(&r.number) && !row.detail.contains("Undangan"), "{row:?}");
    // The next electronic letter continues the same sequence.
    let bappeda = crate::common::bappeda_id(&store, &tu.pemda_id).await;
    let (id, _) = store.create_letter(&kabid, None, "m-1", &draft(&bappeda)).await.unwrap();
    store.act_on_letter(&kabid, None, &id, 1, Action::Submit).await.unwrap();
    store.act_on_letter(&sekdin, None, &id, 1, Action::Approve).await.unwrap();
    store.act_on_letter(&kadis, None, &id, 1, Action::Sign).await.unwrap();
    assert_eq!(
        store.get_letter(&id).await.unwrap().number,
        Some(format!("000.5.6.2/2/412.208/{year}"))
    );
    assert_eq!(store.list_reservations(&tu, 10).await.unwrap().len(), 1);
    assert!(
        store
            .work_events(&tu.employee_id, 0, i64::MAX)
            .await
            .unwrap()
            .iter()
            .any(|e| e.0 == "letter.number_manual")
    );
    // Settings: the number format is checked, and klasifikasi codes can be added and removed.
    let actor = crate::common::pemda_admin(&store).await;
    assert_eq!(
        store
            .set_letter_settings(&actor, "{klasifikasi}/{tahun}", "first")
            .await
            .unwrap_err()
            .status(),
        422
    );
    store
        .set_letter_settings(&actor, "{urut}/{kode_unit}/{bulan_romawi}/{tahun}", "returner")
        .await
        .unwrap();
    assert_eq!(store.letter_settings(&tu.pemda_id).await.unwrap().1, "returner");
    assert_eq!(store.save_klasifikasi(&actor, "abc", "Salah").await.unwrap_err().status(), 422);
    store.save_klasifikasi(&actor, "000.9.1", "Kajian Kebijakan").await.unwrap();
    assert!(
        store.list_klasifikasi(&tu.pemda_id).await.unwrap().iter().any(|(c, _)| c == "000.9.1")
    );
    store.delete_klasifikasi(&actor, "000.9.1").await.unwrap();
    assert_eq!(store.delete_klasifikasi(&actor, "000.9.1").await.unwrap_err().status(), 404);
    let r2 = store.reserve_number(&tu, None, "000.1.3", "Surat kedua", "Camat", "").await.unwrap();
    assert!(r2.number.starts_with("3/412.208/"), "{}", r2.number);
}
dual_test!(the_clerk_takes_manual_numbers_t, the_clerk_takes_manual_numbers_from_the_same_sequence);
