//! Scans of incoming mail (surat masuk): checking an uploaded scan PDF, combining phone photos
//! into one PDF, and rendering a scan page to PNG for the in-browser viewer (phones cannot show
//! PDFs inline).
//!
//! Parsing and rasterising use `hayro` (pure Rust, by the krilla author). Scans come from anywhere
//! (scanner software, phone apps, other offices' systems), so every entry point treats the bytes as
//! hostile: size and page limits are checked before work, decoders get allocation limits, and a
//! panic inside the parser or rasteriser is caught and reported as a broken file.
//!
//! Everything here is CPU-bound and synchronous: callers run it on a blocking thread, and should
//! bound how many run at once. Typical costs on the 2-core development machine: checking a 19 MB
//! scan ~90 ms, rendering a page 20-80 ms, a 12-megapixel photo ~0.5 s to decode, downscale and
//! re-encode. A hostile PDF with a broken cross-reference table makes hayro's repair scan cost up
//! to ~2 µs a byte (tens of seconds for 20 MB), linear but not negligible.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use domain::files::{MAX_SCAN_BYTES, MAX_SCAN_PAGES};
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, metadata::Orientation};
use krilla::error::KrillaError;
use krilla::geom::{Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::{Document, SerializeSettings};

use crate::error::{BackendError, Result};

/// What a scan check found out about an acceptable scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanInfo {
    pub pages: u32,
}

const BROKEN: &str = "Berkas PDF rusak atau tidak lengkap; pindai ulang lalu unggah kembali.";
const ENCRYPTED: &str = "PDF terkunci kata sandi (terenkripsi) tidak dapat diterima; simpan atau pindai ulang tanpa \
                         kata sandi lalu unggah kembali.";

