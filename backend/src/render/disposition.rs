//! The lembar disposisi (disposition sheet) of an incoming letter, as a printable A4 PDF.
//!
//! This is a child module of `pdf` so it shares the letter's layout engine (fonts, measuring, line
//! breaking, pages, kop surat) without widening that engine's visibility. The sheet is laid out
//! as bordered grids whose rows are split between lines when they do not fit on a page, so any
//! amount of text (a long ringkasan, a 60-step cascade) flows over numbered pages and nothing
//! runs off the paper.
//!
//! Layout, top to bottom: kop surat, title, the letter's fields in a two-half box (Surat dari,
//! No./Tgl. Surat | Diterima Tgl., No. Agenda, Sifat, Urgensi) with Hal and Ringkasan under it,
//! the instruction checklist with tick boxes, "Diteruskan kepada" (the cascade, one table row per
//! step, numbered 1, 1.1, 1.1.1 and indented by depth), then paraf/tanggal boxes. The printed
//! note sits in the footer of every page, left of "Halaman X dari N".

use krilla::Document;
use krilla::SerializeSettings;
use krilla::error::KrillaError;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;

use super::{
    CM, CONTENT_W, Color, LINE_FACTOR, Layout, Line, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_TOP, Op,
    PAGE_H, PAGE_NO_BASELINE_FROM_BOTTOM, PAGE_NO_SIZE, PAGE_W, RIGHT, Style, baseline_offset,
    draw, kop, load_image, title, width, wrap,
};
use crate::error::{BackendError, Result};
use crate::render::LetterDocument;

/// Everything printed on a lembar disposisi. Strings arrive formatted (dates in Indonesian etc.).
#[derive(Clone, Debug, Default)]
pub struct DispositionSheet {
    /// First kop line, e.g. "PEMERINTAH KABUPATEN BOJONEGORO".
    pub pemda_name: String,
    /// Second kop line, e.g. "DINAS KOMUNIKASI DAN INFORMATIKA".
    pub opd_name: String,
    pub opd_address: String,
    /// Kop logo, PNG or JPEG.
    pub logo: Option<Vec<u8>>,
    /// Surat dari.
    pub sender: String,
    /// No. surat.
    pub letter_number: String,
    /// Tgl. surat, e.g. "28 November 2026".
    pub letter_date: String,
    /// Diterima tgl.
    pub received_date: String,
    /// No. agenda, e.g. "15/2026".
    pub agenda: String,
    /// Biasa / Terbatas / Rahasia / Sangat Rahasia.
    pub sifat: String,
    /// Biasa / Segera / Sangat Segera.
    pub urgency: String,
    pub hal: String,
    /// Ringkasan; may be empty.
    pub summary: String,
    /// The standard instruction list, in printed order (labels such as "Selesaikan / tindak lanjuti").
    pub instruction_labels: Vec<String>,
    /// The cascade in tree order (depth-first, parent before children).
    pub steps: Vec<SheetStep>,
    /// e.g. "Dicetak 1 Desember 2026 10.15 WIB dari e-Office"
    pub printed_note: String,
}

/// One disposition in the cascade: who passed the letter to whom, with what instruction.
#[derive(Clone, Debug, Default)]
pub struct SheetStep {
    /// 0 = given by the head of the OPD.
    pub depth: u32,
    /// Giver, "Kepala Dinas — Bambang Sutrisno".
    pub from: String,
    /// Recipient, "Sekretaris Dinas — Ratna Kusumawati".
    pub to: String,
    /// Marked as penanggung jawab.
    pub lead: bool,
    /// Ticked labels (a subset of `instruction_labels`).
    pub instructions: Vec<String>,
    /// "15 Desember 2026" or "-".
    pub deadline: String,
    /// Catatan.
    pub note: String,
    /// "1 Desember 2026 10.15".
    pub given_at: String,
    /// "" when not read yet.
    pub read_at: String,
    /// Tindak lanjut text with date, "" if none.
    pub followup: String,
    /// "Selesai" / "Menunggu tindak lanjut" / "Lewat tenggat" ...
    pub status: String,
}

