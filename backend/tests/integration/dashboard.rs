//! The leaders' dashboard in the store: who may see which scope, the stuck letters and overdue
//! dispositions it lists (Rahasia counted but never named to an outsider), the reminders sent from
//! it (notice, audit, history, rate limit, refusals), the quadrants and usage of a unit, an empty
//! OPD, and live notices reaching another copy of the server on PostgreSQL.

use crate::common::{ADMIN_PEMDA, TestDb, bappeda_id, pemda_admin, user};
use backend::Store;
use backend::seed::seed_demo;
use domain::dashboard::{ItemKind, classify};
use domain::letter::{
    Action, ActionKind, LetterDraft, LetterKind, Recipient, RecipientRole, Sifat, TargetType,
    Urgency,
};
use domain::letter_body::LetterBody;
use domain::model::OpdInput;
use domain::model::SessionUser;
use sqlx::Row;

const KADIS: &str = "bambang.sutrisno@bojonegorokab.go.id";
const KABID: &str = "teguh.wibowo@bojonegorokab.go.id";
const KASI: &str = "eko.saputro@bojonegorokab.go.id";
const STAF: &str = "putri.ayu@bojonegorokab.go.id";
const SEKDA: &str = "nurul.azizah@bojonegorokab.go.id";
const KEPALA_BAPPEDA: &str = "suharto.wijaya@bojonegorokab.go.id";

fn draft(to_opd: &str, subject: &str, sifat: Sifat) -> LetterDraft {
    LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: "000.5.6.2".into(),
        sifat,
        urgency: Urgency::Biasa,
        subject: subject.into(),
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
        body: LetterBody::from_plain("Dengan hormat,\n\nMohon data."),
        reply_to_incoming_id: None,
    }
}

/// A letter drafted by the staf, submitted and initialled by the Kasi: it waits at the Kabid.
async fn letter_at_kabid(store: &Store, subject: &str, sifat: Sifat) -> String {
    let staf = user(store, STAF).await;
    let kasi = user(store, KASI).await;
    let bappeda = bappeda_id(store, &staf.pemda_id).await;
    let (id, _) = store
        .create_letter(&staf, None, &backend::new_id(), &draft(&bappeda, subject, sifat))
        .await
        .unwrap();
    store.act_on_letter(&staf, None, &id, 1, Action::Submit).await.unwrap();
    store.act_on_letter(&kasi, None, &id, 1, Action::Approve).await.unwrap();
    id
}

async fn status(store: &Store, u: &SessionUser, opd: Option<&str>, unit: Option<&str>) -> u16 {
    match store.dashboard_scope(u, opd, unit).await {
        Ok(_) => 200,
        Err(e) => e.status(),
    }
}

