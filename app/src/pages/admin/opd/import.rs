//! Employees from and to CSV: import (all or nothing, row errors shown) and export.

use super::*;

#[component]
pub(super) fn ImportSection(opd_id: String) -> impl IntoView {
    let l = lang();
    let file_b64 = RwSignal::new(None::<String>);
    let file_name = RwSignal::new(String::new());
    let read_error = RwSignal::new(None::<String>);
    let action = ServerAction::<ImportEmployees>::new();
    let pending = action.pending();
    let oid = opd_id.clone();
    let run = move |commit: bool| {
        if let Some(data) = file_b64.get_untracked() {
            action.dispatch(ImportEmployees { opd_id: oid.clone(), data_b64: data, commit });
        }
    };
    let run2 = run.clone();
    let on_file = move |ev: leptos::ev::Event| {
        let _ = &ev;
        read_error.set(None);
        file_b64.set(None);
        #[cfg(feature = "hydrate")]
        {
            use crate::components::files::{read_base64, take_picked_file};
            if let Some(file) = take_picked_file(&ev) {
                if file.size() > 5.0 * 1024.0 * 1024.0 {
                    read_error.set(Some(
                        l.t(
                            "Berkas terlalu besar (maksimal 5 MB).",
                            "File too large (5 MB at most).",
                        )
                        .into(),
                    ));
                    return;
                }
                file_name.set(file.name());
                leptos::task::spawn_local(async move {
                    match read_base64(&file, l).await {
                        Ok(data) => file_b64.set(Some(data)),
                        Err(m) => read_error.set(Some(m)),
                    }
                });
            }
        }
    };
    let export_href = format!("/admin/opd/{opd_id}/pegawai.csv");
    view! {
        <section class="card" aria-labelledby="h-impor">
            <h2 id="h-impor">{l.t("Impor pegawai dari CSV", "Import employees from CSV")}</h2>
            <p class="muted">
                {l
                    .t(
                        "Kolom: nip, nama, jabatan, unit, atasan, email (opsional: telepon). Berkas dengan satu baris salah tidak diimpor sama sekali sampai diperbaiki.",
                        "Columns: nip, nama, jabatan, unit, atasan, email (optional: telepon). A file with any bad row imports nothing until fixed.",
                    )}
            </p>
            <div class="form">
                <label for="csv-file">{l.t("Berkas CSV", "CSV file")}</label>
                <input id="csv-file" type="file" accept=".csv,text/csv" on:change=on_file />
                {move || {
                    read_error
                        .get()
                        .map(|e| {
                            view! {
                                <div class="alert alert-error" role="alert">
                                    {e}
                                </div>
                            }
                        })
                }}
                <div class="buttons">
                    <button
                        type="button"
                        class="btn"
                        disabled=move || file_b64.get().is_none() || pending.get()
                        on:click=move |_| run(false)
                    >
                        {move || busy_label(
                            pending.get(),
                            l.t("Periksa berkas", "Check file"),
                            l.t("Memproses…", "Working…"),
                        )}
                    </button>
                    <button
                        type="button"
                        class="btn btn-primary"
                        disabled=move || {
                            file_b64.get().is_none() || pending.get()
                                || !matches!(
                                    action.value().get(),
                                    Some(Ok(ref r))
                                    if r.error_count() == 0 && !r.committed
                                )
                        }
                        on:click=move |_| run2(true)
                    >
                        {l.t("Impor sekarang", "Import now")}
                    </button>
                </div>
            </div>
            {move || {
                action
                    .value()
                    .get()
                    .map(|r| view! { <ImportResult result=r file=file_name.get() /> })
            }}
        </section>
        <section class="card">
            <h2>{l.t("Ekspor", "Export")}</h2>
            <p>
                <a href=export_href rel="external" download="pegawai.csv" class="btn">
                    {l.t("Unduh CSV pegawai", "Download employees CSV")}
                </a>
            </p>
        </section>
    }
}

