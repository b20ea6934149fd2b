//! Verification of signed PDFs. [`verify_pdf`] never panics, whatever the input.
//!
//! For each signature field it checks: the /ByteRange layout (starts at 0, the gap is exactly the
//! /Contents hex string of that signature dictionary, strict lowercase-or-uppercase hex, zero padding
//! only), the SHA-256 digest over the range against the message-digest attribute, the ECDSA signature
//! over the signed attributes, the signing-certificate-v2 binding, the CMS structure (versions,
//! algorithms, content type), the certificate chain up to a given trust anchor (signatures, validity at
//! the signing time, CA flags; every certificate embedded in the signature must be on that path or be a
//! trust anchor), and the RFC 3161 signature time stamp if present.
//!
//! **Rule for documents with several signatures** (decided here, documented for callers): the document
//! is `Valid` when every signature is intact and trusted, the *last* signature covers the whole file
//! (its byte range ends at end of file), and everything appended after each earlier signature is only
//! signature bookkeeping: new objects, the catalog changed only in /AcroForm (plus /Extensions, /Version
//! and /DSS, which other signers such as pyHanko add), the AcroForm changed only
//! in /Fields (old fields kept, added fields are signature fields) and /SigFlags, pages changed only in
//! /Annots (old annotations kept, added ones are signature widgets), empty signature fields filled, and
//! document metadata (the XMP /Metadata stream, the /Info dictionary) updated, as pyHanko does.
//! Any other change, any bytes after the last signature, a replaced /Root or /Info, or a deleted object
//! makes the verdict "changed after signing". (pdfsig reports the earlier signatures of such a file as
//! "Not total document signed"; that is expected.)
//!
//! Revocation is the caller's job: each report carries the certificate serial and issuer.

use std::collections::HashMap;
use std::time::SystemTime;

use der::Encode;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::asn1::{self, ID_AA_SIGNATURE_TIMESTAMP_TOKEN, ID_DATA};
use crate::cms;
use crate::pdf::{self, Dict, Doc, Entry, Obj, obj_eq};
use crate::pki::{SubjectFields, subject_fields};
use crate::tsa::{self, TimestampReport};

/// Overall verdict.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Overall {
    /// Every signature intact and trusted, nothing changed after signing (see the module rule).
    Valid,
    /// Something failed; the reason in Bahasa Indonesia and English.
    Invalid {
        /// Alasan (Bahasa Indonesia).
        reason_id: String,
        /// Reason (English).
        reason_en: String,
    },
    /// A readable PDF without signatures.
    NoSignature,
    /// Not a PDF.
    NotPdf,
}

/// Report for one signature.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignatureReport {
    /// Field name (/T).
    pub field_name: Option<String>,
    /// /SubFilter.
    pub sub_filter: Option<String>,
    /// Signer subject fields (CN = name, serialNumber = NIP, title = position, OU = OPD, O = pemda).
    pub signer: SubjectFields,
    /// Signer subject as an RFC 4514 string.
    pub signer_subject: Option<String>,
    /// Issuer of the signer certificate (RFC 4514 string), for revocation look-up.
    pub issuer: Option<String>,
    /// Serial number of the signer certificate, lowercase hex, for revocation look-up.
    pub serial_hex: Option<String>,
    /// SHA-256 of the signer certificate DER, hex.
    pub cert_sha256: Option<String>,
    /// Certificate validity, unix seconds.
    pub cert_not_before_unix: Option<i64>,
    /// Certificate validity, unix seconds.
    pub cert_not_after_unix: Option<i64>,
    /// /M as written.
    pub claimed_time_raw: Option<String>,
    /// /M parsed, unix seconds.
    pub claimed_time_unix: Option<i64>,
    /// Time used to check the certificate: the time-stamp genTime when valid, else /M.
    pub validation_time_unix: Option<i64>,
    /// The signature time stamp, if any.
    pub timestamp: Option<TimestampReport>,
    /// /ByteRange.
    pub byte_range: Vec<u64>,
    /// Digest over the byte range matches and the signature verifies with the certificate's key.
    pub intact: bool,
    /// The certificate chains to a given trust anchor, valid at the validation time.
    pub chain_trusted: bool,
    /// The byte range ends at the end of the file.
    pub covers_whole_file: bool,
    /// Bytes were appended after this signature's range.
    pub modified_after: bool,
    /// Everything appended after this signature is signature bookkeeping only and is itself covered by
    /// the last signature (true when nothing was appended).
    pub later_changes_allowed: bool,
    /// What is wrong (English), empty when all is well.
    pub problems: Vec<String>,
}

