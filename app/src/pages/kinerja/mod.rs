//! e-Kinerja pages: Aktivitas Saya (own activities, logging work done outside e-Office, the month
//! explained), Validasi (for superiors), Rekap (OPD recap, attendance, closing), Predikat
//! (the annual rating and the superior's behaviour rating), Pengaturan.

pub mod predikat;
pub mod recap;
pub mod settings;
pub mod validate;

use crate::api::kinerja::{
    AddActivity, KinerjaAccess, MyKinerja, RemoveActivity, get_kinerja_access, get_my_kinerja,
};
use crate::app::lang;
use crate::components::{ActionResult, ErrorBox, Loading, busy_label};
use domain::Lang;
use domain::activity::{
    ActivityStatus, ActivityView, MonthResult, hhmm, month_iso, month_label, month_of_day,
};
use domain::kinerja::{line_label, line_value};
use domain::time::{iso_date, long_date};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The tabs of e-Kinerja, each shown to whoever may use it, with the validation badge.
#[component]
pub fn KinerjaTabs(
    access: Resource<Result<KinerjaAccess, crate::error::AppError>>,
) -> impl IntoView {
    let l = lang();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let a = access.await.unwrap_or_default();
                view! {
                    <nav class="tabs" aria-label=l.t("Bagian e-Kinerja", "e-Kinerja sections")>
                        <A href="/kinerja" exact=true>
                            {l.t("Aktivitas Saya", "My activities")}
                        </A>
                        {a
                            .validates
                            .then(|| {
                                let n = a.waiting;
                                view! {
                                    <A href="/kinerja/validasi">
                                        {l.t("Validasi", "Validation")}
                                        {(n > 0)
                                            .then(|| {
                                                view! {
                                                    <span
                                                        class="count"
                                                        aria-label=format!(
                                                            "{n} {}",
                                                            l.t("menunggu validasi", "awaiting validation"),
                                                        )
                                                    >
                                                        {n}
                                                    </span>
                                                }
                                            })}
                                    </A>
                                }
                            })}
                        {(!a.recap_opds.is_empty())
                            .then(|| {
                                view! { <A href="/kinerja/rekap">{l.t("Rekap", "Recap")}</A> }
                            })}
                        {(a.has_position || a.validates)
                            .then(|| {
                                view! {
                                    <A href="/kinerja/predikat">
                                        {l.t("Predikat Tahunan", "Annual rating")}
                                    </A>
                                }
                            })}
                        {(a.pemda_admin || !a.admin_opds.is_empty())
                            .then(|| {
                                view! {
                                    <A href="/kinerja/pengaturan">
                                        {l.t("Pengaturan Kinerja", "Performance settings")}
                                    </A>
                                }
                            })}
                    </nav>
                }
            })}
        </Suspense>
    }
}

/// The month in the address (`?bulan=YYYY-MM`), or "" for the current one.
pub fn month_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get("bulan").unwrap_or_default()
}

/// Previous / next month links around the month's name.
#[component]
pub fn MonthNav(month: i64, base: &'static str, #[prop(optional)] extra: String) -> impl IntoView {
    let l = lang();
    let prev = if month % 100 == 1 { month - 100 + 11 } else { month - 1 };
    let next = if month % 100 == 12 { month + 100 - 11 } else { month + 1 };
    let href = move |m: i64| format!("{base}?bulan={}{extra}", month_iso(m));
    view! {
        <nav class="pager" aria-label=l.t("Bulan", "Month")>
            <A href=href(prev) attr:class="btn">
                {format!("‹ {}", month_label(prev, l))}
            </A>
            <strong>{month_label(month, l)}</strong>
            <A href=href(next) attr:class="btn">
                {format!("{} ›", month_label(next, l))}
            </A>
        </nav>
    }
}

pub fn status_badge(s: ActivityStatus, l: Lang) -> impl IntoView {
    let class = match s {
        ActivityStatus::Pending => "badge badge-warn",
        ActivityStatus::Approved => "badge badge-ok",
        ActivityStatus::Rejected => "badge badge-danger",
    };
    view! { <span class=class>{s.label(l)}</span> }
}

