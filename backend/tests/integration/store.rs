//! Store tests: every case runs on SQLite and on PostgreSQL, each on a fresh database.

use crate::common::codes::*;
use crate::common::{ADMIN_PEMDA, caller, opd_admin, pemda_admin};
use backend::import;
use backend::rights::SomeAdmin;
use backend::seed::{DEMO_PASSWORD, seed_demo};
use backend::store::audit::ChainStatus;
use backend::store::org::ActingInput;
use backend::store::org::UnitInput;
use backend::store::org::{EmployeeInput, OpdInput};
use backend::{Actor, BackendError, Store, auth};
use domain::audit::ChainBreak;
use domain::org::PositionLevel;
use domain::roles::Role;

async fn seeded(store: &Store) -> (String, String, String) {
    let logins = seed_demo(store).await.unwrap();
    assert!(!logins.is_empty());
    let kadis = store
        .find_employee_by_email("bambang.sutrisno@bojonegorokab.go.id")
        .await
        .unwrap()
        .unwrap();
    let bappeda = store
        .list_opds(&kadis.pemda_id)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.short_name == "Bappeda")
        .unwrap();
    (kadis.pemda_id, kadis.opd_id, bappeda.id)
}

fn ip() -> Option<String> {
    Some("10.0.0.9".into())
}

async fn demo_org_and_superiors(store: Store) {
    let (pemda, kominfo, _) = seeded(&store).await;
    assert!(seed_demo(&store).await.unwrap().is_empty(), "seeding twice adds nothing");
    let chart = store.org_chart(&kominfo, backend::today_wib()).await.unwrap();
    let people: usize = chart.positions.iter().map(|p| p.holders.len()).sum();
    assert!((36..=46).contains(&people), "about 40 people, got {people}");
    assert_eq!(chart.units.iter().filter(|u| u.kind == UnitKind::Bidang).count(), 3);
    assert_eq!(chart.units.iter().filter(|u| u.kind == UnitKind::Seksi).count(), 6);
    let by_title = |t: &str| chart.positions.iter().find(|p| p.position.title == t).unwrap();
    let kadis = by_title("Kepala Dinas Komunikasi dan Informatika");
    let sekdin = by_title("Sekretaris Dinas");
    let kabid = by_title("Kepala Bidang E-Government");
    let kasi = by_title("Kepala Seksi Layanan E-Government");
    assert_eq!(kadis.superior_position_id, None);
    assert_eq!(sekdin.superior_position_id.as_deref(), Some(kadis.position.id.as_str()));
    assert_eq!(kabid.superior_position_id.as_deref(), Some(kadis.position.id.as_str()));
    assert_eq!(kasi.superior_position_id.as_deref(), Some(kabid.position.id.as_str()));
    let staf =
        store.find_employee_by_email("putri.ayu@bojonegorokab.go.id").await.unwrap().unwrap();
    let su = store.session_user(&staf.id, backend::today_wib()).await.unwrap();
    assert_eq!(su.superior.as_ref().map(|s| s.name.as_str()), Some("Eko Saputro, S.Kom."));
    assert_eq!(su.caps.best_level, Some(PositionLevel::Staf));
    assert_eq!(su.pemda_id, pemda);
    // Dinas Kominfo, Bappeda, and the Sekretariat Daerah of the Sekda.
    assert_eq!(store.list_opds(&pemda).await.unwrap().len(), 3);
}
dual_test!(demo_org_and_superiors_t, demo_org_and_superiors);

