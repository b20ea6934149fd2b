//! Notification settings and e-mail digests: a group switched off writes no notice (a leader's
//! reminder always does), refusals change nothing, and digests reach a real SMTP server once per
//! period, naming kinds and counts but never a letter's subject.

use crate::common::{SmtpSink, user};
use backend::Store;
use backend::mail::Mailer;
use backend::seed::seed_demo;
use domain::Lang;
use domain::model::SessionUser;
use domain::notify::{DigestFrequency, NoticeGroup, NotificationSettings};

const KABID: &str = "teguh.wibowo@bojonegorokab.go.id";
const STAF: &str = "putri.ayu@bojonegorokab.go.id";
const FROM: &str = "e-Office Bojonegoro <eoffice@bojonegorokab.go.id>";

fn settings(muted: &[NoticeGroup], digest: DigestFrequency) -> NotificationSettings {
    NotificationSettings { muted: muted.to_vec(), digest, ..Default::default() }
}

async fn kinds(store: &Store, u: &SessionUser) -> Vec<String> {
    store.notifications(u).await.unwrap().into_iter().map(|n| n.kind).collect()
}

async fn a_muted_group_writes_no_notice(store: Store) {
    seed_demo(&store).await.unwrap();
    let putri = user(&store, STAF).await;
    // Untouched settings: everything shown, no digest, no mail server.
    let s = store.notification_settings(&putri).await.unwrap();
    assert_eq!(s, NotificationSettings { email: Some(STAF.into()), ..Default::default() });

    store
        .save_notification_settings(
            &putri,
            &settings(&[NoticeGroup::Surat], DigestFrequency::Off),
            Lang::Id,
        )
        .await
        .unwrap();
    assert_eq!(store.notification_settings(&putri).await.unwrap().muted, vec![NoticeGroup::Surat]);
    store.notify(&putri.employee_id, "letter_signed", "Surat telah ditandatangani").await.unwrap();
    store.notify(&putri.employee_id, "disposition_new", "Disposisi baru").await.unwrap();
    store.notify(&putri.employee_id, "reminder", "Pengingat dari Kepala Dinas").await.unwrap();
    let k = kinds(&store, &putri).await;
    assert!(!k.contains(&"letter_signed".to_string()), "{k:?}");
    assert!(k.contains(&"disposition_new".to_string()), "{k:?}");
    assert!(k.contains(&"reminder".to_string()), "{k:?}");

    // Refused, and nothing changed: leaders' notices cannot be switched off, and no digest without
    // a mail server, nor without an address.
    let e = store
        .save_notification_settings(
            &putri,
            &settings(&[NoticeGroup::Pimpinan], DigestFrequency::Off),
            Lang::Id,
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), 422);
    assert!(e.user_message().contains("tidak dapat dimatikan"), "{}", e.user_message());
    let e = store
        .save_notification_settings(&putri, &settings(&[], DigestFrequency::Daily), Lang::En)
        .await
        .unwrap_err();
    assert_eq!(e.status(), 422);
    assert!(e.user_message().contains("does not send e-mail"), "{}", e.user_message());
    assert_eq!(store.notification_settings(&putri).await.unwrap().muted, vec![NoticeGroup::Surat]);

    store.set_mailer(Mailer::new("smtp://127.0.0.1:9", FROM).unwrap());
    sqlx::query("UPDATE employee SET email = NULL WHERE id = $1")
        .bind(&putri.employee_id)
        .execute(&store.pool)
        .await
        .unwrap();
    let e = store
        .save_notification_settings(&putri, &settings(&[], DigestFrequency::Weekly), Lang::Id)
        .await
        .unwrap_err();
    assert!(e.user_message().contains("belum terdaftar"), "{}", e.user_message());
    let e = store.send_test_email(&putri, Lang::Id).await.unwrap_err();
    assert_eq!(e.status(), 422);
    // Showing everything again is always possible.
    store
        .save_notification_settings(&putri, &settings(&[], DigestFrequency::Off), Lang::Id)
        .await
        .unwrap();
    store.notify(&putri.employee_id, "letter_signed", "Surat telah ditandatangani").await.unwrap();
    assert!(kinds(&store, &putri).await.contains(&"letter_signed".to_string()));
}
dual_test!(a_muted_group_writes_no_notice_t, a_muted_group_writes_no_notice);