/// What an activity is, in words: its kind for e-Office work, else its description.
pub fn activity_title(a: &ActivityView, l: Lang) -> String {
    match a.work_kind {
        Some(k) => k.label(l).to_string(),
        None => a.description.clone(),
    }
}

pub fn no_credit_text(code: &str, l: Lang) -> &'static str {
    match code {
        "unchanged" => l.t("tidak ada perubahan: tanpa menit", "nothing changed: no minutes"),
        "repeated" => l.t("versi yang sama sudah dihitung", "same version already counted"),
        _ => l.t("melewati batas harian jenis ini", "over this kind's daily cap"),
    }
}

/// One activity line (shared by the own list and the validation list).
#[component]
pub fn ActivityLine(
    a: ActivityView,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let l = lang();
    let time = match (a.start, a.end) {
        (Some(s), Some(e)) => format!("{}–{}", hhmm(s), hhmm(e)),
        _ => l.t("otomatis dari e-Office", "automatic from e-Office").to_string(),
    };
    let title = activity_title(&a, l);
    let evidence = a.has_evidence.then(|| format!("/kinerja/bukti/{}", a.id));
    view! {
        <li class="letter-item activity">
            <div class="meta-line">
                <span>{time}</span>
                {status_badge(a.status, l)}
                <span>
                    {format!("{} {}", a.minutes, l.t("menit", "min"))}
                    {(a.quantity > 1 || !a.unit.is_empty())
                        .then(|| format!(" · {} {}", a.quantity, a.unit))}
                </span>
            </div>
            <p>
                {match a.link.clone() {
                    Some(href) => view! { <A href=href>{title}</A> }.into_any(),
                    None => view! { <span>{title}</span> }.into_any(),
                }}
            </p>
            {a
                .no_credit
                .as_deref()
                .map(|c| view! { <p class="muted small">{no_credit_text(c, l)}</p> })}
            {a
                .free_text
                .then(|| {
                    view! {
                        <p class="muted small">
                            {l.t("Teks bebas: dinilai atasan", "Free text: rated by the superior")}
                        </p>
                    }
                })}
            {(!a.note.is_empty())
                .then(|| {
                    view! {
                        <p class="note">
                            <strong>{l.t("Catatan atasan: ", "Superior's note: ")}</strong>
                            {a.note.clone()}
                        </p>
                    }
                })}
            {evidence
                .map(|href| {
                    view! {
                        <p>
                            <a href=href rel="external" target="_blank">
                                {l.t("Lihat bukti", "View evidence")}
                            </a>
                        </p>
                    }
                })}
            {children.map(|c| c())}
        </li>
    }
}