async fn login_lockout_and_sessions(store: Store) {
    seeded(&store).await;
    let kadis = store
        .find_employee_by_email("bambang.sutrisno@bojonegorokab.go.id")
        .await
        .unwrap()
        .unwrap();
    // By NIP (spaces allowed) and by email.
    let spaced = format!(
        "{} {} {} {}",
        &kadis.nip[0..8],
        &kadis.nip[8..14],
        &kadis.nip[14..15],
        &kadis.nip[15..]
    );
    let (token, eid) = auth::login(&store, &spaced, DEMO_PASSWORD, "10.0.0.1", "test")
        .await
        .unwrap()
        .into_session()
        .unwrap();
    assert_eq!(eid, kadis.id);
    assert!(store.session(&token).await.unwrap().is_some());
    auth::login(&store, "BAMBANG.SUTRISNO@bojonegorokab.go.id", DEMO_PASSWORD, "10.0.0.1", "test")
        .await
        .unwrap();
    // Malformed NIP, unknown NIP, wrong password: clear messages.
    let e = auth::login(&store, "12345", "x", "10.0.0.1", "t").await.unwrap_err();
    assert!(matches!(&e, BackendError::Invalid(m) if m.contains("18 digit")), "{e}");
    let e = auth::login(&store, "199001012015011999", "x", "10.0.0.1", "t").await.unwrap_err();
    assert_eq!(e.to_string(), auth::WRONG_CREDENTIALS);
    // Lock-out after repeated failures on one account, counted atomically even for parallel guesses.
    let mut guesses = Vec::new();
    for _ in 0..5 {
        let s = store.clone();
        let nip = kadis.nip.clone();
        guesses.push(tokio::spawn(async move {
            auth::login(&s, &nip, "salah123", "10.0.0.2", "t").await
        }));
    }
    for g in guesses {
        let e = g.await.unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            auth::WRONG_CREDENTIALS,
            "a locked account looks like a wrong password to a guesser"
        );
    }
    let acc = store.account_by_employee(&kadis.id).await.unwrap().unwrap();
    assert_eq!(acc.failed_count, 5);
    assert!(acc.locked_until_ms > backend::now_ms());
    let e = auth::login(&store, &kadis.nip, "salah123", "10.0.0.3", "t").await.unwrap_err();
    assert_eq!(e.to_string(), auth::WRONG_CREDENTIALS);
    let e = auth::login(&store, &kadis.nip, DEMO_PASSWORD, "10.0.0.3", "t").await.unwrap_err();
    assert_eq!(
        e.status(),
        429,
        "the owner, with the right password, is told the account is locked"
    );
    assert!(e.to_string().contains("dikunci"), "{e}");
    store.unlock_account(&opd_admin(&store, &kadis.opd_id).await, &kadis.id).await.unwrap();
    auth::login(&store, &kadis.nip, DEMO_PASSWORD, "10.0.0.3", "t").await.unwrap();
    // Per-address back-off, across accounts.
    for _ in 0..20 {
        let _ = auth::login(&store, "nobody@bojonegorokab.go.id", "x", "10.9.9.9", "t").await;
    }
    let e = auth::login(&store, &kadis.nip, DEMO_PASSWORD, "10.9.9.9", "t").await.unwrap_err();
    assert_eq!(e.status(), 429);
    assert!(e.to_string().contains("alamat ini"), "{e}");
    // Logout ends the session; an idle session expires.
    store.close_session(&Actor::user(&kadis.id, ip()), &token).await.unwrap();
    assert!(store.session(&token).await.unwrap().is_none());
    let (t2, _) = auth::login(&store, &kadis.nip, DEMO_PASSWORD, "10.0.0.4", "t")
        .await
        .unwrap()
        .into_session()
        .unwrap();
    sqlx::query("UPDATE session SET last_seen_ms = 0").execute(&store.pool).await.unwrap();
    assert!(store.session(&t2).await.unwrap().is_none(), "idle session expired");
    // Inactive accounts cannot log in.
    store
        .set_employee_active(&opd_admin(&store, &kadis.opd_id).await, &kadis.id, false)
        .await
        .unwrap();
    let e = auth::login(&store, &kadis.nip, DEMO_PASSWORD, "10.0.0.5", "t").await.unwrap_err();
    assert_eq!(e.status(), 403);
}
dual_test!(login_lockout_and_sessions_t, login_lockout_and_sessions);

