//! Small shared pieces of UI.

use crate::app::lang;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    let l = lang();
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {l.t("Memuat…", "Loading…")}
        </p>
    }
}

#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let l = lang();
    let login_hint = error.is_unauthenticated();
    view! {
        <div class="alert alert-error" role="alert">
            <p>{error.message.clone()}</p>
            {login_hint.then(|| view! { <p><a href="/masuk" rel="external">{l.t("Masuk kembali", "Log in again")}</a></p> })}
        </div>
    }
}

/// Shows the outcome of the latest submission of a form: the error, or a success note.
#[component]
pub fn ActionResult<T, V>(value: V, #[prop(into)] ok: String) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Clone + Send + Sync + 'static,
{
    move || match value.get() {
        Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
        Some(Ok(_)) => view! { <p class="alert alert-ok" role="status">{ok.clone()}</p> }.into_any(),
        None => ().into_any(),
    }
}

/// Turns a pending flag into the label of a submit button.
pub fn busy_label(pending: bool, idle: &'static str, busy: &'static str) -> &'static str {
    if pending { busy } else { idle }
}
