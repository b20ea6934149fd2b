//! The signing step of a letter, behind one trait: the flow (number, render, sign, store, deliver)
//! stays the same whether the final document is produced by approval only, by the installation's
//! own certificate authority, or by a remote signing service.

use crate::store::Store;
use crate::{BackendError, Result};
use domain::model::SessionUser;
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
    /// Where the renderer put the signing space (QR and statement): page index (0-based) and
    /// [x1 y1 x2 y2] in PDF points from the bottom left. Filled in after rendering.
    pub signature_rect: Option<(usize, [f64; 4])>,
}

/// Secrets the signer may need (a passphrase for a key bound to the official). Never printed.
#[derive(Clone, Default)]
pub struct SignCredentials {
    pub passphrase: Option<String>,
    /// An invisible signature: no signature widget on the page (the QR code and the statement are
    /// printed all the same, since every signed letter carries its verification QR).
    pub invisible: bool,
}

/// What a signing call signs with: the signer and the credentials it asks of the official. After
/// the signer is unlocked, the unlocked one takes its place.
#[derive(Clone, Copy)]
pub struct Signing<'a> {
    pub signer: &'a dyn LetterSigner,
    pub credentials: &'a SignCredentials,
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
pub type UnlockFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Box<dyn LetterSigner + 'a>>>> + Send + 'a>>;

pub trait LetterSigner: Send + Sync {
    /// Recorded with the document: "approval", "local-ca", "remote".
    fn kind(&self) -> &'static str;
    fn appearance(&self, ctx: &SignContext) -> Appearance;
    /// Turns the rendered PDF into the final document.
    fn sign<'a>(
        &'a self,
        pdf: Vec<u8>,
        ctx: &'a SignContext,
        credentials: &'a SignCredentials,
    ) -> SignFuture<'a>;
    /// Runs once per request, before any signing transaction starts: a signer whose key is bound
    /// to the official finds and unlocks it here (reading and writing the database on its own),
    /// and returns the signer to use for the letters of this request. `None` means "use me as I
    /// am". Doing this outside the transaction keeps the slow passphrase check and the attempt
    /// record out of the locks that numbering holds.
    fn unlock<'a>(
        &'a self,
        _store: &'a Store,
        _user: &'a SessionUser,
        _ip: Option<String>,
        _credentials: &'a SignCredentials,
    ) -> UnlockFuture<'a> {
        Box::pin(async { Ok(None) })
    }
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
    fn sign<'a>(
        &'a self,
        pdf: Vec<u8>,
        _ctx: &'a SignContext,
        _credentials: &'a SignCredentials,
    ) -> SignFuture<'a> {
        Box::pin(async move { Ok(pdf) })
    }
}

/// The statement printed beside the QR code.
fn statement(ctx: &SignContext) -> String {
    format!("Ditandatangani secara elektronik oleh: {}, {}", ctx.signer_name, ctx.signer_position)
}

/// The public verification URL of a document, which its QR code encodes.
pub fn verification_url(public_base: &str, public_id: &str) -> String {
    format!("{}/verifikasi/{public_id}", public_base.trim_end_matches('/'))
}

/// QR code, statement and footer for a letter signed with a certificate issued by `issuer`.
fn certificate_appearance(public_base: &str, issuer: &str, ctx: &SignContext) -> Appearance {
    let base = public_base.trim_end_matches('/');
    let qr_png = match crate::render::qr_png(&verification_url(base, &ctx.public_id)) {
        Ok(png) => Some(png),
        Err(e) => {
            // Never happens for URLs of sane length; the letter then still names the verification page.
            tracing::error!(error = %e, "QR code not made");
            None
        }
    };
    Appearance {
        statement: Some(statement(ctx)),
        qr_png,
        footer_note: Some(format!(
            "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh {issuer}. \
             Verifikasi keaslian di {base}/verifikasi."
        )),
    }
}

/// Signs with the installation's own certificate authority: the official's key, protected by
/// their passphrase, is unlocked once per request ([`LetterSigner::unlock`]) into a
/// [`LocalCaUnlocked`], which signs every letter of that request and wipes the key when dropped.
pub struct LocalCaSigner {
    public_base: String,
    issuer_name: String,
}

impl LocalCaSigner {
    /// `public_base` is the URL the QR codes point to; `issuer_name` the issuing CA's name printed
    /// in the footer (the unlocked signer uses the name from the certificate itself).
    pub fn new(public_base: impl Into<String>, issuer_name: impl Into<String>) -> Self {
        LocalCaSigner {
            public_base: public_base.into().trim_end_matches('/').to_string(),
            issuer_name: issuer_name.into(),
        }
    }
}