const FIELD_SIZE: f32 = 10.0;
const TABLE_SIZE: f32 = 9.0;
pub(super) const NOTE_SIZE: f32 = 8.0;
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.0;
const GRID: f32 = 0.6;
/// Indent per cascade level inside the "Dari / Kepada" column, and the deepest level indented
/// further (deeper levels still show their depth in the number column).
const DEPTH_INDENT: f32 = 7.0;
const MAX_INDENT_DEPTH: u32 = 5;

// --- Cells: pre-laid-out lines placed in bordered grids ------------------------------------

/// A tick box drawn on a line, `dx` from the cell's text edge.
#[derive(Clone, Copy)]
struct TickBox {
    dx: f32,
    ticked: bool,
}

/// One line inside a cell: text pieces at offsets from the cell's text edge, and tick boxes.
#[derive(Clone, Default)]
pub(super) struct CellLine {
    pub(super) pieces: Vec<(f32, Style, String)>,
    boxes: Vec<TickBox>,
}

pub(super) type Cell = Vec<CellLine>;

/// Lines from the line breaker, placed at `dx` (first line) and `dx_rest` (the others).
fn place(lines: &[Line], size: f32, dx: f32, dx_rest: f32) -> Vec<CellLine> {
    lines
        .iter()
        .enumerate()
        .map(|(i, ln)| {
            let mut x = if i == 0 { dx } else { dx_rest };
            let mut cl = CellLine::default();
            for f in &ln.frags {
                cl.pieces.push((x, f.style, f.text.clone()));
                x += width(f.style, size, &f.text);
            }
            cl
        })
        .collect()
}

/// Text wrapped into a cell of inner width `w`, first line at `indent`, the others at `hang`.
pub(super) fn text_lines(
    runs: &[(Style, &str)],
    size: f32,
    w: f32,
    indent: f32,
    hang: f32,
) -> Vec<CellLine> {
    let lines = wrap(runs, size, (w - indent).max(size), (w - hang).max(size));
    place(&lines, size, indent, hang)
}

pub(super) fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { "-" } else { s }
}

/// "Label : value" pairs with the colons aligned; values wrap under themselves.
pub(super) fn labelled(fields: &[(&str, &str)], label_w: f32, size: f32, w: f32) -> Cell {
    let colon_w = width(Style::Regular, size, ": ");
    let value_dx = label_w + colon_w;
    let mut cell = Vec::new();
    for (label, value) in fields {
        let mut lines =
            text_lines(&[(Style::Regular, or_dash(value))], size, w, value_dx, value_dx);
        if let Some(first) = lines.first_mut() {
            first.pieces.insert(0, (0.0, Style::Regular, (*label).to_string()));
            first.pieces.insert(1, (label_w, Style::Regular, ":".to_string()));
        }
        cell.extend(lines);
    }
    cell
}

pub(super) fn label_width(labels: &[&str], size: f32) -> f32 {
    labels.iter().map(|s| width(Style::Regular, size, s)).fold(0.0, f32::max) + 4.0
}

/// A bordered grid: column edges and the text size (one line height for every cell).
pub(super) struct Grid {
    edges: Vec<f32>,
    size: f32,
}

impl Grid {
    pub(super) fn new(fractions: &[f32]) -> Grid {
        let mut edges = vec![MARGIN_LEFT];
        for f in fractions {
            edges.push(edges[edges.len() - 1] + f * CONTENT_W);
        }
        // No rounding drift past the right margin.
        if let Some(last) = edges.last_mut() {
            *last = RIGHT;
        }
        Grid { edges, size: FIELD_SIZE }
    }

    pub(super) fn sized(mut self, size: f32) -> Grid {
        self.size = size;
        self
    }

