//! Administration home: OPDs, admins and role grants.

pub mod audit;
pub mod backup;
pub mod letters;
pub mod opd;
pub mod tte;

use crate::api::admin::opds::{GrantRole, RevokeRole, SaveOpd, role_holders};
use crate::api::org::list_opds;
use crate::app::{UserCtx, lang};
use crate::components::{ActionResult, ErrorBox, Loading};
use domain::Code;
use domain::Lang;
use domain::model::{Opd, SessionUser};
use domain::roles::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The head of an Admin Pemda page: its title, the way back, and the refusal for anyone else.
#[component]
pub fn PemdaAdminHead(title: (&'static str, &'static str)) -> impl IntoView {
    let l = lang();
    let user = expect_context::<crate::app::UserCtx>().0;
    view! {
        <Title text=l.t(title.0, title.1) />
        <p>
            <A href="/admin">{l.t("← Administrasi", "← Administration")}</A>
        </p>
        <h1>{l.t(title.0, title.1)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if !u.caps.is_admin_pemda() => view! { <NoAccess /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// Shown to someone who reaches an admin page without the right; also sets 403 on the server.
#[component]
pub fn NoAccess() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::FORBIDDEN);
    }
    let l = lang();
    view! {
        <div class="alert alert-error" role="alert">
            <p>
                <strong>{l.t("Akses ditolak.", "Access denied.")}</strong>
            </p>
            <p>
                {l
                    .t(
                        "Halaman ini hanya untuk Admin OPD atau Admin Pemda.",
                        "This page is for agency or regency admins only.",
                    )}
            </p>
        </div>
    }
}

pub fn role_label(role: Role, l: Lang) -> &'static str {
    l.t(role.label_id(), role.label_en())
}