#[component]
fn ImportResult(result: Result<ImportReport, AppError>, file: String) -> impl IntoView {
    let l = lang();
    let r = match result {
        Ok(r) => r,
        Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
    };
    let errors = r.error_count();
    let summary = if r.committed {
        format!(
            "{} {} {} ({} {}).",
            l.t("Berhasil:", "Done:"),
            r.rows.len(),
            l.t("baris diimpor", "rows imported"),
            r.new_accounts.len(),
            l.t("akun baru", "new accounts")
        )
    } else if errors == 0 {
        format!(
            "{}: {} {}. {}",
            file,
            r.rows.len(),
            l.t("baris valid", "valid rows"),
            l.t("Tekan \"Impor sekarang\" untuk menyimpan.", "Press \"Import now\" to save.")
        )
    } else {
        format!(
            "{}: {} {}. {}",
            file,
            errors,
            l.t("baris bermasalah", "rows with problems"),
            l.t(
                "Tidak ada yang diimpor; perbaiki berkas lalu periksa lagi.",
                "Nothing was imported; fix the file and check again."
            )
        )
    };
    let class = if errors > 0 { "alert alert-error" } else { "alert alert-ok" };
    view! {
        <div class=class role="status">
            {summary}
        </div>
        {r
            .file_errors
            .iter()
            .map(|e| {
                view! {
                    <div class="alert alert-error" role="alert">
                        {e.clone()}
                    </div>
                }
            })
            .collect_view()}
        {(!r.new_accounts.is_empty())
            .then(|| {
                view! {
                    <h3>
                        {l
                            .t(
                                "Kata sandi sementara akun baru (tampil sekali)",
                                "Temporary passwords of new accounts (shown once)",
                            )}
                    </h3>
                    <div class="table-wrap" tabindex="0">
                        <table>
                            <thead>
                                <tr>
                                    <th>"NIP"</th>
                                    <th>{l.t("Nama", "Name")}</th>
                                    <th>{l.t("Kata sandi sementara", "Temporary password")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {r
                                    .new_accounts
                                    .iter()
                                    .map(|(n, name, t)| {
                                        view! {
                                            <tr>
                                                <td>{n.clone()}</td>
                                                <td>{name.clone()}</td>
                                                <td>
                                                    <code>{t.clone()}</code>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        {(!r.rows.is_empty())
            .then(|| {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="import-table">
                            <caption class="sr-only">
                                {l.t("Hasil pemeriksaan per baris", "Row-by-row check")}
                            </caption>
                            <thead>
                                <tr>
                                    <th>{l.t("Baris", "Line")}</th>
                                    <th>"NIP"</th>
                                    <th>{l.t("Nama", "Name")}</th>
                                    <th>{l.t("Jabatan / unit", "Position / unit")}</th>
                                    <th>{l.t("Hasil", "Result")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {r
                                    .rows
                                    .iter()
                                    .map(|row| {
                                        let ok = row.errors.is_empty();
                                        view! {
                                            <tr class:row-error=!ok>
                                                <td>{row.line}</td>
                                                <td>{row.nip.clone()}</td>
                                                <td>{row.name.clone()}</td>
                                                <td>
                                                    {row.position.clone()}<br />
                                                    <span class="muted small">{row.unit.clone()}</span>
                                                </td>
                                                <td>
                                                    {if ok {
                                                        view! {
                                                            <span class="ok">
                                                                {if row.action == "baru" {
                                                                    l.t("Baru", "New")
                                                                } else {
                                                                    l.t("Diperbarui", "Update")
                                                                }}
                                                            </span>
                                                        }
                                                            .into_any()
                                                    } else {
                                                        view! {
                                                            <ul class="errors">
                                                                {row
                                                                    .errors
                                                                    .iter()
                                                                    .map(|e| view! { <li>{e.clone()}</li> })
                                                                    .collect_view()}
                                                            </ul>
                                                        }
                                                            .into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
    }.into_any()
}
