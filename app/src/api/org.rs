//! The organisation chart and OPD directory, for every logged-in user of the Pemda.

use crate::error::AppError;
use domain::model::{Opd, OrgChart};
use leptos::prelude::*;

/// The org chart of an OPD (the caller's own when `opd_id` is empty).
#[server(prefix = "/api", endpoint = "org_chart", output = crate::api::JsonReply)]
pub async fn fetch_org_chart(opd_id: String) -> Result<OrgChart, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    let st = state();
    let id = if opd_id.is_empty() { s.user.opd_id.clone() } else { opd_id };
    let opd = st.store.get_opd(&id).await?;
    if !s.user.caps.can_view_org(&opd.pemda_id) {
        return Err(backend::BackendError::forbidden().into());
    }
    Ok(st.store.org_chart(&id, backend::today_wib()).await?)
}

/// OPDs of the caller's Pemda.
#[server(prefix = "/api", endpoint = "list_opds", output = crate::api::JsonReply)]
pub async fn list_opds() -> Result<Vec<Opd>, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.list_opds(&s.user.pemda_id).await?)
}
