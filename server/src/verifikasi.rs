//! Public electronic-signature routes, no login: the verification page a QR code opens, the upload
//! form and its JSON twin for machines, and the CA's CRL, root certificate and time-stamp
//! authority. The pages are plain server-rendered HTML (no JavaScript), readable on a phone, in
//! Bahasa Indonesia; every value from a document or an upload is escaped.

use app::api::ctx::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use backend::store::pki::VERIFY_MAX_BYTES;
use domain::tte::{PublicDocument, SignatureCheck, VerifyOutcome, VerifyReport};

/// Largest RFC 3161 request accepted (real ones are under 200 bytes).
const TSA_BODY_LIMIT: usize = 64 * 1024;
/// A verification upload: the largest PDF checked plus room for the multipart framing; larger
/// bodies are refused before they are read. The store refuses PDFs over `VERIFY_MAX_BYTES`.
const VERIFY_BODY_LIMIT: usize = VERIFY_MAX_BYTES + 64 * 1024;

/// The public routes. Those that check signatures or issue time stamps are rate-limited per client
/// address (`limits.rs`); the CA's certificate, its CRL and the empty upload form are not.
pub fn routes(state: &AppState) -> Router<AppState> {
    let checks = middleware::from_fn_with_state(state.clone(), crate::limits::verification);
    let stamps = middleware::from_fn_with_state(state.clone(), crate::limits::time_stamps);
    let body = DefaultBodyLimit::max(VERIFY_BODY_LIMIT);
    Router::new()
        .route("/pki/crl", get(crl))
        .route("/pki/crl/{generation}", get(crl_of_generation))
        .route("/pki/root.pem", get(root_pem))
        .route("/tsa", post(tsa).layer(stamps))
        .route(
            "/verifikasi",
            get(upload_form).merge(post(upload_check).layer(checks.clone())).layer(body),
        )
        .route("/verifikasi/{public_id}", get(document_page).layer(checks.clone()))
        .route("/verifikasi/{public_id}/pdf", get(document_pdf).layer(checks.clone()))
        .route("/api/verifikasi", post(api_verify).layer(body).layer(checks))
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} - e-Office</title><link rel=\"stylesheet\" href=\"{css}\"></head><body><main class=\"page\" id=\"utama\">{body}\
         <p class=\"muted small\"><a href=\"/verifikasi\">Periksa berkas PDF lain</a> · <a href=\"/pki/root.pem\">Sertifikat root CA</a> · \
         <a href=\"/pki/crl\">Daftar sertifikat dicabut (CRL)</a></p></main></body></html>",
        esc(title),
        css = app::app::stylesheet(),
    )
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page(title, body))
        .into_response()
}

fn plain(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_string())
        .into_response()
}

fn when(ms: Option<i64>) -> String {
    ms.map(|t| domain::time::long_datetime(t, domain::Lang::Id))
        .unwrap_or_else(|| "tidak diketahui".into())
}

fn yes_no(b: bool) -> &'static str {
    if b { "Ya" } else { "Tidak" }
}

fn status_now_text(s: &SignatureCheck) -> String {
    let reason = s.revoked_reason.map(|r| format!(" ({})", r.label())).unwrap_or_default();
    match s.status_now.as_str() {
        "aktif" => "AKTIF".into(),
        "dicabut" => format!("DICABUT{reason} sejak {}", when(s.revoked_ms)),
        "kedaluwarsa" => "KEDALUWARSA".into(),
        "tidak_diperiksa" => "tidak diperiksa".into(),
        _ => "TIDAK DIKENAL (bukan dari otoritas sertifikat instalasi ini)".into(),
    }
}

/// The sentence about the certificate, e.g. "Sertifikat saat ini DICABUT (...), tetapi SAH pada
/// saat penandatanganan".
fn certificate_sentence(s: &SignatureCheck) -> String {
    let then = if s.valid_at_signing {
        "SAH pada saat penandatanganan"
    } else {
        "TIDAK SAH pada saat penandatanganan"
    };
    match s.status_now.as_str() {
        "aktif" => format!("Sertifikat saat ini AKTIF dan {then}."),
        _ if s.valid_at_signing => {
            format!("Sertifikat saat ini {}, tetapi {then}.", status_now_text(s))
        }
        _ => format!("Sertifikat saat ini {}; {then}.", status_now_text(s)),
    }
}

