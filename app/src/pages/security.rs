//! Keamanan akun: two-step verification (an authenticator app, with recovery codes shown once) and
//! the person's own sessions, each of which they can end. While a second factor is due, every other
//! page leads here.

use crate::api::security::{
    BeginSecondFactor, ConfirmSecondFactor, DisableSecondFactor, EndSessions, RenewRecoveryCodes,
    get_second_factor_status, my_sessions,
};
use crate::app::{UserCtx, lang};
use crate::components::{ActionResult, ErrorBox, Loading, busy_label, now_ms};
use domain::Lang;
use domain::model::SecondFactorStatus;
use domain::time::long_datetime;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn SecurityPage() -> impl IntoView {
    let l = lang();
    let user = expect_context::<UserCtx>().0;
    let begin = ServerAction::<BeginSecondFactor>::new();
    let confirm = ServerAction::<ConfirmSecondFactor>::new();
    let disable = ServerAction::<DisableSecondFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let end = ServerAction::<EndSessions>::new();
    let status = Resource::new(
        move || (confirm.version().get(), disable.version().get(), renew.version().get()),
        |_| get_second_factor_status(),
    );
    let sessions = Resource::new(move || end.version().get(), |_| my_sessions());
    view! {
        <Title text=l.t("Keamanan akun", "Account security") />
        <p>
            <A href="/profil">{l.t("← Profil", "← Profile")}</A>
        </p>
        <h1>{l.t("Keamanan akun", "Account security")}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if u.must_enrol_second_factor(now_ms()) => {
                        view! {
                            <p class="alert alert-error" role="alert">
                                {l
                                    .t(
                                        "Peran Anda (admin atau pemegang sertifikat TTE) mewajibkan verifikasi dua langkah. Aktifkan sekarang untuk melanjutkan memakai e-Office.",
                                        "Your role (admin or signing-certificate holder) requires two-step verification. Set it up now to go on using e-Office.",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="h-2fa">
            <h2 id="h-2fa">{l.t("Verifikasi dua langkah", "Two-step verification")}</h2>
            <p class="muted">
                {l
                    .t(
                        "Selain kata sandi, e-Office meminta kode 6 angka dari aplikasi autentikator di ponsel Anda (misalnya Google Authenticator, Microsoft Authenticator, atau Aegis) saat masuk dan sebelum menandatangani naskah. Kata sandi yang bocor saja tidak cukup untuk masuk ke akun Anda.",
                        "Besides your password, e-Office asks for a 6-digit code from an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator or Aegis) when you log in and before you sign. A leaked password alone no longer opens your account.",
                    )}
            </p>
            // Recovery codes are shown once, right after they are made; outside the status view so a
            // reload of the status does not hide them.
            <RecoveryCodes codes=Signal::derive(move || {
                confirm
                    .value()
                    .get()
                    .and_then(|r| r.ok())
                    .or_else(|| renew.value().get().and_then(|r| r.ok()))
            }) />
            <ActionResult
                value=disable.value()
                ok=l.t("Verifikasi dua langkah dinonaktifkan.", "Two-step verification turned off.")
            />
            <Transition fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(st) if st.enrolled_since_ms.is_some() => {
                            view! { <Enrolled st=st disable=disable renew=renew /> }.into_any()
                        }
                        Ok(st) => view! { <Enrol st=st begin=begin confirm=confirm /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="card" aria-labelledby="h-sesi">
            <h2 id="h-sesi">{l.t("Sesi aktif", "Active sessions")}</h2>
            <p class="muted">
                {l
                    .t(
                        "Perangkat tempat akun Anda sedang masuk. Akhiri sesi yang tidak Anda kenali, lalu ganti kata sandi.",
                        "Devices where your account is logged in. End any session you do not recognise, then change your password.",
                    )}
            </p>
            <ActionResult value=end.value() ok=l.t("Sesi diakhiri.", "Session ended.") />
            <Transition fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) => {
                            let others = list.iter().filter(|s| !s.current).count();
                            view! {
                                <ul class="session-list">
                                    {list
                                        .into_iter()
                                        .map(|s| {
                                            let label = format!(
                                                "{} {}",
                                                l.t("Akhiri sesi", "End session"),
                                                s.device,
                                            );
                                            view! {
                                                <li class="session-item">
                                                    <div>
                                                        <strong>{s.device.clone()}</strong>
                                                        {s
                                                            .current
                                                            .then(|| {
                                                                view! {
                                                                    <span class="badge">
                                                                        {l.t("Perangkat ini", "This device")}
                                                                    </span>
                                                                }
                                                            })}
                                                        <div class="muted small">
                                                            {format!(
                                                                "{} {} · {} {}",
                                                                l.t("Alamat", "Address"),
                                                                if s.ip.is_empty() { "—".into() } else { s.ip.clone() },
                                                                l.t("terakhir dipakai", "last used"),
                                                                long_datetime(s.last_seen_ms, l),
                                                            )}
                                                        </div>
                                                    </div>
                                                    {(!s.current)
                                                        .then(|| {
                                                            view! {
                                                                <ActionForm action=end>
                                                                    <input type="hidden" name="id" value=s.id.clone() />
                                                                    <button type="submit" class="btn" aria-label=label>
                                                                        {l.t("Akhiri", "End")}
                                                                    </button>
                                                                </ActionForm>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                {(others > 0)
                                    .then(|| {
                                        view! {
                                            <ActionForm action=end>
                                                <input type="hidden" name="id" value="" />
                                                <button type="submit" class="btn">
                                                    {l.t("Akhiri semua sesi lain", "End all other sessions")}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// No authenticator yet: the button that makes a secret, then its QR code and the first code.
#[component]
fn Enrol(
    st: SecondFactorStatus,
    begin: ServerAction<BeginSecondFactor>,
    confirm: ServerAction<ConfirmSecondFactor>,
) -> impl IntoView {
    let l = lang();
    let begin_pending = begin.pending();
    let confirm_pending = confirm.pending();
    let due = (st.required).then(|| long_datetime(st.due_ms, l));
    view! {
        <p>
            <strong>{l.t("Status: belum aktif.", "Status: off.")}</strong>
            " "
            {due
                .map(|d| {
                    format!(
                        "{} {d}.",
                        l
                            .t(
                                "Wajib bagi admin dan pemegang sertifikat TTE mulai",
                                "Required of admins and signing-certificate holders from",
                            ),
                    )
                })}
        </p>
        {move || match begin.value().get() {
            Some(Ok(e)) => {
                view! {
                    <ol class="steps">
                        <li>
                            {l
                                .t(
                                    "Pindai kode QR ini dengan aplikasi autentikator di ponsel Anda.",
                                    "Scan this QR code with the authenticator app on your phone.",
                                )} <div class="qr-box" inner_html=e.qr_svg.clone()></div>
                            <p class="small">
                                {l
                                    .t(
                                        "Tidak dapat memindai? Ketik kunci ini di aplikasi:",
                                        "Cannot scan? Type this key into the app:",
                                    )} " " <code class="secret-key" data-testid="kunci-rahasia">
                                    {e.secret.clone()}
                                </code>
                            </p>
                        </li>
                        <li>
                            <ActionForm action=confirm attr:class="form">
                                <label for="kode-baru">
                                    {l
                                        .t(
                                            "Masukkan 6 angka yang tampil di aplikasi",
                                            "Enter the 6 digits the app shows",
                                        )}
                                </label>
                                <input
                                    id="kode-baru"
                                    name="code"
                                    type="text"
                                    inputmode="numeric"
                                    autocomplete="one-time-code"
                                    maxlength="7"
                                    required
                                />
                                {move || {
                                    confirm
                                        .value()
                                        .get()
                                        .and_then(|r| r.err())
                                        .map(|e| view! { <ErrorBox error=e /> })
                                }}
                                <button
                                    type="submit"
                                    class="btn btn-primary"
                                    disabled=move || confirm_pending.get()
                                >
                                    {move || busy_label(
                                        confirm_pending.get(),
                                        l.t("Aktifkan", "Turn on"),
                                        l.t("Memeriksa…", "Checking…"),
                                    )}
                                </button>
                            </ActionForm>
                        </li>
                    </ol>
                }
                    .into_any()
            }
            other => {
                view! {
                    {other.and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
                    <ActionForm action=begin>
                        <button
                            type="submit"
                            class="btn btn-primary"
                            disabled=move || begin_pending.get()
                        >
                            {move || busy_label(
                                begin_pending.get(),
                                l
                                    .t(
                                        "Siapkan verifikasi dua langkah",
                                        "Set up two-step verification",
                                    ),
                                l.t("Menyiapkan…", "Preparing…"),
                            )}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            }
        }}
    }
}

/// An authenticator in force: its date, the recovery codes left, new codes, turning it off.
#[component]
fn Enrolled(
    st: SecondFactorStatus,
    disable: ServerAction<DisableSecondFactor>,
    renew: ServerAction<RenewRecoveryCodes>,
) -> impl IntoView {
    let l = lang();
    let since = st.enrolled_since_ms.map(|t| long_datetime(t, l)).unwrap_or_default();
    let renew_pending = renew.pending();
    let disable_pending = disable.pending();
    view! {
        <p role="status">
            <strong>{l.t("Status: aktif", "Status: on")}</strong>
            {format!(" {} {since}. ", l.t("sejak", "since"))}
            {format!(
                "{}: {}.",
                l.t("Kode pemulihan tersisa", "Recovery codes left"),
                st.recovery_codes_left,
            )}
        </p>
        <p class="muted small">
            {match l {
                Lang::Id => {
                    format!(
                        "Sebelum menandatangani, e-Office meminta kode lagi bila pemeriksaan terakhir lebih dari {} menit yang lalu.",
                        st.recheck_minutes,
                    )
                }
                Lang::En => {
                    format!(
                        "Before signing, e-Office asks for a code again when the last check is more than {} minutes old.",
                        st.recheck_minutes,
                    )
                }
            }}
        </p>
        <ActionForm action=renew attr:class="form">
            <label for="kode-pulih">
                {l
                    .t(
                        "Kode dari aplikasi, untuk membuat kode pemulihan baru (yang lama tidak berlaku lagi)",
                        "A code from the app, to make new recovery codes (the old ones stop working)",
                    )}
            </label>
            <input
                id="kode-pulih"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="20"
                required
            />
            {move || {
                renew.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })
            }}
            <button type="submit" class="btn" disabled=move || renew_pending.get()>
                {move || busy_label(
                    renew_pending.get(),
                    l.t("Buat kode pemulihan baru", "Make new recovery codes"),
                    l.t("Memeriksa…", "Checking…"),
                )}
            </button>
        </ActionForm>
        {if st.required {
            view! {
                <p class="muted small">
                    {l
                        .t(
                            "Wajib untuk peran Anda, jadi tidak dapat dinonaktifkan. Ganti ponsel: minta Admin Pemda mereset, lalu siapkan lagi.",
                            "Required for your role, so it cannot be turned off. New phone: ask the Admin Pemda to reset it, then set it up again.",
                        )}
                </p>
            }
                .into_any()
        } else {
            view! {
                <ActionForm action=disable attr:class="form">
                    <label for="kode-mati">
                        {l
                            .t(
                                "Kode dari aplikasi, untuk menonaktifkan",
                                "A code from the app, to turn it off",
                            )}
                    </label>
                    <input
                        id="kode-mati"
                        name="code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength="20"
                        required
                    />
                    <button type="submit" class="btn" disabled=move || disable_pending.get()>
                        {l.t("Nonaktifkan", "Turn off")}
                    </button>
                </ActionForm>
            }
                .into_any()
        }}
    }
}

/// The recovery codes just made, shown this once.
#[component]
fn RecoveryCodes(codes: Signal<Option<Vec<String>>>) -> impl IntoView {
    let l = lang();
    move || {
        codes.get().map(|list| {
            view! {
                <div class="alert alert-ok" role="status" aria-labelledby="h-kode-pulih">
                    <h3 id="h-kode-pulih">
                        {l.t("Simpan kode pemulihan Anda", "Keep your recovery codes")}
                    </h3>
                    <p>
                        {l
                            .t(
                                "Verifikasi dua langkah aktif. Bila ponsel hilang, masuk dengan salah satu kode ini; setiap kode hanya berlaku sekali. Kode ini hanya ditampilkan sekarang: catat atau cetak, dan simpan di tempat aman.",
                                "Two-step verification is on. If you lose your phone, log in with one of these codes; each works once. They are shown only now: write them down or print them, and keep them safe.",
                            )}
                    </p>
                    <ul class="recovery-codes" data-testid="kode-pemulihan">
                        {list
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <li>
                                        <code>{c}</code>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    // A full load, so every page sees the account as it is now.
                    <a href="/" rel="external" class="btn btn-primary">
                        {l.t("Sudah saya simpan, lanjut ke Beranda", "Saved them, go to Beranda")}
                    </a>
                </div>
            }
        })
    }
}
