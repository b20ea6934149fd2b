//! How the OPD receives incoming mail: who gets it for the first disposition, peer dispositions.

use super::*;

/// How the OPD handles incoming mail: who receives it for the first disposition, and whether a
/// disposition may go to a peer as well as downwards.
#[component]
pub(super) fn IncomingSettingsSection(opd_id: String) -> impl IntoView {
    use crate::api::incoming::{get_incoming_settings, save_incoming_settings};
    let l = lang();
    let oid = opd_id.clone();
    let data = Resource::new(|| (), move |_| get_incoming_settings(oid.clone()));
    let oid = StoredValue::new(opd_id);
    view! {
        <section class="card" aria-labelledby="h-surat-masuk">
            <h2 id="h-surat-masuk">{l.t("Pengaturan surat masuk", "Incoming mail settings")}</h2>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok((settings, choices)) => {
                            let disposer = RwSignal::new(
                                settings.disposer_position_id.clone().unwrap_or_default(),
                            );
                            let peers = RwSignal::new(settings.peer_disposition);
                            let busy = RwSignal::new(false);
                            let message = RwSignal::new(None::<Result<(), AppError>>);
                            let save = move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                busy.set(true);
                                message.set(None);
                                leptos::task::spawn_local(async move {
                                    let res = save_incoming_settings(
                                            oid.get_value(),
                                            disposer.get_untracked(),
                                            peers.get_untracked(),
                                        )
                                        .await;
                                    busy.set(false);
                                    message.set(Some(res));
                                });
                            };
                            view! {
                                <form class="form" on:submit=save novalidate>
                                    <label for="sm-disposer">
                                        {l
                                            .t(
                                                "Penerima surat masuk untuk disposisi",
                                                "Receives new mail for disposition",
                                            )}
                                    </label>
                                    <select
                                        id="sm-disposer"
                                        aria-describedby="sm-disposer-help"
                                        on:change=move |ev| disposer.set(event_target_value(&ev))
                                    >
                                        <option
                                            value=""
                                            selected=settings.disposer_position_id.is_none()
                                        >
                                            {l.t("Kepala OPD (bawaan)", "Head of the agency (default)")}
                                        </option>
                                        {choices
                                            .into_iter()
                                            .map(|c| {
                                                let sel = settings.disposer_position_id.as_deref()
                                                    == Some(c.position_id.as_str());
                                                let holder = if c.holder.is_empty() {
                                                    l.t("lowong", "vacant").to_string()
                                                } else {
                                                    c.holder.clone()
                                                };
                                                view! {
                                                    <option value=c.position_id.clone() selected=sel>
                                                        {format!("{} — {holder}", c.title)}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                    <p id="sm-disposer-help" class="small muted">
                                        {l
                                            .t(
                                                "Surat yang diregistrasi TU dan surat dari OPD lain masuk ke Kotak Masuk jabatan ini untuk diberi disposisi pertama. Petugas TU tetap dapat memilih pejabat lain untuk satu surat.",
                                                "Letters registered by the clerk and letters from other agencies arrive in this position's inbox for the first disposition. The clerk can still pick another official for a single letter.",
                                            )}
                                    </p>
                                    <label class="check" for="sm-peers">
                                        <input
                                            id="sm-peers"
                                            type="checkbox"
                                            prop:checked=move || peers.get()
                                            on:change=move |ev| peers.set(event_target_checked(&ev))
                                        />
                                        {l
                                            .t(
                                                "Izinkan disposisi ke rekan setingkat (jabatan dengan atasan langsung yang sama)",
                                                "Allow dispositions to peers (positions with the same direct superior)",
                                            )}
                                    </label>
                                    <ActionResult
                                        value=message
                                        ok=l
                                            .t(
                                                "Pengaturan surat masuk disimpan.",
                                                "Incoming mail settings saved.",
                                            )
                                    />
                                    <button
                                        type="submit"
                                        class="btn btn-primary"
                                        disabled=move || busy.get()
                                    >
                                        {move || busy_label(
                                            busy.get(),
                                            l.t("Simpan pengaturan", "Save settings"),
                                            l.t("Menyimpan…", "Saving…"),
                                        )}
                                    </button>
                                </form>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
