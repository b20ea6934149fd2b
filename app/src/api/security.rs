//! The caller's account security: the second factor (authenticator app and recovery codes) and
//! their own sessions. Reachable while a second factor is due, so it can be set up.

use crate::error::AppError;
use domain::model::{SecondFactorStatus, SessionInfo};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the page shows to set up an authenticator app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrolmentView {
    /// The secret in groups of four, to type into the app by hand.
    pub secret: String,
    /// The QR code of the `otpauth://` address, as inline SVG made by the server.
    pub qr_svg: String,
}

#[server(prefix = "/api", endpoint = "second_factor_status", output = crate::api::JsonReply)]
pub async fn get_second_factor_status() -> Result<SecondFactorStatus, AppError> {
    use super::ctx::*;
    let s = require_session_enrol_ok().await?;
    Ok(state().store.second_factor_status(&s.user).await?)
}

#[server(prefix = "/api", endpoint = "begin_second_factor", output = crate::api::JsonReply)]
pub async fn begin_second_factor() -> Result<EnrolmentView, AppError> {
    use super::ctx::*;
    let s = require_session_enrol_ok().await?;
    let e = state().store.begin_second_factor(&s.user).await?;
    let label = match request_lang() {
        domain::Lang::Id => "Kode QR untuk aplikasi autentikator",
        domain::Lang::En => "QR code for the authenticator app",
    };
    let qr_svg = backend::render::qr_svg(&e.url, label)?;
    let secret = e
        .secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(EnrolmentView { secret, qr_svg })
}

/// Puts the authenticator in force; returns the recovery codes, shown this once.
#[server(prefix = "/api", endpoint = "confirm_second_factor", output = crate::api::JsonReply)]
pub async fn confirm_second_factor(code: String) -> Result<Vec<String>, AppError> {
    use super::ctx::*;
    let s = require_session_enrol_ok().await?;
    Ok(state().store.confirm_second_factor(&s.actor(), &s.user, &s.token, &code).await?)
}

#[server(prefix = "/api", endpoint = "disable_second_factor", output = crate::api::JsonReply)]
pub async fn disable_second_factor(code: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.disable_second_factor(&s.actor(), &s.user, &code).await?)
}

#[server(prefix = "/api", endpoint = "renew_recovery_codes", output = crate::api::JsonReply)]
pub async fn renew_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    use super::ctx::*;
    let s = require_session().await?;
    Ok(state().store.renew_recovery_codes(&s.actor(), &s.user, &code).await?)
}

#[server(prefix = "/api", endpoint = "my_sessions", output = crate::api::JsonReply)]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use super::ctx::*;
    let s = require_session_enrol_ok().await?;
    Ok(state().store.my_sessions(&s.user, &s.token, request_lang()).await?)
}

/// Ends one of the caller's sessions (`id` from `my_sessions`), or with an empty `id` all but this one.
#[server(prefix = "/api", endpoint = "end_sessions", output = crate::api::JsonReply)]
pub async fn end_sessions(id: String) -> Result<u64, AppError> {
    use super::ctx::*;
    let s = require_session_enrol_ok().await?;
    let id = Some(id.trim()).filter(|i| !i.is_empty());
    Ok(state().store.end_sessions(&s.actor(), &s.user, &s.token, id).await?)
}
