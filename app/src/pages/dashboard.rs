//! Dasbor pimpinan: one screen that says what is stuck and who is idle, for a division, an OPD
//! or the whole Pemda, with reminders in one tap. The charts are SVG drawn here, on the server
//! too, so they read (and print) without JavaScript; every chart has a table beside it.

use crate::api::dashboard::{
    EscalateItem, ProposeCandidate, ReassignItem, RemindItem, get_dashboard,
};
use crate::app::lang;
use crate::components::{ErrorBox, Loading};
use crate::error::AppError;
use domain::Lang;
use domain::dashboard::{
    CandidateKind, DashboardView, ItemKind, LevelTime, PersonPoint, Quadrant, StuckItem, UsageRow,
    WeekTrend, axis_pos, duration_label, x_axis_max,
};
use domain::kinerja::percent;
use domain::org::PositionLevel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let l = lang();
    let query = use_query_map();
    let opd = move || query.read().get("opd").unwrap_or_default();
    let unit = move || query.read().get("unit").unwrap_or_default();
    let tingkat = move || query.read().get("tingkat").unwrap_or_default();
    let acts = Acts {
        remind: ServerAction::<RemindItem>::new(),
        escalate: ServerAction::<EscalateItem>::new(),
        reassign: ServerAction::<ReassignItem>::new(),
        propose: ServerAction::<ProposeCandidate>::new(),
    };
    // The outcome of the latest intervention, shown in view and announced.
    let outcome: RwSignal<Option<Result<&'static str, AppError>>> = RwSignal::new(None);
    // Refreshed after an intervention went through (not after a refused one: forms keep their text).
    let sent = RwSignal::new(0u32);
    let done = move |r: Option<Result<(), AppError>>, ok: &'static str| {
        if let Some(r) = r {
            if r.is_ok() {
                sent.update(|n| *n += 1);
            }
            outcome.set(Some(r.map(|_| ok)));
        }
    };
    Effect::new(move |_| {
        done(
            acts.remind.value().get(),
            l.t(
                "Pengingat terkirim. Penerima melihatnya di notifikasinya.",
                "Reminder sent. The recipient sees it in their notifications.",
            ),
        )
    });
    Effect::new(move |_| {
        done(
            acts.escalate.value().get(),
            l.t(
                "Dieskalasi ke atasan; kedua pihak diberi tahu.",
                "Escalated to the superior; both were told.",
            ),
        )
    });
    Effect::new(move |_| {
        done(
            acts.reassign.value().get(),
            l.t(
                "Disposisi dialihkan; kedua pihak diberi tahu.",
                "Disposition reassigned; both were told.",
            ),
        )
    });
    Effect::new(move |_| {
        done(
            acts.propose.value().get(),
            l.t(
                "Usulan dicatat; pegawai tersebut diberi tahu.",
                "Proposal recorded; the person was told.",
            ),
        )
    });
    let data = Resource::new(
        move || (opd(), unit(), tingkat(), sent.get()),
        |(o, u, t, _)| get_dashboard(o, u, t),
    );
    view! {
        <Title text=l.t("Dasbor pimpinan", "Leaders' dashboard") />
        <h1>{l.t("Dasbor pimpinan", "Leaders' dashboard")}</h1>
        <div class="sticky-status" role="status" aria-live="polite">
            {move || match outcome.get() {
                Some(Ok(msg)) => {
                    view! {
                        <p class="ok" data-testid="remind-ok">
                            {msg}
                        </p>
                    }
                        .into_any()
                }
                Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                None => ().into_any(),
            }}
        </div>
        <Transition fallback=|| {
            view! { <Loading /> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => view! { <DashboardBody d acts /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardBody(d: DashboardView, acts: Acts) -> impl IntoView {
    let l = lang();
    let dist = d.quadrants;
    let people_total: i64 = d.usage.iter().map(|u| u.people).sum();
    let active_total: i64 = d.usage.iter().map(|u| u.active_week).sum();
    let active_share = if people_total > 0 { active_total * 10_000 / people_total } else { 0 };
    // A trail only once there is somewhere to go back to.
    let crumbs = if d.crumbs.len() > 1 { d.crumbs.clone() } else { Vec::new() };
    let n_crumbs = crumbs.len();
    let generated = domain::time::long_datetime(d.generated_ms, l);
    let stuck_alert = d.stuck.iter().any(|s| s.since_ms < d.generated_ms - service_of(&d));
    let overdue_alert = d.overdue_total > 0;
    let undisposed_alert = d.undisposed > 0;
    let idle_alert = people_total > 0 && active_share < 5_000;
    view! {
        <nav class="crumbs" aria-label=l.t("Lingkup dasbor", "Dashboard scope")>
            <ol>
                {crumbs
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let current = i + 1 == n_crumbs;
                        view! {
                            <li>
                                {if current {
                                    view! { <span aria-current="page">{c.label}</span> }.into_any()
                                } else {
                                    view! { <A href=c.href>{c.label}</A> }.into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <h2 class="dash-title" data-testid="dash-title">
            {d.title.clone()}
        </h2>
        <p class="muted small">{format!("{} {generated}", l.t("Keadaan per", "As of"))}</p>
        <ul class="dash-tiles" aria-label=l.t("Ringkasan", "Summary")>
            <Tile
                href="#tertahan"
                value=d.waiting_total.to_string()
                label=l.t("surat menunggu paraf/TTE", "letters waiting for approval")
                alert=stuck_alert
                testid="tile-waiting"
            />
            <Tile
                href="#terlambat"
                value=d.overdue_total.to_string()
                label=l.t("disposisi lewat tenggat", "dispositions overdue")
                alert=overdue_alert
                testid="tile-overdue"
            />
            {(!d.per_opd || d.undisposed > 0)
                .then(|| {
                    view! {
                        <Tile
                            href="#terlambat"
                            value=d.undisposed.to_string()
                            label=l
                                .t(
                                    "surat masuk belum didisposisi",
                                    "incoming letters not yet disposed",
                                )
                            alert=undisposed_alert
                            testid="tile-undisposed"
                        />
                    }
                })}
            <Tile
                href="#pemakaian"
                value=percent_short(active_share)
                label=l.t("pegawai aktif minggu ini", "staff active this week")
                alert=idle_alert
                testid="tile-active"
            />
            <Tile
                href="#kuadran"
                value=format!("{} / {} / {} / {}", dist[0], dist[1], dist[2], dist[3])
                label=l.t("kuadran A / B / C / D", "quadrants A / B / C / D")
                alert=false
                testid="tile-quadrants"
            />
        </ul>
        <div class="dash-grid">
            <StuckSection d=d.clone() acts />
            <TimesSection d=d.clone() />
            <UsageSection rows=d.usage.clone() per_opd=d.per_opd />
            <QuadrantSection d=d.clone() acts />
            <TrendSection weeks=d.weeks.clone() />
        </div>
    }
}

/// The service level the oldest waiting letters are judged against.
fn service_of(d: &DashboardView) -> i64 {
    d.approval_times.first().map_or(48 * 3_600_000, |t| t.service_ms)
}

fn percent_short(bp: i64) -> String {
    format!("{}%", bp / 100)
}

#[component]
fn Tile(
    href: &'static str,
    value: String,
    label: &'static str,
    alert: bool,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <li class="dash-tile" class:attention=alert>
            <a href=href data-testid=testid>
                <span class="dash-value">{value}</span>
                <span class="dash-label">{label}</span>
            </a>
        </li>
    }
}

#[component]
fn StuckSection(d: DashboardView, acts: Acts) -> impl IntoView {
    let l = lang();
    let now = d.generated_ms;
    let max = d.waiting.iter().map(|w| w.count).max().unwrap_or(0).max(1);
    let waiting_rows = d.waiting.clone();
    let href = d.href.clone();
    let level = d.level;
    let level_name = level
        .and_then(PositionLevel::from_code)
        .map(|p| if l == Lang::Id { p.label_id() } else { p.label_en() });
    view! {
        <section class="card" id="tertahan" aria-labelledby="h-tertahan">
            <h2 id="h-tertahan">
                {l.t("Surat yang menunggu, per tingkat", "Letters waiting, per level")}
            </h2>
            {if d.waiting.is_empty() {
                view! {
                    <p class="empty">
                        {l
                            .t(
                                "Tidak ada surat yang menunggu paraf atau tanda tangan.",
                                "No letter is waiting for approval or signature.",
                            )}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <table class="bars" data-testid="waiting-levels">
                        <caption class="sr-only">
                            {l.t("Surat menunggu per tingkat jabatan", "Letters waiting per level")}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{l.t("Tingkat", "Level")}</th>
                                <th scope="col">{l.t("Jumlah", "Count")}</th>
                                <th scope="col">{l.t("Terlama", "Oldest")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {waiting_rows
                                .into_iter()
                                .map(|w| {
                                    let label = PositionLevel::from_code(w.level)
                                        .map_or(
                                            "-",
                                            |p| if l == Lang::Id { p.label_id() } else { p.label_en() },
                                        );
                                    let width = axis_pos(w.count, max, 100);
                                    let sep = if href.contains('?') { '&' } else { '?' };
                                    let narrow = format!("{href}{sep}tingkat={}#tertahan", w.level);
                                    let current = level == Some(w.level);
                                    view! {
                                        <tr class:current=current>
                                            <th scope="row">
                                                <A href=narrow attr:aria-current=current.then_some("true")>
                                                    {label}
                                                </A>
                                            </th>
                                            <td>
                                                <span
                                                    class="bar"
                                                    style=format!("width:{width}%")
                                                    aria-hidden="true"
                                                ></span>
                                                <span class="bar-value">{w.count}</span>
                                            </td>
                                            <td>
                                                {w
                                                    .oldest_ms
                                                    .map(|t| duration_label(now - t, l))
                                                    .unwrap_or_default()}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            <h3>
                {match level_name {
                    Some(n) => format!("{} {n}", l.t("Menunggu di tingkat", "Waiting at level")),
                    None => l.t("Paling lama menunggu", "Waiting longest").to_string(),
                }}
            </h3>
            {level_name
                .map(|_| {
                    view! {
                        <p>
                            <A href=format!(
                                "{}#tertahan",
                                d.href,
                            )>{l.t("Tampilkan semua tingkat", "Show every level")}</A>
                        </p>
                    }
                })}
            <StuckList
                items=d.stuck.clone()
                now
                acts
                choices=Vec::new()
                empty=l.t("Tidak ada.", "None.")
            />
        </section>
        <section class="card" id="terlambat" aria-labelledby="h-terlambat">
            <h2 id="h-terlambat">
                {l.t("Disposisi lewat tenggat", "Dispositions past their deadline")} " "
                <span class="badge">{d.overdue_total}</span>
            </h2>
            {(d.undisposed > 0)
                .then(|| {
                    view! {
                        <p class="warn">
                            {format!(
                                "{} {}",
                                d.undisposed,
                                l
                                    .t(
                                        "surat masuk belum didisposisi melewati batas layanan. Lihat Surat Masuk OPD.",
                                        "incoming letters are not disposed within the service level. See the agency's incoming register.",
                                    ),
                            )}
                        </p>
                    }
                })}
            <StuckList
                items=d.overdue.clone()
                now
                acts
                choices=d.reassign_to.clone()
                empty=l.t("Tidak ada disposisi yang lewat tenggat.", "No disposition is overdue.")
            />
        </section>
    }
}

#[component]
fn StuckList(
    items: Vec<StuckItem>,
    now: i64,
    acts: Acts,
    /// Where a disposition may be reassigned (empty: not from this view).
    choices: Vec<(String, String)>,
    empty: &'static str,
) -> impl IntoView {
    let l = lang();
    if items.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let remind = acts.remind;
    let pending = remind.pending();
    view! {
        <ul class="plain stuck">
            {items
                .into_iter()
                .map(|s| {
                    let title = s
                        .title
                        .clone()
                        .unwrap_or_else(|| {
                            l.t("(surat bersifat rahasia)", "(classified letter)").to_string()
                        });
                    let what = match s.kind {
                        ItemKind::Letter => l.t("Surat", "Letter"),
                        ItemKind::Disposition => l.t("Disposisi", "Disposition"),
                    };
                    let due = s
                        .deadline_day
                        .map(|dd| {
                            format!(
                                " · {} {}",
                                l.t("tenggat", "due"),
                                domain::time::long_date(dd, l),
                            )
                        });
                    let reminded = s
                        .reminded_ms
                        .map(|t| {
                            format!(
                                "{} {}",
                                l.t("Diingatkan", "Reminded"),
                                domain::time::long_datetime(t, l),
                            )
                        });
                    let label = format!("{} {}: {}", l.t("Ingatkan", "Remind"), s.holders, title);
                    let more = s.clone();
                    let item_id = s.id.clone();
                    view! {
                        <li class="stuck-item" data-testid="stuck-item">
                            <div>
                                <span class="muted small">{what} " · " {s.opd_name.clone()}</span>
                                <br />
                                {match s.link.clone() {
                                    Some(href) => {
                                        view! { <A href=href>{title.clone()}</A> }.into_any()
                                    }
                                    None => view! { <span>{title.clone()}</span> }.into_any(),
                                }}
                                <br />
                                <span class="small">
                                    {format!(
                                        "{} {} ({}) · {} {}",
                                        l.t("Menunggu di", "Waiting at"),
                                        s.waiting_at,
                                        s.holders,
                                        duration_label(now - s.since_ms, l),
                                        due.unwrap_or_default(),
                                    )}
                                </span>
                                {reminded
                                    .map(|r| {
                                        view! {
                                            <br />
                                            <span class="muted small">{r}</span>
                                        }
                                    })}
                            </div>
                            <ActionForm action=remind attr:class="stuck-remind">
                                <input type="hidden" name="kind" value=s.kind.code() />
                                <input type="hidden" name="id" value=item_id />
                                <button
                                    type="submit"
                                    class="btn"
                                    aria-label=label
                                    disabled=move || pending.get()
                                >
                                    {move || {
                                        if pending.get() {
                                            l.t("Mengirim…", "Sending…")
                                        } else {
                                            l.t("Ingatkan", "Remind")
                                        }
                                    }}
                                </button>
                            </ActionForm>
                            <MoreActions item=more acts choices=choices.clone() />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The leader's interventions on one item.
#[derive(Clone, Copy)]
struct Acts {
    remind: ServerAction<RemindItem>,
    escalate: ServerAction<EscalateItem>,
    reassign: ServerAction<ReassignItem>,
    propose: ServerAction<ProposeCandidate>,
}

/// Putting someone from quadrant A forward for a reward or a promotion.
#[component]
fn ProposeForm(person: PersonPoint, acts: Acts) -> impl IntoView {
    let l = lang();
    let kind_id = format!("usul-jenis-{}", person.employee_id);
    let note_id = format!("usul-alasan-{}", person.employee_id);
    view! {
        <details class="more-actions">
            <summary>{format!("{} {}", l.t("Usulkan", "Propose"), person.name)}</summary>
            <ActionForm action=acts.propose attr:class="form">
                <input type="hidden" name="employee_id" value=person.employee_id.clone() />
                <label for=kind_id.clone()>{l.t("Jenis usulan", "Proposal")}</label>
                <select id=kind_id name="kind">
                    {CandidateKind::ALL
                        .into_iter()
                        .map(|k| view! { <option value=k.code()>{k.label(l)}</option> })
                        .collect_view()}
                </select>
                <label for=note_id.clone()>{l.t("Alasan", "Reason")}</label>
                <textarea
                    id=note_id
                    name="note"
                    rows="2"
                    required
                    minlength="5"
                    maxlength="500"
                ></textarea>
                <button type="submit" class="btn">
                    {l.t("Usulkan", "Propose")}
                </button>
            </ActionForm>
        </details>
    }
}

/// Escalation (and, for a disposition, reassignment) behind a disclosure: each needs a reason.
#[component]
fn MoreActions(item: StuckItem, acts: Acts, choices: Vec<(String, String)>) -> impl IntoView {
    let l = lang();
    let esc_note = format!("eskalasi-{}", item.id);
    let re_note = format!("alih-alasan-{}", item.id);
    let re_to = format!("alih-ke-{}", item.id);
    let is_dispo = item.kind == ItemKind::Disposition;
    let (id_a, id_b) = (item.id.clone(), item.id.clone());
    let escalate_hint = if is_dispo {
        l.t(
            "Disposisi berpindah ke atasan pemegangnya.",
            "The disposition goes to the holder's superior.",
        )
    } else {
        l.t(
            "Surat berpindah ke tingkat berikutnya; paraf yang belum diberikan dicatat sebagai dilewati.",
            "The letter moves to the next level; the missing paraf is recorded as skipped.",
        )
    };
    view! {
        <details class="more-actions">
            <summary>{l.t("Tindakan lain", "More actions")}</summary>
            <ActionForm action=acts.escalate attr:class="form">
                <input type="hidden" name="kind" value=item.kind.code() />
                <input type="hidden" name="id" value=id_a />
                <p class="muted small">{escalate_hint}</p>
                <label for=esc_note
                    .clone()>{l.t("Alasan eskalasi", "Reason for escalating")}</label>
                <textarea
                    id=esc_note
                    name="note"
                    rows="2"
                    required
                    minlength="5"
                    maxlength="500"
                ></textarea>
                <button type="submit" class="btn">
                    {l.t("Eskalasi ke atasan", "Escalate to the superior")}
                </button>
            </ActionForm>
            {(is_dispo && !choices.is_empty())
                .then(|| {
                    view! {
                        <ActionForm action=acts.reassign attr:class="form">
                            <input type="hidden" name="id" value=id_b.clone() />
                            <label for=re_to.clone()>{l.t("Alihkan kepada", "Reassign to")}</label>
                            <select id=re_to name="to" required>
                                <option value="">
                                    {l.t("Pilih jabatan", "Choose a position")}
                                </option>
                                {choices
                                    .into_iter()
                                    .map(|(id, label)| view! { <option value=id>{label}</option> })
                                    .collect_view()}
                            </select>
                            <label for=re_note
                                .clone()>
                                {l.t("Alasan pengalihan", "Reason for reassigning")}
                            </label>
                            <textarea
                                id=re_note
                                name="note"
                                rows="2"
                                required
                                minlength="5"
                                maxlength="500"
                            ></textarea>
                            <button type="submit" class="btn">
                                {l.t("Alihkan", "Reassign")}
                            </button>
                        </ActionForm>
                    }
                })}
        </details>
    }
}

#[component]
fn TimesSection(d: DashboardView) -> impl IntoView {
    let l = lang();
    let table = move |rows: Vec<LevelTime>, caption: &'static str, testid: &'static str| {
        view! {
            <div class="table-wrap" tabindex="0">
                <table data-testid=testid>
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{l.t("Tingkat", "Level")}</th>
                            <th scope="col">{l.t("Selesai", "Done")}</th>
                            <th scope="col">{l.t("Median", "Median")}</th>
                            <th scope="col">{l.t("Standar", "Service level")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|t| {
                                let slow = t.median_ms.is_some_and(|m| m > t.service_ms);
                                view! {
                                    <tr class:slow=slow>
                                        <th scope="row">{t.label.clone()}</th>
                                        <td>{t.count}</td>
                                        <td>
                                            {t
                                                .median_ms
                                                .map(|m| duration_label(m, l))
                                                .unwrap_or_else(|| "–".into())}
                                            {slow
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <span class="badge badge-warn">
                                                            {l.t("lambat", "slow")}
                                                        </span>
                                                    }
                                                })}
                                        </td>
                                        <td>{duration_label(t.service_ms, l)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        <section class="card" id="waktu" aria-labelledby="h-waktu">
            <h2 id="h-waktu">{l.t("Waktu layanan bulan ini", "Service times this month")}</h2>
            {table(
                d.approval_times.clone(),
                l.t("Paraf dan tanda tangan per tingkat", "Approval and signature per level"),
                "approval-times",
            )}
            {table(
                d.disposition_times.clone(),
                l.t("Tindak lanjut disposisi per tingkat", "Disposition follow-up per level"),
                "disposition-times",
            )}
        </section>
    }
}

#[component]
fn UsageSection(rows: Vec<UsageRow>, per_opd: bool) -> impl IntoView {
    let l = lang();
    let empty = rows.iter().all(|r| r.people == 0);
    view! {
        <section class="card" id="pemakaian" aria-labelledby="h-pemakaian">
            <h2 id="h-pemakaian">
                {if per_opd {
                    l.t("Pemakaian e-Office per OPD", "e-Office use per agency")
                } else {
                    l.t("Pemakaian e-Office per unit", "e-Office use per unit")
                }}
            </h2>
            {if empty {
                view! {
                    <p class="empty">
                        {l
                            .t(
                                "Belum ada pegawai dengan jabatan di lingkup ini.",
                                "No staff with a position in this scope yet.",
                            )}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table data-testid="usage">
                            <thead>
                                <tr>
                                    <th scope="col">
                                        {if per_opd { "OPD" } else { l.t("Unit", "Unit") }}
                                    </th>
                                    <th scope="col">{l.t("Pegawai", "Staff")}</th>
                                    <th scope="col">{l.t("Aktif 7 hari", "Active, 7 days")}</th>
                                    <th scope="col">{l.t("Surat bulan ini", "Letters, month")}</th>
                                    <th scope="col">
                                        {l.t("Aktivitas bulan ini", "Activities, month")}
                                    </th>
                                    <th scope="col">
                                        {l.t("Kuadran A/B/C/D", "Quadrants A/B/C/D")}
                                    </th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        let share = r.active_bp();
                                        let idle = r.people > 0 && share < 5_000;
                                        view! {
                                            <tr class:slow=idle>
                                                <th scope="row">
                                                    {match r.link.clone() {
                                                        Some(h) => {
                                                            view! { <A href=h>{r.name.clone()}</A> }.into_any()
                                                        }
                                                        None => r.name.clone().into_any(),
                                                    }}
                                                </th>
                                                <td>{r.people}</td>
                                                <td>
                                                    {format!("{} ({})", r.active_week, percent_short(share))}
                                                </td>
                                                <td>{r.letters_handled}</td>
                                                <td>{r.activities}</td>
                                                <td>
                                                    {format!(
                                                        "{}/{}/{}/{}",
                                                        r.quadrants[0],
                                                        r.quadrants[1],
                                                        r.quadrants[2],
                                                        r.quadrants[3],
                                                    )}
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
            }}
        </section>
    }
}

/// Plot size (SVG user units) and margins.
const W: i64 = 320;
const H: i64 = 240;
const ML: i64 = 40;
const MB: i64 = 30;
const MT: i64 = 10;
const MR: i64 = 10;
const PAD: i64 = 8;

fn quadrant_class(q: Option<Quadrant>) -> &'static str {
    match q {
        Some(Quadrant::A) => "pt q-a",
        Some(Quadrant::B) => "pt q-b",
        Some(Quadrant::C) => "pt q-c",
        Some(Quadrant::D) => "pt q-d",
        None => "pt",
    }
}

#[component]
fn QuadrantSection(d: DashboardView, acts: Acts) -> impl IntoView {
    let l = lang();
    let dist = d.quadrants;
    let unplaced = d.unplaced;
    let regency = d.per_opd;
    let computed = domain::time::long_datetime(d.month_computed_ms, l);
    let placed: Vec<PersonPoint> = d.people.iter().filter(|p| p.y_bp.is_some()).cloned().collect();
    let x_max = x_axis_max(placed.iter().map(|p| p.x_bp).chain([d.thresholds.x_bp]));
    let pw = W - ML - MR;
    let ph = H - MT - MB;
    // Points stay inside the frame (PAD from its edges); people on the same spot are set side by
    // side so each one can be seen and tapped.
    let px = move |bp: i64| ML + PAD + axis_pos(bp, x_max, pw - 2 * PAD);
    let py = move |bp: i64| MT + ph - PAD - axis_pos(bp, 10_000, ph - 2 * PAD);
    let mut taken: std::collections::HashMap<(i64, i64), i64> = std::collections::HashMap::new();
    let tx = px(d.thresholds.x_bp);
    let ty = py(d.thresholds.y_bp);
    let mut sorted = d.people.clone();
    sorted.sort_by(|a, b| a.quadrant.cmp(&b.quadrant).then(a.name.cmp(&b.name)));
    let open_table = sorted.len() <= 12;
    let people = sorted;
    view! {
        <section class="card" id="kuadran" aria-labelledby="h-kuadran">
            <h2 id="h-kuadran">
                {l.t("Kuadran kinerja bulan ini", "Performance quadrants this month")}
            </h2>
            <p class="muted small">
                {format!(
                    "{} {}.",
                    l
                        .t(
                            "Sumbu X: produktivitas, menit efektif yang disetujui terhadap target sampai hari ini; garis di",
                            "X: productivity, approved effective minutes against the target so far; line at",
                        ),
                    percent_short(d.thresholds.x_bp),
                )} <br />
                {format!(
                    "{} {}.",
                    l
                        .t(
                            "Sumbu Y: kualitas dan ketepatan waktu (disposisi tepat waktu, draf tanpa dikembalikan, aktivitas disetujui, paraf dalam batas layanan); garis di",
                            "Y: quality and timeliness (dispositions on time, drafts not returned, activities approved, approvals within the service level); line at",
                        ),
                    percent_short(d.thresholds.y_bp),
                )}
            </p>
            <ul class="quad-dist" data-testid="quad-dist">
                {[Quadrant::A, Quadrant::B, Quadrant::C, Quadrant::D]
                    .into_iter()
                    .zip(dist)
                    .map(|(q, n)| {
                        view! {
                            <li class=quadrant_class(Some(q))>
                                <strong>{q.letter()}</strong>
                                {format!(" {n} · {}", q.label(l))}
                            </li>
                        }
                    })
                    .collect_view()}
                {(unplaced > 0)
                    .then(|| {
                        view! {
                            <li>
                                {format!(
                                    "{unplaced} {}",
                                    l
                                        .t(
                                            "belum dapat dinilai (belum ada yang dinilai bulan ini)",
                                            "cannot be placed yet (nothing judged this month)",
                                        ),
                                )}
                            </li>
                        }
                    })}
            </ul>
            {if regency {
                view! {
                    <p>
                        {l
                            .t(
                                "Sebaran per OPD ada di tabel pemakaian; buka sebuah OPD untuk melihat setiap pegawai pada grafik.",
                                "The table of use shows the quadrants per agency; open an agency to see every person on the chart.",
                            )}
                    </p>
                    <p class="muted small">
                        {format!(
                            "{} {computed}.",
                            l
                                .t(
                                    "Angka bulan ini untuk seluruh Pemda dihitung ulang tiap 5 menit; terakhir",
                                    "This month's figures for the whole regency are recomputed every 5 minutes; last at",
                                ),
                        )}
                    </p>
                }
                    .into_any()
            } else if placed.is_empty() {
                view! {
                    <p class="empty">
                        {l
                            .t(
                                "Belum ada data kinerja bulan ini untuk digambar.",
                                "No performance data to plot this month yet.",
                            )}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <svg
                        class="chart scatter"
                        viewBox=format!("0 0 {W} {H}")
                        role="img"
                        aria-labelledby="scatter-title"
                        data-testid="scatter"
                    >
                        <title id="scatter-title">
                            {l
                                .t(
                                    "Sebaran pegawai pada kuadran; rinciannya ada di tabel di bawah.",
                                    "Staff on the quadrants; the table below has the details.",
                                )}
                        </title>
                        <rect x=ML y=MT width=pw height=ph class="plot" />
                        <line x1=tx x2=tx y1=MT y2=MT + ph class="threshold" />
                        <line x1=ML x2=ML + pw y1=ty y2=ty class="threshold" />
                        <text x=ML + 4 y=MT + 12 class="qlabel">
                            "B"
                        </text>
                        <text x=ML + pw - 12 y=MT + 12 class="qlabel">
                            "A"
                        </text>
                        <text x=ML + 4 y=MT + ph - 4 class="qlabel">
                            "D"
                        </text>
                        <text x=ML + pw - 12 y=MT + ph - 4 class="qlabel">
                            "C"
                        </text>
                        <text x=ML y=H - 8 class="axis">
                            "0%"
                        </text>
                        <text x=ML + pw - 30 y=H - 8 class="axis">
                            {percent_short(x_max)}
                        </text>
                        <text x=2 y=MT + 10 class="axis">
                            "100%"
                        </text>
                        {placed
                            .into_iter()
                            .map(|p| {
                                let y = p.y_bp.unwrap_or(0);
                                let spot = (px(p.x_bp), py(y));
                                let k = taken.entry(spot).or_insert(0);
                                let (cx, cy) = (spot.0 + (*k % 5) * 7, spot.1 + (*k / 5) * 7);
                                *k += 1;
                                let tip = format!(
                                    "{} ({}): X {}, Y {}",
                                    p.name,
                                    p.quadrant.map_or("-", |q| q.letter()),
                                    percent(p.x_bp),
                                    percent(y),
                                );
                                view! {
                                    <circle cx=cx cy=cy r="5" class=quadrant_class(p.quadrant)>
                                        <title>{tip}</title>
                                    </circle>
                                }
                            })
                            .collect_view()}
                    </svg>
                }
                    .into_any()
            }}
            <details class="quad-table" open=open_table class:hidden=regency>
                <summary>{l.t("Tabel pegawai per kuadran", "Staff per quadrant (table)")}</summary>
                <div class="table-wrap" tabindex="0">
                    <table data-testid="quad-table">
                        <thead>
                            <tr>
                                <th scope="col">{l.t("Kuadran", "Quadrant")}</th>
                                <th scope="col">{l.t("Nama", "Name")}</th>
                                <th scope="col">{l.t("Unit", "Unit")}</th>
                                <th scope="col">{l.t("Produktivitas", "Productivity")}</th>
                                <th scope="col">{l.t("Kualitas", "Quality")}</th>
                                <th scope="col">{l.t("Usulan", "Proposals")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {people
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <tr id=format!("p-{}", p.employee_id)>
                                            <td>{p.quadrant.map_or("–", |q| q.letter())}</td>
                                            <th scope="row">{p.name.clone()}</th>
                                            <td>{p.unit.clone()}</td>
                                            <td>{percent(p.x_bp)}</td>
                                            <td>
                                                {p.y_bp.map(percent).unwrap_or_else(|| "–".into())}
                                            </td>
                                            <td>
                                                {p
                                                    .proposed
                                                    .iter()
                                                    .map(|k| {
                                                        view! {
                                                            <span class="badge badge-ok">{k.label(l)}</span>
                                                            " "
                                                        }
                                                    })
                                                    .collect_view()}
                                                {(p.quadrant == Some(Quadrant::A))
                                                    .then(|| view! { <ProposeForm person=p.clone() acts /> })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

#[component]
fn TrendSection(weeks: Vec<WeekTrend>) -> impl IntoView {
    let l = lang();
    let max = weeks.iter().map(|w| w.signed.max(w.overdue)).max().unwrap_or(0).max(1);
    let n = weeks.len().max(1) as i64;
    let pw = W - ML - MR;
    let ph = H - MT - MB;
    let slot = pw / n;
    let bars = weeks.clone();
    view! {
        <section class="card" id="tren" aria-labelledby="h-tren">
            <h2 id="h-tren">{l.t("Tren mingguan", "Weekly trend")}</h2>
            <svg
                class="chart trend"
                viewBox=format!("0 0 {W} {H}")
                role="img"
                aria-labelledby="trend-title"
                data-testid="trend"
            >
                <title id="trend-title">
                    {l
                        .t(
                            "Surat ditandatangani (biru) dan disposisi terlambat (merah) per minggu; angkanya ada di tabel.",
                            "Letters signed (blue) and dispositions late (red) per week; the table has the figures.",
                        )}
                </title>
                <line x1=ML x2=ML + pw y1=MT + ph y2=MT + ph class="axis-line" />
                <text x=2 y=MT + 10 class="axis">
                    {max}
                </text>
                {bars
                    .into_iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let x = ML + i as i64 * slot;
                        let hs = axis_pos(w.signed, max, ph);
                        let ho = axis_pos(w.overdue, max, ph);
                        let bw = (slot / 2 - 2).max(2);
                        let (_, m, dd) = domain::time::civil_from_days(w.start_day);
                        view! {
                            <rect x=x + 2 y=MT + ph - hs width=bw height=hs class="bar-signed" />
                            <rect
                                x=x + 2 + bw
                                y=MT + ph - ho
                                width=bw
                                height=ho
                                class="bar-overdue"
                            />
                            <text x=x + 2 y=H - 8 class="axis">
                                {format!("{dd}/{m}")}
                            </text>
                        }
                    })
                    .collect_view()}
            </svg>
            <div class="table-wrap" tabindex="0">
                <table data-testid="trend-table">
                    <thead>
                        <tr>
                            <th scope="col">{l.t("Minggu mulai", "Week of")}</th>
                            <th scope="col">{l.t("Surat ditandatangani", "Letters signed")}</th>
                            <th scope="col">
                                {l.t("Median draf sampai TTE", "Median draft to signature")}
                            </th>
                            <th scope="col">{l.t("Disposisi terlambat", "Dispositions late")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {weeks
                            .into_iter()
                            .map(|w| {
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {domain::time::long_date(w.start_day, l)}
                                        </th>
                                        <td>{w.signed}</td>
                                        <td>
                                            {w
                                                .median_turnaround_ms
                                                .map(|m| duration_label(m, l))
                                                .unwrap_or_else(|| "–".into())}
                                        </td>
                                        <td>{w.overdue}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
