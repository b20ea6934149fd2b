//! Pure rules of e-Office. No I/O, no clocks: callers pass the current time in.

pub mod account;
pub mod audit;
pub mod disposition;
pub mod files;
pub mod letter;
pub mod letter_body;
pub mod letter_view;
pub mod model;
pub mod nip;
pub mod org;
pub mod roles;
pub mod time;
pub mod tte;

use serde::{Deserialize, Serialize};

/// UI language. Bahasa Indonesia first; English available.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
    pub fn from_code(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") { Lang::En } else { Lang::Id }
    }
    /// Picks the text for this language; call sites keep both texts side by side.
    pub fn t(self, id: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}