/// The verification result.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    /// The input starts like a PDF.
    pub is_pdf: bool,
    /// SHA-256 of the whole file, hex.
    pub file_sha256: String,
    /// File size in bytes.
    pub file_len: u64,
    /// Signatures in file order (by end of byte range).
    pub signatures: Vec<SignatureReport>,
    /// Overall verdict.
    pub overall: Overall,
}

impl Verdict {
    /// True when the overall verdict is [`Overall::Valid`].
    pub fn is_valid(&self) -> bool {
        self.overall == Overall::Valid
    }
}

fn invalid(id: &str, en: &str) -> Overall {
    Overall::Invalid { reason_id: id.to_string(), reason_en: en.to_string() }
}

/// Verifies every signature of `pdf` against `trust_anchors` (the installation's root CA). Never panics.
pub fn verify_pdf(pdf: &[u8], trust_anchors: &[Certificate]) -> Verdict {
    let file_sha256 = hex::encode(Sha256::digest(pdf));
    match std::panic::catch_unwind(|| verify_pdf_inner(pdf, trust_anchors)) {
        Ok(v) => v,
        Err(_) => Verdict {
            is_pdf: is_pdf(pdf),
            file_sha256,
            file_len: pdf.len() as u64,
            signatures: vec![],
            overall: invalid("Berkas tidak dapat diperiksa", "The file could not be checked"),
        },
    }
}

fn is_pdf(d: &[u8]) -> bool {
    d.get(..1024.min(d.len())).unwrap_or_default().windows(5).any(|w| w == b"%PDF-")
}

/// The verification without the panic guard (tests call this to prove there is nothing to catch).
#[doc(hidden)]
pub fn verify_pdf_inner(pdf: &[u8], anchors: &[Certificate]) -> Verdict {
    let mut v = Verdict {
        is_pdf: is_pdf(pdf),
        file_sha256: hex::encode(Sha256::digest(pdf)),
        file_len: pdf.len() as u64,
        signatures: vec![],
        overall: Overall::NotPdf,
    };
    if !v.is_pdf {
        return v;
    }
    let doc = match Doc::parse(pdf) {
        Ok(d) => d,
        Err(e) => {
            v.overall = invalid(
                &format!("Struktur PDF rusak atau tidak didukung ({e})"),
                &format!("The PDF structure is damaged or unsupported ({e})"),
            );
            return v;
        }
    };
    let fields = match signature_fields(&doc) {
        Ok(f) => f,
        Err(e) => {
            v.overall = invalid(
                &format!("Struktur PDF rusak ({e})"),
                &format!("The PDF structure is damaged ({e})"),
            );
            return v;
        }
    };
    if fields.is_empty() {
        v.overall = Overall::NoSignature;
        return v;
    }
    let mut reports: Vec<SignatureReport> = fields
        .iter()
        .map(|(name, sig)| check_signature(&doc, name.clone(), sig, anchors))
        .collect();
    reports.sort_by_key(|r| {
        r.byte_range
            .get(2)
            .copied()
            .unwrap_or(0)
            .saturating_add(r.byte_range.get(3).copied().unwrap_or(0))
    });
    reports.dedup_by(|a, b| a.byte_range == b.byte_range && !a.byte_range.is_empty());
    let last_covers_all = reports.last().is_some_and(|r| r.covers_whole_file);
    for r in reports.iter_mut() {
        if r.modified_after && r.byte_range.len() == 4 {
            let end = usize::try_from(r.byte_range[2].saturating_add(r.byte_range[3]))
                .unwrap_or(usize::MAX);
            if !last_covers_all {
                r.later_changes_allowed = false;
                r.problems.push("changed after signing: bytes after the last signature".into());
                continue;
            }
            match check_later_changes(&doc, end) {
                Ok(()) => r.later_changes_allowed = true,
                Err(e) => {
                    r.later_changes_allowed = false;
                    r.problems.push(format!("changed after signing: {e}"));
                }
            }
        }
    }
    v.overall = overall(&reports);
    v.signatures = reports;
    v
}