#[component]
pub fn AdminHome() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    // Created here, outside any Suspend, so the server and the browser create them in the same order.
    let save_opd = ServerAction::<SaveOpd>::new();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let opds = Resource::new(move || save_opd.version().get(), |_| list_opds());
    let holders =
        Resource::new(move || (grant.version().get(), revoke.version().get()), |_| role_holders());
    let survey = crate::pages::survey::survey_results_resource();
    let backups = backup::backup_resource();
    let data = AdminData { save_opd, grant, revoke, opds, holders, survey, backups };
    view! {
        <Title text=l.t("Administrasi", "Administration") />
        <h1>{l.t("Administrasi", "Administration")}</h1>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                let Ok(Some(u)) = user.await else { return ().into_any() };
                if !u.caps.is_admin_pemda() && u.caps.admin_opd_ids().is_empty() {
                    return view! { <NoAccess /> }.into_any();
                }
                view! { <AdminBody user=u data=data /> }.into_any()
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct AdminData {
    save_opd: ServerAction<SaveOpd>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    opds: Resource<Result<Vec<Opd>, crate::error::AppError>>,
    holders: Resource<Result<Vec<crate::api::admin::RoleHolder>, crate::error::AppError>>,
    survey: crate::pages::survey::SurveyResultsResource,
    backups: backup::BackupResource,
}

#[component]
fn AdminBody(user: SessionUser, data: AdminData) -> impl IntoView {
    let l = lang();
    let is_pemda = user.caps.is_admin_pemda();
    let mine = user.caps.admin_opd_ids();
    let AdminData { save_opd, grant, revoke, opds, holders, survey, backups } = data;
    let editing = RwSignal::new(None::<Opd>);
    view! {
        <section class="card" aria-labelledby="h-opd">
            <h2 id="h-opd">{l.t("Perangkat Daerah (OPD)", "Agencies (OPD)")}</h2>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || {
                    let mine = mine.clone();
                    Suspend::new(async move {
                        match opds.await {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(list) => {
                                let list: Vec<Opd> = list
                                    .into_iter()
                                    .filter(|o| is_pemda || mine.contains(&o.id))
                                    .collect();
                                view! {
                                    <div class="table-wrap" tabindex="0">
                                        <table>
                                            <caption class="sr-only">
                                                {l.t("Daftar OPD", "Agency list")}
                                            </caption>
                                            <thead>
                                                <tr>
                                                    <th>{l.t("Nama", "Name")}</th>
                                                    <th>{l.t("Kode", "Code")}</th>
                                                    <th>{l.t("Status", "Status")}</th>
                                                    <th>
                                                        <span class="sr-only">{l.t("Tindakan", "Actions")}</span>
                                                    </th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list
                                                    .into_iter()
                                                    .map(|o| {
                                                        let href = format!("/admin/opd/{}", o.id);
                                                        let o2 = o.clone();
                                                        view! {
                                                            <tr>
                                                                <td>{o.name.clone()}</td>
                                                                <td>{o.code.clone()}</td>
                                                                <td>
                                                                    {if o.active {
                                                                        l.t("Aktif", "Active")
                                                                    } else {
                                                                        l.t("Nonaktif", "Inactive")
                                                                    }}
                                                                </td>
                                                                <td class="actions">
                                                                    <A href=href>
                                                                        {format!("{} {}", l.t("Kelola", "Manage"), o.short_name)}
                                                                    </A>
                                                                    {is_pemda
                                                                        .then(|| {
                                                                            view! {
                                                                                <button
                                                                                    class="btn-link"
                                                                                    on:click=move |_| editing.set(Some(o2.clone()))
                                                                                >
                                                                                    {l.t("Ubah", "Edit")}
                                                                                </button>
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
                                }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
            {is_pemda.then(|| view! { <OpdForm action=save_opd editing=editing /> })}
        </section>
        <section class="card" aria-labelledby="h-peran">
            <h2 id="h-peran">{l.t("Admin dan peran", "Admins and roles")}</h2>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match holders.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="muted">
                                    {l
                                        .t(
                                            "Belum ada peran yang diberikan.",
                                            "No roles granted yet.",
                                        )}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-wrap" tabindex="0">
                                    <table>
                                        <thead>
                                            <tr>
                                                <th>{l.t("Pegawai", "Employee")}</th>
                                                <th>{l.t("Peran", "Role")}</th>
                                                <th>{l.t("Lingkup", "Scope")}</th>
                                                <th>
                                                    <span class="sr-only">{l.t("Tindakan", "Actions")}</span>
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list
                                                .into_iter()
                                                .map(|h| {
                                                    view! {
                                                        <tr>
                                                            <td>
                                                                {h.person.name.clone()}<br />
                                                                <span class="nip">{h.person.nip.clone()}</span>
                                                            </td>
                                                            <td>{role_label(h.role, l)}</td>
                                                            <td>{h.scope_name.clone()}</td>
                                                            <td>
                                                                <ActionForm action=revoke>
                                                                    <input
                                                                        type="hidden"
                                                                        name="employee_id"
                                                                        value=h.person.id.clone()
                                                                    />
                                                                    <input type="hidden" name="role" value=h.role.code() />
                                                                    <input
                                                                        type="hidden"
                                                                        name="scope_id"
                                                                        value=h.scope_id.clone()
                                                                    />
                                                                    <button type="submit" class="btn-link danger">
                                                                        {l.t("Cabut", "Revoke")}
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
                })}
            </Suspense>
            <ActionResult value=revoke.value() ok=l.t("Peran dicabut.", "Role revoked.") />
            <h3>{l.t("Beri peran", "Grant a role")}</h3>
            <ActionForm action=grant attr:class="form form-inline">
                <label for="grant-nip">"NIP"</label>
                <input id="grant-nip" name="nip" inputmode="numeric" required />
                <label for="grant-role">{l.t("Peran", "Role")}</label>
                <select id="grant-role" name="role">
                    <option value=Role::Tu.code()>{role_label(Role::Tu, l)}</option>
                    {is_pemda
                        .then(|| {
                            view! {
                                <option value=Role::AdminOpd
                                    .code()>{role_label(Role::AdminOpd, l)}</option>
                                <option value=Role::AdminPemda
                                    .code()>{role_label(Role::AdminPemda, l)}</option>
                                <option value=Role::PimpinanDaerah
                                    .code()>{role_label(Role::PimpinanDaerah, l)}</option>
                            }
                        })}
                </select>
                <button type="submit" class="btn btn-primary">
                    {l.t("Beri peran", "Grant")}
                </button>
            </ActionForm>
            <p class="muted small">
                {l
                    .t(
                        "Peran Admin OPD dan TU berlaku untuk OPD tempat pegawai tersebut bekerja.",
                        "Agency admin and clerk roles apply to the employee's own agency.",
                    )}
            </p>
            <ActionResult value=grant.value() ok=l.t("Peran diberikan.", "Role granted.") />
        </section>
        {is_pemda
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{l.t("Log audit", "Audit log")}</h2>
                        <p>
                            <A href="/admin/audit">
                                {l
                                    .t(
                                        "Lihat log audit dan periksa keutuhan rantainya",
                                        "View the audit log and check its chain",
                                    )}
                            </A>
                        </p>
                        <p>
                            <A href="/admin/tte">
                                {l
                                    .t(
                                        "Sertifikat tanda tangan elektronik: terbitkan, cabut, daftar pencabutan",
                                        "Electronic signing certificates: issue, revoke, revocation list",
                                    )}
                            </A>
                        </p>
                        <p>
                            <A href="/admin/naskah">
                                {l
                                    .t(
                                        "Pengaturan naskah dinas: format nomor, alur pengembalian, klasifikasi arsip",
                                        "Letter settings: number format, return flow, archive classification",
                                    )}
                            </A>
                        </p>
                    </section>
                    <backup::BackupCard status=backups />
                    <crate::pages::survey::SurveyResultsCard results=survey />
                }
            })}
    }
}

#[component]
fn OpdForm(action: ServerAction<SaveOpd>, editing: RwSignal<Option<Opd>>) -> impl IntoView {
    let l = lang();
    let val = move |f: fn(&Opd) -> String| move || editing.get().map(|o| f(&o)).unwrap_or_default();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            editing.set(None);
        }
    });
    view! {
        <h3>
            {move || {
                if editing.get().is_some() {
                    l.t("Ubah OPD", "Edit agency")
                } else {
                    l.t("Tambah OPD", "Add agency")
                }
            }}
        </h3>
        <ActionForm action=action attr:class="form grid-2">
            <input type="hidden" name="id" prop:value=val(|o| o.id.clone()) />
            <div>
                <label for="opd-name">{l.t("Nama OPD", "Agency name")}</label>
                <input id="opd-name" name="opd[name]" required prop:value=val(|o| o.name.clone()) />
            </div>
            <div>
                <label for="opd-short">{l.t("Singkatan", "Short name")}</label>
                <input
                    id="opd-short"
                    name="opd[short_name]"
                    required
                    prop:value=val(|o| o.short_name.clone())
                />
            </div>
            <div>
                <label for="opd-code">
                    {l.t("Kode unit (nomor surat)", "Unit code (letter numbers)")}
                </label>
                <input id="opd-code" name="opd[code]" required prop:value=val(|o| o.code.clone()) />
            </div>
            <div>
                <label for="opd-phone">{l.t("Telepon", "Phone")}</label>
                <input id="opd-phone" name="opd[phone]" prop:value=val(|o| o.phone.clone()) />
            </div>
            <div>
                <label for="opd-email">"Email"</label>
                <input
                    id="opd-email"
                    name="opd[email]"
                    type="email"
                    prop:value=val(|o| o.email.clone())
                />
            </div>
            <div>
                <label for="opd-web">{l.t("Situs web", "Website")}</label>
                <input id="opd-web" name="opd[website]" prop:value=val(|o| o.website.clone()) />
            </div>
            <div class="span-2">
                <label for="opd-addr">{l.t("Alamat (kop surat)", "Address (letterhead)")}</label>
                <input id="opd-addr" name="opd[address]" prop:value=val(|o| o.address.clone()) />
            </div>
            {move || {
                editing
                    .get()
                    .map(|o| {
                        view! {
                            <label class="check span-2">
                                <input type="checkbox" name="active" value="1" checked=o.active />
                                {l.t("OPD aktif", "Agency active")}
                            </label>
                        }
                    })
            }}
            <div class="span-2 buttons">
                <button type="submit" class="btn btn-primary">
                    {l.t("Simpan OPD", "Save agency")}
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
        <ActionResult value=action.value() ok=l.t("OPD disimpan.", "Agency saved.") />
    }
}
