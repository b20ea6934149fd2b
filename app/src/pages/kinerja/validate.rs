//! Validasi: the direct superior (or the acting Plt/Plh) approves or rejects their staff's
//! activities, one by one or a person's whole day at once; a rejection needs a note and a
//! free-text activity needs the validator's rating in minutes.

use super::{ActivityLine, KinerjaTabs, MonthNav, month_param};
use crate::api::kinerja::{ValidateActivities, get_kinerja_access, validation_list};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading};
use domain::activity::{ActivityStatus, ActivityView, month_of_day, parse_month};
use domain::time::long_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ValidationPage() -> impl IntoView {
    let l = lang();
    let bulan = month_param();
    let query = use_query_map();
    let all = move || query.read().get("semua").is_some_and(|v| v == "1");
    let act = ServerAction::<ValidateActivities>::new();
    let access = Resource::new(move || act.version().get(), |_| get_kinerja_access());
    let list = Resource::new(
        move || (bulan(), all(), act.version().get()),
        |(b, s, _)| validation_list(b, s),
    );
    let month = move || {
        parse_month(&bulan())
            .unwrap_or_else(|| month_of_day(domain::time::wib_day(crate::components::now_ms())))
    };
    view! {
        <Title text=l.t("Validasi aktivitas", "Validate activities") />
        <h1>{l.t("Kinerja", "Performance")}</h1>
        <KinerjaTabs access />
        {move || {
            let m = domain::activity::month_iso(month());
            view! {
                <MonthNav
                    month=month()
                    base="/kinerja/validasi"
                    extra=if all() { "&semua=1".to_string() } else { String::new() }
                />
                <p>
                    {if all() {
                        view! {
                            <A href=format!(
                                "/kinerja/validasi?bulan={m}",
                            )>{l.t("Tampilkan yang menunggu saja", "Show only those waiting")}</A>
                        }
                            .into_any()
                    } else {
                        view! {
                            <A href=format!(
                                "/kinerja/validasi?bulan={m}&semua=1",
                            )>
                                {l
                                    .t(
                                        "Tampilkan semua aktivitas (termasuk yang otomatis dari e-Office)",
                                        "Show all activities (including automatic ones from e-Office)",
                                    )}
                            </A>
                        }
                            .into_any()
                    }}
                </p>
            }
        }}
        <div aria-live="polite">
            <ActionResult value=act.value() ok=l.t("Validasi disimpan.", "Validation saved.") />
        </div>
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(items) if items.is_empty() => {
                        view! {
                            <p class="empty">
                                {l
                                    .t(
                                        "Tidak ada aktivitas bawahan yang menunggu validasi pada bulan ini.",
                                        "No activity of your staff awaits validation this month.",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(items) => {
                        let mut groups: Vec<((i64, String, String), Vec<ActivityView>)> = Vec::new();
                        for a in items {
                            let key = (a.day, a.employee_id.clone(), a.employee_name.clone());
                            match groups.last_mut() {
                                Some((k, list)) if *k == key => list.push(a),
                                _ => groups.push((key, vec![a])),
                            }
                        }
                        groups
                            .into_iter()
                            .map(|((day, _, name), list)| view! { <StaffDay day name list act /> })
                            .collect_view()
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One person's day: each activity with approve / reject, and "approve the whole day".
#[component]
fn StaffDay(
    day: i64,
    name: String,
    list: Vec<ActivityView>,
    act: ServerAction<ValidateActivities>,
) -> impl IntoView {
    let l = lang();
    let pending_ids: Vec<String> = list
        .iter()
        .filter(|a| a.status == ActivityStatus::Pending && !a.free_text)
        .map(|a| a.id.clone())
        .collect();
    let heading = format!("{name} · {}", long_date(day, l));
    let minutes: i64 =
        list.iter().filter(|a| a.status != ActivityStatus::Rejected).map(|a| a.minutes).sum();
    view! {
        <section class="card staff-day" aria-label=heading.clone()>
            <h2 class="section-title">
                {heading.clone()}
                <span class="muted small">{format!(" · {minutes} {}", l.t("menit", "min"))}</span>
            </h2>
            {(!pending_ids.is_empty())
                .then(|| {
                    let ids = pending_ids.clone();
                    view! {
                        <button
                            type="button"
                            class="btn btn-primary"
                            on:click=move |_| {
                                act.dispatch(ValidateActivities {
                                    ids: ids.clone(),
                                    setuju: true,
                                    catatan: String::new(),
                                    menit: None,
                                });
                            }
                        >
                            {format!(
                                "{} ({})",
                                l.t("Setujui semua hari ini", "Approve the whole day"),
                                pending_ids.len(),
                            )}
                        </button>
                    }
                })}
            <ul class="letter-list">
                {list
                    .into_iter()
                    .map(|a| {
                        let id = a.id.clone();
                        let free = a.free_text;
                        let claimed = a.minutes;
                        let status = a.status;
                        view! {
                            <ActivityLine a>
                                <ValidateControls id free claimed status act />
                            </ActivityLine>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ValidateControls(
    id: String,
    free: bool,
    claimed: i64,
    status: ActivityStatus,
    act: ServerAction<ValidateActivities>,
) -> impl IntoView {
    let l = lang();
    let note = RwSignal::new(String::new());
    let minutes = RwSignal::new(claimed.to_string());
    let note_id = format!("catatan-{id}");
    let minutes_id = format!("menit-{id}");
    let id2 = id.clone();
    let approve = move |_| {
        act.dispatch(ValidateActivities {
            ids: vec![id.clone()],
            setuju: true,
            catatan: note.get_untracked(),
            menit: if free { minutes.get_untracked().trim().parse().ok() } else { None },
        });
    };
    let reject = move |_| {
        act.dispatch(ValidateActivities {
            ids: vec![id2.clone()],
            setuju: false,
            catatan: note.get_untracked(),
            menit: None,
        });
    };
    view! {
        <div class="validate-controls">
            {free
                .then(|| {
                    view! {
                        <label for=minutes_id
                            .clone()>
                            {l.t("Menit efektif yang disetujui", "Approved effective minutes")}
                        </label>
                        <input
                            id=minutes_id.clone()
                            type="number"
                            min="0"
                            max="480"
                            prop:value=minutes
                            on:input=move |ev| minutes.set(event_target_value(&ev))
                        />
                    }
                })}
            <label for=note_id
                .clone()>{l.t("Catatan (wajib bila ditolak)", "Note (required to reject)")}</label>
            <input
                id=note_id.clone()
                type="text"
                maxlength="300"
                prop:value=note
                on:input=move |ev| note.set(event_target_value(&ev))
            />
            <div class="buttons">
                {(status != ActivityStatus::Approved)
                    .then(|| {
                        view! {
                            <button type="button" class="btn" on:click=approve>
                                {l.t("Setujui", "Approve")}
                            </button>
                        }
                    })}
                {(status != ActivityStatus::Rejected)
                    .then(|| {
                        view! {
                            <button type="button" class="btn" on:click=reject>
                                {if status == ActivityStatus::Approved {
                                    l.t("Pertanyakan (tolak)", "Question (reject)")
                                } else {
                                    l.t("Tolak", "Reject")
                                }}
                            </button>
                        }
                    })}
            </div>
        </div>
    }
}
