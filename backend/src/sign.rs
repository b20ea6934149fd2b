//! The signing step of a letter, behind one trait: the flow (number, render, sign, store, deliver)
//! stays the same whether the final document is produced by approval only, by the installation's
//! own certificate authority, or by a remote signing service.

use crate::Result;
use std::future::Future;
use std::pin::Pin;

/// What the signer is told about the letter it signs.
#[derive(Clone, Debug)]
pub struct SignContext {
    pub letter_id: String,
    /// Unguessable id of the document's public verification page.
    pub public_id: String,
    pub signer_employee_id: String,
    pub signer_name: String,
    pub signer_nip: String,
    pub signer_position: String,
    pub opd_name: String,
    pub signed_ms: i64,
}

/// Secrets the signer may need (a passphrase for a key bound to the official). Never printed.
#[derive(Clone, Default)]
pub struct SignCredentials {
    pub passphrase: Option<String>,
}

impl std::fmt::Debug for SignCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignCredentials(..)")
    }
}

/// What the signer wants printed in the signature block before the PDF is produced.
#[derive(Clone, Debug, Default)]
pub struct Appearance {
    pub statement: Option<String>,
    pub qr_png: Option<Vec<u8>>,
    pub footer_note: Option<String>,
}

pub type SignFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>>> + Send + 'a>>;

pub trait LetterSigner: Send + Sync {
    /// Recorded with the document: "approval", "local-ca", "remote".
    fn kind(&self) -> &'static str;
    fn appearance(&self, ctx: &SignContext) -> Appearance;
    /// Turns the rendered PDF into the final document.
    fn sign<'a>(&'a self, pdf: Vec<u8>, ctx: &'a SignContext, credentials: &'a SignCredentials) -> SignFuture<'a>;
}

/// Produces the final letter from the signer's approval alone, without a cryptographic signature.
/// It is what runs until a certificate-based signer is configured; the letter says so honestly.
pub struct ApprovalOnly;

impl LetterSigner for ApprovalOnly {
    fn kind(&self) -> &'static str {
        "approval"
    }
    fn appearance(&self, ctx: &SignContext) -> Appearance {
        Appearance {
            statement: Some("Disetujui melalui e-Office".into()),
            qr_png: None,
            footer_note: Some(format!(
                "Naskah ini disetujui oleh penanda tangan melalui aplikasi e-Office {} tanpa sertifikat elektronik.",
                ctx.opd_name
            )),
        }
    }
    fn sign<'a>(&'a self, pdf: Vec<u8>, _ctx: &'a SignContext, _credentials: &'a SignCredentials) -> SignFuture<'a> {
        Box::pin(async move { Ok(pdf) })
    }
}
