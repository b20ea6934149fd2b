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

use domain::letter::{LetterKind, Sifat, Urgency};

pub fn kind_label(code: &str) -> &'static str {
    LetterKind::from_code(code).map(|k| k.label()).unwrap_or("—")
}

pub fn sifat_label(code: &str) -> &'static str {
    Sifat::from_code(code).map(|k| k.label()).unwrap_or("—")
}

pub fn urgency_label(code: &str) -> &'static str {
    Urgency::from_code(code).map(|k| k.label()).unwrap_or("—")
}

/// A badge class that makes confidential and urgent letters stand out.
pub fn sifat_class(code: &str) -> &'static str {
    match code {
        "rahasia" | "sangat_rahasia" => "badge badge-secret",
        "terbatas" => "badge badge-warn",
        _ => "badge",
    }
}
