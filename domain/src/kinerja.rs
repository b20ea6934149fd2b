//! e-Kinerja scoring as pure functions of the Pemda's configuration (DOMAIN.md section 5): a day's
//! attendance deduction (TL/PSW/TK), a month's performance and discipline, the e-Office usage
//! penalty, the performance allowance (TPP), and the annual predikat of PermenPANRB 6/2022.
//!
//! Percentages are basis points (10,000 = 100%) and money is whole rupiah, so every figure is exact
//! and can be explained line by line; nothing here reads a clock or a database.

use serde::{Deserialize, Serialize};

/// 100% in basis points.
pub const FULL: i64 = 10_000;

/// One band of a late-arrival or early-leave rule: up to `up_to_minutes` costs `deduction_bp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub up_to_minutes: i64,
    pub deduction_bp: i64,
}

/// A Pemda's scoring rules. `Default` gives the common figures of DOMAIN.md.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KinerjaConfig {
    /// Approved effective minutes a month that make 100% performance.
    pub monthly_target_minutes: i64,
    /// Weights of performance and discipline in the TPP, in percent; they add up to 100.
    pub performance_weight_pct: i64,
    pub discipline_weight_pct: i64,
    /// Late arrival (TL1, TL2, ...), ascending; beyond the last band `late_over_bp` (the last TL).
    pub late_bands: Vec<Band>,
    pub late_over_bp: i64,
    /// Early leave (PSW1, PSW2, ...), the same way.
    pub early_bands: Vec<Band>,
    pub early_over_bp: i64,
    /// No check-in (or no check-out) recorded on a working day: counted as the last TL (or PSW).
    pub missing_record_bp: i64,
    /// Absent all day without a valid reason (TK), per day.
    pub absent_day_bp: i64,
    /// The most one day's TL + PSW may cost, if the rule caps it.
    pub day_cap_bp: Option<i64>,
    /// e-Office usage penalty on performance: per disposition not followed up by its deadline,
    /// per letter left waiting at the person beyond the service level, and its cap.
    pub overdue_disposition_bp: i64,
    pub stale_review_bp: i64,
    pub usage_penalty_cap_bp: i64,
    /// For heads of units: the share (percent) of their performance that is their unit's average.
    pub head_unit_share_pct: Option<i64>,
}

impl Default for KinerjaConfig {
    fn default() -> Self {
        let bands = vec![
            Band { up_to_minutes: 30, deduction_bp: 50 },
            Band { up_to_minutes: 60, deduction_bp: 100 },
            Band { up_to_minutes: 90, deduction_bp: 125 },
        ];
        KinerjaConfig {
            monthly_target_minutes: 6_750,
            performance_weight_pct: 60,
            discipline_weight_pct: 40,
            late_bands: bands.clone(),
            late_over_bp: 150,
            early_bands: bands,
            early_over_bp: 150,
            missing_record_bp: 150,
            absent_day_bp: 300,
            day_cap_bp: Some(250),
            overdue_disposition_bp: 100,
            stale_review_bp: 50,
            usage_penalty_cap_bp: 2_000,
            head_unit_share_pct: None,
        }
    }
}

/// Why a configuration cannot be used (each with a message for the Admin).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("Bobot kinerja dan bobot disiplin harus berjumlah 100%.")]
    WeightsNot100,
    #[error("Target menit efektif sebulan harus lebih dari 0.")]
    NoTarget,
    #[error(
        "Batas menit pada aturan terlambat/pulang cepat harus naik berurutan dan lebih dari 0."
    )]
    BandsNotAscending,
    #[error("Potongan harus antara 0% dan 100%.")]
    DeductionOutOfRange,
    #[error("Porsi rata-rata unit untuk kepala unit harus antara 0% dan 100%.")]
    HeadShareOutOfRange,
}

fn in_range(bp: i64) -> bool {
    (0..=FULL).contains(&bp)
}

