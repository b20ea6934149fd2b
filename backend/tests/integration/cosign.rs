//! Co-signed letters through the real flow, on SQLite and PostgreSQL (fresh database each): the
//! drafter names a co-signer (the Kepala Bappeda on a letter of Dinas Kominfo), the Kepala Dinas
//! signs first (number, both signature blocks, the first PAdES signature), the co-signer adds the
//! second signature as an incremental update of the stored PDF, and only then is the letter
//! delivered. A refusal voids the number; batch signing covers co-signatures; the co-signer is
//! validated; and (SQLite only) pdfsig, pyHanko and zbarimg accept the co-signed letter.

use crate::common::codes::*;
use crate::common::{pyhanko, run, serve_crl, user, which};
use backend::Store;
use backend::seed::seed_demo;
use backend::sign::{ApprovalOnly, LocalCaSigner, SignCredentials};
use backend::store::Actor;
use domain::letter::{Action, LetterDraft, LetterState, Recipient};
use domain::letter_body::LetterBody;
use domain::letter_view::{ListFilter, ListTab};
use domain::model::SessionUser;
use domain::tte::VerifyOutcome;
use sqlx::Row;
use std::process::Command;

const PASS_KADIS: &str = "gunung bromo 2026";
const PASS_BAPPEDA: &str = "kali bengawan 2026";
const KADIS: &str = "bambang.sutrisno@bojonegorokab.go.id";
const KEPALA_BAPPEDA: &str = "suharto.wijaya@bojonegorokab.go.id";
const ADMIN: &str = "arif.setiawan@bojonegorokab.go.id";
const STAF: &str = "putri.ayu@bojonegorokab.go.id";

struct World {
    staf: SessionUser,
    kadis: SessionUser,
    /// The Kepala Bappeda, the co-signer.
    head: SessionUser,
    bappeda: String,
    /// The Kepala Bappeda's position.
    co_position: String,
}

async fn world(store: &Store) -> World {
    seed_demo(store).await.unwrap();
    let staf = user(store, STAF).await;
    let bappeda = crate::common::bappeda_id(store, &staf.pemda_id).await;
    let co_position = store.head_position(&bappeda).await.unwrap();
    World {
        kadis: user(store, KADIS).await,
        head: user(store, KEPALA_BAPPEDA).await,
        staf,
        bappeda,
        co_position,
    }
}

/// The world with the installation's PKI and active certificates for both signers.
async fn world_with_pki(store: &Store, public_base: &str) -> (World, LocalCaSigner) {
    let w = world(store).await;
    store.set_pki_master(Some(backend::random_token(32)));
    store.set_public_base(public_base);
    let admin = user(store, ADMIN).await;
    store.init_pki(&Actor::system(), &admin.pemda_id).await.unwrap();
    for (u, pass) in [(&w.kadis, PASS_KADIS), (&w.head, PASS_BAPPEDA)] {
        store.enrol_certificate(&admin, None, &u.employee_id, 365).await.unwrap();
        store.activate_certificate(u, None, pass, pass).await.unwrap();
    }
    let issuer = store.my_certificate(&w.kadis).await.unwrap().unwrap().issuer;
    (w, LocalCaSigner::new(public_base, issuer))
}

fn draft(w: &World, subject: &str, co_signer: Option<&str>) -> LetterDraft {
    LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat: Sifat::Biasa,
        urgency: Urgency::Biasa,
        subject: subject.into(),
        attachment_count: 0,
        signer_position_id: None,
        co_signer_position_id: co_signer.map(str::to_string),
        recipients: vec![Recipient {
            role: RecipientRole::To,
            target_type: TargetType::Opd,
            target_id: Some(w.bappeda.clone()),
            name: "Kepala Bappeda".into(),
            address: String::new(),
        }],
        body: LetterBody::from_plain(
            "Dengan hormat,\n\nBersama ini kami sampaikan kesepakatan bersama tentang satu data pembangunan daerah.",
        ),
        reply_to_incoming_id: None,
    }
}

