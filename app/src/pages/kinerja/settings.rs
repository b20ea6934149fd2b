//! Pengaturan Kinerja: the Admin Pemda's rules (target, weights, standard minutes of e-Office
//! work, working hours and limits, discipline and usage deductions, base TPP per class, holidays)
//! and each Admin OPD's position classes (kelas jabatan) and activity bank (CSV import and export).

use super::KinerjaTabs;
use super::recap::ImportOutcome;
use crate::api::kinerja::{
    ImportBank, SaveKinerjaSettings, SavePositionClasses, SetHoliday, get_kinerja_access,
    get_kinerja_settings, get_position_classes,
};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use domain::activity::{ClassTpp, KinerjaSettings, Unvalidated, WorkRule, hhmm, parse_hhmm};
use domain::kinerja::{Band, WorkHours, parse_percent, percent_input};
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
    // The form is loaded once: what the admin typed stays on screen after a refused save (and
    // after a good one it is what was stored). The holiday list reloads after each change.
    let data = Resource::new(|| (), |_| get_kinerja_settings(0));
    let holidays = Resource::new(move || holiday.version().get(), |_| get_kinerja_settings(0));
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
                                        Ok((s, _)) => view! { <SettingsForm s save /> }.into_any(),
                                    }
                                })}
                            </Transition>
                            <Transition fallback=|| {
                                view! { <Loading /> }
                            }>
                                {move || Suspend::new(async move {
                                    match holidays.await {
                                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                        Ok((_, days)) => {
                                            view! { <Holidays days holiday /> }.into_any()
                                        }
                                    }
                                })}
                            </Transition>
                        }
                    });
                view! {
                    {pemda}
                    <ClassSection opds=opds.clone() />
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

/// A typed percentage in basis points; -1 (refused by the settings check) when unreadable.
fn bp(s: &RwSignal<String>) -> i64 {
    parse_percent(&s.get_untracked()).unwrap_or(-1)
}

/// The bands of a TL or PSW rule: "TL1 up to (minutes)" and its deduction, then beyond the last.
#[component]
fn BandFields(
    code: &'static str,
    bands: Vec<(RwSignal<String>, RwSignal<String>)>,
    over: RwSignal<String>,
) -> impl IntoView {
    let l = lang();
    let n = bands.len();
    view! {
        <fieldset class="bands">
            <legend>{code}</legend>
            {bands
                .into_iter()
                .enumerate()
                .map(|(i, (minutes, deduction))| {
                    let name = format!("{code}{}", i + 1);
                    view! {
                        <label>
                            {format!("{name}: {}", l.t("sampai (menit)", "up to (minutes)"))}
                            <input
                                type="number"
                                min="1"
                                required=true
                                prop:value=minutes
                                on:input=move |ev| minutes.set(event_target_value(&ev))
                            />
                        </label>
                        <label>
                            {format!("{name}: {}", l.t("potongan (%)", "deduction (%)"))}
                            <input
                                type="text"
                                inputmode="decimal"
                                required=true
                                prop:value=deduction
                                on:input=move |ev| deduction.set(event_target_value(&ev))
                            />
                        </label>
                    }
                })
                .collect_view()}
            <label>
                {format!(
                    "{code}{}: {}",
                    n + 1,
                    l.t("lebih lama, potongan (%)", "longer, deduction (%)"),
                )}
                <input
                    type="text"
                    inputmode="decimal"
                    required=true
                    prop:value=over
                    on:input=move |ev| over.set(event_target_value(&ev))
                />
            </label>
        </fieldset>
    }
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
    let dispo_hours = text(s.disposition_service_hours);
    let quad_x = RwSignal::new(percent_input(s.quadrant.x_bp));
    let quad_y = RwSignal::new(percent_input(s.quadrant.y_bp));
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
    let pct = |bp: i64| RwSignal::new(percent_input(bp));
    let bands = |list: &[Band]| -> Vec<(RwSignal<String>, RwSignal<String>)> {
        list.iter().map(|b| (text(b.up_to_minutes), pct(b.deduction_bp))).collect()
    };
    let c = &s.scoring;
    let late = bands(&c.late_bands);
    let early = bands(&c.early_bands);
    let late_over = pct(c.late_over_bp);
    let early_over = pct(c.early_over_bp);
    let missing = pct(c.missing_record_bp);
    let absent = pct(c.absent_day_bp);
    let day_cap = RwSignal::new(c.day_cap_bp.map(percent_input).unwrap_or_default());
    let overdue = pct(c.overdue_disposition_bp);
    let stale_bp = pct(c.stale_review_bp);
    let usage_cap = pct(c.usage_penalty_cap_bp);
    let (late2, early2) = (late.clone(), early.clone());
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
        s.disposition_service_hours = num(&dispo_hours);
        s.quadrant = domain::dashboard::Thresholds { x_bp: bp(&quad_x), y_bp: bp(&quad_y) };
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
        let read_bands = |list: &[(RwSignal<String>, RwSignal<String>)]| -> Vec<Band> {
            list.iter().map(|(m, p)| Band { up_to_minutes: num(m), deduction_bp: bp(p) }).collect()
        };
        let c = &mut s.scoring;
        c.late_bands = read_bands(&late2);
        c.early_bands = read_bands(&early2);
        c.late_over_bp = bp(&late_over);
        c.early_over_bp = bp(&early_over);
        c.missing_record_bp = bp(&missing);
        c.absent_day_bp = bp(&absent);
        c.day_cap_bp =
            Some(day_cap.get_untracked()).filter(|v| !v.trim().is_empty()).map(|_| bp(&day_cap));
        c.overdue_disposition_bp = bp(&overdue);
        c.stale_review_bp = bp(&stale_bp);
        c.usage_penalty_cap_bp = bp(&usage_cap);
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
                    required=name != "porsi_unit" && name != "batas_sehari"
                    inputmode=if kind == "text" { Some("decimal") } else { None }
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
                        l.t("Batas layanan disposisi (jam)", "Disposition service level (hours)"),
                        "batas_disposisi",
                        dispo_hours,
                        "number",
                    )}
                    {field(
                        l
                            .t(
                                "Garis kuadran produktivitas (% target)",
                                "Quadrant line, productivity (% of target)",
                            ),
                        "kuadran_x",
                        quad_x,
                        "text",
                    )}
                    {field(
                        l
                            .t(
                                "Garis kuadran kualitas dan ketepatan (%)",
                                "Quadrant line, quality and timeliness (%)",
                            ),
                        "kuadran_y",
                        quad_y,
                        "text",
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
                <div class="table-wrap" tabindex="0">
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
                <h3>{l.t("Potongan disiplin (%)", "Discipline deductions (%)")}</h3>
                <p class="muted small">
                    {l
                        .t(
                            "Terlambat masuk (TL) dan pulang sebelum waktunya (PSW): potongan per hari menurut lamanya, dengan koma untuk desimal (mis. 1,25).",
                            "Late arrival (TL) and early leave (PSW): a deduction per day by how long, with a decimal comma (e.g. 1,25).",
                        )}
                </p>
                <div class="grid-2">
                    <BandFields code="TL" bands=late over=late_over />
                    <BandFields code="PSW" bands=early over=early_over />
                    {field(
                        l
                            .t(
                                "Tanpa catatan masuk atau pulang (%)",
                                "No check-in or check-out recorded (%)",
                            ),
                        "tanpa_catatan",
                        missing,
                        "text",
                    )}
                    {field(
                        l
                            .t(
                                "Tanpa keterangan (TK), per hari (%)",
                                "Absent without reason (TK), a day (%)",
                            ),
                        "tk",
                        absent,
                        "text",
                    )}
                    {field(
                        l
                            .t(
                                "Potongan TL + PSW paling banyak sehari (%; kosong = tanpa batas)",
                                "Most TL + PSW a day (%; empty = no cap)",
                            ),
                        "batas_sehari",
                        day_cap,
                        "text",
                    )}
                </div>
                <h3>{l.t("Potongan penggunaan e-Office (%)", "e-Office usage penalty (%)")}</h3>
                <div class="grid-2">
                    {field(
                        l
                            .t(
                                "Per disposisi tidak ditindaklanjuti sampai tenggat",
                                "Per disposition not followed up by its deadline",
                            ),
                        "disposisi_lewat",
                        overdue,
                        "text",
                    )}
                    {field(
                        l
                            .t(
                                "Per surat tertahan melewati batas layanan paraf",
                                "Per letter held beyond the approval service level",
                            ),
                        "surat_tertahan",
                        stale_bp,
                        "text",
                    )}
                    {field(
                        l
                            .t(
                                "Potongan penggunaan paling banyak sebulan",
                                "Most usage penalty a month",
                            ),
                        "batas_potongan",
                        usage_cap,
                        "text",
                    )}
                </div>
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

/// The class (kelas jabatan) of each position of an OPD, which sets its base TPP; empty keeps the
/// default of the position's level.
#[component]
fn ClassSection(opds: Vec<(String, String)>) -> impl IntoView {
    let l = lang();
    let first = opds.first().map(|(id, _)| id.clone());
    let chosen = RwSignal::new(first.clone().unwrap_or_default());
    let save = ServerAction::<SavePositionClasses>::new();
    // Loaded per OPD only: after a save the fields already show what was stored, and after a
    // refused one they keep what was typed.
    let list = Resource::new(move || chosen.get(), get_position_classes);
    first.map(|_| {
        let many = opds.len() > 1;
        view! {
            <section class="card" aria-labelledby="h-kelas">
                <h2 id="h-kelas">{l.t("Kelas jabatan", "Position classes")}</h2>
                <p class="muted small">
                    {l
                        .t(
                            "Kelas jabatan menentukan TPP dasar. Kosongkan untuk memakai kelas bawaan menurut tingkat jabatan (tertulis di kolom isian).",
                            "The class sets the base TPP. Leave empty for the default of the position's level (shown in the field).",
                        )}
                </p>
                {many
                    .then(|| {
                        view! {
                            <label>
                                "OPD"
                                <select
                                    prop:value=chosen
                                    on:change=move |ev| chosen.set(event_target_value(&ev))
                                >
                                    {opds
                                        .iter()
                                        .map(|(id, name)| {
                                            view! { <option value=id.clone()>{name.clone()}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                    })}
                <div aria-live="polite">
                    <ActionResult
                        value=save.value()
                        ok=l.t("Kelas jabatan disimpan.", "Classes saved.")
                    />
                </div>
                <Transition fallback=|| {
                    view! { <Loading /> }
                }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(rows) if rows.is_empty() => {
                                view! {
                                    <p class="empty">
                                        {l
                                            .t(
                                                "OPD ini belum memiliki jabatan.",
                                                "This OPD has no positions yet.",
                                            )}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(rows) => {
                                view! { <ClassTable rows opd=chosen.get_untracked() save /> }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </section>
        }
    })
}

#[component]
fn ClassTable(
    rows: Vec<domain::activity::PositionClass>,
    opd: String,
    save: ServerAction<SavePositionClasses>,
) -> impl IntoView {
    let l = lang();
    let fields: Vec<(String, RwSignal<String>)> = rows
        .iter()
        .map(|r| {
            (
                r.position_id.clone(),
                RwSignal::new(r.kelas.map(|k| k.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let fields2 = fields.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let classes = fields2
            .iter()
            .map(|(id, v)| {
                let t = v.get_untracked();
                let t = t.trim();
                // Unreadable text is sent as 0, which the store refuses with its message.
                (id.clone(), (!t.is_empty()).then(|| t.parse().unwrap_or(0)))
            })
            .collect();
        save.dispatch(SavePositionClasses { opd_id: opd.clone(), classes });
    };
    let pending = save.pending();
    view! {
        <form class="form" on:submit=submit>
            <div class="table-wrap" tabindex="0">
                <table>
                    <caption class="sr-only">{l.t("Kelas jabatan", "Position classes")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{l.t("Jabatan", "Position")}</th>
                            <th scope="col">{l.t("Kelas", "Class")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .zip(fields)
                            .map(|(r, (_, v))| {
                                let label = format!("{} — {}", r.title, r.unit_name);
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {r.title.clone()}<br />
                                            <span class="muted small">{r.unit_name.clone()}</span>
                                        </th>
                                        <td>
                                            <input
                                                type="number"
                                                min="1"
                                                max="17"
                                                placeholder=r.default_kelas.to_string()
                                                aria-label=format!(
                                                    "{}: {label}",
                                                    l.t("Kelas jabatan", "Class of"),
                                                )
                                                prop:value=v
                                                on:input=move |ev| v.set(event_target_value(&ev))
                                            />
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                {move || busy_label(
                    pending.get(),
                    l.t("Simpan kelas jabatan", "Save classes"),
                    l.t("Menyimpan…", "Saving…"),
                )}
            </button>
        </form>
    }
}
