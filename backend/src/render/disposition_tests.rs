//! Lembar disposisi tests: the PDF is read back with poppler-utils (see `tests.rs`).

use std::time::Instant;

use super::super::tests::{
    TempPdf, assert_contains, assert_fonts_embedded, logo_png, page_count, text_of, tool,
};
use super::{DispositionSheet, SheetStep, outline_numbers, render_disposition_sheet, ticked};
use crate::error::BackendError;

fn labels() -> Vec<String> {
    [
        "Selesaikan / tindak lanjuti",
        "Saran / pendapat",
        "Koordinasikan",
        "Pelajari / kaji",
        "Wakili / hadiri",
        "Pantau",
        "Untuk perhatian",
        "Arsip",
    ]
    .map(String::from)
    .to_vec()
}

fn step(depth: u32, from: &str, to: &str, instructions: &[&str]) -> SheetStep {
    SheetStep {
        depth,
        from: from.into(),
        to: to.into(),
        instructions: instructions.iter().map(|s| s.to_string()).collect(),
        deadline: "15 Desember 2026".into(),
        given_at: "1 Desember 2026 10.15".into(),
        status: "Menunggu tindak lanjut".into(),
        ..Default::default()
    }
}

/// A four-level cascade: Kepala Dinas -> Sekretaris and Kabid, Kabid -> Kasi, Kasi -> Staf.
fn realistic_sheet() -> DispositionSheet {
    DispositionSheet {
        pemda_name: "PEMERINTAH KABUPATEN BOJONEGORO".into(),
        opd_name: "DINAS KOMUNIKASI DAN INFORMATIKA".into(),
        opd_address: "Jalan Pahlawan No. 5, Bojonegoro 62111, Telepon (0353) 881826".into(),
        logo: Some(logo_png()),
        sender: "Badan Perencanaan Pembangunan Daerah Provinsi Jawa Timur".into(),
        letter_number: "000.1.2/4512/102.3/2026".into(),
        letter_date: "28 November 2026".into(),
        received_date: "30 November 2026".into(),
        agenda: "15/2026".into(),
        sifat: "Segera".into(),
        urgency: "Sangat Segera".into(),
        hal: "Undangan Rapat Sinkronisasi Program Transformasi Digital Daerah".into(),
        summary: "Permintaan menghadirkan pejabat yang membidangi aplikasi informatika pada rapat di Surabaya \
                  tanggal 10 Desember 2026, membawa data aplikasi yang dikelola."
            .into(),
        instruction_labels: labels(),
        steps: vec![
            SheetStep {
                lead: true,
                note: "Mohon dikoordinasikan dengan Bappeda dan disiapkan bahan paparan.".into(),
                read_at: "1 Desember 2026 11.02".into(),
                followup: "Bahan paparan telah disusun dan dikirim ke panitia (5 Desember 2026).".into(),
                status: "Selesai".into(),
                ..step(
                    0,
                    "Kepala Dinas — Bambang Sutrisno",
                    "Sekretaris Dinas — Ratna Kusumawati",
                    &["Selesaikan / tindak lanjuti", "Koordinasikan"],
                )
            },
            SheetStep {
                read_at: "1 Desember 2026 13.40".into(),
                ..step(
                    1,
                    "Sekretaris Dinas — Ratna Kusumawati",
                    "Kepala Bidang Aplikasi Informatika — Agus Salim",
                    &["Wakili / hadiri"],
                )
            },
            SheetStep {
                note: "Siapkan daftar aplikasi beserta status integrasinya.".into(),
                ..step(
                    2,
                    "Kepala Bidang Aplikasi Informatika — Agus Salim",
                    "Kepala Seksi Pengembangan Aplikasi — Dewi Lestari",
                    &["Pelajari / kaji"],
                )
            },
            SheetStep {
                deadline: "-".into(),
                status: "Lewat tenggat".into(),
                ..step(
                    3,
                    "Kepala Seksi Pengembangan Aplikasi — Dewi Lestari",
                    "Pranata Komputer Ahli Pertama — Rizky Pratama",
                    &["Selesaikan / tindak lanjuti"],
                )
            },
            step(0, "Kepala Dinas — Bambang Sutrisno", "Kepala Bidang Statistik — Hendra Wijaya", &["Untuk perhatian"]),
        ],
        printed_note: "Dicetak 1 Desember 2026 10.15 WIB dari e-Office".into(),
    }
}

