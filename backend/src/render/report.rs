//! Tabular reports as printable A4 PDFs: the e-Kinerja monthly recap of an OPD and a person's
//! monthly report. They share the letter's layout engine (kop surat, fonts, line breaking) and the
//! lembar disposisi's bordered grids, whose rows split over pages with the table header repeated,
//! so a recap of hundreds of people runs over numbered pages and nothing runs off the paper.

use super::disposition::{
    Cell, Grid, Header, NOTE_SIZE, footer_lines, kop_if_any, label_width, labelled, text_lines,
    write_pages,
};
use super::{CM, LINE_FACTOR, Layout, MARGIN_BOTTOM, MARGIN_LEFT, PAGE_H, Style, baseline_offset};
use super::{load_image, title, width};
use crate::error::Result;

/// Everything printed on a report. Strings arrive formatted (dates and money in Indonesian).
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub pemda_name: String,
    pub opd_name: String,
    pub opd_address: String,
    /// Kop logo, PNG or JPEG.
    pub logo: Option<Vec<u8>>,
    /// Centred, underlined, e.g. "REKAP KINERJA PEGAWAI".
    pub title: String,
    /// Labelled facts in a box under the title ("Bulan", "Status", "Nama", ...).
    pub facts: Vec<(String, String)>,
    pub tables: Vec<ReportTable>,
    /// e.g. "Dicetak 6 Desember 2026 10.15 WIB dari e-Office", in every page's footer.
    pub printed_note: String,
}

#[derive(Clone, Debug, Default)]
pub struct ReportTable {
    /// Bold line above the table.
    pub heading: String,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<Vec<String>>,
    /// A bold last row (the totals); empty for none.
    pub total: Vec<String>,
    /// Printed in place of the rows when there are none.
    pub empty: String,
}

#[derive(Clone, Debug, Default)]
pub struct ReportColumn {
    pub title: String,
    /// Share of the text width; the shares of a table add up to 1.
    pub share: f32,
    /// Numbers are right-aligned.
    pub right: bool,
}

const SIZE: f32 = 9.0;
const HEADING_SIZE: f32 = 10.0;

/// Moves every line of a cell to the right edge of its inner width `w`.
fn align_right(cell: &mut Cell, w: f32, size: f32) {
    for line in cell.iter_mut() {
        let used = line
            .pieces
            .iter()
            .map(|(x, style, text)| x + width(*style, size, text))
            .fold(0.0, f32::max);
        let shift = (w - used).max(0.0);
        for piece in &mut line.pieces {
            piece.0 += shift;
        }
    }
}

fn cells(grid: &Grid, cols: &[ReportColumn], values: &[String], style: Style) -> Vec<Cell> {
    cols.iter()
        .enumerate()
        .map(|(c, col)| {
            let text = values.get(c).map(String::as_str).unwrap_or("");
            let w = grid.inner(c);
            let mut cell = text_lines(&[(style, text)], SIZE, w, 0.0, 0.0);
            if col.right {
                align_right(&mut cell, w, SIZE);
            }
            cell
        })
        .collect()
}

fn table(l: &mut Layout, t: &ReportTable) {
    let shares: Vec<f32> = t.columns.iter().map(|c| c.share).collect();
    let grid = Grid::new(&shares).sized(SIZE);
    let titles: Vec<String> = t.columns.iter().map(|c| c.title.clone()).collect();
    let header_cells = cells(&grid, &t.columns, &titles, Style::Bold);
    let header = Header { grid: &grid, cells: &header_cells };
    let rows: Vec<Vec<Cell>> =
        t.rows.iter().map(|r| cells(&grid, &t.columns, r, Style::Regular)).collect();
    let heading_h = HEADING_SIZE * LINE_FACTOR + 2.0;
    let first_h = rows.first().map_or(grid.line_h() * 2.0, |r| grid.height(r));
    // The heading, the column titles and the first row stay together.
    l.ensure(heading_h + grid.height(&header_cells) + first_h.min(6.0 * grid.line_h()));
    if !t.heading.is_empty() {
        let baseline = l.y + baseline_offset(HEADING_SIZE, HEADING_SIZE * LINE_FACTOR);
        l.text(MARGIN_LEFT, baseline, Style::Bold, HEADING_SIZE, &t.heading);
        l.y += heading_h;
    }
    let header_lines = header_cells.iter().map(Vec::len).max().unwrap_or(1);
    grid.band(l, &header_cells, 0, header_lines);
    if rows.is_empty() {
        let one = Grid::new(&[1.0]).sized(SIZE);
        let cell = text_lines(&[(Style::Italic, &t.empty)], SIZE, one.inner(0), 0.0, 0.0);
        one.row(l, &[cell], None);
    }
    for r in &rows {
        grid.row(l, r, Some(&header));
    }
    if !t.total.is_empty() {
        grid.row(l, &cells(&grid, &t.columns, &t.total, Style::Bold), Some(&header));
    }
}