/// Checks a configuration before it is stored.
pub fn check_config(c: &KinerjaConfig) -> Result<(), ConfigError> {
    if c.performance_weight_pct < 0
        || c.discipline_weight_pct < 0
        || c.performance_weight_pct + c.discipline_weight_pct != 100
    {
        return Err(ConfigError::WeightsNot100);
    }
    if c.monthly_target_minutes <= 0 {
        return Err(ConfigError::NoTarget);
    }
    for bands in [&c.late_bands, &c.early_bands] {
        let mut last = 0;
        for b in bands {
            if b.up_to_minutes <= last {
                return Err(ConfigError::BandsNotAscending);
            }
            last = b.up_to_minutes;
            if !in_range(b.deduction_bp) {
                return Err(ConfigError::DeductionOutOfRange);
            }
        }
    }
    let single = [
        c.late_over_bp,
        c.early_over_bp,
        c.missing_record_bp,
        c.absent_day_bp,
        c.day_cap_bp.unwrap_or(0),
        c.overdue_disposition_bp,
        c.stale_review_bp,
        c.usage_penalty_cap_bp,
    ];
    if !single.into_iter().all(in_range) {
        return Err(ConfigError::DeductionOutOfRange);
    }
    if c.head_unit_share_pct.is_some_and(|s| !(0..=100).contains(&s)) {
        return Err(ConfigError::HeadShareOutOfRange);
    }
    Ok(())
}

/// Office hours of a working day, in minutes after midnight (WIB), e.g. 7:30 to 16:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkHours {
    pub start: i64,
    pub end: i64,
}

/// What one working day's attendance says of a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayRecord {
    /// Came to work: first check-in and last check-out, minutes after midnight, if recorded.
    Worked { check_in: Option<i64>, check_out: Option<i64> },
    /// Absent without a valid reason (TK).
    Absent,
    /// Leave, official travel, sick leave with a note: never deducted.
    Excused,
}

/// A day's deduction and the codes of the rules that made it (e.g. `["TL2", "PSW1"]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayDeduction {
    pub codes: Vec<String>,
    pub late_minutes: i64,
    pub early_minutes: i64,
    /// After the day cap, if any.
    pub bp: i64,
}

fn band(minutes: i64, bands: &[Band], over_bp: i64, prefix: &str) -> Option<(String, i64)> {
    if minutes <= 0 {
        return None;
    }
    match bands.iter().position(|b| minutes <= b.up_to_minutes) {
        Some(i) => Some((format!("{prefix}{}", i + 1), bands[i].deduction_bp)),
        None => Some((format!("{prefix}{}", bands.len() + 1), over_bp)),
    }
}

/// The deduction of one working day.
pub fn day_deduction(rec: DayRecord, hours: WorkHours, c: &KinerjaConfig) -> DayDeduction {
    let none = DayDeduction { codes: vec![], late_minutes: 0, early_minutes: 0, bp: 0 };
    match rec {
        DayRecord::Excused => none,
        DayRecord::Absent => DayDeduction { codes: vec!["TK".into()], bp: c.absent_day_bp, ..none },
        DayRecord::Worked { check_in, check_out } => {
            let mut codes = Vec::new();
            let mut bp = 0;
            let late = check_in.map_or(0, |t| (t - hours.start).max(0));
            let early = check_out.map_or(0, |t| (hours.end - t).max(0));
            let late_rule = match check_in {
                None => Some((format!("TL{}", c.late_bands.len() + 1), c.missing_record_bp)),
                Some(_) => band(late, &c.late_bands, c.late_over_bp, "TL"),
            };
            let early_rule = match check_out {
                None => Some((format!("PSW{}", c.early_bands.len() + 1), c.missing_record_bp)),
                Some(_) => band(early, &c.early_bands, c.early_over_bp, "PSW"),
            };
            for (code, d) in [late_rule, early_rule].into_iter().flatten() {
                codes.push(code);
                bp += d;
            }
            if let Some(cap) = c.day_cap_bp {
                bp = bp.min(cap);
            }
            DayDeduction { codes, late_minutes: late, early_minutes: early, bp }
        }
    }
}

/// Approved effective minutes against the target, capped at 100%.
pub fn performance_bp(approved_minutes: i64, c: &KinerjaConfig) -> i64 {
    if c.monthly_target_minutes <= 0 {
        return 0;
    }
    (approved_minutes.max(0) * FULL / c.monthly_target_minutes).min(FULL)
}

