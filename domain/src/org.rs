//! Organisation rules: position levels, unit kinds, acting officials and the direct superior
//! derived from the unit tree.

use crate::Code;
use serde::{Deserialize, Serialize};
use serde_repr::{Deserialize_repr, Serialize_repr};
use std::collections::HashMap;
use strum::{Display, EnumString, FromRepr, IntoStaticStr, VariantArray};

/// Echelon-like level of a position. Lower number = higher in the hierarchy. Its code is the
/// number, in the database, forms and JSON alike.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize_repr,
    Deserialize_repr,
    FromRepr,
    VariantArray,
)]
#[repr(i64)]
pub enum PositionLevel {
    KepalaOpd = 1,
    Sekretaris = 2,
    KepalaBidang = 3,
    KepalaSeksi = 4,
    Staf = 5,
}

impl PositionLevel {
    pub const ALL: &[PositionLevel] = Self::VARIANTS;

    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn from_code(c: i64) -> Option<Self> {
        Self::from_repr(c)
    }

    /// Every level but Staf heads the unit it sits in.
    pub fn is_head(self) -> bool {
        self != PositionLevel::Staf
    }

    pub fn label_id(self) -> &'static str {
        match self {
            PositionLevel::KepalaOpd => "Kepala OPD",
            PositionLevel::Sekretaris => "Sekretaris",
            PositionLevel::KepalaBidang => "Kepala Bidang",
            PositionLevel::KepalaSeksi => "Kepala Seksi / Subbagian",
            PositionLevel::Staf => "Staf / Fungsional",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            PositionLevel::KepalaOpd => "Head of agency",
            PositionLevel::Sekretaris => "Secretary",
            PositionLevel::KepalaBidang => "Head of division",
            PositionLevel::KepalaSeksi => "Head of section",
            PositionLevel::Staf => "Staff / functional",
        }
    }

    /// Infers the level from a position title as written in personnel files (CSV import).
    pub fn infer_from_title(title: &str) -> PositionLevel {
        let t = title.trim().to_lowercase();
        let starts = |p: &str| t.starts_with(p);
        if starts("kepala dinas")
            || starts("kepala badan")
            || starts("kepala kantor")
            || starts("kepala satuan")
            || starts("camat")
            || starts("inspektur") && !t.contains("pembantu")
        {
            PositionLevel::KepalaOpd
        } else if starts("sekretaris") {
            PositionLevel::Sekretaris
        } else if starts("kepala bidang") || starts("kabid") || starts("kepala bagian") {
            PositionLevel::KepalaBidang
        } else if starts("kepala seksi")
            || starts("kasi ")
            || starts("kepala subbagian")
            || starts("kepala sub bagian")
            || starts("kasubbag")
            || starts("kepala sub bidang")
        {
            PositionLevel::KepalaSeksi
        } else {
            PositionLevel::Staf
        }
    }
}

#[derive(
    Clone,
    Copy,
    Debug,
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
#[strum(serialize_all = "snake_case")]
pub enum UnitKind {
    Opd,
    Sekretariat,
    Subbagian,
    Bidang,
    Seksi,
    Upt,
}

impl Code for UnitKind {}

impl UnitKind {
    pub fn label_id(self) -> &'static str {
        match self {
            UnitKind::Opd => "OPD (pimpinan)",
            UnitKind::Sekretariat => "Sekretariat",
            UnitKind::Subbagian => "Subbagian",
            UnitKind::Bidang => "Bidang",
            UnitKind::Seksi => "Seksi",
            UnitKind::Upt => "UPT",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            UnitKind::Opd => "Agency (leadership)",
            UnitKind::Sekretariat => "Secretariat",
            UnitKind::Subbagian => "Sub-division",
            UnitKind::Bidang => "Division",
            UnitKind::Seksi => "Section",
            UnitKind::Upt => "Technical unit",
        }
    }
}

/// Acting official: Plt (pelaksana tugas, for a vacant post) or Plh (pelaksana harian, for an absent holder).
#[derive(
    Clone,
    Copy,
    Debug,
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
#[strum(serialize_all = "snake_case")]
pub enum ActingKind {
    Plt,
    Plh,
}

impl Code for ActingKind {}

impl ActingKind {
    /// Prefix written before the position title, e.g. "Plt. Kepala Dinas".
    pub fn prefix(self) -> &'static str {
        match self {
            ActingKind::Plt => "Plt.",
            ActingKind::Plh => "Plh.",
        }
    }
}

/// The two positions of an OPD that are fixed explicitly (not derived from levels): its head
/// (Kepala OPD), who receives the OPD's mail and signs by default, and its Sekretaris.
#[derive(
    Clone,
    Copy,
    Debug,
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
#[strum(serialize_all = "snake_case")]
pub enum LeaderSlot {
    Head,
    Secretary,
}

impl Code for LeaderSlot {}

