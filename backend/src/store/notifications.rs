//! Notices for one person (`notification`): written inside the transaction of the change they tell
//! about, listed on the person's Beranda, marked read by that person only.

use super::{Store, WriteTx};
use crate::{Result, new_id, now_ms};
use domain::model::{Notification, SessionUser};
use sqlx::Row;

/// Notices kept on the Beranda: the newest ones, read or not.
const LIST_LIMIT: i64 = 20;

/// Writes one notice to each of `recipients` (duplicates and empty ids are skipped).
pub(crate) async fn notify_tx(
    tx: &mut WriteTx,
    recipients: &[String],
    kind: &str,
    text: &str,
    link: Option<&str>,
) -> Result<()> {
    let now = now_ms();
    let mut seen = std::collections::HashSet::new();
    for r in recipients.iter().filter(|r| !r.is_empty()) {
        if !seen.insert(r) {
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
    }
    Ok(())
}

impl Store {
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
