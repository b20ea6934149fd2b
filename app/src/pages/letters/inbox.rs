//! Kotak Masuk: letters delivered to me or to a position I hold or act for, with read receipts.

use super::{sifat_badge, urgency_badge};
use crate::api::letters::{inbox, open_inbox};
use crate::app::lang;
use crate::components::{ErrorBox, LinkPager, Loading};
use domain::letter::RecipientRole;
use domain::letter_view::PAGE_SIZE;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InboxPage() -> impl IntoView {
    let l = lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = move || get("hal").parse::<i64>().unwrap_or(1).max(1);
    let data =
        Resource::new(move || (get("q"), get("belum") == "1", page()), |(q, u, p)| inbox(q, u, p));
    let href_page = move |p: i64| {
        format!(
            "/kotak-masuk?q={}&belum={}&hal={p}",
            super::list::urlencode(&get("q")),
            get("belum")
        )
    };
    view! {
        <Title text=l.t("Kotak Masuk", "Inbox") />
        <h1>{l.t("Kotak Masuk", "Inbox")}</h1>
        <Form method="GET" action="/kotak-masuk" attr:class="form-inline">
            <label for="i-q">{l.t("Cari", "Search")}</label>
            <input
                id="i-q"
                type="search"
                name="q"
                maxlength="200"
                prop:value=move || get("q")
                placeholder=l.t("hal, pengirim, atau nomor", "subject, sender or number")
            />
            <label class="check">
                <input
                    type="checkbox"
                    name="belum"
                    value="1"
                    prop:checked=move || get("belum") == "1"
                />
                {l.t("Belum dibaca saja", "Unread only")}
            </label>
            <span></span>
            <button type="submit" class="btn">
                {l.t("Terapkan", "Apply")}
            </button>
        </Form>
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => {
                        view! {
                            <p class="empty" role="status">
                                {l.t("Kotak Masuk kosong.", "Your inbox is empty.")}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let pages = (p.total + PAGE_SIZE - 1) / PAGE_SIZE;
                        view! {
                            <p class="muted small" role="status">
                                {format!(
                                    "{} {} · {} {}",
                                    p.total,
                                    l.t("surat", "letters"),
                                    p.unread,
                                    l.t("belum dibaca", "unread"),
                                )}
                            </p>
                            <ul class="letter-list">
                                {p
                                    .items
                                    .into_iter()
                                    .map(|it| {
                                        view! {
                                            <li class="letter-item" class:unread=!it.read>
                                                <A href=format!(
                                                    "/kotak-masuk/{}",
                                                    it.id,
                                                )>
                                                    {(!it.read)
                                                        .then(|| {
                                                            view! {
                                                                <span class="sr-only">
                                                                    {l.t("Belum dibaca: ", "Unread: ")}
                                                                </span>
                                                            }
                                                        })} <strong>{it.subject.clone()}</strong>
                                                </A>
                                                <div class="meta-line small">
                                                    {sifat_badge(it.sifat, l)} " "
                                                    {urgency_badge(it.urgency, l)} " "
                                                    {(it.role == RecipientRole::Cc)
                                                        .then(|| {
                                                            view! {
                                                                <span class="badge badge-warn">
                                                                    {l.t("Tembusan", "Copy")}
                                                                </span>
                                                            }
                                                        })}
                                                </div>
                                                <div class="muted small">
                                                    {format!(
                                                        "{} · {} · {}",
                                                        it.sender_name,
                                                        it.letter_number,
                                                        domain::time::long_datetime(it.created_ms, l),
                                                    )}
                                                </div>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <LinkPager page=p.page pages href=href_page />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn InboxEntryPage() -> impl IntoView {
    let l = lang();
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("id").unwrap_or_default(), open_inbox);
    view! {
        <Title text=l.t("Surat masuk", "Incoming letter") />
        <p>
            <A href="/kotak-masuk">{l.t("← Kotak Masuk", "← Inbox")}</A>
        </p>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => {
                        view! {
                            <h1>{d.subject.clone()}</h1>
                            <p class="meta-line">
                                {sifat_badge(d.sifat, l)} " " {urgency_badge(d.urgency, l)} " "
                                {(d.role == RecipientRole::Cc)
                                    .then(|| {
                                        view! {
                                            <span class="badge badge-warn">
                                                {l.t("Tembusan", "Copy")}
                                            </span>
                                        }
                                    })}
                            </p>
                            <dl class="facts card">
                                <dt>{l.t("Dari", "From")}</dt>
                                <dd>{d.sender_name.clone()}</dd>
                                <dt>{l.t("Nomor surat", "Letter number")}</dt>
                                <dd class="letter-number">{d.letter_number.clone()}</dd>
                                <dt>{l.t("Tanggal surat", "Letter date")}</dt>
                                <dd>{domain::time::long_date(d.letter_day, l)}</dd>
                                <dt>{l.t("Diterima", "Received")}</dt>
                                <dd>{domain::time::long_datetime(d.received_ms, l)}</dd>
                                <dt>{l.t("Nomor agenda", "Agenda number")}</dt>
                                <dd>{format!("{} ({})", d.agenda_number, d.opd_name)}</dd>
                                <dt>{l.t("Lampiran", "Enclosures")}</dt>
                                <dd>{d.attachment_count}</dd>
                            </dl>
                            <p class="buttons">
                                <A
                                    href=format!("/surat-masuk/{}", d.id)
                                    attr:class="btn btn-primary"
                                >
                                    {l.t("Buka surat & disposisi", "Open letter & disposition")}
                                </A>
                            </p>
                            {d
                                .outgoing_letter_id
                                .clone()
                                .map(|id| {
                                    view! {
                                        <p class="buttons">
                                            <a
                                                class="btn"
                                                href=format!("/surat-keluar/{id}/pdf")
                                                rel="external"
                                                target="_blank"
                                            >
                                                {l.t("Buka surat (PDF)", "Open letter (PDF)")}
                                            </a>
                                            <A href=format!("/surat-keluar/{id}") attr:class="btn">
                                                {l.t("Lihat rincian", "Details")}
                                            </A>
                                        </p>
                                    }
                                })}
                            {(!d.attachments.is_empty())
                                .then(|| {
                                    view! {
                                        <h2>{l.t("Berkas lampiran", "Attached files")}</h2>
                                        <ul class="plain">
                                            {d
                                                .attachments
                                                .iter()
                                                .map(|a| {
                                                    view! {
                                                        <li>
                                                            <a href=format!("/lampiran/{}", a.id) rel="external">
                                                                {a.name.clone()}
                                                            </a>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