    pub(super) fn line_h(&self) -> f32 {
        self.size * LINE_FACTOR
    }

    /// Inner (text) width of column `c`.
    pub(super) fn inner(&self, c: usize) -> f32 {
        self.edges[c + 1] - self.edges[c] - 2.0 * PAD_X
    }

    pub(super) fn height(&self, cells: &[Cell]) -> f32 {
        cells.iter().map(Vec::len).max().unwrap_or(0).max(1) as f32 * self.line_h() + 2.0 * PAD_Y
    }

    /// Draws lines [from, from + n) of every cell as one bordered band at the current y.
    pub(super) fn band(&self, l: &mut Layout, cells: &[Cell], from: usize, n: usize) {
        let top = l.y;
        let line_h = self.line_h();
        let h = n as f32 * line_h + 2.0 * PAD_Y;
        for (c, cell) in cells.iter().enumerate().take(self.edges.len() - 1) {
            let x0 = self.edges[c] + PAD_X;
            for (j, cl) in cell.iter().skip(from).take(n).enumerate() {
                let line_top = top + PAD_Y + j as f32 * line_h;
                let baseline = line_top + baseline_offset(self.size, line_h);
                for (dx, style, text) in &cl.pieces {
                    l.text(x0 + dx, baseline, *style, self.size, text);
                }
                for b in &cl.boxes {
                    tick_box(l, x0 + b.dx, line_top, self.size, line_h, b.ticked);
                }
            }
        }
        let (left, right) = (self.edges[0], self.edges[self.edges.len() - 1]);
        let ops = &mut l.page().ops;
        ops.push(Op::Line { x1: left, y1: top, x2: right, y2: top, width: GRID });
        ops.push(Op::Line { x1: left, y1: top + h, x2: right, y2: top + h, width: GRID });
        for &x in &self.edges {
            ops.push(Op::Line { x1: x, y1: top, x2: x, y2: top + h, width: GRID });
        }
        l.y = top + h;
    }

    /// One row of cells. A row that fits on a fresh page moves there whole; a taller one is split
    /// between lines. On every new page the header (if any) is repeated first.
    pub(super) fn row(&self, l: &mut Layout, cells: &[Cell], header: Option<&Header<'_>>) {
        let total = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let h = self.height(cells);
        let header_h = header.map_or(0.0, |hd| hd.grid.height(hd.cells));
        let new_page = |l: &mut Layout| {
            l.new_page();
            if let Some(hd) = header {
                hd.grid.band(l, hd.cells, 0, hd.cells.iter().map(Vec::len).max().unwrap_or(1));
            }
        };
        if l.y + h > l.bottom + 0.01 && h <= l.bottom - MARGIN_TOP - header_h {
            new_page(l);
        }
        let mut from = 0;
        while from < total {
            let fit = ((l.bottom - l.y - 2.0 * PAD_Y) / self.line_h()).floor().max(0.0) as usize;
            let fresh = l.y <= MARGIN_TOP + header_h + 0.01;
            if fit == 0 && !fresh {
                new_page(l);
                continue;
            }
            // On a fresh page at least one line goes down, so a page too short for anything
            // (never with A4 and these sizes) still cannot loop forever.
            let n = fit.max(1).min(total - from);
            self.band(l, cells, from, n);
            from += n;
        }
    }
}

pub(super) struct Header<'a> {
    pub(super) grid: &'a Grid,
    pub(super) cells: &'a [Cell],
}