impl LetterSigner for LocalCaSigner {
    fn kind(&self) -> &'static str {
        "local-ca"
    }
    fn appearance(&self, ctx: &SignContext) -> Appearance {
        certificate_appearance(&self.public_base, &self.issuer_name, ctx)
    }
    fn sign<'a>(
        &'a self,
        _pdf: Vec<u8>,
        _ctx: &'a SignContext,
        credentials: &'a SignCredentials,
    ) -> SignFuture<'a> {
        // Signing always goes through `unlock`; reaching here means a caller skipped it.
        let missing = credentials.passphrase.as_deref().unwrap_or("").is_empty();
        Box::pin(async move {
            if missing {
                Err(BackendError::invalid("Masukkan passphrase TTE Anda."))
            } else {
                Err(BackendError::internal("LocalCaSigner::sign called without unlock"))
            }
        })
    }
    fn unlock<'a>(
        &'a self,
        store: &'a Store,
        user: &'a SessionUser,
        ip: Option<String>,
        credentials: &'a SignCredentials,
    ) -> UnlockFuture<'a> {
        Box::pin(async move {
            let handle = crate::store::pki::unlock_for(store, user, ip, credentials).await?;
            let unlocked = LocalCaUnlocked::new(
                handle.key,
                handle.cert,
                handle.ca,
                &self.public_base,
                credentials.invisible,
            );
            Ok(Some(Box::new(unlocked) as Box<dyn LetterSigner + 'a>))
        })
    }
}

/// An official's unlocked key with its certificate and the CA's time-stamp authority: signs any
/// number of letters (PAdES B-T, visible over the signature block or invisible). The key is wiped
/// when this is dropped.
pub struct LocalCaUnlocked {
    key: tte::UnlockedKey,
    cert: tte::Certificate,
    ca: std::sync::Arc<crate::store::pki::CaKeys>,
    public_base: String,
    invisible: bool,
}

impl LocalCaUnlocked {
    pub fn new(
        key: tte::UnlockedKey,
        cert: tte::Certificate,
        ca: std::sync::Arc<crate::store::pki::CaKeys>,
        public_base: &str,
        invisible: bool,
    ) -> Self {
        LocalCaUnlocked {
            key,
            cert,
            ca,
            public_base: public_base.trim_end_matches('/').to_string(),
            invisible,
        }
    }

    /// Signs a rendered letter now (CPU only, about a millisecond; no I/O).
    pub fn sign_now(&self, pdf: &[u8], ctx: &SignContext) -> Result<Vec<u8>> {
        let identity = tte::SigningIdentity {
            key: &self.key,
            cert: self.cert.clone(),
            chain: vec![self.ca.issuer_of(&self.cert).clone(), self.ca.root.clone()],
        };
        let opts = tte::SignOptions {
            reason: Some("Penandatanganan naskah dinas".into()),
            location: (!ctx.opd_name.is_empty()).then(|| ctx.opd_name.clone()),
            name: Some(ctx.signer_name.clone()),
            contact_info: None,
            signing_time: std::time::SystemTime::now(),
            visible_rect: if self.invisible { None } else { ctx.signature_rect },
            tsa: Some(&self.ca.tsa),
            field_name: None,
            placeholder_bytes: tte::pades::DEFAULT_PLACEHOLDER_BYTES,
        };
        tte::sign_pdf(pdf, &identity, &opts).map_err(|e| match e {
            tte::SignError::CertificateNotValid => {
                BackendError::Forbidden("Sertifikat elektronik Anda tidak berlaku pada saat ini (kedaluwarsa). Hubungi Admin Pemda untuk penerbitan ulang.".into())
            }
            other => BackendError::caused("PAdES signing", other),
        })
    }
}

impl LetterSigner for LocalCaUnlocked {
    fn kind(&self) -> &'static str {
        "local-ca"
    }
    fn appearance(&self, ctx: &SignContext) -> Appearance {
        // The issuing CA that certified this official (an earlier generation's, after a renewal).
        let issuer =
            tte::pki::subject_fields(&self.ca.issuer_of(&self.cert).tbs_certificate.subject)
                .common_name
                .unwrap_or_else(|| self.ca.issuer_name.clone());
        certificate_appearance(&self.public_base, &issuer, ctx)
    }
    fn sign<'a>(
        &'a self,
        pdf: Vec<u8>,
        ctx: &'a SignContext,
        _credentials: &'a SignCredentials,
    ) -> SignFuture<'a> {
        Box::pin(async move { self.sign_now(&pdf, ctx) })
    }
}

/// Configuration of a remote signing service in the BSrE style.
#[derive(Clone)]
pub struct RemoteConfig {
    /// `http://host:port/path` of the signing endpoint (see [`RemoteSigner`] for TLS).
    pub url: String,
    /// Client credentials of this installation (HTTP basic auth).
    pub user: String,
    pub password: String,
    /// Issuer named in the footer, e.g. "Balai Sertifikasi Elektronik (BSrE), BSSN".
    pub issuer_name: String,
    /// Where the QR codes point.
    pub public_base: String,
    pub timeout: std::time::Duration,
}

