//! The satisfaction survey: a card on the Beranda, offered once a month, and its results per OPD
//! on the Admin Pemda's page.

use crate::api::survey::{AnswerSurvey, DismissSurvey, survey_report};
use crate::app::lang;
use crate::components::flash::Flash;
use crate::components::{ErrorBox, Loading};
use crate::error::AppError;
use domain::Code;
use domain::survey::{COMMENT_MAX_CHARS, Satisfaction, SurveyResults};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The survey's resource and actions, created by the page outside any Suspend (so the server and
/// the browser create them in the same order).
#[derive(Clone, Copy)]
pub struct SurveyOffer {
    due: Resource<Result<bool, AppError>>,
    answer: ServerAction<AnswerSurvey>,
    dismiss: ServerAction<DismissSurvey>,
    /// Answered or put off in this page: the card goes.
    closed: RwSignal<bool>,
}

impl SurveyOffer {
    pub fn load() -> SurveyOffer {
        SurveyOffer {
            due: Resource::new(|| (), |_| crate::api::survey::survey_due()),
            answer: ServerAction::new(),
            dismiss: ServerAction::new(),
            closed: RwSignal::new(false),
        }
    }
}

/// The card: four levels, an optional comment, "Kirim penilaian" and "Nanti saja". Shown only
/// when the survey is due; the outcome goes to the page's message bar. On a refusal the form
/// stays as filled in.
#[component]
pub fn SurveyCard(offer: SurveyOffer) -> impl IntoView {
    let l = lang();
    let SurveyOffer { due, answer, dismiss, closed } = offer;
    let flash = Flash::get();
    // Either action closes the card when it succeeds; the outcome goes to the message bar.
    let outcomes = [
        (
            answer.value(),
            l.t(
                "Terima kasih. Penilaian Anda tersimpan tanpa nama.",
                "Thank you. Your rating was saved without your name.",
            ),
        ),
        (
            dismiss.value(),
            l.t(
                "Baik, survei ditawarkan lagi bulan depan.",
                "All right, the survey will be offered again next month.",
            ),
        ),
    ];
    for (value, ok) in outcomes {
        Effect::new(move |_| match value.get() {
            Some(Ok(())) => {
                closed.set(true);
                flash.ok(ok);
            }
            Some(Err(e)) => flash.error(&e),
            None => {}
        });
    }
    let pending = answer.pending();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let shown = matches!(due.await, Ok(true));
                view! {
                    <Show when=move || shown && !closed.get()>
                        <section
                            class="card survey"
                            aria-labelledby="h-survei"
                            data-testid="survey"
                        >
                            <h2 id="h-survei">
                                {l.t("Survei kepuasan pengguna", "User satisfaction survey")}
                            </h2>
                            <p class="muted small" id="survey-note">
                                {l
                                    .t(
                                        "Sekali sebulan, tanpa nama: laporan hanya menunjukkan jumlah per OPD dan komentar tanpa nama.",
                                        "Once a month, anonymous: reports show only counts per agency and unsigned comments.",
                                    )}
                            </p>
                            <ActionForm action=answer>
                                <fieldset class="radio-row" aria-describedby="survey-note">
                                    <legend>
                                        {l
                                            .t(
                                                "Seberapa puas Anda dengan e-Office bulan ini?",
                                                "How satisfied are you with e-Office this month?",
                                            )}
                                    </legend>
                                    {Satisfaction::all()
                                        .iter()
                                        .map(|&s| {
                                            let id = format!("survey-{}", s.code());
                                            let for_id = id.clone();
                                            view! {
                                                <label class="check" for=for_id>
                                                    <input type="radio" id=id name="level" value=s.code() />
                                                    <span>{s.label(l)}</span>
                                                </label>
                                            }
                                        })
                                        .collect_view()}
                                </fieldset>
                                <label for="survey-comment">
                                    {l
                                        .t(
                                            "Komentar atau saran (opsional)",
                                            "Comment or suggestion (optional)",
                                        )}
                                </label>
                                <textarea
                                    id="survey-comment"
                                    name="comment"
                                    rows="3"
                                    maxlength=COMMENT_MAX_CHARS.to_string()
                                ></textarea>
                                <div class="actions">
                                    <button type="submit" class="btn btn-primary" disabled=pending>
                                        {move || {
                                            if pending.get() {
                                                l.t("Mengirim…", "Sending…")
                                            } else {
                                                l.t("Kirim penilaian", "Send rating")
                                            }
                                        }}
                                    </button>
                                    <button
                                        type="button"
                                        class="btn"
                                        on:click=move |_| {
                                            dismiss.dispatch(DismissSurvey {});
                                        }
                                    >
                                        {l.t("Nanti saja", "Not now")}
                                    </button>
                                </div>
                            </ActionForm>
                        </section>
                    </Show>
                }
            })}
        </Suspense>
    }
}

