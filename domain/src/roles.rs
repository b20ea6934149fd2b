//! Roles and what each user may see and do.

use crate::Code;
use crate::org::PositionLevel;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// Administrative roles granted explicitly. Officer rights come from positions (held or acted for).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// Manages OPDs and their admins for the whole Pemda.
    AdminPemda,
    /// Edits units, positions and employees of one OPD.
    AdminOpd,
    /// Records clerk (Tata Usaha / Pencatat Surat) of one OPD.
    Tu,
    /// Regency leadership (Bupati, Wakil Bupati, Sekda): sees the dashboard of every OPD of the
    /// Pemda and may intervene there.
    PimpinanDaerah,
}

impl Code for Role {}

impl Role {
    pub fn label_id(self) -> &'static str {
        match self {
            Role::AdminPemda => "Admin Pemda",
            Role::AdminOpd => "Admin OPD",
            Role::Tu => "TU / Pencatat Surat",
            Role::PimpinanDaerah => "Pimpinan Daerah (Bupati/Sekda)",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Role::AdminPemda => "Regency admin",
            Role::AdminOpd => "Agency admin",
            Role::Tu => "Records clerk",
            Role::PimpinanDaerah => "Regency leadership (Regent/Secretary)",
        }
    }
}

/// A role grant is scoped: AdminPemda to a Pemda id, AdminOpd and Tu to an OPD id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope_id: String,
}

/// What the rights checks need to know about the caller.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Caps {
    pub pemda_id: String,
    pub opd_id: Option<String>,
    pub grants: Vec<Grant>,
    /// Highest level among the positions the user holds or acts for today.
    pub best_level: Option<PositionLevel>,
}

impl Caps {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
    /// Regency-wide view: the Admin Pemda and the regency's leaders.
    pub fn is_regency_leader(&self) -> bool {
        self.is_admin_pemda()
            || self
                .grants
                .iter()
                .any(|g| g.role == Role::PimpinanDaerah && g.scope_id == self.pemda_id)
    }
    /// Who has a leaders' dashboard: regency leaders (every OPD), heads and secretaries of an
    /// OPD (their OPD) and heads of a division (their division).
    pub fn sees_dashboard(&self) -> bool {
        self.is_regency_leader()
            || self.best_level.is_some_and(|l| l <= PositionLevel::KepalaBidang)
    }
    pub fn is_admin_pemda(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::AdminPemda && g.scope_id == self.pemda_id)
    }
    /// May this user administer the given OPD (of their own Pemda)?
    pub fn can_admin_opd(&self, opd_id: &str, opd_pemda_id: &str) -> bool {
        if opd_pemda_id != self.pemda_id {
            return false;
        }
        self.is_admin_pemda()
            || self.grants.iter().any(|g| g.role == Role::AdminOpd && g.scope_id == opd_id)
    }
    pub fn admin_opd_ids(&self) -> Vec<String> {
        self.grants
            .iter()
            .filter(|g| g.role == Role::AdminOpd)
            .map(|g| g.scope_id.clone())
            .collect()
    }
    pub fn is_tu_of(&self, opd_id: &str) -> bool {
        self.grants.iter().any(|g| g.role == Role::Tu && g.scope_id == opd_id)
    }
    /// May see the org chart of an OPD: everyone in the same Pemda (the directory is internal, not public).
    pub fn can_view_org(&self, opd_pemda_id: &str) -> bool {
        opd_pemda_id == self.pemda_id
    }
}

/// Refusals of the administration rules, with the message for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RightsError {
    #[error("Anda tidak berwenang melakukan tindakan ini.")]
    NotAdmin,
    #[error("Anda tidak berwenang memberikan peran ini, atau pegawai bukan anggota OPD tersebut.")]
    GrantNotAllowed,
    #[error("Anda tidak dapat menunjuk diri sendiri sebagai Plt/Plh.")]
    SelfAppointment,
    #[error("Plt/Plh Kepala OPD ditunjuk oleh Admin Pemda.")]
    HeadActingByPemdaOnly,
    #[error("Akun admin hanya dapat diubah oleh Admin Pemda.")]
    AdminAccountByPemdaOnly,
    #[error("Anda tidak dapat menonaktifkan akun Anda sendiri.")]
    SelfDeactivation,
    #[error("Anda tidak dapat mencabut peran Admin Pemda Anda sendiri.")]
    OwnPemdaAdminRole,
    #[error(
        "Anda tidak dapat mengubah jabatan, unit atau OPD Anda sendiri; perubahan itu dilakukan oleh admin lain."
    )]
    OwnPosition,
    #[error("Anda tidak dapat memberi peran kepada diri sendiri.")]
    SelfGrant,
    #[error(
        "Jabatan ini adalah Kepala atau Sekretaris OPD; hanya Admin Pemda yang dapat menggantinya (tetapkan jabatan lain dahulu)."
    )]
    LeaderSlotByPemdaOnly,
    #[error("Data admin dan data Anda sendiri tidak dapat diubah lewat impor; minta Admin Pemda.")]
    ImportOfAdmin,
}

