//! The Admin Pemda's view of the backups: whether the data is safe, the schedule, the last runs.

use crate::api::admin::backup::load_backup_status;
use crate::app::lang;
use crate::components::{ErrorBox, Loading, now_ms};
use crate::error::AppError;
use domain::Lang;
use domain::model::{BackupRun, BackupStatus};
use leptos::prelude::*;

pub type BackupResource = Resource<Result<BackupStatus, AppError>>;

/// Only an Admin Pemda asks (an Admin OPD opens the same page).
pub fn backup_resource() -> BackupResource {
    let user = expect_context::<crate::app::UserCtx>().0;
    Resource::new(
        || (),
        move |_| async move {
            match user.await {
                Ok(Some(u)) if u.caps.is_admin_pemda() => load_backup_status().await,
                _ => Ok(BackupStatus::default()),
            }
        },
    )
}

/// "1,4 MB", "830 KB".
fn size(bytes: i64, l: Lang) -> String {
    let (n, unit) = if bytes >= 1 << 30 {
        (bytes as f64 / (1u64 << 30) as f64, "GB")
    } else if bytes >= 1 << 20 {
        (bytes as f64 / (1u64 << 20) as f64, "MB")
    } else {
        (bytes as f64 / 1024.0, "KB")
    };
    let s = format!("{n:.1} {unit}");
    if l == Lang::Id { s.replace('.', ",") } else { s }
}

fn every_label(s: i64, l: Lang) -> String {
    match l {
        Lang::Id if s % 86_400 == 0 => format!("setiap {} hari", s / 86_400),
        Lang::Id if s % 3600 == 0 => format!("setiap {} jam", s / 3600),
        Lang::Id => format!("setiap {} menit", s / 60),
        _ if s % 86_400 == 0 => format!("every {} day(s)", s / 86_400),
        _ if s % 3600 == 0 => format!("every {} hour(s)", s / 3600),
        _ => format!("every {} minute(s)", s / 60),
    }
}

#[component]
pub fn BackupCard(status: BackupResource) -> impl IntoView {
    let l = lang();
    view! {
        <section class="card" aria-labelledby="h-cadangan" data-testid="backups">
            <h2 id="h-cadangan">{l.t("Cadangan data", "Backups")}</h2>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(s) => view! { <BackupBody status=s /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BackupBody(status: BackupStatus) -> impl IntoView {
    let l = lang();
    let overdue = status.overdue(now_ms());
    let headline = match (status.last_ok(), overdue) {
        (None, _) => view! {
            <div class="alert alert-warn" role="status">
                <p>
                    <strong>
                        {l.t("Belum ada cadangan yang berhasil.", "No successful backup yet.")}
                    </strong>
                </p>
            </div>
        }
        .into_any(),
        (Some(r), true) => {
            let when = domain::time::long_datetime(r.finished_ms, l);
            view! {
                <div class="alert alert-warn" role="status">
                    <p>
                        <strong>{l.t("Cadangan terlambat.", "Backups are late.")}</strong>
                        " "
                        {l.t("Cadangan terakhir yang berhasil: ", "Last successful backup: ")}
                        {when}
                    </p>
                </div>
            }
            .into_any()
        }
        (Some(r), false) => {
            let when = domain::time::long_datetime(r.finished_ms, l);
            view! {
                <div class="alert alert-ok" role="status">
                    <p>
                        {l.t("Cadangan terakhir berhasil: ", "Last backup succeeded: ")} {when}
                        {format!(" ({})", size(r.bytes, l))}
                    </p>
                </div>
            }
            .into_any()
        }
    };
    let schedule = match status.every_s {
        Some(s) => match l {
            Lang::Id => format!(
                "Terjadwal {}; {} cadangan terakhir disimpan di {} pada server.",
                every_label(s, l),
                status.keep,
                status.dir
            ),
            Lang::En => format!(
                "Scheduled {}; the last {} are kept in {} on the server.",
                every_label(s, l),
                status.keep,
                status.dir
            ),
        },
        None => l
            .t(
                "Server ini tidak menjadwalkan cadangan. Minta pengelola server menjalankan `eoffice serve --backup-every 24h`, atau `eoffice backup --to FOLDER` dari penjadwal sistem (lihat docs/deploy.md).",
                "This server schedules no backups. Ask the server administrator to run `eoffice serve --backup-every 24h`, or `eoffice backup --to FOLDER` from the system scheduler (see docs/deploy.md).",
            )
            .to_string(),
    };
    let rows = status.recent.clone();
    view! {
        {headline}
        <p class="muted">{schedule}</p>
        {if rows.is_empty() {
            view! {
                <p class="empty">
                    {l.t("Belum ada cadangan tercatat.", "No backup recorded yet.")}
                </p>
            }
                .into_any()
        } else {
            view! { <BackupTable rows=rows /> }.into_any()
        }}
    }
}

#[component]
fn BackupTable(rows: Vec<BackupRun>) -> impl IntoView {
    let l = lang();
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <caption class="sr-only">{l.t("Cadangan terakhir", "Recent backups")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{l.t("Waktu", "Time")}</th>
                        <th scope="col">{l.t("Hasil", "Result")}</th>
                        <th scope="col">{l.t("Jenis", "Kind")}</th>
                        <th scope="col" class="num">
                            {l.t("Ukuran", "Size")}
                        </th>
                        <th scope="col">{l.t("Lokasi", "Location")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let result = if r.ok {
                                view! {
                                    <span class="badge badge-ok">
                                        {l.t("Berhasil", "Succeeded")}
                                    </span>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <span class="badge badge-danger">{l.t("Gagal", "Failed")}</span>
                                    <div class="small">{r.error.clone().unwrap_or_default()}</div>
                                }
                                    .into_any()
                            };
                            let kind = if r.trigger == "scheduled" {
                                l.t("Terjadwal", "Scheduled")
                            } else {
                                l.t("Manual", "Manual")
                            };
                            view! {
                                <tr>
                                    <td>{domain::time::long_datetime(r.started_ms, l)}</td>
                                    <td>{result}</td>
                                    <td>{kind}</td>
                                    <td class="num">
                                        {if r.ok { size(r.bytes, l) } else { "—".to_string() }}
                                    </td>
                                    <td class="mono small">
                                        {format!("{} ({})", r.location, r.host)}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
