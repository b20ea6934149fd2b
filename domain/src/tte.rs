//! Electronic signature (TTE) as the UI and the public verification page see it: certificates of
//! officials, the result of checking a PDF, and what a QR code's page shows. The cryptography
//! lives in the `tte` crate; the records in the backend.

use crate::Code;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// Where a signing certificate stands.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CertStatus {
    /// Authorised by the Admin Pemda; the official has not set a passphrase yet, so no key exists.
    MenungguPassphrase,
    Aktif,
    Dicabut,
    Kedaluwarsa,
}

impl Code for CertStatus {}

impl CertStatus {
    pub fn label(self) -> &'static str {
        match self {
            CertStatus::MenungguPassphrase => "Menunggu passphrase",
            CertStatus::Aktif => "Aktif",
            CertStatus::Dicabut => "Dicabut",
            CertStatus::Kedaluwarsa => "Kedaluwarsa",
        }
    }
}

/// Reasons of RFC 5280 offered when revoking.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RevocationReason {
    /// Forgotten passphrase or a suspected leak of the key.
    KeyCompromise,
    /// The official moved to another position or OPD.
    AffiliationChanged,
    Superseded,
    CessationOfOperation,
    Unspecified,
}

impl Code for RevocationReason {}

impl RevocationReason {
    pub fn label(self) -> &'static str {
        match self {
            RevocationReason::KeyCompromise => "Passphrase lupa atau kunci bocor",
            RevocationReason::AffiliationChanged => "Pindah jabatan atau OPD",
            RevocationReason::Superseded => "Diganti sertifikat baru",
            RevocationReason::CessationOfOperation => "Berhenti / pensiun",
            RevocationReason::Unspecified => "Lainnya",
        }
    }
}

/// One signing certificate of an official.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertView {
    pub id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub nip: String,
    pub position: String,
    pub opd_name: String,
    pub status: CertStatus,
    /// Empty while waiting for the passphrase.
    pub serial_hex: String,
    pub issuer: String,
    pub not_before_ms: Option<i64>,
    pub not_after_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub revoked_reason: Option<RevocationReason>,
    pub created_ms: i64,
}

/// One page of the Admin Pemda's certificate list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertPage {
    pub items: Vec<CertView>,
    pub total: i64,
    pub page: i64,
}

/// The installation's certificate authority, as the admin page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PkiStatus {
    pub initialised: bool,
    pub root_subject: String,
    pub issuing_subject: String,
    pub issuing_not_after_ms: Option<i64>,
    /// Public URL of the CRL and of the root certificate (PEM), to give to validators.
    pub crl_url: String,
    pub root_url: String,
}

/// Verdict on one signature of a checked PDF.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub signer_name: String,
    pub signer_nip: String,
    pub signer_position: String,
    pub signer_opd: String,
    pub issuer: String,
    pub serial_hex: String,
    /// Signing time: the timestamp's when there is one, else the signature's own claim.
    pub signed_ms: Option<i64>,
    pub timestamped: bool,
    /// The signed bytes are unchanged and the signature matches the certificate.
    pub intact: bool,
    /// The certificate chains to this installation's root.
    pub trusted: bool,
    /// "aktif", "dicabut", "kedaluwarsa" now; "tidak_dikenal" for a foreign certificate.
    pub status_now: String,
    /// The certificate was valid (not expired, not yet revoked) at the signing time.
    pub valid_at_signing: bool,
    pub revoked_ms: Option<i64>,
    /// Why the certificate was revoked, when it was.
    #[serde(default)]
    pub revoked_reason: Option<RevocationReason>,
    pub problems: Vec<String>,
}

/// Overall result of checking a PDF.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VerifyOutcome {
    /// Every signature intact and trusted, nothing changed after the last one.
    Valid,
    /// A signature is broken, untrusted, or the file changed after signing.
    Invalid,
    NoSignature,
    NotPdf,
}

impl Code for VerifyOutcome {}

/// Result of the upload form, the JSON endpoint and `eoffice verify`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub outcome: VerifyOutcome,
    /// One sentence in Bahasa Indonesia and one in English saying why.
    pub message_id: String,
    pub message_en: String,
    pub sha256: String,
    /// The file was changed after the (last) signature.
    pub modified_after_signing: bool,
    /// The file is byte for byte a document this installation issued.
    pub issued_here: bool,
    /// Public id of that document when it is one of ours (links to its verification page).
    pub public_id: Option<String>,
    pub signatures: Vec<SignatureCheck>,
}

/// What the QR code's public page shows. Confidential letters show only existence and validity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicDocument {
    pub public_id: String,
    pub confidential: bool,
    /// Whether anyone holding the link may download the signed PDF: Biasa letters only (Terbatas
    /// letters are for their recipients; the page still says whether the signature is valid).
    pub downloadable: bool,
    /// Empty for confidential letters.
    pub subject: String,
    pub number: String,
    pub opd_name: String,
    pub signer_name: String,
    pub signer_position: String,
    pub signed_ms: i64,
    pub issuer: String,
    /// "approval" (no certificate), "local-ca" or "remote".
    pub signer_kind: String,
    pub sha256: String,
    pub signatures: Vec<SignatureCheck>,
    /// Officials who still have to add their signature (a co-signed letter between the first and
    /// the second signature), as "title (name)": the document is not complete yet.
    #[serde(default)]
    pub pending_signers: Vec<String>,
    /// Why this document no longer stands, when its signing was cancelled (the co-signer refused
    /// or the letter was withdrawn before the second signature); its number is void.
    #[serde(default)]
    pub voided: Option<String>,
}