/// A square tick box centred on the line, with a check mark when ticked, drawn as paths (Liberation
/// Sans has no ballot-box-with-check glyph).
fn tick_box(l: &mut Layout, x: f32, line_top: f32, size: f32, line_h: f32, ticked: bool) {
    let s = 0.72 * size;
    let y = line_top + (line_h - s) / 2.0;
    let ops = &mut l.page().ops;
    for (x1, y1, x2, y2) in
        [(x, y, x + s, y), (x + s, y, x + s, y + s), (x + s, y + s, x, y + s), (x, y + s, x, y)]
    {
        ops.push(Op::Line { x1, y1, x2, y2, width: 0.6 });
    }
    if ticked {
        let (ax, ay) = (x + 0.18 * s, y + 0.52 * s);
        let (bx, by) = (x + 0.42 * s, y + 0.8 * s);
        let (cx, cy) = (x + 0.86 * s, y + 0.16 * s);
        ops.push(Op::Line { x1: ax, y1: ay, x2: bx, y2: by, width: 1.3 });
        ops.push(Op::Line { x1: bx, y1: by, x2: cx, y2: cy, width: 1.3 });
    }
}

// --- Sections ------------------------------------------------------------------------------

fn fields(l: &mut Layout, sheet: &DispositionSheet) {
    let halves = Grid::new(&[0.55, 0.45]);
    let size = halves.size;
    let left_labels = ["Surat dari", "No. Surat", "Tgl. Surat", "Hal", "Ringkasan"];
    let right_labels = ["Diterima Tgl.", "No. Agenda", "Sifat", "Urgensi"];
    let left_w = label_width(&left_labels, size);
    let right_w = label_width(&right_labels, size);
    let left = labelled(
        &[
            ("Surat dari", &sheet.sender),
            ("No. Surat", &sheet.letter_number),
            ("Tgl. Surat", &sheet.letter_date),
        ],
        left_w,
        size,
        halves.inner(0),
    );
    let right = labelled(
        &[
            ("Diterima Tgl.", &sheet.received_date),
            ("No. Agenda", &sheet.agenda),
            ("Sifat", &sheet.sifat),
            ("Urgensi", &sheet.urgency),
        ],
        right_w,
        size,
        halves.inner(1),
    );
    halves.row(l, &[left, right], None);
    let full = Grid::new(&[1.0]);
    for (label, value) in [("Hal", &sheet.hal), ("Ringkasan", &sheet.summary)] {
        let cell = labelled(&[(label, value)], left_w, size, full.inner(0));
        full.row(l, &[cell], None);
    }
}

/// An instruction counts as ticked when any step of the cascade ticks it (compared without case
/// and surrounding spaces).
fn ticked(sheet: &DispositionSheet) -> Vec<bool> {
    let norm = |s: &str| s.trim().to_lowercase();
    sheet
        .instruction_labels
        .iter()
        .map(|label| {
            sheet.steps.iter().flat_map(|s| &s.instructions).any(|i| norm(i) == norm(label))
        })
        .collect()
}

fn checklist(l: &mut Layout, sheet: &DispositionSheet) {
    let labels = &sheet.instruction_labels;
    if labels.is_empty() {
        return;
    }
    let grid = Grid::new(&[0.5, 0.5]);
    let size = grid.size;
    let heading =
        CellLine { pieces: vec![(0.0, Style::Bold, "Dengan hormat harap:".into())], boxes: vec![] };
    let text_dx = 0.72 * size + 5.0;
    // Two columns filled top to bottom, the first one taking the odd item.
    let per_col = labels.len().div_ceil(2);
    let marks = ticked(sheet);
    let column = |items: &[String], marks: &[bool], c: usize| -> Cell {
        let mut cell: Cell = vec![if c == 0 { heading.clone() } else { CellLine::default() }];
        for (label, &t) in items.iter().zip(marks) {
            let mut lines =
                text_lines(&[(Style::Regular, label)], size, grid.inner(c), text_dx, text_dx);
            if let Some(first) = lines.first_mut() {
                first.boxes.push(TickBox { dx: 0.0, ticked: t });
            }
            cell.extend(lines);
        }
        cell
    };
    let cells = [
        column(&labels[..per_col], &marks[..per_col], 0),
        column(&labels[per_col..], &marks[per_col..], 1),
    ];
    // The checklist is short; it stays on one page with the heading.
    l.ensure(grid.height(&cells));
    grid.row(l, &cells, None);
}

