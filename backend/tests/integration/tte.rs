//! Electronic signature through the real letter flow, on SQLite and PostgreSQL (fresh database each):
//! the PKI, enrolment and activation, signing with the passphrase, verification, revocation, the
//! rate limit, batch signing, confidential letters, a remote BSrE-style signer, and (SQLite only) the
//! external validators pdfsig, pyHanko and zbarimg on a rendered and signed letter.
//! Keys are generated for each test; nothing secret is committed.

use crate::common::codes::*;
use crate::common::{pyhanko, run, serve_crl, user, which};
use backend::Store;
use backend::seed::seed_demo;
use backend::sign::{LetterSigner, LocalCaSigner, RemoteConfig, RemoteSigner, SignCredentials};
use backend::store::Actor;
use domain::letter::{Action, LetterDraft, LetterState, Recipient};
use domain::letter_body::LetterBody;
use domain::model::SessionUser;
use domain::tte::{CertStatus, RevocationReason, VerifyOutcome};
use sqlx::Row;
use std::process::Command;

const PASS: &str = "gunung bromo 2026";
const KADIS: &str = "bambang.sutrisno@bojonegorokab.go.id";
const ADMIN: &str = "arif.setiawan@bojonegorokab.go.id";
const STAF: &str = "putri.ayu@bojonegorokab.go.id";

/// Demo data, a master secret in memory, the PKI, and the Kepala Dinas with an active certificate.
async fn setup(store: &Store, public_base: &str) -> (SessionUser, SessionUser, LocalCaSigner) {
    seed_demo(store).await.unwrap();
    store.set_pki_master(Some(backend::random_token(32)));
    store.set_public_base(public_base);
    let admin = user(store, ADMIN).await;
    let status = store.init_pki(&Actor::system(), &admin.pemda_id).await.unwrap();
    assert!(status.initialised && status.root_subject.contains("Root CA e-Office"), "{status:?}");
    assert_eq!(status.crl_url, format!("{public_base}/pki/crl"));
    // A second init is refused.
    assert_eq!(store.init_pki(&Actor::system(), &admin.pemda_id).await.unwrap_err().status(), 409);
    let kadis = user(store, KADIS).await;
    let enrolled = store.enrol_certificate(&admin, None, &kadis.employee_id, 365).await.unwrap();
    assert_eq!(enrolled.status, CertStatus::MenungguPassphrase);
    assert!(enrolled.serial_hex.is_empty());
    let active = store.activate_certificate(&kadis, None, PASS, PASS).await.unwrap();
    assert_eq!(active.status, CertStatus::Aktif);
    assert_eq!(active.serial_hex.len(), 32);
    assert!(active.issuer.starts_with("Issuing CA e-Office"), "{}", active.issuer);
    let signer = LocalCaSigner::new(public_base, active.issuer.clone());
    (admin, kadis, signer)
}

fn draft(bappeda: &str, sifat: &str, subject: &str) -> LetterDraft {
    LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat: Sifat::from_code(sifat).unwrap(),
        urgency: Urgency::Segera,
        subject: subject.into(),
        attachment_count: 0,
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
            "Dengan hormat,\n\nKami memohon data pembangunan tahun berjalan untuk penyusunan laporan.",
        ),
        reply_to_incoming_id: None,
    }
}

/// A letter drafted by the staff member and initialled along its chain, now waiting for the
/// Kepala Dinas to sign. Returns (id, version).
async fn letter_waiting_for_signature(store: &Store, sifat: &str, subject: &str) -> (String, i64) {
    let staf = user(store, STAF).await;
    let bappeda = crate::common::bappeda_id(store, &staf.pemda_id).await;
    let (id, _) = store
        .create_letter(&staf, None, &backend::new_id(), &draft(&bappeda, sifat, subject))
        .await
        .unwrap();
    let mut state = store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    while let LetterState::Review { .. } = state {
        let l = store.get_letter(&id).await.unwrap();
        let pos = l.waiting_position_id.clone().unwrap();
        let holder = store.holders_of(&pos).await.unwrap().remove(0);
        let u = store.session_user(&holder.id, backend::today_wib()).await.unwrap();
        state = store.act_on_letter(&u, None, &id, l.version, Action::Approve).await.unwrap();
    }
    assert_eq!(state, LetterState::Signing);
    (id.clone(), store.get_letter(&id).await.unwrap().version)
}

fn creds(pass: &str) -> SignCredentials {
    SignCredentials { passphrase: Some(pass.into()), invisible: false }
}

async fn document(store: &Store, letter_id: &str) -> (Vec<u8>, String, String) {
    let r =
        sqlx::query("SELECT pdf, public_id, signer_kind FROM letter_document WHERE letter_id = $1")
            .bind(letter_id)
            .fetch_one(&store.pool)
            .await
            .unwrap();
    (r.try_get("pdf").unwrap(), r.try_get("public_id").unwrap(), r.try_get("signer_kind").unwrap())
}