/// Drafted by the staff member (with the Kepala Bappeda as co-signer when `co`), initialled along
/// the chain, now waiting for the Kepala Dinas. Returns (id, version).
async fn letter_waiting(store: &Store, w: &World, subject: &str, co: bool) -> (String, i64) {
    let d = draft(w, subject, co.then_some(w.co_position.as_str()));
    let (id, _) = store.create_letter(&w.staf, None, &backend::new_id(), &d).await.unwrap();
    let v = store.get_letter(&id).await.unwrap().version;
    approve_to_signer(store, w, &id, v).await;
    (id.clone(), store.get_letter(&id).await.unwrap().version)
}

async fn approve_to_signer(store: &Store, w: &World, id: &str, version: i64) {
    let mut state = store.act_on_letter(&w.staf, None, id, version, Action::Submit).await.unwrap();
    while let LetterState::Review { .. } = state {
        let l = store.get_letter(id).await.unwrap();
        let holder =
            store.holders_of(l.waiting_position_id.as_deref().unwrap()).await.unwrap().remove(0);
        let u = store.session_user(&holder.id, backend::today_wib()).await.unwrap();
        state = store.act_on_letter(&u, None, id, l.version, Action::Approve).await.unwrap();
    }
    assert_eq!(state, LetterState::Signing);
}

fn creds(pass: &str) -> SignCredentials {
    SignCredentials { passphrase: Some(pass.into()), invisible: false }
}

async fn document(store: &Store, letter_id: &str) -> (Vec<u8>, String) {
    let r = sqlx::query("SELECT pdf, public_id FROM letter_document WHERE letter_id = $1")
        .bind(letter_id)
        .fetch_one(&store.pool)
        .await
        .unwrap();
    (r.try_get("pdf").unwrap(), r.try_get("public_id").unwrap())
}

/// Entries of this subject in the user's Kotak Masuk.
async fn inbox_count(store: &Store, u: &SessionUser, subject: &str) -> usize {
    store
        .inbox(u, subject, false, 1)
        .await
        .unwrap()
        .items
        .iter()
        .filter(|i| i.subject == subject)
        .count()
}

async fn listed(
    store: &Store,
    u: &SessionUser,
    tab: ListTab,
    id: &str,
) -> Option<domain::letter_view::LetterListItem> {
    store
        .list_letters(u, tab, &ListFilter::default(), 1)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.id == id)
}

