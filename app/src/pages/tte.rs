//! Sertifikat TTE Saya: the official's signing certificate, setting the passphrase on first use,
//! and changing it. A forgotten passphrase cannot be recovered: the certificate is revoked and
//! issued again, and the page says so before anyone needs it.

use crate::api::tte::{ActivateTte, ChangeTtePassphrase, my_certificate};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use domain::tte::{CertStatus, CertView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn MyCertificatePage() -> impl IntoView {
    let l = lang();
    let activate = ServerAction::<ActivateTte>::new();
    let change = ServerAction::<ChangeTtePassphrase>::new();
    let cert = Resource::new(move || activate.version().get(), |_| my_certificate());
    view! {
        <Title text=l.t("Sertifikat TTE", "Signing certificate") />
        <p>
            <A href="/profil">{l.t("← Profil", "← Profile")}</A>
        </p>
        <h1>{l.t("Sertifikat Tanda Tangan Elektronik", "Electronic signing certificate")}</h1>
        // Outside the certificate view: activation reloads it, and the message must stay.
        <ActionResult
            value=activate.value()
            ok=l
                .t(
                    "Sertifikat aktif. Anda sudah dapat menandatangani naskah.",
                    "Certificate active. You can sign letters now.",
                )
        />
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match cert.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(None) => {
                        view! {
                            <p class="empty" role="status">
                                {l
                                    .t(
                                        "Anda belum memiliki sertifikat elektronik. Hubungi Admin Pemda bila jabatan Anda menandatangani naskah dinas.",
                                        "You have no signing certificate. Ask the Admin Pemda if your position signs official letters.",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(Some(c)) => {
                        view! {
                            <CertCard c=c.clone() />
                            {match c.status {
                                CertStatus::MenungguPassphrase => {
                                    view! { <ActivateForm action=activate /> }.into_any()
                                }
                                CertStatus::Aktif => {
                                    view! { <ChangeForm action=change /> }.into_any()
                                }
                                _ => {
                                    view! {
                                        <p class="alert alert-info">
                                            {l
                                                .t(
                                                    "Sertifikat ini tidak dapat dipakai lagi. Minta Admin Pemda menerbitkan sertifikat baru.",
                                                    "This certificate can no longer be used. Ask the Admin Pemda for a new one.",
                                                )}
                                        </p>
                                    }
                                        .into_any()
                                }
                            }}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="h-lupa">
            <h2 id="h-lupa">{l.t("Lupa passphrase?", "Forgot your passphrase?")}</h2>
            <p>
                {l
                    .t(
                        "Passphrase hanya Anda yang tahu; server tidak menyimpannya dan tidak dapat memulihkannya. Bila lupa, Admin Pemda mencabut sertifikat Anda dan menerbitkan yang baru, lalu Anda membuat passphrase baru. Naskah yang sudah ditandatangani tetap sah.",
                        "Only you know the passphrase; the server neither keeps nor recovers it. If you forget it, the Admin Pemda revokes your certificate and issues a new one, and you choose a new passphrase. Letters already signed stay valid.",
                    )}
            </p>
        </section>
    }
}

#[component]
pub fn CertCard(c: CertView) -> impl IntoView {
    let l = lang();
    let badge = match c.status {
        CertStatus::Aktif => "badge badge-ok",
        CertStatus::MenungguPassphrase => "badge badge-warn",
        _ => "badge badge-danger",
    };
    view! {
        <section class="card" aria-labelledby="h-sert">
            <h2 id="h-sert">{l.t("Sertifikat", "Certificate")}</h2>
            <p>
                <span class=badge>{c.status.label()}</span>
            </p>
            <dl class="facts">
                <dt>{l.t("Nama", "Name")}</dt>
                <dd>{c.employee_name.clone()}</dd>
                <dt>"NIP"</dt>
                <dd>{c.nip.clone()}</dd>
                <dt>{l.t("Jabatan", "Position")}</dt>
                <dd>{c.position.clone()}</dd>
                <dt>"OPD"</dt>
                <dd>{c.opd_name.clone()}</dd>
                {(!c.serial_hex.is_empty())
                    .then(|| {
                        view! {
                            <dt>{l.t("Nomor seri", "Serial number")}</dt>
                            <dd class="mono small">{c.serial_hex.clone()}</dd>
                            <dt>{l.t("Penerbit", "Issuer")}</dt>
                            <dd>{c.issuer.clone()}</dd>
                        }
                    })}
                {c
                    .not_before_ms
                    .map(|ms| {
                        view! {
                            <dt>{l.t("Berlaku sejak", "Valid from")}</dt>
                            <dd>{domain::time::long_datetime(ms, l)}</dd>
                        }
                    })}
                {c
                    .not_after_ms
                    .map(|ms| {
                        view! {
                            <dt>{l.t("Berlaku sampai", "Valid until")}</dt>
                            <dd>{domain::time::long_datetime(ms, l)}</dd>
                        }
                    })}
                {c
                    .revoked_ms
                    .map(|ms| {
                        view! {
                            <dt>{l.t("Dicabut", "Revoked")}</dt>
                            <dd>
                                {domain::time::long_datetime(ms, l)}
                                {c.revoked_reason.map(|r| format!(" — {}", r.label()))}
                            </dd>
                        }
                    })}
            </dl>
        </section>
    }
}

const PASSPHRASE_RULE: (&str, &str) = (
    "Minimal 10 karakter. Gunakan kalimat yang mudah Anda ingat tetapi sulit ditebak orang lain; jangan memakai NIP atau kata sandi login.",
    "At least 10 characters. Use a phrase you remember easily but others cannot guess; not your NIP or login password.",
);

#[component]
fn ActivateForm(action: ServerAction<ActivateTte>) -> impl IntoView {
    let l = lang();
    let pending = action.pending();
    view! {
        <section class="card" aria-labelledby="h-aktif">
            <h2 id="h-aktif">{l.t("Buat passphrase", "Choose a passphrase")}</h2>
            <p>
                {l
                    .t(
                        "Sertifikat Anda sudah disetujui. Buat passphrase untuk mengaktifkannya: kunci tanda tangan Anda dibuat sekarang dan dikunci dengan passphrase ini. Passphrase diminta setiap kali Anda menandatangani.",
                        "Your certificate is approved. Choose a passphrase to activate it: your signing key is made now and locked with this passphrase. You enter it each time you sign.",
                    )}
            </p>
            <ActionForm action=action attr:class="form">
                <label for="tte-pass">{l.t("Passphrase baru", "New passphrase")}</label>
                <input
                    id="tte-pass"
                    name="passphrase"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="10"
                    aria-describedby="tte-rule"
                />
                <p id="tte-rule" class="muted small">
                    {l.t(PASSPHRASE_RULE.0, PASSPHRASE_RULE.1)}
                </p>
                <label for="tte-confirm">{l.t("Ulangi passphrase", "Repeat passphrase")}</label>
                <input
                    id="tte-confirm"
                    name="confirm"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="10"
                />
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || busy_label(
                        pending.get(),
                        l.t("Aktifkan sertifikat", "Activate certificate"),
                        l.t("Membuat kunci…", "Making the key…"),
                    )}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ChangeForm(action: ServerAction<ChangeTtePassphrase>) -> impl IntoView {
    let l = lang();
    let pending = action.pending();
    view! {
        <section class="card" aria-labelledby="h-ubah">
            <h2 id="h-ubah">{l.t("Ganti passphrase", "Change passphrase")}</h2>
            <ActionForm action=action attr:class="form">
                <label for="tte-old">{l.t("Passphrase lama", "Current passphrase")}</label>
                <input
                    id="tte-old"
                    name="old"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <label for="tte-new">{l.t("Passphrase baru", "New passphrase")}</label>
                <input
                    id="tte-new"
                    name="new"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="10"
                    aria-describedby="tte-rule2"
                />
                <p id="tte-rule2" class="muted small">
                    {l.t(PASSPHRASE_RULE.0, PASSPHRASE_RULE.1)}
                </p>
                <label for="tte-new2">
                    {l.t("Ulangi passphrase baru", "Repeat new passphrase")}
                </label>
                <input
                    id="tte-new2"
                    name="confirm"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength="10"
                />
                <ActionResult
                    value=action.value()
                    ok=l.t("Passphrase diganti.", "Passphrase changed.")
                />
                <button type="submit" class="btn" disabled=move || pending.get()>
                    {move || busy_label(
                        pending.get(),
                        l.t("Ganti passphrase", "Change passphrase"),
                        l.t("Menyimpan…", "Saving…"),
                    )}
                </button>
            </ActionForm>
        </section>
    }
}

/// The second-factor code on a signing form, for someone with an authenticator: required when the
/// session's last check is too old (`needed`), otherwise optional and ignored by the server.
#[component]
pub fn SigningCodeField(needed: bool, #[prop(into)] id: String) -> impl IntoView {
    let l = lang();
    let hint = format!("{id}-petunjuk");
    view! {
        <label for=id
            .clone()>{l.t("Kode verifikasi dua langkah", "Two-step verification code")}</label>
        <input
            id=id
            name="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength="20"
            required=needed
            aria-describedby=hint.clone()
        />
        <p id=hint class="muted small">
            {if needed {
                l.t(
                    "Wajib: 6 angka dari aplikasi autentikator Anda (atau satu kode pemulihan).",
                    "Required: the 6 digits from your authenticator app (or one recovery code).",
                )
            } else {
                l.t(
                    "Tidak perlu sekarang: Anda baru saja memasukkan kode. Kosongkan saja.",
                    "Not needed now: you entered a code a short while ago. Leave it empty.",
                )
            }}
        </p>
    }
}

/// Said under every passphrase field where a letter is signed: what the passphrase is, and what to
/// do when it is forgotten (the field points to it with `aria-describedby`).
#[component]
pub fn PassphraseHint(id: &'static str) -> impl IntoView {
    let l = lang();
    view! {
        <span class="muted small hint" id=id>
            {l
                .t(
                    "Passphrase TTE adalah kata rahasia tanda tangan elektronik yang Anda buat sendiri saat mengaktifkan sertifikat, berbeda dari kata sandi masuk. Lupa? Lihat ",
                    "The signing passphrase is the secret you chose when you activated your certificate; it is not your login password. Forgot it? See ",
                )}
            <a href="/profil/tte#h-lupa">{l.t("Sertifikat TTE Saya", "My signing certificate")}</a>
            "."
        </span>
    }
}