/// The survey results, as a resource the admin page creates outside any Suspend.
pub type SurveyResultsResource = Resource<Result<SurveyResults, AppError>>;

/// Only an Admin Pemda asks for them (an Admin OPD opens the same page).
pub fn survey_results_resource() -> SurveyResultsResource {
    let user = expect_context::<crate::app::UserCtx>().0;
    Resource::new(
        || (),
        move |_| async move {
            match user.await {
                Ok(Some(u)) if u.caps.is_admin_pemda() => survey_report().await,
                _ => Ok(SurveyResults::default()),
            }
        },
    )
}

/// The Admin Pemda's view of the answers: a row per OPD with a count per level, all OPDs
/// together, and the comments.
#[component]
pub fn SurveyResultsCard(results: SurveyResultsResource) -> impl IntoView {
    let l = lang();
    view! {
        <section class="card" aria-labelledby="h-survei-hasil" data-testid="survey-results">
            <h2 id="h-survei-hasil">
                {l.t("Survei kepuasan pengguna", "User satisfaction survey")}
            </h2>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    match results.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(r) => view! { <SurveyTable results=r /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SurveyTable(results: SurveyResults) -> impl IntoView {
    let l = lang();
    let since = results.since.clone();
    let period = match l {
        domain::Lang::Id => format!("Jawaban sejak {since}, tanpa nama."),
        domain::Lang::En => format!("Answers since {since}, anonymous."),
    };
    if results.rows.is_empty() {
        return view! {
            <p class="muted">{period}</p>
            <p class="empty">{l.t("Belum ada jawaban survei.", "No survey answers yet.")}</p>
        }
        .into_any();
    }
    let overall = results.overall();
    let pct = |p: Option<i64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let row = move |name: String,
                    counts: [i64; 4],
                    total: i64,
                    satisfied: Option<i64>,
                    strong: bool| {
        let cells = counts.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view();
        let name = if strong {
            view! {
                <th scope="row">
                    <strong>{name}</strong>
                </th>
            }
            .into_any()
        } else {
            view! { <th scope="row">{name}</th> }.into_any()
        };
        view! { <tr>{name} {cells} <td class="num">{total}</td> <td class="num">{pct(satisfied)}</td></tr> }
    };
    view! {
        <p class="muted">{period}</p>
        <div class="table-wrap" tabindex="0">
            <table>
                <caption class="sr-only">
                    {l.t("Kepuasan pengguna per OPD", "Satisfaction per agency")}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"OPD"</th>
                        {Satisfaction::all()
                            .iter()
                            .map(|s| {
                                view! {
                                    <th scope="col" class="num">
                                        {s.label(l)}
                                    </th>
                                }
                            })
                            .collect_view()}
                        <th scope="col" class="num">
                            {l.t("Jumlah", "Total")}
                        </th>
                        <th scope="col" class="num">
                            {l.t("Puas atau lebih", "Satisfied or better")}
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {results
                        .rows
                        .iter()
                        .map(|r| row(
                            r.opd_name.clone(),
                            r.counts,
                            r.total(),
                            r.satisfied_percent(),
                            false,
                        ))
                        .collect_view()}
                    {row(
                        l.t("Semua OPD", "All agencies").to_string(),
                        overall.counts,
                        overall.total(),
                        overall.satisfied_percent(),
                        true,
                    )}
                </tbody>
            </table>
        </div>
        <h3>{l.t("Komentar", "Comments")}</h3>
        {if results.comments.is_empty() {
            view! { <p class="empty">{l.t("Belum ada komentar.", "No comments yet.")}</p> }
                .into_any()
        } else {
            view! {
                <ul class="plain survey-comments">
                    {results
                        .comments
                        .iter()
                        .map(|c| {
                            view! {
                                <li>
                                    <q>{c.text.clone()}</q>
                                    <br />
                                    <span class="muted small">
                                        {format!(
                                            "{} · {} · {}",
                                            c.level.label(l),
                                            c.opd_name,
                                            c.month,
                                        )}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
    .into_any()
}
