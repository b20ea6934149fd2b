//! PAdES signing (ETSI.CAdES.detached, baseline B-B, or B-T with a time stamp) as an incremental update.
//!
//! The update appended to the unchanged original bytes holds: the signature dictionary, a merged signature
//! field + widget annotation, the page with the widget added to /Annots, the catalog (or the AcroForm
//! object) with the field added to /AcroForm /Fields and /SigFlags 3, an (empty) appearance stream for a
//! visible widget, and a cross-reference section of the same kind as the previous one (table or stream)
//! with /Prev. Signing an already signed PDF keeps the earlier fields, so each co-signer adds one update.

use std::time::SystemTime;

use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use crate::asn1::{ID_AA_SIGNATURE_TIMESTAMP_TOKEN, ID_DATA};
use crate::keys::UnlockedKey;
use crate::pdf::{self, Dict, Doc, Obj};
use crate::tsa::{TimestampSource, TsaError};

/// Default capacity of the /Contents placeholder in bytes of DER (the hex string is twice as long).
///
/// Measured: a B-T signature with signer + issuing CA + root certificate and a time-stamp token carrying
/// the TSA and issuing CA certificates is about 4.1 KB of DER; 6 KB leaves room for longer subjects and
/// URLs, and adds 12 KB of hex to each signed file. A foreign TSA with a long RSA chain may need more:
/// signing then fails with [`SignError::PlaceholderTooSmall`] naming the size needed.
pub const DEFAULT_PLACEHOLDER_BYTES: usize = 6 * 1024;

/// Errors of signing.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The input could not be read as a PDF.
    #[error("not a readable PDF: {0}")]
    NotPdf(String),
    /// The PDF uses something this signer does not handle (e.g. encryption).
    #[error("unsupported PDF: {0}")]
    Unsupported(String),
    /// The private key does not belong to the certificate.
    #[error("the key does not match the certificate")]
    KeyMismatch,
    /// The certificate is not valid at the signing time.
    #[error("certificate not valid at the signing time (expired or not yet valid)")]
    CertificateNotValid,
    /// The signature does not fit in the placeholder.
    #[error(
        "signature needs {needed} bytes but the placeholder holds {available}; raise SignOptions::placeholder_bytes"
    )]
    PlaceholderTooSmall {
        /// DER bytes needed.
        needed: usize,
        /// Capacity.
        available: usize,
    },
    /// The page index for the visible signature does not exist.
    #[error("page {0} does not exist")]
    NoSuchPage(usize),
    /// The time-stamp source failed.
    #[error("time stamp: {0}")]
    Timestamp(#[from] TsaError),
    /// Internal error (ASN.1 encoding).
    #[error("internal: {0}")]
    Internal(String),
}

/// Who signs: the unlocked key, its certificate and the CA certificates to embed (the issuing CA; the root
/// may be included too).
pub struct SigningIdentity<'a> {
    /// Unlocked private key.
    pub key: &'a UnlockedKey,
    /// Signer certificate.
    pub cert: Certificate,
    /// Chain certificates to embed (issuing CA first).
    pub chain: Vec<Certificate>,
}

/// Options of [`sign_pdf`].
pub struct SignOptions<'a> {
    /// /Reason
    pub reason: Option<String>,
    /// /Location
    pub location: Option<String>,
    /// /Name (defaults to the certificate CN)
    pub name: Option<String>,
    /// /ContactInfo
    pub contact_info: Option<String>,
    /// Claimed signing time, written to /M (the trusted time comes from the time stamp).
    pub signing_time: SystemTime,
    /// Visible widget: page index (0-based) and rectangle [x1 y1 x2 y2] in PDF points. `None` = invisible
    /// widget on the first page.
    pub visible_rect: Option<(usize, [f64; 4])>,
    /// Time-stamp source for PAdES B-T; `None` gives B-B.
    pub tsa: Option<&'a dyn TimestampSource>,
    /// Field name; default `Signature<n>`.
    pub field_name: Option<String>,
    /// Capacity of /Contents in DER bytes (default [`DEFAULT_PLACEHOLDER_BYTES`]).
    pub placeholder_bytes: usize,
}

