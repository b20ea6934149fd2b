//! Surat keluar: lists, the compose form, one letter with its approval flow; and the Kotak Masuk.

pub mod compose;
pub mod detail;
pub mod inbox;
pub mod list;
pub mod numbers;
pub mod view;

pub use compose::ComposePage;
pub use detail::LetterPage;
pub use inbox::{InboxEntryPage, InboxPage};
pub use list::LettersPage;
pub use numbers::ManualNumberPage;

use domain::Lang;
use domain::letter::{LetterState, Sifat, Urgency};
use leptos::prelude::*;

/// A badge class that makes confidential and urgent letters stand out.
pub fn sifat_class(sifat: &Sifat) -> &'static str {
    match sifat {
        Sifat::Rahasia | Sifat::SangatRahasia => "badge badge-secret",
        Sifat::Terbatas => "badge badge-warn",
        Sifat::Biasa => "badge",
    }
}

/// The class of a letter's state badge: a returned letter stands out in lists and on its page.
pub fn state_class(state: LetterState) -> &'static str {
    match state {
        LetterState::Returned { .. } => "badge state returned",
        _ => "badge state",
    }
}

/// The sifat badge, labelled, so that it is not mistaken for the urgency beside it.
pub fn sifat_badge(sifat: Sifat, l: Lang) -> impl IntoView {
    view! {
        <span class=sifat_class(
            &sifat,
        )>{format!("{} {}", l.t("Sifat", "Classification"), sifat.label())}</span>
    }
}

/// The urgency badge, labelled.
pub fn urgency_badge(urgency: Urgency, l: Lang) -> impl IntoView {
    view! { <span class="badge">{format!("{} {}", l.t("Urgensi", "Urgency"), urgency.label())}</span> }
}
