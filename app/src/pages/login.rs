//! The login page: NIP or email, and password.

use crate::api::auth::{Login, LoginCode};
use crate::app::{UserCtx, lang};
use crate::components::busy_label;
use domain::Code;
use domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn LoginPage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    let login = ServerAction::<Login>::new();
    let pending = login.pending();
    Effect::new(move |_| follow(login.value().get()));
    let other = if l == Lang::Id { Lang::En } else { Lang::Id };
    view! {
        <Title text=l.t("Masuk", "Log in") />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(_)) => view! { <Redirect path="/" /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
        <LoginFrame heading="judul-masuk">
            <h1 id="judul-masuk">{l.t("Masuk ke e-Office", "Log in to e-Office")}</h1>
            <p class="muted">
                {l
                    .t(
                        "Tata naskah dinas elektronik dan kinerja ASN",
                        "Electronic official correspondence and ASN performance",
                    )}
            </p>
            <ActionForm action=login attr:class="form" attr:novalidate="true">
                <label for="identifier">{l.t("NIP atau email", "NIP or email")}</label>
                <input
                    id="identifier"
                    name="identifier"
                    type="text"
                    autocomplete="username"
                    inputmode="email"
                    required
                    autofocus
                />
                <label for="password">{l.t("Kata sandi", "Password")}</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <StepAlert error=Signal::derive(move || {
                    login.value().get().and_then(|r| r.err())
                }) />
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || busy_label(
                        pending.get(),
                        l.t("Masuk", "Log in"),
                        l.t("Memeriksa…", "Checking…"),
                    )}
                </button>
            </ActionForm>
            <p class="muted small">
                {l
                    .t(
                        "Lupa kata sandi? Hubungi Admin OPD Anda untuk mengatur ulang.",
                        "Forgot your password? Ask your agency admin to reset it.",
                    )}
            </p>
            <p class="small">
                <a
                    href=format!("/bahasa/{}?ke=/masuk", other.code())
                    rel="external"
                    hreflang=other.code()
                >
                    {l.t("English", "Bahasa Indonesia")}
                </a>
            </p>
        </LoginFrame>
    }
}

/// The second step of a login for someone with a second factor: the code from the authenticator
/// app, or one of the recovery codes. The password step left an HttpOnly challenge cookie.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let l = lang();
    let action = ServerAction::<LoginCode>::new();
    let pending = action.pending();
    Effect::new(move |_| follow(action.value().get()));
    view! {
        <Title text=l.t("Kode verifikasi", "Verification code") />
        <LoginFrame heading="judul-kode">
            <h1 id="judul-kode">{l.t("Verifikasi dua langkah", "Two-step verification")}</h1>
            <p class="muted" id="petunjuk-kode">
                {l
                    .t(
                        "Buka aplikasi autentikator di ponsel Anda dan masukkan 6 angka untuk e-Office. Bila ponsel tidak ada, masukkan salah satu kode pemulihan.",
                        "Open the authenticator app on your phone and enter the 6 digits for e-Office. Without your phone, enter one of your recovery codes.",
                    )}
            </p>
            <ActionForm action=action attr:class="form" attr:novalidate="true">
                <label for="code">{l.t("Kode verifikasi", "Verification code")}</label>
                <input
                    id="code"
                    name="code"
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    aria-describedby="petunjuk-kode"
                    maxlength="20"
                    required
                    autofocus
                />
                <StepAlert error=Signal::derive(move || {
                    action.value().get().and_then(|r| r.err())
                }) />
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || busy_label(
                        pending.get(),
                        l.t("Verifikasi", "Verify"),
                        l.t("Memeriksa…", "Checking…"),
                    )}
                </button>
            </ActionForm>
            <p class="muted small">
                {l
                    .t(
                        "Ponsel dan kode pemulihan hilang? Hubungi Admin Pemda untuk mereset verifikasi dua langkah.",
                        "Lost both phone and recovery codes? Ask the Admin Pemda to reset your two-step verification.",
                    )}
            </p>
            <p class="small">
                <a href="/masuk" rel="external">
                    {l.t("Kembali ke halaman masuk", "Back to log in")}
                </a>
            </p>
        </LoginFrame>
    }
}

/// The card both login steps are drawn in, under the e-Office mark.
#[component]
fn LoginFrame(heading: &'static str, children: Children) -> impl IntoView {
    view! {
        <main class="login-page" id="konten">
            <section class="login-card" aria-labelledby=heading>
                <div class="brand login-brand">
                    <span class="brand-mark" aria-hidden="true">
                        "e"
                    </span>
                    <span>"e-Office"</span>
                </div>
                {children()}
            </section>
        </main>
    }
}

/// After a login step succeeds: a full load of the page it names, so every part of the app starts
/// from the new session.
fn follow(outcome: Option<Result<String, crate::error::AppError>>) {
    if let Some(Ok(next)) = outcome {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href(&next);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = next;
    }
}

/// Why a login step was refused, announced to screen readers.
#[component]
fn StepAlert(error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div class="alert alert-error" role="alert">
                    {e.message}
                </div>
            }
        })
    }
}
