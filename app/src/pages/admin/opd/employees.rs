//! The employees of the OPD: list, search, create, edit, deactivate, reset password, unlock.

use super::*;

#[component]
pub(super) fn Employees(opd_id: String) -> impl IntoView {
    let l = lang();
    let save = ServerAction::<SaveEmployee>::new();
    let active = ServerAction::<SetEmployeeActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let unlock = ServerAction::<UnlockAccount>::new();
    let reset_2fa = ServerAction::<ResetSecondFactor>::new();
    let me = expect_context::<crate::app::UserCtx>().0;
    let is_pemda_admin = Signal::derive(move || {
        me.get().and_then(|r| r.ok()).flatten().is_some_and(|u| u.caps.is_admin_pemda())
    });
    let my_id = Signal::derive(move || {
        me.get().and_then(|r| r.ok()).flatten().map(|u| u.employee_id).unwrap_or_default()
    });
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
                            <div class="table-wrap" tabindex="0">
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
                                                let (id_2fa, name_2fa) = (e.id.clone(), e.name.clone());
                                                let roles = r
                                                    .roles
                                                    .iter()
                                                    .map(|&r| super::super::role_label(r, l))
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
                                                            {
                                                                let (id, name) = (id_2fa, name_2fa);
                                                                move || {
                                                                    (is_pemda_admin.get() && my_id.get() != id)
                                                                        .then(|| {
                                                                            let (id, name) = (id.clone(), name.clone());
                                                                            view! {
                                                                                <ActionForm action=reset_2fa>
                                                                                    <input type="hidden" name="id" value=id />
                                                                                    <button
                                                                                        type="submit"
                                                                                        class="btn-link"
                                                                                        aria-label=format!(
                                                                                            "{} {}",
                                                                                            l
                                                                                                .t(
                                                                                                    "Reset verifikasi dua langkah",
                                                                                                    "Reset two-step verification",
                                                                                                ),
                                                                                            name,
                                                                                        )
                                                                                    >
                                                                                        {l.t("Reset 2 langkah", "Reset 2-step")}
                                                                                    </button>
                                                                                </ActionForm>
                                                                            }
                                                                        })
                                                                }
                                                            }
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
                                    = pages
                                    on:click=move |_| page.update(|p| *p += 1)
                                    >
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
                value=reset_2fa.value()
                ok=l
                    .t(
                        "Verifikasi dua langkah direset; sesi pegawai diakhiri dan ia diberi tahu. Ia menyiapkannya lagi saat masuk.",
                        "Two-step verification reset; the employee's sessions ended and they were told. They set it up again at login.",
                    )
            />
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
                            let positions = structure.await.map(|(_, _, p)| p).unwrap_or_default();
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
