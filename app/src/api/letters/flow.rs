//! One letter: its detail, version diffs, and the actions of the approval flow.

use crate::error::AppError;
use domain::letter_view::{LetterDetail, VersionDiff};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "letter_detail", output = crate::api::JsonReply)]
pub async fn get_letter_detail(id: String) -> Result<LetterDetail, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state().store.letter_detail(&s.user, &id).await?)
}

#[server(prefix = "/api", endpoint = "letter_diff", output = crate::api::JsonReply)]
pub async fn letter_diff(id: String, from: i64, to: i64) -> Result<VersionDiff, AppError> {
    use crate::api::ctx::*;
    let s = require_session().await?;
    Ok(state().store.letter_diff(&s.user, &id, from, to).await?)
}

/// Submit, paraf, return (with a note), sign, mark as sent, withdraw. `version` is the version the
/// user was looking at: if the letter changed since, the action is refused.
#[server(prefix = "/api", endpoint = "letter_action", output = crate::api::JsonReply)]
pub async fn letter_action(
    id: String,
    version: i64,
    action: String,
    note: String,
) -> Result<String, AppError> {
    use crate::api::ctx::*;
    use domain::letter::Action;
    let s = require_session().await?;
    let st = state();
    st.store.visible_letter(&s.user, &id).await?;
    if note.chars().count() > 2000 {
        return Err(backend::BackendError::invalid("Catatan maksimal 2.000 karakter.").into());
    }
    let action = match action.as_str() {
        "submit" => Action::Submit,
        "paraf" => Action::Approve,
        "return" => Action::Return { note },
        "sign" => Action::Sign,
        "sent" => Action::MarkSent,
        "withdraw" => Action::Withdraw,
        _ => return Err(backend::BackendError::invalid("Tindakan tidak dikenal.").into()),
    };
    let next = if matches!(action, Action::Sign) {
        st.store
            .sign_letter(
                &s.user,
                Some(s.ip.clone()),
                &id,
                version,
                st.signer.as_ref(),
                &backend::sign::SignCredentials::default(),
            )
            .await?
    } else {
        st.store.act_on_letter(&s.user, Some(s.ip.clone()), &id, version, action).await?
    };
    Ok(next.label().to_string())
}
