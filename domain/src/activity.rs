//! Daily activities (aktivitas harian) of e-Kinerja: the Pemda's settings, which e-Office work
//! counts by itself, the checks on an activity someone logs by hand, months and working days.
//! Pure: the caller passes the clock and what is already stored.

use crate::kinerja::{KinerjaConfig, Rating, WorkHours, WorkKind, check_config};
use crate::time::{civil_from_days, days_from_civil};
use serde::{Deserialize, Serialize};

/// Standard minutes and daily cap of one kind of e-Office work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkRule {
    pub kind: WorkKind,
    pub minutes: i64,
    pub daily_cap: i64,
}

/// Base TPP a month of one position class (kelas jabatan).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassTpp {
    pub kelas: i64,
    pub rupiah: i64,
}

/// What happens at month end to activities nobody validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unvalidated {
    /// They count as approved.
    Approve,
    /// They count as rejected (earn nothing).
    Reject,
}

/// Everything a Pemda sets for e-Kinerja.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KinerjaSettings {
    pub scoring: KinerjaConfig,
    pub work_rules: Vec<WorkRule>,
    pub hours: WorkHours,
    /// The most minutes of activities one day may hold.
    pub day_max_minutes: i64,
    /// How many days back an activity may still be logged or changed.
    pub closing_days: i64,
    pub unvalidated: Unvalidated,
    pub class_tpp: Vec<ClassTpp>,
    /// Average monthly performance (basis points) from which the year's work result (hasil
    /// kerja) is above, or meets, expectation.
    pub hasil_above_bp: i64,
    pub hasil_meets_bp: i64,
    /// A letter waiting at a reviewer longer than this counts against them (usage penalty).
    pub stale_review_hours: i64,
    /// The dashboard's service level for following up a disposition, and for giving the first
    /// disposition of registered mail.
    #[serde(default = "default_disposition_hours")]
    pub disposition_service_hours: i64,
    /// The lines between the dashboard's quadrants: productivity (X) and quality (Y).
    #[serde(default)]
    pub quadrant: crate::dashboard::Thresholds,
}

fn default_disposition_hours() -> i64 {
    72
}

impl Default for KinerjaSettings {
    fn default() -> Self {
        KinerjaSettings {
            scoring: KinerjaConfig::default(),
            work_rules: WorkKind::ALL
                .iter()
                .map(|&kind| {
                    let (minutes, daily_cap) = kind.default_rule();
                    WorkRule { kind, minutes, daily_cap }
                })
                .collect(),
            hours: WorkHours { start: 7 * 60 + 30, end: 16 * 60 },
            day_max_minutes: 450,
            closing_days: 5,
            unvalidated: Unvalidated::Approve,
            // Typical figures of a regency's Perbup TPP, per class; the Admin Pemda sets its own.
            class_tpp: [
                (1, 1_500_000),
                (3, 1_800_000),
                (5, 2_250_000),
                (7, 2_750_000),
                (9, 3_500_000),
                (11, 5_000_000),
                (12, 6_500_000),
                (14, 9_000_000),
            ]
            .into_iter()
            .map(|(kelas, rupiah)| ClassTpp { kelas, rupiah })
            .collect(),
            hasil_above_bp: 9_500,
            hasil_meets_bp: 7_500,
            stale_review_hours: 48,
            disposition_service_hours: default_disposition_hours(),
            quadrant: crate::dashboard::Thresholds::default(),
        }
    }
}

