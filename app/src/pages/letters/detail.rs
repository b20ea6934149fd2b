//! One letter: where it is, the text, the PDF, the actions the user may take, the history with
//! notes, and the differences between versions.

use super::view::LetterSheet;
use super::{sifat_badge, state_class, urgency_badge};
use crate::api::letters::{LetterAction, get_letter_detail, letter_diff};
use crate::api::tte::{SignOneLetter, get_signing_info};
use crate::app::lang;
use crate::components::flash::Flash;
use crate::components::{ErrorBox, Loading};
use domain::letter::LetterState;
use domain::letter_body::DiffLine;
use domain::letter_view::{LetterDetail, StopStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LetterPage() -> impl IntoView {
    let l = lang();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let act = ServerAction::<LetterAction>::new();
    let sign = ServerAction::<SignOneLetter>::new();
    let detail = Resource::new(
        move || (id(), act.version().get(), sign.version().get()),
        |(id, _, _)| get_letter_detail(id),
    );
    // The outcome goes to the page's message bar: in view wherever the button was, and it stays
    // after the letter reloads without the actions.
    let flash = Flash::get();
    Effect::new(move |_| match act.value().get() {
        Some(Err(e)) => flash.error(&e),
        Some(Ok(s)) => flash.ok(format!(
            "{} {s}.",
            l.t("Berhasil. Status surat sekarang:", "Done. The letter is now:")
        )),
        None => {}
    });
    Effect::new(move |_| match sign.value().get() {
        Some(Err(e)) => flash.error(&e),
        Some(Ok(s)) => flash.ok(format!(
            "{} {s}.",
            l.t(
                "Surat ditandatangani. Status surat sekarang:",
                "Letter signed. The letter is now:"
            )
        )),
        None => {}
    });
    let diff_sel = RwSignal::new(None::<(i64, i64)>);
    let diff = Resource::new(
        move || (id(), diff_sel.get()),
        |(id, sel)| async move {
            match sel {
                Some((a, b)) => letter_diff(id, a, b).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=l.t("Surat", "Letter") />
        <p>
            <A href="/surat-keluar">{l.t("← Surat Keluar", "← Outgoing letters")}</A>
        </p>
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d act sign diff_sel /> }.into_any(),
                    Err(e) => {
                        view! {
                            <h1>{l.t("Surat", "Letter")}</h1>
                            <ErrorBox error=e />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match diff.await {
                    Ok(Some(d)) => {
                        view! {
                            <section class="card" aria-labelledby="h-diff">
                                <h2 id="h-diff">
                                    {format!(
                                        "{} {} → {}",
                                        l.t("Perbedaan versi", "Differences between versions"),
                                        d.from,
                                        d.to,
                                    )}
                                </h2>
                                <DiffView lines=d.header />
                                <DiffView lines=d.body />
                            </section>
                        }
                            .into_any()
                    }
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DiffView(lines: Vec<DiffLine>) -> impl IntoView {
    let l = lang();
    if lines.iter().all(|x| matches!(x, DiffLine::Same(_))) {
        return view! {
            <p class="muted small">
                {l.t("Tidak ada perubahan di bagian ini.", "No changes in this part.")}
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="diff">
            {lines
                .into_iter()
                .map(|x| match x {
                    DiffLine::Same(t) => view! { <li class="same">{t}</li> }.into_any(),
                    DiffLine::Removed(t) => {
                        view! {
                            <li class="removed">
                                <span class="sr-only">{l.t("Dihapus: ", "Removed: ")}</span>
                                <del>{t}</del>
                            </li>
                        }
                            .into_any()
                    }
                    DiffLine::Added(t) => {
                        view! {
                            <li class="added">
                                <span class="sr-only">{l.t("Ditambahkan: ", "Added: ")}</span>
                                <ins>{t}</ins>
                            </li>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Detail(
    d: LetterDetail,
    act: ServerAction<LetterAction>,
    sign: ServerAction<SignOneLetter>,
    diff_sel: RwSignal<Option<(i64, i64)>>,
) -> impl IntoView {
    let l = lang();
    let id = d.id.clone();
    let version = d.version;
    let a = d.allowed.clone();
    let pdf_href = format!("/surat-keluar/{}/pdf", d.id);
    let note = RwSignal::new(String::new());
    let action_form = move |action: &'static str, label: &'static str, primary: bool| {
        let id = id.clone();
        view! {
            <ActionForm action=act>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version.to_string() />
                <input type="hidden" name="action" value=action />
                <input type="hidden" name="note" value="" />
                <button
                    type="submit"
                    class=if primary { "btn btn-primary" } else { "btn" }
                    disabled=move || act.pending().get()
                >
                    {label}
                </button>
            </ActionForm>
        }
    };
    let id_ret = d.id.clone();
    let versions = d.versions.clone();
    let has_actions =
        a.submit || a.approve || a.ret || a.sign || a.mark_sent || a.withdraw || a.edit;
    // Waiting for the second signature: the co-signer signs or refuses (which voids the number).
    let co_signing = d.state == LetterState::CoSigning;
    let co_holder = d.co_signer.as_ref().map(|c| {
        let who = d
            .chain
            .iter()
            .find(|s| s.is_co_signer)
            .and_then(|s| s.holder.clone())
            .or_else(|| c.holder_name.clone());
        match who {
            Some(h) => format!("{} — {h}", c.title),
            None => c.title.clone(),
        }
    });
    view! {
        <h1>{d.draft.subject.clone()}</h1>
        <p class="meta-line">
            <span class=state_class(d.state)>{d.state_label.clone()}</span>
            " "
            {sifat_badge(d.draft.sifat, l)}
            " "
            <span class="badge">{d.draft.kind.label()}</span>
            " "
            {urgency_badge(d.draft.urgency, l)}
        </p>
        <ReturnedNote d=d.clone() />
        <dl class="facts">
            <dt>{l.t("Nomor", "Number")}</dt>
            <dd class="letter-number">
                {d
                    .number
                    .clone()
                    .unwrap_or_else(|| l.t("belum bernomor", "not numbered yet").into())}
            </dd>
            <dt>{l.t("Penyusun", "Drafter")}</dt>
            <dd>{d.drafter_name.clone()}</dd>
            <dt>{l.t("Penanda tangan", "Signer")}</dt>
            <dd>{d.signer_title.clone()}</dd>
            {d
                .signed_ms
                .map(|ms| {
                    view! {
                        <dt>{l.t("Ditandatangani", "Signed")}</dt>
                        <dd>{domain::time::long_datetime(ms, l)}</dd>
                    }
                })}
            {co_holder
                .clone()
                .map(|c| {
                    view! {
                        <dt>{l.t("Penanda tangan kedua", "Co-signer")}</dt>
                        <dd>{c}</dd>
                    }
                })}
            {d
                .co_signed_ms
                .map(|ms| {
                    view! {
                        <dt>{l.t("TTE kedua", "Second signature")}</dt>
                        <dd>{domain::time::long_datetime(ms, l)}</dd>
                    }
                })}
            {d
                .reply_to
                .clone()
                .map(|r| {
                    view! {
                        <dt>{l.t("Membalas surat masuk", "Replies to")}</dt>
                        <dd data-testid="reply-to">
                            <A href=format!(
                                "/surat-masuk/{}",
                                r.incoming_id,
                            )>
                                {format!(
                                    "{} — {} ({})",
                                    r.letter_number,
                                    r.subject,
                                    r.sender_name,
                                )}
                            </A>
                        </dd>
                    }
                })}
        </dl>
        {(!d.void_numbers.is_empty())
            .then(|| {
                view! {
                    <div class="alert alert-info" role="note">
                        <p>
                            <strong>
                                {l
                                    .t(
                                        "Nomor batal (tidak dipakai lagi):",
                                        "Void numbers (never used again):",
                                    )}
                            </strong>
                        </p>
                        <ul class="plain">
                            {d
                                .void_numbers
                                .iter()
                                .map(|n| view! { <li class="letter-number">{n.clone()}</li> })
                                .collect_view()}
                        </ul>
                    </div>
                }
            })}

        {has_actions
            .then(|| {
                view! {
                    <section class="card actions-card" aria-labelledby="h-aksi">
                        <h2 id="h-aksi">{l.t("Tindakan", "Actions")}</h2>
                        {(co_signing && (a.sign || a.ret))
                            .then(|| {
                                view! {
                                    <p class="alert alert-info" role="note">
                                        {if a.sign {
                                            l.t(
                                                "Surat ini sudah ditandatangani penanda tangan utama dan diberi nomor. Periksa PDF-nya, lalu bubuhkan tanda tangan kedua Anda, atau tolak dengan catatan: surat kembali ke penyusun dan nomornya dibatalkan.",
                                                "The signer has signed and numbered this letter. Check its PDF, then add your second signature, or refuse with a note: the letter goes back to the drafter and its number is voided.",
                                            )
                                        } else {
                                            l.t(
                                                "Blok tanda tangan kedua mencantumkan pejabat lain, sehingga Anda tidak dapat membubuhkan TTE kedua; Anda dapat mengembalikan surat dengan catatan agar ditandatangani ulang.",
                                                "The second signature block names another official, so you cannot add the second signature; you may return the letter with a note so that it is signed again.",
                                            )
                                        }}
                                    </p>
                                }
                            })}
                        <div class="buttons">
                            {a
                                .edit
                                .then(|| {
                                    view! {
                                        <A
                                            href=format!("/surat-keluar/{}/ubah", d.id)
                                            attr:class="btn"
                                        >
                                            {l.t("Ubah isi", "Edit")}
                                        </A>
                                    }
                                })}
                            {a
                                .submit
                                .then(|| action_form(
                                    "submit",
                                    l.t("Ajukan untuk paraf", "Submit for approval"),
                                    true,
                                ))}
                            {a
                                .approve
                                .then(|| action_form(
                                    "paraf",
                                    l.t("Setujui (paraf)", "Approve (paraf)"),
                                    true,
                                ))}
                            {a
                                .mark_sent
                                .then(|| action_form(
                                    "sent",
                                    l.t("Tandai sudah dikirim", "Mark as sent"),
                                    false,
                                ))}
                            {a
                                .withdraw
                                .then(|| action_form(
                                    "withdraw",
                                    l.t("Tarik surat", "Withdraw"),
                                    false,
                                ))}
                        </div>
                        {a.sign.then(|| view! { <SignForm id=d.id.clone() version sign /> })}
                        {a
                            .ret
                            .then(|| {
                                view! {
                                    <ActionForm action=act attr:class="form return-form">
                                        <input type="hidden" name="id" value=id_ret.clone() />
                                        <input
                                            type="hidden"
                                            name="version"
                                            value=version.to_string()
                                        />
                                        <input type="hidden" name="action" value="return" />
                                        <label for="ret-note">
                                            {if co_signing {
                                                l.t(
                                                    "Catatan penolakan (wajib)",
                                                    "Reason for refusing (required)",
                                                )
                                            } else {
                                                l.t(
                                                    "Catatan pengembalian (wajib)",
                                                    "Note for returning (required)",
                                                )
                                            }}
                                        </label>
                                        <textarea
                                            id="ret-note"
                                            name="note"
                                            rows="3"
                                            required
                                            maxlength="2000"
                                            prop:value=move || note.get()
                                            on:input=move |ev| note.set(event_target_value(&ev))
                                        ></textarea>
                                        <button
                                            type="submit"
                                            class="btn danger"
                                            disabled=move || {
                                                act.pending().get() || note.get().trim().is_empty()
                                            }
                                        >
                                            {if co_signing {
                                                l.t(
                                                    "Tolak dan kembalikan ke penyusun",
                                                    "Refuse and return to drafter",
                                                )
                                            } else {
                                                l.t("Kembalikan ke penyusun", "Return to drafter")
                                            }}
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    </section>
                }
            })}

        <section class="card" aria-labelledby="h-posisi">
            <h2 id="h-posisi">{l.t("Posisi surat", "Where the letter is")}</h2>
            <ol class="chain">
                {d
                    .chain
                    .iter()
                    .map(|c| {
                        let (mark, status) = match c.status {
                            StopStatus::Done => ("✓", l.t("selesai", "done")),
                            StopStatus::Current => ("●", l.t("sedang di sini", "here now")),
                            StopStatus::Pending => ("○", l.t("menunggu", "pending")),
                        };
                        view! {
                            <li
                                class=format!("chain-{}", c.status)
                                aria-current=(c.status == StopStatus::Current).then_some("step")
                            >
                                <span class="chain-mark" aria-hidden="true">
                                    {mark}
                                </span>
                                <span>
                                    <strong>{c.position_title.clone()}</strong>
                                    {if c.is_signer {
                                        l.t(" (penanda tangan)", " (signer)")
                                    } else if c.is_co_signer {
                                        l.t(" (penanda tangan kedua)", " (co-signer)")
                                    } else {
                                        ""
                                    }}
                                    <br />
                                    <span class="muted small">
                                        {c
                                            .holder
                                            .clone()
                                            .unwrap_or_else(|| l.t("jabatan kosong", "vacant").into())}
                                        " · "{status}
                                    </span>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>

        <section class="card" aria-labelledby="h-naskah">
            <h2 id="h-naskah">{l.t("Naskah", "Letter")}</h2>
            <p>
                <a class="btn" href=pdf_href rel="external" target="_blank">
                    {if d.has_document {
                        l.t("Unduh PDF", "Download PDF")
                    } else {
                        l.t("Pratinjau PDF", "Preview PDF")
                    }}
                </a>
            </p>
            {(!d.conflicts.is_empty())
                .then(|| {
                    view! {
                        <p class="alert alert-error" role="alert">
                            {format!(
                                "{} {:?}",
                                l
                                    .t(
                                        "Ada penyimpanan yang bertabrakan dan disimpan terpisah sebagai versi",
                                        "Conflicting saves were kept separately as versions",
                                    ),
                                d.conflicts,
                            )}
                        </p>
                    }
                })}
            <LetterSheet
                draft=d.draft.clone()
                number=d.number.clone()
                opd_name=d.opd_name.clone()
                signer_title=d.signer_title.clone()
                co_signer_title=d.co_signer.as_ref().map(|c| c.title.clone())
            />
            {(!d.attachments.is_empty())
                .then(|| {
                    view! {
                        <h3>{l.t("Berkas lampiran", "Attached files")}</h3>
                        <ul class="plain">
                            {d
                                .attachments
                                .iter()
                                .map(|a| {
                                    view! {
                                        <li>
                                            <a href=format!("/lampiran/{}", a.id) rel="external">
                                                {a.name.clone()}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>

        <section class="card" aria-labelledby="h-riwayat">
            <h2 id="h-riwayat">{l.t("Riwayat", "History")}</h2>
            {if d.history.is_empty() {
                view! { <p class="muted">{l.t("Belum diajukan.", "Not submitted yet.")}</p> }
                    .into_any()
            } else {
                view! {
                    <ol class="history">
                        {d
                            .history
                            .iter()
                            .map(|h| {
                                view! {
                                    <li>
                                        <strong>{h.action.label()}</strong>
                                        " — "
                                        {h.actor_name.clone()}
                                        {h.position_title.clone().map(|t| format!(" ({t})"))}
                                        <br />
                                        <span class="muted small">
                                            {domain::time::long_datetime(h.at_ms, l)}
                                            {format!(" · {} {}", l.t("versi", "version"), h.version)}
                                        </span>
                                        {(!h.note.is_empty())
                                            .then(|| {
                                                view! {
                                                    <blockquote class="note">{h.note.clone()}</blockquote>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>

        <section class="card" aria-labelledby="h-versi">
            <h2 id="h-versi">{l.t("Versi", "Versions")}</h2>
            <ul class="plain">
                {versions
                    .iter()
                    .map(|v| {
                        let ver = v.version;
                        view! {
                            <li>
                                {format!(
                                    "{} {} — {} · {}",
                                    l.t("Versi", "Version"),
                                    v.version,
                                    v.author_name,
                                    domain::time::long_datetime(v.created_ms, l),
                                )}
                                {v
                                    .conflict
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="badge badge-warn">
                                                {l.t("bertabrakan", "conflict")}
                                            </span>
                                        }
                                    })}
                                {(ver > 1)
                                    .then(|| {
                                        view! {
                                            " "
                                            <button
                                                type="button"
                                                class="btn-link"
                                                on:click=move |_| diff_sel.set(Some((ver - 1, ver)))
                                            >
                                                {format!(
                                                    "{} {} ↔ {}",
                                                    l.t("Bandingkan", "Compare"),
                                                    ver - 1,
                                                    ver,
                                                )}
                                            </button>
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
}

/// Signing: with a certificate signer the official enters their passphrase and may choose an
/// invisible signature; with approval-only signing it is one button.
#[component]
fn SignForm(id: String, version: i64, sign: ServerAction<SignOneLetter>) -> impl IntoView {
    let l = lang();
    let info = Resource::new(|| (), |_| get_signing_info());
    let pending = sign.pending();
    view! {
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                    let info = match info.await {
                        Ok(i) => i,
                        Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                    };
                    let cert_ok = info
                        .certificate
                        .as_ref()
                        .is_some_and(|c| c.status == domain::tte::CertStatus::Aktif);
                    if info.needs_passphrase && info.signer_kind == "local-ca" && !cert_ok {
                        let why = match info.certificate.as_ref().map(|c| c.status) {
                            Some(domain::tte::CertStatus::MenungguPassphrase) => {
                                l.t(
                                    "Sertifikat Anda belum aktif: buat passphrase terlebih dahulu.",
                                    "Your certificate is not active yet: choose a passphrase first.",
                                )
                            }
                            Some(domain::tte::CertStatus::Dicabut) => {
                                l.t(
                                    "Sertifikat Anda sudah dicabut. Minta Admin Pemda menerbitkan yang baru.",
                                    "Your certificate was revoked. Ask the Admin Pemda for a new one.",
                                )
                            }
                            Some(domain::tte::CertStatus::Kedaluwarsa) => {
                                l.t(
                                    "Sertifikat Anda sudah kedaluwarsa. Minta Admin Pemda menerbitkan yang baru.",
                                    "Your certificate has expired. Ask the Admin Pemda for a new one.",
                                )
                            }
                            _ => {
                                l.t(
                                    "Anda belum memiliki sertifikat elektronik. Hubungi Admin Pemda.",
                                    "You have no signing certificate. Contact the Admin Pemda.",
                                )
                            }
                        };
                        return view! {
                            <p class="alert alert-error" role="alert">
                                {why}
                                " "
                                <A href="/profil/tte">
                                    {l.t("Buka Sertifikat TTE", "Open signing certificate")}
                                </A>
                            </p>
                        }
                            .into_any();
                    }
                    view! {
                        <ActionForm action=sign attr:class="form sign-form">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="version" value=version.to_string() />
                            {if info.needs_passphrase {
                                view! {
                                    <label for="sign-pass">
                                        {l.t("Passphrase TTE", "Signing passphrase")}
                                    </label>
                                    <input
                                        id="sign-pass"
                                        name="passphrase"
                                        type="password"
                                        autocomplete="off"
                                        aria-describedby="sign-pass-hint"
                                        required
                                    />
                                    <crate::pages::tte::PassphraseHint id="sign-pass-hint" />
                                    {info
                                        .second_factor
                                        .then(|| {
                                            view! {
                                                <crate::pages::tte::SigningCodeField
                                                    needed=info.code_needed
                                                    id="sign-kode"
                                                />
                                            }
                                        })}
                                    <fieldset class="radio-row">
                                        <legend>
                                            {l.t("Tampilan tanda tangan", "Signature appearance")}
                                        </legend>
                                        <label>
                                            <input
                                                type="radio"
                                                name="tampilan"
                                                value="visible"
                                                checked
                                            />
                                            " "
                                            {l
                                                .t(
                                                    "Tampak (blok tanda tangan dan kode QR)",
                                                    "Visible (signature block and QR code)",
                                                )}
                                        </label>
                                        <label>
                                            <input type="radio" name="tampilan" value="invisible" />
                                            " "
                                            {l
                                                .t(
                                                    "Tidak tampak (hanya di dalam berkas)",
                                                    "Invisible (inside the file only)",
                                                )}
                                        </label>
                                    </fieldset>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <input type="hidden" name="passphrase" value="" />
                                    <input type="hidden" name="tampilan" value="visible" />
                                }
                                    .into_any()
                            }}
                            <button
                                type="submit"
                                class="btn btn-primary"
                                disabled=move || pending.get()
                            >
                                {move || crate::components::busy_label(
                                    pending.get(),
                                    l.t("Tandatangani", "Sign"),
                                    l.t("Menandatangani…", "Signing…"),
                                )}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// At the top of a returned letter: who sent it back, when, and the note, before anything else the
/// drafter might do.
#[component]
fn ReturnedNote(d: LetterDetail) -> impl IntoView {
    let l = lang();
    if !matches!(d.state, LetterState::Returned { .. }) {
        return ().into_any();
    }
    let Some(h) = d
        .history
        .iter()
        .filter(|h| h.action == domain::letter::ActionKind::Return)
        .max_by_key(|h| (h.at_ms, h.version))
    else {
        return ().into_any();
    };
    let who = match &h.position_title {
        Some(p) => format!("{} ({p})", h.actor_name),
        None => h.actor_name.clone(),
    };
    view! {
        <section
            class="alert alert-info returned-note"
            role="note"
            aria-labelledby="h-dikembalikan"
            data-testid="returned-note"
        >
            <h2 id="h-dikembalikan">
                {l.t("Dikembalikan untuk diperbaiki", "Returned for revision")}
            </h2>
            <p>
                {format!(
                    "{} {who}, {}.",
                    l.t("Oleh", "By"),
                    domain::time::long_datetime(h.at_ms, l),
                )}
            </p>
            <p>
                <strong>{l.t("Catatan: ", "Note: ")}</strong>
                {h.note.clone()}
            </p>
            <p class="small">
                {l
                    .t(
                        "Perbaiki surat sesuai catatan (Ubah), lalu ajukan kembali untuk paraf.",
                        "Revise the letter as the note asks (Edit), then submit it again for approval.",
                    )}
            </p>
        </section>
    }
    .into_any()
}
