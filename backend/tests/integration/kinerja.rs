//! e-Kinerja in the store: activities made from e-Office work (once, with the rules against
//! gaming), manual activities and their checks, validation rights (the direct superior or the
//! acting official only), attendance import, and closing and reopening a month.

use crate::common::{opd_admin, user};
use backend::Store;
use backend::seed::seed_demo;
use backend::store::kinerja::{NewActivity, Scope};
use backend::store::org::ActingInput;
use backend::{Actor, now_ms, today_wib};
use domain::activity::{ActivityStatus, month_days, month_of_day};
use domain::kinerja::{Rating, WorkKind, rupiah};
use domain::letter::{
    Action, LetterDraft, LetterKind, Recipient, RecipientRole, Sifat, TargetType, Urgency,
};
use domain::letter_body::LetterBody;
use domain::model::SessionUser;
use domain::org::ActingKind;

const STAF: &str = "putri.ayu@bojonegorokab.go.id";
const KASI: &str = "eko.saputro@bojonegorokab.go.id";
const KABID: &str = "teguh.wibowo@bojonegorokab.go.id";

fn draft(to_opd: &str, body: &str) -> LetterDraft {
    LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat: Sifat::Biasa,
        urgency: Urgency::Biasa,
        subject: "Permohonan data kinerja".into(),
        attachment_count: 0,
        signer_position_id: None,
        co_signer_position_id: None,
        recipients: vec![Recipient {
            role: RecipientRole::To,
            target_type: TargetType::Opd,
            target_id: Some(to_opd.into()),
            name: "Kepala Bappeda".into(),
            address: String::new(),
        }],
        body: LetterBody::from_plain(body),
        reply_to_incoming_id: None,
    }
}

fn this_month() -> i64 {
    month_of_day(today_wib())
}

/// Minutes after midnight (WIB) now.
fn now_minute() -> i64 {
    (now_ms() + domain::time::WIB_OFFSET_MS).rem_euclid(domain::time::DAY_MS) / 60_000
}

/// The latest start the tests here give `manual` for today's or yesterday's work (the closed-month
/// property test sets its own days).
const LATEST_START: i64 = 12 * 60;

/// A manual activity an hour long, never in the future: today once every start used here has
/// ended (13.01 WIB), else yesterday. One day for all of them, whatever the hour, so activities
/// meant to overlap do (the day was chosen per start before, and between 09.01 and 09.31 WIB the
/// 08.00 activity fell on today and the 08.30 one on yesterday).
fn manual(client: &str, start: i64) -> NewActivity {
    let day = if now_minute() >= LATEST_START + 61 { today_wib() } else { today_wib() - 1 };
    NewActivity {
        client_id: client.into(),
        day,
        start,
        end: start + 60,
        bank_id: None,
        description: "Menyusun bahan rapat koordinasi".into(),
        quantity: 1,
        evidence: Some(("foto.jpg".into(), vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])),
    }
}

async fn mine(store: &Store, u: &SessionUser) -> Vec<domain::activity::ActivityView> {
    let mut all = store.my_activities(u, this_month()).await.unwrap();
    if month_of_day(today_wib() - 1) != this_month() {
        all.extend(store.my_activities(u, month_of_day(today_wib() - 1)).await.unwrap());
    }
    all
}