impl Caps {
    /// Admin Pemda, or Admin OPD of at least one OPD: may open the role administration.
    pub fn is_some_admin(&self) -> bool {
        self.is_admin_pemda() || !self.admin_opd_ids().is_empty()
    }
}

/// May the caller grant (or revoke) `role` in `scope_id` to an employee of `employee_opd`?
/// Admin Pemda of the caller's own Pemda: only an Admin Pemda; Admin OPD: only an Admin Pemda, in
/// the employee's own OPD; TU: the Admin Pemda or that OPD's Admin OPD, in the employee's own OPD.
pub fn check_grant(
    caps: &Caps,
    role: Role,
    scope_id: &str,
    employee_opd: &str,
) -> Result<(), RightsError> {
    let ok = match role {
        Role::AdminPemda | Role::PimpinanDaerah => {
            caps.is_admin_pemda() && scope_id == caps.pemda_id
        }
        Role::AdminOpd => caps.is_admin_pemda() && scope_id == employee_opd,
        Role::Tu => {
            scope_id == employee_opd
                && (caps.is_admin_pemda() || caps.admin_opd_ids().iter().any(|o| o == scope_id))
        }
    };
    if ok { Ok(()) } else { Err(RightsError::GrantNotAllowed) }
}

/// May the caller appoint `appointee_id` as Plt/Plh of a position of `level`? Never themselves
/// (an admin would take a leader's rights and mail); the acting head of an OPD only by the Admin
/// Pemda.
pub fn check_acting_appointment(
    caps: &Caps,
    caller_id: &str,
    appointee_id: &str,
    level: PositionLevel,
) -> Result<(), RightsError> {
    if caller_id == appointee_id {
        return Err(RightsError::SelfAppointment);
    }
    if level == PositionLevel::KepalaOpd && !caps.is_admin_pemda() {
        return Err(RightsError::HeadActingByPemdaOnly);
    }
    Ok(())
}

/// May the caller change this employee's account (data, password, lock)? An admin's account only
/// by an Admin Pemda or by themselves: otherwise an Admin OPD could reset an Admin Pemda's
/// password and take the account over.
pub fn check_account_change(
    caps: &Caps,
    caller_id: &str,
    employee_id: &str,
    employee_grants: &[Grant],
) -> Result<(), RightsError> {
    let is_admin =
        employee_grants.iter().any(|g| matches!(g.role, Role::AdminPemda | Role::AdminOpd));
    if is_admin && caller_id != employee_id && !caps.is_admin_pemda() {
        return Err(RightsError::AdminAccountByPemdaOnly);
    }
    Ok(())
}

/// Navigation entries of the app shell, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NavItem {
    Beranda,
    KotakMasuk,
    SuratMasuk,
    SuratKeluar,
    Disposisi,
    Kinerja,
    Dashboard,
    Organisasi,
    Admin,
    Profil,
}

impl NavItem {
    pub const ALL: [NavItem; 10] = [
        NavItem::Beranda,
        NavItem::KotakMasuk,
        NavItem::SuratMasuk,
        NavItem::SuratKeluar,
        NavItem::Disposisi,
        NavItem::Kinerja,
        NavItem::Dashboard,
        NavItem::Organisasi,
        NavItem::Admin,
        NavItem::Profil,
    ];

    /// Modules present in this build. Letter, disposition, performance and dashboard modules are
    /// added by their own work items; until then their entries stay hidden rather than lead to empty pages.
    pub fn installed(self) -> bool {
        matches!(
            self,
            NavItem::Beranda
                | NavItem::KotakMasuk
                | NavItem::SuratMasuk
                | NavItem::SuratKeluar
                | NavItem::Disposisi
                | NavItem::Kinerja
                | NavItem::Dashboard
                | NavItem::Organisasi
                | NavItem::Admin
                | NavItem::Profil
        )
    }

    /// Is this entry allowed for these capabilities (ignoring whether the module is installed)?
    pub fn allowed(self, caps: &Caps) -> bool {
        let officer = caps.best_level.is_some();
        match self {
            NavItem::Beranda | NavItem::Organisasi | NavItem::Profil => true,
            NavItem::KotakMasuk => officer || caps.has_role(Role::Tu),
            // The register of incoming mail belongs to the records clerks of the OPD.
            NavItem::SuratMasuk => caps.opd_id.as_deref().is_some_and(|o| caps.is_tu_of(o)),
            NavItem::SuratKeluar | NavItem::Disposisi => officer,
            // Admins reach the recap and settings even without a position of their own.
            NavItem::Kinerja => officer || caps.is_some_admin(),
            NavItem::Dashboard => caps.sees_dashboard(),
            NavItem::Admin => caps.is_admin_pemda() || caps.has_role(Role::AdminOpd),
        }
    }

