//! Profil and password change (also the forced change after an admin reset).

use crate::api::auth::ChangePassword;
use crate::app::{UserCtx, lang};
use crate::components::{ActionResult, Loading, busy_label};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    view! {
        <Title text=l.t("Profil", "Profile") />
        <h1>{l.t("Profil", "Profile")}</h1>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                let Ok(Some(u)) = user.await else { return ().into_any() };
                let roles: Vec<&str> = u
                    .caps
                    .grants
                    .iter()
                    .map(|g| {
                        if l == domain::Lang::Id { g.role.label_id() } else { g.role.label_en() }
                    })
                    .collect();
                view! {
                    <section class="card">
                        <dl class="facts">
                            <dt>{l.t("Nama", "Name")}</dt>
                            <dd>{u.name.clone()}</dd>
                            <dt>"NIP"</dt>
                            <dd>
                                {domain::nip::Nip::parse(&u.nip, 2100)
                                    .map(|n| n.display_spaced())
                                    .unwrap_or(u.nip.clone())}
                            </dd>
                            <dt>"Email"</dt>
                            <dd>{u.email.clone().unwrap_or_else(|| "—".into())}</dd>
                            <dt>{l.t("Telepon", "Phone")}</dt>
                            <dd>
                                {if u.phone.is_empty() {
                                    "—".to_string()
                                } else {
                                    u.phone.clone()
                                }}
                            </dd>
                            <dt>"Pemda"</dt>
                            <dd>{u.pemda_name.clone()}</dd>
                            <dt>"OPD"</dt>
                            <dd>{u.opd_name.clone()}</dd>
                            <dt>{l.t("Jabatan", "Position")}</dt>
                            <dd>
                                {u
                                    .positions
                                    .iter()
                                    .map(|p| p.title.clone())
                                    .collect::<Vec<_>>()
                                    .join("; ")}
                            </dd>
                            <dt>{l.t("Peran", "Roles")}</dt>
                            <dd>
                                {if roles.is_empty() {
                                    "—".to_string()
                                } else {
                                    roles.join(", ")
                                }}
                            </dd>
                        </dl>
                    </section>
                }
                    .into_any()
            })}
        </Suspense>
        <section class="card" aria-labelledby="h-keamanan-link">
            <h2 id="h-keamanan-link">{l.t("Keamanan akun", "Account security")}</h2>
            <p>
                <leptos_router::components::A href="/keamanan">
                    {l
                        .t(
                            "Verifikasi dua langkah dan sesi aktif",
                            "Two-step verification and active sessions",
                        )}
                </leptos_router::components::A>
            </p>
        </section>
        <section class="card" aria-labelledby="h-tte-link">
            <h2 id="h-tte-link">{l.t("Tanda tangan elektronik", "Electronic signature")}</h2>
            <p>
                <leptos_router::components::A href="/profil/tte">
                    {l.t("Sertifikat TTE dan passphrase", "Signing certificate and passphrase")}
                </leptos_router::components::A>
            </p>
        </section>
        <PasswordForm forced=false />
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let l = lang();
    view! {
        <Title text=l.t("Ganti kata sandi", "Change password") />
        <h1>{l.t("Ganti kata sandi", "Change password")}</h1>
        <p class="alert alert-info">
            {l
                .t(
                    "Kata sandi Anda diatur ulang oleh admin. Buat kata sandi baru sebelum melanjutkan.",
                    "Your password was reset by an admin. Choose a new one to continue.",
                )}
        </p>
        <PasswordForm forced=true />
    }
}

#[component]
fn PasswordForm(forced: bool) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<ChangePassword>::new();
    let pending = action.pending();
    Effect::new(move |_| {
        if forced && matches!(action.value().get(), Some(Ok(()))) {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/");
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="h-sandi">
            <h2 id="h-sandi">{l.t("Ubah kata sandi", "Change password")}</h2>
            <ActionForm action=action attr:class="form">
                <label for="old">{l.t("Kata sandi lama", "Current password")}</label>
                <input
                    id="old"
                    name="old"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <label for="new">{l.t("Kata sandi baru", "New password")}</label>
                <input
                    id="new"
                    name="new"
                    type="password"
                    autocomplete="new-password"
                    required
                    aria-describedby="aturan-sandi"
                />
                <p id="aturan-sandi" class="muted small">
                    {l
                        .t(
                            "Minimal 8 karakter, memuat huruf dan angka, tidak memuat NIP.",
                            "At least 8 characters, with letters and digits, not containing your NIP.",
                        )}
                </p>
                <label for="confirm">{l.t("Ulangi kata sandi baru", "Repeat new password")}</label>
                <input
                    id="confirm"
                    name="confirm"
                    type="password"
                    autocomplete="new-password"
                    required
                />
                <ActionResult
                    value=action.value()
                    ok=l
                        .t(
                            "Kata sandi berhasil diubah. Sesi di perangkat lain telah diakhiri.",
                            "Password changed. Sessions on other devices were ended.",
                        )
                />
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || busy_label(
                        pending.get(),
                        l.t("Simpan kata sandi", "Save password"),
                        l.t("Menyimpan…", "Saving…"),
                    )}
                </button>
            </ActionForm>
        </section>
    }
}