/// What a month's score is computed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthInput {
    pub approved_minutes: i64,
    /// One entry per working day of the month (from the Pemda's calendar).
    pub days: Vec<DayDeduction>,
    pub overdue_dispositions: i64,
    pub stale_reviews: i64,
    /// Base TPP of the position's class (kelas jabatan), rupiah a month.
    pub base_tpp: i64,
    /// For a head of a unit when the Pemda counts the unit in: the unit's average performance.
    pub unit_average_bp: Option<i64>,
}

/// One line of the explained month: a figure, and the rule or source it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// What the figure is, as a stable key the page translates (e.g. `performance`).
    pub key: String,
    /// The figure: basis points for percentages, minutes, counts or rupiah as `key` says.
    pub value: i64,
    /// How it was found, e.g. "6.120 / 6.750 menit".
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthScore {
    pub performance_bp: i64,
    pub discipline_bp: i64,
    pub usage_penalty_bp: i64,
    pub tpp: i64,
    pub lines: Vec<Line>,
}

fn line(key: &str, value: i64, detail: String) -> Line {
    Line { key: key.into(), value, detail }
}

/// A basis-point figure as an Indonesian percentage, e.g. 9066 -> "90,66%".
pub fn percent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let bp = bp.abs();
    format!("{sign}{},{:02}%", bp / 100, bp % 100)
}

