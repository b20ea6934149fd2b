//! The leaders' dashboard and its interventions.

use crate::error::AppError;
use domain::dashboard::DashboardView;
use leptos::prelude::*;

/// The dashboard of an OPD (`opd`), a unit (`unit`) or, with neither, the caller's widest view;
/// `tingkat` (a position level code) narrows the list of waiting letters to that level.
#[server(prefix = "/api", endpoint = "get_dashboard", output = crate::api::JsonReply)]
pub async fn get_dashboard(
    opd: String,
    unit: String,
    tingkat: String,
) -> Result<DashboardView, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let store = &state().store;
    let scope = store.dashboard_scope(&s.user, Some(&opd), Some(&unit)).await?;
    Ok(store.dashboard(&s.user, &scope, tingkat.trim().parse().ok()).await?)
}

/// Reminds whoever holds a letter (`kind` = "letter") or a disposition ("disposition").
#[server(prefix = "/api", endpoint = "remind_item", output = crate::api::JsonReply)]
pub async fn remind_item(kind: String, id: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let kind = domain::dashboard::ItemKind::from_code(&kind)
        .ok_or_else(|| backend::BackendError::invalid("Jenis item tidak dikenal."))?;
    Ok(state().store.remind(&s.user, Some(s.ip.clone()), kind, &id).await?)
}

/// Escalates a stuck item to its holder's superior, with the reason.
#[server(prefix = "/api", endpoint = "escalate_item", output = crate::api::JsonReply)]
pub async fn escalate_item(kind: String, id: String, note: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let kind = domain::dashboard::ItemKind::from_code(&kind)
        .ok_or_else(|| backend::BackendError::invalid("Jenis item tidak dikenal."))?;
    Ok(state().store.escalate(&s.user, Some(s.ip.clone()), kind, &id, &note).await?)
}

/// Gives a disposition that is not followed up to another position, with the reason.
#[server(prefix = "/api", endpoint = "reassign_item", output = crate::api::JsonReply)]
pub async fn reassign_item(id: String, to: String, note: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.reassign_disposition(&s.user, Some(s.ip.clone()), &id, &to, &note).await?)
}

/// Puts someone from quadrant A forward for a reward (`kind` = "reward") or a promotion.
#[server(prefix = "/api", endpoint = "propose_candidate", output = crate::api::JsonReply)]
pub async fn propose_candidate(
    employee_id: String,
    kind: String,
    note: String,
) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let kind = domain::dashboard::CandidateKind::from_code(&kind)
        .ok_or_else(|| backend::BackendError::invalid("Pilih jenis usulan."))?;
    Ok(state()
        .store
        .propose_candidate(&s.user, Some(s.ip.clone()), &employee_id, kind, &note)
        .await?)
}

/// The caller's quadrant this month and in the closed months.
#[server(prefix = "/api", endpoint = "my_quadrant_history", output = crate::api::JsonReply)]
pub async fn my_quadrant_history() -> Result<Vec<domain::dashboard::QuadrantMonth>, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.my_quadrants(&s.user).await?)
}
