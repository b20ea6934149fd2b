//! Managing one OPD: structure (units, positions), employees, acting officials, CSV import/export.

use super::NoAccess;
use crate::api::admin::employees::{
    ImportEmployees, ResetPassword, SaveEmployee, SetEmployeeActive, UnlockAccount, list_employees,
};
use crate::api::admin::structure::{
    CreateActing, DeletePosition, DeleteUnit, EndActing, SavePosition, SaveUnit, admin_structure,
    list_acting,
};
use crate::app::{UserCtx, lang};
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use crate::error::AppError;
use domain::Code;
use domain::Lang;
use domain::model::{Employee, ImportReport, Position, Unit};
use domain::org::{PositionLevel, UnitKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Struktur,
    Pegawai,
    Plt,
    SuratMasuk,
    Impor,
}

impl Tab {
    const ALL: [Tab; 5] = [Tab::Struktur, Tab::Pegawai, Tab::Plt, Tab::SuratMasuk, Tab::Impor];
    fn code(self) -> &'static str {
        match self {
            Tab::Struktur => "struktur",
            Tab::Pegawai => "pegawai",
            Tab::Plt => "plt",
            Tab::SuratMasuk => "surat-masuk",
            Tab::Impor => "impor",
        }
    }
    fn label(self, l: Lang) -> &'static str {
        match self {
            Tab::Struktur => l.t("Unit & Jabatan", "Units & positions"),
            Tab::Pegawai => l.t("Pegawai", "Employees"),
            Tab::Plt => l.t("Plt / Plh", "Acting officials"),
            Tab::SuratMasuk => l.t("Surat masuk", "Incoming mail"),
            Tab::Impor => l.t("Impor / Ekspor CSV", "CSV import / export"),
        }
    }
}

#[component]
pub fn AdminOpdPage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    let params = use_params_map();
    let query = use_query_map();
    let opd_id = move || params.read().get("opd").unwrap_or_default();
    let tab = move || {
        let q = query.read().get("tab").unwrap_or_default();
        Tab::ALL.into_iter().find(|t| t.code() == q).unwrap_or(Tab::Struktur)
    };
    let access = move || {
        let id = opd_id();
        Suspend::new(async move {
            let Ok(Some(u)) = user.await else { return ().into_any() };
            // The server checks on every call; this only tells people without the right why the page is empty.
            if !u.caps.is_admin_pemda() && !u.caps.admin_opd_ids().contains(&id) {
                return view! { <NoAccess /> }.into_any();
            }
            ().into_any()
        })
    };
    // The sections are built outside any Suspend so their resources are created in the same order on
    // the server and in the browser.
    view! {
        <Title text=l.t("Kelola OPD", "Manage agency") />
        <p>
            <A href="/admin">{l.t("← Administrasi", "← Administration")}</A>
        </p>
        <h1>{l.t("Kelola OPD", "Manage agency")}</h1>
        <Suspense fallback=|| ()>{access}</Suspense>
        <nav class="tabs" aria-label=l.t("Bagian", "Sections")>
            {move || {
                let id = opd_id();
                Tab::ALL
                    .into_iter()
                    .map(|t| {
                        let href = format!("/admin/opd/{}?tab={}", id, t.code());
                        view! {
                            <A href=href attr:aria-current=move || (tab() == t).then_some("page")>
                                {t.label(l)}
                            </A>
                        }
                    })
                    .collect_view()
            }}
        </nav>
        {move || {
            let id = opd_id();
            match tab() {
                Tab::Struktur => {
                    view! {
                        <KopLogo opd_id=id.clone() />
                        <Structure opd_id=id />
                    }
                        .into_any()
                }
                Tab::Pegawai => view! { <Employees opd_id=id /> }.into_any(),
                Tab::Plt => view! { <ActingSection opd_id=id /> }.into_any(),
                Tab::SuratMasuk => view! { <IncomingSettingsSection opd_id=id /> }.into_any(),
                Tab::Impor => view! { <ImportSection opd_id=id /> }.into_any(),
            }
        }}
    }
}

fn level_label(level: PositionLevel, l: Lang) -> &'static str {
    l.t(level.label_id(), level.label_en())
}

fn kind_label(kind: UnitKind, l: Lang) -> &'static str {
    l.t(kind.label_id(), kind.label_en())
}

