//! Units and positions of the OPD, and the logo printed in its kop surat.

use super::*;

/// The logo printed in the kop surat of every letter of this OPD.
#[component]
pub(super) fn KopLogo(opd_id: String) -> impl IntoView {
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
            use crate::components::files::{read_base64, take_picked_file};
            let Some(file) = take_picked_file(&ev) else { return };
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
                let res = match read_base64(&file, l).await {
                    Ok(data) => crate::api::admin::opds::set_opd_logo(oid_up.get_value(), data)
                        .await
                        .map_err(|e| e.message),
                    Err(m) => Err(m),
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

#[component]
pub(super) fn Structure(opd_id: String) -> impl IntoView {
    let l = lang();
    let save_unit = ServerAction::<SaveUnit>::new();
    let del_unit = ServerAction::<DeleteUnit>::new();
    let save_pos = ServerAction::<SavePosition>::new();
    let del_pos = ServerAction::<DeletePosition>::new();
    let set_leader = ServerAction::<SetOpdLeader>::new();
    let user = expect_context::<UserCtx>().0;
    let oid = opd_id.clone();
    let data = Resource::new(
        move || {
            (
                save_unit.version().get(),
                del_unit.version().get(),
                save_pos.version().get(),
                del_pos.version().get(),
                set_leader.version().get(),
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
                    let (opd, units, positions) = match data.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                    };
                    let is_pemda_admin = matches!(
                        user.await,
                        Ok(Some(ref u))
                        if u.caps.is_admin_pemda()
                    );
                    let slot_of = move |p: &Position| {
                        if opd.head_position_id.as_deref() == Some(p.id.as_str()) {
                            Some(LeaderSlot::Head)
                        } else if opd.secretary_position_id.as_deref() == Some(p.id.as_str()) {
                            Some(LeaderSlot::Secretary)
                        } else {
                            None
                        }
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
                            <div class="table-wrap" tabindex="0">
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
                                    <div class="table-wrap" tabindex="0">
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
                                                        let holds = slot_of(&p);
                                                        let can_take = LeaderSlot::for_level(p.level)
                                                            .filter(|_| is_pemda_admin && holds.is_none());
                                                        let oid_l = oid.clone();
                                                        let pid_l = p.id.clone();
                                                        let title_l = p.title.clone();
                                                        // A level-1 or level-2 position the Admin Pemda may make the head or Sekretaris.
                                                        view! {
                                                            <tr>
                                                                <td>
                                                                    {p.title.clone()}
                                                                    {holds
                                                                        .map(|s| {
                                                                            view! {
                                                                                " "
                                                                                <span class="badge">{leader_label(s, l)}</span>
                                                                            }
                                                                        })}
                                                                </td>
                                                                <td>{unit_name(&p.unit_id)}</td>
                                                                <td>{level_label(p.level, l)}</td>
                                                                <td class="actions">
                                                                    <button
                                                                        class="btn-link"
                                                                        on:click=move |_| edit_pos.set(Some(p2.clone()))
                                                                    >
                                                                        {l.t("Ubah", "Edit")}
                                                                    </button>
                                                                    {can_take
                                                                        .map(|s| {
                                                                            view! {
                                                                                <ActionForm action=set_leader>
                                                                                    <input type="hidden" name="opd_id" value=oid_l />
                                                                                    <input type="hidden" name="position_id" value=pid_l />
                                                                                    <input type="hidden" name="slot" value=s.code() />
                                                                                    <button
                                                                                        type="submit"
                                                                                        class="btn-link"
                                                                                        aria-label=format!(
                                                                                            "{} {}: {}",
                                                                                            l.t("Jadikan", "Make"),
                                                                                            leader_label(s, l),
                                                                                            title_l,
                                                                                        )
                                                                                    >
                                                                                        {format!(
                                                                                            "{} {}",
                                                                                            l.t("Jadikan", "Make"),
                                                                                            leader_label(s, l),
                                                                                        )}
                                                                                    </button>
                                                                                </ActionForm>
                                                                            }
                                                                        })}
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
                            <ActionResult
                                value=set_leader.value()
                                ok=l
                                    .t(
                                        "Pimpinan OPD ditetapkan dan dicatat di log audit.",
                                        "Agency leader set and recorded in the audit log.",
                                    )
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