#[test]
fn realistic_sheet_has_all_fields_and_every_step() {
    let sheet = realistic_sheet();
    let start = Instant::now();
    let bytes = render_disposition_sheet(&sheet).expect("render");
    let first = start.elapsed();
    let start = Instant::now();
    render_disposition_sheet(&sheet).expect("render again");
    eprintln!(
        "render_disposition_sheet: 5 steps, {} bytes; first call {first:?} (may load fonts), next {:?}",
        bytes.len(),
        start.elapsed()
    );
    if let Some(path) = std::env::var_os("EOFFICE_SAMPLE_DISPOSITION_PDF") {
        std::fs::write(path, &bytes).expect("write sample");
    }
    let pdf = TempPdf::new("disposition", &bytes);
    assert_eq!(page_count(&pdf), 1);
    assert_fonts_embedded(&pdf);
    let text = text_of(&pdf);
    for needle in [
        "PEMERINTAH KABUPATEN BOJONEGORO",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "LEMBAR DISPOSISI",
        "Surat dari",
        "Badan Perencanaan Pembangunan Daerah Provinsi Jawa Timur",
        "No. Surat",
        "000.1.2/4512/102.3/2026",
        "Tgl. Surat",
        "28 November 2026",
        "Diterima Tgl.",
        "30 November 2026",
        "No. Agenda",
        "15/2026",
        "Sifat",
        "Segera",
        "Urgensi",
        "Sangat Segera",
        "Hal",
        "Undangan Rapat Sinkronisasi Program Transformasi Digital Daerah",
        "Ringkasan",
        "membawa data aplikasi yang dikelola.",
        "Dengan hormat harap:",
        "Diteruskan kepada:",
        "(penanggung jawab)",
        "Mohon dikoordinasikan dengan Bappeda",
        "Bahan paparan telah disusun",
        "Selesai",
        "Lewat tenggat",
        "belum dibaca",
        "1 Desember 2026 11.02",
        "Paraf",
        "Tanggal",
        "Dicetak 1 Desember 2026 10.15 WIB dari e-Office",
    ] {
        assert_contains(&text, needle);
    }
    for label in labels() {
        assert_contains(&text, &label);
    }
    for s in &sheet.steps {
        assert_contains(&text, &s.from);
        assert_contains(&text, &s.to);
    }
    for n in ["1.1", "1.1.1", "1.1.1.1", "2"] {
        assert!(text.split_whitespace().any(|w| w == n), "outline number {n} missing:\n{text}");
    }
    assert!(!text.contains("Halaman"), "one page carries no page number: {text}");
    // Reading order: fields, checklist, cascade (in tree order), paraf, printed note.
    let pos = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(pos("Surat dari") < pos("Dengan hormat harap:"));
    assert!(pos("Dengan hormat harap:") < pos("Diteruskan kepada:"));
    assert!(pos("Ratna Kusumawati") < pos("Rizky Pratama"));
    assert!(pos("Rizky Pratama") < pos("Hendra Wijaya"));
    assert!(pos("Hendra Wijaya") < pos("Paraf"));
}

#[test]
fn sixty_steps_flow_over_numbered_pages_with_repeated_header() {
    let mut sheet = realistic_sheet();
    sheet.steps = (0..60)
        .map(|i| {
            let depth = [0, 1, 2, 3, 2, 1][i % 6];
            SheetStep {
                note: format!("Catatan langkah nomor {i} untuk ditindaklanjuti sesuai ketentuan."),
                read_at: if i % 2 == 0 { "2 Desember 2026 08.00".into() } else { String::new() },
                ..step(
                    depth,
                    &format!("Pemberi Disposisi {i}"),
                    &format!("Penerima Disposisi {i}"),
                    &["Pantau"],
                )
            }
        })
        .collect();
    let start = Instant::now();
    let bytes = render_disposition_sheet(&sheet).expect("render");
    eprintln!("render_disposition_sheet: 60 steps, {} bytes in {:?}", bytes.len(), start.elapsed());
    let pdf = TempPdf::new("disposition-60", &bytes);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "60 steps on {pages} page(s)");
    let text = text_of(&pdf);
    for i in 1..=pages {
        assert_contains(&text, &format!("Halaman {i} dari {pages}"));
    }
    for i in 0..60 {
        assert_contains(&text, &format!("Penerima Disposisi {i} "));
        assert_contains(&text, &format!("Catatan langkah nomor {i} untuk"));
    }
    // The table header is repeated on every page the cascade continues on.
    assert!(text.matches("Dari / Kepada").count() >= pages - 1, "{text}");
    assert!(text.find("Penerima Disposisi 59").unwrap() < text.find("Paraf").unwrap());
}

