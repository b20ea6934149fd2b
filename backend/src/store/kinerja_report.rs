//! The e-Kinerja reports as printable PDFs (through the letter renderer): an OPD's monthly recap
//! and a person's monthly report with the month explained and every activity. This module only
//! decides what is printed, in Indonesian; `render::report` lays it out.

use super::Store;
use crate::Result;
use crate::now_ms;
use crate::render::{Report, ReportColumn, ReportTable};
use domain::Lang::Id;
use domain::activity::{ActivityStatus, Recap, hhmm, month_label};
use domain::kinerja::{line_label, line_value, percent, rupiah};
use domain::model::SessionUser;
use domain::time::{long_date, long_datetime};

/// The kop surat of an OPD: pemda and OPD names (upper case), address with telephone, logo.
pub(crate) struct Kop {
    pub pemda_name: String,
    pub opd_name: String,
    pub address: String,
    pub logo: Option<Vec<u8>>,
}

fn col(title: &str, share: f32, right: bool) -> ReportColumn {
    ReportColumn { title: title.into(), share, right }
}

fn status_words(closed: bool) -> String {
    if closed { "Ditutup (final)".into() } else { "Sementara (bulan belum ditutup)".into() }
}

impl Store {
    pub(crate) async fn kop(&self, opd_id: &str) -> Result<Kop> {
        let opd = self.get_opd(opd_id).await?;
        let pemda = self.get_pemda(&opd.pemda_id).await?;
        let mut address = opd.address.clone();
        if !opd.phone.is_empty() {
            address.push_str(&format!(", Telepon {}", opd.phone));
        }
        Ok(Kop {
            pemda_name: pemda.name.to_uppercase(),
            opd_name: opd.name.to_uppercase(),
            address,
            logo: self.opd_logo(&opd.id).await?,
        })
    }

    fn report_with_kop(kop: Kop, title: &str, facts: Vec<(String, String)>) -> Report {
        Report {
            pemda_name: kop.pemda_name,
            opd_name: kop.opd_name,
            opd_address: kop.address,
            logo: kop.logo,
            title: title.into(),
            facts,
            tables: Vec::new(),
            printed_note: format!("Dicetak {} dari e-Office", long_datetime(now_ms(), Id)),
        }
    }

