//! Small shared pieces of UI.

pub mod files;
pub mod flash;
pub mod search;
pub mod tabs;

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
            {login_hint
                .then(|| {
                    view! {
                        <p>
                            <a href="/masuk" rel="external">
                                {l.t("Masuk kembali", "Log in again")}
                            </a>
                        </p>
                    }
                })}
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
        Some(Ok(_)) => view! {
            <p class="alert alert-ok" role="status">
                {ok.clone()}
            </p>
        }
        .into_any(),
        None => ().into_any(),
    }
}

/// Milliseconds since the epoch: the browser's clock after hydration, the server's while rendering.
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(all(feature = "ssr", not(feature = "hydrate")))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        0
    }
}

/// Turns a pending flag into the label of a submit button.
pub fn busy_label(pending: bool, idle: &'static str, busy: &'static str) -> &'static str {
    if pending { busy } else { idle }
}

/// Previous / next links for a paged list whose page lives in the address, so paging works before
/// the page has hydrated and can be bookmarked. Renders nothing for a single page.
#[component]
pub fn LinkPager(page: i64, pages: i64, href: impl Fn(i64) -> String + 'static) -> impl IntoView {
    use leptos_router::components::A;
    let l = lang();
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=l.t("Halaman", "Pages")>
                {(page > 1)
                    .then(|| {
                        view! {
                            <A href=href(page - 1) attr:class="btn">
                                {l.t("‹ Sebelumnya", "‹ Previous")}
                            </A>
                        }
                    })}
                <span>{format!("{} {} / {}", l.t("Halaman", "Page"), page, pages)}</span>
                {(page < pages)
                    .then(|| {
                        view! {
                            <A href=href(page + 1) attr:class="btn">
                                {l.t("Berikutnya ›", "Next ›")}
                            </A>
                        }
                    })}
            </nav>
        }
    })
}