fn overall(reports: &[SignatureReport]) -> Overall {
    if reports.iter().any(|r| !r.intact) {
        return invalid(
            "Tanda tangan tidak utuh: isi dokumen atau tanda tangan telah diubah",
            "A signature is not intact: the document or the signature was changed",
        );
    }
    if reports.iter().any(|r| r.timestamp.as_ref().is_some_and(|t| !t.valid)) {
        return invalid("Stempel waktu tidak sah", "The signature time stamp is not valid");
    }
    if reports.iter().any(|r| !r.chain_trusted) {
        return invalid(
            "Sertifikat penanda tangan tidak dipercaya atau tidak berlaku saat penandatanganan",
            "The signer certificate is not trusted or was not valid at signing time",
        );
    }
    if !reports.last().is_some_and(|r| r.covers_whole_file)
        || reports.iter().any(|r| !r.later_changes_allowed)
    {
        return invalid(
            "Dokumen diubah setelah ditandatangani",
            "The document was changed after it was signed",
        );
    }
    if let Some(p) = reports.iter().flat_map(|r| r.problems.iter()).next() {
        return invalid(
            &format!("Tanda tangan tidak sah ({p})"),
            &format!("Invalid signature ({p})"),
        );
    }
    Overall::Valid
}

/// Collects (field name, signature value) of all signature fields reachable from the AcroForm.
fn signature_fields(doc: &Doc<'_>) -> Result<Vec<(Option<String>, Obj)>, String> {
    let root = doc.trailer.get(b"Root").and_then(Obj::as_ref).ok_or("/Root missing")?;
    let cat = doc.get(root.0)?;
    let cat = cat.as_dict().ok_or("catalog is not a dictionary")?;
    let Some(af) = cat.get(b"AcroForm") else {
        return Ok(vec![]);
    };
    let af = doc.resolve(af)?;
    let Some(af) = af.as_dict() else {
        return Ok(vec![]);
    };
    let Some(fields) = af.get(b"Fields") else {
        return Ok(vec![]);
    };
    let Obj::Array(fields) = doc.resolve(fields)? else {
        return Ok(vec![]);
    };
    let mut out = Vec::new();
    let mut budget = 10_000usize;
    for f in &fields {
        collect_fields(doc, f, None, 0, &mut budget, &mut out)?;
    }
    Ok(out)
}

fn collect_fields(
    doc: &Doc<'_>,
    f: &Obj,
    inherited_ft: Option<Vec<u8>>,
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<(Option<String>, Obj)>,
) -> Result<(), String> {
    if depth > 32 || *budget == 0 {
        return Err("field tree too deep or too large".into());
    }
    *budget -= 1;
    let o = doc.resolve(f)?;
    let Some(d) = o.as_dict() else { return Ok(()) };
    let ft = d.name(b"FT").map(<[u8]>::to_vec).or(inherited_ft);
    if let Some(Obj::Array(kids)) = d.get(b"Kids").map(|k| doc.resolve(k)).transpose()? {
        for k in &kids {
            collect_fields(doc, k, ft.clone(), depth + 1, budget, out)?;
        }
    }
    if ft.as_deref() == Some(b"Sig")
        && let Some(v) = d.get(b"V")
    {
        let name = match d.get(b"T") {
            Some(Obj::Str(t, _)) => Some(pdf::decode_text(t)),
            _ => None,
        };
        let sig = doc.resolve(v)?;
        if sig.as_dict().is_some() {
            out.push((name, sig));
        }
    }
    Ok(())
}

