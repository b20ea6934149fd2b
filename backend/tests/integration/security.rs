//! Takeover paths an attacker with a demo admin account would try: promoting oneself, taking the
//! OPD's head slot, reading Rahasia letters through the audit log. Each refusal is preceded by the
//! same call made by someone who may, so a refusal that disappeared would fail here.

use crate::common::codes::*;
use crate::common::{ADMIN_OPD, ADMIN_PEMDA, caller, pemda_admin, user};
use backend::Store;
use backend::rights::SomeAdmin;
use backend::seed::seed_demo;
use backend::store::org::{EmployeeInput, UnitInput};
use domain::letter::{LetterDraft, Recipient};
use domain::letter_body::LetterBody;
use domain::model::SessionUser;
use domain::org::LeaderSlot;
use domain::roles::Role;

const STAF: &str = "putri.ayu@bojonegorokab.go.id";
const KADIS: &str = "bambang.sutrisno@bojonegorokab.go.id";
const SEKDIN: &str = "ratna.kusumawati@bojonegorokab.go.id";
const BAPPEDA_HEAD: &str = "suharto.wijaya@bojonegorokab.go.id";

fn input_of(u: &SessionUser, position_id: Option<String>) -> EmployeeInput {
    EmployeeInput {
        nip: u.nip.clone(),
        name: u.name.clone(),
        email: u.email.clone().unwrap_or_default(),
        phone: String::new(),
        position_id,
    }
}

fn own_position(u: &SessionUser) -> String {
    u.positions.iter().find(|p| p.acting_kind.is_none()).unwrap().position_id.clone()
}

/// A new Bidang under the OPD's root unit, with one position of `level` in it.
async fn new_unit_with_position(
    store: &Store,
    opd_id: &str,
    name: &str,
    level: PositionLevel,
) -> String {
    let admin = crate::common::opd_admin(store, opd_id).await;
    let units = store.list_units(opd_id).await.unwrap();
    let root = units.iter().find(|u| u.parent_id.is_none()).unwrap();
    let unit = store
        .save_unit(
            &admin,
            &UnitInput {
                id: None,
                parent_id: Some(&root.id),
                name,
                kind: UnitKind::Bidang,
                code: "",
            },
        )
        .await
        .unwrap();
    store.save_position(&admin, None, &unit, &format!("Kepala {name}"), level).await.unwrap()
}