async fn who_sees_which_dashboard(store: Store) {
    seed_demo(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let kabid = user(&store, KABID).await;
    let sekda = user(&store, SEKDA).await;
    let admin = user(&store, ADMIN_PEMDA).await;
    let bappeda = bappeda_id(&store, &kadis.pemda_id).await;
    let kominfo = kadis.opd_id.clone();
    // The head of an OPD: their OPD, nothing else.
    let own = store.dashboard_scope(&kadis, None, None).await.unwrap();
    assert_eq!(own.opd.as_ref().unwrap().id, kominfo);
    assert_eq!(status(&store, &kadis, Some(&kominfo), None).await, 200);
    assert_eq!(status(&store, &kadis, Some(&bappeda), None).await, 403);
    assert_eq!(
        status(&store, &user(&store, KEPALA_BAPPEDA).await, Some(&kominfo), None).await,
        403
    );
    // A division head: their division and what is below it, not the OPD nor another division.
    let div = store.dashboard_scope(&kabid, None, None).await.unwrap();
    let (div_id, _) = div.unit.clone().unwrap();
    assert_eq!(status(&store, &kabid, Some(&kominfo), Some(&div_id)).await, 200);
    assert_eq!(status(&store, &kabid, Some(&kominfo), None).await, 403);
    let units = sqlx::query("SELECT id, parent_id FROM unit WHERE opd_id = $1")
        .bind(&kominfo)
        .fetch_all(&store.pool)
        .await
        .unwrap();
    let below = units
        .iter()
        .find(|r| r.get::<Option<String>, _>("parent_id").as_deref() == Some(div_id.as_str()))
        .map(|r| r.get::<String, _>("id"))
        .unwrap();
    let root = units
        .iter()
        .find(|r| r.get::<Option<String>, _>("parent_id").is_none())
        .map(|r| r.get::<String, _>("id"))
        .unwrap();
    let sibling = units
        .iter()
        .find(|r| {
            r.get::<String, _>("id") != div_id
                && r.get::<Option<String>, _>("parent_id").as_deref() == Some(root.as_str())
        })
        .map(|r| r.get::<String, _>("id"))
        .unwrap();
    assert_eq!(status(&store, &kabid, Some(&kominfo), Some(&below)).await, 200);
    assert_eq!(status(&store, &kabid, Some(&kominfo), Some(&sibling)).await, 403);
    // Staff and section heads have no dashboard.
    assert_eq!(status(&store, &user(&store, STAF).await, None, None).await, 403);
    assert_eq!(status(&store, &user(&store, KASI).await, None, None).await, 403);
    // The Sekda and the Admin Pemda: every OPD, and a drill-down into each.
    for u in [&sekda, &admin] {
        let all = store.dashboard_scope(u, None, None).await.unwrap();
        assert!(all.opd.is_none());
        let view = store.dashboard(u, &all, None).await.unwrap();
        assert!(view.per_opd);
        let names: Vec<_> = view.usage.iter().map(|r| r.name.as_str()).collect();
        assert!(names.contains(&"Dinas Kominfo") && names.contains(&"Bappeda"), "{names:?}");
        assert_eq!(status(&store, u, Some(&kominfo), None).await, 200);
        assert_eq!(status(&store, u, Some(&kominfo), Some(&below)).await, 200);
        // A unit that is not in the OPD asked for is refused, not silently widened.
        let bappeda_unit: String = sqlx::query("SELECT id FROM unit WHERE opd_id = $1")
            .bind(&bappeda)
            .fetch_one(&store.pool)
            .await
            .unwrap()
            .get("id");
        assert_eq!(status(&store, u, Some(&kominfo), Some(&bappeda_unit)).await, 403);
        assert_eq!(status(&store, u, Some("no-such-opd"), None).await, 403);
    }
}
dual_test!(who_sees_which_dashboard_t, who_sees_which_dashboard);

async fn stuck_letters_and_reminders(store: Store) {
    seed_demo(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let kabid = user(&store, KABID).await;
    let kasi = user(&store, KASI).await;
    let sekda = user(&store, SEKDA).await;
    let id = letter_at_kabid(&store, "Undangan rapat evaluasi SPBE", Sifat::Biasa).await;
    // The Kabid was told it waits for his paraf.
    let notices = store.notifications(&kabid).await.unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n.kind == "letter_paraf" && n.text.contains("Undangan rapat evaluasi SPBE")),
        "{notices:?}"
    );
    let (unread_before, _) = store.unread_notifications(&kabid.employee_id).await.unwrap();
    // The head sees it waiting at the Kepala Bidang level.
    let scope = store.dashboard_scope(&kadis, None, None).await.unwrap();
    let view = store.dashboard(&kadis, &scope, None).await.unwrap();
    assert_eq!(view.waiting_total, 1);
    let level = view.waiting.iter().find(|w| w.level == 3).unwrap();
    assert_eq!(level.count, 1);
    let item = view.stuck.iter().find(|s| s.id == id).unwrap();
    assert_eq!(item.title.as_deref(), Some("Undangan rapat evaluasi SPBE"));
    assert!(item.holders.contains(&kabid.name), "{}", item.holders);
    assert_eq!(item.reminded_ms, None);
    // Narrowed to the level (the figure links there), the list holds it; narrowed to another, not.
    let narrowed = store.dashboard(&kadis, &scope, Some(3)).await.unwrap();
    assert_eq!(narrowed.level, Some(3));
    assert!(narrowed.stuck.iter().any(|s| s.id == id));
    let other = store.dashboard(&kadis, &scope, Some(2)).await.unwrap();
    assert!(other.stuck.iter().all(|s| s.id != id));
    // Not a leader: refused (the same call by the head below succeeds).
    assert_eq!(store.remind(&kasi, None, ItemKind::Letter, &id).await.unwrap_err().status(), 403);
    // The letter waits at the Kabid himself: nothing to remind.
    assert_eq!(store.remind(&kabid, None, ItemKind::Letter, &id).await.unwrap_err().status(), 422);
    // Another OPD's head cannot touch it.
    let bappeda_head = user(&store, KEPALA_BAPPEDA).await;
    assert_eq!(
        store.remind(&bappeda_head, None, ItemKind::Letter, &id).await.unwrap_err().status(),
        403
    );
    store.remind(&kadis, Some("10.0.0.1".into()), ItemKind::Letter, &id).await.unwrap();
    let (unread_after, newest) = store.unread_notifications(&kabid.employee_id).await.unwrap();
    assert_eq!(unread_after, unread_before + 1);
    let newest = newest.unwrap();
    assert_eq!(newest.kind, "reminder");
    assert!(newest.text.contains(&kadis.name), "the reminder names the leader: {}", newest.text);
    assert_eq!(newest.link.as_deref(), Some(format!("/surat-keluar/{id}").as_str()));
    // A reminder storm: the second one is refused.
    let again = store.remind(&kadis, None, ItemKind::Letter, &id).await.unwrap_err();
    assert_eq!(again.status(), 429, "{again}");
    assert_eq!(store.unread_notifications(&kabid.employee_id).await.unwrap().0, unread_after);
    // Audited, and in the letter's history.
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'dashboard.remind' AND entity_id = $1 AND actor_id = $2",
    )
    .bind(&id)
    .bind(&kadis.employee_id)
    .fetch_one(&store.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 1);
    let page = store.letter_detail(&kadis, &id).await.unwrap();
    assert!(
        page.history.iter().any(|h| h.action == ActionKind::Remind && h.actor_name == kadis.name)
    );
    let view = store.dashboard(&kadis, &scope, None).await.unwrap();
    assert!(view.stuck.iter().find(|s| s.id == id).unwrap().reminded_ms.is_some());
    // The Kabid acts; the letter moves on to the Sekretaris, who may be reminded in turn.
    store.act_on_letter(&kabid, None, &id, 1, Action::Approve).await.unwrap();
    let view = store.dashboard(&kadis, &scope, None).await.unwrap();
    assert!(view.waiting.iter().all(|w| w.level != 3), "{:?}", view.waiting);
    store.remind(&kadis, None, ItemKind::Letter, &id).await.unwrap();
    // Finished items cannot be reminded about.
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    store.act_on_letter(&sekdin, None, &id, 1, Action::Approve).await.unwrap();
    store.act_on_letter(&kadis, None, &id, 1, Action::Sign).await.unwrap();
    assert_eq!(store.remind(&sekda, None, ItemKind::Letter, &id).await.unwrap_err().status(), 409);
    assert_eq!(
        store.remind(&kadis, None, ItemKind::Letter, "no-such-letter").await.unwrap_err().status(),
        404
    );
    // The drafter heard that it was signed.
    let staf = user(&store, STAF).await;
    assert!(store.notifications(&staf).await.unwrap().iter().any(|n| n.kind == "letter_signed"));
}
dual_test!(stuck_letters_and_reminders_t, stuck_letters_and_reminders);

