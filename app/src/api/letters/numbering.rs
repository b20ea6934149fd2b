//! Manual numbers for letters signed on paper, taken by the records clerk (TU).

use crate::error::AppError;
use domain::letter_view::NumberReservation;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "reserve_number", output = crate::api::JsonReply)]
pub async fn reserve_number(
    klasifikasi: String,
    subject: String,
    recipient: String,
    note: String,
) -> Result<NumberReservation, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state()
        .store
        .reserve_number(&s.user, Some(s.ip.clone()), &klasifikasi, &subject, &recipient, &note)
        .await?)
}

#[server(prefix = "/api", endpoint = "list_reservations", output = crate::api::JsonReply)]
pub async fn list_reservations() -> Result<Vec<NumberReservation>, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state().store.list_reservations(&s.user, 100).await?)
}
