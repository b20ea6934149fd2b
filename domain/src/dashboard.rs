//! The leaders' dashboard as pure functions (DOMAIN.md section 6): the quadrants A/B/C/D of what
//! people do, and medians of turnaround times. Percentages are basis points (10,000 = 100%).

use crate::kinerja::FULL;
use serde::{Deserialize, Serialize};

/// Where a person falls: X is productivity (approved effective minutes against the target), Y is
/// quality and timeliness. A = high/high, B = high quality but low volume, C = high volume but
/// low quality, D = low/low. A value exactly on a threshold counts as high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Quadrant {
    A,
    B,
    C,
    D,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [Quadrant::A, Quadrant::B, Quadrant::C, Quadrant::D];

    pub fn letter(self) -> &'static str {
        match self {
            Quadrant::A => "A",
            Quadrant::B => "B",
            Quadrant::C => "C",
            Quadrant::D => "D",
        }
    }

    pub fn from_letter(s: &str) -> Option<Quadrant> {
        Quadrant::ALL.into_iter().find(|q| q.letter() == s)
    }

    pub fn label(self, l: crate::Lang) -> &'static str {
        match self {
            Quadrant::A => l.t("Produktif dan berkualitas", "Productive, high quality"),
            Quadrant::B => l.t("Berkualitas, volume rendah", "High quality, low volume"),
            Quadrant::C => l.t("Volume tinggi, kualitas rendah", "High volume, low quality"),
            Quadrant::D => l.t("Perlu pembinaan", "Needs coaching"),
        }
    }
}

/// The lines between the quadrants, configurable per Pemda (defaults X 100% of the target,
/// Y 80%).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub x_bp: i64,
    pub y_bp: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { x_bp: FULL, y_bp: 8_000 }
    }
}

pub fn classify(x_bp: i64, y_bp: i64, t: Thresholds) -> Quadrant {
    match (x_bp >= t.x_bp, y_bp >= t.y_bp) {
        (true, true) => Quadrant::A,
        (false, true) => Quadrant::B,
        (true, false) => Quadrant::C,
        (false, false) => Quadrant::D,
    }
}

/// Productivity: approved effective minutes against the target, not capped (a scatter plot shows
/// who does more than asked); 0 when there is no target.
pub fn productivity_bp(approved_minutes: i64, target_minutes: i64) -> i64 {
    if target_minutes <= 0 {
        return 0;
    }
    approved_minutes.max(0) * FULL / target_minutes
}

/// The month's target of someone who joined (or left) part-way: the full target times the share
/// of the month's working days they were employed, at least one day's worth when employed at all.
pub fn prorated_target(target_minutes: i64, working_days: i64, days_employed: i64) -> i64 {
    if working_days <= 0 || days_employed <= 0 {
        return 0;
    }
    target_minutes * days_employed.min(working_days) / working_days
}

/// What quality and timeliness are judged from: for each kind, how many were judged and how many
/// were good.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityCounts {
    /// Dispositions due in the period, and those followed up by their deadline.
    pub dispositions_due: i64,
    pub dispositions_on_time: i64,
    /// Drafts that reached a decision, and those approved without being returned.
    pub drafts_decided: i64,
    pub drafts_clean: i64,
    /// Activities validated by the superior, and those approved.
    pub activities_validated: i64,
    pub activities_approved: i64,
    /// Parafs and signatures given, and those within the service level.
    pub approvals: i64,
    pub approvals_in_time: i64,
}

/// Quality and timeliness: the average of the shares of the kinds that have anything to judge,
/// each weighing the same. None when nothing can be judged (the person is then shown apart, not
/// placed as if they were bad or good).
pub fn quality_bp(q: &QualityCounts) -> Option<i64> {
    let parts = [
        (q.dispositions_on_time, q.dispositions_due),
        (q.drafts_clean, q.drafts_decided),
        (q.activities_approved, q.activities_validated),
        (q.approvals_in_time, q.approvals),
    ];
    let shares: Vec<i64> = parts
        .iter()
        .filter(|(_, all)| *all > 0)
        .map(|(good, all)| (*good).clamp(0, *all) * FULL / all)
        .collect();
    if shares.is_empty() {
        return None;
    }
    Some(shares.iter().sum::<i64>() / shares.len() as i64)
}

