//! The signed-in person's notices (Beranda, the bell and the notification page).

use crate::error::AppError;
use domain::model::Notification;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "my_notifications", output = crate::api::JsonReply)]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.notifications(&s.user).await?)
}

#[server(prefix = "/api", endpoint = "mark_notification_read", output = crate::api::JsonReply)]
pub async fn mark_notification_read(id: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.mark_notification_read(&s.user, &id).await?)
}

#[server(prefix = "/api", endpoint = "mark_all_notifications_read", output = crate::api::JsonReply)]
pub async fn mark_all_notifications_read() -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.mark_all_notifications_read(&s.user).await?)
}

#[server(prefix = "/api", endpoint = "get_notification_settings", output = crate::api::JsonReply)]
pub async fn get_notification_settings() -> Result<domain::notify::NotificationSettings, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.notification_settings(&s.user).await?)
}

/// Saves the settings form: a checkbox per group that may be switched off (present when its
/// notices are shown) and the digest frequency.
#[server(prefix = "/api", endpoint = "save_notification_settings", output = crate::api::JsonReply)]
pub async fn save_notification_settings(
    show_surat: Option<String>,
    show_disposisi: Option<String>,
    show_tenggat: Option<String>,
    digest: String,
) -> Result<(), AppError> {
    use super::ctx::*;
    use domain::Code;
    use domain::notify::{DigestFrequency, NoticeGroup, NotificationSettings};
    let s = require_session().await?;
    let l = request_lang();
    let digest = DigestFrequency::from_code(&digest).ok_or_else(|| {
        AppError::from(backend::BackendError::invalid(
            l.t("Pilih frekuensi ringkasan e-mail.", "Choose how often the e-mail digest is sent."),
        ))
    })?;
    let muted = [
        (show_surat, NoticeGroup::Surat),
        (show_disposisi, NoticeGroup::Disposisi),
        (show_tenggat, NoticeGroup::Tenggat),
    ]
    .into_iter()
    .filter(|(shown, _)| shown.is_none())
    .map(|(_, g)| g)
    .collect();
    let wanted = NotificationSettings { muted, digest, ..Default::default() };
    Ok(state().store.save_notification_settings(&s.user, &wanted, l).await?)
}

/// Sends a test e-mail to the caller's address; returns the address.
#[server(prefix = "/api", endpoint = "send_test_email", output = crate::api::JsonReply)]
pub async fn send_test_email() -> Result<String, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.send_test_email(&s.user, request_lang()).await?)
}
