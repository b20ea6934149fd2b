//! Registration of scanned mail by the records clerk: the fields of the letter, and its scan as one
//! PDF or as photos of the pages (from files or straight from the phone camera), in page order.

use crate::api::incoming::{RegisterOptions, get_register_options, register_incoming};
use crate::app::lang;
use crate::components::{ErrorBox, Loading};
use crate::pages::letters::compose::new_client_id;
use domain::Code;
use domain::disposition::{RegisterInput, RegisterOutcome, ScanUpload};
use domain::letter::{Sifat, Urgency};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::files::ScanPart;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let l = lang();
    let options = Resource::new(|| (), |_| get_register_options());
    view! {
        <Title text=l.t("Registrasi surat masuk", "Register incoming mail") />
        <p>
            <A href="/surat-masuk">{l.t("← Surat Masuk", "← Incoming mail")}</A>
        </p>
        <h1>{l.t("Registrasi surat masuk", "Register incoming mail")}</h1>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => view! { <RegisterForm o /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegisterForm(o: RegisterOptions) -> impl IntoView {
    let l = lang();
    let client_id = StoredValue::new(new_client_id());
    let received = RwSignal::new(o.today.clone());
    let sender = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let letter_date = RwSignal::new(String::new());
    let sifat = RwSignal::new(Sifat::Biasa);
    let urgency = RwSignal::new(Urgency::Biasa);
    let lampiran = RwSignal::new("0".to_string());
    let subject = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let klasifikasi = RwSignal::new(String::new());
    let disposer =
        RwSignal::new(o.disposers.first().map(|d| d.position_id.clone()).unwrap_or_default());
    let parts = RwSignal::new(Vec::<ScanPart>::new());
    let file_error = RwSignal::new(None::<String>);
    let reading = RwSignal::new(0usize);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let duplicate = RwSignal::new(None::<(String, i64, String)>);
    let navigate = leptos_router::hooks::use_navigate();
    let today = o.today.clone();

    let add_files = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let files = crate::components::files::take_picked_files(&ev);
            file_error.set(None);
            // Read one after another, so the pages keep the order they were chosen in (reading
            // them at once would add each page as soon as its reduction finished).
            reading.update(|n| *n += files.len());
            spawn_local(async move {
                for file in files {
                    let res = crate::components::files::read_scan_part(file, l).await;
                    reading.update(|n| *n = n.saturating_sub(1));
                    match res {
                        Ok(p) => parts.update(|v| {
                            if p.is_pdf {
                                // One PDF is the whole scan.
                                v.clear();
                                v.push(p);
                            } else {
                                v.retain(|x| !x.is_pdf);
                                if v.len() >= domain::files::MAX_SCAN_PAGES {
                                    file_error.set(Some(format!(
                                        "{} {} {}",
                                        l.t("Paling banyak", "At most"),
                                        domain::files::MAX_SCAN_PAGES,
                                        l.t("halaman foto per surat; pindai sebagai PDF bila lebih.", "photo pages per letter; scan to PDF if there are more.")
                                    )));
                                } else {
                                    v.push(p);
                                }
                            }
                        }),
                        Err(m) => file_error.set(Some(m)),
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };

    let submit = move |confirm: bool| {
        let scan_parts = parts.get_untracked();
        error.set(None);
        if scan_parts.is_empty() {
            error.set(Some(
                l.t(
                    "Unggah hasil pindai surat: satu berkas PDF, atau foto setiap halaman.",
                    "Upload the scan: one PDF file, or a photo of every page.",
                )
                .into(),
            ));
            return;
        }
        let input = RegisterInput {
            client_id: client_id.get_value(),
            received: received.get_untracked(),
            sender_name: sender.get_untracked(),
            letter_number: number.get_untracked(),
            letter_date: letter_date.get_untracked(),
            sifat: sifat.get_untracked(),
            urgency: urgency.get_untracked(),
            attachment_count: lampiran.get_untracked().trim().parse().unwrap_or(-1),
            subject: subject.get_untracked(),
            summary: summary.get_untracked(),
            klasifikasi: klasifikasi.get_untracked(),
            disposer_position_id: disposer.get_untracked(),
            confirm_duplicate: confirm,
        };
        let scan = match scan_parts.first() {
            Some(p) if p.is_pdf => ScanUpload {
                pdf_b64: Some(p.b64.clone()),
                images_b64: vec![],
                original_name: p.name.clone(),
            },
            _ => ScanUpload {
                pdf_b64: None,
                images_b64: scan_parts.iter().map(|p| p.b64.clone()).collect(),
                original_name: String::new(),
            },
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let res = register_incoming(input, scan).await;
            busy.set(false);
            match res {
                Ok(RegisterOutcome::Registered { id, agenda_number }) => {
                    duplicate.set(None);
                    navigate(
                        &format!("/surat-masuk/{id}?baru={agenda_number}"),
                        Default::default(),
                    );
                }
                Ok(RegisterOutcome::PossibleDuplicate {
                    agenda_number,
                    registered_ms,
                    subject,
                }) => duplicate.set(Some((agenda_number, registered_ms, subject))),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let submit_first = submit.clone();

    let move_part = move |i: usize, up: bool| {
        parts.update(|v| {
            let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < v.len()) };
            if let Some(j) = j {
                v.swap(i, j);
            }
        })
    };

    view! {
        <form
            class="form card"
            on:submit=move |ev| {
                ev.prevent_default();
                submit_first(false);
            }
            novalidate
        >
            <fieldset>
                <legend>{l.t("Hasil pindai", "Scan")}</legend>
                <p class="muted small">
                    {l
                        .t(
                            "Satu berkas PDF, atau foto setiap halaman (JPEG/PNG) sesuai urutan halaman. Foto dikecilkan di perangkat Anda sebelum dikirim.",
                            "One PDF file, or a photo of every page (JPEG/PNG) in page order. Photos are reduced on your device before sending.",
                        )}
                </p>
                <div class="buttons">
                    <label class="btn file-btn">
                        {l.t("Pilih berkas", "Choose files")}
                        <input
                            type="file"
                            class="sr-only"
                            data-testid="scan-files"
                            accept="application/pdf,image/jpeg,image/png"
                            multiple
                            on:change=add_files
                        />
                    </label>
                    <label class="btn file-btn">
                        {l.t("Foto dengan kamera", "Take a photo")}
                        <input
                            type="file"
                            class="sr-only"
                            accept="image/*"
                            capture="environment"
                            on:change=add_files
                        />
                    </label>
                </div>
                {move || {
                    (reading.get() > 0)
                        .then(|| {
                            view! {
                                <p class="loading" role="status">
                                    <span class="spinner" aria-hidden="true"></span>
                                    {l.t("Membaca berkas…", "Reading files…")}
                                </p>
                            }
                        })
                }}
                {move || {
                    file_error
                        .get()
                        .map(|m| {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    {m}
                                </p>
                            }
                        })
                }}
                {move || {
                    let v = parts.get();
                    if v.is_empty() {
                        return view! {
                            <p class="muted">{l.t("Belum ada hasil pindai.", "No scan yet.")}</p>
                        }
                            .into_any();
                    }
                    let n = v.len();
                    view! {
                        <ol class="scan-parts" aria-label=l.t("Halaman pindaian", "Scanned pages")>
                            {v
                                .into_iter()
                                .enumerate()
                                .map(|(i, p)| {
                                    view! {
                                        <li>
                                            <span class="scan-name">
                                                {format!("{} ({} KB)", p.name, p.bytes.div_ceil(1024))}
                                            </span>
                                            {(!p.is_pdf && n > 1)
                                                .then(|| {
                                                    view! {
                                                        <button
                                                            type="button"
                                                            class="btn-link"
                                                            disabled=i == 0
                                                            on:click=move |_| move_part(i, true)
                                                            aria-label=format!(
                                                                "{} {}",
                                                                l.t("Naikkan halaman", "Move page up"),
                                                                i + 1,
                                                            )
                                                        >
                                                            "↑"
                                                        </button>
                                                        <button
                                                            type="button"
                                                            class="btn-link"
                                                            disabled=i + 1 == n
                                                            on:click=move |_| move_part(i, false)
                                                            aria-label=format!(
                                                                "{} {}",
                                                                l.t("Turunkan halaman", "Move page down"),
                                                                i + 1,
                                                            )
                                                        >
                                                            "↓"
                                                        </button>
                                                    }
                                                })}
                                            <button
                                                type="button"
                                                class="btn-link danger"
                                                on:click=move |_| {
                                                    parts
                                                        .update(|v| {
                                                            v.remove(i);
                                                        })
                                                }
                                            >
                                                {l.t("Hapus", "Remove")}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </fieldset>
            <div class="grid-2">
                <label>
                    {l.t("Tanggal diterima", "Date received")}
                    <input
                        type="date"
                        required
                        max=today.clone()
                        prop:value=move || received.get()
                        on:input=move |ev| received.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {l.t("Asal surat (instansi pengirim)", "Sender (agency)")}
                    <input
                        type="text"
                        required
                        maxlength="300"
                        list="daftar-pengirim"
                        autocomplete="off"
                        prop:value=move || sender.get()
                        on:input=move |ev| sender.set(event_target_value(&ev))
                    />
                    <datalist id="daftar-pengirim">
                        {o
                            .senders
                            .iter()
                            .map(|s| view! { <option value=s.clone()></option> })
                            .collect_view()}
                    </datalist>
                </label>
                <label>
                    {l.t("Nomor surat", "Letter number")}
                    <input
                        type="text"
                        required
                        maxlength="120"
                        prop:value=move || number.get()
                        on:input=move |ev| number.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {l.t("Tanggal surat", "Letter date")}
                    <input
                        type="date"
                        required
                        max=today
                        prop:value=move || letter_date.get()
                        on:input=move |ev| letter_date.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {l.t("Sifat", "Security class")}
                    <select on:change=move |ev| {
                        if let Some(s) = Sifat::from_code(&event_target_value(&ev)) {
                            sifat.set(s);
                        }
                    }>
                        {Sifat::all()
                            .iter()
                            .map(|s| {
                                view! {
                                    <option value=s.code() selected=*s == Sifat::Biasa>
                                        {s.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {l.t("Urgensi", "Urgency")}
                    <select on:change=move |ev| {
                        if let Some(u) = Urgency::from_code(&event_target_value(&ev)) {
                            urgency.set(u);
                        }
                    }>
                        {Urgency::all()
                            .iter()
                            .map(|u| {
                                view! {
                                    <option value=u.code() selected=*u == Urgency::Biasa>
                                        {u.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {l.t("Jumlah lampiran", "Enclosures")}
                    <input
                        type="number"
                        min="0"
                        max="999"
                        inputmode="numeric"
                        prop:value=move || lampiran.get()
                        on:input=move |ev| lampiran.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {l.t("Klasifikasi", "Classification")}
                    <select on:change=move |ev| klasifikasi.set(event_target_value(&ev))>
                        <option value="">{l.t("(tidak diisi)", "(none)")}</option>
                        {o
                            .klasifikasi
                            .iter()
                            .map(|(c, n)| {
                                view! { <option value=c.clone()>{format!("{c} — {n}")}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <label>
                {l.t("Hal (perihal)", "Subject")}
                <input
                    type="text"
                    required
                    maxlength="500"
                    prop:value=move || subject.get()
                    on:input=move |ev| subject.set(event_target_value(&ev))
                />
            </label>
            <label>
                {l.t("Ringkasan isi", "Summary")}
                <textarea
                    rows="3"
                    maxlength="4000"
                    prop:value=move || summary.get()
                    on:input=move |ev| summary.set(event_target_value(&ev))
                ></textarea>
            </label>
            <label>
                {l.t("Diteruskan untuk didisposisi oleh", "Sent for disposition to")}
                <select on:change=move |ev| {
                    disposer.set(event_target_value(&ev))
                }>
                    {o
                        .disposers
                        .iter()
                        .enumerate()
                        .map(|(i, d)| {
                            view! {
                                <option value=d.position_id.clone() selected=i == 0>
                                    {if d.holder.is_empty() {
                                        d.title.clone()
                                    } else {
                                        format!("{} — {}", d.title, d.holder)
                                    }}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            {move || {
                error
                    .get()
                    .map(|m| {
                        view! {
                            <p class="alert alert-error" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
            {move || {
                duplicate
                    .get()
                    .map(|(agenda, at, subj)| {
                        let submit = submit.clone();
                        view! {
                            <div class="alert alert-warn" role="alert">
                                <p>
                                    <strong>
                                        {l.t("Kemungkinan surat ganda. ", "Possible duplicate. ")}
                                    </strong>
                                    {format!(
                                        "{} {agenda} ({}, \"{subj}\").",
                                        l
                                            .t(
                                                "Surat dengan asal, nomor, dan tanggal yang sama sudah diregistrasi dengan nomor agenda",
                                                "A letter with the same sender, number and date was registered as agenda number",
                                            ),
                                        domain::time::long_datetime(at, l),
                                    )}
                                </p>
                                <button type="button" class="btn" on:click=move |_| submit(true)>
                                    {l
                                        .t(
                                            "Tetap registrasi sebagai surat baru",
                                            "Register it anyway",
                                        )}
                                </button>
                            </div>
                        }
                    })
            }}
            <div class="buttons">
                <button
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || busy.get() || reading.get() != 0
                >
                    {move || {
                        if busy.get() {
                            l.t("Menyimpan…", "Saving…")
                        } else {
                            l.t("Registrasi", "Register")
                        }
                    }}
                </button>
            </div>
        </form>
    }
}
