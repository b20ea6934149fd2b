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
                Block::Numbered(items) | Block::Bulleted(items) => {
                    items.iter().flatten().try_for_each(|s| check(&s.text))?
                }
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
                Block::Numbered(items) => out.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, it)| format!("{}. {}", i + 1, spans_text(it))),
                ),
                Block::Bulleted(items) => {
                    out.extend(items.iter().map(|it| format!("• {}", spans_text(it))))
                }
                Block::Table(rows) => out.extend(rows.iter().map(|r| r.join(" | "))),
            }
        }
        out
    }
}

/// The editing form of a body: plain text that phones type easily, with the formatting marks
/// people already know from chat apps. Blocks are separated by blank lines;
/// `*tebal*` is bold, `_miring_` is italic; lines starting with `1. ` form a numbered list,
/// lines starting with `- ` a bulleted list, lines starting with `|` a table (cells split by `|`,
/// the first row is the header). A literal `*` or `_` that does not close stays as typed.
impl LetterBody {
    pub fn from_markup(text: &str) -> LetterBody {
        let text = text.replace("\r\n", "\n");
        let mut blocks = Vec::new();
        let mut para: Vec<&str> = Vec::new();
        let mut list: Option<(bool, Vec<Vec<Span>>)> = None;
        let mut table: Vec<Vec<String>> = Vec::new();
        fn flush_para(para: &mut Vec<&str>, blocks: &mut Vec<Block>) {
            if !para.is_empty() {
                let joined = para.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                blocks.push(Block::Paragraph(parse_spans(&joined)));
                para.clear();
            }
        }
        fn flush_list(list: &mut Option<(bool, Vec<Vec<Span>>)>, blocks: &mut Vec<Block>) {
            if let Some((numbered, items)) = list.take() {
                blocks.push(if numbered { Block::Numbered(items) } else { Block::Bulleted(items) });
            }
        }
        fn flush_table(table: &mut Vec<Vec<String>>, blocks: &mut Vec<Block>) {
            if !table.is_empty() {
                // Rows typed with fewer cells are padded, so a slip of the thumb does not lose the table.
                let width = table.iter().map(Vec::len).max().unwrap_or(0);
                for r in table.iter_mut() {
                    r.resize(width, String::new());
                }
                blocks.push(Block::Table(std::mem::take(table)));
            }
        }
        for line in text.split('\n') {
            let t = line.trim();
            if t.is_empty() {
                flush_para(&mut para, &mut blocks);
                flush_list(&mut list, &mut blocks);
                flush_table(&mut table, &mut blocks);
                continue;
            }
            if let Some(row) = t.strip_prefix('|') {
                flush_para(&mut para, &mut blocks);
                flush_list(&mut list, &mut blocks);
                let row = row.strip_suffix('|').unwrap_or(row);
                // A separator row such as |---|---| only decorates.
                if row.chars().all(|c| matches!(c, '-' | '|' | ':' | ' ')) && row.contains('-') {
                    continue;
                }
                table.push(row.split('|').map(|c| c.trim().to_string()).collect());
                continue;
            }
            let item = numbered_item(t).map(|rest| (true, rest)).or_else(|| {
                t.strip_prefix("- ").or_else(|| t.strip_prefix("• ")).map(|rest| (false, rest))
            });
            if let Some((numbered, rest)) = item {
                flush_para(&mut para, &mut blocks);
                flush_table(&mut table, &mut blocks);
                if list.as_ref().is_some_and(|(n, _)| *n != numbered) {
                    flush_list(&mut list, &mut blocks);
                }
                list.get_or_insert_with(|| (numbered, Vec::new())).1.push(parse_spans(rest.trim()));
                continue;
            }
            if let Some((_, items)) = list.as_mut() {
                // A continuation line of the last list item.
                if let Some(last) = items.last_mut() {
                    last.push(Span { text: " ".into(), ..Default::default() });
                    last.extend(parse_spans(t));
                    merge_spans(last);
                    continue;
                }
            }
            flush_table(&mut table, &mut blocks);
            para.push(t);
        }
        flush_para(&mut para, &mut blocks);
        flush_list(&mut list, &mut blocks);
        flush_table(&mut table, &mut blocks);
        LetterBody { blocks }
    }

    /// The inverse of [`LetterBody::from_markup`], for editing a saved body.
    pub fn to_markup(&self) -> String {
        let mut out = Vec::new();
        for b in &self.blocks {
            out.push(match b {
                Block::Paragraph(sp) => spans_markup(sp),
                Block::Numbered(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| format!("{}. {}", i + 1, spans_markup(it)))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::Bulleted(items) => items
                    .iter()
                    .map(|it| format!("- {}", spans_markup(it)))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::Table(rows) => rows
                    .iter()
                    .map(|r| format!("| {} |", r.join(" | ")))
                    .collect::<Vec<_>>()
                    .join("\n"),
            });
        }
        out.join("\n\n")
    }
}

fn numbered_item(t: &str) -> Option<&str> {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    t[digits..].strip_prefix(". ").or_else(|| t[digits..].strip_prefix(") "))
}

fn spans_markup(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match (s.bold, s.italic) {
            (true, true) => format!("*_{}_*", s.text),
            (true, false) => format!("*{}*", s.text),
            (false, true) => format!("_{}_", s.text),
            (false, false) => s.text.clone(),
        })
        .collect()
}