async fn no_self_promotion(store: Store) {
    seed_demo(&store).await.unwrap();
    let admin = user(&store, ADMIN_OPD).await;
    let staf = user(&store, STAF).await;
    let kadis = user(&store, KADIS).await;
    let kominfo = admin.opd_id.clone();
    let proof = store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.unwrap();
    let my_pos = own_position(&admin);
    // Their own name and phone: yes. Their own position: no, not even a vacant one.
    let mut mine = input_of(&admin, Some(my_pos.clone()));
    mine.phone = "081234567890".into();
    store.update_employee(&proof, &admin.employee_id, &mine).await.unwrap();
    let vacant =
        new_unit_with_position(&store, &kominfo, "Bidang Uji", PositionLevel::KepalaBidang).await;
    let e = store
        .update_employee(&proof, &admin.employee_id, &input_of(&admin, Some(vacant.clone())))
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403, "{e}");
    assert!(e.to_string().contains("sendiri"), "{e}");
    let e = store
        .update_employee(&proof, &admin.employee_id, &input_of(&admin, None))
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403, "leaving one's position is a change of it too");
    assert_eq!(own_position(&user(&store, ADMIN_OPD).await), my_pos);

    // Nor by raising the level of the position they hold; another position's level may change.
    let mine_now = store.get_position(&my_pos).await.unwrap();
    let staf_pos = store.get_position(&own_position(&staf)).await.unwrap();
    let e = store
        .save_position(
            &proof,
            Some(&my_pos),
            &mine_now.unit_id,
            &mine_now.title,
            PositionLevel::KepalaOpd,
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403, "{e}");
    store
        .save_position(&proof, Some(&my_pos), &mine_now.unit_id, "Pengelola Data", mine_now.level)
        .await
        .unwrap();
    let other_unit =
        new_unit_with_position(&store, &kominfo, "Bidang Lain", PositionLevel::KepalaBidang).await;
    let other_unit = store.get_position(&other_unit).await.unwrap().unit_id;
    store
        .save_position(
            &proof,
            Some(&staf_pos.id),
            &other_unit,
            &staf_pos.title,
            PositionLevel::Staf,
        )
        .await
        .unwrap();
    let e = store
        .save_position(&proof, Some(&my_pos), &other_unit, "Pengelola Data", mine_now.level)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403, "moving one's own position to another unit");

    // Nor a role for themselves: the Admin OPD appoints a TU, but not themselves.
    let some = SomeAdmin::check(caller(&store, ADMIN_OPD).await).unwrap();
    store.grant_role(&some, &staf.employee_id, Role::Tu, &kominfo).await.unwrap();
    let e = store.grant_role(&some, &admin.employee_id, Role::Tu, &kominfo).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.to_string().contains("diri sendiri"), "{e}");

    // Someone else moved into a leader position: recorded and told to the head and the Admin Pemda.
    store
        .update_employee(&proof, &staf.employee_id, &input_of(&staf, Some(vacant.clone())))
        .await
        .unwrap();
    let audit = store.recent_audit(20, None).await.unwrap();
    assert!(
        audit.iter().any(|r| r.action == "employee.leader_move"
            && r.entity_id.as_deref() == Some(staf.employee_id.as_str())),
        "{audit:?}"
    );
    for (who, told) in [(KADIS, true), (ADMIN_PEMDA, true), (STAF, false), (ADMIN_OPD, false)] {
        let u = user(&store, who).await;
        let notes = store.notifications(&u).await.unwrap();
        let about = notes.iter().find(|n| n.kind == "leader_move" && n.text.contains(&staf.name));
        assert_eq!(about.is_some(), told, "{who}: {notes:?}");
        if let Some(n) = about {
            assert!(!n.read);
            // Only the addressee marks it read.
            store.mark_notification_read(&staf, &n.id).await.unwrap();
            assert!(
                !store.notifications(&u).await.unwrap().iter().find(|m| m.id == n.id).unwrap().read
            );
            store.mark_notification_read(&u, &n.id).await.unwrap();
            assert!(
                store.notifications(&u).await.unwrap().iter().find(|m| m.id == n.id).unwrap().read
            );
        }
    }
    // A move into a staff position is not a leader move.
    let before = store.notifications(&kadis).await.unwrap().len();
    store
        .update_employee(&proof, &staf.employee_id, &input_of(&staf, Some(staf_pos.id.clone())))
        .await
        .unwrap();
    assert_eq!(store.notifications(&kadis).await.unwrap().len(), before);
}
dual_test!(no_self_promotion_t, no_self_promotion);

