//! The rights behind every change of organisation data: each refusal is shown next to the same
//! call made by someone who may, so a refusal that disappeared would fail here.

use crate::common::codes::*;
use crate::common::{ADMIN_OPD, ADMIN_PEMDA, caller, user};
use backend::Store;
use backend::rights::{PemdaAdmin, SomeAdmin};
use backend::seed::seed_demo;
use backend::store::org::{ActingInput, EmployeeInput};
use domain::roles::Role;

const STAF: &str = "putri.ayu@bojonegorokab.go.id";
const KADIS: &str = "bambang.sutrisno@bojonegorokab.go.id";
const SEKDIN: &str = "ratna.kusumawati@bojonegorokab.go.id";
const BAPPEDA_HEAD: &str = "suharto.wijaya@bojonegorokab.go.id";

async fn opd_of(store: &Store, email: &str) -> String {
    user(store, email).await.opd_id
}

async fn proofs_come_only_from_the_checks(store: Store) {
    seed_demo(&store).await.unwrap();
    let kominfo = opd_of(&store, KADIS).await;
    let bappeda = opd_of(&store, BAPPEDA_HEAD).await;
    // The Admin OPD administers their own OPD, not another; the Admin Pemda every OPD.
    assert!(store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.is_ok());
    let e = store.opd_admin(caller(&store, ADMIN_OPD).await, &bappeda).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(store.opd_admin(caller(&store, ADMIN_PEMDA).await, &bappeda).await.is_ok());
    // A head of the OPD is not its admin.
    let e = store.opd_admin(caller(&store, KADIS).await, &kominfo).await.unwrap_err();
    assert_eq!(e.status(), 403);
    let e = store.opd_admin(caller(&store, ADMIN_PEMDA).await, "tidak-ada").await.unwrap_err();
    assert_eq!(e.status(), 404);
    // Admin Pemda: only the Admin Pemda.
    assert!(PemdaAdmin::check(caller(&store, ADMIN_PEMDA).await).is_ok());
    assert_eq!(PemdaAdmin::check(caller(&store, ADMIN_OPD).await).unwrap_err().status(), 403);
    // Some admin (role grants): either admin, nobody else.
    assert!(SomeAdmin::check(caller(&store, ADMIN_OPD).await).is_ok());
    assert_eq!(SomeAdmin::check(caller(&store, KADIS).await).unwrap_err().status(), 403);
}
dual_test!(proofs_come_only_from_the_checks_t, proofs_come_only_from_the_checks);

async fn role_grants_follow_the_rule(store: Store) {
    seed_demo(&store).await.unwrap();
    let kominfo = opd_of(&store, KADIS).await;
    let bappeda = opd_of(&store, BAPPEDA_HEAD).await;
    let staf = user(&store, STAF).await;
    let opd_admin = SomeAdmin::check(caller(&store, ADMIN_OPD).await).unwrap();
    let pemda_admin = SomeAdmin::check(caller(&store, ADMIN_PEMDA).await).unwrap();
    // The Admin OPD appoints the TU of their own OPD, and nothing more.
    store.grant_role(&opd_admin, &staf.employee_id, Role::Tu, &kominfo).await.unwrap();
    let e = store
        .grant_role(&opd_admin, &staf.employee_id, Role::AdminOpd, &kominfo)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403, "{e}");
    let e = store.grant_role(&opd_admin, &staf.employee_id, Role::Tu, &bappeda).await.unwrap_err();
    assert_eq!(e.status(), 403, "not a member of that OPD");
    let bappeda_head = user(&store, BAPPEDA_HEAD).await;
    let e = store
        .grant_role(&opd_admin, &bappeda_head.employee_id, Role::Tu, &bappeda)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403, "another OPD's TU");
    // The Admin Pemda appoints an Admin OPD; nobody revokes their own Admin Pemda role.
    store.grant_role(&pemda_admin, &staf.employee_id, Role::AdminOpd, &kominfo).await.unwrap();
    store.revoke_role(&opd_admin, &staf.employee_id, Role::Tu, &kominfo).await.unwrap();
    let me = user(&store, ADMIN_PEMDA).await;
    let e = store
        .revoke_role(&pemda_admin, &me.employee_id, Role::AdminPemda, &me.pemda_id)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.to_string().contains("sendiri"), "{e}");
}
dual_test!(role_grants_follow_the_rule_t, role_grants_follow_the_rule);

