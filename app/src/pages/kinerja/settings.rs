//! Pengaturan Kinerja: the Admin Pemda's rules (target, weights, standard minutes of e-Office
//! work, working hours and limits, base TPP per class, holidays) and each Admin OPD's activity
//! bank (CSV import and export).

use super::KinerjaTabs;
use super::recap::ImportOutcome;
use crate::api::kinerja::{
    ImportBank, SaveKinerjaSettings, SetHoliday, get_kinerja_access, get_kinerja_settings,
};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use domain::activity::{ClassTpp, KinerjaSettings, Unvalidated, WorkRule, hhmm, parse_hhmm};
use domain::kinerja::WorkHours;
use domain::time::{iso_date, long_date};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn KinerjaSettingsPage() -> impl IntoView {
    let l = lang();
    let save = ServerAction::<SaveKinerjaSettings>::new();
    let holiday = ServerAction::<SetHoliday>::new();
    let bank = ServerAction::<ImportBank>::new();
    let access = Resource::new(|| (), |_| get_kinerja_access());
    let data = Resource::new(
        move || (save.version().get(), holiday.version().get()),
        |_| get_kinerja_settings(0),
    );
    view! {
        <Title text=l.t("Pengaturan Kinerja", "Performance settings") />
        <h1>{l.t("Kinerja", "Performance")}</h1>
        <KinerjaTabs access />
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                let a = match access.await {
                    Ok(a) => a,
                    Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                };
                if !a.pemda_admin && a.admin_opds.is_empty() {
                    return view! {
                        <p class="alert alert-error" role="alert">
                            {l
                                .t(
                                    "Pengaturan kinerja hanya untuk Admin Pemda dan Admin OPD.",
                                    "Performance settings are for the Pemda and OPD admins.",
                                )}
                        </p>
                    }
                        .into_any();
                }
                let opds: Vec<(String, String)> = a
                    .recap_opds
                    .iter()
                    .filter(|(id, _)| a.admin_opds.contains(id))
                    .cloned()
                    .collect();
                let pemda = a
                    .pemda_admin
                    .then(|| {
                        view! {
                            <Transition fallback=|| {
                                view! { <Loading /> }
                            }>
                                {move || Suspend::new(async move {
                                    match data.await {
                                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                        Ok((s, days)) => {
                                            view! {
                                                <SettingsForm s save />
                                                <Holidays days holiday />
                                            }
                                                .into_any()
                                        }
                                    }
                                })}
                            </Transition>
                        }
                    });
                view! {
                    {pemda}
                    <BankSection opds bank />
                }
                    .into_any()
            })}
        </Suspense>
    }
}

fn num(s: &RwSignal<String>) -> i64 {
    s.get_untracked().trim().replace('.', "").parse().unwrap_or(-1)
}

