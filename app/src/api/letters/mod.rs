//! Server functions of the outgoing-letter flow (surat keluar) and the Kotak Masuk.

mod compose;
mod flow;
mod inbox;
mod lists;
mod numbering;

pub use compose::*;
pub use flow::*;
pub use inbox::*;
pub use lists::*;
pub use numbering::{ReserveNumber, list_reservations, reserve_number};

use serde::{Deserialize, Serialize};

/// Choices offered by the compose form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComposeOptions {
    pub klasifikasi: Vec<(String, String)>,
    /// Positions that may sign for the drafter: (position id, title); the first is the nearest.
    pub signers: Vec<(String, String)>,
    pub head_position_id: Option<String>,
}

/// The answer to a save.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaveResult {
    pub id: String,
    pub version: i64,
    /// "saved", "already", "conflict"
    pub outcome: String,
    pub message: String,
}
