//! The audit log and the check of its hash chain (Admin Pemda).

use super::NoAccess;
use crate::api::admin::audit::{AuditVerify, audit_recent};
use crate::app::{UserCtx, lang};
use crate::components::{ErrorBox, Loading, busy_label};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    // Outside the Suspend below, so server and browser create it in the same order.
    let before = RwSignal::new(None::<i64>);
    let rows = Resource::new(move || before.get(), audit_recent);
    view! {
        <Title text=l.t("Log audit", "Audit log") />
        <h1>{l.t("Log audit", "Audit log")}</h1>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                let Ok(Some(u)) = user.await else { return ().into_any() };
                if !u.caps.is_admin_pemda() {
                    return view! { <NoAccess /> }.into_any();
                }
                view! { <AuditBody before=before rows=rows /> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn AuditBody(
    before: RwSignal<Option<i64>>,
    rows: Resource<Result<Vec<domain::model::AuditRow>, crate::error::AppError>>,
) -> impl IntoView {
    let l = lang();
    let verify = ServerAction::<AuditVerify>::new();
    let pending = verify.pending();
    view! {
        <section class="card">
            <p class="muted">
                {l
                    .t(
                        "Setiap perubahan dicatat berurutan dan dirantai dengan SHA-256; mengubah atau menghapus satu baris memutus rantai.",
                        "Every change is recorded in order and chained with SHA-256; editing or deleting a row breaks the chain.",
                    )}
            </p>
            <button
                class="btn btn-primary"
                disabled=move || pending.get()
                on:click=move |_| {
                    verify.dispatch(AuditVerify {});
                }
            >
                {move || busy_label(
                    pending.get(),
                    l.t("Periksa keutuhan rantai", "Verify the chain"),
                    l.t("Memeriksa…", "Checking…"),
                )}
            </button>
            {move || {
                verify
                    .value()
                    .get()
                    .map(|r| match r {
                        Ok((true, msg)) => {
                            view! {
                                <p class="alert alert-ok" role="status">
                                    {msg}
                                </p>
                            }
                                .into_any()
                        }
                        Ok((false, msg)) => {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    {msg}
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    })
            }}
        </section>
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(list) => {
                        let last = list.last().map(|r| r.seq);
                        view! {
                            <div class="table-wrap" tabindex="0">
                                <table>
                                    <thead>
                                        <tr>
                                            <th>"#"</th>
                                            <th>{l.t("Waktu", "Time")}</th>
                                            <th>{l.t("Pelaku", "Actor")}</th>
                                            <th>{l.t("Tindakan", "Action")}</th>
                                            <th>{l.t("Rincian", "Detail")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|r| {
                                                view! {
                                                    <tr>
                                                        <td>{r.seq}</td>
                                                        <td>{domain::time::long_datetime(r.at_ms, l)}</td>
                                                        <td>
                                                            {r
                                                                .actor_name
                                                                .clone()
                                                                .unwrap_or_else(|| l.t("sistem", "system").into())}<br />
                                                            <span class="muted small">
                                                                {r.actor_ip.clone().unwrap_or_default()}
                                                            </span>
                                                        </td>
                                                        <td>
                                                            <code>{r.action.clone()}</code>
                                                        </td>
                                                        <td class="detail">
                                                            <code>{r.detail.clone()}</code>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {last
                                .filter(|s| *s > 1)
                                .map(|s| {
                                    view! {
                                        <button class="btn" on:click=move |_| before.set(Some(s))>
                                            {l.t("Lebih lama ›", "Older ›")}
                                        </button>
                                    }
                                })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