    pub fn href(self) -> &'static str {
        match self {
            NavItem::Beranda => "/",
            NavItem::KotakMasuk => "/kotak-masuk",
            NavItem::SuratMasuk => "/surat-masuk",
            NavItem::SuratKeluar => "/surat-keluar",
            NavItem::Disposisi => "/disposisi",
            NavItem::Kinerja => "/kinerja",
            NavItem::Dashboard => "/dashboard",
            NavItem::Organisasi => "/organisasi",
            NavItem::Admin => "/admin",
            NavItem::Profil => "/profil",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (NavItem::Beranda, Id) => "Beranda",
            (NavItem::Beranda, En) => "Home",
            (NavItem::KotakMasuk, Id) => "Kotak Masuk",
            (NavItem::KotakMasuk, En) => "Inbox",
            (NavItem::SuratMasuk, Id) => "Surat Masuk",
            (NavItem::SuratMasuk, En) => "Incoming mail",
            (NavItem::SuratKeluar, Id) => "Surat Keluar",
            (NavItem::SuratKeluar, En) => "Outgoing",
            (NavItem::Disposisi, Id) => "Disposisi",
            (NavItem::Disposisi, En) => "Dispositions",
            (NavItem::Kinerja, Id) => "Kinerja",
            (NavItem::Kinerja, En) => "Performance",
            (NavItem::Dashboard, Id) => "Dasbor",
            (NavItem::Dashboard, En) => "Dashboard",
            (NavItem::Organisasi, Id) => "Organisasi",
            (NavItem::Organisasi, En) => "Organisation",
            (NavItem::Admin, Id) => "Admin",
            (NavItem::Admin, En) => "Admin",
            (NavItem::Profil, Id) => "Profil",
            (NavItem::Profil, En) => "Profile",
        }
    }
}