/// Why settings cannot be stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Config(#[from] crate::kinerja::ConfigError),
    #[error("Jam kerja tidak valid: jam pulang harus setelah jam masuk.")]
    Hours,
    #[error("Menit standar harus antara 0 dan 480, dan batas harian antara 0 dan 200.")]
    Rule,
    #[error("Batas menit kerja sehari harus antara 60 dan 1.440.")]
    DayMax,
    #[error("Batas hari pencatatan mundur harus antara 0 dan 60 hari.")]
    Closing,
    #[error("TPP dasar harus 0 atau lebih, dan setiap kelas jabatan (1 sampai 17) hanya sekali.")]
    ClassTpp,
    #[error("Batas waktu layanan paraf dan disposisi harus antara 1 dan 720 jam.")]
    StaleHours,
    #[error(
        "Garis kuadran tidak valid: produktivitas antara 0,01% dan 300%, kualitas antara 0,01% dan 100%."
    )]
    Quadrant,
    #[error(
        "Ambang predikat hasil kerja harus 0% sampai 100%, dengan 'di atas' tidak lebih rendah dari 'sesuai'."
    )]
    Hasil,
}

pub fn check_settings(s: &KinerjaSettings) -> Result<(), SettingsError> {
    check_config(&s.scoring)?;
    if !(0..24 * 60).contains(&s.hours.start)
        || s.hours.end <= s.hours.start
        || s.hours.end > 24 * 60
    {
        return Err(SettingsError::Hours);
    }
    if s.work_rules
        .iter()
        .any(|r| !(0..=480).contains(&r.minutes) || !(0..=200).contains(&r.daily_cap))
    {
        return Err(SettingsError::Rule);
    }
    if !(60..=1440).contains(&s.day_max_minutes) {
        return Err(SettingsError::DayMax);
    }
    if !(0..=60).contains(&s.closing_days) {
        return Err(SettingsError::Closing);
    }
    let mut seen = std::collections::HashSet::new();
    if s.class_tpp.iter().any(|c| c.rupiah < 0 || !valid_kelas(c.kelas) || !seen.insert(c.kelas)) {
        return Err(SettingsError::ClassTpp);
    }
    if !(1..=720).contains(&s.stale_review_hours)
        || !(1..=720).contains(&s.disposition_service_hours)
    {
        return Err(SettingsError::StaleHours);
    }
    if !(1..=30_000).contains(&s.quadrant.x_bp)
        || !(1..=crate::kinerja::FULL).contains(&s.quadrant.y_bp)
    {
        return Err(SettingsError::Quadrant);
    }
    let full = crate::kinerja::FULL;
    if !(0..=full).contains(&s.hasil_meets_bp)
        || !(0..=full).contains(&s.hasil_above_bp)
        || s.hasil_above_bp < s.hasil_meets_bp
    {
        return Err(SettingsError::Hasil);
    }
    Ok(())
}

impl KinerjaSettings {
    /// (standard minutes, daily cap) of a kind; a kind missing from the table earns nothing.
    pub fn rule(&self, kind: WorkKind) -> (i64, i64) {
        self.work_rules.iter().find(|r| r.kind == kind).map_or((0, 0), |r| (r.minutes, r.daily_cap))
    }
    /// Base TPP of a class; a class missing from the table gets that of the nearest lower class.
    pub fn base_tpp(&self, kelas: i64) -> i64 {
        self.class_tpp
            .iter()
            .filter(|c| c.kelas <= kelas)
            .max_by_key(|c| c.kelas)
            .map_or(0, |c| c.rupiah)
    }
    /// The year's work result from its monthly performance figures.
    pub fn hasil(&self, monthly_bp: &[i64]) -> Option<Rating> {
        if monthly_bp.is_empty() {
            return None;
        }
        let avg = monthly_bp.iter().sum::<i64>() / monthly_bp.len() as i64;
        Some(if avg >= self.hasil_above_bp {
            Rating::DiAtas
        } else if avg >= self.hasil_meets_bp {
            Rating::Sesuai
        } else {
            Rating::DiBawah
        })
    }
}

/// Position classes (kelas jabatan) run from 1 to 17.
pub fn valid_kelas(kelas: i64) -> bool {
    (1..=17).contains(&kelas)
}

