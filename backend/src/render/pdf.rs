//! PDF layout of a letter: the kop surat, head block, addressees, body, signatures and tembusan,
//! placed with the layout engine of `layout`.
//!
//! The letter is laid out in two passes: first into pages of positioned drawing operations (so the
//! total page count is known), then every page gets its page number, footer and watermark and is
//! written out. Text is measured with the font's own advance widths (skrifa) and drawn glyph by
//! glyph, so no shaping engine is compiled in; Latin text in Liberation Sans needs none. Every
//! glyph carries the range of text it stands for, which krilla turns into ToUnicode maps: that is
//! what keeps the text searchable and extractable (pdftotext, copy and paste, screen readers).
//!
//! Images: the logo and the QR code must be PNG or JPEG. Anything else, or bytes that fail to
//! decode, is an error (`BackendError::Invalid`) rather than a silently missing logo or QR code,
//! because a letter printed without its verification QR would look valid while it is not.

use domain::letter_body::{Block, Span};
use krilla::error::KrillaError;
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::{Document, SerializeSettings};

use super::layout::*;
use super::{LetterDocument, SignatureBlock};
use crate::error::{BackendError, Result};

fn kop(l: &mut Layout, doc: &LetterDocument, logo: Option<Image>) {
    let top = l.y;
    let logo_box = logo.as_ref().map(|img| fit(img, LOGO_MAX, LOGO_MAX));
    // The text stays centred on the page and keeps clear of the logo on both sides.
    let side = logo_box.map_or(0.0, |(w, _)| w + 0.3 * CM);
    let (tx, tw) = (MARGIN_LEFT + side, CONTENT_W - 2.0 * side);
    let mut text_lines: Vec<(Line, f32)> = Vec::new();
    for (style, size, text) in [
        (Style::Bold, 14.0, &doc.pemda_name),
        (Style::Bold, 16.0, &doc.opd_name),
        (Style::Regular, 10.0, &doc.opd_address),
    ] {
        if !text.trim().is_empty() {
            text_lines.extend(wrap_plain(style, size, text, tw).into_iter().map(|ln| (ln, size)));
        }
    }
    let text_h: f32 = text_lines.iter().map(|(_, s)| s * LINE_FACTOR).sum();
    let kop_h = text_h.max(logo_box.map_or(0.0, |(_, h)| h));
    if let (Some(img), Some((w, h))) = (logo, logo_box) {
        let y = top + (kop_h - h) / 2.0;
        l.page().ops.push(Op::Image { image: img, x: MARGIN_LEFT, y, w, h });
    }
    l.y = top + (kop_h - text_h) / 2.0;
    for (ln, size) in &text_lines {
        l.line(ln, tx, tw, *size, size * LINE_FACTOR, Align::Center);
    }
    l.y = top + kop_h + 4.0;
    // The customary double rule: thick over thin.
    let y = l.y;
    l.page().ops.push(Op::Rule { x: MARGIN_LEFT, y, w: CONTENT_W, h: 2.25 });
    l.page().ops.push(Op::Rule { x: MARGIN_LEFT, y: y + 3.75, w: CONTENT_W, h: 0.75 });
    l.y += 4.5 + 12.0;
}

fn title(l: &mut Layout, title: &str) {
    let lines = wrap_plain(Style::Bold, BODY_SIZE, title, CONTENT_W);
    for ln in &lines {
        l.line(ln, MARGIN_LEFT, CONTENT_W, BODY_SIZE, BODY_LINE, Align::Center);
        let x = MARGIN_LEFT + (CONTENT_W - ln.width) / 2.0;
        l.underline_last(x, ln.width, Style::Bold, BODY_SIZE, BODY_LINE);
    }
    l.y += BODY_LINE;
}

