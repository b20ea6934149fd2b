//! One incoming letter: its fields, the scan (page images with zoom, readable on a phone), the
//! disposition tree with read receipts and deadlines, and what the viewer may do: give the first
//! disposition, pass theirs further down, report the follow-up, accept or send back a report, file.

use super::node_status;
use crate::api::incoming::{
    archive_incoming, dispose, get_incoming, report_disposition, review_disposition,
};
use crate::app::lang;
use crate::components::flash::Flash;
use crate::components::{ErrorBox, Loading};
use crate::pages::letters::{sifat_badge, urgency_badge};
use domain::Code;
use domain::disposition::{
    DisposeInput, IncomingView, Instruction, NodeView, PositionChoice, RecipientInput,
};
use domain::letter_view::ReplyLetter;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The counter that reloads the letter after an action, and the page's message bar that says
/// how it went (in view wherever the button was).
#[derive(Clone, Copy)]
struct PageCtx {
    reload: RwSignal<u32>,
    flash: Flash,
}

impl PageCtx {
    fn done(&self, msg: &str) {
        self.flash.ok(msg);
        self.reload.update(|n| *n += 1);
    }
}

#[component]
pub fn IncomingPage() -> impl IntoView {
    let l = lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let ctx = PageCtx { reload: RwSignal::new(0), flash: Flash::get() };
    let data = Resource::new(move || (id(), ctx.reload.get()), |(id, _)| get_incoming(id));
    let registered = move || query.read().get("baru");
    view! {
        <Title text=l.t("Surat masuk", "Incoming letter") />
        <p>
            <A href="/disposisi">{l.t("← Disposisi", "← Dispositions")}</A>
        </p>
        {move || {
            registered()
                .filter(|a| !a.is_empty())
                .map(|a| {
                    view! {
                        <p class="alert alert-ok" role="status">
                            {format!(
                                "{} {a}.",
                                l
                                    .t(
                                        "Surat masuk diregistrasi dengan nomor agenda",
                                        "Incoming mail registered with agenda number",
                                    ),
                            )}
                        </p>
                    }
                })
        }}
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <IncomingBody v ctx /> }.into_any(),
                    Err(e) => {
                        view! {
                            <h1>{l.t("Surat masuk", "Incoming letter")}</h1>
                            <ErrorBox error=e />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn IncomingBody(v: IncomingView, ctx: PageCtx) -> impl IntoView {
    let l = lang();
    let id = v.id.clone();
    let id_archive = v.id.clone();
    let choices = StoredValue::new(v.choices.clone());
    let today = v.today;
    let root_giver = v.root_position_id.clone().unwrap_or_default();
    let nodes = StoredValue::new(v.nodes.clone());
    let replies = StoredValue::new(v.replies.clone());
    let tree = TreeCtx {
        nodes,
        choices,
        replies,
        incoming_id: StoredValue::new(v.id.clone()),
        today,
        page: ctx,
    };
    let roots: Vec<NodeView> = v
        .nodes
        .iter()
        .filter(|n| {
            n.parent_id.is_none() || !v.nodes.iter().any(|p| Some(&p.id) == n.parent_id.as_ref())
        })
        .cloned()
        .collect();
    let archive = move |_| {
        let id = id_archive.clone();
        spawn_local(async move {
            match archive_incoming(id).await {
                Ok(()) => ctx.done(l.t("Surat diarsipkan.", "The letter is filed.")),
                Err(e) => ctx.flash.error(&e),
            }
        });
    };
    view! {
        <h1>{v.subject.clone()}</h1>
        <p class="meta-line">
            {sifat_badge(v.sifat, l)} " " {urgency_badge(v.urgency, l)} " "
            <span class="badge" data-testid="incoming-status">
                {v.status.label(l)}
            </span>
        </p>
        <dl class="facts card">
            <dt>{l.t("Asal surat", "From")}</dt>
            <dd>{v.sender_name.clone()}</dd>
            <dt>{l.t("Nomor surat", "Letter number")}</dt>
            <dd class="letter-number">{v.letter_number.clone()}</dd>
            <dt>{l.t("Tanggal surat", "Letter date")}</dt>
            <dd>{domain::time::long_date(v.letter_day, l)}</dd>
            <dt>{l.t("Diterima", "Received")}</dt>
            <dd>{domain::time::long_datetime(v.received_ms, l)}</dd>
            <dt>{l.t("Nomor agenda", "Agenda number")}</dt>
            <dd data-testid="agenda-number">{format!("{} ({})", v.agenda_number, v.opd_name)}</dd>
            <dt>{l.t("Lampiran", "Enclosures")}</dt>
            <dd>{v.attachment_count}</dd>
            {(!v.klasifikasi.is_empty())
                .then(|| {
                    view! {
                        <dt>{l.t("Klasifikasi", "Classification")}</dt>
                        <dd>{v.klasifikasi.clone()}</dd>
                    }
                })}
            {(!v.disposer_title.is_empty())
                .then(|| {
                    view! {
                        <dt>{l.t("Untuk disposisi", "For disposition by")}</dt>
                        <dd>{v.disposer_title.clone()}</dd>
                    }
                })}
            {(!v.summary.is_empty())
                .then(|| {
                    view! {
                        <dt>{l.t("Ringkasan", "Summary")}</dt>
                        <dd class="prewrap">{v.summary.clone()}</dd>
                    }
                })}
        </dl>
        <p class="buttons">
            <a class="btn" href=format!("/surat-masuk/{id}/berkas") rel="external" target="_blank">
                {l.t("Unduh surat (PDF)", "Download letter (PDF)")}
            </a>
            <a
                class="btn"
                href=format!("/surat-masuk/{id}/lembar-disposisi")
                rel="external"
                target="_blank"
            >
                {l.t("Lembar disposisi (PDF)", "Disposition sheet (PDF)")}
            </a>
            {v
                .outgoing_letter_id
                .clone()
                .map(|o| {
                    view! {
                        <A href=format!("/surat-keluar/{o}") attr:class="btn">
                            {l.t("Rincian surat", "Letter details")}
                        </A>
                    }
                })}
            {v
                .can_reply
                .then(|| {
                    view! {
                        <A
                            href=format!("/surat-keluar/baru?balas={}", v.id)
                            attr:class="btn"
                            attr:data-testid="reply-button"
                        >
                            {l.t("Buat surat balasan", "Draft a reply")}
                        </A>
                    }
                })}
            {v
                .can_archive
                .then(|| {
                    view! {
                        <button type="button" class="btn" on:click=archive>
                            {l.t("Arsipkan", "File")}
                        </button>
                    }
                })}
        </p>
        {(!v.replies.is_empty()).then(|| view! { <ReplyList replies=v.replies.clone() /> })}
        {(v.scan_pages > 0).then(|| view! { <ScanViewer id=v.id.clone() pages=v.scan_pages /> })}
        {v
            .can_dispose_root
            .then(|| {
                let list = choices
                    .with_value(|c| {
                        c.iter()
                            .find(|(g, _)| *g == root_giver)
                            .map(|(_, l)| l.clone())
                            .unwrap_or_default()
                    });
                view! {
                    <section class="card" aria-labelledby="h-dispose-root">
                        <h2 id="h-dispose-root">{l.t("Beri disposisi", "Give a disposition")}</h2>
                        <DisposeForm
                            incoming_id=v.id.clone()
                            parent_id=None
                            choices=list
                            max_deadline=None
                            today
                            ctx
                        />
                    </section>
                }
            })}
        <section aria-labelledby="h-tree">
            <h2 id="h-tree">{l.t("Alur disposisi", "Disposition tree")}</h2>
            {if roots.is_empty() {
                view! {
                    <p class="empty" role="status">
                        {l
                            .t(
                                "Belum ada disposisi untuk surat ini.",
                                "No disposition has been given yet.",
                            )}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul
                        class="dispo-tree"
                        role="tree"
                        aria-label=l.t("Alur disposisi", "Disposition tree")
                    >
                        {roots.into_iter().map(|n| view! { <TreeNode n tree /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The pages of the letter as images. Zoom asks the server for a sharper image when enlarged.
#[component]
fn ScanViewer(id: String, pages: i64) -> impl IntoView {
    let l = lang();
    let zoom = RwSignal::new(100u32);
    view! {
        <section class="card scan-viewer" aria-labelledby="h-scan">
            <div class="scan-toolbar">
                <h2 id="h-scan">
                    {format!("{} ({pages} {})", l.t("Pindaian", "Scan"), l.t("halaman", "pages"))}
                </h2>
                <div class="buttons" role="group" aria-label=l.t("Perbesaran", "Zoom")>
                    <button
                        type="button"
                        class="btn"
                        aria-label=l.t("Perkecil", "Zoom out")
                        on:click=move |_| zoom.update(|z| *z = (*z).saturating_sub(25).max(50))
                    >
                        "−"
                    </button>
                    <span class="zoom-level" aria-live="polite">
                        {move || format!("{}%", zoom.get())}
                    </span>
                    <button
                        type="button"
                        class="btn"
                        aria-label=l.t("Perbesar", "Zoom in")
                        on:click=move |_| zoom.update(|z| *z = (*z + 25).min(300))
                    >
                        "+"
                    </button>
                    <button type="button" class="btn" on:click=move |_| zoom.set(100)>
                        {l.t("Pas lebar", "Fit width")}
                    </button>
                </div>
            </div>
            <div class="scan-pages">
                {(0..pages)
                    .map(|p| {
                        let id = id.clone();
                        view! {
                            <img
                                loading="lazy"
                                style:width=move || format!("{}%", zoom.get())
                                src=move || {
                                    format!(
                                        "/surat-masuk/{id}/halaman/{p}?w={}",
                                        if zoom.get() > 100 { 1800 } else { 1000 },
                                    )
                                }
                                alt=format!(
                                    "{} {} {} {pages}",
                                    l.t("Halaman", "Page"),
                                    p + 1,
                                    l.t("dari", "of"),
                                )
                            />
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// What every node of the disposition tree shares: the whole tree, the choices each giver may
/// dispose to, the replies a report can link, and the page.
#[derive(Clone, Copy)]
struct TreeCtx {
    nodes: StoredValue<Vec<NodeView>>,
    choices: StoredValue<Vec<(String, Vec<PositionChoice>)>>,
    replies: StoredValue<Vec<ReplyLetter>>,
    incoming_id: StoredValue<String>,
    today: i64,
    page: PageCtx,
}

#[component]
fn TreeNode(n: NodeView, tree: TreeCtx) -> impl IntoView {
    let TreeCtx { nodes, choices, replies, incoming_id, today, page: ctx } = tree;
    let incoming_id = incoming_id.get_value();
    let l = lang();
    let children: Vec<NodeView> = nodes.with_value(|all| {
        all.iter().filter(|c| c.parent_id.as_deref() == Some(n.id.as_str())).cloned().collect()
    });
    let (status_text, status_class) = node_status(&n.status, n.overdue, n.forwarded, l);
    let open_forward = RwSignal::new(false);
    let giver_choices = choices.with_value(|c| {
        c.iter().find(|(g, _)| *g == n.to_position_id).map(|(_, l)| l.clone()).unwrap_or_default()
    });
    let has_children = !children.is_empty();
    view! {
        <li
            role="treeitem"
            aria-expanded=has_children.then_some("true")
            class="dispo-node"
            class:overdue=n.overdue
            data-testid="dispo-node"
        >
            <div class="card dispo-card">
                <p class="dispo-head">
                    <span class="muted small">
                        {format!("{} {} — {}", l.t("Dari", "From"), n.from_title, n.from_name)}
                    </span>
                    <br />
                    <strong>{format!("{} {}", l.t("Kepada", "To"), n.to_title)}</strong>
                    {(!n.to_name.is_empty()).then(|| format!(" — {}", n.to_name))}
                    {n
                        .lead
                        .then(|| {
                            view! {
                                " "
                                <span class="badge badge-warn">
                                    {l.t("Penanggung jawab", "Lead")}
                                </span>
                            }
                        })}
                    " "
                    <span class=status_class>{status_text}</span>
                </p>
                <p class="small">
                    {n
                        .instructions
                        .iter()
                        .map(|i| {
                            view! {
                                <span class="badge">{i.label(l)}</span>
                                " "
                            }
                        })
                        .collect_view()}
                </p>
                <dl class="facts small">
                    <dt>{l.t("Tenggat", "Deadline")}</dt>
                    <dd class:overdue-text=n
                        .overdue>
                        {n
                            .deadline_day
                            .map(|d| domain::time::long_date(d, l))
                            .unwrap_or_else(|| "—".into())}
                    </dd>
                    <dt>{l.t("Diberikan", "Given")}</dt>
                    <dd>{domain::time::long_datetime(n.created_ms, l)}</dd>
                    <dt>{l.t("Dibaca", "Read")}</dt>
                    <dd>
                        {match (n.read_ms, &n.read_by_name) {
                            (Some(ms), Some(who)) => {
                                format!("{} — {who}", domain::time::long_datetime(ms, l))
                            }
                            (Some(ms), None) => domain::time::long_datetime(ms, l),
                            _ => l.t("Belum dibaca", "Not read yet").to_string(),
                        }}
                    </dd>
                    {(!n.note.is_empty())
                        .then(|| {
                            view! {
                                <dt>{l.t("Catatan", "Note")}</dt>
                                <dd class="prewrap">{n.note.clone()}</dd>
                            }
                        })}
                    {n
                        .reported_ms
                        .map(|ms| {
                            view! {
                                <dt>{l.t("Tindak lanjut", "Follow-up")}</dt>
                                <dd>
                                    <span class="prewrap">{n.report_text.clone()}</span>
                                    <span class="muted small">
                                        {format!(
                                            " ({}{})",
                                            domain::time::long_datetime(ms, l),
                                            n
                                                .reported_by_name
                                                .clone()
                                                .map(|w| format!(", {w}"))
                                                .unwrap_or_default(),
                                        )}
                                    </span>
                                    {n
                                        .report_letter_id
                                        .clone()
                                        .map(|lid| {
                                            view! {
                                                <br />
                                                <A href=format!(
                                                    "/surat-keluar/{lid}",
                                                )>{l.t("Surat balasan", "Reply letter")}</A>
                                            }
                                        })}
                                    {(!n.files.is_empty())
                                        .then(|| {
                                            view! {
                                                <ul class="plain">
                                                    {n
                                                        .files
                                                        .iter()
                                                        .map(|f| {
                                                            view! {
                                                                <li>
                                                                    <a
                                                                        href=format!("/disposisi/berkas/{}", f.id)
                                                                        rel="external"
                                                                    >
                                                                        {f.name.clone()}
                                                                    </a>
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                            }
                                        })}
                                </dd>
                            }
                        })}
                    {(!n.review_note.is_empty())
                        .then(|| {
                            view! {
                                <dt>{l.t("Catatan pemberi", "Giver's note")}</dt>
                                <dd class="prewrap">{n.review_note.clone()}</dd>
                            }
                        })}
                </dl>
                {n
                    .can_review
                    .then(|| view! { <ReviewForm node_id=n.id.clone() version=n.version ctx /> })}
                {n
                    .can_report
                    .then(|| {
                        view! {
                            <ReportForm
                                node_id=n.id.clone()
                                version=n.version
                                replies=replies.get_value()
                                incoming_id=incoming_id.clone()
                                ctx
                            />
                        }
                    })}
                {n
                    .can_forward
                    .then(|| {
                        let incoming_id = incoming_id.clone();
                        let node_id = n.id.clone();
                        let deadline = n.deadline_day;
                        let giver_choices = giver_choices.clone();
                        view! {
                            <button
                                type="button"
                                class="btn"
                                aria-expanded=move || open_forward.get().to_string()
                                on:click=move |_| open_forward.update(|o| *o = !*o)
                            >
                                {l.t("Teruskan disposisi", "Pass it on")}
                            </button>
                            {move || {
                                open_forward
                                    .get()
                                    .then(|| {
                                        view! {
                                            <DisposeForm
                                                incoming_id=incoming_id.clone()
                                                parent_id=Some(node_id.clone())
                                                choices=giver_choices.clone()
                                                max_deadline=deadline
                                                today
                                                ctx
                                            />
                                        }
                                    })
                            }}
                        }
                    })}
            </div>
            {has_children
                .then(|| {
                    view! {
                        <ul role="group">
                            {children
                                .into_iter()
                                .map(|c| view! { <TreeNode n=c tree /> })
                                .collect_view()}
                        </ul>
                    }
                })}
        </li>
    }
    .into_any()
}

#[component]
fn DisposeForm(
    incoming_id: String,
    parent_id: Option<String>,
    choices: Vec<PositionChoice>,
    max_deadline: Option<i64>,
    today: i64,
    ctx: PageCtx,
) -> impl IntoView {
    let l = lang();
    let selected = RwSignal::new(Vec::<String>::new());
    let lead = RwSignal::new(String::new());
    let instructions = RwSignal::new(Vec::<Instruction>::new());
    let deadline = RwSignal::new(max_deadline.map(domain::time::iso_date).unwrap_or_default());
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let prefix = parent_id.clone().unwrap_or_else(|| "root".into());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked = selected.get_untracked();
        let lead_id = lead.get_untracked();
        let input = DisposeInput {
            incoming_id: incoming_id.clone(),
            parent_id: parent_id.clone(),
            recipients: picked
                .iter()
                .map(|p| RecipientInput { position_id: p.clone(), lead: *p == lead_id })
                .collect(),
            instructions: instructions.get_untracked(),
            deadline: deadline.get_untracked(),
            note: note.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let res = dispose(input).await;
            busy.set(false);
            match res {
                Ok(()) => ctx.done(l.t("Disposisi dikirim.", "Disposition sent.")),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    if choices.is_empty() {
        return view! {
            <p class="muted">
                {l
                    .t(
                        "Tidak ada jabatan yang dapat menerima disposisi dari Anda.",
                        "There is no position that can receive a disposition from you.",
                    )}
            </p>
        }
        .into_any();
    }
    let (peers, below): (Vec<_>, Vec<_>) = choices.into_iter().partition(|c| c.peer);
    let (direct, others): (Vec<_>, Vec<_>) = below.into_iter().partition(|c| c.direct);
    let prefix_r = prefix.clone();
    let recipient_box = move |c: PositionChoice| {
        let pid = c.position_id.clone();
        let pid2 = c.position_id.clone();
        let pid3 = c.position_id.clone();
        let pid4 = c.position_id.clone();
        let input_id = format!("{}-{}", prefix_r, c.position_id);
        let label_for = input_id.clone();
        let radio_name = format!("lead-{prefix_r}");
        view! {
            <li class="recipient-choice">
                <label class="check" for=label_for>
                    <input
                        type="checkbox"
                        id=input_id
                        prop:checked=move || selected.get().contains(&pid)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected
                                .update(|v| {
                                    v.retain(|x| *x != pid2);
                                    if on {
                                        v.push(pid2.clone());
                                    }
                                });
                            if !on && lead.get_untracked() == pid2 {
                                lead.set(String::new());
                            }
                        }
                    />
                    <span>
                        {c.title.clone()}
                        <span class="muted small">
                            {if c.holder.is_empty() {
                                format!(" — {}", l.t("lowong", "vacant"))
                            } else {
                                format!(" — {}", c.holder)
                            }}
                        </span>
                    </span>
                </label>
                {move || {
                    selected
                        .get()
                        .contains(&pid3)
                        .then(|| {
                            let pid = pid4.clone();
                            let pid_b = pid4.clone();
                            view! {
                                <label class="check small lead-choice">
                                    <input
                                        type="radio"
                                        name=radio_name.clone()
                                        prop:checked=move || lead.get() == pid
                                        on:change=move |_| lead.set(pid_b.clone())
                                    />
                                    {l.t("Penanggung jawab", "Lead")}
                                </label>
                            }
                        })
                }}
            </li>
        }
    };
    let recipient_box2 = recipient_box.clone();
    let recipient_box3 = recipient_box.clone();
    let max = max_deadline.map(domain::time::iso_date).unwrap_or_default();
    view! {
        <form class="form dispo-form" on:submit=submit novalidate>
            <fieldset>
                <legend>{l.t("Kepada", "To")}</legend>
                {(!direct.is_empty())
                    .then(|| {
                        view! {
                            <p class="small muted">
                                {l.t("Bawahan langsung", "Direct subordinates")}
                            </p>
                            <ul class="plain recipient-list">
                                {direct.into_iter().map(recipient_box).collect_view()}
                            </ul>
                        }
                    })}
                {(!others.is_empty())
                    .then(|| {
                        view! {
                            <details>
                                <summary class="small">
                                    {l.t("Jabatan lain di bawah Anda", "Other positions below you")}
                                </summary>
                                <ul class="plain recipient-list">
                                    {others.into_iter().map(recipient_box2).collect_view()}
                                </ul>
                            </details>
                        }
                    })}
                {(!peers.is_empty())
                    .then(|| {
                        view! {
                            <details>
                                <summary class="small">{l.t("Rekan setingkat", "Peers")}</summary>
                                <ul class="plain recipient-list">
                                    {peers.into_iter().map(recipient_box3).collect_view()}
                                </ul>
                            </details>
                        }
                    })}
            </fieldset>
            <fieldset>
                <legend>{l.t("Instruksi", "Instructions")}</legend>
                <ul class="plain instruction-list">
                    {Instruction::all()
                        .iter()
                        .map(|i| {
                            let i = *i;
                            let input_id = format!("{}-ins-{}", prefix, i.code());
                            let label_for = input_id.clone();
                            view! {
                                <li>
                                    <label class="check" for=label_for>
                                        <input
                                            type="checkbox"
                                            id=input_id
                                            prop:checked=move || instructions.get().contains(&i)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                instructions
                                                    .update(|v| {
                                                        v.retain(|x| *x != i);
                                                        if on {
                                                            v.push(i);
                                                        }
                                                    });
                                            }
                                        />
                                        {i.label(l)}
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </fieldset>
            <div class="grid-2">
                <label>
                    {l.t("Tenggat", "Deadline")}
                    <input
                        type="date"
                        min=domain::time::iso_date(today)
                        max=max
                        prop:value=move || deadline.get()
                        on:input=move |ev| deadline.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <label>
                {l.t("Catatan", "Note")}
                <textarea
                    rows="2"
                    maxlength="2000"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
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
            <button type="submit" class="btn btn-primary" disabled=move || busy.get()>
                {move || {
                    if busy.get() {
                        l.t("Mengirim…", "Sending…")
                    } else {
                        l.t("Kirim disposisi", "Send disposition")
                    }
                }}
            </button>
        </form>
    }
    .into_any()
}

#[component]
fn ReportForm(
    node_id: String,
    version: i64,
    replies: Vec<ReplyLetter>,
    incoming_id: String,
    ctx: PageCtx,
) -> impl IntoView {
    let l = lang();
    let text = RwSignal::new(String::new());
    // The reply the reporter drafted themselves is linked unless they choose otherwise.
    let letter =
        RwSignal::new(replies.iter().find(|r| r.mine).map(|r| r.id.clone()).unwrap_or_default());
    let select_id = format!("balasan-{node_id}");
    let files = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let input_id = format!("lapor-{node_id}");
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use crate::components::files::{read_base64, take_picked_file};
            let Some(file) = take_picked_file(&ev) else { return };
            if file.size() > domain::files::MAX_ATTACHMENT_BYTES as f64 {
                error.set(Some(domain::files::FileError::TooLarge.to_string()));
                return;
            }
            spawn_local(async move {
                match read_base64(&file, l).await {
                    Ok(data) => files.update(|v| v.push((file.name(), data))),
                    Err(m) => error.set(Some(m)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (node_id, t, lid, f) =
            (node_id.clone(), text.get_untracked(), letter.get_untracked(), files.get_untracked());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let res = report_disposition(node_id, version, t, lid, f).await;
            busy.set(false);
            match res {
                Ok(()) => ctx.done(l.t("Tindak lanjut dilaporkan.", "Follow-up reported.")),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <form class="form dispo-form" on:submit=submit novalidate>
            <label for=input_id.clone()>{l.t("Laporan tindak lanjut", "Follow-up report")}</label>
            <textarea
                id=input_id
                rows="3"
                maxlength="8000"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                placeholder=l.t("Apa yang sudah dilakukan", "What was done")
            ></textarea>
            {if replies.is_empty() {
                view! {
                    <p class="small muted">
                        {l
                            .t(
                                "Belum ada surat balasan. Bila tindak lanjutnya berupa surat, ",
                                "No reply letter yet. If the follow-up is a letter, ",
                            )}
                        <A href=format!(
                            "/surat-keluar/baru?balas={incoming_id}",
                        )>{l.t("buat surat balasan", "draft a reply")}</A>
                        {l.t(" lalu laporkan di sini.", " and report it here.")}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <label for=select_id
                        .clone()>
                        {l.t("Surat balasan (opsional)", "Reply letter (optional)")}
                    </label>
                    <select id=select_id on:change=move |ev| letter.set(event_target_value(&ev))>
                        <option value="" selected=move || letter.get().is_empty()>
                            {l.t("— Tanpa surat balasan —", "— No reply letter —")}
                        </option>
                        {replies
                            .iter()
                            .map(|r| {
                                let rid = r.id.clone();
                                let rid2 = r.id.clone();
                                let label = format!(
                                    "{} — {} ({})",
                                    r
                                        .number
                                        .clone()
                                        .unwrap_or_else(|| {
                                            l.t("belum bernomor", "not numbered yet").into()
                                        }),
                                    r.subject,
                                    r.state_label,
                                );
                                view! {
                                    <option value=rid selected=move || letter.get() == rid2>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                }
                    .into_any()
            }}
            <label class="btn file-btn">
                {l.t("Lampirkan berkas", "Attach a file")}
                <input
                    type="file"
                    class="sr-only"
                    accept="application/pdf,image/jpeg,image/png"
                    on:change=on_file
                />
            </label>
            {move || {
                let v = files.get();
                (!v.is_empty())
                    .then(|| {
                        view! {
                            <ul class="plain">
                                {v
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, (name, _))| {
                                        view! {
                                            <li>
                                                {name}" "
                                                <button
                                                    type="button"
                                                    class="btn-link danger"
                                                    on:click=move |_| {
                                                        files
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
                            </ul>
                        }
                    })
            }}
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
            <button type="submit" class="btn btn-primary" disabled=move || busy.get()>
                {l.t("Laporkan tindak lanjut", "Report follow-up")}
            </button>
        </form>
    }
}

#[component]
fn ReviewForm(node_id: String, version: i64, ctx: PageCtx) -> impl IntoView {
    let l = lang();
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let input_id = format!("tanggapan-{node_id}");
    let act = move |accept: bool| {
        let (node_id, n) = (node_id.clone(), note.get_untracked());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let res = review_disposition(node_id, version, accept, n).await;
            busy.set(false);
            match res {
                Ok(()) if accept => ctx.done(l.t("Tindak lanjut diterima.", "Follow-up accepted.")),
                Ok(()) => ctx.done(l.t(
                    "Tindak lanjut dikembalikan dengan catatan.",
                    "Follow-up sent back with a note.",
                )),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let act2 = act.clone();
    view! {
        <div
            class="form dispo-form"
            role="group"
            aria-label=l.t("Tanggapi tindak lanjut", "Answer the follow-up")
        >
            <label for=input_id
                .clone()>
                {l.t("Catatan (wajib bila dikembalikan)", "Note (required to send back)")}
            </label>
            <textarea
                id=input_id
                rows="2"
                maxlength="2000"
                prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))
            ></textarea>
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
            <div class="buttons">
                <button
                    type="button"
                    class="btn btn-primary"
                    disabled=move || busy.get()
                    on:click=move |_| act(true)
                >
                    {l.t("Terima tindak lanjut", "Accept follow-up")}
                </button>
                <button
                    type="button"
                    class="btn"
                    disabled=move || busy.get()
                    on:click=move |_| act2(false)
                >
                    {l.t("Kembalikan", "Send back")}
                </button>
            </div>
        </div>
    }
}

/// Letters drafted as replies to this one, with where each stands.
#[component]
fn ReplyList(replies: Vec<ReplyLetter>) -> impl IntoView {
    let l = lang();
    view! {
        <section class="card" aria-labelledby="h-replies">
            <h2 id="h-replies">{l.t("Surat balasan", "Replies")}</h2>
            <ul class="plain reply-list">
                {replies
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li data-testid="reply-letter">
                                <A href=format!("/surat-keluar/{}", r.id)>{r.subject.clone()}</A>
                                <span class="muted small">
                                    {format!(
                                        " — {}{} · {} · {}",
                                        r
                                            .number
                                            .clone()
                                            .map(|n| format!("{n} · "))
                                            .unwrap_or_default(),
                                        r.state_label,
                                        r.drafter_name,
                                        domain::time::long_datetime(r.updated_ms, l),
                                    )}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
