//! The store's SQL toolkit: how list queries are built, the same way everywhere and on both
//! databases. Conditions and their numbered arguments (`$1`, `$2`, ...) grow together in a
//! [`Filter`], so a number can never point at the wrong argument; searches escape LIKE patterns
//! one way; the rule that hides confidential mail is one fragment; pages are cut one way.

use domain::Code;
use domain::letter::Sifat;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// The conditions of a list query and their arguments, numbered in the order they were added.
/// Every argument is text; numbers and codes go into the SQL text itself only when they come
/// from the program, never from the user.
#[derive(Clone, Debug, Default)]
pub(crate) struct Filter {
    args: Vec<String>,
    conds: Vec<String>,
}

impl Filter {
    pub fn new() -> Filter {
        Filter::default()
    }

    /// Adds an argument and returns its placeholder, e.g. `$3`.
    pub fn arg(&mut self, value: impl Into<String>) -> String {
        self.args.push(value.into());
        format!("${}", self.args.len())
    }

    /// Adds several arguments and returns their placeholders for an `IN (...)` list.
    pub fn args_in(&mut self, values: impl IntoIterator<Item = String>) -> String {
        values.into_iter().map(|v| self.arg(v)).collect::<Vec<_>>().join(", ")
    }

    /// Adds a condition; all conditions must hold.
    pub fn cond(&mut self, sql: impl Into<String>) {
        self.conds.push(sql.into());
    }

    /// `column = $n` when a value is given.
    pub fn eq_code<T: Code>(&mut self, column: &str, value: Option<T>) {
        if let Some(v) = value {
            let p = self.arg(v.code());
            self.cond(format!("{column} = {p}"));
        }
    }

    /// A case-insensitive substring search over `columns` (already lower-cased where needed, e.g.
    /// `LOWER(subject)`). Does nothing for an empty search. Returns whether it added a condition.
    pub fn search(&mut self, q: &str, columns: &[&str]) -> bool {
        let Some(pattern) = like_pattern(q) else { return false };
        let p = self.arg(pattern);
        let any = columns
            .iter()
            .map(|c| format!("{c} LIKE {p} ESCAPE '\\'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        self.cond(format!("({any})"));
        true
    }

    /// The conditions joined with AND (`1 = 1` when there are none).
    pub fn where_sql(&self) -> String {
        if self.conds.is_empty() { "1 = 1".into() } else { self.conds.join(" AND ") }
    }

    pub fn conds(&self) -> &[String] {
        &self.conds
    }

    pub fn args(&self) -> &[String] {
        &self.args
    }

    pub fn into_args(self) -> Vec<String> {
        self.args
    }

    /// Binds every argument, in order, to a query built from this filter's SQL.
    pub fn bind<'q>(
        &'q self,
        mut query: Query<'q, sqlx::Any, AnyArguments<'q>>,
    ) -> Query<'q, sqlx::Any, AnyArguments<'q>> {
        for a in &self.args {
            query = query.bind(a);
        }
        query
    }
}

/// A search as a LIKE pattern: trimmed, lower-cased, `\`, `%` and `_` escaped (with
/// `ESCAPE '\'`), wrapped in `%`. None for an empty search.
pub(crate) fn like_pattern(q: &str) -> Option<String> {
    let q = escape_like(q);
    (!q.is_empty()).then(|| format!("%{q}%"))
}

/// The text of a search, ready to go inside a LIKE pattern: trimmed, lower-cased, and with the
/// LIKE wildcards escaped so they match themselves.
pub(crate) fn escape_like(q: &str) -> String {
    q.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// `$start, $start+1, ...`: `n` placeholders for an `IN` list whose arguments are bound in order.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `column NOT IN ('rahasia', 'sangat_rahasia')`: the rows of every class below Rahasia. The
/// classes come from [`Sifat::is_confidential`], so a new class cannot be forgotten here.
pub(crate) fn not_confidential(column: &str) -> String {
    let codes = Sifat::all()
        .iter()
        .filter(|s| s.is_confidential())
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{column} NOT IN ({codes})")
}

/// Rows skipped before page `page` (1-based; anything lower is page 1) of `size` rows.
pub(crate) fn offset(page: i64, size: i64) -> i64 {
    (page.max(1) - 1) * size
}

/// `LIMIT size OFFSET ...` of page `page` (1-based).
pub(crate) fn page_sql(page: i64, size: i64) -> String {
    format!("LIMIT {size} OFFSET {}", offset(page, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_numbered_as_added() {
        let mut f = Filter::new();
        let a = f.arg("opd-1");
        let ins = f.args_in(["p1".to_string(), "p2".to_string()]);
        f.cond(format!("opd_id = {a} AND position_id IN ({ins})"));
        f.eq_code("sifat", Some(Sifat::Terbatas));
        f.eq_code::<Sifat>("kind", None);
        assert!(f.search("  50%_x ", &["LOWER(subject)", "number"]));
        assert!(!f.search("   ", &["LOWER(subject)"]));
        assert_eq!(
            f.where_sql(),
            "opd_id = $1 AND position_id IN ($2, $3) AND sifat = $4 AND \
             (LOWER(subject) LIKE $5 ESCAPE '\\' OR number LIKE $5 ESCAPE '\\')"
        );
        assert_eq!(f.args(), ["opd-1", "p1", "p2", "terbatas", "%50\\%\\_x%"]);
        assert_eq!(Filter::new().where_sql(), "1 = 1");
    }

    #[test]
    fn like_patterns_escape_and_trim() {
        assert_eq!(escape_like(" A\\b "), "a\\\\b");
        assert_eq!(like_pattern("Rapat"), Some("%rapat%".into()));
        assert_eq!(like_pattern(" \t"), None);
    }

    #[test]
    fn fragments() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
        assert_eq!(placeholders(1, 0), "");
        assert_eq!(not_confidential("l.sifat"), "l.sifat NOT IN ('rahasia', 'sangat_rahasia')");
        assert_eq!(page_sql(3, 50), "LIMIT 50 OFFSET 100");
        assert_eq!(offset(0, 50), 0);
    }
}