impl Default for SignOptions<'_> {
    fn default() -> Self {
        SignOptions {
            reason: None,
            location: None,
            name: None,
            contact_info: None,
            signing_time: SystemTime::now(),
            visible_rect: None,
            tsa: None,
            field_name: None,
            placeholder_bytes: DEFAULT_PLACEHOLDER_BYTES,
        }
    }
}

/// PDF date string for /M, in UTC: `D:YYYYMMDDHHmmSS+00'00'`.
pub(crate) fn pdf_date(t: SystemTime) -> String {
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    match der::DateTime::from_unix_duration(std::time::Duration::from_secs(secs)) {
        Ok(dt) => format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minutes(),
            dt.seconds()
        ),
        Err(_) => "D:19700101000000+00'00'".into(),
    }
}

fn name(s: &str) -> Obj {
    Obj::Name(s.as_bytes().to_vec())
}

fn real(v: f64) -> Obj {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e9 {
        Obj::Int(v as i64)
    } else if v.is_finite() {
        Obj::Real(format!("{v:.3}"))
    } else {
        Obj::Int(0)
    }
}

fn err(e: String) -> SignError {
    SignError::NotPdf(e)
}

/// Signs `pdf` and returns the signed file (the original bytes followed by one incremental update).
pub fn sign_pdf(
    pdf: &[u8],
    signer: &SigningIdentity<'_>,
    opts: &SignOptions<'_>,
) -> Result<Vec<u8>, SignError> {
    let ie = |e: der::Error| SignError::Internal(e.to_string());
    // Key and certificate must belong together; the certificate must be valid now.
    if signer.key.public_key_der()
        != signer.cert.tbs_certificate.subject_public_key_info.to_der().map_err(ie)?
    {
        return Err(SignError::KeyMismatch);
    }
    let v = &signer.cert.tbs_certificate.validity;
    if opts.signing_time < v.not_before.to_system_time()
        || opts.signing_time > v.not_after.to_system_time()
    {
        return Err(SignError::CertificateNotValid);
    }

    let doc = Doc::parse(pdf).map_err(|e| {
        if e.contains("encrypted") { SignError::Unsupported(e) } else { SignError::NotPdf(e) }
    })?;
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Obj::as_ref)
        .ok_or_else(|| err("/Root missing".into()))?;
    let mut catalog = doc
        .get(root.0)
        .map_err(err)?
        .as_dict()
        .cloned()
        .ok_or_else(|| err("bad catalog".into()))?;
    let pages = doc.pages().map_err(err)?;
    let page_index = opts.visible_rect.map(|v| v.0).unwrap_or(0);
    let page_ref = *pages.get(page_index).ok_or(SignError::NoSuchPage(page_index))?;
    let mut page = doc
        .get(page_ref.0)
        .map_err(err)?
        .as_dict()
        .cloned()
        .ok_or_else(|| err("bad page".into()))?;

    let size = doc.trailer.int(b"Size").unwrap_or(0).max(0) as u64;
    let max_num = doc.map.keys().copied().max().unwrap_or(0) as u64;
    let mut next = size.max(max_num + 1);
    if next > u32::MAX as u64 - 8 {
        return Err(SignError::Unsupported("too many objects".into()));
    }
    let mut alloc = || {
        let n = next as u32;
        next += 1;
        n
    };
    let sig_num = alloc();
    let widget_num = alloc();
    let ap_num = opts.visible_rect.map(|_| alloc());

    // Page /Annots (an indirect array is inlined into the page).
    let mut annots = match page.get(b"Annots") {
        Some(o @ Obj::Ref(..)) => match doc.resolve(o).map_err(err)? {
            Obj::Array(a) => a,
            _ => vec![],
        },
        Some(Obj::Array(a)) => a.clone(),
        _ => vec![],
    };
    annots.push(Obj::Ref(widget_num, 0));
    page.set(b"Annots", Obj::Array(annots));

    // AcroForm and its fields.
    let (acro_ref, mut acro) = match catalog.get(b"AcroForm") {
        Some(Obj::Ref(n, g)) => {
            (Some((*n, *g)), doc.get(*n).map_err(err)?.as_dict().cloned().unwrap_or_default())
        }
        Some(Obj::Dict(d)) => (None, d.clone()),
        _ => (None, Dict::default()),
    };
    let mut fields = match acro.get(b"Fields") {
        Some(o @ Obj::Ref(..)) => match doc.resolve(o).map_err(err)? {
            Obj::Array(a) => a,
            _ => vec![],
        },
        Some(Obj::Array(a)) => a.clone(),
        _ => vec![],
    };
    let mut names = Vec::new();
    for f in &fields {
        if let Ok(Obj::Dict(d)) = doc.resolve(f)
            && let Some(Obj::Str(t, _)) = d.get(b"T")
        {
            names.push(pdf::decode_text(t));
        }
    }
    let field_name = match &opts.field_name {
        Some(n) if !names.contains(n) => n.clone(),
        _ => {
            (1..).map(|i| format!("Signature{i}")).find(|n| !names.contains(n)).unwrap_or_default()
        }
    };
    fields.push(Obj::Ref(widget_num, 0));
    acro.set(b"Fields", Obj::Array(fields));
    acro.set(b"SigFlags", Obj::Int(3));

    // Widget (merged field + annotation).
    let rect = opts.visible_rect.map(|v| v.1).unwrap_or([0.0; 4]);
    let mut widget = Dict::default();
    widget.set(b"Type", name("Annot"));
    widget.set(b"Subtype", name("Widget"));
    widget.set(b"FT", name("Sig"));
    widget.set(b"T", pdf::text_string(&field_name));
    widget.set(b"V", Obj::Ref(sig_num, 0));
    widget.set(b"F", Obj::Int(132));
    widget.set(b"Rect", Obj::Array(rect.iter().map(|v| real(*v)).collect()));
    widget.set(b"P", Obj::Ref(page_ref.0, page_ref.1));
    if let Some(ap) = ap_num {
        let mut n = Dict::default();
        n.set(b"N", Obj::Ref(ap, 0));
        widget.set(b"AP", Obj::Dict(n));
    }

    // Assemble the update.
    let mut out = Vec::with_capacity(pdf.len() + opts.placeholder_bytes * 2 + 4096);
    out.extend_from_slice(pdf);
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut xref: Vec<(u32, u16, usize)> = Vec::new();
    fn put(
        out: &mut Vec<u8>,
        xref: &mut Vec<(u32, u16, usize)>,
        num: u32,
        generation: u16,
        body: &dyn Fn(&mut Vec<u8>),
    ) {
        xref.push((num, generation, out.len()));
        out.extend_from_slice(format!("{num} {generation} obj\n").as_bytes());
        body(out);
        out.extend_from_slice(b"\nendobj\n");
    }

    // Signature dictionary with placeholders.
    let cn = crate::pki::subject_fields(&signer.cert.tbs_certificate.subject)
        .common_name
        .unwrap_or_default();
    let sig_name = opts.name.clone().unwrap_or(cn);
    let mut head = Dict::default();
    head.set(b"Type", name("Sig"));
    head.set(b"Filter", name("Adobe.PPKLite"));
    head.set(b"SubFilter", name("ETSI.CAdES.detached"));
    head.set(b"M", Obj::Str(pdf_date(opts.signing_time).into_bytes(), (0, 0)));
    if !sig_name.is_empty() {
        head.set(b"Name", pdf::text_string(&sig_name));
    }
    if let Some(r) = &opts.reason {
        head.set(b"Reason", pdf::text_string(r));
    }
    if let Some(l) = &opts.location {
        head.set(b"Location", pdf::text_string(l));
    }
    if let Some(c) = &opts.contact_info {
        head.set(b"ContactInfo", pdf::text_string(c));
    }
    const BR_PLACEHOLDER: &str = "[0 0000000000 0000000000 0000000000]";
    let hex_len = opts.placeholder_bytes * 2;
    let (br_pos, contents_pos) = {
        xref.push((sig_num, 0, out.len()));
        out.extend_from_slice(format!("{sig_num} 0 obj\n").as_bytes());
        let mut d = Vec::new();
        pdf::write_dict(&head, &mut d);
        d.truncate(d.len() - 2); // drop ">>"
        out.extend_from_slice(&d);
        out.extend_from_slice(b"/ByteRange ");
        let br_pos = out.len();
        out.extend_from_slice(BR_PLACEHOLDER.as_bytes());
        out.extend_from_slice(b"/Contents ");
        let contents_pos = out.len();
        out.push(b'<');
        out.resize(out.len() + hex_len, b'0');
        out.push(b'>');
        out.extend_from_slice(b">>\nendobj\n");
        (br_pos, contents_pos)
    };
    put(&mut out, &mut xref, widget_num, 0, &|o| pdf::write_dict(&widget, o));
    if let (Some(ap), Some((_, r))) = (ap_num, opts.visible_rect) {
        let w = (r[2] - r[0]).abs();
        let h = (r[3] - r[1]).abs();
        let mut d = Dict::default();
        d.set(b"Type", name("XObject"));
        d.set(b"Subtype", name("Form"));
        d.set(b"BBox", Obj::Array(vec![Obj::Int(0), Obj::Int(0), real(w), real(h)]));
        d.set(b"Resources", Obj::Dict(Dict::default()));
        d.set(b"Length", Obj::Int(0));
        put(&mut out, &mut xref, ap, 0, &|o| {
            pdf::write_dict(&d, o);
            o.extend_from_slice(b"\nstream\n\nendstream");
        });
    }
    let page_gen = page_ref.1;
    put(&mut out, &mut xref, page_ref.0, page_gen, &|o| pdf::write_dict(&page, o));
    match acro_ref {
        Some((n, g)) => put(&mut out, &mut xref, n, g, &|o| pdf::write_dict(&acro, o)),
        None => {
            catalog.set(b"AcroForm", Obj::Dict(acro.clone()));
            put(&mut out, &mut xref, root.0, root.1, &|o| pdf::write_dict(&catalog, o))
        }
    }

    // Cross-reference section of the same kind as the previous one.
    let prev_is_stream = doc.sections.first().is_some_and(|s| s.is_stream);
    let mut trailer = Dict::default();
    let xref_num = if prev_is_stream { Some(alloc()) } else { None };
    trailer.set(b"Size", Obj::Int(next as i64));
    trailer.set(b"Root", Obj::Ref(root.0, root.1));
    for k in [&b"Info"[..], b"ID"] {
        if let Some(v) = doc.trailer.get(k) {
            trailer.set(k, v.clone());
        }
    }
    trailer.set(b"Prev", Obj::Int(doc.startxref as i64));
    let xref_pos = out.len();
    match xref_num {
        None => {
            xref.sort_by_key(|e| e.0);
            out.extend_from_slice(b"xref\n");
            for group in groups(&xref) {
                out.extend_from_slice(format!("{} {}\n", group[0].0, group.len()).as_bytes());
                for (_, g, off) in group {
                    out.extend_from_slice(format!("{off:010} {g:05} n \n").as_bytes());
                }
            }
            out.extend_from_slice(b"trailer\n");
            pdf::write_dict(&trailer, &mut out);
            out.push(b'\n');
        }
        Some(xn) => {
            xref.push((xn, 0, xref_pos));
            xref.sort_by_key(|e| e.0);
            let mut data = Vec::new();
            let mut index = Vec::new();
            for group in groups(&xref) {
                index.push(Obj::Int(group[0].0 as i64));
                index.push(Obj::Int(group.len() as i64));
                for (_, g, off) in group {
                    data.push(1u8);
                    data.extend_from_slice(&(*off as u64).to_be_bytes()[3..]);
                    data.extend_from_slice(&g.to_be_bytes());
                }
            }
            trailer.set(b"Type", name("XRef"));
            trailer.set(b"W", Obj::Array(vec![Obj::Int(1), Obj::Int(5), Obj::Int(2)]));
            trailer.set(b"Index", Obj::Array(index));
            trailer.set(b"Length", Obj::Int(data.len() as i64));
            out.extend_from_slice(format!("{xn} 0 obj\n").as_bytes());
            pdf::write_dict(&trailer, &mut out);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&data);
            out.extend_from_slice(b"\nendstream\nendobj\n");
        }
    }
    out.extend_from_slice(format!("startxref\n{xref_pos}\n%%EOF\n").as_bytes());

    // Byte range and digest.
    let b = contents_pos;
    let c = contents_pos + hex_len + 2;
    let d = out.len() - c;
    let br = format!("[0 {b} {c} {d}");
    let br = format!("{br}{}]", " ".repeat(BR_PLACEHOLDER.len() - 1 - br.len()));
    out[br_pos..br_pos + br.len()].copy_from_slice(br.as_bytes());
    let mut h = Sha256::new();
    h.update(&out[..b]);
    h.update(&out[c..]);
    let digest: [u8; 32] = h.finalize().into();

    let mut chain = signer.chain.clone();
    chain.retain(|x| x != &signer.cert);
    let mut ts_err = None;
    let cms = crate::cms::build_signed_data(
        signer.key,
        &signer.cert,
        &chain,
        ID_DATA,
        None,
        &digest,
        &mut |sig: &[u8]| {
            let Some(tsa) = opts.tsa else {
                return Ok(vec![]);
            };
            let imprint: [u8; 32] = Sha256::digest(sig).into();
            let token = match tsa.timestamp(&imprint) {
                Ok(t) => t,
                Err(e) => {
                    let s = e.to_string();
                    ts_err = Some(e);
                    return Err(s);
                }
            };
            let any = der::Any::from_der(&token).map_err(|e| format!("time-stamp token: {e}"))?;
            let mut values = der::asn1::SetOfVec::new();
            values.insert(any).map_err(|e| e.to_string())?;
            Ok(vec![Attribute { oid: ID_AA_SIGNATURE_TIMESTAMP_TOKEN, values }])
        },
    );
    let cms = match cms {
        Ok(c) => c,
        Err(e) => {
            return Err(ts_err.map(SignError::Timestamp).unwrap_or(SignError::Internal(e)));
        }
    };
    if cms.len() > opts.placeholder_bytes {
        return Err(SignError::PlaceholderTooSmall {
            needed: cms.len(),
            available: opts.placeholder_bytes,
        });
    }
    let hx = hex::encode(&cms);
    out[b + 1..b + 1 + hx.len()].copy_from_slice(hx.as_bytes());
    Ok(out)
}

fn groups(x: &[(u32, u16, usize)]) -> Vec<&[(u32, u16, usize)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=x.len() {
        if i == x.len() || x[i].0 != x[i - 1].0 + 1 {
            out.push(&x[start..i]);
            start = i;
        }
    }
    out.retain(|g| !g.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_format() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(pdf_date(t), "D:20231114221320+00'00'");
    }

    #[test]
    fn grouping() {
        let x = [(3, 0, 1), (4, 0, 2), (7, 0, 3)];
        let g = groups(&x);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].len(), 2);
    }
}