fn head_block(l: &mut Layout, doc: &LetterDocument) {
    // The date line keeps its place even when blank (a preview before signing).
    for ln in &wrap_plain(Style::Regular, BODY_SIZE, &doc.place_date, CONTENT_W / 2.0) {
        l.line(ln, RIGHT_HALF_X, CONTENT_W / 2.0, BODY_SIZE, BODY_LINE, Align::Right);
    }
    let labels = ["Nomor", "Sifat", "Lampiran", "Hal"];
    let label_w =
        labels.iter().map(|s| width(Style::Regular, BODY_SIZE, s)).fold(0.0, f32::max) + 12.0;
    let colon_x = MARGIN_LEFT + label_w;
    let value_x = colon_x + width(Style::Regular, BODY_SIZE, ": ") + 2.0;
    // Values wrap before the page's right part, as on typed letters.
    let value_right = MARGIN_LEFT + CONTENT_W * 0.62;
    let values = [doc.number.as_deref().unwrap_or(""), &doc.sifat, &doc.lampiran, &doc.hal];
    for (label, value) in labels.iter().zip(values) {
        l.ensure(BODY_LINE);
        let baseline = l.y + baseline_offset(BODY_SIZE, BODY_LINE);
        l.text(MARGIN_LEFT, baseline, Style::Regular, BODY_SIZE, label);
        l.text(colon_x, baseline, Style::Regular, BODY_SIZE, ":");
        if value.trim().is_empty() {
            l.y += BODY_LINE;
        } else {
            l.hanging(
                &[(Style::Regular, value)],
                BODY_SIZE,
                value_x,
                value_x,
                value_right,
                Align::Left,
            );
        }
    }
}

fn addressees(l: &mut Layout, doc: &LetterDocument) {
    let x = RIGHT_HALF_X;
    let yth = "Yth.";
    let text_x = x + width(Style::Regular, BODY_SIZE, "Yth. ");
    l.ensure(BODY_LINE);
    let baseline = l.y + baseline_offset(BODY_SIZE, BODY_LINE);
    l.text(x, baseline, Style::Regular, BODY_SIZE, yth);
    let recipients: Vec<&String> = doc.recipients.iter().filter(|r| !r.trim().is_empty()).collect();
    if recipients.is_empty() {
        l.y += BODY_LINE;
    }
    if recipients.len() == 1 {
        l.hanging(
            &[(Style::Regular, recipients[0])],
            BODY_SIZE,
            text_x,
            text_x,
            RIGHT,
            Align::Left,
        );
    } else {
        let labels: Vec<String> = (1..=recipients.len()).map(|i| format!("{i}.")).collect();
        let num_w =
            labels.iter().map(|s| width(Style::Regular, BODY_SIZE, s)).fold(0.0, f32::max) + 5.0;
        for (label, r) in labels.iter().zip(recipients) {
            l.ensure(BODY_LINE);
            let baseline = l.y + baseline_offset(BODY_SIZE, BODY_LINE);
            l.text(text_x, baseline, Style::Regular, BODY_SIZE, label);
            l.hanging(
                &[(Style::Regular, r)],
                BODY_SIZE,
                text_x + num_w,
                text_x + num_w,
                RIGHT,
                Align::Left,
            );
        }
    }
    if !doc.recipient_place.trim().is_empty() {
        l.hanging(
            &[(Style::Regular, &doc.recipient_place)],
            BODY_SIZE,
            text_x,
            text_x,
            RIGHT,
            Align::Left,
        );
    }
}

fn list(l: &mut Layout, items: &[Vec<Span>], numbered: bool) {
    let labels: Vec<String> = (1..=items.len())
        .map(|i| if numbered { format!("{i}.") } else { "\u{2022}".to_string() })
        .collect();
    let label_w = labels.iter().map(|s| width(Style::Regular, BODY_SIZE, s)).fold(0.0, f32::max);
    let label_x = MARGIN_LEFT;
    let text_x = label_x + (label_w + 8.0).max(0.75 * CM);
    for (label, item) in labels.iter().zip(items) {
        let lines = wrap(&span_runs(item), BODY_SIZE, RIGHT - text_x, RIGHT - text_x);
        for (j, ln) in lines.iter().enumerate() {
            l.ensure(BODY_LINE);
            if j == 0 {
                let baseline = l.y + baseline_offset(BODY_SIZE, BODY_LINE);
                l.text(label_x, baseline, Style::Regular, BODY_SIZE, label);
            }
            l.line(ln, text_x, RIGHT - text_x, BODY_SIZE, BODY_LINE, Align::Justify);
        }
    }
}