async fn co_signed_letter_is_delivered_after_the_second_signature(store: Store) {
    let (w, signer) = world_with_pki(&store, "https://eoffice.bojonegorokab.go.id").await;
    let subject = "Kesepakatan satu data pembangunan";
    let (id, v) = letter_waiting(&store, &w, subject, true).await;
    assert_eq!(
        store.get_letter(&id).await.unwrap().co_signer_position_id.as_deref(),
        Some(w.co_position.as_str())
    );
    // The co-signer, in another OPD, may read the letter from the start, but it is not their turn.
    store.visible_letter(&w.head, &id).await.unwrap();
    assert_eq!(
        store
            .sign_letter(&w.head, None, &id, v, &signer, &creds(PASS_BAPPEDA))
            .await
            .unwrap_err()
            .status(),
        403
    );

    // The signer signs first: numbered, signed once, not delivered; it waits for the co-signer.
    assert_eq!(
        store.sign_letter(&w.kadis, None, &id, v, &signer, &creds(PASS_KADIS)).await.unwrap(),
        LetterState::CoSigning
    );
    let l = store.get_letter(&id).await.unwrap();
    let number = l.number.clone().expect("numbered at the first signature");
    assert_eq!(
        l.co_signer_id.as_deref(),
        Some(w.head.employee_id.as_str()),
        "the official printed in the second block"
    );
    assert_eq!(l.waiting_position_id.as_deref(), Some(w.co_position.as_str()));
    let (first, public_id) = document(&store, &id).await;
    let anchors = store.trust_anchors().await.unwrap();
    let v1 = tte::verify_pdf(&first, &anchors);
    assert!(v1.is_valid() && v1.signatures.len() == 1, "{:?}", v1.overall);
    assert_eq!(
        inbox_count(&store, &w.head, subject).await,
        0,
        "nothing delivered before the second signature"
    );
    // Between the signatures the file is not a finished document, anywhere it is checked.
    let r = store.verify_upload(&first).await.unwrap();
    assert_eq!(r.outcome, VerifyOutcome::Invalid);
    assert!(
        r.message_id.contains("menunggu tanda tangan elektronik kedua")
            && r.message_id.contains(&w.head.name),
        "{}",
        r.message_id
    );
    let page = store.public_document(&public_id).await.unwrap().unwrap();
    assert_eq!((page.signatures.len(), page.voided.clone()), (1, None));
    assert_eq!(page.pending_signers.len(), 1);
    assert!(page.pending_signers[0].contains(&w.head.name), "{:?}", page.pending_signers);
    assert!(
        store.public_document_pdf(&public_id).await.unwrap().is_none(),
        "no download before it is complete"
    );
    // It waits in the co-signer's Perlu Paraf (and nobody else's), in the drafter's Dalam Proses,
    // and nobody can change the text any more.
    let item = listed(&store, &w.head, ListTab::PerluParaf, &id)
        .await
        .expect("in the co-signer's Perlu Paraf");
    assert_eq!(
        (item.state, item.state_label.as_str()),
        (LetterState::CoSigning, "Menunggu TTE kedua")
    );
    assert!(listed(&store, &w.kadis, ListTab::PerluParaf, &id).await.is_none());
    assert!(listed(&store, &w.staf, ListTab::DalamProses, &id).await.is_some());
    let e = store
        .save_letter(
            &w.head,
            None,
            &id,
            "edit-after-first-signature",
            v,
            &draft(&w, "Diubah", Some(&w.co_position)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403);
    let detail = store.letter_detail(&w.head, &id).await.unwrap();
    assert!(
        detail.allowed.sign
            && detail.allowed.ret
            && !detail.allowed.edit
            && !detail.allowed.withdraw,
        "{:?}",
        detail.allowed
    );
    let stop = detail.chain.last().unwrap();
    assert!(
        stop.is_co_signer
            && stop.status == StopStatus::Current
            && stop.holder.as_deref() == Some(w.head.name.as_str()),
        "{stop:?}"
    );
    assert_eq!(detail.co_signer.as_ref().map(|c| c.opd_name.as_str()), Some("Bappeda"));
    let drafter_view = store.letter_detail(&w.staf, &id).await.unwrap();
    assert!(drafter_view.allowed.withdraw && !drafter_view.allowed.sign);
    // The signer cannot sign twice; the co-signer's wrong passphrase changes nothing.
    assert_eq!(
        store
            .sign_letter(&w.kadis, None, &id, v, &signer, &creds(PASS_KADIS))
            .await
            .unwrap_err()
            .status(),
        403
    );
    let e = store
        .sign_letter(&w.head, None, &id, v, &signer, &creds("bukan passphrase saya"))
        .await
        .unwrap_err();
    assert!(e.to_string().starts_with("Passphrase salah."), "{e}");
    assert_eq!(store.get_letter(&id).await.unwrap().state, LetterState::CoSigning);

    // The co-signer signs: an incremental update that keeps the first signature, then delivery.
    assert_eq!(
        store.sign_letter(&w.head, None, &id, v, &signer, &creds(PASS_BAPPEDA)).await.unwrap(),
        LetterState::Signed
    );
    let (both, public_id2) = document(&store, &id).await;
    assert_eq!(public_id2, public_id, "one document, one verification page");
    assert!(
        both.len() > first.len() && both.starts_with(&first),
        "the once-signed bytes are kept as they were"
    );
    let v2 = tte::verify_pdf(&both, &anchors);
    assert!(v2.is_valid(), "{:?}", v2.overall);
    assert_eq!(v2.signatures.len(), 2);
    assert!(!v2.signatures[0].covers_whole_file && v2.signatures[1].covers_whole_file);
    assert_eq!(v2.signatures[0].signer.common_name.as_deref(), Some(w.kadis.name.as_str()));
    assert_eq!(v2.signatures[1].signer.common_name.as_deref(), Some(w.head.name.as_str()));
    assert!(
        v2.signatures.iter().all(|s| s.timestamp.as_ref().is_some_and(|t| t.valid)),
        "both time-stamped (B-T)"
    );
    let r = store.verify_upload(&both).await.unwrap();
    assert_eq!(r.outcome, VerifyOutcome::Valid, "{r:?}");
    assert!(
        r.issued_here
            && !r.modified_after_signing
            && r.signatures.len() == 2
            && r.signatures.iter().all(|s| s.valid_at_signing && s.status_now == "aktif")
    );
    let page = store.public_document(&public_id).await.unwrap().unwrap();
    assert_eq!(
        page.signatures.iter().map(|s| s.signer_name.clone()).collect::<Vec<_>>(),
        vec![w.kadis.name.clone(), w.head.name.clone()]
    );
    assert!(page.pending_signers.is_empty() && page.voided.is_none());
    assert_eq!(
        store.public_document_pdf(&public_id).await.unwrap().as_deref(),
        Some(both.as_slice())
    );
    let l = store.get_letter(&id).await.unwrap();
    assert_eq!(
        (l.state, l.number.as_deref(), l.waiting_position_id.as_deref()),
        (LetterState::Signed, Some(number.as_str()), None)
    );
    assert_eq!(
        inbox_count(&store, &w.head, subject).await,
        1,
        "delivered once, after the last signature"
    );
    // Work counted for each: the signature, the co-signature and the delivery it completed.
    let kinds =
        |ev: Vec<(String, String, i64)>| ev.into_iter().map(|(k, e, _)| (k, e)).collect::<Vec<_>>();
    let head_work = kinds(store.work_events(&w.head.employee_id, 0, i64::MAX).await.unwrap());
    assert!(head_work.contains(&("letter.cosign".into(), id.clone())), "{head_work:?}");
    assert!(head_work.iter().any(|(k, _)| k == "letter.deliver"), "{head_work:?}");
    assert!(
        kinds(store.work_events(&w.kadis.employee_id, 0, i64::MAX).await.unwrap())
            .contains(&("letter.sign".into(), id.clone()))
    );
    // Both signers find it among their sent letters; the history names the co-signature.
    assert!(listed(&store, &w.head, ListTab::Terkirim, &id).await.is_some());
    assert!(listed(&store, &w.kadis, ListTab::Terkirim, &id).await.is_some());
    let detail = store.letter_detail(&w.staf, &id).await.unwrap();
    assert_eq!(
        detail.history.last().map(|h| (h.action.code(), h.actor_name.as_str())),
        Some(("cosign", w.head.name.as_str()))
    );
    assert!(
        detail.co_signed_ms.is_some() && detail.chain.iter().all(|s| s.status == StopStatus::Done)
    );
    assert_eq!(store.counter_drift().await.unwrap(), Vec::<String>::new());
}
dual_test!(
    co_signed_letter_is_delivered_after_the_second_signature_t,
    co_signed_letter_is_delivered_after_the_second_signature
);

async fn refusal_voids_the_number_and_returns_the_letter(store: Store) {
    let (w, signer) = world_with_pki(&store, "http://127.0.0.1:3000").await;
    let subject = "Kesepakatan yang ditolak";
    let (id, v) = letter_waiting(&store, &w, subject, true).await;
    let chain_len = store.get_letter(&id).await.unwrap().chain.len();
    store.sign_letter(&w.kadis, None, &id, v, &signer, &creds(PASS_KADIS)).await.unwrap();
    let first_number = store.get_letter(&id).await.unwrap().number.unwrap();
    let (first, public_id) = document(&store, &id).await;
    // Refusing needs a note; only the co-signer refuses.
    assert_eq!(
        store
            .act_on_letter(&w.head, None, &id, v, Action::Return { note: "  ".into() })
            .await
            .unwrap_err()
            .status(),
        422
    );
    assert_eq!(
        store
            .act_on_letter(&w.kadis, None, &id, v, Action::Return { note: "batal".into() })
            .await
            .unwrap_err()
            .status(),
        403
    );
    let note = "Angka pada tabel belum sesuai data Bappeda";
    assert_eq!(
        store
            .act_on_letter(&w.head, None, &id, v, Action::Return { note: note.into() })
            .await
            .unwrap(),
        LetterState::Returned { by_step: chain_len }
    );
    let l = store.get_letter(&id).await.unwrap();
    assert_eq!((l.number, l.co_signer_id, l.waiting_position_id), (None, None, None));
    assert!(listed(&store, &w.staf, ListTab::Draf, &id).await.is_some(), "back with the drafter");
    assert_eq!(inbox_count(&store, &w.head, subject).await, 0);
    // The number stays used and is shown as void; the once-signed document says it was cancelled.
    let detail = store.letter_detail(&w.staf, &id).await.unwrap();
    assert_eq!(detail.void_numbers.len(), 1);
    assert!(
        detail.void_numbers[0].starts_with(&first_number) && detail.void_numbers[0].contains(note),
        "{:?}",
        detail.void_numbers
    );
    assert_eq!(
        detail.history.last().map(|h| (h.action.code(), h.note.as_str())),
        Some(("return", note))
    );
    assert!(!detail.has_document);
    let page = store.public_document(&public_id).await.unwrap().unwrap();
    assert!(page.voided.as_deref().is_some_and(|r| r.contains(note)), "{:?}", page.voided);
    assert!(store.public_document_pdf(&public_id).await.unwrap().is_none());
    let r = store.verify_upload(&first).await.unwrap();
    assert_eq!(r.outcome, VerifyOutcome::Invalid);
    assert!(
        r.message_id.contains("dibatalkan") && r.public_id.as_deref() == Some(public_id.as_str()),
        "{}",
        r.message_id
    );
    // The drafter resubmits; the chain initials again, the signer signs anew with the next number.
    approve_to_signer(&store, &w, &id, v).await;
    assert_eq!(
        store.sign_letter(&w.kadis, None, &id, v, &signer, &creds(PASS_KADIS)).await.unwrap(),
        LetterState::CoSigning
    );
    let second_number = store.get_letter(&id).await.unwrap().number.unwrap();
    let seq = |n: &str| n.split('/').nth(1).unwrap().parse::<i64>().unwrap();
    assert_eq!(
        seq(&second_number),
        seq(&first_number) + 1,
        "{first_number} then {second_number}: never reused, never skipped silently"
    );
    assert_eq!(
        store.sign_letter(&w.head, None, &id, v, &signer, &creds(PASS_BAPPEDA)).await.unwrap(),
        LetterState::Signed
    );
    let (pdf, new_public_id) = document(&store, &id).await;
    assert_ne!(new_public_id, public_id);
    assert_eq!(store.verify_upload(&pdf).await.unwrap().outcome, VerifyOutcome::Valid);
    assert_eq!(inbox_count(&store, &w.head, subject).await, 1);
    assert_eq!(store.counter_drift().await.unwrap(), Vec::<String>::new());
}
dual_test!(
    refusal_voids_the_number_and_returns_the_letter_t,
    refusal_voids_the_number_and_returns_the_letter
);

async fn the_co_signer_is_checked(store: Store) {
    let w = world(&store).await;
    let refused = |e: backend::BackendError, needle: &str| {
        assert_eq!(e.status(), 422, "{e}");
        assert!(e.to_string().contains(needle), "{e}");
    };
    // The signer (the head of the drafter's OPD, by default) cannot also co-sign.
    let kadis_position = store.head_position(&w.staf.opd_id).await.unwrap();
    let e = store
        .create_letter(&w.staf, None, "c-1", &draft(&w, "Surat", Some(&kadis_position)))
        .await
        .unwrap_err();
    refused(e, "tidak boleh sama dengan penanda tangan utama");
    let e = store
        .create_letter(&w.staf, None, "c-2", &draft(&w, "Surat", Some("jabatan-yang-tidak-ada")))
        .await
        .unwrap_err();
    refused(e, "tidak ditemukan di direktori");
    // A staff position does not sign letters.
    let staff_position = w.staf.positions[0].position_id.clone();
    let e = store
        .create_letter(&w.staf, None, "c-3", &draft(&w, "Surat", Some(&staff_position)))
        .await
        .unwrap_err();
    refused(e, "tidak dapat menjadi penanda tangan kedua");
    // The picker offers officials who may sign, found by OPD, name or position; not staff.
    let found = store.search_co_signers(&w.staf, "bappeda", 10).await.unwrap();
    let head =
        found.iter().find(|o| o.position_id == w.co_position).expect("Kepala Bappeda offered");
    assert_eq!(
        (head.holder_name.as_deref(), head.opd_name.as_str()),
        (Some(w.head.name.as_str()), "Bappeda")
    );
    assert!(!store.search_co_signers(&w.staf, "suharto", 10).await.unwrap().is_empty());
    assert!(
        store.search_co_signers(&w.staf, "Putri", 10).await.unwrap().is_empty(),
        "staff are not offered"
    );
    assert!(store.search_co_signers(&w.staf, "x", 10).await.unwrap().is_empty());
    // A valid co-signer is kept with the draft and can be changed or removed while it is the drafter's.
    let (id, _) = store
        .create_letter(&w.staf, None, "c-4", &draft(&w, "Surat bersama", Some(&w.co_position)))
        .await
        .unwrap();
    assert_eq!(
        store.letter_content(&id, 1).await.unwrap().co_signer_position_id.as_deref(),
        Some(w.co_position.as_str())
    );
    store
        .save_letter(&w.staf, None, &id, "c-5", 1, &draft(&w, "Surat bersama", None))
        .await
        .unwrap();
    assert_eq!(store.get_letter(&id).await.unwrap().co_signer_position_id, None);
    store
        .save_letter(
            &w.staf,
            None,
            &id,
            "c-6",
            2,
            &draft(&w, "Surat bersama", Some(&w.co_position)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.letter_detail(&w.staf, &id).await.unwrap().co_signer.map(|c| c.position_id),
        Some(w.co_position.clone())
    );
    // The co-signer leaves before the letter is submitted: submitting says what to do.
    sqlx::query("UPDATE employee SET active = 0 WHERE id = $1")
        .bind(&w.head.employee_id)
        .execute(&store.pool)
        .await
        .unwrap();
    let e = store.act_on_letter(&w.staf, None, &id, 3, Action::Submit).await.unwrap_err();
    refused(e, "sedang kosong");
    sqlx::query("UPDATE employee SET active = 1 WHERE id = $1")
        .bind(&w.head.employee_id)
        .execute(&store.pool)
        .await
        .unwrap();
    assert!(matches!(
        store.act_on_letter(&w.staf, None, &id, 3, Action::Submit).await.unwrap(),
        LetterState::Review { .. }
    ));
}
dual_test!(the_co_signer_is_checked_t, the_co_signer_is_checked);

async fn batch_signing_covers_co_signatures(store: Store) {
    let (w, signer) = world_with_pki(&store, "http://127.0.0.1:3000").await;
    let a = letter_waiting(&store, &w, "Surat bersama A", true).await;
    let b = letter_waiting(&store, &w, "Surat bersama B", true).await;
    let plain = letter_waiting(&store, &w, "Surat biasa", false).await;
    // One passphrase entry for the three: the joint ones wait for the co-signer, the other is done.
    let done = store
        .sign_letters(
            &w.kadis,
            None,
            &[a.clone(), b.clone(), plain.clone()],
            &signer,
            &creds(PASS_KADIS),
        )
        .await
        .unwrap();
    let labels: Vec<_> = done.iter().map(|(_, r)| r.clone().unwrap()).collect();
    assert_eq!(labels, vec!["Menunggu TTE kedua", "Menunggu TTE kedua", "Ditandatangani"]);
    // The co-signer signs both at once; a letter that is not theirs is refused on its own.
    let done = store
        .sign_letters(
            &w.head,
            None,
            &[a.clone(), plain.clone(), b.clone()],
            &signer,
            &creds(PASS_BAPPEDA),
        )
        .await
        .unwrap();
    assert!(done[0].1.is_ok() && done[1].1.is_err() && done[2].1.is_ok(), "{done:?}");
    let anchors = store.trust_anchors().await.unwrap();
    for (id, _) in [&a, &b] {
        let (pdf, _) = document(&store, id).await;
        let v = tte::verify_pdf(&pdf, &anchors);
        assert!(v.is_valid() && v.signatures.len() == 2, "{id}: {:?}", v.overall);
        assert_eq!(store.get_letter(id).await.unwrap().state, LetterState::Signed);
    }
    assert_eq!(store.counter_drift().await.unwrap(), Vec::<String>::new());
}
dual_test!(batch_signing_covers_co_signatures_t, batch_signing_covers_co_signatures);

/// Without a certificate signer (approval only) the co-signer approves the same way, and a letter
/// withdrawn while the co-signature is pending gives up its number too.
async fn approval_only_and_withdrawal(store: Store) {
    let w = world(&store).await;
    let (id, v) = letter_waiting(&store, &w, "Persetujuan bersama", true).await;
    assert_eq!(
        store
            .sign_letter(&w.kadis, None, &id, v, &ApprovalOnly, &SignCredentials::default())
            .await
            .unwrap(),
        LetterState::CoSigning
    );
    let (first, _) = document(&store, &id).await;
    assert_eq!(
        store.act_on_letter(&w.head, None, &id, v, Action::Sign).await.unwrap(),
        LetterState::Signed
    );
    let (after, _) = document(&store, &id).await;
    assert_eq!(after, first, "nothing to add without a certificate");
    assert_eq!(inbox_count(&store, &w.head, "Persetujuan bersama").await, 1);

    let (id, v) = letter_waiting(&store, &w, "Ditarik sebelum TTE kedua", true).await;
    store.act_on_letter(&w.kadis, None, &id, v, Action::Sign).await.unwrap();
    let number = store.get_letter(&id).await.unwrap().number.unwrap();
    assert_eq!(
        store.act_on_letter(&w.staf, None, &id, v, Action::Withdraw).await.unwrap(),
        LetterState::Withdrawn
    );
    let l = store.get_letter(&id).await.unwrap();
    assert_eq!((l.number, l.waiting_position_id), (None, None));
    let void = store.void_numbers(&id).await.unwrap();
    assert_eq!(void.len(), 1);
    assert_eq!(void[0].0, number);
    assert!(void[0].1.contains("ditarik"), "{:?}", void[0]);
    assert!(listed(&store, &w.head, ListTab::PerluParaf, &id).await.is_none());
    assert_eq!(store.counter_drift().await.unwrap(), Vec::<String>::new());
}
dual_test!(approval_only_and_withdrawal_t, approval_only_and_withdrawal);

// --- External validators on a co-signed letter (SQLite) ---------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validators_accept_a_co_signed_letter() {
    let tools = (
        which("pdfsig"),
        which("certutil"),
        pyhanko(),
        which("zbarimg"),
        which("pdftoppm"),
        which("pdftotext"),
    );
    let require = std::env::var("TTE_REQUIRE_VALIDATORS").is_ok_and(|v| !v.is_empty() && v != "0");
    let (
        Some(pdfsig),
        Some(certutil),
        Some(pyhanko),
        Some(zbarimg),
        Some(pdftoppm),
        Some(pdftotext),
    ) = tools.clone()
    else {
        let msg = format!(
            "validators missing (pdfsig, certutil, pyhanko, zbarimg, pdftoppm, pdftotext): {tools:?}; run tte/scripts/install-validators.sh"
        );
        if require {
            panic!("TTE_REQUIRE_VALIDATORS is set but {msg}");
        }
        eprintln!("\n!!!!!!!!!! SKIPPED: {msg} !!!!!!!!!!\n");
        return;
    };
    let db = crate::common::TestDb::sqlite().await;
    let store = db.store.clone();
    let pemda_cell = std::sync::Arc::new(std::sync::OnceLock::new());
    let base = serve_crl(store.clone(), pemda_cell.clone()).await;
    let (w, signer) = world_with_pki(&store, &base).await;
    let _ = pemda_cell.set(w.kadis.pemda_id.clone());
    let (id, v) = letter_waiting(&store, &w, "Kesepakatan untuk validator", true).await;
    store.sign_letter(&w.kadis, None, &id, v, &signer, &creds(PASS_KADIS)).await.unwrap();
    store.sign_letter(&w.head, None, &id, v, &signer, &creds(PASS_BAPPEDA)).await.unwrap();
    let (pdf, public_id) = document(&store, &id).await;

    let dir = std::env::temp_dir().join(format!("eoffice-cosign-{}", backend::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("surat-bersama.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let root_pem = dir.join("root.pem");
    std::fs::write(&root_pem, store.root_pem(&w.kadis.pemda_id).await.unwrap()).unwrap();
    let nss = dir.join("nssdb");
    std::fs::create_dir_all(&nss).unwrap();
    let spec = format!("sql:{}", nss.display());
    run(Command::new(&certutil).args(["-N", "--empty-password", "-d", &spec]));
    run(Command::new(&certutil)
        .args(["-A", "-n", "eoffice-test-root", "-t", "CT,C,C", "-i"])
        .arg(&root_pem)
        .args(["-d", &spec]));

    // pdfsig: both signatures valid; the first covers the file as it was when signed (so it is no
    // longer the whole document), the last covers the whole file.
    let plain = run(Command::new(&pdfsig).arg(&file));
    eprintln!("===== pdfsig =====\n{plain}");
    assert_eq!(plain.matches("Signature is Valid").count(), 2, "{plain}");
    assert_eq!(plain.matches("ETSI.CAdES.detached").count(), 2, "{plain}");
    let parts: Vec<&str> = plain.split("Signature #").skip(1).collect();
    assert_eq!(parts.len(), 2, "{plain}");
    assert!(
        parts[0].contains("Not total document signed") && parts[0].contains(&w.kadis.name),
        "{plain}"
    );
    assert!(
        parts[1].contains("Total document signed")
            && !parts[1].contains("Not total document signed")
            && parts[1].contains(&w.head.name),
        "{plain}"
    );
    let trusted = run(Command::new(&pdfsig).args(["-nssdir", &spec]).arg(&file));
    eprintln!("===== pdfsig -nssdir =====\n{trusted}");
    assert_eq!(trusted.matches("Certificate is Trusted").count(), 2, "{trusted}");

    // pyHanko: both intact and trusted with trusted time stamps; the last one untouched.
    let short = run(Command::new(&pyhanko)
        .args(["sign", "validate", "--trust-replace", "--trust"])
        .arg(&root_pem)
        .arg(&file));
    eprintln!("===== pyhanko =====\n{short}");
    let lines: Vec<&str> = short
        .lines()
        .filter(|l| l.contains(":INTACT") || l.contains("INVALID") || l.contains("UNTRUSTED"))
        .collect();
    assert_eq!(lines.len(), 2, "{short}");
    assert!(lines.iter().all(|l| l.contains(":INTACT:TRUSTED") && l.contains("TIMESTAMP_TOKEN<INTACT:TRUSTED>")), "{short}");
    assert!(lines[1].trim_end().ends_with("UNTOUCHED"), "{short}");
    let pretty = run(Command::new(&pyhanko)
        .args(["sign", "validate", "--pretty-print", "--trust-replace", "--trust"])
        .arg(&root_pem)
        .arg(&file));
    eprintln!("===== pyhanko --pretty-print =====\n{pretty}");
    assert_eq!(pretty.matches("The signature is judged VALID").count(), 2, "{pretty}");

    // Both signature blocks are on the page, each with the QR code of the verification page.
    let text = run(Command::new(&pdftotext).arg(&file).arg("-"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(&w.kadis.name)
            && text.contains(&w.head.name)
            && text.matches("Ditandatangani").count() == 2,
        "{text}"
    );
    let prefix = dir.join("page");
    run(Command::new(&pdftoppm)
        .args(["-r", "150", "-png", "-f", "1", "-l", "1"])
        .arg(&file)
        .arg(&prefix));
    let png = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("page image");
    let qr = Command::new(&zbarimg).args(["-q", "--raw"]).arg(&png).output().expect("run zbarimg");
    let qr = String::from_utf8_lossy(&qr.stdout).to_string();
    eprintln!("===== zbarimg =====\n{qr}");
    let url = format!("{base}/verifikasi/{public_id}");
    assert_eq!(
        qr.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>(),
        vec![url.as_str(), url.as_str()],
        "{qr}"
    );
    if std::env::var_os("TTE_KEEP_DIR").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    db.cleanup().await;
}
