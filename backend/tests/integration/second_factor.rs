//! Second factor: enrolment, the login code step, replayed and recovery codes, who must have one,
//! the re-check before signing, the Admin Pemda's reset, and ending one's own sessions.

use crate::common::{ADMIN_OPD, pemda_admin, user};
use backend::Store;
use backend::auth::{LoginStep, login, login_code};
use backend::seed::{DEMO_PASSWORD, seed_demo};
use backend::store::second_factor::code_in;
use backend::{Actor, now_ms};
use domain::model::SessionUser;

const STAF: &str = "putri.ayu@bojonegorokab.go.id";
const KASI: &str = "eko.saputro@bojonegorokab.go.id";

async fn session_of(store: &Store, who: &str, ua: &str) -> String {
    match login(store, who, DEMO_PASSWORD, "10.7.0.1", ua).await.unwrap() {
        LoginStep::Session { token, .. } => token,
        LoginStep::Code { .. } => panic!("no second factor expected for {who}"),
    }
}

/// Sets up an authenticator for `who`; returns its secret, the session, and the recovery codes.
async fn enrol(store: &Store, who: &str) -> (String, String, Vec<String>) {
    let u = user(store, who).await;
    let token = session_of(store, who, "Mozilla/5.0 (Linux; Android 13) Chrome/120.0").await;
    let e = store.begin_second_factor(&u).await.unwrap();
    assert!(e.url.starts_with("otpauth://totp/") && e.url.contains(&e.secret), "{}", e.url);
    let actor = Actor::user(&u.employee_id, None);
    let codes = store
        .confirm_second_factor(&actor, &u, &token, &code_in(&e.secret, 0).unwrap())
        .await
        .unwrap();
    (e.secret, token, codes)
}

async fn refreshed(store: &Store, u: &SessionUser) -> SessionUser {
    store.session_user(&u.employee_id, backend::today_wib()).await.unwrap()
}

async fn enrolment_and_login_with_a_code(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    assert!(!staf.second_factor && staf.second_factor_due_ms.is_none(), "optional for staff");
    let token = session_of(&store, STAF, "a").await;
    let actor = Actor::user(&staf.employee_id, None);
    // Not in force until a right code is typed.
    let e = store.begin_second_factor(&staf).await.unwrap();
    let wrong = if code_in(&e.secret, 0).unwrap() == "000000" { "111111" } else { "000000" };
    let err = store.confirm_second_factor(&actor, &staf, &token, wrong).await.unwrap_err();
    assert_eq!(err.status(), 422, "{err}");
    assert!(!refreshed(&store, &staf).await.second_factor);
    session_of(&store, STAF, "still one step").await;
    let codes = store
        .confirm_second_factor(&actor, &staf, &token, &code_in(&e.secret, 0).unwrap())
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    assert!(codes.iter().all(|c| c.len() == 14 && c.matches('-').count() == 2), "{codes:?}");
    let staf = refreshed(&store, &staf).await;
    assert!(staf.second_factor);
    // A second enrolment over a live one is refused.
    assert_eq!(store.begin_second_factor(&staf).await.unwrap_err().status(), 409);

    // Login now stops after the password and waits for a code.
    let LoginStep::Code { challenge } =
        login(&store, STAF, DEMO_PASSWORD, "10.7.0.2", "b").await.unwrap()
    else {
        panic!("a code must be asked");
    };
    let err = login_code(&store, &challenge, "12345", "10.7.0.2", "b").await.unwrap_err();
    assert_eq!(err.status(), 422, "{err}");
    // The code just used to confirm is not accepted again; the next one is.
    let used = code_in(&e.secret, 0).unwrap();
    assert!(login_code(&store, &challenge, &used, "10.7.0.2", "b").await.is_err(), "replayed");
    let (t2, _) = login_code(&store, &challenge, &code_in(&e.secret, 1).unwrap(), "10.7.0.2", "b")
        .await
        .unwrap();
    assert!(store.session(&t2).await.unwrap().is_some());
    // A challenge is good for one session only.
    assert!(login_code(&store, &challenge, &codes[0], "10.7.0.2", "b").await.is_err());
    // A recovery code works once, with or without its dashes and in any case.
    let LoginStep::Code { challenge } =
        login(&store, STAF, DEMO_PASSWORD, "10.7.0.3", "c").await.unwrap()
    else {
        panic!("a code must be asked");
    };
    login_code(&store, &challenge, &codes[3].to_uppercase(), "10.7.0.3", "c").await.unwrap();
    let LoginStep::Code { challenge } =
        login(&store, STAF, DEMO_PASSWORD, "10.7.0.3", "c").await.unwrap()
    else {
        panic!("a code must be asked");
    };
    assert!(login_code(&store, &challenge, &codes[3], "10.7.0.3", "c").await.is_err(), "used up");
    assert_eq!(store.second_factor_status(&staf).await.unwrap().recovery_codes_left, 9);
    // A wrong password never reaches the code step.
    assert!(login(&store, STAF, "salah-sekali", "10.7.0.4", "d").await.is_err());

    // Staff may turn it off again, with a code.
    store.disable_second_factor(&actor, &staf, &codes[5]).await.unwrap();
    assert!(!refreshed(&store, &staf).await.second_factor);
    session_of(&store, STAF, "e").await;
}
dual_test!(enrolment_and_login_with_a_code_t, enrolment_and_login_with_a_code);