async fn secret_letters_are_counted_not_named(store: Store) {
    seed_demo(&store).await.unwrap();
    let sekda = user(&store, SEKDA).await;
    let kabid = user(&store, KABID).await;
    let id = letter_at_kabid(&store, "Data pegawai yang diperiksa", Sifat::Rahasia).await;
    let kominfo = kabid.opd_id.clone();
    // The Sekda is outside the letter's circle: counted, not named, no link.
    let scope = store.dashboard_scope(&sekda, Some(&kominfo), None).await.unwrap();
    let view = store.dashboard(&sekda, &scope, None).await.unwrap();
    assert_eq!(view.waiting_total, 1);
    let item = view.stuck.iter().find(|s| s.id == id).unwrap();
    assert_eq!(item.title, None);
    assert_eq!(item.link, None);
    // The regency view counts it too.
    let all = store.dashboard_scope(&sekda, None, None).await.unwrap();
    let regency = store.dashboard(&sekda, &all, None).await.unwrap();
    assert_eq!(regency.waiting_total, 1);
    assert!(regency.stuck.iter().all(|s| s.title.is_none() || s.id != id));
    // The Kabid, who must initial it, sees it named on his own dashboard.
    let own = store.dashboard_scope(&kabid, None, None).await.unwrap();
    let view = store.dashboard(&kabid, &own, None).await.unwrap();
    let item = view.stuck.iter().find(|s| s.id == id).unwrap();
    assert_eq!(item.title.as_deref(), Some("Data pegawai yang diperiksa"));
}
dual_test!(secret_letters_are_counted_not_named_t, secret_letters_are_counted_not_named);