/// The class a position has when none is set: by its level, as typical Perbup tables place them.
pub fn default_kelas(level: crate::org::PositionLevel) -> i64 {
    use crate::org::PositionLevel::*;
    match level {
        KepalaOpd => 14,
        Sekretaris => 12,
        KepalaBidang => 11,
        KepalaSeksi => 9,
        Staf => 7,
    }
}

impl WorkKind {
    pub fn code(self) -> &'static str {
        match self {
            WorkKind::Draft => "draft",
            WorkKind::Revise => "revise",
            WorkKind::Paraf => "paraf",
            WorkKind::ReturnWithNote => "return",
            WorkKind::Sign => "sign",
            WorkKind::CoSign => "cosign",
            WorkKind::RegisterIncoming => "register",
            WorkKind::GiveDisposition => "dispose",
            WorkKind::ReportFollowUp => "report",
            WorkKind::AcceptReport => "accept",
            WorkKind::ReturnReport => "return_report",
        }
    }
    pub fn from_code(c: &str) -> Option<WorkKind> {
        WorkKind::ALL.into_iter().find(|k| k.code() == c)
    }
    /// The kind of activity a recorded work event is, if it is one (reading, archiving and
    /// delivering are not).
    pub fn of_event(kind: &str) -> Option<WorkKind> {
        Some(match kind {
            "letter.draft" => WorkKind::Draft,
            "letter.edit" | "letter.revise" => WorkKind::Revise,
            "letter.paraf" => WorkKind::Paraf,
            "letter.return" => WorkKind::ReturnWithNote,
            "letter.sign" => WorkKind::Sign,
            "letter.cosign" => WorkKind::CoSign,
            "incoming.register" => WorkKind::RegisterIncoming,
            "disposition.give" => WorkKind::GiveDisposition,
            "disposition.report" => WorkKind::ReportFollowUp,
            "disposition.accept" => WorkKind::AcceptReport,
            "disposition.return" => WorkKind::ReturnReport,
            _ => return None,
        })
    }
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (WorkKind::Draft, Id) => "Menyusun konsep surat",
            (WorkKind::Draft, En) => "Drafting a letter",
            (WorkKind::Revise, Id) => "Memperbaiki konsep surat",
            (WorkKind::Revise, En) => "Revising a letter",
            (WorkKind::Paraf, Id) => "Memaraf surat",
            (WorkKind::Paraf, En) => "Approving a letter (paraf)",
            (WorkKind::ReturnWithNote, Id) => "Mengembalikan surat dengan catatan",
            (WorkKind::ReturnWithNote, En) => "Returning a letter with a note",
            (WorkKind::Sign, Id) => "Menandatangani surat",
            (WorkKind::Sign, En) => "Signing a letter",
            (WorkKind::CoSign, Id) => "Menandatangani surat (TTE kedua)",
            (WorkKind::CoSign, En) => "Co-signing a letter",
            (WorkKind::RegisterIncoming, Id) => "Mencatat surat masuk",
            (WorkKind::RegisterIncoming, En) => "Registering incoming mail",
            (WorkKind::GiveDisposition, Id) => "Memberi disposisi",
            (WorkKind::GiveDisposition, En) => "Giving a disposition",
            (WorkKind::ReportFollowUp, Id) => "Melaporkan tindak lanjut disposisi",
            (WorkKind::ReportFollowUp, En) => "Reporting a follow-up",
            (WorkKind::AcceptReport, Id) => "Menerima laporan tindak lanjut",
            (WorkKind::AcceptReport, En) => "Accepting a follow-up report",
            (WorkKind::ReturnReport, Id) => "Mengembalikan laporan tindak lanjut",
            (WorkKind::ReturnReport, En) => "Returning a follow-up report",
        }
    }
}

/// Where an activity stands with the validator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityStatus {
    Pending,
    Approved,
    Rejected,
}

