//! Scan tests. Test images are generated with the `image` crate; PDFs that must be broken in a
//! particular way (encrypted, no pages) are written by hand. `pdfinfo` (poppler-utils, see
//! `tests.rs`) independently confirms page counts of the PDFs we produce.

use std::io::Cursor;
use std::process::Command;
use std::time::Instant;

use domain::files::{MAX_SCAN_BYTES, MAX_SCAN_PAGES};
use image::{DynamicImage, GrayImage, ImageFormat, RgbImage};
use krilla::page::PageSettings;
use krilla::{Document, SerializeSettings};

use super::{check_scan_pdf, images_to_pdf, jpeg_is_complete, scan_page_png};
use crate::error::BackendError;

// --- Fixtures ------------------------------------------------------------------------------

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

/// A "photographed page": light paper with dark text-like bars.
fn page_photo(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let line = (y / 12) % 3 == 0 && x > w / 10 && x < w * 9 / 10;
        if line { image::Rgb([30, 30, 40]) } else { image::Rgb([235, 232, 225]) }
    })
}

fn png(w: u32, h: u32) -> Vec<u8> {
    encode(DynamicImage::ImageRgb8(page_photo(w, h)), ImageFormat::Png)
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encode(DynamicImage::ImageRgb8(page_photo(w, h)), ImageFormat::Jpeg)
}

/// Inserts an Exif segment carrying `orientation` right after the JPEG's SOI marker.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one IFD entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A PDF from numbered object bodies, with a correct cross-reference table and the given extra
/// trailer entries. Object 1 must be the catalog.
fn hand_pdf(objects: &[&str], trailer_extra: &str) -> Vec<u8> {
    let objects: Vec<&[u8]> = objects.iter().map(|o| o.as_bytes()).collect();
    hand_pdf_bytes(&objects, trailer_extra)
}

fn hand_pdf_bytes(objects: &[&[u8]], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn one_page_pdf(trailer_extra: &str) -> Vec<u8> {
    hand_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            "<< /Length 29 >>\nstream\n0 0 0 rg 100 600 200 100 re f\nendstream",
        ],
        trailer_extra,
    )
}

/// A PDF of `n` blank A4 pages written with krilla.
fn blank_pages(n: usize) -> Vec<u8> {
    let mut doc = Document::new_with(SerializeSettings::default());
    for _ in 0..n {
        let mut page = doc.start_page_with(PageSettings::from_wh(595.0, 842.0).unwrap());
        page.surface().finish();
        page.finish();
    }
    doc.finish().unwrap()
}