async fn quadrants_and_usage_of_a_unit(store: Store) {
    seed_demo(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let kabid = user(&store, KABID).await;
    let staf = user(&store, STAF).await;
    letter_at_kabid(&store, "Laporan bulanan", Sifat::Biasa).await;
    let scope = store.dashboard_scope(&kadis, None, None).await.unwrap();
    let view = store.dashboard(&kadis, &scope, None).await.unwrap();
    assert!(!view.per_opd);
    // Everyone of the OPD with a position is on the plot or counted as not yet placed.
    let positioned: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM employee WHERE opd_id = $1 AND active = 1 AND position_id IS NOT NULL",
    )
    .bind(&kadis.opd_id)
    .fetch_one(&store.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(view.people.len() as i64, positioned);
    assert_eq!(view.usage.iter().map(|u| u.people).sum::<i64>(), positioned);
    // The drafter worked this week; someone who did nothing is active nowhere and not placed.
    let staf_unit = view.usage.iter().find(|u| u.active_week > 0).unwrap();
    assert!(staf_unit.letters_handled >= 1);
    let me = view.people.iter().find(|p| p.employee_id == staf.employee_id).unwrap();
    assert!(me.x_bp > 0, "drafting earned minutes: {me:?}");
    let idle = view
        .people
        .iter()
        .find(|p| p.employee_id != staf.employee_id && p.x_bp == 0 && p.y_bp.is_none())
        .unwrap();
    assert_eq!(idle.quadrant, None);
    // The Kasi initialled within the service level: judged, and placed by the thresholds.
    let kasi = user(&store, KASI).await;
    let p = view.people.iter().find(|p| p.employee_id == kasi.employee_id).unwrap();
    assert_eq!(p.y_bp, Some(10_000));
    assert_eq!(p.quadrant, Some(classify(p.x_bp, 10_000, view.thresholds)));
    // The division's own dashboard holds only its people.
    let div = store.dashboard_scope(&kabid, None, None).await.unwrap();
    let dv = store.dashboard(&kabid, &div, None).await.unwrap();
    assert!(dv.people.len() < view.people.len());
    assert!(dv.people.iter().any(|p| p.employee_id == kabid.employee_id));
    assert!(dv.people.iter().all(|p| p.employee_id != kadis.employee_id));
    assert_eq!(dv.weeks.len(), 8);
}
dual_test!(quadrants_and_usage_of_a_unit_t, quadrants_and_usage_of_a_unit);

async fn a_new_opd_shows_empty_figures(store: Store) {
    seed_demo(&store).await.unwrap();
    let sekda = user(&store, SEKDA).await;
    let admin = pemda_admin(&store).await;
    let id = store
        .create_opd(
            &admin,
            &OpdInput {
                name: "Dinas Perpustakaan dan Kearsipan".into(),
                short_name: "Dispusip".into(),
                code: "400.14".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let scope = store.dashboard_scope(&sekda, Some(&id), None).await.unwrap();
    let view = store.dashboard(&sekda, &scope, None).await.unwrap();
    assert_eq!(view.waiting_total, 0);
    assert_eq!(view.overdue_total, 0);
    assert_eq!(view.undisposed, 0);
    assert!(view.stuck.is_empty() && view.overdue.is_empty() && view.people.is_empty());
    assert!(view.usage.iter().all(|u| u.people == 0 && u.active_bp() == 0));
    assert!(view.approval_times.iter().all(|t| t.count == 0 && t.median_ms.is_none()));
    assert_eq!((view.quadrants, view.unplaced), ([0, 0, 0, 0], 0));
}
dual_test!(a_new_opd_shows_empty_figures_t, a_new_opd_shows_empty_figures);

/// Two copies of the server on one PostgreSQL database: a notice written through one reaches the
/// live subscribers of the other (LISTEN/NOTIFY); on SQLite the same process hears its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_every_copy() {
    for db in [TestDb::sqlite().await, TestDb::postgres().await] {
        seed_demo(&db.store).await.unwrap();
        let other = if db.store.kind() == backend::DbKind::Postgres {
            Store::connect(&db.url).await.unwrap()
        } else {
            db.store.clone()
        };
        other.listen_notifications().await.unwrap();
        let mut rx = other.subscribe_notifications();
        let kadis = user(&db.store, KADIS).await;
        let kabid = user(&db.store, KABID).await;
        let id = letter_at_kabid(&db.store, "Notifikasi lintas salinan", Sifat::Biasa).await;
        db.store.remind(&kadis, None, ItemKind::Letter, &id).await.unwrap();
        // Every recipient id of the writes above arrives; the Kabid's among them.
        let got = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            loop {
                if rx.recv().await.unwrap() == kabid.employee_id {
                    return true;
                }
            }
        })
        .await;
        assert_eq!(got, Ok(true), "{:?}", db.store.kind());
        if db.store.kind() == backend::DbKind::Postgres {
            other.close().await;
        }
        db.cleanup().await;
    }
}