impl ActivityStatus {
    pub fn code(self) -> &'static str {
        match self {
            ActivityStatus::Pending => "pending",
            ActivityStatus::Approved => "approved",
            ActivityStatus::Rejected => "rejected",
        }
    }
    pub fn from_code(c: &str) -> Option<Self> {
        [ActivityStatus::Pending, ActivityStatus::Approved, ActivityStatus::Rejected]
            .into_iter()
            .find(|s| s.code() == c)
    }
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (ActivityStatus::Pending, Id) => "Menunggu validasi",
            (ActivityStatus::Pending, En) => "Awaiting validation",
            (ActivityStatus::Approved, Id) => "Disetujui",
            (ActivityStatus::Approved, En) => "Approved",
            (ActivityStatus::Rejected, Id) => "Ditolak",
            (ActivityStatus::Rejected, En) => "Rejected",
        }
    }
}

/// A month as `YYYYMM` (e.g. 202612).
pub fn month_of_day(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    y * 100 + m as i64
}

/// The first day and the day after the last of a `YYYYMM` month, or None when it is not one.
pub fn month_days(month: i64) -> Option<(i64, i64)> {
    let (y, m) = (month / 100, (month % 100) as u32);
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    let next = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) };
    Some((days_from_civil(y, m, 1), next))
}

/// Parses "YYYY-MM" (the HTML month input) into `YYYYMM`.
pub fn parse_month(s: &str) -> Option<i64> {
    let (y, m) = s.trim().split_once('-')?;
    let month = y.parse::<i64>().ok()? * 100 + m.parse::<i64>().ok()?;
    month_days(month).map(|_| month)
}

pub fn month_iso(month: i64) -> String {
    format!("{:04}-{:02}", month / 100, month % 100)
}

pub fn month_label(month: i64, lang: crate::Lang) -> String {
    format!("{} {}", crate::time::month_name((month % 100).clamp(1, 12) as u32, lang), month / 100)
}

/// Monday to Friday, outside the Pemda's holidays and collective leave.
pub fn is_working_day(day: i64, holidays: &[i64]) -> bool {
    // 1970-01-01 was a Thursday: day 0 -> weekday 3 (Monday = 0).
    let weekday = (day + 3).rem_euclid(7);
    weekday < 5 && !holidays.contains(&day)
}

/// The working days of a month up to (not including) `until_day`.
pub fn working_days(month: i64, holidays: &[i64], until_day: i64) -> Vec<i64> {
    let Some((from, to)) = month_days(month) else { return Vec::new() };
    (from..to.min(until_day)).filter(|&d| is_working_day(d, holidays)).collect()
}

/// An activity logged by hand, as the person submits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualEntry {
    pub day: i64,
    /// Minutes after midnight (WIB).
    pub start: i64,
    pub end: i64,
    pub quantity: i64,
    /// Standard minutes of one unit from the bank; None for free text (the time spent counts,
    /// and the superior must rate it).
    pub standard_minutes: Option<i64>,
}

/// Why an activity cannot be logged (each with its message).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("Jam selesai harus setelah jam mulai.")]
    Order,
    #[error("Aktivitas tidak boleh di masa depan.")]
    Future,
    #[error("Aktivitas lebih dari {0} hari yang lalu tidak dapat dicatat lagi (batas pencatatan).")]
    TooOld(i64),
    #[error("Waktunya bertumpang tindih dengan aktivitas lain pada {0}.")]
    Overlap(String),
    #[error(
        "Jumlah menit aktivitas hari itu akan menjadi {total}, melebihi batas {max} menit sehari."
    )]
    DayFull { total: i64, max: i64 },
    #[error("Jumlah keluaran harus antara 1 dan 100.")]
    Quantity,
    #[error("Bulan ini sudah ditutup; aktivitasnya tidak dapat diubah.")]
    Closed,
}

