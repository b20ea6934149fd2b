//! The body of a letter as structured blocks rather than HTML: safe to render as HTML and as PDF,
//! easy to diff, and small enough to sync from a phone.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c")]
pub enum Block {
    Paragraph(Vec<Span>),
    Numbered(Vec<Vec<Span>>),
    Bulleted(Vec<Vec<Span>>),
    /// Rows of cells; the first row is the header.
    Table(Vec<Vec<String>>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LetterBody {
    pub blocks: Vec<Block>,
}

pub const MAX_BODY_CHARS: usize = 100_000;
pub const MAX_BLOCKS: usize = 500;
pub const MAX_TABLE_CELLS: usize = 2_000;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("Isi surat terlalu panjang (maksimal {MAX_BODY_CHARS} karakter).")]
    TooLong,
    #[error("Isi surat memuat terlalu banyak bagian (maksimal {MAX_BLOCKS}).")]
    TooManyBlocks,
    #[error("Tabel terlalu besar (maksimal {MAX_TABLE_CELLS} sel).")]
    TableTooLarge,
    #[error("Tabel harus memiliki jumlah kolom yang sama di setiap baris.")]
    RaggedTable,
    #[error("Isi surat tidak boleh memuat karakter kontrol.")]
    ControlChars,
}

fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

impl LetterBody {
    /// A body with one plain paragraph per line-separated paragraph of text.
    pub fn from_plain(text: &str) -> LetterBody {
        LetterBody {
            blocks: text
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| Block::Paragraph(vec![Span { text: p.to_string(), ..Default::default() }]))
                .collect(),
        }
    }

    pub fn validate(&self) -> Result<(), BodyError> {
        if self.blocks.len() > MAX_BLOCKS {
            return Err(BodyError::TooManyBlocks);
        }
        let mut chars = 0usize;
        let mut check = |s: &str| -> Result<(), BodyError> {
            if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                return Err(BodyError::ControlChars);
            }
            chars += s.chars().count();
            if chars > MAX_BODY_CHARS { Err(BodyError::TooLong) } else { Ok(()) }
        };
        for b in &self.blocks {
            match b {
                Block::Paragraph(sp) => sp.iter().try_for_each(|s| check(&s.text))?,
                Block::Numbered(items) | Block::Bulleted(items) => items.iter().flatten().try_for_each(|s| check(&s.text))?,
                Block::Table(rows) => {
                    let width = rows.first().map(Vec::len).unwrap_or(0);
                    if rows.iter().any(|r| r.len() != width) {
                        return Err(BodyError::RaggedTable);
                    }
                    if rows.len() * width > MAX_TABLE_CELLS {
                        return Err(BodyError::TableTooLarge);
                    }
                    rows.iter().flatten().try_for_each(|c| check(c))?;
                }
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.plain_lines().iter().all(|l| l.trim().is_empty())
    }

    /// The text as lines, for search, previews and diffs.
    pub fn plain_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Paragraph(sp) => out.push(spans_text(sp)),
                Block::Numbered(items) => out.extend(items.iter().enumerate().map(|(i, it)| format!("{}. {}", i + 1, spans_text(it)))),
                Block::Bulleted(items) => out.extend(items.iter().map(|it| format!("• {}", spans_text(it)))),
                Block::Table(rows) => out.extend(rows.iter().map(|r| r.join(" | "))),
            }
        }
        out
    }
}

/// One line of a diff between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// Line diff by longest common subsequence. Inputs beyond 2,000 lines each are compared as
/// "all removed, all added" to bound the work.
pub fn diff_lines(old: &[String], new: &[String]) -> Vec<DiffLine> {
    if old.len() > 2000 || new.len() > 2000 {
        return old.iter().cloned().map(DiffLine::Removed).chain(new.iter().cloned().map(DiffLine::Added)).collect();
    }
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if old[i] == new[j] {
            out.push(DiffLine::Same(old[i].clone()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(old[i].clone()));
            i += 1;
        } else {
            out.push(DiffLine::Added(new[j].clone()));
            j += 1;
        }
    }
    out.extend(old[i..].iter().cloned().map(DiffLine::Removed));
    out.extend(new[j..].iter().cloned().map(DiffLine::Added));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(t: &str) -> Span {
        Span { text: t.into(), ..Default::default() }
    }

    #[test]
    fn plain_text_and_validation() {
        let body = LetterBody {
            blocks: vec![
                Block::Paragraph(vec![span("Dengan hormat, "), Span { text: "segera".into(), bold: true, italic: false }]),
                Block::Numbered(vec![vec![span("Satu")], vec![span("Dua")]]),
                Block::Bulleted(vec![vec![span("Butir")]]),
                Block::Table(vec![vec!["No".into(), "Nama".into()], vec!["1".into(), "Budi".into()]]),
            ],
        };
        assert_eq!(body.validate(), Ok(()));
        assert_eq!(body.plain_lines(), vec!["Dengan hormat, segera", "1. Satu", "2. Dua", "• Butir", "No | Nama", "1 | Budi"]);
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(serde_json::from_str::<LetterBody>(&json).unwrap(), body);
        assert!(!body.is_empty());
        assert!(LetterBody::default().is_empty());
        assert_eq!(LetterBody::from_plain("Satu.\n\nDua.\n\n").blocks.len(), 2);
    }

    #[test]
    fn bad_bodies_are_refused() {
        let ragged = LetterBody { blocks: vec![Block::Table(vec![vec!["a".into()], vec!["b".into(), "c".into()]])] };
        assert_eq!(ragged.validate(), Err(BodyError::RaggedTable));
        let long = LetterBody::from_plain(&"x".repeat(MAX_BODY_CHARS + 1));
        assert_eq!(long.validate(), Err(BodyError::TooLong));
        let ctl = LetterBody::from_plain("a\u{7}b");
        assert_eq!(ctl.validate(), Err(BodyError::ControlChars));
        let many = LetterBody { blocks: vec![Block::Paragraph(vec![]); MAX_BLOCKS + 1] };
        assert_eq!(many.validate(), Err(BodyError::TooManyBlocks));
    }

    #[test]
    fn diffs() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let d = diff_lines(&v(&["a", "b", "c"]), &v(&["a", "x", "c", "d"]));
        assert_eq!(d, vec![
            DiffLine::Same("a".into()),
            DiffLine::Removed("b".into()),
            DiffLine::Added("x".into()),
            DiffLine::Same("c".into()),
            DiffLine::Added("d".into()),
        ]);
        assert_eq!(diff_lines(&[], &v(&["a"])), vec![DiffLine::Added("a".into())]);
    }
}
