//! The first-login tour (`domain::help::tour`): offered to a new account until it is finished or
//! skipped, on any device.

use super::Store;
use crate::{Result, now_ms};
use domain::model::SessionUser;

impl Store {
    /// Whether the caller has not yet finished or skipped the tour.
    pub async fn tour_due(&self, user: &SessionUser) -> Result<bool> {
        let done: Option<i64> =
            sqlx::query_scalar("SELECT done_at FROM tour_done WHERE employee_id = $1")
                .bind(&user.employee_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(done.is_none())
    }

    /// Finished or skipped: never offered again. Doing it twice (two tabs) is no error.
    pub async fn finish_tour(&self, user: &SessionUser) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO tour_done (employee_id, done_at) VALUES ($1, $2) \
             ON CONFLICT (employee_id) DO NOTHING",
        )
        .bind(&user.employee_id)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    /// Marks every account existing now as toured (the demo's people have been shown around).
    /// (`WHERE true`: SQLite needs it to read `ON CONFLICT` after a `SELECT` as the upsert.)
    pub async fn finish_tour_for_everyone(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO tour_done (employee_id, done_at) SELECT id, $1 FROM employee WHERE true \
             ON CONFLICT (employee_id) DO NOTHING",
        )
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }
}