/// Column widths proportional to content: each column wants its longest cell on one line; when
/// the table is too wide, every column keeps at least its longest word (up to a fair share) and
/// the rest is shared by how much more each would like.
fn column_widths(rows: &[Vec<String>], cols: usize, avail: f32) -> Vec<f32> {
    let style_of = |r: usize| if r == 0 { Style::Bold } else { Style::Regular };
    let mut natural = vec![0.0f32; cols];
    let mut minimum = vec![0.0f32; cols];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate().take(cols) {
            let st = style_of(r);
            let nat = cell.lines().map(|ln| width(st, TABLE_SIZE, ln)).fold(0.0, f32::max);
            let word =
                cell.split_whitespace().map(|w| width(st, TABLE_SIZE, w)).fold(0.0, f32::max);
            natural[c] = natural[c].max(nat + 2.0 * CELL_PAD_X);
            minimum[c] = minimum[c].max(word + 2.0 * CELL_PAD_X);
        }
    }
    let fair = avail / cols as f32;
    for c in 0..cols {
        natural[c] = natural[c].max(3.0 * CELL_PAD_X);
        minimum[c] = minimum[c].min(fair).min(natural[c]);
    }
    let total: f32 = natural.iter().sum();
    if total <= avail {
        return natural.iter().map(|w| w * avail / total).collect();
    }
    let min_total: f32 = minimum.iter().sum();
    let want: f32 = natural.iter().zip(&minimum).map(|(n, m)| n - m).sum();
    natural
        .iter()
        .zip(&minimum)
        .map(|(n, m)| {
            if want > 0.0 { m + (avail - min_total) * (n - m) / want } else { avail / cols as f32 }
        })
        .collect()
}

fn table(l: &mut Layout, rows: &[Vec<String>]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if cols == 0 {
        return;
    }
    let widths = column_widths(rows, cols, CONTENT_W);
    let mut edges = vec![MARGIN_LEFT];
    for w in &widths {
        edges.push(edges.last().copied().unwrap_or(MARGIN_LEFT) + w);
    }
    let line_h = TABLE_SIZE * LINE_FACTOR;
    let wrapped: Vec<Vec<Vec<Line>>> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let st = if r == 0 { Style::Bold } else { Style::Regular };
            (0..cols)
                .map(|c| {
                    let text = row.get(c).map(String::as_str).unwrap_or("");
                    wrap_plain(st, TABLE_SIZE, text, widths[c] - 2.0 * CELL_PAD_X)
                })
                .collect()
        })
        .collect();
    let row_h = |cells: &Vec<Vec<Line>>| {
        cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_h + 2.0 * CELL_PAD_Y
    };
    let header_h = row_h(&wrapped[0]);

    // Draws lines [from, from + n) of every cell of one row as one band of the grid.
    let band = |l: &mut Layout, cells: &Vec<Vec<Line>>, from: usize, n: usize| {
        let top = l.y;
        let h = n as f32 * line_h + 2.0 * CELL_PAD_Y;
        for (c, lines) in cells.iter().enumerate() {
            l.y = top + CELL_PAD_Y;
            for ln in lines.iter().skip(from).take(n) {
                let baseline = l.y + baseline_offset(TABLE_SIZE, line_h);
                let mut x = edges[c] + CELL_PAD_X;
                for f in &ln.frags {
                    l.text(x, baseline, f.style, TABLE_SIZE, &f.text);
                    x += width(f.style, TABLE_SIZE, &f.text);
                }
                l.y += line_h;
            }
        }
        let (left, right) = (edges[0], edges[cols]);
        let ops = &mut l.page().ops;
        ops.push(Op::Line { x1: left, y1: top, x2: right, y2: top, width: GRID_WIDTH });
        ops.push(Op::Line { x1: left, y1: top + h, x2: right, y2: top + h, width: GRID_WIDTH });
        for &x in &edges {
            ops.push(Op::Line { x1: x, y1: top, x2: x, y2: top + h, width: GRID_WIDTH });
        }
        l.y = top + h;
    };

    // The header never ends a page alone: it needs room for the first body row too.
    let first_h = wrapped.get(1).map_or(0.0, row_h);
    l.ensure(header_h + first_h.min(l.bottom - MARGIN_TOP - header_h));
    let header_lines = wrapped[0].iter().map(Vec::len).max().unwrap_or(1);
    band(l, &wrapped[0], 0, header_lines);
    let page_room = l.bottom - MARGIN_TOP;
    for cells in wrapped.iter().skip(1) {
        let total = cells.iter().map(Vec::len).max().unwrap_or(1);
        let h = row_h(cells);
        if l.y + h > l.bottom + 0.01 && header_h + h <= page_room {
            // The row moves whole to the next page, under a repeated header.
            l.new_page();
            band(l, &wrapped[0], 0, header_lines);
        }
        // Rows taller than a page are split between lines, each part under a repeated header.
        let mut from = 0;
        while from < total {
            let fit = ((l.bottom - l.y - 2.0 * CELL_PAD_Y) / line_h).floor().max(0.0) as usize;
            if fit == 0 {
                l.new_page();
                band(l, &wrapped[0], 0, header_lines);
                continue;
            }
            let n = fit.min(total - from);
            band(l, cells, from, n);
            from += n;
        }
    }
}