fn merge_spans(spans: &mut Vec<Span>) {
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if last.bold == s.bold && last.italic == s.italic => {
                last.text.push_str(&s.text)
            }
            _ if s.text.is_empty() => {}
            _ => merged.push(s),
        }
    }
    *spans = merged;
}

/// Splits one line into spans. A mark opens only before a non-space and closes only after one,
/// so "5 * 3" and snake_case words stay literal.
fn parse_spans(line: &str) -> Vec<Span> {
    let chars: Vec<char> = line.chars().collect();
    let mut spans = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut cur = String::new();
    let closes = |i: usize, mark: char| -> bool {
        chars[i + 1..]
            .iter()
            .enumerate()
            .any(|(k, &c)| c == mark && k > 0 && !chars[i + k].is_whitespace())
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev_ok = i == 0 || !chars[i - 1].is_alphanumeric();
        let next_ok = i + 1 < chars.len() && !chars[i + 1].is_whitespace();
        let toggles = match c {
            '*' if bold => i > 0 && !chars[i - 1].is_whitespace(),
            '*' => prev_ok && next_ok && closes(i, '*'),
            '_' if italic => i > 0 && !chars[i - 1].is_whitespace(),
            '_' => prev_ok && next_ok && closes(i, '_'),
            _ => false,
        };
        if toggles {
            if !cur.is_empty() {
                spans.push(Span { text: std::mem::take(&mut cur), bold, italic });
            }
            if c == '*' { bold = !bold } else { italic = !italic }
        } else {
            cur.push(c);
        }
        i += 1;
    }
    if !cur.is_empty() {
        spans.push(Span { text: cur, bold, italic });
    }
    merge_spans(&mut spans);
    spans
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
        return old
            .iter()
            .cloned()
            .map(DiffLine::Removed)
            .chain(new.iter().cloned().map(DiffLine::Added))
            .collect();
    }
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
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
                Block::Paragraph(vec![
                    span("Dengan hormat, "),
                    Span { text: "segera".into(), bold: true, italic: false },
                ]),
                Block::Numbered(vec![vec![span("Satu")], vec![span("Dua")]]),
                Block::Bulleted(vec![vec![span("Butir")]]),
                Block::Table(vec![
                    vec!["No".into(), "Nama".into()],
                    vec!["1".into(), "Budi".into()],
                ]),
            ],
        };
        assert_eq!(body.validate(), Ok(()));
        assert_eq!(
            body.plain_lines(),
            vec!["Dengan hormat, segera", "1. Satu", "2. Dua", "• Butir", "No | Nama", "1 | Budi"]
        );
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(serde_json::from_str::<LetterBody>(&json).unwrap(), body);
        assert!(!body.is_empty());
        assert!(LetterBody::default().is_empty());
        assert_eq!(LetterBody::from_plain("Satu.\n\nDua.\n\n").blocks.len(), 2);
    }

    #[test]
    fn bad_bodies_are_refused() {
        let ragged = LetterBody {
            blocks: vec![Block::Table(vec![vec!["a".into()], vec!["b".into(), "c".into()]])],
        };
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
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Added("x".into()),
                DiffLine::Same("c".into()),
                DiffLine::Added("d".into()),
            ]
        );
        assert_eq!(diff_lines(&[], &v(&["a"])), vec![DiffLine::Added("a".into())]);
    }

    #[test]
    fn markup_round_trip() {
        let text = "Dengan hormat,\n\nSehubungan dengan *rapat koordinasi* pada _hari Senin_, kami sampaikan:\n1. Acara dimulai pukul 08.00;\n2. Peserta membawa *laptop*.\n\n- butir satu\n- butir dua\n\n| No | Nama | Jabatan |\n|---|---|---|\n| 1 | Budi | Staf |\n| 2 | Sari |\n\nAngka 5 * 3 dan nama_berkas tetap.";
        let body = LetterBody::from_markup(text);
        assert_eq!(body.blocks.len(), 6, "{body:?}");
        match &body.blocks[1] {
            Block::Paragraph(sp) => {
                assert!(sp.iter().any(|s| s.bold && s.text == "rapat koordinasi"));
                assert!(sp.iter().any(|s| s.italic && s.text == "hari Senin"));
            }
            b => panic!("{b:?}"),
        }
        assert!(
            matches!(&body.blocks[2], Block::Numbered(items) if items.len() == 2 && items[1].iter().any(|s| s.bold && s.text == "laptop"))
        );
        assert!(matches!(&body.blocks[3], Block::Bulleted(items) if items.len() == 2));
        match &body.blocks[4] {
            Block::Table(rows) => {
                assert_eq!(rows.len(), 3);
                assert_eq!(rows[2], vec!["2".to_string(), "Sari".into(), String::new()]);
            }
            b => panic!("{b:?}"),
        }
        assert_eq!(body.plain_lines().last().unwrap(), "Angka 5 * 3 dan nama_berkas tetap.");
        assert_eq!(body.validate(), Ok(()));
        // Saving and editing again gives the same body.
        assert_eq!(LetterBody::from_markup(&body.to_markup()), body);
        assert!(LetterBody::from_markup(" \n\n ").is_empty());
        let unclosed = LetterBody::from_markup("harga *promo");
        assert_eq!(unclosed.plain_lines(), vec!["harga *promo"]);
    }
}
