//! Counters kept in step with the letter queues and the inboxes (see migration 0008), so list
//! totals and navigation badges cost one primary-key lookup per key instead of a count of rows.

use super::sql::placeholders;
use super::{Cost, Store, WriteTx};
use crate::Result;
use sqlx::Row;

/// Adds `delta` letters to the queue of a position (a letter arrives: +1, leaves: -1).
pub(crate) async fn bump_queue(tx: &mut WriteTx, position_id: &str, delta: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO position_queue (position_id, waiting) VALUES ($1, $2) \
         ON CONFLICT (position_id) DO UPDATE SET waiting = position_queue.waiting + $2",
    )
    .bind(position_id)
    .bind(delta)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Moves a letter from the queue of one position to another (either may be none).
pub(crate) async fn move_queue(
    tx: &mut WriteTx,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    if let Some(p) = from {
        bump_queue(tx, p, -1).await?;
    }
    if let Some(p) = to {
        bump_queue(tx, p, 1).await?;
    }
    Ok(())
}

/// Changes the inbox totals of one owner key.
pub(crate) async fn bump_inbox(
    tx: &mut WriteTx,
    owner_key: &str,
    total: i64,
    unread: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox_count (owner_key, total, unread) VALUES ($1, $2, $3) \
         ON CONFLICT (owner_key) DO UPDATE SET total = inbox_count.total + $2, unread = inbox_count.unread + $3",
    )
    .bind(owner_key)
    .bind(total)
    .bind(unread)
    .execute(tx.conn())
    .await?;
    Ok(())
}

impl Store {
    /// Letters waiting at any of these positions.
    pub async fn queue_count(&self, position_ids: &[String]) -> Result<i64> {
        if position_ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(waiting), 0) AS BIGINT) AS n FROM position_queue WHERE position_id IN ({})",
            placeholders(1, position_ids.len())
        );
        self.read_count(Cost::Bounded, sql, position_ids.to_vec()).await
    }

    /// (total, unread) inbox entries over these owner keys.
    pub async fn inbox_totals(&self, owner_keys: &[String]) -> Result<(i64, i64)> {
        if owner_keys.is_empty() {
            return Ok((0, 0));
        }
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS t, CAST(COALESCE(SUM(unread), 0) AS BIGINT) AS u FROM inbox_count WHERE owner_key IN ({})",
            placeholders(1, owner_keys.len())
        );
        let r = self
            .read_rows(Cost::Bounded, sql, owner_keys.to_vec(), |r| Ok((r.int("t")?, r.int("u")?)))
            .await?;
        r.into_iter()
            .next()
            .ok_or_else(|| crate::BackendError::internal("inbox totals returned no row"))
    }

    /// Recomputes every counter from the rows (after bulk loads).
    pub async fn rebuild_counters(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM position_queue").execute(tx.conn()).await?;
        sqlx::query(
            "INSERT INTO position_queue (position_id, waiting) \
             SELECT waiting_position_id, COUNT(*) FROM letter WHERE waiting_position_id IS NOT NULL GROUP BY waiting_position_id",
        )
        .execute(tx.conn())
        .await?;
        sqlx::query("DELETE FROM inbox_count").execute(tx.conn()).await?;
        sqlx::query(
            "INSERT INTO inbox_count (owner_key, total, unread) \
             SELECT owner_key, COUNT(*), SUM(CASE WHEN read_ms IS NULL THEN 1 ELSE 0 END) FROM inbox_entry GROUP BY owner_key",
        )
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    /// Keys whose counter differs from the real count, as "position_queue <id>: counter n, rows m"
    /// lines; empty when every counter is right.
    pub async fn counter_drift(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let rows = sqlx::query(
            "SELECT k, CAST(SUM(c) AS BIGINT) AS c, CAST(SUM(r) AS BIGINT) AS r FROM ( \
               SELECT position_id AS k, waiting AS c, 0 AS r FROM position_queue \
               UNION ALL SELECT waiting_position_id AS k, 0 AS c, 1 AS r FROM letter WHERE waiting_position_id IS NOT NULL \
             ) x GROUP BY k HAVING SUM(c) <> SUM(r)",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            out.push(format!(
                "position_queue {}: counter {}, rows {}",
                r.try_get::<String, _>("k")?,
                r.try_get::<i64, _>("c")?,
                r.try_get::<i64, _>("r")?
            ));
        }
        let rows = sqlx::query(
            "SELECT k, CAST(SUM(t) AS BIGINT) AS t, CAST(SUM(u) AS BIGINT) AS u, CAST(SUM(rt) AS BIGINT) AS rt, CAST(SUM(ru) AS BIGINT) AS ru FROM ( \
               SELECT owner_key AS k, total AS t, unread AS u, 0 AS rt, 0 AS ru FROM inbox_count \
               UNION ALL SELECT owner_key AS k, 0 AS t, 0 AS u, 1 AS rt, CASE WHEN read_ms IS NULL THEN 1 ELSE 0 END AS ru FROM inbox_entry \
             ) x GROUP BY k HAVING SUM(t) <> SUM(rt) OR SUM(u) <> SUM(ru)",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            out.push(format!(
                "inbox_count {}: counter {}/{}, rows {}/{}",
                r.try_get::<String, _>("k")?,
                r.try_get::<i64, _>("t")?,
                r.try_get::<i64, _>("u")?,
                r.try_get::<i64, _>("rt")?,
                r.try_get::<i64, _>("ru")?
            ));
        }
        Ok(out)
    }
}