/// `keep` is the height of what follows the body (gap and signature): the last lines of a final
/// paragraph go to the next page with the signature rather than leave it alone there.
fn body(l: &mut Layout, blocks: &[Block], keep: f32) {
    for (i, block) in blocks.iter().enumerate() {
        let last = i + 1 == blocks.len();
        // Tables get more air than text blocks, which already have their line spacing.
        let is_table = |b: Option<&Block>| matches!(b, Some(Block::Table(_)));
        if i > 0 {
            l.gap(if is_table(Some(block)) || is_table(blocks.get(i - 1)) {
                2.0 * BLOCK_GAP
            } else {
                BLOCK_GAP
            });
        }
        match block {
            Block::Paragraph(spans) => {
                let runs = span_runs(spans);
                let lines = wrap(&runs, BODY_SIZE, CONTENT_W - PARA_INDENT, CONTENT_W);
                let keep_from = lines.len().saturating_sub(2);
                for (j, ln) in lines.iter().enumerate() {
                    if last && j == keep_from {
                        l.ensure((lines.len() - j) as f32 * BODY_LINE + keep);
                    }
                    let indent = if j == 0 { PARA_INDENT } else { 0.0 };
                    l.line(
                        ln,
                        MARGIN_LEFT + indent,
                        CONTENT_W - indent,
                        BODY_SIZE,
                        BODY_LINE,
                        Align::Justify,
                    );
                }
            }
            Block::Numbered(items) => list(l, items, true),
            Block::Bulleted(items) => list(l, items, false),
            Block::Table(rows) => table(l, rows),
        }
    }
}

/// A rectangle on a page: the page index and `[x0, y0, x1, y1]` in PDF points.
pub type PlacedRect = (usize, [f64; 4]);

/// The signature block, measured before it is placed so the end of the body can keep it company.
struct Signature {
    /// Left edge and right edge of the column the block sits in.
    x: f32,
    right: f32,
    top: Vec<Line>,
    statement: Vec<Line>,
    statement_x: f32,
    space_h: f32,
    qr: Option<Image>,
    name: Vec<Line>,
    bottom: Vec<Line>,
}

const STATEMENT_SIZE: f32 = 9.0;
/// Space between two signature blocks side by side.
const SIGN_COLUMN_GAP: f32 = 0.5 * CM;

