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
        <QuadrantHistory />
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

/// The person's quadrant month by month (this month as it stands, closed months as they closed).
#[component]
fn QuadrantHistory() -> impl IntoView {
    let l = lang();
    let history = Resource::new(|| (), |_| crate::api::dashboard::my_quadrant_history());
    view! {
        <section class="card" aria-labelledby="h-kuadran-saya" data-testid="quadrant-history">
            <h2 id="h-kuadran-saya">
                {l.t("Riwayat kuadran kinerja", "Performance quadrant history")}
            </h2>
            <p class="muted small">
                {l
                    .t(
                        "Kuadran A: produktif dan berkualitas; B: berkualitas, volume rendah; C: volume tinggi, kualitas rendah; D: perlu pembinaan. Bulan berjalan dapat berubah sampai bulan ditutup.",
                        "Quadrant A: productive, high quality; B: high quality, low volume; C: high volume, low quality; D: needs coaching. The current month may change until it is closed.",
                    )}
            </p>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match history.await {
                        Err(e) => view! { <crate::components::ErrorBox error=e /> }.into_any(),
                        Ok(rows) if rows.is_empty() => {
                            view! {
                                <p class="empty">
                                    {l
                                        .t(
                                            "Belum ada data kuadran untuk Anda.",
                                            "No quadrant data for you yet.",
                                        )}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(rows) => {
                            view! {
                                <div class="table-wrap" tabindex="0">
                                    <table>
                                        <thead>
                                            <tr>
                                                <th scope="col">{l.t("Bulan", "Month")}</th>
                                                <th scope="col">{l.t("Kuadran", "Quadrant")}</th>
                                                <th scope="col">{l.t("Produktivitas", "Productivity")}</th>
                                                <th scope="col">{l.t("Kualitas", "Quality")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows
                                                .into_iter()
                                                .map(|q| {
                                                    let month = domain::activity::month_label(q.month, l);
                                                    let place = q
                                                        .quadrant
                                                        .map(|x| format!("{} · {}", x.letter(), x.label(l)))
                                                        .unwrap_or_else(|| {
                                                            l.t("belum dapat dinilai", "not placed yet").to_string()
                                                        });
                                                    view! {
                                                        <tr>
                                                            <th scope="row">
                                                                {month}
                                                                {q
                                                                    .live
                                                                    .then(|| {
                                                                        view! {
                                                                            " "
                                                                            <span class="badge">{l.t("berjalan", "current")}</span>
                                                                        }
                                                                    })}
                                                            </th>
                                                            <td>{place}</td>
                                                            <td>{domain::kinerja::percent(q.x_bp)}</td>
                                                            <td>
                                                                {q
                                                                    .y_bp
                                                                    .map(domain::kinerja::percent)
                                                                    .unwrap_or_else(|| "–".into())}
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
        </section>
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
