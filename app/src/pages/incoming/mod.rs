//! Surat masuk: the clerk's register and registration form, one incoming letter with its scan and
//! disposition tree, and the disposition lists.

pub mod detail;
pub mod lists;
pub mod register;

pub use detail::IncomingPage;
pub use lists::{DispositionsPage, IncomingListPage};
pub use register::RegisterPage;

use domain::Lang;
use domain::disposition::{IncomingStatus, Instruction, NodeStatus};

pub fn instruction_label(code: &str, l: Lang) -> &'static str {
    Instruction::from_code(code).map(|i| i.label(l)).unwrap_or("—")
}

pub fn incoming_status_label(code: &str, l: Lang) -> &'static str {
    IncomingStatus::from_code(code).map(|s| s.label(l)).unwrap_or("—")
}

/// Status words of one disposition, with its badge class.
pub fn node_status(
    code: &str,
    overdue: bool,
    forwarded: bool,
    l: Lang,
) -> (&'static str, &'static str) {
    match (NodeStatus::from_code(code).unwrap_or(NodeStatus::Open), overdue, forwarded) {
        (NodeStatus::Done, ..) => (l.t("Selesai", "Done"), "badge badge-ok"),
        (NodeStatus::Reported, true, _) => {
            (l.t("Dilaporkan (lewat tenggat)", "Reported (overdue)"), "badge badge-secret")
        }
        (NodeStatus::Reported, false, _) => (
            l.t("Dilaporkan, menunggu diterima", "Reported, awaiting acceptance"),
            "badge badge-warn",
        ),
        (NodeStatus::Open, true, _) => (l.t("Lewat tenggat", "Overdue"), "badge badge-secret"),
        (NodeStatus::Open, false, true) => (l.t("Diteruskan", "Passed on"), "badge"),
        (NodeStatus::Open, false, false) => {
            (l.t("Menunggu tindak lanjut", "Awaiting follow-up"), "badge")
        }
    }
}