impl Signature {
    /// A block laid out in the column from `x` to `right`.
    fn new(sig: &SignatureBlock, qr: Option<Image>, x: f32, right: f32) -> Signature {
        let w = right - x;
        let mut top: Vec<Line> = Vec::new();
        for a in sig.above.iter().filter(|a| !a.trim().is_empty()) {
            top.extend(wrap_plain(Style::Regular, BODY_SIZE, a, w));
        }
        if !sig.position.trim().is_empty() {
            top.extend(wrap_plain(Style::Regular, BODY_SIZE, &sig.position, w));
        }
        let statement_x = if qr.is_some() { x + QR_SIZE + 0.3 * CM } else { x };
        let statement = sig
            .statement
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| wrap_plain(Style::Italic, STATEMENT_SIZE, s, right - statement_x))
            .unwrap_or_default();
        let statement_h = statement.len() as f32 * STATEMENT_SIZE * LINE_FACTOR;
        let mut bottom: Vec<Line> = Vec::new();
        if let Some(rank) = sig.rank.as_deref().filter(|r| !r.trim().is_empty()) {
            bottom.extend(wrap_plain(Style::Regular, BODY_SIZE, rank, w));
        }
        if !sig.nip.trim().is_empty() {
            bottom.extend(wrap_plain(Style::Regular, BODY_SIZE, &sig.nip, w));
        }
        Signature {
            x,
            right,
            top,
            statement,
            statement_x,
            space_h: SIGN_SPACE.max(statement_h + 6.0),
            qr,
            name: wrap_plain(Style::Bold, BODY_SIZE, &sig.name, w),
            bottom,
        }
    }

    fn top_h(&self) -> f32 {
        self.top.len() as f32 * BODY_LINE
    }

    /// Draws the block with its first line at the current y, its signing space starting `space_at`
    /// below that (so blocks side by side line up), and returns where the signing space (QR and
    /// statement) landed: page index and [x1 y1 x2 y2] in PDF user space (origin bottom left).
    /// The caller has made room for the block on this page.
    fn draw(self, l: &mut Layout, space_at: f32, space_h: f32) -> PlacedRect {
        let (x, right) = (self.x, self.right);
        let w = right - x;
        let start = l.y;
        l.lines(&self.top, x, w, BODY_SIZE, Align::Left);
        let space_top = start + space_at;
        let space = (
            l.pages.len() - 1,
            [
                x as f64,
                (PAGE_H - space_top - space_h) as f64,
                right as f64,
                (PAGE_H - space_top) as f64,
            ],
        );
        if let Some(img) = self.qr {
            let (qw, qh) = fit(&img, QR_SIZE, QR_SIZE);
            l.page().ops.push(Op::Image {
                image: img,
                x,
                y: space_top + (space_h - qh) / 2.0,
                w: qw,
                h: qh,
            });
        }
        let statement_h = self.statement.len() as f32 * STATEMENT_SIZE * LINE_FACTOR;
        l.y = space_top + (space_h - statement_h) / 2.0;
        l.lines(
            &self.statement,
            self.statement_x,
            right - self.statement_x,
            STATEMENT_SIZE,
            Align::Left,
        );
        l.y = space_top + space_h;
        for ln in &self.name {
            l.line(ln, x, w, BODY_SIZE, BODY_LINE, Align::Left);
            l.underline_last(x, ln.width, Style::Bold, BODY_SIZE, BODY_LINE);
        }
        l.lines(&self.bottom, x, w, BODY_SIZE, Align::Left);
        space
    }
}

/// The signature area: the signer's block on the right half, and on a co-signed letter the
/// co-signer's block on the left half beside it, their signing spaces (QR and statement) on one
/// line. Measured before it is placed, like a single block.
struct Signatures {
    main: Signature,
    co: Option<Signature>,
}

impl Signatures {
    fn new(
        main: &SignatureBlock,
        main_qr: Option<Image>,
        co: Option<(&SignatureBlock, Option<Image>)>,
    ) -> Signatures {
        Signatures {
            main: Signature::new(main, main_qr, RIGHT_HALF_X, RIGHT),
            co: co.map(|(sig, qr)| {
                Signature::new(sig, qr, MARGIN_LEFT, RIGHT_HALF_X - SIGN_COLUMN_GAP)
            }),
        }
    }

    fn space_at(&self) -> f32 {
        self.co.as_ref().map_or(self.main.top_h(), |c| c.top_h().max(self.main.top_h()))
    }

    fn space_h(&self) -> f32 {
        self.co.as_ref().map_or(self.main.space_h, |c| c.space_h.max(self.main.space_h))
    }

    fn height(&self) -> f32 {
        let under = |s: &Signature| (s.name.len() + s.bottom.len()) as f32 * BODY_LINE;
        let below = self.co.as_ref().map_or(under(&self.main), |c| under(c).max(under(&self.main)));
        self.space_at() + self.space_h() + below
    }

    /// Draws the blocks (never split across pages) and returns the signing spaces of the signer and
    /// of the co-signer.
    fn draw(self, l: &mut Layout) -> (PlacedRect, Option<PlacedRect>) {
        l.ensure(self.height());
        let (space_at, space_h, height) = (self.space_at(), self.space_h(), self.height());
        let start = l.y;
        let co = self.co.map(|c| {
            let r = c.draw(l, space_at, space_h);
            l.y = start;
            r
        });
        let main = self.main.draw(l, space_at, space_h);
        l.y = start + height;
        (main, co)
    }
}

