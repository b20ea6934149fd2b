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

use domain::letter::Sifat;

/// A badge class that makes confidential and urgent letters stand out.
pub fn sifat_class(sifat: &Sifat) -> &'static str {
    match sifat {
        Sifat::Rahasia | Sifat::SangatRahasia => "badge badge-secret",
        Sifat::Terbatas => "badge badge-warn",
        Sifat::Biasa => "badge",
    }
}
