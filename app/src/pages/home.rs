//! Beranda: who I am, where I sit, what I can do, and the notices addressed to me.

use crate::app::{UserCtx, lang};
use crate::components::Loading;
use crate::pages::help::{TourCard, TourOffer};
use crate::pages::notifications::Notices;
use crate::pages::survey::{SurveyCard, SurveyOffer};
use domain::roles::{NavItem, nav_items};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    let tour = TourOffer::load();
    let survey = SurveyOffer::load();
    view! {
        <Title text=l.t("Beranda", "Home") />
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                let Ok(Some(u)) = user.await else { return ().into_any() };
                let items: Vec<NavItem> = nav_items(&u.caps)
                    .into_iter()
                    .filter(|n| !matches!(n, NavItem::Beranda))
                    .collect();
                view! {
                    <h1>{format!("{}, {}", l.t("Selamat datang", "Welcome"), u.name)}</h1>
                    <TourCard offer=tour />
                    <section class="card" aria-labelledby="h-jabatan">
                        <h2 id="h-jabatan">{l.t("Jabatan", "Position")}</h2>
                        {if u.positions.is_empty() {
                            view! {
                                <p class="muted">
                                    {l
                                        .t(
                                            "Anda belum ditempatkan pada jabatan. Hubungi Admin OPD.",
                                            "You have no position yet. Contact your agency admin.",
                                        )}
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <ul class="plain">
                                    {u
                                        .positions
                                        .iter()
                                        .map(|p| {
                                            let prefix = p
                                                .acting_kind
                                                .map(|k| format!("{} ", k.prefix()))
                                                .unwrap_or_default();
                                            let until = p
                                                .acting_until_day
                                                .map(|d| {
                                                    format!(
                                                        " ({} {})",
                                                        l.t("s.d.", "until"),
                                                        domain::time::long_date(d, l),
                                                    )
                                                })
                                                .unwrap_or_default();
                                            view! {
                                                <li>
                                                    <strong>{format!("{prefix}{}", p.title)}</strong>
                                                    {until}
                                                    <br />
                                                    <span class="muted">{p.unit_name.clone()}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }}
                        <dl class="facts">
                            <dt>"NIP"</dt>
                            <dd>{u.nip.clone()}</dd>
                            <dt>"OPD"</dt>
                            <dd>{u.opd_name.clone()}</dd>
                            <dt>{l.t("Atasan langsung", "Direct superior")}</dt>
                            <dd>
                                {u
                                    .superior
                                    .as_ref()
                                    .map(|s| s.name.clone())
                                    .unwrap_or_else(|| "—".into())}
                            </dd>
                        </dl>
                    </section>
                    {u
                        .second_factor_due_ms
                        .filter(|_| !u.second_factor)
                        .map(|due| {
                            view! {
                                <p class="alert alert-info">
                                    {format!(
                                        "{} {}. ",
                                        l
                                            .t(
                                                "Peran Anda mewajibkan verifikasi dua langkah (kode dari aplikasi di ponsel). Aktifkan sebelum",
                                                "Your role requires two-step verification (a code from an app on your phone). Set it up before",
                                            ),
                                        domain::time::long_datetime(due, l),
                                    )}
                                    <A href="/keamanan">
                                        {l.t("Aktifkan sekarang", "Set it up now")}
                                    </A>
                                </p>
                            }
                        })}
                    <Notices full=false />
                    <section class="card" aria-labelledby="h-pintasan">
                        <h2 id="h-pintasan">{l.t("Pintasan", "Shortcuts")}</h2>
                        <ul class="tiles">
                            {items
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <li>
                                            <A href=n.href()>{n.label(l)}</A>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
                    .into_any()
            })}
        </Suspense>
        <SurveyCard offer=survey />
    }
}
