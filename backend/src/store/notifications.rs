//! Notices for one person (`notification`): written inside the transaction of the change they tell
//! about, listed on the person's Beranda and notification page, marked read by that person only.
//!
//! Open pages hear of new notices through a live stream (server-sent events). Each write announces
//! its recipients once it commits: on SQLite inside this process (one copy serves the file); on
//! PostgreSQL through `NOTIFY`, which the database delivers at commit to every copy listening, so a
//! notice made on one copy reaches a page connected to another.

use super::{Store, WriteTx};
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::Lang;
use domain::model::{Notification, SessionUser};
use domain::notify::{DigestFrequency, NoticeGroup, NotificationSettings};
use sqlx::Row;

/// The PostgreSQL channel that carries recipient ids.
const CHANNEL: &str = "eoffice_notification";

/// Notices kept on the Beranda: the newest ones, read or not.
const LIST_LIMIT: i64 = 20;

/// Writes one notice to each of `recipients` (duplicates and empty ids are skipped, and so is
/// whoever switched the notice's group off in their settings).
pub(crate) async fn notify_tx(
    tx: &mut WriteTx,
    recipients: &[String],
    kind: &str,
    text: &str,
    link: Option<&str>,
) -> Result<()> {
    let now = now_ms();
    let group = NoticeGroup::of_kind(kind);
    let mut seen = std::collections::HashSet::new();
    for r in recipients.iter().filter(|r| !r.is_empty()) {
        if !seen.insert(r) {
            continue;
        }
        if group.can_mute() && muted_tx(tx, r).await?.contains(&group) {
            continue;
        }
        sqlx::query(
            "INSERT INTO notification (id, employee_id, kind, text, link, created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(r)
        .bind(kind)
        .bind(text)
        .bind(link)
        .bind(now)
        .execute(tx.conn())
        .await?;
        if tx.kind() == super::DbKind::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(r)
                .execute(tx.conn())
                .await?;
        } else {
            tx.notified.push(r.clone());
        }
    }
    Ok(())
}