/// The median of durations (the lower middle of an even count, so it is always a real one); None
/// when there are none.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

/// How many of each quadrant, in the order A, B, C, D.
pub fn distribution(quadrants: &[Quadrant]) -> [usize; 4] {
    let mut out = [0; 4];
    for q in quadrants {
        out[Quadrant::ALL.iter().position(|x| x == q).unwrap_or(3)] += 1;
    }
    out
}

/// What a dashboard item is: an outgoing letter waiting at someone, or a disposition not followed
/// up by its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    Letter,
    Disposition,
}

impl ItemKind {
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Letter => "letter",
            ItemKind::Disposition => "disposition",
        }
    }
    pub fn from_code(c: &str) -> Option<ItemKind> {
        match c {
            "letter" => Some(ItemKind::Letter),
            "disposition" => Some(ItemKind::Disposition),
            _ => None,
        }
    }
}

/// Letters waiting at one approval level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelWait {
    /// `PositionLevel` code.
    pub level: i64,
    pub count: i64,
    pub oldest_ms: Option<i64>,
}

/// One stuck item, oldest first. `title` is None when the viewer may not see the item (Rahasia):
/// it is counted, never named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StuckItem {
    pub kind: ItemKind,
    pub id: String,
    pub title: Option<String>,
    pub link: Option<String>,
    /// The position it waits at, and who holds it (or acts for it).
    pub waiting_at: String,
    pub holders: String,
    pub opd_name: String,
    pub since_ms: i64,
    /// For a disposition: the deadline day (WIB day number).
    pub deadline_day: Option<i64>,
    /// The last reminder, if any.
    pub reminded_ms: Option<i64>,
}

/// Median handling time at one level this month, against the service level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelTime {
    pub label: String,
    pub count: i64,
    pub median_ms: Option<i64>,
    pub service_ms: i64,
}

/// e-Office use in one unit or OPD.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageRow {
    pub id: String,
    pub name: String,
    /// Where the drill-down leads (None for a unit without further detail).
    pub link: Option<String>,
    pub people: i64,
    pub active_week: i64,
    pub letters_handled: i64,
    pub activities: i64,
    /// People in quadrants A, B, C, D, and those not placed yet.
    pub quadrants: [i64; 4],
    pub unplaced: i64,
}

impl UsageRow {
    /// Share of people active this week, in basis points (0 for nobody).
    pub fn active_bp(&self) -> i64 {
        if self.people <= 0 { 0 } else { self.active_week * FULL / self.people }
    }
}

/// One person on the scatter plot. `y_bp` None: nothing could be judged yet, shown apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonPoint {
    pub employee_id: String,
    pub name: String,
    pub unit: String,
    pub x_bp: i64,
    pub y_bp: Option<i64>,
    pub quadrant: Option<Quadrant>,
    /// What a leader put them forward for this month.
    #[serde(default)]
    pub proposed: Vec<CandidateKind>,
}

/// What a leader puts someone from quadrant A forward for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CandidateKind {
    Reward,
    Promotion,
}

impl CandidateKind {
    pub const ALL: [CandidateKind; 2] = [CandidateKind::Reward, CandidateKind::Promotion];
    pub fn code(self) -> &'static str {
        match self {
            CandidateKind::Reward => "reward",
            CandidateKind::Promotion => "promotion",
        }
    }
    pub fn from_code(c: &str) -> Option<CandidateKind> {
        CandidateKind::ALL.into_iter().find(|k| k.code() == c)
    }
    pub fn label(self, l: crate::Lang) -> &'static str {
        match self {
            CandidateKind::Reward => l.t("Kandidat penghargaan", "Reward candidate"),
            CandidateKind::Promotion => l.t("Kandidat promosi", "Promotion candidate"),
        }
    }
}

/// A person's quadrant in one month: closed months as stored when they closed, the current one
/// as it stands (`live`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuadrantMonth {
    pub month: i64,
    pub x_bp: i64,
    pub y_bp: Option<i64>,
    pub quadrant: Option<Quadrant>,
    pub live: bool,
}

/// One week of the trend (weeks start on Monday, WIB).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekTrend {
    pub start_day: i64,
    pub signed: i64,
    pub median_turnaround_ms: Option<i64>,
    pub overdue: i64,
}

/// A place the viewer may drill into.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub label: String,
    pub href: String,
}