/// Renders a report to PDF bytes (A4, fonts embedded).
///
/// Errors: `BackendError::Invalid` when the logo is not a readable PNG/JPEG; `Internal` if the
/// PDF cannot be written.
pub fn render_report(r: &Report) -> Result<Vec<u8>> {
    let logo = r.logo.as_deref().map(|b| load_image(b, "logo kop surat", true)).transpose()?;
    let footer = footer_lines(&r.printed_note);
    let footer_extra = footer.len().saturating_sub(1) as f32 * NOTE_SIZE * LINE_FACTOR;
    let mut l = Layout::new(PAGE_H - MARGIN_BOTTOM - footer_extra);
    kop_if_any(&mut l, [&r.pemda_name, &r.opd_name, &r.opd_address], logo);
    title(&mut l, &r.title);
    if !r.facts.is_empty() {
        let box_ = Grid::new(&[1.0]);
        let labels: Vec<&str> = r.facts.iter().map(|(k, _)| k.as_str()).collect();
        let size = HEADING_SIZE;
        let pairs: Vec<(&str, &str)> =
            r.facts.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let cell = labelled(&pairs, label_width(&labels, size), size, box_.inner(0));
        box_.row(&mut l, &[cell], None);
    }
    for t in &r.tables {
        l.gap(0.4 * CM);
        table(&mut l, t);
    }
    write_pages(l, &footer, r.title.clone(), "render report PDF")
}

#[cfg(test)]
mod tests {
    //! The PDF is read back with poppler-utils (see `tests.rs`).
    use super::super::tests::{
        TempPdf, assert_contains, assert_fonts_embedded, page_count, text_of,
    };
    use super::*;

    fn recap(rows: usize) -> Report {
        Report {
            pemda_name: "PEMERINTAH KABUPATEN BOJONEGORO".into(),
            opd_name: "DINAS KOMUNIKASI DAN INFORMATIKA".into(),
            title: "REKAP KINERJA PEGAWAI".into(),
            facts: vec![("Bulan".into(), "Desember 2026".into())],
            tables: vec![ReportTable {
                heading: "Pegawai".into(),
                columns: vec![
                    ReportColumn { title: "Nama".into(), share: 0.7, right: false },
                    ReportColumn { title: "TPP".into(), share: 0.3, right: true },
                ],
                rows: (0..rows)
                    .map(|i| vec![format!("Pegawai Nomor {i}"), format!("{}.000", i + 1)])
                    .collect(),
                total: vec!["Jumlah".into(), "9.999".into()],
                empty: "Belum ada pegawai.".into(),
            }],
            printed_note: "Dicetak dari e-Office".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_long_table_runs_over_numbered_pages_with_every_row() {
        let pdf = TempPdf::new("report-long", &render_report(&recap(150)).expect("render"));
        assert_fonts_embedded(&pdf);
        let pages = page_count(&pdf);
        assert!(pages >= 3, "150 rows take several pages, got {pages}");
        let text = text_of(&pdf);
        for i in [0, 75, 149] {
            assert_contains(&text, &format!("Pegawai Nomor {i}"));
        }
        assert_contains(&text, &format!("Halaman {pages} dari {pages}"));
        assert_contains(&text, "Jumlah");
        assert_contains(&text, "REKAP KINERJA PEGAWAI");
    }

    #[test]
    fn an_empty_table_says_so() {
        let pdf = TempPdf::new("report-empty", &render_report(&recap(0)).expect("render"));
        assert_contains(&text_of(&pdf), "Belum ada pegawai.");
        assert_eq!(page_count(&pdf), 1);
    }

    #[test]
    fn numbers_sit_at_the_right_edge() {
        let g = Grid::new(&[0.5, 0.5]).sized(SIZE);
        let w = g.inner(1);
        let mut cell = text_lines(&[(Style::Regular, "12.345")], SIZE, w, 0.0, 0.0);
        align_right(&mut cell, w, SIZE);
        let (x, style, text) = &cell[0].pieces[0];
        assert!((x + width(*style, SIZE, text) - w).abs() < 0.01);
    }
}
