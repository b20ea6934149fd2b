//! Kotak Masuk: letters addressed to me or to a position I hold or act for.

use crate::error::AppError;
use domain::letter_view::{InboxPage, IncomingDetail};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "inbox", output = crate::api::JsonReply)]
pub async fn inbox(q: String, unread_only: bool, page: i64) -> Result<InboxPage, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    if q.chars().count() > 200 {
        return Err(backend::BackendError::invalid(
            "Kata kunci pencarian terlalu panjang (maksimal 200 karakter).",
        )
        .into());
    }
    Ok(state().store.inbox(&s.user, &q, unread_only, page).await?)
}

/// Opens an entry of my Kotak Masuk; the first opening is recorded as read.
#[server(prefix = "/api", endpoint = "open_inbox", output = crate::api::JsonReply)]
pub async fn open_inbox(id: String) -> Result<IncomingDetail, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state().store.open_inbox_entry(&s.user, &id).await?)
}