/// The groups one person switched off.
async fn muted_tx(tx: &mut WriteTx, employee_id: &str) -> Result<Vec<NoticeGroup>> {
    let muted: Option<String> =
        sqlx::query("SELECT muted FROM notification_pref WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_optional(tx.conn())
            .await?
            .map(|r| r.try_get("muted"))
            .transpose()?;
    Ok(muted.map(|m| NotificationSettings::parse_muted(&m)).unwrap_or_default())
}

/// Everyone who acts for a position today: its holders and its acting officials (Plt/Plh).
pub(crate) async fn position_people_tx(tx: &mut WriteTx, position_id: &str) -> Result<Vec<String>> {
    let today = domain::time::wib_day(now_ms());
    let rows = sqlx::query(
        "SELECT id FROM employee WHERE position_id = $1 AND active = 1 \
         UNION SELECT a.employee_id AS id FROM acting a JOIN employee e ON e.id = a.employee_id \
         WHERE a.position_id = $1 AND a.ended = 0 AND a.start_day <= $2 AND a.end_day >= $2 AND e.active = 1",
    )
    .bind(position_id)
    .bind(today)
    .fetch_all(tx.conn())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

impl Store {
    /// Recipient ids of new notices, as they commit (on PostgreSQL once `listen_notifications`
    /// runs). A receiver that falls behind gets `Lagged` and should re-read the counts.
    pub fn subscribe_notifications(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.hub.subscribe()
    }

    /// PostgreSQL: listens for the notices of every copy and passes them to this copy's
    /// subscribers, reconnecting when the connection drops. Nothing to do on SQLite.
    pub async fn listen_notifications(&self) -> Result<()> {
        if self.kind != super::DbKind::Postgres {
            return Ok(());
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url).await?;
        listener.listen(CHANNEL).await?;
        let hub = self.hub.clone();
        tokio::spawn(async move {
            loop {
                // `recv` reconnects by itself after a lost connection.
                match listener.recv().await {
                    Ok(n) => {
                        let _ = hub.send(n.payload().to_string());
                    }
                    Err(e) => {
                        tracing::warn!("notification listener: {e}");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }

    /// How many of the caller's notices are unread, and the newest unread one.
    pub async fn unread_notifications(
        &self,
        employee_id: &str,
    ) -> Result<(i64, Option<Notification>)> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM notification WHERE employee_id = $1 AND read_ms IS NULL",
        )
        .bind(employee_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let newest = sqlx::query(
            "SELECT id, kind, text, link, created_ms FROM notification WHERE employee_id = $1 AND read_ms IS NULL \
             ORDER BY created_ms DESC LIMIT 1",
        )
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| -> Result<Notification> {
            Ok(Notification {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                text: r.try_get("text")?,
                link: r.try_get("link")?,
                created_ms: r.try_get("created_ms")?,
                read: false,
            })
        })
        .transpose()?;
        Ok((n, newest))
    }

    /// Marks all of the caller's notices read.
    pub async fn mark_all_notifications_read(&self, user: &SessionUser) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE notification SET read_ms = $1 WHERE employee_id = $2 AND read_ms IS NULL",
        )
        .bind(now_ms())
        .bind(&user.employee_id)
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    /// The periodic deadline check: the holder of an open disposition hears the day before its
    /// deadline, and the holder and the giver hear once it is overdue. Each notice goes out once
    /// (`notice_sent`), whichever copy runs the check and however often. Returns how many items
    /// were notified.
    pub async fn send_deadline_notices(&self) -> Result<usize> {
        let today = domain::time::wib_day(now_ms());
        let rows = sqlx::query(
            "SELECT id, incoming_id, subject, deadline_day, to_position_id, from_position_id FROM disposition \
             WHERE status = 'open' AND deadline_day IS NOT NULL AND deadline_day <= $1 AND deadline_day >= $2",
        )
        .bind(today + 1)
        // Overdue items from the last month only: older ones were told when they fell due.
        .bind(today - 31)
        .fetch_all(&self.pool)
        .await?;
        let mut sent = 0;
        for r in &rows {
            let id: String = r.try_get("id")?;
            let deadline: i64 = r.try_get("deadline_day")?;
            let overdue = deadline < today;
            if !overdue && deadline != today + 1 {
                continue;
            }
            let key = format!("{}:{id}:{deadline}", if overdue { "overdue" } else { "tomorrow" });
            let mut tx = self.begin_write().await?;
            let fresh = sqlx::query(
                "INSERT INTO notice_sent (key, at_ms) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(&key)
            .bind(now_ms())
            .execute(tx.conn())
            .await?
            .rows_affected();
            if fresh == 0 {
                continue;
            }
            let subject: String = r.try_get("subject")?;
            let link = format!("/surat-masuk/{}", r.try_get::<String, _>("incoming_id")?);
            let day = domain::time::long_date(deadline, domain::Lang::Id);
            let holders =
                position_people_tx(&mut tx, &r.try_get::<String, _>("to_position_id")?).await?;
            if overdue {
                let text = format!(
                    "Disposisi lewat tenggat ({day}): \"{subject}\". Segera tindak lanjuti dan laporkan."
                );
                notify_tx(&mut tx, &holders, "overdue", &text, Some(&link)).await?;
                let givers =
                    position_people_tx(&mut tx, &r.try_get::<String, _>("from_position_id")?)
                        .await?;
                let text =
                    format!("Disposisi yang Anda berikan lewat tenggat ({day}): \"{subject}\"");
                notify_tx(&mut tx, &givers, "overdue", &text, Some(&link)).await?;
            } else {
                let text = format!("Tenggat disposisi besok ({day}): \"{subject}\"");
                notify_tx(&mut tx, &holders, "deadline_tomorrow", &text, Some(&link)).await?;
            }
            tx.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }

    /// One notice to one person, in a transaction of its own.
    pub async fn notify(&self, employee_id: &str, kind: &str, text: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        notify_tx(&mut tx, &[employee_id.to_string()], kind, text, None).await?;
        tx.commit().await
    }

    /// The caller's newest notices, unread first.
    pub async fn notifications(&self, user: &SessionUser) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, kind, text, link, created_ms, read_ms FROM notification WHERE employee_id = $1 \
             ORDER BY CASE WHEN read_ms IS NULL THEN 0 ELSE 1 END, created_ms DESC LIMIT $2",
        )
        .bind(&user.employee_id)
        .bind(LIST_LIMIT)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    text: r.try_get("text")?,
                    link: r.try_get("link")?,
                    created_ms: r.try_get("created_ms")?,
                    read: r.try_get::<Option<i64>, _>("read_ms")?.is_some(),
                })
            })
            .collect()
    }

    /// Marks one of the caller's notices read; someone else's id changes nothing.
    pub async fn mark_notification_read(&self, user: &SessionUser, id: &str) -> Result<()> {
        // Through the write lock like every write (SQLite has one writer at a time).
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE notification SET read_ms = $1 WHERE id = $2 AND employee_id = $3 AND read_ms IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .bind(&user.employee_id)
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }
}

