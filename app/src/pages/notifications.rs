//! Notices: the bell in the top bar with its live count, the toast that announces a new notice on
//! an open page, and the notification page (also shown, shorter, on the Beranda).
//!
//! The live part listens to `/notifikasi/stream` (server-sent events) once per page load; the
//! browser's EventSource reconnects by itself after a drop, and the first event of every connection
//! carries the current count, so a page catches up without showing anything twice.

use crate::api::notifications::{
    MarkAllNotificationsRead, MarkNotificationRead, SaveNotificationSettings, SendTestEmail,
    get_notification_settings, my_notifications,
};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use domain::Code;
use domain::model::Notification;
use domain::notify::{DigestFrequency, NoticeGroup, NotificationSettings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::Deserialize;

/// What the stream last said: the unread count and the newest unread notice.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LiveUnread {
    pub unread: i64,
    pub newest: Option<Notification>,
}

/// The stream's latest word for this page (None until it has spoken), and the notice the toast
/// shows.
#[derive(Clone, Copy)]
pub struct LiveNotices {
    pub latest: RwSignal<Option<LiveUnread>>,
    pub toast: RwSignal<Option<Notification>>,
}

impl LiveNotices {
    /// Creates the signals, provides them to the page and (in the browser) opens the stream.
    pub fn start() -> LiveNotices {
        let live = LiveNotices { latest: RwSignal::new(None), toast: RwSignal::new(None) };
        provide_context(live);
        #[cfg(feature = "hydrate")]
        Effect::new(move |started: Option<()>| {
            if started.is_none() {
                open_stream(live);
            }
        });
        live
    }

    /// Takes in one event: the count always; a toast when a notice newer than the last one seen
    /// arrives (not on the first event of the page, which only says where things stand).
    pub fn receive(&self, ev: LiveUnread) {
        let prev = self.latest.get_untracked();
        if let (Some(p), Some(n)) = (&prev, &ev.newest) {
            let seen = p.newest.as_ref().map(|o| o.id.as_str());
            if seen != Some(n.id.as_str())
                && n.created_ms >= p.newest.as_ref().map_or(0, |o| o.created_ms)
            {
                self.toast.set(Some(n.clone()));
            }
        }
        self.latest.set(Some(ev));
    }
}

#[cfg(feature = "hydrate")]
fn open_stream(live: LiveNotices) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Ok(source) = web_sys::EventSource::new("/notifikasi/stream") else { return };
    let on_unread =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(text) = e.data().as_string()
                && let Ok(ev) = serde_json::from_str::<LiveUnread>(&text)
            {
                live.receive(ev);
            }
        });
    let _ = source.add_event_listener_with_callback("unread", on_unread.as_ref().unchecked_ref());
    // The stream and its listener live as long as the page (the browser closes it on leaving).
    on_unread.forget();
}

/// The bell: a link to the notification page with the unread count, live.
#[component]
pub fn Bell(initial: i64) -> impl IntoView {
    let l = lang();
    let live = use_context::<LiveNotices>();
    let count = move || live.and_then(|x| x.latest.get()).map_or(initial, |x| x.unread);
    let label = move || {
        let n = count();
        if n > 0 {
            format!(
                "{} ({n} {})",
                l.t("Notifikasi", "Notifications"),
                l.t("belum dibaca", "unread")
            )
        } else {
            l.t("Notifikasi", "Notifications").to_string()
        }
    };
    view! {
        <A
            href="/notifikasi"
            attr:class="bell"
            attr:aria-label=label
            attr:title=label
            attr:data-live=move || live.is_some_and(|x| x.latest.get().is_some()).to_string()
        >
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
                <path
                    d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
                    fill="currentColor"
                />
            </svg>
            {move || {
                let n = count();
                (n > 0).then(|| view! { <span class="count bell-count">{n}</span> })
            }}
        </A>
    }
}