fn invalid_message<T: std::fmt::Debug>(r: crate::Result<T>) -> String {
    match r {
        Err(BackendError::Invalid(msg)) => msg,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn pdfinfo_pages(bytes: &[u8]) -> usize {
    let path = std::env::temp_dir().join(format!(
        "eoffice-scan-{}-{:?}.pdf",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().unwrap_or_else(|e| {
        panic!("pdfinfo not runnable ({e}); install poppler-utils (scripts/e2e-deps.sh)")
    });
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdfinfo failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports pages")
}

/// Deterministic pseudo-random bytes (xorshift), no extra crate needed.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn decoded_png(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory_with_format(bytes, ImageFormat::Png).expect("valid PNG")
}

// --- images_to_pdf -------------------------------------------------------------------------

#[test]
fn three_photos_become_a_three_page_scan() {
    // A small PNG and JPEG (embedded unchanged) and a 12-megapixel landscape JPEG (downscaled).
    let photos = vec![png(600, 850), jpeg(800, 1100), jpeg(4000, 3000)];
    let start = Instant::now();
    let pdf = images_to_pdf(&photos).expect("combine photos");
    eprintln!(
        "images_to_pdf: 3 photos ({} bytes in) -> {} bytes in {:?}",
        photos.iter().map(Vec::len).sum::<usize>(),
        pdf.len(),
        start.elapsed()
    );
    assert_eq!(check_scan_pdf(&pdf).expect("our own scan is acceptable").pages, 3);
    assert_eq!(pdfinfo_pages(&pdf), 3);
    let info = {
        let path =
            std::env::temp_dir().join(format!("eoffice-scan-sizes-{}.pdf", std::process::id()));
        std::fs::write(&path, &pdf).unwrap();
        let out = Command::new("pdfinfo").args(["-f", "1", "-l", "3"]).arg(&path).output().unwrap();
        let _ = std::fs::remove_file(&path);
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    // Every page is A4 portrait, the landscape photo included (fitted, not turned).
    assert_eq!(info.matches(" x 841.89 pts (A4)").count(), 3, "{info}");
    // The landscape photo fills the width and sits centred vertically: white above and below.
    let page3 = decoded_png(&scan_page_png(&pdf, 2, 300).expect("render page 3")).to_luma8();
    assert_eq!(page3.width(), 300);
    let (w, h) = page3.dimensions();
    assert!(page3.get_pixel(w / 2, h / 10).0[0] > 250, "top of a landscape photo page is white");
    assert!(page3.get_pixel(w / 2, h / 2).0[0] < 250, "the photo is in the middle");
}

#[test]
fn exif_orientation_is_applied() {
    // Landscape pixels, left half dark and right half light, tagged "rotate 90° clockwise":
    // upright, the dark half is on top.
    let img = GrayImage::from_fn(400, 200, |x, _| image::Luma([if x < 200 { 20 } else { 235 }]));
    let tagged =
        with_exif_orientation(&encode(DynamicImage::ImageLuma8(img), ImageFormat::Jpeg), 6);
    let pdf = images_to_pdf(&[tagged]).expect("combine");
    let page = decoded_png(&scan_page_png(&pdf, 0, 200).expect("render")).to_luma8();
    let (w, h) = page.dimensions();
    let top = page.get_pixel(w / 2, h * 3 / 10).0[0];
    let bottom = page.get_pixel(w / 2, h * 7 / 10).0[0];
    assert!(top < 100 && bottom > 180, "expected dark top, light bottom; got {top} / {bottom}");
}

#[test]
fn bad_photos_are_named_by_position() {
    let good = png(100, 140);
    let msg = invalid_message(images_to_pdf(&[
        good.clone(),
        good.clone(),
        b"GIF89a not a photo".to_vec(),
    ]));
    assert_eq!(msg, "Foto ke-3 bukan gambar JPEG/PNG yang dapat dibaca.");
    // A PNG signature with garbage after it.
    let mut fake_png = good[..8].to_vec();
    fake_png.extend(noise(500, 7));
    let msg = invalid_message(images_to_pdf(&[fake_png, good.clone()]));
    assert_eq!(msg, "Foto ke-1 bukan gambar JPEG/PNG yang dapat dibaca.");
    // A JPEG cut off in the middle of its picture data.
    let full = jpeg(300, 400);
    let cut = full[..full.len() * 2 / 3].to_vec();
    let msg = invalid_message(images_to_pdf(&[good.clone(), cut]));
    assert!(msg.starts_with("Foto ke-2 tidak lengkap"), "{msg}");
    // A truncated PNG.
    let cut_png = good[..good.len() / 2].to_vec();
    let msg = invalid_message(images_to_pdf(&[cut_png]));
    assert_eq!(msg, "Foto ke-1 bukan gambar JPEG/PNG yang dapat dibaca.");
}

#[test]
fn photo_count_limits() {
    assert!(invalid_message(images_to_pdf(&[])).contains("minimal satu foto"));
    let tiny = png(20, 28);
    let too_many = vec![tiny.clone(); MAX_SCAN_PAGES + 1];
    let msg = invalid_message(images_to_pdf(&too_many));
    assert!(msg.contains("31 foto melebihi batas 30 halaman"), "{msg}");
    let most = vec![tiny; MAX_SCAN_PAGES];
    assert_eq!(check_scan_pdf(&images_to_pdf(&most).expect("30 photos")).unwrap().pages, 30);
}

#[test]
fn jpeg_completeness_check() {
    let full = jpeg(200, 100);
    assert!(jpeg_is_complete(&full));
    assert!(jpeg_is_complete(&with_exif_orientation(&full, 1)));
    for cut in [3, 20, full.len() / 2, full.len() - 2] {
        assert!(!jpeg_is_complete(&full[..cut]), "cut at {cut}");
    }
    // Data appended after the image (motion photos, vendor trailers) is fine.
    let mut trailer = full.clone();
    trailer.extend(noise(1000, 3));
    assert!(jpeg_is_complete(&trailer));
}

// --- check_scan_pdf ------------------------------------------------------------------------

#[test]
fn valid_pdfs_are_accepted_with_their_page_count() {
    assert_eq!(check_scan_pdf(&one_page_pdf("")).unwrap().pages, 1);
    assert_eq!(check_scan_pdf(&blank_pages(MAX_SCAN_PAGES)).unwrap().pages, MAX_SCAN_PAGES as u32);
}

#[test]
fn a_scan_near_the_size_limit_is_checked_quickly() {
    // One page plus 19 MB of stream data (an unreferenced image-like object).
    let mut stream = b"<< /Length 19922944 >>\nstream\n".to_vec();
    stream.extend(noise(19 * 1024 * 1024, 5));
    stream.extend_from_slice(b"\nendstream");
    let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>";
    let pdf = hand_pdf_bytes(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page.as_bytes(),
            &stream,
        ],
        "",
    );
    assert!(pdf.len() <= MAX_SCAN_BYTES);
    let start = Instant::now();
    assert_eq!(check_scan_pdf(&pdf).expect("accepted").pages, 1);
    eprintln!("check_scan_pdf: {} bytes in {:?}", pdf.len(), start.elapsed());
}

#[test]
fn too_many_pages_are_refused() {
    let msg = invalid_message(check_scan_pdf(&blank_pages(MAX_SCAN_PAGES + 1)));
    assert!(msg.starts_with("Hasil pindai 31 halaman melebihi batas 30 halaman;"), "{msg}");
    let msg = invalid_message(check_scan_pdf(&blank_pages(45)));
    assert!(msg.starts_with("Hasil pindai 45 halaman melebihi batas 30 halaman;"), "{msg}");
}

#[test]
fn encrypted_pdfs_are_refused() {
    // A standard security handler dictionary whose user password is not empty.
    let o = "<".to_string() + &"4f".repeat(32) + ">";
    let u = "<".to_string() + &"55".repeat(32) + ">";
    let pdf = hand_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            &format!("<< /Filter /Standard /V 2 /R 3 /Length 128 /O {o} /U {u} /P -3904 >>"),
        ],
        "/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
    );
    let msg = invalid_message(check_scan_pdf(&pdf));
    assert!(
        msg.starts_with("PDF terkunci kata sandi (terenkripsi) tidak dapat diterima;"),
        "{msg}"
    );
    // Without the /ID the encryption cannot even be set up: still refused as encrypted.
    let pdf = hand_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            &format!("<< /Filter /Standard /V 2 /R 3 /Length 128 /O {o} /U {u} /P -3904 >>"),
        ],
        "/Encrypt 4 0 R",
    );
    assert!(invalid_message(check_scan_pdf(&pdf)).contains("terenkripsi"));
}