async fn digests_reach_the_smtp_server_once_per_period(store: Store) {
    let Some(sink) = SmtpSink::start().await else { return };
    seed_demo(&store).await.unwrap();
    let kabid = user(&store, KABID).await;
    let putri = user(&store, STAF).await;
    // No mail server yet: nothing goes out, and nothing is lost.
    assert_eq!(store.send_email_digests(backend::now_ms()).await.unwrap(), 0);

    // A mail server that does not answer: the digest is tried again on the next run.
    store.set_mailer(Mailer::new("smtp://127.0.0.1:9", FROM).unwrap());
    store
        .save_notification_settings(
            &kabid,
            &settings(&[NoticeGroup::Tenggat], DigestFrequency::Daily),
            Lang::Id,
        )
        .await
        .unwrap();
    store
        .save_notification_settings(&putri, &settings(&[], DigestFrequency::Weekly), Lang::Id)
        .await
        .unwrap();
    let secret = "Rencana mutasi pejabat eselon III";
    store
        .notify(
            &kabid.employee_id,
            "letter_paraf",
            &format!("Surat menunggu paraf Anda: \"{secret}\""),
        )
        .await
        .unwrap();
    store
        .notify(&kabid.employee_id, "letter_paraf", "Surat menunggu paraf Anda: \"Undangan rapat\"")
        .await
        .unwrap();
    store.notify(&kabid.employee_id, "reminder", "Pengingat dari Kepala Dinas").await.unwrap();
    // Unread before the group was switched off stays out of the digest too.
    sqlx::query("INSERT INTO notification (id, employee_id, kind, text, created_ms) VALUES ($1, $2, 'overdue', 'x', $3)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&kabid.employee_id)
        .bind(backend::now_ms() - 1000)
        .execute(&store.pool)
        .await
        .unwrap();
    // Putri has read hers: no digest for her.
    store.notify(&putri.employee_id, "disposition_new", "Disposisi baru").await.unwrap();
    store.mark_all_notifications_read(&putri).await.unwrap();

    let now = backend::now_ms() + 1;
    assert_eq!(store.send_email_digests(now).await.unwrap(), 0);
    store.set_mailer(Mailer::new(&sink.url(), FROM).unwrap());
    assert_eq!(store.send_email_digests(now).await.unwrap(), 1);
    assert_eq!(store.send_email_digests(now + 60_000).await.unwrap(), 0, "once per period");
    let mail = sink.messages();
    assert_eq!(mail.len(), 1, "{mail:?}");
    let m = &mail[0];
    assert!(m.contains(&format!("To: {KABID}")) || m.contains(&format!("<{KABID}>")), "{m}");
    assert!(m.contains("eoffice@bojonegorokab.go.id"), "{m}");
    assert!(m.contains("Subject: Ringkasan harian e-Office: 3 pemberitahuan belum dibaca"), "{m}");
    assert!(m.contains("- Surat menunggu paraf Anda: 2"), "{m}");
    assert!(m.contains("- Pengingat dari pimpinan: 1"), "{m}");
    assert!(!m.contains("lewat tenggat"), "a muted group stays out: {m}");
    assert!(!m.contains(secret) && !m.contains("Undangan rapat"), "no subject leaves: {m}");

    // The next day's digest counts only what came after this one.
    store.notify(&kabid.employee_id, "disposition_new", "Disposisi baru").await.unwrap();
    let tomorrow = now + domain::time::DAY_MS;
    assert_eq!(store.send_email_digests(tomorrow).await.unwrap(), 1);
    let mail = sink.messages();
    assert_eq!(mail.len(), 2);
    assert!(mail[1].contains("1 pemberitahuan belum dibaca"), "{}", mail[1]);
    assert!(mail[1].contains("- Disposisi baru untuk Anda: 1"), "{}", mail[1]);

    // A test e-mail goes to the caller's own address, at most once a minute.
    assert_eq!(store.send_test_email(&putri, Lang::Id).await.unwrap(), STAF);
    let e = store.send_test_email(&putri, Lang::Id).await.unwrap_err();
    assert_eq!(e.status(), 429);
    let mail = sink.messages();
    assert_eq!(mail.len(), 3);
    assert!(mail[2].contains("Subject: Uji e-mail e-Office"), "{}", mail[2]);
}
dual_test!(
    digests_reach_the_smtp_server_once_per_period_t,
    digests_reach_the_smtp_server_once_per_period
);