async fn passwords_change_and_reset(store: Store) {
    seeded(&store).await;
    let staf =
        store.find_employee_by_email("putri.ayu@bojonegorokab.go.id").await.unwrap().unwrap();
    let (t1, _) = auth::login(&store, &staf.nip, DEMO_PASSWORD, "10.0.0.1", "a")
        .await
        .unwrap()
        .into_session()
        .unwrap();
    let (t2, _) = auth::login(&store, &staf.nip, DEMO_PASSWORD, "10.0.0.1", "b")
        .await
        .unwrap()
        .into_session()
        .unwrap();
    let actor = Actor::user(&staf.id, ip());
    let e =
        auth::change_password(&store, &actor, &staf.id, &t1, "salah", "BaruSekali9", "BaruSekali9")
            .await
            .unwrap_err();
    assert_eq!(e.to_string(), "Kata sandi lama salah.");
    let e =
        auth::change_password(&store, &actor, &staf.id, &t1, DEMO_PASSWORD, "pendek1", "pendek1")
            .await
            .unwrap_err();
    assert!(e.to_string().contains("minimal 8"));
    auth::change_password(
        &store,
        &actor,
        &staf.id,
        &t1,
        DEMO_PASSWORD,
        "BaruSekali9",
        "BaruSekali9",
    )
    .await
    .unwrap();
    assert!(store.session(&t1).await.unwrap().is_some(), "current session stays");
    assert!(store.session(&t2).await.unwrap().is_none(), "other sessions end");
    assert!(auth::login(&store, &staf.nip, DEMO_PASSWORD, "10.0.0.1", "c").await.is_err());
    auth::login(&store, &staf.nip, "BaruSekali9", "10.0.0.1", "c").await.unwrap();
    // Admin reset: temporary password, forced change at next login.
    let temp = auth::admin_reset_password(&store, &opd_admin(&store, &staf.opd_id).await, &staf.id)
        .await
        .unwrap();
    assert!(store.session(&t1).await.unwrap().is_none());
    auth::login(&store, &staf.nip, &temp, "10.0.0.1", "d").await.unwrap();
    assert!(store.session_user(&staf.id, backend::today_wib()).await.unwrap().must_change_password);
}
dual_test!(passwords_change_and_reset_t, passwords_change_and_reset);

