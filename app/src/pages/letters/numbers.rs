//! Nomor manual: the records clerk takes the next letter number for a letter signed on paper.

use crate::api::letters::{ReserveNumber, get_compose_options, list_reservations};
use crate::app::lang;
use crate::components::{ErrorBox, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn ManualNumberPage() -> impl IntoView {
    let l = lang();
    let reserve = ServerAction::<ReserveNumber>::new();
    let list = Resource::new(move || reserve.version().get(), |_| list_reservations());
    let options = Resource::new(|| (), |_| get_compose_options());
    view! {
        <Title text=l.t("Nomor surat manual", "Manual letter numbers") />
        <p>
            <A href="/surat-keluar">{l.t("← Surat Keluar", "← Outgoing letters")}</A>
        </p>
        <h1>{l.t("Nomor surat manual", "Manual letter numbers")}</h1>
        <p class="muted">
            {l
                .t(
                    "Untuk surat yang ditandatangani basah di atas kertas. Nomor diambil dari urutan yang sama dengan surat elektronik, sehingga tidak pernah ganda atau terlewat.",
                    "For letters signed on paper. Numbers come from the same sequence as electronic letters, so they never collide or skip.",
                )}
        </p>
        <section class="card" aria-labelledby="h-ambil">
            <h2 id="h-ambil">{l.t("Ambil nomor", "Take a number")}</h2>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    let codes = match options.await {
                        Ok(o) => o.klasifikasi,
                        Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                    };
                    view! {
                        <ActionForm action=reserve attr:class="form grid-2">
                            <div>
                                <label for="m-klas">
                                    {l.t("Klasifikasi arsip", "Archive classification")}
                                </label>
                                <select id="m-klas" name="klasifikasi" required>
                                    <option value="">
                                        {l.t("— pilih kode —", "— choose a code —")}
                                    </option>
                                    {codes
                                        .into_iter()
                                        .map(|(c, n)| {
                                            view! {
                                                <option value=c.clone()>{format!("{c} — {n}")}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="m-tujuan">{l.t("Tujuan surat", "Addressee")}</label>
                                <input id="m-tujuan" name="recipient" required maxlength="300" />
                            </div>
                            <div class="span-2">
                                <label for="m-hal">{l.t("Hal (perihal)", "Subject")}</label>
                                <input id="m-hal" name="subject" required maxlength="300" />
                            </div>
                            <div class="span-2">
                                <label for="m-ket">
                                    {l.t("Keterangan (opsional)", "Note (optional)")}
                                </label>
                                <input id="m-ket" name="note" maxlength="1000" />
                            </div>
                            <div class="buttons span-2">
                                <button
                                    type="submit"
                                    class="btn btn-primary"
                                    disabled=move || reserve.pending().get()
                                >
                                    {l.t("Ambil nomor berikutnya", "Take the next number")}
                                </button>
                            </div>
                        </ActionForm>
                    }
                        .into_any()
                })}
            </Suspense>
            {move || match reserve.value().get() {
                Some(Ok(r)) => {
                    view! {
                        <p class="alert alert-ok" role="status">
                            {l.t("Nomor surat: ", "Letter number: ")}
                            <strong class="letter-number">{r.number}</strong>
                        </p>
                    }
                        .into_any()
                }
                Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="h-riwayat-nomor">
            <h2 id="h-riwayat-nomor">{l.t("Nomor yang sudah diambil", "Numbers taken")}</h2>
            <Transition fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(v) if v.is_empty() => {
                            view! {
                                <p class="muted">
                                    {l.t("Belum ada nomor manual.", "No manual numbers yet.")}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(v) => {
                            view! {
                                <div class="table-wrap" tabindex="0">
                                    <table>
                                        <thead>
                                            <tr>
                                                <th scope="col">{l.t("Nomor", "Number")}</th>
                                                <th scope="col">{l.t("Hal", "Subject")}</th>
                                                <th scope="col">{l.t("Tujuan", "To")}</th>
                                                <th scope="col">{l.t("Diambil", "Taken")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {v
                                                .into_iter()
                                                .map(|r| {
                                                    view! {
                                                        <tr>
                                                            <td class="letter-number">{r.number}</td>
                                                            <td>{r.subject}</td>
                                                            <td>{r.recipient}</td>
                                                            <td>
                                                                {format!(
                                                                    "{} · {}",
                                                                    r.reserved_by,
                                                                    domain::time::long_datetime(r.created_ms, l),
                                                                )}
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
