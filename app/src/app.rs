//! The application: document shell, router, session-aware layout and navigation.

use crate::api::auth::{Logout, current_user};
use crate::components::{ErrorBox, Loading};
use crate::error::AppError;
use crate::pages;
use domain::Lang;
use domain::model::SessionUser;
use domain::roles::nav_items;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
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
                .map(|l| Lang::from_code(&l))
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
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
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
        <Link rel="stylesheet" href="/style.css" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="icon" href="/icon.svg" />
        <Meta name="theme-color" content="#0b5394" />
        <Meta name="description" content=l.t("e-Office: tata naskah dinas dan kinerja ASN", "e-Office: official correspondence and ASN performance") />
        <Title formatter=|t: String| if t.is_empty() { "e-Office".to_string() } else { format!("{t} · e-Office") } />
        <Router>
            <Routes fallback=|| view! { <pages::not_found::NotFound /> }>
                <Route path=path!("/masuk") view=pages::login::LoginPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=Shell ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::home::HomePage />
                    <Route path=path!("organisasi") view=pages::org::OrgPage />
                    <Route path=path!("organisasi/:opd") view=pages::org::OrgPage />
                    <Route path=path!("profil") view=pages::profile::ProfilePage />
                    <Route path=path!("ganti-sandi") view=pages::profile::ChangePasswordPage />
                    <Route path=path!("admin") view=pages::admin::AdminHome />
                    <Route path=path!("admin/opd/:opd") view=pages::admin::opd::AdminOpdPage />
                    <Route path=path!("admin/audit") view=pages::admin::audit::AuditPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Everything behind login: loads the user, sends strangers to the login page and people with a
/// reset password to the change form. Rendered in `Async` mode so that redirects and error statuses
/// decided while loading reach the HTTP response.
#[component]
fn Shell() -> impl IntoView {
    let user = expect_context::<UserCtx>().0;
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => {
                        if u.must_change_password && location.pathname.get_untracked() != "/ganti-sandi" {
                            view! { <Redirect path="/ganti-sandi" /> }.into_any()
                        } else {
                            view! { <Layout user=u /> }.into_any()
                        }
                    }
                    Ok(None) => view! { <Redirect path="/masuk" /> }.into_any(),
                    Err(e) => view! { <main class="page"><ErrorBox error=e /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Layout(user: SessionUser) -> impl IntoView {
    let l = lang();
    let menu_open = RwSignal::new(false);
    let location = use_location();
    // Close the phone menu after navigating.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/masuk");
            }
        }
    });
    let items = nav_items(&user.caps);
    let other = if l == Lang::Id { Lang::En } else { Lang::Id };
    let switch_href = move || format!("/bahasa/{}?ke={}", other.code(), location.pathname.get());
    let first_position = user.positions.first().map(|p| match &p.acting_kind {
        Some(k) => format!("{} {}", domain::org::ActingKind::from_code(k).map(|a| a.prefix()).unwrap_or(""), p.title),
        None => p.title.clone(),
    });
    view! {
        <a class="skip-link" href="#konten">{l.t("Langsung ke konten", "Skip to content")}</a>
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
                <span class="brand-mark" aria-hidden="true">"e"</span>
                <span>"e-Office"</span>
            </A>
            <span class="topbar-opd">{user.opd_name.clone()}</span>
        </header>
        <div class="frame">
            <nav id="navigasi" class="sidenav" class:open=move || menu_open.get() aria-label=l.t("Navigasi utama", "Main navigation")>
                <div class="whoami">
                    <strong>{user.name.clone()}</strong>
                    <span>{first_position.unwrap_or_else(|| l.t("Belum memiliki jabatan", "No position yet").to_string())}</span>
                </div>
                <ul>
                    {items
                        .into_iter()
                        .map(|item| {
                            let href = item.href();
                            view! {
                                <li>
                                    <A href=href exact=true>{item.label(l)}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div class="nav-foot">
                    <a href=switch_href rel="external" hreflang=other.code()>
                        {l.t("English", "Bahasa Indonesia")}
                    </a>
                    <ActionForm action=logout>
                        <button type="submit" class="btn-link">{l.t("Keluar", "Log out")}</button>
                    </ActionForm>
                </div>
            </nav>
            <main id="konten" class="page" tabindex="-1">
                <Outlet />
            </main>
        </div>
    }
}
