//! The Pemda's letter settings (Admin Pemda): number format, where returned letters restart,
//! klasifikasi arsip codes.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LetterSettings {
    pub number_format: String,
    pub restart_policy: String,
    pub klasifikasi: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "letter_settings", output = crate::api::JsonReply)]
pub async fn get_letter_settings() -> Result<LetterSettings, AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    let st = state();
    let (number_format, restart_policy) = st.store.letter_settings(admin.pemda_id()).await?;
    Ok(LetterSettings {
        number_format,
        restart_policy,
        klasifikasi: st.store.list_klasifikasi(admin.pemda_id()).await?,
    })
}

#[server(prefix = "/api", endpoint = "save_letter_settings", output = crate::api::JsonReply)]
pub async fn save_letter_settings(
    number_format: String,
    restart_policy: String,
) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.set_letter_settings(&admin, &number_format, &restart_policy).await?)
}

#[server(prefix = "/api", endpoint = "save_klasifikasi", output = crate::api::JsonReply)]
pub async fn save_klasifikasi(code: String, name: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.save_klasifikasi(&admin, &code, &name).await?)
}

#[server(prefix = "/api", endpoint = "delete_klasifikasi", output = crate::api::JsonReply)]
pub async fn delete_klasifikasi(code: String) -> Result<(), AppError> {
    use crate::api::ctx::*;
    let admin = require_pemda_admin().await?;
    Ok(state().store.delete_klasifikasi(&admin, &code).await?)
}