fn signature_facts(s: &SignatureCheck) -> String {
    let mut o = String::from("<dl class=\"facts\">");
    let mut row = |k: &str, v: &str| o.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(v)));
    row("Penanda tangan", &s.signer_name);
    if !s.signer_nip.is_empty() {
        row("NIP", &s.signer_nip);
    }
    row("Jabatan", &s.signer_position);
    row("OPD", &s.signer_opd);
    row(
        "Waktu penandatanganan",
        &format!(
            "{}{}",
            when(s.signed_ms),
            if s.timestamped {
                " (stempel waktu tepercaya)"
            } else {
                " (menurut penanda tangan; tanpa stempel waktu tepercaya)"
            }
        ),
    );
    row("Penerbit sertifikat", &s.issuer);
    row("Nomor seri sertifikat", &s.serial_hex);
    row("Tanda tangan utuh", yes_no(s.intact));
    row("Sertifikat tepercaya", yes_no(s.trusted));
    row("Status sertifikat", &certificate_sentence(s));
    o.push_str("</dl>");
    if !s.problems.is_empty() {
        o.push_str("<p>Catatan pemeriksaan (bahasa Inggris):</p><ul class=\"errors\">");
        for p in &s.problems {
            o.push_str(&format!("<li>{}</li>", esc(p)));
        }
        o.push_str("</ul>");
    }
    o
}

fn banner(ok: bool, title: &str, text: &str) -> String {
    format!(
        "<div class=\"alert {}\" role=\"status\"><p><strong>{}</strong></p><p>{}</p></div>",
        if ok { "alert-ok" } else { "alert-error" },
        esc(title),
        esc(text)
    )
}

// --- Verification page of a document (the QR code) -------------------------------------------

fn document_html(d: &PublicDocument) -> String {
    let mut o = String::from("<h1>Verifikasi Dokumen Elektronik</h1>");
    let all_ok = !d.signatures.is_empty()
        && d.signatures.iter().all(|s| s.intact && s.trusted && s.valid_at_signing);
    // A finished document can be downloaded; one waiting for a co-signature or cancelled cannot.
    let finished = d.voided.is_none() && d.pending_signers.is_empty();
    if let Some(reason) = &d.voided {
        o.push_str(&banner(
            false,
            "DIBATALKAN",
            &format!("Penandatanganan dokumen ini dibatalkan sebelum semua penanda tangan membubuhkan tanda tangan elektronik, sehingga dokumen ini dan nomornya tidak berlaku. {reason}"),
        ));
    } else if !d.pending_signers.is_empty() {
        o.push_str(&format!(
            "<div class=\"alert alert-info\" role=\"status\"><p><strong>BELUM LENGKAP — menunggu tanda tangan elektronik kedua</strong></p>\
             <p>Dokumen ini belum berlaku: masih menunggu tanda tangan elektronik {}. Tanda tangan yang sudah dibubuhkan tercantum di bawah.</p></div>",
            esc(&d.pending_signers.join(", "))
        ));
    } else if d.signatures.is_empty() {
        o.push_str(&format!(
            "<div class=\"alert alert-info\" role=\"status\"><p><strong>TERDAFTAR — tanpa tanda tangan elektronik</strong></p>\
             <p>Dokumen ini diterbitkan melalui e-Office {} dan disetujui penanda tangan tanpa sertifikat elektronik.</p></div>",
            esc(&d.opd_name)
        ));
    } else if all_ok {
        o.push_str(&banner(true, "SAH", "Dokumen ini asli: diterbitkan oleh e-Office ini, tanda tangan elektroniknya utuh dan sertifikatnya berlaku pada saat penandatanganan."));
    } else {
        o.push_str(&banner(false, "TIDAK SAH", "Tanda tangan elektronik dokumen ini tidak dapat dipastikan keabsahannya. Lihat rinciannya di bawah."));
    }
    o.push_str("<section class=\"card\"><h2>Dokumen</h2><dl class=\"facts\">");
    let mut row = |k: &str, v: &str| o.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(v)));
    row("ID dokumen", &d.public_id);
    if d.confidential {
        row("Sifat", "Rahasia — isi dan nomor surat tidak ditampilkan");
    } else {
        row("Nomor", &d.number);
        row("Hal", &d.subject);
    }
    row("OPD", &d.opd_name);
    row("Penanda tangan", &d.signer_name);
    row("Jabatan", &d.signer_position);
    row("Waktu penandatanganan", &when(Some(d.signed_ms)));
    // Co-signers, in the order they signed, and any still expected.
    for (i, s) in d.signatures.iter().enumerate().skip(1) {
        let label = if i == 1 {
            "Penanda tangan kedua".to_string()
        } else {
            format!("Penanda tangan ke-{}", i + 1)
        };
        row(&label, &format!("{}, {} — {}", s.signer_name, s.signer_position, s.signer_opd));
    }
    for p in &d.pending_signers {
        row("Menunggu tanda tangan", p);
    }
    if !d.issuer.is_empty() {
        row("Penerbit sertifikat", &d.issuer);
    }
    o.push_str(&format!("<dt>SHA-256 berkas</dt><dd class=\"mono\">{}</dd></dl>", esc(&d.sha256)));
    if d.downloadable && finished {
        o.push_str(&format!(
            "<p><a class=\"btn\" href=\"/verifikasi/{}/pdf\">Unduh PDF yang ditandatangani</a></p>",
            esc(&d.public_id)
        ));
    }
    o.push_str("</section>");
    // Every signer is shown, also on confidential letters: who signed is not the letter's content.
    for (i, s) in d.signatures.iter().enumerate() {
        o.push_str(&format!(
            "<section class=\"card\"><h2>Tanda tangan {}</h2>{}</section>",
            i + 1,
            signature_facts(s)
        ));
    }
    o.push_str(
        "<p class=\"muted\">Untuk memastikan berkas yang Anda terima sama dengan dokumen ini, unggah berkasnya di \
         <a href=\"/verifikasi\">halaman pemeriksaan</a> atau bandingkan SHA-256-nya.</p>",
    );
    o
}