/// The effective minutes a manual entry claims: the bank's standard minutes per unit times the
/// quantity, but never more than the time spent; free text claims the time spent.
pub fn claimed_minutes(e: &ManualEntry) -> i64 {
    let spent = (e.end - e.start).max(0);
    match e.standard_minutes {
        Some(std) => (std * e.quantity).min(spent),
        None => spent,
    }
}

/// Checks a manual entry against the clock, the closing window and what the day already holds
/// (`others`: start, end of the person's other timed activities that day; `day_minutes`: the
/// minutes already counted that day). Returns the minutes it claims.
pub fn check_entry(
    e: &ManualEntry,
    now_day: i64,
    now_minute: i64,
    others: &[(i64, i64)],
    day_minutes: i64,
    s: &KinerjaSettings,
) -> Result<i64, EntryError> {
    if !(0..=24 * 60).contains(&e.start) || !(0..=24 * 60).contains(&e.end) || e.end <= e.start {
        return Err(EntryError::Order);
    }
    if !(1..=100).contains(&e.quantity) {
        return Err(EntryError::Quantity);
    }
    if e.day > now_day || (e.day == now_day && e.end > now_minute) {
        return Err(EntryError::Future);
    }
    if now_day - e.day > s.closing_days {
        return Err(EntryError::TooOld(s.closing_days));
    }
    if let Some(&(a, b)) = others.iter().find(|&&(a, b)| e.start < b && a < e.end) {
        return Err(EntryError::Overlap(format!("{} sampai {}", hhmm(a), hhmm(b))));
    }
    let minutes = claimed_minutes(e);
    if day_minutes + minutes > s.day_max_minutes {
        return Err(EntryError::DayFull { total: day_minutes + minutes, max: s.day_max_minutes });
    }
    Ok(minutes)
}

/// Minutes after midnight as "HH:MM".
pub fn hhmm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Parses "HH:MM" (or "H:MM", "HH.MM") into minutes after midnight.
pub fn parse_hhmm(s: &str) -> Option<i64> {
    let s = s.trim();
    let (h, m) = s.split_once(':').or_else(|| s.split_once('.'))?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m) && m.to_string().len() <= 2).then_some(h * 60 + m)
}

/// One activity as the lists show it. Automatic activities carry no letter subject (it may be
/// confidential): the link leads to the letter, whose page applies its own rights.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub day: i64,
    pub work_kind: Option<WorkKind>,
    pub description: String,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub quantity: i64,
    pub unit: String,
    pub minutes: i64,
    /// Why an automatic activity earned nothing: "unchanged", "repeated", "daily_cap".
    pub no_credit: Option<String>,
    pub status: ActivityStatus,
    pub note: String,
    /// Free text (not from the bank): the validator rates its minutes.
    pub free_text: bool,
    pub link: Option<String>,
    pub has_evidence: bool,
}

/// A bank entry of a position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankItem {
    pub id: String,
    pub name: String,
    pub minutes: i64,
    pub unit: String,
}

/// One person's figures of a month (the recap row and the explained month).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthResult {
    pub employee_id: String,
    pub nip: String,
    pub name: String,
    pub position_title: String,
    pub unit_name: String,
    pub approved_minutes: i64,
    pub performance_bp: i64,
    pub discipline_bp: i64,
    pub usage_penalty_bp: i64,
    pub base_tpp: i64,
    pub tpp: i64,
    pub lines: Vec<crate::kinerja::Line>,
}

/// An OPD's month: its people's figures and whether it is closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recap {
    pub opd_id: String,
    pub opd_name: String,
    pub month: i64,
    pub closed: bool,
    pub rows: Vec<MonthResult>,
}

/// A position's class (kelas jabatan) as the Admin OPD sees it: set, or the default of its level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionClass {
    pub position_id: String,
    pub unit_name: String,
    pub title: String,
    pub kelas: Option<i64>,
    pub default_kelas: i64,
}

