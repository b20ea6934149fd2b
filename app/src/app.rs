//! The application: document shell, router, session-aware layout and navigation.

use crate::api::auth::{Logout, current_user};
use crate::components::{ErrorBox, Loading, now_ms};
use crate::error::AppError;
use crate::pages;
use domain::Code;
use domain::Lang;
use domain::model::SessionUser;
use domain::roles::{NavItem, nav_items};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

/// The logged-in user, loaded once per page load.
#[derive(Clone, Copy)]
pub struct UserCtx(pub Resource<Result<Option<SessionUser>, AppError>>);

pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::api::ctx::request_lang()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .map(|l| Lang::from_code_or_default(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::Id
        }
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_lang();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=stylesheet() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Where the stylesheet is served: `/pkg/style.<hash>.css` from a build that names assets by
/// their content (the server sets it at start), else `/style.css`. In the page head, which only
/// the server renders (the browser hydrates the body).
static STYLESHEET: std::sync::RwLock<String> = std::sync::RwLock::new(String::new());

pub fn set_stylesheet(href: &str) {
    *STYLESHEET.write().unwrap_or_else(|e| e.into_inner()) = href.to_string();
}

pub fn stylesheet() -> String {
    let s = STYLESHEET.read().unwrap_or_else(|e| e.into_inner()).clone();
    if s.is_empty() { "/style.css".into() } else { s }
}

/// The script nonce of this request, chosen by the server's middleware before rendering.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The policy of a page: only scripts carrying this response's nonce (the hydration bootstrap and
/// the serialised resources) may run, so injected inline script cannot.
#[cfg(feature = "ssr")]
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// Renders the hydration scripts with the middleware's nonce and sets the page policy with it.
/// (The middleware also sets the same policy on any HTML response that arrives without one.)
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let chosen = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(n)) = &chosen {
        provide_context(leptos::nonce::Nonce::from_value(n.as_str()));
    }
    let (Some(nonce), Some(resp)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(v) = axum::http::HeaderValue::from_str(&page_csp(&nonce)) {
        resp.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(initial_lang());
    let user = Resource::new(|| (), |_| current_user());
    provide_context(UserCtx(user));
    let l = lang();
    view! {
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="icon" href="/icon.svg" />
        <Meta name="theme-color" content="#0b5394" />
        <Meta
            name="description"
            content=l
                .t(
                    "e-Office: tata naskah dinas dan kinerja ASN",
                    "e-Office: official correspondence and ASN performance",
                )
        />
        <Title formatter=|t: String| {
            if t.is_empty() { "e-Office".to_string() } else { format!("{t} · e-Office") }
        } />
        <Router>
            <Routes fallback=|| view! { <pages::not_found::NotFound /> }>
                <Route path=path!("/masuk") view=pages::login::LoginPage ssr=SsrMode::Async />
                <Route
                    path=path!("/masuk/kode")
                    view=pages::login::LoginCodePage
                    ssr=SsrMode::Async
                />
                <ParentRoute path=path!("") view=Shell ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::home::HomePage />
                    <Route path=path!("surat-keluar") view=pages::letters::LettersPage />
                    <Route path=path!("surat-keluar/baru") view=pages::letters::ComposePage />
                    <Route
                        path=path!("surat-keluar/nomor-manual")
                        view=pages::letters::ManualNumberPage
                    />
                    <Route path=path!("surat-keluar/:id") view=pages::letters::LetterPage />
                    <Route path=path!("surat-keluar/:id/ubah") view=pages::letters::ComposePage />
                    <Route path=path!("surat-masuk") view=pages::incoming::IncomingListPage />
                    <Route path=path!("surat-masuk/baru") view=pages::incoming::RegisterPage />
                    <Route path=path!("surat-masuk/:id") view=pages::incoming::IncomingPage />
                    <Route path=path!("disposisi") view=pages::incoming::DispositionsPage />
                    <Route path=path!("kotak-masuk") view=pages::letters::InboxPage />
                    <Route path=path!("kotak-masuk/:id") view=pages::letters::InboxEntryPage />
                    <Route path=path!("kinerja") view=pages::kinerja::MyActivitiesPage />
                    <Route
                        path=path!("kinerja/validasi")
                        view=pages::kinerja::validate::ValidationPage
                    />
                    <Route path=path!("kinerja/rekap") view=pages::kinerja::recap::RecapPage />
                    <Route
                        path=path!("kinerja/predikat")
                        view=pages::kinerja::predikat::PredikatPage
                    />
                    <Route
                        path=path!("kinerja/pengaturan")
                        view=pages::kinerja::settings::KinerjaSettingsPage
                    />
                    <Route path=path!("dashboard") view=pages::dashboard::DashboardPage />
                    <Route path=path!("notifikasi") view=pages::notifications::NotificationsPage />
                    <Route
                        path=path!("notifikasi/pengaturan")
                        view=pages::notifications::NotificationSettingsPage
                    />
                    <Route path=path!("organisasi") view=pages::org::OrgPage />
                    <Route path=path!("organisasi/:opd") view=pages::org::OrgPage />
                    <Route path=path!("profil") view=pages::profile::ProfilePage />
                    <Route path=path!("ganti-sandi") view=pages::profile::ChangePasswordPage />
                    <Route path=path!("keamanan") view=pages::security::SecurityPage />
                    <Route path=path!("admin") view=pages::admin::AdminHome />
                    <Route path=path!("admin/opd/:opd") view=pages::admin::opd::AdminOpdPage />
                    <Route path=path!("admin/audit") view=pages::admin::audit::AuditPage />
                    <Route
                        path=path!("admin/naskah")
                        view=pages::admin::letters::LetterSettingsPage
                    />
                    <Route path=path!("admin/tte") view=pages::admin::tte::TteAdminPage />
                    <Route path=path!("profil/tte") view=pages::tte::MyCertificatePage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Everything behind login: sends strangers to the login page and people with a reset password to
/// the change form. Rendered in `Async` mode so that redirects and error statuses decided while
/// loading reach the HTTP response.
///
/// Pages (and the resources they create) are deliberately *not* built inside a `Suspend`: a
/// Suspense may run its children again when a resource resolves, and resources created in a
/// discarded run would be serialised in a different order than the browser creates them, which
/// breaks hydration. Only small, resource-free parts wait for the user here.
#[component]
fn Shell() -> impl IntoView {
    let user = expect_context::<UserCtx>().0;
    let location = use_location();
    let l = lang();
    let menu_open = RwSignal::new(false);
    // Close the phone menu after navigating.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let logout = ServerAction::<Logout>::new();
    pages::notifications::LiveNotices::start();
    // Waiting and unread counts for the navigation. The resource has a constant source so that it
    // hydrates from the server's value; navigation refreshes it afterwards.
    let counts = Resource::new(|| (), |_| crate::api::letters::letter_counts());
    Effect::new(move |prev: Option<String>| {
        let path = location.pathname.get();
        if prev.is_some_and(|old| old != path) {
            counts.refetch();
        }
        path
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/masuk");
            }
        }
    });
    let other = if l == Lang::Id { Lang::En } else { Lang::Id };
    let switch_href = move || format!("/bahasa/{}?ke={}", other.code(), location.pathname.get());
    // Resolves to the user, or to the view that replaces the page (redirect or error).
    let gate = move || async move {
        match user.await {
            Ok(Some(u))
                if u.must_change_password
                    && location.pathname.get_untracked() != "/ganti-sandi" =>
            {
                Err(view! { <Redirect path="/ganti-sandi" /> }.into_any())
            }
            Ok(Some(u))
                if u.must_enrol_second_factor(now_ms())
                    && !matches!(
                        location.pathname.get_untracked().as_str(),
                        "/keamanan" | "/ganti-sandi"
                    ) =>
            {
                Err(view! { <Redirect path="/keamanan" /> }.into_any())
            }
            Ok(Some(u)) => Ok(u),
            Ok(None) => Err(view! { <Redirect path="/masuk" /> }.into_any()),
            Err(e) => Err(view! { <ErrorBox error=e /> }.into_any()),
        }
    };
    view! {
        <a class="skip-link" href="#konten">
            {l.t("Langsung ke konten", "Skip to content")}
        </a>
        <header class="topbar">
            <button
                class="menu-toggle"
                aria-controls="navigasi"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|o| *o = !*o)
            >
                <span aria-hidden="true">"☰"</span>
                {l.t("Menu", "Menu")}
            </button>
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">
                    "e"
                </span>
                <span>"e-Office"</span>
            </A>
            <span class="topbar-opd">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        user.await.ok().flatten().map(|u| u.opd_name)
                    })}
                </Suspense>
            </span>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = matches!(user.await, Ok(Some(_)));
                    let n = counts.await.ok().unwrap_or_default().notifications_unread;
                    signed_in.then(|| view! { <pages::notifications::Bell initial=n /> })
                })}
            </Suspense>
        </header>
        <pages::notifications::Toast />
        <div class="frame">
            <nav
                id="navigasi"
                class="sidenav"
                class:open=move || menu_open.get()
                aria-label=l.t("Navigasi utama", "Main navigation")
            >
                <Suspense fallback=|| {
                    view! { <Loading /> }
                }>
                    {move || Suspend::new(async move {
                        match gate().await {
                            Ok(u) => {
                                let c = counts.await.ok().unwrap_or_default();
                                view! { <NavBody user=u counts=c /> }.into_any()
                            }
                            Err(v) => v,
                        }
                    })}
                </Suspense>
                <div class="nav-foot">
                    <a href=switch_href rel="external" hreflang=other.code()>
                        {l.t("English", "Bahasa Indonesia")}
                    </a>
                    <ActionForm action=logout>
                        <button type="submit" class="btn-link">
                            {l.t("Keluar", "Log out")}
                        </button>
                    </ActionForm>
                </div>
            </nav>
            <main id="konten" class="page" tabindex="-1">
                <Outlet />
            </main>
        </div>
    }
}