/// Outline numbers of the steps, "1", "1.1", "1.1.2", from their depths in tree order.
fn outline_numbers(steps: &[SheetStep]) -> Vec<String> {
    let mut counters: Vec<u32> = Vec::new();
    steps
        .iter()
        .map(|s| {
            let d = s.depth as usize;
            // A depth jump of more than one level (a gap in the data) still gets a number.
            counters.resize(d + 1, 0);
            counters[d] += 1;
            counters.iter().map(|c| c.max(&1).to_string()).collect::<Vec<_>>().join(".")
        })
        .collect()
}

fn cascade(l: &mut Layout, sheet: &DispositionSheet) {
    let grid = Grid::new(&[0.08, 0.27, 0.25, 0.19, 0.21]).sized(TABLE_SIZE);
    let size = grid.size;
    let head =
        |c: usize, text: &str| text_lines(&[(Style::Bold, text)], size, grid.inner(c), 0.0, 0.0);
    let header_cells: Vec<Cell> = vec![
        head(0, "No."),
        head(1, "Dari / Kepada"),
        head(2, "Instruksi dan catatan"),
        head(3, "Waktu"),
        head(4, "Tindak lanjut / status"),
    ];
    let header = Header { grid: &grid, cells: &header_cells };

    let title_h = FIELD_SIZE * LINE_FACTOR + 2.0;
    let numbers = outline_numbers(&sheet.steps);
    let rows: Vec<Vec<Cell>> =
        sheet.steps.iter().zip(&numbers).map(|(s, n)| step_cells(&grid, s, n)).collect();
    let first_h = rows.first().map_or(grid.height(&[]), |r| grid.height(r));
    // Title, header and the first row stay together (as much of it as a page can take).
    l.ensure(title_h + grid.height(&header_cells) + first_h.min(6.0 * grid.line_h()));
    let baseline = l.y + baseline_offset(FIELD_SIZE, FIELD_SIZE * LINE_FACTOR);
    l.text(MARGIN_LEFT, baseline, Style::Bold, FIELD_SIZE, "Diteruskan kepada:");
    l.y += title_h;
    let header_lines = header_cells.iter().map(Vec::len).max().unwrap_or(1);
    grid.band(l, &header_cells, 0, header_lines);
    if rows.is_empty() {
        let empty = Grid::new(&[1.0]).sized(TABLE_SIZE);
        let cell =
            text_lines(&[(Style::Italic, "Belum ada disposisi.")], size, empty.inner(0), 0.0, 0.0);
        empty.row(l, &[cell], None);
        return;
    }
    for cells in &rows {
        grid.row(l, cells, Some(&header));
    }
}

