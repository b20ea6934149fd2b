//! Writing a letter: the form, the recipient picker, the body editor with a live preview,
//! attachments, and autosave. Every save carries a fresh client id and the version it started from.

use super::view::BodyView;
use crate::api::letters::{
    ComposeOptions, get_compose_options, letter_action, remove_attachment, reply_draft,
    save_letter, search_co_signers, search_directory,
};
use crate::app::lang;
use crate::components::search::DebouncedSearch;
use crate::components::{ErrorBox, Loading};
use domain::Code;
use domain::letter::{
    LetterDraft, LetterKind, Recipient, RecipientRole, Sifat, TargetType, Urgency,
};
use domain::letter_body::LetterBody;
use domain::letter_view::{AttachmentInfo, CoSignerOption, DirectoryEntry, LetterDetail, ReplyRef};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Debug, PartialEq)]
enum SaveState {
    Clean,
    Dirty,
    Saving,
    Saved(i64),
    Failed(String),
    Conflict(String),
}

/// A client-generated id for one save: time plus randomness, unique enough to make resends idempotent.
pub(crate) fn new_client_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        let r1 = (js_sys::Math::random() * 1e15) as u64;
        let r2 = (js_sys::Math::random() * 1e15) as u64;
        format!("{:x}-{r1:x}{r2:x}", js_sys::Date::now() as u64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

use crate::components::now_ms;

#[component]
pub fn ComposePage() -> impl IntoView {
    let l = lang();
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    // "Buat surat balasan": /surat-keluar/baru?balas=<incoming letter id> starts pre-filled.
    let reply_of = if id.is_empty() {
        use_query_map().read_untracked().get("balas").filter(|b| !b.trim().is_empty())
    } else {
        None
    };
    let options = Resource::new(|| (), |_| get_compose_options());
    let existing = Resource::new(
        move || id.clone(),
        |id| async move {
            if id.is_empty() {
                Ok(None)
            } else {
                crate::api::letters::get_letter_detail(id).await.map(Some)
            }
        },
    );
    let reply = Resource::new(
        move || reply_of.clone(),
        |r| async move {
            match r {
                Some(incoming) => reply_draft(incoming).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=l.t("Tulis surat", "Write a letter") />
        <p>
            <A href="/surat-keluar">{l.t("← Surat Keluar", "← Outgoing letters")}</A>
        </p>
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match (options.await, existing.await, reply.await) {
                    (Ok(o), Ok(e), Ok(r)) => {
                        view! { <ComposeForm options=o existing=e reply=r /> }.into_any()
                    }
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                        view! { <ErrorBox error=e /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ComposeForm(
    options: ComposeOptions,
    existing: Option<LetterDetail>,
    reply: Option<(LetterDraft, ReplyRef)>,
) -> impl IntoView {
    let l = lang();
    let editable = existing.as_ref().map(|d| d.allowed.edit).unwrap_or(true);
    let (prefill, reply_ref) = match reply {
        Some((d, r)) => (Some(d), Some(r)),
        None => (None, existing.as_ref().and_then(|d| d.reply_to.clone())),
    };
    let d = existing.as_ref().map(|d| d.draft.clone()).or(prefill).unwrap_or_else(|| LetterDraft {
        kind: LetterKind::SuratDinas,
        klasifikasi: String::new(),
        sifat: Sifat::Biasa,
        urgency: Urgency::Biasa,
        subject: String::new(),
        attachment_count: 0,
        signer_position_id: None,
        co_signer_position_id: None,
        recipients: vec![],
        body: LetterBody::from_markup(domain::letter::template_body(LetterKind::SuratDinas)),
        reply_to_incoming_id: None,
    });
    let reply_to = StoredValue::new(d.reply_to_incoming_id.clone());
    let letter_id = RwSignal::new(existing.as_ref().map(|d| d.id.clone()).unwrap_or_default());
    let version = RwSignal::new(existing.as_ref().map(|d| d.version).unwrap_or(0));
    let submittable = existing.as_ref().map(|d| d.allowed.submit).unwrap_or(true);
    let kind = RwSignal::new(d.kind);
    let klas = RwSignal::new(d.klasifikasi.clone());
    let sifat = RwSignal::new(d.sifat);
    let urgency = RwSignal::new(d.urgency);
    let subject = RwSignal::new(d.subject.clone());
    let lampiran = RwSignal::new(d.attachment_count.to_string());
    let signer = RwSignal::new(d.signer_position_id.clone().unwrap_or_default());
    let co_signer = RwSignal::new(existing.as_ref().and_then(|d| d.co_signer.clone()));
    let recipients = RwSignal::new(d.recipients.clone());
    let body = RwSignal::new(d.body.to_markup());
    let attachments =
        RwSignal::new(existing.as_ref().map(|d| d.attachments.clone()).unwrap_or_default());
    let state = RwSignal::new(SaveState::Clean);
    let edits = RwSignal::new(0u64);
    let saved_edits = RwSignal::new(0u64);
    let saving = RwSignal::new(false);
    let tick = RwSignal::new(0u64);
    let want_submit = RwSignal::new(false);
    let submit_error = RwSignal::new(None::<String>);
    let go = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(path) = go.get() {
            navigate(&path, Default::default());
        }
    });

    let build = move || LetterDraft {
        kind: kind.get_untracked(),
        klasifikasi: klas.get_untracked(),
        sifat: sifat.get_untracked(),
        urgency: urgency.get_untracked(),
        subject: subject.get_untracked(),
        attachment_count: lampiran.get_untracked().trim().parse().unwrap_or(-1),
        signer_position_id: Some(signer.get_untracked()).filter(|s| !s.is_empty()),
        co_signer_position_id: co_signer.get_untracked().map(|c| c.position_id),
        recipients: recipients.get_untracked(),
        body: LetterBody::from_markup(&body.get_untracked()),
        reply_to_incoming_id: reply_to.get_value(),
    };
    let poke = move |ms: u64| {
        set_timeout(move || tick.update(|t| *t += 1), std::time::Duration::from_millis(ms));
    };
    let changed = move || {
        edits.update(|n| *n += 1);
        if !matches!(state.get_untracked(), SaveState::Conflict(_)) {
            state.set(SaveState::Dirty);
        }
        poke(1500);
    };
    let submit_now = move || {
        let id = letter_id.get_untracked();
        let v = version.get_untracked();
        spawn_local(async move {
            match letter_action(id.clone(), v, "submit".into(), String::new()).await {
                Ok(_) => go.set(Some(format!("/surat-keluar/{id}"))),
                Err(e) => submit_error.set(Some(e.message)),
            }
            want_submit.set(false);
        });
    };
    let start_save = move || {
        if saving.get_untracked() {
            return;
        }
        let draft = build();
        if let Err(msg) = draft.validate() {
            state.set(SaveState::Failed(msg));
            want_submit.set(false);
            return;
        }
        saving.set(true);
        state.set(SaveState::Saving);
        let at_edit = edits.get_untracked();
        let id = letter_id.get_untracked();
        let base = version.get_untracked();
        spawn_local(async move {
            let res = save_letter(id, new_client_id(), base, draft).await;
            saving.set(false);
            match res {
                Ok(r) if r.outcome == "conflict" => {
                    saved_edits.set(edits.get_untracked());
                    state.set(SaveState::Conflict(r.message));
                    want_submit.set(false);
                }
                Ok(r) => {
                    letter_id.set(r.id);
                    version.set(r.version);
                    saved_edits.set(at_edit);
                    if edits.get_untracked() != at_edit {
                        state.set(SaveState::Dirty);
                        poke(800);
                    } else {
                        state.set(SaveState::Saved(now_ms()));
                        if want_submit.get_untracked() {
                            submit_now();
                        }
                    }
                }
                Err(e) => {
                    state.set(SaveState::Failed(e.message));
                    want_submit.set(false);
                }
            }
        });
    };
    Effect::new(move |_| {
        tick.track();
        if edits.get_untracked() != saved_edits.get_untracked()
            && !matches!(state.get_untracked(), SaveState::Conflict(_))
        {
            start_save();
        }
    });
    let on_submit = move || {
        submit_error.set(None);
        want_submit.set(true);
        if edits.get_untracked() != saved_edits.get_untracked()
            || letter_id.get_untracked().is_empty()
        {
            if letter_id.get_untracked().is_empty() {
                edits.update(|n| *n += 1);
            }
            start_save();
        } else {
            submit_now();
        }
    };
    let status_view = move || {
        match state.get() {
        SaveState::Clean => view! { <span class="muted">{l.t("Belum ada perubahan.", "No changes yet.")}</span> }.into_any(),
        SaveState::Dirty => view! { <span class="muted">{l.t("Perubahan belum tersimpan…", "Unsaved changes…")}</span> }.into_any(),
        SaveState::Saving => view! { <span class="muted">{l.t("Menyimpan…", "Saving…")}</span> }.into_any(),
        SaveState::Saved(ms) => {
            let t = if ms > 0 { domain::time::long_datetime(ms, l) } else { String::new() };
            view! { <span class="ok">{format!("{} {t}", l.t("Tersimpan", "Saved"))}</span> }.into_any()
        }
        SaveState::Failed(m) => view! { <span class="danger">{format!("{} {m}", l.t("Belum tersimpan:", "Not saved:"))}</span> }.into_any(),
        SaveState::Conflict(m) => view! { <span class="danger">{m}</span> }.into_any(),
    }
    };
    let add_recipient = move |r: Recipient| {
        let dup = recipients.with_untracked(|rs| {
            rs.iter()
                .any(|x| x.target_id.is_some() && x.target_id == r.target_id && x.role == r.role)
        });
        if !dup {
            recipients.update(|rs| rs.push(r));
            changed();
        }
    };
    let klasifikasi = options.klasifikasi.clone();
    let signers = options.signers.clone();
    let header_fields = view! {
        <div class="grid-2">
            <div>
                <label for="c-kind">{l.t("Jenis naskah", "Letter type")}</label>
                <select
                    id="c-kind"
                    on:change=move |ev| {
                        let previous = kind.get_untracked();
                        let Some(next) = LetterKind::from_code(&event_target_value(&ev)) else {
                            return;
                        };
                        let untouched = body
                            .with_untracked(|b| {
                                let written = LetterBody::from_markup(b);
                                written.is_empty()
                                    || written
                                        == LetterBody::from_markup(
                                            domain::letter::template_body(previous),
                                        )
                            });
                        if untouched {
                            body.set(domain::letter::template_body(next).to_string());
                        }
                        kind.set(next);
                        changed();
                    }
                >
                    {LetterKind::all()
                        .iter()
                        .copied()
                        .map(|k| {
                            view! {
                                <option value=k.code() selected=kind.get_untracked() == k>
                                    {k.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for="c-klas">{l.t("Klasifikasi arsip", "Archive classification")}</label>
                <select
                    id="c-klas"
                    required
                    on:change=move |ev| {
                        klas.set(event_target_value(&ev));
                        changed();
                    }
                >
                    <option value="" selected=klas.get_untracked().is_empty()>
                        {l.t("— pilih kode —", "— choose a code —")}
                    </option>
                    {klasifikasi
                        .into_iter()
                        .map(|(code, name)| {
                            let sel = klas.get_untracked() == code;
                            view! {
                                <option value=code.clone() selected=sel>
                                    {format!("{code} — {name}")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for="c-sifat">{l.t("Sifat", "Security class")}</label>
                <select
                    id="c-sifat"
                    on:change=move |ev| {
                        if let Some(s) = Sifat::from_code(&event_target_value(&ev)) {
                            sifat.set(s);
                        }
                        changed();
                    }
                >
                    {Sifat::all()
                        .iter()
                        .copied()
                        .map(|s| {
                            view! {
                                <option value=s.code() selected=sifat.get_untracked() == s>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for="c-urg">{l.t("Tingkat urgensi", "Urgency")}</label>
                <select
                    id="c-urg"
                    on:change=move |ev| {
                        if let Some(u) = Urgency::from_code(&event_target_value(&ev)) {
                            urgency.set(u);
                        }
                        changed();
                    }
                >
                    {Urgency::all()
                        .iter()
                        .copied()
                        .map(|u| {
                            view! {
                                <option value=u.code() selected=urgency.get_untracked() == u>
                                    {u.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="span-2">
                <label for="c-hal">{l.t("Hal (perihal)", "Subject")}</label>
                <input
                    id="c-hal"
                    maxlength="300"
                    required
                    prop:value=move || subject.get()
                    on:input=move |ev| {
                        subject.set(event_target_value(&ev));
                        changed();
                    }
                />
            </div>
            <div>
                <label for="c-lamp">
                    {l.t("Jumlah lampiran (berkas)", "Number of enclosures")}
                </label>
                <input
                    id="c-lamp"
                    type="number"
                    min="0"
                    max="100"
                    inputmode="numeric"
                    prop:value=move || lampiran.get()
                    on:input=move |ev| {
                        lampiran.set(event_target_value(&ev));
                        changed();
                    }
                />
            </div>
            <div>
                <label for="c-signer">{l.t("Penanda tangan", "Signer")}</label>
                <select
                    id="c-signer"
                    on:change=move |ev| {
                        signer.set(event_target_value(&ev));
                        changed();
                    }
                >
                    <option value="" selected=signer.get_untracked().is_empty()>
                        {l.t("Kepala OPD (bawaan)", "Head of agency (default)")}
                    </option>
                    {signers
                        .into_iter()
                        .filter(|(id, _)| Some(id) != options.head_position_id.as_ref())
                        .map(|(id, title)| {
                            let sel = signer.get_untracked() == id;
                            view! {
                                <option value=id.clone() selected=sel>
                                    {format!("a.n. — {title}")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </div>
    }
    .into_any();
    // Asked after the recipients: most letters have none, and the addressees come first.
    let co_signer_field = view! {
        <CoSignerPicker
            co_signer
            signer
            head=options.head_position_id.clone()
            on_change=Callback::new(move |_| changed())
        />
    };
    view! {
        <h1>
            {move || {
                if letter_id.get().is_empty() {
                    l.t("Tulis surat", "Write a letter")
                } else {
                    l.t("Ubah surat", "Edit letter")
                }
            }}
        </h1>
        {(!editable)
            .then(|| {
                view! {
                    <p class="alert alert-info" role="status">
                        {l
                            .t(
                                "Surat ini sedang tidak dapat Anda ubah.",
                                "You cannot edit this letter now.",
                            )}
                    </p>
                }
            })}
        {reply_ref.map(|r| view! { <ReplyNotice r /> })}
        <p class="save-state" role="status" aria-live="polite">
            {status_view}
        </p>
        <form class="form compose" on:submit=|ev| ev.prevent_default()>
            <fieldset disabled=!editable>
                {header_fields} <h2 class="section-title">{l.t("Penerima", "Recipients")}</h2>
                <RecipientList
                    recipients
                    role=RecipientRole::To
                    title=l.t("Kepada (Yth.)", "To")
                    on_change=Callback::new(move |_| changed())
                />
                <RecipientList
                    recipients
                    role=RecipientRole::Cc
                    title=l.t("Tembusan", "Copies (tembusan)")
                    on_change=Callback::new(move |_| changed())
                /> <RecipientPicker on_add=Callback::new(add_recipient) /> {co_signer_field}
                <h2 class="section-title">{l.t("Isi surat", "Body")}</h2>
                <BodyEditor body on_change=Callback::new(move |_| changed()) />
            </fieldset>
        </form>

        <Attachments letter_id attachments editable />

        {move || {
            submit_error
                .get()
                .map(|m| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            <p>{m}</p>
                        </div>
                    }
                })
        }}
        <div class="buttons sticky-actions">
            <button
                class="btn"
                type="button"
                disabled=move || !editable || saving.get()
                on:click=move |_| {
                    edits.update(|n| *n += 1);
                    start_save();
                }
            >
                {l.t("Simpan draf", "Save draft")}
            </button>
            {submittable
                .then(|| {
                    view! {
                        <button
                            class="btn btn-primary"
                            type="button"
                            disabled=move || !editable || want_submit.get()
                            on:click=move |_| on_submit()
                        >
                            {move || {
                                if want_submit.get() {
                                    l.t("Mengajukan…", "Submitting…")
                                } else {
                                    l.t("Ajukan untuk paraf", "Submit for approval")
                                }
                            }}
                        </button>
                    }
                })}
            {move || {
                (!letter_id.get().is_empty())
                    .then(|| {
                        view! {
                            <A href=format!("/surat-keluar/{}", letter_id.get()) attr:class="btn">
                                {l.t("Lihat surat", "View letter")}
                            </A>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

/// Which incoming letter this one answers, linked back to it.
#[component]
fn ReplyNotice(r: ReplyRef) -> impl IntoView {
    let l = lang();
    view! {
        <p class="alert alert-info" data-testid="reply-notice">
            {l.t("Balasan atas surat masuk ", "Reply to incoming letter ")}
            <A href=format!(
                "/surat-masuk/{}",
                r.incoming_id,
            )>{format!("{} {} ({})", l.t("nomor", "number"), r.letter_number, r.sender_name)}</A>
            {format!(
                ", {} {}, {} {}.",
                l.t("tanggal", "dated"),
                domain::time::long_date(r.letter_day, l),
                l.t("perihal", "subject"),
                r.subject,
            )}
        </p>
    }
}

#[component]
fn RecipientList(
    recipients: RwSignal<Vec<Recipient>>,
    role: RecipientRole,
    title: &'static str,
    on_change: Callback<()>,
) -> impl IntoView {
    let l = lang();
    view! {
        <div class="recipients">
            <h3>{title}</h3>
            {move || {
                let rs: Vec<(usize, Recipient)> = recipients
                    .get()
                    .into_iter()
                    .enumerate()
                    .filter(|(_, r)| r.role == role)
                    .collect();
                if rs.is_empty() {
                    view! { <p class="muted small">{l.t("Belum ada.", "None yet.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="chips">
                            {rs
                                .into_iter()
                                .map(|(i, r)| {
                                    let label = if r.address.is_empty() {
                                        r.name.clone()
                                    } else {
                                        format!("{} — {}", r.name, r.address)
                                    };
                                    let kind = match r.target_type {
                                        TargetType::Opd => "OPD",
                                        TargetType::Unit => "Unit",
                                        TargetType::Employee => l.t("Pegawai", "Person"),
                                        TargetType::External => l.t("Luar", "External"),
                                    };
                                    let aria = format!(
                                        "{} {}",
                                        l.t("Hapus penerima", "Remove recipient"),
                                        r.name,
                                    );
                                    view! {
                                        <li class="chip">
                                            <span class="badge">{kind}</span>
                                            " "
                                            {label}
                                            <button
                                                type="button"
                                                class="btn-link danger"
                                                aria-label=aria
                                                on:click=move |_| {
                                                    recipients
                                                        .update(|v| {
                                                            if i < v.len() {
                                                                v.remove(i);
                                                            }
                                                        });
                                                    on_change.run(());
                                                }
                                            >
                                                "✕"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// The co-signer of a joint letter: another official who signs after the signer, picked by
/// search-as-you-type from the Pemda's officials; at most one, and never the signer.
#[component]
fn CoSignerPicker(
    co_signer: RwSignal<Option<CoSignerOption>>,
    signer: RwSignal<String>,
    head: Option<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    let l = lang();
    let q = RwSignal::new(String::new());
    let search = DebouncedSearch::<CoSignerOption>::new();
    let (results, searching, error) = (search.results, search.searching, search.error);
    let run_search = move |text: String| search.run(text, search_co_signers);
    let describe = move |c: &CoSignerOption| match &c.holder_name {
        Some(h) => format!("{h} — {} ({})", c.title, c.opd_name),
        None => format!("{} ({}) — {}", c.title, c.opd_name, l.t("jabatan kosong", "vacant")),
    };
    let choose = move |c: CoSignerOption| {
        // The signer is the chosen position, or the head of the OPD by default.
        let main = Some(signer.get_untracked()).filter(|s| !s.is_empty()).or_else(|| head.clone());
        if main.as_deref() == Some(c.position_id.as_str()) {
            error.set(Some(domain::letter::CO_SIGNER_IS_SIGNER.to_string()));
            return;
        }
        error.set(None);
        co_signer.set(Some(c));
        q.set(String::new());
        results.set(vec![]);
        on_change.run(());
    };
    view! {
        <fieldset class="co-signer">
            <legend>{l.t("Penanda tangan kedua (opsional)", "Co-signer (optional)")}</legend>
            <p id="co-help" class="muted small">
                {l
                    .t(
                        "Untuk surat bersama: pejabat lain (mis. kepala OPD lain) ikut menandatangani secara elektronik setelah penanda tangan utama. Surat baru dikirim setelah tanda tangan kedua.",
                        "For a joint letter: another official (e.g. the head of another agency) signs electronically after the signer. The letter is delivered after the second signature.",
                    )}
            </p>
            {move || match co_signer.get() {
                Some(c) => {
                    let label = describe(&c);
                    view! {
                        <p class="chip co-signer-chosen" role="status">
                            <span class="badge">{l.t("TTE kedua", "2nd signature")}</span>
                            " "
                            <span>{label}</span>
                            <button
                                type="button"
                                class="btn-link danger"
                                aria-label=l.t("Hapus penanda tangan kedua", "Remove co-signer")
                                on:click=move |_| {
                                    co_signer.set(None);
                                    on_change.run(());
                                }
                            >
                                "✕"
                            </button>
                        </p>
                    }
                        .into_any()
                }
                None => {
                    let choose = choose.clone();
                    view! {
                        <label for="co-q">
                            {l.t("Cari penanda tangan kedua", "Search co-signer")}
                        </label>
                        <input
                            id="co-q"
                            type="search"
                            autocomplete="off"
                            aria-describedby="co-help co-count"
                            placeholder=l
                                .t(
                                    "mis. Bappeda, nama, jabatan atau NIP",
                                    "e.g. Bappeda, a name, position or NIP",
                                )
                            prop:value=move || q.get()
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                q.set(v.clone());
                                run_search(v);
                            }
                        />
                        <p id="co-count" class="muted small" aria-live="polite">
                            {move || {
                                if searching.get() {
                                    l.t("Mencari…", "Searching…").to_string()
                                } else if q.get().trim().chars().count() >= 2 {
                                    format!(
                                        "{} {}",
                                        results.get().len(),
                                        l.t("pejabat", "officials"),
                                    )
                                } else {
                                    l.t("Ketik paling sedikit 2 huruf.", "Type at least 2 letters.")
                                        .to_string()
                                }
                            }}
                        </p>
                        <ul class="picker-results">
                            {move || {
                                results
                                    .get()
                                    .into_iter()
                                    .map(|c| {
                                        let label = describe(&c);
                                        let pick = choose.clone();
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="picker-item"
                                                    on:click=move |_| pick(c.clone())
                                                >
                                                    {label}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </ul>
                    }
                        .into_any()
                }
            }}
            {move || {
                error
                    .get()
                    .map(|m| {
                        view! {
                            <p class="danger small" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
        </fieldset>
    }
    .into_any()
}

/// Search-as-you-type over the directory (OPDs, units, people), plus free-text external recipients.
#[component]
fn RecipientPicker(on_add: Callback<Recipient>) -> impl IntoView {
    let l = lang();
    let role = RwSignal::new(RecipientRole::To);
    let q = RwSignal::new(String::new());
    let search = DebouncedSearch::<DirectoryEntry>::new();
    let (results, searching, search_error) = (search.results, search.searching, search.error);
    let ext_name = RwSignal::new(String::new());
    let ext_addr = RwSignal::new(String::new());
    let run_search = move |text: String| search.run(text, search_directory);
    view! {
        <div class="picker card-inner">
            <div
                class="picker-role"
                role="radiogroup"
                aria-label=l.t("Tambahkan sebagai", "Add as")
            >
                <label class="check">
                    <input
                        type="radio"
                        name="picker-role"
                        value="to"
                        checked
                        on:change=move |_| role.set(RecipientRole::To)
                    />
                    {l.t("Penerima (Yth.)", "Addressee")}
                </label>
                <label class="check">
                    <input
                        type="radio"
                        name="picker-role"
                        value="cc"
                        on:change=move |_| role.set(RecipientRole::Cc)
                    />
                    {l.t("Tembusan", "Copy")}
                </label>
            </div>
            <label for="picker-q">
                {l.t("Cari OPD, unit, atau pegawai", "Search agency, unit or person")}
            </label>
            <input
                id="picker-q"
                type="search"
                autocomplete="off"
                placeholder=l
                    .t(
                        "mis. Bappeda, Bidang Aplikasi, nama atau NIP",
                        "e.g. Bappeda, a unit, a name or NIP",
                    )
                aria-describedby="picker-count"
                prop:value=move || q.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    q.set(v.clone());
                    run_search(v);
                }
            />
            <p id="picker-count" class="muted small" aria-live="polite">
                {move || {
                    if searching.get() {
                        l.t("Mencari…", "Searching…").to_string()
                    } else if q.get().trim().chars().count() >= 2 {
                        format!("{} {}", results.get().len(), l.t("hasil", "results"))
                    } else {
                        l.t("Ketik paling sedikit 2 huruf.", "Type at least 2 letters.").to_string()
                    }
                }}
            </p>
            {move || {
                search_error
                    .get()
                    .map(|m| {
                        view! {
                            <p class="danger small" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
            <ul class="picker-results">
                {move || {
                    results
                        .get()
                        .into_iter()
                        .map(|e| {
                            let entry = e.clone();
                            let kind = match e.target_type {
                                TargetType::Opd => "OPD",
                                TargetType::Unit => "Unit",
                                _ => l.t("Pegawai", "Person"),
                            };
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="picker-item"
                                        on:click=move |_| {
                                            on_add
                                                .run(Recipient {
                                                    role: role.get_untracked(),
                                                    target_type: entry.target_type,
                                                    target_id: Some(entry.target_id.clone()),
                                                    name: entry.name.clone(),
                                                    address: String::new(),
                                                });
                                            q.set(String::new());
                                            results.set(vec![]);
                                        }
                                    >
                                        <span class="badge">{kind}</span>
                                        " "
                                        <strong>{e.name.clone()}</strong>
                                        <span class="muted small">" — "{e.detail.clone()}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <details class="external">
                <summary>
                    {l
                        .t(
                            "Penerima di luar sistem (instansi lain, masyarakat)",
                            "Recipient outside the system",
                        )}
                </summary>
                <div class="grid-2">
                    <div>
                        <label for="ext-name">
                            {l.t("Nama / jabatan penerima", "Recipient name / title")}
                        </label>
                        <input
                            id="ext-name"
                            maxlength="300"
                            prop:value=move || ext_name.get()
                            on:input=move |ev| ext_name.set(event_target_value(&ev))
                        />
                    </div>
                    <div>
                        <label for="ext-addr">{l.t("Alamat / tempat", "Address / place")}</label>
                        <input
                            id="ext-addr"
                            maxlength="500"
                            prop:value=move || ext_addr.get()
                            on:input=move |ev| ext_addr.set(event_target_value(&ev))
                        />
                    </div>
                </div>
                <button
                    type="button"
                    class="btn"
                    disabled=move || ext_name.get().trim().is_empty()
                    on:click=move |_| {
                        on_add
                            .run(Recipient {
                                role: role.get_untracked(),
                                target_type: TargetType::External,
                                target_id: None,
                                name: ext_name.get_untracked().trim().to_string(),
                                address: ext_addr.get_untracked().trim().to_string(),
                            });
                        ext_name.set(String::new());
                        ext_addr.set(String::new());
                    }
                >
                    {l.t("Tambahkan penerima luar", "Add external recipient")}
                </button>
            </details>
        </div>
    }
    .into_any()
}

/// A plain textarea with chat-style marks (*tebal*, _miring_, lists, | tables |), toolbar buttons
/// that insert them, and a live preview of the result.
#[component]
fn BodyEditor(body: RwSignal<String>, on_change: Callback<()>) -> impl IntoView {
    let l = lang();
    let area = NodeRef::<leptos::html::Textarea>::new();
    let wrap = move |before: &'static str, after: &'static str, placeholder: &'static str| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = area.get_untracked() {
            let text = el.value();
            let chars: Vec<char> = text.chars().collect();
            let utf16_to_char = |u: u32| -> usize {
                let mut n = 0u32;
                for (i, c) in chars.iter().enumerate() {
                    if n >= u {
                        return i;
                    }
                    n += c.len_utf16() as u32;
                }
                chars.len()
            };
            let s = utf16_to_char(el.selection_start().ok().flatten().unwrap_or(0));
            let e = utf16_to_char(el.selection_end().ok().flatten().unwrap_or(0)).max(s);
            let selected: String = chars[s..e].iter().collect();
            let middle = if selected.is_empty() { placeholder.to_string() } else { selected };
            let new_text: String = chars[..s].iter().collect::<String>()
                + before
                + &middle
                + after
                + &chars[e..].iter().collect::<String>();
            el.set_value(&new_text);
            body.set(new_text);
            on_change.run(());
            let _ = el.focus();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (before, after, placeholder, area);
    };
    view! {
        <div class="editor">
            <div class="toolbar" role="toolbar" aria-label=l.t("Format teks", "Text format")>
                <button type="button" class="btn" on:click=move |_| wrap("*", "*", "teks tebal")>
                    <strong>"B"</strong>
                    <span class="sr-only">{l.t(" Tebal", " Bold")}</span>
                </button>
                <button type="button" class="btn" on:click=move |_| wrap("_", "_", "teks miring")>
                    <em>"I"</em>
                    <span class="sr-only">{l.t(" Miring", " Italic")}</span>
                </button>
                <button
                    type="button"
                    class="btn"
                    on:click=move |_| wrap("\n1. ", "\n2. ", "butir pertama")
                >
                    {l.t("1. Daftar bernomor", "1. Numbered list")}
                </button>
                <button type="button" class="btn" on:click=move |_| wrap("\n- ", "\n- ", "butir")>
                    {l.t("• Daftar butir", "• Bulleted list")}
                </button>
                <button
                    type="button"
                    class="btn"
                    on:click=move |_| wrap(
                        "\n\n| No | Uraian | Keterangan |\n| 1 | ",
                        " | |\n\n",
                        "...",
                    )
                >
                    {l.t("Tabel", "Table")}
                </button>
            </div>
            <label for="c-body" class="sr-only">
                {l.t("Isi surat", "Body")}
            </label>
            <textarea
                id="c-body"
                node_ref=area
                rows="14"
                aria-describedby="c-body-help"
                prop:value=move || body.get()
                on:input=move |ev| {
                    body.set(event_target_value(&ev));
                    on_change.run(());
                }
            ></textarea>
            <p id="c-body-help" class="muted small">
                {l
                    .t(
                        "Pisahkan paragraf dengan baris kosong. *tebal*, _miring_, baris diawali \"1. \" untuk daftar bernomor, \"- \" untuk butir, dan \"| a | b |\" untuk tabel (baris pertama judul kolom).",
                        "Separate paragraphs with a blank line. *bold*, _italic_, lines starting with \"1. \" for numbered lists, \"- \" for bullets, \"| a | b |\" for tables (first row is the header).",
                    )}
            </p>
            <details class="preview" open>
                <summary>{l.t("Pratinjau isi", "Body preview")}</summary>
                <div class="letter-body">
                    {move || view! { <BodyView body=LetterBody::from_markup(&body.get()) /> }}
                </div>
            </details>
        </div>
    }
    .into_any()
}

#[component]
fn Attachments(
    letter_id: RwSignal<String>,
    attachments: RwSignal<Vec<AttachmentInfo>>,
    editable: bool,
) -> impl IntoView {
    let l = lang();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use crate::components::files::{read_base64, take_picked_file};
            let Some(file) = take_picked_file(&ev) else { return };
            if file.size() > domain::files::MAX_ATTACHMENT_BYTES as f64 {
                error.set(Some(domain::files::FileError::TooLarge.to_string()));
                return;
            }
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                let res = match read_base64(&file, l).await {
                    Ok(data) => crate::api::letters::upload_attachment(
                        letter_id.get_untracked(),
                        file.name(),
                        data,
                    )
                    .await
                    .map_err(|e| e.message),
                    Err(m) => Err(m),
                };
                busy.set(false);
                match res {
                    Ok(a) => attachments.update(|v| v.push(a)),
                    Err(m) => error.set(Some(m)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <section class="card" aria-labelledby="h-lampiran">
            <h2 id="h-lampiran">{l.t("Berkas lampiran", "Attached files")}</h2>
            {move || {
                let items = attachments.get();
                if items.is_empty() {
                    view! { <p class="muted">{l.t("Belum ada berkas.", "No files yet.")}</p> }
                        .into_any()
                } else {
                    view! {
                        <ul class="plain">
                            {items
                                .into_iter()
                                .map(|a| {
                                    let id = a.id.clone();
                                    view! {
                                        <li>
                                            <a href=format!("/lampiran/{}", a.id) rel="external">
                                                {a.name.clone()}
                                            </a>
                                            <span class="muted small">
                                                {format!(" ({} KB)", (a.size + 1023) / 1024)}
                                            </span>
                                            {editable
                                                .then(|| {
                                                    view! {
                                                        <button
                                                            type="button"
                                                            class="btn-link danger"
                                                            on:click=move |_| {
                                                                let id = id.clone();
                                                                spawn_local(async move {
                                                                    match remove_attachment(id.clone()).await {
                                                                        Ok(()) => attachments.update(|v| v.retain(|x| x.id != id)),
                                                                        Err(e) => error.set(Some(e.message)),
                                                                    }
                                                                });
                                                            }
                                                        >
                                                            {l.t("Hapus", "Remove")}
                                                        </button>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            {move || {
                if letter_id.get().is_empty() {
                    view! {
                        <p class="muted small">
                            {l
                                .t(
                                    "Simpan draf terlebih dahulu untuk melampirkan berkas.",
                                    "Save the draft first to attach files.",
                                )}
                        </p>
                    }
                        .into_any()
                } else if editable {
                    view! {
                        <label for="c-file">
                            {l
                                .t(
                                    "Tambah berkas (PDF, PNG, JPEG; maks. 10 MB)",
                                    "Add a file (PDF, PNG, JPEG; max 10 MB)",
                                )}
                        </label>
                        <input
                            id="c-file"
                            type="file"
                            accept="application/pdf,image/png,image/jpeg"
                            disabled=move || busy.get()
                            on:change=on_file
                        />
                    }
                        .into_any()
                } else {
                    ().into_any()
                }
            }}
            {move || busy.get().then(|| view! { <Loading /> })}
            {move || {
                error
                    .get()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                <p>{m}</p>
                            </div>
                        }
                    })
            }}
        </section>
    }
    .into_any()
}