async fn document_page(State(st): State<AppState>, Path(public_id): Path<String>) -> Response {
    match st.store.public_document(&public_id).await {
        Ok(Some(d)) => html(StatusCode::OK, "Verifikasi dokumen", &document_html(&d)),
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            "Dokumen tidak ditemukan",
            "<h1>Dokumen tidak ditemukan</h1><div class=\"alert alert-error\" role=\"status\"><p><strong>TIDAK TERDAFTAR</strong></p>\
             <p>Kode verifikasi ini tidak terdaftar di e-Office ini. Pastikan Anda memindai kode QR dari dokumen aslinya, \
             atau unggah berkas PDF-nya untuk diperiksa.</p></div>",
        ),
        Err(e) => html(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "Kesalahan",
            &format!("<h1>Kesalahan</h1><p>{}</p>", esc(&e.user_message())),
        ),
    }
}

async fn document_pdf(State(st): State<AppState>, Path(public_id): Path<String>) -> Response {
    match st.store.public_document_pdf(&public_id).await {
        Ok(Some(pdf)) => {
            let name: String = public_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"dokumen-{name}.pdf\""),
                    ),
                ],
                pdf,
            )
                .into_response()
        }
        Ok(None) => plain(
            StatusCode::NOT_FOUND,
            "Dokumen tidak ditemukan atau tidak dapat diunduh (dokumen rahasia).",
        ),
        Err(e) => plain(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            &e.user_message(),
        ),
    }
}

// --- Upload form -------------------------------------------------------------------------------

const FORM: &str = "<form class=\"form card\" method=\"post\" action=\"/verifikasi\" enctype=\"multipart/form-data\">\
    <label for=\"berkas\">Berkas PDF (maks. 15 MB)</label>\
    <input id=\"berkas\" name=\"file\" type=\"file\" accept=\"application/pdf,.pdf\" required>\
    <p><button class=\"btn btn-primary\" type=\"submit\">Periksa keabsahan</button></p></form>";

async fn upload_form() -> Response {
    html(
        StatusCode::OK,
        "Periksa dokumen",
        &format!(
            "<h1>Periksa Keabsahan Dokumen</h1><p>Unggah berkas PDF yang ditandatangani secara elektronik. Hasilnya menyebutkan siapa \
             penanda tangannya, apakah tanda tangannya utuh, apakah berkas diubah setelah ditandatangani, dan apakah berkas ini sama \
             dengan dokumen yang diterbitkan e-Office ini. Berkas tidak disimpan.</p>{FORM}"
        ),
    )
}