async fn import_leaves_admins_alone(store: Store) {
    seed_demo(&store).await.unwrap();
    let admin = user(&store, ADMIN_OPD).await;
    let boss = user(&store, ADMIN_PEMDA).await;
    let staf = user(&store, STAF).await;
    let kadis = user(&store, KADIS).await;
    let kominfo = admin.opd_id.clone();
    let mut phones = std::collections::HashMap::new();
    for u in [&admin, &boss, &staf] {
        phones.insert(u.nip.clone(), store.get_employee(&u.employee_id).await.unwrap().phone);
    }
    let row = |u: &SessionUser, p: &domain::model::HeldPosition| {
        format!(
            "{},\"{}\",{},{},,{},{}\n",
            u.nip,
            u.name,
            p.title,
            p.unit_name,
            u.email.clone().unwrap_or_default(),
            phones[&u.nip]
        )
    };
    let head = &kadis.positions[0];
    let header = "nip,nama,jabatan,unit,atasan,email,telepon\n";
    let csv_of = |rows: &[String]| format!("{header}{}", rows.concat()).into_bytes();
    let proof = store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.unwrap();
    // A staff member's row as it is: valid.
    let ok = backend::import::preview(&store, &proof, &csv_of(&[row(&staf, &staf.positions[0])]))
        .await
        .unwrap();
    assert_eq!(ok.error_count(), 0, "{:?}", ok.rows);
    assert_eq!(ok.rows[0].action, "ubah");
    // The admin's own row unchanged passes (an export re-imports); the admin into the head's
    // position, or under another name, is refused.
    let same =
        backend::import::preview(&store, &proof, &csv_of(&[row(&admin, &admin.positions[0])]))
            .await
            .unwrap();
    assert_eq!(same.error_count(), 0, "{:?}", same.rows);
    let renamed = SessionUser { name: "Agus Prasetyo Baru".into(), ..admin.clone() };
    for mine in [row(&admin, head), row(&renamed, &admin.positions[0])] {
        let r = backend::import::commit(&store, &proof, &csv_of(&[mine])).await.unwrap();
        assert!(!r.committed);
        assert!(r.rows[0].errors.iter().any(|e| e.contains("data Anda sendiri")), "{:?}", r.rows);
    }
    // Another admin's row: unchanged it passes; a change is for the Admin Pemda only.
    let r = backend::import::preview(&store, &proof, &csv_of(&[row(&boss, &boss.positions[0])]))
        .await
        .unwrap();
    assert_eq!(r.error_count(), 0, "{:?}", r.rows);
    let boss_moved = row(&boss, &staf.positions[0]);
    let r = backend::import::preview(&store, &proof, &csv_of(&[boss_moved])).await.unwrap();
    assert!(r.rows[0].errors.iter().any(|e| e.contains("adalah admin")), "{:?}", r.rows);
    let pemda = store.opd_admin(caller(&store, ADMIN_PEMDA).await, &kominfo).await.unwrap();
    let r =
        backend::import::preview(&store, &pemda, &csv_of(&[row(&renamed, &admin.positions[0])]))
            .await
            .unwrap();
    assert_eq!(r.error_count(), 0, "{:?}", r.rows);
    assert_eq!(own_position(&user(&store, ADMIN_OPD).await), own_position(&admin));
}
dual_test!(import_leaves_admins_alone_t, import_leaves_admins_alone);

async fn one_head_per_opd(store: Store) {
    seed_demo(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let sekdin = user(&store, SEKDIN).await;
    let kominfo = kadis.opd_id.clone();
    let head = own_position(&kadis);
    let opd = store.get_opd(&kominfo).await.unwrap();
    assert_eq!(opd.head_position_id.as_deref(), Some(head.as_str()));
    assert_eq!(opd.secretary_position_id, Some(own_position(&sekdin)));
    assert_eq!(store.head_position(&kominfo).await.unwrap(), head);
    // More level-1 positions do not move the head, whatever their ids.
    for i in 0..5 {
        new_unit_with_position(&store, &kominfo, &format!("UPT {i}"), PositionLevel::KepalaOpd)
            .await;
    }
    assert_eq!(store.head_position(&kominfo).await.unwrap(), head);
    let other =
        new_unit_with_position(&store, &kominfo, "UPT Baru", PositionLevel::KepalaOpd).await;
    // The Admin OPD can neither demote nor delete the head's position.
    let proof = store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.unwrap();
    let p = store.get_position(&head).await.unwrap();
    store
        .save_position(&proof, Some(&head), &p.unit_id, "Kepala Dinas Kominfo", p.level)
        .await
        .unwrap();
    let e = store
        .save_position(&proof, Some(&head), &p.unit_id, &p.title, PositionLevel::KepalaBidang)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403, "{e}");
    let e = store.delete_position(&proof, &head).await.unwrap_err();
    assert_eq!(e.status(), 403, "{e}");
    // The Admin Pemda changes the head explicitly; it is audited, and only a level-1 position may be.
    let pemda = pemda_admin(&store).await;
    let kabid_pos = own_position(&user(&store, "teguh.wibowo@bojonegorokab.go.id").await);
    let e = store.set_opd_leader(&pemda, &kominfo, LeaderSlot::Head, &kabid_pos).await.unwrap_err();
    assert_eq!(e.status(), 422, "{e}");
    store.set_opd_leader(&pemda, &kominfo, LeaderSlot::Head, &other).await.unwrap();
    assert_eq!(store.head_position(&kominfo).await.unwrap(), other);
    let audit = store.recent_audit(5, None).await.unwrap();
    assert!(
        audit.iter().any(|r| r.action == "opd.set_head" && r.detail.contains(&other)),
        "{audit:?}"
    );
    // The old head's position is an ordinary one now: the Admin OPD may delete it once vacant.
    store.set_opd_leader(&pemda, &kominfo, LeaderSlot::Head, &head).await.unwrap();
    store.delete_position(&proof, &other).await.unwrap();
}
dual_test!(one_head_per_opd_t, one_head_per_opd);