async fn escalating_and_reassigning(store: Store) {
    use crate::incoming::{dispose, pos, register, today};
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let kadis = user(&store, KADIS).await;
    let sekdin = user(&store, "ratna.kusumawati@bojonegorokab.go.id").await;
    let kabid = user(&store, KABID).await;
    let kasi = user(&store, KASI).await;
    let staf = user(&store, STAF).await;
    let sekda = user(&store, SEKDA).await;

    // A letter stuck at the Kabid: the head escalates it with a reason.
    let id = letter_at_kabid(&store, "Eskalasi paraf", Sifat::Biasa).await;
    assert_eq!(
        store
            .escalate(&kasi, None, ItemKind::Letter, &id, "Kabid cuti")
            .await
            .unwrap_err()
            .status(),
        403
    );
    assert_eq!(
        store.escalate(&kadis, None, ItemKind::Letter, &id, "ok").await.unwrap_err().status(),
        422,
        "a reason is required"
    );
    store.escalate(&kadis, None, ItemKind::Letter, &id, "Kabid sedang dinas luar").await.unwrap();
    let l = store.get_letter(&id).await.unwrap();
    assert_eq!(l.waiting_position_id.as_deref(), Some(pos(&sekdin).as_str()));
    let page = store.letter_detail(&kadis, &id).await.unwrap();
    assert!(
        page.history
            .iter()
            .any(|h| h.action == ActionKind::Escalate && h.note == "Kabid sedang dinas luar")
    );
    assert!(store.notifications(&kabid).await.unwrap().iter().any(|n| n.kind == "escalated"));
    assert!(
        store.notifications(&sekdin).await.unwrap().iter().any(|n| n.kind == "letter_escalated")
    );
    assert!(store.counter_drift().await.unwrap().is_empty(), "the Perlu Paraf counts follow");
    // A signature is never skipped.
    store.act_on_letter(&sekdin, None, &id, 1, Action::Approve).await.unwrap();
    assert_eq!(
        store
            .escalate(&sekda, None, ItemKind::Letter, &id, "Percepat penandatanganan")
            .await
            .unwrap_err()
            .status(),
        422
    );

    // A disposition given by the head to the Kabid.
    let inc = register(&store, &tu, "d-esc", "400.3/1/2026", "biasa").await;
    store.incoming_view(&kadis, &inc).await.unwrap();
    store
        .dispose(&kadis, None, &dispose(&inc, None, &[(&pos(&kabid), true)], today() + 3))
        .await
        .unwrap();
    let node: String = sqlx::query("SELECT id FROM disposition WHERE incoming_id = $1")
        .bind(&inc)
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .get("id");
    // Moved to the giver himself: refused; to another OPD's position: refused.
    assert_eq!(
        store
            .reassign_disposition(&sekda, None, &node, &pos(&kadis), "Ambil alih")
            .await
            .unwrap_err()
            .status(),
        422
    );
    let bappeda_head = user(&store, KEPALA_BAPPEDA).await;
    assert_eq!(
        store
            .reassign_disposition(&sekda, None, &node, &pos(&bappeda_head), "Pindah OPD")
            .await
            .unwrap_err()
            .status(),
        422
    );
    // The Sekda gives it to the Kasi instead: the Kasi is told and now holds it.
    store
        .reassign_disposition(&sekda, None, &node, &pos(&kasi), "Kabid sedang diklat")
        .await
        .unwrap();
    assert!(store.notifications(&kasi).await.unwrap().iter().any(|n| n.kind == "disposition_new"));
    let v = store.incoming_view(&kasi, &inc).await.unwrap();
    assert!(v.nodes.iter().any(|n| n.id == node && n.to_position_id == pos(&kasi)));
    // The division head may move it within his division only.
    assert_eq!(
        store
            .reassign_disposition(&kabid, None, &node, &pos(&sekdin), "Ke sekretariat")
            .await
            .unwrap_err()
            .status(),
        403
    );
    store
        .reassign_disposition(&kabid, None, &node, &pos(&staf), "Putri yang menangani")
        .await
        .unwrap();
    // Escalated, it goes to the staff member's superior (the Kasi).
    store.escalate(&kabid, None, ItemKind::Disposition, &node, "Belum ada kabar").await.unwrap();
    let to: String = sqlx::query("SELECT to_position_id FROM disposition WHERE id = $1")
        .bind(&node)
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .get("to_position_id");
    assert_eq!(to, pos(&kasi));
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action IN ('dashboard.reassign', 'dashboard.escalate')",
    )
    .bind(&node)
    .fetch_one(&store.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 3);
}
dual_test!(escalating_and_reassigning_t, escalating_and_reassigning);