    /// An OPD's monthly recap: one row per person with minutes, scores and TPP, and the total.
    pub async fn recap_report(&self, recap: &Recap) -> Result<Report> {
        let total: i64 = recap.rows.iter().map(|r| r.tpp).sum();
        let mut report = Self::report_with_kop(
            self.kop(&recap.opd_id).await?,
            "REKAP KINERJA DAN TPP PEGAWAI",
            vec![
                ("Bulan".into(), month_label(recap.month, Id)),
                ("Status".into(), status_words(recap.closed)),
                ("Jumlah pegawai".into(), recap.rows.len().to_string()),
                ("Jumlah TPP".into(), format!("Rp {}", rupiah(total))),
            ],
        );
        report.tables.push(ReportTable {
            heading: "Rincian per pegawai".into(),
            columns: vec![
                col("No.", 0.05, true),
                col("Nama / NIP", 0.24, false),
                col("Jabatan / Unit", 0.19, false),
                col("Menit", 0.08, true),
                col("Kinerja", 0.10, true),
                col("Disiplin", 0.10, true),
                col("Potongan e-Office", 0.11, true),
                col("TPP (Rp)", 0.13, true),
            ],
            rows: recap
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        (i + 1).to_string(),
                        format!("{}\nNIP. {}", r.name, r.nip),
                        format!("{}\n{}", r.position_title, r.unit_name),
                        rupiah(r.approved_minutes),
                        percent(r.performance_bp),
                        percent(r.discipline_bp),
                        percent(r.usage_penalty_bp),
                        rupiah(r.tpp),
                    ]
                })
                .collect(),
            total: vec![
                String::new(),
                "Jumlah".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                rupiah(total),
            ],
            empty: "Belum ada pegawai aktif di OPD ini.".into(),
        });
        report.tables.push(ReportTable {
            heading: "Rekap per unit".into(),
            columns: vec![
                col("Unit", 0.40, false),
                col("Pegawai", 0.12, true),
                col("Rata-rata kinerja", 0.16, true),
                col("Rata-rata disiplin", 0.16, true),
                col("TPP (Rp)", 0.16, true),
            ],
            rows: recap
                .per_unit()
                .into_iter()
                .map(|u| {
                    vec![
                        if u.unit_name.is_empty() { "(tanpa unit)".into() } else { u.unit_name },
                        u.people.to_string(),
                        percent(u.performance_bp),
                        percent(u.discipline_bp),
                        rupiah(u.tpp),
                    ]
                })
                .collect(),
            total: Vec::new(),
            empty: "Belum ada pegawai aktif di OPD ini.".into(),
        });
        Ok(report)
    }

    /// The caller's monthly report: who, the month explained line by line, and every activity.
    pub async fn personal_report(&self, user: &SessionUser, month: i64) -> Result<Report> {
        let activities = self.my_activities(user, month).await?;
        let (closed, result) = self.my_month(user, month).await?;
        let (title, unit) = match &result {
            Some(r) => (r.position_title.clone(), r.unit_name.clone()),
            None => (String::new(), String::new()),
        };
        let mut report = Self::report_with_kop(
            self.kop(&user.opd_id).await?,
            "LAPORAN KINERJA BULANAN",
            vec![
                ("Nama".into(), user.name.clone()),
                ("NIP".into(), user.nip.clone()),
                ("Jabatan".into(), title),
                ("Unit kerja".into(), unit),
                ("Bulan".into(), month_label(month, Id)),
                ("Status".into(), status_words(closed)),
            ],
        );
        report.tables.push(ReportTable {
            heading: "Nilai bulan ini".into(),
            columns: vec![
                col("Uraian", 0.34, false),
                col("Nilai", 0.18, true),
                col("Keterangan", 0.48, false),
            ],
            rows: result
                .iter()
                .flat_map(|r| &r.lines)
                .map(|line| {
                    vec![
                        line_label(&line.key, Id).to_string(),
                        line_value(&line.key, line.value),
                        line.detail.clone(),
                    ]
                })
                .collect(),
            total: Vec::new(),
            empty: "Belum ada nilai: Anda belum tercatat pada jabatan di OPD ini.".into(),
        });
        let approved: i64 = activities
            .iter()
            .filter(|a| a.status == ActivityStatus::Approved)
            .map(|a| a.minutes)
            .sum();
        let mut rows: Vec<_> = activities.iter().collect();
        rows.sort_by_key(|a| (a.day, a.start.unwrap_or(-1)));
        report.tables.push(ReportTable {
            heading: "Aktivitas".into(),
            columns: vec![
                col("Tanggal", 0.17, false),
                col("Waktu", 0.12, false),
                col("Aktivitas", 0.41, false),
                col("Menit", 0.09, true),
                col("Status", 0.21, false),
            ],
            rows: rows
                .iter()
                .map(|a| {
                    let what = match a.work_kind {
                        Some(k) => k.label(Id).to_string(),
                        None if a.quantity > 1 || !a.unit.is_empty() => {
                            format!("{} ({} {})", a.description, a.quantity, a.unit)
                        }
                        None => a.description.clone(),
                    };
                    let when = match (a.start, a.end) {
                        (Some(s), Some(e)) => format!("{}–{}", hhmm(s), hhmm(e)),
                        _ => "otomatis".into(),
                    };
                    let mut status = a.status.label(Id).to_string();
                    if !a.note.is_empty() {
                        status.push_str(&format!("\nCatatan: {}", a.note));
                    }
                    vec![long_date(a.day, Id), when, what, a.minutes.to_string(), status]
                })
                .collect(),
            total: vec![
                String::new(),
                String::new(),
                "Jumlah menit disetujui".into(),
                rupiah(approved),
                String::new(),
            ],
            empty: "Belum ada aktivitas pada bulan ini.".into(),
        });
        Ok(report)
    }
}