fn megabytes(n: usize) -> String {
    format!("{:.1}", n as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Parses a PDF with hayro, turning every failure (including a panic in the parser) into a
/// message for the uploader.
fn open(bytes: &[u8]) -> Result<Pdf> {
    if bytes.is_empty() {
        return Err(BackendError::invalid("Berkas kosong; pindai ulang lalu unggah kembali."));
    }
    // The header may be preceded by a little garbage (the specification tolerates it), not more.
    if !contains(&bytes[..bytes.len().min(1024)], b"%PDF-") {
        return Err(BackendError::invalid(
            "Berkas ini bukan PDF; unggah hasil pindai dalam format PDF, atau foto JPEG/PNG.",
        ));
    }
    // An upload cut off midway lacks the end marker; hayro would "repair" it and show whatever
    // pages survived, which for a letter is worse than asking for the file again.
    if !contains(&bytes[bytes.len().saturating_sub(1024)..], b"%%EOF") {
        return Err(BackendError::invalid(BROKEN));
    }
    let data = bytes.to_vec();
    match catch_unwind(move || Pdf::new(data)) {
        Ok(Ok(pdf)) => Ok(pdf),
        Ok(Err(LoadPdfError::Decryption(e))) => {
            tracing::info!(error = ?e, "encrypted scan PDF rejected");
            Err(BackendError::invalid(ENCRYPTED))
        }
        Ok(Err(LoadPdfError::Invalid)) => Err(BackendError::invalid(BROKEN)),
        Err(_) => {
            tracing::warn!("PDF parser panicked on an uploaded scan");
            Err(BackendError::invalid(BROKEN))
        }
    }
}

/// Validates an uploaded scan PDF: it must parse as a PDF, not be encrypted, have between 1 and
/// [`MAX_SCAN_PAGES`] pages and at most [`MAX_SCAN_BYTES`] bytes. Errors are
/// `BackendError::Invalid` with a message for the uploader. Never panics, whatever the bytes.
pub fn check_scan_pdf(bytes: &[u8]) -> Result<ScanInfo> {
    if bytes.len() > MAX_SCAN_BYTES {
        return Err(BackendError::invalid(format!(
            "Berkas pindaian berukuran {} MB melebihi batas {} MB; pindai ulang dengan resolusi lebih rendah \
             (mis. 150-200 dpi, hitam putih atau abu-abu) lalu unggah kembali.",
            megabytes(bytes.len()),
            MAX_SCAN_BYTES / (1024 * 1024)
        )));
    }
    let pdf = open(bytes)?;
    // hayro opens documents whose only protection is an owner password (empty user password); they
    // are still encrypted, and later processing (signing, archiving) must not meet encryption. The
    // /Encrypt key lives in the trailer or the cross-reference stream dictionary, both uncompressed.
    if contains(bytes, b"/Encrypt") {
        return Err(BackendError::invalid(ENCRYPTED));
    }
    let pages = catch_unwind(AssertUnwindSafe(|| pdf.pages().len()))
        .map_err(|_| BackendError::invalid(BROKEN))?;
    if pages == 0 {
        return Err(BackendError::invalid(
            "PDF tidak berisi halaman apa pun; pindai ulang lalu unggah kembali.",
        ));
    }
    if pages > MAX_SCAN_PAGES {
        return Err(BackendError::invalid(format!(
            "Hasil pindai {pages} halaman melebihi batas {MAX_SCAN_PAGES} halaman; unggah surat utamanya saja dan \
             lampirkan sisanya sebagai lampiran terpisah."
        )));
    }
    Ok(ScanInfo { pages: pages as u32 })
}

// --- Rendering a page for the viewer --------------------------------------------------------

/// Narrowest and widest rendering the viewer may ask for (a phone screen up to a 4K screen).
const MIN_VIEW_WIDTH: u32 = 64;
const MAX_VIEW_WIDTH: u32 = 3000;

/// Renders page `page` (0-based) of a scan PDF to a PNG exactly `width_px` pixels wide, height
/// following the page's aspect ratio, on a white background. Greyscale pages come out as
/// greyscale PNGs (smaller). Errors: `Invalid` for a bad width or a broken PDF, `NotFound` for a
/// page past the end.
pub fn scan_page_png(pdf: &[u8], page: u32, width_px: u32) -> Result<Vec<u8>> {
    if !(MIN_VIEW_WIDTH..=MAX_VIEW_WIDTH).contains(&width_px) {
        return Err(BackendError::invalid(format!(
            "Lebar gambar halaman harus {MIN_VIEW_WIDTH}-{MAX_VIEW_WIDTH} piksel."
        )));
    }
    let doc = open(pdf)?;
    let rendered = catch_unwind(AssertUnwindSafe(|| -> Result<(u32, u32, Vec<u8>)> {
        let pages = doc.pages();
        let count = pages.len();
        let p = pages.get(page as usize).ok_or_else(|| {
            BackendError::not_found(format!(
                "Halaman {} tidak ada; pindaian ini berisi {count} halaman.",
                page as u64 + 1
            ))
        })?;
        let (w, h) = p.render_dimensions();
        if !(w.is_finite() && h.is_finite() && w >= 1.0 && h >= 1.0) {
            return Err(BackendError::invalid(BROKEN));
        }
        // hayro truncates width * scale to whole pixels; the half pixel makes that land on width_px.
        let scale = (width_px as f32 + 0.5) / w;
        let height_px = h * scale;
        // Keeps a strange page (a 1 x 1000 pt strip) from asking for a gigantic pixmap.
        if height_px < 1.0 || height_px > 4.0 * width_px as f32 {
            return Err(BackendError::invalid(
                "Ukuran halaman pindaian tidak wajar sehingga tidak dapat ditampilkan; unduh berkas PDF-nya.",
            ));
        }
        let cache = RenderCache::new();
        let pixmap = hayro::render(
            p,
            &cache,
            &InterpreterSettings::default(),
            &RenderSettings::default(),
            &PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE },
        );
        let (pw, ph) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
        Ok((pw, ph, pixmap.data_as_u8_slice().to_vec()))
    }));
    let (w, h, rgba) = match rendered {
        Ok(r) => r?,
        Err(_) => {
            tracing::warn!(page, "PDF rasteriser panicked on a stored scan");
            return Err(BackendError::invalid(BROKEN));
        }
    };
    encode_png(w, h, &rgba)
}

/// Encodes opaque RGBA pixels (the pixmap is painted over white, so premultiplied equals straight)
/// as an 8-bit greyscale PNG when every pixel is grey, RGB otherwise.
fn encode_png(w: u32, h: u32, rgba: &[u8]) -> Result<Vec<u8>> {
    let grey = rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]);
    let (color, data): (png::ColorType, Vec<u8>) = if grey {
        (png::ColorType::Grayscale, rgba.chunks_exact(4).map(|p| p[0]).collect())
    } else {
        (png::ColorType::Rgb, rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect())
    };
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let internal = |e: png::EncodingError| BackendError::caused("encode page PNG", e);
    let mut writer = enc.write_header().map_err(internal)?;
    writer.write_image_data(&data).map_err(internal)?;
    writer.finish().map_err(internal)?;
    Ok(out)
}

