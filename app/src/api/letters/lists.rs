//! Letter lists and navigation counts.

use crate::error::AppError;
use domain::letter::{LetterKind, Sifat};
use domain::letter_view::{Counts, LetterPage, ListTab};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_letters", output = crate::api::JsonReply)]
pub async fn list_letters(
    tab: ListTab,
    q: String,
    kind: Option<LetterKind>,
    sifat: Option<Sifat>,
    from: String,
    to: String,
    page: i64,
) -> Result<LetterPage, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    use domain::letter_view::ListFilter;
    let day = |v: &str| -> Result<Option<i64>, AppError> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        domain::time::parse_iso_date(v.trim()).map(Some).ok_or_else(|| {
            backend::BackendError::invalid("Tanggal tidak valid (format TTTT-BB-HH).").into()
        })
    };
    if q.chars().count() > 200 {
        return Err(backend::BackendError::invalid(
            "Kata kunci pencarian terlalu panjang (maksimal 200 karakter).",
        )
        .into());
    }
    let filter = ListFilter { q, kind, sifat, from_day: day(&from)?, to_day: day(&to)? };
    Ok(state().store.list_letters(&s.user, tab, &filter, page).await?)
}

#[server(prefix = "/api", endpoint = "letter_counts", output = crate::api::JsonReply)]
pub async fn letter_counts() -> Result<Counts, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    let mut counts = state().store.letter_counts(&s.user).await?;
    counts.notifications_unread = state().store.unread_notifications(&s.user.employee_id).await?.0;
    Ok(counts)
}
