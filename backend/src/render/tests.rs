//! Renderer tests read the PDFs back with poppler-utils (pdftotext, pdfinfo, pdffonts), which
//! scripts/e2e-deps.sh installs before the test run. The helpers marked `pub(super)` also serve
//! the lembar disposisi tests (a child module of `pdf`).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use domain::letter_body::{Block, LetterBody, Span};

use super::super::{LetterDocument, SignatureBlock};
use super::render_letter;
use crate::error::BackendError;

fn plain(text: &str) -> Span {
    Span { text: text.into(), ..Default::default() }
}
fn bold(text: &str) -> Span {
    Span { text: text.into(), bold: true, ..Default::default() }
}
fn italic(text: &str) -> Span {
    Span { text: text.into(), italic: true, ..Default::default() }
}

// --- A minimal PNG writer (stored deflate blocks), so tests need no image crate -------------

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// An 8-bit greyscale PNG of `w` x `h` pixels whose value at (x, y) comes from `pixel`.
fn grey_png(w: u32, h: u32, pixel: impl Fn(u32, u32) -> u8) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0); // filter: none
        raw.extend((0..w).map(|x| pixel(x, y)));
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, no interlace
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A round emblem-like logo.
pub(super) fn logo_png() -> Vec<u8> {
    grey_png(64, 64, |x, y| {
        let (dx, dy) = (x as f32 - 31.5, y as f32 - 31.5);
        let r = (dx * dx + dy * dy).sqrt();
        if r < 20.0 {
            90
        } else if r < 30.0 {
            30
        } else {
            255
        }
    })
}

/// A QR-looking pattern: finder squares in three corners and pseudo-random modules.
fn qr_png() -> Vec<u8> {
    let module = 4;
    grey_png(25 * module, 25 * module, |x, y| {
        let (mx, my) = (x / module, y / module);
        let finder = |ox: u32, oy: u32| {
            if mx < ox || my < oy || mx >= ox + 7 || my >= oy + 7 {
                return None;
            }
            let (fx, fy) = (mx - ox, my - oy);
            let ring = fx == 0 || fy == 0 || fx == 6 || fy == 6;
            let core = (2..=4).contains(&fx) && (2..=4).contains(&fy);
            Some(ring || core)
        };
        let dark = finder(0, 0)
            .or_else(|| finder(18, 0))
            .or_else(|| finder(0, 18))
            .unwrap_or_else(|| (mx * 7 + my * 13 + mx * my) % 3 == 0);
        if dark { 0 } else { 255 }
    })
}

// --- Fixtures ------------------------------------------------------------------------------

fn realistic_letter() -> LetterDocument {
    LetterDocument {
        pemda_name: "PEMERINTAH KABUPATEN BOJONEGORO".into(),
        opd_name: "DINAS KOMUNIKASI DAN INFORMATIKA".into(),
        opd_address: "Jalan Pahlawan No. 5, Bojonegoro 62111, Telepon (0353) 881826, Laman diskominfo.bojonegorokab.go.id"
            .into(),
        logo: Some(logo_png()),
        title: None,
        number: Some("000.5.6.2/15/412.208/2026".into()),
        sifat: "Biasa".into(),
        lampiran: "1 (satu) berkas".into(),
        hal: "Undangan Rapat Koordinasi SPBE Tahun 2026".into(),
        place_date: "Bojonegoro, 28 November 2026".into(),
        recipients: vec![
            "Kepala Bappeda Kabupaten Bojonegoro".into(),
            "Kepala Dinas Pendidikan Kabupaten Bojonegoro".into(),
        ],
        recipient_place: "di Bojonegoro".into(),
        body: LetterBody {
            blocks: vec![
                Block::Paragraph(vec![
                    plain("Dalam rangka pelaksanaan "),
                    bold("Sistem Pemerintahan Berbasis Elektronik"),
                    plain(" (SPBE) di lingkungan Pemerintah Kabupaten Bojonegoro, dengan hormat kami mengundang "),
                    plain("Bapak/Ibu untuk hadir pada rapat koordinasi yang akan dilaksanakan pada:"),
                ]),
                Block::Numbered(vec![
                    vec![plain("hari, tanggal: Senin, 7 Desember 2026;")],
                    vec![plain("pukul: 09.00 WIB s.d. selesai;")],
                    vec![plain("tempat: Ruang Rapat Angling Dharma, Gedung Pemkab Lantai 2.")],
                ]),
                Block::Paragraph(vec![plain("Bahan yang perlu dipersiapkan:")]),
                Block::Bulleted(vec![
                    vec![plain("data aplikasi yang dikelola perangkat daerah;")],
                    vec![plain("rencana "), italic("roadmap"), plain(" tahun berikutnya.")],
                ]),
                Block::Table(vec![
                    vec!["No.".into(), "Perangkat Daerah".into(), "Jumlah Peserta".into(), "Keterangan".into()],
                    vec!["1.".into(), "Bappeda".into(), "2 orang".into(), "Kepala dan Sekretaris".into()],
                    vec!["2.".into(), "Dinas Pendidikan".into(), "3 orang".into(), "Termasuk operator".into()],
                ]),
                Block::Paragraph(vec![
                    plain("Mengingat pentingnya acara tersebut, kehadiran Bapak/Ibu "),
                    bold("tidak dapat diwakilkan"),
                    plain(". Demikian atas perhatian dan kerja samanya, kami sampaikan "),
                    italic("terima kasih"),
                    plain("."),
                ]),
            ],
        },
        signature: SignatureBlock {
            above: vec!["a.n. BUPATI BOJONEGORO".into()],
            position: "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA".into(),
            statement: Some("Ditandatangani secara elektronik".into()),
            qr_png: Some(qr_png()),
            name: "Dr. SUKARDI, S.Kom., M.T.".into(),
            rank: Some("Pembina Utama Muda".into()),
            nip: "NIP. 197203151998031004".into(),
        },
        co_signature: None,
        tembusan: vec!["Yth. Bupati Bojonegoro (sebagai laporan)".into(), "Yth. Sekretaris Daerah".into()],
        footer_note: Some(
            "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan \
             oleh Balai Sertifikasi Elektronik (BSrE), BSSN."
                .into(),
        ),
        watermark: None,
    }
}

