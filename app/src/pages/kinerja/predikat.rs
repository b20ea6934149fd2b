//! Predikat tahunan: the PermenPANRB 6/2022 matrix of a year. The work result (hasil kerja)
//! comes from the performance of the year's closed months; the behaviour (perilaku kerja) is
//! rated by the direct superior (or the acting Plt/Plh) at year end, on this page.

use super::KinerjaTabs;
use crate::api::kinerja::{RateBehaviour, YearPage, get_kinerja_access, get_kinerja_year};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use domain::Code;
use domain::Lang;
use domain::activity::{YearView, month_label};
use domain::kinerja::{Rating, percent};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

fn rating_text(r: Option<Rating>, none: &'static str, l: Lang) -> String {
    r.map_or(none.to_string(), |r| r.label(l).to_string())
}

fn average(v: &YearView) -> Option<i64> {
    (!v.months.is_empty())
        .then(|| v.months.iter().map(|(_, bp)| bp).sum::<i64>() / v.months.len() as i64)
}

#[component]
pub fn PredikatPage() -> impl IntoView {
    let l = lang();
    let query = use_query_map();
    let tahun = move || query.read().get("tahun").and_then(|t| t.parse::<i64>().ok()).unwrap_or(0);
    let rate = ServerAction::<RateBehaviour>::new();
    let access = Resource::new(|| (), |_| get_kinerja_access());
    let data = Resource::new(move || (tahun(), rate.version().get()), |(t, _)| get_kinerja_year(t));
    view! {
        <Title text=l.t("Predikat tahunan", "Annual rating") />
        <h1>{l.t("Kinerja", "Performance")}</h1>
        <KinerjaTabs access />
        <div aria-live="polite">
            <ActionResult
                value=rate.value()
                ok=l.t("Penilaian perilaku kerja disimpan.", "Behaviour rating saved.")
            />
        </div>
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(p) => view! { <YearBody p rate /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn YearBody(p: YearPage, rate: ServerAction<RateBehaviour>) -> impl IntoView {
    let l = lang();
    let y = p.year;
    let may_rate = y == p.this_year || y == p.this_year - 1;
    let rule = format!(
        "{} {} {} {}.",
        l.t(
            "Hasil kerja dihitung dari rata-rata nilai kinerja bulan-bulan yang sudah ditutup: di atas ekspektasi mulai",
            "The work result is the average performance of the closed months: above expectations from",
        ),
        percent(p.hasil_above_bp),
        l.t(", sesuai ekspektasi mulai", ", as expected from"),
        percent(p.hasil_meets_bp),
    );
    let staff = p.staff.clone();
    view! {
        <nav class="pager" aria-label=l.t("Tahun", "Year")>
            <A href=format!("/kinerja/predikat?tahun={}", y - 1) attr:class="btn">
                {format!("‹ {}", y - 1)}
            </A>
            <strong>{y}</strong>
            {(y < p.this_year)
                .then(|| {
                    view! {
                        <A href=format!("/kinerja/predikat?tahun={}", y + 1) attr:class="btn">
                            {format!("{} ›", y + 1)}
                        </A>
                    }
                })}
        </nav>
        <p class="muted">{rule}</p>
        <YearCard v=p.mine.clone() own=true />
        {(!staff.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="h-perilaku">
                        <h2 id="h-perilaku">
                            {format!(
                                "{} {y}",
                                l
                                    .t(
                                        "Penilaian perilaku kerja bawahan",
                                        "Behaviour rating of your staff",
                                    ),
                            )}
                        </h2>
                        {if may_rate {
                            view! {
                                <p class="muted">
                                    {l
                                        .t(
                                            "Sebagai atasan langsung (atau Plt/Plh), nilai perilaku kerja setiap bawahan pada akhir tahun. Predikat muncul setelah hasil kerja dan perilaku kerja keduanya ada.",
                                            "As the direct superior (or acting official), rate each staff member's behaviour at year end. The rating appears once both the work result and the behaviour are known.",
                                        )}
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p class="alert alert-info">
                                    {l
                                        .t(
                                            "Perilaku kerja dinilai untuk tahun berjalan atau tahun lalu saja.",
                                            "Behaviour is rated for this year or last year only.",
                                        )}
                                </p>
                            }
                                .into_any()
                        }}
                        <ul class="letter-list">
                            {staff
                                .into_iter()
                                .map(|v| view! { <StaffRating v may_rate rate /> })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}

/// A person's year: each closed month, the work result, the behaviour, the predikat.
#[component]
fn YearCard(v: YearView, own: bool) -> impl IntoView {
    let l = lang();
    let avg = average(&v);
    let heading = if own {
        format!("{} {}", l.t("Predikat Anda", "Your rating"), v.year)
    } else {
        v.name.clone()
    };
    view! {
        <section class="card" aria-label=heading.clone()>
            <h2 class="section-title">{heading.clone()}</h2>
            <dl class="facts">
                <dt>{l.t("Hasil kerja", "Work result")}</dt>
                <dd data-key="hasil">
                    <strong>
                        {rating_text(
                            v.hasil,
                            l.t("Belum ada bulan yang ditutup", "No closed month yet"),
                            l,
                        )}
                    </strong>
                    {avg
                        .map(|a| {
                            view! {
                                <span class="muted small">
                                    {format!(
                                        " — {} {} {} {}",
                                        l.t("rata-rata", "average"),
                                        percent(a),
                                        l.t("dari bulan ditutup:", "over closed months:"),
                                        v.months.len(),
                                    )}
                                </span>
                            }
                        })}
                </dd>
                <dt>{l.t("Perilaku kerja", "Behaviour")}</dt>
                <dd data-key="perilaku">
                    {rating_text(v.perilaku, l.t("Belum dinilai atasan", "Not rated yet"), l)}
                </dd>
                <dt>{l.t("Predikat", "Rating")}</dt>
                <dd data-key="predikat">
                    <strong>
                        {v
                            .predikat
                            .map_or_else(
                                || {
                                    l.t("Belum dapat ditentukan", "Not yet determined").to_string()
                                },
                                |p| p.label().to_string(),
                            )}
                    </strong>
                </dd>
            </dl>
            {(own && !v.months.is_empty())
                .then(|| {
                    view! {
                        <div class="table-wrap" tabindex="0">
                            <table>
                                <caption class="sr-only">
                                    {l
                                        .t(
                                            "Nilai kinerja bulan yang ditutup",
                                            "Performance of the closed months",
                                        )}
                                </caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{l.t("Bulan", "Month")}</th>
                                        <th scope="col">{l.t("Nilai kinerja", "Performance")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {v
                                        .months
                                        .iter()
                                        .map(|(m, bp)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{month_label(*m, l)}</th>
                                                    <td>{percent(*bp)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
        </section>
    }
}

/// One member of staff: their year, and the behaviour rating form.
#[component]
fn StaffRating(v: YearView, may_rate: bool, rate: ServerAction<RateBehaviour>) -> impl IntoView {
    let l = lang();
    let choice = RwSignal::new(v.perilaku.map(|r| r.code().to_string()).unwrap_or_default());
    let select_id = format!("perilaku-{}", v.employee_id);
    let (id, year) = (v.employee_id.clone(), v.year);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        rate.dispatch(RateBehaviour {
            pegawai: id.clone(),
            tahun: year,
            perilaku: choice.get_untracked(),
        });
    };
    let who = format!("{} · NIP {} · {}", v.name, v.nip, v.position_title);
    view! {
        <li class="letter-item" data-nip=v.nip.clone()>
            <YearCard v=v.clone() own=false />
            <p class="muted small">{who}</p>
            {may_rate
                .then(|| {
                    view! {
                        <form class="inline-form" on:submit=save>
                            <label for=select_id
                                .clone()>
                                {format!("{} {}", l.t("Perilaku kerja", "Behaviour of"), v.name)}
                            </label>
                            <select
                                id=select_id.clone()
                                prop:value=choice
                                on:change=move |ev| choice.set(event_target_value(&ev))
                            >
                                <option value="">{l.t("— pilih —", "— choose —")}</option>
                                {Rating::all()
                                    .iter()
                                    .copied()
                                    .map(|r| {
                                        view! {
                                            <option value=r.code() selected=v.perilaku == Some(r)>
                                                {r.label(l)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <button
                                type="submit"
                                class="btn btn-primary"
                                disabled=move || rate.pending().get()
                            >
                                {move || busy_label(
                                    rate.pending().get(),
                                    l.t("Simpan", "Save"),
                                    l.t("Menyimpan…", "Saving…"),
                                )}
                            </button>
                        </form>
                    }
                })}
        </li>
    }
}