fn string_of(d: &Dict, k: &[u8]) -> Option<String> {
    match d.get(k) {
        Some(Obj::Str(s, _)) => Some(pdf::decode_text(s)),
        _ => None,
    }
}

/// Parses a PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (trailing parts optional) to unix seconds.
pub fn parse_pdf_date(s: &str) -> Option<i64> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let b = s.as_bytes();
    let num = |from: usize, len: usize, default: u32| -> Option<u32> {
        match b.get(from..from + len) {
            Some(x) if x.iter().all(u8::is_ascii_digit) => {
                std::str::from_utf8(x).ok()?.parse().ok()
            }
            Some(_) => None,
            None => Some(default),
        }
    };
    let year = num(0, 4, 0)?;
    if b.len() < 4 {
        return None;
    }
    let month = num(4, 2, 1)?;
    let day = num(6, 2, 1)?;
    let hour = num(8, 2, 0)?;
    let min = num(10, 2, 0)?;
    let sec = num(12, 2, 0)?;
    let mut offset: i64 = 0;
    if let Some(&sign) = b.get(14)
        && (sign == b'+' || sign == b'-')
    {
        let oh = num(15, 2, 0)? as i64;
        let om = if b.get(17) == Some(&b'\'') { num(18, 2, 0)? as i64 } else { 0 };
        offset = (oh * 3600 + om * 60) * if sign == b'-' { -1 } else { 1 };
    }
    let dt = der::DateTime::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        u8::try_from(hour).ok()?,
        u8::try_from(min).ok()?,
        u8::try_from(sec.min(59)).ok()?,
    )
    .ok()?;
    Some(dt.unix_duration().as_secs() as i64 - offset)
}

/// Strictly decodes the /Contents gap: `<` hex digits `>`, no whitespace, one letter case, even length,
/// DER followed by zero padding only. Returns the DER.
fn contents_der(gap: &[u8]) -> Result<Vec<u8>, String> {
    let inner = gap
        .strip_prefix(b"<")
        .and_then(|g| g.strip_suffix(b">"))
        .ok_or("the /ByteRange gap is not a hex string")?;
    if inner.len() % 2 != 0 || inner.is_empty() {
        return Err("/Contents has an odd or zero number of hex digits".into());
    }
    let has_lower = inner.iter().any(|c| matches!(c, b'a'..=b'f'));
    let has_upper = inner.iter().any(|c| matches!(c, b'A'..=b'F'));
    if has_lower && has_upper {
        return Err("/Contents mixes upper- and lowercase hex digits".into());
    }
    let bytes = hex::decode(inner).map_err(|_| "/Contents is not pure hex".to_string())?;
    let len = der_total_len(&bytes).ok_or("/Contents does not hold a DER structure")?;
    if bytes[len..].iter().any(|&b| b != 0) {
        return Err("non-zero bytes after the CMS structure in /Contents".into());
    }
    Ok(bytes[..len].to_vec())
}