async fn sign_verify_and_tamper(store: Store) {
    let (_, kadis, signer) = setup(&store, "https://eoffice.bojonegorokab.go.id").await;
    let (id, v) =
        letter_waiting_for_signature(&store, "biasa", "Permohonan data pembangunan").await;
    // No passphrase: refused, letter untouched.
    let e = store
        .sign_letter(&kadis, None, &id, v, &signer, &SignCredentials::default())
        .await
        .unwrap_err();
    assert_eq!((e.status(), e.to_string().as_str()), (422, "Masukkan passphrase TTE Anda."));
    assert_eq!(store.get_letter(&id).await.unwrap().number, None);
    assert_eq!(
        store.sign_letter(&kadis, None, &id, v, &signer, &creds(PASS)).await.unwrap(),
        LetterState::Signed
    );
    let (pdf, public_id, kind) = document(&store, &id).await;
    assert_eq!(kind, "local-ca");
    let report = store.verify_upload(&pdf).await.unwrap();
    assert_eq!(report.outcome, VerifyOutcome::Valid, "{report:?}");
    assert!(report.issued_here && !report.modified_after_signing);
    assert_eq!(report.public_id.as_deref(), Some(public_id.as_str()));
    let s = &report.signatures[0];
    assert_eq!(s.signer_name, kadis.name);
    assert_eq!(s.signer_nip, kadis.nip);
    assert!(s.intact && s.trusted && s.timestamped && s.valid_at_signing, "{s:?}");
    assert_eq!(s.status_now, "aktif");
    assert!(s.issuer.starts_with("Issuing CA e-Office"));
    // The public page of the QR code.
    let page = store.public_document(&public_id).await.unwrap().unwrap();
    assert!(!page.confidential);
    assert_eq!(page.subject, "Permohonan data pembangunan");
    assert!(page.number.starts_with("000.5.6.2/"));
    assert_eq!(page.signer_name, kadis.name);
    assert_eq!(page.signer_kind, "local-ca");
    assert!(page.downloadable);
    assert_eq!(store.public_document_pdf(&public_id).await.unwrap().as_deref(), Some(&pdf[..]));
    assert!(store.public_document("tidak-ada").await.unwrap().is_none());
    // Had it been Terbatas: the page still names and judges it, but the link downloads nothing.
    let set_sifat = |s: &'static str| {
        sqlx::query("UPDATE letter SET sifat = $1 WHERE id = $2").bind(s).bind(id.clone())
    };
    set_sifat("terbatas").execute(&store.pool).await.unwrap();
    let page = store.public_document(&public_id).await.unwrap().unwrap();
    assert!(!page.downloadable && !page.confidential && !page.subject.is_empty());
    assert!(store.public_document_pdf(&public_id).await.unwrap().is_none());
    set_sifat("biasa").execute(&store.pool).await.unwrap();
    // The QR code's URL is in the PDF as an image; the footer names the issuer and the page.
    // A changed byte anywhere in the signed range makes it invalid and "changed".
    let mut bad = pdf.clone();
    let at = pdf.len() / 3;
    bad[at] ^= 0x01;
    let r = store.verify_upload(&bad).await.unwrap();
    assert_eq!(r.outcome, VerifyOutcome::Invalid, "{r:?}");
    assert!(r.modified_after_signing && !r.issued_here);
    // A thousand single-byte changes at random places: every one is caught.
    {
        use rand::{Rng, SeedableRng};
        let anchors = store.trust_anchors().await.unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
        for _ in 0..1000 {
            let mut c = pdf.clone();
            let at = rng.gen_range(0..c.len());
            c[at] ^= rng.gen_range(1..=255u8);
            assert!(!tte::verify_pdf(&c, &anchors).is_valid(), "flip at {at} not detected");
        }
    }
    // An appended update is a change after signing.
    let mut appended = pdf.clone();
    appended.extend_from_slice(b"\n1 0 obj\n<< >>\nendobj\n");
    assert_eq!(store.verify_upload(&appended).await.unwrap().outcome, VerifyOutcome::Invalid);
    // Truncated.
    assert_ne!(
        store.verify_upload(&pdf[..pdf.len() / 2]).await.unwrap().outcome,
        VerifyOutcome::Valid
    );
    // Not a PDF, and a PDF without signature.
    let r = store.verify_upload(b"hello, not a pdf").await.unwrap();
    assert_eq!(r.outcome, VerifyOutcome::NotPdf);
    assert!(!r.message_id.is_empty() && !r.message_en.is_empty());
    let unsigned = backend::render::render_letter(&backend::render::LetterDocument {
        hal: "x".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(store.verify_upload(&unsigned).await.unwrap().outcome, VerifyOutcome::NoSignature);
    assert_eq!(store.verify_upload(b"").await.unwrap().outcome, VerifyOutcome::NotPdf);
    // CRL and root.
    let crl = store.crl_der(&kadis.pemda_id, 1).await.unwrap().unwrap();
    assert_eq!(crl[0], 0x30);
    assert!(
        store.root_pem(&kadis.pemda_id).await.unwrap().starts_with("-----BEGIN CERTIFICATE-----")
    );
}
dual_test!(sign_verify_and_tamper_t, sign_verify_and_tamper);

async fn wrong_passphrase_is_rate_limited(store: Store) {
    let (_, kadis, signer) = setup(&store, "http://127.0.0.1:3000").await;
    let (id, v) = letter_waiting_for_signature(&store, "biasa", "Undangan rapat").await;
    for left in (0..5).rev() {
        let e = store
            .sign_letter(&kadis, None, &id, v, &signer, &creds("bukan passphrase saya"))
            .await
            .unwrap_err();
        assert_eq!(e.status(), 422, "{e}");
        assert!(e.to_string().starts_with("Passphrase salah."), "{e}");
        if left > 0 {
            assert!(e.to_string().contains(&format!("Sisa percobaan: {left}.")), "{e}");
        }
    }
    // Sixth try, even with the right passphrase: paused, with the wait in minutes.
    let e = store.sign_letter(&kadis, None, &id, v, &signer, &creds(PASS)).await.unwrap_err();
    assert_eq!(e.status(), 429);
    assert!(e.to_string().starts_with("Terlalu banyak percobaan; coba lagi dalam 15 menit"), "{e}");
    let l = store.get_letter(&id).await.unwrap();
    assert_eq!((l.state, l.number), (LetterState::Signing, None), "nothing consumed");
    // The pause ends by itself: age the attempts past the window.
    sqlx::query("UPDATE passphrase_attempt SET at_ms = at_ms - 16 * 60 * 1000")
        .execute(&store.pool)
        .await
        .unwrap();
    assert_eq!(
        store.sign_letter(&kadis, None, &id, v, &signer, &creds(PASS)).await.unwrap(),
        LetterState::Signed
    );
}
dual_test!(wrong_passphrase_is_rate_limited_t, wrong_passphrase_is_rate_limited);

async fn revocation(store: Store) {
    let (admin, kadis, signer) = setup(&store, "http://127.0.0.1:3000").await;
    let (id, v) = letter_waiting_for_signature(&store, "biasa", "Laporan kegiatan").await;
    store.sign_letter(&kadis, None, &id, v, &signer, &creds(PASS)).await.unwrap();
    let (pdf, public_id, _) = document(&store, &id).await;
    let cert = store.my_certificate(&kadis).await.unwrap().unwrap();
    // Only the Admin Pemda revokes.
    assert_eq!(
        store
            .revoke_certificate(&kadis, None, &cert.id, RevocationReason::KeyCompromise)
            .await
            .unwrap_err()
            .status(),
        403
    );
    let revoked = store
        .revoke_certificate(&admin, None, &cert.id, RevocationReason::KeyCompromise)
        .await
        .unwrap();
    assert_eq!(revoked.status, CertStatus::Dicabut);
    assert_eq!(revoked.revoked_reason, Some(RevocationReason::KeyCompromise));
    let told = store.notifications(&kadis).await.unwrap();
    assert!(
        told.iter().any(|n| n.kind == "tte_revoked" && n.text.contains("kunci bocor")),
        "revoked silently: {told:?}"
    );
    assert_eq!(
        store
            .revoke_certificate(&admin, None, &cert.id, RevocationReason::KeyCompromise)
            .await
            .unwrap_err()
            .status(),
        409
    );
    // The letter signed before stays valid; its page says the certificate is revoked now.
    let page = store.public_document(&public_id).await.unwrap().unwrap();
    let s = &page.signatures[0];
    assert_eq!(s.status_now, "dicabut");
    assert!(s.valid_at_signing && s.revoked_ms.is_some(), "{s:?}");
    assert_eq!(store.verify_upload(&pdf).await.unwrap().outcome, VerifyOutcome::Valid);
    // The CRL lists the serial.
    let crl = store.crl_der(&kadis.pemda_id, 1).await.unwrap().unwrap();
    let serial = hex::decode(&cert.serial_hex).unwrap();
    assert!(crl.windows(serial.len()).any(|w| w == serial.as_slice()), "serial in CRL");
    // Signing with the revoked certificate is refused, saying what to do.
    let (id2, v2) = letter_waiting_for_signature(&store, "biasa", "Surat kedua").await;
    let e = store.sign_letter(&kadis, None, &id2, v2, &signer, &creds(PASS)).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(
        e.to_string().contains("dicabut")
            && e.to_string().contains("Hubungi Admin Pemda untuk penerbitan ulang"),
        "{e}"
    );
    // Re-issue: enrol again, a new passphrase, and signing works.
    let again = store.enrol_certificate(&admin, None, &kadis.employee_id, 365).await.unwrap();
    assert_eq!(again.status, CertStatus::MenungguPassphrase);
    assert_eq!(
        store.enrol_certificate(&admin, None, &kadis.employee_id, 365).await.unwrap_err().status(),
        409
    );
    store
        .activate_certificate(&kadis, None, "passphrase baru sekali", "passphrase baru sekali")
        .await
        .unwrap();
    assert_eq!(
        store
            .sign_letter(&kadis, None, &id2, v2, &signer, &creds("passphrase baru sekali"))
            .await
            .unwrap(),
        LetterState::Signed
    );
    let list = store.list_certificates(&admin, "bambang", 1).await.unwrap();
    assert_eq!(list.total, 2);
    assert_eq!(list.items[0].status, CertStatus::Aktif);
    assert_eq!(list.items[1].status, CertStatus::Dicabut);
    assert_eq!(store.list_certificates(&admin, "tidak ada orang ini", 1).await.unwrap().total, 0);
    assert_eq!(store.list_certificates(&kadis, "", 1).await.unwrap_err().status(), 403);
}
dual_test!(revocation_t, revocation);

/// Rows of the audit log with this action.
async fn audit_count(store: &Store, action: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Rotating the master secret re-encrypts the CA keys: the old secret stops opening them, the
/// new one does, letters signed before stay valid and officials keep signing with their own keys.
async fn master_rotation(store: Store) {
    let (_, kadis, signer) = setup(&store, "http://127.0.0.1:3000").await;
    let (id, v) = letter_waiting_for_signature(&store, "biasa", "Sebelum rotasi").await;
    store.sign_letter(&kadis, None, &id, v, &signer, &creds(PASS)).await.unwrap();
    let (before_pdf, _, _) = document(&store, &id).await;
    let keys = |store: Store| async move {
        let r = sqlx::query("SELECT root_key, issuing_key, tsa_key, root_cert FROM pki_ca")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        let k: Vec<String> =
            ["root_key", "issuing_key", "tsa_key"].iter().map(|c| r.try_get(*c).unwrap()).collect();
        (k, r.try_get::<Vec<u8>, _>("root_cert").unwrap())
    };
    let (old_keys, root) = keys(store.clone()).await;
    let old = backend::random_token(32);
    // The secret setup gave is not known here: rotate to a known one first.
    let system = Actor::system();
    assert_eq!(store.rotate_pki_master(&system, &old).await.unwrap(), 1);
    // Bad new secrets are refused with a reason, and change nothing.
    for bad in ["pendek", old.as_str()] {
        let e = store.rotate_pki_master(&system, bad).await.unwrap_err();
        assert_eq!(e.status(), 422, "{e}");
    }
    let (kept, _) = keys(store.clone()).await;
    assert_ne!(kept, old_keys);
    // The real rotation.
    let new = backend::random_token(32);
    assert_eq!(store.rotate_pki_master(&system, &new).await.unwrap(), 1);
    let (now_keys, same_root) = keys(store.clone()).await;
    assert_ne!(now_keys, kept);
    assert_eq!(same_root, root, "the certificates do not change");
    let admin = user(&store, ADMIN).await;
    // As after a restart with the old secret: the CA does not open; with the new one it does.
    store.set_pki_master(Some(old.clone()));
    assert!(store.ca_keys(&admin.pemda_id).await.is_err());
    // Rotating from a secret that does not open the keys is refused and changes nothing.
    let e = store.rotate_pki_master(&system, &backend::random_token(32)).await.unwrap_err();
    assert_eq!(e.status(), 422, "{e}");
    assert_eq!(keys(store.clone()).await.0, now_keys);
    store.set_pki_master(Some(new.clone()));
    store.ca_keys(&admin.pemda_id).await.unwrap();
    // Signing goes on, and the letter signed before still verifies.
    let (id2, v2) = letter_waiting_for_signature(&store, "biasa", "Sesudah rotasi").await;
    assert_eq!(
        store.sign_letter(&kadis, None, &id2, v2, &signer, &creds(PASS)).await.unwrap(),
        LetterState::Signed
    );
    let (after_pdf, _, _) = document(&store, &id2).await;
    for pdf in [&before_pdf, &after_pdf] {
        assert_eq!(store.verify_upload(pdf).await.unwrap().outcome, VerifyOutcome::Valid);
    }
    assert_eq!(store.crl_der(&admin.pemda_id, 1).await.unwrap().unwrap()[0], 0x30);
    // Audited, once per rotation.
    assert_eq!(audit_count(&store, "tte.master_rotated").await, 2);
}
dual_test!(master_rotation_t, master_rotation);

/// Renewing the issuing CA: a new generation under the same root. Certificates of the old one
/// keep signing (chained through the old issuing CA) until revoked; new ones come from the new CA
/// with their own CRL address; each generation's CRL lists its own revocations; letters signed
/// before every step stay valid; a later master rotation re-encrypts the retired keys too.
async fn issuing_ca_renewal(store: Store) {
    let (admin, kadis, signer) = setup(&store, "http://127.0.0.1:3000").await;
    let pemda = admin.pemda_id.clone();
    let first_issuer = store.my_certificate(&kadis).await.unwrap().unwrap().issuer;
    let (a, v) = letter_waiting_for_signature(&store, "biasa", "Sebelum pembaruan CA").await;
    store.sign_letter(&kadis, None, &a, v, &signer, &creds(PASS)).await.unwrap();
    let (pdf_a, _, _) = document(&store, &a).await;
    let system = Actor::system();
    let renewed = store.renew_issuing_ca(&system, &pemda, None).await.unwrap();
    assert_eq!((renewed.generation, renewed.revoked), (2, 0));
    assert!(renewed.issuing_subject.contains(" G2"), "{}", renewed.issuing_subject);
    let status = store.pki_status(&pemda).await.unwrap();
    assert_eq!(status.issuing_subject, renewed.issuing_subject);
    assert_eq!(status.crl_url, "http://127.0.0.1:3000/pki/crl/2");
    // The Kepala Dinas's certificate (generation 1) still signs, chained through the old CA.
    let kadis_cert = store.my_certificate(&kadis).await.unwrap().unwrap();
    assert_eq!(kadis_cert.issuer, first_issuer);
    let (b, v) = letter_waiting_for_signature(&store, "biasa", "Sesudah pembaruan CA").await;
    store.sign_letter(&kadis, None, &b, v, &signer, &creds(PASS)).await.unwrap();
    let (pdf_b, _, _) = document(&store, &b).await;
    // A new certificate comes from the new CA, with the new CRL address.
    let sekre = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    store.enrol_certificate(&admin, None, &sekre.employee_id, 365).await.unwrap();
    let sekre_cert = store.activate_certificate(&sekre, None, PASS, PASS).await.unwrap();
    assert!(sekre_cert.issuer.ends_with(" G2"), "{}", sekre_cert.issuer);
    let der: Vec<u8> = sqlx::query("SELECT cert_der FROM signing_cert WHERE id = $1")
        .bind(&sekre_cert.id)
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .try_get("cert_der")
        .unwrap();
    let crl2_url = b"127.0.0.1:3000/pki/crl/2";
    assert!(der.windows(crl2_url.len()).any(|w| w == crl2_url), "CRL address of generation 2");
    // A second renewal that revokes what the earlier generations issued.
    let third =
        store.renew_issuing_ca(&system, &pemda, Some(RevocationReason::Superseded)).await.unwrap();
    assert_eq!((third.generation, third.revoked), (3, 2));
    assert_eq!(store.my_certificate(&kadis).await.unwrap().unwrap().status, CertStatus::Dicabut);
    let told = store.notifications(&kadis).await.unwrap();
    assert!(
        told.iter().any(|n| n.kind == "tte_revoked" && n.text.contains("Issuing CA")),
        "{told:?}"
    );
    let (c, v) = letter_waiting_for_signature(&store, "biasa", "Sesudah pencabutan").await;
    assert_eq!(
        store.sign_letter(&kadis, None, &c, v, &signer, &creds(PASS)).await.unwrap_err().status(),
        403
    );
    // Each generation's CRL lists the certificates it issued and was revoked.
    let has = |crl: &[u8], serial_hex: &str| {
        let serial = hex::decode(serial_hex).unwrap();
        crl.windows(serial.len()).any(|w| w == serial.as_slice())
    };
    let crl1 = store.crl_der(&pemda, 1).await.unwrap().unwrap();
    let crl2 = store.crl_der(&pemda, 2).await.unwrap().unwrap();
    let crl3 = store.crl_der(&pemda, 3).await.unwrap().unwrap();
    assert!(has(&crl1, &kadis_cert.serial_hex) && !has(&crl1, &sekre_cert.serial_hex));
    assert!(has(&crl2, &sekre_cert.serial_hex) && !has(&crl2, &kadis_cert.serial_hex));
    assert!(!has(&crl3, &kadis_cert.serial_hex) && !has(&crl3, &sekre_cert.serial_hex));
    assert!(store.crl_der(&pemda, 9).await.unwrap().is_none());
    // Letters signed before stay valid at signing time.
    for pdf in [&pdf_a, &pdf_b] {
        let r = store.verify_upload(pdf).await.unwrap();
        assert_eq!(r.outcome, VerifyOutcome::Valid, "{r:?}");
        assert!(r.signatures[0].valid_at_signing);
    }
    // The Kepala Dinas enrols again and signs under generation 3.
    store.enrol_certificate(&admin, None, &kadis.employee_id, 365).await.unwrap();
    let again = store.activate_certificate(&kadis, None, PASS, PASS).await.unwrap();
    assert!(again.issuer.ends_with(" G3"), "{}", again.issuer);
    store.sign_letter(&kadis, None, &c, v, &signer, &creds(PASS)).await.unwrap();
    let (pdf_c, _, _) = document(&store, &c).await;
    assert_eq!(store.verify_upload(&pdf_c).await.unwrap().outcome, VerifyOutcome::Valid);
    // A master rotation re-encrypts the retired generations' keys: their CRLs are still made.
    store.rotate_pki_master(&system, &backend::random_token(32)).await.unwrap();
    assert!(has(&store.crl_der(&pemda, 1).await.unwrap().unwrap(), &kadis_cert.serial_hex));
    assert!(has(&store.crl_der(&pemda, 2).await.unwrap().unwrap(), &sekre_cert.serial_hex));
    assert_eq!(audit_count(&store, "tte.ca_renewed").await, 2);
}
dual_test!(issuing_ca_renewal_t, issuing_ca_renewal);

async fn expired_certificate_is_refused(store: Store) {
    let (_, kadis, signer) = setup(&store, "http://127.0.0.1:3000").await;
    sqlx::query("UPDATE signing_cert SET not_after_ms = 1000").execute(&store.pool).await.unwrap();
    assert_eq!(
        store.my_certificate(&kadis).await.unwrap().unwrap().status,
        CertStatus::Kedaluwarsa
    );
    let (id, v) = letter_waiting_for_signature(&store, "biasa", "Surat").await;
    let e = store.sign_letter(&kadis, None, &id, v, &signer, &creds(PASS)).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(
        e.to_string().contains("kedaluwarsa") && e.to_string().contains("penerbitan ulang"),
        "{e}"
    );
    // An expired certificate does not block a new enrolment.
    let admin = user(&store, ADMIN).await;
    assert_eq!(
        store.enrol_certificate(&admin, None, &kadis.employee_id, 30).await.unwrap().status,
        CertStatus::MenungguPassphrase
    );
}
dual_test!(expired_certificate_is_refused_t, expired_certificate_is_refused);

async fn batch_signing(store: Store) {
    let (_, kadis, signer) = setup(&store, "http://127.0.0.1:3000").await;
    let mut items = Vec::new();
    for i in 0..3 {
        items
            .push(letter_waiting_for_signature(&store, "biasa", &format!("Surat nomor {i}")).await);
    }
    // A wrong passphrase fails the whole request before any letter.
    let e = store
        .sign_letters(&kadis, None, &items, &signer, &creds("salah salah salah"))
        .await
        .unwrap_err();
    assert_eq!(e.status(), 422);
    let mut with_bad = items.clone();
    with_bad.insert(1, ("tidak-ada".into(), 1));
    // Another OPD's draft, which the Kepala Dinas may not see, answers like a letter that does not
    // exist, not "not your turn": the batch reads each letter like every other letter read.
    let staf = user(&store, "suharto.wijaya@bojonegorokab.go.id").await;
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let (hidden, _) = store
        .create_letter(&staf, None, &backend::new_id(), &draft(&bappeda, "biasa", "Konsep"))
        .await
        .unwrap();
    assert!(store.visible_letter(&kadis, &hidden).await.is_err(), "another OPD's draft");
    with_bad.push((hidden.clone(), 1));
    let done = store.sign_letters(&kadis, None, &with_bad, &signer, &creds(PASS)).await.unwrap();
    assert_eq!(done.len(), 5);
    assert!(done[1].1.is_err(), "{:?}", done[1]);
    assert_eq!(done[4].1, done[1].1, "hidden letter told apart from a missing one");
    with_bad.pop();
    let done: Vec<_> = done.into_iter().take(4).collect();
    for (id, r) in done.iter().filter(|d| d.0 != "tidak-ada") {
        assert!(r.is_ok(), "{id}: {r:?}");
        let (pdf, _, _) = document(&store, id).await;
        assert_eq!(store.verify_upload(&pdf).await.unwrap().outcome, VerifyOutcome::Valid);
    }
    // Each letter got its own number.
    let mut numbers = Vec::new();
    for (id, _) in &items {
        numbers.push(store.get_letter(id).await.unwrap().number.unwrap());
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 3);
}
dual_test!(batch_signing_t, batch_signing);

async fn confidential_letter_page(store: Store) {
    let (_, kadis, signer) = setup(&store, "http://127.0.0.1:3000").await;
    let (id, v) = letter_waiting_for_signature(&store, "rahasia", "Hasil audit internal").await;
    let invisible = SignCredentials { passphrase: Some(PASS.into()), invisible: true };
    store.sign_letter(&kadis, None, &id, v, &signer, &invisible).await.unwrap();
    let (pdf, public_id, _) = document(&store, &id).await;
    let page = store.public_document(&public_id).await.unwrap().unwrap();
    assert!(page.confidential);
    assert_eq!((page.subject.as_str(), page.number.as_str()), ("", ""));
    assert_eq!(page.signatures.len(), 1);
    assert!(page.signatures[0].valid_at_signing);
    assert!(store.public_document_pdf(&public_id).await.unwrap().is_none());
    // The invisible signature verifies like the visible one.
    assert_eq!(store.verify_upload(&pdf).await.unwrap().outcome, VerifyOutcome::Valid);
}
dual_test!(confidential_letter_page_t, confidential_letter_page);

async fn enrolment_and_passphrase_rules(store: Store) {
    let (admin, kadis, _) = setup(&store, "http://127.0.0.1:3000").await;
    let staf = user(&store, STAF).await;
    // Only the Admin Pemda enrols; validity is bounded; one live certificate per official.
    assert_eq!(
        store.enrol_certificate(&staf, None, &staf.employee_id, 365).await.unwrap_err().status(),
        403
    );
    assert_eq!(
        store.enrol_certificate(&admin, None, &staf.employee_id, 0).await.unwrap_err().status(),
        422
    );
    let e = store.enrol_certificate(&admin, None, &kadis.employee_id, 365).await.unwrap_err();
    assert_eq!(e.status(), 409);
    assert!(e.to_string().contains("Cabut dulu"), "{e}");
    // Not enrolled yet.
    assert_eq!(
        store.activate_certificate(&staf, None, PASS, PASS).await.unwrap_err().status(),
        404
    );
    store.enrol_certificate(&admin, None, &staf.employee_id, 365).await.unwrap();
    // The person is told, and only the person sets the passphrase (the admin has nothing to set).
    let told = store.notifications(&staf).await.unwrap();
    assert!(
        told.iter().any(|n| n.kind == "tte_enrolled" && n.text.contains(&admin.name)),
        "{told:?}"
    );
    assert_eq!(
        store.activate_certificate(&admin, None, PASS, PASS).await.unwrap_err().status(),
        404
    );
    for (p, c, needle) in [
        ("pendek", "pendek", "minimal 10"),
        ("cukup panjang sekali", "cukup panjang sekalI", "Konfirmasi"),
        (&format!("x{}x", staf.nip), &format!("x{}x", staf.nip), "NIP"),
        ("aaaaaaaaaaaa", "aaaaaaaaaaaa", "mudah ditebak"),
        ("eoffice2026", "eoffice2026", "kata sandi login"),
    ] {
        let e = store.activate_certificate(&staf, None, p, c).await.unwrap_err();
        assert_eq!(e.status(), 422, "{p}");
        assert!(e.to_string().contains(needle), "{p}: {e}");
    }
    assert_eq!(
        store.activate_certificate(&staf, None, PASS, PASS).await.unwrap().status,
        CertStatus::Aktif
    );
    assert_eq!(
        store.activate_certificate(&staf, None, PASS, PASS).await.unwrap_err().status(),
        409
    );
    // Change: the old one must be right; afterwards only the new one opens the key.
    assert_eq!(
        store
            .change_certificate_passphrase(
                &kadis,
                None,
                "salah salah salah",
                "baru baru baru 1",
                "baru baru baru 1"
            )
            .await
            .unwrap_err()
            .status(),
        422
    );
    store
        .change_certificate_passphrase(&kadis, None, PASS, "baru baru baru 1", "baru baru baru 1")
        .await
        .unwrap();
    assert!(store.unlock_signing_key(&kadis, None, PASS).await.is_err());
    assert!(store.unlock_signing_key(&kadis, None, "baru baru baru 1").await.is_ok());
    // Every change is in the audit chain.
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'tte.%'")
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert!(n >= 7, "{n}");
}
dual_test!(enrolment_and_passphrase_rules_t, enrolment_and_passphrase_rules);

// --- Remote signer (BSrE style) against a small server this test starts ---------------------

/// Fields of a multipart/form-data body (values as bytes), for the fake service.
fn multipart_fields(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Some(boundary) = content_type.split("boundary=").nth(1) else { return vec![] };
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    let d = delim.as_bytes();
    let mut starts: Vec<usize> =
        body.windows(d.len()).enumerate().filter(|(_, w)| *w == d).map(|(i, _)| i).collect();
    starts.push(body.len());
    for pair in starts.windows(2) {
        let part = &body[pair[0] + d.len()..pair[1]];
        let Some(h) = part.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&part[..h]).to_string();
        let Some(name) = head.split("name=\"").nth(1).and_then(|s| s.split('"').next()) else {
            continue;
        };
        let mut value = &part[h + 4..];
        if value.ends_with(b"\r\n") {
            value = &value[..value.len() - 2];
        }
        out.push((name.to_string(), value.to_vec()));
    }
    out
}

async fn remote_signer(store: Store) {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, StatusCode};
    use std::sync::Arc;
    seed_demo(&store).await.unwrap();
    // The fake BSrE: its own test PKI and one registered official.
    let names = tte::PkiNames {
        installation: "BSrE Uji".into(),
        pemda: "Balai Sertifikasi Elektronik Uji".into(),
    };
    let ca_pass = tte::Passphrase::new("ca");
    let pki = tte::Pki::init_with(
        &names,
        &ca_pass,
        std::time::SystemTime::now(),
        tte::KdfParams::TEST_ONLY_FAST,
    )
    .unwrap();
    let issuing = pki.unlock_issuing(&ca_pass).unwrap();
    let tsa = pki.unlock_tsa(&ca_pass).unwrap();
    let kadis = user(&store, KADIS).await;
    let subject = tte::SignerSubject {
        name: kadis.name.clone(),
        nip: kadis.nip.clone(),
        position: "Kepala Dinas".into(),
        opd: "Dinas Kominfo".into(),
        pemda: "Pemkab".into(),
        email: None,
    };
    let opts = tte::IssueOptions {
        now: std::time::SystemTime::now(),
        crl_url: None,
        kdf: tte::KdfParams::TEST_ONLY_FAST,
    };
    let issued =
        tte::issue_signing_cert(&issuing, &subject, 30, &tte::Passphrase::new(PASS), &opts)
            .unwrap();
    struct Fake {
        nik: String,
        issued: tte::IssuedCert,
        chain: Vec<tte::Certificate>,
        tsa: tte::Tsa,
        seen_visible: std::sync::Mutex<Vec<String>>,
    }
    let fake = Arc::new(Fake {
        nik: kadis.nip.clone(),
        issued,
        chain: vec![issuing.cert.clone(), pki.root_cert().unwrap()],
        tsa,
        seen_visible: Default::default(),
    });
    let root = pki.root_cert().unwrap();
    let f2 = fake.clone();
    let app = axum::Router::new().route(
        "/api/sign/pdf",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let f = f2.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
                // "eoffice:rahasia-klien"
                if auth != "Basic ZW9mZmljZTpyYWhhc2lhLWtsaWVu" {
                    return (
                        StatusCode::UNAUTHORIZED,
                        r#"{"error":"Unauthorized client"}"#.as_bytes().to_vec(),
                    );
                }
                let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
                let fields = multipart_fields(ct, &body);
                let get = |n: &str| {
                    fields.iter().find(|f| f.0 == n).map(|f| f.1.clone()).unwrap_or_default()
                };
                if String::from_utf8_lossy(&get("nik")) != f.nik {
                    return (
                        StatusCode::BAD_REQUEST,
                        r#"{"error":"NIK tidak terdaftar"}"#.as_bytes().to_vec(),
                    );
                }
                let pass =
                    tte::Passphrase::new(String::from_utf8_lossy(&get("passphrase")).to_string());
                let Ok(key) = f.issued.stored.key.decrypt(&pass) else {
                    return (
                        StatusCode::BAD_REQUEST,
                        r#"{"error":"Passphrase anda salah"}"#.as_bytes().to_vec(),
                    );
                };
                let tampilan = String::from_utf8_lossy(&get("tampilan")).to_string();
                f.seen_visible.lock().unwrap().push(tampilan.clone());
                let rect = if tampilan == "visible" {
                    let num =
                        |n: &str| String::from_utf8_lossy(&get(n)).parse::<f64>().unwrap_or(0.0);
                    Some((
                        (num("page") as usize).saturating_sub(1),
                        [
                            num("xAxis"),
                            num("yAxis"),
                            num("xAxis") + num("width"),
                            num("yAxis") + num("height"),
                        ],
                    ))
                } else {
                    None
                };
                let id = tte::SigningIdentity {
                    key: &key,
                    cert: f.issued.stored.certificate().unwrap(),
                    chain: f.chain.clone(),
                };
                let o = tte::SignOptions {
                    tsa: Some(&f.tsa),
                    visible_rect: rect,
                    ..Default::default()
                };
                match tte::sign_pdf(&get("file"), &id, &o) {
                    Ok(pdf) => (StatusCode::OK, pdf),
                    Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string().into_bytes()),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let cfg = |password: &str| RemoteConfig {
        url: format!("http://{addr}/api/sign/pdf"),
        user: "eoffice".into(),
        password: password.into(),
        issuer_name: "Balai Sertifikasi Elektronik Uji".into(),
        public_base: "http://127.0.0.1:3000".into(),
        timeout: std::time::Duration::from_secs(20),
    };
    let remote = RemoteSigner::new(cfg("rahasia-klien")).unwrap();
    assert_eq!(remote.kind(), "remote");
    let (id, v) = letter_waiting_for_signature(&store, "biasa", "Surat lewat layanan TTE").await;
    // Wrong passphrase, wrong client credentials, missing passphrase: clear messages, nothing consumed.
    let e = store.sign_letter(&kadis, None, &id, v, &remote, &creds("salah")).await.unwrap_err();
    assert_eq!(
        (e.status(), e.to_string().as_str()),
        (422, "Passphrase salah (ditolak layanan TTE).")
    );
    let bad_client = RemoteSigner::new(cfg("keliru")).unwrap();
    let e = store.sign_letter(&kadis, None, &id, v, &bad_client, &creds(PASS)).await.unwrap_err();
    assert!(e.to_string().contains("kredensial aplikasi"), "{e}");
    assert_eq!(
        store
            .sign_letter(&kadis, None, &id, v, &remote, &SignCredentials::default())
            .await
            .unwrap_err()
            .status(),
        422
    );
    assert_eq!(store.get_letter(&id).await.unwrap().number, None);
    // An unreachable service.
    let mut down = cfg("rahasia-klien");
    down.url = "http://127.0.0.1:9/x".into();
    let e = store
        .sign_letter(&kadis, None, &id, v, &RemoteSigner::new(down).unwrap(), &creds(PASS))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("tidak dapat dihubungi"), "{e}");
    // Signed by the service.
    assert_eq!(
        store.sign_letter(&kadis, None, &id, v, &remote, &creds(PASS)).await.unwrap(),
        LetterState::Signed
    );
    let (pdf, _, kind) = document(&store, &id).await;
    assert_eq!(kind, "remote");
    let verdict = tte::verify_pdf(&pdf, &[root]);
    assert!(verdict.is_valid(), "{:?}", verdict.overall);
    assert_eq!(verdict.signatures[0].signer.common_name.as_deref(), Some(kadis.name.as_str()));
    assert_eq!(fake.seen_visible.lock().unwrap().last().map(String::as_str), Some("visible"));
    // This installation does not trust that CA: an unknown CA is answered clearly.
    let r = store.verify_upload(&pdf).await.unwrap();
    assert_eq!(r.outcome, VerifyOutcome::Invalid);
    assert!(
        r.message_id.contains("tidak diterbitkan oleh otoritas sertifikat"),
        "{}",
        r.message_id
    );
    assert!(r.issued_here && !r.modified_after_signing);
    assert_eq!(
        (r.signatures[0].status_now.as_str(), r.signatures[0].trusted, r.signatures[0].intact),
        ("tidak_dikenal", false, true)
    );
    server.abort();
}
dual_test!(remote_signer_t, remote_signer);

