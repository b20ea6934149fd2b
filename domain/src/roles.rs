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
}

impl Code for Role {}

impl Role {
    pub fn label_id(self) -> &'static str {
        match self {
            Role::AdminPemda => "Admin Pemda",
            Role::AdminOpd => "Admin OPD",
            Role::Tu => "TU / Pencatat Surat",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Role::AdminPemda => "Regency admin",
            Role::AdminOpd => "Agency admin",
            Role::Tu => "Records clerk",
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
            NavItem::SuratKeluar | NavItem::Disposisi | NavItem::Kinerja => officer,
            NavItem::Dashboard => {
                caps.best_level.is_some_and(|l| l <= PositionLevel::KepalaBidang)
                    || caps.is_admin_pemda()
            }
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
            (NavItem::Dashboard, Id) => "Dashboard",
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
