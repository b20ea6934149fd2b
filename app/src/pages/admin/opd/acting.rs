//! Acting officials (Plt / Plh) of the OPD.

use super::*;

#[component]
pub(super) fn ActingSection(opd_id: String) -> impl IntoView {
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
                                let positions = structure
                                    .await
                                    .map(|(_, _, p)| p)
                                    .unwrap_or_default();
                                view! {
                                    <div class="table-wrap" tabindex="0">
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
                            let positions = structure.await.map(|(_, _, p)| p).unwrap_or_default();
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