/// The entries to show: allowed for the user and installed in this build.
pub fn nav_items(caps: &Caps) -> Vec<NavItem> {
    NavItem::ALL.into_iter().filter(|n| n.installed() && n.allowed(caps)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(level: Option<PositionLevel>, grants: &[(Role, &str)]) -> Caps {
        Caps {
            pemda_id: "pemda".into(),
            opd_id: Some("opd1".into()),
            grants: grants
                .iter()
                .map(|(r, s)| Grant { role: *r, scope_id: s.to_string() })
                .collect(),
            best_level: level,
        }
    }

    #[test]
    fn grants() {
        let pemda = caps(None, &[(Role::AdminPemda, "pemda")]);
        let opd_admin = caps(None, &[(Role::AdminOpd, "opd1")]);
        let nobody = caps(Some(PositionLevel::KepalaOpd), &[]);
        assert!(pemda.is_some_admin() && opd_admin.is_some_admin() && !nobody.is_some_admin());
        assert_eq!(check_grant(&pemda, Role::AdminPemda, "pemda", "opd2"), Ok(()));
        assert_eq!(check_grant(&pemda, Role::AdminOpd, "opd2", "opd2"), Ok(()));
        assert_eq!(check_grant(&pemda, Role::Tu, "opd2", "opd2"), Ok(()));
        let refused = Err(RightsError::GrantNotAllowed);
        assert_eq!(check_grant(&pemda, Role::AdminPemda, "other-pemda", "opd2"), refused);
        assert_eq!(check_grant(&pemda, Role::AdminOpd, "opd1", "opd2"), refused, "wrong OPD");
        assert_eq!(check_grant(&opd_admin, Role::Tu, "opd1", "opd1"), Ok(()));
        assert_eq!(check_grant(&opd_admin, Role::Tu, "opd2", "opd2"), refused);
        assert_eq!(check_grant(&opd_admin, Role::AdminOpd, "opd1", "opd1"), refused);
        assert_eq!(check_grant(&opd_admin, Role::AdminPemda, "pemda", "opd1"), refused);
        assert_eq!(check_grant(&nobody, Role::Tu, "opd1", "opd1"), refused);
    }

    #[test]
    fn acting_appointments_and_admin_accounts() {
        let pemda = caps(None, &[(Role::AdminPemda, "pemda")]);
        let opd_admin = caps(None, &[(Role::AdminOpd, "opd1")]);
        let head = PositionLevel::KepalaOpd;
        let kabid = PositionLevel::KepalaBidang;
        assert_eq!(check_acting_appointment(&opd_admin, "me", "other", kabid), Ok(()));
        assert_eq!(
            check_acting_appointment(&opd_admin, "me", "me", kabid),
            Err(RightsError::SelfAppointment)
        );
        assert_eq!(
            check_acting_appointment(&pemda, "me", "me", head),
            Err(RightsError::SelfAppointment)
        );
        assert_eq!(
            check_acting_appointment(&opd_admin, "me", "other", head),
            Err(RightsError::HeadActingByPemdaOnly)
        );
        assert_eq!(check_acting_appointment(&pemda, "me", "other", head), Ok(()));
        let admin_grant = [Grant { role: Role::AdminPemda, scope_id: "pemda".into() }];
        let tu_grant = [Grant { role: Role::Tu, scope_id: "opd1".into() }];
        assert_eq!(
            check_account_change(&opd_admin, "me", "boss", &admin_grant),
            Err(RightsError::AdminAccountByPemdaOnly)
        );
        assert_eq!(check_account_change(&opd_admin, "me", "me", &admin_grant), Ok(()));
        assert_eq!(check_account_change(&opd_admin, "me", "clerk", &tu_grant), Ok(()));
        assert_eq!(check_account_change(&pemda, "me", "boss", &admin_grant), Ok(()));
    }

    #[test]
    fn staff_sees_work_but_not_admin_or_dashboard() {
        let c = caps(Some(PositionLevel::Staf), &[]);
        for n in [
            NavItem::Beranda,
            NavItem::KotakMasuk,
            NavItem::SuratKeluar,
            NavItem::Disposisi,
            NavItem::Kinerja,
            NavItem::Profil,
        ] {
            assert!(n.allowed(&c), "{n:?}");
        }
        assert!(!NavItem::Admin.allowed(&c));
        assert!(!NavItem::Dashboard.allowed(&c));
        assert!(!nav_items(&c).contains(&NavItem::Admin));
    }

    #[test]
    fn leaders_see_dashboard() {
        assert!(NavItem::Dashboard.allowed(&caps(Some(PositionLevel::KepalaOpd), &[])));
        assert!(NavItem::Dashboard.allowed(&caps(Some(PositionLevel::KepalaBidang), &[])));
        assert!(!NavItem::Dashboard.allowed(&caps(Some(PositionLevel::KepalaSeksi), &[])));
        assert!(NavItem::Dashboard.allowed(&caps(None, &[(Role::AdminPemda, "pemda")])));
        let sekda = caps(None, &[(Role::PimpinanDaerah, "pemda")]);
        assert!(NavItem::Dashboard.allowed(&sekda));
        assert!(sekda.is_regency_leader() && !sekda.is_admin_pemda());
        assert!(!NavItem::Admin.allowed(&sekda), "leadership is not administration");
        let elsewhere = caps(None, &[(Role::PimpinanDaerah, "other-pemda")]);
        assert!(!elsewhere.is_regency_leader(), "no rights across tenants");
    }

    #[test]
    fn admin_scopes() {
        let opd_admin = caps(Some(PositionLevel::KepalaSeksi), &[(Role::AdminOpd, "opd1")]);
        assert!(opd_admin.can_admin_opd("opd1", "pemda"));
        assert!(!opd_admin.can_admin_opd("opd2", "pemda"));
        assert!(!opd_admin.is_admin_pemda());
        assert!(nav_items(&opd_admin).contains(&NavItem::Admin));
        let pemda_admin = caps(None, &[(Role::AdminPemda, "pemda")]);
        assert!(pemda_admin.can_admin_opd("opd2", "pemda"));
        assert!(!pemda_admin.can_admin_opd("opd9", "other-pemda"), "no rights across tenants");
        let wrong_scope = caps(None, &[(Role::AdminPemda, "other-pemda")]);
        assert!(!wrong_scope.is_admin_pemda());
        assert!(!caps(None, &[]).can_view_org("other-pemda"));
    }

    #[test]
    fn tu_without_position_sees_inbox() {
        let c = caps(None, &[(Role::Tu, "opd1")]);
        assert!(NavItem::KotakMasuk.allowed(&c));
        assert!(c.is_tu_of("opd1"));
        assert!(!NavItem::SuratKeluar.allowed(&c));
        let mut own = c.clone();
        own.opd_id = Some("opd1".into());
        assert!(NavItem::SuratMasuk.allowed(&own));
        let mut other = c.clone();
        other.opd_id = Some("opd2".into());
        assert!(!NavItem::SuratMasuk.allowed(&other));
        assert!(!NavItem::SuratMasuk.allowed(&caps(Some(PositionLevel::KepalaOpd), &[])));
    }

    #[test]
    fn role_codes_round_trip() {
        for &r in Role::all() {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn only_installed_modules_are_listed() {
        let c = caps(Some(PositionLevel::KepalaOpd), &[(Role::AdminPemda, "pemda")]);
        let items = nav_items(&c);
        assert!(items.iter().all(|n| n.installed()));
        assert!(items.contains(&NavItem::Organisasi) && items.contains(&NavItem::Admin));
    }
}