fn step_cells(grid: &Grid, s: &SheetStep, number: &str) -> Vec<Cell> {
    let size = grid.size;
    let no = text_lines(&[(Style::Regular, number)], size, grid.inner(0), 0.0, 0.0);

    let indent = s.depth.min(MAX_INDENT_DEPTH) as f32 * DEPTH_INDENT;
    let arrow = "\u{2192} ";
    let arrow_w = width(Style::Regular, size, arrow);
    let w1 = grid.inner(1);
    let mut who = text_lines(&[(Style::Regular, or_dash(&s.from))], size, w1, indent, indent);
    let mut to_runs = vec![(Style::Regular, arrow), (Style::Bold, or_dash(&s.to))];
    if s.lead {
        to_runs.push((Style::Italic, " (penanggung jawab)"));
    }
    who.extend(text_lines(&to_runs, size, w1, indent, indent + arrow_w));

    let w2 = grid.inner(2);
    let bullet = "\u{2022} ";
    let bullet_w = width(Style::Regular, size, bullet);
    let mut instr: Cell = Vec::new();
    for i in s.instructions.iter().filter(|i| !i.trim().is_empty()) {
        instr.extend(text_lines(
            &[(Style::Regular, bullet), (Style::Regular, i)],
            size,
            w2,
            0.0,
            bullet_w,
        ));
    }
    // Labelled values run on from their bold label and wrap to the cell's left edge: the columns
    // are narrow, and hanging under the label would waste lines.
    let labelled_runs = |label: &'static str, value: &str, w: f32| -> Vec<CellLine> {
        text_lines(&[(Style::Bold, label), (Style::Regular, value)], size, w, 0.0, 0.0)
    };
    instr.extend(labelled_runs("Tenggat: ", or_dash(&s.deadline), w2));
    if !s.note.trim().is_empty() {
        instr.extend(labelled_runs("Catatan: ", &s.note, w2));
    }

    // Times go under their labels: a date broken after its day number reads badly.
    let w3 = grid.inner(3);
    let read = if s.read_at.trim().is_empty() { "belum dibaca" } else { &s.read_at };
    let mut when = Vec::new();
    for (label, value) in [("Diberikan:", or_dash(&s.given_at)), ("Dibaca:", read)] {
        when.extend(text_lines(&[(Style::Bold, label)], size, w3, 0.0, 0.0));
        when.extend(text_lines(&[(Style::Regular, value)], size, w3, 0.0, 0.0));
    }

    let w4 = grid.inner(4);
    let mut done = text_lines(&[(Style::Bold, or_dash(&s.status))], size, w4, 0.0, 0.0);
    if !s.followup.trim().is_empty() {
        done.extend(text_lines(&[(Style::Regular, &s.followup)], size, w4, 0.0, 0.0));
    }
    vec![no, who, instr, when, done]
}

/// Boxes for the paraf and date of whoever handles the printed sheet, right half of the page.
fn paraf(l: &mut Layout) {
    let grid = Grid {
        edges: vec![MARGIN_LEFT + 0.5 * CONTENT_W, MARGIN_LEFT + 0.75 * CONTENT_W, RIGHT],
        size: FIELD_SIZE,
    };
    let head =
        |c: usize, t: &str| text_lines(&[(Style::Bold, t)], FIELD_SIZE, grid.inner(c), 0.0, 0.0);
    let header = [head(0, "Paraf"), head(1, "Tanggal")];
    let space = 1.4 * CM;
    l.ensure(grid.height(&header) + space);
    grid.row(l, &header, None);
    let top = l.y;
    let ops = &mut l.page().ops;
    ops.push(Op::Line {
        x1: grid.edges[0],
        y1: top + space,
        x2: RIGHT,
        y2: top + space,
        width: GRID,
    });
    for &x in &grid.edges {
        ops.push(Op::Line { x1: x, y1: top, x2: x, y2: top + space, width: GRID });
    }
    l.y = top + space;
}

/// The printed note, wrapped into the part of the footer left of the page number.
pub(super) fn footer_lines(note: &str) -> Vec<Line> {
    if note.trim().is_empty() {
        return Vec::new();
    }
    let room = CONTENT_W - width(Style::Regular, PAGE_NO_SIZE, "Halaman 999 dari 999") - 0.5 * CM;
    wrap(&[(Style::Italic, note)], NOTE_SIZE, room, room)
}

/// Page furniture: the printed note at the bottom left (last line on the page number's baseline)
/// and "Halaman X dari N" at the bottom right when there is more than one page.
fn furniture(footer: &[Line], index: usize, count: usize) -> Vec<Op> {
    let baseline = PAGE_H - PAGE_NO_BASELINE_FROM_BOTTOM;
    let line_h = NOTE_SIZE * LINE_FACTOR;
    let mut ops = Vec::new();
    let mut y = baseline - footer.len().saturating_sub(1) as f32 * line_h;
    for ln in footer {
        let mut x = MARGIN_LEFT;
        for f in &ln.frags {
            ops.push(Op::Text {
                x,
                baseline: y,
                style: f.style,
                size: NOTE_SIZE,
                text: f.text.clone(),
                space_extra: 0.0,
                color: Color::Grey(70),
            });
            x += width(f.style, NOTE_SIZE, &f.text);
        }
        y += line_h;
    }
    if count > 1 {
        let text = format!("Halaman {} dari {}", index + 1, count);
        ops.push(Op::Text {
            x: RIGHT - width(Style::Regular, PAGE_NO_SIZE, &text),
            baseline,
            style: Style::Regular,
            size: PAGE_NO_SIZE,
            text,
            space_extra: 0.0,
            color: Color::Black,
        });
    }
    ops
}

