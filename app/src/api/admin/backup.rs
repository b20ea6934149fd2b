//! The installation's backups, for the Admin Pemda.

use crate::error::AppError;
use domain::model::BackupStatus;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "backup_status", output = crate::api::JsonReply)]
pub async fn load_backup_status() -> Result<BackupStatus, AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.backup_status(&admin).await?)
}
