//! Lists of surat masuk: the clerk's register (Surat Masuk) and the dispositions of the logged-in
//! person (Disposisi Masuk, Disposisi Keluar, Lewat Tenggat), each with search, filters and paging.

use super::node_status;
use crate::api::incoming::{list_dispositions, list_incoming};
use crate::app::lang;
use crate::components::tabs::{Tab, Tabs};
use crate::components::{ErrorBox, LinkPager, Loading};
use crate::pages::letters::list::urlencode;
use crate::pages::letters::{sifat_badge, urgency_badge};
use domain::Code;
use domain::disposition::{IncomingStatus, PAGE_SIZE};
use domain::letter::Sifat;
use domain::letter_view::Counts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

#[component]
pub fn IncomingListPage() -> impl IntoView {
    let l = lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = move || get("hal").parse::<i64>().unwrap_or(1).max(1);
    let data = Resource::new(
        move || (get("q"), get("sifat"), get("status"), page()),
        |(q, s, st, p)| list_incoming(q, Sifat::from_code(&s), IncomingStatus::from_code(&st), p),
    );
    let href_page = move |p: i64| {
        format!(
            "/surat-masuk?q={}&sifat={}&status={}&hal={p}",
            urlencode(&get("q")),
            get("sifat"),
            get("status")
        )
    };
    view! {
        <Title text=l.t("Surat Masuk", "Incoming mail") />
        <div class="page-head">
            <h1>{l.t("Surat Masuk", "Incoming mail")}</h1>
            <A href="/surat-masuk/baru" attr:class="btn btn-primary">
                {l.t("Registrasi surat masuk", "Register incoming mail")}
            </A>
        </div>
        <Form method="GET" action="/surat-masuk" attr:class="form-inline">
            <label for="sm-q">{l.t("Cari", "Search")}</label>
            <input
                id="sm-q"
                type="search"
                name="q"
                maxlength="200"
                prop:value=move || get("q")
                placeholder=l.t("hal, asal, atau nomor", "subject, sender or number")
            />
            <label for="sm-sifat">{l.t("Sifat", "Class")}</label>
            <select id="sm-sifat" name="sifat">
                <option value="">{l.t("Semua", "All")}</option>
                {Sifat::all()
                    .iter()
                    .map(|s| {
                        view! {
                            <option value=s.code() selected=move || get("sifat") == s.code()>
                                {s.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="sm-status">{l.t("Status", "Status")}</label>
            <select id="sm-status" name="status">
                <option value="">{l.t("Semua", "All")}</option>
                {IncomingStatus::all()
                    .iter()
                    .map(|s| {
                        view! {
                            <option value=s.code() selected=move || get("status") == s.code()>
                                {s.label(l)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
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
                                {l
                                    .t(
                                        "Belum ada surat masuk yang cocok.",
                                        "No matching incoming mail.",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let pages = (p.total + PAGE_SIZE - 1) / PAGE_SIZE;
                        view! {
                            <p class="muted small" role="status">
                                {format!("{} {}", p.total, l.t("surat", "letters"))}
                            </p>
                            <ul class="letter-list">
                                {p
                                    .items
                                    .into_iter()
                                    .map(|it| {
                                        view! {
                                            <li class="letter-item">
                                                <A href=format!("/surat-masuk/{}", it.id)>
                                                    <strong>{it.subject.clone()}</strong>
                                                </A>
                                                <div class="meta-line small">
                                                    <span class="badge">
                                                        {format!(
                                                            "{} {}",
                                                            l.t("Agenda", "Agenda"),
                                                            it.agenda_number,
                                                        )}
                                                    </span>
                                                    " "
                                                    {sifat_badge(it.sifat, l)}
                                                    " "
                                                    {urgency_badge(it.urgency, l)}
                                                    " "
                                                    <span class="badge">{it.status.label(l)}</span>
                                                    {(it.source == "internal")
                                                        .then(|| {
                                                            view! {
                                                                " "
                                                                <span class="badge">
                                                                    {l.t("Dari e-Office", "From e-Office")}
                                                                </span>
                                                            }
                                                        })}
                                                </div>
                                                <div class="muted small">
                                                    {format!(
                                                        "{} · {} · {}",
                                                        it.sender_name,
                                                        it.letter_number,
                                                        domain::time::long_datetime(it.received_ms, l),
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
pub fn DispositionsPage() -> impl IntoView {
    let l = lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let tab = move || match get("tab").as_str() {
        "keluar" => "keluar",
        "tenggat" => "tenggat",
        _ => "masuk",
    };
    let page = move || get("hal").parse::<i64>().unwrap_or(1).max(1);
    let data = Resource::new(
        move || (tab(), get("q"), get("status"), page()),
        |(t, q, s, p)| list_dispositions(t.to_string(), q, s, p),
    );
    let href_page = move |p: i64| {
        format!(
            "/disposisi?tab={}&q={}&status={}&hal={p}",
            tab(),
            urlencode(&get("q")),
            get("status")
        )
    };
    let tabs = vec![
        Tab {
            code: "masuk",
            href: "/disposisi?tab=masuk".into(),
            label: l.t("Disposisi Masuk", "Received"),
            waiting: Some((
                |c: &Counts| c.disposisi - c.disposisi_laporan,
                l.t("belum dibaca", "unread"),
            )),
        },
        Tab {
            code: "keluar",
            href: "/disposisi?tab=keluar".into(),
            label: l.t("Disposisi Keluar", "Given"),
            waiting: Some((
                |c: &Counts| c.disposisi_laporan,
                l.t("laporan menunggu tanggapan Anda", "reports waiting for your answer"),
            )),
        },
        Tab {
            code: "tenggat",
            href: "/disposisi?tab=tenggat".into(),
            label: l.t("Lewat Tenggat", "Overdue"),
            waiting: None,
        },
    ];
    view! {
        <Title text=l.t("Disposisi", "Dispositions") />
        <h1>{l.t("Disposisi", "Dispositions")}</h1>
        <Tabs
            label=l.t("Daftar disposisi", "Disposition lists")
            tabs=tabs
            current=Signal::derive(tab)
        />
        <Form method="GET" action="/disposisi" attr:class="form-inline">
            <input type="hidden" name="tab" prop:value=tab />
            <label for="d-q">{l.t("Cari", "Search")}</label>
            <input
                id="d-q"
                type="search"
                name="q"
                maxlength="200"
                prop:value=move || get("q")
                placeholder=l.t("hal atau asal surat", "subject or sender")
            />
            <label for="d-status">{l.t("Status", "Status")}</label>
            <select id="d-status" name="status">
                <option value="">{l.t("Semua", "All")}</option>
                <option value="unread" selected=move || get("status") == "unread">
                    {l.t("Belum dibaca", "Unread")}
                </option>
                <option value="open" selected=move || get("status") == "open">
                    {l.t("Menunggu tindak lanjut", "Awaiting follow-up")}
                </option>
                <option value="reported" selected=move || get("status") == "reported">
                    {l.t("Dilaporkan", "Reported")}
                </option>
                <option value="done" selected=move || get("status") == "done">
                    {l.t("Selesai", "Done")}
                </option>
            </select>
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
                                {match tab() {
                                    "keluar" => {
                                        l.t(
                                            "Belum ada disposisi yang Anda berikan.",
                                            "You have not given any disposition.",
                                        )
                                    }
                                    "tenggat" => {
                                        l.t(
                                            "Tidak ada disposisi yang lewat tenggat.",
                                            "No disposition is overdue.",
                                        )
                                    }
                                    _ => {
                                        l.t(
                                            "Belum ada disposisi untuk Anda.",
                                            "No disposition for you yet.",
                                        )
                                    }
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let pages = (p.total + PAGE_SIZE - 1) / PAGE_SIZE;
                        let given = tab() == "keluar";
                        view! {
                            <p class="muted small" role="status">
                                {format!("{} {}", p.total, l.t("disposisi", "dispositions"))}
                            </p>
                            <ul class="letter-list">
                                {p
                                    .items
                                    .into_iter()
                                    .map(|it| {
                                        let (st, cls) = node_status(
                                            &it.status,
                                            it.overdue,
                                            false,
                                            l,
                                        );
                                        view! {
                                            <li
                                                class="letter-item"
                                                class:unread=!it.read && !given
                                                class:overdue=it.overdue
                                            >
                                                <A href=format!(
                                                    "/surat-masuk/{}",
                                                    it.incoming_id,
                                                )>
                                                    {(!it.read && !given)
                                                        .then(|| {
                                                            view! {
                                                                <span class="sr-only">
                                                                    {l.t("Belum dibaca: ", "Unread: ")}
                                                                </span>
                                                            }
                                                        })} <strong>{it.subject.clone()}</strong>
                                                </A>
                                                <div class="meta-line small">
                                                    <span class=cls>{st}</span>
                                                    " "
                                                    {sifat_badge(it.sifat, l)}
                                                    " "
                                                    {it
                                                        .instructions
                                                        .iter()
                                                        .map(|i| {
                                                            view! {
                                                                <span class="badge">{i.label(l)}</span>
                                                                " "
                                                            }
                                                        })
                                                        .collect_view()}
                                                </div>
                                                <div class="muted small">
                                                    {if given {
                                                        format!("{} {}", l.t("Kepada", "To"), it.to_title)
                                                    } else {
                                                        format!("{} {}", l.t("Dari", "From"), it.from_title)
                                                    }}
                                                    {format!(
                                                        " · {} · {}",
                                                        it.sender_name,
                                                        domain::time::long_datetime(it.created_ms, l),
                                                    )}
                                                    {it
                                                        .deadline_day
                                                        .map(|d| {
                                                            format!(
                                                                " · {} {}",
                                                                l.t("tenggat", "deadline"),
                                                                domain::time::long_date(d, l),
                                                            )
                                                        })}
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