// --- Phone photos to one PDF ------------------------------------------------------------------

const CM: f32 = 28.346_457;
const A4_W: f32 = 595.275_6;
const A4_H: f32 = 841.889_8;
/// White border around each photo on its page.
const PHOTO_MARGIN: f32 = 1.0 * CM;
/// A photo is embedded unchanged (no generation loss) when it is upright and already small.
const PASS_MAX_BYTES: usize = 700 * 1024;
const PASS_MAX_SIDE: u32 = 2400;
/// Otherwise it is re-encoded with its longer side at most this long: about 170 dpi across an A4
/// page, plenty to read a typed letter, and about 0.3-0.6 MB a page, so 30 photos stay under
/// MAX_SCAN_BYTES.
const TARGET_SIDE: u32 = 2000;
const JPEG_QUALITY: u8 = 80;
/// Decoding limits: a photo of up to ~130 megapixels (RGB) is accepted, bigger ones are refused
/// before their pixels are allocated.
const MAX_DECODE_SIDE: u32 = 20_000;
const MAX_DECODE_ALLOC: u64 = 400 * 1024 * 1024;

fn bad_photo(n: usize) -> BackendError {
    BackendError::invalid(format!("Foto ke-{n} bukan gambar JPEG/PNG yang dapat dibaca."))
}

/// A JPEG's marker structure: the main image's first scan (SOS) must be followed somewhere by the
/// end-of-image marker. A photo cut off during upload lacks it, and the lenient decoders would
/// otherwise fill the missing part with grey. Thumbnails inside the Exif segment are skipped
/// together with their segment, so their own end marker does not count.
fn jpeg_is_complete(b: &[u8]) -> bool {
    let mut i = 2; // after SOI
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&m)) = (b.get(i), b.get(i + 1)) else { return false };
        match m {
            0xD8 | 0x01 | 0xD0..=0xD7 => i += 2,
            0xD9 => return false,
            _ => {
                let Some(len) =
                    b.get(i + 2..i + 4).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                else {
                    return false;
                };
                if len < 2 {
                    return false;
                }
                let next = i + 2 + len;
                if m == 0xDA {
                    return b.get(next..).is_some_and(|rest| contains(rest, &[0xFF, 0xD9]));
                }
                i = next;
            }
        }
    }
}

/// One photo made ready for its page: either the original bytes or a re-encoded JPEG.
fn prepare_photo(bytes: &[u8], n: usize) -> Result<Image> {
    let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        if !jpeg_is_complete(bytes) {
            return Err(BackendError::invalid(format!(
                "Foto ke-{n} tidak lengkap (terpotong saat dikirim); unggah ulang foto tersebut."
            )));
        }
        ImageFormat::Jpeg
    } else {
        return Err(bad_photo(n));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let decoded =
        catch_unwind(AssertUnwindSafe(|| -> image::ImageResult<(DynamicImage, Orientation)> {
            let mut decoder = reader.into_decoder()?;
            let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
            Ok((DynamicImage::from_decoder(decoder)?, orientation))
        }));
    let (mut img, orientation) = match decoded {
        Ok(Ok(d)) => d,
        Ok(Err(image::ImageError::Limits(_))) => {
            return Err(BackendError::invalid(format!(
                "Foto ke-{n} beresolusi terlalu besar; kecilkan resolusinya lalu unggah kembali."
            )));
        }
        Ok(Err(e)) => {
            tracing::info!(photo = n, error = %e, "unreadable photo");
            return Err(bad_photo(n));
        }
        Err(_) => {
            tracing::warn!(photo = n, "image decoder panicked");
            return Err(bad_photo(n));
        }
    };
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err(bad_photo(n));
    }
    let upright = orientation == Orientation::NoTransforms;
    if upright && bytes.len() <= PASS_MAX_BYTES && w.max(h) <= PASS_MAX_SIDE {
        let data: krilla::Data = bytes.to_vec().into();
        let image = if format == ImageFormat::Png {
            Image::from_png(data, true)
        } else {
            Image::from_jpeg(data, true)
        };
        // The same bytes just decoded; a refusal here is a format corner krilla does not take
        // (e.g. an unusual colour space), so fall through to re-encoding instead of failing.
        if let Ok(image) = image {
            return Ok(image);
        }
    }
    img.apply_orientation(orientation);
    if img.width().max(img.height()) > TARGET_SIDE {
        // Fast box-filter downscale, fine for photos of documents.
        img = img.thumbnail(TARGET_SIDE, TARGET_SIDE);
    }
    let flat = flatten(img);
    let mut jpeg = Vec::new();
    flat.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut jpeg,
        JPEG_QUALITY,
    ))
    .map_err(|e| BackendError::caused(format!("encode photo {n} as JPEG"), e))?;
    Image::from_jpeg(jpeg.into(), true)
        .map_err(|e| BackendError::internal(format!("re-encoded photo {n}: {e}")))
}