async fn organisation_rules(store: Store) {
    let (_, kominfo, bappeda) = seeded(&store).await;
    let admin = opd_admin(&store, &kominfo).await;
    let units = store.list_units(&kominfo).await.unwrap();
    let root = units.iter().find(|u| u.parent_id.is_none()).unwrap();
    let bidang = units.iter().find(|u| u.name == "Bidang E-Government").unwrap();
    let seksi = units.iter().find(|u| u.name == "Seksi Layanan E-Government").unwrap();
    // A unit may not move under its own child.
    let e = store
        .save_unit(
            &admin,
            &UnitInput {
                id: Some(&bidang.id),
                parent_id: Some(&seksi.id),
                name: "Bidang E-Government",
                kind: UnitKind::Bidang,
                code: "",
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("di bawahnya"), "{e}");
    let e = store
        .save_unit(
            &admin,
            &UnitInput {
                id: None,
                parent_id: Some(&root.id),
                name: "  ",
                kind: UnitKind::Seksi,
                code: "",
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("wajib"));
    let e = store
        .save_unit(
            &admin,
            &UnitInput {
                id: None,
                parent_id: Some(&root.id),
                name: "Sekretariat",
                kind: UnitKind::Bidang,
                code: "",
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), 409);
    let new_unit = store
        .save_unit(
            &admin,
            &UnitInput {
                id: None,
                parent_id: Some(&bidang.id),
                name: "Seksi Aplikasi",
                kind: UnitKind::Seksi,
                code: "412.208.3.3",
            },
        )
        .await
        .unwrap();
    // One head per unit.
    store
        .save_position(&admin, None, &new_unit, "Kepala Seksi Aplikasi", PositionLevel::KepalaSeksi)
        .await
        .unwrap();
    let e = store
        .save_position(&admin, None, &new_unit, "Kepala Seksi Lain", PositionLevel::KepalaSeksi)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 409);
    // Unit with positions cannot be deleted; an empty one can.
    assert_eq!(store.delete_unit(&admin, &new_unit).await.unwrap_err().status(), 409);
    let empty = store
        .save_unit(
            &admin,
            &UnitInput {
                id: None,
                parent_id: Some(&bidang.id),
                name: "Seksi Kosong",
                kind: UnitKind::Seksi,
                code: "",
            },
        )
        .await
        .unwrap();
    store.delete_unit(&admin, &empty).await.unwrap();
    // Employees: duplicate NIP, invalid NIP, bad email; a head position held twice.
    let kadis = store
        .find_employee_by_email("bambang.sutrisno@bojonegorokab.go.id")
        .await
        .unwrap()
        .unwrap();
    let mut input = EmployeeInput {
        nip: kadis.nip.clone(),
        name: "Orang Baru".into(),
        email: "".into(),
        phone: "".into(),
        position_id: None,
    };
    let e = store.create_employee(&admin, &input, "x").await.unwrap_err();
    assert_eq!(e.status(), 409);
    assert!(e.to_string().contains("sudah terdaftar"));
    input.nip = "199513132020121001".into();
    assert!(
        store
            .create_employee(&admin, &input, "x")
            .await
            .unwrap_err()
            .to_string()
            .contains("tanggal lahir")
    );
    input.nip = "199505052020121001".into();
    input.email = "bukan-email".into();
    assert!(
        store.create_employee(&admin, &input, "x").await.unwrap_err().to_string().contains("email")
    );
    input.email = "orang.baru@bojonegorokab.go.id".into();
    input.position_id = kadis.position_id.clone();
    let e = store.create_employee(&admin, &input, "x").await.unwrap_err();
    assert!(e.to_string().contains("sudah dijabat"), "{e}");
    // A position of another OPD cannot be assigned.
    let other = store
        .list_positions(&bappeda)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.level == PositionLevel::Staf)
        .unwrap();
    input.position_id = Some(other.id);
    assert!(
        store
            .create_employee(&admin, &input, "x")
            .await
            .unwrap_err()
            .to_string()
            .contains("OPD ini")
    );
    input.position_id = None;
    let id = store.create_employee(&admin, &input, "x").await.unwrap();
    assert_eq!(
        store.get_employee(&id).await.unwrap().email.as_deref(),
        Some("orang.baru@bojonegorokab.go.id")
    );
    // Nothing half-written: the failed attempts left no rows.
    let (rows, total) = store.list_employees(&kominfo, "orang baru", 0, 50).await.unwrap();
    assert_eq!((rows.len(), total), (1, 1));
}
dual_test!(organisation_rules_t, organisation_rules);

