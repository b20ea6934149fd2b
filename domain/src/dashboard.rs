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
}