async fn work_becomes_activities_once(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    let kasi = user(&store, KASI).await;
    let before = mine(&store, &staf).await.len();
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let d = draft(&bappeda, "Dengan hormat,\n\nMohon data.");
    let (id, _) = store.create_letter(&staf, None, "k-1", &d).await.unwrap();
    store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    store
        .act_on_letter(&kasi, None, &id, 1, Action::Return { note: "Lengkapi dasar hukum".into() })
        .await
        .unwrap();
    // A save that changes nothing, then a real revision.
    store.save_letter(&staf, None, &id, "k-2", 1, &d).await.unwrap();
    let revised = draft(&bappeda, "Dengan hormat,\n\nBerdasarkan Perbup, mohon data.");
    store.save_letter(&staf, None, &id, "k-3", 2, &revised).await.unwrap();
    store.act_on_letter(&staf, None, &id, 3, Action::Submit).await.unwrap();
    store.act_on_letter(&kasi, None, &id, 3, Action::Approve).await.unwrap();
    // Processed twice, and twice at once: each event becomes one activity.
    let (a, b) = tokio::join!(
        store.sync_activities(Scope::Employee(&staf.employee_id), this_month()),
        store.sync_activities(Scope::Opd(&staf.opd_id), this_month())
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(store.sync_activities(Scope::Opd(&staf.opd_id), this_month()).await.unwrap(), 0);
    let acts = mine(&store, &staf).await;
    let new: Vec<_> =
        acts.iter().filter(|a| a.link.as_deref() == Some(&format!("/surat-keluar/{id}"))).collect();
    assert_eq!(acts.len(), before + new.len());
    let kinds: Vec<_> =
        new.iter().map(|a| (a.work_kind.unwrap(), a.minutes, a.no_credit.clone())).collect();
    assert!(kinds.contains(&(WorkKind::Draft, 60, None)), "{kinds:?}");
    assert!(kinds.contains(&(WorkKind::Revise, 0, Some("unchanged".into()))), "{kinds:?}");
    assert!(kinds.contains(&(WorkKind::Revise, 20, None)), "{kinds:?}");
    assert_eq!(new.len(), 3, "submitting is not an activity: {kinds:?}");
    assert!(new.iter().all(|a| a.status == ActivityStatus::Approved && a.description.is_empty()));
    let kasi_acts = mine(&store, &kasi).await;
    let kasi_kinds: Vec<_> = kasi_acts
        .iter()
        .filter(|a| a.link.as_deref() == Some(&format!("/surat-keluar/{id}")))
        .map(|a| (a.work_kind.unwrap(), a.minutes))
        .collect();
    assert_eq!(kasi_kinds.len(), 2, "{kasi_kinds:?}");
    assert!(kasi_kinds.contains(&(WorkKind::ReturnWithNote, 15)));
    assert!(kasi_kinds.contains(&(WorkKind::Paraf, 10)));
}
dual_test!(work_becomes_activities_once_t, work_becomes_activities_once);

async fn manual_activities_and_who_validates_them(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    let kasi = user(&store, KASI).await;
    let kabid = user(&store, KABID).await;
    let me = Actor::user(&staf.employee_id, None);
    let id = store.log_activity(&me, &staf, &manual("m-1", 8 * 60)).await.unwrap();
    assert_eq!(
        store.log_activity(&me, &staf, &manual("m-1", 8 * 60)).await.unwrap(),
        id,
        "a retry stores it once"
    );
    let overlap = store.log_activity(&me, &staf, &manual("m-2", 8 * 60 + 30)).await.unwrap_err();
    assert_eq!(overlap.status(), 422, "{overlap}");
    assert!(overlap.to_string().contains("bertumpang tindih"), "{overlap}");
    let mut future = manual("m-3", 10 * 60);
    future.day = today_wib() + 1;
    assert!(
        store
            .log_activity(&me, &staf, &future)
            .await
            .unwrap_err()
            .to_string()
            .contains("masa depan")
    );
    let mut old = manual("m-4", 10 * 60);
    old.day = today_wib() - 30;
    assert_eq!(store.log_activity(&me, &staf, &old).await.unwrap_err().status(), 422);
    let mut gif = manual("m-5", 12 * 60);
    gif.evidence = Some(("a.gif".into(), b"GIF89a....".to_vec()));
    assert!(store.log_activity(&me, &staf, &gif).await.unwrap_err().to_string().contains("JPEG"));
    // The direct superior validates; first the allowed answer, then the refusals.
    assert_eq!(store.validation_count(&kasi).await.unwrap(), 1);
    let kasi_actor = Actor::user(&kasi.employee_id, None);
    let ids = vec![id.clone()];
    let no_note =
        store.validate_activities(&kasi_actor, &kasi, &ids, false, " ", None).await.unwrap_err();
    assert_eq!(no_note.status(), 422);
    // Free text needs a rating when approved on its own.
    let unrated =
        store.validate_activities(&kasi_actor, &kasi, &ids, true, "", None).await.unwrap_err();
    assert_eq!(unrated.status(), 422, "{unrated}");
    for (who, name) in [(&staf, "herself"), (&kabid, "the superior's superior")] {
        let err = store
            .validate_activities(
                &Actor::user(&who.employee_id, None),
                who,
                &ids,
                true,
                "",
                Some(30),
            )
            .await
            .unwrap_err();
        assert_eq!(err.status(), 403, "{name}: {err}");
    }
    assert_eq!(
        store
            .validate_activities(&kasi_actor, &kasi, &ids, false, "Bukti kurang jelas", None)
            .await
            .unwrap(),
        1
    );
    let a = mine(&store, &staf).await.into_iter().find(|a| a.id == id).unwrap();
    assert_eq!((a.status, a.note.as_str()), (ActivityStatus::Rejected, "Bukti kurang jelas"));
    assert!(a.has_evidence);
    let (name, ct, _) = store.activity_evidence(&kasi, &id).await.unwrap();
    assert_eq!((name.as_str(), ct.as_str()), ("foto.jpg", "image/jpeg"));
    assert_eq!(store.activity_evidence(&kabid, &id).await.unwrap_err().status(), 404);
    // While the Kabid acts (Plh) for the Kasi's position, he validates the Kasi's staff.
    let today = today_wib();
    let kasi_emp = store.find_employee_by_email(KASI).await.unwrap().unwrap();
    store
        .create_acting(
            &opd_admin(&store, &kasi.opd_id).await,
            &ActingInput {
                position_id: kasi_emp.position_id.as_deref().unwrap(),
                employee_id: &kabid.employee_id,
                kind: ActingKind::Plh,
                start_day: today,
                end_day: today + 2,
                note: "",
            },
        )
        .await
        .unwrap();
    let plh = store.session_user(&kabid.employee_id, today).await.unwrap();
    let second = store.log_activity(&me, &staf, &manual("m-6", 10 * 60)).await.unwrap();
    assert_eq!(
        store
            .validate_activities(
                &Actor::user(&plh.employee_id, None),
                &plh,
                &[second],
                true,
                "",
                Some(45)
            )
            .await
            .unwrap(),
        1
    );
}
dual_test!(manual_activities_and_who_validates_them_t, manual_activities_and_who_validates_them);

async fn attendance_closing_and_reopening(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    let admin = opd_admin(&store, &staf.opd_id).await;
    let month = this_month();
    // Bad files store nothing.
    let bad = store
        .import_attendance(&admin, b"nip,tanggal,masuk,pulang\n123,2026-01-01,07:30,16:00\n")
        .await
        .unwrap();
    assert!(!bad.ok() && bad.row_errors[0].1.contains("tidak terdaftar"), "{bad:?}");
    let latin1 = store.import_attendance(&admin, b"nip,tanggal\n\xe9\n").await.unwrap();
    assert!(latin1.file_errors[0].contains("UTF-8"), "{latin1:?}");
    let day = domain::time::iso_date(today_wib() - 1);
    let bad_time = format!("nip,tanggal,masuk,pulang\n{},{day},25:00,16:00\n", staf.nip);
    assert!(!store.import_attendance(&admin, bad_time.as_bytes()).await.unwrap().ok());
    let good = format!("nip,tanggal,masuk,pulang,keterangan\n{},{day},08:10,16:00,\n", staf.nip);
    let out = store.import_attendance(&admin, good.as_bytes()).await.unwrap();
    assert_eq!((out.ok(), out.stored), (true, 1), "{out:?}");
    let me = Actor::user(&staf.employee_id, None);
    store.log_activity(&me, &staf, &manual("c-1", 8 * 60)).await.unwrap();
    // Close: the figures are stored and frozen.
    store.close_month(&admin, month).await.unwrap();
    assert_eq!(store.close_month(&admin, month).await.unwrap_err().status(), 409);
    let frozen = store.opd_month(&staf.opd_id, month, false).await.unwrap();
    assert!(frozen.closed && frozen.rows.iter().any(|r| r.employee_id == staf.employee_id));
    let mut late = manual("c-2", 10 * 60);
    late.day = today_wib();
    if month_of_day(late.day) == month && now_minute() >= 10 * 60 + 61 {
        let err = store.log_activity(&me, &staf, &late).await.unwrap_err();
        assert!(err.to_string().contains("ditutup"), "{err}");
    }
    let today = domain::time::iso_date(today_wib());
    let closed_csv = format!("nip,tanggal,masuk,pulang\n{},{today},07:00,16:00\n", staf.nip);
    let refused = store.import_attendance(&admin, closed_csv.as_bytes()).await.unwrap();
    assert!(refused.file_errors.iter().any(|e| e.contains("ditutup")), "{refused:?}");
    // More e-Office work after closing changes nothing of the closed month.
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    store.create_letter(&staf, None, "c-3", &draft(&bappeda, "Isi surat baru.")).await.unwrap();
    assert_eq!(store.opd_month(&staf.opd_id, month, false).await.unwrap(), frozen);
    // The year: the closed month makes the work result; the direct superior rates the behaviour.
    let year = month / 100;
    let kasi = user(&store, KASI).await;
    let kabid = user(&store, KABID).await;
    let v = store.year_view(&staf.employee_id, year).await.unwrap();
    assert_eq!(v.months.len(), 1, "{v:?}");
    assert!(v.hasil.is_some() && v.perilaku.is_none() && v.predikat.is_none(), "{v:?}");
    let staff = store.staff_years(&kasi, year).await.unwrap();
    assert!(staff.iter().any(|s| s.employee_id == staf.employee_id), "{staff:?}");
    assert!(store.staff_years(&staf, year).await.unwrap().is_empty());
    let kasi_actor = Actor::user(&kasi.employee_id, None);
    store
        .rate_behaviour(&kasi_actor, &kasi, &staf.employee_id, year, Rating::Sesuai)
        .await
        .unwrap();
    for (who, name) in [(&staf, "herself"), (&kabid, "the superior's superior")] {
        let err = store
            .rate_behaviour(
                &Actor::user(&who.employee_id, None),
                who,
                &staf.employee_id,
                year,
                Rating::DiAtas,
            )
            .await
            .unwrap_err();
        assert_eq!(err.status(), 403, "{name}: {err}");
    }
    let long_ago = store
        .rate_behaviour(&kasi_actor, &kasi, &staf.employee_id, year - 5, Rating::DiAtas)
        .await
        .unwrap_err();
    assert_eq!(long_ago.status(), 422, "{long_ago}");
    let v = store.year_view(&staf.employee_id, year).await.unwrap();
    assert_eq!(v.perilaku, Some(Rating::Sesuai));
    assert_eq!(v.predikat, Some(domain::kinerja::predikat(v.hasil.unwrap(), Rating::Sesuai)));
    // The printable recap and personal report carry the recap's figures.
    let her = frozen.rows.iter().find(|r| r.employee_id == staf.employee_id).unwrap();
    let recap = store.recap_report(&frozen).await.unwrap();
    let row = recap.tables[0].rows.iter().find(|r| r[1].contains(&staf.nip)).expect("her row");
    assert_eq!(row[7], rupiah(her.tpp));
    let units = frozen.per_unit();
    assert_eq!(recap.tables[1].rows.len(), units.len());
    assert_eq!(units.iter().map(|u| u.people).sum::<i64>(), frozen.rows.len() as i64);
    assert_eq!(
        units.iter().map(|u| u.tpp).sum::<i64>(),
        frozen.rows.iter().map(|r| r.tpp).sum::<i64>()
    );
    let personal = store.personal_report(&staf, month).await.unwrap();
    let tpp_line = personal.tables[0].rows.iter().find(|r| r[0] == "TPP bulan ini").unwrap();
    assert_eq!(tpp_line[1], format!("Rp {}", rupiah(her.tpp)));
    if month_of_day(manual("c-1", 8 * 60).day) == month {
        assert!(personal.tables[1].rows.iter().any(|r| r[2].contains("Menyusun bahan rapat")));
    }
    assert!(backend::render::render_report(&personal).unwrap().starts_with(b"%PDF-"));
    // Reopening needs a reason, and is audited.
    assert_eq!(store.reopen_month(&admin, month, "salah").await.unwrap_err().status(), 422);
    store.reopen_month(&admin, month, "Data presensi tanggal 3 terlambat masuk").await.unwrap();
    assert!(!store.opd_month(&staf.opd_id, month, false).await.unwrap().closed);
    let audit = store.recent_audit(20, None).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|r| r.action == "kinerja.month_reopen" && r.detail.contains("terlambat masuk")),
        "the reason is in the audit chain"
    );
}
dual_test!(attendance_closing_and_reopening_t, attendance_closing_and_reopening);