/// The logo printed in the kop surat of every letter of this OPD.
#[component]
fn KopLogo(opd_id: String) -> impl IntoView {
    let l = lang();
    let version = RwSignal::new(0u32);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Result<&'static str, String>>);
    let oid = opd_id.clone();
    let logo = Resource::new(
        move || version.get(),
        move |_| crate::api::admin::opds::get_opd_logo(oid.clone()),
    );
    let oid_up = StoredValue::new(opd_id.clone());
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            if file.size() > domain::files::MAX_LOGO_BYTES as f64 {
                message.set(Some(Err(l
                    .t(
                        "Logo terlalu besar (maksimal 512 KB).",
                        "The logo is too large (512 KB at most).",
                    )
                    .into())));
                return;
            }
            busy.set(true);
            message.set(None);
            leptos::task::spawn_local(async move {
                let res = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(buf) => {
                        use base64::Engine;
                        let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                        crate::api::admin::opds::set_opd_logo(
                            oid_up.get_value(),
                            base64::engine::general_purpose::STANDARD.encode(bytes),
                        )
                        .await
                        .map_err(|e| e.message)
                    }
                    Err(_) => Err(l
                        .t("Berkas tidak dapat dibaca.", "The file could not be read.")
                        .to_string()),
                };
                busy.set(false);
                message.set(Some(res.map(|_| {
                    l.t(
                        "Logo disimpan; surat berikutnya memakai logo ini.",
                        "Logo saved; the next letters use it.",
                    )
                })));
                version.update(|v| *v += 1);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let remove = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let res = crate::api::admin::opds::set_opd_logo(oid_up.get_value(), String::new())
                .await
                .map_err(|e| e.message);
            busy.set(false);
            message.set(Some(res.map(|_| l.t("Logo dihapus.", "Logo removed."))));
            version.update(|v| *v += 1);
        });
    };
    view! {
        <section class="card" aria-labelledby="h-kop">
            <h2 id="h-kop">{l.t("Logo kop surat", "Letterhead logo")}</h2>
            <Transition fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match logo.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(None) => {
                            view! {
                                <p class="muted">
                                    {l
                                        .t(
                                            "Belum ada logo; kop surat dicetak tanpa logo.",
                                            "No logo yet; the letterhead is printed without one.",
                                        )}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(Some(src)) => {
                            view! {
                                <p>
                                    <img
                                        class="kop-logo"
                                        src=src
                                        alt=l
                                            .t("Logo kop surat saat ini", "Current letterhead logo")
                                    />
                                </p>
                                <button
                                    type="button"
                                    class="btn-link danger"
                                    on:click=remove
                                    disabled=move || busy.get()
                                >
                                    {l.t("Hapus logo", "Remove logo")}
                                </button>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            <label for="kop-logo-file">
                {l
                    .t(
                        "Unggah logo (PNG atau JPEG, maksimal 512 KB)",
                        "Upload a logo (PNG or JPEG, 512 KB at most)",
                    )}
            </label>
            <input
                id="kop-logo-file"
                type="file"
                accept="image/png,image/jpeg"
                on:change=on_file
                disabled=move || busy.get()
            />
            {move || {
                busy.get()
                    .then(|| {
                        view! {
                            <p class="muted small" role="status">
                                {l.t("Mengunggah…", "Uploading…")}
                            </p>
                        }
                    })
            }}
            {move || match message.get() {
                Some(Ok(m)) => {
                    view! {
                        <p class="alert alert-ok" role="status">
                            {m}
                        </p>
                    }
                        .into_any()
                }
                Some(Err(m)) => {
                    view! {
                        <p class="alert alert-error" role="alert">
                            {m}
                        </p>
                    }
                        .into_any()
                }
                None => ().into_any(),
            }}
        </section>
    }
}

/// How the OPD handles incoming mail: who receives it for the first disposition, and whether a
/// disposition may go to a peer as well as downwards.
#[component]
fn IncomingSettingsSection(opd_id: String) -> impl IntoView {
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

#[component]
fn Structure(opd_id: String) -> impl IntoView {
    let l = lang();
    let save_unit = ServerAction::<SaveUnit>::new();
    let del_unit = ServerAction::<DeleteUnit>::new();
    let save_pos = ServerAction::<SavePosition>::new();
    let del_pos = ServerAction::<DeletePosition>::new();
    let oid = opd_id.clone();
    let data = Resource::new(
        move || {
            (
                save_unit.version().get(),
                del_unit.version().get(),
                save_pos.version().get(),
                del_pos.version().get(),
            )
        },
        move |_| admin_structure(oid.clone()),
    );
    let edit_unit = RwSignal::new(None::<Unit>);
    let edit_pos = RwSignal::new(None::<Position>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save_unit.value().get() {
            edit_unit.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save_pos.value().get() {
            edit_pos.set(None);
        }
    });
    let oid_u = opd_id.clone();
    let oid_p = opd_id.clone();
    view! {
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || {
                let (oid_u, oid_p) = (oid_u.clone(), oid_p.clone());
                Suspend::new(async move {
                    let (units, positions) = match data.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                    };
                    let unit_name = {
                        let units = units.clone();
                        move |id: &str| {
                            units
                                .iter()
                                .find(|u| u.id == id)
                                .map(|u| u.name.clone())
                                .unwrap_or_default()
                        }
                    };
                    let units_for_unit_form = units.clone();
                    let units_for_pos_form = units.clone();
                    view! {
                        <section class="card" aria-labelledby="h-unit">
                            <h2 id="h-unit">{l.t("Unit kerja", "Units")}</h2>
                            <div class="table-wrap">
                                <table>
                                    <thead>
                                        <tr>
                                            <th>{l.t("Nama unit", "Unit")}</th>
                                            <th>{l.t("Jenis", "Kind")}</th>
                                            <th>{l.t("Induk", "Parent")}</th>
                                            <th>
                                                <span class="sr-only">{l.t("Tindakan", "Actions")}</span>
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {units
                                            .clone()
                                            .into_iter()
                                            .map(|u| {
                                                let u2 = u.clone();
                                                let parent = u
                                                    .parent_id
                                                    .as_deref()
                                                    .map(&unit_name)
                                                    .unwrap_or_else(|| "—".into());
                                                let is_root = u.parent_id.is_none();
                                                let oid = oid_u.clone();
                                                view! {
                                                    <tr>
                                                        <td>{u.name.clone()}</td>
                                                        <td>{kind_label(u.kind, l)}</td>
                                                        <td>{parent}</td>
                                                        <td class="actions">
                                                            <button
                                                                class="btn-link"
                                                                on:click=move |_| edit_unit.set(Some(u2.clone()))
                                                            >
                                                                {l.t("Ubah", "Edit")}
                                                            </button>
                                                            {(!is_root)
                                                                .then(|| {
                                                                    view! {
                                                                        <ActionForm action=del_unit>
                                                                            <input type="hidden" name="opd_id" value=oid.clone() />
                                                                            <input type="hidden" name="id" value=u.id.clone() />
                                                                            <button
                                                                                type="submit"
                                                                                class="btn-link danger"
                                                                                aria-label=format!("{} {}", l.t("Hapus", "Delete"), u.name)
                                                                            >
                                                                                {l.t("Hapus", "Delete")}
                                                                            </button>
                                                                        </ActionForm>
                                                                    }
                                                                })}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <ActionResult
                                value=del_unit.value()
                                ok=l.t("Unit dihapus.", "Unit deleted.")
                            />
                            <h3>
                                {move || {
                                    if edit_unit.get().is_some() {
                                        l.t("Ubah unit", "Edit unit")
                                    } else {
                                        l.t("Tambah unit", "Add unit")
                                    }
                                }}
                            </h3>
                            <ActionForm action=save_unit attr:class="form grid-2">
                                <input type="hidden" name="opd_id" value=oid_u.clone() />
                                <input
                                    type="hidden"
                                    name="id"
                                    prop:value=move || {
                                        edit_unit.get().map(|u| u.id).unwrap_or_default()
                                    }
                                />
                                <div>
                                    <label for="unit-name">{l.t("Nama unit", "Unit name")}</label>
                                    <input
                                        id="unit-name"
                                        name="name"
                                        required
                                        prop:value=move || {
                                            edit_unit.get().map(|u| u.name).unwrap_or_default()
                                        }
                                    />
                                </div>
                                <div>
                                    <label for="unit-kind">{l.t("Jenis", "Kind")}</label>
                                    <select
                                        id="unit-kind"
                                        name="kind"
                                        prop:value=move || {
                                            edit_unit
                                                .get()
                                                .map(|u| u.kind)
                                                .unwrap_or(UnitKind::Seksi)
                                                .code()
                                        }
                                    >
                                        {UnitKind::all()
                                            .iter()
                                            .copied()
                                            .map(|k| {
                                                view! { <option value=k.code()>{kind_label(k, l)}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div>
                                    <label for="unit-parent">
                                        {l.t("Unit induk", "Parent unit")}
                                    </label>
                                    <select
                                        id="unit-parent"
                                        name="parent_id"
                                        prop:value=move || {
                                            edit_unit
                                                .get()
                                                .and_then(|u| u.parent_id)
                                                .unwrap_or_default()
                                        }
                                    >
                                        <option value="">
                                            {l
                                                .t(
                                                    "— tanpa induk (pimpinan OPD) —",
                                                    "— none (agency leadership) —",
                                                )}
                                        </option>
                                        {units_for_unit_form
                                            .iter()
                                            .map(|u| {
                                                view! {
                                                    <option value=u.id.clone()>{u.name.clone()}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div>
                                    <label for="unit-code">{l.t("Kode unit", "Unit code")}</label>
                                    <input
                                        id="unit-code"
                                        name="code"
                                        prop:value=move || {
                                            edit_unit.get().map(|u| u.code).unwrap_or_default()
                                        }
                                    />
                                </div>
                                <div class="span-2 buttons">
                                    <button type="submit" class="btn btn-primary">
                                        {l.t("Simpan unit", "Save unit")}
                                    </button>
                                    {move || {
                                        edit_unit
                                            .get()
                                            .is_some()
                                            .then(|| {
                                                view! {
                                                    <button
                                                        type="button"
                                                        class="btn"
                                                        on:click=move |_| edit_unit.set(None)
                                                    >
                                                        {l.t("Batal", "Cancel")}
                                                    </button>
                                                }
                                            })
                                    }}
                                </div>
                            </ActionForm>
                            <ActionResult
                                value=save_unit.value()
                                ok=l.t("Unit disimpan.", "Unit saved.")
                            />
                        </section>
                        <section class="card" aria-labelledby="h-jab">
                            <h2 id="h-jab">{l.t("Jabatan", "Positions")}</h2>
                            {if positions.is_empty() {
                                view! {
                                    <p class="muted">
                                        {l
                                            .t(
                                                "Belum ada jabatan. Tambahkan jabatan pertama di bawah.",
                                                "No positions yet. Add the first one below.",
                                            )}
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table>
                                            <thead>
                                                <tr>
                                                    <th>{l.t("Jabatan", "Position")}</th>
                                                    <th>{l.t("Unit", "Unit")}</th>
                                                    <th>{l.t("Tingkat", "Level")}</th>
                                                    <th>
                                                        <span class="sr-only">{l.t("Tindakan", "Actions")}</span>
                                                    </th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {positions
                                                    .clone()
                                                    .into_iter()
                                                    .map(|p| {
                                                        let p2 = p.clone();
                                                        let oid = oid_p.clone();
                                                        view! {
                                                            <tr>
                                                                <td>{p.title.clone()}</td>
                                                                <td>{unit_name(&p.unit_id)}</td>
                                                                <td>{level_label(p.level, l)}</td>
                                                                <td class="actions">
                                                                    <button
                                                                        class="btn-link"
                                                                        on:click=move |_| edit_pos.set(Some(p2.clone()))
                                                                    >
                                                                        {l.t("Ubah", "Edit")}
                                                                    </button>
                                                                    <ActionForm action=del_pos>
                                                                        <input type="hidden" name="opd_id" value=oid />
                                                                        <input type="hidden" name="id" value=p.id.clone() />
                                                                        <button
                                                                            type="submit"
                                                                            class="btn-link danger"
                                                                            aria-label=format!("{} {}", l.t("Hapus", "Delete"), p.title)
                                                                        >
                                                                            {l.t("Hapus", "Delete")}
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
                                }
                                    .into_any()
                            }}
                            <ActionResult
                                value=del_pos.value()
                                ok=l.t("Jabatan dihapus.", "Position deleted.")
                            />
                            <h3>
                                {move || {
                                    if edit_pos.get().is_some() {
                                        l.t("Ubah jabatan", "Edit position")
                                    } else {
                                        l.t("Tambah jabatan", "Add position")
                                    }
                                }}
                            </h3>
                            <ActionForm action=save_pos attr:class="form grid-2">
                                <input type="hidden" name="opd_id" value=oid_p.clone() />
                                <input
                                    type="hidden"
                                    name="id"
                                    prop:value=move || {
                                        edit_pos.get().map(|p| p.id).unwrap_or_default()
                                    }
                                />
                                <div>
                                    <label for="pos-title">
                                        {l.t("Nama jabatan", "Position title")}
                                    </label>
                                    <input
                                        id="pos-title"
                                        name="title"
                                        required
                                        prop:value=move || {
                                            edit_pos.get().map(|p| p.title).unwrap_or_default()
                                        }
                                    />
                                </div>
                                <div>
                                    <label for="pos-unit">{l.t("Unit", "Unit")}</label>
                                    <select
                                        id="pos-unit"
                                        name="unit_id"
                                        prop:value=move || {
                                            edit_pos.get().map(|p| p.unit_id).unwrap_or_default()
                                        }
                                    >
                                        {units_for_pos_form
                                            .iter()
                                            .map(|u| {
                                                view! {
                                                    <option value=u.id.clone()>{u.name.clone()}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div>
                                    <label for="pos-level">{l.t("Tingkat", "Level")}</label>
                                    <select
                                        id="pos-level"
                                        name="level"
                                        prop:value=move || {
                                            edit_pos
                                                .get()
                                                .map(|p| p.level)
                                                .unwrap_or(PositionLevel::Staf)
                                                .code()
                                                .to_string()
                                        }
                                    >
                                        {PositionLevel::ALL
                                            .iter()
                                            .copied()
                                            .map(|p| {
                                                view! {
                                                    <option value=p
                                                        .code()
                                                        .to_string()>{level_label(p, l)}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="span-2 buttons">
                                    <button type="submit" class="btn btn-primary">
                                        {l.t("Simpan jabatan", "Save position")}
                                    </button>
                                    {move || {
                                        edit_pos
                                            .get()
                                            .is_some()
                                            .then(|| {
                                                view! {
                                                    <button
                                                        type="button"
                                                        class="btn"
                                                        on:click=move |_| edit_pos.set(None)
                                                    >
                                                        {l.t("Batal", "Cancel")}
                                                    </button>
                                                }
                                            })
                                    }}
                                </div>
                            </ActionForm>
                            <ActionResult
                                value=save_pos.value()
                                ok=l.t("Jabatan disimpan.", "Position saved.")
                            />
                        </section>
                    }
                        .into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn Employees(opd_id: String) -> impl IntoView {
    let l = lang();
    let save = ServerAction::<SaveEmployee>::new();
    let active = ServerAction::<SetEmployeeActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let unlock = ServerAction::<UnlockAccount>::new();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1i64);
    let oid = opd_id.clone();
    let list = Resource::new(
        move || {
            (
                query.get(),
                page.get(),
                save.version().get(),
                active.version().get(),
                unlock.version().get(),
            )
        },
        move |(q, p, ..)| list_employees(oid.clone(), q, p),
    );
    let oid2 = opd_id.clone();
    let structure = Resource::new(|| (), move |_| admin_structure(oid2.clone()));
    let editing = RwSignal::new(None::<Employee>);
    Effect::new(move |_| {
        if let Some(Ok(None)) = save.value().get() {
            editing.set(None);
        }
    });
    let oid_rows = opd_id.clone();
    view! {
        <section class="card" aria-labelledby="h-peg">
            <h2 id="h-peg">{l.t("Pegawai", "Employees")}</h2>
            <label class="inline-field">
                <span>{l.t("Cari nama atau NIP", "Search name or NIP")}</span>
                <input
                    type="search"
                    on:input=move |ev| {
                        query.set(event_target_value(&ev));
                        page.set(1);
                    }
                />
            </label>
            <Transition fallback=|| {
                view! { <Loading /> }
            }>
                {move || {
                    let oid = oid_rows.clone();
                    Suspend::new(async move {
                        let data = match list.await {
                            Ok(d) => d,
                            Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                        };
                        if data.rows.is_empty() {
                            return view! {
                                <p class="muted">
                                    {l.t("Tidak ada pegawai yang cocok.", "No matching employees.")}
                                </p>
                            }
                                .into_any();
                        }
                        let pages = (data.total + data.per_page - 1) / data.per_page;
                        view! {
                            <div class="table-wrap">
                                <table>
                                    <thead>
                                        <tr>
                                            <th>{l.t("Nama / NIP", "Name / NIP")}</th>
                                            <th>{l.t("Jabatan", "Position")}</th>
                                            <th>{l.t("Status", "Status")}</th>
                                            <th>
                                                <span class="sr-only">{l.t("Tindakan", "Actions")}</span>
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {data
                                            .rows
                                            .into_iter()
                                            .map(|r| {
                                                let e = r.employee.clone();
                                                let e2 = e.clone();
                                                let oid = oid.clone();
                                                let status = match (e.active, r.locked) {
                                                    (false, _) => l.t("Nonaktif", "Inactive"),
                                                    (true, true) => l.t("Terkunci", "Locked"),
                                                    (true, false) => l.t("Aktif", "Active"),
                                                };
                                                let (oid_reset, id_reset, oid_active, id_active) = (
                                                    oid.clone(),
                                                    e.id.clone(),
                                                    oid.clone(),
                                                    e.id.clone(),
                                                );
                                                let roles = r
                                                    .roles
                                                    .iter()
                                                    .map(|&r| super::role_label(r, l))
                                                    .collect::<Vec<_>>()
                                                    .join(", ");
                                                view! {
                                                    <tr>
                                                        <td>
                                                            {e.name.clone()}<br />
                                                            <span class="nip">{e.nip.clone()}</span>
                                                            {(!roles.is_empty())
                                                                .then(|| {
                                                                    view! {
                                                                        <br />
                                                                        <span class="badge">{roles}</span>
                                                                    }
                                                                })}
                                                        </td>
                                                        <td>
                                                            {r.position_title.clone().unwrap_or_else(|| "—".into())}
                                                            <br />
                                                            <span class="muted small">
                                                                {r.unit_name.clone().unwrap_or_default()}
                                                            </span>
                                                        </td>
                                                        <td>{status}</td>
                                                        <td class="actions">
                                                            <button
                                                                class="btn-link"
                                                                on:click=move |_| editing.set(Some(e2.clone()))
                                                                aria-label=format!("{} {}", l.t("Ubah", "Edit"), e.name)
                                                            >
                                                                {l.t("Ubah", "Edit")}
                                                            </button>
                                                            <ActionForm action=reset>
                                                                <input type="hidden" name="opd_id" value=oid_reset />
                                                                <input type="hidden" name="id" value=id_reset />
                                                                <button
                                                                    type="submit"
                                                                    class="btn-link"
                                                                    aria-label=format!(
                                                                        "{} {}",
                                                                        l.t("Reset sandi", "Reset password"),
                                                                        e.name,
                                                                    )
                                                                >
                                                                    {l.t("Reset sandi", "Reset password")}
                                                                </button>
                                                            </ActionForm>
                                                            {r
                                                                .locked
                                                                .then({
                                                                    let (oid, id) = (oid.clone(), e.id.clone());
                                                                    move || {
                                                                        view! {
                                                                            <ActionForm action=unlock>
                                                                                <input type="hidden" name="opd_id" value=oid />
                                                                                <input type="hidden" name="id" value=id />
                                                                                <button type="submit" class="btn-link">
                                                                                    {l.t("Buka kunci", "Unlock")}
                                                                                </button>
                                                                            </ActionForm>
                                                                        }
                                                                    }
                                                                })}
                                                            <ActionForm action=active>
                                                                <input type="hidden" name="opd_id" value=oid_active />
                                                                <input type="hidden" name="id" value=id_active />
                                                                <input
                                                                    type="hidden"
                                                                    name="active"
                                                                    value=(!e.active).to_string()
                                                                />
                                                                <button
                                                                    type="submit"
                                                                    class="btn-link"
                                                                    class:danger=e.active
                                                                >
                                                                    {if e.active {
                                                                        l.t("Nonaktifkan", "Deactivate")
                                                                    } else {
                                                                        l.t("Aktifkan", "Activate")
                                                                    }}
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
                            <nav class="pager" aria-label=l.t("Halaman", "Pages")>
                                <button
                                    class="btn"
                                    disabled=data.page <= 1
                                    on:click=move |_| page.update(|p| *p -= 1)
                                >
                                    {l.t("‹ Sebelumnya", "‹ Previous")}
                                </button>
                                <span>
                                    {format!(
                                        "{} {} / {} · {} {}",
                                        l.t("Halaman", "Page"),
                                        data.page,
                                        pages.max(1),
                                        data.total,
                                        l.t("pegawai", "employees"),
                                    )}
                                </span>
                                <button class="btn" disabled=data.page>
                                    = pages on:click=move |_| page.update(|p| *p += 1)>
                                    {l.t("Berikutnya ›", "Next ›")}
                                </button>
                            </nav>
                        }
                            .into_any()
                    })
                }}
            </Transition>
            {move || match reset.value().get() {
                Some(Ok(temp)) => {
                    view! {
                        <p class="alert alert-ok" role="status">
                            {l
                                .t(
                                    "Kata sandi sementara (sampaikan ke pegawai, wajib diganti saat masuk): ",
                                    "Temporary password (give it to the employee; it must be changed at login): ",
                                )}
                            <code class="temp-password">{temp}</code>
                        </p>
                    }
                        .into_any()
                }
                Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                None => ().into_any(),
            }}
            <ActionResult
                value=active.value()
                ok=l.t("Status pegawai diperbarui.", "Employee status updated.")
            />
        </section>
        <section class="card" aria-labelledby="h-form-peg">
            <h2 id="h-form-peg">
                {move || {
                    if editing.get().is_some() {
                        l.t("Ubah pegawai", "Edit employee")
                    } else {
                        l.t("Tambah pegawai", "Add employee")
                    }
                }}
            </h2>
            <ActionForm action=save attr:class="form grid-2">
                <input type="hidden" name="opd_id" value=opd_id.clone() />
                <input
                    type="hidden"
                    name="id"
                    prop:value=move || editing.get().map(|e| e.id).unwrap_or_default()
                />
                <div>
                    <label for="emp-nip">"NIP"</label>
                    <input
                        id="emp-nip"
                        name="nip"
                        inputmode="numeric"
                        required
                        prop:value=move || editing.get().map(|e| e.nip).unwrap_or_default()
                    />
                </div>
                <div>
                    <label for="emp-name">
                        {l.t("Nama lengkap dengan gelar", "Full name with titles")}
                    </label>
                    <input
                        id="emp-name"
                        name="name"
                        required
                        prop:value=move || editing.get().map(|e| e.name).unwrap_or_default()
                    />
                </div>
                <div>
                    <label for="emp-email">"Email"</label>
                    <input
                        id="emp-email"
                        name="email"
                        type="email"
                        prop:value=move || editing.get().and_then(|e| e.email).unwrap_or_default()
                    />
                </div>
                <div>
                    <label for="emp-phone">{l.t("Telepon", "Phone")}</label>
                    <input
                        id="emp-phone"
                        name="phone"
                        type="tel"
                        prop:value=move || editing.get().map(|e| e.phone).unwrap_or_default()
                    />
                </div>
                <div class="span-2">
                    <label for="emp-pos">{l.t("Jabatan", "Position")}</label>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let positions = structure.await.map(|(_, p)| p).unwrap_or_default();
                            view! {
                                <select
                                    id="emp-pos"
                                    name="position_id"
                                    prop:value=move || {
                                        editing
                                            .get()
                                            .and_then(|e| e.position_id)
                                            .unwrap_or_default()
                                    }
                                >
                                    <option value="">
                                        {l.t("— belum ditempatkan —", "— not placed —")}
                                    </option>
                                    {positions
                                        .into_iter()
                                        .map(|p| {
                                            view! {
                                                <option value=p.id.clone()>{p.title.clone()}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            }
                        })}
                    </Suspense>
                </div>
                <div class="span-2 buttons">
                    <button type="submit" class="btn btn-primary">
                        {l.t("Simpan pegawai", "Save employee")}
                    </button>
                    {move || {
                        editing
                            .get()
                            .is_some()
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="btn"
                                        on:click=move |_| editing.set(None)
                                    >
                                        {l.t("Batal", "Cancel")}
                                    </button>
                                }
                            })
                    }}
                </div>
            </ActionForm>
            {move || match save.value().get() {
                Some(Ok(Some(temp))) => {
                    view! {
                        <p class="alert alert-ok" role="status">
                            {l
                                .t(
                                    "Pegawai ditambahkan. Kata sandi sementara: ",
                                    "Employee added. Temporary password: ",
                                )}
                            <code class="temp-password">{temp}</code>
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(None)) => {
                    view! {
                        <p class="alert alert-ok" role="status">
                            {l.t("Data pegawai disimpan.", "Employee saved.")}
                        </p>
                    }
                        .into_any()
                }
                Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn ActingSection(opd_id: String) -> impl IntoView {
    let l = lang();
    let create = ServerAction::<CreateActing>::new();
    let end = ServerAction::<EndActing>::new();
    let oid = opd_id.clone();
    let list = Resource::new(
        move || (create.version().get(), end.version().get()),
        move |_| list_acting(oid.clone()),
    );
    let oid2 = opd_id.clone();
    let structure = Resource::new(|| (), move |_| admin_structure(oid2.clone()));
    let oid3 = opd_id.clone();
    view! {
        <section class="card" aria-labelledby="h-plt">
            <h2 id="h-plt">
                {l
                    .t(
                        "Pelaksana Tugas (Plt) dan Pelaksana Harian (Plh)",
                        "Acting officials (Plt / Plh)",
                    )}
            </h2>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || {
                    let oid = oid3.clone();
                    Suspend::new(async move {
                        match list.await {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(v) if v.is_empty() => {
                                view! {
                                    <p class="muted">
                                        {l
                                            .t(
                                                "Tidak ada Plt/Plh yang berlaku.",
                                                "No acting officials in force.",
                                            )}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(v) => {
                                let positions = structure.await.map(|(_, p)| p).unwrap_or_default();
                                view! {
                                    <div class="table-wrap">
                                        <table>
                                            <thead>
                                                <tr>
                                                    <th>{l.t("Jabatan", "Position")}</th>
                                                    <th>{l.t("Pelaksana", "Acting")}</th>
                                                    <th>{l.t("Periode", "Period")}</th>
                                                    <th>
                                                        <span class="sr-only">{l.t("Tindakan", "Actions")}</span>
                                                    </th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {v
                                                    .into_iter()
                                                    .map(|a| {
                                                        let title = positions
                                                            .iter()
                                                            .find(|p| p.id == a.position_id)
                                                            .map(|p| p.title.clone())
                                                            .unwrap_or_default();
                                                        let prefix = a.kind.prefix();
                                                        let oid = oid.clone();
                                                        view! {
                                                            <tr>
                                                                <td>{format!("{prefix} {title}")}</td>
                                                                <td>{a.employee_name.clone()}</td>
                                                                <td>
                                                                    {format!(
                                                                        "{} – {}",
                                                                        domain::time::long_date(a.start_day, l),
                                                                        domain::time::long_date(a.end_day, l),
                                                                    )}
                                                                </td>
                                                                <td>
                                                                    <ActionForm action=end>
                                                                        <input type="hidden" name="opd_id" value=oid.clone() />
                                                                        <input type="hidden" name="id" value=a.id.clone() />
                                                                        <button type="submit" class="btn-link danger">
                                                                            {l.t("Akhiri", "End")}
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
                                }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
            <ActionResult value=end.value() ok=l.t("Penunjukan diakhiri.", "Appointment ended.") />
            <h3>{l.t("Tunjuk Plt / Plh", "Appoint an acting official")}</h3>
            <ActionForm action=create attr:class="form grid-2">
                <input type="hidden" name="opd_id" value=opd_id.clone() />
                <div>
                    <label for="act-pos">{l.t("Jabatan yang dilaksanakan", "Position")}</label>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let positions = structure.await.map(|(_, p)| p).unwrap_or_default();
                            view! {
                                <select id="act-pos" name="position_id">
                                    {positions
                                        .into_iter()
                                        .filter(|p| p.level.is_head())
                                        .map(|p| {
                                            view! {
                                                <option value=p.id.clone()>{p.title.clone()}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            }
                        })}
                    </Suspense>
                </div>
                <div>
                    <label for="act-nip">
                        {l.t("NIP pelaksana", "NIP of the acting official")}
                    </label>
                    <input id="act-nip" name="nip" inputmode="numeric" required />
                </div>
                <div>
                    <label for="act-kind">{l.t("Jenis", "Kind")}</label>
                    <select id="act-kind" name="kind">
                        <option value="plh">"Plh"</option>
                        <option value="plt">"Plt"</option>
                    </select>
                </div>
                <div>
                    <label for="act-note">{l.t("Dasar / keterangan", "Basis / note")}</label>
                    <input id="act-note" name="note" />
                </div>
                <div>
                    <label for="act-start">{l.t("Mulai", "Start")}</label>
                    <input id="act-start" name="start" type="date" required />
                </div>
                <div>
                    <label for="act-end">{l.t("Selesai", "End")}</label>
                    <input id="act-end" name="end" type="date" required />
                </div>
                <div class="span-2 buttons">
                    <button type="submit" class="btn btn-primary">
                        {l.t("Tunjuk", "Appoint")}
                    </button>
                </div>
            </ActionForm>
            <ActionResult
                value=create.value()
                ok=l.t("Plt/Plh ditunjuk.", "Acting official appointed.")
            />
        </section>
    }
}

#[component]
fn ImportSection(opd_id: String) -> impl IntoView {
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
            use wasm_bindgen::JsCast;
            let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
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
                    match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                        Ok(buf) => {
                            use base64::Engine;
                            let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                            file_b64
                                .set(Some(base64::engine::general_purpose::STANDARD.encode(bytes)));
                        }
                        Err(_) => read_error.set(Some(
                            l.t("Berkas tidak dapat dibaca.", "The file could not be read.").into(),
                        )),
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
                    <div class="table-wrap">
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
                    <div class="table-wrap">
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