async fn candidates_and_quadrant_history(store: Store) {
    use crate::common::opd_admin;
    use domain::dashboard::{CandidateKind, Quadrant};
    seed_demo(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let kasi = user(&store, KASI).await;
    let staf = user(&store, STAF).await;
    // Low lines, so that the people who worked today already reach quadrant A.
    let admin = pemda_admin(&store).await;
    let mut settings = store.kinerja_settings(&kadis.pemda_id).await.unwrap();
    settings.quadrant = domain::dashboard::Thresholds { x_bp: 1, y_bp: 5_000 };
    store.set_kinerja_settings(&admin, &settings).await.unwrap();
    letter_at_kabid(&store, "Usulan kandidat", Sifat::Biasa).await;
    let scope = store.dashboard_scope(&kadis, None, None).await.unwrap();
    let view = store.dashboard(&kadis, &scope, None).await.unwrap();
    let place = |id: &str| view.people.iter().find(|p| p.employee_id == id).unwrap().quadrant;
    assert_eq!(place(&kasi.employee_id), Some(Quadrant::A));
    let idle = view.people.iter().find(|p| p.quadrant.is_none()).unwrap().employee_id.clone();
    // Only a leader over the person, only quadrant A, with a reason.
    assert_eq!(
        store
            .propose_candidate(
                &staf,
                None,
                &kasi.employee_id,
                CandidateKind::Reward,
                "Paraf selalu tepat"
            )
            .await
            .unwrap_err()
            .status(),
        403
    );
    let bappeda_head = user(&store, KEPALA_BAPPEDA).await;
    assert_eq!(
        store
            .propose_candidate(
                &bappeda_head,
                None,
                &kasi.employee_id,
                CandidateKind::Reward,
                "Paraf selalu tepat"
            )
            .await
            .unwrap_err()
            .status(),
        403
    );
    assert_eq!(
        store
            .propose_candidate(&kadis, None, &idle, CandidateKind::Reward, "Belum ada data")
            .await
            .unwrap_err()
            .status(),
        422
    );
    assert_eq!(
        store
            .propose_candidate(&kadis, None, &kasi.employee_id, CandidateKind::Reward, "ok")
            .await
            .unwrap_err()
            .status(),
        422
    );
    store
        .propose_candidate(
            &kadis,
            None,
            &kasi.employee_id,
            CandidateKind::Reward,
            "Paraf selalu tepat waktu",
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .propose_candidate(
                &kadis,
                None,
                &kasi.employee_id,
                CandidateKind::Reward,
                "Sekali lagi"
            )
            .await
            .unwrap_err()
            .status(),
        409
    );
    store
        .propose_candidate(
            &kadis,
            None,
            &kasi.employee_id,
            CandidateKind::Promotion,
            "Siap memimpin bidang",
        )
        .await
        .unwrap();
    let view = store.dashboard(&kadis, &scope, None).await.unwrap();
    let me = view.people.iter().find(|p| p.employee_id == kasi.employee_id).unwrap();
    assert_eq!(me.proposed.len(), 2);
    assert!(store.notifications(&kasi).await.unwrap().iter().any(|n| n.kind == "candidate"));
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'dashboard.candidate' AND entity_id = $1",
    )
    .bind(&kasi.employee_id)
    .fetch_one(&store.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(audited, 2);
    // History: this month as it stands; a closed month as it stood when it closed.
    let history = store.my_quadrants(&kasi).await.unwrap();
    assert!(history[0].live && history[0].quadrant == Some(Quadrant::A), "{history:?}");
    let last_month = domain::activity::month_of_day(
        domain::activity::month_days(history[0].month).unwrap().0 - 1,
    );
    store.close_month(&opd_admin(&store, &kasi.opd_id).await, last_month).await.unwrap();
    let history = store.my_quadrants(&kasi).await.unwrap();
    let closed = history.iter().find(|q| q.month == last_month).unwrap();
    assert!(!closed.live);
    assert_eq!((closed.x_bp, closed.quadrant), (0, None), "nothing happened last month");
}
dual_test!(candidates_and_quadrant_history_t, candidates_and_quadrant_history);

async fn an_acting_head_has_the_heads_dashboard(store: Store) {
    seed_demo(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let kasi = user(&store, KASI).await;
    // The head's dashboard answers the head; the Kasi has none of his own.
    assert!(store.dashboard_scope(&kadis, None, None).await.is_ok());
    assert_eq!(status(&store, &kasi, None, None).await, 403);
    let id = letter_at_kabid(&store, "Selama Kepala Dinas cuti", Sifat::Biasa).await;
    // While the head is away, the Kasi is his Plh (only the Admin Pemda appoints one for a head).
    let plh = crate::common::appoint_plh(&store, &kadis, &kasi).await;
    let scope = store.dashboard_scope(&plh, None, None).await.unwrap();
    assert_eq!(scope.opd.as_ref().map(|o| o.id.as_str()), Some(kadis.opd_id.as_str()));
    let view = store.dashboard(&plh, &scope, None).await.unwrap();
    assert!(view.stuck.iter().any(|s| s.id == id));
    store.remind(&plh, None, ItemKind::Letter, &id).await.unwrap();
}
dual_test!(an_acting_head_has_the_heads_dashboard_t, an_acting_head_has_the_heads_dashboard);

async fn deadline_notices_go_out_once(store: Store) {
    use crate::incoming::{dispose, pos, register, today};
    seed_demo(&store).await.unwrap();
    let tu = user(&store, "sri.wahyuni@bojonegorokab.go.id").await;
    let kadis = user(&store, KADIS).await;
    let kabid = user(&store, KABID).await;
    let kinds = |u: SessionUser| {
        let store = store.clone();
        async move {
            store.notifications(&u).await.unwrap().into_iter().map(|n| n.kind).collect::<Vec<_>>()
        }
    };
    let inc = register(&store, &tu, "d-due", "400.3/9/2026", "biasa").await;
    store.incoming_view(&kadis, &inc).await.unwrap();
    store
        .dispose(&kadis, None, &dispose(&inc, None, &[(&pos(&kabid), true)], today() + 1))
        .await
        .unwrap();
    assert_eq!(store.send_deadline_notices().await.unwrap(), 1);
    assert_eq!(store.send_deadline_notices().await.unwrap(), 0, "once only");
    let k = kinds(kabid.clone()).await;
    assert_eq!(k.iter().filter(|k| *k == "deadline_tomorrow").count(), 1, "{k:?}");
    // Past its deadline: the holder and the giver hear, once.
    sqlx::query("UPDATE disposition SET deadline_day = $1 WHERE incoming_id = $2")
        .bind(today() - 1)
        .bind(&inc)
        .execute(&store.pool)
        .await
        .unwrap();
    assert_eq!(store.send_deadline_notices().await.unwrap(), 1);
    assert_eq!(store.send_deadline_notices().await.unwrap(), 0);
    assert_eq!(kinds(kabid).await.iter().filter(|k| *k == "overdue").count(), 1);
    assert_eq!(kinds(kadis).await.iter().filter(|k| *k == "overdue").count(), 1);
}
dual_test!(deadline_notices_go_out_once_t, deadline_notices_go_out_once);

/// `serve --demo` adds an overdue disposition to the fresh demo: the head sees it on the
/// dashboard and may reassign it.
async fn the_demo_has_an_overdue_disposition(store: Store) {
    seed_demo(&store).await.unwrap();
    backend::seed::seed_demo_overdue(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let scope = store.dashboard_scope(&kadis, None, None).await.unwrap();
    let view = store.dashboard(&kadis, &scope, None).await.unwrap();
    assert_eq!(view.overdue_total, 1);
    let item = &view.overdue[0];
    assert!(
        item.title.as_deref().unwrap_or("").contains("dukungan jaringan internet sekolah"),
        "{item:?}"
    );
    assert!(item.waiting_at.contains("Kepala Bidang"), "{item:?}");
    assert!(!view.reassign_to.is_empty());
}
dual_test!(the_demo_has_an_overdue_disposition_t, the_demo_has_an_overdue_disposition);