/// What may happen to an OPD after its month was closed.
#[derive(Clone, Debug)]
enum Later {
    /// Putri logs work on a day of the closed month (refused) or today.
    Activity { back_days: i64, start: i64 },
    /// The Admin OPD imports attendance for Putri on a day of the month.
    Attendance { back_days: i64, late: i64 },
    /// Putri drafts a letter (new e-Office work).
    Letter,
    /// The Admin Pemda changes the target and the weights.
    Settings { target: i64, weight: i64 },
    /// Kasi Eko approves whatever of his staff waits.
    Validate,
}

fn later() -> impl proptest::strategy::Strategy<Value = Later> {
    use proptest::prelude::*;
    prop_oneof![
        (0i64..10, 0i64..(22 * 60))
            .prop_map(|(back_days, start)| Later::Activity { back_days, start }),
        (0i64..10, 0i64..120).prop_map(|(back_days, late)| Later::Attendance { back_days, late }),
        Just(Later::Letter),
        (1_000i64..20_000, 0i64..=100)
            .prop_map(|(target, weight)| Later::Settings { target, weight }),
        Just(Later::Validate),
    ]
}

/// Property: whatever happens after a month is closed (new work, attendance, validation, other
/// settings), its figures stay what they were when it closed.
async fn a_closed_month_never_changes(store: Store) {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    let kasi = user(&store, KASI).await;
    let admin = opd_admin(&store, &staf.opd_id).await;
    let pemda = crate::common::pemda_admin(&store).await;
    let month = this_month();
    let me = Actor::user(&staf.employee_id, None);
    store.log_activity(&me, &staf, &manual("p-0", 8 * 60)).await.unwrap();
    store.close_month(&admin, month).await.unwrap();
    let frozen = store.opd_month(&staf.opd_id, month, false).await.unwrap();
    assert!(frozen.closed && !frozen.rows.is_empty());
    let bappeda = crate::common::bappeda_id(&store, &staf.pemda_id).await;
    let mut runner = TestRunner::deterministic();
    let sequences = proptest::collection::vec(later(), 1..6);
    for case in 0..8 {
        let ops = sequences.new_tree(&mut runner).unwrap().current();
        for (i, op) in ops.iter().enumerate() {
            let day = |back: i64| (today_wib() - back).max(month_days(month).unwrap().0);
            match op {
                Later::Activity { back_days, start } => {
                    let mut a = manual(&format!("p-{case}-{i}"), *start);
                    a.day = day(*back_days);
                    a.end = a.start + 30;
                    let _ = store.log_activity(&me, &staf, &a).await;
                }
                Later::Attendance { back_days, late } => {
                    let csv = format!(
                        "nip,tanggal,masuk,pulang\n{},{},{},16:00\n",
                        staf.nip,
                        domain::time::iso_date(day(*back_days)),
                        domain::activity::hhmm(7 * 60 + 30 + late)
                    );
                    let out = store.import_attendance(&admin, csv.as_bytes()).await.unwrap();
                    assert!(!out.ok(), "a closed month takes no attendance: {out:?}");
                }
                Later::Letter => {
                    let d = draft(&bappeda, "Pekerjaan sesudah bulan ditutup.");
                    store.create_letter(&staf, None, &format!("p-l-{case}-{i}"), &d).await.unwrap();
                }
                Later::Settings { target, weight } => {
                    let mut s = store.kinerja_settings(&staf.pemda_id).await.unwrap();
                    s.scoring.monthly_target_minutes = *target;
                    s.scoring.performance_weight_pct = *weight;
                    s.scoring.discipline_weight_pct = 100 - weight;
                    store.set_kinerja_settings(&pemda, &s).await.unwrap();
                }
                Later::Validate => {
                    let waiting = store.staff_activities(&kasi, month, true).await.unwrap();
                    let ids: Vec<String> = waiting.iter().map(|a| a.id.clone()).collect();
                    if !ids.is_empty() {
                        let k = Actor::user(&kasi.employee_id, None);
                        let _ =
                            store.validate_activities(&k, &kasi, &ids, true, "", Some(30)).await;
                    }
                }
            }
            assert_eq!(
                store.opd_month(&staf.opd_id, month, false).await.unwrap(),
                frozen,
                "after {:?}",
                &ops[..=i]
            );
        }
    }
}
dual_test!(a_closed_month_never_changes_t, a_closed_month_never_changes);
