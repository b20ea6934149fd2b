//! The satisfaction survey: offered on the Beranda once a month, results for the Admin Pemda.

use crate::error::AppError;
use domain::survey::SurveyResults;
use leptos::prelude::*;

/// Whether the Beranda offers the survey to the caller now.
#[server(prefix = "/api", endpoint = "survey_due", output = crate::api::JsonReply)]
pub async fn survey_due() -> Result<bool, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.survey_due(&s.user).await?)
}

/// Keeps an answer (a level code and an optional comment), without the person.
#[server(prefix = "/api", endpoint = "answer_survey", output = crate::api::JsonReply)]
pub async fn answer_survey(level: Option<String>, comment: String) -> Result<(), AppError> {
    use super::ctx::*;
    use domain::survey::SurveyAnswer;
    let s = require_session().await?;
    let answer = SurveyAnswer { level: level.unwrap_or_default(), comment };
    Ok(state().store.answer_survey(&s.user, &answer, request_lang()).await?)
}

/// "Nanti saja": not offered again this month.
#[server(prefix = "/api", endpoint = "dismiss_survey", output = crate::api::JsonReply)]
pub async fn dismiss_survey() -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.dismiss_survey(&s.user).await?)
}

/// Counts per OPD and the comments of the last months, for the Admin Pemda.
#[server(prefix = "/api", endpoint = "survey_report", output = crate::api::JsonReply)]
pub async fn survey_report() -> Result<SurveyResults, AppError> {
    use super::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.survey_results(&admin).await?)
}
