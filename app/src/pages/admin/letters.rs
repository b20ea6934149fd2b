//! Pengaturan naskah dinas (Admin Pemda): number format, where returned letters restart, and the
//! klasifikasi arsip codes offered when drafting.

use super::PemdaAdminHead;
use crate::api::admin::letters::{
    DeleteKlasifikasi, SaveKlasifikasi, SaveLetterSettings, get_letter_settings,
};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading};
use leptos::prelude::*;

#[component]
pub fn LetterSettingsPage() -> impl IntoView {
    let l = lang();
    let save = ServerAction::<SaveLetterSettings>::new();
    let save_k = ServerAction::<SaveKlasifikasi>::new();
    let del_k = ServerAction::<DeleteKlasifikasi>::new();
    let data = Resource::new(
        move || (save.version().get(), save_k.version().get(), del_k.version().get()),
        |_| get_letter_settings(),
    );
    view! {
        <PemdaAdminHead title=("Pengaturan naskah dinas", "Letter settings") />
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => {
                        view! {
                            <section class="card" aria-labelledby="h-format">
                                <h2 id="h-format">
                                    {l.t("Nomor surat dan alur", "Numbering and flow")}
                                </h2>
                                <ActionForm action=save attr:class="form">
                                    <label for="s-format">
                                        {l.t("Format nomor surat", "Letter number format")}
                                    </label>
                                    <input
                                        id="s-format"
                                        name="number_format"
                                        required
                                        maxlength="100"
                                        value=d.number_format.clone()
                                        aria-describedby="s-format-help"
                                    />
                                    <p id="s-format-help" class="muted small">
                                        {l
                                            .t(
                                                "Bagian: {klasifikasi}, {urut} (wajib), {kode_unit}, {tahun}, {bulan_romawi}. Contoh: {klasifikasi}/{urut}/{kode_unit}/{tahun}",
                                                "Parts: {klasifikasi}, {urut} (required), {kode_unit}, {tahun}, {bulan_romawi}. Example: {klasifikasi}/{urut}/{kode_unit}/{tahun}",
                                            )}
                                    </p>
                                    <label for="s-restart">
                                        {l
                                            .t(
                                                "Surat yang dikembalikan, setelah diperbaiki, diparaf ulang oleh",
                                                "After revision, a returned letter is initialled again by",
                                            )}
                                    </label>
                                    <select id="s-restart" name="restart_policy">
                                        <option value="first" selected=d.restart_policy == "first">
                                            {l
                                                .t(
                                                    "semua pemaraf dari awal",
                                                    "every reviewer from the start",
                                                )}
                                        </option>
                                        <option
                                            value="returner"
                                            selected=d.restart_policy == "returner"
                                        >
                                            {l
                                                .t(
                                                    "langsung pejabat yang mengembalikan",
                                                    "straight to whoever returned it",
                                                )}
                                        </option>
                                    </select>
                                    <div class="buttons">
                                        <button type="submit" class="btn btn-primary">
                                            {l.t("Simpan", "Save")}
                                        </button>
                                    </div>
                                </ActionForm>
                                <ActionResult
                                    value=save.value()
                                    ok=l.t("Pengaturan disimpan.", "Settings saved.")
                                />
                            </section>
                            <section class="card" aria-labelledby="h-klas">
                                <h2 id="h-klas">
                                    {l.t("Klasifikasi arsip", "Archive classification")}
                                </h2>
                                <ActionForm action=save_k attr:class="form-inline">
                                    <label for="k-code">{l.t("Kode", "Code")}</label>
                                    <input
                                        id="k-code"
                                        name="code"
                                        required
                                        maxlength="30"
                                        inputmode="decimal"
                                    />
                                    <label for="k-name">{l.t("Nama", "Name")}</label>
                                    <input id="k-name" name="name" required maxlength="200" />
                                    <button type="submit" class="btn">
                                        {l.t("Tambah / ubah", "Add / rename")}
                                    </button>
                                </ActionForm>
                                <ActionResult
                                    value=save_k.value()
                                    ok=l.t("Klasifikasi disimpan.", "Code saved.")
                                />
                                <ActionResult
                                    value=del_k.value()
                                    ok=l.t("Klasifikasi dihapus.", "Code removed.")
                                />
                                <div class="table-wrap" tabindex="0">
                                    <table>
                                        <thead>
                                            <tr>
                                                <th scope="col">{l.t("Kode", "Code")}</th>
                                                <th scope="col">{l.t("Nama", "Name")}</th>
                                                <th scope="col">
                                                    <span class="sr-only">{l.t("Tindakan", "Actions")}</span>
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {d
                                                .klasifikasi
                                                .into_iter()
                                                .map(|(code, name)| {
                                                    view! {
                                                        <tr>
                                                            <td class="letter-number">{code.clone()}</td>
                                                            <td>{name}</td>
                                                            <td>
                                                                <ActionForm action=del_k>
                                                                    <input type="hidden" name="code" value=code.clone() />
                                                                    <button
                                                                        type="submit"
                                                                        class="btn-link danger"
                                                                        aria-label=format!("{} {code}", l.t("Hapus", "Remove"))
                                                                    >
                                                                        {l.t("Hapus", "Remove")}
                                                                    </button>
                                                                </ActionForm>
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
