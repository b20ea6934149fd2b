//! Rendering of official letters (naskah dinas) to PDF in the layout readers expect:
//! kop surat, head block, recipients, body, signature block, tembusan; A4, embedded fonts.
//! Also the lembar disposisi of incoming mail and the handling of scans (checking uploaded scan
//! PDFs, combining phone photos into one, rendering scan pages for the viewer).
//!
//! The renderer takes plain, already-formatted strings: deciding what a letter says (dates in
//! Indonesian, "a.n." lines, labels) belongs to the caller, so this module only lays out.

use domain::letter_body::LetterBody;

mod layout;
mod pdf;
mod qr;
mod scan;
mod xlsx;

pub use pdf::disposition::{DispositionSheet, SheetStep, render_disposition_sheet};
pub use pdf::guide::{Guide, GuideLabels, GuideSection, render_guide};
pub use pdf::report::{Report, ReportColumn, ReportTable, render_report};
pub use pdf::{RenderInfo, render_letter, render_letter_with_info};
pub use scan::{ScanInfo, check_scan_pdf, images_to_pdf, scan_page_png};

/// Checks that bytes are a PNG or JPEG the renderer can embed, by rendering a page with it as the
/// logo (images are decoded only when the PDF is written). Used before an OPD logo is stored, so a
/// bad upload cannot later stop letters from being signed.
pub fn check_image(bytes: &[u8]) -> crate::Result<()> {
    let doc = LetterDocument { logo: Some(bytes.to_vec()), ..Default::default() };
    render_letter(&doc).map(|_| ())
}
pub use qr::{qr_png, qr_svg};
pub use xlsx::recap_xlsx;

/// Everything printed on one letter.
#[derive(Clone, Debug, Default)]
pub struct LetterDocument {
    /// First kop line, e.g. "PEMERINTAH KABUPATEN BOJONEGORO".
    pub pemda_name: String,
    /// Second kop line, e.g. "DINAS KOMUNIKASI DAN INFORMATIKA".
    pub opd_name: String,
    /// Kop address line(s), e.g. "Jalan Pahlawan No. 5, Bojonegoro 62111, Telepon (0353) 881826".
    pub opd_address: String,
    /// Logo for the left of the kop, PNG or JPEG bytes; the kop is centred without it.
    pub logo: Option<Vec<u8>>,
    /// Title printed centred under the kop for types that carry one ("NOTA DINAS", "SURAT TUGAS");
    /// None for a Surat Dinas, whose head block starts directly.
    pub title: Option<String>,
    /// "000.5.6.2/15/412.208/2026"; None in a preview before signing (the space stays blank).
    pub number: Option<String>,
    /// "Biasa", "Rahasia", ...
    pub sifat: String,
    /// "-" or "1 (satu) berkas".
    pub lampiran: String,
    /// Hal / perihal.
    pub hal: String,
    /// "Bojonegoro, 28 November 2026"; in a preview before signing the date may be blank.
    pub place_date: String,
    /// Lines after "Yth.": one per addressee.
    pub recipients: Vec<String>,
    /// Line under the addressees, e.g. "di Tempat" or "di Bojonegoro".
    pub recipient_place: String,
    pub body: LetterBody,
    pub signature: SignatureBlock,
    /// The co-signer's block on a co-signed letter, printed on the left beside the signer's.
    pub co_signature: Option<SignatureBlock>,
    /// Tembusan lines; the section is omitted when empty.
    pub tembusan: Vec<String>,
    /// Small print at the bottom of every page (e.g. the electronic-signature statement); optional.
    pub footer_note: Option<String>,
    /// Diagonal or header mark on every page for previews, e.g. "PRATINJAU - BELUM DITANDATANGANI".
    pub watermark: Option<String>,
}

/// The signature block on the right under the body.
#[derive(Clone, Debug, Default)]
pub struct SignatureBlock {
    /// Lines above the position, e.g. ["a.n. KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"] or ["Plt."].
    pub above: Vec<String>,
    /// Position of the signer, e.g. "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" or "Sekretaris".
    pub position: String,
    /// Statement in the signing space, e.g. "Ditandatangani secara elektronik" or empty for a wet signature.
    pub statement: Option<String>,
    /// QR code image (PNG) drawn in the signing space, left of the statement; None leaves the space empty.
    pub qr_png: Option<Vec<u8>>,
    /// Signer's name with titles, printed bold and underlined.
    pub name: String,
    /// Rank line, e.g. "Pembina Utama Muda"; optional.
    pub rank: Option<String>,
    /// "NIP. 197203151998031004"
    pub nip: String,
}
