//! In-app help: the "Bantuan halaman ini" panel the signed-in layout shows above every page, and
//! the first-login tour on the Beranda of a new account.

use crate::api::help::{FinishTour, help_page};
use crate::app::lang;
use crate::components::flash::Flash;
use crate::error::AppError;
use domain::help::{HelpText, TourStep};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The help of the page being shown, closed until asked for. Follows client-side navigation (the
/// old text stays until the new one has arrived); pages without help show nothing.
#[component]
pub fn HelpPanel() -> impl IntoView {
    let location = use_location();
    let help = Resource::new(move || location.pathname.get(), help_page);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                help.await.ok().flatten().map(|h| view! { <HelpBody h=h /> })
            })}
        </Transition>
    }
}

#[component]
fn HelpBody(h: HelpText) -> impl IntoView {
    let l = lang();
    let key = h.key.clone();
    // The text is put in the page only while the panel is open: closed, it is not read out of
    // context nor found by a search of the page's text.
    let open = RwSignal::new(false);
    view! {
        <details
            class="help-panel"
            data-testid="help"
            data-help=key
            on:toggle=move |_| open.update(|o| *o = !*o)
        >
            <summary>{l.t("Bantuan halaman ini", "Help for this page")}</summary>
            {move || open.get().then(|| view! { <HelpContent h=h.clone() /> })}
        </details>
    }
}

/// The open panel's content.
#[component]
fn HelpContent(h: HelpText) -> impl IntoView {
    let l = lang();
    let HelpText { title, purpose, steps, mistakes, guides, .. } = h;
    let own_guide = guides.first().map(|(label, _)| label.clone()).unwrap_or_default();
    view! {
        <div class="help-body">
            <p class="help-title">
                <strong>{title}</strong>
            </p>
            <p>{purpose}</p>
            <p class="help-sub">{l.t("Langkah-langkah", "Steps")}</p>
            <ol>{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
            <p class="help-sub">{l.t("Kesalahan yang sering terjadi", "Common mistakes")}</p>
            <ul>{mistakes.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            <p class="help-sub" id="help-guides">
                {l.t("Panduan lengkap (PDF, dapat dicetak)", "Full guide (PDF, printable)")}
            </p>
            <ul class="help-guides" aria-labelledby="help-guides">
                {guides
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label, href))| {
                        let text = if i == 0 {
                            format!("{label} ({})", l.t("peran Anda", "your role"))
                        } else {
                            label
                        };
                        view! {
                            <li>
                                <a href=href rel="external" class:own=i == 0>
                                    {text}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="muted small">
                {format!(
                    "{} {own_guide}.",
                    l.t("Panduan yang paling sesuai untuk Anda:", "The guide that fits you best:"),
                )}
            </p>
        </div>
    }
}

/// The tour's resource and action, created by the Beranda outside any Suspend (so the server and
/// the browser create them in the same order).
#[derive(Clone, Copy)]
pub struct TourOffer {
    steps: Resource<Result<Option<Vec<TourStep>>, AppError>>,
    finish: ServerAction<FinishTour>,
    /// Finished or skipped in this page: the card goes.
    closed: RwSignal<bool>,
}

impl TourOffer {
    pub fn load() -> TourOffer {
        TourOffer {
            steps: Resource::new(|| (), |_| crate::api::help::tour_steps()),
            finish: ServerAction::new(),
            closed: RwSignal::new(false),
        }
    }
}

/// The first-login tour: a card of short steps with Kembali / Berikutnya, and "Lewati tur" at any
/// step. Not modal: the page stays usable around it. Finishing or skipping is remembered on the
/// server, so it is offered once per person, whatever the device.
#[component]
pub fn TourCard(offer: TourOffer) -> impl IntoView {
    let l = lang();
    let TourOffer { steps, finish, closed } = offer;
    let flash = Flash::get();
    let at = RwSignal::new(0usize);
    // Focus follows the step once the user has moved (never on page load).
    let moved = RwSignal::new(false);
    let heading = NodeRef::<leptos::html::H3>::new();
    Effect::new(move |_| {
        at.track();
        if moved.get_untracked()
            && let Some(h) = heading.get()
        {
            let _ = h.focus();
        }
    });
    let result = finish.value();
    Effect::new(move |_| match result.get() {
        Some(Ok(())) => {
            closed.set(true);
            flash.ok(l.t(
                "Tur selesai. Bantuan tetap ada di setiap halaman: \"Bantuan halaman ini\".",
                "Tour finished. Help stays on every page: \"Help for this page\".",
            ));
        }
        Some(Err(e)) => flash.error(&e),
        None => {}
    });
    let pending = finish.pending();
    let done = move |_| {
        finish.dispatch(FinishTour {});
    };
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let list = match steps.await {
                    Ok(Some(s)) if !s.is_empty() => s,
                    _ => return ().into_any(),
                };
                let n = list.len();
                let list = StoredValue::new(list);
                let step = move |f: fn(&TourStep) -> String| {
                    list.with_value(|s| s.get(at.get()).map(f).unwrap_or_default())
                };
                view! {
                    <Show when=move || !closed.get()>
                        <section class="card tour" aria-labelledby="h-tur" data-testid="tour">
                            <h2 id="h-tur">
                                {l.t("Tur singkat e-Office", "A short tour of e-Office")}
                            </h2>
                            <p class="muted small">
                                {move || {
                                    format!(
                                        "{} {} {} {n}",
                                        l.t("Langkah", "Step"),
                                        at.get() + 1,
                                        l.t("dari", "of"),
                                    )
                                }}
                            </p>
                            <h3 tabindex="-1" node_ref=heading>
                                {move || step(|s| s.title.clone())}
                            </h3>
                            <p>{move || step(|s| s.body.clone())}</p>
                            <div class="actions">
                                <Show when=move || { at.get() > 0 }>
                                    <button
                                        type="button"
                                        class="btn"
                                        on:click=move |_| {
                                            moved.set(true);
                                            at.update(|a| *a = a.saturating_sub(1));
                                        }
                                    >
                                        {l.t("Kembali", "Back")}
                                    </button>
                                </Show>
                                <Show
                                    when=move || { at.get() + 1 < n }
                                    fallback=move || {
                                        view! {
                                            <button
                                                type="button"
                                                class="btn btn-primary"
                                                disabled=pending
                                                on:click=done
                                            >
                                                {l.t("Selesai", "Finish")}
                                            </button>
                                        }
                                    }
                                >
                                    <button
                                        type="button"
                                        class="btn btn-primary"
                                        on:click=move |_| {
                                            moved.set(true);
                                            at.update(|a| *a += 1);
                                        }
                                    >
                                        {l.t("Berikutnya", "Next")}
                                    </button>
                                </Show>
                                <button
                                    type="button"
                                    class="btn-link"
                                    disabled=pending
                                    on:click=done
                                >
                                    {l.t("Lewati tur", "Skip the tour")}
                                </button>
                            </div>
                        </section>
                    </Show>
                }
                    .into_any()
            })}
        </Suspense>
    }
}