async fn audit_log_keeps_rahasia_unnamed(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    let bappeda = user(&store, "suharto.wijaya@bojonegorokab.go.id").await.opd_id;
    let draft = |sifat: Sifat, subject: &str| LetterDraft {
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
            target_id: Some(bappeda.clone()),
            name: "Kepala Bappeda".into(),
            address: String::new(),
        }],
        body: LetterBody::from_plain("Dengan hormat."),
        reply_to_incoming_id: None,
    };
    let (open, _) = store
        .create_letter(&staf, None, "c-open", &draft(Sifat::Biasa, "Jadwal rapat terbuka"))
        .await
        .unwrap();
    let (secret, _) = store
        .create_letter(&staf, None, "c-secret", &draft(Sifat::Rahasia, "Temuan audit internal"))
        .await
        .unwrap();
    let rows = store.recent_audit(20, None).await.unwrap();
    let of = |id: &str| rows.iter().find(|r| r.entity_id.as_deref() == Some(id)).unwrap().clone();
    assert!(of(&open).detail.contains("Jadwal rapat terbuka"));
    let hidden = of(&secret);
    assert_eq!(hidden.action, "letter.create");
    assert!(!hidden.detail.contains("Temuan"), "{hidden:?}");
    assert_eq!(hidden.detail, backend::store::audit::CONFIDENTIAL_DETAIL);
}
dual_test!(audit_log_keeps_rahasia_unnamed_t, audit_log_keeps_rahasia_unnamed);

async fn parallel_guesses_are_all_counted(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    // The right password logs in; the count of failures starts at zero again.
    backend::auth::login(&store, STAF, backend::seed::DEMO_PASSWORD, "10.0.0.1", "t")
        .await
        .unwrap();
    // 50 wrong passwords at once, each from its own address (so only the account lock can stop them).
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                backend::auth::login(&store, STAF, "salah-sekali", &format!("10.1.0.{i}"), "t")
                    .await
            })
        })
        .collect();
    for t in tasks {
        let e = t.await.unwrap().unwrap_err();
        assert_eq!(e.status(), 422, "{e}");
    }
    // Only as many were checked as a sequence would have had before the lock: the fifth locked it.
    let acc = store.account_by_employee(&staf.employee_id).await.unwrap().unwrap();
    assert_eq!(acc.failed_count, domain::account::ACCOUNT_FREE_FAILURES);
    assert!(acc.locked_until_ms > backend::now_ms());
    let e = backend::auth::login(&store, STAF, backend::seed::DEMO_PASSWORD, "10.2.0.1", "t")
        .await
        .unwrap_err();
    assert_eq!(e.status(), 429, "{e}");
    assert!(e.to_string().contains("dikunci"), "{e}");
    assert!(backend::auth::peak_parallel_hashes() <= backend::auth::max_parallel_hashes());
    assert!(backend::auth::peak_parallel_hashes() >= 1);
    // Changing the password respects the lock too.
    let e = backend::auth::change_password(
        &store,
        &backend::Actor::user(&staf.employee_id, None),
        &staf.employee_id,
        "no-token",
        backend::seed::DEMO_PASSWORD,
        "SandiBaru2026!",
        "SandiBaru2026!",
    )
    .await
    .unwrap_err();
    assert_eq!(e.status(), 429, "{e}");
}
dual_test!(parallel_guesses_are_all_counted_t, parallel_guesses_are_all_counted);