fn report_html(r: &VerifyReport) -> String {
    let mut o = String::from("<h1>Hasil Pemeriksaan</h1>");
    let title = match r.outcome {
        VerifyOutcome::Valid => "SAH",
        VerifyOutcome::Invalid => "TIDAK SAH",
        VerifyOutcome::NoSignature => "TIDAK BERTANDA TANGAN",
        VerifyOutcome::NotPdf => "BUKAN PDF",
    };
    o.push_str(&format!(
        "<div class=\"alert {}\" role=\"status\"><p><strong>{}</strong></p><p>{}</p><p class=\"small\" lang=\"en\">{}</p></div>",
        if r.outcome == VerifyOutcome::Valid { "alert-ok" } else { "alert-error" },
        title,
        esc(&r.message_id),
        esc(&r.message_en)
    ));
    o.push_str("<section class=\"card\"><h2>Berkas</h2><dl class=\"facts\">");
    o.push_str(&format!("<dt>SHA-256</dt><dd class=\"mono\">{}</dd>", esc(&r.sha256)));
    if !r.signatures.is_empty() {
        o.push_str(&format!(
            "<dt>Diubah setelah ditandatangani</dt><dd>{}</dd>",
            yes_no(r.modified_after_signing)
        ));
    }
    o.push_str(&format!(
        "<dt>Diterbitkan e-Office ini</dt><dd>{}</dd></dl>",
        match &r.public_id {
            Some(id) => format!(
                "Ya — sama persis dengan <a href=\"/verifikasi/{0}\">dokumen {0}</a>",
                esc(id)
            ),
            None => "Tidak ditemukan berkas yang sama persis".into(),
        }
    ));
    o.push_str("</section>");
    for (i, s) in r.signatures.iter().enumerate() {
        o.push_str(&format!(
            "<section class=\"card\"><h2>Tanda tangan {}</h2>{}</section>",
            i + 1,
            signature_facts(s)
        ));
    }
    o.push_str(&format!("<h2>Periksa berkas lain</h2>{FORM}"));
    o
}

/// The `file` part of a multipart/form-data body (or the first part with a file name).
pub fn multipart_file<'a>(content_type: &str, body: &'a [u8]) -> Option<&'a [u8]> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    if boundary.is_empty() || boundary.len() > 200 {
        return None;
    }
    let delim = format!("--{boundary}");
    let d = delim.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(p) = find(&body[i..], d) {
        starts.push(i + p);
        i += p + d.len();
    }
    let mut fallback = None;
    for w in starts.windows(2) {
        let part = &body[w[0] + d.len()..w[1]];
        let Some(h) = find(part, b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&part[..h]).to_ascii_lowercase();
        let mut value = &part[h + 4..];
        if value.ends_with(b"\r\n") {
            value = &value[..value.len() - 2];
        }
        if head.contains("name=\"file\"") {
            return Some(value);
        }
        if fallback.is_none() && head.contains("filename=") {
            fallback = Some(value);
        }
    }
    fallback
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn content_type(h: &HeaderMap) -> &str {
    h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
}

async fn upload_check(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ct = content_type(&headers);
    let Some(file) =
        (if ct.starts_with("multipart/form-data") { multipart_file(ct, &body) } else { None })
    else {
        return html(
            StatusCode::BAD_REQUEST,
            "Periksa dokumen",
            &format!(
                "<h1>Periksa Keabsahan Dokumen</h1>{}{FORM}",
                banner(
                    false,
                    "Berkas belum dipilih",
                    "Pilih berkas PDF lalu tekan Periksa keabsahan."
                )
            ),
        );
    };
    match st.store.verify_upload(file).await {
        Ok(r) => html(StatusCode::OK, "Hasil pemeriksaan", &report_html(&r)),
        Err(e) => html(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "Kesalahan",
            &format!("<h1>Kesalahan</h1><p>{}</p>", esc(&e.user_message())),
        ),
    }
}