impl std::fmt::Debug for RemoteConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteConfig")
            .field("url", &self.url)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Signs through a remote service in the BSrE style: POST multipart/form-data with `file` (the
/// PDF), `nik`, `passphrase`, `tampilan` (`visible`/`invisible`) and, when visible, `page`, `xAxis`,
/// `yAxis`, `width`, `height` of the signature block (PDF points from the bottom left), with HTTP
/// basic auth; the answer is the signed PDF. The official's identifier sent as `nik` is their NIP
/// (e-Office keeps no NIK). Plain `http://` only: reach an `https://` service through a local
/// TLS-originating proxy.
pub struct RemoteSigner {
    cfg: RemoteConfig,
    target: HttpTarget,
}

#[derive(Clone, Debug)]
struct HttpTarget {
    host: String,
    port: u16,
    path: String,
}

fn parse_http_url(url: &str) -> std::result::Result<HttpTarget, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| "remote signer URL must start with http:// (put a TLS proxy in front of an https service)".to_string())?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    if authority.is_empty() || authority.contains('@') {
        return Err("remote signer URL needs a host (and no user info)".into());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (
            h.to_string(),
            p.parse::<u16>().map_err(|_| "bad port in remote signer URL".to_string())?,
        ),
        _ => (authority.to_string(), 80),
    };
    Ok(HttpTarget { host, port, path })
}

impl RemoteSigner {
    pub fn new(cfg: RemoteConfig) -> std::result::Result<Self, String> {
        let target = parse_http_url(&cfg.url)?;
        Ok(RemoteSigner { cfg, target })
    }

    fn multipart(
        &self,
        pdf: &[u8],
        ctx: &SignContext,
        credentials: &SignCredentials,
        passphrase: &str,
    ) -> (String, Vec<u8>) {
        let boundary = format!("eoffice-{}", crate::new_id());
        let mut body = Vec::with_capacity(pdf.len() + 1024);
        let mut field = |name: &str, value: &str| {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        };
        field("nik", &ctx.signer_nip);
        field("passphrase", passphrase);
        let visible = !credentials.invisible && ctx.signature_rect.is_some();
        field("tampilan", if visible { "visible" } else { "invisible" });
        if let (true, Some((page, r))) = (visible, ctx.signature_rect) {
            field("image", "false");
            field("page", &(page + 1).to_string());
            field("xAxis", &format!("{:.0}", r[0]));
            field("yAxis", &format!("{:.0}", r[1]));
            field("width", &format!("{:.0}", r[2] - r[0]));
            field("height", &format!("{:.0}", r[3] - r[1]));
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n", ctx.public_id).as_bytes(),
        );
        body.extend_from_slice(pdf);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    async fn post(&self, content_type: &str, body: Vec<u8>) -> std::io::Result<(u16, Vec<u8>)> {
        use base64::Engine as _;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let t = &self.target;
        let auth = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.cfg.user, self.cfg.password));
        let host_header =
            if t.port == 80 { t.host.clone() } else { format!("{}:{}", t.host, t.port) };
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {host_header}\r\nAuthorization: Basic {auth}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nAccept: application/pdf, application/json\r\nConnection: close\r\nUser-Agent: e-Office\r\n\r\n",
            t.path,
            body.len()
        );
        let host = t.host.trim_start_matches('[').trim_end_matches(']').to_string();
        let mut stream = tokio::net::TcpStream::connect((host.as_str(), t.port)).await?;
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await?;
        stream.flush().await?;
        // Read the whole answer (Connection: close), bounded: a signed letter is far below this.
        let mut raw = Vec::new();
        (&mut stream).take(64 * 1024 * 1024).read_to_end(&mut raw).await?;
        parse_http_response(&raw).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "malformed HTTP response")
        })
    }
}