async fn a_deactivated_opd_signs_its_people_out(store: Store) {
    seed_demo(&store).await.unwrap();
    let pemda = pemda_admin(&store).await;
    let bappeda = store.get_opd(&user(&store, BAPPEDA_HEAD).await.opd_id).await.unwrap();
    let (token, _) =
        backend::auth::login(&store, BAPPEDA_HEAD, backend::seed::DEMO_PASSWORD, "10.3.0.1", "t")
            .await
            .unwrap()
            .into_session()
            .unwrap();
    assert!(store.session(&token).await.unwrap().is_some());
    let input = domain::model::OpdInput {
        name: bappeda.name.clone(),
        short_name: bappeda.short_name.clone(),
        code: bappeda.code.clone(),
        address: bappeda.address.clone(),
        phone: bappeda.phone.clone(),
        email: bappeda.email.clone(),
        website: bappeda.website.clone(),
    };
    store.update_opd(&pemda, &bappeda.id, &input, false).await.unwrap();
    assert!(store.session(&token).await.unwrap().is_none(), "signed out");
    let e =
        backend::auth::login(&store, BAPPEDA_HEAD, backend::seed::DEMO_PASSWORD, "10.3.0.1", "t")
            .await
            .unwrap_err();
    assert_eq!(e.status(), 403, "{e}");
    // The Admin Pemda cannot switch off their own OPD (and lock themselves out).
    let own = store.get_opd(&user(&store, ADMIN_PEMDA).await.opd_id).await.unwrap();
    let own_input = domain::model::OpdInput {
        name: own.name.clone(),
        short_name: own.short_name.clone(),
        code: own.code.clone(),
        ..Default::default()
    };
    assert_eq!(
        store.update_opd(&pemda, &own.id, &own_input, false).await.unwrap_err().status(),
        403
    );
    store.update_opd(&pemda, &bappeda.id, &input, true).await.unwrap();
    backend::auth::login(&store, BAPPEDA_HEAD, backend::seed::DEMO_PASSWORD, "10.3.0.1", "t")
        .await
        .unwrap();
}
dual_test!(a_deactivated_opd_signs_its_people_out_t, a_deactivated_opd_signs_its_people_out);

async fn leaders_passwords_are_reset_by_the_admin_pemda(store: Store) {
    seed_demo(&store).await.unwrap();
    let kadis = user(&store, KADIS).await;
    let staf = user(&store, STAF).await;
    let kominfo = kadis.opd_id.clone();
    let by_opd_admin = store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.unwrap();
    // A staff member: the Admin OPD resets it, and the person is told who did and when.
    backend::auth::admin_reset_password(&store, &by_opd_admin, &staf.employee_id).await.unwrap();
    let told = store.notifications(&staf).await.unwrap();
    assert!(
        told.iter().any(|n| n.kind == "password_reset" && n.text.contains("Agus Prasetyo")),
        "{told:?}"
    );
    // The head of the OPD (and the Sekretaris): only the Admin Pemda.
    let (token, _) =
        backend::auth::login(&store, KADIS, backend::seed::DEMO_PASSWORD, "10.4.0.1", "t")
            .await
            .unwrap()
            .into_session()
            .unwrap();
    for leader in [KADIS, SEKDIN] {
        let id = user(&store, leader).await.employee_id;
        let e = backend::auth::admin_reset_password(&store, &by_opd_admin, &id).await.unwrap_err();
        assert_eq!(e.status(), 403, "{e}");
        assert!(e.to_string().contains("Admin Pemda"), "{e}");
    }
    assert!(store.session(&token).await.unwrap().is_some(), "a refused reset changes nothing");
    let by_pemda = store.opd_admin(caller(&store, ADMIN_PEMDA).await, &kominfo).await.unwrap();
    backend::auth::admin_reset_password(&store, &by_pemda, &kadis.employee_id).await.unwrap();
    assert!(store.session(&token).await.unwrap().is_none(), "the reset ends every session");
    let told = store.notifications(&kadis).await.unwrap();
    assert!(
        told.iter().any(|n| n.kind == "password_reset" && n.text.contains("Arif Setiawan")),
        "{told:?}"
    );
}
dual_test!(
    leaders_passwords_are_reset_by_the_admin_pemda_t,
    leaders_passwords_are_reset_by_the_admin_pemda
);