/// Word boxes from `pdftotext -bbox`: (xMin, xMax, yMax, word) per word.
fn word_boxes(pdf: &TempPdf) -> Vec<(f32, f32, f32, String)> {
    let html = tool("pdftotext", &["-bbox"], pdf);
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let attr = |name: &str| -> f32 {
                let start = l.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
                l[start..].split('"').next().unwrap().parse().unwrap()
            };
            let word =
                l.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string();
            (attr("xMin"), attr("xMax"), attr("yMax"), word)
        })
        .collect()
}

#[test]
fn long_words_and_texts_wrap_inside_the_page() {
    let long_word =
        "Pemberitahuanpelaksanaankegiatanpenguatankapasitasaparaturpemerintahdaerah".repeat(3);
    let long_text =
        "Rapat koordinasi lintas perangkat daerah membahas tindak lanjut hasil evaluasi. "
            .repeat(60);
    let mut sheet = realistic_sheet();
    sheet.sender = long_word.clone();
    sheet.letter_number = long_word.clone();
    sheet.hal = long_text.clone();
    sheet.summary = long_text.clone();
    sheet.instruction_labels.push(long_word.clone());
    sheet.steps = (0..8)
        .map(|i| SheetStep {
            note: long_text.clone(),
            followup: long_word.clone(),
            instructions: vec![long_word.clone()],
            ..step(i * 5, &long_word, &long_word, &[])
        })
        .collect();
    let bytes = render_disposition_sheet(&sheet).expect("render");
    let pdf = TempPdf::new("disposition-long", &bytes);
    assert!(page_count(&pdf) > 1);
    let words = word_boxes(&pdf);
    assert!(words.len() > 100);
    const PAGE_W: f32 = 595.3;
    const PAGE_H: f32 = 841.9;
    for (x0, x1, y1, w) in &words {
        // Left margin 2.5 cm, right margin 2.0 cm: nothing may cross them.
        assert!(*x0 >= 70.0 && *x1 <= PAGE_W - 56.0, "word {w:?} runs off the page: {x0}..{x1}");
        assert!(*y1 <= PAGE_H - 20.0, "word {w:?} below the page: {y1}");
    }
}

#[test]
fn empty_and_odd_sheets_render() {
    // Nothing at all: still a titled sheet saying there is no disposition yet.
    let bytes = render_disposition_sheet(&DispositionSheet::default()).expect("empty sheet");
    let text = text_of(&TempPdf::new("disposition-empty", &bytes));
    assert_contains(&text, "LEMBAR DISPOSISI");
    assert_contains(&text, "Belum ada disposisi.");
    // A depth jump, a step deeper than the indent cap, empty strings, characters outside the font.
    let mut sheet = realistic_sheet();
    sheet.logo = None;
    sheet.steps = vec![
        step(0, "", "", &[]),
        step(3, "Kepala \u{1F600} Dinas", "\u{4E2D}\u{6587} Staf", &["Tidak ada di daftar"]),
        step(40, "A", "B", &["Arsip"]),
    ];
    let bytes = render_disposition_sheet(&sheet).expect("odd sheet");
    let text = text_of(&TempPdf::new("disposition-odd", &bytes));
    assert_contains(&text, "Tidak ada di daftar");
}

#[test]
fn bad_logo_is_rejected() {
    let sheet = DispositionSheet { logo: Some(b"not an image".to_vec()), ..realistic_sheet() };
    match render_disposition_sheet(&sheet) {
        Err(BackendError::Invalid(msg)) => assert!(msg.contains("logo"), "{msg}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn outline_numbers_follow_the_tree() {
    let steps: Vec<SheetStep> = [0, 1, 2, 2, 1, 0, 1, 3, 0]
        .iter()
        .map(|&d| SheetStep { depth: d, ..Default::default() })
        .collect();
    assert_eq!(
        outline_numbers(&steps),
        ["1", "1.1", "1.1.1", "1.1.2", "1.2", "2", "2.1", "2.1.1.1", "3"]
    );
}

#[test]
fn an_instruction_is_ticked_when_any_step_ticks_it() {
    let sheet = realistic_sheet();
    let marks = ticked(&sheet);
    let ticked_labels: Vec<&str> = sheet
        .instruction_labels
        .iter()
        .zip(&marks)
        .filter(|(_, t)| **t)
        .map(|(l, _)| l.as_str())
        .collect();
    assert_eq!(
        ticked_labels,
        [
            "Selesaikan / tindak lanjuti",
            "Koordinasikan",
            "Pelajari / kaji",
            "Wakili / hadiri",
            "Untuk perhatian"
        ]
    );
}
