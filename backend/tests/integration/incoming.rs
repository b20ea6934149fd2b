//! Store tests for surat masuk and disposisi, on SQLite and PostgreSQL, each on a fresh database.

use crate::common::codes::*;
use crate::common::user;
use backend::Store;
use backend::seed::seed_demo;
use backend::store::incoming::FollowUpReport;
use domain::disposition::{DisposeInput, RecipientInput, RegisterInput, RegisterOutcome};
use domain::model::SessionUser;

pub(crate) fn pos(u: &SessionUser) -> String {
    u.positions[0].position_id.clone()
}

pub(crate) fn today() -> i64 {
    domain::time::wib_day(backend::now_ms())
}

fn iso(day: i64) -> String {
    domain::time::iso_date(day)
}

fn input(client: &str, number: &str, sifat: &str) -> RegisterInput {
    RegisterInput {
        client_id: client.into(),
        received: iso(today()),
        sender_name: "Dinas Pendidikan Kabupaten Bojonegoro".into(),
        letter_number: number.into(),
        letter_date: iso(today() - 2),
        sifat: Sifat::from_code(sifat).unwrap(),
        urgency: Urgency::Segera,
        attachment_count: 1,
        subject: "Permohonan narasumber literasi digital".into(),
        summary: "Undangan menjadi narasumber pada kegiatan literasi digital guru.".into(),
        klasifikasi: String::new(),
        disposer_position_id: String::new(),
        confirm_duplicate: false,
    }
}

fn scan() -> Vec<u8> {
    backend::render::render_letter(&backend::render::LetterDocument {
        hal: "Surat dari luar".into(),
        ..Default::default()
    })
    .unwrap()
}

pub(crate) async fn register(
    store: &Store,
    tu: &SessionUser,
    client: &str,
    number: &str,
    sifat: &str,
) -> String {
    match store
        .register_incoming(tu, None, &input(client, number, sifat), scan(), 1, "pindai.pdf")
        .await
        .unwrap()
    {
        RegisterOutcome::Registered { id, .. } => id,
        other => panic!("not registered: {other:?}"),
    }
}

pub(crate) fn dispose(
    incoming: &str,
    parent: Option<&str>,
    to: &[(&str, bool)],
    deadline: i64,
) -> DisposeInput {
    DisposeInput {
        incoming_id: incoming.into(),
        parent_id: parent.map(Into::into),
        recipients: to
            .iter()
            .map(|(p, l)| RecipientInput { position_id: p.to_string(), lead: *l })
            .collect(),
        instructions: vec![Instruction::Selesaikan],
        deadline: iso(deadline),
        note: "Segera ditindaklanjuti".into(),
    }
}

async fn node_for(store: &Store, u: &SessionUser, incoming: &str) -> (String, i64) {
    let v = store.incoming_view(u, incoming).await.unwrap();
    let p = pos(u);
    let n = v.nodes.iter().find(|n| n.to_position_id == p).expect("a disposition to this user");
    (n.id.clone(), n.version)
}

