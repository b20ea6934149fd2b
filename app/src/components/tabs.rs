//! The tab row of a list page (Surat Keluar, Disposisi, an OPD's administration): links that
//! change the list, exactly one of them marked as the current one, each with the count of what
//! waits under it. Plain links (the router still handles them in the page) because the router's
//! own link marks every link to the same path as current, whatever its query.

use crate::app::NavCounts;
use domain::letter_view::Counts;
use leptos::prelude::*;

/// Which navigation count waits under a tab, and the words a screen reader says after the number.
pub type Waiting = (fn(&Counts) -> i64, &'static str);

/// One tab: its code in the page's query, where it leads, its label, and what waits under it
/// (which of the navigation counts, with the words a screen reader says after the number).
#[derive(Clone)]
pub struct Tab {
    pub code: &'static str,
    pub href: String,
    pub label: &'static str,
    pub waiting: Option<Waiting>,
}

/// On a phone the row wraps onto a second line instead of running off the screen.
#[component]
pub fn Tabs(
    #[prop(into)] label: String,
    tabs: Vec<Tab>,
    #[prop(into)] current: Signal<&'static str>,
) -> impl IntoView {
    let counts = use_context::<NavCounts>().map(|c| c.0);
    view! {
        <nav class="tabs" aria-label=label>
            {tabs
                .into_iter()
                .map(|t| {
                    let code = t.code;
                    let count = t
                        .waiting
                        .and_then(|w| counts.map(|c| (w, c)))
                        .map(|((pick, what), c)| {
                            view! {
                                <Suspense fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        let n = c.await.map(|c| pick(&c)).unwrap_or(0);
                                        (n > 0)
                                            .then(|| {
                                                view! {
                                                    <span class="count" aria-label=format!("{n} {what}")>
                                                        {n}
                                                    </span>
                                                }
                                            })
                                    })}
                                </Suspense>
                            }
                        });
                    view! {
                        <a
                            href=t.href
                            class="tab"
                            class:active=move || current.get() == code
                            aria-current=move || (current.get() == code).then_some("page")
                        >
                            {t.label}
                            {count}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