/// Renders the lembar disposisi of one incoming letter to PDF bytes (A4, fonts embedded).
///
/// Errors: `BackendError::Invalid` when the logo is not a readable PNG/JPEG; `Internal` if the
/// PDF cannot be written.
pub fn render_disposition_sheet(sheet: &DispositionSheet) -> Result<Vec<u8>> {
    let logo = sheet.logo.as_deref().map(|b| load_image(b, "logo kop surat", true)).transpose()?;
    let footer = footer_lines(&sheet.printed_note);
    // A note of more than one line pushes the content's bottom up by its extra lines.
    let footer_extra = footer.len().saturating_sub(1) as f32 * NOTE_SIZE * LINE_FACTOR;
    let mut l = Layout::new(PAGE_H - MARGIN_BOTTOM - footer_extra);
    kop_if_any(&mut l, [&sheet.pemda_name, &sheet.opd_name, &sheet.opd_address], logo);
    title(&mut l, "LEMBAR DISPOSISI");
    fields(&mut l, sheet);
    l.gap(0.4 * CM);
    checklist(&mut l, sheet);
    l.gap(0.4 * CM);
    cascade(&mut l, sheet);
    l.gap(0.5 * CM);
    paraf(&mut l);

    let mut title_meta = "Lembar Disposisi".to_string();
    if !sheet.agenda.trim().is_empty() {
        title_meta.push_str(&format!(" No. Agenda {}", sheet.agenda.trim()));
    }
    write_pages(l, &footer, title_meta, "render disposition PDF")
}

/// The kop surat, when there is anything to print in it (pemda, OPD, address lines; logo).
pub(super) fn kop_if_any(l: &mut Layout, lines: [&String; 3], logo: Option<krilla::image::Image>) {
    if logo.is_some() || lines.iter().any(|t| !t.trim().is_empty()) {
        let doc = LetterDocument {
            pemda_name: lines[0].clone(),
            opd_name: lines[1].clone(),
            opd_address: lines[2].clone(),
            ..Default::default()
        };
        kop(l, &doc, logo);
    }
}

/// Writes laid-out pages as an A4 PDF with the printed note and page numbers on every page
/// (shared by the lembar disposisi and the e-Kinerja reports).
pub(super) fn write_pages(
    l: Layout,
    footer: &[Line],
    title: String,
    what: &str,
) -> Result<Vec<u8>> {
    let mut document =
        Document::new_with(SerializeSettings { enable_tagging: false, ..Default::default() });
    document.set_metadata(
        Metadata::new().language("id".into()).creator("e-Office".into()).title(title),
    );
    let count = l.pages.len();
    for (index, page) in l.pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| BackendError::internal("page size"))?;
        let mut p = document.start_page_with(settings);
        let mut surface = p.surface();
        for op in page.ops.into_iter().chain(furniture(footer, index, count)) {
            draw(&mut surface, op);
        }
        surface.finish();
        p.finish();
    }
    document.finish().map_err(|e| match e {
        KrillaError::Image(_, _, msg) => {
            tracing::warn!(error = %msg, "logo failed to decode");
            BackendError::invalid("Gambar logo kop surat rusak dan tidak dapat dimuat ke PDF.")
        }
        other => BackendError::caused(what, other),
    })
}

#[cfg(test)]
#[path = "disposition_tests.rs"]
mod tests;