fn tembusan(l: &mut Layout, lines: &[String]) {
    let lines: Vec<&String> = lines.iter().filter(|t| !t.trim().is_empty()).collect();
    if lines.is_empty() {
        return;
    }
    // The heading never stays behind alone at the foot of a page.
    l.ensure(2.0 * BODY_LINE);
    let baseline = l.y + baseline_offset(BODY_SIZE, BODY_LINE);
    l.text(MARGIN_LEFT, baseline, Style::Regular, BODY_SIZE, "Tembusan:");
    l.y += BODY_LINE;
    if lines.len() == 1 {
        l.hanging(
            &[(Style::Regular, lines[0])],
            BODY_SIZE,
            MARGIN_LEFT,
            MARGIN_LEFT,
            RIGHT,
            Align::Left,
        );
        return;
    }
    let labels: Vec<String> = (1..=lines.len()).map(|i| format!("{i}.")).collect();
    let num_w =
        labels.iter().map(|s| width(Style::Regular, BODY_SIZE, s)).fold(0.0, f32::max) + 5.0;
    for (label, t) in labels.iter().zip(lines) {
        l.ensure(BODY_LINE);
        let baseline = l.y + baseline_offset(BODY_SIZE, BODY_LINE);
        l.text(MARGIN_LEFT, baseline, Style::Regular, BODY_SIZE, label);
        l.hanging(
            &[(Style::Regular, t)],
            BODY_SIZE,
            MARGIN_LEFT + num_w,
            MARGIN_LEFT + num_w,
            RIGHT,
            Align::Left,
        );
    }
}

/// Page furniture added once the page count is known: the preview mark at the top, the footer
/// note and the page number at the bottom.
fn furniture(doc: &LetterDocument, footer: &[Line], index: usize, count: usize) -> Vec<Op> {
    let mut ops = Vec::new();
    if let Some(mark) = doc.watermark.as_deref().filter(|m| !m.trim().is_empty()) {
        let w = width(Style::Bold, PAGE_NO_SIZE, mark);
        ops.push(Op::Text {
            x: (PAGE_W - w) / 2.0,
            baseline: MARGIN_TOP - 0.45 * CM,
            style: Style::Bold,
            size: PAGE_NO_SIZE,
            text: mark.to_string(),
            space_extra: 0.0,
            color: Color::Red,
        });
    }
    let page_no_baseline = PAGE_H - PAGE_NO_BASELINE_FROM_BOTTOM;
    let note_line = FOOTER_SIZE * LINE_FACTOR;
    let mut baseline = page_no_baseline
        - PAGE_NO_SIZE * LINE_FACTOR
        - (footer.len().saturating_sub(1)) as f32 * note_line;
    for ln in footer {
        let mut x = MARGIN_LEFT + (CONTENT_W - ln.width) / 2.0;
        for f in &ln.frags {
            ops.push(Op::Text {
                x,
                baseline,
                style: f.style,
                size: FOOTER_SIZE,
                text: f.text.clone(),
                space_extra: 0.0,
                color: Color::Grey(60),
            });
            x += width(f.style, FOOTER_SIZE, &f.text);
        }
        baseline += note_line;
    }
    if count > 1 {
        let text = format!("Halaman {} dari {}", index + 1, count);
        let w = width(Style::Regular, PAGE_NO_SIZE, &text);
        ops.push(Op::Text {
            x: RIGHT - w,
            baseline: page_no_baseline,
            style: Style::Regular,
            size: PAGE_NO_SIZE,
            text,
            space_extra: 0.0,
            color: Color::Black,
        });
    }
    ops
}

/// Renders one letter to PDF bytes (A4, Liberation Sans embedded as subsets).
///
/// Errors: `BackendError::Invalid` when the logo or QR image is not a readable PNG/JPEG;
/// `BackendError::Internal` if the PDF cannot be written.
pub fn render_letter(doc: &LetterDocument) -> Result<Vec<u8>> {
    render_letter_with_info(doc).map(|(pdf, _)| pdf)
}