/// Generated sequences of what an Admin OPD can do to the organisation (move people, including
/// themselves, into any position; change any position's level or unit; add positions of any level
/// anywhere; grant themselves roles). Whatever each step does or is refused, the admin never ends
/// up in another position, at another level or with another role, and the OPD's head and
/// Sekretaris never change: that takes the Admin Pemda's explicit `set_opd_leader`.
async fn generated_admin_actions_never_promote_the_admin(store: Store) {
    use rand::{Rng, SeedableRng};
    seed_demo(&store).await.unwrap();
    let admin = user(&store, ADMIN_OPD).await;
    let kominfo = admin.opd_id.clone();
    let proof = store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.unwrap();
    let some = SomeAdmin::check(caller(&store, ADMIN_OPD).await).unwrap();
    let pos0 = own_position(&admin);
    let p0 = store.get_position(&pos0).await.unwrap();
    let grants0 = store.grants_of(&admin.employee_id).await.unwrap();
    let opd0 = store.get_opd(&kominfo).await.unwrap();
    let (rows, _) = store.list_employees(&kominfo, "", 0, 200).await.unwrap();
    let others: Vec<String> =
        rows.iter().map(|r| r.employee.id.clone()).filter(|id| *id != admin.employee_id).collect();
    let levels = PositionLevel::ALL;
    let (mut done, mut refused) = (0, 0);
    for seed in [7u64, 2026] {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        for step in 0..30 {
            let positions = store.list_positions(&kominfo).await.unwrap();
            let units = store.list_units(&kominfo).await.unwrap();
            let pos = positions[rng.gen_range(0..positions.len())].clone();
            let unit = units[rng.gen_range(0..units.len())].id.clone();
            let level = levels[rng.gen_range(0..levels.len())];
            let action = rng.gen_range(0..6);
            let r = match action {
                0 => {
                    let me = user(&store, ADMIN_OPD).await;
                    store
                        .update_employee(
                            &proof,
                            &me.employee_id,
                            &input_of(&me, Some(pos.id.clone())),
                        )
                        .await
                }
                1 => {
                    let who =
                        crate::common::user_by_id(&store, &others[rng.gen_range(0..others.len())])
                            .await;
                    store
                        .update_employee(
                            &proof,
                            &who.employee_id,
                            &input_of(&who, Some(pos.id.clone())),
                        )
                        .await
                }
                2 => store
                    .save_position(&proof, Some(&pos.id), &pos.unit_id, &pos.title, level)
                    .await
                    .map(|_| ()),
                3 => store
                    .save_position(&proof, Some(&pos.id), &unit, &pos.title, pos.level)
                    .await
                    .map(|_| ()),
                4 => store
                    .save_position(
                        &proof,
                        None,
                        &unit,
                        &format!("Jabatan Uji {seed}-{step}"),
                        level,
                    )
                    .await
                    .map(|_| ()),
                _ => {
                    let role = [Role::Tu, Role::AdminOpd, Role::AdminPemda][rng.gen_range(0..3)];
                    let scope = if role == Role::AdminPemda {
                        admin.pemda_id.clone()
                    } else {
                        kominfo.clone()
                    };
                    store.grant_role(&some, &admin.employee_id, role, &scope).await
                }
            };
            if r.is_ok() {
                done += 1
            } else {
                refused += 1
            }
            let why = format!("seed {seed} step {step} action {action}: {r:?}");
            let now = user(&store, ADMIN_OPD).await;
            assert_eq!(own_position(&now), pos0, "{why}");
            assert_eq!(now.positions.len(), 1, "{why}");
            let p = store.get_position(&pos0).await.unwrap();
            assert_eq!((p.level, &p.unit_id), (p0.level, &p0.unit_id), "{why}");
            assert_eq!(store.grants_of(&admin.employee_id).await.unwrap(), grants0, "{why}");
            let opd = store.get_opd(&kominfo).await.unwrap();
            assert_eq!(opd.head_position_id, opd0.head_position_id, "{why}");
            assert_eq!(opd.secretary_position_id, opd0.secretary_position_id, "{why}");
        }
    }
    // The sequences did real work, not only refusals.
    assert!(done >= 10 && refused >= 5, "done {done}, refused {refused}");
}
dual_test!(
    generated_admin_actions_never_promote_the_admin_t,
    generated_admin_actions_never_promote_the_admin
);