/// The leaders' dashboard of one scope: the whole Pemda, one OPD or one unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    /// This dashboard's address (for links that narrow it).
    pub href: String,
    /// The approval level the waiting list is narrowed to, if any.
    pub level: Option<i64>,
    pub title: String,
    /// The way back up (regency > OPD > unit), as links.
    pub crumbs: Vec<Choice>,
    /// Whether the usage table lists OPDs (regency) or units.
    pub per_opd: bool,
    pub month: i64,
    pub generated_ms: i64,
    pub waiting_total: i64,
    pub waiting: Vec<LevelWait>,
    pub stuck: Vec<StuckItem>,
    pub overdue_total: i64,
    pub overdue: Vec<StuckItem>,
    /// Incoming letters registered more than the service level ago with no disposition yet.
    pub undisposed: i64,
    pub approval_times: Vec<LevelTime>,
    pub disposition_times: Vec<LevelTime>,
    pub usage: Vec<UsageRow>,
    /// Everyone on the plot: for an OPD or a unit (the regency view counts per OPD instead).
    pub people: Vec<PersonPoint>,
    /// How many people in A, B, C, D, and not placed yet, in the whole scope.
    pub quadrants: [i64; 4],
    pub unplaced: i64,
    /// When the month's figures (times, use, quadrants) were computed.
    pub month_computed_ms: i64,
    pub thresholds: Thresholds,
    pub weeks: Vec<WeekTrend>,
    /// Positions a disposition can be given to from here (id, title and holder); empty on the
    /// regency view (open the OPD's dashboard to reassign).
    pub reassign_to: Vec<(String, String)>,
}

/// The smallest reminder interval per item: one reminder per item in this time, whoever sends it.
pub const REMIND_INTERVAL_MS: i64 = 4 * 3_600_000;

/// Whether a new reminder may go out now, given the last one.
pub fn may_remind(last_ms: Option<i64>, now_ms: i64) -> bool {
    last_ms.is_none_or(|t| now_ms - t >= REMIND_INTERVAL_MS)
}

/// Where a value (basis points) sits on a chart axis of `len` pixels going from 0 to `max_bp`,
/// clamped to the axis.
pub fn axis_pos(value_bp: i64, max_bp: i64, len: i64) -> i64 {
    if max_bp <= 0 {
        return 0;
    }
    value_bp.clamp(0, max_bp) * len / max_bp
}

/// The top of a productivity axis: at least 150%, and room for the highest value (rounded up to
/// the next 50%).
pub fn x_axis_max(values: impl Iterator<Item = i64>) -> i64 {
    let top = values.max().unwrap_or(0).max(15_000);
    (top + 4_999) / 5_000 * 5_000
}

