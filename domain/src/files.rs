//! Uploaded files are judged by what they contain, never by their name or the type the browser claims.

pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_ATTACHMENTS: usize = 10;
/// Largest OPD logo accepted for the kop surat.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;
/// Largest scan of an incoming letter (surat masuk) accepted as one PDF, whether uploaded as a PDF
/// or assembled from phone photos: a 30-page letter scanned at 200-300 dpi fits comfortably.
pub const MAX_SCAN_BYTES: usize = 20 * 1024 * 1024;
/// Most pages one scan may have (and so most photos combined into one scan); longer documents
/// belong in attachments, not in the letter's own scan.
pub const MAX_SCAN_PAGES: usize = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("Berkas kosong.")]
    Empty,
    #[error("Berkas terlalu besar (maksimal 10 MB).")]
    TooLarge,
    #[error("Berkas harus PDF, PNG, atau JPEG; isi berkas ini bukan salah satunya.")]
    UnknownType,
    #[error("Berkas PDF ini rusak atau terpotong (penanda akhir %%EOF tidak ditemukan).")]
    BrokenPdf,
    #[error("Berkas PDF ini terenkripsi; unggah versi tanpa kata sandi.")]
    EncryptedPdf,
}

/// Identifies a PDF, PNG or JPEG by its bytes and checks that a PDF is complete and not encrypted.
pub fn sniff(bytes: &[u8]) -> Result<FileKind, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(FileError::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        if !contains(tail, b"%%EOF") {
            return Err(FileError::BrokenPdf);
        }
        if contains(bytes, b"/Encrypt") {
            return Err(FileError::EncryptedPdf);
        }
        return Ok(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(FileKind::Jpeg);
    }
    Err(FileError::UnknownType)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A file name safe to store and to offer for download: no path, no control characters, bounded.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() { "lampiran".into() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"), Ok(FileKind::Pdf));
        assert_eq!(sniff(b"%PDF-1.7\n1 0 obj"), Err(FileError::BrokenPdf));
        assert_eq!(
            sniff(b"%PDF-1.7\ntrailer<</Encrypt 5 0 R>>\n%%EOF"),
            Err(FileError::EncryptedPdf)
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Ok(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Ok(FileKind::Jpeg));
        assert_eq!(sniff(b"MZ\x90\0 this is an exe named surat.pdf"), Err(FileError::UnknownType));
        assert_eq!(sniff(b""), Err(FileError::Empty));
        assert_eq!(sniff(&vec![b'%'; MAX_ATTACHMENT_BYTES + 1]), Err(FileError::TooLarge));
    }

    #[test]
    fn names() {
        assert_eq!(clean_name("C:\\Users\\budi\\undangan.pdf"), "undangan.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}\"b\".pdf"), "ab.pdf");
        assert_eq!(clean_name("   "), "lampiran");
    }
}