/// A person's year for the annual predikat: the performance of each closed month (month,
/// basis points), the work result from them, the superior's behaviour rating, and the predikat
/// once both are known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearView {
    pub employee_id: String,
    pub name: String,
    pub nip: String,
    pub position_title: String,
    pub year: i64,
    pub months: Vec<(i64, i64)>,
    pub hasil: Option<crate::kinerja::Rating>,
    pub perilaku: Option<crate::kinerja::Rating>,
    pub predikat: Option<crate::kinerja::Predikat>,
}

/// One unit's line of a month's recap: how many people, their average performance and
/// discipline, and the unit's TPP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTotal {
    pub unit_name: String,
    pub people: i64,
    pub performance_bp: i64,
    pub discipline_bp: i64,
    pub tpp: i64,
}

impl Recap {
    /// The recap per unit, in the order the units first appear in the rows (by unit name);
    /// people without a unit are grouped under "".
    pub fn per_unit(&self) -> Vec<UnitTotal> {
        let mut out: Vec<UnitTotal> = Vec::new();
        for r in &self.rows {
            let i = match out.iter().position(|u| u.unit_name == r.unit_name) {
                Some(i) => i,
                None => {
                    out.push(UnitTotal {
                        unit_name: r.unit_name.clone(),
                        people: 0,
                        performance_bp: 0,
                        discipline_bp: 0,
                        tpp: 0,
                    });
                    out.len() - 1
                }
            };
            let u = &mut out[i];
            u.people += 1;
            u.performance_bp += r.performance_bp;
            u.discipline_bp += r.discipline_bp;
            u.tpp += r.tpp;
        }
        for u in &mut out {
            // Sums until here; the averages of a unit always have at least one person.
            u.performance_bp /= u.people;
            u.discipline_bp /= u.people;
        }
        out
    }
}

/// The outcome of a CSV import: errors of the file and of each row (1-based line), or how many
/// rows were stored. Nothing is stored when there is any error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvOutcome {
    pub file_errors: Vec<String>,
    pub row_errors: Vec<(usize, String)>,
    pub stored: usize,
}