/// Who is logged in and where they may go. Builds no resources.
#[component]
fn NavBody(user: SessionUser, counts: domain::letter_view::Counts) -> impl IntoView {
    let l = lang();
    let first_position = user.positions.first().map(|p| match p.acting_kind {
        Some(k) => format!("{} {}", k.prefix(), p.title),
        None => p.title.clone(),
    });
    view! {
        <div class="whoami">
            <strong>{user.name.clone()}</strong>
            <span>
                {first_position
                    .unwrap_or_else(|| {
                        l.t("Belum memiliki jabatan", "No position yet").to_string()
                    })}
            </span>
        </div>
        <ul>
            {nav_items(&user.caps)
                .into_iter()
                .map(|item| {
                    let (n, what) = match item {
                        NavItem::KotakMasuk => {
                            (counts.kotak_masuk_unread, l.t("belum dibaca", "unread"))
                        }
                        NavItem::SuratKeluar => {
                            (counts.perlu_paraf, l.t("perlu paraf", "to approve"))
                        }
                        NavItem::Disposisi => {
                            (
                                counts.disposisi,
                                l
                                    .t(
                                        "disposisi baru atau perlu ditanggapi",
                                        "new or waiting for your answer",
                                    ),
                            )
                        }
                        _ => (0, ""),
                    };
                    let badge = (n > 0)
                        .then(|| {
                            view! {
                                <span class="count" aria-label=format!("{n} {what}")>
                                    {n}
                                </span>
                            }
                        });
                    view! {
                        <li>
                            <A href=item.href() exact=matches!(item, NavItem::Beranda)>
                                {item.label(l)}
                                {badge}
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
