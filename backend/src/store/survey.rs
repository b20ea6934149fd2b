//! The satisfaction survey (see `domain::survey`): offered once a month per person, answered
//! anonymously, counted per OPD for the Admin Pemda.

use super::Store;
use crate::rights::PemdaAdmin;
use crate::{BackendError, Result, new_id, now_ms};
use domain::Code;
use domain::Lang;
use domain::model::SessionUser;
use domain::survey::{
    Satisfaction, SurveyAnswer, SurveyComment, SurveyOpdRow, SurveyResults, survey_due,
    survey_month,
};
use sqlx::Row;

/// How many months of answers the results cover (this one included).
pub const RESULT_MONTHS: i64 = 6;

/// The most comments the results list, newest month first.
const COMMENTS_SHOWN: i64 = 50;

impl Store {
    /// Whether the survey should be offered to the caller now.
    pub async fn survey_due(&self, user: &SessionUser) -> Result<bool> {
        self.survey_due_at(user, now_ms()).await
    }

    pub async fn survey_due_at(&self, user: &SessionUser, now: i64) -> Result<bool> {
        let last: Option<String> =
            sqlx::query_scalar("SELECT month FROM survey_prompt WHERE employee_id = $1")
                .bind(&user.employee_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(survey_due(last.as_deref(), now))
    }

    /// Keeps the caller's answer (without the caller) and puts the survey off until next month.
    /// Refused when the caller already answered or put it off this month, so a double click or a
    /// replayed request never counts twice.
    pub async fn answer_survey(
        &self,
        user: &SessionUser,
        answer: &SurveyAnswer,
        l: Lang,
    ) -> Result<()> {
        self.answer_survey_at(user, answer, l, now_ms()).await
    }

    pub async fn answer_survey_at(
        &self,
        user: &SessionUser,
        answer: &SurveyAnswer,
        l: Lang,
        now: i64,
    ) -> Result<()> {
        let (level, comment) = answer.check().map_err(|e| BackendError::invalid(e.message(l)))?;
        let month = survey_month(now);
        let mut tx = self.begin_write().await?;
        if !self.mark_survey_month(&mut tx, user, &month).await? {
            return Err(BackendError::invalid(l.t(
                "Survei bulan ini sudah Anda isi atau tunda. Terima kasih.",
                "You have already answered or put off this month's survey. Thank you.",
            )));
        }
        sqlx::query(
            "INSERT INTO survey_answer (id, pemda_id, opd_id, month, level, comment) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(&user.pemda_id)
        .bind(&user.opd_id)
        .bind(&month)
        .bind(level.code())
        .bind(comment)
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    /// "Nanti saja": not offered again this month. Nothing is counted.
    pub async fn dismiss_survey(&self, user: &SessionUser) -> Result<()> {
        self.dismiss_survey_at(user, now_ms()).await
    }

    pub async fn dismiss_survey_at(&self, user: &SessionUser, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        self.mark_survey_month(&mut tx, user, &survey_month(now)).await?;
        tx.commit().await
    }

    /// Records that the person has been asked in `month`; false when they already were.
    async fn mark_survey_month(
        &self,
        tx: &mut super::WriteTx,
        user: &SessionUser,
        month: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO survey_prompt (employee_id, month) VALUES ($1, $2) \
             ON CONFLICT (employee_id) DO UPDATE SET month = $2 WHERE survey_prompt.month <> $2",
        )
        .bind(&user.employee_id)
        .bind(month)
        .execute(tx.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The answers of the last [`RESULT_MONTHS`] months in the admin's Pemda: counts per OPD
    /// (OPDs without answers left out), and the latest comments with their level and month.
    pub async fn survey_results(&self, admin: &PemdaAdmin) -> Result<SurveyResults> {
        self.survey_results_at(admin, now_ms()).await
    }

    pub async fn survey_results_at(&self, admin: &PemdaAdmin, now: i64) -> Result<SurveyResults> {
        let since = first_month(now);
        let mut rows: Vec<SurveyOpdRow> = Vec::new();
        let counted = sqlx::query(
            "SELECT a.opd_id, o.name, a.level, COUNT(*) AS n FROM survey_answer a \
             JOIN opd o ON o.id = a.opd_id \
             WHERE a.pemda_id = $1 AND a.month >= $2 \
             GROUP BY a.opd_id, o.name, a.level ORDER BY o.name, a.opd_id",
        )
        .bind(admin.pemda_id())
        .bind(&since)
        .fetch_all(&self.pool)
        .await?;
        for r in counted {
            let opd_id: String = r.try_get("opd_id")?;
            let Some(level) = Satisfaction::from_code(&r.try_get::<String, _>("level")?) else {
                continue;
            };
            if rows.last().is_none_or(|last| last.opd_id != opd_id) {
                rows.push(SurveyOpdRow { opd_id, opd_name: r.try_get("name")?, counts: [0; 4] });
            }
            if let Some(row) = rows.last_mut() {
                row.counts[level.index()] += r.try_get::<i64, _>("n")?;
            }
        }
        // Newest month first; within a month by OPD and text, never by when it was written.
        let comments = sqlx::query(
            "SELECT o.name, a.month, a.level, a.comment FROM survey_answer a \
             JOIN opd o ON o.id = a.opd_id \
             WHERE a.pemda_id = $1 AND a.month >= $2 AND a.comment IS NOT NULL \
             ORDER BY a.month DESC, o.name, a.comment LIMIT $3",
        )
        .bind(admin.pemda_id())
        .bind(&since)
        .bind(COMMENTS_SHOWN)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(SurveyComment {
                opd_name: r.try_get("name").ok()?,
                month: r.try_get("month").ok()?,
                level: Satisfaction::from_code(&r.try_get::<String, _>("level").ok()?)?,
                text: r.try_get("comment").ok()?,
            })
        })
        .collect();
        Ok(SurveyResults { since, rows, comments })
    }
}

/// The first month of the results window that ends with `now`'s month.
fn first_month(now: i64) -> String {
    let month = survey_month(now);
    let (y, m) = month.split_once('-').unwrap_or(("1970", "01"));
    let index = y.parse::<i64>().unwrap_or(1970) * 12 + m.parse::<i64>().unwrap_or(1)
        - 1
        - (RESULT_MONTHS - 1);
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_window_spans_six_months_across_a_new_year() {
        let day = |y, m, d| domain::time::days_from_civil(y, m, d) * domain::time::DAY_MS;
        assert_eq!(super::first_month(day(2026, 12, 5)), "2026-07");
        assert_eq!(super::first_month(day(2027, 3, 1)), "2026-10");
        assert_eq!(super::first_month(day(2026, 6, 30)), "2026-01");
    }
}
