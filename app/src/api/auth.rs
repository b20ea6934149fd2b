//! Login, logout, the current user, password change.

use crate::error::AppError;
use domain::model::SessionUser;
use leptos::prelude::*;

/// The logged-in user, or None. Public: the login page calls it too.
#[server(prefix = "/api", endpoint = "current_user", output = crate::api::JsonReply)]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(super::ctx::optional_session().await?.map(|s| s.user))
}

/// Logs in by NIP or email. Returns where to go next.
#[server(prefix = "/api", endpoint = "login", output = crate::api::JsonReply)]
pub async fn login(identifier: String, password: String) -> Result<String, AppError> {
    use super::ctx::*;
    let st = state();
    let ip = client_ip();
    let ua = parts()
        .and_then(|p| p.headers.get("user-agent").and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_default();
    match backend::auth::login(&st.store, &identifier, &password, &ip, &ua).await? {
        backend::auth::LoginStep::Session { token, employee_id } => {
            set_cookie(session_cookie(&token, st.secure_cookies));
            next_page(&employee_id).await
        }
        backend::auth::LoginStep::Code { challenge } => {
            set_cookie(challenge_cookie(&challenge, st.secure_cookies));
            Ok("/masuk/kode".into())
        }
    }
}

/// Where a fresh session starts: a reset password first, then a second factor that is due.
#[cfg(feature = "ssr")]
async fn next_page(employee_id: &str) -> Result<String, AppError> {
    let user = super::ctx::state().store.session_user(employee_id, backend::today_wib()).await?;
    Ok(if user.must_change_password {
        "/ganti-sandi".into()
    } else if user.must_enrol_second_factor(backend::now_ms()) {
        "/keamanan".into()
    } else {
        "/".into()
    })
}

/// The second step of a login: the code from the authenticator app, or a recovery code.
#[server(prefix = "/api", endpoint = "login_code", output = crate::api::JsonReply)]
pub async fn login_code(code: String) -> Result<String, AppError> {
    use super::ctx::*;
    let st = state();
    let p = parts();
    let challenge = p.as_ref().and_then(|p| cookie_from(&p.headers, CHALLENGE_COOKIE));
    let Some(challenge) = challenge else {
        return Err(backend::BackendError::invalid(
            "Waktu untuk memasukkan kode sudah habis. Masuk lagi dengan NIP dan kata sandi.",
        )
        .into());
    };
    let ua = p
        .and_then(|p| p.headers.get("user-agent").and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_default();
    let (token, employee_id) =
        match backend::auth::login_code(&st.store, &challenge, &code, &client_ip(), &ua).await {
            Err(backend::BackendError::Unauthenticated) => {
                set_cookie(clear_challenge_cookie(st.secure_cookies));
                return Err(backend::BackendError::invalid(
                "Waktu untuk memasukkan kode sudah habis. Masuk lagi dengan NIP dan kata sandi.",
            )
            .into());
            }
            other => other?,
        };
    set_cookie(clear_challenge_cookie(st.secure_cookies));
    set_cookie(session_cookie(&token, st.secure_cookies));
    next_page(&employee_id).await
}

#[server(prefix = "/api", endpoint = "logout", output = crate::api::JsonReply)]
pub async fn logout() -> Result<(), AppError> {
    use super::ctx::*;
    let st = state();
    if let Some(s) = optional_session().await? {
        st.store.close_session(&s.actor(), &s.token).await?;
    }
    set_cookie(clear_session_cookie(st.secure_cookies));
    Ok(())
}

#[server(prefix = "/api", endpoint = "change_password", output = crate::api::JsonReply)]
pub async fn change_password(old: String, new: String, confirm: String) -> Result<(), AppError> {
    use super::ctx::*;
    let s = require_session_pending_ok().await?;
    backend::auth::change_password(
        &state().store,
        &s.actor(),
        &s.user.employee_id,
        &s.token,
        &old,
        &new,
        &confirm,
    )
    .await?;
    Ok(())
}