fn long_letter(paragraphs: usize) -> LetterDocument {
    let blocks = (1..=paragraphs)
        .map(|i| {
            Block::Paragraph(vec![plain(&format!(
                "Paragraf nomor {i} menjelaskan ketentuan pelaksanaan kegiatan secara rinci agar seluruh \
                 perangkat daerah memahami kewajiban masing-masing dalam penyusunan laporan."
            ))])
        })
        .collect();
    LetterDocument { body: LetterBody { blocks }, logo: None, ..realistic_letter() }
}

// --- Helpers around poppler-utils ----------------------------------------------------------

pub(super) struct TempPdf(PathBuf);

impl TempPdf {
    pub(super) fn new(name: &str, bytes: &[u8]) -> TempPdf {
        let path =
            std::env::temp_dir().join(format!("eoffice-render-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, bytes).expect("write temp pdf");
        TempPdf(path)
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        // EOFFICE_KEEP_TEST_PDFS=1 keeps the files for a look with a PDF viewer.
        if std::env::var_os("EOFFICE_KEEP_TEST_PDFS").is_some() {
            eprintln!("kept {}", self.0.display());
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

pub(super) fn tool(name: &str, args: &[&str], pdf: &TempPdf) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(&pdf.0)
        .args(if name == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| {
            panic!("{name} not runnable ({e}); install poppler-utils (scripts/e2e-deps.sh)")
        });
    assert!(out.status.success(), "{name} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Text in reading order, whitespace collapsed, so assertions don't depend on line breaks.
pub(super) fn text_of(pdf: &TempPdf) -> String {
    tool("pdftotext", &[], pdf).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn page_count(pdf: &TempPdf) -> usize {
    let info = tool("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports pages")
}

/// Every font listed by pdffonts is embedded and has a ToUnicode map.
pub(super) fn assert_fonts_embedded(pdf: &TempPdf) {
    let listing = tool("pdffonts", &[], pdf);
    let fonts: Vec<&str> = listing.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!fonts.is_empty(), "no fonts listed:\n{listing}");
    for line in fonts {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 6, "unexpected pdffonts line: {line}");
        assert_eq!(cols[n - 5], "yes", "font not embedded: {line}");
        assert_eq!(cols[n - 3], "yes", "font without ToUnicode: {line}");
    }
}

pub(super) fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "missing {needle:?} in extracted text:\n{text}");
}

// --- Tests ---------------------------------------------------------------------------------

#[test]
fn realistic_letter_has_all_parts_in_text() {
    let doc = realistic_letter();
    let start = Instant::now();
    let bytes = render_letter(&doc).expect("render");
    let first = start.elapsed();
    let start = Instant::now();
    let again = render_letter(&doc).expect("render");
    eprintln!(
        "render_letter: one-page letter {} bytes; first call {first:?} (loads fonts), next {:?}",
        bytes.len(),
        start.elapsed()
    );
    assert_eq!(bytes.len(), again.len());
    assert!(bytes.starts_with(b"%PDF-"));
    if let Some(path) = std::env::var_os("EOFFICE_SAMPLE_PDF") {
        std::fs::write(path, &bytes).expect("write sample");
    }
    let pdf = TempPdf::new("realistic", &bytes);
    assert_eq!(page_count(&pdf), 1);
    assert_fonts_embedded(&pdf);
    let text = text_of(&pdf);
    for needle in [
        "PEMERINTAH KABUPATEN BOJONEGORO",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Bojonegoro, 28 November 2026",
        "000.5.6.2/15/412.208/2026",
        "Undangan Rapat Koordinasi",
        "Tahun 2026",
        "Yth.",
        "Kepala Dinas Pendidikan Kabupaten Bojonegoro",
        "Kepala Bappeda Kabupaten Bojonegoro",
        "di Bojonegoro",
        "Sistem Pemerintahan Berbasis Elektronik",
        "tidak dapat diwakilkan",
        "terima kasih",
        "pukul: 09.00 WIB s.d. selesai;",
        "roadmap",
        "Perangkat Daerah",
        "Dinas Pendidikan",
        "Termasuk operator",
        "a.n. BUPATI BOJONEGORO",
        "Ditandatangani secara elektronik",
        "Dr. SUKARDI, S.Kom., M.T.",
        "Pembina Utama Muda",
        "NIP. 197203151998031004",
        "Tembusan:",
        "Yth. Bupati Bojonegoro (sebagai laporan)",
        "Yth. Sekretaris Daerah",
        "Balai Sertifikasi Elektronik (BSrE)",
    ] {
        assert_contains(&text, needle);
    }
    // A single page carries no page number.
    assert!(!text.contains("Halaman"), "{text}");
    // Reading order: head block, then addressees, body, signature, tembusan.
    let pos = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(pos("Nomor") < pos("Dalam rangka"));
    assert!(pos("Dalam rangka") < pos("tidak dapat diwakilkan"));
    assert!(pos("tidak dapat diwakilkan") < pos("NIP. 197203151998031004"));
    assert!(pos("NIP. 197203151998031004") < pos("Tembusan:"));
}

#[test]
fn long_body_flows_over_numbered_pages() {
    let doc = long_letter(80);
    let bytes = render_letter(&doc).expect("render");
    let pdf = TempPdf::new("long", &bytes);
    let pages = page_count(&pdf);
    assert!(pages > 1, "80 paragraphs on {pages} page(s)");
    let text = text_of(&pdf);
    for i in 1..=pages {
        assert_contains(&text, &format!("Halaman {i} dari {pages}"));
    }
    // Every paragraph survives, the last one included, followed by the signature.
    for i in 1..=80 {
        assert_contains(&text, &format!("Paragraf nomor {i} menjelaskan"));
    }
    assert!(
        text.find("Paragraf nomor 80").unwrap() < text.find("NIP. 197203151998031004").unwrap()
    );
    assert_fonts_embedded(&pdf);
}

#[test]
fn long_table_moves_rows_and_repeats_header() {
    let mut rows = vec![vec!["No.".to_string(), "Nama Kegiatan".into(), "Anggaran".into()]];
    rows.extend((1..=40).map(|i| {
        vec![
            format!("{i}."),
            format!("Kegiatan pengembangan aplikasi layanan publik tahap {i} dengan uraian panjang yang melipat"),
            format!("Rp{i}.000.000"),
        ]
    }));
    let doc = LetterDocument {
        body: LetterBody {
            blocks: vec![Block::Paragraph(vec![plain("Rincian kegiatan:")]), Block::Table(rows)],
        },
        ..realistic_letter()
    };
    let bytes = render_letter(&doc).expect("render");
    let pdf = TempPdf::new("table", &bytes);
    let pages = page_count(&pdf);
    assert!(pages > 1);
    let text = text_of(&pdf);
    for i in 1..=40 {
        assert_contains(&text, &format!("tahap {i} dengan"));
        assert_contains(&text, &format!("Rp{i}.000.000"));
    }
    // The header row is printed again on the continuation page(s).
    assert!(text.matches("Nama Kegiatan").count() >= 2, "{text}");
}

#[test]
fn preview_without_number_shows_watermark() {
    let doc = LetterDocument {
        number: None,
        place_date: String::new(),
        watermark: Some("PRATINJAU - BELUM DITANDATANGANI".into()),
        signature: SignatureBlock { qr_png: None, statement: None, ..realistic_letter().signature },
        ..realistic_letter()
    };
    let bytes = render_letter(&doc).expect("render");
    assert!(bytes.starts_with(b"%PDF-"));
    let pdf = TempPdf::new("preview", &bytes);
    let text = text_of(&pdf);
    assert_contains(&text, "PRATINJAU - BELUM DITANDATANGANI");
    assert!(!text.contains("000.5.6.2"));
    assert_contains(&text, "Nomor");
    assert_contains(&text, "Undangan Rapat Koordinasi");
    assert_fonts_embedded(&pdf);
}

#[test]
fn watermark_is_on_every_page() {
    let doc = LetterDocument { watermark: Some("PRATINJAU".into()), ..long_letter(80) };
    let bytes = render_letter(&doc).expect("render");
    let pdf = TempPdf::new("preview-long", &bytes);
    let pages = page_count(&pdf);
    assert!(pages > 1);
    assert_eq!(text_of(&pdf).matches("PRATINJAU").count(), pages);
}

#[test]
fn minimal_letter_without_optional_parts_renders() {
    let doc = LetterDocument {
        pemda_name: "PEMERINTAH KOTA CONTOH".into(),
        opd_name: "SEKRETARIAT DAERAH".into(),
        hal: "Pemberitahuan".into(),
        recipients: vec!["Camat Contoh".into()],
        body: LetterBody::from_plain("Dengan hormat, kami beritahukan bahwa kantor tutup."),
        signature: SignatureBlock {
            position: "Sekretaris".into(),
            name: "Budi".into(),
            nip: "NIP. 1".into(),
            ..Default::default()
        },
        title: Some("NOTA DINAS".into()),
        ..Default::default()
    };
    let bytes = render_letter(&doc).expect("render");
    let text = text_of(&TempPdf::new("minimal", &bytes));
    for needle in ["NOTA DINAS", "Yth. Camat Contoh", "kantor tutup.", "Budi", "NIP. 1"] {
        assert_contains(&text, needle);
    }
    assert!(!text.contains("Tembusan"));
}

#[test]
fn png_logo_and_qr_are_embedded() {
    let bytes = render_letter(&realistic_letter()).expect("render");
    let listing = tool("pdfimages", &["-list"], &TempPdf::new("images", &bytes));
    // Header, rule, then one line per image: the logo and the QR code.
    assert_eq!(listing.lines().skip(2).filter(|l| !l.trim().is_empty()).count(), 2, "{listing}");

    // A degenerate 1x1 logo still renders.
    let doc = LetterDocument { logo: Some(grey_png(1, 1, |_, _| 0)), ..realistic_letter() };
    assert!(render_letter(&doc).expect("render").starts_with(b"%PDF-"));
}

#[test]
fn invalid_images_are_rejected() {
    let not_an_image =
        LetterDocument { logo: Some(b"GIF89a not supported".to_vec()), ..realistic_letter() };
    assert!(matches!(render_letter(&not_an_image), Err(BackendError::Invalid(_))));

    let garbage_qr = LetterDocument {
        signature: SignatureBlock { qr_png: Some(vec![1, 2, 3]), ..realistic_letter().signature },
        ..realistic_letter()
    };
    assert!(matches!(render_letter(&garbage_qr), Err(BackendError::Invalid(_))));

    // A valid PNG header whose pixel data is cut off fails only when decoded.
    let mut truncated = logo_png();
    truncated.truncate(60);
    let truncated = LetterDocument { logo: Some(truncated), ..realistic_letter() };
    match render_letter(&truncated) {
        Err(BackendError::Invalid(msg)) => assert!(msg.contains("Gambar"), "{msg}"),
        other => panic!("expected Invalid, got {:?}", other.map(|b| b.len())),
    }
}

#[test]
fn overlong_words_and_empty_fields_never_panic() {
    let doc = LetterDocument {
        hal: "x".repeat(400),
        recipients: vec![String::new(), "y".repeat(300)],
        body: LetterBody {
            blocks: vec![
                Block::Paragraph(vec![plain(&"z".repeat(2000))]),
                Block::Paragraph(vec![]),
                Block::Numbered(vec![]),
                Block::Table(vec![]),
                Block::Table(vec![vec!["a".into()], vec!["b\nc".into()]]),
                Block::Table(vec![
                    vec!["h".into(), "w".repeat(600)],
                    vec!["1".into(), "kata ".repeat(1500)],
                ]),
            ],
        },
        tembusan: vec![String::new()],
        ..Default::default()
    };
    let bytes = render_letter(&doc).expect("render");
    let text = text_of(&TempPdf::new("edge", &bytes));
    // Cut words are still all there, just over several lines.
    let zs: usize =
        text.split_whitespace().filter(|w| w.chars().all(|c| c == 'z')).map(str::len).sum();
    assert_eq!(zs, 2000);
    // (Multi-letter words: poppler reads a line of one-letter words as letter-spaced text.)
    let words = text.split_whitespace().filter(|w| *w == "kata").count();
    assert_eq!(words, 1500);
}

#[test]
fn characters_outside_the_font_do_not_fail() {
    let doc = LetterDocument {
        hal: "Ucapan terima kasih \u{1F64F} dan \u{6F22}\u{5B57}".into(),
        body: LetterBody::from_plain(
            "Harga Rp1.000,\u{a0}00 \u{2013} naïve café \u{201C}kutipan\u{201D}\t\u{ad}tab.",
        ),
        ..realistic_letter()
    };
    let bytes = render_letter(&doc).expect("render");
    let text = text_of(&TempPdf::new("glyphs", &bytes));
    assert_contains(&text, "naïve café");
    assert_contains(&text, "\u{201C}kutipan\u{201D}");
}

#[test]
fn co_signed_letter_has_two_blocks_side_by_side() {
    let co = SignatureBlock {
        above: vec![],
        position: "KEPALA BADAN PERENCANAAN PEMBANGUNAN DAERAH".into(),
        statement: Some(
            "Ditandatangani secara elektronik oleh: Dr. Ir. Suharto Wijaya, M.P.".into(),
        ),
        qr_png: Some(qr_png()),
        name: "Dr. Ir. Suharto Wijaya, M.P.".into(),
        rank: None,
        nip: "NIP. 196805121994031007".into(),
    };
    let single = realistic_letter();
    let doc = LetterDocument { co_signature: Some(co), ..realistic_letter() };
    let (bytes, info) = crate::render::render_letter_with_info(&doc).expect("render");
    let (_, single_info) = crate::render::render_letter_with_info(&single).expect("render");
    assert_eq!(single_info.co_signature_rect, None);
    // The signer's signing space does not move; the co-signer's is on the left, on the same line
    // and of the same height, without overlapping it.
    assert_eq!(info.signature_rect.1[0], single_info.signature_rect.1[0]);
    let (page, co_rect) = info.co_signature_rect.expect("co-signature space");
    let (main_page, main_rect) = info.signature_rect;
    assert_eq!(page, main_page);
    assert!(co_rect[2] < main_rect[0], "{co_rect:?} left of {main_rect:?}");
    assert!(
        (co_rect[1] - main_rect[1]).abs() < 0.01 && (co_rect[3] - main_rect[3]).abs() < 0.01,
        "{co_rect:?} vs {main_rect:?}"
    );
    assert!(co_rect[0] >= 2.5 * 28.3 && main_rect[2] <= 595.3 - 2.0 * 28.3);
    let pdf = TempPdf::new("co-signed", &bytes);
    assert_eq!(page_count(&pdf), 1);
    let text = text_of(&pdf);
    for needle in [
        "KEPALA BADAN PERENCANAAN",
        "Suharto Wijaya",
        "NIP. 196805121994031007",
        "Dr. SUKARDI, S.Kom., M.T.",
        "NIP. 197203151998031004",
        "Tembusan:",
    ] {
        assert_contains(&text, needle);
    }
    // Logo and two QR codes.
    let listing = tool("pdfimages", &["-list"], &pdf);
    assert_eq!(listing.lines().skip(2).filter(|l| !l.trim().is_empty()).count(), 3, "{listing}");
    // A long body pushes both blocks together to the next page, never one without the other.
    let long = LetterDocument { co_signature: doc.co_signature.clone(), ..long_letter(38) };
    let (_, info) = crate::render::render_letter_with_info(&long).expect("render");
    assert_eq!(info.co_signature_rect.map(|r| r.0), Some(info.signature_rect.0));
}