/// A percentage as typed, "1,25" or "1.25" (at most two decimals, 0 to 100), in basis points.
pub fn parse_percent(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !(whole.chars().chain(frac.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let bp =
        whole.parse::<i64>().ok()?.checked_mul(100)? + format!("{frac:0<2}").parse::<i64>().ok()?;
    (bp <= FULL).then_some(bp)
}

/// Basis points as a percentage to type, without the sign: 125 -> "1,25", 300 -> "3".
pub fn percent_input(bp: i64) -> String {
    if bp % 100 == 0 {
        (bp / 100).to_string()
    } else {
        percent(bp).trim_end_matches('%').trim_end_matches('0').to_string()
    }
}

/// Whole rupiah with thousands dots, e.g. 3.559.840.
pub fn rupiah(v: i64) -> String {
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// What a line of the explained month is, in words.
pub fn line_label(key: &str, l: crate::Lang) -> &'static str {
    match key {
        "attendance_days" => {
            l.t("Hari kerja dengan data kehadiran", "Working days with attendance data")
        }
        "own_performance" => l.t("Capaian menit efektif", "Effective minutes achieved"),
        "with_unit_average" => l.t("Dengan rata-rata unit", "With the unit's average"),
        "usage_penalty" => l.t("Potongan penggunaan e-Office", "e-Office usage penalty"),
        "performance" => l.t("Nilai kinerja", "Performance"),
        "discipline_deduction" => l.t("Potongan disiplin", "Discipline deductions"),
        "discipline" => l.t("Nilai disiplin", "Discipline"),
        "tpp" => l.t("TPP bulan ini", "This month's TPP"),
        _ => "",
    }
}

/// A line's figure as shown: a count, rupiah, or a percentage.
pub fn line_value(key: &str, v: i64) -> String {
    match key {
        "attendance_days" => v.to_string(),
        "tpp" => format!("Rp {}", rupiah(v)),
        _ => percent(v),
    }
}

/// The month of one person: performance (with the usage penalty and the head's unit share),
/// discipline, and the TPP they make, explained line by line.
pub fn month_score(m: &MonthInput, c: &KinerjaConfig) -> MonthScore {
    let mut lines = Vec::new();
    let own = performance_bp(m.approved_minutes, c);
    lines.push(line(
        "own_performance",
        own,
        format!(
            "{} / {} menit efektif disetujui, paling tinggi 100%",
            m.approved_minutes, c.monthly_target_minutes
        ),
    ));
    let mut perf = own;
    if let (Some(share), Some(avg)) = (c.head_unit_share_pct, m.unit_average_bp) {
        perf = (own * (100 - share) + avg.clamp(0, FULL) * share) / 100;
        lines.push(line(
            "with_unit_average",
            perf,
            format!("{}% sendiri + {}% rata-rata unit ({})", 100 - share, share, percent(avg)),
        ));
    }
    let usage = (m.overdue_dispositions.max(0) * c.overdue_disposition_bp
        + m.stale_reviews.max(0) * c.stale_review_bp)
        .min(c.usage_penalty_cap_bp);
    if usage > 0 {
        lines.push(line(
            "usage_penalty",
            usage,
            format!(
                "{} disposisi lewat tenggat, {} surat tertahan melewati batas layanan",
                m.overdue_dispositions, m.stale_reviews
            ),
        ));
    }
    let performance = (perf - usage).max(0);
    lines.push(line("performance", performance, String::new()));
    let mut deducted = 0;
    let mut counts: Vec<(String, i64)> = Vec::new();
    for d in &m.days {
        deducted += d.bp;
        for code in &d.codes {
            match counts.iter_mut().find(|(c, _)| c == code) {
                Some((_, n)) => *n += 1,
                None => counts.push((code.clone(), 1)),
            }
        }
    }
    let deducted = deducted.min(FULL);
    counts.sort();
    lines.push(line(
        "discipline_deduction",
        deducted,
        counts.iter().map(|(c, n)| format!("{c} x{n}")).collect::<Vec<_>>().join(", "),
    ));
    let discipline = FULL - deducted;
    lines.push(line("discipline", discipline, String::new()));
    let weighted = c.performance_weight_pct * performance + c.discipline_weight_pct * discipline;
    // Rounded to the nearest rupiah.
    let den = 100 * FULL;
    let tpp = (m.base_tpp.max(0) * weighted + den / 2) / den;
    lines.push(line(
        "tpp",
        tpp,
        format!(
            "{} x ({}% x {} + {}% x {})",
            m.base_tpp,
            c.performance_weight_pct,
            percent(performance),
            c.discipline_weight_pct,
            percent(discipline)
        ),
    ));
    MonthScore {
        performance_bp: performance,
        discipline_bp: discipline,
        usage_penalty_bp: usage,
        tpp,
        lines,
    }
}

/// Kinds of e-Office work that count as activities by themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WorkKind {
    Draft,
    Revise,
    Paraf,
    ReturnWithNote,
    Sign,
    CoSign,
    RegisterIncoming,
    GiveDisposition,
    ReportFollowUp,
    AcceptReport,
    ReturnReport,
}

impl WorkKind {
    pub const ALL: [WorkKind; 11] = [
        WorkKind::Draft,
        WorkKind::Revise,
        WorkKind::Paraf,
        WorkKind::ReturnWithNote,
        WorkKind::Sign,
        WorkKind::CoSign,
        WorkKind::RegisterIncoming,
        WorkKind::GiveDisposition,
        WorkKind::ReportFollowUp,
        WorkKind::AcceptReport,
        WorkKind::ReturnReport,
    ];

    /// Standard minutes and daily cap (how many a day earn minutes) when the Pemda has not set its
    /// own table.
    pub fn default_rule(self) -> (i64, i64) {
        match self {
            WorkKind::Draft => (60, 8),
            WorkKind::Revise => (20, 10),
            WorkKind::Paraf => (10, 30),
            WorkKind::ReturnWithNote => (15, 20),
            WorkKind::Sign => (10, 40),
            WorkKind::CoSign => (10, 20),
            WorkKind::RegisterIncoming => (15, 40),
            WorkKind::GiveDisposition => (10, 30),
            WorkKind::ReportFollowUp => (30, 10),
            WorkKind::AcceptReport => (10, 30),
            WorkKind::ReturnReport => (10, 20),
        }
    }
}

/// One piece of a person's e-Office work on one day, as the activity builder sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    pub kind: WorkKind,
    /// The letter or disposition it was about.
    pub entity_id: String,
    /// The letter version acted on (for paraf), if any.
    pub version: Option<i64>,
    /// A save or revision that changed nothing earns nothing.
    pub changed: bool,
}

/// Why an item earned no minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoCredit {
    Unchanged,
    Repeated,
    DailyCap,
}