async fn wrong_codes_lock_the_account(store: Store) {
    seed_demo(&store).await.unwrap();
    let (secret, _, _) = enrol(&store, STAF).await;
    let LoginStep::Code { challenge } =
        login(&store, STAF, DEMO_PASSWORD, "10.7.1.1", "a").await.unwrap()
    else {
        panic!("a code must be asked");
    };
    // 20 wrong codes at once: all counted, so the account locks after the fifth, and then even
    // the right code is refused.
    let right = code_in(&secret, 1).unwrap();
    let wrong = if right == "999999" { "888888" } else { "999999" };
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (store, challenge) = (store.clone(), challenge.clone());
            tokio::spawn(
                async move { login_code(&store, &challenge, wrong, "10.7.1.1", "a").await },
            )
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().is_err());
    }
    let staf = user(&store, STAF).await;
    let acc = store.account_by_employee(&staf.employee_id).await.unwrap().unwrap();
    assert!(acc.locked_until_ms > now_ms(), "locked");
    let err = login_code(&store, &challenge, &right, "10.7.1.1", "a").await.unwrap_err();
    assert_eq!(err.status(), 429, "{err}");
    // A right password does not clear the count while the code is still due.
    assert!(login(&store, STAF, DEMO_PASSWORD, "10.7.1.2", "a").await.is_err());
}
dual_test!(wrong_codes_lock_the_account_t, wrong_codes_lock_the_account);

async fn required_for_admins_and_certificate_holders(store: Store) {
    seed_demo(&store).await.unwrap();
    let admin = user(&store, ADMIN_OPD).await;
    let staf = user(&store, STAF).await;
    // A new Pemda gives its admins a grace period; the Beranda asks meanwhile.
    let due = admin.second_factor_due_ms.expect("required of an admin");
    assert!(due > now_ms() && !admin.must_enrol_second_factor(now_ms()));
    assert!(staf.second_factor_due_ms.is_none());
    // Once the date has passed, an admin's session may only set it up.
    sqlx::query("UPDATE pemda SET second_factor_due_ms = $1")
        .bind(now_ms() - 1000)
        .execute(&store.pool)
        .await
        .unwrap();
    let admin = refreshed(&store, &admin).await;
    assert!(admin.must_enrol_second_factor(now_ms()));
    assert!(!refreshed(&store, &staf).await.must_enrol_second_factor(now_ms()));
    let (_, _, codes) = enrol(&store, ADMIN_OPD).await;
    let admin = refreshed(&store, &admin).await;
    assert!(admin.second_factor && !admin.must_enrol_second_factor(now_ms()));
    // Required means it cannot be turned off (staff can: see the enrolment test).
    let actor = Actor::user(&admin.employee_id, None);
    let err = store.disable_second_factor(&actor, &admin, &codes[0]).await.unwrap_err();
    assert_eq!(err.status(), 403, "{err}");
    assert!(refreshed(&store, &admin).await.second_factor);
    // A certificate holder (even one still waiting for the passphrase) must have one too.
    store.set_pki_master(Some(backend::random_token(32)));
    let pemda = user(&store, crate::common::ADMIN_PEMDA).await;
    store.init_pki(&Actor::system(), &pemda.pemda_id).await.unwrap();
    let kasi = user(&store, KASI).await;
    assert!(!store.requires_second_factor(&kasi.employee_id).await.unwrap());
    store.enrol_certificate(&pemda, None, &kasi.employee_id, 365).await.unwrap();
    assert!(store.requires_second_factor(&kasi.employee_id).await.unwrap());
    assert!(refreshed(&store, &kasi).await.must_enrol_second_factor(now_ms()));
}
dual_test!(
    required_for_admins_and_certificate_holders_t,
    required_for_admins_and_certificate_holders
);