/// 8-bit greyscale or RGB without alpha (transparent parts become white), what JPEG can hold.
fn flatten(img: DynamicImage) -> DynamicImage {
    let grey = !img.color().has_color();
    if !img.color().has_alpha() {
        return if grey {
            DynamicImage::ImageLuma8(img.to_luma8())
        } else {
            DynamicImage::ImageRgb8(img.to_rgb8())
        };
    }
    let mut rgba = img.to_rgba8();
    for p in rgba.pixels_mut() {
        let a = u16::from(p.0[3]);
        for c in 0..3 {
            p.0[c] = ((u16::from(p.0[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
        p.0[3] = 255;
    }
    let rgb = DynamicImage::ImageRgba8(rgba);
    if grey {
        DynamicImage::ImageLuma8(rgb.to_luma8())
    } else {
        DynamicImage::ImageRgb8(rgb.to_rgb8())
    }
}

/// Combines phone photos of a letter, in the given order, into one A4 PDF: one photo per page,
/// scaled to fit inside a 1 cm margin and centred, aspect ratio kept (landscape photos are not
/// turned). JPEG Exif orientation is honoured. Large photos are downscaled and re-encoded; small
/// upright ones are embedded unchanged.
///
/// Errors (`Invalid`): no photos, more than [`MAX_SCAN_PAGES`], a photo that is not a complete,
/// decodable JPEG or PNG (the message names its position), or a result over [`MAX_SCAN_BYTES`].
pub fn images_to_pdf(images: &[Vec<u8>]) -> Result<Vec<u8>> {
    if images.is_empty() {
        return Err(BackendError::invalid(
            "Belum ada foto; ambil atau pilih minimal satu foto halaman surat.",
        ));
    }
    if images.len() > MAX_SCAN_PAGES {
        return Err(BackendError::invalid(format!(
            "{} foto melebihi batas {MAX_SCAN_PAGES} halaman; unggah surat utamanya saja dan lampirkan sisanya \
             sebagai lampiran terpisah.",
            images.len()
        )));
    }
    let prepared: Vec<Image> =
        images.iter().enumerate().map(|(i, b)| prepare_photo(b, i + 1)).collect::<Result<_>>()?;

    let mut document =
        Document::new_with(SerializeSettings { enable_tagging: false, ..Default::default() });
    document.set_metadata(Metadata::new().language("id".into()).creator("e-Office".into()));
    let settings =
        || PageSettings::from_wh(A4_W, A4_H).ok_or_else(|| BackendError::internal("page size"));
    for image in &prepared {
        let (iw, ih) = image.size();
        let (iw, ih) = (iw.max(1) as f32, ih.max(1) as f32);
        let (bw, bh) = (A4_W - 2.0 * PHOTO_MARGIN, A4_H - 2.0 * PHOTO_MARGIN);
        let scale = (bw / iw).min(bh / ih);
        let (w, h) = (iw * scale, ih * scale);
        let mut page = document.start_page_with(settings()?);
        let mut surface = page.surface();
        if let Some(size) = Size::from_wh(w, h) {
            surface.push_transform(&Transform::from_translate((A4_W - w) / 2.0, (A4_H - h) / 2.0));
            surface.draw_image(image.clone(), size);
            surface.pop();
        }
        surface.finish();
        page.finish();
    }
    let pdf = document.finish().map_err(|e| match e {
        KrillaError::Image(bad, _, msg) => {
            let n = prepared.iter().position(|i| *i == bad).map_or(0, |i| i + 1);
            tracing::info!(photo = n, error = %msg, "photo failed to embed");
            bad_photo(n)
        }
        other => BackendError::caused("write scan PDF", other),
    })?;
    if pdf.len() > MAX_SCAN_BYTES {
        return Err(BackendError::invalid(format!(
            "Gabungan {} foto berukuran {} MB melebihi batas {} MB; kurangi jumlah foto.",
            images.len(),
            megabytes(pdf.len()),
            MAX_SCAN_BYTES / (1024 * 1024)
        )));
    }
    Ok(pdf)
}

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
