//! Pure rules of e-Office. No I/O, no clocks: callers pass the current time in.

pub mod account;
pub mod activity;
pub mod audit;
pub mod dashboard;
pub mod disposition;
pub mod files;
pub mod help;
pub mod kinerja;
pub mod letter;
pub mod letter_body;
pub mod letter_view;
pub mod model;
pub mod nip;
pub mod notify;
pub mod org;
pub mod roles;
pub mod second_factor;
pub mod survey;
pub mod time;
pub mod tte;

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// A domain value with a stable code: the same text in the database, forms, URLs and JSON.
/// Each enum derives its codes (strum) and its serde form from its one list of variants, with the
/// same case rule; this trait only gives them common names.
pub trait Code:
    Copy + Into<&'static str> + std::str::FromStr + strum::VariantArray + 'static
{
    fn code(self) -> &'static str {
        self.into()
    }
    /// None for an unknown code.
    fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
    /// Every value, in declaration order (select options).
    fn all() -> &'static [Self] {
        Self::VARIANTS
    }
}

/// UI language. Bahasa Indonesia first; English available.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Code for Lang {}

impl Lang {
    /// The language of a cookie or a query value; anything unknown is Bahasa Indonesia.
    pub fn from_code_or_default(s: &str) -> Lang {
        Lang::from_code(s).unwrap_or_default()
    }
    /// Picks the text for this language; call sites keep both texts side by side.
    pub fn t(self, id: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{disposition::*, letter::*, letter_view::*, org::*, roles::*, tte::*};

    /// Every value's code parses back, and serde writes the same code (one list for both).
    fn round_trip<T: Code + std::fmt::Debug + PartialEq + Serialize + std::fmt::Display>() {
        for &v in T::all() {
            assert_eq!(T::from_code(v.code()), Some(v));
            assert_eq!(serde_json::to_value(v).unwrap(), v.code(), "{v:?}");
            assert_eq!(v.to_string(), v.code());
        }
        assert_eq!(T::from_code("bukan_kode"), None);
    }

    #[test]
    fn codes_are_serde_and_display() {
        round_trip::<Lang>();
        round_trip::<crate::survey::Satisfaction>();
        round_trip::<crate::help::GuideRole>();
        round_trip::<LetterKind>();
        round_trip::<Sifat>();
        round_trip::<Urgency>();
        round_trip::<RecipientRole>();
        round_trip::<TargetType>();
        round_trip::<ActionKind>();
        round_trip::<StopStatus>();
        round_trip::<ListTab>();
        round_trip::<Instruction>();
        round_trip::<NodeStatus>();
        round_trip::<IncomingStatus>();
        round_trip::<UnitKind>();
        round_trip::<ActingKind>();
        round_trip::<Role>();
        round_trip::<CertStatus>();
        round_trip::<RevocationReason>();
        round_trip::<VerifyOutcome>();
    }

    /// The codes stored in databases before the enums derived them must not change.
    #[test]
    fn stored_codes_are_stable() {
        assert_eq!(LetterKind::SuratKeterangan.code(), "surat_keterangan");
        assert_eq!(Sifat::SangatRahasia.code(), "sangat_rahasia");
        assert_eq!(Urgency::SangatSegera.code(), "sangat_segera");
        assert_eq!(ListTab::PerluParaf.code(), "perlu-paraf");
        assert_eq!(CertStatus::MenungguPassphrase.code(), "menunggu_passphrase");
        assert_eq!(RevocationReason::CessationOfOperation.code(), "cessation_of_operation");
        assert_eq!(Role::AdminPemda.code(), "admin_pemda");
        assert_eq!(LetterState::CoSigning.code(), "cosigning");
        assert_eq!(LetterState::from_parts("review", 2), Some(LetterState::Review { step: 2 }));
        assert_eq!(LetterState::from_parts("review", -1), None);
        assert_eq!(LetterState::from_parts("cosigning", -1), Some(LetterState::CoSigning));
        assert_eq!(LetterState::Returned { by_step: 1 }.to_parts(), ("returned", 1));
        assert_eq!(serde_json::to_value(PositionLevel::KepalaBidang).unwrap(), 3);
        assert_eq!(serde_json::from_value::<PositionLevel>(5.into()).unwrap(), PositionLevel::Staf);
        assert_eq!(Lang::from_code_or_default("EN"), Lang::En);
        assert_eq!(Lang::from_code_or_default("fr"), Lang::Id);
    }
}