/// Where things landed on the rendered pages, for a signer that places a visible signature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RenderInfo {
    /// The signing space of the signature block (QR code and statement): page index (0-based) and
    /// [x1 y1 x2 y2] in PDF points from the bottom left of the page.
    pub signature_rect: PlacedRect,
    /// The co-signer's signing space, when the letter has a co-signature block.
    pub co_signature_rect: Option<PlacedRect>,
    pub pages: usize,
}

/// [`render_letter`], also reporting where the signature block was placed.
pub fn render_letter_with_info(doc: &LetterDocument) -> Result<(Vec<u8>, RenderInfo)> {
    let logo = doc.logo.as_deref().map(|b| load_image(b, "logo kop surat", true)).transpose()?;
    // QR codes are scaled without smoothing so their modules stay sharp.
    let qr =
        doc.signature.qr_png.as_deref().map(|b| load_image(b, "kode QR", false)).transpose()?;
    let co_qr = match &doc.co_signature {
        Some(c) => c.qr_png.as_deref().map(|b| load_image(b, "kode QR", false)).transpose()?,
        None => None,
    };

    let footer = doc
        .footer_note
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(|n| wrap_plain(Style::Regular, FOOTER_SIZE, n, CONTENT_W))
        .unwrap_or_default();
    let footer_h =
        if footer.is_empty() { 0.0 } else { footer.len() as f32 * FOOTER_SIZE * LINE_FACTOR + 4.0 };
    let mut l = Layout::new(PAGE_H - MARGIN_BOTTOM - footer_h);

    let has_kop = logo.is_some()
        || [&doc.pemda_name, &doc.opd_name, &doc.opd_address].iter().any(|t| !t.trim().is_empty());
    if has_kop {
        kop(&mut l, doc, logo);
    }
    if let Some(t) = doc.title.as_deref().filter(|t| !t.trim().is_empty()) {
        title(&mut l, t);
    }
    head_block(&mut l, doc);
    l.gap(SECTION_GAP);
    addressees(&mut l, doc);
    l.gap(SECTION_GAP);
    let signature =
        Signatures::new(&doc.signature, qr, doc.co_signature.as_ref().map(|c| (c, co_qr)));
    let sign_gap = BODY_LINE;
    body(&mut l, &doc.body.blocks, sign_gap + signature.height());
    l.gap(sign_gap);
    let (signature_rect, co_signature_rect) = signature.draw(&mut l);
    if !doc.tembusan.is_empty() {
        l.gap(SECTION_GAP);
        tembusan(&mut l, &doc.tembusan);
    }

    let mut document =
        Document::new_with(SerializeSettings { enable_tagging: false, ..Default::default() });
    let mut meta = Metadata::new().language("id".into()).creator("e-Office".into());
    if !doc.hal.trim().is_empty() {
        meta = meta.title(doc.hal.clone());
    }
    document.set_metadata(meta);
    let count = l.pages.len();
    let info = RenderInfo { signature_rect, co_signature_rect, pages: count };
    let mark = doc.watermark.as_deref().filter(|m| !m.trim().is_empty());
    for (index, page) in l.pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| BackendError::internal("page size"))?;
        let mut p = document.start_page_with(settings);
        let mut surface = p.surface();
        if let Some(mark) = mark {
            draw_watermark(&mut surface, mark);
        }
        for op in page.ops.into_iter().chain(furniture(doc, &footer, index, count)) {
            draw(&mut surface, op);
        }
        surface.finish();
        p.finish();
    }
    let pdf = document.finish().map_err(|e| match e {
        KrillaError::Image(_, _, msg) => {
            tracing::warn!(error = %msg, "image failed to decode");
            BackendError::invalid("Gambar logo atau kode QR rusak dan tidak dapat dimuat ke PDF.")
        }
        other => BackendError::caused("render PDF", other),
    })?;
    Ok((pdf, info))
}

// The lembar disposisi shares this module's layout engine, so it lives in a child module.
#[path = "disposition.rs"]
pub(super) mod disposition;

// The e-Kinerja reports use the same engine and the lembar disposisi's grids.
#[path = "report.rs"]
pub(super) mod report;

// The user guide per role: the help texts with screenshots, on the same engine.
#[path = "guide.rs"]
pub(super) mod guide;

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
