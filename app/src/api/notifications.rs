//! The signed-in person's notices (Beranda, the bell and the notification page).

use crate::error::AppError;
use domain::model::Notification;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.notifications(&s.user).await?)
}

#[server(prefix = "/api", endpoint = "mark_notification_read")]
pub async fn mark_notification_read(id: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.mark_notification_read(&s.user, &id).await?)
}

#[server(prefix = "/api", endpoint = "mark_all_notifications_read")]
pub async fn mark_all_notifications_read() -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.mark_all_notifications_read(&s.user).await?)
}
