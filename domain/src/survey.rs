//! The satisfaction survey: how content people are with e-Office, on the seed's four levels, with
//! an optional comment. Offered at most once a calendar month (WIB) per person; answers are kept
//! without the person, so reports show only counts per OPD and the comments.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use crate::{Code, Lang};

/// How satisfied someone is, best first.
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
pub enum Satisfaction {
    SangatPuas,
    Puas,
    CukupPuas,
    TidakPuas,
}

impl Code for Satisfaction {}

impl Satisfaction {
    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Satisfaction::SangatPuas => l.t("Sangat Puas", "Very satisfied"),
            Satisfaction::Puas => l.t("Puas", "Satisfied"),
            Satisfaction::CukupPuas => l.t("Cukup Puas", "Fairly satisfied"),
            Satisfaction::TidakPuas => l.t("Tidak Puas", "Not satisfied"),
        }
    }

    /// Position in [`Satisfaction::all`], for per-level counts.
    pub fn index(self) -> usize {
        Self::VARIANTS.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// The longest comment kept, in characters.
pub const COMMENT_MAX_CHARS: usize = 1000;

/// The month a survey answer or dismissal counts for: `YYYY-MM` in WIB.
pub fn survey_month(now_ms: i64) -> String {
    let (y, m, _) = crate::time::civil_from_days(crate::time::wib_day(now_ms));
    format!("{y:04}-{m:02}")
}

/// Whether the survey is offered now, given the last month the person answered or put it off.
pub fn survey_due(last_month: Option<&str>, now_ms: i64) -> bool {
    last_month != Some(survey_month(now_ms).as_str())
}

/// An answer as sent by the form: a level code and an optional comment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    pub level: String,
    pub comment: String,
}

/// Why an answer is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurveyError {
    NoLevel,
    CommentTooLong,
}

impl SurveyError {
    pub fn message(self, l: Lang) -> String {
        match self {
            SurveyError::NoLevel => l
                .t(
                    "Pilih salah satu tingkat kepuasan: Sangat Puas, Puas, Cukup Puas atau Tidak Puas.",
                    "Choose a level: Very satisfied, Satisfied, Fairly satisfied or Not satisfied.",
                )
                .to_string(),
            SurveyError::CommentTooLong => match l {
                Lang::Id => format!("Komentar paling banyak {COMMENT_MAX_CHARS} karakter."),
                Lang::En => format!("The comment can have at most {COMMENT_MAX_CHARS} characters."),
            },
        }
    }
}

impl SurveyAnswer {
    /// The level and the trimmed comment (None when empty), or why not.
    pub fn check(&self) -> Result<(Satisfaction, Option<String>), SurveyError> {
        let level = Satisfaction::from_code(self.level.trim()).ok_or(SurveyError::NoLevel)?;
        let comment = self.comment.trim();
        if comment.chars().count() > COMMENT_MAX_CHARS {
            return Err(SurveyError::CommentTooLong);
        }
        Ok((level, (!comment.is_empty()).then(|| comment.to_string())))
    }
}

/// The answers of one OPD over the period shown: a count per level, best first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyOpdRow {
    pub opd_id: String,
    pub opd_name: String,
    pub counts: [i64; 4],
}

impl SurveyOpdRow {
    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }

    /// Share of answers that are Sangat Puas or Puas, in whole percent; None without answers.
    pub fn satisfied_percent(&self) -> Option<i64> {
        let total = self.total();
        (total > 0).then(|| ((self.counts[0] + self.counts[1]) * 100 + total / 2) / total)
    }
}

/// A comment as reports show it: the level and the month, never the person nor the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyComment {
    pub opd_name: String,
    pub month: String,
    pub level: Satisfaction,
    pub text: String,
}

/// Survey results for an Admin Pemda: one row per OPD (those with answers), and the comments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    /// The first month counted (`YYYY-MM`).
    pub since: String,
    pub rows: Vec<SurveyOpdRow>,
    pub comments: Vec<SurveyComment>,
}

impl SurveyResults {
    /// All OPDs together.
    pub fn overall(&self) -> SurveyOpdRow {
        let mut all = SurveyOpdRow::default();
        for r in &self.rows {
            for (a, b) in all.counts.iter_mut().zip(r.counts) {
                *a += b;
            }
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offered_once_per_wib_month() {
        // 2026-11-30 17:30 UTC is 2026-12-01 00:30 WIB.
        let now = crate::time::days_from_civil(2026, 11, 30) * crate::time::DAY_MS
            + 17 * 3_600_000
            + 1_800_000;
        assert_eq!(survey_month(now), "2026-12");
        assert!(survey_due(None, now));
        assert!(survey_due(Some("2026-11"), now));
        assert!(!survey_due(Some("2026-12"), now));
    }

    #[test]
    fn an_answer_needs_a_level_and_a_short_comment() {
        let a = |level: &str, comment: &str| {
            SurveyAnswer { level: level.into(), comment: comment.into() }.check()
        };
        assert_eq!(a("", "bagus"), Err(SurveyError::NoLevel));
        assert_eq!(a("luar_biasa", ""), Err(SurveyError::NoLevel));
        assert_eq!(a("puas", "  "), Ok((Satisfaction::Puas, None)));
        assert_eq!(
            a("tidak_puas", " Lambat di HP "),
            Ok((Satisfaction::TidakPuas, Some("Lambat di HP".into())))
        );
        assert_eq!(
            a("cukup_puas", &"x".repeat(COMMENT_MAX_CHARS + 1)),
            Err(SurveyError::CommentTooLong)
        );
        assert!(SurveyError::NoLevel.message(Lang::Id).contains("Sangat Puas"));
        assert!(SurveyError::CommentTooLong.message(Lang::En).contains("1000"));
    }

    #[test]
    fn levels_have_stable_codes_and_both_languages() {
        let codes: Vec<_> = Satisfaction::all().iter().map(|s| s.code()).collect();
        assert_eq!(codes, ["sangat_puas", "puas", "cukup_puas", "tidak_puas"]);
        assert_eq!(Satisfaction::CukupPuas.label(Lang::Id), "Cukup Puas");
        assert_eq!(Satisfaction::TidakPuas.label(Lang::En), "Not satisfied");
        assert_eq!(Satisfaction::TidakPuas.index(), 3);
    }

    #[test]
    fn results_add_up_per_opd_and_overall() {
        let row =
            |id: &str, counts| SurveyOpdRow { opd_id: id.into(), opd_name: id.into(), counts };
        let r = SurveyResults {
            since: "2026-07".into(),
            rows: vec![row("a", [2, 1, 1, 0]), row("b", [0, 0, 1, 2])],
            comments: vec![],
        };
        assert_eq!(r.rows[0].total(), 4);
        assert_eq!(r.rows[0].satisfied_percent(), Some(75));
        assert_eq!(r.rows[1].satisfied_percent(), Some(0));
        assert_eq!(r.overall().counts, [2, 1, 2, 2]);
        assert_eq!(SurveyOpdRow::default().satisfied_percent(), None);
    }
}