async fn the_disposition_story(store: Store) {
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let kasi = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    let staf = user(&store, "putri.ayu@bojonegorokab.go.id").await;
    let other_kabid = user(&store, "joko.santoso@bojonegorokab.go.id").await;
    let bappeda = user(&store, "suharto.wijaya@bojonegorokab.go.id").await;

    let id = register(&store, &tu, "r-1", "400.3/77/412.201/2026", "biasa").await;
    // It waits in the head's Kotak Masuk; opening it is the read receipt.
    assert_eq!(store.inbox_unread(&kadis).await.unwrap(), 1);
    let v = store.incoming_view(&kadis, &id).await.unwrap();
    assert!(v.can_dispose_root && v.whole_tree && v.nodes.is_empty());
    assert_eq!(store.inbox_unread(&kadis).await.unwrap(), 0);
    let root_choices = &v.choices.iter().find(|(g, _)| *g == pos(&kadis)).unwrap().1;
    assert!(root_choices[0].direct, "direct subordinates come first");
    assert!(root_choices.iter().any(|c| c.position_id == pos(&staf)), "anyone below may be chosen");
    // Others in the OPD do not see it; the clerk does.
    assert_eq!(store.incoming_view(&kabid, &id).await.unwrap_err().status(), 404);
    assert_eq!(store.incoming_view(&bappeda, &id).await.unwrap_err().status(), 404);
    assert!(store.incoming_view(&tu, &id).await.unwrap().whole_tree);

    // The head disposes to the Sekdin and the Kabid, the Kabid as lead.
    let t = today();
    store
        .dispose(
            &kadis,
            None,
            &dispose(&id, None, &[(&pos(&sekdin), false), (&pos(&kabid), true)], t + 7),
        )
        .await
        .unwrap();
    // Disposing twice (say a Plh at the same moment) is refused, and saves nothing.
    assert_eq!(
        store
            .dispose(&kadis, None, &dispose(&id, None, &[(&pos(&kasi), false)], t + 7))
            .await
            .unwrap_err()
            .status(),
        409
    );
    // Upwards is refused.
    let (kabid_node, _) = node_for(&store, &kabid, &id).await;
    let err = store
        .dispose(&kabid, None, &dispose(&id, Some(&kabid_node), &[(&pos(&kadis), false)], t + 5))
        .await
        .unwrap_err();
    assert_eq!(err.status(), 422);
    assert!(err.user_message().contains("ke bawah"));
    // A deadline later than the Kabid's own, or in the past, is refused.
    let err = store
        .dispose(&kabid, None, &dispose(&id, Some(&kabid_node), &[(&pos(&kasi), false)], t + 8))
        .await
        .unwrap_err();
    assert!(err.user_message().contains("melewati tenggat"), "{}", err.user_message());
    assert_eq!(
        store
            .dispose(&kabid, None, &dispose(&id, Some(&kabid_node), &[(&pos(&kasi), false)], t - 1))
            .await
            .unwrap_err()
            .status(),
        422
    );
    store
        .dispose(&kabid, None, &dispose(&id, Some(&kabid_node), &[(&pos(&kasi), false)], t + 5))
        .await
        .unwrap();
    let (kasi_node, _) = node_for(&store, &kasi, &id).await;
    store
        .dispose(&kasi, None, &dispose(&id, Some(&kasi_node), &[(&pos(&staf), false)], t + 3))
        .await
        .unwrap();

    // Each sees their branch and what is below it, never a sibling branch.
    let seen = |v: &domain::disposition::IncomingView| {
        v.nodes.iter().map(|n| n.to_position_id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(seen(&store.incoming_view(&staf, &id).await.unwrap()), vec![pos(&staf)]);
    assert_eq!(seen(&store.incoming_view(&kasi, &id).await.unwrap()), vec![pos(&kasi), pos(&staf)]);
    assert_eq!(seen(&store.incoming_view(&sekdin, &id).await.unwrap()), vec![pos(&sekdin)]);
    assert_eq!(store.incoming_view(&kadis, &id).await.unwrap().nodes.len(), 4);
    assert_eq!(store.incoming_view(&other_kabid, &id).await.unwrap_err().status(), 404);
    // Read receipts: everyone in the chain has opened it now.
    let v = store.incoming_view(&kadis, &id).await.unwrap();
    assert!(v.nodes.iter().all(|n| n.read_ms.is_some()), "every recipient opened it");

    // The Kabid cannot report before the branch below is done.
    let (kabid_node, kabid_v) = node_for(&store, &kabid, &id).await;
    let err = store
        .report_disposition(
            &kabid,
            None,
            FollowUpReport {
                node_id: &kabid_node,
                expected_version: kabid_v,
                text: "Sudah",
                letter_id: None,
                files: vec![],
            },
        )
        .await
        .unwrap_err();
    assert!(err.user_message().contains("belum selesai"));
    // The staff member follows up, with a file; a file that is not what it claims is refused.
    let (staf_node, staf_v) = node_for(&store, &staf, &id).await;
    let bad = store
        .report_disposition(
            &staf,
            None,
            FollowUpReport {
                node_id: &staf_node,
                expected_version: staf_v,
                text: "Sudah",
                letter_id: None,
                files: vec![("laporan.pdf".into(), b"bukan pdf".to_vec())],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad.status(), 422);
    assert_eq!(
        store
            .report_disposition(
                &staf,
                None,
                FollowUpReport {
                    node_id: &staf_node,
                    expected_version: staf_v,
                    text: "  ",
                    letter_id: None,
                    files: vec![]
                }
            )
            .await
            .unwrap_err()
            .status(),
        422
    );
    store
        .report_disposition(
            &staf,
            None,
            FollowUpReport {
                node_id: &staf_node,
                expected_version: staf_v,
                text: "Narasumber sudah dikonfirmasi.",
                letter_id: None,
                files: vec![("jadwal.pdf".into(), scan())],
            },
        )
        .await
        .unwrap();
    // A second report on the closed branch is refused.
    let again = store
        .report_disposition(
            &staf,
            None,
            FollowUpReport {
                node_id: &staf_node,
                expected_version: staf_v,
                text: "lagi",
                letter_id: None,
                files: vec![],
            },
        )
        .await
        .unwrap_err();
    assert!(again.user_message().contains("sudah dilaporkan"), "{}", again.user_message());
    // The giver's Disposisi badge counts the report and leads to the dispositions given.
    let counts = store.letter_counts(&kasi).await.unwrap();
    assert_eq!(counts.disposisi_laporan, 1);
    assert!(counts.disposisi >= counts.disposisi_laporan);
    assert_eq!(store.letter_counts(&staf).await.unwrap().disposisi_laporan, 0);
    // Only the giver answers it; a return needs a note.
    let (_, staf_v) = node_for(&store, &staf, &id).await;
    assert_eq!(
        store
            .review_disposition(&staf, None, &staf_node, staf_v, true, "")
            .await
            .unwrap_err()
            .status(),
        403
    );
    assert_eq!(
        store
            .review_disposition(&kasi, None, &staf_node, staf_v, false, " ")
            .await
            .unwrap_err()
            .status(),
        422
    );
    store
        .review_disposition(&kasi, None, &staf_node, staf_v, false, "Lampirkan surat konfirmasinya")
        .await
        .unwrap();
    let (_, staf_v) = node_for(&store, &staf, &id).await;
    store
        .report_disposition(
            &staf,
            None,
            FollowUpReport {
                node_id: &staf_node,
                expected_version: staf_v,
                text: "Surat konfirmasi terlampir.",
                letter_id: None,
                files: vec![],
            },
        )
        .await
        .unwrap();
    let (_, staf_v) = node_for(&store, &staf, &id).await;
    store.review_disposition(&kasi, None, &staf_node, staf_v, true, "").await.unwrap();
    // The chain closes upward.
    let (kasi_node, kasi_v) = node_for(&store, &kasi, &id).await;
    store
        .report_disposition(
            &kasi,
            None,
            FollowUpReport {
                node_id: &kasi_node,
                expected_version: kasi_v,
                text: "Dilaksanakan oleh staf.",
                letter_id: None,
                files: vec![],
            },
        )
        .await
        .unwrap();
    let (_, kasi_v) = node_for(&store, &kasi, &id).await;
    store.review_disposition(&kabid, None, &kasi_node, kasi_v, true, "").await.unwrap();
    let (kabid_node, kabid_v) = node_for(&store, &kabid, &id).await;
    store
        .report_disposition(
            &kabid,
            None,
            FollowUpReport {
                node_id: &kabid_node,
                expected_version: kabid_v,
                text: "Selesai.",
                letter_id: None,
                files: vec![],
            },
        )
        .await
        .unwrap();
    // Not complete yet: the Sekdin's branch is open; filing is refused.
    assert_eq!(store.archive_incoming(&kadis, None, &id).await.unwrap_err().status(), 422);
    let (_, kabid_v) = node_for(&store, &kabid, &id).await;
    store.review_disposition(&kadis, None, &kabid_node, kabid_v, true, "").await.unwrap();
    let (sekdin_node, sekdin_v) = node_for(&store, &sekdin, &id).await;
    store
        .report_disposition(
            &sekdin,
            None,
            FollowUpReport {
                node_id: &sekdin_node,
                expected_version: sekdin_v,
                text: "Dicatat.",
                letter_id: None,
                files: vec![],
            },
        )
        .await
        .unwrap();
    let (_, sekdin_v) = node_for(&store, &sekdin, &id).await;
    store.review_disposition(&kadis, None, &sekdin_node, sekdin_v, true, "").await.unwrap();
    let v = store.incoming_view(&kadis, &id).await.unwrap();
    assert_eq!(v.status, IncomingStatus::Complete);
    assert!(v.can_archive);
    store.archive_incoming(&kadis, None, &id).await.unwrap();
    assert_eq!(store.incoming_view(&tu, &id).await.unwrap().status, IncomingStatus::Archived);

    // The lembar disposisi has the whole cascade for the head, only the branch for the staff.
    let sheet = store.disposition_sheet(&kadis, &id).await.unwrap();
    assert_eq!(sheet.steps.len(), 4);
    // The time zone is named once ("Dicetak 1 Desember 2026 10.15 WIB dari e-Office").
    assert_eq!(sheet.printed_note.matches("WIB").count(), 1, "{}", sheet.printed_note);
    assert_eq!(store.disposition_sheet(&staf, &id).await.unwrap().steps.len(), 1);

    // Lists.
    assert_eq!(store.disposition_list(&kasi, "masuk", "", "", 1).await.unwrap().total, 1);
    assert_eq!(store.disposition_list(&kasi, "keluar", "", "", 1).await.unwrap().total, 1);
    assert_eq!(
        store.disposition_list(&kadis, "keluar", "literasi", "done", 1).await.unwrap().total,
        2
    );
    assert_eq!(
        store.disposition_list(&kadis, "keluar", "tidak ada", "", 1).await.unwrap().total,
        0
    );
    assert_eq!(store.disposition_list(&staf, "tenggat", "", "", 1).await.unwrap().total, 0);
    assert_eq!(
        store
            .incoming_list(&tu, "narasumber", None, Some(IncomingStatus::Archived), 1)
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(store.incoming_list(&kadis, "", None, None, 1).await.unwrap_err().status(), 403);

    // Every step is work on record, in the one event table.
    let kinds =
        |events: Vec<(String, String, i64)>| events.into_iter().map(|e| e.0).collect::<Vec<_>>();
    assert!(
        kinds(store.work_events(&tu.employee_id, 0, i64::MAX).await.unwrap())
            .contains(&"incoming.register".to_string())
    );
    let k = kinds(store.work_events(&kadis.employee_id, 0, i64::MAX).await.unwrap());
    for kind in ["incoming.read", "disposition.give", "disposition.accept", "incoming.archive"] {
        assert!(k.contains(&kind.to_string()), "{kind} in {k:?}");
    }
    let k = kinds(store.work_events(&kasi.employee_id, 0, i64::MAX).await.unwrap());
    for kind in [
        "disposition.read",
        "disposition.give",
        "disposition.report",
        "disposition.return",
        "disposition.accept",
    ] {
        assert!(k.contains(&kind.to_string()), "{kind} in {k:?}");
    }
}
dual_test!(the_disposition_story_t, the_disposition_story);

async fn agenda_numbers_are_distinct_and_consecutive(store: Store) {
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let pdf = scan();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (store, tu, pdf) = (store.clone(), tu.clone(), pdf.clone());
        tasks.push(tokio::spawn(async move {
            let mut inp = input(&format!("c-{i}"), &format!("005/{i}/2026"), "biasa");
            inp.subject = format!("Surat ke-{i}");
            store.register_incoming(&tu, None, &inp, pdf, 1, "p.pdf").await
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        match t.await.unwrap().unwrap() {
            RegisterOutcome::Registered { agenda_number, .. } => {
                numbers.push(agenda_number.split('/').next().unwrap().parse::<i64>().unwrap())
            }
            other => panic!("{other:?}"),
        }
    }
    numbers.sort();
    assert_eq!(numbers, (1..=200).collect::<Vec<_>>());
}
dual_test!(
    agenda_numbers_are_distinct_and_consecutive_t,
    agenda_numbers_are_distinct_and_consecutive
);

async fn duplicates_are_flagged_and_resends_register_once(store: Store) {
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let first = store
        .register_incoming(&tu, None, &input("d-1", "800/12/2026", "biasa"), scan(), 1, "a.pdf")
        .await
        .unwrap();
    let RegisterOutcome::Registered { id, agenda_number } = first.clone() else { panic!() };
    // The same submit again (double tap, poor network): the same registration.
    assert_eq!(
        store
            .register_incoming(&tu, None, &input("d-1", "800/12/2026", "biasa"), scan(), 1, "a.pdf")
            .await
            .unwrap(),
        first
    );
    // The same sender, number and date typed differently: flagged before saving.
    let mut again = input("d-2", " 800/12/ 2026", "biasa");
    again.sender_name = "dinas pendidikan  kabupaten bojonegoro".into();
    match store.register_incoming(&tu, None, &again, scan(), 1, "b.pdf").await.unwrap() {
        RegisterOutcome::PossibleDuplicate { agenda_number: a, .. } => assert_eq!(a, agenda_number),
        other => panic!("{other:?}"),
    }
    again.confirm_duplicate = true;
    let RegisterOutcome::Registered { id: id2, agenda_number: a2 } =
        store.register_incoming(&tu, None, &again, scan(), 1, "b.pdf").await.unwrap()
    else {
        panic!()
    };
    assert_ne!(id, id2);
    assert_ne!(agenda_number, a2);
    // Bad input and the wrong person are refused with a reason.
    let mut bad = input("d-3", "1/2026", "biasa");
    bad.received = iso(today() + 1);
    assert_eq!(
        store.register_incoming(&tu, None, &bad, scan(), 1, "c.pdf").await.unwrap_err().status(),
        422
    );
    let kasi = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    assert_eq!(
        store
            .register_incoming(&kasi, None, &input("d-4", "2/2026", "biasa"), scan(), 1, "c.pdf")
            .await
            .unwrap_err()
            .status(),
        403
    );
    assert_eq!(
        store
            .register_incoming(&tu, None, &input("d-5", "3/2026", "biasa"), vec![], 0, "c.pdf")
            .await
            .unwrap_err()
            .status(),
        422
    );
}
dual_test!(
    duplicates_are_flagged_and_resends_register_once_t,
    duplicates_are_flagged_and_resends_register_once
);

async fn confidential_mail_stays_inside_its_tree(store: Store) {
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    let kasi = user(&store, "eko.saputro@bojonegorokab.go.id").await;
    let admin = user(&store, "agus.prasetyo@bojonegorokab.go.id").await;
    let other_kabid = user(&store, "joko.santoso@bojonegorokab.go.id").await;
    let id = register(&store, &tu, "s-1", "R/1/2026", "rahasia").await;
    store.incoming_view(&kadis, &id).await.unwrap();
    store
        .dispose(&kadis, None, &dispose(&id, None, &[(&pos(&kasi), true)], today() + 3))
        .await
        .unwrap();
    // In the tree or above it: visible. The Kabid is the Kasi's superior.
    assert!(store.incoming_view(&kasi, &id).await.is_ok());
    assert!(store.incoming_view(&kabid, &id).await.is_ok());
    assert!(store.incoming_view(&tu, &id).await.is_ok(), "the clerk who registered it");
    for outsider in [&admin, &other_kabid] {
        assert_eq!(store.incoming_view(outsider, &id).await.unwrap_err().status(), 404);
        assert_eq!(store.incoming_document(outsider, &id).await.unwrap_err().status(), 404);
        assert_eq!(store.disposition_sheet(outsider, &id).await.unwrap_err().status(), 404);
    }
    // The scan and the sheet are served to those who may see it.
    assert!(store.incoming_document(&kasi, &id).await.unwrap().0.starts_with(b"%PDF"));
}
dual_test!(confidential_mail_stays_inside_its_tree_t, confidential_mail_stays_inside_its_tree);

async fn two_disposers_at_once_give_one_disposition(store: Store) {
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let kadis = user(&store, "bambang.sutrisno@bojonegorokab.go.id").await;
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    let kabid = user(&store, "teguh.wibowo@bojonegorokab.go.id").await;
    // The Sekdin is Plh for the head while the head, on a phone, disposes the same letter.
    let plh = crate::common::appoint_plh(&store, &kadis, &sekdin).await;
    let today = backend::today_wib();
    let id = register(&store, &tu, "x-1", "700/1/2026", "biasa").await;
    let a = tokio::spawn({
        let (store, input) =
            (store.clone(), dispose(&id, None, &[(&pos(&kabid), true)], today + 5));
        async move { store.dispose(&kadis, None, &input).await }
    });
    let b = tokio::spawn({
        let (store, input) =
            (store.clone(), dispose(&id, None, &[(&pos(&kabid), false)], today + 4));
        async move { store.dispose(&plh, None, &input).await }
    });
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|x| **x).count(),
        1,
        "exactly one disposition stands"
    );
    let refused = a.err().or(b.err()).unwrap();
    assert_eq!(refused.status(), 409);
    let v = store.incoming_view(&kabid, &id).await.unwrap();
    assert_eq!(v.nodes.len(), 1, "nothing of the refused one was saved");
}
dual_test!(
    two_disposers_at_once_give_one_disposition_t,
    two_disposers_at_once_give_one_disposition
);

/// The demo people the tests act as.
struct Demo {
    tu: SessionUser,
    kadis: SessionUser,
    sekdin: SessionUser,
    kabid: SessionUser,
    kasi: SessionUser,
    other_kabid: SessionUser,
    bappeda: SessionUser,
}

async fn demo(store: &Store) -> Demo {
    seed_demo(store).await.unwrap();
    Demo {
        tu: user(store, "sri.wahyuni@bojonegorokab.go.id").await,
        kadis: user(store, "bambang.sutrisno@bojonegorokab.go.id").await,
        sekdin: user(store, "ratna.kusumawati@bojonegorokab.go.id").await,
        kabid: user(store, "teguh.wibowo@bojonegorokab.go.id").await,
        kasi: user(store, "eko.saputro@bojonegorokab.go.id").await,
        other_kabid: user(store, "joko.santoso@bojonegorokab.go.id").await,
        bappeda: user(store, "suharto.wijaya@bojonegorokab.go.id").await,
    }
}

/// The Admin OPD decides who receives new mail for the first disposition and whether a disposition
/// may go to a peer; both take effect at once and bad settings are refused.
async fn opd_settings_route_mail_and_allow_peers(store: Store) {
    let Demo { tu, kadis, sekdin, kabid, kasi, other_kabid, .. } = demo(&store).await;
    let opd = tu.opd_id.clone();
    let admin = crate::common::opd_admin(&store, &opd).await;
    use domain::disposition::IncomingSettings;
    assert_eq!(store.incoming_settings(&opd).await.unwrap(), IncomingSettings::default());

    // Only a head, Sekretaris or Kabid of this OPD can be set to receive the mail.
    let bad = IncomingSettings { disposer_position_id: Some(pos(&kasi)), peer_disposition: false };
    assert_eq!(store.set_incoming_settings(&admin, &bad).await.unwrap_err().status(), 422);
    let to_sekdin =
        IncomingSettings { disposer_position_id: Some(pos(&sekdin)), peer_disposition: false };
    store.set_incoming_settings(&admin, &to_sekdin).await.unwrap();
    assert_eq!(store.incoming_settings(&opd).await.unwrap(), to_sekdin);
    // The clerk's form offers the Sekdin first, and a registration without a choice goes there.
    assert_eq!(store.disposer_choices(&opd).await.unwrap()[0].position_id, pos(&sekdin));
    let id = register(&store, &tu, "s-1", "005/9/2026", "biasa").await;
    assert_eq!(store.inbox_unread(&sekdin).await.unwrap(), 1);
    assert_eq!(store.inbox_unread(&kadis).await.unwrap(), 0);
    let v = store.incoming_view(&sekdin, &id).await.unwrap();
    assert!(v.can_dispose_root && v.root_position_id.as_deref() == Some(pos(&sekdin).as_str()));
    // The head, above the Sekdin, still sees the whole letter but does not dispose it.
    let v = store.incoming_view(&kadis, &id).await.unwrap();
    assert!(v.whole_tree && !v.can_dispose_root);

    // Peers: refused while the OPD does not allow them, and not offered.
    let t = today();
    // The clerk can still send one letter to the head.
    let mut to_head = input("s-3", "005/11/2026", "biasa");
    to_head.disposer_position_id = pos(&kadis);
    let id = match store
        .register_incoming(&tu, None, &to_head, scan(), 1, "pindai.pdf")
        .await
        .unwrap()
    {
        RegisterOutcome::Registered { id, .. } => id,
        other => panic!("{other:?}"),
    };
    store.dispose(&kadis, None, &dispose(&id, None, &[(&pos(&kabid), true)], t + 7)).await.unwrap();
    let (kabid_node, _) = node_for(&store, &kabid, &id).await;
    let v = store.incoming_view(&kabid, &id).await.unwrap();
    let offered = &v.choices.iter().find(|(g, _)| *g == pos(&kabid)).unwrap().1;
    assert!(
        offered.iter().all(|c| !c.peer)
            && !offered.iter().any(|c| c.position_id == pos(&other_kabid))
    );
    let err = store
        .dispose(
            &kabid,
            None,
            &dispose(&id, Some(&kabid_node), &[(&pos(&other_kabid), false)], t + 5),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), 422);
    assert!(err.user_message().contains("ke bawah"), "{}", err.user_message());

    // Allowed: the other Kabid is offered as a peer and can receive it, sees their own node, and
    // cannot send it back to the Kabid it came from (no loops); never upwards.
    store
        .set_incoming_settings(
            &admin,
            &IncomingSettings { disposer_position_id: None, peer_disposition: true },
        )
        .await
        .unwrap();
    let v = store.incoming_view(&kabid, &id).await.unwrap();
    let offered = &v.choices.iter().find(|(g, _)| *g == pos(&kabid)).unwrap().1;
    let peer = offered
        .iter()
        .find(|c| c.position_id == pos(&other_kabid))
        .expect("the other Kabid is offered");
    assert!(peer.peer && !peer.direct);
    assert!(
        offered.iter().any(|c| c.position_id == pos(&kasi) && !c.peer),
        "those below are still offered"
    );
    let err = store
        .dispose(&kabid, None, &dispose(&id, Some(&kabid_node), &[(&pos(&kadis), false)], t + 5))
        .await
        .unwrap_err();
    assert!(err.user_message().contains("rekan setingkat"), "{}", err.user_message());
    store
        .dispose(
            &kabid,
            None,
            &dispose(&id, Some(&kabid_node), &[(&pos(&other_kabid), true)], t + 5),
        )
        .await
        .unwrap();
    let v = store.incoming_view(&other_kabid, &id).await.unwrap();
    assert_eq!(
        v.nodes.iter().map(|n| n.to_position_id.clone()).collect::<Vec<_>>(),
        vec![pos(&other_kabid)],
        "a peer sees their branch only"
    );
    let (peer_node, _) = node_for(&store, &other_kabid, &id).await;
    let back = v.choices.iter().find(|(g, _)| *g == pos(&other_kabid)).unwrap().1.clone();
    assert!(
        !back.iter().any(|c| c.position_id == pos(&kabid)),
        "the Kabid it came from is not offered back"
    );
    assert_eq!(
        store
            .dispose(
                &other_kabid,
                None,
                &dispose(&id, Some(&peer_node), &[(&pos(&kabid), false)], t + 4)
            )
            .await
            .unwrap_err()
            .status(),
        422
    );
    // Dispositions from the head have no peers to go to.
    let id2 = register(&store, &tu, "s-4", "005/12/2026", "biasa").await;
    let v = store.incoming_view(&kadis, &id2).await.unwrap();
    assert!(v.choices.iter().flat_map(|(_, c)| c).all(|c| !c.peer));
    // Removing the position that received the mail falls back to the head (the setting is cleared
    // by the store when a position is deleted; here the setting is simply unset).
    store.set_incoming_settings(&admin, &IncomingSettings::default()).await.unwrap();
    assert_eq!(store.incoming_disposer(&opd).await.unwrap(), pos(&kadis));
}
dual_test!(opd_settings_route_mail_and_allow_peers_t, opd_settings_route_mail_and_allow_peers);

/// "Buat surat balasan": the reply starts from the incoming letter, stays linked to it whatever
/// later saves say, is listed on the letter for those who may see it, and links the follow-up.
async fn a_reply_is_drafted_from_the_letter_and_linked_back(store: Store) {
    let Demo { tu, kadis, kabid, other_kabid, bappeda, .. } = demo(&store).await;
    let t = today();
    let id = register(&store, &tu, "b-1", "421/55/412.301/2026", "biasa").await;
    store.dispose(&kadis, None, &dispose(&id, None, &[(&pos(&kabid), true)], t + 7)).await.unwrap();

    // Pre-filled from the letter: to its sender, same hal, an opening that cites it.
    let (mut draft, target) = store.reply_draft(&kabid, &id).await.unwrap();
    assert_eq!(target.incoming_id, id);
    assert_eq!(draft.reply_to_incoming_id.as_deref(), Some(id.as_str()));
    assert_eq!(draft.subject, "Permohonan narasumber literasi digital");
    assert_eq!(draft.recipients.len(), 1);
    assert_eq!(
        (draft.recipients[0].target_type, draft.recipients[0].name.as_str()),
        (TargetType::External, "Dinas Pendidikan Kabupaten Bojonegoro")
    );
    let opening = draft.body.plain_lines().join("\n");
    assert!(
        opening.contains("nomor 421/55/412.301/2026")
            && opening.contains("perihal Permohonan narasumber"),
        "{opening}"
    );
    // Nobody outside the letter can start a reply to it.
    assert_eq!(store.reply_draft(&other_kabid, &id).await.unwrap_err().status(), 404);
    assert_eq!(store.reply_draft(&bappeda, &id).await.unwrap_err().status(), 404);
    let mut forged = draft.clone();
    forged.klasifikasi = "000.1".into();
    assert_eq!(
        store.create_letter(&other_kabid, None, "forged-1", &forged).await.unwrap_err().status(),
        422
    );

    // Saved by the Kabid: linked at creation; a later save cannot move or drop the link.
    draft.klasifikasi = "000.1".into();
    let (letter, _) = store.create_letter(&kabid, None, "reply-1", &draft).await.unwrap();
    let mut edit = draft.clone();
    edit.reply_to_incoming_id = None;
    edit.subject = "Kesediaan narasumber literasi digital".into();
    store.save_letter(&kabid, None, &letter, "reply-2", 1, &edit).await.unwrap();
    let d = store.letter_detail(&kabid, &letter).await.unwrap();
    assert_eq!(d.draft.reply_to_incoming_id.as_deref(), Some(id.as_str()));
    assert_eq!(d.reply_to.as_ref().map(|r| r.incoming_id.as_str()), Some(id.as_str()));

    // The letter lists it: for the Kabid as theirs, for the head (its signer) too.
    let v = store.incoming_view(&kabid, &id).await.unwrap();
    assert!(v.can_reply);
    assert_eq!(v.replies.len(), 1);
    assert!(v.replies[0].mine && v.replies[0].subject == "Kesediaan narasumber literasi digital");
    let v = store.incoming_view(&kadis, &id).await.unwrap();
    assert_eq!(v.replies.len(), 1);
    assert!(!v.replies[0].mine);

    // A confidential reply is not listed for the clerk, who sees the letter but not the reply.
    let mut secret = draft.clone();
    secret.sifat = Sifat::Rahasia;
    store.create_letter(&kabid, None, "reply-3", &secret).await.unwrap();
    assert_eq!(store.incoming_view(&kabid, &id).await.unwrap().replies.len(), 2);
    let clerk_view = store.incoming_view(&tu, &id).await.unwrap();
    assert_eq!(clerk_view.replies.len(), 1, "the clerk sees only the ordinary reply");

    // The follow-up links the reply.
    let (node, version) = node_for(&store, &kabid, &id).await;
    store
        .report_disposition(
            &kabid,
            None,
            FollowUpReport {
                node_id: &node,
                expected_version: version,
                text: "",
                letter_id: Some(&letter),
                files: vec![],
            },
        )
        .await
        .unwrap();
    let v = store.incoming_view(&kadis, &id).await.unwrap();
    assert_eq!(v.nodes[0].report_letter_id.as_deref(), Some(letter.as_str()));
}
dual_test!(
    a_reply_is_drafted_from_the_letter_and_linked_back_t,
    a_reply_is_drafted_from_the_letter_and_linked_back
);
