//! The monthly e-Kinerja recap of an OPD as an XLSX workbook (rust_xlsxwriter).

use crate::{BackendError, Result};
use domain::activity::{Recap, month_label};
use domain::kinerja::FULL;
use rust_xlsxwriter::{Format, Workbook};

/// Two sheets: "Rekap" (a title row, a header row, then one row per person, percentages as
/// fractions formatted as %, money as whole rupiah, and the total TPP) and "Per unit".
pub fn recap_xlsx(r: &Recap) -> Result<Vec<u8>> {
    let io = |e| BackendError::caused("write recap workbook", e);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Rekap").map_err(io)?;
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.00%");
    let money = Format::new().set_num_format("#,##0");
    let title = format!(
        "Rekap kinerja {} — {}{}",
        r.opd_name,
        month_label(r.month, domain::Lang::Id),
        if r.closed { " (ditutup)" } else { " (sementara)" }
    );
    ws.write_string_with_format(0, 0, &title, &bold).map_err(io)?;
    let headers = [
        "NIP",
        "Nama",
        "Jabatan",
        "Unit",
        "Menit disetujui",
        "Kinerja",
        "Potongan e-Office",
        "Disiplin",
        "TPP dasar",
        "TPP",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold).map_err(io)?;
    }
    let f = |bp: i64| bp as f64 / FULL as f64;
    for (i, row) in r.rows.iter().enumerate() {
        let y = 3 + i as u32;
        ws.write_string(y, 0, &row.nip).map_err(io)?;
        ws.write_string(y, 1, &row.name).map_err(io)?;
        ws.write_string(y, 2, &row.position_title).map_err(io)?;
        ws.write_string(y, 3, &row.unit_name).map_err(io)?;
        ws.write_number(y, 4, row.approved_minutes as f64).map_err(io)?;
        ws.write_number_with_format(y, 5, f(row.performance_bp), &pct).map_err(io)?;
        ws.write_number_with_format(y, 6, f(row.usage_penalty_bp), &pct).map_err(io)?;
        ws.write_number_with_format(y, 7, f(row.discipline_bp), &pct).map_err(io)?;
        ws.write_number_with_format(y, 8, row.base_tpp as f64, &money).map_err(io)?;
        ws.write_number_with_format(y, 9, row.tpp as f64, &money).map_err(io)?;
    }
    let total_row = 3 + r.rows.len() as u32;
    ws.write_string_with_format(total_row, 1, "Jumlah", &bold).map_err(io)?;
    let total: i64 = r.rows.iter().map(|x| x.tpp).sum();
    ws.write_number_with_format(total_row, 9, total as f64, &money).map_err(io)?;
    ws.set_column_width(0, 20).map_err(io)?;
    ws.set_column_width(1, 28).map_err(io)?;
    ws.set_column_width(2, 28).map_err(io)?;
    ws.set_column_width(3, 24).map_err(io)?;
    for c in 4..=9 {
        ws.set_column_width(c, 14).map_err(io)?;
    }
    let units = wb.add_worksheet();
    units.set_name("Per unit").map_err(io)?;
    for (c, h) in
        ["Unit", "Pegawai", "Rata-rata kinerja", "Rata-rata disiplin", "TPP"].iter().enumerate()
    {
        units.write_string_with_format(0, c as u16, *h, &bold).map_err(io)?;
    }
    for (i, u) in r.per_unit().iter().enumerate() {
        let y = 1 + i as u32;
        units.write_string(y, 0, &u.unit_name).map_err(io)?;
        units.write_number(y, 1, u.people as f64).map_err(io)?;
        units.write_number_with_format(y, 2, f(u.performance_bp), &pct).map_err(io)?;
        units.write_number_with_format(y, 3, f(u.discipline_bp), &pct).map_err(io)?;
        units.write_number_with_format(y, 4, u.tpp as f64, &money).map_err(io)?;
    }
    units.set_column_width(0, 32).map_err(io)?;
    for c in 1..=4 {
        units.set_column_width(c, 16).map_err(io)?;
    }
    wb.save_to_buffer().map_err(io)
}