async fn acting_officials(store: Store) {
    let (_, kominfo, _) = seeded(&store).await;
    let admin = opd_admin(&store, &kominfo).await;
    let today = backend::today_wib();
    let kabid =
        store.find_employee_by_email("teguh.wibowo@bojonegorokab.go.id").await.unwrap().unwrap();
    let kadis = store
        .find_employee_by_email("bambang.sutrisno@bojonegorokab.go.id")
        .await
        .unwrap()
        .unwrap();
    let kadis_pos = kadis.position_id.clone().unwrap();
    let e = store
        .create_acting(
            &admin,
            &ActingInput {
                position_id: &kadis_pos,
                employee_id: &kabid.id,
                kind: ActingKind::Plh,
                start_day: today,
                end_day: today + 40,
                note: "",
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("30 hari"));
    let e = store
        .create_acting(
            &admin,
            &ActingInput {
                position_id: &kadis_pos,
                employee_id: &kadis.id,
                kind: ActingKind::Plh,
                start_day: today,
                end_day: today + 2,
                note: "",
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("definitif"));
    let id = store
        .create_acting(
            &admin,
            &ActingInput {
                position_id: &kadis_pos,
                employee_id: &kabid.id,
                kind: ActingKind::Plh,
                start_day: today,
                end_day: today + 5,
                note: "Kepala Dinas cuti",
            },
        )
        .await
        .unwrap();
    let e = store
        .create_acting(
            &admin,
            &ActingInput {
                position_id: &kadis_pos,
                employee_id: &kabid.id,
                kind: ActingKind::Plt,
                start_day: today + 3,
                end_day: today + 9,
                note: "",
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), 409, "overlapping appointment");
    let su = store.session_user(&kabid.id, today).await.unwrap();
    assert_eq!(
        su.caps.best_level,
        Some(PositionLevel::KepalaOpd),
        "a Plh acts with the position's rights"
    );
    assert!(su.positions.iter().any(|p| p.acting_kind == Some(ActingKind::Plh)));
    let chart = store.org_chart(&kominfo, today).await.unwrap();
    assert_eq!(
        chart.positions.iter().find(|p| p.position.id == kadis_pos).unwrap().acting.len(),
        1
    );
    // Not in force before its start, nor after it ends.
    assert_eq!(
        store.session_user(&kabid.id, today - 1).await.unwrap().caps.best_level,
        Some(PositionLevel::KepalaBidang)
    );
    let (token, _) =
        auth::login(&store, "teguh.wibowo@bojonegorokab.go.id", DEMO_PASSWORD, "10.0.0.9", "t")
            .await
            .unwrap()
            .into_session()
            .unwrap();
    assert_eq!(cached_user(&store, &token).await.caps.best_level, Some(PositionLevel::KepalaOpd));
    store.end_acting(&admin, &id).await.unwrap();
    assert_eq!(
        store.session_user(&kabid.id, today).await.unwrap().caps.best_level,
        Some(PositionLevel::KepalaBidang)
    );
    assert_eq!(
        cached_user(&store, &token).await.caps.best_level,
        Some(PositionLevel::KepalaBidang),
        "the cache follows the end of an appointment"
    );
}
dual_test!(acting_officials_t, acting_officials);

/// The session user as a request resolves it: through the token and this copy's cache.
async fn cached_user(store: &Store, token: &str) -> domain::model::SessionUser {
    let s = store.session(token).await.unwrap().expect("session");
    store.session_user_cached(&s.employee_id, backend::today_wib(), s.cache_gen).await.unwrap()
}

async fn roles_grant_and_revoke(store: Store) {
    let (pemda, kominfo, _) = seeded(&store).await;
    let admin = SomeAdmin::check(caller(&store, ADMIN_PEMDA).await).unwrap();
    let staf =
        store.find_employee_by_email("putri.ayu@bojonegorokab.go.id").await.unwrap().unwrap();
    // The session user a request sees is cached per server copy; every change must show at once.
    let (token, _) =
        auth::login(&store, "putri.ayu@bojonegorokab.go.id", DEMO_PASSWORD, "10.0.0.9", "t")
            .await
            .unwrap()
            .into_session()
            .unwrap();
    assert!(!cached_user(&store, &token).await.caps.can_admin_opd(&kominfo, &pemda));
    store.grant_role(&admin, &staf.id, Role::AdminOpd, &kominfo).await.unwrap();
    assert_eq!(
        store.grant_role(&admin, &staf.id, Role::AdminOpd, &kominfo).await.unwrap_err().status(),
        409
    );
    assert!(cached_user(&store, &token).await.caps.can_admin_opd(&kominfo, &pemda));
    store.revoke_role(&admin, &staf.id, Role::AdminOpd, &kominfo).await.unwrap();
    assert!(!cached_user(&store, &token).await.caps.can_admin_opd(&kominfo, &pemda));
    let su = store.session_user(&staf.id, backend::today_wib()).await.unwrap();
    assert!(!su.caps.can_admin_opd(&kominfo, &pemda));
    let holders = store.list_role_holders(&pemda).await.unwrap();
    assert!(holders.iter().any(|(_, r, _)| *r == Role::AdminPemda));
    // OPD management.
    let input = OpdInput {
        name: "Dinas Kesehatan".into(),
        short_name: "Dinkes".into(),
        code: "440.1".into(),
        ..Default::default()
    };
    let pemda_admin = pemda_admin(&store).await;
    let id = store.create_opd(&pemda_admin, &input).await.unwrap();
    assert_eq!(store.create_opd(&pemda_admin, &input).await.unwrap_err().status(), 409);
    assert_eq!(store.list_units(&id).await.unwrap().len(), 1, "a new OPD has its root unit");
    let bad = OpdInput { code: "kode salah!".into(), ..input.clone() };
    assert_eq!(store.create_opd(&pemda_admin, &bad).await.unwrap_err().status(), 422);
}
dual_test!(roles_grant_and_revoke_t, roles_grant_and_revoke);

async fn csv_import_all_or_nothing(store: Store) {
    let (_, kominfo, _) = seeded(&store).await;
    let admin = opd_admin(&store, &kominfo).await;
    let kasi =
        store.find_employee_by_email("eko.saputro@bojonegorokab.go.id").await.unwrap().unwrap();
    let before = store.list_employees(&kominfo, "", 0, 1000).await.unwrap().1;
    let bad = format!(
        "nip,nama,jabatan,unit,atasan,email\n\
         199601012020121001,Ani Baru,Pranata Komputer,Seksi Layanan E-Government,{k},ani.baru@bojonegorokab.go.id\n\
         19960101,Nip Pendek,Staf,Seksi Layanan E-Government,,\n\
         199602022020122002,Unit Salah,Staf,Seksi Tidak Ada,,\n\
         199603032020121003,Atasan Hilang,Staf,Seksi Layanan E-Government,199001012015011999,\n\
         199601012020121001,Ani Ganda,Staf,Seksi Layanan E-Government,,\n",
        k = kasi.nip
    );
    let report = import::commit(&store, &admin, bad.as_bytes()).await.unwrap();
    assert!(!report.committed);
    assert_eq!(report.rows.len(), 5);
    assert!(report.rows[0].errors.is_empty(), "{:?}", report.rows[0].errors);
    assert!(report.rows[1].errors.iter().any(|e| e.contains("18 digit")));
    assert!(report.rows[2].errors.iter().any(|e| e.contains("Seksi Tidak Ada")));
    assert!(report.rows[3].errors.iter().any(|e| e.contains("tidak ditemukan")));
    assert!(report.rows[4].errors.iter().any(|e| e.contains("ganda")));
    assert_eq!(
        store.list_employees(&kominfo, "", 0, 1000).await.unwrap().1,
        before,
        "a bad file imports nothing"
    );
    // Encoding and columns.
    let r = import::preview(
        &store,
        &admin,
        b"nip,nama,jabatan,unit,atasan,email\n199601012020121001,Bud\xe9,Staf,Seksi,,\n",
    )
    .await
    .unwrap();
    assert!(r.file_errors[0].contains("UTF-8"));
    let r = import::preview(&store, &admin, b"nip;nama\n1;2\n").await.unwrap();
    assert!(r.file_errors[0].contains("Kolom wajib"));
    // A correct file: new people, a new position, an update of an existing person, superior later in the file.
    let good = format!(
        "nip,nama,jabatan,unit,atasan,email,telepon\n\
         199601012020121001,Ani Baru,Pranata Komputer Ahli Pertama,Seksi Layanan E-Government,{k},ani.baru@bojonegorokab.go.id,0812-1111-2222\n\
         199702022021012002,Bela Baru,Analis Data,Seksi Layanan E-Government,{k},,\n\
         {k},Eko Saputro S.Kom.,Kepala Seksi Layanan E-Government,Seksi Layanan E-Government,,eko.saputro@bojonegorokab.go.id,\n",
        k = kasi.nip
    );
    let report = import::commit(&store, &admin, good.as_bytes()).await.unwrap();
    assert_eq!(report.error_count(), 0, "{report:?}");
    assert!(report.committed);
    assert_eq!(report.new_accounts.len(), 2);
    assert_eq!(report.rows[2].action, "ubah");
    assert_eq!(store.list_employees(&kominfo, "", 0, 1000).await.unwrap().1, before + 2);
    assert_eq!(store.get_employee(&kasi.id).await.unwrap().name, "Eko Saputro S.Kom.");
    let ani = store.find_employee_by_nip("199601012020121001").await.unwrap().unwrap();
    let (temp_nip, _, temp) = &report.new_accounts[0];
    assert_eq!(temp_nip, "199601012020121001");
    auth::login(&store, &ani.nip, temp, "10.1.1.1", "t").await.unwrap();
    assert!(store.session_user(&ani.id, backend::today_wib()).await.unwrap().must_change_password);
    assert_eq!(
        store.session_user(&ani.id, backend::today_wib()).await.unwrap().superior.unwrap().id,
        kasi.id
    );
    // Export and re-import round-trips without errors or changes in count.
    let csv = import::export(&store, &admin).await.unwrap();
    assert!(csv.starts_with("nip,nama,jabatan,unit,atasan,email,telepon\n"));
    assert!(csv.contains(&format!(
        "199601012020121001,Ani Baru,Pranata Komputer Ahli Pertama,Seksi Layanan E-Government,{}",
        kasi.nip
    )));
    let again = import::preview(&store, &admin, csv.as_bytes()).await.unwrap();
    assert_eq!(
        again.error_count(),
        0,
        "{:?}",
        again.rows.iter().filter(|r| !r.errors.is_empty()).collect::<Vec<_>>()
    );
    assert!(again.rows.iter().all(|r| r.action == "ubah"));
}
dual_test!(csv_import_all_or_nothing_t, csv_import_all_or_nothing);

async fn audit_chain_detects_tampering(store: Store) {
    seeded(&store).await;
    let ChainStatus::Intact { rows, .. } = store.verify_audit_chain().await.unwrap() else {
        panic!("fresh chain must be intact")
    };
    assert!(rows > 40, "seeding is audited ({rows} rows)");
    let recent = store.recent_audit(5, None).await.unwrap();
    assert_eq!(recent.len(), 5);
    assert!(recent[0].seq > recent[4].seq);
    // Edit one row.
    sqlx::query("UPDATE audit_log SET detail = '{\"name\":\"dipalsukan\"}' WHERE seq = 10")
        .execute(&store.pool)
        .await
        .unwrap();
    match store.verify_audit_chain().await.unwrap() {
        ChainStatus::Broken { rows_ok, first_break } => {
            assert_eq!(rows_ok, 9);
            assert_eq!(first_break, ChainBreak::HashMismatch { seq: 10 });
        }
        other => panic!("edit not detected: {other:?}"),
    }
    // Delete a row instead (after restoring nothing: the first break stays the edit).
    sqlx::query("DELETE FROM audit_log WHERE seq = 5").execute(&store.pool).await.unwrap();
    match store.verify_audit_chain().await.unwrap() {
        ChainStatus::Broken { first_break, .. } => {
            assert_eq!(first_break, ChainBreak::Gap { expected_seq: 5, found_seq: 6 })
        }
        other => panic!("deletion not detected: {other:?}"),
    }
}
dual_test!(audit_chain_detects_tampering_t, audit_chain_detects_tampering);

async fn concurrent_writers_keep_the_chain(store: Store) {
    let (_, kominfo, _) = seeded(&store).await;
    let units = store.list_units(&kominfo).await.unwrap();
    let root = units.iter().find(|u| u.parent_id.is_none()).unwrap().id.clone();
    let admin = opd_admin(&store, &kominfo).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = store.clone();
        let (a, r) = (admin.clone(), root.clone());
        tasks.push(tokio::spawn(async move {
            s.save_unit(
                &a,
                &UnitInput {
                    id: None,
                    parent_id: Some(&r),
                    name: &format!("UPT Uji {i}"),
                    kind: UnitKind::Upt,
                    code: "",
                },
            )
            .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(matches!(store.verify_audit_chain().await.unwrap(), ChainStatus::Intact { .. }));
    assert_eq!(store.list_units(&kominfo).await.unwrap().len(), units.len() + 40);
}
dual_test!(concurrent_writers_keep_the_chain_t, concurrent_writers_keep_the_chain);

async fn bootstrap_a_real_installation(store: Store) {
    use backend::seed::{Bootstrap, bootstrap};
    let b = Bootstrap {
        pemda_name: "Pemerintah Kabupaten Sumedang".into(),
        pemda_short: "Kabupaten Sumedang".into(),
        pemda_code: "3211".into(),
        opd: OpdInput {
            name: "Dinas Komunikasi dan Informatika".into(),
            short_name: "Diskominfosanditik".into(),
            code: "555".into(),
            ..Default::default()
        },
        admin_nip: "198502022010011003".into(),
        admin_name: "Admin Sumedang".into(),
        admin_email: "admin@sumedangkab.go.id".into(),
    };
    let bad = Bootstrap { admin_nip: "123".into(), ..b.clone() };
    assert!(bootstrap(&store, &bad).await.unwrap_err().to_string().contains("18 digit"));
    assert_eq!(store.count_pemda().await.unwrap(), 0, "nothing half-written");
    let temp = bootstrap(&store, &b).await.unwrap();
    let (_, id) = auth::login(&store, "admin@sumedangkab.go.id", &temp, "10.2.2.2", "t")
        .await
        .unwrap()
        .into_session()
        .unwrap();
    let su = store.session_user(&id, backend::today_wib()).await.unwrap();
    assert!(su.must_change_password);
    assert!(su.caps.is_admin_pemda());
    assert!(su.caps.can_admin_opd(&su.opd_id, &su.pemda_id));
    assert_eq!(bootstrap(&store, &b).await.unwrap_err().status(), 409, "only on an empty database");
    assert!(matches!(store.verify_audit_chain().await.unwrap(), ChainStatus::Intact { .. }));
}
dual_test!(bootstrap_a_real_installation_t, bootstrap_a_real_installation);

async fn opd_logo_is_checked_and_kept(store: Store) {
    let (_, kominfo, _) = seeded(&store).await;
    let admin = opd_admin(&store, &kominfo).await;
    let png = backend::render::qr_png("https://contoh.go.id/logo").unwrap();
    // Not an image, a truncated PNG, an oversized file: refused with a clear message, nothing stored.
    let e = store.set_opd_logo(&admin, Some(b"GIF89a....")).await.unwrap_err();
    assert!(e.to_string().contains("PNG atau JPEG"), "{e}");
    let e = store.set_opd_logo(&admin, Some(&png[..png.len() / 2])).await.unwrap_err();
    assert!(e.to_string().contains("tidak dapat dibaca"), "{e}");
    let mut big = png.clone();
    big.resize(domain::files::MAX_LOGO_BYTES + 1, 0);
    assert!(
        store.set_opd_logo(&admin, Some(&big)).await.unwrap_err().to_string().contains("512 KB")
    );
    assert_eq!(store.opd_logo(&kominfo).await.unwrap(), None);
    // A good PNG is kept and can be removed again.
    store.set_opd_logo(&admin, Some(&png)).await.unwrap();
    assert_eq!(store.opd_logo(&kominfo).await.unwrap().as_deref(), Some(png.as_slice()));
    store.set_opd_logo(&admin, None).await.unwrap();
    assert_eq!(store.opd_logo(&kominfo).await.unwrap(), None);
}
dual_test!(opd_logo_is_checked_and_kept_t, opd_logo_is_checked_and_kept);