/// Notification settings and the e-mail digest.
impl Store {
    /// Sends notice digests (and test e-mails) through `mailer` from now on.
    pub fn set_mailer(&self, mailer: crate::mail::Mailer) {
        *self.mailer.write().unwrap_or_else(|e| e.into_inner()) = Some(mailer);
    }

    fn mailer(&self) -> Option<crate::mail::Mailer> {
        self.mailer.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The caller's settings, with their e-mail address and whether this server sends e-mail.
    pub async fn notification_settings(&self, user: &SessionUser) -> Result<NotificationSettings> {
        let row = sqlx::query(
            "SELECT e.email, p.muted, p.digest FROM employee e \
             LEFT JOIN notification_pref p ON p.employee_id = e.id WHERE e.id = $1",
        )
        .bind(&user.employee_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| BackendError::not_found("Pegawai tidak ditemukan."))?;
        let muted: Option<String> = row.try_get("muted")?;
        let digest: Option<String> = row.try_get("digest")?;
        Ok(NotificationSettings {
            muted: NotificationSettings::parse_muted(muted.as_deref().unwrap_or("")),
            digest: digest.as_deref().and_then(DigestFrequency::from_code).unwrap_or_default(),
            email: row.try_get::<Option<String>, _>("email")?.filter(|e| !e.trim().is_empty()),
            mail_ready: self.mailer().is_some(),
        })
    }

    /// Saves the caller's choice of groups and digest; refused (and nothing changed) when a group
    /// may not be switched off, or a digest cannot be delivered.
    pub async fn save_notification_settings(
        &self,
        user: &SessionUser,
        wanted: &NotificationSettings,
        l: Lang,
    ) -> Result<()> {
        let current = self.notification_settings(user).await?;
        wanted
            .check(current.email.is_some(), current.mail_ready)
            .map_err(|e| BackendError::invalid(e.message(l)))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO notification_pref (employee_id, muted, digest, updated_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (employee_id) DO UPDATE SET muted = $2, digest = $3, updated_ms = $4",
        )
        .bind(&user.employee_id)
        .bind(wanted.muted_codes())
        .bind(wanted.digest.code())
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    /// Sends the caller a test e-mail at their address on record, at most once a minute.
    /// Returns the address.
    pub async fn send_test_email(&self, user: &SessionUser, l: Lang) -> Result<String> {
        let settings = self.notification_settings(user).await?;
        let mailer = self.mailer().ok_or_else(|| {
            BackendError::invalid(domain::notify::SettingsError::MailOff.message(l))
        })?;
        let to = settings.email.ok_or_else(|| {
            BackendError::invalid(domain::notify::SettingsError::NoEmail.message(l))
        })?;
        let key = format!("testmail:{}:{}", user.employee_id, now_ms() / 60_000);
        if !self.claim_notice(&key).await? {
            return Err(BackendError::RateLimited(
                l.t(
                    "E-mail uji baru saja dikirim. Tunggu satu menit sebelum mengirim lagi.",
                    "A test e-mail was just sent. Wait a minute before sending another.",
                )
                .into(),
            ));
        }
        let (subject, body) = domain::notify::test_message(&user.name, &self.public_base(), l);
        if let Err(e) = mailer.send(&to, &subject, body).await {
            tracing::warn!(error = %e.chain(), "test e-mail");
            self.unclaim_notice(&key).await?;
            return Err(BackendError::Conflict(
                l.t(
                    "E-mail tidak dapat dikirim: server SMTP tidak menjawab atau menolak. Coba lagi nanti; bila berulang, hubungi admin.",
                    "The e-mail could not be sent: the SMTP server did not answer or refused it. Try again later; if it recurs, contact the admin.",
                )
                .into(),
            ));
        }
        Ok(to)
    }

    /// Records that `key` went out; false when it already had (another copy, an earlier run).
    async fn claim_notice(&self, key: &str) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let fresh = sqlx::query(
            "INSERT INTO notice_sent (key, at_ms) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(now_ms())
        .execute(tx.conn())
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(fresh == 1)
    }

    /// Takes back a claim whose message could not be sent, so a later run tries again.
    async fn unclaim_notice(&self, key: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM notice_sent WHERE key = $1").bind(key).execute(tx.conn()).await?;
        tx.commit().await
    }

    /// The periodic digest run: everyone whose daily or weekly digest is due and who has unread
    /// notices since their last one gets one e-mail, once per period whichever copy runs it. A
    /// message the SMTP server does not take is tried again on the next run. Returns how many
    /// digests went out; nothing without a mailer.
    pub async fn send_email_digests(&self, now: i64) -> Result<usize> {
        let Some(mailer) = self.mailer() else { return Ok(0) };
        let rows = sqlx::query(
            "SELECT p.employee_id, p.digest, p.digest_sent_ms, p.muted, e.email, e.name \
             FROM notification_pref p JOIN employee e ON e.id = p.employee_id \
             WHERE p.digest <> 'off' AND e.active = 1 AND e.email IS NOT NULL AND e.email <> ''",
        )
        .fetch_all(&self.pool)
        .await?;
        let base = self.public_base();
        let mut sent = 0;
        for r in &rows {
            let id: String = r.try_get("employee_id")?;
            let Some(freq) = DigestFrequency::from_code(&r.try_get::<String, _>("digest")?) else {
                continue;
            };
            let Some(period) = freq.period(now) else { continue };
            let since = r
                .try_get::<Option<i64>, _>("digest_sent_ms")?
                .unwrap_or(0)
                .max(now - freq.span_ms());
            let muted = NotificationSettings::parse_muted(&r.try_get::<String, _>("muted")?);
            let counts: Vec<(String, i64)> = sqlx::query(
                "SELECT kind, COUNT(*) AS n, MIN(created_ms) AS first_ms FROM notification \
                 WHERE employee_id = $1 AND read_ms IS NULL AND created_ms > $2 AND created_ms <= $3 \
                 GROUP BY kind ORDER BY first_ms, kind",
            )
            .bind(&id)
            .bind(since)
            .bind(now)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|c| Ok((c.try_get::<String, _>("kind")?, c.try_get::<i64, _>("n")?)))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .filter(|(k, _)| !muted.contains(&NoticeGroup::of_kind(k)))
            .collect();
            if counts.is_empty() {
                continue;
            }
            let key = format!("digest:{id}:{period}");
            if !self.claim_notice(&key).await? {
                continue;
            }
            let name: String = r.try_get("name")?;
            let (subject, body) =
                domain::notify::digest_message(&name, &counts, freq, &base, Lang::Id);
            let to: String = r.try_get("email")?;
            if let Err(e) = mailer.send(&to, &subject, body).await {
                tracing::warn!(error = %e.chain(), employee = %id, "notice digest");
                self.unclaim_notice(&key).await?;
                continue;
            }
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE notification_pref SET digest_sent_ms = $1 WHERE employee_id = $2")
                .bind(now)
                .bind(&id)
                .execute(tx.conn())
                .await?;
            tx.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }
}
