//! The Admin Pemda's view of the backups: whether the data is safe, the schedule, the last runs.

use crate::api::admin::backup::load_backup_status;
use crate::app::lang;
use crate::components::{ErrorBox, Loading, now_ms};
use crate::error::AppError;
use domain::Lang;
use domain::model::BackupStatus;
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

/// One view for every state (each `view!` branch is code the admin chunk carries): the headline's
/// class and words, the schedule line, the rows as plain strings.
#[component]
fn BackupBody(status: BackupStatus) -> impl IntoView {
    let l = lang();
    let overdue = status.overdue(now_ms());
    let (class, headline) = match (status.last_ok(), overdue) {
        (None, _) => (
            "alert alert-warn",
            l.t("Belum ada cadangan yang berhasil.", "No successful backup yet.").to_string(),
        ),
        (Some(r), true) => (
            "alert alert-warn",
            format!(
                "{} {}",
                l.t(
                    "Cadangan terlambat. Cadangan terakhir yang berhasil:",
                    "Backups are late. Last successful backup:"
                ),
                domain::time::long_datetime(r.finished_ms, l)
            ),
        ),
        (Some(r), false) => (
            "alert alert-ok",
            format!(
                "{} {} ({})",
                l.t("Cadangan terakhir berhasil:", "Last backup succeeded:"),
                domain::time::long_datetime(r.finished_ms, l),
                size(r.bytes, l)
            ),
        ),
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
    let empty = status.recent.is_empty();
    let rows = status
        .recent
        .into_iter()
        .map(|r| {
            let (badge, result) = if r.ok {
                ("badge badge-ok", l.t("Berhasil", "Succeeded"))
            } else {
                ("badge badge-danger", l.t("Gagal", "Failed"))
            };
            let kind = if r.trigger == "scheduled" {
                l.t("Terjadwal", "Scheduled")
            } else {
                l.t("Manual", "Manual")
            };
            let bytes = if r.ok { size(r.bytes, l) } else { "—".to_string() };
            view! {
                <tr>
                    <td>{domain::time::long_datetime(r.started_ms, l)}</td>
                    <td>
                        <span class=badge>{result}</span>
                        <div class="small">{r.error.unwrap_or_default()}</div>
                    </td>
                    <td>{kind}</td>
                    <td class="num">{bytes}</td>
                    <td class="mono small">{format!("{} ({})", r.location, r.host)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class=class role="status">
            <p>{headline}</p>
        </div>
        <p class="muted">{schedule}</p>
        <p class="empty" hidden=!empty>
            {l.t("Belum ada cadangan tercatat.", "No backup recorded yet.")}
        </p>
        <div class="table-wrap" tabindex="0" hidden=empty>
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
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
