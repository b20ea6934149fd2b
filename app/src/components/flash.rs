//! The one place where the outcome of an action on a page is shown: a bar fixed at the bottom of
//! the screen, so the confirmation is in view wherever the button was, announced to screen
//! readers (a polite status for a success, an alert for an error) and given the focus so that
//! keyboard users land on it. It stays until it is closed or the user goes to another page.

use crate::app::lang;
use crate::error::AppError;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
struct Message {
    ok: bool,
    text: String,
    /// The session ended: offer the login page.
    login: bool,
    /// Counts messages, so that the same text twice is announced and focused twice.
    seq: u32,
}

/// Handle on the page's message bar; provided by the signed-in layout.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<Message>>);

impl Flash {
    pub fn provide() -> Flash {
        let f = Flash(RwSignal::new(None));
        provide_context(f);
        f
    }

    /// The layout's bar, or a detached one (outside the layout nothing shows it).
    pub fn get() -> Flash {
        use_context::<Flash>().unwrap_or_else(|| Flash(RwSignal::new(None)))
    }

    fn set(&self, ok: bool, text: String, login: bool) {
        let seq = self.0.with_untracked(|m| m.as_ref().map_or(0, |m| m.seq + 1));
        self.0.set(Some(Message { ok, text, login, seq }));
    }

    pub fn ok(&self, text: impl Into<String>) {
        self.set(true, text.into(), false);
    }

    pub fn error(&self, e: &AppError) {
        self.set(false, e.message.clone(), e.is_unauthenticated());
    }

    pub fn clear(&self) {
        self.0.set(None);
    }
}

/// The bar itself. Both live regions are always in the page (empty when there is nothing to say),
/// as screen readers only announce changes to regions they already know; the message inside takes
/// the role (status or alert), so an empty bar is not an alert on every page.
#[component]
pub fn FlashBar() -> impl IntoView {
    let l = lang();
    let flash = Flash::get();
    let msg = flash.0;
    let box_ref = NodeRef::<leptos::html::Div>::new();
    // Focus the message when it appears or changes (tracks both the message and the element, as
    // the element is created after the message is set).
    Effect::new(move |_| {
        let seq = msg.with(|m| m.as_ref().map(|m| m.seq));
        if let (Some(_), Some(el)) = (seq, box_ref.get()) {
            let _ = el.focus();
        }
    });
    let shown = move |ok: bool| msg.with(|m| m.as_ref().is_some_and(|m| m.ok == ok));
    let body = move || {
        msg.get().map(|m| {
            view! {
                <p>{m.text}</p>
                {m
                    .login
                    .then(|| {
                        view! {
                            <a href="/masuk" rel="external">
                                {l.t("Masuk kembali", "Log in again")}
                            </a>
                        }
                    })}
                <button type="button" class="btn" on:click=move |_| flash.clear()>
                    {l.t("Tutup", "Close")}
                </button>
            }
        })
    };
    view! {
        <div class="flash-region">
            <div aria-live="polite" aria-atomic="true">
                <Show when=move || shown(true)>
                    <div
                        class="flash flash-ok"
                        role="status"
                        tabindex="-1"
                        node_ref=box_ref
                        data-testid="flash"
                    >
                        {body}
                    </div>
                </Show>
            </div>
            <div aria-live="assertive" aria-atomic="true">
                <Show when=move || shown(false)>
                    <div
                        class="flash flash-error"
                        role="alert"
                        tabindex="-1"
                        node_ref=box_ref
                        data-testid="flash"
                    >
                        {body}
                    </div>
                </Show>
            </div>
        </div>
    }
}