/// Total length (header + content) of the first DER TLV (definite lengths only).
fn der_total_len(b: &[u8]) -> Option<usize> {
    if b.first()? & 0x1f == 0x1f {
        return None;
    }
    let l0 = *b.get(1)?;
    let (len, hdr) = if l0 < 0x80 {
        (l0 as usize, 2)
    } else {
        let n = (l0 & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let total = hdr.checked_add(len)?;
    (total <= b.len()).then_some(total)
}

fn check_signature(
    doc: &Doc<'_>,
    field_name: Option<String>,
    sig: &Obj,
    anchors: &[Certificate],
) -> SignatureReport {
    let mut r = SignatureReport { field_name, later_changes_allowed: true, ..Default::default() };
    let Some(d) = sig.as_dict() else {
        r.problems.push("signature value is not a dictionary".into());
        return r;
    };
    let data = doc.data;
    r.sub_filter = d.name(b"SubFilter").map(|n| String::from_utf8_lossy(n).into_owned());
    r.claimed_time_raw = string_of(d, b"M");
    r.claimed_time_unix = r.claimed_time_raw.as_deref().and_then(parse_pdf_date);
    match r.sub_filter.as_deref() {
        Some("ETSI.CAdES.detached") | Some("adbe.pkcs7.detached") => {}
        other => r.problems.push(format!("unsupported /SubFilter {other:?}")),
    }
    // Byte range.
    let br: Vec<u64> = match d.get(b"ByteRange") {
        Some(Obj::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Obj::Int(i) if *i >= 0 => Some(*i as u64),
                _ => None,
            })
            .collect(),
        _ => vec![],
    };
    r.byte_range = br.clone();
    let len = data.len() as u64;
    let layout_ok = br.len() == 4
        && br[0] == 0
        && br[1] < br[2]
        && br[2].checked_add(br[3]).is_some_and(|e| e <= len);
    if !layout_ok {
        r.problems.push("malformed /ByteRange".into());
        return r;
    }
    let (b, c, e) = (br[1] as usize, br[2] as usize, (br[2] + br[3]) as usize);
    r.covers_whole_file = e == data.len();
    r.modified_after = e < data.len();
    match d.get(b"Contents") {
        Some(Obj::Str(_, span)) if *span == (b, c) => {}
        _ => {
            r.problems.push("/ByteRange gap is not this signature's /Contents".into());
            return r;
        }
    }
    let der_bytes = match contents_der(&data[b..c]) {
        Ok(x) => x,
        Err(e) => {
            r.problems.push(e);
            return r;
        }
    };
    let mut h = Sha256::new();
    h.update(&data[..b]);
    h.update(&data[c..e]);
    let digest: [u8; 32] = h.finalize().into();
    let chk = match cms::check_signed_data(&der_bytes, ID_DATA, Some(digest)) {
        Ok(c) => c,
        Err(e) => {
            r.problems.push(e);
            return r;
        }
    };
    if chk.has_signing_time_attr && r.sub_filter.as_deref() == Some("ETSI.CAdES.detached") {
        r.problems.push("signingTime attribute is not allowed in PAdES".into());
    }
    r.problems.extend(chk.problems.iter().cloned());
    r.intact = chk.digest_ok && chk.signature_ok && chk.ess_ok && chk.problems.is_empty();
    if !chk.digest_ok {
        r.problems.push("digest over the byte range does not match".into());
    }
    if !chk.signature_ok {
        r.problems.push("signature does not verify".into());
    }
    if !chk.ess_ok {
        r.problems.push("signing-certificate-v2 does not match the signer certificate".into());
    }
    // Unsigned attributes: only the signature time stamp is expected.
    let mut ts_token = None;
    for a in &chk.unsigned_attrs {
        if a.oid == ID_AA_SIGNATURE_TIMESTAMP_TOKEN && a.values.len() == 1 && ts_token.is_none() {
            ts_token = a.values.iter().next().and_then(|v| v.to_der().ok());
        } else {
            r.problems.push(format!("unexpected unsigned attribute {}", a.oid));
            r.intact = false;
        }
    }
    if let Some(tok) = ts_token {
        let imprint = asn1::sha256(&chk.signature);
        r.timestamp = Some(tsa::verify_token(&tok, &imprint, anchors));
    }
    let Some(cert) = chk.signer_cert.clone() else {
        r.intact = false;
        return r;
    };
    fill_cert_fields(&mut r, &cert);
    // Validation time: trusted time stamp, else the claimed /M.
    let at_unix = match &r.timestamp {
        Some(t) if t.valid => t.gen_time_unix,
        _ => r.claimed_time_unix,
    };
    r.validation_time_unix = at_unix;
    let at = match at_unix {
        Some(s) if s >= 0 => SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(s as u64),
        _ => SystemTime::now(),
    };
    let chain = cms::validate_chain(&cert, &chk.certs, anchors, at);
    r.chain_trusted = chain.trusted;
    if !chain.trusted {
        r.problems.extend(chain.problems.iter().cloned());
        r.problems.push("certificate chain not trusted".into());
    }
    // Every embedded certificate must be on the validated path or be a trust anchor.
    for c in &chk.certs {
        if !chain.path.contains(c) && !anchors.contains(c) {
            r.chain_trusted = false;
            r.problems.push(format!(
                "certificate {} in the signature is not part of its chain",
                c.tbs_certificate.subject
            ));
        }
    }
    if let Ok(Some((_, ku))) = cert.tbs_certificate.get::<x509_cert::ext::pkix::KeyUsage>()
        && !ku.digital_signature()
        && !ku.non_repudiation()
    {
        r.chain_trusted = false;
        r.problems.push("signer certificate key usage does not allow signing".into());
    }
    if cert
        .tbs_certificate
        .get::<x509_cert::ext::pkix::BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, bc)| bc.ca)
    {
        r.chain_trusted = false;
        r.problems.push("signer certificate is a CA certificate".into());
    }
    r
}

