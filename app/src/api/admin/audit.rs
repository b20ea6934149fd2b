//! The audit log, for the Admin Pemda.

use crate::error::AppError;
use domain::model::AuditRow;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "audit_recent", output = crate::api::JsonReply)]
pub async fn audit_recent(before_seq: Option<i64>) -> Result<Vec<AuditRow>, AppError> {
    use crate::api::ctx::*;
    require_pemda_admin().await?;
    Ok(state().store.recent_audit(50, before_seq).await?)
}

/// Walks the whole chain and reports in words.
#[server(prefix = "/api", endpoint = "audit_verify", output = crate::api::JsonReply)]
pub async fn audit_verify() -> Result<(bool, String), AppError> {
    use crate::api::ctx::*;
    use backend::store::audit::ChainStatus;
    require_pemda_admin().await?;
    Ok(match state().store.verify_audit_chain().await? {
        ChainStatus::Intact { rows, .. } => {
            (true, format!("Rantai audit utuh: {rows} baris diperiksa."))
        }
        ChainStatus::Broken { rows_ok, first_break } => (
            false,
            format!(
                "Rantai audit RUSAK pada baris {} ({} baris sebelumnya utuh): {}.",
                first_break.seq(),
                rows_ok,
                first_break.describe()
            ),
        ),
    })
}