async fn acting_appointments_follow_the_rule(store: Store) {
    seed_demo(&store).await.unwrap();
    let kominfo = opd_of(&store, KADIS).await;
    let kadis = user(&store, KADIS).await;
    let sekdin = user(&store, SEKDIN).await;
    let admin = user(&store, ADMIN_OPD).await;
    let today = backend::today_wib();
    let head_pos = kadis.positions[0].position_id.clone();
    let sekdin_pos = sekdin.positions[0].position_id.clone();
    let opd_admin = store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.unwrap();
    let plh = |position_id, employee_id| ActingInput {
        position_id,
        employee_id,
        kind: ActingKind::Plh,
        start_day: today,
        end_day: today + 1,
        note: "",
    };
    let (head_pos, sekdin_pos) = (head_pos.as_str(), sekdin_pos.as_str());
    let (kadis_id, sekdin_id) = (kadis.employee_id.as_str(), sekdin.employee_id.as_str());
    let admin_id = admin.employee_id.as_str();
    // Someone else as Plh of the Sekretaris: allowed. The admin themselves: refused.
    store.create_acting(&opd_admin, &plh(sekdin_pos, kadis_id)).await.unwrap();
    let e = store.create_acting(&opd_admin, &plh(sekdin_pos, admin_id)).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.to_string().contains("diri sendiri"), "{e}");
    // The acting head of the OPD: only the Admin Pemda appoints one.
    let e = store.create_acting(&opd_admin, &plh(head_pos, sekdin_id)).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.to_string().contains("Admin Pemda"), "{e}");
    let pemda = store.opd_admin(caller(&store, ADMIN_PEMDA).await, &kominfo).await.unwrap();
    store.create_acting(&pemda, &plh(head_pos, sekdin_id)).await.unwrap();
}
dual_test!(acting_appointments_follow_the_rule_t, acting_appointments_follow_the_rule);

async fn accounts_follow_the_rule(store: Store) {
    seed_demo(&store).await.unwrap();
    let kominfo = opd_of(&store, KADIS).await;
    let staf = user(&store, STAF).await;
    let admin = user(&store, ADMIN_OPD).await;
    let boss = user(&store, ADMIN_PEMDA).await;
    let bappeda_head = user(&store, BAPPEDA_HEAD).await;
    let opd_admin = store.opd_admin(caller(&store, ADMIN_OPD).await, &kominfo).await.unwrap();
    // A staff member's password: the Admin OPD resets it. The Admin Pemda's: refused.
    backend::auth::admin_reset_password(&store, &opd_admin, &staf.employee_id).await.unwrap();
    let e = backend::auth::admin_reset_password(&store, &opd_admin, &boss.employee_id)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.to_string().contains("Admin Pemda"), "{e}");
    let boss_input = EmployeeInput {
        nip: boss.nip.clone(),
        name: boss.name.clone(),
        email: boss.email.clone().unwrap_or_default(),
        phone: String::new(),
        position_id: boss.positions.first().map(|p| p.position_id.clone()),
    };
    let e = store.update_employee(&opd_admin, &boss.employee_id, &boss_input).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert_eq!(
        store.unlock_account(&opd_admin, &boss.employee_id).await.unwrap_err().status(),
        403
    );
    store.unlock_account(&opd_admin, &staf.employee_id).await.unwrap();
    // Someone of another OPD is not found through this OPD's proof.
    let e = store.unlock_account(&opd_admin, &bappeda_head.employee_id).await.unwrap_err();
    assert_eq!(e.status(), 404);
    // Deactivating: another person yes, oneself no.
    store.set_employee_active(&opd_admin, &staf.employee_id, false).await.unwrap();
    let e = store.set_employee_active(&opd_admin, &admin.employee_id, false).await.unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.to_string().contains("sendiri"), "{e}");
}
dual_test!(accounts_follow_the_rule_t, accounts_follow_the_rule);

async fn opds_of_another_pemda_are_out_of_reach(store: Store) {
    seed_demo(&store).await.unwrap();
    let pemda = PemdaAdmin::check(caller(&store, ADMIN_PEMDA).await).unwrap();
    let kominfo = store.get_opd(&opd_of(&store, KADIS).await).await.unwrap();
    let input = domain::model::OpdInput {
        name: kominfo.name.clone(),
        short_name: kominfo.short_name.clone(),
        code: kominfo.code.clone(),
        address: kominfo.address.clone(),
        phone: kominfo.phone.clone(),
        email: kominfo.email.clone(),
        website: kominfo.website.clone(),
    };
    store.update_opd(&pemda, &kominfo.id, &input, true).await.unwrap();
    sqlx::query(
        "INSERT INTO pemda (id, name, short_name, code, number_format, created_ms) \
         VALUES ('pemda-lain', 'Kabupaten Lain', 'Lain', '3599', '{urut}/{tahun}', 0)",
    )
    .execute(&store.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE opd SET pemda_id = 'pemda-lain' WHERE id = $1")
        .bind(&kominfo.id)
        .execute(&store.pool)
        .await
        .unwrap();
    let e = store.update_opd(&pemda, &kominfo.id, &input, true).await.unwrap_err();
    assert_eq!(e.status(), 403);
}
dual_test!(opds_of_another_pemda_are_out_of_reach_t, opds_of_another_pemda_are_out_of_reach);