/// JSON for machines: the body is the PDF itself, or multipart/form-data with a `file` part.
/// `outcome` is one of "valid", "invalid", "no_signature", "not_pdf".
async fn api_verify(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let ct = content_type(&headers);
    let file: &[u8] = if ct.starts_with("multipart/form-data") {
        multipart_file(ct, &body).unwrap_or(&[])
    } else {
        &body
    };
    match st.store.verify_upload(file).await {
        Ok(r) => axum::Json(r).into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            axum::Json(serde_json::json!({ "error": e.user_message() })),
        )
            .into_response(),
    }
}

// --- CA publication and TSA --------------------------------------------------------------------

async fn installation(st: &AppState) -> Result<String, Response> {
    match st.store.installation_pemda().await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(plain(StatusCode::NOT_FOUND, "Otoritas sertifikat (PKI) belum dibuat.")),
        Err(e) => Err(plain(StatusCode::INTERNAL_SERVER_ERROR, &e.user_message())),
    }
}

/// The CRL of the first generation of the issuing CA (the address in its certificates).
async fn crl(State(st): State<AppState>) -> Response {
    crl_response(&st, 1).await
}

/// The CRL of a later generation (after `eoffice pki renew-ca`), e.g. `/pki/crl/2`.
async fn crl_of_generation(
    State(st): State<AppState>,
    axum::extract::Path(generation): axum::extract::Path<String>,
) -> Response {
    match generation.parse::<i64>() {
        Ok(g) if g >= 1 => crl_response(&st, g).await,
        _ => plain(StatusCode::NOT_FOUND, "CRL tidak ditemukan."),
    }
}

async fn crl_response(st: &AppState, generation: i64) -> Response {
    let pemda = match installation(st).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match st.store.crl_der(&pemda, generation).await {
        Ok(None) => plain(StatusCode::NOT_FOUND, "CRL tidak ditemukan."),
        Ok(Some(der)) => (
            [
                (header::CONTENT_TYPE, "application/pkix-crl"),
                (header::CACHE_CONTROL, "public, max-age=60"),
            ],
            der,
        )
            .into_response(),
        Err(e) => plain(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            &e.user_message(),
        ),
    }
}

