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
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

/// The logged-in user, loaded once per page load.
#[derive(Clone, Copy)]
pub struct UserCtx(pub Resource<Result<Option<SessionUser>, AppError>>);

/// What waits for the user (the navigation's badges), loaded by the signed-in layout and
/// refreshed on every navigation; pages show parts of it on their tabs.
#[derive(Clone, Copy)]
pub struct NavCounts(pub Resource<Result<domain::letter_view::Counts, AppError>>);

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
    #[cfg(feature = "ssr")]
    if let Some(slot) = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<RenderOwner>().cloned())
    {
        *slot.0.lock().unwrap_or_else(|e| e.into_inner()) = Owner::current();
    }
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

/// Where the shell leaves the reactive owner of the page it renders, for the server's middleware
/// to poll the rest of the request under it (see `with_render_owner` in the server).
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct RenderOwner(pub std::sync::Arc<std::sync::Mutex<Option<Owner>>>);

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
                <ParentRoute path=path!("") view=ShellRoute::lazy() ssr=SsrMode::Async>
                    <Route path=path!("") view=HomeRoute::lazy() />
                    <Route path=path!("surat-keluar") view=LettersRoute::lazy() />
                    <Route path=path!("surat-keluar/baru") view=ComposeRoute::lazy() />
                    <Route path=path!("surat-keluar/nomor-manual") view=ManualNumberRoute::lazy() />
                    <Route path=path!("surat-keluar/:id") view=LetterRoute::lazy() />
                    <Route path=path!("surat-keluar/:id/ubah") view=ComposeRoute::lazy() />
                    <Route path=path!("surat-masuk") view=IncomingListRoute::lazy() />
                    <Route path=path!("surat-masuk/baru") view=RegisterRoute::lazy() />
                    <Route path=path!("surat-masuk/:id") view=IncomingRoute::lazy() />
                    <Route path=path!("disposisi") view=DispositionsRoute::lazy() />
                    <Route path=path!("kotak-masuk") view=InboxRoute::lazy() />
                    <Route path=path!("kotak-masuk/:id") view=InboxEntryRoute::lazy() />
                    <Route path=path!("kinerja") view=MyActivitiesRoute::lazy() />
                    <Route path=path!("kinerja/validasi") view=ValidationRoute::lazy() />
                    <Route path=path!("kinerja/rekap") view=RecapRoute::lazy() />
                    <Route path=path!("kinerja/predikat") view=PredikatRoute::lazy() />
                    <Route path=path!("kinerja/pengaturan") view=KinerjaSettingsRoute::lazy() />
                    <Route path=path!("dashboard") view=DashboardRoute::lazy() />
                    <Route path=path!("notifikasi") view=NotificationsRoute::lazy() />
                    <Route
                        path=path!("notifikasi/pengaturan")
                        view=NotificationSettingsRoute::lazy()
                    />
                    <Route path=path!("organisasi") view=OrgRoute::lazy() />
                    <Route path=path!("organisasi/:opd") view=OrgRoute::lazy() />
                    <Route path=path!("profil") view=ProfileRoute::lazy() />
                    <Route path=path!("ganti-sandi") view=ChangePasswordRoute::lazy() />
                    <Route path=path!("keamanan") view=SecurityRoute::lazy() />
                    <Route path=path!("admin") view=AdminHomeRoute::lazy() />
                    <Route path=path!("admin/opd/:opd") view=AdminOpdRoute::lazy() />
                    <Route path=path!("admin/audit") view=AuditRoute::lazy() />
                    <Route path=path!("admin/naskah") view=LetterSettingsRoute::lazy() />
                    <Route path=path!("admin/tte") view=TteAdminRoute::lazy() />
                    <Route path=path!("profil/tte") view=MyCertificateRoute::lazy() />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Pages that the browser loads as wasm chunks when first shown (Leptos' lazy routes, split by
/// `scripts/build.sh`): the main module keeps the router, the login and the error pages, so a
/// phone's first visit of the login page downloads only those. The server renders every page as
/// before and names the chunks of the page it rendered in the head, so hydration waits on no
/// second round trip.
///
/// Pages come in a few groups, one split point each, rather than one per page: the splitter gives
/// every combination of split points that shares code its own chunk, and one point per page made
/// 841 files, hundreds of them per page (measured; each a request on a slow network). A group is
/// one lazy function that renders any of its pages.
macro_rules! page_group {
    ($group:ident, $preload:ident, $which:ident { $($route:ident => $($page:ident)::+,)* }) => {
        #[derive(Clone, Copy)]
        #[allow(clippy::enum_variant_names)]
        enum $which {
            $($route,)*
        }

        #[leptos::lazy]
        fn $group(which: $which) -> AnyView {
            match which {
                $($which::$route => view! { <$($page)::+ /> }.into_any(),)*
            }
        }

        $(
            struct $route;

            impl $route {
                fn lazy() -> Lazy<Self> {
                    Lazy::new()
                }
            }

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $group($which::$route).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

// The layout of every signed-in page with the light, personal pages (Beranda comes right after
// login).
page_group!(layout_pages, __preload_layout_pages, LayoutPage {
    ShellRoute => Shell,
    HomeRoute => pages::home::HomePage,
    NotificationsRoute => pages::notifications::NotificationsPage,
    NotificationSettingsRoute => pages::notifications::NotificationSettingsPage,
    OrgRoute => pages::org::OrgPage,
    ProfileRoute => pages::profile::ProfilePage,
    ChangePasswordRoute => pages::profile::ChangePasswordPage,
    SecurityRoute => pages::security::SecurityPage,
    MyCertificateRoute => pages::tte::MyCertificatePage,
});

page_group!(letter_pages, __preload_letter_pages, LetterPage {
    LettersRoute => pages::letters::LettersPage,
    ComposeRoute => pages::letters::ComposePage,
    ManualNumberRoute => pages::letters::ManualNumberPage,
    LetterRoute => pages::letters::LetterPage,
    InboxRoute => pages::letters::InboxPage,
    InboxEntryRoute => pages::letters::InboxEntryPage,
});

page_group!(incoming_pages, __preload_incoming_pages, IncomingPage {
    IncomingListRoute => pages::incoming::IncomingListPage,
    RegisterRoute => pages::incoming::RegisterPage,
    IncomingRoute => pages::incoming::IncomingPage,
    DispositionsRoute => pages::incoming::DispositionsPage,
});

page_group!(kinerja_pages, __preload_kinerja_pages, KinerjaPage {
    MyActivitiesRoute => pages::kinerja::MyActivitiesPage,
    ValidationRoute => pages::kinerja::validate::ValidationPage,
    RecapRoute => pages::kinerja::recap::RecapPage,
    PredikatRoute => pages::kinerja::predikat::PredikatPage,
    KinerjaSettingsRoute => pages::kinerja::settings::KinerjaSettingsPage,
    DashboardRoute => pages::dashboard::DashboardPage,
});

page_group!(admin_pages, __preload_admin_pages, AdminPage {
    AdminHomeRoute => pages::admin::AdminHome,
    AdminOpdRoute => pages::admin::opd::AdminOpdPage,
    AuditRoute => pages::admin::audit::AuditPage,
    LetterSettingsRoute => pages::admin::letters::LetterSettingsPage,
    TteAdminRoute => pages::admin::tte::TteAdminPage,
});

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
    provide_context(NavCounts(counts));
    let flash = crate::components::flash::Flash::provide();
    Effect::new(move |prev: Option<String>| {
        let path = location.pathname.get();
        if prev.is_some_and(|old| old != path) {
            counts.refetch();
            flash.clear();
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
                aria-label=l.t("Menu", "Menu")
                aria-describedby="menu-menunggu"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|o| *o = !*o)
            >
                <span aria-hidden="true">"☰"</span>
                {l.t("Menu", "Menu")}
                // What waits behind the menu, so a closed menu still says there is work. The
                // number is the button's description; its name stays "Menu" (aria-label).
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let n = counts.await.map(|c| c.waiting()).unwrap_or(0);
                        (n > 0)
                            .then(|| {
                                view! {
                                    <span class="count" aria-hidden="true">
                                        {n}
                                    </span>
                                }
                            })
                    })}
                </Suspense>
                <span id="menu-menunggu" class="sr-only">
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let n = counts.await.map(|c| c.waiting()).unwrap_or(0);
                            (n > 0).then(|| format!("{n} {}", l.t("menunggu", "waiting")))
                        })}
                    </Suspense>
                </span>
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
        <crate::components::flash::FlashBar />
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
                <pages::help::HelpPanel />
                <Outlet />
            </main>
        </div>
    }
}

/// Where a navigation entry leads: to the list holding what waits, when something does.
fn nav_href(item: NavItem, counts: &domain::letter_view::Counts) -> &'static str {
    match item {
        NavItem::SuratKeluar => counts.surat_keluar_href(),
        NavItem::Disposisi => counts.disposisi_href(),
        _ => item.href(),
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
                        NavItem::SuratKeluar if counts.dikembalikan > 0 => {
                            (
                                counts.perlu_paraf + counts.dikembalikan,
                                l
                                    .t(
                                        "perlu paraf atau dikembalikan kepada Anda",
                                        "to approve or returned to you",
                                    ),
                            )
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
                            <A href=nav_href(item, &counts) exact=matches!(item, NavItem::Beranda)>
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
