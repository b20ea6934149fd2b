//! Data shapes shared by the server and the browser (server function inputs and outputs).

use crate::org::{ActingKind, PositionLevel, UnitKind};
use crate::roles::{Caps, Role};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pemda {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub code: String,
    pub number_format: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct Opd {
    pub id: String,
    pub pemda_id: String,
    pub name: String,
    pub short_name: String,
    pub code: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub active: bool,
    /// The position that heads the OPD (Kepala OPD): receives its mail and signs by default.
    pub head_position_id: Option<String>,
    /// The OPD's Sekretaris position, who initials letters before the head signs.
    pub secretary_position_id: Option<String>,
}

/// A notice for one person (see `backend/src/store/notifications.rs`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    /// What it is about, e.g. `leader_move`.
    pub kind: String,
    pub text: String,
    /// Where to look, an app path.
    pub link: Option<String>,
    pub created_ms: i64,
    pub read: bool,
}

/// What the Admin Pemda's form says of an OPD, to create or change it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct OpdInput {
    pub name: String,
    pub short_name: String,
    pub code: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub opd_id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub kind: UnitKind,
    pub code: String,
    pub sort_order: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub id: String,
    pub opd_id: String,
    pub unit_id: String,
    pub title: String,
    pub level: PositionLevel,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct Employee {
    pub id: String,
    pub pemda_id: String,
    pub opd_id: String,
    pub nip: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: String,
    pub position_id: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acting {
    pub id: String,
    pub position_id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub kind: ActingKind,
    pub start_day: i64,
    pub end_day: i64,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonBrief {
    pub id: String,
    pub nip: String,
    pub name: String,
}

/// A position with the people in it, for the org chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionView {
    pub position: Position,
    pub holders: Vec<PersonBrief>,
    pub superior_position_id: Option<String>,
    /// Acting officials in force today.
    pub acting: Vec<Acting>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgChart {
    pub opd: Opd,
    pub units: Vec<Unit>,
    pub positions: Vec<PositionView>,
    /// Employees of the OPD without a position.
    pub unplaced: Vec<PersonBrief>,
}

/// A position someone holds or acts for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeldPosition {
    pub position_id: String,
    pub title: String,
    pub unit_name: String,
    pub level: PositionLevel,
    /// None when held definitively; Some when acting (Plt or Plh).
    pub acting_kind: Option<ActingKind>,
    pub acting_until_day: Option<i64>,
}

/// The logged-in user as the UI sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub employee_id: String,
    pub nip: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: String,
    pub pemda_id: String,
    pub pemda_name: String,
    pub opd_id: String,
    pub opd_name: String,
    pub positions: Vec<HeldPosition>,
    pub superior: Option<PersonBrief>,
    pub caps: Caps,
    pub must_change_password: bool,
    /// The person has a confirmed second factor (an authenticator app).
    pub second_factor: bool,
    /// For an admin or certificate holder without a second factor: from when they must have one
    /// (before that the Beranda asks; after it, nothing but setting it up is allowed). None otherwise.
    pub second_factor_due_ms: Option<i64>,
}

impl SessionUser {
    /// Whether the session may do nothing but set up a second factor (or change the password).
    pub fn must_enrol_second_factor(&self, now_ms: i64) -> bool {
        !self.second_factor && self.second_factor_due_ms.is_some_and(|due| due <= now_ms)
    }
}

/// What the security page shows of the caller's second factor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecondFactorStatus {
    /// When the authenticator was put in force; None when there is none.
    pub enrolled_since_ms: Option<i64>,
    /// Required for this person (admin or certificate holder).
    pub required: bool,
    /// From when the Pemda requires it of those it is required for.
    pub due_ms: i64,
    pub recovery_codes_left: i64,
    /// Signing asks again when the last check is older than this.
    pub recheck_minutes: i64,
}

/// One of the caller's own sessions, for the session list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// A short handle of the session (not its token).
    pub id: String,
    /// Browser and system, e.g. "Chrome di Android".
    pub device: String,
    pub ip: String,
    pub created_ms: i64,
    pub last_seen_ms: i64,
    /// The session of this request.
    pub current: bool,
}

/// An employee row for admin lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmployeeRow {
    pub employee: Employee,
    pub position_title: Option<String>,
    pub unit_name: Option<String>,
    pub roles: Vec<Role>,
    pub locked: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_name: Option<String>,
    pub actor_ip: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: String,
}

/// One backup of the installation (scheduled by the server or run with `eoffice backup`), as the
/// Admin Pemda sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupRun {
    pub started_ms: i64,
    pub finished_ms: i64,
    pub ok: bool,
    /// "scheduled" or "manual".
    pub trigger: String,
    /// The backup folder (on the server's disk), when it was written.
    pub location: String,
    pub bytes: i64,
    /// What went wrong, for the administrator.
    pub error: Option<String>,
    /// The machine that ran it (several copies may serve one database).
    pub host: String,
}

/// The backups the Admin Pemda sees: the schedule of the copy that answers, and the last runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BackupStatus {
    /// Seconds between scheduled backups; `None` when this copy has no schedule.
    pub every_s: Option<i64>,
    pub keep: i64,
    /// Where scheduled backups go, on the server's disk.
    pub dir: String,
    /// Newest first.
    pub recent: Vec<BackupRun>,
}

impl BackupStatus {
    /// The newest backup that succeeded.
    pub fn last_ok(&self) -> Option<&BackupRun> {
        self.recent.iter().find(|r| r.ok)
    }

    /// Whether the data is at risk: no successful backup, or none within twice the schedule
    /// (two days without a schedule).
    pub fn overdue(&self, now_ms: i64) -> bool {
        let window = self.every_s.unwrap_or(86_400) * 2 * 1000;
        self.last_ok().is_none_or(|r| now_ms - r.finished_ms > window)
    }
}

/// One row of a CSV import preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    pub nip: String,
    pub name: String,
    pub position: String,
    pub unit: String,
    pub superior_nip: String,
    pub email: String,
    /// "baru" (new) or "ubah" (update) when valid.
    pub action: String,
    pub errors: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Errors about the file as a whole (encoding, columns).
    pub file_errors: Vec<String>,
    pub rows: Vec<ImportRow>,
    pub committed: bool,
    /// Temporary passwords of the accounts created, shown once to the admin.
    pub new_accounts: Vec<(String, String, String)>,
}

impl ImportReport {
    pub fn error_count(&self) -> usize {
        self.file_errors.len() + self.rows.iter().filter(|r| !r.errors.is_empty()).count()
    }
}
