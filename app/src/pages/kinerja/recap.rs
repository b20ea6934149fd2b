//! Rekap: the month of an OPD for its admins, its head and the Admin Pemda (a table, the XLSX
//! XLSX and PDF downloads), and for the Admin OPD the attendance import and closing or reopening the month.

use super::{Explained, KinerjaTabs, MonthNav, month_param};
use crate::api::kinerja::{
    CloseKinerjaMonth, ImportAttendance, KinerjaAccess, ReopenKinerjaMonth, get_kinerja_access,
    kinerja_recap,
};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use domain::activity::{CsvOutcome, Recap, month_iso, month_label};
use domain::kinerja::{percent, rupiah};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RecapPage() -> impl IntoView {
    let l = lang();
    let bulan = month_param();
    let query = use_query_map();
    let opd_q = move || query.read().get("opd").unwrap_or_default();
    let close = ServerAction::<CloseKinerjaMonth>::new();
    let reopen = ServerAction::<ReopenKinerjaMonth>::new();
    let import = ServerAction::<ImportAttendance>::new();
    let access = Resource::new(|| (), |_| get_kinerja_access());
    view! {
        <Title text=l.t("Rekap kinerja", "Performance recap") />
        <h1>{l.t("Kinerja", "Performance")}</h1>
        <KinerjaTabs access />
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match access.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(a) if a.recap_opds.is_empty() => {
                        view! {
                            <p class="alert alert-error" role="alert">
                                {l
                                    .t(
                                        "Rekap kinerja OPD hanya untuk Admin OPD, kepala OPD, dan Admin Pemda.",
                                        "The OPD recap is for OPD admins, heads of OPD and the Pemda admin.",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(a) => {
                        let chosen = {
                            let q = opd_q();
                            if a.recap_opds.iter().any(|(id, _)| *id == q) {
                                q
                            } else {
                                a.recap_opds[0].0.clone()
                            }
                        };
                        view! { <RecapBody a chosen bulan close reopen import /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn RecapBody(
    a: KinerjaAccess,
    chosen: String,
    bulan: impl Fn() -> String + Copy + Send + Sync + 'static,
    close: ServerAction<CloseKinerjaMonth>,
    reopen: ServerAction<ReopenKinerjaMonth>,
    import: ServerAction<ImportAttendance>,
) -> impl IntoView {
    let l = lang();
    let is_admin = a.admin_opds.contains(&chosen);
    let opd = chosen.clone();
    let recap = Resource::new(
        move || {
            (
                opd.clone(),
                bulan(),
                close.version().get(),
                reopen.version().get(),
                import.version().get(),
            )
        },
        |(o, b, _, _, _)| kinerja_recap(o, b),
    );
    let several = a.recap_opds.len() > 1;
    let opds = a.recap_opds.clone();
    view! {
        {several
            .then(|| {
                view! {
                    <form class="form-inline" method="get" action="/kinerja/rekap">
                        <label>
                            {l.t("OPD", "OPD")}
                            <select name="opd">
                                {opds
                                    .iter()
                                    .map(|(id, name)| {
                                        view! {
                                            <option value=id.clone() selected=*id == chosen>
                                                {name.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <input type="hidden" name="bulan" value=bulan() />
                        <button type="submit" class="btn">
                            {l.t("Tampilkan", "Show")}
                        </button>
                    </form>
                }
            })}
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match recap.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(r) => view! { <RecapView r is_admin close reopen import /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RecapView(
    r: Recap,
    is_admin: bool,
    close: ServerAction<CloseKinerjaMonth>,
    reopen: ServerAction<ReopenKinerjaMonth>,
    import: ServerAction<ImportAttendance>,
) -> impl IntoView {
    let l = lang();
    let m = month_iso(r.month);
    let xlsx = format!("/kinerja/rekap.xlsx?opd={}&bulan={m}", r.opd_id);
    let pdf = format!("/kinerja/rekap.pdf?opd={}&bulan={m}", r.opd_id);
    let total: i64 = r.rows.iter().map(|x| x.tpp).sum();
    let opd_id = r.opd_id.clone();
    view! {
        <MonthNav month=r.month base="/kinerja/rekap" extra=format!("&opd={}", r.opd_id) />
        <h2>
            {format!("{} — {}", r.opd_name, month_label(r.month, l))} " "
            {if r.closed {
                view! { <span class="badge badge-ok">{l.t("Ditutup", "Closed")}</span> }.into_any()
            } else {
                view! { <span class="badge">{l.t("Sementara", "Provisional")}</span> }.into_any()
            }}
        </h2>
        <p class="toolbar">
            <a class="btn" href=xlsx rel="external" download>
                {l.t("Unduh XLSX", "Download XLSX")}
            </a>
            <a class="btn" href=pdf rel="external" target="_blank">
                {l.t("Cetak PDF", "Print PDF")}
            </a>
        </p>
        {is_admin
            .then(|| {
                view! {
                    <AdminTools
                        opd_id=opd_id.clone()
                        month=m.clone()
                        closed=r.closed
                        close
                        reopen
                        import
                    />
                }
            })}
        {if r.rows.is_empty() {
            view! {
                <p class="empty">
                    {l.t("Belum ada pegawai aktif di OPD ini.", "No active employees in this OPD.")}
                </p>
            }
                .into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table class="recap">
                        <caption class="sr-only">
                            {l.t("Rekap kinerja per pegawai", "Performance per employee")}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{l.t("Nama / NIP", "Name / NIP")}</th>
                                <th scope="col">{l.t("Jabatan", "Position")}</th>
                                <th scope="col">{l.t("Menit", "Minutes")}</th>
                                <th scope="col">{l.t("Kinerja", "Performance")}</th>
                                <th scope="col">{l.t("Disiplin", "Discipline")}</th>
                                <th scope="col">"TPP"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {r
                                .rows
                                .iter()
                                .map(|x| {
                                    view! {
                                        <tr data-nip=x.nip.clone()>
                                            <th scope="row">
                                                {x.name.clone()} <br />
                                                <span class="nip">{x.nip.clone()}</span>
                                            </th>
                                            <td>
                                                {x.position_title.clone()}<br />
                                                <span class="muted small">{x.unit_name.clone()}</span>
                                            </td>
                                            <td>{x.approved_minutes}</td>
                                            <td>{percent(x.performance_bp)}</td>
                                            <td>{percent(x.discipline_bp)}</td>
                                            <td class="tpp">{format!("Rp {}", rupiah(x.tpp))}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="5">
                                    {l.t("Jumlah TPP", "Total TPP")}
                                </th>
                                <td>{format!("Rp {}", rupiah(total))}</td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
                <h3>{l.t("Rekap per unit", "Recap per unit")}</h3>
                <div class="table-wrap" tabindex="0">
                    <table class="recap" data-testid="rekap-unit">
                        <caption class="sr-only">
                            {l.t("Rekap kinerja per unit", "Performance per unit")}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{l.t("Unit", "Unit")}</th>
                                <th scope="col">{l.t("Pegawai", "People")}</th>
                                <th scope="col">
                                    {l.t("Rata-rata kinerja", "Average performance")}
                                </th>
                                <th scope="col">
                                    {l.t("Rata-rata disiplin", "Average discipline")}
                                </th>
                                <th scope="col">"TPP"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {r
                                .per_unit()
                                .into_iter()
                                .map(|u| {
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                {if u.unit_name.is_empty() {
                                                    l.t("(tanpa unit)", "(no unit)").to_string()
                                                } else {
                                                    u.unit_name.clone()
                                                }}
                                            </th>
                                            <td>{u.people}</td>
                                            <td>{percent(u.performance_bp)}</td>
                                            <td>{percent(u.discipline_bp)}</td>
                                            <td>{format!("Rp {}", rupiah(u.tpp))}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <details>
                    <summary>{l.t("Rincian per pegawai", "Details per employee")}</summary>
                    {r
                        .rows
                        .iter()
                        .map(|x| {
                            view! {
                                <h3>{x.name.clone()}</h3>
                                <Explained r=x.clone() closed=r.closed />
                            }
                        })
                        .collect_view()}
                </details>
            }
                .into_any()
        }}
    }
}

#[component]
fn AdminTools(
    opd_id: String,
    month: String,
    closed: bool,
    close: ServerAction<CloseKinerjaMonth>,
    reopen: ServerAction<ReopenKinerjaMonth>,
    import: ServerAction<ImportAttendance>,
) -> impl IntoView {
    let l = lang();
    let reason = RwSignal::new(String::new());
    let file_error = RwSignal::new(None::<String>);
    let opd_for_file = opd_id.clone();
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(file) = crate::components::files::take_picked_file(&ev) {
                let opd_id = opd_for_file.clone();
                leptos::task::spawn_local(async move {
                    match crate::components::files::read_base64(&file, l).await {
                        Ok(berkas) => {
                            file_error.set(None);
                            import.dispatch(ImportAttendance { opd_id, berkas });
                        }
                        Err(e) => file_error.set(Some(e)),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &opd_for_file);
    };
    let (o1, m1) = (opd_id.clone(), month.clone());
    let (o2, m2) = (opd_id, month);
    let closing = close.pending();
    view! {
        <section class="card" aria-labelledby="h-hadir">
            <h2 id="h-hadir">{l.t("Data kehadiran", "Attendance")}</h2>
            <p class="muted small">
                {l
                    .t(
                        "Berkas CSV dari mesin presensi, satu baris per pegawai per hari: nip, tanggal (YYYY-MM-DD), masuk (HH:MM), pulang (HH:MM), keterangan (kosong/HADIR, TK, CUTI, DL, SAKIT). Semua baris disimpan, atau tidak satu pun bila ada kesalahan.",
                        "A CSV file from the attendance machine, one row per employee per day: nip, date (YYYY-MM-DD), in (HH:MM), out (HH:MM), note (empty/HADIR, TK, CUTI, DL, SAKIT). All rows are stored, or none when any is wrong.",
                    )}
            </p>
            {(!closed)
                .then(|| {
                    view! {
                        <label class="file-btn">
                            {l.t("Impor kehadiran (CSV)", "Import attendance (CSV)")}
                            <input
                                type="file"
                                name="kehadiran"
                                accept=".csv,text/csv"
                                on:change=on_file.clone()
                            />
                        </label>
                    }
                })}
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
            <ImportOutcome value=import.value() />
        </section>
        <section class="card" aria-labelledby="h-tutup">
            <h2 id="h-tutup">{l.t("Penutupan bulan", "Closing the month")}</h2>
            <ActionResult
                value=close.value()
                ok=l
                    .t(
                        "Bulan ditutup; nilainya kini tetap.",
                        "Month closed; its figures are now fixed.",
                    )
            />
            <ActionResult value=reopen.value() ok=l.t("Bulan dibuka kembali.", "Month reopened.") />
            {if closed {
                view! {
                    <form
                        class="form"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            reopen
                                .dispatch(ReopenKinerjaMonth {
                                    opd_id: o2.clone(),
                                    bulan: m2.clone(),
                                    alasan: reason.get_untracked(),
                                });
                        }
                    >
                        <label>
                            {l
                                .t(
                                    "Alasan membuka kembali (tercatat di log audit)",
                                    "Reason to reopen (kept in the audit log)",
                                )}
                            <textarea
                                name="alasan"
                                rows="2"
                                required
                                minlength="10"
                                prop:value=reason
                                on:input=move |ev| reason.set(event_target_value(&ev))
                            ></textarea>
                        </label>
                        <button type="submit" class="btn">
                            {l.t("Buka kembali bulan ini", "Reopen this month")}
                        </button>
                    </form>
                }
                    .into_any()
            } else {
                view! {
                    <p class="muted small">
                        {l
                            .t(
                                "Menutup bulan menghitung nilai sekali lagi lalu membekukannya: aktivitas, validasi, dan kehadiran bulan ini tidak dapat diubah lagi.",
                                "Closing computes the figures once more and freezes them: this month's activities, validations and attendance can no longer change.",
                            )}
                    </p>
                    <button
                        type="button"
                        class="btn btn-primary"
                        disabled=move || closing.get()
                        on:click=move |_| {
                            close
                                .dispatch(CloseKinerjaMonth {
                                    opd_id: o1.clone(),
                                    bulan: m1.clone(),
                                });
                        }
                    >
                        {move || busy_label(
                            closing.get(),
                            l.t("Tutup bulan", "Close the month"),
                            l.t("Menutup…", "Closing…"),
                        )}
                    </button>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The outcome of a CSV import: what was stored, or every error by line.
#[component]
pub fn ImportOutcome<V>(value: V) -> impl IntoView
where
    V: Get<Value = Option<Result<CsvOutcome, crate::error::AppError>>> + Send + Sync + 'static,
{
    let l = lang();
    move || match value.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
        Some(Ok(o)) if o.ok() => view! {
            <p class="alert alert-ok" role="status">
                {format!("{} {}", o.stored, l.t("baris disimpan.", "rows stored."))}
            </p>
        }
        .into_any(),
        Some(Ok(o)) => view! {
            <div class="alert alert-error" role="alert">
                <p>
                    {l
                        .t(
                            "Tidak ada yang disimpan. Perbaiki berkasnya lalu impor lagi:",
                            "Nothing was stored. Fix the file and import again:",
                        )}
                </p>
                <ul class="errors">
                    {o.file_errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}
                    {o
                        .row_errors
                        .iter()
                        .map(|(line, e)| {
                            view! { <li>{format!("{} {line}: {e}", l.t("Baris", "Line"))}</li> }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
        .into_any(),
    }
}
