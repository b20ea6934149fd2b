//! Sertifikat TTE (Admin Pemda): the installation's certificate authority, authorising signing
//! certificates for officials, revoking them with a reason, and issuing them again.

use super::PemdaAdminHead;
use crate::api::letters::search_directory;
use crate::api::security::get_second_factor_status;
use crate::api::tte::{
    EnrolTte, RevokeTte, SetSecondFactorPolicy, get_pki_status, list_tte_certificates,
};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, LinkPager, Loading};
use domain::Code;
use domain::tte::{CertStatus, RevocationReason};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TteAdminPage() -> impl IntoView {
    let l = lang();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page =
        move || query.read().get("hal").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let enrol = ServerAction::<EnrolTte>::new();
    let revoke = ServerAction::<RevokeTte>::new();
    let status = Resource::new(|| (), |_| get_pki_status());
    let certs = Resource::new(
        move || (q(), page(), enrol.version().get(), revoke.version().get()),
        |(q, p, _, _)| list_tte_certificates(q, p),
    );
    let search = RwSignal::new(String::new());
    let found = Resource::new(
        move || search.get(),
        |s| async move {
            if s.trim().chars().count() < 2 { Ok(vec![]) } else { search_directory(s).await }
        },
    );
    let validity = RwSignal::new("730".to_string());
    view! {
        <PemdaAdminHead title=(
            "Sertifikat Tanda Tangan Elektronik",
            "Electronic signing certificates",
        ) />
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match status.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(s) if !s.initialised => {
                        view! {
                            <p class="alert alert-error" role="alert">
                                {l
                                    .t(
                                        "Otoritas sertifikat instalasi ini belum dibuat. Jalankan `eoffice pki init` di server, lalu muat ulang halaman ini.",
                                        "This installation's certificate authority does not exist yet. Run `eoffice pki init` on the server, then reload.",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(s) => {
                        view! {
                            <section class="card" aria-labelledby="h-ca">
                                <h2 id="h-ca">
                                    {l.t("Otoritas sertifikat", "Certificate authority")}
                                </h2>
                                <dl class="facts">
                                    <dt>{l.t("CA akar", "Root CA")}</dt>
                                    <dd>{s.root_subject.clone()}</dd>
                                    <dt>{l.t("CA penerbit", "Issuing CA")}</dt>
                                    <dd>{s.issuing_subject.clone()}</dd>
                                    {s
                                        .issuing_not_after_ms
                                        .map(|ms| {
                                            view! {
                                                <dt>{l.t("Berlaku sampai", "Valid until")}</dt>
                                                <dd>{domain::time::long_datetime(ms, l)}</dd>
                                            }
                                        })}
                                    <dt>
                                        {l.t("Daftar pencabutan (CRL)", "Revocation list (CRL)")}
                                    </dt>
                                    <dd>
                                        <a href=s.crl_url.clone() rel="external">
                                            {s.crl_url.clone()}
                                        </a>
                                    </dd>
                                    <dt>{l.t("Sertifikat akar", "Root certificate")}</dt>
                                    <dd>
                                        <a href=s.root_url.clone() rel="external">
                                            {s.root_url.clone()}
                                        </a>
                                    </dd>
                                </dl>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>

        <SecondFactorPolicy />
        <section class="card" aria-labelledby="h-terbit">
            <h2 id="h-terbit">{l.t("Terbitkan sertifikat", "Issue a certificate")}</h2>
            <p class="muted small">
                {l
                    .t(
                        "Pejabat yang dipilih lalu membuat passphrase sendiri di menu Profil → Sertifikat TTE; kuncinya dibuat saat itu dan hanya terbuka dengan passphrase tersebut.",
                        "The chosen official then sets their own passphrase under Profile → Signing certificate; the key is made then and opens only with that passphrase.",
                    )}
            </p>
            <div class="form grid-2">
                <div>
                    <label for="enrol-q">
                        {l.t("Cari pegawai (nama atau NIP)", "Find an employee (name or NIP)")}
                    </label>
                    <input
                        id="enrol-q"
                        type="search"
                        maxlength="100"
                        autocomplete="off"
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev))
                    />
                </div>
                <div>
                    <label for="enrol-days">{l.t("Masa berlaku", "Validity")}</label>
                    <select
                        id="enrol-days"
                        on:change=move |ev| validity.set(event_target_value(&ev))
                    >
                        <option value="365">{l.t("1 tahun", "1 year")}</option>
                        <option value="730" selected>
                            {l.t("2 tahun", "2 years")}
                        </option>
                    </select>
                </div>
            </div>
            <ActionResult
                value=enrol.value()
                ok=l
                    .t(
                        "Sertifikat disetujui; menunggu pejabat membuat passphrase.",
                        "Certificate approved; waiting for the official's passphrase.",
                    )
            />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) => {
                            let people: Vec<_> = list
                                .into_iter()
                                .filter(|d| d.target_type == domain::letter::TargetType::Employee)
                                .collect();
                            if people.is_empty() {
                                return if search.get_untracked().trim().chars().count() >= 2 {
                                    view! {
                                        <p class="muted" role="status">
                                            {l
                                                .t(
                                                    "Tidak ada pegawai yang cocok.",
                                                    "No matching employee.",
                                                )}
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    ().into_any()
                                };
                            }
                            view! {
                                <ul class="plain pick-list">
                                    {people
                                        .into_iter()
                                        .map(|p| {
                                            view! {
                                                <li>
                                                    <ActionForm action=enrol attr:class="form-inline">
                                                        <input
                                                            type="hidden"
                                                            name="employee_id"
                                                            value=p.target_id.clone()
                                                        />
                                                        <input
                                                            type="hidden"
                                                            name="validity_days"
                                                            prop:value=move || validity.get()
                                                        />
                                                        <span>
                                                            <strong>{p.name.clone()}</strong>
                                                            " "
                                                            <span class="muted small">{p.detail.clone()}</span>
                                                        </span>
                                                        <button
                                                            type="submit"
                                                            class="btn"
                                                            disabled=move || enrol.pending().get()
                                                            aria-label=format!(
                                                                "{} {}",
                                                                l
                                                                    .t("Terbitkan sertifikat untuk", "Issue a certificate for"),
                                                                p.name,
                                                            )
                                                        >
                                                            {l.t("Terbitkan", "Issue")}
                                                        </button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>

        <section class="card" aria-labelledby="h-daftar">
            <h2 id="h-daftar">{l.t("Daftar sertifikat", "Certificates")}</h2>
            <Form method="GET" action="/admin/tte" attr:class="form-inline">
                <label for="cert-q">{l.t("Cari nama atau NIP", "Search name or NIP")}</label>
                <input id="cert-q" type="search" name="q" maxlength="100" prop:value=q />
                <button type="submit" class="btn">
                    {l.t("Cari", "Search")}
                </button>
            </Form>
            <ActionResult
                value=revoke.value()
                ok=l
                    .t(
                        "Sertifikat dicabut. Daftar pencabutan (CRL) sudah diperbarui.",
                        "Certificate revoked. The revocation list was updated.",
                    )
            />
            <Transition fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match certs.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(p) if p.items.is_empty() => {
                            view! {
                                <p class="empty" role="status">
                                    {l.t("Belum ada sertifikat.", "No certificates yet.")}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(p) => {
                            let pages = (p.total + 49) / 50;
                            let qq = q();
                            view! {
                                <ul class="cert-list">
                                    {p
                                        .items
                                        .into_iter()
                                        .map(|c| {
                                            let live = matches!(
                                                c.status,
                                                CertStatus::Aktif | CertStatus::MenungguPassphrase
                                            );
                                            let sel_id = format!("reason-{}", c.id);
                                            view! {
                                                <li class="card-row">
                                                    <div>
                                                        <strong>{c.employee_name.clone()}</strong>
                                                        " "
                                                        <span class=match c.status {
                                                            CertStatus::Aktif => "badge badge-ok",
                                                            CertStatus::MenungguPassphrase => "badge badge-warn",
                                                            _ => "badge badge-danger",
                                                        }>{c.status.label()}</span>
                                                        <br />
                                                        <span class="muted small">
                                                            {format!("{} · {} · {}", c.nip, c.position, c.opd_name)}
                                                        </span>
                                                        <br />
                                                        <span class="small">
                                                            {match (c.revoked_ms, c.not_after_ms) {
                                                                (Some(ms), _) => {
                                                                    format!(
                                                                        "{} {}{}",
                                                                        l.t("Dicabut", "Revoked"),
                                                                        domain::time::long_datetime(ms, l),
                                                                        c
                                                                            .revoked_reason
                                                                            .map(|r| format!(" — {}", r.label()))
                                                                            .unwrap_or_default(),
                                                                    )
                                                                }
                                                                (None, Some(ms)) => {
                                                                    format!(
                                                                        "{} {}",
                                                                        l.t("Berlaku sampai", "Valid until"),
                                                                        domain::time::long_datetime(ms, l),
                                                                    )
                                                                }
                                                                (None, None) => {
                                                                    l.t(
                                                                            "Menunggu pejabat membuat passphrase",
                                                                            "Waiting for the official's passphrase",
                                                                        )
                                                                        .to_string()
                                                                }
                                                            }}
                                                        </span>
                                                    </div>
                                                    {if live {
                                                        view! {
                                                            <ActionForm action=revoke attr:class="form-inline">
                                                                <input type="hidden" name="cert_id" value=c.id.clone() />
                                                                <label for=sel_id.clone() class="sr-only">
                                                                    {format!(
                                                                        "{} {}",
                                                                        l.t("Alasan pencabutan untuk", "Reason for revoking"),
                                                                        c.employee_name,
                                                                    )}
                                                                </label>
                                                                <select id=sel_id name="reason" required>
                                                                    <option value="">
                                                                        {l.t("Alasan pencabutan…", "Reason for revoking…")}
                                                                    </option>
                                                                    {RevocationReason::all()
                                                                        .iter()
                                                                        .copied()
                                                                        .map(|r| {
                                                                            view! { <option value=r.code()>{r.label()}</option> }
                                                                        })
                                                                        .collect_view()}
                                                                </select>
                                                                <button
                                                                    type="submit"
                                                                    class="btn danger"
                                                                    disabled=move || revoke.pending().get()
                                                                >
                                                                    {l.t("Cabut", "Revoke")}
                                                                </button>
                                                            </ActionForm>
                                                        }
                                                            .into_any()
                                                    } else {
                                                        view! {
                                                            <ActionForm action=enrol attr:class="form-inline">
                                                                <input
                                                                    type="hidden"
                                                                    name="employee_id"
                                                                    value=c.employee_id.clone()
                                                                />
                                                                <input
                                                                    type="hidden"
                                                                    name="validity_days"
                                                                    prop:value=move || validity.get()
                                                                />
                                                                <button
                                                                    type="submit"
                                                                    class="btn"
                                                                    disabled=move || enrol.pending().get()
                                                                    aria-label=format!(
                                                                        "{} {}",
                                                                        l.t("Terbitkan ulang untuk", "Issue again for"),
                                                                        c.employee_name,
                                                                    )
                                                                >
                                                                    {l.t("Terbitkan ulang", "Issue again")}
                                                                </button>
                                                            </ActionForm>
                                                        }
                                                            .into_any()
                                                    }}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <LinkPager
                                    page=p.page
                                    pages
                                    href=move |n| {
                                        format!(
                                            "/admin/tte?q={}&hal={n}",
                                            crate::pages::letters::list::urlencode(&qq),
                                        )
                                    }
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The Pemda's rule for the second factor: required from a date, and the re-check before signing.
#[component]
fn SecondFactorPolicy() -> impl IntoView {
    let l = lang();
    let save = ServerAction::<SetSecondFactorPolicy>::new();
    let status = Resource::new(move || save.version().get(), |_| get_second_factor_status());
    view! {
        <section class="card" aria-labelledby="h-2fa-aturan">
            <h2 id="h-2fa-aturan">{l.t("Verifikasi dua langkah", "Two-step verification")}</h2>
            <p class="muted small">
                {l
                    .t(
                        "Wajib bagi Admin Pemda, Admin OPD, dan setiap pemegang sertifikat TTE. Sebelum tanggal wajib, Beranda mereka meminta untuk mengaktifkannya; sesudahnya mereka tidak dapat bekerja sebelum mengaktifkannya.",
                        "Required of Admin Pemda, Admin OPD and every signing-certificate holder. Before the date their Beranda asks them to set it up; after it they cannot work until they do.",
                    )}
            </p>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(st) => {
                            let due = domain::time::iso_date(domain::time::wib_day(st.due_ms));
                            view! {
                                <ActionForm action=save attr:class="form grid-2">
                                    <div>
                                        <label for="wajib-2fa">
                                            {l.t("Wajib mulai", "Required from")}
                                        </label>
                                        <input
                                            id="wajib-2fa"
                                            name="due"
                                            type="date"
                                            value=due
                                            required
                                        />
                                    </div>
                                    <div>
                                        <label for="ulang-2fa">
                                            {l
                                                .t(
                                                    "Minta kode lagi sebelum tanda tangan setelah (menit)",
                                                    "Ask for a code again before signing after (minutes)",
                                                )}
                                        </label>
                                        <input
                                            id="ulang-2fa"
                                            name="recheck_minutes"
                                            type="number"
                                            min="0"
                                            max="1440"
                                            value=st.recheck_minutes.to_string()
                                            required
                                        />
                                    </div>
                                    <button type="submit" class="btn btn-primary">
                                        {l.t("Simpan aturan", "Save rule")}
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <ActionResult
                value=save.value()
                ok=l
                    .t(
                        "Aturan verifikasi dua langkah disimpan.",
                        "Two-step verification rule saved.",
                    )
            />
        </section>
    }
}
