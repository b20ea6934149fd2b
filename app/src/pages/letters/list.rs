//! The Surat Keluar lists: Draf, Perlu Paraf, Dalam Proses, Terkirim; search, filters, paging.
//! The filter form is a plain GET form, so it also works before the page has hydrated.

use super::{sifat_badge, state_class};
use crate::api::letters::list_letters;
use crate::api::tte::{SignLettersBatch, get_signing_info};
use crate::app::lang;
use crate::components::tabs::{Tab, Tabs};
use crate::components::{ErrorBox, LinkPager, Loading};
use domain::Code;
use domain::letter::{LetterKind, LetterState, Sifat};
use domain::letter_view::{Counts, ListTab, PAGE_SIZE};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

#[component]
pub fn LettersPage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<crate::app::UserCtx>().0;
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let tab = move || ListTab::from_code(&get("tab")).unwrap_or(ListTab::PerluParaf);
    let page = move || get("hal").parse::<i64>().unwrap_or(1).max(1);
    let batch = ServerAction::<SignLettersBatch>::new();
    let data = Resource::new(
        move || {
            (
                tab(),
                get("q"),
                get("jenis"),
                get("sifat"),
                get("dari"),
                get("sampai"),
                page(),
                batch.version().get(),
            )
        },
        |(t, q, k, s, f, to, p, _)| {
            list_letters(t, q, LetterKind::from_code(&k), Sifat::from_code(&s), f, to, p)
        },
    );
    // Letters ticked for signing together, as "id:version".
    let selected = RwSignal::new(Vec::<String>::new());
    let subjects = RwSignal::new(std::collections::HashMap::<String, String>::new());
    Effect::new(move |_| {
        if matches!(batch.value().get(), Some(Ok(_))) {
            selected.set(Vec::new());
        }
    });
    let href_page = move |p: i64| {
        let mut parts = vec![format!("tab={}", tab().code())];
        for k in ["q", "jenis", "sifat", "dari", "sampai"] {
            let v = get(k);
            if !v.is_empty() {
                parts.push(format!("{k}={}", urlencode(&v)));
            }
        }
        parts.push(format!("hal={p}"));
        format!("/surat-keluar?{}", parts.join("&"))
    };
    view! {
        <Title text=l.t("Surat Keluar", "Outgoing letters") />
        <div class="page-head">
            <h1>{l.t("Surat Keluar", "Outgoing letters")}</h1>
            <div class="buttons">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) if u.caps.is_tu_of(&u.opd_id) => {
                                view! {
                                    <A href="/surat-keluar/nomor-manual" attr:class="btn">
                                        {l.t("Nomor manual", "Manual number")}
                                    </A>
                                }
                                    .into_any()
                            }
                            _ => view! { <span></span> }.into_any(),
                        }
                    })}
                </Suspense>
                <A href="/surat-keluar/baru" attr:class="btn btn-primary">
                    {l.t("+ Tulis surat", "+ Write a letter")}
                </A>
            </div>
        </div>
        <Tabs
            label=l.t("Daftar surat", "Letter lists")
            tabs=ListTab::all()
                .iter()
                .map(|&t| Tab {
                    code: t.code(),
                    href: format!("/surat-keluar?tab={}", t.code()),
                    label: t.label(l),
                    waiting: match t {
                        ListTab::Draf => {
                            Some((|c: &Counts| c.dikembalikan, l.t("dikembalikan", "returned")))
                        }
                        ListTab::PerluParaf => {
                            Some((|c: &Counts| c.perlu_paraf, l.t("perlu paraf", "to approve")))
                        }
                        _ => None,
                    },
                })
                .collect()
            current=Signal::derive(move || tab().code())
        />
        <details
            class="filters"
            open=move || {
                ["q", "jenis", "sifat", "dari", "sampai"].iter().any(|k| !get(k).is_empty())
            }
        >
            <summary>{l.t("Cari dan saring", "Search and filter")}</summary>
            <Form method="GET" action="/surat-keluar" attr:class="form grid-2">
                <input type="hidden" name="tab" prop:value=move || tab().code() />
                <div class="span-2">
                    <label for="f-q">
                        {l
                            .t(
                                "Cari hal, nomor, atau penerima",
                                "Search subject, number or recipient",
                            )}
                    </label>
                    <input
                        id="f-q"
                        type="search"
                        name="q"
                        maxlength="200"
                        prop:value=move || get("q")
                    />
                </div>
                <div>
                    <label for="f-jenis">{l.t("Jenis", "Type")}</label>
                    <select id="f-jenis" name="jenis">
                        <option value="">{l.t("Semua", "All")}</option>
                        {LetterKind::all()
                            .iter()
                            .copied()
                            .map(|k| {
                                view! {
                                    <option
                                        value=k.code()
                                        selected=move || get("jenis") == k.code()
                                    >
                                        {k.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div>
                    <label for="f-sifat">{l.t("Sifat", "Class")}</label>
                    <select id="f-sifat" name="sifat">
                        <option value="">{l.t("Semua", "All")}</option>
                        {Sifat::all()
                            .iter()
                            .copied()
                            .map(|s| {
                                view! {
                                    <option
                                        value=s.code()
                                        selected=move || get("sifat") == s.code()
                                    >
                                        {s.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div>
                    <label for="f-dari">{l.t("Dari tanggal", "From")}</label>
                    <input id="f-dari" type="date" name="dari" prop:value=move || get("dari") />
                </div>
                <div>
                    <label for="f-sampai">{l.t("Sampai tanggal", "Until")}</label>
                    <input
                        id="f-sampai"
                        type="date"
                        name="sampai"
                        prop:value=move || get("sampai")
                    />
                </div>
                <div class="buttons span-2">
                    <button type="submit" class="btn btn-primary">
                        {l.t("Terapkan", "Apply")}
                    </button>
                    <A href=move || format!("/surat-keluar?tab={}", tab().code()) attr:class="btn">
                        {l.t("Hapus saringan", "Clear")}
                    </A>
                </div>
            </Form>
        </details>
        <BatchResults batch subjects />
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
                                    ListTab::Draf => {
                                        l.t(
                                            "Tidak ada draf. Mulai dengan \"Tulis surat\".",
                                            "No drafts. Start with \"Write a letter\".",
                                        )
                                    }
                                    ListTab::PerluParaf => {
                                        l.t(
                                            "Tidak ada surat yang menunggu paraf atau tanda tangan Anda.",
                                            "Nothing is waiting for your approval or signature.",
                                        )
                                    }
                                    ListTab::DalamProses => {
                                        l.t(
                                            "Tidak ada surat Anda yang sedang diproses.",
                                            "None of your letters is in progress.",
                                        )
                                    }
                                    ListTab::Terkirim => {
                                        l.t("Belum ada surat terkirim.", "No sent letters yet.")
                                    }
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let pages = (p.total + PAGE_SIZE - 1) / PAGE_SIZE;
                        let signable = tab() == ListTab::PerluParaf
                            && p.items.iter().any(|it| waits_for_signature(&it.state));
                        subjects
                            .set(
                                p
                                    .items
                                    .iter()
                                    .map(|it| (it.id.clone(), it.subject.clone()))
                                    .collect(),
                            );
                        // Letters waiting for my signature or my co-signature can be signed together.
                        view! {
                            <p class="muted small" role="status">
                                {format!("{} {}", p.total, l.t("surat", "letters"))}
                            </p>
                            {signable.then(|| view! { <BatchSignBar batch selected /> })}
                            <ul class="letter-list">
                                {p
                                    .items
                                    .into_iter()
                                    .map(|it| {
                                        let key = format!("{}:{}", it.id, it.version);
                                        let can_tick = tab() == ListTab::PerluParaf
                                            && waits_for_signature(&it.state);
                                        let cb_id = format!("pilih-{}", it.id);
                                        view! {
                                            <li class=if can_tick {
                                                "letter-item selectable"
                                            } else {
                                                "letter-item"
                                            }>
                                                {can_tick
                                                    .then(|| {
                                                        let k1 = key.clone();
                                                        let k2 = key.clone();
                                                        view! {
                                                            <input
                                                                type="checkbox"
                                                                id=cb_id.clone()
                                                                aria-label=format!(
                                                                    "{} {}",
                                                                    l.t("Pilih untuk ditandatangani:", "Select for signing:"),
                                                                    it.subject,
                                                                )
                                                                prop:checked=move || selected.with(|s| s.contains(&k1))
                                                                on:change=move |ev| {
                                                                    let on = event_target_checked(&ev);
                                                                    let k = k2.clone();
                                                                    selected
                                                                        .update(|s| {
                                                                            s.retain(|x| x != &k);
                                                                            if on {
                                                                                s.push(k);
                                                                            }
                                                                        });
                                                                }
                                                            />
                                                        }
                                                    })} <div>
                                                    <A href=format!("/surat-keluar/{}", it.id)>
                                                        <strong>{it.subject.clone()}</strong>
                                                    </A>
                                                    <div class="meta-line small">
                                                        <span class=state_class(
                                                            it.state,
                                                        )>{it.state_label.clone()}</span>
                                                        " "
                                                        {sifat_badge(it.sifat, l)}
                                                        " "
                                                        <span class="muted">{it.kind.label()}</span>
                                                        {it
                                                            .number
                                                            .clone()
                                                            .map(|n| {
                                                                view! {
                                                                    " · "
                                                                    <span class="letter-number">{n}</span>
                                                                }
                                                            })}
                                                    </div>
                                                    <div class="muted small">
                                                        {format!(
                                                            "{} {} · {}",
                                                            l.t("Oleh", "By"),
                                                            it.drafter_name,
                                                            domain::time::long_datetime(it.updated_ms, l),
                                                        )}
                                                        {(!it.recipients.is_empty())
                                                            .then(|| format!(" · Yth. {}", it.recipients))}
                                                        {it
                                                            .waiting_at
                                                            .clone()
                                                            .map(|w| {
                                                                format!(" · {} {w}", l.t("menunggu di", "waiting at"))
                                                            })}
                                                    </div>
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

/// A letter in Perlu Paraf that waits for a signature (the signer's, or the co-signer's second one).
fn waits_for_signature(state: &LetterState) -> bool {
    matches!(state, LetterState::Signing | LetterState::CoSigning)
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signing several letters at once: the head ticks letters waiting for signature and enters the
/// passphrase once; each letter is signed on its own, and the result of each is listed.
#[component]
fn BatchSignBar(
    batch: ServerAction<SignLettersBatch>,
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    let l = lang();
    let info = Resource::new(|| (), |_| get_signing_info());
    let pending = batch.pending();
    view! {
        <ActionForm action=batch attr:class="batch-bar">
            <input type="hidden" name="items" prop:value=move || selected.with(|s| s.join(",")) />
            <span role="status" aria-live="polite">
                {move || {
                    format!(
                        "{} {}",
                        selected.with(Vec::len),
                        l.t("surat dipilih untuk ditandatangani", "letters selected for signing"),
                    )
                }}
            </span>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(i) if i.needs_passphrase => {
                            view! {
                                <span>
                                    <label for="batch-pass">
                                        {l.t("Passphrase TTE", "Signing passphrase")}
                                    </label>
                                    " "
                                    <input
                                        id="batch-pass"
                                        name="passphrase"
                                        type="password"
                                        autocomplete="off"
                                        aria-describedby="batch-pass-hint"
                                        required
                                    />
                                    <crate::pages::tte::PassphraseHint id="batch-pass-hint" />
                                    {i
                                        .second_factor
                                        .then(|| {
                                            view! {
                                                <crate::pages::tte::SigningCodeField
                                                    needed=i.code_needed
                                                    id="batch-kode"
                                                />
                                            }
                                        })}
                                </span>
                            }
                                .into_any()
                        }
                        _ => view! { <input type="hidden" name="passphrase" value="" /> }.into_any(),
                    }
                })}
            </Suspense>
            <input type="hidden" name="tampilan" value="visible" />
            <button
                type="submit"
                class="btn btn-primary"
                disabled=move || pending.get() || selected.with(Vec::is_empty)
            >
                {move || crate::components::busy_label(
                    pending.get(),
                    l.t("Tandatangani yang dipilih", "Sign selected"),
                    l.t("Menandatangani…", "Signing…"),
                )}
            </button>
        </ActionForm>
    }
    .into_any()
}

/// The outcome of a batch signing, per letter; outside the list so it stays after the list reloads.
#[component]
fn BatchResults(
    batch: ServerAction<SignLettersBatch>,
    subjects: RwSignal<std::collections::HashMap<String, String>>,
) -> impl IntoView {
    let l = lang();
    view! {
        {move || match batch.value().get() {
            Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
            Some(Ok(results)) => {
                let ok = results.iter().filter(|r| r.ok).count();
                let n = results.len();
                view! {
                    <div
                        class=if ok == n { "alert alert-ok" } else { "alert alert-error" }
                        role="status"
                    >
                        <p>
                            {format!(
                                "{} {ok} {} {}.",
                                l.t("Ditandatangani:", "Signed:"),
                                l.t("dari", "of"),
                                n,
                            )}
                        </p>
                        <ul class="plain">
                            {results
                                .into_iter()
                                .map(|r| {
                                    let subject = subjects
                                        .with_untracked(|m| m.get(&r.id).cloned())
                                        .unwrap_or_else(|| r.id.clone());
                                    view! {
                                        <li>
                                            {if r.ok { "✓ " } else { "✗ " }}
                                            <strong>{subject}</strong>{format!(" — {}", r.message)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                }
                    .into_any()
            }
            None => ().into_any(),
        }}
    }
}