/// The minutes each of one person's items of one day earns, in order: a save that changed
/// nothing earns nothing, the same kind of act on the same letter version twice earns once, and
/// each kind earns for at most its daily cap of items. `rule` gives (standard minutes, daily cap).
pub fn credit_day(
    items: &[WorkItem],
    rule: impl Fn(WorkKind) -> (i64, i64),
) -> Vec<Result<i64, NoCredit>> {
    let mut seen = std::collections::HashSet::new();
    let mut per_kind: std::collections::HashMap<WorkKind, i64> = Default::default();
    items
        .iter()
        .map(|it| {
            if !it.changed {
                return Err(NoCredit::Unchanged);
            }
            if it.version.is_some() && !seen.insert((it.kind, it.entity_id.clone(), it.version)) {
                return Err(NoCredit::Repeated);
            }
            let (minutes, cap) = rule(it.kind);
            let n = per_kind.entry(it.kind).or_insert(0);
            if *n >= cap {
                return Err(NoCredit::DailyCap);
            }
            *n += 1;
            Ok(minutes)
        })
        .collect()
}

/// Below, as, or above expectation (PermenPANRB 6/2022).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Rating {
    DiBawah,
    Sesuai,
    DiAtas,
}

impl crate::Code for Rating {}

impl Rating {
    pub fn label(self, l: crate::Lang) -> &'static str {
        match self {
            Rating::DiBawah => l.t("Di bawah ekspektasi", "Below expectations"),
            Rating::Sesuai => l.t("Sesuai ekspektasi", "As expected"),
            Rating::DiAtas => l.t("Di atas ekspektasi", "Above expectations"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Predikat {
    SangatBaik,
    Baik,
    ButuhPerbaikan,
    KurangMisconduct,
    SangatKurang,
}

impl Predikat {
    pub fn label(self) -> &'static str {
        match self {
            Predikat::SangatBaik => "Sangat Baik",
            Predikat::Baik => "Baik",
            Predikat::ButuhPerbaikan => "Butuh Perbaikan",
            Predikat::KurangMisconduct => "Kurang/Misconduct",
            Predikat::SangatKurang => "Sangat Kurang",
        }
    }
}

/// The annual predikat from work result (hasil kerja) and behaviour (perilaku kerja).
pub fn predikat(hasil: Rating, perilaku: Rating) -> Predikat {
    use Rating::*;
    match (hasil, perilaku) {
        (DiAtas, DiAtas) => Predikat::SangatBaik,
        (DiAtas | Sesuai, Sesuai) | (Sesuai, DiAtas) => Predikat::Baik,
        (DiBawah, Sesuai | DiAtas) => Predikat::ButuhPerbaikan,
        (DiAtas | Sesuai, DiBawah) => Predikat::KurangMisconduct,
        (DiBawah, DiBawah) => Predikat::SangatKurang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOURS: WorkHours = WorkHours { start: 7 * 60 + 30, end: 16 * 60 };

    fn worked(late: i64, early: i64) -> DayRecord {
        DayRecord::Worked { check_in: Some(HOURS.start + late), check_out: Some(HOURS.end - early) }
    }

    #[test]
    fn the_default_configuration_is_valid_and_bad_ones_are_refused() {
        let c = KinerjaConfig::default();
        assert_eq!(check_config(&c), Ok(()));
        let bad = KinerjaConfig { discipline_weight_pct: 50, ..c.clone() };
        assert_eq!(check_config(&bad), Err(ConfigError::WeightsNot100));
        let mut bad = c.clone();
        bad.late_bands[1].up_to_minutes = 20;
        assert_eq!(check_config(&bad), Err(ConfigError::BandsNotAscending));
        let bad = KinerjaConfig { absent_day_bp: 10_001, ..c.clone() };
        assert_eq!(check_config(&bad), Err(ConfigError::DeductionOutOfRange));
        let bad = KinerjaConfig { monthly_target_minutes: 0, ..c.clone() };
        assert_eq!(check_config(&bad), Err(ConfigError::NoTarget));
        let bad = KinerjaConfig { head_unit_share_pct: Some(120), ..c };
        assert_eq!(check_config(&bad), Err(ConfigError::HeadShareOutOfRange));
    }

    #[test]
    fn each_attendance_rule() {
        let c = KinerjaConfig::default();
        let d = |r| day_deduction(r, HOURS, &c);
        assert_eq!(d(worked(0, 0)).bp, 0);
        assert_eq!(d(worked(-20, -30)).codes, Vec::<String>::new(), "early arrival, late leave");
        assert_eq!((d(worked(1, 0)).codes, d(worked(1, 0)).bp), (vec!["TL1".into()], 50));
        assert_eq!((d(worked(30, 0)).codes, d(worked(30, 0)).bp), (vec!["TL1".into()], 50));
        assert_eq!((d(worked(31, 0)).codes, d(worked(31, 0)).bp), (vec!["TL2".into()], 100));
        assert_eq!((d(worked(90, 0)).codes, d(worked(90, 0)).bp), (vec!["TL3".into()], 125));
        assert_eq!((d(worked(91, 0)).codes, d(worked(91, 0)).bp), (vec!["TL4".into()], 150));
        assert_eq!((d(worked(0, 45)).codes, d(worked(0, 45)).bp), (vec!["PSW2".into()], 100));
        let no_out = DayRecord::Worked { check_in: Some(HOURS.start), check_out: None };
        assert_eq!((d(no_out).codes, d(no_out).bp), (vec!["PSW4".into()], 150));
        assert_eq!((d(DayRecord::Absent).codes, d(DayRecord::Absent).bp), (vec!["TK".into()], 300));
        assert_eq!(d(DayRecord::Excused).bp, 0);
        // TL4 + PSW4 would be 3%; the day is capped at 2.5%. Without the cap it is not.
        let both = d(worked(100, 100));
        assert_eq!((both.codes, both.bp), (vec!["TL4".into(), "PSW4".into()], 250));
        let uncapped = KinerjaConfig { day_cap_bp: None, ..c.clone() };
        assert_eq!(day_deduction(worked(100, 100), HOURS, &uncapped).bp, 300);
    }

    /// Putri, staff, in a month of 22 working days, with the default rules (60/40).
    #[test]
    fn a_staff_month_worked_out() {
        let c = KinerjaConfig::default();
        let mut days: Vec<DayDeduction> = Vec::new();
        // 15 clean days, 2 days 15 min late (TL1 0.5% each), 1 day 45 min late (TL2 1%), 1 day leaving
        // 95 min early (PSW4 1.5%), 1 day without check-out (PSW4 1.5%), 1 day absent (TK 3%), and
        // 1 day 100 min late and 100 min early (3%, capped at 2.5%).
        days.extend((0..15).map(|_| day_deduction(worked(0, 0), HOURS, &c)));
        days.extend((0..2).map(|_| day_deduction(worked(15, 0), HOURS, &c)));
        days.push(day_deduction(worked(45, 0), HOURS, &c));
        days.push(day_deduction(worked(0, 95), HOURS, &c));
        days.push(day_deduction(
            DayRecord::Worked { check_in: Some(HOURS.start), check_out: None },
            HOURS,
            &c,
        ));
        days.push(day_deduction(DayRecord::Absent, HOURS, &c));
        days.push(day_deduction(worked(100, 100), HOURS, &c));
        assert_eq!(days.len(), 22);
        let m = MonthInput {
            approved_minutes: 6_120,
            days,
            overdue_dispositions: 1,
            stale_reviews: 2,
            base_tpp: 4_000_000,
            unit_average_bp: None,
        };
        let s = month_score(&m, &c);
        // 6,120 / 6,750 = 90.66%; usage penalty 1% + 2 x 0.5% = 2% -> 88.66%.
        assert_eq!(s.usage_penalty_bp, 200);
        assert_eq!(s.performance_bp, 8_866);
        // Deductions 0.5 + 0.5 + 1 + 1.5 + 1.5 + 3 + 2.5 = 10.5% -> discipline 89.5%.
        assert_eq!(s.discipline_bp, 8_950);
        // 4,000,000 x (0.6 x 0.8866 + 0.4 x 0.895) = 4,000,000 x 0.88996 = 3,559,840.
        assert_eq!(s.tpp, 3_559_840);
        let explained = s.lines.iter().find(|l| l.key == "discipline_deduction").unwrap();
        assert_eq!(explained.detail, "PSW4 x3, TK x1, TL1 x2, TL2 x1, TL4 x1");
        assert_eq!(s.lines.last().unwrap().detail, "4000000 x (60% x 88,66% + 40% x 89,50%)");
    }

    /// A head of a unit, 40/60, whose performance counts their unit's average for 20%.
    #[test]
    fn a_heads_month_with_the_unit_average_and_the_other_weighting() {
        let c = KinerjaConfig {
            performance_weight_pct: 40,
            discipline_weight_pct: 60,
            head_unit_share_pct: Some(20),
            ..KinerjaConfig::default()
        };
        let m = MonthInput {
            // Over the target: capped at 100%.
            approved_minutes: 7_200,
            days: vec![day_deduction(worked(10, 0), HOURS, &c)],
            overdue_dispositions: 0,
            stale_reviews: 0,
            base_tpp: 9_000_000,
            unit_average_bp: Some(8_000),
        };
        let s = month_score(&m, &c);
        // 80% x 100% + 20% x 80% = 96%; discipline 100% - 0.5% = 99.5%.
        assert_eq!((s.performance_bp, s.discipline_bp, s.usage_penalty_bp), (9_600, 9_950, 0));
        // 9,000,000 x (0.4 x 0.96 + 0.6 x 0.995) = 9,000,000 x 0.981 = 8,829,000.
        assert_eq!(s.tpp, 8_829_000);
        // Without the option the unit average is ignored.
        let own = month_score(&m, &KinerjaConfig { head_unit_share_pct: None, ..c });
        assert_eq!(own.performance_bp, FULL);
    }

    #[test]
    fn caps_keep_every_figure_between_0_and_100() {
        let c = KinerjaConfig::default();
        let m = MonthInput {
            approved_minutes: 0,
            days: (0..40).map(|_| day_deduction(DayRecord::Absent, HOURS, &c)).collect(),
            overdue_dispositions: 1_000,
            stale_reviews: 1_000,
            base_tpp: 5_000_000,
            unit_average_bp: None,
        };
        let s = month_score(&m, &c);
        assert_eq!(s.usage_penalty_bp, c.usage_penalty_cap_bp);
        assert_eq!((s.performance_bp, s.discipline_bp, s.tpp), (0, 0, 0));
        assert_eq!(performance_bp(1_000_000, &c), FULL);
        assert_eq!(performance_bp(-5, &c), 0);
    }

    #[test]
    fn more_approved_minutes_never_lower_the_score() {
        let c = KinerjaConfig::default();
        let mut last = -1;
        for minutes in (0..8_000).step_by(37) {
            let m = MonthInput {
                approved_minutes: minutes,
                days: vec![],
                overdue_dispositions: 1,
                stale_reviews: 0,
                base_tpp: 3_000_000,
                unit_average_bp: None,
            };
            let s = month_score(&m, &c);
            assert!((0..=FULL).contains(&s.performance_bp));
            assert!(s.tpp >= last, "{minutes}");
            last = s.tpp;
        }
    }

    #[test]
    fn gaming_rules_for_automatic_activities() {
        let item = |kind, id: &str, version, changed| WorkItem {
            kind,
            entity_id: id.into(),
            version,
            changed,
        };
        let rule = |k: WorkKind| if k == WorkKind::Paraf { (10, 2) } else { k.default_rule() };
        let day = [
            item(WorkKind::Draft, "a", None, true),
            item(WorkKind::Revise, "a", None, false),
            item(WorkKind::Paraf, "b", Some(1), true),
            item(WorkKind::Paraf, "b", Some(1), true),
            item(WorkKind::Paraf, "b", Some(2), true),
            item(WorkKind::Paraf, "c", Some(1), true),
        ];
        assert_eq!(
            credit_day(&day, rule),
            vec![
                Ok(60),
                Err(NoCredit::Unchanged),
                Ok(10),
                Err(NoCredit::Repeated),
                Ok(10),
                Err(NoCredit::DailyCap),
            ]
        );
        for k in WorkKind::ALL {
            let (m, cap) = k.default_rule();
            assert!(m > 0 && cap > 0, "{k:?}");
        }
    }

    #[test]
    fn percentages_typed_by_the_admin() {
        assert_eq!(parse_percent("1,25"), Some(125));
        assert_eq!(parse_percent("0.5"), Some(50));
        assert_eq!(parse_percent(" 3 % "), Some(300));
        assert_eq!(parse_percent("100"), Some(FULL));
        for bad in ["", "abc", "1,255", "-1", "101", ",5", "1.2.3"] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
        for bp in [0, 50, 125, 300, 2_500, FULL] {
            assert_eq!(parse_percent(&percent_input(bp)), Some(bp), "{bp}");
        }
        assert_eq!(percent_input(125), "1,25");
        assert_eq!(percent_input(50), "0,5");
    }

    #[test]
    fn figures_are_written_the_indonesian_way() {
        assert_eq!(rupiah(3_559_840), "3.559.840");
        assert_eq!(rupiah(950), "950");
        assert_eq!(rupiah(-1_000), "-1.000");
        assert_eq!(line_value("tpp", 1_000_000), "Rp 1.000.000");
        assert_eq!(line_value("performance", 9_066), "90,66%");
        assert_eq!(line_value("attendance_days", 21), "21");
    }

    #[test]
    fn the_predikat_matrix() {
        use Rating::*;
        let expect = [
            (DiAtas, DiBawah, Predikat::KurangMisconduct),
            (DiAtas, Sesuai, Predikat::Baik),
            (DiAtas, DiAtas, Predikat::SangatBaik),
            (Sesuai, DiBawah, Predikat::KurangMisconduct),
            (Sesuai, Sesuai, Predikat::Baik),
            (Sesuai, DiAtas, Predikat::Baik),
            (DiBawah, DiBawah, Predikat::SangatKurang),
            (DiBawah, Sesuai, Predikat::ButuhPerbaikan),
            (DiBawah, DiAtas, Predikat::ButuhPerbaikan),
        ];
        for (h, p, want) in expect {
            assert_eq!(predikat(h, p), want, "{h:?} x {p:?}");
        }
        assert_eq!(percent(9_066), "90,66%");
        assert_eq!(percent(5), "0,05%");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn config() -> impl Strategy<Value = KinerjaConfig> {
            (1_000i64..20_000, 0i64..=100, prop::option::of(0i64..=100), 0i64..=500, 0i64..=500)
                .prop_map(|(target, w, share, overdue, stale)| KinerjaConfig {
                    monthly_target_minutes: target,
                    performance_weight_pct: w,
                    discipline_weight_pct: 100 - w,
                    head_unit_share_pct: share,
                    overdue_disposition_bp: overdue,
                    stale_review_bp: stale,
                    ..KinerjaConfig::default()
                })
        }

        fn day() -> impl Strategy<Value = DayRecord> {
            prop_oneof![
                Just(DayRecord::Absent),
                Just(DayRecord::Excused),
                (prop::option::of(0i64..1440), prop::option::of(0i64..1440))
                    .prop_map(|(check_in, check_out)| DayRecord::Worked { check_in, check_out }),
            ]
        }

        fn month() -> impl Strategy<Value = (MonthInput, Vec<DayRecord>)> {
            (
                0i64..30_000,
                prop::collection::vec(day(), 0..27),
                0i64..40,
                0i64..40,
                0i64..20_000_000,
                prop::option::of(0i64..=FULL),
            )
                .prop_map(|(minutes, days, overdue, stale, base, avg)| {
                    (
                        MonthInput {
                            approved_minutes: minutes,
                            days: Vec::new(),
                            overdue_dispositions: overdue,
                            stale_reviews: stale,
                            base_tpp: base,
                            unit_average_bp: avg,
                        },
                        days,
                    )
                })
        }

        const H: WorkHours = WorkHours { start: 450, end: 960 };

        proptest! {
            #[test]
            fn scores_stay_between_0_and_100_percent((m, days) in month(), c in config()) {
                let m = MonthInput {
                    days: days.into_iter().map(|d| day_deduction(d, H, &c)).collect(),
                    ..m
                };
                let s = month_score(&m, &c);
                prop_assert!((0..=FULL).contains(&s.performance_bp));
                prop_assert!((0..=FULL).contains(&s.discipline_bp));
                prop_assert!(s.tpp >= 0 && s.tpp <= m.base_tpp);
            }

            #[test]
            fn another_approved_activity_never_lowers_the_score(
                (m, days) in month(),
                c in config(),
                extra in 1i64..500,
            ) {
                let m = MonthInput {
                    days: days.into_iter().map(|d| day_deduction(d, H, &c)).collect(),
                    ..m
                };
                let before = month_score(&m, &c);
                let more = MonthInput { approved_minutes: m.approved_minutes + extra, ..m };
                let after = month_score(&more, &c);
                prop_assert!(after.performance_bp >= before.performance_bp);
                prop_assert!(after.tpp >= before.tpp);
            }
        }
    }
}
