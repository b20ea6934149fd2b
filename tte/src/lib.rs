//! # TTE — Tanda Tangan Elektronik
//!
//! Electronic signatures for e-Office letters, on the permissively licensed RustCrypto stack:
//!
//! - [`pki`]: the installation's own CA (root, issuing CA, TSA certificate), officials' signing
//!   certificates, CRLs;
//! - [`keys`]: private keys encrypted at rest under a passphrase (Argon2id + XChaCha20-Poly1305);
//! - [`tsa`]: an in-process RFC 3161 time-stamp authority (and token verification);
//! - [`pades`]: PAdES signing (ETSI.CAdES.detached, SHA-256, ECDSA P-256, B-B or B-T) as an
//!   incremental update, so several officials can co-sign one letter;
//! - [`verify`]: a verifier that never panics and reports who signed, when, whether the document is
//!   intact and whether it was changed after signing.
//!
//! All times are UTC. Only ECDSA P-256 with SHA-256 is produced and verified.

pub mod asn1;
mod cms;
pub mod keys;
pub mod pades;
mod pdf;
pub mod pki;
pub mod tsa;
pub mod verify;

pub use keys::{EncryptedKey, KdfParams, KeyError, Passphrase, UnlockedKey};
pub use pades::{SignError, SignOptions, SigningIdentity, sign_pdf};
pub use pki::{
    IssueOptions, IssuedCert, IssuingCa, Pki, PkiError, PkiNames, SignerSubject,
    issue_signing_cert, make_crl,
};
pub use tsa::{TimestampSource, Tsa, TsaError};
pub use verify::{Overall, SignatureReport, Verdict, verify_pdf};
pub use x509_cert::Certificate;

/// Formats unix seconds as RFC 3339 UTC (`2025-01-31T07:00:00Z`).
pub fn rfc3339(unix: i64) -> String {
    if unix < 0 {
        return "1970-01-01T00:00:00Z".into();
    }
    match der::DateTime::from_unix_duration(std::time::Duration::from_secs(unix as u64)) {
        Ok(dt) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minutes(),
            dt.seconds()
        ),
        Err(_) => "invalid time".into(),
    }
}

/// Parses a DER certificate.
pub fn parse_certificate(der_bytes: &[u8]) -> Result<Certificate, der::Error> {
    <Certificate as der::Decode>::from_der(der_bytes)
}