// --- External validators on a letter signed through the flow (SQLite) -----------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validators_accept_a_signed_letter() {
    let tools =
        (which("pdfsig"), which("certutil"), pyhanko(), which("zbarimg"), which("pdftoppm"));
    let require = std::env::var("TTE_REQUIRE_VALIDATORS").is_ok_and(|v| !v.is_empty() && v != "0");
    let (Some(pdfsig), Some(certutil), Some(pyhanko), Some(zbarimg), Some(pdftoppm)) =
        tools.clone()
    else {
        let msg = format!(
            "validators missing (pdfsig, certutil, pyhanko, zbarimg, pdftoppm): {tools:?}; run tte/scripts/install-validators.sh"
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
    let (_, kadis, signer) = setup(&store, &base).await;
    let _ = pemda_cell.set(kadis.pemda_id.clone());
    let (id, v) =
        letter_waiting_for_signature(&store, "biasa", "Permohonan data untuk validator").await;
    store.sign_letter(&kadis, None, &id, v, &signer, &creds(PASS)).await.unwrap();
    let (pdf, public_id, _) = document(&store, &id).await;

    let dir = std::env::temp_dir().join(format!("eoffice-tte-{}", backend::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("surat.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let root_pem = dir.join("root.pem");
    std::fs::write(&root_pem, store.root_pem(&kadis.pemda_id).await.unwrap()).unwrap();
    let nss = dir.join("nssdb");
    std::fs::create_dir_all(&nss).unwrap();
    let spec = format!("sql:{}", nss.display());
    run(Command::new(&certutil).args(["-N", "--empty-password", "-d", &spec]));
    run(Command::new(&certutil)
        .args(["-A", "-n", "eoffice-test-root", "-t", "CT,C,C", "-i"])
        .arg(&root_pem)
        .args(["-d", &spec]));

    let plain = run(Command::new(&pdfsig).arg(&file));
    eprintln!("===== pdfsig =====\n{plain}");
    assert!(plain.contains("Signature is Valid"), "{plain}");
    assert!(plain.contains("Total document signed"), "{plain}");
    assert!(plain.contains("ETSI.CAdES.detached"), "{plain}");
    let trusted = run(Command::new(&pdfsig).args(["-nssdir", &spec]).arg(&file));
    eprintln!("===== pdfsig -nssdir =====\n{trusted}");
    assert!(trusted.contains("Certificate is Trusted"), "{trusted}");

    let ph = run(Command::new(&pyhanko)
        .args(["sign", "validate", "--pretty-print", "--trust-replace", "--trust"])
        .arg(&root_pem)
        .arg(&file));
    eprintln!("===== pyhanko --pretty-print =====\n{ph}");
    assert!(ph.contains("The signature is judged VALID"), "{ph}");
    assert!(ph.contains("The signature covers the entire file."), "{ph}");
    assert!(ph.contains("The timestamp token is cryptographically sound."), "{ph}");
    assert!(ph.contains("The TSA certificate is trusted."), "{ph}");
    let short = run(Command::new(&pyhanko)
        .args(["sign", "validate", "--trust-replace", "--trust"])
        .arg(&root_pem)
        .arg(&file));
    eprintln!("===== pyhanko =====\n{short}");
    // One line per signature; Python may add warnings on other lines (newer `cryptography`
    // releases warn about DSA on import).
    assert!(
        short.lines().any(|l| l.contains(":INTACT:TRUSTED")
            && l.contains("TIMESTAMP_TOKEN<INTACT:TRUSTED>")
            && l.trim_end().ends_with("UNTOUCHED")),
        "{short}"
    );

    // The QR code on the rendered page decodes to the verification URL.
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
    // stdout only: zbarimg may complain on stderr about a missing D-Bus.
    let qr = Command::new(&zbarimg).args(["-q", "--raw"]).arg(&png).output().expect("run zbarimg");
    let qr = String::from_utf8_lossy(&qr.stdout).to_string();
    eprintln!("===== zbarimg =====\n{qr}");
    assert_eq!(qr.trim(), format!("{base}/verifikasi/{public_id}"));
    if std::env::var_os("TTE_KEEP_DIR").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    db.cleanup().await;
}