async fn signing_asks_again_after_the_recheck_time(store: Store) {
    seed_demo(&store).await.unwrap();
    // Without a second factor nothing is asked.
    let staf = user(&store, STAF).await;
    let t = session_of(&store, STAF, "a").await;
    store.check_signing_factor(&staf, None, &t, None).await.unwrap();
    let (_, token, codes) = enrol(&store, STAF).await;
    let staf = refreshed(&store, &staf).await;
    // Just checked: no code needed.
    assert!(!store.signing_code_needed(&staf, &token).await.unwrap().0);
    store.check_signing_factor(&staf, None, &token, None).await.unwrap();
    // The check grows old (recheck time 0 minutes): a code is needed, and a right one renews it.
    sqlx::query("UPDATE pemda SET second_factor_recheck_minutes = 0")
        .execute(&store.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE session SET second_factor_ms = second_factor_ms - 1000")
        .execute(&store.pool)
        .await
        .unwrap();
    assert!(store.signing_code_needed(&staf, &token).await.unwrap().0);
    let err = store.check_signing_factor(&staf, None, &token, None).await.unwrap_err();
    assert_eq!(err.status(), 422, "{err}");
    assert!(err.to_string().contains("kode verifikasi"), "{err}");
    assert!(store.check_signing_factor(&staf, None, &token, Some("000001")).await.is_err());
    store.check_signing_factor(&staf, None, &token, Some(&codes[1])).await.unwrap();
}
dual_test!(signing_asks_again_after_the_recheck_time_t, signing_asks_again_after_the_recheck_time);

async fn sessions_are_listed_and_ended_by_their_owner(store: Store) {
    seed_demo(&store).await.unwrap();
    let staf = user(&store, STAF).await;
    let phone = session_of(
        &store,
        STAF,
        "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
    )
    .await;
    let laptop = session_of(
        &store,
        STAF,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    )
    .await;
    let list = store.my_sessions(&staf, &laptop, domain::Lang::Id).await.unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(list[0].current && list[0].device == "Chrome di Windows", "{list:?}");
    assert_eq!(list[1].device, "Chrome di Android");
    assert_eq!(list[1].ip, "10.7.0.1");
    // Someone else cannot end it by its handle.
    let other = user(&store, KASI).await;
    let other_token = session_of(&store, KASI, "x").await;
    let actor = Actor::user(&other.employee_id, None);
    let err =
        store.end_sessions(&actor, &other, &other_token, Some(&list[1].id)).await.unwrap_err();
    assert_eq!(err.status(), 404);
    assert!(store.session(&phone).await.unwrap().is_some());
    // The owner ends the phone's session from the laptop.
    let actor = Actor::user(&staf.employee_id, None);
    assert_eq!(store.end_sessions(&actor, &staf, &laptop, Some(&list[1].id)).await.unwrap(), 1);
    assert!(store.session(&phone).await.unwrap().is_none());
    assert!(store.session(&laptop).await.unwrap().is_some());
    // "All others" keeps the current one.
    let third = session_of(&store, STAF, "y").await;
    assert_eq!(store.end_sessions(&actor, &staf, &laptop, None).await.unwrap(), 1);
    assert!(store.session(&third).await.unwrap().is_none());
    assert!(store.session(&laptop).await.unwrap().is_some());
    assert_eq!(
        store.end_sessions(&actor, &staf, &laptop, Some("zz")).await.unwrap_err().status(),
        404
    );
}
dual_test!(
    sessions_are_listed_and_ended_by_their_owner_t,
    sessions_are_listed_and_ended_by_their_owner
);

async fn the_admin_pemda_resets_a_lost_second_factor(store: Store) {
    seed_demo(&store).await.unwrap();
    let (_, token, _) = enrol(&store, STAF).await;
    let staf = user(&store, STAF).await;
    let pemda = pemda_admin(&store).await;
    store.reset_second_factor(&pemda, &staf.employee_id).await.unwrap();
    assert!(store.session(&token).await.unwrap().is_none(), "signed out everywhere");
    let staf = refreshed(&store, &staf).await;
    assert!(!staf.second_factor);
    let told = store.notifications(&staf).await.unwrap();
    assert!(told.iter().any(|n| n.kind == "second_factor_reset"), "{told:?}");
    session_of(&store, STAF, "after reset").await;
    // Nothing to reset twice; one's own is refused.
    assert_eq!(
        store.reset_second_factor(&pemda, &staf.employee_id).await.unwrap_err().status(),
        422
    );
    let me = pemda.caller().user.employee_id.clone();
    assert_eq!(store.reset_second_factor(&pemda, &me).await.unwrap_err().status(), 403);
}
dual_test!(
    the_admin_pemda_resets_a_lost_second_factor_t,
    the_admin_pemda_resets_a_lost_second_factor
);