impl LeaderSlot {
    /// The slot a position of this level may fill.
    pub fn for_level(level: PositionLevel) -> Option<LeaderSlot> {
        match level {
            PositionLevel::KepalaOpd => Some(LeaderSlot::Head),
            PositionLevel::Sekretaris => Some(LeaderSlot::Secretary),
            _ => None,
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            LeaderSlot::Head => "Kepala OPD",
            LeaderSlot::Secretary => "Sekretaris OPD",
        }
    }
}

/// An acting assignment is in force from the start of `start_day` to the end of `end_day` (inclusive),
/// both given as days since the Unix epoch in local (WIB) time.
pub fn acting_in_force(start_day: i64, end_day: i64, today: i64) -> bool {
    start_day <= today && today <= end_day
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActingError {
    #[error("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    EndBeforeStart,
    #[error("Masa Plh paling lama 30 hari; gunakan Plt untuk jabatan yang kosong lebih lama.")]
    PlhTooLong,
    #[error("Masa Plt paling lama 1 tahun (dapat diperpanjang dengan penunjukan baru).")]
    PltTooLong,
}

pub fn check_acting_period(
    kind: ActingKind,
    start_day: i64,
    end_day: i64,
) -> Result<(), ActingError> {
    if end_day < start_day {
        return Err(ActingError::EndBeforeStart);
    }
    let days = end_day - start_day + 1;
    match kind {
        ActingKind::Plh if days > 30 => Err(ActingError::PlhTooLong),
        ActingKind::Plt if days > 366 => Err(ActingError::PltTooLong),
        _ => Ok(()),
    }
}

/// Minimal view of the tree needed to derive superiors.
#[derive(Clone, Debug)]
pub struct UnitNode {
    pub id: String,
    pub parent_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct PositionNode {
    pub id: String,
    pub unit_id: String,
    pub level: PositionLevel,
}

/// The direct superior of every position, derived from the unit tree: a head reports to the head of the
/// nearest ancestor unit that has one; anyone else reports to the head of their own unit (or, if that unit
/// has no head position, of the nearest ancestor that does). The head of the root unit has none inside the OPD.
pub fn derive_superiors(
    units: &[UnitNode],
    positions: &[PositionNode],
) -> HashMap<String, Option<String>> {
    let parent: HashMap<&str, Option<&str>> =
        units.iter().map(|u| (u.id.as_str(), u.parent_id.as_deref())).collect();
    // The head of a unit is its highest-level head position (one per unit by rule; be deterministic anyway).
    let mut head: HashMap<&str, &PositionNode> = HashMap::new();
    for p in positions.iter().filter(|p| p.level.is_head()) {
        head.entry(p.unit_id.as_str())
            .and_modify(|h| {
                if (p.level, p.id.as_str()) < (h.level, h.id.as_str()) {
                    *h = p;
                }
            })
            .or_insert(p);
    }
    let head_at_or_above = |start: Option<&str>, exclude: &str| -> Option<String> {
        let mut cur = start;
        let mut guard = 0;
        while let Some(u) = cur {
            if let Some(h) = head.get(u)
                && h.id != exclude
            {
                return Some(h.id.clone());
            }
            cur = parent.get(u).copied().flatten();
            guard += 1;
            if guard > 64 {
                break; // a cycle in bad data must not hang the server
            }
        }
        None
    };
    positions
        .iter()
        .map(|p| {
            let is_unit_head = head.get(p.unit_id.as_str()).is_some_and(|h| h.id == p.id);
            let start = if is_unit_head {
                parent.get(p.unit_id.as_str()).copied().flatten()
            } else {
                Some(p.unit_id.as_str())
            };
            (p.id.clone(), head_at_or_above(start, &p.id))
        })
        .collect()
}

/// Would making `new_parent` the parent of `unit` create a cycle?
pub fn creates_cycle(units: &[UnitNode], unit: &str, new_parent: &str) -> bool {
    let parent: HashMap<&str, Option<&str>> =
        units.iter().map(|u| (u.id.as_str(), u.parent_id.as_deref())).collect();
    let mut cur = Some(new_parent);
    let mut guard = 0;
    while let Some(u) = cur {
        if u == unit {
            return true;
        }
        cur = parent.get(u).copied().flatten();
        guard += 1;
        if guard > 1000 {
            return true;
        }
    }
    false
}

/// Is `ancestor` the same unit as `unit` or above it?
pub fn is_same_or_ancestor(units: &[UnitNode], ancestor: &str, unit: &str) -> bool {
    let parent: HashMap<&str, Option<&str>> =
        units.iter().map(|u| (u.id.as_str(), u.parent_id.as_deref())).collect();
    let mut cur = Some(unit);
    let mut guard = 0;
    while let Some(u) = cur {
        if u == ancestor {
            return true;
        }
        cur = parent.get(u).copied().flatten();
        guard += 1;
        if guard > 1000 {
            break;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(id: &str, p: Option<&str>) -> UnitNode {
        UnitNode { id: id.into(), parent_id: p.map(Into::into) }
    }
    fn p(id: &str, unit: &str, level: PositionLevel) -> PositionNode {
        PositionNode { id: id.into(), unit_id: unit.into(), level }
    }

    fn dinas() -> (Vec<UnitNode>, Vec<PositionNode>) {
        use PositionLevel::*;
        let units = vec![
            u("dinas", None),
            u("sekr", Some("dinas")),
            u("umum", Some("sekr")),
            u("bid1", Some("dinas")),
            u("seksi1", Some("bid1")),
            u("seksi_nohead", Some("bid1")),
        ];
        let positions = vec![
            p("kadis", "dinas", KepalaOpd),
            p("sekdin", "sekr", Sekretaris),
            p("kasubbag", "umum", KepalaSeksi),
            p("tu", "umum", Staf),
            p("kabid", "bid1", KepalaBidang),
            p("kasi", "seksi1", KepalaSeksi),
            p("staf", "seksi1", Staf),
            p("staf2", "seksi_nohead", Staf),
            p("ajudan", "dinas", Staf),
        ];
        (units, positions)
    }

    #[test]
    fn superiors_follow_the_tree() {
        let (units, positions) = dinas();
        let s = derive_superiors(&units, &positions);
        let sup = |id: &str| s[id].clone();
        assert_eq!(sup("kadis"), None);
        assert_eq!(sup("sekdin").as_deref(), Some("kadis"));
        assert_eq!(
            sup("kabid").as_deref(),
            Some("kadis"),
            "a Kabid reports to the head, not to the Sekdin"
        );
        assert_eq!(sup("kasubbag").as_deref(), Some("sekdin"));
        assert_eq!(sup("tu").as_deref(), Some("kasubbag"));
        assert_eq!(sup("kasi").as_deref(), Some("kabid"));
        assert_eq!(sup("staf").as_deref(), Some("kasi"));
        assert_eq!(
            sup("staf2").as_deref(),
            Some("kabid"),
            "a seksi without a head falls back to the Kabid"
        );
        assert_eq!(sup("ajudan").as_deref(), Some("kadis"));
    }

    #[test]
    fn cycles_do_not_hang() {
        let units = vec![u("a", Some("b")), u("b", Some("a"))];
        let positions = vec![p("x", "a", PositionLevel::Staf)];
        let s = derive_superiors(&units, &positions);
        assert_eq!(s["x"], None);
        assert!(creates_cycle(&[u("a", None), u("b", Some("a"))], "a", "b"));
        assert!(!creates_cycle(&[u("a", None), u("b", Some("a")), u("c", None)], "b", "c"));
    }

    #[test]
    fn ancestor_check() {
        let (units, _) = dinas();
        assert!(is_same_or_ancestor(&units, "dinas", "seksi1"));
        assert!(is_same_or_ancestor(&units, "seksi1", "seksi1"));
        assert!(!is_same_or_ancestor(&units, "sekr", "seksi1"));
    }

    #[test]
    fn level_inference_and_codes() {
        use PositionLevel::*;
        assert_eq!(
            PositionLevel::infer_from_title("Kepala Dinas Komunikasi dan Informatika"),
            KepalaOpd
        );
        assert_eq!(PositionLevel::infer_from_title("Sekretaris Dinas"), Sekretaris);
        assert_eq!(PositionLevel::infer_from_title("Kepala Bidang E-Government"), KepalaBidang);
        assert_eq!(PositionLevel::infer_from_title("Kepala Seksi Persandian"), KepalaSeksi);
        assert_eq!(
            PositionLevel::infer_from_title("Kepala Subbagian Umum dan Kepegawaian"),
            KepalaSeksi
        );
        assert_eq!(PositionLevel::infer_from_title("Pranata Komputer Ahli Pertama"), Staf);
        for &l in PositionLevel::ALL {
            assert_eq!(PositionLevel::from_code(l.code()), Some(l));
        }
        assert_eq!(PositionLevel::from_code(9), None);
        for &k in UnitKind::all() {
            assert_eq!(UnitKind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn acting_periods() {
        assert!(acting_in_force(10, 20, 10));
        assert!(acting_in_force(10, 20, 20));
        assert!(!acting_in_force(10, 20, 21));
        assert!(!acting_in_force(10, 20, 9));
        assert_eq!(check_acting_period(ActingKind::Plh, 10, 9), Err(ActingError::EndBeforeStart));
        assert_eq!(check_acting_period(ActingKind::Plh, 0, 30), Err(ActingError::PlhTooLong));
        assert_eq!(check_acting_period(ActingKind::Plh, 0, 29), Ok(()));
        assert_eq!(check_acting_period(ActingKind::Plt, 0, 366), Err(ActingError::PltTooLong));
        assert_eq!(ActingKind::from_code("plt"), Some(ActingKind::Plt));
        assert_eq!(ActingKind::Plh.prefix(), "Plh.");
    }
}