/// The month explained, line by line.
#[component]
pub fn Explained(r: MonthResult, closed: bool) -> impl IntoView {
    let l = lang();
    view! {
        <section class="card" aria-labelledby="h-nilai">
            <h2 id="h-nilai">
                {l.t("Nilai bulan ini", "This month's score")}
                {if closed {
                    view! { <span class="badge badge-ok">{l.t("Ditutup", "Closed")}</span> }
                        .into_any()
                } else {
                    view! { <span class="badge">{l.t("Sementara", "Provisional")}</span> }
                        .into_any()
                }}
            </h2>
            <dl class="facts explained">
                {r
                    .lines
                    .iter()
                    .map(|line| {
                        view! {
                            <dt>{line_label(&line.key, l)}</dt>
                            <dd data-key=line.key.clone()>
                                <strong>{line_value(&line.key, line.value)}</strong>
                                {(!line.detail.is_empty())
                                    .then(|| {
                                        view! {
                                            <span class="muted small">
                                                {format!(" — {}", line.detail)}
                                            </span>
                                        }
                                    })}
                            </dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}

#[component]
pub fn MyActivitiesPage() -> impl IntoView {
    let l = lang();
    let bulan = month_param();
    let add = ServerAction::<AddActivity>::new();
    let remove = ServerAction::<RemoveActivity>::new();
    let access = Resource::new(|| (), |_| get_kinerja_access());
    // Reloaded after a stored activity only: a refused one leaves the form as it was typed.
    let stored = RwSignal::new(0u32);
    // What is typed in the form lives here, not in the form: the reload after a save re-creates
    // the form, and must not take away what the person has begun typing meanwhile.
    let draft = ActivityDraft::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            // A stored activity clears the form for the next one, once.
            draft.clear();
            stored.update(|n| *n += 1);
        }
    });
    let data = Resource::new(
        move || (bulan(), stored.get(), remove.version().get()),
        |(b, _, _)| get_my_kinerja(b),
    );
    view! {
        <Title text=l.t("Aktivitas Saya", "My activities") />
        <h1>{l.t("Kinerja", "Performance")}</h1>
        <KinerjaTabs access />
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => view! { <MyMonth d add remove draft /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MyMonth(
    d: MyKinerja,
    add: ServerAction<AddActivity>,
    remove: ServerAction<RemoveActivity>,
    draft: ActivityDraft,
) -> impl IntoView {
    let l = lang();
    let total: i64 = d
        .activities
        .iter()
        .filter(|a| a.status == ActivityStatus::Approved)
        .map(|a| a.minutes)
        .sum();
    let mut days: Vec<(i64, Vec<ActivityView>)> = Vec::new();
    for a in d.activities.clone() {
        match days.last_mut() {
            Some((day, list)) if *day == a.day => list.push(a),
            _ => days.push((a.day, vec![a])),
        }
    }
    let this_month = month_of_day(d.today) == d.month;
    let report = format!("/kinerja/laporan.pdf?bulan={}", month_iso(d.month));
    view! {
        <MonthNav month=d.month base="/kinerja" />
        <p class="toolbar">
            <a class="btn" href=report rel="external" target="_blank">
                {l.t("Laporan bulanan (PDF)", "Monthly report (PDF)")}
            </a>
        </p>
        <p class="muted">
            {format!(
                "{} {} / {} {}",
                l.t("Menit efektif disetujui:", "Approved effective minutes:"),
                total,
                d.monthly_target,
                l.t("menit target bulanan", "monthly target minutes"),
            )}
        </p>
        {d.result.clone().map(|r| view! { <Explained r closed=d.closed /> })}
        {(!d.closed && this_month).then(|| view! { <AddActivityForm d=d.clone() add draft /> })}
        {d
            .closed
            .then(|| {
                view! {
                    <p class="alert alert-info">
                        {l
                            .t(
                                "Bulan ini sudah ditutup oleh Admin OPD; aktivitas dan nilainya tidak berubah lagi.",
                                "This month was closed by the OPD admin; its activities and figures no longer change.",
                            )}
                    </p>
                }
            })}
        <ActionResult value=remove.value() ok=l.t("Aktivitas dihapus.", "Activity removed.") />
        <section aria-labelledby="h-aktivitas">
            <h2 id="h-aktivitas">{l.t("Aktivitas bulan ini", "This month's activities")}</h2>
            {days
                .is_empty()
                .then(|| {
                    view! {
                        <p class="empty">
                            {l
                                .t(
                                    "Belum ada aktivitas. Pekerjaan Anda di e-Office (menyusun, memaraf, menandatangani surat, disposisi dan tindak lanjut) tercatat di sini dengan sendirinya.",
                                    "No activities yet. Your work in e-Office (drafting, approving, signing letters, dispositions and follow-ups) appears here by itself.",
                                )}
                        </p>
                    }
                })}
            {days
                .into_iter()
                .map(|(day, list)| {
                    let minutes: i64 = list
                        .iter()
                        .filter(|a| a.status != ActivityStatus::Rejected)
                        .map(|a| a.minutes)
                        .sum();
                    view! {
                        <h3 class="section-title">
                            {format!(
                                "{} · {} {}",
                                long_date(day, l),
                                minutes,
                                l.t("menit", "min"),
                            )}
                        </h3>
                        <ul class="letter-list">
                            {list
                                .into_iter()
                                .map(|a| {
                                    let removable = a.work_kind.is_none()
                                        && a.status == ActivityStatus::Pending && !d.closed;
                                    let id = a.id.clone();
                                    view! {
                                        <ActivityLine a>
                                            {removable
                                                .then(|| {
                                                    let id = id.clone();
                                                    view! {
                                                        <button
                                                            type="button"
                                                            class="btn"
                                                            on:click=move |_| {
                                                                remove.dispatch(RemoveActivity { id: id.clone() });
                                                            }
                                                        >
                                                            {l.t("Hapus", "Remove")}
                                                        </button>
                                                    }
                                                })}
                                        </ActivityLine>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// The fields of the activity form, kept by the page across reloads of the month.
#[derive(Clone, Copy)]
struct ActivityDraft {
    tanggal: RwSignal<String>,
    mulai: RwSignal<String>,
    selesai: RwSignal<String>,
    bank_id: RwSignal<String>,
    uraian: RwSignal<String>,
    jumlah: RwSignal<String>,
    evidence: RwSignal<Option<crate::components::files::ScanPart>>,
    file_error: RwSignal<Option<String>>,
    client_id: RwSignal<String>,
}

impl ActivityDraft {
    fn new() -> Self {
        ActivityDraft {
            tanggal: RwSignal::new(String::new()),
            mulai: RwSignal::new(String::new()),
            selesai: RwSignal::new(String::new()),
            bank_id: RwSignal::new(String::new()),
            uraian: RwSignal::new(String::new()),
            jumlah: RwSignal::new("1".to_string()),
            evidence: RwSignal::new(None),
            file_error: RwSignal::new(None),
            client_id: RwSignal::new(crate::pages::letters::compose::new_client_id()),
        }
    }

    /// Ready for the next activity (the date and the bank choice stay).
    fn clear(&self) {
        self.mulai.set(String::new());
        self.selesai.set(String::new());
        self.uraian.set(String::new());
        self.jumlah.set("1".into());
        self.evidence.set(None);
        self.client_id.set(crate::pages::letters::compose::new_client_id());
    }
}

/// Logging an activity done outside e-Office: from the position's bank or as free text, with
/// an optional photo (reduced in the browser) or PDF as evidence.
#[component]
fn AddActivityForm(
    d: MyKinerja,
    add: ServerAction<AddActivity>,
    draft: ActivityDraft,
) -> impl IntoView {
    let l = lang();
    let today = iso_date(d.today);
    let min_day = iso_date(d.today - d.closing_days);
    let ActivityDraft {
        tanggal,
        mulai,
        selesai,
        bank_id,
        uraian,
        jumlah,
        evidence,
        file_error,
        client_id,
    } = draft;
    if tanggal.get_untracked().is_empty() {
        tanggal.set(today.clone());
    }
    let pending = add.pending();
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(file) = crate::components::files::take_picked_file(&ev) {
                leptos::task::spawn_local(async move {
                    match crate::components::files::read_scan_part(file, l).await {
                        Ok(p) => {
                            file_error.set(None);
                            evidence.set(Some(p));
                        }
                        Err(e) => file_error.set(Some(e)),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (name, b64) = evidence
            .get_untracked()
            .map(|p| {
                let name = if p.is_pdf {
                    p.name
                } else {
                    // The photo was re-encoded as JPEG: its name says so.
                    let stem = p.name.rsplit_once('.').map_or(p.name.as_str(), |(s, _)| s);
                    format!("{stem}.jpg")
                };
                (name, p.b64)
            })
            .unwrap_or_default();
        add.dispatch(AddActivity {
            a: crate::api::kinerja::ActivityInput {
                client_id: client_id.get_untracked(),
                tanggal: tanggal.get_untracked(),
                mulai: mulai.get_untracked(),
                selesai: selesai.get_untracked(),
                bank_id: bank_id.get_untracked(),
                uraian: uraian.get_untracked(),
                jumlah: jumlah.get_untracked().trim().parse().unwrap_or(0),
                bukti_nama: name,
                bukti: b64,
            },
        });
    };
    let bank = d.bank.clone();
    let has_bank = !bank.is_empty();
    view! {
        <section class="card" aria-labelledby="h-tambah">
            <h2 id="h-tambah">
                {l.t("Catat aktivitas di luar e-Office", "Log work done outside e-Office")}
            </h2>
            <p class="muted small">
                {format!(
                    "{} {} {}",
                    l.t("Paling lama", "Up to"),
                    d.closing_days,
                    l
                        .t(
                            "hari ke belakang; atasan langsung Anda memvalidasinya.",
                            "days back; your direct superior validates it.",
                        ),
                )}
            </p>
            <form class="form" on:submit=submit>
                <div class="grid-2">
                    <label>
                        {l.t("Tanggal", "Date")}
                        <input
                            type="date"
                            name="tanggal"
                            required
                            min=min_day
                            max=today
                            prop:value=tanggal
                            on:input=move |ev| tanggal.set(event_target_value(&ev))
                        />
                    </label>
                    <label>
                        {l.t("Jumlah keluaran", "Quantity")}
                        <input
                            type="number"
                            name="jumlah"
                            min="1"
                            max="100"
                            required
                            prop:value=jumlah
                            on:input=move |ev| jumlah.set(event_target_value(&ev))
                        />
                    </label>
                    <label>
                        {l.t("Mulai", "Start")}
                        <input
                            type="time"
                            name="mulai"
                            required
                            prop:value=mulai
                            on:input=move |ev| mulai.set(event_target_value(&ev))
                        />
                    </label>
                    <label>
                        {l.t("Selesai", "End")}
                        <input
                            type="time"
                            name="selesai"
                            required
                            prop:value=selesai
                            on:input=move |ev| selesai.set(event_target_value(&ev))
                        />
                    </label>
                </div>
                <label>
                    {l.t("Aktivitas dari bank jabatan", "Activity from the position's bank")}
                    <select
                        name="bank_id"
                        prop:value=bank_id
                        on:change=move |ev| bank_id.set(event_target_value(&ev))
                    >
                        <option value="">
                            {if has_bank {
                                l.t(
                                    "— Teks bebas (dinilai atasan) —",
                                    "— Free text (rated by the superior) —",
                                )
                            } else {
                                l.t(
                                    "Bank aktivitas jabatan Anda masih kosong: teks bebas",
                                    "Your position's bank is empty: free text",
                                )
                            }}
                        </option>
                        {bank
                            .into_iter()
                            .map(|b| {
                                view! {
                                    <option value=b
                                        .id
                                        .clone()>
                                        {format!(
                                            "{} ({} {} / {})",
                                            b.name,
                                            b.minutes,
                                            l.t("menit", "min"),
                                            b.unit,
                                        )}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {l.t("Uraian", "Description")}
                    <textarea
                        name="uraian"
                        rows="2"
                        maxlength="500"
                        prop:value=uraian
                        on:input=move |ev| uraian.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <label class="file-btn">
                    {l.t("Bukti (foto atau PDF, tidak wajib)", "Evidence (photo or PDF, optional)")}
                    <input
                        type="file"
                        name="bukti"
                        accept="image/jpeg,image/png,application/pdf"
                        capture="environment"
                        on:change=on_file
                    />
                </label>
                {move || {
                    evidence
                        .get()
                        .map(|p| {
                            view! {
                                <p class="muted small">
                                    {format!("{} ({} KB)", p.name, p.bytes / 1024)} " "
                                    <button
                                        type="button"
                                        class="btn-link"
                                        on:click=move |_| evidence.set(None)
                                    >
                                        {l.t("Batalkan bukti", "Drop evidence")}
                                    </button>
                                </p>
                            }
                        })
                }}
                {move || {
                    file_error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                <ActionResult
                    value=add.value()
                    ok=l
                        .t(
                            "Aktivitas dicatat dan menunggu validasi atasan.",
                            "Activity logged; it awaits your superior's validation.",
                        )
                />
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                        {move || busy_label(
                            pending.get(),
                            l.t("Simpan aktivitas", "Save activity"),
                            l.t("Menyimpan…", "Saving…"),
                        )}
                    </button>
                </div>
            </form>
        </section>
    }
}