/// Status and body of a raw HTTP/1.x response (Content-Length, chunked, or read to close).
fn parse_http_response(raw: &[u8]) -> Option<(u16, Vec<u8>)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let mut chunked = false;
    let mut length = None;
    for l in lines {
        let (k, v) = l.split_once(':')?;
        match k.trim().to_ascii_lowercase().as_str() {
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            "content-length" => length = v.trim().parse::<usize>().ok(),
            _ => {}
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        let mut out = Vec::new();
        let mut p = rest;
        loop {
            let nl = p.windows(2).position(|w| w == b"\r\n")?;
            let size_str = std::str::from_utf8(&p[..nl]).ok()?.split(';').next()?.trim();
            let size = usize::from_str_radix(size_str, 16).ok()?;
            p = &p[nl + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(p.get(..size)?);
            p = p.get(size + 2..)?;
        }
        out
    } else if let Some(n) = length {
        rest.get(..n)?.to_vec()
    } else {
        rest.to_vec()
    };
    Some((status, body))
}

/// Indonesian message for an error answer of the remote service.
fn remote_error(status: u16, body: &[u8]) -> BackendError {
    let text = String::from_utf8_lossy(&body[..body.len().min(2000)]).to_lowercase();
    tracing::warn!(status, body = %text, "remote signer refused");
    let has = |w: &[&str]| w.iter().any(|x| text.contains(x));
    if status == 429 {
        return BackendError::RateLimited(
            "Layanan TTE menolak sementara karena terlalu banyak percobaan; coba lagi nanti."
                .into(),
        );
    }
    if (400..500).contains(&status) && has(&["passphrase"]) {
        return BackendError::invalid("Passphrase salah (ditolak layanan TTE).");
    }
    if (400..500).contains(&status)
        && has(&["expired", "kedaluwarsa", "revoked", "dicabut", "kadaluarsa"])
    {
        return BackendError::Forbidden("Sertifikat Anda pada layanan TTE kedaluwarsa atau dicabut. Hubungi Admin Pemda untuk penerbitan ulang.".into());
    }
    if status == 404
        || ((400..500).contains(&status)
            && has(&["nik", "not registered", "tidak terdaftar", "belum terdaftar"]))
    {
        return BackendError::invalid(
            "NIP/NIK Anda belum terdaftar pada layanan TTE. Hubungi Admin Pemda.",
        );
    }
    if status == 401 || status == 403 {
        return BackendError::invalid(
            "Layanan TTE menolak kredensial aplikasi e-Office. Hubungi administrator server.",
        );
    }
    if status >= 500 {
        return BackendError::invalid(format!(
            "Layanan TTE sedang bermasalah (HTTP {status}); coba lagi beberapa saat lagi."
        ));
    }
    BackendError::invalid(format!("Layanan TTE menolak permintaan (HTTP {status})."))
}

impl LetterSigner for RemoteSigner {
    fn kind(&self) -> &'static str {
        "remote"
    }
    fn appearance(&self, ctx: &SignContext) -> Appearance {
        certificate_appearance(&self.cfg.public_base, &self.cfg.issuer_name, ctx)
    }
    fn sign<'a>(
        &'a self,
        pdf: Vec<u8>,
        ctx: &'a SignContext,
        credentials: &'a SignCredentials,
    ) -> SignFuture<'a> {
        Box::pin(async move {
            let passphrase = credentials.passphrase.as_deref().unwrap_or("");
            if passphrase.is_empty() {
                return Err(BackendError::invalid("Masukkan passphrase TTE Anda."));
            }
            let (ct, body) = self.multipart(&pdf, ctx, credentials, passphrase);
            let answer = tokio::time::timeout(self.cfg.timeout, self.post(&ct, body)).await;
            let (status, body) = match answer {
                Ok(Ok(r)) => r,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, url = %self.cfg.url, "remote signer unreachable");
                    return Err(BackendError::invalid(
                        "Layanan TTE tidak dapat dihubungi; coba lagi beberapa saat lagi.",
                    ));
                }
                Err(_) => {
                    return Err(BackendError::invalid(
                        "Layanan TTE tidak menjawab tepat waktu; coba lagi beberapa saat lagi.",
                    ));
                }
            };
            if status != 200 {
                return Err(remote_error(status, &body));
            }
            if !body.starts_with(b"%PDF-") {
                tracing::warn!(len = body.len(), "remote signer answered 200 without a PDF");
                return Err(BackendError::invalid(
                    "Layanan TTE mengembalikan berkas yang bukan PDF; coba lagi atau hubungi administrator.",
                ));
            }
            Ok(body)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_responses() {
        let t = parse_http_url("http://127.0.0.1:8080/api/sign/pdf").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 8080, "/api/sign/pdf")
        );
        let t = parse_http_url("http://bsre.local").unwrap();
        assert_eq!((t.port, t.path.as_str()), (80, "/"));
        assert!(parse_http_url("https://bsre.example").is_err());
        assert!(parse_http_url("http://u:p@host/").is_err());
        assert_eq!(
            parse_http_response(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"),
            Some((200, b"abc".to_vec()))
        );
        assert_eq!(parse_http_response(b"HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), Some((400, b"abcde".to_vec())));
        assert_eq!(parse_http_response(b"garbage"), None);
        assert_eq!(remote_error(400, br#"{"error":"Passphrase anda salah"}"#).status(), 422);
        assert!(remote_error(401, b"").to_string().contains("kredensial"));
        assert!(remote_error(503, b"").to_string().contains("503"));
    }
}
