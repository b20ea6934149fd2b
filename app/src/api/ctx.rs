//! Server-side request context: the shared state, the caller's session and address, rights checks.

use crate::error::AppResult;
use axum::extract::FromRef;
use axum::http::request::Parts;
use backend::rights::{Caller, OpdAdmin, PemdaAdmin, SomeAdmin};
use backend::{Actor, Store};
use domain::Lang;
use domain::model::SessionUser;
use leptos::prelude::*;

pub const SESSION_COOKIE: &str = "eoffice_sesi";
pub const LANG_COOKIE: &str = "eoffice_bahasa";

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub options: LeptosOptions,
    /// Set the Secure flag on cookies (when served over https).
    pub secure_cookies: bool,
    /// Trust X-Forwarded-For from a reverse proxy for the client address.
    pub trust_proxy: bool,
    /// Produces the final signed letter: approval only, the installation's CA, or a remote service.
    pub signer: std::sync::Arc<dyn backend::sign::LetterSigner>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.options.clone()
    }
}

static GLOBAL_STATE: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();

/// Registers the process-wide state (once, at start-up).
pub fn set_global_state(state: AppState) {
    let _ = GLOBAL_STATE.set(state);
}

/// The shared state. Normally from the reactive context; during server rendering a resource whose
/// component was already replaced can still be polled after its owner is gone, and must not panic
/// (a panic there leaves the page render waiting forever), so the process-wide copy is the fallback.
pub fn state() -> AppState {
    use_context::<AppState>()
        .or_else(|| GLOBAL_STATE.get().cloned())
        .expect("AppState is registered at start-up")
}

pub fn cookie_from(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_string())
        })
}

pub fn client_ip_from(parts: &Parts, trust_proxy: bool) -> String {
    if trust_proxy {
        // The last entry is the one our proxy appended; earlier ones are whatever the client sent.
        if let Some(f) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
        {
            return f.trim().to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub fn client_ip() -> String {
    parts().map(|p| client_ip_from(&p, state().trust_proxy)).unwrap_or_else(|| "unknown".into())
}

pub fn request_lang() -> Lang {
    parts()
        .and_then(|p| cookie_from(&p.headers, LANG_COOKIE))
        .map(|v| Lang::from_code_or_default(&v))
        .unwrap_or_default()
}

/// The caller's session, if any.
pub struct Session {
    pub user: SessionUser,
    pub token: String,
    pub ip: String,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user.employee_id, Some(self.ip.clone()))
    }
    /// The caller as the store's rights checks take it.
    pub fn caller(&self) -> Caller {
        Caller::new(self.user.clone(), Some(self.ip.clone()))
    }
}

/// Resolves a session token to the user, or None when absent or expired.
pub async fn session_for_token(
    store: &Store,
    token: &str,
) -> Result<Option<SessionUser>, backend::BackendError> {
    match store.session(token).await? {
        Some(s) => {
            match store.session_user_cached(&s.employee_id, backend::today_wib(), s.cache_gen).await
            {
                Ok(u) => Ok(Some(u)),
                Err(backend::BackendError::Unauthenticated) => Ok(None),
                Err(e) => Err(e),
            }
        }
        None => Ok(None),
    }
}

pub async fn optional_session() -> AppResult<Option<Session>> {
    let Some(p) = parts() else { return Ok(None) };
    let Some(token) = cookie_from(&p.headers, SESSION_COOKIE) else { return Ok(None) };
    let st = state();
    let ip = client_ip_from(&p, st.trust_proxy);
    Ok(session_for_token(&st.store, &token).await?.map(|user| Session { user, token, ip }))
}

/// The logged-in caller, even one who still has to change a reset password.
pub async fn require_session_pending_ok() -> AppResult<Session> {
    match optional_session().await? {
        Some(s) => Ok(s),
        None => Err(backend::BackendError::Unauthenticated.into()),
    }
}

/// The logged-in caller who has changed any reset password, even one who still has to set up the
/// second factor: what the security page needs.
pub async fn require_session_enrol_ok() -> AppResult<Session> {
    let s = require_session_pending_ok().await?;
    if s.user.must_change_password {
        return Err(backend::BackendError::Forbidden(
            "Anda harus mengganti kata sandi terlebih dahulu.".into(),
        )
        .into());
    }
    Ok(s)
}

/// The logged-in caller with a usable account.
pub async fn require_session() -> AppResult<Session> {
    let s = require_session_enrol_ok().await?;
    if s.user.must_enrol_second_factor(backend::now_ms()) {
        return Err(backend::BackendError::Forbidden(
            "Aktifkan verifikasi dua langkah terlebih dahulu (menu Keamanan akun).".into(),
        )
        .into());
    }
    Ok(s)
}

/// Proof that the caller administers this OPD (Admin OPD of it, or Admin Pemda of its Pemda).
pub async fn require_opd_admin(opd_id: &str) -> AppResult<OpdAdmin> {
    let s = require_session().await?;
    Ok(state().store.opd_admin(s.caller(), opd_id).await?)
}

/// Proof that the caller is the Admin Pemda.
pub async fn require_pemda_admin() -> AppResult<PemdaAdmin> {
    let s = require_session().await?;
    Ok(PemdaAdmin::check(s.caller())?)
}

/// Proof that the caller holds an administration role (for role grants).
pub async fn require_some_admin() -> AppResult<SomeAdmin> {
    let s = require_session().await?;
    Ok(SomeAdmin::check(s.caller())?)
}

pub fn set_cookie(value: String) {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(v) = axum::http::HeaderValue::from_str(&value)
    {
        opts.append_header(axum::http::header::SET_COOKIE, v);
    }
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The login challenge between a right password and the code: short-lived, never readable by scripts.
pub const CHALLENGE_COOKIE: &str = "eoffice_masuk";

pub fn challenge_cookie(token: &str, secure: bool) -> String {
    format!(
        "{CHALLENGE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=300{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_challenge_cookie(secure: bool) -> String {
    format!(
        "{CHALLENGE_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}
