//! Surat masuk: the clerk's register and registration form, one incoming letter with its scan and
//! disposition tree, and the disposition lists.

pub mod detail;
pub mod lists;
pub mod register;

pub use detail::IncomingPage;
pub use lists::{DispositionsPage, IncomingListPage};
pub use register::RegisterPage;

use domain::Lang;
use domain::disposition::NodeStatus;

/// Status words of one disposition, with its badge class.
pub fn node_status(
    status: &NodeStatus,
    overdue: bool,
    forwarded: bool,
    l: Lang,
) -> (&'static str, &'static str) {
    match (status, overdue, forwarded) {
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