#[component]
fn SettingsForm(s: KinerjaSettings, save: ServerAction<SaveKinerjaSettings>) -> impl IntoView {
    let l = lang();
    let text = |v: i64| RwSignal::new(v.to_string());
    let target = text(s.scoring.monthly_target_minutes);
    let weight = text(s.scoring.performance_weight_pct);
    let discipline = text(s.scoring.discipline_weight_pct);
    let day_max = text(s.day_max_minutes);
    let closing = text(s.closing_days);
    let stale = text(s.stale_review_hours);
    let share =
        RwSignal::new(s.scoring.head_unit_share_pct.map(|v| v.to_string()).unwrap_or_default());
    let start = RwSignal::new(hhmm(s.hours.start));
    let end = RwSignal::new(hhmm(s.hours.end));
    let unvalidated = RwSignal::new(
        if s.unvalidated == Unvalidated::Approve { "approve" } else { "reject" }.to_string(),
    );
    let rules: Vec<(WorkRule, RwSignal<String>, RwSignal<String>)> =
        s.work_rules.iter().map(|r| (*r, text(r.minutes), text(r.daily_cap))).collect();
    let classes: Vec<(i64, RwSignal<String>)> =
        s.class_tpp.iter().map(|c| (c.kelas, text(c.rupiah))).collect();
    let base = s.clone();
    let rules2 = rules.clone();
    let classes2 = classes.clone();
    let pending = save.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut s = base.clone();
        s.scoring.monthly_target_minutes = num(&target);
        s.scoring.performance_weight_pct = num(&weight);
        s.scoring.discipline_weight_pct = num(&discipline);
        s.scoring.head_unit_share_pct =
            Some(share.get_untracked()).filter(|v| !v.trim().is_empty()).map(|_| num(&share));
        s.day_max_minutes = num(&day_max);
        s.closing_days = num(&closing);
        s.stale_review_hours = num(&stale);
        s.hours = WorkHours {
            start: parse_hhmm(&start.get_untracked()).unwrap_or(-1),
            end: parse_hhmm(&end.get_untracked()).unwrap_or(-1),
        };
        s.unvalidated = if unvalidated.get_untracked() == "approve" {
            Unvalidated::Approve
        } else {
            Unvalidated::Reject
        };
        s.work_rules = rules2
            .iter()
            .map(|(r, m, c)| WorkRule { kind: r.kind, minutes: num(m), daily_cap: num(c) })
            .collect();
        s.class_tpp =
            classes2.iter().map(|(k, v)| ClassTpp { kelas: *k, rupiah: num(v) }).collect();
        save.dispatch(SaveKinerjaSettings { settings: s });
    };
    let field = move |label: &'static str,
                      name: &'static str,
                      sig: RwSignal<String>,
                      kind: &'static str| {
        view! {
            <label>
                {label}
                <input
                    type=kind
                    name=name
                    required=name != "porsi_unit"
                    prop:value=sig
                    on:input=move |ev| sig.set(event_target_value(&ev))
                />
            </label>
        }
    };
    view! {
        <section class="card" aria-labelledby="h-aturan">
            <h2 id="h-aturan">{l.t("Aturan penilaian Pemda", "The Pemda's scoring rules")}</h2>
            <form class="form" on:submit=submit>
                <div class="grid-2">
                    {field(
                        l.t("Target menit efektif sebulan", "Monthly target of effective minutes"),
                        "target",
                        target,
                        "number",
                    )}
                    {field(
                        l.t("Batas menit aktivitas sehari", "Most activity minutes a day"),
                        "batas_harian",
                        day_max,
                        "number",
                    )}
                    {field(
                        l.t("Bobot kinerja (%)", "Performance weight (%)"),
                        "bobot_kinerja",
                        weight,
                        "number",
                    )}
                    {field(
                        l.t("Bobot disiplin (%)", "Discipline weight (%)"),
                        "bobot_disiplin",
                        discipline,
                        "number",
                    )} {field(l.t("Jam masuk", "Office starts"), "jam_masuk", start, "time")}
                    {field(l.t("Jam pulang", "Office ends"), "jam_pulang", end, "time")}
                    {field(
                        l.t("Pencatatan mundur paling lama (hari)", "Log back at most (days)"),
                        "hari_mundur",
                        closing,
                        "number",
                    )}
                    {field(
                        l.t("Batas layanan paraf (jam)", "Approval service level (hours)"),
                        "batas_layanan",
                        stale,
                        "number",
                    )}
                    {field(
                        l
                            .t(
                                "Porsi rata-rata unit untuk kepala (%; kosong = tidak)",
                                "Unit average share for heads (%; empty = none)",
                            ),
                        "porsi_unit",
                        share,
                        "number",
                    )}
                    <label>
                        {l
                            .t(
                                "Aktivitas yang tidak divalidasi sampai akhir bulan",
                                "Activities nobody validated by month end",
                            )}
                        <select
                            name="tanpa_validasi"
                            prop:value=unvalidated
                            on:change=move |ev| unvalidated.set(event_target_value(&ev))
                        >
                            <option value="approve">
                                {l.t("dihitung disetujui", "count as approved")}
                            </option>
                            <option value="reject">{l.t("tidak dihitung", "do not count")}</option>
                        </select>
                    </label>
                </div>
                <h3>
                    {l.t("Menit standar pekerjaan e-Office", "Standard minutes of e-Office work")}
                </h3>
                <div class="table-wrap">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{l.t("Pekerjaan", "Work")}</th>
                                <th scope="col">{l.t("Menit", "Minutes")}</th>
                                <th scope="col">{l.t("Batas per hari", "Daily cap")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rules
                                .into_iter()
                                .map(|(r, m, c)| {
                                    let label = r.kind.label(l);
                                    view! {
                                        <tr>
                                            <th scope="row">{label}</th>
                                            <td>
                                                <input
                                                    type="number"
                                                    min="0"
                                                    max="480"
                                                    aria-label=format!("{label}: {}", l.t("menit", "minutes"))
                                                    prop:value=m
                                                    on:input=move |ev| m.set(event_target_value(&ev))
                                                />
                                            </td>
                                            <td>
                                                <input
                                                    type="number"
                                                    min="0"
                                                    max="200"
                                                    aria-label=format!(
                                                        "{label}: {}",
                                                        l.t("batas per hari", "daily cap"),
                                                    )
                                                    prop:value=c
                                                    on:input=move |ev| c.set(event_target_value(&ev))
                                                />
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <h3>
                    {l
                        .t(
                            "TPP dasar per kelas jabatan (Rp sebulan)",
                            "Base TPP per position class (Rp a month)",
                        )}
                </h3>
                <div class="grid-2">
                    {classes
                        .into_iter()
                        .map(|(k, v)| {
                            view! {
                                <label>
                                    {format!("{} {k}", l.t("Kelas", "Class"))}
                                    <input
                                        type="number"
                                        min="0"
                                        prop:value=v
                                        on:input=move |ev| v.set(event_target_value(&ev))
                                    />
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <p class="muted small">
                    {l
                        .t(
                            "Potongan disiplin memakai aturan TL/PSW bawaan (0,5%, 1%, 1,25%, 1,5%; TK 3% sehari; paling banyak 2,5% sehari).",
                            "Discipline deductions use the default TL/PSW rules (0.5%, 1%, 1.25%, 1.5%; TK 3% a day; at most 2.5% a day).",
                        )}
                </p>
                <ActionResult
                    value=save.value()
                    ok=l.t("Pengaturan disimpan.", "Settings saved.")
                />
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || busy_label(
                        pending.get(),
                        l.t("Simpan pengaturan", "Save settings"),
                        l.t("Menyimpan…", "Saving…"),
                    )}
                </button>
            </form>
        </section>
    }
}

#[component]
fn Holidays(days: Vec<(i64, String)>, holiday: ServerAction<SetHoliday>) -> impl IntoView {
    let l = lang();
    let date = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    view! {
        <section class="card" aria-labelledby="h-libur">
            <h2 id="h-libur">
                {l
                    .t(
                        "Hari libur dan cuti bersama tahun ini",
                        "Holidays and collective leave this year",
                    )}
            </h2>
            <ActionResult value=holiday.value() ok=l.t("Kalender disimpan.", "Calendar saved.") />
            {if days.is_empty() {
                view! {
                    <p class="empty">
                        {l.t("Belum ada hari libur yang dicatat.", "No holidays recorded yet.")}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="plain">
                        {days
                            .into_iter()
                            .map(|(d, n)| {
                                let iso = iso_date(d);
                                view! {
                                    <li>
                                        {format!("{} — {n} ", long_date(d, l))}
                                        <button
                                            type="button"
                                            class="btn-link"
                                            on:click=move |_| {
                                                holiday
                                                    .dispatch(SetHoliday {
                                                        tanggal: iso.clone(),
                                                        nama: String::new(),
                                                    });
                                            }
                                        >
                                            {l.t("Hapus", "Remove")}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <form
                class="form-inline"
                on:submit=move |ev| {
                    ev.prevent_default();
                    holiday
                        .dispatch(SetHoliday {
                            tanggal: date.get_untracked(),
                            nama: name.get_untracked(),
                        });
                }
            >
                <label>
                    {l.t("Tanggal", "Date")}
                    <input
                        type="date"
                        required
                        prop:value=date
                        on:input=move |ev| date.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {l.t("Nama", "Name")}
                    <input
                        type="text"
                        required
                        maxlength="120"
                        prop:value=name
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="btn">
                    {l.t("Tambah hari libur", "Add holiday")}
                </button>
            </form>
        </section>
    }
}

#[component]
fn BankSection(opds: Vec<(String, String)>, bank: ServerAction<ImportBank>) -> impl IntoView {
    let l = lang();
    let file_error = RwSignal::new(None::<String>);
    (!opds.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="h-bank">
                <h2 id="h-bank">{l.t("Bank aktivitas jabatan", "Activity bank of positions")}</h2>
                <p class="muted small">
                    {l
                        .t(
                            "CSV dengan kolom: unit, jabatan, aktivitas, menit, satuan. Impor menggantikan bank OPD (aktivitas yang sudah dipakai tetap ada); semua baris disimpan atau tidak satu pun.",
                            "CSV with columns: unit, position, activity, minutes, output unit. Importing replaces the OPD's bank (entries already used stay); all rows are stored or none.",
                        )}
                </p>
                <ImportOutcome value=bank.value() />
                {move || {
                    file_error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                <ul class="plain">
                    {opds
                        .iter()
                        .map(|(id, name)| {
                            let id2 = id.clone();
                            let on_file = move |ev: leptos::ev::Event| {
                                #[cfg(feature = "hydrate")]
                                {
                                    if let Some(file) = crate::components::files::take_picked_file(
                                        &ev,
                                    ) {
                                        let opd_id = id2.clone();
                                        leptos::task::spawn_local(async move {
                                            match crate::components::files::read_base64(&file, l).await
                                            {
                                                Ok(berkas) => {
                                                    file_error.set(None);
                                                    bank.dispatch(ImportBank { opd_id, berkas });
                                                }
                                                Err(e) => file_error.set(Some(e)),
                                            }
                                        });
                                    }
                                }
                                #[cfg(not(feature = "hydrate"))]
                                let _ = (ev, &id2);
                            };
                            view! {
                                <li class="card-row">
                                    <strong>{name.clone()}</strong>
                                    <a
                                        class="btn"
                                        href=format!("/kinerja/bank.csv?opd={id}")
                                        rel="external"
                                        download
                                    >
                                        {l.t("Ekspor CSV", "Export CSV")}
                                    </a>
                                    <label class="file-btn">
                                        {l.t("Impor CSV", "Import CSV")}
                                        <input
                                            type="file"
                                            accept=".csv,text/csv"
                                            on:change=on_file
                                        />
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
