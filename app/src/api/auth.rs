//! Login, logout, the current user, password change.

use crate::error::AppError;
use domain::model::SessionUser;
use leptos::prelude::*;

/// The logged-in user, or None. Public: the login page calls it too.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(super::ctx::optional_session().await?.map(|s| s.user))
}

/// Logs in by NIP or email. Returns where to go next.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(identifier: String, password: String) -> Result<String, AppError> {
    use super::ctx::*;
    let st = state();
    let ip = client_ip();
    let ua = parts()
        .and_then(|p| p.headers.get("user-agent").and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_default();
    let (token, employee_id) =
        backend::auth::login(&st.store, &identifier, &password, &ip, &ua).await?;
    set_cookie(session_cookie(&token, st.secure_cookies));
    let user = st.store.session_user(&employee_id, backend::today_wib()).await?;
    Ok(if user.must_change_password { "/ganti-sandi".into() } else { "/".into() })
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::ctx::*;
    let st = state();
    if let Some(s) = optional_session().await? {
        st.store.close_session(&s.actor(), &s.token).await?;
    }
    set_cookie(clear_session_cookie(st.secure_cookies));
    Ok(())
}

#[server(prefix = "/api", endpoint = "change_password")]
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
