//! Struktur organisasi: the unit tree of an OPD with its positions, holders and acting officials.

use crate::api::org::{fetch_org_chart, list_opds};
use crate::app::lang;
use crate::components::{ErrorBox, Loading};
use domain::Lang;
use domain::model::{OrgChart, PositionView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn OrgPage() -> impl IntoView {
    let l = lang();
    let params = use_params_map();
    let opd = move || params.read().get("opd").unwrap_or_default();
    let chart = Resource::new(opd, fetch_org_chart);
    let opds = Resource::new(|| (), |_| list_opds());
    let navigate = use_navigate();
    view! {
        <Title text=l.t("Struktur Organisasi", "Organisation chart") />
        <h1>{l.t("Struktur Organisasi", "Organisation chart")}</h1>
        <Suspense fallback=|| ()>
            {move || {
                let navigate = navigate.clone();
                Suspend::new(async move {
                    let Ok(list) = opds.await else { return ().into_any() };
                    let current = chart
                        .get()
                        .and_then(|c| c.ok())
                        .map(|c| c.opd.id)
                        .unwrap_or_default();
                    view! {
                        <label class="inline-field">
                            <span>{l.t("OPD", "Agency")}</span>
                            <select on:change=move |ev| navigate(
                                &format!("/organisasi/{}", event_target_value(&ev)),
                                Default::default(),
                            )>
                                {list
                                    .into_iter()
                                    .map(|o| {
                                        let selected = o.id == current;
                                        view! {
                                            <option value=o.id.clone() selected=selected>
                                                {o.name}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                        .into_any()
                })
            }}
        </Suspense>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match chart.await {
                    Ok(c) => view! { <Chart chart=c lang=l /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Chart(chart: OrgChart, lang: Lang) -> impl IntoView {
    let roots: Vec<String> =
        chart.units.iter().filter(|u| u.parent_id.is_none()).map(|u| u.id.clone()).collect();
    let people: usize =
        chart.positions.iter().map(|p| p.holders.len()).sum::<usize>() + chart.unplaced.len();
    let summary = format!(
        "{} · {} {} · {} {}",
        chart.opd.name,
        chart.units.len(),
        lang.t("unit", "units"),
        people,
        lang.t("pegawai", "employees")
    );
    view! {
        <p class="muted">{summary}</p>
        <ul class="org-tree" role="tree" aria-label=lang.t("Bagan unit kerja", "Unit tree")>
            {roots.into_iter().map(|r| unit_node(&chart, &r, lang, 1)).collect_view()}
        </ul>
        {(!chart.unplaced.is_empty())
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{lang.t("Belum ditempatkan", "Not yet placed")}</h2>
                        <ul class="plain">
                            {chart
                                .unplaced
                                .iter()
                                .map(|p| {
                                    view! {
                                        <li>
                                            {p.name.clone()}" · "
                                            <span class="nip">{p.nip.clone()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}

fn unit_node(chart: &OrgChart, unit_id: &str, lang: Lang, depth: usize) -> AnyView {
    let Some(unit) = chart.units.iter().find(|u| u.id == unit_id) else { return ().into_any() };
    let kind = lang.t(unit.kind.label_id(), unit.kind.label_en());
    let mut positions: Vec<&PositionView> =
        chart.positions.iter().filter(|p| p.position.unit_id == unit.id).collect();
    positions.sort_by_key(|p| (p.position.level, p.position.title.clone()));
    let children: Vec<String> = chart
        .units
        .iter()
        .filter(|u| u.parent_id.as_deref() == Some(unit_id))
        .map(|u| u.id.clone())
        .collect();
    let child_views = children.iter().map(|c| unit_node(chart, c, lang, depth + 1)).collect_view();
    let has_children = !children.is_empty();
    view! {
        <li
            role="treeitem"
            attr:aria-level=depth.to_string()
            attr:aria-expanded=has_children.then_some("true")
        >
            <div class="org-unit">
                <div class="org-unit-head">
                    <strong>{unit.name.clone()}</strong>
                    <span class="badge">{kind}</span>
                </div>
                <ul class="org-positions">
                    {positions.into_iter().map(|p| position_view(p, lang)).collect_view()}
                </ul>
            </div>
            {has_children.then(|| view! { <ul role="group">{child_views}</ul> })}
        </li>
    }
    .into_any()
}

fn position_view(p: &PositionView, lang: Lang) -> impl IntoView + use<> {
    let head = p.position.level.is_head();
    let holders = if p.holders.is_empty() {
        view! { <span class="muted">{lang.t("(kosong)", "(vacant)")}</span> }.into_any()
    } else {
        p.holders.iter().map(|h| view! { <span class="holder">{h.name.clone()}<span class="nip">{h.nip.clone()}</span></span> }).collect_view().into_any()
    };
    let acting = p
        .acting
        .iter()
        .map(|a| {
            let prefix = a.kind.prefix();
            view! {
                <span class="acting">
                    {format!(
                        "{prefix} {} ({} {})",
                        a.employee_name,
                        lang.t("s.d.", "until"),
                        domain::time::long_date(a.end_day, lang),
                    )}
                </span>
            }
        })
        .collect_view();
    view! {
        <li class:head=head>
            <span class="pos-title">{p.position.title.clone()}</span>
            <span class="pos-holders">{holders}{acting}</span>
        </li>
    }
}