fn fill_cert_fields(r: &mut SignatureReport, cert: &Certificate) {
    r.signer = subject_fields(&cert.tbs_certificate.subject);
    r.signer_subject = Some(cert.tbs_certificate.subject.to_string());
    r.issuer = Some(cert.tbs_certificate.issuer.to_string());
    r.serial_hex = Some(hex::encode(cert.tbs_certificate.serial_number.as_bytes()));
    r.cert_sha256 = cert.to_der().ok().map(|d| hex::encode(asn1::sha256(&d)));
    r.cert_not_before_unix =
        Some(cert.tbs_certificate.validity.not_before.to_unix_duration().as_secs() as i64);
    r.cert_not_after_unix =
        Some(cert.tbs_certificate.validity.not_after.to_unix_duration().as_secs() as i64);
}

/// Checks that everything defined after byte `end` is only signature bookkeeping (module rule).
fn check_later_changes(doc: &Doc<'_>, end: usize) -> Result<(), String> {
    let old_map = doc.map_before(end);
    let old_trailer = doc.trailer_before(end).ok_or("no cross-reference before the signature")?;
    let old_root =
        old_trailer.get(b"Root").and_then(Obj::as_ref).ok_or("/Root missing in signed revision")?;
    if doc.trailer.get(b"Root").and_then(Obj::as_ref) != Some(old_root) {
        return Err("document catalog replaced".into());
    }
    let info_old = old_trailer.get(b"Info");
    let info_new = doc.trailer.get(b"Info");
    if info_old.is_some() && info_new.map(|n| info_old.is_some_and(|o| obj_eq(o, n))) != Some(true)
    {
        return Err("document information dictionary replaced".into());
    }
    if doc.trailer.get(b"Encrypt").is_some() {
        return Err("encryption added".into());
    }
    let info_ref = info_old.and_then(Obj::as_ref).map(|r| r.0);
    let old_cat = doc.get_in(&old_map, old_root.0)?;
    let old_af_ref =
        old_cat.as_dict().and_then(|d| d.get(b"AcroForm")).and_then(Obj::as_ref).map(|r| r.0);

    let mut changed: Vec<u32> =
        doc.map.iter().filter(|(n, e)| old_map.get(*n) != Some(*e)).map(|(n, _)| *n).collect();
    changed.sort_unstable();
    if changed.len() > 10_000 {
        return Err("too many changed objects".into());
    }
    for num in changed {
        let old_entry = old_map.get(&num).copied();
        let new_entry = doc.map.get(&num).copied();
        match (old_entry, new_entry) {
            (None, _) | (Some(Entry::Free), _) => continue, // new object: only reachable through checked changes
            (_, Some(Entry::Free)) | (_, None) => return Err(format!("object {num} deleted")),
            _ => {}
        }
        let old = doc.get_in(&old_map, num)?;
        let new = doc.get(num)?;
        if same_object(doc, &old, &new) {
            continue;
        }
        // Document metadata (the XMP stream and the /Info dictionary) may be updated by signers.
        let is_xmp =
            |o: &Obj| matches!(o, Obj::Stream(d, _) if d.name(b"Type") == Some(b"Metadata"));
        if is_xmp(&old) && is_xmp(&new) {
            continue;
        }
        if Some(num) == info_ref && dict_only(&old).is_some() && dict_only(&new).is_some() {
            continue;
        }
        let (Some(od), Some(nd)) = (dict_only(&old), dict_only(&new)) else {
            return Err(format!("object {num} modified"));
        };
        if num == old_root.0 {
            if !od.eq_except(nd, &[b"AcroForm", b"Extensions", b"Version", b"DSS"]) {
                return Err("document catalog modified".into());
            }
            let oaf = od.get(b"AcroForm").map(|a| doc.resolve_in(&old_map, a)).transpose()?;
            let naf = nd.get(b"AcroForm").map(|a| doc.resolve(a)).transpose()?;
            if oaf.is_some() || naf.is_some() {
                check_acroform(
                    doc,
                    &old_map,
                    oaf.as_ref().and_then(Obj::as_dict),
                    naf.as_ref().and_then(Obj::as_dict),
                )?;
            }
        } else if Some(num) == old_af_ref {
            check_acroform(doc, &old_map, Some(od), Some(nd))?;
        } else if od.name(b"Type") == Some(b"Page") {
            if !od.eq_except(nd, &[b"Annots"]) {
                return Err(format!("page object {num} modified"));
            }
            let oa = match od.get(b"Annots") {
                Some(a) => doc.resolve_in(&old_map, a)?,
                None => Obj::Array(vec![]),
            };
            let na = match nd.get(b"Annots") {
                Some(a) => doc.resolve(a)?,
                None => Obj::Array(vec![]),
            };
            let (Obj::Array(oa), Obj::Array(na)) = (oa, na) else {
                return Err(format!("annotations of page {num} modified"));
            };
            let added = added_items(&oa, &na)
                .ok_or_else(|| format!("annotations of page {num} removed"))?;
            for a in added {
                if !is_sig_widget(doc, &a)? {
                    return Err(format!("non-signature annotation added to page {num}"));
                }
            }
        } else if od.name(b"FT") == Some(b"Sig") && od.get(b"V").is_none() {
            // An empty signature field being filled.
            if !od.eq_except(nd, &[b"V", b"AP", b"F"]) {
                return Err(format!("signature field {num} modified"));
            }
        } else {
            return Err(format!("object {num} modified"));
        }
    }
    Ok(())
}