/// Monday (WIB day number) of the week holding `day` (day 0, 1970-01-01, was a Thursday).
pub fn week_start(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// A waiting time as people say it: "12 menit", "5 jam", "3 hari 4 jam".
pub fn duration_label(ms: i64, l: crate::Lang) -> String {
    let mins = ms.max(0) / 60_000;
    let (d, h, m) = (mins / (24 * 60), (mins / 60) % 24, mins % 60);
    let (day, hour, min) = (l.t("hari", "d"), l.t("jam", "h"), l.t("menit", "min"));
    match (d, h) {
        (0, 0) => format!("{m} {min}"),
        (0, h) => format!("{h} {hour}"),
        (d, 0) => format!("{d} {day}"),
        (d, h) => format!("{d} {day} {h} {hour}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threshold_value_counts_as_high() {
        let t = Thresholds::default();
        assert_eq!(classify(FULL, 8_000, t), Quadrant::A);
        assert_eq!(classify(FULL - 1, 8_000, t), Quadrant::B);
        assert_eq!(classify(FULL, 7_999, t), Quadrant::C);
        assert_eq!(classify(0, 0, t), Quadrant::D);
        let strict = Thresholds { x_bp: 12_000, y_bp: 9_000 };
        assert_eq!(classify(11_000, 9_500, strict), Quadrant::B);
    }

    #[test]
    fn productivity_against_a_prorated_target() {
        // 6,750 minutes a month over 21 working days; joined with 7 working days left.
        let target = prorated_target(6_750, 21, 7);
        assert_eq!(target, 2_250);
        assert_eq!(productivity_bp(2_250, target), FULL);
        assert_eq!(productivity_bp(3_375, 6_750), 5_000);
        assert_eq!(productivity_bp(8_100, 6_750), 12_000, "not capped");
        assert_eq!(productivity_bp(100, 0), 0, "no target, no division by zero");
        assert_eq!(prorated_target(6_750, 0, 5), 0);
        assert_eq!(prorated_target(6_750, 21, 30), 6_750, "never above the full month");
    }

    #[test]
    fn quality_averages_what_can_be_judged() {
        assert_eq!(quality_bp(&QualityCounts::default()), None, "no activity: nothing to judge");
        let q = QualityCounts {
            dispositions_due: 4,
            dispositions_on_time: 3,
            drafts_decided: 2,
            drafts_clean: 2,
            ..Default::default()
        };
        // (75% + 100%) / 2
        assert_eq!(quality_bp(&q), Some(8_750));
        let all = QualityCounts {
            activities_validated: 10,
            activities_approved: 5,
            approvals: 5,
            approvals_in_time: 5,
            ..q
        };
        // (75% + 100% + 50% + 100%) / 4
        assert_eq!(quality_bp(&all), Some(8_125));
        let odd = QualityCounts { drafts_decided: 1, drafts_clean: 3, ..Default::default() };
        assert_eq!(quality_bp(&odd), Some(FULL), "a count above its total is capped");
    }

    #[test]
    fn medians_and_the_distribution() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
        let qs = [Quadrant::A, Quadrant::D, Quadrant::A, Quadrant::C];
        assert_eq!(distribution(&qs), [2, 0, 1, 1]);
    }

    #[test]
    fn codes_round_trip() {
        for q in Quadrant::ALL {
            assert_eq!(Quadrant::from_letter(q.letter()), Some(q));
        }
        assert_eq!(Quadrant::from_letter("E"), None);
        for k in CandidateKind::ALL {
            assert_eq!(CandidateKind::from_code(k.code()), Some(k));
        }
        assert_eq!(CandidateKind::from_code("bonus"), None);
    }

    #[test]
    fn reminders_are_rate_limited_per_item() {
        assert!(may_remind(None, 0));
        assert!(!may_remind(Some(1_000), 1_000 + REMIND_INTERVAL_MS - 1));
        assert!(may_remind(Some(1_000), 1_000 + REMIND_INTERVAL_MS));
    }

    #[test]
    fn chart_axes_clamp_and_leave_room() {
        assert_eq!(axis_pos(5_000, 10_000, 200), 100);
        assert_eq!(axis_pos(-5, 10_000, 200), 0);
        assert_eq!(axis_pos(50_000, 10_000, 200), 200);
        assert_eq!(axis_pos(5, 0, 200), 0, "no division by zero");
        assert_eq!(x_axis_max([].into_iter()), 15_000);
        assert_eq!(x_axis_max([12_000, 16_100].into_iter()), 20_000);
        assert_eq!(x_axis_max([20_000].into_iter()), 20_000);
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-12-07 is a Monday.
        let monday = crate::time::days_from_civil(2026, 12, 7);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday + 6), monday);
        assert_eq!(week_start(monday - 1), monday - 7);
    }

    #[test]
    fn usage_share_of_an_empty_unit_is_zero() {
        let mut u = UsageRow {
            id: "u".into(),
            name: "Unit".into(),
            link: None,
            people: 0,
            active_week: 0,
            letters_handled: 0,
            activities: 0,
            quadrants: [0; 4],
            unplaced: 0,
        };
        assert_eq!(u.active_bp(), 0);
        u.people = 4;
        u.active_week = 3;
        assert_eq!(u.active_bp(), 7_500);
    }

    #[test]
    fn durations_read_as_people_say_them() {
        let l = crate::Lang::Id;
        assert_eq!(duration_label(0, l), "0 menit");
        assert_eq!(duration_label(-5, l), "0 menit");
        assert_eq!(duration_label(12 * 60_000, l), "12 menit");
        assert_eq!(duration_label(5 * 3_600_000 + 59_000, l), "5 jam");
        assert_eq!(duration_label(2 * 86_400_000, l), "2 hari");
        assert_eq!(duration_label(3 * 86_400_000 + 4 * 3_600_000, l), "3 hari 4 jam");
    }
}