async fn root_pem(State(st): State<AppState>) -> Response {
    let pemda = match installation(&st).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match st.store.root_pem(&pemda).await {
        Ok(pem) => (
            [
                (header::CONTENT_TYPE, "application/x-pem-file"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            pem,
        )
            .into_response(),
        Err(e) => plain(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            &e.user_message(),
        ),
    }
}

/// RFC 3161 over HTTP: `application/timestamp-query` in, `application/timestamp-reply` out.
async fn tsa(State(st): State<AppState>, body: Bytes) -> Response {
    if body.len() > TSA_BODY_LIMIT {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "Permintaan stempel waktu terlalu besar.");
    }
    let pemda = match installation(&st).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match st.store.tsa_reply(&pemda, &body).await {
        Ok(der) => ([(header::CONTENT_TYPE, "application/timestamp-reply")], der).into_response(),
        Err(e) => plain(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            &e.user_message(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revoked_signature() -> SignatureCheck {
        SignatureCheck {
            signer_name: "Drs. <Bambang>".into(),
            signer_nip: "197203151998031004".into(),
            signer_position: "Kepala Dinas".into(),
            signer_opd: "Dinas Kominfo".into(),
            issuer: "Issuing CA e-Office Kabupaten Bojonegoro".into(),
            serial_hex: "0a".into(),
            signed_ms: Some(1_795_000_000_000),
            timestamped: true,
            intact: true,
            trusted: true,
            status_now: "dicabut".into(),
            valid_at_signing: true,
            revoked_ms: Some(1_796_000_000_000),
            revoked_reason: Some(domain::tte::RevocationReason::KeyCompromise),
            problems: vec![],
        }
    }

    #[test]
    fn document_page_says_revoked_now_but_valid_then() {
        let d = PublicDocument {
            public_id: "AbC".into(),
            confidential: false,
            downloadable: true,
            subject: "Undangan <rapat>".into(),
            number: "000/1/412/2026".into(),
            opd_name: "Dinas Kominfo".into(),
            signer_name: "Drs. <Bambang>".into(),
            signer_position: "Kepala Dinas".into(),
            signed_ms: 1_795_000_000_000,
            issuer: "Issuing CA".into(),
            signer_kind: "local-ca".into(),
            sha256: "ab".repeat(32),
            signatures: vec![revoked_signature()],
            pending_signers: vec![],
            voided: None,
        };
        let h = document_html(&d);
        assert!(h.contains("<strong>SAH</strong>"), "{h}");
        assert!(
            h.contains("Sertifikat saat ini DICABUT (Passphrase lupa atau kunci bocor) sejak"),
            "{h}"
        );
        assert!(h.contains("tetapi SAH pada saat penandatanganan"), "{h}");
        assert!(h.contains("Undangan &lt;rapat&gt;") && !h.contains("<Bambang>"), "escaped");
        assert!(h.contains("/verifikasi/AbC/pdf"));
        assert!(h.contains("WIB"));
        // Confidential: no subject, no number, no download.
        let secret = PublicDocument {
            confidential: true,
            downloadable: false,
            subject: String::new(),
            number: String::new(),
            ..d.clone()
        };
        let h = document_html(&secret);
        assert!(
            !h.contains("/pdf\"") && !h.contains("000/1/412/2026") && h.contains("Rahasia"),
            "{h}"
        );
        // Terbatas: named and judged, but not downloadable by whoever holds the link.
        let limited = PublicDocument { downloadable: false, ..d.clone() };
        let h = document_html(&limited);
        assert!(!h.contains("/pdf\"") && h.contains("000/1/412/2026"), "{h}");
    }

    #[test]
    fn co_signed_pending_and_cancelled_documents() {
        let mut second = revoked_signature();
        second.signer_name = "Dr. Ir. Suharto Wijaya, M.P.".into();
        second.signer_position = "Kepala Badan Perencanaan Pembangunan Daerah".into();
        second.signer_opd = "Bappeda".into();
        second.status_now = "aktif".into();
        second.revoked_ms = None;
        second.revoked_reason = None;
        let d = PublicDocument {
            public_id: "CoSign".into(),
            confidential: false,
            downloadable: true,
            subject: "Nota kesepakatan".into(),
            number: "000/2/412/2026".into(),
            opd_name: "Dinas Kominfo".into(),
            signer_name: "Drs. Bambang".into(),
            signer_position: "Kepala Dinas".into(),
            signed_ms: 1_795_000_000_000,
            issuer: "Issuing CA".into(),
            signer_kind: "local-ca".into(),
            sha256: "cd".repeat(32),
            signatures: vec![revoked_signature(), second],
            pending_signers: vec![],
            voided: None,
        };
        let h = document_html(&d);
        assert!(
            h.contains("<strong>SAH</strong>")
                && h.contains("Tanda tangan 1")
                && h.contains("Tanda tangan 2"),
            "{h}"
        );
        assert!(
            h.contains("Penanda tangan kedua")
                && h.contains("Suharto Wijaya")
                && h.contains("/verifikasi/CoSign/pdf"),
            "{h}"
        );
        // Between the two signatures: not complete, no download.
        let pending = PublicDocument {
            signatures: vec![revoked_signature()],
            pending_signers: vec!["Kepala Bappeda (Dr. Ir. Suharto Wijaya, M.P.)".into()],
            ..d.clone()
        };
        let h = document_html(&pending);
        assert!(
            h.contains("BELUM LENGKAP")
                && h.contains("Menunggu tanda tangan")
                && !h.contains("/pdf\""),
            "{h}"
        );
        assert!(!h.contains("<strong>SAH</strong>"), "{h}");
        // Cancelled: says so, no download.
        let void = PublicDocument {
            voided: Some("Ditolak penanda tangan kedua: data belum sesuai".into()),
            ..pending
        };
        let h = document_html(&void);
        assert!(
            h.contains("DIBATALKAN") && h.contains("data belum sesuai") && !h.contains("/pdf\""),
            "{h}"
        );
    }

    #[test]
    fn escaping_and_multipart() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\nxx\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_file("multipart/form-data; boundary=XyZ", body),
            Some(&b"%PDF-1.7\r\nxx"[..])
        );
        assert_eq!(
            multipart_file("multipart/form-data; boundary=\"XyZ\"", body),
            Some(&b"%PDF-1.7\r\nxx"[..])
        );
        assert_eq!(multipart_file("multipart/form-data", body), None);
        assert_eq!(multipart_file("multipart/form-data; boundary=Q", b"garbage"), None);
    }
}