#[test]
fn broken_and_foreign_files_are_refused() {
    let broken = "Berkas PDF rusak atau tidak lengkap; pindai ulang lalu unggah kembali.";
    assert!(invalid_message(check_scan_pdf(b"")).contains("kosong"));
    assert!(invalid_message(check_scan_pdf(&png(10, 10))).contains("bukan PDF"));
    assert!(invalid_message(check_scan_pdf(b"hello, world")).contains("bukan PDF"));
    // The right header and end marker around garbage.
    let mut fake = b"%PDF-1.7\n".to_vec();
    fake.extend(noise(4000, 11));
    fake.extend_from_slice(b"\n%%EOF\n");
    assert_eq!(invalid_message(check_scan_pdf(&fake)), broken);
    // Upload cut off: every cut of a real scan is refused.
    let real = images_to_pdf(&[png(120, 160), jpeg(120, 160)]).unwrap();
    for cut in (9..real.len() - 8).step_by(97) {
        assert_eq!(invalid_message(check_scan_pdf(&real[..cut])), broken, "cut at {cut}");
    }
    // No pages.
    let empty = hand_pdf(
        &["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"],
        "",
    );
    let msg = invalid_message(check_scan_pdf(&empty));
    assert!(msg.contains("tidak berisi halaman") || msg == broken, "{msg}");
    // Too large, refused before parsing.
    let mut big = one_page_pdf("");
    big.resize(MAX_SCAN_BYTES + 1, b' ');
    let msg = invalid_message(check_scan_pdf(&big));
    assert!(msg.contains("melebihi batas 20 MB"), "{msg}");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let real = images_to_pdf(&[png(60, 80)]).unwrap();
    let start = Instant::now();
    let mut inputs: Vec<Vec<u8>> = (0..200).map(|i| noise(i * 37 % 3000, i as u64 + 1)).collect();
    // Valid framing with corrupted insides: flip bytes of a real scan, keep the ends.
    for i in 0..200u64 {
        let mut damaged = real.clone();
        for (j, b) in noise(8, i + 1000).iter().enumerate() {
            let at = 9 + (usize::from(*b) * 131 + j * 977 + i as usize * 53) % (real.len() - 20);
            damaged[at] ^= b | 1;
        }
        inputs.push(damaged);
    }
    for (i, bytes) in inputs.iter().enumerate() {
        let _ = check_scan_pdf(bytes);
        let _ = scan_page_png(bytes, 0, 100);
        let _ = images_to_pdf(std::slice::from_ref(bytes));
        if i % 50 == 0 {
            // Also with a PDF header and end marker glued on.
            let mut framed = b"%PDF-1.4\n".to_vec();
            framed.extend_from_slice(bytes);
            framed.extend_from_slice(b"\n%%EOF");
            let _ = check_scan_pdf(&framed);
            let _ = scan_page_png(&framed, 0, 100);
        }
    }
    // Deep nesting must not overflow the stack.
    // (Nested dictionaries with keys cost hayro's repair scan about 2 µs a byte, linear: a hostile
    // 20 MB upload takes tens of seconds of CPU, so callers run scan work off the async runtime
    // under a small semaphore. Kept small here to keep the test quick.)
    for (opener, n) in [("[", 200_000), ("<<", 200_000), ("<< /A ", 20_000)] {
        let mut deep = b"%PDF-1.4\n1 0 obj\n".to_vec();
        deep.extend(opener.repeat(n).bytes());
        deep.extend_from_slice(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
        assert!(check_scan_pdf(&deep).is_err());
        let _ = scan_page_png(&deep, 0, 100);
    }
    eprintln!("arbitrary bytes: {} inputs in {:?}", inputs.len(), start.elapsed());
}

// --- scan_page_png -------------------------------------------------------------------------

#[test]
fn page_png_has_the_requested_width() {
    let pdf = images_to_pdf(&[jpeg(1240, 1754), png(500, 300)]).unwrap();
    for (page, width) in [(0u32, 360u32), (0, 1080), (1, 777), (1, 64)] {
        let start = Instant::now();
        let bytes = scan_page_png(&pdf, page, width).expect("render page");
        let elapsed = start.elapsed();
        let img = decoded_png(&bytes);
        assert_eq!(img.width(), width);
        // A4 proportions.
        let expected_h = (width as f32 * 841.89 / 595.28) as u32;
        assert!(
            img.height().abs_diff(expected_h) <= 1,
            "{}x{} for width {width}",
            img.width(),
            img.height()
        );
        eprintln!("scan_page_png: page {page} at {width} px: {} bytes in {elapsed:?}", bytes.len());
    }
    // Pages from the hand-written PDF render too (vector content).
    let img = decoded_png(&scan_page_png(&one_page_pdf(""), 0, 595).unwrap()).to_luma8();
    assert_eq!(img.width(), 595);
    assert!(img.get_pixel(200, 842 - 650).0[0] < 30, "the black rectangle is drawn");
    assert!(img.get_pixel(20, 20).0[0] > 250, "the background is white");
}

#[test]
fn page_png_errors() {
    let pdf = images_to_pdf(&[png(100, 140)]).unwrap();
    match scan_page_png(&pdf, 1, 400) {
        Err(BackendError::NotFound(msg)) => assert!(msg.contains("Halaman 2 tidak ada"), "{msg}"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(invalid_message(scan_page_png(&pdf, 0, 10)).contains("Lebar"));
    assert!(invalid_message(scan_page_png(&pdf, 0, 100_000)).contains("Lebar"));
    assert!(invalid_message(scan_page_png(b"garbage", 0, 400)).contains("bukan PDF"));
}