fn dict_only(o: &Obj) -> Option<&Dict> {
    match o {
        Obj::Dict(d) => Some(d),
        _ => None,
    }
}

fn same_object(doc: &Doc<'_>, a: &Obj, b: &Obj) -> bool {
    match (a, b) {
        (Obj::Stream(da, ra), Obj::Stream(db, rb)) => {
            da.eq_except(db, &[])
                && doc.data.get(ra.0..ra.1).is_some()
                && doc.data.get(ra.0..ra.1) == doc.data.get(rb.0..rb.1)
        }
        _ => obj_eq(a, b),
    }
}

/// Items of `new` not in `old`, if `old` is fully kept (in order-insensitive multiset sense).
fn added_items(old: &[Obj], new: &[Obj]) -> Option<Vec<Obj>> {
    let mut rest: Vec<Obj> = new.to_vec();
    for o in old {
        let i = rest.iter().position(|n| obj_eq(o, n))?;
        rest.remove(i);
    }
    Some(rest)
}

fn is_sig_widget(doc: &Doc<'_>, a: &Obj) -> Result<bool, String> {
    let o = doc.resolve(a)?;
    let Some(d) = o.as_dict() else {
        return Ok(false);
    };
    if d.name(b"Subtype") != Some(b"Widget") {
        return Ok(false);
    }
    if d.name(b"FT") == Some(b"Sig") {
        return Ok(true);
    }
    if let Some(p) = d.get(b"Parent") {
        let p = doc.resolve(p)?;
        return Ok(p.as_dict().and_then(|pd| pd.name(b"FT")) == Some(b"Sig"));
    }
    Ok(false)
}