impl CsvOutcome {
    pub fn ok(&self) -> bool {
        self.file_errors.is_empty() && self.row_errors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recap_per_unit() {
        let row = |unit: &str, perf: i64, disc: i64, tpp: i64| MonthResult {
            employee_id: String::new(),
            nip: String::new(),
            name: String::new(),
            position_title: String::new(),
            unit_name: unit.into(),
            approved_minutes: 0,
            performance_bp: perf,
            discipline_bp: disc,
            usage_penalty_bp: 0,
            base_tpp: 0,
            tpp,
            lines: Vec::new(),
        };
        let r = Recap {
            opd_id: String::new(),
            opd_name: String::new(),
            month: 202612,
            closed: false,
            rows: vec![
                row("Bidang A", 10_000, 9_000, 100),
                row("Bidang A", 5_000, 10_000, 50),
                row("Seksi B", 7_000, 8_000, 70),
            ],
        };
        let u = r.per_unit();
        assert_eq!(u.len(), 2);
        assert_eq!(
            (u[0].people, u[0].performance_bp, u[0].discipline_bp, u[0].tpp),
            (2, 7_500, 9_500, 150)
        );
        assert_eq!((u[1].unit_name.as_str(), u[1].people, u[1].tpp), ("Seksi B", 1, 70));
        assert!(
            Recap { rows: Vec::new(), ..r }.per_unit().is_empty(),
            "an OPD without people: no division by zero"
        );
    }

    #[test]
    fn default_settings_are_valid_and_bad_ones_refused() {
        let s = KinerjaSettings::default();
        assert_eq!(check_settings(&s), Ok(()));
        let mut bad = s.clone();
        bad.scoring.discipline_weight_pct = 30;
        assert!(matches!(check_settings(&bad), Err(SettingsError::Config(_))));
        let bad = KinerjaSettings { day_max_minutes: 20, ..s.clone() };
        assert_eq!(check_settings(&bad), Err(SettingsError::DayMax));
        let mut bad = s.clone();
        bad.class_tpp.push(ClassTpp { kelas: 7, rupiah: 1 });
        assert_eq!(check_settings(&bad), Err(SettingsError::ClassTpp));
        assert_eq!(s.base_tpp(8), 2_750_000, "class 8 falls back to class 7");
        assert_eq!(s.base_tpp(0), 0);
    }

    #[test]
    fn months_and_working_days() {
        assert_eq!(parse_month("2026-12"), Some(202612));
        assert_eq!(parse_month("2026-13"), None);
        let (from, to) = month_days(202612).unwrap();
        assert_eq!(to - from, 31);
        assert_eq!(month_of_day(from), 202612);
        assert_eq!(month_iso(202602), "2026-02");
        // December 2026: 23 weekdays; Christmas (Friday 25th) is a holiday.
        let xmas = crate::time::parse_iso_date("2026-12-25").unwrap();
        assert_eq!(working_days(202612, &[], i64::MAX).len(), 23);
        assert_eq!(working_days(202612, &[xmas], i64::MAX).len(), 22);
        assert!(!is_working_day(crate::time::parse_iso_date("2026-12-05").unwrap(), &[]));
        assert_eq!(month_label(202612, crate::Lang::Id), "Desember 2026");
    }

    #[test]
    fn events_map_to_work_kinds() {
        assert_eq!(WorkKind::of_event("letter.paraf"), Some(WorkKind::Paraf));
        assert_eq!(WorkKind::of_event("incoming.read"), None);
        for k in WorkKind::ALL {
            assert_eq!(WorkKind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn manual_entries_are_checked() {
        let s = KinerjaSettings::default();
        let e = ManualEntry {
            day: 100,
            start: 8 * 60,
            end: 9 * 60,
            quantity: 2,
            standard_minutes: Some(20),
        };
        assert_eq!(check_entry(&e, 100, 10 * 60, &[], 0, &s), Ok(40));
        let free = ManualEntry { standard_minutes: None, ..e.clone() };
        assert_eq!(check_entry(&free, 100, 10 * 60, &[], 0, &s), Ok(60));
        let many = ManualEntry { quantity: 5, ..e.clone() };
        assert_eq!(
            check_entry(&many, 100, 10 * 60, &[], 0, &s),
            Ok(60),
            "never above the time spent"
        );
        assert_eq!(check_entry(&e, 100, 8 * 60 + 30, &[], 0, &s), Err(EntryError::Future));
        assert_eq!(check_entry(&e, 99, 23 * 60, &[], 0, &s), Err(EntryError::Future));
        assert_eq!(check_entry(&e, 106, 0, &[], 0, &s), Err(EntryError::TooOld(5)));
        assert!(check_entry(&e, 105, 0, &[], 0, &s).is_ok());
        assert_eq!(
            check_entry(&e, 100, 600, &[(8 * 60 + 30, 10 * 60)], 0, &s),
            Err(EntryError::Overlap("08:30 sampai 10:00".into()))
        );
        assert!(check_entry(&e, 100, 600, &[(7 * 60, 8 * 60), (9 * 60, 10 * 60)], 0, &s).is_ok());
        assert_eq!(
            check_entry(&e, 100, 600, &[], 420, &s),
            Err(EntryError::DayFull { total: 460, max: 450 })
        );
        let bad = ManualEntry { end: 7 * 60, ..e.clone() };
        assert_eq!(check_entry(&bad, 100, 600, &[], 0, &s), Err(EntryError::Order));
        let bad = ManualEntry { quantity: 0, ..e };
        assert_eq!(check_entry(&bad, 100, 600, &[], 0, &s), Err(EntryError::Quantity));
        assert_eq!(parse_hhmm("07:30"), Some(450));
        assert_eq!(parse_hhmm("7.05"), Some(425));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("ab"), None);
    }
}