/// The announcement of a notice that arrived while the page was open.
#[component]
pub fn Toast() -> impl IntoView {
    let l = lang();
    let live = use_context::<LiveNotices>();
    let toast = move || live.and_then(|x| x.toast.get());
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            {move || {
                toast()
                    .map(|n| {
                        view! {
                            <div class="toast" data-testid="notif-toast">
                                <p>
                                    <strong>
                                        {l.t("Notifikasi baru: ", "New notification: ")}
                                    </strong>
                                    {match n.link.clone() {
                                        Some(href) => {
                                            view! { <A href=href>{n.text.clone()}</A> }.into_any()
                                        }
                                        None => n.text.clone().into_any(),
                                    }}
                                </p>
                                <button
                                    type="button"
                                    class="btn"
                                    on:click=move |_| {
                                        if let Some(x) = live {
                                            x.toast.set(None);
                                        }
                                    }
                                >
                                    {l.t("Tutup", "Close")}
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let l = lang();
    view! {
        <Title text=l.t("Notifikasi", "Notifications") />
        <h1>{l.t("Notifikasi", "Notifications")}</h1>
        <p class="muted">
            {l
                .t(
                    "Pemberitahuan untuk Anda: surat yang perlu diparaf atau ditandatangani, surat yang dikembalikan atau ditandatangani, disposisi baru, laporan tindak lanjut, tenggat disposisi besok atau yang terlewat, dan pengingat dari pimpinan. Yang baru muncul tanpa memuat ulang halaman.",
                    "Notices for you: letters to approve or sign, letters returned or signed, new dispositions, follow-up reports, disposition deadlines tomorrow or missed, and leaders' reminders. New ones appear without reloading the page.",
                )}
        </p>
        <p>
            <A href="/notifikasi/pengaturan">
                {l
                    .t(
                        "Pengaturan notifikasi dan ringkasan e-mail",
                        "Notification and e-mail digest settings",
                    )}
            </A>
        </p>
        <Notices full=true />
    }
}

/// Notices for the signed-in person, unread first; each can be marked read. With `full` unset
/// (the Beranda) nothing is shown when there are none.
#[component]
pub fn Notices(full: bool) -> impl IntoView {
    let l = lang();
    let mark = ServerAction::<MarkNotificationRead>::new();
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    let live = use_context::<LiveNotices>();
    // Refetched after marking, and when the stream brings a change.
    let list = Resource::new(
        move || {
            (
                mark.version().get(),
                mark_all.version().get(),
                live.and_then(|x| x.latest.get()).map(|x| (x.unread, x.newest.map(|n| n.id))),
            )
        },
        |_| my_notifications(),
    );
    view! {
        <Transition fallback=move || {
            if full { view! { <Loading /> }.into_any() } else { ().into_any() }
        }>
            {move || Suspend::new(async move {
                let items = match list.await {
                    Ok(v) => v,
                    Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                };
                if items.is_empty() {
                    return if full {
                        view! {
                            <p class="empty">
                                {l
                                    .t(
                                        "Belum ada notifikasi untuk Anda.",
                                        "No notifications for you yet.",
                                    )}
                            </p>
                        }
                            .into_any()
                    } else {
                        ().into_any()
                    };
                }
                let unread = items.iter().filter(|n| !n.read).count();
                view! {
                    <section class="card" aria-labelledby="h-notices">
                        <h2 id="h-notices">
                            {l.t("Pemberitahuan", "Notices")}
                            {(unread > 0)
                                .then(|| {
                                    view! {
                                        " "
                                        <span class="badge">
                                            {format!("{unread} {}", l.t("baru", "new"))}
                                        </span>
                                    }
                                })}
                        </h2>
                        {(full && unread > 0)
                            .then(|| {
                                view! {
                                    <ActionForm action=mark_all>
                                        <button type="submit" class="btn">
                                            {l.t("Tandai semua dibaca", "Mark all as read")}
                                        </button>
                                    </ActionForm>
                                }
                            })}
                        <ul class="plain notices">
                            {items
                                .into_iter()
                                .map(|n| {
                                    let when = domain::time::long_datetime(n.created_ms, l);
                                    let id = n.id.clone();
                                    view! {
                                        <li class:unread=!n.read>
                                            <p>
                                                {match n.link.clone() {
                                                    Some(href) => {
                                                        view! { <A href=href>{n.text.clone()}</A> }.into_any()
                                                    }
                                                    None => n.text.clone().into_any(),
                                                }} <br /> <span class="muted small">{when}</span>
                                            </p>
                                            {(!n.read)
                                                .then(|| {
                                                    view! {
                                                        <ActionForm action=mark>
                                                            <input type="hidden" name="id" value=id />
                                                            <button type="submit" class="btn">
                                                                {l.t("Tandai dibaca", "Mark as read")}
                                                            </button>
                                                        </ActionForm>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
                    .into_any()
            })}
        </Transition>
    }
}

/// Pengaturan notifikasi: which groups of notices the person sees, and the e-mail digest.
#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let l = lang();
    let save = ServerAction::<SaveNotificationSettings>::new();
    let test = ServerAction::<SendTestEmail>::new();
    // Loaded once: after a refused save the form keeps what was chosen.
    let data = Resource::new(|| (), |_| get_notification_settings());
    view! {
        <Title text=l.t("Pengaturan notifikasi", "Notification settings") />
        <nav class="crumbs" aria-label=l.t("Remah roti", "Breadcrumb")>
            <A href="/notifikasi">{l.t("Notifikasi", "Notifications")}</A>
            " / "
        </nav>
        <h1>{l.t("Pengaturan notifikasi", "Notification settings")}</h1>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(s) => view! { <SettingsForm s save test /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(
    s: NotificationSettings,
    save: ServerAction<SaveNotificationSettings>,
    test: ServerAction<SendTestEmail>,
) -> impl IntoView {
    let l = lang();
    let deliverable = s.mail_ready && s.email.is_some();
    let address_note = match (&s.email, s.mail_ready) {
        (_, false) => l
            .t(
                "Pengiriman e-mail belum diaktifkan di server ini oleh admin, jadi ringkasan e-mail belum dapat dipilih.",
                "The admin has not enabled e-mail on this server yet, so the e-mail digest cannot be chosen.",
            )
            .to_string(),
        (None, true) => domain::notify::SettingsError::NoEmail.message(l),
        (Some(a), true) => format!(
            "{} {a}. {}",
            l.t("Ringkasan dikirim ke", "Digests go to"),
            l.t(
                "Isinya hanya jumlah pemberitahuan per jenis dan tautan ke e-Office; perihal surat tidak dicantumkan.",
                "It holds only the number of notices per kind and links to e-Office; letter subjects are left out.",
            )
        ),
    };
    let pending = save.pending();
    let test_pending = test.pending();
    let test_value = test.value();
    view! {
        <ActionForm action=save attr:class="form notif-settings">
            <fieldset class="radio-row">
                <legend>{l.t("Tampilkan di aplikasi", "Show in the app")}</legend>
                <p class="muted small">
                    {l
                        .t(
                            "Pemberitahuan yang dimatikan tidak muncul di lonceng, di Beranda, maupun di ringkasan e-mail. Daftar Perlu Paraf, Kotak Masuk dan Disposisi tetap lengkap.",
                            "Notices switched off appear neither at the bell, nor on the Beranda, nor in the e-mail digest. The To approve, Inbox and Disposition lists stay complete.",
                        )}
                </p>
                {NoticeGroup::all()
                    .iter()
                    .map(|&g| {
                        let shown = !s.muted.contains(&g);
                        let id = format!("show-{}", g.code());
                        let for_id = id.clone();
                        let always = !g.can_mute();
                        view! {
                            <label class="check notif-group" for=for_id>
                                <input
                                    type="checkbox"
                                    id=id
                                    name=format!("show_{}", g.code())
                                    value="on"
                                    checked=shown
                                    disabled=always
                                />
                                <span>
                                    {g.label(l)}
                                    {always
                                        .then(|| {
                                            view! {
                                                " "
                                                <em class="muted">
                                                    {l.t("(selalu ditampilkan)", "(always shown)")}
                                                </em>
                                            }
                                        })}
                                </span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset class="radio-row">
                <legend>{l.t("Ringkasan e-mail", "E-mail digest")}</legend>
                <p class="muted small" id="digest-note">
                    {address_note}
                </p>
                {DigestFrequency::all()
                    .iter()
                    .map(|&f| {
                        let id = format!("digest-{}", f.code());
                        let for_id = id.clone();
                        view! {
                            <label class="check" for=for_id>
                                <input
                                    type="radio"
                                    id=id
                                    name="digest"
                                    value=f.code()
                                    checked=s.digest == f
                                    disabled=!deliverable && f != DigestFrequency::Off
                                    aria-describedby="digest-note"
                                />
                                <span>{f.label(l)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <button type="submit" class="btn btn-primary" disabled=pending>
                {move || busy_label(
                    pending.get(),
                    l.t("Simpan pengaturan", "Save settings"),
                    l.t("Menyimpan…", "Saving…"),
                )}
            </button>
            <ActionResult
                value=save.value()
                ok=l.t("Pengaturan notifikasi disimpan.", "Notification settings saved.")
            />
        </ActionForm>
        {deliverable
            .then(|| {
                view! {
                    <section class="card" aria-labelledby="h-test-mail">
                        <h2 id="h-test-mail">{l.t("Uji e-mail", "Test e-mail")}</h2>
                        <p class="muted small">
                            {l
                                .t(
                                    "Kirim satu e-mail ke alamat Anda untuk memastikan ringkasan akan sampai (periksa juga folder spam).",
                                    "Send one e-mail to your address to make sure digests arrive (check the spam folder too).",
                                )}
                        </p>
                        <ActionForm action=test>
                            <button type="submit" class="btn" disabled=test_pending>
                                {move || busy_label(
                                    test_pending.get(),
                                    l.t("Kirim e-mail uji", "Send a test e-mail"),
                                    l.t("Mengirim…", "Sending…"),
                                )}
                            </button>
                        </ActionForm>
                        {move || match test_value.get() {
                            Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                            Some(Ok(to)) => {
                                view! {
                                    <p class="alert alert-ok" role="status">
                                        {format!(
                                            "{} {to}.",
                                            l.t("E-mail uji dikirim ke", "Test e-mail sent to"),
                                        )}
                                    </p>
                                }
                                    .into_any()
                            }
                            None => ().into_any(),
                        }}
                    </section>
                }
            })}
    }
}