fn check_acroform(
    doc: &Doc<'_>,
    old_map: &HashMap<u32, Entry>,
    old: Option<&Dict>,
    new: Option<&Dict>,
) -> Result<(), String> {
    let Some(new) = new else {
        return Err("form removed".into());
    };
    let empty = Dict::default();
    let old_d = old.unwrap_or(&empty);
    let allowed: &[&[u8]] = if old.is_some() {
        &[b"Fields", b"SigFlags"]
    } else {
        &[b"Fields", b"SigFlags", b"DA", b"DR", b"NeedAppearances"]
    };
    if !old_d.eq_except(new, allowed) {
        return Err("form dictionary modified".into());
    }
    let of = match old_d.get(b"Fields") {
        Some(f) => doc.resolve_in(old_map, f)?,
        None => Obj::Array(vec![]),
    };
    let nf = match new.get(b"Fields") {
        Some(f) => doc.resolve(f)?,
        None => Obj::Array(vec![]),
    };
    let (Obj::Array(of), Obj::Array(nf)) = (of, nf) else {
        return Err("form fields modified".into());
    };
    let added = added_items(&of, &nf).ok_or("form fields removed")?;
    for f in added {
        let o = doc.resolve(&f)?;
        if o.as_dict().and_then(|d| d.name(b"FT")) != Some(b"Sig") {
            return Err("non-signature form field added".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        assert_eq!(parse_pdf_date("D:20231114221320+00'00'"), Some(1_700_000_000));
        assert_eq!(parse_pdf_date("D:20231115051320+07'00'"), Some(1_700_000_000));
        assert_eq!(parse_pdf_date("D:20231114221320Z"), Some(1_700_000_000));
        assert_eq!(parse_pdf_date("D:2023"), Some(1_672_531_200));
        assert_eq!(parse_pdf_date("D:20x3"), None);
        assert_eq!(parse_pdf_date(""), None);
    }

    #[test]
    fn contents_strictness() {
        assert_eq!(contents_der(b"<300100>").unwrap(), vec![0x30, 0x01, 0x00]);
        assert_eq!(contents_der(b"<30010000>").unwrap(), vec![0x30, 0x01, 0x00]);
        assert!(contents_der(b"<30010001>").is_err());
        assert!(contents_der(b"<3001 000>").is_err());
        assert!(contents_der(b"<3001aA00>").is_err());
        assert!(contents_der(b"<300>").is_err());
        assert!(contents_der(b"(3001)").is_err());
        assert!(contents_der(b"<3005>").is_err());
    }

    #[test]
    fn not_pdf_and_no_signature() {
        assert_eq!(verify_pdf(b"hello", &[]).overall, Overall::NotPdf);
        assert!(!verify_pdf(b"", &[]).is_pdf);
        let v = verify_pdf(b"%PDF-1.7\ngarbage", &[]);
        assert!(v.is_pdf);
        assert!(matches!(v.overall, Overall::Invalid { .. }));
    }
}
